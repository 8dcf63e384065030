//! `typfrage export`: the validated survey, labelled, written for other tools (Parquet: codes as
//! integers, value labels as categorical columns; see [`crate::survey::to_frame`]).

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::inputs::check_output_apart;
use super::{Outcome, SurveyInput};
use crate::error::Result;
use crate::output::write_atomic;
use crate::survey;

/// The file formats `export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
#[serde(rename_all = "kebab-case")]
pub enum ExportFormat {
    #[default]
    Parquet,
}

/// What `export` is asked to do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
#[cfg_attr(
    feature = "cli",
    command(
        mut_arg("file", |a| a.help("Survey file (CSV or tab-separated text)"))
    )
)]
pub struct ExportRequest {
    #[serde(flatten)]
    #[cfg_attr(feature = "cli", command(flatten))]
    pub input: SurveyInput,
    /// File format
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long, value_enum, default_value_t))]
    pub format: ExportFormat,
    /// The file to write
    #[cfg_attr(feature = "cli", arg(long, value_name = "FILE"))]
    pub out: PathBuf,
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(skip))]
    pub lang: crate::lang::Lang,
}

pub(super) fn run(r: &ExportRequest) -> Result<Outcome> {
    check_output_apart(&r.out, "--out", &r.input.roles())?;
    let read = r.input.read()?;
    let survey = &read.loaded.survey;
    match r.format {
        ExportFormat::Parquet => write_atomic(&r.out, |w| {
            survey::write_parquet(survey, w).map_err(std::io::Error::other)
        })?,
    }
    let coded = survey
        .codebook()
        .variables
        .iter()
        .filter(|v| v.kind.is_coded())
        .count();
    let (file, rows, variables, out) = (
        r.input.file.display(),
        survey.len(),
        survey.codebook().variables.len(),
        r.out.display(),
    );
    let words = crate::show::words::Words::of(survey.codebook(), r.lang);
    let units = words.units();
    Ok(Outcome::ok(match r.lang {
        crate::lang::Lang::De => format!(
            "{file}: {rows} {units}, {variables} Variablen ({coded} mit Label-Spalte) geschrieben nach {out}\n"
        ),
        crate::lang::Lang::En => format!(
            "{file}: {rows} {units}, {variables} variables ({coded} with a label column) written to {out}\n"
        ),
    })
    .with_warnings(r.input.load_warnings(&read.loaded), r.lang))
}
