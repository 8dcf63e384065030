//! The saved model (JSON) and classifying municipalities of a new survey wave with it: the saved
//! scaling and centroids are applied, never re-fitted.

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
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedInput {
    pub file: String,
    pub sha256: String,
    pub rows: usize,
    pub clustered: usize,
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
    /// The weight variable the types were fitted with; `null` when unweighted (and in models
    /// written before weights were applied).
    #[serde(default)]
    pub weight: Option<String>,
}

impl SavedModel {
    pub fn from_typology(t: &Typology, file: &str, sha256: &str, codebook: &str) -> SavedModel {
        SavedModel {
            tool: "typfrage".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            input: SavedInput {
                file: file.into(),
                sha256: sha256.into(),
                rows: t.n_rows,
                clustered: t.assignments.len(),
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
                .map(|ty| SavedType {
                    id: ty.name.id.clone(),
                    name_de: ty.name.name_de.clone(),
                    name_en: ty.name.name_en.clone(),
                    n: ty.n,
                    centroid: ty.centroid.clone(),
                    centroid_scaled: ty.centroid_scaled.clone(),
                    match_margin: ty.name.margin.filter(|m| m.is_finite()),
                    mean_silhouette: ty.mean_silhouette,
                })
                .collect(),
            weight: t.weight_variable.clone(),
        }
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
            if !center.is_finite() || !scale.is_finite() || scale <= 0.0 {
                return Err(format!(
                    "variable '{v}' has the scaling centre {center} and scale {scale}; expected finite numbers and a scale above 0"
                ));
            }
        }
        let mut ids: Vec<&str> = Vec::new();
        for t in &self.types {
            if ids.contains(&t.id.as_str()) {
                return Err(format!("the type id '{}' is saved twice", t.id));
            }
            ids.push(&t.id);
            if t.centroid
                .iter()
                .chain(&t.centroid_scaled)
                .any(|c| !c.is_finite())
            {
                return Err(format!(
                    "type '{}' has a centroid that is not a finite number",
                    t.id
                ));
            }
        }
        match (&self.missing, &self.imputation_means) {
            (MissingPolicy::Mean, None) => {
                return Err("the missing policy is 'mean' but no imputation means are saved".into())
            }
            (MissingPolicy::Mean, Some(means)) if means.iter().any(|m| !m.is_finite()) => {
                return Err("an imputation mean is not a finite number".into())
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
}

/// Classifies every municipality of `survey` with `model`.
pub fn classify(model: &SavedModel, survey: &Survey) -> Result<Vec<Classified>, ClusterError> {
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
                    if values[row].is_none() {
                        imputed[[i, j]] = means[j];
                    }
                }
            }
        }
        x = imputed;
        rows = full.rows.clone();
        excluded = full.excluded.clone();
    }
    let scaled = model.scaling.transform(&x);
    let k = model.types.len();
    let centroids = Array2::from_shape_fn((k, model.variables.len()), |(i, j)| {
        model.types[i].centroid_scaled[j]
    });
    let ids = survey.ids();
    let mut out: Vec<Classified> = Vec::with_capacity(survey.len());
    let mut next = 0;
    for (row, id) in ids.iter().enumerate() {
        if next < rows.len() && rows[next] == row {
            let (best, sq) = nearest(&centroids, scaled.row(next));
            let distances: Vec<f64> = sq.iter().map(|d| d.sqrt()).collect();
            let second = distances
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != best)
                .map(|(_, d)| *d)
                .fold(f64::INFINITY, f64::min);
            out.push(Classified {
                id: id.clone(),
                type_index: Some(best),
                margin: Some(second - distances[best]).filter(|m| m.is_finite()),
                distances,
                reason: None,
            });
            next += 1;
        } else {
            let reason = excluded
                .iter()
                .find(|e| e.row == row)
                .map_or_else(|| "left out".to_string(), |e| e.reason.clone());
            out.push(Classified {
                id: id.clone(),
                type_index: None,
                distances: Vec::new(),
                margin: None,
                reason: Some(reason),
            });
        }
    }
    Ok(out)
}
