//! `typfrage synth`: the synthetic stand-in survey, calibrated so that the published figures hold,
//! with the planted type of each municipality beside it. Nothing is written unless every figure is
//! reproduced.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::inputs::check_output_apart;
use super::Outcome;
use crate::error::{Error, Result};
use crate::figures::{self, Published};
use crate::lang::Lang;
use crate::output::write_atomic;
use crate::show::format::number;
use crate::survey::Codebook;
use crate::synth::{self, SynthOptions};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SynthRequest {
    pub seed: u64,
    pub rows: usize,
    /// The survey file to write.
    pub out: PathBuf,
    /// The file of planted types to write.
    pub types_out: PathBuf,
    /// `None`: the built-in codebook.
    #[serde(default)]
    pub codebook: Option<PathBuf>,
    /// Whether stderr was a terminal (the bar shows whenever stderr is one; not recorded when false).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub progress: bool,
    /// Language of everything written for people (console text, tables meant for reading).
    #[serde(default)]
    pub lang: Lang,
}

/// The most rows `synth` writes: its calibration takes time growing with the square of the rows
/// (minutes for ten thousand).
pub const MAX_ROWS: usize = 100_000;

impl SynthRequest {
    pub(super) fn check(&self) -> Result<(), crate::error::UsageError> {
        if !(1..=MAX_ROWS).contains(&self.rows) {
            return Err(crate::error::UsageError::new(format!(
                "--rows {}: expected 1 to {MAX_ROWS} municipalities",
                self.rows
            )));
        }
        Ok(())
    }
}

pub(super) fn run(r: &SynthRequest) -> Result<Outcome> {
    check_output_apart(&r.out, "--out", &[("codebook", r.codebook.as_deref())])?;
    check_output_apart(
        &r.types_out,
        "--types-out",
        &[
            ("codebook", r.codebook.as_deref()),
            ("survey (--out)", Some(r.out.as_path())),
        ],
    )?;
    let codebook = std::sync::Arc::new(match &r.codebook {
        Some(p) => Codebook::from_path(p)?,
        None => Codebook::builtin(),
    });
    let options = SynthOptions {
        seed: r.seed,
        rows: r.rows,
        max_steps: SynthOptions::steps_for(r.rows),
    };
    let published = Published::builtin();
    let bar = super::progress::show(r.lang);
    let made = synth::generate_with(codebook, &published, &options, &|_, _| {});
    drop(bar);
    let made = made?;
    let report = figures::check(&made.survey, &published)?;
    let failures = report.failures();
    if !failures.is_empty() {
        return Err(Error::Input {
            path: r.out.display().to_string(),
            message: format!(
                "the calibration with seed {} did not reproduce {} (nothing was written); try another seed",
                options.seed,
                failures.join(", ")
            ),
        });
    }
    let preamble = synth::preamble(&options);
    let lines: Vec<&str> = preamble.iter().map(String::as_str).collect();
    write_atomic(&r.out, |w| made.survey.write_csv(w, &lines))?;
    write_atomic(&r.types_out, |w| {
        writeln!(
            w,
            "# Planted type of each municipality of the SYNTHETIC stand-in {}.",
            r.out.display()
        )?;
        writeln!(w, "id,planted_type")?;
        for (id, t) in made.survey.ids().iter().zip(&made.planted) {
            writeln!(w, "{id},{t}")?;
        }
        Ok(())
    })?;
    let c = &made.calibration;
    let remaining: Vec<String> = c
        .remaining
        .iter()
        .map(|(id, s)| format!("{id} ({})", number(*s, 3, r.lang)))
        .collect();
    let lang = r.lang;
    let (out, n, types_out) = (r.out.display(), made.survey.len(), r.types_out.display());
    let (steps, last, kept) = (c.steps, c.last_improvement, c.accepted);
    let (before, after) = (
        number(c.loss_before, 3, lang),
        number(c.loss_after, 3, lang),
    );
    let mut text = match lang {
        Lang::De => format!(
            "geschrieben: {out} ({n} Kommunen) und {types_out}\nKalibrierung: {steps} Schritte (letzte Änderung behalten bei {last}), {kept} Änderungen behalten, Fehlbetrag {before} -> {after}"
        ),
        Lang::En => format!(
            "wrote {out} ({n} municipalities) and {types_out}\ncalibration: {steps} steps (last change kept at {last}), {kept} changes kept, shortfall {before} -> {after}"
        ),
    };
    if !remaining.is_empty() {
        text.push_str(&format!(
            "; {}: {}",
            lang.pick(
                "noch nicht bei ihren gezogenen Zielwerten (jede Zahl liegt in ihrem veröffentlichten Bereich)",
                "not yet at their drawn targets (every figure is inside its published range)"
            ),
            remaining.join(", ")
        ));
    }
    text.push_str(&format!(
        "\n{}\n",
        crate::show::views::figures::render::summary(&report, lang)
    ));
    Ok(Outcome::ok(text))
}
