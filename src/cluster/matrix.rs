//! The data matrix for clustering: the chosen variables of a survey, missing answers handled by a
//! stated policy, and scaling.

use std::borrow::Cow;

use ndarray::Array2;
use rayon::slice::ParallelSliceMut;
use serde::{Deserialize, Serialize};

use super::error::ClusterError;
use crate::survey::{CodeColumn, DecimalColumn, Kind, Role, Survey, Values};

/// What to do with municipalities that did not answer every clustering variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
#[serde(rename_all = "lowercase")]
pub enum MissingPolicy {
    /// Leave them out (complete cases only).
    #[cfg_attr(feature = "cli", value(help = None::<&str>))]
    Listwise,
    /// Replace a missing answer by the variable's mean over those who answered it.
    #[cfg_attr(feature = "cli", value(help = None::<&str>))]
    Mean,
}

impl MissingPolicy {
    pub fn as_str(self) -> &'static str {
        match self {
            MissingPolicy::Listwise => "listwise",
            MissingPolicy::Mean => "mean",
        }
    }
}

/// How variables are scaled before distances are taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
#[serde(rename_all = "lowercase")]
pub enum ScaleKind {
    /// As answered.
    #[cfg_attr(feature = "cli", value(help = None::<&str>))]
    None,
    /// Mean 0, standard deviation 1.
    #[cfg_attr(feature = "cli", value(help = None::<&str>))]
    Z,
    /// Minimum 0, maximum 1.
    #[cfg_attr(feature = "cli", value(help = None::<&str>))]
    Range,
}

impl ScaleKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ScaleKind::None => "none",
            ScaleKind::Z => "z",
            ScaleKind::Range => "range",
        }
    }
}

/// Scaling parameters: scaled = (value - center) / scale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scaler {
    pub kind: ScaleKind,
    pub center: Vec<f64>,
    pub scale: Vec<f64>,
}

impl Scaler {
    /// Fits the scaling on the rows of `x`.
    pub fn fit(kind: ScaleKind, x: &Array2<f64>) -> Scaler {
        let d = x.ncols();
        let n = x.nrows() as f64;
        let (center, scale) = match kind {
            ScaleKind::None => (vec![0.0; d], vec![1.0; d]),
            ScaleKind::Z => x
                .columns()
                .into_iter()
                .map(|c| {
                    let mean = c.sum() / n;
                    let sd = (c.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n).sqrt();
                    (mean, if sd > 0.0 { sd } else { 1.0 })
                })
                .unzip(),
            ScaleKind::Range => x
                .columns()
                .into_iter()
                .map(|c| {
                    let lo = c.iter().copied().fold(f64::INFINITY, f64::min);
                    let hi = c.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                    (lo, if hi > lo { hi - lo } else { 1.0 })
                })
                .unzip(),
        };
        Scaler {
            kind,
            center,
            scale,
        }
    }

    pub fn transform(&self, x: &Array2<f64>) -> Array2<f64> {
        let mut out = x.clone();
        for (j, mut col) in out.columns_mut().into_iter().enumerate() {
            col.mapv_inplace(|v| self.scale_value(j, v));
        }
        out
    }

    /// [`Scaler::transform`], or `x` itself when the scaling changes no value (centre +0 and scale
    /// 1 for every variable, as `--scale none` has): then a large matrix is not copied.
    pub fn transform_cow<'a>(&self, x: &'a Array2<f64>) -> Cow<'a, Array2<f64>> {
        // (v - 0.0) / 1.0 is v, bit for bit (a centre of -0.0 would turn -0.0 into +0.0)
        let identity =
            self.center.iter().all(|c| c.to_bits() == 0) && self.scale.iter().all(|s| *s == 1.0);
        if identity {
            Cow::Borrowed(x)
        } else {
            Cow::Owned(self.transform(x))
        }
    }

    /// One row scaled as [`Scaler::transform`] scales it (the same bits).
    pub fn transform_row(&self, row: ndarray::ArrayView1<f64>) -> ndarray::Array1<f64> {
        row.iter()
            .enumerate()
            .map(|(j, &v)| self.scale_value(j, v))
            .collect()
    }

    /// Value `v` of variable `j`, scaled.
    fn scale_value(&self, j: usize, v: f64) -> f64 {
        (v - self.center[j]) / self.scale[j]
    }

    /// Back to the answers' units.
    pub fn inverse(&self, x: &Array2<f64>) -> Array2<f64> {
        let mut out = x.clone();
        for (j, mut col) in out.columns_mut().into_iter().enumerate() {
            col.mapv_inplace(|v| v * self.scale[j] + self.center[j]);
        }
        out
    }
}

