//! The command line: clap's argument types, their conversion into the application layer's
//! requests ([`typfrage::app::Request`]), and printing what a request produced. Nothing is computed
//! or written here.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::LazyLock;

use clap::{Parser, Subcommand, ValueEnum};

use typfrage::app::{
    self, ChartRequest, ChooseKRequest, ClassifyRequest, ClusterRequest, CodebookRequest,
    FiguresRequest, HierarchyRequest, KMeansStart, MixtureRequest, Request, ResponseStyleRequest,
    StabilityRequest, SurveyInput, SynthRequest, TableFormat, ValidateRequest, VerifyRequest,
};
use typfrage::app::{FeedbackRequest, PositionRequest, SelfcheckRequest};
use typfrage::cluster::{self, ClusterOptions, MissingPolicy, ScaleKind};
use typfrage::error::Error;
use typfrage::exit::ExitStatus;
use typfrage::lang::Lang;
use typfrage::report::sheets::ReportOptions;
use typfrage::show::chart::{ChartLook, ChartSize};
use typfrage::show::table::CsvStyle;
use typfrage::survey::Problems;
use typfrage::survey::WeightChoice;
use typfrage::synth::SynthOptions;

/// The exit codes, as every help text ends.
static EXIT_CODES: LazyLock<String> = LazyLock::new(ExitStatus::help);

