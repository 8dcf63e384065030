//! A fitted typology as people read it: the types' names in the run's language ([`type_name`]),
//! the assignments, types and goal profiles as tables (CSV or workbook sheets through
//! [`crate::show::table`]), the console summary of `typfrage cluster`, its weighting line, and
//! the advice about the result ([`advice`]).

use crate::cluster::{
    characteristic, Advice, Algorithm, Engine, MissingPolicy, Named, ScaleKind, TypeDef, TypeName,
    Typology, EXACT_SILHOUETTE_MAX_ROWS,
};
use crate::lang::Lang;
use crate::show::format::number;
use crate::show::table::terminal::Terminal;
use crate::show::table::{Cell, Table};
use crate::show::words::Words;
use crate::survey::Codebook;

/// A type's name in `lang`: a defined type's from the type definitions, "Typ 3" / "Type 3" for a
/// cluster no type was given to.
pub fn type_name(name: &Named, lang: Lang) -> String {
    name_words(&name.name, lang)
}

/// [`type_name`] of a [`TypeName`].
pub fn name_words(name: &TypeName, lang: Lang) -> String {
    match name {
        TypeName::Published { de, en } => lang.pick(de, en).to_string(),
        TypeName::Numbered(n) => match lang {
            Lang::De => format!("Typ {n}"),
            Lang::En => format!("Type {n}"),
        },
    }
}

/// The scaling of the variables in `lang`, with the option's value in German (`keine (none)`).
pub fn scale_words(scale: ScaleKind, lang: Lang) -> String {
    match lang {
        Lang::En => scale.as_str().to_string(),
        Lang::De => {
            let words = match scale {
                ScaleKind::None => "keine",
                ScaleKind::Z => "z-standardisiert",
                ScaleKind::Range => "auf die Spannweite",
            };
            format!("{words} (--scale {})", scale.as_str())
        }
    }
}

/// The longest label (in characters) a description uses in place of the variable's name.
const SHORT_LABEL: usize = 24;

/// The variables' names in a type's description: their labels where the codebook gives every
/// one of them a short one, else the names themselves (never some of each).
pub fn short_labels(book: Option<&Codebook>, variables: &[String], lang: Lang) -> Vec<String> {
    let labels: Option<Vec<String>> = variables
        .iter()
        .map(|v| {
            book.and_then(|b| b.variable(v))
                .map(|var| crate::show::labels::item_label(var, lang).trim())
                .filter(|l| !l.is_empty() && l.chars().count() <= SHORT_LABEL)
                .map(str::to_string)
        })
        .collect();
    labels.unwrap_or_else(|| variables.to_vec())
}

