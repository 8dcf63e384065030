//! Survey weights (`--weight`): duplicating rows equals weight 2, equal weights change no byte of
//! any output, and bad weights are refused with file, row, column and value.

use crate::common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use typfrage::cluster::{
    builtin_types, fit_typology_weighted, kmeans_from, profiles, profiles_weighted, ClusterOptions,
    Typology,
};
use typfrage::survey::{load_path, resolve_weights, Codebook, WeightChoice, Weighting};

/// Writes a survey file with the shipped header and `rows` to `dir/name`.
fn write_survey(dir: &Path, name: &str, header: &[String], rows: &[Vec<String>]) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    let path = dir.join(name);
    let mut w = csv::Writer::from_path(&path).unwrap();
    w.write_record(header).unwrap();
    for r in rows {
        w.write_record(r).unwrap();
    }
    w.flush().unwrap();
    path
}

/// The shipped rows with every row's weight set by `weight(row index)`.
fn weighted(weight: impl Fn(usize) -> String) -> (Vec<String>, Vec<Vec<String>>) {
    let (header, mut rows) = common::shipped_rows();
    let g = header.iter().position(|h| h == "gewicht").unwrap();
    for (i, r) in rows.iter_mut().enumerate() {
        r[g] = weight(i);
    }
    (header, rows)
}

/// The shipped rows, the rows that `twice` picks repeated once more with a new identifier.
fn duplicated(twice: impl Fn(usize) -> bool) -> (Vec<String>, Vec<Vec<String>>) {
    let (header, rows) = common::shipped_rows();
    let mut out = rows.clone();
    for (i, r) in rows.iter().enumerate() {
        if twice(i) {
            let mut copy = r.clone();
            copy[0] = format!("{}-copy", r[0]);
            out.push(copy);
        }
    }
    (header, out)
}

fn fit(path: &Path, weighting: impl Fn(&typfrage::survey::Survey) -> Weighting) -> Typology {
    let survey = load_path(path, Arc::new(Codebook::builtin()))
        .unwrap()
        .survey;
    fit_typology_weighted(
        &survey,
        &ClusterOptions::default(),
        &builtin_types(),
        &weighting(&survey),
    )
    .unwrap()
}

/// Types compared by name: share of the summed weights, centroid and goal profile.
fn assert_same_types(a: &Typology, b: &Typology) {
    assert_eq!(a.types.len(), b.types.len());
    let close = |x: f64, y: f64| (x - y).abs() <= 1e-9 * (1.0 + y.abs());
    for (ta, tb) in a.types.iter().zip(&b.types) {
        assert_eq!(ta.name.id, tb.name.id);
        let (sa, sb) = (ta.weight / a.total_weight(), tb.weight / b.total_weight());
        assert!(close(sa, sb), "{}: share {sa} vs {sb}", ta.name.id);
        for (x, y) in ta.centroid.iter().zip(&tb.centroid) {
            assert!(close(*x, *y), "{}: centroid {x} vs {y}", ta.name.id);
        }
        for (x, y) in ta.profile.iter().zip(&tb.profile) {
            assert!(close(*x, *y), "{}: profile {x} vs {y}", ta.name.id);
        }
        assert!(close(ta.mean_silhouette, tb.mean_silhouette) || a.weights.is_some());
    }
    assert!(
        close(a.wss, b.wss),
        "within-cluster SS {} vs {}",
        a.wss,
        b.wss
    );
}

/// Duplicating every row equals giving every row weight 2: the same type shares, centroids and
/// goal profiles, through the whole fit (k-means++ restarts, naming). The restarts draw rows by
/// index, so the two runs do not take the same random draws (a file twice as long is another
/// stream of starts); both keep the best of 50 restarts from the same seed, which here reaches
/// the same partition. The comparison that does not depend on the draws follows.
#[test]
fn duplicating_every_row_equals_weight_two() {
    let dir = common::tempdir();
    // weight 2 for everyone is constant, which the command line reads as unweighted, so the
    // weights are given to the library directly
    let (header, rows) = common::shipped_rows();
    let plain = write_survey(dir.path(), "plain.csv", &header, &rows);
    let (header, rows) = duplicated(|_| true);
    let doubled = write_survey(dir.path(), "doubled.csv", &header, &rows);
    let by_weight = fit(&plain, |s| Weighting {
        variable: Some("gewicht".into()),
        values: Some(vec![2.0; s.len()]),
        constant: None,
    });
    let by_rows = fit(&doubled, |_| Weighting::none());
    assert_same_types(&by_weight, &by_rows);
    assert_eq!(by_weight.assignments.len() * 2, by_rows.assignments.len());
}

