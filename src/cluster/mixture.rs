//! Model-based clustering: Gaussian mixtures fitted by EM over the covariance structures that R's
//! `mclust` calls EII, VII, EEI, VVI, EEE and VVV, for a range of k, chosen by BIC in mclust's sign
//! convention (2 log-likelihood - free parameters × log n; larger is better). This module owns the
//! models and their parameter counts, EM from several starts (the Ward partition and seeded
//! k-means partitions; the best likelihood kept), the guards (log-sum-exp, singular covariances
//! reported as not estimable, like mclust's NA), ICL and entropy, membership probabilities, the
//! agreement of a mixture with the k-means types (`bic.csv` and `memberships.csv` are
//! `show::views::mixture`). A large survey of ratings repeats
//! its answer patterns: from 20,000 rows with at most half as many distinct rows, EM runs on the
//! distinct rows, each counting as often as it occurs (the same likelihood, BIC and ICL), and the
//! Ward start is left out when the rows have more patterns than Ward takes. Each EM iteration works on
//! blocks: the E-step takes four rows and four components at a time, the M-step adds four rows
//! per pass over its sums, and every sum is still taken row after row and coordinate after
//! coordinate, so the results have the bits of the plain row-by-row loops (and the same on every
//! x86-64 machine for the loops compiled twice, for baseline and for AVX2 without FMA).

use multiversion::multiversion;
use ndarray::Array2;
use rayon::prelude::*;
use serde::Serialize;

use super::engine::blocks::{Blocks, LANES};
use super::engine::fast::fit_weighted as fit_fast_weighted;
use super::error::ClusterError;
use super::hierarchy::{crosstab, ward};
use super::kmeans::{Algorithm, Engine, KMeansSettings};
use super::patterns::PATTERNS_MIN_ROWS;
use super::stability::adjusted_rand_index;
use crate::progress;

/// A covariance structure, named as mclust names it (volume, shape, orientation: E = equal across
/// components, V = varying, I = identity).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum CovarianceModel {
    /// Spherical, equal volume: λI.
    EII,
    /// Spherical, varying volume: λ_k I.
    VII,
    /// Diagonal, equal volume and shape: one diagonal matrix.
    EEI,
    /// Diagonal, varying volume and shape: a diagonal matrix per component.
    VVI,
    /// Ellipsoidal, equal: one full covariance matrix.
    EEE,
    /// Ellipsoidal, varying: a full covariance matrix per component.
    VVV,
}

impl CovarianceModel {
    pub const ALL: [CovarianceModel; 6] = [
        CovarianceModel::EII,
        CovarianceModel::VII,
        CovarianceModel::EEI,
        CovarianceModel::VVI,
        CovarianceModel::EEE,
        CovarianceModel::VVV,
    ];

    pub fn name(self) -> &'static str {
        match self {
            CovarianceModel::EII => "EII",
            CovarianceModel::VII => "VII",
            CovarianceModel::EEI => "EEI",
            CovarianceModel::VVI => "VVI",
            CovarianceModel::EEE => "EEE",
            CovarianceModel::VVV => "VVV",
        }
    }

    /// Parses mclust's name of a model.
    pub fn parse(name: &str) -> Result<CovarianceModel, ClusterError> {
        CovarianceModel::ALL
            .into_iter()
            .find(|m| m.name() == name)
            .ok_or_else(|| {
                ClusterError::Options(format!(
                    "'{name}' is not a mixture model; expected one of EII, VII, EEI, VVI, EEE, VVV"
                ))
            })
    }

    /// Parameters of the covariances alone (mclust's `nVarParams`).
    pub fn variance_params(self, k: usize, d: usize) -> usize {
        match self {
            CovarianceModel::EII => 1,
            CovarianceModel::VII => k,
            CovarianceModel::EEI => d,
            CovarianceModel::VVI => k * d,
            CovarianceModel::EEE => d * (d + 1) / 2,
            CovarianceModel::VVV => k * d * (d + 1) / 2,
        }
    }

    /// Free parameters of a k-component mixture in d dimensions (mclust's `nMclustParams`):
    /// k - 1 mixing proportions, k × d means and the covariances.
    pub fn free_params(self, k: usize, d: usize) -> usize {
        (k - 1) + k * d + self.variance_params(k, d)
    }
}

/// Options of the mixture fits.
#[derive(Debug, Clone, PartialEq)]
pub struct MixtureOptions {
    pub k_min: usize,
    pub k_max: usize,
    pub models: Vec<CovarianceModel>,
    /// Seeded k-means starts (k-means++ start, Lloyd to convergence) besides the Ward start.
    pub kmeans_starts: usize,
    pub seed: u64,
    /// EM stops when the log-likelihood changes by at most `tolerance` × (1 + |log-likelihood|)
    /// (mclust's default tolerance is 1e-5) ...
    pub tolerance: f64,
    /// ... or after this many iterations (the fit is then marked as not converged).
    pub max_iter: usize,
    /// A covariance is singular when the ratio of its smallest to its largest pivot (the squared
    /// diagonal of its Cholesky factor; the variances, for diagonal models) is at most this
    /// (default: the square root of the machine epsilon, 1.5e-8: rounding leaves a pivot of
    /// about 1e-16 where the covariance is exactly singular); the model is then not estimable,
    /// as mclust reports NA.
    pub singular_tolerance: f64,
}

impl Default for MixtureOptions {
    fn default() -> Self {
        MixtureOptions {
            k_min: 2,
            k_max: 8,
            models: CovarianceModel::ALL.to_vec(),
            kmeans_starts: 4,
            seed: 2020,
            tolerance: 1e-5,
            max_iter: 5000,
            singular_tolerance: f64::EPSILON.sqrt(),
        }
    }
}

impl MixtureOptions {
    fn check(&self, n: usize) -> Result<(), ClusterError> {
        if self.k_min < 1 || self.k_min > self.k_max || self.k_max >= n {
            return Err(ClusterError::Options(format!(
                "mixtures for k = {}..{} are not possible with {n} rows; expected 1 <= k-min <= k-max < {n}",
                self.k_min, self.k_max
            )));
        }
        if self.models.is_empty() {
            return Err(ClusterError::Options("no mixture model chosen".into()));
        }
        if self.tolerance.is_nan() || self.tolerance <= 0.0 || self.max_iter == 0 {
            return Err(ClusterError::Options(
                "the EM tolerance and the maximum number of iterations must be positive".into(),
            ));
        }
        Ok(())
    }
}

/// Where an EM run started.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Start {
    /// Ward's partition into k groups.
    Ward,
    /// A k-means partition (one k-means++ start with this seed).
    KMeans { seed: u64 },
}

/// One fitted mixture (the best of its starts), or why it could not be estimated.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MixtureFit {
    pub k: usize,
    pub model: CovarianceModel,
    /// mclust's number of free parameters.
    pub n_params: usize,
    /// `None`: no start gave an estimable model (a covariance became singular or a component
    /// empty), what mclust reports as NA.
    pub estimate: Option<Estimate>,
    /// Starts tried and how many of them were not estimable.
    pub starts: usize,
    pub singular_starts: usize,
}