/// A type's description from its most characteristic variables ([`characteristic`]), `labels` in
/// the profile's order: "hoch: A5, E4; niedrig: N1" / "high: A5, E4; low: N1".
pub fn description(profile: &[f64], labels: &[String], lang: Lang) -> String {
    let (high, low) = characteristic(profile);
    let list = |v: &[usize]| {
        v.iter()
            .map(|&j| labels[j].as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut parts = Vec::new();
    if !high.is_empty() {
        parts.push(format!("{}: {}", lang.pick("hoch", "high"), list(&high)));
    }
    if !low.is_empty() {
        parts.push(format!("{}: {}", lang.pick("niedrig", "low"), list(&low)));
    }
    if parts.is_empty() {
        return lang
            .pick(
                "nahe dem Mittel auf allen Variablen",
                "near the mean on every variable",
            )
            .to_string();
    }
    parts.join("; ")
}

/// The description of every type that its definition gives no motto (the numbered ones, and those
/// of a drafted types file), in the typology's order; `None` for the others.
pub fn descriptions(
    t: &Typology,
    defs: &[TypeDef],
    book: Option<&Codebook>,
    lang: Lang,
) -> Vec<Option<String>> {
    let labels = short_labels(book, t.variables(), lang);
    t.types
        .iter()
        .map(|ty| {
            // a numbered type, or one of a drafted types file without a motto (a published type
            // says what it stands for by its signature)
            let def = defs.iter().find(|d| d.id == ty.name.id);
            def.is_none_or(|d| d.motto.is_none() && d.centroid.is_some())
                .then(|| description(&ty.profile, &labels, lang))
        })
        .collect()
}

/// Every type's name in German and in English, in the typology's order (the saved model keeps both).
pub fn names_de_en(t: &Typology) -> Vec<(String, String)> {
    t.types
        .iter()
        .map(|ty| (type_name(&ty.name, Lang::De), type_name(&ty.name, Lang::En)))
        .collect()
}

/// The typology's advice ([`Typology::advice`]) as warnings in `lang`.
pub fn advice(t: &Typology, lang: Lang) -> Vec<String> {
    t.advice()
        .into_iter()
        .map(|a| {
            // "Typ Die Optimierer" / "type The Optimisers", but "Typ 2" / "Type 2" alone
            let name = |i: usize| match t.types[i].name.name {
                TypeName::Numbered(n) => n.to_string(),
                _ => type_name(&t.types[i].name, lang),
            };
            match (a, lang) {
                (Advice::SmallType { type_index, n }, Lang::De) => {
                    format!("Typ {} hat nur {n} Mitglieder", name(type_index))
                }
                (Advice::SmallType { type_index, n }, Lang::En) => {
                    format!("type {} has only {n} members", name(type_index))
                }
                (Advice::WeaklySeparated { type_index, mean_silhouette }, _) => {
                    let sil = number(mean_silhouette, 2, lang);
                    match lang {
                        Lang::De => format!(
                            "Typ {} ist schwach abgegrenzt (mittlere Silhouette {sil})",
                            name(type_index)
                        ),
                        Lang::En => format!(
                            "type {} is weakly separated (mean silhouette {sil})",
                            name(type_index)
                        ),
                    }
                }
                (Advice::DoubtfulName { type_index, margin }, _) if margin < 0.0 => {
                    let m = number(margin, 2, lang);
                    match lang {
                        Lang::De => format!(
                            "der Name {} passt zu seinem Cluster weniger gut als der Name eines anderen Typs (Abstand {m}); der Zuordnung der Namen nach passt er dennoch am besten",
                            name(type_index)
                        ),
                        Lang::En => format!(
                            "the name {} fits its cluster less well than another type's name (margin {m}); it is still the best fit when the names are given out one to one",
                            name(type_index)
                        ),
                    }
                }
                (Advice::DoubtfulName { type_index, margin }, _) => {
                    let m = number(margin, 2, lang);
                    match lang {
                        Lang::De => format!(
                            "der Name {} passt zu seinem Cluster nur wenig besser als der eines anderen Typs (Abstand {m})",
                            name(type_index)
                        ),
                        Lang::En => format!(
                            "the name {} fits its cluster only slightly better than another type's (margin {m})",
                            name(type_index)
                        ),
                    }
                }
                (Advice::RangesDiffer, _) => lang
                    .pick(
                        "die Variablen haben sehr unterschiedliche Spannweiten, und --scale none lässt die breiteste dominieren; --scale z erwägen",
                        "the variables have very different ranges and --scale none lets the widest dominate; consider --scale z",
                    )
                    .into(),
            }
        })
        .collect()
}

/// The assignments' column names: `id`, `type`, `type_name`, a distance per type, `silhouette`,
/// `margin`, `note`.
pub fn assignments_header(t: &Typology) -> Vec<String> {
    let mut header = vec![
        "id".to_string(),
        "type".to_string(),
        "type_name".to_string(),
    ];
    header.extend(t.types.iter().map(|ty| format!("distance_{}", ty.name.id)));
    header.extend(["silhouette", "margin"].map(String::from));
    if t.certainty.is_some() {
        header.push("certainty".into());
    }
    if t.posterior.is_some() {
        header.push("posterior".into());
    }
    header.push("note".into());
    header
}

/// The assignments: one row per municipality of the survey, in input order, with the type's slug
/// and display name in `lang`; those left out have an empty type and the reason (the `note`
/// column is a fixed English phrase naming the variables, in every language: programs filter on it).
/// Made row by row, for a survey of any size.
pub fn assignment_rows<'a>(
    t: &'a Typology,
    ids_in_order: &'a [String],
    lang: Lang,
) -> impl Iterator<Item = Vec<Cell>> + 'a {
    let mut at = vec![u32::MAX; ids_in_order.len()];
    for (i, a) in t.assignments.iter().enumerate() {
        if let Some(slot) = at.get_mut(a.row) {
            *slot = i as u32;
        }
    }
    let reasons: std::collections::HashMap<usize, &str> = t
        .matrix
        .excluded
        .iter()
        .map(|e| (e.row, e.reason.as_str()))
        .collect();
    let distances = t.distances();
    ids_in_order.iter().enumerate().map(move |(row, id)| {
        let mut rec = Vec::with_capacity(t.types.len() + 6);
        rec.push(Cell::text(id.as_str()));
        let i = at[row] as usize;
        match t.assignments.get(i) {
            Some(a) => {
                let name = &t.types[a.type_index].name;
                rec.push(Cell::text(name.id.as_str()));
                rec.push(Cell::text(type_name(name, lang)));
                rec.extend(distances.of(i).into_iter().map(|d| Cell::number(d, 6)));
                rec.push(Cell::number(a.silhouette, 6));
                rec.push(Cell::number(a.margin, 6));
                if let Some(c) = &t.certainty {
                    rec.push(Cell::exact(c.share[i]));
                }
                if let Some(p) = &t.posterior {
                    rec.push(Cell::number(p.share[i], 6));
                }
                rec.push(Cell::Empty);
            }
            None => {
                rec.extend([Cell::Empty, Cell::Empty]);
                rec.extend(t.types.iter().map(|_| Cell::Empty));
                rec.extend([Cell::Empty, Cell::Empty]);
                if t.certainty.is_some() {
                    rec.push(Cell::Empty);
                }
                if t.posterior.is_some() {
                    rec.push(Cell::Empty);
                }
                let reason = reasons.get(&row).copied().unwrap_or("");
                rec.push(Cell::text(format!("left out: {reason}")));
            }
        }
        rec
    })
}

