//! Counting answers: one coded variable by groups of municipalities (types, strategy status,
//! comparison groups). The base of a share is the municipalities of the group that were asked and
//! answered; missing answers are counted apart, never in the base. With survey weights a cross-tab
//! also holds each cell's summed weights: shares are taken of those, the counts stay counts of
//! municipalities, and the test and residuals are first-order Rao-Scott corrected (Kish's design
//! effect of the weights counted).

use serde::Serialize;

use super::independence::{independence, independence_weighted, Independence};
use super::residuals::{adjusted_residuals, adjusted_residuals_weighted};
use crate::survey::{kish_deff, Survey, SurveyError};

/// Fewer municipalities than this in a cell are too few to show its share as a percentage, or to
/// draw a strength or a lesson from.
pub const SMALL_CELL: u64 = 5;

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
    /// `weighted[group][answer]`: the summed weights, when weighted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weighted: Option<Vec<Vec<f64>>>,
    /// Kish's design effect of the weights of the municipalities counted (1 when unweighted).
    #[serde(skip)]
    pub deff: f64,
}

impl CrossTab {
    /// Counts `variable` by the group of each row (`None`: the row belongs to no group).
    pub fn new(
        survey: &Survey,
        variable: &str,
        group_of: &[Option<usize>],
        groups: Vec<String>,
    ) -> Result<CrossTab, SurveyError> {
        CrossTab::new_weighted(survey, variable, group_of, groups, None)
    }

    /// Counts `variable` by the group of each row and, with `weights` (one per survey row), sums
    /// the weights of each cell too.
    pub fn new_weighted(
        survey: &Survey,
        variable: &str,
        group_of: &[Option<usize>],
        groups: Vec<String>,
        weights: Option<&[f64]>,
    ) -> Result<CrossTab, SurveyError> {
        let var = survey
            .codebook()
            .variable(variable)
            .ok_or_else(|| SurveyError::NoVariable(variable.to_string()))?;
        let codes: Vec<i64> = var.codes.iter().map(|c| c.code).collect();
        let values = survey.codes(variable)?;
        let mut counts = vec![vec![0u64; codes.len()]; groups.len()];
        let mut missing = vec![0u64; groups.len()];
        let mut weighted = weights.map(|_| vec![vec![0.0f64; codes.len()]; groups.len()]);
        let mut counted = Vec::new();
        for (row, (value, group)) in values.iter().zip(group_of).enumerate() {
            let Some(g) = *group else { continue };
            match value.and_then(|v| codes.iter().position(|c| *c == v)) {
                Some(j) => {
                    counts[g][j] += 1;
                    if let (Some(cells), Some(w)) = (&mut weighted, weights) {
                        cells[g][j] += w[row];
                        counted.push(w[row]);
                    }
                }
                None => missing[g] += 1,
            }
        }
        let deff = match weighted {
            Some(_) => kish_deff(Some(&counted)),
            None => 1.0,
        };
        Ok(CrossTab {
            variable: variable.to_string(),
            codes,
            groups,
            counts,
            missing,
            weighted,
            deff,
        })
    }

    pub fn is_weighted(&self) -> bool {
        self.weighted.is_some()
    }

    /// What cell (g, j) weighs: its summed weights, or its count when unweighted.
    pub fn mass(&self, g: usize, j: usize) -> f64 {
        match &self.weighted {
            Some(w) => w[g][j],
            None => self.counts[g][j] as f64,
        }
    }

    /// What group `g`'s answers weigh together (its base when unweighted).
    pub fn mass_base(&self, g: usize) -> f64 {
        (0..self.codes.len()).map(|j| self.mass(g, j)).sum()
    }

    /// What the answers `codes` of group `g` weigh together.
    pub fn mass_of(&self, g: usize, codes: &[i64]) -> f64 {
        (0..self.codes.len())
            .filter(|&j| codes.contains(&self.codes[j]))
            .map(|j| self.mass(g, j))
            .sum()
    }

    /// The summed weights of every answer over all groups, when weighted.
    pub fn total_weighted(&self) -> Option<Vec<f64>> {
        let w = self.weighted.as_ref()?;
        Some(
            (0..self.codes.len())
                .map(|j| w.iter().map(|r| r[j]).sum())
                .collect(),
        )
    }

    /// A weighted share in percent (`None` on an empty base or weightless group).
    fn weighted_percent(&self, g: usize, mass: f64) -> Option<f64> {
        let base = self.mass_base(g);
        (self.base(g) > 0 && base > 0.0).then(|| 100.0 * mass / base)
    }

    /// Municipalities of group `g` that answered.
    pub fn base(&self, g: usize) -> u64 {
        self.counts[g].iter().sum()
    }

