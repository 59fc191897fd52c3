//! The manifest: what each source file produced, and the settings the index was built with.
//!
//! It is stored as the payload of each tantivy commit, so the manifest and the passages it
//! describes are always written together, atomically: a run killed at any point leaves the last
//! committed pair intact, and the next run picks up exactly where that commit ended.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::analysis::{StemmerKind, ANALYZER_VERSION};
use crate::ingest::PassageSizes;

/// Version of the manifest and schema layout.
pub const FORMAT_VERSION: u32 = 2;

/// Settings that change what is indexed; recorded so that search uses the same ones and a
/// change is noticed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexSettings {
    pub stemmer: StemmerKind,
    pub passage_min_words: usize,
    pub passage_max_words: usize,
}

impl Default for IndexSettings {
    fn default() -> Self {
        let sizes = PassageSizes::default();
        IndexSettings {
            stemmer: StemmerKind::default(),
            passage_min_words: sizes.min_words,
            passage_max_words: sizes.max_words,
        }
    }
}

impl IndexSettings {
    pub fn passage_sizes(&self) -> PassageSizes {
        PassageSizes {
            min_words: self.passage_min_words,
            max_words: self.passage_max_words,
        }
    }
}

/// What one source file was and what it produced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileRecord {
    /// Path relative to the root it was found under.
    pub relative: String,
    pub collection: String,
    pub size: u64,
    /// Modification time, nanoseconds since the Unix epoch.
    pub modified_ns: i128,
    /// xxh3 of the content.
    pub hash: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    pub articles: u64,
    pub passages: u64,
    /// Article count per outlet.
    #[serde(default)]
    pub sources: BTreeMap<String, u64>,
    /// Earliest and latest article date, seconds since the Unix epoch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_date: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_date: Option<i64>,
    /// Why the file produced nothing, when it did not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skipped: Option<String>,
}

/// Counts reported at the end of a run and kept as `last_run`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RunSummary {
    pub finished_at: String,
    pub files_seen: u64,
    pub new: u64,
    pub changed: u64,
    pub removed: u64,
    pub unchanged: u64,
    pub skipped: u64,
    pub warnings: u64,
    pub articles: u64,
    pub passages: u64,
    pub bytes: u64,
    pub seconds: f64,
}

/// What one collection holds.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CollectionSummary {
    pub files: u64,
    pub articles: u64,
    pub passages: u64,
    pub sources: BTreeMap<String, u64>,
    /// Seconds since the Unix epoch.
    pub first_date: Option<i64>,
    pub last_date: Option<i64>,
}

fn min_some(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

fn max_some(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    pub analyzer_version: u32,
    pub settings: IndexSettings,
    /// Keyed by the file's absolute path.
    pub files: BTreeMap<String, FileRecord>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_run: Option<RunSummary>,
}

impl Manifest {
    pub fn new(settings: IndexSettings) -> Self {
        Manifest {
            format: FORMAT_VERSION,
            analyzer_version: ANALYZER_VERSION,
            settings,
            files: BTreeMap::new(),
            last_run: None,
        }
    }

    /// Why this manifest cannot be used by this build of fahras, if it cannot.
    pub fn incompatibility(&self) -> Option<String> {
        if self.format != FORMAT_VERSION {
            return Some(format!(
                "the index has layout version {} but this fahras uses {}",
                self.format, FORMAT_VERSION
            ));
        }
        if self.analyzer_version != ANALYZER_VERSION {
            return Some(format!(
                "the index was built with analyzer version {} but this fahras uses {}",
                self.analyzer_version, ANALYZER_VERSION
            ));
        }
        None
    }

    pub fn articles(&self) -> u64 {
        self.files.values().map(|f| f.articles).sum()
    }

    pub fn passages(&self) -> u64 {
        self.files.values().map(|f| f.passages).sum()
    }

    /// Article counts per outlet over all files.
    pub fn sources(&self) -> BTreeMap<String, u64> {
        let mut sources = BTreeMap::new();
        for file in self.files.values() {
            for (name, count) in &file.sources {
                *sources.entry(name.clone()).or_default() += count;
            }
        }
        sources
    }

    /// Per collection: files, articles, passages, outlets and date range.
    pub fn collections(&self) -> BTreeMap<String, CollectionSummary> {
        let mut collections: BTreeMap<String, CollectionSummary> = BTreeMap::new();
        for file in self.files.values() {
            let summary = collections.entry(file.collection.clone()).or_default();
            summary.files += 1;
            summary.articles += file.articles;
            summary.passages += file.passages;
            for (name, count) in &file.sources {
                *summary.sources.entry(name.clone()).or_default() += count;
            }
            summary.first_date = min_some(summary.first_date, file.first_date);
            summary.last_date = max_some(summary.last_date, file.last_date);
        }
        collections
    }

    pub fn date_range(&self) -> (Option<i64>, Option<i64>) {
        let first = self.files.values().filter_map(|f| f.first_date).min();
        let last = self.files.values().filter_map(|f| f.last_date).max();
        (first, last)
    }

    pub fn to_payload(&self) -> String {
        serde_json::to_string(self).expect("the manifest serializes")
    }

    pub fn from_payload(payload: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(payload)
    }
}
