//! The manifest: what each source file produced, and the settings the index was built with.
//!
//! Each tantivy commit carries a small header as its payload (layout, analyzer version,
//! settings) naming the manifest file written for that commit, beside the index and named by
//! the hash of its content. The file is complete on disk before the commit that names it, so
//! the manifest and the passages it describes change together, atomically: a run killed at any
//! point leaves the last committed pair intact, and the next run picks up exactly where that
//! commit ended. Keeping the file list out of meta.json keeps opening the index for a search
//! cheap (tantivy parses meta.json on every open; an archive's file list runs to megabytes).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::analysis::{StemmerKind, ANALYZER_VERSION};
use crate::ingest::PassageSizes;
use crate::{Error, Result};

/// Version of the manifest and schema layout. 3: the manifest moved out of the commit payload
/// into its own file. 4: passages carry the source's own calendar day and UTC offset beside the
/// instant, and manifests keep calendar days (earlier indexes shifted some dates by a day: they
/// must be rebuilt).
pub const FORMAT_VERSION: u32 = 4;

/// Manifest files are named `<prefix><hash>.json` in the index folder.
const MANIFEST_FILE_PREFIX: &str = "fahras-manifest-";

/// The payload of each commit: what searching needs, and where the manifest is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommitHeader {
    pub format: u32,
    pub analyzer_version: u32,
    pub settings: IndexSettings,
    /// The manifest's file name in the index folder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manifest_file: Option<String>,
}

impl CommitHeader {
    pub fn from_payload(payload: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(payload)
    }

    /// Why this index cannot be used by this build of fahras, if it cannot.
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
}

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

impl std::fmt::Display for IndexSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "stemmer {}, passages of {}–{} words",
            self.stemmer, self.passage_min_words, self.passage_max_words
        )
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

#[cfg(test)]
impl FileRecord {
    /// A record of one article and one passage, for tests.
    pub(crate) fn sample(relative: &str, collection: &str) -> Self {
        FileRecord {
            relative: relative.to_owned(),
            collection: collection.to_owned(),
            size: 1,
            modified_ns: 0,
            hash: 0,
            encoding: None,
            articles: 1,
            passages: 1,
            sources: BTreeMap::new(),
            first_date: None,
            last_date: None,
            skipped: None,
        }
    }
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
    /// Wall time of the run. The copy kept in the manifest is taken just before the final
    /// commit; the summary printed at the end includes the commit and merges.
    pub seconds: f64,
    /// Articles with a title and no text (galleries, videos), indexed by their title.
    #[serde(default)]
    pub title_only: u64,
    /// The run was interrupted (Ctrl-C): what it had indexed is committed, the rest is left
    /// for the next run.
    #[serde(default)]
    pub interrupted: bool,
    /// Articles in the index after the run.
    #[serde(default)]
    pub index_articles: u64,
    /// Files at the top of an indexed folder that are documentation, not articles (README,
    /// LICENSE…): not indexed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub root_documents: Vec<String>,
    /// Symbolic links not followed (`--follow-links` follows them).
    #[serde(default)]
    pub links_skipped: u64,
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

    /// Writes this manifest's file into `dir` (complete and synced before it returns) and gives
    /// the commit payload that names it.
    pub fn save(&self, dir: &Path) -> Result<String> {
        let bytes = serde_json::to_vec(self).expect("the manifest serializes");
        let name = format!(
            "{MANIFEST_FILE_PREFIX}{:016x}.json",
            xxhash_rust::xxh3::xxh3_64(&bytes)
        );
        let path = dir.join(&name);
        // Content-addressed: a file of this name already holds these bytes (it is only ever
        // created by the rename below, complete).
        if !path.is_file() {
            let temporary = dir.join(format!("{name}.tmp"));
            let mut file =
                std::fs::File::create(&temporary).map_err(|e| Error::io(&temporary, e))?;
            file.write_all(&bytes)
                .and_then(|()| file.sync_all())
                .map_err(|e| Error::io(&temporary, e))?;
            std::fs::rename(&temporary, &path).map_err(|e| Error::io(&path, e))?;
            // Make the rename itself durable before a commit names the file (not possible on
            // every platform; the rename is then as durable as the system makes it).
            if let Ok(folder) = std::fs::File::open(dir) {
                let _ = folder.sync_all();
            }
        }
        let header = CommitHeader {
            format: FORMAT_VERSION,
            analyzer_version: self.analyzer_version,
            settings: self.settings,
            manifest_file: Some(name),
        };
        Ok(serde_json::to_string(&header).expect("the header serializes"))
    }

