//! The stand-in's second wave: the same municipalities some years on, with changes planted where
//! they are known. A set of municipalities moved to another type (their goal priorities drawn
//! afresh from the other type's profile, as the first wave draws them); some left the survey and
//! some entered it (their goals drawn from a type's profile, their other answers those of a
//! municipality of the first wave); three merged into one under a new identifier (the key file
//! says so); every other municipality answered its goals again with a few answers one point off.
//! What was planted is returned beside the survey, so that a comparison of the two waves can be
//! checked against it.

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

use super::model::{normal, pick, GOALS, PROFILES, TYPES, TYPE_SHARES};
use crate::survey::{Survey, SurveyError};

/// What was planted for one identifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Answered again, a few goal answers one point off.
    Unchanged,
    /// Moved to another type's profile.
    Moved,
    Left,
    Entered,
    /// Merged with others into one municipality under a new identifier (its answers those of
    /// the first of them, answered again).
    Merged,
}

impl Change {
    /// The change's name in the planted-changes file.
    pub fn slug(self) -> &'static str {
        match self {
            Change::Unchanged => "unchanged",
            Change::Moved => "moved",
            Change::Left => "left",
            Change::Entered => "entered",
            Change::Merged => "merged",
        }
    }
}

/// One identifier's planted change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planted {
    /// The identifier in the first wave (the second wave's for one that entered).
    pub id: String,
    /// The identifier in the second wave (`None`: left).
    pub new_id: Option<String>,
    pub old_type: Option<&'static str>,
    pub new_type: Option<&'static str>,
    pub change: Change,
}

/// The second wave: the survey, the key file's lines (earlier id, later id) and what was planted.
#[derive(Debug, Clone)]
pub struct SecondWave {
    pub survey: Survey,
    pub keys: Vec<(String, String)>,
    pub planted: Vec<Planted>,
}

/// Shares of the first wave's municipalities that move type, leave, and (of the first wave's
/// size) enter; how many merge; how likely a goal answer of an unchanged municipality is one
/// point off.
const MOVED: f64 = 0.08;
const LEFT: f64 = 0.03;
const ENTERED: f64 = 0.03;
const MERGED: usize = 3;
const JITTER: f64 = 0.05;

/// Goal priorities drawn from type `t`'s profile, as the first wave draws them.
fn draw_goals(rng: &mut Xoshiro256PlusPlus, t: usize) -> [Option<i64>; 11] {
    let style = 0.35 * normal(rng);
    let mut out = [None; 11];
    for (g, slot) in out.iter_mut().enumerate() {
        let x = PROFILES[t][g] + style + 0.85 * normal(rng);
        *slot = Some(x.round().clamp(1.0, 5.0) as i64);
    }
    out
}

