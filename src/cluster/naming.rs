//! Naming clusters after the four published types by their goal profiles.
//!
//! Each cluster's profile is the standardised difference of its mean from the whole sample on
//! every clustering variable. A type fits a cluster as well as its signature goals stand out in
//! that profile: the mean standardised difference on the signature goals minus the mean on the
//! other goals. Clusters and types are matched one to one by the assignment with the highest total
//! fit (Hungarian method). Names depend only on the profiles, so they do not change with the seed,
//! the row order or the order in which k-means numbered the clusters. The type definitions are
//! read here; a type's id names files, so it must be a slug ([`crate::output::check_slug`]).

use std::path::Path;

use ndarray::Array2;
use pathfinding::kuhn_munkres::kuhn_munkres;
use pathfinding::matrix::Matrix;
use serde::Deserialize;

use super::error::ClusterError;

/// The types that ship with `typfrage`.
pub const DEFAULT_TYPES: &str = include_str!("../../data/types.toml");

/// A published type and its signature goals.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct TypeDef {
    pub id: String,
    pub name_de: String,
    pub name_en: String,
    /// The type's motto in German, and in English.
    pub motto: Option<String>,
    #[serde(default)]
    pub motto_en: Option<String>,
    /// The motto is quoted from the study (the English one is then a translation of it); otherwise
    /// it sums up the study's description of the type in a line.
    #[serde(default)]
    pub motto_quoted: bool,
    pub signature: Vec<String>,
}

#[derive(Deserialize)]
struct TypesFile {
    #[serde(rename = "type")]
    types: Vec<TypeDef>,
}

/// Reads the type definitions (TOML); each id must be a slug ([`crate::output::check_slug`]),
/// as it names files, and defined once (also ignoring case, as file systems may).
pub fn parse_types(text: &str, origin: &str) -> Result<Vec<TypeDef>, ClusterError> {
    let file: TypesFile =
        toml::from_str(text).map_err(|e| ClusterError::Types(format!("{origin}: {e}")))?;
    if file.types.is_empty() {
        return Err(ClusterError::Types(format!(
            "{origin}: no [[type]] defined"
        )));
    }
    for (i, t) in file.types.iter().enumerate() {
        // the id names the type's files (profile-<id>.md, its chart) and columns
        crate::output::check_slug(&t.id).map_err(|e| {
            ClusterError::Types(format!("{origin}: [[type]] number {}, id: {e}", i + 1))
        })?;
        if file.types[..i].iter().any(|u| u.id == t.id) {
            return Err(ClusterError::Types(format!(
                "{origin}: [[type]] number {}, id: '{}' is defined twice; expected each id once",
                i + 1,
                t.id
            )));
        }
        if let Some(u) = file.types[..i]
            .iter()
            .find(|u| u.id.eq_ignore_ascii_case(&t.id))
        {
            return Err(ClusterError::Types(format!(
                "{origin}: [[type]] number {}, id: '{}' differs from the id '{}' only in case, and ids name files, which are one file on a case-insensitive file system (Windows, macOS); expected ids that differ in more than case",
                i + 1,
                t.id,
                u.id
            )));
        }
    }
    Ok(file.types)
}

pub fn builtin_types() -> Vec<TypeDef> {
    parse_types(DEFAULT_TYPES, "builtin types")
        .expect("the builtin types are checked by the test suite")
}

/// The largest type definitions file read (the four published types take 2 KB).
const MAX_TYPES_BYTES: u64 = 1 << 20;

pub fn types_from_path(path: &Path) -> Result<Vec<TypeDef>, ClusterError> {
    let text = crate::output::read_text_at_most(path, MAX_TYPES_BYTES)?;
    parse_types(&text, &path.display().to_string())
}

/// The name a cluster gets.
#[derive(Debug, Clone, PartialEq)]
pub struct Named {
    pub id: String,
    pub name: TypeName,
    /// Fit of the chosen type minus the fit of the best other type (standardised units);
    /// `None` for clusters without a published type.
    pub margin: Option<f64>,
    /// Fit of the chosen type.
    pub fit: Option<f64>,
}

/// What a type is called: a published type's names as the type definitions give them, or the
/// number of a group no published type was given to (worded by `show::views::typology`).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub enum TypeName {
    /// A published type's names from the type definitions: German, English.
    Published { de: String, en: String },
    /// Other group number `n` (the published types count first).
    Other(usize),
}

