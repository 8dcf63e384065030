//! Checking the rows of a survey file block by block, several blocks at a time in parallel: the
//! header first, then the decimal mark decided from the cells of the whole file, then every block's
//! cells, routing and rules, the blocks' columns joined into the survey and the identifiers
//! checked across all of them; the problems in the order of the file.

use std::sync::Arc;

use rayon::prelude::*;

use super::context::{trimmed, CheckedBlock, Context, ReadBlock};
use super::header::check_header;
use super::identifiers::check_identifiers;
use super::{invalid, Loaded};
use crate::survey::limits::MAX_PROBLEMS;
use crate::survey::numbers::{DecimalMark, MarkEvidence};
use crate::survey::read::{no_data_rows, BROKEN_ROWS};
use crate::survey::source::SourceInfo;
use crate::survey::{Codebook, Dialect, Kind, Problem, Survey, SurveyError, Values};

/// What is known of a file before its data rows are read.
pub(super) struct Head<'h> {
    pub dialect: Dialect,
    /// The column names as the codebook names them.
    pub header: &'h [String],
    /// For each name of `header`, the field of a record that holds it (none: the column is absent
    /// and read as blank).
    pub fields: Vec<Option<usize>>,
    pub header_row: usize,
    pub warnings: Vec<Problem>,
    /// About as many rows as the file has (at least as many), to allocate the columns once.
    pub rows_hint: usize,
}

/// The blocks read together: enough to keep every thread busy, few enough to bound the memory.
fn groups(n: usize) -> impl Iterator<Item = std::ops::Range<usize>> {
    let group = 2 * rayon::current_num_threads().max(1);
    (0..n)
        .step_by(group)
        .map(move |start| start..n.min(start + group))
}

/// Reads the `n` blocks of data rows with `read` (block `i` holds rows after those of block
/// `i - 1`), several at a time in parallel, and checks them.
pub(super) fn check_blocks(
    head: Head<'_>,
    codebook: &Arc<Codebook>,
    n: usize,
    read: &ReadBlock<'_>,
    file: &str,
    source: SourceInfo,
) -> Result<Loaded, SurveyError> {
    let header_problems = check_header(head.header, head.header_row, codebook);
    if !header_problems.is_empty() {
        return Err(header_failure(head, header_problems, n, read, file));
    }
    let field_of = fields_of(&head, codebook);
    let mark = decimal_mark(&head, codebook, n, read, &field_of);

    // blocks hold about as many bytes each, so about as many rows (room for an eighth more where
    // there are several; the hint counts lines, which blank lines and quoted line breaks make more
    // than rows, so a block reserves at most 65,536 rows and grows beyond)
    let per_block = head.rows_hint.div_ceil(n.max(1));
    let block_rows = if n > 1 {
        per_block + per_block / 8
    } else {
        per_block
    }
    .min(1 << 16);
    let context = Context::new(codebook, mark, field_of, block_rows);
    let mut all = CheckedBlock {
        rows: Vec::with_capacity(head.rows_hint),
        columns: codebook
            .variables
            .iter()
            .map(|v| {
                let mut column = Values::empty_for(v, 0);
                column.reserve(head.rows_hint);
                column
            })
            .collect(),
        structure: Vec::new(),
        cells: Vec::new(),
        routing: Vec::new(),
        rules: Vec::new(),
        stopped: false,
    };
    for blocks in groups(n) {
        let checked: Vec<CheckedBlock> = blocks
            .into_par_iter()
            .map(|i| context.check(i, read))
            .collect();
        for block in checked {
            // a block's rows all come after an earlier block's: once the problems found reach
            // the limit, a later block's cannot be among the first
            let found = all.cells.len() + all.routing.len() + all.rules.len();
            if all.structure.len() >= MAX_PROBLEMS || found >= MAX_PROBLEMS {
                all.stopped = true;
                continue;
            }
            all.structure.extend(block.structure);
            if !all.structure.is_empty() {
                continue;
            }
            all.stopped |= block.stopped;
            for (column, part) in all.columns.iter_mut().zip(block.columns) {
                column.append(part);
            }
            all.rows.extend(block.rows);
            all.cells.extend(block.cells);
            all.routing.extend(block.routing);
            all.rules.extend(block.rules);
        }
    }
    finish(head, all, codebook, file, source)
}

/// The note of a check that stopped at [`MAX_PROBLEMS`].
fn stopped_note() -> String {
    format!("The check stopped after the first {MAX_PROBLEMS} problems (in the order of the file): fix these and check the file again.")
}

/// The error of a file whose header does not match the codebook; a broken row structure is
/// reported before the header.
fn header_failure(
    head: Head<'_>,
    header_problems: Vec<Problem>,
    n: usize,
    read: &ReadBlock<'_>,
    file: &str,
) -> SurveyError {
    let mut structure = Vec::new();
    let mut rows = 0;
    for blocks in groups(n) {
        let read: Vec<(usize, Vec<Problem>)> = blocks
            .into_par_iter()
            .map(|i| {
                let mut rows = 0;
                let problems = read(i, &mut |_, _| rows += 1);
                (rows, problems)
            })
            .collect();
        for (n, problems) in read {
            rows += n;
            structure.extend(problems);
        }
    }
    if !structure.is_empty() {
        invalid(file, structure, Some(BROKEN_ROWS.into()), Vec::new())
    } else if rows == 0 {
        invalid(file, vec![no_data_rows(head.header_row)], None, Vec::new())
    } else {
        invalid(
            file,
            header_problems,
            Some("The header does not match the codebook, so the cells were not checked.".into()),
            head.warnings,
        )
    }
}

