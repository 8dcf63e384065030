//! The application layer: one typed request per command goes in, an [`Outcome`] comes out (text for
//! the terminal, the exit status; the files are written). The command line parses its arguments
//! straight into the requests (with the `cli` feature they derive clap's `Args`, their fields'
//! doc comments the help texts) and prints outcomes; manifests record the request of the run that
//! wrote them, and `verify` runs a recorded request through the same function, so what a manifest
//! means never depends on how today's flags are spelled.
//!
//! One module per command (and `report`, the profile sheets a clustering writes). The stages
//! below ([`crate::survey`], [`crate::cluster`], [`crate::figures`], [`crate::profile`], [`crate::waves`]) compute
//! and [`crate::show`] renders; this layer reads the inputs, checks the request, calls the stages
//! and the views, writes the outputs and the manifest, and words the summary.

mod chart;
mod choose_k;
mod classify;
mod cluster;
mod codebook;
mod export;
mod feedback;
mod figures;
mod folder;
mod hierarchy;
mod inputs;
mod mixture;
mod options;
mod position;
mod progress;
mod replicate;
mod report;
mod response_style;
mod save_into;
mod sealed;
mod selfcheck;
mod stability;
mod synth;
mod types;
mod validate;
mod verify;
mod waves;
mod workbook;

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

pub use chart::ChartRequest;
pub use choose_k::ChooseKRequest;
pub use classify::ClassifyRequest;
pub use cluster::{ClusterRequest, KMeansStart, WARD_START_FILE};
pub use codebook::CodebookRequest;
pub use export::{ExportFormat, ExportRequest};
pub use feedback::FeedbackRequest;
pub use figures::{FiguresRequest, TableFormat};
pub use hierarchy::{HierarchyRequest, DENDROGRAM_LEAVES};
pub use inputs::SurveyInput;
pub use mixture::MixtureRequest;
pub use position::PositionRequest;
pub use replicate::{ReplicateRequest, REPORT_SPLITS};
pub use report::ReportOptions;
pub use response_style::{ResponseStyleRequest, RESPONSE_STYLE_FILE};
pub use selfcheck::SelfcheckRequest;
pub use stability::StabilityRequest;
pub use synth::SynthRequest;
pub use types::TypesRequest;
pub use validate::ValidateRequest;
pub use verify::VerifyRequest;
pub use waves::WavesRequest;
pub use workbook::{about_sheet, ABOUT_SHEET};

use crate::error::{Result, UsageError};
use crate::exit::ExitStatus;
use crate::lang::Lang;

/// What a command is asked to do. Serialised (with the command's name in `command`) into the
/// manifests of the commands that write one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "kebab-case")]
pub enum Request {
    Validate(ValidateRequest),
    Cluster(ClusterRequest),
    /// `cluster` with the profile sheets always written, into `profiles/` by default.
    Profile(ClusterRequest),
    ChooseK(ChooseKRequest),
    Stability(StabilityRequest),
    Hierarchy(HierarchyRequest),
    Replicate(ReplicateRequest),
    Mixture(MixtureRequest),
    Classify(ClassifyRequest),
    Figures(FiguresRequest),
    Verify(VerifyRequest),
    Chart(ChartRequest),
    Synth(SynthRequest),
    Position(PositionRequest),
    Feedback(FeedbackRequest),
    Selfcheck(SelfcheckRequest),
    ResponseStyle(ResponseStyleRequest),
    /// Not recorded in manifests: it writes no result folder.
    Codebook(CodebookRequest),
    Export(ExportRequest),
    Waves(WavesRequest),
    /// Not recorded in manifests: it writes one file.
    Types(TypesRequest),
}

impl Request {
    /// The command's name, as on the command line and in manifests.
    pub fn command(&self) -> &'static str {
        match self {
            Request::Validate(_) => "validate",
            Request::Cluster(_) => "cluster",
            Request::Profile(_) => "profile",
            Request::ChooseK(_) => "choose-k",
            Request::Stability(_) => "stability",
            Request::Hierarchy(_) => "hierarchy",
            Request::Replicate(_) => "replicate",
            Request::Mixture(_) => "mixture",
            Request::Classify(_) => "classify",
            Request::Figures(_) => "figures",
            Request::Verify(_) => "verify",
            Request::Chart(_) => "chart",
            Request::Synth(_) => "synth",
            Request::Position(_) => "position",
            Request::Feedback(_) => "feedback",
            Request::Selfcheck(_) => "selfcheck",
            Request::ResponseStyle(_) => "response-style",
            Request::Codebook(_) => "codebook",
            Request::Export(_) => "export",
            Request::Waves(_) => "waves",
            Request::Types(_) => "types",
        }
    }

    /// The files the request reads, by their role in a manifest, and its output folder; `None`
    /// for a command that writes no manifest (its request is never replayed by `verify`).
    pub(crate) fn recorded_paths(&mut self) -> Option<RecordedPaths<'_>> {
        Some(match self {
            Request::Cluster(r) | Request::Profile(r) => r.recorded_paths(),
            Request::Hierarchy(r) => r.recorded_paths(),
            Request::Replicate(r) => r.recorded_paths(),
            Request::Mixture(r) => r.recorded_paths(),
            Request::ResponseStyle(r) => r.recorded_paths(),
            Request::Figures(r) => r.recorded_paths(),
            Request::Feedback(r) => r.recorded_paths(),
            Request::Waves(r) => r.recorded_paths(),
            _ => return None,
        })
    }

    /// Checks what can be checked before any file is read: counts and ranges of the options. The
    /// one check of a request, whether it comes from the command line or from a manifest that
    /// `verify` replays; every parameter that sizes the work or an allocation is bounded here.
    pub fn check(&self) -> Result<(), UsageError> {
        match self {
            Request::Cluster(r) | Request::Profile(r) => cluster::check(r),
            Request::ChooseK(r) => r.check(),
            Request::Stability(r) => r.check(),
            Request::Hierarchy(r) => r.check(),
            Request::Replicate(r) => r.check(),
            Request::Mixture(r) => r.check(),
            Request::Validate(r) => r.check(),
            Request::ResponseStyle(r) => r.check(),
            Request::Figures(r) => r.chart.check().map_err(UsageError::new),
            Request::Chart(r) => r.chart.check().map_err(UsageError::new),
            Request::Synth(r) => r.check(),
            Request::Waves(r) => r.check(),
            Request::Codebook(_)
            | Request::Classify(_)
            | Request::Verify(_)
            | Request::Position(_)
            | Request::Feedback(_)
            | Request::Selfcheck(_)
            | Request::Export(_)
            | Request::Types(_) => Ok(()),
        }
    }
}

