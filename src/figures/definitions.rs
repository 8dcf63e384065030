//! How each published figure and finding is computed from a survey: the base it names, the
//! answers it counts, and for findings the comparison and test that decide whether it holds.
//! Nothing here knows the published values; `check` compares.

use statrs::distribution::{ContinuousCDF, Normal};

use super::indicators::*;
use crate::lang::Lang;
use crate::show::format::number;
use crate::stats::{association_below, trend, two_proportions, welch};
use crate::survey::{Survey, SurveyError};

/// Significance level of the directional findings (one-sided tests).
pub const ALPHA: f64 = 0.05;
/// "No association" must be shown to be smaller than this Cramér's V: halfway between Cohen's small
/// (0.1) and medium (0.3) effect for a table with two rows or columns, and the smallest round bound
/// the study's n (about 400) can show when there is no association at all.
pub const NO_ASSOCIATION_V: f64 = 0.2;

/// One computed share or mean, with its base.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    pub label: String,
    pub value: f64,
    pub base: usize,
}

/// A computed figure: a single value, or several parts that must each reproduce the figure.
#[derive(Debug, Clone, PartialEq)]
pub struct Computed {
    pub parts: Vec<Part>,
    /// How the figure is read: what is counted, and the base.
    pub reading: &'static str,
}

fn single(part: Part) -> Computed {
    Computed {
        parts: vec![part],
        reading: "",
    }
}

/// Share (in percent) of `hit` among the rows in `base` where `hit` is known; with weights, of
/// the summed weights (the base still counts municipalities).
fn share(
    ind: &Indicators,
    base: impl Fn(usize) -> bool,
    hit: impl Fn(usize) -> Option<bool>,
    label: &str,
) -> Part {
    let (mut x, mut n) = (0usize, 0usize);
    let (mut wx, mut wn) = (0.0f64, 0.0f64);
    for row in (0..ind.rows).filter(|&r| base(r)) {
        if let Some(h) = hit(row) {
            n += 1;
            x += usize::from(h);
            if h {
                wx += ind.weight(row);
            }
            wn += ind.weight(row);
        }
    }
    let value = match (&ind.weights, n) {
        (_, 0) => f64::NAN,
        (None, _) => 100.0 * x as f64 / n as f64,
        (Some(_), _) if wn > 0.0 => 100.0 * wx / wn,
        (Some(_), _) => f64::NAN,
    };
    Part {
        label: label.to_string(),
        value,
        base: n,
    }
}

fn all(_: usize) -> bool {
    true
}

/// Share of rows in `base` whose item `name` has one of `codes`.
fn item_share(
    survey: &Survey,
    ind: &Indicators,
    name: &str,
    codes: &[i64],
    base: impl Fn(usize) -> bool,
) -> Result<Computed, SurveyError> {
    let values = survey.codes(name)?;
    Ok(single(share(
        ind,
        base,
        |r| values.get(r).map(|v| codes.contains(&v)),
        name,
    )))
}

