//! Validation by replication: Hennig's prediction strength (Tibshirani & Walther 2005, as R's
//! `fpc::prediction.strength` computes it) and split-half replication (Ullmann, Hennig &
//! Boulesteix 2022), over the same random half-splits, for every k of a range; and how the types
//! of one k split into those of the next (Dolnicar & Leisch's segment-level view across k).
//!
//! One split: the rows are permuted (seeded), the first ⌊n/2⌋ form one half, the rest the other.
//! Each half is clustered by k-means; each half's centres then classify the other half (nearest
//! centre). Prediction strength of a test half: for each of its own clusters, the share of its
//! pairs of members that the training half's centres also put together; the smallest of these
//! over the clusters (a cluster of at most one member counts 1). The split's prediction strength
//! is the mean over the two directions, as fpc's. Its split-half ARI is the adjusted Rand index
//! of a half's own clustering with the one transferred from the other half, also averaged over
//! both directions. Every split and every k uses its own seed derived from the run's, so the
//! numbers do not depend on the thread count. Unweighted: survey weights do not enter (as in
//! fpc).

use ndarray::{Array2, Axis};
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use rayon::prelude::*;

use super::engine::{fit, fit_weighted};
use super::error::ClusterError;
use super::kmeans::{nearest, KMeansSettings};
use super::naming::{Named, TypeDef};
use super::seed::derive_seed;
use super::stability::adjusted_rand_index;
use super::typology::{fit_typology_with, ClusterOptions, Typology};
use crate::survey::Survey;

/// The rule's threshold: the largest k whose mean prediction strength is above it (Tibshirani &
/// Walther 2005; fpc's `cutoff`).
pub const PREDICTION_STRENGTH_CUTOFF: f64 = 0.8;
/// The most half-splits a run takes (each is 2 k-means fits per k).
pub const MAX_SPLITS: usize = 10_000;

/// What to replicate: k from `k_min` to `k_max`, over `splits` random half-splits; `settings`
/// gives the engine, the restarts, the iterations and the seed (its `k` is not used).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReplicationOptions {
    pub k_min: usize,
    pub k_max: usize,
    pub splits: usize,
    pub settings: KMeansSettings,
}

/// The replication of one k: per split, its prediction strength and split-half ARI.
#[derive(Debug, Clone, PartialEq)]
pub struct KReplication {
    pub k: usize,
    pub prediction_strength: Vec<f64>,
    pub split_half_ari: Vec<f64>,
}

impl KReplication {
    /// Mean and sample standard deviation of the prediction strength over the splits.
    pub fn prediction_strength(&self) -> (f64, f64) {
        mean_sd(&self.prediction_strength)
    }

    /// Mean and sample standard deviation of the split-half ARI over the splits.
    pub fn split_half_ari(&self) -> (f64, f64) {
        mean_sd(&self.split_half_ari)
    }
}

/// Prediction strength and split-half ARI for each k of the range.
#[derive(Debug, Clone, PartialEq)]
pub struct Replication {
    pub splits: usize,
    pub per_k: Vec<KReplication>,
}

impl Replication {
    /// The largest k whose mean prediction strength is above [`PREDICTION_STRENGTH_CUTOFF`];
    /// `None` when none is (fpc then answers k = 1: no structure that replicates).
    pub fn chosen_k(&self) -> Option<usize> {
        self.per_k
            .iter()
            .filter(|r| r.prediction_strength().0 > PREDICTION_STRENGTH_CUTOFF)
            .map(|r| r.k)
            .max()
    }

    /// The replication of `k`, if it was in the range.
    pub fn of(&self, k: usize) -> Option<&KReplication> {
        self.per_k.iter().find(|r| r.k == k)
    }
}

/// Mean and sample standard deviation (0 for a single value).
pub fn mean_sd(v: &[f64]) -> (f64, f64) {
    let n = v.len().max(1) as f64;
    let mean = v.iter().sum::<f64>() / n;
    if v.len() < 2 {
        return (mean, 0.0);
    }
    let var = v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, var.sqrt())
}

/// Checks the options for `n` rows: each half must hold more rows than the largest k.
pub fn check(options: &ReplicationOptions, n: usize) -> Result<(), ClusterError> {
    let o = options;
    if o.k_min < 2 || o.k_max < o.k_min {
        return Err(ClusterError::Options(format!(
            "k from {} to {}: expected 2 <= k-min <= k-max",
            o.k_min, o.k_max
        )));
    }
    if !(1..=MAX_SPLITS).contains(&o.splits) {
        return Err(ClusterError::Options(format!(
            "--splits {}: expected 1 to {MAX_SPLITS}",
            o.splits
        )));
    }
    if n / 2 <= o.k_max {
        return Err(ClusterError::Options(format!(
            "k up to {} cannot be replicated on halves of {} rows: each half needs more rows than k (expected k-max below {})",
            o.k_max,
            n / 2,
            n / 2
        )));
    }
    Ok(())
}

