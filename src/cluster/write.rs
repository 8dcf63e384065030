//! Text renderings and tables of the clustering results (assignments, types, goal profiles,
//! stability, classifications; made into CSV or workbook sheets by [`crate::show::table`]); the
//! choose-k chart, with its table, is [`super::choose_k_chart`].

use super::choose::{KScore, Recommendation};
use super::matrix::MissingPolicy;
use super::model::{Classified, SavedModel};
use super::quality::EXACT_SILHOUETTE_MAX_ROWS;
use super::stability::Stability;
use super::typology::Typology;
use crate::lang::Lang;
use crate::show::format::number;
use crate::show::table::{Cell, Table};

fn short(var: &str) -> &str {
    var.strip_prefix("ziel_").unwrap_or(var)
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
    header.extend(["silhouette", "margin", "note"].map(String::from));
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
                rec.push(Cell::text(lang.pick(&name.name_de, &name.name_en)));
                rec.extend(distances.of(i).into_iter().map(|d| Cell::number(d, 6)));
                rec.push(Cell::number(a.silhouette, 6));
                rec.push(Cell::number(a.margin, 6));
                rec.push(Cell::Empty);
            }
            None => {
                rec.extend([Cell::Empty, Cell::Empty]);
                rec.extend(t.types.iter().map(|_| Cell::Empty));
                rec.extend([Cell::Empty, Cell::Empty]);
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
            Cell::text(lang.pick(&ty.name.name_de, &ty.name.name_en)),
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
pub fn weighting_line(t: &Typology, lang: Lang) -> String {
    let deff = number(crate::survey::kish_deff(t.weights.as_deref()), 2, lang);
    match (&t.weight_variable, lang) {
        (Some(v), Lang::De) => format!(
            "gewichtet mit {v} (Kish-Designeffekt {deff}): Zentren, Quadratsumme, Anteile, Zielprofile und mittlere Silhouetten gewichtet; n zählt Kommunen\n"
        ),
        (Some(v), Lang::En) => format!(
            "weighted by {v} (Kish design effect {deff}): centroids, sum of squares, shares, goal profiles and mean silhouettes weighted; n counts municipalities\n"
        ),
        (None, Lang::De) => "ungewichtet: jede Kommune zählt einmal\n".into(),
        (None, Lang::En) => "unweighted: every municipality counts once\n".into(),
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
                Cell::text(lang.pick(&ty.name.name_de, &ty.name.name_en)),
                Cell::text(var.as_str()),
                Cell::number(ty.centroid[j], 4),
                Cell::number(ty.profile[j], 4),
            ]);
        }
    }
    table
}

/// The types' names in `lang` for the console, control characters shown as `\u{…}`, and the
/// width of the widest in characters (`format!` pads by characters: "Die Bedächtigen" is 15 of them).
fn console_names(t: &Typology, lang: Lang) -> (Vec<String>, usize) {
    let names: Vec<String> = t
        .types
        .iter()
        .map(|ty| crate::escape::field(lang.pick(&ty.name.name_de, &ty.name.name_en)).into_owned())
        .collect();
    let w = names
        .iter()
        .map(|n| n.chars().count())
        .max()
        .unwrap_or(4)
        .max(4);
    (names, w)
}