/// Computes figure `id`; `Ok(None)` when no computation is defined for that id.
pub fn compute_figure(
    id: &str,
    survey: &Survey,
    ind: &Indicators,
) -> Result<Option<Computed>, SurveyError> {
    let has = |r: usize| ind.has_strategy(r) == Some(true);
    let strat = |r: usize| ind.has_or_develops(r);
    let dev = |r: usize| ind.develops(r);
    let good = |r: usize| ind.egov_good(r) == Some(true);
    let engaged = |r: usize| ind.engaged(r) == Some(true);
    let status_is = |code: i64| move |r: usize| ind.strategy[r].map(|s| s == code);
    let comps = |r: usize| ind.base_components[r];
    let offers = |r: usize| ind.offerings[r];
    let computed = match id {
        "strategy_has" => single(share(
            ind,
            all,
            status_is(STRATEGY_HAS),
            "strategie_status = 1",
        )),
        "strategy_developing" => single(share(
            ind,
            all,
            status_is(STRATEGY_DEVELOPING),
            "strategie_status = 2",
        )),
        "strategy_has_or_developing" => single(share(
            ind,
            all,
            |r| ind.strategy[r].map(|s| s == STRATEGY_HAS || s == STRATEGY_DEVELOPING),
            "strategie_status in 1, 2",
        )),
        "basecomp_none" => single(share(
            ind,
            all,
            |r| comps(r).map(|c| c == 0),
            "0 base components",
        )),
        "basecomp_one_or_two" => single(share(
            ind,
            all,
            |r| comps(r).map(|c| (1..=2).contains(&c)),
            "1-2 base components",
        )),
        "basecomp_at_most_two" => single(share(
            ind,
            all,
            |r| comps(r).map(|c| c <= 2),
            "0-2 base components",
        )),
        "basecomp_mean" => {
            let counts: Vec<(f64, f64)> = (0..ind.rows)
                .filter_map(|r| Some((f64::from(ind.base_components[r]?), ind.weight(r))))
                .collect();
            let value = match &ind.weights {
                None => counts.iter().map(|c| c.0).sum::<f64>() / counts.len() as f64,
                Some(_) => {
                    let total: f64 = counts.iter().map(|c| c.1).sum();
                    counts.iter().map(|(c, w)| c * w).sum::<f64>() / total
                }
            };
            single(Part {
                label: "mean base components".into(),
                value,
                base: counts.len(),
            })
        }
        "community_none" => single(share(
            ind,
            all,
            |r| offers(r).map(|c| c == 0),
            "0 offerings supported",
        )),
        "community_exactly_one" => single(share(
            ind,
            all,
            |r| offers(r).map(|c| c == 1),
            "1 offering supported",
        )),
        "egov_good_with_strategy" => single(share(
            ind,
            good,
            status_is(STRATEGY_HAS),
            "strategy among e-gov good",
        )),
        "community_engaged_with_strategy" => single(share(
            ind,
            engaged,
            status_is(STRATEGY_HAS),
            "strategy among engaged",
        )),
        "egov_good_also_community_engaged" => single(share(
            ind,
            good,
            |r| ind.engaged(r),
            "engaged among e-gov good",
        )),
        "fim_known" => item_share(survey, ind, "fim_bekannt", &[1], all)?,
        "fim_helpful_among_known" => {
            let known = survey.codes("fim_bekannt")?;
            let mut parts = Vec::new();
            for name in ["fim_leistungen", "fim_datenfelder", "fim_prozesse"] {
                let values = survey.codes(name)?;
                parts.push(share(
                    ind,
                    |r| known.get(r) == Some(1),
                    |r| values.get(r).map(|v| v <= 2),
                    name,
                ));
            }
            Computed { parts, reading: "" }
        }
        "data_inventory_intensive" => {
            item_share(survey, ind, "daten_bestandsaufnahme", &[4, 5], all)?
        }
        "data_kpi_staffing" => item_share(survey, ind, "nutzung_kennzahlen_personal", &[1], all)?,
        "data_kpi_optimisation" => {
            item_share(survey, ind, "nutzung_kennzahlen_optimierung", &[1], all)?
        }
        "data_fully_automated" => item_share(survey, ind, "nutzung_automatisierung", &[1], all)?,
        "field_administration" => item_share(survey, ind, "feld_verwaltung", &[1], strat)?,
        "field_infrastructure" => item_share(survey, ind, "feld_infrastruktur", &[1], strat)?,
        "field_education_culture_science" => {
            item_share(survey, ind, "feld_bildung_kultur", &[1], strat)?
        }
        "field_mobility" => item_share(survey, ind, "feld_mobilitaet", &[1], strat)?,
        "field_economy" => item_share(survey, ind, "feld_wirtschaft", &[1], strat)?,
        "goal_attractiveness" => item_share(survey, ind, "top3_attraktivitaet", &[1], strat)?,
        "goal_public_services" => item_share(survey, ind, "top3_daseinsvorsorge", &[1], strat)?,
        "link_urban_development_concept" => {
            item_share(survey, ind, "anknuepfung_entwicklungskonzept", &[1], strat)?
        }
        "link_none" => item_share(survey, ind, "anknuepfung_keine", &[1], strat)?,
        "chefsache_any" => single(share(ind, all, |r| ind.chefsache[r], "Chefsache")),
        "admin_lead_mayor" => {
            item_share(survey, ind, "leitung_verwaltung_buergermeister", &[1], all)?
        }
        "admin_lead_cdo" => item_share(survey, ind, "leitung_verwaltung_cdo", &[1], all)?,
        "admin_lead_cio" => item_share(survey, ind, "leitung_verwaltung_cio", &[1], all)?,
        "admin_lead_cio_with_strategy" => {
            item_share(survey, ind, "leitung_verwaltung_cio", &[1], has)?
        }
        "admin_lead_cdo_with_strategy" => {
            item_share(survey, ind, "leitung_verwaltung_cdo", &[1], has)?
        }
        "community_lead_mayor" => item_share(
            survey,
            ind,
            "leitung_gemeinschaft_buergermeister",
            &[1],
            all,
        )?,
        "community_lead_cdo" => item_share(survey, ind, "leitung_gemeinschaft_cdo", &[1], all)?,
        "community_lead_cio" => item_share(survey, ind, "leitung_gemeinschaft_cio", &[1], all)?,
        "community_lead_cdo_with_strategy" => {
            item_share(survey, ind, "leitung_gemeinschaft_cdo", &[1], has)?
        }
        "community_lead_cdo_among_engaged" => {
            item_share(survey, ind, "leitung_gemeinschaft_cdo", &[1], engaged)?
        }
        "training_trends_among_developing" => {
            item_share(survey, ind, "fortbildung_trends", &[OFFERED], dev)?
        }
        "training_planned_among_developing" => {
            let planned = count_items(survey, &TRANSFORMATION_TOPICS, |v| v == PLANNED)?;
            single(share(
                ind,
                dev,
                |r| planned[r].map(|c| c > 0),
                "plans a transformation topic",
            ))
        }
        "fibre_engaged" => single(share(ind, all, |r| ind.fibre[r], "engaged in fibre")),
        "broadband_good_or_very_good" => single(share(
            ind,
            all,
            |r| ind.grade[r].map(|g| g <= 2),
            "grade 1-2",
        )),
        "broadband_satisfactory" => {
            single(share(ind, all, |r| ind.grade[r].map(|g| g == 3), "grade 3"))
        }
        _ => return Ok(None),
    };
    Ok(Some(Computed {
        reading: figure_reading(id),
        ..computed
    }))
}

