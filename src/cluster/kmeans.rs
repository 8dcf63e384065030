//! The vocabulary every k-means engine and everything around them share: which engine runs, the
//! settings of one fit and their check, the partition a fit returns, and the squared Euclidean
//! distance (summed in one fixed order, so the same bits everywhere) with the nearest centroid.

use ndarray::{Array2, ArrayView1, Axis};

use super::error::ClusterError;

/// Which k-means implementation runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
#[serde(rename_all = "lowercase")]
pub enum Engine {
    /// Exact Lloyd iterations with greedy k-means++ starts and parallel restarts
    /// (`cluster::engine::fast`): every distance, four rows at a time, up to 8,192 rows; Hamerly's
    /// bounds above.
    #[cfg_attr(feature = "cli", value(help = None::<&str>))]
    Fast,
    /// linfa-clustering's k-means (Lloyd, k-means++ starts): the reference.
    #[cfg_attr(feature = "cli", value(help = None::<&str>))]
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

/// Which iterations improve a start: Lloyd's (every row to its nearest centre, then every centre
/// to its rows' mean: scikit-learn's and linfa's) or Hartigan and Wong's (AS 136: single rows
/// move as soon as that lowers the sum of squares: R's default).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
#[serde(rename_all = "kebab-case")]
pub enum Algorithm {
    #[default]
    Lloyd,
    HartiganWong,
}

impl Algorithm {
    pub fn as_str(self) -> &'static str {
        match self {
            Algorithm::Lloyd => "lloyd",
            Algorithm::HartiganWong => "hartigan-wong",
        }
    }

    /// Whether this is Lloyd's, the default (which a manifest leaves unwritten).
    pub fn is_lloyd(&self) -> bool {
        *self == Algorithm::Lloyd
    }
}

/// Settings of one k-means fit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KMeansSettings {
    pub engine: Engine,
    pub algorithm: Algorithm,
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
                "k = {} is not possible with {n} rows; expected 2 <= k < {n}",
                self.k
            )));
        }
        if self.engine == Engine::Linfa && self.algorithm == Algorithm::HartiganWong {
            return Err(ClusterError::Options(
                "--algorithm hartigan-wong runs on the fast engine; leave out --engine linfa"
                    .into(),
            ));
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

/// Squared Euclidean distance of two rows ([`squared_distance`] when both are contiguous).
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

/// Test data: two blobs of three rows each, at the corners (0, 0) and (5, 5), each blob the
/// corner, the corner + (0.1, 0) and the corner + (0, 0.1).
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

/// Within-cluster sum of squares of a partition around `centroids`.
pub fn within_ss(x: &Array2<f64>, labels: &[usize], centroids: &Array2<f64>) -> f64 {
    x.rows()
        .into_iter()
        .zip(labels)
        .map(|(r, &l)| sq_dist(r, centroids.row(l)))
        .sum()
}

#[cfg(test)]
pub(super) fn two_blobs() -> Array2<f64> {
    ndarray::array![
        [0.0, 0.0],
        [0.1, 0.0],
        [0.0, 0.1],
        [5.0, 5.0],
        [5.1, 5.0],
        [5.0, 5.1]
    ]
}
