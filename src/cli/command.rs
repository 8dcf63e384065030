//! The commands: one variant per subcommand, each with its own arguments (their help texts are the
//! doc comments here; the groups several commands share are in `args`) and, beside them, how they
//! turn into the application layer's request. A new command is a variant, its arguments and their
//! `IntoRequest`, and an arm in `Command`'s.

use std::path::PathBuf;

use clap::Subcommand;

use typfrage::app::ReplicateRequest;
use typfrage::app::{ChartRequest, ChooseKRequest, ClassifyRequest, ClusterRequest};
use typfrage::app::{CodebookRequest, ExportRequest, FeedbackRequest, FiguresRequest};
use typfrage::app::{HierarchyRequest, KMeansStart, MixtureRequest, PositionRequest, Request};
use typfrage::app::{ResponseStyleRequest, SelfcheckRequest, StabilityRequest, SynthRequest};
use typfrage::app::{ValidateRequest, VerifyRequest, WavesRequest, DENDROGRAM_LEAVES};
use typfrage::cluster::ClusterOptions;
use typfrage::lang::Lang;
use typfrage::survey::{Problems, WeightChoice};
use typfrage::synth::SynthOptions;

use super::args::{ChartArgs, ClusterArgs, CodebookArg, CsvArg, ExportFormatArg, FitArgs};
use super::args::{FormatArg, SheetArgs, StartArg, SurveyArgs};

/// What a request takes from the run rather than from its command's arguments.
#[derive(Debug, Clone, Copy)]
pub(super) struct Run {
    pub lang: Lang,
    /// Whether stderr is a terminal (progress bars are drawn there).
    pub progress: bool,
}

/// A command's arguments turned into the application layer's request.
pub(super) trait IntoRequest {
    fn request(self, run: Run) -> Request;
}

#[derive(Debug, Subcommand)]
pub(super) enum Command {
    /// Check every cell of a survey file against the codebook
    Validate(ValidateArgs),
    /// Recompute every published figure and finding from a survey file and compare
    Figures(FiguresArgs),
    /// Re-run the command recorded in a manifest.json and compare every output with it
    Verify(VerifyArgs),
    /// Redraw a chart from the .json file written beside it (edit labels or colours, then redraw)
    Chart(RedrawArgs),
    /// Find the digitalisation types: k-means over the goal priorities, named after the published types
    Cluster(ClusterCommandArgs),
    /// Profile sheets per type: Markdown, one HTML report with charts, JSON, cross-tabs with tests
    Profile(ProfileArgs),
    /// Compare k = 2..8 by elbow, silhouette, Calinski-Harabasz, Davies-Bouldin and the gap statistic
    #[command(name = "choose-k")]
    ChooseK(ChooseKArgs),
    /// Bootstrap stability of the types (Jaccard per type, adjusted Rand index)
    Stability(StabilityArgs),
    /// Ward's hierarchical clustering (as R's hclust ward.D2), and k-means started from its centroids
    Hierarchy(HierarchyArgs),
    /// Validation by replication: prediction strength (as fpc::prediction.strength) and split-half
    /// ARI for k = 2..8, how the types split from k - 1 to k + 1, and a three-question threshold tree
    Replicate(ReplicateArgs),
    /// Gaussian mixtures (mclust's EII, VII, EEI, VVI, EEE, VVV) by BIC, against the k-means types
    Mixture(MixtureArgs),
    /// Whether a type is a response style: the clustering re-run on ratings centred on each
    /// municipality's own mean; who keeps their type
    #[command(name = "response-style")]
    ResponseStyle(ResponseStyleArgs),
    /// Assign the municipalities of a new survey to the types of a saved model
    Classify(ClassifyArgs),
    /// Generate the synthetic stand-in survey (calibrated to the published figures)
    Synth(SynthArgs),
    /// One municipality's place in a saved typology: type, how clear, ratings against the type,
    /// nearest municipalities, what to learn (terminal, and a one-page sheet with --out)
    Position(PositionArgs),
    /// A one-page sheet for every municipality of a survey, with an index, to send each its result
    Feedback(FeedbackArgs),
    /// Write the offline self-check page (one HTML file, no network) from a saved model
    Selfcheck(SelfcheckArgs),
    /// Draft a types file from a saved model (each type's centroid, names to edit) for cluster --types
    Types(TypesArgs),
    /// Draft a codebook from a survey file (SPSS, CSV, workbook, Parquet) and check the file against it
    Codebook(CodebookArgs),
    /// Write the validated survey with its value labels for other tools (Parquet: pandas, polars, R arrow)
    Export(ExportArgs),
    /// Compare two waves: who switched type, and why (their own answers, the types estimated
    /// again, a type dissolved or new); OLD is the earlier wave's survey file, FILE the later's
    Waves(WavesArgs),
}

