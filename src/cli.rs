//! Command-line arguments (clap) and their translation into library calls. The library never sees
//! clap; this module turns arguments into the library's option types and results into text and
//! exit codes.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand, ValueEnum};

use typfrage::cluster::{self, write as cw, ClusterOptions, MissingPolicy, SavedModel, ScaleKind};
use typfrage::figures::{self, DataSource, Format, Published, Verdict};
use typfrage::manifest::{self, Manifest};
use typfrage::output::{default_out_dir, ensure_dir, sha256_hex, write_atomic};
use typfrage::report::plot::{self, ImageFormat};
use typfrage::report::profile::Source;
use typfrage::report::sheets::{write_report, ReportOptions};
use typfrage::report::{charts, Lang};
use typfrage::survey::{self, Codebook, Loaded, Problems, SurveyError, DEFAULT_CODEBOOK};
use typfrage::synth::{self, SynthOptions};

const EXIT_CODES: &str = "Exit codes:
  0  success
  1  the data or the analysis failed (the message says which file, row, column and value)
  2  usage error (unknown option, missing argument)
  3  published figures or findings not reproduced (typfrage figures)
  4  a re-run differs from its manifest (typfrage verify)";

#[derive(Debug, Parser)]
#[command(
    name = "typfrage",
    version,
    about = "Typology of German municipalities' digitalisation (ÖFIT/KGSt survey 2018/19)",
    after_help = EXIT_CODES
)]
struct Cli {
    /// Worker threads (default: all cores); results are the same for any number
    #[arg(long, global = true, value_name = "N")]
    threads: Option<usize>,
    #[command(subcommand)]
    command: Command,
}

/// How to cluster: shared by cluster, choose-k and stability.
#[derive(Debug, clap::Args)]
struct ClusterArgs {
    /// Random seed (k-means++ starts)
    #[arg(long, default_value_t = ClusterOptions::default().seed)]
    seed: u64,
    /// Scaling before distances: none (default: the goal priorities share one 1-5 scale), z or range
    #[arg(long, value_enum, default_value_t = ScaleArg::None)]
    scale: ScaleArg,
    /// Variables to cluster, comma-separated (default: the codebook's clustering variables)
    #[arg(long, value_delimiter = ',', value_name = "VAR,...")]
    vars: Vec<String>,
    /// Missing answers on clustering variables: leave the municipality out, or use the variable's mean
    #[arg(long, value_enum, default_value_t = MissingArg::Listwise)]
    missing: MissingArg,
    /// k-means implementation: fast (exact Lloyd iterations, vectorised; Hamerly's bounds above
    /// 8,192 rows; parallel restarts) or linfa (the reference)
    #[arg(long, value_enum, default_value_t = EngineArg::Fast)]
    engine: EngineArg,
    #[command(flatten)]
    codebook: CodebookArg,
}

