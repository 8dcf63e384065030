//! The charts of the profile sheets, as chart files of [`crate::show`]: the size of each type,
//! the goal heatmap, each type's goal profile against all municipalities, the municipalities on
//! the first two principal components, the silhouettes, and a stacked bar chart per cross-tab
//! asked for.

use super::profile::{CrossTabReport, ProfileReport};
use crate::cluster::Typology;
use crate::show::chart::{
    bars_height, palette, Bars, Cell, Chart, Heatmap, Point, Scatter, Silhouette,
};
use crate::show::format::{number as num, p_value};

/// The charts of a profile report, with their file stems.
pub fn profile_charts(report: &ProfileReport, typology: &Typology) -> Vec<(String, Chart)> {
    let lang = report.lang;
    let k = report.types.len();
    let colors = palette(k);
    let names: Vec<String> = report.types.iter().map(|t| t.name.clone()).collect();
    let source = super::profile::data_source(&report.source);
    let data_note = |base: &str| source.note(base, lang);
    let clustered = report.clustered as u64;
    let mut out = Vec::new();

    out.push((
        "type-sizes".to_string(),
        Chart::Bars(Bars {
            title: lang
                .pick("Größe der Typen", "Size of the types")
                .to_string(),
            note: data_note(&format!(
                "{} {} {}{}",
                lang.pick("Basis:", "Base:"),
                clustered,
                lang.pick("geclusterte Kommunen", "clustered municipalities"),
                weighted_by(report)
            )),
            value_label: share_label(report),
            stacked: false,
            percent: true,
            range: [0.0, 100.0],
            rows: report
                .types
                .iter()
                .map(|t| format!("{} (n = {})", t.name, t.n))
                .collect(),
            series: vec![lang.pick("Anteil", "share").into()],
            colors: palette(1),
            cells: report
                .types
                .iter()
                .map(|t| {
                    let cell = Cell::share(t.n as u64, clustered);
                    match report.weight {
                        Some(_) => Cell {
                            value: Some(t.share),
                            ..cell
                        },
                        None => cell,
                    }
                })
                .map(|cell| vec![cell])
                .collect(),
            size: [1200, bars_height(k, 1, false, 0)],
            lang,
            scale: 1.0,
            full_scale: false,
        }),
    ));

    let goal_labels: Vec<String> = report
        .types
        .first()
        .map(|t| t.goals.iter().map(|g| g.label.clone()).collect())
        .unwrap_or_default();
    let mut columns = names.clone();
    columns.push(lang.pick("alle", "all").into());
    out.push((
        "goal-heatmap".to_string(),
        Chart::Heatmap(Heatmap {
            title: lang
                .pick(
                    "Zielprofile der Typen: mittlere Priorität (1 = keine, 5 = sehr hohe)",
                    "Goal profiles of the types: mean priority (1 = none, 5 = very high)",
                )
                .into(),
            note: data_note(&format!(
                "{} {} {}",
                lang.pick("Basis:", "Base:"),
                clustered,
                lang.pick("geclusterte Kommunen", "clustered municipalities")
            )),
            rows: goal_labels.clone(),
            columns,
            values: (0..goal_labels.len())
                .map(|j| {
                    report
                        .types
                        .iter()
                        .map(|t| Some(t.goals[j].mean))
                        .chain(std::iter::once(
                            report.types.first().map(|t| t.goals[j].sample_mean),
                        ))
                        .collect()
                })
                .collect(),
            range: [1.0, 5.0],
            decimals: 1,
            size: [1200, 160 + 44 * goal_labels.len() as u32 + 60],
            lang,
            scale: 1.0,
        }),
    ));

    for (g, t) in report.types.iter().enumerate() {
        out.push((
            format!("profile-{}", t.id),
            Chart::Bars(Bars {
                title: format!(
                    "{}: {}",
                    t.name,
                    lang.pick(
                        "Zielprofil gegenüber allen Kommunen",
                        "goal profile against all municipalities"
                    )
                ),
                note: data_note(&format!(
                    "{} 1 = {}, 5 = {}; n = {} / {}",
                    lang.pick("Mittlere Priorität,", "Mean priority,"),
                    lang.pick("keine", "none"),
                    lang.pick("sehr hohe", "very high"),
                    t.n,
                    clustered
                )),
                value_label: lang.pick("mittlere Priorität", "mean priority").into(),
                stacked: false,
                percent: false,
                range: [1.0, 5.0],
                rows: t
                    .goals
                    .iter()
                    .map(|goal| {
                        if goal.signature {
                            format!("★ {}", goal.label)
                        } else {
                            goal.label.clone()
                        }
                    })
                    .collect(),
                series: vec![
                    t.name.clone(),
                    lang.pick("alle geclusterten Kommunen", "all clustered municipalities")
                        .into(),
                ],
                colors: vec![colors[g].clone(), "#BBBBBB".into()],
                cells: t
                    .goals
                    .iter()
                    .map(|goal| {
                        vec![
                            Cell::value(Some(goal.mean), Some(t.n as u64)),
                            Cell::value(Some(goal.sample_mean), Some(clustered)),
                        ]
                    })
                    .collect(),
                size: [1200, bars_height(t.goals.len(), 2, false, 1)],
                lang,
                scale: 1.0,
                full_scale: false,
            }),
        ));
    }

    // the municipalities on the first two principal components of the clustered (scaled) answers
    let scaled = typology.scaled();
    let pca = crate::stats::Pca::fit(&scaled);
    let coords = pca.project(&scaled, 2);
    let explained = pca.explained();
    let centres = ndarray::Array2::from_shape_fn((k, scaled.ncols()), |(i, j)| {
        typology.types[i].centroid_scaled[j]
    });
    let centre_coords = pca.project(&centres, 2);
    let axis = |i: usize| {
        format!(
            "{}. {} ({} {})",
            i + 1,
            lang.pick("Hauptkomponente", "principal component"),
            num(100.0 * explained.get(i).copied().unwrap_or(0.0), 0, lang) + " %",
            lang.pick("der Varianz", "of the variance")
        )
    };
    let y_of = |c: &ndarray::Array2<f64>, i: usize| {
        if c.ncols() > 1 {
            c[[i, 1]]
        } else {
            0.0
        }
    };
    out.push((
        "pca-map".to_string(),
        Chart::Scatter(Scatter {
            title: lang
                .pick(
                    "Karte der Kommunen: die ersten beiden Hauptkomponenten der Zielprioritäten (× = Zentrum des Typs)",
                    "Map of the municipalities: first two principal components of the goal priorities (× = type centre)",
                )
                .into(),
            note: data_note(&format!(
                "n = {clustered}; {}",
                lang.pick("Skalierung wie beim Clustern", "scaled as for clustering")
            )),
            x_label: axis(0),
            y_label: axis(1),
            groups: names.clone(),
            colors: colors.clone(),
            points: typology
                .assignments
                .iter()
                .enumerate()
                .map(|(i, a)| Point {
                    x: coords[[i, 0]],
                    y: y_of(&coords, i),
                    group: a.type_index,
                })
                .collect(),
            centres: (0..k)
                .map(|g| Point {
                    x: centre_coords[[g, 0]],
                    y: y_of(&centre_coords, g),
                    group: g,
                })
                .collect(),
            size: [1200, 900],
            lang,
            scale: 1.0,
        }),
    ));

    let mut values: Vec<Vec<f64>> = vec![Vec::new(); k];
    for a in &typology.assignments {
        values[a.type_index].push(a.silhouette);
    }
    for v in &mut values {
        v.sort_by(|a, b| b.total_cmp(a));
    }
    let exact = typology.silhouettes_exact;
    out.push((
        "silhouettes".to_string(),
        Chart::Silhouette(Silhouette {
            title: lang
                .pick(
                    "Silhouetten: wie gut jede Kommune zu ihrem Typ passt (rote Linie: Mittel)",
                    "Silhouettes: how well each municipality fits its type (red line: mean)",
                )
                .into(),
            note: data_note(if exact {
                lang.pick("Silhouette nach Rousseeuw", "Rousseeuw's silhouette")
            } else {
                lang.pick(
                    "vereinfachte Silhouette (Abstände zu den Zentren)",
                    "simplified silhouette (distances to the centres)",
                )
            }),
            groups: names.clone(),
            colors: colors.clone(),
            values,
            size: [1200, 900],
            lang,
            scale: 1.0,
        }),
    ));
    out
}

