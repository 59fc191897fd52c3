//! The indexing run: plan (walk, compare with the manifest) → read and parse in parallel →
//! apply (passages into tantivy) → commit, incrementally.
//!
//! Safety rests on three rules:
//! - every file's passages carry the file's key, and indexing a file the manifest names first
//!   deletes that key, so re-indexing a file can never duplicate it (a file the manifest does
//!   not name has no passages in the index: see the next rule);
//! - the manifest is named by the payload of the commit that contains the passages it
//!   describes, so a run killed at any point leaves the last commit and its manifest intact and
//!   consistent; the next run redoes only what that commit did not contain;
//! - a new index gets an empty fahras commit before any passage is added, and files that no
//!   commit names (what a killed run leaves) are removed when the next run opens the writer, so a
//!   kill, even during the very first run, never leaves a folder the next run refuses.
//!
//! `faults` names the points where tests kill a run.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use tantivy::directory::{Directory, MmapDirectory, INDEX_WRITER_LOCK};
use tantivy::schema::{IndexRecordOption, Term, Value};
use tantivy::{DateTime, DocSet, Index, IndexWriter, Searcher, TantivyDocument, TERMINATED};

use super::dedup;
use super::faults::{self, Point};
use super::manifest::{self, FileRecord, IndexSettings, Manifest, RunSummary};
use super::plan::{self, Candidate, Listing};
use super::schema::{build_schema, Fields};
use crate::analysis::register_analyzers;
use crate::ingest::{self, date, decode, walk, Article, JsonFields, Warning};
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
    /// Which files of the folders are read (ignore rules, links).
    pub walk: walk::WalkOptions,
    /// Set (by Ctrl-C) to stop early: the run stops reading, commits what it has indexed and
    /// returns a summary marked `interrupted`.
    pub interrupt: Option<Arc<AtomicBool>>,
}

impl IndexOptions {
    /// Options with the defaults of every setting, for `roots` into `index_dir`.
    pub fn new(roots: Vec<PathBuf>, index_dir: PathBuf) -> Self {
        IndexOptions {
            roots,
            index_dir,
            rebuild: false,
            threads: std::thread::available_parallelism().map_or(2, |n| n.get()),
            memory_mb: 256,
            settings: None,
            json_fields: JsonFields::default(),
            collection: None,
            commit_every_bytes: COMMIT_EVERY_BYTES,
            walk: walk::WalkOptions::default(),
            interrupt: None,
        }
    }

    fn interrupted(&self) -> bool {
        self.interrupt
            .as_ref()
            .is_some_and(|flag| flag.load(Ordering::Relaxed))
    }
}

/// What a run is doing, for progress displays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Reading and indexing files.
    Reading,
    /// Making the indexed passages durable (the final commit).
    Committing,
    /// Merging index segments after the commit.
    Merging,
}

/// What the run tells its caller as it goes.
pub trait Reporter: Sync {
    /// The files to read and their total size are known.
    fn planned(&self, _files: usize, _bytes: u64) {}
    /// One file has been read (or found unreadable).
    fn file_done(&self, _bytes: u64) {}
    /// A problem with one file (and line), which did not stop the run. Every warning reported
    /// is counted in the summary's `warnings`.
    fn warning(&self, _file: &str, _line: Option<usize>, _message: &str) {}
    /// A file was read in a legacy encoding.
    fn encoding(&self, _file: &str, _encoding: &str) {}
    /// The run moved to another stage.
    fn stage(&self, _stage: Stage) {}
}

/// A reporter that says nothing.
pub struct Silent;
impl Reporter for Silent {}

/// Reports a warning and counts it: what is printed and what the summary says agree.
fn warn(
    reporter: &dyn Reporter,
    summary: &mut RunSummary,
    file: &str,
    line: Option<usize>,
    message: &str,
) {
    reporter.warning(file, line, message);
    summary.warnings += 1;
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
    run_to_the_end(options, reporter).map_err(|error| {
        let available = fs4::available_space(&options.index_dir).ok();
        if !disk_is_full(&error, available) {
            return error;
        }
        let kept = super::open(&options.index_dir)
            .and_then(|handle| handle.manifest())
            .map(|manifest| manifest.articles())
            .ok();
        Error::DiskFull(full_disk_message(&options.index_dir, kept))
    })
}

/// Below this much free space, a failing run is taken to have failed for want of space (tantivy
/// reports a writer thread that died of it as "An index writer was killed").
const FULL_DISK_BYTES: u64 = 32 << 20;

