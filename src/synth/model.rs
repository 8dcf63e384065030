//! The latent model that draws a first version of every answer.

// Rows are written into several survey columns at once, by index.
#![allow(clippy::needless_range_loop)]

use std::sync::Arc;

use rand::Rng;
use rand_distr::{Distribution, StandardNormal};
use rand_xoshiro::Xoshiro256PlusPlus;

use crate::figures::indicators::{
    BASE_COMPONENTS, COMMUNITY_OFFERINGS, FIBRE_FORMS, TRAINING_TOPICS,
};
use crate::survey::{Codebook, Survey, SurveyError};

/// The planted types, as ids of the published `[[type]]` entries.
pub const TYPES: [&str; 4] = [
    "bedaechtige",
    "optimierer",
    "serviceorientierte",
    "community_manager",
];
const DELIBERATE: usize = 0;
const OPTIMISERS: usize = 1;
const SERVICE: usize = 2;
const COMMUNITY: usize = 3;

/// The eleven goals, in codebook order (suffixes of `ziel_` and `top3_`).
pub const GOALS: [&str; 11] = [
    "effizienz",
    "buergernaehe",
    "leistungsangebot",
    "attraktivitaet",
    "daseinsvorsorge",
    "gemeinschaft",
    "rechtliche_vorgaben",
    "foerdermittel",
    "it_sicherheit",
    "zufriedenheit",
    "offenheit",
];

/// Mean goal priority (1-5) per planted type, in the order of `GOALS`. Each type's signature
/// goals (published) are its highest; efficiency is high for all, as in the short study.
pub(super) const PROFILES: [[f64; 11]; 4] = [
    // Bedächtige: legal requirements, funding, IT security
    [3.6, 3.0, 2.6, 2.5, 2.7, 2.5, 4.4, 4.2, 4.3, 2.8, 2.2],
    // Optimierer: efficiency, extended service offering
    [4.7, 3.5, 4.4, 2.8, 2.6, 2.3, 3.2, 2.7, 3.5, 3.0, 2.4],
    // Serviceorientierte: attractiveness, citizen-near administration, satisfaction
    [3.9, 4.5, 3.6, 4.4, 3.0, 3.0, 2.9, 2.8, 3.1, 4.3, 3.2],
    // Community Manager: public services, local community, openness
    [3.6, 3.9, 3.2, 3.4, 4.4, 4.5, 2.8, 3.2, 2.9, 3.4, 4.4],
];
/// Type shares before the size effect (none were published).
pub(super) const TYPE_SHARES: [f64; 4] = [0.30, 0.27, 0.25, 0.18];

pub const FIELDS: [&str; 10] = [
    "feld_verwaltung",
    "feld_infrastruktur",
    "feld_bildung_kultur",
    "feld_mobilitaet",
    "feld_wirtschaft",
    "feld_gesundheit_soziales",
    "feld_umwelt_energie",
    "feld_sicherheit_ordnung",
    "feld_beteiligung",
    "feld_tourismus_freizeit",
];
pub const LINKS: [&str; 4] = [
    "anknuepfung_it_strategie",
    "anknuepfung_gesamtstrategie",
    "anknuepfung_entwicklungskonzept",
    "anknuepfung_bund_land",
];
pub const LINK_NONE: &str = "anknuepfung_keine";
pub const FIM_ITEMS: [&str; 3] = ["fim_leistungen", "fim_datenfelder", "fim_prozesse"];

/// What the model knows about each row beyond its answers.
#[derive(Debug, Clone)]
pub struct Latent {
    pub types: Vec<usize>,
}

pub struct Drawn {
    pub survey: Survey,
    pub latent: Latent,
}

pub(super) fn normal(rng: &mut Xoshiro256PlusPlus) -> f64 {
    StandardNormal.sample(rng)
}

fn gumbel(rng: &mut Xoshiro256PlusPlus) -> f64 {
    let u: f64 = rng.gen_range(1e-12..1.0);
    -(-u.ln()).ln()
}

/// Draws an index with probability proportional to `weights`.
pub(super) fn pick(rng: &mut Xoshiro256PlusPlus, weights: &[f64]) -> usize {
    let total: f64 = weights.iter().sum();
    let mut u = rng.gen::<f64>() * total;
    for (i, w) in weights.iter().enumerate() {
        if u < *w {
            return i;
        }
        u -= w;
    }
    weights.len() - 1
}

