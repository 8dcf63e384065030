//! Tables where analysts open them: formula-like text neutralised in every CSV and workbook, the
//! German-Excel CSV style, and the Excel workbooks read back and compared cell by cell with the
//! CSV files they mirror.

use crate::common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use calamine::{open_workbook, Data, Reader, Xlsx};

/// Identifiers that would run as formulas if a spreadsheet took them verbatim.
const INJECTIONS: [&str; 6] = [
    "=1+1",
    "@SUM(1;2)",
    "=HYPERLINK(\"http://example.com\",\"x\")",
    "=cmd|' /C calc'!A0",
    "+491234",
    "-2+3",
];

/// The shipped survey with the first identifiers replaced by [`INJECTIONS`], written as CSV into
/// `dir` (a leading tab cannot be tried here: the reader trims identifiers).
fn injected_survey(dir: &Path) -> PathBuf {
    let body = common::shipped_survey_body();
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let header = reader.headers().unwrap().clone();
    let path = dir.join("survey.csv");
    let mut w = csv::Writer::from_path(&path).unwrap();
    w.write_record(&header).unwrap();
    for (i, record) in reader.records().enumerate() {
        let mut record: Vec<String> = record.unwrap().iter().map(String::from).collect();
        if i < INJECTIONS.len() {
            record[0] = INJECTIONS[i].to_string();
        }
        w.write_record(&record).unwrap();
    }
    w.flush().unwrap();
    path
}

/// Every field of a CSV (RFC 4180) file.
fn read_csv(path: &Path) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect()
}

/// Every field of a CSV written with `--csv excel-de`, after checking its BOM and CRLF ends.
fn read_excel_de(path: &Path) -> Vec<Vec<String>> {
    let bytes = std::fs::read(path).unwrap();
    let text = std::str::from_utf8(&bytes).unwrap();
    let body = text
        .strip_prefix('\u{feff}')
        .unwrap_or_else(|| panic!("{}: no BOM", path.display()));
    assert!(
        body.ends_with("\r\n"),
        "{}: not CRLF line ends",
        path.display()
    );
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .delimiter(b';')
        .from_reader(body.as_bytes());
    reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect()
}

/// The CSV files below `dir`, relative to it.
fn csv_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        for entry in std::fs::read_dir(dir.join(&rel)).unwrap() {
            let entry = entry.unwrap();
            let rel = rel.join(entry.file_name());
            if entry.file_type().unwrap().is_dir() {
                stack.push(rel);
            } else if rel.extension().is_some_and(|e| e == "csv") {
                out.push(rel);
            }
        }
    }
    out.sort();
    out
}

/// A sheet's cells.
fn sheet(book: &mut Xlsx<std::io::BufReader<std::fs::File>>, name: &str) -> Vec<Vec<Data>> {
    let range = book
        .worksheet_range(name)
        .unwrap_or_else(|e| panic!("sheet {name}: {e}"));
    range.rows().map(|r| r.to_vec()).collect()
}

/// The about sheet's list: sheet name -> the CSV file it mirrors.
fn mirrored(book: &mut Xlsx<std::io::BufReader<std::fs::File>>) -> BTreeMap<String, String> {
    let first = book.sheet_names()[0].clone();
    let about = sheet(book, &first);
    about
        .iter()
        .skip(1)
        .filter_map(|row| {
            let item = row.first()?.to_string();
            let (_, name) = item.split_once(": ")?;
            let file = row.get(2)?.to_string();
            (!file.is_empty()).then(|| (name.to_string(), file))
        })
        .collect()
}

