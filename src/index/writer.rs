//! The indexing run: walk → read and parse in parallel → passages → tantivy, incrementally.
//!
//! Safety rests on two rules:
//! - every file's passages carry the file's key, and indexing a file first deletes that key, so
//!   re-indexing a file can never duplicate it;
//! - the manifest is the payload of the commit that contains the passages it describes, so a run
//!   killed at any point leaves the last commit and its manifest intact and consistent; the next
//!   run redoes only what that commit did not contain.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use tantivy::directory::MmapDirectory;
use tantivy::schema::Term;
use tantivy::{DateTime, Index, IndexWriter, TantivyDocument};

use super::dedup;
use super::manifest::{self, FileRecord, IndexSettings, Manifest, RunSummary};
use super::schema::{build_schema, Fields};
use crate::analysis::register_analyzers;
use crate::ingest::{self, decode, walk, Article, JsonFields, Warning};
use crate::{Error, Result};

/// Commit after this much input by default, so a killed run loses little work (seconds of it).
/// Not less: every commit ends one segment per writer thread, and each segment costs every query
/// a term-dictionary lookup per term. On ANT (111 MB) 64 MB made 4 segments and 128 MB makes 2:
/// the same indexing time, queries 25% faster, peak memory 345 -> 405 MB (the writer's own
/// budget, not the commit size, bounds it beyond that).
pub const COMMIT_EVERY_BYTES: u64 = 128 << 20;
/// tantivy needs at least 15 MB of writer memory per indexing thread.
const MIN_MB_PER_THREAD: usize = 15;

/// Everything an indexing run needs, resolved.
#[derive(Debug, Clone)]
pub struct IndexOptions {
    pub roots: Vec<PathBuf>,
    pub index_dir: PathBuf,
    pub rebuild: bool,
    pub threads: usize,
    pub memory_mb: usize,
    /// Settings for a new index; `None` keeps those of an existing index (or the defaults).
    pub settings: Option<IndexSettings>,
    pub json_fields: JsonFields,
    /// Collection name; `None` → the name of each root folder.
    pub collection: Option<String>,
    /// Commit after this many bytes of input.
    pub commit_every_bytes: u64,
}

/// What the run tells its caller as it goes.
pub trait Reporter: Sync {
    /// The files to read and their total size are known.
    fn planned(&self, _files: usize, _bytes: u64) {}
    /// One file has been read (or found unreadable).
    fn file_done(&self, _bytes: u64) {}
    /// A problem with one file (and line), which did not stop the run.
    fn warning(&self, _file: &str, _line: Option<usize>, _message: &str) {}
    /// A file was read in a legacy encoding.
    fn encoding(&self, _file: &str, _encoding: &str) {}
}

/// A reporter that says nothing.
pub struct Silent;
impl Reporter for Silent {}

/// A file found by the walk, with the key and collection it is indexed under.
#[derive(Debug, Clone)]
struct Candidate {
    key: String,
    found: walk::FoundFile,
    collection: String,
    size: u64,
    modified_ns: i128,
}

/// The result of reading one candidate.
enum Outcome {
    /// Same content as indexed (only the modification time moved).
    SameContent { key: String, modified_ns: i128 },
    /// Content to (re-)index; `articles` is empty when the file was skipped.
    Content {
        candidate: Box<Candidate>,
        content: FileContent,
        warnings: Vec<Warning>,
    },
}

/// What was read from one file.
struct FileContent {
    hash: u64,
    encoding: Option<String>,
    articles: Vec<Article>,
    /// Near-duplicate signature of each article (computed on the worker thread).
    signatures: Vec<Option<dedup::Signature>>,
    /// Why the file produced nothing, when it did not.
    skipped: Option<String>,
}

