//! An .xls workbook's size, checked before calamine reads it whole, as `sheet_bounds` checks
//! .xlsx and .ods: its BIFF records are walked in its OLE container (opened with `cfb`) where
//! calamine would take them, every sheet's declared dimensions and the position of every cell
//! record counted (calamine reads all sheets of an .xls file when it opens it, and reserves room
//! for the declared dimensions), and the text of each cell that shows a shared string counted as
//! that string's length (calamine holds a copy of the string for each such cell; the lengths come
//! from the SST record and its CONTINUE records, read as calamine reads them). A sheet beyond a
//! limit of [`crate::survey::limits`] is refused with a message naming the sheet and the cell.

use std::io::{Cursor, Read};

use super::extent::{Extent, RowText};
use crate::survey::limits::{MAX_CELL_CHARS, MAX_SHEET_CELLS};
use crate::survey::Problem;

/// The BIFF records that place a value in one cell, with the cell's row and column in their
/// first four bytes.
const CELL_RECORDS: [u16; 7] = [0x0203, 0x0204, 0x00D6, 0x0205, 0x027E, 0x00FD, 0x0006];
/// MulRk: one row, several columns.
const MUL_RK: u16 = 0x00BD;
const DIMENSIONS: u16 = 0x0200;
const BOUND_SHEET: u16 = 0x0085;
const BOF: u16 = 0x0809;
const EOF: u16 = 0x000A;
/// LabelSst: a cell showing a shared string, its index in the last four of the first ten bytes.
const LABEL_SST: u16 = 0x00FD;
/// SST: the shared strings, continued in the CONTINUE records that follow it.
const SST: u16 = 0x00FC;
const CONTINUE: u16 = 0x003C;
const CODEPAGE: u16 = 0x0042;
/// The code page of UTF-16 (little-endian), which BIFF8 files declare.
const UTF_16: u16 = 1200;

/// One BIFF record: its type and data.
struct Record<'a> {
    typ: u16,
    data: &'a [u8],
}

/// The records of `stream` from its start, up to the end of the bytes or a record cut short.
fn records(stream: &[u8]) -> impl Iterator<Item = Record<'_>> {
    let mut at = 0usize;
    std::iter::from_fn(move || {
        let head = stream.get(at..at.checked_add(4)?)?;
        let typ = u16::from_le_bytes([head[0], head[1]]);
        let len = usize::from(u16::from_le_bytes([head[2], head[3]]));
        let data = stream.get(at + 4..at + 4 + len)?;
        at += 4 + len;
        Some(Record { typ, data })
    })
}

