//! Silhouettes (exact, on the distinct rows with their counts where a large survey repeats its
//! answer patterns, and the simplified one against centroids above [`EXACT_SILHOUETTE_MAX_ROWS`]
//! distinct rows) and the indices used to choose k (Calinski-Harabasz, Davies-Bouldin): how well
//! a partition separates the rows, whichever engine made it.

use ndarray::{Array2, Axis};
use rayon::prelude::*;

use super::engine::blocks::{self, Blocks};
use super::kmeans::{nearest, sq_dist, Partition};
use super::patterns::row_order;

/// Silhouettes are exact up to this many rows, or distinct rows: the exact silhouette needs the
/// distance of every pair. Above it they are taken against centroids (the simplified silhouette).
pub const EXACT_SILHOUETTE_MAX_ROWS: usize = 20_000;

/// Silhouettes: exact up to [`EXACT_SILHOUETTE_MAX_ROWS`] rows, and for more rows with at most
/// that many distinct rows (with their cluster), computed on those; simplified above.
pub fn silhouettes_for(x: &Array2<f64>, labels: &[usize], centroids: &Array2<f64>) -> Vec<f64> {
    silhouettes_with_kind(x, labels, centroids).0
}

/// [`silhouettes_for`], and whether they are exact (`false`: simplified).
pub fn silhouettes_with_kind(
    x: &Array2<f64>,
    labels: &[usize],
    centroids: &Array2<f64>,
) -> (Vec<f64>, bool) {
    let k = centroids.nrows();
    if x.nrows() <= EXACT_SILHOUETTE_MAX_ROWS {
        return (silhouettes(x, labels, k), true);
    }
    match Counted::of(x, labels, EXACT_SILHOUETTE_MAX_ROWS) {
        Some(c) => {
            let each = silhouettes_counted(&c.x, &c.counts, &c.labels, k);
            (c.of_row.iter().map(|&g| each[g as usize]).collect(), true)
        }
        None => (simplified_silhouettes(x, labels, centroids), false),
    }
}

/// The distinct (row, cluster) pairs of a partition, each with how often it occurs.
struct Counted {
    x: Array2<f64>,
    counts: Vec<f64>,
    labels: Vec<usize>,
    /// The pair of each row.
    of_row: Vec<u32>,
}

impl Counted {
    /// `None` when there are more than `most` pairs.
    fn of(x: &Array2<f64>, labels: &[usize], most: usize) -> Option<Counted> {
        let n = x.nrows();
        let order_of = |a: usize, b: usize| row_order(x, a, b).then(labels[a].cmp(&labels[b]));
        let mut order: Vec<usize> = (0..n).collect();
        order.par_sort_unstable_by(|&a, &b| order_of(a, b).then(a.cmp(&b)));
        let mut first = Vec::new();
        let mut of_row = vec![0u32; n];
        let mut counts: Vec<f64> = Vec::new();
        for (t, &i) in order.iter().enumerate() {
            if t == 0 || order_of(order[t - 1], i).is_ne() {
                if first.len() == most {
                    return None;
                }
                first.push(i);
                counts.push(0.0);
            }
            *counts.last_mut().expect("a pair") += 1.0;
            of_row[i] = (first.len() - 1) as u32;
        }
        Some(Counted {
            x: x.select(Axis(0), &first),
            labels: first.iter().map(|&i| labels[i]).collect(),
            counts,
            of_row,
        })
    }
}