/// [`assignment_rows`] as a table (for the workbook's sheet).
pub fn assignments_table(t: &Typology, ids_in_order: &[String], lang: Lang) -> Table {
    Table {
        header: assignments_header(t),
        rows: assignment_rows(t, ids_in_order, lang).collect(),
    }
}

/// The types: slug, display name (in `lang`), size, share of the clustered municipalities (of
/// their summed weights when weighted), mean silhouette, name margin.
pub fn types_table(t: &Typology, lang: Lang) -> Table {
    let total = t.total_weight();
    let mut table = Table::new([
        "type",
        "type_name",
        "n",
        "share",
        "silhouette",
        "name_margin",
    ]);
    for ty in &t.types {
        table.push(vec![
            Cell::text(ty.name.id.as_str()),
            Cell::text(type_name(&ty.name, lang)),
            Cell::count(ty.n),
            Cell::percent(share(ty.weight, total), 2),
            Cell::number(ty.mean_silhouette, 4),
            Cell::opt(ty.name.margin, 4),
        ]);
    }
    table
}

/// A share in percent (0 of nothing).
fn share(part: f64, total: f64) -> f64 {
    if total > 0.0 {
        100.0 * part / total
    } else {
        0.0
    }
}

/// The console line saying whether the results are weighted, and by what.
pub fn weighting_line(t: &Typology, words: &Words) -> String {
    let lang = words.lang;
    let deff = number(crate::survey::kish_deff(t.weights.as_deref()), 2, lang);
    let (unit, units, profiles) = (words.unit(), words.units(), block_profiles(words));
    match (&t.weight_variable, lang) {
        (Some(v), Lang::De) => format!(
            "gewichtet mit {v} (Kish-Designeffekt {deff}): Zentren, Quadratsumme, Anteile, {profiles} und mittlere Silhouetten gewichtet; n zählt {units}\n"
        ),
        (Some(v), Lang::En) => format!(
            "weighted by {v} (Kish design effect {deff}): centroids, sum of squares, shares, {profiles} and mean silhouettes weighted; n counts {units}\n"
        ),
        (None, Lang::De) => format!("ungewichtet: {} zählt einmal\n", words.each_unit()),
        (None, Lang::En) => format!("unweighted: every {unit} counts once\n"),
    }
}

/// "Zielprofile" / "goal profiles" for the study, else the profiles over the block.
fn block_profiles(words: &Words) -> String {
    match (words.is_study(), words.lang) {
        (true, Lang::De) => "Zielprofile".into(),
        (true, Lang::En) => "goal profiles".into(),
        (false, Lang::De) => format!("Profile der {}", words.block()),
        (false, Lang::En) => format!("profiles over the {}", words.block()),
    }
}

