//! Hostile input: markup and control characters in the data, type ids that are paths, chart
//! files whose numbers overflow or ask for more work than a chart can hold. Each test ran the
//! real binary on a case that failed before (raw `<script>` in the sheets, raw ESC on the terminal,
//! files written outside `--out`, a hang, a panic, a PNG named `.pdf`) and passes now.

use crate::common;

/// What a terminal must never receive raw: ESC, BEL, CSI (C1), and a carriage return.
const RAW_CONTROLS: [char; 4] = ['\u{1b}', '\u{7}', '\u{9b}', '\r'];

fn assert_no_raw_controls(what: &str, text: &str) {
    for c in RAW_CONTROLS {
        assert!(
            !text.contains(c),
            "{what} holds a raw U+{:04X}:\n{text}",
            c as u32
        );
    }
}

/// The shipped survey with every identifier replaced by one full of HTML and Markdown.
fn survey_with_hostile_ids() -> String {
    let mut out = String::new();
    for (i, line) in common::shipped_survey_body().lines().enumerate() {
        if i == 0 {
            out.push_str(line);
        } else {
            let (_, rest) = line.split_once(',').unwrap();
            out.push_str(&format!(
                "<img src=x onerror=alert({i})>[l{i}](http://e.example/{i}) **{i}**,{rest}"
            ));
        }
        out.push('\n');
    }
    out
}

const HOSTILE_NAME: &str = "Die <script>alert(1)</script> **Fetten** \u{1b}]0;pwned\u{7}\u{1b}[2J";
const HOSTILE_MOTTO: &str =
    "<img src=x onerror=alert(2)> [klick](http://e.example/t) ![](http://e.example/t.png)";

/// The shipped types with the first one's name and motto full of markup and control characters.
fn hostile_types(first_id: &str) -> String {
    let builtin = typfrage::cluster::DEFAULT_TYPES;
    let toml_string = |s: &str| serde_json::to_string(s).unwrap();
    builtin
        .replacen(
            "id = \"bedaechtige\"",
            &format!("id = {}", toml_string(first_id)),
            1,
        )
        .replacen(
            "name_de = \"Die Bedächtigen\"",
            &format!("name_de = {}", toml_string(HOSTILE_NAME)),
            1,
        )
        .replacen(
            "motto = \"Digitalisierung gelingt nur gemeinsam!\"",
            &format!("motto = {}", toml_string(HOSTILE_MOTTO)),
            1,
        )
}

#[test]
fn profile_sheets_show_markup_and_control_characters_in_the_data_as_text() {
    let dir = common::tempdir();
    let input = dir.path().join("x<img src=x onerror=alert(3)>.csv");
    std::fs::write(&input, survey_with_hostile_ids()).unwrap();
    std::fs::write(dir.path().join("types.toml"), hostile_types("bedaechtige")).unwrap();
    let out = common::typfrage(&dir)
        .arg("profile")
        .arg(&input)
        // in German, the language of the hostile name (`name_de`)
        .args([
            "--types",
            "types.toml",
            "--svg",
            "--out",
            "p",
            "--lang",
            "de",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    // the cluster summary names the type: control characters shown, not sent
    assert_no_raw_controls("stdout", &stdout);
    assert_no_raw_controls("stderr", &stderr);
    assert!(
        stdout.contains(r"**Fetten** \u{1b}]0;pwned\u{7}\u{1b}[2J"),
        "{stdout}"
    );

    let p = dir.path().join("p");
    let sheet = std::fs::read_to_string(p.join("profile-bedaechtige.md")).unwrap();
    for raw in [
        "<script>",
        "<img",
        "](http:",
        "**Fetten**",
        ") **",
        "![](",
        "\u{1b}",
    ] {
        let unescaped = sheet
            .match_indices(raw)
            .any(|(i, _)| !sheet[..i].ends_with('\\'));
        assert!(!unescaped, "the sheet holds raw {raw:?}:\n{sheet}");
    }
    // shown as written: escaped for Markdown, control characters as \u{…}
    assert!(
        sheet.contains(
            r"# Die \<script\>alert(1)\</script\> \*\*Fetten\*\* \\u{1b}\]0;pwned\\u{7}\\u{1b}\[2J"
        ),
        "{sheet}"
    );
    assert!(
        sheet.contains(r"\<img src=x onerror=alert(2)\> \[klick\](http\://e.example/t)"),
        "{sheet}"
    );
    assert!(
        sheet.contains(r"x\<img src=x onerror=alert(3)\>.csv"),
        "{sheet}"
    );
    assert!(
        sheet.contains(r"\<img src=x onerror=alert("),
        "the typical municipalities' ids: {sheet}"
    );
    // the report page escapes the same texts for HTML
    let html = std::fs::read_to_string(p.join("report.html")).unwrap();
    for raw in ["<script>", "<img src=x", "\u{1b}", "<strong>Fetten"] {
        assert!(!html.contains(raw), "report.html holds raw {raw:?}");
    }
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; **Fetten**"));
    // pictures: SVG text is XML without control characters
    for entry in std::fs::read_dir(p.join("charts")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "svg") {
            let svg = std::fs::read_to_string(&path).unwrap();
            assert!(
                !svg.chars()
                    .any(|c| c.is_control() && !matches!(c, '\n' | '\t' | '\r')),
                "{} holds a control character",
                path.display()
            );
        }
    }
}

#[test]
fn a_type_id_that_is_a_path_is_refused_when_the_types_file_is_read() {
    for id in [
        "x/../../../ESCAPED",
        "..",
        "a\u{1b}b",
        "a\\b",
        ".hidden",
        "",
    ] {
        let dir = common::tempdir();
        std::fs::write(dir.path().join("types.toml"), hostile_types(id)).unwrap();
        let stderr = common::failure_stderr(
            common::typfrage(&dir)
                .arg("cluster")
                .arg(common::shipped_survey())
                .args(["--types", "types.toml", "--report", "--out", "deep/er/out"]),
            1,
        );
        assert!(
            stderr.contains("types.toml: [[type]] number 1, id: '")
                && stderr.contains(
                    "cannot name a file; expected 1 to 64 ASCII letters, digits, '-' or '_'"
                ),
            "{id:?}: {stderr}"
        );
        assert_no_raw_controls("stderr", &stderr);
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left, vec![std::ffi::OsString::from("types.toml")], "{id:?}");
    }
}

