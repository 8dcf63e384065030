//! Ward's minimum-variance hierarchical clustering of a survey and the two-step procedure built on
//! it (Ward to see the structure and choose k, then k-means started from the Ward centroids). The
//! agglomeration ([`super::ward`]) is R's `hclust(dist(x), "ward.D2")` on the clustered rows in
//! the order of the survey file, ties included, so a reviewer gets the same tree from R on the
//! same file. This module owns cutting the tree into k groups, the rows Ward runs on (all clustered
//! rows in file order, or a seeded sample of them), the k-means refinement from one deterministic
//! start, and the cross-tab and adjusted Rand index of the two partitions (`merges.csv` and the
//! dendrogram chart are `show::views::hierarchy`).

use linfa::prelude::*;
use linfa::DatasetBase;
use linfa_clustering::{KMeans, KMeansInit};
use ndarray::Array2;
use rand::{Rng, SeedableRng};
use rand_xoshiro::{Xoshiro256Plus, Xoshiro256PlusPlus};
use serde::Serialize;

use super::error::ClusterError;
use super::kmeans::{means, nearest, within_ss, Partition};
use super::matrix::{build as build_matrix, choose_variables, MissingPolicy, ScaleKind, Scaler};
use super::naming::{builtin_types, name_clusters, profiles, Named, TypeDef};
use super::stability::adjusted_rand_index;
pub use super::ward::{ward, ward_bytes, Dendrogram, Merge, Patterns, WARD_MAX_PATTERNS};
use crate::survey::Survey;

impl Dendrogram {
    /// The partition into `k` groups after the first `n - k` merges, numbered 0..k in order of
    /// their first row (as R's `cutree` numbers them, from 1).
    pub fn cut(&self, k: usize) -> Result<Vec<usize>, ClusterError> {
        if k == 0 || k > self.n {
            return Err(ClusterError::Options(format!(
                "cannot cut a tree of {} rows into {k} groups; expected 1 <= k <= {}",
                self.n, self.n
            )));
        }
        // union-find over rows; group j (1-based step) is represented by one of its rows
        let mut parent: Vec<usize> = (0..self.n).collect();
        fn find(parent: &mut [usize], mut i: usize) -> usize {
            while parent[i] != i {
                parent[i] = parent[parent[i]];
                i = parent[i];
            }
            i
        }
        let mut representative = Vec::with_capacity(self.n);
        for m in &self.merges[..self.n - k] {
            let row = |x: i64, rep: &[usize]| {
                if x < 0 {
                    (-x - 1) as usize
                } else {
                    rep[x as usize - 1]
                }
            };
            let (ra, rb) = (row(m.a, &representative), row(m.b, &representative));
            let (ra, rb) = (find(&mut parent, ra), find(&mut parent, rb));
            parent[rb] = ra;
            representative.push(ra);
        }
        let mut number = vec![usize::MAX; self.n];
        let mut next = 0;
        Ok((0..self.n)
            .map(|i| {
                let root = find(&mut parent, i);
                if number[root] == usize::MAX {
                    number[root] = next;
                    next += 1;
                }
                number[root]
            })
            .collect())
    }

    /// Within-cluster sum of squares of the partition into `k` groups: the sum of the first
    /// `n - k` increases.
    pub fn within_ss(&self, k: usize) -> f64 {
        self.merges[..self.n.saturating_sub(k)]
            .iter()
            .map(|m| m.ss_increase)
            .sum()
    }
}

/// Cross-tabulation of two labelings of the same rows: `table[i][j]` counts rows with label i in
/// `a` and j in `b`.
pub fn crosstab(a: &[usize], b: &[usize]) -> Vec<Vec<usize>> {
    let ka = a.iter().max().map_or(0, |m| m + 1);
    let kb = b.iter().max().map_or(0, |m| m + 1);
    let mut table = vec![vec![0usize; kb]; ka];
    for (&x, &y) in a.iter().zip(b) {
        table[x][y] += 1;
    }
    table
}

/// Ward's partition into k groups refined by k-means from its centroids.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TwoStep {
    pub k: usize,
    /// Ward's groups, numbered as [`Dendrogram::cut`] numbers them.
    pub ward_labels: Vec<usize>,
    /// Means of Ward's groups (rows = groups): the k-means start.
    pub ward_centroids: Vec<Vec<f64>>,
    pub ward_wss: f64,
    /// The k-means partition; group i started from Ward's group i.
    pub kmeans_labels: Vec<usize>,
    pub kmeans_centroids: Vec<Vec<f64>>,
    pub kmeans_wss: f64,
    /// Adjusted Rand index of Ward's and the k-means partition.
    pub ari: f64,
    /// `crosstab[i][j]`: rows in Ward's group i and k-means group j.
    pub crosstab: Vec<Vec<usize>>,
    /// Rows whose group changed in the k-means step.
    pub moved: usize,
}

