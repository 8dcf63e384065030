//! `typfrage chart`: a picture redrawn from the chart file written beside it.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::inputs::check_output_apart;
use super::Outcome;
use crate::error::{Result, UsageError};
use crate::escape::field;
use crate::lang::Lang;
use crate::output::write_atomic;
use crate::show::chart as plot;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
pub struct ChartRequest {
    /// Chart file (.json) written beside a PNG or SVG
    pub spec: PathBuf,
    /// Picture to write (.png or .svg) [default: the spec's name with .png]
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long, value_name = "FILE"))]
    pub out: Option<PathBuf>,
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(skip))]
    pub lang: Lang,
    /// Drawn at another size, text scale or with full share axes; what is not given stays as
    /// the chart file has it.
    #[serde(default)]
    #[cfg_attr(feature = "cli", command(flatten))]
    pub chart: plot::ChartLook,
}

pub(super) fn run(r: &ChartRequest) -> Result<Outcome> {
    let out = r
        .out
        .clone()
        .unwrap_or_else(|| r.spec.with_extension("png"));
    let format = plot::ImageFormat::from_path(&out).map_err(|e| {
        UsageError::new(format!("--out {}: {e}", field(&out.display().to_string())))
    })?;
    check_output_apart(&out, "--out", &[("chart file", Some(r.spec.as_path()))])?;
    let mut chart = plot::read_chart(&r.spec)?;
    chart.set_look(&r.chart);
    let picture = chart.picture(format, &out.display().to_string())?;
    write_atomic(&out, |w| w.write_all(&picture))?;
    let (w, h) = chart.size();
    Ok(Outcome::ok(match r.lang {
        Lang::De => format!(
            "gezeichnet: {} ({w}x{h}) aus {}\n",
            out.display(),
            r.spec.display()
        ),
        Lang::En => format!(
            "drew {} ({w}x{h}) from {}\n",
            out.display(),
            r.spec.display()
        ),
    }))
}
