//! `typfrage`: the ÖFIT/KGSt municipal digitalisation survey, from a checked survey file to the four
//! digitalisation types and the published figures.
//!
//! The house, from the bottom up. [`lang`] (German or English) depends on nothing of ours, so
//! every layer may name it; [`output`] (the one file error, reading, atomic writing), [`escape`]
//! (control characters from the data shown visibly) and [`exit`] sit beside it. Computing:
//! [`survey`] (codebook, loading, validation, weights) → [`cluster`] (k-means types, choosing k,
//! stability, classifying), [`figures`] (the published figures and findings recomputed from a
//! survey), [`stats`] (tests, cross-tabs, principal components) and [`profile`] (the profile
//! sheets' numbers, the robustness checks, a municipality's feedback);
//! [`synth`] makes the stand-in data set from the codebook, calibrated against the published
//! figures. Showing: [`show`] stands above them and turns results into charts (one file per
//! kind, rendered to PNG or SVG bytes in memory), tables (CSV, workbooks, aligned console text),
//! numbers and labels in the output's language, documents (Markdown, HTML) and one view per
//! result (profile sheets, the report page, feedback sheets); the computing modules import
//! nothing from it and take no language. On top, [`app`] runs one typed request per command:
//! read, compute, show, write (through [`output`]) and seal with a [`manifest`], which `typfrage
//! verify` replays; [`error`] gathers every layer's error for it. With the `cli` feature (a
//! default one) the requests derive their command-line arguments (clap), which the `typfrage`
//! binary parses.

pub mod app;
pub mod cluster;
pub mod describe;
pub mod error;
pub mod escape;
pub mod exit;
pub mod figures;
pub mod lang;
pub mod manifest;
pub mod output;
pub mod profile;
pub mod progress;
pub mod show;
pub mod stats;
pub mod survey;
pub mod synth;
pub mod waves;
