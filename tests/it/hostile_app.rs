//! Hostile manifests, requests, models and paths at the application level (issue 27): `verify`
//! re-runs what a manifest's command wrote and only that (no `save_into`, no unlisted or special
//! input, no parameter the command line refuses, nothing written outside its temporary folder);
//! `--save-into` is part of the result; every file a command writes is checked against its
//! inputs; models, type ids and parameters are bounded. Each test is named after the finding it
//! protects and failed before the fix.

use crate::common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn read_json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn write_json(path: &Path, value: &serde_json::Value) {
    std::fs::write(path, serde_json::to_string_pretty(value).unwrap()).unwrap();
}

/// Every file and folder below `dir`, relative to it.
fn tree(dir: &Path) -> BTreeSet<PathBuf> {
    let mut out = BTreeSet::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            out.insert(path.strip_prefix(dir).unwrap().to_path_buf());
            if path.is_dir() {
                stack.push(path);
            }
        }
    }
    out
}

/// `cluster` of the shipped survey (copied into `dir` as `s.csv`) into `dir/r`, with few starts;
/// returns the manifest's path.
fn clustered(dir: &tempfile::TempDir) -> PathBuf {
    std::fs::copy(common::shipped_survey(), dir.path().join("s.csv")).unwrap();
    common::success_stdout(
        common::typfrage(dir).args(["cluster", "s.csv", "--out", "r", "--n-init", "2"]),
    );
    dir.path().join("r/manifest.json")
}

/// Runs `verify` on `manifest` with the temporary folder inside `dir/tmp`, and asserts that it
/// exits with `code` and leaves every file of `dir` as it was (nothing written, nothing left
/// behind); returns stderr.
fn verify_writes_nothing(dir: &tempfile::TempDir, manifest: &Path, code: i32) -> String {
    let tmp = dir.path().join("tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    let before: Vec<(PathBuf, Option<Vec<u8>>)> = tree(dir.path())
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(dir.path().join(&p)).ok();
            (p, bytes)
        })
        .collect();
    let err = common::failure_stderr(
        common::typfrage(dir)
            .env("TMPDIR", &tmp)
            .arg("verify")
            .arg(manifest),
        code,
    );
    let after: Vec<(PathBuf, Option<Vec<u8>>)> = tree(dir.path())
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(dir.path().join(&p)).ok();
            (p, bytes)
        })
        .collect();
    assert!(before == after, "verify changed the folder: {err}");
    err
}

#[test]
fn verify_after_a_run_with_a_mapping_verifies() {
    let dir = common::tempdir();
    for name in ["survey-limesurvey.sav", "limesurvey-map.toml"] {
        std::fs::copy(common::fixture("formats").join(name), dir.path().join(name)).unwrap();
    }
    common::success_stdout(common::typfrage(&dir).args([
        "cluster",
        "survey-limesurvey.sav",
        "--mapping",
        "limesurvey-map.toml",
        "--out",
        "r",
        "--n-init",
        "2",
    ]));
    let m = read_json(&dir.path().join("r/manifest.json"));
    assert_eq!(m["request"]["mapping"], "../limesurvey-map.toml");
    let text = common::success_stdout(common::typfrage(&dir).args(["verify", "r/manifest.json"]));
    assert!(
        text.contains("verified: the re-run wrote the same"),
        "{text}"
    );
    // from another working folder too: the paths are the manifest's, not the working folder's
    std::fs::create_dir(dir.path().join("elsewhere")).unwrap();
    let text = common::success_stdout(
        common::typfrage(&dir)
            .current_dir(dir.path().join("elsewhere"))
            .args(["verify", "../r/manifest.json"]),
    );
    assert!(text.contains("verified"), "{text}");
    // a changed mapping is an input that differs
    let map = dir.path().join("limesurvey-map.toml");
    let text = std::fs::read_to_string(&map).unwrap() + "\n# edited\n";
    std::fs::write(&map, text).unwrap();
    let err = common::failure_stderr(
        common::typfrage(&dir).args(["verify", "r/manifest.json"]),
        4,
    );
    assert!(err.contains("mapping ("), "{err}");
}

