//! The earlier wave's types matched to the later wave's by their centres: an optimal one-to-one
//! assignment (Hungarian method) on the distances between centres, and a counterpart only where
//! the paired centres are close.
//!
//! The rule: old type i and new type j are counterparts when the assignment with the least total
//! distance pairs them and new centre j lies within half the distance from old centre i to the
//! nearest other old centre. Within that radius the new centre is nearer to old centre i than to
//! any other old centre, so the earlier model would classify the new centre itself into type i.
//! A pair farther apart is no match: the old type has dissolved, the new type is new.

use pathfinding::kuhn_munkres::kuhn_munkres;
use pathfinding::matrix::Matrix;

/// The matching of the earlier types to the later types.
#[derive(Debug, Clone, PartialEq)]
pub struct Matching {
    /// Per old type, its counterpart among the new types.
    pub new_of_old: Vec<Option<usize>>,
    /// Per new type, its counterpart among the old types.
    pub old_of_new: Vec<Option<usize>>,
    /// `distances[i][j]`: old centre i to new centre j.
    pub distances: Vec<Vec<f64>>,
    /// Per old type, the radius within which a new centre can be its counterpart: half the
    /// distance to the nearest other old centre.
    pub threshold: Vec<f64>,
    /// Per old type, the new type the assignment paired it with, a counterpart or not.
    pub pairs: Vec<Option<usize>>,
}

impl Matching {
    /// The new type the assignment paired old type `i` with (a counterpart or not), when it
    /// paired it at all (with fewer new types than old, some old types stay unpaired).
    pub fn paired(&self, i: usize) -> Option<usize> {
        self.pairs.get(i).copied().flatten()
    }
}

fn distance(a: &[f64], b: &[f64]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y) * (x - y))
        .sum::<f64>()
        .sqrt()
}

/// Matches `old` centres to `new` centres (all in one space, as rows of coordinates).
pub fn match_types(old: &[Vec<f64>], new: &[Vec<f64>]) -> Matching {
    let distances: Vec<Vec<f64>> = old
        .iter()
        .map(|o| new.iter().map(|n| distance(o, n)).collect())
        .collect();
    let threshold: Vec<f64> = (0..old.len())
        .map(|i| {
            (0..old.len())
                .filter(|&j| j != i)
                .map(|j| distance(&old[i], &old[j]))
                .fold(f64::INFINITY, f64::min)
                / 2.0
        })
        .collect();
    // integer weights for the Hungarian method (it maximises): distances in millionths, negated
    let weight = |i: usize, j: usize| -(distances[i][j] * 1e6).round() as i64;
    let mut pairs: Vec<Option<usize>> = vec![None; old.len()];
    if !old.is_empty() && !new.is_empty() {
        if old.len() <= new.len() {
            let m = Matrix::from_rows(
                (0..old.len()).map(|i| (0..new.len()).map(|j| weight(i, j)).collect::<Vec<_>>()),
            )
            .expect("rectangular");
            for (i, &j) in kuhn_munkres(&m).1.iter().enumerate() {
                pairs[i] = Some(j);
            }
        } else {
            let m = Matrix::from_rows(
                (0..new.len()).map(|j| (0..old.len()).map(|i| weight(i, j)).collect::<Vec<_>>()),
            )
            .expect("rectangular");
            for (j, &i) in kuhn_munkres(&m).1.iter().enumerate() {
                pairs[i] = Some(j);
            }
        }
    }
    let mut new_of_old = vec![None; old.len()];
    let mut old_of_new = vec![None; new.len()];
    for (i, pair) in pairs.iter().enumerate() {
        if let Some(j) = *pair {
            if distances[i][j] < threshold[i] {
                new_of_old[i] = Some(j);
                old_of_new[j] = Some(i);
            }
        }
    }
    Matching {
        new_of_old,
        old_of_new,
        distances,
        threshold,
        pairs,
    }
}
