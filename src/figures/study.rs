//! The numbers behind the study's charts (Abb. 1-10 of the 2019 short study, and the cover's
//! three comparison groups), counted from a survey: each a share of the municipalities that were
//! asked and answered, as a count and its base ([`Share`]). The charts are drawn from them by
//! `show::views::figures::charts`.

use super::indicators::{
    Indicators, BASE_COMPONENTS, COMMUNITY_OFFERINGS, DATA_INSTRUMENTS, DATA_USES, EGOV_GOOD_MIN,
    ENGAGED_MIN, FIBRE_FORMS, IN_USE, LEAD_ROLES, OFFERED, STRATEGY_DEVELOPING, STRATEGY_HAS,
    SUPPORTED, TRAINING_TOPICS,
};
use crate::stats::CrossTab;
use crate::survey::{Survey, SurveyError};

/// The FIM building blocks of Abb. 2.
pub const FIM_ITEMS: [&str; 3] = ["fim_leistungen", "fim_datenfelder", "fim_prozesse"];
/// The answers of Abb. 2 and Abb. 3 (five-point scales).
pub const FIVE_POINTS: [i64; 5] = [1, 2, 3, 4, 5];
/// The forms of fibre engagement's answers (Abb. 9).
pub const FIBRE_CODES: [i64; 3] = [1, 2, 3];
/// The two areas of Abb. 6, as in the variables' names `leitung_<area>_<role>`.
pub const LEAD_AREAS: [&str; 2] = ["verwaltung", "gemeinschaft"];

/// A share: `count` of `base` municipalities.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Share {
    pub count: u64,
    pub base: u64,
}

impl Share {
    fn new(count: u64, base: u64) -> Share {
        Share { count, base }
    }
}

/// Every number of the study's charts, in the charts' order.
#[derive(Debug, Clone, PartialEq)]
pub struct StudyNumbers {
    /// Cover: each code of `strategie_status` (codebook order) with its share of those who answered.
    pub strategy_status: Vec<(i64, Share)>,
    /// Cover: base components in use: none, one or two, three or more ([`EGOV_GOOD_MIN`]).
    pub base_component_classes: Vec<Share>,
    /// Cover: community offerings supported: none, exactly one, two or more ([`ENGAGED_MIN`]).
    pub offering_classes: Vec<Share>,
    /// Abb. 1: per base component, the share of each operator in [`IN_USE`] among its users.
    pub operators: Vec<Vec<Share>>,
    /// Abb. 2: per FIM building block ([`FIM_ITEMS`]), each answer of [`FIVE_POINTS`].
    pub fim: Vec<Vec<Share>>,
    /// Abb. 3: per data instrument, each answer of [`FIVE_POINTS`].
    pub data_instruments: Vec<Vec<Share>>,
    /// Abb. 4: per data use, the share saying yes.
    pub data_uses: Vec<Share>,
    /// Abb. 5: the codes of `strategie_status` (codebook order), and per code the shares good in
    /// e-government and engaged in the local community.
    pub strategies: (Vec<i64>, Vec<[Share; 2]>),
    /// Abb. 6: per lead role, the share (co-)responsible in each area of [`LEAD_AREAS`].
    pub led_from_top: Vec<[Share; 2]>,
    /// Abb. 7: per training topic, the share offering it in each strategy group (has one,
    /// developing one, neither).
    pub training: Vec<Vec<Share>>,
    /// Abb. 8: the share supporting citizens' digital skills: all municipalities, the three
    /// strategy groups, then good and weaker in e-government.
    pub citizen_skills: Vec<Share>,
    /// Abb. 9: per form of fibre engagement, each answer of [`FIBRE_CODES`].
    pub fibre: Vec<Vec<Share>>,
    /// Abb. 10: the grades of `breitband_note` (codebook order) and each one's share.
    pub broadband: (Vec<i64>, Vec<Share>),
}

/// Shares of `codes` per variable: rows = variables, one share per code, base = answered with
/// one of `codes`.
fn distribution(
    survey: &Survey,
    variables: &[&str],
    codes: &[i64],
    everyone: &[Option<usize>],
) -> Result<Vec<Vec<Share>>, SurveyError> {
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
                    Share::new(n, base)
                })
                .collect())
        })
        .collect()
}

/// The share answering yes (code 1) to `variable`.
fn yes(survey: &Survey, variable: &str, everyone: &[Option<usize>]) -> Result<Share, SurveyError> {
    let t = CrossTab::new(survey, variable, everyone, vec![String::new()])?;
    let (_, yes, base) = t.percent_of(0, &[1]);
    Ok(Share::new(yes, base))
}