/// The estimate of an estimable mixture.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Estimate {
    pub loglik: f64,
    /// 2 loglik - n_params × ln n (larger is better).
    pub bic: f64,
    /// BIC + 2 Σ_i ln z_i,c(i), c(i) the most probable component (mclust's `icl`).
    pub icl: f64,
    /// -Σ_i Σ_c z_ic ln z_ic.
    pub entropy: f64,
    pub proportions: Vec<f64>,
    pub means: Vec<Vec<f64>>,
    /// Covariance matrix of each component (d × d, the same for pooled models).
    pub covariances: Vec<Vec<Vec<f64>>>,
    /// Membership probabilities, summing to 1: one row per data row, or with `rows` one per
    /// distinct data row (see [`Estimate::membership`]).
    pub z: Vec<Vec<f64>>,
    /// The most probable component (the first on a tie), indexed as `z`.
    pub labels: Vec<usize>,
    /// When the mixture was fitted on the distinct rows: the row of `z` of each data row.
    #[serde(skip)]
    pub rows: Option<std::sync::Arc<Vec<u32>>>,
    pub iterations: usize,
    pub converged: bool,
    pub start: Start,
    /// The log-likelihood after each E-step of the winning run.
    pub trace: Vec<f64>,
}

impl Estimate {
    /// The membership probabilities of data row i.
    pub fn membership(&self, i: usize) -> &[f64] {
        match &self.rows {
            None => &self.z[i],
            Some(rows) => &self.z[rows[i] as usize],
        }
    }

    /// The most probable component of every data row.
    pub fn row_labels(&self) -> Vec<usize> {
        match &self.rows {
            None => self.labels.clone(),
            Some(rows) => rows.iter().map(|&p| self.labels[p as usize]).collect(),
        }
    }

    /// How many data rows the estimate covers.
    pub fn n_rows(&self) -> usize {
        self.rows.as_ref().map_or(self.z.len(), |r| r.len())
    }

    pub fn min_share(&self) -> f64 {
        self.proportions
            .iter()
            .copied()
            .fold(f64::INFINITY, f64::min)
    }
}

/// A component's covariance, ready for densities.
#[derive(Debug, Clone)]
enum Cov {
    Spherical(f64),
    Diagonal(Vec<f64>),
    /// Lower Cholesky factor, row-major d × d.
    Full(Vec<f64>),
}

impl Cov {
    fn log_det(&self, d: usize) -> f64 {
        match self {
            Cov::Spherical(v) => d as f64 * v.ln(),
            Cov::Diagonal(v) => v.iter().map(|x| x.ln()).sum(),
            Cov::Full(l) => 2.0 * (0..d).map(|i| l[i * d + i].ln()).sum::<f64>(),
        }
    }

    fn matrix(&self, d: usize) -> Vec<Vec<f64>> {
        let mut m = vec![vec![0.0; d]; d];
        match self {
            Cov::Spherical(v) => (0..d).for_each(|i| m[i][i] = *v),
            Cov::Diagonal(v) => (0..d).for_each(|i| m[i][i] = v[i]),
            Cov::Full(l) => {
                for i in 0..d {
                    for j in 0..d {
                        m[i][j] = (0..=i.min(j)).map(|t| l[i * d + t] * l[j * d + t]).sum();
                    }
                }
            }
        }
        m
    }
}

