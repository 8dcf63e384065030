//! A fitted and named typology, from the survey to the result: the options of `typfrage
//! cluster`, the clustering matrix and its scaling, k-means, the names of the types, the output
//! order of the types, every municipality's distances, silhouette and margin, and the advice
//! about the result that is not an error ([`Advice`]).

use ndarray::{Array2, ArrayView1};
use rayon::prelude::*;

use super::engine;
use super::error::ClusterError;
use super::kmeans::{nearest, Algorithm, Engine, KMeansSettings, Partition};
use super::matrix::{
    build as build_matrix, choose_variables, Matrix, MissingPolicy, ScaleKind, Scaler,
};
use super::naming::{name_clusters, profiles_weighted, Named, TypeDef, TypeName};
use super::patterns::{fit_patterns, row_order};
use super::quality::silhouettes_with_kind;
use crate::survey::{Survey, WeightChoice, Weighting};

/// Options of `typfrage cluster`. Serialised into manifests: a field added later takes its default
/// when an older manifest is read. With the `cli` feature they are the command line's options of
/// every clustering command (each command may change a default or a help text); the doc comments
/// of the fields are the help texts.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
#[serde(default)]
pub struct ClusterOptions {
    /// k-means implementation: fast (exact Lloyd iterations, vectorised; Hamerly's bounds above
    /// 8,192 rows; parallel restarts) or linfa (the reference)
    #[cfg_attr(feature = "cli", arg(long, value_enum, default_value_t = Engine::Fast))]
    pub engine: Engine,
    /// Iterations from each k-means++ start: lloyd (every row to its nearest centre, then the
    /// centres to their rows' means; scikit-learn's) or hartigan-wong (single rows move while that
    /// lowers the sum of squares; R's kmeans() default, AS 136)
    // left out of a manifest when Lloyd's (every manifest from before the choice existed)
    #[serde(skip_serializing_if = "Algorithm::is_lloyd")]
    #[cfg_attr(feature = "cli", arg(long, value_enum, default_value_t = Algorithm::Lloyd))]
    pub algorithm: Algorithm,
    /// Number of types
    #[cfg_attr(feature = "cli", arg(long, default_value_t = ClusterOptions::default().k))]
    pub k: usize,
    /// Random seed (k-means++ starts)
    #[cfg_attr(feature = "cli", arg(long, default_value_t = ClusterOptions::default().seed))]
    pub seed: u64,
    /// k-means restarts; the one with the smallest within-cluster sum of squares is kept
    #[cfg_attr(feature = "cli", arg(long, default_value_t = ClusterOptions::default().n_init))]
    pub n_init: usize,
    /// Scaling before distances: none (default: the answers as given, for variables on one
    /// scale such as the study's 1-5 goal priorities), z or range
    #[cfg_attr(feature = "cli", arg(long, value_enum, default_value_t = ScaleKind::None))]
    pub scale: ScaleKind,
    /// Variables to cluster, comma-separated (default: the codebook's clustering variables)
    #[cfg_attr(
        feature = "cli",
        arg(long, value_delimiter = ',', value_name = "VAR,...")
    )]
    pub vars: Option<Vec<String>>,
    /// Missing answers on clustering variables: leave the row out, or use the variable's mean
    #[cfg_attr(feature = "cli", arg(long, value_enum, default_value_t = MissingPolicy::Listwise))]
    pub missing: MissingPolicy,
    #[cfg_attr(feature = "cli", arg(skip = ClusterOptions::default().max_iter))]
    pub max_iter: u64,
    #[cfg_attr(feature = "cli", arg(skip = ClusterOptions::default().tolerance))]
    pub tolerance: f64,
    /// Survey weight variable, or none [default: the codebook's weight variable when it is not
    /// constant]
    // an older manifest without it is unweighted; absent on the command line, the codebook's
    #[cfg_attr(
        feature = "cli",
        arg(
            long,
            value_name = "VAR|none",
            default_value = "",
            hide_default_value = true
        )
    )]
    pub weight: WeightChoice,
}

