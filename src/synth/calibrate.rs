//! Calibration of the drawn answers to the published figures and findings, by greedy local search:
//! pick a figure or finding that is off (weighted by how far), change or swap one answer that
//! bears on it, keep the change only if the total shortfall shrinks (the figures recomputed from
//! the counts of the rows that changed, [`super::tally`]). Each figure is calibrated
//! towards a target drawn at random (seeded) inside its published range, not onto the printed
//! number, so the calibrated values scatter over the range as a real survey's would. Goal
//! priorities are never touched, so the planted types stay as drawn.

use rand::Rng;
use rand_xoshiro::Xoshiro256PlusPlus;

use super::model::{
    clear_strategy_details, draw_fim_item, operator_weights, pick, redraw_strategy_details, Latent,
    FIELDS, FIM_ITEMS, GOALS, LINKS, LINK_NONE,
};
use super::tally::{Outcome, Tally};
use crate::figures::indicators::{
    BASE_COMPONENTS, COMMUNITY_OFFERINGS, DATA_INSTRUMENTS, DATA_USES, FIBRE_FORMS, LEAD_NONE,
    LEAD_ROLES, TRAINING_TOPICS,
};
use crate::figures::{FigureError, Published, PublishedFigure, Relation};
use crate::progress;
use crate::survey::{Survey, SurveyError};

/// How the calibration went.
#[derive(Debug, Clone, PartialEq)]
pub struct Calibration {
    pub steps: usize,
    pub accepted: usize,
    pub loss_before: f64,
    pub loss_after: f64,
    /// Step at which the last change was kept.
    pub last_improvement: usize,
    /// Figures and findings still short of their target room, with the shortfall.
    pub remaining: Vec<(String, f64)>,
}

/// Steps without improvement after which the search stops.
const PATIENCE: usize = 2_500;

/// Findings should hold with this margin (z units for tests).
const TARGET_MARGIN: f64 = 0.6;

/// How far a bound's range reaches: "> 20" is taken as 20 to 25, "< 25" as 20 to 25.
const BOUND_REACH: f64 = 5.0;

/// The range targets are drawn from, inside a figure's published range: a tenth of a closed range
/// is kept free at either end; for a bound, the band from one point past it to `BOUND_REACH`.
fn target_range(fig: &PublishedFigure) -> (f64, f64) {
    let (low, high) = fig.range();
    match fig.relation {
        Relation::Gt => (low + 1.0, (low + BOUND_REACH).min(99.5)),
        Relation::Lt => ((high - BOUND_REACH).max(0.5), high - 1.0),
        Relation::Exact | Relation::Approx | Relation::Between => {
            let room = 0.1 * (high - low);
            (low + room, high - room)
        }
    }
}

/// Room kept inside the published range itself (a value closer to its edge counts as off).
fn edge_room(fig: &PublishedFigure) -> f64 {
    match fig.relation {
        Relation::Gt | Relation::Lt => 0.5,
        _ => {
            let (low, high) = fig.range();
            0.05 * (high - low)
        }
    }
}

/// The targets of the calibration: one value per part of each figure, drawn at random (seeded)
/// inside the figure's published range, so that the calibrated data land somewhere in the range
/// rather than on the printed number.
fn draw_targets(
    published: &Published,
    outcomes: &[Outcome],
    rng: &mut Xoshiro256PlusPlus,
) -> Vec<Vec<f64>> {
    published
        .figures
        .iter()
        .zip(outcomes)
        .map(|(f, o)| {
            let (low, high) = target_range(f);
            let parts = match o {
                Outcome::Figure(Some(parts)) => parts.len(),
                _ => 0,
            };
            (0..parts).map(|_| rng.gen_range(low..=high)).collect()
        })
        .collect()
}

/// How close to its target a part must come: half the step one answer makes (a share of n moves
/// in steps of 100 / n points), at least 0.05.
fn target_slack(fig: &PublishedFigure, base: usize) -> f64 {
    if fig.is_percent() {
        (50.0 / base.max(1) as f64).max(0.05)
    } else {
        0.05
    }
}

