//! The study's charts (Abb. 1-10 of the 2019 short study, and the cover's three comparison
//! groups) as chart files, drawn from the numbers `crate::figures::study_numbers` counts: one
//! function per chart, each with its title, base, rows and series in the run's language. Every
//! number comes from the survey; bases are the municipalities that were asked and answered, and
//! are written beside each chart.

use crate::figures::indicators::{
    BASE_COMPONENTS, DATA_INSTRUMENTS, DATA_USES, FIBRE_FORMS, IN_USE, LEAD_ROLES, TRAINING_TOPICS,
};
use crate::figures::{Share, StudyNumbers, FIBRE_CODES, FIM_ITEMS, FIVE_POINTS};
use crate::lang::Lang;
use crate::show::chart::{bars_height, palette, sequential, Bars, Cell, Chart};
use crate::show::labels::{code_label, item_label, DataSource};
use crate::survey::Codebook;

const WIDTH: u32 = 1200;
const GREY: &str = "#BBBBBB";
const PALETTE_DARK: &str = "#0072B2";
const PALETTE_LIGHT: &str = "#56B4E9";

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

/// What the charts are drawn with: the codebook's labels, the data source, the language.
struct Ctx<'a> {
    book: &'a Codebook,
    source: &'a DataSource,
    lang: Lang,
}

impl Ctx<'_> {
    fn bars(&self, draft: Draft) -> Chart {
        let lang = self.lang;
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
                    Some(b) if row.iter().all(|c| c.base == Some(b)) => {
                        format!("{label} (n = {b})")
                    }
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
            note: self.source.note(lang.pick(base.0, base.1), lang),
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

    /// The items' labels (the variable's name where the codebook has no such variable).
    fn items(&self, names: &[&str]) -> Vec<String> {
        names
            .iter()
            .map(|n| {
                self.book
                    .variable(n)
                    .map_or(n.to_string(), |v| item_label(v, self.lang).to_string())
            })
            .collect()
    }

    /// The labels of `codes` of `var`.
    fn labels(&self, var: &str, codes: &[i64]) -> Vec<String> {
        let v = self.book.variable(var);
        codes
            .iter()
            .map(|&c| v.map_or(c.to_string(), |v| code_label(v, c, self.lang)))
            .collect()
    }

    fn pick(&self, de: &str, en: &str) -> String {
        self.lang.pick(de, en).to_string()
    }
}

fn cell(s: &Share) -> Cell {
    Cell::share(s.count, s.base)
}

fn cells(rows: &[Vec<Share>]) -> Vec<Vec<Cell>> {
    rows.iter().map(|r| r.iter().map(cell).collect()).collect()
}

/// One bar per share.
fn column(shares: &[Share]) -> Vec<Vec<Cell>> {
    shares.iter().map(|s| vec![cell(s)]).collect()
}

/// The three strategy groups of Abb. 7 and 8.
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

/// A function drawing one chart.
type Draw = fn(&Ctx, &StudyNumbers) -> Chart;