/// The clustering matrix of a survey file (the default variables, listwise), in canonical order,
/// with the weights the codebook's weight column gives its rows.
fn matrix_and_weights(path: &Path) -> (ndarray::Array2<f64>, Option<Vec<f64>>) {
    use typfrage::cluster::{build_matrix, choose_variables, MissingPolicy};
    let survey = load_path(path, Arc::new(Codebook::builtin()))
        .unwrap()
        .survey;
    let vars = choose_variables(&survey, None).unwrap();
    let m = build_matrix(&survey, &vars, MissingPolicy::Listwise)
        .unwrap()
        .into_canonical_order(&survey);
    let weighting = resolve_weights(
        &survey,
        &WeightChoice::Codebook,
        &path.display().to_string(),
        0,
    )
    .unwrap();
    (m.x, weighting.select(&m.rows))
}

/// Duplicating some rows equals giving those rows weight 2, through the weight column as the
/// command line reads it: from the same starting centroids (the unweighted types), k-means
/// reaches the same centroids, within-cluster sum of squares, type shares and goal profiles.
#[test]
fn duplicating_some_rows_equals_weight_two_from_the_same_start() {
    let dir = common::tempdir();
    let (header, rows) = weighted(|i| if i % 3 == 0 { "2" } else { "1" }.into());
    let some_weighted = write_survey(dir.path(), "some-weighted.csv", &header, &rows);
    let (header, rows) = duplicated(|i| i % 3 == 0);
    let some_doubled = write_survey(dir.path(), "some-doubled.csv", &header, &rows);
    let start = fit(&common::shipped_survey(), |_| Weighting::none());
    let start = ndarray::Array2::from_shape_fn((start.types.len(), 11), |(i, j)| {
        start.types[i].centroid_scaled[j]
    });
    let (xw, w) = matrix_and_weights(&some_weighted);
    let w = w.expect("weights 1 and 2 are not constant");
    let (xd, none) = matrix_and_weights(&some_doubled);
    assert!(none.is_none(), "weight 1 everywhere is unweighted");
    assert_eq!(w.iter().sum::<f64>(), xd.nrows() as f64);
    let pw = kmeans_from(&xw, Some(&w), &start, 300).unwrap();
    let pd = kmeans_from(&xd, None, &start, 300).unwrap();
    let close = |x: f64, y: f64| (x - y).abs() <= 1e-9 * (1.0 + y.abs());
    assert!(
        close(pw.wss, pd.wss),
        "within-cluster SS {} vs {}",
        pw.wss,
        pd.wss
    );
    for (x, y) in pw.centroids.iter().zip(pd.centroids.iter()) {
        assert!(close(*x, *y), "centroid {x} vs {y}");
    }
    let k = start.nrows();
    let mut share_w = vec![0.0; k];
    for (&l, wi) in pw.labels.iter().zip(&w) {
        share_w[l] += wi / w.iter().sum::<f64>();
    }
    let mut share_d = vec![0.0; k];
    for &l in &pd.labels {
        share_d[l] += 1.0 / pd.labels.len() as f64;
    }
    for (a, b) in share_w.iter().zip(&share_d) {
        assert!(close(*a, *b), "share {a} vs {b}");
    }
    let prof_w = profiles_weighted(&xw, Some(&w), &pw.labels, k);
    let prof_d = profiles(&xd, &pd.labels, k);
    for (a, b) in prof_w.iter().zip(prof_d.iter()) {
        assert!(close(*a, *b), "profile {a} vs {b}");
    }
}

/// Every file of a result folder, by its path inside the folder.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().display().to_string();
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

/// The text of every sheet of a workbook.
fn workbook_text(bytes: &[u8]) -> String {
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut out = String::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).unwrap();
        out.push_str(&format!("[{name}]\n"));
        for row in range.rows() {
            let cells: Vec<String> = row.iter().map(|c| format!("{c:?}")).collect();
            out.push_str(&cells.join("\t"));
            out.push('\n');
        }
    }
    out
}

