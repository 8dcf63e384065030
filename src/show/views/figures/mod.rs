//! The published-figure check as people read it: the figures and findings as a table, Markdown,
//! CSV or JSON (`render`), the readings of the figures and the words of the findings' claims
//! (`readings`), and the study's charts (`charts`), from the numbers of `crate::figures`.

pub mod charts;
pub mod readings;
pub mod render;