/// Cholesky factor of a symmetric d × d matrix (row-major), or `None` when it is not positive
/// definite or the ratio of its smallest to largest pivot is at most `tol`.
fn cholesky(a: &[f64], d: usize, tol: f64) -> Option<Vec<f64>> {
    let mut l = vec![0.0; d * d];
    for i in 0..d {
        for j in 0..=i {
            let s: f64 = (0..j).map(|t| l[i * d + t] * l[j * d + t]).sum();
            if i == j {
                let v = a[i * d + i] - s;
                if v.is_nan() || v <= 0.0 {
                    return None;
                }
                l[i * d + i] = v.sqrt();
            } else {
                l[i * d + j] = (a[i * d + j] - s) / l[j * d + j];
            }
        }
    }
    let diag = (0..d).map(|i| l[i * d + i]);
    let (lo, hi) = diag.fold((f64::INFINITY, 0.0f64), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    ((lo / hi) * (lo / hi) > tol).then_some(l)
}

/// The pivot check for diagonal covariances (the variances).
fn diagonal_ok(v: &[f64], tol: f64) -> bool {
    let (lo, hi) = v.iter().fold((f64::INFINITY, 0.0f64), |(lo, hi), x| {
        (lo.min(*x), hi.max(*x))
    });
    lo > 0.0 && lo / hi > tol && hi.is_finite()
}

/// The data as EM uses them: the rows centred on the column means (a mixture's likelihood does
/// not change when every row is moved by the same vector; centring keeps the second moments below
/// small), each row's products `x_a x_b` (a ≥ b, the lower triangle row by row) and squares, and
/// their sums over all rows. With them an M-step is sums of rows weighted by the
/// responsibilities, and an E-step for a full covariance is a dot product per row and component
/// ([`Quadratic`]).
struct Rows {
    data: Vec<f64>,
    /// The column means taken off (added back to the fitted means).
    offset: Vec<f64>,
    /// n × t, t = d (d + 1) / 2: the lower triangle of each row's outer product.
    products: Vec<f64>,
    /// n × d: the squares of each row's values.
    squares: Vec<f64>,
    /// Sums over all rows of `products` and `squares`.
    products_total: Vec<f64>,
    squares_total: Vec<f64>,
    /// `data` and `products` in blocks of [`LANES`] rows, for the E-step.
    data_blocks: Blocks,
    product_blocks: Blocks,
    /// How many data rows each row stands for (distinct rows with their counts); `None`: one.
    weights: Option<Vec<f64>>,
    /// The number of data rows: `n`, or the summed weights.
    total: f64,
    n: usize,
    d: usize,
}

/// Index of (a, b), a ≥ b, in the lower triangle stored row by row.
fn tri(a: usize, b: usize) -> usize {
    a * (a + 1) / 2 + b
}

impl Rows {
    /// The rows of `x`, row i standing for `weights[i]` data rows (`None`: one each).
    fn new(x: &Array2<f64>, weights: Option<&[f64]>) -> Rows {
        let (n, d) = x.dim();
        let total = weights.map_or(n as f64, |w| w.iter().sum());
        let offset: Vec<f64> = match weights {
            None => (0..d)
                .map(|j| x.column(j).sum() / n.max(1) as f64)
                .collect(),
            Some(w) => (0..d)
                .map(|j| x.column(j).iter().zip(w).map(|(v, w)| v * w).sum::<f64>() / total)
                .collect(),
        };
        let mut data = Vec::with_capacity(n * d);
        for row in x.rows() {
            data.extend(row.iter().zip(&offset).map(|(v, m)| v - m));
        }
        let t = d * (d + 1) / 2;
        let mut products = Vec::with_capacity(n * t);
        let mut squares = Vec::with_capacity(n * d);
        for row in data.chunks_exact(d.max(1)) {
            for a in 0..d {
                for b in 0..=a {
                    products.push(row[a] * row[b]);
                }
            }
            squares.extend(row.iter().map(|v| v * v));
        }
        let column_sums = |values: &[f64], width: usize| -> Vec<f64> {
            let mut sums = vec![0.0; width];
            let rows = values.chunks_exact(width.max(1));
            match weights {
                None => rows.for_each(|row| sums.iter_mut().zip(row).for_each(|(s, v)| *s += v)),
                Some(w) => rows
                    .zip(w)
                    .for_each(|(row, w)| sums.iter_mut().zip(row).for_each(|(s, v)| *s += w * v)),
            }
            sums
        };
        Rows {
            products_total: column_sums(&products, t),
            squares_total: column_sums(&squares, d),
            data_blocks: Blocks::new(&data, n, d),
            product_blocks: Blocks::new(&products, n, t),
            data,
            offset,
            products,
            squares,
            weights: weights.map(<[f64]>::to_vec),
            total,
            n,
            d,
        }
    }

    /// The responsibilities as the M-step sums them: each row's times its weight.
    fn weighted<'a>(&self, z: &'a [f64], k: usize, buffer: &'a mut Vec<f64>) -> &'a [f64] {
        let Some(w) = &self.weights else {
            return z;
        };
        buffer.clear();
        buffer.extend(
            z.chunks_exact(k)
                .zip(w)
                .flat_map(|(zi, w)| zi.iter().map(move |v| v * w)),
        );
        buffer
    }
}

/// Parameters of one M-step.
struct Params {
    proportions: Vec<f64>,
    means: Vec<Vec<f64>>,
    covs: Vec<Cov>,
}

/// `acc[c] += Σ_i z_ic × row_i` for every component c (`values`: the rows, `width` values each;
/// `z`: n × k). Each sum adds the rows one after another, in their order; four rows are added per
/// pass over the sums (compiled for baseline x86-64 and for AVX2 without FMA: the same bits).
#[multiversion(targets("x86_64+avx2"))]
fn accumulate(acc: &mut [f64], z: &[f64], values: &[f64], width: usize, k: usize) {
    if width == 0 {
        return;
    }
    for (c, a) in acc.chunks_exact_mut(width).enumerate() {
        let mut weights = z.iter().skip(c).step_by(k);
        let mut fours = values.chunks_exact(4 * width);
        for four in &mut fours {
            let w: [f64; 4] = std::array::from_fn(|_| weights.next().copied().unwrap_or(0.0));
            let (r0, rest) = four.split_at(width);
            let (r1, rest) = rest.split_at(width);
            let (r2, r3) = rest.split_at(width);
            let rows = r0.iter().zip(r1).zip(r2.iter().zip(r3));
            for (s, ((v0, v1), (v2, v3))) in a.iter_mut().zip(rows) {
                *s = (((*s + w[0] * v0) + w[1] * v1) + w[2] * v2) + w[3] * v3;
            }
        }
        for (row, w) in fours.remainder().chunks_exact(width).zip(weights) {
            a.iter_mut().zip(row).for_each(|(s, v)| *s += w * v);
        }
    }
}

/// The M-step: maximum-likelihood parameters for the responsibilities `z` (n × k, row-major), or
/// `None` when a component is empty or a covariance singular. The scatter of component c is
/// Σ_i z_ic x_i x_i' − n_c μ_c μ_c' (for the pooled models the sum over all rows, which does not
/// change between iterations).
fn m_step(x: &Rows, z: &[f64], k: usize, model: CovarianceModel, tol: f64) -> Option<Params> {
    let d = x.d;
    let mut nk = vec![0.0; k];
    for zi in z.chunks_exact(k) {
        nk.iter_mut().zip(zi).for_each(|(s, w)| *s += w);
    }
    if nk.iter().any(|&w| w.is_nan() || w <= 1e-12 * x.total) {
        return None;
    }
    let mut sums = vec![0.0; k * d];
    accumulate(&mut sums, z, &x.data, d, k);
    let means: Vec<Vec<f64>> = (0..k)
        .map(|c| sums[c * d..(c + 1) * d].iter().map(|s| s / nk[c]).collect())
        .collect();
    let full = matches!(model, CovarianceModel::EEE | CovarianceModel::VVV);
    let pooled_model = matches!(
        model,
        CovarianceModel::EII | CovarianceModel::EEI | CovarianceModel::EEE
    );
    let t = d * (d + 1) / 2;
    let width = if full { t } else { d };
    // second moments Σ_i z_ic x_i x_i' (or their diagonals), per component or pooled
    let moments: Vec<f64> = match (pooled_model, full) {
        (true, true) => x.products_total.clone(),
        (true, false) => x.squares_total.clone(),
        (false, true) => {
            let mut m = vec![0.0; k * t];
            accumulate(&mut m, z, &x.products, t, k);
            m
        }
        (false, false) => {
            let mut m = vec![0.0; k * d];
            accumulate(&mut m, z, &x.squares, d, k);
            m
        }
    };
    // the scatter W_c = moments_c − n_c μ_c μ_c' (full: lower triangle; otherwise diagonal)
    let subtract_mean = |s: &mut [f64], c: usize| {
        let mu = &means[c];
        if full {
            for a in 0..d {
                for b in 0..=a {
                    s[tri(a, b)] -= nk[c] * mu[a] * mu[b];
                }
            }
        } else {
            for a in 0..d {
                s[a] -= nk[c] * mu[a] * mu[a];
            }
        }
    };
    let scatter: Vec<Vec<f64>> = if pooled_model {
        let mut s = moments;
        for c in 0..k {
            subtract_mean(&mut s, c);
        }
        vec![s]
    } else {
        (0..k)
            .map(|c| {
                let mut s = moments[c * width..(c + 1) * width].to_vec();
                subtract_mean(&mut s, c);
                s
            })
            .collect()
    };
    let trace = |s: &[f64]| -> f64 {
        if full {
            (0..d).map(|j| s[tri(j, j)]).sum()
        } else {
            s.iter().sum()
        }
    };
    let square = |s: &[f64], by: f64| -> Vec<f64> {
        let mut a = vec![0.0; d * d];
        for i in 0..d {
            for j in 0..=i {
                a[i * d + j] = s[tri(i, j)] / by;
                a[j * d + i] = a[i * d + j];
            }
        }
        a
    };
    let nf = x.total;
    let df = d as f64;
    let covs: Vec<Cov> = match model {
        CovarianceModel::EII => {
            let v = trace(&scatter[0]) / (nf * df);
            if !diagonal_ok(&[v], tol) {
                return None;
            }
            vec![Cov::Spherical(v); k]
        }
        CovarianceModel::VII => (0..k)
            .map(|c| {
                let v = trace(&scatter[c]) / (nk[c] * df);
                diagonal_ok(&[v], tol).then_some(Cov::Spherical(v))
            })
            .collect::<Option<_>>()?,
        CovarianceModel::EEI => {
            let v: Vec<f64> = scatter[0].iter().map(|s| s / nf).collect();
            if !diagonal_ok(&v, tol) {
                return None;
            }
            vec![Cov::Diagonal(v); k]
        }
        CovarianceModel::VVI => (0..k)
            .map(|c| {
                let v: Vec<f64> = scatter[c].iter().map(|s| s / nk[c]).collect();
                diagonal_ok(&v, tol).then_some(Cov::Diagonal(v))
            })
            .collect::<Option<_>>()?,
        CovarianceModel::EEE => {
            vec![Cov::Full(cholesky(&square(&scatter[0], nf), d, tol)?); k]
        }
        CovarianceModel::VVV => (0..k)
            .map(|c| cholesky(&square(&scatter[c], nk[c]), d, tol).map(Cov::Full))
            .collect::<Option<_>>()?,
    };
    Some(Params {
        proportions: nk.iter().map(|w| w / nf).collect(),
        means,
        covs,
    })
}

/// (x − μ)' Σ⁻¹ (x − μ) of a full covariance as a dot product with the row's products:
/// Σ_{a≥b} q_ab x_a x_b − 2 (Σ⁻¹ μ)' x + μ' Σ⁻¹ μ, with q_aa = (Σ⁻¹)_aa, q_ab = 2 (Σ⁻¹)_ab.
struct Quadratic {
    q: Vec<f64>,
    linear: Vec<f64>,
    constant: f64,
}

impl Quadratic {
    /// From the lower Cholesky factor `l` (d × d) and the mean.
    fn new(l: &[f64], mu: &[f64]) -> Quadratic {
        let d = mu.len();
        // the inverse of the lower triangular factor, column by column
        let mut inv = vec![0.0; d * d];
        for j in 0..d {
            inv[j * d + j] = 1.0 / l[j * d + j];
            for i in j + 1..d {
                let s: f64 = (j..i).map(|m| l[i * d + m] * inv[m * d + j]).sum();
                inv[i * d + j] = -s / l[i * d + i];
            }
        }
        // Σ⁻¹ = L⁻ᵀ L⁻¹
        let mut p = vec![0.0; d * d];
        for a in 0..d {
            for b in 0..=a {
                let v: f64 = (a..d).map(|m| inv[m * d + a] * inv[m * d + b]).sum();
                p[a * d + b] = v;
                p[b * d + a] = v;
            }
        }
        let mut q = Vec::with_capacity(d * (d + 1) / 2);
        for a in 0..d {
            for b in 0..=a {
                q.push(if a == b {
                    p[a * d + a]
                } else {
                    2.0 * p[a * d + b]
                });
            }
        }
        let linear: Vec<f64> = (0..d)
            .map(|a| (0..d).map(|b| p[a * d + b] * mu[b]).sum())
            .collect();
        let constant = linear.iter().zip(mu).map(|(l, m)| l * m).sum();
        Quadratic {
            q,
            linear,
            constant,
        }
    }
}

/// Components whose distances the E-step computes together (the last group of a model is
/// padded with copies of its last component, whose results are not used).
const GROUP: usize = 4;

/// The squared Mahalanobis distances of a group of components, their parameters laid out
/// coordinate by coordinate (`mu[j * GROUP + c]`: coordinate j of the group's component c), so
/// that one pass over a block of rows serves every component of the group.
enum Forms {
    /// (x − μ)'(x − μ) / λ: the sum of squares, then times `inverse[c]` = 1 / λ.
    Spherical { mu: Vec<f64>, inverse: [f64; GROUP] },
    /// Σ_j (x_j − μ_j)² / σ²_j (`inverse[j * GROUP + c]` = 1 / σ²_j).
    Diagonal { mu: Vec<f64>, inverse: Vec<f64> },
    /// The [`Quadratic`] forms (`q[t * GROUP + c]`, `linear[j * GROUP + c]`).
    Full {
        q: Vec<f64>,
        linear: Vec<f64>,
        constant: [f64; GROUP],
    },
}

impl Forms {
    /// The forms of components `first..first + GROUP` (beyond the last one, the last again).
    fn new(p: &Params, first: usize, d: usize) -> Forms {
        let k = p.covs.len();
        let members: [usize; GROUP] = std::array::from_fn(|c| (first + c).min(k - 1));
        let interleave = |width: usize, value: &dyn Fn(usize, usize) -> f64| -> Vec<f64> {
            let mut out = vec![0.0; width * GROUP];
            for j in 0..width {
                for (c, &m) in members.iter().enumerate() {
                    out[j * GROUP + c] = value(m, j);
                }
            }
            out
        };
        let mu = |width| interleave(width, &|m, j| p.means[m][j]);
        match &p.covs[first] {
            Cov::Spherical(_) => Forms::Spherical {
                mu: mu(d),
                inverse: members.map(|m| match p.covs[m] {
                    Cov::Spherical(v) => 1.0 / v,
                    _ => unreachable!("one model, one kind of covariance"),
                }),
            },
            Cov::Diagonal(_) => Forms::Diagonal {
                mu: mu(d),
                inverse: interleave(d, &|m, j| match &p.covs[m] {
                    Cov::Diagonal(v) => 1.0 / v[j],
                    _ => unreachable!("one model, one kind of covariance"),
                }),
            },
            Cov::Full(_) => {
                let forms: Vec<Quadratic> = (first..(first + GROUP).min(k))
                    .map(|m| match &p.covs[m] {
                        Cov::Full(l) => Quadratic::new(l, &p.means[m]),
                        _ => unreachable!("one model, one kind of covariance"),
                    })
                    .collect();
                let form = |m: usize| &forms[m - first];
                Forms::Full {
                    q: interleave(d * (d + 1) / 2, &|m, t| form(m).q[t]),
                    linear: interleave(d, &|m, j| form(m).linear[j]),
                    constant: members.map(|m| form(m).constant),
                }
            }
        }
    }

    /// The distances of the rows of one block (`data`: d coordinates, `products`: t products,
    /// each `LANES` rows wide) to the group's components, `out[c][lane]`. Each is summed in
    /// the order of the row-by-row formula, coordinate after coordinate, so its bits do not
    /// depend on the blocks or on the vector unit.
    #[inline(always)]
    fn block(&self, data: &[f64], products: &[f64]) -> [[f64; LANES]; GROUP] {
        let mut out = [[0.0f64; LANES]; GROUP];
        match self {
            Forms::Spherical { mu, inverse } => {
                for (x, mu) in data.chunks_exact(LANES).zip(mu.chunks_exact(GROUP)) {
                    for (o, m) in out.iter_mut().zip(mu) {
                        for (o, v) in o.iter_mut().zip(x) {
                            let diff = v - m;
                            *o += diff * diff;
                        }
                    }
                }
                for (o, s) in out.iter_mut().zip(inverse) {
                    o.iter_mut().for_each(|o| *o *= s);
                }
            }
            Forms::Diagonal { mu, inverse } => {
                let columns = mu.chunks_exact(GROUP).zip(inverse.chunks_exact(GROUP));
                for (x, (mu, inverse)) in data.chunks_exact(LANES).zip(columns) {
                    for ((o, m), s) in out.iter_mut().zip(mu).zip(inverse) {
                        for (o, v) in o.iter_mut().zip(x) {
                            let diff = v - m;
                            *o += diff * diff * s;
                        }
                    }
                }
            }
            Forms::Full {
                q,
                linear,
                constant,
            } => {
                let mut lin = [[0.0f64; LANES]; GROUP];
                for (p, q) in products.chunks_exact(LANES).zip(q.chunks_exact(GROUP)) {
                    for (o, q) in out.iter_mut().zip(q) {
                        for (o, v) in o.iter_mut().zip(p) {
                            *o += q * v;
                        }
                    }
                }
                for (x, a) in data.chunks_exact(LANES).zip(linear.chunks_exact(GROUP)) {
                    for (o, a) in lin.iter_mut().zip(a) {
                        for (o, v) in o.iter_mut().zip(x) {
                            *o += a * v;
                        }
                    }
                }
                for ((o, l), c) in out.iter_mut().zip(&lin).zip(constant) {
                    for (o, l) in o.iter_mut().zip(l) {
                        *o = (*o - 2.0 * l + c).max(0.0);
                    }
                }
            }
        }
        out
    }
}

/// `z[i * k + c] = log_weight[c] − ½ × distance` for the rows and the components
/// `first..first + GROUP` of `forms` (compiled for baseline x86-64 and for AVX2 without FMA: the
/// same operations in the same order, the same bits).
#[multiversion(targets("x86_64+avx2"))]
fn log_densities(x: &Rows, forms: &Forms, first: usize, log_weight: &[f64], z: &mut [f64]) {
    let (n, d, k) = (x.n, x.d, log_weight.len());
    let t = d * (d + 1) / 2;
    let data = x.data_blocks.values().chunks_exact(d * LANES);
    let products = x.product_blocks.values().chunks_exact(t * LANES);
    let members = GROUP.min(k - first);
    for (b, (data, products)) in data.zip(products).enumerate() {
        let distances = forms.block(data, products);
        for lane in 0..LANES.min(n - b * LANES) {
            let row = &mut z[(b * LANES + lane) * k..][..k];
            for c in 0..members {
                row[first + c] = log_weight[first + c] - 0.5 * distances[c][lane];
            }
        }
    }
}

/// The E-step: responsibilities into `z` and the log-likelihood (log-sum-exp per row).
fn e_step(x: &Rows, p: &Params, z: &mut [f64]) -> f64 {
    let d = x.d;
    let k = p.proportions.len();
    let constant = d as f64 * (2.0 * std::f64::consts::PI).ln();
    let log_weight: Vec<f64> = (0..k)
        .map(|c| p.proportions[c].ln() - 0.5 * (constant + p.covs[c].log_det(d)))
        .collect();
    for first in (0..k).step_by(GROUP) {
        log_densities(x, &Forms::new(p, first, d), first, &log_weight, z);
    }
    let mut loglik = 0.0;
    for (i, zi) in z.chunks_exact_mut(k).enumerate() {
        let max = zi.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let sum: f64 = zi.iter().map(|v| (v - max).exp()).sum();
        let log_sum = max + sum.ln();
        zi.iter_mut().for_each(|v| *v = (*v - log_sum).exp());
        match &x.weights {
            None => loglik += log_sum,
            Some(w) => loglik += w[i] * log_sum,
        }
    }
    loglik
}

/// One EM run from a hard partition.
struct Run {
    params: Params,
    z: Vec<f64>,
    loglik: f64,
    trace: Vec<f64>,
    converged: bool,
}

fn em(
    x: &Rows,
    labels: &[usize],
    k: usize,
    model: CovarianceModel,
    o: &MixtureOptions,
) -> Option<Run> {
    let mut z = vec![0.0; x.n * k];
    for (i, &l) in labels.iter().enumerate() {
        z[i * k + l] = 1.0;
    }
    let mut trace = Vec::new();
    let mut previous = f64::NEG_INFINITY;
    let mut buffer = Vec::new();
    for _ in 0..o.max_iter {
        let params = m_step(
            x,
            x.weighted(&z, k, &mut buffer),
            k,
            model,
            o.singular_tolerance,
        )?;
        let loglik = e_step(x, &params, &mut z);
        if !loglik.is_finite() {
            return None;
        }
        trace.push(loglik);
        if (loglik - previous).abs() <= o.tolerance * (1.0 + loglik.abs()) {
            return Some(Run {
                params,
                z,
                loglik,
                trace,
                converged: true,
            });
        }
        previous = loglik;
        if trace.len() == o.max_iter {
            return Some(Run {
                params,
                z,
                loglik,
                trace,
                converged: false,
            });
        }
    }
    None
}

fn finish(x: &Rows, k: usize, model: CovarianceModel, run: Run, start: Start) -> Estimate {
    let d = x.d;
    let n_params = model.free_params(k, d);
    let bic = 2.0 * run.loglik - n_params as f64 * x.total.ln();
    let rows: Vec<Vec<f64>> = run.z.chunks(k).map(|r| r.to_vec()).collect();
    let labels: Vec<usize> = rows
        .iter()
        .map(|r| {
            r.iter()
                .enumerate()
                .fold((0, f64::NEG_INFINITY), |best, (c, &v)| {
                    if v > best.1 {
                        (c, v)
                    } else {
                        best
                    }
                })
                .0
        })
        .collect();
    let xlogx = |v: f64| if v > 0.0 { v * v.ln() } else { 0.0 };
    let log_hard = |(r, &l): (&Vec<f64>, &usize)| if r[l] > 0.0 { r[l].ln() } else { 0.0 };
    let (entropy, hard) = match &x.weights {
        None => (
            -rows.iter().flatten().map(|&v| xlogx(v)).sum::<f64>(),
            rows.iter().zip(&labels).map(log_hard).sum::<f64>(),
        ),
        Some(w) => (
            -rows
                .iter()
                .zip(w)
                .map(|(r, w)| w * r.iter().map(|&v| xlogx(v)).sum::<f64>())
                .sum::<f64>(),
            rows.iter()
                .zip(&labels)
                .zip(w)
                .map(|(rl, w)| w * log_hard(rl))
                .sum::<f64>(),
        ),
    };
    Estimate {
        loglik: run.loglik,
        bic,
        icl: bic + 2.0 * hard,
        entropy,
        proportions: run.params.proportions,
        covariances: run.params.covs.iter().map(|c| c.matrix(d)).collect(),
        means: run
            .params
            .means
            .into_iter()
            .map(|m| m.iter().zip(&x.offset).map(|(v, o)| v + o).collect())
            .collect(),
        z: rows,
        labels,
        rows: None,
        iterations: run.trace.len(),
        converged: run.converged,
        start,
        trace: run.trace,
    }
}

/// The starting partitions for k groups of the rows of `x` (row i standing for `weights[i]` data
/// rows): Ward's cut (when given), then the seeded k-means partitions.
fn starts(
    x: &Array2<f64>,
    weights: Option<&[f64]>,
    ward_labels: Option<Vec<usize>>,
    k: usize,
    o: &MixtureOptions,
) -> Result<Vec<(Start, Vec<usize>)>, ClusterError> {
    let mut out: Vec<(Start, Vec<usize>)> = ward_labels
        .into_iter()
        .map(|labels| (Start::Ward, labels))
        .collect();
    // one component: every start is the same
    let kmeans_starts = if k == 1 { 0 } else { o.kmeans_starts };
    for s in 0..kmeans_starts {
        let seed = o.seed.wrapping_add(1000 * k as u64 + s as u64);
        let settings = KMeansSettings {
            engine: Engine::Fast,
            algorithm: Algorithm::Lloyd,
            k,
            seed,
            n_init: 1,
            max_iter: 300,
            tolerance: 1e-6,
        };
        out.push((
            Start::KMeans { seed },
            fit_fast_weighted(x, weights, &settings)?.labels,
        ));
    }
    Ok(out)
}

/// Fits one model for one k from the given starts and keeps the largest likelihood (the earlier
/// start on a tie).
pub fn fit_model(
    x: &Array2<f64>,
    k: usize,
    model: CovarianceModel,
    starts: &[(Start, Vec<usize>)],
    o: &MixtureOptions,
) -> MixtureFit {
    fit_rows(&Rows::new(x, None), k, model, starts, o)
}

/// [`fit_model`] on rows laid out for EM.
fn fit_rows(
    x: &Rows,
    k: usize,
    model: CovarianceModel,
    starts: &[(Start, Vec<usize>)],
    o: &MixtureOptions,
) -> MixtureFit {
    let runs: Vec<Option<Run>> = starts
        .par_iter()
        .map(|(_, labels)| em(x, labels, k, model, o))
        .collect();
    let singular_starts = runs.iter().filter(|r| r.is_none()).count();
    let best = runs
        .into_iter()
        .zip(starts)
        .filter_map(|(r, (s, _))| r.map(|r| (r, s)))
        // likelihoods equal up to rounding are a tie: the earlier start wins
        .fold(None::<(Run, &Start)>, |best, cand| match best {
            Some(b) if b.0.loglik >= cand.0.loglik - 1e-9 * cand.0.loglik.abs() => Some(b),
            _ => Some(cand),
        });
    MixtureFit {
        k,
        model,
        n_params: model.free_params(k, x.d),
        estimate: best.map(|(run, start)| finish(x, k, model, run, start.clone())),
        starts: starts.len(),
        singular_starts,
    }
}

/// The distinct rows of a matrix whose rows are sorted (equal rows neighbours), when there are
/// [`PATTERNS_MIN_ROWS`] rows or more and at most half as many distinct ones: EM on them, each
/// counting as often as it occurs, is EM on the rows with a fraction of the work.
struct Distinct {
    x: Array2<f64>,
    counts: Vec<f64>,
    /// The sorted row each distinct row was first seen at.
    first: Vec<usize>,
    /// The distinct row of each sorted row.
    of_sorted: Vec<u32>,
}

impl Distinct {
    fn of_sorted(sorted: &Array2<f64>) -> Option<Distinct> {
        let n = sorted.nrows();
        if n < PATTERNS_MIN_ROWS {
            return None;
        }
        let same = |a: usize, b: usize| {
            sorted
                .row(a)
                .iter()
                .zip(sorted.row(b).iter())
                .all(|(p, q)| p.to_bits() == q.to_bits())
        };
        let first: Vec<usize> = (0..n).filter(|&i| i == 0 || !same(i - 1, i)).collect();
        if first.len() * 2 > n {
            return None;
        }
        let mut counts = vec![0.0; first.len()];
        let mut of_sorted = Vec::with_capacity(n);
        let mut p = 0;
        for i in 0..n {
            if p + 1 < first.len() && first[p + 1] == i {
                p += 1;
            }
            counts[p] += 1.0;
            of_sorted.push(p as u32);
        }
        Some(Distinct {
            x: sorted.select(ndarray::Axis(0), &first),
            counts,
            first,
            of_sorted,
        })
    }
}

/// All fits: one per k and model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mixtures {
    pub n: usize,
    pub fits: Vec<MixtureFit>,
}

