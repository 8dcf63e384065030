//! The error type of the clustering core: bad options, a failed k-means, unusable type
//! definitions or models, and survey errors passed through.

use thiserror::Error;

use crate::survey::SurveyError;

#[derive(Debug, Error)]
pub enum ClusterError {
    #[error("{0}")]
    Options(String),
    #[error("k-means failed: {0}")]
    KMeans(String),
    #[error("type definitions: {0}")]
    Types(String),
    #[error("model: {0}")]
    Model(String),
    #[error(transparent)]
    Survey(#[from] SurveyError),
    #[error(transparent)]
    File(#[from] crate::output::FileError),
}
