//! Two waves of a survey compared: who switched type, and why. Each wave is clustered as
//! `cluster` clusters one (the same options and seed; the types named by the same type
//! definitions, so a type keeps its name across waves) and classified with both models: earlier
//! answers by the earlier model (the earlier types), later answers by the later model (the later
//! types), later answers by the earlier model and earlier answers by the later model. The
//! earlier types are matched to the later ones by their centres ([`matching`]), and every
//! identifier of either wave gets a [`Reason`] ([`reason`]): stayed, real change, re-estimation,
//! mixed, a type dissolved or new, entered, left. Identifiers that changed between the waves come
//! from a key file ([`keys`]).
//!
//! Numbers and identifiers only: no words, no language; `crate::show::views::waves` shows them.
//! Distances are Euclidean in the earlier model's scaled space (the answers' units with
//! `--scale none`). A municipality left out of a wave's clustering (missing answers) counts as not
//! in that wave.

mod error;
pub mod keys;
pub mod matching;
pub mod reason;

use std::collections::HashMap;

use crate::cluster::{self, ClusterOptions, SavedModel, TypeDef, Typology};
use crate::survey::{Survey, Weighting};

pub use error::WavesError;
pub use keys::{parse_keys, Keys, Succession};
pub use matching::{match_types, Matching};
pub use reason::{reason, Reason};

/// One wave: its survey, its weighting, and the name it goes by in messages.
#[derive(Clone, Copy)]
pub struct Wave<'a> {
    pub survey: &'a Survey,
    pub weighting: &'a Weighting,
    pub name: &'a str,
}

/// One identifier's way from the earlier wave to the later one.
#[derive(Debug, Clone, PartialEq)]
pub struct Switch {
    /// Its identifier in the earlier wave (in the later wave for one that entered).
    pub id: String,
    /// Its identifier in the later wave (`None`: it left); another than `id` by the key file.
    pub new_id: Option<String>,
    /// Its earlier type (an index into the earlier types), `None` when not in the earlier wave.
    pub old_type: Option<usize>,
    /// Its later type (an index into the later types).
    pub new_type: Option<usize>,
    pub reason: Reason,
    /// The margin of its earlier type (distance to the second-nearest centre minus to the nearest).
    pub old_margin: Option<f64>,
    pub new_margin: Option<f64>,
    /// How far its answers moved (earlier model's scaled space).
    pub distance: Option<f64>,
    /// The earlier type its later answers are nearest to.
    pub new_under_old: Option<usize>,
    /// The later type its earlier answers are nearest to.
    pub old_under_new: Option<usize>,
    /// Its weight: the later wave's where it is in it, else the earlier wave's (1 unweighted).
    pub weight: f64,
    /// Whether it shares its later identifier with other earlier identifiers (a merger).
    pub merged: bool,
}

/// How many municipalities (and how much weight) went from an earlier type to a later one.
#[derive(Debug, Clone, PartialEq)]
pub struct Transition {
    /// The earlier type; `None`: entered.
    pub from: Option<usize>,
    /// The later type; `None`: left.
    pub to: Option<usize>,
    pub n: usize,
    pub weight: f64,
}

/// The two waves compared.
#[derive(Debug, Clone)]
pub struct Waves {
    pub old: Typology,
    pub new: Typology,
    pub matching: Matching,
    /// Every identifier of either wave, by earlier identifier (then later).
    pub switches: Vec<Switch>,
    pub succession: Succession,
    /// Identifiers in a wave's file but clustered in neither wave (missing answers): in no
    /// switch, and named here.
    pub unclustered: Vec<String>,
}

/// Per survey row, its type and margin in `t` (`None`: not clustered).
fn by_row(t: &Typology) -> Vec<Option<(usize, f64)>> {
    let mut out = vec![None; t.n_rows];
    for a in &t.assignments {
        out[a.row] = Some((a.type_index, a.margin));
    }
    out
}

fn euclid(a: &[f64], b: &[f64]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y) * (x - y))
        .sum::<f64>()
        .sqrt()
}

/// Clusters `wave` (its weights applied, as `cluster` does).
fn fit(wave: Wave, options: &ClusterOptions, types: &[TypeDef]) -> Result<Typology, WavesError> {
    cluster::fit_typology_weighted(wave.survey, options, types, wave.weighting).map_err(|source| {
        WavesError::Cluster {
            wave: wave.name.to_string(),
            source,
        }
    })
}

