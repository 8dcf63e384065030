//! An .ods spreadsheet's size, checked before calamine reads it: `content.xml` is streamed and
//! its tables are walked as calamine 0.38 walks them (`ods.rs`: `parse_content`, `read_table`,
//! `read_row`, `get_datatype`), so that each cell calamine would hold is counted, as often as it
//! would hold it.
//!
//! What calamine does, and so what is counted here:
//! - a table starts at a `table:table` outside any table and ends at the first `</table:table>`;
//!   a table inside a table is not a table;
//! - in a table, a row starts at any `table:table-row` (inside row groups too); a row repeated N
//!   times (`table:number-rows-repeated`, its entities decoded) is held N times unless it ends
//!   the table empty;
//! - in a row, a cell starts at `table:table-cell` or `table:covered-table-cell`; it is held,
//!   once per `table:number-columns-repeated` (read as written), when it has a value
//!   (`office:value`, `office:string-value`, `office:date-value`, `office:time-value`,
//!   `office:boolean-value`), a formula (`table:formula`, held beside the value) or reads its
//!   text;
//! - a cell reads its text when its `office:value-type` is `string` before any value attribute,
//!   or when it is an error cell (`calcext:value-type="error"`) with an empty string value: its
//!   text, repeated spaces (`text:s`, entities decoded), tabs and line breaks up to the first
//!   `</table:table-cell>` or `</table:covered-table-cell>` at any depth (an empty
//!   `<table:table-cell/>` is its own end, as calamine expands empty elements), leaving out what
//!   is inside an `office:annotation`;
//! - any other cell skips its content up to its own end tag, counting nested cells of its name.
//!
//! Where this walk and calamine could part (a malformed attribute, an event calamine refuses),
//! the walk counts at least as much as calamine holds, or calamine refuses the file.

use std::io::Read;

use quick_xml::events::{BytesStart, Event};

use super::extent::{cell_name, long_cell, long_row, Extent};
use super::zip_parts::{broken_xml, chars, raw_attributes, unescape, xml};
use crate::survey::limits::{MAX_CELL_CHARS, MAX_LINE_BYTES};
use crate::survey::Problem;

const CELL: &str = "table:table-cell";
const COVERED_CELL: &str = "table:covered-table-cell";

/// Checks every table of an .ods spreadsheet's `content.xml` (calamine reads them all).
pub(super) fn check_ods<R: Read>(content: R) -> Result<(), Problem> {
    let mut reader = xml(content);
    let mut buf = Vec::new();
    let mut walk = OdsWalk::default();
    loop {
        let event = match reader.read_event_into(&mut buf) {
            Ok(Event::Eof) => break,
            Ok(event) => event,
            Err(e) => return Err(broken_xml("content.xml", e)),
        };
        walk.event(&event)?;
        buf.clear();
    }
    Ok(())
}

/// Where calamine's walk through `content.xml` is.
#[derive(Default)]
enum Place {
    /// Outside any table.
    #[default]
    Outside,
    /// In a table, between its rows.
    Table,
    /// In a row, between its cells.
    Row,
    /// In a cell that reads its text (and in `annotation` levels of `office:annotation`).
    Text { annotation: bool },
    /// In a cell whose content is skipped: its name and how many cells of that name are open
    /// inside it.
    Skip { covered: bool, depth: u64 },
}

#[derive(Default)]
struct OdsWalk {
    place: Place,
    /// The table being read and the cells of earlier tables.
    sheet: Option<Extent>,
    before: u64,
    table: OdsTable,
}