fn disk_is_full(error: &Error, available: Option<u64>) -> bool {
    error.io_kind() == Some(std::io::ErrorKind::StorageFull)
        || error.to_string().contains("No space left")
        || available.is_some_and(|bytes| bytes < FULL_DISK_BYTES)
}

fn full_disk_message(dir: &Path, kept: Option<u64>) -> String {
    let kept = match kept {
        Some(articles) => format!("the last commit is intact ({articles} articles searchable)"),
        None => "the last commit is intact".to_owned(),
    };
    format!(
        "no space left on device for {}: {kept}; free some space and run `fahras index` again to finish",
        dir.display()
    )
}

fn run_to_the_end(options: &IndexOptions, reporter: &dyn Reporter) -> Result<RunSummary> {
    let started = Instant::now();
    faults::check().map_err(Error::BadSetting)?;
    let (index, mut manifest, is_new) = prepare_index(options)?;
    let fields = Fields::from_schema(&index.schema())?;
    let threads = options.threads.max(1);
    let writer_threads = threads.min((options.memory_mb / MIN_MB_PER_THREAD).max(1));
    let memory_bytes = options.memory_mb.max(MIN_MB_PER_THREAD * writer_threads) << 20;
    let mut writer = open_writer(&index, writer_threads, memory_bytes, &options.index_dir)?;
    // A run killed after writing files that no commit names (a segment, a `.del` file) would
    // make this run fail when it reaches the same names: clear them first.
    writer.garbage_collect_files().wait()?;
    let mut commits = CommitPolicy::new(options.commit_every_bytes);
    if is_new {
        // From here on the folder is a fahras index, even if this run is killed.
        commits.commit(
            CommitPoint::NewIndex,
            &mut writer,
            &manifest,
            &options.index_dir,
        )?;
    }

    let mut summary = RunSummary::default();
    let listing = list_files(options, reporter, &mut summary)?;
    summary.files_seen = listing.files.len() as u64;
    let plan = plan::plan(listing, &manifest, options.rebuild);
    summary.unchanged = plan.unchanged;
    for key in &plan.removed {
        writer.delete_term(Term::from_field_text(fields.file, key));
        manifest.files.remove(key);
    }
    summary.removed = plan.removed.len() as u64;
    reporter.planned(
        plan.to_read.len(),
        plan.to_read.iter().map(|c| c.size).sum(),
    );

    let reader = index
        .reader_builder()
        .reload_policy(tantivy::ReloadPolicy::Manual)
        .try_into()?;
    let searcher = reader.searcher();
    let mut apply = Apply {
        writer: &mut writer,
        fields: &fields,
        manifest: &mut manifest,
        summary: &mut summary,
        reporter,
        options,
        ids: IdRegistry::new(&searcher, &fields, &plan.removed),
        commits: &mut commits,
    };
    read_and_apply(&plan.to_read, options, &mut apply)?;
    drop(apply);

    summary.interrupted = options.interrupted();
    summary.index_articles = manifest.articles();
    summary.finished_at = now_rfc3339();
    summary.seconds = started.elapsed().as_secs_f64();
    manifest.last_run = Some(summary.clone());
    reporter.stage(Stage::Committing);
    let last_commit = if summary.interrupted {
        CommitPoint::Interrupted
    } else {
        CommitPoint::EndOfRun
    };
    commits.commit(last_commit, &mut writer, &manifest, &options.index_dir)?;
    reporter.stage(Stage::Merging);
    if faults::armed() {
        start_merge_and_die(&index, &mut writer);
    }
    writer.wait_merging_threads()?;
    // The summary printed covers the whole run, its final commit and merges included.
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

/// Why the run commits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CommitPoint {
    /// A new index: an empty fahras commit before any passage, so that even a run killed
    /// before its first real commit leaves a folder the next run recognises.
    NewIndex,
    /// `commit_every_bytes` of input applied since the last commit.
    EveryBytes,
    /// The run is done.
    EndOfRun,
    /// The run was interrupted (Ctrl-C): what was applied is committed, the rest is read again
    /// by the next run.
    Interrupted,
}