/// Prediction strength and split-half ARI of k-means on the rows of `x`, for every k of the
/// range, over the same seeded half-splits.
pub fn replicate(
    x: &Array2<f64>,
    options: &ReplicationOptions,
) -> Result<Replication, ClusterError> {
    let n = x.nrows();
    check(options, n)?;
    let o = *options;
    let halves: Vec<[Vec<usize>; 2]> = (0..o.splits)
        .map(|m| halves(n, o.settings.seed, m))
        .collect();
    let ks: Vec<usize> = (o.k_min..=o.k_max).collect();
    let jobs: Vec<(usize, usize)> = ks
        .iter()
        .flat_map(|&k| (0..o.splits).map(move |m| (k, m)))
        .collect();
    let results: Vec<(f64, f64)> = jobs
        .par_iter()
        .map(|&(k, m)| one_split(x, &halves[m], k, m, &o.settings))
        .collect::<Result<_, ClusterError>>()?;
    let per_k = ks
        .iter()
        .enumerate()
        .map(|(i, &k)| {
            let mine = &results[i * o.splits..(i + 1) * o.splits];
            KReplication {
                k,
                prediction_strength: mine.iter().map(|r| r.0).collect(),
                split_half_ari: mine.iter().map(|r| r.1).collect(),
            }
        })
        .collect();
    Ok(Replication {
        splits: o.splits,
        per_k,
    })
}

/// Split `m` of a run seeded with `seed`: a seeded permutation of the `n` rows, cut after ⌊n/2⌋.
fn halves(n: usize, seed: u64, m: usize) -> [Vec<usize>; 2] {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(derive_seed(seed, 3_000_000 + m as u64));
    let mut perm: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        let j = rng.gen_range(0..=i);
        perm.swap(i, j);
    }
    let second = perm.split_off(n / 2);
    [perm, second]
}

/// Prediction strength and split-half ARI of split `m` for `k`, each averaged over the two
/// directions.
fn one_split(
    x: &Array2<f64>,
    halves: &[Vec<usize>; 2],
    k: usize,
    m: usize,
    settings: &KMeansSettings,
) -> Result<(f64, f64), ClusterError> {
    let data: Vec<Array2<f64>> = halves.iter().map(|h| x.select(Axis(0), h)).collect();
    let fits = (0..2)
        .map(|h| {
            let s = KMeansSettings {
                k,
                seed: derive_seed(
                    settings.seed,
                    4_000_000 + (m as u64) * 1_000 + 2 * k as u64 + h as u64,
                ),
                ..*settings
            };
            fit(&data[h], &s)
        })
        .collect::<Result<Vec<_>, _>>()?;
    let (mut ps, mut ari) = (0.0, 0.0);
    for test in 0..2 {
        let train = 1 - test;
        let own = &fits[test].labels;
        let transferred: Vec<usize> = data[test]
            .rows()
            .into_iter()
            .map(|r| nearest(&fits[train].centroids, r).0)
            .collect();
        ps += prediction_strength(own, &transferred, k);
        ari += adjusted_rand_index(own, &transferred);
    }
    Ok((ps / 2.0, ari / 2.0))
}

/// The prediction strength of a test half: `own` its own clustering into `k` clusters,
/// `transferred` the clusters the training half's centres give its rows. For each own cluster the
/// share of its pairs that `transferred` puts together; the smallest share (a cluster of at most
/// one member counts 1, as in fpc).
pub fn prediction_strength(own: &[usize], transferred: &[usize], k: usize) -> f64 {
    let kt = transferred.iter().max().map_or(0, |m| m + 1).max(k);
    let mut table = vec![vec![0u64; kt]; k];
    for (&a, &b) in own.iter().zip(transferred) {
        table[a][b] += 1;
    }
    table
        .iter()
        .map(|row| {
            let size: u64 = row.iter().sum();
            if size <= 1 {
                return 1.0;
            }
            let together: u64 = row.iter().map(|&c| c * c.saturating_sub(1)).sum();
            together as f64 / (size * (size - 1)) as f64
        })
        .fold(f64::INFINITY, f64::min)
}

/// The types of one k, for the split chart: their names (identifier and words) and each
/// clustered row's type (the typology's row order).
#[derive(Debug, Clone, PartialEq)]
pub struct KTypes {
    pub k: usize,
    pub names: Vec<Named>,
    pub labels: Vec<usize>,
}