impl Default for ClusterOptions {
    fn default() -> Self {
        ClusterOptions {
            engine: Engine::Fast,
            algorithm: Algorithm::Lloyd,
            k: 4,
            seed: 2020,
            n_init: 50,
            // The goal priorities share one five-point scale, so a point means the same on every
            // goal; z-scaling would inflate goals on which municipalities hardly differ.
            scale: ScaleKind::None,
            vars: None,
            missing: MissingPolicy::Listwise,
            max_iter: 300,
            tolerance: 1e-6,
            weight: WeightChoice::None,
        }
    }
}

impl ClusterOptions {
    pub fn settings(&self) -> KMeansSettings {
        KMeansSettings {
            engine: self.engine,
            algorithm: self.algorithm,
            k: self.k,
            seed: self.seed,
            n_init: self.n_init,
            max_iter: self.max_iter,
            tolerance: self.tolerance,
        }
    }
}

/// One type of a fitted typology.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeResult {
    pub name: Named,
    pub n: usize,
    /// The members' summed weights (`n` when unweighted): shares are taken of these.
    pub weight: f64,
    /// Centroid in the answers' units.
    pub centroid: Vec<f64>,
    /// Centroid in the scaled space the distances are taken in.
    pub centroid_scaled: Vec<f64>,
    /// Standardised difference from the clustered sample, per variable.
    pub profile: Vec<f64>,
    pub mean_silhouette: f64,
}

/// One clustered municipality (its identifier is the survey's of `row`; its distances to the
/// types' centroids are [`Typology::distances`] at the same index).
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    pub row: usize,
    /// Index into `Typology::types`.
    pub type_index: usize,
    pub silhouette: f64,
    /// Distance to the second-nearest centroid minus distance to the nearest.
    pub margin: f64,
}

/// A fitted and named typology.
#[derive(Debug, Clone, PartialEq)]
pub struct Typology {
    pub options: ClusterOptions,
    pub matrix: Matrix,
    pub scaler: Scaler,
    /// Types in output order: the defined types in their order, then the numbered ones by size.
    pub types: Vec<TypeResult>,
    /// One per clustered row, in the matrix's order (`matrix.rows[i]` is `assignments[i]`'s survey row).
    pub assignments: Vec<Assignment>,
    /// Within-cluster sum of squares (scaled space).
    pub wss: f64,
    /// Whether the silhouettes are exact (`false`: simplified, against the centroids; see
    /// [`super::quality::silhouettes_with_kind`]).
    pub silhouettes_exact: bool,
    pub n_rows: usize,
    /// The weight variable, when the types were fitted weighted.
    pub weight_variable: Option<String>,
    /// Each clustered row's weight, in matrix order, when weighted.
    pub weights: Option<Vec<f64>>,
    /// Each clustered row's certainty (bootstrap resamples in its own type), when counted
    /// ([`Typology::count_certainty`]).
    pub certainty: Option<super::certainty::Certainty>,
    /// Each clustered row's posterior of the mixture component matching its type, when counted
    /// ([`Typology::count_posterior`]).
    pub posterior: Option<super::mixture::Posterior>,
}

/// EM's relative tolerance for the posteriors of [`Typology::count_posterior`].
pub const POSTERIOR_TOLERANCE: f64 = 1e-10;

/// How many different rows `x` has (the answer patterns, compared bit for bit).
pub fn distinct_rows(x: &Array2<f64>) -> usize {
    let n = x.nrows();
    let order = |a: usize, b: usize| row_order(x, a, b);
    if (1..n).all(|i| order(i - 1, i).is_le()) {
        // already sorted (the matrix's canonical order): equal rows are neighbours
        return n.min(1) + (1..n).filter(|&i| order(i - 1, i).is_ne()).count();
    }
    let mut rows: Vec<usize> = (0..n).collect();
    rows.sort_unstable_by(|&a, &b| order(a, b));
    n.min(1)
        + rows
            .windows(2)
            .filter(|w| order(w[0], w[1]).is_ne())
            .count()
}