/// When the run commits, and the fault points around its commits: the one place that decides
/// it. Commits happen at the [`CommitPoint`]s; the `after-create` fault point comes before the
/// new index's empty commit, `before-first-commit` before the first commit that holds passages,
/// and [`commit`] itself has `after-manifest-write` and `after-commit`.
struct CommitPolicy {
    every_bytes: u64,
    bytes_since_commit: u64,
    /// Passages handed to the writer in this run.
    documents: u64,
    /// Whether a commit of this run has included passages.
    committed_documents: bool,
}

impl CommitPolicy {
    fn new(every_bytes: u64) -> Self {
        CommitPolicy {
            every_bytes,
            bytes_since_commit: 0,
            documents: 0,
            committed_documents: false,
        }
    }

    /// `count` passages were handed to the writer (the `after-documents` fault point).
    fn documents_added(&mut self, count: u64) {
        self.documents += count;
        if faults::armed() {
            faults::after_documents(self.documents);
        }
    }

    /// A file of `bytes` was applied; true when a commit is due.
    fn file_applied(&mut self, bytes: u64) -> bool {
        self.bytes_since_commit += bytes;
        self.bytes_since_commit >= self.every_bytes
    }

    /// Commits `manifest` and what the writer holds, at `point`.
    fn commit(
        &mut self,
        point: CommitPoint,
        writer: &mut IndexWriter,
        manifest: &Manifest,
        index_dir: &Path,
    ) -> Result<()> {
        if point == CommitPoint::NewIndex {
            faults::at(Point::AfterCreate);
        } else if self.documents > 0 && !self.committed_documents {
            faults::at(Point::BeforeFirstCommit);
        }
        commit(writer, manifest, index_dir)?;
        self.committed_documents |= self.documents > 0;
        self.bytes_since_commit = 0;
        Ok(())
    }
}

/// The `during-merge` fault point: merge every segment and die while the merge runs.
fn start_merge_and_die(index: &Index, writer: &mut IndexWriter) {
    let Ok(segments) = index.searchable_segment_ids() else {
        return;
    };
    if segments.len() >= 2 {
        let _merge = writer.merge(&segments);
    }
    faults::at(Point::DuringMerge);
}

/// Walks the roots: every file found once, with its size and modification time (the disk side
/// of planning; [`plan::plan`] decides from what this finds).
fn list_files(
    options: &IndexOptions,
    reporter: &dyn Reporter,
    summary: &mut RunSummary,
) -> Result<Listing> {
    let index_dir = options
        .index_dir
        .canonicalize()
        .map_err(|e| Error::io(options.index_dir.clone(), e))?;
    let mut problems = Vec::new();
    let mut listing = Listing::default();
    let mut keys: HashSet<String> = HashSet::new();
    for root in &options.roots {
        let canonical = root
            .canonicalize()
            .map_err(|e| Error::io(root.clone(), e))?;
        let root_name = canonical
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "default".to_owned());
        let collection = options
            .collection
            .clone()
            .unwrap_or_else(|| root_name.clone());
        let walked = walk::walk(&canonical, &options.walk, &mut problems);
        summary.root_documents.extend(walked.root_documents);
        summary.links_skipped += walked.links_skipped;
        for found in walked.files {
            if found.path.starts_with(&index_dir) {
                continue;
            }
            let key = manifest::file_key(&found.path);
            // Overlapping roots (`fahras index a a/b`) reach a file twice: index it once.
            if !keys.insert(key.clone()) {
                continue;
            }
            let (size, modified_ns) = match std::fs::metadata(&found.path) {
                Ok(meta) => (meta.len(), modified_ns(&meta)),
                Err(e) => {
                    let message = format!("cannot read: {}", crate::error::describe_io(&e));
                    warn(reporter, summary, &found.relative, None, &message);
                    summary.skipped += 1;
                    listing.unreadable.push(key);
                    continue;
                }
            };
            listing.files.push(Candidate {
                key,
                found,
                collection: collection.clone(),
                root_name: root_name.clone(),
                size,
                modified_ns,
            });
        }
        listing.roots.push(canonical);
    }
    for problem in &problems {
        let path = problem.path.display().to_string();
        warn(reporter, summary, &path, None, &problem.message);
    }
    Ok(listing)
}