/// `k` distinct indices, drawn without replacement with probability proportional to `weights`.
fn pick_k(rng: &mut Xoshiro256PlusPlus, weights: &[f64], k: usize) -> Vec<usize> {
    let mut keyed: Vec<(f64, usize)> = weights
        .iter()
        .enumerate()
        .map(|(i, w)| (w.ln() + gumbel(rng), i))
        .collect();
    keyed.sort_by(|a, b| b.0.total_cmp(&a.0));
    keyed.into_iter().take(k).map(|(_, i)| i).collect()
}

/// Assigns ordered categories by rank of `score`: the highest `shares[0]` get `codes[0]`, and so on.
fn by_rank(score: &[f64], shares: &[f64], codes: &[i64]) -> Vec<i64> {
    let mut order: Vec<usize> = (0..score.len()).collect();
    order.sort_by(|&a, &b| score[b].total_cmp(&score[a]));
    let n = score.len() as f64;
    let mut out = vec![codes[codes.len() - 1]; score.len()];
    let mut cum = 0.0;
    let mut start = 0;
    for (share, &code) in shares.iter().zip(codes) {
        cum += share;
        let end = ((cum * n).round() as usize).min(score.len());
        for &row in &order[start..end] {
            out[row] = code;
        }
        start = end;
    }
    out
}

/// Operator weights (own IT, municipal provider, state, private) per base component.
pub(super) fn operator_weights(component: usize) -> [f64; 4] {
    match BASE_COMPONENTS[component] {
        "basis_servicekonto" | "basis_eid" => [0.22, 0.45, 0.15, 0.18],
        "basis_app" | "basis_chatbot" => [0.2, 0.2, 0.05, 0.55],
        _ => [0.36, 0.43, 0.05, 0.16],
    }
}

/// Support form weights (financial, logistic, other) and "planned" probability.
pub(super) const SUPPORT_WEIGHTS: [f64; 3] = [0.35, 0.4, 0.25];