/// The summary table printed by `typfrage cluster`, in `lang`.
pub fn summary(t: &Typology, file: &str, lang: Lang) -> String {
    let o = &t.options;
    let de = lang == Lang::De;
    let clustered = t.assignments.len();
    let total = t.total_weight();
    let mut out = format!(
        "{file}: {} {}, {clustered} {}",
        t.n_rows,
        lang.pick("Kommunen", "municipalities"),
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
    let engine = match (o.engine, de) {
        (super::Engine::Fast, true) => "fast, exakte Lloyd-Iterationen",
        _ => o.engine.as_str(),
    };
    let wss = number(t.wss, 2, lang);
    out.push_str(&match lang {
        Lang::De => format!(
            "k-means ({engine}, Starts nach k-means++): k = {}, {} Neustarts, Seed {}, Skalierung {}, {} Variablen; Quadratsumme innerhalb der Cluster {wss}\n",
            o.k, o.n_init, o.seed, o.scale.as_str(), t.variables().len()
        ),
        Lang::En => format!(
            "k-means ({engine}, k-means++ starts): k = {}, {} restarts, seed {}, scaling {}, {} variables; within-cluster sum of squares {wss}\n",
            o.k, o.n_init, o.seed, o.scale.as_str(), t.variables().len()
        ),
    });
    out.push_str(&weighting_line(t, lang));
    out.push('\n');
    let (names, w) = console_names(t, lang);
    let margin = lang.pick("Namensabstand", "name margin");
    let mw = margin.chars().count().max(12);
    out.push_str(&format!(
        "{:<w$}  {:>4}  {:>6}  {:>10}  {margin:>mw$}  {}\n",
        lang.pick("Typ", "type"),
        "n",
        lang.pick("Anteil", "share"),
        lang.pick("Silhouette", "silhouette"),
        lang.pick(
            "wichtigste Ziele (standardisierte Differenz zu allen)",
            "top goals (standardised difference from all)"
        )
    ));
    for (ty, name) in t.types.iter().zip(&names) {
        let mut idx: Vec<usize> = (0..ty.profile.len()).collect();
        idx.sort_by(|&a, &b| ty.profile[b].total_cmp(&ty.profile[a]));
        let top: Vec<String> = idx
            .iter()
            .take(3)
            .map(|&j| {
                let d = number(ty.profile[j], 2, lang);
                let sign = if ty.profile[j] >= 0.0 { "+" } else { "" };
                format!("{} {sign}{d}", short(&t.variables()[j]))
            })
            .collect();
        out.push_str(&format!(
            "{:<w$}  {:>4}  {:>5}%  {:>10}  {:>mw$}  {}\n",
            name,
            ty.n,
            number(share(ty.weight, total), 1, lang),
            number(ty.mean_silhouette, 3, lang),
            ty.name.margin.map_or("-".into(), |m| number(m, 2, lang)),
            top.join(", ")
        ));
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

/// The k-selection table and recommendation, in `lang`.
pub fn choose_k_text(scores: &[KScore], rec: &Recommendation, lang: Lang) -> String {
    let mut out = format!(
        "  k           WSS  {:>10}  Calinski-Harabasz  Davies-Bouldin  {:>6}  {:>6}\n",
        lang.pick("Silhouette", "silhouette"),
        "gap",
        lang.pick("gap SE", "gap se")
    );
    let n = |v: f64, d: usize| number(v, d, lang);
    for s in scores {
        out.push_str(&format!(
            "{:>3}  {:>12}  {:>10}  {:>17}  {:>14}  {:>6}  {:>6}\n",
            s.k,
            n(s.wss, 2),
            n(s.silhouette, 4),
            n(s.calinski_harabasz, 2),
            n(s.davies_bouldin, 4),
            n(s.gap, 4),
            n(s.gap_se, 4)
        ));
    }
    out.push('\n');
    let choices = rec.choices_in(lang);
    for (index, k, rule) in &choices {
        out.push_str(&format!(
            "{index:<18} k = {:<3} ({rule})\n",
            k.map_or("-".into(), |k| k.to_string())
        ));
    }
    match (rec.k, lang) {
        (Some(k), Lang::De) => out.push_str(&format!("Empfehlung: k = {k}, {}", rec.rule_in(lang))),
        (Some(k), Lang::En) => out.push_str(&format!("recommendation: k = {k}, {}", rec.rule)),
        (None, Lang::De) => out.push_str("Empfehlung: keine (kein Index ließ sich berechnen)"),
        (None, Lang::En) => out.push_str("recommendation: none (no index could be computed)"),
    }
    let disagree: Vec<String> = choices
        .iter()
        .filter(|c| c.1.is_some() && c.1 != rec.k)
        .map(|c| {
            let k = c.1.unwrap_or(0);
            match lang {
                Lang::De => format!("{}: {k}", c.0),
                Lang::En => format!("{} says {k}", c.0),
            }
        })
        .collect();
    if !disagree.is_empty() {
        out.push_str(&format!(
            "; {}: {}",
            lang.pick("die Indizes sind uneins", "the indices disagree"),
            disagree.join(", ")
        ));
    }
    out.push('\n');
    out
}

fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let pos = q * (sorted.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
}

/// The stability table, in `lang`.
pub fn stability_text(t: &Typology, s: &Stability, lang: Lang) -> String {
    let mut out = match lang {
        Lang::De => format!(
            "Bootstrap-Stabilität: {} Stichproben, k = {}, je {} Neustarts (Jaccard jedes Typs mit seinem besten Gegenstück; > 0,85 sehr stabil, 0,6-0,75 Muster, < 0,5 aufgelöst)\n",
            s.resamples, t.options.k, t.options.n_init
        ),
        Lang::En => format!(
            "bootstrap stability: {} resamples, k = {}, {} restarts each (Jaccard of each type with its best match; > 0.85 highly stable, 0.6-0.75 patterns, < 0.5 dissolved)\n",
            s.resamples, t.options.k, t.options.n_init
        ),
    };
    let (names, w) = console_names(t, lang);
    let mean_jaccard = lang.pick("Jaccard-Mittel", "mean Jaccard");
    let jw = mean_jaccard.chars().count();
    out.push_str(&format!(
        "{:<w$}  {mean_jaccard:>jw$}  {:>6}  {:>9}  {:>9}\n",
        lang.pick("Typ", "type"),
        lang.pick("SA", "sd"),
        "q10",
        lang.pick("aufgelöst", "dissolved")
    ));
    let n = |v: f64, d: usize| number(v, d, lang);
    for (name, st) in names.iter().zip(&s.types) {
        let mut sorted = st.jaccard.clone();
        sorted.sort_by(f64::total_cmp);
        out.push_str(&format!(
            "{:<w$}  {:>jw$}  {:>6}  {:>9}  {:>8}%\n",
            name,
            n(st.mean_jaccard, 3),
            n(st.sd_jaccard, 3),
            n(quantile(&sorted, 0.1), 3),
            n(100.0 * st.dissolved, 1)
        ));
    }
    let mut ari = s.ari.clone();
    ari.sort_by(f64::total_cmp);
    let mean = ari.iter().sum::<f64>() / ari.len() as f64;
    let q = |p: f64| n(quantile(&ari, p), 3);
    out.push_str(&match lang {
        Lang::De => format!(
            "bereinigter Rand-Index mit der ursprünglichen Partition: Mittel {}, Min. {}, q10 {}, Median {}, q90 {}, Max. {}\n",
            n(mean, 3), q(0.0), q(0.1), q(0.5), q(0.9), q(1.0)
        ),
        Lang::En => format!(
            "adjusted Rand index with the original partition: mean {}, min {}, q10 {}, median {}, q90 {}, max {}\n",
            n(mean, 3), q(0.0), q(0.1), q(0.5), q(0.9), q(1.0)
        ),
    });
    out
}

pub fn stability_table(t: &Typology, s: &Stability) -> Table {
    let mut header = vec!["resample".to_string()];
    header.extend(t.types.iter().map(|ty| format!("jaccard_{}", ty.name.id)));
    header.push("ari".into());
    let mut table = Table::new(header);
    for b in 0..s.resamples {
        let mut rec = vec![Cell::count(b + 1)];
        rec.extend(s.types.iter().map(|st| Cell::number(st.jaccard[b], 6)));
        rec.push(Cell::number(s.ari[b], 6));
        table.push(rec);
    }
    table
}

/// Classified municipalities, with the type's slug and display name (in `lang`).
pub fn classified_table(model: &SavedModel, rows: &[Classified], lang: Lang) -> Table {
    let mut header = vec![
        "id".to_string(),
        "type".to_string(),
        "type_name".to_string(),
    ];
    header.extend(model.types.iter().map(|t| format!("distance_{}", t.id)));
    header.extend(["margin", "note"].map(String::from));
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
        rec.push(
            c.reason
                .as_ref()
                .map_or(Cell::Empty, |r| Cell::text(format!("left out: {r}"))),
        );
        table.push(rec);
    }
    table
}
