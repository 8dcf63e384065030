//! `typfrage cluster`, `choose-k`, `stability` and `classify` on the shipped data and on surveys
//! with known clusters.

use crate::common;

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use typfrage::cluster::{adjusted_rand_index, builtin_types};
use typfrage::survey::{load_path, Codebook, Survey};

fn read_csv(path: &Path) -> Vec<HashMap<String, String>> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    reader
        .records()
        .map(|r| {
            header
                .iter()
                .cloned()
                .zip(r.unwrap().iter().map(String::from))
                .collect()
        })
        .collect()
}

fn types_by_id(path: &Path) -> HashMap<String, String> {
    read_csv(path)
        .into_iter()
        .map(|r| (r["id"].clone(), r["type"].clone()))
        .collect()
}

fn shipped() -> Survey {
    load_path(&common::shipped_survey(), Arc::new(Codebook::builtin()))
        .unwrap()
        .survey
}

/// The goal priorities of the codebook (the clustering variables), in codebook order.
fn goal_names(survey: &Survey) -> Vec<String> {
    survey
        .codebook()
        .variables
        .iter()
        .filter(|v| v.name.starts_with("ziel_"))
        .map(|v| v.name.clone())
        .collect()
}

/// A survey whose goal priorities follow the four types' signatures exactly, 12 municipalities
/// each (plus a little deterministic variation), in the order the `order` list gives.
fn known_clusters(dir: &Path, order: &[usize]) -> std::path::PathBuf {
    let base = shipped();
    let rows: Vec<usize> = (0..48).collect();
    let mut survey = base.select_rows(&rows);
    let types = builtin_types();
    let goals = goal_names(&survey);
    for (i, &t) in order.iter().enumerate() {
        survey.ids_mut()[i] = format!("{}-{i:02}", types[t].id);
        for (g, goal) in goals.iter().enumerate() {
            let high = types[t].signature.contains(goal);
            let wobble = ((i * 7 + g * 3) % 5 == 0) as i64;
            let value = if high { 5 - wobble } else { 2 - wobble };
            survey.codes_mut(goal).unwrap().set(i, Some(value));
        }
    }
    let path = dir.join("known.csv");
    let mut bytes = Vec::new();
    survey.write_csv(&mut bytes, &[]).unwrap();
    std::fs::write(&path, bytes).unwrap();
    path
}

fn interleaved() -> Vec<usize> {
    (0..48).map(|i| (i * 5 + i / 4) % 4).collect()
}

#[test]
fn known_clusters_are_found_and_named() {
    let dir = common::tempdir();
    let order = interleaved();
    let file = known_clusters(dir.path(), &order);
    common::typfrage(&dir)
        .args(["cluster", "known.csv", "--n-init", "10", "--out", "out"])
        .assert()
        .success();
    let assigned = types_by_id(&dir.path().join("out/assignments.csv"));
    assert_eq!(assigned.len(), 48);
    for (id, ty) in &assigned {
        assert!(id.starts_with(&format!("{ty}-")), "{id} was named {ty}");
    }
    let _ = file;
}

#[test]
fn cluster_on_the_shipped_data_writes_assignments_and_model() {
    let dir = common::tempdir();
    let text = common::success_stdout(
        common::typfrage(&dir)
            .arg("cluster")
            .arg(common::shipped_survey())
            .args(["--out", "out"]),
    );
    assert!(
        text.contains("412 municipalities, 388 clustered, 24 left out (listwise policy"),
        "{text}"
    );
    // the types by their names in the run's language (English in the C locale)
    for name in [
        "The Deliberate",
        "The Optimisers",
        "The Service-Oriented",
        "The Community Managers",
    ] {
        assert!(text.contains(name), "{name} missing in\n{text}");
    }
    let rows = read_csv(&dir.path().join("out/assignments.csv"));
    assert_eq!(rows.len(), 412);
    let left_out: Vec<_> = rows.iter().filter(|r| r["type"].is_empty()).collect();
    assert_eq!(left_out.len(), 24);
    assert!(left_out
        .iter()
        .all(|r| r["note"].starts_with("left out: no answer on ziel_")));
    // every clustered row is nearest to its own type, and the margin is the gap to the next
    for r in rows.iter().filter(|r| !r["type"].is_empty()) {
        let own: f64 = r[&format!("distance_{}", r["type"])].parse().unwrap();
        let mut d: Vec<f64> = r
            .iter()
            .filter(|(k, _)| k.starts_with("distance_"))
            .map(|(_, v)| v.parse().unwrap())
            .collect();
        d.sort_by(f64::total_cmp);
        assert!((own - d[0]).abs() < 1e-9);
        let margin: f64 = r["margin"].parse().unwrap();
        assert!((margin - (d[1] - d[0])).abs() < 1e-5);
    }
    let model: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("out/model.json")).unwrap())
            .unwrap();
    assert_eq!(model["k"], 4);
    assert_eq!(model["types"].as_array().unwrap().len(), 4);
    assert_eq!(model["input"]["sha256"].as_str().unwrap().len(), 64);
    assert_eq!(model["scaling"]["kind"], "none");
}

