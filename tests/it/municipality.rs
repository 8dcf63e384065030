//! The municipality's own view: `classify` on a file with only the identifier and the goals,
//! `position` (one municipality), `feedback` (a sheet for every municipality) and `selfcheck` (the
//! offline page), and that they all assign the type `classify` assigns.

use crate::common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use typfrage::app::{self, PositionRequest, Request};
use typfrage::lang::Lang;

/// Fits the types of the shipped survey into `dir/m` and returns the model's path.
fn shipped_model(dir: &tempfile::TempDir) -> PathBuf {
    common::success_stdout(
        common::typfrage(dir)
            .arg("cluster")
            .arg(common::shipped_survey())
            .args(["--out", "m", "--n-init", "10"]),
    );
    dir.path().join("m/model.json")
}

/// Writes the columns of the shipped survey whose names `keep` accepts.
fn write_columns(path: &Path, keep: impl Fn(&str) -> bool) {
    let (header, rows) = common::shipped_rows();
    let columns: Vec<usize> = (0..header.len()).filter(|&i| keep(&header[i])).collect();
    let mut w = csv::Writer::from_path(path).unwrap();
    w.write_record(columns.iter().map(|&i| &header[i])).unwrap();
    for row in &rows {
        w.write_record(columns.iter().map(|&i| &row[i])).unwrap();
    }
    w.flush().unwrap();
}

/// id -> type (empty when left out) of a classification file.
fn classified(path: &Path) -> Vec<(String, String)> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[0].to_string(), r[1].to_string())
        })
        .collect()
}

fn goal(name: &str) -> bool {
    name.starts_with("ziel_")
}

#[test]
fn a_file_with_only_the_identifier_and_the_goals_classifies_like_the_full_file() {
    let dir = common::tempdir();
    let model = shipped_model(&dir);
    write_columns(&dir.path().join("goals.csv"), |n| n == "id" || goal(n));
    let text = common::success_stdout(common::typfrage(&dir).args([
        "classify",
        model.to_str().unwrap(),
        "goals.csv",
        "--out",
        "goals-classified.csv",
    ]));
    assert!(
        text.contains("412 municipalities, 388 classified"),
        "{text}"
    );
    assert!(
        text.contains("fitted on synthetic stand-in data"),
        "the summary says the model is synthetic: {text}"
    );
    common::success_stdout(
        common::typfrage(&dir)
            .args(["classify", model.to_str().unwrap()])
            .arg(common::shipped_survey())
            .args(["--out", "full-classified.csv"]),
    );
    let goals_only = classified(&dir.path().join("goals-classified.csv"));
    assert_eq!(
        goals_only,
        classified(&dir.path().join("full-classified.csv"))
    );
    assert_eq!(
        goals_only.iter().filter(|(_, t)| !t.is_empty()).count(),
        388
    );

    // a goal the model needs is still required, and named
    write_columns(&dir.path().join("short.csv"), |n| {
        n == "id" || (goal(n) && n != "ziel_offenheit")
    });
    let err = common::failure_stderr(
        common::typfrage(&dir).args(["classify", model.to_str().unwrap(), "short.csv"]),
        1,
    );
    assert!(
        err.contains("ziel_offenheit") && err.contains("is missing"),
        "{err}"
    );
}

#[test]
fn a_model_written_before_the_feedback_part_still_classifies_but_position_says_why_not() {
    let dir = common::tempdir();
    let old = common::fixture("model-before-feedback.json");
    let survey = common::fixture("manifest-format-2").join("survey.csv");
    let text = common::success_stdout(
        common::typfrage(&dir)
            .arg("classify")
            .arg(&old)
            .arg(&survey)
            .args(["--out", "c.csv"]),
    );
    assert!(
        text.contains("does not record whether its data"),
        "an old model cannot say whether it is synthetic: {text}"
    );
    let err = common::failure_stderr(
        common::typfrage(&dir)
            .arg("position")
            .arg(&old)
            .arg("--from")
            .arg(&survey)
            .args(["--id", "SYN-0001"]),
        1,
    );
    assert!(
        err.contains("holds no feedback part") && err.contains("run typfrage cluster again"),
        "{err}"
    );
}

