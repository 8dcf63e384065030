//! The Excel workbook that `cluster`, `profile` and `figures` write beside their CSV files: a first
//! sheet that says what the workbook holds (each sheet, and the CSV file it equals), the data source
//! (and that it is synthetic where it is), the input's SHA-256, the seed and the tool version; then
//! one sheet per table. Written through the staging folder like every other output.

use std::path::{Path, PathBuf};

use crate::error::Result;
use crate::lang::Lang;
use crate::output::write_atomic;
use crate::show::table::headings;
use crate::show::table::xlsx::{sheet_names, workbook_bytes, Sheet};
use crate::show::table::{Cell, Table};
use crate::show::words::Words;

/// One table of the workbook: its sheet, what it shows, and the CSV file (relative to the result
/// folder) whose cells it holds, if any.
pub(super) struct Part {
    pub sheet: Sheet,
    pub what: String,
    pub csv: Option<String>,
}

impl Part {
    pub fn new(name: &str, table: Table, what: impl Into<String>, csv: Option<String>) -> Part {
        Part {
            sheet: Sheet::new(name, table),
            what: what.into(),
            csv,
        }
    }
}

/// What the first sheet says besides the list of sheets.
pub(super) struct About<'a> {
    /// What the workbook holds, in one sentence.
    pub title: String,
    pub file: &'a str,
    pub sha256: &'a str,
    pub synthetic: bool,
    pub seed: Option<u64>,
    /// The run's language and the survey's unit and block words (sheet names, headings).
    pub words: Words,
    /// Whether the numbers are weighted, and by what (`Weighting::describe`).
    pub weighting: String,
}

/// The first sheet's name (in English; [`about_sheet`] gives it in a run's language).
pub const ABOUT_SHEET: &str = "about";

/// The first sheet's name in `lang`.
pub fn about_sheet(lang: Lang) -> String {
    headings::sheet(ABOUT_SHEET, &Words::study(lang))
}

/// Writes the workbook to `path` (in the staging folder); returns the path. Sheet names and
/// column headings are in the run's language; the cells are the CSV files' cells.
pub(super) fn write(path: &Path, about: &About, parts: Vec<Part>) -> Result<PathBuf> {
    let words = &about.words;
    let l = words.lang;
    let parts: Vec<Part> = parts
        .into_iter()
        .map(|mut p| {
            p.sheet.name = headings::sheet(&p.sheet.name, words);
            for h in &mut p.sheet.table.header {
                *h = headings::column(h, words);
            }
            p
        })
        .collect();
    let mut first = Table::new([
        l.pick("Angabe", "item"),
        l.pick("Inhalt", "content"),
        l.pick("gleich der CSV-Datei", "same cells as the CSV file"),
    ]);
    let row = |item: &str, value: Cell| vec![Cell::text(item), value, Cell::Empty];
    first.push(row(
        l.pick("Arbeitsmappe", "workbook"),
        Cell::text(&about.title),
    ));
    let source = if about.synthetic {
        format!(
            "{} ({})",
            about.file,
            match l {
                Lang::De => format!(
                    "synthetische Ersatzdaten, nicht die Antworten der {}",
                    words.units()
                ),
                Lang::En => format!(
                    "synthetic stand-in data, not the {} answers",
                    words.units_possessive()
                ),
            }
        )
    } else {
        about.file.to_string()
    };
    first.push(row(
        l.pick("Datenquelle", "data source"),
        Cell::text(source),
    ));
    first.push(row(
        l.pick("SHA-256 der Daten", "SHA-256 of the data"),
        Cell::text(about.sha256),
    ));
    if let Some(seed) = about.seed {
        first.push(row("seed", Cell::text(seed.to_string())));
    }
    first.push(row(
        l.pick("Gewichtung", "weights"),
        Cell::text(&about.weighting),
    ));
    first.push(row(
        l.pick("Version", "version"),
        Cell::text(format!("typfrage {}", env!("CARGO_PKG_VERSION"))),
    ));
    first.push(row(
        l.pick("Regel", "rule"),
        Cell::text(l.pick(
            "Zahlen sind Zahlen (Anteile als Prozent); Text, der mit = + - @ ' oder einem Tabulator beginnt, steht mit einem ' davor",
            "numbers are numbers (shares as percent); text that starts with = + - @ ' or a tab is written with a ' before it",
        )),
    ));
    if l == Lang::De {
        first.push(row(
            "Spalten",
            Cell::text("Die Spaltenköpfe dieser Mappe sind deutsch; die CSV-Dateien nennen dieselben Spalten mit festen englischen Namen (id, type, share …), damit Programme sie finden."),
        ));
    }
    let about_name = about_sheet(l);
    let names = sheet_names(
        std::iter::once(about_name.as_str()).chain(parts.iter().map(|p| p.sheet.name.as_str())),
    );
    for (part, name) in parts.iter().zip(&names[1..]) {
        first.push(vec![
            Cell::text(format!("{}: {name}", l.pick("Blatt", "sheet"))),
            Cell::text(part.what.as_str()),
            part.csv.as_deref().map_or(Cell::Empty, Cell::text),
        ]);
    }
    let mut sheets = vec![Sheet::new(about_name, first)];
    sheets.extend(parts.into_iter().map(|p| p.sheet));
    let bytes = workbook_bytes(&sheets);
    write_atomic(path, |w| w.write_all(&bytes?))?;
    Ok(path.to_path_buf())
}
