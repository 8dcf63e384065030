//! The profile-sheet feature: per type of a clustering, its composition, goal profile, strengths
//! and what it can learn from the others ([`profile`]), every other variable cross-tabulated by
//! type with tests ([`tabulate`]), the sheets' charts ([`profile_charts`]: type sizes, goal
//! heatmap and profiles, the map of principal components ([`pca`]), silhouettes, cross-tabs), and
//! the sheets written as Markdown, JSON and one self-contained HTML report ([`sheets`], on the
//! document model of [`document`]; the report's page is put together in [`html_report`], with
//! the robustness checks of [`robustness`]). Charts, numbers and labels come from
//! [`crate::show`]. [`feedback`] is one municipality's view: its type, how clear, its ratings
//! against its type, its nearest municipalities and what it can learn; [`selfcheck`] the offline
//! self-check page.

pub mod document;
pub mod feedback;
pub mod html_report;
pub mod pca;
pub mod profile;
pub mod profile_charts;
pub mod robustness;
pub mod selfcheck;
pub mod sheets;
pub mod tabulate;

use thiserror::Error;

#[derive(Debug, Error)]
pub enum ReportError {
    #[error("{path}: cannot draw the chart: {message}")]
    Chart { path: String, message: String },
    #[error("{0}")]
    Options(String),
    #[error(transparent)]
    Survey(#[from] crate::survey::SurveyError),
    #[error(transparent)]
    File(#[from] crate::output::FileError),
    #[error(transparent)]
    Drawing(#[from] crate::show::chart::ChartError),
    #[error(transparent)]
    Cluster(#[from] crate::cluster::ClusterError),
}