/// Cuts `tree` (of the rows of `x`) into `k` groups and runs k-means from the group means (one
/// deterministic start, Lloyd's iterations by linfa-clustering until the centroids move less than
/// `tolerance` or `max_iter` iterations).
pub fn two_step(
    x: &Array2<f64>,
    tree: &Dendrogram,
    k: usize,
    max_iter: u64,
    tolerance: f64,
) -> Result<TwoStep, ClusterError> {
    if tree.n != x.nrows() {
        return Err(ClusterError::Options(format!(
            "the tree has {} rows, the data {}",
            tree.n,
            x.nrows()
        )));
    }
    if k < 2 || k >= x.nrows() {
        return Err(ClusterError::Options(format!(
            "k = {k} is not possible with {} rows; expected 2 <= k < {}",
            x.nrows(),
            x.nrows()
        )));
    }
    let ward_labels = tree.cut(k)?;
    let start = means(x, &ward_labels, k, &Array2::zeros((k, x.ncols())));
    let partition = kmeans_from(x, &start, max_iter, tolerance)?;
    let rows = |a: &Array2<f64>| a.rows().into_iter().map(|r| r.to_vec()).collect();
    Ok(TwoStep {
        k,
        ari: adjusted_rand_index(&ward_labels, &partition.labels),
        crosstab: crosstab(&ward_labels, &partition.labels),
        moved: ward_labels
            .iter()
            .zip(&partition.labels)
            .filter(|(a, b)| a != b)
            .count(),
        ward_wss: within_ss(x, &ward_labels, &start),
        ward_centroids: rows(&start),
        kmeans_labels: partition.labels,
        kmeans_centroids: rows(&partition.centroids),
        kmeans_wss: partition.wss,
        ward_labels,
    })
}

/// The rows Ward's clustering runs on, as positions in a matrix whose row i is survey row
/// `survey_rows[i]`: every row in the order of the survey file, or with `sample = Some((n, seed))`
/// and more than n rows, n of them drawn at random (seeded) without replacement, in file order.
pub fn ward_rows(survey_rows: &[usize], sample: Option<(usize, u64)>) -> Vec<usize> {
    let mut in_file_order: Vec<usize> = (0..survey_rows.len()).collect();
    in_file_order.sort_unstable_by_key(|&i| survey_rows[i]);
    match sample {
        Some((n, seed)) if n < in_file_order.len() => {
            // the first n of a seeded shuffle of the file's rows, back in file order
            let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
            let mut drawn = in_file_order;
            for t in 0..n {
                let pick = rng.gen_range(t..drawn.len());
                drawn.swap(t, pick);
            }
            drawn.truncate(n);
            drawn.sort_unstable_by_key(|&i| survey_rows[i]);
            drawn
        }
        _ => in_file_order,
    }
}

/// `cluster --start ward`: Ward's clustering of the rows `rows` of `x` (see [`ward_rows`]), cut
/// into `k` groups and refined by k-means from the group means on those rows; and the partition
/// of all rows of `x` this gives: the refined groups when Ward ran on every row, else k-means on
/// every row from the Ward centroids (the same deterministic k-means).
pub fn ward_start(
    x: &Array2<f64>,
    rows: &[usize],
    k: usize,
    max_iter: u64,
    tolerance: f64,
) -> Result<(TwoStep, Partition), ClusterError> {
    let on = x.select(ndarray::Axis(0), rows);
    let tree = ward(&on)?;
    let two = two_step(&on, &tree, k, max_iter, tolerance)?;
    let grid = |c: &[Vec<f64>]| Array2::from_shape_fn((k, x.ncols()), |(i, j)| c[i][j]);
    let partition = if rows.len() == x.nrows() {
        let mut labels = vec![0; x.nrows()];
        for (&row, &l) in rows.iter().zip(&two.kmeans_labels) {
            labels[row] = l;
        }
        Partition {
            centroids: grid(&two.kmeans_centroids),
            labels,
            wss: two.kmeans_wss,
        }
    } else {
        kmeans_from(x, &grid(&two.ward_centroids), max_iter, tolerance)?
    };
    Ok((two, partition))
}

