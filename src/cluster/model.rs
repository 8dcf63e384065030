//! The saved model (JSON) and classifying municipalities of a new survey wave with it: the saved
//! scaling and centroids are applied, never re-fitted. The assignment rule: the type whose centroid
//! is nearest (Euclidean distance in the scaled space); on an exact tie, the type listed first in
//! the model. The model also records whether it was fitted on synthetic stand-in data and, for a
//! municipality's own feedback (`position`, `feedback`, `selfcheck`), the survey's aggregates
//! ([`Feedback`]): never a single municipality's answers.

use ndarray::Array2;
use serde::{Deserialize, Serialize};

use super::error::ClusterError;
use super::kmeans::nearest;
use super::matrix::{build, MissingPolicy, Scaler};
use super::typology::Typology;
use crate::survey::Survey;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedType {
    pub id: String,
    pub name_de: String,
    pub name_en: String,
    pub n: usize,
    /// Centroid in the answers' units, in `variables` order.
    pub centroid: Vec<f64>,
    /// Centroid in the scaled space.
    pub centroid_scaled: Vec<f64>,
    /// How much better the name fits than the next type (standardised units); none for other groups.
    pub match_margin: Option<f64>,
    pub mean_silhouette: f64,
    /// What marks a type without a motto (its most characteristic variables), in German and in
    /// English; absent for a type with a motto and in models written before it was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description_de: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description_en: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedInput {
    pub file: String,
    pub sha256: String,
    pub rows: usize,
    pub clustered: usize,
    /// Whether the file said it holds synthetic stand-in data; `None` in models written before
    /// this was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub synthetic: Option<bool>,
}

/// What a municipality's own feedback needs beyond the assignment rule: aggregates of the
/// clustered municipalities of the survey the model was fitted on (no single municipality's
/// answers, so the model can be handed to every participant).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Feedback {
    /// Mean of each variable over the clustered municipalities (answer units), in `variables` order.
    pub overall_means: Vec<f64>,
    /// Quantiles of the clustered municipalities' margins (distance to the second-nearest type
    /// minus distance to the nearest, scaled space) at 0 %, 5 %, ..., 100 %.
    pub margin_quantiles: Vec<f64>,
    /// Per variable, in `variables` order: its labels.
    pub labels: Vec<VariableLabels>,
    /// The answer scale of the variables: code and labels (from the first variable's codes).
    pub scale: Vec<ScalePoint>,
    /// Per type, in `types` order: motto and signature variables, from the type definitions.
    pub types: Vec<TypeText>,
    /// What each type can learn from each other type (see [`Lesson`]).
    pub lessons: Vec<Lesson>,
    /// The three-question threshold tree in words; `None` in models written before it was kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tree: Option<SavedTree>,
}

/// The threshold tree as the self-check page shows it: its questions and its rules (answers to
/// a type) in both languages, and how many municipalities it assigns as k-means does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedTree {
    pub municipalities: usize,
    pub as_kmeans: usize,
    pub questions: Vec<Words>,
    pub rules: Vec<Words>,
}

