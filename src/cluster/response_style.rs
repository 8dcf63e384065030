//! Whether a type is a response style: on rating scales some municipalities rate every goal high
//! and others every goal low, and a k-means type may only collect one such level. This module
//! re-runs the clustering on each municipality's ratings centred on its own mean (optionally also
//! divided by its own spread), matches the new clusters to the types (largest total overlap,
//! Hungarian method), and reports how many municipalities keep their type, each type's mean rating
//! level, and which type depends most on the level (the one that keeps the smallest share of its
//! members once the level is removed).

use ndarray::Array2;
use pathfinding::kuhn_munkres::kuhn_munkres;
use pathfinding::matrix::Matrix as Weights;
use serde::Serialize;

use super::hierarchy::crosstab;
use super::{
    adjusted_rand_index, kmeans, ClusterError, KMeansSettings, ScaleKind, Scaler, Typology,
};

/// Options of the response-style check; the k-means settings are the typology's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ResponseStyleOptions {
    /// Also divide each municipality's centred ratings by their standard deviation (a
    /// municipality that gave every goal the same rating keeps its centred ratings, all zero).
    pub by_spread: bool,
}

/// One type under the check.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TypeLevel {
    pub id: String,
    pub name_de: String,
    pub name_en: String,
    pub n: usize,
    /// Mean over the type's members of their mean rating.
    pub mean_level: f64,
    /// `mean_level` minus the mean over all clustered rows, in standard deviations of the rows'
    /// mean ratings.
    pub level_difference: f64,
    /// Members that are in the new cluster matched to this type.
    pub kept: usize,
    pub kept_share: f64,
}

/// Result of the response-style check.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResponseStyle {
    pub by_spread: bool,
    pub n: usize,
    /// Rows with the same rating on every variable (their spread is zero).
    pub constant_rows: usize,
    /// Rows whose new cluster is the one matched to their type.
    pub kept: usize,
    pub kept_share: f64,
    /// Adjusted Rand index of the types and the new clusters.
    pub ari: f64,
    /// `crosstab[t][j]`: members of type t in the new cluster matched to type j.
    pub crosstab: Vec<Vec<usize>>,
    /// In the typology's order.
    pub types: Vec<TypeLevel>,
    /// Index of the type that keeps the smallest share of its members (on a tie, the one whose
    /// level differs most from the overall level).
    pub most_level_dependent: usize,
}

/// Each row minus its own mean (and divided by its own standard deviation when `by_spread` and
/// the row is not constant); the number of constant rows.
pub fn centre_rows(x: &Array2<f64>, by_spread: bool) -> (Array2<f64>, usize) {
    let mut out = x.clone();
    let mut constant = 0;
    for mut row in out.rows_mut() {
        let d = row.len().max(1) as f64;
        let mean = row.sum() / d;
        row.mapv_inplace(|v| v - mean);
        let sd = (row.iter().map(|v| v * v).sum::<f64>() / d).sqrt();
        if sd == 0.0 {
            constant += 1;
        } else if by_spread {
            row.mapv_inplace(|v| v / sd);
        }
    }
    (out, constant)
}

/// Runs the check on a fitted typology: its rows, types, scaling and k-means settings.
pub fn response_style(
    typology: &Typology,
    options: &ResponseStyleOptions,
) -> Result<ResponseStyle, ClusterError> {
    let types: Vec<usize> = typology.assignments.iter().map(|a| a.type_index).collect();
    let mut out = response_style_of(
        &typology.matrix.x,
        &types,
        typology.types.len(),
        typology.options.scale,
        &typology.options.settings(),
        options,
    )?;
    for (level, result) in out.types.iter_mut().zip(&typology.types) {
        level.id = result.name.id.clone();
        level.name_de = result.name.name_de.clone();
        level.name_en = result.name.name_en.clone();
    }
    Ok(out)
}

/// The check on rows `x` (in the answers' units) with types `types` (0..k): centre the rows,
/// scale as `scale`, k-means with `settings`. The types' identifiers and names are left empty.
pub fn response_style_of(
    x: &Array2<f64>,
    types: &[usize],
    k: usize,
    scale: ScaleKind,
    settings: &KMeansSettings,
    options: &ResponseStyleOptions,
) -> Result<ResponseStyle, ClusterError> {
    let (n, d) = x.dim();
    if types.len() != n || types.iter().any(|&t| t >= k) || settings.k != k {
        return Err(ClusterError::Options(format!(
            "response style: {} types in 0..{k} for {n} rows and k = {}",
            types.len(),
            settings.k
        )));
    }
    let (centred, constant_rows) = centre_rows(x, options.by_spread);
    let scaled = Scaler::fit(scale, &centred).transform(&centred);
    let partition = kmeans(&scaled, settings)?;

    // new cluster j matched to type match_of[j]: the largest total overlap
    let table = crosstab(types, &partition.labels);
    let overlap = |t: usize, j: usize| table.get(t).and_then(|r| r.get(j)).copied().unwrap_or(0);
    let weights = Weights::from_fn(k, k, |(t, j)| overlap(t, j) as i64);
    let (_, cluster_of_type) = kuhn_munkres(&weights);
    let crosstab: Vec<Vec<usize>> = (0..k)
        .map(|t| (0..k).map(|u| overlap(t, cluster_of_type[u])).collect())
        .collect();

    let level: Vec<f64> = x.rows().into_iter().map(|r| r.sum() / d as f64).collect();
    let overall = level.iter().sum::<f64>() / n as f64;
    let sd = (level.iter().map(|v| (v - overall).powi(2)).sum::<f64>() / n as f64).sqrt();
    let type_levels: Vec<TypeLevel> = (0..k)
        .map(|t| {
            let members: Vec<f64> = (0..n)
                .filter(|&i| types[i] == t)
                .map(|i| level[i])
                .collect();
            let mean_level = members.iter().sum::<f64>() / members.len().max(1) as f64;
            let kept = crosstab[t][t];
            TypeLevel {
                id: String::new(),
                name_de: String::new(),
                name_en: String::new(),
                n: members.len(),
                mean_level,
                level_difference: if sd > 0.0 {
                    (mean_level - overall) / sd
                } else {
                    0.0
                },
                kept,
                kept_share: kept as f64 / members.len().max(1) as f64,
            }
        })
        .collect();
    let most_level_dependent = (0..k)
        .min_by(|&a, &b| {
            let (ta, tb) = (&type_levels[a], &type_levels[b]);
            ta.kept_share.total_cmp(&tb.kept_share).then_with(|| {
                tb.level_difference
                    .abs()
                    .total_cmp(&ta.level_difference.abs())
            })
        })
        .unwrap_or(0);
    let kept = (0..k).map(|t| crosstab[t][t]).sum();
    Ok(ResponseStyle {
        by_spread: options.by_spread,
        n,
        constant_rows,
        kept,
        kept_share: kept as f64 / n.max(1) as f64,
        ari: adjusted_rand_index(types, &partition.labels),
        crosstab,
        types: type_levels,
        most_level_dependent,
    })
}