/// Runs an indexing pass and returns its summary.
pub fn run(options: &IndexOptions, reporter: &dyn Reporter) -> Result<RunSummary> {
    let started = Instant::now();
    let (index, mut manifest) = prepare_index(options)?;
    let fields = Fields::from_schema(&index.schema())?;
    let threads = options.threads.max(1);
    let writer_threads = threads.min((options.memory_mb / MIN_MB_PER_THREAD).max(1));
    let memory_bytes = options.memory_mb.max(MIN_MB_PER_THREAD * writer_threads) << 20;
    let mut writer = open_writer(&index, writer_threads, memory_bytes, &options.index_dir)?;

    let index_dir = options
        .index_dir
        .canonicalize()
        .map_err(|e| Error::io(options.index_dir.clone(), e))?;
    let mut summary = RunSummary::default();
    let mut walk_problems = Vec::new();
    let mut candidates = Vec::new();
    let mut roots = Vec::new();
    for root in &options.roots {
        let canonical = root
            .canonicalize()
            .map_err(|e| Error::io(root.clone(), e))?;
        let collection = options.collection.clone().unwrap_or_else(|| {
            canonical
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "default".to_owned())
        });
        for found in walk::walk(&canonical, &mut walk_problems) {
            if found.path.starts_with(&index_dir) {
                continue;
            }
            let key = found.path.to_string_lossy().into_owned();
            let (size, modified_ns) = match std::fs::metadata(&found.path) {
                Ok(meta) => (meta.len(), modified_ns(&meta)),
                Err(e) => {
                    reporter.warning(&found.relative, None, &format!("cannot read: {e}"));
                    summary.skipped += 1;
                    continue;
                }
            };
            candidates.push(Candidate {
                key,
                found,
                collection: collection.clone(),
                size,
                modified_ns,
            });
        }
        roots.push(canonical);
    }
    for problem in &walk_problems {
        reporter.warning(&problem.path.display().to_string(), None, &problem.message);
        summary.warnings += 1;
    }
    summary.files_seen = candidates.len() as u64;

    // Files whose size and modification time match the manifest are not even opened.
    let seen: HashSet<String> = candidates.iter().map(|c| c.key.clone()).collect();
    let (unchanged, to_read): (Vec<Candidate>, Vec<Candidate>) =
        candidates.into_iter().partition(|c| {
            manifest
                .files
                .get(&c.key)
                .is_some_and(|r| r.size == c.size && r.modified_ns == c.modified_ns)
        });
    summary.unchanged = unchanged.len() as u64;
    reporter.planned(to_read.len(), to_read.iter().map(|c| c.size).sum());

    // Removed files: under a root of this run, in the manifest, no longer on disk.
    let removed: Vec<String> = manifest
        .files
        .keys()
        .filter(|key| {
            !seen.contains(*key) && roots.iter().any(|root| Path::new(key).starts_with(root))
        })
        .cloned()
        .collect();
    for key in &removed {
        writer.delete_term(Term::from_field_text(fields.file, key));
        manifest.files.remove(key);
    }
    summary.removed = removed.len() as u64;

    let mut bytes_since_commit = 0u64;
    let next = AtomicUsize::new(0);
    let (sender, receiver) = mpsc::sync_channel::<Outcome>(threads * 2);
    let to_read_ref = &to_read;
    // Content hashes of indexed files, for recognising a touched but unchanged file.
    let manifest_hashes: BTreeMap<String, (u64, String)> = manifest
        .files
        .iter()
        .map(|(k, r)| (k.clone(), (r.hash, r.collection.clone())))
        .collect();
    let manifest_hashes = &manifest_hashes;
    let json_fields = &options.json_fields;
    let result: Result<()> = std::thread::scope(|scope| {
        for _ in 0..threads {
            let sender = sender.clone();
            let next = &next;
            scope.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(candidate) = to_read_ref.get(i) else {
                    break;
                };
                let outcome = read_candidate(
                    candidate,
                    manifest_hashes
                        .get(&candidate.key)
                        .filter(|(_, collection)| *collection == candidate.collection)
                        .map(|(hash, _)| *hash),
                    json_fields,
                );
                reporter.file_done(candidate.size);
                if sender.send(outcome).is_err() {
                    break;
                }
            });
        }
        drop(sender);
        for outcome in receiver {
            match outcome {
                Outcome::SameContent { key, modified_ns } => {
                    summary.unchanged += 1;
                    if let Some(record) = manifest.files.get_mut(&key) {
                        record.modified_ns = modified_ns;
                    }
                }
                Outcome::Content {
                    candidate,
                    content,
                    warnings,
                } => {
                    let is_new = !manifest.files.contains_key(&candidate.key);
                    if is_new {
                        summary.new += 1;
                    } else {
                        summary.changed += 1;
                    }
                    for warning in &warnings {
                        reporter.warning(&candidate.found.relative, warning.line, &warning.message);
                    }
                    summary.warnings += warnings.len() as u64;
                    if let Some(reason) = &content.skipped {
                        reporter.warning(
                            &candidate.found.relative,
                            None,
                            &format!("skipped: {reason}"),
                        );
                        summary.skipped += 1;
                    }
                    if let Some(encoding) = content
                        .encoding
                        .as_deref()
                        .filter(|e| !e.starts_with("UTF"))
                    {
                        reporter.encoding(&candidate.found.relative, encoding);
                    }
                    writer.delete_term(Term::from_field_text(fields.file, &candidate.key));
                    let record = add_articles(
                        &writer,
                        &fields,
                        &manifest.settings,
                        &candidate,
                        content,
                        reporter,
                        &mut summary,
                    )?;
                    summary.articles += record.articles;
                    summary.passages += record.passages;
                    summary.bytes += candidate.size;
                    bytes_since_commit += candidate.size;
                    manifest.files.insert(candidate.key.clone(), record);
                    if bytes_since_commit >= options.commit_every_bytes {
                        commit(&mut writer, &manifest, &options.index_dir)?;
                        bytes_since_commit = 0;
                    }
                }
            }
        }
        Ok(())
    });
    result?;

    summary.seconds = started.elapsed().as_secs_f64();
    summary.finished_at = now_rfc3339();
    manifest.last_run = Some(summary.clone());
    commit(&mut writer, &manifest, &options.index_dir)?;
    writer.wait_merging_threads()?;
    Ok(summary)
}