/// The type `position` prints for a request (its id, found by the English name the first line
/// gives after the municipality), or `None` when it refuses to assign one.
fn position_type(request: PositionRequest) -> Option<String> {
    let model: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&request.model).unwrap()).unwrap();
    match app::run(&Request::Position(request)) {
        Ok(outcome) => {
            // "<id>: <type name>", after the stand-in data's note and a blank line
            let line = outcome
                .stdout
                .lines()
                .skip_while(|l| !l.is_empty())
                .nth(1)
                .expect("the type line")
                .to_string();
            let name = line.split_once(": ").expect("id: type").1;
            let ty = model["types"]
                .as_array()
                .unwrap()
                .iter()
                .find(|t| t["name_en"] == name)
                .unwrap_or_else(|| panic!("no type named {name}"));
            Some(ty["id"].as_str().unwrap().to_string())
        }
        Err(e) => {
            assert!(e.to_string().contains("cannot be assigned"), "{e}");
            None
        }
    }
}

fn request(model: &Path) -> PositionRequest {
    PositionRequest {
        model: model.to_path_buf(),
        ratings: Vec::new(),
        from: None,
        id: None,
        survey: None,
        codebook: None,
        sheet: None,
        mapping: None,
        lang: Lang::En,
        out: None,
    }
}

#[test]
fn position_and_classify_agree_for_every_municipality_of_the_shipped_survey() {
    let dir = common::tempdir();
    let model = shipped_model(&dir);
    common::success_stdout(
        common::typfrage(&dir)
            .args(["classify", model.to_str().unwrap()])
            .arg(common::shipped_survey())
            .args(["--out", "c.csv"]),
    );
    let expected = classified(&dir.path().join("c.csv"));
    let (header, rows) = common::shipped_rows();
    assert_eq!(rows.len(), 412);
    let goals: Vec<usize> = (0..header.len()).filter(|&i| goal(&header[i])).collect();
    let mut left_out = 0;
    for ((id, want), row) in expected.iter().zip(&rows) {
        assert_eq!(id, &row[0]);
        // the ratings as given on the command line: an unanswered goal is left out
        let ratings = goals
            .iter()
            .filter(|&&i| !row[i].is_empty() && row[i] != "-9")
            .map(|&i| format!("{}={}", header[i], row[i]))
            .collect::<Vec<_>>();
        if ratings.is_empty() {
            // no goal rated at all: nothing to give on the command line
            assert_eq!(want, "", "{id}");
            left_out += 1;
            continue;
        }
        let by_rating = position_type(PositionRequest {
            ratings,
            id: Some(id.clone()),
            ..request(&model)
        });
        assert_eq!(
            by_rating.as_deref().unwrap_or(""),
            want,
            "{id}: position --rating and classify disagree"
        );
        left_out += usize::from(by_rating.is_none());
    }
    assert_eq!(left_out, 24, "the municipalities classify leaves out");
    // one row of the file, for a sample of rows (every row is the same code path)
    for (id, want) in expected.iter().step_by(37) {
        let by_row = position_type(PositionRequest {
            from: Some(common::shipped_survey()),
            id: Some(id.clone()),
            ..request(&model)
        });
        assert_eq!(by_row.as_deref().unwrap_or(""), want, "{id}: --from");
    }
}

/// The shipped model with its types' scaled centroids replaced: type i sits at `levels[i]` on
/// every goal (scaling none, so the centroid in answer units is the same).
fn model_with_levels(model: &Path, levels: [f64; 4], out: &Path) {
    let mut m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(model).unwrap()).unwrap();
    assert_eq!(m["scaling"]["kind"], "none");
    for (t, level) in levels.iter().enumerate() {
        m["types"][t]["centroid_scaled"] = serde_json::json!(vec![level; 11]);
        m["types"][t]["centroid"] = serde_json::json!(vec![level; 11]);
    }
    std::fs::write(out, serde_json::to_string_pretty(&m).unwrap()).unwrap();
}

