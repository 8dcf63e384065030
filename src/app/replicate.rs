//! `typfrage replicate`: validation by replication (prediction strength and split-half ARI for a
//! range of k over random half-splits), how the types split from k - 1 to k + 1, and the threshold
//! tree that finds a municipality's type in at most three questions; a result folder with a
//! manifest. The same files are written by `cluster --report` ([`validate_typology`],
//! [`write_validation`]), whose report reads them.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::folder::Staged;
use super::sealed::seal;
use super::{out_or, Outcome, RecordedPaths, Request, SurveyInput};
use crate::cluster::replication::{
    around, replicate, split_steps, KTypes, Replication, ReplicationOptions, SplitStep, MAX_SPLITS,
};
use crate::cluster::tree::{threshold_tree, ThresholdTree, TreeOptions};
use crate::cluster::{self, ClusterOptions, KMeansSettings, TypeDef, Typology};
use crate::error::{Result, UsageError};
use crate::lang::Lang;
use crate::output::{default_out_dir, ensure_dir, write_atomic, write_chart};
use crate::show::chart::{Chart, ChartLook, ImageFormat};
use crate::show::labels::DataSource;
use crate::show::table::CsvStyle;
use crate::show::views::{replication, tree, typology as typology_view};
use crate::survey::Survey;

/// What `replicate` is asked to do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
#[cfg_attr(
    feature = "cli",
    command(
        mut_arg("k", |a| a.help("The number of types the split chart and the threshold tree are drawn around")),
        mut_arg("n_init", |a| a.default_value("10").help("k-means restarts on each half (and for the types)"))
    )
)]
pub struct ReplicateRequest {
    #[serde(flatten)]
    #[cfg_attr(feature = "cli", command(flatten))]
    pub input: SurveyInput,
    // how to cluster: `k` is the types' number the split chart and the tree are drawn around,
    // `n_init` the k-means starts on each half
    #[cfg_attr(feature = "cli", command(flatten))]
    pub options: ClusterOptions,
    #[cfg_attr(feature = "cli", arg(long, default_value_t = 2))]
    pub k_min: usize,
    #[cfg_attr(feature = "cli", arg(long, default_value_t = 8))]
    pub k_max: usize,
    /// Random half-splits (fpc's M)
    #[cfg_attr(feature = "cli", arg(long, default_value_t = 50))]
    pub splits: usize,
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(skip))]
    pub lang: Lang,
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long, value_enum, default_value_t))]
    pub csv: CsvStyle,
    /// Output folder for validation.csv, splits.csv, tree.json, the charts and manifest.json
    /// [default: <input stem>-typfrage/replication]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "cli", arg(long, value_name = "DIR"))]
    pub out: Option<PathBuf>,
    #[serde(default)]
    #[cfg_attr(feature = "cli", command(flatten))]
    pub chart: ChartLook,
}

/// The half-splits `cluster --report` runs (fpc's default is 50; 20 keep the report's cost
/// modest and the prediction strength's standard error near 0.01 on the shipped data).
pub const REPORT_SPLITS: usize = 20;

impl ReplicateRequest {
    pub(super) fn check(&self) -> Result<(), UsageError> {
        super::options::check_options(&self.options)?;
        if self.k_min < 2 || self.k_max < self.k_min || self.k_max > super::options::MAX_K {
            return Err(UsageError::new(format!(
                "--k-min {} --k-max {}: expected 2 <= k-min <= k-max <= {}",
                self.k_min,
                self.k_max,
                super::options::MAX_K
            )));
        }
        if !(1..=MAX_SPLITS).contains(&self.splits) {
            return Err(UsageError::new(format!(
                "--splits {}: expected 1 to {MAX_SPLITS} half-splits",
                self.splits
            )));
        }
        self.chart.check().map_err(UsageError::new)
    }

    /// The files it reads, by their role in a manifest, and its output folder.
    pub(super) fn recorded_paths(&mut self) -> RecordedPaths<'_> {
        RecordedPaths {
            inputs: self.input.paths_mut(),
            out: &mut self.out,
        }
    }
}

/// Everything the replication files and the report's sections are made of.
pub(super) struct Validation {
    pub replication: Replication,
    pub starts: usize,
    pub columns: Vec<KTypes>,
    pub steps: Vec<SplitStep>,
    pub tree: ThresholdTree,
}

/// Replication for k from `k_min` to `k_max` (as far as the halves allow) over `splits`
/// half-splits with `starts` k-means starts, the types of k - 1 to k + 1 around `typology`'s
/// and its threshold tree.
pub(super) fn validate_typology(
    survey: &Survey,
    typology: &Typology,
    defs: &[TypeDef],
    (k_min, k_max): (usize, usize),
    splits: usize,
    starts: usize,
) -> Result<Validation> {
    let x = typology.scaled();
    let n = x.nrows();
    let settings = KMeansSettings {
        n_init: starts,
        ..typology.options.settings()
    };
    let k_max = k_max.min((n / 2).saturating_sub(1));
    let replication = replicate(
        &x,
        &ReplicationOptions {
            k_min,
            k_max: k_max.max(k_min),
            splits,
            settings,
        },
    )?;
    let columns = around(survey, typology, defs, starts)?;
    let steps = split_steps(&columns);
    let tree = tree_of(typology);
    Ok(Validation {
        replication,
        starts,
        columns,
        steps,
        tree,
    })
}

