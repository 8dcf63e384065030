//! A zip workbook's parts found as calamine finds them, so that the checks of `sheet_bounds` and
//! `xlsb_bounds` count the parts calamine will read and no others: entry names looked up without
//! regard to case and with `\` read as `/` (calamine's path cache), XML read with calamine's
//! tolerance (end tags need not match their start), and an archive whose entries share their
//! compressed data refused (a part listed many times would be inflated once per listing).

use std::collections::HashMap;
use std::io::{BufReader, Read, Seek};

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use zip::ZipArchive;

use crate::survey::Problem;

/// The names of a zip archive's entries by the key calamine looks them up with.
pub(super) struct Names(HashMap<String, String>);

impl Names {
    /// The archive's names; one that differs from an earlier only in case replaces it, as in
    /// calamine's cache.
    pub(super) fn of<R: Read + Seek>(zip: &ZipArchive<R>) -> Names {
        let names = zip
            .file_names()
            .flatten()
            .map(|name| (key(&name), name.into_owned()))
            .collect();
        Names(names)
    }

    /// The entry calamine opens for `path` (the path itself when no entry matches).
    pub(super) fn entry<'a>(&'a self, path: &'a str) -> &'a str {
        self.0.get(&key(path)).map_or(path, String::as_str)
    }

    /// Whether an entry matches `path`.
    pub(super) fn has(&self, path: &str) -> bool {
        self.0.contains_key(&key(path))
    }
}

fn key(path: &str) -> String {
    path.replace('\\', "/").to_ascii_lowercase()
}

/// Refuses an archive in which two entries share compressed data (or whose entries cannot be
/// located): no program that writes workbooks makes one.
pub(super) fn refuse_shared_data<R: Read + Seek>(zip: &mut ZipArchive<R>) -> Result<(), Problem> {
    match zip.has_overlapping_files() {
        Ok(false) => Ok(()),
        Ok(true) => Err(damaged(
            "two of its zip entries share their compressed data",
        )),
        Err(e) => Err(damaged(&format!("its zip entries cannot be located ({e})"))),
    }
}

/// The `sheets` (name and part), refused when two of them are the same part: a workbook written
/// by a spreadsheet program has one part per sheet, and a part listed many times would be read
/// once per listing.
pub(super) fn one_part_each(
    sheets: Vec<(String, String)>,
    names: &Names,
) -> Result<Vec<(String, String)>, Problem> {
    let mut seen = HashMap::new();
    for (name, path) in &sheets {
        if let Some(first) = seen.insert(names.entry(path).to_ascii_lowercase(), name) {
            return Err(damaged(&format!(
                "its sheets '{first}' and '{name}' are the same part, {path}"
            )));
        }
    }
    Ok(sheets)
}

/// The refusal of a damaged workbook.
pub(super) fn damaged(why: &str) -> Problem {
    Problem::file(format!(
        "cannot be read as a workbook: the file is damaged ({why}); expected a workbook saved by Excel or LibreOffice"
    ))
}

/// A zip entry's XML, streamed, read as calamine reads it.
pub(super) fn xml<R: Read>(entry: R) -> Reader<BufReader<R>> {
    let mut reader = Reader::from_reader(BufReader::new(entry));
    let config = reader.config_mut();
    config.check_end_names = false;
    config.check_comments = false;
    config.trim_text(false);
    reader
}

/// An attribute's value as written (`None` when absent).
pub(super) fn attribute(e: &BytesStart, name: &str) -> Option<String> {
    let a = e.try_get_attribute(name).ok().flatten()?;
    Some(a.value.into_owned())
}

/// An attribute's value with its entities replaced, as calamine reads a part's name.
pub(super) fn unescaped(e: &BytesStart, name: &str) -> Option<String> {
    let raw = attribute(e, name)?;
    Some(
        quick_xml::escape::unescape(&raw)
            .map(|s| s.into_owned())
            .unwrap_or(raw),
    )
}

/// The relationships of a `.rels` part: id, type and target (the target unescaped when
/// `unescape`); as many as can be read.
pub(super) fn relationships<R: Read + Seek>(
    zip: &mut ZipArchive<R>,
    names: &Names,
    path: &str,
    unescape: bool,
) -> Vec<(String, String, String)> {
    let Ok(entry) = zip.by_name(names.entry(path)) else {
        return Vec::new();
    };
    let mut reader = xml(entry);
    let mut buf = Vec::new();
    let mut found = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) | Ok(Event::Empty(e))
                if e.local_name().as_ref() == "Relationship" =>
            {
                let target = if unescape {
                    unescaped(&e, "Target")
                } else {
                    attribute(&e, "Target")
                };
                found.push((
                    attribute(&e, "Id").unwrap_or_default(),
                    attribute(&e, "Type").unwrap_or_default(),
                    target.unwrap_or_default(),
                ));
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
        buf.clear();
    }
    found
}

/// Where an .xlsx workbook's parts are, as its package relationships say: the folder (`xl/`) and
/// the workbook part's name in it (`workbook.xml`). `None` when the archive has no office
/// document (calamine then does not read it as .xlsx).
pub(super) struct XlsxBook {
    pub(super) folder: String,
    pub(super) workbook: String,
}

impl XlsxBook {
    pub(super) fn find<R: Read + Seek>(zip: &mut ZipArchive<R>, names: &Names) -> Option<XlsxBook> {
        let target = relationships(zip, names, "_rels/.rels", true)
            .into_iter()
            .filter(|(_, typ, _)| typ.ends_with("/relationships/officeDocument"))
            .map(|(_, _, target)| target)
            .next_back()?;
        let (folder, name) = match target.rfind('/') {
            Some(i) => target.split_at(i + 1),
            None => ("", target.as_str()),
        };
        Some(XlsxBook {
            folder: folder.strip_prefix('/').unwrap_or(folder).to_string(),
            workbook: if name.is_empty() {
                "workbook.xml".to_string()
            } else {
                name.to_string()
            },
        })
    }

    /// A part's path from the workbook's folder.
    pub(super) fn part(&self, name: &str) -> String {
        format!("{}{name}", self.folder)
    }
}