    /// The manifest a commit's `payload` names.
    pub fn load(dir: &Path, payload: &str) -> Result<Self> {
        let unreadable = |what: &dyn std::fmt::Display| unreadable_manifest(dir, what);
        let header = CommitHeader::from_payload(payload).map_err(|e| unreadable(&e))?;
        let Some(name) = header.manifest_file else {
            return Err(unreadable(&"the commit names no manifest file"));
        };
        if !is_manifest_file_name(&name) || name.ends_with(".tmp") {
            return Err(unreadable(&format!("bad manifest file name {name:?}")));
        }
        let path = dir.join(&name);
        let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
        serde_json::from_slice(&bytes).map_err(|e| unreadable(&format!("{name}: {e}")))
    }
}

/// Prefix of the keys of files whose path is not valid UTF-8 (the rest is the path's bytes in
/// hex): two such paths never share a key, as they would with a lossy conversion. Keys of other
/// files are their absolute paths, which start with `/` (or a drive letter), never with this.
const BYTES_KEY_PREFIX: &str = "bytes:";

/// The manifest key of a file: its absolute path, losslessly.
pub fn file_key(path: &Path) -> String {
    if let Some(text) = path.to_str() {
        return text.to_owned();
    }
    let bytes = path_bytes(path);
    let mut key = String::with_capacity(BYTES_KEY_PREFIX.len() + bytes.len() * 2);
    key.push_str(BYTES_KEY_PREFIX);
    for byte in bytes {
        key.push_str(&format!("{byte:02x}"));
    }
    key
}

/// The path a manifest key stands for.
pub fn key_path(key: &str) -> Option<std::path::PathBuf> {
    let Some(hex) = key.strip_prefix(BYTES_KEY_PREFIX) else {
        return Some(std::path::PathBuf::from(key));
    };
    let bytes: Option<Vec<u8>> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
        .collect();
    Some(path_from_bytes(bytes?))
}

#[cfg(unix)]
fn path_bytes(path: &Path) -> Vec<u8> {
    use std::os::unix::ffi::OsStrExt;
    path.as_os_str().as_bytes().to_vec()
}

#[cfg(not(unix))]
fn path_bytes(path: &Path) -> Vec<u8> {
    path.to_string_lossy().into_owned().into_bytes()
}

#[cfg(unix)]
fn path_from_bytes(bytes: Vec<u8>) -> std::path::PathBuf {
    use std::os::unix::ffi::OsStringExt;
    std::path::PathBuf::from(std::ffi::OsString::from_vec(bytes))
}

#[cfg(not(unix))]
fn path_from_bytes(bytes: Vec<u8>) -> std::path::PathBuf {
    std::path::PathBuf::from(String::from_utf8_lossy(&bytes).into_owned())
}

fn is_manifest_file_name(name: &str) -> bool {
    name.starts_with(MANIFEST_FILE_PREFIX) && !name.contains(['/', '\\'])
}

/// Names of the manifest files in `dir` (complete or left half-written by a killed run).
pub fn manifest_files(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .filter_map(|entry| entry.ok())
        .filter_map(|entry| entry.file_name().into_string().ok())
        .filter(|name| is_manifest_file_name(name))
        .collect()
}

/// Deletes the manifest files in `dir` other than the one named by `payload`: those of earlier
/// commits and any left by a killed run. Best effort: a file that cannot be deleted now is
/// garbage the next commit tries again.
pub fn remove_stale_manifests(dir: &Path, payload: &str) {
    let current = CommitHeader::from_payload(payload)
        .ok()
        .and_then(|h| h.manifest_file);
    for name in manifest_files(dir) {
        if current.as_deref() != Some(name.as_str()) {
            let _ = std::fs::remove_file(dir.join(name));
        }
    }
}

