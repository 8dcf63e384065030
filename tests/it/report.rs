//! The reporter and the study's charts, end to end with the real binary: profile sheets (Markdown
//! snapshot, HTML with embedded pictures, JSON), charts that decode, have the size they claim and
//! are drawn from the numbers written beside them, and manifests that `verify` re-runs.

use crate::common;

use std::path::Path;

use base64::Engine as _;

/// Every `<stem>.png` in `dir` decodes, has the size its `<stem>.json` states, and
/// `typfrage chart <stem>.json` redraws it byte for byte. Returns how many were checked.
fn check_charts(dir: &Path) -> usize {
    let work = common::tempdir();
    let mut checked = 0;
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "png"))
        .collect();
    entries.sort();
    for png in entries {
        let bytes = std::fs::read(&png).unwrap();
        let spec_path = png.with_extension("json");
        let spec: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&spec_path).unwrap()).unwrap();
        let size = (
            spec["size"][0].as_u64().unwrap() as u32,
            spec["size"][1].as_u64().unwrap() as u32,
        );
        assert_eq!(common::png_size(&bytes), size, "{}", png.display());
        let redrawn = work.path().join("redrawn.png");
        common::success_stdout(
            common::typfrage(&work)
                .arg("chart")
                .arg(&spec_path)
                .arg("--out")
                .arg(&redrawn),
        );
        assert!(
            std::fs::read(&redrawn).unwrap() == bytes,
            "{} is not what its .json draws",
            png.display()
        );
        assert!(png.with_extension("csv").exists());
        checked += 1;
    }
    checked
}

#[test]
fn figures_draws_the_study_charts_from_the_data() {
    let dir = common::tempdir();
    common::success_stdout(
        common::typfrage(&dir)
            .arg("figures")
            .arg(common::shipped_survey())
            .args(["--out", "out"]),
    );
    let out = dir.path().join("out");
    assert_eq!(check_charts(&out), 11, "Abb. 1-10 and the cover");

    // Abb. 10 holds the broadband grades counted here from the survey file itself
    let body = common::shipped_survey_body();
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let column = reader
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "breitband_note")
        .unwrap();
    let mut counts = [0u64; 6];
    for record in reader.records() {
        let value: i64 = record.unwrap()[column].parse().unwrap_or(-9);
        if (1..=6).contains(&value) {
            counts[value as usize - 1] += 1;
        }
    }
    let answered: u64 = counts.iter().sum();
    let chart: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("abb-10-broadband.json")).unwrap())
            .unwrap();
    for (grade, &n) in counts.iter().enumerate() {
        let cell = &chart["cells"][grade][0];
        assert_eq!(cell["count"].as_u64().unwrap(), n);
        assert_eq!(cell["base"].as_u64().unwrap(), answered);
        let value = cell["value"].as_f64().unwrap();
        assert!((value - 100.0 * n as f64 / answered as f64).abs() < 1e-9);
    }
    // and the CSV beside it says the same
    let csv_text = std::fs::read_to_string(out.join("abb-10-broadband.csv")).unwrap();
    let mut rows = csv::Reader::from_reader(csv_text.as_bytes());
    let first = rows.records().next().unwrap().unwrap();
    assert_eq!(first[3].parse::<u64>().unwrap(), counts[0]);
}

