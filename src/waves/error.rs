//! What can go wrong comparing two waves: a wave that cannot be clustered, and a key file
//! (`--keys`) that does not say one thing per identifier.

use thiserror::Error;

use crate::cluster::ClusterError;

#[derive(Debug, Error)]
pub enum WavesError {
    /// A wave that cannot be clustered or classified; `wave` says which (its file).
    #[error("{wave}: {source}")]
    Cluster {
        wave: String,
        #[source]
        source: ClusterError,
    },
    /// A line of the key file that cannot be used, named by file, row, column and value.
    #[error("{path}, row {row}, column {column}: {message}")]
    Keys {
        path: String,
        row: usize,
        column: String,
        message: String,
    },
    /// A key file that is not the expected table.
    #[error("{path}: {message}")]
    KeyFile { path: String, message: String },
}
