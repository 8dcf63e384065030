//! Checking every cell of a survey file against the codebook: header, identifiers, codes and value
//! labels, ranges, routing (`asked_if`) and the rules across variables. Every problem is collected
//! (the caller caps how many are shown); a file with none becomes a typed [`Survey`].

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use unicode_normalization::UnicodeNormalization;

use super::numbers::{DecimalMark, Reading};
use super::read::{RawTable, TextColumn};
use super::source::{self, ReadOptions, SourceInfo};
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
        survey
            .codebook()
            .variables
            .iter()
            .zip(survey.columns())
            .enumerate()
            .map(|(i, (v, column))| {
                let not_applicable = (0..survey.len())
                    .filter(|&row| !survey.was_asked(i, row))
                    .count();
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
/// thread while the file is split into cells, which needs no codebook. A codebook error comes
/// before any problem of the file.
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
    let invalid = |problems: Vec<Problem>, note: Option<String>, warnings: Vec<Problem>| {
        SurveyError::Invalid(Problems {
            file: file.to_string(),
            problems,
            note,
            warnings,
        })
    };
    let (codebook, raw) = std::thread::scope(|scope| {
        let book = scope.spawn(codebook);
        let raw = source::parse(bytes, file, options);
        let book = book
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (book, raw)
    });
    let codebook = codebook?;
    let (mut raw, source) = raw
        .and_then(|parsed| parsed.finish(&codebook, options))
        .map_err(|u| invalid(u.problems, u.note, Vec::new()))?;
    if let Some(required) = required {
        raw.add_blank_columns(&codebook, required);
    }
    let header_problems = check_header(&raw, &codebook);
    if !header_problems.is_empty() {
        return Err(invalid(
            header_problems,
            Some("The header does not match the codebook, so the cells were not checked.".into()),
            raw.warnings.clone(),
        ));
    }
    let mut checker = Checker {
        raw: &raw,
        codebook: &codebook,
        mark: decimal_mark(&raw, &codebook),
        problems: Vec::new(),
        warnings: raw.warnings.clone(),
    };
    let cells = checker.parse_cells();
    checker.check_identifiers();
    checker.check_routing(&cells);
    let columns: Vec<Values> = cells.into_iter().map(|c| c.values).collect();
    let survey = Survey::new(Arc::clone(&codebook), columns)?;
    checker.check_rules(&survey);
    let mut problems = checker.problems;
    let warnings = checker.warnings;
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
        return Err(invalid(problems, None, warnings));
    }
    Ok(Loaded {
        survey,
        dialect: raw.dialect,
        warnings,
        source,
    })
}

/// The file's decimal mark, from its separator and every cell that is not an identifier.
fn decimal_mark(raw: &RawTable, codebook: &Codebook) -> DecimalMark {
    let columns: Vec<(&str, &TextColumn, bool)> = codebook
        .variables
        .iter()
        .filter(|v| v.kind != Kind::Identifier)
        .map(|v| {
            let decimal = v.kind == Kind::Decimal;
            (v.name.as_str(), column_of(raw, &v.name), decimal)
        })
        .collect();
    let cells = (0..raw.rows.len()).flat_map(|i| {
        columns.iter().filter_map(move |(name, c, decimal)| {
            c.get(i).map(|text| (raw.rows[i], *name, text, *decimal))
        })
    });
    DecimalMark::decide(raw.dialect.separator, cells)
}

