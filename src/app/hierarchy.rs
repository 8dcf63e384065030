//! `typfrage hierarchy`: Ward's hierarchical clustering (as R's `hclust(dist(x), "ward.D2")`) on the
//! variables, scaling and missing-value policy of `cluster`, its merge schedule, its partition into k
//! groups, and k-means started from the Ward centroids with the agreement of the two partitions;
//! the dendrogram chart of the last merges. A result folder with a manifest, like `cluster`'s.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::folder::Staged;
use super::sealed::seal;
use super::{out_or, Outcome, RecordedPaths, Request, SurveyInput};
use crate::cluster::hierarchy::{ward_survey, WardOptions};
use crate::cluster::ClusterOptions;
use crate::error::{Result, UsageError};
use crate::lang::Lang;
use crate::output::{default_out_dir, write_atomic, write_chart};
use crate::show::chart::{self, ImageFormat};
use crate::show::format::number;
use crate::show::labels::DataSource;
use crate::show::table::{Cell, CsvStyle, Table};
pub use crate::show::views::hierarchy::DENDROGRAM_LEAVES;
use crate::show::views::hierarchy::{
    crosstab_text, dendrogram_chart, last_merges_text, merges_table,
};

/// What `hierarchy` is asked to do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
#[cfg_attr(
    feature = "cli",
    command(
        mut_arg("k", |a| a.help("Number of groups to cut the tree into")),
        mut_arg("n_init", |a| a.hide(true).default_value("1").value_parser(clap::builder::RangedU64ValueParser::<usize>::new().range(1..=1)))
    )
)]
pub struct HierarchyRequest {
    #[serde(flatten)]
    #[cfg_attr(feature = "cli", command(flatten))]
    pub input: SurveyInput,
    // variables, scaling, missing values and k as for `cluster` (restarts unused: the k-means
    // refinement has one deterministic start, the Ward centroids; the seed draws the sample)
    #[cfg_attr(feature = "cli", command(flatten))]
    pub options: ClusterOptions,
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(skip))]
    pub lang: Lang,
    /// Output folder for merges.csv, partition.csv, the dendrogram and manifest.json
    /// [default: <input stem>-typfrage/hierarchy]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "cli", arg(long, value_name = "DIR"))]
    pub out: Option<PathBuf>,
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long, value_enum, default_value_t))]
    pub csv: CsvStyle,
    /// The dendrogram shows the last merges over this many groups
    #[serde(default = "default_leaves")]
    #[cfg_attr(feature = "cli", arg(long, default_value_t = DENDROGRAM_LEAVES, value_name = "N"))]
    pub leaves: usize,
    /// Run Ward on a seeded sample (--seed) of N rows (for surveys with more answer patterns
    /// than Ward takes: 20,000)
    // not recorded when unset
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "cli", arg(long, value_name = "N"))]
    pub ward_sample: Option<usize>,
}

impl HierarchyRequest {
    /// The files it reads, by their role in a manifest, and its output folder.
    pub(super) fn recorded_paths(&mut self) -> RecordedPaths<'_> {
        RecordedPaths {
            inputs: self.input.paths_mut(),
            out: &mut self.out,
        }
    }
}

fn default_leaves() -> usize {
    DENDROGRAM_LEAVES
}

impl HierarchyRequest {
    pub(super) fn check(&self) -> Result<(), UsageError> {
        super::options::check_options(&self.options)?;
        if let Some(n) = self.ward_sample {
            super::cluster::check_ward_sample(n, self.options.k)?;
        }
        if !(2..=chart::MAX_LEAVES).contains(&self.leaves) {
            return Err(UsageError::new(format!(
                "--leaves {}: expected 2 to {} groups at the foot of the dendrogram",
                self.leaves,
                chart::MAX_LEAVES
            )));
        }
        Ok(())
    }
}

