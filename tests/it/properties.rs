//! Invariants, checked on many generated inputs, and the fuzz harness: the readers of survey files
//! (CSV, SPSS .sav and .zsav, workbooks .xlsx and .ods), chart files, manifests (read, and re-run
//! by `verify`), saved models and type definitions fed generated and damaged input, each answering
//! with a result or an error that names the file, never a panic, a hang or an allocation beyond
//! the bound of [`fuzz_bounds`]. The fuzz targets run a fixed number of cases (CI stays quick);
//! `PROPTEST_CASES=N` runs N cases each for a longer run (see the README).

use crate::common;
use crate::craft::unzip;
use crate::fuzz_bounds;

use std::sync::{Arc, OnceLock};

use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use typfrage::figures::{check, Published};
use typfrage::show::chart::{ChartError, ImageFormat};
use typfrage::survey::{load_bytes, load_path, Codebook, Loaded, Survey, SurveyError};

fn shipped() -> &'static Survey {
    static SURVEY: OnceLock<Survey> = OnceLock::new();
    SURVEY.get_or_init(|| {
        load_path(&common::shipped_survey(), Arc::new(Codebook::builtin()))
            .unwrap()
            .survey
    })
}

/// The seed of the fuzz targets' cases unless `PROPTEST_RNG_SEED` asks for another (a number, or
/// `random`): a CI run tries the same cases every time, so it fails only when the code changes.
const FUZZ_SEED: u64 = 27;

/// Cases per fuzz target: `PROPTEST_CASES` if set, else `default`.
fn fuzz_cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The configuration of a fuzz target: `default` cases (see [`fuzz_cases`]) from [`FUZZ_SEED`]
/// (see there). The cases are the time budget: the defaults keep `cargo test` quick, and
/// `PROPTEST_CASES=5000 PROPTEST_RNG_SEED=random` runs a longer search.
fn fuzz_config(default: u32) -> ProptestConfig {
    let mut config = ProptestConfig {
        cases: fuzz_cases(default),
        ..ProptestConfig::default()
    };
    if std::env::var_os("PROPTEST_RNG_SEED").is_none() {
        config.rng_seed = proptest::test_runner::RngSeed::Fixed(FUZZ_SEED);
    }
    config
}

/// Byte edits: at a place, a byte, and whether to overwrite (0), insert (1) or delete (2).
fn edits() -> impl Strategy<Value = Vec<(prop::sample::Index, u8, u8)>> {
    proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..8)
}

/// `bytes` with `edits` applied.
fn damage(mut bytes: Vec<u8>, edits: Vec<(prop::sample::Index, u8, u8)>) -> Vec<u8> {
    for (at, byte, kind) in edits {
        if bytes.is_empty() {
            bytes.push(byte);
            continue;
        }
        let i = at.index(bytes.len());
        match kind {
            0 => bytes[i] = byte,
            1 => bytes.insert(i, byte),
            _ => {
                bytes.remove(i);
            }
        }
    }
    bytes
}

fn small_fixture() -> &'static Vec<u8> {
    static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
    BYTES.get_or_init(|| std::fs::read(common::fixture("valid_small.csv")).unwrap())
}

/// What loading `file` may answer: the table, or a list of problems naming the file (any other
/// error fails the test). Returns the table, if any.
fn table_or_problems(
    loaded: Result<Loaded, SurveyError>,
    file: &str,
) -> Result<Option<Loaded>, TestCaseError> {
    match loaded {
        Ok(loaded) => Ok(Some(loaded)),
        Err(SurveyError::Invalid(p)) => {
            prop_assert!(!p.problems.is_empty(), "no problem listed");
            prop_assert!(p.to_string().starts_with(file), "{}", p);
            Ok(None)
        }
        Err(other) => Err(TestCaseError::fail(format!("unexpected error: {other}"))),
    }
}