#[test]
fn verify_reruns_a_manifest_and_names_what_differs() {
    let dir = common::tempdir();
    let survey = dir.path().join("survey.csv");
    std::fs::copy(common::shipped_survey(), &survey).unwrap();
    common::success_stdout(
        common::typfrage(&dir)
            .args(["figures", "survey.csv", "--out", "figs"])
            .arg("--lang")
            .arg("en"),
    );
    let manifest = dir.path().join("figs/manifest.json");
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&manifest).unwrap()).unwrap();
    assert_eq!(m["inputs"][0]["role"], "survey");
    assert_eq!(m["inputs"][0]["path"], "../survey.csv");
    assert_eq!(m["outputs"].as_array().unwrap().len(), 37);
    let text = common::success_stdout(common::typfrage(&dir).arg("verify").arg(&manifest));
    assert!(
        text.contains("verified: the re-run wrote the same 37 files"),
        "{text}"
    );

    // the folder can be verified from anywhere
    let elsewhere = common::tempdir();
    common::success_stdout(common::typfrage(&elsewhere).arg("verify").arg(&manifest));

    // an output changed by hand is named
    let chart = dir.path().join("figs/abb-04-data-uses.csv");
    std::fs::write(&chart, "row,series,value\nx,y,1\n").unwrap();
    let err = common::failure_stderr(common::typfrage(&dir).arg("verify").arg(&manifest), 4);
    assert!(
        err.contains("changed on disk") && err.contains("abb-04-data-uses.csv"),
        "{err}"
    );

    // a changed input is named, and nothing is compared
    let mut text = std::fs::read_to_string(&survey).unwrap();
    text.push('\n');
    std::fs::write(&survey, text).unwrap();
    let err = common::failure_stderr(common::typfrage(&dir).arg("verify").arg(&manifest), 4);
    assert!(err.contains("survey") && err.contains("recorded"), "{err}");
}

#[test]
fn cluster_writes_a_manifest_that_verifies() {
    let dir = common::tempdir();
    common::success_stdout(
        common::typfrage(&dir)
            .arg("cluster")
            .arg(common::shipped_survey())
            .args(["--out", "types", "--n-init", "10"]),
    );
    let manifest = dir.path().join("types/manifest.json");
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&manifest).unwrap()).unwrap();
    assert_eq!(m["seed"], 2020);
    assert_eq!(m["request"]["options"]["n_init"], 10);
    let names: Vec<&str> = m["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["path"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["assignments.csv", "model.json", "types.xlsx"]);
    common::success_stdout(common::typfrage(&dir).arg("verify").arg(&manifest));

    // an output edited after the run is named
    let assignments = dir.path().join("types/assignments.csv");
    let mut text = std::fs::read_to_string(&assignments).unwrap();
    text = text.replacen("bedaechtige", "optimierer", 1);
    std::fs::write(&assignments, text).unwrap();
    let err = common::failure_stderr(common::typfrage(&dir).arg("verify").arg(&manifest), 4);
    assert!(
        err.contains("changed on disk") && err.contains("assignments.csv"),
        "{err}"
    );
}

#[test]
fn profile_sheets_markdown_html_json_and_charts() {
    let dir = common::tempdir();
    let text = common::success_stdout(
        common::typfrage(&dir)
            .arg("profile")
            .arg(common::shipped_survey())
            .args([
                "--out",
                "p",
                "--crosstab",
                "strategie_status,breitband_note",
                "--lang",
                "de",
            ]),
    );
    assert!(text.contains("report.html"), "{text}");
    let p = dir.path().join("p");
    // 4 type profiles, sizes, heatmap, map, silhouettes, 2 cross-tab charts
    // and the split chart and the three-question tree (issue 29)
    assert_eq!(check_charts(&p.join("charts")), 12);

    let sheet = std::fs::read_to_string(p.join("profile-bedaechtige.md")).unwrap();
    insta::assert_snapshot!("profile_bedaechtige_de", sheet);

    // the HTML report embeds every chart as a PNG that decodes
    let html = std::fs::read_to_string(p.join("report.html")).unwrap();
    let images: Vec<&str> = html.split("data:image/png;base64,").skip(1).collect();
    assert_eq!(
        images.len(),
        4 + 4 + 2 + 2,
        "overview charts, type profiles, cross-tabs, split chart and tree"
    );
    for image in images {
        let data = &image[..image.find('"').unwrap()];
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(data)
            .unwrap();
        let (w, h) = common::png_size(&bytes);
        // the type charts 1200 wide; the split chart and the tree, laid out across, 1600
        assert!((w == 1200 || w == 1600) && h > 300, "{w}x{h}");
    }
    assert!(
        !html.contains("src=\"charts/"),
        "no picture left outside the file"
    );

    // JSON: every type, and every cross-tab with its test
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(p.join("profiles.json")).unwrap()).unwrap();
    assert_eq!(json["types"].as_array().unwrap().len(), 4);
    let crosstabs = json["crosstabs"].as_array().unwrap();
    assert!(crosstabs.len() > 70, "{}", crosstabs.len());
    assert!(crosstabs.iter().all(|c| c["variable"]
        .as_str()
        .is_some_and(|v| !v.starts_with("ziel_"))));
    let sizes: u64 = json["types"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["n"].as_u64().unwrap())
        .sum();
    assert_eq!(sizes, json["clustered"].as_u64().unwrap());
}

