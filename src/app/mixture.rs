//! `typfrage mixture`: Gaussian mixtures fitted by EM over the covariance structures mclust calls
//! EII, VII, EEI, VVI, EEE and VVV, for a range of k, compared by BIC (mclust's sign: larger is
//! better), and the best mixture's agreement with the k-means types. A result folder with a
//! manifest, like `cluster`'s.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::folder::Staged;
use super::inputs::type_definitions;
use super::sealed::seal;
use super::{out_or, Outcome, RecordedPaths, Request, SurveyInput};
use crate::cluster::mixture::{CovarianceModel, MixtureOptions};
use crate::cluster::mixtures_for_typology;
use crate::cluster::{self, ClusterOptions};
use crate::error::{Result, UsageError};
use crate::lang::Lang;
use crate::output::{default_out_dir, write_atomic};
use crate::show::format::number;
use crate::show::table::terminal::Terminal;
use crate::show::table::{Cell, CsvStyle, Table};
use crate::show::views::mixture::{bic_table, memberships_table};

/// What `mixture` is asked to do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
#[cfg_attr(
    feature = "cli",
    command(
        mut_arg("k", |a| a.help("Number of k-means types to compare with")),
        mut_arg("n_init", |a| a.help("k-means restarts for the types"))
    )
)]
pub struct MixtureRequest {
    #[serde(flatten)]
    #[cfg_attr(feature = "cli", command(flatten))]
    pub input: SurveyInput,
    // the k-means typology the mixtures are compared with
    #[cfg_attr(feature = "cli", command(flatten))]
    pub options: ClusterOptions,
    #[cfg_attr(feature = "cli", arg(long, default_value_t = 2))]
    pub k_min: usize,
    #[cfg_attr(feature = "cli", arg(long, default_value_t = 8))]
    pub k_max: usize,
    /// Covariance structures, comma-separated (mclust's names)
    #[cfg_attr(
        feature = "cli",
        arg(long, value_delimiter = ',', default_value = "EII,VII,EEI,VVI,EEE,VVV")
    )]
    pub models: Vec<String>,
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(skip))]
    pub lang: Lang,
    /// Output folder for bic.csv, memberships.csv and manifest.json [default: <input stem>-typfrage/mixture]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "cli", arg(long, value_name = "DIR"))]
    pub out: Option<PathBuf>,
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long, value_enum, default_value_t))]
    pub csv: CsvStyle,
}

impl MixtureRequest {
    /// The files it reads, by their role in a manifest, and its output folder.
    pub(super) fn recorded_paths(&mut self) -> RecordedPaths<'_> {
        RecordedPaths {
            inputs: self.input.paths_mut(),
            out: &mut self.out,
        }
    }
}

impl MixtureRequest {
    pub(super) fn check(&self) -> Result<(), UsageError> {
        super::options::check_options(&self.options)?;
        let most = super::options::MAX_K;
        if self.k_min < 1 || self.k_max < self.k_min || self.k_max > most {
            return Err(UsageError::new(format!(
                "--k-min {} --k-max {}: expected 1 <= k-min <= k-max <= {most}",
                self.k_min, self.k_max
            )));
        }
        if self.models.is_empty() {
            return Err(UsageError::new(
                "--models: expected at least one covariance structure",
            ));
        }
        super::options::check_once("--models", &self.models)?;
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
    let _bar = super::progress::show(r.lang);
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
    let staged = Staged::begin(&dir)?;
    let out = staged.dir().to_path_buf();
    let bic_path = out.join("bic.csv");
    let bic = bic_table(&result.mixtures).csv(r.csv)?;
    write_atomic(&bic_path, |w| w.write_all(bic.as_bytes()))?;
    let mut written = vec![bic_path];
    if let Some(best) = result.mixtures.best(None) {
        let ids: Vec<String> = typology.matrix.ids(survey).map(String::from).collect();
        let path = out.join("memberships.csv");
        let text = memberships_table(&ids, best).csv(r.csv)?;
        write_atomic(&path, |w| w.write_all(text.as_bytes()))?;
        written.push(path);
    }
    let shown = seal(
        staged,
        &Request::Mixture(r.clone()),
        &r.input,
        &read.sha256,
        Some(r.options.seed),
        &written,
    )?;

    let lang = r.lang;
    let words = crate::show::words::Words::of(survey.codebook(), lang);
    let units = words.units();
    let (file, n, k) = (
        r.input.file.display(),
        typology.assignments.len(),
        r.options.k,
    );
    let mut stdout = match lang {
        Lang::De => format!(
            "{file}: {n} {units} geclustert, k-means-Typen wie `cluster` sie findet (k = {k})\n\
             Gaußsche Mischungen per EM, BIC wie mclust es angibt (größer ist besser; - = nicht schätzbar):\n"
        ),
        Lang::En => format!(
            "{file}: {n} {units} clustered, k-means types as `cluster` finds them (k = {k})\n\
             Gaussian mixtures by EM, BIC as mclust reports it (larger is better; - = not estimable):\n"
        ),
    };
    let mut bic = Table::new(std::iter::once("k").chain(options.models.iter().map(|m| m.name())));
    for k in r.k_min..=r.k_max {
        let mut cells = vec![Cell::count(k)];
        cells.extend(options.models.iter().map(|m| {
            let fit = (result.mixtures.fits.iter()).find(|f| f.k == k && f.model == *m);
            Cell::opt(fit.and_then(|f| f.estimate.as_ref()).map(|e| e.bic), 1)
        }));
        bic.push(cells);
    }
    let term = Terminal {
        indent: 2,
        empty: "-",
        ..Terminal::new(lang)
    };
    stdout.push_str(&term.render(&bic));
    for (label, agreement) in [
        (lang.pick("am besten nach BIC", "best by BIC"), &result.best),
        (
            lang.pick("am besten mit k Typen", "best with k types"),
            &result.best_at_k,
        ),
    ] {
        stdout.push_str(&match (agreement, lang) {
            (Some(a), Lang::De) => format!(
                "{label}: {} mit k = {}; Übereinstimmung mit den k-means-Typen: bereinigter Rand-Index {}\n",
                a.model.name(),
                a.k,
                number(a.ari, 3, lang)
            ),
            (Some(a), Lang::En) => format!(
                "{label}: {} with k = {}; agreement with the k-means types: adjusted Rand index {}\n",
                a.model.name(),
                a.k,
                number(a.ari, 3, lang)
            ),
            (None, Lang::De) => format!("{label}: keine ließ sich schätzen\n"),
            (None, Lang::En) => format!("{label}: none could be estimated\n"),
        });
    }
    stdout.push_str(&super::wrote(&shown, lang));
    stdout.push_str(
        &r.input
            .unweighted_line(&read, &r.options.weight, "mixture", lang)?,
    );
    Ok(Outcome::ok(stdout).with_warnings(r.input.load_warnings(&read.loaded), lang))
}
