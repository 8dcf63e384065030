//! Views: one module per result, turning the typed numbers a stage computes into what people
//! read: console text, tables (CSV and workbook sheets through [`super::table`]), charts
//! (through [`super::chart`]) and documents (through [`super::doc`]: Markdown sheets, HTML
//! pages), in the run's language. The stages below never word their results; the application
//! layer calls a view and writes what it returns. For the profile sheets: [`profile`] (their
//! numbers with labels, what `profiles.json` holds), [`profile_sheet`] (a type's sheet, the
//! reading rules), [`crosstabs`], [`profile_charts`] and [`report_page`] (the sections of
//! `report.html`); [`feedback`]: a municipality's own sheet and the labels a saved model carries
//! for it; [`describe`]: what sets each type apart (v-tests, η²); [`selfcheck`]: the offline self-check page; [`types_draft`]: a types file drafted from a model; [`waves`]: two waves compared;
//! [`figures`]: the published figures' tables, readings and the study's charts.

pub mod choose_k;
pub mod classification;
pub mod crosstabs;
pub mod describe;
pub mod feedback;
pub mod figures;
pub mod hierarchy;
pub mod mixture;
pub mod profile;
pub mod profile_charts;
pub mod profile_sheet;
pub mod replication;
pub mod report_page;
pub mod response_style;
pub mod selfcheck;
pub mod source;
pub mod stability;
pub mod tree;
pub mod types_draft;
pub mod typology;
pub mod waves;