/// A text in German and in English.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Words {
    pub de: String,
    pub en: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VariableLabels {
    pub name: String,
    pub de: String,
    pub en: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScalePoint {
    pub code: i64,
    pub de: String,
    pub en: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TypeText {
    pub id: String,
    /// The motto in German, and in English (`None` in models written before it was recorded: an
    /// English sheet then shows no motto rather than the German one).
    pub motto: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub motto_en: Option<String>,
    pub signature: Vec<String>,
}

/// Something the municipalities of type `from` do or have markedly more often than those of type
/// `to`: a positive answer of a variable that is not clustered on (nor derived from one), in a
/// significant cross-tab of all types, at least the lesson gap more often, by at least five
/// municipalities.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Lesson {
    pub to: String,
    pub from: String,
    pub variable: String,
    pub item_de: String,
    pub item_en: String,
    pub answer_de: String,
    pub answer_en: String,
    /// The codes that count as the positive answer.
    pub positive: Vec<i64>,
    pub from_count: u64,
    pub from_base: u64,
    pub to_count: u64,
    pub to_base: u64,
    /// Percentage points by which `from` gives the answer more often.
    pub gap_points: f64,
}

impl Feedback {
    /// The quantile level (in percent) of `margin` among the survey's margins: the largest level
    /// whose quantile is at most `margin` (0 when it is below them all).
    pub fn margin_level(&self, margin: f64) -> u32 {
        let step = 100.0 / (self.margin_quantiles.len().max(2) - 1) as f64;
        self.margin_quantiles
            .iter()
            .enumerate()
            .filter(|(_, q)| **q <= margin)
            .map(|(i, _)| (i as f64 * step).round() as u32)
            .max()
            .unwrap_or(0)
    }

    /// The margin below which an assignment counts as borderline: the survey's lower quartile.
    pub fn borderline_below(&self) -> f64 {
        let n = self.margin_quantiles.len();
        self.margin_quantiles[(n - 1) / 4]
    }
}

/// Quantiles at 0 %, 5 %, ..., 100 % of `values` (linear interpolation between order statistics,
/// R's type 7).
pub fn quantiles_by_5(values: &[f64]) -> Vec<f64> {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    v.sort_by(f64::total_cmp);
    (0..=20)
        .map(|i| {
            if v.is_empty() {
                return 0.0;
            }
            let h = (v.len() - 1) as f64 * i as f64 / 20.0;
            let lo = h.floor() as usize;
            let hi = h.ceil() as usize;
            v[lo] + (h - lo as f64) * (v[hi] - v[lo])
        })
        .collect()
}

/// The largest magnitude of a model's centres, centroids and means (in answer units or scaled):
/// far beyond any survey's answers, and small enough that every distance between such points is
/// a finite number.
pub const MAX_VALUE: f64 = 1e12;
/// The scales a model may divide by (a standard deviation or a range of answers).
pub const SCALES: std::ops::RangeInclusive<f64> = 1e-12..=1e12;
/// The most types a model holds.
pub const MAX_TYPES: usize = 1000;
/// The largest model file read (a model of the shipped survey takes about 30 KB).
pub const MAX_MODEL_BYTES: u64 = 64 << 20;

/// Whether `v` is a finite number within [`MAX_VALUE`] of 0.
fn within_bounds(v: f64) -> bool {
    v.is_finite() && v.abs() <= MAX_VALUE
}

/// Everything needed to classify new municipalities and to trace the fit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedModel {
    pub tool: String,
    pub version: String,
    pub input: SavedInput,
    pub codebook: String,
    pub variables: Vec<String>,
    pub missing: MissingPolicy,
    /// Means used to impute missing answers (mean policy).
    pub imputation_means: Option<Vec<f64>>,
    pub scaling: Scaler,
    pub k: usize,
    pub seed: u64,
    pub n_init: usize,
    pub max_iter: u64,
    pub tolerance: f64,
    pub within_ss: f64,
    pub types: Vec<SavedType>,
    /// For a municipality's own feedback; `None` in models written before it was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feedback: Option<Feedback>,
    /// The weight variable the types were fitted with; `null` when unweighted (and in models
    /// written before weights were applied).
    #[serde(default)]
    pub weight: Option<String>,
    /// The bootstrap resamples' centres matched to the types, for a municipality's certainty
    /// (written by `cluster --certainty` and `--report`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certainty: Option<super::certainty::Resampled>,
    /// What one row is and what the clustered block is (the codebook's words); absent for the
    /// study's words (and in models written before they were recorded, all of the study).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<crate::survey::Unit>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub block: Option<crate::survey::Block>,
}

impl SavedModel {
    /// The model of a fitted typology; `names`: each type's display name in German and in English,
    /// in the typology's order (the words are the presentation layer's, the model keeps both).
    pub fn from_typology(
        t: &Typology,
        names: &[(String, String)],
        file: &str,
        sha256: &str,
        codebook: &str,
    ) -> SavedModel {
        SavedModel {
            tool: "typfrage".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            input: SavedInput {
                file: file.into(),
                sha256: sha256.into(),
                rows: t.n_rows,
                clustered: t.assignments.len(),
                synthetic: None,
            },
            codebook: codebook.into(),
            variables: t.variables().to_vec(),
            missing: t.options.missing,
            imputation_means: t.matrix.imputed_means.clone(),
            scaling: t.scaler.clone(),
            k: t.options.k,
            seed: t.options.seed,
            n_init: t.options.n_init,
            max_iter: t.options.max_iter,
            tolerance: t.options.tolerance,
            within_ss: t.wss,
            types: t
                .types
                .iter()
                .zip(names)
                .map(|(ty, (name_de, name_en))| SavedType {
                    id: ty.name.id.clone(),
                    name_de: name_de.clone(),
                    name_en: name_en.clone(),
                    n: ty.n,
                    centroid: ty.centroid.clone(),
                    centroid_scaled: ty.centroid_scaled.clone(),
                    match_margin: ty.name.margin.filter(|m| m.is_finite()),
                    mean_silhouette: ty.mean_silhouette,
                    description_de: None,
                    description_en: None,
                })
                .collect(),
            feedback: None,
            weight: t.weight_variable.clone(),
            certainty: t.certainty.as_ref().map(|c| c.resampled.clone()),
            unit: None,
            block: None,
        }
    }