impl IntoRequest for Command {
    fn request(self, run: Run) -> Request {
        match self {
            Command::Validate(a) => a.request(run),
            Command::Figures(a) => a.request(run),
            Command::Verify(a) => a.request(run),
            Command::Chart(a) => a.request(run),
            Command::Cluster(a) => a.request(run),
            Command::Profile(a) => a.request(run),
            Command::ChooseK(a) => a.request(run),
            Command::Stability(a) => a.request(run),
            Command::Hierarchy(a) => a.request(run),
            Command::Replicate(a) => a.request(run),
            Command::Mixture(a) => a.request(run),
            Command::ResponseStyle(a) => a.request(run),
            Command::Classify(a) => a.request(run),
            Command::Synth(a) => a.request(run),
            Command::Position(a) => a.request(run),
            Command::Feedback(a) => a.request(run),
            Command::Selfcheck(a) => a.request(run),
            Command::Types(a) => a.request(run),
            Command::Codebook(a) => a.request(run),
            Command::Export(a) => a.request(run),
            Command::Waves(a) => a.request(run),
        }
    }
}

#[derive(Debug, clap::Args)]
pub(super) struct ValidateArgs {
    /// Survey file (CSV: comma, semicolon or tab; UTF-8, UTF-16 or Windows-1252)
    file: PathBuf,
    #[command(flatten)]
    codebook: CodebookArg,
    /// List at most this many problems (the rest are counted)
    #[arg(long, default_value_t = Problems::DEFAULT_LIMIT, value_name = "N")]
    max_problems: usize,
}

impl IntoRequest for ValidateArgs {
    fn request(self, run: Run) -> Request {
        Request::Validate(ValidateRequest {
            input: self.codebook.input(self.file),
            max_problems: self.max_problems,
            lang: run.lang,
        })
    }
}

#[derive(Debug, clap::Args)]
pub(super) struct FiguresArgs {
    #[command(flatten)]
    survey: SurveyArgs,
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
}

impl IntoRequest for FiguresArgs {
    fn request(self, run: Run) -> Request {
        Request::Figures(FiguresRequest {
            input: self.survey.input(),
            published: self.published,
            format: self.format.into(),
            lang: run.lang,
            svg: self.svg,
            csv: self.csv.into(),
            out: self.out,
            chart: self.chart.into(),
            weight: (self.weight).map_or(WeightChoice::None, |w| WeightChoice::from_arg(Some(&w))),
        })
    }
}

#[derive(Debug, clap::Args)]
pub(super) struct VerifyArgs {
    /// manifest.json written by typfrage cluster or typfrage figures
    manifest: PathBuf,
}

impl IntoRequest for VerifyArgs {
    fn request(self, run: Run) -> Request {
        Request::Verify(VerifyRequest {
            manifest: self.manifest,
            lang: run.lang,
        })
    }
}

#[derive(Debug, clap::Args)]
pub(super) struct RedrawArgs {
    /// Chart file (.json) written beside a PNG or SVG
    spec: PathBuf,
    /// Picture to write (.png or .svg) [default: the spec's name with .png]
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    #[command(flatten)]
    chart: ChartArgs,
}

impl IntoRequest for RedrawArgs {
    fn request(self, run: Run) -> Request {
        Request::Chart(ChartRequest {
            spec: self.spec,
            out: self.out,
            lang: run.lang,
            chart: self.chart.into(),
        })
    }
}

