//! Ward's agglomeration exactly as R's `hclust(dist(x), "ward.D2")` runs it on the rows in the
//! order given (`src/library/stats/src/hclust.f`: Murtagh's nearest-neighbour lists, Lance-Williams
//! updates on squared distances, its loop order and strict comparisons), computed on the distinct
//! rows (answer patterns) instead of all rows, so that a large survey of ratings needs memory for
//! the patterns' distances only. This module owns the merge schedule ([`Merge`], [`Dendrogram`]),
//! the limit on the patterns ([`WARD_MAX_PATTERNS`]) and the agglomeration ([`ward`]).
//!
//! Why the patterns give R's tree, bit for bit: equal rows are at distance 0, so R merges them
//! before anything else, pattern after pattern in the order of their first rows (its search takes
//! the first row whose nearest neighbour to its right is nearest of all), each pattern's rows one
//! after another into its first row. Through these merges R's nearest-neighbour lists stay what a
//! fresh search would give (every dissimilarity they change grows), so afterwards R's algorithm
//! continues on the patterns' first rows, in their order, with the patterns' counts as sizes, from
//! the dissimilarities the zero merges left. [`ward`] replays those merges' Lance-Williams updates
//! per pair of patterns (with R's operations in R's order) and then runs R's loop on the patterns.
//! A unit test compares every merge, bit for bit, with R's loop run on all rows.

use ndarray::Array2;
use rayon::prelude::*;
use serde::Serialize;

use super::error::ClusterError;
use crate::progress;

/// One merge of the agglomeration, in merge order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Merge {
    /// 1-based step number.
    pub step: usize,
    /// The merged groups in R's `hclust` notation: `-i` is row i (1-based), `j > 0` the group formed
    /// at step j; a row comes before a group, and otherwise the smaller number comes first.
    pub a: i64,
    pub b: i64,
    /// The merge height as `hclust(…, "ward.D2")` reports it: sqrt(2 × `ss_increase`).
    pub height: f64,
    /// Increase of the within-cluster sum of squares caused by this merge.
    pub ss_increase: f64,
    /// Number of rows in the merged group.
    pub size: usize,
}

/// A complete Ward hierarchy of `n` rows: `n - 1` merges with non-decreasing heights.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dendrogram {
    pub n: usize,
    pub merges: Vec<Merge>,
}

/// The most distinct rows (answer patterns) Ward's clustering takes: their dissimilarities take
/// 8 bytes per pair, 1.6 GB for 20,000 patterns, and the agglomeration about 15 s on one core.
pub const WARD_MAX_PATTERNS: usize = 20_000;

/// The bytes the dissimilarities of `patterns` distinct rows take.
pub fn ward_bytes(patterns: usize) -> u64 {
    (patterns as u64) * (patterns.saturating_sub(1) as u64) / 2 * 8
}

/// The distinct rows of a matrix, in the order of their first rows.
pub struct Patterns {
    /// Each pattern's rows, in row order (the first is the pattern's first row).
    pub rows: Vec<Vec<usize>>,
}

