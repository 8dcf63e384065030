//! The published figures and findings kept up to date while the calibration changes single
//! answers: every figure and finding is a function of counts over the rows (shares, the tables
//! of the tests, the sums and sums of squares of the means compared), so each row's part of those
//! counts is taken out before its answers change and put back after, and only the figures and
//! findings whose counts moved are recomputed. A step then costs the same for 400 and for 100,000
//! rows, where recomputing every figure on the whole survey ([`crate::figures::check`]) costs in
//! proportion to the rows.
//!
//! The rules are those of `figures::definitions` (the same bases, hits, groups and tests, with the
//! same arithmetic on the same counts; a Welch test from the groups' sums of squares, so its last
//! digits may differ); a unit test checks every figure and finding against `figures::check` after
//! random changes. `figures::check` still decides whether the calibrated survey is written.

use statrs::distribution::{ContinuousCDF, Normal};

use crate::figures::indicators::{
    BASE_COMPONENTS, COMMUNITY_OFFERINGS, DATA_INSTRUMENTS, DATA_USES, EGOV_GOOD_MIN, ENGAGED_MIN,
    FIBRE_ENGAGED, FIBRE_FORMS, IN_HOUSE, IN_USE, LEAD_ROLES, OFFERED, PLANNED, STATE_SOLUTION,
    STRATEGY_DEVELOPING, STRATEGY_HAS, SUPPORTED, TOP_ROLES, TRAINING_TOPICS,
    TRANSFORMATION_TOPICS,
};
use crate::figures::{Published, ALPHA, NO_ASSOCIATION_V};
use crate::stats::{association_below_p, trend, two_proportions, welch_from, Test};
use crate::survey::{Survey, SurveyError};

/// The single items the figures and findings read by name.
const ITEMS: [&str; 37] = [
    "fim_bekannt",
    "fim_leistungen",
    "fim_datenfelder",
    "fim_prozesse",
    "daten_bestandsaufnahme",
    "nutzung_kennzahlen_personal",
    "nutzung_kennzahlen_optimierung",
    "nutzung_automatisierung",
    "feld_verwaltung",
    "feld_infrastruktur",
    "feld_bildung_kultur",
    "feld_mobilitaet",
    "feld_wirtschaft",
    "top3_effizienz",
    "top3_buergernaehe",
    "top3_leistungsangebot",
    "top3_attraktivitaet",
    "top3_daseinsvorsorge",
    "top3_gemeinschaft",
    "top3_rechtliche_vorgaben",
    "top3_foerdermittel",
    "top3_it_sicherheit",
    "top3_zufriedenheit",
    "top3_offenheit",
    "anknuepfung_it_strategie",
    "anknuepfung_gesamtstrategie",
    "anknuepfung_entwicklungskonzept",
    "anknuepfung_bund_land",
    "anknuepfung_keine",
    "leitung_verwaltung_buergermeister",
    "leitung_verwaltung_cdo",
    "leitung_verwaltung_cio",
    "leitung_gemeinschaft_buergermeister",
    "leitung_gemeinschaft_cdo",
    "leitung_gemeinschaft_cio",
    "fortbildung_trends",
    "groessenklasse",
];

fn item(name: &str) -> usize {
    ITEMS
        .iter()
        .position(|i| *i == name)
        .unwrap_or_else(|| panic!("{name} is not a tallied item"))
}

/// What the figures and findings read from one row: the indicators of `figures::indicators` and
/// the single items.
#[derive(Debug, Clone, Copy, PartialEq)]
struct RowView {
    items: [Option<i64>; ITEMS.len()],
    strategy: Option<i64>,
    grade: Option<i64>,
    components: Option<u32>,
    offerings: Option<u32>,
    led_from_top: Option<bool>,
    breadth: Option<u32>,
    fibre: Option<bool>,
    topics: Option<u32>,
    /// Plans at least one transformation topic (all three answered).
    planned: Option<bool>,
    /// Components in use: (operated in-house, in use, state solutions), when all nine are answered
    /// and one is in use.
    operators: Option<(u32, u32, u32)>,
}

/// Counts `hit` over the codes of `names` in `row`; `None` if one is missing (complete cases).
fn count(
    survey: &Survey,
    names: &[&str],
    row: usize,
    hit: impl Fn(i64) -> bool,
) -> Result<Option<u32>, SurveyError> {
    let mut n = 0;
    for name in names {
        match survey.codes(name)?.get(row) {
            Some(v) => n += u32::from(hit(v)),
            None => return Ok(None),
        }
    }
    Ok(Some(n))
}