/// Mixtures on a typology's data (its variables, missing-value policy and scaling) and the
/// agreement of the best model overall and of the best model with the typology's k with its types.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TypologyMixtures {
    pub mixtures: super::mixture::Mixtures,
    pub best: Option<super::mixture::Agreement>,
    pub best_at_k: Option<super::mixture::Agreement>,
}

pub fn mixtures_for_typology(
    typology: &Typology,
    options: &super::mixture::MixtureOptions,
) -> Result<TypologyMixtures, ClusterError> {
    let mixtures = super::mixture::fit_mixtures(&typology.scaled(), options)?;
    let types: Vec<usize> = typology.assignments.iter().map(|a| a.type_index).collect();
    let best = mixtures
        .best(None)
        .and_then(|f| super::mixture::agreement(f, &types));
    let best_at_k = mixtures
        .best(Some(typology.types.len()))
        .and_then(|f| super::mixture::agreement(f, &types));
    Ok(TypologyMixtures {
        mixtures,
        best,
        best_at_k,
    })
}

/// Fits k-means and names the clusters, unweighted.
pub fn fit_typology(
    survey: &Survey,
    options: &ClusterOptions,
    types: &[TypeDef],
) -> Result<Typology, ClusterError> {
    fit_typology_weighted(survey, options, types, &Weighting::none())
}

/// Fits k-means and names the clusters, every municipality counting with its weight: weighted
/// centroids and sum of squares, type shares of the summed weights, weighted goal profiles, and
/// each type's mean silhouette the weighted mean of its members' silhouettes. With
/// `weighting` unweighted this is [`fit_typology`].
pub fn fit_typology_weighted(
    survey: &Survey,
    options: &ClusterOptions,
    types: &[TypeDef],
    weighting: &Weighting,
) -> Result<Typology, ClusterError> {
    let settings = options.settings();
    fit_typology_from(survey, options, types, weighting, |scaled, _, w| {
        if settings.engine == Engine::Linfa {
            // the reference engine runs on the rows as given
            return engine::fit_weighted(scaled, w, &settings);
        }
        fit_patterns(scaled, w, |x, w| engine::fit_weighted(x, w, &settings))
    })
}

/// [`fit_typology`] with the partition found by `fit` from the scaled matrix (rows in the
/// matrix's canonical order) and the survey row of each of its rows, instead of k-means restarts:
/// k-means from the Ward centroids, say. `fit` must return `options.k` groups. Unweighted.
pub fn fit_typology_with(
    survey: &Survey,
    options: &ClusterOptions,
    types: &[TypeDef],
    fit: impl FnOnce(&Array2<f64>, &[usize]) -> Result<Partition, ClusterError>,
) -> Result<Typology, ClusterError> {
    fit_typology_from(
        survey,
        options,
        types,
        &Weighting::none(),
        |scaled, rows, _| fit(scaled, rows),
    )
}

