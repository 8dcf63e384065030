//! The k-means engines side by side, and the dispatch between them: the fast engine (`fast`,
//! exact Lloyd iterations with parallel restarts, over the row blocks of `blocks` on small data,
//! or Hartigan and Wong's from each start, `hartigan_wong`) and the adapter to linfa-clustering (`linfa`), the reference.

pub(in crate::cluster) mod blocks;
pub(super) mod fast;
mod hartigan_wong;
pub(super) mod linfa;

use ndarray::Array2;

use super::error::ClusterError;
use super::kmeans::{Engine, KMeansSettings, Partition};

/// Runs k-means on `x` (rows are observations) with the chosen engine.
pub fn fit(x: &Array2<f64>, s: &KMeansSettings) -> Result<Partition, ClusterError> {
    match s.engine {
        Engine::Fast => fast::fit(x, s),
        Engine::Linfa => linfa::fit_linfa(x, s),
    }
}

/// Runs k-means on `x` with row i counting `weights[i]` times (`None`: [`fit`]): weighted
/// centroids, weighted sum of squares, k-means++ seeding by weight times squared distance. Only
/// the fast engine takes weights.
pub fn fit_weighted(
    x: &Array2<f64>,
    weights: Option<&[f64]>,
    s: &KMeansSettings,
) -> Result<Partition, ClusterError> {
    match (weights, s.engine) {
        (None, _) => fit(x, s),
        (Some(w), Engine::Fast) => fast::fit_weighted(x, Some(w), s),
        (Some(_), Engine::Linfa) => Err(ClusterError::Options(
            "the linfa engine does not take survey weights; use --engine fast or --weight none"
                .into(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::kmeans::two_blobs;
    use crate::cluster::kmeans::Algorithm;

    /// Both engines find the two blobs, with the blobs' means as centroids and the sum of squares
    /// worked out by hand: in each coordinate a blob holds the offsets 0, 0.1 and 0 from its corner,
    /// whose mean is 0.1/3, so their squared deviations sum to 2·(0.1/3)² + (0.2/3)² = 1/150; two
    /// coordinates and two blobs make 4/150.
    #[test]
    fn two_separated_blobs_are_found_with_the_sum_of_squares_worked_out_by_hand() {
        let x = two_blobs();
        let per_coordinate = 2.0 * (0.1f64 / 3.0).powi(2) + (0.2f64 / 3.0).powi(2);
        assert!((per_coordinate - 1.0 / 150.0).abs() < 1e-15);
        let expected_wss = 4.0 * per_coordinate;
        for engine in [Engine::Fast, Engine::Linfa] {
            let p = fit(
                &x,
                &KMeansSettings {
                    engine,
                    algorithm: Algorithm::Lloyd,
                    k: 2,
                    seed: 1,
                    n_init: 5,
                    max_iter: 100,
                    tolerance: 1e-6,
                },
            )
            .unwrap();
            assert_eq!(p.labels[0], p.labels[1], "{engine:?}");
            assert_eq!(p.labels[0], p.labels[2], "{engine:?}");
            assert_eq!(p.labels[3], p.labels[4], "{engine:?}");
            assert_eq!(p.labels[3], p.labels[5], "{engine:?}");
            assert_ne!(p.labels[0], p.labels[3], "{engine:?}");
            assert!(
                (p.wss - expected_wss).abs() < 1e-12,
                "{engine:?}: {} instead of {expected_wss}",
                p.wss
            );
            for (label, corner) in [(p.labels[0], 0.0), (p.labels[3], 5.0)] {
                for c in p.centroids.row(label) {
                    assert!((c - (corner + 0.1 / 3.0)).abs() < 1e-12, "{engine:?}: {c}");
                }
            }
        }
    }

    #[test]
    fn k_must_be_between_2_and_n_minus_1() {
        let x = two_blobs();
        for (k, engine) in [
            (1, Engine::Fast),
            (6, Engine::Fast),
            (1, Engine::Linfa),
            (6, Engine::Linfa),
        ] {
            let e = fit(
                &x,
                &KMeansSettings {
                    engine,
                    algorithm: Algorithm::Lloyd,
                    k,
                    seed: 1,
                    n_init: 1,
                    max_iter: 10,
                    tolerance: 1e-4,
                },
            );
            assert!(matches!(e, Err(ClusterError::Options(_))));
        }
    }
}