#[test]
fn on_an_exact_tie_position_and_classify_take_the_type_listed_first() {
    let dir = common::tempdir();
    let model = shipped_model(&dir);
    let all_three = |model: &Path| {
        let ratings = common::shipped_rows()
            .0
            .into_iter()
            .filter(|n| goal(n))
            .map(|n| format!("{n}=3"))
            .collect();
        position_type(PositionRequest {
            ratings,
            ..request(model)
        })
    };
    // 3 on every goal is equally far from 2 and from 4
    let tie = dir.path().join("tie.json");
    model_with_levels(&model, [2.0, 4.0, 1.0, 5.0], &tie);
    assert_eq!(all_three(&tie).as_deref(), Some("bedaechtige"));
    let swapped = dir.path().join("swapped.json");
    model_with_levels(&model, [4.0, 2.0, 1.0, 5.0], &swapped);
    assert_eq!(all_three(&swapped).as_deref(), Some("bedaechtige"));
    let later = dir.path().join("later.json");
    model_with_levels(&model, [1.0, 5.0, 2.0, 4.0], &later);
    assert_eq!(all_three(&later).as_deref(), Some("serviceorientierte"));

    // classify applies the same rule to the same vector
    let mut w = csv::Writer::from_path(dir.path().join("three.csv")).unwrap();
    let mut header = vec!["id".to_string()];
    header.extend(
        common::shipped_rows()
            .0
            .into_iter()
            .filter(|n| goal(n))
            .collect::<Vec<_>>(),
    );
    w.write_record(&header).unwrap();
    let mut row = vec!["tie".to_string()];
    row.extend(std::iter::repeat_n("3".to_string(), 11));
    w.write_record(&row).unwrap();
    w.flush().unwrap();
    for (model, want) in [
        (&tie, "bedaechtige"),
        (&swapped, "bedaechtige"),
        (&later, "serviceorientierte"),
    ] {
        common::success_stdout(common::typfrage(&dir).arg("classify").arg(model).args([
            "three.csv",
            "--out",
            "three-classified.csv",
        ]));
        let got = classified(&dir.path().join("three-classified.csv"));
        assert_eq!(got[0].1, want);
        // on the tie the margin is exactly zero, which is borderline
        if model == &tie {
            let text = std::fs::read_to_string(dir.path().join("three-classified.csv")).unwrap();
            assert!(text.contains(",0.000000,"), "{text}");
        }
    }
}

#[test]
fn position_prints_type_margin_ratings_neighbours_and_suggestions_and_writes_a_sheet() {
    let dir = common::tempdir();
    let model = shipped_model(&dir);
    let text = common::success_stdout(
        common::typfrage(&dir)
            .args(["position", model.to_str().unwrap(), "--from"])
            .arg(common::shipped_survey())
            .args(["--id", "SYN-0001", "--lang", "en", "--out", "sheet.html"]),
    );
    assert!(text.contains("fitted on synthetic stand-in data"), "{text}");
    assert!(text.contains("SYN-0001: The "), "{text}");
    assert!(text.contains("Distance to each type:"), "{text}");
    assert!(
        text.contains("Nearest municipalities of the survey (survey.csv):"),
        "{text}"
    );
    assert!(
        !text.contains("  SYN-0001 "),
        "not its own neighbour: {text}"
    );
    assert!(
        text.contains("Learning from the nearest other types:"),
        "{text}"
    );
    let page = std::fs::read_to_string(dir.path().join("sheet.html")).unwrap();
    assert!(page.contains("<svg"), "the chart is inline");
    assert!(page.contains("synthetic stand-in data"));
    assert!(page.contains("@media print"));
    assert!(!page.contains("http://") || page.contains("xmlns=\"http://www.w3.org/2000/svg\""));

    // Markdown: the chart beside it
    common::success_stdout(
        common::typfrage(&dir)
            .args([
                "position",
                model.to_str().unwrap(),
                "--id",
                "Musterstadt",
                "--lang",
                "de",
            ])
            .args([
                "--rating",
                "ziel_effizienz=5",
                "--rating",
                "ziel_buergernaehe=4",
                "--rating",
                "ziel_leistungsangebot=5",
                "--rating",
                "ziel_attraktivitaet=2",
                "--rating",
                "ziel_daseinsvorsorge=2",
                "--rating",
                "ziel_gemeinschaft=2",
                "--rating",
                "ziel_rechtliche_vorgaben=3",
                "--rating",
                "ziel_foerdermittel=3",
                "--rating",
                "ziel_it_sicherheit=4",
                "--rating",
                "ziel_zufriedenheit=3",
                "--rating",
                "ziel_offenheit=2",
                "--survey",
            ])
            .arg(common::shipped_survey())
            .args(["--out", "m.md"]),
    );
    let md = std::fs::read_to_string(dir.path().join("m.md")).unwrap();
    assert!(md.contains("](m-chart.svg)"), "{md}");
    assert!(md.contains("Musterstadt"));
    assert!(md.contains("Nächste Kommunen der Befragung"));
    assert!(dir.path().join("m-chart.svg").exists());
}

