//! The views: one module per result, above the stages that compute it, turning its numbers into
//! words, tables, charts and documents in the output's language; they return text, bytes and
//! charts, and the application layer writes them. [`profile`]: the profile sheets' numbers with
//! their labels (what `profiles.json` holds); [`profile_sheet`]: a type's sheet and the reading
//! rules; [`crosstabs`]: the cross-tabs as a document and a table; [`profile_charts`]: the sheets'
//! charts; [`report_page`]: the sections of `report.html`; [`feedback`]: a municipality's own
//! sheet and the labels a saved model carries for it; [`selfcheck`]: the offline self-check page.

pub mod crosstabs;
pub mod feedback;
pub mod profile;
pub mod profile_charts;
pub mod profile_sheet;
pub mod report_page;
pub mod selfcheck;
