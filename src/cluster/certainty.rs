//! How certain each municipality's type is: the share of bootstrap resamples in which it lands in
//! its own type (item consensus, as ConsensusClusterPlus' `calcICL` counts it). Each resample
//! draws the clustered municipalities with replacement, fits k-means on it again (seeded
//! restarts), matches its clusters to the model's types by their centres (the one-to-one pairing
//! with the least total squared distance, Hungarian method) and assigns every municipality, drawn
//! or not, to its nearest matched centre. The matched centres of every resample are kept, so the
//! certainty of any rating vector (a new municipality, the self-check) is counted the same way.
//! Resamples run in parallel, each with its own seed derived from the run's seed: the numbers
//! do not depend on the thread count.

use ndarray::Array2;
use pathfinding::kuhn_munkres::kuhn_munkres;
use pathfinding::matrix::Matrix;
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::engine::fast::fit_weighted;
use super::error::ClusterError;
use super::kmeans::{squared_distance, KMeansSettings};
use super::patterns::Patterns;
use super::seed::derive_seed;

/// How many resamples the certainty counts.
pub const CERTAINTY_RESAMPLES: usize = 100;
/// At most this many seeded restarts per resample's k-means.
pub const CERTAINTY_MAX_STARTS: usize = 10;

/// The resampled centres, matched to the model's types (what a saved model carries).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Resampled {
    /// `centres[b][t]`: resample b's centre matched to type t, in the scaled space.
    pub centres: Vec<Vec<Vec<f64>>>,
}

impl Resampled {
    pub fn resamples(&self) -> usize {
        self.centres.len()
    }

    /// For a point in the scaled space: in how many resamples it is nearest to each type's
    /// centre (on an exact tie the type listed first, as `classify` decides).
    pub fn votes(&self, point: &[f64]) -> Vec<usize> {
        let k = self.centres.first().map_or(0, Vec::len);
        let mut votes = vec![0usize; k];
        for centres in &self.centres {
            votes[nearest(point, centres)] += 1;
        }
        votes
    }
}

/// The index of the centre nearest to `point` (the first on a tie).
fn nearest(point: &[f64], centres: &[Vec<f64>]) -> usize {
    let mut best = (0, f64::INFINITY);
    for (t, c) in centres.iter().enumerate() {
        let d = squared_distance(point, c);
        if d < best.1 {
            best = (t, d);
        }
    }
    best.0
}

/// Each clustered municipality's certainty.
#[derive(Debug, Clone, PartialEq)]
pub struct Certainty {
    pub resampled: Resampled,
    /// Per row of the matrix: the share of resamples that assign it to its own type.
    pub share: Vec<f64>,
    /// Per row: the other type it was assigned to most often (none when never another).
    pub runner_up: Vec<Option<usize>>,
}

/// Counts the certainty of every row of `x` (the scaled matrix) in its type `labels[i]`, the
/// model's `centroids` (scaled) the resampled clusters are matched to; `design`: survey weights.
///
/// A large survey whose rows repeat their answer patterns ([`Patterns`], as k-means uses them) is
/// resampled as its patterns: each resample's k-means runs on the patterns drawn, each counting
/// with how often its rows were drawn (times their weights), the same sum of squares as on the
/// drawn rows; and equal rows, which land in the same type in every resample, are counted once.
pub fn certainty(
    x: &Array2<f64>,
    design: Option<&[f64]>,
    labels: &[usize],
    centroids: &[Vec<f64>],
    settings: &KMeansSettings,
    resamples: usize,
) -> Result<Certainty, ClusterError> {
    let n = x.nrows();
    let k = centroids.len();
    let patterns = Patterns::of(x);
    let centres: Vec<Vec<Vec<f64>>> = (0..resamples)
        .into_par_iter()
        .map(|b| resample_centres(x, patterns.as_ref(), design, centroids, settings, b))
        .collect::<Result<_, ClusterError>>()?;
    let resampled = Resampled { centres };
    // the votes of each distinct row (each row where there are no patterns)
    let firsts: Vec<usize> = patterns
        .as_ref()
        .map_or_else(|| (0..n).collect(), |p| p.first.clone());
    let votes: Vec<Vec<usize>> = firsts
        .par_iter()
        .map(|&i| {
            let row = x.row(i);
            let point = row.as_slice().map_or_else(|| row.to_vec(), <[f64]>::to_vec);
            resampled.votes(&point)
        })
        .collect();
    let rows: Vec<(f64, Option<usize>)> = (0..n)
        .map(|i| {
            let votes = &votes[patterns.as_ref().map_or(i, |p| p.pattern_of[i] as usize)];
            let own = labels[i];
            let other = (0..k)
                .filter(|&t| t != own && votes[t] > 0)
                .max_by(|&a, &b| votes[a].cmp(&votes[b]).then(b.cmp(&a)));
            (votes[own] as f64 / resamples.max(1) as f64, other)
        })
        .collect();
    Ok(Certainty {
        resampled,
        share: rows.iter().map(|r| r.0).collect(),
        runner_up: rows.iter().map(|r| r.1).collect(),
    })
}