fn u16_at(data: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(data.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(data: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(data.get(at..at + 4)?.try_into().ok()?))
}

/// The cells calamine reserves room for from a DIMENSIONS record, computed as calamine computes
/// them (32-bit arithmetic that wraps, as a release build of it does): an inverted range asks
/// for billions.
fn declared_cells(data: &[u8]) -> Option<u64> {
    let (first_row, end_row, mut first_col, end_col) = match data.len() {
        10 => (
            u32::from(u16_at(data, 0)?),
            u32::from(u16_at(data, 2)?),
            u32::from(u16_at(data, 4)?),
            u32::from(u16_at(data, 6)?),
        ),
        14 | 16 => (
            u32_at(data, 0)?,
            u32_at(data, 4)?,
            u32::from(u16_at(data, 8)?),
            u32::from(u16_at(data, 10)?),
        ),
        _ => return None,
    };
    if 0xFF < first_col || end_col < first_col {
        first_col = 0;
    }
    if end_row < 1 || end_col < 1 {
        return Some(0);
    }
    let rows = (end_row - 1).wrapping_sub(first_row).wrapping_add(1);
    let cols = (end_col - 1).wrapping_sub(first_col).wrapping_add(1);
    Some(u64::from(rows).saturating_mul(u64::from(cols)))
}

/// Checks every sheet of an .xls workbook. A file that is not an OLE container with a workbook
/// stream is refused here (calamine's own reading of such a container is not bounded).
pub(super) fn check_xls(bytes: &[u8]) -> Result<(), Problem> {
    let unreadable = |why: String| {
        Problem::file(format!(
            "cannot be read as an Excel workbook (.xls): {why}; expected a workbook saved by Excel or LibreOffice"
        ))
    };
    let mut book = cfb::CompoundFile::open(Cursor::new(bytes))
        .map_err(|e| unreadable(format!("its container is damaged ({e})")))?;
    // calamine reads the first entry anywhere in the container named "Workbook" (without regard
    // to case), or "Book" when that cannot be read; the cfb crate finds only the root's, so every
    // entry is looked at here and a container with more than one such entry, or with a storage
    // of that name, is refused (a spreadsheet program writes one workbook stream)
    let candidates: Vec<(std::path::PathBuf, bool)> = book
        .walk()
        .filter(|e| {
            ["Workbook", "Book"]
                .iter()
                .any(|n| e.name().eq_ignore_ascii_case(n))
        })
        .map(|e| (e.path().to_path_buf(), e.is_stream()))
        .collect();
    let path = match candidates.as_slice() {
        [] => return Err(unreadable("it holds no workbook stream".into())),
        [(path, true)] => path.clone(),
        [(path, false)] => {
            return Err(unreadable(format!(
                "its workbook entry {} is no stream",
                path.display()
            )))
        }
        more => {
            return Err(unreadable(format!(
                "it holds {} workbook streams ({})",
                more.len(),
                more.iter()
                    .map(|(p, _)| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )))
        }
    };
    let mut stream = Vec::new();
    book.open_stream(&path)
        .and_then(|s| s.take(bytes.len() as u64).read_to_end(&mut stream))
        .map_err(|e| unreadable(format!("its workbook stream cannot be read ({e})")))?;
    let mut sheets = Vec::new();
    let mut shared = Vec::new();
    let mut codepage = UTF_16;
    let mut globals = records(&stream).peekable();
    while let Some(record) = globals.next() {
        match record.typ {
            BOUND_SHEET => {
                if let Some(at) = u32_at(record.data, 0) {
                    if let Some((_, first)) = sheets.iter().find(|(a, _)| *a == at as usize) {
                        return Err(unreadable(format!(
                            "its sheets {first} and {} are the same part of the file (no spreadsheet program writes that)",
                            sheets.len() + 1
                        )));
                    }
                    sheets.push((at as usize, sheets.len() + 1));
                }
            }
            CODEPAGE => codepage = u16_at(record.data, 0).unwrap_or(codepage),
            SST => {
                let mut pieces = Vec::new();
                while let Some(more) = globals.next_if(|r| r.typ == CONTINUE) {
                    pieces.push(more.data);
                }
                shared = shared_text_bytes(record.data, &pieces, codepage == UTF_16)?;
            }
            EOF => break,
            _ => {}
        }
    }
    let mut area_before = 0;
    for (at, number) in sheets {
        let Some(sheet) = stream.get(at..) else {
            continue;
        };
        let extent = check_xls_sheet(sheet, &format!("sheet {number}"), area_before, &shared)?;
        area_before = area_before.saturating_add(extent.area());
    }
    Ok(())
}

/// An SST record's data and the CONTINUE records after it, read piece by piece as calamine reads
/// them.
struct Pieces<'a> {
    data: &'a [u8],
    rest: std::slice::Iter<'a, &'a [u8]>,
}

impl<'a> Pieces<'a> {
    /// Moves to the next CONTINUE record; false after the last.
    fn next_piece(&mut self) -> bool {
        self.rest.next().map(|d| self.data = d).is_some()
    }

    /// Skips `n` bytes across pieces; `None` when they are not there.
    fn skip(&mut self, mut n: usize) -> Option<()> {
        while n > 0 {
            if self.data.is_empty() && !self.next_piece() {
                return None;
            }
            let l = n.min(self.data.len());
            self.data = &self.data[l..];
            n -= l;
        }
        Some(())
    }

    /// The bytes `n` takes from the front of the current piece, `None` when it is shorter.
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, rest) = (self.data.get(..n)?, self.data.get(n..)?);
        self.data = rest;
        Some(head)
    }
}

/// The most bytes of UTF-8 that `data` (characters of a shared string, one byte each when not
/// `wide`, else two) becomes once calamine decodes it: exact for ASCII and for UTF-16, the code
/// page BIFF8 files declare; under another code page, three for each byte calamine decodes (it
/// widens one-byte characters to two bytes first).
fn utf8_bytes(data: &[u8], wide: bool, utf16: bool) -> u64 {
    match (utf16, wide) {
        (false, _) => 3 * if wide { data.len() } else { 2 * data.len() } as u64,
        (true, false) => data.iter().map(|&b| 1 + u64::from(b >= 0x80)).sum(),
        (true, true) => data
            .chunks_exact(2)
            .map(|c| match u16::from_le_bytes([c[0], c[1]]) {
                0..0x80 => 1,
                0x80..0x800 => 2,
                _ => 3,
            })
            .sum(),
    }
}

