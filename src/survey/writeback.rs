//! Writing results back into a copy of the user's own survey file (`cluster --save-into`): the same
//! format with new columns appended, everything else as it was. An SPSS file keeps every record of
//! its dictionary and gets numeric variables (the type with value labels naming the types); a CSV
//! file keeps its comment lines, separator, encoding (UTF-8 with or without BOM, UTF-16,
//! Windows-1252) and line ending, and its added text cells are formula-safe
//! ([`crate::escape::neutralise`]); a workbook keeps its sheets' values (not their
//! formatting) and gets the columns beside the survey's header; a Parquet file keeps its columns
//! and their types and gets the new columns at the end (a labelled one as its codes and a
//! categorical `<name>_label` of its labels, as `export` writes them). A file that already has a
//! column of the name an added one takes is refused, in every format: typfrage adds columns and
//! replaces none.

use std::io::Cursor;

use calamine::{open_workbook_auto_from_rs, Data, Reader};

use polars::prelude::{
    DataFrame, DataType, FrozenCategories, IntoColumn, NamedFrom, ParquetReader, ParquetWriter,
    PolarsError, SerReader, Series,
};

use super::read::caught::caught;
use super::read::parquet::is_parquet;
use super::read::sheet::{is_workbook, read_sheet};
use super::read::sheet_bounds::{check_workbook, Sheets};
use super::read::{read_raw, Dialect, LineEnding};
use super::sav::{NewVariable, SavFile};
use crate::escape::neutralise;

/// A column to add: one value per survey row (`None`: left out).
pub struct AddedColumn {
    pub name: String,
    pub label: String,
    pub decimals: u8,
    /// Value labels (an SPSS file); a CSV file or a workbook gets a text column `<name>_name`.
    pub labels: Vec<(i64, String)>,
    pub values: Vec<Option<f64>>,
}

/// The format a copy is written in, from the input's content: "sav", "parquet", "csv" or "xlsx".
pub fn copy_format(bytes: &[u8]) -> &'static str {
    if super::sav::is_sav(bytes) {
        "sav"
    } else if is_parquet(bytes) {
        "parquet"
    } else if is_workbook(bytes) {
        "xlsx"
    } else {
        "csv"
    }
}

/// The user's file (`bytes`, read with `sheet`) with `added` appended, in the file's own format.
pub fn copy_with_columns(
    bytes: &[u8],
    sheet: Option<&str>,
    added: &[AddedColumn],
) -> Result<Vec<u8>, String> {
    match copy_format(bytes) {
        "sav" => {
            let file = SavFile::parse(bytes)?;
            let vars: Vec<NewVariable> = added
                .iter()
                .map(|c| NewVariable {
                    name: &c.name,
                    label: &c.label,
                    decimals: c.decimals,
                    measure: if c.labels.is_empty() { 3 } else { 1 },
                    labels: c
                        .labels
                        .iter()
                        .map(|(k, l)| (*k as f64, l.clone()))
                        .collect(),
                    values: c.values.clone(),
                })
                .collect();
            file.with_variables(&vars)
        }
        "xlsx" => workbook_copy(bytes, sheet, added),
        "parquet" => parquet_copy(bytes, added),
        _ => csv_copy(bytes, added),
    }
}

/// The cells to add to one row: each column's number, and after a labelled one its label.
fn added_cells(added: &[AddedColumn], row: usize) -> Vec<Cell> {
    let mut cells = Vec::new();
    for c in added {
        let value = c.values[row];
        cells.push(value.map_or(Cell::Empty, |x| Cell::Number(x, c.decimals)));
        if !c.labels.is_empty() {
            let label = value.and_then(|v| {
                c.labels
                    .iter()
                    .find(|(k, _)| *k as f64 == v)
                    .map(|(_, l)| l.clone())
            });
            cells.push(label.map_or(Cell::Empty, Cell::Text));
        }
    }
    cells
}

fn added_header(added: &[AddedColumn]) -> Vec<String> {
    let mut names = Vec::new();
    for c in added {
        names.push(c.name.clone());
        if !c.labels.is_empty() {
            names.push(format!("{}_name", c.name));
        }
    }
    names
}

enum Cell {
    Empty,
    /// With the decimals a text shows.
    Number(f64, u8),
    Text(String),
}

