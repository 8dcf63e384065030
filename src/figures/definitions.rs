//! How each published figure and finding is computed from a survey: the base it names, the
//! answers it counts, and for findings the comparison and test that decide whether it holds.
//! Nothing here knows the published values; `check` compares.

use statrs::distribution::{ContinuousCDF, Normal};

use super::indicators::*;
use crate::stats::{independence, trend, two_proportions, welch};
use crate::survey::{Survey, SurveyError};

/// Significance level of the directional findings (one-sided tests).
pub const ALPHA: f64 = 0.05;
/// Cramér's V below this is a negligible association.
pub const NEGLIGIBLE_V: f64 = 0.1;

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
}

fn single(part: Part) -> Computed {
    Computed { parts: vec![part] }
}

/// Share (in percent) of `hit` among the rows in `base` where `hit` is known.
fn share(
    ind: &Indicators,
    base: impl Fn(usize) -> bool,
    hit: impl Fn(usize) -> Option<bool>,
    label: &str,
) -> Part {
    let (mut x, mut n) = (0usize, 0usize);
    for row in (0..ind.rows).filter(|&r| base(r)) {
        if let Some(h) = hit(row) {
            n += 1;
            x += usize::from(h);
        }
    }
    Part {
        label: label.to_string(),
        value: if n == 0 {
            f64::NAN
        } else {
            100.0 * x as f64 / n as f64
        },
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
        |r| values[r].map(|v| codes.contains(&v)),
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
            let counts: Vec<f64> = ind
                .base_components
                .iter()
                .flatten()
                .map(|&c| f64::from(c))
                .collect();
            single(Part {
                label: "mean base components".into(),
                value: counts.iter().sum::<f64>() / counts.len() as f64,
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
                    |r| known[r] == Some(1),
                    |r| values[r].map(|v| v <= 2),
                    name,
                ));
            }
            Computed { parts }
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
    Ok(Some(computed))
}

/// One group's value in a finding's comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub label: String,
    pub value: f64,
    pub n: usize,
}

/// One checked claim of a finding.
#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    /// The claim as operationalised here.
    pub claim: String,
    pub groups: Vec<Group>,
    /// The test used, e.g. "Cochran-Armitage trend, one-sided".
    pub test: String,
    pub statistic: Option<f64>,
    pub p_value: Option<f64>,
    pub cramers_v: Option<f64>,
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
    claim: String,
    groups: Vec<Group>,
    test: &str,
    result: Option<crate::stats::Test>,
) -> Claim {
    let (statistic, p) = match result {
        Some(t) => (Some(t.statistic), Some(t.p_value)),
        None => (None, None),
    };
    let margin = p.map_or(-10.0, |p| probit_upper(p) - probit_upper(ALPHA));
    Claim {
        claim,
        groups,
        test: test.to_string(),
        statistic,
        p_value: p,
        cramers_v: None,
        holds: p.is_some_and(|p| p < ALPHA),
        margin,
    }
}

/// A claim of no association between two classifications of the rows.
fn no_association(
    claim: String,
    ind: &Indicators,
    a: impl Fn(usize) -> Option<usize>,
    b: impl Fn(usize) -> Option<usize>,
    a_labels: &[&str],
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
        .map(|(r, label)| Group {
            label: label.to_string(),
            value: f64::NAN,
            n: r.iter().sum(),
        })
        .collect();
    let result = independence(&table);
    let (p, v) = result.map_or((None, None), |t| (Some(t.p_value), Some(t.cramers_v)));
    let holds = result.is_some_and(|t| t.p_value >= ALPHA || t.cramers_v < NEGLIGIBLE_V);
    let margin = result.map_or(-10.0, |t| {
        let by_p = probit_upper(ALPHA) - probit_upper(t.p_value);
        let by_v = (NEGLIGIBLE_V - t.cramers_v) * 20.0;
        by_p.max(by_v)
    });
    Claim {
        claim,
        groups,
        test: format!(
            "chi-square test of independence; holds if p >= {ALPHA} or Cramér's V < {NEGLIGIBLE_V}"
        ),
        statistic: result.map(|t| t.chi_square),
        p_value: p,
        cramers_v: v,
        holds,
        margin,
    }
}

/// Shares of `hit` per size class (largest first) and the trend test across them.
fn size_trend(ind: &Indicators, what: &str, hit: impl Fn(usize) -> Option<bool>) -> Claim {
    let mut groups = Vec::new();
    let mut counts = Vec::new();
    for class in 1..=7i64 {
        let part = share(ind, |r| ind.size_class[r] == Some(class), &hit, "");
        if part.base > 0 {
            let x = (part.value * part.base as f64 / 100.0).round() as usize;
            counts.push((x, part.base, (8 - class) as f64));
            groups.push(Group {
                label: format!("GK {class}"),
                value: part.value,
                n: part.base,
            });
        }
    }
    directional(
        format!("{what} rises with size (KGSt size class 7 → 1)"),
        groups,
        "Cochran-Armitage trend, one-sided",
        trend(&counts),
    )
}

