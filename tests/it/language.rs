//! One language per run: every command, run on the shipped data in German and in English, prints
//! (and writes into the figures table) no text of the other language. The language comes from
//! `--lang`, else from the locale (LC_ALL, LC_MESSAGES, LANG); both ways are run here.
//!
//! The check is a small list of tell-tale words per language: common words that occur in any
//! sentence of that language and cannot be part of a sentence of the other. Words are compared
//! whole and case-insensitively, after identifiers are left out: anything holding `_`, `/`, `\`,
//! `.` inside, `=` or a digit (variable names such as `ziel_effizienz`, type ids such as
//! `community_manager`, file names, paths, numbers).
//!
//! The pages and documents the commands write (HTML, Markdown, text) are checked the same way,
//! as people read them: without markup, scripts, embedded pictures, and without the codebook's
//! own labels (questions and answers, which stay as the codebook words them in either run); the
//! workbooks by their sheet names and column headings.

use crate::common;

use std::path::Path;

use assert_cmd::Command;

/// Words of German text that no English sentence of typfrage contains.
const GERMAN: &[&str] = &[
    "und",
    "der",
    "die",
    "das",
    "mit",
    "nicht",
    "von",
    "Typ",
    "Zeilen",
    "fehlende",
    "Kommunen",
    "geschrieben",
];

/// Words of English text that no German sentence of typfrage contains.
const ENGLISH: &[&str] = &[
    "the",
    "and",
    "of",
    "with",
    "not",
    "which",
    "rows",
    "missing",
    "type",
    "wrote",
    "municipalities",
];

#[derive(Debug, Clone, Copy, PartialEq)]
enum Lang {
    De,
    En,
}

impl Lang {
    fn own(self) -> &'static [&'static str] {
        match self {
            Lang::De => GERMAN,
            Lang::En => ENGLISH,
        }
    }

    fn other(self) -> &'static [&'static str] {
        match self {
            Lang::De => ENGLISH,
            Lang::En => GERMAN,
        }
    }

    fn locale(self) -> &'static str {
        match self {
            Lang::De => "de_DE.UTF-8",
            Lang::En => "C",
        }
    }

    /// `de` in German, `en` in English.
    fn pick<T>(self, de: T, en: T) -> T {
        match self {
            Lang::De => de,
            Lang::En => en,
        }
    }

    fn flag(self) -> &'static str {
        match self {
            Lang::De => "de",
            Lang::En => "en",
        }
    }
}

/// The words of `text` that are not identifiers, file names or numbers.
fn words(text: &str) -> Vec<String> {
    text.split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| {
            !w.is_empty()
                && !w.contains(['_', '/', '\\', '.', '='])
                && !w.chars().any(|c| c.is_ascii_digit())
        })
        .map(str::to_lowercase)
        .collect()
}

/// The tell-tale words of `list` that occur in `text`.
fn found(text: &str, list: &[&str]) -> Vec<String> {
    let words = words(text);
    list.iter()
        .map(|w| w.to_lowercase())
        .filter(|w| words.contains(w))
        .collect()
}

/// Asserts that `text` (what `what` printed or wrote) is in `lang`: none of the other language's
/// tell-tale words, and, where `substantial`, some of its own (so that an empty or garbled output
/// cannot pass).
fn assert_in(lang: Lang, what: &str, text: &str, substantial: bool) {
    let wrong = found(text, lang.other());
    assert!(
        wrong.is_empty(),
        "{what} in {lang:?} holds words of the other language {wrong:?}:\n{text}"
    );
    if substantial {
        assert!(
            !found(text, lang.own()).is_empty(),
            "{what} in {lang:?} holds none of its language's words:\n{text}"
        );
    }
}

