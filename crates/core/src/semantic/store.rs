//! Passage vectors beside the index, in `<index>/vectors/`:
//!
//! - `model.json`: the encoder's identity and passage cap; vectors of another identity are
//!   removed by the next `fahras embed`, and never compared with a query of another model;
//! - `segment-<id>.vec`: for each index segment, one row per document with the key of the text
//!   it embeds (xxh3; 0: no vector) and its vector: what searches read (mapped, not parsed).
//!   Segment ids are part of the index commit: a segment merged away loses its file at the next
//!   `embed` (its vectors move to the segments that now hold those passages, by key: a re-index
//!   re-encodes only new texts), a new segment has none until then, and a search counts what
//!   its segments cover;
//! - `batch-<n>.vec`: the vectors of a run in progress, one file per batch written whole
//!   (temporary file, then rename), so a kill loses at most the batch being encoded; the run's
//!   end moves them into the segment files and removes them;
//! - `stamp`: rewritten as a run's last step; a search process maps the segment files again when
//!   it changes (the folder's modification time is too coarse a sign);
//! - `.lock`: held by the running `fahras embed`.
//!
//! Every file ends with a checksum that `embed` verifies: a damaged file is left out and its
//! passages are encoded again.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use serde::{Deserialize, Serialize};
use tantivy::schema::Value;
use tantivy::{DocAddress, TantivyDocument};

use super::{passage_text, Encoder, Kind, Vector, DIM};
use crate::index::faults;
use crate::index::IndexHandle;
use crate::{Error, Result};

/// The folder of an index's vectors.
pub fn folder(index_dir: &Path) -> PathBuf {
    index_dir.join("vectors")
}

const MODEL_FILE: &str = "model.json";
const STAMP_FILE: &str = "stamp";
const BATCH_MAGIC: &[u8; 8] = b"FHRSVB01";
const SEGMENT_MAGIC: &[u8; 8] = b"FHRSVS02";
/// Segment file header: magic, dim (u32), max_doc (u32), identity hash (u64).
const SEGMENT_HEADER: usize = 24;
/// The trailing checksum (xxh3 of everything before it).
const CHECKSUM: usize = 8;

/// Which encoder made the vectors of a store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelRecord {
    pub identity: String,
    pub max_tokens: usize,
    pub dim: usize,
}

impl ModelRecord {
    fn of(encoder: &dyn Encoder) -> ModelRecord {
        ModelRecord {
            identity: encoder.identity(),
            max_tokens: encoder.max_tokens(),
            dim: DIM,
        }
    }

    fn hash(&self) -> u64 {
        xxhash_rust::xxh3::xxh3_64(self.identity.as_bytes())
    }
}

/// The model record of the vectors in `index_dir`, if there are any.
pub fn model_record(index_dir: &Path) -> Result<Option<ModelRecord>> {
    let path = folder(index_dir).join(MODEL_FILE);
    match std::fs::read(&path) {
        Ok(bytes) => serde_json::from_slice(&bytes).map(Some).map_err(|e| {
            Error::BadSetting(format!(
                "{}: unreadable ({e}); run `fahras embed` to rebuild the vectors",
                path.display()
            ))
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io(path, e)),
    }
}

/// What the last finished `fahras embed` wrote as its stamp, if any (searches key their view of
/// the store on it).
pub fn stamp(index_dir: &Path) -> Option<String> {
    std::fs::read_to_string(folder(index_dir).join(STAMP_FILE)).ok()
}

/// The key of a passage's vector: a hash of the text embedded (never 0, which means "none").
pub fn key(text: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(text.as_bytes()).max(1)
}

/// How `fahras embed` runs.
#[derive(Debug, Clone, Copy)]
pub struct EmbedOptions {
    pub threads: usize,
    /// Passages encoded and written per batch (what a kill can lose).
    pub batch: usize,
}

impl Default for EmbedOptions {
    fn default() -> Self {
        EmbedOptions {
            threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
            batch: 64,
        }
    }
}

/// Which passages a run encodes: all, or only those of some articles (a first pass over the
/// articles a piece of work needs; the others keep what vectors they have).
#[derive(Debug, Clone, Default)]
pub enum Selection {
    #[default]
    All,
    Articles(HashSet<String>),
}

/// Where an embedding run is, for a progress bar.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    pub passages_done: usize,
    pub passages_total: usize,
    /// Characters encoded, of `chars_total`: the work, which a passage count would misstate
    /// (passages are encoded shortest first).
    pub chars_done: usize,
    pub chars_total: usize,
}