/// Exact silhouettes of rows each standing for `counts[i]` equal rows (the silhouette of each of
/// them): the mean distances to the own and to the nearest other cluster count every row.
pub fn silhouettes_counted(
    x: &Array2<f64>,
    counts: &[f64],
    labels: &[usize],
    k: usize,
) -> Vec<f64> {
    let (p, d) = x.dim();
    let mut size = vec![0.0f64; k];
    for (&l, &c) in labels.iter().zip(counts) {
        size[l] += c;
    }
    let owned = x.as_standard_layout();
    let data = owned.as_slice().expect("standard layout");
    let blocks = Blocks::new(data, p, d);
    (0..p)
        .into_par_iter()
        .map(|i| {
            let mut squared = vec![0.0; p];
            blocks::distances(&blocks, &data[i * d..(i + 1) * d], 0, &mut squared);
            let mut sums = vec![0.0f64; k];
            for ((s, &l), &c) in squared.iter().zip(labels).zip(counts) {
                sums[l] += c * s.sqrt();
            }
            let own = labels[i];
            if size[own] <= 1.0 {
                return 0.0;
            }
            let a = sums[own] / (size[own] - 1.0);
            let b = (0..k)
                .filter(|&c| c != own && size[c] > 0.0)
                .map(|c| sums[c] / size[c])
                .fold(f64::INFINITY, f64::min);
            if !b.is_finite() {
                return 0.0;
            }
            (b - a) / a.max(b)
        })
        .collect()
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

/// [`calinski_harabasz`] with row i counting `weights[i]` times: weighted grand mean and cluster
/// masses, n the summed weights (`p.wss` is the weighted sum of squares).
pub fn calinski_harabasz_weighted(x: &Array2<f64>, weights: Option<&[f64]>, p: &Partition) -> f64 {
    let Some(w) = weights else {
        return calinski_harabasz(x, p);
    };
    let n: f64 = w.iter().sum();
    let k = p.centroids.nrows();
    let mut mean = vec![0.0; x.ncols()];
    let mut mass = vec![0.0f64; k];
    for ((r, &l), &wi) in x.rows().into_iter().zip(&p.labels).zip(w) {
        mass[l] += wi;
        for (m, v) in mean.iter_mut().zip(r) {
            *m += wi * v / n;
        }
    }
    let mean = ndarray::Array1::from(mean);
    let between: f64 = p
        .centroids
        .rows()
        .into_iter()
        .zip(&mass)
        .map(|(c, &m)| m * sq_dist(c, mean.view()))
        .sum();
    let k = k as f64;
    (between / (k - 1.0)) / (p.wss / (n - k))
}

/// [`davies_bouldin`] with each cluster's scatter the weighted mean distance to its centroid.
pub fn davies_bouldin_weighted(x: &Array2<f64>, weights: Option<&[f64]>, p: &Partition) -> f64 {
    let Some(w) = weights else {
        return davies_bouldin(x, p);
    };
    let k = p.centroids.nrows();
    let mut scatter = vec![0.0; k];
    let mut mass = vec![0.0f64; k];
    for ((r, &l), &wi) in x.rows().into_iter().zip(&p.labels).zip(w) {
        scatter[l] += wi * sq_dist(r, p.centroids.row(l)).sqrt();
        mass[l] += wi;
    }
    for c in 0..k {
        if mass[c] > 0.0 {
            scatter[c] /= mass[c];
        }
    }
    davies_bouldin_of(&scatter, p)
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
    davies_bouldin_of(&scatter, p)
}

/// The Davies-Bouldin index from each cluster's scatter.
fn davies_bouldin_of(scatter: &[f64], p: &Partition) -> f64 {
    let k = scatter.len();
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
    use crate::cluster::kmeans::two_blobs;
    use ndarray::array;

    /// The two blobs partitioned into the blobs; each centroid sits 0.1/3 from its corner in both
    /// coordinates.
    fn two_blobs_partitioned() -> (Array2<f64>, Partition) {
        let x = two_blobs();
        let c = 0.1 / 3.0;
        let p = Partition {
            centroids: array![[c, c], [5.0 + c, 5.0 + c]],
            labels: vec![0, 0, 0, 1, 1, 1],
            wss: 4.0 / 150.0,
        };
        (x, p)
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    #[test]
    fn silhouettes_of_two_blobs_are_the_ones_worked_out_by_hand() {
        let (x, p) = two_blobs_partitioned();
        let s = silhouettes(&x, &p.labels, 2);
        // row 0, (0, 0): a = mean distance to (0.1, 0) and (0, 0.1) = 0.1; b = mean distance to
        // (5, 5), (5.1, 5) and (5, 5.1)
        let b0 = (50.0f64.sqrt() + 2.0 * (5.1f64 * 5.1 + 25.0).sqrt()) / 3.0;
        assert!(close(s[0], 1.0 - 0.1 / b0), "{s:?}");
        // swapping the two coordinates maps the data onto themselves and row 1 onto row 2
        assert!(close(s[1], s[2]), "{s:?}");
        assert!(s.iter().all(|v| *v > 0.9), "{s:?}");
        // simplified, row 0: a = |(c, c)| = √2·c; b = distance to the other centroid = √2·(5 + c)
        let c = 0.1 / 3.0;
        let simple = simplified_silhouettes(&x, &p.labels, &p.centroids);
        assert!(close(simple[0], 1.0 - c / (5.0 + c)), "{simple:?}");
        assert!(simple.iter().all(|v| *v > 0.9), "{simple:?}");
        // up to EXACT_SILHOUETTE_MAX_ROWS rows, the exact one
        assert_eq!(silhouettes_for(&x, &p.labels, &p.centroids), s);
    }

    #[test]
    fn silhouettes_of_repeated_rows_are_those_of_every_row() {
        // 2,000 rows of five patterns in three clusters
        let patterns = [[1.0, 2.0], [1.0, 3.0], [4.0, 4.0], [5.0, 4.0], [9.0, 1.0]];
        let cluster = [0, 0, 1, 1, 2];
        let pick = |i: usize| (i * 7 + i / 11) % 5;
        let x = Array2::from_shape_fn((2_000, 2), |(i, j)| patterns[pick(i)][j]);
        let labels: Vec<usize> = (0..2_000).map(|i| cluster[pick(i)]).collect();
        let exact = silhouettes(&x, &labels, 3);
        let c = Counted::of(&x, &labels, 10).unwrap();
        assert_eq!(c.x.nrows(), 5);
        let each = silhouettes_counted(&c.x, &c.counts, &c.labels, 3);
        for (i, s) in exact.iter().enumerate() {
            assert!((s - each[c.of_row[i] as usize]).abs() < 1e-12, "row {i}");
        }
        assert!(Counted::of(&x, &labels, 4).is_none());
    }

    #[test]
    fn calinski_harabasz_and_davies_bouldin_of_two_blobs_are_the_ones_worked_out_by_hand() {
        let (x, p) = two_blobs_partitioned();
        // between: each centroid is 2.5 from the mean in both coordinates, 3 rows each:
        // 6 · 12.5 = 75, over k - 1 = 1; within: 4/150 over n - k = 4
        let ch = calinski_harabasz(&x, &p);
        assert!((ch - 75.0 / (4.0 / 150.0 / 4.0)).abs() < 1e-6, "{ch}");
        // scatter: mean distance to the own centroid, (√2 + 2·√5)/90 in both blobs; the centroids
        // are 5·√2 apart
        let scatter = (2.0f64.sqrt() + 2.0 * 5.0f64.sqrt()) / 90.0;
        let db = davies_bouldin(&x, &p);
        assert!(close(db, 2.0 * scatter / (5.0 * 2.0f64.sqrt())), "{db}");
    }
}
