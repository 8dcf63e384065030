//! Bootstrap stability in the manner of Hennig's `clusterboot`: draw B resamples with replacement,
//! cluster each again, and match every original type to its best counterpart by the Jaccard
//! similarity of their members among the resampled municipalities. Also the adjusted Rand index
//! between the original and the new partition on each resample. A large survey that repeats its
//! answer patterns (20,000 rows and more, at most half as many patterns) is clustered again on the
//! patterns, each weighted by how often its rows were drawn. Resamples run in parallel; each
//! has its own seed derived from the run's seed, so results do not depend on the thread count.

use ndarray::Array2;
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use rayon::prelude::*;

use super::engine::fast::fit_weighted;
use super::engine::fit;
use super::error::ClusterError;
use super::kmeans::{Engine, KMeansSettings};
use super::patterns::PATTERNS_MIN_ROWS;
use super::seed::derive_seed;
use crate::progress;

/// Stability of one type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeStability {
    pub mean_jaccard: f64,
    pub sd_jaccard: f64,
    /// Share of resamples in which the best Jaccard was at most 0.5 (the type "dissolved").
    pub dissolved: f64,
    pub jaccard: Vec<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Stability {
    pub resamples: usize,
    pub types: Vec<TypeStability>,
    pub ari: Vec<f64>,
}

/// Adjusted Rand index of two labelings of the same items.
pub fn adjusted_rand_index(a: &[usize], b: &[usize]) -> f64 {
    let n = a.len();
    let ka = a.iter().max().map_or(0, |m| m + 1);
    let kb = b.iter().max().map_or(0, |m| m + 1);
    let mut table = vec![vec![0u64; kb]; ka];
    for (&x, &y) in a.iter().zip(b) {
        table[x][y] += 1;
    }
    let c2 = |v: u64| (v * v.saturating_sub(1)) as f64 / 2.0;
    let sum_cells: f64 = table.iter().flatten().map(|&v| c2(v)).sum();
    let sum_rows: f64 = table.iter().map(|r| c2(r.iter().sum())).sum();
    let sum_cols: f64 = (0..kb).map(|j| c2(table.iter().map(|r| r[j]).sum())).sum();
    let total = c2(n as u64);
    if total == 0.0 {
        return 1.0;
    }
    let expected = sum_rows * sum_cols / total;
    let max = (sum_rows + sum_cols) / 2.0;
    if (max - expected).abs() < 1e-12 {
        return 1.0;
    }
    (sum_cells - expected) / (max - expected)
}

/// Runs the bootstrap. `labels` is the original partition of `x`'s rows into `k` types;
/// `on_done` is called after each resample (for a progress bar).
pub fn stability(
    x: &Array2<f64>,
    labels: &[usize],
    settings: &KMeansSettings,
    resamples: usize,
    on_done: &(dyn Fn() + Sync),
) -> Result<Stability, ClusterError> {
    stability_weighted(x, None, labels, settings, resamples, on_done)
}