/// Opens the index, or creates it (after clearing it with `--rebuild`), with its manifest.
fn prepare_index(options: &IndexOptions) -> Result<(Index, Manifest)> {
    let dir = &options.index_dir;
    if options.rebuild && dir.exists() {
        clear_index_dir(dir)?;
    }
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir.clone(), e))?;
    if super::exists(dir) {
        let handle = super::open(dir)?;
        if let Some(wanted) = options.settings {
            if wanted != handle.header.settings {
                return Err(Error::Invalid(format!(
                    "the index in {} was built with other settings ({:?}); run `fahras index --rebuild` to change them",
                    dir.display(),
                    handle.header.settings
                )));
            }
        }
        let manifest = handle.manifest()?;
        return Ok((handle.index, manifest));
    }
    let settings = options.settings.unwrap_or_default();
    let directory =
        MmapDirectory::open(dir).map_err(|e| Error::Invalid(format!("{}: {e}", dir.display())))?;
    let index = Index::create(directory, build_schema(), tantivy::IndexSettings::default())?;
    register_analyzers(&index, settings.stemmer);
    let manifest = Manifest::new(settings);
    Ok((index, manifest))
}

/// Removes the index files in `dir` (those tantivy lists as its own, its meta and lock files),
/// leaving anything else (a `.gitkeep`, a user's notes) alone.
fn clear_index_dir(dir: &Path) -> Result<()> {
    let managed_path = dir.join(".managed.json");
    let mut files: Vec<String> = match std::fs::read_to_string(&managed_path) {
        Ok(json) => serde_json::from_str(&json).unwrap_or_default(),
        Err(_) => Vec::new(),
    };
    files.extend(manifest::manifest_files(dir));
    files.extend(
        [
            "meta.json",
            ".managed.json",
            ".tantivy-writer.lock",
            ".tantivy-meta.lock",
        ]
        .map(str::to_owned),
    );
    for name in files {
        // .managed.json lists bare file names; anything else is not ours to delete.
        if name.contains(['/', '\\']) {
            continue;
        }
        let path = dir.join(&name);
        match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io(path, e)),
        }
    }
    Ok(())
}

