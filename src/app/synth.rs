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
#[cfg_attr(feature = "cli", derive(clap::Args))]
pub struct SynthRequest {
    /// Random seed
    #[cfg_attr(feature = "cli", arg(long, default_value_t = crate::synth::SynthOptions::default().seed))]
    pub seed: u64,
    /// Number of municipalities
    #[cfg_attr(feature = "cli", arg(long, default_value_t = crate::synth::SynthOptions::default().rows))]
    pub rows: usize,
    /// Where to write the survey
    #[cfg_attr(
        feature = "cli",
        arg(long, default_value = "data/survey.csv", value_name = "FILE")
    )]
    pub out: PathBuf,
    /// Where to write the planted type of each municipality
    #[cfg_attr(
        feature = "cli",
        arg(
            long,
            default_value = "data/survey-planted-types.csv",
            value_name = "FILE"
        )
    )]
    pub types_out: PathBuf,
    /// Also write a second wave of the same municipalities to FILE (some moved to another type,
    /// some left or entered, three merged), its key file FILE-keys.csv and what was planted
    /// FILE-planted.csv (FILE without its extension)
    // [`second_wave_files`]; not recorded when unset
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "cli", arg(long, value_name = "FILE"))]
    pub second_wave: Option<PathBuf>,
    /// Codebook to check the survey against (TOML); the 2018/19 codebook is built in
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long, value_name = "FILE"))]
    pub codebook: Option<PathBuf>,
    // whether stderr was a terminal (the bar shows whenever stderr is one; not recorded when false)
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    #[cfg_attr(feature = "cli", arg(skip))]
    pub progress: bool,
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(skip))]
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

/// The files of a second wave written to `survey`: the survey, its key file (`<stem>-keys.csv`)
/// and the planted changes (`<stem>-planted.csv`), beside it.
pub fn second_wave_files(survey: &std::path::Path) -> [PathBuf; 3] {
    let stem = survey
        .file_stem()
        .map_or_else(|| "wave2".into(), |s| s.to_string_lossy().into_owned());
    [
        survey.to_path_buf(),
        survey.with_file_name(format!("{stem}-keys.csv")),
        survey.with_file_name(format!("{stem}-planted.csv")),
    ]
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
    if let Some(second) = &r.second_wave {
        for file in second_wave_files(second) {
            check_output_apart(
                &file,
                "--second-wave",
                &[
                    ("codebook", r.codebook.as_deref()),
                    ("survey (--out)", Some(r.out.as_path())),
                    ("planted types (--types-out)", Some(r.types_out.as_path())),
                ],
            )?;
        }
    }
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
    let second = match &r.second_wave {
        Some(path) => Some((
            path,
            synth::second_wave(&made.survey, &made.planted, options.seed)?,
        )),
        None => None,
    };
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
    let second_line = match &second {
        Some((path, wave)) => write_second_wave(path, wave, &r.out, r.lang)?,
        None => String::new(),
    };
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
    text.push_str(&second_line);
    Ok(Outcome::ok(text))
}

/// Writes the second wave's three files (see [`second_wave_files`]); the line saying so.
fn write_second_wave(
    path: &std::path::Path,
    wave: &synth::SecondWave,
    first: &std::path::Path,
    lang: Lang,
) -> Result<String> {
    let [survey, keys, planted] = second_wave_files(path);
    let preamble = [
        "SYNTHETIC STAND-IN DATA - a second wave made up from the first, not a survey of municipalities.".to_string(),
        format!(
            "The municipalities of {} some years on: changes planted as {} lists them; merged identifiers in {}.",
            crate::escape::field(&first.display().to_string()),
            crate::escape::field(&planted.display().to_string()),
            crate::escape::field(&keys.display().to_string())
        ),
    ];
    let lines: Vec<&str> = preamble.iter().map(String::as_str).collect();
    write_atomic(&survey, |w| wave.survey.write_csv(w, &lines))?;
    write_atomic(&keys, |w| {
        writeln!(w, "old_id,new_id")?;
        for (old, new) in &wave.keys {
            writeln!(w, "{old},{new}")?;
        }
        Ok(())
    })?;
    write_atomic(&planted, |w| {
        writeln!(w, "id,new_id,old_type,new_type,change")?;
        for p in &wave.planted {
            writeln!(
                w,
                "{},{},{},{},{}",
                p.id,
                p.new_id.as_deref().unwrap_or_default(),
                p.old_type.unwrap_or_default(),
                p.new_type.unwrap_or_default(),
                p.change.slug()
            )?;
        }
        Ok(())
    })?;
    let count = |c: synth::Change| wave.planted.iter().filter(|p| p.change == c).count();
    let (moved, left, entered, merged) = (
        count(synth::Change::Moved),
        count(synth::Change::Left),
        count(synth::Change::Entered),
        count(synth::Change::Merged),
    );
    let (n, s, k, p) = (
        wave.survey.len(),
        survey.display(),
        keys.display(),
        planted.display(),
    );
    Ok(match lang {
        Lang::De => format!(
            "zweite Welle: {s} ({n} Kommunen; {moved} zu einem anderen Typ gewechselt, {left} nicht mehr dabei, {entered} neu dabei, {merged} zusammengeschlossen), {k} und {p} geschrieben\n"
        ),
        Lang::En => format!(
            "second wave: {s} ({n} municipalities; {moved} moved to another type, {left} left, {entered} entered, {merged} merged), wrote {k} and {p}\n"
        ),
    })
}
