//! Charts for slides and print: `--chart-size`, `--chart-scale` and `--full-scale` on the
//! commands that draw, text that grows with the picture (read from the chart files), tick labels
//! that tell ticks apart in the output's language, share axes that fit the data, the base beside
//! every bar, cross-tab titles said once. Pictures are checked as SVG text where words matter.

use crate::common;

use std::path::Path;

use typfrage::show::chart::{read_chart, Chart};

/// Every chart file (`*.json` beside a picture) in `dir`, by file name.
fn chart_files(dir: &Path) -> Vec<(String, Chart)> {
    let mut out: Vec<(String, Chart)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.extension().is_some_and(|e| e == "json")
                && (p.with_extension("png").exists() || p.with_extension("svg").exists())
        })
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, read_chart(&p).unwrap())
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// The texts of an SVG picture (what plotters writes between `<text …>` and `</text>`).
fn svg_texts(path: &Path) -> Vec<String> {
    let svg = std::fs::read_to_string(path).unwrap();
    svg.split("<text")
        .skip(1)
        .filter_map(|t| {
            let start = t.find('>')? + 1;
            let end = t.find("</text>")?;
            Some(
                t[start..end]
                    .replace("&amp;", "&")
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .trim()
                    .to_string(),
            )
        })
        .collect()
}

fn run(dir: &tempfile::TempDir, args: &[&str]) {
    common::success_stdout(common::typfrage(dir).args(args));
}

/// Text of every kind at least as large relative to the picture's width as in `small`, and the
/// picture the size asked for.
fn assert_text_grew(name: &str, small: &Chart, big: &Chart, size: (u32, u32)) {
    assert_eq!(big.size(), size, "{name}");
    let (fs, fb) = (small.fonts(), big.fonts());
    let (ws, wb) = (small.size().0 as f64, big.size().0 as f64);
    for (what, s, b) in [
        ("title", fs.title, fb.title),
        ("label", fs.label, fb.label),
        ("tick", fs.tick, fb.tick),
        ("value", fs.value, fb.value),
        ("note", fs.note, fb.note),
    ] {
        assert!(
            b / wb >= s / ws - 1e-12,
            "{name}: {what} text {s:.1} px of {ws} by default, {b:.1} px of {wb} at {size:?}"
        );
        assert!(b > s, "{name}: {what} text did not grow ({s} -> {b})");
    }
}

#[test]
fn charts_at_1920x1080_have_text_at_least_as_large_relative_to_the_picture() {
    let dir = common::tempdir();
    let survey = common::shipped_survey();
    let survey = survey.to_str().unwrap();
    run(&dir, &["figures", survey, "--out", "small"]);
    run(
        &dir,
        &[
            "figures",
            survey,
            "--out",
            "big",
            "--chart-size",
            "1920x1080",
        ],
    );
    for args in [
        vec!["--out", "small-k"],
        vec!["--out", "big-k", "--chart-size", "1920x1080"],
    ] {
        let mut all = vec![
            "choose-k",
            survey,
            "--k-max",
            "3",
            "--gap-refs",
            "2",
            "--n-init",
            "2",
        ];
        all.extend(args);
        run(&dir, &all);
    }
    run(
        &dir,
        &["profile", survey, "--out", "small-p", "--n-init", "5"],
    );
    run(
        &dir,
        &[
            "profile",
            survey,
            "--out",
            "big-p",
            "--n-init",
            "5",
            "--chart-size",
            "1920x1080",
        ],
    );
    let mut pairs = 0;
    for (small, big) in [
        ("small", "big"),
        ("small-k", "big-k"),
        ("small-p/charts", "big-p/charts"),
    ] {
        let small = chart_files(&dir.path().join(small));
        let big = chart_files(&dir.path().join(big));
        assert_eq!(small.len(), big.len());
        for ((name, s), (_, b)) in small.iter().zip(&big) {
            assert_text_grew(name, s, b, (1920, 1080));
            pairs += 1;
        }
    }
    // 11 study charts, choose-k, and sizes, heatmap, 4 profiles, map, silhouettes, how the types
    // split across k and the three-question tree
    assert_eq!(pairs, 11 + 1 + 10);
}

#[test]
fn a_width_alone_keeps_each_charts_shape_and_scales_everything() {
    let dir = common::tempdir();
    let survey = common::shipped_survey();
    let survey = survey.to_str().unwrap();
    run(&dir, &["figures", survey, "--out", "small"]);
    run(
        &dir,
        &["figures", survey, "--out", "print", "--chart-size", "3000"],
    );
    let small = chart_files(&dir.path().join("small"));
    let print = chart_files(&dir.path().join("print"));
    for ((name, s), (_, p)) in small.iter().zip(&print) {
        let (w, h) = s.size();
        let expected = (3000, (h as f64 * 3000.0 / w as f64).round() as u32);
        assert_text_grew(name, s, p, expected);
        assert!((p.factor() - 2.5).abs() < 1e-9, "{name}: {}", p.factor());
    }
}

