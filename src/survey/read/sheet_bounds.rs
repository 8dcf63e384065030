//! A workbook's size, checked before calamine reads it: the zip entries of an .xlsx or .ods file
//! are streamed (never held whole) and their cells counted as calamine would hold them, so that a
//! file of a few kilobytes cannot ask for gigabytes (a cell in a sheet's far corner, one long
//! shared string used in many cells, a row repeated a million times). A sheet beyond a limit of
//! [`crate::survey::limits`] is refused with a message naming the sheet and the cell. The parts
//! are found where calamine finds them (`zip_parts`). The binary workbooks are checked by
//! `xls_bounds` and `xlsb_bounds`; all count a sheet with `extent`.

use std::collections::HashMap;
use std::io::{Cursor, Read, Seek};

use quick_xml::events::{BytesStart, Event};
use zip::ZipArchive;

pub(in crate::survey) use super::extent::Sheets;
use super::extent::{cell_name, long_cell, long_row, Extent};
use super::ods_bounds::check_ods;
use super::xls_bounds::check_xls;
use super::xlsb_bounds::check_xlsb;
use super::zip_parts::{
    attribute, broken_xml, chars, one_part_each, raw_attributes, refuse_shared_data, relationships,
    unescape, xml, Names, Rels, XlsxBook,
};
use crate::survey::limits::{MAX_CELL_CHARS, MAX_LINE_BYTES, MAX_SHEET_CELLS};
use crate::survey::Problem;

/// The first bytes of an OLE container (an .xls workbook).
pub(super) const OLE_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// Checks the `sheets` of a workbook against the limits: the sheet of an .xlsx or .xlsb workbook
/// that will be read (or all, for a copy), every table of an .ods spreadsheet or every sheet of an
/// .xls workbook (calamine reads them all). calamine opens a zip archive as .xlsx, else as .xlsb,
/// else as .ods, so each of these the archive could be read as is checked, its parts found where
/// calamine finds them. An archive whose parts cannot be found passes: calamine then says what is
/// wrong with it.
pub(in crate::survey) fn check_workbook(bytes: &[u8], sheets: Sheets) -> Result<(), Problem> {
    if bytes.starts_with(OLE_MAGIC) {
        return check_xls(bytes);
    }
    let Ok(mut zip) = ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    refuse_shared_data(&mut zip)?;
    let names = Names::of(&zip);
    if let Some(book) = XlsxBook::find(&mut zip, &names) {
        check_xlsx(&mut zip, &names, &book, sheets)?;
    }
    if names.has("xl/workbook.bin") {
        check_xlsb(bytes, &mut zip, &names, sheets)?;
    }
    // calamine opens content.xml by its exact name
    if let Ok(content) = zip.by_name("content.xml") {
        check_ods(content)?;
    }
    Ok(())
}

/// A count attribute (a repeat); 1 when absent or not a number (calamine then says why).
fn count(e: &BytesStart, name: &str) -> u64 {
    attribute(e, name)
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(1)
}

/// A cell or row reference as calamine reads it: letters of either case (the column, any number
/// of them), then digits (the row, from 1); (row, column) from 0, the column `None` without
/// letters; `None` where calamine refuses the reference (and so the sheet).
fn reference(text: &str) -> Option<(u64, Option<u64>)> {
    let mut bytes = text.bytes().peekable();
    let mut column = 0u64;
    while let Some(b) = bytes.next_if(u8::is_ascii_alphabetic) {
        let letter = u64::from(b.to_ascii_uppercase() - b'A') + 1;
        column = column.saturating_mul(26).saturating_add(letter);
    }
    let mut row = None::<u64>;
    for b in bytes {
        let digit = u64::from(b)
            .checked_sub(u64::from(b'0'))
            .filter(|d| *d < 10)?;
        row = Some(row.unwrap_or(0).saturating_mul(10).saturating_add(digit));
    }
    Some((row?.checked_sub(1)?, column.checked_sub(1)))
}

/// A cell reference like `XFD1048576` as (row, column) from 0.
fn parse_cell(text: &str) -> Option<(u64, u64)> {
    let (row, column) = reference(text)?;
    Some((row, column?))
}

/// The text of a text or CDATA event (empty for another).
fn text<'e>(event: &'e Event) -> &'e str {
    match event {
        Event::Text(t) => t,
        Event::CData(t) => t,
        _ => "",
    }
}