#[test]
fn the_planted_types_are_recovered_clearly_but_not_perfectly() {
    let dir = common::tempdir();
    common::typfrage(&dir)
        .arg("cluster")
        .arg(common::shipped_survey())
        .args(["--out", "out"])
        .assert()
        .success();
    let assigned = types_by_id(&dir.path().join("out/assignments.csv"));
    let planted: Vec<(String, String)> =
        std::fs::read_to_string(common::root().join("data/survey-planted-types.csv"))
            .unwrap()
            .lines()
            .skip(2)
            .map(|l| {
                let (id, t) = l.split_once(',').unwrap();
                (id.to_string(), t.to_string())
            })
            .collect();
    let ids = [
        "bedaechtige",
        "optimierer",
        "serviceorientierte",
        "community_manager",
    ];
    let index = |t: &str| ids.iter().position(|x| *x == t).unwrap();
    let (mut a, mut b, mut same) = (Vec::new(), Vec::new(), 0);
    for (id, t) in &planted {
        let got = &assigned[id];
        if !got.is_empty() {
            a.push(index(t));
            b.push(index(got));
            same += usize::from(got == t);
        }
    }
    let ari = adjusted_rand_index(&a, &b);
    assert!(ari > 0.5 && ari < 0.95, "ARI {ari}");
    // the names match the planted types for most municipalities
    assert!(same as f64 > 0.75 * a.len() as f64, "{same} of {}", a.len());
}

#[test]
fn same_input_and_seed_give_the_same_bytes_whatever_the_thread_count() {
    let dir = common::tempdir();
    cluster_with_one_and_two_threads(&dir, &common::shipped_survey(), &[]);
}

/// A survey of `rows` municipalities for the thread-count tests: the shipped rows repeated, with
/// new ids and goal priorities drawn with a seeded generator around the four types' signatures
/// (about one municipality in a hundred leaves one goal unanswered).
fn generated_survey(dir: &Path, rows: usize, seed: u64) -> std::path::PathBuf {
    use rand::{Rng, SeedableRng};
    let base = shipped();
    let order: Vec<usize> = (0..rows).map(|i| i % base.len()).collect();
    let mut survey = base.select_rows(&order);
    let types = builtin_types();
    let goals = goal_names(&survey);
    let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(seed);
    for i in 0..rows {
        survey.ids_mut()[i] = format!("GEN-{i:05}");
        let t = &types[rng.gen_range(0..types.len())];
        let unanswered = rng.gen_bool(0.01).then(|| rng.gen_range(0..goals.len()));
        for (g, goal) in goals.iter().enumerate() {
            let value = if unanswered == Some(g) {
                None
            } else if t.signature.contains(goal) {
                Some(rng.gen_range(4..=5))
            } else {
                Some(rng.gen_range(1..=4))
            };
            survey.codes_mut(goal).unwrap().set(i, value);
        }
    }
    let path = dir.join(format!("generated-{rows}.csv"));
    let mut bytes = Vec::new();
    survey.write_csv(&mut bytes, &[]).unwrap();
    std::fs::write(&path, bytes).unwrap();
    path
}

