//! A survey no one here wrote, through every step of "Your own survey" (README): R's psych::bfi
//! (25 personality items on a six-point scale, 300 respondents), written as SPSS by R's haven
//! (tests/fixtures/bfi, made by tests/reference/make_bfi_sav.R). `codebook` drafts, the draft line
//! is deleted (the only hand edit), `validate`, `cluster --k 3 --report`, `types` drafts a types
//! file from the model, `cluster --types` names the types by it (also with the rows reordered and
//! another seed), `position` and `selfcheck` for one respondent. The types carry generic names and
//! descriptions, and no text speaks of municipalities or goals, as the codebook does not.

use std::path::{Path, PathBuf};

use crate::common::{self, fixture, success_stdout, typfrage};

fn bfi(ext: &str) -> PathBuf {
    fixture(&format!("bfi/bfi-300.{ext}"))
}

/// The words of the study that must not appear where the codebook does not say them.
const STUDY_WORDS: [&str; 5] = ["municipalit", "kommune", "goal", "ziel", "other group"];

/// Names that are identifiers, not words: the file stem of a chart (`goal-heatmap`) and the
/// `goals` field of profiles.json and the tree's `municipalities` count, kept for every survey so that programs reading them need not
/// know the codebook.
const IDENTIFIERS: [&str; 3] = ["goal-heatmap", "\"goals\":", "\"municipalities\":"];

/// `text` without embedded pictures (base64 can spell anything) and the identifiers.
fn words_only(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("data:image/") {
        out.push_str(&rest[..at]);
        let end = rest[at..]
            .find(['"', ')', '\''])
            .map_or(rest.len(), |e| at + e);
        rest = &rest[end..];
    }
    out.push_str(rest);
    IDENTIFIERS.iter().fold(out, |t, id| t.replace(id, ""))
}

/// A workbook's sheet names and text cells, one a line.
fn workbook_text(path: &Path) -> String {
    use calamine::{open_workbook, Reader, Xlsx};
    let mut book: Xlsx<_> = open_workbook(path).unwrap();
    let mut text = String::new();
    for name in book.sheet_names() {
        text.push_str(&name);
        text.push('\n');
        for row in book.worksheet_range(&name).unwrap().rows() {
            for cell in row {
                if let calamine::Data::String(s) = cell {
                    text.push_str(s);
                    text.push('\n');
                }
            }
        }
    }
    text
}

/// Every text file (and workbook) below `dir` (and the given console texts: stdout and stderr)
/// checked for the study's words.
fn assert_no_study_words(dir: &Path, console: &[&str]) {
    let mut texts: Vec<(String, String)> = console
        .iter()
        .enumerate()
        .map(|(i, t)| (format!("console {i}"), t.to_string()))
        .collect();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if ["md", "html", "csv", "json", "txt", "svg"]
                .iter()
                .any(|x| p.extension().is_some_and(|e| e == *x))
            {
                texts.push((
                    p.display().to_string(),
                    std::fs::read_to_string(&p).unwrap(),
                ));
            } else if p.extension().is_some_and(|e| e == "xlsx") {
                texts.push((p.display().to_string(), workbook_text(&p)));
            }
        }
    }
    assert!(texts.len() > 10, "{} texts", texts.len());
    for (name, text) in texts {
        let lower = words_only(&text).to_lowercase();
        for w in STUDY_WORDS {
            // a word or the start of one ("Zielprofil", "goals"), and the study's compound
            // "Kennziel", but not the letters inside another word ("substanzielle")
            let at = lower.match_indices(w).map(|(i, _)| i).find(|&i| {
                let before = lower[..i].chars().next_back();
                !before.is_some_and(char::is_alphabetic) || lower[..i].ends_with("kenn")
            });
            if let Some(at) = at {
                let from = lower[..at]
                    .char_indices()
                    .rev()
                    .nth(60)
                    .map_or(0, |(i, _)| i);
                let to = (at + 80).min(lower.len());
                let to = (to..=lower.len())
                    .find(|&i| lower.is_char_boundary(i))
                    .unwrap();
                panic!("{name} says '{w}': …{}…", &lower[from..to]);
            }
        }
    }
}

