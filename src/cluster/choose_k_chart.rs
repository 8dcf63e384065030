//! The choose-k chart as a chart file of [`crate::show`]: one panel per index over k (the
//! within-cluster sum of squares, mean silhouette, Calinski-Harabasz, Davies-Bouldin, the gap
//! statistic with its standard error), the k each index points to ringed, the recommended k shaded
//! in every panel. Written and redrawn like every other chart.

use super::{KScore, Recommendation};
use crate::lang::Lang;
use crate::show::chart::{Chart, Highlight, LineErrors, LinePanel, Lines, PALETTE};
use crate::show::labels::DataSource;

/// The chart of `scores` and what `rec` makes of them; `clustered` municipalities, gap statistic
/// against `gap_references` reference data sets. `rec.choices` are in the order
/// [`super::recommend`] gives them (elbow, silhouette, Calinski-Harabasz, Davies-Bouldin, gap).
pub fn choose_k_chart(
    scores: &[KScore],
    rec: &Recommendation,
    clustered: usize,
    gap_references: usize,
    source: &DataSource,
    lang: Lang,
) -> Chart {
    let column = |f: fn(&KScore) -> f64| -> Vec<Option<f64>> {
        scores
            .iter()
            .map(|s| Some(f(s)).filter(|v| v.is_finite()))
            .collect()
    };
    let indices: [(&str, &str, &str, Vec<Option<f64>>); 5] = [
        (
            "wss",
            "Fehlerquadratsumme in den Clustern (Ellenbogen)",
            "Within-cluster sum of squares (elbow)",
            column(|s| s.wss),
        ),
        (
            "silhouette",
            "Mittlere Silhouette (höher ist besser)",
            "Mean silhouette (higher is better)",
            column(|s| s.silhouette),
        ),
        (
            "calinski_harabasz",
            "Calinski-Harabasz (höher ist besser)",
            "Calinski-Harabasz (higher is better)",
            column(|s| s.calinski_harabasz),
        ),
        (
            "davies_bouldin",
            "Davies-Bouldin (niedriger ist besser)",
            "Davies-Bouldin (lower is better)",
            column(|s| s.davies_bouldin),
        ),
        (
            "gap",
            "Gap-Statistik ± 1 Standardfehler",
            "Gap statistic ± 1 standard error",
            column(|s| s.gap),
        ),
    ];
    let panels = indices
        .into_iter()
        .enumerate()
        .map(|(i, (name, de, en, values))| {
            let mark = rec.choices.get(i).and_then(|c| c.1);
            LinePanel {
                title: match mark {
                    Some(k) => format!("{}: k = {k}", lang.pick(de, en)),
                    None => lang.pick(de, en).to_string(),
                },
                name: name.to_string(),
                values,
                errors: (name == "gap").then(|| LineErrors {
                    name: "gap_se".into(),
                    values: scores
                        .iter()
                        .map(|s| if s.gap_se.is_finite() { s.gap_se } else { 0.0 })
                        .collect(),
                }),
                mark: mark.map(|k| k as f64),
            }
        })
        .collect();
    let pointing = rec.choices.iter().filter(|c| c.1.is_some()).count();
    let tied = {
        let votes = |k: usize| rec.choices.iter().filter(|c| c.1 == Some(k)).count();
        rec.choices
            .iter()
            .filter_map(|c| c.1)
            .any(|k| Some(k) != rec.k && votes(k) == rec.agreement)
    };
    let highlight =
        rec.k.map(|k| Highlight {
            x: k as f64,
            label: match lang {
                Lang::De => format!(
                "empfohlen: k = {k}, das k, auf das die meisten Maße zeigen ({} von {pointing}{})",
                rec.agreement,
                if tied { "; Gleichstand, daher das kleinere k" } else { "" }
            ),
                Lang::En => format!(
                    "recommended: k = {k}, the k most indices point to ({} of {pointing}{})",
                    rec.agreement,
                    if tied { "; tied, so the smaller k" } else { "" }
                ),
            },
        });
    let (k_min, k_max) = (
        scores.first().map_or(0, |s| s.k),
        scores.last().map_or(0, |s| s.k),
    );
    Chart::Lines(Lines {
        title: match lang {
            Lang::De => format!("Wahl von k: Gütemaße des k-Means für k = {k_min} bis {k_max}"),
            Lang::En => format!("Choosing k: quality indices of k-means for k = {k_min} to {k_max}"),
        },
        note: source.note(
            &match lang {
                Lang::De => format!(
                    "Basis: {clustered} geclusterte Kommunen; Gap-Statistik gegen {gap_references} Referenzdatensätze"
                ),
                Lang::En => format!(
                    "Base: {clustered} clustered municipalities; gap statistic against {gap_references} reference data sets"
                ),
            },
            lang,
        ),
        x_label: lang.pick("k (Anzahl der Typen)", "k (number of types)").into(),
        x_name: "k".into(),
        x: scores.iter().map(|s| s.k as f64).collect(),
        panels,
        columns: 3,
        mark_label: lang
            .pick(
                "das k, auf das das Maß zeigt",
                "the k the index points to",
            )
            .into(),
        highlight,
        color: PALETTE[0].into(),
        size: [1500, 900],
        lang,
        scale: 1.0,
    })
}
