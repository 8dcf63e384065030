//! The charts of the profile sheets, as chart files of [`crate::show`]: the size of each type,
//! the goal heatmap, each type's goal profile against all municipalities, the municipalities on
//! the first two principal components, the silhouettes, and a stacked bar chart per cross-tab
//! asked for.

use super::profile::{CrossTabReport, ProfileReport};
use crate::cluster::Typology;
use crate::lang::Lang;
use crate::show::chart::{
    bars_height, palette, Bars, Cell, Chart, Heatmap, Point, Scatter, Silhouette,
};
use crate::show::format::{number as num, p_value};
use crate::show::labels::DataSource;

/// What every chart of the sheets shares.
struct Ctx<'a> {
    report: &'a ProfileReport,
    typology: &'a Typology,
    lang: Lang,
    k: usize,
    colors: Vec<String>,
    names: Vec<String>,
    source: DataSource,
    clustered: u64,
}

impl Ctx<'_> {
    /// A chart's note: its base and the data source.
    fn note(&self, base: &str) -> String {
        self.source.note(base, self.lang)
    }

    /// The study's words where the report has them, else the generic text.
    fn say(
        &self,
        de: &str,
        en: &str,
        generic: impl FnOnce(&str, &str) -> (String, String),
    ) -> String {
        let w = &self.report.words;
        if w.is_study() {
            return self.lang.pick(de, en).to_string();
        }
        let (gde, gen) = generic(w.units(), w.block());
        self.lang.pick(&gde, &gen).to_string()
    }

    /// "geclusterte Kommunen" / "clustered municipalities".
    fn clustered_units(&self) -> String {
        self.say(
            "geclusterte Kommunen",
            "clustered municipalities",
            |u, _| (format!("geclusterte {u}"), format!("clustered {u}")),
        )
    }

    /// The answer scale's ends: "1 = Very Inaccurate, 6 = Very Accurate".
    fn ends(&self) -> String {
        let a = &self.report.answers;
        if a.ends[0].is_empty() {
            return format!("{} – {}", a.range[0], a.range[1]);
        }
        format!(
            "{} = {}, {} = {}",
            a.range[0], a.ends[0], a.range[1], a.ends[1]
        )
    }
}

/// The charts of a profile report, with their file stems.
pub fn profile_charts(report: &ProfileReport, typology: &Typology) -> Vec<(String, Chart)> {
    let k = report.types.len();
    let ctx = Ctx {
        report,
        typology,
        lang: report.lang,
        k,
        colors: palette(k),
        names: report.types.iter().map(|t| t.name.clone()).collect(),
        source: super::profile::data_source(&report.source),
        clustered: report.clustered as u64,
    };
    let mut out = Vec::new();
    type_sizes(&ctx, &mut out);
    goal_heatmap(&ctx, &mut out);
    goal_profiles(&ctx, &mut out);
    pca_map(&ctx, &mut out);
    silhouettes(&ctx, &mut out);
    out
}

/// The size of each type.
fn type_sizes(ctx: &Ctx, out: &mut Vec<(String, Chart)>) {
    let report = ctx.report;
    let lang = ctx.lang;
    let k = ctx.k;
    let clustered = ctx.clustered;
    out.push((
        "type-sizes".to_string(),
        Chart::Bars(Bars {
            title: lang
                .pick("Größe der Typen", "Size of the types")
                .to_string(),
            note: ctx.note(&format!(
                "{} {} {}{}",
                lang.pick("Basis:", "Base:"),
                clustered,
                ctx.clustered_units(),
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
            marked: Vec::new(),
            size: [1200, bars_height(k, 1, false, 0)],
            lang,
            scale: 1.0,
            full_scale: false,
        }),
    ));
}

/// The goal heatmap: every type's mean of each goal, and all municipalities'.
fn goal_heatmap(ctx: &Ctx, out: &mut Vec<(String, Chart)>) {
    let report = ctx.report;
    let lang = ctx.lang;
    let names = &ctx.names;
    let clustered = ctx.clustered;
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
            title: ctx.say(
                "Zielprofile der Typen: mittlere Priorität (1 = keine, 5 = sehr hohe)",
                "Goal profiles of the types: mean priority (1 = none, 5 = very high)",
                |_, block| {
                    (
                        format!(
                            "Profile der Typen über die {block}: mittlere Antwort ({})",
                            ctx.ends()
                        ),
                        format!(
                            "Profiles of the types over the {block}: mean answer ({})",
                            ctx.ends()
                        ),
                    )
                },
            ),
            note: ctx.note(&format!(
                "{} {} {}",
                lang.pick("Basis:", "Base:"),
                clustered,
                ctx.clustered_units()
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
            range: report.answers.range,
            decimals: 1,
            size: [1200, 160 + 44 * goal_labels.len() as u32 + 60],
            lang,
            scale: 1.0,
        }),
    ));
}