/// The typology from the partition `fit` finds in the scaled matrix, given the survey row and the
/// weight (`None`: unweighted) of each of its rows.
fn fit_typology_from(
    survey: &Survey,
    options: &ClusterOptions,
    types: &[TypeDef],
    weighting: &Weighting,
    fit: impl FnOnce(&Array2<f64>, &[usize], Option<&[f64]>) -> Result<Partition, ClusterError>,
) -> Result<Typology, ClusterError> {
    let variables = choose_variables(survey, options.vars.as_deref())?;
    let matrix = build_matrix(survey, &variables, options.missing)?.into_canonical_order(survey);
    if matrix.x.nrows() == 0 {
        return Err(ClusterError::Options(format!(
            "no row is left to cluster after {} deletion ({} left out)",
            options.missing.as_str(),
            matrix.excluded.len()
        )));
    }
    let scaler = Scaler::fit(options.scale, &matrix.x);
    // no copy with `--scale none`
    let scaled = scaler.transform_cow(&matrix.x);
    let distinct = distinct_rows(&scaled);
    if distinct < options.k {
        return Err(ClusterError::Options(format!(
            "k = {} types cannot be found among {} rows with only {distinct} distinct answer patterns; expected k <= {distinct}",
            options.k,
            scaled.nrows()
        )));
    }
    let weights = weighting.select(&matrix.rows);
    let w = weights.as_deref();
    let partition = fit(&scaled, &matrix.rows, w)?;
    let k = options.k;
    let mut sizes = vec![0usize; k];
    let mut summed = vec![0.0f64; k];
    for (i, &l) in partition.labels.iter().enumerate() {
        sizes[l] += 1;
        summed[l] += w.map_or(1.0, |w| w[i]);
    }
    if sizes.contains(&0) {
        // k-means keeps a cluster whose members all moved away; a name for it would be a fiction
        return Err(ClusterError::KMeans(format!(
            "{} of the k = {k} clusters came out empty; choose a smaller k",
            sizes.iter().filter(|&&n| n == 0).count()
        )));
    }
    let prof = profiles_weighted(&matrix.x, w, &partition.labels, k);
    let means = scaler.inverse(&partition.centroids);
    let names = name_clusters(&prof, &means, &variables, types);

    let order = output_order(types, &names, &sizes, &partition.centroids);
    let mut position = vec![0usize; k];
    for (pos, &c) in order.iter().enumerate() {
        position[c] = pos;
    }
    // the labels in output order, in place (a million labels are 8 MB)
    let mut labels = partition.labels;
    for l in labels.iter_mut() {
        *l = position[*l];
    }
    let centroids_scaled = Array2::from_shape_fn((k, variables.len()), |(i, j)| {
        partition.centroids[[order[i], j]]
    });
    let centroids = scaler.inverse(&centroids_scaled);
    let (sil, silhouettes_exact) = silhouettes_with_kind(&scaled, &labels, &centroids_scaled);
    // the scaled copy is not held while the assignments are made: each row is scaled again (the
    // same arithmetic, so the same bits), which keeps a large survey's peak memory down; nor are
    // the distances kept (see `Typology::distances`)
    let rows = scaled.nrows();
    drop(scaled);

    // the clusters no type was given to are numbered after the named ones, by size (their
    // output order)
    let named = names.iter().filter(|n| n.margin.is_some()).count();
    let mut extra = 0;
    let mut type_results = Vec::with_capacity(k);
    for (pos, &c) in order.iter().enumerate() {
        let mut name = names[c].clone();
        if name.margin.is_none() {
            extra += 1;
            let number = named + extra;
            name.id = format!("type_{number}");
            name.name = TypeName::Numbered(number);
        }
        let members: Vec<f64> = labels
            .iter()
            .zip(&sil)
            .filter(|(l, _)| **l == pos)
            .map(|(_, s)| *s)
            .collect();
        let mean_silhouette = match w {
            None => members.iter().sum::<f64>() / members.len().max(1) as f64,
            Some(w) => weighted_mean(
                labels
                    .iter()
                    .zip(&sil)
                    .zip(w)
                    .filter(|((l, _), _)| **l == pos)
                    .map(|((_, s), w)| (*s, *w)),
            ),
        };
        type_results.push(TypeResult {
            name,
            n: members.len(),
            weight: summed[c],
            centroid: centroids.row(pos).to_vec(),
            centroid_scaled: centroids_scaled.row(pos).to_vec(),
            profile: prof.row(c).to_vec(),
            mean_silhouette,
        });
    }
    let assignments = (0..rows)
        .into_par_iter()
        .map(|i| {
            let distances = row_distances(&scaler, &centroids_scaled, matrix.x.row(i));
            let own = distances[labels[i]];
            let second = distances
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != labels[i])
                .map(|(_, d)| *d)
                .fold(f64::INFINITY, f64::min);
            Assignment {
                row: matrix.rows[i],
                type_index: labels[i],
                silhouette: sil[i],
                margin: second - own,
            }
        })
        .collect();
    Ok(Typology {
        options: options.clone(),
        silhouettes_exact,
        wss: partition.wss,
        n_rows: survey.len(),
        weight_variable: weighting.variable.clone(),
        weights,
        matrix,
        scaler,
        types: type_results,
        assignments,
        certainty: None,
        posterior: None,
    })
}

