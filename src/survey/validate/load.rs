//! Reading a survey file of any format for the checks: a plain text file from disk in blocks (or
//! any file from its bytes), the codebook made on a second thread meanwhile, the columns mapped,
//! and the rows handed to the block checker.

use std::path::Path;
use std::sync::Arc;

use super::blocks::{check_blocks, Head};
use super::{invalid, Loaded};
use crate::survey::read::scan::{self, Scanned, Stamp};
use crate::survey::read::{RawTable, Unreadable};
use crate::survey::source::{self, Body, Parsed, ReadOptions, SourceInfo};
use crate::survey::{Codebook, Problem, SurveyError};

pub(super) fn load_file_in_blocks(
    path: &Path,
    options: &ReadOptions,
    codebook: impl FnOnce() -> Result<Arc<Codebook>, SurveyError> + Send,
    required: Option<&[String]>,
    block_bytes: usize,
) -> Result<(Loaded, String), SurveyError> {
    let file = path.display().to_string();
    let reading = crate::output::FileError::reading(path);
    let scanned = if source::named_as_text(&file, options) {
        scan::scan(path, block_bytes).map_err(reading)?
    } else {
        Scanned::Other
    };
    match scanned {
        Scanned::Plain {
            prepared,
            sha256,
            stamp,
        } => {
            let loaded = load_checked(
                || Ok(Parsed::Text(*prepared)),
                &file,
                options,
                codebook,
                required,
                block_bytes,
            )?;
            if Stamp::of(path).ok().as_ref() != Some(&stamp) {
                let changed = Problem::file(
                    "changed while it was read (its size or time of change differ from when reading began); read it again when nothing writes to it",
                );
                return Err(invalid(&file, vec![changed], None, Vec::new()));
            }
            Ok((loaded, sha256))
        }
        Scanned::Other => {
            let bytes = crate::output::read_file(path)?;
            let (loaded, sha256) = rayon::join(
                || {
                    load_checked(
                        || source::parse(&bytes, &file, options),
                        &file,
                        options,
                        codebook,
                        required,
                        block_bytes,
                    )
                },
                || crate::output::sha256_hex(&bytes),
            );
            Ok((loaded?, sha256))
        }
    }
}

pub(super) fn load_checked<'a>(
    parse: impl FnOnce() -> Result<Parsed<'a>, Unreadable>,
    file: &str,
    options: &ReadOptions,
    codebook: impl FnOnce() -> Result<Arc<Codebook>, SurveyError> + Send,
    required: Option<&[String]>,
    block_bytes: usize,
) -> Result<Loaded, SurveyError> {
    let (codebook, parsed) = std::thread::scope(|scope| {
        let book = scope.spawn(codebook);
        let parsed = parse();
        let book = book
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (book, parsed)
    });
    let codebook = codebook?;
    let unreadable = |u: Unreadable| invalid(file, u.problems, u.note, Vec::new());
    let (body, source) = match parsed.map_err(unreadable)?.finish(&codebook, options) {
        Ok(finished) => finished,
        Err(u) => return Err(unreadable(u)),
    };
    match body {
        Body::Text {
            prepared,
            mut header,
            keep,
        } => {
            // the file's field of each header name: the columns the mapping keeps, then none for
            // the absent columns read as blank
            let mut fields: Vec<Option<usize>> = keep
                .iter()
                .enumerate()
                .filter(|(_, &k)| k)
                .map(|(i, _)| Some(i))
                .collect();
            if let Some(required) = required {
                let blanks = blank_columns(&header, &codebook, required);
                fields.extend(blanks.iter().map(|_| None));
                header.extend(blanks);
            }
            let spans = prepared.blocks(block_bytes);
            let read = |i: usize, visit: &mut dyn FnMut(usize, &[&str])| {
                prepared.records(&spans[i], visit)
            };
            let head = Head {
                dialect: prepared.dialect.clone(),
                header: &header,
                fields,
                header_row: prepared.header_row,
                warnings: prepared.warnings.clone(),
                rows_hint: prepared.data_lines(),
            };
            check_blocks(head, &codebook, spans.len(), &read, file, source)
        }
        Body::Table(raw) => {
            let blanks = match required {
                Some(required) => blank_columns(&raw.header, &codebook, required),
                None => Vec::new(),
            };
            check_raw(raw, blanks, file, &codebook, source)
        }
    }
}

/// The codebook variables a file may lack (read as not answered in every row): all but the
/// identifier, those in `required` (which stay missing, so the header check names them) and those
/// the header has.
fn blank_columns(header: &[String], codebook: &Codebook, required: &[String]) -> Vec<String> {
    let identifier = &codebook.identifier().name;
    codebook
        .variables
        .iter()
        .filter(|v| {
            &v.name != identifier && !required.contains(&v.name) && !header.contains(&v.name)
        })
        .map(|v| v.name.clone())
        .collect()
}

/// Checks a table of text cells read by another reader (a workbook, an SPSS file) against the
/// codebook, as a survey file's cells are checked, with the codebook columns in `blanks` read as
/// blank; `file` names it in messages.
pub(super) fn check_raw(
    raw: RawTable,
    blanks: Vec<String>,
    file: &str,
    codebook: &Arc<Codebook>,
    source: SourceInfo,
) -> Result<Loaded, SurveyError> {
    let RawTable {
        dialect,
        mut header,
        header_row,
        rows,
        columns,
        warnings,
    } = raw;
    let mut fields: Vec<Option<usize>> = (0..header.len()).map(Some).collect();
    fields.extend(blanks.iter().map(|_| None));
    header.extend(blanks);
    let read = |_: usize, visit: &mut dyn FnMut(usize, &[&str])| {
        let mut cells: Vec<&str> = Vec::with_capacity(columns.len());
        for (i, &row) in rows.iter().enumerate() {
            cells.clear();
            cells.extend(columns.iter().map(|c| c.get(i).unwrap_or_default()));
            visit(row, &cells);
        }
        Vec::new()
    };
    let head = Head {
        dialect,
        header: &header,
        fields,
        header_row,
        warnings,
        rows_hint: rows.len(),
    };
    check_blocks(head, codebook, 1, &read, file, source)
}
