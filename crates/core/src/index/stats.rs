//! What an index holds, for `fahras stats` and the server's `/api/stats`.

use serde::Serialize;

use super::RunSummary;
use crate::analysis::ANALYZER_VERSION;
use crate::ingest::date::format_day;

/// The statistics, with the JSON keys scripts rely on.
#[derive(Debug, Serialize)]
pub struct Stats {
    pub articles: u64,
    pub passages: u64,
    pub sources: std::collections::BTreeMap<String, u64>,
    pub first_date: Option<String>,
    pub last_date: Option<String>,
    pub index_bytes: u64,
    pub analyzer_version: u32,
    pub stemmer: String,
    pub files: usize,
    /// Per collection: articles, passages, files, sources, first and last date.
    pub collections: std::collections::BTreeMap<String, CollectionStats>,
    pub last_run: Option<RunSummary>,
}

/// One collection in `fahras stats` and `fahras collections list`.
#[derive(Debug, Default, Serialize)]
pub struct CollectionStats {
    pub articles: u64,
    pub passages: u64,
    pub files: u64,
    pub sources: std::collections::BTreeMap<String, u64>,
    pub first_date: Option<String>,
    pub last_date: Option<String>,
}

/// Statistics of the index in `dir`.
pub fn collect(dir: &std::path::Path) -> crate::Result<Stats> {
    let handle = super::open(dir)?;
    let manifest = handle.manifest()?;
    let (first, last) = manifest.date_range();
    Ok(Stats {
        articles: manifest.articles(),
        passages: manifest.passages(),
        sources: manifest.sources(),
        first_date: first.and_then(format_day),
        last_date: last.and_then(format_day),
        index_bytes: handle.size_on_disk(),
        analyzer_version: ANALYZER_VERSION,
        stemmer: handle.header.settings.stemmer.to_string(),
        files: manifest.files.len(),
        collections: manifest
            .collections()
            .into_iter()
            .map(|(name, c)| {
                let stats = CollectionStats {
                    articles: c.articles,
                    passages: c.passages,
                    files: c.files,
                    sources: c.sources,
                    first_date: c.first_date.and_then(format_day),
                    last_date: c.last_date.and_then(format_day),
                };
                (name, stats)
            })
            .collect(),
        last_run: manifest.last_run.clone(),
    })
}