#[test]
fn profile_speaks_english_on_request() {
    let p = common::shared_run("profile", &["--lang", "en", "--n-init", "10"]);
    let sheet = std::fs::read_to_string(p.join("profile-optimierer.md")).unwrap();
    for heading in [
        "# The Optimisers",
        "## Goal profile",
        "## Strengths",
        "## What this type can learn from the others",
        "## Most typical municipalities",
        "## How to read this",
    ] {
        assert!(sheet.contains(heading), "{heading} missing:\n{sheet}");
    }
    assert!(!sheet.contains("Kommunen"), "German left in:\n{sheet}");
}

#[test]
fn unknown_crosstab_variable_is_a_clear_error() {
    let dir = common::tempdir();
    let err = common::failure_stderr(
        common::typfrage(&dir)
            .arg("profile")
            .arg(common::shipped_survey())
            .args([
                "--out",
                "p",
                "--crosstab",
                "ziel_effizienz",
                "--n-init",
                "5",
            ]),
        1,
    );
    assert!(
        err.contains("ziel_effizienz") && err.contains("not clustered on"),
        "{err}"
    );
    assert!(!dir.path().join("p/report.html").exists());
}

#[test]
fn a_broken_chart_file_is_an_error_not_a_panic() {
    let dir = common::tempdir();
    let spec = dir.path().join("c.json");
    std::fs::write(&spec, r#"{"kind": "bars", "title": "x"}"#).unwrap();
    let err = common::failure_stderr(common::typfrage(&dir).arg("chart").arg(&spec), 1);
    assert!(err.contains("not a chart file of typfrage"), "{err}");
}

#[test]
fn a_chart_file_of_an_unsupported_version_is_refused() {
    let dir = common::tempdir();
    let spec = dir.path().join("c.json");
    std::fs::write(
        &spec,
        r##"{"version": 2, "kind": "bars", "title": "x", "note": "", "value_label": "",
            "stacked": false, "percent": true, "range": [0.0, 100.0], "rows": ["a"],
            "series": ["s"], "colors": ["#0072B2"],
            "cells": [[{"value": 50.0, "count": 1, "base": 2}]], "size": [800, 400]}"##,
    )
    .unwrap();
    let err = common::failure_stderr(common::typfrage(&dir).arg("chart").arg(&spec), 1);
    assert!(
        err.contains(
            "c.json: chart file version 2 is not supported; this typfrage reads chart files of version 1"
        ),
        "{err}"
    );
    assert!(!dir.path().join("c.png").exists());
    // the same file as version 1 is drawn
    let v1 = std::fs::read_to_string(&spec)
        .unwrap()
        .replace("\"version\": 2", "\"version\": 1");
    std::fs::write(&spec, v1).unwrap();
    common::success_stdout(common::typfrage(&dir).arg("chart").arg(&spec));
    assert!(dir.path().join("c.png").exists());
}

