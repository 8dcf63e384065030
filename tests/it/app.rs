//! The application layer seen from the command line: requests recorded in manifests and re-run by
//! `verify` (whatever today's flags are called), usage mistakes that clap cannot see (exit 2 with a
//! suggestion), and the terminal text of the main commands, checked as snapshots.

use crate::common;

use crate::common::csv_rows;
use std::path::Path;

fn read_json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Replaces the temporary folder in a command's output, so that snapshots are stable.
fn without(text: &str, dir: &Path) -> String {
    text.replace(&dir.display().to_string(), "[dir]")
}

#[test]
fn a_profile_manifest_records_its_request_and_verifies() {
    let dir = common::tempdir();
    let survey = dir.path().join("survey.csv");
    std::fs::copy(common::shipped_survey(), &survey).unwrap();
    common::success_stdout(common::typfrage(&dir).args([
        "profile",
        "survey.csv",
        "--out",
        "p",
        "--n-init",
        "5",
        "--lang",
        "en",
        "--crosstab",
        "strategie_status",
    ]));
    let manifest = dir.path().join("p/manifest.json");
    let m = read_json(&manifest);
    assert_eq!(m["command"], "profile");
    assert_eq!(m["format"], 2);
    assert!(m.get("arguments").is_none(), "no command line is recorded");
    let request = &m["request"];
    assert_eq!(request["command"], "profile");
    assert_eq!(request["file"], "../survey.csv");
    assert_eq!(request["options"]["n_init"], 5);
    assert_eq!(request["report"]["lang"], "en");
    assert_eq!(request["report"]["crosstab_charts"][0], "strategie_status");
    assert!(
        request.get("out").is_none(),
        "the output folder is not recorded"
    );
    let text = common::success_stdout(common::typfrage(&dir).arg("verify").arg(&manifest));
    assert!(
        text.contains("verified: the re-run wrote the same"),
        "{text}"
    );
}

#[test]
fn verify_runs_the_recorded_request_not_the_command_line() {
    let dir = common::tempdir();
    common::success_stdout(
        common::typfrage(&dir)
            .arg("cluster")
            .arg(common::shipped_survey())
            .args(["--out", "t", "--n-init", "5", "--seed", "11"]),
    );
    let manifest = dir.path().join("t/manifest.json");
    let mut m = read_json(&manifest);

    // a request asking for another seed is run as asked, and its outputs differ
    m["request"]["options"]["seed"] = 12.into();
    std::fs::write(&manifest, serde_json::to_string_pretty(&m).unwrap()).unwrap();
    let err = common::failure_stderr(common::typfrage(&dir).arg("verify").arg(&manifest), 4);
    assert!(
        err.contains("differs: ") && err.contains("model.json"),
        "{err}"
    );
    assert!(
        err.contains("seed: the request runs with Some(12)"),
        "{err}"
    );

    // a request for another command than the manifest says is refused
    m["request"]["options"]["seed"] = 11.into();
    m["command"] = "figures".into();
    std::fs::write(&manifest, serde_json::to_string_pretty(&m).unwrap()).unwrap();
    let err = common::failure_stderr(common::typfrage(&dir).arg("verify").arg(&manifest), 1);
    assert!(
        err.contains("records the command 'figures' but a request for 'cluster'"),
        "{err}"
    );
}

#[test]
fn a_manifest_written_before_a_flag_rename_still_verifies() {
    // written by tests/fixtures/manifest-format-2/make.sh: verify must not depend on the flags
    let fixture = common::fixture("manifest-format-2");
    let dir = common::tempdir();
    for name in ["survey.csv", "codebook.toml", "types.toml"] {
        std::fs::copy(fixture.join(name), dir.path().join(name)).unwrap();
    }
    std::fs::create_dir(dir.path().join("out")).unwrap();
    for entry in std::fs::read_dir(fixture.join("out")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.path().join("out").join(entry.file_name())).unwrap();
    }
    let text = common::success_stdout(common::typfrage(&dir).args(["verify", "out/manifest.json"]));
    assert!(
        text.contains("verified: the re-run wrote the same 3 files"),
        "{text}"
    );
}

