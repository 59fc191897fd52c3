//! The index on disk: schema, manifest, the indexing run, and opening for search.

pub mod dedup;
pub mod manifest;
pub mod schema;
pub mod stats;
pub mod writer;

use std::path::{Path, PathBuf};

use tantivy::directory::MmapDirectory;
use tantivy::{Index, IndexReader, ReloadPolicy};

pub use manifest::{CommitHeader, IndexSettings, Manifest, RunSummary};
pub use schema::Fields;

use crate::analysis::register_analyzers;
use crate::{Error, Result};

/// An opened index with its fields and the header of the commit it was opened at (its
/// manifest is read on demand: searching does not need it).
pub struct IndexHandle {
    pub dir: PathBuf,
    pub index: Index,
    pub fields: Fields,
    pub header: CommitHeader,
}

/// True when `dir` holds a tantivy index.
pub fn exists(dir: &Path) -> bool {
    dir.join("meta.json").is_file()
}

/// Opens the index in `dir` for searching or updating, checking that this build of fahras can
/// read it and registering its analyzers with the settings it was built with.
pub fn open(dir: &Path) -> Result<IndexHandle> {
    if !exists(dir) {
        return Err(Error::Invalid(format!(
            "no index in {}: run `fahras index` first",
            dir.display()
        )));
    }
    let directory =
        MmapDirectory::open(dir).map_err(|e| Error::Invalid(format!("{}: {e}", dir.display())))?;
    let index = Index::open(directory)?;
    let payload = latest_payload(&index, dir)?;
    let header = CommitHeader::from_payload(&payload).map_err(|e| {
        Error::Invalid(format!(
            "{}: unreadable manifest ({e}); run `fahras index --rebuild`",
            dir.display()
        ))
    })?;
    if let Some(problem) = header.incompatibility() {
        return Err(Error::Invalid(format!(
            "{problem}; run `fahras index --rebuild` to rebuild {}",
            dir.display()
        )));
    }
    let fields = Fields::from_schema(&index.schema())?;
    register_analyzers(&index, header.settings.stemmer);
    Ok(IndexHandle {
        dir: dir.to_path_buf(),
        index,
        fields,
        header,
    })
}

/// The payload of the index's latest commit.
fn latest_payload(index: &Index, dir: &Path) -> Result<String> {
    index.load_metas()?.payload.ok_or_else(|| {
        Error::Invalid(format!(
            "{} holds an index without a fahras manifest; run `fahras index --rebuild`",
            dir.display()
        ))
    })
}

impl IndexHandle {
    /// The manifest of the latest commit. A commit made meanwhile by an indexing run deletes
    /// the manifest file it replaced, so a file gone missing is looked up again.
    pub fn manifest(&self) -> Result<Manifest> {
        let mut attempts = 0;
        loop {
            let payload = latest_payload(&self.index, &self.dir)?;
            match Manifest::load(&self.dir, &payload) {
                Err(Error::Io { path, source })
                    if source.kind() == std::io::ErrorKind::NotFound =>
                {
                    attempts += 1;
                    if attempts == 3 {
                        return Err(Error::Invalid(format!(
                            "{}: the manifest the last commit names is missing; searching still \
                             works, but indexing needs it: run `fahras index --rebuild`",
                            path.display()
                        )));
                    }
                }
                result => return result,
            }
        }
    }

    /// A reader that reloads only when asked, so a command sees one consistent commit.
    pub fn reader(&self) -> Result<IndexReader> {
        Ok(self
            .index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?)
    }

    /// A reader that follows new commits by itself (for the long-running server).
    pub fn auto_reloading_reader(&self) -> Result<IndexReader> {
        Ok(self
            .index
            .reader_builder()
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .try_into()?)
    }

    /// Bytes the index occupies on disk.
    pub fn size_on_disk(&self) -> u64 {
        dir_size(&self.dir)
    }
}

fn dir_size(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum()
}