/// How figure `id` is read: what is counted, among whom. Every base leaves out who did not answer
/// what the figure counts (and, for a base group, what defines the group).
pub fn figure_reading(id: &str) -> &'static str {
    readings(id).0
}

/// [`figure_reading`] in German.
pub fn figure_reading_de(id: &str) -> &'static str {
    readings(id).1
}

/// How figure `id` is read, in English and in German; empty where no computation is defined.
fn readings(id: &str) -> Words<'static> {
    match id {
        "strategy_has" => (
            "has a strategy (strategie_status 1), among all who answered the status question",
            "hat eine Strategie (strategie_status 1), unter allen, die die Statusfrage beantwortet haben",
        ),
        "strategy_developing" => (
            "develops one (strategie_status 2), among all who answered the status question",
            "entwickelt eine (strategie_status 2), unter allen, die die Statusfrage beantwortet haben",
        ),
        "strategy_has_or_developing" => (
            "has or develops one (strategie_status 1 or 2), among all who answered the status question",
            "hat oder entwickelt eine (strategie_status 1 oder 2), unter allen, die die Statusfrage beantwortet haben",
        ),
        "basecomp_none" => (
            "none of the nine base components in use, among all who answered all nine",
            "keine der neun Basiskomponenten im Einsatz, unter allen, die alle neun beantwortet haben",
        ),
        "basecomp_one_or_two" => (
            "one or two of the nine base components in use, among all who answered all nine",
            "eine oder zwei der neun Basiskomponenten im Einsatz, unter allen, die alle neun beantwortet haben",
        ),
        "basecomp_at_most_two" => (
            "at most two of the nine base components in use, among all who answered all nine",
            "höchstens zwei der neun Basiskomponenten im Einsatz, unter allen, die alle neun beantwortet haben",
        ),
        "basecomp_mean" => (
            "mean number of the nine base components in use, among all who answered all nine",
            "mittlere Zahl der eingesetzten Basiskomponenten (von neun), unter allen, die alle neun beantwortet haben",
        ),
        "community_none" => (
            "none of the eight community offerings supported (financially, logistically or otherwise; planned support is not support), among all who answered all eight",
            "keines der acht Gemeinschaftsangebote unterstützt (finanziell, logistisch oder anders; geplante Unterstützung zählt nicht), unter allen, die alle acht beantwortet haben",
        ),
        "community_exactly_one" => (
            "exactly one of the eight community offerings supported, among all who answered all eight",
            "genau eines der acht Gemeinschaftsangebote unterstützt, unter allen, die alle acht beantwortet haben",
        ),
        "egov_good_with_strategy" => (
            "has a strategy, among those with three or more base components in use who answered the status question",
            "hat eine Strategie, unter denen mit drei oder mehr Basiskomponenten im Einsatz, die die Statusfrage beantwortet haben",
        ),
        "community_engaged_with_strategy" => (
            "has a strategy, among those supporting two or more offerings who answered the status question",
            "hat eine Strategie, unter denen, die zwei oder mehr Angebote unterstützen und die Statusfrage beantwortet haben",
        ),
        "egov_good_also_community_engaged" => (
            "supports two or more offerings (all eight answered), among those with three or more base components in use",
            "unterstützt zwei oder mehr Angebote (alle acht beantwortet), unter denen mit drei oder mehr Basiskomponenten im Einsatz",
        ),
        "fim_known" => (
            "knows FIM, among all who answered",
            "kennt FIM, unter allen, die geantwortet haben",
        ),
        "fim_helpful_among_known" => (
            "each of services, data fields and processes rated very or rather helpful, among those who know FIM and rated it; 'not used / cannot judge' stays in the base as not rated helpful (the base is who knows FIM); each of the three must reproduce the figure",
            "Leistungen, Datenfelder und Prozesse jeweils als sehr oder eher hilfreich bewertet, unter denen, die FIM kennen und es bewertet haben; 'nicht genutzt / kann ich nicht beurteilen' bleibt als nicht hilfreich in der Basis (die Basis ist, wer FIM kennt); jedes der drei muss die Zahl treffen",
        ),
        "data_inventory_intensive" => (
            "data inventory to a large extent or intensively (4-5 of 5), among all who answered",
            "Datenbestandsaufnahme in großem Umfang oder intensiv (4-5 von 5), unter allen, die geantwortet haben",
        ),
        "data_kpi_staffing" => (
            "uses process KPIs for staffing, among all who answered",
            "nutzt Prozesskennzahlen für die Personalbemessung, unter allen, die geantwortet haben",
        ),
        "data_kpi_optimisation" => (
            "uses process KPIs to find optimisation potential, among all who answered",
            "nutzt Prozesskennzahlen, um Optimierungspotenzial zu finden, unter allen, die geantwortet haben",
        ),
        "data_fully_automated" => (
            "has fully automated processes, among all who answered",
            "hat vollständig automatisierte Prozesse, unter allen, die geantwortet haben",
        ),
        "field_administration" | "field_infrastructure" | "field_education_culture_science" | "field_mobility" | "field_economy" => (
            "named among the strategy's three most important fields of action, among those who have or develop a strategy and answered the fields question",
            "unter den drei wichtigsten Handlungsfeldern der Strategie genannt, unter denen, die eine Strategie haben oder entwickeln und die Frage nach den Handlungsfeldern beantwortet haben",
        ),
        "goal_attractiveness" | "goal_public_services" => (
            "named among the strategy's three most important goals, among those who have or develop a strategy and answered the goals question",
            "unter den drei wichtigsten Zielen der Strategie genannt, unter denen, die eine Strategie haben oder entwickeln und die Frage nach den Zielen beantwortet haben",
        ),
        "link_urban_development_concept" => (
            "the strategy links to an urban or district development concept, among those who have or develop a strategy and answered the links question",
            "die Strategie knüpft an ein Stadt- oder Kreisentwicklungskonzept an, unter denen, die eine Strategie haben oder entwickeln und die Frage nach den Anknüpfungen beantwortet haben",
        ),
        "link_none" => (
            "the strategy links to no other strategy or concept, among those who have or develop a strategy and answered the links question",
            "die Strategie knüpft an keine andere Strategie und kein anderes Konzept an, unter denen, die eine Strategie haben oder entwickeln und die Frage nach den Anknüpfungen beantwortet haben",
        ),
        "chefsache_any" => (
            "Chefsache: the mayor's office, a CDO or a CIO is co-responsible in the administration or in the community (either area), among all who answered both leadership questions (complete cases)",
            "Chefsache: Verwaltungsspitze, CDO oder CIO ist in der Verwaltung oder in der Gemeinschaft mitverantwortlich (einer der beiden Bereiche), unter allen, die beide Leitungsfragen beantwortet haben (vollständige Fälle)",
        ),
        "admin_lead_mayor" | "admin_lead_cdo" | "admin_lead_cio" => (
            "the role is co-responsible for the administration's digitalisation, among all who answered that question",
            "die Rolle ist für die Digitalisierung der Verwaltung mitverantwortlich, unter allen, die diese Frage beantwortet haben",
        ),
        "admin_lead_cio_with_strategy" | "admin_lead_cdo_with_strategy" => (
            "the role is co-responsible for the administration's digitalisation, among those with a strategy who answered that question",
            "die Rolle ist für die Digitalisierung der Verwaltung mitverantwortlich, unter denen mit Strategie, die diese Frage beantwortet haben",
        ),
        "community_lead_mayor" | "community_lead_cdo" | "community_lead_cio" => (
            "the role co-shapes the community's digitalisation, among all who answered that question",
            "die Rolle gestaltet die Digitalisierung der Gemeinschaft mit, unter allen, die diese Frage beantwortet haben",
        ),
        "community_lead_cdo_with_strategy" => (
            "a CDO co-shapes the community's digitalisation, among those with a strategy who answered that question",
            "ein CDO gestaltet die Digitalisierung der Gemeinschaft mit, unter denen mit Strategie, die diese Frage beantwortet haben",
        ),
        "community_lead_cdo_among_engaged" => (
            "a CDO co-shapes the community's digitalisation, among those supporting two or more offerings who answered that question",
            "ein CDO gestaltet die Digitalisierung der Gemeinschaft mit, unter denen, die zwei oder mehr Angebote unterstützen und diese Frage beantwortet haben",
        ),
        "training_trends_among_developing" => (
            "training on technological trends offered (the figure's topic; the sentence's other two topics are in Abb. 7), among those developing a strategy who answered it",
            "Schulung zu technologischen Trends angeboten (das Thema der Zahl; die beiden anderen Themen des Satzes stehen in Abb. 7), unter denen, die eine Strategie entwickeln und dies beantwortet haben",
        ),
        "training_planned_among_developing" => (
            "training planned on at least one of the three transformation topics (trends, digital work organisation, digital leadership), among those developing a strategy who answered all three",
            "Schulung zu mindestens einem der drei Transformationsthemen geplant (Trends, digitale Arbeitsorganisation, digitale Führung), unter denen, die eine Strategie entwickeln und alle drei beantwortet haben",
        ),
        "fibre_engaged" => (
            "engaged in at least one of the five forms of fibre roll-out, among all who answered all five",
            "in mindestens einer der fünf Formen des Glasfaserausbaus engagiert, unter allen, die alle fünf beantwortet haben",
        ),
        "broadband_good_or_very_good" => (
            "broadband graded very good or good (1-2), among all who graded it",
            "Breitband mit sehr gut oder gut bewertet (1-2), unter allen, die es bewertet haben",
        ),
        "broadband_satisfactory" => (
            "broadband graded satisfactory (3), among all who graded it",
            "Breitband mit befriedigend bewertet (3), unter allen, die es bewertet haben",
        ),
        _ => ("", ""),
    }
}

