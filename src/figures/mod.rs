//! The published-figure feature: the figures and findings of the 2019 short study, recomputed from
//! a survey and compared with the published values (typed claims, `definitions`), and the
//! numbers behind the study's charts (Abb. 1-10, the cover: [`study_numbers`]). The values are
//! read from the published-figures file only to compare: every number reported as "computed"
//! comes from the survey. Numbers only: the tables, sentences and charts made of them are
//! `show::views::figures`.

mod definitions;
pub mod indicators;
mod published;
#[cfg(test)]
mod rules_tests;
mod study;

pub use definitions::{
    check_finding, compute_figure, Claim, Computed, Group, GroupLabel, Part, Statement, Subject,
    Test, ALPHA, FINDINGS, NO_ASSOCIATION_V,
};
pub use indicators::Indicators;
pub use published::{
    Published, PublishedFigure, PublishedFinding, PublishedType, Relation, DEFAULT_PUBLISHED,
};
pub use study::{
    study_numbers, Share, StudyNumbers, FIBRE_CODES, FIM_ITEMS, FIVE_POINTS, LEAD_AREAS,
};

use thiserror::Error;

use crate::survey::{Survey, SurveyError, Weighting};

#[derive(Debug, Error)]
pub enum FigureError {
    #[error(transparent)]
    File(#[from] crate::output::FileError),
    #[error("published figures ({origin}): {message}")]
    Published { origin: String, message: String },
    #[error(transparent)]
    Survey(#[from] SurveyError),
}

/// The outcome of comparing one figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Reproduced,
    NotReproduced,
    /// No computation is defined for this id, or its base is empty.
    NotComputed,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Reproduced => "reproduced",
            Verdict::NotReproduced => "NOT reproduced",
            Verdict::NotComputed => "NOT computed",
        }
    }
}

/// One published figure with the value computed from the survey.
#[derive(Debug, Clone, PartialEq)]
pub struct FigureResult {
    pub published: PublishedFigure,
    pub computed: Option<Computed>,
    pub verdict: Verdict,
}

impl FigureResult {
    /// The part shown as "the" computed value: the first that fails, else the farthest from the
    /// published value.
    pub fn shown(&self) -> Option<&Part> {
        let parts = &self.computed.as_ref()?.parts;
        parts
            .iter()
            .find(|p| !self.published.holds(p.value))
            .or_else(|| {
                parts.iter().max_by(|a, b| {
                    (a.value - self.published.value)
                        .abs()
                        .total_cmp(&(b.value - self.published.value).abs())
                })
            })
    }
}

/// One published finding with the claims checked on the survey.
#[derive(Debug, Clone, PartialEq)]
pub struct FindingResult {
    pub published: PublishedFinding,
    /// Empty when no computation is defined for this id.
    pub claims: Vec<Claim>,
    pub verdict: Verdict,
}

/// Every figure and finding checked.
#[derive(Debug, Clone, PartialEq)]
pub struct FiguresReport {
    pub n_rows: usize,
    /// The weight variable, when the figures' shares and means are weighted (the findings'
    /// tests count municipalities).
    pub weight: Option<String>,
    pub figures: Vec<FigureResult>,
    pub findings: Vec<FindingResult>,
}

impl FiguresReport {
    /// Ids of the figures and findings that were not reproduced.
    pub fn failures(&self) -> Vec<&str> {
        self.figures
            .iter()
            .filter(|f| f.verdict != Verdict::Reproduced)
            .map(|f| f.published.id.as_str())
            .chain(
                self.findings
                    .iter()
                    .filter(|f| f.verdict != Verdict::Reproduced)
                    .map(|f| f.published.id.as_str()),
            )
            .collect()
    }
}

/// Recomputes every figure and finding of `published` from `survey` and compares.
pub fn check(survey: &Survey, published: &Published) -> Result<FiguresReport, FigureError> {
    check_weighted(survey, published, &Weighting::none())
}

/// [`check`] with the figures' shares and means weighted by `weighting` (of the summed weights;
/// bases count municipalities). The findings' tests stay unweighted.
pub fn check_weighted(
    survey: &Survey,
    published: &Published,
    weighting: &Weighting,
) -> Result<FiguresReport, FigureError> {
    let plain = Indicators::new(survey)?;
    let ind = plain.clone().with_weights(weighting.values.clone());
    let mut figures = Vec::with_capacity(published.figures.len());
    for fig in &published.figures {
        let computed = compute_figure(&fig.id, survey, &ind)?;
        let verdict = match &computed {
            Some(c) if !c.parts.is_empty() && c.parts.iter().all(|p| p.base > 0) => {
                if c.parts.iter().all(|p| fig.holds(p.value)) {
                    Verdict::Reproduced
                } else {
                    Verdict::NotReproduced
                }
            }
            _ => Verdict::NotComputed,
        };
        figures.push(FigureResult {
            published: fig.clone(),
            computed,
            verdict,
        });
    }
    let mut findings = Vec::with_capacity(published.findings.len());
    for finding in &published.findings {
        let claims = check_finding(&finding.id, survey, &plain)?.unwrap_or_default();
        let verdict = if claims.is_empty() {
            Verdict::NotComputed
        } else if claims.iter().all(|c| c.holds) {
            Verdict::Reproduced
        } else {
            Verdict::NotReproduced
        };
        findings.push(FindingResult {
            published: finding.clone(),
            claims,
            verdict,
        });
    }
    Ok(FiguresReport {
        n_rows: survey.len(),
        weight: weighting.variable.clone(),
        figures,
        findings,
    })
}