/// What an embedding run did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct EmbedReport {
    /// Live passages of the index.
    pub passages: usize,
    /// Of them, those whose vector was computed by this run.
    pub encoded: usize,
    /// Live passages left without a vector (outside the articles a run was limited to).
    pub left: usize,
    /// Distinct texts encoded (copies share a vector).
    pub texts_encoded: usize,
    /// Vectors kept from earlier runs.
    pub reused: usize,
    /// Vectors dropped because no live passage has their text any more.
    pub removed: usize,
    /// Vectors of another model that were dropped first.
    pub replaced_model: Option<String>,
    pub seconds: f64,
    pub passages_per_second: f64,
}

/// Computes the vectors of every live passage of `handle`'s index that has none, incrementally
/// and resumably, and writes the matrices searches read.
pub fn embed_index(
    handle: &IndexHandle,
    encoder: &dyn Encoder,
    options: EmbedOptions,
    selection: &Selection,
    progress: &mut dyn FnMut(Progress),
) -> Result<EmbedReport> {
    faults::check().map_err(Error::BadSetting)?;
    let started = Instant::now();
    let dir = folder(&handle.dir);
    create_folder(&handle.dir, &dir)?;
    let _lock = lock(&dir)?;
    // What a run killed while writing a file left (files are written under a temporary name).
    for path in list(&dir)? {
        if path.extension().is_some_and(|e| e == "tmp") {
            remove(&path)?;
        }
    }
    let record = ModelRecord::of(encoder);
    let mut report = EmbedReport::default();
    match model_record(&handle.dir) {
        Ok(Some(known)) if known == record => {}
        known => {
            // Another model (or none recorded): its vectors mean nothing to this one. Files
            // first, then the record, so a kill in between is finished by the next run.
            if let Ok(Some(known)) = known {
                report.replaced_model = Some(known.identity);
            }
            for path in store_files(&dir)? {
                remove(&path)?;
            }
            let json = serde_json::to_vec_pretty(&record).expect("a record serializes");
            write_atomically(&dir.join(MODEL_FILE), &json)?;
        }
    }

    // The vectors at hand: every segment file's (those of segments merged away too) and an
    // interrupted run's batches.
    let mut known: HashMap<u64, Vector> = HashMap::new();
    // Each sound file's keys, by path: a file that already holds a segment's keys is kept.
    let mut sound: HashMap<PathBuf, Vec<u64>> = HashMap::new();
    for path in segment_files(&dir)? {
        if let Some((keys, rows)) = read_segment(&path, &record) {
            known.extend(rows);
            sound.insert(path, keys);
        }
    }
    let batch_files = batch_names(&dir)?;
    for (_, path) in &batch_files {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        known.extend(parse_batch(&bytes).unwrap_or_default());
    }
    let searcher = handle.index.reader()?.searcher();
    let fields = handle.fields;
    // Every live passage's key, and the texts without a vector.
    let mut segment_keys: Vec<Vec<u64>> = Vec::new();
    let mut missing: HashMap<u64, String> = HashMap::new();
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        let mut keys = vec![0; segment.max_doc() as usize];
        for doc_id in segment.doc_ids_alive() {
            let doc: TantivyDocument = searcher.doc(DocAddress::new(ord as u32, doc_id))?;
            let read = |field| {
                doc.get_first(field)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_owned()
            };
            let text = passage_text(&read(fields.title), &read(fields.text));
            let key = key(&text);
            report.passages += 1;
            if known.contains_key(&key) {
                report.reused += 1;
                keys[doc_id as usize] = key;
            } else if match selection {
                Selection::All => true,
                Selection::Articles(ids) => ids.contains(&read(fields.article_id)),
            } {
                report.encoded += 1;
                keys[doc_id as usize] = key;
                missing.entry(key).or_insert(text);
            }
        }
        segment_keys.push(keys);
    }

    // Shortest first in batches of similar length (padding within a batch costs nothing then).
    let mut todo: Vec<(u64, String)> = missing.into_iter().collect();
    todo.sort_by(|a, b| a.1.len().cmp(&b.1.len()).then(a.0.cmp(&b.0)));
    report.texts_encoded = todo.len();
    let chars_total: usize = todo.iter().map(|(_, t)| t.chars().count()).sum();
    let mut state = Progress {
        passages_done: 0,
        passages_total: todo.len(),
        chars_done: 0,
        chars_total,
    };
    progress(state);
    let first_batch = batch_files.iter().map(|(n, _)| n + 1).max().unwrap_or(0);
    for (batches, batch) in todo.chunks(options.batch.max(1)).enumerate() {
        let texts: Vec<&str> = batch.iter().map(|(_, t)| t.as_str()).collect();
        let vectors = encoder.embed(&texts, Kind::Passage, options.threads.max(1));
        let rows: Vec<(u64, Vector)> = batch.iter().map(|(k, _)| *k).zip(vectors).collect();
        write_batch(&dir, first_batch + batches as u64, &rows)?;
        known.extend(rows);
        state.passages_done += batch.len();
        state.chars_done += texts.iter().map(|t| t.chars().count()).sum::<usize>();
        progress(state);
        faults::after_embedded_batches(batches as u64 + 1);
    }

    // The matrices searches read, for this commit's segments; then what no commit a reader
    // could still open uses: segments of neither this search nor the index's newest commit (an
    // indexing run may have committed meanwhile), and the batches, now in segment files. A
    // kill before the removals leaves vectors twice, which the next run reads as once.
    let mut live: HashSet<u64> = HashSet::new();
    let mut current: HashSet<String> = HashSet::new();
    for (segment, keys) in searcher.segment_readers().iter().zip(&segment_keys) {
        live.extend(keys.iter().filter(|&&k| k != 0));
        current.insert(segment.segment_id().uuid_string());
        let path = segment_path(&dir, segment.segment_id());
        if sound.get(&path).is_none_or(|written| written != keys) {
            write_segment(&path, &record, keys, &known)?;
        }
    }
    if let Ok(ids) = handle.index.searchable_segment_ids() {
        current.extend(ids.iter().map(|id| id.uuid_string()));
    }
    for path in segment_files(&dir)? {
        let stem = file_stem(&path);
        let id = stem.strip_prefix("segment-").unwrap_or_default();
        if !current.contains(id) {
            remove(&path)?;
        }
    }
    for (_, path) in batch_names(&dir)? {
        remove(&path)?;
    }
    report.removed = known.keys().filter(|k| !live.contains(k)).count();
    let previous: u64 = stamp(&handle.dir)
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(0);
    write_atomically(&dir.join(STAMP_FILE), (previous + 1).to_string().as_bytes())?;
    report.left = report.passages - report.encoded - report.reused;
    report.seconds = started.elapsed().as_secs_f64();
    report.passages_per_second = if report.seconds > 0.0 {
        report.texts_encoded as f64 / report.seconds
    } else {
        0.0
    };
    Ok(report)
}

