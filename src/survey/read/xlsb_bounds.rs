//! An .xlsb workbook's size, checked before calamine opens it. calamine reads every shared string
//! when it opens the workbook, and each record of a part into a buffer of the size the record
//! declares (up to 256 MiB, whether or not the part holds that much). So each part calamine reads
//! (the shared strings, the styles, the workbook and the sheets, found where calamine finds them)
//! is first walked here record by record, streamed from the archive with one record's first bytes
//! held at a time: every record's declared size must be there, and the shared strings are counted
//! (at most [`MAX_SHEET_CELLS`], each at most [`MAX_CELL_CHARS`] characters). Then the sheets
//! that will be read are read cell by cell with calamine's cells reader (one cell held at a time)
//! against the same limits as every workbook's.

use std::io::{self, BufReader, Cursor, Read, Seek};

use calamine::{DataRef, Reader, Xlsb};
use zip::ZipArchive;

use super::caught::caught;
use super::extent::{cell_name, long_cell, Extent, RowText, Sheets};
use super::zip_parts::{damaged, one_part_each, relationships, Names, Rels};
use crate::survey::limits::{MAX_CELL_CHARS, MAX_SHEET_CELLS};
use crate::survey::Problem;

/// BrtBeginSst: the shared strings' counts.
const BEGIN_SST: u16 = 0x009F;
/// BrtSSTItem: one shared string.
const SST_ITEM: u16 = 0x0013;
/// BrtBundleSh: a sheet's listing in the workbook.
const BUNDLE_SH: u16 = 0x009C;
/// The most of a record's first bytes kept to read its fields: far more than a sheet's listing
/// or a shared string's counts need.
const HEAD: usize = 1 << 16;

/// One byte of `r`; `None` at its end.
fn byte<R: Read>(r: &mut R) -> io::Result<Option<u8>> {
    let mut b = [0u8];
    Ok((r.read(&mut b)? == 1).then_some(b[0]))
}

/// The parts' records, walked one at a time.
struct Records<R> {
    r: BufReader<R>,
    part: String,
    /// The current record's first bytes (at most [`HEAD`]).
    head: Vec<u8>,
}

impl<R: Read> Records<R> {
    fn new(entry: R, part: &str) -> Records<R> {
        Records {
            r: BufReader::new(entry),
            part: part.to_string(),
            head: Vec::new(),
        }
    }

    fn cut(&self, what: &str) -> Problem {
        damaged(&format!("a record of its part {} {what}", self.part))
    }

    /// The next record's type and declared size (its first bytes in `head`), read as calamine
    /// reads them; `None` at the part's end. A record whose declared bytes are not all there is
    /// refused.
    fn next(&mut self) -> Result<Option<(u16, usize)>, Problem> {
        let unreadable = |e: io::Error| damaged(&format!("a part cannot be inflated ({e})"));
        let Some(b) = byte(&mut self.r).map_err(unreadable)? else {
            return Ok(None);
        };
        let mut more = || {
            byte(&mut self.r)
                .map_err(unreadable)?
                .ok_or_else(|| damaged("a record's head is cut short"))
        };
        let typ = if b & 0x80 != 0 {
            u16::from(b & 0x7F) + (u16::from(more()? & 0x7F) << 7)
        } else {
            u16::from(b)
        };
        let mut b = more()?;
        let mut size = usize::from(b & 0x7F);
        for i in 1..4 {
            if b & 0x80 == 0 {
                break;
            }
            b = more()?;
            size += usize::from(b & 0x7F) << (7 * i);
        }
        self.head.clear();
        let kept = size.min(HEAD) as u64;
        let read = (&mut self.r)
            .take(kept)
            .read_to_end(&mut self.head)
            .map_err(unreadable)? as u64;
        let skipped = io::copy(&mut (&mut self.r).take(size as u64 - kept), &mut io::sink())
            .map_err(unreadable)?;
        if read + skipped < size as u64 {
            return Err(self.cut(&format!(
                "(type {typ:#06x}) declares {size} bytes but holds {}",
                read + skipped
            )));
        }
        Ok(Some((typ, size)))
    }
}

fn u32_at(data: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(data.get(at..at + 4)?.try_into().ok()?))
}

/// An `XLWideString` at `at`: its text and the bytes it takes.
fn wide_string(data: &[u8], at: usize) -> Option<(String, usize)> {
    let units = u32_at(data, at)? as usize;
    let bytes = data.get(at + 4..at + 4 + units.checked_mul(2)?)?;
    let utf16: Vec<u16> = bytes
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    Some((String::from_utf16_lossy(&utf16), 4 + 2 * units))
}