/// A command in `dir` in `lang`'s locale, with `--lang` where `explicit` (then under the other
/// language's locale, so that the flag must win).
fn command(dir: &tempfile::TempDir, lang: Lang, explicit: bool) -> Command {
    let mut cmd = common::typfrage(dir);
    if explicit {
        let other = if lang == Lang::De { Lang::En } else { Lang::De };
        common::in_locale(&mut cmd, other.locale());
        cmd.args(["--lang", lang.flag()]);
    } else {
        common::in_locale(&mut cmd, lang.locale());
    }
    cmd
}

/// Runs `args` and checks stdout and stderr; returns stdout.
fn run(
    dir: &tempfile::TempDir,
    lang: Lang,
    explicit: bool,
    args: &[&str],
    code: i32,
    substantial: bool,
) -> String {
    let out = command(dir, lang, explicit).args(args).output().unwrap();
    let (stdout, stderr) = (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    );
    assert_eq!(
        out.status.code(),
        Some(code),
        "{args:?}\n{stdout}\n{stderr}"
    );
    assert_in(lang, &format!("{args:?} (stdout)"), &stdout, substantial);
    assert_in(lang, &format!("{args:?} (stderr)"), &stderr, false);
    stdout
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

/// The shipped survey as `s.csv` in a fresh folder, clustered into `c/` by the locale of `lang`
/// (checked), whose manifest must record the language.
fn clustered_by_locale(lang: Lang) -> tempfile::TempDir {
    let dir = common::tempdir();
    std::fs::copy(common::shipped_survey(), dir.path().join("s.csv")).unwrap();
    let r = |args: &[&str]| run(&dir, lang, false, args, 0, true);
    r(&["validate", "s.csv"]);
    r(&["cluster", "s.csv", "--n-init", "2", "--out", "c"]);
    let manifest: serde_json::Value =
        serde_json::from_str(&read(&dir.path().join("c/manifest.json"))).unwrap();
    assert_eq!(
        manifest["request"]["lang"],
        lang.flag(),
        "the manifest records the run's language"
    );
    let assignments = read(&dir.path().join("c/assignments.csv"));
    let name = match lang {
        Lang::De => "Die Bedächtigen",
        Lang::En => "The Deliberate",
    };
    assert!(
        assignments.contains(&format!(",bedaechtige,{name},")),
        "the type's name in the run's language beside its slug:\n{}",
        &assignments[..300]
    );
    dir
}

/// Every command in one language, asked for by `--lang` under the other language's locale.
fn every_command_in(lang: Lang) {
    // the default from the locale, recorded, so that `verify` below (under the other locale)
    // re-runs in the recorded language
    let dir = clustered_by_locale(lang);
    let r = |args: &[&str], substantial: bool| run(&dir, lang, true, args, 0, substantial);
    r(&["validate", "s.csv"], true);
    r(&["cluster", "s.csv", "--n-init", "2", "--out", "c2"], true);
    r(&["profile", "s.csv", "--n-init", "2", "--out", "p"], true);
    r(
        &[
            "choose-k",
            "s.csv",
            "--k-max",
            "4",
            "--n-init",
            "2",
            "--gap-refs",
            "2",
            "--out",
            "k",
        ],
        true,
    );
    r(
        &[
            "stability",
            "s.csv",
            "--resamples",
            "3",
            "--n-init",
            "2",
            "--out",
            "st",
        ],
        true,
    );
    r(&["hierarchy", "s.csv", "--out", "h"], true);
    r(
        &[
            "mixture", "s.csv", "--k-max", "3", "--models", "EII,VII", "--n-init", "2", "--out",
            "m",
        ],
        true,
    );
    r(
        &[
            "classify",
            "c/model.json",
            "s.csv",
            "--previous",
            "c/assignments.csv",
            "--out",
            "cl.csv",
        ],
        true,
    );
    r(&["figures", "s.csv", "--out", "f"], true);
    assert_in(
        lang,
        "figures.md",
        &read(&dir.path().join("f/figures.md")),
        true,
    );
    r(&["figures", "s.csv", "--out", "f", "--format", "md"], true);
    r(&["verify", "c/manifest.json"], true);
    r(
        &["chart", "f/abb-05-strategies.json", "--out", "abb5.png"],
        false,
    );
}

/// The codebook's texts (questions, labels, answers, batteries, notes), longest first: data, not
/// our words.
fn codebook_texts() -> Vec<String> {
    let book = typfrage::survey::Codebook::builtin();
    let mut texts: Vec<String> = Vec::new();
    for v in &book.variables {
        texts.push(v.question_de.clone());
        texts.push(v.label_en.clone());
        texts.extend(v.note.clone());
        for c in &v.codes {
            texts.push(c.de.clone());
            texts.push(c.en.clone());
        }
        if let Some(l) = &v.positive_label {
            texts.push(l.de.clone());
            texts.push(l.en.clone());
        }
    }
    for b in &book.batteries {
        texts.push(b.de.clone());
        texts.push(b.en.clone());
    }
    texts.retain(|t| t.chars().filter(|c| c.is_whitespace()).count() > 0);
    texts.sort_by_key(|t| std::cmp::Reverse(t.len()));
    texts.dedup();
    texts
}

/// `text` with what lies between `open` and `close` (both included) replaced by a space.
fn cut_between(text: &str, open: &str, close: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(open) {
        out.push_str(&rest[..at]);
        // a space where the cut was, so that two table cells do not run into one word
        out.push(' ');
        rest = match rest[at..].find(close) {
            Some(end) => &rest[at + end + close.len()..],
            None => "",
        };
    }
    out.push_str(rest);
    out
}

/// What people read of a written page or document: no scripts, styles, pictures, markup or the
/// codebook's own texts.
fn prose(text: &str, codebook: &[String]) -> String {
    let mut t = cut_between(text, "<script", "</script>");
    t = cut_between(&t, "<style", "</style>");
    t = cut_between(&t, "data:image/", "\"");
    t = cut_between(&t, "<", ">");
    t = t
        .replace("&amp;", "&")
        .replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'");
    for label in codebook {
        t = t.replace(label.as_str(), " ");
    }
    t
}

/// A workbook's sheet names and column headings (its first rows), one a line.
fn headings(path: &Path) -> String {
    use calamine::{open_workbook, Reader, Xlsx};
    let mut book: Xlsx<_> = open_workbook(path).unwrap();
    let mut text = String::new();
    for name in book.sheet_names() {
        text.push_str(&name);
        text.push('\n');
        let range = book.worksheet_range(&name).unwrap();
        for cell in range.rows().next().into_iter().flatten() {
            text.push_str(&cell.to_string());
            text.push('\n');
        }
    }
    text
}

/// Every page and document (`.html`, `.md`, `.txt`) below `dir`, and every workbook's sheet
/// names and headings (`.xlsx`), by path.
fn documents(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if ["html", "md", "txt"]
                .iter()
                .any(|x| p.extension().is_some_and(|e| e == *x))
            {
                out.push((p.display().to_string(), read(&p)));
            } else if p.extension().is_some_and(|e| e == "xlsx") {
                out.push((p.display().to_string(), headings(&p)));
            }
        }
    }
    out.sort();
    out
}