/// One segment's vectors, mapped.
pub struct SegmentMatrix {
    map: memmap2::Mmap,
    max_doc: usize,
    rows_at: usize,
}

impl SegmentMatrix {
    /// The vector of `doc`, if it has one.
    pub fn row(&self, doc: u32) -> Option<&[f32]> {
        if !self.has(doc) {
            return None;
        }
        let doc = doc as usize;
        let from = self.rows_at + doc * DIM * 4;
        let bytes = &self.map[from..from + DIM * 4];
        // SAFETY: f32 has no invalid bit patterns; `align_to` only yields an aligned middle.
        let (head, floats, tail) = unsafe { bytes.align_to::<f32>() };
        if head.is_empty() && tail.is_empty() && cfg!(target_endian = "little") {
            Some(floats)
        } else {
            None
        }
    }

    pub fn has(&self, doc: u32) -> bool {
        let at = SEGMENT_HEADER + doc as usize * 8;
        (doc as usize) < self.max_doc && self.map[at..at + 8] != [0; 8]
    }
}

/// The vectors a search over one commit can use.
pub struct IndexVectors {
    pub record: ModelRecord,
    /// By segment ordinal of the searcher they were read for.
    pub segments: Vec<Option<Arc<SegmentMatrix>>>,
    /// Live passages with a vector, of `passages`.
    pub covered: u64,
    pub passages: u64,
}

