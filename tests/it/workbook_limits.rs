//! Hostile workbooks beyond .xlsx's and .ods's first cases (issue 27): an .xlsx whose sheet
//! calamine finds where the size check did not look (a workbook part named elsewhere by the
//! package relationships, upper-case entry names, a stray `content.xml`, XML that calamine reads
//! on past an error), zip entries sharing their compressed data, one part listed for two sheets;
//! binary .xlsb workbooks (a far corner, a long or much-used shared string, millions of shared
//! strings, a record declaring more bytes than its part holds) and .xls shared strings (their text
//! counted for each cell that shows them). Each test is named after the finding it guards and runs
//! the real binary on a file crafted by `craft`, within the memory and CPU bounds of
//! `survey_limits`.

use std::io::{Read, Write};

use crate::craft::{
    self, unzip, xls_with_strings, xlsb, xlsb_record, xlsb_sheet, xlsb_size, xlsb_strings, xlsx,
    XlsCell, XlsbCell,
};
use crate::survey_limits::run_on;

/// Runs `validate` on `file` (at most 100 KB), written as `name`: it must be refused, saying
/// `expected`.
fn refused_saying(name: &str, file: &[u8], expected: &str) {
    assert!(file.len() <= 100 << 10, "{name}: {} bytes", file.len());
    let (code, out) = run_on(name, file, &["validate"]);
    assert_eq!(code, Some(1), "{name}: {out}");
    assert!(out.contains(expected), "{name}: {out}");
}

/// `entries` as a deflated zip archive.
fn rezip(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let entries: Vec<(&str, Vec<u8>)> = entries
        .iter()
        .map(|(n, d)| (n.as_str(), d.clone()))
        .collect();
    craft::zip(&entries)
}

/// An .xlsx workbook with a cell at A1 and one at XFD1048576 (calamine held the rectangle between
/// them: 17 billion cells, an allocation that aborts).
fn xlsx_far_corner() -> Vec<u8> {
    xlsx(
        r#"<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>2</v></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>"#,
        &["id".to_string()],
    )
}

/// The far-corner workbook with each entry's name and text passed through `edit`.
fn far_corner_edited(edit: impl Fn(String, String) -> (String, String)) -> Vec<u8> {
    let entries: Vec<(String, Vec<u8>)> = unzip(&xlsx_far_corner())
        .into_iter()
        .map(|(name, data)| {
            let (name, text) = edit(name, String::from_utf8(data).unwrap());
            (name, text.into_bytes())
        })
        .collect();
    rezip(&entries)
}

/// The far-corner workbook with its workbook part moved to `data/book.xml`, where the package
/// relationships (`_rels/.rels`) say it is.
fn xlsx_far_corner_moved() -> Vec<u8> {
    far_corner_edited(|name, text| {
        let name = name
            .replace("xl/_rels/workbook.xml.rels", "data/_rels/book.xml.rels")
            .replace("xl/workbook.xml", "data/book.xml")
            .replace("xl/", "data/");
        let text = text.replace("Target=\"xl/workbook.xml\"", "Target=\"data/book.xml\"");
        (name, text)
    })
}

/// The far-corner workbook with its parts' names in upper case (calamine finds a part whatever
/// the case of its name).
fn xlsx_far_corner_upper_case() -> Vec<u8> {
    far_corner_edited(|name, text| match name.starts_with("xl/") {
        true => (name.to_uppercase(), text),
        false => (name, text),
    })
}

/// The far-corner workbook with a `content.xml` as an OpenDocument file has (calamine still
/// opens it as .xlsx first).
fn xlsx_far_corner_with_content_xml() -> Vec<u8> {
    let mut entries = unzip(&xlsx_far_corner());
    entries.push(("content.xml".to_string(), b"<x/>".to_vec()));
    rezip(&entries)
}

/// The far-corner workbook whose sheet XML has an end tag that does not match its start before
/// the far cell (calamine reads on past it).
fn xlsx_far_corner_after_a_mismatched_end_tag() -> Vec<u8> {
    far_corner_edited(|name, text| {
        let text = text.replacen(
            "</row><row r=\"1048576\">",
            "</row><x></y><row r=\"1048576\">",
            1,
        );
        (name, text)
    })
}

