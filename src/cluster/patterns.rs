//! The distinct answer patterns of a large survey: rating scales have few levels, so a large
//! survey repeats its answer patterns many times, and k-means ([`fit_patterns`]), the certainty's
//! resamples and the mixtures' EM run on the patterns, each counting with its rows, instead of
//! on every row. Below everything that clusters a matrix; it knows only the k-means partition.

use ndarray::Array2;

use super::error::ClusterError;
use super::kmeans::Partition;

/// Rows `a` and `b` of `x` compared value by value, bit for bit.
pub(super) fn row_order(x: &Array2<f64>, a: usize, b: usize) -> std::cmp::Ordering {
    x.row(a)
        .iter()
        .zip(x.row(b).iter())
        .map(|(p, q)| p.to_bits().cmp(&q.to_bits()))
        .find(|o| o.is_ne())
        .unwrap_or(std::cmp::Ordering::Equal)
}

/// The fewest rows for which k-means runs on the distinct answer patterns (see [`fit_patterns`]);
/// a smaller survey is clustered row by row, as it always was.
pub const PATTERNS_MIN_ROWS: usize = 20_000;

/// k-means on the distinct answer patterns of `x` (rows in canonical order, so that equal rows are
/// neighbours), each counting with the summed weights of its rows, when `x` has at least
/// [`PATTERNS_MIN_ROWS`] rows and at most half as many patterns as rows; otherwise on the rows.
///
/// Rating scales have few levels, so a large survey repeats its answer patterns many times.
/// k-means on the patterns with their counts as weights minimises the same sum of squares, and
/// its k-means++ start draws from the same distribution (a pattern in proportion to its count
/// times its squared distance), with a fraction of the work; the labels are then those of each
/// row's pattern. The restarts draw other random numbers than on the rows, so the best of them
/// can differ from a row-by-row run's where several partitions are nearly as good.
pub fn fit_patterns(
    x: &Array2<f64>,
    weights: Option<&[f64]>,
    fit: impl FnOnce(&Array2<f64>, Option<&[f64]>) -> Result<Partition, ClusterError>,
) -> Result<Partition, ClusterError> {
    let Some(groups) = Patterns::of(x) else {
        return fit(x, weights);
    };
    let patterns = x.select(ndarray::Axis(0), &groups.first);
    let mut counts = vec![0.0f64; groups.first.len()];
    for (i, &p) in groups.pattern_of.iter().enumerate() {
        counts[p as usize] += weights.map_or(1.0, |w| w[i]);
    }
    let pattern_of = groups.pattern_of;
    let fitted = fit(&patterns, Some(&counts))?;
    Ok(Partition {
        labels: pattern_of
            .iter()
            .map(|&p| fitted.labels[p as usize])
            .collect(),
        centroids: fitted.centroids,
        wss: fitted.wss,
    })
}

/// The distinct answer patterns of a matrix whose equal rows are neighbours (its canonical
/// order), where k-means and the resamples run on them: at least [`PATTERNS_MIN_ROWS`] rows and at
/// most half as many patterns as rows.
pub struct Patterns {
    /// The first row of each pattern.
    pub first: Vec<usize>,
    /// Each row's pattern.
    pub pattern_of: Vec<u32>,
}

impl Patterns {
    pub fn of(x: &Array2<f64>) -> Option<Patterns> {
        let n = x.nrows();
        if n < PATTERNS_MIN_ROWS {
            return None;
        }
        // the first row of each run of equal neighbours
        let first: Vec<usize> = (0..n)
            .filter(|&i| i == 0 || row_order(x, i - 1, i).is_ne())
            .collect();
        if first.len() * 2 > n {
            return None;
        }
        let mut pattern_of = vec![0u32; n];
        let mut p = 0;
        for (i, slot) in pattern_of.iter_mut().enumerate() {
            if p + 1 < first.len() && first[p + 1] == i {
                p += 1;
            }
            *slot = p as u32;
        }
        Some(Patterns { first, pattern_of })
    }
}
