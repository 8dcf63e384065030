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

/// The refusal of a part whose XML cannot be read (calamine, reading it as tolerantly, would
/// stop there too).
pub(super) fn broken_xml(part: &str, e: quick_xml::Error) -> Problem {
    damaged(&format!("the XML of its part {part} cannot be read: {e}"))
}

/// The characters of a text event (an entity counts as one).
pub(super) fn chars(text: &str) -> u64 {
    text.chars().count() as u64
}

/// An attribute's value as written (`None` when absent).
pub(super) fn attribute(e: &BytesStart, name: &str) -> Option<String> {
    let a = e.try_get_attribute(name).ok().flatten()?;
    Some(a.value.into_owned())
}

/// How calamine reads a `.rels` part.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Rels {
    /// An .xlsx package's (`_rels/.rels`): up to the end of the `Relationships` element, the
    /// type and the target (unescaped) of each `Relationship`.
    Package,
    /// An .xlsx workbook's: up to the end of the `Relationships` element, the id, type and target
    /// (as written) of each.
    Workbook,
    /// An .xlsb workbook's: every element named `Relationship` in the part, its id and target
    /// (unescaped).
    Binary,
}

/// The attributes of `e` in order, duplicates too, as calamine reads them.
pub(super) fn raw_attributes(e: &BytesStart) -> Vec<(String, String)> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .map(|a| (a.key.as_ref().to_string(), a.value.into_owned()))
        .collect()
}

/// The values of `keys` among the attributes of `e`, taken as calamine's `get_attrs!` takes
/// them: each key's latest value, until as many values as keys have been seen.
fn get_attrs<const N: usize>(e: &BytesStart, keys: [&str; N]) -> [Option<String>; N] {
    let mut values = std::array::from_fn(|_| None);
    let mut found = 0;
    for (key, value) in raw_attributes(e) {
        if let Some(i) = keys.iter().position(|k| *k == key) {
            values[i] = Some(value);
            found += 1;
        }
        if found == keys.len() {
            break;
        }
    }
    values
}

/// `raw` with its entities replaced (as written when they cannot be).
pub(super) fn unescape(raw: String) -> String {
    quick_xml::escape::unescape(&raw)
        .map(|s| s.into_owned())
        .unwrap_or(raw)
}

/// The relationships of a `.rels` part: id, type and target, read as calamine reads them (`how`);
/// as many as can be read.
pub(super) fn relationships<R: Read + Seek>(
    zip: &mut ZipArchive<R>,
    names: &Names,
    path: &str,
    how: Rels,
) -> Vec<(String, String, String)> {
    let Ok(entry) = zip.by_name(names.entry(path)) else {
        return Vec::new();
    };
    let mut reader = xml(entry);
    let mut buf = Vec::new();
    let mut found = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) if is_relationship(&e, how) => {
                let [id, typ, target] = match how {
                    Rels::Package => {
                        let [typ, target] = get_attrs(&e, ["Type", "Target"]);
                        [None, typ, target.map(unescape)]
                    }
                    Rels::Workbook => get_attrs(&e, ["Id", "Type", "Target"]),
                    Rels::Binary => {
                        let [id, target] = get_attrs(&e, ["Id", "Target"]);
                        [id, None, target.map(unescape)]
                    }
                };
                found.push((
                    id.unwrap_or_default(),
                    typ.unwrap_or_default(),
                    target.unwrap_or_default(),
                ));
            }
            Ok(Event::End(e))
                if e.local_name().as_ref() == "Relationships" && how != Rels::Binary =>
            {
                break
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
        buf.clear();
    }
    found
}

/// Whether `e` is a relationship as calamine finds them: by its local name in an .xlsx
/// workbook, by its whole name in an .xlsb one.
fn is_relationship(e: &BytesStart, how: Rels) -> bool {
    match how {
        Rels::Binary => e.name().as_ref() == "Relationship",
        _ => e.local_name().as_ref() == "Relationship",
    }
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
        let target = relationships(zip, names, "_rels/.rels", Rels::Package)
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