impl IndexVectors {
    pub fn complete(&self) -> bool {
        self.passages > 0 && self.covered == self.passages
    }
}

/// How much of an index has vectors, for `fahras stats`.
#[derive(Debug, Clone, Serialize)]
pub struct Coverage {
    /// Live passages with a vector, of `passages`.
    pub covered: u64,
    pub passages: u64,
    pub model: String,
    pub max_tokens: usize,
    /// The store's size on disk.
    pub bytes: u64,
}

/// The vectors of the index `handle` opens, `None` when it has none.
pub fn coverage(handle: &IndexHandle) -> Result<Option<Coverage>> {
    let searcher = handle.index.reader()?.searcher();
    let Some(vectors) = open_vectors(&handle.dir, &searcher, &mut HashMap::new())? else {
        return Ok(None);
    };
    let bytes = list(&folder(&handle.dir))?
        .iter()
        .filter_map(|p| p.metadata().ok())
        .map(|m| m.len())
        .sum();
    Ok(Some(Coverage {
        covered: vectors.covered,
        passages: vectors.passages,
        model: vectors.record.identity,
        max_tokens: vectors.record.max_tokens,
        bytes,
    }))
}

/// The vectors of `searcher`'s segments, `None` when the index has none. `known` gives the
/// matrices already mapped, by segment id (kept per index generation by the engine).
pub fn open_vectors(
    index_dir: &Path,
    searcher: &tantivy::Searcher,
    known: &mut HashMap<tantivy::index::SegmentId, Option<Arc<SegmentMatrix>>>,
) -> Result<Option<IndexVectors>> {
    let Some(record) = model_record(index_dir)? else {
        return Ok(None);
    };
    let dir = folder(index_dir);
    let mut vectors = IndexVectors {
        segments: Vec::new(),
        covered: 0,
        passages: 0,
        record,
    };
    for segment in searcher.segment_readers() {
        let id = segment.segment_id();
        let matrix = match known.get(&id) {
            Some(matrix) => matrix.clone(),
            None => {
                let matrix =
                    map_segment(&segment_path(&dir, id), &vectors.record, segment).map(Arc::new);
                known.insert(id, matrix.clone());
                matrix
            }
        };
        vectors.passages += u64::from(segment.num_docs());
        if let Some(matrix) = &matrix {
            vectors.covered += segment
                .doc_ids_alive()
                .filter(|&doc| matrix.has(doc))
                .count() as u64;
        }
        vectors.segments.push(matrix);
    }
    Ok(Some(vectors))
}

/// The segment file at `path` mapped, if it is one of this model for this segment.
fn map_segment(
    path: &Path,
    record: &ModelRecord,
    segment: &tantivy::SegmentReader,
) -> Option<SegmentMatrix> {
    let file = File::open(path).ok()?;
    // SAFETY: segment files are written whole under a temporary name and renamed into place,
    // never modified afterwards (a newer one replaces them by rename).
    let map = unsafe { memmap2::Mmap::map(&file) }.ok()?;
    let max_doc = segment.max_doc() as usize;
    if !segment_fits(&map, record, max_doc) {
        return None;
    }
    Some(SegmentMatrix {
        map,
        max_doc,
        rows_at: rows_offset(max_doc),
    })
}

/// Where rows start: after the header and one key per document, on a 64-byte line.
fn rows_offset(max_doc: usize) -> usize {
    (SEGMENT_HEADER + max_doc * 8).div_ceil(64) * 64
}