/// The drafted codebook with its draft line deleted: the only hand edit.
fn codebook(dir: &tempfile::TempDir) -> PathBuf {
    let draft = dir.path().join("draft.toml");
    let stdout = success_stdout(typfrage(dir).args([
        "codebook".as_ref(),
        bfi("sav").as_os_str(),
        "--cluster".as_ref(),
        "A*,C*,E*,N*,O*".as_ref(),
        "--out".as_ref(),
        draft.as_os_str(),
    ]));
    assert!(
        stdout.contains("clustering variables (role = \"clustering\"): A1, A2, A3, A4, A5, C1"),
        "{stdout}"
    );
    assert!(
        stdout.ends_with("300 rows, no problems found.\n"),
        "{stdout}"
    );
    let text = std::fs::read_to_string(&draft).unwrap();
    assert!(
        text.contains(
            "unit = { de = \"Fall\", de_plural = \"Fälle\", de_gender = \"m\", en = \"case\", en_plural = \"cases\" }"
        ),
        "{text}"
    );
    let edited = dir.path().join("codebook.toml");
    std::fs::write(&edited, text.replace("draft = true\n", "")).unwrap();
    edited
}

fn ids_and_types(path: &Path) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = common::csv_rows(path)
        .into_iter()
        .filter(|r| !r["type"].is_empty())
        .map(|r| (r["id"].clone(), r["type"].clone()))
        .collect();
    v.sort();
    v
}

