//! Reading a survey kept in a workbook (.xlsx, .xlsb, .xls, .ods) with calamine (its size checked
//! first by `sheet_bounds`, a panic inside calamine read as a damaged file): the first sheet or the
//! one named, the header row found below any title rows, and the typed cells turned into the text
//! a CSV export of the sheet would hold, so that `validate` checks them the same way.

use std::io::Cursor;

use calamine::{open_workbook_auto_from_rs, Data, Range, Reader};

use super::caught::caught;
use super::sheet_bounds::{check_workbook, Sheets, OLE_MAGIC};
use super::{Dialect, LineEnding, RawTable, Unreadable};
use crate::survey::limits::MAX_COLUMNS;
use crate::survey::numbers::number_text;
use crate::survey::Problem;

/// Whether the bytes start like a workbook: a zip archive (.xlsx, .ods) or an OLE container (.xls).
pub(in crate::survey) fn is_workbook(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(OLE_MAGIC)
}

/// The text of one typed cell; `None` when it is empty. A TRUE/FALSE cell reads as 1/0.
fn cell_text(cell: &Data) -> Option<String> {
    let text = match cell {
        Data::Empty => return None,
        Data::Int(i) => i.to_string(),
        Data::Float(x) => number_text(*x),
        Data::String(s) => s.trim().to_string(),
        Data::Bool(b) => u8::from(*b).to_string(),
        Data::DateTime(d) => format!("{d} (a date or time)"),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
    };
    (!text.is_empty()).then_some(text)
}

/// A survey read from a workbook, with a description of where in it.
pub(in crate::survey) struct SheetTable {
    pub raw: RawTable,
    pub description: String,
}

/// Reads the named sheet (or the first) of a workbook into a table of text cells.
pub(in crate::survey) fn read_sheet(
    bytes: &[u8],
    sheet: Option<&str>,
) -> Result<SheetTable, Unreadable> {
    check_workbook(bytes, Sheets::One(sheet))?;
    let (kind, names, name, range) = caught(|| open_sheet(bytes, sheet)).unwrap_or_else(|why| {
        Err(Problem::file(format!(
            "cannot be read as a workbook: the file is damaged ({why}); expected a workbook with the survey on a sheet, or a CSV file"
        ))
        .into())
    })?;
    let which = if sheet.is_none() && names.len() > 1 {
        format!(
            "sheet '{name}' (the first of {}; --sheet NAME reads another)",
            names.len()
        )
    } else {
        format!("sheet '{name}'")
    };
    let raw = sheet_table(&range, &name)?;
    let description = format!(
        "{kind}, {which}, header in row {}{}",
        raw.header_row,
        match raw.dialect.comment_lines {
            0 => String::new(),
            1 => " below 1 title row".to_string(),
            n => format!(" below {n} title rows"),
        }
    );
    Ok(SheetTable { raw, description })
}