#[derive(Debug, clap::Args)]
pub(super) struct ClusterCommandArgs {
    /// Output folder for assignments.csv and model.json [default: <input stem>-typfrage beside the input]
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Also write the profile sheets, cross-tabs, charts and report.html (as typfrage profile)
    #[arg(long)]
    report: bool,
    /// Add each municipality's certainty to assignments.csv: the share of 100 seeded bootstrap
    /// resamples in which it lands in its own type (always with --report)
    #[arg(long)]
    certainty: bool,
    /// Add each municipality's posterior to assignments.csv: its probability under the Gaussian
    /// mixture (best by BIC with as many components as types) of the component matching its type
    #[arg(long)]
    mixture: bool,
    /// Where k-means starts: restarts (n-init seeded k-means++ starts) or ward (once from the
    /// centroids of Ward's k groups; reports the agreement of the two partitions)
    #[arg(long, value_enum, default_value_t = StartArg::Restarts)]
    start: StartArg,
    /// With --start ward: run Ward on a seeded sample (--seed) of N municipalities, then
    /// k-means on all from its centroids (for surveys with more answer patterns than Ward takes)
    #[arg(long, value_name = "N")]
    ward_sample: Option<usize>,
    /// Write a copy of the survey file (same format: .sav, .csv, .xlsx or .parquet) with the type (coded,
    /// with value labels), the distance to its centre and the margin added as variables
    #[arg(long, value_name = "FILE")]
    save_into: Option<PathBuf>,
    #[command(flatten)]
    fit: FitArgs,
    #[command(flatten)]
    sheets: SheetArgs,
    #[command(flatten)]
    how: ClusterArgs,
}

impl IntoRequest for ClusterCommandArgs {
    fn request(self, run: Run) -> Request {
        let (input, options, csv) = self.how.split(self.fit.k, self.fit.n_init);
        Request::Cluster(ClusterRequest {
            input,
            types: self.fit.types,
            options,
            report: self.report.then(|| self.sheets.options(run.lang)),
            csv,
            lang: run.lang,
            out: self.out,
            start: self.start.into(),
            ward_sample: self.ward_sample,
            save_into: self.save_into,
            certainty: self.certainty,
            mixture: self.mixture,
        })
    }
}

#[derive(Debug, clap::Args)]
pub(super) struct ProfileArgs {
    /// Output folder [default: <input stem>-typfrage/profiles beside the input]
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    #[command(flatten)]
    fit: FitArgs,
    #[command(flatten)]
    sheets: SheetArgs,
    #[command(flatten)]
    how: ClusterArgs,
}

impl IntoRequest for ProfileArgs {
    fn request(self, run: Run) -> Request {
        let (input, options, csv) = self.how.split(self.fit.k, self.fit.n_init);
        Request::Profile(ClusterRequest {
            input,
            types: self.fit.types,
            options,
            report: Some(self.sheets.options(run.lang)),
            csv,
            lang: run.lang,
            out: self.out,
            start: KMeansStart::Restarts,
            ward_sample: None,
            save_into: None,
            certainty: false,
            mixture: false,
        })
    }
}

#[derive(Debug, clap::Args)]
pub(super) struct ChooseKArgs {
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
    chart: ChartArgs,
}

impl IntoRequest for ChooseKArgs {
    fn request(self, run: Run) -> Request {
        let (input, options, csv) = self.how.split(self.k_min, self.n_init);
        Request::ChooseK(ChooseKRequest {
            input,
            k_min: self.k_min,
            k_max: self.k_max,
            gap_references: self.gap_refs,
            options,
            svg: self.svg,
            lang: run.lang,
            csv,
            out: self.out,
            chart: self.chart.into(),
        })
    }
}

#[derive(Debug, clap::Args)]
pub(super) struct StabilityArgs {
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
}

impl IntoRequest for StabilityArgs {
    fn request(self, run: Run) -> Request {
        let (input, options, csv) = self.how.split(self.k, self.n_init);
        Request::Stability(StabilityRequest {
            input,
            options,
            resamples: self.resamples,
            csv,
            progress: run.progress,
            lang: run.lang,
            out: self.out,
        })
    }
}

#[derive(Debug, clap::Args)]
pub(super) struct ReplicateArgs {
    #[arg(long, default_value_t = 2)]
    k_min: usize,
    #[arg(long, default_value_t = 8)]
    k_max: usize,
    /// Random half-splits (fpc's M)
    #[arg(long, default_value_t = 50)]
    splits: usize,
    /// The number of types the split chart and the threshold tree are drawn around
    #[arg(long, default_value_t = ClusterOptions::default().k)]
    k: usize,
    /// k-means restarts on each half (and for the types)
    #[arg(long, default_value_t = 10)]
    n_init: usize,
    /// Output folder for validation.csv, splits.csv, tree.json, the charts and manifest.json
    /// [default: <input stem>-typfrage/replication]
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    #[command(flatten)]
    how: ClusterArgs,
    #[command(flatten)]
    chart: ChartArgs,
}