#[test]
fn a_public_likert_survey_goes_through_every_step_with_generic_names_and_words() {
    let dir = common::tempdir();
    let book = codebook(&dir);
    let book_arg = book.as_os_str();
    let sav = bfi("sav");

    let validated = output_of(
        typfrage(&dir).args([
            "validate".as_ref(),
            sav.as_os_str(),
            "--codebook".as_ref(),
            book_arg,
        ]),
        0,
    );
    assert!(validated.contains("300"), "{validated}");

    let mut console = vec![validated.clone()];
    for lang in ["en", "de"] {
        let out = dir.path().join(format!("run-{lang}"));
        let stdout = output_of(
            typfrage(&dir).args([
                "--lang".as_ref(),
                lang.as_ref(),
                "cluster".as_ref(),
                sav.as_os_str(),
                "--codebook".as_ref(),
                book_arg,
                "--k".as_ref(),
                "3".as_ref(),
                "--report".as_ref(),
                "--out".as_ref(),
                out.as_os_str(),
            ]),
            0,
        );
        // the types numbered by size, each described by its most characteristic items
        let (word, high) = if lang == "en" {
            ("Type", "high: ")
        } else {
            ("Typ", "hoch: ")
        };
        for n in 1..=3 {
            assert!(stdout.contains(&format!("\n{word} {n}: ")), "{stdout}");
        }
        assert!(stdout.contains(high), "{stdout}");
        let rows = common::csv_rows(&out.join("assignments.csv"));
        let sizes: Vec<usize> = ["type_1", "type_2", "type_3"]
            .iter()
            .map(|t| rows.iter().filter(|r| r["type"] == *t).count())
            .collect();
        assert!(sizes[0] >= sizes[1] && sizes[1] >= sizes[2], "{sizes:?}");
        assert_eq!(sizes.iter().sum::<usize>(), 300);
        console.push(stdout);
    }
    let model = dir.path().join("run-en").join("model.json");

    // the types drafted from the model, read back: the same partition, the same names
    let types = dir.path().join("types.toml");
    console.push(output_of(
        typfrage(&dir).args([
            "types".as_ref(),
            model.as_os_str(),
            "--out".as_ref(),
            types.as_os_str(),
        ]),
        0,
    ));
    let drafted = std::fs::read_to_string(&types).unwrap();
    assert!(drafted.contains("TODO"), "{drafted}");
    assert!(drafted.contains("centroid = { \"A1\" = "), "{drafted}");
    // a person names the types in the draft
    let named = drafted
        .replacen("name_en = \"Type 1\"", "name_en = \"The First\"", 1)
        .replacen("name_de = \"Typ 1\"", "name_de = \"Die Ersten\"", 1);
    std::fs::write(&types, named).unwrap();
    let again = dir.path().join("again");
    console.push(output_of(
        typfrage(&dir).args([
            "cluster".as_ref(),
            sav.as_os_str(),
            "--codebook".as_ref(),
            book_arg,
            "--k".as_ref(),
            "3".as_ref(),
            "--types".as_ref(),
            types.as_os_str(),
            "--out".as_ref(),
            again.as_os_str(),
        ]),
        0,
    ));
    let before = ids_and_types(&dir.path().join("run-en").join("assignments.csv"));
    assert_eq!(ids_and_types(&again.join("assignments.csv")), before);
    let rows = common::csv_rows(&again.join("assignments.csv"));
    assert!(rows.iter().any(|r| r["type_name"] == "The First"));

    // the rows in another order and another seed (k-means may end in another local optimum): each
    // type keeps its name, its members mostly the same
    let csv = std::fs::read_to_string(bfi("csv")).unwrap();
    let mut lines: Vec<&str> = csv.lines().collect();
    let header = lines.remove(0);
    lines.reverse();
    lines.rotate_left(97);
    let shuffled = dir.path().join("reordered.csv");
    std::fs::write(&shuffled, format!("{header}\n{}\n", lines.join("\n"))).unwrap();
    let reordered = dir.path().join("reordered");
    success_stdout(typfrage(&dir).args([
        "cluster".as_ref(),
        shuffled.as_os_str(),
        "--codebook".as_ref(),
        book_arg,
        "--k".as_ref(),
        "3".as_ref(),
        "--seed".as_ref(),
        "7".as_ref(),
        "--types".as_ref(),
        types.as_os_str(),
        "--out".as_ref(),
        reordered.as_os_str(),
    ]));
    let after = ids_and_types(&reordered.join("assignments.csv"));
    assert_eq!(after.len(), before.len());
    let same = after.iter().zip(&before).filter(|(a, b)| a == b).count();
    assert!(
        same * 10 >= before.len() * 9,
        "{same} of {} keep their type",
        before.len()
    );

    // one respondent's position and the self-check page
    let id = before[0].0.clone();
    for lang in ["en", "de"] {
        let model = dir.path().join(format!("run-{lang}")).join("model.json");
        let page = dir.path().join(format!("position-{lang}.html"));
        console.push(output_of(
            typfrage(&dir).args([
                "--lang".as_ref(),
                lang.as_ref(),
                "position".as_ref(),
                model.as_os_str(),
                "--from".as_ref(),
                sav.as_os_str(),
                "--codebook".as_ref(),
                book_arg,
                "--id".as_ref(),
                id.as_ref(),
                "--out".as_ref(),
                page.as_os_str(),
            ]),
            0,
        ));
        let check = dir.path().join(format!("selfcheck-{lang}.html"));
        console.push(output_of(
            typfrage(&dir).args([
                "--lang".as_ref(),
                lang.as_ref(),
                "selfcheck".as_ref(),
                model.as_os_str(),
                "--out".as_ref(),
                check.as_os_str(),
            ]),
            0,
        ));
    }
    let console: Vec<&str> = console.iter().map(String::as_str).collect();
    assert_no_study_words(dir.path(), &console);
}

/// The within-cluster sum of squares a model records.
fn within_ss(model: &Path) -> f64 {
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(model).unwrap()).unwrap();
    v["within_ss"].as_f64().unwrap()
}