/// Shortfall of each figure and finding (0 when a figure is at its target and well inside its
/// range, and a finding holds with room to spare), from the outcomes of the tally (the figures,
/// then the findings, in the published order).
fn shortfalls<'a>(
    published: &'a Published,
    outcomes: &[Outcome],
    targets: &[Vec<f64>],
) -> Vec<(&'a str, f64)> {
    let mut out = Vec::with_capacity(outcomes.len());
    for ((fig, outcome), target) in published.figures.iter().zip(outcomes).zip(targets) {
        let excess = match outcome {
            Outcome::Figure(Some(parts))
                if !parts.is_empty()
                    && parts.iter().all(|p| p.1 > 0)
                    && parts.len() == target.len() =>
            {
                parts
                    .iter()
                    .zip(target)
                    .map(|(&(value, base), t)| {
                        let (low, high) = fig.range();
                        let room = edge_room(fig);
                        let outside = (low + room - value).max(value - (high - room)).max(0.0);
                        let off = ((value - t).abs() - target_slack(fig, base)).max(0.0);
                        // leaving the range costs more than any distance from a target inside it
                        let leave = if outside > 0.0 { 100.0 } else { 0.0 };
                        off.powi(2) + leave + 1000.0 * outside.powi(2)
                    })
                    .sum()
            }
            _ => 100.0,
        };
        out.push((fig.id.as_str(), excess));
    }
    for (f, outcome) in published
        .findings
        .iter()
        .zip(&outcomes[published.figures.len()..])
    {
        let short = match outcome {
            Outcome::Finding(margins) if !margins.is_empty() => margins
                .iter()
                .map(|m| (TARGET_MARGIN - m.max(-10.0)).max(0.0).powi(2) * 4.0)
                .sum(),
            _ => 100.0,
        };
        out.push((f.id.as_str(), short));
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Move {
    Status,
    Component,
    Operator,
    FimKnown,
    FimItem,
    Data,
    Lead,
    Training,
    Offering,
    Fibre,
    Grade,
    Field,
    Link,
    Top3,
}

/// Which answers bear on a figure or finding.
fn moves_for(id: &str) -> &'static [Move] {
    use Move::*;
    match id {
        "egov_good_with_strategy" => &[Status, Component],
        "community_engaged_with_strategy" => &[Status, Offering],
        "egov_good_also_community_engaged" => &[Component, Offering],
        "size_strategy" => &[Status],
        "size_egov" => &[Component],
        "size_community" => &[Offering],
        "goal_ranking_top3" => &[Top3],
        "strategy_links_ranking" => &[Link],
        "strategy_data_use" | "egov_community_no_data_effect" => &[Data],
        "strategy_training" => &[Training],
        "chefsache_strategy" => &[Lead],
        "fibre_independent_of_grade" | "egov_independent_of_infrastructure" => &[Fibre, Grade],
        "community_better_infrastructure" => &[Grade],
        "egov_operated_in_house" => &[Operator],
        id if id.starts_with("strategy_") => &[Status],
        id if id.starts_with("basecomp_") => &[Component],
        id if id.starts_with("community_lead_")
            || id.starts_with("admin_lead_")
            || id == "chefsache_any" =>
        {
            &[Lead]
        }
        id if id.starts_with("community_") => &[Offering],
        "fim_known" => &[FimKnown],
        id if id.starts_with("fim_") => &[FimItem],
        id if id.starts_with("data_") => &[Data],
        id if id.starts_with("field_") => &[Field],
        id if id.starts_with("goal_") => &[Top3],
        id if id.starts_with("link_") => &[Link],
        id if id.starts_with("training_") => &[Training],
        id if id.starts_with("fibre_") => &[Fibre],
        id if id.starts_with("broadband_") => &[Grade],
        _ => &[],
    }
}

/// Changes with their undo log.
struct Editor<'a> {
    survey: &'a mut Survey,
    undo: Vec<(String, usize, Option<i64>)>,
}

