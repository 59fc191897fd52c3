//! BM25 length normalization as a ranking setting.
//!
//! tantivy's scorer fixes k1 = 1.2 and b = 0.75, but it reads the average field length from a
//! statistics provider. Scaling that average by c turns the term-frequency denominator
//! k1·(1 − b + b·len/avg) into 0.3 + (0.9/c)·len/avg, which is BM25 with
//! b' = 0.9 / (0.3·c + 0.9) and k1' = 0.3 / (1 − b'): the family of (k1, b) with
//! k1·(1 − b) = 0.3, chosen by b. (The overall factor stays tantivy's 1 + 1.2, the same for every
//! term, so it does not change the order.) Keeping tantivy's own term scorer keeps its fast
//! unions (and its block-max bounds, should pruning ever pay: see `tiered`'s
//! `for_each_pruning`).

use tantivy::query::Bm25StatisticsProvider;
use tantivy::schema::Field;
use tantivy::{Searcher, Term};

/// tantivy's b.
pub const TANTIVY_B: f32 = 0.75;
/// tantivy's k1·(1 − b), which every `b` here keeps.
const K1_TIMES_ONE_MINUS_B: f32 = 1.2 * (1.0 - TANTIVY_B);

/// The k1 that goes with `b` (k1·(1 − b) stays tantivy's 0.3).
pub fn k1_for(b: f32) -> f32 {
    K1_TIMES_ONE_MINUS_B / (1.0 - b)
}

/// BM25's length normalization `b`, checked: above 0 (0 would need an infinite average
/// length) and below 1.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Bm25B(f32);

impl Bm25B {
    /// tantivy's own b.
    pub const TANTIVY: Bm25B = Bm25B(TANTIVY_B);

    pub fn new(b: f32) -> Result<Bm25B, String> {
        if b > 0.0 && b < 1.0 {
            Ok(Bm25B(b))
        } else {
            Err(format!(
                "must be between 0 and 1, exclusive (BM25 b), not {b}"
            ))
        }
    }

    pub fn get(self) -> f32 {
        self.0
    }
}

/// Where document frequencies come from (a memo, or the searcher itself).
pub type DocFreq<'a> = Box<dyn Fn(&Term) -> tantivy::Result<u64> + 'a>;

/// Collection statistics with the average field length scaled so that tantivy's BM25 scores
/// with length normalization `b` (see the module comment).
/// Document frequencies come from `doc_freq`, which may remember them across queries (a term's
/// frequency costs a term-dictionary lookup in every segment).
pub struct LengthNormalization<'a> {
    searcher: &'a Searcher,
    scale: f64,
    doc_freq: DocFreq<'a>,
}

impl<'a> LengthNormalization<'a> {
    pub fn new(searcher: &'a Searcher, b: Bm25B, doc_freq: DocFreq<'a>) -> Self {
        let b = f64::from(b.get());
        // b' = 0.9 / (0.3·c + 0.9)  ⇔  c = 3·(1 − b') / b'
        let scale = 3.0 * (1.0 - b) / b;
        LengthNormalization {
            searcher,
            scale,
            doc_freq,
        }
    }
}

impl Bm25StatisticsProvider for LengthNormalization<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        let tokens = Bm25StatisticsProvider::total_num_tokens(self.searcher, field)?;
        Ok(((tokens as f64) * self.scale).round().max(1.0) as u64)
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        Bm25StatisticsProvider::total_num_docs(self.searcher)
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        (self.doc_freq)(term)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tantivys_own_b_keeps_its_k1_and_scale() {
        assert!((k1_for(TANTIVY_B) - 1.2).abs() < 1e-6);
        let b = 0.75f64;
        assert!((3.0 * (1.0 - b) / b - 1.0).abs() < 1e-9);
    }

    #[test]
    fn scaled_average_gives_the_requested_b() {
        // With the average scaled by c, tantivy's denominator 1.2·(0.25 + 0.75·len/(c·avg))
        // must equal k1'·(1 − b' + b'·len/avg) for every len.
        for b in [0.3f32, 0.4, 0.5, 0.6, 0.75, 0.9] {
            let c = 3.0 * (1.0 - b) / b;
            let k1 = k1_for(b);
            for ratio in [0.0f32, 0.5, 1.0, 2.0, 7.0] {
                let tantivy = 1.2 * (0.25 + 0.75 * ratio / c);
                let wanted = k1 * (1.0 - b + b * ratio);
                assert!((tantivy - wanted).abs() < 1e-4, "b {b} ratio {ratio}");
            }
        }
    }

    #[test]
    fn b_outside_the_open_interval_is_refused() {
        assert!(Bm25B::new(0.0).is_err());
        assert!(Bm25B::new(1.0).is_err());
        assert!(Bm25B::new(f32::NAN).is_err());
        assert!(Bm25B::new(0.4).is_ok());
    }
}
