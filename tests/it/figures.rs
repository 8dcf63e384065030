//! The published figures and findings, recomputed from the shipped stand-in data.

use crate::common;

use std::sync::Arc;

use typfrage::figures::{check, FiguresReport, Published, Verdict};
use typfrage::lang::Lang;
use typfrage::show::views::figures::readings::figure_reading;
use typfrage::show::views::figures::render::{render, Format};
use typfrage::survey::{load_path, Codebook};

/// The shipped survey, checked against the built-in published figures.
fn shipped_report() -> FiguresReport {
    let codebook = Arc::new(Codebook::builtin());
    let survey = load_path(&common::shipped_survey(), codebook)
        .unwrap()
        .survey;
    check(&survey, &Published::builtin()).unwrap()
}

#[test]
fn every_published_figure_and_finding_has_a_computation() {
    let report = shipped_report();
    let missing: Vec<&str> = report
        .figures
        .iter()
        .filter(|f| f.computed.is_none())
        .map(|f| f.published.id.as_str())
        .chain(
            report
                .findings
                .iter()
                .filter(|f| f.claims.is_empty())
                .map(|f| f.published.id.as_str()),
        )
        .collect();
    assert!(missing.is_empty(), "no computation for {missing:?}");
}

#[test]
fn the_shipped_data_reproduce_every_published_figure_and_finding() {
    let codebook = Arc::new(Codebook::builtin());
    let survey = load_path(&common::shipped_survey(), codebook)
        .unwrap()
        .survey;
    let published = Published::builtin();
    let report = check(&survey, &published).unwrap();
    assert_eq!(report.figures.len(), published.figures.len());
    assert_eq!(report.findings.len(), published.findings.len());
    assert!(
        report.failures().is_empty(),
        "not reproduced: {:?}",
        report.failures()
    );
    // the bases are what the figures name: "all" is every municipality that answered
    let has = report
        .figures
        .iter()
        .find(|f| f.published.id == "strategy_has")
        .unwrap();
    let part = &has.computed.as_ref().unwrap().parts[0];
    let answered = survey
        .codes("strategie_status")
        .unwrap()
        .iter()
        .flatten()
        .count();
    assert_eq!(part.base, answered);
    let with = survey
        .codes("strategie_status")
        .unwrap()
        .iter()
        .filter(|s| *s == Some(1))
        .count();
    assert!((part.value - 100.0 * with as f64 / answered as f64).abs() < 1e-9);
}

/// What `typfrage figures` prints on the shipped survey (it must exit 0).
fn figures_table_of_shipped() -> String {
    let dir = common::tempdir();
    common::success_stdout(
        common::typfrage(&dir)
            .arg("figures")
            .arg(common::shipped_survey())
            .arg("--out")
            .arg(dir.path()),
    )
}

#[test]
fn figures_command_exits_0_and_prints_the_table() {
    let text = figures_table_of_shipped();
    assert!(text.contains("strategy_has"));
    assert!(
        text.contains("\n43 of 43 figures and 13 of 13 findings reproduced\n"),
        "{text}"
    );
}

#[test]
fn figures_as_markdown_snapshot() {
    insta::assert_snapshot!(render(&shipped_report(), Format::Markdown, Lang::En).unwrap());
}

#[test]
fn csv_and_json_formats_parse() {
    let dir = common::tempdir();
    for format in ["csv", "json"] {
        let out = common::typfrage(&dir)
            .args(["figures", "--format", format])
            .arg(common::shipped_survey())
            .arg("--out")
            .arg(dir.path())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        if format == "json" {
            let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            assert_eq!(doc["figures"].as_array().unwrap().len(), 43);
            assert_eq!(doc["figures"][0]["verdict"], "reproduced");
        } else {
            let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
            let rows = reader.records().count();
            assert!(rows >= 43 + 13, "{rows}");
        }
    }
}