/// The manifest of the index in `dir` cannot be read, for the reason `what`.
pub(crate) fn unreadable_manifest(dir: &Path, what: &dyn std::fmt::Display) -> Error {
    Error::DamagedManifest(format!(
        "{}: unreadable manifest ({what}); run `fahras index --rebuild`",
        dir.display()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn file_names_that_are_not_utf8_get_distinct_keys_that_lead_back_to_them() {
        use std::os::unix::ffi::OsStrExt;
        let a = Path::new(std::ffi::OsStr::from_bytes(b"/corpus/\xe3\xd5\xd1.txt"));
        let b = Path::new(std::ffi::OsStr::from_bytes(b"/corpus/\xe3\xd5\xd2.txt"));
        assert_ne!(file_key(a), file_key(b));
        assert_eq!(key_path(&file_key(a)).as_deref(), Some(a));
        assert_eq!(file_key(Path::new("/corpus/a.txt")), "/corpus/a.txt");
        assert_eq!(
            key_path("/corpus/a.txt").as_deref(),
            Some(Path::new("/corpus/a.txt"))
        );
    }

    fn temp_dir(name: &str) -> std::path::PathBuf {
        let dir =
            std::env::temp_dir().join(format!("fahras-manifest-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn saved_manifest_loads_back_through_its_header() {
        let dir = temp_dir("roundtrip");
        let mut manifest = Manifest::new(IndexSettings::default());
        manifest.files.insert(
            "/corpus/a.txt".to_owned(),
            FileRecord {
                relative: "a.txt".to_owned(),
                collection: "corpus".to_owned(),
                size: 10,
                modified_ns: 1,
                hash: 2,
                encoding: None,
                articles: 1,
                passages: 3,
                sources: BTreeMap::new(),
                first_date: None,
                last_date: None,
                skipped: None,
            },
        );
        let payload = manifest.save(&dir).unwrap();
        assert!(!payload.contains("a.txt"));
        let header = CommitHeader::from_payload(&payload).unwrap();
        assert_eq!(header.format, FORMAT_VERSION);
        assert!(header.incompatibility().is_none());
        assert_eq!(Manifest::load(&dir, &payload).unwrap(), manifest);
        // Saving the same manifest again names the same file.
        assert_eq!(manifest.save(&dir).unwrap(), payload);
        assert_eq!(manifest_files(&dir).len(), 1);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_payload_naming_a_file_outside_the_index_is_refused() {
        let dir = temp_dir("outside");
        for name in [
            "../fahras-manifest-x.json",
            "other.json",
            "fahras-manifest-x.json.tmp",
        ] {
            let payload = serde_json::json!({
                "format": FORMAT_VERSION,
                "analyzer_version": ANALYZER_VERSION,
                "settings": IndexSettings::default(),
                "manifest_file": name,
            })
            .to_string();
            let error = Manifest::load(&dir, &payload).unwrap_err().to_string();
            assert!(error.contains("--rebuild"), "{name}: {error}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn layouts_other_than_the_current_one_are_refused() {
        let header = |format: u32, manifest_file: Option<&str>| CommitHeader {
            format,
            analyzer_version: ANALYZER_VERSION,
            settings: IndexSettings::default(),
            manifest_file: manifest_file.map(str::to_owned),
        };
        assert!(header(FORMAT_VERSION, Some("fahras-manifest-1.json"))
            .incompatibility()
            .is_none());
        assert!(header(2, None).incompatibility().is_some());
        assert!(header(3, Some("fahras-manifest-1.json"))
            .incompatibility()
            .is_some());
        let mut other_analyzer = header(FORMAT_VERSION, Some("fahras-manifest-1.json"));
        other_analyzer.analyzer_version += 1;
        assert!(other_analyzer.incompatibility().is_some());
    }
}