/// Reads the planned files on worker threads and applies each outcome on this one, in plan
/// order (so that two builds of the same folders give the same ids and the same document order),
/// committing as the commit policy says. Stops early when the run is interrupted.
fn read_and_apply(to_read: &[Candidate], options: &IndexOptions, apply: &mut Apply) -> Result<()> {
    let threads = options.threads.max(1);
    // Workers read at most this far ahead of the file being applied: files read out of order
    // wait in memory, and a slow file must not let the others fill it.
    let window = threads * 4;
    let next = AtomicUsize::new(0);
    let progress = Progress::default();
    let (sender, receiver) = mpsc::channel::<(usize, Outcome)>();
    // Content hashes of indexed files, for recognising a touched but unchanged file.
    let manifest_hashes: BTreeMap<String, (u64, String)> = apply
        .manifest
        .files
        .iter()
        .map(|(k, r)| (k.clone(), (r.hash, r.collection.clone())))
        .collect();
    let manifest_hashes = &manifest_hashes;
    let reporter = apply.reporter;
    let progress_ref = &progress;
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let sender = sender.clone();
            let next = &next;
            scope.spawn(move || {
                // A worker that panics must not leave the others waiting for its file.
                let _stop_if_panicking = StopIfPanicking(progress_ref);
                loop {
                    if options.interrupted() {
                        break;
                    }
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(candidate) = to_read.get(i) else {
                        break;
                    };
                    if !progress_ref.wait_until_applied(i.saturating_sub(window)) {
                        break;
                    }
                    let indexed_hash = manifest_hashes
                        .get(&candidate.key)
                        .filter(|(_, collection)| *collection == candidate.collection)
                        .map(|(hash, _)| *hash);
                    let outcome = read_candidate(candidate, indexed_hash, &options.json_fields);
                    reporter.file_done(candidate.size);
                    if sender.send((i, outcome)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(sender);
        // Wakes waiting workers however this ends (done, interrupted, or an error).
        let _stop = StopOnDrop(progress_ref);
        let mut pending: BTreeMap<usize, Outcome> = BTreeMap::new();
        let mut next_to_apply = 0;
        for (i, outcome) in receiver {
            pending.insert(i, outcome);
            while let Some(outcome) = pending.remove(&next_to_apply) {
                if options.interrupted() {
                    // Outcomes read but not applied are not in the manifest: the next run reads
                    // them again.
                    return Ok(());
                }
                apply.outcome(outcome)?;
                next_to_apply += 1;
                progress_ref.applied(next_to_apply);
            }
        }
        Ok(())
    })
}

/// How many files have been applied, for workers that must not read too far ahead.
#[derive(Default)]
struct Progress {
    state: std::sync::Mutex<(usize, bool)>,
    changed: std::sync::Condvar,
}

impl Progress {
    fn applied(&self, count: usize) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.0 = count;
        self.changed.notify_all();
    }

    fn stop(&self) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.1 = true;
        self.changed.notify_all();
    }

    /// Waits until `count` files are applied; false when the run stopped instead.
    fn wait_until_applied(&self, count: usize) -> bool {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        while state.0 < count && !state.1 {
            state = self.changed.wait(state).unwrap_or_else(|e| e.into_inner());
        }
        !state.1
    }
}

/// Stops the run when the thread holding it unwinds from a panic.
struct StopIfPanicking<'a>(&'a Progress);

impl Drop for StopIfPanicking<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.stop();
        }
    }
}

struct StopOnDrop<'a>(&'a Progress);

impl Drop for StopOnDrop<'_> {
    fn drop(&mut self) {
        self.0.stop();
    }
}

/// Applies read files to the writer and the manifest.
struct Apply<'a> {
    writer: &'a mut IndexWriter,
    fields: &'a Fields,
    manifest: &'a mut Manifest,
    summary: &'a mut RunSummary,
    reporter: &'a dyn Reporter,
    options: &'a IndexOptions,
    ids: IdRegistry<'a>,
    commits: &'a mut CommitPolicy,
}