/// Walks a part (when the archive has it) record by record; `each` sees every record's type,
/// declared size and first bytes.
fn walk<R: Read + Seek>(
    zip: &mut ZipArchive<R>,
    names: &Names,
    path: &str,
    mut each: impl FnMut(u16, usize, &[u8]) -> Result<(), Problem>,
) -> Result<(), Problem> {
    let Ok(entry) = zip.by_name(names.entry(path)) else {
        return Ok(());
    };
    let mut records = Records::new(entry, path);
    while let Some((typ, size)) = records.next()? {
        each(typ, size, &records.head)?;
    }
    Ok(())
}

/// Checks the shared strings: their declared and their real count, each one's length.
fn check_shared_strings<R: Read + Seek>(
    zip: &mut ZipArchive<R>,
    names: &Names,
) -> Result<(), Problem> {
    let mut count = 0usize;
    walk(zip, names, "xl/sharedStrings.bin", |typ, _, head| {
        match typ {
            BEGIN_SST => {
                let declared = u32_at(head, 4).unwrap_or(0);
                if declared as usize > MAX_SHEET_CELLS {
                    return Err(Problem::file(format!("cannot be read: its shared strings declare {declared} texts; expected at most {MAX_SHEET_CELLS}")));
                }
            }
            SST_ITEM => {
                count += 1;
                if count > MAX_SHEET_CELLS {
                    return Err(Problem::file(format!("cannot be read: it has more than {MAX_SHEET_CELLS} shared texts; expected at most that many")));
                }
                let units = u32_at(head, 1).unwrap_or(0);
                if units as usize > MAX_CELL_CHARS {
                    return Err(Problem::file(format!("cannot be read: its shared text {count} has {units} characters; expected at most {MAX_CELL_CHARS} in a cell, as Excel allows")));
                }
            }
            _ => {}
        }
        Ok(())
    })
}

/// The sheets listed in the workbook part: name and relationship id, as calamine reads them.
fn listed_sheets<R: Read + Seek>(
    zip: &mut ZipArchive<R>,
    names: &Names,
) -> Result<Vec<(String, String)>, Problem> {
    let mut sheets = Vec::new();
    walk(zip, names, "xl/workbook.bin", |typ, size, head| {
        if typ != BUNDLE_SH {
            return Ok(());
        }
        if size > HEAD {
            return Err(damaged(&format!(
                "a sheet's listing in its workbook part takes {size} bytes"
            )));
        }
        let Some(rel_units) = u32_at(head, 8) else {
            return Ok(());
        };
        if rel_units == u32::MAX {
            return Ok(());
        }
        if let Some((id, taken)) = wide_string(head, 8) {
            if let Some((name, _)) = wide_string(head, 8 + taken) {
                sheets.push((name, id));
            }
        }
        Ok(())
    })?;
    Ok(sheets)
}

/// Walks the parts calamine reads of an .xlsb workbook, then counts the cells of the `which`
/// sheets with calamine's cells reader.
pub(super) fn check_xlsb<R: Read + Seek>(
    bytes: &[u8],
    zip: &mut ZipArchive<R>,
    names: &Names,
    which: Sheets,
) -> Result<(), Problem> {
    check_shared_strings(zip, names)?;
    walk(zip, names, "xl/styles.bin", |_, _, _| Ok(()))?;
    let sheets = which.chosen(listed_sheets(zip, names)?);
    let targets: std::collections::HashMap<String, String> =
        relationships(zip, names, "xl/_rels/workbook.bin.rels", Rels::Binary)
            .into_iter()
            .map(|(id, _, target)| (id, format!("xl/{target}")))
            .collect();
    let parts: Vec<(String, String)> = sheets
        .into_iter()
        .filter_map(|(name, id)| Some((name, targets.get(&id)?.clone())))
        .collect();
    for (_, path) in one_part_each(parts, names)? {
        walk(zip, names, &path, |_, _, _| Ok(()))?;
    }
    count_cells(bytes, which)
}

/// Counts the `which` sheets' cells, read one at a time with calamine's cells reader. A workbook
/// calamine cannot open passes: calamine then says what is wrong with it.
fn count_cells(bytes: &[u8], which: Sheets) -> Result<(), Problem> {
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
            let mut row_text = RowText::default();
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
                row_text.add(&name, row, text)?;
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
