//! Text renderings and tables of the clustering results (assignments, types, goal profiles,
//! stability, classifications; made into CSV or workbook sheets by [`crate::tables`]); the
//! choose-k chart, with its table, is [`super::choose_k_chart`].

use super::choose::{KScore, Recommendation};
use super::matrix::MissingPolicy;
use super::model::{Classified, SavedModel};
use super::quality::EXACT_SILHOUETTE_MAX_ROWS;
use super::stability::Stability;
use super::typology::Typology;
use crate::tables::{Cell, Table};

fn short(var: &str) -> &str {
    var.strip_prefix("ziel_").unwrap_or(var)
}

/// The assignments: one row per municipality of the survey, in input order, with the type's slug
/// and display name; those left out have an empty type and the reason.
pub fn assignments_table(t: &Typology, ids_in_order: &[String]) -> Table {
    let mut header = vec![
        "id".to_string(),
        "type".to_string(),
        "type_name".to_string(),
    ];
    header.extend(t.types.iter().map(|ty| format!("distance_{}", ty.name.id)));
    header.extend(["silhouette", "margin", "note"].map(String::from));
    let mut table = Table::new(header);
    let mut by_row = std::collections::HashMap::new();
    for a in &t.assignments {
        by_row.insert(a.row, a);
    }
    for (row, id) in ids_in_order.iter().enumerate() {
        let mut rec = vec![Cell::text(id.as_str())];
        match by_row.get(&row) {
            Some(a) => {
                let name = &t.types[a.type_index].name;
                rec.push(Cell::text(name.id.as_str()));
                rec.push(Cell::text(name.name_de.as_str()));
                rec.extend(a.distances.iter().map(|&d| Cell::number(d, 6)));
                rec.push(Cell::number(a.silhouette, 6));
                rec.push(Cell::number(a.margin, 6));
                rec.push(Cell::Empty);
            }
            None => {
                rec.extend([Cell::Empty, Cell::Empty]);
                rec.extend(t.types.iter().map(|_| Cell::Empty));
                rec.extend([Cell::Empty, Cell::Empty]);
                let reason = t
                    .matrix
                    .excluded
                    .iter()
                    .find(|e| e.row == row)
                    .map_or("", |e| e.reason.as_str());
                rec.push(Cell::text(format!("left out: {reason}")));
            }
        }
        table.push(rec);
    }
    table
}

/// The types: slug, display name, size, share of the clustered municipalities, mean silhouette,
/// name margin.
pub fn types_table(t: &Typology) -> Table {
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
            Cell::text(ty.name.name_de.as_str()),
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
pub fn weighting_line(t: &Typology) -> String {
    match &t.weight_variable {
        Some(v) => format!(
            "weighted by {v} (Kish design effect {:.2}): centroids, sum of squares, shares, goal profiles and mean silhouettes weighted; n counts municipalities\n",
            crate::survey::kish_deff(t.weights.as_deref())
        ),
        None => "unweighted: every municipality counts once\n".into(),
    }
}

/// The goal profiles: per type and clustering variable the centroid (mean answer) and the
/// standardised difference from all clustered municipalities.
pub fn goal_profiles_table(t: &Typology) -> Table {
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
                Cell::text(ty.name.name_de.as_str()),
                Cell::text(var.as_str()),
                Cell::number(ty.centroid[j], 4),
                Cell::number(ty.profile[j], 4),
            ]);
        }
    }
    table
}

/// The summary table printed by `typfrage cluster`.
/// The types' German names for the console, control characters shown as `\u{…}`, and the width
/// of the widest in characters (`format!` pads by characters: "Die Bedächtigen" is 15 of them).
fn console_names(t: &Typology) -> (Vec<String>, usize) {
    let names: Vec<String> = t
        .types
        .iter()
        .map(|ty| crate::escape::field(&ty.name.name_de).into_owned())
        .collect();
    let w = names
        .iter()
        .map(|n| n.chars().count())
        .max()
        .unwrap_or(4)
        .max(4);
    (names, w)
}

