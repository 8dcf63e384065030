//! The commands: one variant per subcommand, its doc comment the command's help. Each parses
//! straight into the application layer's request (the requests derive their arguments, their
//! fields' doc comments the help texts); what a request takes from the run rather than from its
//! arguments (the language, whether stderr is a terminal) is set by [`Command::request`]. A new
//! command is a line in `commands!`.

use typfrage::app::{ChartRequest, ChooseKRequest, ClassifyRequest, ClusterRequest};
use typfrage::app::{CodebookRequest, ExportRequest, FeedbackRequest, FiguresRequest};
use typfrage::app::{HierarchyRequest, MixtureRequest, PositionRequest, ReplicateRequest};
use typfrage::app::{ReportOptions, Request, ResponseStyleRequest, SelfcheckRequest};
use typfrage::app::{StabilityRequest, SynthRequest, TypesRequest, ValidateRequest};
use typfrage::app::{VerifyRequest, WavesRequest};
use typfrage::lang::Lang;

/// The subcommands, one variant each with the arguments it parses into (the variant's doc comment
/// is the command's help), and the request of each: the request of the same name.
macro_rules! commands {
    ($($(#[$meta:meta])* $variant:ident($args:ty),)+) => {
        #[derive(Debug, clap::Subcommand)]
        pub(super) enum Command {
            $($(#[$meta])* $variant($args),)+
        }

        impl Command {
            /// The request, with the run's language and whether stderr is a terminal (progress
            /// bars are drawn there).
            pub fn request(self, lang: Lang, progress: bool) -> Request {
                let mut request = match self {
                    $(Command::$variant(a) => Request::$variant(a.into()),)+
                };
                complete(&mut request, lang, progress);
                request
            }
        }
    };
}

commands! {
    /// Check every cell of a survey file against the codebook
    Validate(ValidateRequest),
    /// Recompute every published figure and finding from a survey file and compare
    Figures(FiguresRequest),
    /// Re-run the command recorded in a manifest.json and compare every output with it
    Verify(VerifyRequest),
    /// Redraw a chart from the .json file written beside it (edit labels or colours, then redraw)
    Chart(ChartRequest),
    /// Find the types: k-means over the clustered variables (the codebook's), named after the
    /// type definitions (the study's four published types by default)
    Cluster(ClusterArgs),
    /// Profile sheets per type: Markdown, one HTML report with charts, JSON, cross-tabs with tests
    Profile(ProfileArgs),
    /// Compare k = 2..8 by elbow, silhouette, Calinski-Harabasz, Davies-Bouldin and the gap statistic
    #[command(name = "choose-k")]
    ChooseK(ChooseKRequest),
    /// Bootstrap stability of the types (Jaccard per type, adjusted Rand index)
    Stability(StabilityRequest),
    /// Ward's hierarchical clustering (as R's hclust ward.D2), and k-means started from its centroids
    Hierarchy(HierarchyRequest),
    /// Validation by replication: prediction strength (as fpc::prediction.strength) and split-half
    /// ARI for k = 2..8, how the types split from k - 1 to k + 1, and a three-question threshold tree
    Replicate(ReplicateRequest),
    /// Gaussian mixtures (mclust's EII, VII, EEI, VVI, EEE, VVV) by BIC, against the k-means types
    Mixture(MixtureRequest),
    /// Whether a type is a response style: the clustering re-run on ratings centred on each row's
    /// own mean; who keeps their type
    #[command(name = "response-style")]
    ResponseStyle(ResponseStyleRequest),
    /// Assign the rows of a new survey to the types of a saved model
    Classify(ClassifyRequest),
    /// Generate the synthetic stand-in survey (calibrated to the published figures)
    Synth(SynthRequest),
    /// One row's place in a saved typology: type, how clear, ratings against the type, nearest
    /// rows, what to learn (terminal, and a one-page sheet with --out)
    Position(PositionRequest),
    /// A one-page sheet for every row of a survey, with an index, to send each its result
    Feedback(FeedbackRequest),
    /// Write the offline self-check page (one HTML file, no network) from a saved model
    Selfcheck(SelfcheckRequest),
    /// Draft a types file from a saved model (each type's centroid, names to edit) for cluster --types
    Types(TypesRequest),
    /// Draft a codebook from a survey file (SPSS, CSV, workbook, Parquet) and check the file against it
    Codebook(CodebookRequest),
    /// Write the validated survey with its value labels for other tools (Parquet: pandas, polars, R arrow)
    Export(ExportRequest),
    /// Compare two waves: who switched type, and why (their own answers, the types estimated
    /// again, a type dissolved or new); OLD is the earlier wave's survey file, FILE the later's
    Waves(WavesRequest),
}

/// `cluster`: the request, and whether and how to write the profile sheets.
#[derive(Debug, clap::Args)]
pub(super) struct ClusterArgs {
    #[command(flatten)]
    request: ClusterRequest,
    /// Also write the profile sheets, cross-tabs, charts and report.html (as typfrage profile)
    #[arg(long)]
    report: bool,
    #[command(flatten)]
    sheets: ReportOptions,
}

impl From<ClusterArgs> for ClusterRequest {
    fn from(a: ClusterArgs) -> ClusterRequest {
        let report = a.report.then_some(a.sheets);
        ClusterRequest {
            report,
            ..a.request
        }
    }
}

/// `profile`: `cluster` with the sheets always written, into `profiles/` by default (the
/// certainty is always counted with them).
#[derive(Debug, clap::Args)]
#[command(
    mut_arg("out", |a| a.help("Output folder [default: <input stem>-typfrage/profiles beside the input]")),
    mut_arg("certainty", |a| a.hide(true))
)]
pub(super) struct ProfileArgs {
    #[command(flatten)]
    request: ClusterRequest,
    #[command(flatten)]
    sheets: ReportOptions,
}

impl From<ProfileArgs> for ClusterRequest {
    fn from(a: ProfileArgs) -> ClusterRequest {
        let report = Some(a.sheets);
        ClusterRequest {
            report,
            ..a.request
        }
    }
}

/// Sets what a request takes from the run: the language (of the report too), whether stderr is
/// a terminal; and `choose-k`'s first k, given as `--k-min` into its options' `k`.
fn complete(request: &mut Request, run_lang: Lang, run_progress: bool) {
    let lang = match request {
        Request::Validate(r) => &mut r.lang,
        Request::Cluster(r) | Request::Profile(r) => {
            if let Some(report) = &mut r.report {
                report.lang = run_lang;
            }
            &mut r.lang
        }
        Request::ChooseK(r) => {
            r.k_min = r.options.k;
            &mut r.lang
        }
        Request::Stability(r) => {
            r.progress = run_progress;
            &mut r.lang
        }
        Request::Synth(r) => {
            r.progress = run_progress;
            &mut r.lang
        }
        Request::Hierarchy(r) => &mut r.lang,
        Request::Replicate(r) => &mut r.lang,
        Request::Mixture(r) => &mut r.lang,
        Request::Classify(r) => &mut r.lang,
        Request::Figures(r) => &mut r.lang,
        Request::Verify(r) => &mut r.lang,
        Request::Chart(r) => &mut r.lang,
        Request::Position(r) => &mut r.lang,
        Request::Feedback(r) => &mut r.lang,
        Request::Selfcheck(r) => &mut r.lang,
        Request::ResponseStyle(r) => &mut r.lang,
        Request::Codebook(r) => &mut r.lang,
        Request::Export(r) => &mut r.lang,
        Request::Waves(r) => &mut r.lang,
        Request::Types(r) => &mut r.lang,
    };
    *lang = run_lang;
}