#[derive(Debug, Parser)]
#[command(
    name = "typfrage",
    version,
    about = "Typology of German municipalities' digitalisation (ÖFIT/KGSt survey 2018/19)",
    after_help = EXIT_CODES.as_str()
)]
struct Cli {
    /// Worker threads (default: all cores); results are the same for any number
    #[arg(long, global = true, value_name = "N")]
    threads: Option<usize>,
    #[command(flatten)]
    lang: LangArg,
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
    /// Survey weight variable, or none [default: the codebook's weight variable when it is not constant]
    #[arg(long, value_name = "VAR|none")]
    weight: Option<String>,
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
            weight: WeightChoice::from_arg(self.weight.as_deref()),
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

/// How CSV files are written: shared by every command that writes one.
#[derive(Debug, clap::Args)]
struct CsvArg {
    /// CSV style: rfc4180 (comma, decimal point, for programs) or excel-de (semicolon, decimal
    /// comma, UTF-8 with BOM, CRLF: opens in Excel on a German locale)
    #[arg(long = "csv", value_enum, default_value_t = CsvStyleArg::Rfc4180, value_name = "STYLE")]
    style: CsvStyleArg,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum CsvStyleArg {
    Rfc4180,
    ExcelDe,
}

impl From<CsvArg> for CsvStyle {
    fn from(a: CsvArg) -> CsvStyle {
        match a.style {
            CsvStyleArg::Rfc4180 => CsvStyle::Rfc4180,
            CsvStyleArg::ExcelDe => CsvStyle::ExcelDe,
        }
    }
}

#[derive(Debug, clap::Args)]
struct CodebookArg {
    /// Codebook to check the survey against (TOML); the 2018/19 codebook is built in
    #[arg(long, value_name = "FILE")]
    codebook: Option<PathBuf>,
    /// The sheet of a workbook survey file (.xlsx, .xls, .ods) to read; the first by default
    #[arg(long, value_name = "NAME")]
    sheet: Option<String>,
    /// Column mapping (TOML): `[columns]` maps the file's column names to codebook variables,
    /// `ignore = [...]` lists columns to leave out
    #[arg(long, value_name = "FILE")]
    mapping: Option<PathBuf>,
}

impl CodebookArg {
    fn input(&self, file: PathBuf) -> SurveyInput {
        SurveyInput {
            file,
            codebook: self.codebook.clone(),
            sheet: self.sheet.clone(),
            mapping: self.mapping.clone(),
        }
    }
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check every cell of a survey file against the codebook
    #[command(after_help = EXIT_CODES.as_str())]
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
    #[command(after_help = EXIT_CODES.as_str())]
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
        /// Draw the charts as SVG instead of PNG
        #[arg(long)]
        svg: bool,
        #[command(flatten)]
        csv: CsvArg,
        #[command(flatten)]
        chart: ChartArgs,
        /// Weight the shares and means by this variable, or none [default: none: the published
        /// figures are unweighted shares, so figures weights only when asked]
        #[arg(long, value_name = "VAR|none")]
        weight: Option<String>,
    },
    /// Re-run the command recorded in a manifest.json and compare every output with it
    #[command(after_help = EXIT_CODES.as_str())]
    Verify {
        /// manifest.json written by typfrage cluster or typfrage figures
        manifest: PathBuf,
    },
    /// Redraw a chart from the .json file written beside it (edit labels or colours, then redraw)
    #[command(after_help = EXIT_CODES.as_str())]
    Chart {
        /// Chart file (.json) written beside a PNG or SVG
        spec: PathBuf,
        /// Picture to write (.png or .svg) [default: the spec's name with .png]
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        #[command(flatten)]
        chart: ChartArgs,
    },
    /// Find the digitalisation types: k-means over the goal priorities, named after the published types
    #[command(after_help = EXIT_CODES.as_str())]
    Cluster {
        /// Survey file
        file: PathBuf,
        /// Output folder for assignments.csv and model.json [default: <input stem>-typfrage beside the input]
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Also write the profile sheets, cross-tabs, charts and report.html (as typfrage profile)
        #[arg(long)]
        report: bool,
        /// Where k-means starts: restarts (n-init seeded k-means++ starts) or ward (once from the
        /// centroids of Ward's k groups; reports the agreement of the two partitions)
        #[arg(long, value_enum, default_value_t = StartArg::Restarts)]
        start: StartArg,
        /// Write a copy of the survey file (same format: .sav, .csv or .xlsx) with the type (coded,
        /// with value labels), the distance to its centre and the margin added as variables
        #[arg(long, value_name = "FILE")]
        save_into: Option<PathBuf>,
        #[command(flatten)]
        fit: FitArgs,
        #[command(flatten)]
        sheets: SheetArgs,
        #[command(flatten)]
        how: ClusterArgs,
        #[command(flatten)]
        csv: CsvArg,
    },
    /// Profile sheets per type: Markdown, one HTML report with charts, JSON, cross-tabs with tests
    #[command(after_help = EXIT_CODES.as_str())]
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
        #[command(flatten)]
        csv: CsvArg,
    },
    /// Compare k = 2..8 by elbow, silhouette, Calinski-Harabasz, Davies-Bouldin and the gap statistic
    #[command(name = "choose-k", after_help = EXIT_CODES.as_str())]
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
        #[command(flatten)]
        csv: CsvArg,
        #[command(flatten)]
        chart: ChartArgs,
    },
    /// Bootstrap stability of the types (Jaccard per type, adjusted Rand index)
    #[command(after_help = EXIT_CODES.as_str())]
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
        #[command(flatten)]
        csv: CsvArg,
    },
    /// Ward's hierarchical clustering (as R's hclust ward.D2), and k-means started from its centroids
    #[command(after_help = EXIT_CODES.as_str())]
    Hierarchy {
        /// Survey file
        file: PathBuf,
        /// Number of groups to cut the tree into
        #[arg(long, default_value_t = ClusterOptions::default().k)]
        k: usize,
        /// Output folder for merges.csv, partition.csv, the dendrogram and manifest.json
        /// [default: <input stem>-typfrage/hierarchy]
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// The dendrogram shows the last merges over this many groups
        #[arg(long, default_value_t = cluster::DENDROGRAM_LEAVES, value_name = "N")]
        leaves: usize,
        #[command(flatten)]
        how: ClusterArgs,
        #[command(flatten)]
        csv: CsvArg,
    },
    /// Gaussian mixtures (mclust's EII, VII, EEI, VVI, EEE, VVV) by BIC, against the k-means types
    #[command(after_help = EXIT_CODES.as_str())]
    Mixture {
        /// Survey file
        file: PathBuf,
        #[arg(long, default_value_t = 2)]
        k_min: usize,
        #[arg(long, default_value_t = 8)]
        k_max: usize,
        /// Covariance structures, comma-separated (mclust's names)
        #[arg(long, value_delimiter = ',', default_value = "EII,VII,EEI,VVI,EEE,VVV")]
        models: Vec<String>,
        /// Number of k-means types to compare with
        #[arg(long, default_value_t = ClusterOptions::default().k)]
        k: usize,
        /// k-means restarts for the types
        #[arg(long, default_value_t = ClusterOptions::default().n_init)]
        n_init: usize,
        /// Output folder for bic.csv, memberships.csv and manifest.json [default: <input stem>-typfrage/mixture]
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        #[command(flatten)]
        how: ClusterArgs,
        #[command(flatten)]
        csv: CsvArg,
    },
    /// Whether a type is a response style: the clustering re-run on ratings centred on each
    /// municipality's own mean; who keeps their type
    #[command(name = "response-style", after_help = EXIT_CODES.as_str())]
    ResponseStyle {
        /// Survey file
        file: PathBuf,
        /// Number of types
        #[arg(long, default_value_t = ClusterOptions::default().k)]
        k: usize,
        /// k-means restarts, for the types and for the re-run
        #[arg(long, default_value_t = ClusterOptions::default().n_init)]
        n_init: usize,
        /// Also divide each municipality's centred ratings by their own spread
        #[arg(long)]
        scale_by_spread: bool,
        /// Output folder for response-style.csv and manifest.json
        /// [default: <input stem>-typfrage/response-style]
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        #[command(flatten)]
        how: ClusterArgs,
        #[command(flatten)]
        csv: CsvArg,
    },
    /// Assign the municipalities of a new survey to the types of a saved model
    #[command(after_help = EXIT_CODES.as_str())]
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
        #[command(flatten)]
        csv: CsvArg,
    },
    /// Generate the synthetic stand-in survey (calibrated to the published figures)
    #[command(after_help = EXIT_CODES.as_str())]
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
    /// One municipality's place in a saved typology: type, how clear, ratings against the type,
    /// nearest municipalities, what to learn (terminal, and a one-page sheet with --out)
    #[command(after_help = EXIT_CODES.as_str())]
    Position {
        /// model.json written by typfrage cluster
        model: PathBuf,
        /// A goal rating, VARIABLE=CODE (repeat for each goal; a goal left out is not answered)
        #[arg(long = "rating", value_name = "VARIABLE=CODE")]
        ratings: Vec<String>,
        /// Take the municipality from this file (with --id); it needs only the identifier and the goals.
        /// --sheet and --mapping say how to read this file (a --survey file is read by its column names,
        /// from a workbook's first sheet)
        #[arg(long, value_name = "FILE")]
        from: Option<PathBuf>,
        /// The municipality's identifier (its row in --from, or its name on the sheet)
        #[arg(long, value_name = "ID")]
        id: Option<String>,
        /// The survey to list the nearest municipalities from [default: the --from file]
        #[arg(long, value_name = "FILE")]
        survey: Option<PathBuf>,
        /// Write the one-page sheet: FILE.md (chart beside it as FILE-chart.svg) or FILE.html
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        #[command(flatten)]
        codebook: CodebookArg,
    },
    /// A one-page sheet for every municipality of a survey, with an index, to send each its result
    #[command(after_help = EXIT_CODES.as_str())]
    Feedback {
        /// model.json written by typfrage cluster
        model: PathBuf,
        /// Survey file (needs only the identifier and the goals; more columns give better suggestions)
        file: PathBuf,
        /// Output folder [default: <input stem>-typfrage/feedback beside the input]
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        #[command(flatten)]
        codebook: CodebookArg,
        #[command(flatten)]
        csv: CsvArg,
    },
    /// Write the offline self-check page (one HTML file, no network) from a saved model
    #[command(after_help = EXIT_CODES.as_str())]
    Selfcheck {
        /// model.json written by typfrage cluster
        model: PathBuf,
        /// The page [default: selbstcheck.html, or selfcheck.html with --lang en, beside the model]
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Draft a codebook from an SPSS file's dictionary (.sav, .zsav) and check the file against it
    #[command(after_help = EXIT_CODES.as_str())]
    Codebook {
        /// SPSS system file
        file: PathBuf,
        /// Where to write the draft codebook (TOML)
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// List at most this many problems of the file checked against the draft
        #[arg(long, default_value_t = Problems::DEFAULT_LIMIT, value_name = "N")]
        max_problems: usize,
    },
    /// Write the validated survey with its value labels for other tools (Parquet: pandas, polars, R arrow)
    #[command(after_help = EXIT_CODES.as_str())]
    Export {
        /// Survey file (CSV or tab-separated text)
        file: PathBuf,
        /// File format
        #[arg(long, value_enum, default_value_t = ExportFormatArg::Parquet)]
        format: ExportFormatArg,
        /// The file to write
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        #[command(flatten)]
        codebook: CodebookArg,
    },
}