/// All study charts, in the study's order.
pub fn study_charts(
    numbers: &StudyNumbers,
    book: &Codebook,
    source: &DataSource,
    lang: Lang,
) -> Vec<StudyChart> {
    let c = Ctx { book, source, lang };
    let charts: [(&'static str, Draw); 11] = [
        ("cover-comparison-groups", cover),
        ("abb-01-operators", operators),
        ("abb-02-fim", fim),
        ("abb-03-data-instruments", data_instruments),
        ("abb-04-data-uses", data_uses),
        ("abb-05-strategies", strategies),
        ("abb-06-chefsache", led_from_top),
        ("abb-07-training", training),
        ("abb-08-citizen-skills", citizen_skills),
        ("abb-09-fibre", fibre),
        ("abb-10-broadband", broadband),
    ];
    charts
        .into_iter()
        .map(|(stem, draw)| StudyChart {
            stem,
            chart: draw(&c, numbers),
        })
        .collect()
}

/// The cover: the three comparison groups.
fn cover(c: &Ctx, n: &StudyNumbers) -> Chart {
    let mut rows = Vec::new();
    let mut cells = Vec::new();
    for (code, share) in &n.strategy_status {
        rows.push(format!(
            "{}: {}",
            c.pick("Strategie", "Strategy"),
            c.labels("strategie_status", &[*code])[0]
        ));
        cells.push(vec![cell(share)]);
    }
    let egov_names = match c.lang {
        Lang::De => [
            "keine",
            "eine oder zwei",
            "drei oder mehr (gut aufgestellt)",
        ],
        Lang::En => ["none", "one or two", "three or more (good)"],
    };
    let community_names = match c.lang {
        Lang::De => ["keines", "genau eines", "zwei oder mehr (engagiert)"],
        Lang::En => ["none", "exactly one", "two or more (engaged)"],
    };
    let groups = [
        (
            c.pick("Basiskomponenten", "Base components"),
            egov_names,
            &n.base_component_classes,
        ),
        (
            c.pick("Gemeinschaftsangebote", "Community offerings"),
            community_names,
            &n.offering_classes,
        ),
    ];
    for (group, names, shares) in groups {
        for (name, share) in names.iter().zip(shares) {
            rows.push(format!("{group}: {name}"));
            cells.push(vec![cell(share)]);
        }
    }
    c.bars(Draft {
        title: ("Titelseite: die drei Vergleichsgruppen (Strategie, E-Government, örtliche Gemeinschaft)", "Cover: the three comparison groups (strategy, e-government, local community)"),
        base: ("Basis: alle Kommunen, die die jeweilige Frage beantwortet haben", "Base: all municipalities that answered the question"),
        stacked: false,
        rows,
        series: vec![c.pick("alle Kommunen", "all municipalities")],
        colors: palette(1),
        cells,
    })
}

/// Abb. 1: operators of the base components, among the municipalities that use each.
fn operators(c: &Ctx, n: &StudyNumbers) -> Chart {
    c.bars(Draft {
        title: (
            "Abb. 1: IT wird öffentlich betrieben – wer die Basiskomponenten betreibt",
            "Fig. 1: IT is run publicly – who operates the base components",
        ),
        base: (
            "Basis: Kommunen, die die jeweilige Komponente einsetzen",
            "Base: municipalities that use the component",
        ),
        stacked: true,
        rows: c.items(&BASE_COMPONENTS),
        series: c.labels(BASE_COMPONENTS[0], &IN_USE),
        colors: palette(IN_USE.len()),
        cells: cells(&n.operators),
    })
}

/// Abb. 2: FIM helpfulness among those who know FIM.
fn fim(c: &Ctx, n: &StudyNumbers) -> Chart {
    let mut colors = sequential(4);
    colors.reverse();
    colors.push(GREY.into());
    c.bars(Draft {
        title: (
            "Abb. 2: Wie hilfreich sind die Leistungsbeschreibungen in FIM?",
            "Fig. 2: How helpful are the FIM building blocks?",
        ),
        base: (
            "Basis: Kommunen, die FIM kennen und die Frage beantwortet haben",
            "Base: municipalities that know FIM and answered",
        ),
        stacked: true,
        rows: c.items(&FIM_ITEMS),
        series: c.labels(FIM_ITEMS[0], &FIVE_POINTS),
        colors,
        cells: cells(&n.fim),
    })
}

/// Abb. 3: data instruments by intensity.
fn data_instruments(c: &Ctx, n: &StudyNumbers) -> Chart {
    c.bars(Draft {
        title: ("Abb. 3: Kommunen nutzen Instrumente im Umgang mit ihren Daten in unterschiedlichem Maße", "Fig. 3: Municipalities use data instruments to different degrees"),
        base: ("Basis: Kommunen, die die Frage beantwortet haben", "Base: municipalities that answered"),
        stacked: true,
        rows: c.items(&DATA_INSTRUMENTS),
        series: c.labels(DATA_INSTRUMENTS[0], &FIVE_POINTS),
        colors: sequential(FIVE_POINTS.len()),
        cells: cells(&n.data_instruments),
    })
}

/// Abb. 4: data uses (share yes).
fn data_uses(c: &Ctx, n: &StudyNumbers) -> Chart {
    c.bars(Draft {
        title: (
            "Abb. 4: So nutzen Kommunen ihre Daten",
            "Fig. 4: How municipalities use their data",
        ),
        base: (
            "Basis: Kommunen, die die Frage beantwortet haben",
            "Base: municipalities that answered",
        ),
        stacked: false,
        rows: c.items(&DATA_USES),
        series: vec![c.pick("ja", "yes")],
        colors: palette(1),
        cells: column(&n.data_uses),
    })
}

/// Abb. 5: strategy status and the two other comparison groups.
fn strategies(c: &Ctx, n: &StudyNumbers) -> Chart {
    let (codes, shares) = &n.strategies;
    c.bars(Draft {
        title: ("Abb. 5: Digitalisierungsstrategien wirken", "Fig. 5: Digitalisation strategies make a difference"),
        base: ("Basis: Kommunen je Strategiestatus; gut aufgestellt: mindestens drei Basiskomponenten; engagiert: mindestens zwei Gemeinschaftsangebote", "Base: municipalities by strategy status; good: at least three base components; engaged: at least two community offerings"),
        stacked: false,
        rows: c.labels("strategie_status", codes),
        series: vec![
            c.pick("im E-Government gut aufgestellt", "good in e-government"),
            c.pick(
                "engagiert in der örtlichen Gemeinschaft",
                "engaged in the local community",
            ),
        ],
        colors: palette(2),
        cells: shares.iter().map(|s| s.iter().map(cell).collect()).collect(),
    })
}

/// Abb. 6: who leads, in the administration and in the local community.
fn led_from_top(c: &Ctx, n: &StudyNumbers) -> Chart {
    let rows = LEAD_ROLES
        .iter()
        .map(|role| {
            c.items(&[format!("leitung_verwaltung_{role}").as_str()])
                .remove(0)
        })
        .collect();
    c.bars(Draft {
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
            c.pick("Digitalisierung der Verwaltung", "in the administration"),
            c.pick(
                "Digitalisierung der örtlichen Gemeinschaft",
                "in the local community",
            ),
        ],
        colors: palette(2),
        cells: n
            .led_from_top
            .iter()
            .map(|s| s.iter().map(cell).collect())
            .collect(),
    })
}