#[test]
fn a_bad_chart_size_or_scale_is_a_usage_error_before_anything_is_written() {
    let dir = common::tempdir();
    let survey = common::shipped_survey();
    let survey = survey.to_str().unwrap();
    for (command, option, value) in [
        ("figures", "--chart-size", "100x100"),
        ("figures", "--chart-size", "1920x"),
        ("figures", "--chart-size", "big"),
        ("figures", "--chart-scale", "9"),
        ("profile", "--chart-size", "7000x1080"),
        ("profile", "--chart-scale", "0"),
        ("choose-k", "--chart-size", "1920x100000"),
        ("choose-k", "--chart-scale", "NaN"),
    ] {
        let stderr = common::failure_stderr(
            common::typfrage(&dir).args([command, survey, "--out", "out", option, value]),
            2,
        );
        assert!(
            stderr.contains("chart-size") || stderr.contains("chart-scale"),
            "{command} {option} {value}: {stderr}"
        );
        assert!(
            !dir.path().join("out").exists(),
            "{command} {option} {value}"
        );
    }
}

#[test]
fn chart_redraws_at_another_size_and_refuses_an_extension_it_cannot_write() {
    let dir = common::tempdir();
    let survey = common::shipped_survey();
    run(&dir, &["figures", survey.to_str().unwrap(), "--out", "f"]);
    run(
        &dir,
        &[
            "chart",
            "f/abb-10-broadband.json",
            "--out",
            "slide.png",
            "--chart-size",
            "1920x1080",
        ],
    );
    let decoder = png::Decoder::new(std::fs::File::open(dir.path().join("slide.png")).unwrap());
    let info = decoder.read_info().unwrap();
    assert_eq!((info.info().width, info.info().height), (1920, 1080));
    // the chart file itself is left as it was
    let chart = read_chart(&dir.path().join("f/abb-10-broadband.json")).unwrap();
    assert_eq!(chart.size().0, 1200);
    let stderr = common::failure_stderr(
        common::typfrage(&dir).args(["chart", "f/abb-10-broadband.json", "--out", "x.pdf"]),
        2,
    );
    assert!(stderr.contains(".png or .svg"), "{stderr}");
    assert!(!dir.path().join("x.pdf").exists());
}

/// Share ticks ("40 %") of an SVG bar chart.
fn share_ticks(texts: &[String]) -> Vec<f64> {
    texts
        .iter()
        .filter_map(|t| t.strip_suffix(" %"))
        .filter_map(|t| t.parse::<f64>().ok())
        .collect()
}

#[test]
fn share_axes_fit_the_data_unless_the_full_scale_is_asked_for() {
    let dir = common::tempdir();
    let survey = common::shipped_survey();
    let survey = survey.to_str().unwrap();
    run(&dir, &["figures", survey, "--svg", "--out", "fit"]);
    run(
        &dir,
        &["figures", survey, "--svg", "--out", "full", "--full-scale"],
    );
    // Abb. 10: the largest share of its numbers, and the axis's last tick
    let Chart::Bars(b) = read_chart(&dir.path().join("fit/abb-10-broadband.json")).unwrap() else {
        panic!("bars expected")
    };
    let largest = b
        .cells
        .iter()
        .flatten()
        .filter_map(|c| c.value)
        .fold(0.0, f64::max);
    assert!(largest < 50.0, "{largest}");
    let fit = share_ticks(&svg_texts(&dir.path().join("fit/abb-10-broadband.svg")));
    let end = fit.iter().copied().fold(0.0, f64::max);
    assert!(end >= largest && end < 100.0, "{fit:?} for {largest}");
    assert_eq!(fit.first(), Some(&0.0));
    let full = share_ticks(&svg_texts(&dir.path().join("full/abb-10-broadband.svg")));
    assert_eq!(full.iter().copied().fold(0.0, f64::max), 100.0, "{full:?}");
    let Chart::Bars(b) = read_chart(&dir.path().join("full/abb-10-broadband.json")).unwrap() else {
        panic!("bars expected")
    };
    assert!(b.full_scale);
}

#[test]
fn every_bar_row_carries_its_base() {
    let dir = common::tempdir();
    let survey = common::shipped_survey();
    run(
        &dir,
        &["figures", survey.to_str().unwrap(), "--svg", "--out", "f"],
    );
    for stem in [
        "abb-04-data-uses",
        "abb-05-strategies",
        "abb-06-chefsache",
        "abb-07-training",
        "abb-08-citizen-skills",
        "abb-10-broadband",
    ] {
        let Chart::Bars(b) = read_chart(&dir.path().join(format!("f/{stem}.json"))).unwrap() else {
            panic!("bars expected")
        };
        let texts = svg_texts(&dir.path().join(format!("f/{stem}.svg")));
        for (row, cells) in b.rows.iter().zip(&b.cells) {
            if row.contains("(n = ") {
                // one base for the row: in its label, and it is every bar's base
                let base = cells[0].base.unwrap();
                assert!(row.ends_with(&format!("(n = {base})")), "{stem}: {row}");
                assert!(cells.iter().all(|c| c.base == Some(base)), "{stem}: {row}");
            } else {
                // each bar with its own base beside its value
                for c in cells {
                    let shown = format!("(n = {})", c.base.unwrap());
                    assert!(
                        texts.iter().any(|t| t.ends_with(&shown)),
                        "{stem}, {row}: no bar label ends with {shown}"
                    );
                }
            }
        }
    }
}