/// File formats of `export`.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum ExportFormatArg {
    Parquet,
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
    /// Also draw every chart as SVG
    #[arg(long)]
    svg: bool,
    /// Draw a bar chart of the cross-tab of these variables by type, comma-separated
    #[arg(long, value_delimiter = ',', value_name = "VAR,...")]
    crosstab: Vec<String>,
    #[command(flatten)]
    chart: ChartArgs,
}

/// How large charts are drawn: shared by every command that draws.
#[derive(Debug, clap::Args)]
struct ChartArgs {
    /// Picture size of every chart in pixels: WIDTHxHEIGHT (1920x1080 for a slide) or a width
    /// alone (3000 for print; the height keeps each chart's shape). Text, markers and lines
    /// grow with the picture [default: 1200 (1500 for choose-k) wide, as high as the chart needs]
    #[arg(long, value_name = "WxH")]
    chart_size: Option<ChartSize>,
    /// Text, markers and lines this many times as large, relative to the picture (0.5 to 2)
    #[arg(long, value_name = "F")]
    chart_scale: Option<f64>,
    /// Share axes from 0 to 100 % [default: to a round value above the largest share]
    #[arg(long)]
    full_scale: bool,
}

impl From<ChartArgs> for ChartLook {
    fn from(a: ChartArgs) -> ChartLook {
        ChartLook {
            size: a.chart_size,
            scale: a.chart_scale,
            full_scale: a.full_scale,
        }
    }
}