#[test]
fn strengths_and_lessons_never_restate_the_clustering_goals() {
    // Community Manager's six lessons were all "Top-3-Ziel der Strategie: …": the goals the types
    // are built from, said back. Now they come from what a municipality does or has.
    let p = common::shared_run("profile", &["--lang", "de", "--n-init", "10"]);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(p.join("profiles.json")).unwrap()).unwrap();
    let book = typfrage::survey::Codebook::builtin();
    // the top-3 goals are marked, still cross-tabulated, and would qualify on their numbers
    let crosstabs = json["crosstabs"].as_array().unwrap();
    let top3: Vec<&serde_json::Value> = crosstabs
        .iter()
        .filter(|c| c["variable"].as_str().unwrap().starts_with("top3_"))
        .collect();
    assert_eq!(top3.len(), 11);
    for c in &top3 {
        let v = c["variable"].as_str().unwrap();
        assert_eq!(
            c["restates"],
            format!("ziel_{}", &v["top3_".len()..]).as_str()
        );
    }
    assert!(
        top3.iter().any(|c| c["p_value"].as_f64().unwrap() < 0.05),
        "some top-3 goal differs significantly by type, so only the rule keeps it out"
    );
    let listed = strengths_and_lessons(&json);
    for v in &listed {
        let var = book.variable(v).unwrap();
        assert_eq!(var.role, typfrage::survey::Role::Profile, "{v}");
        assert!(
            var.derived_from.is_none(),
            "{v} restates a clustering variable"
        );
    }
    assert!(
        !listed.is_empty(),
        "the sheets still list strengths and lessons"
    );
    let sheet = std::fs::read_to_string(p.join("profile-community_manager.md")).unwrap();
    assert!(
        sheet.contains("nie aus den Clustervariablen"),
        "the rule is stated:\n{sheet}"
    );
}

#[test]
fn strengths_and_lessons_never_come_from_opinions() {
    // How helpful FIM's services are is an opinion, not something a type does or has, nor
    // something another municipality can take up. Made "very helpful" for every Community Manager
    // who rates it and "not helpful" for everyone else (the types are built from the goals alone,
    // so they stay), it differs strongly by type and is still neither a strength nor a lesson; it
    // stays in the cross-tabs.
    let before = common::shared_run("profile", &["--lang", "en", "--n-init", "10"]);
    let dir = common::tempdir();
    let community_managers: std::collections::HashSet<String> =
        common::csv_rows(&before.join("assignments.csv"))
            .into_iter()
            .filter(|r| r["type"] == "community_manager")
            .map(|r| r["id"].clone())
            .collect();
    let (header, mut rows) = common::shipped_rows();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (id, fim) = (column("id"), column("fim_leistungen"));
    let mut changed = 0;
    for row in &mut rows {
        if matches!(row[fim].as_str(), "1" | "2" | "3" | "4" | "5") {
            let own = community_managers.contains(&row[id]);
            row[fim] = if own { "1" } else { "4" }.to_string();
            changed += 1;
        }
    }
    assert!(changed > 50, "{changed} municipalities rate FIM's services");
    let mut writer = csv::Writer::from_path(dir.path().join("s.csv")).unwrap();
    writer.write_record(&header).unwrap();
    for row in &rows {
        writer.write_record(row).unwrap();
    }
    writer.flush().unwrap();
    common::success_stdout(
        common::typfrage(&dir)
            .arg("profile")
            .arg("s.csv")
            .args(["--out", "p", "--n-init", "10", "--lang", "en"]),
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("p/profiles.json")).unwrap())
            .unwrap();
    let fim_table = json["crosstabs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["variable"] == "fim_leistungen")
        .expect("the opinion stays in the cross-tabs");
    assert!(
        fim_table["p_value"].as_f64().unwrap() < 0.001,
        "it differs by type, so only the rule keeps it out: {fim_table}"
    );
    let book = typfrage::survey::Codebook::builtin();
    let listed = strengths_and_lessons(&json);
    for v in &listed {
        assert!(!book.variable(v).unwrap().opinion, "{v} is an opinion");
    }
    assert!(
        !listed.is_empty(),
        "the sheets still list strengths and lessons"
    );
    let sheet = std::fs::read_to_string(dir.path().join("p/profile-community_manager.md")).unwrap();
    assert!(
        sheet.contains("never from opinions"),
        "the rule is stated:\n{sheet}"
    );
}

/// The variables of every type's strengths and lessons in a `profiles.json`.
fn strengths_and_lessons(json: &serde_json::Value) -> Vec<String> {
    json["types"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|t| {
            let listed = t["strengths"].as_array().unwrap().iter();
            listed.chain(t["lessons"].as_array().unwrap())
        })
        .map(|item| item["variable"].as_str().unwrap().to_string())
        .collect()
}

