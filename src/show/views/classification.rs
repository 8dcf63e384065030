//! Classifying with a saved model as people read it: the classified municipalities' table
//! (`classified.csv`, [`classified_table`]), and who switched type since an earlier file
//! ([`switch_lines`]).

use std::collections::HashMap;

use crate::cluster::{Classified, SavedModel};
use crate::escape::field;
use crate::lang::Lang;
use crate::show::table::terminal::Terminal;
use crate::show::table::{Cell, Table};
use crate::show::words::Words;

/// Classified municipalities, with the type's slug and display name (in `lang`), and their
/// certainty (the share of the model's bootstrap resamples that put them into their type) where
/// the model carries the resamples.
pub fn classified_table(model: &SavedModel, rows: &[Classified], lang: Lang) -> Table {
    let mut header = vec![
        "id".to_string(),
        "type".to_string(),
        "type_name".to_string(),
    ];
    header.extend(model.types.iter().map(|t| format!("distance_{}", t.id)));
    header.push("margin".into());
    // the certainty where the model carries its bootstrap resamples
    let certain = model.certainty.is_some();
    if certain {
        header.push("certainty".into());
    }
    header.push("note".into());
    let mut table = Table::new(header);
    for c in rows {
        let ty = c.type_index.map(|i| &model.types[i]);
        let mut rec = vec![
            Cell::text(c.id.as_str()),
            ty.map_or(Cell::Empty, |t| Cell::text(t.id.as_str())),
            ty.map_or(Cell::Empty, |t| {
                Cell::text(lang.pick(&t.name_de, &t.name_en))
            }),
        ];
        if c.distances.is_empty() {
            rec.extend(model.types.iter().map(|_| Cell::Empty));
        } else {
            rec.extend(c.distances.iter().map(|&d| Cell::number(d, 6)));
        }
        rec.push(Cell::opt(c.margin, 6));
        if certain {
            rec.push(c.certainty().map_or(Cell::Empty, |(s, _)| Cell::exact(s)));
        }
        rec.push(
            c.reason
                .as_ref()
                .map_or(Cell::Empty, |r| Cell::text(format!("left out: {r}"))),
        );
        table.push(rec);
    }
    table
}

/// The console's lines on certainty after classifying: how many are borderline (fewer than 80 of
/// 100 resamples in their type), and between which types; nothing when the model carries no
/// resamples.
pub fn certainty_lines(model: &SavedModel, rows: &[Classified], lang: Lang) -> String {
    let Some(c) = &model.certainty else {
        return String::new();
    };
    let name = |t: usize| lang.pick(&model.types[t].name_de, &model.types[t].name_en);
    let b = c.resamples();
    let mut borderline = Vec::new();
    let mut classified = 0usize;
    for r in rows {
        let Some((share, other)) = r.certainty() else {
            continue;
        };
        classified += 1;
        if share < super::feedback::CERTAIN_FROM {
            let n = (share * b as f64).round() as usize;
            let between = match (other, r.type_index) {
                (Some(o), Some(t)) => match lang {
                    Lang::De => format!(": Grenzfall zwischen {} und {}", name(t), name(o)),
                    Lang::En => format!(": borderline between {} and {}", name(t), name(o)),
                },
                _ => String::new(),
            };
            borderline.push(match lang {
                Lang::De => format!(
                    "  {}: in {n} von {b} Stichproben im Typ{between}",
                    crate::escape::field(&r.id)
                ),
                Lang::En => format!(
                    "  {}: in {n} of {b} resamples in its type{between}",
                    crate::escape::field(&r.id)
                ),
            });
        }
    }
    let words = Words::of_model(model, lang);
    let (units, dative) = (words.units(), words.units_dative());
    let mut out = match lang {
        Lang::De => format!(
            "Sicherheit (Spalte certainty): {} von {classified} {dative} fallen in mindestens 80 von {b} Stichproben des Modells in ihren Typ\n",
            classified - borderline.len()
        ),
        Lang::En => format!(
            "Certainty (column certainty): {} of {classified} {units} fall into their type in at least 80 of the model's {b} resamples\n",
            classified - borderline.len()
        ),
    };
    out.push_str(&first_lines(&borderline, lang));
    out
}