/// The four classifications and the distances a comparison needs, per survey row of each wave.
struct Classified {
    /// Later answers under the earlier model, per later row.
    new_under_old: Vec<Option<usize>>,
    /// Earlier answers under the later model, per earlier row.
    old_under_new: Vec<Option<usize>>,
    /// Each wave's rows as points of the earlier model's scaled space.
    old_points: Vec<Option<Vec<f64>>>,
    new_points: Vec<Option<Vec<f64>>>,
}

fn classify_both(old: (&Typology, Wave), new: (&Typology, Wave)) -> Result<Classified, WavesError> {
    // the models only classify here: their display names are the type ids
    let model = |t: &Typology| {
        let names: Vec<(String, String)> = t
            .types
            .iter()
            .map(|ty| (ty.name.id.clone(), ty.name.id.clone()))
            .collect();
        SavedModel::from_typology(t, &names, "", "", "")
    };
    let (old_model, new_model) = (model(old.0), model(new.0));
    let fail = |wave: Wave| {
        let name = wave.name.to_string();
        move |source| WavesError::Cluster { wave: name, source }
    };
    let types = |rows: Vec<cluster::Classified>| rows.into_iter().map(|r| r.type_index).collect();
    Ok(Classified {
        new_under_old: types(cluster::classify(&old_model, new.1.survey).map_err(fail(new.1))?),
        old_under_new: types(cluster::classify(&new_model, old.1.survey).map_err(fail(old.1))?),
        old_points: cluster::scaled_points(&old_model, old.1.survey).map_err(fail(old.1))?,
        new_points: cluster::scaled_points(&old_model, new.1.survey).map_err(fail(new.1))?,
    })
}

/// The earlier and later types' centres in the earlier model's scaled space.
fn centres(old: &Typology, new: &Typology) -> (Vec<Vec<f64>>, Vec<Vec<f64>>) {
    let old_c = old
        .types
        .iter()
        .map(|t| t.centroid_scaled.clone())
        .collect();
    let new_c = new
        .types
        .iter()
        .map(|t| {
            old.scaler
                .transform_row(ndarray::ArrayView1::from(&t.centroid))
                .to_vec()
        })
        .collect();
    (old_c, new_c)
}

/// Compares two waves: clusters each with its options (`options`: the earlier wave's and the
/// later wave's, which differ at most in the seed) and `types`, matches the types, and gives
/// every identifier of either wave its reason. `keys` maps earlier identifiers to later ones
/// (checked against the waves; `keys_name` names the key file in errors).
pub fn compare(
    old: Wave,
    new: Wave,
    options: [&ClusterOptions; 2],
    types: &[TypeDef],
    keys: &Keys,
    keys_name: &str,
) -> Result<Waves, WavesError> {
    let succession = keys.succession(old.survey.ids(), new.survey.ids(), keys_name)?;
    let old_t = fit(old, options[0], types)?;
    let new_t = fit(new, options[1], types)?;
    let c = classify_both((&old_t, old), (&new_t, new))?;
    let (old_c, new_c) = centres(&old_t, &new_t);
    let matching = match_types(&old_c, &new_c);
    let all = switches(
        (&old_t, old.survey),
        (&new_t, new.survey),
        &c,
        &matching,
        &succession,
    );
    let (switches, unclustered): (Vec<Switch>, Vec<Switch>) = all
        .into_iter()
        .partition(|s| s.old_type.is_some() || s.new_type.is_some());
    Ok(Waves {
        old: old_t,
        new: new_t,
        matching,
        switches,
        succession,
        unclustered: unclustered.into_iter().map(|s| s.id).collect(),
    })
}

