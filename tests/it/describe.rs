//! What sets each type apart (`characteristics.csv`, `eta2.csv`: FactoMineR's catdes, checked
//! against R itself by tests/reference/check_catdes_against_r.sh) and each municipality's
//! certainty (`assignments.csv`, `classify`, `position`, the self-check page), on the shipped
//! data: the columns, the invariants between the numbers, the same bytes for any thread count,
//! one language per run.

use std::collections::HashMap;

use crate::common::{self, csv_rows, success_stdout, typfrage};

const COLUMNS: &str = "type,variable,category,cla_mod,mod_cla,global,p_value,v_test,mean_in_type,mean_overall,sd_in_type,sd_overall";

fn num(row: &HashMap<String, String>, column: &str) -> f64 {
    row[column]
        .parse()
        .unwrap_or_else(|_| panic!("{column} = '{}' is a number", row[column]))
}

#[test]
fn characteristics_have_the_columns_and_their_shares_fit_the_type_sizes() {
    let out = common::shared_run("cluster", &["--report", "--n-init", "10"]);
    let text = std::fs::read_to_string(out.join("characteristics.csv")).unwrap();
    assert_eq!(text.lines().next(), Some(COLUMNS));
    let rows = csv_rows(&out.join("characteristics.csv"));
    let assignments = csv_rows(&out.join("assignments.csv"));
    let mut size: HashMap<String, f64> = HashMap::new();
    for a in &assignments {
        if !a["type"].is_empty() {
            *size.entry(a["type"].clone()).or_default() += 1.0;
        }
    }
    assert_eq!(size.len(), 4);
    // per variable and category: Cla/Mod over the types sums to 100 and Global is one number;
    // per type and variable: Mod/Cla over the categories sums to 100
    let mut cla_mod: HashMap<(String, String), f64> = HashMap::new();
    let mut global: HashMap<(String, String), f64> = HashMap::new();
    let mut mod_cla: HashMap<(String, String), f64> = HashMap::new();
    for r in &rows {
        let v = num(r, "v_test");
        let p = num(r, "p_value");
        assert!((0.0..=1.0).contains(&p), "{r:?}");
        if r["category"].is_empty() {
            for c in ["cla_mod", "mod_cla", "global"] {
                assert!(r[c].is_empty(), "{r:?}");
            }
            let (m, all, sd) = (
                num(r, "mean_in_type"),
                num(r, "mean_overall"),
                num(r, "sd_overall"),
            );
            assert!(sd >= 0.0 && num(r, "sd_in_type") >= 0.0);
            assert_eq!(v > 0.0, m > all, "{r:?}");
            continue;
        }
        for c in ["mean_in_type", "mean_overall", "sd_in_type", "sd_overall"] {
            assert!(r[c].is_empty(), "{r:?}");
        }
        let (cm, mc, g) = (num(r, "cla_mod"), num(r, "mod_cla"), num(r, "global"));
        // the v-test is positive exactly where the type holds the category more often than all
        if v != 0.0 {
            assert_eq!(v > 0.0, mc > g, "{r:?}");
        }
        let key = (r["variable"].clone(), r["category"].clone());
        *cla_mod.entry(key.clone()).or_default() += cm;
        let before = global.insert(key, g);
        assert!(before.is_none_or(|b| (b - g).abs() < 1e-9), "{r:?}");
        *mod_cla
            .entry((r["type"].clone(), r["variable"].clone()))
            .or_default() += mc;
        // a goal priority is answered by every clustered municipality (listwise): the type's
        // count in the category is Mod/Cla of its size, a whole number
        if r["variable"].starts_with("ziel_") {
            let count = mc / 100.0 * size[&r["type"]];
            assert!((count - count.round()).abs() < 1e-6, "{r:?}");
        }
    }
    assert!(cla_mod.values().all(|s| (s - 100.0).abs() < 1e-6));
    assert!(mod_cla.values().all(|s| (s - 100.0).abs() < 1e-6));
    // every type has its rows together, and v-tests sorted largest first within categories
    let types: Vec<&str> = rows.iter().map(|r| r["type"].as_str()).collect();
    let mut seen: Vec<&str> = types.clone();
    seen.dedup();
    assert_eq!(seen.len(), 4, "the rows of a type stand together");
    let eta2 = csv_rows(&out.join("eta2.csv"));
    assert!(eta2.len() >= 11, "the goals, ordinal and numeric variables");
    for e in &eta2 {
        assert!((0.0..=1.0).contains(&num(e, "eta2")) && (0.0..=1.0).contains(&num(e, "p_value")));
    }
    // the result folder's manifest lists both, so verify re-checks them
    let manifest = std::fs::read_to_string(out.join("manifest.json")).unwrap();
    assert!(manifest.contains("\"characteristics.csv\"") && manifest.contains("\"eta2.csv\""));
}

