//! Large files: reading and checking in parallel blocks gives the same output whatever the
//! number of threads, and the validated survey exported as Parquet reads back with its types and
//! labels.

use crate::common;

use std::path::Path;
use std::sync::Arc;

use typfrage::survey::{load_path, Codebook};

/// The shipped survey's rows repeated to `rows` rows with new identifiers (well over the block
/// size of the parallel reader), written as CSV; `edit` may change the text of a data line
/// (0-based data row).
fn large_file(
    dir: &Path,
    rows: usize,
    edit: impl Fn(usize, String) -> String,
) -> std::path::PathBuf {
    let shipped = load_path(&common::shipped_survey(), Arc::new(Codebook::builtin()))
        .unwrap()
        .survey;
    let order: Vec<usize> = (0..rows).map(|i| i % shipped.len()).collect();
    let mut survey = shipped.select_rows(&order);
    for (i, id) in survey.ids_mut().iter_mut().enumerate() {
        *id = format!("GEN-{i:06}");
    }
    let mut bytes = Vec::new();
    survey.write_csv(&mut bytes, &["generated"]).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    let mut lines = text.lines();
    let mut out = String::new();
    for line in lines.by_ref().take(2) {
        out.push_str(line);
        out.push('\n');
    }
    for (i, line) in lines.enumerate() {
        out.push_str(&edit(i, line.to_string()));
        out.push('\n');
    }
    assert!(out.len() > 2 << 20, "{} bytes", out.len());
    let path = dir.join(format!("large-{rows}.csv"));
    std::fs::write(&path, out).unwrap();
    path
}

/// stdout, stderr and exit code of `typfrage --threads N ARGS`.
fn run(dir: &tempfile::TempDir, threads: usize, args: &[&str]) -> (String, String, Option<i32>) {
    let out = common::typfrage(dir)
        .arg("--threads")
        .arg(threads.to_string())
        .args(args)
        .output()
        .unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
        out.status.code(),
    )
}

#[test]
fn validate_of_a_large_file_says_the_same_with_one_thread_or_several() {
    let dir = common::tempdir();
    let path = large_file(dir.path(), 12_000, |row, line| match row {
        // an empty identifier early, a duplicate identifier and a bad code in later blocks
        50 => line.replacen("GEN-000050", "", 1),
        6_000 => line.replacen("GEN-006000", "GEN-000007", 1),
        11_000 => line.replacen(",2,", ",x,", 1),
        _ => line,
    });
    let file = path.to_str().unwrap();
    let one = run(&dir, 1, &["validate", file]);
    assert_eq!(one.2, Some(1), "{}{}", one.0, one.1);
    // data rows start in row 3, after the comment line and the header
    assert!(one.0.contains("row 53, column id"), "{}", one.0);
    assert!(
        one.0.contains(
            "row 6003, column id: 'GEN-000007' is a duplicate identifier (first in row 10)"
        ),
        "{}",
        one.0
    );
    assert!(one.0.contains("3 problems found"), "{}", one.0);
    for threads in [2, 3] {
        assert_eq!(
            run(&dir, threads, &["validate", file]),
            one,
            "{threads} threads"
        );
    }
    let valid = large_file(dir.path(), 12_001, |_, line| line);
    let valid = valid.to_str().unwrap();
    let one = run(&dir, 1, &["validate", valid]);
    assert_eq!(one.2, Some(0), "{}{}", one.0, one.1);
    assert_eq!(run(&dir, 2, &["validate", valid]), one);
}

#[test]
fn cluster_of_a_large_file_writes_the_same_bytes_with_one_thread_or_two() {
    let dir = common::tempdir();
    // over the block size of the reader, and over the rows from which k-means runs on the
    // answer patterns
    let rows = typfrage::cluster::PATTERNS_MIN_ROWS + 5_000;
    let path = large_file(dir.path(), rows, |_, line| line);
    let file = path.to_str().unwrap();
    let mut outputs = Vec::new();
    for threads in [1, 2] {
        let out = dir.path().join(format!("out-{threads}"));
        let (stdout, stderr, code) = run(
            &dir,
            threads,
            &[
                "cluster",
                file,
                "--n-init",
                "5",
                "--out",
                out.to_str().unwrap(),
            ],
        );
        assert_eq!(code, Some(0), "{stdout}{stderr}");
        outputs
            .push(["assignments.csv", "model.json"].map(|f| std::fs::read(out.join(f)).unwrap()));
    }
    assert!(outputs[0] == outputs[1]);
}

#[test]
fn export_writes_parquet_that_reads_back_with_codes_and_labels() {
    use polars::prelude::{DataType, ParquetReader, SerReader};
    let dir = common::tempdir();
    let out = dir.path().join("survey.parquet");
    common::success_stdout(
        common::typfrage(&dir)
            .arg("export")
            .arg(common::shipped_survey())
            .args(["--format", "parquet", "--out"])
            .arg(&out),
    );
    let frame = ParquetReader::new(std::fs::File::open(&out).unwrap())
        .finish()
        .unwrap();
    let survey = load_path(&common::shipped_survey(), Arc::new(Codebook::builtin()))
        .unwrap()
        .survey;
    assert_eq!(frame.height(), survey.len());
    let codebook = survey.codebook();
    let coded = codebook
        .variables
        .iter()
        .filter(|v| v.kind.is_coded())
        .count();
    assert_eq!(frame.width(), codebook.variables.len() + coded);

    // codes as one-byte integers, with the survey's values and missing answers as null
    let goal = frame.column("ziel_effizienz").unwrap();
    assert_eq!(goal.dtype(), &DataType::Int8);
    let goal = goal.cast(&DataType::Int64).unwrap();
    let goal = goal.i64().unwrap();
    let read: Vec<Option<i64>> = (0..goal.len()).map(|i| goal.get(i)).collect();
    assert_eq!(read, survey.codes("ziel_effizienz").unwrap().to_vec());
    assert_eq!(frame.column("einwohner").unwrap().dtype(), &DataType::Int32);
    assert_eq!(frame.column("gewicht").unwrap().dtype(), &DataType::Float64);
    let ids = frame.column("id").unwrap().str().unwrap();
    let ids: Vec<String> = (0..ids.len())
        .map(|i| ids.get(i).unwrap().to_string())
        .collect();
    assert_eq!(ids, survey.ids());

    // the label of each code, as an Enum whose levels are the codebook's labels in its order
    let state = codebook.variable("bundesland").unwrap();
    let labels = frame.column("bundesland_label").unwrap();
    assert!(
        matches!(labels.dtype(), DataType::Enum(_, _)),
        "{:?}",
        labels.dtype()
    );
    let text = labels.cast(&DataType::String).unwrap();
    let text = text.str().unwrap();
    let text: Vec<Option<String>> = (0..text.len())
        .map(|i| text.get(i).map(str::to_string))
        .collect();
    let expected: Vec<Option<String>> = survey
        .codes("bundesland")
        .unwrap()
        .iter()
        .map(|c| c.map(|c| state.code(c).unwrap().de.clone()))
        .collect();
    assert_eq!(text, expected);
}