/// Checks the sheet of an .xlsx workbook that will be read (or all, counted together: a copy
/// holds them all), and the shared strings (calamine reads them all when it opens the workbook).
fn check_xlsx<R: Read + Seek>(
    zip: &mut ZipArchive<R>,
    names: &Names,
    book: &XlsxBook,
    sheets: Sheets,
) -> Result<(), Problem> {
    let strings = book.part("sharedStrings.xml");
    let shared = match zip.by_name(names.entry(&strings)) {
        Ok(entry) => shared_string_lengths(entry, &strings)?,
        Err(_) => Vec::new(),
    };
    let mut area_before = 0;
    for (name, path) in one_part_each(sheet_parts(zip, names, book, sheets), names)? {
        if let Ok(entry) = zip.by_name(names.entry(&path)) {
            let extent = check_xlsx_sheet(entry, &name, &path, &shared, area_before)?;
            area_before = area_before.saturating_add(extent.area());
        }
    }
    Ok(())
}

/// The bytes of each shared string, each at most [`MAX_CELL_CHARS`] characters, at most
/// [`MAX_SHEET_CELLS`] of them.
fn shared_string_lengths<R: Read>(entry: R, part: &str) -> Result<Vec<u32>, Problem> {
    let mut reader = xml(entry);
    let mut buf = Vec::new();
    let mut lengths = Vec::new();
    let (mut chars, mut bytes, mut within) = (0u64, 0u64, false);
    loop {
        let event = match reader.read_event_into(&mut buf) {
            Ok(Event::Eof) => break,
            Ok(event) => event,
            Err(e) => return Err(broken_xml(part, e)),
        };
        match &event {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "sst" => {
                let declared = count(e, "uniqueCount");
                if declared > MAX_SHEET_CELLS as u64 {
                    return Err(Problem::file(format!("cannot be read: its shared strings declare {declared} texts; expected at most {MAX_SHEET_CELLS}")));
                }
            }
            Event::Start(e) if e.local_name().as_ref() == "si" => {
                (chars, bytes, within) = (0, 0, true);
            }
            Event::Empty(e) if e.local_name().as_ref() == "si" => lengths.push(0),
            Event::Text(_) | Event::CData(_) if within => {
                let t = text(&event);
                chars += self::chars(t);
                bytes += t.len() as u64;
            }
            Event::GeneralRef(_) if within => {
                chars += 1;
                bytes += 1;
            }
            Event::End(e) if e.local_name().as_ref() == "si" => {
                within = false;
                if chars > MAX_CELL_CHARS as u64 {
                    return Err(Problem::file(format!("cannot be read: its shared text {} has {chars} characters; expected at most {MAX_CELL_CHARS} in a cell, as Excel allows", lengths.len() + 1)));
                }
                if lengths.len() >= MAX_SHEET_CELLS {
                    return Err(Problem::file(format!("cannot be read: it has more than {MAX_SHEET_CELLS} shared texts; expected at most that many")));
                }
                lengths.push(bytes as u32);
            }
            _ => {}
        }
        buf.clear();
    }
    Ok(lengths)
}

/// The names and parts of the sheets that will be read, found as calamine finds them (a sheet
/// named twice is read from its first listing).
fn sheet_parts<R: Read + Seek>(
    zip: &mut ZipArchive<R>,
    names: &Names,
    book: &XlsxBook,
    which: Sheets,
) -> Vec<(String, String)> {
    let mut sheets: Vec<(String, String)> = Vec::new();
    if let Ok(entry) = zip.by_name(names.entry(&book.part(&book.workbook))) {
        let mut reader = xml(entry);
        let mut buf = Vec::new();
        loop {
            match reader.read_event_into(&mut buf) {
                Ok(Event::Start(e)) | Ok(Event::Empty(e)) if e.local_name().as_ref() == "sheet" => {
                    // each attribute's last value, as calamine takes them
                    let (mut name, mut id) = (String::new(), String::new());
                    for (key, value) in raw_attributes(&e) {
                        if key == "name" {
                            name = unescape(value);
                        } else if key == "id" || key.ends_with(":id") {
                            id = value;
                        }
                    }
                    sheets.push((name, id));
                }
                Ok(Event::Eof) | Err(_) => break,
                _ => {}
            }
            buf.clear();
        }
    }
    let sheets = which.chosen(sheets);
    let rels = book.part(&format!("_rels/{}.rels", book.workbook));
    let targets: HashMap<String, String> = relationships(zip, names, &rels, Rels::Workbook)
        .into_iter()
        .map(|(id, _, target)| {
            let path = match target.strip_prefix('/') {
                Some(absolute) => absolute.to_string(),
                None => book.part(&target),
            };
            (id, path)
        })
        .collect();
    sheets
        .into_iter()
        .filter_map(|(name, id)| Some((name, targets.get(&id)?.clone())))
        .collect()
}