/// The goal profiles: per type and clustering variable the centroid (mean answer) and the
/// standardised difference from all clustered municipalities; type names in `lang`.
pub fn goal_profiles_table(t: &Typology, lang: Lang) -> Table {
    let mut table = Table::new([
        "type",
        "type_name",
        "variable",
        "mean",
        "standardised_difference",
    ]);
    for ty in &t.types {
        for (j, var) in t.variables().iter().enumerate() {
            table.push(vec![
                Cell::text(ty.name.id.as_str()),
                Cell::text(type_name(&ty.name, lang)),
                Cell::text(var.as_str()),
                Cell::number(ty.centroid[j], 4),
                Cell::number(ty.profile[j], 4),
            ]);
        }
    }
    table
}

/// The types' names in `lang` for the console, control characters shown as `\u{…}`.
pub(super) fn console_names(t: &Typology, lang: Lang) -> Vec<String> {
    t.types
        .iter()
        .map(|ty| crate::escape::field(&type_name(&ty.name, lang)).into_owned())
        .collect()
}

/// Which mixture the posteriors in assignments.csv come from, in a line.
fn posterior_line(p: &crate::cluster::mixture::Posterior, lang: Lang) -> String {
    let mean = p.share.iter().sum::<f64>() / p.share.len().max(1) as f64;
    let (k, bic, ari, mean) = (
        p.component.len(),
        number(p.bic, 1, lang),
        number(p.ari, 2, lang),
        number(mean, 2, lang),
    );
    let model = p.model.name();
    match lang {
        Lang::De => format!(
            "Posterior (Spalte posterior): Gauß-Mischmodell {model} mit {k} Komponenten (bestes nach BIC, {bic}; ungewichtet), jede Komponente dem Typ zugeordnet, mit dem sie die meisten Zeilen teilt (ARI {ari}); im Mittel {mean}\n"
        ),
        Lang::En => format!(
            "Posterior (column posterior): Gaussian mixture {model} with {k} components (best by BIC, {bic}; unweighted), each component paired with the type it shares the most rows with (ARI {ari}); mean {mean}\n"
        ),
    }
}

/// Each type's three most distinct variables, by the size of their standardised difference from
/// all (above or below), with the difference: a type that stands out by a low answer shows it.
/// The variables by their codebook labels where `book` gives them, else by their names.
fn most_distinct(t: &Typology, names: &[String], words: &Words, book: Option<&Codebook>) -> String {
    let lang = words.lang;
    let label = |v: &String| {
        book.and_then(|b| b.variable(v))
            .map(|var| {
                crate::show::labels::item_label(var, lang)
                    .trim()
                    .to_string()
            })
            .filter(|l| !l.is_empty())
            .unwrap_or_else(|| v.clone())
    };
    let labels: Vec<String> = t.variables().iter().map(label).collect();
    let mut out = match lang {
        Lang::De => format!(
            "\nAm deutlichsten abweichende {} (standardisierte Differenz zu allen):\n",
            words.block()
        ),
        Lang::En => format!(
            "\nMost distinct {} (standardised difference from all):\n",
            words.block()
        ),
    };
    for (ty, name) in t.types.iter().zip(names) {
        let mut idx: Vec<usize> = (0..ty.profile.len()).collect();
        idx.sort_by(|&a, &b| ty.profile[b].abs().total_cmp(&ty.profile[a].abs()));
        let top: Vec<String> = idx
            .iter()
            .take(3)
            .map(|&j| {
                let d = number(ty.profile[j], 2, lang);
                let sign = if ty.profile[j] >= 0.0 { "+" } else { "" };
                format!("{} {sign}{d}", crate::escape::field(&labels[j]))
            })
            .collect();
        out.push_str(&format!("  {name}: {}\n", top.join(", ")));
    }
    out
}