#[test]
fn position_refuses_unclear_requests_with_usage_errors() {
    let dir = common::tempdir();
    let model = shipped_model(&dir);
    let m = model.to_str().unwrap();
    for (args, says) in [
        (vec!["position", m], "say whose position to show"),
        (
            vec!["position", m, "--rating", "ziel_effizienz=7"],
            "not a code of ziel_effizienz",
        ),
        (
            vec!["position", m, "--rating", "ziel_effizenz=3"],
            "did you mean 'ziel_effizienz'",
        ),
        (
            vec![
                "position",
                m,
                "--rating",
                "ziel_effizienz=3",
                "--rating",
                "ziel_effizienz=4",
            ],
            "rated twice",
        ),
        (
            vec!["position", m, "--rating", "ziel_effizienz"],
            "expected VARIABLE=CODE",
        ),
        (
            vec![
                "position",
                m,
                "--rating",
                "ziel_effizienz=3",
                "--from",
                "x.csv",
                "--id",
                "a",
            ],
            "not both",
        ),
        (vec!["position", m, "--from", "x.csv"], "needs --id"),
        (
            vec![
                "position",
                m,
                "--rating",
                "ziel_effizienz=3",
                "--out",
                "x.pdf",
            ],
            ".md or .html",
        ),
        (vec!["selfcheck", m, "--out", "x.txt"], ".html"),
    ] {
        let err = common::failure_stderr(common::typfrage(&dir).args(&args), 2);
        assert!(err.contains(says), "{args:?}: {err}");
    }
    // an unrated goal under the listwise policy: no type, and why
    let err = common::failure_stderr(
        common::typfrage(&dir).args(["position", m, "--rating", "ziel_effizienz=3"]),
        1,
    );
    assert!(
        err.contains("cannot be assigned") && err.contains("no answer on ziel_buergernaehe"),
        "{err}"
    );
}

#[test]
fn feedback_writes_a_sheet_per_municipality_with_an_index_and_a_verifiable_manifest() {
    let dir = common::tempdir();
    let model = shipped_model(&dir);
    // the first 30 municipalities, with every column
    let body = common::shipped_survey_body();
    let small: String = body.lines().take(31).map(|l| format!("{l}\n")).collect();
    std::fs::write(dir.path().join("small.csv"), small).unwrap();
    let text = common::success_stdout(common::typfrage(&dir).args([
        "feedback",
        model.to_str().unwrap(),
        "small.csv",
        "--out",
        "fb",
        "--lang",
        "en",
    ]));
    assert!(text.contains("30 municipalities"), "{text}");
    common::success_stdout(common::typfrage(&dir).args([
        "classify",
        model.to_str().unwrap(),
        "small.csv",
        "--out",
        "c.csv",
    ]));
    let expected: HashMap<String, String> =
        classified(&dir.path().join("c.csv")).into_iter().collect();
    let mut index = csv::Reader::from_path(dir.path().join("fb/index.csv")).unwrap();
    let column = index.headers().unwrap().iter().position(|h| h == "sheet");
    let column = column.expect("index.csv has a sheet column");
    let mut sheets = 0;
    for r in index.records() {
        let r = r.unwrap();
        assert_eq!(&r[1], expected[&r[0]].as_str(), "{}", &r[0]);
        if !r[column].is_empty() {
            let page = std::fs::read_to_string(dir.path().join("fb").join(&r[column])).unwrap();
            assert!(
                page.contains(&format!("{}</h1>", &r[0])),
                "the sheet names its municipality"
            );
            assert!(page.contains("synthetic stand-in data"));
            sheets += 1;
        }
    }
    assert_eq!(sheets, expected.values().filter(|t| !t.is_empty()).count());
    assert!(dir.path().join("fb/index.html").exists());
    let verified =
        common::success_stdout(common::typfrage(&dir).args(["verify", "fb/manifest.json"]));
    assert!(verified.contains("verified"), "{verified}");
}

