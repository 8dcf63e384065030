//! The adapter to linfa-clustering's k-means (Lloyd, k-means++ starts), the reference the fast
//! engine is tested against: its result as a [`Partition`] whose centroids are the means of the
//! final assignment.

use linfa::prelude::*;
use linfa::DatasetBase;
use linfa_clustering::{KMeans, KMeansInit};
use ndarray::Array2;
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256Plus;

use crate::cluster::error::ClusterError;
use crate::cluster::kmeans::{means, nearest, within_ss, KMeansSettings, Partition};

/// Runs linfa-clustering's k-means.
pub fn fit_linfa(x: &Array2<f64>, s: &KMeansSettings) -> Result<Partition, ClusterError> {
    let n = x.nrows();
    s.check(n)?;
    let rng = Xoshiro256Plus::seed_from_u64(s.seed);
    let dataset = DatasetBase::from(x.clone());
    let model = KMeans::params_with_rng(s.k, rng)
        .n_runs(s.n_init)
        .init_method(KMeansInit::KMeansPlusPlus)
        .max_n_iterations(s.max_iter)
        .tolerance(s.tolerance)
        .fit(&dataset)
        .map_err(|e| ClusterError::KMeans(e.to_string()))?;
    let centroids = model.centroids().clone();
    let labels: Vec<usize> = x
        .rows()
        .into_iter()
        .map(|r| nearest(&centroids, r).0)
        .collect();
    // Centroids as the means of the final assignment, so that centroids and labels agree.
    let centroids = means(x, &labels, s.k, &centroids);
    let wss = within_ss(x, &labels, &centroids);
    Ok(Partition {
        centroids,
        labels,
        wss,
    })
}