/// A municipality left out of the clustering, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Excluded {
    pub row: usize,
    pub id: String,
    pub reason: String,
}

/// The rows and variables that are clustered, in the answers' units.
#[derive(Debug, Clone, PartialEq)]
pub struct Matrix {
    pub variables: Vec<String>,
    /// Survey row of each matrix row (its identifier is the survey's: see [`Matrix::ids`]).
    pub rows: Vec<usize>,
    pub x: Array2<f64>,
    pub excluded: Vec<Excluded>,
    /// Means used for imputation (mean policy), per variable.
    pub imputed_means: Option<Vec<f64>>,
    /// Number of imputed cells (mean policy).
    pub imputed_cells: usize,
}

impl Matrix {
    /// The identifier of each matrix row, taken from `survey` (the survey the matrix was built
    /// from), not copied: a million identifiers are 60 MB.
    pub fn ids<'a>(&'a self, survey: &'a Survey) -> impl ExactSizeIterator<Item = &'a str> + 'a {
        let ids = survey.ids();
        self.rows.iter().map(move |&r| ids[r].as_str())
    }

    /// The same matrix with its rows in a canonical order (by their values, then identifier in
    /// `survey`, the survey the matrix was built from), so that every result computed from it is
    /// the same whatever the order of the survey's rows. The rows are moved in place: a million
    /// rows of eleven variables are 88 MB, which are not copied.
    pub fn into_canonical_order(mut self, survey: &Survey) -> Matrix {
        let ids = survey.ids();
        let mut order: Vec<usize> = (0..self.x.nrows()).collect();
        let (x, rows) = (&self.x, &self.rows);
        // the order is total (the position breaks a tie of equal identifiers), so an unstable
        // parallel sort is deterministic
        order.par_sort_unstable_by(|&a, &b| {
            x.row(a)
                .iter()
                .zip(x.row(b).iter())
                .map(|(p, q)| p.total_cmp(q))
                .find(|o| o.is_ne())
                .unwrap_or(std::cmp::Ordering::Equal)
                .then_with(|| ids[rows[a]].cmp(&ids[rows[b]]))
                .then_with(|| a.cmp(&b))
        });
        let width = self.x.ncols();
        if !self.x.is_standard_layout() {
            self.x = self.x.as_standard_layout().into_owned();
        }
        let cells = self
            .x
            .as_slice_mut()
            .expect("a matrix in standard layout is one slice");
        permute_chunks(cells, width, &order);
        permute_chunks(&mut self.rows, 1, &order);
        self
    }
}

/// Puts chunk `order[i]` of `data` (chunks of `width` items) at chunk `i`, in place: each cycle
/// of the permutation is followed once, with one chunk held aside.
fn permute_chunks<T: Copy>(data: &mut [T], width: usize, order: &[usize]) {
    if width == 0 {
        return;
    }
    debug_assert_eq!(data.len(), width * order.len());
    let mut done = vec![0u64; order.len().div_ceil(64)];
    let mut held = Vec::with_capacity(width);
    for start in 0..order.len() {
        if done[start / 64] & (1 << (start % 64)) != 0 {
            continue;
        }
        held.clear();
        held.extend_from_slice(&data[start * width..(start + 1) * width]);
        let mut at = start;
        loop {
            done[at / 64] |= 1 << (at % 64);
            let from = order[at];
            if from == start {
                data[at * width..(at + 1) * width].copy_from_slice(&held);
                break;
            }
            data.copy_within(from * width..(from + 1) * width, at * width);
            at = from;
        }
    }
}

/// The codebook's clustering variables, or `requested` after checking each names a numeric variable.
pub fn choose_variables(
    survey: &Survey,
    requested: Option<&[String]>,
) -> Result<Vec<String>, ClusterError> {
    let codebook = survey.codebook();
    let vars: Vec<String> = match requested {
        Some(list) if !list.is_empty() => list.to_vec(),
        _ => codebook
            .with_role(Role::Clustering)
            .map(|v| v.name.clone())
            .collect(),
    };
    if vars.is_empty() {
        return Err(ClusterError::Options(
            "the codebook names no clustering variables; choose some with --vars".into(),
        ));
    }
    for name in &vars {
        let Some(var) = codebook.variable(name) else {
            return Err(ClusterError::Options(format!(
                "--vars: '{name}' is not a codebook variable"
            )));
        };
        if var.kind.is_text() || var.kind == Kind::Categorical {
            return Err(ClusterError::Options(format!(
                "--vars: '{name}' is {} and cannot be clustered; expected ordinal, binary or numeric variables",
                var.kind.as_str()
            )));
        }
    }
    let mut seen = std::collections::HashSet::new();
    if let Some(dup) = vars.iter().find(|v| !seen.insert(v.as_str())) {
        return Err(ClusterError::Options(format!(
            "--vars: '{dup}' is named twice"
        )));
    }
    Ok(vars)
}