/// Compares the share of `hit` in two groups of rows.
fn compare_shares(
    ind: &Indicators,
    what: &str,
    (label1, in1): (&str, &dyn Fn(usize) -> bool),
    (label2, in2): (&str, &dyn Fn(usize) -> bool),
    hit: impl Fn(usize) -> Option<bool>,
) -> Claim {
    let p1 = share(ind, in1, &hit, label1);
    let p2 = share(ind, in2, &hit, label2);
    let x = |p: &Part| (p.value * p.base as f64 / 100.0).round() as usize;
    let test = two_proportions(x(&p1), p1.base, x(&p2), p2.base);
    directional(
        format!("{what}: higher among {label1} than among {label2}"),
        vec![
            Group {
                label: label1.into(),
                value: p1.value,
                n: p1.base,
            },
            Group {
                label: label2.into(),
                value: p2.value,
                n: p2.base,
            },
        ],
        "two proportions, one-sided z-test",
        test,
    )
}

/// Compares the mean of `value` in two groups of rows.
fn compare_means(
    ind: &Indicators,
    what: &str,
    (label1, in1): (&str, &dyn Fn(usize) -> bool),
    (label2, in2): (&str, &dyn Fn(usize) -> bool),
    value: impl Fn(usize) -> Option<f64>,
) -> Claim {
    let collect = |f: &dyn Fn(usize) -> bool| -> Vec<f64> {
        (0..ind.rows).filter(|&r| f(r)).filter_map(&value).collect()
    };
    let (a, b) = (collect(in1), collect(in2));
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    directional(
        format!("{what}: higher mean among {label1} than among {label2}"),
        vec![
            Group {
                label: label1.into(),
                value: mean(&a),
                n: a.len(),
            },
            Group {
                label: label2.into(),
                value: mean(&b),
                n: b.len(),
            },
        ],
        "Welch t-test, one-sided",
        welch(&a, &b),
    )
}

