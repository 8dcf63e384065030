//! A survey text file read without holding it whole. A plain file (UTF-8 with or without BOM,
//! LF or CRLF line endings (CRLF only without quotes), no blank line, no zero byte, no line over [`MAX_LINE_BYTES`]) is scanned once
//! in pieces of [`PIECE_BYTES`]: its digest taken, its text checked, its preamble and header read
//! (as [`prepare`] reads them), and its data rows cut into blocks of whole records. The blocks are
//! then read from the file one by one as they are checked, so a file of a million rows never
//! sits in memory. Any other file is read whole by the rules of [`prepare`] and the other formats'
//! readers: the same results, the same messages.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::Mutex;
use std::time::SystemTime;

use memchr::{memchr, memchr_iter, memrchr};
use sha2::{Digest, Sha256};

use super::dialect::{detect_separator, is_comment};
use super::prepare::{prepare, InFile, Prepared, Span};
use super::LineEnding;
use crate::survey::limits::MAX_LINE_BYTES;

/// The piece of a file read at a time while it is scanned.
const PIECE_BYTES: usize = 4 << 20;

/// A survey file scanned.
pub(in crate::survey) enum Scanned {
    /// A plain UTF-8 text file: its preamble and header read, its data rows left in the file in
    /// blocks; the SHA-256 of the file (lowercase hex), and its length and time of change, to
    /// tell whether it changed before its rows were read.
    Plain {
        prepared: Box<Prepared<'static>>,
        sha256: String,
        stamp: Stamp,
    },
    /// Any other file: to be read whole.
    Other,
}

/// A file's length and time of last change.
#[derive(Debug, PartialEq, Eq)]
pub(in crate::survey) struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
}

impl Stamp {
    pub fn of(path: &Path) -> io::Result<Stamp> {
        let meta = std::fs::metadata(path)?;
        Ok(Stamp {
            len: meta.len(),
            modified: meta.modified().ok(),
        })
    }
}

/// Scans the file at `path` as a survey text file, its data rows in blocks of about
/// `block_bytes` of whole records (as [`Prepared::blocks`] cuts them).
pub(in crate::survey) fn scan(path: &Path, block_bytes: usize) -> io::Result<Scanned> {
    if !std::fs::metadata(path)?.is_file() {
        // a pipe (`<(gunzip -c survey.csv.gz)`) is read once, whole
        return Ok(Scanned::Other);
    }
    let stamp = Stamp::of(path)?;
    let mut file = File::open(path)?;
    let mut hasher = Sha256::new();
    let mut piece: Vec<u8> = Vec::with_capacity(PIECE_BYTES + MAX_LINE_BYTES + 2);
    let mut end_of_file = fill(&mut file, &mut piece)?;
    hasher.update(&piece);
    if crate::survey::sav::is_sav(&piece)
        || super::sheet::is_workbook(&piece)
        || piece.starts_with(super::parquet::MAGIC)
    {
        return Ok(Scanned::Other);
    }
    let mut endings = Endings::default();
    let Some(head) = head_bytes(&piece, &mut endings) else {
        return Ok(Scanned::Other);
    };
    let head_text = piece[..head].to_vec();
    let Ok(mut head_prepared) = prepare(&head_text) else {
        return Ok(Scanned::Other);
    };
    let mut rows = Rows {
        block_bytes,
        block_start: head,
        cuts: vec![(head, 0)],
        lines: 0,
        quotes: false,
        endings,
    };
    // `piece` holds the file's bytes from `offset`, those from `from` not scanned yet, those
    // from `new` not hashed yet
    let (mut offset, mut from, mut new) = (0, head, piece.len());
    loop {
        let upto = if end_of_file {
            piece.len()
        } else {
            match memrchr(b'\n', &piece[from..]) {
                Some(at) => from + at + 1,
                None if piece.len() - from > MAX_LINE_BYTES => return Ok(Scanned::Other),
                None => from,
            }
        };
        let (_, plain) = rayon::join(
            || hasher.update(&piece[new..]),
            || rows.scan(&piece[from..upto], offset + from, end_of_file),
        );
        if !plain {
            return Ok(Scanned::Other);
        }
        if end_of_file {
            break;
        }
        // the bytes after the last line break are scanned with the next piece
        piece.drain(..upto);
        offset += upto;
        from = 0;
        new = piece.len();
        end_of_file = fill(&mut file, &mut piece)?;
    }
    let end = offset + piece.len();
    let crlf = rows.endings.crlf > 0;
    if crlf && rows.quotes {
        // a quoted field may hold a CRLF, which the whole file's rules turn into LF
        return Ok(Scanned::Other);
    }
    head_prepared.dialect.line_ending = rows.endings.ending();
    let separator = head_prepared.dialect.separator;
    let cuts = if rows.quotes {
        // a quoted field may hold a line break: the csv crate finds where records end
        record_cuts(&mut file, head..end, separator, block_bytes)?
    } else {
        rows.cuts.retain(|&(at, _)| at < end || at == head);
        rows.cuts
    };
    let first = head_prepared.data_line();
    let spans = cuts
        .iter()
        .enumerate()
        .map(|(i, &(at, lines))| Span {
            bytes: at..cuts.get(i + 1).map_or(end, |&(next, _)| next),
            first_line: first + lines,
        })
        .collect();
    let rows_in_file = InFile {
        file: Mutex::new(file),
        data: head..end,
        spans,
        lines: rows.lines,
        crlf,
    };
    Ok(Scanned::Plain {
        prepared: Box::new(head_prepared.with_rows_in(rows_in_file)),
        sha256: hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect(),
        stamp,
    })
}

