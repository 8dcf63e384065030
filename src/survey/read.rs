//! Reading a survey file as researchers export it: detecting the encoding (UTF-8 with or without
//! BOM, UTF-16 with BOM, Windows-1252 as German Excel writes it), line endings, a preamble of `#`
//! comment lines and the separator (comma, semicolon or tab), checking the row structure, and
//! parsing the cells with polars as text. Cell meaning is checked in `validate`.

use std::fmt;
use std::io::Cursor;

use polars::prelude::{CsvParseOptions, CsvReadOptions, DataFrame, SerReader};

use super::Problem;

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
pub(super) struct RawTable {
    pub dialect: Dialect,
    pub header: Vec<String>,
    /// Spreadsheet row of the header.
    pub header_row: usize,
    /// Spreadsheet row number of each data row.
    pub rows: Vec<usize>,
    /// Cells by column (header order).
    pub columns: Vec<TextColumn>,
}

/// The cells of one column as text without surrounding blanks, stored end to end in one string
/// (one allocation per column, not one per cell); an empty cell is `None`.
#[derive(Debug, Default, PartialEq)]
pub(super) struct TextColumn {
    text: String,
    /// Where each cell ends in `text` (it starts where the one before ends).
    ends: Vec<usize>,
}

impl TextColumn {
    fn push(&mut self, cell: &str) {
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
pub(super) struct Unreadable {
    pub problems: Vec<Problem>,
    pub note: Option<String>,
}

impl From<Problem> for Unreadable {
    fn from(p: Problem) -> Unreadable {
        Unreadable {
            problems: vec![p],
            note: None,
        }
    }
}

const SEPARATORS: [u8; 3] = [b',', b';', b'\t'];

/// Decodes the bytes to text and names the encoding.
fn decode(bytes: &[u8]) -> (String, &'static str) {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        let (text, _) = encoding_rs::UTF_8.decode_without_bom_handling(rest);
        return (text.into_owned(), "UTF-8 with BOM");
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        let (text, _) = encoding_rs::UTF_16LE.decode_without_bom_handling(rest);
        return (text.into_owned(), "UTF-16LE");
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        let (text, _) = encoding_rs::UTF_16BE.decode_without_bom_handling(rest);
        return (text.into_owned(), "UTF-16BE");
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_string(), "UTF-8"),
        Err(_) => {
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            (text.into_owned(), "Windows-1252")
        }
    }
}

/// Normalises line endings to LF and says which the file used (the most frequent).
fn normalise_line_endings(text: String) -> (String, LineEnding) {
    let crlf = text.matches("\r\n").count();
    let cr = text.matches('\r').count() - crlf;
    let lf = text.matches('\n').count() - crlf;
    let ending = if crlf > 0 && crlf >= lf && crlf >= cr {
        LineEnding::CrLf
    } else if cr > lf {
        LineEnding::Cr
    } else {
        LineEnding::Lf
    };
    if crlf + cr == 0 {
        return (text, ending);
    }
    (text.replace("\r\n", "\n").replace('\r', "\n"), ending)
}

/// Splits off leading `#` comment lines; returns them (without the `#`) and the rest.
fn strip_preamble(text: &str) -> (Vec<String>, &str) {
    let mut rest = text;
    let mut lines = Vec::new();
    while rest.starts_with('#') {
        let (line, after) = rest.split_once('\n').unwrap_or((rest, ""));
        lines.push(line[1..].trim().to_string());
        rest = after;
    }
    (lines, rest)
}

/// Drops blank lines outside quoted fields (exports often end with some); returns the text and,
/// for each line kept, its 1-based line number in `body`.
fn drop_blank_lines(body: &str) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(body.len());
    let mut lines = Vec::new();
    let mut quoted = false;
    for (i, line) in body.split('\n').enumerate() {
        let starts_quoted = quoted;
        quoted ^= line.bytes().filter(|&b| b == b'"').count() % 2 == 1;
        if !starts_quoted && line.trim().is_empty() {
            continue;
        }
        out.push_str(line);
        out.push('\n');
        lines.push(i + 1);
    }
    (out, lines)
}

/// Counts `sep` outside double quotes in one line.
fn count_outside_quotes(line: &str, sep: u8) -> usize {
    let mut quoted = false;
    line.bytes()
        .filter(|&b| {
            if b == b'"' {
                quoted = !quoted;
            }
            !quoted && b == sep
        })
        .count()
}