impl RowView {
    fn read(survey: &Survey, row: usize) -> Result<RowView, SurveyError> {
        let mut items = [None; ITEMS.len()];
        for (slot, name) in items.iter_mut().zip(ITEMS) {
            *slot = survey.codes(name)?.get(row);
        }
        let lead = |area: &str| -> Result<Option<bool>, SurveyError> {
            let all: Vec<String> = LEAD_ROLES
                .iter()
                .map(|r| format!("leitung_{area}_{r}"))
                .collect();
            let top: Vec<String> = TOP_ROLES
                .iter()
                .map(|r| format!("leitung_{area}_{r}"))
                .collect();
            let all: Vec<&str> = all.iter().map(String::as_str).collect();
            let top: Vec<&str> = top.iter().map(String::as_str).collect();
            let answered = count(survey, &all, row, |_| true)?;
            let top = count(survey, &top, row, |v| v == 1)?;
            Ok(answered.and(top.map(|c| c > 0)))
        };
        let led_from_top = match (lead("verwaltung")?, lead("gemeinschaft")?) {
            (Some(a), Some(c)) => Some(a || c),
            _ => None,
        };
        let instruments = count(survey, &DATA_INSTRUMENTS, row, |v| v >= 2)?;
        let uses = count(survey, &DATA_USES, row, |v| v == 1)?;
        let components = count(survey, &BASE_COMPONENTS, row, |v| IN_USE.contains(&v))?;
        let operators = match components {
            None => None,
            Some(_) => {
                let mut used = (0, 0, 0);
                for name in BASE_COMPONENTS {
                    if let Some(v) = survey.codes(name)?.get(row).filter(|v| IN_USE.contains(v)) {
                        used.0 += u32::from(IN_HOUSE.contains(&v));
                        used.1 += 1;
                        used.2 += u32::from(v == STATE_SOLUTION);
                    }
                }
                (used.1 > 0).then_some(used)
            }
        };
        Ok(RowView {
            items,
            strategy: survey.codes("strategie_status")?.get(row),
            grade: survey.codes("breitband_note")?.get(row),
            components,
            offerings: count(survey, &COMMUNITY_OFFERINGS, row, |v| {
                SUPPORTED.contains(&v)
            })?,
            led_from_top,
            breadth: instruments.zip(uses).map(|(a, b)| a + b),
            fibre: count(survey, &FIBRE_FORMS, row, |v| v == FIBRE_ENGAGED)?.map(|c| c > 0),
            topics: count(survey, &TRAINING_TOPICS, row, |v| v == OFFERED)?,
            planned: count(survey, &TRANSFORMATION_TOPICS, row, |v| v == PLANNED)?.map(|c| c > 0),
            operators,
        })
    }

    fn good(&self) -> Option<bool> {
        self.components.map(|c| c >= EGOV_GOOD_MIN)
    }

    fn engaged(&self) -> Option<bool> {
        self.offerings.map(|c| c >= ENGAGED_MIN)
    }

    fn has(&self) -> bool {
        self.strategy == Some(STRATEGY_HAS)
    }

    fn has_or_develops(&self) -> bool {
        matches!(self.strategy, Some(STRATEGY_HAS | STRATEGY_DEVELOPING))
    }

    fn without(&self) -> bool {
        matches!(self.strategy, Some(s) if s != STRATEGY_HAS && s != STRATEGY_DEVELOPING)
    }
}

/// Who a share or a mean is taken among.
#[derive(Debug, Clone, Copy)]
enum Base {
    All,
    Has,
    Strat,
    Developing,
    Without,
    Good,
    Engaged,
    NotEngaged,
    KnowsFim,
}

impl Base {
    fn holds(self, v: &RowView) -> bool {
        match self {
            Base::All => true,
            Base::Has => v.has(),
            Base::Strat => v.has_or_develops(),
            Base::Developing => v.strategy == Some(STRATEGY_DEVELOPING),
            Base::Without => v.without(),
            Base::Good => v.good() == Some(true),
            Base::Engaged => v.engaged() == Some(true),
            Base::NotEngaged => v.engaged() == Some(false),
            Base::KnowsFim => v.items[0] == Some(1),
        }
    }
}