/// The clusters in output order: the defined types in their order, then the numbered ones by
/// size (then by centroid, so that the order never depends on how k-means numbered them).
fn output_order(
    types: &[TypeDef],
    names: &[Named],
    counts: &[usize],
    centroids: &Array2<f64>,
) -> Vec<usize> {
    let type_rank = |c: usize| types.iter().position(|t| t.id == names[c].id);
    let mut order: Vec<usize> = (0..names.len()).collect();
    order.sort_by(|&a, &b| match (type_rank(a), type_rank(b)) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => counts[b].cmp(&counts[a]).then_with(|| {
            let (ra, rb) = (centroids.row(a), centroids.row(b));
            ra.iter()
                .zip(rb.iter())
                .map(|(x, y)| x.total_cmp(y))
                .find(|o| o.is_ne())
                .unwrap_or(std::cmp::Ordering::Equal)
        }),
    });
    order
}

/// Euclidean distances (scaled space) of `row` (in the answers' units) to every row of `centroids`.
fn row_distances(scaler: &Scaler, centroids: &Array2<f64>, row: ArrayView1<f64>) -> Vec<f64> {
    let row = scaler.transform_row(row);
    let (_, sq) = nearest(centroids, row.view());
    sq.iter().map(|d| d.sqrt()).collect()
}

/// The clustered municipalities' distances to the types' centroids, computed when asked for (a
/// million municipalities' would be 56 MB held), with the arithmetic the assignments' margins were
/// computed with: the same bits.
pub struct Distances<'a> {
    typology: &'a Typology,
    centroids: Array2<f64>,
}

impl Distances<'_> {
    /// Euclidean distance (scaled space) of clustered row `i` (matrix order, as
    /// `Typology::assignments`) to every type's centroid, in `types` order.
    pub fn of(&self, i: usize) -> Vec<f64> {
        let t = self.typology;
        row_distances(&t.scaler, &self.centroids, t.matrix.x.row(i))
    }
}

/// The weighted mean of (value, weight) pairs (0 when the weights sum to 0).
pub(super) fn weighted_mean(pairs: impl Iterator<Item = (f64, f64)>) -> f64 {
    let (sum, total) = pairs.fold((0.0, 0.0), |(s, t), (v, w)| (s + w * v, t + w));
    if total > 0.0 {
        sum / total
    } else {
        0.0
    }
}