proptest! {
    #![proptest_config(fuzz_config(64))]

    /// Whatever the bytes, the loader answers with a table or with problems naming the file, never
    /// a panic; a table it accepts is written and read back unchanged.
    #[test]
    fn arbitrary_bytes_give_a_table_or_problems(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let codebook = Arc::new(Codebook::builtin());
        if let Some(loaded) = table_or_problems(load_bytes(&bytes, "fuzz.csv", Arc::clone(&codebook)), "fuzz.csv")? {
            let mut written = Vec::new();
            loaded.survey.write_csv(&mut written, &[]).unwrap();
            let again = load_bytes(&written, "fuzz.csv", codebook).unwrap();
            prop_assert!(again.survey == loaded.survey);
        }
    }

    /// Damaged copies of a valid file: every failure is a list of problems naming the file.
    #[test]
    fn damaged_files_give_problems_not_panics(edits in edits()) {
        let bytes = damage(small_fixture().clone(), edits);
        let loaded = load_bytes(&bytes, "damaged.csv", Arc::new(Codebook::builtin()));
        if let Some(loaded) = table_or_problems(loaded, "damaged.csv")? {
            prop_assert_eq!(loaded.survey.len(), 6);
        }
    }

    /// Writing a survey and loading it again gives the same table.
    #[test]
    fn write_then_load_is_the_identity(rows in proptest::sample::subsequence((0..412usize).collect::<Vec<_>>(), 1..60)) {
        let part = shipped().select_rows(&rows);
        let mut bytes = Vec::new();
        part.write_csv(&mut bytes, &["a comment"]).unwrap();
        let loaded = load_bytes(&bytes, "part.csv", shipped().codebook_arc()).unwrap();
        prop_assert!(loaded.survey == part);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 8, ..ProptestConfig::default() })]

    /// The figures do not depend on the order of the rows.
    #[test]
    fn row_order_does_not_change_the_figures(perm in Just((0..412usize).collect::<Vec<_>>()).prop_shuffle()) {
        let published = Published::builtin();
        let a = check(shipped(), &published).unwrap();
        let b = check(&shipped().select_rows(&perm), &published).unwrap();
        for (x, y) in a.figures.iter().zip(&b.figures) {
            prop_assert_eq!(x.verdict, y.verdict);
            let (px, py) = (&x.computed.as_ref().unwrap().parts, &y.computed.as_ref().unwrap().parts);
            for (p, q) in px.iter().zip(py) {
                prop_assert_eq!(p.base, q.base);
                prop_assert!((p.value - q.value).abs() < 1e-9);
            }
        }
        for (x, y) in a.findings.iter().zip(&b.findings) {
            prop_assert_eq!(x.verdict, y.verdict);
            for (c, d) in x.claims.iter().zip(&y.claims) {
                prop_assert!((c.margin - d.margin).abs() < 1e-6, "{:?} {} {}", c.statement, c.margin, d.margin);
            }
        }
    }
}

mod clustering {
    use super::*;
    use typfrage::cluster::{builtin_types, fit_typology, ClusterOptions};

    fn named_partition(survey: &Survey, threads: usize) -> Vec<(String, String)> {
        let options = ClusterOptions {
            n_init: 8,
            ..ClusterOptions::default()
        };
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let t = pool
            .install(|| fit_typology(survey, &options, &builtin_types()))
            .unwrap();
        let mut out: Vec<(String, String)> = t
            .assignments
            .iter()
            .map(|a| {
                (
                    survey.ids()[a.row].clone(),
                    t.types[a.type_index].name.id.clone(),
                )
            })
            .collect();
        out.sort();
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]

        /// Shuffling the rows and changing the thread count leave the named partition unchanged.
        #[test]
        fn shuffling_rows_and_threads_leave_the_named_partition_unchanged(
            perm in Just((0..412usize).collect::<Vec<_>>()).prop_shuffle(),
            threads in 1usize..=2,
        ) {
            static REFERENCE: OnceLock<Vec<(String, String)>> = OnceLock::new();
            let reference = REFERENCE.get_or_init(|| named_partition(shipped(), 1));
            let shuffled = shipped().select_rows(&perm);
            prop_assert_eq!(&named_partition(&shuffled, threads), reference);
        }
    }
}

/// Writes `text` as a chart file and reads it: a chart read must be drawn (as `picture` names it, whose
/// bytes are returned with the chart); a chart refused must be refused with a message naming the
/// file (`None`).
fn read_and_draw(
    text: &str,
    picture: &str,
) -> Result<Option<(typfrage::show::chart::Chart, Vec<u8>)>, TestCaseError> {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("chart.json");
    std::fs::write(&spec, text).unwrap();
    match typfrage::show::chart::read_chart(&spec) {
        Ok(chart) => {
            let format = ImageFormat::from_path(std::path::Path::new(picture)).unwrap();
            let drawn = chart.picture(format, picture);
            prop_assert!(
                drawn.is_ok(),
                "a chart that was read is not drawn: {:?}",
                drawn.err()
            );
            Ok(Some((chart, drawn.unwrap())))
        }
        Err(ChartError::Chart { path, message }) => {
            prop_assert_eq!(path, spec.display().to_string());
            prop_assert!(!message.is_empty());
            Ok(None)
        }
        Err(other) => Err(TestCaseError::fail(format!("unexpected error: {other}"))),
    }
}