impl Editor<'_> {
    fn get(&self, name: &str, row: usize) -> Result<Option<i64>, SurveyError> {
        Ok(self.survey.codes(name)?.get(row))
    }

    fn remember(&mut self, name: &str, row: usize) -> Result<(), SurveyError> {
        let old = self.get(name, row)?;
        self.undo.push((name.to_string(), row, old));
        Ok(())
    }

    fn set(&mut self, name: &str, row: usize, value: Option<i64>) -> Result<(), SurveyError> {
        self.remember(name, row)?;
        self.survey.codes_mut(name)?.set(row, value);
        Ok(())
    }

    fn rollback(&mut self) -> Result<(), SurveyError> {
        while let Some((name, row, old)) = self.undo.pop() {
            self.survey.codes_mut(&name)?.set(row, old);
        }
        Ok(())
    }
}

/// The leadership roles other than "no fixed responsibility".
fn named_roles() -> impl Iterator<Item = &'static str> {
    LEAD_ROLES.iter().copied().filter(|r| *r != LEAD_NONE)
}

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

/// Columns a move works on, the codes it may draw, and the rows it may touch.
fn columns_of(m: Move) -> (Vec<String>, Vec<i64>) {
    let lead: Vec<String> = ["verwaltung", "gemeinschaft"]
        .iter()
        .flat_map(|a| named_roles().map(move |r| format!("leitung_{a}_{r}")))
        .collect();
    match m {
        Move::Component | Move::Operator => (names(&BASE_COMPONENTS), vec![1, 2, 3, 4]),
        Move::FimItem => (names(&FIM_ITEMS), vec![]),
        Move::Data => (
            names(&DATA_INSTRUMENTS)
                .into_iter()
                .chain(names(&DATA_USES))
                .collect(),
            vec![],
        ),
        Move::Lead => (lead, vec![0, 1]),
        Move::Training => (names(&TRAINING_TOPICS), vec![1, 2, 3]),
        Move::Offering => (names(&COMMUNITY_OFFERINGS), vec![1, 2, 3, 4, 5]),
        Move::Fibre => (names(&FIBRE_FORMS), vec![1, 2, 3]),
        Move::Grade => (vec!["breitband_note".into()], vec![1, 2, 3, 4, 5, 6]),
        Move::Field => (names(&FIELDS), vec![0, 1]),
        Move::Link => (
            names(&LINKS)
                .into_iter()
                .chain([LINK_NONE.to_string()])
                .collect(),
            vec![0, 1],
        ),
        Move::Top3 => (
            GOALS.iter().map(|g| format!("top3_{g}")).collect(),
            vec![0, 1],
        ),
        Move::Status | Move::FimKnown => (vec![], vec![]),
    }
}

fn domain_for(m: Move, column: &str) -> Vec<i64> {
    match m {
        Move::Data if column.starts_with("daten_") => vec![1, 2, 3, 4, 5],
        Move::Data => vec![0, 1],
        Move::FimItem => vec![1, 2, 3, 4, 5],
        _ => columns_of(m).1,
    }
}

/// Sets a strategy status, filling or clearing the follow-ups as the routing requires.
fn set_status(
    ed: &mut Editor,
    latent: &Latent,
    row: usize,
    status: i64,
    rng: &mut Xoshiro256PlusPlus,
) -> Result<(), SurveyError> {
    let old = ed.get("strategie_status", row)?;
    let asked = |s: Option<i64>| matches!(s, Some(1 | 2));
    let follow: Vec<String> = names(&FIELDS)
        .into_iter()
        .chain(names(&LINKS))
        .chain([LINK_NONE.to_string()])
        .chain(GOALS.iter().map(|g| format!("top3_{g}")))
        .collect();
    ed.set("strategie_status", row, Some(status))?;
    if asked(old) != asked(Some(status)) {
        for name in &follow {
            ed.remember(name, row)?;
        }
        if asked(Some(status)) {
            redraw_strategy_details(ed.survey, row, latent.types[row], rng)?;
        } else {
            clear_strategy_details(ed.survey, row)?;
        }
    }
    Ok(())
}