/// A text in English and in German (readings, and the findings' claims, tests and groups).
type Words<'a> = (&'a str, &'a str);

/// One group's value in a finding's comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub label: String,
    /// The label in German.
    pub label_de: String,
    pub value: f64,
    pub n: usize,
}

/// One checked claim of a finding.
#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    /// The claim as operationalised here.
    pub claim: String,
    /// The claim in German.
    pub claim_de: String,
    pub groups: Vec<Group>,
    /// The test used, e.g. "Cochran-Armitage trend, one-sided".
    pub test: String,
    /// The test in German.
    pub test_de: String,
    pub statistic: Option<f64>,
    pub p_value: Option<f64>,
    pub cramers_v: Option<f64>,
    /// Upper 95 % confidence bound for Cramér's V (claims of no association).
    pub v_upper: Option<f64>,
    /// Whether the group values are shares in percent (otherwise means).
    pub percent: bool,
    pub holds: bool,
    /// How clearly it holds (> 0) or fails (< 0), in z units for tests.
    pub margin: f64,
}

fn probit_upper(p: f64) -> f64 {
    let normal = Normal::new(0.0, 1.0).expect("standard normal");
    normal.inverse_cdf(1.0 - p.clamp(1e-12, 1.0 - 1e-12))
}

/// A directional claim decided by a one-sided p-value.
fn directional(
    (claim, claim_de): (String, String),
    groups: Vec<Group>,
    (test, test_de): Words,
    result: Option<crate::stats::Test>,
    percent: bool,
) -> Claim {
    let (statistic, p) = match result {
        Some(t) => (Some(t.statistic), Some(t.p_value)),
        None => (None, None),
    };
    let margin = p.map_or(-10.0, |p| probit_upper(p) - probit_upper(ALPHA));
    Claim {
        claim,
        claim_de,
        groups,
        test: test.to_string(),
        test_de: test_de.to_string(),
        statistic,
        p_value: p,
        cramers_v: None,
        v_upper: None,
        percent,
        holds: p.is_some_and(|p| p < ALPHA),
        margin,
    }
}

