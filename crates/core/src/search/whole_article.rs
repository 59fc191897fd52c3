//! Whole-article evidence for ranking articles (issue 16): an article about a subject repeats
//! its words throughout, while a passage that mentions the subject once can score as well as
//! that article's best passage. Following the passage-retrieval literature (Callan 1994,
//! "document and best passage"), an article scores its best passage plus a weight times BM25
//! over the article as written: its title once and its text, the query words' frequencies
//! summed over its passages, normalized by the article's length against the average article's.
//!
//! Nothing is indexed for it. The index holds passages, and an article's passages are
//! consecutive documents of one segment (the indexer hands them to tantivy as one batch; see
//! `articles`), so the frequencies are read from each term's postings, seeking forward once per
//! segment through the few candidate articles, and the lengths from the field norms. Document
//! frequencies are counted in passages, the index's own unit (counting articles instead, by
//! walking whole postings lists, moved the four judged sets by 0.001 or less).
//!
//! Only the articles of the best [`DEPTH`] passages of a ranking are rescored (each of their
//! passages by the same bonus), whatever page is asked for, so that every page of a search
//! orders articles the same way: the evidence only adds, so a rescored article never falls
//! below one left as it was. Where the passage at the depth ties with the next ones, which of
//! them are in follows tantivy's order of ties (document order); no such tie was seen on ANT.
//! Phrases and prefixes are not counted (a phrase's words apart are not the phrase): a query
//! without plain words ranks as without the evidence.

use std::collections::HashMap;
use std::sync::Arc;

use tantivy::postings::Postings;
use tantivy::query::Bm25StatisticsProvider;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{
    DocAddress, DocId, DocSet, Score, Searcher, SegmentOrdinal, SegmentReader, Term, TERMINATED,
};

use super::articles::{ArticleKey, ArticleTable};
use super::bm25::{k1_for, Bm25B};
use super::tiered::TieredScore;

/// Passages of a ranking whose articles are rescored. The judged sets' top-10 measures are the
/// same from 50 to 400; deeper only costs time.
pub const DEPTH: usize = 100;

/// One query word as the article evidence counts it: the stemmed terms that stand for it (its
/// stem, its spelling variants' and other readings' stems), each with the weight the passage
/// query gives it. Its frequency in an article is the weighted sum of theirs, and its idf that
/// of all of them together, as the passage query scores the spellings of one word.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ArticleWord {
    pub stems: Vec<(String, f32)>,
}

/// The fields an article is read from: the stemmed text of every passage and, when titles are
/// searched, the stemmed title of one (every passage carries its article's title).
#[derive(Debug, Clone, Copy)]
pub struct ArticleFields {
    pub text: Field,
    pub title: Option<Field>,
}

/// A candidate article's documents, `[start, end)`, in one segment.
#[derive(Debug, Clone, Copy)]
struct Span {
    ord: u64,
    start: DocId,
    end: DocId,
}

/// What the scores are computed from besides the postings: each segment's article table, and
/// document frequencies (remembered by the engine for its index generation).
pub struct Statistics<'a> {
    pub tables: &'a HashMap<SegmentOrdinal, Arc<ArticleTable>>,
    pub doc_freq: &'a dyn Fn(&Term) -> u64,
}

/// How much an article's whole-article BM25 lifts each of its passages.
#[derive(Debug, Clone, Copy)]
pub struct Lift {
    /// The BM25 is multiplied by this.
    pub weight: f32,
    /// The query ranks in tiers ("all words first"): the lift is added to a passage's
    /// relevance within its tier, never carrying it into the tier above.
    pub has_tiers: bool,
}

