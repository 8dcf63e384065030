//! Reading a survey file's bytes into text cells, before the codebook gives them meaning: the
//! types every reader shares (the [`Dialect`] found, a [`RawTable`] of text columns, why a file is
//! [`Unreadable`]) and the readers: a delimited text file is decoded ([`decode`]), its line
//! endings, preamble and separator found ([`dialect`]), its header read ([`prepare`]) and its rows
//! split into cells in blocks of whole records ([`blocks`]), a large plain file scanned without
//! holding it whole ([`scan`]); a workbook's sheet is read by [`sheet`], a Parquet file by
//! [`parquet`]. Cell meaning is checked
//! in `validate`.

pub(in crate::survey) mod blocks;
pub(in crate::survey) mod caught;
mod decode;
pub(in crate::survey) mod dialect;
mod extent;
mod ods_bounds;
pub(in crate::survey) mod parquet;
pub(in crate::survey) mod prepare;
pub(in crate::survey) mod scan;
pub(in crate::survey) mod sheet;
pub(in crate::survey) mod sheet_bounds;
mod xls_bounds;
mod xlsb_bounds;
mod zip_parts;

use std::fmt;

use super::Problem;

pub(in crate::survey) use blocks::BLOCK_BYTES;
pub(in crate::survey) use prepare::{prepare, read_raw, Prepared};

/// How lines end in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineEnding {
    Lf,
    CrLf,
    Cr,
}

impl fmt::Display for LineEnding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            LineEnding::Lf => "LF",
            LineEnding::CrLf => "CRLF",
            LineEnding::Cr => "CR",
        })
    }
}

/// What was detected about a survey file's format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dialect {
    /// "UTF-8", "UTF-8 with BOM", "UTF-16LE", "UTF-16BE" or "Windows-1252".
    pub encoding: &'static str,
    pub separator: u8,
    pub line_ending: LineEnding,
    /// Number of `#` comment lines before the header.
    pub comment_lines: usize,
    /// The text of those comment lines, without the `#`.
    pub preamble: Vec<String>,
}

impl Dialect {
    pub fn separator_name(&self) -> &'static str {
        match self.separator {
            b',' => "comma",
            b';' => "semicolon",
            b'\t' => "tab",
            _ => "other",
        }
    }

    /// Whether the file says in its preamble that it holds synthetic data.
    pub fn says_synthetic(&self) -> bool {
        self.preamble.iter().any(|l| {
            l.to_lowercase().contains("synthetic") || l.to_lowercase().contains("synthetisch")
        })
    }

    /// Whether decimal numbers may use a comma (the separator is not a comma).
    pub fn decimal_comma_allowed(&self) -> bool {
        self.separator != b','
    }
}

/// The file's cells as text, before the codebook gives them meaning.
#[derive(Debug, PartialEq)]
pub(in crate::survey) struct RawTable {
    pub dialect: Dialect,
    pub header: Vec<String>,
    /// Spreadsheet row of the header.
    pub header_row: usize,
    /// Spreadsheet row number of each data row.
    pub rows: Vec<usize>,
    /// Cells by column (header order).
    pub columns: Vec<TextColumn>,
    /// What was read by a stated rule but deserves a look.
    pub warnings: Vec<Problem>,
}

impl RawTable {
    /// A table from cells given by column (header order), each `None` or empty when the cell is
    /// empty: for the readers of other formats (SPSS files, workbooks), which find the cells
    /// themselves and hand them to the same checks.
    pub(in crate::survey) fn from_cells(
        dialect: Dialect,
        header: Vec<String>,
        header_row: usize,
        rows: Vec<usize>,
        cells: Vec<Vec<Option<String>>>,
        warnings: Vec<Problem>,
    ) -> RawTable {
        let columns = cells
            .into_iter()
            .map(|column| {
                let mut text = TextColumn::default();
                for cell in column {
                    text.push(cell.as_deref().unwrap_or_default());
                }
                text
            })
            .collect();
        RawTable {
            dialect,
            header,
            header_row,
            rows,
            columns,
            warnings,
        }
    }
}

impl RawTable {
    /// A table from its text columns (header order), for the readers of other formats.
    pub(in crate::survey) fn from_columns(
        dialect: Dialect,
        header: Vec<String>,
        header_row: usize,
        rows: Vec<usize>,
        columns: Vec<TextColumn>,
        warnings: Vec<Problem>,
    ) -> RawTable {
        RawTable {
            dialect,
            header,
            header_row,
            rows,
            columns,
            warnings,
        }
    }
}

/// The cells of one column as text without surrounding blanks, stored end to end in one string
/// (one allocation per column, not one per cell); an empty cell is `None`.
#[derive(Debug, Default, PartialEq)]
pub(in crate::survey) struct TextColumn {
    text: String,
    /// Where each cell ends in `text` (it starts where the one before ends).
    ends: Vec<usize>,
}

impl TextColumn {
    /// Room for `cells` cells of `bytes` bytes in all.
    pub fn with_capacity(cells: usize, bytes: usize) -> TextColumn {
        TextColumn {
            text: String::with_capacity(bytes),
            ends: Vec::with_capacity(cells),
        }
    }

    pub fn push(&mut self, cell: &str) {
        self.text.push_str(cell.trim());
        self.ends.push(self.text.len());
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn get(&self, i: usize) -> Option<&str> {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        let cell = &self.text[start..self.ends[i]];
        (!cell.is_empty()).then_some(cell)
    }

    pub fn iter(&self) -> impl Iterator<Item = Option<&str>> {
        (0..self.len()).map(|i| self.get(i))
    }
}

/// Why the file could not be read as a table.
pub(in crate::survey) struct Unreadable {
    pub problems: Vec<Problem>,
    pub note: Option<String>,
}

impl Unreadable {
    /// Problems that stop the reading, with the note that says what was not checked.
    pub fn with_note(problems: Vec<Problem>, note: &str) -> Unreadable {
        Unreadable {
            problems,
            note: Some(note.to_string()),
        }
    }
}

impl From<Problem> for Unreadable {
    fn from(p: Problem) -> Unreadable {
        Unreadable {
            problems: vec![p],
            note: None,
        }
    }
}

/// The note for a file whose row structure is broken.
pub(in crate::survey) const BROKEN_ROWS: &str =
    "The row structure is broken, so the cells were not checked: fix these rows first.";

/// The problem of a file with a header and no data rows.
pub(in crate::survey) fn no_data_rows(header_row: usize) -> Problem {
    Problem::file(format!(
        "the file has a header row (row {header_row}) but no data rows; expected one row per case"
    ))
}