/// A claim of no association between two classifications of the rows.
fn no_association(
    (claim, claim_de): Words,
    ind: &Indicators,
    a: impl Fn(usize) -> Option<usize>,
    b: impl Fn(usize) -> Option<usize>,
    a_labels: &[Words],
    b_levels: usize,
) -> Claim {
    let mut table = vec![vec![0usize; b_levels]; a_labels.len()];
    for row in 0..ind.rows {
        if let (Some(i), Some(j)) = (a(row), b(row)) {
            table[i][j] += 1;
        }
    }
    let groups = table
        .iter()
        .zip(a_labels)
        .map(|(r, (label, label_de))| Group {
            label: label.to_string(),
            label_de: label_de.to_string(),
            value: f64::NAN,
            n: r.iter().sum(),
        })
        .collect();
    let result = association_below(&table, NO_ASSOCIATION_V, ALPHA);
    let p = result.map(|t| t.p_value);
    Claim {
        claim: claim.to_string(),
        claim_de: claim_de.to_string(),
        groups,
        test: format!(
            "chi-square with Cramér's V; no association holds if V is shown to be below {NO_ASSOCIATION_V}: upper 95 % confidence bound of V below {NO_ASSOCIATION_V}, i.e. equivalence test (noncentral chi-square) p < {ALPHA}"
        ),
        test_de: format!(
            "Chi-Quadrat mit Cramérs V; kein Zusammenhang gilt, wenn V nachweislich unter {v} liegt: obere 95-%-Konfidenzgrenze von V unter {v}, d. h. Äquivalenztest (nichtzentrales Chi-Quadrat) p < {alpha}",
            v = number(NO_ASSOCIATION_V, 1, Lang::De),
            alpha = number(ALPHA, 2, Lang::De)
        ),
        statistic: result.map(|t| t.independence.chi_square),
        p_value: p,
        cramers_v: result.map(|t| t.independence.cramers_v),
        v_upper: result.map(|t| t.v_upper),
        percent: true,
        holds: p.is_some_and(|p| p < ALPHA),
        margin: p.map_or(-10.0, |p| probit_upper(p) - probit_upper(ALPHA)),
    }
}

/// Shares of `hit` per size class (largest first) and the trend test across them.
fn size_trend(
    ind: &Indicators,
    (what, what_de): Words,
    hit: impl Fn(usize) -> Option<bool>,
) -> Claim {
    let mut groups = Vec::new();
    let mut counts = Vec::new();
    for class in 1..=7i64 {
        let part = share(ind, |r| ind.size_class[r] == Some(class), &hit, "");
        if part.base > 0 {
            let x = (part.value * part.base as f64 / 100.0).round() as usize;
            counts.push((x, part.base, (8 - class) as f64));
            groups.push(Group {
                label: format!("GK {class}"),
                label_de: format!("GK {class}"),
                value: part.value,
                n: part.base,
            });
        }
    }
    directional(
        (
            format!("{what} rises with size (KGSt size class 7 → 1)"),
            format!("{what_de} steigt mit der Größe (KGSt-Größenklasse 7 → 1)"),
        ),
        groups,
        (
            "Cochran-Armitage trend, one-sided",
            "Cochran-Armitage-Trendtest, einseitig",
        ),
        trend(&counts),
        true,
    )
}