/// `passages` (best first) rescored by the articles of the first [`DEPTH`]: each passage of
/// those articles scores its own score plus the `lift` of its article's whole-article BM25
/// for `words` (every passage of an article the same bonus, so their order and the gaps between
/// them stay, unless the bonus takes them to their tier's ceiling, where they tie), sorted
/// again (ties keep their order).
pub fn rescore(
    searcher: &Searcher,
    fields: ArticleFields,
    words: &[ArticleWord],
    b: Bm25B,
    lift: Lift,
    statistics: Statistics<'_>,
    passages: &[(Score, DocAddress)],
) -> tantivy::Result<Vec<(Score, DocAddress)>> {
    let depth = passages.len().min(DEPTH);
    let tables = statistics.tables;
    let scores = article_scores(searcher, fields, words, b, &statistics, &passages[..depth])?;
    let mut out = passages.to_vec();
    if scores.is_empty() {
        return Ok(out);
    }
    for (score, address) in &mut out {
        let bonus = tables
            .get(&address.segment_ord)
            .and_then(|table| table.article_of(address.doc_id))
            .and_then(|ord| scores.get(&(address.segment_ord, ord)))
            .copied()
            .unwrap_or(0.0);
        *score = TieredScore::raised(*score, lift.weight * bonus, lift.has_tiers);
    }
    out.sort_by(|a, b| b.0.total_cmp(&a.0));
    Ok(out)
}