impl Mixtures {
    /// The estimable fit with the largest BIC (the earlier row on a tie), optionally among fits
    /// with `k` components only.
    pub fn best(&self, k: Option<usize>) -> Option<&MixtureFit> {
        self.fits
            .iter()
            .filter(|f| f.estimate.is_some() && k.is_none_or(|k| f.k == k))
            .fold(None, |best: Option<&MixtureFit>, f| match best {
                Some(b) if bic(b) >= bic(f) => Some(b),
                _ => Some(f),
            })
    }
}

fn bic(f: &MixtureFit) -> f64 {
    f.estimate.as_ref().map_or(f64::NEG_INFINITY, |e| e.bic)
}

/// Fits every model of `options` for k = k_min..=k_max to the rows of `x` (already scaled as the
/// clustering is). Fits run in parallel; the result does not depend on the thread count.
pub fn fit_mixtures(x: &Array2<f64>, options: &MixtureOptions) -> Result<Mixtures, ClusterError> {
    let (n, _) = x.dim();
    options.check(n)?;
    if let Some(((i, j), v)) = x.indexed_iter().find(|(_, v)| !v.is_finite()) {
        return Err(ClusterError::Options(format!(
            "mixtures: row {}, column {} holds {v}; expected a finite number",
            i + 1,
            j + 1
        )));
    }
    // Fit on the rows sorted by their values, so that the starts, and with them the result, do
    // not depend on the order of the rows; then give the memberships back in the caller's order.
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| {
        x.row(a)
            .iter()
            .zip(x.row(b).iter())
            .map(|(p, q)| p.total_cmp(q))
            .find(|o| o.is_ne())
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    let sorted = x.select(ndarray::Axis(0), &order);
    // Ward's partition is one of the starts, unless the rows have more patterns than Ward takes
    let tree = match ward(&sorted) {
        Err(ClusterError::WardTooLarge { .. }) => None,
        tree => Some(tree?),
    };
    let distinct = Distinct::of_sorted(&sorted);
    let (data, weights) = match &distinct {
        Some(p) => (&p.x, Some(p.counts.as_slice())),
        None => (&sorted, None),
    };
    let starts: Vec<Vec<(Start, Vec<usize>)>> = (options.k_min..=options.k_max)
        .into_par_iter()
        .map(|k| {
            let ward_labels = match &tree {
                None => None,
                Some(tree) => {
                    let labels = tree.cut(k)?;
                    Some(match &distinct {
                        Some(p) => p.first.iter().map(|&r| labels[r]).collect(),
                        None => labels,
                    })
                }
            };
            starts(data, weights, ward_labels, k, options)
        })
        .collect::<Result<_, _>>()?;
    let jobs: Vec<(usize, CovarianceModel)> = (options.k_min..=options.k_max)
        .flat_map(|k| options.models.iter().map(move |&m| (k, m)))
        .collect();
    let rows = Rows::new(data, weights);
    progress::start(progress::Task::Mixtures, jobs.len() as u64);
    let mut fits: Vec<MixtureFit> = jobs
        .par_iter()
        .map(|&(k, m)| {
            let fit = fit_rows(&rows, k, m, &starts[k - options.k_min], options);
            progress::advance(1);
            fit
        })
        .collect();
    let mut position = vec![0; n];
    for (sorted_row, &row) in order.iter().enumerate() {
        position[row] = sorted_row;
    }
    match distinct {
        None => {
            for e in fits.iter_mut().filter_map(|f| f.estimate.as_mut()) {
                e.z = position.iter().map(|&p| e.z[p].clone()).collect();
                e.labels = position.iter().map(|&p| e.labels[p]).collect();
            }
        }
        Some(p) => {
            let of_row: Vec<u32> = position.iter().map(|&s| p.of_sorted[s]).collect();
            let of_row = std::sync::Arc::new(of_row);
            for e in fits.iter_mut().filter_map(|f| f.estimate.as_mut()) {
                e.rows = Some(of_row.clone());
            }
        }
    }
    Ok(Mixtures { n, fits })
}

/// How a mixture's partition (most probable components) agrees with another partition.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Agreement {
    pub k: usize,
    pub model: CovarianceModel,
    pub ari: f64,
    /// `crosstab[i][j]`: rows in group i of the other partition and mixture component j.
    pub crosstab: Vec<Vec<usize>>,
}