pub fn summary(t: &Typology, file: &str) -> String {
    let o = &t.options;
    let clustered = t.assignments.len();
    let total = t.total_weight();
    let mut out = format!("{file}: {} municipalities, {clustered} clustered", t.n_rows);
    if !t.matrix.excluded.is_empty() {
        out.push_str(&format!(
            ", {} left out ({} policy: no answer on {})",
            t.matrix.excluded.len(),
            o.missing.as_str(),
            if o.missing == MissingPolicy::Listwise {
                "at least one clustering variable"
            } else {
                "any clustering variable"
            }
        ));
    }
    if t.matrix.imputed_cells > 0 {
        out.push_str(&format!(
            ", {} missing answers replaced by the variable's mean",
            t.matrix.imputed_cells
        ));
    }
    out.push('\n');
    out.push_str(&format!(
        "k-means ({}, k-means++ starts): k = {}, {} restarts, seed {}, scaling {}, {} variables; within-cluster sum of squares {:.2}\n",
        o.engine.as_str(),
        o.k,
        o.n_init,
        o.seed,
        o.scale.as_str(),
        t.variables().len(),
        t.wss
    ));
    out.push_str(&weighting_line(t));
    out.push('\n');
    let (names, w) = console_names(t);
    out.push_str(&format!(
        "{:<w$}  {:>4}  {:>6}  {:>10}  {:>12}  top goals (standardised difference from all)\n",
        "type", "n", "share", "silhouette", "name margin"
    ));
    for (ty, name) in t.types.iter().zip(&names) {
        let mut idx: Vec<usize> = (0..ty.profile.len()).collect();
        idx.sort_by(|&a, &b| ty.profile[b].total_cmp(&ty.profile[a]));
        let top: Vec<String> = idx
            .iter()
            .take(3)
            .map(|&j| format!("{} {:+.2}", short(&t.variables()[j]), ty.profile[j]))
            .collect();
        out.push_str(&format!(
            "{:<w$}  {:>4}  {:>5.1}%  {:>10.3}  {:>12}  {}\n",
            name,
            ty.n,
            share(ty.weight, total),
            ty.mean_silhouette,
            ty.name.margin.map_or("-".into(), |m| format!("{m:.2}")),
            top.join(", ")
        ));
    }
    let mean_sil = t.mean_silhouette();
    let kind = if clustered > EXACT_SILHOUETTE_MAX_ROWS {
        format!(
            " (simplified: against centroids, as more than {} rows were clustered)",
            EXACT_SILHOUETTE_MAX_ROWS
        )
    } else {
        String::new()
    };
    out.push_str(&format!("\nmean silhouette {mean_sil:.3}{kind}\n"));
    out
}

/// The k-selection table and recommendation.
pub fn choose_k_text(scores: &[KScore], rec: &Recommendation) -> String {
    let mut out = String::from(
        "  k           WSS  silhouette  Calinski-Harabasz  Davies-Bouldin     gap  gap se\n",
    );
    for s in scores {
        out.push_str(&format!(
            "{:>3}  {:>12.2}  {:>10.4}  {:>17.2}  {:>14.4}  {:>6.4}  {:>6.4}\n",
            s.k, s.wss, s.silhouette, s.calinski_harabasz, s.davies_bouldin, s.gap, s.gap_se
        ));
    }
    out.push('\n');
    for (index, k, rule) in &rec.choices {
        out.push_str(&format!(
            "{index:<18} k = {:<3} ({rule})\n",
            k.map_or("-".into(), |k| k.to_string())
        ));
    }
    match rec.k {
        Some(k) => out.push_str(&format!("recommendation: k = {k}, {}", rec.rule)),
        None => out.push_str("recommendation: none (no index could be computed)"),
    }
    let disagree: Vec<String> = rec
        .choices
        .iter()
        .filter(|c| c.1.is_some() && c.1 != rec.k)
        .map(|c| format!("{} says {}", c.0, c.1.unwrap_or(0)))
        .collect();
    if !disagree.is_empty() {
        out.push_str(&format!("; the indices disagree: {}", disagree.join(", ")));
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

/// The stability table.
pub fn stability_text(t: &Typology, s: &Stability) -> String {
    let mut out = format!(
        "bootstrap stability: {} resamples, k = {}, {} restarts each (Jaccard of each type with its best match; > 0.85 highly stable, 0.6-0.75 patterns, < 0.5 dissolved)\n",
        s.resamples, t.options.k, t.options.n_init
    );
    let (names, w) = console_names(t);
    out.push_str(&format!(
        "{:<w$}  {:>12}  {:>6}  {:>9}  {:>9}\n",
        "type", "mean Jaccard", "sd", "q10", "dissolved"
    ));
    for (name, st) in names.iter().zip(&s.types) {
        let mut sorted = st.jaccard.clone();
        sorted.sort_by(f64::total_cmp);
        out.push_str(&format!(
            "{:<w$}  {:>12.3}  {:>6.3}  {:>9.3}  {:>8.1}%\n",
            name,
            st.mean_jaccard,
            st.sd_jaccard,
            quantile(&sorted, 0.1),
            100.0 * st.dissolved
        ));
    }
    let mut ari = s.ari.clone();
    ari.sort_by(f64::total_cmp);
    let mean = ari.iter().sum::<f64>() / ari.len() as f64;
    out.push_str(&format!(
        "adjusted Rand index with the original partition: mean {:.3}, min {:.3}, q10 {:.3}, median {:.3}, q90 {:.3}, max {:.3}\n",
        mean,
        quantile(&ari, 0.0),
        quantile(&ari, 0.1),
        quantile(&ari, 0.5),
        quantile(&ari, 0.9),
        quantile(&ari, 1.0)
    ));
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

/// Classified municipalities, with the type's slug and display name.
pub fn classified_table(model: &SavedModel, rows: &[Classified]) -> Table {
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
            ty.map_or(Cell::Empty, |t| Cell::text(t.name_de.as_str())),
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
