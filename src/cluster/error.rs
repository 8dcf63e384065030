//! The error type of the clustering core: bad options, a failed k-means, unusable type
//! definitions or models, more answer patterns than Ward's clustering takes, and survey errors
//! passed through.

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
    #[error(
        "Ward's clustering: the {rows} rows have {patterns} distinct answer patterns, more than the {limit} it takes (their distances would need {} GB, those of {limit} patterns {} GB); give --ward-sample N (N at most {limit}) to run Ward on a seeded sample of N rows, or leave Ward out (k-means restarts: typfrage cluster)",
        gigabytes(*bytes),
        gigabytes(*limit_bytes)
    )]
    WardTooLarge {
        rows: usize,
        patterns: usize,
        limit: usize,
        /// The bytes the patterns' dissimilarities would take, and those of `limit` patterns.
        bytes: u64,
        limit_bytes: u64,
    },
    #[error(transparent)]
    Survey(#[from] SurveyError),
    #[error(transparent)]
    File(#[from] crate::output::FileError),
}

/// Bytes as gigabytes with one decimal.
fn gigabytes(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / 1e9)
}