/// Refuses a file whose header already has a column an added one would be named (compared
/// without regard to ASCII case, as SPSS compares names).
fn refuse_taken(header: &[String], added: &[AddedColumn]) -> Result<(), String> {
    for name in added_header(added) {
        if let Some(taken) = header.iter().find(|h| h.trim().eq_ignore_ascii_case(&name)) {
            return Err(format!(
                "the file already has a column named '{taken}'; typfrage adds the column '{name}' and does not replace one: rename that column, or save into a copy of the file without it"
            ));
        }
    }
    Ok(())
}

/// The text of a CSV copy in the input's encoding, with its byte-order mark.
fn encoded(text: &str, dialect: &Dialect) -> Result<Vec<u8>, String> {
    let wide = |bom: [u8; 2], unit: fn(u16) -> [u8; 2]| {
        let mut out = bom.to_vec();
        for u in text.encode_utf16() {
            out.extend_from_slice(&unit(u));
        }
        out
    };
    Ok(match dialect.encoding {
        "UTF-8 with BOM" => [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
        "UTF-16LE" => wide([0xFF, 0xFE], u16::to_le_bytes),
        "UTF-16BE" => wide([0xFE, 0xFF], u16::to_be_bytes),
        "Windows-1252" => {
            let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(text);
            if unmappable {
                let c = text
                    .chars()
                    .find(|c| encoding_rs::WINDOWS_1252.encode(&c.to_string()).2)
                    .unwrap_or('?');
                return Err(format!(
                    "the copy cannot be written in Windows-1252, the file's encoding: it has no character '{c}' (U+{:04X}); save the file as \"CSV UTF-8\" and try again",
                    u32::from(c)
                ));
            }
            bytes.into_owned()
        }
        _ => text.as_bytes().to_vec(),
    })
}

fn csv_copy(bytes: &[u8], added: &[AddedColumn]) -> Result<Vec<u8>, String> {
    let raw = read_raw(bytes).map_err(|u| {
        u.problems
            .first()
            .map_or("cannot be read".to_string(), |p| p.message.clone())
    })?;
    refuse_taken(&raw.header, added)?;
    let (terminator, newline) = match raw.dialect.line_ending {
        LineEnding::CrLf => (csv::Terminator::CRLF, "\r\n"),
        LineEnding::Cr => (csv::Terminator::Any(b'\r'), "\r"),
        LineEnding::Lf => (csv::Terminator::Any(b'\n'), "\n"),
    };
    let mut out = Vec::new();
    for line in &raw.dialect.preamble {
        out.extend_from_slice(format!("# {line}{newline}").as_bytes());
    }
    let mut w = csv::WriterBuilder::new()
        .delimiter(raw.dialect.separator)
        .terminator(terminator)
        .from_writer(out);
    let mut header = raw.header.clone();
    header.extend(added_header(added));
    w.write_record(&header).map_err(|e| e.to_string())?;
    for row in 0..raw.rows.len() {
        let mut record: Vec<String> = raw
            .columns
            .iter()
            .map(|c| c.get(row).unwrap_or_default().to_string())
            .collect();
        for cell in added_cells(added, row) {
            record.push(match cell {
                Cell::Empty => String::new(),
                Cell::Number(x, decimals) => {
                    let text = format!("{x:.*}", usize::from(decimals));
                    if raw.dialect.decimal_comma_allowed() {
                        text.replace('.', ",")
                    } else {
                        text
                    }
                }
                Cell::Text(t) => neutralise(&t).into_owned(),
            });
        }
        w.write_record(&record).map_err(|e| e.to_string())?;
    }
    let text = w.into_inner().map_err(|e| e.to_string())?;
    let text = String::from_utf8(text).map_err(|e| e.to_string())?;
    encoded(&text, &raw.dialect)
}

fn workbook_copy(
    bytes: &[u8],
    sheet: Option<&str>,
    added: &[AddedColumn],
) -> Result<Vec<u8>, String> {
    caught(|| copy_sheets(bytes, sheet, added))
        .unwrap_or_else(|why| Err(format!("the workbook is damaged ({why})")))
}

/// [`workbook_copy`], with calamine's panics not yet caught.
fn copy_sheets(
    bytes: &[u8],
    sheet: Option<&str>,
    added: &[AddedColumn],
) -> Result<Vec<u8>, String> {
    let table = read_sheet(bytes, sheet).map_err(|u| {
        u.problems
            .first()
            .map_or("cannot be read".to_string(), |p| p.message.clone())
    })?;
    let raw = table.raw;
    refuse_taken(&raw.header, added)?;
    check_workbook(bytes, Sheets::All).map_err(|p| p.message)?;
    let mut book = open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let chosen = sheet
        .map(str::to_string)
        .or_else(|| book.sheet_names().first().cloned())
        .unwrap_or_default();
    let mut out = rust_xlsxwriter::Workbook::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).map_err(|e| e.to_string())?;
        let ws = out.add_worksheet();
        ws.set_name(&name).map_err(|e| e.to_string())?;
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let mut last_col = c0;
        for (i, row) in range.rows().enumerate() {
            for (j, cell) in row.iter().enumerate() {
                let (r, c) = (r0 + i as u32, (c0 as usize + j) as u16);
                last_col = last_col.max(c0 + j as u32);
                let result = match cell {
                    Data::Empty => continue,
                    Data::Int(x) => ws.write_number(r, c, *x as f64).map(|_| ()),
                    Data::Float(x) => ws.write_number(r, c, *x).map(|_| ()),
                    Data::Bool(b) => ws.write_boolean(r, c, *b).map(|_| ()),
                    Data::DateTime(d) => ws.write_number(r, c, d.as_f64()).map(|_| ()),
                    other => ws.write_string(r, c, other.to_string()).map(|_| ()),
                };
                result.map_err(|e| e.to_string())?;
            }
        }
        if name != chosen {
            continue;
        }
        let first = (c0 as usize + raw.header.len()) as u16;
        let header_row = (raw.header_row - 1) as u32;
        for (k, h) in added_header(added).iter().enumerate() {
            ws.write_string(header_row, first + k as u16, h)
                .map_err(|e| e.to_string())?;
        }
        for (i, &sheet_row) in raw.rows.iter().enumerate() {
            for (k, cell) in added_cells(added, i).into_iter().enumerate() {
                let (r, c) = ((sheet_row - 1) as u32, first + k as u16);
                let result = match cell {
                    Cell::Empty => continue,
                    Cell::Number(x, _) => ws.write_number(r, c, x).map(|_| ()),
                    Cell::Text(t) => ws.write_string(r, c, t).map(|_| ()),
                };
                result.map_err(|e| e.to_string())?;
            }
        }
    }
    out.save_to_buffer().map_err(|e| e.to_string())
}