impl KTypes {
    pub fn of(t: &Typology) -> KTypes {
        KTypes {
            k: t.types.len(),
            names: t.types.iter().map(|ty| ty.name.clone()).collect(),
            labels: t.assignments.iter().map(|a| a.type_index).collect(),
        }
    }
}

/// How the types of one k go into those of the next: `counts[i][j]` rows of type i of `from_k`
/// are in type j of `to_k`.
#[derive(Debug, Clone, PartialEq)]
pub struct SplitStep {
    pub from_k: usize,
    pub to_k: usize,
    pub counts: Vec<Vec<usize>>,
}

/// The types of `typology`'s k and of its neighbours k - 1 (from 2) and k + 1 (while each type
/// can have a member), fitted on the same rows with the same options (weighted as the typology
/// is), `starts` restarts each, named by `types`.
pub fn around(
    survey: &Survey,
    typology: &Typology,
    types: &[TypeDef],
    starts: usize,
) -> Result<Vec<KTypes>, ClusterError> {
    let k = typology.types.len();
    let n = typology.assignments.len();
    let mut out = Vec::new();
    for kk in [k.saturating_sub(1), k, k + 1] {
        if kk == k {
            out.push(KTypes::of(typology));
            continue;
        }
        if kk < 2 || kk >= n {
            continue;
        }
        let options = ClusterOptions {
            k: kk,
            n_init: starts,
            ..typology.options.clone()
        };
        let settings = options.settings();
        let w = typology.weights.as_deref();
        let fitted = fit_typology_with(survey, &options, types, |x, _| {
            fit_weighted(x, w, &settings)
        });
        match fitted {
            Ok(t) => out.push(KTypes::of(&t)),
            // a neighbour k the data do not hold (an empty cluster, too few patterns) is left out
            Err(ClusterError::KMeans(_)) | Err(ClusterError::Options(_)) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(out)
}

/// Each step from one column of [`around`] to the next.
pub fn split_steps(columns: &[KTypes]) -> Vec<SplitStep> {
    columns
        .windows(2)
        .map(|w| SplitStep {
            from_k: w[0].k,
            to_k: w[1].k,
            counts: transition(&w[0].labels, &w[1].labels, w[0].k, w[1].k),
        })
        .collect()
}

/// How the `from` partition's groups go into the `to` partition's (the same rows):
/// `counts[i][j]` rows of group i of `from` are in group j of `to`; `from_k` and `to_k` groups.
pub fn transition(from: &[usize], to: &[usize], from_k: usize, to_k: usize) -> Vec<Vec<usize>> {
    let mut counts = vec![vec![0usize; to_k]; from_k];
    for (&a, &b) in from.iter().zip(to) {
        counts[a][b] += 1;
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::kmeans::Algorithm;
    use crate::cluster::kmeans::Engine;

    #[test]
    fn prediction_strength_counts_pairs_kept_together() {
        // cluster 0 (4 members) split 2 + 2: 2 + 2 of 12 ordered pairs; cluster 1 kept whole
        let own = [0, 0, 0, 0, 1, 1, 1];
        let moved = [0, 0, 1, 1, 2, 2, 2];
        assert!((prediction_strength(&own, &moved, 2) - 4.0 / 12.0).abs() < 1e-12);
        assert_eq!(prediction_strength(&own, &own, 2), 1.0);
        // a singleton counts 1
        assert_eq!(prediction_strength(&[0, 1, 1], &[0, 1, 1], 2), 1.0);
    }

    #[test]
    fn halves_cover_every_row_once() {
        let [a, b] = halves(11, 7, 3);
        assert_eq!((a.len(), b.len()), (5, 6));
        let mut all: Vec<usize> = a.into_iter().chain(b).collect();
        all.sort_unstable();
        assert_eq!(all, (0..11).collect::<Vec<_>>());
    }

    #[test]
    fn well_separated_groups_replicate_and_the_rule_picks_their_number() {
        let x = crate::cluster::seed::synthetic(400, 6, 5);
        let o = ReplicationOptions {
            k_min: 2,
            k_max: 6,
            splits: 6,
            settings: KMeansSettings {
                engine: Engine::Fast,
                algorithm: Algorithm::Lloyd,
                k: 2,
                seed: 1,
                n_init: 5,
                max_iter: 100,
                tolerance: 1e-6,
            },
        };
        let r = replicate(&x, &o).unwrap();
        let at4 = r.of(4).unwrap();
        assert!(at4.prediction_strength().0 > 0.95, "{at4:?}");
        assert!(at4.split_half_ari().0 > 0.9, "{at4:?}");
        assert_eq!(r.chosen_k(), Some(4));
        assert_eq!(replicate(&x, &o).unwrap(), r);
    }
}