/// What a share counts (`None`: not known for the row, which is then out of the base).
#[derive(Debug, Clone, Copy)]
enum Hit {
    Strategy(&'static [i64]),
    StrategyNot(i64),
    Components(u32, u32),
    Offerings(u32, u32),
    Item(usize, &'static [i64]),
    ItemAtMost(usize, i64),
    Good,
    Engaged,
    LedFromTop,
    Fibre,
    GradeAtMost(i64),
    GradeIs(i64),
    Planned,
}

impl Hit {
    fn of(self, v: &RowView) -> Option<bool> {
        match self {
            Hit::Strategy(codes) => v.strategy.map(|s| codes.contains(&s)),
            Hit::StrategyNot(code) => v.strategy.map(|s| s != code),
            Hit::Components(lo, hi) => v.components.map(|c| (lo..=hi).contains(&c)),
            Hit::Offerings(lo, hi) => v.offerings.map(|c| (lo..=hi).contains(&c)),
            Hit::Item(i, codes) => v.items[i].map(|c| codes.contains(&c)),
            Hit::ItemAtMost(i, most) => v.items[i].map(|c| c <= most),
            Hit::Good => v.good(),
            Hit::Engaged => v.engaged(),
            Hit::LedFromTop => v.led_from_top,
            Hit::Fibre => v.fibre,
            Hit::GradeAtMost(most) => v.grade.map(|g| g <= most),
            Hit::GradeIs(grade) => v.grade.map(|g| g == grade),
            Hit::Planned => v.planned,
        }
    }
}

/// A classification of the rows for a table of a test of association.
#[derive(Debug, Clone, Copy)]
enum Class {
    /// Yes (0) or no (1).
    YesNo(Hit),
    /// Data use breadth 0, 1, 2, 3, 4+.
    Breadth,
    /// Broadband grade 1-6.
    Grade,
}

impl Class {
    fn levels(self) -> usize {
        match self {
            Class::YesNo(_) => 2,
            Class::Breadth => 5,
            Class::Grade => 6,
        }
    }

    fn of(self, v: &RowView) -> Option<usize> {
        match self {
            Class::YesNo(hit) => hit.of(v).map(|b| usize::from(!b)),
            Class::Breadth => v.breadth.map(|b| (b as usize).min(4)),
            Class::Grade => v.grade.map(|g| (g as usize).clamp(1, 6) - 1),
        }
    }
}

/// A value whose means two groups compare.
#[derive(Debug, Clone, Copy)]
enum Value {
    Breadth,
    Topics,
}

impl Value {
    fn of(self, v: &RowView) -> Option<i64> {
        match self {
            Value::Breadth => v.breadth.map(i64::from),
            Value::Topics => v.topics.map(i64::from),
        }
    }
}

/// How one figure or finding claim is computed from its counts.
#[derive(Debug, Clone)]
enum Stat {
    /// Shares (x, n) of each part.
    Shares(Vec<(Base, Hit)>),
    /// The mean number of base components (sum, n).
    MeanComponents,
    /// The share of `hit` rising with size (per size class 1-7: x, n).
    Trend(Hit),
    /// The share of `hit` higher in the first group (x, n per group).
    Shares2(Base, Base, Hit),
    /// The mean of a value higher in the first group (n, sum, sum of squares per group).
    Means2(Base, Base, Value),
    /// No association: the table's counts.
    Table(Class, Class),
    /// Ranking: leaders ahead in order, then the others (x, n per item, among those with a
    /// strategy or developing one).
    Ranking(Vec<usize>, usize),
    /// Components operated in-house more often by those good in e-government: per group n, the
    /// sum and sum of squares of the in-house share in units of 1/2520 (exact: every share has a
    /// denominator of 1 to 9).
    InHouse,
    /// State solutions rare: (state, used).
    StateRare,
}

/// In-house shares in units of 1/2520 of a whole (2520 = lcm(1..=9)).
const UNITS: i64 = 2520;

impl Stat {
    fn slots(&self) -> usize {
        match self {
            Stat::Shares(parts) => 2 * parts.len(),
            Stat::MeanComponents => 2,
            Stat::Trend(_) => 14,
            Stat::Shares2(..) => 4,
            Stat::Means2(..) | Stat::InHouse => 6,
            Stat::Table(a, b) => a.levels() * b.levels(),
            Stat::Ranking(items, _) => 2 * items.len(),
            Stat::StateRare => 2,
        }
    }

    /// Adds `sign` times row `v`'s counts to `c`.
    fn add(&self, v: &RowView, sign: i64, c: &mut [i64]) {
        let share = |slot: usize, base: bool, hit: Option<bool>, c: &mut [i64]| {
            if let (true, Some(h)) = (base, hit) {
                c[slot] += sign * i64::from(h);
                c[slot + 1] += sign;
            }
        };
        match self {
            Stat::Shares(parts) => {
                for (p, (base, hit)) in parts.iter().enumerate() {
                    share(2 * p, base.holds(v), hit.of(v), c);
                }
            }
            Stat::MeanComponents => {
                if let Some(n) = v.components {
                    c[0] += sign * i64::from(n);
                    c[1] += sign;
                }
            }
            Stat::Trend(hit) => {
                if let Some(class @ 1..=7) = v.items[item("groessenklasse")] {
                    share(2 * (class as usize - 1), true, hit.of(v), c);
                }
            }
            Stat::Shares2(a, b, hit) => {
                share(0, a.holds(v), hit.of(v), c);
                share(2, b.holds(v), hit.of(v), c);
            }
            Stat::Means2(a, b, value) => {
                for (g, base) in [a, b].into_iter().enumerate() {
                    if let (true, Some(x)) = (base.holds(v), value.of(v)) {
                        c[3 * g] += sign;
                        c[3 * g + 1] += sign * x;
                        c[3 * g + 2] += sign * x * x;
                    }
                }
            }
            Stat::Table(a, b) => {
                if let (Some(i), Some(j)) = (a.of(v), b.of(v)) {
                    c[i * b.levels() + j] += sign;
                }
            }
            Stat::Ranking(items, _) => {
                for (p, &i) in items.iter().enumerate() {
                    share(2 * p, v.has_or_develops(), Hit::Item(i, &[1]).of(v), c);
                }
            }
            Stat::InHouse => {
                if let (Some(good), Some((ih, used, _))) = (v.good(), v.operators) {
                    let g = usize::from(!good);
                    let x = i64::from(ih) * UNITS / i64::from(used);
                    c[3 * g] += sign;
                    c[3 * g + 1] += sign * x;
                    c[3 * g + 2] += sign * x * x;
                }
            }
            Stat::StateRare => {
                if let (Some(_), Some((_, used, state))) = (v.good(), v.operators) {
                    c[0] += sign * i64::from(state);
                    c[1] += sign * i64::from(used);
                }
            }
        }
    }
}

fn percent(x: i64, n: i64) -> f64 {
    if n == 0 {
        f64::NAN
    } else {
        100.0 * x as f64 / n as f64
    }
}

fn probit_upper(p: f64) -> f64 {
    let normal = Normal::new(0.0, 1.0).expect("standard normal");
    normal.inverse_cdf(1.0 - p.clamp(1e-12, 1.0 - 1e-12))
}

/// The margin of a claim decided by a one-sided p-value (as `figures::definitions` takes it).
fn margin_of(test: Option<Test>) -> f64 {
    test.map_or(-10.0, |t| probit_upper(t.p_value) - probit_upper(ALPHA))
}

/// A group's size, mean and sum of squared deviations from (n, sum, sum of squares) in `unit`s.
fn moments(c: &[i64], unit: f64) -> (f64, f64, f64) {
    let (n, sum, squares) = (c[0] as i128, c[1] as i128, c[2] as i128);
    if n == 0 {
        return (0.0, f64::NAN, 0.0);
    }
    let deviations = (n * squares - sum * sum) as f64 / n as f64;
    (
        n as f64,
        sum as f64 * unit / n as f64,
        deviations * unit * unit,
    )
}

/// One figure (its parts) or finding (its claims) of the published set.
#[derive(Debug, Clone)]
struct Entry {
    figure: bool,
    /// Empty when no computation is defined for the id.
    stats: Vec<Stat>,
    /// Where each stat's counts start.
    at: Vec<usize>,
}

/// A figure's parts: (value, base) each.
pub type Parts = Vec<(f64, usize)>;

/// What one entry comes to: a figure's parts, or a finding's claims' margins.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// `None`: no computation defined (a part with an empty base has a value of NaN).
    Figure(Option<Parts>),
    /// Empty: no computation defined.
    Finding(Vec<f64>),
}

fn figure_stats(id: &str) -> Vec<Stat> {
    use Base::{All, Developing, Has, KnowsFim, Strat};
    use Hit::{
        Components, Fibre, GradeAtMost, GradeIs, Item, ItemAtMost, LedFromTop, Offerings, Planned,
        Strategy,
    };
    let one = |base: Base, hit: Hit| vec![Stat::Shares(vec![(base, hit)])];
    let named = |name: &str, codes: &'static [i64], base: Base| one(base, Item(item(name), codes));
    match id {
        "strategy_has" => one(All, Strategy(&[STRATEGY_HAS])),
        "strategy_developing" => one(All, Strategy(&[STRATEGY_DEVELOPING])),
        "strategy_has_or_developing" => one(All, Strategy(&[STRATEGY_HAS, STRATEGY_DEVELOPING])),
        "basecomp_none" => one(All, Components(0, 0)),
        "basecomp_one_or_two" => one(All, Components(1, 2)),
        "basecomp_at_most_two" => one(All, Components(0, 2)),
        "basecomp_mean" => vec![Stat::MeanComponents],
        "community_none" => one(All, Offerings(0, 0)),
        "community_exactly_one" => one(All, Offerings(1, 1)),
        "egov_good_with_strategy" => one(Base::Good, Strategy(&[STRATEGY_HAS])),
        "community_engaged_with_strategy" => one(Base::Engaged, Strategy(&[STRATEGY_HAS])),
        "egov_good_also_community_engaged" => one(Base::Good, Hit::Engaged),
        "fim_known" => named("fim_bekannt", &[1], All),
        "fim_helpful_among_known" => vec![Stat::Shares(
            ["fim_leistungen", "fim_datenfelder", "fim_prozesse"]
                .iter()
                .map(|n| (KnowsFim, ItemAtMost(item(n), 2)))
                .collect(),
        )],
        "data_inventory_intensive" => named("daten_bestandsaufnahme", &[4, 5], All),
        "data_kpi_staffing" => named("nutzung_kennzahlen_personal", &[1], All),
        "data_kpi_optimisation" => named("nutzung_kennzahlen_optimierung", &[1], All),
        "data_fully_automated" => named("nutzung_automatisierung", &[1], All),
        "field_administration" => named("feld_verwaltung", &[1], Strat),
        "field_infrastructure" => named("feld_infrastruktur", &[1], Strat),
        "field_education_culture_science" => named("feld_bildung_kultur", &[1], Strat),
        "field_mobility" => named("feld_mobilitaet", &[1], Strat),
        "field_economy" => named("feld_wirtschaft", &[1], Strat),
        "goal_attractiveness" => named("top3_attraktivitaet", &[1], Strat),
        "goal_public_services" => named("top3_daseinsvorsorge", &[1], Strat),
        "link_urban_development_concept" => named("anknuepfung_entwicklungskonzept", &[1], Strat),
        "link_none" => named("anknuepfung_keine", &[1], Strat),
        "chefsache_any" => one(All, LedFromTop),
        "admin_lead_mayor" => named("leitung_verwaltung_buergermeister", &[1], All),
        "admin_lead_cdo" => named("leitung_verwaltung_cdo", &[1], All),
        "admin_lead_cio" => named("leitung_verwaltung_cio", &[1], All),
        "admin_lead_cio_with_strategy" => named("leitung_verwaltung_cio", &[1], Has),
        "admin_lead_cdo_with_strategy" => named("leitung_verwaltung_cdo", &[1], Has),
        "community_lead_mayor" => named("leitung_gemeinschaft_buergermeister", &[1], All),
        "community_lead_cdo" => named("leitung_gemeinschaft_cdo", &[1], All),
        "community_lead_cio" => named("leitung_gemeinschaft_cio", &[1], All),
        "community_lead_cdo_with_strategy" => named("leitung_gemeinschaft_cdo", &[1], Has),
        "community_lead_cdo_among_engaged" => {
            named("leitung_gemeinschaft_cdo", &[1], Base::Engaged)
        }
        "training_trends_among_developing" => named("fortbildung_trends", &[OFFERED], Developing),
        "training_planned_among_developing" => one(Developing, Planned),
        "fibre_engaged" => one(All, Fibre),
        "broadband_good_or_very_good" => one(All, GradeAtMost(2)),
        "broadband_satisfactory" => one(All, GradeIs(3)),
        _ => vec![],
    }
}

fn finding_stats(id: &str) -> Vec<Stat> {
    use Base::*;
    let items = |names: &[&str]| names.iter().map(|n| item(n)).collect::<Vec<_>>();
    match id {
        "size_strategy" => vec![
            Stat::Trend(Hit::Strategy(&[STRATEGY_HAS])),
            Stat::Trend(Hit::StrategyNot(4)),
        ],
        "size_egov" => vec![Stat::Trend(Hit::Good)],
        "size_community" => vec![Stat::Trend(Hit::Engaged)],
        "goal_ranking_top3" => vec![Stat::Ranking(
            items(&[
                "top3_effizienz",
                "top3_buergernaehe",
                "top3_leistungsangebot",
                "top3_attraktivitaet",
                "top3_daseinsvorsorge",
                "top3_gemeinschaft",
                "top3_rechtliche_vorgaben",
                "top3_foerdermittel",
                "top3_it_sicherheit",
                "top3_zufriedenheit",
                "top3_offenheit",
            ]),
            3,
        )],
        "strategy_links_ranking" => vec![Stat::Ranking(
            items(&[
                "anknuepfung_it_strategie",
                "anknuepfung_gesamtstrategie",
                "anknuepfung_entwicklungskonzept",
                "anknuepfung_bund_land",
                "anknuepfung_keine",
            ]),
            2,
        )],
        "strategy_data_use" => vec![Stat::Means2(Has, Without, Value::Breadth)],
        "egov_community_no_data_effect" => vec![
            Stat::Table(Class::YesNo(Hit::Good), Class::Breadth),
            Stat::Table(Class::YesNo(Hit::Engaged), Class::Breadth),
        ],
        "strategy_training" => vec![Stat::Means2(Has, Without, Value::Topics)],
        "chefsache_strategy" => vec![Stat::Shares2(Has, Without, Hit::LedFromTop)],
        "fibre_independent_of_grade" => vec![Stat::Table(Class::YesNo(Hit::Fibre), Class::Grade)],
        "egov_independent_of_infrastructure" => vec![
            Stat::Table(Class::YesNo(Hit::Good), Class::Grade),
            Stat::Table(Class::YesNo(Hit::Good), Class::YesNo(Hit::Fibre)),
        ],
        "community_better_infrastructure" => {
            vec![Stat::Shares2(Engaged, NotEngaged, Hit::GradeAtMost(2))]
        }
        "egov_operated_in_house" => vec![Stat::InHouse, Stat::StateRare],
        _ => vec![],
    }
}

/// A claim's margin from its counts.
fn claim_margin(stat: &Stat, c: &[i64]) -> f64 {
    match stat {
        Stat::Trend(_) => {
            let counts: Vec<(usize, usize, f64)> = (0..7)
                .filter(|&g| c[2 * g + 1] > 0)
                .map(|g| (c[2 * g] as usize, c[2 * g + 1] as usize, (7 - g) as f64))
                .collect();
            margin_of(trend(&counts))
        }
        Stat::Shares2(..) => margin_of(two_proportions(
            c[0] as usize,
            c[1] as usize,
            c[2] as usize,
            c[3] as usize,
        )),
        Stat::Means2(..) => margin_of(welch_from(moments(&c[0..3], 1.0), moments(&c[3..6], 1.0))),
        Stat::InHouse => {
            let unit = 100.0 / UNITS as f64;
            margin_of(welch_from(moments(&c[0..3], unit), moments(&c[3..6], unit)))
        }
        Stat::StateRare => {
            const RARE: f64 = 10.0;
            let share = if c[1] == 0 {
                f64::NAN
            } else {
                100.0 * c[0] as f64 / c[1] as f64
            };
            (RARE - share) / 3.0
        }
        Stat::Table(a, b) => {
            let table: Vec<Vec<usize>> = (0..a.levels())
                .map(|i| {
                    (0..b.levels())
                        .map(|j| c[i * b.levels() + j] as usize)
                        .collect()
                })
                .collect();
            association_below_p(&table, NO_ASSOCIATION_V)
                .map_or(-10.0, |(.., p)| probit_upper(p) - probit_upper(ALPHA))
        }
        Stat::Ranking(items, leaders) => {
            let values: Vec<f64> = (0..items.len())
                .map(|p| percent(c[2 * p], c[2 * p + 1]))
                .collect();
            let best_other = values[*leaders..]
                .iter()
                .copied()
                .fold(f64::NEG_INFINITY, f64::max);
            let mut gaps: Vec<f64> = values[..*leaders].windows(2).map(|w| w[0] - w[1]).collect();
            gaps.push(values[leaders - 1] - best_other);
            gaps.iter().copied().fold(f64::INFINITY, f64::min) / 3.0
        }
        Stat::Shares(_) | Stat::MeanComponents => unreachable!("figures are not claims"),
    }
}

/// The counts of every figure and finding of a published set over a survey's rows, with each
/// row's view kept to take it out again when the row changes.
pub struct Tally {
    /// The margins of the tables of tests of association already computed (a rejected change
    /// brings a table back): the noncentral chi-square distribution of a survey of 100,000 takes
    /// thousands of terms.
    tables: std::collections::HashMap<Vec<i64>, f64>,
    entries: Vec<Entry>,
    counts: Vec<i64>,
    views: Vec<RowView>,
    /// Each entry's outcome at the current counts.
    outcomes: Vec<Outcome>,
    /// Changes since [`Tally::commit`]: (row, old view), and the outcomes they replaced.
    changed_rows: Vec<(usize, RowView)>,
    changed_outcomes: Vec<(usize, Outcome)>,
}

impl Tally {
    /// Counts every row of `survey` for the figures and findings of `published`.
    pub fn new(survey: &Survey, published: &Published) -> Result<Tally, SurveyError> {
        let mut entries = Vec::new();
        let mut slots = 0;
        let ids = published
            .figures
            .iter()
            .map(|f| (f.id.as_str(), true))
            .chain(published.findings.iter().map(|f| (f.id.as_str(), false)));
        for (id, figure) in ids {
            let stats = if figure {
                figure_stats(id)
            } else {
                finding_stats(id)
            };
            let mut at = Vec::with_capacity(stats.len());
            for s in &stats {
                at.push(slots);
                slots += s.slots();
            }
            entries.push(Entry { figure, stats, at });
        }
        let views = (0..survey.len())
            .map(|r| RowView::read(survey, r))
            .collect::<Result<Vec<_>, _>>()?;
        let mut counts = vec![0i64; slots];
        for v in &views {
            for e in &entries {
                for (s, &at) in e.stats.iter().zip(&e.at) {
                    s.add(v, 1, &mut counts[at..at + s.slots()]);
                }
            }
        }
        let mut tally = Tally {
            tables: std::collections::HashMap::new(),
            entries,
            counts,
            views,
            outcomes: Vec::new(),
            changed_rows: Vec::new(),
            changed_outcomes: Vec::new(),
        };
        tally.outcomes = (0..tally.entries.len()).map(|e| tally.outcome(e)).collect();
        Ok(tally)
    }

