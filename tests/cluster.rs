//! `typfrage cluster`, `choose-k`, `stability` and `classify` on the shipped data and on surveys
//! with known clusters.

mod common;

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

/// The goal priorities' variable names, in codebook order.
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
            survey.codes_mut(goal).unwrap()[i] = Some(value);
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
    for name in [
        "Die Bedächtigen",
        "Die Optimierer",
        "Die Serviceorientierten",
        "Die Community Manager",
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
    let mut outputs = Vec::new();
    for threads in ["1", "2"] {
        let out = format!("out{threads}");
        common::typfrage(&dir)
            .args(["--threads", threads, "cluster"])
            .arg(common::shipped_survey())
            .args(["--out", &out])
            .assert()
            .success();
        outputs.push((
            std::fs::read(dir.path().join(&out).join("assignments.csv")).unwrap(),
            std::fs::read(dir.path().join(&out).join("model.json")).unwrap(),
        ));
    }
    assert!(outputs[0] == outputs[1]);
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
    assert!(
        text.contains("0 of the municipalities in out/assignments.csv switched type"),
        "{text}"
    );
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
        survey.codes_mut(goal).unwrap()[row] = Some(value);
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
        text.contains("1 of the municipalities in out/assignments.csv switched type"),
        "{text}"
    );
    assert!(
        text.contains(&format!("{id}: bedaechtige -> community_manager")),
        "{text}"
    );
    assert!(dir.path().join("wave2-classified.csv").exists());
}

#[test]
fn choose_k_finds_four_in_known_clusters_and_draws_the_chart() {
    let dir = common::tempdir();
    known_clusters(dir.path(), &interleaved());
    let text = common::success_stdout(common::typfrage(&dir).args([
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
    ]));
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
    let cases: [(&[&str], &str); 5] = [
        (&["--k", "1"], "error: k = 1 is not possible with 388 municipalities; expected 2 <= k < 388"),
        (&["--k", "388"], "error: k = 388 is not possible with 388 municipalities; expected 2 <= k < 388"),
        (&["--vars", "ziel_effizienz,ziel_glueck"], "error: --vars: 'ziel_glueck' is not a codebook variable"),
        (&["--vars", "bundesland"], "error: --vars: 'bundesland' is categorical and cannot be clustered; expected ordinal, binary or numeric variables"),
        (&["--n-init", "0"], "error: --n-init must be at least 1"),
    ];
    for (args, message) in cases {
        common::typfrage(&dir)
            .arg("cluster")
            .arg(common::shipped_survey())
            .args(args)
            .args(["--out", "out"])
            .assert()
            .code(1)
            .stderr(format!("{message}\n"));
    }
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
        survey.codes_mut(goal).unwrap()[row] = None;
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
        .stderr("error: no municipality is left to cluster after listwise deletion (5 left out)\n");
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
        survey.codes_mut("ziel_offenheit").unwrap()[row] = None;
    }
    let mut bytes = Vec::new();
    survey.write_csv(&mut bytes, &[]).unwrap();
    std::fs::write(dir.path().join("unanswered.csv"), bytes).unwrap();
    common::typfrage(&dir)
        .args(["cluster", "unanswered.csv", "--missing", "mean", "--k", "2"])
        .assert()
        .code(1)
        .stderr(
            "error: --missing mean: no municipality answered ziel_offenheit (8 rows, all without \
             an answer), so it has no mean to put in their place; expected at least one answer, \
             or leave it out with --vars\n",
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
    use typfrage::cluster::{fit_fast, fit_linfa, Engine, KMeansSettings};
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
    let by_id = |t: &typfrage::cluster::Typology| -> HashMap<String, String> {
        t.assignments
            .iter()
            .map(|a| (a.id.clone(), t.types[a.type_index].name.id.clone()))
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