#[test]
fn certainty_is_a_share_of_100_resamples_and_the_same_for_any_thread_count() {
    let dir = common::tempdir();
    let run = |threads: &str, out: &str| {
        success_stdout(
            typfrage(&dir)
                .env("RAYON_NUM_THREADS", threads)
                .args(["--threads", threads, "cluster"])
                .arg(common::shipped_survey())
                .args(["--n-init", "5", "--certainty", "--out", out]),
        );
        std::fs::read(dir.path().join(out).join("assignments.csv")).unwrap()
    };
    let one = run("1", "one");
    let two = run("2", "two");
    assert_eq!(one, two, "assignments.csv with 1 and 2 threads");
    let model_one = std::fs::read(dir.path().join("one/model.json")).unwrap();
    let model_two = std::fs::read(dir.path().join("two/model.json")).unwrap();
    assert_eq!(model_one, model_two);
    let rows = csv_rows(&dir.path().join("one/assignments.csv"));
    let mut certain = 0;
    for r in rows.iter().filter(|r| !r["type"].is_empty()) {
        let c = num(r, "certainty");
        assert!((0.0..=1.0).contains(&c));
        assert!(
            (c * 100.0 - (c * 100.0).round()).abs() < 1e-9,
            "{c} is a share of 100"
        );
        certain += usize::from(c >= 0.8);
    }
    assert!(certain > rows.len() / 2, "most municipalities are certain");
    assert!(rows
        .iter()
        .filter(|r| r["type"].is_empty())
        .all(|r| r["certainty"].is_empty()));

    // classify with the saved model counts the same certainty for the same municipalities
    success_stdout(
        typfrage(&dir)
            .arg("classify")
            .arg(dir.path().join("one/model.json"))
            .arg(common::shipped_survey())
            .args(["--out", "classified.csv"]),
    );
    let classified = csv_rows(&dir.path().join("classified.csv"));
    for (a, c) in rows.iter().zip(&classified) {
        assert_eq!(a["id"], c["id"]);
        assert_eq!(a["certainty"], c["certainty"], "{}", a["id"]);
    }

    // feedback says the same certainty in its index, and each sheet says it in words
    success_stdout(
        typfrage(&dir)
            .args(["--lang", "en", "feedback"])
            .arg(dir.path().join("one/model.json"))
            .arg(common::shipped_survey())
            .args(["--out", "fb"]),
    );
    let index = csv_rows(&dir.path().join("fb/index.csv"));
    assert_eq!(index.len(), rows.len());
    for (a, f) in rows.iter().zip(&index) {
        assert_eq!(a["id"], f["id"]);
        assert_eq!(a["certainty"], f["certainty"], "{}", a["id"]);
        if !f["sheet"].is_empty() {
            let n = (num(f, "certainty") * 100.0).round();
            let sheet = std::fs::read_to_string(dir.path().join("fb").join(&f["sheet"])).unwrap();
            assert!(
                sheet.contains(&format!("Certainty: in {n} of 100 resamples")),
                "{}",
                f["id"]
            );
        }
    }

    // without --certainty (and without --report) the assignments stay as they were
    success_stdout(
        typfrage(&dir)
            .arg("cluster")
            .arg(common::shipped_survey())
            .args(["--n-init", "5", "--out", "plain"]),
    );
    let plain = std::fs::read_to_string(dir.path().join("plain/assignments.csv")).unwrap();
    assert!(!plain.lines().next().unwrap().contains("certainty"));
    let model = std::fs::read_to_string(dir.path().join("plain/model.json")).unwrap();
    assert!(!model.contains("\"certainty\""));
}