    /// Every entry's outcome: the figures, then the findings, in the published order.
    pub fn outcomes(&self) -> &[Outcome] {
        &self.outcomes
    }

    fn outcome(&mut self, e: usize) -> Outcome {
        let entry = &self.entries[e];
        let counts = |i: usize| &self.counts[entry.at[i]..entry.at[i] + entry.stats[i].slots()];
        if entry.figure {
            let parts: Parts = match entry.stats.first() {
                None => return Outcome::Figure(None),
                Some(Stat::Shares(parts)) => (0..parts.len())
                    .map(|p| {
                        let c = counts(0);
                        (percent(c[2 * p], c[2 * p + 1]), c[2 * p + 1] as usize)
                    })
                    .collect(),
                Some(_) => {
                    let c = counts(0);
                    let n = c[1];
                    vec![(c[0] as f64 / n as f64, n as usize)]
                }
            };
            Outcome::Figure(Some(parts))
        } else {
            let mut margins = Vec::with_capacity(entry.stats.len());
            for (i, s) in entry.stats.iter().enumerate() {
                let c = counts(i);
                margins.push(match s {
                    Stat::Table(..) => match self.tables.get(c) {
                        Some(&m) => m,
                        None => {
                            let m = claim_margin(s, c);
                            if self.tables.len() >= 1 << 16 {
                                self.tables.clear();
                            }
                            self.tables.insert(c.to_vec(), m);
                            m
                        }
                    },
                    _ => claim_margin(s, c),
                });
            }
            Outcome::Finding(margins)
        }
    }

