//! Reading a survey file as researchers export it: deciding the encoding on the whole file (UTF-8
//! with or without BOM, UTF-16 with BOM, Windows-1252 as German Excel writes it; a hint for UTF-16
//! or UTF-32 without BOM), line endings, a preamble of `#` comment lines (also as a spreadsheet
//! quotes them) and the separator (comma, semicolon or tab), checking the row structure, and
//! splitting the rows into cells: a large file in blocks of whole records that are read in
//! parallel ([`Prepared::blocks`]), each record handed to the checks as fields borrowed from the
//! text ([`Prepared::records`]: split at the separator in one pass over the bytes when the block
//! holds no quote, read with the csv crate when it does), or the whole file at once as text
//! columns ([`read_raw`]). Cell meaning is checked in `validate`.

use std::borrow::Cow;
use std::fmt;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::ops::Range;
use std::sync::{Mutex, PoisonError};

use rayon::prelude::*;

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
    /// What was read by a stated rule but deserves a look.
    pub warnings: Vec<Problem>,
}

impl RawTable {
    /// A table from cells given by column (header order), each `None` or empty when the cell is
    /// empty: for the readers of other formats (SPSS files, workbooks), which find the cells
    /// themselves and hand them to the same checks.
    pub(super) fn from_cells(
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

/// The cells of one column as text without surrounding blanks, stored end to end in one string
/// (one allocation per column, not one per cell); an empty cell is `None`.
#[derive(Debug, Default, PartialEq)]
pub(super) struct TextColumn {
    text: String,
    /// Where each cell ends in `text` (it starts where the one before ends).
    ends: Vec<usize>,
}

impl TextColumn {
    pub fn push(&mut self, cell: &str) {
        self.text.push_str(cell.trim());
        self.ends.push(self.text.len());
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn get(&self, i: usize) -> Option<&str> {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        let cell = &self.text[start..self.ends[i]];
        (!cell.is_empty()).then_some(cell)
    }

    #[cfg(test)]
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

/// The file as text (borrowed when the file is UTF-8 already), with its encoding and what
/// deserves a look.
struct Decoded<'a> {
    text: Cow<'a, str>,
    encoding: &'static str,
    warnings: Vec<Problem>,
}

/// Whether a line (as bytes or text) is a comment line: it starts with `#`, or with `"#` as a
/// spreadsheet writes a comment line that holds a separator.
pub(super) fn is_comment(line: &[u8]) -> bool {
    line.starts_with(b"#") || line.starts_with(b"\"#")
}

/// The lines of the bytes (LF, CRLF or CR), without their endings.
fn byte_lines(bytes: &[u8]) -> Vec<&[u8]> {
    let mut lines = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                lines.push(&bytes[start..i]);
                start = i + 1;
            }
            b'\r' => {
                lines.push(&bytes[start..i]);
                if bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    if start < bytes.len() {
        lines.push(&bytes[start..]);
    }
    lines
}

/// The first byte of `line` that is not UTF-8, in hex, with the line around it.
fn invalid_byte(line: &[u8]) -> String {
    let at = std::str::from_utf8(line)
        .err()
        .map_or(0, |e| e.valid_up_to());
    let from = at.saturating_sub(20);
    let context = String::from_utf8_lossy(&line[from..(at + 20).min(line.len())]).into_owned();
    format!(
        "byte 0x{:02X} in {}",
        line[at],
        super::problems::quote(&context)
    )
}

/// The first character of the bytes that is a valid UTF-8 multi-byte sequence, with its line.
fn first_multibyte(lines: &[&[u8]]) -> Option<(usize, char)> {
    lines.iter().enumerate().find_map(|(i, line)| {
        line.utf8_chunks()
            .find_map(|chunk| chunk.valid().chars().find(|c| !c.is_ascii()))
            .map(|c| (i + 1, c))
    })
}

/// UTF-16 or UTF-32 without a byte-order mark, told by where the zero bytes are.
fn wide_without_bom(bytes: &[u8]) -> Option<&'static str> {
    let sample = &bytes[..bytes.len().min(4096) / 4 * 4];
    if sample.is_empty() {
        return None;
    }
    let quarter = (sample.len() / 4) as f64;
    let zero = |k: usize| {
        sample
            .iter()
            .skip(k)
            .step_by(4)
            .filter(|&&b| b == 0)
            .count() as f64
            / quarter
    };
    let z = [zero(0), zero(1), zero(2), zero(3)];
    let many = |k: usize| z[k] > 0.5;
    if many(1) && many(2) && many(3) && !many(0) {
        Some("UTF-32LE")
    } else if many(0) && many(1) && many(2) && !many(3) {
        Some("UTF-32BE")
    } else if many(1) && many(3) && !many(0) && !many(2) {
        Some("UTF-16LE")
    } else if many(0) && many(2) && !many(1) && !many(3) {
        Some("UTF-16BE")
    } else {
        None
    }
}

/// Decodes the bytes to text, deciding the encoding on the whole file:
/// - a byte-order mark decides it (UTF-8, UTF-16; UTF-32 is not read);
/// - zero bytes mean UTF-16 or UTF-32 without a mark (or not a text file): an error with a hint;
/// - valid UTF-8 is UTF-8;
/// - otherwise, if any valid UTF-8 multi-byte sequence occurs, the file is UTF-8: bytes that are
///   not UTF-8 in a comment line are a warning (they show as U+FFFD), in a data row an error
///   naming the row;
/// - otherwise (bytes 0x80-0xFF, none forming UTF-8) Windows-1252.
fn decode(bytes: &[u8]) -> Result<Decoded<'_>, Unreadable> {
    fn decoded<'a>(text: Cow<'a, str>, encoding: &'static str) -> Decoded<'a> {
        Decoded {
            text,
            encoding,
            warnings: Vec::new(),
        }
    }
    for (bom, name) in [
        (b"\xFF\xFE\x00\x00".as_slice(), "UTF-32LE"),
        (b"\x00\x00\xFE\xFF".as_slice(), "UTF-32BE"),
    ] {
        if bytes.starts_with(bom) {
            return Err(Problem::file(format!(
                "the file is {name} (it starts with that byte-order mark), which is not read; expected UTF-8, UTF-16 or Windows-1252: save it as \"CSV UTF-8\""
            ))
            .into());
        }
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        let (text, _) = encoding_rs::UTF_16LE.decode_without_bom_handling(rest);
        return Ok(decoded(Cow::Owned(text.into_owned()), "UTF-16LE"));
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        let (text, _) = encoding_rs::UTF_16BE.decode_without_bom_handling(rest);
        return Ok(decoded(Cow::Owned(text.into_owned()), "UTF-16BE"));
    }
    if let Some(at) = bytes.iter().position(|&b| b == 0) {
        let message = match wide_without_bom(bytes) {
            Some(name) => format!(
                "the file holds zero bytes where text has none: it looks like {name} without a byte-order mark; expected UTF-8, Windows-1252, or UTF-16 with a byte-order mark: save it as \"CSV UTF-8\" (or as Excel's \"Unicode text\", which writes the mark)"
            ),
            None if bytes.starts_with(b"PK") => "the file is not text (it starts like a zip archive: is it an .xlsx workbook?); expected a CSV or tab-separated text export".to_string(),
            None => format!(
                "the file holds a zero byte (byte {}), which text does not; expected a CSV or tab-separated text export in UTF-8, Windows-1252 or UTF-16 with a byte-order mark",
                at + 1
            ),
        };
        return Err(Problem::file(message).into());
    }
    let (rest, encoding) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (rest, "UTF-8 with BOM"),
        None => (bytes, "UTF-8"),
    };
    if let Ok(text) = std::str::from_utf8(rest) {
        return Ok(decoded(Cow::Borrowed(text), encoding));
    }
    let lines = byte_lines(rest);
    let why = match first_multibyte(&lines) {
        Some((row, c)) => format!("row {row} has '{c}' in UTF-8"),
        None if encoding == "UTF-8 with BOM" => "it starts with a UTF-8 byte-order mark".into(),
        None => {
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            return Ok(decoded(Cow::Owned(text.into_owned()), "Windows-1252"));
        }
    };
    utf8_with_stray_bytes(rest, &lines, encoding, why)
}

