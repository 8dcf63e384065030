//! Reports: charts (PNG or SVG) drawn from the analysis results, with an embedded font so that
//! text, umlauts included, renders without any system font.

pub mod charts;

use thiserror::Error;

#[derive(Debug, Error)]
pub enum ReportError {
    #[error("{path}: cannot draw the chart: {message}")]
    Chart { path: String, message: String },
    #[error(transparent)]
    Survey(#[from] crate::survey::SurveyError),
}