    /// Row `row` of `survey` changed: takes its old counts out, puts its new ones in, and
    /// recomputes the entries whose counts moved.
    pub fn update(&mut self, survey: &Survey, row: usize) -> Result<(), SurveyError> {
        let new = RowView::read(survey, row)?;
        let old = self.views[row];
        if new == old {
            return Ok(());
        }
        self.changed_rows.push((row, old));
        self.views[row] = new;
        self.apply(&old, &new);
        Ok(())
    }

    /// Moves the counts from row view `old` to `new` and recomputes the entries that moved.
    fn apply(&mut self, old: &RowView, new: &RowView) {
        for e in 0..self.entries.len() {
            let mut moved = false;
            let entry = &self.entries[e];
            for (s, &at) in entry.stats.iter().zip(&entry.at) {
                let c = &mut self.counts[at..at + s.slots()];
                let before = c.to_vec();
                s.add(old, -1, c);
                s.add(new, 1, c);
                moved |= c != before.as_slice();
            }
            if moved {
                let outcome = self.outcome(e);
                let replaced = std::mem::replace(&mut self.outcomes[e], outcome);
                self.changed_outcomes.push((e, replaced));
            }
        }
    }

    /// Keeps the changes since the last commit.
    pub fn commit(&mut self) {
        self.changed_rows.clear();
        self.changed_outcomes.clear();
    }