/// k-means by linfa-clustering from the centres `start` (one deterministic start).
fn kmeans_from(
    x: &Array2<f64>,
    start: &Array2<f64>,
    max_iter: u64,
    tolerance: f64,
) -> Result<Partition, ClusterError> {
    let k = start.nrows();
    // the seed is never used: the start is given
    let model = KMeans::params_with_rng(k, Xoshiro256Plus::seed_from_u64(0))
        .n_runs(1)
        .init_method(KMeansInit::Precomputed(start.clone()))
        .max_n_iterations(max_iter)
        .tolerance(tolerance)
        .fit(&DatasetBase::from(x.clone()))
        .map_err(|e| ClusterError::KMeans(e.to_string()))?;
    let fitted = model.centroids();
    let labels: Vec<usize> = x.rows().into_iter().map(|r| nearest(fitted, r).0).collect();
    let centroids = means(x, &labels, k, fitted);
    Ok(Partition {
        wss: within_ss(x, &labels, &centroids),
        centroids,
        labels,
    })
}

/// Options of Ward's clustering on a survey: the same variables, missing-value policy and scaling
/// as `cluster`.
#[derive(Debug, Clone, PartialEq)]
pub struct WardOptions {
    pub k: usize,
    pub scale: ScaleKind,
    /// Variables to cluster; `None` for the codebook's clustering variables.
    pub vars: Option<Vec<String>>,
    pub missing: MissingPolicy,
    pub max_iter: u64,
    pub tolerance: f64,
    /// Ward on a seeded sample of this many clustered municipalities (`None`: on all of them).
    pub sample: Option<usize>,
    /// The seed of the sample.
    pub seed: u64,
}

impl Default for WardOptions {
    fn default() -> Self {
        let c = super::ClusterOptions::default();
        WardOptions {
            k: c.k,
            scale: c.scale,
            vars: c.vars,
            missing: c.missing,
            max_iter: c.max_iter,
            tolerance: c.tolerance,
            sample: None,
            seed: c.seed,
        }
    }
}

/// Ward's clustering of a survey and the two-step refinement.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WardResult {
    pub variables: Vec<String>,
    /// Identifiers of the rows Ward clustered, in the order the tree numbers them (the order of
    /// the survey file).
    pub ids: Vec<String>,
    /// How many municipalities were clustered (more than `ids` when Ward ran on a sample).
    pub clustered: usize,
    /// Municipalities left out by the missing-value policy.
    pub excluded: usize,
    pub dendrogram: Dendrogram,
    /// Ward's partition and k-means from its centroids, both of the rows in `ids`.
    pub two_step: TwoStep,
    /// Ward's groups named by the defined types they match (as `cluster` names its clusters:
    /// one to one, by fit, with the margin to the next best type), in group order.
    #[serde(skip)]
    pub ward_names: Vec<Named>,
    /// The k-means groups named the same way.
    #[serde(skip)]
    pub kmeans_names: Vec<Named>,
}

/// The groups of `labels` (of the rows of `x`, in the answers' units) named by `types`.
fn name_groups(
    x: &Array2<f64>,
    labels: &[usize],
    k: usize,
    variables: &[String],
    types: &[TypeDef],
) -> Vec<Named> {
    let prof = profiles(x, labels, k);
    let mut means = Array2::<f64>::zeros((k, x.ncols()));
    let mut sizes = vec![0usize; k];
    for (row, &l) in x.rows().into_iter().zip(labels) {
        sizes[l] += 1;
        let mut m = means.row_mut(l);
        m += &row;
    }
    for (mut m, &n) in means.rows_mut().into_iter().zip(&sizes) {
        m /= n.max(1) as f64;
    }
    name_clusters(&prof, &means, variables, types)
}