/// Fills the strategy follow-up questions of a row that has or develops a strategy.
pub(super) fn draw_strategy_details(
    survey: &mut Survey,
    row: usize,
    planted: usize,
    rng: &mut Xoshiro256PlusPlus,
) -> Result<(), SurveyError> {
    let developing = survey.codes("strategie_status")?.get(row) == Some(2);
    // fields of action: usually three, administration nearly always
    let mut field_weights = [40.0, 3.2, 0.45, 0.35, 0.5, 0.3, 0.3, 0.22, 0.35, 0.18];
    if planted == COMMUNITY {
        field_weights[8] *= 2.0;
        field_weights[5] *= 1.5;
    }
    if planted == SERVICE {
        field_weights[2] *= 1.4;
        field_weights[4] *= 1.4;
    }
    let k = [3, 3, 3, 3, 3, 3, 3, 3, 2, 3][rng.gen_range(0..10)];
    let chosen = pick_k(rng, &field_weights, k);
    for (i, f) in FIELDS.iter().enumerate() {
        survey
            .codes_mut(f)?
            .set(row, Some(i64::from(chosen.contains(&i))));
    }
    // links to other concepts
    let none = rng.gen_bool(0.13);
    let p_links = [
        0.56,
        0.42,
        if matches!(planted, SERVICE | COMMUNITY) {
            0.24
        } else {
            0.14
        },
        if developing { 0.32 } else { 0.15 },
    ];
    let mut any = false;
    for (l, p) in LINKS.iter().zip(p_links) {
        let on = !none && rng.gen_bool(p);
        any |= on;
        survey.codes_mut(l)?.set(row, Some(i64::from(on)));
    }
    if !none && !any {
        survey.codes_mut(LINKS[0])?.set(row, Some(1));
    }
    survey.codes_mut(LINK_NONE)?.set(row, Some(i64::from(none)));
    // the three most important goals follow the priorities, with efficiency named most
    let bonus = [1.3, 0.7, 0.5, 0.0, 0.0, -0.2, -0.3, -0.3, -0.3, -0.3, -0.3];
    let mut scored: Vec<(f64, usize)> = GOALS
        .iter()
        .enumerate()
        .map(|(g, goal)| {
            let rating = survey
                .codes(&format!("ziel_{goal}"))
                .ok()
                .and_then(|c| c.get(row))
                .unwrap_or(3);
            (rating as f64 + bonus[g] + 0.6 * gumbel(rng), g)
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    let top: Vec<usize> = scored.iter().take(3).map(|s| s.1).collect();
    for (g, goal) in GOALS.iter().enumerate() {
        survey
            .codes_mut(&format!("top3_{goal}"))?
            .set(row, Some(i64::from(top.contains(&g))));
    }
    Ok(())
}

/// Draws the strategy follow-ups of a row newly routed into them, with the blocks' non-response.
pub(super) fn redraw_strategy_details(
    survey: &mut Survey,
    row: usize,
    planted: usize,
    rng: &mut Xoshiro256PlusPlus,
) -> Result<(), SurveyError> {
    draw_strategy_details(survey, row, planted, rng)?;
    let names = variable_names(survey);
    for (prefix, rate) in BLOCKS
        .iter()
        .filter(|b| ["feld_", "anknuepfung_", "top3_"].contains(&b.0))
    {
        if rng.gen_bool(*rate) {
            for name in names.iter().filter(|n| n.starts_with(prefix)) {
                survey.codes_mut(name)?.set(row, None);
            }
        }
    }
    Ok(())
}

/// The codebook's variable names, in order.
fn variable_names(survey: &Survey) -> Vec<String> {
    survey
        .codebook()
        .variables
        .iter()
        .map(|v| v.name.clone())
        .collect()
}

/// Clears the strategy follow-ups of a row that neither has nor develops a strategy.
pub(super) fn clear_strategy_details(survey: &mut Survey, row: usize) -> Result<(), SurveyError> {
    for name in FIELDS.iter().chain(&LINKS).chain([&LINK_NONE]) {
        survey.codes_mut(name)?.set(row, None);
    }
    for goal in GOALS {
        survey.codes_mut(&format!("top3_{goal}"))?.set(row, None);
    }
    Ok(())
}

/// Draws a FIM helpfulness answer.
pub(super) fn draw_fim_item(rng: &mut Xoshiro256PlusPlus, helpful: bool) -> i64 {
    if helpful {
        [1, 2][pick(rng, &[0.35, 0.65])]
    } else {
        [3, 4, 5][pick(rng, &[0.4, 0.2, 0.4])]
    }
}

/// Draws the whole stand-in survey from the latent model. The blocks are drawn in a fixed order
/// from one generator, so the same seed gives the same survey.
pub fn draw(
    codebook: Arc<Codebook>,
    n: usize,
    rng: &mut Xoshiro256PlusPlus,
) -> Result<Drawn, SurveyError> {
    let mut survey = Survey::blank(codebook, n);
    let (size, digital) = draw_structure(&mut survey, rng)?;
    let types = draw_types(&size, rng);
    draw_goals(&mut survey, &types, rng)?;
    let mut rows = Rows::new(size, digital, types);
    draw_strategy(&mut survey, &mut rows, rng)?;
    draw_base_components(&mut survey, &mut rows, rng)?;
    draw_fim(&mut survey, &rows, rng)?;
    draw_data(&mut survey, &rows, rng)?;
    draw_community(&mut survey, &mut rows, rng)?;
    draw_leadership(&mut survey, &rows, rng)?;
    draw_training(&mut survey, &rows, rng)?;
    draw_fibre(&mut survey, &rows, rng)?;
    draw_broadband(&mut survey, &rows, rng)?;
    apply_non_response(&mut survey, rng)?;
    Ok(Drawn {
        survey,
        latent: Latent { types: rows.types },
    })
}

/// What the later answer blocks depend on, per row: the latent traits and the 0/1 indicators of
/// earlier answers (filled as their blocks are drawn).
struct Rows {
    n: usize,
    /// Standardised log inhabitants.
    size: Vec<f64>,
    /// A latent affinity to digital matters.
    digital: Vec<f64>,
    types: Vec<usize>,
    /// Has a strategy.
    has: Vec<f64>,
    /// Develops a strategy.
    dev: Vec<f64>,
    /// Uses at least three e-government base components.
    egov_good: Vec<f64>,
    /// Offers at least two community services.
    engaged: Vec<f64>,
}

impl Rows {
    fn new(size: Vec<f64>, digital: Vec<f64>, types: Vec<usize>) -> Rows {
        Rows {
            n: types.len(),
            size,
            digital,
            types,
            has: Vec::new(),
            dev: Vec::new(),
            egov_good: Vec::new(),
            engaged: Vec::new(),
        }
    }

    /// 1 when the row's planted type is `t`, else 0.
    fn is(&self, row: usize, t: usize) -> f64 {
        indicator(self.types[row] == t)
    }
}

fn indicator(on: bool) -> f64 {
    f64::from(u8::from(on))
}

/// Kind of authority, inhabitants, size class and state; returns the standardised log size and
/// the latent digital affinity of every row.
fn draw_structure(
    survey: &mut Survey,
    rng: &mut Xoshiro256PlusPlus,
) -> Result<(Vec<f64>, Vec<f64>), SurveyError> {
    let n = survey.len();
    let nf = n as f64;
    let mut kind = Vec::with_capacity(n);
    let mut inhabitants = Vec::with_capacity(n);
    for _ in 0..n {
        let k = [1i64, 2, 3][pick(rng, &[0.12, 0.68, 0.20])];
        let (median, sigma, lo, hi): (f64, f64, f64, f64) = match k {
            1 => (150_000.0, 0.7, 34_000.0, 1_500_000.0),
            2 => (21_000.0, 0.85, 2_500.0, 160_000.0),
            _ => (190_000.0, 0.45, 48_000.0, 680_000.0),
        };
        let x = (median.ln() + sigma * normal(rng)).exp().clamp(lo, hi);
        kind.push(k);
        inhabitants.push(x.round() as i64);
    }
    let classes: Vec<i64> = inhabitants
        .iter()
        .map(|&x| match x {
            x if x > 400_000 => 1,
            x if x > 200_000 => 2,
            x if x > 100_000 => 3,
            x if x > 50_000 => 4,
            x if x > 25_000 => 5,
            x if x > 10_000 => 6,
            _ => 7,
        })
        .collect();
    // KGSt members by state (city states left out): weights for codes 1..16
    let state_weights = [
        0.04, 0.0, 0.13, 0.0, 0.30, 0.10, 0.05, 0.13, 0.11, 0.01, 0.0, 0.03, 0.02, 0.03, 0.02, 0.03,
    ];
    let logs: Vec<f64> = inhabitants.iter().map(|&x| (x as f64).ln()).collect();
    let mean = logs.iter().sum::<f64>() / nf;
    let sd = (logs.iter().map(|l| (l - mean).powi(2)).sum::<f64>() / nf).sqrt();
    let size: Vec<f64> = logs.iter().map(|l| (l - mean) / sd).collect();
    let digital: Vec<f64> = (0..n).map(|_| normal(rng)).collect();
    for (i, id) in survey.ids_mut().iter_mut().enumerate() {
        *id = format!("SYN-{:04}", i + 1);
    }
    for row in 0..n {
        survey
            .codes_mut("bundesland")?
            .set(row, Some(pick(rng, &state_weights) as i64 + 1));
        survey
            .codes_mut("gebietskoerperschaft")?
            .set(row, Some(kind[row]));
        survey
            .codes_mut("einwohner")?
            .set(row, Some(inhabitants[row]));
        survey
            .codes_mut("groessenklasse")?
            .set(row, Some(classes[row]));
        survey.decimals_mut("gewicht")?.set(row, Some(1.0));
    }
    Ok((size, digital))
}

/// The planted types: the Deliberate (Bedächtige) are over-represented among smaller municipalities.
fn draw_types(size: &[f64], rng: &mut Xoshiro256PlusPlus) -> Vec<usize> {
    size.iter()
        .map(|&size| {
            let w: Vec<f64> = TYPE_SHARES
                .iter()
                .enumerate()
                .map(|(t, s)| {
                    s * if t == DELIBERATE {
                        (-0.6 * size).exp()
                    } else {
                        1.0
                    }
                })
                .collect();
            pick(rng, &w)
        })
        .collect()
}

/// Goal priorities: type profile + response style + noise.
fn draw_goals(
    survey: &mut Survey,
    types: &[usize],
    rng: &mut Xoshiro256PlusPlus,
) -> Result<(), SurveyError> {
    for (row, &t) in types.iter().enumerate() {
        let style = 0.35 * normal(rng);
        for (g, goal) in GOALS.iter().enumerate() {
            let x = PROFILES[t][g] + style + 0.85 * normal(rng);
            survey
                .codes_mut(&format!("ziel_{goal}"))?
                .set(row, Some(x.round().clamp(1.0, 5.0) as i64));
        }
    }
    Ok(())
}

/// Strategy status by rank of a latent propensity, and the follow-ups of those with (or
/// developing) a strategy; sets `has` and `dev`.
fn draw_strategy(
    survey: &mut Survey,
    rows: &mut Rows,
    rng: &mut Xoshiro256PlusPlus,
) -> Result<(), SurveyError> {
    let type_strategy = [-0.5, 0.2, 0.5, 0.2];
    let r = &*rows;
    let score: Vec<f64> = (0..r.n)
        .map(|i| {
            0.6 * r.size[i] + 0.7 * r.digital[i] + type_strategy[r.types[i]] + 0.8 * normal(rng)
        })
        .collect();
    let status = by_rank(&score, &[0.14, 0.45, 0.21, 0.20], &[1, 2, 3, 4]);
    for row in 0..r.n {
        survey
            .codes_mut("strategie_status")?
            .set(row, Some(status[row]));
        if status[row] <= 2 {
            draw_strategy_details(survey, row, r.types[row], rng)?;
        }
    }
    rows.has = status.iter().map(|&s| indicator(s == 1)).collect();
    rows.dev = status.iter().map(|&s| indicator(s == 2)).collect();
    Ok(())
}

/// E-government base components: how many by rank, which, and who operates each; sets
/// `egov_good`.
fn draw_base_components(
    survey: &mut Survey,
    rows: &mut Rows,
    rng: &mut Xoshiro256PlusPlus,
) -> Result<(), SurveyError> {
    let r = &*rows;
    let score: Vec<f64> = (0..r.n)
        .map(|i| {
            0.45 * r.size[i]
                + 0.5 * r.digital[i]
                + 0.8 * r.has[i]
                + 0.3 * r.dev[i]
                + 0.4 * r.is(i, OPTIMISERS)
                - 0.3 * r.is(i, DELIBERATE)
                + 0.8 * normal(rng)
        })
        .collect();
    let counts = by_rank(
        &score,
        &[0.03, 0.05, 0.12, 0.32, 0.12, 0.20, 0.16],
        &[6, 5, 4, 3, 2, 1, 0],
    );
    for row in 0..r.n {
        let mut weights = [0.9, 0.8, 0.4, 0.25, 0.6, 0.5, 1.0, 0.2, 0.06];
        if r.types[row] == OPTIMISERS {
            weights[7] *= 2.0;
            weights[8] *= 3.0;
        }
        let used = pick_k(rng, &weights, counts[row] as usize);
        let good = counts[row] >= 3;
        for (c, name) in BASE_COMPONENTS.iter().enumerate() {
            let code = if used.contains(&c) {
                let mut w = operator_weights(c);
                if good {
                    w[0] += 0.05;
                    w[1] += 0.05;
                }
                if r.types[row] == DELIBERATE {
                    w[2] += 0.05;
                }
                pick(rng, &w) as i64 + 1
            } else {
                5
            };
            survey.codes_mut(name)?.set(row, Some(code));
        }
    }
    rows.egov_good = counts.iter().map(|&c| indicator(c >= 3)).collect();
    Ok(())
}

/// Whether the FIM is known, and how helpful its parts are to those who know it.
fn draw_fim(
    survey: &mut Survey,
    r: &Rows,
    rng: &mut Xoshiro256PlusPlus,
) -> Result<(), SurveyError> {
    let score: Vec<f64> = (0..r.n)
        .map(|i| 0.3 * r.size[i] + 0.4 * r.digital[i] + normal(rng))
        .collect();
    let known = by_rank(&score, &[0.29, 0.71], &[1, 0]);
    for row in 0..r.n {
        survey.codes_mut("fim_bekannt")?.set(row, Some(known[row]));
        if known[row] == 1 {
            let helpful_person = normal(rng);
            for item in FIM_ITEMS {
                let p = 1.0 / (1.0 + (-(0.95 + 1.2 * helpful_person)).exp());
                let helpful = rng.gen_bool(p);
                let code = draw_fim_item(rng, helpful);
                survey.codes_mut(item)?.set(row, Some(code));
            }
        }
    }
    Ok(())
}

/// Data instruments and uses: strategy and type matter, e-government and community do not.
fn draw_data(
    survey: &mut Survey,
    r: &Rows,
    rng: &mut Xoshiro256PlusPlus,
) -> Result<(), SurveyError> {
    let type_data = [-0.3, 0.45, 0.3, 0.0];
    let data_latent: Vec<f64> = (0..r.n)
        .map(|i| 0.7 * r.has[i] + 0.2 * r.dev[i] + type_data[r.types[i]] + 0.6 * normal(rng))
        .collect();
    let instruments: [(&str, [f64; 5]); 3] = [
        ("daten_bestandsaufnahme", [0.10, 0.17, 0.15, 0.28, 0.30]),
        ("daten_offenlegung", [0.02, 0.05, 0.08, 0.23, 0.62]),
        ("daten_bereitstellung", [0.03, 0.08, 0.12, 0.27, 0.50]),
    ];
    for (name, shares) in instruments {
        let score: Vec<f64> = data_latent.iter().map(|l| l + normal(rng)).collect();
        let codes = by_rank(&score, &shares, &[5, 4, 3, 2, 1]);
        for (row, code) in codes.into_iter().enumerate() {
            survey.codes_mut(name)?.set(row, Some(code));
        }
    }
    for (name, share) in [
        ("nutzung_kennzahlen_personal", 0.38),
        ("nutzung_kennzahlen_optimierung", 0.31),
        ("nutzung_automatisierung", 0.05),
    ] {
        let score: Vec<f64> = data_latent.iter().map(|l| l + normal(rng)).collect();
        let codes = by_rank(&score, &[share, 1.0 - share], &[1, 0]);
        for (row, code) in codes.into_iter().enumerate() {
            survey.codes_mut(name)?.set(row, Some(code));
        }
    }
    Ok(())
}

/// Community offerings: how many by rank, which, and the support for each; sets `engaged`.
fn draw_community(
    survey: &mut Survey,
    rows: &mut Rows,
    rng: &mut Xoshiro256PlusPlus,
) -> Result<(), SurveyError> {
    let type_community = [-0.3, 0.0, 0.3, 0.9];
    let r = &*rows;
    let score: Vec<f64> = (0..r.n)
        .map(|i| {
            0.3 * r.size[i]
                + 0.2 * r.digital[i]
                + 0.9 * r.egov_good[i]
                + 0.3 * r.has[i]
                + type_community[r.types[i]]
                + 0.8 * normal(rng)
        })
        .collect();
    let offer_counts = by_rank(
        &score,
        &[0.03, 0.04, 0.08, 0.13, 0.18, 0.29, 0.25],
        &[6, 5, 4, 3, 2, 1, 0],
    );
    for row in 0..r.n {
        let mut weights = [0.8, 0.5, 0.8, 1.0, 0.3, 0.3, 0.5, 0.15];
        if r.types[row] == COMMUNITY {
            weights[6] *= 1.5;
            weights[7] *= 1.5;
        }
        let chosen = pick_k(rng, &weights, offer_counts[row] as usize);
        for (o, name) in COMMUNITY_OFFERINGS.iter().enumerate() {
            let code = if chosen.contains(&o) {
                pick(rng, &SUPPORT_WEIGHTS) as i64 + 1
            } else if rng.gen_bool(0.15) {
                4
            } else {
                5
            };
            survey.codes_mut(name)?.set(row, Some(code));
        }
    }
    rows.engaged = offer_counts.iter().map(|&c| indicator(c >= 2)).collect();
    Ok(())
}

/// Who leads: a "Chefsache" set, then the roles within it (mayor, CDO, CIO, per area), then the
/// other leads.
fn draw_leadership(
    survey: &mut Survey,
    r: &Rows,
    rng: &mut Xoshiro256PlusPlus,
) -> Result<(), SurveyError> {
    let roles = draw_chief_roles(r, rng);
    for (area, prefix) in ["leitung_verwaltung", "leitung_gemeinschaft"]
        .iter()
        .enumerate()
    {
        for row in 0..r.n {
            let mut any = false;
            for (role, name) in ["buergermeister", "cdo", "cio"].iter().enumerate() {
                let on = roles[row][area][role];
                any |= on;
                survey
                    .codes_mut(&format!("{prefix}_{name}"))?
                    .set(row, Some(i64::from(on)));
            }
            let p_other = if area == 0 {
                [0.5, 0.35, 0.2]
            } else {
                [0.2, 0.15, 0.3]
            };
            for (name, p) in ["it", "organisation", "fachbereiche"].iter().zip(p_other) {
                let on = rng.gen_bool(p);
                any |= on;
                survey
                    .codes_mut(&format!("{prefix}_{name}"))?
                    .set(row, Some(i64::from(on)));
            }
            survey
                .codes_mut(&format!("{prefix}_keine"))?
                .set(row, Some(i64::from(!any)));
        }
    }
    Ok(())
}

/// Per row, area (administration, community) and role (mayor, CDO, CIO): whether the role leads,
/// drawn by quota among the rows where digitalisation is a "Chefsache".
fn draw_chief_roles(r: &Rows, rng: &mut Xoshiro256PlusPlus) -> Vec<[[bool; 3]; 2]> {
    let score: Vec<f64> = (0..r.n)
        .map(|i| {
            1.0 * r.has[i]
                + 0.5 * r.dev[i]
                + 0.4 * r.engaged[i]
                + 0.3 * r.size[i]
                + 0.3 * r.is(i, COMMUNITY)
                + normal(rng)
        })
        .collect();
    let top = by_rank(&score, &[0.34, 0.66], &[1, 0]);
    let in_top: Vec<usize> = (0..r.n).filter(|&i| top[i] == 1).collect();
    let mut roles = vec![[[false; 3]; 2]; r.n];
    let role_quota = [[0.16, 0.15, 0.12], [0.22, 0.13, 0.08]];
    for (area, quotas) in role_quota.iter().enumerate() {
        for (role, quota) in quotas.iter().enumerate() {
            let score: Vec<f64> = in_top
                .iter()
                .map(|&i| {
                    let base = match role {
                        0 => -0.3 * r.size[i],
                        1 => {
                            1.0 * r.has[i]
                                + 0.5 * r.engaged[i]
                                + 0.4 * r.is(i, COMMUNITY)
                                + 0.3 * r.size[i]
                        }
                        _ => 0.8 * r.has[i] + 0.5 * r.size[i],
                    };
                    let same_in_admin = if area == 1 && roles[i][0][role] {
                        1.5
                    } else {
                        0.0
                    };
                    base + same_in_admin + normal(rng)
                })
                .collect();
            let share = (quota * r.n as f64 / in_top.len() as f64).min(1.0);
            let picked = by_rank(&score, &[share, 1.0 - share], &[1, 0]);
            for (k, &i) in in_top.iter().enumerate() {
                roles[i][area][role] = picked[k] == 1;
            }
        }
    }
    roles
}

/// Staff training: strategy goes with more topics; those developing one plan more.
fn draw_training(
    survey: &mut Survey,
    r: &Rows,
    rng: &mut Xoshiro256PlusPlus,
) -> Result<(), SurveyError> {
    for row in 0..r.n {
        let group = if r.has[row] > 0.0 {
            0
        } else if r.dev[row] > 0.0 {
            1
        } else {
            2
        };
        for (t, name) in TRAINING_TOPICS.iter().enumerate() {
            let (mut offered, planned) = match (t, group) {
                (0, _) => (0.85, 0.08),
                (1, _) => (0.70, 0.15),
                (_, 0) => (0.50, 0.18),
                (_, 1) => (0.20, 0.22),
                _ => (0.08, 0.10),
            };
            if t >= 2 && r.types[row] == SERVICE {
                offered += 0.05;
            }
            let code =
                [1, 2, 3][pick(rng, &[offered, planned, (1.0 - offered - planned).max(0.0)])];
            survey.codes_mut(name)?.set(row, Some(code));
        }
    }
    Ok(())
}

/// Fibre: three quarters engaged, independent of the broadband grade.
fn draw_fibre(
    survey: &mut Survey,
    r: &Rows,
    rng: &mut Xoshiro256PlusPlus,
) -> Result<(), SurveyError> {
    let score: Vec<f64> = (0..r.n).map(|i| 0.2 * r.size[i] + normal(rng)).collect();
    let fibre = by_rank(&score, &[0.76, 0.24], &[1, 0]);
    for row in 0..r.n {
        let p_forms = [0.75, 0.6, 0.4, 0.3, 0.25];
        let mut forms: Vec<bool> = p_forms
            .iter()
            .map(|&p| fibre[row] == 1 && rng.gen_bool(p))
            .collect();
        if fibre[row] == 1 && !forms.contains(&true) {
            forms[0] = true;
        }
        for (f, name) in FIBRE_FORMS.iter().enumerate() {
            let code = if forms[f] {
                1
            } else if rng.gen_bool(0.2) {
                2
            } else {
                3
            };
            survey.codes_mut(name)?.set(row, Some(code));
        }
    }
    Ok(())
}

/// Broadband grade: better where the community is engaged, slightly with a strategy.
fn draw_broadband(
    survey: &mut Survey,
    r: &Rows,
    rng: &mut Xoshiro256PlusPlus,
) -> Result<(), SurveyError> {
    let score: Vec<f64> = (0..r.n)
        .map(|i| 0.6 * r.engaged[i] - 0.2 * r.egov_good[i] + 0.15 * r.has[i] + normal(rng))
        .collect();
    let grades = by_rank(
        &score,
        &[0.09, 0.28, 0.32, 0.16, 0.10, 0.05],
        &[1, 2, 3, 4, 5, 6],
    );
    for (row, g) in grades.into_iter().enumerate() {
        survey.codes_mut("breitband_note")?.set(row, Some(g));
    }
    Ok(())
}

/// Question blocks that respondents skip as a whole, with the skip rate.
pub(super) const BLOCKS: [(&str, f64); 14] = [
    ("strategie_status", 0.01),
    ("ziel_", 0.012),
    ("feld_", 0.02),
    ("anknuepfung_", 0.02),
    ("top3_", 0.02),
    ("basis_", 0.02),
    ("fim_bekannt", 0.02),
    ("daten_", 0.03),
    ("nutzung_", 0.025),
    ("leitung_verwaltung_", 0.02),
    ("leitung_gemeinschaft_", 0.03),
    ("fortbildung_", 0.03),
    ("gemeinschaft_", 0.02),
    ("glasfaser_", 0.025),
];

/// Blanks whole blocks and single items at realistic rates; some respondents skip more than others.
fn apply_non_response(
    survey: &mut Survey,
    rng: &mut Xoshiro256PlusPlus,
) -> Result<(), SurveyError> {
    let n = survey.len();
    let diligence: Vec<f64> = (0..n).map(|_| (0.7 * normal(rng)).exp() / 1.28).collect();
    let names = variable_names(survey);
    for (prefix, rate) in BLOCKS {
        let block: Vec<&String> = names.iter().filter(|n| n.starts_with(prefix)).collect();
        for row in 0..n {
            if rng.gen_bool((rate * diligence[row]).min(1.0)) {
                for name in &block {
                    survey.codes_mut(name)?.set(row, None);
                }
                if prefix == "strategie_status" {
                    clear_strategy_details(survey, row)?;
                }
                if prefix == "fim_bekannt" {
                    for item in FIM_ITEMS {
                        survey.codes_mut(item)?.set(row, None);
                    }
                }
            }
        }
    }
    // single items: goal priorities, FIM items and the broadband grade
    let items: Vec<(String, f64)> = GOALS
        .iter()
        .map(|g| (format!("ziel_{g}"), 0.005))
        .chain(FIM_ITEMS.iter().map(|f| (f.to_string(), 0.03)))
        .chain([("breitband_note".to_string(), 0.02)])
        .collect();
    for (name, rate) in items {
        for row in 0..n {
            if rng.gen_bool((rate * diligence[row]).min(1.0)) {
                survey.codes_mut(&name)?.set(row, None);
            }
        }
    }
    Ok(())
}
