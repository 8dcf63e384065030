//! k-means with k-means++ starts and restarts, by linfa-clustering, and the quantities computed
//! around a partition: distances, within-cluster sum of squares, silhouettes, and the indices used
//! to choose k (Calinski-Harabasz, Davies-Bouldin).

use linfa::prelude::*;
use linfa::DatasetBase;
use linfa_clustering::{KMeans, KMeansInit};
use ndarray::{Array2, ArrayView1, Axis};
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256Plus;

use super::blocks::{self, Blocks};
use super::ClusterError;

/// Which k-means implementation runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Engine {
    /// Exact Lloyd iterations with greedy k-means++ starts and parallel restarts (`cluster::fast`):
    /// every distance, four rows at a time, up to 8,192 rows; Hamerly's bounds above.
    Fast,
    /// linfa-clustering's k-means (Lloyd, k-means++ starts): the reference.
    Linfa,
}

impl Engine {
    pub fn as_str(self) -> &'static str {
        match self {
            Engine::Fast => "fast, exact Lloyd iterations",
            Engine::Linfa => "linfa",
        }
    }
}

/// Settings of one k-means fit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KMeansSettings {
    pub engine: Engine,
    pub k: usize,
    pub seed: u64,
    pub n_init: usize,
    pub max_iter: u64,
    pub tolerance: f64,
}

impl KMeansSettings {
    /// Checks the settings for `n` rows.
    pub fn check(&self, n: usize) -> Result<(), ClusterError> {
        if self.k < 2 || self.k >= n {
            return Err(ClusterError::Options(format!(
                "k = {} is not possible with {n} municipalities; expected 2 <= k < {n}",
                self.k
            )));
        }
        if self.n_init == 0 {
            return Err(ClusterError::Options("--n-init must be at least 1".into()));
        }
        Ok(())
    }
}

/// A partition of the rows into k clusters.
#[derive(Debug, Clone, PartialEq)]
pub struct Partition {
    pub centroids: Array2<f64>,
    pub labels: Vec<usize>,
    /// Within-cluster sum of squared distances to the final centroids.
    pub wss: f64,
}

pub fn sq_dist(a: ArrayView1<f64>, b: ArrayView1<f64>) -> f64 {
    match (a.as_slice(), b.as_slice()) {
        (Some(a), Some(b)) => squared_distance(a, b),
        _ => a.iter().zip(b.iter()).map(|(x, y)| (x - y) * (x - y)).sum(),
    }
}

/// Squared Euclidean distance of two equally long slices, summed in four lanes (which the compiler
/// turns into vector instructions) and then the rest: the same order every time, so the same bits.
#[inline(always)]
pub fn squared_distance(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    let mut lanes = [0.0f64; 4];
    let (ca, cb) = (a.chunks_exact(4), b.chunks_exact(4));
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        let (x, y): (&[f64; 4], &[f64; 4]) = (
            x.try_into().expect("chunks of 4"),
            y.try_into().expect("chunks of 4"),
        );
        for l in 0..4 {
            let t = x[l] - y[l];
            lanes[l] += t * t;
        }
    }
    let mut sum = (lanes[0] + lanes[2]) + (lanes[1] + lanes[3]);
    for (x, y) in ra.iter().zip(rb) {
        sum += (x - y) * (x - y);
    }
    sum
}

/// Index of the nearest centroid and all squared distances.
pub fn nearest(centroids: &Array2<f64>, point: ArrayView1<f64>) -> (usize, Vec<f64>) {
    let d: Vec<f64> = centroids
        .rows()
        .into_iter()
        .map(|c| sq_dist(c, point))
        .collect();
    let best = d
        .iter()
        .enumerate()
        .min_by(|a, b| a.1.total_cmp(b.1))
        .map_or(0, |(i, _)| i);
    (best, d)
}

