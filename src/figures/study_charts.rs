//! The study's charts (Abb. 1-10 of the 2019 short study, and the cover's three comparison
//! groups) as chart files of [`crate::show`], from a survey file. Every number comes from the
//! survey; bases are the municipalities that were asked and answered, and are written beside each
//! chart.

use super::indicators::{
    Indicators, BASE_COMPONENTS, COMMUNITY_OFFERINGS, DATA_INSTRUMENTS, DATA_USES, EGOV_GOOD_MIN,
    ENGAGED_MIN, FIBRE_FORMS, IN_USE, LEAD_ROLES, OFFERED, STRATEGY_DEVELOPING, STRATEGY_HAS,
    SUPPORTED, TRAINING_TOPICS,
};
use crate::lang::Lang;
use crate::show::chart::{bars_height, palette, sequential, Bars, Cell, Chart};
use crate::show::labels::DataSource;
use crate::show::labels::{code_label, item_label};
use crate::stats::CrossTab;
use crate::survey::{Survey, SurveyError};

const WIDTH: u32 = 1200;

/// One chart of the study, with the file stem it is written under.
pub struct StudyChart {
    pub stem: &'static str,
    pub chart: Chart,
}

/// A bar chart of shares, before layout.
struct Draft {
    /// German and English title.
    title: (&'static str, &'static str),
    /// German and English base of the shares, for the note under the chart.
    base: (&'static str, &'static str),
    stacked: bool,
    rows: Vec<String>,
    series: Vec<String>,
    colors: Vec<String>,
    cells: Vec<Vec<Cell>>,
}

fn bars(draft: Draft, source: &DataSource, lang: Lang) -> Chart {
    let Draft {
        title,
        base,
        stacked,
        rows,
        series,
        colors,
        cells,
    } = draft;
    // the base beside each row label, where one base stands behind the whole row
    let rows = rows
        .into_iter()
        .zip(&cells)
        .map(
            |(label, row): (String, &Vec<Cell>)| match row.first().and_then(|c| c.base) {
                Some(b) if row.iter().all(|c| c.base == Some(b)) => format!("{label} (n = {b})"),
                _ => label,
            },
        )
        .collect::<Vec<_>>();
    let legend_rows = if series.len() > 1 {
        series.len().div_ceil(3)
    } else {
        0
    };
    Chart::Bars(Bars {
        title: lang.pick(title.0, title.1).into(),
        note: source.note(lang.pick(base.0, base.1), lang),
        value_label: lang
            .pick("Anteil der Kommunen", "Share of municipalities")
            .into(),
        stacked,
        percent: true,
        range: [0.0, 100.0],
        size: [
            WIDTH,
            bars_height(rows.len(), series.len(), stacked, legend_rows),
        ],
        rows,
        series,
        colors,
        cells,
        lang,
        scale: 1.0,
        full_scale: false,
    })
}

/// Shares of `codes` per variable: rows = variables, stacked segments = codes, base = answered.
fn distribution(
    survey: &Survey,
    variables: &[&str],
    codes: &[i64],
    everyone: &[Option<usize>],
) -> Result<Vec<Vec<Cell>>, SurveyError> {
    variables
        .iter()
        .map(|v| {
            let t = CrossTab::new(survey, v, everyone, vec![String::new()])?;
            let base: u64 = t
                .codes
                .iter()
                .zip(&t.counts[0])
                .filter(|(c, _)| codes.contains(c))
                .map(|(_, n)| n)
                .sum();
            Ok(codes
                .iter()
                .map(|c| {
                    let n = t
                        .codes
                        .iter()
                        .position(|x| x == c)
                        .map_or(0, |j| t.counts[0][j]);
                    Cell::share(n, base)
                })
                .collect())
        })
        .collect()
}

fn items(survey: &Survey, names: &[&str], lang: Lang) -> Vec<String> {
    names
        .iter()
        .map(|n| {
            survey
                .codebook()
                .variable(n)
                .map_or(n.to_string(), |v| item_label(v, lang).to_string())
        })
        .collect()
}

fn labels(survey: &Survey, var: &str, codes: &[i64], lang: Lang) -> Vec<String> {
    let v = survey.codebook().variable(var);
    codes
        .iter()
        .map(|&c| v.map_or(c.to_string(), |v| code_label(v, c, lang)))
        .collect()
}