/// A Parquet file with `added` appended: each column as doubles, and after a labelled one its codes
/// as integers and a categorical `<name>_label` of their labels. A name the file already has is an
/// error, never a column replaced.
fn parquet_copy(bytes: &[u8], added: &[AddedColumn]) -> Result<Vec<u8>, String> {
    let text = |e: PolarsError| e.to_string();
    let mut frame: DataFrame = ParquetReader::new(Cursor::new(bytes))
        .finish()
        .map_err(text)?;
    for c in added {
        let names = if c.labels.is_empty() {
            vec![c.name.clone()]
        } else {
            vec![c.name.clone(), format!("{}_label", c.name)]
        };
        let header: Vec<String> = frame
            .get_column_names()
            .iter()
            .map(|n| n.to_string())
            .collect();
        let taken = names.iter().find_map(|name| {
            let taken = header.iter().find(|h| h.eq_ignore_ascii_case(name))?;
            Some(format!(
                "the file already has a column named '{taken}'; typfrage adds the column '{name}' and does not replace one: rename that column, or save into a copy of the file without it"
            ))
        });
        if let Some(why) = taken {
            return Err(why);
        }
        if c.labels.is_empty() {
            frame
                .with_column(Series::new(c.name.as_str().into(), c.values.clone()).into_column())
                .map_err(text)?;
            continue;
        }
        let codes: Vec<Option<i32>> = c.values.iter().map(|v| v.map(|x| x as i32)).collect();
        let label_of = |code: i32| {
            c.labels
                .iter()
                .find(|(k, _)| *k == i64::from(code))
                .map(|(_, l)| l.as_str())
        };
        let labels: Vec<Option<&str>> = codes.iter().map(|v| v.and_then(label_of)).collect();
        let levels = c.labels.iter().map(|(_, l)| l.as_str());
        let dtype = DataType::from_frozen_categories(FrozenCategories::new(levels).map_err(text)?);
        frame
            .with_column(Series::new(c.name.as_str().into(), codes).into_column())
            .map_err(text)?;
        frame
            .with_column(
                Series::new(names[1].as_str().into(), labels)
                    .cast(&dtype)
                    .map_err(text)?
                    .into_column(),
            )
            .map_err(text)?;
    }
    let mut out = Vec::new();
    ParquetWriter::new(&mut out)
        .finish(&mut frame)
        .map_err(text)?;
    Ok(out)
}