/// Abb. 7: training topics offered, by strategy status.
fn training(c: &Ctx, n: &StudyNumbers) -> Chart {
    c.bars(Draft {
        title: ("Abb. 7: Zu diesen Themen bieten die Kommunen Fortbildungen an", "Fig. 7: Staff training offered, by strategy status"),
        base: ("Anteil »wird angeboten«; Basis: Kommunen je Strategiestatus, die die Frage beantwortet haben", "Share 'offered'; base: municipalities by strategy status that answered"),
        stacked: false,
        rows: c.items(&TRAINING_TOPICS),
        series: strategy_group_names(c.lang),
        colors: palette(3),
        cells: cells(&n.training),
    })
}

/// Abb. 8: support for citizens' digital skills, by comparison group.
fn citizen_skills(c: &Ctx, n: &StudyNumbers) -> Chart {
    let mut rows = vec![c.pick("alle Kommunen", "all municipalities")];
    rows.extend(strategy_group_names(c.lang));
    let egov_names = match c.lang {
        Lang::De => [
            "im E-Government gut aufgestellt",
            "im E-Government schwächer",
        ],
        Lang::En => ["good in e-government", "weaker in e-government"],
    };
    rows.extend(egov_names.map(String::from));
    c.bars(Draft {
        title: ("Abb. 8: Kommunen, die die Entwicklung von Digitalkompetenzen der Bürger:innen unterstützen", "Fig. 8: Municipalities supporting citizens' digital skills"),
        base: ("finanziell, logistisch oder anderweitig unterstützt; Basis: Kommunen der Gruppe, die die Frage beantwortet haben", "supported financially, logistically or otherwise; base: municipalities of the group that answered"),
        stacked: false,
        rows,
        series: vec![c.pick("unterstützt", "supported")],
        colors: palette(1),
        cells: column(&n.citizen_skills),
    })
}

/// Abb. 9: fibre engagement by form.
fn fibre(c: &Ctx, n: &StudyNumbers) -> Chart {
    c.bars(Draft {
        title: ("Abb. 9: Kommunen beteiligen sich an Aufbau oder Betrieb lokaler Glasfasernetze auf verschiedene Weise", "Fig. 9: How municipalities take part in building or running local fibre networks"),
        base: ("Basis: Kommunen, die die Frage beantwortet haben", "Base: municipalities that answered"),
        stacked: true,
        rows: c.items(&FIBRE_FORMS),
        series: c.labels(FIBRE_FORMS[0], &FIBRE_CODES),
        colors: vec![PALETTE_DARK.into(), PALETTE_LIGHT.into(), GREY.into()],
        cells: cells(&n.fibre),
    })
}

/// Abb. 10: broadband grades.
fn broadband(c: &Ctx, n: &StudyNumbers) -> Chart {
    let (codes, shares) = &n.broadband;
    c.bars(Draft {
        title: (
            "Abb. 10: Einschätzung der kommunalen Breitbandversorgung (Schulnote)",
            "Fig. 10: How municipalities grade their broadband (German school grades)",
        ),
        base: (
            "Basis: Kommunen, die die Frage beantwortet haben",
            "Base: municipalities that answered",
        ),
        stacked: false,
        rows: c.labels("breitband_note", codes),
        series: vec![c.pick("Anteil", "share")],
        colors: palette(1),
        cells: column(shares),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    use crate::figures::study_numbers;
    use crate::survey::{Codebook, Survey};

    #[test]
    fn broadband_chart_counts_the_grades() {
        let mut survey = Survey::blank(Arc::new(Codebook::builtin()), 5);
        *survey.codes_mut("breitband_note").unwrap() =
            vec![Some(1), Some(2), Some(2), None, Some(6)].into();
        let source = DataSource {
            file: "x.csv".into(),
            synthetic: true,
        };
        let numbers = study_numbers(&survey).unwrap();
        let charts = study_charts(&numbers, survey.codebook(), &source, Lang::De);
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
