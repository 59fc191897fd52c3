//! The index on disk: schema, manifest, the indexing run, and opening for search.

pub mod dedup;
pub mod manifest;
pub mod schema;
pub mod stats;
pub mod writer;

use std::path::{Path, PathBuf};

use tantivy::directory::MmapDirectory;
use tantivy::{Index, IndexReader, ReloadPolicy};

pub use manifest::{IndexSettings, Manifest, RunSummary};
pub use schema::Fields;

use crate::analysis::register_analyzers;
use crate::{Error, Result};

/// An opened index with its fields and manifest.
pub struct IndexHandle {
    pub dir: PathBuf,
    pub index: Index,
    pub fields: Fields,
    pub manifest: Manifest,
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
    let payload = index.load_metas()?.payload;
    let manifest = match payload {
        Some(payload) => Manifest::from_payload(&payload).map_err(|e| {
            Error::Invalid(format!(
                "{}: unreadable manifest ({e}); run `fahras index --rebuild`",
                dir.display()
            ))
        })?,
        None => {
            return Err(Error::Invalid(format!(
                "{} holds an index without a fahras manifest; run `fahras index --rebuild`",
                dir.display()
            )))
        }
    };
    if let Some(problem) = manifest.incompatibility() {
        return Err(Error::Invalid(format!(
            "{problem}; run `fahras index --rebuild` to rebuild {}",
            dir.display()
        )));
    }
    let fields = Fields::from_schema(&index.schema())?;
    register_analyzers(&index, manifest.settings.stemmer);
    Ok(IndexHandle {
        dir: dir.to_path_buf(),
        index,
        fields,
        manifest,
    })
}

impl IndexHandle {
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