/// Resample `b`: the rows drawn, k-means fitted on them (each distinct row, or each pattern,
/// weighted by how often it was drawn, times its survey weight), its centres matched to
/// `centroids`.
fn resample_centres(
    x: &Array2<f64>,
    patterns: Option<&Patterns>,
    design: Option<&[f64]>,
    centroids: &[Vec<f64>],
    settings: &KMeansSettings,
    b: usize,
) -> Result<Vec<Vec<f64>>, ClusterError> {
    let n = x.nrows();
    let mut rng =
        Xoshiro256PlusPlus::seed_from_u64(derive_seed(settings.seed, 3_000_000 + b as u64));
    let mut times = vec![0.0f64; n];
    for _ in 0..n {
        times[rng.gen_range(0..n)] += 1.0;
    }
    let (drawn, weights): (Vec<usize>, Vec<f64>) = match patterns {
        None => (0..n)
            .filter(|&r| times[r] > 0.0)
            .map(|r| (r, times[r] * design.map_or(1.0, |w| w[r])))
            .unzip(),
        Some(p) => {
            let mut counts = vec![0.0f64; p.first.len()];
            for (r, &t) in times.iter().enumerate() {
                if t > 0.0 {
                    counts[p.pattern_of[r] as usize] += t * design.map_or(1.0, |w| w[r]);
                }
            }
            p.first
                .iter()
                .zip(&counts)
                .filter(|(_, &c)| c > 0.0)
                .map(|(&r, &c)| (r, c))
                .unzip()
        }
    };
    let sample = x.select(ndarray::Axis(0), &drawn);
    let s = KMeansSettings {
        seed: derive_seed(settings.seed, 4_000_000 + b as u64),
        n_init: settings.n_init.clamp(1, CERTAINTY_MAX_STARTS),
        ..*settings
    };
    let fitted = fit_weighted(&sample, Some(&weights), &s)?;
    let new: Vec<Vec<f64>> = fitted
        .centroids
        .rows()
        .into_iter()
        .map(|r| r.to_vec())
        .collect();
    Ok(match_centres(centroids, &new))
}

/// `new` reordered so that entry t is the centre paired with `old[t]` by the one-to-one
/// pairing of least total squared distance (Hungarian method).
fn match_centres(old: &[Vec<f64>], new: &[Vec<f64>]) -> Vec<Vec<f64>> {
    if old.len() != new.len() || old.is_empty() {
        return old.to_vec();
    }
    // integer weights (the method maximises): squared distances in millionths, negated
    let m = Matrix::from_rows(old.iter().map(|o| {
        new.iter()
            .map(|c| -(squared_distance(o, c) * 1e6).round() as i64)
            .collect::<Vec<_>>()
    }))
    .expect("rectangular");
    kuhn_munkres(&m).1.iter().map(|&j| new[j].clone()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::kmeans::Algorithm;
    use crate::cluster::kmeans::Engine;

    #[test]
    fn separated_groups_are_certain_and_the_count_does_not_depend_on_threads() {
        // two tight groups far apart, and one point halfway
        let mut rows = Vec::new();
        for i in 0..40 {
            let e = (i % 5) as f64 * 0.01;
            rows.extend([0.0 + e, 0.0]);
            rows.extend([10.0 + e, 10.0]);
        }
        rows.extend([5.0, 5.0]);
        let x = Array2::from_shape_vec((81, 2), rows).unwrap();
        let labels: Vec<usize> = (0..81).map(|i| if i == 80 { 0 } else { i % 2 }).collect();
        let centroids = vec![vec![0.02, 0.0], vec![10.02, 10.0]];
        let settings = KMeansSettings {
            engine: Engine::Fast,
            algorithm: Algorithm::Lloyd,
            k: 2,
            seed: 7,
            n_init: 5,
            max_iter: 100,
            tolerance: 1e-4,
        };
        let c = certainty(&x, None, &labels, &centroids, &settings, 20).unwrap();
        assert!(c.share[..80].iter().all(|&s| s == 1.0));
        assert!(c.runner_up[..80].iter().all(Option::is_none));
        // the point halfway: a share of the 20 resamples, any other type one of the two
        assert!((0.0..=1.0).contains(&c.share[80]));
        assert!((c.share[80] * 20.0 - (c.share[80] * 20.0).round()).abs() < 1e-12);
        assert!(c.runner_up[80].is_none_or(|t| t == 1));
        let one = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        let again =
            one.install(|| certainty(&x, None, &labels, &centroids, &settings, 20).unwrap());
        assert_eq!(c, again);
    }

    #[test]
    fn a_large_survey_is_resampled_as_its_patterns_and_equal_rows_share_their_certainty() {
        // 24,000 rows in canonical order: three patterns near (0, 0), three near (10, 10) and
        // one halfway, each repeated
        let patterns = [
            [0.0, 0.0],
            [0.0, 0.5],
            [0.5, 0.0],
            [5.0, 5.0],
            [10.0, 9.5],
            [10.0, 10.0],
            [9.5, 10.0],
        ];
        let per = [4_000, 4_000, 3_990, 20, 3_990, 4_000, 4_000];
        let mut rows = Vec::new();
        let mut labels = Vec::new();
        for (p, &times) in patterns.iter().zip(&per) {
            for _ in 0..times {
                rows.extend(p);
                labels.push(usize::from(p[0] > 5.0));
            }
        }
        let n = labels.len();
        let x = Array2::from_shape_vec((n, 2), rows).unwrap();
        assert!(Patterns::of(&x).is_some());
        let centroids = vec![vec![0.17, 0.17], vec![9.83, 9.83]];
        let settings = KMeansSettings {
            engine: Engine::Fast,
            algorithm: Algorithm::Lloyd,
            k: 2,
            seed: 11,
            n_init: 3,
            max_iter: 100,
            tolerance: 1e-4,
        };
        let c = certainty(&x, None, &labels, &centroids, &settings, 10).unwrap();
        assert_eq!(c.share.len(), n);
        let mut at = 0;
        for (p, &times) in patterns.iter().zip(&per) {
            let first = c.share[at];
            assert!(c.share[at..at + times].iter().all(|&s| s == first));
            if p[0] != 5.0 {
                assert_eq!(first, 1.0, "pattern {p:?}");
            }
            at += times;
        }
        let one = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        let again =
            one.install(|| certainty(&x, None, &labels, &centroids, &settings, 10).unwrap());
        assert_eq!(c, again);
    }
}