/// `--algorithm hartigan-wong` (AS 136, R's default) on bfi at k = 4: it never ends above the
/// Lloyd solution of the same seed, ends at the sum of squares R's `kmeans(x, 4, nstart = 50)`
/// reports (11509.4055, tests/reference/check_kmeans_on_bfi_against_r.sh, where Lloyd's 50 starts
/// in R end at 11512.99), says so on the console and records itself in the manifest, which a
/// Lloyd run leaves as it was. It runs on the fast engine only.
#[test]
fn hartigan_wong_ends_at_rs_sum_of_squares_and_is_recorded() {
    let dir = common::tempdir();
    let book = codebook(&dir);
    let sav = bfi("sav");
    let run = |name: &str, extra: &[&str]| {
        let out = dir.path().join(name);
        let mut cmd = typfrage(&dir);
        cmd.args([
            "--lang".as_ref(),
            "en".as_ref(),
            "cluster".as_ref(),
            sav.as_os_str(),
            "--codebook".as_ref(),
            book.as_os_str(),
            "--k".as_ref(),
            "4".as_ref(),
            "--out".as_ref(),
            out.as_os_str(),
        ])
        .args(extra);
        (success_stdout(&mut cmd), out)
    };
    let (lloyd_console, lloyd) = run("lloyd", &[]);
    let (hw_console, hw) = run("hw", &["--algorithm", "hartigan-wong"]);
    let (l, h) = (
        within_ss(&lloyd.join("model.json")),
        within_ss(&hw.join("model.json")),
    );
    assert!(h <= l, "Hartigan-Wong {h} above Lloyd {l}");
    assert!((h - 11509.4055).abs() < 1e-3, "{h}");
    assert!(
        hw_console.contains("k-means (fast, Hartigan-Wong (AS 136)"),
        "{hw_console}"
    );
    assert!(!lloyd_console.contains("Hartigan"), "{lloyd_console}");
    let manifest = |d: &Path| std::fs::read_to_string(d.join("manifest.json")).unwrap();
    assert!(manifest(&hw).contains("\"algorithm\": \"hartigan-wong\""));
    assert!(!manifest(&lloyd).contains("\"algorithm\""));

    let err = common::failure_stderr(
        typfrage(&dir).args([
            "cluster".as_ref(),
            sav.as_os_str(),
            "--codebook".as_ref(),
            book.as_os_str(),
            "--engine".as_ref(),
            "linfa".as_ref(),
            "--algorithm".as_ref(),
            "hartigan-wong".as_ref(),
        ]),
        2,
    );
    assert!(err.contains("runs on the fast engine"), "{err}");
}

/// The reviewer's checks and the two-wave comparison on bfi, in both languages: `response-style`,
/// `hierarchy` (its chart's texts in dendrogram.json) and `waves` (the .sav as the earlier wave,
/// the same answers as CSV as the later) speak of the codebook's unit ("Fälle" / "cases", with
/// German articles of a masculine word), never of municipalities or goals.
#[test]
fn response_style_hierarchy_and_waves_speak_of_the_codebooks_unit() {
    let dir = common::tempdir();
    let book = codebook(&dir);
    let (sav, csv) = (bfi("sav"), bfi("csv"));
    let mut console = Vec::new();
    for lang in ["de", "en"] {
        let run = |command: &str, files: &[&Path]| {
            let out = dir.path().join(format!("{command}-{lang}"));
            let mut cmd = typfrage(&dir);
            cmd.args(["--lang", lang, command]).args(files).args([
                "--codebook".as_ref(),
                book.as_os_str(),
                "--k".as_ref(),
                "3".as_ref(),
                "--out".as_ref(),
                out.as_os_str(),
            ]);
            output_of(&mut cmd, 0)
        };
        let style = run("response-style", &[&sav]);
        let tree = run("hierarchy", &[&sav]);
        let waves = run("waves", &[&sav, &csv]);
        let (units, each) = if lang == "de" {
            (
                "300 Fälle",
                "um den eigenen Mittelwert jedes Falls zentriert",
            )
        } else {
            ("300 cases", "centred on each case's own mean")
        };
        assert!(style.contains(units) && style.contains(each), "{style}");
        assert!(tree.contains(units), "{tree}");
        assert!(waves.contains(units), "{waves}");
        let report =
            std::fs::read_to_string(dir.path().join(format!("waves-{lang}/report.md"))).unwrap();
        if lang == "de" {
            assert!(report.contains("jeder Fall mit seinem Grund"), "{report}");
        }
        console.extend([style, tree, waves]);
    }
    let console: Vec<&str> = console.iter().map(String::as_str).collect();
    assert_no_study_words(dir.path(), &console);
}

