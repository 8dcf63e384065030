//! `typfrage`: the ÖFIT/KGSt municipal digitalisation survey, from a checked survey file to the four
//! digitalisation types and the published figures.
//!
//! Data flows one way: [`survey`] (codebook, loading, validation) → [`cluster`] (k-means types,
//! choosing k, stability, classifying) and [`figures`] (the published figures and findings
//! recomputed from a survey). [`synth`] makes the stand-in data set from the
//! codebook, calibrated against the published figures.

pub mod cluster;
pub mod figures;
pub mod output;
pub mod report;
pub mod stats;
pub mod survey;
pub mod synth;