/// Agreement of `fit` with `labels` (for example the k-means types).
pub fn agreement(fit: &MixtureFit, labels: &[usize]) -> Option<Agreement> {
    let e = fit.estimate.as_ref()?;
    let own = e.row_labels();
    Some(Agreement {
        k: fit.k,
        model: fit.model,
        ari: adjusted_rand_index(labels, &own),
        crosstab: crosstab(labels, &own),
    })
}

/// Each clustered row's posterior probability of the mixture component that matches its type:
/// the best mixture by BIC with as many components as there are types (every covariance model
/// of `options`), its components paired one to one with the types so that the most rows fall in
/// a pair (Hungarian method on the types × components cross-tab).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Posterior {
    pub model: CovarianceModel,
    pub bic: f64,
    /// `component[t]`: the component paired with type t.
    pub component: Vec<usize>,
    /// Agreement of the mixture's most probable components with the types.
    pub ari: f64,
    /// One per clustered row, in the typology's order.
    pub share: Vec<f64>,
}

/// The posterior of each row's own type (`labels[i]` in 0..k) under the best mixture with k
/// components fitted to `x` (see [`Posterior`]); `None` when no model is estimable with k.
pub fn posterior_of_types(
    x: &Array2<f64>,
    labels: &[usize],
    k: usize,
    options: &MixtureOptions,
) -> Result<Option<Posterior>, ClusterError> {
    let options = MixtureOptions {
        k_min: k,
        k_max: k,
        ..options.clone()
    };
    let mixtures = fit_mixtures(x, &options)?;
    let Some(fit) = mixtures.best(Some(k)) else {
        return Ok(None);
    };
    let (Some(e), Some(a)) = (fit.estimate.as_ref(), agreement(fit, labels)) else {
        return Ok(None);
    };
    // types × components, k × k even where a type or component has no rows
    let mut counts = pathfinding::matrix::Matrix::new(k, k, 0i64);
    for (&t, c) in labels.iter().zip(e.row_labels()) {
        if t < k && c < k {
            counts[(t, c)] += 1;
        }
    }
    let component = pathfinding::kuhn_munkres::kuhn_munkres(&counts).1;
    let share = labels
        .iter()
        .enumerate()
        .map(|(i, &t)| e.membership(i)[component[t]])
        .collect();
    Ok(Some(Posterior {
        model: fit.model,
        bic: e.bic,
        component,
        ari: a.ari,
        share,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rand::{Rng, SeedableRng};
    use rand_xoshiro::Xoshiro256PlusPlus;

    /// Three groups in three dimensions, with noise.
    fn blobs(n: usize, seed: u64) -> Array2<f64> {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        Array2::from_shape_fn((n, 3), |(i, j)| {
            let centre = [[0.0, 0.0, 0.0], [4.0, 0.0, 1.0], [0.0, 5.0, -2.0]][i % 3][j];
            centre + rng.gen_range(-1.0..1.0) + rng.gen_range(-1.0..1.0)
        })
    }

    fn small_options() -> MixtureOptions {
        MixtureOptions {
            k_min: 1,
            k_max: 3,
            kmeans_starts: 2,
            ..MixtureOptions::default()
        }
    }

    /// EM on the distinct rows with their counts climbs as EM on all rows does: from the same
    /// start the same likelihood and parameters (to rounding), for every model.
    #[test]
    fn em_on_distinct_rows_is_em_on_the_rows() {
        let rows = blobs(3_000, 4).mapv(f64::round);
        let mut order: Vec<usize> = (0..rows.nrows()).collect();
        order.sort_by(|&a, &b| {
            rows.row(a)
                .iter()
                .zip(rows.row(b).iter())
                .map(|(p, q)| p.total_cmp(q))
                .find(|o| o.is_ne())
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        let sorted = rows.select(ndarray::Axis(0), &order);
        let same = |a: usize, b: usize| sorted.row(a) == sorted.row(b);
        let first: Vec<usize> = (0..sorted.nrows())
            .filter(|&i| i == 0 || !same(i - 1, i))
            .collect();
        let mut counts = vec![0.0; first.len()];
        let mut of_row = Vec::new();
        for i in 0..sorted.nrows() {
            let p = first.iter().rposition(|&f| f <= i).unwrap();
            counts[p] += 1.0;
            of_row.push(p);
        }
        assert!(first.len() * 4 < sorted.nrows(), "the rows repeat");
        let distinct = Rows::new(&sorted.select(ndarray::Axis(0), &first), Some(&counts));
        let all = Rows::new(&sorted, None);
        let start: Vec<usize> = (0..first.len()).map(|p| p % 3).collect();
        let start_rows: Vec<usize> = of_row.iter().map(|&p| start[p]).collect();
        for model in CovarianceModel::ALL {
            let o = MixtureOptions::default();
            let a = em(&distinct, &start, 3, model, &o).unwrap();
            let b = em(&all, &start_rows, 3, model, &o).unwrap();
            assert!(
                relative(a.loglik, b.loglik) < 1e-9,
                "{model:?}: {} {}",
                a.loglik,
                b.loglik
            );
            for (ma, mb) in a.params.means.iter().zip(&b.params.means) {
                for (x, y) in ma.iter().zip(mb) {
                    assert!((x - y).abs() < 1e-9, "{model:?}");
                }
            }
            let (fa, fb) = (
                finish(&distinct, 3, model, a, Start::Ward),
                finish(&all, 3, model, b, Start::Ward),
            );
            assert!(relative(fa.bic, fb.bic) < 1e-9 && relative(fa.icl, fb.icl) < 1e-9);
            assert!((fa.entropy - fb.entropy).abs() < 1e-6 * fb.entropy.abs().max(1.0));
        }
    }

    fn relative(a: f64, b: f64) -> f64 {
        (a - b).abs() / b.abs().max(1e-300)
    }

    /// With one component every model's likelihood has a closed form: the Gaussian with the
    /// sample mean and the maximum-likelihood covariance of its structure.
    #[test]
    fn one_component_likelihoods_have_their_closed_form() {
        let x = blobs(60, 1);
        let (n, d) = x.dim();
        let m = fit_mixtures(&x, &small_options()).unwrap();
        let mean: Vec<f64> = (0..d).map(|j| x.column(j).sum() / n as f64).collect();
        let cov = |a: usize, b: usize| {
            (0..n)
                .map(|i| (x[[i, a]] - mean[a]) * (x[[i, b]] - mean[b]))
                .sum::<f64>()
                / n as f64
        };
        let ln2pi = (2.0 * std::f64::consts::PI).ln();
        let (nf, df) = (n as f64, d as f64);
        // spherical: sigma² = tr(S)/d; diagonal: S's diagonal; full: |S| by cofactors (3 x 3)
        let trace: f64 = (0..d).map(|j| cov(j, j)).sum();
        let spherical = -nf / 2.0 * (df * ln2pi + df * (trace / df).ln() + df);
        let diagonal = -nf / 2.0 * (df * ln2pi + (0..d).map(|j| cov(j, j).ln()).sum::<f64>() + df);
        let det = cov(0, 0) * (cov(1, 1) * cov(2, 2) - cov(1, 2) * cov(2, 1))
            - cov(0, 1) * (cov(1, 0) * cov(2, 2) - cov(1, 2) * cov(2, 0))
            + cov(0, 2) * (cov(1, 0) * cov(2, 1) - cov(1, 1) * cov(2, 0));
        let full = -nf / 2.0 * (df * ln2pi + det.ln() + df);
        for f in m.fits.iter().filter(|f| f.k == 1) {
            let expected = match f.model {
                CovarianceModel::EII | CovarianceModel::VII => spherical,
                CovarianceModel::EEI | CovarianceModel::VVI => diagonal,
                CovarianceModel::EEE | CovarianceModel::VVV => full,
            };
            let e = f.estimate.as_ref().unwrap();
            assert!(
                (e.loglik - expected).abs() < 1e-9 * expected.abs(),
                "{:?}",
                f.model
            );
            assert_eq!(f.n_params, f.model.free_params(1, 3));
        }
    }

    /// The E-step's blocks (four rows, four components; here a partial last block and a group
    /// of one component) give each log-density the bits of the distance summed row by row,
    /// coordinate after coordinate, for every kind of covariance.
    #[test]
    fn blocked_e_step_has_the_bits_of_the_row_by_row_formula() {
        let x = blobs(50, 4);
        let rows = Rows::new(&x, None);
        let (n, d, k) = (rows.n, rows.d, 5);
        let t = d * (d + 1) / 2;
        let mut hard = vec![0.0; n * k];
        (0..n).for_each(|i| hard[i * k + i % k] = 1.0);
        for model in CovarianceModel::ALL {
            let p = m_step(&rows, &hard, k, model, 1e-8).expect("estimable");
            let log_weight: Vec<f64> = (0..k).map(|c| -(c as f64) / 3.0).collect();
            let mut z = vec![f64::NAN; n * k];
            for first in (0..k).step_by(GROUP) {
                log_densities(&rows, &Forms::new(&p, first, d), first, &log_weight, &mut z);
            }
            for i in 0..n {
                let row = &rows.data[i * d..(i + 1) * d];
                for c in 0..k {
                    let mu = &p.means[c];
                    let mut dist = 0.0;
                    match &p.covs[c] {
                        Cov::Spherical(v) => {
                            (0..d).for_each(|j| dist += (row[j] - mu[j]) * (row[j] - mu[j]));
                            dist *= 1.0 / v;
                        }
                        Cov::Diagonal(v) => (0..d).for_each(|j| {
                            dist += (row[j] - mu[j]) * (row[j] - mu[j]) * (1.0 / v[j])
                        }),
                        Cov::Full(l) => {
                            let q = Quadratic::new(l, mu);
                            let (mut quad, mut lin) = (0.0, 0.0);
                            (0..t).for_each(|a| quad += q.q[a] * rows.products[i * t + a]);
                            (0..d).for_each(|j| lin += q.linear[j] * row[j]);
                            dist = (quad - 2.0 * lin + q.constant).max(0.0);
                        }
                    }
                    let expected = log_weight[c] - 0.5 * dist;
                    assert_eq!(
                        z[i * k + c].to_bits(),
                        expected.to_bits(),
                        "{model:?} {i} {c}"
                    );
                }
            }
        }
    }

    /// The M-step's weighted sums, four rows per pass, have the bits of adding the rows one
    /// after another (6 rows: one pass and two rows left; zero weights included).
    #[test]
    fn weighted_sums_have_the_bits_of_adding_row_by_row() {
        let (n, width, k) = (6, 5, 3);
        let values: Vec<f64> = (0..n * width).map(|i| (i as f64 * 0.37).sin()).collect();
        let z: Vec<f64> = (0..n * k)
            .map(|i| {
                if i % 4 == 0 {
                    0.0
                } else {
                    (i as f64).cos().abs()
                }
            })
            .collect();
        let mut acc = vec![0.0; k * width];
        accumulate(&mut acc, &z, &values, width, k);
        for c in 0..k {
            for e in 0..width {
                let mut s = 0.0;
                (0..n).for_each(|i| s += z[i * k + c] * values[i * width + e]);
                assert_eq!(acc[c * width + e].to_bits(), s.to_bits(), "{c} {e}");
            }
        }
    }

    /// mclust's parameter counts (nMclustParams) for d = 11, k = 4, checked in R.
    #[test]
    fn parameter_counts_are_mclusts() {
        let counts: Vec<usize> = CovarianceModel::ALL
            .iter()
            .map(|m| m.free_params(4, 11))
            .collect();
        assert_eq!(counts, [48, 51, 58, 91, 113, 311]);
        assert_eq!(CovarianceModel::parse("VVI").unwrap(), CovarianceModel::VVI);
        assert!(CovarianceModel::parse("VEV").is_err());
    }

    /// Two identical columns make every full covariance singular (spherical and diagonal ones
    /// stay regular): those models are reported as not estimable, never as numbers.
    #[test]
    fn singular_covariances_are_not_estimable() {
        let mut x = blobs(45, 2);
        let first = x.column(0).to_owned();
        x.column_mut(1).assign(&first);
        let m = fit_mixtures(&x, &small_options()).unwrap();
        for f in &m.fits {
            let full = matches!(f.model, CovarianceModel::EEE | CovarianceModel::VVV);
            assert_eq!(f.estimate.is_none(), full, "k {} {:?}", f.k, f.model);
        }
    }

    /// Each fit's numbers as `bic.csv` shows them (six decimals), to compare two runs.
    fn bic_rows(m: &Mixtures) -> Vec<String> {
        m.fits
            .iter()
            .map(|f| match &f.estimate {
                Some(e) => format!(
                    "{} {:?} {} {:.6} {:.6} {:.6} {:.6} {:.6} {} {} {:?}",
                    f.k,
                    f.model,
                    f.n_params,
                    e.loglik,
                    e.bic,
                    e.icl,
                    e.entropy,
                    e.min_share(),
                    e.iterations,
                    e.converged,
                    e.start
                ),
                None => format!("{} {:?} not estimable", f.k, f.model),
            })
            .collect()
    }

    #[test]
    fn bad_options_and_data_are_errors() {
        let x = blobs(10, 3);
        let too_many = MixtureOptions {
            k_max: 10,
            ..small_options()
        };
        assert!(fit_mixtures(&x, &too_many).is_err());
        let mut y = x.clone();
        y[[3, 1]] = f64::INFINITY;
        assert!(fit_mixtures(&y, &small_options())
            .unwrap_err()
            .to_string()
            .contains("row 4, column 2"));
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

        /// Shuffling the rows changes neither the BIC table nor anyone's memberships, and EM
        /// never lowers the likelihood; memberships are probabilities.
        #[test]
        fn row_order_does_not_matter_and_em_climbs(
            seed in 0u64..1000,
            shuffle in Just((0..48usize).collect::<Vec<_>>()).prop_shuffle(),
        ) {
            let x = blobs(48, seed);
            let shuffled = x.select(ndarray::Axis(0), &shuffle);
            let (a, b) = (
                fit_mixtures(&x, &small_options()).unwrap(),
                fit_mixtures(&shuffled, &small_options()).unwrap(),
            );
            prop_assert_eq!(bic_rows(&a), bic_rows(&b));
            for (fa, fb) in a.fits.iter().zip(&b.fits) {
                let (Some(ea), Some(eb)) = (&fa.estimate, &fb.estimate) else { continue };
                for (new, &old) in shuffle.iter().enumerate() {
                    prop_assert_eq!(&eb.z[new], &ea.z[old]);
                }
                for w in ea.trace.windows(2) {
                    prop_assert!(w[1] >= w[0] - 1e-9 * w[0].abs());
                }
                for z in &ea.z {
                    prop_assert!((z.iter().sum::<f64>() - 1.0).abs() < 1e-12);
                }
            }
        }
    }
}