/// Runs `typfrage --threads 1 cluster FILE ARGS` and `--threads 2` in `dir` and asserts that the
/// printed summary, the assignments and the model are the same bytes. Returns the summary and the
/// number of clustered municipalities.
fn cluster_with_one_and_two_threads(
    dir: &tempfile::TempDir,
    file: &Path,
    args: &[&str],
) -> (String, usize) {
    let mut outputs = Vec::new();
    for threads in ["1", "2"] {
        let out = format!("out{threads}");
        let summary = common::success_stdout(
            common::typfrage(dir)
                .args(["--threads", threads, "cluster"])
                .arg(file)
                .args(args)
                .args(["--out", &out]),
        );
        // all but the last line, which names the output folder
        let summary: String = summary
            .lines()
            .filter(|l| !l.starts_with("wrote "))
            .map(|l| format!("{l}\n"))
            .collect();
        let read = |name: &str| std::fs::read(dir.path().join(&out).join(name)).unwrap();
        outputs.push((summary, read("assignments.csv"), read("model.json")));
    }
    assert!(
        outputs[0].0 == outputs[1].0,
        "summaries differ:\n{}\n{}",
        outputs[0].0,
        outputs[1].0
    );
    assert!(outputs[0].1 == outputs[1].1, "assignments.csv differs");
    assert!(outputs[0].2 == outputs[1].2, "model.json differs");
    let clustered = read_csv(&dir.path().join("out1/assignments.csv"))
        .iter()
        .filter(|r| !r["type"].is_empty())
        .count();
    (outputs.swap_remove(0).0, clustered)
}

/// Above 8,192 rows the fast engine takes its distances, assignments (Hamerly's bounds) and
/// cluster sums in chunks and combines them in chunk order: the same bits with one thread or two.
/// (Through the library in two thread pools: the binary would spend most of its time on the exact
/// silhouettes of 10,000 rows, which run on one thread anyway.)
#[test]
fn chunked_k_means_gives_the_same_bits_with_one_and_two_threads() {
    use typfrage::cluster::{kmeans, synthetic, Algorithm, Engine, KMeansSettings, Partition};
    let x = synthetic(10_000, 11, 5);
    // six clusters in data around four centres: many rows move in the first iterations
    let settings = KMeansSettings {
        engine: Engine::Fast,
        algorithm: Algorithm::Lloyd,
        k: 6,
        seed: 9,
        n_init: 3,
        max_iter: 300,
        tolerance: 1e-6,
    };
    let fit_with = |threads: usize| -> Partition {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| kmeans(&x, &settings)).unwrap()
    };
    let (one, two) = (fit_with(1), fit_with(2));
    assert!(one.labels == two.labels, "the labels differ");
    assert_eq!(
        one.wss.to_bits(),
        two.wss.to_bits(),
        "{} {}",
        one.wss,
        two.wss
    );
    let bits = |p: &Partition| p.centroids.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&one), bits(&two));
    // every cluster is used: a real partition, not a degenerate one
    assert!((0..6).all(|c| one.labels.contains(&c)));
}

/// Above 20,000 clustered rows the silhouettes are the simplified ones: the same bytes with one
/// thread or two.
#[test]
fn simplified_silhouettes_give_the_same_bytes_with_one_and_two_threads() {
    let dir = common::tempdir();
    let file = generated_survey(dir.path(), 21_000, 11);
    let (summary, clustered) = cluster_with_one_and_two_threads(&dir, &file, &["--n-init", "2"]);
    assert!(clustered > 20_000, "{clustered} clustered");
    assert!(
        summary.contains(
            "(simplified: against centroids, as the clustered rows have more than 20000 distinct answer patterns)"
        ),
        "{summary}"
    );
}

/// The console tables pad the type names by characters, not bytes: "Die Bedächtigen" (15
/// characters, 16 bytes) lines up with the other rows.
#[test]
fn console_tables_pad_names_with_umlauts_by_characters() {
    let dir = common::tempdir();
    let text = common::success_stdout(
        common::typfrage(&dir)
            .arg("stability")
            .arg(common::shipped_survey())
            .args(["--resamples", "2", "--n-init", "5", "--out", "out"])
            .args(["--lang", "de"]),
    );
    // the cluster summary and the stability table (in German, where the names have umlauts):
    // each from its header to the next empty line or line that is not a row of the table
    let lines: Vec<&str> = text.lines().collect();
    let mut tables = 0;
    for (h, header) in lines.iter().enumerate() {
        // two right-aligned number columns of each table
        let headings: [&str; 2] = match header.split_whitespace().nth(1) {
            Some("n") if header.starts_with("Typ ") => ["n", "Anteil"],
            Some("Jaccard-Mittel") if header.starts_with("Typ ") => ["Jaccard-Mittel", "SD"],
            _ => continue,
        };
        tables += 1;
        let rows: Vec<&str> = lines[h + 1..]
            .iter()
            .take_while(|l| l.starts_with("Die "))
            .copied()
            .collect();
        assert_eq!(rows.len(), 4, "{text}");
        assert!(
            rows.iter().any(|r| r.starts_with("Die Bedächtigen ")),
            "{text}"
        );
        // each of those columns ends in the same character column as its heading (the header is
        // ASCII, so its byte offsets are character offsets)
        let ends = headings.map(|heading| {
            header.find(&format!(" {heading} ")).expect("a heading") + 1 + heading.len()
        });
        for row in &rows {
            let chars: Vec<char> = row.chars().collect();
            for &end in &ends {
                assert!(
                    chars[end - 1] != ' ' && chars[end] == ' ',
                    "column ending at character {end} of\n{header}\nis not aligned in\n{row}"
                );
            }
        }
    }
    assert_eq!(tables, 2, "{text}");
}

