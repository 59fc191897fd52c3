//! Semantic search: passage vectors from a multilingual sentence encoder (multilingual-e5-small,
//! see the `fahras-embed` crate), stored beside the index, searched by brute-force dot products
//! and fused with the lexical ranking.
//!
//! - [`store`]: the vectors on disk, `fahras embed` (incremental, resumable) and what a search
//!   reads (one matrix per index segment, tied to the segment and to the model's identity);
//! - [`dense`]: the passages nearest a query vector, within a search's filters;
//! - [`fuse`]: lexical and dense scores, min-max normalized over each side's top and
//!   interpolated.
//!
//! The encoder is optional: without the model file, searches are lexical and the commands that
//! need it say how to get it (`fahras model fetch`).

pub mod dense;
pub mod fuse;
pub mod store;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

pub use fahras_embed::{Kind, DIM};

use crate::{Error, Result};

/// One passage or query vector (L2-normalized).
pub type Vector = [f32; DIM];

/// What turns texts into vectors. The model implements it; tests use a small deterministic one.
pub trait Encoder: Send + Sync {
    /// Names the weights and every setting that changes the vectors: vectors made under another
    /// identity are never compared with this encoder's.
    fn identity(&self) -> String;
    /// Tokens of a passage that are read (the rest is cut).
    fn max_tokens(&self) -> usize;
    fn embed(&self, texts: &[&str], kind: Kind, threads: usize) -> Vec<Vector>;
}

impl Encoder for fahras_embed::Model {
    fn identity(&self) -> String {
        fahras_embed::Model::identity(self)
    }
    fn max_tokens(&self) -> usize {
        fahras_embed::Model::max_tokens(self)
    }
    fn embed(&self, texts: &[&str], kind: Kind, threads: usize) -> Vec<Vector> {
        fahras_embed::Model::embed(self, texts, kind, threads)
    }
}

/// Which ranking answers a search.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// BM25 over the analyzed words (always available).
    Lexical,
    /// Nearest passages by meaning only: the top passages, nothing counted beyond them.
    Semantic,
    /// Both rankings' top passages, normalized and fused.
    Hybrid,
}

impl std::str::FromStr for Mode {
    type Err = String;
    fn from_str(text: &str) -> std::result::Result<Self, String> {
        match text.trim().to_ascii_lowercase().as_str() {
            "lexical" => Ok(Mode::Lexical),
            "semantic" => Ok(Mode::Semantic),
            "hybrid" => Ok(Mode::Hybrid),
            other => Err(format!(
                "must be lexical, semantic or hybrid, not {other:?}"
            )),
        }
    }
}

impl std::fmt::Display for Mode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Mode::Lexical => "lexical",
            Mode::Semantic => "semantic",
            Mode::Hybrid => "hybrid",
        })
    }
}

/// The passages each side of a hybrid search contributes, and the dense side's size in
/// semantic mode.
pub const SIDE_DEPTH: usize = 100;

/// Passage tokens embedded by default: a news passage of 80–200 words is 150–400 tokens; the cap
/// keeps embedding an archive within hours on two cores (measured: `docs/relevance.md`).
pub const DEFAULT_MAX_TOKENS: usize = 256;

/// Where the model file is looked for: `FAHRAS_MODEL` (the file), else the folder
/// `FAHRAS_MODEL_DIR`, else `$XDG_CACHE_HOME/fahras/models`, else `~/.cache/fahras/models`.
pub fn model_path() -> PathBuf {
    if let Some(file) = std::env::var_os("FAHRAS_MODEL").filter(|v| !v.is_empty()) {
        return PathBuf::from(file);
    }
    model_dir().join(fahras_embed::MODEL_FILE)
}

/// The folder `fahras model fetch` fills by default (see [`model_path`]).
pub fn model_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("FAHRAS_MODEL_DIR").filter(|v| !v.is_empty()) {
        return PathBuf::from(dir);
    }
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".cache")))
        .unwrap_or_else(std::env::temp_dir);
    cache.join("fahras").join("models")
}

/// The error for a missing model file.
pub fn missing_model(path: &Path) -> Error {
    Error::ModelMissing(path.to_path_buf())
}

/// Loads the model at `path` with a passage cap of `max_tokens`.
pub fn load_model(path: &Path, max_tokens: usize) -> Result<fahras_embed::Model> {
    if !path.is_file() {
        return Err(missing_model(path));
    }
    fahras_embed::Model::load(path)
        .map(|model| model.with_max_tokens(max_tokens))
        .map_err(|e| Error::BadSetting(format!("{}: {e}", path.display())))
}

