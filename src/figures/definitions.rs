//! How each published figure and finding is computed from a survey: the base it names, the
//! answers it counts, and for findings the comparison and test that decide whether it holds.
//! Nothing here knows the published values; `check` compares. A claim is typed (what it says,
//! its groups, its test: [`Statement`], [`GroupLabel`], [`Test`]); how figures are read and
//! claims are worded is `show::views::figures::readings`.

use statrs::distribution::{ContinuousCDF, Normal};

use super::indicators::*;
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
}

fn single(part: Part) -> Computed {
    Computed { parts: vec![part] }
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
        _ => return item_figure(id, survey, ind),
    };
    Ok(Some(computed))
}

/// The figures that count one item's answers (or FIM's three), as [`compute_figure`] does.
fn item_figure(
    id: &str,
    survey: &Survey,
    ind: &Indicators,
) -> Result<Option<Computed>, SurveyError> {
    let has = |r: usize| ind.has_strategy(r) == Some(true);
    let strat = |r: usize| ind.has_or_develops(r);
    let dev = |r: usize| ind.develops(r);
    let engaged = |r: usize| ind.engaged(r) == Some(true);
    let computed = match id {
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
        "chefsache_any" => single(share(ind, all, |r| ind.led_from_top[r], "Chefsache")),
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
        _ => return Ok(None),
    };
    Ok(Some(computed))
}

/// What a claim is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    StrategyShare,
    NotATopicShare,
    EgovGoodShare,
    EngagedShare,
    GoalsTop3,
    StrategyLinks,
    DataBreadth,
    TrainingTopics,
    LedFromTop,
    BroadbandGood,
    /// Data use breadth and being good in e-government (no association).
    BreadthAndEgov,
    /// Data use breadth and community engagement (no association).
    BreadthAndEngagement,
    /// Fibre engagement and the broadband grade (no association).
    FibreAndGrade,
    /// Being good in e-government and the broadband grade (no association).
    EgovAndGrade,
    /// Being good in e-government and fibre engagement (no association).
    EgovAndFibre,
}

/// A group of a finding's comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GroupLabel {
    /// A KGSt size class.
    SizeClass(i64),
    /// A survey variable (a ranking's item), by name.
    Variable(String),
    WithStrategy,
    WithoutStrategy,
    GoodInEgov,
    NotGood,
    Engaged,
    NotEngaged,
    EngagedInFibre,
    EngagedInCommunity,
    TheOthers,
    OthersWithComponent,
    StateSolutions,
}

/// What a claim says, as operationalised here.
#[derive(Debug, Clone, PartialEq)]
pub enum Statement {
    /// The subject rises with size (KGSt size class 7 → 1).
    RisesWithSize(Subject),
    /// The subject falls with size.
    FallsWithSize(Subject),
    /// The subject is higher (its mean, when `mean`) in the first group than in the second.
    Higher { what: Subject, mean: bool },
    /// `leaders` lead the subject in this order.
    Leads { what: Subject, leaders: Vec<String> },
    /// The two classifications the subject names are not associated.
    NoAssociation(Subject),
    /// Components operated in-house or by a municipal provider: a higher mean share among those
    /// good in e-government.
    InHouseHigher,
    /// State solutions are under `bound` % of the components in use.
    StateSolutionsRare { bound: f64 },
}

/// The test that decides a claim.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Test {
    /// Cochran-Armitage trend, one-sided.
    Trend,
    /// Two proportions, one-sided z-test.
    TwoProportions,
    /// Welch's t-test, one-sided.
    Welch,
    /// Welch's t-test on the municipalities' in-house shares, one-sided.
    WelchInHouse,
    /// Chi-square with Cramér's V; an equivalence test that V is below `v` at level `alpha`.
    NoAssociation { v: f64, alpha: f64 },
    /// The ranking of shares (descriptive); the smallest gap is the margin.
    Ranking,
    /// A descriptive bound: share below `bound` %.
    Bound { bound: f64 },
}

/// One group's value in a finding's comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub label: GroupLabel,
    pub value: f64,
    pub n: usize,
}

