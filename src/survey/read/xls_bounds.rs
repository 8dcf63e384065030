//! The binary workbooks' size, checked before calamine reads them whole, as `sheet_bounds` checks
//! .xlsx and .ods: an .xls workbook's BIFF records are walked in its OLE container (opened with
//! `cfb`) where calamine would take them, every sheet's declared dimensions and the position of
//! every cell record counted (calamine reads all sheets of an .xls file when it opens it, and
//! reserves room for the declared dimensions); an .xlsb workbook's sheets are read cell by cell
//! with calamine's streaming reader, which holds one cell at a time. A sheet beyond a limit of
//! [`crate::survey::limits`] is refused with a message naming the sheet and the cell. (The text
//! of an .xls file's shared strings is not counted here; each cell's length is checked once read.)

use std::io::{Cursor, Read};

use calamine::{DataRef, Reader, Xlsb};

use super::caught::caught;
use super::extent::{cell_name, long_cell, Extent, Sheets};
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
    let name = ["/Workbook", "/Book"]
        .into_iter()
        .find(|n| book.is_stream(n))
        .ok_or_else(|| unreadable("it holds no workbook stream".into()))?;
    let mut stream = Vec::new();
    book.open_stream(name)
        .and_then(|s| s.take(bytes.len() as u64).read_to_end(&mut stream))
        .map_err(|e| unreadable(format!("its workbook stream cannot be read ({e})")))?;
    let mut sheets = Vec::new();
    for record in records(&stream) {
        match record.typ {
            BOUND_SHEET => {
                if let Some(at) = u32_at(record.data, 0) {
                    sheets.push((at as usize, sheets.len() + 1));
                }
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
        let extent = check_xls_sheet(sheet, &format!("sheet {number}"), area_before)?;
        area_before = area_before.saturating_add(extent.area());
    }
    Ok(())
}

/// One sheet's substream, from its BOF to its EOF; embedded substreams (charts) are skipped as
/// calamine skips them.
fn check_xls_sheet(sheet: &[u8], name: &str, area_before: u64) -> Result<Extent, Problem> {
    let mut extent = Extent::new(name);
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
                    extent.add(row.into(), col.into(), (1, 1), 0, area_before)?;
                }
            }
            _ => {}
        }
    }
    Ok(extent)
}

/// Checks the `sheets` of an .xlsb workbook cell by cell. A workbook calamine cannot open passes:
/// calamine then says what is wrong with it.
pub(super) fn check_xlsb(bytes: &[u8], which: Sheets) -> Result<(), Problem> {
    let checked = caught(|| -> Result<(), Problem> {
        let Ok(mut book) = Xlsb::new(Cursor::new(bytes)) else {
            return Ok(());
        };
        let names = book.sheet_names();
        let chosen: Vec<String> = match which {
            Sheets::One(Some(wanted)) => names.into_iter().filter(|n| n == wanted).collect(),
            Sheets::One(None) => names.into_iter().take(1).collect(),
            Sheets::All => names,
        };
        let mut area_before = 0;
        for name in chosen {
            let Ok(mut cells) = book.worksheet_cells_reader(&name) else {
                continue;
            };
            let mut extent = Extent::new(&name);
            while let Ok(Some(cell)) = cells.next_cell() {
                let (row, col) = cell.get_position();
                let (row, col) = (u64::from(row), u64::from(col));
                let text = match cell.get_value() {
                    DataRef::Empty => continue,
                    DataRef::SharedString(s) => s.len(),
                    DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => {
                        s.len()
                    }
                    _ => 0,
                } as u64;
                if text > MAX_CELL_CHARS as u64 {
                    let chars = match cell.get_value() {
                        DataRef::SharedString(s) => s.chars().count(),
                        DataRef::String(s) => s.chars().count(),
                        _ => 0,
                    } as u64;
                    if chars > MAX_CELL_CHARS as u64 {
                        return Err(long_cell(&name, &cell_name(row, col), chars));
                    }
                }
                extent.add(row, col, (1, 1), text, area_before)?;
            }
            area_before = area_before.saturating_add(extent.area());
        }
        Ok(())
    });
    checked.unwrap_or_else(|why| {
        Err(Problem::file(format!(
            "cannot be read as an Excel workbook (.xlsb): the file is damaged ({why})"
        )))
    })
}
