//! Checking every cell of a survey file against the codebook: header, identifiers, codes and value
//! labels, ranges, routing (`asked_if`) and the rules across variables. Every problem is collected
//! (the caller caps how many are shown); a file with none becomes a typed [`Survey`].

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use std::hash::Hasher;
use std::path::Path;
use std::sync::Arc;

use unicode_normalization::UnicodeNormalization;

use rayon::prelude::*;

use super::numbers::{DecimalMark, MarkEvidence, Reading};
use super::read::{no_data_rows, RawTable, BLOCK_BYTES, BROKEN_ROWS};
use super::scan::{self, Scanned, Stamp};
use super::source::{self, Body, Parsed, ReadOptions, SourceInfo};
use super::table::Routing;
use super::{
    Codebook, Dialect, Kind, Problem, Problems, Rule, Survey, SurveyError, Values, Variable,
};

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

fn load_file_in_blocks(
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

fn load_checked<'a>(
    parse: impl FnOnce() -> Result<Parsed<'a>, super::read::Unreadable>,
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
    let unreadable = |u: super::read::Unreadable| invalid(file, u.problems, u.note, Vec::new());
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
fn check_raw(
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

/// What is known of a file before its data rows are read.
struct Head<'h> {
    dialect: Dialect,
    /// The column names as the codebook names them.
    header: &'h [String],
    /// For each name of `header`, the field of a record that holds it (none: the column is absent
    /// and read as blank).
    fields: Vec<Option<usize>>,
    header_row: usize,
    warnings: Vec<Problem>,
    /// About as many rows as the file has (at least as many), to allocate the columns once.
    rows_hint: usize,
}

/// Reads block `i` of a file's data rows: visits each record in order with its spreadsheet row and
/// its fields, and returns the records whose structure is broken (those are not visited).
type ReadBlock<'r> = dyn Fn(usize, &mut dyn FnMut(usize, &[&str])) -> Vec<Problem> + Sync + 'r;

/// The text of a field as checked: without surrounding blanks.
fn trimmed(field: &str) -> &str {
    match (field.as_bytes().first(), field.as_bytes().last()) {
        (Some(&a), Some(&b)) if a > b' ' && a < 0x80 && b > b' ' && b < 0x80 => field,
        _ => field.trim(),
    }
}

/// Reads the `n` blocks of data rows with `read` (block `i` holds rows after those of block
/// `i - 1`), several at a time in parallel, and checks them.
fn check_blocks(
    head: Head<'_>,
    codebook: &Arc<Codebook>,
    n: usize,
    read: &ReadBlock<'_>,
    file: &str,
    source: SourceInfo,
) -> Result<Loaded, SurveyError> {
    // blocks read together: enough to keep every thread busy, few enough to bound the memory
    let group = 2 * rayon::current_num_threads().max(1);
    let groups = || {
        (0..n)
            .step_by(group)
            .map(move |start| start..n.min(start + group))
    };

    let header_problems = check_header(head.header, head.header_row, codebook);
    if !header_problems.is_empty() {
        // a broken row structure is reported before the header
        let mut structure = Vec::new();
        let mut rows = 0;
        for blocks in groups() {
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
        return Err(if !structure.is_empty() {
            invalid(file, structure, Some(BROKEN_ROWS.into()), Vec::new())
        } else if rows == 0 {
            invalid(file, vec![no_data_rows(head.header_row)], None, Vec::new())
        } else {
            invalid(
                file,
                header_problems,
                Some(
                    "The header does not match the codebook, so the cells were not checked.".into(),
                ),
                head.warnings,
            )
        });
    }
    // the field of each codebook variable
    let field_of: Vec<Option<usize>> = codebook
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
        .collect();

    // the decimal mark, from the cells of the whole file (a comma decides at the first one)
    let mark = if head.dialect.separator == b',' {
        DecimalMark::Point
    } else {
        let mut evidence = MarkEvidence::default();
        for blocks in groups() {
            let found: Vec<MarkEvidence> = blocks
                .into_par_iter()
                .map(|i| mark_evidence(i, read, codebook, &field_of))
                .collect();
            evidence = found.into_iter().fold(evidence, MarkEvidence::merge);
            if evidence.decided_by_comma() {
                break;
            }
        }
        DecimalMark::from_evidence(head.dialect.separator, evidence)
    };

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
    let mut structure = Vec::new();
    let mut columns: Vec<Values> = codebook
        .variables
        .iter()
        .map(|v| {
            let mut column = Values::empty_for(v, 0);
            column.reserve(head.rows_hint);
            column
        })
        .collect();
    let mut rows = Vec::with_capacity(head.rows_hint);
    let (mut cells, mut routing, mut rules) = (Vec::new(), Vec::new(), Vec::new());
    for blocks in groups() {
        let checked: Vec<CheckedBlock> = blocks
            .into_par_iter()
            .map(|i| context.check(i, read))
            .collect();
        for block in checked {
            structure.extend(block.structure);
            if !structure.is_empty() {
                continue;
            }
            for (all, part) in columns.iter_mut().zip(block.columns) {
                all.append(part);
            }
            rows.extend(block.rows);
            cells.extend(block.cells);
            routing.extend(block.routing);
            rules.extend(block.rules);
        }
    }
    if !structure.is_empty() {
        return Err(invalid(
            file,
            structure,
            Some(BROKEN_ROWS.into()),
            Vec::new(),
        ));
    }
    if rows.is_empty() {
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
    let Values::Ids(ids) = &columns[id_position] else {
        unreachable!("the identifier column holds identifiers")
    };
    let identifiers = check_identifiers(&identifier.name, ids, &rows, &mut warnings);
    let mut problems = cells;
    problems.extend(identifiers);
    problems.extend(routing);
    problems.extend(rules);
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
        return Err(invalid(file, problems, None, warnings));
    }
    Ok(Loaded {
        survey: Survey::new(Arc::clone(codebook), columns)?,
        dialect: head.dialect,
        warnings,
        source,
    })
}

/// The decimal-mark evidence of block `i`'s cells that are not identifiers, row by row and in
/// codebook order within a row.
fn mark_evidence(
    i: usize,
    read: &ReadBlock<'_>,
    codebook: &Codebook,
    field_of: &[Option<usize>],
) -> MarkEvidence {
    let columns: Vec<(&str, usize, bool)> = codebook
        .variables
        .iter()
        .zip(field_of)
        .filter(|(v, _)| v.kind != Kind::Identifier)
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

/// Header problems: empty, duplicate, unknown and missing column names.
fn check_header(header: &[String], header_row: usize, codebook: &Codebook) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut seen = HashMap::new();
    for (i, name) in header.iter().enumerate() {
        if name.is_empty() {
            problems.push(Problem::row(
                header_row,
                format!(
                    "column {} has no name; expected a codebook variable name",
                    i + 1
                ),
            ));
            continue;
        }
        if let Some(first) = seen.insert(name.as_str(), i) {
            problems.push(Problem::column(
                name,
                format!(
                    "appears twice in the header (columns {} and {}); expected each variable once",
                    first + 1,
                    i + 1
                ),
            ));
        }
        if codebook.variable(name).is_none() {
            let hint = codebook
                .variables
                .iter()
                .find(|v| v.name.eq_ignore_ascii_case(name))
                .map(|v| format!(" (did you mean '{}'?)", v.name))
                .unwrap_or_default();
            problems.push(Problem::column(
                name,
                format!("is not in the codebook{hint}; expected only codebook variables"),
            ));
        }
    }
    for v in &codebook.variables {
        if !seen.contains_key(v.name.as_str()) {
            problems.push(Problem::column(
                &v.name,
                format!("is missing; the codebook expects it ({})", v.label_en),
            ));
        }
    }
    problems
}

/// Empty, invisible and duplicate identifiers (`ids` as read, empty when the cell was, with each
/// one's spreadsheet row). Identifiers are compared after Unicode NFC normalisation (`Köln` typed
/// as one character or as `o` and a combining diaeresis is the same municipality); a zero-width
/// character is an error, because it makes two identifiers that look the same differ;
/// identifiers that differ only in case are a warning (pushed to `warnings`).
fn check_identifiers(
    name: &str,
    ids: &[String],
    rows: &[usize],
    warnings: &mut Vec<Problem>,
) -> Vec<Problem> {
    // each identifier that can be kept with the hash of its case-folded form, sorted by hash (and
    // row): identifiers that may be the same (duplicates, other case, or a collision) end up
    // side by side, and only those are compared
    let mut keyed: Vec<(u64, u32)> = ids
        .par_iter()
        .enumerate()
        .filter(|(_, id)| !id.is_empty() && (id.is_ascii() || !id.chars().any(is_zero_width)))
        .map(|(i, id)| (IdKey::of(id).folded_hash(), i as u32))
        .collect();
    keyed.par_sort_unstable();
    let mut found: Vec<(usize, Problem)> = Vec::new();
    let mut case_variants: Vec<(usize, Problem)> = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        if id.is_empty() {
            found.push((
                i,
                Problem {
                    row: Some(rows[i]),
                    column: Some(name.to_string()),
                    value: None,
                    message: "is empty; expected a unique identifier for every municipality".into(),
                },
            ));
        } else if let Some((at, c)) = (!id.is_ascii())
            .then(|| id.chars().enumerate().find(|(_, c)| is_zero_width(*c)))
            .flatten()
        {
            found.push((
                i,
                Problem::cell(
                    rows[i],
                    name,
                    &show_invisible(id),
                    format!(
                        "holds an invisible zero-width character (U+{:04X}, character {}); expected an identifier without it, so that identifiers that look the same are the same",
                        u32::from(c),
                        at + 1
                    ),
                ),
            ));
        }
    }
    for group in keyed.chunk_by(|a, b| a.0 == b.0).filter(|g| g.len() > 1) {
        // row by row as read: each identifier against those kept before it
        let mut kept: Vec<usize> = Vec::new();
        for &(_, i) in group {
            let i = i as usize;
            let (id, key) = (&ids[i], IdKey::of(&ids[i]));
            let mut same_case: Option<usize> = None;
            let mut duplicate: Option<usize> = None;
            for &j in &kept {
                let other = IdKey::of(&ids[j]);
                if other.nfc == key.nfc {
                    duplicate = Some(j);
                    break;
                }
                if same_case.is_none() && other.folds_like(&key) {
                    same_case = Some(j);
                }
            }
            if let Some(j) = duplicate {
                let as_written = &ids[j];
                let form = if as_written == id {
                    String::new()
                } else {
                    format!(
                        " as '{as_written}': the same text in another Unicode normalisation form"
                    )
                };
                found.push((
                    i,
                    Problem::cell(
                        rows[i],
                        name,
                        id,
                        format!(
                            "is a duplicate identifier (first in row {}{form}); expected each municipality once",
                            rows[j]
                        ),
                    ),
                ));
                continue;
            }
            if let Some(j) = same_case {
                case_variants.push((
                    i,
                    Problem::cell(
                        rows[i],
                        name,
                        id,
                        format!(
                            "differs from the identifier in row {} ('{}') only in upper and lower case; both are kept as different municipalities: check that they are",
                            rows[j], ids[j]
                        ),
                    ),
                ));
            }
            kept.push(i);
        }
    }
    found.sort_by_key(|(i, _)| *i);
    case_variants.sort_by_key(|(i, _)| *i);
    warnings.extend(case_variants.into_iter().map(|(_, p)| p));
    found.into_iter().map(|(_, p)| p).collect()
}

/// An identifier as compared: its NFC form, and its lower-case form (as `str::to_lowercase`
/// makes it). An ASCII identifier is its own NFC form and is folded by ASCII case, without copies.
struct IdKey<'a> {
    nfc: Cow<'a, str>,
    folded: Cow<'a, str>,
}