fn sha256(path: &Path) -> String {
    use sha2::Digest;
    hex(&sha2::Sha256::digest(std::fs::read(path).unwrap()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A weight column that holds one value for everyone changes nothing: `profile` with every
/// weight 1, every weight 2.5, and `--weight none` write the same bytes into every file except
/// the manifest (which records the request and the inputs' digests). The input files differ in
/// their weight column, so their SHA-256, which the model, the workbook and the report quote, is
/// put in place before comparing, and the workbooks are compared sheet by sheet.
#[test]
fn equal_weights_change_no_output() {
    let dir = common::tempdir();
    let (header, rows) = weighted(|_| "1".into());
    let ones = write_survey(&dir.path().join("ones"), "survey.csv", &header, &rows);
    let (header, rows) = weighted(|_| "2.5".into());
    let halves = write_survey(&dir.path().join("halves"), "survey.csv", &header, &rows);
    let run = |input: &Path, out: &str, extra: &[&str]| {
        let run = common::typfrage(&dir)
            .arg("profile")
            .arg(input)
            .args(["--n-init", "5", "--out", out])
            .args(extra)
            .output()
            .expect("runs");
        assert_eq!(run.status.code(), Some(0));
        // the console: the summary on stdout, notes (the weights' among them) on stderr
        let stdout = format!(
            "{}--- stderr\n{}",
            String::from_utf8_lossy(&run.stdout),
            String::from_utf8_lossy(&run.stderr)
        );
        let digest = sha256(input);
        let normalise = |bytes: &[u8]| {
            String::from_utf8_lossy(bytes)
                .replace(&digest, "<sha256 of the input>")
                .replace(&digest[..12], "<sha256 of the input>")
        };
        let outputs: BTreeMap<String, String> = files(&dir.path().join(out))
            .into_iter()
            .filter(|(name, _)| name != "manifest.json")
            .map(|(name, bytes)| {
                let text = if name.ends_with(".xlsx") {
                    normalise(workbook_text(&bytes).as_bytes())
                } else if name.ends_with(".png") {
                    hex(&bytes)
                } else {
                    normalise(&bytes)
                };
                (name, text)
            })
            .collect();
        (stdout, outputs)
    };
    let (stdout_ones, reference) = run(&ones, "a", &[]);
    let (stdout_halves, halves_out) = run(&halves, "b", &[]);
    let (_, none_out) = run(&ones, "c", &["--weight", "none"]);
    let (_, explicit_out) = run(&halves, "d", &["--weight", "gewicht"]);
    assert!(reference.len() > 10, "{:?}", reference.keys());
    assert!(reference.contains_key("types.xlsx") && reference.contains_key("report.html"));
    for other in [&halves_out, &none_out, &explicit_out] {
        assert_eq!(
            reference.keys().collect::<Vec<_>>(),
            other.keys().collect::<Vec<_>>()
        );
        for (name, text) in &reference {
            assert!(text == &other[name], "{name} differs");
        }
    }
    assert!(
        stdout_ones.contains("\nunweighted: every municipality counts once\n"),
        "{stdout_ones}"
    );
    assert!(
        stdout_halves.contains("gewicht is 2.5 for every municipality"),
        "{stdout_halves}"
    );
    let about = &reference["types.xlsx"];
    assert!(about.contains("unweighted"), "{about}");
}

/// Weights that differ are applied and said so: in the console summary, the model, the
/// workbook's first sheet and the manifest's request.
#[test]
fn weighted_results_say_so_everywhere() {
    let dir = common::tempdir();
    let (header, rows) = weighted(|i| ["0.5", "1", "2", "3"][i % 4].into());
    let input = write_survey(dir.path(), "survey.csv", &header, &rows);
    let stdout = common::success_stdout(
        common::typfrage(&dir)
            .arg("cluster")
            .arg(&input)
            .args(["--n-init", "5", "--lang", "de", "--out", "w"]),
    );
    assert!(
        stdout.contains("gewichtet mit gewicht (Kish-Designeffekt"),
        "{stdout}"
    );
    let model = std::fs::read_to_string(dir.path().join("w/model.json")).unwrap();
    assert!(model.contains("\"weight\": \"gewicht\""), "{model}");
    let manifest = std::fs::read_to_string(dir.path().join("w/manifest.json")).unwrap();
    assert!(manifest.contains("\"weight\": \"codebook\""), "{manifest}");
    let book = workbook_text(&std::fs::read(dir.path().join("w/types.xlsx")).unwrap());
    assert!(book.contains("gewichtet mit gewicht"), "{book}");
    // and the re-run from the manifest writes the same files
    let verified = common::success_stdout(
        common::typfrage(&dir)
            .arg("verify")
            .arg(dir.path().join("w/manifest.json")),
    );
    assert!(verified.contains("verified"), "{verified}");
}

/// A weight that is missing, negative or not a number, all weights 0, a weight variable the
/// codebook lacks or that holds codes: an error naming file, row, column and value, and
/// nothing written.
#[test]
fn bad_weights_are_refused_with_file_row_column_and_value() {
    let dir = common::tempdir();
    /// (file, weight of row i, extra arguments, exit code, expected message)
    type Case<'a> = (
        &'a str,
        Box<dyn Fn(usize) -> String>,
        &'a [&'a str],
        i32,
        &'a str,
    );
    let cases: Vec<Case> = vec![
        (
            "missing.csv",
            Box::new(|i| if i == 3 { String::new() } else { "1.5".into() }),
            &[],
            1,
            "missing.csv, row 5, column gewicht: '' the weight is missing; expected a finite weight of at least 0",
        ),
        (
            "zero.csv",
            Box::new(|_| "0".into()),
            &[],
            1,
            "zero.csv, column gewicht: every weight is 0",
        ),
        (
            "codes.csv",
            Box::new(|_| "1".into()),
            &["--weight", "strategie_status"],
            1,
            "--weight strategie_status: the variable is ordinal, not a number",
        ),
        (
            "unknown.csv",
            Box::new(|_| "1".into()),
            &["--weight", "gewciht"],
            2,
            "--weight: the codebook has no variable 'gewciht'; did you mean 'gewicht'?",
        ),
    ];
    for (name, weight, extra, code, expected) in cases {
        let (header, rows) = weighted(weight);
        let input = write_survey(dir.path(), name, &header, &rows);
        let out = format!("out-{name}");
        let err = common::failure_stderr(
            common::typfrage(&dir)
                .arg("cluster")
                .arg(&input)
                .args(["--n-init", "2", "--out", &out])
                .args(extra),
            code,
        );
        assert!(err.contains(expected), "{name}: {err}");
        assert!(
            !dir.path().join(&out).exists(),
            "{name}: something was written"
        );
    }
    // a negative weight: the codebook's range already refuses it when the file is read; through
    // a variable without a range (a count may not be negative either), the weights' own check
    let (header, rows) = weighted(|i| if i == 0 { "-1".into() } else { "1".into() });
    let input = write_survey(dir.path(), "negative.csv", &header, &rows);
    let err = common::failure_stderr(
        common::typfrage(&dir).arg("stability").arg(&input).args([
            "--resamples",
            "2",
            "--out",
            "neg",
        ]),
        1,
    );
    assert!(
        err.contains("negative.csv, row 2, column gewicht: '-1'"),
        "{err}"
    );
}

/// Runs `typfrage` with `args` in `dir` and accepts exit 0 or 3 (`figures` exits 3 when a figure
/// is not reproduced, which weights may well cause).
fn run_figures(dir: &tempfile::TempDir, args: &[&std::ffi::OsStr]) -> String {
    let out = common::typfrage(dir)
        .arg("figures")
        .args(args)
        .output()
        .unwrap();
    let code = out.status.code();
    assert!(
        matches!(code, Some(0 | 3)),
        "{code:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Every third row weighted 2 (the rest 1), and the same rows repeated instead.
fn every_third_weighted_and_doubled(dir: &Path) -> (PathBuf, PathBuf) {
    let (header, rows) = weighted(|i| if i % 3 == 0 { "2" } else { "1" }.into());
    let weighted = write_survey(&dir.join("w"), "survey.csv", &header, &rows);
    let (header, rows) = duplicated(|i| i % 3 == 0);
    let doubled = write_survey(&dir.join("d"), "survey.csv", &header, &rows);
    (weighted, doubled)
}

/// Duplicating rows equals giving them weight 2 in the profile sheets' cross-tabs: the share of
/// every answer among all clustered municipalities (which does not depend on the types found) is
/// the same in `profiles.json`; the counts of the weighted run still count municipalities.
#[test]
fn duplicating_rows_equals_weight_two_in_the_cross_tab_shares() {
    let dir = common::tempdir();
    let (weighted, doubled) = every_third_weighted_and_doubled(dir.path());
    for (input, out) in [(&weighted, "pw"), (&doubled, "pd")] {
        common::success_stdout(
            common::typfrage(&dir)
                .arg("profile")
                .arg(input)
                .args(["--n-init", "2", "--out", out]),
        );
    }
    let (w, d) = (
        json(&dir.path().join("pw/profiles.json")),
        json(&dir.path().join("pd/profiles.json")),
    );
    assert_eq!(w["weight"], "gewicht");
    assert!(d.get("weight").is_none(), "the doubled file is unweighted");
    let (cw, cd) = (
        w["crosstabs"].as_array().unwrap(),
        d["crosstabs"].as_array().unwrap(),
    );
    assert_eq!(cw.len(), cd.len());
    let mut compared = 0;
    for (a, b) in cw.iter().zip(cd) {
        assert_eq!(a["variable"], b["variable"]);
        assert!(
            a["design_effect"].as_f64().unwrap() > 1.0,
            "{}",
            a["variable"]
        );
        let (all_w, all_d) = (
            a["shares"].as_array().unwrap().last().unwrap(),
            b["shares"].as_array().unwrap().last().unwrap(),
        );
        for (sw, sd) in all_w
            .as_array()
            .unwrap()
            .iter()
            .zip(all_d.as_array().unwrap())
        {
            match (sw["percent"].as_f64(), sd["percent"].as_f64()) {
                (Some(x), Some(y)) => {
                    assert!((x - y).abs() < 1e-9, "{}: {x} vs {y}", a["variable"]);
                    // the weighted run's summed weights are the doubled run's counts
                    assert_eq!(sw["weighted"].as_f64(), Some(sd["count"].as_f64().unwrap()));
                    assert!(sw["count"].as_u64() <= sd["count"].as_u64());
                    compared += 1;
                }
                (x, y) => assert_eq!(x, y, "{}", a["variable"]),
            }
        }
    }
    assert!(compared > 200, "{compared}");
}

/// Duplicating rows equals giving them weight 2 in `figures --weight gewicht`: every computed
/// share and mean is the same as the doubled file's (unweighted) value.
#[test]
fn duplicating_rows_equals_weight_two_in_the_figures() {
    let dir = common::tempdir();
    let (weighted, doubled) = every_third_weighted_and_doubled(dir.path());
    let out = dir.path().join("fw");
    run_figures(
        &dir,
        &[
            weighted.as_os_str(),
            "--weight".as_ref(),
            "gewicht".as_ref(),
            "--out".as_ref(),
            out.as_os_str(),
        ],
    );
    let out_d = dir.path().join("fd");
    run_figures(
        &dir,
        &[doubled.as_os_str(), "--out".as_ref(), out_d.as_os_str()],
    );
    let (w, d) = (
        json(&dir.path().join("fw/figures.json")),
        json(&dir.path().join("fd/figures.json")),
    );
    assert_eq!(w["weight"], "gewicht");
    let mut compared = 0;
    for (a, b) in w["figures"]
        .as_array()
        .unwrap()
        .iter()
        .zip(d["figures"].as_array().unwrap())
    {
        assert_eq!(a["id"], b["id"]);
        let (Some(pa), Some(pb)) = (a["computed"].as_array(), b["computed"].as_array()) else {
            continue;
        };
        for (x, y) in pa.iter().zip(pb) {
            let (x, y) = (x["value"].as_f64().unwrap(), y["value"].as_f64().unwrap());
            assert!((x - y).abs() < 1e-9, "{}: {x} vs {y}", a["id"]);
            compared += 1;
        }
    }
    assert!(compared > 30, "{compared}");
}

/// `figures` weights only when asked by name: a weight column that differs leaves the default
/// run unweighted (the published figures are unweighted shares), and a constant one changes no
/// byte with `--weight gewicht`: the same files as `--weight none` and as the default.
#[test]
fn figures_weigh_only_when_asked_and_equal_weights_change_nothing() {
    let dir = common::tempdir();
    let (header, rows) = weighted(|_| "2.5".into());
    let constant = write_survey(&dir.path().join("c"), "survey.csv", &header, &rows);
    let (header, rows) = weighted(|i| ["0.5", "1", "3"][i % 3].into());
    let varying = write_survey(&dir.path().join("v"), "survey.csv", &header, &rows);
    let outputs = |out: &str| -> BTreeMap<String, String> {
        files(&dir.path().join(out))
            .into_iter()
            .filter(|(name, _)| name != "manifest.json")
            .map(|(name, bytes)| {
                let text = if name.ends_with(".xlsx") {
                    workbook_text(&bytes)
                } else {
                    hex(&bytes)
                };
                (name, text)
            })
            .collect()
    };
    let mut stdouts = Vec::new();
    for (input, out, extra) in [
        (&constant, "c-default", &[][..]),
        (&constant, "c-named", &["--weight", "gewicht"][..]),
        (&constant, "c-none", &["--weight", "none"][..]),
        (&varying, "v-default", &[][..]),
        (&varying, "v-none", &["--weight", "none"][..]),
    ] {
        let out = dir.path().join(out);
        let mut args = vec![input.as_os_str(), "--out".as_ref(), out.as_os_str()];
        args.extend(extra.iter().map(std::ffi::OsStr::new));
        stdouts.push(run_figures(&dir, &args));
    }
    let reference = outputs("c-default");
    assert!(reference.contains_key("figures.md") && reference.contains_key("figures.xlsx"));
    for other in ["c-named", "c-none"] {
        assert!(reference == outputs(other), "{other} differs");
    }
    assert!(
        outputs("v-default") == outputs("v-none"),
        "default is unweighted"
    );
    assert!(
        stdouts[0].contains("unweighted: the published figures are unweighted shares"),
        "{}",
        stdouts[0]
    );
    assert!(
        !stdouts[1].contains("gewicht is 2.5"),
        "the note is on stderr: {}",
        stdouts[1]
    );
    let md = std::fs::read_to_string(dir.path().join("c-named/figures.md")).unwrap();
    assert!(!md.contains("eighted"), "{md}");
}

/// The note on equal weights goes to stderr, in the run's language, for every command that gives
/// it: stdout holds only the result, so `figures --format json | jq` reads the JSON whole
/// (issue 28: the note came after the JSON).
#[test]
fn the_note_on_equal_weights_is_on_stderr_and_json_on_stdout_parses() {
    let dir = common::tempdir();
    let (header, rows) = weighted(|_| "2.5".into());
    let input = write_survey(dir.path(), "survey.csv", &header, &rows);
    let runs: [(&str, &[&str]); 4] = [
        ("figures", &["--format", "json", "--weight", "gewicht"]),
        ("cluster", &["--n-init", "2", "--weight", "gewicht"]),
        (
            "choose-k",
            &[
                "--k-min", "2", "--k-max", "3", "--n-init", "2", "--weight", "gewicht",
            ],
        ),
        (
            "stability",
            &["--resamples", "3", "--n-init", "2", "--weight", "gewicht"],
        ),
    ];
    for (lang, note) in [
        ("en", "weights: gewicht is 2.5 for every municipality"),
        ("de", "Gewichte: gewicht ist für jede Kommune 2,5"),
    ] {
        for (command, extra) in runs {
            let out = common::typfrage(&dir)
                .args(["--lang", lang, command])
                .arg(&input)
                .args(extra)
                .args(["--out", &format!("{command}-{lang}")])
                .output()
                .unwrap();
            let (stdout, stderr) = (
                String::from_utf8(out.stdout).unwrap(),
                String::from_utf8(out.stderr).unwrap(),
            );
            assert!(
                matches!(out.status.code(), Some(0 | 3)),
                "{command}: {stderr}"
            );
            assert!(!stdout.contains(note), "{command} {lang}: {stdout}");
            assert!(stderr.contains(note), "{command} {lang}: {stderr}");
            if command == "figures" {
                let json: serde_json::Value = serde_json::from_str(&stdout)
                    .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {stdout}"));
                assert!(json.is_object(), "{stdout}");
            }
        }
    }
}

/// Weighted cross-tabs and figures say so, by what, and that the tests are Rao-Scott corrected:
/// the cross-tabs (Markdown and CSV), each profile sheet, the report's summary, and the figures
/// (table, Markdown, JSON, workbook), in German and English.
#[test]
fn weighted_cross_tabs_and_figures_say_so() {
    let dir = common::tempdir();
    let (header, rows) = weighted(|i| ["0.5", "1", "2", "3"][i % 4].into());
    let input = write_survey(dir.path(), "survey.csv", &header, &rows);
    for (lang, out) in [("de", "de"), ("en", "en")] {
        common::success_stdout(
            common::typfrage(&dir)
                .arg("profile")
                .arg(&input)
                .args(["--n-init", "2", "--lang", lang, "--out", out]),
        );
    }
    let read = |p: &str| std::fs::read_to_string(dir.path().join(p)).unwrap();
    let md = read("de/crosstabs.md");
    assert!(md.contains("Gewichtet mit gewicht"), "{md}");
    assert!(
        md.contains("gewichtet, Rao-Scott 1. Ordnung, Design-Effekt"),
        "{md}"
    );
    let md = read("en/crosstabs.md");
    assert!(md.contains("Weighted by gewicht"), "{md}");
    assert!(
        md.contains("weighted, Rao-Scott first order, design effect"),
        "{md}"
    );
    let csv = read("en/crosstabs.csv");
    let header = csv.lines().next().unwrap();
    assert!(
        header.ends_with(",weighted_count,weighted_base,weight,design_effect,test"),
        "{header}"
    );
    assert!(csv.contains(",gewicht,") && csv.contains(",rao-scott first order\n"));
    let html = read("de/report.html");
    let summary = html.find("Auf einen Blick").unwrap();
    let said = html.find("Gewichtet mit gewicht").unwrap();
    assert!(summary < said && said < html.find("Kennziele").unwrap());
    assert!(read("en/report.html").contains("Weighted by gewicht"));
    let sheet = std::fs::read_dir(dir.path().join("en"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.display().to_string().contains("profile-"))
        .unwrap();
    let sheet = std::fs::read_to_string(sheet).unwrap();
    assert!(
        sheet.contains("Share of the total weight, weighted by gewicht"),
        "{sheet}"
    );
    let chart = read("en/charts/type-sizes.json");
    assert!(chart.contains("Share of the weight (gewicht)"), "{chart}");
    assert!(chart.contains("weighted by gewicht"), "{chart}");

    let out = dir.path().join("f");
    let stdout = run_figures(
        &dir,
        &[
            input.as_os_str(),
            "--weight".as_ref(),
            "gewicht".as_ref(),
            "--lang".as_ref(),
            "de".as_ref(),
            "--out".as_ref(),
            out.as_os_str(),
        ],
    );
    assert!(
        stdout.contains("Gewichtet mit gewicht (--weight)"),
        "{stdout}"
    );
    assert!(read("f/figures.md").contains("Gewichtet mit gewicht"));
    let fj = json(&out.join("figures.json"));
    assert_eq!(fj["weight"], "gewicht");
    let book = workbook_text(&std::fs::read(out.join("figures.xlsx")).unwrap());
    assert!(book.contains("Gewichtet mit gewicht"), "{book}");
    // figures.csv names the weight on every figure's row; the findings' tests are unweighted
    let rows = common::csv_rows(&out.join("figures.csv"));
    assert!(rows.iter().any(|r| r["kind"] == "finding"));
    for r in &rows {
        let expected = if r["kind"] == "figure" { "gewicht" } else { "" };
        assert_eq!(r["weighted_by"], expected, "{r:?}");
    }
}

/// An unweighted report says so at the top.
#[test]
fn an_unweighted_report_says_so_in_its_summary() {
    let dir = common::tempdir();
    common::success_stdout(
        common::typfrage(&dir)
            .arg("profile")
            .arg(common::shipped_survey())
            .args(["--n-init", "2", "--lang", "en", "--out", "p"]),
    );
    let html = std::fs::read_to_string(dir.path().join("p/report.html")).unwrap();
    let summary = html.find("At a glance").unwrap();
    let said = html
        .find("Unweighted: every municipality counts once.")
        .unwrap();
    assert!(summary < said && said < html.find("Signature goals").unwrap());
}

#[test]
fn a_municipalitys_sheet_says_whether_the_model_is_weighted_and_weights_the_mean_of_all() {
    let dir = common::tempdir();
    let (header, rows) = weighted(|i| ["0.5", "1", "2"][i % 3].to_string());
    let path = write_survey(dir.path(), "w.csv", &header, &rows);
    for (file, out) in [(path.clone(), "w-out"), (common::shipped_survey(), "u-out")] {
        common::success_stdout(common::typfrage(&dir).args([
            "cluster".as_ref(),
            file.as_os_str(),
            "--out".as_ref(),
            out.as_ref(),
        ]));
    }
    let sheet = |out: &str, lang: &str| -> String {
        let model = dir.path().join(out).join("model.json");
        let text = common::success_stdout(common::typfrage(&dir).args([
            "--lang",
            lang,
            "position",
            model.to_str().unwrap(),
            "--from",
            path.to_str().unwrap(),
            "--id",
            &rows[0][0],
            "--out",
            &format!("{out}-{lang}.md"),
        ]));
        assert!(!text.is_empty());
        std::fs::read_to_string(dir.path().join(format!("{out}-{lang}.md"))).unwrap()
    };
    assert!(sheet("w-out", "de").contains("Gewichtet mit gewicht"));
    assert!(sheet("w-out", "en").contains("Weighted by gewicht"));
    assert!(sheet("u-out", "de").contains("Ungewichtet"));
    assert!(sheet("u-out", "en").contains("Unweighted"));

    // the mean of all municipalities on the sheet is the weighted mean, as the centres are
    let model: serde_json::Value = json(&dir.path().join("w-out/model.json"));
    let typology = fit(&path, |survey| {
        resolve_weights(survey, &WeightChoice::Codebook, "w.csv", 0).unwrap()
    });
    let means = model["feedback"]["overall_means"].as_array().unwrap();
    let w = typology.weights.as_ref().unwrap();
    for (j, m) in means.iter().enumerate() {
        let x = typology.matrix.x.column(j);
        let expected = x.iter().zip(w).map(|(v, w)| v * w).sum::<f64>() / w.iter().sum::<f64>();
        assert!((m.as_f64().unwrap() - expected).abs() < 1e-9, "goal {j}");
    }
}

/// Regression (weighted numbers in `crosstabs.csv` were written with six fixed decimals,
/// `4.500000`): the summed weights of a cell and of its base are written in their shortest form.
/// With every weight a whole number of tenths, every sum is one too, so each is written with at
/// most one decimal (`0.3` for 0.1 + 0.2, not `0.300000` nor the binary noise of the sum), with a
/// decimal comma in `--csv excel-de`; and the cells of a group add up to its base.
#[test]
fn crosstab_weighted_sums_are_written_without_trailing_zeros() {
    let dir = common::tempdir();
    let (header, rows) = weighted(|i| ["0.1", "0.2", "1.5", "2"][i % 4].into());
    let input = write_survey(dir.path(), "survey.csv", &header, &rows);
    for (style, out, delimiter, mark) in
        [("rfc4180", "rfc", b',', '.'), ("excel-de", "de", b';', ',')]
    {
        common::success_stdout(common::typfrage(&dir).arg("profile").arg(&input).args([
            "--n-init", "2", "--csv", style, "--lang", "en", "--out", out,
        ]));
        let rows = common::csv_rows_with(&dir.path().join(out).join("crosstabs.csv"), delimiter);
        assert!(!rows.is_empty());
        let mut fractions = 0;
        let mut sums: BTreeMap<(String, String), (f64, f64)> = BTreeMap::new();
        for r in &rows {
            for column in ["weighted_count", "weighted_base"] {
                let text = &r[column];
                let (whole, fraction) = text.split_once(mark).unwrap_or((text, ""));
                assert!(
                    !whole.is_empty() && whole.bytes().all(|b| b.is_ascii_digit()),
                    "{style} {column}: {text:?}"
                );
                assert!(fraction.len() <= 1, "{style} {column}: {text:?}");
                assert!(fraction != "0" && text.find(mark) != Some(text.len() - 1));
                fractions += usize::from(!fraction.is_empty());
            }
            let value = |c: &str| r[c].replace(',', ".").parse::<f64>().unwrap();
            let sum = sums
                .entry((r["variable"].clone(), r["group"].clone()))
                .or_insert((0.0, value("weighted_base")));
            sum.0 += value("weighted_count");
        }
        assert!(fractions > 0, "no weighted sum with a decimal in {style}");
        for ((variable, group), (cells, base)) in sums {
            assert!(
                (cells - base).abs() < 1e-6,
                "{variable} {group}: {cells} of {base}"
            );
        }
    }
}