#[test]
fn selfcheck_writes_one_self_contained_page_with_the_models_numbers() {
    let dir = common::tempdir();
    let model = shipped_model(&dir);
    for (lang, name, says, formed) in [
        (
            "de",
            "s.html",
            "Welcher Digitalisierungstyp",
            "Modell gebildet aus survey.csv",
        ),
        (
            "en",
            "e.html",
            "which digitalisation type",
            "Model formed from survey.csv",
        ),
    ] {
        common::success_stdout(common::typfrage(&dir).args([
            "selfcheck",
            model.to_str().unwrap(),
            "--lang",
            lang,
            "--out",
            name,
        ]));
        let page = std::fs::read_to_string(dir.path().join(name)).unwrap();
        assert!(page.contains(says));
        // the data the model was formed from, not called the model
        assert!(page.contains(formed), "{formed}");
        assert!(page.contains("id=\"result\" data-type=\"\""));
        for v in ["ziel_effizienz", "ziel_offenheit"] {
            assert!(page.contains(&format!("name=\"{v}\" value=\"5\"")), "{v}");
        }
        // nothing is loaded from elsewhere
        for needle in ["src=\"http", "href=\"http", "@import", "fetch("] {
            assert!(!page.contains(needle), "{needle}");
        }
        assert!(page.contains("@media print"));
        let m: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&model).unwrap()).unwrap();
        let first = m["types"][0]["centroid_scaled"][0].as_f64().unwrap();
        assert!(page.contains(&serde_json::to_string(&first).unwrap()));
        assert!(page.contains("synthetic") || page.contains("synthetisch"));
    }
    let err = common::failure_stderr(
        common::typfrage(&dir)
            .arg("selfcheck")
            .arg(common::fixture("model-before-feedback.json"))
            .args(["--out", "old.html"]),
        1,
    );
    assert!(err.contains("holds no feedback part"), "{err}");
}

/// Regression (a municipality's suggestions could be an opinion, "FIM helpful", rather than
/// something other municipalities do): in a survey where the planted Serviceorientierte alone use
/// the eID function and alone rate the FIM building blocks very helpful, the others are suggested the
/// eID function, never the opinion on FIM (its scale is marked `opinion` in the codebook): not in
/// the model's lessons, not on any municipality's sheet.
#[test]
fn suggestions_never_come_from_opinions_such_as_how_helpful_fim_is() {
    let dir = common::tempdir();
    let planted: HashMap<String, String> = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .from_path(common::root().join("data/survey-planted-types.csv"))
        .unwrap()
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[0].to_string(), r[1].to_string())
        })
        .collect();
    let (header, mut rows) = common::shipped_rows();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    for row in &mut rows {
        let service = planted[&row[0]] == "serviceorientierte";
        row[column("fim_bekannt")] = "1".into();
        for fim in ["fim_leistungen", "fim_datenfelder", "fim_prozesse"] {
            row[column(fim)] = if service { "1" } else { "4" }.into();
        }
        row[column("basis_eid")] = if service { "1" } else { "5" }.into();
    }
    let mut w = csv::Writer::from_path(dir.path().join("survey.csv")).unwrap();
    w.write_record(&header).unwrap();
    for row in &rows {
        w.write_record(row).unwrap();
    }
    w.flush().unwrap();
    common::success_stdout(common::typfrage(&dir).args([
        "cluster",
        "survey.csv",
        "--out",
        "m",
        "--n-init",
        "5",
    ]));
    let model: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("m/model.json")).unwrap())
            .unwrap();
    let lessons: Vec<&str> = model["feedback"]["lessons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["variable"].as_str().unwrap())
        .collect();
    assert!(lessons.contains(&"basis_eid"), "{lessons:?}");
    assert!(
        !lessons.iter().any(|v| v.starts_with("fim_")),
        "{lessons:?}"
    );
    common::success_stdout(common::typfrage(&dir).args([
        "feedback",
        "m/model.json",
        "survey.csv",
        "--out",
        "fb",
        "--lang",
        "en",
    ]));
    let (mut eid, mut sheets) = (0, 0);
    for entry in std::fs::read_dir(dir.path().join("fb")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "html") {
            let page = std::fs::read_to_string(&path).unwrap();
            assert!(!page.contains("FIM"), "{}", path.display());
            eid += usize::from(page.contains("eID function"));
            sheets += 1;
        }
    }
    assert!(
        sheets > 100 && eid > 100,
        "{eid} of {sheets} sheets suggest the eID function"
    );
}