    /// The type whose centroid is nearest to `scaled` (a point in the scaled space), with the
    /// distances to every type and the margin: the rule [`classify`] applies.
    pub fn assign(&self, scaled: &[f64]) -> (usize, Vec<f64>, Option<f64>) {
        let k = self.types.len();
        let centroids = Array2::from_shape_fn((k, self.variables.len()), |(i, j)| {
            self.types[i].centroid_scaled[j]
        });
        let point = ndarray::ArrayView1::from(scaled);
        let (best, sq) = nearest(&centroids, point);
        let distances: Vec<f64> = sq.iter().map(|d| d.sqrt()).collect();
        let second = distances
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != best)
            .map(|(_, d)| *d)
            .fold(f64::INFINITY, f64::min);
        let margin = Some(second - distances[best]).filter(|m| m.is_finite());
        (best, distances, margin)
    }

    /// Reads a model and checks it as options are checked: a model that does not hold together is
    /// refused with what is wrong, never used to classify.
    pub fn parse(text: &str, origin: &str) -> Result<SavedModel, ClusterError> {
        let model: SavedModel = serde_json::from_str(text)
            .map_err(|e| ClusterError::Model(format!("{origin}: not a typfrage model: {e}")))?;
        model
            .check()
            .map_err(|problem| ClusterError::Model(format!("{origin}: {problem}")))?;
        Ok(model)
    }

    /// What is wrong with the model, if anything.
    fn check(&self) -> Result<(), String> {
        if self.tool != "typfrage" {
            return Err(format!(
                "written by '{}', not typfrage; expected a model.json of typfrage cluster",
                self.tool
            ));
        }
        let d = self.variables.len();
        if d == 0 {
            return Err("names no variables".into());
        }
        for (j, v) in self.variables.iter().enumerate() {
            if self.variables[..j].contains(v) {
                return Err(format!(
                    "the variable '{}' is listed twice; expected each variable once",
                    crate::escape::field(v)
                ));
            }
        }
        let lengths = self.scaling.center.len() == d
            && self.scaling.scale.len() == d
            && self
                .types
                .iter()
                .all(|t| t.centroid_scaled.len() == d && t.centroid.len() == d)
            && self.imputation_means.as_ref().is_none_or(|m| m.len() == d);
        if !lengths {
            return Err("the variables, scaling and centroids do not have matching lengths".into());
        }
        if self.types.len() < 2 || self.k != self.types.len() {
            return Err(format!(
                "k is {} but {} types are saved; expected k = the number of types, at least 2",
                self.k,
                self.types.len()
            ));
        }
        for (v, (&center, &scale)) in self
            .variables
            .iter()
            .zip(self.scaling.center.iter().zip(&self.scaling.scale))
        {
            if !(within_bounds(center) && SCALES.contains(&scale)) {
                return Err(format!(
                    "variable '{}' has the scaling centre {center} and scale {scale}; expected finite numbers and a scale above 0 (a centre from -{MAX_VALUE:e} to {MAX_VALUE:e}, a scale from {:e} to {:e})",
                    crate::escape::field(v),
                    SCALES.start(),
                    SCALES.end()
                ));
            }
        }
        if let Some(c) = &self.certainty {
            let k = self.types.len();
            let shaped = c.centres.len() <= 10_000
                && c.centres.iter().all(|b| {
                    b.len() == k
                        && b.iter()
                            .all(|t| t.len() == d && t.iter().all(|&v| within_bounds(v)))
                });
            if !shaped {
                return Err(format!(
                    "the certainty's resampled centres are not {k} centres of {d} finite numbers each (at most 10000 resamples)"
                ));
            }
        }
        if self.types.len() > MAX_TYPES {
            return Err(format!(
                "{} types are saved; expected at most {MAX_TYPES}",
                self.types.len()
            ));
        }
        let mut ids: Vec<&str> = Vec::new();
        for t in &self.types {
            let id = crate::escape::field(&t.id);
            if ids.contains(&t.id.as_str()) {
                return Err(format!("the type id '{id}' is saved twice"));
            }
            if let Some(other) = ids.iter().find(|u| u.eq_ignore_ascii_case(&t.id)) {
                return Err(format!(
                    "the type ids '{}' and '{id}' differ only in case, which names one file on a case-insensitive file system (Windows, macOS); expected ids that differ in more than case",
                    crate::escape::field(other)
                ));
            }
            ids.push(&t.id);
            if t.centroid
                .iter()
                .chain(&t.centroid_scaled)
                .any(|&c| !within_bounds(c))
            {
                return Err(format!(
                    "type '{id}' has a centroid beyond the model's bounds; expected finite numbers from -{MAX_VALUE:e} to {MAX_VALUE:e}, so that every distance is a finite number"
                ));
            }
        }
        if let Some(f) = &self.feedback {
            let types_match = f.types.len() == self.types.len()
                && f.types.iter().zip(&self.types).all(|(a, b)| a.id == b.id);
            if f.overall_means.len() != d
                || f.labels.len() != d
                || !types_match
                || f.margin_quantiles.len() != 21
                || f.overall_means
                    .iter()
                    .chain(&f.margin_quantiles)
                    .any(|&v| !within_bounds(v))
            {
                return Err("the feedback part does not match the variables and types, or holds a number that is not finite".into());
            }
        }
        match (&self.missing, &self.imputation_means) {
            (MissingPolicy::Mean, None) => {
                return Err("the missing policy is 'mean' but no imputation means are saved".into())
            }
            (MissingPolicy::Mean, Some(means)) if means.iter().any(|&m| !within_bounds(m)) => {
                return Err(format!(
                    "an imputation mean is not a finite number from -{MAX_VALUE:e} to {MAX_VALUE:e}"
                ))
            }
            _ => {}
        }
        Ok(())
    }
}

