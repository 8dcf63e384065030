//! `typfrage replicate` and the replication files of `cluster --report`: prediction strength and
//! split-half ARI per k (the rule's k read back from the file), the same bytes with one thread or
//! two, how the types split from k to k + 1 against the types `cluster` finds, and the threshold
//! tree walked here on the survey's own answers against the k-means types.

use std::collections::HashMap;
use std::path::Path;

use serde_json::Value;

use crate::common::{self, csv_rows, Rows};

/// `replicate` on the shipped data with few splits and starts (quick), into `dir/out`.
fn replicate(dir: &tempfile::TempDir, threads: &str, extra: &[&str]) -> String {
    std::fs::copy(common::shipped_survey(), dir.path().join("s.csv")).unwrap();
    common::success_stdout(
        common::typfrage(dir)
            .env("RAYON_NUM_THREADS", threads)
            .args(["replicate", "s.csv", "--splits", "6", "--n-init", "3"])
            .args(extra)
            .args(["--out", "out"]),
    )
}

fn number(s: &str) -> f64 {
    s.parse().unwrap()
}

#[test]
fn validation_has_every_k_and_the_rule_picks_the_largest_k_above_0_8() {
    let dir = common::tempdir();
    let text = replicate(&dir, "2", &[]);
    let rows = csv_rows(&dir.path().join("out/validation.csv"));
    let ks: Vec<usize> = rows.iter().map(|r| r["k"].parse().unwrap()).collect();
    assert_eq!(ks, (2..=8).collect::<Vec<_>>());
    for r in &rows {
        for column in ["prediction_strength", "split_half_ari"] {
            let (mean, sd) = (number(&r[column]), number(&r[&format!("{column}_sd")]));
            assert!(mean <= 1.0 + 1e-12 && sd >= 0.0, "{r:?}");
        }
        assert!(number(&r["prediction_strength"]) >= 0.0, "{r:?}");
    }
    // more types replicate worse on the stand-in data, whose four types overlap
    let ps: Vec<f64> = rows
        .iter()
        .map(|r| number(&r["prediction_strength"]))
        .collect();
    assert!(ps[0] > ps[6], "{ps:?}");
    let chosen = rows
        .iter()
        .filter(|r| number(&r["prediction_strength"]) > 0.8)
        .map(|r| r["k"].clone())
        .next_back();
    match chosen {
        Some(k) => assert!(
            text.contains(&format!(
                "prediction strength above 0.8\" (Tibshirani & Walther): k = {k}\n"
            )),
            "{text}"
        ),
        None => assert!(text.contains("no k from 2 to 8 reaches it"), "{text}"),
    }
}

#[test]
fn the_same_seed_gives_the_same_bytes_with_one_thread_or_two() {
    let (one, two) = (common::tempdir(), common::tempdir());
    replicate(&one, "1", &[]);
    replicate(&two, "2", &[]);
    for file in [
        "validation.csv",
        "splits.csv",
        "tree.json",
        "tree-otherwise.csv",
        "charts/splits.png",
        "charts/tree.png",
        "manifest.json",
    ] {
        let read = |d: &tempfile::TempDir| std::fs::read(d.path().join("out").join(file)).unwrap();
        assert!(read(&one) == read(&two), "{file} differs");
    }
    // another seed draws other splits
    let other = common::tempdir();
    replicate(&other, "2", &["--seed", "7"]);
    let read = |d: &tempfile::TempDir| std::fs::read(d.path().join("out/validation.csv")).unwrap();
    assert!(read(&one) != read(&other));
    // the manifest re-runs
    common::success_stdout(common::typfrage(&one).args(["verify", "out/manifest.json"]));
}

/// Each municipality's k-means type, from `cluster` with the same options.
fn kmeans_types(dir: &tempfile::TempDir, k: &str) -> HashMap<String, String> {
    common::success_stdout(common::typfrage(dir).args([
        "cluster",
        "s.csv",
        "--k",
        k,
        "--n-init",
        "3",
        "--out",
        &format!("c{k}"),
    ]));
    csv_rows(&dir.path().join(format!("c{k}/assignments.csv")))
        .into_iter()
        .filter(|r| !r["type"].is_empty())
        .map(|r| (r["id"].clone(), r["type"].clone()))
        .collect()
}

fn sizes(types: &HashMap<String, String>) -> HashMap<String, usize> {
    let mut out = HashMap::new();
    for t in types.values() {
        *out.entry(t.clone()).or_insert(0) += 1;
    }
    out
}

#[test]
fn splits_follow_the_types_of_each_k_as_cluster_finds_them() {
    let dir = common::tempdir();
    replicate(&dir, "2", &[]);
    let rows: Rows = csv_rows(&dir.path().join("out/splits.csv"));
    let steps: Vec<(String, String)> = rows
        .iter()
        .map(|r| (r["from_k"].clone(), r["to_k"].clone()))
        .collect();
    assert!(steps.contains(&("3".into(), "4".into())));
    assert!(steps.contains(&("4".into(), "5".into())));
    for k in ["3", "4", "5"] {
        let types = kmeans_types(&dir, k);
        // the municipalities leaving each type of k (or reaching each type of k) are its members
        let mut out_of: HashMap<String, usize> = HashMap::new();
        let mut into: HashMap<String, usize> = HashMap::new();
        for r in &rows {
            let n: usize = r["n"].parse().unwrap();
            if r["from_k"] == k {
                *out_of.entry(r["from_type"].clone()).or_insert(0) += n;
            }
            if r["to_k"] == k {
                *into.entry(r["to_type"].clone()).or_insert(0) += n;
            }
        }
        let expected = sizes(&types);
        if k != "5" {
            assert_eq!(out_of, expected, "k = {k}");
        }
        if k != "3" {
            assert_eq!(into, expected, "k = {k}");
        }
    }
    // each type's shares add up to 1
    let mut shares: HashMap<(String, String), f64> = HashMap::new();
    for r in &rows {
        *shares
            .entry((r["from_k"].clone(), r["from_type"].clone()))
            .or_insert(0.0) += number(&r["share"]);
    }
    for (t, s) in shares {
        assert!((s - 1.0).abs() < 1e-3, "{t:?}: {s}");
    }
}