#[test]
fn verify_refuses_a_manifest_whose_request_carries_save_into() {
    let dir = common::tempdir();
    let manifest = clustered(&dir);
    let victim = dir.path().join("victim.csv");
    std::fs::write(&victim, "precious\n").unwrap();
    let mut m = read_json(&manifest);
    m["request"]["save_into"] = "../victim.csv".into();
    write_json(&manifest, &m);
    let err = verify_writes_nothing(&dir, &manifest, 1);
    assert!(err.contains("refused"), "{err}");
    assert!(err.contains("save_into"), "{err}");
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious\n");
    // nor is a copy created where none was
    m["request"]["save_into"] = "../new.csv".into();
    write_json(&manifest, &m);
    verify_writes_nothing(&dir, &manifest, 1);
}

#[test]
fn verify_refuses_a_mapping_that_the_manifest_does_not_list_or_that_is_no_regular_file() {
    let dir = common::tempdir();
    let manifest = clustered(&dir);
    let original = read_json(&manifest);
    std::fs::write(
        dir.path().join("secret.toml"),
        "password = hunter2 [\nmore\n",
    )
    .unwrap();

    // a mapping the list of inputs does not hold: its first line must never be printed
    let mut m = original.clone();
    m["request"]["mapping"] = "../secret.toml".into();
    write_json(&manifest, &m);
    let err = verify_writes_nothing(&dir, &manifest, 1);
    assert!(err.contains("refused"), "{err}");
    assert!(err.contains("mapping"), "{err}");
    assert!(!err.contains("hunter2"), "{err}");

    // a device listed as the mapping is refused before it is read (it would never end)
    let mut m = original.clone();
    m["request"]["mapping"] = "/dev/zero".into();
    m["inputs"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({"role": "mapping", "path": "/dev/zero", "sha256": "00"}));
    write_json(&manifest, &m);
    let err = verify_writes_nothing(&dir, &manifest, 1);
    assert!(err.contains("not a regular file"), "{err}");

    // a mapping listed with another path than the request's
    let mut m = original;
    m["request"]["mapping"] = "../secret.toml".into();
    m["inputs"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({"role": "mapping", "path": "../other.toml", "sha256": "00"}));
    write_json(&manifest, &m);
    let err = verify_writes_nothing(&dir, &manifest, 1);
    assert!(
        err.contains("name different files for the mapping"),
        "{err}"
    );
    assert!(!err.contains("hunter2"), "{err}");
}

#[test]
fn verify_refuses_request_parameters_beyond_the_command_lines_bounds() {
    let dir = common::tempdir();
    let manifest = clustered(&dir);
    let original = read_json(&manifest);
    for (field, value, named) in [
        (
            "n_init",
            serde_json::json!(1_000_000_000u64),
            "--n-init 1000000000",
        ),
        ("max_iter", serde_json::json!(u64::MAX), "max_iter"),
        ("k", serde_json::json!(1_000_000u64), "--k 1000000"),
        ("tolerance", serde_json::json!(-1.0), "tolerance"),
        (
            "vars",
            serde_json::json!(["ziel_effizienz", "ziel_effizienz"]),
            "--vars",
        ),
    ] {
        let mut m = original.clone();
        m["request"]["options"][field] = value;
        write_json(&manifest, &m);
        let err = verify_writes_nothing(&dir, &manifest, 1);
        assert!(err.contains("refused"), "{field}: {err}");
        assert!(err.contains(named), "{field}: {err}");
    }
    // an output folder in the request is refused, not followed
    let mut m = original;
    m["request"]["out"] = "../elsewhere".into();
    write_json(&manifest, &m);
    let err = verify_writes_nothing(&dir, &manifest, 1);
    assert!(err.contains("output folder"), "{err}");
}