/// A UTF-8 file with bytes that are not UTF-8: a warning for each comment line that has them, an
/// error for each data row; `why` says why the file is taken as UTF-8.
fn utf8_with_stray_bytes<'a>(
    rest: &[u8],
    lines: &[&[u8]],
    encoding: &'static str,
    why: String,
) -> Result<Decoded<'a>, Unreadable> {
    let preamble = lines.iter().take_while(|l| is_comment(l)).count();
    let mut warnings = Vec::new();
    let mut problems = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if std::str::from_utf8(line).is_ok() {
            continue;
        }
        let bad = invalid_byte(line);
        if i < preamble {
            warnings.push(Problem::row(
                i + 1,
                format!(
                    "the comment line holds a {bad} that is not UTF-8; the data rows are UTF-8 ({why}), so the file is read as UTF-8 and the comment shows U+FFFD there"
                ),
            ));
        } else {
            problems.push(Problem::row(
                i + 1,
                format!(
                    "holds a {bad} that is not UTF-8, but the file is UTF-8 ({why}); expected one encoding throughout: save the file again as \"CSV UTF-8\" or fix this row"
                ),
            ));
        }
    }
    if !problems.is_empty() {
        return Err(Unreadable {
            problems,
            note: Some("The file mixes encodings, so the cells were not checked.".to_string()),
        });
    }
    Ok(Decoded {
        text: Cow::Owned(String::from_utf8_lossy(rest).into_owned()),
        encoding,
        warnings,
    })
}

