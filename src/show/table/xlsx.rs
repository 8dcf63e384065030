//! Excel workbooks (`.xlsx`, written with rust_xlsxwriter): one sheet per [`Table`], numbers as
//! numbers with a number format that shows the CSV's decimals (shares as percent), text neutralised
//! as in the CSVs, the header row bold and frozen, columns as wide as their longest entry. The
//! bytes depend only on the tables: the document's creation time is fixed, so the same run writes
//! the same file.

use std::collections::HashMap;
use std::io;

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use super::{Cell, Table};
use crate::escape::neutralise;

/// One sheet: its name (at most 31 characters, without `[]:*?/\`; longer names are cut) and table.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    pub name: String,
    pub table: Table,
}

impl Sheet {
    pub fn new(name: impl Into<String>, table: Table) -> Sheet {
        Sheet {
            name: name.into(),
            table,
        }
    }
}

/// The narrowest and widest column, in characters.
const WIDTH: (usize, usize) = (6, 80);

/// The workbook's bytes: the sheets in order (the first one opens). An error of the writer is
/// returned as an I/O error in words, for the file it was meant for.
pub fn workbook_bytes(sheets: &[Sheet]) -> io::Result<Vec<u8>> {
    build(sheets).map_err(|e| io::Error::other(format!("cannot make the Excel workbook: {e}")))
}

fn build(sheets: &[Sheet]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    // a fixed creation time (the ZIP format's first day): the same tables give the same bytes
    let created = ExcelDateTime::from_ymd(1980, 1, 1)?;
    book.set_properties(
        &DocProperties::new()
            .set_creation_datetime(&created)
            .set_author("typfrage"),
    );
    let mut formats = Formats::default();
    let names = sheet_names(sheets.iter().map(|s| s.name.as_str()));
    for (sheet, name) in sheets.iter().zip(names) {
        let ws = book.add_worksheet();
        ws.set_name(name)?;
        write_table(ws, &sheet.table, &mut formats)?;
    }
    book.save_to_buffer()
}

/// The names the sheets get in the workbook: valid (at most 31 characters, none of `[]:*?/\`)
/// and unique, in order.
pub fn sheet_names<'a>(wanted: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for w in wanted {
        let name = unique_name(w, &names);
        names.push(name);
    }
    names
}

/// A valid, unused sheet name.
fn unique_name(wanted: &str, used: &[String]) -> String {
    let clean: String = wanted
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .collect();
    let clean = clean.trim_matches('\'');
    let base = if clean.is_empty() { "Sheet" } else { clean };
    let cut = |s: &str, n: usize| s.chars().take(n).collect::<String>();
    let mut name = cut(base, 31);
    let mut i = 2;
    while used.iter().any(|u| u.eq_ignore_ascii_case(&name)) {
        let suffix = format!(" ({i})");
        name = cut(base, 31 - suffix.len()) + &suffix;
        i += 1;
    }
    name
}

/// Number formats made once per workbook.
#[derive(Default)]
struct Formats {
    by_code: HashMap<String, Format>,
}

impl Formats {
    fn get(&mut self, code: &str) -> &Format {
        self.by_code
            .entry(code.to_string())
            .or_insert_with(|| Format::new().set_num_format(code))
    }
}

/// The number format that shows `decimals` decimals (`None`: as many as the number has).
fn number_format(decimals: Option<usize>, percent: bool) -> String {
    let mut code = match decimals {
        None => return "General".into(),
        Some(0) => "0".to_string(),
        Some(d) => format!("0.{}", "0".repeat(d)),
    };
    if percent {
        code.push('%');
    }
    code
}

/// How wide a cell shows, in characters.
fn shown_width(cell: &Cell) -> usize {
    match cell {
        Cell::Percent { .. } => cell.csv_text(super::CsvStyle::Rfc4180).chars().count() + 1,
        _ => cell.csv_text(super::CsvStyle::Rfc4180).chars().count(),
    }
}

fn write_table(ws: &mut Worksheet, table: &Table, formats: &mut Formats) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    let mut widths: Vec<usize> = table.header.iter().map(|h| h.chars().count()).collect();
    for (c, h) in table.header.iter().enumerate() {
        ws.write_string_with_format(0, col(c)?, neutralise(h), &bold)?;
    }
    for (r, row) in table.rows.iter().enumerate() {
        let r = u32::try_from(r + 1).map_err(|_| XlsxError::RowColumnLimitError)?;
        for (c, cell) in row.iter().enumerate() {
            if let Some(w) = widths.get_mut(c) {
                *w = (*w).max(shown_width(cell));
            }
            let c = col(c)?;
            match cell {
                Cell::Empty => {}
                Cell::Text(s) => {
                    ws.write_string(r, c, neutralise(s))?;
                }
                Cell::Number { value, decimals } => {
                    // the number the CSV shows, so that the cell equals the CSV's
                    let shown: f64 = Cell::number_text(*value, *decimals)
                        .parse()
                        .unwrap_or(*value);
                    ws.write_number_with_format(
                        r,
                        c,
                        shown,
                        formats.get(&number_format(*decimals, false)),
                    )?;
                }
                Cell::Percent { points, decimals } => {
                    let shown: f64 = Cell::number_text(*points, Some(*decimals))
                        .parse()
                        .unwrap_or(*points);
                    ws.write_number_with_format(
                        r,
                        c,
                        shown / 100.0,
                        formats.get(&number_format(Some(*decimals), true)),
                    )?;
                }
            }
        }
    }
    ws.set_freeze_panes(1, 0)?;
    for (c, w) in widths.iter().enumerate() {
        let w = (*w).clamp(WIDTH.0, WIDTH.1) + 2;
        ws.set_column_width(col(c)?, w as f64)?;
    }
    Ok(())
}

fn col(c: usize) -> Result<u16, XlsxError> {
    u16::try_from(c).map_err(|_| XlsxError::RowColumnLimitError)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<Sheet> {
        let mut t = Table::new(["id", "share", "distance"]);
        t.push(vec![
            Cell::text("=1+1"),
            Cell::percent(31.153, 3),
            Cell::number(-0.5, 6),
        ]);
        vec![
            Sheet::new("about", Table::new(["what"])),
            Sheet::new("data", t),
        ]
    }

    #[test]
    fn the_same_tables_give_the_same_workbook_bytes() {
        let a = workbook_bytes(&sample()).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(1100));
        let b = workbook_bytes(&sample()).unwrap();
        assert!(a.starts_with(b"PK"), "an xlsx is a ZIP file");
        assert!(a == b, "two workbooks of the same tables differ");
    }

    #[test]
    fn sheet_names_are_made_valid_and_unique() {
        let used = vec!["crosstab-ziel_effizienz_und_mehr"
            .chars()
            .take(31)
            .collect()];
        assert_eq!(unique_name("a/b:c", &[]), "a_b_c");
        let long = "crosstab-ziel_effizienz_und_mehr_als_das";
        let name = unique_name(long, &used);
        assert_eq!(name.chars().count(), 31);
        assert!(name.ends_with(" (2)"), "{name}");
    }

    #[test]
    fn number_formats_show_the_csv_decimals() {
        assert_eq!(number_format(Some(0), false), "0");
        assert_eq!(number_format(Some(3), false), "0.000");
        assert_eq!(number_format(Some(2), true), "0.00%");
        assert_eq!(number_format(None, false), "General");
    }
}