#[test]
fn the_sheets_and_the_municipal_view_speak_one_language() {
    let dir = common::tempdir();
    for lang in ["de", "en"] {
        let out = format!("out-{lang}");
        success_stdout(
            typfrage(&dir)
                .args(["--lang", lang, "cluster"])
                .arg(common::shipped_survey())
                .args(["--n-init", "5", "--certainty", "--out", &out]),
        );
        let model = dir.path().join(&out).join("model.json");
        let position = success_stdout(
            typfrage(&dir)
                .args(["--lang", lang, "position"])
                .arg(&model)
                .args(["--from"])
                .arg(common::shipped_survey())
                .args(["--id", "SYN-0001"]),
        );
        let page = dir.path().join(format!("selfcheck-{lang}.html"));
        success_stdout(
            typfrage(&dir)
                .args(["--lang", lang, "selfcheck"])
                .arg(&model)
                .arg("--out")
                .arg(&page),
        );
        let page = std::fs::read_to_string(page).unwrap();
        assert!(
            page.contains("\"resampled\":[[["),
            "the page carries the resamples"
        );
        let classify = success_stdout(
            typfrage(&dir)
                .args(["--lang", lang, "classify"])
                .arg(&model)
                .arg(common::shipped_survey())
                .args(["--out", &format!("classified-{lang}.csv")]),
        );
        let (own, other) = match lang {
            "de" => (["Stichproben", "Sicherheit"], ["resamples", "Certainty"]),
            _ => (["resamples", "Certainty"], ["Stichproben", "Sicherheit"]),
        };
        for text in [&position, &classify] {
            for w in own {
                assert!(text.contains(w), "{lang}: '{w}' in\n{text}");
            }
            for w in other {
                assert!(!text.contains(w), "{lang}: no '{w}' in\n{text}");
            }
        }
    }
    // the profile sheets: the section on what sets a type apart in the run's language only
    for (lang, own, other) in [
        (
            "de",
            "Was diesen Typ auszeichnet",
            "What sets this type apart",
        ),
        (
            "en",
            "What sets this type apart",
            "Was diesen Typ auszeichnet",
        ),
    ] {
        let out = common::shared_run("profile", &["--lang", lang, "--n-init", "10"]);
        let sheet = std::fs::read_to_string(out.join("profile-optimierer.md")).unwrap();
        assert!(sheet.contains(own) && !sheet.contains(other), "{lang}");
        assert!(sheet.contains(if lang == "de" { "v-Test" } else { "v-test" }));
        let report = std::fs::read_to_string(out.join("report.html")).unwrap();
        assert!(report.contains(own) && !report.contains(other), "{lang}");
    }
}

#[test]
fn the_goal_profile_chart_marks_the_goals_where_the_type_differs() {
    let out = common::shared_run("cluster", &["--report", "--n-init", "10"]);
    let chart: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(out.join("charts/profile-serviceorientierte.json")).unwrap(),
    )
    .unwrap();
    let marked: Vec<bool> = serde_json::from_value(chart["marked"].clone())
        .expect("the chart file names the marked goals");
    let rows = csv_rows(&out.join("characteristics.csv"));
    let v: HashMap<&str, f64> = rows
        .iter()
        .filter(|r| r["type"] == "serviceorientierte" && r["category"].is_empty())
        .map(|r| (r["variable"].as_str(), num(r, "v_test")))
        .collect();
    let goals: Vec<f64> = [
        "ziel_effizienz",
        "ziel_buergernaehe",
        "ziel_leistungsangebot",
        "ziel_attraktivitaet",
        "ziel_daseinsvorsorge",
        "ziel_gemeinschaft",
        "ziel_rechtliche_vorgaben",
        "ziel_foerdermittel",
        "ziel_it_sicherheit",
        "ziel_zufriedenheit",
        "ziel_offenheit",
    ]
    .iter()
    .map(|g| v[g])
    .collect();
    assert_eq!(marked.len(), goals.len());
    for (m, v) in marked.iter().zip(&goals) {
        assert_eq!(*m, v.abs() >= 2.0, "{v}");
    }
    assert!(marked.iter().any(|m| !m) && marked.iter().any(|m| *m));
}