/// Reads the file's next piece onto the end of `piece` (at most [`PIECE_BYTES`]); says whether
/// the file has ended.
fn fill(file: &mut File, piece: &mut Vec<u8>) -> io::Result<bool> {
    let n = file.take(PIECE_BYTES as u64).read_to_end(piece)?;
    Ok(n < PIECE_BYTES)
}

/// Where the header line ends in the file's first piece (after a UTF-8 byte-order mark and the
/// comment lines), when the preamble and header are plain text: none when they are not, or do
/// not end in the piece.
fn head_bytes(piece: &[u8], endings: &mut Endings) -> Option<usize> {
    let mut at = if piece.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    loop {
        let end = at + memchr(b'\n', &piece[at..])? + 1;
        let line = endings.line(&piece[at..end - 1])?;
        if memchr(0, line).is_some() || std::str::from_utf8(line).is_err() {
            return None;
        }
        if !is_comment(line) {
            let text = std::str::from_utf8(line).ok()?;
            if text.trim().is_empty() {
                return None;
            }
            if memchr(b'"', line).is_some() {
                // quoted names ("id","bundesland" as R writes them) are plain when the csv
                // crate, which reads the header, ends it at this line break
                let mut reader = csv::ReaderBuilder::new()
                    .delimiter(detect_separator(text))
                    .has_headers(false)
                    .flexible(true)
                    .from_reader(&piece[at..]);
                reader.read_byte_record(&mut csv::ByteRecord::new()).ok()?;
                let header_ends = reader.position().byte() as usize;
                if header_ends != end - at && header_ends + 1 != end - at {
                    return None;
                }
            }
            return Some(end);
        }
        at = end;
    }
}

/// The line endings counted, as [`super::dialect`] counts them to name the file's.
#[derive(Default)]
struct Endings {
    crlf: usize,
    lf: usize,
}