/// A valid chart file to damage: the bars of Abb. 10 as `typfrage figures` writes them.
fn chart_json() -> &'static String {
    static JSON: OnceLock<String> = OnceLock::new();
    JSON.get_or_init(|| {
        let source = typfrage::show::labels::DataSource {
            file: "survey.csv".into(),
            synthetic: true,
        };
        let numbers = typfrage::figures::study_numbers(shipped()).unwrap();
        let charts = typfrage::show::views::figures::charts::study_charts(
            &numbers,
            shipped().codebook(),
            &source,
            typfrage::lang::Lang::De,
        );
        serde_json::to_string(&charts.last().unwrap().chart).unwrap()
    })
}

proptest! {
    #![proptest_config(fuzz_config(48))]

    /// A hand-edited chart file with numbers, sizes or colours changed is refused with an error
    /// naming the file, or read and then drawn (a PNG of the size it states), never a panic.
    #[test]
    fn edited_chart_files_are_drawn_or_refused(
        edits in proptest::collection::vec((any::<prop::sample::Index>(), "[-0-9.#a-fxe]{1,6}"), 1..6)
    ) {
        let mut text = chart_json().clone();
        for (at, replacement) in edits {
            // replace one number or string character run at a random place
            let mut i = at.index(text.len());
            while !text.is_char_boundary(i) {
                i -= 1;
            }
            let end = (i + replacement.len()).min(text.len());
            let mut end = end;
            while !text.is_char_boundary(end) {
                end += 1;
            }
            text.replace_range(i..end, &replacement);
        }
        if let Some((chart, bytes)) = read_and_draw(&text, "chart.png")? {
            prop_assert_eq!(common::png_size(&bytes), chart.size());
        }
    }
}

/// A number as hostile chart files hold them: ordinary, huge, tiny, or beyond any range.
fn hostile_number() -> impl Strategy<Value = f64> {
    // mostly ordinary, so that many charts are drawn, not only refused
    prop_oneof![
        12 => -200.0..200.0f64,
        1 => Just(0.0),
        1 => Just(1e308),
        1 => Just(-1e308),
        1 => Just(1e-300),
        1 => Just(1e12),
        1 => -1e13..1e13f64,
    ]
}

/// A text with markup and control characters.
fn hostile_text() -> impl Strategy<Value = String> {
    "[a-z <>&\"'*_\\[\\]()\u{0}-\u{1f}\u{7f}-\u{9f}\u{202e}ä]{0,12}"
}

/// A chart file as a hostile hand might write it: any kind, hostile numbers, decimals, texts.
fn hostile_chart() -> impl Strategy<Value = serde_json::Value> {
    let texts = || proptest::collection::vec(hostile_text(), 1..5);
    let numbers = || proptest::collection::vec(hostile_number(), 1..5);
    (
        0u8..4,
        (hostile_text(), texts(), texts()),
        (numbers(), numbers(), hostile_number(), hostile_number()),
        (0usize..70_000, 150u32..320, 100u32..260),
    )
        .prop_map(|(kind, (title, rows, series), (a, b, low, high), (decimals, w, h))| {
            let cell = |v: f64| serde_json::json!({"value": v, "count": null, "base": null});
            let colours = vec!["#0072B2"; series.len()];
            match kind {
                0 => serde_json::json!({
                    "kind": "bars", "title": title, "note": "n", "value_label": "v",
                    "stacked": decimals % 2 == 0, "percent": decimals % 3 == 0,
                    "range": [low, high], "rows": rows, "series": series, "colors": colours,
                    "cells": rows.iter().enumerate().map(|(i, _)| series.iter().enumerate()
                        .map(|(j, _)| cell(a[(i + j) % a.len()])).collect::<Vec<_>>()).collect::<Vec<_>>(),
                    "size": [w * 2, h * 2], "lang": "de"
                }),
                1 => serde_json::json!({
                    "kind": "heatmap", "title": title, "note": "n", "rows": rows, "columns": series,
                    "values": rows.iter().enumerate().map(|(i, _)| series.iter().enumerate()
                        .map(|(j, _)| b[(i + j) % b.len()]).collect::<Vec<_>>()).collect::<Vec<_>>(),
                    "range": [low, high], "decimals": decimals % 12, "size": [w * 2, h * 2], "lang": "en"
                }),
                2 => serde_json::json!({
                    "kind": "scatter", "title": title, "note": "n", "x_label": "x", "y_label": "y",
                    "groups": series, "colors": colours,
                    "points": a.iter().zip(&b).enumerate()
                        .map(|(i, (x, y))| serde_json::json!({"x": x, "y": y, "group": i % (series.len() + 1)}))
                        .collect::<Vec<_>>(),
                    "centres": [], "size": [w * 2, h * 2], "lang": "de"
                }),
                _ => serde_json::json!({
                    "kind": "lines", "title": title, "note": "n", "x_label": "k", "x_name": "k",
                    "x": [2.0, 2.0 + low.abs(), 4.0 + low.abs() + high.abs()],
                    "panels": [{"title": rows[0], "name": "p", "values": [a[0], null, b[0]],
                                "errors": {"name": "e", "values": [high.abs(), 0.0, low]}, "mark": 2.0}],
                    "columns": 1, "mark_label": series[0], "highlight": {"x": high, "label": title},
                    "color": "#0072B2", "size": [w * 2, h * 2], "lang": "en"
                }),
            }
        })
}