impl OdsWalk {
    fn event(&mut self, event: &Event) -> Result<(), Problem> {
        match (&mut self.place, event) {
            (Place::Outside, Event::Start(e) | Event::Empty(e)) if is(e, "table:table") => {
                let name = first(e, "table:name").map(unescape).unwrap_or_default();
                self.sheet = Some(Extent::new(&name));
                self.table = OdsTable::default();
                self.place = Place::Table;
                if matches!(event, Event::Empty(_)) {
                    self.end_table();
                }
            }
            (Place::Outside, _) => {}
            (Place::Table, Event::Start(e) | Event::Empty(e)) if is(e, "table:table-row") => {
                self.table.start_row(row_repeats(e));
                self.place = Place::Row;
                if matches!(event, Event::Empty(_)) {
                    self.end_row()?;
                }
            }
            (Place::Table, Event::End(e)) if e.name().as_ref() == "table:table" => {
                self.end_table();
            }
            // calamine reads an empty element as its start and its end
            (Place::Table, Event::Empty(e)) if is(e, "table:table") => self.end_table(),
            (Place::Table, _) => {}
            (Place::Row, Event::Start(e) | Event::Empty(e))
                if is(e, CELL) || is(e, COVERED_CELL) =>
            {
                let cell = CellStart::of(e);
                self.table.start_cell(cell.repeats, cell.held_chars());
                if matches!(event, Event::Empty(_)) {
                    self.table.end_cell();
                } else if cell.reads_text {
                    self.table.text(0);
                    self.place = Place::Text { annotation: false };
                } else {
                    self.place = Place::Skip {
                        covered: is(e, COVERED_CELL),
                        depth: 0,
                    };
                }
            }
            (Place::Row, Event::End(e)) if e.name().as_ref() == "table:table-row" => {
                self.end_row()?;
            }
            // calamine refuses the file at anything else in a row
            (Place::Row, _) => {}
            (Place::Text { annotation }, event) => match event {
                Event::Start(e) if is(e, "office:annotation") => *annotation = true,
                Event::End(e) if *annotation && e.name().as_ref() == "office:annotation" => {
                    *annotation = false
                }
                _ if *annotation => {}
                Event::End(e) if e.name().as_ref() == CELL || e.name().as_ref() == COVERED_CELL => {
                    self.table.end_cell();
                    self.place = Place::Row;
                }
                Event::Empty(e) if is(e, CELL) || is(e, COVERED_CELL) => {
                    self.table.end_cell();
                    self.place = Place::Row;
                }
                Event::Start(e) | Event::Empty(e) if is(e, "text:s") => self.table.text(spaces(e)),
                Event::Start(e) | Event::Empty(e)
                    if is(e, "text:p") || is(e, "text:tab") || is(e, "text:line-break") =>
                {
                    self.table.text(1)
                }
                Event::Text(t) => self.table.text(chars(t)),
                Event::CData(t) => self.table.text(chars(t)),
                Event::GeneralRef(_) => self.table.text(1),
                _ => {}
            },
            (Place::Skip { covered, depth }, event) => {
                let name: &str = if *covered { COVERED_CELL } else { CELL };
                match event {
                    Event::Start(e) if e.name().as_ref() == name => *depth += 1,
                    Event::End(e) if e.name().as_ref() == name => {
                        if *depth == 0 {
                            self.table.end_cell();
                            self.place = Place::Row;
                        } else {
                            *depth -= 1;
                        }
                    }
                    _ => {}
                }
            }
        }
        Ok(())
    }

    fn end_row(&mut self) -> Result<(), Problem> {
        self.place = Place::Table;
        let row = self.table.end_row();
        match &mut self.sheet {
            Some(extent) => row.count(extent, self.before),
            None => Ok(()),
        }
    }

    fn end_table(&mut self) {
        if let Some(extent) = self.sheet.take() {
            self.before = self.before.saturating_add(extent.area());
        }
        self.place = Place::Outside;
    }
}

/// Whether `e` is the element `name` (as calamine compares: the qualified name as written).
fn is(e: &BytesStart, name: &str) -> bool {
    e.name().as_ref() == name
}

/// The first value of attribute `key` as written.
fn first(e: &BytesStart, key: &str) -> Option<String> {
    raw_attributes(e)
        .into_iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v)
}

/// A row's repeats as calamine reads them (the first attribute, entities decoded; 1 when absent,
/// and where calamine refuses the number).
fn row_repeats(e: &BytesStart) -> u64 {
    first(e, "table:number-rows-repeated")
        .and_then(|v| unescape(v).parse().ok())
        .unwrap_or(1)
}

/// The spaces of a `text:s` as calamine reads them (`text:c` with entities decoded; 1 when
/// absent).
fn spaces(e: &BytesStart) -> u64 {
    first(e, "text:c")
        .and_then(|v| unescape(v).parse().ok())
        .unwrap_or(1)
}

/// A cell's start tag, read as calamine's `get_datatype` reads it.
struct CellStart {
    /// `table:number-columns-repeated` as written (1 when absent or not a number).
    repeats: u64,
    /// The characters of the value it holds (a number or truth value: 0; none: no value).
    value: Option<u64>,
    /// The characters of its formula (0: none).
    formula: u64,
    /// Whether calamine reads its text.
    reads_text: bool,
}

