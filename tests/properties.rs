//! Invariants, checked on many generated inputs.

mod common;

use std::sync::{Arc, OnceLock};

use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use typfrage::figures::{check, Published};
use typfrage::present::PresentError;
use typfrage::survey::{load_bytes, load_path, Codebook, Loaded, Survey, SurveyError};

fn shipped() -> &'static Survey {
    static SURVEY: OnceLock<Survey> = OnceLock::new();
    SURVEY.get_or_init(|| {
        load_path(&common::shipped_survey(), Arc::new(Codebook::builtin()))
            .unwrap()
            .survey
    })
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
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

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
    fn damaged_files_give_problems_not_panics(
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..8)
    ) {
        let mut bytes = small_fixture().clone();
        for (at, byte, kind) in edits {
            let i = at.index(bytes.len());
            match kind {
                0 => bytes[i] = byte,
                1 => bytes.insert(i, byte),
                _ => { bytes.remove(i); }
            }
        }
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
            .map(|a| (a.id.clone(), t.types[a.type_index].name.id.clone()))
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

/// A valid chart file to damage: the bars of Abb. 10 as `typfrage figures` writes them.
fn chart_json() -> &'static String {
    static JSON: OnceLock<String> = OnceLock::new();
    JSON.get_or_init(|| {
        let source = typfrage::present::DataSource {
            file: "survey.csv".into(),
            synthetic: true,
        };
        let charts =
            typfrage::figures::study_charts(shipped(), &source, typfrage::present::Lang::De)
                .unwrap();
        serde_json::to_string(&charts.last().unwrap().chart).unwrap()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

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
        let dir = tempfile::tempdir().unwrap();
        let spec = dir.path().join("chart.json");
        std::fs::write(&spec, &text).unwrap();
        match typfrage::present::read_chart(&spec) {
            Ok(chart) => {
                let png = dir.path().join("chart.png");
                let drawn = typfrage::present::draw_chart(&png, &chart);
                prop_assert!(drawn.is_ok(), "a chart that was read is not drawn: {:?}", drawn.err());
                let bytes = std::fs::read(&png).unwrap();
                prop_assert_eq!(common::png_size(&bytes), chart.size());
            }
            Err(PresentError::Chart { path, message }) => {
                prop_assert_eq!(path, spec.display().to_string());
                prop_assert!(!message.is_empty());
            }
            Err(other) => prop_assert!(false, "unexpected error: {}", other),
        }
    }
}
