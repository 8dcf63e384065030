//! Command-line arguments (clap) and their translation into library calls. The library never sees
//! clap; this module turns arguments into the library's option types and results into text and
//! exit codes.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand, ValueEnum};

use typfrage::figures::{self, Format, Published, Verdict};
use typfrage::output::write_atomic;
use typfrage::survey::{self, Codebook, Loaded, Problems, SurveyError};
use typfrage::synth::{self, SynthOptions};

const EXIT_CODES: &str = "Exit codes:
  0  success
  1  the data or the analysis failed (the message says which file, row, column and value)
  2  usage error (unknown option, missing argument)
  3  published figures or findings not reproduced (typfrage figures)";

#[derive(Debug, Parser)]
#[command(
    name = "typfrage",
    version,
    about = "Typology of German municipalities' digitalisation (ÖFIT/KGSt survey 2018/19)",
    after_help = EXIT_CODES
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, clap::Args)]
struct CodebookArg {
    /// Codebook to check the survey against (TOML); the 2018/19 codebook is built in
    #[arg(long, value_name = "FILE")]
    codebook: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check every cell of a survey file against the codebook
    #[command(after_help = EXIT_CODES)]
    Validate {
        /// Survey file (CSV: comma, semicolon or tab; UTF-8, UTF-16 or Windows-1252)
        file: PathBuf,
        #[command(flatten)]
        codebook: CodebookArg,
        /// List at most this many problems (the rest are counted)
        #[arg(long, default_value_t = Problems::DEFAULT_LIMIT, value_name = "N")]
        max_problems: usize,
    },
    /// Recompute every published figure and finding from a survey file and compare
    #[command(after_help = EXIT_CODES)]
    Figures {
        /// Survey file
        file: PathBuf,
        #[command(flatten)]
        codebook: CodebookArg,
        /// Published figures to compare against (TOML); the 2019 short study's are built in
        #[arg(long, value_name = "FILE")]
        published: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = FormatArg::Table)]
        format: FormatArg,
    },
    /// Generate the synthetic stand-in survey (calibrated to the published figures)
    #[command(after_help = EXIT_CODES)]
    Synth {
        /// Random seed
        #[arg(long, default_value_t = SynthOptions::default().seed)]
        seed: u64,
        /// Number of municipalities
        #[arg(long, default_value_t = SynthOptions::default().rows)]
        rows: usize,
        /// Where to write the survey
        #[arg(long, default_value = "data/survey.csv", value_name = "FILE")]
        out: PathBuf,
        /// Where to write the planted type of each municipality
        #[arg(
            long,
            default_value = "data/survey-planted-types.csv",
            value_name = "FILE"
        )]
        types_out: PathBuf,
        #[command(flatten)]
        codebook: CodebookArg,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum FormatArg {
    Table,
    Md,
    Csv,
    Json,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Table => Format::Table,
            FormatArg::Md => Format::Markdown,
            FormatArg::Csv => Format::Csv,
            FormatArg::Json => Format::Json,
        }
    }
}

/// What a command produced: text for stdout and the exit code.
struct Outcome {
    stdout: String,
    stderr: String,
    code: u8,
}

impl Outcome {
    fn ok(stdout: String) -> Outcome {
        Outcome {
            stdout,
            stderr: String::new(),
            code: 0,
        }
    }
}

fn load_codebook(arg: &CodebookArg) -> Result<Arc<Codebook>, SurveyError> {
    Ok(Arc::new(match &arg.codebook {
        Some(path) => Codebook::from_path(path)?,
        None => Codebook::builtin(),
    }))
}

fn validate(file: &Path, codebook: &CodebookArg, max_problems: usize) -> anyhow::Result<Outcome> {
    let codebook = load_codebook(codebook)?;
    match survey::load_path(file, codebook) {
        Ok(loaded) => Ok(Outcome::ok(validation_summary(file, &loaded))),
        Err(SurveyError::Invalid(problems)) => Ok(Outcome {
            stdout: problems.render(max_problems) + "\n",
            stderr: String::new(),
            code: 1,
        }),
        Err(e) => Err(e.into()),
    }
}

fn validation_summary(file: &Path, loaded: &Loaded) -> String {
    let d = &loaded.dialect;
    let s = &loaded.survey;
    let mut out = format!(
        "{}: {} rows, {} columns; {}, {}-separated, {} line endings{}\nNo problems found.\n",
        file.display(),
        s.len(),
        s.codebook().variables.len(),
        d.encoding,
        d.separator_name(),
        d.line_ending,
        if d.comment_lines > 0 {
            format!(", {} comment lines before the header", d.comment_lines)
        } else {
            String::new()
        }
    );
    let missing: Vec<_> = loaded
        .missing()
        .into_iter()
        .filter(|m| m.no_answer + m.not_applicable > 0)
        .collect();
    if missing.is_empty() {
        out.push_str("No missing values.\n");
        return out;
    }
    let width = missing
        .iter()
        .map(|m| m.variable.len())
        .max()
        .unwrap_or(8)
        .max(8);
    out.push_str(&format!(
        "\nMissing values ({} of {} variables have some; the others are complete):\n",
        missing.len(),
        s.codebook().variables.len()
    ));
    out.push_str(&format!(
        "{:<width$}  {:>9}  {:>14}  {:>5}\n",
        "variable", "no answer", "not applicable", "valid"
    ));
    for m in &missing {
        out.push_str(&format!(
            "{:<width$}  {:>9}  {:>14}  {:>5}\n",
            m.variable,
            m.no_answer,
            m.not_applicable,
            s.len() - m.no_answer - m.not_applicable
        ));
    }
    out
}

