//! Choosing k: for each k, the within-cluster sum of squares (elbow), mean silhouette,
//! Calinski-Harabasz, Davies-Bouldin and the gap statistic (Tibshirani, Walther & Hastie 2001,
//! uniform reference data over the data's bounding box, at most [`GAP_REFERENCE_MAX_ROWS`] rows
//! each). Every index's choice is reported; the recommendation says which rule it follows and
//! where the indices disagree.

use ndarray::Array2;
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use rayon::prelude::*;
use serde::Serialize;

use super::engine::fit_weighted;
use super::error::ClusterError;
use super::kmeans::{Algorithm, Engine, KMeansSettings};
use super::patterns::fit_patterns;
use super::quality::{calinski_harabasz_weighted, davies_bouldin_weighted, silhouettes_for};
use super::seed::derive_seed;
use super::typology::weighted_mean;
use crate::progress;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChooseKOptions {
    pub engine: Engine,
    pub algorithm: Algorithm,
    pub k_min: usize,
    pub k_max: usize,
    pub seed: u64,
    pub n_init: usize,
    pub max_iter: u64,
    pub tolerance: f64,
    /// Reference data sets for the gap statistic.
    pub gap_references: usize,
}

/// The indices for one k.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct KScore {
    pub k: usize,
    pub wss: f64,
    pub silhouette: f64,
    pub calinski_harabasz: f64,
    pub davies_bouldin: f64,
    pub gap: f64,
    /// Standard error of the reference log(W), times sqrt(1 + 1/B).
    pub gap_se: f64,
}

pub fn choose_k(x: &Array2<f64>, o: &ChooseKOptions) -> Result<Vec<KScore>, ClusterError> {
    choose_k_weighted(x, None, o)
}

/// The most rows a reference data set of the gap statistic has. A larger survey's reference sets
/// have this many rows, each standing for n / 5,000 of the survey's rows (its summed weights over
/// 5,000, when weighted): the within-cluster sum of squares of uniform data grows in proportion to
/// the rows, and k-means on 5,000 uniform rows of eleven variables takes a fraction of a second
/// where on 100,000 it takes seconds, for each k, reference set and restart.
pub const GAP_REFERENCE_MAX_ROWS: usize = 5_000;

/// [`choose_k`] with row i counting `weights[i]` times: weighted k-means, the weighted mean of the
/// rows' silhouettes, Calinski-Harabasz and Davies-Bouldin with weighted counts, means and
/// scatter; the gap statistic's reference rows carry the data rows' weights (above
/// [`GAP_REFERENCE_MAX_ROWS`] rows see there). The reference sets are drawn once and used for
/// every k. Rows in canonical order (equal rows neighbours): from 20,000 rows k-means runs on the
/// distinct rows ([`fit_patterns`]).
pub fn choose_k_weighted(
    x: &Array2<f64>,
    weights: Option<&[f64]>,
    o: &ChooseKOptions,
) -> Result<Vec<KScore>, ClusterError> {
    let n = x.nrows();
    if o.k_min < 2 || o.k_max < o.k_min || o.k_max >= n {
        return Err(ClusterError::Options(format!(
            "k from {} to {} is not possible with {n} rows; expected 2 <= k-min <= k-max < {n}",
            o.k_min, o.k_max
        )));
    }
    let settings = |k: usize, seed: u64, n_init: usize| KMeansSettings {
        engine: o.engine,
        algorithm: o.algorithm,
        k,
        seed,
        n_init,
        max_iter: o.max_iter,
        tolerance: o.tolerance,
    };
    let ks: Vec<usize> = (o.k_min..=o.k_max).collect();
    // reference data: uniform over the bounding box, one data set per reference, the same for
    // every k; drawn again from its seed where it is used, so that memory does not grow with the
    // number of references
    let (lo, hi): (Vec<f64>, Vec<f64>) = x
        .columns()
        .into_iter()
        .map(|c| {
            (
                c.iter().copied().fold(f64::INFINITY, f64::min),
                c.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            )
        })
        .unzip();
    // above GAP_REFERENCE_MAX_ROWS rows, smaller reference sets whose rows stand for n / m rows
    let m = n.min(GAP_REFERENCE_MAX_ROWS);
    let reference_weights: Option<Vec<f64>> = if m < n {
        let total = weights.map_or(n as f64, |w| w.iter().sum());
        Some(vec![total / m as f64; m])
    } else {
        weights.map(<[f64]>::to_vec)
    };
    let reference = |b: usize| {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(derive_seed(o.seed, 1000 + b as u64));
        Array2::from_shape_fn((m, x.ncols()), |(_, j)| {
            if hi[j] > lo[j] {
                rng.gen_range(lo[j]..hi[j])
            } else {
                lo[j]
            }
        })
    };
    let ref_n_init = o.n_init.clamp(1, 10);
    progress::start(
        progress::Task::IndicesForK,
        (ks.len() * (1 + o.gap_references)) as u64,
    );
    let scores: Result<Vec<KScore>, ClusterError> = ks
        .par_iter()
        .map(|&k| {
            let fit = |x: &Array2<f64>, w: Option<&[f64]>| {
                fit_weighted(x, w, &settings(k, o.seed, o.n_init))
            };
            let p = if o.engine == Engine::Linfa {
                // the reference engine runs on the rows as given
                fit(x, weights)?
            } else {
                fit_patterns(x, weights, fit)?
            };
            progress::advance(1);
            let sil = silhouettes_for(x, &p.labels, &p.centroids);
            let logs: Vec<f64> = (0..o.gap_references)
                .map(|b| {
                    let wss = fit_weighted(
                        &reference(b),
                        reference_weights.as_deref(),
                        &settings(k, derive_seed(o.seed, (k * 10_000 + b) as u64), ref_n_init),
                    )?
                    .wss;
                    progress::advance(1);
                    Ok(wss.ln())
                })
                .collect::<Result<_, ClusterError>>()?;
            let bn = logs.len() as f64;
            let mean = logs.iter().sum::<f64>() / bn.max(1.0);
            let sd = (logs.iter().map(|l| (l - mean).powi(2)).sum::<f64>() / bn.max(1.0)).sqrt();
            Ok(KScore {
                k,
                wss: p.wss,
                silhouette: match weights {
                    None => sil.iter().sum::<f64>() / sil.len() as f64,
                    Some(w) => weighted_mean(sil.iter().copied().zip(w.iter().copied())),
                },
                calinski_harabasz: calinski_harabasz_weighted(x, weights, &p),
                davies_bouldin: davies_bouldin_weighted(x, weights, &p),
                gap: if logs.is_empty() {
                    f64::NAN
                } else {
                    mean - p.wss.ln()
                },
                gap_se: sd * (1.0 + 1.0 / bn.max(1.0)).sqrt(),
            })
        })
        .collect();
    scores
}

