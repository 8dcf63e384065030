//! `typfrage response-style`: whether a type is a response style. The k-means typology is fitted
//! as `cluster` fits it, then the clustering is re-run on each municipality's ratings centred on
//! its own mean (optionally also divided by its own spread); the new clusters are matched to the
//! types (largest overlap, Hungarian method), and the command reports how many municipalities keep
//! their type and which type depends most on the overall rating level. A result folder with a
//! manifest, like `cluster`'s.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::folder::Staged;
use super::inputs::type_definitions;
use super::sealed::seal;
use super::{out_or, Outcome, RecordedPaths, Request, SurveyInput};
use crate::cluster::response_style::{response_style, ResponseStyleOptions};
use crate::cluster::{self, ClusterOptions};
use crate::error::{Result, UsageError};
use crate::lang::Lang;
use crate::output::{default_out_dir, write_atomic};
use crate::show::table::CsvStyle;
use crate::show::views::{response_style as view, typology::advice};

/// The table `response-style` writes.
pub const RESPONSE_STYLE_FILE: &str = "response-style.csv";

/// What `response-style` is asked to do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
#[cfg_attr(
    feature = "cli",
    command(
        mut_arg("n_init", |a| a.help("k-means restarts, for the types and for the re-run"))
    )
)]
pub struct ResponseStyleRequest {
    #[serde(flatten)]
    #[cfg_attr(feature = "cli", command(flatten))]
    pub input: SurveyInput,
    // the k-means typology, as `cluster` fits it; the re-run uses the same settings
    #[cfg_attr(feature = "cli", command(flatten))]
    pub options: ClusterOptions,
    /// Also divide each row's centred ratings by their own spread
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long = "scale-by-spread"))]
    pub by_spread: bool,
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(skip))]
    pub lang: Lang,
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long, value_enum, default_value_t))]
    pub csv: CsvStyle,
    /// Output folder for response-style.csv and manifest.json
    /// [default: <input stem>-typfrage/response-style]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "cli", arg(long, value_name = "DIR"))]
    pub out: Option<PathBuf>,
}

impl ResponseStyleRequest {
    /// The files it reads, by their role in a manifest, and its output folder.
    pub(super) fn recorded_paths(&mut self) -> RecordedPaths<'_> {
        RecordedPaths {
            inputs: self.input.paths_mut(),
            out: &mut self.out,
        }
    }
}

impl ResponseStyleRequest {
    pub(super) fn check(&self) -> Result<(), UsageError> {
        super::options::check_options(&self.options)
    }
}

pub(super) fn run(r: &ResponseStyleRequest) -> Result<Outcome> {
    let dir = out_or(&r.out, || {
        default_out_dir(&r.input.file).join("response-style")
    });
    let read = r.input.read_for(&dir, r.options.vars.as_deref())?;
    let _bar = super::progress::show(r.lang);
    let survey = &read.loaded.survey;
    let typology = cluster::fit_typology(survey, &r.options, &type_definitions(None)?)?;
    let result = response_style(
        &typology,
        &ResponseStyleOptions {
            by_spread: r.by_spread,
        },
    )?;
    let staged = Staged::begin(&dir)?;
    let path = staged.dir().join(RESPONSE_STYLE_FILE);
    let text = view::table(&result, r.lang).csv(r.csv)?;
    write_atomic(&path, |w| w.write_all(text.as_bytes()))?;
    let shown = seal(
        staged,
        &Request::ResponseStyle(r.clone()),
        &r.input,
        &read.sha256,
        Some(r.options.seed),
        &[path],
    )?;
    let words = crate::show::words::Words::of(survey.codebook(), r.lang);
    let mut stdout = view::summary(&result, &r.input.file.display().to_string(), &words);
    stdout.push_str(&super::wrote(&shown, r.lang));
    let warnings = r.input.load_warnings(&read.loaded);
    Ok(Outcome::ok(stdout).with_warnings(
        warnings.into_iter().chain(advice(&typology, r.lang)),
        r.lang,
    ))
}