/// The files a request reads, each by its role in the manifest (`survey`, `codebook`, `mapping`,
/// `types`, `published`, `model`), and its output folder: what a manifest records relative to its
/// own folder, and what `verify` checks against the manifest's list of inputs before a re-run.
pub(crate) struct RecordedPaths<'a> {
    pub inputs: Vec<(&'static str, &'a mut PathBuf)>,
    pub out: &'a mut Option<PathBuf>,
}

/// What a command produced besides its files: text for stdout and stderr, and how it ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub stdout: String,
    /// Warnings and the reasons for a non-zero status.
    pub stderr: String,
    pub status: ExitStatus,
    /// How many bytes at the start of `stdout` were already printed, on a terminal, as soon as
    /// they were known (the rest is printed at the end).
    pub shown: usize,
}

impl Outcome {
    pub fn ok(stdout: String) -> Outcome {
        Outcome {
            stdout,
            stderr: String::new(),
            status: ExitStatus::Success,
            shown: 0,
        }
    }

    /// Puts a note (advice that is neither a result nor a warning, such as the weights' note) on
    /// stderr, after what stderr already says: stdout carries only the result, so a JSON or CSV
    /// on stdout reaches a pipe whole.
    fn with_note(mut self, note: Option<String>) -> Outcome {
        if let Some(note) = note {
            self.stderr.push_str(&note);
            self.stderr.push('\n');
        }
        self
    }

    /// Puts each warning as a `warning: …` line (`Warnung: …` in German) on stderr, before what
    /// stderr already says.
    fn with_warnings(mut self, warnings: impl IntoIterator<Item = String>, lang: Lang) -> Outcome {
        let mut text: String = warnings
            .into_iter()
            .map(|w| format!("{}: {w}\n", lang.pick("Warnung", "warning")))
            .collect();
        text.push_str(&self.stderr);
        self.stderr = text;
        self
    }
}

/// Runs a request.
pub fn run(request: &Request) -> Result<Outcome> {
    request.check()?;
    match request {
        Request::Validate(r) => validate::run(r),
        Request::Cluster(r) => cluster::run(r, cluster::Command::Cluster),
        Request::Profile(r) => cluster::run(r, cluster::Command::Profile),
        Request::ChooseK(r) => choose_k::run(r),
        Request::Stability(r) => stability::run(r),
        Request::Hierarchy(r) => hierarchy::run(r),
        Request::Replicate(r) => replicate::run(r),
        Request::Mixture(r) => mixture::run(r),
        Request::Classify(r) => classify::run(r),
        Request::Figures(r) => figures::run(r),
        Request::Verify(r) => verify::run(r),
        Request::Chart(r) => chart::run(r),
        Request::Synth(r) => synth::run(r),
        Request::Position(r) => position::run(r),
        Request::Feedback(r) => feedback::run(r),
        Request::Selfcheck(r) => selfcheck::run(r),
        Request::ResponseStyle(r) => response_style::run(r),
        Request::Codebook(r) => codebook::run(r),
        Request::Export(r) => export::run(r),
        Request::Waves(r) => waves::run(r),
        Request::Types(r) => types::run(r),
    }
}

/// The most worker threads `--threads` may ask for, per core: more only costs memory and time.
const THREADS_PER_CORE: usize = 4;

/// Sets the number of worker threads for the whole process (results are the same for any number).
pub fn set_threads(threads: usize) -> Result<(), UsageError> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let most = cores * THREADS_PER_CORE;
    if threads == 0 || threads > most {
        return Err(UsageError::new(format!(
            "--threads {threads}: expected 1 to {most} ({THREADS_PER_CORE} per core on this machine with {cores})"
        )));
    }
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build_global()
        .map_err(|e| UsageError::new(format!("--threads {threads}: {e}")))
}

/// Items joined as a sentence lists them: "a, b and c" ("a, b und c").
fn listed(items: &[String], lang: Lang) -> String {
    match items.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} {} {last}", rest.join(", "), lang.pick("und", "and")),
    }
}

/// The closing line of a command: the files it wrote ("wrote a and b", "geschrieben: a und b").
fn wrote<P: AsRef<std::path::Path>>(paths: &[P], lang: Lang) -> String {
    let names: Vec<String> = paths
        .iter()
        .map(|p| p.as_ref().display().to_string())
        .collect();
    format!(
        "{} {}\n",
        lang.pick("geschrieben:", "wrote"),
        listed(&names, lang)
    )
}

/// The output folder a request names, or the default beside the input.
fn out_or(out: &Option<PathBuf>, default: impl FnOnce() -> PathBuf) -> PathBuf {
    out.clone().unwrap_or_else(default)
}
