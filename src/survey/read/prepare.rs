//! A delimited text file decoded, its preamble and header read and checked against the limits,
//! its data rows still text ([`Prepared`]): in memory, or left in the file ([`InFile`]) where
//! [`super::scan`] found the spans of whole records; and the whole file read at once as text
//! columns ([`read_raw`]).

use std::borrow::Cow;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::ops::Range;
use std::sync::{Mutex, PoisonError};

use super::decode::{decode, Decoded};
use super::dialect::{
    count_outside_quotes, detect_separator, drop_blank_lines, normalise_line_endings,
    strip_preamble,
};
use super::{no_data_rows, Dialect, RawTable, Unreadable, BROKEN_ROWS};
use crate::survey::limits::{MAX_COLUMNS, MAX_HEADER_BYTES, MAX_LINE_BYTES};
use crate::survey::Problem;

/// A survey file decoded, its preamble and header read, its data rows still text: split into
/// blocks of whole records ([`Prepared::blocks`]) that are read ([`Prepared::read_block`]) one by
/// one or in parallel. The text is borrowed from the file's bytes when they are UTF-8 with LF line
/// endings and no blank lines, so a large file is not copied.
pub(in crate::survey) struct Prepared<'a> {
    pub dialect: Dialect,
    pub header: Vec<String>,
    /// Spreadsheet row of the header.
    pub header_row: usize,
    pub warnings: Vec<Problem>,
    pub(super) body: Body<'a>,
    /// Where the data rows start in `body`, and how many lines come before them.
    pub(super) data_start: usize,
    pub(super) data_line: usize,
    pub(super) comment_lines: usize,
    /// For each line of `body`, its line number before blank lines were dropped.
    pub(super) line_numbers: Vec<usize>,
}

/// Where the text of a prepared file's data rows is.
pub(super) enum Body<'a> {
    /// In memory: the text after the preamble (borrowed from the file's bytes, or decoded).
    Text(Cow<'a, str>),
    /// Still in the file: a plain UTF-8 file scanned in pieces, its rows read block by block.
    File(InFile),
}

/// The data rows of a plain UTF-8 file (LF or CRLF line endings, no blank line, no zero byte), left in
/// the file: they are read span by span as they are checked (`scan` found the spans).
pub(in crate::survey) struct InFile {
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
    pub(super) fn text(&self, range: Range<usize>) -> Result<String, Problem> {
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
pub(in crate::survey) struct Span {
    pub bytes: Range<usize>,
    pub first_line: usize,
}

/// Reads the file's bytes into a table of text cells, or says why it cannot (the whole file as
/// one block: for the copy `--save-into` writes, and the tests compare the blocks with it).
pub(in crate::survey) fn read_raw(bytes: &[u8]) -> Result<RawTable, Unreadable> {
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
pub(in crate::survey) fn prepare(bytes: &[u8]) -> Result<Prepared<'_>, Unreadable> {
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
pub(super) fn row_of(comment_lines: usize, line_numbers: &[usize], line: usize) -> usize {
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
    pub(super) fn data(&self) -> &str {
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

    /// The lines after the header: at least as many as the data rows (a quoted cell may span
    /// lines), to reserve the columns once.
    pub fn data_lines(&self) -> usize {
        match &self.body {
            Body::Text(_) => self.line_numbers.len().saturating_sub(self.data_line),
            Body::File(file) => file.lines,
        }
    }
}
