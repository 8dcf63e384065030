//! Classifying with a saved model as people read it: the classified municipalities' table
//! (`classified.csv`, [`classified_table`]).

use crate::cluster::{Classified, SavedModel};
use crate::lang::Lang;
use crate::show::table::{Cell, Table};

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
    let mut out = match lang {
        Lang::De => format!(
            "Sicherheit (Spalte certainty): {} von {classified} Kommunen fallen in mindestens 80 von {b} Stichproben des Modells in ihren Typ\n",
            classified - borderline.len()
        ),
        Lang::En => format!(
            "Certainty (column certainty): {} of {classified} municipalities fall into their type in at least 80 of the model's {b} resamples\n",
            classified - borderline.len()
        ),
    };
    for line in borderline.iter().take(20) {
        out.push_str(line);
        out.push('\n');
    }
    if borderline.len() > 20 {
        out.push_str(&match lang {
            Lang::De => format!("  … und {} weitere\n", borderline.len() - 20),
            Lang::En => format!("  … and {} more\n", borderline.len() - 20),
        });
    }
    out
}
