//! `typfrage`: the ÖFIT/KGSt municipal digitalisation survey, from a checked survey file to the four
//! digitalisation types and the published figures.
//!
//! Data flows one way: [`survey`] (codebook, loading, validation) → [`figures`] (the published
//! figures and findings recomputed from a survey). [`synth`] makes the stand-in data set from the
//! codebook, calibrated against the published figures.

pub mod figures;
pub mod output;
pub mod stats;
pub mod survey;
pub mod synth;