/// Each type's goal profile against all municipalities.
fn goal_profiles(ctx: &Ctx, out: &mut Vec<(String, Chart)>) {
    let report = ctx.report;
    let lang = ctx.lang;
    let colors = &ctx.colors;
    let clustered = ctx.clustered;
    for (g, t) in report.types.iter().enumerate() {
        out.push((
            format!("profile-{}", t.id),
            Chart::Bars(Bars {
                title: format!(
                    "{}: {}",
                    t.name,
                    ctx.say(
                        "Zielprofil gegenüber allen Kommunen",
                        "goal profile against all municipalities",
                        |units, block| (
                            format!("Profil der {block}, gegenüber allen {units} gelesen"),
                            format!("profile over the {block} against all {units}"),
                        )
                    )
                ),
                note: ctx.note(&format!(
                    "{}. {}",
                    if report.words.is_study() {
                        format!(
                            "{} 1 = {}, 5 = {}; n = {} / {}",
                            lang.pick("Mittlere Priorität,", "Mean priority,"),
                            lang.pick("keine", "none"),
                            lang.pick("sehr hohe", "very high"),
                            t.n,
                            clustered
                        )
                    } else {
                        format!(
                            "{} {}; n = {} / {}",
                            lang.pick("Mittlere Antwort,", "Mean answer,"),
                            ctx.ends(),
                            t.n,
                            clustered
                        )
                    },
                    ctx.say(
                        "Kräftige Farbe: Ziele, bei denen der Typ deutlich von allen abweicht (v-Test mindestens 2 im Betrag); blass: kein deutlicher Unterschied",
                        "Full colour: goals on which the type clearly differs from all (v-test at least 2 in size); pale: no clear difference",
                        |_, block| (
                            format!("Kräftige Farbe: {block}, bei denen der Typ deutlich von allen abweicht (v-Test mindestens 2 im Betrag); blass: kein deutlicher Unterschied"),
                            format!("Full colour: {block} on which the type clearly differs from all (v-test at least 2 in size); pale: no clear difference"),
                        )
                    )
                )),
                value_label: ctx.say("mittlere Priorität", "mean priority", |_, _| {
                    ("mittlere Antwort".into(), "mean answer".into())
                }),
                stacked: false,
                percent: false,
                range: report.answers.range,
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
                    ctx.say(
                        "alle geclusterten Kommunen",
                        "all clustered municipalities",
                        |u, _| {
                            (
                                format!("alle geclusterten {u}"),
                                format!("all clustered {u}"),
                            )
                        },
                    ),
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
                marked: t
                    .goals
                    .iter()
                    .map(|goal| {
                        goal.v_test
                            .is_some_and(|v| v.abs() >= super::describe::V_TEST_FLAG)
                    })
                    .collect(),
                size: [1200, bars_height(t.goals.len(), 2, false, 1)],
                lang,
                scale: 1.0,
                full_scale: false,
            }),
        ));
    }
}

/// The municipalities on the first two principal components of the clustered (scaled) answers.
fn pca_map(ctx: &Ctx, out: &mut Vec<(String, Chart)>) {
    let typology = ctx.typology;
    let lang = ctx.lang;
    let colors = &ctx.colors;
    let names = &ctx.names;
    let clustered = ctx.clustered;
    let map = crate::profile::map::map(typology);
    let explained = &map.explained;
    let axis = |i: usize| {
        format!(
            "{}. {} ({} {})",
            i + 1,
            lang.pick("Hauptkomponente", "principal component"),
            num(100.0 * explained.get(i).copied().unwrap_or(0.0), 0, lang) + " %",
            lang.pick("der Varianz", "of the variance")
        )
    };
    out.push((
        "pca-map".to_string(),
        Chart::Scatter(Scatter {
            title: ctx.say(
                "Karte der Kommunen: die ersten beiden Hauptkomponenten der Zielprioritäten (× = Zentrum des Typs)",
                "Map of the municipalities: first two principal components of the goal priorities (× = type centre)",
                |u, block| {
                    (
                        format!("Karte der {u}: die ersten beiden Hauptkomponenten der {block} (× = Zentrum des Typs)"),
                        format!("Map of the {u}: first two principal components of the {block} (× = type centre)"),
                    )
                },
            ),
            note: ctx.note(&format!(
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
                .zip(&map.points)
                .map(|(a, &[x, y])| Point {
                    x,
                    y,
                    group: a.type_index,
                })
                .collect(),
            centres: map
                .centres
                .iter()
                .enumerate()
                .map(|(g, &[x, y])| Point { x, y, group: g })
                .collect(),
            size: [1200, 900],
            lang,
            scale: 1.0,
        }),
    ));
}

/// The silhouettes of the municipalities, per type.
fn silhouettes(ctx: &Ctx, out: &mut Vec<(String, Chart)>) {
    let typology = ctx.typology;
    let lang = ctx.lang;
    let k = ctx.k;
    let colors = &ctx.colors;
    let names = &ctx.names;
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
            title: ctx.say(
                "Silhouetten: wie gut jede Kommune zu ihrem Typ passt (rote Linie: Mittel)",
                "Silhouettes: how well each municipality fits its type (red line: mean)",
                |_, _| {
                    (
                        "Silhouetten: wie gut jede Zeile zu ihrem Typ passt (rote Linie: Mittel)"
                            .into(),
                        format!(
                            "Silhouettes: how well each {} fits its type (red line: mean)",
                            ctx.report.words.unit()
                        ),
                    )
                },
            ),
            note: ctx.note(if exact {
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
        None if report.words.is_study() => report
            .lang
            .pick("Anteil der Kommunen", "Share of municipalities")
            .into(),
        None => match report.lang {
            crate::lang::Lang::De => format!("Anteil der {}", report.words.units()),
            crate::lang::Lang::En => format!("Share of {}", report.words.units()),
        },
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
                "χ²{} = {}, df = {}, p = {}, {} = {}{}",
                match report.weight {
                    Some(_) => " (Rao-Scott)",
                    None => "",
                },
                c.chi_square.map_or("–".into(), |v| num(v, 1, lang)),
                c.df.map_or("–".into(), |v| v.to_string()),
                p_value(c.p_value, lang),
                lang.pick("Cramérs V", "Cramér's V"),
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
        marked: Vec::new(),
        size: [
            1200,
            bars_height(n, c.answers.len(), true, c.answers.len().div_ceil(3)),
        ],
        lang,
        scale: 1.0,
        full_scale: false,
    })
}