/// A ranking claim: `leaders` in this order, each ahead of the next and of every other item.
fn ranking(
    survey: &Survey,
    ind: &Indicators,
    what: &str,
    leaders: &[&str],
    others: &[&str],
    base: impl Fn(usize) -> bool,
) -> Result<Claim, SurveyError> {
    let mut groups = Vec::new();
    for name in leaders.iter().chain(others) {
        let values = survey.codes(name)?;
        let p = share(ind, &base, |r| values[r].map(|v| v == 1), name);
        groups.push(Group {
            label: name.to_string(),
            value: p.value,
            n: p.base,
        });
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
        groups,
        test: "ranking of shares (descriptive); smallest gap in points is the margin".into(),
        statistic: Some(smallest),
        p_value: None,
        cramers_v: None,
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
    let not_has = |r: usize| ind.has_strategy(r) == Some(false);
    let without = |r: usize| ind.without_strategy(r);
    let strat = |r: usize| ind.has_or_develops(r);
    let yes_no = |b: Option<bool>| b.map(|b| usize::from(!b));
    let claims = match id {
        "size_strategy" => vec![
            size_trend(ind, "share with a strategy", |r| ind.has_strategy(r)),
            {
                let mut c = size_trend(ind, "share for whom a strategy is not (yet) a topic", |r| {
                    ind.strategy[r].map(|s| s != 4)
                });
                c.claim = "share for whom a strategy is not (yet) a topic falls with size".into();
                c.groups.iter_mut().for_each(|g| g.value = 100.0 - g.value);
                c
            },
        ],
        "size_egov" => vec![size_trend(ind, "share good in e-government", |r| ind.egov_good(r))],
        "size_community" => vec![size_trend(ind, "share engaged in the community", |r| ind.engaged(r))],
        "goal_ranking_top3" => vec![ranking(
            survey,
            ind,
            "goals named among the three most important (has or develops a strategy)",
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
            "concepts the strategy links to (has or develops a strategy)",
            &["anknuepfung_it_strategie", "anknuepfung_gesamtstrategie"],
            &["anknuepfung_entwicklungskonzept", "anknuepfung_bund_land", "anknuepfung_keine"],
            strat,
        )?],
        "strategy_data_use" => vec![compare_means(
            ind,
            "data use breadth (instruments used + uses, 0-6)",
            ("municipalities with a strategy", &has),
            ("municipalities without one (planned or not a topic)", &without),
            |r| ind.data_breadth[r].map(f64::from),
        )],
        "egov_community_no_data_effect" => vec![
            no_association(
                "data use breadth (0, 1, 2, 3, 4+) is not associated with being good in e-government".into(),
                ind,
                |r| yes_no(ind.egov_good(r)),
                |r| breadth_class(ind, r),
                &["good in e-government", "not good"],
                5,
            ),
            no_association(
                "data use breadth (0, 1, 2, 3, 4+) is not associated with community engagement".into(),
                ind,
                |r| yes_no(ind.engaged(r)),
                |r| breadth_class(ind, r),
                &["engaged", "not engaged"],
                5,
            ),
        ],
        "strategy_training" => vec![compare_means(
            ind,
            "number of staff training topics offered (0-5)",
            ("municipalities with a strategy", &has),
            ("all others", &not_has),
            |r| ind.topics_offered[r].map(f64::from),
        )],
        "chefsache_strategy" => vec![compare_shares(
            ind,
            "digitalisation is Chefsache",
            ("municipalities with a strategy", &has),
            ("municipalities without one (planned or not a topic)", &without),
            |r| ind.chefsache[r],
        )],
        "fibre_independent_of_grade" => vec![no_association(
            "fibre engagement is not associated with the broadband grade".into(),
            ind,
            |r| yes_no(ind.fibre[r]),
            |r| ind.grade[r].map(|g| (g as usize).clamp(1, 6) - 1),
            &["engaged in fibre", "not engaged"],
            6,
        )],
        "egov_independent_of_infrastructure" => vec![
            no_association(
                "being good in e-government is not associated with the broadband grade".into(),
                ind,
                |r| yes_no(ind.egov_good(r)),
                |r| ind.grade[r].map(|g| (g as usize).clamp(1, 6) - 1),
                &["good in e-government", "not good"],
                6,
            ),
            no_association(
                "being good in e-government is not associated with fibre engagement".into(),
                ind,
                |r| yes_no(ind.egov_good(r)),
                |r| yes_no(ind.fibre[r]),
                &["good in e-government", "not good"],
                2,
            ),
        ],
        "community_better_infrastructure" => vec![compare_shares(
            ind,
            "broadband graded good or very good",
            ("municipalities engaged in the community", &|r| ind.engaged(r) == Some(true)),
            ("the others", &|r| ind.engaged(r) == Some(false)),
            |r| ind.grade[r].map(|g| g <= 2),
        )],
        "egov_operated_in_house" => operated_in_house(survey, ind)?,
        _ => return Ok(None),
    };
    Ok(Some(claims))
}

/// Components in use: operated in the municipal family more often by those good in e-government;
/// state solutions rare.
fn operated_in_house(survey: &Survey, ind: &Indicators) -> Result<Vec<Claim>, SurveyError> {
    let columns = BASE_COMPONENTS
        .iter()
        .map(|n| survey.codes(n))
        .collect::<Result<Vec<_>, _>>()?;
    // (in-house, in use) for good and other municipalities; state solutions overall
    let (mut good, mut other, mut state, mut used) = ((0, 0), (0, 0), 0, 0);
    for row in 0..ind.rows {
        let Some(is_good) = ind.egov_good(row) else {
            continue;
        };
        for c in &columns {
            let Some(op) = c[row].filter(|v| IN_USE.contains(v)) else {
                continue;
            };
            let tally = if is_good { &mut good } else { &mut other };
            tally.1 += 1;
            tally.0 += usize::from(IN_HOUSE.contains(&op));
            used += 1;
            state += usize::from(op == STATE_SOLUTION);
        }
    }
    let pct = |x: usize, n: usize| {
        if n == 0 {
            f64::NAN
        } else {
            100.0 * x as f64 / n as f64
        }
    };
    let in_house = directional(
        "share of components in use that are operated in-house or by a municipal provider: higher among municipalities good in e-government".into(),
        vec![
            Group { label: "good in e-government (components)".into(), value: pct(good.0, good.1), n: good.1 },
            Group { label: "the others (components)".into(), value: pct(other.0, other.1), n: other.1 },
        ],
        "two proportions over components in use, one-sided z-test",
        two_proportions(good.0, good.1, other.0, other.1),
    );
    const RARE: f64 = 10.0;
    let state_share = pct(state, used);
    let rare = Claim {
        claim: format!("state (Land) solutions are rare: under {RARE} % of components in use"),
        groups: vec![Group {
            label: "state solutions (components)".into(),
            value: state_share,
            n: used,
        }],
        test: format!("descriptive bound: share < {RARE} %"),
        statistic: None,
        p_value: None,
        cramers_v: None,
        holds: state_share < RARE,
        margin: (RARE - state_share) / 3.0,
    };
    Ok(vec![in_house, rare])
}