fn segment_path(dir: &Path, id: tantivy::index::SegmentId) -> PathBuf {
    dir.join(format!("segment-{}.vec", id.uuid_string()))
}

/// Whether `bytes` are a whole segment file (header and size) of `record`'s model for a segment
/// of `max_doc` documents.
fn segment_fits(bytes: &[u8], record: &ModelRecord, max_doc: usize) -> bool {
    bytes.len() == rows_offset(max_doc) + max_doc * DIM * 4 + CHECKSUM
        && &bytes[..8] == SEGMENT_MAGIC
        && bytes[8..12] == (DIM as u32).to_le_bytes()
        && bytes[12..16] == (max_doc as u32).to_le_bytes()
        && bytes[16..24] == record.hash().to_le_bytes()
}

/// A segment file read whole: each document's key, and the (key, vector) rows.
type SegmentContents = (Vec<u64>, Vec<(u64, Vector)>);

/// The segment file at `path`, if it is whole and of this model: each document's key (0: no
/// vector) and the (key, vector) rows.
fn read_segment(path: &Path, record: &ModelRecord) -> Option<SegmentContents> {
    let bytes = std::fs::read(path).ok()?;
    if bytes.len() < SEGMENT_HEADER + CHECKSUM || !checksum_holds(&bytes) {
        return None;
    }
    let max_doc = u32::from_le_bytes(bytes[12..16].try_into().ok()?) as usize;
    if !segment_fits(&bytes, record, max_doc) {
        return None;
    }
    let rows_at = rows_offset(max_doc);
    let keys: Vec<u64> = bytes[SEGMENT_HEADER..SEGMENT_HEADER + max_doc * 8]
        .chunks_exact(8)
        .map(|key| u64::from_le_bytes(key.try_into().expect("chunks of 8 bytes")))
        .collect();
    let rows = bytes[rows_at..rows_at + max_doc * DIM * 4].chunks_exact(DIM * 4);
    let vectors = keys
        .iter()
        .zip(rows)
        .filter(|(key, _)| **key != 0)
        .map(|(key, row)| (*key, vector_from(row)))
        .collect();
    Some((keys, vectors))
}

fn write_segment(
    path: &Path,
    record: &ModelRecord,
    keys: &[u64],
    known: &HashMap<u64, Vector>,
) -> Result<()> {
    let max_doc = keys.len();
    let rows_at = rows_offset(max_doc);
    let mut bytes = Vec::with_capacity(rows_at + max_doc * DIM * 4 + CHECKSUM);
    bytes.extend_from_slice(SEGMENT_MAGIC);
    bytes.extend_from_slice(&(DIM as u32).to_le_bytes());
    bytes.extend_from_slice(&(max_doc as u32).to_le_bytes());
    bytes.extend_from_slice(&record.hash().to_le_bytes());
    let rows: Vec<Option<&Vector>> = keys.iter().map(|key| known.get(key)).collect();
    for (key, row) in keys.iter().zip(&rows) {
        let written = if row.is_some() { *key } else { 0 };
        bytes.extend_from_slice(&written.to_le_bytes());
    }
    bytes.resize(rows_at, 0);
    for row in rows {
        match row {
            Some(vector) => vector
                .iter()
                .for_each(|x| bytes.extend_from_slice(&x.to_le_bytes())),
            None => bytes.resize(bytes.len() + DIM * 4, 0),
        }
    }
    seal(&mut bytes);
    write_atomically(path, &bytes)
}

fn vector_from(bytes: &[u8]) -> Vector {
    let mut vector = [0f32; DIM];
    for (x, b) in vector.iter_mut().zip(bytes.chunks_exact(4)) {
        *x = f32::from_le_bytes([b[0], b[1], b[2], b[3]]);
    }
    vector
}

/// Appends the checksum of `bytes`.
fn seal(bytes: &mut Vec<u8>) {
    let checksum = xxhash_rust::xxh3::xxh3_64(bytes);
    bytes.extend_from_slice(&checksum.to_le_bytes());
}

fn checksum_holds(bytes: &[u8]) -> bool {
    let (body, tail) = bytes.split_at(bytes.len() - CHECKSUM);
    xxhash_rust::xxh3::xxh3_64(body).to_le_bytes() == tail
}

