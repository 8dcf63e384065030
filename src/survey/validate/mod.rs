//! Checking every cell of a survey file against the codebook: header, identifiers, codes and value
//! labels, ranges, routing (`asked_if`) and the rules across variables. Every problem is collected
//! (the caller caps how many are shown); a file with none becomes a typed [`Survey`]. This file
//! holds the entry points and what they return; `load` reads a file of any format and hands its
//! rows to `blocks`, which checks them block by block in parallel with the header (`header`),
//! each cell (`cells`, with what every block shares in `context`), each row's routing and rules
//! (`rows`, as `rules` resolves them from the codebook) and the identifiers (`identifiers`).

mod blocks;
mod cells;
mod context;
mod header;
mod identifiers;
mod load;
mod rows;
mod rules;
#[cfg(test)]
mod tests;

use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use super::read::BLOCK_BYTES;
use super::source::{self, ReadOptions, SourceInfo};
use super::table::Routing;
use super::{Codebook, Dialect, Problem, Problems, Survey, SurveyError};
use load::{load_checked, load_file_in_blocks};

/// A survey that passed every check, with what was detected about its file.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub survey: Survey,
    pub dialect: Dialect,
    /// What was read by a stated rule but deserves a look (a stray byte in a comment line,
    /// identifiers that differ only in case); `validate` lists them, the other commands print
    /// them on stderr.
    pub warnings: Vec<Problem>,
    /// The file's format (when not CSV) and the column mapping used.
    pub source: SourceInfo,
    /// The codebook variables the file lacks, read as not answered in every row (only where the
    /// command asked for some columns alone: `load_file` with `required`), in codebook order.
    pub absent: Vec<String>,
}

/// Missing values of one variable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingSummary {
    pub variable: String,
    /// Empty or the non-response code.
    pub no_answer: usize,
    /// Routed past the question.
    pub not_applicable: usize,
}

impl Loaded {
    /// Missing values per variable, in codebook order.
    pub fn missing(&self) -> Vec<MissingSummary> {
        let survey = &self.survey;
        let variables = &survey.codebook().variables;
        // the rows routed past a question, counted once per condition (many questions share one)
        let mut conditions: Vec<(&super::AskedIf, usize)> = Vec::new();
        for (i, v) in variables.iter().enumerate() {
            if let Some(c) = &v.asked_if {
                if !conditions.iter().any(|(d, _)| *d == c) {
                    conditions.push((c, i));
                }
            }
        }
        let routed_past: Vec<usize> = conditions
            .par_iter()
            .map(|&(_, i)| match survey.routing(i) {
                Routing::Always => 0,
                routing => (0..survey.len()).filter(|&row| !routing.asked(row)).count(),
            })
            .collect();
        variables
            .par_iter()
            .zip(survey.columns().par_iter())
            .map(|(v, column)| {
                let not_applicable = v.asked_if.as_ref().map_or(0, |c| {
                    let at = conditions.iter().position(|(d, _)| *d == c);
                    at.map_or(0, |at| routed_past[at])
                });
                MissingSummary {
                    variable: v.name.clone(),
                    no_answer: column.missing().saturating_sub(not_applicable),
                    not_applicable,
                }
            })
            .collect()
    }
}

/// Reads and checks a survey file.
pub fn load_path(path: &Path, codebook: Arc<Codebook>) -> Result<Loaded, SurveyError> {
    let bytes = crate::output::read_file(path)?;
    load_bytes(&bytes, &path.display().to_string(), codebook)
}

/// Checks a survey file given as bytes; `file` names it in messages.
pub fn load_bytes(
    bytes: &[u8],
    file: &str,
    codebook: Arc<Codebook>,
) -> Result<Loaded, SurveyError> {
    load_bytes_with(bytes, file, move || Ok(codebook))
}

/// [`load_bytes`] with the codebook still to be made (read and parsed): that happens on a second
/// thread while the file is decoded and its header read, which needs no codebook. A codebook error
/// comes before any problem of the file.
///
/// A large file is read and checked in blocks of whole records ([`BLOCK_BYTES`]), several at a
/// time in parallel; each record's cells are typed straight into the survey's compact columns (the
/// routing and the rules checked on the row's codes), and no text is kept beyond the record. The problems are the same, in the same order, as when the file is one block.
pub fn load_bytes_with(
    bytes: &[u8],
    file: &str,
    codebook: impl FnOnce() -> Result<Arc<Codebook>, SurveyError> + Send,
) -> Result<Loaded, SurveyError> {
    load_checked(
        || source::parse(bytes, file, &ReadOptions::default()),
        file,
        &ReadOptions::default(),
        codebook,
        None,
        BLOCK_BYTES,
    )
}

/// [`load_bytes_with`] for a file that may hold only some of the codebook's columns: the
/// identifier and every name in `required` must be there; a codebook column that is absent is read
/// as not answered in every row (so a file with an identifier and the eleven goals can be
/// classified). Every column that is there is checked as in a full file.
pub fn load_bytes_with_columns(
    bytes: &[u8],
    file: &str,
    options: &ReadOptions,
    codebook: impl FnOnce() -> Result<Arc<Codebook>, SurveyError> + Send,
    required: &[String],
) -> Result<Loaded, SurveyError> {
    load_checked(
        || source::parse(bytes, file, options),
        file,
        options,
        codebook,
        Some(required),
        BLOCK_BYTES,
    )
}

/// [`load_bytes_with`] for a file of any format (CSV, SPSS .sav/.zsav, a workbook's sheet), read
/// as `options` say (the sheet, a column mapping).
pub fn load_bytes_as(
    bytes: &[u8],
    file: &str,
    options: &ReadOptions,
    codebook: impl FnOnce() -> Result<Arc<Codebook>, SurveyError> + Send,
) -> Result<Loaded, SurveyError> {
    load_checked(
        || source::parse(bytes, file, options),
        file,
        options,
        codebook,
        None,
        BLOCK_BYTES,
    )
}

/// Reads and checks the survey file at `path` (of any format, read as `options` say), returning
/// it with the SHA-256 of the file as read. A plain UTF-8 text file (LF line endings, no blank
/// line) is not held in memory whole: it is scanned in pieces (its digest taken, its text checked,
/// where its blocks of records start found), then read from disk and checked block by block
/// ([`super::scan`]). Any other file is read whole, as [`load_bytes_as`] reads it. With
/// `required`, the file may hold only the identifier and those columns, as in
/// [`load_bytes_with_columns`].
pub fn load_file(
    path: &Path,
    options: &ReadOptions,
    codebook: impl FnOnce() -> Result<Arc<Codebook>, SurveyError> + Send,
    required: Option<&[String]>,
) -> Result<(Loaded, String), SurveyError> {
    load_file_in_blocks(path, options, codebook, required, BLOCK_BYTES)
}

/// The error of a file with `problems`.
fn invalid(
    file: &str,
    problems: Vec<Problem>,
    note: Option<String>,
    warnings: Vec<Problem>,
) -> SurveyError {
    SurveyError::Invalid(Problems {
        file: file.to_string(),
        problems,
        note,
        warnings,
    })
}
