//! `typfrage`: the ÖFIT/KGSt municipal digitalisation survey, from a checked survey file to the four
//! digitalisation types and the published figures.
//!
//! Data flows one way: [`survey`] (codebook, loading, validation) → [`cluster`] (k-means types,
//! choosing k, stability, classifying) and [`figures`] (the published figures and findings
//! recomputed from a survey, with the study's charts) → [`report`] (profile sheets,
//! cross-tabulations). [`show`] is what the features show their results with: charts (the chart
//! file format, drawing, PNG/SVG), tables (CSV, workbooks), numbers and labels in the output's
//! language ([`lang`]).
//! [`escape`] shows control characters from the data visibly wherever text is printed or written.
//! [`manifest`] records what went in and came out so that `typfrage verify` can re-run a result;
//! [`synth`] makes the stand-in data set from the codebook, calibrated against the published
//! figures.

pub mod app;
pub mod cluster;
pub mod error;
pub mod escape;
pub mod exit;
pub mod figures;
pub mod lang;
pub mod manifest;
pub mod output;
pub mod report;
pub mod show;
pub mod stats;
pub mod survey;
pub mod synth;
