//! The figures report as a terminal table, Markdown, CSV (from [`figures_table`], which the
//! workbook's sheet shares) or JSON.

use serde_json::json;

use crate::tables::{Cell, CsvStyle, Table};

use super::{Claim, FigureResult, FiguresReport, FindingResult, Verdict};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Table,
    Markdown,
    Csv,
    Json,
}

fn num(v: f64, digits: usize) -> String {
    if v.is_finite() {
        format!("{v:.digits$}")
    } else {
        "-".to_string()
    }
}

fn p_text(p: Option<f64>) -> String {
    match p {
        Some(p) if p < 0.0001 => "<0.0001".to_string(),
        Some(p) => format!("{p:.4}"),
        None => "-".to_string(),
    }
}

fn figure_cells(f: &FigureResult) -> [String; 7] {
    let shown = f.shown();
    let unit = if f.published.is_percent() { " %" } else { "" };
    let computed = shown.map_or("-".into(), |p| format!("{}{unit}", num(p.value, 1)));
    let deviation = shown.map_or("-".into(), |p| {
        let d = p.value - f.published.value;
        if d.is_finite() {
            format!("{d:+.1}")
        } else {
            "-".into()
        }
    });
    let parts = f.computed.as_ref().map_or(0, |c| c.parts.len());
    let base = shown.map_or("-".into(), |p| {
        if parts > 1 {
            format!("{} (worst of {parts})", p.base)
        } else {
            p.base.to_string()
        }
    });
    [
        f.published.id.clone(),
        format!("{}{unit}", f.published.value),
        f.published.relation_text(),
        computed,
        base,
        deviation,
        f.verdict.as_str().to_string(),
    ]
}

const FIGURE_HEADER: [&str; 7] = [
    "id",
    "published",
    "relation",
    "computed",
    "base n",
    "deviation",
    "verdict",
];