/// Share of rows in each group for which `hit` holds; rows where it is `None` are left out.
fn group_share(groups: &[Option<usize>], n_groups: usize, hit: &[Option<bool>]) -> Vec<Cell> {
    let mut count = vec![0u64; n_groups];
    let mut base = vec![0u64; n_groups];
    for (g, h) in groups.iter().zip(hit) {
        if let (Some(g), Some(h)) = (g, h) {
            base[*g] += 1;
            count[*g] += u64::from(*h);
        }
    }
    (0..n_groups)
        .map(|g| Cell::share(count[g], base[g]))
        .collect()
}

/// Three strategy groups: has one, is developing one, neither.
fn strategy_groups(ind: &Indicators) -> Vec<Option<usize>> {
    ind.strategy
        .iter()
        .map(|s| match s {
            Some(STRATEGY_HAS) => Some(0),
            Some(STRATEGY_DEVELOPING) => Some(1),
            Some(_) => Some(2),
            None => None,
        })
        .collect()
}

fn strategy_group_names(lang: Lang) -> Vec<String> {
    match lang {
        Lang::De => vec![
            "mit Digitalisierungsstrategie".into(),
            "Strategie in Entwicklung".into(),
            "ohne Strategie".into(),
        ],
        Lang::En => vec![
            "with a digitalisation strategy".into(),
            "developing a strategy".into(),
            "without a strategy".into(),
        ],
    }
}