/// The saved model and manifest that `tests/fixtures/manifest-format-2` holds.
fn format_2_file(name: &str) -> Vec<u8> {
    std::fs::read(common::fixture("manifest-format-2").join("out").join(name)).unwrap()
}

proptest! {
    #![proptest_config(fuzz_config(48))]

    /// A generated chart file with huge, tiny or overflowing numbers, any decimals, markup and
    /// control characters in its texts is refused with an error naming the file, or read and
    /// drawn as SVG whose text holds no control character.
    #[test]
    fn hostile_chart_files_are_drawn_or_refused(chart in hostile_chart()) {
        if let Some((_, bytes)) = read_and_draw(&chart.to_string(), "hostile.svg")? {
            let text = String::from_utf8(bytes).unwrap();
            prop_assert!(!text.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\t' | '\r')));
        }
    }

    /// A damaged manifest is read or refused with an error naming it, never a panic.
    #[test]
    fn damaged_manifests_are_read_or_refused(edits in edits()) {
        static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
        let bytes = damage(BYTES.get_or_init(|| format_2_file("manifest.json")).clone(), edits);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("manifest.json");
        std::fs::write(&path, &bytes).unwrap();
        if let Err(e) = typfrage::manifest::Manifest::read(&path) {
            prop_assert!(e.to_string().contains(&path.display().to_string()), "{}", e);
        }
    }

    /// A damaged saved model is read or refused with an error naming it, never a panic.
    #[test]
    fn damaged_models_are_read_or_refused(edits in edits()) {
        static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
        let bytes = damage(BYTES.get_or_init(|| format_2_file("model.json")).clone(), edits);
        let text = String::from_utf8_lossy(&bytes);
        if let Err(e) = typfrage::cluster::SavedModel::parse(&text, "fuzz-model.json") {
            prop_assert!(e.to_string().contains("fuzz-model.json"), "{}", e);
        }
    }

    /// A type definition is read only when its id can name a file; anything else is refused with
    /// a message naming the file and the type.
    #[test]
    fn type_ids_that_cannot_name_a_file_are_refused(id in "[a-zA-Z0-9_./\\-]{0,8}|\\PC{0,8}") {
        let text = format!(
            "[[type]]\nid = {}\nname_de = \"A\"\nname_en = \"A\"\nsignature = [\"ziel_effizienz\"]\n",
            serde_json::to_string(&id).unwrap()
        );
        let slug = !id.is_empty()
            && id.len() <= 64
            && id.starts_with(|c: char| c.is_ascii_alphanumeric())
            && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        match typfrage::cluster::parse_types(&text, "fuzz-types.toml") {
            Ok(types) => {
                prop_assert!(slug, "{:?} was accepted", id);
                prop_assert_eq!(&types[0].id, &id);
            }
            Err(e) => {
                prop_assert!(!slug, "{:?} was refused: {}", id, e);
                prop_assert!(e.to_string().contains("fuzz-types.toml: [[type]] number 1, id: "), "{}", e);
            }
        }
    }
}

/// What a command run through the library answers for a damaged input file at `path`: an outcome,
/// or an error whose message names the file (`name`); never a panic.
fn answered_naming(
    result: Result<typfrage::app::Outcome, typfrage::error::Error>,
    name: &str,
) -> Result<(), TestCaseError> {
    if let Err(e) = result {
        let message = e.to_string();
        prop_assert!(
            message.contains(name),
            "the error does not name {}: {}",
            name,
            message
        );
    }
    Ok(())
}

/// `validate` of `bytes` written as `name` (with the column mapping `mapping`, if any) in a fresh
/// folder, bounded as a fuzz case of `target`.
fn validate_damaged(
    target: &'static str,
    name: &str,
    bytes: &[u8],
    mapping: Option<&std::path::Path>,
) -> Result<(), TestCaseError> {
    use typfrage::app::{Request, SurveyInput, ValidateRequest};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    let request = Request::Validate(ValidateRequest {
        input: SurveyInput {
            file: path.clone(),
            codebook: None,
            sheet: None,
            mapping: mapping.map(std::path::Path::to_path_buf),
        },
        max_problems: 20,
        lang: typfrage::lang::Lang::En,
    });
    let _case = fuzz_bounds::Case::begin(target, bytes);
    answered_naming(typfrage::app::run(&request), &path.display().to_string())
}

/// The bytes of a fixture under `tests/fixtures/formats`, read once.
fn format_fixture(name: &'static str) -> &'static [u8] {
    type Files = Vec<(&'static str, &'static [u8])>;
    static FILES: std::sync::Mutex<Files> = std::sync::Mutex::new(Vec::new());
    let mut files = FILES.lock().unwrap();
    if let Some((_, bytes)) = files.iter().find(|(n, _)| *n == name) {
        return bytes;
    }
    let bytes: &'static [u8] =
        Vec::leak(std::fs::read(common::fixture("formats").join(name)).unwrap());
    files.push((name, bytes));
    bytes
}

/// A zip file of `entries`, stored uncompressed.
fn rezip(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    use std::io::Write as _;
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, data) in entries {
        writer.start_file(name.as_str(), options).unwrap();
        writer.write_all(data).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

/// The workbook fixture (written by openpyxl) as its entries.
fn xlsx_entries() -> &'static Vec<(String, Vec<u8>)> {
    static ENTRIES: OnceLock<Vec<(String, Vec<u8>)>> = OnceLock::new();
    ENTRIES.get_or_init(|| unzip(format_fixture("survey-openpyxl.xlsx")))
}

/// An OpenDocument spreadsheet of `tests/fixtures/valid_small.csv` (six municipalities), made
/// here: the entries LibreOffice writes that a reader needs (mimetype first, content.xml).
fn ods_entries() -> &'static Vec<(String, Vec<u8>)> {
    static ENTRIES: OnceLock<Vec<(String, Vec<u8>)>> = OnceLock::new();
    ENTRIES.get_or_init(|| {
        let text = String::from_utf8(small_fixture().clone()).unwrap();
        let mut rows = String::new();
        for line in text.lines() {
            rows.push_str("<table:table-row>");
            for cell in line.split(',') {
                if cell.is_empty() {
                    rows.push_str("<table:table-cell/>");
                } else if cell.parse::<f64>().is_ok() {
                    rows.push_str(&format!(
                        "<table:table-cell office:value-type=\"float\" office:value=\"{cell}\"><text:p>{cell}</text:p></table:table-cell>"
                    ));
                } else {
                    rows.push_str(&format!(
                        "<table:table-cell office:value-type=\"string\"><text:p>{cell}</text:p></table:table-cell>"
                    ));
                }
            }
            rows.push_str("</table:table-row>");
        }
        let content = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\"><office:body><office:spreadsheet><table:table table:name=\"survey\">{rows}</table:table></office:spreadsheet></office:body></office:document-content>"
        );
        let manifest = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.2\"><manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/><manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/></manifest:manifest>";
        vec![
            (
                "mimetype".to_string(),
                b"application/vnd.oasis.opendocument.spreadsheet".to_vec(),
            ),
            ("content.xml".to_string(), content.into_bytes()),
            ("META-INF/manifest.xml".to_string(), manifest.as_bytes().to_vec()),
        ]
    })
}