/// The tree's type for `answers` (variable to value), walked from `node` as tree.json says.
fn walk(node: &Value, answers: &HashMap<String, f64>) -> String {
    match node.get("type") {
        Some(t) => t.as_str().unwrap().to_string(),
        None => {
            let v = node["variable"].as_str().unwrap();
            let branch = if answers[v] <= node["threshold"].as_f64().unwrap() {
                "yes"
            } else {
                "no"
            };
            walk(&node[branch], answers)
        }
    }
}

fn leaves(node: &Value, out: &mut Vec<(usize, usize, usize)>, depth: usize) {
    match node.get("type") {
        Some(_) => out.push((
            node["n"].as_u64().unwrap() as usize,
            node["as_kmeans"].as_u64().unwrap() as usize,
            depth,
        )),
        None => {
            leaves(&node["yes"], out, depth + 1);
            leaves(&node["no"], out, depth + 1);
        }
    }
}

fn check_tree(folder: &Path, types: &HashMap<String, String>) {
    let tree: Value =
        serde_json::from_str(&std::fs::read_to_string(folder.join("tree.json")).unwrap()).unwrap();
    let (n, agree) = (
        tree["municipalities"].as_u64().unwrap() as usize,
        tree["as_kmeans"].as_u64().unwrap() as usize,
    );
    assert_eq!(n, types.len());
    assert!((tree["agreement"].as_f64().unwrap() - agree as f64 / n as f64).abs() < 1e-12);
    let mut found = Vec::new();
    leaves(&tree["root"], &mut found, 0);
    assert!(found.iter().all(|l| l.2 <= 3), "{found:?}");
    assert_eq!(found.iter().map(|l| l.0).sum::<usize>(), n);
    assert_eq!(found.iter().map(|l| l.1).sum::<usize>(), agree);
    assert!(found.len() >= 4, "at least one leaf per type: {found:?}");
    // walked here on each municipality's own answers: the ones it assigns otherwise are listed
    let (header, body) = common::shipped_rows();
    let mut otherwise = Vec::new();
    for row in &body {
        let Some(kmeans) = types.get(&row[0]) else {
            continue;
        };
        let answers: HashMap<String, f64> = header
            .iter()
            .zip(row)
            .filter(|(h, _)| h.starts_with("ziel_"))
            .map(|(h, v)| (h.clone(), v.parse().unwrap()))
            .collect();
        let by_tree = walk(&tree["root"], &answers);
        if &by_tree != kmeans {
            otherwise.push((row[0].clone(), kmeans.clone(), by_tree));
        }
    }
    assert_eq!(otherwise.len(), n - agree);
    let listed: Vec<(String, String, String)> = csv_rows(&folder.join("tree-otherwise.csv"))
        .into_iter()
        .map(|r| (r["id"].clone(), r["type"].clone(), r["tree_type"].clone()))
        .collect();
    let (mut a, mut b) = (otherwise, listed);
    a.sort();
    b.sort();
    assert_eq!(a, b);
}

#[test]
fn the_tree_assigns_as_its_file_says_and_lists_every_municipality_it_assigns_otherwise() {
    let dir = common::tempdir();
    replicate(&dir, "2", &[]);
    let types = kmeans_types(&dir, "4");
    check_tree(&dir.path().join("out"), &types);
}

#[test]
fn cluster_report_writes_the_replication_and_the_tree_and_its_page_shows_them() {
    for (lang, words, other) in [
        (
            "en",
            [
                "Found again in the other half",
                "Three questions to find your type",
                "split-half ARI",
            ],
            "Drei Fragen",
        ),
        (
            "de",
            [
                "Wiederfinden in der anderen Hälfte",
                "Drei Fragen zu Ihrem Typ",
                "Vorhersagestärke",
            ],
            "Three questions",
        ),
    ] {
        let out = common::shared_run("profile", &["--lang", lang, "--n-init", "10"]);
        for file in [
            "validation.csv",
            "splits.csv",
            "tree.json",
            "tree-otherwise.csv",
            "charts/splits.png",
            "charts/tree.png",
        ] {
            assert!(out.join(file).is_file(), "{lang}: {file}");
        }
        let page = std::fs::read_to_string(out.join("report.html")).unwrap();
        for w in words {
            assert!(page.contains(w), "{lang}: {w}");
        }
        assert!(!page.contains(other), "{lang}: {other}");
        let assignments: HashMap<String, String> = csv_rows(&out.join("assignments.csv"))
            .into_iter()
            .filter(|r| !r["type"].is_empty())
            .map(|r| (r["id"].clone(), r["type"].clone()))
            .collect();
        check_tree(&out, &assignments);
    }
}

#[test]
fn impossible_ranges_and_splits_are_usage_errors_and_write_nothing() {
    let dir = common::tempdir();
    std::fs::copy(common::shipped_survey(), dir.path().join("s.csv")).unwrap();
    for args in [
        &["--k-min", "1"][..],
        &["--k-min", "5", "--k-max", "3"],
        &["--splits", "0"],
    ] {
        let err = common::failure_stderr(
            common::typfrage(&dir)
                .args(["replicate", "s.csv", "--out", "out"])
                .args(args),
            2,
        );
        assert!(err.contains("expected"), "{args:?}: {err}");
        assert!(!dir.path().join("out").exists());
    }
}