/// All study charts, in the study's order.
pub fn study_charts(
    survey: &Survey,
    source: &DataSource,
    lang: Lang,
) -> Result<Vec<StudyChart>, SurveyError> {
    let ind = Indicators::new(survey)?;
    let n = survey.len();
    let everyone: Vec<Option<usize>> = vec![Some(0); n];
    let book = survey.codebook();
    let mut out = Vec::new();
    let grey = "#BBBBBB".to_string();

    // cover: the three comparison groups
    {
        let mut rows = Vec::new();
        let mut cells = Vec::new();
        let status = CrossTab::new(survey, "strategie_status", &everyone, vec![String::new()])?;
        let base = status.base(0);
        for (j, &code) in status.codes.iter().enumerate() {
            rows.push(format!(
                "{}: {}",
                lang.pick("Strategie", "Strategy"),
                labels(survey, "strategie_status", &[code], lang)[0]
            ));
            cells.push(vec![Cell::share(status.counts[0][j], base)]);
        }
        let classes = |values: &[Option<u32>], bounds: &[(u32, u32)]| -> Vec<Cell> {
            let answered = values.iter().flatten().count() as u64;
            bounds
                .iter()
                .map(|&(lo, hi)| {
                    let c = values
                        .iter()
                        .flatten()
                        .filter(|v| (lo..=hi).contains(*v))
                        .count() as u64;
                    Cell::share(c, answered)
                })
                .collect()
        };
        let egov_bounds = [(0, 0), (1, EGOV_GOOD_MIN - 1), (EGOV_GOOD_MIN, 9)];
        let egov_names = match lang {
            Lang::De => [
                "keine",
                "eine oder zwei",
                "drei oder mehr (gut aufgestellt)",
            ],
            Lang::En => ["none", "one or two", "three or more (good)"],
        };
        let community_bounds = [(0, 0), (1, ENGAGED_MIN - 1), (ENGAGED_MIN, 8)];
        let community_names = match lang {
            Lang::De => ["keines", "genau eines", "zwei oder mehr (engagiert)"],
            Lang::En => ["none", "exactly one", "two or more (engaged)"],
        };
        let groups = [
            (
                lang.pick("Basiskomponenten", "Base components"),
                egov_names,
                classes(&ind.base_components, &egov_bounds),
            ),
            (
                lang.pick("Gemeinschaftsangebote", "Community offerings"),
                community_names,
                classes(&ind.offerings, &community_bounds),
            ),
        ];
        for (group, names, shares) in groups {
            for (name, cell) in names.iter().zip(shares) {
                rows.push(format!("{group}: {name}"));
                cells.push(vec![cell]);
            }
        }
        out.push(StudyChart {
            stem: "cover-comparison-groups",
            chart: bars(
                Draft {
                    title: ("Titelseite: die drei Vergleichsgruppen (Strategie, E-Government, örtliche Gemeinschaft)", "Cover: the three comparison groups (strategy, e-government, local community)"),
 base: ("Basis: alle Kommunen, die die jeweilige Frage beantwortet haben", "Base: all municipalities that answered the question"),
                    stacked: false,
                    rows,
                    series: vec![lang.pick("alle Kommunen", "all municipalities").into()],
                    colors: palette(1),
                    cells,
                },
                source,
                lang,
            ),
        });
    }

    // Abb. 1: operators of the base components, among the municipalities that use each
    {
        let cells = distribution(survey, &BASE_COMPONENTS, &IN_USE, &everyone)?;
        out.push(StudyChart {
            stem: "abb-01-operators",
            chart: bars(
                Draft {
                    title: (
                        "Abb. 1: IT wird öffentlich betrieben – wer die Basiskomponenten betreibt",
                        "Fig. 1: IT is run publicly – who operates the base components",
                    ),
                    base: (
                        "Basis: Kommunen, die die jeweilige Komponente einsetzen",
                        "Base: municipalities that use the component",
                    ),
                    stacked: true,
                    rows: items(survey, &BASE_COMPONENTS, lang),
                    series: labels(survey, BASE_COMPONENTS[0], &IN_USE, lang),
                    colors: palette(IN_USE.len()),
                    cells,
                },
                source,
                lang,
            ),
        });
    }

    // Abb. 2: FIM helpfulness among those who know FIM
    {
        let fim = ["fim_leistungen", "fim_datenfelder", "fim_prozesse"];
        let codes = [1, 2, 3, 4, 5];
        let cells = distribution(survey, &fim, &codes, &everyone)?;
        let mut colors = sequential(4);
        colors.reverse();
        colors.push(grey.clone());
        out.push(StudyChart {
            stem: "abb-02-fim",
            chart: bars(
                Draft {
                    title: (
                        "Abb. 2: Wie hilfreich sind die Leistungsbeschreibungen in FIM?",
                        "Fig. 2: How helpful are the FIM building blocks?",
                    ),
                    base: (
                        "Basis: Kommunen, die FIM kennen und die Frage beantwortet haben",
                        "Base: municipalities that know FIM and answered",
                    ),
                    stacked: true,
                    rows: items(survey, &fim, lang),
                    series: labels(survey, fim[0], &codes, lang),
                    colors,
                    cells,
                },
                source,
                lang,
            ),
        });
    }

    // Abb. 3: data instruments by intensity
    {
        let codes = [1, 2, 3, 4, 5];
        let cells = distribution(survey, &DATA_INSTRUMENTS, &codes, &everyone)?;
        out.push(StudyChart {
            stem: "abb-03-data-instruments",
            chart: bars(
                Draft {
                    title: ("Abb. 3: Kommunen nutzen Instrumente im Umgang mit ihren Daten in unterschiedlichem Maße", "Fig. 3: Municipalities use data instruments to different degrees"),
 base: ("Basis: Kommunen, die die Frage beantwortet haben", "Base: municipalities that answered"),
                    stacked: true,
                    rows: items(survey, &DATA_INSTRUMENTS, lang),
                    series: labels(survey, DATA_INSTRUMENTS[0], &codes, lang),
                    colors: sequential(codes.len()),
                    cells,
                },
                source,
                lang,
            ),
        });
    }

    // Abb. 4: data uses (share yes)
    {
        let cells = DATA_USES
            .iter()
            .map(|v| {
                let t = CrossTab::new(survey, v, &everyone, vec![String::new()])?;
                let (_, yes, base) = t.percent_of(0, &[1]);
                Ok(vec![Cell::share(yes, base)])
            })
            .collect::<Result<Vec<_>, SurveyError>>()?;
        out.push(StudyChart {
            stem: "abb-04-data-uses",
            chart: bars(
                Draft {
                    title: (
                        "Abb. 4: So nutzen Kommunen ihre Daten",
                        "Fig. 4: How municipalities use their data",
                    ),
                    base: (
                        "Basis: Kommunen, die die Frage beantwortet haben",
                        "Base: municipalities that answered",
                    ),
                    stacked: false,
                    rows: items(survey, &DATA_USES, lang),
                    series: vec![lang.pick("ja", "yes").into()],
                    colors: palette(1),
                    cells,
                },
                source,
                lang,
            ),
        });
    }

    // Abb. 5: strategy status and the two other comparison groups
    {
        let status = book
            .variable("strategie_status")
            .ok_or_else(|| SurveyError::NoVariable("strategie_status".into()))?;
        let codes: Vec<i64> = status.codes.iter().map(|c| c.code).collect();
        let groups: Vec<Option<usize>> = ind
            .strategy
            .iter()
            .map(|s| s.and_then(|s| codes.iter().position(|c| *c == s)))
            .collect();
        let egov: Vec<Option<bool>> = (0..n).map(|r| ind.egov_good(r)).collect();
        let engaged: Vec<Option<bool>> = (0..n).map(|r| ind.engaged(r)).collect();
        let a = group_share(&groups, codes.len(), &egov);
        let b = group_share(&groups, codes.len(), &engaged);
        let cells = a.into_iter().zip(b).map(|(x, y)| vec![x, y]).collect();
        out.push(StudyChart {
            stem: "abb-05-strategies",
            chart: bars(
                Draft {
                    title: ("Abb. 5: Digitalisierungsstrategien wirken", "Fig. 5: Digitalisation strategies make a difference"),
 base: ("Basis: Kommunen je Strategiestatus; gut aufgestellt: mindestens drei Basiskomponenten; engagiert: mindestens zwei Gemeinschaftsangebote", "Base: municipalities by strategy status; good: at least three base components; engaged: at least two community offerings"),
                    stacked: false,
                    rows: labels(survey, "strategie_status", &codes, lang),
                    series: vec![
                    lang.pick("im E-Government gut aufgestellt", "good in e-government")
                        .into(),
                    lang.pick(
                        "engagiert in der örtlichen Gemeinschaft",
                        "engaged in the local community",
                    )
                    .into(),
                ],
                    colors: palette(2),
                    cells,
                },
                source,
                lang,
            ),
        });
    }

    // Abb. 6: who leads, in the administration and in the local community
    {
        let mut rows = Vec::new();
        let mut cells = Vec::new();
        for role in LEAD_ROLES {
            let mut row = Vec::new();
            for area in ["verwaltung", "gemeinschaft"] {
                let name = format!("leitung_{area}_{role}");
                let t = CrossTab::new(survey, &name, &everyone, vec![String::new()])?;
                let (_, yes, base) = t.percent_of(0, &[1]);
                row.push(Cell::share(yes, base));
            }
            let name = format!("leitung_verwaltung_{role}");
            rows.push(items(survey, &[name.as_str()], lang).remove(0));
            cells.push(row);
        }
        out.push(StudyChart {
            stem: "abb-06-chefsache",
            chart: bars(
                Draft {
                    title: (
                        "Abb. 6: Hier ist Digitalisierung Chefsache – wer (mit)verantwortlich ist",
                        "Fig. 6: Who is (co-)responsible for digitalisation",
                    ),
                    base: (
                        "Basis: Kommunen, die die Frage beantwortet haben; Mehrfachnennung",
                        "Base: municipalities that answered; several answers possible",
                    ),
                    stacked: false,
                    rows,
                    series: vec![
                        lang.pick("Digitalisierung der Verwaltung", "in the administration")
                            .into(),
                        lang.pick(
                            "Digitalisierung der örtlichen Gemeinschaft",
                            "in the local community",
                        )
                        .into(),
                    ],
                    colors: palette(2),
                    cells,
                },
                source,
                lang,
            ),
        });
    }

    // Abb. 7: training topics offered, by strategy status
    {
        let groups = strategy_groups(&ind);
        let names = strategy_group_names(lang);
        let cells = TRAINING_TOPICS
            .iter()
            .map(|v| {
                let t = CrossTab::new(survey, v, &groups, names.clone())?;
                Ok((0..names.len())
                    .map(|g| {
                        let (_, yes, base) = t.percent_of(g, &[OFFERED]);
                        Cell::share(yes, base)
                    })
                    .collect())
            })
            .collect::<Result<Vec<_>, SurveyError>>()?;
        out.push(StudyChart {
            stem: "abb-07-training",
            chart: bars(
                Draft {
                    title: ("Abb. 7: Zu diesen Themen bieten die Kommunen Fortbildungen an", "Fig. 7: Staff training offered, by strategy status"),
 base: ("Anteil »wird angeboten«; Basis: Kommunen je Strategiestatus, die die Frage beantwortet haben", "Share 'offered'; base: municipalities by strategy status that answered"),
                    stacked: false,
                    rows: items(survey, &TRAINING_TOPICS, lang),
                    series: names,
                    colors: palette(3),
                    cells,
                },
                source,
                lang,
            ),
        });
    }

    // Abb. 8: support for citizens' digital skills, by comparison group
    {
        let skills = survey.codes(COMMUNITY_OFFERINGS[2])?;
        let supported: Vec<Option<bool>> = skills
            .iter()
            .map(|v| v.map(|v| SUPPORTED.contains(&v)))
            .collect();
        let mut rows = vec![lang.pick("alle Kommunen", "all municipalities").to_string()];
        let mut cells = vec![group_share(&everyone, 1, &supported)];
        let by_strategy = group_share(&strategy_groups(&ind), 3, &supported);
        for (name, cell) in strategy_group_names(lang).into_iter().zip(by_strategy) {
            rows.push(name);
            cells.push(vec![cell]);
        }
        let split = |flag: Vec<Option<bool>>| -> Vec<Cell> {
            let groups: Vec<Option<usize>> =
                flag.iter().map(|f| f.map(|f| usize::from(!f))).collect();
            group_share(&groups, 2, &supported)
        };
        let egov = split((0..n).map(|r| ind.egov_good(r)).collect());
        let egov_names = match lang {
            Lang::De => [
                "im E-Government gut aufgestellt",
                "im E-Government schwächer",
            ],
            Lang::En => ["good in e-government", "weaker in e-government"],
        };
        for (name, cell) in egov_names.iter().zip(egov) {
            rows.push(name.to_string());
            cells.push(vec![cell]);
        }
        out.push(StudyChart {
            stem: "abb-08-citizen-skills",
            chart: bars(
                Draft {
                    title: ("Abb. 8: Kommunen, die die Entwicklung von Digitalkompetenzen der Bürger:innen unterstützen", "Fig. 8: Municipalities supporting citizens' digital skills"),
 base: ("finanziell, logistisch oder anderweitig unterstützt; Basis: Kommunen der Gruppe, die die Frage beantwortet haben", "supported financially, logistically or otherwise; base: municipalities of the group that answered"),
                    stacked: false,
                    rows,
                    series: vec![lang.pick("unterstützt", "supported").into()],
                    colors: palette(1),
                    cells,
                },
                source,
                lang,
            ),
        });
    }

    // Abb. 9: fibre engagement by form
    {
        let codes = [1, 2, 3];
        let cells = distribution(survey, &FIBRE_FORMS, &codes, &everyone)?;
        out.push(StudyChart {
            stem: "abb-09-fibre",
            chart: bars(
                Draft {
                    title: ("Abb. 9: Kommunen beteiligen sich an Aufbau oder Betrieb lokaler Glasfasernetze auf verschiedene Weise", "Fig. 9: How municipalities take part in building or running local fibre networks"),
 base: ("Basis: Kommunen, die die Frage beantwortet haben", "Base: municipalities that answered"),
                    stacked: true,
                    rows: items(survey, &FIBRE_FORMS, lang),
                    series: labels(survey, FIBRE_FORMS[0], &codes, lang),
                    colors: vec![PALETTE_DARK.into(), PALETTE_LIGHT.into(), grey.clone()],
                    cells,
                },
                source,
                lang,
            ),
        });
    }

    // Abb. 10: broadband grades
    {
        let t = CrossTab::new(survey, "breitband_note", &everyone, vec![String::new()])?;
        let base = t.base(0);
        let cells = t.counts[0]
            .iter()
            .map(|&c| vec![Cell::share(c, base)])
            .collect();
        out.push(StudyChart {
            stem: "abb-10-broadband",
            chart: bars(
                Draft {
                    title: (
                        "Abb. 10: Einschätzung der kommunalen Breitbandversorgung (Schulnote)",
                        "Fig. 10: How municipalities grade their broadband (German school grades)",
                    ),
                    base: (
                        "Basis: Kommunen, die die Frage beantwortet haben",
                        "Base: municipalities that answered",
                    ),
                    stacked: false,
                    rows: labels(survey, "breitband_note", &t.codes, lang),
                    series: vec![lang.pick("Anteil", "share").into()],
                    colors: palette(1),
                    cells,
                },
                source,
                lang,
            ),
        });
    }
    Ok(out)
}

const PALETTE_DARK: &str = "#0072B2";
const PALETTE_LIGHT: &str = "#56B4E9";

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    use crate::survey::Codebook;

    #[test]
    fn broadband_chart_counts_the_grades() {
        let mut survey = Survey::blank(Arc::new(Codebook::builtin()), 5);
        *survey.codes_mut("breitband_note").unwrap() =
            vec![Some(1), Some(2), Some(2), None, Some(6)].into();
        let source = DataSource {
            file: "x.csv".into(),
            synthetic: true,
        };
        let charts = study_charts(&survey, &source, Lang::De).unwrap();
        let chart = charts
            .iter()
            .find(|c| c.stem == "abb-10-broadband")
            .unwrap();
        let Chart::Bars(b) = &chart.chart else {
            panic!("bars expected")
        };
        assert_eq!(b.rows[0], "sehr gut (n = 4)");
        assert_eq!(b.cells[1][0], Cell::share(2, 4));
        assert_eq!(b.cells[5][0].value, Some(25.0));
        assert!(b.note.contains("synthetische"));
    }
}
