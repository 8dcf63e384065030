//! Invariants, checked on many generated inputs, and the fuzz harness: the survey loader, the
//! chart file, the manifest, the saved model and the type definitions fed generated and damaged
//! input, each answering with a result or an error that names the file, never a panic or a hang.
//! The fuzz targets run a fixed number of cases (CI stays quick); `PROPTEST_CASES=N` runs N cases
//! each for a longer run (see the README).

use crate::common;

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

/// Cases per fuzz target: `PROPTEST_CASES` if set, else `default`.
fn fuzz_cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
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
    #![proptest_config(ProptestConfig { cases: fuzz_cases(64), ..ProptestConfig::default() })]

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
                prop_assert!((c.margin - d.margin).abs() < 1e-6, "{} {} {}", c.claim, c.margin, d.margin);
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
        let charts =
            typfrage::figures::study_charts(shipped(), &source, typfrage::lang::Lang::De).unwrap();
        serde_json::to_string(&charts.last().unwrap().chart).unwrap()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: fuzz_cases(48), ..ProptestConfig::default() })]

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
    #![proptest_config(ProptestConfig { cases: fuzz_cases(48), ..ProptestConfig::default() })]

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
