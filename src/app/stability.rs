//! `typfrage stability`: bootstrap resamples of the municipalities, clustered again; Jaccard
//! similarity per type (Hennig's clusterboot) and the adjusted Rand index.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::{out_or, Outcome, SurveyInput};
use crate::cluster::{self, ClusterOptions};
use crate::error::{Result, UsageError};
use crate::lang::Lang;
use crate::output::{default_out_dir, ensure_dir, write_atomic};
use crate::show::table::CsvStyle;
use crate::show::views::{stability, typology};
use crate::show::weights;

/// What `stability` is asked to do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
#[cfg_attr(
    feature = "cli",
    command(
        mut_arg("n_init", |a| a.default_value("10").help("k-means restarts for the original fit and for each resample"))
    )
)]
pub struct StabilityRequest {
    #[serde(flatten)]
    #[cfg_attr(feature = "cli", command(flatten))]
    pub input: SurveyInput,
    #[cfg_attr(feature = "cli", command(flatten))]
    pub options: ClusterOptions,
    /// Bootstrap resamples
    #[cfg_attr(feature = "cli", arg(long, default_value_t = 200))]
    pub resamples: usize,
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long, value_enum, default_value_t))]
    pub csv: CsvStyle,
    /// Whether stderr was a terminal (recorded as before; the bar shows whenever stderr is one).
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(skip))]
    pub progress: bool,
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(skip))]
    pub lang: Lang,
    /// Output folder for stability.csv [default: <input stem>-typfrage beside the input]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "cli", arg(long, value_name = "DIR"))]
    pub out: Option<PathBuf>,
}

/// A type whose mean Jaccard similarity is below this is called unstable (Hennig: below 0.6).
const UNSTABLE_JACCARD: f64 = 0.6;

impl StabilityRequest {
    pub(super) fn check(&self) -> Result<(), UsageError> {
        super::options::check_options(&self.options)?;
        if !(1..=MAX_RESAMPLES).contains(&self.resamples) {
            return Err(UsageError::new(format!(
                "--resamples {}: expected 1 to {MAX_RESAMPLES}",
                self.resamples
            )));
        }
        Ok(())
    }
}

/// The most bootstrap resamples (each is a whole k-means fit).
pub const MAX_RESAMPLES: usize = 10_000;

pub(super) fn run(r: &StabilityRequest) -> Result<Outcome> {
    let dir = out_or(&r.out, || default_out_dir(&r.input.file));
    let read = r.input.read_for(&dir, r.options.vars.as_deref())?;
    let survey = &read.loaded.survey;
    let weighting = r.input.weights(&read, &r.options.weight)?;
    let typology =
        cluster::fit_typology_weighted(survey, &r.options, &cluster::builtin_types(), &weighting)?;
    let labels: Vec<usize> = typology.assignments.iter().map(|a| a.type_index).collect();
    let bar = super::progress::show(r.lang);
    let result = cluster::stability_weighted(
        &typology.scaled(),
        typology.weights.as_deref(),
        &labels,
        &r.options.settings(),
        r.resamples,
        &|| {},
    );
    drop(bar);
    let result = result?;
    ensure_dir(&dir)?;
    let path = dir.join("stability.csv");
    let table = stability::stability_table(&typology, &result).csv(r.csv)?;
    write_atomic(&path, |w| w.write_all(table.as_bytes()))?;
    let lang = r.lang;
    let words = crate::show::words::Words::of(survey.codebook(), lang);
    let mut stdout = typology::summary(
        &typology,
        &r.input.file.display().to_string(),
        &words,
        Some(survey.codebook()),
    );
    stdout.push('\n');
    stdout.push_str(&stability::stability_text(&typology, &result, lang));
    stdout.push_str(&super::wrote(&[&path], lang));
    let warnings = r.input.load_warnings(&read.loaded).into_iter().chain(
        typology
            .types
            .iter()
            .zip(&result.types)
            .filter(|(_, s)| s.mean_jaccard < UNSTABLE_JACCARD)
            .map(|(t, s)| stability::unstable_type(t, s.mean_jaccard, lang)),
    );
    Ok(Outcome::ok(stdout)
        .with_warnings(warnings, lang)
        .with_note(weights::note(&weighting, &words)))
}