#[test]
fn german_silhouette_ticks_take_a_decimal_comma_and_the_mean_line_its_value() {
    let dir = common::tempdir();
    let survey = common::shipped_survey();
    run(
        &dir,
        &[
            "profile",
            survey.to_str().unwrap(),
            "--svg",
            "--n-init",
            "5",
            "--lang",
            "de",
            "--out",
            "p",
        ],
    );
    let texts = svg_texts(&dir.path().join("p/charts/silhouettes.svg"));
    // the ticks: numbers with a decimal comma, no two alike
    let ticks: Vec<&String> = texts
        .iter()
        .filter(|t| {
            let t = t.trim_start_matches('−');
            t.contains(',') && t.chars().all(|c| c.is_ascii_digit() || c == ',')
        })
        .collect();
    assert!(ticks.len() >= 4, "{texts:?}");
    let mut unique = ticks.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ticks.len(), "{ticks:?}");
    assert!(!texts.iter().any(|t| t.starts_with("0.")), "{texts:?}");
    // the mean of the chart's own numbers, with three decimals and a comma
    let Chart::Silhouette(s) = read_chart(&dir.path().join("p/charts/silhouettes.json")).unwrap()
    else {
        panic!("silhouette expected")
    };
    let all: Vec<f64> = s.values.iter().flatten().copied().collect();
    let mean = all.iter().sum::<f64>() / all.len() as f64;
    let label = format!("Mittel {:.3}", mean).replace('.', ",");
    assert!(texts.contains(&label), "{label} not in {texts:?}");
}

#[test]
fn cross_tab_titles_say_a_single_question_once() {
    let dir = common::tempdir();
    let survey = common::shipped_survey();
    run(
        &dir,
        &[
            "profile",
            survey.to_str().unwrap(),
            "--n-init",
            "5",
            "--crosstab",
            "groessenklasse",
            "--lang",
            "de",
            "--out",
            "p",
        ],
    );
    // it used to read "KGSt-Größenklasse (KGSt-Größenklasse)"
    let single = read_chart(&dir.path().join("p/charts/crosstab-groessenklasse.json")).unwrap();
    assert_eq!(single.title(), "KGSt-Größenklasse");
}

#[test]
fn a_chart_file_written_before_sizes_scaled_still_loads_and_draws() {
    let dir = common::tempdir();
    let survey = common::shipped_survey();
    run(&dir, &["figures", survey.to_str().unwrap(), "--out", "f"]);
    let path = dir.path().join("f/abb-05-strategies.json");
    let mut value: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let object = value.as_object_mut().unwrap();
    assert!(object.remove("scale").is_some());
    assert!(object.remove("full_scale").is_some());
    std::fs::write(dir.path().join("old.json"), value.to_string()).unwrap();
    run(&dir, &["chart", "old.json", "--out", "old.png"]);
    let old = read_chart(&dir.path().join("old.json")).unwrap();
    assert_eq!(old.scale(), 1.0);
    assert_eq!(old, read_chart(&path).unwrap());
}

/// The heatmap's colours run from the lowest to the highest value it holds (the lightest and the
/// darkest colour both drawn), and a legend under the grid says which values its ends stand for.
#[test]
fn the_heatmap_spreads_its_colours_over_its_values_and_has_a_legend() {
    let dir = common::tempdir();
    let survey = common::shipped_survey();
    run(
        &dir,
        &[
            "profile",
            survey.to_str().unwrap(),
            "--svg",
            "--n-init",
            "2",
            "--lang",
            "de",
            "--out",
            "p",
        ],
    );
    let Chart::Heatmap(h) = read_chart(&dir.path().join("p/charts/goal-heatmap.json")).unwrap()
    else {
        panic!("heatmap expected")
    };
    let values: Vec<f64> = h.values.iter().flatten().flatten().copied().collect();
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    assert!(
        lo > h.range[0] && hi < h.range[1],
        "{lo} {hi} {:?}",
        h.range
    );
    let svg_path = dir.path().join("p/charts/goal-heatmap.svg");
    let texts = svg_texts(&svg_path);
    assert!(texts.iter().any(|t| t == "Farbe:"), "{texts:?}");
    let shown = |v: f64| format!("{v:.1}").replace('.', ",");
    // each end's value twice: in its cell and at its end of the legend
    for v in [lo, hi] {
        let n = texts.iter().filter(|t| **t == shown(v)).count();
        assert!(n >= 2, "{} {n} times in {texts:?}", shown(v));
    }
    // the lightest and the darkest colour fill cells, not only the legend's ends
    let svg = std::fs::read_to_string(&svg_path).unwrap().to_uppercase();
    for colour in ["#E6EFF9", "#08306B"] {
        assert!(
            svg.matches(colour).count() >= 2,
            "{colour}: {} times",
            svg.matches(colour).count()
        );
    }
}