/// A group of a comparison, labelled in both languages.
fn group((label, label_de): Words, value: f64, n: usize) -> Group {
    Group {
        label: label.into(),
        label_de: label_de.into(),
        value,
        n,
    }
}

/// "what: higher (mean) among a than among b", in both languages.
fn higher((what, what_de): Words, mean: &str, a: Words, b: Words) -> (String, String) {
    let mean_de = if mean.is_empty() { "" } else { "im Mittel " };
    (
        format!("{what}: higher {mean}among {} than among {}", a.0, b.0),
        format!("{what_de}: {mean_de}höher bei {} als bei {}", a.1, b.1),
    )
}

/// Compares the share of `hit` in two groups of rows.
fn compare_shares(
    ind: &Indicators,
    what: Words,
    (label1, in1): (Words, &dyn Fn(usize) -> bool),
    (label2, in2): (Words, &dyn Fn(usize) -> bool),
    hit: impl Fn(usize) -> Option<bool>,
) -> Claim {
    let p1 = share(ind, in1, &hit, label1.0);
    let p2 = share(ind, in2, &hit, label2.0);
    let x = |p: &Part| (p.value * p.base as f64 / 100.0).round() as usize;
    let test = two_proportions(x(&p1), p1.base, x(&p2), p2.base);
    directional(
        higher(what, "", label1, label2),
        vec![
            group(label1, p1.value, p1.base),
            group(label2, p2.value, p2.base),
        ],
        (
            "two proportions, one-sided z-test",
            "zwei Anteile, einseitiger z-Test",
        ),
        test,
        true,
    )
}

/// Compares the mean of `value` in two groups of rows.
fn compare_means(
    ind: &Indicators,
    what: Words,
    (label1, in1): (Words, &dyn Fn(usize) -> bool),
    (label2, in2): (Words, &dyn Fn(usize) -> bool),
    value: impl Fn(usize) -> Option<f64>,
) -> Claim {
    let collect = |f: &dyn Fn(usize) -> bool| -> Vec<f64> {
        (0..ind.rows).filter(|&r| f(r)).filter_map(&value).collect()
    };
    let (a, b) = (collect(in1), collect(in2));
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    directional(
        higher(what, "mean ", label1, label2),
        vec![
            group(label1, mean(&a), a.len()),
            group(label2, mean(&b), b.len()),
        ],
        ("Welch t-test, one-sided", "Welch-t-Test, einseitig"),
        welch(&a, &b),
        false,
    )
}

/// A ranking claim: `leaders` in this order, each ahead of the next and of every other item.
fn ranking(
    survey: &Survey,
    ind: &Indicators,
    (what, what_de): Words,
    leaders: &[&str],
    others: &[&str],
    base: impl Fn(usize) -> bool,
) -> Result<Claim, SurveyError> {
    let mut groups = Vec::new();
    for name in leaders.iter().chain(others) {
        let values = survey.codes(name)?;
        let p = share(ind, &base, |r| values.get(r).map(|v| v == 1), name);
        groups.push(group((name, name), p.value, p.base));
    }
    let best_other = groups[leaders.len()..]
        .iter()
        .map(|g| g.value)
        .fold(f64::NEG_INFINITY, f64::max);
    let mut gaps: Vec<f64> = groups[..leaders.len()]
        .windows(2)
        .map(|w| w[0].value - w[1].value)
        .collect();
    gaps.push(groups[leaders.len() - 1].value - best_other);
    let smallest = gaps.iter().copied().fold(f64::INFINITY, f64::min);
    groups.sort_by(|a, b| b.value.total_cmp(&a.value));
    Ok(Claim {
        claim: format!("{what}: {} lead in this order", leaders.join(" > ")),
        claim_de: format!(
            "{what_de}: {} vorn, in dieser Reihenfolge",
            leaders.join(" > ")
        ),
        groups,
        test: "ranking of shares (descriptive); smallest gap in points is the margin".into(),
        test_de:
            "Rangfolge der Anteile (beschreibend); der kleinste Abstand in Punkten ist die Marge"
                .into(),
        statistic: Some(smallest),
        p_value: None,
        cramers_v: None,
        v_upper: None,
        percent: true,
        holds: smallest > 0.0,
        margin: smallest / 3.0,
    })
}

/// Identifiers of the findings that have a computation here.
pub const FINDINGS: [&str; 13] = [
    "size_strategy",
    "size_egov",
    "size_community",
    "goal_ranking_top3",
    "strategy_links_ranking",
    "strategy_data_use",
    "egov_community_no_data_effect",
    "strategy_training",
    "chefsache_strategy",
    "fibre_independent_of_grade",
    "egov_independent_of_infrastructure",
    "community_better_infrastructure",
    "egov_operated_in_house",
];

/// Data use breadth in classes 0, 1, 2, 3, 4+ (for tests of association).
fn breadth_class(ind: &Indicators, r: usize) -> Option<usize> {
    ind.data_breadth[r].map(|b| (b as usize).min(4))
}