#[test]
fn shuffled_rows_give_the_same_named_partition_and_another_seed_the_same_names() {
    let dir = common::tempdir();
    common::typfrage(&dir)
        .arg("cluster")
        .arg(common::shipped_survey())
        .args(["--out", "a"])
        .assert()
        .success();
    // shuffled rows (reversed and interleaved) in a copy
    let text = std::fs::read_to_string(common::shipped_survey()).unwrap();
    let mut lines: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
    let header = lines.remove(0);
    let mut shuffled: Vec<&str> = lines.iter().rev().step_by(2).copied().collect();
    shuffled.extend(lines.iter().rev().skip(1).step_by(2));
    std::fs::write(
        dir.path().join("shuffled.csv"),
        format!("{header}\n{}\n", shuffled.join("\n")),
    )
    .unwrap();
    common::typfrage(&dir)
        .args(["cluster", "shuffled.csv", "--out", "b"])
        .assert()
        .success();
    let a = types_by_id(&dir.path().join("a/assignments.csv"));
    assert_eq!(a, types_by_id(&dir.path().join("b/assignments.csv")));
    // another seed may land in a neighbouring local optimum, but the types keep their names
    common::typfrage(&dir)
        .args(["cluster", "shuffled.csv", "--seed", "99", "--out", "c"])
        .assert()
        .success();
    let c = types_by_id(&dir.path().join("c/assignments.csv"));
    let same = a.iter().filter(|(id, t)| c[*id] == **t).count();
    assert!(
        same as f64 >= 0.95 * a.len() as f64,
        "{same} of {}",
        a.len()
    );
}