/// The separator that splits the header line into the most fields (comma on a tie or none).
fn detect_separator(header_line: &str) -> u8 {
    let mut best = (0, b',');
    for sep in SEPARATORS {
        let n = count_outside_quotes(header_line, sep);
        if n > best.0 {
            best = (n, sep);
        }
    }
    best.1
}

/// Reads the file's bytes into a table of text cells, or says why it cannot.
/// Files at least this large are parsed by polars (multi-threaded); smaller ones take their cells
/// from the row scan, which has already split every record: for a file of a few hundred
/// municipalities, starting polars' reader costs more than the whole parse.
pub const POLARS_MIN_BYTES: usize = 1 << 20;

pub(super) fn read_raw(bytes: &[u8]) -> Result<RawTable, Unreadable> {
    read_raw_with(bytes, bytes.len() >= POLARS_MIN_BYTES)
}

/// [`read_raw`], choosing the cell parser: polars, or the csv crate's row scan.
pub(super) fn read_raw_with(bytes: &[u8], with_polars: bool) -> Result<RawTable, Unreadable> {
    if bytes.is_empty() {
        return Err(Problem::file(
            "the file is empty (0 bytes); expected a header row with the codebook's column names",
        )
        .into());
    }
    let (text, encoding) = decode(bytes);
    let (text, line_ending) = normalise_line_endings(text);
    let (preamble, body) = strip_preamble(&text);
    let comment_lines = preamble.len();
    let (body, line_numbers) = drop_blank_lines(body);
    let body = body.as_str();
    // spreadsheet row of a line of `body`
    let row_of = |line: usize| {
        comment_lines
            + line_numbers
                .get(line.saturating_sub(1))
                .copied()
                .unwrap_or(line)
    };
    if body.trim().is_empty() {
        return Err(Problem::file(
            "the file holds no header row; expected a header row with the codebook's column names",
        )
        .into());
    }
    let header_line = body.lines().next().unwrap_or_default();
    let separator = detect_separator(header_line);
    let dialect = Dialect {
        encoding,
        separator,
        line_ending,
        comment_lines,
        preamble,
    };

    // Row structure, with the csv crate: it reports where each record starts.
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator)
        .has_headers(false)
        .flexible(true)
        .from_reader(body.as_bytes());
    let mut records = reader.records();
    let header: Vec<String> = match records.next() {
        Some(Ok(record)) => record.iter().map(|s| s.trim().to_string()).collect(),
        Some(Err(e)) => {
            return Err(Problem::row(row_of(1), format!("cannot read the header: {e}")).into())
        }
        None => unreachable!("body is not blank"),
    };
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    let mut scanned: Vec<TextColumn> = (0..header.len()).map(|_| TextColumn::default()).collect();
    for record in records {
        match record {
            Ok(record) => {
                let row = row_of(record.position().map_or(0, |p| p.line() as usize));
                if !with_polars {
                    for (column, cell) in scanned.iter_mut().zip(record.iter()) {
                        column.push(cell);
                    }
                }
                if record.len() != header.len() {
                    problems.push(Problem::row(
                        row,
                        format!(
                            "has {} fields, the header has {}; expected one field per column (is a separator or quote missing or extra?)",
                            record.len(),
                            header.len()
                        ),
                    ));
                }
                rows.push(row);
            }
            Err(e) => {
                let row = e
                    .position()
                    .map_or(comment_lines, |p| row_of(p.line() as usize));
                problems.push(Problem::row(row, format!("cannot be read: {e}")));
            }
        }
    }
    if !problems.is_empty() {
        return Err(Unreadable {
            problems,
            note: Some(
                "The row structure is broken, so the cells were not checked: fix these rows first."
                    .to_string(),
            ),
        });
    }
    if rows.is_empty() {
        return Err(Problem::file(format!(
            "the file has a header row (row {}) but no data rows; expected one row per municipality",
            row_of(1)
        ))
        .into());
    }

    if !with_polars {
        return Ok(RawTable {
            dialect,
            header,
            header_row: row_of(1),
            rows,
            columns: scanned,
        });
    }

    // The cells, with polars, all as text: meaning is the codebook's business.
    let frame = parse_cells(body, separator).map_err(|e| {
        Unreadable::from(Problem::file(format!("cannot be parsed as a table: {e}")))
    })?;
    if frame.height() != rows.len() || frame.width() != header.len() {
        return Err(Problem::file(format!(
            "parses to {} rows and {} columns, but the row scan found {} rows and {} columns; \
             expected a rectangular table (are there blank lines or stray quotes?)",
            frame.height(),
            frame.width(),
            rows.len(),
            header.len()
        ))
        .into());
    }
    let mut columns = Vec::with_capacity(frame.width());
    for column in frame.columns() {
        let text = column.str().map_err(|e| {
            Unreadable::from(Problem::file(format!("cannot be parsed as a table: {e}")))
        })?;
        let mut cells = TextColumn::default();
        for cell in text.iter() {
            cells.push(cell.unwrap_or_default());
        }
        columns.push(cells);
    }
    Ok(RawTable {
        dialect,
        header,
        header_row: row_of(1),
        rows,
        columns,
    })
}