/// `entries` with the `edits` applied to the entry at `which`, picked among those whose name
/// ends in `suffix` (`.xml`: the sheets, shared strings, workbook and content; `.bin`: an .xlsb
/// workbook's parts).
fn damage_entry(
    entries: &[(String, Vec<u8>)],
    suffix: &str,
    which: prop::sample::Index,
    edits: Vec<(prop::sample::Index, u8, u8)>,
) -> Vec<(String, Vec<u8>)> {
    let parts: Vec<usize> = (0..entries.len())
        .filter(|&i| entries[i].0.ends_with(suffix))
        .collect();
    let target = parts[which.index(parts.len())];
    let mut out = entries.to_vec();
    out[target].1 = damage(out[target].1.clone(), edits);
    out
}

/// The entries of a small .xlsb workbook (MS-XLSB records in a zip archive, `craft::xlsb`): a
/// header of shared strings and three rows of numbers.
fn xlsb_entries() -> &'static Vec<(String, Vec<u8>)> {
    use crate::craft::{xlsb, xlsb_sheet, xlsb_strings, XlsbCell};
    static ENTRIES: OnceLock<Vec<(String, Vec<u8>)>> = OnceLock::new();
    ENTRIES.get_or_init(|| {
        let mut cells = vec![XlsbCell::Shared(0, 0, 0), XlsbCell::Shared(0, 1, 1)];
        for r in 1..=3u32 {
            cells.push(XlsbCell::Number(r, 0, f64::from(r)));
            cells.push(XlsbCell::Number(r, 1, f64::from(r)));
        }
        let strings = ["id".to_string(), "ziel_service".to_string()];
        unzip(&xlsb(
            xlsb_sheet(&cells, [0, 3, 0, 1]),
            xlsb_strings(&strings, 2),
        ))
    })
}