#[test]
fn the_mixture_posterior_is_a_probability_of_the_own_type_and_the_same_for_any_thread_count() {
    let dir = common::tempdir();
    let run = |threads: &str, out: &str| {
        let console = success_stdout(
            typfrage(&dir)
                .args(["--threads", threads, "--lang", "en", "cluster"])
                .arg(common::shipped_survey())
                .args(["--n-init", "5", "--mixture", "--out", out]),
        );
        (
            console,
            std::fs::read(dir.path().join(out).join("assignments.csv")).unwrap(),
        )
    };
    let (console, one) = run("1", "one");
    let (_, two) = run("2", "two");
    assert_eq!(one, two, "assignments.csv with 1 and 2 threads");
    assert!(
        console.contains("Posterior (column posterior): Gaussian mixture"),
        "{console}"
    );
    let rows = csv_rows(&dir.path().join("one/assignments.csv"));
    let clustered: Vec<_> = rows.iter().filter(|r| !r["type"].is_empty()).collect();
    let mut sure = 0;
    for r in &clustered {
        let p = num(r, "posterior");
        assert!((0.0..=1.0).contains(&p), "{p}");
        sure += usize::from(p > 0.5);
    }
    // the components are paired with the types they share the most rows with, so most
    // municipalities' own type is their most probable component
    assert!(
        sure * 10 > clustered.len() * 8,
        "{sure} of {}",
        clustered.len()
    );
    assert!(rows
        .iter()
        .filter(|r| r["type"].is_empty())
        .all(|r| r["posterior"].is_empty()));
    let manifest = std::fs::read_to_string(dir.path().join("one/manifest.json")).unwrap();
    assert!(
        manifest.contains("\"mixture\": true"),
        "the request records it"
    );
}

#[test]
fn the_selfcheck_page_carries_the_surveyed_municipalities_only_when_asked() {
    let dir = common::tempdir();
    success_stdout(
        typfrage(&dir)
            .arg("cluster")
            .arg(common::shipped_survey())
            .args(["--n-init", "5", "--certainty", "--out", "m"]),
    );
    let model = dir.path().join("m/model.json");
    let said = success_stdout(
        typfrage(&dir)
            .args(["--lang", "en", "selfcheck"])
            .arg(&model)
            .arg("--survey")
            .arg(common::shipped_survey())
            .args(["--out", "with.html"]),
    );
    let assigned = csv_rows(&dir.path().join("m/assignments.csv"))
        .iter()
        .filter(|r| !r["type"].is_empty())
        .count();
    assert!(
        said.contains(&format!("with the {assigned} assigned rows of")),
        "{said}"
    );
    let page = std::fs::read_to_string(dir.path().join("with.html")).unwrap();
    let start = page
        .find("\"surveyed\":{")
        .expect("the page carries the survey");
    let ids = &page[start..];
    let ids = &ids[ids.find("\"ids\":[").unwrap()..];
    let ids = &ids[..ids.find(']').unwrap()];
    assert_eq!(ids.matches("SYN-").count(), assigned);
    success_stdout(
        typfrage(&dir)
            .args(["--lang", "en", "selfcheck"])
            .arg(&model)
            .args(["--out", "without.html"]),
    );
    let page = std::fs::read_to_string(dir.path().join("without.html")).unwrap();
    assert!(
        page.contains("\"surveyed\":null"),
        "no survey, no rows in the page"
    );
    assert!(!page.contains("SYN-0001"));
}