/// Normalises line endings to LF and says which the file used (the most frequent).
fn normalise_line_endings(text: Cow<'_, str>) -> (Cow<'_, str>, LineEnding) {
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
    (
        Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n")),
        ending,
    )
}

/// Splits off leading comment lines; returns their text and the rest. A comment line starts with
/// `#`, or with `"#` where a spreadsheet quoted it because it holds a separator (`"# a; b";;;`):
/// the quotes are taken off, and so are the empty fields a spreadsheet adds after it.
fn strip_preamble(text: &str) -> (Vec<String>, &str) {
    let mut rest = text;
    let mut lines = Vec::new();
    while is_comment(rest.as_bytes()) {
        let (line, after) = rest.split_once('\n').unwrap_or((rest, ""));
        lines.push(comment_text(line));
        rest = after;
    }
    (lines, rest)
}

/// The text of a comment line, without `#`, quotes and trailing empty fields.
fn comment_text(line: &str) -> String {
    let unquoted = match line.strip_prefix('"') {
        Some(quoted) => {
            // the quoted field, with doubled quotes undone, then what follows it
            let mut field = String::new();
            let mut chars = quoted.char_indices().peekable();
            let mut after = "";
            while let Some((i, c)) = chars.next() {
                if c == '"' {
                    if chars.peek().is_some_and(|&(_, d)| d == '"') {
                        chars.next();
                    } else {
                        after = &quoted[i + 1..];
                        break;
                    }
                }
                field.push(c);
            }
            field + after
        }
        None => line.to_string(),
    };
    let text = unquoted.strip_prefix('#').unwrap_or(&unquoted);
    text.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '\t'))
        .trim()
        .to_string()
}

/// Drops blank lines outside quoted fields (exports often end with some); returns the text
/// (borrowed when there is no blank line to drop) and, for each line kept, its 1-based line number
/// in `body`.
fn drop_blank_lines(body: &str) -> (Cow<'_, str>, Vec<usize>) {
    let mut lines = Vec::new();
    let mut quoted = false;
    let mut blank = false;
    let pieces = body.split('\n').count();
    for (i, line) in body.split('\n').enumerate() {
        let starts_quoted = quoted;
        quoted ^= line.bytes().filter(|&b| b == b'"').count() % 2 == 1;
        if !starts_quoted && line.trim().is_empty() {
            // the empty piece after a final line break is no blank line
            blank |= !(i + 1 == pieces && line.is_empty());
            continue;
        }
        lines.push(i + 1);
    }
    if !blank {
        return (Cow::Borrowed(body), lines);
    }
    let mut out = String::with_capacity(body.len());
    let mut kept = lines.iter().peekable();
    for (i, line) in body.split('\n').enumerate() {
        if kept.next_if(|&&k| k == i + 1).is_some() {
            out.push_str(line);
            out.push('\n');
        }
    }
    (Cow::Owned(out), lines)
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
pub(super) fn detect_separator(header_line: &str) -> u8 {
    let mut best = (0, b',');
    for sep in SEPARATORS {
        let n = count_outside_quotes(header_line, sep);
        if n > best.0 {
            best = (n, sep);
        }
    }
    best.1
}

/// Files at least this large are read in blocks of about this many bytes of whole records, each
/// block split into cells and checked on its own thread; a smaller file is one block.
pub const BLOCK_BYTES: usize = 1 << 20;
/// The most columns a survey file may have: far more than any codebook, few enough that a line of
/// separators cannot take gigabytes of memory as empty header fields.
pub const MAX_COLUMNS: usize = 10_000;
/// The longest header line (column names).
pub const MAX_HEADER_BYTES: usize = 1 << 20;
/// The longest line (a data row; quoted line breaks end a line here, so a quoted field spanning
/// lines is not cut short by this).
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// A survey file decoded, its preamble and header read, its data rows still text: split into
/// blocks of whole records ([`Prepared::blocks`]) that are read ([`Prepared::read_block`]) one by
/// one or in parallel. The text is borrowed from the file's bytes when they are UTF-8 with LF line
/// endings and no blank lines, so a large file is not copied.
pub(super) struct Prepared<'a> {
    pub dialect: Dialect,
    pub header: Vec<String>,
    /// Spreadsheet row of the header.
    pub header_row: usize,
    pub warnings: Vec<Problem>,
    body: Body<'a>,
    /// Where the data rows start in `body`, and how many lines come before them.
    data_start: usize,
    data_line: usize,
    comment_lines: usize,
    /// For each line of `body`, its line number before blank lines were dropped.
    line_numbers: Vec<usize>,
}

