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

/// Every text file (and workbook) below `dir` (and the given console texts) checked for the study's words.
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

    let validated = success_stdout(typfrage(&dir).args([
        "validate".as_ref(),
        sav.as_os_str(),
        "--codebook".as_ref(),
        book_arg,
    ]));
    assert!(validated.contains("300"), "{validated}");

    let mut console = vec![validated.clone()];
    for lang in ["en", "de"] {
        let out = dir.path().join(format!("run-{lang}"));
        let stdout = success_stdout(typfrage(&dir).args([
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
        ]));
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
    console.push(success_stdout(typfrage(&dir).args([
        "types".as_ref(),
        model.as_os_str(),
        "--out".as_ref(),
        types.as_os_str(),
    ])));
    let drafted = std::fs::read_to_string(&types).unwrap();
    assert!(drafted.contains("TODO"), "{drafted}");
    assert!(drafted.contains("centroid = { \"A1\" = "), "{drafted}");
    // a person names the types in the draft
    let named = drafted
        .replacen("name_en = \"Type 1\"", "name_en = \"The First\"", 1)
        .replacen("name_de = \"Typ 1\"", "name_de = \"Die Ersten\"", 1);
    std::fs::write(&types, named).unwrap();
    let again = dir.path().join("again");
    console.push(success_stdout(typfrage(&dir).args([
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
    ])));
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
        console.push(success_stdout(typfrage(&dir).args([
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
        ])));
        let check = dir.path().join(format!("selfcheck-{lang}.html"));
        console.push(success_stdout(typfrage(&dir).args([
            "--lang".as_ref(),
            lang.as_ref(),
            "selfcheck".as_ref(),
            model.as_os_str(),
            "--out".as_ref(),
            check.as_os_str(),
        ])));
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
            success_stdout(&mut cmd)
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