impl Apply<'_> {
    /// A warning about a whole file, reported and counted.
    fn warn_about(&mut self, file: &str, message: &str) {
        warn(self.reporter, self.summary, file, None, message);
    }

    /// Applies one file's outcome: report it, delete what it replaces, add its articles, record
    /// it in the manifest, and commit when the policy says so.
    fn outcome(&mut self, outcome: Outcome) -> Result<()> {
        let (candidate, content, warnings) = match outcome {
            Outcome::SameContent { key, modified_ns } => {
                self.keep_unchanged(&key, modified_ns);
                return Ok(());
            }
            Outcome::Content {
                candidate,
                content,
                warnings,
            } => (candidate, content, warnings),
        };
        self.report_file(&candidate, &content, &warnings);
        self.delete_replaced(&candidate.key);
        let record = self.add_articles(&candidate, content)?;
        self.record_file(&candidate, record);
        if self.commits.file_applied(candidate.size) {
            commit_at(CommitPoint::EveryBytes, self)?;
        }
        Ok(())
    }

    /// A file read again whose content is what was indexed: only its modification time moves.
    fn keep_unchanged(&mut self, key: &str, modified_ns: i128) {
        self.summary.unchanged += 1;
        if let Some(record) = self.manifest.files.get_mut(key) {
            record.modified_ns = modified_ns;
        }
    }

    /// Counts the file as new or changed and reports its warnings, why it was skipped, and a
    /// legacy encoding.
    fn report_file(&mut self, candidate: &Candidate, content: &FileContent, warnings: &[Warning]) {
        if self.manifest.files.contains_key(&candidate.key) {
            self.summary.changed += 1;
        } else {
            self.summary.new += 1;
        }
        let file = candidate.found.relative.as_str();
        for warning in warnings {
            warn(
                self.reporter,
                self.summary,
                file,
                warning.line,
                &warning.message,
            );
        }
        if let Some(reason) = &content.skipped {
            self.summary.skipped += 1;
            // A file whose own warnings already say why it produced nothing is not reported
            // twice.
            if warnings.is_empty() {
                let message = format!("skipped: {reason}");
                warn(self.reporter, self.summary, file, None, &message);
            }
        }
        if let Some(encoding) = content
            .encoding
            .as_deref()
            .filter(|e| !e.starts_with("UTF"))
        {
            self.reporter.encoding(file, encoding);
        }
    }

    /// Deletes the passages the file had in the index. A file the manifest does not name has
    /// none: the manifest is the commit's payload, so the committed passages and the files it
    /// names always agree, and a run applies each file once. Skipping the delete for new files
    /// matters: tantivy holds every pending delete (≈ 1 KB each) until the commit, then looks
    /// its term up in every segment — 33 MB and 31,500 lookups for a fresh index of ANT.
    fn delete_replaced(&mut self, key: &str) {
        if self.manifest.files.contains_key(key) {
            self.writer
                .delete_term(Term::from_field_text(self.fields.file, key));
        }
    }

    /// Puts the file's record in the manifest and its counts in the summary.
    fn record_file(&mut self, candidate: &Candidate, record: FileRecord) {
        self.summary.articles += record.articles;
        self.summary.passages += record.passages;
        self.summary.bytes += candidate.size;
        self.manifest.files.insert(candidate.key.clone(), record);
    }

    /// Adds the passages of one file's articles and returns the file's manifest record.
    fn add_articles(&mut self, candidate: &Candidate, content: FileContent) -> Result<FileRecord> {
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
        let file_date = date::find_date_in(
            candidate
                .found
                .path
                .file_name()
                .map(|n| n.to_string_lossy())
                .as_deref()
                .unwrap_or_default(),
        );
        let sizes = self.manifest.settings.passage_sizes();
        let mut empty_articles = 0;
        self.ids.start_file();
        for (ordinal, (article, signature)) in articles.iter().zip(&signatures).enumerate() {
            if article.body.trim().is_empty() && article.title.trim().is_empty() {
                empty_articles += 1;
                continue;
            }
            let id = self.claim_id(candidate, article, ordinal, multi_record)?;
            let entry = ArticleEntry::new(id, article, candidate, file_date, signature.as_ref());
            let mut passages = ingest::split_passages(&article.body, sizes);
            if passages.is_empty() {
                // A gallery or a video: a title and no text. Searchable by its title.
                passages.push("");
                self.summary.title_only += 1;
            }
            self.add(entry.documents(self.fields, candidate, &passages))?;
            entry.count_in(&mut record, passages.len() as u64);
        }
        if empty_articles > 0 && record.skipped.is_none() {
            let message = format!("{empty_articles} article(s) without title or text skipped");
            self.warn_about(&candidate.found.relative, &message);
        }
        Ok(record)
    }

    /// The id article number `ordinal` of `candidate` is indexed under: its own, else derived
    /// from the file's path; qualified (with a warning) when another article has it.
    fn claim_id(
        &mut self,
        candidate: &Candidate,
        article: &Article,
        ordinal: usize,
        multi_record: bool,
    ) -> Result<String> {
        let derived = article.id.is_none();
        let wanted = article.id.clone().unwrap_or_else(|| {
            if multi_record {
                format!("{}#{}", candidate.found.relative, ordinal + 1)
            } else {
                candidate.found.relative.clone()
            }
        });
        let id = self.ids.claim(&wanted, derived, candidate)?;
        if id != wanted {
            let message = format!(
                "article id {wanted:?} is already used by another article; indexed as {id:?}"
            );
            self.warn_about(&candidate.found.relative, &message);
        }
        Ok(id)
    }

    /// Hands one article's passages to the writer as one batch: tantivy puts a batch in one
    /// segment, so an article's passages never straddle segments (per-segment counts of
    /// articles are exact).
    fn add(&mut self, documents: Vec<TantivyDocument>) -> Result<()> {
        let count = documents.len() as u64;
        let batch: Vec<_> = documents
            .into_iter()
            .map(tantivy::indexer::UserOperation::Add)
            .collect();
        self.writer.run(batch)?;
        self.commits.documents_added(count);
        Ok(())
    }
}

