//! `typfrage mixture`: Gaussian mixtures fitted by EM over the covariance structures mclust calls
//! EII, VII, EEI, VVI, EEE and VVV, for a range of k, compared by BIC (mclust's sign: larger is
//! better), and the best mixture's agreement with the k-means types.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::inputs::type_definitions;
use super::{out_or, Outcome, SurveyInput};
use crate::cluster::mixture::{
    bic_csv, memberships_csv, mixtures_for_typology, CovarianceModel, MixtureOptions,
};
use crate::cluster::{self, ClusterOptions};
use crate::error::{Result, UsageError};
use crate::output::{default_out_dir, ensure_dir, write_atomic};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MixtureRequest {
    #[serde(flatten)]
    pub input: SurveyInput,
    /// The k-means typology the mixtures are compared with.
    pub options: ClusterOptions,
    pub k_min: usize,
    pub k_max: usize,
    /// mclust's names of the covariance structures to fit.
    pub models: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub out: Option<PathBuf>,
}

impl MixtureRequest {
    pub(super) fn check(&self) -> Result<(), UsageError> {
        super::cluster::check_options(&self.options)?;
        if self.k_min < 1 || self.k_max < self.k_min {
            return Err(UsageError::new(format!(
                "--k-min {} --k-max {}: expected 1 <= k-min <= k-max",
                self.k_min, self.k_max
            )));
        }
        for m in &self.models {
            CovarianceModel::parse(m).map_err(|_| {
                UsageError::new(format!(
                    "--models: '{m}' is not one of {}",
                    CovarianceModel::ALL.map(CovarianceModel::name).join(", ")
                ))
            })?;
        }
        Ok(())
    }
}

pub(super) fn run(r: &MixtureRequest) -> Result<Outcome> {
    let dir = out_or(&r.out, || default_out_dir(&r.input.file).join("mixture"));
    let read = r.input.read_for(&dir, r.options.vars.as_deref())?;
    let survey = &read.loaded.survey;
    let typology = cluster::fit_typology(survey, &r.options, &type_definitions(None)?)?;
    let models = r
        .models
        .iter()
        .map(|m| CovarianceModel::parse(m))
        .collect::<Result<Vec<_>, _>>()?;
    let options = MixtureOptions {
        k_min: r.k_min,
        k_max: r.k_max,
        models,
        seed: r.options.seed,
        ..MixtureOptions::default()
    };
    let result = mixtures_for_typology(&typology, &options)?;
    ensure_dir(&dir)?;
    let bic_path = dir.join("bic.csv");
    let bic = bic_csv(&result.mixtures)?;
    write_atomic(&bic_path, |w| w.write_all(bic.as_bytes()))?;
    let mut written = vec![bic_path];
    let ids: Vec<String> = typology.assignments.iter().map(|a| a.id.clone()).collect();
    if let Some(best) = result.mixtures.best(None) {
        let path = dir.join("memberships.csv");
        let text = memberships_csv(&ids, best)?;
        write_atomic(&path, |w| w.write_all(text.as_bytes()))?;
        written.push(path);
    }

    let mut stdout = format!(
        "{}: {} municipalities clustered, k-means types as `cluster` finds them (k = {})\n\
         Gaussian mixtures by EM, BIC as mclust reports it (larger is better; - = not estimable):\n",
        r.input.file.display(),
        typology.assignments.len(),
        r.options.k
    );
    stdout.push_str(&format!("{:>4}", "k"));
    for m in &options.models {
        stdout.push_str(&format!("{:>11}", m.name()));
    }
    stdout.push('\n');
    for k in r.k_min..=r.k_max {
        stdout.push_str(&format!("{k:>4}"));
        for m in &options.models {
            let cell = result
                .mixtures
                .fits
                .iter()
                .find(|f| f.k == k && f.model == *m)
                .and_then(|f| f.estimate.as_ref())
                .map_or("-".to_string(), |e| format!("{:.1}", e.bic));
            stdout.push_str(&format!("{cell:>11}"));
        }
        stdout.push('\n');
    }
    for (label, agreement) in [
        ("best by BIC", &result.best),
        ("best with k types", &result.best_at_k),
    ] {
        match agreement {
            Some(a) => stdout.push_str(&format!(
                "{label}: {} with k = {}; agreement with the k-means types: adjusted Rand index {:.3}\n",
                a.model.name(),
                a.k,
                a.ari
            )),
            None => stdout.push_str(&format!("{label}: none could be estimated\n")),
        }
    }
    let names: Vec<String> = written.iter().map(|p| p.display().to_string()).collect();
    stdout.push_str(&format!("wrote {}\n", names.join(" and ")));
    stdout.push_str(
        &r.input
            .unweighted_line(&read, &r.options.weight, "mixture")?,
    );
    Ok(Outcome::ok(stdout).with_warnings(r.input.load_warnings(&read.loaded)))
}