impl IntoRequest for ReplicateArgs {
    fn request(self, run: Run) -> Request {
        let (input, options, csv) = self.how.split(self.k, self.n_init);
        Request::Replicate(ReplicateRequest {
            input,
            options,
            k_min: self.k_min,
            k_max: self.k_max,
            splits: self.splits,
            lang: run.lang,
            csv,
            out: self.out,
            chart: self.chart.into(),
        })
    }
}

#[derive(Debug, clap::Args)]
pub(super) struct HierarchyArgs {
    /// Number of groups to cut the tree into
    #[arg(long, default_value_t = ClusterOptions::default().k)]
    k: usize,
    /// Output folder for merges.csv, partition.csv, the dendrogram and manifest.json
    /// [default: <input stem>-typfrage/hierarchy]
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// The dendrogram shows the last merges over this many groups
    #[arg(long, default_value_t = DENDROGRAM_LEAVES, value_name = "N")]
    leaves: usize,
    /// Run Ward on a seeded sample (--seed) of N municipalities (for surveys with more answer
    /// patterns than Ward takes: 20,000)
    #[arg(long, value_name = "N")]
    ward_sample: Option<usize>,
    #[command(flatten)]
    how: ClusterArgs,
}

impl IntoRequest for HierarchyArgs {
    fn request(self, run: Run) -> Request {
        let (input, options, csv) = self.how.split(self.k, 1);
        Request::Hierarchy(HierarchyRequest {
            input,
            options,
            lang: run.lang,
            out: self.out,
            csv,
            leaves: self.leaves,
            ward_sample: self.ward_sample,
        })
    }
}

#[derive(Debug, clap::Args)]
pub(super) struct MixtureArgs {
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
}

impl IntoRequest for MixtureArgs {
    fn request(self, run: Run) -> Request {
        let (input, options, csv) = self.how.split(self.k, self.n_init);
        Request::Mixture(MixtureRequest {
            input,
            options,
            k_min: self.k_min,
            k_max: self.k_max,
            models: self.models,
            lang: run.lang,
            out: self.out,
            csv,
        })
    }
}

#[derive(Debug, clap::Args)]
pub(super) struct ResponseStyleArgs {
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
}

impl IntoRequest for ResponseStyleArgs {
    fn request(self, run: Run) -> Request {
        let (input, options, csv) = self.how.split(self.k, self.n_init);
        Request::ResponseStyle(ResponseStyleRequest {
            input,
            options,
            by_spread: self.scale_by_spread,
            lang: run.lang,
            csv,
            out: self.out,
        })
    }
}

#[derive(Debug, clap::Args)]
pub(super) struct ClassifyArgs {
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
}

impl IntoRequest for ClassifyArgs {
    fn request(self, run: Run) -> Request {
        Request::Classify(ClassifyRequest {
            model: self.model,
            input: self.codebook.input(self.file),
            previous: self.previous,
            csv: self.csv.into(),
            lang: run.lang,
            out: self.out,
        })
    }
}

#[derive(Debug, clap::Args)]
pub(super) struct SynthArgs {
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
    /// Also write a second wave of the same municipalities to FILE (some moved to another type,
    /// some left or entered, three merged), its key file FILE-keys.csv and what was planted
    /// FILE-planted.csv (FILE without its extension)
    #[arg(long, value_name = "FILE")]
    second_wave: Option<PathBuf>,
    #[command(flatten)]
    codebook: CodebookArg,
}

impl IntoRequest for SynthArgs {
    fn request(self, run: Run) -> Request {
        Request::Synth(SynthRequest {
            seed: self.seed,
            rows: self.rows,
            out: self.out,
            types_out: self.types_out,
            second_wave: self.second_wave,
            codebook: self.codebook.codebook,
            progress: run.progress,
            lang: run.lang,
        })
    }
}

#[derive(Debug, clap::Args)]
pub(super) struct PositionArgs {
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
}

impl IntoRequest for PositionArgs {
    fn request(self, run: Run) -> Request {
        Request::Position(PositionRequest {
            model: self.model,
            ratings: self.ratings,
            from: self.from,
            id: self.id,
            survey: self.survey,
            codebook: self.codebook.codebook,
            sheet: self.codebook.sheet,
            mapping: self.codebook.mapping,
            lang: run.lang,
            out: self.out,
        })
    }
}