/// Share of rows in each group for which `hit` holds; rows where it is `None` are left out.
fn group_share(groups: &[Option<usize>], n_groups: usize, hit: &[Option<bool>]) -> Vec<Share> {
    let mut count = vec![0u64; n_groups];
    let mut base = vec![0u64; n_groups];
    for (g, h) in groups.iter().zip(hit) {
        if let (Some(g), Some(h)) = (g, h) {
            base[*g] += 1;
            count[*g] += u64::from(*h);
        }
    }
    (0..n_groups)
        .map(|g| Share::new(count[g], base[g]))
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

/// The shares of answered counts in each class `lo..=hi` of `bounds`.
fn classes(values: &[Option<u32>], bounds: &[(u32, u32)]) -> Vec<Share> {
    let answered = values.iter().flatten().count() as u64;
    bounds
        .iter()
        .map(|&(lo, hi)| {
            let c = values
                .iter()
                .flatten()
                .filter(|v| (lo..=hi).contains(*v))
                .count() as u64;
            Share::new(c, answered)
        })
        .collect()
}

/// The codes of `variable` in codebook order.
fn codes_of(survey: &Survey, variable: &str) -> Result<Vec<i64>, SurveyError> {
    let v = survey
        .codebook()
        .variable(variable)
        .ok_or_else(|| SurveyError::NoVariable(variable.into()))?;
    Ok(v.codes.iter().map(|c| c.code).collect())
}

/// Every number of the study's charts, from `survey` (counted in the charts' order).
pub fn study_numbers(survey: &Survey) -> Result<StudyNumbers, SurveyError> {
    let ind = Indicators::new(survey)?;
    let n = survey.len();
    let everyone: Vec<Option<usize>> = vec![Some(0); n];
    let status = CrossTab::new(survey, "strategie_status", &everyone, vec![String::new()])?;
    let strategy_status = status
        .codes
        .iter()
        .zip(&status.counts[0])
        .map(|(&code, &count)| (code, Share::new(count, status.base(0))))
        .collect();
    let base_component_classes = classes(
        &ind.base_components,
        &[(0, 0), (1, EGOV_GOOD_MIN - 1), (EGOV_GOOD_MIN, 9)],
    );
    let offering_classes = classes(
        &ind.offerings,
        &[(0, 0), (1, ENGAGED_MIN - 1), (ENGAGED_MIN, 8)],
    );
    let operators = distribution(survey, &BASE_COMPONENTS, &IN_USE, &everyone)?;
    let fim = distribution(survey, &FIM_ITEMS, &FIVE_POINTS, &everyone)?;
    let data_instruments = distribution(survey, &DATA_INSTRUMENTS, &FIVE_POINTS, &everyone)?;
    let data_uses = DATA_USES
        .iter()
        .map(|v| yes(survey, v, &everyone))
        .collect::<Result<Vec<_>, SurveyError>>()?;
    let strategies = strategies(survey, &ind)?;
    let led_from_top = LEAD_ROLES
        .iter()
        .map(|role| {
            let [a, b] = LEAD_AREAS.map(|area| format!("leitung_{area}_{role}"));
            Ok([yes(survey, &a, &everyone)?, yes(survey, &b, &everyone)?])
        })
        .collect::<Result<Vec<_>, SurveyError>>()?;
    let by_strategy = strategy_groups(&ind);
    let training = TRAINING_TOPICS
        .iter()
        .map(|v| {
            let t = CrossTab::new(survey, v, &by_strategy, vec![String::new(); 3])?;
            Ok((0..3)
                .map(|g| {
                    let (_, yes, base) = t.percent_of(g, &[OFFERED]);
                    Share::new(yes, base)
                })
                .collect())
        })
        .collect::<Result<Vec<_>, SurveyError>>()?;
    let citizen_skills = citizen_skills(survey, &ind, &everyone)?;
    let fibre = distribution(survey, &FIBRE_FORMS, &FIBRE_CODES, &everyone)?;
    let grades = CrossTab::new(survey, "breitband_note", &everyone, vec![String::new()])?;
    let broadband = (
        grades.codes.clone(),
        grades.counts[0]
            .iter()
            .map(|&c| Share::new(c, grades.base(0)))
            .collect(),
    );
    Ok(StudyNumbers {
        strategy_status,
        base_component_classes,
        offering_classes,
        operators,
        fim,
        data_instruments,
        data_uses,
        strategies,
        led_from_top,
        training,
        citizen_skills,
        fibre,
        broadband,
    })
}

/// Abb. 5: the codes of `strategie_status` and per code the shares good in e-government and
/// engaged in the local community.
fn strategies(
    survey: &Survey,
    ind: &Indicators,
) -> Result<(Vec<i64>, Vec<[Share; 2]>), SurveyError> {
    let codes = codes_of(survey, "strategie_status")?;
    let groups: Vec<Option<usize>> = ind
        .strategy
        .iter()
        .map(|s| s.and_then(|s| codes.iter().position(|c| *c == s)))
        .collect();
    let egov: Vec<Option<bool>> = (0..ind.rows).map(|r| ind.egov_good(r)).collect();
    let engaged: Vec<Option<bool>> = (0..ind.rows).map(|r| ind.engaged(r)).collect();
    let shares = group_share(&groups, codes.len(), &egov)
        .into_iter()
        .zip(group_share(&groups, codes.len(), &engaged))
        .map(|(a, b)| [a, b])
        .collect();
    Ok((codes, shares))
}

/// Abb. 8: the share supporting citizens' digital skills among all, per strategy group, and
/// among those good and weaker in e-government.
fn citizen_skills(
    survey: &Survey,
    ind: &Indicators,
    everyone: &[Option<usize>],
) -> Result<Vec<Share>, SurveyError> {
    let skills = survey.codes(COMMUNITY_OFFERINGS[2])?;
    let supported: Vec<Option<bool>> = skills
        .iter()
        .map(|v| v.map(|v| SUPPORTED.contains(&v)))
        .collect();
    let mut out = group_share(everyone, 1, &supported);
    out.extend(group_share(&strategy_groups(ind), 3, &supported));
    let egov: Vec<Option<usize>> = (0..ind.rows)
        .map(|r| ind.egov_good(r).map(|f| usize::from(!f)))
        .collect();
    out.extend(group_share(&egov, 2, &supported));
    Ok(out)
}
