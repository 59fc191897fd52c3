//! What the query builder asks of an index's vocabulary: the spellings a word has in it and the
//! terms a prefix stands for. A trait, so that the builder is a function of the parsed query,
//! the settings and a lexicon, and tests can give it a small one without an index.

use std::collections::{BTreeMap, HashMap};
use std::hash::Hash;
use std::sync::Mutex;

use tantivy::schema::{Field, Term};
use tantivy::Searcher;

use super::ranking::is_query_stopword;
use super::transliteration;
use super::typos::{self, NearTerm};
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
    /// Passages whose `field` holds `term`.
    fn doc_freq(&self, field: Field, term: &str) -> u64;
    /// Passages in the index as BM25 counts them (its N).
    fn num_docs(&self) -> u64;
    /// The exact terms at most `edits` edits from the exact term `term` (see
    /// [`typos::near_terms`]).
    fn near_terms(&self, term: &str, edits: u8) -> Vec<NearTerm>;
    /// The Arabic forms of the Latin exact term `term` the index holds, with the passages
    /// holding each, likeliest first (see [`transliteration::transliterations`]).
    fn transliterations(&self, term: &str) -> Vec<Variant>;
}

/// The vocabulary of the index a searcher reads, variants remembered for its generation.
pub struct IndexLexicon<'a> {
    pub searcher: &'a Searcher,
    pub fields: &'a Fields,
    pub caches: &'a Mutex<Caches>,
}

impl Lexicon for IndexLexicon<'_> {
    fn variants(&self, term: &str) -> Vec<Variant> {
        // Weighing the evidence reads passages.
        self.remembered(
            |caches| &mut caches.variants,
            term.to_owned(),
            || variants::find_variants(self.searcher, self.fields, term),
        )
    }

    fn prefix_expansions(&self, prefix: &str) -> Vec<String> {
        most_frequent_with_prefix(self.searcher, self.fields.text, prefix)
    }

    fn num_docs(&self) -> u64 {
        // BM25's N as tantivy counts it (deleted documents included, as in document
        // frequencies), so that boosts computed from it match tantivy's idf.
        tantivy::query::Bm25StatisticsProvider::total_num_docs(self.searcher)
            .unwrap_or_else(|_| self.searcher.num_docs())
    }

    fn doc_freq(&self, field: Field, term: &str) -> u64 {
        let term = Term::from_field_text(field, term);
        let generation = self.searcher.generation().generation_id();
        let mut caches = self.caches.lock().unwrap_or_else(|e| e.into_inner());
        let caches = caches.for_generation(generation);
        if let Some(&known) = caches.doc_freqs.get(&term) {
            return known;
        }
        // An unreadable segment counts as holding nothing (the search itself reports it).
        let found = self.searcher.doc_freq(&term).unwrap_or(0);
        caches.doc_freqs.insert(term, found);
        found
    }

    fn near_terms(&self, term: &str, edits: u8) -> Vec<NearTerm> {
        self.remembered(
            |caches| &mut caches.near_terms,
            (term.to_owned(), edits),
            || typos::near_terms(self.searcher, self.fields.text, term, edits),
        )
    }

    fn transliterations(&self, term: &str) -> Vec<Variant> {
        self.remembered(
            |caches| &mut caches.transliterations,
            term.to_owned(),
            || self.arabic_forms(term),
        )
    }
}

impl IndexLexicon<'_> {
    /// The answer `compute` gives for `key`, remembered in the cache `pick` chooses for the
    /// searcher's index generation. `compute` runs without the lock, which every request's
    /// document frequencies go through: dictionary walks and passage reads take milliseconds.
    fn remembered<K, V>(
        &self,
        pick: impl Fn(&mut Caches) -> &mut HashMap<K, V>,
        key: K,
        compute: impl FnOnce() -> V,
    ) -> V
    where
        K: Eq + Hash,
        V: Clone,
    {
        let generation = self.searcher.generation().generation_id();
        {
            let mut caches = self.caches.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(found) = pick(caches.for_generation(generation)).get(&key) {
                return found.clone();
            }
        }
        let found = compute();
        let mut caches = self.caches.lock().unwrap_or_else(|e| e.into_inner());
        pick(caches.for_generation(generation)).insert(key, found.clone());
        found
    }

    /// The Arabic forms of the Latin exact term `term` (see [`transliteration`]) that are the
    /// name, with how the archive writes each and the articles holding it.
    fn arabic_forms(&self, term: &str) -> Vec<Variant> {
        let mut found = transliteration::transliterations(self.searcher, self.fields.text, term);
        // The likeliest form decides the name; another is kept only when it is that name: one
        // of its spelling variants by the archive's evidence (see `variants`), or it with the
        // article ال (Twitter is تويتر, not also توتر "tension").
        if let Some(best) = found.first().map(|form| form.term.clone()) {
            // A Latin word read likeliest as an Arabic particle (bein → بين "between") is no
            // name the archive writes in Arabic.
            if is_query_stopword(&best) {
                return Vec::new();
            }
            let spellings = self.variants(&best);
            let with_article = |a: &str, b: &str| a.strip_prefix("ال") == Some(b);
            found.retain(|form| {
                form.term == best
                    || spellings.iter().any(|v| v.term == form.term)
                    || with_article(&form.term, &best)
                    || with_article(&best, &form.term)
            });
        }
        for form in &mut found {
            form.written = variants::written_form(self.searcher, self.fields, &form.term);
            form.articles = variants::articles_with(self.searcher, self.fields, &form.term);
        }
        found
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