/// Header problems: empty, duplicate, unknown and missing column names.
fn check_header(raw: &RawTable, codebook: &Codebook) -> Vec<Problem> {
    let header_row = raw.header_row;
    let mut problems = Vec::new();
    let mut seen = HashMap::new();
    for (i, name) in raw.header.iter().enumerate() {
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

/// One parsed column, with which cells held the not-applicable code.
struct ParsedColumn {
    values: Values,
    not_applicable: Vec<bool>,
}

struct Checker<'a> {
    raw: &'a RawTable,
    codebook: &'a Codebook,
    mark: DecimalMark,
    problems: Vec<Problem>,
    warnings: Vec<Problem>,
}

/// How a coded cell was read.
enum Cell {
    Value(i64),
    NoAnswer,
    NotApplicable,
}

impl<'a> Checker<'a> {
    fn raw_column(&self, name: &str) -> &'a TextColumn {
        column_of(self.raw, name)
    }

    fn parse_cells(&mut self) -> Vec<ParsedColumn> {
        let codebook = self.codebook;
        codebook
            .variables
            .iter()
            .map(|v| self.parse_column(v))
            .collect()
    }

    fn parse_column(&mut self, var: &Variable) -> ParsedColumn {
        // the raw table outlives the checker, so the cells are borrowed, not copied
        let cells = self.raw_column(&var.name);
        let n = cells.len();
        let mut not_applicable = vec![false; n];
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
                    .collect(),
            ),
            _ => {
                let labels = LabelIndex::new(var, self.codebook);
                Values::Codes(
                    cells
                        .iter()
                        .enumerate()
                        .map(|(i, c)| match self.coded(var, &labels, i, c) {
                            Some(Cell::Value(v)) => Some(v),
                            Some(Cell::NotApplicable) => {
                                not_applicable[i] = true;
                                None
                            }
                            Some(Cell::NoAnswer) | None => None,
                        })
                        .collect(),
                )
            }
        };
        ParsedColumn {
            values,
            not_applicable,
        }
    }

    fn row(&self, i: usize) -> usize {
        self.raw.rows[i]
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

    /// Empty, invisible and duplicate identifiers. Identifiers are compared after Unicode NFC
    /// normalisation (`Köln` typed as one character or as `o` and a combining diaeresis is the same
    /// municipality); a zero-width character is an error, because it makes two identifiers that
    /// look the same differ; identifiers that differ only in case are a warning.
    fn check_identifiers(&mut self) {
        let var = self.codebook.identifier();
        let cells = self.raw_column(&var.name);
        let mut first_row: HashMap<String, (usize, &str)> = HashMap::new();
        let mut first_folded: HashMap<String, (usize, &str)> = HashMap::new();
        for (i, cell) in cells.iter().enumerate() {
            let row = self.raw.rows[i];
            let Some(id) = cell else {
                self.problems.push(Problem {
                    row: Some(row),
                    column: Some(var.name.clone()),
                    value: None,
                    message: "is empty; expected a unique identifier for every municipality".into(),
                });
                continue;
            };
            if let Some((at, c)) = id.chars().enumerate().find(|(_, c)| is_zero_width(*c)) {
                self.problems.push(Problem::cell(
                    row,
                    &var.name,
                    &show_invisible(id),
                    format!(
                        "holds an invisible zero-width character (U+{:04X}, character {}); expected an identifier without it, so that identifiers that look the same are the same",
                        u32::from(c),
                        at + 1
                    ),
                ));
                continue;
            }
            let key: String = id.nfc().collect();
            if let Some(&(first, as_written)) = first_row.get(&key) {
                let form = if as_written == id {
                    String::new()
                } else {
                    format!(
                        " as '{as_written}': the same text in another Unicode normalisation form"
                    )
                };
                self.problems.push(Problem::cell(
                    row,
                    &var.name,
                    id,
                    format!("is a duplicate identifier (first in row {first}{form}); expected each municipality once"),
                ));
                continue;
            }
            let folded = key.to_lowercase();
            first_row.insert(key, (row, id));
            match first_folded.get(&folded) {
                Some(&(first, other)) => self.warnings.push(Problem::cell(
                    row,
                    &var.name,
                    id,
                    format!("differs from the identifier in row {first} ('{other}') only in upper and lower case; both are kept as different municipalities: check that they are"),
                )),
                None => {
                    first_folded.insert(folded, (row, id));
                }
            }
        }
    }

    /// Answers to questions a row was routed past, and not-applicable codes where it was asked.
    fn check_routing(&mut self, cells: &[ParsedColumn]) {
        for (var, parsed) in self.codebook.variables.iter().zip(cells) {
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
            for (i, (&value, &filter_value)) in values.iter().zip(filter).enumerate() {
                let asked = filter_value.is_some_and(|f| cond.codes.contains(&f));
                let shown =
                    |f: Option<i64>| f.map_or_else(|| "no answer".to_string(), |f| f.to_string());
                if !asked && value.is_some() {
                    let text = self
                        .raw_column(&var.name)
                        .get(i)
                        .unwrap_or_default()
                        .to_string();
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
                    let text = self
                        .raw_column(&var.name)
                        .get(i)
                        .unwrap_or_default()
                        .to_string();
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

    fn check_rules(&mut self, survey: &Survey) {
        for rule in &self.codebook.rules {
            match rule {
                Rule::AtMost { n, variables, what } => {
                    let columns: Vec<&[Option<i64>]> = variables
                        .iter()
                        .filter_map(|v| survey.codes(v).ok())
                        .collect();
                    for row in 0..survey.len() {
                        let chosen: Vec<&str> = variables
                            .iter()
                            .zip(&columns)
                            .filter(|(_, c)| c[row] == Some(1))
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
                    let Ok(none) = survey.codes(variable) else {
                        continue;
                    };
                    let columns: Vec<&[Option<i64>]> = variables
                        .iter()
                        .filter_map(|v| survey.codes(v).ok())
                        .collect();
                    for row in 0..survey.len() {
                        if none[row] != Some(1) {
                            continue;
                        }
                        let also: Vec<&str> = variables
                            .iter()
                            .zip(&columns)
                            .filter(|(_, c)| c[row] == Some(1))
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
                        survey.codes(variable),
                        survey.codes(count),
                        self.codebook.variable(variable),
                    ) else {
                        continue;
                    };
                    for row in 0..survey.len() {
                        let (Some(class), Some(n)) = (classes[row], counts[row]) else {
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
/// The raw cells of the column named `name` (the header was checked before).
fn column_of<'t>(raw: &'t RawTable, name: &str) -> &'t TextColumn {
    let i = raw
        .header
        .iter()
        .position(|h| h == name)
        .expect("header checked");
    &raw.columns[i]
}

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