/// The encoder a search may use, loaded on first use (a process loads the model once however
/// many searches it runs) with the passage cap the index's vectors were made with.
#[derive(Clone)]
pub struct EncoderSlot {
    source: Source,
    loaded: Arc<Mutex<Option<Loaded>>>,
}

/// A model loaded from its file, with the passage cap it was loaded with.
type Loaded = (usize, Arc<dyn Encoder>);

#[derive(Clone)]
enum Source {
    File(PathBuf),
    /// An encoder given as it is (tests).
    Given(Arc<dyn Encoder>),
}

impl EncoderSlot {
    /// The model file at `path` (see [`model_path`]).
    pub fn file(path: PathBuf) -> EncoderSlot {
        EncoderSlot {
            source: Source::File(path),
            loaded: Default::default(),
        }
    }

    /// An encoder already made.
    pub fn given(encoder: Arc<dyn Encoder>) -> EncoderSlot {
        EncoderSlot {
            source: Source::Given(encoder),
            loaded: Default::default(),
        }
    }

    /// Whether an encoder can be had without loading anything that is not there.
    pub fn available(&self) -> bool {
        match &self.source {
            Source::File(path) => path.is_file(),
            Source::Given(_) => true,
        }
    }

    /// The encoder, with passages capped at `max_tokens`.
    pub fn get(&self, max_tokens: usize) -> Result<Arc<dyn Encoder>> {
        match &self.source {
            Source::Given(encoder) => Ok(Arc::clone(encoder)),
            Source::File(path) => {
                let mut loaded = self.loaded.lock().unwrap_or_else(|e| e.into_inner());
                if let Some((cap, encoder)) = loaded.as_ref() {
                    if *cap == max_tokens {
                        return Ok(Arc::clone(encoder));
                    }
                }
                let encoder: Arc<dyn Encoder> = Arc::new(load_model(path, max_tokens)?);
                *loaded = Some((max_tokens, Arc::clone(&encoder)));
                Ok(encoder)
            }
        }
    }
}

/// The text of a passage that is embedded: its article's title, then the passage (the title
/// tells a passage in the middle of an article what the article is about).
pub fn passage_text(title: &str, text: &str) -> String {
    let title = title.trim();
    if title.is_empty() {
        text.to_owned()
    } else {
        format!("{title}\n{text}")
    }
}

/// The words a query searches for, as one text to embed: its words and phrases, in order,
/// without operators, filters or excluded parts.
pub fn meaning_text(nodes: &[crate::search::query::Node]) -> String {
    use crate::search::query::Node;
    fn walk(node: &Node, out: &mut Vec<String>) {
        match node {
            Node::Word { text, .. } | Node::Phrase { text, .. } => out.push(text.clone()),
            Node::Not(_) => {}
            Node::Or(nodes) | Node::Group(nodes) => nodes.iter().for_each(|n| walk(n, out)),
        }
    }
    let mut words = Vec::new();
    nodes.iter().for_each(|n| walk(n, &mut words));
    words.join(" ")
}

/// Dot product of two unit vectors: their cosine. Eight running sums, so that the compiler
/// keeps them in vector registers (one sum would be a chain of dependent additions: the scan of
/// an archive's vectors is most of a semantic query's time).
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    let mut sums = [0f32; 8];
    let (a_blocks, b_blocks) = (a.chunks_exact(8), b.chunks_exact(8));
    let tail: f32 = a_blocks
        .remainder()
        .iter()
        .zip(b_blocks.remainder())
        .map(|(x, y)| x * y)
        .sum();
    for (x, y) in a_blocks.zip(b_blocks) {
        for lane in 0..8 {
            sums[lane] += x[lane] * y[lane];
        }
    }
    sums.iter().sum::<f32>() + tail
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cosine_is_the_dot_product_whatever_the_length() {
        for len in [0, 1, 7, 8, 9, 384] {
            let a: Vec<f32> = (0..len).map(|i| (i as f32 * 0.37).sin()).collect();
            let b: Vec<f32> = (0..len).map(|i| (i as f32 * 0.11).cos()).collect();
            let plain: f32 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
            assert!((cosine(&a, &b) - plain).abs() < 1e-4, "{len}");
        }
    }
}