/// Regression (`position --from` read a workbook's first sheet only, and took `--sheet` and
/// `--mapping` without using them): a workbook (written by rust_xlsxwriter, not typfrage) with a
/// notes sheet first and the survey on its second sheet, under other column names, is read with
/// `--sheet` and `--mapping` as every other command reads a survey, and gives the sheet that the
/// shipped CSV gives (and so does `feedback`); without `--sheet` the first sheet is read (and has no survey); `--sheet`
/// without `--from` is a usage error.
#[test]
fn position_from_a_workbook_reads_the_sheet_and_mapping_asked_for() {
    let dir = common::tempdir();
    let model = shipped_model(&dir);
    let (header, rows) = common::shipped_rows();
    let renamed = |h: &str| match h {
        "id" => "Kennung".to_string(),
        h if goal(h) => format!("Z_{h}"),
        h => h.to_string(),
    };
    let mut book = rust_xlsxwriter::Workbook::new();
    let notes = book.add_worksheet().set_name("Hinweise").unwrap();
    notes
        .write_string(0, 0, "Befragung auf dem zweiten Blatt")
        .unwrap();
    let sheet = book.add_worksheet().set_name("Befragung").unwrap();
    for (c, h) in header.iter().enumerate() {
        sheet.write_string(0, c as u16, renamed(h)).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32 + 1, c as u16);
            match cell.parse::<f64>() {
                Ok(v) if c > 0 => sheet.write_number(r, c, v).map(|_| ()),
                _ if cell.is_empty() => Ok(()),
                _ => sheet.write_string(r, c, cell).map(|_| ()),
            }
            .unwrap();
        }
    }
    book.save(dir.path().join("umfrage.xlsx")).unwrap();
    let mut mapping = String::from("[columns]\nKennung = \"id\"\n");
    for h in header.iter().filter(|h| goal(h)) {
        mapping.push_str(&format!("Z_{h} = \"{h}\"\n"));
    }
    std::fs::write(dir.path().join("map.toml"), mapping).unwrap();

    let position = |file: &str, extra: &[&str]| {
        let mut cmd = common::typfrage(&dir);
        cmd.args(["position", model.to_str().unwrap(), "--from", file])
            .args(["--id", "SYN-0007", "--lang", "en"])
            .args(extra);
        cmd
    };
    let from_csv = common::success_stdout(&mut position(
        common::shipped_survey().to_str().unwrap(),
        &[],
    ));
    let from_book = common::success_stdout(&mut position(
        "umfrage.xlsx",
        &["--sheet", "Befragung", "--mapping", "map.toml"],
    ));
    assert!(from_book.contains("SYN-0007: The "), "{from_book}");
    assert!(from_book.contains("(umfrage.xlsx)"), "{from_book}");
    assert_eq!(from_book.replace("umfrage.xlsx", "survey.csv"), from_csv);

    // without --sheet: the first sheet, which holds no survey
    let stderr =
        common::failure_stderr(&mut position("umfrage.xlsx", &["--mapping", "map.toml"]), 1);
    assert!(stderr.contains("'Hinweise'"), "{stderr}");
    // without --mapping: the renamed columns are not the codebook's
    let stderr =
        common::failure_stderr(&mut position("umfrage.xlsx", &["--sheet", "Befragung"]), 1);
    assert!(stderr.contains("Kennung"), "{stderr}");
    // --sheet says how to read --from: without it, a usage error
    let stderr = common::failure_stderr(
        common::typfrage(&dir).args([
            "position",
            model.to_str().unwrap(),
            "--rating",
            "ziel_effizienz=5",
            "--sheet",
            "Befragung",
        ]),
        2,
    );
    assert!(stderr.contains("--sheet and --mapping"), "{stderr}");
    // feedback, which shares the reading, reads the same sheet (it too ignored --sheet)
    common::success_stdout(common::typfrage(&dir).args([
        "feedback",
        model.to_str().unwrap(),
        "umfrage.xlsx",
        "--sheet",
        "Befragung",
        "--mapping",
        "map.toml",
        "--out",
        "fb",
    ]));
    let index = std::fs::read_to_string(dir.path().join("fb/index.csv")).unwrap();
    assert!(index.lines().any(|l| l.starts_with("SYN-0007,")), "{index}");
}