impl Endings {
    /// The line (before its LF) without a CR that ends it, counting its ending: none when it
    /// holds another CR (an old Mac line break, read by the rules of the whole file).
    fn line<'l>(&mut self, line: &'l [u8]) -> Option<&'l [u8]> {
        match line.split_last() {
            Some((b'\r', rest)) => {
                self.crlf += 1;
                memchr(b'\r', rest).is_none().then_some(rest)
            }
            _ => {
                self.lf += 1;
                memchr(b'\r', line).is_none().then_some(line)
            }
        }
    }

    /// The file's line ending: CRLF when at least as many lines end so as with LF alone.
    fn ending(&self) -> LineEnding {
        if self.crlf > 0 && self.crlf >= self.lf {
            LineEnding::CrLf
        } else {
            LineEnding::Lf
        }
    }
}

/// What the scan finds in the data rows.
struct Rows {
    block_bytes: usize,
    /// Where the current block starts.
    block_start: usize,
    /// Where each block starts (a record without quotes is a line), with the data lines before.
    cuts: Vec<(usize, usize)>,
    /// The data lines.
    lines: usize,
    /// Whether a data row holds a quote.
    quotes: bool,
    endings: Endings,
}

impl Rows {
    /// Scans `bytes` (whole lines at `at` in the file; the last line may lack its line break
    /// when `last`): false when they are not plain text (a zero byte, a carriage return but
    /// before a line feed, a byte that is not UTF-8, a blank line, an over-long line).
    fn scan(&mut self, bytes: &[u8], at: usize, last: bool) -> bool {
        if memchr(0, bytes).is_some() || std::str::from_utf8(bytes).is_err() {
            return false;
        }
        self.quotes = self.quotes || memchr(b'"', bytes).is_some();
        let crs = memchr(b'\r', bytes).is_some();
        let mut line_start = 0;
        for end in memchr_iter(b'\n', bytes) {
            let line = &bytes[line_start..end];
            let line = if crs {
                match self.endings.line(line) {
                    Some(line) => line,
                    None => return false,
                }
            } else {
                self.endings.lf += 1;
                line
            };
            if !plain_line(line) {
                return false;
            }
            self.lines += 1;
            // a block ends at the first line break at least `block_bytes` into it
            if at + end >= self.block_start + self.block_bytes {
                self.block_start = at + end + 1;
                self.cuts.push((self.block_start, self.lines));
            }
            line_start = end + 1;
        }
        if last && line_start < bytes.len() {
            let line = &bytes[line_start..];
            if memchr(b'\r', line).is_some() || !plain_line(line) {
                return false;
            }
            self.lines += 1;
        }
        true
    }
}

/// Whether a line (UTF-8, without its line break) is neither blank nor over-long.
fn plain_line(line: &[u8]) -> bool {
    let blank = match line.first() {
        Some(&b) if b > b' ' && b < 0x80 => false,
        _ => std::str::from_utf8(line).is_ok_and(|l| l.trim().is_empty()),
    };
    !blank && line.len() <= MAX_LINE_BYTES
}

/// Where blocks of about `block_bytes` of whole records start in the bytes `data` of the file
/// (records read with the csv crate: a quoted field may hold line breaks), with the lines before
/// each, as [`Prepared::blocks`] cuts data with quotes.
fn record_cuts(
    file: &mut File,
    data: std::ops::Range<usize>,
    separator: u8,
    block_bytes: usize,
) -> io::Result<Vec<(usize, usize)>> {
    file.seek(SeekFrom::Start(data.start as u64))?;
    let len = data.len();
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator)
        .has_headers(false)
        .flexible(true)
        .from_reader(io::BufReader::with_capacity(
            1 << 16,
            (&*file).take(len as u64),
        ));
    let mut cuts = vec![(data.start, 0)];
    let mut last = 0;
    let mut record = csv::ByteRecord::new();
    while let Ok(true) = reader.read_byte_record(&mut record) {
        let position = reader.position();
        let at = position.byte() as usize;
        if at - last >= block_bytes && at < len {
            cuts.push((data.start + at, position.line() as usize - 1));
            last = at;
        }
    }
    Ok(cuts)
}