/// Commits what `apply` has applied, at `point`.
fn commit_at(point: CommitPoint, apply: &mut Apply) -> Result<()> {
    apply.commits.commit(
        point,
        apply.writer,
        apply.manifest,
        &apply.options.index_dir,
    )
}

/// One article as it is indexed: what each of its passage documents carries besides the
/// passage.
struct ArticleEntry<'a> {
    id: String,
    article: &'a Article,
    /// The outlet: the source's own, else the folder the file sits in under the root (archives
    /// laid out by outlet); else unknown (empty), not the collection's name.
    source: String,
    published: Option<time::OffsetDateTime>,
    /// The source's own calendar day of `published`, as midnight UTC.
    day: Option<time::OffsetDateTime>,
    signature: Option<&'a dedup::Signature>,
}

impl<'a> ArticleEntry<'a> {
    fn new(
        id: String,
        article: &'a Article,
        candidate: &Candidate,
        file_date: Option<time::OffsetDateTime>,
        signature: Option<&'a dedup::Signature>,
    ) -> Self {
        let source = article
            .source
            .clone()
            .or_else(|| candidate.found.top_folder.clone())
            .unwrap_or_default();
        let published = article.date.or(file_date);
        ArticleEntry {
            id,
            article,
            source,
            published,
            day: published.map(date::local_day),
            signature,
        }
    }

    /// The documents of the article's `passages`, in order.
    fn documents(
        &self,
        fields: &Fields,
        candidate: &Candidate,
        passages: &[&str],
    ) -> Vec<TantivyDocument> {
        let article = self.article;
        let mut documents = Vec::with_capacity(passages.len());
        for (passage_no, passage) in passages.iter().enumerate() {
            let mut doc = TantivyDocument::default();
            doc.add_text(fields.article_id, &self.id);
            doc.add_u64(fields.passage, passage_no as u64);
            doc.add_text(fields.title, &article.title);
            doc.add_text(fields.title_stem, &article.title);
            doc.add_text(fields.text, passage);
            doc.add_text(fields.text_stem, passage);
            if let (Some(published), Some(day)) = (self.published, self.day) {
                doc.add_date(fields.date, DateTime::from_utc(published));
                doc.add_date(fields.day, DateTime::from_utc(day));
                doc.add_i64(
                    fields.utc_offset,
                    i64::from(published.offset().whole_seconds()),
                );
            }
            doc.add_text(fields.source, &self.source);
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
            if let Some(signature) = self.signature {
                // On every passage, so a hit's signature is a column read (the column is
                // dictionary-encoded: an article's passages share one entry). Band terms
                // only on the first passage, so that candidates are articles.
                doc.add_bytes(fields.minhash, &dedup::to_bytes(signature));
                if passage_no == 0 {
                    for band in dedup::band_terms(signature) {
                        doc.add_text(fields.dup_band, &band);
                    }
                }
            }
            documents.push(doc);
        }
        documents
    }

    /// Counts the article (its passages, outlet and day) in its file's manifest record.
    fn count_in(self, record: &mut FileRecord, passages: u64) {
        record.articles += 1;
        record.passages += passages;
        if !self.source.is_empty() {
            *record.sources.entry(self.source).or_default() += 1;
        }
        if let Some(day) = self.day {
            // The manifest keeps the source's own calendar days (as midnight UTC).
            let seconds = day.unix_timestamp();
            record.first_date = Some(record.first_date.map_or(seconds, |d| d.min(seconds)));
            record.last_date = Some(record.last_date.map_or(seconds, |d| d.max(seconds)));
        }
    }
}