    /// Undoes the changes since the last commit (the survey's answers must be restored too).
    pub fn revert(&mut self) {
        while let Some((row, old)) = self.changed_rows.pop() {
            let new = self.views[row];
            self.views[row] = old;
            for e in 0..self.entries.len() {
                let entry = &self.entries[e];
                for (s, &at) in entry.stats.iter().zip(&entry.at) {
                    let c = &mut self.counts[at..at + s.slots()];
                    s.add(&new, -1, c);
                    s.add(&old, 1, c);
                }
            }
        }
        while let Some((e, outcome)) = self.changed_outcomes.pop() {
            self.outcomes[e] = outcome;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figures::check;
    use crate::survey::{load_path, Codebook};
    use rand::{Rng, SeedableRng};
    use rand_xoshiro::Xoshiro256PlusPlus;
    use std::sync::Arc;

    fn close(a: f64, b: f64) -> bool {
        (a.is_nan() && b.is_nan()) || (a - b).abs() <= 1e-9 * a.abs().max(1.0)
    }

    /// Every figure's parts and every finding's margins are what `figures::check` computes.
    fn agrees(tally: &Tally, survey: &Survey, published: &Published) {
        let report = check(survey, published).unwrap();
        let outcomes = tally.outcomes();
        for (f, o) in report.figures.iter().zip(outcomes) {
            let Outcome::Figure(parts) = o else {
                panic!("{} is a figure", f.published.id)
            };
            match (&f.computed, parts) {
                (Some(c), Some(parts)) => {
                    assert_eq!(c.parts.len(), parts.len(), "{}", f.published.id);
                    for (p, (value, base)) in c.parts.iter().zip(parts) {
                        assert!(
                            close(p.value, *value),
                            "{}: {} vs {value}",
                            f.published.id,
                            p.value
                        );
                        assert_eq!(p.base, *base, "{}", f.published.id);
                    }
                }
                (None, None) => {}
                other => panic!("{}: {other:?}", f.published.id),
            }
        }
        for (f, o) in report
            .findings
            .iter()
            .zip(&outcomes[report.figures.len()..])
        {
            let Outcome::Finding(margins) = o else {
                panic!("{} is a finding", f.published.id)
            };
            assert_eq!(f.claims.len(), margins.len(), "{}", f.published.id);
            for (c, m) in f.claims.iter().zip(margins) {
                assert!(
                    (c.margin - m).abs() <= 1e-7 * c.margin.abs().max(1.0),
                    "{}: {} vs {m}",
                    f.published.id,
                    c.margin
                );
            }
        }
    }

    #[test]
    fn the_tally_computes_what_check_computes_after_random_changes() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/survey.csv");
        let mut survey = load_path(&path, Arc::new(Codebook::builtin()))
            .unwrap()
            .survey;
        let published = Published::builtin();
        let mut tally = Tally::new(&survey, &published).unwrap();
        assert_eq!(
            tally.outcomes().len(),
            published.figures.len() + published.findings.len()
        );
        agrees(&tally, &survey, &published);
        let columns: Vec<&str> = ITEMS
            .iter()
            .copied()
            .chain(["strategie_status", "breitband_note"])
            .chain(BASE_COMPONENTS)
            .chain(COMMUNITY_OFFERINGS)
            .chain(DATA_INSTRUMENTS)
            .chain(DATA_USES)
            .chain(FIBRE_FORMS)
            .chain(TRAINING_TOPICS)
            .chain(["leitung_verwaltung_keine", "leitung_gemeinschaft_it"])
            .collect();
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
        for round in 0..40 {
            let mut undo = Vec::new();
            for _ in 0..25 {
                let row = rng.gen_range(0..survey.len());
                let name = columns[rng.gen_range(0..columns.len())];
                let value = match rng.gen_range(0..8) {
                    0 => None,
                    v => Some(v as i64 - 1),
                };
                undo.push((name, row, survey.codes(name).unwrap().get(row)));
                survey.codes_mut(name).unwrap().set(row, value);
                tally.update(&survey, row).unwrap();
            }
            if round % 2 == 0 {
                tally.commit();
            } else {
                // a rejected step: the answers and the counts go back
                for (name, row, old) in undo.into_iter().rev() {
                    survey.codes_mut(name).unwrap().set(row, old);
                }
                tally.revert();
            }
            agrees(&tally, &survey, &published);
        }
    }
}