/// Compares a sheet with the CSV file it mirrors, cell by cell: text equal, numbers equal to the
/// CSV's number (a column named `percent` holds the fraction in the workbook, the points in the
/// CSV), empty cells empty. Returns how many cells were numbers.
fn assert_sheet_equals_csv(
    name: &str,
    cells: &[Vec<Data>],
    csv: &[Vec<String>],
    german: bool,
) -> usize {
    assert_eq!(cells.len(), csv.len(), "sheet {name}: rows");
    assert_eq!(cells[0].len(), csv[0].len(), "sheet {name}: columns");
    if german {
        // the headings are German words, the CSV's the English column names
        let same: Vec<&String> = csv[0]
            .iter()
            .zip(&cells[0])
            .filter(|(c, h)| h.to_string() == **c && c.contains('_'))
            .map(|(c, _)| c)
            .collect();
        assert!(same.is_empty(), "sheet {name}: English headings {same:?}");
    }
    let mut numbers = 0;
    let skip = usize::from(german);
    for (r, (row, expected)) in cells.iter().zip(csv).enumerate().skip(skip) {
        for (c, want) in expected.iter().enumerate() {
            let got = row.get(c).unwrap_or(&Data::Empty);
            let at = format!("sheet {name}, row {}, column {}", r + 1, csv[0][c]);
            match got {
                Data::Empty => assert_eq!(want, "", "{at}"),
                Data::String(s) => assert_eq!(s, want, "{at}"),
                Data::Float(x) => {
                    numbers += 1;
                    let want: f64 = want
                        .parse()
                        .unwrap_or_else(|_| panic!("{at}: number {x} where the CSV has '{want}'"));
                    // percent cells (`Cell::Percent`) are fractions in a % format in the workbook
                    let x = if matches!(csv[0][c].as_str(), "percent" | "share_of_from") {
                        x * 100.0
                    } else {
                        *x
                    };
                    assert!(
                        (x - want).abs() <= 1e-9 * want.abs().max(1.0),
                        "{at}: {x} vs {want}"
                    );
                }
                other => panic!("{at}: unexpected cell {other:?}"),
            }
        }
    }
    numbers
}

/// Opens `workbook`, checks every sheet that mirrors a CSV file of `dir` against it, and returns
/// the sheets checked.
fn check_workbook(dir: &Path, workbook: &str, german: bool) -> Vec<String> {
    let mut book: Xlsx<_> = open_workbook(dir.join(workbook)).expect("an xlsx file");
    let mirrored = mirrored(&mut book);
    assert!(!mirrored.is_empty(), "the about sheet lists the sheets");
    for (name, file) in &mirrored {
        let cells = sheet(&mut book, name);
        let csv = read_csv(&dir.join(file));
        let numbers = assert_sheet_equals_csv(name, &cells, &csv, german);
        assert!(numbers > 0, "sheet {name}: no numbers");
    }
    mirrored.into_keys().collect()
}

#[test]
fn the_cluster_workbook_holds_the_csvs_cells_with_numbers_as_numbers() {
    let dir = common::tempdir();
    common::success_stdout(
        common::typfrage(&dir)
            .arg("cluster")
            .arg(common::shipped_survey())
            .args(["--report", "--n-init", "3", "--out", "t", "--lang", "de"]),
    );
    let out = dir.path().join("t");
    let sheets = check_workbook(&out, "types.xlsx", true);
    // the German workbook names its sheets and columns in German (the CSVs keep English names)
    for expected in ["Zuordnungen", "Kreuztabellen", "Ziel-Heatmap", "Typgrößen"] {
        assert!(
            sheets.iter().any(|s| s == expected),
            "{expected}: {sheets:?}"
        );
    }
    let mut book: Xlsx<_> = open_workbook(out.join("types.xlsx")).unwrap();
    let about = sheet(
        &mut book,
        &typfrage::app::about_sheet(typfrage::lang::Lang::De),
    );
    let text: Vec<String> = about.iter().flatten().map(|d| d.to_string()).collect();
    assert!(text.iter().any(|t| t.contains("synthetisch")), "{text:?}");
    assert!(text.iter().any(|t| t == "2020"), "the seed: {text:?}");
    assert!(
        text.iter()
            .any(|t| t == &format!("typfrage {}", env!("CARGO_PKG_VERSION"))),
        "{text:?}"
    );
    // the types and goal profiles have no CSV twin: their numbers are numbers
    let types = sheet(&mut book, "Typen");
    assert_eq!(types[0][3].to_string(), "Anteil");
    let shares: f64 = types[1..]
        .iter()
        .map(|r| match r[3] {
            Data::Float(x) => x,
            ref other => panic!("share {other:?}"),
        })
        .sum();
    assert!(
        (shares - 1.0).abs() < 1e-3,
        "shares add up to 100 %: {shares}"
    );
    let profiles = sheet(&mut book, "Zielprofile");
    assert_eq!(profiles.len(), 1 + 4 * 11);
    assert!(matches!(profiles[1][3], Data::Float(m) if (1.0..=5.0).contains(&m)));
}

