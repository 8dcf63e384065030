//! The reviewer's checks as commands, on the real binary: `cluster --start ward` (k-means from the
//! Ward centroids and the agreement of the two partitions), the result folders of `hierarchy` and
//! `mixture` (manifest, `verify`, `--csv excel-de`, the dendrogram chart) and `response-style`.
//! The adjusted Rand index is recomputed here from its definition (Hubert & Arabie), checked on
//! scikit-learn's documented example first.

use crate::common;

use std::collections::HashMap;

use crate::common::{csv_rows, csv_rows_with, Rows};

fn pairs(n: usize) -> f64 {
    (n * n.saturating_sub(1)) as f64 / 2.0
}

/// The adjusted Rand index of a contingency table, from its definition.
fn ari_of_table(table: &[Vec<usize>]) -> f64 {
    let n: usize = table.iter().flatten().sum();
    let cells: f64 = table.iter().flatten().map(|&c| pairs(c)).sum();
    let rows: f64 = table.iter().map(|r| pairs(r.iter().sum())).sum();
    let cols: f64 = (0..table[0].len())
        .map(|j| pairs(table.iter().map(|r| r[j]).sum()))
        .sum();
    let expected = rows * cols / pairs(n);
    (cells - expected) / ((rows + cols) / 2.0 - expected)
}

/// The contingency table of two labelings given as strings.
fn table_of(a: &[String], b: &[String]) -> Vec<Vec<usize>> {
    let index = |v: &[String]| {
        let mut keys: Vec<String> = v.to_vec();
        keys.sort();
        keys.dedup();
        keys
    };
    let (ka, kb) = (index(a), index(b));
    let mut t = vec![vec![0; kb.len()]; ka.len()];
    for (x, y) in a.iter().zip(b) {
        let i = ka.iter().position(|k| k == x).unwrap();
        let j = kb.iter().position(|k| k == y).unwrap();
        t[i][j] += 1;
    }
    t
}

#[test]
fn the_adjusted_rand_index_of_the_test_is_scikit_learns_worked_example() {
    // sklearn.metrics.adjusted_rand_score([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2]) = 0.24242424...
    let t = table_of(
        &["0", "0", "0", "1", "1", "1"].map(String::from),
        &["0", "0", "1", "1", "2", "2"].map(String::from),
    );
    assert!((ari_of_table(&t) - 0.242_424_242_424_242_4).abs() < 1e-12);
    // identical partitions up to the names: 1
    let same = table_of(
        &["a", "a", "b", "b"].map(String::from),
        &["y", "y", "x", "x"].map(String::from),
    );
    assert!((ari_of_table(&same) - 1.0).abs() < 1e-12);
}

/// The number after `label` in `text`.
fn number_after(text: &str, label: &str) -> f64 {
    let at = text
        .find(label)
        .unwrap_or_else(|| panic!("{label} in {text}"))
        + label.len();
    let rest = text[at..].trim_start();
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
        .unwrap_or(rest.len());
    rest[..end].trim_end_matches('.').parse().unwrap()
}

#[test]
fn cluster_start_ward_reports_the_agreement_of_the_ward_partition_and_the_types() {
    let dir = common::tempdir();
    std::fs::copy(common::shipped_survey(), dir.path().join("s.csv")).unwrap();
    let text = common::success_stdout(
        common::typfrage(&dir).args(["cluster", "s.csv", "--start", "ward", "--out", "c"]),
    );
    // the Ward partition and its k-means refinement, as `hierarchy` writes them
    common::success_stdout(common::typfrage(&dir).args(["hierarchy", "s.csv", "--out", "h"]));
    let partition = csv_rows(&dir.path().join("h/partition.csv"));
    // municipalities left out by the missing-value policy have no type
    let assignments: Rows = csv_rows(&dir.path().join("c/assignments.csv"))
        .into_iter()
        .filter(|r| !r["type"].is_empty())
        .collect();
    let ward_of: HashMap<&str, &str> = partition
        .iter()
        .map(|r| (r["id"].as_str(), r["ward_group"].as_str()))
        .collect();
    let (ward, types): (Vec<String>, Vec<String>) = assignments
        .iter()
        .map(|r| (ward_of[r["id"].as_str()].to_string(), r["type"].clone()))
        .unzip();
    assert_eq!(ward.len(), partition.len());
    let expected = ari_of_table(&table_of(&ward, &types));
    let printed = number_after(&text, "adjusted Rand index");
    assert!(
        (printed - expected).abs() < 0.0005,
        "{printed} vs {expected}"
    );
    // the same partition as the k-means step of `hierarchy`: the Rand index of the two is 1
    let kmeans: Vec<String> = assignments
        .iter()
        .map(|r| partition.iter().find(|p| p["id"] == r["id"]).unwrap()["kmeans_group"].clone())
        .collect();
    assert!((ari_of_table(&table_of(&kmeans, &types)) - 1.0).abs() < 1e-12);

    // ward-start.csv: Ward's groups by type, the cross-tab of the two partitions
    let crosstab = csv_rows(&dir.path().join("c/ward-start.csv"));
    let mut total = 0;
    for row in &crosstab {
        let group = &row["ward_group"];
        let n: usize = row["n"].parse().unwrap();
        assert_eq!(n, ward.iter().filter(|w| *w == group).count());
        let by_type: usize = row
            .iter()
            .filter(|(k, _)| !["ward_group", "n"].contains(&k.as_str()))
            .map(|(_, v)| v.parse::<usize>().unwrap())
            .sum();
        assert_eq!(by_type, n);
        total += n;
    }
    assert_eq!(total, assignments.len());

    // recorded, and verified; a default run records no start, as older manifests do not
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("c/manifest.json")).unwrap())
            .unwrap();
    assert_eq!(m["request"]["start"], "ward");
    let out = common::success_stdout(common::typfrage(&dir).args(["verify", "c/manifest.json"]));
    assert!(out.contains("verified"), "{out}");
    common::success_stdout(
        common::typfrage(&dir).args(["cluster", "s.csv", "--out", "d", "--n-init", "2"]),
    );
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("d/manifest.json")).unwrap())
            .unwrap();
    assert!(m["request"].get("start").is_none(), "{m}");
    assert!(!dir.path().join("d/ward-start.csv").exists());
}

