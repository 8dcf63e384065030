//! What a workbook's sheet asks a reader to hold, counted the same way for every workbook format
//! (`sheet_bounds` for .xlsx and .ods, `xls_bounds` for .xls, `xlsb_bounds` for .xlsb): the used
//! range, the cells and their text, a row's text, and the refusals that name the sheet and the
//! cell.

use crate::survey::limits::{
    MAX_CELL_CHARS, MAX_COLUMNS, MAX_LINE_BYTES, MAX_SHEET_CELLS, MAX_SHEET_TEXT_BYTES,
};
use crate::survey::Problem;

/// The sheets of a workbook to check.
#[derive(Clone, Copy)]
pub(in crate::survey) enum Sheets<'a> {
    /// The one named, or the first: the one a survey is read from.
    One(Option<&'a str>),
    /// Every sheet, as a copy of the workbook reads them.
    All,
}

impl Sheets<'_> {
    /// The listed sheets (name and where) that will be read: the first of the name wanted (as
    /// calamine finds a sheet by its name), the first, or all.
    pub(in crate::survey) fn chosen<T>(self, mut listed: Vec<(String, T)>) -> Vec<(String, T)> {
        match self {
            Sheets::One(Some(wanted)) => {
                let first = listed.iter().position(|(n, _)| n == wanted);
                first.map(|i| listed.swap_remove(i)).into_iter().collect()
            }
            Sheets::One(None) => {
                listed.truncate(1);
                listed
            }
            Sheets::All => listed,
        }
    }
}

/// A sheet's cell in A1 notation (`row` and `column` from 0).
pub(in crate::survey) fn cell_name(row: u64, column: u64) -> String {
    let mut letters = Vec::new();
    let mut c = column + 1;
    while c > 0 {
        letters.push(b'A' + ((c - 1) % 26) as u8);
        c = (c - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", String::from_utf8(letters).expect("ASCII"), row + 1)
}

/// What a sheet asks a reader to hold: its used range (the rectangle of its filled cells), its
/// cells and their text, counted as they are read and refused at the first cell beyond a limit.
pub(in crate::survey) struct Extent {
    pub(in crate::survey) sheet: String,
    rows: Option<(u64, u64)>,
    columns: Option<(u64, u64)>,
    cells: u64,
    text: u64,
}

impl Extent {
    pub(in crate::survey) fn new(sheet: &str) -> Extent {
        Extent {
            sheet: sheet.to_string(),
            rows: None,
            columns: None,
            cells: 0,
            text: 0,
        }
    }

    /// Adds `times` filled cells from (`row`, `column`) on (a repeated row or cell), each of
    /// `text` bytes; `area_before` cells of earlier sheets count towards the same limit.
    pub(in crate::survey) fn add(
        &mut self,
        row: u64,
        column: u64,
        times: (u64, u64),
        text: u64,
        area_before: u64,
    ) -> Result<(), Problem> {
        let last_row = row.saturating_add(times.0 - 1);
        let last_column = column.saturating_add(times.1 - 1);
        let rows = self
            .rows
            .map_or((row, last_row), |(a, b)| (a.min(row), b.max(last_row)));
        let columns = self.columns.map_or((column, last_column), |(a, b)| {
            (a.min(column), b.max(last_column))
        });
        self.rows = Some(rows);
        self.columns = Some(columns);
        let n = times.0.saturating_mul(times.1);
        self.cells = self.cells.saturating_add(n);
        self.text = self.text.saturating_add(n.saturating_mul(text));
        let at = cell_name(last_row, last_column);
        let width = columns.1 - columns.0 + 1;
        let area = (rows.1 - rows.0 + 1)
            .saturating_mul(width)
            .saturating_add(area_before);
        let range = format!(
            "{}:{}",
            cell_name(rows.0, columns.0),
            cell_name(rows.1, columns.1)
        );
        if width > MAX_COLUMNS as u64 {
            return Err(self.refuse(&at, format!("its used range {range} is {width} columns wide; expected at most {MAX_COLUMNS} columns, as for a CSV file")));
        }
        if area > MAX_SHEET_CELLS as u64 || self.cells > MAX_SHEET_CELLS as u64 {
            return Err(self.refuse(&at, format!("its used range {range} holds {} cells; expected at most {MAX_SHEET_CELLS} (a larger survey is read from a CSV export)", area.max(self.cells))));
        }
        if self.text > MAX_SHEET_TEXT_BYTES as u64 {
            return Err(self.refuse(&at, format!("its cells hold more than {MAX_SHEET_TEXT_BYTES} bytes of text in all (each use of a shared text counted); expected at most that many")));
        }
        Ok(())
    }

    fn refuse(&self, cell: &str, why: String) -> Problem {
        Problem::file(format!(
            "cannot be read: the sheet '{}' reaches cell {cell}, and {why}",
            self.sheet
        ))
    }

    /// The cell count of the used range.
    pub(in crate::survey) fn area(&self) -> u64 {
        match (self.rows, self.columns) {
            (Some(r), Some(c)) => (r.1 - r.0 + 1).saturating_mul(c.1 - c.0 + 1),
            _ => 0,
        }
    }
}

/// The refusal of a cell whose text is too long.
pub(in crate::survey) fn long_cell(sheet: &str, cell: &str, chars: u64) -> Problem {
    Problem::file(format!(
        "cannot be read: the sheet '{sheet}' has {chars} characters in cell {cell}; expected at most {MAX_CELL_CHARS} in a cell, as Excel allows"
    ))
}

/// The refusal of a row whose text is too long.
pub(in crate::survey) fn long_row(sheet: &str, row: u64, bytes: u64) -> Problem {
    Problem::file(format!(
        "cannot be read: the sheet '{sheet}' has {bytes} bytes of text in row {}; expected at most {MAX_LINE_BYTES}, as for a line of a CSV file",
        row + 1
    ))
}

/// The text of the row a binary workbook's cells are in, as they come (counted from zero again
/// when the row changes), at most [`MAX_LINE_BYTES`] as for a line of a CSV file.
#[derive(Default)]
pub(in crate::survey) struct RowText {
    row: Option<u64>,
    bytes: u64,
}

impl RowText {
    /// Adds a cell of `bytes` of text in `row` of `sheet`.
    pub(in crate::survey) fn add(
        &mut self,
        sheet: &str,
        row: u64,
        bytes: u64,
    ) -> Result<(), Problem> {
        if self.row != Some(row) {
            (self.row, self.bytes) = (Some(row), 0);
        }
        self.bytes = self.bytes.saturating_add(bytes);
        if self.bytes > MAX_LINE_BYTES as u64 {
            return Err(long_row(sheet, row, self.bytes));
        }
        Ok(())
    }
}