/// Standardised cluster profiles: (cluster mean - sample mean) / sample sd, per variable.
pub fn profiles(x: &Array2<f64>, labels: &[usize], k: usize) -> Array2<f64> {
    profiles_weighted(x, None, labels, k)
}

/// [`profiles`] with every row counting `weights[i]` times: weighted cluster means, against the
/// weighted mean and standard deviation of all rows (unweighted when `weights` is `None`).
pub fn profiles_weighted(
    x: &Array2<f64>,
    weights: Option<&[f64]>,
    labels: &[usize],
    k: usize,
) -> Array2<f64> {
    if let Some(w) = weights {
        return weighted_profiles(x, w, labels, k);
    }
    let n = x.nrows() as f64;
    let d = x.ncols();
    let mut out = Array2::zeros((k, d));
    let mut counts = vec![0usize; k];
    for &l in labels {
        counts[l] += 1;
    }
    for j in 0..d {
        let col = x.column(j);
        let mean = col.sum() / n;
        let sd = (col.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n).sqrt();
        let sd = if sd > 0.0 { sd } else { 1.0 };
        let mut sums = vec![0.0; k];
        for (v, &l) in col.iter().zip(labels) {
            sums[l] += v;
        }
        for c in 0..k {
            if counts[c] > 0 {
                out[[c, j]] = (sums[c] / counts[c] as f64 - mean) / sd;
            }
        }
    }
    out
}

/// The weighted mean Σ w v / `total` of a column and its weighted variance
/// Σ w (v - mean)² / `total` (`total`: the weights' sum).
pub(crate) fn weighted_mean_variance(
    col: ndarray::ArrayView1<f64>,
    w: &[f64],
    total: f64,
) -> (f64, f64) {
    let mean = col.iter().zip(w).map(|(v, wi)| wi * v).sum::<f64>() / total;
    let var = col
        .iter()
        .zip(w)
        .map(|(v, wi)| wi * (v - mean).powi(2))
        .sum::<f64>()
        / total;
    (mean, var)
}

fn weighted_profiles(x: &Array2<f64>, w: &[f64], labels: &[usize], k: usize) -> Array2<f64> {
    let d = x.ncols();
    let total: f64 = w.iter().sum();
    let mut out = Array2::zeros((k, d));
    let mut counts = vec![0.0f64; k];
    for (&l, &wi) in labels.iter().zip(w) {
        counts[l] += wi;
    }
    for j in 0..d {
        let col = x.column(j);
        let (mean, var) = weighted_mean_variance(col, w, total);
        let sd = if var > 0.0 { var.sqrt() } else { 1.0 };
        let mut sums = vec![0.0; k];
        for ((v, &l), wi) in col.iter().zip(labels).zip(w) {
            sums[l] += wi * v;
        }
        for c in 0..k {
            if counts[c] > 0.0 {
                out[[c, j]] = (sums[c] / counts[c] - mean) / sd;
            }
        }
    }
    out
}

/// Fit of every type to every cluster (rows: clusters, columns: types); `None` for a type none of
/// whose signature goals is among the variables.
fn fits(profiles: &Array2<f64>, variables: &[String], types: &[TypeDef]) -> Vec<Vec<Option<f64>>> {
    profiles
        .rows()
        .into_iter()
        .map(|p| {
            types
                .iter()
                .map(|t| {
                    let (mut sig, mut other) = (Vec::new(), Vec::new());
                    for (j, v) in variables.iter().enumerate() {
                        if t.signature.contains(v) {
                            sig.push(p[j]);
                        } else {
                            other.push(p[j]);
                        }
                    }
                    if sig.is_empty() {
                        return None;
                    }
                    let mean = |v: &[f64]| {
                        if v.is_empty() {
                            0.0
                        } else {
                            v.iter().sum::<f64>() / v.len() as f64
                        }
                    };
                    Some(mean(&sig) - mean(&other))
                })
                .collect()
        })
        .collect()
}