/// A numeric column of the survey, read in place.
enum Numeric<'a> {
    Codes(&'a CodeColumn),
    Decimal(&'a DecimalColumn),
}

impl Numeric<'_> {
    fn get(&self, row: usize) -> Option<f64> {
        match self {
            Numeric::Codes(c) => c.get(row).map(|v| v as f64),
            Numeric::Decimal(c) => c.get(row),
        }
    }
}

fn column_values<'a>(survey: &'a Survey, name: &str) -> Result<Numeric<'a>, ClusterError> {
    Ok(match survey.column(name)? {
        Values::Codes(v) => Numeric::Codes(v),
        Values::Decimal(v) => Numeric::Decimal(v),
        Values::Ids(_) => {
            return Err(ClusterError::Options(format!(
                "'{name}' holds text (the identifier or a text variable)"
            )))
        }
    })
}

/// Builds the matrix of `variables` with the missing-value policy.
pub fn build(
    survey: &Survey,
    variables: &[String],
    policy: MissingPolicy,
) -> Result<Matrix, ClusterError> {
    let columns = variables
        .iter()
        .map(|v| column_values(survey, v))
        .collect::<Result<Vec<_>, _>>()?;
    let n = survey.len();
    let ids = survey.ids();
    let mut rows = Vec::new();
    let mut excluded = Vec::new();
    let mut imputed_means = None;
    let mut imputed_cells = 0;
    match policy {
        MissingPolicy::Listwise => {
            for (row, id) in ids.iter().enumerate() {
                let missing: Vec<&str> = variables
                    .iter()
                    .zip(&columns)
                    .filter(|(_, c)| c.get(row).is_none())
                    .map(|(v, _)| v.as_str())
                    .collect();
                if missing.is_empty() {
                    rows.push(row);
                } else {
                    excluded.push(Excluded {
                        row,
                        id: id.clone(),
                        reason: format!("no answer on {}", missing.join(", ")),
                    });
                }
            }
        }
        MissingPolicy::Mean => {
            let means = variables
                .iter()
                .zip(&columns)
                .map(|(name, c)| {
                    let known: Vec<f64> = (0..n).filter_map(|row| c.get(row)).collect();
                    if known.is_empty() {
                        return Err(ClusterError::Options(format!(
                            "--missing mean: {name} has no answer in any of the {n} rows, so it has no mean to put in their place; expected at least one answer, or leave it out with --vars"
                        )));
                    }
                    Ok(known.iter().sum::<f64>() / known.len() as f64)
                })
                .collect::<Result<Vec<f64>, _>>()?;
            for (row, id) in ids.iter().enumerate() {
                if columns.iter().all(|c| c.get(row).is_none()) {
                    excluded.push(Excluded {
                        row,
                        id: id.clone(),
                        reason: "no answer on any clustering variable".into(),
                    });
                } else {
                    imputed_cells += columns.iter().filter(|c| c.get(row).is_none()).count();
                    rows.push(row);
                }
            }
            imputed_means = Some(means);
        }
    }
    let mut x = Array2::zeros((rows.len(), variables.len()));
    for (i, &row) in rows.iter().enumerate() {
        for (j, c) in columns.iter().enumerate() {
            x[[i, j]] = c
                .get(row)
                .unwrap_or_else(|| imputed_means.as_ref().map_or(f64::NAN, |m| m[j]));
        }
    }
    Ok(Matrix {
        variables: variables.to_vec(),
        rows,
        x,
        excluded,
        imputed_means,
        imputed_cells,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_permuted_in_place_are_the_rows_selected() {
        // a permutation of several cycles of different lengths, and fixed points
        let n = 300;
        let x = Array2::from_shape_fn((n, 3), |(i, j)| (i * 7 + j) as f64);
        let mut order: Vec<usize> = (0..n).collect();
        let mut state = 2020u64;
        for i in (1..n).rev() {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let j = (state >> 33) as usize % (i + 1);
            if j % 5 != 0 {
                order.swap(i, j);
            }
        }
        let mut moved = x.clone();
        permute_chunks(moved.as_slice_mut().unwrap(), 3, &order);
        assert_eq!(moved, x.select(ndarray::Axis(0), &order));
        let mut rows: Vec<usize> = (100..100 + n).collect();
        permute_chunks(&mut rows, 1, &order);
        assert_eq!(rows, order.iter().map(|&i| 100 + i).collect::<Vec<_>>());
    }
}