#[test]
fn verify_refuses_outputs_outside_its_folder_and_inputs_that_are_not_files() {
    let dir = common::tempdir();
    common::success_stdout(
        common::typfrage(&dir)
            .arg("cluster")
            .arg(common::shipped_survey())
            .args(["--out", "t", "--n-init", "2"]),
    );
    let manifest = dir.path().join("t/manifest.json");
    let original = read_json(&manifest);

    let mut m = original.clone();
    m["outputs"][0]["path"] = "../../etc/passwd".into();
    std::fs::write(&manifest, serde_json::to_string(&m).unwrap()).unwrap();
    let err = common::failure_stderr(common::typfrage(&dir).arg("verify").arg(&manifest), 1);
    assert!(err.contains("names the output '../../etc/passwd'"), "{err}");

    let mut m = original.clone();
    m["outputs"][0]["path"] = "/etc/passwd".into();
    std::fs::write(&manifest, serde_json::to_string(&m).unwrap()).unwrap();
    common::failure_stderr(common::typfrage(&dir).arg("verify").arg(&manifest), 1);

    // an input that is a device is refused before it is read (it would never end)
    let mut m = original.clone();
    m["request"]["file"] = "/dev/zero".into();
    m["inputs"][0]["path"] = "/dev/zero".into();
    std::fs::write(&manifest, serde_json::to_string(&m).unwrap()).unwrap();
    let err = common::failure_stderr(common::typfrage(&dir).arg("verify").arg(&manifest), 1);
    assert!(err.contains("not a regular file"), "{err}");

    // the request and the list of inputs must name the same survey
    let mut m = original.clone();
    m["request"]["file"] = "elsewhere.csv".into();
    std::fs::write(&manifest, serde_json::to_string(&m).unwrap()).unwrap();
    let err = common::failure_stderr(common::typfrage(&dir).arg("verify").arg(&manifest), 1);
    assert!(err.contains("name different files for the survey"), "{err}");

    // a manifest of an older format says so
    let mut m = original;
    m["format"] = 1.into();
    std::fs::write(&manifest, serde_json::to_string(&m).unwrap()).unwrap();
    let err = common::failure_stderr(common::typfrage(&dir).arg("verify").arg(&manifest), 1);
    assert!(err.contains("manifest format 1"), "{err}");
}

#[test]
fn usage_mistakes_clap_cannot_see_exit_2() {
    let dir = common::tempdir();
    let survey = common::shipped_survey();
    let cases: [(&[&str], &str); 7] = [
        (&["cluster", "--k", "0"], "--k 0: expected at least 2"),
        (&["cluster", "--k", "1"], "--k 1: expected at least 2"),
        (&["cluster", "--n-init", "0"], "--n-init 0"),
        (
            &["cluster", "--vars", "ziel_efizienz,ziel_offenheit"],
            "no variable 'ziel_efizienz'; did you mean 'ziel_effizienz'?",
        ),
        (
            &["profile", "--crosstab", "breitband"],
            "--crosstab: the codebook has no variable 'breitband'",
        ),
        (&["choose-k", "--gap-refs", "0"], "--gap-refs 0"),
        (
            &["choose-k", "--k-min", "5", "--k-max", "3"],
            "--k-min 5 --k-max 3",
        ),
    ];
    for (args, expected) in cases {
        let err = common::failure_stderr(
            common::typfrage(&dir)
                .arg(args[0])
                .arg(&survey)
                .args(&args[1..])
                .args(["--out", "never"]),
            2,
        );
        assert!(err.contains(expected), "{args:?}: {err}");
        assert!(!dir.path().join("never").exists(), "{args:?} wrote output");
    }
    let err = common::failure_stderr(
        common::typfrage(&dir)
            .args(["--threads", "0", "validate"])
            .arg(&survey),
        2,
    );
    assert!(err.contains("--threads 0: expected 1 to"), "{err}");
}

#[test]
fn the_help_text_lists_every_exit_code() {
    let dir = common::tempdir();
    let help = common::success_stdout(common::typfrage(&dir).arg("--help"));
    let codes = &help[help.find("Exit codes:").expect("an exit code list")..];
    insta::assert_snapshot!("exit_codes", codes);
}

#[test]
fn cluster_summary_on_the_shipped_data() {
    let dir = common::tempdir();
    let text = common::success_stdout(
        common::typfrage(&dir)
            .arg("cluster")
            .arg(common::shipped_survey())
            .args(["--out", "t"]),
    );
    let text = without(&text, dir.path()).replace(
        &common::shipped_survey().display().to_string(),
        "data/survey.csv",
    );
    insta::assert_snapshot!("cluster_summary", text);
}

#[test]
fn validate_summary_on_the_shipped_data() {
    let dir = common::tempdir();
    let text = common::success_stdout(
        common::typfrage(&dir)
            .arg("validate")
            .arg(common::shipped_survey()),
    );
    let text = text.replace(
        &common::shipped_survey().display().to_string(),
        "data/survey.csv",
    );
    insta::assert_snapshot!("validate_summary", text);
}