pub(super) fn run(r: &HierarchyRequest) -> Result<Outcome> {
    let dir = out_or(&r.out, || default_out_dir(&r.input.file).join("hierarchy"));
    let read = r.input.read_for(&dir, r.options.vars.as_deref())?;
    let _bar = super::progress::show(r.lang);
    let survey = &read.loaded.survey;
    let o = &r.options;
    let result = ward_survey(
        survey,
        &WardOptions {
            k: o.k,
            scale: o.scale,
            vars: o.vars.clone(),
            missing: o.missing,
            max_iter: o.max_iter,
            tolerance: o.tolerance,
            sample: r.ward_sample,
            seed: o.seed,
        },
    )?;
    let staged = Staged::begin(&dir)?;
    let out = staged.dir().to_path_buf();
    let merges_path = out.join("merges.csv");
    let merges = merges_table(&result.dendrogram).csv(r.csv)?;
    write_atomic(&merges_path, |w| w.write_all(merges.as_bytes()))?;
    let two = &result.two_step;
    let mut partition = Table::new(["id", "ward_group", "kmeans_group"]);
    for ((id, a), b) in result
        .ids
        .iter()
        .zip(&two.ward_labels)
        .zip(&two.kmeans_labels)
    {
        partition.push(vec![
            Cell::text(id.as_str()),
            Cell::count(a + 1),
            Cell::count(b + 1),
        ]);
    }
    let partition = partition.csv(r.csv)?;
    let partition_path = out.join("partition.csv");
    write_atomic(&partition_path, |w| w.write_all(partition.as_bytes()))?;
    let source = DataSource {
        file: r.input.label(),
        synthetic: read.loaded.dialect.says_synthetic(),
    };
    let chart = dendrogram_chart(
        &result.dendrogram,
        r.leaves,
        o.k,
        &source,
        &crate::show::words::Words::of(survey.codebook(), r.lang),
    );
    let mut written = vec![merges_path, partition_path];
    let rendered = chart.render("dendrogram", ImageFormat::Png, r.csv)?;
    written.extend(write_chart(&out, &rendered.stem, rendered.files())?);
    let shown = seal(
        staged,
        &Request::Hierarchy(r.clone()),
        &r.input,
        &read.sha256,
        None,
        &written,
    )?;

    let n = result.ids.len();
    let lang = r.lang;
    let (file, left_out, nvars, scale, merges) = (
        r.input.file.display(),
        result.excluded,
        result.variables.len(),
        crate::show::views::typology::scale_words(o.scale, lang),
        result.dendrogram.merges.len(),
    );
    let words = crate::show::words::Words::of(survey.codebook(), lang);
    let (units, units_dative) = (words.units(), words.units_dative());
    let mut stdout = String::new();
    if n < result.clustered {
        let (all, seed) = (result.clustered, o.seed);
        stdout.push_str(&match lang {
            Lang::De => format!(
                "Ward-Verfahren auf einer Zufallsstichprobe von {n} der {all} geclusterten {units} (Seed {seed}): alles Folgende gilt für die Stichprobe\n"
            ),
            Lang::En => format!(
                "Ward's clustering on a seeded sample of {n} of the {all} clustered {units} (seed {seed}): everything below is the sample's\n"
            ),
        });
    }
    stdout += &match lang {
        Lang::De => format!(
            "{file}: {n} {units} geclustert ({left_out} ausgelassen), {nvars} Variablen, Skalierung {scale}\n\
             Ward-Verfahren (minimale Varianz, wie hclust ward.D2 in R): {merges} Verschmelzungen; die letzten \
             (Höhe, Zunahme der Quadratsumme innerhalb der Cluster):\n"
        ),
        Lang::En => format!(
            "{file}: {n} {units} clustered ({left_out} left out), {nvars} variables, scaling {scale}\n\
             Ward's minimum-variance clustering (as R's hclust ward.D2): {merges} merges; the last ones \
             (height, increase in the within-cluster sum of squares):\n"
        ),
    };
    stdout += &last_merges_text(&result.dendrogram, n, 8, lang);
    let num = |v: f64, d: usize| number(v, d, lang);
    let (ward, kmeans, ari) = (
        num(two.ward_wss, 2),
        num(two.kmeans_wss, 2),
        num(two.ari, 3),
    );
    stdout.push_str(&match lang {
        Lang::De => format!(
            "\nk = {}: Quadratsumme innerhalb der Cluster nach Ward {ward}; k-means, gestartet von den Ward-Zentren, {kmeans}\n\
             Übereinstimmung der beiden Partitionen: bereinigter Rand-Index {ari}, {} von {n} {units_dative} gewechselt\n",
            two.k, two.moved
        ),
        Lang::En => format!(
            "\nk = {}: Ward within-cluster sum of squares {ward}; k-means started from the Ward centroids {kmeans}\n\
             agreement of the two partitions: adjusted Rand index {ari}, {} of {n} {units} moved\n",
            two.k, two.moved
        ),
    });
    stdout.push_str(&crosstab_text(
        &two.crosstab,
        (&result.ward_names, &result.kmeans_names),
        lang,
    ));
    stdout.push_str(&super::wrote(&shown, lang));
    stdout.push_str(
        &r.input
            .unweighted_line(&read, &r.options.weight, "hierarchy", lang)?,
    );
    Ok(Outcome::ok(stdout).with_warnings(r.input.load_warnings(&read.loaded), lang))
}