/// The typology's threshold tree of at most three questions, in the answers' units.
pub(super) fn tree_of(typology: &Typology) -> ThresholdTree {
    let labels: Vec<usize> = typology.assignments.iter().map(|a| a.type_index).collect();
    let centres = ndarray::Array2::from_shape_fn(
        (typology.types.len(), typology.variables().len()),
        |(i, j)| typology.types[i].centroid[j],
    );
    threshold_tree(
        &typology.matrix.x,
        &labels,
        &centres,
        &TreeOptions::three_questions(labels.len()),
    )
}

/// The charts of a validation: the split chart (when there is a neighbouring k) and the tree.
pub(super) fn validation_charts(
    v: &Validation,
    typology: &Typology,
    survey: &Survey,
    source: &DataSource,
    lang: Lang,
) -> Vec<(String, Chart)> {
    let mut out = Vec::new();
    if !v.steps.is_empty() {
        let c = replication::splits_chart(
            &v.columns,
            &v.steps,
            typology.types.len(),
            source,
            &crate::show::words::Words::of(survey.codebook(), lang),
        );
        out.push(("splits".to_string(), c));
    }
    let book = survey.codebook();
    out.push((
        "tree".to_string(),
        tree::tree_chart(&v.tree, typology, book, source, lang),
    ));
    out
}

/// Writes `validation.csv`, `splits.csv`, `tree.json` and `tree-otherwise.csv` into `dir`.
pub(super) fn write_validation(
    dir: &Path,
    v: &Validation,
    typology: &Typology,
    survey: &Survey,
    lang: Lang,
    csv: CsvStyle,
) -> Result<Vec<PathBuf>> {
    let files = [
        (
            "validation.csv",
            replication::validation_table(&v.replication).csv(csv)?,
        ),
        (
            "splits.csv",
            replication::splits_table(&v.columns, &v.steps).csv(csv)?,
        ),
        (
            "tree.json",
            tree::tree_json(&v.tree, typology, survey.codebook(), lang),
        ),
        (
            "tree-otherwise.csv",
            tree::otherwise_table(&v.tree, typology, survey).csv(csv)?,
        ),
    ];
    let mut written = Vec::new();
    for (name, text) in files {
        let path = dir.join(name);
        write_atomic(&path, |w| w.write_all(text.as_bytes()))?;
        written.push(path);
    }
    Ok(written)
}

pub(super) fn run(r: &ReplicateRequest) -> Result<Outcome> {
    let dir = out_or(&r.out, || {
        default_out_dir(&r.input.file).join("replication")
    });
    let read = r.input.read_for(&dir, r.options.vars.as_deref())?;
    let _bar = super::progress::show(r.lang);
    let survey = &read.loaded.survey;
    let weighting = r.input.weights(&read, &r.options.weight)?;
    let defs = cluster::builtin_types();
    let typology = cluster::fit_typology_weighted(survey, &r.options, &defs, &weighting)?;
    let n = typology.assignments.len();
    if n / 2 <= r.k_min {
        return Err(cluster::ClusterError::Options(format!(
            "{n} rows clustered: halves of {} cannot hold k = {} types; expected more than {} rows",
            n / 2,
            r.k_min,
            2 * r.k_min + 1
        ))
        .into());
    }
    let v = validate_typology(
        survey,
        &typology,
        &defs,
        (r.k_min, r.k_max),
        r.splits,
        r.options.n_init,
    )?;
    let staged = Staged::begin(&dir)?;
    let out = staged.dir().to_path_buf();
    let mut written = write_validation(&out, &v, &typology, survey, r.lang, r.csv)?;
    let source = DataSource {
        file: r.input.label(),
        synthetic: read.loaded.dialect.says_synthetic(),
    };
    // the charts beside their numbers in charts/, as in cluster --report's folder
    let chart_dir = out.join("charts");
    ensure_dir(&chart_dir)?;
    for (stem, mut chart) in validation_charts(&v, &typology, survey, &source, r.lang) {
        chart.set_look(&r.chart);
        let rendered = chart.render(&stem, ImageFormat::Png, r.csv)?;
        written.extend(write_chart(&chart_dir, &rendered.stem, rendered.files())?);
    }
    let shown = seal(
        staged,
        &Request::Replicate(r.clone()),
        &r.input,
        &read.sha256,
        Some(r.options.seed),
        &written,
    )?;
    let lang = r.lang;
    let words = crate::show::words::Words::of(read.loaded.survey.codebook(), lang);
    let mut stdout = typology_view::summary(
        &typology,
        &r.input.file.display().to_string(),
        &words,
        Some(read.loaded.survey.codebook()),
    );
    stdout.push('\n');
    stdout.push_str(&replication::validation_text(
        &v.replication,
        v.starts,
        r.options.seed,
        lang,
    ));
    stdout.push('\n');
    stdout.push_str(&tree::tree_text(
        &v.tree,
        &typology,
        survey.codebook(),
        lang,
    ));
    stdout.push_str(&super::wrote(&shown, lang));
    stdout.push_str(
        &r.input
            .unweighted_line(&read, &r.options.weight, "replicate", lang)?,
    );
    Ok(Outcome::ok(stdout).with_warnings(r.input.load_warnings(&read.loaded), lang))
}