#[test]
fn the_figures_workbook_holds_the_csvs_cells_with_numbers_as_numbers() {
    let dir = common::tempdir();
    common::success_stdout(
        common::typfrage(&dir)
            .arg("figures")
            .arg(common::shipped_survey())
            .args(["--out", "f"]),
    );
    let sheets = check_workbook(&dir.path().join("f"), "figures.xlsx", false);
    // in English the sheets are named as the CSV files
    assert!(sheets.iter().any(|s| s == "figures"), "{sheets:?}");
    assert!(
        sheets.iter().any(|s| s == "abb-05-strategies"),
        "{sheets:?}"
    );
}

/// The table a program reads from a German-Excel CSV (`sep=';'`, `decimal=','`) equals the default
/// CSV's: every field is the same, or the same number with a decimal comma.
fn assert_same_table(de: &[Vec<String>], rfc: &[Vec<String>], file: &Path) {
    assert_eq!(de.len(), rfc.len(), "{}: rows", file.display());
    for (r, (a, b)) in de.iter().zip(rfc).enumerate() {
        assert_eq!(a.len(), b.len(), "{}: row {}", file.display(), r + 1);
        for (x, y) in a.iter().zip(b) {
            let same = x == y || (x.replace(',', ".") == *y && y.parse::<f64>().is_ok());
            assert!(same, "{}, row {}: '{x}' vs '{y}'", file.display(), r + 1);
        }
    }
}

#[test]
fn excel_de_csvs_read_back_as_the_default_csvs_with_semicolons_and_decimal_commas() {
    let dir = common::tempdir();
    for (style, out) in [("rfc4180", "a"), ("excel-de", "b")] {
        common::success_stdout(
            common::typfrage(&dir)
                .arg("cluster")
                .arg(common::shipped_survey())
                .args(["--report", "--n-init", "2", "--csv", style, "--out", out]),
        );
        common::success_stdout(
            common::typfrage(&dir)
                .arg("figures")
                .arg(common::shipped_survey())
                .args(["--csv", style, "--out", &format!("{out}/figures")]),
        );
    }
    let files = csv_files(&dir.path().join("a"));
    assert!(files.len() > 10, "{files:?}");
    assert_eq!(files, csv_files(&dir.path().join("b")));
    let mut decimal_commas = 0;
    for f in &files {
        let rfc = read_csv(&dir.path().join("a").join(f));
        let de = read_excel_de(&dir.path().join("b").join(f));
        assert_same_table(&de, &rfc, f);
        decimal_commas += de
            .iter()
            .flatten()
            .filter(|x| x.contains(',') && x.replace(',', ".").parse::<f64>().is_ok())
            .count();
    }
    assert!(decimal_commas > 1000, "{decimal_commas}");
    // the recorded request says which style, and verify re-runs it
    let manifest = std::fs::read_to_string(dir.path().join("b/manifest.json")).unwrap();
    assert!(manifest.contains("\"csv\": \"excel-de\""), "{manifest}");
    let text = common::success_stdout(common::typfrage(&dir).args(["verify", "b/manifest.json"]));
    assert!(text.contains("verified"), "{text}");
}

#[test]
fn formula_like_identifiers_are_neutralised_in_assignments_and_classify_and_restored_on_reading() {
    let dir = common::tempdir();
    let survey = injected_survey(dir.path());
    for (style, out) in [("rfc4180", "a"), ("excel-de", "b")] {
        common::success_stdout(
            common::typfrage(&dir)
                .arg("cluster")
                .arg(&survey)
                .args(["--n-init", "2", "--csv", style, "--out", out]),
        );
    }
    let rfc = read_csv(&dir.path().join("a/assignments.csv"));
    let de = read_excel_de(&dir.path().join("b/assignments.csv"));
    let mut book: Xlsx<_> = open_workbook(dir.path().join("a/types.xlsx")).unwrap();
    let cells = sheet(&mut book, "assignments");
    let expected: Vec<String> = INJECTIONS.iter().map(|i| format!("'{i}")).collect();
    for (i, want) in expected.iter().enumerate() {
        assert_eq!(&rfc[i + 1][0], want);
        assert_eq!(&de[i + 1][0], want);
        assert_eq!(&cells[i + 1][0].to_string(), want);
    }
    assert_eq!(rfc[7][0], "SYN-0007", "other identifiers stay as they are");
    // negative numbers written as numbers stay numbers: no number cell is neutralised
    assert!(rfc
        .iter()
        .skip(1)
        .all(|r| r[3..].iter().all(|f| !f.starts_with('\''))));

    // classify writes the same way, and reads either style back with the identifiers restored
    for (previous, out) in [
        ("a/assignments.csv", "c.csv"),
        ("b/assignments.csv", "d.csv"),
    ] {
        let text = common::success_stdout(
            common::typfrage(&dir)
                .arg("classify")
                .arg("a/model.json")
                .arg(&survey)
                .args(["--previous", previous, "--out", out]),
        );
        assert!(
            text.contains("0 of the municipalities in"),
            "nobody switched type: {text}"
        );
        let classified = read_csv(&dir.path().join(out));
        assert_eq!(classified[1][0], "'=1+1");
        assert_eq!(classified[0][2], "type_name");
    }
}