/// Runs k-means on `x` (rows are observations) with the chosen engine.
pub fn fit(x: &Array2<f64>, s: &KMeansSettings) -> Result<Partition, ClusterError> {
    match s.engine {
        Engine::Fast => super::fast::fit(x, s),
        Engine::Linfa => fit_linfa(x, s),
    }
}

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

/// Cluster means; a cluster left empty keeps `fallback`'s centroid.
pub fn means(x: &Array2<f64>, labels: &[usize], k: usize, fallback: &Array2<f64>) -> Array2<f64> {
    let mut sums = Array2::<f64>::zeros((k, x.ncols()));
    let mut counts = vec![0usize; k];
    for (row, &l) in x.rows().into_iter().zip(labels) {
        let mut s = sums.row_mut(l);
        s += &row;
        counts[l] += 1;
    }
    for (c, mut row) in sums.axis_iter_mut(Axis(0)).enumerate() {
        if counts[c] == 0 {
            row.assign(&fallback.row(c));
        } else {
            row /= counts[c] as f64;
        }
    }
    sums
}

pub fn within_ss(x: &Array2<f64>, labels: &[usize], centroids: &Array2<f64>) -> f64 {
    x.rows()
        .into_iter()
        .zip(labels)
        .map(|(r, &l)| sq_dist(r, centroids.row(l)))
        .sum()
}

/// Above this many rows silhouettes are taken against centroids (the simplified silhouette), as
/// the exact one needs every pair of rows.
pub const EXACT_SILHOUETTE_MAX_ROWS: usize = 20_000;

/// Silhouettes: exact up to [`EXACT_SILHOUETTE_MAX_ROWS`] rows, simplified above.
pub fn silhouettes_for(x: &Array2<f64>, labels: &[usize], centroids: &Array2<f64>) -> Vec<f64> {
    if x.nrows() <= EXACT_SILHOUETTE_MAX_ROWS {
        silhouettes(x, labels, centroids.nrows())
    } else {
        simplified_silhouettes(x, labels, centroids)
    }
}

/// Simplified silhouette: a = distance to the own centroid, b = distance to the nearest other one.
pub fn simplified_silhouettes(
    x: &Array2<f64>,
    labels: &[usize],
    centroids: &Array2<f64>,
) -> Vec<f64> {
    x.rows()
        .into_iter()
        .zip(labels)
        .map(|(r, &l)| {
            let (_, d) = nearest(centroids, r);
            let a = d[l].sqrt();
            let b = d
                .iter()
                .enumerate()
                .filter(|(c, _)| *c != l)
                .map(|(_, v)| v.sqrt())
                .fold(f64::INFINITY, f64::min);
            if !b.is_finite() || a.max(b) == 0.0 {
                0.0
            } else {
                (b - a) / a.max(b)
            }
        })
        .collect()
}

/// Silhouette of every row (Euclidean distances; 0 for a row alone in its cluster).
pub fn silhouettes(x: &Array2<f64>, labels: &[usize], k: usize) -> Vec<f64> {
    let n = x.nrows();
    let mut counts = vec![0usize; k];
    for &l in labels {
        counts[l] += 1;
    }
    // sums[i * k + c]: total distance from row i to the rows of cluster c; each pair computed once
    let mut sums = vec![0.0; n * k];
    let owned = x.as_standard_layout();
    let data = owned.as_slice().expect("standard layout");
    let d = x.ncols();
    let blocks = Blocks::new(data, n, d);
    let mut squared = vec![0.0; n];
    for i in 0..n {
        let xi = &data[i * d..(i + 1) * d];
        let li = labels[i];
        let mut own_row = vec![0.0; k];
        // the squared distances to the later rows, four rows at a time
        let later = &mut squared[..n - i - 1];
        blocks::distances(&blocks, xi, i + 1, later);
        for (j, s) in (i + 1..n).zip(later.iter()) {
            let dist = s.sqrt();
            own_row[labels[j]] += dist;
            sums[j * k + li] += dist;
        }
        for (s, v) in sums[i * k..(i + 1) * k].iter_mut().zip(&own_row) {
            *s += v;
        }
    }
    (0..n)
        .map(|i| {
            let own = labels[i];
            if counts[own] <= 1 {
                return 0.0;
            }
            let row = &sums[i * k..(i + 1) * k];
            let a = row[own] / (counts[own] - 1) as f64;
            let b = (0..k)
                .filter(|&c| c != own && counts[c] > 0)
                .map(|c| row[c] / counts[c] as f64)
                .fold(f64::INFINITY, f64::min);
            if !b.is_finite() {
                return 0.0;
            }
            (b - a) / a.max(b)
        })
        .collect()
}