/// One municipality of a new wave, classified.
#[derive(Debug, Clone, PartialEq)]
pub struct Classified {
    pub id: String,
    /// Index into the model's types; `None` when it could not be classified.
    pub type_index: Option<usize>,
    pub distances: Vec<f64>,
    pub margin: Option<f64>,
    /// Why it was not classified.
    pub reason: Option<String>,
    /// In how many of the model's bootstrap resamples it is nearest to each type (when the
    /// model carries them: `cluster --certainty` or `--report`).
    pub votes: Option<Vec<usize>>,
}

impl Classified {
    /// The share of the resamples that put it into its type, and the other type they put it
    /// into most often (none when never another), when the model carries resamples.
    pub fn certainty(&self) -> Option<(f64, Option<usize>)> {
        let votes = self.votes.as_ref()?;
        let own = self.type_index?;
        certainty_of(votes, own)
    }
}

/// The share of `votes` for type `own`, and the other type with the most votes (the first on a
/// tie; none when no other type has one).
pub fn certainty_of(votes: &[usize], own: usize) -> Option<(f64, Option<usize>)> {
    let total: usize = votes.iter().sum();
    if total == 0 || own >= votes.len() {
        return None;
    }
    let other = (0..votes.len())
        .filter(|&t| t != own && votes[t] > 0)
        .max_by(|&a, &b| votes[a].cmp(&votes[b]).then(b.cmp(&a)));
    Some((votes[own] as f64 / total as f64, other))
}

/// The rows of `survey` that `model` can classify (its missing policy, with its imputation
/// means), scaled with its scaling; the others with the reason they were left out.
struct Prepared {
    scaled: Array2<f64>,
    rows: Vec<usize>,
    excluded: Vec<super::matrix::Excluded>,
}