impl Typology {
    /// Every clustered municipality's distances to the types' centroids (see [`Distances::of`]).
    pub fn distances(&self) -> Distances<'_> {
        let d = self.matrix.x.ncols();
        Distances {
            typology: self,
            centroids: Array2::from_shape_fn((self.types.len(), d), |(i, j)| {
                self.types[i].centroid_scaled[j]
            }),
        }
    }

    /// The clustered municipalities' summed weights (their number when unweighted).
    pub fn total_weight(&self) -> f64 {
        match &self.weights {
            Some(w) => w.iter().sum(),
            None => self.assignments.len() as f64,
        }
    }

    /// Each survey row's weight when the types are weighted (0 for a row not clustered, which is
    /// in no type); `None` when unweighted.
    pub fn row_weights(&self) -> Option<Vec<f64>> {
        self.weights.as_ref().map(|w| {
            let mut out = vec![0.0; self.n_rows];
            for (a, &wi) in self.assignments.iter().zip(w) {
                out[a.row] = wi;
            }
            out
        })
    }

    /// The mean silhouette over the clustered municipalities, weighted when the types are.
    pub fn mean_silhouette(&self) -> f64 {
        match &self.weights {
            None => {
                self.assignments.iter().map(|a| a.silhouette).sum::<f64>()
                    / self.assignments.len().max(1) as f64
            }
            Some(w) => weighted_mean(
                self.assignments
                    .iter()
                    .zip(w)
                    .map(|(a, w)| (a.silhouette, *w)),
            ),
        }
    }

    pub fn variables(&self) -> &[String] {
        &self.matrix.variables
    }

    /// The type id of each clustered row, in matrix order.
    pub fn type_ids(&self) -> Vec<&str> {
        self.assignments
            .iter()
            .map(|a| self.types[a.type_index].name.id.as_str())
            .collect()
    }

    /// Counts every clustered municipality's certainty in its type over `resamples` bootstrap
    /// resamples (see [`super::certainty`]), seeded by the typology's seed.
    pub fn count_certainty(&mut self, resamples: usize) -> Result<(), ClusterError> {
        let labels: Vec<usize> = self.assignments.iter().map(|a| a.type_index).collect();
        let centroids: Vec<Vec<f64>> = self
            .types
            .iter()
            .map(|t| t.centroid_scaled.clone())
            .collect();
        let c = super::certainty::certainty(
            &self.scaled(),
            self.weights.as_deref(),
            &labels,
            &centroids,
            &self.options.settings(),
            resamples,
        )?;
        self.certainty = Some(c);
        Ok(())
    }

    /// Fits the mixtures with as many components as types (every covariance model, seeded by
    /// the typology's seed, unweighted as every mixture here) and keeps each clustered row's
    /// posterior of the component matching its type (see [`super::mixture::Posterior`]).
    pub fn count_posterior(&mut self) -> Result<(), ClusterError> {
        let labels: Vec<usize> = self.assignments.iter().map(|a| a.type_index).collect();
        // EM run to a tight tolerance: a posterior is read per municipality, so it should not
        // depend on where a loose stopping rule happens to stop (mclust's default is 1e-5)
        let options = super::mixture::MixtureOptions {
            seed: self.options.seed,
            tolerance: POSTERIOR_TOLERANCE,
            ..Default::default()
        };
        let p = super::mixture::posterior_of_types(
            &self.scaled(),
            &labels,
            self.types.len(),
            &options,
        )?;
        self.posterior = Some(p.ok_or_else(|| {
            ClusterError::Options(format!(
                "no Gaussian mixture with {} components could be estimated on these data (every covariance model became singular), so there is no posterior to add",
                self.types.len()
            ))
        })?);
        Ok(())
    }

    /// The scaled matrix the distances were taken in.
    pub fn scaled(&self) -> Array2<f64> {
        self.scaler.transform(&self.matrix.x)
    }

    /// Advice that is not an error: small types, weak separation, doubtful names, and variables
    /// of very different ranges left unscaled (worded by `show::views::typology`).
    pub fn advice(&self) -> Vec<Advice> {
        let mut out = Vec::new();
        let total = self.assignments.len();
        for (i, t) in self.types.iter().enumerate() {
            if t.n < 10 || (t.n as f64) < 0.05 * total as f64 {
                out.push(Advice::SmallType {
                    type_index: i,
                    n: t.n,
                });
            }
            if t.mean_silhouette < 0.1 {
                out.push(Advice::WeaklySeparated {
                    type_index: i,
                    mean_silhouette: t.mean_silhouette,
                });
            }
            if let Some(m) = t.name.margin {
                if m < 0.2 {
                    out.push(Advice::DoubtfulName {
                        type_index: i,
                        margin: m,
                    });
                }
            }
        }
        if self.options.scale == ScaleKind::None {
            let codebook_ranges: Vec<f64> = self
                .matrix
                .x
                .columns()
                .into_iter()
                .map(|c| {
                    c.iter().copied().fold(f64::NEG_INFINITY, f64::max)
                        - c.iter().copied().fold(f64::INFINITY, f64::min)
                })
                .collect();
            let (lo, hi) = codebook_ranges
                .iter()
                .fold((f64::INFINITY, 0.0f64), |(lo, hi), r| {
                    (lo.min(*r), hi.max(*r))
                });
            if lo > 0.0 && hi / lo > 3.0 {
                out.push(Advice::RangesDiffer);
            }
        }
        out
    }
}