fn parse_batch(bytes: &[u8]) -> Option<Vec<(u64, Vector)>> {
    let row = 8 + DIM * 4;
    if bytes.len() < 16 + CHECKSUM || &bytes[..8] != BATCH_MAGIC || !checksum_holds(bytes) {
        return None;
    }
    let dim = u32::from_le_bytes(bytes[8..12].try_into().ok()?) as usize;
    let count = u32::from_le_bytes(bytes[12..16].try_into().ok()?) as usize;
    if dim != DIM || bytes.len() != 16 + count.checked_mul(row)? + CHECKSUM {
        return None;
    }
    let body = &bytes[16..bytes.len() - CHECKSUM];
    body.chunks_exact(row)
        .map(|chunk| {
            let key = u64::from_le_bytes(chunk[..8].try_into().ok()?);
            Some((key, vector_from(&chunk[8..])))
        })
        .collect()
}

fn write_batch(dir: &Path, number: u64, rows: &[(u64, Vector)]) -> Result<()> {
    let mut bytes = Vec::with_capacity(16 + rows.len() * (8 + DIM * 4) + CHECKSUM);
    bytes.extend_from_slice(BATCH_MAGIC);
    bytes.extend_from_slice(&(DIM as u32).to_le_bytes());
    bytes.extend_from_slice(&(rows.len() as u32).to_le_bytes());
    for (key, vector) in rows {
        bytes.extend_from_slice(&key.to_le_bytes());
        vector
            .iter()
            .for_each(|x| bytes.extend_from_slice(&x.to_le_bytes()));
    }
    seal(&mut bytes);
    write_atomically(&dir.join(format!("batch-{number:08}.vec")), &bytes)
}

fn batch_names(dir: &Path) -> Result<Vec<(u64, PathBuf)>> {
    let mut files: Vec<(u64, PathBuf)> = list(dir)?
        .into_iter()
        .filter_map(|path| {
            let stem = file_stem(&path);
            let n = stem.strip_prefix("batch-")?.parse().ok()?;
            (path.extension()? == "vec").then_some((n, path))
        })
        .collect();
    files.sort();
    Ok(files)
}

fn segment_files(dir: &Path) -> Result<Vec<PathBuf>> {
    Ok(list(dir)?
        .into_iter()
        .filter(|p| file_stem(p).starts_with("segment-") && p.extension() == Some("vec".as_ref()))
        .collect())
}

/// The store's vector files (not the record, the stamp, the lock or temporaries).
fn store_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files = segment_files(dir)?;
    files.extend(batch_names(dir)?.into_iter().map(|(_, p)| p));
    Ok(files)
}

fn file_stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn list(dir: &Path) -> Result<Vec<PathBuf>> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    Ok(entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
}

fn remove(path: &Path) -> Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::io(path, e)),
        _ => Ok(()),
    }
}

fn create_folder(index_dir: &Path, dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| match e.kind() {
        std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem => {
            Error::ReadOnly(index_dir.to_path_buf())
        }
        _ => Error::io(dir, e),
    })
}

/// The store's lock, held while it lives.
fn lock(dir: &Path) -> Result<File> {
    let path = dir.join(".lock");
    let file = File::create(&path).map_err(|e| Error::io(&path, e))?;
    match fs4::fs_std::FileExt::try_lock_exclusive(&file) {
        Ok(true) => Ok(file),
        Ok(false) => Err(Error::Locked(dir.to_path_buf())),
        Err(e) => Err(Error::io(&path, e)),
    }
}

/// Writes `bytes` to `path` whole or not at all: a temporary file, flushed, then renamed.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let temporary = path.with_extension("tmp");
    let write = || -> std::io::Result<()> {
        let mut file = File::create(&temporary)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temporary, path)?;
        // The rename itself, durable (a power cut must not undo a finished batch).
        if let Some(parent) = path.parent() {
            File::open(parent)?.sync_all()?;
        }
        Ok(())
    };
    write().map_err(|e| {
        let _ = std::fs::remove_file(&temporary);
        Error::io(path, e)
    })
}