/// The bytes of text each shared string of an SST record (and its CONTINUE `pieces`) holds once
/// read, each at most [`MAX_CELL_CHARS`] characters, at most [`MAX_SHEET_CELLS`] of them. The
/// strings are read as calamine reads them (`XLUnicodeRichExtendedString`: characters that may
/// continue in the next piece, after a byte saying whether they are one byte or two, then
/// formatting runs and phonetic data skipped); where calamine would fail, the count stops (the
/// workbook then cannot be opened).
fn shared_text_bytes(data: &[u8], pieces: &[&[u8]], utf16: bool) -> Result<Vec<u64>, Problem> {
    let mut lengths = Vec::new();
    let Some(data) = data.get(8..) else {
        return Ok(lengths);
    };
    let mut r = Pieces {
        data,
        rest: pieces.iter(),
    };
    while !r.data.is_empty() || r.next_piece() {
        let Some(bytes) = shared_string(&mut r, utf16) else {
            break;
        };
        let (chars, bytes) = bytes;
        if chars > MAX_CELL_CHARS {
            return Err(Problem::file(format!("cannot be read: its shared text {} has {chars} characters; expected at most {MAX_CELL_CHARS} in a cell, as Excel allows", lengths.len() + 1)));
        }
        if lengths.len() >= MAX_SHEET_CELLS {
            return Err(Problem::file(format!("cannot be read: it has more than {MAX_SHEET_CELLS} shared texts; expected at most that many")));
        }
        lengths.push(bytes);
    }
    Ok(lengths)
}

/// One shared string at `r`: its characters and the bytes of UTF-8 it becomes; `None` where
/// calamine would fail.
fn shared_string(r: &mut Pieces, utf16: bool) -> Option<(usize, u64)> {
    if r.data.is_empty() {
        return Some((0, 0));
    }
    let head = r.take(3)?;
    let (chars, flags) = (usize::from(u16::from_le_bytes([head[0], head[1]])), head[2]);
    let runs = if flags & 0x8 != 0 {
        let b = r.take(2)?;
        usize::from(u16::from_le_bytes([b[0], b[1]]))
    } else {
        0
    };
    let phonetic = if flags & 0x4 != 0 {
        let b = r.take(4)?;
        i32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize
    } else {
        0
    };
    let (mut left, mut wide, mut bytes) = (chars, flags & 0x1 != 0, 0u64);
    while left > 0 {
        let n = if wide { r.data.len() / 2 } else { r.data.len() }.min(left);
        let taken = r.take(if wide { 2 * n } else { n })?;
        bytes += utf8_bytes(taken, wide, utf16);
        left -= n;
        if left > 0 {
            if !r.next_piece() {
                return None;
            }
            wide = r.take(1)?[0] & 0x1 != 0;
        }
    }
    r.skip(runs.checked_mul(4)?)?;
    r.skip(phonetic)?;
    Some((chars, bytes))
}

/// One sheet's substream, from its BOF to its EOF; embedded substreams (charts) are skipped as
/// calamine skips them.
fn check_xls_sheet(
    sheet: &[u8],
    name: &str,
    area_before: u64,
    shared: &[u64],
) -> Result<Extent, Problem> {
    let mut extent = Extent::new(name);
    let mut row_text = RowText::default();
    let mut seen_bof = false;
    let mut depth = 0usize;
    for record in records(sheet) {
        if depth > 0 {
            match record.typ {
                BOF => depth += 1,
                EOF => depth -= 1,
                _ => {}
            }
            continue;
        }
        let data = record.data;
        match record.typ {
            BOF if seen_bof => depth += 1,
            BOF => seen_bof = true,
            EOF => break,
            DIMENSIONS => {
                let declared = declared_cells(data).unwrap_or(0);
                if declared.saturating_add(area_before) > MAX_SHEET_CELLS as u64 {
                    return Err(Problem::file(format!(
                        "cannot be read: the sheet '{name}' declares a used range of {declared} cells (its DIMENSIONS record); expected at most {MAX_SHEET_CELLS} (a larger survey is read from a CSV export)"
                    )));
                }
            }
            MUL_RK => {
                let (Some(row), Some(first)) = (u16_at(data, 0), u16_at(data, 2)) else {
                    continue;
                };
                let last = data.len().checked_sub(2).and_then(|at| u16_at(data, at));
                let by_length = (data.len().saturating_sub(6) / 6) as u64;
                let count = last
                    .map_or(0, |l| u64::from(l.saturating_sub(first)) + 1)
                    .min(by_length);
                if count > 0 {
                    extent.add(row.into(), first.into(), (1, count), 0, area_before)?;
                }
            }
            t if CELL_RECORDS.contains(&t) => {
                if let (Some(row), Some(col)) = (u16_at(data, 0), u16_at(data, 2)) {
                    let text = match t {
                        LABEL_SST => u32_at(data, 6)
                            .and_then(|i| shared.get(i as usize))
                            .copied()
                            .unwrap_or(0),
                        _ => 0,
                    };
                    row_text.add(name, row.into(), text)?;
                    extent.add(row.into(), col.into(), (1, 1), text, area_before)?;
                }
            }
            _ => {}
        }
    }
    Ok(extent)
}
