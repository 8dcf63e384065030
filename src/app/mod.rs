//! The application layer: one typed request per command goes in, an [`Outcome`] comes out (text for
//! the terminal, the exit status; the files are written). The command line builds requests from its
//! arguments and prints outcomes; manifests record the request of the run that wrote them, and
//! `verify` runs a recorded request through the same function, so what a manifest means never
//! depends on how today's flags are spelled.
//!
//! One module per command. The stages below ([`crate::survey`], [`crate::cluster`],
//! [`crate::figures`], [`crate::report`]) compute; this layer reads the inputs, checks the request,
//! calls the stages, writes the outputs and the manifest, and words the summary.

mod chart;
mod choose_k;
mod classify;
mod cluster;
mod codebook;
mod figures;
mod folder;
mod hierarchy;
mod inputs;
mod mixture;
mod save_into;
mod stability;
mod synth;
mod validate;
mod verify;
mod workbook;

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

pub use chart::ChartRequest;
pub use choose_k::ChooseKRequest;
pub use classify::ClassifyRequest;
pub use cluster::ClusterRequest;
pub use codebook::CodebookRequest;
pub use figures::{FiguresRequest, TableFormat};
pub use hierarchy::HierarchyRequest;
pub use inputs::SurveyInput;
pub use mixture::MixtureRequest;
pub use stability::StabilityRequest;
pub use synth::SynthRequest;
pub use validate::ValidateRequest;
pub use verify::VerifyRequest;
pub use workbook::ABOUT_SHEET;

use crate::error::{Result, UsageError};
use crate::exit::ExitStatus;

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
    Mixture(MixtureRequest),
    Classify(ClassifyRequest),
    Figures(FiguresRequest),
    Verify(VerifyRequest),
    Chart(ChartRequest),
    Synth(SynthRequest),
    /// Not recorded in manifests: it writes no result folder.
    Codebook(CodebookRequest),
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
            Request::Mixture(_) => "mixture",
            Request::Classify(_) => "classify",
            Request::Figures(_) => "figures",
            Request::Verify(_) => "verify",
            Request::Chart(_) => "chart",
            Request::Synth(_) => "synth",
            Request::Codebook(_) => "codebook",
        }
    }

    /// Checks what can be checked before any file is read: counts and ranges of the options.
    pub fn check(&self) -> Result<(), UsageError> {
        match self {
            Request::Cluster(r) | Request::Profile(r) => cluster::check_options(&r.options),
            Request::ChooseK(r) => r.check(),
            Request::Stability(r) => r.check(),
            Request::Hierarchy(r) => cluster::check_options(&r.options),
            Request::Mixture(r) => r.check(),
            Request::Validate(r) => r.check(),
            _ => Ok(()),
        }
    }
}

/// What a command produced besides its files: text for stdout and stderr, and how it ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub stdout: String,
    /// Warnings and the reasons for a non-zero status.
    pub stderr: String,
    pub status: ExitStatus,
}

impl Outcome {
    pub fn ok(stdout: String) -> Outcome {
        Outcome {
            stdout,
            stderr: String::new(),
            status: ExitStatus::Success,
        }
    }

    /// Puts each warning as a `warning: …` line on stderr, before what stderr already says.
    fn with_warnings(mut self, warnings: impl IntoIterator<Item = String>) -> Outcome {
        let mut text: String = warnings
            .into_iter()
            .map(|w| format!("warning: {w}\n"))
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
        Request::Mixture(r) => mixture::run(r),
        Request::Classify(r) => classify::run(r),
        Request::Figures(r) => figures::run(r),
        Request::Verify(r) => verify::run(r),
        Request::Chart(r) => chart::run(r),
        Request::Synth(r) => synth::run(r),
        Request::Codebook(r) => codebook::run(r),
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

/// The output folder a request names, or the default beside the input.
fn out_or(out: &Option<PathBuf>, default: impl FnOnce() -> PathBuf) -> PathBuf {
    out.clone().unwrap_or_else(default)
}