/// The commands that write pages and documents for people (the report, the municipalities'
/// sheets and self-check page, the validation commands' summaries), run in `lang` by `--lang`
/// under the other language's locale; their console and every page they write checked.
fn every_document_in(lang: Lang) {
    let dir = clustered_by_locale(lang);
    let r = |args: &[&str]| run(&dir, lang, true, args, 0, true);
    r(&[
        "cluster", "s.csv", "--n-init", "2", "--report", "--out", "rep",
    ]);
    r(&["profile", "s.csv", "--n-init", "2", "--out", "prof"]);
    r(&["feedback", "c/model.json", "s.csv", "--out", "fb"]);
    let first = common::csv_rows(&dir.path().join("c/assignments.csv"))[0]["id"].clone();
    for out in ["pos.html", "pos.md"] {
        r(&[
            "position",
            "c/model.json",
            "--from",
            "s.csv",
            "--id",
            &first,
            "--survey",
            "s.csv",
            "--out",
            out,
        ]);
    }
    r(&[
        "position",
        "c/model.json",
        "--from",
        "s.csv",
        "--id",
        &first,
    ]);
    r(&["selfcheck", "c/model.json", "--out", "sc.html"]);
    r(&["response-style", "s.csv", "--n-init", "2", "--out", "rs"]);
    r(&[
        "replicate",
        "s.csv",
        "--k-max",
        "4",
        "--splits",
        "2",
        "--n-init",
        "2",
        "--out",
        "repl",
    ]);
    r(&["waves", "s.csv", "s.csv", "--n-init", "2", "--out", "w"]);
    r(&["types", "c/model.json", "--out", "t.toml"]);
    r(&["export", "s.csv", "--out", "s.parquet"]);
    let codebook = codebook_texts();
    let docs = documents(dir.path());
    for name in ["report.html", "index.html", "pos.html", "pos.md", "sc.html"] {
        assert!(
            docs.iter().any(|(p, _)| p.ends_with(name)),
            "{name} not written"
        );
    }
    // the workbooks' sheet names and column headings
    let books: Vec<&(String, String)> = docs.iter().filter(|(p, _)| p.ends_with(".xlsx")).collect();
    assert!(books.len() >= 3, "{} workbooks", books.len());
    for (path, text) in &docs {
        let text = prose(text, &codebook);
        assert_in(lang, path, &text, false);
        // German opening quotes („…“) in English text, English ones (“…”) in German text
        let wrong = lang.pick('”', '„');
        assert!(
            !text.contains(wrong),
            "{path} in {lang:?} quotes with {wrong}:\n{text}"
        );
    }
}