#[test]
fn verify_of_a_tampered_manifest_writes_nothing_and_a_good_one_leaves_nothing_behind() {
    let dir = common::tempdir();
    let manifest = clustered(&dir);
    // the re-run's lock and staging folder stay inside verify's temporary folder, which goes
    let tmp = dir.path().join("tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    let before = tree(dir.path());
    common::success_stdout(
        common::typfrage(&dir)
            .env("TMPDIR", &tmp)
            .arg("verify")
            .arg(&manifest),
    );
    assert_eq!(tree(dir.path()), before);
    // a request for a command that writes no manifest is not run
    let mut m = read_json(&manifest);
    m["command"] = "synth".into();
    m["request"] = serde_json::json!({
        "command": "synth", "seed": 1, "rows": 10, "out": "../synth.csv", "types_out": "../t.csv"
    });
    write_json(&manifest, &m);
    let err = verify_writes_nothing(&dir, &manifest, 1);
    assert!(err.contains("cannot re-run 'synth'"), "{err}");
}

#[test]
fn unbounded_parameters_are_refused_on_the_command_line() {
    // the survey inside the temporary folder, so that a command that is not refused writes there
    let dir = common::tempdir();
    std::fs::copy(common::shipped_survey(), dir.path().join("s.csv")).unwrap();
    let s = "s.csv";
    for (args, named) in [
        (
            vec!["cluster", s, "--n-init", "1000000000"],
            "--n-init 1000000000",
        ),
        (vec!["cluster", s, "--k", "1000000"], "--k 1000000"),
        (
            vec!["cluster", s, "--vars", "ziel_effizienz,ziel_effizienz"],
            "named twice",
        ),
        (
            vec!["choose-k", s, "--gap-refs", "100000000"],
            "--gap-refs 100000000",
        ),
        (vec!["choose-k", s, "--k-max", "100000"], "--k-max 100000"),
        (
            vec!["stability", s, "--resamples", "100000000"],
            "--resamples 100000000",
        ),
        (vec!["mixture", s, "--k-max", "100000"], "--k-max 100000"),
        (vec!["mixture", s, "--models", "EII,EII"], "named twice"),
        (
            vec!["profile", s, "--crosstab", "bundesland,bundesland"],
            "named twice",
        ),
        (vec!["synth", "--rows", "0"], "--rows 0"),
        (
            vec!["synth", "--rows", "100000000000"],
            "--rows 100000000000",
        ),
    ] {
        let err = common::failure_stderr(common::typfrage(&dir).args(&args), 2);
        assert!(err.contains(named), "{args:?}: {err}");
    }
    let written = tree(dir.path());
    assert!(
        written.len() == 1 && written.contains(Path::new("s.csv")),
        "{written:?}"
    );
}

#[test]
fn save_into_inside_the_output_folder_is_refused_before_anything_is_written() {
    let dir = common::tempdir();
    let manifest = clustered(&dir);
    let assignments = dir.path().join("r/assignments.csv");
    let before = std::fs::read(&assignments).unwrap();
    for copy in ["r/assignments.csv", "r/copy.csv", "r/sub/copy.csv"] {
        let err = common::failure_stderr(
            common::typfrage(&dir).args([
                "cluster",
                "s.csv",
                "--out",
                "r",
                "--n-init",
                "3",
                "--save-into",
                copy,
            ]),
            2,
        );
        assert!(err.contains("output folder"), "{copy}: {err}");
        assert!(err.contains("nothing was written"), "{err}");
    }
    assert_eq!(std::fs::read(&assignments).unwrap(), before);
    assert_eq!(read_json(&manifest)["request"]["options"]["n_init"], 2);
}

#[test]
fn a_save_into_copy_that_cannot_be_written_leaves_the_result_folder_uncommitted() {
    let dir = common::tempdir();
    let manifest = clustered(&dir);
    let before = std::fs::read(&manifest).unwrap();
    // the copy's folder is a file, so the copy cannot be written
    std::fs::write(dir.path().join("blocked"), "a file, not a folder").unwrap();
    common::failure_stderr(
        common::typfrage(&dir).args([
            "cluster",
            "s.csv",
            "--out",
            "r",
            "--n-init",
            "3",
            "--save-into",
            "blocked/copy.csv",
        ]),
        1,
    );
    assert_eq!(
        std::fs::read(&manifest).unwrap(),
        before,
        "the folder was committed"
    );
    // and into a new folder: none is made
    common::failure_stderr(
        common::typfrage(&dir).args([
            "cluster",
            "s.csv",
            "--out",
            "new",
            "--n-init",
            "3",
            "--save-into",
            "blocked/copy.csv",
        ]),
        1,
    );
    assert!(!dir.path().join("new").exists());
}

#[test]
fn position_refuses_a_markdown_sheet_whose_chart_would_overwrite_an_input() {
    let dir = common::tempdir();
    clustered(&dir);
    // the model named as the chart of the sheet `m.md` would be
    std::fs::copy(
        dir.path().join("r/model.json"),
        dir.path().join("m-chart.svg"),
    )
    .unwrap();
    let before = std::fs::read(dir.path().join("m-chart.svg")).unwrap();
    let err = common::failure_stderr(
        common::typfrage(&dir).args([
            "position",
            "m-chart.svg",
            "--from",
            "s.csv",
            "--id",
            "SYN-0001",
            "--out",
            "m.md",
        ]),
        2,
    );
    assert!(err.contains("m-chart.svg"), "{err}");
    assert!(err.contains("model"), "{err}");
    assert_eq!(
        std::fs::read(dir.path().join("m-chart.svg")).unwrap(),
        before
    );
    assert!(!dir.path().join("m.md").exists());
}

/// The shipped survey with the first municipality's identifier replaced by `id`.
fn survey_with_first_id(id: &str) -> String {
    let mut out = String::new();
    for (i, line) in common::shipped_survey_body().lines().enumerate() {
        if i == 1 {
            let (_, rest) = line.split_once(',').unwrap();
            out.push_str(&format!("{id},{rest}"));
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

#[test]
fn feedback_with_an_identifier_longer_than_a_chart_title_writes_every_sheet() {
    let dir = common::tempdir();
    let long = "Verbandsgemeinde".repeat(150);
    std::fs::write(dir.path().join("s.csv"), survey_with_first_id(&long)).unwrap();
    common::success_stdout(
        common::typfrage(&dir).args(["cluster", "s.csv", "--out", "r", "--n-init", "2"]),
    );
    let text = common::success_stdout(common::typfrage(&dir).args([
        "feedback",
        "r/model.json",
        "s.csv",
        "--out",
        "fb",
    ]));
    assert!(text.contains("388 sheets"), "{text}");
    let sheet = std::fs::read_dir(dir.path().join("fb"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("0001-")
        })
        .expect("the sheet of the municipality with the long identifier");
    let page = std::fs::read_to_string(sheet).unwrap();
    // whole in the heading, shortened (and marked so) in the chart
    assert!(
        page.contains(&long),
        "the heading shows the identifier whole"
    );
    assert!(page.contains('…'), "the chart's title says it is shortened");
}

/// A model of the shipped survey (in `dir/r`), edited by `edit` and written as `dir/edited.json`.
fn edited_model(dir: &tempfile::TempDir, edit: impl Fn(&mut serde_json::Value)) -> PathBuf {
    if !dir.path().join("r/model.json").exists() {
        clustered(dir);
    }
    let mut model = read_json(&dir.path().join("r/model.json"));
    edit(&mut model);
    let path = dir.path().join("edited.json");
    write_json(&path, &model);
    path
}

#[test]
fn the_self_check_page_embeds_type_names_that_cannot_close_or_comment_out_its_script() {
    let dir = common::tempdir();
    let names = ["<!--<script>", "</script><b>x</b>", "a & b 'c' \u{2028}"];
    let model = edited_model(&dir, |m| {
        for (t, name) in m["types"].as_array_mut().unwrap().iter_mut().zip(names) {
            t["name_de"] = name.into();
            t["name_en"] = name.into();
        }
    });
    common::success_stdout(common::typfrage(&dir).arg("selfcheck").arg(&model).args([
        "--out",
        "page.html",
        "--lang",
        "en",
    ]));
    let page = std::fs::read_to_string(dir.path().join("page.html")).unwrap();
    let open = "<script type=\"application/json\" id=\"model\">";
    let start = page.find(open).unwrap() + open.len();
    let data = &page[start..start + page[start..].find("</script>").unwrap()];
    for c in ['<', '>', '&', '\'', '\u{2028}'] {
        assert!(!data.contains(c), "the embedded JSON holds a raw {c:?}");
    }
    // the same JSON to a parser: every name is there as written
    let value: serde_json::Value = serde_json::from_str(data).unwrap();
    let text = value.to_string();
    for name in names {
        assert!(text.contains(name), "{name:?} is not in the page's data");
    }
    // the page's own script comes after the data, once
    assert_eq!(page.matches("<script>").count(), 1);
}

/// An edit of a model's JSON.
type Edit = Box<dyn Fn(&mut serde_json::Value)>;

#[test]
fn a_model_with_huge_centres_tiny_scales_or_a_variable_listed_twice_is_refused() {
    let dir = common::tempdir();
    let cases: [(&str, Edit); 4] = [
        (
            "centroid",
            Box::new(|m| m["types"][0]["centroid_scaled"][0] = 1e200.into()),
        ),
        (
            "scale",
            Box::new(|m| m["scaling"]["scale"][0] = 1e-300.into()),
        ),
        (
            "centre",
            Box::new(|m| m["scaling"]["center"][0] = 1e200.into()),
        ),
        (
            "listed twice",
            Box::new(|m| {
                let first = m["variables"][0].clone();
                m["variables"][1] = first;
            }),
        ),
    ];
    for (what, edit) in cases {
        let model = edited_model(&dir, edit);
        let err = common::failure_stderr(
            common::typfrage(&dir)
                .arg("classify")
                .arg(&model)
                .arg("s.csv")
                .args(["--out", "c.csv"]),
            1,
        );
        assert!(err.contains("edited.json"), "{what}: {err}");
        assert!(err.contains(what), "{what}: {err}");
        assert!(!dir.path().join("c.csv").exists(), "{what}");
    }
}

#[test]
fn type_ids_that_differ_only_in_case_are_refused() {
    let dir = common::tempdir();
    std::fs::copy(common::shipped_survey(), dir.path().join("s.csv")).unwrap();
    let types =
        typfrage::cluster::DEFAULT_TYPES.replacen("id = \"optimierer\"", "id = \"Bedaechtige\"", 1);
    assert_ne!(types, typfrage::cluster::DEFAULT_TYPES);
    std::fs::write(dir.path().join("types.toml"), types).unwrap();
    let err = common::failure_stderr(
        common::typfrage(&dir).args(["cluster", "s.csv", "--types", "types.toml", "--out", "r"]),
        1,
    );
    assert!(err.contains("only in case"), "{err}");
    assert!(!dir.path().join("r").exists());
    // and in a model
    let model = edited_model(&dir, |m| {
        let first = m["types"][0]["id"].as_str().unwrap().to_uppercase();
        m["types"][1]["id"] = first.clone().into();
        m["feedback"]["types"][1]["id"] = first.into();
    });
    let err = common::failure_stderr(
        common::typfrage(&dir)
            .arg("selfcheck")
            .arg(&model)
            .args(["--out", "p.html"]),
        1,
    );
    assert!(err.contains("only in case"), "{err}");
}