fn prepare(model: &SavedModel, survey: &Survey) -> Result<Prepared, ClusterError> {
    for v in &model.variables {
        if survey.codebook().variable(v).is_none() {
            return Err(ClusterError::Model(format!(
                "the model uses '{v}', which the survey's codebook does not have"
            )));
        }
    }
    // Missing answers: the model's policy, with the model's imputation means (never re-fitted).
    let matrix = build(survey, &model.variables, MissingPolicy::Listwise)?;
    let mut x = matrix.x.clone();
    let mut rows = matrix.rows.clone();
    let mut excluded = matrix.excluded.clone();
    if let (MissingPolicy::Mean, Some(means)) = (model.missing, &model.imputation_means) {
        let full = build(survey, &model.variables, MissingPolicy::Mean)?;
        // rebuild with the saved means instead of the new wave's
        let mut imputed = full.x.clone();
        for (i, &row) in full.rows.iter().enumerate() {
            for (j, v) in model.variables.iter().enumerate() {
                if let Ok(values) = survey.codes(v) {
                    if values.get(row).is_none() {
                        imputed[[i, j]] = means[j];
                    }
                }
            }
        }
        x = imputed;
        rows = full.rows.clone();
        excluded = full.excluded.clone();
    }
    Ok(Prepared {
        scaled: model.scaling.transform(&x),
        rows,
        excluded,
    })
}

/// Each municipality of `survey` as a point in the model's scaled space (`None`: left out by the
/// model's missing policy), in row order.
pub fn scaled_points(
    model: &SavedModel,
    survey: &Survey,
) -> Result<Vec<Option<Vec<f64>>>, ClusterError> {
    let p = prepare(model, survey)?;
    let mut out = vec![None; survey.len()];
    for (i, &row) in p.rows.iter().enumerate() {
        out[row] = Some(p.scaled.row(i).to_vec());
    }
    Ok(out)
}

/// Classifies every municipality of `survey` with `model`.
pub fn classify(model: &SavedModel, survey: &Survey) -> Result<Vec<Classified>, ClusterError> {
    let Prepared {
        scaled,
        rows,
        excluded,
    } = prepare(model, survey)?;
    let ids = survey.ids();
    let mut out: Vec<Classified> = Vec::with_capacity(survey.len());
    let mut reasons = std::collections::HashMap::new();
    for e in &excluded {
        reasons.entry(e.row).or_insert(e.reason.as_str());
    }
    let mut next = 0;
    for (row, id) in ids.iter().enumerate() {
        if next < rows.len() && rows[next] == row {
            let point = scaled.row(next).to_vec();
            let (best, distances, margin) = model.assign(&point);
            // answers far beyond the model's scale (a huge number in a decimal variable) give no
            // finite distance, and no nearest type
            let finite = distances.iter().all(|d| d.is_finite());
            out.push(Classified {
                id: id.clone(),
                type_index: finite.then_some(best),
                margin: margin.filter(|_| finite),
                distances: if finite { distances } else { Vec::new() },
                reason: (!finite).then(|| {
                    "its answers lie so far from the model's centres that no distance is a finite number".to_string()
                }),
                votes: model
                    .certainty
                    .as_ref()
                    .filter(|_| finite)
                    .map(|c| c.votes(&point)),
            });
            next += 1;
        } else {
            let reason = reasons.get(&row).unwrap_or(&"left out").to_string();
            out.push(Classified {
                id: id.clone(),
                type_index: None,
                distances: Vec::new(),
                margin: None,
                reason: Some(reason),
                votes: None,
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feedback_with(margins: &[f64]) -> Feedback {
        Feedback {
            overall_means: Vec::new(),
            margin_quantiles: quantiles_by_5(margins),
            labels: Vec::new(),
            scale: Vec::new(),
            types: Vec::new(),
            lessons: Vec::new(),
            tree: None,
        }
    }

    #[test]
    fn margin_quantiles_interpolate_and_the_lower_quartile_marks_borderline() {
        // 21 margins 0, 1, ..., 20: the quantile at i * 5 % is the i-th value
        let margins: Vec<f64> = (0..=20).rev().map(f64::from).collect();
        let f = feedback_with(&margins);
        assert_eq!(
            f.margin_quantiles,
            (0..=20).map(f64::from).collect::<Vec<_>>()
        );
        assert_eq!(f.borderline_below(), 5.0);
        assert_eq!(f.margin_level(3.5), 15);
        assert_eq!(f.margin_level(-1.0), 0);
        assert_eq!(f.margin_level(20.0), 100);
        // two margins 0 and 1: the quantile at 25 % lies a quarter of the way
        assert_eq!(feedback_with(&[1.0, 0.0]).borderline_below(), 0.25);
    }
}