/// Who switched type since an earlier assignments file (`before`: id -> type slug, `""` for none,
/// read from `earlier`): how many are in both, how many switched, a table of counts with the
/// earlier type as rows and the type now as columns (`-`: no type), then up to 20 of the
/// switches by id.
pub fn switch_lines(
    model: &SavedModel,
    rows: &[Classified],
    before: &HashMap<String, String>,
    earlier: &str,
    words: &Words,
) -> String {
    let lang = words.lang;
    let units = words.units();
    // the earlier types in the model's order, then any the model does not know, then none
    let mut kinds: Vec<String> = model.types.iter().map(|t| t.id.clone()).collect();
    let mut counts: HashMap<(String, String), usize> = HashMap::new();
    let mut switched = Vec::new();
    for row in rows {
        let Some(was) = before.get(&row.id) else {
            continue;
        };
        let now = row
            .type_index
            .map_or(String::new(), |i| model.types[i].id.clone());
        for k in [was, &now] {
            if !k.is_empty() && !kinds.contains(k) {
                kinds.push(k.clone());
            }
        }
        if *was != now {
            let shown = |k: &str| {
                if k.is_empty() {
                    "-".to_string()
                } else {
                    field(k).into_owned()
                }
            };
            switched.push(format!(
                "  {}: {} -> {}",
                field(&row.id),
                shown(was),
                shown(&now)
            ));
        }
        *counts.entry((was.clone(), now)).or_default() += 1;
    }
    let both: usize = counts.values().sum();
    if counts.keys().any(|(a, b)| a.is_empty() || b.is_empty()) {
        kinds.push(String::new());
    }
    let name = |k: &str| -> String {
        if k.is_empty() {
            return "-".into();
        }
        match model.types.iter().find(|t| t.id == k) {
            Some(t) => field(lang.pick(&t.name_de, &t.name_en)).into_owned(),
            None => field(k).into_owned(),
        }
    };
    let mut out = match lang {
        Lang::De => format!(
            "{} der {units} in {earlier} haben den Typ gewechselt (von {both} {} in beiden Dateien)\n",
            switched.len(),
            words.units_dative()
        ),
        Lang::En => format!(
            "{} of the {units} in {earlier} switched type (of {both} {units} in both files)\n",
            switched.len()
        ),
    };
    if both > 0 {
        let corner = lang.pick("vorher \\ jetzt", "before \\ now");
        let total = lang.pick("zusammen", "total");
        let mut header = vec![corner.to_string()];
        header.extend(kinds.iter().map(|k| name(k)));
        header.push(total.into());
        let mut table = Table::new(header);
        let count = |a: &str, b: &str| {
            counts
                .get(&(a.to_string(), b.to_string()))
                .copied()
                .unwrap_or(0)
        };
        for a in &kinds {
            let mut line = vec![Cell::text(name(a))];
            line.extend(kinds.iter().map(|b| Cell::count(count(a, b))));
            line.push(Cell::count(kinds.iter().map(|b| count(a, b)).sum()));
            table.push(line);
        }
        let mut line = vec![Cell::text(total)];
        line.extend(
            kinds
                .iter()
                .map(|b| Cell::count(kinds.iter().map(|a| count(a, b)).sum())),
        );
        line.push(Cell::count(both));
        table.push(line);
        let terminal = Terminal {
            indent: 2,
            ..Terminal::new(lang)
        };
        out.push_str(&terminal.render(&table));
    }
    out.push_str(&first_lines(&switched, lang));
    out
}

/// The most lines a list on the console shows; "… and 3 more" says how many it leaves out.
const SHOWN_LINES: usize = 20;

/// The first [`SHOWN_LINES`] of `lines`, each ending in a line break, and how many follow.
fn first_lines(lines: &[String], lang: Lang) -> String {
    let mut out = String::new();
    for line in lines.iter().take(SHOWN_LINES) {
        out.push_str(line);
        out.push('\n');
    }
    if lines.len() > SHOWN_LINES {
        let more = lines.len() - SHOWN_LINES;
        out.push_str(&match lang {
            Lang::De => format!("  … und {more} weitere\n"),
            Lang::En => format!("  … and {more} more\n"),
        });
    }
    out
}