/// [`stability`] with survey weights: municipalities are drawn with equal probability (the
/// bootstrap of the sample), and each resample is clustered with every drawn municipality
/// counting its weight times how often it was drawn. Jaccard and the adjusted Rand index count
/// municipalities (they measure whether the same municipalities stay together).
pub fn stability_weighted(
    x: &Array2<f64>,
    design: Option<&[f64]>,
    labels: &[usize],
    settings: &KMeansSettings,
    resamples: usize,
    on_done: &(dyn Fn() + Sync),
) -> Result<Stability, ClusterError> {
    if design.is_some() && settings.engine != Engine::Fast {
        return Err(ClusterError::Options(
            "the linfa engine does not take survey weights; use --engine fast or --weight none"
                .into(),
        ));
    }
    let n = x.nrows();
    let k = settings.k;
    if resamples == 0 {
        return Err(ClusterError::Options(
            "--resamples must be at least 1".into(),
        ));
    }
    let patterns = Repeated::of(x);
    progress::start(progress::Task::Bootstrap, resamples as u64);
    let runs: Vec<(Vec<f64>, f64)> = (0..resamples)
        .into_par_iter()
        .map(|b| {
            let mut rng = Xoshiro256PlusPlus::seed_from_u64(derive_seed(settings.seed, b as u64));
            let draw: Vec<usize> = (0..n).map(|_| rng.gen_range(0..n)).collect();
            let s = KMeansSettings {
                seed: derive_seed(settings.seed, 1_000_000 + b as u64),
                ..*settings
            };
            // the municipalities drawn at least once, and their new cluster
            let mut new_label = vec![usize::MAX; n];
            if let (Engine::Fast, Some(p)) = (settings.engine, &patterns) {
                // a large survey's answer patterns weighted by how often their rows were drawn
                let mut weight = vec![0.0f64; p.first.len()];
                for &r in &draw {
                    new_label[r] = 0;
                    weight[p.of_row[r] as usize] += design.map_or(1.0, |w| w[r]);
                }
                let drawn: Vec<usize> = (0..weight.len()).filter(|&q| weight[q] > 0.0).collect();
                let rows: Vec<usize> = drawn.iter().map(|&q| p.first[q]).collect();
                let weights: Vec<f64> = drawn.iter().map(|&q| weight[q]).collect();
                let fitted = fit_weighted(&x.select(ndarray::Axis(0), &rows), Some(&weights), &s)?;
                let mut label_of = vec![0usize; weight.len()];
                for (&q, &l) in drawn.iter().zip(&fitted.labels) {
                    label_of[q] = l;
                }
                for (r, l) in new_label.iter_mut().enumerate() {
                    if *l != usize::MAX {
                        *l = label_of[p.of_row[r] as usize];
                    }
                }
            } else if settings.engine == Engine::Fast {
                // distinct rows weighted by how often they were drawn: the same fit, less work
                let mut times = vec![0.0f64; n];
                for &r in &draw {
                    times[r] += 1.0;
                }
                let distinct: Vec<usize> = (0..n).filter(|&r| times[r] > 0.0).collect();
                let sample = x.select(ndarray::Axis(0), &distinct);
                let weights: Vec<f64> = match design {
                    None => distinct.iter().map(|&r| times[r]).collect(),
                    Some(w) => distinct.iter().map(|&r| times[r] * w[r]).collect(),
                };
                let p = fit_weighted(&sample, Some(&weights), &s)?;
                for (i, &r) in distinct.iter().enumerate() {
                    new_label[r] = p.labels[i];
                }
            } else {
                let sample = Array2::from_shape_fn((n, x.ncols()), |(i, j)| x[[draw[i], j]]);
                let p = fit(&sample, &s)?;
                for (i, &r) in draw.iter().enumerate() {
                    if new_label[r] == usize::MAX {
                        new_label[r] = p.labels[i];
                    }
                }
            }
            let drawn: Vec<usize> = (0..n).filter(|&r| new_label[r] != usize::MAX).collect();
            let jaccard: Vec<f64> = (0..k)
                .map(|t| {
                    let members: Vec<usize> =
                        drawn.iter().copied().filter(|&r| labels[r] == t).collect();
                    if members.is_empty() {
                        return 0.0;
                    }
                    (0..k)
                        .map(|c| {
                            let inter = members.iter().filter(|&&r| new_label[r] == c).count();
                            let union = members.len()
                                + drawn.iter().filter(|&&r| new_label[r] == c).count()
                                - inter;
                            if union == 0 {
                                0.0
                            } else {
                                inter as f64 / union as f64
                            }
                        })
                        .fold(0.0, f64::max)
                })
                .collect();
            let a: Vec<usize> = drawn.iter().map(|&r| labels[r]).collect();
            let b2: Vec<usize> = drawn.iter().map(|&r| new_label[r]).collect();
            on_done();
            progress::advance(1);
            Ok((jaccard, adjusted_rand_index(&a, &b2)))
        })
        .collect::<Result<_, ClusterError>>()?;
    let types = (0..k)
        .map(|t| {
            let j: Vec<f64> = runs.iter().map(|r| r.0[t]).collect();
            let mean = j.iter().sum::<f64>() / j.len() as f64;
            let sd = (j.iter().map(|v| (v - mean).powi(2)).sum::<f64>()
                / (j.len().max(2) - 1) as f64)
                .sqrt();
            TypeStability {
                mean_jaccard: mean,
                sd_jaccard: sd,
                dissolved: j.iter().filter(|&&v| v <= 0.5).count() as f64 / j.len() as f64,
                jaccard: j,
            }
        })
        .collect();
    Ok(Stability {
        resamples,
        types,
        ari: runs.iter().map(|r| r.1).collect(),
    })
}

/// A large survey's answer patterns, when it repeats them: from [`PATTERNS_MIN_ROWS`] rows with
/// at most half as many patterns (rows in canonical order, so equal rows are neighbours).
struct Repeated {
    /// The first row of each pattern.
    first: Vec<usize>,
    /// The pattern of each row.
    of_row: Vec<u32>,
}

impl Repeated {
    fn of(x: &Array2<f64>) -> Option<Repeated> {
        let n = x.nrows();
        if n < PATTERNS_MIN_ROWS {
            return None;
        }
        let same = |a: usize, b: usize| {
            x.row(a)
                .iter()
                .zip(x.row(b).iter())
                .all(|(p, q)| p.to_bits() == q.to_bits())
        };
        let first: Vec<usize> = (0..n).filter(|&i| i == 0 || !same(i - 1, i)).collect();
        if first.len() * 2 > n {
            return None;
        }
        let mut of_row = Vec::with_capacity(n);
        let mut p = 0;
        for i in 0..n {
            if p + 1 < first.len() && first[p + 1] == i {
                p += 1;
            }
            of_row.push(p as u32);
        }
        Some(Repeated { first, of_row })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ari_of_identical_and_relabelled_partitions_is_one() {
        let a = [0, 0, 1, 1, 2, 2];
        assert!((adjusted_rand_index(&a, &a) - 1.0).abs() < 1e-12);
        let b = [2, 2, 0, 0, 1, 1];
        assert!((adjusted_rand_index(&a, &b) - 1.0).abs() < 1e-12);
        let c = [0, 1, 2, 0, 1, 2];
        assert!(adjusted_rand_index(&a, &c) < 0.0);
    }
}