fn parse_cells(body: &str, separator: u8) -> polars::prelude::PolarsResult<DataFrame> {
    CsvReadOptions::default()
        .with_has_header(true)
        .with_infer_schema_length(Some(0))
        .with_n_threads(Some(1))
        .with_parse_options(
            CsvParseOptions::default()
                .with_separator(separator)
                .with_quote_char(Some(b'"'))
                .with_missing_is_null(true),
        )
        .into_reader_with_file_handle(Cursor::new(body.as_bytes().to_vec()))
        .finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separator_is_the_one_that_splits_the_header_most() {
        assert_eq!(detect_separator("a;b;c"), b';');
        assert_eq!(detect_separator("a,b,c"), b',');
        assert_eq!(detect_separator("a\tb\tc"), b'\t');
        assert_eq!(detect_separator("\"a,1\";\"b,2\";c"), b';');
    }

    #[test]
    fn windows_1252_is_detected_when_not_utf8() {
        let (text, enc) = decode(b"Th\xfcringen");
        assert_eq!(enc, "Windows-1252");
        assert_eq!(text, "Thüringen");
        let (text, enc) = decode("Thüringen".as_bytes());
        assert_eq!(enc, "UTF-8");
        assert_eq!(text, "Thüringen");
    }

    #[test]
    fn line_endings_are_normalised() {
        let (text, ending) = normalise_line_endings("a\r\nb\r\n".to_string());
        assert_eq!((text.as_str(), ending), ("a\nb\n", LineEnding::CrLf));
        let (text, ending) = normalise_line_endings("a\rb\r".to_string());
        assert_eq!((text.as_str(), ending), ("a\nb\n", LineEnding::Cr));
    }

    #[test]
    fn blank_lines_outside_quotes_are_dropped_with_their_numbers_kept() {
        let (text, lines) = drop_blank_lines("a,b\n\n1,2\n\"x\n\ny\",3\n\n");
        assert_eq!(text, "a,b\n1,2\n\"x\n\ny\",3\n");
        assert_eq!(lines, vec![1, 3, 4, 5, 6]);
    }

    #[test]
    fn preamble_comment_lines_are_counted() {
        assert_eq!(
            strip_preamble("# x\n#y\na,b\n"),
            (vec!["x".to_string(), "y".to_string()], "a,b\n")
        );
        assert_eq!(strip_preamble("a,b\n"), (vec![], "a,b\n"));
    }

    #[test]
    fn polars_and_the_row_scan_read_the_same_cells() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = vec![root.join("data/survey.csv")];
        for entry in std::fs::read_dir(root.join("tests/fixtures")).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "csv") {
                files.push(path);
            }
        }
        let mut compared = 0;
        for path in files {
            let bytes = std::fs::read(&path).unwrap();
            match (read_raw_with(&bytes, true), read_raw_with(&bytes, false)) {
                (Ok(a), Ok(b)) => {
                    assert_eq!(a, b, "{}", path.display());
                    compared += 1;
                }
                (Err(a), Err(b)) => assert_eq!(a.problems, b.problems, "{}", path.display()),
                (a, b) => panic!(
                    "{}: polars {} but the row scan {}",
                    path.display(),
                    if a.is_ok() { "reads it" } else { "fails" },
                    if b.is_ok() { "reads it" } else { "fails" }
                ),
            }
        }
        assert!(compared > 15, "{compared}");
    }
}
