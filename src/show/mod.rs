//! The presentation layer: what results are shown with, above the stages that compute them.
//! [`chart`]: the chart file format and one file per chart kind (its struct, check, table and
//! drawing), rendered to PNG or SVG bytes in memory; [`table`]: one [`table::Table`] made into
//! CSV, workbook sheets or aligned console text; [`mod@format`]: numbers in the output's language
//! (the one decimal-comma formatter); [`labels`]: the codebook's labels and the data-source note
//! under each chart; [`weights`]: the sentences about a run's weighting; [`words`]: what one row and the clustered
//! block are called (the codebook's unit and block); [`doc`]: the document
//! model (headings, paragraphs, tables, lists, images) rendered to Markdown and HTML; [`views`]:
//! one module per result (a typology, choosing k, stability, Ward's hierarchy, mixtures, the
//! response-style check, classifications, the profile sheets and their report page, feedback
//! sheets, the self-check page, two waves compared) turning a stage's typed numbers into console text, tables,
//! charts and documents. Nothing here writes a file: the application layer writes what is
//! rendered here ([`crate::output::write_chart`]). This layer reads the stages' results, the
//! codebook ([`crate::survey`]) and the language ([`crate::lang`]); `crate::cluster` and
//! `crate::profile` import nothing from it (`figures` still does, for the wording that still
//! lives with it).

pub mod chart;
pub mod doc;
pub mod format;
pub mod labels;
pub mod table;
pub mod views;
pub mod weights;
pub mod words;