/// Calinski-Harabasz index (higher is better).
pub fn calinski_harabasz(x: &Array2<f64>, p: &Partition) -> f64 {
    let n = x.nrows() as f64;
    let k = p.centroids.nrows() as f64;
    let mean = x.mean_axis(Axis(0)).expect("rows");
    let mut counts = vec![0usize; p.centroids.nrows()];
    for &l in &p.labels {
        counts[l] += 1;
    }
    let between: f64 = p
        .centroids
        .rows()
        .into_iter()
        .zip(&counts)
        .map(|(c, &m)| m as f64 * sq_dist(c, mean.view()))
        .sum();
    (between / (k - 1.0)) / (p.wss / (n - k))
}

/// Davies-Bouldin index (lower is better).
pub fn davies_bouldin(x: &Array2<f64>, p: &Partition) -> f64 {
    let k = p.centroids.nrows();
    let mut scatter = vec![0.0; k];
    let mut counts = vec![0usize; k];
    for (r, &l) in x.rows().into_iter().zip(&p.labels) {
        scatter[l] += sq_dist(r, p.centroids.row(l)).sqrt();
        counts[l] += 1;
    }
    for c in 0..k {
        scatter[c] /= counts[c].max(1) as f64;
    }
    let mut total = 0.0;
    for i in 0..k {
        let worst = (0..k)
            .filter(|&j| j != i)
            .map(|j| {
                (scatter[i] + scatter[j]) / sq_dist(p.centroids.row(i), p.centroids.row(j)).sqrt()
            })
            .fold(0.0, f64::max);
        total += worst;
    }
    total / k as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    fn two_blobs() -> Array2<f64> {
        array![
            [0.0, 0.0],
            [0.1, 0.0],
            [0.0, 0.1],
            [5.0, 5.0],
            [5.1, 5.0],
            [5.0, 5.1]
        ]
    }

    #[test]
    fn two_separated_blobs_are_found() {
        let x = two_blobs();
        for engine in [Engine::Fast, Engine::Linfa] {
            blobs_with(&x, engine);
        }
    }

    fn blobs_with(x: &Array2<f64>, engine: Engine) {
        let x = x.clone();
        let p = fit(
            &x,
            &KMeansSettings {
                engine,
                k: 2,
                seed: 1,
                n_init: 5,
                max_iter: 100,
                tolerance: 1e-6,
            },
        )
        .unwrap();
        assert_eq!(p.labels[0], p.labels[1]);
        assert_eq!(p.labels[0], p.labels[2]);
        assert_ne!(p.labels[0], p.labels[3]);
        assert!((p.wss - 4.0 * 0.01 * 2.0 / 3.0 * 1.5).abs() < 0.1);
        let s = silhouettes(&x, &p.labels, 2);
        assert!(s.iter().all(|v| *v > 0.9), "{s:?}");
        let simple = simplified_silhouettes(&x, &p.labels, &p.centroids);
        assert!(simple.iter().all(|v| *v > 0.9), "{simple:?}");
        assert_eq!(silhouettes_for(&x, &p.labels, &p.centroids), s);
        assert!(davies_bouldin(&x, &p) < 0.1);
        assert!(calinski_harabasz(&x, &p) > 100.0);
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