/// Where the text of a prepared file's data rows is.
enum Body<'a> {
    /// In memory: the text after the preamble (borrowed from the file's bytes, or decoded).
    Text(Cow<'a, str>),
    /// Still in the file: a plain UTF-8 file scanned in pieces, its rows read block by block.
    File(InFile),
}

/// The data rows of a plain UTF-8 file (LF or CRLF line endings, no blank line, no zero byte), left in
/// the file: they are read span by span as they are checked ([`super::scan`] found the spans).
pub(super) struct InFile {
    pub file: Mutex<File>,
    /// The data rows' bytes in the file.
    pub data: Range<usize>,
    /// The blocks of whole records, by their byte ranges in the file.
    pub spans: Vec<Span>,
    /// The lines after the header.
    pub lines: usize,
    /// Whether lines end with CRLF (the text of a span is read with LF, as the whole file's).
    pub crlf: bool,
}

impl InFile {
    /// The text of the bytes `range` of the file.
    fn text(&self, range: Range<usize>) -> Result<String, Problem> {
        let mut bytes = vec![0; range.len()];
        {
            let mut file = self.file.lock().unwrap_or_else(PoisonError::into_inner);
            file.seek(SeekFrom::Start(range.start as u64))
                .and_then(|_| file.read_exact(&mut bytes))
                .map_err(|e| {
                    Problem::file(format!(
                        "cannot be read at byte {}: {e} (did it change while it was read?)",
                        range.start + 1
                    ))
                })?;
        }
        let text = String::from_utf8(bytes).map_err(|_| {
            Problem::file(format!(
                "changed while it was read: bytes {} to {} are no longer UTF-8 text; read it again when nothing writes to it",
                range.start + 1,
                range.end
            ))
        })?;
        Ok(if self.crlf {
            text.replace("\r\n", "\n")
        } else {
            text
        })
    }
}

/// Whole records of the data: a byte range of the body (of the file, when the rows are left in
/// it) and the number of lines of the body before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Span {
    pub bytes: Range<usize>,
    pub first_line: usize,
}

/// The cells of a block of data rows as text, or what is wrong with the rows' structure.
pub(super) struct TextBlock {
    /// Spreadsheet row number of each data row.
    pub rows: Vec<usize>,
    /// Cells by column (header order).
    pub columns: Vec<TextColumn>,
    /// Rows that cannot be read or have the wrong number of fields.
    pub problems: Vec<Problem>,
}

/// The note for a file whose row structure is broken.
pub(super) const BROKEN_ROWS: &str =
    "The row structure is broken, so the cells were not checked: fix these rows first.";

/// The problem of a file with a header and no data rows.
pub(super) fn no_data_rows(header_row: usize) -> Problem {
    Problem::file(format!(
        "the file has a header row (row {header_row}) but no data rows; expected one row per municipality"
    ))
}

