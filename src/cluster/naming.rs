//! Naming clusters after the types of a types file (the four published types by default).
//!
//! Each cluster's profile is the standardised difference of its mean from the whole sample on
//! every clustering variable. A type defined by its signature (the published types) fits a
//! cluster as well as its signature variables stand out in that profile: the mean standardised
//! difference on the signature variables minus the mean on the others. A type defined by its
//! centroid (a types file drafted by `typfrage types` from a model) fits a cluster as well as the
//! cluster's mean lies near that centroid: minus the root mean squared difference, in the answers'
//! units, over the variables both have. Clusters and types are matched one to one by the
//! assignment with the highest total fit (Hungarian method). Names depend only on the profiles and
//! means, so they do not change with the seed, the row order or the order in which k-means
//! numbered the clusters. A cluster no type is given to is numbered ([`TypeName::Numbered`]) and
//! described by its most characteristic variables ([`characteristic`]). The type definitions are
//! read here; a type's id names files, so it must be a slug ([`crate::output::check_slug`]).

use std::collections::BTreeMap;
use std::path::Path;

use ndarray::Array2;
use pathfinding::kuhn_munkres::kuhn_munkres;
use pathfinding::matrix::Matrix;
use serde::Deserialize;

use super::error::ClusterError;

/// The types that ship with `typfrage`.
pub const DEFAULT_TYPES: &str = include_str!("../../data/types.toml");

/// A type of a types file: a published type and its signature variables, or a type drafted from a
/// model and its centroid.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
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
    /// The variables that stand out in the type's profile (a published type's).
    #[serde(default)]
    pub signature: Vec<String>,
    /// The type's mean answer per variable (a type drafted from a model).
    #[serde(default)]
    pub centroid: Option<BTreeMap<String, f64>>,
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
        match (&t.centroid, t.signature.is_empty()) {
            (Some(_), false) | (None, true) => {
                return Err(ClusterError::Types(format!(
                    "{origin}: [[type]] number {}, id '{}': expected either signature (the variables that stand out) or centroid (the mean answers), exactly one of them",
                    i + 1,
                    t.id
                )))
            }
            (Some(c), true) if c.values().any(|v| !v.is_finite()) || c.is_empty() => {
                return Err(ClusterError::Types(format!(
                    "{origin}: [[type]] number {}, id '{}': centroid has no values or one that is not a finite number",
                    i + 1,
                    t.id
                )))
            }
            _ => {}
        }
        if t.centroid.is_some() != file.types[0].centroid.is_some() {
            return Err(ClusterError::Types(format!(
                "{origin}: [[type]] number {}, id '{}': some types are defined by a signature and others by a centroid; expected one kind for all types",
                i + 1,
                t.id
            )));
        }
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

/// What a type is called: the names the type definitions give it, or the number of a cluster no
/// type was given to ("Typ 3" / "Type 3", worded by `show::views::typology`).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub enum TypeName {
    /// A defined type's names from the type definitions: German, English.
    Published { de: String, en: String },
    /// Type number `n`: the named types count first, the others follow by size.
    Numbered(usize),
}

/// The standardised difference at which a variable counts as characteristic of a type.
pub const CHARACTERISTIC_MIN: f64 = 0.5;

