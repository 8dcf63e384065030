//! The cross-tabs by type: as a document (one section per variable with its test, shares and
//! ▲/▼ flags) and as one table for `crosstabs.csv` and the workbook.

use super::profile::ProfileReport;
use super::profile_sheet::{flag, p_equation, weighting_sentence};
use crate::lang::Lang;
use crate::show::doc::Document;
use crate::show::format::number as num;
use crate::show::table::{Cell, Table};

/// All cross-tabs as a document.
pub fn crosstabs_document(report: &ProfileReport, level: u8) -> Document {
    let lang = report.lang;
    let mut d = Document::default();
    d.heading(
        level,
        lang.pick("Kreuztabellen nach Typ", "Cross-tabulations by type"),
    );
    d.paragraph(lang.pick(
        "Spaltenanteile je Typ; ▲/▼ über- bzw. unterrepräsentiert (angepasstes standardisiertes Residuum).",
        "Shares within each type; ▲/▼ over- or under-represented (adjusted standardised residual).",
    ));
    d.paragraph(weighting_sentence(report));
    for c in &report.crosstabs {
        d.heading(level + 1, format!("{} ({})", c.item, c.variable));
        let question = c.question.trim_end();
        let stop = if question.ends_with(['?', '.', '!', ']']) {
            ""
        } else {
            "."
        };
        d.paragraph(format!(
            "{question}{stop} χ²{} = {}, df = {}, {}, {} = {}{}{}",
            match c.design_effect {
                Some(deff) => format!(
                    " ({} {})",
                    lang.pick(
                        "gewichtet, Rao-Scott 1. Ordnung, Design-Effekt",
                        "weighted, Rao-Scott first order, design effect"
                    ),
                    num(deff, 2, lang)
                ),
                None => String::new(),
            },
            c.chi_square.map_or("–".into(), |v| num(v, 1, lang)),
            c.df.map_or("–".into(), |v| v.to_string()),
            p_equation(c.p_value, lang),
            lang.pick("Cramérs V", "Cramér's V"),
            c.cramers_v.map_or("–".into(), |v| num(v, 2, lang)),
            match c.min_expected {
                Some(e) if e < 5.0 => format!(
                    "; {} {}",
                    lang.pick(
                        "Test nur grob, kleinste erwartete Zellbesetzung",
                        "test rough, smallest expected count"
                    ),
                    num(e, 1, lang)
                ),
                _ => String::new(),
            },
            if c.small_cells > 0 {
                format!(
                    "; {} {}",
                    c.small_cells,
                    match lang {
                        Lang::De => format!("Zellen mit < 5 {}", report.words.units_dative()),
                        Lang::En => format!("cells with < 5 {}", report.words.units()),
                    }
                )
            } else {
                String::new()
            }
        ));
        let mut header = vec![lang.pick("Antwort", "Answer").to_string()];
        header.extend(c.groups.iter().cloned());
        header.push(lang.pick("alle", "all").into());
        let k = c.groups.len();
        let mut rows: Vec<Vec<String>> = c
            .answers
            .iter()
            .enumerate()
            .map(|(j, a)| {
                let mut row = vec![a.clone()];
                for g in 0..k {
                    row.push(format!(
                        "{}{}",
                        c.shares[g][j].shown,
                        flag(c.residuals[g][j])
                    ));
                }
                row.push(c.shares[k][j].shown.clone());
                row
            })
            .collect();
        let mut base = vec!["n".to_string()];
        base.extend(
            c.shares
                .iter()
                .map(|s| s.first().map_or(0, |x| x.base).to_string()),
        );
        rows.push(base);
        let mut numeric = vec![false];
        numeric.extend(std::iter::repeat_n(true, k + 1));
        d.table(header, rows, numeric);
    }
    d
}

/// The cross-tabs as one table (`crosstabs.csv`, a workbook sheet): variable, answer, group,
/// count, base, percent, residual, tests; then the summed weights of the cell and its base
/// (rounded to six decimals, written without trailing zeros: `4.5`), the
/// weight variable and the design effect (empty when unweighted), and the test (`pearson`, or
/// `rao-scott first order` when weighted). `count` and `base` always count municipalities;
/// `percent` is of the summed weights when weighted.
pub fn crosstabs_table(report: &ProfileReport) -> Table {
    let mut t = Table::new([
        "variable",
        "answer",
        "group",
        "count",
        "base",
        "percent",
        "residual",
        "chi_square",
        "df",
        "p_value",
        "cramers_v",
        "weighted_count",
        "weighted_base",
        "weight",
        "design_effect",
        "test",
    ]);
    let test = match &report.weight {
        Some(_) => "rao-scott first order",
        None => "pearson",
    };
    for c in &report.crosstabs {
        let mut groups = c.groups.clone();
        groups.push("all".into());
        for (g, name) in groups.iter().enumerate() {
            for (j, s) in c.shares[g].iter().enumerate() {
                t.push(vec![
                    Cell::text(c.variable.as_str()),
                    Cell::text(s.answer.as_str()),
                    Cell::text(name.as_str()),
                    Cell::count(s.count as usize),
                    Cell::count(s.base as usize),
                    s.percent.map_or(Cell::Empty, |p| Cell::percent(p, 2)),
                    Cell::opt(c.residuals.get(g).and_then(|r| r[j]), 3),
                    Cell::opt(c.chi_square, 3),
                    c.df.map_or(Cell::Empty, Cell::count),
                    Cell::opt(c.p_value, 5),
                    Cell::opt(c.cramers_v, 4),
                    s.weighted.map_or(Cell::Empty, |w| Cell::rounded(w, 6)),
                    s.weighted_base.map_or(Cell::Empty, |w| Cell::rounded(w, 6)),
                    Cell::text(report.weight.as_deref().unwrap_or("")),
                    Cell::opt(c.design_effect, 4),
                    Cell::text(test),
                ]);
            }
        }
    }
    t
}
