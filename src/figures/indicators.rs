//! Derived indicators the study's figures are built on: the comparison groups ("good in
//! e-government", "engaged in the local community"), counts over item batteries, "Chefsache", data
//! use breadth, fibre engagement.
//!
//! A count over a battery is missing when any item of the battery is missing (complete cases): the
//! study's bases are the municipalities that answered the question. An indicator built from two
//! questions ("Chefsache": administration or community) is likewise known only when both are
//! answered, so that whether a municipality is in a base never depends on what it answered.

use crate::survey::{Survey, SurveyError};

/// The nine e-government base components.
pub const BASE_COMPONENTS: [&str; 9] = [
    "basis_formularserver",
    "basis_epayment",
    "basis_servicekonto",
    "basis_eid",
    "basis_demail",
    "basis_postfach",
    "basis_suche",
    "basis_app",
    "basis_chatbot",
];
/// Operator codes that mean "in use" (own IT, municipal provider, state solution, private).
pub const IN_USE: [i64; 4] = [1, 2, 3, 4];
/// Operator codes that mean "operated in the municipal family" (own IT, municipal provider).
pub const IN_HOUSE: [i64; 2] = [1, 2];
/// Operator code of a state (Land) solution.
pub const STATE_SOLUTION: i64 = 3;
/// "Good in e-government": at least this many base components in use.
pub const EGOV_GOOD_MIN: u32 = 3;

/// The eight community offerings.
pub const COMMUNITY_OFFERINGS: [&str; 8] = [
    "gemeinschaft_wirtschaft",
    "gemeinschaft_startups",
    "gemeinschaft_digitalkompetenz",
    "gemeinschaft_wlan",
    "gemeinschaft_iot",
    "gemeinschaft_sharing",
    "gemeinschaft_ehrenamt",
    "gemeinschaft_civic_tech",
];
/// Support codes that mean "supported" (financially, logistically, otherwise).
pub const SUPPORTED: [i64; 3] = [1, 2, 3];
/// "Engaged in the local community": at least this many offerings supported.
pub const ENGAGED_MIN: u32 = 2;

/// Roles that make digitalisation "Chefsache".
pub const TOP_ROLES: [&str; 3] = ["buergermeister", "cdo", "cio"];
/// The "no fixed responsibility" answer among the leadership roles.
pub const LEAD_NONE: &str = "keine";
/// All leadership roles asked (suffixes of `leitung_<area>_`); the last is `LEAD_NONE`.
pub const LEAD_ROLES: [&str; 7] = [
    "buergermeister",
    "cdo",
    "cio",
    "it",
    "organisation",
    "fachbereiche",
    "keine",
];

/// Data instruments (intensity 1-5) and data uses (yes/no).
pub const DATA_INSTRUMENTS: [&str; 3] = [
    "daten_bestandsaufnahme",
    "daten_offenlegung",
    "daten_bereitstellung",
];
pub const DATA_USES: [&str; 3] = [
    "nutzung_kennzahlen_personal",
    "nutzung_kennzahlen_optimierung",
    "nutzung_automatisierung",
];

/// Staff training topics; the last three are the "transformation" topics of Abb. 7.
pub const TRAINING_TOPICS: [&str; 5] = [
    "fortbildung_fachverfahren",
    "fortbildung_it_sicherheit",
    "fortbildung_trends",
    "fortbildung_arbeitsorganisation",
    "fortbildung_fuehrung",
];
pub const TRANSFORMATION_TOPICS: [&str; 3] = [
    "fortbildung_trends",
    "fortbildung_arbeitsorganisation",
    "fortbildung_fuehrung",
];
pub const OFFERED: i64 = 1;
pub const PLANNED: i64 = 2;

pub const FIBRE_FORMS: [&str; 5] = [
    "glasfaser_foerdermittel",
    "glasfaser_kooperation",
    "glasfaser_wirtschaft",
    "glasfaser_zivilgesellschaft",
    "glasfaser_eigenbetrieb",
];
pub const FIBRE_ENGAGED: i64 = 1;

/// Strategy status codes.
pub const STRATEGY_HAS: i64 = 1;
pub const STRATEGY_DEVELOPING: i64 = 2;

/// Per-municipality indicators, `None` where the answers needed are missing.
#[derive(Debug, Clone)]
pub struct Indicators {
    pub rows: usize,
    pub strategy: Vec<Option<i64>>,
    pub size_class: Vec<Option<i64>>,
    pub grade: Vec<Option<i64>>,
    /// Number of base components in use.
    pub base_components: Vec<Option<u32>>,
    /// Number of community offerings supported.
    pub offerings: Vec<Option<u32>>,
    /// "Chefsache": the mayor's office, a CDO or a CIO is co-responsible in the administration or
    /// in the community (either area). Known only when both leadership questions are answered.
    pub led_from_top: Vec<Option<bool>>,
    /// Data instruments used at all plus data uses (0-6).
    pub data_breadth: Vec<Option<u32>>,
    /// Engaged in at least one form of fibre roll-out.
    pub fibre: Vec<Option<bool>>,
    /// Number of training topics offered (0-5).
    pub topics_offered: Vec<Option<u32>>,
    /// Each row's survey weight, when the figures are weighted (`None`: every row counts once).
    pub weights: Option<Vec<f64>>,
}

