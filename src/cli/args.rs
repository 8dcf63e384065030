//! The argument groups that several commands share (the survey and how to read it, how to
//! cluster, how many types, how to write sheets, how charts look, the CSV style, the language),
//! the value lists clap offers for them, and their conversion into the library's options.

use std::path::PathBuf;

use clap::ValueEnum;

use typfrage::app::ReportOptions;
use typfrage::app::{self, ClusterRequest, KMeansStart, SurveyInput, TableFormat};
use typfrage::cluster::{self, ClusterOptions, MissingPolicy, ScaleKind};
use typfrage::lang::Lang;
use typfrage::show::chart::{ChartLook, ChartSize};
use typfrage::show::table::CsvStyle;
use typfrage::survey::WeightChoice;

/// A list of values for one option, each naming the library's value of the same (or the given)
/// name: the clap enum and its conversion.
macro_rules! choice {
    ($name:ident => $target:ty { $($value:ident),+ }) => {
        choice!($name => $target { $($value = $value),+ });
    };
    ($name:ident => $target:ty { $($value:ident = $to:ident),+ }) => {
        #[derive(Debug, Clone, Copy, ValueEnum)]
        pub(super) enum $name { $($value),+ }

        impl From<$name> for $target {
            fn from(v: $name) -> $target {
                match v { $($name::$value => <$target>::$to),+ }
            }
        }
    };
}

choice!(ScaleArg => ScaleKind { None, Z, Range });
choice!(EngineArg => cluster::Engine { Fast, Linfa });
choice!(AlgorithmArg => cluster::Algorithm { Lloyd, HartiganWong });
choice!(MissingArg => MissingPolicy { Listwise, Mean });
choice!(CsvStyleArg => CsvStyle { Rfc4180, ExcelDe });
choice!(LangValue => Lang { De, En });
choice!(StartArg => KMeansStart { Restarts, Ward });
choice!(FormatArg => TableFormat { Table = Table, Md = Markdown, Csv = Csv, Json = Json });
choice!(ExportFormatArg => app::ExportFormat { Parquet });

/// The survey file and how to read it.
#[derive(Debug, clap::Args)]
pub(super) struct SurveyArgs {
    /// Survey file
    pub file: PathBuf,
    #[command(flatten)]
    pub codebook: CodebookArg,
}

impl SurveyArgs {
    pub fn input(self) -> SurveyInput {
        self.codebook.input(self.file)
    }
}

/// How a survey file is read: shared by every command that reads one.
#[derive(Debug, clap::Args)]
pub(super) struct CodebookArg {
    /// Codebook to check the survey against (TOML); the 2018/19 codebook is built in
    #[arg(long, value_name = "FILE")]
    pub codebook: Option<PathBuf>,
    /// The sheet of a workbook survey file (.xlsx, .xls, .ods) to read; the first by default
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// Column mapping (TOML): `[columns]` maps the file's column names to codebook variables,
    /// `ignore = [...]` lists columns to leave out
    #[arg(long, value_name = "FILE")]
    pub mapping: Option<PathBuf>,
}

impl CodebookArg {
    pub fn input(self, file: PathBuf) -> SurveyInput {
        let (codebook, sheet, mapping) = (self.codebook, self.sheet, self.mapping);
        SurveyInput {
            file,
            codebook,
            sheet,
            mapping,
        }
    }
}

/// The survey and how to cluster it, and the CSV style: shared by the commands that cluster.
#[derive(Debug, clap::Args)]
pub(super) struct ClusterArgs {
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
    /// Iterations from each k-means++ start: lloyd (every row to its nearest centre, then the
    /// centres to their rows' means; scikit-learn's) or hartigan-wong (single rows move while that
    /// lowers the sum of squares; R's kmeans() default, AS 136)
    #[arg(long, value_enum, default_value_t = AlgorithmArg::Lloyd)]
    algorithm: AlgorithmArg,
    /// Survey weight variable, or none [default: the codebook's weight variable when it is not constant]
    #[arg(long, value_name = "VAR|none")]
    weight: Option<String>,
    #[command(flatten)]
    survey: SurveyArgs,
    #[command(flatten)]
    csv: CsvArg,
}