impl<'a> IdKey<'a> {
    fn of(id: &'a str) -> IdKey<'a> {
        if id.is_ascii() {
            return IdKey {
                nfc: Cow::Borrowed(id),
                folded: Cow::Borrowed(id),
            };
        }
        let nfc: String = id.nfc().collect();
        let folded = nfc.to_lowercase();
        IdKey {
            nfc: Cow::Owned(nfc),
            folded: Cow::Owned(folded),
        }
    }

    /// Whether the two lower-case forms are equal (a lower-case form has no ASCII capitals, so
    /// comparing ignoring ASCII case is comparing the lower-case forms).
    fn folds_like(&self, other: &IdKey<'_>) -> bool {
        self.folded.eq_ignore_ascii_case(&other.folded)
    }

    fn folded_hash(&self) -> u64 {
        let mut h = rustc_hash::FxHasher::default();
        for chunk in self.folded.as_bytes().chunks(8) {
            let mut word = [0u8; 8];
            for (w, b) in word.iter_mut().zip(chunk) {
                *w = b.to_ascii_lowercase();
            }
            h.write_u64(u64::from_le_bytes(word));
        }
        h.write_usize(self.folded.len());
        h.finish()
    }
}

/// A rule across variables with the columns it reads (codebook positions of coded variables).
enum RowRule<'a> {
    AtMost {
        n: usize,
        variables: Vec<(&'a str, usize)>,
        what: &'a str,
    },
    Exclusive {
        variable: &'a str,
        none: usize,
        variables: Vec<(&'a str, usize)>,
        what: &'a str,
    },
    SizeClass {
        var: &'a Variable,
        class: usize,
        count_name: &'a str,
        count: usize,
        what: &'a str,
    },
}

/// A question asked only when a filter holds a code: where both are in the codebook.
struct Routed<'a> {
    position: usize,
    filter: usize,
    filter_name: &'a str,
    codes: &'a [i64],
    /// The filter's codes for messages ("1 or 2").
    wanted: String,
}

/// What the checks of every block share: the codebook, the decimal mark, where each variable is
/// in the file, each coded variable's value labels and allowed codes, the routing and the rules.
struct Context<'a> {
    codebook: &'a Codebook,
    mark: DecimalMark,
    /// The field of each codebook variable (none: absent, read as blank).
    field_of: Vec<Option<usize>>,
    /// What reading each variable's plain cells needs (codebook order).
    slots: Vec<Slot>,
    /// Rows a block is expected to hold, so that its columns are allocated once.
    block_rows: usize,
    labels: Vec<LabelIndex>,
    allowed: Vec<AllowedCodes>,
    routed: Vec<Routed<'a>>,
    rules: Vec<RowRule<'a>>,
}

