//! The integration tests, as one test binary (one link of the crate instead of one per file; the
//! helpers in `common` compiled once). Each module is an area; its opening paragraph says what it
//! holds. Snapshots are in `snapshots/` (named `it__<module>__<name>.snap`), fixtures in
//! `tests/fixtures`, reference numbers from R in `tests/reference`.

// The real binary in a temporary folder, fixture paths, the shipped data, CSV and PNG readers.
mod common;
// The bounds of a fuzz case: a counting allocator (this binary's) and a watchdog.
mod fuzz_bounds;

/// Every allocation of this test binary is counted; only a running fuzz case is bounded
/// ([`fuzz_bounds`]), the other tests are only counted.
#[global_allocator]
static ALLOCATOR: fuzz_bounds::Counting = fuzz_bounds::Counting;

// A public survey no one here wrote (R's psych::bfi as SPSS) through every step of "Your own survey".
mod any_survey;
// Requests recorded in manifests and re-run by `verify`, usage mistakes, terminal text snapshots.
mod app;
// Chart size, scale and axes on every command that draws; chart files redrawn.
mod charts;
// `cluster`, `choose-k`, `stability`, `classify` on the shipped data and on known clusters.
mod cluster;
// What sets each type apart (catdes' v-tests, eta2) and each municipality's certainty.
mod describe;
// The published figures and findings recomputed from the shipped data.
mod figures;
// One survey saved the ways researchers save it loads to one table.
mod formats;
// Hostile input: markup, control characters, path-like ids, chart files that ask too much.
mod hostile;
// Hostile manifests, requests, models and paths: what `verify` refuses, `--save-into` and every
// written file checked against the inputs, bounded parameters and models.
mod hostile_app;
// One language per run, by `--lang` and by the locale, for every command.
mod language;
// Ward's clustering and Gaussian mixtures against numbers recorded from R.
mod methods;
// The municipality's view: `classify`, `position`, `feedback`, `selfcheck` agree.
mod municipality;
// Invariants on generated input and the fuzz harness (proptest; regressions beside this file).
mod properties;
// Profile sheets, the HTML report, the study's charts and manifests that `verify` re-runs.
mod report;
// Validation by replication (`replicate`, and in `cluster --report`): prediction strength, how
// types split across k, the threshold tree.
mod replicate;
// The reviewer's checks: `cluster --start ward`, `hierarchy`, `mixture`, `response-style`.
mod reviewer_commands;
// Large files read in parallel blocks; the Parquet export read back.
mod scale;
// SPSS and workbook surveys read like the CSV; broken SPSS files; column mappings.
mod survey_files;
// The stand-in data set made by the seeded generator.
mod synth;
// Small SPSS files and workbooks that ask a reader for far more than they hold (issue 27), made
// byte by byte by `craft`; codebook drafts and `--save-into` copies of hostile names and encodings.
mod survey_limits;
// Hostile .ods spreadsheets: each cell calamine holds counted as calamine reads it (issue 27).
mod ods_limits;
// Hostile workbooks: .xlsx parts where calamine finds them, .xlsb records and shared strings, .xls
// shared strings counted per cell (issue 27).
mod workbook_limits;
// Hostile survey files made byte by byte: SPSS system files and workbooks.
mod craft;
// Formula-like text neutralised, German-Excel CSV, workbooks read back cell by cell.
mod tables;
// `validate` on broken files, one fixture per problem.
mod validate;
// Two waves compared: the planted changes of the two-wave stand-in recovered, no change where
// none was made, the outputs replayed by `verify`.
mod waves;
// Survey weights: duplicated rows equal weight 2, equal weights change nothing, bad weights refused.
mod weights;