/// Reads the file's bytes into a table of text cells, or says why it cannot (the whole file as
/// one block: for the copy `--save-into` writes, and the tests compare the blocks with it).
pub(super) fn read_raw(bytes: &[u8]) -> Result<RawTable, Unreadable> {
    let prepared = prepare(bytes)?;
    let whole = prepared.read_block(&prepared.all());
    if !whole.problems.is_empty() {
        return Err(Unreadable {
            problems: whole.problems,
            note: Some(BROKEN_ROWS.to_string()),
        });
    }
    if whole.rows.is_empty() {
        return Err(no_data_rows(prepared.header_row).into());
    }
    Ok(RawTable {
        dialect: prepared.dialect,
        header: prepared.header,
        header_row: prepared.header_row,
        rows: whole.rows,
        columns: whole.columns,
        warnings: prepared.warnings,
    })
}

/// Decodes the file and reads its preamble and header, checking the limits.
pub(super) fn prepare(bytes: &[u8]) -> Result<Prepared<'_>, Unreadable> {
    if bytes.is_empty() {
        return Err(Problem::file(
            "the file is empty (0 bytes); expected a header row with the codebook's column names",
        )
        .into());
    }
    let Decoded {
        text,
        encoding,
        warnings,
    } = decode(bytes)?;
    let (text, line_ending) = normalise_line_endings(text);
    let (preamble, body, line_numbers) = match text {
        Cow::Borrowed(text) => {
            let (preamble, rest) = strip_preamble(text);
            let (body, lines) = drop_blank_lines(rest);
            (preamble, body, lines)
        }
        Cow::Owned(text) => {
            let (preamble, rest) = strip_preamble(&text);
            let (body, lines) = drop_blank_lines(rest);
            (preamble, Cow::Owned(body.into_owned()), lines)
        }
    };
    let comment_lines = preamble.len();
    let row_of = |line: usize| row_of(comment_lines, &line_numbers, line);
    if body.trim().is_empty() {
        return Err(Problem::file(
            "the file holds no header row; expected a header row with the codebook's column names",
        )
        .into());
    }
    let header_line = body.lines().next().unwrap_or_default();
    if header_line.len() > MAX_HEADER_BYTES {
        return Err(Problem::row(
            row_of(1),
            format!(
                "the header line has {} bytes; expected at most {MAX_HEADER_BYTES} (a header of column names; is this a survey file?)",
                header_line.len()
            ),
        )
        .into());
    }
    let separator = detect_separator(header_line);
    let columns = count_outside_quotes(header_line, separator) + 1;
    if columns > MAX_COLUMNS {
        return Err(Problem::row(
            row_of(1),
            format!(
                "the header has {columns} columns; expected at most {MAX_COLUMNS} (the codebook's variables)"
            ),
        )
        .into());
    }
    if let Some((line, len)) = body
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.len()))
        .find(|&(_, len)| len > MAX_LINE_BYTES)
    {
        return Err(Problem::row(
            row_of(line),
            format!("the line has {len} bytes; expected at most {MAX_LINE_BYTES} per line"),
        )
        .into());
    }
    let dialect = Dialect {
        encoding,
        separator,
        line_ending,
        comment_lines,
        preamble,
    };

    // The header, with the csv crate (it says where the next record starts).
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator)
        .has_headers(false)
        .flexible(true)
        .from_reader(body.as_bytes());
    let mut record = csv::StringRecord::new();
    let header: Vec<String> = match reader.read_record(&mut record) {
        Ok(true) => record.iter().map(|s| s.trim().to_string()).collect(),
        Ok(false) => unreachable!("body is not blank"),
        Err(e) => {
            return Err(Problem::row(row_of(1), format!("cannot read the header: {e}")).into())
        }
    };
    let next = reader.position();
    let (data_start, data_line) = (next.byte() as usize, next.line() as usize - 1);
    Ok(Prepared {
        header_row: row_of(1),
        dialect,
        header,
        warnings,
        body: Body::Text(body),
        data_start,
        data_line,
        comment_lines,
        line_numbers,
    })
}

/// Spreadsheet row of line `line` (1-based) of the body.
fn row_of(comment_lines: usize, line_numbers: &[usize], line: usize) -> usize {
    comment_lines
        + line_numbers
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(line)
}

