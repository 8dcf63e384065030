//! Choosing k as people read it: the console table of the indices per k with what each index
//! points to and the recommendation ([`choose_k_text`]), and the choose-k chart
//! ([`choose_k_chart`]): one panel per index over k (the within-cluster sum of squares, mean
//! silhouette, Calinski-Harabasz, Davies-Bouldin, the gap statistic with its standard error), the
//! k each index points to ringed, the recommended k shaded in every panel. Written and redrawn
//! like every other chart.

use crate::cluster::{KIndex, KScore, Recommendation};
use crate::lang::Lang;
use crate::show::chart::{Chart, Highlight, LineErrors, LinePanel, Lines, PALETTE};
use crate::show::labels::DataSource;
use crate::show::table::terminal::Terminal;
use crate::show::table::{Cell, Table};

/// An index's name, as the console and the chart name it.
pub fn index_name(index: KIndex, lang: Lang) -> &'static str {
    match index {
        KIndex::Elbow => lang.pick("Ellbogen (WSS)", "elbow (WSS)"),
        KIndex::Silhouette => lang.pick("Silhouette", "silhouette"),
        KIndex::CalinskiHarabasz => "Calinski-Harabasz",
        KIndex::DaviesBouldin => "Davies-Bouldin",
        KIndex::Gap => lang.pick("Gap-Statistik", "gap statistic"),
    }
}

/// The rule by which an index points to its k.
fn index_rule(index: KIndex, lang: Lang) -> &'static str {
    match index {
        KIndex::Elbow => lang.pick(
            "größte zweite Differenz der Quadratsumme innerhalb der Cluster",
            "largest second difference of the within-cluster sum of squares",
        ),
        KIndex::Silhouette => lang.pick("höchste mittlere Silhouette", "highest mean silhouette"),
        KIndex::CalinskiHarabasz => lang.pick("höchster Index", "highest index"),
        KIndex::DaviesBouldin => lang.pick("niedrigster Index", "lowest index"),
        KIndex::Gap => lang.pick(
            "kleinstes k mit gap(k) >= gap(k+1) - se(k+1)",
            "smallest k with gap(k) >= gap(k+1) - se(k+1)",
        ),
    }
}

/// How the recommended k was chosen, in the language asked.
pub fn rule_in(rec: &Recommendation, lang: Lang) -> String {
    format!(
        "{} ({} {} {}){}",
        lang.pick(
            "das k, auf das die meisten Indizes zeigen",
            "the k most indices point to"
        ),
        rec.agreement,
        lang.pick("von", "of"),
        rec.pointing(),
        match (rec.tied, lang) {
            (false, _) => "",
            (true, Lang::De) => "; Gleichstand, also das kleinere k",
            (true, Lang::En) => "; tied, so the smaller k",
        }
    )
}

/// The chart of `scores` and what `rec` makes of them; `clustered` municipalities, gap statistic
/// against `gap_references` reference data sets. `rec.choices` are in the order
/// [`crate::cluster::recommend`] gives them (elbow, silhouette, Calinski-Harabasz, Davies-Bouldin, gap).
pub fn choose_k_chart(
    scores: &[KScore],
    rec: &Recommendation,
    clustered: usize,
    gap_references: usize,
    source: &DataSource,
    words: &crate::show::words::Words,
) -> Chart {
    let (lang, units) = (words.lang, words.units());
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
    let pointing = rec.pointing();
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
                    "Basis: {clustered} geclusterte {units}; Gap-Statistik gegen {gap_references} Referenzdatensätze"
                ),
                Lang::En => format!(
                    "Base: {clustered} clustered {units}; gap statistic against {gap_references} reference data sets"
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

/// The k-selection table and recommendation, in `lang`.
pub fn choose_k_text(scores: &[KScore], rec: &Recommendation, lang: Lang) -> String {
    let mut table = Table::new([
        "k",
        "WSS",
        lang.pick("Silhouette", "silhouette"),
        "Calinski-Harabasz",
        "Davies-Bouldin",
        "gap",
        lang.pick("gap SE", "gap se"),
    ]);
    for s in scores {
        table.push(vec![
            Cell::count(s.k),
            Cell::number(s.wss, 2),
            Cell::number(s.silhouette, 4),
            Cell::number(s.calinski_harabasz, 2),
            Cell::number(s.davies_bouldin, 4),
            Cell::number(s.gap, 4),
            Cell::number(s.gap_se, 4),
        ]);
    }
    let term = Terminal {
        indent: 2,
        empty: "-",
        ..Terminal::new(lang)
    };
    let mut out = term.render(&table);
    out.push('\n');
    let mut choices = Table::new(["index", "k", "rule"]);
    for &(index, k) in &rec.choices {
        choices.push(vec![
            Cell::text(index_name(index, lang)),
            Cell::text(format!("k = {}", k.map_or("-".into(), |k| k.to_string()))),
            Cell::text(format!("({})", index_rule(index, lang))),
        ]);
    }
    let list = Terminal {
        header: false,
        ..Terminal::new(lang)
    };
    out.push_str(&list.render(&choices));
    match (rec.k, lang) {
        (Some(k), Lang::De) => {
            out.push_str(&format!("Empfehlung: k = {k}, {}", rule_in(rec, lang)))
        }
        (Some(k), Lang::En) => {
            out.push_str(&format!("recommendation: k = {k}, {}", rule_in(rec, lang)))
        }
        (None, Lang::De) => out.push_str("Empfehlung: keine (kein Index ließ sich berechnen)"),
        (None, Lang::En) => out.push_str("recommendation: none (no index could be computed)"),
    }
    let disagree: Vec<String> = (rec.choices.iter())
        .filter(|c| c.1.is_some() && c.1 != rec.k)
        .map(|&(index, k)| {
            let (name, k) = (index_name(index, lang), k.unwrap_or(0));
            match lang {
                Lang::De => format!("{name}: {k}"),
                Lang::En => format!("{name} says {k}"),
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