/// The values of `attribute="…"` in an HTML text.
fn attribute_values<'a>(html: &'a str, attribute: &str) -> Vec<&'a str> {
    let open = format!("{attribute}=\"");
    html.split(open.as_str())
        .skip(1)
        .map(|rest| &rest[..rest.find('"').unwrap()])
        .collect()
}

/// The report's text without its pictures and tags.
fn visible_text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

/// Words that give away the other language (the report and the sheets speak one language).
const GERMAN_TELLTALES: [&str; 8] = [
    " und ",
    " der ",
    " die ",
    "Kommunen",
    "Anteil",
    "Lesart",
    "Skalierung",
    "Stärken",
];
const ENGLISH_TELLTALES: [&str; 8] = [
    " the ",
    " of ",
    " and ",
    "municipalities",
    "Cramér's",
    "share",
    "Reading",
    "listwise",
];

fn position(html: &str, needle: &str) -> usize {
    html.find(needle)
        .unwrap_or_else(|| panic!("{needle} is not in the report"))
}

#[test]
fn report_html_summary_first_then_contents_then_details_with_unique_ids_and_working_links() {
    let p = common::shared_run("profile", &["--lang", "de", "--n-init", "10"]);
    let html = std::fs::read_to_string(p.join("report.html")).unwrap();

    // ids are unique (the type sheets all have "Zielprofil", "Stärken", …) and every in-page link
    // has its target
    let ids = attribute_values(&html, "id");
    let mut unique = ids.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "repeated ids in {ids:?}");
    assert!(ids.len() > 100, "{}", ids.len());
    let links: Vec<&str> = attribute_values(&html, "href")
        .into_iter()
        .filter_map(|h| h.strip_prefix('#'))
        .collect();
    assert!(
        links.len() >= 10,
        "the contents link every chapter: {links:?}"
    );
    for link in &links {
        assert!(ids.contains(link), "#{link} has no target");
    }

    // the summary first, then the contents, the reading aid, the robustness checks, the types,
    // the cross-tabs, and the data's SHA-256 only in the appendix at the end
    let summary = position(&html, ">Auf einen Blick</h2>");
    let contents = position(&html, "<nav class=\"contents\"");
    let reading = position(&html, ">So lesen Sie diesen Bericht</h2>");
    let robustness = position(&html, ">Robustheit</h2>");
    let first_type = position(&html, ">Die Bedächtigen</h2>");
    let crosstabs = position(&html, ">Kreuztabellen nach Typ</h2>");
    let appendix = position(&html, ">Anhang: Daten und technische Angaben</h2>");
    assert!(summary < contents && contents < reading && reading < robustness);
    assert!(robustness < first_type && first_type < crosstabs && crosstabs < appendix);
    let sha = typfrage::output::sha256_hex(&std::fs::read(common::shipped_survey()).unwrap());
    assert!(
        position(&html, &sha) > appendix,
        "the SHA-256 belongs in the appendix"
    );
    assert!(!html[..appendix].contains(&sha[..12]));

    // the summary puts the mean silhouette, worked out here from assignments.csv, in words on the
    // Kaufman-Rousseeuw bands
    let assignments = std::fs::read_to_string(p.join("assignments.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(assignments.as_bytes());
    let column = reader
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "silhouette")
        .unwrap();
    let silhouettes: Vec<f64> = reader
        .records()
        .filter_map(|r| r.unwrap()[column].parse().ok())
        .collect();
    assert_eq!(silhouettes.len(), 388);
    let mean = silhouettes.iter().sum::<f64>() / silhouettes.len() as f64;
    let band = if mean > 0.70 {
        "eine starke Struktur"
    } else if mean > 0.50 {
        "eine brauchbare Struktur"
    } else if mean > 0.25 {
        "eine schwache Struktur"
    } else {
        "keine substanzielle Struktur"
    };
    let summary_text = &html[summary..contents];
    assert!(
        summary_text.contains(&format!(
            "Die mittlere Silhouette beträgt {}",
            format!("{mean:.2}").replace('.', ",")
        )) && summary_text.contains(&format!("heißt das: {band}.")),
        "{summary_text}"
    );
    // every type with its size and stability, and the k the indices preferred
    for name in [
        "Die Bedächtigen",
        "Die Optimierer",
        "Die Serviceorientierten",
        "Die Community Manager",
    ] {
        assert!(summary_text.contains(&format!("<td>{name}</td>")), "{name}");
    }
    assert!(summary_text.contains("Kaufman und Rousseeuw (1990"));
    assert!(summary_text.contains("Der Bericht verwendet k = 4"));

    // every type has a motto; only the published one is called the study's
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(p.join("profiles.json")).unwrap()).unwrap();
    for t in json["types"].as_array().unwrap() {
        let motto = t["motto"].as_str().unwrap();
        assert!(html.contains(&format!("»{motto}«")), "{motto}");
    }
    assert!(html.contains("»Digitalisierung gelingt nur gemeinsam!« (Motto aus der Studie)"));
    assert_eq!(html.matches("(Motto aus der Studie)").count(), 1);

    // captions add to the chart's title rather than repeat it
    for (alt, caption) in html.split("<figure><img alt=\"").skip(1).filter_map(|f| {
        let alt = &f[..f.find('"').unwrap()];
        let caption = f.split("<figcaption>").nth(1)?;
        Some((alt, &caption[..caption.find("</figcaption>").unwrap()]))
    }) {
        assert!(!caption.contains(alt), "caption repeats the title {alt}");
    }

    // German throughout: no English tell-tale, and numbers and tests as German writes them
    let text = visible_text(&html);
    for word in ENGLISH_TELLTALES {
        assert!(
            !text.contains(word),
            "English '{word}' in the German report"
        );
    }
    assert!(!text.contains("p = <") && text.contains("p < 0,001"));
    assert!(text.contains("Cramérs V"));
}