/// "; weighted by VAR" for a chart's note when the shares are weighted.
fn weighted_by(report: &ProfileReport) -> String {
    match &report.weight {
        Some(v) => format!("; {} {v}", report.lang.pick("gewichtet mit", "weighted by")),
        None => String::new(),
    }
}

/// The value axis of a share chart: of the municipalities, or of their weights.
fn share_label(report: &ProfileReport) -> String {
    match &report.weight {
        Some(v) => match report.lang {
            crate::lang::Lang::De => format!("Anteil am Gewicht ({v})"),
            crate::lang::Lang::En => format!("Share of the weight ({v})"),
        },
        None => report
            .lang
            .pick("Anteil der Kommunen", "Share of municipalities")
            .into(),
    }
}

/// A stacked bar chart of one cross-tab: a row per type and one for all.
pub fn crosstab_chart(report: &ProfileReport, c: &CrossTabReport) -> Chart {
    let lang = report.lang;
    let mut rows = c.groups.clone();
    rows.push(lang.pick("alle", "all").into());
    let rows: Vec<String> = rows
        .into_iter()
        .zip(&c.shares)
        .map(|(r, s)| format!("{r} (n = {})", s.first().map_or(0, |x| x.base)))
        .collect();
    let n = rows.len();
    Chart::Bars(Bars {
        // the question only where the item does not already say it (a single question is its
        // own item)
        title: if c.item.contains(c.question.as_str()) {
            c.item.clone()
        } else {
            format!("{} ({})", c.item, c.question)
        },
        note: super::profile::data_source(&report.source).note(
            &format!(
                "χ²{} = {}, df = {}, p = {}, Cramér's V = {}{}",
                match report.weight {
                    Some(_) => " (Rao-Scott)",
                    None => "",
                },
                c.chi_square.map_or("–".into(), |v| num(v, 1, lang)),
                c.df.map_or("–".into(), |v| v.to_string()),
                p_value(c.p_value, lang),
                c.cramers_v.map_or("–".into(), |v| num(v, 2, lang)),
                weighted_by(report)
            ),
            lang,
        ),
        value_label: share_label(report),
        stacked: true,
        percent: true,
        range: [0.0, 100.0],
        rows,
        series: c.answers.clone(),
        colors: palette(c.answers.len()),
        cells: c
            .shares
            .iter()
            .map(|row| {
                row.iter()
                    .map(|s| match report.weight {
                        // the weighted share, the municipalities beside it
                        Some(_) => Cell {
                            value: s.percent,
                            ..Cell::share(s.count, s.base)
                        },
                        None => Cell::share(s.count, s.base),
                    })
                    .collect()
            })
            .collect(),
        size: [
            1200,
            bars_height(n, c.answers.len(), true, c.answers.len().div_ceil(3)),
        ],
        lang,
        scale: 1.0,
        full_scale: false,
    })
}
