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
use super::read::{no_data_rows, RawTable, TextBlock, TextColumn, BLOCK_BYTES, BROKEN_ROWS};
use super::source::{self, Body, ReadOptions, SourceInfo};
use super::table::Routing;
use super::{
    CodeColumn, Codebook, Dialect, IntWidth, Kind, Problem, Problems, Rule, Survey, SurveyError,
    Values, Variable,
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
        survey
            .codebook()
            .variables
            .iter()
            .zip(survey.columns())
            .enumerate()
            .map(|(i, (v, column))| {
                let not_applicable = match survey.routing(i) {
                    Routing::Always => 0,
                    routing => (0..survey.len()).filter(|&row| !routing.asked(row)).count(),
                };
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
/// time in parallel; each block's cells are typed straight into the survey's compact columns and
/// its text dropped. The problems are the same, in the same order, as when the file is one block.
pub fn load_bytes_with(
    bytes: &[u8],
    file: &str,
    codebook: impl FnOnce() -> Result<Arc<Codebook>, SurveyError> + Send,
) -> Result<Loaded, SurveyError> {
    load_checked(bytes, file, &ReadOptions::default(), codebook, None)
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
    load_checked(bytes, file, options, codebook, Some(required))
}

/// [`load_bytes_with`] for a file of any format (CSV, SPSS .sav/.zsav, a workbook's sheet), read
/// as `options` say (the sheet, a column mapping).
pub fn load_bytes_as(
    bytes: &[u8],
    file: &str,
    options: &ReadOptions,
    codebook: impl FnOnce() -> Result<Arc<Codebook>, SurveyError> + Send,
) -> Result<Loaded, SurveyError> {
    load_checked(bytes, file, options, codebook, None)
}

fn load_checked(
    bytes: &[u8],
    file: &str,
    options: &ReadOptions,
    codebook: impl FnOnce() -> Result<Arc<Codebook>, SurveyError> + Send,
    required: Option<&[String]>,
) -> Result<Loaded, SurveyError> {
    let (codebook, parsed) = std::thread::scope(|scope| {
        let book = scope.spawn(codebook);
        let parsed = source::parse(bytes, file, options);
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
            let blanks = match required {
                Some(required) => blank_columns(&header, &codebook, required),
                None => Vec::new(),
            };
            header.extend(blanks.iter().cloned());
            let spans = prepared.blocks(BLOCK_BYTES);
            let read = |i: usize| {
                let mut block = prepared.read_block(&spans[i]);
                keep_columns(&mut block.columns, &keep);
                let n = block.rows.len();
                block
                    .columns
                    .extend(blanks.iter().map(|_| TextColumn::blank(n)));
                block
            };
            let head = Head {
                dialect: prepared.dialect.clone(),
                header: &header,
                header_row: prepared.header_row,
                warnings: prepared.warnings.clone(),
                rows_hint: prepared.data_lines(),
            };
            check_blocks(head, &codebook, spans.len(), &read, file, source)
        }
        Body::Table(mut raw) => {
            if let Some(required) = required {
                let blanks = blank_columns(&raw.header, &codebook, required);
                let n = raw.rows.len();
                raw.columns
                    .extend(blanks.iter().map(|_| TextColumn::blank(n)));
                raw.header.extend(blanks);
            }
            check_raw(raw, file, &codebook, source)
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

/// Leaves out the columns whose `keep` is false.
fn keep_columns(columns: &mut Vec<TextColumn>, keep: &[bool]) {
    if keep.iter().all(|&k| k) {
        return;
    }
    let mut keep = keep.iter();
    columns.retain(|_| keep.next().copied().unwrap_or(true));
}

/// Checks a table of text cells read by another reader (a workbook, an SPSS file) against the
/// codebook, as a survey file's cells are checked; `file` names it in messages.
fn check_raw(
    raw: RawTable,
    file: &str,
    codebook: &Arc<Codebook>,
    source: SourceInfo,
) -> Result<Loaded, SurveyError> {
    let RawTable {
        dialect,
        header,
        header_row,
        rows,
        columns,
        warnings,
    } = raw;
    let rows_hint = rows.len();
    let block = std::sync::Mutex::new(Some(TextBlock {
        rows,
        columns,
        problems: Vec::new(),
    }));
    let read = |_| {
        block
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
            .expect("a single block is read once")
    };
    let head = Head {
        dialect,
        header: &header,
        header_row,
        warnings,
        rows_hint,
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
    header: &'h [String],
    header_row: usize,
    warnings: Vec<Problem>,
    /// About as many rows as the file has (at least as many), to allocate the columns once.
    rows_hint: usize,
}

/// Reads `n` blocks of data rows with `read` (block `i` holds rows after those of block `i - 1`)
/// and checks them; a single block is read once.
fn check_blocks(
    head: Head<'_>,
    codebook: &Arc<Codebook>,
    n: usize,
    read: &(dyn Fn(usize) -> TextBlock + Sync),
    file: &str,
    source: SourceInfo,
) -> Result<Loaded, SurveyError> {
    let mut only = (n == 1).then(|| read(0));
    // blocks read together: enough to keep every thread busy, few enough to bound the memory
    let group = 2 * rayon::current_num_threads().max(1);

    let header_problems = check_header(head.header, head.header_row, codebook);
    if !header_problems.is_empty() {
        // a broken row structure is reported before the header
        let mut structure = Vec::new();
        let mut rows = 0;
        for start in (0..n).step_by(group) {
            let blocks: Vec<TextBlock> = match only.take() {
                Some(block) => vec![block],
                None => (start..n.min(start + group))
                    .into_par_iter()
                    .map(read)
                    .collect(),
            };
            for block in blocks {
                rows += block.rows.len();
                structure.extend(block.problems);
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
    let column_of: Vec<usize> = codebook
        .variables
        .iter()
        .map(|v| {
            head.header
                .iter()
                .position(|h| *h == v.name)
                .expect("header checked")
        })
        .collect();

    // the decimal mark, from the cells of the whole file (a comma decides at the first one)
    let mark = if head.dialect.separator == b',' {
        DecimalMark::Point
    } else {
        let mut evidence = MarkEvidence::default();
        for start in (0..n).step_by(group) {
            let of_block = |block: &TextBlock| mark_evidence(block, codebook, &column_of);
            let found: Vec<MarkEvidence> = match &only {
                Some(block) => vec![of_block(block)],
                None => (start..n.min(start + group))
                    .into_par_iter()
                    .map(|i| of_block(&read(i)))
                    .collect(),
            };
            evidence = found.into_iter().fold(evidence, MarkEvidence::merge);
            if evidence.decided_by_comma() {
                break;
            }
        }
        DecimalMark::from_evidence(head.dialect.separator, evidence)
    };

    let context = Context::new(codebook, mark, column_of);
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
    for start in (0..n).step_by(group) {
        let checked: Vec<CheckedBlock> = if n == 1 {
            vec![context.check(only.take().unwrap_or_else(|| read(0)))]
        } else {
            (start..n.min(start + group))
                .into_par_iter()
                .map(|i| context.check(read(i)))
                .collect()
        };
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

/// The decimal-mark evidence of a block's cells that are not identifiers, row by row and in
/// codebook order within a row.
fn mark_evidence(block: &TextBlock, codebook: &Codebook, column_of: &[usize]) -> MarkEvidence {
    let columns: Vec<(&str, &TextColumn, bool)> = codebook
        .variables
        .iter()
        .zip(column_of)
        .filter(|(v, _)| v.kind != Kind::Identifier)
        .map(|(v, &c)| (v.name.as_str(), &block.columns[c], v.kind == Kind::Decimal))
        .collect();
    let cells = (0..block.rows.len()).flat_map(|i| {
        columns.iter().filter_map(move |(name, c, decimal)| {
            c.get(i).map(|text| (block.rows[i], *name, text, *decimal))
        })
    });
    MarkEvidence::of(cells)
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
    let mut problems = Vec::new();
    // the identifiers kept so far, by the hash of their case-folded form: the first one's index,
    // and the later ones with the same hash (other case, or a collision) in order
    let mut first: HashMap<u64, u32> = HashMap::with_capacity(ids.len());
    let mut more: HashMap<u64, Vec<u32>> = HashMap::new();
    for (i, id) in ids.iter().enumerate() {
        let row = rows[i];
        if id.is_empty() {
            problems.push(Problem {
                row: Some(row),
                column: Some(name.to_string()),
                value: None,
                message: "is empty; expected a unique identifier for every municipality".into(),
            });
            continue;
        }
        if let Some((at, c)) = id.chars().enumerate().find(|(_, c)| is_zero_width(*c)) {
            problems.push(Problem::cell(
                row,
                name,
                &show_invisible(id),
                format!(
                    "holds an invisible zero-width character (U+{:04X}, character {}); expected an identifier without it, so that identifiers that look the same are the same",
                    u32::from(c),
                    at + 1
                ),
            ));
            continue;
        }
        let key = IdKey::of(id);
        let hash = key.folded_hash();
        let candidates = first
            .get(&hash)
            .into_iter()
            .chain(more.get(&hash).into_iter().flatten());
        let mut same_case: Option<usize> = None;
        let mut duplicate: Option<usize> = None;
        for &j in candidates {
            let other = IdKey::of(&ids[j as usize]);
            if other.nfc == key.nfc {
                duplicate = Some(j as usize);
                break;
            }
            if same_case.is_none() && other.folds_like(&key) {
                same_case = Some(j as usize);
            }
        }
        if let Some(j) = duplicate {
            let as_written = &ids[j];
            let form = if as_written == id {
                String::new()
            } else {
                format!(" as '{as_written}': the same text in another Unicode normalisation form")
            };
            problems.push(Problem::cell(
                row,
                name,
                id,
                format!(
                    "is a duplicate identifier (first in row {}{form}); expected each municipality once",
                    rows[j]
                ),
            ));
            continue;
        }
        if let Some(j) = same_case {
            warnings.push(Problem::cell(
                row,
                name,
                id,
                format!(
                    "differs from the identifier in row {} ('{}') only in upper and lower case; both are kept as different municipalities: check that they are",
                    rows[j], ids[j]
                ),
            ));
        }
        match first.entry(hash) {
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(i as u32);
            }
            std::collections::hash_map::Entry::Occupied(_) => {
                more.entry(hash).or_default().push(i as u32);
            }
        }
    }
    problems
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
        let mut h = std::collections::hash_map::DefaultHasher::new();
        for b in self.folded.bytes() {
            h.write_u8(b.to_ascii_lowercase());
        }
        h.finish()
    }
}

/// One parsed column, with which cells held the not-applicable code.
struct ParsedColumn {
    values: Values,
    not_applicable: Vec<bool>,
}

/// What the checks of every block share: the codebook, the decimal mark, where each variable is
/// in the file and each coded variable's value labels.
struct Context<'a> {
    codebook: &'a Codebook,
    mark: DecimalMark,
    /// The file's column of each codebook variable.
    column_of: Vec<usize>,
    labels: Vec<LabelIndex>,
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

impl<'a> Context<'a> {
    fn new(codebook: &'a Codebook, mark: DecimalMark, column_of: Vec<usize>) -> Context<'a> {
        let labels = codebook
            .variables
            .iter()
            .map(|v| LabelIndex::new(v, codebook))
            .collect();
        Context {
            codebook,
            mark,
            column_of,
            labels,
        }
    }

    /// Checks the cells of a block (unless its row structure is broken); its text is dropped.
    fn check(&self, block: TextBlock) -> CheckedBlock {
        let mut checked = CheckedBlock {
            rows: Vec::new(),
            columns: Vec::new(),
            structure: block.problems,
            cells: Vec::new(),
            routing: Vec::new(),
            rules: Vec::new(),
        };
        if !checked.structure.is_empty() {
            return checked;
        }
        let mut checker = Checker {
            context: self,
            codebook: self.codebook,
            mark: &self.mark,
            rows: &block.rows,
            problems: Vec::new(),
        };
        let text: Vec<&TextColumn> = self.column_of.iter().map(|&c| &block.columns[c]).collect();
        let parsed: Vec<ParsedColumn> = self
            .codebook
            .variables
            .iter()
            .enumerate()
            .map(|(i, v)| checker.parse_column(i, v, text[i]))
            .collect();
        checked.cells = std::mem::take(&mut checker.problems);
        checker.check_routing(&parsed, &text);
        checked.routing = std::mem::take(&mut checker.problems);
        let columns: Vec<Values> = parsed.into_iter().map(|c| c.values).collect();
        checker.check_rules(&columns);
        checked.rules = checker.problems;
        checked.columns = columns;
        checked.rows = block.rows;
        checked
    }
}

struct Checker<'a> {
    context: &'a Context<'a>,
    codebook: &'a Codebook,
    mark: &'a DecimalMark,
    /// Spreadsheet row of each row of the block.
    rows: &'a [usize],
    problems: Vec<Problem>,
}

/// How a coded cell was read.
enum Cell {
    Value(i64),
    NoAnswer,
    NotApplicable,
}

impl Checker<'_> {
    fn parse_column(&mut self, index: usize, var: &Variable, cells: &TextColumn) -> ParsedColumn {
        let n = cells.len();
        let mut not_applicable = Vec::new();
        let values = match var.kind {
            Kind::Identifier => Values::Ids(
                cells
                    .iter()
                    .map(|c| c.unwrap_or_default().to_string())
                    .collect(),
            ),
            Kind::Decimal => Values::Decimal(
                cells
                    .iter()
                    .enumerate()
                    .map(|(i, c)| self.decimal(var, i, c))
                    .collect::<Vec<_>>()
                    .into(),
            ),
            _ => {
                let labels = &self.context.labels[index];
                let mut codes = CodeColumn::with_width(IntWidth::for_variable(var));
                if var.asked_if.is_some() {
                    not_applicable = vec![false; n];
                }
                for (i, c) in cells.iter().enumerate() {
                    codes.push(match self.coded(var, labels, i, c) {
                        Some(Cell::Value(v)) => Some(v),
                        Some(Cell::NotApplicable) => {
                            not_applicable[i] = true;
                            None
                        }
                        Some(Cell::NoAnswer) | None => None,
                    });
                }
                Values::Codes(codes)
            }
        };
        ParsedColumn {
            values,
            not_applicable,
        }
    }

    fn row(&self, i: usize) -> usize {
        self.rows[i]
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

    fn coded(
        &mut self,
        var: &Variable,
        labels: &LabelIndex,
        i: usize,
        cell: Option<&str>,
    ) -> Option<Cell> {
        let text = cell?;
        let missing = &self.codebook.missing;
        let (parsed, grouped) = match self.mark.whole(text) {
            Reading::Number(code, grouped) => (Some(code), grouped),
            Reading::NotANumber => (None, false),
            Reading::Invalid(why) => {
                let msg = format!("{why}; {}", self.expected(var));
                self.problems
                    .push(Problem::cell(self.row(i), &var.name, text, msg));
                return None;
            }
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
                self.problems
                    .push(Problem::cell(self.row(i), &var.name, text, msg));
                return None;
            }
            match var.kind {
                Kind::Count | Kind::Integer => {
                    let c = code as f64;
                    if var.min.is_some_and(|lo| c < lo) || var.max.is_some_and(|hi| c > hi) {
                        let msg =
                            format!("is out of range{}; {}", read_as(code), self.expected(var));
                        self.problems
                            .push(Problem::cell(self.row(i), &var.name, text, msg));
                        return None;
                    }
                    return Some(Cell::Value(code));
                }
                _ if var.code(code).is_some() => return Some(Cell::Value(code)),
                _ => {
                    let msg = format!(
                        "is not an allowed value{}; {}",
                        read_as(code),
                        self.expected(var)
                    );
                    self.problems
                        .push(Problem::cell(self.row(i), &var.name, text, msg));
                    return None;
                }
            }
        }
        if var.kind.is_coded() {
            match labels.lookup(text) {
                LabelMatch::One(cell) => {
                    if matches!(cell, Cell::NotApplicable) && var.asked_if.is_none() {
                        let msg = format!(
                            "means not applicable, but every municipality is asked this question; {}",
                            self.expected(var)
                        );
                        self.problems
                            .push(Problem::cell(self.row(i), &var.name, text, msg));
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
                    self.problems
                        .push(Problem::cell(self.row(i), &var.name, text, msg));
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
        self.problems
            .push(Problem::cell(self.row(i), &var.name, text, msg));
        None
    }

    fn decimal(&mut self, var: &Variable, i: usize, cell: Option<&str>) -> Option<f64> {
        let text = cell?;
        let (value, grouped) = match self.mark.decimal(text) {
            Reading::Number(v, grouped) => (v, grouped),
            Reading::Invalid(why) => {
                let msg = format!("{why}; {}", self.expected(var));
                self.problems
                    .push(Problem::cell(self.row(i), &var.name, text, msg));
                return None;
            }
            Reading::NotANumber => {
                let mark = match self.mark {
                    DecimalMark::Comma(_) => " (decimal comma)",
                    _ => " (decimal point)",
                };
                let msg = format!("is not a number{mark}; {}", self.expected(var));
                self.problems
                    .push(Problem::cell(self.row(i), &var.name, text, msg));
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
        self.problems
            .push(Problem::cell(self.row(i), &var.name, text, msg));
        None
    }

    /// Answers to questions a row was routed past, and not-applicable codes where it was asked.
    fn check_routing(&mut self, cells: &[ParsedColumn], text: &[&TextColumn]) {
        for (var_index, (var, parsed)) in self.codebook.variables.iter().zip(cells).enumerate() {
            let Some(cond) = &var.asked_if else { continue };
            let filter_pos = self.codebook.position(&cond.variable).expect("checked");
            let Values::Codes(filter) = &cells[filter_pos].values else {
                continue;
            };
            let Values::Codes(values) = &parsed.values else {
                continue;
            };
            let wanted: Vec<String> = cond.codes.iter().map(i64::to_string).collect();
            let wanted = wanted.join(" or ");
            for (i, (value, filter_value)) in values.iter().zip(filter.iter()).enumerate() {
                let asked = filter_value.is_some_and(|f| cond.codes.contains(&f));
                let shown =
                    |f: Option<i64>| f.map_or_else(|| "no answer".to_string(), |f| f.to_string());
                if !asked && value.is_some() {
                    let text = text[var_index].get(i).unwrap_or_default().to_string();
                    self.problems.push(Problem::cell(
                        self.row(i),
                        &var.name,
                        &text,
                        format!(
                            "answers a question this municipality was not asked ({} is {}, the question is asked when it is {wanted}); expected {} or empty",
                            cond.variable,
                            shown(filter_value),
                            self.codebook.missing.not_applicable.code
                        ),
                    ));
                }
                if asked && parsed.not_applicable[i] {
                    let text = text[var_index].get(i).unwrap_or_default().to_string();
                    self.problems.push(Problem::cell(
                        self.row(i),
                        &var.name,
                        &text,
                        format!(
                            "says not applicable, but the question was asked ({} is {}); expected an answer, {} (no answer) or empty",
                            cond.variable,
                            shown(filter_value),
                            self.codebook.missing.non_response.code
                        ),
                    ));
                }
            }
        }
    }

    /// The rules across variables, on the block's typed columns (codebook order).
    fn check_rules(&mut self, columns: &[Values]) {
        let codebook = self.codebook;
        let codes = |name: &str| -> Result<&CodeColumn, ()> {
            match codebook.position(name).map(|i| &columns[i]) {
                Some(Values::Codes(c)) => Ok(c),
                _ => Err(()),
            }
        };
        let rows = self.rows.len();
        for rule in &self.codebook.rules {
            match rule {
                Rule::AtMost { n, variables, what } => {
                    let columns: Vec<&CodeColumn> =
                        variables.iter().filter_map(|v| codes(v).ok()).collect();
                    for row in 0..rows {
                        let selected = |c: &&&CodeColumn| c.get(row) == Some(1);
                        if columns.iter().filter(selected).count() <= *n {
                            continue;
                        }
                        let chosen: Vec<&str> = variables
                            .iter()
                            .zip(&columns)
                            .filter(|(_, c)| selected(c))
                            .map(|(v, _)| v.as_str())
                            .collect();
                        if chosen.len() > *n {
                            self.problems.push(Problem::cell(
                                self.row(row),
                                chosen[0],
                                "1",
                                format!(
                                    "is one of {} selected {what}: {}; expected at most {n}",
                                    chosen.len(),
                                    chosen.join(", ")
                                ),
                            ));
                        }
                    }
                }
                Rule::Exclusive {
                    variable,
                    variables,
                    what,
                } => {
                    let Ok(none) = codes(variable) else {
                        continue;
                    };
                    let columns: Vec<&CodeColumn> =
                        variables.iter().filter_map(|v| codes(v).ok()).collect();
                    for row in 0..rows {
                        if none.get(row) != Some(1)
                            || !columns.iter().any(|c| c.get(row) == Some(1))
                        {
                            continue;
                        }
                        let also: Vec<&str> = variables
                            .iter()
                            .zip(&columns)
                            .filter(|(_, c)| c.get(row) == Some(1))
                            .map(|(v, _)| v.as_str())
                            .collect();
                        if !also.is_empty() {
                            self.problems.push(Problem::cell(
                                self.row(row),
                                variable,
                                "1",
                                format!("is selected together with {}: {what}", also.join(", ")),
                            ));
                        }
                    }
                }
                Rule::SizeClass {
                    variable,
                    count,
                    what,
                } => {
                    let (Ok(classes), Ok(counts), Some(var)) = (
                        codes(variable),
                        codes(count),
                        self.codebook.variable(variable),
                    ) else {
                        continue;
                    };
                    for row in 0..rows {
                        let (Some(class), Some(n)) = (classes.get(row), counts.get(row)) else {
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
                            self.problems.push(Problem::cell(
                                self.row(row),
                                variable,
                                &class.to_string(),
                                format!("does not fit {count} = {n}: {what}; expected {right}"),
                            ));
                        }
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
            Ok(raw) => check_raw(raw, "x.csv", &codebook, SourceInfo::default()),
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