fn groups_text(c: &Claim) -> String {
    c.groups
        .iter()
        .map(|g| {
            if g.value.is_finite() {
                let unit = if c.percent { " %" } else { "" };
                format!("{} {}{unit} (n={})", g.label, num(g.value, 1), g.n)
            } else {
                format!("{} (n={})", g.label, g.n)
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn claim_stats(c: &Claim) -> String {
    let mut parts = Vec::new();
    if let Some(s) = c.statistic {
        parts.push(format!("statistic {}", num(s, 2)));
    }
    if c.p_value.is_some() {
        parts.push(format!("p {}", p_text(c.p_value)));
    }
    if let Some(v) = c.cramers_v {
        parts.push(format!("V {}", num(v, 3)));
    }
    if let Some(v) = c.v_upper {
        parts.push(format!("V upper 95 % bound {}", num(v, 3)));
    }
    parts.join(", ")
}

fn table(report: &FiguresReport) -> String {
    let rows: Vec<[String; 7]> = report.figures.iter().map(figure_cells).collect();
    let mut widths = FIGURE_HEADER.map(str::len);
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: &[String]| {
        cells
            .iter()
            .zip(widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_string()
    };
    let mut out = vec![format!(
        "Published figures recomputed from {} municipalities (published values are read only to compare)",
        report.n_rows
    )];
    out.push(line(&FIGURE_HEADER.map(String::from)));
    out.extend(rows.iter().map(|r| line(r)));
    out.push(String::new());
    out.push("How each figure is read (whoever did not answer is out of the base)".to_string());
    for f in &report.figures {
        out.push(format!("  {}: {}", f.published.id, reading(f)));
    }
    out.push(String::new());
    out.push("Directional findings".to_string());
    for f in &report.findings {
        out.push(format!("{}  {}", f.published.id, f.verdict.as_str()));
        if f.claims.is_empty() {
            out.push("  no computation is defined for this finding".into());
        }
        for c in &f.claims {
            let mark = if c.holds { "holds" } else { "FAILS" };
            out.push(format!("  {} [{mark}]", c.claim));
            out.push(format!("    {}", groups_text(c)));
            let stats = claim_stats(c);
            if stats.is_empty() {
                out.push(format!("    {}", c.test));
            } else {
                out.push(format!("    {}: {stats}", c.test));
            }
        }
    }
    out.push(String::new());
    out.push(summary(report));
    out.join("\n") + "\n"
}

/// One closing line: how many figures and findings were reproduced.
pub fn summary(report: &FiguresReport) -> String {
    let ok = |v: &Verdict| *v == Verdict::Reproduced;
    let figs = report.figures.iter().filter(|f| ok(&f.verdict)).count();
    let finds = report.findings.iter().filter(|f| ok(&f.verdict)).count();
    format!(
        "{figs} of {} figures and {finds} of {} findings reproduced",
        report.figures.len(),
        report.findings.len()
    )
}

/// How a figure is read, or a dash where no computation is defined.
fn reading(f: &FigureResult) -> &'static str {
    match f.computed.as_ref().map(|c| c.reading) {
        Some(r) if !r.is_empty() => r,
        _ => "-",
    }
}

fn markdown(report: &FiguresReport) -> String {
    let mut out = vec![
        "## Published figures".to_string(),
        String::new(),
        format!("| {} | reading |", FIGURE_HEADER.join(" | ")),
        format!("|{}", "---|".repeat(FIGURE_HEADER.len() + 1)),
    ];
    for f in &report.figures {
        out.push(format!(
            "| {} | {} |",
            figure_cells(f).join(" | "),
            reading(f)
        ));
    }
    out.extend([
        String::new(),
        "## Findings".to_string(),
        String::new(),
        "| id | claim | groups | test | result | verdict |".to_string(),
        "|---|---|---|---|---|---|".to_string(),
    ]);
    for f in &report.findings {
        for c in &f.claims {
            out.push(format!(
                "| {} | {} | {} | {} | {} | {} |",
                f.published.id,
                c.claim,
                groups_text(c),
                c.test,
                claim_stats(c),
                if c.holds { "holds" } else { "FAILS" }
            ));
        }
    }
    out.push(String::new());
    out.push(summary(report));
    out.join("\n") + "\n"
}

/// The figures and findings as a table (the CSV `figures.csv` and the workbook's sheet): published
/// and computed values side by side. `computed` holds only numbers (a figure's value); a finding's
/// groups with their values are text in `groups`, so that every column has one kind of cell.
pub fn figures_table(report: &FiguresReport) -> Table {
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
            rec.extend([text("false"), text(f.verdict.as_str()), text(reading(f))]);
            t.push(rec);
        }
        for p in parts {
            t.push(vec![
                text("figure"),
                text(&f.published.id),
                text(&p.label),
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
                text(reading(f)),
            ]);
        }
    }
    for f in &report.findings {
        for c in &f.claims {
            t.push(vec![
                text("finding"),
                text(&f.published.id),
                text(&c.claim),
                Cell::Empty,
                text(&c.test),
                Cell::Empty,
                text(&groups_text(c)),
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

fn claim_json(c: &Claim) -> serde_json::Value {
    json!({
        "claim": c.claim,
        "groups": c.groups.iter().map(|g| json!({"label": g.label, "value": finite(g.value), "n": g.n})).collect::<Vec<_>>(),
        "test": c.test,
        "statistic": c.statistic.map(finite),
        "p_value": c.p_value.map(finite),
        "cramers_v": c.cramers_v.map(finite),
        "cramers_v_upper": c.v_upper.map(finite),
        "holds": c.holds,
    })
}

fn finding_json(f: &FindingResult) -> serde_json::Value {
    json!({
        "id": f.published.id,
        "text": f.published.text,
        "source": f.published.source,
        "claims": f.claims.iter().map(claim_json).collect::<Vec<_>>(),
        "verdict": f.verdict.as_str(),
    })
}

fn json_text(report: &FiguresReport) -> String {
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
                "reading": reading(f),
                "source": f.published.source,
                "computed": f.computed.as_ref().map(|c| c.parts.iter().map(|p| json!({
                    "part": p.label, "value": finite(p.value), "base_n": p.base,
                    "deviation": finite(p.value - f.published.value),
                })).collect::<Vec<_>>()),
                "verdict": f.verdict.as_str(),
            })
        })
        .collect();
    let doc = json!({
        "rows": report.n_rows,
        "figures": figures,
        "findings": report.findings.iter().map(finding_json).collect::<Vec<_>>(),
        "summary": summary(report),
    });
    serde_json::to_string_pretty(&doc).expect("JSON of plain values") + "\n"
}

/// The report in the given format; an error of the CSV writer is returned, never a short table.
pub fn render(report: &FiguresReport, format: Format) -> csv::Result<String> {
    Ok(match format {
        Format::Table => table(report),
        Format::Markdown => markdown(report),
        Format::Csv => figures_table(report).csv(CsvStyle::Rfc4180)?,
        Format::Json => json_text(report),
    })
}
