//! Tables as analysts open them: every CSV output, every sheet of the Excel workbooks and the
//! console's tables are a [`Table`] of typed [`Cell`]s (text, or a number with its decimals),
//! made into text in one place per medium: CSV in the chosen [`CsvStyle`] ([`mod@csv`]: RFC 4180
//! for programs, or German Excel: `;`, decimal comma, BOM, CRLF), workbook sheets ([`xlsx`]) and
//! aligned plain text in the run's language ([`terminal`]). Text that a spreadsheet would read as
//! a formula is neutralised the same way in every CSV dialect and in the workbook
//! ([`crate::escape::neutralise`]); numbers stay numbers. CSV columns keep their English names
//! in every language; a workbook's sheet names and column headings are in the run's language
//! ([`headings`]).

pub mod csv;
pub mod headings;
pub mod terminal;
pub mod xlsx;

pub use self::csv::{write_csv, CsvStyle};

/// One cell of a table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    /// A number; `decimals: None` writes the shortest text that reads back as the same number.
    Number {
        value: f64,
        decimals: Option<usize>,
    },
    /// A share in percent points (31.15 for 31.15 %): the CSV holds the points, the workbook the
    /// fraction with a percent format.
    Percent {
        points: f64,
        decimals: usize,
    },
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }

    /// A number with a fixed number of decimals; a value that is not finite is an empty cell.
    pub fn number(value: f64, decimals: usize) -> Cell {
        Cell::checked(value, Some(decimals))
    }

    /// A number in its shortest exact form (counts, published values).
    pub fn exact(value: f64) -> Cell {
        Cell::checked(value, None)
    }

    /// A number rounded to `decimals` decimals and written in its shortest exact form, without
    /// trailing zeros: `4.5`, not `4.500000`, and a sum of weights such as 0.1 + 0.2 as `0.3`,
    /// without the binary noise of the sum; a value too large to round that way is [`Cell::exact`].
    pub fn rounded(value: f64, decimals: usize) -> Cell {
        let scale = 10f64.powi(decimals.min(15) as i32);
        let scaled = (value * scale).round();
        // below 2^53 the scaled value is an exact integer, and dividing it by a power of ten
        // gives the double nearest to the decimal, which prints as that decimal
        if scaled.abs() < 9_007_199_254_740_992.0 {
            Cell::exact(scaled / scale)
        } else {
            Cell::exact(value)
        }
    }

    pub fn count(n: usize) -> Cell {
        Cell::exact(n as f64)
    }

    pub fn percent(points: f64, decimals: usize) -> Cell {
        if points.is_finite() {
            Cell::Percent { points, decimals }
        } else {
            Cell::Empty
        }
    }

    /// `Some` as a number, `None` as an empty cell.
    pub fn opt(value: Option<f64>, decimals: usize) -> Cell {
        value.map_or(Cell::Empty, |v| Cell::number(v, decimals))
    }

    fn checked(value: f64, decimals: Option<usize>) -> Cell {
        if value.is_finite() {
            Cell::Number { value, decimals }
        } else {
            Cell::Empty
        }
    }

    /// The number as the CSV (RFC 4180) writes it, with a decimal point. Its shortest exact form
    /// is written as Python and pandas write a float: with an exponent below 0.0001 and from
    /// 10^16 on (`2.75e-51`, not 0. and 50 zeros), plainly in between.
    fn number_text(value: f64, decimals: Option<usize>) -> String {
        match decimals {
            Some(d) => format!("{value:.d$}"),
            None if value != 0.0 && !(1e-4..1e16).contains(&value.abs()) => format!("{value:e}"),
            None => value.to_string(),
        }
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Text(s)
    }
}

/// A table: a header of column names and rows of cells (every row as long as the header).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    pub fn new<S: Into<String>>(header: impl IntoIterator<Item = S>) -> Table {
        Table {
            header: header.into_iter().map(Into::into).collect(),
            rows: Vec::new(),
        }
    }

    pub fn push(&mut self, row: Vec<Cell>) {
        self.rows.push(row);
    }
}