impl SheetArgs {
    fn options(&self, lang: Lang) -> ReportOptions {
        ReportOptions {
            lang,
            svg: self.svg,
            crosstab_charts: self.crosstab.clone(),
            chart: ChartLook {
                size: self.chart.chart_size,
                scale: self.chart.chart_scale,
                full_scale: self.chart.full_scale,
            },
        }
    }
}

/// The language of a run: `--lang`, or the environment's locale (LC_ALL, LC_MESSAGES, LANG).
/// Global, so every command takes it, before or after the command's name.
#[derive(Debug, clap::Args)]
struct LangArg {
    /// Language of everything written for people: console text, warnings, tables meant for
    /// reading, sheets, charts [default: from LC_ALL, LC_MESSAGES or LANG: de where the first set
    /// one starts with "de", else en]
    #[arg(long, global = true, value_enum, value_name = "LANG")]
    lang: Option<LangValue>,
}

impl LangArg {
    /// The language asked for, else the locale's; the request records it.
    fn resolve(&self) -> Lang {
        match self.lang {
            Some(LangValue::De) => Lang::De,
            Some(LangValue::En) => Lang::En,
            None => Lang::from_env(),
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum LangValue {
    De,
    En,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum StartArg {
    Restarts,
    Ward,
}

impl From<StartArg> for KMeansStart {
    fn from(s: StartArg) -> KMeansStart {
        match s {
            StartArg::Restarts => KMeansStart::Restarts,
            StartArg::Ward => KMeansStart::Ward,
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

impl From<FormatArg> for TableFormat {
    fn from(f: FormatArg) -> TableFormat {
        match f {
            FormatArg::Table => TableFormat::Table,
            FormatArg::Md => TableFormat::Markdown,
            FormatArg::Csv => TableFormat::Csv,
            FormatArg::Json => TableFormat::Json,
        }
    }
}

impl Command {
    /// The application layer's request for this command, in the run's language.
    fn request(self, lang: Lang) -> Request {
        match self {
            Command::Validate {
                file,
                codebook,
                max_problems,
            } => Request::Validate(ValidateRequest {
                input: codebook.input(file),
                max_problems,
                lang,
            }),
            Command::Cluster {
                file,
                out,
                report,
                start,
                save_into,
                fit,
                sheets,
                how,
                csv,
            } => Request::Cluster(ClusterRequest {
                input: how.codebook.input(file),
                types: fit.types.clone(),
                options: how.options(fit.k, fit.n_init),
                report: report.then(|| sheets.options(lang)),
                csv: csv.into(),
                lang,
                out,
                start: start.into(),
                save_into,
            }),
            Command::Profile {
                file,
                out,
                fit,
                sheets,
                how,
                csv,
            } => Request::Profile(ClusterRequest {
                input: how.codebook.input(file),
                types: fit.types.clone(),
                options: how.options(fit.k, fit.n_init),
                report: Some(sheets.options(lang)),
                csv: csv.into(),
                lang,
                out,
                start: KMeansStart::Restarts,
                save_into: None,
            }),
            Command::ChooseK {
                file,
                k_min,
                k_max,
                n_init,
                gap_refs,
                out,
                svg,
                how,
                csv,
                chart,
            } => Request::ChooseK(ChooseKRequest {
                input: how.codebook.input(file),
                k_min,
                k_max,
                gap_references: gap_refs,
                options: how.options(k_min, n_init),
                svg,
                lang,
                csv: csv.into(),
                out,
                chart: chart.into(),
            }),
            Command::Stability {
                file,
                k,
                n_init,
                resamples,
                out,
                how,
                csv,
            } => Request::Stability(StabilityRequest {
                input: how.codebook.input(file),
                options: how.options(k, n_init),
                resamples,
                csv: csv.into(),
                progress: std::io::stderr().is_terminal(),
                lang,
                out,
            }),
            Command::Hierarchy {
                file,
                k,
                out,
                leaves,
                how,
                csv,
            } => Request::Hierarchy(HierarchyRequest {
                input: how.codebook.input(file),
                options: how.options(k, 1),
                lang,
                out,
                csv: csv.into(),
                leaves,
            }),
            Command::Mixture {
                file,
                k_min,
                k_max,
                models,
                k,
                n_init,
                out,
                how,
                csv,
            } => Request::Mixture(MixtureRequest {
                input: how.codebook.input(file),
                options: how.options(k, n_init),
                k_min,
                k_max,
                models,
                lang,
                out,
                csv: csv.into(),
            }),
            Command::ResponseStyle {
                file,
                k,
                n_init,
                scale_by_spread,
                out,
                how,
                csv,
            } => Request::ResponseStyle(ResponseStyleRequest {
                input: how.codebook.input(file),
                options: how.options(k, n_init),
                by_spread: scale_by_spread,
                lang,
                csv: csv.into(),
                out,
            }),
            Command::Classify {
                model,
                file,
                previous,
                out,
                codebook,
                csv,
            } => Request::Classify(ClassifyRequest {
                model,
                input: codebook.input(file),
                previous,
                csv: csv.into(),
                lang,
                out,
            }),
            Command::Figures {
                file,
                codebook,
                published,
                format,
                out,
                svg,
                csv,
                chart,
                weight,
            } => Request::Figures(FiguresRequest {
                input: codebook.input(file),
                published,
                format: format.into(),
                lang,
                svg,
                csv: csv.into(),
                out,
                chart: chart.into(),
                weight: match weight {
                    None => WeightChoice::None,
                    Some(w) => WeightChoice::from_arg(Some(&w)),
                },
            }),
            Command::Verify { manifest } => Request::Verify(VerifyRequest { manifest, lang }),
            Command::Chart { spec, out, chart } => Request::Chart(ChartRequest {
                spec,
                out,
                lang,
                chart: chart.into(),
            }),
            Command::Synth {
                seed,
                rows,
                out,
                types_out,
                codebook,
            } => Request::Synth(SynthRequest {
                seed,
                rows,
                out,
                types_out,
                codebook: codebook.codebook,
                progress: std::io::stderr().is_terminal(),
                lang,
            }),
            Command::Position {
                model,
                ratings,
                from,
                id,
                survey,
                out,
                codebook,
            } => Request::Position(PositionRequest {
                model,
                ratings,
                from,
                id,
                survey,
                codebook: codebook.codebook,
                sheet: codebook.sheet,
                mapping: codebook.mapping,
                lang,
                out,
            }),
            Command::Feedback {
                model,
                file,
                out,
                codebook,
                csv,
            } => Request::Feedback(FeedbackRequest {
                model,
                input: codebook.input(file),
                lang,
                csv: csv.into(),
                out,
            }),
            Command::Selfcheck { model, out } => {
                Request::Selfcheck(SelfcheckRequest { model, lang, out })
            }
            Command::Codebook {
                file,
                out,
                max_problems,
            } => Request::Codebook(CodebookRequest {
                file,
                out,
                max_problems,
                lang,
            }),
            Command::Export {
                file,
                format,
                out,
                codebook,
            } => Request::Export(app::ExportRequest {
                input: codebook.input(file),
                format: match format {
                    ExportFormatArg::Parquet => app::ExportFormat::Parquet,
                },
                out,
                lang,
            }),
        }
    }
}

/// Writes to a stream, treating a closed pipe as success. Control characters (other than line
/// breaks and tabs) are shown as `\u{…}`, never sent raw, whatever text from the data they came in.
fn emit(mut stream: impl Write, text: &str) -> bool {
    match stream
        .write_all(typfrage::escape::terminal(text).as_bytes())
        .and_then(|()| stream.flush())
    {
        Ok(()) => true,
        Err(e) => e.kind() == std::io::ErrorKind::BrokenPipe,
    }
}

/// The message for an error: the survey's problems as their list, anything else on one line.
fn message(e: &Error) -> String {
    match e.problems() {
        Some(problems) => problems.to_string(),
        None => format!("error: {e}"),
    }
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.threads {
        Some(n) => app::set_threads(n).map_err(Error::from),
        None => Ok(()),
    }
    .and_then(|()| app::run(&cli.command.request(cli.lang.resolve())));
    match result {
        Ok(outcome) => {
            let ok = emit(std::io::stdout().lock(), &outcome.stdout)
                && emit(std::io::stderr().lock(), &outcome.stderr);
            ExitCode::from(if ok {
                outcome.status.code()
            } else {
                ExitStatus::Failed.code()
            })
        }
        Err(e) => {
            emit(std::io::stderr().lock(), &(message(&e) + "\n"));
            ExitCode::from(e.exit_status().code())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_definition_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