/// Changes 30 municipalities' strategy status from "developing" to "not yet a topic" in a copy of
/// the survey: the strategy figures must move and fail, and the command must exit 3 naming them.
#[test]
fn changed_answers_change_the_figures_and_fail_the_check() {
    let text = std::fs::read_to_string(common::shipped_survey()).unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let header_at = lines.iter().position(|l| !l.starts_with('#')).unwrap();
    let header: Vec<&str> = lines[header_at].split(',').collect();
    let status = header
        .iter()
        .position(|h| *h == "strategie_status")
        .unwrap();
    let routed: Vec<usize> = header
        .iter()
        .enumerate()
        .filter(|(_, h)| {
            h.starts_with("feld_") || h.starts_with("anknuepfung_") || h.starts_with("top3_")
        })
        .map(|(i, _)| i)
        .collect();
    let mut changed = 0;
    for line in lines.iter_mut().skip(header_at + 1) {
        let mut cells: Vec<String> = line.split(',').map(String::from).collect();
        if changed < 30 && cells[status] == "2" {
            cells[status] = "4".into();
            for &i in &routed {
                cells[i] = "-8".into();
            }
            changed += 1;
            *line = cells.join(",");
        }
    }
    assert_eq!(changed, 30);
    let dir = common::tempdir();
    let path = dir.path().join("changed.csv");
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();

    let codebook = Arc::new(Codebook::builtin());
    let original = load_path(&common::shipped_survey(), Arc::clone(&codebook))
        .unwrap()
        .survey;
    let modified = load_path(&path, codebook).unwrap().survey;
    let published = Published::builtin();
    let before = check(&original, &published).unwrap();
    let after = check(&modified, &published).unwrap();
    let value = |r: &typfrage::figures::FiguresReport, id: &str| {
        let f = r.figures.iter().find(|f| f.published.id == id).unwrap();
        (f.computed.as_ref().unwrap().parts[0].value, f.verdict)
    };
    let (dev_before, _) = value(&before, "strategy_developing");
    let (dev_after, verdict) = value(&after, "strategy_developing");
    let answered = original
        .codes("strategie_status")
        .unwrap()
        .iter()
        .flatten()
        .count() as f64;
    assert!((dev_before - dev_after - 100.0 * 30.0 / answered).abs() < 1e-9);
    assert_eq!(verdict, Verdict::NotReproduced);
    assert_eq!(
        value(&after, "strategy_has_or_developing").1,
        Verdict::NotReproduced
    );
    assert_eq!(
        value(&after, "strategy_has").1,
        Verdict::Reproduced,
        "the 'has' share is untouched"
    );

    let out = common::typfrage(&dir)
        .arg("figures")
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("not reproduced: ") && err.contains("strategy_developing"),
        "{err}"
    );
    assert!(!err.contains("strategy_has,"), "{err}");
}

/// The stand-in data were once fitted onto the printed integers (every "exact" figure within
/// ±0.26 of it), which made "reproduced" circular. The calibration now aims at a target drawn
/// inside each published range: the exact figures must spread over their ±0.5 range.
#[test]
fn calibrated_exact_figures_are_not_clustered_on_the_printed_integers() {
    let report = shipped_report();
    let deviations: Vec<f64> = report
        .figures
        .iter()
        .filter(|f| f.published.relation == typfrage::figures::Relation::Exact)
        .flat_map(|f| {
            let parts = &f.computed.as_ref().unwrap().parts;
            parts.iter().map(|p| (p.value - f.published.value).abs())
        })
        .collect();
    assert!(deviations.len() >= 20, "{deviations:?}");
    let far = deviations.iter().filter(|d| **d > 0.3).count();
    assert!(
        5 * far >= deviations.len(),
        "only {far} of {} exact figures lie more than 0.3 from the printed integer: {deviations:?}",
        deviations.len()
    );
}

/// Every reading that decides a verdict is printed with the figures and stated in the figures
/// documentation (docs/figures.md), with the rules that decide the findings.
#[test]
fn every_reading_is_in_the_figures_output_and_the_docs() {
    let docs = std::fs::read_to_string(common::root().join("docs/figures.md")).unwrap();
    let text = figures_table_of_shipped();
    for fig in &Published::builtin().figures {
        let reading = figure_reading(&fig.id, Lang::En);
        assert!(!reading.is_empty(), "{}: no reading", fig.id);
        assert!(
            text.contains(&format!("  {}: {reading}", fig.id)),
            "{}: reading not printed",
            fig.id
        );
        assert!(
            docs.contains(reading),
            "docs/figures.md does not state the reading of {}: {reading}",
            fig.id
        );
    }
    for rule in [
        "complete cases",
        "without one (planned or not a topic)",
        "upper 95 % confidence bound",
        "per municipality",
        "not (yet) a topic falls with size",
    ] {
        assert!(
            docs.contains(rule),
            "docs/figures.md does not state: {rule}"
        );
    }
}
