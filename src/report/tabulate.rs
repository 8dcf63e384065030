//! Counting answers: one coded variable by groups of municipalities (types, strategy status,
//! comparison groups). The base of a share is the municipalities of the group that were asked and
//! answered; missing answers are counted apart, never in the base.

use serde::Serialize;

use crate::stats::{adjusted_residuals, independence, Independence};
use crate::survey::{Survey, SurveyError};

/// Answers of one coded variable, counted per group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CrossTab {
    pub variable: String,
    /// The variable's codes, in codebook order (the columns).
    pub codes: Vec<i64>,
    /// Group labels (the rows).
    pub groups: Vec<String>,
    /// `counts[group][answer]`.
    pub counts: Vec<Vec<u64>>,
    /// Per group: no answer, or not asked.
    pub missing: Vec<u64>,
}

impl CrossTab {
    /// Counts `variable` by the group of each row (`None`: the row belongs to no group).
    pub fn new(
        survey: &Survey,
        variable: &str,
        group_of: &[Option<usize>],
        groups: Vec<String>,
    ) -> Result<CrossTab, SurveyError> {
        let var = survey
            .codebook()
            .variable(variable)
            .ok_or_else(|| SurveyError::NoVariable(variable.to_string()))?;
        let codes: Vec<i64> = var.codes.iter().map(|c| c.code).collect();
        let values = survey.codes(variable)?;
        let mut counts = vec![vec![0u64; codes.len()]; groups.len()];
        let mut missing = vec![0u64; groups.len()];
        for (value, group) in values.iter().zip(group_of) {
            let Some(g) = *group else { continue };
            match value.and_then(|v| codes.iter().position(|c| *c == v)) {
                Some(j) => counts[g][j] += 1,
                None => missing[g] += 1,
            }
        }
        Ok(CrossTab {
            variable: variable.to_string(),
            codes,
            groups,
            counts,
            missing,
        })
    }

    /// Municipalities of group `g` that answered.
    pub fn base(&self, g: usize) -> u64 {
        self.counts[g].iter().sum()
    }

    /// Share of group `g` giving answer `j`, in percent; `None` on an empty base.
    pub fn percent(&self, g: usize, j: usize) -> Option<f64> {
        let base = self.base(g);
        (base > 0).then(|| 100.0 * self.counts[g][j] as f64 / base as f64)
    }

    /// Share of group `g` giving any of `codes`, with the count and the base.
    pub fn percent_of(&self, g: usize, codes: &[i64]) -> (Option<f64>, u64, u64) {
        let hits: u64 = self
            .codes
            .iter()
            .zip(&self.counts[g])
            .filter(|(c, _)| codes.contains(c))
            .map(|(_, n)| n)
            .sum();
        let base = self.base(g);
        (
            (base > 0).then(|| 100.0 * hits as f64 / base as f64),
            hits,
            base,
        )
    }

    /// All groups together.
    pub fn total(&self) -> Vec<u64> {
        (0..self.codes.len())
            .map(|j| self.counts.iter().map(|r| r[j]).sum())
            .collect()
    }

    fn as_usize(&self) -> Vec<Vec<usize>> {
        self.counts
            .iter()
            .map(|r| r.iter().map(|&n| n as usize).collect())
            .collect()
    }

    /// Chi-square test of independence with Cramér's V; `None` when fewer than two groups or answers
    /// occur.
    pub fn independence(&self) -> Option<Independence> {
        independence(&self.as_usize())
    }

    /// Adjusted standardised residuals, `[group][answer]`.
    pub fn residuals(&self) -> Vec<Vec<Option<f64>>> {
        adjusted_residuals(&self.as_usize())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    use crate::survey::Codebook;

    #[test]
    fn counts_shares_and_missing_per_group() {
        let book = Arc::new(Codebook::builtin());
        let mut survey = Survey::blank(book, 6);
        *survey.codes_mut("fim_bekannt").unwrap() =
            vec![Some(1), Some(0), Some(1), None, Some(1), Some(0)].into();
        let groups = [Some(0), Some(0), Some(1), Some(1), Some(1), None];
        let t = CrossTab::new(
            &survey,
            "fim_bekannt",
            &groups,
            vec!["a".into(), "b".into()],
        )
        .unwrap();
        // codes in codebook order: 1 (ja), 0 (nein)
        assert_eq!(t.codes, vec![1, 0]);
        assert_eq!(t.counts, vec![vec![1, 1], vec![2, 0]]);
        assert_eq!(t.missing, vec![0, 1]);
        assert_eq!(t.percent(0, 0), Some(50.0));
        assert_eq!(t.percent_of(1, &[1]), (Some(100.0), 2, 2));
        assert_eq!(t.total(), vec![3, 1]);
    }
}
