//! The profile sheets' numbers ("Steckbriefe"), computed from the survey and a fitted typology:
//! every coded profile variable cross-tabulated by type ([`crosstabs`]: shares, chi-square test,
//! Cramér's V, adjusted standardised residuals), and per type ([`types`]) its size and share, its
//! goal profile against the whole clustered sample, the answers over- or under-represented in it,
//! its strengths, what it can learn from the other types and its most typical municipalities;
//! the checks of the types' robustness ([`robustness`]); and what a municipality's own feedback
//! needs ([`feedback`]: the aggregates a saved model carries, one municipality's place). Numbers,
//! codes and identifiers only: the words, labels and charts are `crate::show::views`'.
//!
//! Rules, stated once here and in every sheet:
//! - a cross-tab counts the clustered municipalities that were asked and answered;
//! - an answer is over- or under-represented in a type when its adjusted standardised residual is
//!   at least 1.96 in size (5 % two-sided, no correction for the many tests: a guide, not proof);
//! - strengths and lessons are drawn only from what a municipality does or has, never from the
//!   clustering variables or a variable the codebook marks as derived from one of them
//!   (`derived_from`: the top-3 goals restate the goal priorities), nor from an opinion (a scale
//!   the codebook marks `opinion`: how helpful FIM is, the broadband grade); those stay in the
//!   cross-tabs, marked where they restate;
//! - a strength is a "positive" answer (the codebook's `positive` codes: uses, offers, supports)
//!   that the type gives more often than all other types together, with the 2x2
//!   residual at least 1.96, at least 5 municipalities, and the cross-tab significant (p < 0.05);
//! - a lesson from another type: where another type gives the positive answer most often, at least
//!   10 points more often than this type, in a significant cross-tab;
//! - cells with fewer than 5 municipalities are shown as "<5 of n", never as a bare percentage.
//!
//! With survey weights (the typology's), shares are taken of the summed weights (the counts and
//! bases beside them stay numbers of municipalities), the type shares and the goal profile's
//! sample means are weighted, and every test and residual is first-order Rao-Scott corrected
//! (X² and residuals divided by Kish's design effect of the weights in the table).

pub mod crosstabs;
pub mod feedback;
pub mod map;
pub mod robustness;
pub mod types;

use serde::Serialize;
use thiserror::Error;

use crate::cluster::{TypeDef, Typology};
use crate::survey::{Survey, SurveyError};

pub use crosstabs::{Share, TypeCrossTab};
pub use robustness::{robustness, Robustness};
pub use types::TypeProfile;

/// Residual size that flags an answer as over- or under-represented.
pub const RESIDUAL_FLAG: f64 = 1.96;
/// Significance level of a cross-tab for strengths and lessons.
pub const ALPHA: f64 = 0.05;
/// Minimum gap, in percentage points, for a lesson from another type.
pub const LESSON_GAP: f64 = 10.0;
/// How many strengths, lessons, flags and typical municipalities a sheet lists.
pub const LIST_LENGTH: usize = 6;
pub const TYPICAL: usize = 5;

#[derive(Debug, Error)]
pub enum ProfileError {
    /// A request for the sheets that cannot be met (a cross-tab chart of a variable that is not
    /// cross-tabulated).
    #[error("{0}")]
    Options(String),
    #[error(transparent)]
    Survey(#[from] SurveyError),
    #[error(transparent)]
    Cluster(#[from] crate::cluster::ClusterError),
}

/// Where the data come from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Source {
    pub file: String,
    pub sha256: String,
    pub synthetic: bool,
}

/// The numbers of every type's sheet and of the cross-tabs.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    /// Rows of the survey.
    pub rows: usize,
    pub clustered: usize,
    pub left_out: usize,
    pub types: Vec<TypeProfile>,
    pub crosstabs: Vec<TypeCrossTab>,
}

/// Computes every type's numbers and the cross-tabs.
pub fn build(
    survey: &Survey,
    typology: &Typology,
    defs: &[TypeDef],
) -> Result<Profile, SurveyError> {
    let book = survey.codebook();
    let crosstabs = crosstabs::crosstabs(survey, typology)?;
    // strengths and lessons: what a municipality does or has, not what the types are built
    // from, nor an opinion (how helpful, what grade)
    let practice: Vec<bool> = crosstabs
        .iter()
        .map(|c| {
            book.variable(c.variable())
                .is_some_and(|v| book.describes_practice(v, typology.variables()))
        })
        .collect();
    let types = (0..typology.types.len())
        .map(|g| types::type_profile(survey, typology, defs, &crosstabs, &practice, g))
        .collect();
    Ok(Profile {
        rows: survey.len(),
        clustered: typology.assignments.len(),
        left_out: typology.matrix.excluded.len(),
        types,
        crosstabs,
    })
}

/// Checks that every variable asked for a cross-tab chart is cross-tabulated (a coded profile
/// variable that is not clustered on), before anything is written.
pub fn check_crosstab_charts(
    survey: &Survey,
    typology: &Typology,
    variables: &[String],
) -> Result<(), ProfileError> {
    let book = survey.codebook();
    for v in variables {
        // the variable names the chart's files (crosstab-<variable>.png)
        crate::output::check_slug(v).map_err(|e| {
            ProfileError::Options(format!("--crosstab {}: {e}", crate::escape::field(v)))
        })?;
        let ok = book.variable(v).is_some_and(|var| {
            var.kind.is_coded()
                && var.role == crate::survey::Role::Profile
                && !typology.variables().contains(v)
        });
        if !ok {
            return Err(ProfileError::Options(format!(
                "--crosstab {v}: no cross-tab for '{v}'; name a coded profile variable of the codebook that is not clustered on"
            )));
        }
    }
    Ok(())
}