/// A small .xls workbook (BIFF8 records in a compound file): a header and three rows.
fn small_xls() -> Vec<u8> {
    use crate::craft::{xls, XlsCell};
    let mut cells = vec![
        XlsCell::Text(0, 0, "id".into()),
        XlsCell::Text(0, 1, "ziel_service".into()),
    ];
    for r in 1..=3u16 {
        cells.push(XlsCell::Text(r, 0, format!("K{r}")));
        cells.push(XlsCell::Number(r, 1, f64::from(r)));
    }
    xls("Befragung", &cells, (0, 4), (0, 2))
}

/// The SPSS fixtures the damaged-file targets start from.
const SAV_FIXTURES: [&str; 3] = [
    "survey-pspp.sav",
    "survey-readstat.sav",
    "unknown-label.sav",
];

proptest! {
    #![proptest_config(fuzz_config(32))]

    /// A damaged SPSS system file is read or refused with an error naming it: never a panic, a
    /// hang or an allocation beyond the bound.
    #[test]
    fn damaged_sav_files_are_read_or_refused(which in 0..SAV_FIXTURES.len(), edits in edits()) {
        let bytes = damage(format_fixture(SAV_FIXTURES[which]).to_vec(), edits);
        validate_damaged("sav", "damaged.sav", &bytes, None)?;
    }

    /// The LimeSurvey export read through its column mapping, damaged.
    #[test]
    fn damaged_sav_files_read_through_a_mapping_are_read_or_refused(edits in edits()) {
        let bytes = damage(format_fixture("survey-limesurvey.sav").to_vec(), edits);
        let mapping = common::fixture("formats").join("limesurvey-map.toml");
        validate_damaged("sav-mapped", "damaged.sav", &bytes, Some(&mapping))?;
    }

    /// A damaged compressed SPSS file (.zsav: zlib blocks and their trailer).
    #[test]
    fn damaged_zsav_files_are_read_or_refused(edits in edits()) {
        let bytes = damage(format_fixture("survey-pspp.zsav").to_vec(), edits);
        validate_damaged("zsav", "damaged.zsav", &bytes, None)?;
    }

    /// The codebook drafted from a damaged SPSS file: written and checked, or refused naming it.
    #[test]
    fn codebook_drafts_of_damaged_sav_files_are_written_or_refused(which in 0..SAV_FIXTURES.len(), edits in edits()) {
        use typfrage::app::{CodebookRequest, Request};
        let bytes = damage(format_fixture(SAV_FIXTURES[which]).to_vec(), edits);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("damaged.sav");
        std::fs::write(&path, &bytes).unwrap();
        let request = Request::Codebook(CodebookRequest {
            file: path.clone(),
            sheet: None,
            cluster: Vec::new(),
            out: dir.path().join("draft.toml"),
            max_problems: 20,
            lang: typfrage::lang::Lang::En,
        });
        let _case = fuzz_bounds::Case::begin("codebook-draft", &bytes);
        answered_naming(typfrage::app::run(&request), "damaged.sav")?;
    }

    /// A workbook whose bytes are damaged (mostly a broken zip) is refused naming it, or read.
    #[test]
    fn damaged_xlsx_files_are_read_or_refused(edits in edits()) {
        let bytes = damage(format_fixture("survey-openpyxl.xlsx").to_vec(), edits);
        validate_damaged("xlsx-bytes", "damaged.xlsx", &bytes, None)?;
    }

    /// A workbook whose sheet, shared strings or workbook part is damaged inside a sound zip:
    /// what the reader parses, cell by cell.
    #[test]
    fn xlsx_files_with_damaged_parts_are_read_or_refused(which in any::<prop::sample::Index>(), edits in edits()) {
        let bytes = rezip(&damage_entry(xlsx_entries(), ".xml", which, edits));
        validate_damaged("xlsx-parts", "damaged.xlsx", &bytes, None)?;
    }

    /// An .xls workbook, its bytes damaged: the compound file's header and sectors, the BIFF
    /// records' lengths, the cells' positions, the declared dimensions.
    #[test]
    fn damaged_xls_files_are_read_or_refused(edits in edits()) {
        let bytes = damage(small_xls(), edits);
        validate_damaged("xls", "damaged.xls", &bytes, None)?;
    }

    /// An .xlsb workbook whose records are damaged inside a sound zip (their types, declared
    /// sizes, shared strings, sheet listing and cells), or whose bytes are damaged.
    #[test]
    fn damaged_xlsb_files_are_read_or_refused(inside in any::<bool>(), which in any::<prop::sample::Index>(), edits in edits()) {
        let bytes = if inside {
            rezip(&damage_entry(xlsb_entries(), ".bin", which, edits))
        } else {
            damage(rezip(xlsb_entries()), edits)
        };
        validate_damaged("xlsb", "damaged.xlsb", &bytes, None)?;
    }

    /// An OpenDocument spreadsheet, its bytes damaged or its content.xml damaged in a sound zip.
    #[test]
    fn damaged_ods_files_are_read_or_refused(inside in any::<bool>(), which in any::<prop::sample::Index>(), edits in edits()) {
        let bytes = if inside {
            rezip(&damage_entry(ods_entries(), ".xml", which, edits))
        } else {
            damage(rezip(ods_entries()), edits)
        };
        validate_damaged("ods", "damaged.ods", &bytes, None)?;
    }

    /// A chart file with damaged bytes (not only edited numbers) is refused naming it, or drawn.
    #[test]
    fn chart_files_with_damaged_bytes_are_drawn_or_refused(edits in edits()) {
        let bytes = damage(chart_json().clone().into_bytes(), edits);
        let _case = fuzz_bounds::Case::begin("chart", &bytes);
        if let Some((chart, png)) = read_and_draw(&String::from_utf8_lossy(&bytes), "chart.png")? {
            prop_assert_eq!(common::png_size(&png), chart.size());
        }
    }

    /// A damaged model is refused naming it, or its self-check page is written.
    #[test]
    fn self_check_pages_of_damaged_models_are_written_or_refused(edits in edits()) {
        use typfrage::app::{Request, SelfcheckRequest};
        static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
        let bytes = damage(BYTES.get_or_init(|| format_2_file("model.json")).clone(), edits);
        let dir = tempfile::tempdir().unwrap();
        let model = dir.path().join("model.json");
        std::fs::write(&model, &bytes).unwrap();
        let request = Request::Selfcheck(SelfcheckRequest {
            model: model.clone(),
            lang: typfrage::lang::Lang::En,
            out: Some(dir.path().join("page.html")),
            survey: None,
            codebook: None,
        });
        let _case = fuzz_bounds::Case::begin("model", &bytes);
        answered_naming(typfrage::app::run(&request), "model.json")?;
    }
}