    /// Share of group `g` giving answer `j`, in percent (of the summed weights when weighted);
    /// `None` on an empty base.
    pub fn percent(&self, g: usize, j: usize) -> Option<f64> {
        if self.is_weighted() {
            return self.weighted_percent(g, self.mass(g, j));
        }
        let base = self.base(g);
        (base > 0).then(|| 100.0 * self.counts[g][j] as f64 / base as f64)
    }

    /// Share of group `g` giving any of `codes` (of the summed weights when weighted), with the
    /// count and the base (municipalities).
    pub fn percent_of(&self, g: usize, codes: &[i64]) -> (Option<f64>, u64, u64) {
        let hits: u64 = self
            .codes
            .iter()
            .zip(&self.counts[g])
            .filter(|(c, _)| codes.contains(c))
            .map(|(_, n)| n)
            .sum();
        let base = self.base(g);
        if self.is_weighted() {
            let mass = self.mass_of(g, codes);
            return (self.weighted_percent(g, mass), hits, base);
        }
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
    /// When weighted: the first-order Rao-Scott test of the weighted table
    /// ([`independence_weighted`], with the municipalities counted as n and Kish's design effect).
    pub fn independence(&self) -> Option<Independence> {
        match &self.weighted {
            Some(w) => independence_weighted(w, self.n() as f64, self.deff),
            None => independence(&self.as_usize()),
        }
    }

    /// Adjusted standardised residuals, `[group][answer]` (when weighted, of the weighted table,
    /// Rao-Scott corrected: [`adjusted_residuals_weighted`]).
    pub fn residuals(&self) -> Vec<Vec<Option<f64>>> {
        match &self.weighted {
            Some(w) => adjusted_residuals_weighted(w, self.n() as f64, self.deff),
            None => adjusted_residuals(&self.as_usize()),
        }
    }

    /// Municipalities counted in the table (all groups, answered).
    pub fn n(&self) -> u64 {
        self.counts.iter().flatten().sum()
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

    /// Weight 2 on a row is that row counted twice in every share; the counts stay counts, and
    /// the test is the Rao-Scott one of the weighted table (X² of the duplicated table rescaled
    /// to the municipalities counted, divided by Kish's design effect).
    #[test]
    fn weight_two_is_a_duplicated_row_in_the_shares() {
        let book = Arc::new(Codebook::builtin());
        let values = [
            Some(1),
            Some(0),
            Some(1),
            Some(0),
            Some(1),
            Some(0),
            Some(1),
        ];
        let groups = [
            Some(0),
            Some(0),
            Some(0),
            Some(1),
            Some(1),
            Some(1),
            Some(1),
        ];
        let weights = [2.0, 1.0, 1.0, 2.0, 1.0, 1.0, 2.0];
        let mut survey = Survey::blank(book.clone(), values.len());
        *survey.codes_mut("fim_bekannt").unwrap() = values.to_vec().into();
        let names = vec!["a".to_string(), "b".to_string()];
        let w = CrossTab::new_weighted(
            &survey,
            "fim_bekannt",
            &groups,
            names.clone(),
            Some(&weights),
        )
        .unwrap();
        // the same rows, those of weight 2 twice
        let (mut dv, mut dg) = (Vec::new(), Vec::new());
        for i in 0..values.len() {
            for _ in 0..weights[i] as usize {
                dv.push(values[i]);
                dg.push(groups[i]);
            }
        }
        let mut doubled = Survey::blank(book, dv.len());
        *doubled.codes_mut("fim_bekannt").unwrap() = dv.into();
        let d = CrossTab::new(&doubled, "fim_bekannt", &dg, names).unwrap();
        for g in 0..2 {
            for j in 0..2 {
                assert_eq!(w.percent(g, j), d.percent(g, j), "{g} {j}");
                assert_eq!(w.mass(g, j), d.counts[g][j] as f64);
            }
            assert_eq!(w.percent_of(g, &[1]).0, d.percent_of(g, &[1]).0);
        }
        assert_eq!(w.counts, vec![vec![2, 1], vec![2, 2]]);
        // Σw = 10, Σw² = 16: deff = 7 · 16 / 10² = 1.12; X² of the doubled table times 7/10, divided
        // by 1.12
        assert!((w.deff - 1.12).abs() < 1e-12);
        let (tw, td) = (w.independence().unwrap(), d.independence().unwrap());
        assert!(
            (tw.chi_square - td.chi_square * 0.7 / 1.12).abs() < 1e-12,
            "{tw:?} {td:?}"
        );
        assert!(!CrossTab::new(
            &survey,
            "fim_bekannt",
            &groups,
            vec!["a".into(), "b".into()]
        )
        .unwrap()
        .is_weighted());
    }
}