impl ClusterArgs {
    fn options(&self, k: usize, n_init: usize) -> ClusterOptions {
        ClusterOptions {
            engine: match self.engine {
                EngineArg::Fast => cluster::Engine::Fast,
                EngineArg::Linfa => cluster::Engine::Linfa,
            },
            k,
            seed: self.seed,
            n_init,
            scale: match self.scale {
                ScaleArg::None => ScaleKind::None,
                ScaleArg::Z => ScaleKind::Z,
                ScaleArg::Range => ScaleKind::Range,
            },
            vars: if self.vars.is_empty() {
                None
            } else {
                Some(self.vars.clone())
            },
            missing: match self.missing {
                MissingArg::Listwise => MissingPolicy::Listwise,
                MissingArg::Mean => MissingPolicy::Mean,
            },
            ..ClusterOptions::default()
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ScaleArg {
    None,
    Z,
    Range,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum EngineArg {
    Fast,
    Linfa,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum MissingArg {
    Listwise,
    Mean,
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
        /// Output folder for the figures table, the study's charts and manifest.json
        /// [default: <input stem>-typfrage/figures beside the input]
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Language of the charts' labels
        #[arg(long, value_enum, default_value_t = LangArg::De)]
        lang: LangArg,
        /// Draw the charts as SVG instead of PNG
        #[arg(long)]
        svg: bool,
    },
    /// Re-run the command recorded in a manifest.json and compare every output with it
    #[command(after_help = EXIT_CODES)]
    Verify {
        /// manifest.json written by typfrage cluster or typfrage figures
        manifest: PathBuf,
    },
    /// Redraw a chart from the .json file written beside it (edit labels or colours, then redraw)
    #[command(after_help = EXIT_CODES)]
    Chart {
        /// Chart file (.json) written beside a PNG or SVG
        spec: PathBuf,
        /// Picture to write (.png or .svg) [default: the spec's name with .png]
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Find the digitalisation types: k-means over the goal priorities, named after the published types
    #[command(after_help = EXIT_CODES)]
    Cluster {
        /// Survey file
        file: PathBuf,
        /// Output folder for assignments.csv and model.json [default: <input stem>-typfrage beside the input]
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Also write the profile sheets, cross-tabs, charts and report.html (as typfrage profile)
        #[arg(long)]
        report: bool,
        #[command(flatten)]
        fit: FitArgs,
        #[command(flatten)]
        sheets: SheetArgs,
        #[command(flatten)]
        how: ClusterArgs,
    },
    /// Profile sheets per type: Markdown, one HTML report with charts, JSON, cross-tabs with tests
    #[command(after_help = EXIT_CODES)]
    Profile {
        /// Survey file
        file: PathBuf,
        /// Output folder [default: <input stem>-typfrage/profiles beside the input]
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        #[command(flatten)]
        fit: FitArgs,
        #[command(flatten)]
        sheets: SheetArgs,
        #[command(flatten)]
        how: ClusterArgs,
    },
    /// Compare k = 2..8 by elbow, silhouette, Calinski-Harabasz, Davies-Bouldin and the gap statistic
    #[command(name = "choose-k", after_help = EXIT_CODES)]
    ChooseK {
        /// Survey file
        file: PathBuf,
        #[arg(long, default_value_t = 2)]
        k_min: usize,
        #[arg(long, default_value_t = 8)]
        k_max: usize,
        /// k-means restarts per k
        #[arg(long, default_value_t = 20)]
        n_init: usize,
        /// Reference data sets for the gap statistic
        #[arg(long, default_value_t = 20)]
        gap_refs: usize,
        /// Output folder for choose-k.csv and the chart [default: <input stem>-typfrage beside the input]
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Draw the chart as SVG instead of PNG
        #[arg(long)]
        svg: bool,
        #[command(flatten)]
        how: ClusterArgs,
    },
    /// Bootstrap stability of the types (Jaccard per type, adjusted Rand index)
    #[command(after_help = EXIT_CODES)]
    Stability {
        /// Survey file
        file: PathBuf,
        #[arg(long, default_value_t = ClusterOptions::default().k)]
        k: usize,
        /// k-means restarts for the original fit and for each resample
        #[arg(long, default_value_t = 10)]
        n_init: usize,
        /// Bootstrap resamples
        #[arg(long, default_value_t = 200)]
        resamples: usize,
        /// Output folder for stability.csv [default: <input stem>-typfrage beside the input]
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        #[command(flatten)]
        how: ClusterArgs,
    },
    /// Assign the municipalities of a new survey to the types of a saved model
    #[command(after_help = EXIT_CODES)]
    Classify {
        /// model.json written by typfrage cluster
        model: PathBuf,
        /// Survey file of the new wave
        file: PathBuf,
        /// An earlier assignments file: list who switched type
        #[arg(long, value_name = "FILE")]
        previous: Option<PathBuf>,
        /// Where to write the classification [default: <input stem>-classified.csv beside the input]
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        #[command(flatten)]
        codebook: CodebookArg,
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

/// How many types, how hard to look, what to call them: shared by cluster and profile.
#[derive(Debug, clap::Args)]
struct FitArgs {
    /// Number of types
    #[arg(long, default_value_t = ClusterOptions::default().k)]
    k: usize,
    /// k-means restarts; the one with the smallest within-cluster sum of squares is kept
    #[arg(long, default_value_t = ClusterOptions::default().n_init)]
    n_init: usize,
    /// Type definitions with their signature goals (TOML); the four published types are built in
    #[arg(long, value_name = "FILE")]
    types: Option<PathBuf>,
}

/// How to write profile sheets.
#[derive(Debug, clap::Args)]
struct SheetArgs {
    /// Language of every label and heading of the sheets and charts
    #[arg(long, value_enum, default_value_t = LangArg::De)]
    lang: LangArg,
    /// Also draw every chart as SVG
    #[arg(long)]
    svg: bool,
    /// Draw a bar chart of the cross-tab of these variables by type, comma-separated
    #[arg(long, value_delimiter = ',', value_name = "VAR,...")]
    crosstab: Vec<String>,
}

impl SheetArgs {
    fn options(&self) -> ReportOptions {
        ReportOptions {
            lang: self.lang.into(),
            svg: self.svg,
            crosstab_charts: self.crosstab.clone(),
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum LangArg {
    De,
    En,
}

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Lang {
        match l {
            LangArg::De => Lang::De,
            LangArg::En => Lang::En,
        }
    }
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

/// Reads an optional input file for a manifest; `None` for the built-in text.
fn input_bytes(path: Option<&Path>, builtin: &str) -> Result<Vec<u8>, SurveyError> {
    match path {
        Some(p) => std::fs::read(p).map_err(|source| SurveyError::Read {
            path: p.display().to_string(),
            source,
        }),
        None => Ok(builtin.as_bytes().to_vec()),
    }
}

/// The file name a survey is named by in output files (never its folder, so that a re-run from
/// elsewhere writes the same bytes).
fn file_label(file: &Path) -> String {
    file.file_name().map_or_else(
        || file.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
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
    for w in &loaded.warnings {
        out.push_str(&w.render_warning(&file.display().to_string()));
        out.push('\n');
    }
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

struct FiguresArgs<'a> {
    file: &'a Path,
    codebook: &'a CodebookArg,
    published: Option<&'a Path>,
    format: FormatArg,
    out: Option<PathBuf>,
    lang: Lang,
    svg: bool,
}

fn figures_cmd(a: FiguresArgs, arguments: Vec<String>) -> anyhow::Result<Outcome> {
    let codebook = load_codebook(a.codebook)?;
    let published = match a.published {
        Some(p) => Published::from_path(p)?,
        None => Published::builtin(),
    };
    let bytes = input_bytes(Some(a.file), "")?;
    let loaded = survey::load_bytes(&bytes, &a.file.display().to_string(), codebook)?;
    print_warnings(a.file, &loaded);
    let report = figures::check(&loaded.survey, &published)?;
    let stdout = figures::render(&report, a.format.into());

    let dir = a
        .out
        .unwrap_or_else(|| default_out_dir(a.file).join("figures"));
    ensure_dir(&dir)?;
    let mut written = Vec::new();
    for (name, format) in [
        ("figures.csv", Format::Csv),
        ("figures.md", Format::Markdown),
        ("figures.json", Format::Json),
    ] {
        let path = dir.join(name);
        let text = figures::render(&report, format);
        write_atomic(&path, |w| w.write_all(text.as_bytes()))?;
        written.push(path);
    }
    let source = DataSource {
        file: file_label(a.file),
        synthetic: loaded.dialect.says_synthetic(),
    };
    let image = if a.svg {
        ImageFormat::Svg
    } else {
        ImageFormat::Png
    };
    let study = figures::study_charts(&loaded.survey, &source, a.lang)?;
    for c in &study {
        written.extend(plot::write_chart(&dir, c.stem, &c.chart, image)?);
    }

    let failures = report.failures();
    let code = if failures.is_empty() { 0 } else { 3 };
    let mut m = Manifest::new(
        "figures",
        arguments,
        serde_json::json!({
            "format": format!("{:?}", a.format).to_lowercase(),
            "lang": a.lang.as_str(),
            "charts": image.extension(),
        }),
    );
    m.add_input("survey", Some(a.file), &bytes, &dir);
    m.add_input(
        "codebook",
        a.codebook.codebook.as_deref(),
        &input_bytes(a.codebook.codebook.as_deref(), DEFAULT_CODEBOOK)?,
        &dir,
    );
    m.add_input(
        "published",
        a.published,
        &input_bytes(a.published, figures::DEFAULT_PUBLISHED)?,
        &dir,
    );
    m.exit_code = code;
    m.add_outputs(&dir, &written)?;
    m.write(&dir)?;
    let mut stdout = stdout;
    if matches!(a.format, FormatArg::Table) {
        stdout.push_str(&format!(
            "wrote {} files ({} charts) and {} into {}\n",
            written.len(),
            study.len(),
            manifest::FILE_NAME,
            dir.display()
        ));
    }
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
        a.file.display(),
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
        code,
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

/// Loads and checks a survey, returning it with the SHA-256 of the file.
fn load_survey(file: &Path, codebook: &CodebookArg) -> anyhow::Result<(survey::Survey, String)> {
    let (loaded, sha) = load_checked(file, codebook)?;
    Ok((loaded.survey, sha))
}

/// Loads and checks a survey, keeping what was detected about the file.
fn load_checked(file: &Path, codebook: &CodebookArg) -> anyhow::Result<(Loaded, String)> {
    let bytes = std::fs::read(file).map_err(|source| SurveyError::Read {
        path: file.display().to_string(),
        source,
    })?;
    // the codebook is parsed while the file is split into cells
    let loaded = survey::load_bytes_with(&bytes, &file.display().to_string(), || {
        load_codebook(codebook)
    })?;
    print_warnings(file, &loaded);
    Ok((loaded, sha256_hex(&bytes)))
}

/// Prints what loading a survey warned about on stderr (`validate` lists it in its summary).
fn print_warnings(file: &Path, loaded: &Loaded) {
    let text: String = loaded
        .warnings
        .iter()
        .map(|w| w.render_warning(&file.display().to_string()) + "\n")
        .collect();
    emit(std::io::stderr().lock(), &text);
}

fn out_dir(file: &Path, out: Option<PathBuf>) -> anyhow::Result<PathBuf> {
    let dir = out.unwrap_or_else(|| default_out_dir(file));
    ensure_dir(&dir)?;
    Ok(dir)
}

impl Command {
    /// What a `cluster` or `profile` command asks for, with its own paths; `None` for the others.
    fn cluster_run(&self) -> Option<ClusterRun<'_>> {
        let (command, file, out, fit, how, report) = match self {
            Command::Cluster {
                file,
                out,
                report,
                fit,
                sheets,
                how,
            } => (
                "cluster",
                file,
                out.clone().unwrap_or_else(|| default_out_dir(file)),
                fit,
                how,
                report.then(|| sheets.options()),
            ),
            Command::Profile {
                file,
                out,
                fit,
                sheets,
                how,
            } => (
                "profile",
                file,
                out.clone()
                    .unwrap_or_else(|| default_out_dir(file).join("profiles")),
                fit,
                how,
                Some(sheets.options()),
            ),
            _ => return None,
        };
        Some(ClusterRun {
            command,
            file,
            options: how.options(fit.k, fit.n_init),
            out,
            types: fit.types.as_deref(),
            codebook: &how.codebook,
            report,
        })
    }
}

/// What `cluster` (and `profile`) are asked to do.
struct ClusterRun<'a> {
    command: &'static str,
    file: &'a Path,
    options: ClusterOptions,
    out: PathBuf,
    types: Option<&'a Path>,
    codebook: &'a CodebookArg,
    report: Option<ReportOptions>,
}

fn cluster_cmd(run: ClusterRun, arguments: Vec<String>) -> anyhow::Result<Outcome> {
    let ClusterRun {
        command,
        file,
        options,
        out,
        types,
        codebook,
        report,
    } = run;
    let options = &options;
    let (loaded, sha) = load_checked(file, codebook)?;
    let survey = &loaded.survey;
    let type_defs = match types {
        Some(p) => cluster::types_from_path(p)?,
        None => cluster::builtin_types(),
    };
    let typology = cluster::fit_typology(survey, options, &type_defs)?;
    if let Some(report) = &report {
        typfrage::report::sheets::check_crosstab_charts(
            survey,
            &typology,
            &report.crosstab_charts,
        )?;
    }
    let dir = out_dir(file, Some(out))?;
    let book = survey.codebook();
    let model = SavedModel::from_typology(
        &typology,
        &file_label(file),
        &sha,
        &format!("{} {}", book.meta.title, book.meta.version),
    );
    let assignments = cw::assignments_csv(&typology, survey.ids());
    let model_json = serde_json::to_string_pretty(&model)? + "\n";
    write_atomic(&dir.join("assignments.csv"), |w| {
        w.write_all(assignments.as_bytes())
    })?;
    write_atomic(&dir.join("model.json"), |w| {
        w.write_all(model_json.as_bytes())
    })?;
    let mut written = vec![dir.join("assignments.csv"), dir.join("model.json")];
    let mut report_line = String::new();
    if let Some(report) = &report {
        let source = Source {
            file: file_label(file),
            sha256: sha.clone(),
            synthetic: loaded.dialect.says_synthetic(),
        };
        let (_, files) = write_report(&dir, survey, &typology, &type_defs, source, report)?;
        report_line = format!(
            "wrote the profile sheets, cross-tabs and charts ({} files) and {}\n",
            files.len(),
            dir.join("report.html").display()
        );
        written.extend(files);
    }
    let mut m = Manifest::new(command, arguments, cluster_options_json(options));
    m.seed = Some(options.seed);
    m.add_input_digest("survey", Some(file), sha.clone(), &dir);
    m.add_input(
        "codebook",
        codebook.codebook.as_deref(),
        &input_bytes(codebook.codebook.as_deref(), DEFAULT_CODEBOOK)?,
        &dir,
    );
    m.add_input(
        "types",
        types,
        &input_bytes(types, cluster::DEFAULT_TYPES)?,
        &dir,
    );
    m.add_outputs(&dir, &written)?;
    m.write(&dir)?;
    let mut stdout = cw::summary(&typology, &file.display().to_string());
    stdout.push_str(&format!(
        "wrote {}, {} and {}\n",
        dir.join("assignments.csv").display(),
        dir.join("model.json").display(),
        dir.join(manifest::FILE_NAME).display()
    ));
    stdout.push_str(&report_line);
    let stderr: String = typology
        .warnings()
        .iter()
        .map(|w| format!("warning: {w}\n"))
        .collect();
    Ok(Outcome {
        stdout,
        stderr,
        code: 0,
    })
}

fn choose_k_cmd(
    file: &Path,
    how: &ClusterArgs,
    (k_min, k_max, n_init, gap_refs): (usize, usize, usize, usize),
    out: Option<PathBuf>,
    svg: bool,
) -> anyhow::Result<Outcome> {
    let (survey, _) = load_survey(file, &how.codebook)?;
    let options = how.options(k_min.max(2), n_init);
    let variables = cluster::choose_variables(&survey, options.vars.as_deref())?;
    let matrix =
        cluster::build_matrix(&survey, &variables, options.missing)?.into_canonical_order();
    let x = cluster::Scaler::fit(options.scale, &matrix.x).transform(&matrix.x);
    let scores = cluster::choose_k(
        &x,
        &cluster::ChooseKOptions {
            engine: options.engine,
            k_min,
            k_max,
            seed: options.seed,
            n_init,
            max_iter: options.max_iter,
            tolerance: options.tolerance,
            gap_references: gap_refs,
        },
    )?;
    let rec = cluster::recommend(&scores);
    let dir = out_dir(file, out)?;
    let csv_path = dir.join("choose-k.csv");
    let chart_path = dir.join(if svg { "choose-k.svg" } else { "choose-k.png" });
    let table = cw::choose_k_csv(&scores);
    write_atomic(&csv_path, |w| w.write_all(table.as_bytes()))?;
    let marks = [0, 1, 2, 3, 4].map(|i| rec.choices[i].1);
    charts::choose_k_chart(&chart_path, &scores, marks)?;
    let mut stdout = format!(
        "{}: {} municipalities clustered ({} left out), {} variables, scaling {}\n",
        file.display(),
        matrix.x.nrows(),
        matrix.excluded.len(),
        variables.len(),
        options.scale.as_str()
    );
    stdout.push_str(&cw::choose_k_text(&scores, &rec));
    stdout.push_str(&format!(
        "wrote {} and {}\n",
        csv_path.display(),
        chart_path.display()
    ));
    Ok(Outcome::ok(stdout))
}

fn stability_cmd(
    file: &Path,
    options: &ClusterOptions,
    resamples: usize,
    out: Option<PathBuf>,
    codebook: &CodebookArg,
) -> anyhow::Result<Outcome> {
    let (survey, _) = load_survey(file, codebook)?;
    let typology = cluster::fit_typology(&survey, options, &cluster::builtin_types())?;
    let labels: Vec<usize> = typology.assignments.iter().map(|a| a.type_index).collect();
    let bar = indicatif::ProgressBar::new(resamples as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("resamples {bar:40} {pos}/{len} {elapsed_precise}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let result = cluster::stability(
        &typology.scaled(),
        &labels,
        &options.settings(),
        resamples,
        &|| bar.inc(1),
    );
    bar.finish_and_clear();
    let result = result?;
    let dir = out_dir(file, out)?;
    let path = dir.join("stability.csv");
    let table = cw::stability_csv(&typology, &result);
    write_atomic(&path, |w| w.write_all(table.as_bytes()))?;
    let mut stdout = cw::summary(&typology, &file.display().to_string());
    stdout.push('\n');
    stdout.push_str(&cw::stability_text(&typology, &result));
    stdout.push_str(&format!("wrote {}\n", path.display()));
    let stderr: String = typology
        .types
        .iter()
        .zip(&result.types)
        .filter(|(_, s)| s.mean_jaccard < 0.6)
        .map(|(t, s)| {
            format!(
                "warning: type {} is unstable (mean Jaccard {:.2})\n",
                t.name.name_de, s.mean_jaccard
            )
        })
        .collect();
    Ok(Outcome {
        stdout,
        stderr,
        code: 0,
    })
}

fn cluster_options_json(o: &ClusterOptions) -> serde_json::Value {
    serde_json::json!({
        "k": o.k,
        "seed": o.seed,
        "n_init": o.n_init,
        "scale": o.scale.as_str(),
        "vars": o.vars,
        "missing": o.missing.as_str(),
        "engine": format!("{:?}", o.engine).to_lowercase(),
        "max_iter": o.max_iter,
        "tolerance": o.tolerance,
    })
}

/// Re-runs the command of a manifest into a fresh folder and compares the outputs.
fn verify_cmd(path: &Path) -> anyhow::Result<Outcome> {
    let recorded = Manifest::read(path)?;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut stdout = format!(
        "{}: {} {} by typfrage {}, {} outputs\n",
        path.display(),
        recorded.command,
        recorded.arguments.join(" "),
        recorded.version,
        recorded.outputs.len()
    );
    // the inputs must be the ones recorded
    let mut changed = Vec::new();
    for input in &recorded.inputs {
        let (now, name) = match manifest::resolve(&dir, input) {
            Some(p) => (
                std::fs::read(&p)
                    .map(|b| sha256_hex(&b))
                    .map_err(|source| SurveyError::Read {
                        path: p.display().to_string(),
                        source,
                    })?,
                p.display().to_string(),
            ),
            None => {
                let text = match input.role.as_str() {
                    "codebook" => DEFAULT_CODEBOOK,
                    "types" => cluster::DEFAULT_TYPES,
                    "published" => figures::DEFAULT_PUBLISHED,
                    other => anyhow::bail!("{}: unknown built-in input '{other}'", path.display()),
                };
                (
                    sha256_hex(text.as_bytes()),
                    format!("the built-in {}", input.role),
                )
            }
        };
        if now != input.sha256 {
            changed.push(format!(
                "{} ({}): SHA-256 {} now, {} recorded",
                input.role, name, now, input.sha256
            ));
        }
    }
    if !changed.is_empty() {
        return Ok(Outcome {
            stdout,
            stderr: format!(
                "{}: the inputs differ from the recorded ones, so the outputs cannot be compared:\n  {}\n",
                path.display(),
                changed.join("\n  ")
            ),
            code: 4,
        });
    }
    let resolved = |role: &str| {
        recorded
            .input(role)
            .and_then(|i| manifest::resolve(&dir, i))
    };
    let survey_path = resolved("survey")
        .ok_or_else(|| anyhow::anyhow!("{}: records no survey file", path.display()))?;
    let tmp = tempfile::tempdir()?;
    let mut argv = vec!["typfrage".to_string()];
    argv.extend(recorded.arguments.iter().cloned());
    let cli = Cli::try_parse_from(&argv).map_err(|e| {
        anyhow::anyhow!(
            "{}: the recorded arguments do not parse: {e}",
            path.display()
        )
    })?;
    let codebook = CodebookArg {
        codebook: resolved("codebook"),
    };
    let types = resolved("types");
    let rerun = match cli.command {
        ref command @ (Command::Cluster { .. } | Command::Profile { .. }) => cluster_cmd(
            ClusterRun {
                file: &survey_path,
                out: tmp.path().to_path_buf(),
                types: types.as_deref(),
                codebook: &codebook,
                ..command.cluster_run().expect("a cluster or profile command")
            },
            recorded.arguments.clone(),
        )?,
        Command::Figures {
            format, lang, svg, ..
        } => figures_cmd(
            FiguresArgs {
                file: &survey_path,
                codebook: &codebook,
                published: resolved("published").as_deref(),
                format,
                out: Some(tmp.path().to_path_buf()),
                lang: lang.into(),
                svg,
            },
            recorded.arguments.clone(),
        )?,
        _ => anyhow::bail!(
            "{}: cannot re-run '{}' (only cluster, profile and figures write manifests)",
            path.display(),
            recorded.command
        ),
    };
    let fresh = Manifest::read(&tmp.path().join(manifest::FILE_NAME))?;
    let cmp = manifest::compare(&recorded.outputs, &fresh.outputs);
    let mut stderr = String::new();
    for (file, was, now) in &cmp.differ {
        stderr.push_str(&format!(
            "differs: {} (SHA-256 {now} now, {was} recorded)\n",
            dir.join(file).display()
        ));
    }
    for file in &cmp.missing {
        stderr.push_str(&format!(
            "missing: {} is recorded but the re-run did not write it\n",
            dir.join(file).display()
        ));
    }
    for file in &cmp.extra {
        stderr.push_str(&format!("not recorded: the re-run also wrote {file}\n"));
    }
    if rerun.code != recorded.exit_code {
        stderr.push_str(&format!(
            "exit code: {} now, {} recorded\n",
            rerun.code, recorded.exit_code
        ));
    }
    // the recorded files themselves must still be the ones hashed
    for o in &recorded.outputs {
        let on_disk = dir.join(&o.path);
        match std::fs::read(&on_disk) {
            Ok(bytes) if sha256_hex(&bytes) == o.sha256 => {}
            Ok(_) => stderr.push_str(&format!(
                "changed on disk: {} no longer matches its recorded SHA-256\n",
                on_disk.display()
            )),
            Err(_) => stderr.push_str(&format!("missing on disk: {}\n", on_disk.display())),
        }
    }
    if stderr.is_empty() {
        stdout.push_str(&format!(
            "verified: the re-run wrote the same {} files, byte for byte\n",
            cmp.same.len()
        ));
        Ok(Outcome::ok(stdout))
    } else {
        Ok(Outcome {
            stdout,
            stderr,
            code: 4,
        })
    }
}

fn chart_cmd(spec: &Path, out: Option<PathBuf>) -> anyhow::Result<Outcome> {
    let chart = plot::read_chart(spec)?;
    let out = out.unwrap_or_else(|| spec.with_extension("png"));
    plot::draw_chart(&out, &chart)?;
    Ok(Outcome::ok(format!(
        "drew {} ({}x{}) from {}\n",
        out.display(),
        chart.size().0,
        chart.size().1,
        spec.display()
    )))
}

/// Reads an assignments file: id -> type.
fn read_assignments(path: &Path) -> anyhow::Result<std::collections::HashMap<String, String>> {
    let text = std::fs::read_to_string(path).map_err(|source| SurveyError::Read {
        path: path.display().to_string(),
        source,
    })?;
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader.headers()?.clone();
    let (Some(id), Some(ty)) = (
        header.iter().position(|h| h == "id"),
        header.iter().position(|h| h == "type"),
    ) else {
        anyhow::bail!("{}: expected the columns id and type (an assignments file of typfrage cluster or classify)", path.display());
    };
    let mut out = std::collections::HashMap::new();
    for (i, record) in reader.records().enumerate() {
        let record =
            record.map_err(|e| anyhow::anyhow!("{}, row {}: {e}", path.display(), i + 2))?;
        out.insert(
            record.get(id).unwrap_or_default().to_string(),
            record.get(ty).unwrap_or_default().to_string(),
        );
    }
    Ok(out)
}

fn classify_cmd(
    model_path: &Path,
    file: &Path,
    previous: Option<&Path>,
    out: Option<PathBuf>,
    codebook: &CodebookArg,
) -> anyhow::Result<Outcome> {
    let text = std::fs::read_to_string(model_path).map_err(|source| SurveyError::Read {
        path: model_path.display().to_string(),
        source,
    })?;
    let model = SavedModel::parse(&text, &model_path.display().to_string())?;
    let (survey, _) = load_survey(file, codebook)?;
    let rows = cluster::classify(&model, &survey)?;
    let path = out.unwrap_or_else(|| {
        let stem = file
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("survey");
        file.with_file_name(format!("{stem}-classified.csv"))
    });
    let table = cw::classified_csv(&model, &rows);
    write_atomic(&path, |w| w.write_all(table.as_bytes()))?;
    let classified = rows.iter().filter(|r| r.type_index.is_some()).count();
    let mut stdout = format!(
        "{}: {} municipalities, {} classified with the saved model {} ({} left out)\n",
        file.display(),
        rows.len(),
        classified,
        model_path.display(),
        rows.len() - classified
    );
    for (i, t) in model.types.iter().enumerate() {
        let n = rows.iter().filter(|r| r.type_index == Some(i)).count();
        stdout.push_str(&format!("  {:<28} {n:>5}\n", t.name_de));
    }
    if let Some(prev) = previous {
        let before = read_assignments(prev)?;
        let mut switched = Vec::new();
        for r in &rows {
            let now = r.type_index.map_or("", |i| model.types[i].id.as_str());
            if let Some(was) = before.get(&r.id) {
                if was != now {
                    switched.push(format!(
                        "  {}: {} -> {}",
                        r.id,
                        if was.is_empty() { "-" } else { was },
                        if now.is_empty() { "-" } else { now }
                    ));
                }
            }
        }
        stdout.push_str(&format!(
            "{} of the municipalities in {} switched type:\n",
            switched.len(),
            prev.display()
        ));
        for line in switched {
            stdout.push_str(&line);
            stdout.push('\n');
        }
    }
    stdout.push_str(&format!("wrote {}\n", path.display()));
    Ok(Outcome::ok(stdout))
}

fn run(cli: Cli, arguments: Vec<String>) -> anyhow::Result<Outcome> {
    if let Some(threads) = cli.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads.max(1))
            .build_global()
            .map_err(|e| anyhow::anyhow!("--threads: {e}"))?;
    }
    match cli.command {
        ref command @ (Command::Cluster { .. } | Command::Profile { .. }) => cluster_cmd(
            command.cluster_run().expect("a cluster or profile command"),
            arguments,
        ),
        Command::ChooseK {
            file,
            k_min,
            k_max,
            n_init,
            gap_refs,
            out,
            svg,
            how,
        } => choose_k_cmd(&file, &how, (k_min, k_max, n_init, gap_refs), out, svg),
        Command::Stability {
            file,
            k,
            n_init,
            resamples,
            out,
            how,
        } => stability_cmd(
            &file,
            &how.options(k, n_init),
            resamples,
            out,
            &how.codebook,
        ),
        Command::Classify {
            model,
            file,
            previous,
            out,
            codebook,
        } => classify_cmd(&model, &file, previous.as_deref(), out, &codebook),
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
            out,
            lang,
            svg,
        } => figures_cmd(
            FiguresArgs {
                file: &file,
                codebook: &codebook,
                published: published.as_deref(),
                format,
                out,
                lang: lang.into(),
                svg,
            },
            arguments,
        ),
        Command::Verify { manifest } => verify_cmd(&manifest),
        Command::Chart { spec, out } => chart_cmd(&spec, out),
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
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let cli = Cli::parse();
    match run(cli, arguments) {
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