/// An index that points to a k. Serialised by the name `choose-k` prints in English.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum KIndex {
    /// The largest second difference of the within-cluster sum of squares.
    #[serde(rename = "elbow (WSS)")]
    Elbow,
    /// The highest mean silhouette.
    #[serde(rename = "silhouette")]
    Silhouette,
    /// The highest Calinski-Harabasz index.
    #[serde(rename = "Calinski-Harabasz")]
    CalinskiHarabasz,
    /// The lowest Davies-Bouldin index.
    #[serde(rename = "Davies-Bouldin")]
    DaviesBouldin,
    /// The smallest k with gap(k) >= gap(k+1) - se(k+1).
    #[serde(rename = "gap statistic")]
    Gap,
}

/// What each index says, and the recommendation: the k most indices point to, the smaller on a
/// tie.
#[derive(Debug, Clone, PartialEq)]
pub struct Recommendation {
    /// Each index with the k it points to (`None`: it could not be computed), in the order
    /// elbow, silhouette, Calinski-Harabasz, Davies-Bouldin, gap.
    pub choices: Vec<(KIndex, Option<usize>)>,
    pub k: Option<usize>,
    /// How many indices point to `k`.
    pub agreement: usize,
    /// Another k got as many indices as the recommended one (the smaller k is recommended).
    pub tied: bool,
}

impl Recommendation {
    /// How many indices point to some k.
    pub fn pointing(&self) -> usize {
        self.choices.iter().filter(|c| c.1.is_some()).count()
    }
}

pub fn recommend(scores: &[KScore]) -> Recommendation {
    let best_by = |f: &dyn Fn(&KScore) -> f64, max: bool| {
        scores
            .iter()
            .filter(|s| f(s).is_finite())
            .max_by(|a, b| {
                let o = f(a).total_cmp(&f(b));
                if max {
                    o
                } else {
                    o.reverse()
                }
            })
            .map(|s| s.k)
    };
    // elbow: the k with the largest drop in improvement (second difference of the WSS)
    let elbow = scores
        .windows(3)
        .map(|w| (w[1].k, (w[0].wss - w[1].wss) - (w[1].wss - w[2].wss)))
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(k, _)| k);
    // gap: the smallest k with gap(k) >= gap(k+1) - se(k+1)
    let gap = scores
        .windows(2)
        .find(|w| w[0].gap >= w[1].gap - w[1].gap_se)
        .map(|w| w[0].k);
    let choices = vec![
        (KIndex::Elbow, elbow),
        (KIndex::Silhouette, best_by(&|s| s.silhouette, true)),
        (
            KIndex::CalinskiHarabasz,
            best_by(&|s| s.calinski_harabasz, true),
        ),
        (KIndex::DaviesBouldin, best_by(&|s| s.davies_bouldin, false)),
        (KIndex::Gap, gap),
    ];
    let mut votes: Vec<(usize, usize)> = Vec::new();
    for (_, k) in &choices {
        if let Some(k) = k {
            match votes.iter_mut().find(|v| v.0 == *k) {
                Some(v) => v.1 += 1,
                None => votes.push((*k, 1)),
            }
        }
    }
    votes.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let (k, agreement) = votes.first().map_or((None, 0), |v| (Some(v.0), v.1));
    let tied = votes.len() > 1 && votes[1].1 == agreement;
    Recommendation {
        choices,
        k,
        agreement,
        tied,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_blobs_give_three() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(5);
        let centers = [[0.0, 0.0], [6.0, 0.0], [0.0, 6.0]];
        let x = Array2::from_shape_fn((90, 2), |(i, j)| {
            centers[i % 3][j] + rng.gen_range(-0.5..0.5)
        });
        let o = ChooseKOptions {
            algorithm: Algorithm::Lloyd,
            engine: Engine::Fast,
            k_min: 2,
            k_max: 6,
            seed: 1,
            n_init: 5,
            max_iter: 100,
            tolerance: 1e-6,
            gap_references: 5,
        };
        let scores = choose_k(&x, &o).unwrap();
        let r = recommend(&scores);
        assert_eq!(r.k, Some(3), "{r:?}");
        assert!(r.agreement >= 4, "{r:?}");
    }
}