/// A block of rows checked: its typed columns (codebook order) and its problems by kind.
struct CheckedBlock {
    rows: Vec<usize>,
    columns: Vec<Values>,
    structure: Vec<Problem>,
    cells: Vec<Problem>,
    routing: Vec<Problem>,
    rules: Vec<Problem>,
}

/// The codes a coded variable allows, for a quick look-up: a bit per code from `low` (codes
/// within 64 of the smallest), the others in a list.
#[derive(Default)]
struct AllowedCodes {
    low: i64,
    bits: u64,
    others: Vec<i64>,
}

impl AllowedCodes {
    fn new(var: &Variable) -> AllowedCodes {
        let low = var.codes.iter().map(|c| c.code).min().unwrap_or(0);
        let mut allowed = AllowedCodes {
            low,
            ..AllowedCodes::default()
        };
        for c in &var.codes {
            match c.code - low {
                d @ 0..=63 => allowed.bits |= 1 << d,
                _ => allowed.others.push(c.code),
            }
        }
        allowed
    }

    fn contains(&self, code: i64) -> bool {
        match code.checked_sub(self.low) {
            Some(d @ 0..=63) => self.bits >> d & 1 == 1,
            _ => self.others.contains(&code),
        }
    }
}

/// A variable's field and what its common cells need, kept together for the loop over a row's
/// cells.
struct Slot {
    field: Option<usize>,
    kind: Kind,
    asked_if: bool,
    min: Option<f64>,
    max: Option<f64>,
}

impl<'a> Context<'a> {
    fn new(
        codebook: &'a Codebook,
        mark: DecimalMark,
        field_of: Vec<Option<usize>>,
        block_rows: usize,
    ) -> Context<'a> {
        let slots = codebook
            .variables
            .iter()
            .zip(&field_of)
            .map(|(var, &field)| Slot {
                field,
                kind: var.kind,
                asked_if: var.asked_if.is_some(),
                min: var.min,
                max: var.max,
            })
            .collect();
        let labels = codebook
            .variables
            .iter()
            .map(|v| LabelIndex::new(v, codebook))
            .collect();
        let allowed = codebook.variables.iter().map(AllowedCodes::new).collect();
        let is_codes =
            |i: usize| !matches!(codebook.variables[i].kind, Kind::Identifier | Kind::Decimal);
        let coded = |name: &str| codebook.position(name).filter(|&i| is_codes(i));
        let routed = codebook
            .variables
            .iter()
            .enumerate()
            .filter_map(|(position, var)| {
                let cond = var.asked_if.as_ref()?;
                let filter = coded(&cond.variable)?;
                is_codes(position).then(|| Routed {
                    position,
                    filter,
                    filter_name: &cond.variable,
                    codes: &cond.codes,
                    wanted: cond
                        .codes
                        .iter()
                        .map(i64::to_string)
                        .collect::<Vec<_>>()
                        .join(" or "),
                })
            })
            .collect();
        let listed = |variables: &'a [String]| -> Vec<(&'a str, usize)> {
            variables
                .iter()
                .filter_map(|v| Some((v.as_str(), coded(v)?)))
                .collect()
        };
        let rules = codebook
            .rules
            .iter()
            .filter_map(|rule| match rule {
                Rule::AtMost { n, variables, what } => Some(RowRule::AtMost {
                    n: *n,
                    variables: listed(variables),
                    what,
                }),
                Rule::Exclusive {
                    variable,
                    variables,
                    what,
                } => Some(RowRule::Exclusive {
                    variable,
                    none: coded(variable)?,
                    variables: listed(variables),
                    what,
                }),
                Rule::SizeClass {
                    variable,
                    count,
                    what,
                } => Some(RowRule::SizeClass {
                    var: codebook.variable(variable)?,
                    class: coded(variable)?,
                    count_name: count,
                    count: coded(count)?,
                    what,
                }),
            })
            .collect();
        Context {
            codebook,
            mark,
            field_of,
            slots,
            block_rows,
            labels,
            allowed,
            routed,
            rules,
        }
    }

    /// How the coded (or whole-number) cell `text` of variable `v` reads when it is empty or a
    /// plain number that every rule of [`Checker::coded`] takes as it is (the common case, read
    /// without a look at the codebook); `None` when that function must decide.
    #[inline]
    fn plain_code(&self, v: usize, slot: &Slot, text: &str) -> Option<Option<Cell>> {
        if text.is_empty() {
            return Some(None);
        }
        let code = plain_whole(text)?;
        let missing = &self.codebook.missing;
        if code == missing.non_response.code {
            return Some(Some(Cell::NoAnswer));
        }
        if code == missing.not_applicable.code {
            return slot.asked_if.then_some(Some(Cell::NotApplicable));
        }
        let valid = match slot.kind {
            Kind::Count | Kind::Integer => {
                let c = code as f64;
                slot.min.is_none_or(|lo| c >= lo) && slot.max.is_none_or(|hi| c <= hi)
            }
            _ => self.allowed[v].contains(code),
        };
        valid.then_some(Some(Cell::Value(code)))
    }

    /// Reads block `i` and checks its cells, row by row: each cell is typed straight into the
    /// block's columns, and its text is gone when the row is checked.
    fn check(&self, i: usize, read: &ReadBlock<'_>) -> CheckedBlock {
        let mut checker = self.checker();
        let structure = read(i, &mut |row, fields| checker.check_row(row, fields));
        CheckedBlock {
            rows: checker.rows,
            columns: checker.columns,
            structure,
            cells: checker.cells,
            routing: checker.routing,
            rules: checker.rules,
        }
    }

    /// A checker for a block of rows, its columns empty.
    fn checker(&self) -> Checker<'_> {
        Checker {
            context: self,
            codebook: self.codebook,
            mark: &self.mark,
            rows: Vec::with_capacity(self.block_rows),
            columns: self
                .codebook
                .variables
                .iter()
                .map(|v| {
                    let mut column = Values::empty_for(v, 0);
                    column.reserve(self.block_rows);
                    column
                })
                .collect(),
            codes: vec![None; self.codebook.variables.len()],
            not_applicable: vec![false; self.codebook.variables.len()],
            cells: Vec::new(),
            routing: Vec::new(),
            rules: Vec::new(),
        }
    }
}

