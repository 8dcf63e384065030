//! The crate's error type, the one I/O error every stage uses, and the exit statuses.
//!
//! Each stage keeps its own error enum ([`SurveyError`], [`ClusterError`], [`FigureError`],
//! [`ProfileError`], [`ManifestError`]); [`Error`] wraps them, so the application layer and the
//! binary deal with one type. A failed file operation is a [`FileError`] wherever it happens: what was
//! being done, to which path, and why. [`ExitStatus`] is the one list of exit codes: the help text,
//! the commands and the manifests take their numbers from it (see [`crate::exit`]).

use thiserror::Error;

use crate::cluster::ClusterError;
pub use crate::exit::ExitStatus;
use crate::figures::FigureError;
use crate::manifest::ManifestError;
pub use crate::output::{FileAction, FileError};
use crate::profile::ProfileError;
use crate::survey::SurveyError;

/// `Result` with the crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in a `typfrage` command.
#[derive(Debug, Error)]
pub enum Error {
    #[error(transparent)]
    File(#[from] FileError),
    #[error(transparent)]
    Survey(#[from] SurveyError),
    #[error(transparent)]
    Cluster(#[from] ClusterError),
    #[error(transparent)]
    Figures(#[from] FigureError),
    #[error(transparent)]
    Profile(#[from] ProfileError),
    #[error(transparent)]
    Manifest(#[from] ManifestError),
    #[error(transparent)]
    Chart(#[from] crate::show::chart::ChartError),
    #[error(transparent)]
    Waves(#[from] crate::waves::WavesError),
    /// A table that could not be put into CSV (a record of another length than the header's).
    #[error("cannot write a table: {0}")]
    Table(#[from] csv::Error),
    /// A request that cannot be run as asked (exit status 2, like clap's own usage errors).
    #[error(transparent)]
    Usage(#[from] UsageError),
    /// A file the command reads that is not what it should be (an assignments file without an id
    /// column, say).
    #[error("{path}: {message}")]
    Input { path: String, message: String },
}

impl Error {
    /// The exit status this error ends the program with.
    pub fn exit_status(&self) -> ExitStatus {
        match self {
            Error::Usage(_) => ExitStatus::Usage,
            _ => ExitStatus::Failed,
        }
    }

    /// The survey's cell-level problems, when that is what failed (printed as a list, not as one
    /// error line).
    pub fn problems(&self) -> Option<&crate::survey::Problems> {
        let survey = match self {
            Error::Survey(e) => e,
            Error::Cluster(ClusterError::Survey(e)) => e,
            Error::Figures(FigureError::Survey(e)) => e,
            Error::Profile(ProfileError::Survey(e)) => e,
            Error::Waves(crate::waves::WavesError::Cluster {
                source: ClusterError::Survey(e),
                ..
            }) => e,
            _ => return None,
        };
        match survey {
            SurveyError::Invalid(problems) => Some(problems),
            _ => None,
        }
    }
}

/// A request that cannot be run as asked: an option out of range, an unknown variable name.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{message}")]
pub struct UsageError {
    pub message: String,
}

impl UsageError {
    pub fn new(message: impl Into<String>) -> UsageError {
        UsageError {
            message: message.into(),
        }
    }
}

/// The nearest of `candidates` to `name`, when it is near enough to be a likely typo.
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(name, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_near_name_is_suggested_and_a_far_one_is_not() {
        let names = ["ziel_effizienz", "ziel_offenheit", "gewicht"];
        assert_eq!(
            did_you_mean("ziel_efizienz", names.iter().copied()),
            Some("ziel_effizienz")
        );
        assert_eq!(did_you_mean("bundesland", names.iter().copied()), None);
    }

    #[test]
    fn file_errors_say_what_where_and_why_in_words() {
        let e = FileError::new(
            FileAction::Write,
            std::path::Path::new("out/x.csv"),
            std::io::Error::from(std::io::ErrorKind::AlreadyExists),
        );
        assert_eq!(
            e.to_string(),
            "out/x.csv: cannot write the file: something else already exists at that path"
        );
    }
}