impl ClusterArgs {
    /// The survey to read, the clustering options with `k` types and `n_init` restarts, and the
    /// CSV style to write in.
    pub fn split(self, k: usize, n_init: usize) -> (SurveyInput, ClusterOptions, CsvStyle) {
        let options = ClusterOptions {
            engine: self.engine.into(),
            algorithm: self.algorithm.into(),
            k,
            seed: self.seed,
            n_init,
            scale: self.scale.into(),
            vars: (!self.vars.is_empty()).then_some(self.vars),
            missing: self.missing.into(),
            weight: WeightChoice::from_arg(self.weight.as_deref()),
            ..ClusterOptions::default()
        };
        (self.survey.input(), options, self.csv.into())
    }
}

/// How CSV files are written: shared by every command that writes one.
#[derive(Debug, clap::Args)]
pub(super) struct CsvArg {
    /// CSV style: rfc4180 (comma, decimal point, for programs) or excel-de (semicolon, decimal
    /// comma, UTF-8 with BOM, CRLF: opens in Excel on a German locale)
    #[arg(long = "csv", value_enum, default_value_t = CsvStyleArg::Rfc4180, value_name = "STYLE")]
    style: CsvStyleArg,
}

impl From<CsvArg> for CsvStyle {
    fn from(a: CsvArg) -> CsvStyle {
        a.style.into()
    }
}

/// How many types, how hard to look, what to call them: shared by cluster and profile.
#[derive(Debug, clap::Args)]
pub(super) struct FitArgs {
    /// Number of types
    #[arg(long, default_value_t = ClusterOptions::default().k)]
    pub k: usize,
    /// k-means restarts; the one with the smallest within-cluster sum of squares is kept
    #[arg(long, default_value_t = ClusterOptions::default().n_init)]
    pub n_init: usize,
    /// Type definitions with their signature goals (TOML); the four published types are built in
    #[arg(long, value_name = "FILE")]
    pub types: Option<PathBuf>,
}

/// How to find the types and write their sheets: shared by cluster and profile.
#[derive(Debug, clap::Args)]
pub(super) struct TypologyArgs {
    #[command(flatten)]
    fit: FitArgs,
    #[command(flatten)]
    sheets: SheetArgs,
    #[command(flatten)]
    how: ClusterArgs,
}

impl TypologyArgs {
    /// The request that finds the types from k-means++ restarts and, with `report`, writes their
    /// sheets; into `out`.
    pub fn request(self, report: bool, out: Option<PathBuf>, lang: Lang) -> ClusterRequest {
        let (input, options, csv) = self.how.split(self.fit.k, self.fit.n_init);
        ClusterRequest {
            input,
            types: self.fit.types,
            options,
            report: report.then(|| self.sheets.options(lang)),
            csv,
            lang,
            out,
            start: KMeansStart::Restarts,
            ward_sample: None,
            save_into: None,
            certainty: false,
            mixture: false,
        }
    }
}

/// How to write profile sheets.
#[derive(Debug, clap::Args)]
pub(super) struct SheetArgs {
    /// Also draw every chart as SVG
    #[arg(long)]
    svg: bool,
    /// Draw a bar chart of the cross-tab of these variables by type, comma-separated
    #[arg(long, value_delimiter = ',', value_name = "VAR,...")]
    crosstab: Vec<String>,
    #[command(flatten)]
    chart: ChartArgs,
}

impl SheetArgs {
    pub fn options(self, lang: Lang) -> ReportOptions {
        ReportOptions {
            lang,
            svg: self.svg,
            crosstab_charts: self.crosstab,
            chart: self.chart.into(),
        }
    }
}

/// How large charts are drawn: shared by every command that draws.
#[derive(Debug, clap::Args)]
pub(super) struct ChartArgs {
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

/// The language of a run: `--lang`, or the environment's locale (LC_ALL, LC_MESSAGES, LANG).
/// Global, so every command takes it, before or after the command's name.
#[derive(Debug, clap::Args)]
pub(super) struct LangArg {
    /// Language of everything written for people: console text, warnings, tables meant for
    /// reading, sheets, charts [default: from LC_ALL, LC_MESSAGES or LANG: de where the first set
    /// one starts with "de", else en]
    #[arg(long, global = true, value_enum, value_name = "LANG")]
    lang: Option<LangValue>,
}

impl LangArg {
    /// The language asked for, else the locale's; the request records it.
    pub fn resolve(&self) -> Lang {
        self.lang.map_or_else(Lang::from_env, Lang::from)
    }
}