/// The checks of one block's rows and what they found.
struct Checker<'a> {
    context: &'a Context<'a>,
    codebook: &'a Codebook,
    mark: &'a DecimalMark,
    /// Spreadsheet row of each row checked.
    rows: Vec<usize>,
    /// The typed columns (codebook order).
    columns: Vec<Values>,
    /// The current row's codes (codebook order; none when missing or not a coded variable).
    codes: Vec<Option<i64>>,
    /// Whether the current row's cell held the not-applicable code.
    not_applicable: Vec<bool>,
    cells: Vec<Problem>,
    routing: Vec<Problem>,
    rules: Vec<Problem>,
}

/// How a coded cell was read.
#[derive(Debug, PartialEq)]
enum Cell {
    Value(i64),
    NoAnswer,
    NotApplicable,
}

/// A cell of an optional minus sign and at most 18 digits, which every rule reads the same way.
fn plain_whole(text: &str) -> Option<i64> {
    let bytes = text.as_bytes();
    if let [b] = bytes {
        // most codes are one digit
        let d = b.wrapping_sub(b'0');
        return (d <= 9).then_some(i64::from(d));
    }
    let (negative, digits) = match bytes.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, bytes),
    };
    if digits.is_empty() || digits.len() > 18 {
        return None;
    }
    let mut v: i64 = 0;
    for &b in digits {
        let d = b.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        v = v * 10 + i64::from(d);
    }
    Some(if negative { -v } else { v })
}