#[test]
fn formula_like_type_names_labels_and_figure_ids_are_neutralised() {
    let dir = common::tempdir();
    let root = common::root().join("data");
    let types = std::fs::read_to_string(root.join("types.toml"))
        .unwrap()
        .replace("\"Die Bedächtigen\"", "\"=HYPERLINK(\\\"http://x\\\")\"")
        .replace("\"Die Optimierer\"", "\"-Optimierer\"")
        .replace("\"Die Serviceorientierten\"", "\"\\tServiceorientierte\"");
    std::fs::write(dir.path().join("types.toml"), types).unwrap();
    let codebook = std::fs::read_to_string(root.join("codebook.toml"))
        .unwrap()
        .replace("de = \"nein\"", "de = \"=1+1\"")
        .replace("de = \"ja\"", "de = \"@SUM(1;2)\"");
    std::fs::write(dir.path().join("codebook.toml"), codebook).unwrap();
    let published = std::fs::read_to_string(root.join("published-figures.toml"))
        .unwrap()
        .replacen("id = \"strategy_has\"", "id = \"=cmd|' /C calc'!A0\"", 1);
    std::fs::write(dir.path().join("published.toml"), published).unwrap();

    common::success_stdout(
        common::typfrage(&dir)
            .arg("profile")
            .arg(common::shipped_survey())
            .args(["--n-init", "2", "--types", "types.toml"])
            // German: the names and labels made formula-like are the German ones
            .args(["--codebook", "codebook.toml", "--out", "p", "--lang", "de"]),
    );
    let assignments = read_csv(&dir.path().join("p/assignments.csv"));
    assert!(assignments
        .iter()
        .any(|r| r[2] == "'=HYPERLINK(\"http://x\")"));
    assert!(assignments.iter().any(|r| r[2] == "'-Optimierer"));
    assert!(assignments.iter().any(|r| r[2] == "'\tServiceorientierte"));
    let crosstabs = read_csv(&dir.path().join("p/crosstabs.csv"));
    assert!(crosstabs.iter().any(|r| r[1] == "'=1+1"), "answer labels");
    assert!(crosstabs.iter().any(|r| r[1] == "'@SUM(1;2)"));
    assert!(
        crosstabs.iter().any(|r| r[2] == "'-Optimierer"),
        "group names"
    );
    let sizes = read_csv(&dir.path().join("p/charts/type-sizes.csv"));
    assert!(
        sizes.iter().flatten().any(|f| f.starts_with("'=HYPERLINK")),
        "{sizes:?}"
    );
    for file in csv_files(&dir.path().join("p")) {
        for field in read_csv(&dir.path().join("p").join(&file)).iter().flatten() {
            assert!(
                !field.starts_with(['=', '@', '+', '\t', '\r']),
                "{}: '{field}'",
                file.display()
            );
        }
    }
    check_workbook(&dir.path().join("p"), "types.xlsx", true);

    let out = common::typfrage(&dir)
        .arg("figures")
        .arg(common::shipped_survey())
        .args(["--published", "published.toml", "--out", "f"])
        .output()
        .unwrap();
    assert!(out.status.code().is_some(), "figures ran");
    let figures = read_csv(&dir.path().join("f/figures.csv"));
    assert!(
        figures.iter().any(|r| r[1] == "'=cmd|' /C calc'!A0"),
        "figure ids"
    );
    check_workbook(&dir.path().join("f"), "figures.xlsx", false);
}