#[test]
fn classify_with_the_saved_model_reproduces_the_assignments_and_lists_switches() {
    let dir = common::tempdir();
    common::typfrage(&dir)
        .arg("cluster")
        .arg(common::shipped_survey())
        .args(["--out", "out"])
        .assert()
        .success();
    let text = common::success_stdout(
        common::typfrage(&dir)
            .args(["classify", "out/model.json"])
            .arg(common::shipped_survey())
            .args(["--previous", "out/assignments.csv", "--out", "again.csv"]),
    );
    let all = types_by_id(&dir.path().join("out/assignments.csv")).len();
    assert!(
        text.contains(&format!(
            "0 of the municipalities in out/assignments.csv switched type (of {all} municipalities in both files)"
        )),
        "{text}"
    );
    // the old-by-new table: rows the type before, columns the type now, with totals
    let header = text
        .lines()
        .find(|l| l.trim_start().starts_with("before \\ now"))
        .unwrap_or_else(|| panic!("no old-by-new table: {text}"));
    assert!(
        header.contains("The Deliberate") && header.ends_with("total"),
        "{header}"
    );
    let total = text
        .lines()
        .find(|l| l.trim_start().starts_with("total"))
        .unwrap();
    assert!(total.ends_with(&format!(" {all}")), "{total}");
    assert_eq!(
        types_by_id(&dir.path().join("again.csv")),
        types_by_id(&dir.path().join("out/assignments.csv"))
    );

    // a new wave in which one Bedächtige municipality now rates like a Community Manager
    let before = types_by_id(&dir.path().join("out/assignments.csv"));
    let mut survey = shipped();
    let row = survey
        .ids()
        .iter()
        .position(|id| before[id] == "bedaechtige")
        .unwrap();
    let id = survey.ids()[row].clone();
    for (goal, value) in [
        ("ziel_daseinsvorsorge", 5),
        ("ziel_gemeinschaft", 5),
        ("ziel_offenheit", 5),
        ("ziel_rechtliche_vorgaben", 1),
        ("ziel_foerdermittel", 1),
        ("ziel_it_sicherheit", 1),
    ] {
        survey.codes_mut(goal).unwrap().set(row, Some(value));
    }
    let mut bytes = Vec::new();
    survey.write_csv(&mut bytes, &[]).unwrap();
    std::fs::write(dir.path().join("wave2.csv"), bytes).unwrap();
    let out = common::typfrage(&dir)
        .args([
            "classify",
            "out/model.json",
            "wave2.csv",
            "--previous",
            "out/assignments.csv",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains(&format!(
            "1 of the municipalities in out/assignments.csv switched type (of {all} municipalities in both files)"
        )),
        "{text}"
    );
    // the switch in the table: a Deliberate one now a Community Manager, the rest on the diagonal
    let deliberate = text
        .lines()
        .skip_while(|l| !l.trim_start().starts_with("before \\ now"))
        .find(|l| l.trim_start().starts_with("The Deliberate"))
        .unwrap();
    let counts: Vec<usize> = deliberate
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    let kept = before.values().filter(|t| *t == "bedaechtige").count();
    assert_eq!(counts[0], kept - 1, "{deliberate}");
    assert_eq!(counts[3], 1, "{deliberate}");
    assert!(
        text.contains(&format!("{id}: bedaechtige -> community_manager")),
        "{text}"
    );
    assert!(dir.path().join("wave2-classified.csv").exists());
}

/// `typfrage choose-k` for k = 2..6 on four known clusters, into `out/`; its stdout.
fn choose_k_on_known_clusters(dir: &tempfile::TempDir) -> String {
    known_clusters(dir.path(), &interleaved());
    common::success_stdout(common::typfrage(dir).args([
        "choose-k",
        "known.csv",
        "--k-max",
        "6",
        "--n-init",
        "5",
        "--gap-refs",
        "5",
        "--out",
        "out",
    ]))
}

#[test]
fn choose_k_finds_four_in_known_clusters_and_draws_the_chart() {
    let dir = common::tempdir();
    let text = choose_k_on_known_clusters(&dir);
    assert!(text.contains("recommendation: k = 4"), "{text}");
    let png = std::fs::read(dir.path().join("out/choose-k.png")).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
    let height = u32::from_be_bytes(png[20..24].try_into().unwrap());
    assert_eq!((width, height), (1500, 900));
    let table = read_csv(&dir.path().join("out/choose-k.csv"));
    assert_eq!(
        table.iter().map(|r| r["k"].clone()).collect::<Vec<_>>(),
        ["2", "3", "4", "5", "6"]
    );
}

#[test]
fn the_choose_k_chart_is_written_with_its_numbers_and_chart_redraws_it() {
    let dir = common::tempdir();
    let text = choose_k_on_known_clusters(&dir);
    assert!(
        text.contains("wrote out/choose-k.png, out/choose-k.json and out/choose-k.csv"),
        "{text}"
    );
    let spec: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("out/choose-k.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(spec["version"], 1);
    assert_eq!(spec["kind"], "lines");
    assert_eq!(
        spec["lang"], "en",
        "the run's language, English in the C locale"
    );
    assert_eq!(spec["x"], serde_json::json!([2.0, 3.0, 4.0, 5.0, 6.0]));
    // the recommendation of the text output is the shaded k; every index marks the k it points to
    assert_eq!(spec["highlight"]["x"], 4.0);
    let panels = spec["panels"].as_array().unwrap();
    assert_eq!(panels.len(), 5);
    assert!(panels.iter().all(|p| p["mark"].is_f64()), "{panels:?}");
    assert!(
        spec["note"].as_str().unwrap().contains("known.csv"),
        "{spec}"
    );
    // the chart's numbers are the table of the indices
    let table = read_csv(&dir.path().join("out/choose-k.csv"));
    assert_eq!(table.len(), 5);
    let wss: Vec<f64> = table.iter().map(|r| r["wss"].parse().unwrap()).collect();
    assert!(wss.windows(2).all(|w| w[0] > w[1]), "{wss:?}");
    assert!(table
        .iter()
        .all(|r| r["gap_se"].parse::<f64>().unwrap() >= 0.0));
    // `typfrage chart` draws the same picture from the .json
    common::success_stdout(common::typfrage(&dir).args([
        "chart",
        "out/choose-k.json",
        "--out",
        "redrawn.png",
    ]));
    assert!(
        std::fs::read(dir.path().join("redrawn.png")).unwrap()
            == std::fs::read(dir.path().join("out/choose-k.png")).unwrap(),
        "the redrawn choose-k chart differs from the one choose-k drew"
    );
}

#[test]
fn stability_of_known_clusters_is_high() {
    let dir = common::tempdir();
    known_clusters(dir.path(), &interleaved());
    let out = common::typfrage(&dir)
        .args([
            "stability",
            "known.csv",
            "--resamples",
            "20",
            "--n-init",
            "3",
            "--out",
            "out",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows = read_csv(&dir.path().join("out/stability.csv"));
    assert_eq!(rows.len(), 20);
    for r in &rows {
        let ari: f64 = r["ari"].parse().unwrap();
        assert!(ari > 0.9, "{r:?}");
    }
}

#[test]
fn bad_options_give_clear_errors() {
    let dir = common::tempdir();
    // usage mistakes the argument parser cannot see exit 2; what depends on the data exits 1
    let cases: [(&[&str], i32, &str); 5] = [
        (&["--k", "1"], 2, "error: --k 1: expected at least 2 types (one type is no typology)"),
        (&["--k", "101"], 2, "error: --k 101: expected at most 100 types"),
        (&["--vars", "ziel_effizienz,ziel_glueck"], 2, "error: --vars: the codebook has no variable 'ziel_glueck'"),
        (&["--vars", "bundesland"], 1, "error: --vars: 'bundesland' is categorical and cannot be clustered; expected ordinal, binary or numeric variables"),
        (&["--n-init", "0"], 2, "error: --n-init 0: expected at least 1 k-means start"),
    ];
    for (args, code, message) in cases {
        let err = common::failure_stderr(
            common::typfrage(&dir)
                .arg("cluster")
                .arg(common::shipped_survey())
                .args(args)
                .args(["--out", "out"]),
            code,
        );
        assert!(err.starts_with(message), "{args:?}: {err}");
    }
    // k within the bound but not below the number of municipalities clustered
    let (header, rows) = common::shipped_rows();
    let mut w = csv::Writer::from_path(dir.path().join("few.csv")).unwrap();
    w.write_record(&header).unwrap();
    let goals: Vec<usize> = (0..header.len())
        .filter(|&i| header[i].starts_with("ziel_"))
        .collect();
    let complete = |r: &&Vec<String>| goals.iter().all(|&i| !matches!(r[i].as_str(), "" | "-9"));
    for row in rows.iter().filter(complete).take(50) {
        w.write_record(row).unwrap();
    }
    w.flush().unwrap();
    let err = common::failure_stderr(
        common::typfrage(&dir).args(["cluster", "few.csv", "--k", "50", "--out", "out"]),
        1,
    );
    assert!(
        err.starts_with("error: k = 50 is not possible with 50 rows; expected 2 <= k < 50"),
        "{err}"
    );
    assert!(
        !dir.path().join("out/assignments.csv").exists(),
        "no output after an error"
    );
}

#[test]
fn nothing_left_after_listwise_deletion_is_an_error() {
    let dir = common::tempdir();
    let mut survey = shipped().select_rows(&[0, 1, 2, 3, 4]);
    // each municipality leaves out another goal: none is complete, every goal has answers
    let goals = goal_names(&survey);
    for (row, goal) in goals.iter().take(5).enumerate() {
        survey.codes_mut(goal).unwrap().set(row, None);
    }
    let missing: usize = survey
        .codebook()
        .variables
        .iter()
        .filter(|v| v.name.starts_with("ziel_"))
        .map(|v| {
            survey
                .codes(&v.name)
                .unwrap()
                .iter()
                .filter(|c| c.is_none())
                .count()
        })
        .sum();
    let mut bytes = Vec::new();
    survey.write_csv(&mut bytes, &[]).unwrap();
    std::fs::write(dir.path().join("holes.csv"), bytes).unwrap();
    common::typfrage(&dir)
        .args(["cluster", "holes.csv"])
        .assert()
        .code(1)
        .stderr("error: no row is left to cluster after listwise deletion (5 left out)\n");
    // with mean imputation the same file clusters... but 5 municipalities allow at most k = 4
    common::typfrage(&dir)
        .args([
            "cluster",
            "holes.csv",
            "--missing",
            "mean",
            "--k",
            "2",
            "--n-init",
            "2",
        ])
        .assert()
        .success()
        .stdout(predicates::str::contains(format!(
            "{missing} missing answers replaced by the variable's mean"
        )));
}

#[test]
fn mean_imputation_of_a_goal_nobody_answered_is_an_error() {
    let dir = common::tempdir();
    let mut survey = shipped().select_rows(&[0, 1, 2, 3, 4, 5, 6, 7]);
    for row in 0..8 {
        survey.codes_mut("ziel_offenheit").unwrap().set(row, None);
    }
    let mut bytes = Vec::new();
    survey.write_csv(&mut bytes, &[]).unwrap();
    std::fs::write(dir.path().join("unanswered.csv"), bytes).unwrap();
    common::typfrage(&dir)
        .args(["cluster", "unanswered.csv", "--missing", "mean", "--k", "2"])
        .assert()
        .code(1)
        .stderr(
            "error: --missing mean: ziel_offenheit has no answer in any of the 8 rows, so it has \
             no mean to put in their place; expected at least one answer, or leave it out with \
             --vars\n",
        );
    assert!(!dir.path().join("unanswered-typfrage").exists());
}

#[test]
fn the_type_definitions_match_the_published_types() {
    let published = typfrage::figures::Published::builtin();
    let codebook = Codebook::builtin();
    let types = builtin_types();
    assert_eq!(types.len(), published.types.len());
    for (t, p) in types.iter().zip(&published.types) {
        assert_eq!(
            (&t.id, &t.name_de, &t.name_en),
            (&p.id, &p.name_de, &p.name_en)
        );
        // each signature variable is the codebook goal whose wording names the published goal
        let mut named: Vec<String> = t
            .signature
            .iter()
            .map(|v| {
                let var = codebook
                    .variable(v)
                    .unwrap_or_else(|| panic!("{v} is not in the codebook"));
                var.question_de.rsplit(" - ").next().unwrap().to_lowercase()
            })
            .collect();
        let mut goals: Vec<String> = p.goals.iter().map(|g| g.to_lowercase()).collect();
        named.sort();
        goals.sort();
        assert_eq!(named, goals, "{}", t.id);
    }
}

/// The fast path agrees with linfa-clustering, the reference.
#[test]
fn the_fast_engine_agrees_with_linfa() {
    use typfrage::cluster::{fit_fast, fit_linfa, Algorithm, Engine, KMeansSettings};
    // well separated blobs: the same partition
    let centers = [
        [0.0, 0.0, 0.0],
        [8.0, 0.0, 0.0],
        [0.0, 8.0, 0.0],
        [0.0, 0.0, 8.0],
    ];
    let x = ndarray::Array2::from_shape_fn((200, 3), |(i, j)| {
        centers[i % 4][j] + (((i * 31 + j * 17) % 13) as f64 - 6.0) / 6.0
    });
    let s = |engine| KMeansSettings {
        engine,
        algorithm: Algorithm::Lloyd,
        k: 4,
        seed: 3,
        n_init: 10,
        max_iter: 300,
        tolerance: 1e-8,
    };
    let a = fit_fast(&x, &s(Engine::Fast)).unwrap();
    let b = fit_linfa(&x, &s(Engine::Linfa)).unwrap();
    assert!((adjusted_rand_index(&a.labels, &b.labels) - 1.0).abs() < 1e-12);
    assert!((a.wss - b.wss).abs() < 1e-9 * b.wss);
    // the shipped survey: the same named types for nearly everyone, and no worse a fit
    let survey = shipped();
    let fit = |engine| {
        let options = typfrage::cluster::ClusterOptions {
            engine,
            ..Default::default()
        };
        typfrage::cluster::fit_typology(&survey, &options, &builtin_types()).unwrap()
    };
    let (fast, linfa) = (fit(Engine::Fast), fit(Engine::Linfa));
    assert!(
        fast.wss <= linfa.wss * 1.002,
        "fast {} linfa {}",
        fast.wss,
        linfa.wss
    );
    let ids = survey.ids();
    let by_id = |t: &typfrage::cluster::Typology| -> HashMap<String, String> {
        t.assignments
            .iter()
            .map(|a| (ids[a.row].clone(), t.types[a.type_index].name.id.clone()))
            .collect()
    };
    let (f, l) = (by_id(&fast), by_id(&linfa));
    let same = f.iter().filter(|(id, t)| l[*id] == **t).count();
    assert!(
        same as f64 >= 0.95 * f.len() as f64,
        "{same} of {}",
        f.len()
    );
}

/// Ward's clustering of more than 20,000 distinct answer patterns is refused with the limit, the
/// memory it would need and the way out, and no output folder; with --ward-sample it runs on a
/// seeded sample and says so, for hierarchy and cluster --start ward alike.
#[test]
fn ward_beyond_its_patterns_refuses_and_runs_on_a_seeded_sample() {
    let dir = common::tempdir();
    let file = generated_survey(dir.path(), 21_000, 11);
    let message = common::failure_stderr(
        common::typfrage(&dir)
            .args(["--lang", "en", "hierarchy"])
            .arg(&file)
            .args(["--out", "h"]),
        1,
    );
    assert!(
        message.contains("distinct answer patterns, more than the 20000 it takes"),
        "{message}"
    );
    assert!(message.contains("--ward-sample N"), "{message}");
    assert!(!dir.path().join("h").exists());
    let text = common::success_stdout(
        common::typfrage(&dir)
            .args(["--lang", "en", "hierarchy"])
            .arg(&file)
            .args(["--ward-sample", "1500", "--seed", "7", "--out", "h"]),
    );
    assert!(
        text.starts_with("Ward's clustering on a seeded sample of 1500 of the 20817 clustered municipalities (seed 7)"),
        "{text}"
    );
    let partition = common::csv_rows(&dir.path().join("h/partition.csv"));
    assert_eq!(partition.len(), 1500);
    // the sample in file order: the identifiers GEN-nnnnn ascend
    assert!(partition.windows(2).all(|w| w[0]["id"] < w[1]["id"]));
    let text = common::success_stdout(
        common::typfrage(&dir)
            .args(["--lang", "en", "cluster"])
            .arg(&file)
            .args(["--start", "ward", "--ward-sample", "1500", "--out", "c"]),
    );
    assert!(
        text.contains(
            "Ward's clustering on a seeded sample of 1500 of the 20817 municipalities (seed 2020)"
        ),
        "{text}"
    );
    assert_eq!(
        common::csv_rows(&dir.path().join("c/assignments.csv")).len(),
        21_000
    );
    let usage = common::failure_stderr(
        common::typfrage(&dir).arg("cluster").arg(&file).args([
            "--ward-sample",
            "1500",
            "--out",
            "c2",
        ]),
        2,
    );
    assert!(usage.contains("only drawn with --start ward"), "{usage}");
}

/// `hierarchy` names Ward's groups and the k-means groups by the types they match, as `cluster`
/// names its clusters: on the shipped survey every row and column of its cross-tab carries one of
/// the types' names (a doubtful one with a question mark), none a bare number.
#[test]
fn hierarchy_names_its_groups_by_the_types_they_match() {
    let dir = common::tempdir();
    common::success_stdout(
        common::typfrage(&dir)
            .args(["--lang", "en", "cluster"])
            .arg(common::shipped_survey())
            .args(["--n-init", "2", "--out", "c"]),
    );
    let names: std::collections::BTreeSet<String> = read_csv(&dir.path().join("c/assignments.csv"))
        .into_iter()
        .map(|r| r["type_name"].clone())
        .filter(|n| !n.is_empty())
        .collect();
    assert_eq!(names.len(), 4, "{names:?}");
    let text = common::success_stdout(
        common::typfrage(&dir)
            .args(["--lang", "en", "hierarchy"])
            .arg(common::shipped_survey())
            .args(["--out", "h"]),
    );
    let lines: Vec<&str> = text.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.trim_start().starts_with("Ward \\ k-means"))
        .unwrap_or_else(|| panic!("{text}"));
    let named = |label: &str| names.contains(label.trim().trim_end_matches('?'));
    // the column labels: the header after the corner, split where two or more spaces part them
    let header = lines[at].trim_start()["Ward \\ k-means".len()..].to_string();
    let columns: Vec<&str> = header
        .split("  ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    assert_eq!(columns.len(), 4, "{header}");
    assert!(columns.iter().all(|c| named(c)), "{columns:?} vs {names:?}");
    for line in &lines[at + 1..at + 5] {
        let label = line.trim_start().split("  ").next().unwrap();
        assert!(named(label), "{label:?} in {text}");
    }
    assert!(!text.contains("group 1"), "{text}");
}
