//! The profile-sheet feature: per type of a clustering, its composition, goal profile, strengths
//! and what it can learn from the others ([`profile`]), every other variable cross-tabulated by
//! type with tests ([`crate::stats::CrossTab`]), the sheets' charts ([`profile_charts`]: type
//! sizes, goal heatmap and profiles, the map of principal components ([`crate::stats::Pca`]),
//! silhouettes, cross-tabs), and
//! the sheets written as Markdown, JSON and one self-contained HTML report ([`sheets`], on the
//! document model of [`document`]; the report's page is put together in [`html_report`], with
//! the robustness checks of [`robustness`]). Charts, numbers and labels come from
//! [`crate::show`]. [`feedback`] is one municipality's view: its type, how clear, its ratings
//! against its type, its nearest municipalities and what it can learn; [`selfcheck`] the offline
//! self-check page.

pub mod document;
pub mod feedback;
pub mod html_report;
pub mod profile;
pub mod profile_charts;
pub mod selfcheck;
pub mod sheets;