/// `typfrage validate` on the small valid fixture with `edit` applied to its header and first row;
/// checks that it failed and printed no raw control character, and returns what it printed.
fn validate_edited(edit: impl Fn(&mut String, &mut Vec<String>)) -> String {
    let dir = common::tempdir();
    let text = std::fs::read_to_string(common::fixture("valid_small.csv")).unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let header = lines.iter().position(|l| !l.starts_with('#')).unwrap();
    let mut row: Vec<String> = lines[header + 1].split(',').map(String::from).collect();
    edit(&mut lines[header], &mut row);
    lines[header + 1] = row.join(",");
    std::fs::write(dir.path().join("bad.csv"), lines.join("\n") + "\n").unwrap();
    let out = common::typfrage(&dir)
        .args(["validate", "bad.csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap() + &String::from_utf8(out.stderr).unwrap();
    assert_no_raw_controls("validate's output", &text);
    text
}

#[test]
fn validate_shows_control_characters_in_values_and_column_names() {
    let text = validate_edited(|_, row| {
        row[1] = "\u{1b}]0;pwned\u{7}\u{1b}]8;;http://e.example\u{7}x".into();
    });
    assert!(
        text.contains(r"bad.csv, row 2, column bundesland: '\u{1b}]0;pwned\u{7}\u{1b}]8;;http://e.example\u{7}x'"),
        "{text}"
    );
    let text = validate_edited(|header, _| {
        *header = header.replacen("bundesland", "\u{1b}[31mred\u{9b}2J", 1);
    });
    assert!(
        text.contains(r"bad.csv, column \u{1b}[31mred\u{9b}2J: is not in the codebook"),
        "{text}"
    );
}

#[test]
fn classify_shows_control_characters_in_the_switched_list() {
    let dir = common::tempdir();
    common::success_stdout(
        common::typfrage(&dir)
            .arg("cluster")
            .arg(common::shipped_survey())
            .args(["--out", "c"]),
    );
    let hostile_id = "SYN\u{1b}]0;pwned\u{7}\u{1b}[2J-0001";
    let body = common::shipped_survey_body().replacen("SYN-0001", hostile_id, 1);
    std::fs::write(dir.path().join("wave.csv"), body).unwrap();
    std::fs::write(
        dir.path().join("previous.csv"),
        format!("id,type\n\"{hostile_id}\",\"was\u{1b}[5m\"\n"),
    )
    .unwrap();
    let stdout = common::success_stdout(common::typfrage(&dir).args([
        "classify",
        "c/model.json",
        "wave.csv",
        "--previous",
        "previous.csv",
        "--out",
        "classified.csv",
    ]));
    assert_no_raw_controls("stdout", &stdout);
    assert!(
        stdout.contains(r"  SYN\u{1b}]0;pwned\u{7}\u{1b}[2J-0001: was\u{1b}[5m -> "),
        "{stdout}"
    );
}

/// A chart file of Abb. 10 as `typfrage figures` writes it, as JSON to edit.
fn chart_value() -> serde_json::Value {
    let survey = typfrage::survey::load_path(
        &common::shipped_survey(),
        std::sync::Arc::new(typfrage::survey::Codebook::builtin()),
    )
    .unwrap()
    .survey;
    let source = typfrage::show::labels::DataSource {
        file: "survey.csv".into(),
        synthetic: true,
    };
    let numbers = typfrage::figures::study_numbers(&survey).unwrap();
    let charts = typfrage::show::views::figures::charts::study_charts(
        &numbers,
        survey.codebook(),
        &source,
        typfrage::lang::Lang::De,
    );
    serde_json::to_value(&charts.last().unwrap().chart).unwrap()
}

/// Runs `typfrage chart` on `chart` and returns its stderr; it must exit with `code`.
fn draw(dir: &tempfile::TempDir, chart: &serde_json::Value, out: &str, code: i32) -> String {
    std::fs::write(dir.path().join("c.json"), chart.to_string()).unwrap();
    let output = common::typfrage(dir)
        .args(["chart", "c.json", "--out", out])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(code),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stderr).unwrap()
}

#[test]
fn chart_ranges_that_overflow_are_refused_not_drawn_forever() {
    let dir = common::tempdir();
    let mut bars = chart_value();
    bars["range"] = serde_json::json!([-1e308, 1e308]);
    let stderr = draw(&dir, &bars, "c.svg", 1);
    assert_eq!(
        stderr,
        "error: c.json: cannot draw the chart: range [-1e308, 1e308]: expected two numbers from -1e12 to 1e12, low < high (apart by more than a billionth of their size)\n"
    );
    let scatter = serde_json::json!({
        "kind": "scatter", "title": "s", "note": "", "x_label": "x", "y_label": "y",
        "groups": ["g"], "colors": ["#0072B2"],
        "points": [{"x": -1e308, "y": 0.0, "group": 0}, {"x": 1e308, "y": 1.0, "group": 0}],
        "centres": [], "size": [800, 400], "lang": "en"
    });
    let stderr = draw(&dir, &scatter, "c.svg", 1);
    assert!(
        stderr.contains("points[0].x -1e308: expected a number from -1e12 to 1e12"),
        "{stderr}"
    );
    assert!(!dir.path().join("c.svg").exists());
}

#[test]
fn heatmap_decimals_are_capped_not_a_panic() {
    let dir = common::tempdir();
    let heatmap = serde_json::json!({
        "kind": "heatmap", "title": "h", "note": "", "rows": ["a"], "columns": ["b"],
        "values": [[1.5]], "range": [0.0, 5.0], "decimals": 65536, "size": [800, 400], "lang": "de"
    });
    let stderr = draw(&dir, &heatmap, "h.png", 1);
    assert_eq!(
        stderr,
        "error: c.json: cannot draw the chart: decimals 65536: expected 0 to 6\n"
    );
}

#[test]
fn a_million_bars_are_refused_with_the_cap() {
    let dir = common::tempdir();
    let mut bars = chart_value();
    let (rows, series) = (10_000, 100);
    let cell = serde_json::json!({"value": 1.0, "count": null, "base": null});
    bars["rows"] = serde_json::json!(vec!["r"; rows]);
    bars["series"] = serde_json::json!(vec!["s"; series]);
    bars["colors"] = serde_json::json!(vec!["#0072B2"; series]);
    bars["cells"] = serde_json::json!(vec![vec![cell; series]; rows]);
    let stderr = draw(&dir, &bars, "b.svg", 1);
    assert_eq!(
        stderr,
        "error: c.json: cannot draw the chart: 1000000 bars (rows x series): expected at most 10000\n"
    );
}

#[test]
fn chart_refuses_an_extension_it_cannot_write() {
    let dir = common::tempdir();
    let bars = chart_value();
    for out in ["x.pdf", "x", "x.PNG.txt"] {
        let stderr = draw(&dir, &bars, out, 2);
        assert!(
            stderr.contains(&format!("--out {out}: cannot write a picture "))
                && stderr.contains("expected a file name ending in .png or .svg"),
            "{stderr}"
        );
        assert!(!dir.path().join(out).exists());
    }
    draw(&dir, &bars, "x.PNG", 0);
    assert_eq!(
        &std::fs::read(dir.path().join("x.PNG")).unwrap()[1..4],
        b"PNG"
    );
}

#[test]
fn control_characters_in_chart_texts_give_valid_svg_text() {
    let dir = common::tempdir();
    let mut bars = chart_value();
    bars["title"] = serde_json::json!("a\u{1}b\u{1b}[2J <c> & \"d\"");
    bars["rows"][0] = serde_json::json!("row\u{0}\u{7}");
    draw(&dir, &bars, "t.svg", 0);
    let svg = std::fs::read_to_string(dir.path().join("t.svg")).unwrap();
    assert!(!svg
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\t' | '\r')));
    assert!(svg.contains(r"a\u{1}b\u{1b}[2J &lt;c&gt; &amp;"), "{svg}");
    assert!(svg.contains(r"row\u{0}\u{7}"));
}

/// Found by the fuzz harness: a narrow heatmap whose row labels take its width left cells under
/// eight pixels wide, and the column labels' width was computed below zero (a panic).
#[test]
fn a_narrow_heatmap_with_wide_row_labels_is_drawn_not_a_panic() {
    let dir = common::tempdir();
    let heatmap = serde_json::json!({
        "kind": "heatmap", "title": "", "note": "n", "rows": ["\u{7f}\u{10}<\u{10}&\u{7f}ä\u{7f}\u{0}_"],
        "columns": ["", "", "", ""], "values": [[0.0, 0.0, 0.0, 0.0]],
        "range": [-911078863240.8967, 0.0], "decimals": 0, "size": [326, 200], "lang": "en"
    });
    draw(&dir, &heatmap, "h.svg", 0);
}
