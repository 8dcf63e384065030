//! The profile sheets' numbers put together: the cross-tabs by type and every type's numbers
//! ([`build`]), where the data come from ([`Source`]), and the check of the cross-tab charts
//! asked for ([`check_crosstab_charts`]).

use serde::Serialize;
use thiserror::Error;

use super::crosstabs::{self, TypeCrossTab};
use super::types::{self, TypeProfile};
use crate::cluster::{TypeDef, Typology};
use crate::describe::{describe, Description};
use crate::survey::{Survey, SurveyError};

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
    /// What sets each type apart, as FactoMineR's `catdes` describes it.
    pub description: Description,
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
        description: describe(survey, typology)?,
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