/// The far-corner workbook whose far cell is named in lower case, as calamine reads it too.
fn xlsx_far_corner_in_lower_case() -> Vec<u8> {
    far_corner_edited(|name, text| (name, text.replace("r=\"XFD1048576\"", "r=\"xfd1048576\"")))
}

/// The far-corner workbook whose workbook relationships name its sheet's id again after their
/// end, for another part (calamine stops at the end).
fn xlsx_far_corner_with_a_relationship_after_the_end() -> Vec<u8> {
    far_corner_edited(|name, text| match name.as_str() {
        "xl/_rels/workbook.xml.rels" => {
            let decoy = r#"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/decoy.xml"/>"#;
            (name, format!("{text}{decoy}"))
        }
        _ => (name, text),
    })
}

/// The far-corner workbook whose sheet listing has two id attributes, the first naming another
/// part (calamine takes the last).
fn xlsx_far_corner_with_two_sheet_ids() -> Vec<u8> {
    far_corner_edited(|name, text| match name.as_str() {
        "xl/workbook.xml" => (
            name,
            text.replace("r:id=\"rId1\"", "r:id=\"rId9\" x:id=\"rId1\""),
        ),
        "xl/_rels/workbook.xml.rels" => {
            let decoy = r#"<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/decoy.xml"/></Relationships>"#;
            (name, text.replace("</Relationships>", decoy))
        }
        _ => (name, text),
    })
}

#[test]
fn xlsx_far_corner_is_refused_wherever_calamine_finds_the_sheet() {
    for (what, file) in [
        ("moved workbook part", xlsx_far_corner_moved()),
        ("upper-case names", xlsx_far_corner_upper_case()),
        ("stray content.xml", xlsx_far_corner_with_content_xml()),
        (
            "mismatched end tag",
            xlsx_far_corner_after_a_mismatched_end_tag(),
        ),
        ("lower-case reference", xlsx_far_corner_in_lower_case()),
        (
            "relationship after the end",
            xlsx_far_corner_with_a_relationship_after_the_end(),
        ),
        ("two sheet ids", xlsx_far_corner_with_two_sheet_ids()),
    ] {
        println!("{what}");
        refused_saying(
            "x.xlsx",
            &file,
            "the sheet 'Befragung' reaches cell XFD1048576",
        );
    }
}

/// An .xlsx workbook whose first row reaches column 3,000 and whose last row is numbered
/// `a1048576` (calamine reads the letter as a column and the digits as the row) with a cell that
/// names no position: 3 billion cells between them.
fn xlsx_row_numbered_with_a_letter() -> Vec<u8> {
    xlsx(
        r#"<row r="1"><c r="A1"><v>1</v></c><c r="DKL1"><v>2</v></c></row><row r="a1048576"><c><v>1</v></c></row>"#,
        &[],
    )
}

#[test]
fn xlsx_row_numbered_as_calamine_reads_it_is_refused() {
    refused_saying(
        "x.xlsx",
        &xlsx_row_numbered_with_a_letter(),
        "the sheet 'Befragung' reaches cell A1048576",
    );
}

/// An .xlsx workbook whose shared strings are one empty element declaring 999,999,999 of them
/// (calamine made room for them all).
fn xlsx_shared_strings_declared_in_an_empty_element() -> Vec<u8> {
    let file = xlsx(r#"<row r="1"><c r="A1"><v>1</v></c></row>"#, &[]);
    let entries: Vec<(String, Vec<u8>)> = unzip(&file)
        .into_iter()
        .map(|(name, data)| match name.as_str() {
            "xl/sharedStrings.xml" => (
                name,
                br#"<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" uniqueCount="999999999"/>"#.to_vec(),
            ),
            _ => (name, data),
        })
        .collect();
    rezip(&entries)
}

#[test]
fn xlsx_shared_strings_declared_in_an_empty_element_are_refused() {
    refused_saying(
        "x.xlsx",
        &xlsx_shared_strings_declared_in_an_empty_element(),
        "its shared strings declare 999999999 texts; expected at most 4194304",
    );
}

/// An .xlsx workbook whose sheet part is also stored, sharing its compressed data, under 1,000
/// other names.
fn xlsx_entries_sharing_their_data() -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in unzip(&xlsx_far_corner()) {
        w.start_file(name.as_str(), options).unwrap();
        w.write_all(&data).unwrap();
    }
    for i in 2..1_002 {
        w.shallow_copy_file(
            "xl/worksheets/sheet1.xml",
            &format!("xl/worksheets/sheet{i}.xml"),
        )
        .unwrap();
    }
    w.finish().unwrap().into_inner()
}