#[derive(Debug, clap::Args)]
pub(super) struct FeedbackArgs {
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
}

impl IntoRequest for FeedbackArgs {
    fn request(self, run: Run) -> Request {
        Request::Feedback(FeedbackRequest {
            model: self.model,
            input: self.codebook.input(self.file),
            lang: run.lang,
            csv: self.csv.into(),
            out: self.out,
        })
    }
}

#[derive(Debug, clap::Args)]
pub(super) struct SelfcheckArgs {
    /// model.json written by typfrage cluster
    model: PathBuf,
    /// The page [default: selbstcheck.html, or selfcheck.html with --lang en, beside the model]
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// List the nearest municipalities of this survey on the page, with their certainty (their
    /// identifiers and answers go into the page)
    #[arg(long, value_name = "FILE")]
    survey: Option<PathBuf>,
    /// Codebook of --survey [default: the built-in one]
    #[arg(long, value_name = "FILE", requires = "survey")]
    codebook: Option<PathBuf>,
}

impl IntoRequest for SelfcheckArgs {
    fn request(self, run: Run) -> Request {
        Request::Selfcheck(SelfcheckRequest {
            model: self.model,
            lang: run.lang,
            out: self.out,
            survey: self.survey,
            codebook: self.codebook,
        })
    }
}

#[derive(Debug, clap::Args)]
pub(super) struct TypesArgs {
    /// model.json written by typfrage cluster
    model: PathBuf,
    /// Where to write the draft types file (TOML)
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
}

impl IntoRequest for TypesArgs {
    fn request(self, run: Run) -> Request {
        Request::Types(typfrage::app::TypesRequest {
            model: self.model,
            out: self.out,
            lang: run.lang,
        })
    }
}

#[derive(Debug, clap::Args)]
pub(super) struct CodebookArgs {
    /// Survey file: SPSS (.sav, .zsav; its dictionary), CSV, workbook or Parquet (its columns)
    file: PathBuf,
    /// Sheet of a workbook (default: the first)
    #[arg(long, value_name = "NAME")]
    sheet: Option<String>,
    /// Variables to mark as clustering variables, comma-separated names or patterns with * (A*)
    #[arg(long, value_delimiter = ',', value_name = "VARS")]
    cluster: Vec<String>,
    /// Where to write the draft codebook (TOML)
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// List at most this many problems of the file checked against the draft
    #[arg(long, default_value_t = Problems::DEFAULT_LIMIT, value_name = "N")]
    max_problems: usize,
}

impl IntoRequest for CodebookArgs {
    fn request(self, run: Run) -> Request {
        Request::Codebook(CodebookRequest {
            file: self.file,
            sheet: self.sheet,
            cluster: self.cluster,
            out: self.out,
            max_problems: self.max_problems,
            lang: run.lang,
        })
    }
}

#[derive(Debug, clap::Args)]
pub(super) struct ExportArgs {
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
}

impl IntoRequest for ExportArgs {
    fn request(self, run: Run) -> Request {
        Request::Export(ExportRequest {
            input: self.codebook.input(self.file),
            format: self.format.into(),
            out: self.out,
            lang: run.lang,
        })
    }
}

#[derive(Debug, clap::Args)]
pub(super) struct WavesArgs {
    /// Survey file of the earlier wave (read with the same --codebook, --sheet and --mapping)
    old: PathBuf,
    /// Output folder [default: <later file's stem>-typfrage/waves beside the later file]
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Identifiers that changed between the waves (CSV: old_id,new_id; several earlier
    /// identifiers may share a later one, as in a merger)
    #[arg(long, value_name = "FILE")]
    keys: Option<PathBuf>,
    /// k-means seed of the later wave [default: --seed]
    #[arg(long, value_name = "N")]
    seed_new: Option<u64>,
    #[command(flatten)]
    fit: FitArgs,
    #[command(flatten)]
    how: ClusterArgs,
}

impl IntoRequest for WavesArgs {
    fn request(self, run: Run) -> Request {
        let (input, options, csv) = self.how.split(self.fit.k, self.fit.n_init);
        Request::Waves(WavesRequest {
            old: self.old,
            input,
            types: self.fit.types,
            keys: self.keys,
            options,
            new_seed: self.seed_new,
            csv,
            lang: run.lang,
            out: self.out,
        })
    }
}
