//! A prepared file's data rows in blocks of whole records ([`Prepared::blocks`]), each record
//! handed to the checks as fields borrowed from the text ([`Prepared::records`]: split at the
//! separator in one pass over the bytes when the block holds no quote, read with the csv crate
//! when it does); the rows of a large plain file stay in the file and are read span by span.

use rayon::prelude::*;

use super::prepare::{row_of, Body, Prepared, Span};
use super::TextColumn;
use crate::survey::limits::MAX_PROBLEMS;
use crate::survey::Problem;

/// Files at least this large are read in blocks of about this many bytes of whole records, each
/// block split into cells and checked on its own thread; a smaller file is one block.
pub const BLOCK_BYTES: usize = 1 << 20;

/// The cells of a block of data rows as text, or what is wrong with the rows' structure.
pub(in crate::survey) struct TextBlock {
    /// Spreadsheet row number of each data row.
    pub rows: Vec<usize>,
    /// Cells by column (header order).
    pub columns: Vec<TextColumn>,
    /// Rows that cannot be read or have the wrong number of fields.
    pub problems: Vec<Problem>,
}

impl Prepared<'_> {
    /// The data rows in spans of whole records of about `block_bytes` each (one span when the data
    /// are smaller). Without quotes in the data a record is a line and the spans are cut at line
    /// breaks; with quotes (which may hold line breaks) the records are found with the csv crate.
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
    /// per column (those are not visited), at most [`MAX_PROBLEMS`] of them. Without quotes in the span a record is a line and its
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
                        } else if problems.len() < MAX_PROBLEMS {
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
                        if problems.len() < MAX_PROBLEMS {
                            problems.push(wrong_width(row, record.len()));
                        }
                        continue;
                    }
                    let fields: Vec<&str> = record.iter().collect();
                    visit(row, &fields);
                }
                Err(e) => {
                    let row = e
                        .position()
                        .map_or(self.comment_lines, |p| row_of(p.line() as usize));
                    if problems.len() < MAX_PROBLEMS {
                        problems.push(Problem::row(row, format!("cannot be read: {e}")));
                    }
                }
            }
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::super::prepare::prepare;
    use super::*;

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
