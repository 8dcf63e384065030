//! The figures report as a terminal table, Markdown, CSV (from [`figures_table`], which the
//! workbook's sheet shares) or JSON. The table and Markdown are for reading and follow the
//! language; CSV and JSON keep their column names, keys and codes (`reproduced`, `exact`) in
//! every language, and hold the readings in the language asked (the words are [`super::readings`]).

use std::path::Path;

use serde_json::json;

use super::readings::{figure_reading, group_label, part_label, statement, test};
use crate::figures::{Claim, FigureResult, FiguresReport, FindingResult, Relation, Verdict};
use crate::lang::Lang;
use crate::show::format::number;
use crate::show::table::terminal::Terminal;
use crate::show::table::{Cell, CsvStyle, Table};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Table,
    Markdown,
    Csv,
    Json,
}

fn num(v: f64, digits: usize, lang: Lang) -> String {
    if v.is_finite() {
        number(v, digits, lang)
    } else {
        "-".to_string()
    }
}

fn p_text(p: Option<f64>, lang: Lang) -> String {
    match p {
        Some(p) if p < 0.0001 => format!("<{}", number(0.0001, 4, lang)),
        Some(p) => number(p, 4, lang),
        None => "-".to_string(),
    }
}

/// A verdict for people to read.
fn verdict_text(v: Verdict, lang: Lang) -> &'static str {
    match (v, lang) {
        (_, Lang::En) => v.as_str(),
        (Verdict::Reproduced, Lang::De) => "nachgerechnet",
        (Verdict::NotReproduced, Lang::De) => "NICHT nachgerechnet",
        (Verdict::NotComputed, Lang::De) => "NICHT berechnet",
    }
}

/// Whether a claim holds, for people to read.
fn holds_text(holds: bool, lang: Lang) -> &'static str {
    match (holds, lang) {
        (true, _) => lang.pick("gilt", "holds"),
        (false, _) => lang.pick("GILT NICHT", "FAILS"),
    }
}

/// A published value as printed: a decimal comma in German.
fn shortest(v: f64, lang: Lang) -> String {
    match lang {
        Lang::De => v.to_string().replace('.', ","),
        Lang::En => v.to_string(),
    }
}

/// The relation of a published figure: `14 ±0.5`, `> 95`, `27 to 30` (`27 bis 30`).
fn relation_text(f: &FigureResult, lang: Lang) -> String {
    match lang {
        Lang::En => f.published.relation_text(),
        Lang::De => {
            let p = &f.published;
            let (low, high) = p.range();
            match p.relation {
                Relation::Exact | Relation::Approx => {
                    format!(
                        "{} ±{}",
                        shortest(p.value, lang),
                        shortest(p.tolerance(), lang)
                    )
                }
                Relation::Gt => format!("> {}", shortest(p.value, lang)),
                Relation::Lt => format!("< {}", shortest(p.value, lang)),
                Relation::Between => {
                    format!("{} bis {}", shortest(low, lang), shortest(high, lang))
                }
            }
        }
    }
}

fn figure_cells(f: &FigureResult, lang: Lang) -> [String; 7] {
    let shown = f.shown();
    let unit = if f.published.is_percent() { " %" } else { "" };
    let computed = shown.map_or("-".into(), |p| format!("{}{unit}", num(p.value, 1, lang)));
    let deviation = shown.map_or("-".into(), |p| {
        let d = p.value - f.published.value;
        if d.is_finite() {
            let sign = if d >= 0.0 { "+" } else { "-" };
            format!("{sign}{}", number(d.abs(), 1, lang))
        } else {
            "-".into()
        }
    });
    let parts = f.computed.as_ref().map_or(0, |c| c.parts.len());
    let base = shown.map_or("-".into(), |p| {
        if parts > 1 {
            format!(
                "{} ({} {parts})",
                p.base,
                lang.pick("schlechteste von", "worst of")
            )
        } else {
            p.base.to_string()
        }
    });
    [
        f.published.id.clone(),
        format!("{}{unit}", shortest(f.published.value, lang)),
        relation_text(f, lang),
        computed,
        base,
        deviation,
        verdict_text(f.verdict, lang).to_string(),
    ]
}