impl Patterns {
    /// Groups the rows of `x` that are equal value for value (`0.0 == -0.0`, as a distance sees
    /// them).
    pub fn of(x: &Array2<f64>) -> Patterns {
        let n = x.nrows();
        let key = |i: usize| {
            x.row(i)
                .iter()
                .map(|v| (v + 0.0).to_bits())
                .collect::<Vec<_>>()
        };
        let mut order: Vec<usize> = (0..n).collect();
        let keys: Vec<Vec<u64>> = (0..n).into_par_iter().map(key).collect();
        order.par_sort_unstable_by(|&a, &b| keys[a].cmp(&keys[b]).then(a.cmp(&b)));
        let mut rows: Vec<Vec<usize>> = Vec::new();
        for (t, &i) in order.iter().enumerate() {
            if t == 0 || keys[order[t - 1]] != keys[i] {
                rows.push(Vec::new());
            }
            rows.last_mut().expect("a pattern").push(i);
        }
        rows.sort_unstable_by_key(|r| r[0]);
        Patterns { rows }
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

/// The error for more patterns than [`WARD_MAX_PATTERNS`].
fn too_many(rows: usize, patterns: usize) -> ClusterError {
    ClusterError::WardTooLarge {
        rows,
        patterns,
        limit: WARD_MAX_PATTERNS,
        bytes: ward_bytes(patterns),
        limit_bytes: ward_bytes(WARD_MAX_PATTERNS),
    }
}

/// Ward's clustering (`ward.D2`) of the rows of `x` in their order: the merges and heights of R's
/// `hclust(dist(x), "ward.D2")`, ties included (see the module documentation). Refuses, before
/// allocating the dissimilarities, rows with more than [`WARD_MAX_PATTERNS`] distinct patterns.
pub fn ward(x: &Array2<f64>) -> Result<Dendrogram, ClusterError> {
    let (n, _) = x.dim();
    if n < 2 {
        return Err(ClusterError::Options(format!(
            "Ward's clustering needs at least 2 rows, got {n}"
        )));
    }
    if let Some(((i, j), v)) = x.indexed_iter().find(|(_, v)| !v.is_finite()) {
        return Err(ClusterError::Options(format!(
            "Ward's clustering: row {}, column {} holds {v}; expected a finite number",
            i + 1,
            j + 1
        )));
    }
    let patterns = Patterns::of(x);
    if patterns.len() > WARD_MAX_PATTERNS {
        return Err(too_many(n, patterns.len()));
    }
    let mut merges = Vec::with_capacity(n - 1);
    // R's label of each pattern's group: -(row + 1) for a row, the step for a group
    let mut label: Vec<i64> = patterns.rows.iter().map(|r| -(r[0] as i64 + 1)).collect();
    for (p, rows) in patterns.rows.iter().enumerate() {
        for (m, &row) in rows.iter().enumerate().skip(1) {
            let step = merges.len() + 1;
            let (a, b) = r_order(label[p], -(row as i64 + 1));
            merges.push(Merge {
                step,
                a,
                b,
                height: 0.0,
                ss_increase: 0.0,
                size: m + 1,
            });
            label[p] = step as i64;
        }
    }
    if patterns.len() > 1 {
        let first: Vec<usize> = patterns.rows.iter().map(|r| r[0]).collect();
        let counts: Vec<f64> = patterns.rows.iter().map(|r| r.len() as f64).collect();
        let diss = dissimilarities(x, &first, &counts);
        agglomerate(diss, counts, label, &mut merges);
    }
    Ok(Dendrogram { n, merges })
}

/// Two groups in R's merge notation: a row before a group, otherwise the smaller number first
/// (`a` is the group kept, the one with the smaller row number).
fn r_order(a: i64, b: i64) -> (i64, i64) {
    if (a > 0 && b < 0) || (a > 0 && b > 0 && a > b) {
        (b, a)
    } else {
        (a, b)
    }
}

/// Index of (i, j), i < j, in the upper triangle of a `p` × `p` matrix stored row by row.
fn offset(p: usize, i: usize, j: usize) -> usize {
    i * p + j - i * (i + 1) / 2 - i - 1
}

/// The patterns' dissimilarities as R holds them after the zero merges: the squared Euclidean
/// distance of their first rows (summed in column order and squared again after the root, as
/// `dist` and `hclust` take it), carried through the Lance-Williams updates of both patterns'
/// merges (the earlier pattern's first, against the later one's rows one by one; then the later
/// one's, against the earlier one's group).
fn dissimilarities(x: &Array2<f64>, first: &[usize], counts: &[f64]) -> Vec<f64> {
    let p = first.len();
    let d = x.ncols();
    let data = x.as_standard_layout();
    let data = data.as_slice().expect("standard layout");
    let row = |i: usize| &data[first[i] * d..(first[i] + 1) * d];
    let mut diss = vec![0.0f64; p * (p - 1) / 2];
    let mut rows_of_triangle = Vec::with_capacity(p);
    let mut rest = diss.as_mut_slice();
    for i in 0..p {
        let (head, tail) = rest.split_at_mut(p - 1 - i);
        rows_of_triangle.push((i, head));
        rest = tail;
    }
    rows_of_triangle.into_par_iter().for_each(|(i, out)| {
        for (t, cell) in out.iter_mut().enumerate() {
            let j = i + 1 + t;
            let s: f64 = row(i)
                .iter()
                .zip(row(j))
                .fold(0.0, |s, (a, b)| s + (a - b) * (a - b));
            let e = s.sqrt();
            *cell = after_zero_merges(e * e, counts[i], counts[j]);
        }
    });
    diss
}

/// The dissimilarity of two patterns with `ci` and `cj` rows (the first one's first row earlier)
/// after R merged each pattern's rows, from `d0`, that of two of their rows. R's update of the
/// group kept (size s) merging a row (size 1) against a group of size k at dissimilarities `v`
/// (to the kept group) and `u` (to the row), the two merged at 0:
/// `((s + k) v + (1 + k) u - k 0) / (s + 1 + k)`.
fn after_zero_merges(d0: f64, ci: f64, cj: f64) -> f64 {
    // the earlier pattern's merges, each against a single row of the later one
    let mut v = d0;
    let mut s = 1.0;
    while s < ci {
        v = ((s + 1.0) * v + (1.0 + 1.0) * d0 - 1.0 * 0.0) / (s + 1.0 + 1.0);
        s += 1.0;
    }
    // the later pattern's merges, against the earlier pattern's group; each merged row is at v
    let mut w = v;
    let mut s = 1.0;
    while s < cj {
        w = ((s + ci) * w + (1.0 + ci) * v - ci * 0.0) / (s + 1.0 + ci);
        s += 1.0;
    }
    w
}

/// R's agglomeration loop (`hclust.f`, `iOpt = 8`) on `p` groups with dissimilarities `diss` (the
/// upper triangle row by row, squared), sizes `size` and R labels `label`; appends the merges.
fn agglomerate(
    mut diss: Vec<f64>,
    mut size: Vec<f64>,
    mut label: Vec<i64>,
    merges: &mut Vec<Merge>,
) {
    let p = size.len();
    let at = |i: usize, j: usize| {
        if i < j {
            offset(p, i, j)
        } else {
            offset(p, j, i)
        }
    };
    let mut active = vec![true; p];
    // nearest neighbour of each group to its right, and its dissimilarity
    let mut nn = vec![0usize; p];
    let mut nn_diss = vec![f64::INFINITY; p];
    let nearest_right = |i: usize, active: &[bool], diss: &[f64]| {
        let mut best = (usize::MAX, f64::INFINITY);
        let base = offset(p, i, i + 1);
        for (t, &v) in diss[base..base + p - 1 - i].iter().enumerate() {
            if v < best.1 && active[i + 1 + t] {
                best = (i + 1 + t, v);
            }
        }
        best
    };
    for i in 0..p - 1 {
        (nn[i], nn_diss[i]) = nearest_right(i, &active, &diss);
    }
    progress::start(progress::Task::Ward, (p - 1) as u64);
    for step in 1..p {
        if step % 256 == 0 {
            progress::advance(256);
        }
        let mut best = (usize::MAX, f64::INFINITY);
        for i in 0..p - 1 {
            if active[i] && nn_diss[i] < best.1 {
                best = (i, nn_diss[i]);
            }
        }
        let (i2, j2, value) = (best.0, nn[best.0], best.1);
        let (a, b) = r_order(label[i2], label[j2]);
        active[j2] = false;
        let d12 = diss[at(i2, j2)];
        let mut right = (usize::MAX, f64::INFINITY);
        for k in 0..p {
            if !active[k] || k == i2 {
                continue;
            }
            let (ik, jk) = (at(i2, k), at(j2, k));
            let updated = ((size[i2] + size[k]) * diss[ik] + (size[j2] + size[k]) * diss[jk]
                - size[k] * d12)
                / (size[i2] + size[j2] + size[k]);
            diss[ik] = updated;
            if i2 < k {
                if updated < right.1 {
                    right = (k, updated);
                }
            } else if updated < nn_diss[k] {
                nn_diss[k] = updated;
                nn[k] = i2;
            }
        }
        size[i2] += size[j2];
        (nn[i2], nn_diss[i2]) = right;
        for i in 0..p - 1 {
            if active[i] && (nn[i] == i2 || nn[i] == j2) {
                (nn[i], nn_diss[i]) = nearest_right(i, &active, &diss);
            }
        }
        let step = merges.len() + 1;
        label[i2] = step as i64;
        merges.push(Merge {
            step,
            a,
            b,
            height: value.sqrt(),
            ss_increase: value / 2.0,
            size: size[i2] as usize,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// R's loop on all rows (what `ward` computed before it worked on the patterns): the
    /// reference the patterns are checked against.
    fn ward_on_rows(x: &Array2<f64>) -> Dendrogram {
        let n = x.nrows();
        let first: Vec<usize> = (0..n).collect();
        let counts = vec![1.0; n];
        let diss = dissimilarities(x, &first, &counts);
        let mut merges = Vec::new();
        agglomerate(
            diss,
            counts,
            (0..n).map(|i| -(i as i64 + 1)).collect(),
            &mut merges,
        );
        Dendrogram { n, merges }
    }

    fn rows(n: usize, d: usize, levels: &[u8]) -> Array2<f64> {
        Array2::from_shape_fn((n, d), |(i, j)| {
            f64::from(levels[(i * d + j) % levels.len()])
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        /// On ratings with many repeated rows in any order, the patterns give R's loop on all
        /// rows merge for merge, bit for bit.
        #[test]
        fn the_patterns_give_the_merges_of_all_rows(
            n in 2usize..90,
            d in 1usize..4,
            levels in proptest::collection::vec(1u8..=3, 1..200),
        ) {
            let x = rows(n, d, &levels);
            let on_rows = ward_on_rows(&x);
            let on_patterns = ward(&x).unwrap();
            prop_assert_eq!(on_rows.merges.len(), n - 1);
            for (a, b) in on_rows.merges.iter().zip(&on_patterns.merges) {
                prop_assert_eq!((a.step, a.a, a.b, a.size), (b.step, b.a, b.b, b.size));
                prop_assert_eq!(a.height.to_bits(), b.height.to_bits(), "step {}", a.step);
            }
        }
    }

    #[test]
    fn large_patterns_keep_the_merges_of_all_rows() {
        // few patterns, hundreds of rows each, interleaved
        let levels: Vec<u8> = (0..997u32)
            .map(|i| (1 + (i * 7 + i / 13) % 3) as u8)
            .collect();
        let x = rows(900, 2, &levels);
        assert!(Patterns::of(&x).len() < 10);
        assert_eq!(ward_on_rows(&x), ward(&x).unwrap());
    }

    #[test]
    fn every_row_equal_merges_at_zero_in_row_order() {
        let x = Array2::from_elem((4, 2), 3.0);
        let tree = ward(&x).unwrap();
        let notation: Vec<(i64, i64)> = tree.merges.iter().map(|m| (m.a, m.b)).collect();
        assert_eq!(notation, [(-1, -2), (-3, 1), (-4, 2)]);
        assert!(tree.merges.iter().all(|m| m.height == 0.0));
    }

    #[test]
    fn more_patterns_than_the_limit_are_refused_before_anything_is_allocated() {
        let n = WARD_MAX_PATTERNS + 1;
        let x = Array2::from_shape_fn((n, 1), |(i, _)| i as f64);
        let message = ward(&x).unwrap_err().to_string();
        assert!(
            message.contains("20001 distinct answer patterns"),
            "{message}"
        );
        assert!(message.contains("20000"), "{message}");
    }
}