fn figures_cmd(
    file: &Path,
    codebook: &CodebookArg,
    published: Option<&Path>,
    format: FormatArg,
) -> anyhow::Result<Outcome> {
    let codebook = load_codebook(codebook)?;
    let published = match published {
        Some(p) => Published::from_path(p)?,
        None => Published::builtin(),
    };
    let loaded = survey::load_path(file, codebook)?;
    let report = figures::check(&loaded.survey, &published)?;
    let stdout = figures::render(&report, format.into());
    let failures = report.failures();
    if failures.is_empty() {
        return Ok(Outcome::ok(stdout));
    }
    let not_computed = report
        .figures
        .iter()
        .filter(|f| f.verdict == Verdict::NotComputed)
        .count();
    let mut stderr = format!(
        "{}: {} published figures or findings not reproduced: {}\n",
        file.display(),
        failures.len(),
        failures.join(", ")
    );
    if not_computed > 0 {
        stderr.push_str(&format!(
            "({not_computed} figures have no computation or an empty base)\n"
        ));
    }
    Ok(Outcome {
        stdout,
        stderr,
        code: 3,
    })
}

fn synth_cmd(
    options: SynthOptions,
    out: &Path,
    types_out: &Path,
    codebook: &CodebookArg,
) -> anyhow::Result<Outcome> {
    let codebook = load_codebook(codebook)?;
    let published = Published::builtin();
    let made = synth::generate(codebook, &published, &options)?;
    let report = figures::check(&made.survey, &published)?;
    let failures = report.failures();
    if !failures.is_empty() {
        anyhow::bail!(
            "the calibration with seed {} did not reproduce {} (nothing was written); try another seed",
            options.seed,
            failures.join(", ")
        );
    }
    let preamble = synth::preamble(&options);
    let lines: Vec<&str> = preamble.iter().map(String::as_str).collect();
    write_atomic(out, |w| made.survey.write_csv(w, &lines))?;
    write_atomic(types_out, |w| {
        writeln!(
            w,
            "# Planted type of each municipality of the SYNTHETIC stand-in {}.",
            out.display()
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
        .map(|(id, s)| format!("{id} ({s:.3})"))
        .collect();
    Ok(Outcome::ok(format!(
        "wrote {} ({} municipalities) and {}\ncalibration: {} steps (last change kept at {}), {} changes kept, shortfall {:.3} -> {:.3}{}\n{}\n",
        out.display(),
        made.survey.len(),
        types_out.display(),
        c.steps,
        c.last_improvement,
        c.accepted,
        c.loss_before,
        c.loss_after,
        if remaining.is_empty() { String::new() } else { format!("; still short of the calibration room: {}", remaining.join(", ")) },
        figures::render::summary(&report)
    )))
}

fn run(cli: Cli) -> anyhow::Result<Outcome> {
    match cli.command {
        Command::Validate {
            file,
            codebook,
            max_problems,
        } => validate(&file, &codebook, max_problems),
        Command::Figures {
            file,
            codebook,
            published,
            format,
        } => figures_cmd(&file, &codebook, published.as_deref(), format),
        Command::Synth {
            seed,
            rows,
            out,
            types_out,
            codebook,
        } => synth_cmd(
            SynthOptions {
                seed,
                rows,
                ..SynthOptions::default()
            },
            &out,
            &types_out,
            &codebook,
        ),
    }
}

/// Writes to a stream, treating a closed pipe as success.
fn emit(mut stream: impl Write, text: &str) -> bool {
    match stream
        .write_all(text.as_bytes())
        .and_then(|()| stream.flush())
    {
        Ok(()) => true,
        Err(e) => e.kind() == std::io::ErrorKind::BrokenPipe,
    }
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(outcome) => {
            let ok = emit(std::io::stdout().lock(), &outcome.stdout)
                && emit(std::io::stderr().lock(), &outcome.stderr);
            ExitCode::from(if ok { outcome.code } else { 1 })
        }
        Err(e) => {
            let message = match e.downcast_ref::<SurveyError>() {
                Some(SurveyError::Invalid(problems)) => problems.to_string(),
                _ => format!("error: {e}"),
            };
            emit(std::io::stderr().lock(), &(message + "\n"));
            ExitCode::from(1)
        }
    }
}