/// The manifest-format-2 fixture (survey, codebook, types and the result folder `out/`) copied
/// into `dir`.
fn copy_format_2_fixture(dir: &std::path::Path) {
    let fixture = common::fixture("manifest-format-2");
    for name in ["survey.csv", "codebook.toml", "types.toml"] {
        std::fs::copy(fixture.join(name), dir.join(name)).unwrap();
    }
    std::fs::create_dir(dir.join("out")).unwrap();
    for entry in std::fs::read_dir(fixture.join("out")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.join("out").join(entry.file_name())).unwrap();
    }
}

/// The files below `dir` with their bytes.
fn files_below(dir: &std::path::Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                out.push((path, bytes));
            }
        }
    }
    out.sort();
    out
}

proptest! {
    #![proptest_config(fuzz_config(24))]

    /// `verify` of a damaged manifest: refused naming it, or re-run and compared; it never
    /// panics and never changes a file of the folder it was given.
    #[test]
    fn verify_of_a_damaged_manifest_refuses_or_compares_and_writes_nothing(edits in edits()) {
        use typfrage::app::{Request, VerifyRequest};
        static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
        let bytes = damage(BYTES.get_or_init(|| format_2_file("manifest.json")).clone(), edits);
        let dir = tempfile::tempdir().unwrap();
        copy_format_2_fixture(dir.path());
        let manifest = dir.path().join("out/manifest.json");
        std::fs::write(&manifest, &bytes).unwrap();
        let before = files_below(dir.path());
        let request = Request::Verify(VerifyRequest {
            manifest: manifest.clone(),
            lang: typfrage::lang::Lang::En,
        });
        let case = fuzz_bounds::Case::begin("manifest", &bytes);
        let result = typfrage::app::run(&request);
        drop(case);
        answered_naming(result, "manifest.json")?;
        prop_assert!(files_below(dir.path()) == before, "verify changed a file of its folder");
    }
}