/// The index writer; a live writer elsewhere (another `fahras` run) is named as such. A lock
/// left by a killed process is no obstacle: the OS released it with the process.
fn open_writer(
    index: &Index,
    threads: usize,
    memory_bytes: usize,
    dir: &Path,
) -> Result<IndexWriter> {
    index
        .writer_with_num_threads(threads, memory_bytes)
        .map_err(|e| match e {
            tantivy::TantivyError::LockFailure(..) => Error::Invalid(format!(
                "another fahras process is writing to {}; wait for it to finish",
                dir.display()
            )),
            other => Error::Index(other),
        })
}

/// Commits the writer's work with `manifest`: its file is written first, the commit names it,
/// and the files of earlier commits are deleted only once the new commit is durable.
fn commit(writer: &mut IndexWriter, manifest: &Manifest, index_dir: &Path) -> Result<()> {
    let payload = manifest.save(index_dir)?;
    let mut prepared = writer.prepare_commit()?;
    prepared.set_payload(&payload);
    prepared.commit()?;
    manifest::remove_stale_manifests(index_dir, &payload);
    Ok(())
}

fn modified_ns(meta: &std::fs::Metadata) -> i128 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as i128)
}

fn now_rfc3339() -> String {
    let now = time::OffsetDateTime::from(SystemTime::now());
    now.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// Reads, hashes, decodes and parses one file (on a worker thread).
fn read_candidate(
    candidate: &Candidate,
    indexed_hash: Option<u64>,
    json_fields: &JsonFields,
) -> Outcome {
    let skip = |hash: u64, encoding: Option<String>, reason: String| Outcome::Content {
        candidate: Box::new(candidate.clone()),
        content: FileContent {
            hash,
            encoding,
            articles: Vec::new(),
            signatures: Vec::new(),
            skipped: Some(reason),
        },
        warnings: Vec::new(),
    };
    if !ingest::is_candidate(&candidate.found.path) {
        return skip(0, None, "not a format fahras reads".to_owned());
    }
    let bytes = match std::fs::read(&candidate.found.path) {
        Ok(bytes) => bytes,
        Err(e) => return skip(0, None, format!("cannot read: {e}")),
    };
    let hash = xxhash_rust::xxh3::xxh3_64(&bytes);
    if indexed_hash == Some(hash) {
        return Outcome::SameContent {
            key: candidate.key.clone(),
            modified_ns: candidate.modified_ns,
        };
    }
    let decoded = match decode::decode(&bytes) {
        Ok(decoded) => decoded,
        Err(not_text) => return skip(hash, None, not_text.to_string()),
    };
    drop(bytes);
    let Some(format) = ingest::detect_format(&candidate.found.path, &decoded.text) else {
        return skip(
            hash,
            Some(decoded.encoding.to_owned()),
            "not a format fahras reads".to_owned(),
        );
    };
    let mut parsed = ingest::parse(format, &decoded.text, json_fields);
    if decoded.replaced > 0 {
        parsed.warnings.push(Warning::new(format!(
            "{} undecodable byte sequences in {} replaced by U+FFFD",
            decoded.replaced, decoded.encoding
        )));
    }
    let skipped = parsed
        .articles
        .iter()
        .all(|a| a.body.trim().is_empty())
        .then(|| "no article text found".to_owned());
    let signatures = parsed
        .articles
        .iter()
        .map(|a| dedup::signature(&a.body))
        .collect();
    Outcome::Content {
        candidate: Box::new(candidate.clone()),
        content: FileContent {
            hash,
            encoding: Some(decoded.encoding.to_owned()),
            articles: parsed.articles,
            signatures,
            skipped,
        },
        warnings: parsed.warnings,
    }
}

/// Adds the passages of one file's articles and returns the file's manifest record.
fn add_articles(
    writer: &IndexWriter,
    fields: &Fields,
    settings: &IndexSettings,
    candidate: &Candidate,
    content: FileContent,
    reporter: &dyn Reporter,
    summary: &mut RunSummary,
) -> Result<FileRecord> {
    let FileContent {
        hash,
        encoding,
        articles,
        signatures,
        skipped,
    } = content;
    let mut record = FileRecord {
        relative: candidate.found.relative.clone(),
        collection: candidate.collection.clone(),
        size: candidate.size,
        modified_ns: candidate.modified_ns,
        hash,
        encoding,
        articles: 0,
        passages: 0,
        sources: BTreeMap::new(),
        first_date: None,
        last_date: None,
        skipped,
    };
    let multi_record = articles.len() > 1;
    let file_date = ingest::date::find_date_in(
        candidate
            .found
            .path
            .file_name()
            .map(|n| n.to_string_lossy())
            .as_deref()
            .unwrap_or_default(),
    );
    let mut empty_bodies = 0;
    for (ordinal, (article, signature)) in articles.into_iter().zip(signatures).enumerate() {
        if article.body.trim().is_empty() {
            empty_bodies += 1;
            continue;
        }
        let id = article.id.clone().unwrap_or_else(|| {
            if multi_record {
                format!("{}#{}", candidate.found.relative, ordinal + 1)
            } else {
                candidate.found.relative.clone()
            }
        });
        let source = article
            .source
            .clone()
            .or_else(|| candidate.found.top_folder.clone())
            .unwrap_or_else(|| candidate.collection.clone());
        let date = article.date.or(file_date);
        let passages = ingest::split_passages(&article.body, settings.passage_sizes());
        for (passage_no, passage) in passages.iter().enumerate() {
            let mut doc = TantivyDocument::default();
            doc.add_text(fields.article_id, &id);
            doc.add_u64(fields.passage, passage_no as u64);
            doc.add_text(fields.title, &article.title);
            doc.add_text(fields.title_stem, &article.title);
            doc.add_text(fields.text, passage);
            doc.add_text(fields.text_stem, passage);
            if let Some(date) = date {
                doc.add_date(fields.date, DateTime::from_utc(date));
            }
            doc.add_text(fields.source, &source);
            doc.add_text(fields.collection, &candidate.collection);
            if let Some(category) = &article.category {
                doc.add_text(fields.category, category);
            }
            if let Some(url) = &article.url {
                doc.add_text(fields.url, url);
            }
            if let Some(author) = &article.author {
                doc.add_text(fields.author, author);
            }
            doc.add_text(fields.file, &candidate.key);
            if let Some(signature) = &signature {
                // On every passage, so a hit's signature is a column read (the column is
                // dictionary-encoded: an article's passages share one entry). Band terms only on
                // the first passage, so that candidates are articles.
                doc.add_bytes(fields.minhash, &dedup::to_bytes(signature));
                if passage_no == 0 {
                    for band in dedup::band_terms(signature) {
                        doc.add_text(fields.dup_band, &band);
                    }
                }
            }
            writer.add_document(doc)?;
        }
        record.articles += 1;
        record.passages += passages.len() as u64;
        *record.sources.entry(source).or_default() += 1;
        if let Some(date) = date {
            let seconds = date.unix_timestamp();
            record.first_date = Some(record.first_date.map_or(seconds, |d| d.min(seconds)));
            record.last_date = Some(record.last_date.map_or(seconds, |d| d.max(seconds)));
        }
    }
    if empty_bodies > 0 && record.skipped.is_none() {
        reporter.warning(
            &candidate.found.relative,
            None,
            &format!("{empty_bodies} article(s) without text skipped"),
        );
        summary.warnings += 1;
    }
    Ok(record)
}

/// Removes every article of `collection` and its manifest entries in one commit (so a kill
/// leaves either all or none of it). Returns (files, articles) removed.
pub fn remove_collection(index_dir: &Path, collection: &str) -> Result<(u64, u64)> {
    let handle = super::open(index_dir)?;
    let mut manifest = handle.manifest()?;
    let keys: Vec<String> = manifest
        .files
        .iter()
        .filter(|(_, r)| r.collection == collection)
        .map(|(k, _)| k.clone())
        .collect();
    if keys.is_empty() {
        return Err(Error::Invalid(format!(
            "no collection named {collection:?} in {}",
            index_dir.display()
        )));
    }
    let mut writer = open_writer(&handle.index, 1, MIN_MB_PER_THREAD << 20, index_dir)?;
    let mut articles = 0;
    for key in &keys {
        writer.delete_term(Term::from_field_text(handle.fields.file, key));
        if let Some(record) = manifest.files.remove(key) {
            articles += record.articles;
        }
    }
    commit(&mut writer, &manifest, index_dir)?;
    writer.wait_merging_threads()?;
    Ok((keys.len() as u64, articles))
}