impl Prepared<'_> {
    /// The preamble and header of `self` (prepared from the file's first lines) with the data
    /// rows left in the file.
    pub fn with_rows_in(self, file: InFile) -> Prepared<'static> {
        Prepared {
            dialect: self.dialect,
            header: self.header,
            header_row: self.header_row,
            warnings: self.warnings,
            body: Body::File(file),
            data_start: self.data_start,
            data_line: self.data_line,
            comment_lines: self.comment_lines,
            line_numbers: Vec::new(),
        }
    }

    /// The lines of the body before the data rows (the header's).
    pub fn data_line(&self) -> usize {
        self.data_line
    }

    /// The data rows as text (in memory).
    #[cfg(test)]
    fn data(&self) -> &str {
        match &self.body {
            Body::Text(body) => &body[self.data_start..],
            Body::File(_) => unreachable!("the tests read data in memory"),
        }
    }

    /// All the data rows as one span.
    pub fn all(&self) -> Span {
        match &self.body {
            Body::Text(body) => Span {
                bytes: self.data_start..body.len(),
                first_line: self.data_line,
            },
            Body::File(file) => Span {
                bytes: file.data.clone(),
                first_line: self.data_line,
            },
        }
    }

    /// The data rows in spans of whole records of about `block_bytes` each (one span when the data
    /// are smaller). Without quotes in the data a record is a line and the spans are cut at line
    /// breaks; with quotes (which may hold line breaks) the records are found with the csv crate.
    /// The lines after the header: at least as many as the data rows (a quoted cell may span
    /// lines), to reserve the columns once.
    pub fn data_lines(&self) -> usize {
        match &self.body {
            Body::Text(_) => self.line_numbers.len().saturating_sub(self.data_line),
            Body::File(file) => file.lines,
        }
    }

    pub fn blocks(&self, block_bytes: usize) -> Vec<Span> {
        let data = match &self.body {
            Body::Text(body) => &body[self.data_start..],
            // found when the file was scanned
            Body::File(file) => return file.spans.clone(),
        };
        if data.len() <= block_bytes {
            return vec![self.all()];
        }
        let mut cuts = vec![0];
        if !data.contains('"') {
            let bytes = data.as_bytes();
            let mut at = 0;
            while at + block_bytes < data.len() {
                match bytes[at + block_bytes..].iter().position(|&b| b == b'\n') {
                    Some(nl) if at + block_bytes + nl + 1 < data.len() => {
                        at += block_bytes + nl + 1;
                        cuts.push(at);
                    }
                    _ => break,
                }
            }
        } else {
            let mut reader = csv::ReaderBuilder::new()
                .delimiter(self.dialect.separator)
                .has_headers(false)
                .flexible(true)
                .from_reader(data.as_bytes());
            let mut record = csv::ByteRecord::new();
            while let Ok(true) = reader.read_byte_record(&mut record) {
                let at = reader.position().byte() as usize;
                if at - cuts[cuts.len() - 1] >= block_bytes && at < data.len() {
                    cuts.push(at);
                }
            }
        }
        cuts.push(data.len());
        let lines: Vec<usize> = cuts
            .par_windows(2)
            .map(|w| {
                data.as_bytes()[w[0]..w[1]]
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count()
            })
            .collect();
        let mut first_line = self.data_line;
        cuts.windows(2)
            .zip(lines)
            .map(|(w, n)| {
                let span = Span {
                    bytes: self.data_start + w[0]..self.data_start + w[1],
                    first_line,
                };
                first_line += n;
                span
            })
            .collect()
    }

    /// Reads the records of a span into text columns (header order), checking that each has one
    /// field per column.
    pub fn read_block(&self, span: &Span) -> TextBlock {
        let width = self.header.len();
        let mut block = TextBlock {
            rows: Vec::new(),
            columns: (0..width).map(|_| TextColumn::default()).collect(),
            problems: Vec::new(),
        };
        block.problems = self.records(span, |row, fields| {
            for (column, cell) in block.columns.iter_mut().zip(fields) {
                column.push(cell);
            }
            block.rows.push(row);
        });
        block
    }

    /// Visits the records of a span in order, each with its spreadsheet row and its fields
    /// (unquoted, not trimmed); returns the records that cannot be read or do not have one field
    /// per column (those are not visited). Without quotes in the span a record is a line and its
    /// fields are split at the separator; with quotes the csv crate reads them (the same fields:
    /// the `records_read_as_the_csv_crate_reads_them` test).
    pub fn records(&self, span: &Span, mut visit: impl FnMut(usize, &[&str])) -> Vec<Problem> {
        let read;
        let text = match &self.body {
            Body::Text(body) => &body[span.bytes.clone()],
            Body::File(file) => match file.text(span.bytes.clone()) {
                Ok(text) => {
                    read = text;
                    read.as_str()
                }
                Err(problem) => return vec![problem],
            },
        };
        let row_of = |line: usize| {
            row_of(
                self.comment_lines,
                &self.line_numbers,
                span.first_line + line,
            )
        };
        let width = self.header.len();
        let mut problems = Vec::new();
        let wrong_width = |row: usize, fields: usize| {
            Problem::row(
                row,
                format!(
                    "has {fields} fields, the header has {width}; expected one field per column (is a separator or quote missing or extra?)",
                ),
            )
        };
        if !text.contains('"') {
            // one pass over the bytes: a separator ends a field, a line break a record (both are
            // ASCII, so every field is a slice of the text on character boundaries)
            let separator = self.dialect.separator;
            let mut fields: Vec<&str> = Vec::with_capacity(width);
            let (mut line, mut start) = (1, 0);
            for (i, &b) in text.as_bytes().iter().enumerate() {
                if b == separator {
                    fields.push(&text[start..i]);
                    start = i + 1;
                } else if b == b'\n' {
                    if start < i || !fields.is_empty() {
                        fields.push(&text[start..i]);
                        let row = row_of(line);
                        if fields.len() == width {
                            visit(row, &fields);
                        } else {
                            problems.push(wrong_width(row, fields.len()));
                        }
                        fields.clear();
                    }
                    start = i + 1;
                    line += 1;
                }
            }
            if start < text.len() || !fields.is_empty() {
                fields.push(&text[start..]);
                let row = row_of(line);
                if fields.len() == width {
                    visit(row, &fields);
                } else {
                    problems.push(wrong_width(row, fields.len()));
                }
            }
            return problems;
        }
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(self.dialect.separator)
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut record = csv::StringRecord::new();
        loop {
            match reader.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {
                    let row = row_of(record.position().map_or(0, |p| p.line() as usize));
                    if record.len() != width {
                        problems.push(wrong_width(row, record.len()));
                        continue;
                    }
                    let fields: Vec<&str> = record.iter().collect();
                    visit(row, &fields);
                }
                Err(e) => {
                    let row = e
                        .position()
                        .map_or(self.comment_lines, |p| row_of(p.line() as usize));
                    problems.push(Problem::row(row, format!("cannot be read: {e}")));
                }
            }
        }
        problems
    }
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

    fn decoded(bytes: &[u8]) -> (String, &'static str, usize) {
        let d = decode(bytes).unwrap_or_else(|u| panic!("{:?}", u.problems));
        (d.text.into_owned(), d.encoding, d.warnings.len())
    }

    #[test]
    fn windows_1252_is_detected_when_not_utf8() {
        assert_eq!(
            decoded(b"Th\xfcringen"),
            ("Thüringen".to_string(), "Windows-1252", 0)
        );
        assert_eq!(
            decoded("Thüringen".as_bytes()),
            ("Thüringen".to_string(), "UTF-8", 0)
        );
    }

    #[test]
    fn a_stray_byte_in_a_comment_line_leaves_a_utf8_file_utf8() {
        let bytes = b"# K\xf6ln\nid,land\nx,Th\xc3\xbcringen\n";
        assert_eq!(
            decoded(bytes),
            (
                "# K\u{FFFD}ln\nid,land\nx,Thüringen\n".to_string(),
                "UTF-8",
                1
            )
        );
        let bad_row = b"id,land\nx,Th\xc3\xbcringen\r\ny,K\xf6ln\n";
        let err = decode(bad_row).err().expect("an error");
        assert_eq!(err.problems.len(), 1);
        assert_eq!(err.problems[0].row, Some(3));
    }

    #[test]
    fn wide_text_without_a_mark_is_named() {
        let utf16: Vec<u8> = "id;land\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(wide_without_bom(&utf16), Some("UTF-16LE"));
        let utf16be: Vec<u8> = "id;land\n"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        assert_eq!(wide_without_bom(&utf16be), Some("UTF-16BE"));
        let utf32: Vec<u8> = "id;land\n"
            .chars()
            .flat_map(|c| (c as u32).to_le_bytes())
            .collect();
        assert_eq!(wide_without_bom(&utf32), Some("UTF-32LE"));
    }

    #[test]
    fn spreadsheet_quoted_comment_lines_are_comment_lines() {
        assert_eq!(
            strip_preamble("\"# a; \"\"b\"\"\";;;\n# c;;\nid;x\n"),
            (vec!["a; \"b\"".to_string(), "c".to_string()], "id;x\n")
        );
    }

    #[test]
    fn line_endings_are_normalised() {
        let (text, ending) = normalise_line_endings("a\r\nb\r\n".into());
        assert_eq!((text.as_ref(), ending), ("a\nb\n", LineEnding::CrLf));
        let (text, ending) = normalise_line_endings("a\rb\r".into());
        assert_eq!((text.as_ref(), ending), ("a\nb\n", LineEnding::Cr));
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

    /// The fields of every record as the csv crate reads them, with each record's row.
    fn csv_crate_records(prepared: &Prepared<'_>) -> Vec<(usize, Vec<String>)> {
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(prepared.dialect.separator)
            .has_headers(false)
            .flexible(true)
            .from_reader(prepared.data().as_bytes());
        let mut out = Vec::new();
        for record in reader.records() {
            let record = record.unwrap();
            let line = record.position().unwrap().line() as usize;
            let row = row_of(
                prepared.comment_lines,
                &prepared.line_numbers,
                prepared.data_line + line,
            );
            out.push((row, record.iter().map(str::to_string).collect()));
        }
        out
    }

    #[test]
    fn records_read_as_the_csv_crate_reads_them() {
        // lines without quotes are split at the separator; empty fields, blanks around cells,
        // blank lines between records, CRLF endings and a missing final line break
        let files: [&[u8]; 5] = [
            b"id,a,b\nx1,1,2\nx2,,\n\n  \nx3, 3 ,4",
            b"# note\r\nid;a;b\r\nx1;1;2\r\n\r\nx2;;5\r\n",
            b"id\ta\tb\nx1\t1\t2\nx2\t\t\n",
            b"id,a,b\nx1,1\nx2,1,2,3\nx3,4,5\n",
            b"id,a,b\n\"x,1\",1,2\n\"x\n2\",\"\"\"q\"\"\",3\n",
        ];
        for bytes in files {
            let prepared = prepare(bytes).unwrap_or_else(|u| panic!("{:?}", u.problems));
            let width = prepared.header.len();
            let mut visited = Vec::new();
            let problems = prepared.records(&prepared.all(), |row, fields| {
                visited.push((
                    row,
                    fields.iter().map(|f| f.to_string()).collect::<Vec<_>>(),
                ));
            });
            let expected = csv_crate_records(&prepared);
            let (good, bad): (Vec<_>, Vec<_>) =
                expected.into_iter().partition(|(_, f)| f.len() == width);
            assert_eq!(visited, good, "{}", String::from_utf8_lossy(bytes));
            let bad_rows: Vec<usize> = bad.iter().map(|(row, _)| *row).collect();
            let problem_rows: Vec<usize> = problems.iter().filter_map(|p| p.row).collect();
            assert_eq!(problem_rows, bad_rows, "{}", String::from_utf8_lossy(bytes));
        }
    }

    #[test]
    fn blocks_read_the_same_cells_as_the_whole_file() {
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
            let Ok(prepared) = prepare(&bytes) else {
                continue;
            };
            let whole = prepared.read_block(&prepared.all());
            for block_bytes in [1, 100, 4096] {
                let spans = prepared.blocks(block_bytes);
                let (mut rows, mut problems) = (Vec::new(), Vec::new());
                let mut columns: Vec<Vec<Option<String>>> = vec![Vec::new(); whole.columns.len()];
                for span in &spans {
                    let block = prepared.read_block(span);
                    rows.extend(block.rows);
                    problems.extend(block.problems);
                    for (all, c) in columns.iter_mut().zip(&block.columns) {
                        all.extend(c.iter().map(|x| x.map(str::to_string)));
                    }
                }
                assert_eq!(rows, whole.rows, "{}", path.display());
                assert_eq!(problems, whole.problems, "{}", path.display());
                for (all, c) in columns.iter().zip(&whole.columns) {
                    let expected: Vec<Option<String>> =
                        c.iter().map(|x| x.map(str::to_string)).collect();
                    assert_eq!(all, &expected, "{}", path.display());
                }
            }
            compared += 1;
        }
        assert!(compared > 15, "{compared}");
    }
}