#[test]
fn hierarchy_writes_a_result_folder_with_the_dendrogram_that_verifies() {
    let dir = common::tempdir();
    std::fs::copy(common::shipped_survey(), dir.path().join("s.csv")).unwrap();
    let text = common::success_stdout(common::typfrage(&dir).args([
        "hierarchy",
        "s.csv",
        "--out",
        "h",
        "--csv",
        "excel-de",
        "--lang",
        "en",
    ]));
    assert!(text.contains("manifest.json"), "{text}");
    let h = dir.path().join("h");
    for f in [
        "merges.csv",
        "partition.csv",
        "dendrogram.png",
        "dendrogram.json",
        "dendrogram.csv",
        "manifest.json",
    ] {
        assert!(h.join(f).is_file(), "{f}");
    }
    // German Excel: semicolons, decimal commas
    let merges = csv_rows_with(&h.join("merges.csv"), b';');
    assert_eq!(merges.len(), 387);
    assert!(merges[386]["height"].contains(','), "{:?}", merges[386]);
    // the chart: the last merges over 30 groups holding every municipality, heights those of the
    // last 29 merges
    let chart: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(h.join("dendrogram.json")).unwrap()).unwrap();
    assert_eq!(chart["kind"], "dendrogram");
    let leaves = chart["leaves"].as_array().unwrap();
    assert_eq!(leaves.len(), 30);
    let sizes: u64 = leaves.iter().map(|l| l["size"].as_u64().unwrap()).sum();
    assert_eq!(sizes, 388);
    let drawn: Vec<f64> = chart["merges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["height"].as_f64().unwrap())
        .collect();
    let last: Vec<f64> = merges[387 - 29..]
        .iter()
        .map(|m| m["height"].replace(',', ".").parse().unwrap())
        .collect();
    assert_eq!(drawn.len(), 29);
    for (a, b) in drawn.iter().zip(&last) {
        assert!((a - b).abs() <= 1e-9 * b, "{a} vs {b}");
    }
    let png = std::fs::read(h.join("dendrogram.png")).unwrap();
    assert_eq!(common::png_size(&png), (1100, 640));
    // the chart redraws from its file
    common::success_stdout(common::typfrage(&dir).args([
        "chart",
        "h/dendrogram.json",
        "--out",
        "again.png",
    ]));
    assert_eq!(std::fs::read(dir.path().join("again.png")).unwrap(), png);
    let out = common::success_stdout(common::typfrage(&dir).args(["verify", "h/manifest.json"]));
    assert!(out.contains("the same 5 files"), "{out}");
    // a changed output is found
    std::fs::write(h.join("partition.csv"), "id;ward_group\n").unwrap();
    let err = common::failure_stderr(
        common::typfrage(&dir).args(["verify", "h/manifest.json"]),
        4,
    );
    assert!(err.contains("partition.csv"), "{err}");
    let err = common::failure_stderr(
        common::typfrage(&dir).args(["hierarchy", "s.csv", "--leaves", "1"]),
        2,
    );
    assert!(err.contains("--leaves 1"), "{err}");
}

#[test]
fn mixture_writes_a_result_folder_that_verifies() {
    let dir = common::tempdir();
    std::fs::copy(common::shipped_survey(), dir.path().join("s.csv")).unwrap();
    common::success_stdout(common::typfrage(&dir).args([
        "mixture", "s.csv", "--out", "m", "--k-max", "3", "--models", "EII,VVI", "--n-init", "3",
        "--csv", "excel-de",
    ]));
    let bic = csv_rows_with(&dir.path().join("m/bic.csv"), b';');
    assert_eq!(bic.len(), 2 * 2);
    assert!(bic[0]["bic"].contains(','), "{:?}", bic[0]);
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("m/manifest.json")).unwrap())
            .unwrap();
    assert_eq!(m["request"]["command"], "mixture");
    assert_eq!(m["request"]["csv"], "excel-de");
    let out = common::success_stdout(common::typfrage(&dir).args(["verify", "m/manifest.json"]));
    assert!(out.contains("the same 2 files"), "{out}");
}