impl CellStart {
    fn of(e: &BytesStart) -> CellStart {
        let mut repeats = None;
        let mut value: Option<u64> = None;
        let mut empty_string = false;
        let (mut is_string, mut is_error) = (false, false);
        let mut formula = 0;
        for (key, raw) in raw_attributes(e) {
            match key.as_str() {
                "table:number-columns-repeated" if repeats.is_none() => {
                    repeats = Some(raw.parse().unwrap_or(1))
                }
                "office:value" | "office:boolean-value" if value.is_none() => value = Some(0),
                "office:string-value" | "office:date-value" | "office:time-value"
                    if value.is_none() =>
                {
                    let n = unescape(raw).chars().count() as u64;
                    empty_string = key == "office:string-value" && n == 0;
                    value = Some(n);
                }
                "office:value-type" if value.is_none() => is_string = raw == "string",
                "calcext:value-type" => is_error = raw == "error",
                "table:formula" => formula = unescape(raw).chars().count() as u64,
                _ => {}
            }
        }
        CellStart {
            repeats: repeats.unwrap_or(1),
            reads_text: (value.is_none() && is_string) || (is_error && empty_string),
            value,
            formula,
        }
    }

    /// The characters calamine holds for the cell, `None` when it holds nothing (an empty cell,
    /// unless it reads its text).
    fn held_chars(&self) -> Option<u64> {
        match (self.value, self.formula) {
            (None, 0) if !self.reads_text => None,
            (value, formula) => Some(value.unwrap_or(0).saturating_add(formula)),
        }
    }
}

/// A filled cell of an .ods row: its column, how often it repeats, its characters.
struct FilledCell {
    column: u64,
    repeats: u64,
    chars: u64,
}

/// An .ods row that ended: the sheet row it starts at (from 0), how often it repeats, its filled
/// cells.
struct EndedRow {
    row: u64,
    repeats: u64,
    filled: Vec<FilledCell>,
}

/// The row and cell a table's reading is in.
#[derive(Default)]
struct OdsTable {
    /// The sheet row the current row starts at (from 0) and how often it repeats.
    row: u64,
    row_repeats: u64,
    /// The next cell's column, and the filled cells of the row so far.
    column: u64,
    filled: Vec<FilledCell>,
    /// The current cell: its repeats and its characters (none: not in a cell, or a cell that
    /// holds nothing).
    cell: Option<(u64, Option<u64>)>,
}

impl OdsTable {
    fn start_row(&mut self, repeats: u64) {
        self.row_repeats = repeats.max(1);
        self.column = 0;
        self.filled.clear();
    }

    fn end_row(&mut self) -> EndedRow {
        let ended = EndedRow {
            row: self.row,
            repeats: self.row_repeats,
            filled: std::mem::take(&mut self.filled),
        };
        self.row = self.row.saturating_add(self.row_repeats);
        ended
    }

    fn start_cell(&mut self, repeats: u64, held: Option<u64>) {
        self.cell = Some((repeats.max(1), held));
    }

    fn text(&mut self, chars: u64) {
        if let Some((_, held)) = &mut self.cell {
            *held = Some(held.unwrap_or(0).saturating_add(chars));
        }
    }

    fn end_cell(&mut self) {
        if let Some((repeats, held)) = self.cell.take() {
            if let Some(chars) = held {
                self.filled.push(FilledCell {
                    column: self.column,
                    repeats,
                    chars,
                });
            }
            self.column = self.column.saturating_add(repeats);
        }
    }
}

impl EndedRow {
    /// Counts the row's filled cells, each as often as the row and the cell repeat (the cells
    /// between them are held too, which the used range counts).
    fn count(self, extent: &mut Extent, before: u64) -> Result<(), Problem> {
        let mut row_text = 0u64;
        for FilledCell {
            column,
            repeats: times,
            chars,
        } in self.filled
        {
            if chars > MAX_CELL_CHARS as u64 {
                return Err(long_cell(
                    &extent.sheet,
                    &cell_name(self.row, column),
                    chars,
                ));
            }
            row_text = row_text.saturating_add(times.saturating_mul(chars));
            if row_text > MAX_LINE_BYTES as u64 {
                return Err(long_row(&extent.sheet, self.row, row_text));
            }
            extent.add(self.row, column, (self.repeats, times), chars, before)?;
        }
        Ok(())
    }
}
