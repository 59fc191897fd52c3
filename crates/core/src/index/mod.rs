//! The index on disk: schema, manifest, the indexing run, and opening for search.

pub mod dedup;
pub mod directory;
pub mod faults;
pub mod manifest;
mod plan;
mod rebuild_advice;
pub mod schema;
pub mod stats;
pub mod writer;

use std::path::{Path, PathBuf};

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
        return Err(Error::NoIndex(dir.to_path_buf()));
    }
    let index = open_tantivy(dir)?;
    let Some(payload) = index.load_metas()?.payload else {
        return Err(if is_unfinished_first_run(&index) {
            Error::IndexBeingBuilt(dir.to_path_buf())
        } else {
            Error::ForeignIndex(dir.to_path_buf())
        });
    };
    let header =
        CommitHeader::from_payload(&payload).map_err(|e| manifest::unreadable_manifest(dir, &e))?;
    if let Some(problem) = header.incompatibility() {
        return Err(Error::IncompatibleIndex(format!(
            "{problem}; {}",
            rebuild_advice::for_index(dir, &payload, &header.settings)
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

/// What to say when `dir` holds no index, naming the folder the user asked for.
pub fn no_index_message(dir: &Path) -> String {
    if dir == Path::new(DEFAULT_INDEX_DIR) {
        format!("no index in {DEFAULT_INDEX_DIR}: run `fahras index` first")
    } else {
        format!(
            "no index in {}: run `fahras index --index {} PATH...` first",
            dir.display(),
            dir.display()
        )
    }
}

/// The folder commands use when not given `--index`.
pub const DEFAULT_INDEX_DIR: &str = "index";

/// The tantivy index in `dir`, opened as it is.
pub(crate) fn open_tantivy(dir: &Path) -> Result<Index> {
    Ok(Index::open(directory::IndexDirectory::open(dir)?)?)
}

/// True when `index` carries no fahras commit yet but is what the first run of `fahras index`
/// creates: fahras's own schema and no committed segment. A run killed before its first commit
/// leaves exactly this (and segment files no commit names); the next run finishes the job. An
/// index with another schema, or with committed data but no fahras manifest, is someone else's.
pub fn is_unfinished_first_run(index: &Index) -> bool {
    index.schema() == schema::build_schema()
        && index
            .searchable_segment_metas()
            .is_ok_and(|segments| segments.is_empty())
}

/// The payload of the index's latest commit.
fn latest_payload(index: &Index, dir: &Path) -> Result<String> {
    index.load_metas()?.payload.ok_or_else(|| {
        Error::DamagedManifest(format!(
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
                Err(Error::Io { path, error }) if error.kind() == std::io::ErrorKind::NotFound => {
                    attempts += 1;
                    if attempts == 3 {
                        return Err(Error::DamagedManifest(format!(
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
