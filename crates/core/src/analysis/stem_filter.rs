//! Stemming of normalized terms: [`TermStemmer`] gives a term's stem readings with the
//! configured stemmer, and [`StemFilter`] applies it to a token stream.
//!
//! With the light stemmer a term can have several readings (see `light_stemmer`): the filter
//! emits them all at the term's position and offsets, the first reading first. Query building
//! relies on that order: it keeps only the first token of each position.

use std::sync::Arc;

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

use super::light_stemmer::{stem_readings_into, Readings};
use super::StemmerKind;

/// The stem readings of one normalized term under a stemmer; cheap to clone.
#[derive(Clone)]
pub struct TermStemmer {
    kind: StemmerKind,
    snowball: Option<Arc<rust_stemmers::Stemmer>>,
}

impl TermStemmer {
    pub fn new(kind: StemmerKind) -> Self {
        let snowball = (kind == StemmerKind::Snowball).then(|| {
            Arc::new(rust_stemmers::Stemmer::create(
                rust_stemmers::Algorithm::Arabic,
            ))
        });
        TermStemmer { kind, snowball }
    }

    /// Writes the readings of `term` into `readings` (the first is the one queries use).
    pub fn readings_into(&self, term: &str, readings: &mut Readings) {
        match (self.kind, &self.snowball) {
            (StemmerKind::Light, _) => stem_readings_into(term, readings),
            (StemmerKind::Snowball, Some(stemmer)) => {
                let stem = stemmer.stem(term);
                // Snowball can stem a term to nothing; keep the term then.
                readings.set_single(if stem.is_empty() { term } else { &stem });
            }
            _ => readings.set_single(term),
        }
    }
}

#[derive(Clone)]
pub struct StemFilter {
    kind: StemmerKind,
}

impl StemFilter {
    pub fn new(kind: StemmerKind) -> Self {
        StemFilter { kind }
    }
}

impl TokenFilter for StemFilter {
    type Tokenizer<T: Tokenizer> = StemFilterWrapper<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> StemFilterWrapper<T> {
        StemFilterWrapper {
            stemmer: TermStemmer::new(self.kind),
            readings: Readings::default(),
            inner: tokenizer,
        }
    }
}

#[derive(Clone)]
pub struct StemFilterWrapper<T> {
    stemmer: TermStemmer,
    readings: Readings,
    inner: T,
}

impl<T: Tokenizer> Tokenizer for StemFilterWrapper<T> {
    type TokenStream<'a> = StemFilterStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        StemFilterStream {
            stemmer: &self.stemmer,
            readings: &mut self.readings,
            // Nothing pending until the first term has been stemmed.
            next_reading: usize::MAX,
            tail: self.inner.token_stream(text),
        }
    }
}

pub struct StemFilterStream<'a, T> {
    stemmer: &'a TermStemmer,
    /// Readings of the current term still to emit, from `next_reading` on.
    readings: &'a mut Readings,
    next_reading: usize,
    tail: T,
}

impl<T: TokenStream> TokenStream for StemFilterStream<'_, T> {
    fn advance(&mut self) -> bool {
        if self.next_reading < self.readings.len() {
            let token = self.tail.token_mut();
            token.text.clear();
            token
                .text
                .push_str(&self.readings.as_slice()[self.next_reading]);
            self.next_reading += 1;
            return true;
        }
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        self.stemmer.readings_into(&token.text, self.readings);
        std::mem::swap(&mut token.text, self.readings.get_mut(0));
        self.next_reading = 1;
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}