#[test]
fn an_output_that_is_an_input_is_refused_before_anything_is_written() {
    let dir = common::tempdir();
    let survey = dir.path().join("w.csv");
    std::fs::copy(common::shipped_survey(), &survey).unwrap();
    let original = std::fs::read(&survey).unwrap();
    common::success_stdout(
        common::typfrage(&dir).args(["cluster", "w.csv", "--out", "m", "--n-init", "2"]),
    );
    let model = std::fs::read(dir.path().join("m/model.json")).unwrap();
    let assignments = std::fs::read(dir.path().join("m/assignments.csv")).unwrap();

    for (args, named) in [
        (
            &["classify", "m/model.json", "w.csv", "--out", "w.csv"][..],
            "the survey",
        ),
        (
            &["classify", "m/model.json", "w.csv", "--out", "m/model.json"],
            "the model",
        ),
        (
            &[
                "classify",
                "m/model.json",
                "w.csv",
                "--previous",
                "m/assignments.csv",
                "--out",
                "./m/../m/assignments.csv",
            ],
            "the earlier assignments file",
        ),
        (
            &["cluster", "w.csv", "--out", "."],
            "that folder holds the survey",
        ),
        (
            &["figures", "w.csv", "--out", "."],
            "that folder holds the survey",
        ),
    ] {
        let err = common::failure_stderr(common::typfrage(&dir).args(args), 2);
        assert!(err.contains(named), "{args:?}: {err}");
    }
    assert_eq!(
        std::fs::read(&survey).unwrap(),
        original,
        "the survey is untouched"
    );
    assert_eq!(
        std::fs::read(dir.path().join("m/model.json")).unwrap(),
        model
    );
    assert_eq!(
        std::fs::read(dir.path().join("m/assignments.csv")).unwrap(),
        assignments
    );
}

