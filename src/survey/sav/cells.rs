//! An SPSS file's cases as the text cells a CSV export holds, for the checks every format shares:
//! numbers as a CSV writes them, user-missing values mapped onto the codebook's missing codes (each
//! value decided once, its label found by value), and the file's value labels checked against the
//! codebook's codes.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::{SavFile, SavVariable, SYSMIS};
use crate::survey::limits::MAX_PROBLEMS;
use crate::survey::numbers::{number_text, push_number_text};
use crate::survey::read::{Dialect, LineEnding, RawTable, TextColumn};
use crate::survey::{Codebook, Problem};

/// How a user-missing value of a variable is read.
#[derive(Clone)]
enum UserMissing {
    /// As the codebook's missing code (the code's text).
    Code(String),
    /// As no answer, shown in the warning like this.
    NoAnswer(String),
}

/// An SPSS file's cells as the text a CSV export holds. A numeric user-missing value is read by
/// this rule: the codebook's no-answer or not-applicable code stays that code; another value whose
/// value label is the label of one of those codes (German or English, any case) becomes that code;
/// any other user-missing value is no answer (empty), with a warning naming it.
pub(in crate::survey) fn sav_table(file: &SavFile, codebook: &Codebook) -> RawTable {
    let mut warnings = Vec::new();
    let mut columns = Vec::with_capacity(file.variables.len());
    for v in &file.variables {
        let mut as_no_answer: BTreeMap<String, usize> = BTreeMap::new();
        let mut column = TextColumn::with_capacity(file.cases, file.cases * 2);
        if v.width == 0 {
            let mut read = UserMissingReader::new(v, codebook);
            let mut text = String::new();
            for x in file.numbers(v) {
                text.clear();
                if x != SYSMIS && !x.is_nan() {
                    match read.user_missing(x) {
                        None => push_number_text(x, &mut text),
                        Some(UserMissing::Code(code)) => text.push_str(code),
                        Some(UserMissing::NoAnswer(shown)) => {
                            *as_no_answer.entry(shown.clone()).or_default() += 1;
                        }
                    }
                }
                column.push(&text);
            }
        } else {
            for s in file.strings(v) {
                if v.missing.strings.contains(&s) {
                    *as_no_answer.entry(format!("'{s}'")).or_default() += 1;
                    column.push("");
                } else {
                    column.push(&s);
                }
            }
        }
        if !as_no_answer.is_empty() {
            let list: Vec<String> = as_no_answer
                .iter()
                .map(|(value, n)| format!("{value} in {n} cases"))
                .collect();
            warnings.push(Problem::column(
                &v.name,
                format!(
                    "user-missing {} read as no answer ({}): neither the codebook's missing codes nor labelled like them",
                    list.join(", "),
                    codebook.missing.non_response.code
                ),
            ));
        }
        columns.push(column);
    }
    let mut preamble = Vec::new();
    if !file.file_label.is_empty() {
        preamble.push(file.file_label.clone());
    }
    preamble.extend(file.documents.iter().filter(|d| !d.is_empty()).cloned());
    let dialect = Dialect {
        encoding: file.encoding.name(),
        separator: b',',
        line_ending: LineEnding::Lf,
        comment_lines: 0,
        preamble,
    };
    RawTable::from_columns(
        dialect,
        file.variables.iter().map(|v| v.name.clone()).collect(),
        0,
        (1..=file.cases).collect(),
        columns,
        warnings,
    )
}

/// Reads a numeric variable's user-missing values by the rule of [`sav_table`], each distinct
/// value decided once.
struct UserMissingReader<'a> {
    variable: &'a SavVariable,
    /// The codebook's missing codes with their labels (German and English, lower case).
    codes: [(i64, [String; 2]); 2],
    decided: HashMap<u64, Option<UserMissing>>,
}

impl<'a> UserMissingReader<'a> {
    fn new(variable: &'a SavVariable, codebook: &Codebook) -> UserMissingReader<'a> {
        let m = &codebook.missing;
        let code =
            |c: &crate::survey::MissingCode| (c.code, [c.de.to_lowercase(), c.en.to_lowercase()]);
        UserMissingReader {
            variable,
            codes: [code(&m.non_response), code(&m.not_applicable)],
            decided: HashMap::new(),
        }
    }

    /// How `x` (neither system-missing nor NaN) is read when it is user-missing; `None` when it is
    /// read as the number it is.
    fn user_missing(&mut self, x: f64) -> Option<&UserMissing> {
        let v = self.variable;
        if !v.missing.contains(x) || self.codes.iter().any(|(c, _)| *c as f64 == x) {
            return None;
        }
        let key = if x == 0.0 { 0 } else { x.to_bits() };
        let codes = &self.codes;
        self.decided
            .entry(key)
            .or_insert_with(|| {
                let label = v.labels.get(x);
                let lower = label.map(|l| l.trim().to_lowercase());
                if let Some((code, _)) = codes
                    .iter()
                    .find(|(_, names)| lower.as_ref().is_some_and(|l| names.contains(l)))
                {
                    return Some(UserMissing::Code(code.to_string()));
                }
                Some(UserMissing::NoAnswer(match label {
                    Some(l) => format!("{} ('{l}')", number_text(x)),
                    None => number_text(x),
                }))
            })
            .as_ref()
    }
}

/// Value labels that name a code the codebook does not know (for a coded variable), each an error:
/// the file and the codebook disagree on what its codes mean. At most [`MAX_PROBLEMS`] are listed;
/// the second value says whether the check stopped there.
pub(in crate::survey) fn check_value_labels(
    file: &SavFile,
    targets: &[Option<String>],
    codebook: &Codebook,
) -> (Vec<Problem>, bool) {
    let m = &codebook.missing;
    let mut problems = Vec::new();
    for (v, target) in file.variables.iter().zip(targets) {
        let Some(var) = target.as_deref().and_then(|t| codebook.variable(t)) else {
            continue;
        };
        if !var.kind.is_coded() || v.labels.is_empty() {
            continue;
        }
        let known: HashSet<i64> = var.codes.iter().map(|c| c.code).collect();
        for (x, label) in v.labels.iter() {
            let known = x.fract() == 0.0 && known.contains(&(*x as i64));
            let missing = *x == m.non_response.code as f64
                || *x == m.not_applicable.code as f64
                || v.missing.contains(*x);
            if known || missing {
                continue;
            }
            if problems.len() == MAX_PROBLEMS {
                return (problems, true);
            }
            let codes: Vec<String> = var
                .codes
                .iter()
                .map(|c| format!("{} = {}", c.code, c.de))
                .collect();
            problems.push(Problem::column(
                &var.name,
                format!(
                    "the SPSS variable '{}' labels code {} ('{label}'), which the codebook does not know; expected its codes ({}) or a missing code",
                    v.name,
                    number_text(*x),
                    codes.join(", ")
                ),
            ));
        }
    }
    (problems, false)
}