/// The ratings of issue 28's report: 5,4,5,3,2,2,3,3,4,3,2 in the model's goal order.
fn issue_28_ratings(model: &Path) -> Vec<String> {
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(model).unwrap()).unwrap();
    m["variables"]
        .as_array()
        .unwrap()
        .iter()
        .zip([5, 4, 5, 3, 2, 2, 3, 3, 4, 3, 2])
        .flat_map(|(v, r)| {
            [
                "--rating".to_string(),
                format!("{}={r}", v.as_str().unwrap()),
            ]
        })
        .collect()
}

/// Regression (issue 28): an English sheet showed the German motto although the type definitions
/// carry `motto_en`, and a suggestion given by both nearest other types was listed twice. For
/// the issue's ratings, in both languages: the motto in the run's language (console, sheet,
/// self-check page), each suggested answer once.
#[test]
fn position_shows_the_motto_in_its_language_and_each_suggestion_once() {
    let dir = common::tempdir();
    let model = shipped_model(&dir);
    let ratings = issue_28_ratings(&model);
    let types = std::fs::read_to_string(common::root().join("data/types.toml")).unwrap();
    let mottos = |key: &str| -> Vec<String> {
        types
            .lines()
            .filter_map(|l| l.strip_prefix(&format!("{key} = \"")))
            .map(|l| l.trim_end_matches('"').to_string())
            .collect()
    };
    let (de, en) = (mottos("motto"), mottos("motto_en"));
    assert_eq!((de.len(), en.len()), (4, 4));
    for (lang, own, other) in [("de", &de, &en), ("en", &en, &de)] {
        let out = format!("sheet-{lang}.html");
        let text = common::success_stdout(
            common::typfrage(&dir)
                .args(["position", model.to_str().unwrap(), "--id", "Musterstadt"])
                .args(&ratings)
                .arg("--survey")
                .arg(common::shipped_survey())
                .args(["--lang", lang, "--out", &out]),
        );
        let page = std::fs::read_to_string(dir.path().join(&out)).unwrap();
        for (what, body) in [("console", &text), ("sheet", &page)] {
            assert!(
                own.iter().any(|m| body.contains(m.as_str())),
                "{lang} {what}: no motto\n{body}"
            );
            for m in other {
                assert!(!body.contains(m.as_str()), "{lang} {what}: {m}\n{body}");
            }
        }
        let suggestions: Vec<&str> = text
            .lines()
            .filter_map(|l| l.strip_prefix("  - "))
            .collect();
        assert!(!suggestions.is_empty(), "{text}");
        let items: Vec<&str> = suggestions
            .iter()
            .map(|s| s.split(" (").next().unwrap())
            .collect();
        for (i, item) in items.iter().enumerate() {
            assert!(!items[..i].contains(item), "{item} twice:\n{text}");
        }
        let page_items = page.matches("<li>").count();
        assert!(page_items >= suggestions.len(), "{page}");
        common::success_stdout(common::typfrage(&dir).args([
            "selfcheck",
            model.to_str().unwrap(),
            "--lang",
            lang,
            "--out",
            &format!("self-{lang}.html"),
        ]));
        let page = std::fs::read_to_string(dir.path().join(format!("self-{lang}.html"))).unwrap();
        for m in own {
            assert!(
                page.contains(m.as_str()),
                "{lang} self-check page lacks {m}"
            );
        }
        for m in other {
            assert!(!page.contains(m.as_str()), "{lang} self-check page: {m}");
        }
    }
}