/// Keeps article ids unique within the index: the results, the page and collections key
/// everything by id. An id already used by another file (two folders that each hold `a.txt`,
/// a JSON file that repeats an id) is qualified: a path-derived id by the name of the folder it
/// was found under, any id then by `#2`, `#3`…
struct IdRegistry<'a> {
    searcher: &'a Searcher,
    fields: &'a Fields,
    /// Ids given in this run → the file that has each.
    this_run: HashMap<String, String>,
    /// Ids given to the articles of the file being indexed (a JSON file can repeat an id).
    this_file: HashSet<String>,
    /// Files whose passages this run deletes: their ids in the last commit are free.
    freed: HashSet<String>,
}

impl<'a> IdRegistry<'a> {
    fn new(searcher: &'a Searcher, fields: &'a Fields, removed: &[String]) -> Self {
        IdRegistry {
            searcher,
            fields,
            this_run: HashMap::new(),
            this_file: HashSet::new(),
            freed: removed.iter().cloned().collect(),
        }
    }

    /// The id under which an article of `candidate` that wants `wanted` is indexed.
    fn claim(&mut self, wanted: &str, derived: bool, candidate: &Candidate) -> Result<String> {
        // The file's own passages of the last commit are deleted before it is indexed again.
        self.freed.insert(candidate.key.clone());
        let mut id = wanted.to_owned();
        if derived && self.taken(&id, &candidate.key)? {
            id = format!("{}/{}", candidate.root_name, wanted);
        }
        let base = id.clone();
        let mut n = 2;
        while self.taken(&id, &candidate.key)? {
            id = format!("{base}#{n}");
            n += 1;
        }
        self.this_run.insert(id.clone(), candidate.key.clone());
        self.this_file.insert(id.clone());
        Ok(id)
    }

    /// A new file's articles are about to be claimed.
    fn start_file(&mut self) {
        self.this_file.clear();
    }

    /// Whether `id` belongs to another article: of a file other than `key`, or an earlier
    /// article of this one.
    fn taken(&self, id: &str, key: &str) -> Result<bool> {
        if self.this_file.contains(id) {
            return Ok(true);
        }
        if let Some(owner) = self.this_run.get(id) {
            return Ok(owner != key);
        }
        Ok(match self.owner_in_index(id)? {
            Some(owner) => owner != key && !self.freed.contains(&owner),
            None => false,
        })
    }

    /// The file key of a passage of article `id` in the last commit.
    fn owner_in_index(&self, id: &str) -> Result<Option<String>> {
        let term = Term::from_field_text(self.fields.article_id, id);
        for (segment_ord, segment) in self.searcher.segment_readers().iter().enumerate() {
            let inverted = segment.inverted_index(self.fields.article_id)?;
            let Some(mut postings) = inverted
                .read_postings(&term, IndexRecordOption::Basic)
                .map_err(tantivy::TantivyError::from)?
            else {
                continue;
            };
            let alive = segment.alive_bitset();
            let mut doc = postings.doc();
            while doc != TERMINATED {
                if alive.is_none_or(|alive| alive.is_alive(doc)) {
                    let address = tantivy::DocAddress::new(segment_ord as u32, doc);
                    let stored: TantivyDocument = self.searcher.doc(address)?;
                    let owner = stored
                        .get_first(self.fields.file)
                        .and_then(|v| v.as_str().map(str::to_owned))
                        .unwrap_or_default();
                    return Ok(Some(owner));
                }
                doc = postings.advance();
            }
        }
        Ok(None)
    }
}