/// Runs `cmd`, asserts that it exits with `code` and returns what it printed, stdout then stderr.
fn output_of(cmd: &mut assert_cmd::Command, code: i32) -> String {
    let out = cmd.output().expect("runs");
    let (stdout, stderr) = (
        String::from_utf8(out.stdout).expect("UTF-8 output"),
        String::from_utf8(out.stderr).expect("UTF-8 output"),
    );
    assert_eq!(out.status.code(), Some(code), "{stdout}{stderr}");
    stdout + &stderr
}

/// bfi's CSV, its first `rows` rows each changed by `change` (its cells, its index, all rows),
/// written as `name` in `dir`.
fn bfi_variant(
    dir: &Path,
    name: &str,
    rows: usize,
    change: impl Fn(&mut Vec<String>, usize, &[Vec<String>]),
) {
    let csv = std::fs::read_to_string(bfi("csv")).unwrap();
    let mut lines = csv.lines();
    let header = lines.next().unwrap();
    let original: Vec<Vec<String>> = lines
        .map(|l| l.split(',').map(String::from).collect())
        .collect();
    let mut text = format!("{header}\n");
    for (i, row) in original.iter().take(rows).enumerate() {
        let mut cells = row.clone();
        change(&mut cells, i, &original);
        text.push_str(&cells.join(","));
        text.push('\n');
    }
    std::fs::write(dir.join(name), text).unwrap();
}

