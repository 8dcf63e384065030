//! The same survey saved the ways researchers save it loads to the identical table.

use crate::common;

use std::sync::Arc;

use typfrage::survey::{load_bytes, load_path, Codebook, LineEnding};

struct Variant {
    separator: u8,
    crlf: bool,
    quote_all: bool,
    reverse_columns: bool,
    labels: bool,
    decimal_comma: bool,
    encoding: &'static str,
}

/// Re-saves the shipped survey in another dialect.
fn resave(v: &Variant) -> Vec<u8> {
    let codebook = Codebook::builtin();
    let body = common::shipped_survey_body();
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let mut order: Vec<usize> = (0..header.len()).collect();
    if v.reverse_columns {
        order.reverse();
    }
    let mut w = csv::WriterBuilder::new()
        .delimiter(v.separator)
        .terminator(if v.crlf {
            csv::Terminator::CRLF
        } else {
            csv::Terminator::Any(b'\n')
        })
        .quote_style(if v.quote_all {
            csv::QuoteStyle::Always
        } else {
            csv::QuoteStyle::Necessary
        })
        .from_writer(Vec::new());
    w.write_record(order.iter().map(|&i| header[i].as_str()))
        .unwrap();
    for record in reader.records() {
        let record = record.unwrap();
        let cells: Vec<String> = order
            .iter()
            .map(|&i| {
                let name = &header[i];
                let cell = record[i].to_string();
                if v.labels
                    && (name == "bundesland"
                        || name == "gebietskoerperschaft"
                        || name == "fim_bekannt")
                {
                    let var = codebook.variable(name).unwrap();
                    if let Some(code) = cell.parse().ok().and_then(|c| var.code(c)) {
                        return code.de.clone();
                    }
                }
                if v.decimal_comma && name == "gewicht" && !cell.is_empty() {
                    let x: f64 = cell.parse().unwrap();
                    return format!("{x:.2}").replace('.', ",");
                }
                cell
            })
            .collect();
        w.write_record(&cells).unwrap();
    }
    let utf8 = String::from_utf8(w.into_inner().unwrap()).unwrap();
    match v.encoding {
        "UTF-8" => utf8.into_bytes(),
        "UTF-8 with BOM" => [b"\xEF\xBB\xBF".as_slice(), utf8.as_bytes()].concat(),
        "Windows-1252" => encoding_rs::WINDOWS_1252.encode(&utf8).0.into_owned(),
        "UTF-16LE" => {
            let mut out = vec![0xFF, 0xFE];
            out.extend(utf8.encode_utf16().flat_map(u16::to_le_bytes));
            out
        }
        other => panic!("no such test encoding {other}"),
    }
}

fn check(v: Variant) {
    let codebook = Arc::new(Codebook::builtin());
    let original = load_path(&common::shipped_survey(), Arc::clone(&codebook)).unwrap();
    let bytes = resave(&v);
    let loaded = load_bytes(&bytes, "resaved.csv", codebook).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(loaded.dialect.encoding, v.encoding);
    assert_eq!(loaded.dialect.separator, v.separator);
    let ending = if v.crlf {
        LineEnding::CrLf
    } else {
        LineEnding::Lf
    };
    assert_eq!(loaded.dialect.line_ending, ending);
    assert!(
        loaded.survey == original.survey,
        "the re-saved survey differs from the original"
    );
}

#[test]
fn german_excel_semicolon_windows_1252_crlf_decimal_comma() {
    check(Variant {
        separator: b';',
        crlf: true,
        quote_all: false,
        reverse_columns: true,
        labels: true,
        decimal_comma: true,
        encoding: "Windows-1252",
    });
}

#[test]
fn tab_separated_utf16_as_excel_unicode_text() {
    check(Variant {
        separator: b'\t',
        crlf: true,
        quote_all: false,
        reverse_columns: false,
        labels: true,
        decimal_comma: true,
        encoding: "UTF-16LE",
    });
}

#[test]
fn every_field_quoted_with_bom() {
    check(Variant {
        separator: b',',
        crlf: false,
        quote_all: true,
        reverse_columns: true,
        labels: false,
        decimal_comma: false,
        encoding: "UTF-8 with BOM",
    });
}

#[test]
fn committed_excel_fixture_is_read_as_excel_writes_it() {
    let out = common::validate_fixture("excel_de.csv", 0);
    assert!(
        out.contains("6 rows, 96 columns; Windows-1252, semicolon-separated, CRLF line endings"),
        "{out}"
    );
    let codebook = Arc::new(Codebook::builtin());
    let excel = load_path(&common::fixture("excel_de.csv"), Arc::clone(&codebook)).unwrap();
    let utf8 = load_path(&common::fixture("labels_utf8.csv"), codebook).unwrap();
    assert!(excel.survey == utf8.survey);
    assert_eq!(
        excel.survey.codes("bundesland").unwrap().get(0),
        Some(16),
        "Thüringen"
    );
}

#[test]
fn excel_round_trip_of_the_shipped_file_keeps_its_comment_lines() {
    // German Excel saves the shipped file as it does every sheet: semicolons, Windows-1252, CRLF,
    // every row as wide as the widest, and a field quoted when it holds a semicolon (the third
    // comment line does) or a quote
    let shipped = std::fs::read_to_string(common::shipped_survey()).unwrap();
    let (comments, body): (Vec<&str>, Vec<&str>) =
        shipped.lines().partition(|l| l.starts_with('#'));
    let body = body.join("\n");
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let width = reader.headers().unwrap().len();
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .flexible(true)
        .from_writer(Vec::new());
    for c in &comments {
        let mut row = vec![c.to_string()];
        row.resize(width, String::new());
        w.write_record(&row).unwrap();
    }
    w.write_record(reader.headers().unwrap()).unwrap();
    for record in reader.records() {
        w.write_record(&record.unwrap()).unwrap();
    }
    let text = String::from_utf8(w.into_inner().unwrap()).unwrap();
    assert!(
        text.lines().nth(2).unwrap().starts_with("\"# Codes"),
        "the third comment line is quoted"
    );
    let bytes = encoding_rs::WINDOWS_1252.encode(&text).0.into_owned();

    let codebook = Arc::new(Codebook::builtin());
    let original = load_path(&common::shipped_survey(), Arc::clone(&codebook)).unwrap();
    let excel = load_bytes(&bytes, "excel.csv", codebook).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(excel.dialect.comment_lines, 3);
    assert_eq!(excel.dialect.preamble, original.dialect.preamble);
    assert!(excel.dialect.says_synthetic());
    assert!(excel.survey == original.survey);
}