/// Builds the matrix and its scaling as `cluster` does, clusters its rows (or a seeded sample of
/// them) by Ward in the order of the survey file and refines the cut at `options.k` by k-means;
/// names both partitions' groups by the built-in types.
pub fn ward_survey(survey: &Survey, options: &WardOptions) -> Result<WardResult, ClusterError> {
    let variables = choose_variables(survey, options.vars.as_deref())?;
    let matrix = build_matrix(survey, &variables, options.missing)?.into_canonical_order(survey);
    let scaled = Scaler::fit(options.scale, &matrix.x).transform(&matrix.x);
    let rows = ward_rows(&matrix.rows, options.sample.map(|n| (n, options.seed)));
    let on = scaled.select(ndarray::Axis(0), &rows);
    drop(scaled);
    let dendrogram = ward(&on)?;
    let two_step = two_step(
        &on,
        &dendrogram,
        options.k,
        options.max_iter,
        options.tolerance,
    )?;
    let ids = survey.ids();
    let x = matrix.x.select(ndarray::Axis(0), &rows);
    let types = builtin_types();
    let k = two_step.k;
    let ward_names = name_groups(&x, &two_step.ward_labels, k, &variables, &types);
    let kmeans_names = name_groups(&x, &two_step.kmeans_labels, k, &variables, &types);
    Ok(WardResult {
        ward_names,
        kmeans_names,
        variables,
        clustered: matrix.rows.len(),
        excluded: matrix.excluded.len(),
        ids: rows.iter().map(|&i| ids[matrix.rows[i]].clone()).collect(),
        dendrogram,
        two_step,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Ward by definition: merge the two groups whose union raises the within-cluster sum of
    /// squares least, recomputed from the groups' means at every step (O(n³), for checking).
    fn brute_force_increases(x: &Array2<f64>) -> Vec<f64> {
        let mut groups: Vec<Vec<usize>> = (0..x.nrows()).map(|i| vec![i]).collect();
        let mean = |g: &[usize]| -> Vec<f64> {
            (0..x.ncols())
                .map(|j| g.iter().map(|&i| x[[i, j]]).sum::<f64>() / g.len() as f64)
                .collect()
        };
        let mut out = Vec::new();
        while groups.len() > 1 {
            let mut best = (0, 0, f64::INFINITY);
            for a in 0..groups.len() {
                for b in a + 1..groups.len() {
                    let (ma, mb) = (mean(&groups[a]), mean(&groups[b]));
                    let (na, nb) = (groups[a].len() as f64, groups[b].len() as f64);
                    let dist: f64 = ma.iter().zip(&mb).map(|(p, q)| (p - q) * (p - q)).sum();
                    let increase = na * nb / (na + nb) * dist;
                    if increase < best.2 {
                        best = (a, b, increase);
                    }
                }
            }
            let merged = groups.remove(best.1);
            groups[best.0].extend(merged);
            out.push(best.2);
        }
        out
    }

    fn matrix(n: usize, d: usize, values: &[f64]) -> Array2<f64> {
        Array2::from_shape_fn((n, d), |(i, j)| values[(i * d + j) % values.len()])
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

        /// On data without ties the merges raise the sum of squares exactly as Ward's criterion
        /// computed from the groups' means says, and the heights never decrease.
        #[test]
        fn ward_increases_are_wards_criterion(
            n in 2usize..25,
            d in 1usize..4,
            values in proptest::collection::vec(-10.0f64..10.0, 100),
        ) {
            let x = matrix(n, d, &values);
            let tree = ward(&x).unwrap();
            prop_assert_eq!(tree.merges.len(), n - 1);
            for w in tree.merges.windows(2) {
                prop_assert!(w[1].height >= w[0].height * (1.0 - 1e-12));
            }
            let expected = brute_force_increases(&x);
            for (m, e) in tree.merges.iter().zip(&expected) {
                prop_assert!((m.ss_increase - e).abs() <= 1e-9 * e.max(1e-9));
            }
            prop_assert_eq!(tree.merges.last().unwrap().size, n);
        }

        /// Cutting into k groups gives k non-empty groups numbered by their first row, and each
        /// cut refines the next coarser one.
        #[test]
        fn cuts_are_nested_partitions(
            n in 2usize..30,
            values in proptest::collection::vec(1u8..=5, 60),
        ) {
            let v: Vec<f64> = values.iter().map(|&v| v as f64).collect();
            let x = matrix(n, 2, &v);
            let tree = ward(&x).unwrap();
            let mut coarser = tree.cut(1).unwrap();
            prop_assert!(coarser.iter().all(|&l| l == 0));
            for k in 2..=n {
                let labels = tree.cut(k).unwrap();
                let mut first_seen = Vec::new();
                for &l in &labels {
                    if !first_seen.contains(&l) {
                        prop_assert_eq!(l, first_seen.len());
                        first_seen.push(l);
                    }
                }
                prop_assert_eq!(first_seen.len(), k);
                for i in 0..n {
                    for j in 0..n {
                        if labels[i] == labels[j] {
                            prop_assert_eq!(coarser[i], coarser[j]);
                        }
                    }
                }
                coarser = labels;
            }
        }
    }

    #[test]
    fn ward_rejects_what_it_cannot_cluster() {
        assert!(ward(&Array2::zeros((1, 3))).is_err());
        let mut x = Array2::zeros((3, 2));
        x[[1, 1]] = f64::NAN;
        let message = ward(&x).unwrap_err().to_string();
        assert!(message.contains("row 2, column 2"), "{message}");
        let tree = ward(&Array2::zeros((3, 1))).unwrap();
        assert!(tree.cut(0).is_err() && tree.cut(4).is_err());
    }
}