#[test]
fn response_style_counts_who_keeps_their_type_in_both_languages() {
    let dir = common::tempdir();
    std::fs::copy(common::shipped_survey(), dir.path().join("s.csv")).unwrap();
    let de = common::success_stdout(common::typfrage(&dir).args([
        "response-style",
        "s.csv",
        "--out",
        "r",
        "--n-init",
        "10",
        "--lang",
        "de",
    ]));
    let rows = csv_rows(&dir.path().join("r/response-style.csv"));
    assert_eq!(rows.len(), 4);
    let n: usize = rows.iter().map(|r| r["n"].parse::<usize>().unwrap()).sum();
    let kept: usize = rows
        .iter()
        .map(|r| r["kept"].parse::<usize>().unwrap())
        .sum();
    assert_eq!(n, 388);
    assert!(
        de.contains(&format!("{kept} von {n} Kommunen")),
        "{de}\n{rows:?}"
    );
    assert!(de.contains("Am stärksten vom allgemeinen Bewertungsniveau abhängig"));
    // each type's members by matched new cluster: its own column is the kept count
    let ids: Vec<String> = rows.iter().map(|r| r["type_id"].clone()).collect();
    let mut new_clusters = vec![0; ids.len()];
    for r in &rows {
        let in_own: usize = r[&format!("in_{}", r["type_id"])].parse().unwrap();
        assert_eq!(in_own, r["kept"].parse::<usize>().unwrap());
        let members: usize = ids
            .iter()
            .map(|id| r[&format!("in_{id}")].parse::<usize>().unwrap())
            .sum();
        assert_eq!(members, r["n"].parse::<usize>().unwrap());
        for (j, id) in ids.iter().enumerate() {
            new_clusters[j] += r[&format!("in_{id}")].parse::<usize>().unwrap();
        }
    }
    assert_eq!(new_clusters.iter().sum::<usize>(), 388);
    // the most level-dependent type keeps the smallest share of its members
    let share = |r: &HashMap<String, String>| r["kept_share"].parse::<f64>().unwrap();
    let marked: Vec<_> = rows
        .iter()
        .filter(|r| r["most_level_dependent"] == "yes")
        .collect();
    assert_eq!(marked.len(), 1);
    assert!(rows.iter().all(|r| share(r) >= share(marked[0])));
    // the adjusted Rand index printed is the cross-tab's
    let table: Vec<Vec<usize>> = rows
        .iter()
        .map(|r| {
            ids.iter()
                .map(|id| r[&format!("in_{id}")].parse().unwrap())
                .collect()
        })
        .collect();
    let printed = number_after(&de.replace(',', "."), "bereinigter Rand-Index");
    assert!((printed - ari_of_table(&table)).abs() < 0.0005, "{de}");

    let out = common::success_stdout(common::typfrage(&dir).args(["verify", "r/manifest.json"]));
    assert!(out.contains("verified"), "{out}");
    let en = common::success_stdout(common::typfrage(&dir).args([
        "response-style",
        "s.csv",
        "--out",
        "e",
        "--n-init",
        "10",
        "--lang",
        "en",
        "--scale-by-spread",
    ]));
    assert!(en.contains("keep their type"), "{en}");
    assert!(en.contains("divided by its own spread"), "{en}");
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("e/manifest.json")).unwrap())
            .unwrap();
    assert_eq!(m["request"]["by_spread"], true);
}

/// hierarchy's console lists the last merges as a table under a header, the last merge first:
/// how many groups before and after, the height and the increase in the within-cluster sum of
/// squares of the same merge in merges.csv (rounded to 3 and 2 decimals).
#[test]
fn hierarchy_prints_the_last_merges_as_a_table_of_merges_csv() {
    let dir = common::tempdir();
    std::fs::copy(common::shipped_survey(), dir.path().join("s.csv")).unwrap();
    let text = common::success_stdout(common::typfrage(&dir).args([
        "--lang",
        "en",
        "hierarchy",
        "s.csv",
        "--out",
        "h",
    ]));
    let merges = csv_rows(&dir.path().join("h/merges.csv"));
    let lines: Vec<&str> = text.lines().collect();
    let header = lines
        .iter()
        .position(|l| l.split_whitespace().eq(["groups", "height", "increase"]))
        .unwrap_or_else(|| panic!("no header of the merges in\n{text}"));
    let rows = &lines[header + 1..header + 9];
    for (i, (line, m)) in rows.iter().zip(merges.iter().rev()).enumerate() {
        let number = |column: &str| m[column].parse::<f64>().unwrap();
        let expected = [
            (i + 2).to_string(),
            "->".to_string(),
            (i + 1).to_string(),
            format!("{:.3}", number("height")),
            format!("{:.2}", number("ss_increase")),
        ];
        assert!(
            line.split_whitespace()
                .eq(expected.iter().map(String::as_str)),
            "{line}"
        );
    }
}