/// Restores the row-level rules after `column` changed in `row`.
fn fix_row(
    ed: &mut Editor,
    m: Move,
    column: &str,
    row: usize,
    rng: &mut Xoshiro256PlusPlus,
) -> Result<(), SurveyError> {
    let value = ed.get(column, row)?;
    match m {
        Move::Lead => {
            let area = if column.starts_with("leitung_verwaltung") {
                "verwaltung"
            } else {
                "gemeinschaft"
            };
            let mut any = false;
            for r in named_roles() {
                any |= ed.get(&format!("leitung_{area}_{r}"), row)? == Some(1);
            }
            ed.set(
                &format!("leitung_{area}_{LEAD_NONE}"),
                row,
                Some(i64::from(!any)),
            )?;
        }
        Move::Link => {
            if column == LINK_NONE && value == Some(1) {
                for l in LINKS {
                    ed.set(l, row, Some(0))?;
                }
            } else {
                let mut any = false;
                for l in LINKS {
                    any |= ed.get(l, row)? == Some(1);
                }
                ed.set(LINK_NONE, row, Some(i64::from(!any)))?;
            }
        }
        Move::Field | Move::Top3 => {
            let (cols, _) = columns_of(m);
            let limit = 3;
            let on: Vec<&String> = cols
                .iter()
                .filter(|c| c.as_str() != column && ed.get(c, row).ok().flatten() == Some(1))
                .collect();
            let total = on.len() + usize::from(value == Some(1));
            if total > limit {
                let off = on[rng.gen_range(0..on.len())].clone();
                ed.set(&off, row, Some(0))?;
            } else if m == Move::Top3 && total < limit {
                let off: Vec<&String> = cols
                    .iter()
                    .filter(|c| c.as_str() != column && ed.get(c, row).ok().flatten() == Some(0))
                    .collect();
                if !off.is_empty() {
                    let on = off[rng.gen_range(0..off.len())].clone();
                    ed.set(&on, row, Some(1))?;
                }
            }
        }
        _ => {}
    }
    Ok(())
}

/// A new value for one cell under move `m`.
fn redraw(m: Move, column: &str, old: i64, rng: &mut Xoshiro256PlusPlus) -> i64 {
    match m {
        Move::Component if old == 5 => {
            let c = BASE_COMPONENTS
                .iter()
                .position(|b| *b == column)
                .unwrap_or(0);
            pick(rng, &operator_weights(c)) as i64 + 1
        }
        Move::Component => 5,
        Move::Grade => (old + if rng.gen_bool(0.5) { 1 } else { -1 }).clamp(1, 6),
        Move::FimItem => draw_fim_item(rng, old > 2),
        _ => {
            let domain: Vec<i64> = domain_for(m, column)
                .into_iter()
                .filter(|&v| v != old)
                .collect();
            domain[rng.gen_range(0..domain.len())]
        }
    }
}

