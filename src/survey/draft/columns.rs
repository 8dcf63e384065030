//! The columns a codebook is drafted from, whatever the file: an SPSS file's variables with their
//! labels, user-missing values and measurement levels, or a text table's (CSV, workbook, Parquet)
//! columns, whose cells are read as numbers by the file's decimal mark where every cell is a
//! number, and kept as text otherwise.

use super::super::numbers::{DecimalMark, MarkEvidence, Reading};
use super::super::read::RawTable;
use super::super::sav::{SavFile, SYSMIS};

/// The cells of one column.
pub(super) enum Cells {
    /// Numbers, case by case (NaN: an empty cell, or SPSS's system-missing value).
    Numbers(Vec<f64>),
    /// Text, case by case (trimmed; empty: an empty cell).
    Text(Vec<String>),
}

/// One column of the file.
pub(super) struct Column {
    pub name: String,
    /// The variable label (SPSS), used as the question wording.
    pub label: Option<String>,
    /// Value labels of numbers, in the file's order.
    pub labels: Vec<(f64, String)>,
    /// The user-missing values the file declares for this column: single values, and a range.
    pub declared: Vec<f64>,
    pub declared_range: Option<(f64, f64)>,
    /// SPSS's measurement level: 1 nominal, 2 ordinal, 3 scale (0: not stated, or not SPSS).
    pub measure: i32,
    pub cells: Cells,
}

impl Column {
    /// Whether the file declares `x` missing for this column.
    pub fn declares_missing(&self, x: f64) -> bool {
        self.declared.contains(&x)
            || self
                .declared_range
                .is_some_and(|(lo, hi)| x >= lo && x <= hi)
    }

    /// The label of the number `x`.
    pub fn label_of(&self, x: f64) -> Option<&str> {
        self.labels
            .iter()
            .find(|(v, _)| *v == x)
            .map(|(_, l)| l.as_str())
    }

    /// The numbers of the column (none for a text column).
    pub fn numbers(&self) -> &[f64] {
        match &self.cells {
            Cells::Numbers(xs) => xs,
            Cells::Text(_) => &[],
        }
    }
}

/// A file's columns, and what the draft says about the file.
pub(super) struct Source {
    /// The file label of an SPSS file (empty otherwise).
    pub title: String,
    pub columns: Vec<Column>,
    pub cases: usize,
    /// An SPSS file, whose missing values are declared; in a table they are the codes used.
    pub declares_missing: bool,
}

/// The columns of an SPSS file.
pub(super) fn from_sav(file: &SavFile) -> Source {
    let columns = file
        .variables
        .iter()
        .map(|v| Column {
            name: v.name.clone(),
            label: v.label.clone(),
            labels: v.labels.iter().cloned().collect(),
            declared: v.missing.values.clone(),
            declared_range: v.missing.range,
            measure: v.measure,
            cells: if v.width > 0 {
                Cells::Text(file.strings(v).map(|s| s.trim().to_string()).collect())
            } else {
                Cells::Numbers(
                    file.numbers(v)
                        .map(|x| if x == SYSMIS { f64::NAN } else { x })
                        .collect(),
                )
            },
        })
        .collect();
    Source {
        title: file.file_label.clone(),
        columns,
        cases: file.cases,
        declares_missing: true,
    }
}

/// The columns of a text table (a delimited text file, a workbook's sheet, a Parquet file): the
/// file's decimal mark is decided from all its cells as `validate` decides it from a decimal
/// column's; a column whose every cell is a number by that mark (or a code with a zero fraction,
/// `2.0`) holds numbers, any other holds text.
pub(super) fn from_table(raw: &RawTable) -> Source {
    let cells = raw.columns.iter().enumerate().flat_map(|(j, column)| {
        column.iter().enumerate().map(move |(i, cell)| {
            (
                raw.rows.get(i).copied().unwrap_or(i + 2),
                raw.header[j].as_str(),
                cell.unwrap_or_default().trim(),
                true,
            )
        })
    });
    let mark = DecimalMark::from_evidence(raw.dialect.separator, MarkEvidence::of(cells));
    let columns = raw
        .header
        .iter()
        .zip(&raw.columns)
        .map(|(name, column)| {
            let text: Vec<String> = column
                .iter()
                .map(|c| c.unwrap_or_default().trim().to_string())
                .collect();
            let numbers: Option<Vec<f64>> = text.iter().map(|t| number(&mark, t)).collect();
            Column {
                name: name.clone(),
                label: None,
                labels: Vec::new(),
                declared: Vec::new(),
                declared_range: None,
                measure: 0,
                cells: match numbers {
                    Some(xs) => Cells::Numbers(xs),
                    None => Cells::Text(text),
                },
            }
        })
        .collect();
    Source {
        title: String::new(),
        columns,
        cases: raw.rows.len(),
        declares_missing: false,
    }
}

/// A cell as a number (NaN when empty), or `None` when it is none.
fn number(mark: &DecimalMark, text: &str) -> Option<f64> {
    if text.is_empty() {
        return Some(f64::NAN);
    }
    match mark.decimal(text) {
        Reading::Number(x, _) => Some(x),
        _ => match mark.code(text) {
            Reading::Number(x, _) => Some(x as f64),
            _ => None,
        },
    }
}