#[test]
fn report_robustness_agrees_with_the_commands_that_run_each_check() {
    // the report runs the checks through the same library functions with the run's seed: its
    // numbers are those of `stability` and `hierarchy` with the settings it names
    let dir = common::tempdir();
    common::success_stdout(
        common::typfrage(&dir)
            .arg("cluster")
            .arg(common::shipped_survey())
            .args(["--out", "c", "--report", "--lang", "en"]),
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("c/profiles.json")).unwrap())
            .unwrap();
    let rob = &json["robustness"];
    assert_eq!(rob["seed"], 2020);
    assert_eq!(rob["stability"]["resamples"], 100);

    common::success_stdout(
        common::typfrage(&dir)
            .arg("stability")
            .arg(common::shipped_survey())
            .args(["--out", "s", "--resamples", "100", "--n-init", "10"]),
    );
    // stability.csv: a row per resample, a column `jaccard_<type>` per type (6 decimals)
    let text = std::fs::read_to_string(dir.path().join("s/stability.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let records: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(records.len(), 100);
    let ids = [
        "bedaechtige",
        "optimierer",
        "serviceorientierte",
        "community_manager",
    ];
    for (t, id) in ids.iter().enumerate() {
        let column = headers
            .iter()
            .position(|h| h == format!("jaccard_{id}"))
            .unwrap();
        let mean = records
            .iter()
            .map(|r| r[column].parse::<f64>().unwrap())
            .sum::<f64>()
            / 100.0;
        let reported = rob["stability"]["types"][t]["mean_jaccard"]
            .as_f64()
            .unwrap();
        assert!(
            (reported - mean).abs() < 1e-6,
            "{id}: {reported} against {mean}"
        );
    }

    let hierarchy = common::success_stdout(
        common::typfrage(&dir)
            .arg("hierarchy")
            .arg(common::shipped_survey())
            .args(["--out", "h"]),
    );
    let ari = rob["ward"]["ari_ward_two_step"].as_f64().unwrap();
    assert!(
        hierarchy.contains(&format!("adjusted Rand index {ari:.3}")),
        "{ari} not in {hierarchy}"
    );

    // the English report reads them in English, with the German motto only as the original
    let html = std::fs::read_to_string(dir.path().join("c/report.html")).unwrap();
    assert!(html.contains(
        "“Digitalisation only succeeds together!” (the study's motto; German original: »Digitalisierung gelingt nur gemeinsam!«)"
    ));
    for t in json["types"].as_array().unwrap() {
        assert!(t["motto"]
            .as_str()
            .is_some_and(|m| html.contains(&format!("“{m}”"))));
    }
    let text = visible_text(&html).replace("Digitalisierung gelingt nur gemeinsam!", "");
    for word in GERMAN_TELLTALES {
        assert!(
            !text.contains(word),
            "German '{word}' in the English report"
        );
    }
    assert!(text.contains("Robustness") && text.contains("no substantial structure"));
}

/// Regression (printed, the German report had a page with two lines on it before a type's
/// chapter, and a type's last table alone on a page: a forced page break before every chapter
/// after text that ran over by a few lines): no chapter forces a page break; each type's opening
/// (its name, motto, size and composition) and the cross-tabs' opening are kept together on one
/// page instead, in both languages. The printed pages themselves are checked in a browser by
/// scripts/check-report-in-browser.sh (scripts/check-pdf-fill.mjs).
#[test]
fn printed_chapters_follow_on_with_their_openings_kept_together() {
    let dir = common::tempdir();
    for lang in ["de", "en"] {
        common::success_stdout(
            common::typfrage(&dir)
                .arg("profile")
                .arg(common::shipped_survey())
                .args(["--out", lang, "--n-init", "2", "--lang", lang]),
        );
        let html = std::fs::read_to_string(dir.path().join(lang).join("report.html")).unwrap();
        let style = &html[html.find("<style>").unwrap()..html.find("</style>").unwrap()];
        assert!(
            !style.contains("break-before: page") && !style.contains("page-break-before: always"),
            "{style}"
        );
        assert!(
            style.contains("section.opening { break-inside: avoid;"),
            "{style}"
        );
        let composition = if lang == "de" {
            "Zusammensetzung"
        } else {
            "Composition"
        };
        let chapters: Vec<&str> = html.split("<section class=\"chapter\">").skip(1).collect();
        assert_eq!(chapters.len(), 5, "four types and the cross-tabs");
        for (i, chapter) in chapters.iter().enumerate() {
            let opening = chapter
                .strip_prefix("\n<section class=\"opening\">\n<h2")
                .unwrap_or_else(|| panic!("chapter {i} opens with {:?}", &chapter[..80]));
            let end = opening.find("</section>").unwrap();
            // the opening holds the name and one sub-heading with its content, not the next one
            assert_eq!(
                opening[..end].matches("<h3").count(),
                1,
                "{}",
                &opening[..end]
            );
            if i < 4 {
                let opening = &opening[..end];
                assert!(
                    opening.contains(composition) && opening.contains("<table"),
                    "{opening}"
                );
            }
        }
    }
}

/// Regression (issue 28): a composition table showed "<5 von 110" and then n = 3 beside it. On
/// the shipped data's sheets, in both languages, a share masked as "<5 of n" never has an exact
/// count beside it, and the sheets do have such cells.
#[test]
fn a_masked_share_shows_no_count_beside_it() {
    let mut masked = 0;
    for (lang, of) in [("de", "<5 von "), ("en", "<5 of ")] {
        let p = common::shared_run("profile", &["--lang", lang, "--n-init", "10"]);
        for entry in std::fs::read_dir(&p).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if !(name.starts_with("profile-") && name.ends_with(".md")) {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for line in text.lines().filter(|l| l.starts_with('|')) {
                let cells: Vec<&str> = line.split('|').map(str::trim).collect();
                for (i, cell) in cells.iter().enumerate() {
                    if cell.starts_with(of) && cells.len() == 5 {
                        // a composition row: | answer | share | n |
                        masked += 1;
                        let n = cells[i + 1];
                        assert!(n == "<5", "{name}: {line}");
                    }
                }
            }
        }
    }
    assert!(masked > 0, "no masked composition cell on the shipped data");
}
