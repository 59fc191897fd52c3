//! The passages nearest a query vector: a scan of every segment's matrix (brute force: 72k
//! passages × 384 dimensions is ~28 M multiply-adds, a few milliseconds; see the README for the
//! size up to which that holds), within the passages a search's filters admit.

use std::collections::HashMap;
use std::sync::Arc;

use tantivy::query::{
    BitSetDocSet, ConstScorer, EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight,
};
use tantivy::{DocAddress, DocId, DocSet, Score, SegmentReader, TERMINATED};

use super::cosine;
use super::store::IndexVectors;

/// The `k` live passages nearest `query`, best first, among those `admitted` matches (every
/// passage when `None`: a search without filters or exclusions).
pub fn nearest(
    searcher: &tantivy::Searcher,
    vectors: &IndexVectors,
    query: &[f32],
    admitted: Option<&dyn Query>,
    k: usize,
) -> tantivy::Result<Vec<(f32, DocAddress)>> {
    let weight = match admitted {
        Some(query) => Some(query.weight(EnableScoring::disabled_from_searcher(searcher))?),
        None => None,
    };
    let mut scored: Vec<(f32, DocAddress)> = Vec::new();
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        let Some(Some(matrix)) = vectors.segments.get(ord) else {
            continue;
        };
        let alive = segment.alive_bitset();
        let mut visit = |doc: DocId| {
            if alive.is_some_and(|a| !a.is_alive(doc)) {
                return;
            }
            if let Some(row) = matrix.row(doc) {
                scored.push((cosine(row, query), DocAddress::new(ord as u32, doc)));
            }
        };
        match &weight {
            None => (0..segment.max_doc()).for_each(&mut visit),
            Some(weight) => {
                let mut scorer = weight.scorer(segment, 1.0)?;
                let mut doc = scorer.doc();
                while doc != TERMINATED {
                    visit(doc);
                    doc = scorer.advance();
                }
            }
        }
    }
    let best_first = |a: &(f32, DocAddress), b: &(f32, DocAddress)| {
        b.0.total_cmp(&a.0)
            .then(a.1.segment_ord.cmp(&b.1.segment_ord))
            .then(a.1.doc_id.cmp(&b.1.doc_id))
    };
    if scored.len() > k && k > 0 {
        scored.select_nth_unstable_by(k - 1, best_first);
    }
    scored.truncate(k);
    scored.sort_by(best_first);
    Ok(scored)
}

/// A query matching a fixed set of passages, each scoring `score`: what the dense side found,
/// for the counts and date order that run as queries.
#[derive(Clone, Debug)]
pub struct PassageSet {
    /// Sorted document ids by segment id.
    docs: Arc<HashMap<tantivy::index::SegmentId, Vec<DocId>>>,
}

impl PassageSet {
    pub fn new(searcher: &tantivy::Searcher, passages: &[(f32, DocAddress)]) -> PassageSet {
        let mut docs: HashMap<tantivy::index::SegmentId, Vec<DocId>> = HashMap::new();
        for (_, address) in passages {
            let segment = searcher.segment_reader(address.segment_ord).segment_id();
            docs.entry(segment).or_default().push(address.doc_id);
        }
        for list in docs.values_mut() {
            list.sort_unstable();
            list.dedup();
        }
        PassageSet {
            docs: Arc::new(docs),
        }
    }
}

impl Query for PassageSet {
    fn weight(&self, _: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(self.clone()))
    }
}

impl Weight for PassageSet {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let Some(docs) = self.docs.get(&reader.segment_id()) else {
            return Ok(Box::new(EmptyScorer));
        };
        let mut set = tantivy::BitSet::with_max_value(reader.max_doc().max(1));
        for &doc in docs.iter().filter(|&&d| d < reader.max_doc()) {
            set.insert(doc);
        }
        Ok(Box::new(ConstScorer::new(BitSetDocSet::from(set), boost)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let found = self
            .docs
            .get(&reader.segment_id())
            .is_some_and(|docs| docs.binary_search(&doc).is_ok());
        if !found {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} is not among the nearest passages"
            )));
        }
        Ok(Explanation::new("among the nearest passages", 1.0))
    }
}
