//! The data matrix for clustering: the chosen variables of a survey, missing answers handled by a
//! stated policy, and scaling.

use ndarray::Array2;
use rayon::slice::ParallelSliceMut;
use serde::{Deserialize, Serialize};

use super::error::ClusterError;
use crate::survey::{CodeColumn, DecimalColumn, Kind, Role, Survey, Values};

/// What to do with municipalities that did not answer every clustering variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MissingPolicy {
    /// Leave them out (complete cases only).
    Listwise,
    /// Replace a missing answer by the variable's mean over those who answered it.
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
#[serde(rename_all = "lowercase")]
pub enum ScaleKind {
    /// As answered.
    None,
    /// Mean 0, standard deviation 1.
    Z,
    /// Minimum 0, maximum 1.
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
    /// Survey row of each matrix row.
    pub rows: Vec<usize>,
    pub ids: Vec<String>,
    pub x: Array2<f64>,
    pub excluded: Vec<Excluded>,
    /// Means used for imputation (mean policy), per variable.
    pub imputed_means: Option<Vec<f64>>,
    /// Number of imputed cells (mean policy).
    pub imputed_cells: usize,
}

impl Matrix {
    /// The same matrix with its rows in a canonical order (by their values, then identifier), so
    /// that every result computed from it is the same whatever the order of the survey's rows.
    pub fn into_canonical_order(self) -> Matrix {
        let mut order: Vec<usize> = (0..self.x.nrows()).collect();
        // the order is total (the position breaks a tie of equal identifiers), so an unstable
        // parallel sort is deterministic
        order.par_sort_unstable_by(|&a, &b| {
            self.x
                .row(a)
                .iter()
                .zip(self.x.row(b).iter())
                .map(|(p, q)| p.total_cmp(q))
                .find(|o| o.is_ne())
                .unwrap_or(std::cmp::Ordering::Equal)
                .then_with(|| self.ids[a].cmp(&self.ids[b]))
                .then_with(|| a.cmp(&b))
        });
        let x = self.x.select(ndarray::Axis(0), &order);
        let mut ids = self.ids;
        Matrix {
            x,
            rows: order.iter().map(|&i| self.rows[i]).collect(),
            // moved, not copied: a million identifiers are 40 MB
            ids: order.iter().map(|&i| std::mem::take(&mut ids[i])).collect(),
            variables: self.variables,
            excluded: self.excluded,
            imputed_means: self.imputed_means,
            imputed_cells: self.imputed_cells,
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
        if var.kind == Kind::Identifier || var.kind == Kind::Categorical {
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
        Values::Ids(_) => return Err(ClusterError::Options(format!("'{name}' is the identifier"))),
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
                            "--missing mean: no municipality answered {name} ({n} rows, all without an answer), so it has no mean to put in their place; expected at least one answer, or leave it out with --vars"
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
        ids: rows.iter().map(|&r| ids[r].clone()).collect(),
        rows,
        x,
        excluded,
        imputed_means,
        imputed_cells,
    })
}