/// Counts, per row, the items of `names` whose code satisfies `hit`; `None` if any item is missing.
pub fn count_items(
    survey: &Survey,
    names: &[&str],
    hit: impl Fn(i64) -> bool,
) -> Result<Vec<Option<u32>>, SurveyError> {
    let columns = names
        .iter()
        .map(|n| survey.codes(n))
        .collect::<Result<Vec<_>, _>>()?;
    Ok((0..survey.len())
        .map(|row| {
            columns
                .iter()
                .try_fold(0u32, |acc, c| c.get(row).map(|v| acc + u32::from(hit(v))))
        })
        .collect())
}

impl Indicators {
    pub fn new(survey: &Survey) -> Result<Indicators, SurveyError> {
        let lead = |area: &str| -> Result<Vec<Option<bool>>, SurveyError> {
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
            let answered = count_items(survey, &all, |_| true)?;
            let top = count_items(survey, &top, |v| v == 1)?;
            Ok(answered
                .iter()
                .zip(&top)
                .map(|(a, c)| a.and(c.map(|c| c > 0)))
                .collect())
        };
        let admin = lead("verwaltung")?;
        let community = lead("gemeinschaft")?;
        // complete cases: a municipality that left one area unanswered is out of the base
        // whatever it answered in the other, so the base does not depend on the answer
        let led_from_top = admin
            .iter()
            .zip(&community)
            .map(|(a, c)| match (a, c) {
                (Some(a), Some(c)) => Some(*a || *c),
                _ => None,
            })
            .collect();
        let instruments = count_items(survey, &DATA_INSTRUMENTS, |v| v >= 2)?;
        let uses = count_items(survey, &DATA_USES, |v| v == 1)?;
        let data_breadth = instruments
            .iter()
            .zip(&uses)
            .map(|(a, b)| Some((*a)? + (*b)?))
            .collect();
        let fibre = count_items(survey, &FIBRE_FORMS, |v| v == FIBRE_ENGAGED)?
            .into_iter()
            .map(|c| c.map(|c| c > 0))
            .collect();
        Ok(Indicators {
            rows: survey.len(),
            strategy: survey.codes("strategie_status")?.to_vec(),
            size_class: survey.codes("groessenklasse")?.to_vec(),
            grade: survey.codes("breitband_note")?.to_vec(),
            base_components: count_items(survey, &BASE_COMPONENTS, |v| IN_USE.contains(&v))?,
            offerings: count_items(survey, &COMMUNITY_OFFERINGS, |v| SUPPORTED.contains(&v))?,
            led_from_top,
            data_breadth,
            fibre,
            topics_offered: count_items(survey, &TRAINING_TOPICS, |v| v == OFFERED)?,
            weights: None,
        })
    }

    /// The indicators with each row weighted by `weights` (one per survey row; `None`:
    /// unweighted).
    pub fn with_weights(mut self, weights: Option<Vec<f64>>) -> Indicators {
        self.weights = weights;
        self
    }

    /// The weight of `row` (1 when unweighted).
    pub fn weight(&self, row: usize) -> f64 {
        self.weights.as_ref().map_or(1.0, |w| w[row])
    }

    pub fn egov_good(&self, row: usize) -> Option<bool> {
        self.base_components[row].map(|c| c >= EGOV_GOOD_MIN)
    }

    pub fn engaged(&self, row: usize) -> Option<bool> {
        self.offerings[row].map(|c| c >= ENGAGED_MIN)
    }

    pub fn has_strategy(&self, row: usize) -> Option<bool> {
        self.strategy[row].map(|s| s == STRATEGY_HAS)
    }

    pub fn has_or_develops(&self, row: usize) -> bool {
        matches!(self.strategy[row], Some(STRATEGY_HAS | STRATEGY_DEVELOPING))
    }

    pub fn develops(&self, row: usize) -> bool {
        self.strategy[row] == Some(STRATEGY_DEVELOPING)
    }

    /// Neither has nor develops a strategy (planned, or not yet a topic).
    pub fn without_strategy(&self, row: usize) -> bool {
        matches!(self.strategy[row], Some(s) if s != STRATEGY_HAS && s != STRATEGY_DEVELOPING)
    }
}