#[test]
fn xlsx_whose_zip_entries_share_their_compressed_data_is_refused() {
    refused_saying(
        "x.xlsx",
        &xlsx_entries_sharing_their_data(),
        "two of its zip entries share their compressed data",
    );
}

/// The openpyxl fixture of the shipped survey with a second sheet listed for its one sheet part.
fn survey_xlsx_listing_its_sheet_twice() -> Vec<u8> {
    let fixture =
        std::fs::read(crate::common::fixture("formats").join("survey-openpyxl.xlsx")).unwrap();
    let entries = unzip(&fixture)
        .into_iter()
        .map(|(name, data)| {
            if name != "xl/workbook.xml" {
                return (name, data);
            }
            let text = String::from_utf8(data).unwrap();
            let at = text.find("<sheet ").expect("a sheet listed");
            let end = at + text[at..].find("/>").unwrap() + 2;
            let listing = &text[at..end];
            let again = listing.replacen("name=\"", "name=\"again ", 1).replacen(
                "sheetId=\"",
                "sheetId=\"9",
                1,
            );
            let data = text.replacen(listing, &format!("{listing}{again}"), 1);
            (name, data.into_bytes())
        })
        .collect::<Vec<_>>();
    rezip(&entries)
}

#[test]
fn xlsx_copy_of_a_workbook_listing_one_sheet_part_twice_is_refused() {
    let dir = crate::common::tempdir();
    std::fs::write(
        dir.path().join("s.xlsx"),
        survey_xlsx_listing_its_sheet_twice(),
    )
    .unwrap();
    let out = crate::common::typfrage(&dir)
        .args([
            "cluster",
            "s.xlsx",
            "--out",
            "out",
            "--save-into",
            "copy.xlsx",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("are the same part"), "{stderr}");
    assert!(!dir.path().join("copy.xlsx").exists());
}

// ---- .xlsb ----

/// An .xlsb workbook with a number at A1 and one at XFD1048576.
fn xlsb_far_corner() -> Vec<u8> {
    xlsb(
        xlsb_sheet(
            &[
                XlsbCell::Number(0, 0, 1.0),
                XlsbCell::Number(0, 1, 2.0),
                XlsbCell::Number(1_048_575, 16_383, 3.0),
            ],
            [0, 1, 0, 1],
        ),
        xlsb_strings(&[], 0),
    )
}

#[test]
fn xlsb_cell_in_the_sheets_far_corner_is_refused_before_calamine_reads_it() {
    refused_saying(
        "x.xlsb",
        &xlsb_far_corner(),
        "the sheet 'Befragung' reaches cell XFD1048576",
    );
}

/// An .xlsb workbook whose one shared string of 32,767 characters (as long as a cell may be)
/// fills 2,100 cells: 69 MB of text held once read.
fn xlsb_long_string_in_many_cells() -> Vec<u8> {
    let mut cells = vec![XlsbCell::Shared(0, 0, 1), XlsbCell::Shared(0, 1, 2)];
    for r in 1..=2_100 {
        cells.push(XlsbCell::Shared(r, 0, 0));
        cells.push(XlsbCell::Number(r, 1, 1.0));
    }
    let strings = [
        "x".repeat(32_767),
        "id".to_string(),
        "ziel_effizienz".to_string(),
    ];
    xlsb(
        xlsb_sheet(&cells, [0, 2_100, 0, 1]),
        xlsb_strings(&strings, 3),
    )
}

#[test]
fn xlsb_long_shared_string_used_in_many_cells_is_refused() {
    refused_saying(
        "x.xlsb",
        &xlsb_long_string_in_many_cells(),
        "more than 67108864 bytes of text in all",
    );
}

/// An .xlsb workbook whose one shared string has 8 million characters.
fn xlsb_string_longer_than_a_cell() -> Vec<u8> {
    xlsb(
        xlsb_sheet(&[XlsbCell::Shared(0, 0, 0)], [0, 0, 0, 0]),
        xlsb_strings(&["x".repeat(8 << 20)], 1),
    )
}

#[test]
fn xlsb_shared_string_longer_than_a_cell_may_hold_is_refused_before_calamine_opens_it() {
    refused_saying(
        "x.xlsb",
        &xlsb_string_longer_than_a_cell(),
        "its shared text 1 has 8388608 characters; expected at most 32767",
    );
}

/// An .xlsb workbook of five million one-character shared strings (calamine read them all when it
/// opened the workbook).
fn xlsb_millions_of_shared_strings() -> Vec<u8> {
    let item = xlsb_record(0x0013, &[0, 1, 0, 0, 0, b'x', 0]);
    let n: u32 = 5_000_000;
    let mut strings = xlsb_record(0x009F, &[n.to_le_bytes(), n.to_le_bytes()].concat());
    strings.extend(item.repeat(n as usize));
    strings.extend(xlsb_record(0x00A0, &[]));
    xlsb(
        xlsb_sheet(&[XlsbCell::Shared(0, 0, 0)], [0, 0, 0, 0]),
        strings,
    )
}

#[test]
fn xlsb_millions_of_shared_strings_are_refused_before_calamine_opens_it() {
    refused_saying(
        "x.xlsb",
        &xlsb_millions_of_shared_strings(),
        "its shared strings declare 5000000 texts; expected at most 4194304",
    );
}

/// An .xlsb workbook whose sheet has a record declaring 256 MiB that its part does not hold
/// (calamine made room for the declared bytes before reading them).
fn xlsb_record_declaring_more_than_its_part() -> Vec<u8> {
    let mut sheet = xlsb_sheet(&[XlsbCell::Number(0, 0, 1.0)], [0, 0, 0, 0]);
    let end = sheet.len() - 6; // before BrtEndSheetData and BrtEndSheet, three bytes each
    let mut bogus = vec![0x05];
    bogus.extend(xlsb_size((1 << 28) - 1));
    bogus.extend([0u8; 16]);
    sheet.splice(end..end, bogus);
    xlsb(sheet, xlsb_strings(&[], 0))
}

#[test]
fn xlsb_record_declaring_more_bytes_than_its_part_holds_is_refused() {
    refused_saying(
        "x.xlsb",
        &xlsb_record_declaring_more_than_its_part(),
        "a record of its part xl/worksheets/sheet1.bin (type 0x0005) declares 268435455 bytes but holds",
    );
}

/// A cell of the shipped survey: a number, or the index of its text among the survey's texts.
enum ShippedCell {
    Number(f64),
    Text(u32),
}

type ShippedSheet = (Vec<String>, Vec<(u32, u32, ShippedCell)>, u32, u32);

/// The shipped survey as a sheet: its distinct texts, its filled cells (row, column, value) and
/// its width and height.
fn shipped_sheet() -> ShippedSheet {
    let text = std::fs::read_to_string(crate::common::shipped_survey()).unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut strings: Vec<String> = Vec::new();
    let mut cells = Vec::new();
    let (mut width, mut height) = (0u32, 0u32);
    for (r, record) in reader.records().enumerate() {
        let record = record.unwrap();
        width = width.max(record.len() as u32);
        height = r as u32 + 1;
        for (c, field) in record.iter().enumerate() {
            let value = match field.parse::<f64>() {
                _ if field.is_empty() => continue,
                Ok(x) => ShippedCell::Number(x),
                Err(_) => {
                    let i = strings.iter().position(|s| s == field).unwrap_or_else(|| {
                        strings.push(field.to_string());
                        strings.len() - 1
                    });
                    ShippedCell::Text(i as u32)
                }
            };
            cells.push((r as u32, c as u32, value));
        }
    }
    (strings, cells, width, height)
}

#[test]
fn xlsb_of_the_shipped_survey_is_read_within_the_limits() {
    let (strings, cells, width, height) = shipped_sheet();
    let cells: Vec<XlsbCell> = cells
        .into_iter()
        .map(|(r, c, value)| match value {
            ShippedCell::Number(x) => XlsbCell::Number(r, c, x),
            ShippedCell::Text(i) => XlsbCell::Shared(r, c, i),
        })
        .collect();
    let n = strings.len() as u32;
    let file = xlsb(
        xlsb_sheet(&cells, [0, height - 1, 0, width - 1]),
        xlsb_strings(&strings, n),
    );
    let (code, out) = run_on("x.xlsb", &file, &["validate"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("Excel workbook (.xlsb)"), "{out}");
}

// ---- .xls shared strings ----

/// An .xls workbook whose shared string of 32,767 characters fills 3,000 cells: 98 MB of text
/// once read, from a file of 80 KB (the shared strings' text was not counted before calamine
/// read them).
fn xls_long_string_in_many_cells() -> Vec<u8> {
    let strings = [
        "x".repeat(32_767),
        "id".to_string(),
        "ziel_effizienz".to_string(),
    ];
    let mut cells = vec![XlsCell::Shared(0, 0, 1), XlsCell::Shared(0, 1, 2)];
    for r in 1..=3_000 {
        cells.push(XlsCell::Shared(r, 0, 0));
    }
    xls_with_strings("Befragung", &strings, &cells, (0, 3_001), (0, 2), 1)
}

#[test]
fn xls_shared_string_used_in_many_cells_is_counted_before_calamine_reads_it() {
    refused_saying(
        "x.xls",
        &xls_long_string_in_many_cells(),
        "the sheet 'sheet 1' reaches cell A2050, and its cells hold more than 67108864 bytes of text in all",
    );
}

#[test]
fn xls_shared_string_longer_than_a_cell_may_hold_is_refused() {
    let strings = ["x".repeat(40_000), "id".to_string()];
    let cells = [XlsCell::Shared(0, 0, 1), XlsCell::Shared(1, 0, 0)];
    let file = xls_with_strings("Befragung", &strings, &cells, (0, 2), (0, 1), 1);
    refused_saying(
        "x.xls",
        &file,
        "its shared text 1 has 40000 characters; expected at most 32767",
    );
}

#[test]
fn xls_shared_strings_of_the_shipped_survey_are_read_within_the_limits() {
    let (strings, cells, width, height) = shipped_sheet();
    let cells: Vec<XlsCell> = cells
        .into_iter()
        .map(|(r, c, value)| match value {
            ShippedCell::Number(x) => XlsCell::Number(r as u16, c as u16, x),
            ShippedCell::Text(i) => XlsCell::Shared(r as u16, c as u16, i),
        })
        .collect();
    let file = xls_with_strings(
        "Befragung",
        &strings,
        &cells,
        (0, height),
        (0, width as u16),
        1,
    );
    let (code, out) = run_on("x.xls", &file, &["validate"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("Excel workbook (.xls)"), "{out}");
}

/// An .xls workbook listing its one sheet 3,000 times (calamine read the sheet once per
/// listing).
#[test]
fn xls_listing_one_sheet_many_times_is_refused() {
    let cells = [XlsCell::Number(0, 0, 1.0), XlsCell::Number(0, 1, 2.0)];
    let file = xls_with_strings("Befragung", &[], &cells, (0, 1), (0, 2), 3_000);
    refused_saying(
        "x.xls",
        &file,
        "its sheets 1 and 2 are the same part of the file",
    );
}

/// An .xls container whose root holds a small, sound workbook stream and whose storage `Foo`,
/// listed before it, holds the far-corner workbook (calamine reads the first entry named
/// `Workbook` anywhere in the container; the check read the root's).
fn xls_with_a_second_workbook_stream() -> Vec<u8> {
    let stream = |bytes: Vec<u8>| {
        let mut book = cfb::CompoundFile::open(std::io::Cursor::new(bytes)).unwrap();
        let mut data = Vec::new();
        book.open_stream("/Workbook")
            .unwrap()
            .read_to_end(&mut data)
            .unwrap();
        data
    };
    let sound = stream(craft::xls(
        "Befragung",
        &[XlsCell::Number(0, 0, 1.0), XlsCell::Number(0, 1, 2.0)],
        (0, 1),
        (0, 2),
    ));
    let far = stream(craft::xls(
        "Befragung",
        &[
            XlsCell::Number(0, 0, 1.0),
            XlsCell::Number(u16::MAX, u16::MAX, 2.0),
        ],
        (0, 1),
        (0, 1),
    ));
    let mut book =
        cfb::CompoundFile::create_with_version(cfb::Version::V3, std::io::Cursor::new(Vec::new()))
            .unwrap();
    book.create_storage("/Foo").unwrap();
    book.create_stream("/Foo/Workbook")
        .unwrap()
        .write_all(&far)
        .unwrap();
    book.create_stream("/Workbook")
        .unwrap()
        .write_all(&sound)
        .unwrap();
    book.flush().unwrap();
    book.into_inner().into_inner()
}

#[test]
fn xls_with_a_second_workbook_stream_is_refused() {
    refused_saying(
        "x.xls",
        &xls_with_a_second_workbook_stream(),
        "it holds 2 workbook streams",
    );
}

/// A row of 40 cells that each show a shared string of 32,767 characters (1.3 MB of text, more
/// than a line of a CSV file may hold), as .xlsb and as .xls.
#[test]
fn binary_workbook_row_longer_than_a_csv_line_is_refused() {
    let strings = [
        "x".repeat(32_767),
        "id".to_string(),
        "ziel_effizienz".to_string(),
    ];
    let mut xlsb_cells = vec![XlsbCell::Shared(0, 0, 1), XlsbCell::Shared(0, 1, 2)];
    let mut xls_cells = vec![XlsCell::Shared(0, 0, 1), XlsCell::Shared(0, 1, 2)];
    for c in 0..40 {
        xlsb_cells.push(XlsbCell::Shared(1, c, 0));
        xls_cells.push(XlsCell::Shared(1, c as u16, 0));
    }
    let files = [
        (
            "x.xlsb",
            xlsb(
                xlsb_sheet(&xlsb_cells, [0, 1, 0, 39]),
                xlsb_strings(&strings, 3),
            ),
        ),
        (
            "x.xls",
            xls_with_strings("Befragung", &strings, &xls_cells, (0, 2), (0, 40), 1),
        ),
    ];
    for (name, file) in files {
        refused_saying(
            name,
            &file,
            "bytes of text in row 2; expected at most 1048576",
        );
    }
}

/// The crafted workbooks of this module, by name, for `survey_limits`' list of small hostile
/// files (measured by `scripts/measure-hostile.sh`).
pub fn small_hostile_workbooks() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("far-corner-moved.xlsx", xlsx_far_corner_moved()),
        ("far-corner-upper.xlsx", xlsx_far_corner_upper_case()),
        (
            "far-corner-content.xlsx",
            xlsx_far_corner_with_content_xml(),
        ),
        (
            "far-corner-end-tag.xlsx",
            xlsx_far_corner_after_a_mismatched_end_tag(),
        ),
        ("far-corner-lower.xlsx", xlsx_far_corner_in_lower_case()),
        (
            "far-corner-rel-after-end.xlsx",
            xlsx_far_corner_with_a_relationship_after_the_end(),
        ),
        (
            "far-corner-two-ids.xlsx",
            xlsx_far_corner_with_two_sheet_ids(),
        ),
        ("row-with-a-letter.xlsx", xlsx_row_numbered_with_a_letter()),
        (
            "empty-sst.xlsx",
            xlsx_shared_strings_declared_in_an_empty_element(),
        ),
        ("shared-data.xlsx", xlsx_entries_sharing_their_data()),
        ("far-corner.xlsb", xlsb_far_corner()),
        ("long-shared-string.xlsb", xlsb_long_string_in_many_cells()),
        ("string-8m.xlsb", xlsb_string_longer_than_a_cell()),
        ("many-strings.xlsb", xlsb_millions_of_shared_strings()),
        (
            "record-past-part.xlsb",
            xlsb_record_declaring_more_than_its_part(),
        ),
        ("long-shared-string.xls", xls_long_string_in_many_cells()),
        (
            "two-workbook-streams.xls",
            xls_with_a_second_workbook_stream(),
        ),
    ]
}