/// The most characteristic variables of a type's standardised `profile`: at most three above
/// [`CHARACTERISTIC_MIN`] (highest first) and at most three below minus it (lowest first), as
/// indices into the variables; ties keep the variables' order.
pub fn characteristic(profile: &[f64]) -> (Vec<usize>, Vec<usize>) {
    let pick = |sign: f64| {
        let mut v: Vec<usize> = (0..profile.len())
            .filter(|&j| sign * profile[j] >= CHARACTERISTIC_MIN)
            .collect();
        v.sort_by(|&a, &b| (sign * profile[b]).total_cmp(&(sign * profile[a])));
        v.truncate(3);
        v
    };
    (pick(1.0), pick(-1.0))
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
/// whose signature or centroid variables is among the variables. `means`: the clusters' means in
/// the answers' units.
fn fits(
    profiles: &Array2<f64>,
    means: &Array2<f64>,
    variables: &[String],
    types: &[TypeDef],
) -> Vec<Vec<Option<f64>>> {
    profiles
        .rows()
        .into_iter()
        .zip(means.rows())
        .map(|(p, m)| {
            types
                .iter()
                .map(|t| {
                    if let Some(c) = &t.centroid {
                        return centroid_fit(c, m, variables);
                    }
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

/// Minus the root mean squared difference between a cluster's `mean` and a type's `centroid` over
/// the variables both have; `None` when they share none.
fn centroid_fit(
    centroid: &BTreeMap<String, f64>,
    mean: ndarray::ArrayView1<f64>,
    variables: &[String],
) -> Option<f64> {
    let (sum, n) = variables
        .iter()
        .zip(mean.iter())
        .filter_map(|(v, m)| centroid.get(v).map(|c| (c - m).powi(2)))
        .fold((0.0, 0usize), |(s, n), d| (s + d, n + 1));
    (n > 0).then(|| -(sum / n as f64).sqrt())
}

/// Names the clusters: an optimal one-to-one match of clusters and types; clusters beyond the
/// types (or when no type has a variable among `variables`) are left for numbering
/// ([`TypeName::Numbered`], `margin` and `fit` `None`). `means`: the clusters' means in the
/// answers' units (rows as in `profiles`).
pub fn name_clusters(
    profiles: &Array2<f64>,
    means: &Array2<f64>,
    variables: &[String],
    types: &[TypeDef],
) -> Vec<Named> {
    let k = profiles.nrows();
    let fit = fits(profiles, means, variables, types);
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
            // numbered in output order (`typology`), where the sizes are known
            None => Named {
                id: String::new(),
                name: TypeName::Numbered(0),
                margin: None,
                fit: None,
            },
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
            let named = name_clusters(&p, &p, &vars, &ts);
            for (c, &t) in order.iter().enumerate() {
                assert_eq!(named[c].id, ts[t].id);
                assert!(named[c].margin.unwrap() > 0.5);
            }
        }
    }

    #[test]
    fn types_drafted_with_centroids_name_the_nearest_cluster_in_any_order() {
        let vars: Vec<String> = ["a", "b"].map(String::from).to_vec();
        let centroid =
            |a: f64, b: f64| Some(BTreeMap::from([("a".to_string(), a), ("b".to_string(), b)]));
        let def = |id: &str, c| TypeDef {
            id: id.into(),
            name_de: id.into(),
            name_en: id.into(),
            motto: None,
            motto_en: None,
            motto_quoted: false,
            signature: Vec::new(),
            centroid: c,
        };
        let ts = vec![
            def("low", centroid(1.0, 1.0)),
            def("high", centroid(5.0, 4.0)),
        ];
        // the clusters' means, in either order; profiles do not matter for centroid types
        for (means, ids) in [
            (vec![1.2, 0.9, 4.8, 4.1], ["low", "high"]),
            (vec![4.8, 4.1, 1.2, 0.9], ["high", "low"]),
        ] {
            let m = Array2::from_shape_vec((2, 2), means).unwrap();
            let named = name_clusters(&Array2::zeros((2, 2)), &m, &vars, &ts);
            assert_eq!([named[0].id.as_str(), named[1].id.as_str()], ids);
            assert!(named.iter().all(|n| n.margin.unwrap() > 3.0));
        }
    }

    #[test]
    fn a_types_file_mixing_signatures_and_centroids_is_refused() {
        let text = "[[type]]\nid = \"a\"\nname_de = \"A\"\nname_en = \"A\"\nsignature = [\"x\"]\n\n[[type]]\nid = \"b\"\nname_de = \"B\"\nname_en = \"B\"\ncentroid = { x = 1.0 }\n";
        let e = parse_types(text, "t.toml").unwrap_err().to_string();
        assert!(e.contains("expected one kind for all types"), "{e}");
        let neither = "[[type]]\nid = \"a\"\nname_de = \"A\"\nname_en = \"A\"\n";
        let e = parse_types(neither, "t.toml").unwrap_err().to_string();
        assert!(e.contains("exactly one of them"), "{e}");
    }

    #[test]
    fn the_characteristic_variables_are_the_most_extreme_beyond_half_a_deviation() {
        let (high, low) = characteristic(&[0.6, -0.2, 1.5, 0.49, -0.9, 0.7, 0.8, -0.5]);
        assert_eq!(high, vec![2, 6, 5]);
        assert_eq!(low, vec![4, 7]);
    }

    #[test]
    fn extra_clusters_get_neutral_names() {
        let vars = goals();
        let ts = types();
        let mut rows: Vec<f64> = ts.iter().flat_map(|t| profile_of(t, &vars)).collect();
        rows.extend(vec![0.0; vars.len()]);
        let p = Array2::from_shape_vec((5, vars.len()), rows).unwrap();
        let named = name_clusters(&p, &p, &vars, &ts);
        assert_eq!(named[4].name, TypeName::Numbered(0));
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