impl Checker<'_> {
    /// Checks one row's cells (`fields` are the record's), then its routing and the rules.
    fn check_row(&mut self, row: usize, fields: &[&str]) {
        let (context, codebook) = (self.context, self.codebook);
        for (v, slot) in context.slots.iter().enumerate() {
            let text = slot.field.map_or("", |f| trimmed(fields[f]));
            match slot.kind {
                Kind::Identifier => {
                    if let Values::Ids(ids) = &mut self.columns[v] {
                        ids.push(text.to_string());
                    }
                }
                Kind::Decimal => {
                    let cell = (!text.is_empty()).then_some(text);
                    let value = self.decimal(&codebook.variables[v], row, cell);
                    if let Values::Decimal(column) = &mut self.columns[v] {
                        column.push(value);
                    }
                }
                _ => {
                    let read = match context.plain_code(v, slot, text) {
                        Some(read) => read,
                        None => self.coded(v, &codebook.variables[v], row, Some(text)),
                    };
                    self.not_applicable[v] = matches!(read, Some(Cell::NotApplicable));
                    let code = match read {
                        Some(Cell::Value(code)) => Some(code),
                        _ => None,
                    };
                    self.codes[v] = code;
                    if let Values::Codes(column) = &mut self.columns[v] {
                        column.push(code);
                    }
                }
            }
        }
        self.check_routing(row, fields);
        self.check_rules(row);
        self.rows.push(row);
    }

    fn expected(&self, var: &Variable) -> String {
        let missing = &self.codebook.missing;
        let na = if var.asked_if.is_some() {
            format!(", {} (not applicable)", missing.not_applicable.code)
        } else {
            String::new()
        };
        let allowed = match var.kind {
            Kind::Count | Kind::Integer | Kind::Decimal => {
                let what = if var.kind == Kind::Decimal {
                    "a number"
                } else {
                    "a whole number"
                };
                match (var.min, var.max) {
                    (Some(lo), Some(hi)) => format!("{what} from {lo} to {hi}"),
                    (Some(lo), None) => format!("{what} of at least {lo}"),
                    (None, Some(hi)) => format!("{what} of at most {hi}"),
                    (None, None) => what.to_string(),
                }
            }
            _ => describe_codes(var),
        };
        format!(
            "expected {allowed}{na}, {} (no answer) or empty",
            missing.non_response.code
        )
    }

    /// A problem of the cell `text` of `var` in `row`.
    fn cell_problem(&mut self, row: usize, var: &Variable, text: &str, message: String) {
        self.cells
            .push(Problem::cell(row, &var.name, text, message));
    }

    /// Reads the cell of the coded (or whole-number) variable at codebook position `v`.
    fn coded(&mut self, v: usize, var: &Variable, row: usize, cell: Option<&str>) -> Option<Cell> {
        let text = cell?;
        let missing = &self.codebook.missing;
        let (parsed, grouped) = match plain_whole(text) {
            Some(code) => (Some(code), false),
            None => match self.mark.whole(text) {
                Reading::Number(code, grouped) => (Some(code), grouped),
                Reading::NotANumber => (None, false),
                Reading::Invalid(why) => {
                    let msg = format!("{why}; {}", self.expected(var));
                    self.cell_problem(row, var, text, msg);
                    return None;
                }
            },
        };
        // a number written with thousands separators says how it was read
        let read_as = |code: i64| {
            if grouped {
                format!(" (read as {code})")
            } else {
                String::new()
            }
        };
        if let Some(code) = parsed {
            if code == missing.non_response.code {
                return Some(Cell::NoAnswer);
            }
            if code == missing.not_applicable.code {
                if var.asked_if.is_some() {
                    return Some(Cell::NotApplicable);
                }
                let msg = format!(
                    "is the not-applicable code, but every municipality is asked this question; {}",
                    self.expected(var)
                );
                self.cell_problem(row, var, text, msg);
                return None;
            }
            match var.kind {
                Kind::Count | Kind::Integer => {
                    let c = code as f64;
                    if var.min.is_some_and(|lo| c < lo) || var.max.is_some_and(|hi| c > hi) {
                        let msg =
                            format!("is out of range{}; {}", read_as(code), self.expected(var));
                        self.cell_problem(row, var, text, msg);
                        return None;
                    }
                    return Some(Cell::Value(code));
                }
                _ if self.context.allowed[v].contains(code) => return Some(Cell::Value(code)),
                _ => {
                    let msg = format!(
                        "is not an allowed value{}; {}",
                        read_as(code),
                        self.expected(var)
                    );
                    self.cell_problem(row, var, text, msg);
                    return None;
                }
            }
        }
        if var.kind.is_coded() {
            match self.context.labels[v].lookup(text) {
                LabelMatch::One(cell) => {
                    if matches!(cell, Cell::NotApplicable) && var.asked_if.is_none() {
                        let msg = format!(
                            "means not applicable, but every municipality is asked this question; {}",
                            self.expected(var)
                        );
                        self.cell_problem(row, var, text, msg);
                        return None;
                    }
                    return Some(cell);
                }
                LabelMatch::Ambiguous(codes) => {
                    let list: Vec<String> = codes.iter().map(i64::to_string).collect();
                    let msg = format!(
                        "is the label of several codes ({}); expected the code itself",
                        list.join(", ")
                    );
                    self.cell_problem(row, var, text, msg);
                    return None;
                }
                LabelMatch::None => {}
            }
        }
        let what = if var.kind.is_coded() {
            "is neither a code nor a value label"
        } else {
            "is not a whole number"
        };
        let msg = format!("{what}; {}", self.expected(var));
        self.cell_problem(row, var, text, msg);
        None
    }

    fn decimal(&mut self, var: &Variable, row: usize, cell: Option<&str>) -> Option<f64> {
        let text = cell?;
        let (value, grouped) = match self.mark.decimal(text) {
            Reading::Number(v, grouped) => (v, grouped),
            Reading::Invalid(why) => {
                let msg = format!("{why}; {}", self.expected(var));
                self.cell_problem(row, var, text, msg);
                return None;
            }
            Reading::NotANumber => {
                let mark = match self.mark {
                    DecimalMark::Comma(_) => " (decimal comma)",
                    _ => " (decimal point)",
                };
                let msg = format!("is not a number{mark}; {}", self.expected(var));
                self.cell_problem(row, var, text, msg);
                return None;
            }
        };
        if value == self.codebook.missing.non_response.code as f64 {
            return None;
        }
        if var.min.is_none_or(|lo| value >= lo) && var.max.is_none_or(|hi| value <= hi) {
            return Some(value);
        }
        let read_as = if grouped {
            format!(" (read as {value})")
        } else {
            String::new()
        };
        let msg = format!("is out of range{read_as}; {}", self.expected(var));
        self.cell_problem(row, var, text, msg);
        None
    }

    /// The row's answers to questions it was routed past, and its not-applicable codes where it
    /// was asked.
    fn check_routing(&mut self, row: usize, fields: &[&str]) {
        let context = self.context;
        let codebook = self.codebook;
        for routed in &context.routed {
            let v = routed.position;
            let filter_value = self.codes[routed.filter];
            let asked = filter_value.is_some_and(|f| routed.codes.contains(&f));
            let wrong = if !asked && self.codes[v].is_some() {
                true
            } else {
                asked && self.not_applicable[v]
            };
            if !wrong {
                continue;
            }
            let var = &codebook.variables[v];
            let text = context.field_of[v].map_or("", |f| trimmed(fields[f]));
            let shown = filter_value.map_or_else(|| "no answer".to_string(), |f| f.to_string());
            let message = if !asked {
                format!(
                    "answers a question this municipality was not asked ({} is {shown}, the question is asked when it is {}); expected {} or empty",
                    routed.filter_name,
                    routed.wanted,
                    codebook.missing.not_applicable.code
                )
            } else {
                format!(
                    "says not applicable, but the question was asked ({} is {shown}); expected an answer, {} (no answer) or empty",
                    routed.filter_name,
                    codebook.missing.non_response.code
                )
            };
            self.routing
                .push(Problem::cell(row, &var.name, text, message));
        }
    }

    /// The rules across variables, on the row's codes.
    fn check_rules(&mut self, row: usize) {
        let codes = &self.codes;
        for rule in &self.context.rules {
            match rule {
                RowRule::AtMost { n, variables, what } => {
                    let selected = |(_, p): &&(&str, usize)| codes[*p] == Some(1);
                    if variables.iter().filter(selected).count() <= *n {
                        continue;
                    }
                    let chosen: Vec<&str> =
                        variables.iter().filter(selected).map(|(v, _)| *v).collect();
                    self.rules.push(Problem::cell(
                        row,
                        chosen[0],
                        "1",
                        format!(
                            "is one of {} selected {what}: {}; expected at most {n}",
                            chosen.len(),
                            chosen.join(", ")
                        ),
                    ));
                }
                RowRule::Exclusive {
                    variable,
                    none,
                    variables,
                    what,
                } => {
                    if codes[*none] != Some(1) {
                        continue;
                    }
                    let also: Vec<&str> = variables
                        .iter()
                        .filter(|(_, p)| codes[*p] == Some(1))
                        .map(|(v, _)| *v)
                        .collect();
                    if !also.is_empty() {
                        self.rules.push(Problem::cell(
                            row,
                            variable,
                            "1",
                            format!("is selected together with {}: {what}", also.join(", ")),
                        ));
                    }
                }
                RowRule::SizeClass {
                    var,
                    class,
                    count_name,
                    count,
                    what,
                } => {
                    let (Some(class), Some(n)) = (codes[*class], codes[*count]) else {
                        continue;
                    };
                    let Some(code) = var.code(class) else {
                        continue;
                    };
                    let fits =
                        code.min.is_none_or(|lo| n >= lo) && code.max.is_none_or(|hi| n <= hi);
                    if !fits {
                        let right = var
                            .codes
                            .iter()
                            .find(|c| {
                                c.min.is_none_or(|lo| n >= lo) && c.max.is_none_or(|hi| n <= hi)
                            })
                            .map(|c| format!("{} ({})", c.code, c.de))
                            .unwrap_or_else(|| "none".to_string());
                        self.rules.push(Problem::cell(
                            row,
                            &var.name,
                            &class.to_string(),
                            format!("does not fit {count_name} = {n}: {what}; expected {right}"),
                        ));
                    }
                }
            }
        }
    }
}

/// "1-5 (1 = keine Priorität, …, 5 = sehr hohe Priorität)" or the list of codes when few.
fn describe_codes(var: &Variable) -> String {
    let codes: Vec<i64> = var.codes.iter().map(|c| c.code).collect();
    let (Some(&lo), Some(&hi)) = (codes.iter().min(), codes.iter().max()) else {
        return "a code".to_string();
    };
    let contiguous = codes.len() as i64 == hi - lo + 1;
    let first = &var.codes[0];
    let last = &var.codes[var.codes.len() - 1];
    if contiguous && codes.len() > 2 {
        format!(
            "a code {lo}-{hi} ({} = {}, …, {} = {}) or its label",
            first.code, first.de, last.code, last.de
        )
    } else {
        let list: Vec<String> = var
            .codes
            .iter()
            .map(|c| format!("{} = {}", c.code, c.de))
            .collect();
        format!("one of {} (or its label)", list.join(", "))
    }
}