/// Tries one move; returns whether anything changed.
fn propose(
    ed: &mut Editor,
    latent: &Latent,
    m: Move,
    rng: &mut Xoshiro256PlusPlus,
) -> Result<bool, SurveyError> {
    let n = ed.survey.len();
    let row = rng.gen_range(0..n);
    match m {
        Move::Status => {
            let Some(old) = ed.get("strategie_status", row)? else {
                return Ok(false);
            };
            if rng.gen_bool(0.5) {
                let other = rng.gen_range(0..n);
                let Some(theirs) = ed.get("strategie_status", other)? else {
                    return Ok(false);
                };
                if theirs == old {
                    return Ok(false);
                }
                set_status(ed, latent, row, theirs, rng)?;
                set_status(ed, latent, other, old, rng)?;
            } else {
                let choices: Vec<i64> = (1..=4).filter(|&s| s != old).collect();
                set_status(ed, latent, row, choices[rng.gen_range(0..3)], rng)?;
            }
            Ok(true)
        }
        Move::FimKnown => {
            let Some(old) = ed.get("fim_bekannt", row)? else {
                return Ok(false);
            };
            ed.set("fim_bekannt", row, Some(1 - old))?;
            for item in FIM_ITEMS {
                let helpful = rng.gen_bool(0.72);
                let v = if old == 0 {
                    Some(draw_fim_item(rng, helpful))
                } else {
                    None
                };
                ed.set(item, row, v)?;
            }
            Ok(true)
        }
        _ => {
            let (cols, _) = columns_of(m);
            let column = cols[rng.gen_range(0..cols.len())].clone();
            let Some(old) = ed.get(&column, row)? else {
                return Ok(false);
            };
            if m == Move::Operator && old == 5 {
                return Ok(false);
            }
            if rng.gen_bool(0.5) {
                let other = rng.gen_range(0..n);
                let Some(theirs) = ed.get(&column, other)? else {
                    return Ok(false);
                };
                if theirs == old || (m == Move::Operator && theirs == 5) {
                    return Ok(false);
                }
                ed.set(&column, row, Some(theirs))?;
                ed.set(&column, other, Some(old))?;
                fix_row(ed, m, &column, row, rng)?;
                fix_row(ed, m, &column, other, rng)?;
            } else {
                let new = redraw(m, &column, old, rng);
                if new == old {
                    return Ok(false);
                }
                ed.set(&column, row, Some(new))?;
                fix_row(ed, m, &column, row, rng)?;
            }
            Ok(true)
        }
    }
}

fn total(short: &[(&str, f64)]) -> f64 {
    short.iter().map(|s| s.1).sum()
}

/// Calibrates `survey` in place; `on_step` is told the step and the total shortfall after each
/// step (for a progress bar). The figures and findings are kept up to date by a [`Tally`] of the
/// rows a step changes, so a step costs the same whatever the number of rows.
pub fn calibrate(
    survey: &mut Survey,
    latent: &Latent,
    published: &Published,
    max_steps: usize,
    rng: &mut Xoshiro256PlusPlus,
    on_step: &dyn Fn(usize, f64),
) -> Result<Calibration, FigureError> {
    let mut tally = Tally::new(survey, published)?;
    let targets = draw_targets(published, tally.outcomes(), rng);
    let mut short = shortfalls(published, tally.outcomes(), &targets);
    let loss_before = total(&short);
    let mut loss = loss_before;
    let (mut steps, mut accepted, mut last_improvement) = (0, 0, 0);
    progress::start(progress::Task::Calibration, max_steps as u64);
    while loss > 0.0 && steps < max_steps && steps - last_improvement < PATIENCE {
        steps += 1;
        let weights: Vec<f64> = short
            .iter()
            .map(|(id, s)| {
                if moves_for(id).is_empty() {
                    0.0
                } else {
                    s.sqrt()
                }
            })
            .collect();
        if weights.iter().sum::<f64>() <= 0.0 {
            break;
        }
        let target = short[pick(rng, &weights)].0;
        let options = moves_for(target);
        let m = options[rng.gen_range(0..options.len())];
        let mut ed = Editor {
            survey,
            undo: Vec::new(),
        };
        if !propose(&mut ed, latent, m, rng)? {
            continue;
        }
        let mut rows: Vec<usize> = ed.undo.iter().map(|u| u.1).collect();
        rows.sort_unstable();
        rows.dedup();
        for row in rows {
            tally.update(ed.survey, row)?;
        }
        let candidate = shortfalls(published, tally.outcomes(), &targets);
        let new_loss = total(&candidate);
        if new_loss < loss - 1e-12 {
            loss = new_loss;
            short = candidate;
            tally.commit();
            accepted += 1;
            last_improvement = steps;
        } else {
            ed.rollback()?;
            tally.revert();
        }
        on_step(steps, loss);
        if steps % 64 == 0 {
            progress::advance(64);
        }
    }
    let remaining = short
        .into_iter()
        .filter(|s| s.1 > 0.0)
        .map(|(id, s)| (id.to_string(), s))
        .collect();
    Ok(Calibration {
        steps,
        accepted,
        loss_before,
        loss_after: loss,
        last_improvement,
        remaining,
    })
}