/// The articles [`rescore`] rescores: those of the first [`DEPTH`] of `passages` (best first,
/// as the query scored them), sorted. The time prior lifts the same articles; read before the
/// evidence reorders the list, they do not depend on how many passages were fetched (the
/// evidence also lifts an article's passages below the depth, which a larger fetch holds and a
/// smaller one does not).
pub fn rescored_articles(
    passages: &[(Score, DocAddress)],
    tables: &HashMap<SegmentOrdinal, Arc<ArticleTable>>,
) -> Vec<ArticleKey> {
    let mut keys: Vec<ArticleKey> = passages[..passages.len().min(DEPTH)]
        .iter()
        .filter_map(|&(_, address)| {
            let table = tables.get(&address.segment_ord)?;
            Some((address.segment_ord, table.article_of(address.doc_id)?))
        })
        .collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// The whole-article BM25 score of every article that `passages` come from (absent: no query
/// word in it). Passages without an article are skipped.
fn article_scores(
    searcher: &Searcher,
    fields: ArticleFields,
    words: &[ArticleWord],
    b: Bm25B,
    statistics: &Statistics<'_>,
    passages: &[(Score, DocAddress)],
) -> tantivy::Result<HashMap<ArticleKey, Score>> {
    let tables = statistics.tables;
    let mut scores = HashMap::new();
    if words.is_empty() || passages.is_empty() {
        return Ok(scores);
    }
    let mut spans: HashMap<SegmentOrdinal, Vec<Span>> = HashMap::new();
    for &(_, address) in passages {
        let Some(table) = tables.get(&address.segment_ord) else {
            continue;
        };
        let Some(ord) = table.article_of(address.doc_id) else {
            continue;
        };
        let segment = spans.entry(address.segment_ord).or_default();
        if segment.iter().any(|span| span.ord == ord) {
            continue;
        }
        let (start, end) = table.documents_around(address.doc_id);
        segment.push(Span { ord, start, end });
    }
    // N as the passage scores count it (deleted passages included, as in the document
    // frequencies).
    let n = Bm25StatisticsProvider::total_num_docs(searcher)? as f64;
    let idfs: Vec<f64> = words
        .iter()
        .map(|word| {
            let df: u64 = word
                .stems
                .iter()
                .map(|(stem, _)| (statistics.doc_freq)(&Term::from_field_text(fields.text, stem)))
                .sum();
            let df = (df as f64).min(n);
            (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
        })
        .collect();
    let average = average_article_length(searcher, fields, tables)?;
    let b = f64::from(b.get());
    let k1 = f64::from(k1_for(b as f32));
    for (segment_ord, mut articles) in spans {
        articles.sort_by_key(|span| span.start);
        let reader = searcher.segment_reader(segment_ord);
        let mut frequencies = vec![vec![0f64; words.len()]; articles.len()];
        let mut lengths = vec![0f64; articles.len()];
        read_field(
            reader,
            fields.text,
            false,
            words,
            &articles,
            &mut frequencies,
            &mut lengths,
        )?;
        if let Some(title) = fields.title {
            read_field(
                reader,
                title,
                true,
                words,
                &articles,
                &mut frequencies,
                &mut lengths,
            )?;
        }
        for ((span, frequencies), length) in articles.iter().zip(frequencies).zip(lengths) {
            let norm = k1 * (1.0 - b + b * length / average);
            let score: f64 = frequencies
                .iter()
                .zip(&idfs)
                .filter(|(tf, _)| **tf > 0.0)
                .map(|(tf, idf)| idf * tf * (k1 + 1.0) / (tf + norm))
                .sum();
            if score > 0.0 {
                scores.insert((segment_ord, span.ord), score as Score);
            }
        }
    }
    Ok(scores)
}

/// Adds `field`'s weighted word frequencies and lengths of each article in `articles` (sorted by
/// start): over every live passage, or over its first live passage only when `once`.
fn read_field(
    reader: &SegmentReader,
    field: Field,
    once: bool,
    words: &[ArticleWord],
    articles: &[Span],
    frequencies: &mut [Vec<f64>],
    lengths: &mut [f64],
) -> tantivy::Result<()> {
    let alive = reader.alive_bitset();
    let is_alive = |doc: DocId| alive.is_none_or(|bits| bits.is_alive(doc));
    // The passages each article is read from.
    let read: Vec<(DocId, DocId)> = articles
        .iter()
        .map(|span| {
            let first = (span.start..span.end).find(|&doc| is_alive(doc));
            match (first, once) {
                (None, _) => (span.end, span.end),
                (Some(first), true) => (first, first + 1),
                (Some(first), false) => (first, span.end),
            }
        })
        .collect();
    let norms = reader.get_fieldnorms_reader(field)?;
    for (length, &(start, end)) in lengths.iter_mut().zip(&read) {
        *length += (start..end)
            .filter(|&doc| is_alive(doc))
            .map(|doc| f64::from(norms.fieldnorm(doc)))
            .sum::<f64>();
    }
    let inverted = reader.inverted_index(field)?;
    for (w, word) in words.iter().enumerate() {
        for (stem, weight) in &word.stems {
            let term = Term::from_field_text(field, stem);
            let Some(mut postings) = inverted.read_postings(&term, IndexRecordOption::WithFreqs)?
            else {
                continue;
            };
            for (a, &(start, end)) in read.iter().enumerate() {
                let mut doc = postings.doc();
                if doc < start {
                    doc = postings.seek(start);
                }
                while doc < end {
                    if is_alive(doc) {
                        frequencies[a][w] += f64::from(*weight) * f64::from(postings.term_freq());
                    }
                    doc = postings.advance();
                }
                if doc == TERMINATED {
                    break;
                }
            }
        }
    }
    Ok(())
}

/// Tokens per article over the whole index, title once (1 when empty): the text's tokens and
/// the title's divided by the passages, which all carry it, over the articles.
fn average_article_length(
    searcher: &Searcher,
    fields: ArticleFields,
    tables: &HashMap<SegmentOrdinal, Arc<ArticleTable>>,
) -> tantivy::Result<f64> {
    let mut text = 0u64;
    let mut titles = 0u64;
    let mut documents = 0u64;
    for reader in searcher.segment_readers() {
        text += reader.inverted_index(fields.text)?.total_num_tokens();
        if let Some(title) = fields.title {
            titles += reader.inverted_index(title)?.total_num_tokens();
        }
        documents += u64::from(reader.max_doc());
    }
    let articles = tables.values().map(|t| t.article_count()).sum::<usize>() as f64;
    if articles == 0.0 || documents == 0 {
        return Ok(1.0);
    }
    let per_passage_title = titles as f64 / documents as f64;
    Ok(((text as f64 + per_passage_title * articles) / articles).max(1.0))
}