/// A sheet as calamine read it: the workbook's kind, its sheets' names, the sheet's name and its
/// cells.
type OpenedSheet = (&'static str, Vec<String>, String, Range<Data>);

/// Opens the workbook with calamine and reads the named sheet (or the first).
fn open_sheet(bytes: &[u8], sheet: Option<&str>) -> Result<OpenedSheet, Unreadable> {
    let unreadable = |e: String| {
        Problem::file(format!(
            "cannot be read as a workbook (.xlsx, .xlsb, .xls or .ods): {e}; expected a workbook with the survey on a sheet, or a CSV file"
        ))
    };
    // an OLE container is read as .xls directly, so that its error is the one reported (the
    // automatic choice says only that no format fitted)
    let mut book = if bytes.starts_with(OLE_MAGIC) {
        calamine::Xls::new(Cursor::new(bytes))
            .map(calamine::Sheets::Xls)
            .map_err(|e| unreadable(format!(".xls: {e}")))?
    } else {
        open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| unreadable(e.to_string()))?
    };
    let kind = match &book {
        calamine::Sheets::Xls(_) => "Excel workbook (.xls)",
        calamine::Sheets::Xlsx(_) => "Excel workbook (.xlsx)",
        calamine::Sheets::Xlsb(_) => "Excel workbook (.xlsb)",
        calamine::Sheets::Ods(_) => "OpenDocument spreadsheet (.ods)",
    };
    let names = book.sheet_names();
    let list = || {
        names
            .iter()
            .map(|n| format!("'{n}'"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let name = match sheet {
        Some(wanted) => names
            .iter()
            .find(|n| n.as_str() == wanted)
            .cloned()
            .ok_or_else(|| {
                Problem::file(format!(
                    "has no sheet '{wanted}' (--sheet); its sheets are {}",
                    list()
                ))
            })?,
        None => names
            .first()
            .cloned()
            .ok_or_else(|| Problem::file("the workbook has no sheet"))?,
    };
    let range = book
        .worksheet_range(&name)
        .map_err(|e| Problem::file(format!("cannot read the sheet '{name}': {e}")))?;
    Ok((kind, names, name, range))
}

/// The sheet's cells as a table: the header is the first row that fills at least half of the
/// sheet's columns (and at least two); non-empty rows above it are title rows, kept like the
/// comment lines of a CSV file; empty rows below it are skipped.
fn sheet_table(range: &Range<Data>, name: &str) -> Result<RawTable, Unreadable> {
    let first_row = range.start().map_or(0, |(row, _)| row as usize);
    let first_col = range.start().map_or(0, |(_, col)| col as usize);
    let rows: Vec<Vec<Option<String>>> = range
        .rows()
        .map(|r| r.iter().map(cell_text).collect())
        .collect();
    let filled = |r: &[Option<String>]| r.iter().filter(|c| c.is_some()).count();
    let last_filled =
        |r: &[Option<String>]| r.iter().rposition(Option::is_some).map_or(0, |i| i + 1);
    let width = rows.iter().map(|r| last_filled(r)).max().unwrap_or(0);
    if width == 0 {
        return Err(Problem::file(format!(
            "the sheet '{name}' is empty; expected a header row with the codebook's column names"
        ))
        .into());
    }
    if width > MAX_COLUMNS {
        return Err(Problem::file(format!(
            "the sheet '{name}' is {width} columns wide; expected at most {MAX_COLUMNS} columns, as for a CSV file"
        ))
        .into());
    }
    let sheet_row = |i: usize| first_row + i + 1;
    let Some(at) = rows
        .iter()
        .position(|r| filled(r) >= 2 && 2 * filled(r) >= width)
    else {
        return Err(Problem::file(format!(
            "the sheet '{name}' has no header row (a row that fills at least half of its {width} columns); expected a header row with the codebook's column names"
        ))
        .into());
    };
    let preamble: Vec<String> = rows[..at]
        .iter()
        .filter(|r| filled(r) > 0)
        .map(|r| r.iter().flatten().cloned().collect::<Vec<_>>().join(" "))
        .collect();
    let header_cells = &rows[at];
    let columns = last_filled(header_cells);
    let header: Vec<String> = header_cells[..columns]
        .iter()
        .map(|c| c.clone().unwrap_or_default())
        .collect();
    let mut numbers = Vec::new();
    let mut cells: Vec<Vec<Option<String>>> = vec![Vec::new(); columns];
    let mut problems = Vec::new();
    for (i, row) in rows.iter().enumerate().skip(at + 1) {
        if filled(row) == 0 {
            continue;
        }
        if last_filled(row) > columns {
            let beyond = last_filled(row) - 1;
            problems.push(Problem::row(
                sheet_row(i),
                format!(
                    "has a value in column {} beyond the header's last column ({columns}); expected one value per named column",
                    first_col + beyond + 1
                ),
            ));
        }
        numbers.push(sheet_row(i));
        for (j, column) in cells.iter_mut().enumerate() {
            column.push(row.get(j).cloned().flatten());
        }
    }
    if !problems.is_empty() {
        return Err(Unreadable::with_note(
            problems,
            "The row structure is broken, so the cells were not checked: fix these rows first.",
        ));
    }
    if numbers.is_empty() {
        return Err(Problem::file(format!(
            "the sheet '{name}' has a header row (row {}) but no data rows; expected one row per case",
            sheet_row(at)
        ))
        .into());
    }
    let dialect = Dialect {
        encoding: "Unicode (workbook)",
        separator: b',',
        line_ending: LineEnding::Lf,
        comment_lines: preamble.len(),
        preamble,
    };
    Ok(RawTable::from_cells(
        dialect,
        header,
        sheet_row(at),
        numbers,
        cells,
        Vec::new(),
    ))
}