/// The summary table printed by `typfrage cluster`, in `lang`; the variables by their labels in
/// `book` (the survey's codebook) where it gives them.
pub fn summary(t: &Typology, file: &str, words: &Words, book: Option<&Codebook>) -> String {
    let lang = words.lang;
    let o = &t.options;
    let de = lang == Lang::De;
    let clustered = t.assignments.len();
    let total = t.total_weight();
    let mut out = format!(
        "{file}: {} {}, {clustered} {}",
        t.n_rows,
        words.units(),
        lang.pick("geclustert", "clustered")
    );
    if !t.matrix.excluded.is_empty() {
        let why = match (o.missing, de) {
            (MissingPolicy::Listwise, true) => "keine Antwort auf mindestens eine Clustervariable",
            (MissingPolicy::Listwise, false) => "no answer on at least one clustering variable",
            (_, true) => "auf keine Clustervariable eine Antwort",
            (_, false) => "no answer on any clustering variable",
        };
        out.push_str(&match lang {
            Lang::De => format!(
                ", {} ausgelassen (fehlende Werte {}: {why})",
                t.matrix.excluded.len(),
                o.missing.as_str()
            ),
            Lang::En => format!(
                ", {} left out ({} policy: {why})",
                t.matrix.excluded.len(),
                o.missing.as_str()
            ),
        });
    }
    if t.matrix.imputed_cells > 0 {
        out.push_str(&format!(
            ", {} {}",
            t.matrix.imputed_cells,
            lang.pick(
                "fehlende Antworten durch den Mittelwert der Variablen ersetzt",
                "missing answers replaced by the variable's mean"
            )
        ));
    }
    out.push('\n');
    let engine = match (o.engine, o.algorithm, de) {
        (Engine::Fast, Algorithm::HartiganWong, _) => "fast, Hartigan-Wong (AS 136)",
        (Engine::Fast, _, true) => "fast, exakte Lloyd-Iterationen",
        _ => o.engine.as_str(),
    };
    let wss = number(t.wss, 2, lang);
    out.push_str(&match lang {
        Lang::De => format!(
            "k-means ({engine}, Starts nach k-means++): k = {}, {} Neustarts, Seed {}, Skalierung {}, {} Variablen; Quadratsumme innerhalb der Cluster {wss}\n",
            o.k, o.n_init, o.seed, scale_words(o.scale, lang), t.variables().len()
        ),
        Lang::En => format!(
            "k-means ({engine}, k-means++ starts): k = {}, {} restarts, seed {}, scaling {}, {} variables; within-cluster sum of squares {wss}\n",
            o.k, o.n_init, o.seed, o.scale.as_str(), t.variables().len()
        ),
    });
    out.push_str(&weighting_line(t, words));
    if let Some(p) = &t.posterior {
        out.push_str(&posterior_line(p, lang));
    }
    out.push('\n');
    let names = console_names(t, lang);
    let mut table = Table::new([
        lang.pick("Typ", "type"),
        "n",
        lang.pick("Anteil", "share"),
        lang.pick("Silhouette", "silhouette"),
        lang.pick("Namensabstand", "name margin"),
    ]);
    for (ty, name) in t.types.iter().zip(&names) {
        table.push(vec![
            Cell::text(name.as_str()),
            Cell::count(ty.n),
            Cell::text(format!("{}%", number(share(ty.weight, total), 1, lang))),
            Cell::number(ty.mean_silhouette, 3),
            ty.name.margin.map_or(Cell::Empty, |m| Cell::number(m, 2)),
        ]);
    }
    let term = Terminal {
        empty: "-",
        right: &[2],
        ..Terminal::new(lang)
    };
    out.push_str(&term.render(&table));
    out.push_str(&most_distinct(t, &names, words, book));
    let labels = short_labels(book, t.variables(), lang);
    if t.types
        .iter()
        .any(|ty| matches!(ty.name.name, TypeName::Numbered(_)))
    {
        out.push('\n');
    }
    for (ty, name) in t.types.iter().zip(&names) {
        if let TypeName::Numbered(_) = ty.name.name {
            out.push_str(&format!(
                "{name}: {}\n",
                crate::escape::field(&description(&ty.profile, &labels, lang))
            ));
        }
    }
    let mean_sil = t.mean_silhouette();
    let kind = if !t.silhouettes_exact {
        match lang {
            Lang::De => format!(
                " (vereinfacht: gegen die Zentren, da die geclusterten Zeilen mehr als {EXACT_SILHOUETTE_MAX_ROWS} verschiedene Antwortmuster haben)"
            ),
            Lang::En => format!(
                " (simplified: against centroids, as the clustered rows have more than {EXACT_SILHOUETTE_MAX_ROWS} distinct answer patterns)"
            ),
        }
    } else {
        String::new()
    };
    out.push_str(&format!(
        "\n{} {}{kind}\n",
        lang.pick("mittlere Silhouette", "mean silhouette"),
        number(mean_sil, 3, lang)
    ));
    out
}
