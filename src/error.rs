//! Failures that stop deckc from running at all (exit code 2).
//!
//! Findings about the notes themselves are [`crate::diagnostic::Diagnostic`]
//! values, never errors.

use std::path::PathBuf;

/// Everything that can stop a run. Each message says what went wrong and
/// what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An input file could not be read.
    #[error("cannot read `{path}`: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// An input file is not valid UTF-8.
    #[error(
        "`{path}` is not valid UTF-8 (line {line}, byte offset {offset}); re-save it as UTF-8"
    )]
    InvalidUtf8 {
        path: PathBuf,
        line: usize,
        offset: usize,
    },

    /// The lock file next to the notes cannot be parsed. It is never
    /// regenerated silently: that would give edited cards new identities.
    #[error(
        "lock file `{path}` line {line}: {message}; fix the line or restore the file from version control"
    )]
    Lock {
        path: PathBuf,
        line: usize,
        message: String,
    },

    /// The output could not be written.
    #[error("cannot write `{path}`: {source}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// The requested output format is unknown or cannot be inferred.
    #[error("{0}")]
    Format(String),

    /// A flag or option combination is invalid.
    #[error("{0}")]
    Usage(String),

    /// A file given to `deckc inspect` is not a readable Anki package.
    #[error("`{path}` is not a readable Anki package: {message}")]
    Package { path: PathBuf, message: String },

    /// Building the Anki collection failed.
    #[error("cannot build the Anki collection: {0}")]
    Sqlite(#[from] rusqlite::Error),

    /// Writing the zip container failed.
    #[error("cannot write the package: {0}")]
    Zip(#[from] zip::result::ZipError),

    /// Any other I/O failure while producing output.
    #[error(transparent)]
    Io(#[from] std::io::Error),

    /// JSON serialization failed.
    #[error(transparent)]
    Json(#[from] serde_json::Error),

    /// CSV serialization failed.
    #[error(transparent)]
    Csv(#[from] csv::Error),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