/// Every identifier's switch (see [`compare`]), sorted by earlier identifier, then later.
fn switches(
    old: (&Typology, &Survey),
    new: (&Typology, &Survey),
    c: &Classified,
    m: &Matching,
    succession: &Succession,
) -> Vec<Switch> {
    let (old_rows, new_rows) = (by_row(old.0), by_row(new.0));
    let (old_w, new_w) = (old.0.row_weights(), new.0.row_weights());
    let new_index: HashMap<&str, usize> = new
        .1
        .ids()
        .iter()
        .enumerate()
        .map(|(i, id)| (id.as_str(), i))
        .collect();
    let mut successors: Vec<Option<usize>> = Vec::with_capacity(old.1.len());
    let mut predecessors = vec![0usize; new.1.len()];
    for id in old.1.ids() {
        let later = succession
            .successor
            .get(id)
            .map_or(id.as_str(), String::as_str);
        let row = new_index.get(later).copied();
        if let Some(r) = row {
            predecessors[r] += 1;
        }
        successors.push(row);
    }
    let mut out = Vec::with_capacity(old.1.len() + new.1.len());
    for (orow, id) in old.1.ids().iter().enumerate() {
        let nrow = successors[orow];
        let o = old_rows[orow];
        let n = nrow.and_then(|r| new_rows[r]);
        let new_under_old = nrow.and_then(|r| c.new_under_old[r]);
        let distance = match (nrow.map(|r| &c.new_points[r]), &c.old_points[orow]) {
            (Some(Some(b)), Some(a)) => Some(euclid(a, b)),
            _ => None,
        };
        let weight = match (nrow, n) {
            (Some(r), Some(_)) => new_w.as_ref().map_or(1.0, |w| w[r]),
            _ => old_w.as_ref().map_or(1.0, |w| w[orow]),
        };
        out.push(Switch {
            id: id.clone(),
            new_id: nrow.map(|r| new.1.ids()[r].clone()),
            old_type: o.map(|(t, _)| t),
            new_type: n.map(|(t, _)| t),
            reason: reason(o.map(|(t, _)| t), n.map(|(t, _)| t), new_under_old, m),
            old_margin: o.map(|(_, x)| x),
            new_margin: n.map(|(_, x)| x),
            distance,
            new_under_old,
            old_under_new: c.old_under_new[orow],
            weight,
            merged: nrow.is_some_and(|r| predecessors[r] > 1),
        });
    }
    for (nrow, id) in new.1.ids().iter().enumerate() {
        if predecessors[nrow] > 0 {
            continue;
        }
        let n = new_rows[nrow];
        out.push(Switch {
            id: id.clone(),
            new_id: Some(id.clone()),
            old_type: None,
            new_type: n.map(|(t, _)| t),
            reason: reason(None, n.map(|(t, _)| t), None, m),
            old_margin: None,
            new_margin: n.map(|(_, x)| x),
            distance: None,
            new_under_old: c.new_under_old[nrow],
            old_under_new: None,
            weight: new_w.as_ref().map_or(1.0, |w| w[nrow]),
            merged: false,
        });
    }
    out.sort_by(|a, b| a.id.cmp(&b.id).then_with(|| a.new_id.cmp(&b.new_id)));
    out
}

impl Waves {
    /// How many municipalities went from each earlier type (or none: entered) to each later type
    /// (or none: left), with their weights; earlier types in order, then entered; within each,
    /// later types in order, then left. Pairs no municipality took are left out.
    pub fn transitions(&self) -> Vec<Transition> {
        let mut cells: HashMap<(Option<usize>, Option<usize>), (usize, f64)> = HashMap::new();
        for s in &self.switches {
            let e = cells.entry((s.old_type, s.new_type)).or_insert((0, 0.0));
            e.0 += 1;
            e.1 += s.weight;
        }
        let key = |t: Option<usize>| t.unwrap_or(usize::MAX);
        let mut out: Vec<Transition> = cells
            .into_iter()
            .map(|((from, to), (n, weight))| Transition {
                from,
                to,
                n,
                weight,
            })
            .collect();
        out.sort_by_key(|t| (key(t.from), key(t.to)));
        out
    }

    /// How many municipalities have each reason (in [`Reason::ALL`] order), with their weights.
    pub fn reasons(&self) -> Vec<(Reason, usize, f64)> {
        Reason::ALL
            .iter()
            .map(|&r| {
                let of: Vec<&Switch> = self.switches.iter().filter(|s| s.reason == r).collect();
                // folded from +0: an empty sum of floats is -0
                (r, of.len(), of.iter().fold(0.0, |a, s| a + s.weight))
            })
            .collect()
    }

    /// The later identifiers several earlier ones merged into, each with its earlier ones.
    pub fn mergers(&self) -> Vec<(String, Vec<String>)> {
        let mut by_new: Vec<(String, Vec<String>)> = Vec::new();
        for s in self.switches.iter().filter(|s| s.merged) {
            let new_id = s.new_id.clone().unwrap_or_default();
            match by_new.iter_mut().find(|(n, _)| *n == new_id) {
                Some((_, olds)) => olds.push(s.id.clone()),
                None => by_new.push((new_id, vec![s.id.clone()])),
            }
        }
        by_new.sort();
        by_new
    }
}

#[cfg(test)]
mod tests;
