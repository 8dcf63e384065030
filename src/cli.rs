//! Command-line arguments (clap) and their translation into library calls. The library never sees
//! clap; this module turns arguments into the library's option types and results into text and
//! exit codes.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand, ValueEnum};

use typfrage::cluster::{self, write as cw, ClusterOptions, MissingPolicy, SavedModel, ScaleKind};
use typfrage::figures::{self, Format, Published, Verdict};
use typfrage::output::{default_out_dir, ensure_dir, sha256_hex, write_atomic};
use typfrage::report::charts;
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
    /// k-means implementation: fast (Hamerly, parallel restarts) or linfa (the reference)
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
    },
    /// Find the digitalisation types: k-means over the goal priorities, named after the published types
    #[command(after_help = EXIT_CODES)]
    Cluster {
        /// Survey file
        file: PathBuf,
        /// Number of types
        #[arg(long, default_value_t = ClusterOptions::default().k)]
        k: usize,
        /// k-means restarts; the one with the smallest within-cluster sum of squares is kept
        #[arg(long, default_value_t = ClusterOptions::default().n_init)]
        n_init: usize,
        /// Output folder for assignments.csv and model.json [default: <input stem>-typfrage beside the input]
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Type definitions with their signature goals (TOML); the four published types are built in
        #[arg(long, value_name = "FILE")]
        types: Option<PathBuf>,
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

/// Loads and checks a survey, returning it with the SHA-256 of the file.
fn load_survey(file: &Path, codebook: &CodebookArg) -> anyhow::Result<(survey::Survey, String)> {
    let codebook = load_codebook(codebook)?;
    let bytes = std::fs::read(file).map_err(|source| SurveyError::Read {
        path: file.display().to_string(),
        source,
    })?;
    let loaded = survey::load_bytes(&bytes, &file.display().to_string(), codebook)?;
    Ok((loaded.survey, sha256_hex(&bytes)))
}

fn out_dir(file: &Path, out: Option<PathBuf>) -> anyhow::Result<PathBuf> {
    let dir = out.unwrap_or_else(|| default_out_dir(file));
    ensure_dir(&dir)?;
    Ok(dir)
}

fn cluster_cmd(
    file: &Path,
    options: &ClusterOptions,
    out: Option<PathBuf>,
    types: Option<&Path>,
    codebook: &CodebookArg,
) -> anyhow::Result<Outcome> {
    let (survey, sha) = load_survey(file, codebook)?;
    let types = match types {
        Some(p) => cluster::types_from_path(p)?,
        None => cluster::builtin_types(),
    };
    let typology = cluster::fit_typology(&survey, options, &types)?;
    let dir = out_dir(file, out)?;
    let book = survey.codebook();
    let model = SavedModel::from_typology(
        &typology,
        &file.display().to_string(),
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
    let mut stdout = cw::summary(&typology, &file.display().to_string());
    stdout.push_str(&format!(
        "wrote {} and {}\n",
        dir.join("assignments.csv").display(),
        dir.join("model.json").display()
    ));
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

fn run(cli: Cli) -> anyhow::Result<Outcome> {
    if let Some(threads) = cli.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads.max(1))
            .build_global()
            .map_err(|e| anyhow::anyhow!("--threads: {e}"))?;
    }
    match cli.command {
        Command::Cluster {
            file,
            k,
            n_init,
            out,
            types,
            how,
        } => cluster_cmd(
            &file,
            &how.options(k, n_init),
            out,
            types.as_deref(),
            &how.codebook,
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
