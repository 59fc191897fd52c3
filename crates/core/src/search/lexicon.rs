//! What the query builder asks of an index's vocabulary: the spellings a word has in it and the
//! terms a prefix stands for. A trait, so that the builder is a function of the parsed query,
//! the settings and a lexicon, and tests can give it a small one without an index.

use std::collections::BTreeMap;
use std::sync::Mutex;

use tantivy::schema::Field;
use tantivy::Searcher;

use super::variants::{self, Variant};
use super::Caches;
use crate::index::Fields;

/// At most this many index terms for one `word*`.
pub const MAX_PREFIX_TERMS: usize = 64;

/// An index's vocabulary, as the query builder sees it.
pub trait Lexicon {
    /// Other spellings of the exact (normalized) term `term` found in the index, with the
    /// passages holding each.
    fn variants(&self, term: &str) -> Vec<Variant>;
    /// The exact terms that start with `prefix`, most frequent first, at most
    /// [`MAX_PREFIX_TERMS`].
    fn prefix_expansions(&self, prefix: &str) -> Vec<String>;
}

/// The vocabulary of the index a searcher reads, variants remembered for its generation.
pub struct IndexLexicon<'a> {
    pub searcher: &'a Searcher,
    pub fields: &'a Fields,
    pub caches: &'a Mutex<Caches>,
}

impl Lexicon for IndexLexicon<'_> {
    fn variants(&self, term: &str) -> Vec<Variant> {
        let generation = self.searcher.generation().generation_id();
        let mut caches = self.caches.lock().unwrap_or_else(|e| e.into_inner());
        let caches = caches.for_generation(generation);
        if let Some(found) = caches.variants.get(term) {
            return found.clone();
        }
        let found = variants::find_variants(
            self.searcher,
            self.fields.text,
            self.fields.article_id,
            term,
        );
        caches.variants.insert(term.to_owned(), found.clone());
        found
    }

    fn prefix_expansions(&self, prefix: &str) -> Vec<String> {
        most_frequent_with_prefix(self.searcher, self.fields.text, prefix)
    }
}

/// The terms of `field` that start with `prefix`, by document frequency over all segments.
fn most_frequent_with_prefix(searcher: &Searcher, field: Field, prefix: &str) -> Vec<String> {
    let mut counts: BTreeMap<String, u64> = BTreeMap::new();
    for segment in searcher.segment_readers() {
        let Ok(inverted) = segment.inverted_index(field) else {
            continue;
        };
        let dictionary = inverted.terms();
        let Ok(mut stream) = dictionary.range().ge(prefix.as_bytes()).into_stream() else {
            continue;
        };
        while stream.advance() {
            let key = stream.key();
            if !key.starts_with(prefix.as_bytes()) {
                break;
            }
            if let Ok(term) = std::str::from_utf8(key) {
                *counts.entry(term.to_owned()).or_default() += u64::from(stream.value().doc_freq);
            }
        }
    }
    let mut by_freq: Vec<(String, u64)> = counts.into_iter().collect();
    by_freq.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    by_freq
        .into_iter()
        .take(MAX_PREFIX_TERMS)
        .map(|(t, _)| t)
        .collect()
}