/// An .xlsx cell being read.
struct XlsxCell {
    /// Its row and column (from 0).
    at: (u64, u64),
    /// Whether its value is the index of a shared string.
    is_shared: bool,
    has_value: bool,
    /// Its text's characters and bytes (but a shared string's).
    chars: u64,
    bytes: u64,
}

/// Checks an .xlsx worksheet: its filled cells (those with a value), where they are, and their
/// text (a shared string's for each use of it).
fn check_xlsx_sheet<R: Read>(
    entry: R,
    name: &str,
    part: &str,
    shared: &[u32],
    area_before: u64,
) -> Result<Extent, Problem> {
    let mut reader = xml(entry);
    let mut buf = Vec::new();
    let mut extent = Extent::new(name);
    // the current row (from 0; none before the first), the next cell's column, the row's text
    let (mut row, mut column, mut row_text): (Option<u64>, u64, u64) = (None, 0, 0);
    let mut cell: Option<XlsxCell> = None;
    let mut index = String::new();
    loop {
        let event = match reader.read_event_into(&mut buf) {
            Ok(Event::Eof) => break,
            Ok(event) => event,
            Err(e) => return Err(broken_xml(part, e)),
        };
        match &event {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                "row" => {
                    let next = row.map_or(0, |r| r + 1);
                    row = Some(
                        attribute(e, "r")
                            .and_then(|r| reference(&r))
                            .map_or(next, |(r, _)| r),
                    );
                    (column, row_text) = (0, 0);
                }
                "c" => {
                    let at = attribute(e, "r")
                        .and_then(|r| parse_cell(&r))
                        .unwrap_or((row.unwrap_or(0), column));
                    column = at.1 + 1;
                    let is_shared = attribute(e, "t").as_deref() == Some("s");
                    cell = matches!(event, Event::Start(_)).then_some(XlsxCell {
                        at,
                        is_shared,
                        has_value: false,
                        chars: 0,
                        bytes: 0,
                    });
                    index.clear();
                }
                "v" | "is" => {
                    if let Some(c) = &mut cell {
                        c.has_value = true;
                    }
                }
                _ => {}
            },
            Event::Text(_) | Event::CData(_) => {
                let t = text(&event);
                if let Some(c) = &mut cell {
                    if c.is_shared {
                        index.push_str(t);
                    } else {
                        c.chars += chars(t);
                        c.bytes += t.len() as u64;
                    }
                }
            }
            Event::GeneralRef(_) => {
                if let Some(c) = &mut cell {
                    c.chars += 1;
                    c.bytes += 1;
                }
            }
            Event::End(e) if e.local_name().as_ref() == "c" => {
                if let Some(XlsxCell {
                    at: (r, c),
                    is_shared,
                    has_value: true,
                    chars,
                    mut bytes,
                }) = cell.take()
                {
                    if is_shared {
                        bytes = index
                            .trim()
                            .parse::<usize>()
                            .ok()
                            .and_then(|i| shared.get(i))
                            .map_or(0, |&b| u64::from(b));
                    } else if chars > MAX_CELL_CHARS as u64 {
                        return Err(long_cell(name, &cell_name(r, c), chars));
                    }
                    row_text = row_text.saturating_add(bytes);
                    if row_text > MAX_LINE_BYTES as u64 {
                        return Err(long_row(name, r, row_text));
                    }
                    extent.add(r, c, (1, 1), bytes, area_before)?;
                }
            }
            _ => {}
        }
        buf.clear();
    }
    Ok(extent)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_names_read_back() {
        for (row, column) in [
            (0, 0),
            (9, 25),
            (0, 26),
            (1_048_575, 16_383),
            (4, 701),
            (4, 702),
        ] {
            assert_eq!(parse_cell(&cell_name(row, column)), Some((row, column)));
        }
        assert_eq!(cell_name(1_048_575, 16_383), "XFD1048576");
        // as calamine reads them: letters of either case, any number of them
        assert_eq!(parse_cell("xfd1048576"), Some((1_048_575, 16_383)));
        assert_eq!(parse_cell("AAAA1"), Some((0, 18_278)));
        assert_eq!(parse_cell("A0"), None);
        assert_eq!(parse_cell("A"), None);
        assert_eq!(parse_cell("1"), None);
        assert_eq!(parse_cell("A1B"), None);
        assert_eq!(reference("1048576"), Some((1_048_575, None)));
    }
}