/// Every other command on bfi, in both languages, and an error path of each stage whose
/// message once spoke of municipalities (reading, weights, the clustering matrix, k-means, the
/// typology, choosing k, replication, the waves' keys, position): nothing on the console (stdout
/// and stderr) or in a file written says "municipality", "Kommune", "goal" or "Ziel", as the
/// codebook does not. Each call names what it must print, so that an error path is the one meant.
#[test]
fn every_command_and_its_errors_speak_only_the_codebooks_words() {
    let dir = common::tempdir();
    let d = dir.path();
    codebook(&dir);
    std::fs::copy(bfi("sav"), d.join("bfi.sav")).unwrap();
    std::fs::copy(bfi("csv"), d.join("bfi.csv")).unwrap();
    let header = std::fs::read_to_string(bfi("csv")).unwrap();
    let col = |name: &str| {
        header
            .lines()
            .next()
            .unwrap()
            .split(',')
            .position(|c| c.trim_matches('"') == name)
            .unwrap()
    };
    let (a1, age) = (col("A1"), col("age"));
    bfi_variant(d, "no-a1.csv", 300, |r, _, _| r[a1].clear());
    bfi_variant(d, "age-missing.csv", 300, |r, i, _| {
        if i == 3 {
            r[age].clear()
        }
    });
    // every row answers as the first or the second does: two answer patterns
    bfi_variant(d, "two-patterns.csv", 300, |r, i, all| {
        let id = r[0].clone();
        *r = all[i % 2].clone();
        r[0] = id;
    });
    bfi_variant(d, "three.csv", 3, |_, _, _| ());
    bfi_variant(d, "five.csv", 5, |_, _, _| ());
    bfi_variant(d, "header-only.csv", 0, |_, _, _| ());
    let first_id = header.lines().nth(1).unwrap().split(',').next().unwrap();
    std::fs::write(
        d.join("keys.csv"),
        format!("old_id,new_id\n{first_id},1\n{first_id},2\n"),
    )
    .unwrap();

    let mut printed = Vec::new();
    for lang in ["en", "de"] {
        let c = "--codebook codebook.toml";
        let m = format!("cluster-{lang}/model.json");
        // (arguments, exit status, what it must print)
        let calls = [
            (
                format!("codebook bfi.sav --cluster A*,C*,E*,N*,O* --out draft-{lang}.toml"),
                0,
                "A1, A2, A3",
            ),
            (format!("cluster bfi.sav {c} --k 3 --start ward --out cluster-{lang}"), 0, "Ward"),
            (format!("profile bfi.sav {c} --k 3 --out profile-{lang}"), 0, "300"),
            (format!("choose-k bfi.sav {c} --k-max 5 --out choose-k-{lang}"), 0, "k = "),
            (format!("stability bfi.sav {c} --k 3 --resamples 20 --out stability-{lang}"), 0, "Jaccard"),
            (format!("replicate bfi.sav {c} --k 3 --splits 5 --out replicate-{lang}"), 0, "k = "),
            (format!("mixture bfi.sav {c} --k 3 --k-max 4 --out mixture-{lang}"), 0, "BIC"),
            (format!("classify {m} bfi.sav {c} --previous cluster-{lang}/assignments.csv --out classified-{lang}.csv"), 0, "300"),
            (format!("feedback {m} bfi.sav {c} --out feedback-{lang}"), 0, "300"),
            (format!("export bfi.sav {c} --out export-{lang}.parquet"), 0, "300"),
            (format!("chart profile-{lang}/charts/type-sizes.json --out redrawn-{lang}.svg"), 0, "redrawn"),
            (format!("verify cluster-{lang}/manifest.json"), 0, "cluster"),
            // the study's figures cannot be computed from another survey
            (format!("figures bfi.sav {c} --out figures-{lang}"), 1, "the codebook has no variable"),
            // reading
            (format!("validate header-only.csv {c}"), 1, "expected one row per case"),
            // weights
            (format!("cluster age-missing.csv {c} --k 3 --weight age --out weighted-{lang}"), 1, "for every row (or --weight none)"),
            // the clustering matrix
            (format!("cluster no-a1.csv {c} --k 3 --missing mean --out mean-{lang}"), 1, "A1 has no answer in any of the 300 rows"),
            // the typology: no row left, fewer answer patterns than types
            (format!("cluster no-a1.csv {c} --k 3 --out listwise-{lang}"), 1, "no row is left to cluster"),
            (format!("cluster two-patterns.csv {c} --k 3 --out two-{lang}"), 1, "among 300 rows with only 2 distinct answer patterns"),
            // k-means, choosing k, replication, Ward's sample
            (format!("cluster three.csv {c} --k 3 --out three-{lang}"), 1, "k = 3 is not possible with 3 rows"),
            (format!("choose-k five.csv {c} --out five-{lang}"), 1, "k from 2 to 8 is not possible with 5 rows"),
            (format!("replicate five.csv {c} --k 2 --out halves-{lang}"), 1, "5 rows clustered: halves of 2 cannot hold"),
            (format!("cluster bfi.sav {c} --k 3 --start ward --ward-sample 3 --out sample-{lang}"), 2, "expected more rows than the k = 3 groups"),
            // the waves' keys
            (format!("waves bfi.sav bfi.csv {c} --k 3 --keys keys.csv --out waves-{lang}"), 1, "(an identifier has one successor)"),
            // position: no such row, no row named
            (format!("position {m} --from bfi.sav {c} --id nobody"), 1, "no row with the identifier 'nobody'"),
            (format!("position {m} {c}"), 2, "say whose position to show"),
            // a model of another codebook, read without it
            (format!("position {m} --from bfi.sav --id nobody"), 2, "give that codebook with --codebook FILE"),
        ];
        for (args, code, says) in calls {
            let mut cmd = typfrage(&dir);
            cmd.args(["--lang", lang]).args(args.split(' '));
            let text = output_of(&mut cmd, code);
            assert!(text.contains(says), "{args}: {text}");
            printed.push(text);
        }
    }
    let printed: Vec<&str> = printed.iter().map(String::as_str).collect();
    assert_no_study_words(dir.path(), &printed);
}