#[test]
fn every_page_and_document_is_in_german_with_lang_de() {
    every_document_in(Lang::De);
}

#[test]
fn every_page_and_document_is_in_english_with_lang_en() {
    every_document_in(Lang::En);
}

#[test]
fn prose_leaves_markup_pictures_scripts_and_the_codebooks_texts_out() {
    let page = "<p class=\"x\">the <b>type</b> &amp; <img src=\"data:image/png;base64,dGhl\"> \
                Effizienz und Effektivität der Verwaltung</p><script>var und = 1;</script>";
    let codebook = vec!["Effizienz und Effektivität der Verwaltung".to_string()];
    let text = prose(page, &codebook);
    assert_eq!(found(&text, GERMAN), Vec::<String>::new(), "{text}");
    assert_eq!(found(&text, ENGLISH), ["the", "type"], "{text}");
}

#[test]
fn every_command_speaks_german_with_lang_de_and_by_a_german_locale() {
    every_command_in(Lang::De);
}

#[test]
fn every_command_speaks_english_with_lang_en_and_by_the_c_locale() {
    every_command_in(Lang::En);
}

#[test]
fn verify_reruns_in_the_recorded_language_whatever_the_locale() {
    let dir = clustered_by_locale(Lang::De);
    let mut cmd = common::typfrage(&dir);
    common::in_locale(&mut cmd, Lang::En.locale());
    let text = common::success_stdout(cmd.args(["--lang", "en", "verify", "c/manifest.json"]));
    assert!(
        text.contains("verified: the re-run wrote the same"),
        "{text}"
    );
}

#[test]
fn synth_reports_in_the_runs_language() {
    for lang in [Lang::De, Lang::En] {
        let dir = common::tempdir();
        run(
            &dir,
            lang,
            false,
            &["synth", "--out", "s.csv", "--types-out", "t.csv"],
            0,
            true,
        );
    }
}

#[test]
fn the_tell_tale_words_leave_identifiers_file_names_and_numbers_out() {
    assert_eq!(
        words("wrote c/model.json, ziel_effizienz +0,45 (the_type) Die Bedächtigen."),
        ["wrote", "die", "bedächtigen"]
    );
    assert_eq!(found("Typ n Anteil", GERMAN), ["typ"]);
    assert!(found("type_name", ENGLISH).is_empty());
}