fn figure_header(lang: Lang) -> [&'static str; 7] {
    match lang {
        Lang::De => [
            "id",
            "veröffentlicht",
            "Relation",
            "berechnet",
            "Basis n",
            "Abweichung",
            "Urteil",
        ],
        Lang::En => [
            "id",
            "published",
            "relation",
            "computed",
            "base n",
            "deviation",
            "verdict",
        ],
    }
}

/// A finding's claim in `lang`.
fn claim_text(c: &Claim, lang: Lang) -> String {
    let labels: Vec<_> = c.groups.iter().map(|g| g.label.clone()).collect();
    statement(&c.statement, &labels, lang)
}

fn groups_text(c: &Claim, lang: Lang) -> String {
    c.groups
        .iter()
        .map(|g| {
            let label = group_label(&g.label, lang);
            if g.value.is_finite() {
                let unit = if c.percent { " %" } else { "" };
                format!("{label} {}{unit} (n={})", num(g.value, 1, lang), g.n)
            } else {
                format!("{label} (n={})", g.n)
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn claim_stats(c: &Claim, lang: Lang) -> String {
    let mut parts = Vec::new();
    if let Some(s) = c.statistic {
        parts.push(format!(
            "{} {}",
            lang.pick("Statistik", "statistic"),
            num(s, 2, lang)
        ));
    }
    if c.p_value.is_some() {
        parts.push(format!("p {}", p_text(c.p_value, lang)));
    }
    if let Some(v) = c.cramers_v {
        parts.push(format!("V {}", num(v, 3, lang)));
    }
    if let Some(v) = c.v_upper {
        parts.push(format!(
            "{} {}",
            lang.pick("obere 95-%-Grenze von V", "V upper 95 % bound"),
            num(v, 3, lang)
        ));
    }
    parts.join(", ")
}

fn table(report: &FiguresReport, lang: Lang) -> String {
    let mut figures = Table::new(figure_header(lang));
    for f in &report.figures {
        figures.push(figure_cells(f, lang).map(Cell::Text).to_vec());
    }
    let mut out = vec![match lang {
        Lang::De => format!(
            "Veröffentlichte Zahlen, nachgerechnet aus {} Kommunen (die veröffentlichten Werte werden nur zum Vergleich gelesen)",
            report.n_rows
        ),
        Lang::En => format!(
            "Published figures recomputed from {} municipalities (published values are read only to compare)",
            report.n_rows
        ),
    }];
    out.extend(weighting_line(report, lang));
    let text = Terminal::new(lang).render(&figures);
    out.extend(text.lines().map(String::from));
    out.push(String::new());
    out.push(
        lang.pick(
            "Wie jede Zahl gelesen wird (wer nicht geantwortet hat, ist nicht in der Basis)",
            "How each figure is read (whoever did not answer is out of the base)",
        )
        .to_string(),
    );
    for f in &report.figures {
        out.push(format!("  {}: {}", f.published.id, reading(f, lang)));
    }
    out.push(String::new());
    out.push(
        lang.pick("Gerichtete Befunde", "Directional findings")
            .to_string(),
    );
    for f in &report.findings {
        out.push(format!(
            "{}  {}",
            f.published.id,
            verdict_text(f.verdict, lang)
        ));
        if f.claims.is_empty() {
            out.push(
                lang.pick(
                    "  für diesen Befund ist keine Rechnung festgelegt",
                    "  no computation is defined for this finding",
                )
                .into(),
            );
        }
        for c in &f.claims {
            out.push(format!(
                "  {} [{}]",
                claim_text(c, lang),
                holds_text(c.holds, lang)
            ));
            out.push(format!("    {}", groups_text(c, lang)));
            let stats = claim_stats(c, lang);
            let test = test(&c.test, lang);
            if stats.is_empty() {
                out.push(format!("    {test}"));
            } else {
                out.push(format!("    {test}: {stats}"));
            }
        }
    }
    out.push(String::new());
    out.push(summary(report, lang));
    out.join("\n") + "\n"
}

/// When the figures are weighted, one line saying so, by what, and what stays unweighted (`None`
/// when unweighted: an unweighted run's outputs keep their bytes).
pub fn weighting_line(report: &FiguresReport, lang: Lang) -> Option<String> {
    let v = report.weight.as_ref()?;
    Some(match lang {
        Lang::De => format!(
            "Gewichtet mit {v} (--weight): die Anteile und Mittelwerte sind Anteile an den Summen der Gewichte, n zählt Kommunen; die veröffentlichten Werte sind ungewichtete Anteile der echten Stichprobe; die Tests der Befunde und die Grafiken der Studie sind ungewichtet"
        ),
        Lang::En => format!(
            "Weighted by {v} (--weight): the shares and means are of the summed weights, n counts municipalities; the published values are unweighted shares of the real sample; the findings' tests and the study's charts are unweighted"
        ),
    })
}

/// One closing line: how many figures and findings were reproduced, in `lang`.
pub fn summary(report: &FiguresReport, lang: Lang) -> String {
    let ok = |v: &Verdict| *v == Verdict::Reproduced;
    let figs = report.figures.iter().filter(|f| ok(&f.verdict)).count();
    let finds = report.findings.iter().filter(|f| ok(&f.verdict)).count();
    let (nf, nd) = (report.figures.len(), report.findings.len());
    match lang {
        Lang::De => format!("{figs} von {nf} Zahlen und {finds} von {nd} Befunden nachgerechnet"),
        Lang::En => format!("{figs} of {nf} figures and {finds} of {nd} findings reproduced"),
    }
}

/// How a figure is read in `lang`, or a dash where no computation is defined.
fn reading(f: &FigureResult, lang: Lang) -> &'static str {
    let text = match f.computed {
        None => "",
        Some(_) => figure_reading(&f.published.id, lang),
    };
    if text.is_empty() {
        "-"
    } else {
        text
    }
}

fn markdown(report: &FiguresReport, lang: Lang) -> String {
    let header = figure_header(lang);
    let mut out = vec![
        lang.pick("## Veröffentlichte Zahlen", "## Published figures")
            .to_string(),
        String::new(),
    ];
    if let Some(w) = weighting_line(report, lang) {
        out.extend([w, String::new()]);
    }
    out.extend([
        format!(
            "| {} | {} |",
            header.join(" | "),
            lang.pick("Lesart", "reading")
        ),
        format!("|{}", "---|".repeat(header.len() + 1)),
    ]);
    for f in &report.figures {
        out.push(format!(
            "| {} | {} |",
            figure_cells(f, lang).join(" | "),
            reading(f, lang)
        ));
    }
    out.extend([
        String::new(),
        lang.pick("## Befunde", "## Findings").to_string(),
        String::new(),
        lang.pick(
            "| id | Aussage | Gruppen | Test | Ergebnis | Urteil |",
            "| id | claim | groups | test | result | verdict |",
        )
        .to_string(),
        "|---|---|---|---|---|---|".to_string(),
    ]);
    for f in &report.findings {
        for c in &f.claims {
            out.push(format!(
                "| {} | {} | {} | {} | {} | {} |",
                f.published.id,
                claim_text(c, lang),
                groups_text(c, lang),
                test(&c.test, lang),
                claim_stats(c, lang),
                holds_text(c.holds, lang)
            ));
        }
    }
    out.push(String::new());
    out.push(summary(report, lang));
    out.join("\n") + "\n"
}

/// The figures and findings as a table (the CSV `figures.csv` and the workbook's sheet): published
/// and computed values side by side. `computed` holds only numbers (a figure's value); a finding's
/// groups with their values are text in `groups`, so that every column has one kind of cell. Column
/// names and codes (`kind`, `relation`, `holds`, `verdict`) are the same in every language; the
/// texts for people (`reading`, a finding's claim, test and groups) are in `lang`. A weighted run
/// has a last column `weighted_by`: the weight variable on the figures' rows, empty on the
/// findings' (their tests are unweighted); an unweighted run's table keeps its columns.
pub fn figures_table(report: &FiguresReport, lang: Lang) -> Table {
    let mut t = figures_rows(report, lang);
    if let Some(weight) = &report.weight {
        t.header.push("weighted_by".to_string());
        for row in &mut t.rows {
            let figure = matches!(row.first(), Some(Cell::Text(kind)) if kind == "figure");
            row.push(if figure {
                Cell::text(weight)
            } else {
                Cell::Empty
            });
        }
    }
    t
}

fn figures_rows(report: &FiguresReport, lang: Lang) -> Table {
    let mut t = Table::new([
        "kind",
        "id",
        "part",
        "published",
        "relation",
        "computed",
        "groups",
        "base_n",
        "deviation",
        "statistic",
        "p_value",
        "cramers_v",
        "cramers_v_upper",
        "holds",
        "verdict",
        "reading",
    ]);
    let text = |s: &str| Cell::text(s);
    for f in &report.figures {
        let parts = f
            .computed
            .as_ref()
            .map(|c| c.parts.as_slice())
            .unwrap_or(&[]);
        if parts.is_empty() {
            let mut rec = vec![text("figure"), text(&f.published.id), Cell::Empty];
            rec.extend([
                Cell::exact(f.published.value),
                text(f.published.relation.as_str()),
            ]);
            rec.extend(std::iter::repeat_n(Cell::Empty, 8));
            rec.extend([
                text("false"),
                text(f.verdict.as_str()),
                text(reading(f, lang)),
            ]);
            t.push(rec);
        }
        for p in parts {
            t.push(vec![
                text("figure"),
                text(&f.published.id),
                text(&part_label(&p.label, lang)),
                Cell::exact(f.published.value),
                text(f.published.relation.as_str()),
                Cell::number(p.value, 4),
                Cell::Empty,
                Cell::count(p.base),
                Cell::number(p.value - f.published.value, 4),
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                text(&f.published.holds(p.value).to_string()),
                text(f.verdict.as_str()),
                text(reading(f, lang)),
            ]);
        }
    }
    for f in &report.findings {
        for c in &f.claims {
            t.push(vec![
                text("finding"),
                text(&f.published.id),
                text(&claim_text(c, lang)),
                Cell::Empty,
                text(&test(&c.test, lang)),
                Cell::Empty,
                text(&groups_text(c, lang)),
                Cell::count(c.groups.iter().map(|g| g.n).sum::<usize>()),
                Cell::Empty,
                c.statistic.map_or(Cell::Empty, |s| Cell::number(s, 4)),
                c.p_value.map_or(Cell::Empty, |p| Cell::number(p, 6)),
                c.cramers_v.map_or(Cell::Empty, |v| Cell::number(v, 4)),
                c.v_upper.map_or(Cell::Empty, |v| Cell::number(v, 4)),
                text(&c.holds.to_string()),
                text(f.verdict.as_str()),
                Cell::Empty,
            ]);
        }
    }
    t
}

fn finite(v: f64) -> serde_json::Value {
    if v.is_finite() {
        json!(v)
    } else {
        serde_json::Value::Null
    }
}

fn claim_json(c: &Claim, lang: Lang) -> serde_json::Value {
    json!({
        "claim": claim_text(c, lang),
        "groups": c.groups.iter().map(|g| json!({"label": group_label(&g.label, lang), "value": finite(g.value), "n": g.n})).collect::<Vec<_>>(),
        "test": test(&c.test, lang),
        "statistic": c.statistic.map(finite),
        "p_value": c.p_value.map(finite),
        "cramers_v": c.cramers_v.map(finite),
        "cramers_v_upper": c.v_upper.map(finite),
        "holds": c.holds,
    })
}

fn finding_json(f: &FindingResult, lang: Lang) -> serde_json::Value {
    json!({
        "id": f.published.id,
        "text": f.published.text,
        "source": f.published.source,
        "claims": f.claims.iter().map(|c| claim_json(c, lang)).collect::<Vec<_>>(),
        "verdict": f.verdict.as_str(),
    })
}

fn json_text(report: &FiguresReport, lang: Lang) -> String {
    let figures: Vec<serde_json::Value> = report
        .figures
        .iter()
        .map(|f| {
            json!({
                "id": f.published.id,
                "published": f.published.value,
                "unit": f.published.unit.clone().unwrap_or_else(|| "percent".into()),
                "relation": f.published.relation.as_str(),
                "low": finite(f.published.range().0),
                "high": finite(f.published.range().1),
                "base": f.published.base,
                "reading": reading(f, lang),
                "source": f.published.source,
                "computed": f.computed.as_ref().map(|c| c.parts.iter().map(|p| json!({
                    "part": part_label(&p.label, lang), "value": finite(p.value), "base_n": p.base,
                    "deviation": finite(p.value - f.published.value),
                })).collect::<Vec<_>>()),
                "verdict": f.verdict.as_str(),
            })
        })
        .collect();
    let mut doc = json!({
        "rows": report.n_rows,
        "figures": figures,
        "findings": report.findings.iter().map(|f| finding_json(f, lang)).collect::<Vec<_>>(),
        "summary": summary(report, lang),
    });
    if let (Some(v), Some(line)) = (&report.weight, weighting_line(report, lang)) {
        doc["weight"] = json!(v);
        doc["weighting"] = json!(line);
    }
    serde_json::to_string_pretty(&doc).expect("JSON of plain values") + "\n"
}

/// What `typfrage figures` wrote, for the terminal: `files` files with `charts` charts and the
/// manifest into `dir`; when `unweighted`, a line saying what that means for the figures.
pub fn wrote(files: usize, charts: usize, dir: &Path, unweighted: bool, lang: Lang) -> String {
    let (m, dir) = (crate::manifest::FILE_NAME, dir.display());
    let mut out = match lang {
        Lang::De => format!("geschrieben: {files} Dateien ({charts} Grafiken) und {m} in {dir}\n"),
        Lang::En => format!("wrote {files} files ({charts} charts) and {m} into {dir}\n"),
    };
    if unweighted {
        out.push_str(lang.pick(
            "ungewichtet: die veröffentlichten Zahlen sind ungewichtete Anteile, figures gewichtet nur mit --weight VAR\n",
            "unweighted: the published figures are unweighted shares; figures weights only with --weight VAR\n",
        ));
    }
    out
}

/// The message of a run whose figures or findings `failures` were not reproduced, for `file`;
/// `not_computed` figures had no computation or an empty base.
/// The note on the codebook variables a survey file lacks and the figures and findings that
/// cannot be computed without them (empty when the file lacks none).
pub fn absent_note(absent: &[String], uncomputable: &[&str], lang: Lang) -> String {
    if absent.is_empty() {
        return String::new();
    }
    let (n, list) = (absent.len(), absent.join(", "));
    let (m, ids) = (uncomputable.len(), uncomputable.join(", "));
    match lang {
        Lang::De => format!("Der Datei fehlen {n} Variablen des Codebuchs: {list}\nOhne sie nicht zu berechnen ({m}): {ids}\n"),
        Lang::En => format!("The file lacks {n} variables of the codebook: {list}\nNot computable without them ({m}): {ids}\n"),
    }
}

pub fn not_reproduced(file: &str, failures: &[&str], not_computed: usize, lang: Lang) -> String {
    let (n, ids) = (failures.len(), failures.join(", "));
    let mut out = match lang {
        Lang::De => {
            format!("{file}: {n} veröffentlichte Zahlen oder Befunde nicht nachgerechnet: {ids}\n")
        }
        Lang::En => format!("{file}: {n} published figures or findings not reproduced: {ids}\n"),
    };
    if not_computed > 0 {
        out.push_str(&match lang {
            Lang::De => {
                format!("({not_computed} Zahlen haben keine Rechnung oder eine leere Basis)\n")
            }
            Lang::En => format!("({not_computed} figures have no computation or an empty base)\n"),
        });
    }
    out
}

/// The report in the given format and language; an error of the CSV writer is returned, never a
/// short table.
pub fn render(report: &FiguresReport, format: Format, lang: Lang) -> csv::Result<String> {
    Ok(match format {
        Format::Table => table(report, lang),
        Format::Markdown => markdown(report, lang),
        Format::Csv => figures_table(report, lang).csv(CsvStyle::Rfc4180)?,
        Format::Json => json_text(report, lang),
    })
}