/// Names the clusters: an optimal one-to-one match of clusters and types; clusters beyond the
/// types (or types without signature variables) get neutral names "cluster_N".
pub fn name_clusters(
    profiles: &Array2<f64>,
    variables: &[String],
    types: &[TypeDef],
) -> Vec<Named> {
    let k = profiles.nrows();
    let fit = fits(profiles, variables, types);
    let usable: Vec<usize> = (0..types.len())
        .filter(|&t| fit.iter().any(|row| row[t].is_some()))
        .collect();
    let mut chosen: Vec<Option<usize>> = vec![None; k];
    if !usable.is_empty() {
        // integer weights for the Hungarian method: fit in millionths
        let weight = |c: usize, t: usize| (fit[c][t].unwrap_or(-100.0) * 1e6).round() as i64;
        if k <= usable.len() {
            let m = Matrix::from_rows(
                (0..k).map(|c| usable.iter().map(|&t| weight(c, t)).collect::<Vec<_>>()),
            )
            .expect("rectangular");
            let (_, assignment) = kuhn_munkres(&m);
            for (c, &ti) in assignment.iter().enumerate() {
                chosen[c] = Some(usable[ti]);
            }
        } else {
            let m = Matrix::from_rows(
                usable
                    .iter()
                    .map(|&t| (0..k).map(|c| weight(c, t)).collect::<Vec<_>>()),
            )
            .expect("rectangular");
            let (_, assignment) = kuhn_munkres(&m);
            for (ti, &c) in assignment.iter().enumerate() {
                chosen[c] = Some(usable[ti]);
            }
        }
    }
    let mut extra = 0;
    (0..k)
        .map(|c| match chosen[c] {
            Some(t) => {
                let own = fit[c][t].unwrap_or(f64::NAN);
                let best_other = (0..types.len())
                    .filter(|&u| u != t)
                    .filter_map(|u| fit[c][u])
                    .fold(f64::NEG_INFINITY, f64::max);
                Named {
                    id: types[t].id.clone(),
                    name: TypeName::Published {
                        de: types[t].name_de.clone(),
                        en: types[t].name_en.clone(),
                    },
                    margin: Some(if best_other.is_finite() {
                        own - best_other
                    } else {
                        f64::INFINITY
                    }),
                    fit: Some(own),
                }
            }
            None => {
                extra += 1;
                let n = types.len() + extra;
                Named {
                    id: format!("cluster_{n}"),
                    name: TypeName::Other(n),
                    margin: None,
                    fit: None,
                }
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn types() -> Vec<TypeDef> {
        builtin_types()
    }

    fn goals() -> Vec<String> {
        [
            "ziel_effizienz",
            "ziel_buergernaehe",
            "ziel_leistungsangebot",
            "ziel_attraktivitaet",
            "ziel_daseinsvorsorge",
            "ziel_gemeinschaft",
            "ziel_rechtliche_vorgaben",
            "ziel_foerdermittel",
            "ziel_it_sicherheit",
            "ziel_zufriedenheit",
            "ziel_offenheit",
        ]
        .map(String::from)
        .to_vec()
    }

    /// A profile that is high exactly on the signature goals of `t`.
    fn profile_of(t: &TypeDef, vars: &[String]) -> Vec<f64> {
        vars.iter()
            .map(|v| if t.signature.contains(v) { 1.0 } else { -0.3 })
            .collect()
    }

    #[test]
    fn clusters_get_the_type_whose_signature_they_show_in_any_order() {
        let vars = goals();
        let ts = types();
        for order in [[0, 1, 2, 3], [3, 1, 0, 2], [2, 3, 1, 0]] {
            let rows: Vec<f64> = order
                .iter()
                .flat_map(|&t| profile_of(&ts[t], &vars))
                .collect();
            let p = Array2::from_shape_vec((4, vars.len()), rows).unwrap();
            let named = name_clusters(&p, &vars, &ts);
            for (c, &t) in order.iter().enumerate() {
                assert_eq!(named[c].id, ts[t].id);
                assert!(named[c].margin.unwrap() > 0.5);
            }
        }
    }

    #[test]
    fn extra_clusters_get_neutral_names() {
        let vars = goals();
        let ts = types();
        let mut rows: Vec<f64> = ts.iter().flat_map(|t| profile_of(t, &vars)).collect();
        rows.extend(vec![0.0; vars.len()]);
        let p = Array2::from_shape_vec((5, vars.len()), rows).unwrap();
        let named = name_clusters(&p, &vars, &ts);
        assert_eq!(named[4].id, "cluster_5");
        assert_eq!(named[4].margin, None);
        let ids: Vec<&str> = named[..4].iter().map(|n| n.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "bedaechtige",
                "optimierer",
                "serviceorientierte",
                "community_manager"
            ]
        );
    }
}
