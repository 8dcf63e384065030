//! An SPSS file's cases as the text cells a CSV export holds, for the checks every format shares:
//! numbers as a CSV writes them, user-missing values mapped onto the codebook's missing codes, and
//! the file's value labels checked against the codebook's codes.

use std::collections::BTreeMap;

use super::{SavColumn, SavFile, SYSMIS};
use crate::survey::numbers::number_text;
use crate::survey::read::{Dialect, LineEnding, RawTable};
use crate::survey::{Codebook, Problem};

/// The label of `x` among a variable's value labels.
fn label_of(labels: &[(f64, String)], x: f64) -> Option<&str> {
    labels
        .iter()
        .find(|(v, _)| *v == x)
        .map(|(_, l)| l.as_str())
}

/// An SPSS file's cells as the text a CSV export holds. A numeric user-missing value is read by
/// this rule: the codebook's no-answer or not-applicable code stays that code; another value whose
/// value label is the label of one of those codes (German or English, any case) becomes that code;
/// any other user-missing value is no answer (empty), with a warning naming it.
pub(in crate::survey) fn sav_table(file: &SavFile, codebook: &Codebook) -> RawTable {
    let m = &codebook.missing;
    let missing_codes = [
        (
            m.non_response.code,
            [&m.non_response.de, &m.non_response.en],
        ),
        (
            m.not_applicable.code,
            [&m.not_applicable.de, &m.not_applicable.en],
        ),
    ];
    let mut warnings = Vec::new();
    let mut cells = Vec::with_capacity(file.variables.len());
    for (v, column) in file.variables.iter().zip(&file.columns) {
        let mut as_no_answer: BTreeMap<String, usize> = BTreeMap::new();
        let column: Vec<Option<String>> = match column {
            SavColumn::Numeric(values) => values
                .iter()
                .map(|&x| {
                    if x == SYSMIS || x.is_nan() {
                        return None;
                    }
                    if !v.missing.contains(x) || missing_codes.iter().any(|(c, _)| *c as f64 == x) {
                        return Some(number_text(x));
                    }
                    let label = label_of(&v.labels, x);
                    if let Some((code, _)) = missing_codes.iter().find(|(_, names)| {
                        label.is_some_and(|l| {
                            names
                                .iter()
                                .any(|n| n.to_lowercase() == l.trim().to_lowercase())
                        })
                    }) {
                        return Some(code.to_string());
                    }
                    let shown = match label {
                        Some(l) => format!("{} ('{l}')", number_text(x)),
                        None => number_text(x),
                    };
                    *as_no_answer.entry(shown).or_default() += 1;
                    None
                })
                .collect(),
            SavColumn::Text(values) => values
                .iter()
                .map(|s| {
                    if v.missing.strings.contains(s) {
                        *as_no_answer.entry(format!("'{s}'")).or_default() += 1;
                        return None;
                    }
                    (!s.trim().is_empty()).then(|| s.trim().to_string())
                })
                .collect(),
        };
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
                    m.non_response.code
                ),
            ));
        }
        cells.push(column);
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
    RawTable::from_cells(
        dialect,
        file.variables.iter().map(|v| v.name.clone()).collect(),
        0,
        (1..=file.cases).collect(),
        cells,
        warnings,
    )
}

/// Value labels that name a code the codebook does not know (for a coded variable), each an error:
/// the file and the codebook disagree on what its codes mean.
pub(in crate::survey) fn check_value_labels(
    file: &SavFile,
    targets: &[Option<String>],
    codebook: &Codebook,
) -> Vec<Problem> {
    let m = &codebook.missing;
    let mut problems = Vec::new();
    for (v, target) in file.variables.iter().zip(targets) {
        let Some(var) = target.as_deref().and_then(|t| codebook.variable(t)) else {
            continue;
        };
        if !var.kind.is_coded() {
            continue;
        }
        for (x, label) in &v.labels {
            let known = x.fract() == 0.0 && var.code(*x as i64).is_some();
            let missing = *x == m.non_response.code as f64
                || *x == m.not_applicable.code as f64
                || v.missing.contains(*x);
            if !known && !missing {
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
    }
    problems
}