/// The field of each codebook variable (the header has been checked: each is there once).
fn fields_of(head: &Head<'_>, codebook: &Codebook) -> Vec<Option<usize>> {
    codebook
        .variables
        .iter()
        .map(|v| {
            let at = head
                .header
                .iter()
                .position(|h| *h == v.name)
                .expect("header checked");
            head.fields[at]
        })
        .collect()
}

/// The decimal mark, from the cells of the whole file (a comma decides at the first one).
fn decimal_mark(
    head: &Head<'_>,
    codebook: &Codebook,
    n: usize,
    read: &ReadBlock<'_>,
    field_of: &[Option<usize>],
) -> DecimalMark {
    if head.dialect.separator == b',' {
        return DecimalMark::Point;
    }
    let mut evidence = MarkEvidence::default();
    for blocks in groups(n) {
        let found: Vec<MarkEvidence> = blocks
            .into_par_iter()
            .map(|i| mark_evidence(i, read, codebook, field_of))
            .collect();
        evidence = found.into_iter().fold(evidence, MarkEvidence::merge);
        if evidence.decided_by_comma() {
            break;
        }
    }
    DecimalMark::from_evidence(head.dialect.separator, evidence)
}

/// The survey from the blocks checked and joined, or every problem found in the order of the
/// file (the identifiers checked across all blocks).
fn finish(
    head: Head<'_>,
    all: CheckedBlock,
    codebook: &Arc<Codebook>,
    file: &str,
    source: SourceInfo,
) -> Result<Loaded, SurveyError> {
    if !all.structure.is_empty() {
        let mut structure = all.structure;
        let note = if structure.len() > MAX_PROBLEMS || all.stopped {
            structure.truncate(MAX_PROBLEMS);
            format!("{BROKEN_ROWS} {}", stopped_note())
        } else {
            BROKEN_ROWS.to_string()
        };
        return Err(invalid(file, structure, Some(note), Vec::new()));
    }
    if all.rows.is_empty() {
        return Err(invalid(
            file,
            vec![no_data_rows(head.header_row)],
            None,
            Vec::new(),
        ));
    }
    let mut warnings = head.warnings;
    let identifier = codebook.identifier();
    let id_position = codebook.position(&identifier.name).expect("a variable");
    let Values::Ids(ids) = &all.columns[id_position] else {
        unreachable!("the identifier column holds identifiers")
    };
    let identifiers = check_identifiers(
        &identifier.name,
        &codebook.meta.unit,
        ids,
        &all.rows,
        &mut warnings,
    );
    let mut problems = all.cells;
    problems.extend(identifiers);
    problems.extend(all.routing);
    problems.extend(all.rules);
    if !problems.is_empty() {
        problems.sort_by_key(|p| {
            (
                p.row.unwrap_or(0),
                p.column
                    .as_deref()
                    .and_then(|c| codebook.position(c))
                    .unwrap_or(0),
            )
        });
        let note = (problems.len() > MAX_PROBLEMS || all.stopped).then(stopped_note);
        problems.truncate(MAX_PROBLEMS);
        return Err(invalid(file, problems, note, warnings));
    }
    let absent = head
        .header
        .iter()
        .zip(&head.fields)
        .filter(|(_, f)| f.is_none())
        .map(|(name, _)| name.clone())
        .collect();
    Ok(Loaded {
        survey: Survey::new(Arc::clone(codebook), all.columns)?,
        dialect: head.dialect,
        warnings,
        source,
        absent,
    })
}

/// The decimal-mark evidence of block `i`'s cells that are not identifiers, row by row and in
/// codebook order within a row.
pub(super) fn mark_evidence(
    i: usize,
    read: &ReadBlock<'_>,
    codebook: &Codebook,
    field_of: &[Option<usize>],
) -> MarkEvidence {
    let columns: Vec<(&str, usize, bool)> = codebook
        .variables
        .iter()
        .zip(field_of)
        .filter(|(v, _)| !v.kind.is_text())
        .filter_map(|(v, f)| Some((v.name.as_str(), (*f)?, v.kind == Kind::Decimal)))
        .collect();
    let mut evidence = MarkEvidence::default();
    read(i, &mut |row, fields| {
        if evidence.decided_by_comma() {
            return;
        }
        let cells = columns.iter().filter_map(|&(name, f, decimal)| {
            let text = trimmed(fields[f]);
            (!text.is_empty()).then_some((row, name, text, decimal))
        });
        evidence = std::mem::take(&mut evidence).merge(MarkEvidence::of(cells));
    });
    evidence
}