/// SHA-256 of every file below `dir`, by relative path (hidden entries included).
fn snapshot_folder(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).unwrap().display().to_string();
                out.push((rel, std::fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// Entries of `dir` whose names start with a dot (staging folders, locks).
fn hidden_entries(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect()
}

#[test]
fn a_run_failing_after_any_output_leaves_the_result_folder_as_it_was() {
    let dir = common::tempdir();
    let survey = dir.path().join("s.csv");
    std::fs::copy(common::shipped_survey(), &survey).unwrap();
    common::success_stdout(common::typfrage(&dir).args([
        "cluster", "s.csv", "--out", "r", "--report", "--n-init", "3", "--k", "5",
    ]));
    let before = snapshot_folder(&dir.path().join("r"));
    let outputs = before.len();
    assert!(outputs > 30, "{outputs} files");
    // another run into the same folder (k = 4: fewer files), failing after 0, 3, 6, ... writes,
    // until it writes them all and succeeds
    let mut failed_runs = 0;
    for writes in (0..).step_by(3) {
        let out = common::typfrage(&dir)
            .env("TYPFRAGE_FAIL_AFTER_WRITES", writes.to_string())
            .args([
                "cluster", "s.csv", "--out", "r", "--report", "--n-init", "3",
            ])
            .output()
            .unwrap();
        if out.status.code() == Some(0) {
            break;
        }
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{writes}: {err}");
        assert!(err.contains("injected failure"), "{writes}: {err}");
        assert_eq!(
            snapshot_folder(&dir.path().join("r")),
            before,
            "after {writes} writes"
        );
        assert_eq!(
            hidden_entries(dir.path()),
            Vec::<String>::new(),
            "after {writes} writes"
        );
        if failed_runs == 0 {
            common::success_stdout(common::typfrage(&dir).args(["verify", "r/manifest.json"]));
        }
        failed_runs += 1;
    }
    assert!(
        failed_runs >= 5,
        "{failed_runs} runs failed before one succeeded"
    );

    // the run that succeeds replaces the folder: no file of the k = 5 run is left
    common::success_stdout(common::typfrage(&dir).args([
        "cluster", "s.csv", "--out", "r", "--report", "--n-init", "3",
    ]));
    let after = snapshot_folder(&dir.path().join("r"));
    assert!(after.len() < outputs, "{} files", after.len());
    assert!(
        after
            .iter()
            .all(|(name, _)| !name.contains("type_5") && !name.contains("cluster_5")),
        "{:?}",
        after.iter().map(|(n, _)| n).collect::<Vec<_>>()
    );
    assert_eq!(hidden_entries(dir.path()), Vec::<String>::new());
    common::success_stdout(common::typfrage(&dir).args(["verify", "r/manifest.json"]));
}

#[test]
fn a_second_run_into_a_locked_folder_and_a_foreign_folder_are_refused() {
    let dir = common::tempdir();
    let survey = dir.path().join("s.csv");
    std::fs::copy(common::shipped_survey(), &survey).unwrap();
    // a lock held by a running process (this test's own) refuses the run
    std::fs::write(
        dir.path().join(".r.typfrage-lock"),
        format!("{}\n", std::process::id()),
    )
    .unwrap();
    let err = common::failure_stderr(
        common::typfrage(&dir).args(["cluster", "s.csv", "--out", "r", "--n-init", "2"]),
        2,
    );
    assert!(err.contains("another typfrage run"), "{err}");
    assert!(!dir.path().join("r").exists());
    // a lock left by a process that no longer runs is taken over
    std::fs::write(dir.path().join(".r.typfrage-lock"), "4294967\n").unwrap();
    common::success_stdout(
        common::typfrage(&dir).args(["cluster", "s.csv", "--out", "r", "--n-init", "2"]),
    );
    assert!(!dir.path().join(".r.typfrage-lock").exists());

    std::fs::create_dir(dir.path().join("mine")).unwrap();
    std::fs::write(dir.path().join("mine/notes.txt"), "my notes").unwrap();
    let err = common::failure_stderr(
        common::typfrage(&dir).args(["figures", "s.csv", "--out", "mine"]),
        2,
    );
    assert!(err.contains("did not write (such as 'notes.txt')"), "{err}");
    assert_eq!(
        std::fs::read_dir(dir.path().join("mine")).unwrap().count(),
        1
    );
}

#[test]
fn classify_refuses_a_model_that_does_not_hold_together() {
    let dir = common::tempdir();
    common::success_stdout(
        common::typfrage(&dir)
            .arg("cluster")
            .arg(common::shipped_survey())
            .args(["--out", "m", "--n-init", "2"]),
    );
    let original = read_json(&dir.path().join("m/model.json"));
    type Edit = fn(&mut serde_json::Value);
    let cases: [(Edit, &str); 7] = [
        (
            |m| {
                for s in m["scaling"]["scale"].as_array_mut().unwrap() {
                    *s = 0.0.into();
                }
            },
            "expected finite numbers and a scale above 0",
        ),
        (|m| m["scaling"]["scale"][3] = (-1.0).into(), "scale -1"),
        (
            |m| m["types"][1]["id"] = m["types"][0]["id"].clone(),
            "is saved twice",
        ),
        (|m| m["k"] = 7.into(), "k is 7 but 4 types are saved"),
        (|m| m["k"] = 0.into(), "k is 0 but 4 types are saved"),
        (
            |m| m["missing"] = "mean".into(),
            "no imputation means are saved",
        ),
        (
            |m| m["tool"] = "other".into(),
            "written by 'other', not typfrage",
        ),
    ];
    for (i, (edit, expected)) in cases.into_iter().enumerate() {
        let mut m = original.clone();
        edit(&mut m);
        let path = dir.path().join(format!("model-{i}.json"));
        std::fs::write(&path, serde_json::to_string(&m).unwrap()).unwrap();
        let err = common::failure_stderr(
            common::typfrage(&dir)
                .arg("classify")
                .arg(&path)
                .arg(common::shipped_survey())
                .args(["--out", "c.csv"]),
            1,
        );
        assert!(err.contains(expected), "case {i}: {err}");
        assert!(!dir.path().join("c.csv").exists(), "case {i} wrote output");
    }
}

#[test]
fn more_types_than_distinct_answer_patterns_is_an_error_and_choose_k_warns() {
    let dir = common::tempdir();
    // the shipped survey with every municipality's goals set to one of three patterns
    let text = std::fs::read_to_string(common::shipped_survey()).unwrap();
    let mut lines = text.lines();
    let mut out: Vec<String> = Vec::new();
    let header: Vec<String> = loop {
        let line = lines.next().unwrap();
        out.push(line.to_string());
        if !line.starts_with('#') {
            break line.split(',').map(str::to_string).collect();
        }
    };
    let goals: Vec<usize> = (0..header.len())
        .filter(|&i| header[i].starts_with("ziel_"))
        .collect();
    for (row, line) in lines.enumerate() {
        let mut cells: Vec<String> = line.split(',').map(str::to_string).collect();
        for &g in &goals {
            cells[g] = (1 + row % 3).to_string();
        }
        out.push(cells.join(","));
    }
    std::fs::write(dir.path().join("three.csv"), out.join("\n") + "\n").unwrap();
    let err = common::failure_stderr(
        common::typfrage(&dir).args(["cluster", "three.csv", "--out", "r"]),
        1,
    );
    assert!(err.contains("only 3 distinct answer patterns"), "{err}");
    assert!(!dir.path().join("r/assignments.csv").exists());

    let out = common::typfrage(&dir)
        .args([
            "choose-k",
            "three.csv",
            "--out",
            "k",
            "--gap-refs",
            "2",
            "--n-init",
            "2",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("only 3 distinct answer patterns"), "{err}");
}

#[test]
fn hierarchy_writes_the_merges_r_reports_for_ward_d2() {
    // tests/reference/ward_merges_file_order.csv: hclust(dist(x), "ward.D2") in R 4.2.2 on the
    // shipped goals in the order of the file (tests/reference/ward_mclust.R); the goal priorities
    // of the stand-in data are those of the recorded fixture
    let dir = common::tempdir();
    let text = common::success_stdout(
        common::typfrage(&dir)
            .arg("hierarchy")
            .arg(common::shipped_survey())
            .args(["--out", "h"]),
    );
    assert!(text.contains("adjusted Rand index"), "{text}");
    let ours = csv_rows(&dir.path().join("h/merges.csv"));
    let r = csv_rows(&common::root().join("tests/reference/ward_merges_file_order.csv"));
    assert_eq!(ours.len(), r.len());
    for (a, b) in ours.iter().zip(&r) {
        assert_eq!((&a["a"], &a["b"]), (&b["a"], &b["b"]), "step {}", a["step"]);
        let (x, y): (f64, f64) = (a["height"].parse().unwrap(), b["height"].parse().unwrap());
        assert!(
            (x - y).abs() <= 1e-9 * y.abs(),
            "step {}: {x} vs {y}",
            a["step"]
        );
    }
    let partition = csv_rows(&dir.path().join("h/partition.csv"));
    assert_eq!(partition.len(), ours.len() + 1);
}

#[test]
fn mixture_writes_bic_by_k_and_model_as_mclust_counts_it() {
    // tests/reference/mclust_bic.csv: Mclust(x, G = 2:8) in R (mclust 6.0.0) on the shipped goals
    let dir = common::tempdir();
    let text = common::success_stdout(
        common::typfrage(&dir)
            .arg("mixture")
            .arg(common::shipped_survey())
            .args([
                "--out", "m", "--k-max", "4", "--models", "EII,VII", "--n-init", "5",
            ]),
    );
    assert!(text.contains("best with k types"), "{text}");
    let ours = csv_rows(&dir.path().join("m/bic.csv"));
    assert_eq!(ours.len(), 3 * 2);
    let r = csv_rows(&common::root().join("tests/reference/mclust_bic.csv"));
    for row in &ours {
        let theirs = r
            .iter()
            .find(|x| x["k"] == row["k"] && x["model"] == row["model"])
            .expect("mclust fitted the same model");
        assert_eq!(row["n_params"], theirs["df"], "{row:?}");
        let (a, b): (f64, f64) = (row["bic"].parse().unwrap(), theirs["bic"].parse().unwrap());
        // as good as mclust's optimum or better, and within 0.1 % of it
        assert!(a >= b - 0.001 * b.abs(), "{row:?}: {a} vs mclust {b}");
    }
    let err = common::failure_stderr(
        common::typfrage(&dir)
            .arg("mixture")
            .arg(common::shipped_survey())
            .args(["--models", "XYZ"]),
        2,
    );
    assert!(err.contains("'XYZ' is not one of EII"), "{err}");
}

#[test]
fn two_runs_into_one_folder_at_once_never_mix_their_files() {
    let dir = common::tempdir();
    std::fs::copy(common::shipped_survey(), dir.path().join("s.csv")).unwrap();
    for round in 0..3 {
        let spawn = |seed: &str| {
            std::process::Command::new(assert_cmd::cargo::cargo_bin("typfrage"))
                .current_dir(dir.path())
                .env_remove("LC_ALL")
                .env_remove("LC_MESSAGES")
                .env("LANG", "C")
                .args([
                    "cluster", "s.csv", "--out", "r", "--report", "--n-init", "2", "--seed", seed,
                ])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (a, b) = (spawn("1"), spawn("2"));
        for child in [a, b] {
            let out = child.wait_with_output().unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            match out.status.code() {
                Some(0) => {}
                Some(2) => assert!(err.contains("another typfrage run"), "{err}"),
                other => panic!("round {round}: exit {other:?}: {err}"),
            }
        }
        // whichever run committed last, the folder is one run's, whole
        common::success_stdout(common::typfrage(&dir).args(["verify", "r/manifest.json"]));
        assert_eq!(
            hidden_entries(dir.path()),
            Vec::<String>::new(),
            "round {round}"
        );
    }
}