/// Zero-width characters: a space, a non-joiner, a joiner, a word joiner, and the byte-order mark
/// used as a zero-width no-break space.
fn is_zero_width(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

/// The identifier with every zero-width character shown as `<U+200B>`.
fn show_invisible(id: &str) -> String {
    id.chars()
        .map(|c| {
            if is_zero_width(c) {
                format!("<U+{:04X}>", u32::from(c))
            } else {
                c.to_string()
            }
        })
        .collect()
}

enum LabelMatch {
    One(Cell),
    Ambiguous(Vec<i64>),
    None,
}

/// Value labels (German and English, either case) of one coded variable and the missing codes.
struct LabelIndex {
    labels: HashMap<String, Vec<i64>>,
    no_answer: HashSet<String>,
    not_applicable: HashSet<String>,
}

impl LabelIndex {
    fn new(var: &Variable, codebook: &Codebook) -> LabelIndex {
        let mut labels: HashMap<String, Vec<i64>> = HashMap::new();
        if var.kind.is_coded() {
            for c in &var.codes {
                for label in [&c.de, &c.en] {
                    let codes = labels.entry(label.to_lowercase()).or_default();
                    if !codes.contains(&c.code) {
                        codes.push(c.code);
                    }
                }
            }
        }
        let m = &codebook.missing;
        LabelIndex {
            labels,
            no_answer: [&m.non_response.de, &m.non_response.en]
                .iter()
                .map(|s| s.to_lowercase())
                .collect(),
            not_applicable: [&m.not_applicable.de, &m.not_applicable.en]
                .iter()
                .map(|s| s.to_lowercase())
                .collect(),
        }
    }

    fn lookup(&self, text: &str) -> LabelMatch {
        let key = text.trim().to_lowercase();
        if self.no_answer.contains(&key) {
            return LabelMatch::One(Cell::NoAnswer);
        }
        if self.not_applicable.contains(&key) {
            return LabelMatch::One(Cell::NotApplicable);
        }
        match self.labels.get(&key).map(Vec::as_slice) {
            Some([code]) => LabelMatch::One(Cell::Value(*code)),
            Some(codes) => LabelMatch::Ambiguous(codes.to_vec()),
            None => LabelMatch::None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::survey::read::read_raw;

    /// The shipped survey's rows repeated to `rows` rows with new identifiers, separated by `sep`;
    /// `edit(row, column name, cell)` may change any cell (rows counted from 0).
    fn generated(rows: usize, sep: char, edit: impl Fn(usize, &str, &str) -> String) -> Vec<u8> {
        let text = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/survey.csv"),
        )
        .unwrap();
        let mut lines = text.lines().filter(|l| !l.starts_with('#'));
        let header: Vec<&str> = lines.next().unwrap().split(',').collect();
        let data: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
        let mut out = String::from("# generated\n");
        out.push_str(&header.join(&sep.to_string()));
        out.push('\n');
        for row in 0..rows {
            let source = &data[row % data.len()];
            let id = format!("GEN-{row:06}");
            let cells: Vec<String> = header
                .iter()
                .zip(source)
                .map(|(name, cell)| {
                    let cell = if *name == "id" { id.as_str() } else { cell };
                    edit(row, name, cell)
                })
                .collect();
            out.push_str(&cells.join(&sep.to_string()));
            out.push('\n');
        }
        out.into_bytes()
    }

    /// Loads `bytes` in blocks and as one block: the same survey, or the same problems.
    fn same_either_way(bytes: &[u8]) -> Result<Loaded, SurveyError> {
        assert!(bytes.len() > 2 * BLOCK_BYTES, "{} bytes", bytes.len());
        let codebook = Arc::new(Codebook::builtin());
        let blocks = load_bytes(bytes, "x.csv", Arc::clone(&codebook));
        let whole = match read_raw(bytes) {
            Ok(raw) => check_raw(raw, Vec::new(), "x.csv", &codebook, SourceInfo::default()),
            Err(u) => Err(invalid("x.csv", u.problems, u.note, Vec::new())),
        };
        match (&blocks, &whole) {
            (Ok(a), Ok(b)) => {
                assert!(a.survey == b.survey);
                assert_eq!(a.warnings, b.warnings);
                assert_eq!(a.dialect, b.dialect);
            }
            (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
            _ => panic!("blocks: {blocks:?}\nwhole: {whole:?}"),
        }
        blocks
    }

    #[test]
    fn blocks_give_the_survey_and_problems_of_the_whole_file() {
        let plain = generated(12_000, ',', |_, _, cell| cell.to_string());
        let loaded = same_either_way(&plain).unwrap();
        assert_eq!(loaded.survey.len(), 12_000);

        // problems in every block, a duplicate and a case variant of identifiers in other blocks
        let broken = generated(12_000, ',', |row, name, cell| match (row, name) {
            (100, "ziel_effizienz") | (11_900, "ziel_offenheit") => "7".into(),
            (5_000, "id") => "GEN-000010".into(),
            (9_000, "id") => "gen-000020".into(),
            (7_000, "einwohner") => "abc".into(),
            _ => cell.to_string(),
        });
        let err = same_either_way(&broken).unwrap_err();
        let SurveyError::Invalid(problems) = err else {
            panic!("{err}")
        };
        let rows: Vec<Option<usize>> = problems.problems.iter().map(|p| p.row).collect();
        // spreadsheet rows: the comment line and the header come first
        assert_eq!(
            rows,
            [Some(103), Some(5_003), Some(7_003), Some(11_903)],
            "{:?}",
            problems.problems
        );
        assert_eq!(problems.warnings.len(), 1, "{:?}", problems.warnings);
    }

    /// The identifier check as first written: each identifier against every one kept before it.
    fn identifier_problems_one_by_one(ids: &[String]) -> (Vec<String>, Vec<String>) {
        let (mut problems, mut warnings) = (Vec::new(), Vec::new());
        let mut kept: Vec<usize> = Vec::new();
        for (i, id) in ids.iter().enumerate() {
            if id.is_empty() || id.chars().any(is_zero_width) {
                problems.push(format!("{i}: unusable"));
                continue;
            }
            let key = IdKey::of(id);
            let others = kept.iter().map(|&j| (j, IdKey::of(&ids[j])));
            let found: Vec<(usize, IdKey<'_>)> = others.collect();
            if let Some((j, _)) = found.iter().find(|(_, o)| o.nfc == key.nfc) {
                problems.push(format!("{i}: duplicate of {j}"));
                continue;
            }
            if let Some((j, _)) = found.iter().find(|(_, o)| o.folds_like(&key)) {
                warnings.push(format!("{i}: case of {j}"));
            }
            kept.push(i);
        }
        (problems, warnings)
    }

    proptest::proptest! {
        #[test]
        fn plain_codes_are_read_as_the_full_rules_read_them(
            v in 0usize..Codebook::builtin().variables.len(),
            text in "-?[0-9]{0,3}|-[0-9]|99|[1-9][0-9]{3,19}|-9223372036854775808|00?1|1 2|x",
        ) {
            let codebook = Codebook::builtin();
            let var = &codebook.variables[v];
            proptest::prop_assume!(!matches!(var.kind, Kind::Identifier | Kind::Decimal));
            let field_of = vec![Some(0); codebook.variables.len()];
            let context = Context::new(&codebook, DecimalMark::Point, field_of, 0);
            if let Some(quick) = context.plain_code(v, &context.slots[v], &text) {
                let mut checker = context.checker();
                let cell = (!text.is_empty()).then_some(text.as_str());
                let full = checker.coded(v, var, 2, cell);
                proptest::prop_assert_eq!(quick, full, "{} {:?}", var.name, text);
                proptest::prop_assert!(checker.cells.is_empty());
            }
        }

        #[test]
        fn identifiers_sorted_by_hash_are_checked_as_one_by_one(
            ids in proptest::collection::vec(
                proptest::sample::select(vec![
                    "", "a", "A", "b", "K\u{f6}ln", "Ko\u{308}ln", "K\u{d6}LN", "k\u{f6}ln",
                    "x\u{200b}", "\u{130}", "i\u{307}", "GEN-1", "gen-1",
                ]),
                0..40,
            )
        ) {
            let ids: Vec<String> = ids.into_iter().map(String::from).collect();
            let rows: Vec<usize> = (0..ids.len()).map(|i| i + 2).collect();
            let mut warnings = Vec::new();
            let problems = check_identifiers("id", &ids, &rows, &mut warnings);
            let (expected, expected_warnings) = identifier_problems_one_by_one(&ids);
            let describe = |p: &Problem| {
                let i = p.row.unwrap() - 2;
                if let Some(j) = p.message.split("first in row ").nth(1) {
                    let j: usize = j.split(|c: char| !c.is_ascii_digit()).next().unwrap().parse().unwrap();
                    format!("{i}: duplicate of {}", j - 2)
                } else if let Some(j) = p.message.split("identifier in row ").nth(1) {
                    let j: usize = j.split(|c: char| !c.is_ascii_digit()).next().unwrap().parse().unwrap();
                    format!("{i}: case of {}", j - 2)
                } else {
                    format!("{i}: unusable")
                }
            };
            proptest::prop_assert_eq!(problems.iter().map(describe).collect::<Vec<_>>(), expected);
            proptest::prop_assert_eq!(warnings.iter().map(describe).collect::<Vec<_>>(), expected_warnings);
        }
    }

    /// Whether two loads agree: the same survey, warnings, dialect and source, or the same error.
    fn assert_same(a: &Result<Loaded, SurveyError>, b: &Result<Loaded, SurveyError>, what: &str) {
        match (a, b) {
            (Ok(a), Ok(b)) => {
                assert!(a.survey == b.survey, "{what}");
                assert_eq!(a.warnings, b.warnings, "{what}");
                assert_eq!(a.dialect, b.dialect, "{what}");
                assert_eq!(a.source, b.source, "{what}");
            }
            (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "{what}"),
            _ => panic!("{what}\n{a:?}\n{b:?}"),
        }
    }

    #[test]
    fn a_file_read_from_disk_in_blocks_is_read_as_from_memory() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let dir = tempfile::tempdir().unwrap();
        let mut files = vec![root.join("data/survey.csv")];
        for entry in std::fs::read_dir(root.join("tests/fixtures")).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() {
                files.push(path);
            }
        }
        let quoted = generated(3_000, ';', |row, name, cell| match (row, name) {
            (_, "id") => format!("\"{cell}\""),
            (2_000, "einwohner") => "\"12\n3\"".into(),
            (_, "gewicht") => "1,5".into(),
            _ => cell.to_string(),
        });
        let broken = generated(3_000, ',', |row, name, cell| match (row, name) {
            (10, "ziel_effizienz") => "7".into(),
            (2_500, "id") => "GEN-000010".into(),
            (2_900, "einwohner") => "1,2".into(),
            _ => cell.to_string(),
        });
        let mut blank_end = generated(500, ',', |_, _, cell| cell.to_string());
        blank_end.extend_from_slice(b"\n  \n");
        let mut no_final_break = generated(500, '\t', |_, _, cell| cell.to_string());
        no_final_break.pop();
        let lf = String::from_utf8(generated(500, ',', |_, _, cell| cell.to_string())).unwrap();
        let crlf = lf.replace('\n', "\r\n");
        let mixed = crlf.replacen("\r\n", "\n", 300);
        let old_mac = lf.replace('\n', "\r");
        let crlf_quoted = crlf.replacen("GEN-000001", "\"GEN-000001\"", 1);
        let r_style = {
            let (head, rest) = lf.split_once("\nid,").unwrap();
            let (header, data) = rest.split_once('\n').unwrap();
            let quoted: Vec<String> = format!("id,{header}")
                .split(',')
                .map(|name| format!("\"{name}\""))
                .collect();
            format!("{head}\n{}\n{data}", quoted.join(","))
        };
        let crlf_in_a_cell = crlf.replacen("GEN-000002", "GEN-\r000002", 1);
        for (name, bytes) in [
            ("quoted.csv", quoted),
            ("broken.csv", broken),
            ("blank_end.csv", blank_end),
            ("no_final_break.tsv", no_final_break),
            ("crlf.csv", crlf.into_bytes()),
            ("mixed.csv", mixed.into_bytes()),
            ("old_mac.csv", old_mac.into_bytes()),
            ("crlf_quoted.csv", crlf_quoted.into_bytes()),
            ("crlf_in_a_cell.csv", crlf_in_a_cell.into_bytes()),
            ("quote_in_header.csv", b"a\"b,\"c\n1,2\n".to_vec()),
            ("quoted_header.csv", r_style.into_bytes()),
        ] {
            let path = dir.path().join(name);
            std::fs::write(&path, bytes).unwrap();
            files.push(path);
        }
        let codebook = Arc::new(Codebook::builtin());
        let options = ReadOptions::default();
        let mut plain = Vec::new();
        for path in &files {
            let bytes = std::fs::read(path).unwrap();
            let name = path.display().to_string();
            let in_memory = load_bytes_as(&bytes, &name, &options, || Ok(Arc::clone(&codebook)));
            if matches!(scan::scan(path, BLOCK_BYTES), Ok(Scanned::Plain { .. })) {
                plain.push(path.file_name().unwrap().to_string_lossy().into_owned());
            }
            for block_bytes in [1, 100, 4096, BLOCK_BYTES] {
                let from_disk = load_file_in_blocks(
                    path,
                    &options,
                    || Ok(Arc::clone(&codebook)),
                    None,
                    block_bytes,
                );
                let what = format!("{name}, blocks of {block_bytes} bytes");
                let (from_disk, sha256) = match from_disk {
                    Ok((loaded, sha256)) => (Ok(loaded), Some(sha256)),
                    Err(e) => (Err(e), None),
                };
                assert_same(&from_disk, &in_memory, &what);
                if let Some(sha256) = sha256 {
                    assert_eq!(sha256, crate::output::sha256_hex(&bytes), "{what}");
                }
            }
        }
        // most files are plain text, read from disk block by block; the others are read whole
        let plain_ones = [
            "survey.csv",
            "quoted.csv",
            "broken.csv",
            "no_final_break.tsv",
            "crlf.csv",
            "mixed.csv",
            "quoted_header.csv",
        ];
        for name in plain_ones {
            assert!(plain.iter().any(|p| p == name), "{name}: {plain:?}");
        }
        let read_whole = [
            "blank_end.csv",
            "old_mac.csv",
            "crlf_quoted.csv",
            "crlf_in_a_cell.csv",
            "quote_in_header.csv",
        ];
        for name in read_whole {
            assert!(!plain.iter().any(|p| p == name), "{name}: {plain:?}");
        }
        assert!(plain.len() > 20 && plain.len() < files.len(), "{plain:?}");
    }

    /// `text` with a column renamed in the header and a column `notiz` added at the end of
    /// every line.
    fn renamed_with_note(text: &[u8], from: &str, to: &str) -> Vec<u8> {
        let text = String::from_utf8(text.to_vec()).unwrap();
        let mut out = String::new();
        let mut header_done = false;
        for line in text.lines() {
            if line.starts_with('#') {
                out.push_str(line);
            } else if !header_done {
                header_done = true;
                let header: Vec<&str> = line
                    .split(',')
                    .map(|h| if h == from { to } else { h })
                    .collect();
                out.push_str(&header.join(","));
                out.push_str(",notiz");
            } else {
                out.push_str(line);
                out.push_str(",frei");
            }
            out.push('\n');
        }
        out.into_bytes()
    }

    #[test]
    fn a_mapping_renames_and_leaves_out_columns_in_every_block() {
        let plain = generated(12_000, ',', |_, _, cell| cell.to_string());
        let mapped = renamed_with_note(&plain, "ziel_effizienz", "G01Q01");
        assert!(mapped.len() > 2 * BLOCK_BYTES);
        let options = ReadOptions {
            sheet: None,
            mapping: Some(
                super::super::Mapping::parse(
                    "ignore = [\"notiz\"]\n[columns]\nG01Q01 = \"ziel_effizienz\"\n",
                    "map.toml",
                )
                .unwrap(),
            ),
        };
        let codebook = Arc::new(Codebook::builtin());
        let expected = load_bytes(&plain, "x.csv", Arc::clone(&codebook)).unwrap();
        let got = load_bytes_as(&mapped, "x.csv", &options, || Ok(Arc::clone(&codebook))).unwrap();
        assert!(got.survey == expected.survey);
        assert_eq!(got.source.mapped.len(), 1);
        assert_eq!(got.source.ignored, ["notiz"]);

        // a problem in a mapped column is named by its variable, at its row
        let broken = generated(12_000, ',', |row, name, cell| match (row, name) {
            (11_000, "ziel_effizienz") => "9".into(),
            _ => cell.to_string(),
        });
        let broken = renamed_with_note(&broken, "ziel_effizienz", "G01Q01");
        let err =
            load_bytes_as(&broken, "x.csv", &options, || Ok(Arc::clone(&codebook))).unwrap_err();
        let SurveyError::Invalid(problems) = err else {
            panic!("{err}")
        };
        assert_eq!(problems.problems.len(), 1, "{:?}", problems.problems);
        assert_eq!(problems.problems[0].row, Some(11_003));
        assert_eq!(
            problems.problems[0].column.as_deref(),
            Some("ziel_effizienz")
        );
    }

    #[test]
    fn a_file_of_some_columns_is_read_in_blocks_with_the_others_blank() {
        let plain = generated(60_000, ';', |_, _, cell| cell.to_string());
        let codebook = Arc::new(Codebook::builtin());
        let full = load_bytes(&plain, "x.csv", Arc::clone(&codebook)).unwrap();
        let goals: Vec<String> = codebook
            .with_role(super::super::Role::Clustering)
            .map(|v| v.name.clone())
            .collect();
        let mut keep = vec!["id".to_string()];
        keep.extend(goals.iter().cloned());
        // the identifier and the goals only
        let text = String::from_utf8(plain).unwrap();
        let mut lines = text.lines();
        let comment = lines.next().unwrap();
        let header: Vec<&str> = lines.next().unwrap().split(';').collect();
        let at: Vec<usize> = keep
            .iter()
            .map(|k| header.iter().position(|h| h == k).unwrap())
            .collect();
        let mut out = format!("{comment}\n{}\n", keep.join(";"));
        for line in lines {
            let cells: Vec<&str> = line.split(';').collect();
            let picked: Vec<&str> = at.iter().map(|&i| cells[i]).collect();
            out.push_str(&picked.join(";"));
            out.push('\n');
        }
        assert!(out.len() > BLOCK_BYTES, "more than one block");
        let part = load_bytes_with_columns(
            out.as_bytes(),
            "x.csv",
            &ReadOptions::default(),
            || Ok(Arc::clone(&codebook)),
            &goals,
        )
        .unwrap();
        assert_eq!(part.survey.len(), 60_000);
        for goal in &goals {
            assert!(
                part.survey
                    .codes(goal)
                    .unwrap()
                    .iter()
                    .eq(full.survey.codes(goal).unwrap().iter()),
                "{goal}"
            );
        }
        let absent = codebook
            .variables
            .iter()
            .find(|v| !keep.contains(&v.name) && v.kind.is_coded())
            .unwrap();
        assert!(part
            .survey
            .codes(&absent.name)
            .unwrap()
            .iter()
            .all(|c| c.is_none()));
    }

    #[test]
    fn a_decimal_comma_in_the_last_block_decides_the_mark_of_the_first() {
        // `160.000` in row 1 is 160000 only because a decimal comma appears at the end
        let bytes = generated(12_000, ';', |row, name, cell| match (row, name) {
            (0, "einwohner") => "160.000".into(),
            (11_990, "gewicht") => "1,0".into(),
            _ => cell.to_string(),
        });
        let loaded = same_either_way(&bytes).unwrap();
        assert_eq!(
            loaded.survey.codes("einwohner").unwrap().get(0),
            Some(160_000)
        );
        // without it, the lone group of three digits in a count is read by the default rule
        let bytes = generated(12_000, ';', |row, name, cell| match (row, name) {
            (0, "einwohner") => "160.000".into(),
            _ => cell.to_string(),
        });
        same_either_way(&bytes).unwrap();
    }

    #[test]
    fn a_ragged_row_in_a_late_block_is_reported_before_the_cells() {
        let bytes = generated(12_000, ',', |row, name, cell| match (row, name) {
            (100, "ziel_effizienz") => "7".into(),
            (11_000, "id") => "GEN-011000,extra".into(),
            _ => cell.to_string(),
        });
        let err = same_either_way(&bytes).unwrap_err();
        assert!(err.to_string().contains("row 11003"), "{err}");
        assert!(!err.to_string().contains("row 103"), "{err}");
    }
}