/// Opens the index, or creates it (after clearing it with `--rebuild`), with its manifest.
/// The flag says whether the index has no fahras commit yet (new, or left by a first run killed
/// before its first commit).
fn prepare_index(options: &IndexOptions) -> Result<(Index, Manifest, bool)> {
    let dir = &options.index_dir;
    if options.rebuild && dir.exists() {
        clear_index_dir(dir)?;
    }
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir.clone(), e))?;
    if super::exists(dir) {
        let index = super::open_tantivy(dir)?;
        if index.load_metas()?.payload.is_none() && super::is_unfinished_first_run(&index) {
            let settings = options.settings.unwrap_or_default();
            register_analyzers(&index, settings.stemmer);
            return Ok((index, Manifest::new(settings), true));
        }
        drop(index);
        let handle = super::open(dir)?;
        if let Some(wanted) = options.settings {
            if wanted != handle.header.settings {
                return Err(Error::IncompatibleSettings {
                    dir: dir.clone(),
                    built_with: handle.header.settings,
                    wanted,
                });
            }
        }
        let manifest = handle.manifest()?;
        return Ok((handle.index, manifest, false));
    }
    let settings = options.settings.unwrap_or_default();
    let directory = super::directory::IndexDirectory::open(dir)?;
    let index = Index::create(directory, build_schema(), tantivy::IndexSettings::default())?;
    register_analyzers(&index, settings.stemmer);
    Ok((index, Manifest::new(settings), true))
}

/// Removes the index files in `dir` (those tantivy lists as its own, its meta and lock files),
/// leaving anything else (a `.gitkeep`, a user's notes). A run writing to the index holds its
/// writer lock: `--rebuild` waits for nobody and deletes nothing then.
fn clear_index_dir(dir: &Path) -> Result<()> {
    let directory = MmapDirectory::open(dir).map_err(|e| Error::unusable_folder(dir, e))?;
    let _lock = match directory.acquire_lock(&INDEX_WRITER_LOCK) {
        Ok(lock) => Some(lock),
        Err(tantivy::directory::error::LockError::LockBusy) => {
            return Err(Error::Locked(dir.to_path_buf()));
        }
        // A folder that cannot hold a lock file (read-only) fails below with the reason.
        Err(_) => None,
    };
    let managed_path = dir.join(".managed.json");
    let mut files: Vec<String> = match std::fs::read_to_string(&managed_path) {
        Ok(json) => serde_json::from_str(&json).unwrap_or_default(),
        Err(_) => Vec::new(),
    };
    files.extend(manifest::manifest_files(dir));
    files.extend(["meta.json", ".managed.json", ".tantivy-meta.lock"].map(str::to_owned));
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
            tantivy::TantivyError::LockFailure(
                tantivy::directory::error::LockError::LockBusy,
                _,
            ) => Error::Locked(dir.to_path_buf()),
            tantivy::TantivyError::LockFailure(_, _) if is_read_only(dir) => {
                Error::ReadOnly(dir.to_path_buf())
            }
            other => Error::Index(other),
        })
}

/// Whether files can be created in `dir`.
fn is_read_only(dir: &Path) -> bool {
    let probe = dir.join(".fahras-write-probe");
    match std::fs::File::create(&probe) {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
            false
        }
        Err(_) => true,
    }
}

/// Commits the writer's work with `manifest`: its file is written first, the commit names it,
/// and the files of earlier commits are deleted only once the new commit is durable.
fn commit(writer: &mut IndexWriter, manifest: &Manifest, index_dir: &Path) -> Result<()> {
    let payload = manifest.save(index_dir)?;
    let mut prepared = writer.prepare_commit()?;
    prepared.set_payload(&payload);
    // The manifest, the new segments and their deletion files are on disk; meta.json, which
    // makes them the index, is not.
    faults::at(Point::AfterManifestWrite);
    prepared.commit()?;
    faults::at(Point::AfterCommit);
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
        Err(e) => {
            let reason = format!("cannot read: {}", crate::error::describe_io(&e));
            return skip(0, None, reason);
        }
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
        .all(|a| a.body.trim().is_empty() && a.title.trim().is_empty())
        .then(|| "no article found (no title, no text)".to_owned());
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
        return Err(Error::UnknownCollection {
            name: collection.to_owned(),
            dir: index_dir.to_path_buf(),
        });
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_that_fails_on_a_full_disk_says_so_and_what_was_kept() {
        let killed = Error::Index(tantivy::TantivyError::ErrorInThread(
            "An index writer was killed.".to_owned(),
        ));
        assert!(disk_is_full(&killed, Some(1 << 20)));
        assert!(!disk_is_full(&killed, Some(10 << 30)));
        let full = Error::io(
            "/index/x",
            std::io::Error::from(std::io::ErrorKind::StorageFull),
        );
        assert!(disk_is_full(&full, None));
        assert!(full.to_string().contains("no space left on device"));
        let message = full_disk_message(Path::new("/index"), Some(1200));
        assert!(message.starts_with("no space left on device"));
        assert!(message.contains("1200 articles searchable"));
    }
}