/// One checked claim of a finding.
#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    /// The claim as operationalised here.
    pub statement: Statement,
    pub groups: Vec<Group>,
    /// The test used.
    pub test: Test,
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
    statement: Statement,
    groups: Vec<Group>,
    test: Test,
    result: Option<crate::stats::Test>,
    percent: bool,
) -> Claim {
    let (statistic, p) = match result {
        Some(t) => (Some(t.statistic), Some(t.p_value)),
        None => (None, None),
    };
    let margin = p.map_or(-10.0, |p| probit_upper(p) - probit_upper(ALPHA));
    Claim {
        statement,
        groups,
        test,
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
    what: Subject,
    ind: &Indicators,
    a: impl Fn(usize) -> Option<usize>,
    b: impl Fn(usize) -> Option<usize>,
    a_labels: &[GroupLabel],
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
            label: label.clone(),
            value: f64::NAN,
            n: r.iter().sum(),
        })
        .collect();
    let result = association_below(&table, NO_ASSOCIATION_V, ALPHA);
    let p = result.map(|t| t.p_value);
    Claim {
        statement: Statement::NoAssociation(what),
        groups,
        test: Test::NoAssociation {
            v: NO_ASSOCIATION_V,
            alpha: ALPHA,
        },
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
fn size_trend(ind: &Indicators, what: Subject, hit: impl Fn(usize) -> Option<bool>) -> Claim {
    let mut groups = Vec::new();
    let mut counts = Vec::new();
    for class in 1..=7i64 {
        let part = share(ind, |r| ind.size_class[r] == Some(class), &hit, "");
        if part.base > 0 {
            let x = (part.value * part.base as f64 / 100.0).round() as usize;
            counts.push((x, part.base, (8 - class) as f64));
            groups.push(group(GroupLabel::SizeClass(class), part.value, part.base));
        }
    }
    directional(
        Statement::RisesWithSize(what),
        groups,
        Test::Trend,
        trend(&counts),
        true,
    )
}

fn group(label: GroupLabel, value: f64, n: usize) -> Group {
    Group { label, value, n }
}

/// Compares the share of `hit` in two groups of rows.
fn compare_shares(
    ind: &Indicators,
    what: Subject,
    (label1, in1): (GroupLabel, &dyn Fn(usize) -> bool),
    (label2, in2): (GroupLabel, &dyn Fn(usize) -> bool),
    hit: impl Fn(usize) -> Option<bool>,
) -> Claim {
    let p1 = share(ind, in1, &hit, "");
    let p2 = share(ind, in2, &hit, "");
    let x = |p: &Part| (p.value * p.base as f64 / 100.0).round() as usize;
    let test = two_proportions(x(&p1), p1.base, x(&p2), p2.base);
    directional(
        Statement::Higher { what, mean: false },
        vec![
            group(label1, p1.value, p1.base),
            group(label2, p2.value, p2.base),
        ],
        Test::TwoProportions,
        test,
        true,
    )
}

/// Compares the mean of `value` in two groups of rows.
fn compare_means(
    ind: &Indicators,
    what: Subject,
    (label1, in1): (GroupLabel, &dyn Fn(usize) -> bool),
    (label2, in2): (GroupLabel, &dyn Fn(usize) -> bool),
    value: impl Fn(usize) -> Option<f64>,
) -> Claim {
    let collect = |f: &dyn Fn(usize) -> bool| -> Vec<f64> {
        (0..ind.rows).filter(|&r| f(r)).filter_map(&value).collect()
    };
    let (a, b) = (collect(in1), collect(in2));
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    directional(
        Statement::Higher { what, mean: true },
        vec![
            group(label1, mean(&a), a.len()),
            group(label2, mean(&b), b.len()),
        ],
        Test::Welch,
        welch(&a, &b),
        false,
    )
}

/// A ranking claim: `leaders` in this order, each ahead of the next and of every other item.
fn ranking(
    survey: &Survey,
    ind: &Indicators,
    what: Subject,
    leaders: &[&str],
    others: &[&str],
    base: impl Fn(usize) -> bool,
) -> Result<Claim, SurveyError> {
    let mut groups = Vec::new();
    for name in leaders.iter().chain(others) {
        let values = survey.codes(name)?;
        let p = share(ind, &base, |r| values.get(r).map(|v| v == 1), name);
        groups.push(group(
            GroupLabel::Variable(name.to_string()),
            p.value,
            p.base,
        ));
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
        statement: Statement::Leads {
            what,
            leaders: leaders.iter().map(|l| l.to_string()).collect(),
        },
        groups,
        test: Test::Ranking,
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
    let with = |l: GroupLabel| (l, &has as &dyn Fn(usize) -> bool);
    let no_strategy = || {
        (
            GroupLabel::WithoutStrategy,
            &without as &dyn Fn(usize) -> bool,
        )
    };
    let claims = match id {
        "size_strategy" => vec![
            size_trend(ind, Subject::StrategyShare, |r| ind.has_strategy(r)),
            {
                let mut c = size_trend(ind, Subject::NotATopicShare, |r| {
                    ind.strategy[r].map(|s| s != 4)
                });
                c.statement = Statement::FallsWithSize(Subject::NotATopicShare);
                c.groups.iter_mut().for_each(|g| g.value = 100.0 - g.value);
                c
            },
        ],
        "size_egov" => vec![size_trend(ind, Subject::EgovGoodShare, |r| {
            ind.egov_good(r)
        })],
        "size_community" => vec![size_trend(ind, Subject::EngagedShare, |r| ind.engaged(r))],
        "goal_ranking_top3" => vec![ranking(
            survey,
            ind,
            Subject::GoalsTop3,
            &[
                "top3_effizienz",
                "top3_buergernaehe",
                "top3_leistungsangebot",
            ],
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
            Subject::StrategyLinks,
            &["anknuepfung_it_strategie", "anknuepfung_gesamtstrategie"],
            &[
                "anknuepfung_entwicklungskonzept",
                "anknuepfung_bund_land",
                "anknuepfung_keine",
            ],
            strat,
        )?],
        "strategy_data_use" => vec![compare_means(
            ind,
            Subject::DataBreadth,
            with(GroupLabel::WithStrategy),
            no_strategy(),
            |r| ind.data_breadth[r].map(f64::from),
        )],
        "egov_community_no_data_effect" => vec![
            no_association(
                Subject::BreadthAndEgov,
                ind,
                |r| yes_no(ind.egov_good(r)),
                |r| breadth_class(ind, r),
                &[GroupLabel::GoodInEgov, GroupLabel::NotGood],
                5,
            ),
            no_association(
                Subject::BreadthAndEngagement,
                ind,
                |r| yes_no(ind.engaged(r)),
                |r| breadth_class(ind, r),
                &[GroupLabel::Engaged, GroupLabel::NotEngaged],
                5,
            ),
        ],
        "strategy_training" => vec![compare_means(
            ind,
            Subject::TrainingTopics,
            with(GroupLabel::WithStrategy),
            no_strategy(),
            |r| ind.topics_offered[r].map(f64::from),
        )],
        "chefsache_strategy" => vec![compare_shares(
            ind,
            Subject::LedFromTop,
            with(GroupLabel::WithStrategy),
            no_strategy(),
            |r| ind.led_from_top[r],
        )],
        "fibre_independent_of_grade" => vec![no_association(
            Subject::FibreAndGrade,
            ind,
            |r| yes_no(ind.fibre[r]),
            |r| ind.grade[r].map(|g| (g as usize).clamp(1, 6) - 1),
            &[GroupLabel::EngagedInFibre, GroupLabel::NotEngaged],
            6,
        )],
        "egov_independent_of_infrastructure" => vec![
            no_association(
                Subject::EgovAndGrade,
                ind,
                |r| yes_no(ind.egov_good(r)),
                |r| ind.grade[r].map(|g| (g as usize).clamp(1, 6) - 1),
                &[GroupLabel::GoodInEgov, GroupLabel::NotGood],
                6,
            ),
            no_association(
                Subject::EgovAndFibre,
                ind,
                |r| yes_no(ind.egov_good(r)),
                |r| yes_no(ind.fibre[r]),
                &[GroupLabel::GoodInEgov, GroupLabel::NotGood],
                2,
            ),
        ],
        "community_better_infrastructure" => vec![compare_shares(
            ind,
            Subject::BroadbandGood,
            (GroupLabel::EngagedInCommunity, &|r| {
                ind.engaged(r) == Some(true)
            }),
            (GroupLabel::TheOthers, &|r| ind.engaged(r) == Some(false)),
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
        Statement::InHouseHigher,
        vec![
            group(GroupLabel::GoodInEgov, mean(&good), good.len()),
            group(GroupLabel::OthersWithComponent, mean(&other), other.len()),
        ],
        Test::WelchInHouse,
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
        statement: Statement::StateSolutionsRare { bound: RARE },
        groups: vec![group(GroupLabel::StateSolutions, state_share, used)],
        test: Test::Bound { bound: RARE },
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