/// The second wave of `first` (whose rows have the planted types `planted`, ids of [`TYPES`]),
/// drawn with `seed`.
pub fn second_wave(
    first: &Survey,
    planted: &[&'static str],
    seed: u64,
) -> Result<SecondWave, SurveyError> {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed ^ 0x2_0A7E);
    let n = first.len();
    let type_of = |row: usize| TYPES.iter().position(|t| *t == planted[row]).unwrap_or(0);
    let mut order: Vec<usize> = (0..n).collect();
    order.shuffle(&mut rng);
    let count = |share: f64| (share * n as f64).round() as usize;
    let (moved_n, left_n) = (count(MOVED), count(LEFT));
    let merged_n = if n >= 20 * MERGED { MERGED } else { 0 };
    let mut change = vec![Change::Unchanged; n];
    for (i, &row) in order.iter().enumerate() {
        change[row] = match i {
            i if i < moved_n => Change::Moved,
            i if i < moved_n + left_n => Change::Left,
            i if i < moved_n + left_n + merged_n => Change::Merged,
            _ => Change::Unchanged,
        };
    }
    let merged: Vec<usize> = (0..n).filter(|&r| change[r] == Change::Merged).collect();
    let kept: Vec<usize> = (0..n)
        .filter(|&r| change[r] != Change::Left && merged.iter().skip(1).all(|&m| m != r))
        .collect();
    let entered_n = count(ENTERED);
    let sources: Vec<usize> = (0..entered_n)
        .map(|_| kept[rng.gen_range(0..kept.len())])
        .collect();
    let rows: Vec<usize> = kept.iter().chain(&sources).copied().collect();
    let mut survey = first.select_rows(&rows);
    let merged_id = "SYN-F001".to_string();
    let mut out_planted = Vec::new();
    let mut new_types = Vec::with_capacity(rows.len());
    for (i, &row) in kept.iter().enumerate() {
        let old = type_of(row);
        let new = match change[row] {
            Change::Moved => {
                let others: Vec<usize> = (0..TYPES.len()).filter(|&t| t != old).collect();
                others[rng.gen_range(0..others.len())]
            }
            _ => old,
        };
        new_types.push((i, old, new, change[row]));
    }
    for e in 0..entered_n {
        let t = pick(&mut rng, &TYPE_SHARES);
        let i = kept.len() + e;
        survey.ids_mut()[i] = format!("SYN-{:04}", n + 1 + e);
        new_types.push((i, t, t, Change::Entered));
    }
    for &(i, old, new, c) in &new_types {
        let goals = match c {
            Change::Moved | Change::Entered => draw_goals(&mut rng, new),
            _ => jittered(&survey, i, &mut rng)?,
        };
        for (g, goal) in GOALS.iter().enumerate() {
            survey.codes_mut(&format!("ziel_{goal}"))?.set(i, goals[g]);
        }
        let id = survey.ids()[i].clone();
        let (first_id, new_id) = match c {
            Change::Merged => (first.ids()[kept[i]].clone(), merged_id.clone()),
            Change::Entered => (id.clone(), id.clone()),
            _ => (id.clone(), id),
        };
        out_planted.push(Planted {
            id: first_id,
            new_id: Some(new_id),
            old_type: (c != Change::Entered).then_some(TYPES[old]),
            new_type: Some(TYPES[new]),
            change: c,
        });
    }
    if let Some(&first_merged) = merged.first() {
        let i = kept.iter().position(|&r| r == first_merged).expect("kept");
        survey.ids_mut()[i] = merged_id.clone();
    }
    let mut keys = Vec::new();
    for &row in &merged {
        keys.push((first.ids()[row].clone(), merged_id.clone()));
        if row != merged[0] {
            out_planted.push(Planted {
                id: first.ids()[row].clone(),
                new_id: Some(merged_id.clone()),
                old_type: Some(TYPES[type_of(row)]),
                new_type: Some(TYPES[type_of(merged[0])]),
                change: Change::Merged,
            });
        }
    }
    for row in (0..n).filter(|&r| change[r] == Change::Left) {
        out_planted.push(Planted {
            id: first.ids()[row].clone(),
            new_id: None,
            old_type: Some(TYPES[type_of(row)]),
            new_type: None,
            change: Change::Left,
        });
    }
    out_planted.sort_by(|a, b| a.id.cmp(&b.id).then_with(|| a.new_id.cmp(&b.new_id)));
    Ok(SecondWave {
        survey,
        keys,
        planted: out_planted,
    })
}

/// Row `i`'s goal answers, each one point up or down with probability [`JITTER`] (within 1-5;
/// a goal not answered stays so).
fn jittered(
    survey: &Survey,
    i: usize,
    rng: &mut Xoshiro256PlusPlus,
) -> Result<[Option<i64>; 11], SurveyError> {
    let mut out = [None; 11];
    for (g, goal) in GOALS.iter().enumerate() {
        out[g] = survey.codes(&format!("ziel_{goal}"))?.get(i).map(|v| {
            if rng.gen_bool(JITTER) {
                let step = if rng.gen_bool(0.5) { 1 } else { -1 };
                (v + step).clamp(1, 5)
            } else {
                v
            }
        });
    }
    Ok(out)
}
