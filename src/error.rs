//! The library's one error type.
//!
//! Each variant's message is complete on its own: none of them also chains its cause as a
//! `source`, so `{:#}` (which prints a message followed by its sources) never says the same thing
//! twice ("Permission denied (os error 13): Permission denied (os error 13)").

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}: {}", path.display(), describe_io(error))]
    Io {
        path: PathBuf,
        /// Not named `source`: thiserror would chain it (see the module comment).
        error: std::io::Error,
    },
    #[error("index error: {0}")]
    Index(tantivy::TantivyError),
    /// A filter (outlet, collection) names nothing the index holds.
    #[error("unknown {what} {name:?}; the index has: {known}")]
    UnknownFilter {
        what: &'static str,
        name: String,
        known: String,
    },
    #[error("{0}")]
    Invalid(String),
}

impl From<tantivy::TantivyError> for Error {
    fn from(error: tantivy::TantivyError) -> Self {
        Error::Index(error)
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            error: source,
        }
    }

    /// The I/O error behind this one, if it is one.
    pub fn io_kind(&self) -> Option<std::io::ErrorKind> {
        match self {
            Error::Io { error, .. } => Some(error.kind()),
            _ => None,
        }
    }
}

/// An I/O error in words, with the wording users search for when the disk is full.
pub fn describe_io(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::StorageFull => "no space left on device".to_owned(),
        std::io::ErrorKind::ReadOnlyFilesystem => "read-only file system".to_owned(),
        _ => error.to_string(),
    }
}