/// The seeds of the damaged-file targets are files the readers accept whole, so that the damage,
/// not a seed the reader refuses anyway, is what each case tries.
#[test]
fn the_fuzz_targets_start_from_files_the_readers_accept() {
    use typfrage::app::{Request, SurveyInput, ValidateRequest};
    let dir = tempfile::tempdir().unwrap();
    let mut seeds: Vec<(String, Vec<u8>, Option<std::path::PathBuf>)> = SAV_FIXTURES
        .iter()
        .chain(&["survey-pspp.zsav", "survey-openpyxl.xlsx"])
        .map(|name| (name.to_string(), format_fixture(name).to_vec(), None))
        .collect();
    seeds.push((
        "survey-limesurvey.sav".into(),
        format_fixture("survey-limesurvey.sav").to_vec(),
        Some(common::fixture("formats").join("limesurvey-map.toml")),
    ));
    seeds.push(("rezipped.xlsx".into(), rezip(xlsx_entries()), None));
    seeds.push(("made.ods".into(), rezip(ods_entries()), None));
    for (name, bytes, mapping) in seeds {
        let path = dir.path().join(&name);
        std::fs::write(&path, bytes).unwrap();
        let outcome = typfrage::app::run(&Request::Validate(ValidateRequest {
            input: SurveyInput {
                file: path,
                codebook: None,
                sheet: None,
                mapping,
            },
            max_problems: 5,
            lang: typfrage::lang::Lang::En,
        }));
        // read whole: an outcome (valid, or a list of problems of the cells), not an error
        let outcome = outcome.unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(!outcome.stdout.is_empty(), "{name}");
    }
}

/// Allocates far more than a fuzz case may, inside a case: run only by the test below, in a
/// process of its own, which the bound must abort.
#[test]
#[ignore = "aborts its process on purpose: run by the_memory_bound_aborts_a_case_that_allocates_too_much"]
fn a_case_that_allocates_too_much() {
    let _case = fuzz_bounds::Case::begin("bound-check", b"");
    let big: Vec<u8> = Vec::with_capacity(fuzz_bounds::CASE_BYTES + (64 << 20));
    std::hint::black_box(big);
}

/// The memory bound holds: a case that asks for more than it may ends the run with a message
/// instead of taking the machine's memory.
#[test]
fn the_memory_bound_aborts_a_case_that_allocates_too_much() {
    // the test's name in this binary: its module path without the crate's name
    let name = match module_path!().split_once("::") {
        Some((_, module)) => format!("{module}::a_case_that_allocates_too_much"),
        None => "a_case_that_allocates_too_much".to_string(),
    };
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--ignored", "--exact", &name, "--test-threads", "1"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(stderr.contains("fuzz bound: a case asked for"), "{stderr}");
}
