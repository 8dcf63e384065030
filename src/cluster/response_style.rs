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

use super::engine::{fit as kmeans, fit_weighted};
use super::error::ClusterError;
use super::hierarchy::crosstab;
use super::kmeans::{Engine, KMeansSettings};
use super::matrix::{ScaleKind, Scaler};
use super::naming::TypeName;
use super::patterns::fit_patterns;
use super::stability::adjusted_rand_index;
use super::typology::Typology;
use crate::progress;

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
    /// The type's name (`None` from [`response_style_of`], which knows no names).
    pub name: Option<TypeName>,
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
        level.name = Some(result.name.name.clone());
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
    progress::start(progress::Task::ResponseStyle, 0);
    // equal ratings are neighbours in the typology's canonical order: from 20,000 rows k-means
    // runs on the distinct rows (the reference engine on the rows as given)
    let partition = match settings.engine {
        Engine::Fast => fit_patterns(&scaled, None, |x, w| fit_weighted(x, w, settings))?,
        Engine::Linfa => kmeans(&scaled, settings)?,
    };

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
                name: None,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::kmeans::Algorithm;
    use crate::cluster::Engine;
    use rand::{Rng, SeedableRng};
    use rand_xoshiro::Xoshiro256PlusPlus;

    /// Four planted types on six goals: three with their own pattern at the middle level, and a
    /// fourth with the first type's pattern one and a half points higher, so that it differs from
    /// the first only in its level.
    fn planted(seed: u64) -> (Array2<f64>, Vec<usize>) {
        let patterns = [
            [4.0, 4.0, 2.0, 2.0, 2.0, 2.0],
            [2.0, 2.0, 4.0, 4.0, 2.0, 2.0],
            [2.0, 2.0, 2.0, 2.0, 4.0, 4.0],
            [5.5, 5.5, 3.5, 3.5, 3.5, 3.5],
        ];
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        let types: Vec<usize> = (0..200).map(|i| i % 4).collect();
        let x = Array2::from_shape_fn((200, 6), |(i, j)| {
            patterns[types[i]][j] + rng.gen_range(-0.6..0.6)
        });
        (x, types)
    }

    fn settings(seed: u64) -> KMeansSettings {
        KMeansSettings {
            engine: Engine::Fast,
            algorithm: Algorithm::Lloyd,
            k: 4,
            seed,
            n_init: 10,
            max_iter: 300,
            tolerance: 1e-6,
        }
    }

    #[test]
    fn a_type_that_differs_only_in_level_is_the_level_dependent_one() {
        for seed in 0..5 {
            let (x, types) = planted(seed);
            for by_spread in [false, true] {
                let r = response_style_of(
                    &x,
                    &types,
                    4,
                    ScaleKind::None,
                    &settings(seed),
                    &ResponseStyleOptions { by_spread },
                )
                .unwrap();
                // the pattern types 1 and 2 keep (nearly) everyone; types 0 and 3 share one
                // centred pattern, so one of them loses most of its members
                assert!(r.types[1].kept_share > 0.9 && r.types[2].kept_share > 0.9);
                assert!([0, 3].contains(&r.most_level_dependent), "{r:?}");
                assert!(r.types[r.most_level_dependent].kept_share < 0.75, "{r:?}");
                assert!(r.types[3].level_difference > 1.0 && r.types[0].level_difference < 0.0);
                assert_eq!(r.crosstab.iter().flatten().sum::<usize>(), 200);
                assert_eq!(r.kept, (0..4).map(|t| r.crosstab[t][t]).sum::<usize>());
                assert_eq!(r.constant_rows, 0);
            }
        }
    }

    #[test]
    fn centring_removes_each_rows_level_and_spread() {
        let x = ndarray::array![[1.0, 2.0, 3.0], [4.0, 4.0, 4.0], [5.0, 1.0, 3.0]];
        let (c, constant) = centre_rows(&x, false);
        assert_eq!(constant, 1);
        assert_eq!(c.row(0).to_vec(), [-1.0, 0.0, 1.0]);
        assert_eq!(c.row(1).to_vec(), [0.0, 0.0, 0.0]);
        let (s, _) = centre_rows(&x, true);
        for row in s.rows() {
            let sum_sq: f64 = row.iter().map(|v| v * v).sum();
            assert!(sum_sq == 0.0 || (sum_sq / 3.0 - 1.0).abs() < 1e-12);
        }
    }

    #[test]
    fn mismatched_types_are_an_error() {
        let (x, mut types) = planted(0);
        types[5] = 4;
        let options = ResponseStyleOptions::default();
        assert!(response_style_of(&x, &types, 4, ScaleKind::None, &settings(0), &options).is_err());
    }
}
