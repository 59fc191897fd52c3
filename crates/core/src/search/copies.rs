//! Copies of an article in the index (near-duplicates by MinHash signature), for grouping search
//! results and for the `fahras duplicates` report.

use std::collections::HashMap;

use serde::Serialize;
use tantivy::schema::{IndexRecordOption, Term};
use tantivy::{DocAddress, DocSet, Searcher, TERMINATED};

use crate::index::dedup::{self, Signature};
use crate::index::schema::names;
use crate::index::Fields;
use crate::Result;

/// Another article that is a copy of a hit's article.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Copy {
    pub article_id: String,
    pub source: String,
    pub similarity: f64,
}

/// Most candidates examined per article (a wire story in hundreds of outlets is still one group).
const MAX_CANDIDATES: usize = 500;

/// Reads fast columns of first passages: signature, article id, source.
pub struct SignatureReader<'a> {
    searcher: &'a Searcher,
    columns: HashMap<u32, Columns>,
}

struct Columns {
    minhash: Option<tantivy::columnar::BytesColumn>,
    article_id: Option<tantivy::columnar::StrColumn>,
    source: Option<tantivy::columnar::StrColumn>,
}

impl<'a> SignatureReader<'a> {
    pub fn new(searcher: &'a Searcher) -> Self {
        SignatureReader {
            searcher,
            columns: HashMap::new(),
        }
    }

    fn columns(&mut self, segment: u32) -> &Columns {
        let searcher = self.searcher;
        self.columns.entry(segment).or_insert_with(|| {
            let fast = searcher.segment_reader(segment).fast_fields();
            Columns {
                minhash: fast.bytes(names::MINHASH).ok().flatten(),
                article_id: fast.str(names::ARTICLE_ID).ok().flatten(),
                source: fast.str(names::SOURCE).ok().flatten(),
            }
        })
    }

    /// The signature stored on the passage at `address`, if it has one (first passages do).
    pub fn signature(&mut self, address: DocAddress) -> Option<Signature> {
        let columns = self.columns(address.segment_ord);
        let column = columns.minhash.as_ref()?;
        let ord = column.term_ords(address.doc_id).next()?;
        let mut bytes = Vec::new();
        column.ord_to_bytes(ord, &mut bytes).ok()?;
        dedup::from_bytes(&bytes)
    }

    /// Article id and source of the passage at `address`.
    pub fn identity(&mut self, address: DocAddress) -> (String, String) {
        (self.article_id(address), self.source(address))
    }

    /// Article id of the passage at `address` (empty when the column lacks it).
    pub fn article_id(&mut self, address: DocAddress) -> String {
        let columns = self.columns(address.segment_ord);
        read_str(&columns.article_id, address)
    }

    fn source(&mut self, address: DocAddress) -> String {
        let columns = self.columns(address.segment_ord);
        read_str(&columns.source, address)
    }
}

fn read_str(column: &Option<tantivy::columnar::StrColumn>, address: DocAddress) -> String {
    let mut text = String::new();
    if let Some(column) = column {
        if let Some(ord) = column.term_ords(address.doc_id).next() {
            if column.ord_to_str(ord, &mut text).is_err() {
                text.clear();
            }
        }
    }
    text
}

/// The copies of an article with `signature` (other than `article_id` itself), most similar
/// first.
pub fn copies_of(
    searcher: &Searcher,
    reader: &mut SignatureReader,
    fields: &Fields,
    article_id: &str,
    signature: &Signature,
) -> Result<Vec<Copy>> {
    // Candidates: every first passage sharing a band. The band postings are read directly (no
    // scoring, no collection statistics): most bands hold the article alone, and this runs for
    // every displayed hit.
    let bands = dedup::band_terms(signature);
    let mut candidates: Vec<DocAddress> = Vec::new();
    'segments: for (segment_ord, segment) in searcher.segment_readers().iter().enumerate() {
        let inverted = segment.inverted_index(fields.dup_band)?;
        let alive = segment.alive_bitset();
        for band in &bands {
            let term = Term::from_field_text(fields.dup_band, band);
            let postings = inverted
                .read_postings(&term, IndexRecordOption::Basic)
                .map_err(tantivy::TantivyError::from)?;
            let Some(mut postings) = postings else {
                continue;
            };
            let mut doc = postings.doc();
            while doc != TERMINATED {
                if alive.is_none_or(|alive| alive.is_alive(doc)) {
                    let address = DocAddress::new(segment_ord as u32, doc);
                    if !candidates.contains(&address) {
                        candidates.push(address);
                        if candidates.len() >= MAX_CANDIDATES {
                            break 'segments;
                        }
                    }
                }
                doc = postings.advance();
            }
        }
    }
    let mut copies = Vec::new();
    for address in candidates {
        let Some(other) = reader.signature(address) else {
            continue;
        };
        let similarity = dedup::similarity(signature, &other);
        if similarity < dedup::COPY_THRESHOLD {
            continue;
        }
        let (id, source) = reader.identity(address);
        if id != article_id && !copies.iter().any(|c: &Copy| c.article_id == id) {
            copies.push(Copy {
                article_id: id,
                source,
                similarity,
            });
        }
    }
    copies.sort_by(|a, b| {
        b.similarity
            .total_cmp(&a.similarity)
            .then_with(|| a.article_id.cmp(&b.article_id))
    });
    Ok(copies)
}