/// Checks finding `id`; `Ok(None)` when no computation is defined for that id.
pub fn check_finding(
    id: &str,
    survey: &Survey,
    ind: &Indicators,
) -> Result<Option<Vec<Claim>>, SurveyError> {
    let has = |r: usize| ind.has_strategy(r) == Some(true);
    let without = |r: usize| ind.without_strategy(r);
    let strat = |r: usize| ind.has_or_develops(r);
    let yes_no = |b: Option<bool>| b.map(|b| usize::from(!b));
    let claims = match id {
        "size_strategy" => vec![
            size_trend(ind, ("share with a strategy", "Anteil mit Strategie"), |r| ind.has_strategy(r)),
            {
                let mut c = size_trend(ind, ("share for whom a strategy is not (yet) a topic", "Anteil, für den eine Strategie (noch) kein Thema ist"), |r| {
                    ind.strategy[r].map(|s| s != 4)
                });
                c.claim = "share for whom a strategy is not (yet) a topic falls with size".into();
                c.claim_de =
                    "Anteil, für den eine Strategie (noch) kein Thema ist, sinkt mit der Größe".into();
                c.groups.iter_mut().for_each(|g| g.value = 100.0 - g.value);
                c
            },
        ],
        "size_egov" => vec![size_trend(ind, ("share good in e-government", "Anteil gut im E-Government"), |r| ind.egov_good(r))],
        "size_community" => vec![size_trend(ind, ("share engaged in the community", "Anteil in der Gemeinschaft engagiert"), |r| ind.engaged(r))],
        "goal_ranking_top3" => vec![ranking(
            survey,
            ind,
            ("goals named among the three most important (has or develops a strategy)", "unter den drei wichtigsten genannte Ziele (hat oder entwickelt eine Strategie)"),
            &["top3_effizienz", "top3_buergernaehe", "top3_leistungsangebot"],
            &[
                "top3_attraktivitaet",
                "top3_daseinsvorsorge",
                "top3_gemeinschaft",
                "top3_rechtliche_vorgaben",
                "top3_foerdermittel",
                "top3_it_sicherheit",
                "top3_zufriedenheit",
                "top3_offenheit",
            ],
            strat,
        )?],
        "strategy_links_ranking" => vec![ranking(
            survey,
            ind,
            ("concepts the strategy links to (has or develops a strategy)", "Konzepte, an die die Strategie anknüpft (hat oder entwickelt eine Strategie)"),
            &["anknuepfung_it_strategie", "anknuepfung_gesamtstrategie"],
            &["anknuepfung_entwicklungskonzept", "anknuepfung_bund_land", "anknuepfung_keine"],
            strat,
        )?],
        "strategy_data_use" => vec![compare_means(
            ind,
            ("data use breadth (instruments used at all + uses, 0-6; all six answered)", "Breite der Datennutzung (überhaupt genutzte Instrumente + Nutzungen, 0-6; alle sechs beantwortet)"),
            (("municipalities with a strategy", "Kommunen mit Strategie"), &has),
            (("municipalities without one (planned or not a topic)", "Kommunen ohne (geplant oder kein Thema)"), &without),
            |r| ind.data_breadth[r].map(f64::from),
        )],
        "egov_community_no_data_effect" => vec![
            no_association(
                ("data use breadth (0, 1, 2, 3, 4+) is not associated with being good in e-government", "die Breite der Datennutzung (0, 1, 2, 3, 4+) hängt nicht damit zusammen, gut im E-Government zu sein"),
                ind,
                |r| yes_no(ind.egov_good(r)),
                |r| breadth_class(ind, r),
                &[("good in e-government", "gut im E-Government"), ("not good", "nicht gut")],
                5,
            ),
            no_association(
                ("data use breadth (0, 1, 2, 3, 4+) is not associated with community engagement", "die Breite der Datennutzung (0, 1, 2, 3, 4+) hängt nicht mit dem Engagement in der Gemeinschaft zusammen"),
                ind,
                |r| yes_no(ind.engaged(r)),
                |r| breadth_class(ind, r),
                &[("engaged", "engagiert"), ("not engaged", "nicht engagiert")],
                5,
            ),
        ],
        "strategy_training" => vec![compare_means(
            ind,
            ("number of staff training topics offered (0-5, all five answered)", "Zahl der angebotenen Schulungsthemen (0-5, alle fünf beantwortet)"),
            (("municipalities with a strategy", "Kommunen mit Strategie"), &has),
            (("municipalities without one (planned or not a topic)", "Kommunen ohne (geplant oder kein Thema)"), &without),
            |r| ind.topics_offered[r].map(f64::from),
        )],
        "chefsache_strategy" => vec![compare_shares(
            ind,
            ("Chefsache (mayor's office, CDO or CIO co-responsible in either area; both leadership questions answered)", "Chefsache (Verwaltungsspitze, CDO oder CIO in einem der beiden Bereiche mitverantwortlich; beide Leitungsfragen beantwortet)"),
            (("municipalities with a strategy", "Kommunen mit Strategie"), &has),
            (("municipalities without one (planned or not a topic)", "Kommunen ohne (geplant oder kein Thema)"), &without),
            |r| ind.chefsache[r],
        )],
        "fibre_independent_of_grade" => vec![no_association(
            ("fibre engagement is not associated with the broadband grade", "das Glasfaser-Engagement hängt nicht mit der Breitband-Note zusammen"),
            ind,
            |r| yes_no(ind.fibre[r]),
            |r| ind.grade[r].map(|g| (g as usize).clamp(1, 6) - 1),
            &[("engaged in fibre", "im Glasfaserausbau engagiert"), ("not engaged", "nicht engagiert")],
            6,
        )],
        "egov_independent_of_infrastructure" => vec![
            no_association(
                ("being good in e-government is not associated with the broadband grade", "gut im E-Government zu sein hängt nicht mit der Breitband-Note zusammen"),
                ind,
                |r| yes_no(ind.egov_good(r)),
                |r| ind.grade[r].map(|g| (g as usize).clamp(1, 6) - 1),
                &[("good in e-government", "gut im E-Government"), ("not good", "nicht gut")],
                6,
            ),
            no_association(
                ("being good in e-government is not associated with fibre engagement", "gut im E-Government zu sein hängt nicht mit dem Glasfaser-Engagement zusammen"),
                ind,
                |r| yes_no(ind.egov_good(r)),
                |r| yes_no(ind.fibre[r]),
                &[("good in e-government", "gut im E-Government"), ("not good", "nicht gut")],
                2,
            ),
        ],
        "community_better_infrastructure" => vec![compare_shares(
            ind,
            ("broadband graded good or very good", "Breitband mit gut oder sehr gut bewertet"),
            (("municipalities engaged in the community", "in der Gemeinschaft engagierte Kommunen"), &|r| ind.engaged(r) == Some(true)),
            (("the others", "die übrigen"), &|r| ind.engaged(r) == Some(false)),
            |r| ind.grade[r].map(|g| g <= 2),
        )],
        "egov_operated_in_house" => operated_in_house(survey, ind)?,
        _ => return Ok(None),
    };
    Ok(Some(claims))
}