/// Advice about a typology that is not an error (see [`Typology::advice`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Advice {
    /// Fewer than 10 members, or fewer than 5 % of the clustered municipalities.
    SmallType { type_index: usize, n: usize },
    /// A mean silhouette below 0.1.
    WeaklySeparated {
        type_index: usize,
        mean_silhouette: f64,
    },
    /// The name fits its cluster by a margin below 0.2 only.
    DoubtfulName { type_index: usize, margin: f64 },
    /// Unscaled variables whose ranges differ more than threefold.
    RangesDiffer,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::seed::synthetic;
    use crate::cluster::{adjusted_rand_index, PATTERNS_MIN_ROWS};

    /// Rounded four-group data of `n` rows in lexicographic row order (as the matrix's canonical
    /// order leaves them): few levels, so answer patterns repeat.
    fn rounded_rows(n: usize) -> Array2<f64> {
        let x = synthetic(n, 6, 7).mapv(f64::round);
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by(|&a, &b| row_order(&x, a, b));
        x.select(ndarray::Axis(0), &order)
    }

    fn settings() -> KMeansSettings {
        KMeansSettings {
            engine: Engine::Fast,
            algorithm: Algorithm::Lloyd,
            k: 4,
            seed: 2020,
            n_init: 10,
            max_iter: 300,
            tolerance: 1e-4,
        }
    }

    #[test]
    fn k_means_on_the_patterns_finds_the_partition_of_the_rows() {
        let x = rounded_rows(PATTERNS_MIN_ROWS + 5_000);
        assert!(distinct_rows(&x) * 2 <= x.nrows(), "the patterns repeat");
        let s = settings();
        let rows = engine::fit_weighted(&x, None, &s).unwrap();
        let mut patterns_fitted = 0;
        let on_patterns = fit_patterns(&x, None, |p, w| {
            patterns_fitted = p.nrows();
            engine::fit_weighted(p, w, &s)
        })
        .unwrap();
        assert_eq!(patterns_fitted, distinct_rows(&x));
        assert_eq!(on_patterns.labels.len(), x.nrows());
        // equal rows, equal labels
        for i in 1..x.nrows() {
            if row_order(&x, i - 1, i).is_eq() {
                assert_eq!(on_patterns.labels[i - 1], on_patterns.labels[i], "row {i}");
            }
        }
        assert_eq!(adjusted_rand_index(&rows.labels, &on_patterns.labels), 1.0);
        assert!((rows.wss - on_patterns.wss).abs() <= 1e-9 * rows.wss);
    }

    #[test]
    fn weights_are_summed_per_pattern() {
        let x = rounded_rows(PATTERNS_MIN_ROWS + 5_000);
        let w: Vec<f64> = (0..x.nrows()).map(|i| 1.0 + (i % 3) as f64).collect();
        let mut summed = 0.0;
        fit_patterns(&x, Some(&w), |p, pw| {
            let pw = pw.expect("pattern weights");
            assert_eq!(pw.len(), p.nrows());
            summed = pw.iter().sum();
            engine::fit_weighted(p, Some(pw), &settings())
        })
        .unwrap();
        assert_eq!(summed, w.iter().sum::<f64>());
    }

    #[test]
    fn a_smaller_survey_is_clustered_row_by_row() {
        let x = rounded_rows(PATTERNS_MIN_ROWS - 1);
        let mut given = 0;
        fit_patterns(&x, None, |p, w| {
            given = p.nrows();
            assert!(w.is_none());
            engine::fit_weighted(p, w, &settings())
        })
        .unwrap();
        assert_eq!(given, x.nrows());
    }

    #[test]
    fn distinct_rows_counts_sorted_and_unsorted_alike() {
        let sorted = rounded_rows(2_000);
        let mut reversed = sorted.clone();
        reversed.invert_axis(ndarray::Axis(0));
        let reversed = reversed.as_standard_layout().to_owned();
        let mut count: Vec<Vec<u64>> = sorted
            .rows()
            .into_iter()
            .map(|r| r.iter().map(|v| v.to_bits()).collect())
            .collect();
        count.sort();
        count.dedup();
        assert_eq!(distinct_rows(&sorted), count.len());
        assert_eq!(distinct_rows(&reversed), count.len());
    }
}
