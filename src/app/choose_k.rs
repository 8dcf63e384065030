//! `typfrage choose-k`: k-means for a range of k, with the elbow, silhouette, Calinski-Harabasz,
//! Davies-Bouldin and gap statistic, what k each points to, a recommendation, a table and a chart.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::options::MAX_K;
use super::{out_or, Outcome, SurveyInput};
use crate::cluster::{self, ClusterOptions};
use crate::error::{Result, UsageError};
use crate::lang::Lang;
use crate::output::{default_out_dir, ensure_dir, write_chart};
use crate::show::chart::{ChartLook, ImageFormat};
use crate::show::labels::DataSource;
use crate::show::table::CsvStyle;
use crate::show::views::choose_k::{choose_k_chart, choose_k_text};
use crate::show::weights;

/// What `choose-k` is asked to do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
#[cfg_attr(
    feature = "cli",
    command(
        mut_arg("k", |a| a.long("k-min").value_name("K_MIN").default_value("2").help(None::<&str>).display_order(0)),
        mut_arg("n_init", |a| a.default_value("20").help("k-means restarts per k"))
    )
)]
pub struct ChooseKRequest {
    #[serde(flatten)]
    #[cfg_attr(feature = "cli", command(flatten))]
    pub input: SurveyInput,
    // on the command line `--k-min`, its options' `k`
    #[cfg_attr(feature = "cli", arg(skip))]
    pub k_min: usize,
    #[cfg_attr(feature = "cli", arg(long, default_value_t = 8))]
    pub k_max: usize,
    /// Reference data sets for the gap statistic
    #[cfg_attr(
        feature = "cli",
        arg(long = "gap-refs", default_value_t = 20, value_name = "GAP_REFS")
    )]
    pub gap_references: usize,
    // how to cluster (its `k` is `k_min`, not used; `n_init` is the restarts per k)
    #[cfg_attr(feature = "cli", command(flatten))]
    pub options: ClusterOptions,
    /// Draw the chart as SVG instead of PNG
    #[cfg_attr(feature = "cli", arg(long))]
    pub svg: bool,
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(skip))]
    pub lang: Lang,
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long, value_enum, default_value_t))]
    pub csv: CsvStyle,
    /// Output folder for choose-k.csv and the chart [default: <input stem>-typfrage beside the input]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "cli", arg(long, value_name = "DIR"))]
    pub out: Option<PathBuf>,
    #[serde(default)]
    #[cfg_attr(feature = "cli", command(flatten))]
    pub chart: ChartLook,
}

impl ChooseKRequest {
    pub(super) fn check(&self) -> Result<(), UsageError> {
        if self.k_min < 2 || self.k_max < self.k_min || self.k_max > MAX_K {
            return Err(UsageError::new(format!(
                "--k-min {} --k-max {}: expected 2 <= k-min <= k-max <= {MAX_K}",
                self.k_min, self.k_max
            )));
        }
        if !(1..=MAX_GAP_REFERENCES).contains(&self.gap_references) {
            return Err(UsageError::new(format!(
                "--gap-refs {}: expected 1 to {MAX_GAP_REFERENCES} reference data sets for the gap statistic",
                self.gap_references
            )));
        }
        super::options::check_options(&self.options)?;
        self.chart.check().map_err(UsageError::new)
    }
}

/// The most reference data sets the gap statistic draws (each is clustered once per k).
pub const MAX_GAP_REFERENCES: usize = 1_000;

pub(super) fn run(r: &ChooseKRequest) -> Result<Outcome> {
    let dir = out_or(&r.out, || default_out_dir(&r.input.file));
    let read = r.input.read_for(&dir, r.options.vars.as_deref())?;
    let _bar = super::progress::show(r.lang);
    let survey = &read.loaded.survey;
    let o = &r.options;
    let variables = cluster::choose_variables(survey, o.vars.as_deref())?;
    let matrix = cluster::build_matrix(survey, &variables, o.missing)?.into_canonical_order(survey);
    let x = cluster::Scaler::fit(o.scale, &matrix.x).transform(&matrix.x);
    let weighting = r.input.weights(&read, &o.weight)?;
    let weights = weighting.select(&matrix.rows);
    let scores = cluster::choose_k_weighted(
        &x,
        weights.as_deref(),
        &cluster::ChooseKOptions {
            engine: o.engine,
            algorithm: o.algorithm,
            k_min: r.k_min,
            k_max: r.k_max,
            seed: o.seed,
            n_init: o.n_init,
            max_iter: o.max_iter,
            tolerance: o.tolerance,
            gap_references: r.gap_references,
        },
    )?;
    let rec = cluster::recommend(&scores);
    let distinct = cluster::distinct_rows(&x);
    let mut warnings = r.input.load_warnings(&read.loaded);
    let words = crate::show::words::Words::of(survey.codebook(), r.lang);
    let units = words.units();
    if distinct <= r.k_max {
        warnings.push(match r.lang {
            Lang::De => format!(
                "die {} {units} haben nur {distinct} verschiedene Antwortmuster: ein k ab {distinct} teilt gleiche Antworten, und die Indizes sagen für solche k nichts",
                x.nrows()
            ),
            Lang::En => format!(
                "the {} {units} have only {distinct} distinct answer patterns: k of {distinct} or more splits identical answers, and the indices for such k say nothing",
                x.nrows()
            ),
        });
    }
    ensure_dir(&dir)?;
    let source = DataSource {
        file: r.input.label(),
        synthetic: read.loaded.dialect.says_synthetic(),
    };
    let mut chart = choose_k_chart(
        &scores,
        &rec,
        matrix.x.nrows(),
        r.gap_references,
        &source,
        &words,
    );
    chart.set_look(&r.chart);
    let image = if r.svg {
        ImageFormat::Svg
    } else {
        ImageFormat::Png
    };
    let rendered = chart.render("choose-k", image, r.csv)?;
    let written = write_chart(&dir, &rendered.stem, rendered.files())?;
    let (file, n, left_out) = (
        r.input.file.display(),
        matrix.x.nrows(),
        matrix.excluded.len(),
    );
    let (nvars, scale) = (
        variables.len(),
        crate::show::views::typology::scale_words(o.scale, r.lang),
    );
    let mut stdout = match r.lang {
        Lang::De => format!(
            "{file}: {n} {units} geclustert ({left_out} ausgelassen), {nvars} Variablen, Skalierung {scale}\n"
        ),
        Lang::En => format!(
            "{file}: {n} {units} clustered ({left_out} left out), {nvars} variables, scaling {scale}\n"
        ),
    };
    stdout.push_str(&format!("{}\n", weights::describe(&weighting, &words)));
    stdout.push_str(&choose_k_text(&scores, &rec, r.lang));
    stdout.push_str(&super::wrote(&written, r.lang));
    Ok(Outcome::ok(stdout)
        .with_warnings(warnings, r.lang)
        .with_note(weights::note(&weighting, &words)))
}