#[test]
fn a_municipality_from_the_survey_is_not_its_own_nearest_neighbour() {
    let dir = common::tempdir();
    let model = shipped_model(&dir);
    let nearest = |extra: &[&str]| {
        let text = common::success_stdout(
            common::typfrage(&dir)
                .args(["--lang", "en", "position"])
                .arg(&model)
                .arg("--from")
                .arg(common::shipped_survey())
                .args(["--id", "SYN-0001"])
                .args(extra),
        );
        let block = text
            .split("\n\n")
            .find(|b| b.trim_start().starts_with("Nearest"))
            .unwrap_or_else(|| panic!("{text}"))
            .to_string();
        block
    };
    let survey = common::shipped_survey();
    let with_survey = nearest(&["--survey", survey.to_str().unwrap()]);
    assert!(!with_survey.contains("SYN-0001 "), "{with_survey}");
    assert_eq!(
        with_survey,
        nearest(&[]),
        "--survey naming the --from file lists the same"
    );
}

/// A model fitted with another codebook than the built-in one: `classify`, `position`, `feedback`
/// and `selfcheck --survey` without `--codebook` would check the rows against the study's
/// questionnaire; each says which codebook the model needs instead, and reads the survey with it.
#[test]
fn a_model_of_another_codebook_asks_for_that_codebook() {
    let dir = common::tempdir();
    let book = std::fs::read_to_string(common::root().join("data/codebook.toml"))
        .unwrap()
        .replacen("version = \"", "version = \"wave-2-", 1);
    std::fs::write(dir.path().join("wave2.toml"), book).unwrap();
    common::success_stdout(
        common::typfrage(&dir)
            .arg("cluster")
            .arg(common::shipped_survey())
            .args(["--codebook", "wave2.toml", "--out", "m", "--n-init", "5"]),
    );
    let survey = common::shipped_survey();
    let survey = survey.to_str().unwrap();
    // each run with the file it writes (none: position prints)
    let runs: [(&[&str], Option<&str>); 4] = [
        (
            &["classify", "m/model.json", survey, "--out", "c.csv"],
            Some("c.csv"),
        ),
        (
            &[
                "position",
                "m/model.json",
                "--from",
                survey,
                "--id",
                "SYN-0001",
            ],
            None,
        ),
        (
            &["feedback", "m/model.json", survey, "--out", "fb"],
            Some("fb/index.html"),
        ),
        (
            &[
                "selfcheck",
                "m/model.json",
                "--survey",
                survey,
                "--out",
                "s.html",
            ],
            Some("s.html"),
        ),
    ];
    for (args, writes) in runs {
        let stderr = common::failure_stderr(common::typfrage(&dir).args(args), 2);
        assert!(
            stderr.contains("was fitted with the codebook \"")
                && stderr.contains("wave-2-")
                && stderr.contains("give that codebook with --codebook FILE"),
            "{args:?}: {stderr}"
        );
        let written = writes.map(|w| dir.path().join(w));
        assert!(written.as_ref().is_none_or(|w| !w.exists()), "{args:?}");
        common::success_stdout(
            common::typfrage(&dir)
                .args(args)
                .args(["--codebook", "wave2.toml"]),
        );
        assert!(written.is_none_or(|w| w.exists()), "{args:?}");
    }
}