/// Components in use: operated in the municipal family more often by those good in e-government;
/// state solutions rare. The municipality is the unit of the test: each municipality's share of
/// its components in use that are operated in-house or by a municipal provider, compared by mean
/// (components of one municipality are not independent of each other).
fn operated_in_house(survey: &Survey, ind: &Indicators) -> Result<Vec<Claim>, SurveyError> {
    let columns = BASE_COMPONENTS
        .iter()
        .map(|n| survey.codes(n))
        .collect::<Result<Vec<_>, _>>()?;
    let (mut good, mut other) = (Vec::new(), Vec::new());
    let (mut state, mut used) = (0usize, 0usize);
    for row in 0..ind.rows {
        // `egov_good` is known only when all nine components are answered
        let Some(is_good) = ind.egov_good(row) else {
            continue;
        };
        let operators: Vec<i64> = columns
            .iter()
            .filter_map(|c| c.get(row).filter(|v| IN_USE.contains(v)))
            .collect();
        if operators.is_empty() {
            continue;
        }
        let in_house = operators.iter().filter(|v| IN_HOUSE.contains(v)).count();
        let share = 100.0 * in_house as f64 / operators.len() as f64;
        if is_good { &mut good } else { &mut other }.push(share);
        used += operators.len();
        state += operators.iter().filter(|&&v| v == STATE_SOLUTION).count();
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let in_house = directional(
        (
            "mean share of a municipality's components in use that are operated in-house or by a municipal provider: higher among municipalities good in e-government (3+ components) than among the others with at least one in use".into(),
            "mittlerer Anteil der eingesetzten Komponenten einer Kommune, die sie selbst oder ein kommunaler Dienstleister betreibt: höher bei Kommunen, die gut im E-Government sind (3+ Komponenten), als bei den übrigen mit mindestens einer im Einsatz".into(),
        ),
        vec![
            group(("good in e-government", "gut im E-Government"), mean(&good), good.len()),
            group(
                ("the others with a component in use", "die übrigen mit einer Komponente im Einsatz"),
                mean(&other),
                other.len(),
            ),
        ],
        (
            "Welch t-test on the municipalities' in-house shares, one-sided",
            "Welch-t-Test auf die Eigenbetriebsanteile der Kommunen, einseitig",
        ),
        welch(&good, &other),
        true,
    );
    const RARE: f64 = 10.0;
    let state_share = if used == 0 {
        f64::NAN
    } else {
        100.0 * state as f64 / used as f64
    };
    let rare = Claim {
        claim: format!("state (Land) solutions are rare: under {RARE} % of all components in use (all nine answered)"),
        claim_de: format!("Landeslösungen sind selten: unter {RARE} % aller eingesetzten Komponenten (alle neun beantwortet)"),
        groups: vec![group(
            ("state solutions (components)", "Landeslösungen (Komponenten)"),
            state_share,
            used,
        )],
        test: format!("descriptive bound: share < {RARE} %"),
        test_de: format!("beschreibende Schranke: Anteil < {RARE} %"),
        statistic: None,
        p_value: None,
        cramers_v: None,
        v_upper: None,
        percent: true,
        holds: state_share < RARE,
        margin: (RARE - state_share) / 3.0,
    };
    Ok(vec![in_house, rare])
}
