//! From a parsed query to a tantivy query, the terms to highlight and the variants used.
//!
//! Ranking: BM25 over the exact and stemmed fields of text and title, an exact match weighing
//! more than a stemmed one, spelling variants slightly less than the word typed. Plain words are
//! combined as "all if possible, else any": passages containing every positive part of the query
//! rank ahead of those containing some (a constant bonus on the conjunction), and among each
//! tier BM25 decides.

use std::collections::BTreeMap;
use std::ops::Bound;

use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, Occur, PhraseQuery, Query,
    RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Term};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DateTime, Searcher};

use super::highlight::HighlightTerms;
use super::query::{self, Node};
use super::variants;
use super::SearchRequest;
use crate::analysis;
use crate::index::Fields;

/// Weight of a match on the exact (unstemmed) field, relative to the stemmed field.
pub const EXACT_WEIGHT: f32 = 1.5;
/// Weight of title fields relative to text fields (titles repeat on every passage).
pub const TITLE_WEIGHT: f32 = 0.5;
/// Weight of a spelling variant relative to the word typed.
pub const VARIANT_WEIGHT: f32 = 0.8;
/// Added to passages that contain every positive part of the query.
pub const ALL_WORDS_BONUS: f32 = 1000.0;
/// At most this many index terms for one `word*`.
pub const MAX_PREFIX_TERMS: usize = 64;

/// Which fields plain words and phrases are searched in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSelection {
    pub title: bool,
    pub text: bool,
}

impl Default for FieldSelection {
    fn default() -> Self {
        FieldSelection {
            title: true,
            text: true,
        }
    }
}

impl FieldSelection {
    /// Parses `title,text` style lists.
    pub fn parse(list: &str) -> Result<FieldSelection, String> {
        let mut selection = FieldSelection {
            title: false,
            text: false,
        };
        for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            match name {
                "title" => selection.title = true,
                "text" | "body" => selection.text = true,
                other => return Err(format!("unknown field {other:?} in --fields (title, text)")),
            }
        }
        if !selection.title && !selection.text {
            return Err("--fields needs at least one of title, text".to_owned());
        }
        Ok(selection)
    }
}

/// A query ready to run.
pub struct BuiltQuery {
    /// `None` when there is nothing to search for.
    pub query: Option<Box<dyn Query>>,
    pub highlight: HighlightTerms,
    pub variants: BTreeMap<String, BTreeMap<String, u64>>,
    pub notes: Vec<String>,
}

struct Builder<'a> {
    fields: &'a Fields,
    searcher: &'a Searcher,
    exact: &'a mut TextAnalyzer,
    stem: &'a mut TextAnalyzer,
    selection: FieldSelection,
    use_variants: bool,
    highlight: HighlightTerms,
    variants: BTreeMap<String, BTreeMap<String, u64>>,
    notes: Vec<String>,
}

/// Builds the query for `request`.
pub fn build(
    request: &SearchRequest,
    fields: &Fields,
    searcher: &Searcher,
    exact: &mut TextAnalyzer,
    stem: &mut TextAnalyzer,
) -> BuiltQuery {
    let parsed = query::parse(&request.query);
    let mut builder = Builder {
        fields,
        searcher,
        exact,
        stem,
        selection: request.fields,
        use_variants: !request.exact,
        highlight: HighlightTerms::default(),
        variants: BTreeMap::new(),
        notes: parsed.notes,
    };
    let mut positives: Vec<Box<dyn Query>> = Vec::new();
    let mut negatives: Vec<Box<dyn Query>> = Vec::new();
    let mut filters: Vec<Box<dyn Query>> = Vec::new();
    let mut sources: Vec<String> = request.sources.clone();
    let mut date_range = (request.from, request.to);
    for node in &parsed.nodes {
        match node {
            Node::Source(name) => sources.push(name.clone()),
            Node::DateRange(from, to) => {
                // Several date filters intersect.
                date_range.0 = max_option(date_range.0, *from);
                date_range.1 = min_option(date_range.1, *to);
            }
            Node::Not(inner) => {
                // Excluded words are not highlighted.
                let saved = std::mem::take(&mut builder.highlight);
                let use_variants = std::mem::replace(&mut builder.use_variants, false);
                if let Some(q) = builder.node(inner) {
                    negatives.push(q);
                }
                builder.use_variants = use_variants;
                builder.highlight = saved;
            }
            other => {
                if let Some(q) = builder.node(other) {
                    positives.push(q);
                }
            }
        }
    }
    if !sources.is_empty() {
        let clauses: Vec<(Occur, Box<dyn Query>)> = sources
            .iter()
            .map(|name| {
                let term = Term::from_field_text(fields.source, &name.to_lowercase());
                (
                    Occur::Should,
                    Box::new(TermQuery::new(term, IndexRecordOption::Basic)) as Box<dyn Query>,
                )
            })
            .collect();
        filters.push(Box::new(BooleanQuery::new(clauses)));
    }
    if date_range.0.is_some() || date_range.1.is_some() {
        let bound = |d: Option<time::OffsetDateTime>, inclusive: bool| match d {
            Some(d) => {
                let term = Term::from_field_date(fields.date, DateTime::from_utc(d));
                if inclusive {
                    Bound::Included(term)
                } else {
                    Bound::Excluded(term)
                }
            }
            None => Bound::Unbounded,
        };
        filters.push(Box::new(RangeQuery::new(
            bound(date_range.0, true),
            bound(date_range.1, false),
        )));
    }
    let had_content = !positives.is_empty() || !negatives.is_empty() || !filters.is_empty();
    let query = if had_content {
        Some(combine(positives, negatives, filters))
    } else {
        None
    };
    BuiltQuery {
        query,
        highlight: builder.highlight,
        variants: builder.variants,
        notes: builder.notes,
    }
}

fn max_option<T: Ord>(a: Option<T>, b: Option<T>) -> Option<T> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

fn min_option<T: Ord>(a: Option<T>, b: Option<T>) -> Option<T> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Positives as "all if possible, else any", minus negatives, within filters.
fn combine(
    positives: Vec<Box<dyn Query>>,
    negatives: Vec<Box<dyn Query>>,
    filters: Vec<Box<dyn Query>>,
) -> Box<dyn Query> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    match positives.len() {
        0 => clauses.push((
            Occur::Must,
            Box::new(ConstScoreQuery::new(Box::new(AllQuery), 1.0)),
        )),
        1 => clauses.push((Occur::Must, positives.into_iter().next().expect("one"))),
        _ => {
            let all: Vec<(Occur, Box<dyn Query>)> = positives
                .iter()
                .map(|q| (Occur::Must, q.box_clone()))
                .collect();
            let any: Vec<(Occur, Box<dyn Query>)> =
                positives.into_iter().map(|q| (Occur::Should, q)).collect();
            clauses.push((Occur::Must, Box::new(BooleanQuery::new(any))));
            clauses.push((
                Occur::Should,
                Box::new(ConstScoreQuery::new(
                    Box::new(BooleanQuery::new(all)),
                    ALL_WORDS_BONUS,
                )),
            ));
        }
    }
    for negative in negatives {
        clauses.push((Occur::MustNot, negative));
    }
    for filter in filters {
        clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(filter, 0.0))));
    }
    Box::new(BooleanQuery::new(clauses))
}

fn term_query(field: Field, text: &str, boost: f32) -> Box<dyn Query> {
    let query = TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    );
    if (boost - 1.0).abs() < f32::EPSILON {
        Box::new(query)
    } else {
        Box::new(BoostQuery::new(Box::new(query), boost))
    }
}

fn phrase_query(field: Field, terms: &[String], boost: f32) -> Box<dyn Query> {
    if terms.len() == 1 {
        return term_query(field, &terms[0], boost);
    }
    let terms: Vec<Term> = terms
        .iter()
        .map(|t| Term::from_field_text(field, t))
        .collect();
    Box::new(BoostQuery::new(Box::new(PhraseQuery::new(terms)), boost))
}

fn should(clauses: Vec<Box<dyn Query>>) -> Option<Box<dyn Query>> {
    match clauses.len() {
        0 => None,
        1 => clauses.into_iter().next(),
        _ => Some(Box::new(BooleanQuery::new(
            clauses.into_iter().map(|q| (Occur::Should, q)).collect(),
        ))),
    }
}

impl Builder<'_> {
    fn node(&mut self, node: &Node) -> Option<Box<dyn Query>> {
        match node {
            Node::Word {
                text,
                prefix: true,
                title_only,
            } => self.prefix(text, *title_only),
            Node::Word {
                text, title_only, ..
            } => self.word(text, *title_only),
            Node::Phrase { text, title_only } => self.phrase(text, *title_only),
            Node::Or(children) => should(children.iter().filter_map(|c| self.node(c)).collect()),
            Node::Group(children) => {
                let clauses: Vec<(Occur, Box<dyn Query>)> = children
                    .iter()
                    .filter_map(|c| match c {
                        Node::Not(inner) => self.node(inner).map(|q| (Occur::MustNot, q)),
                        other => self.node(other).map(|q| (Occur::Must, q)),
                    })
                    .collect();
                if clauses.iter().all(|(occur, _)| *occur == Occur::MustNot) {
                    return None;
                }
                Some(Box::new(BooleanQuery::new(clauses)))
            }
            Node::Not(inner) => {
                // A negation inside an OR: "anything but"; rare, read as the excluded word.
                self.notes.push("'-' inside OR ignored".to_owned());
                self.node(inner)
            }
            Node::Source(_) | Node::DateRange(..) => {
                self.notes
                    .push("filters inside parentheses or OR apply to the whole query".to_owned());
                None
            }
        }
    }

    fn text_fields(&self, title_only: bool) -> (Vec<(Field, Field, f32)>, bool) {
        let mut pairs = Vec::new();
        if self.selection.text && !title_only {
            pairs.push((self.fields.text, self.fields.text_stem, 1.0));
        }
        if self.selection.title || title_only {
            let weight = if title_only { 1.0 } else { TITLE_WEIGHT };
            pairs.push((self.fields.title, self.fields.title_stem, weight));
        }
        (pairs, title_only)
    }

    fn word(&mut self, word: &str, title_only: bool) -> Option<Box<dyn Query>> {
        let exact_terms = analysis::query_terms(self.exact, word);
        let stem_terms = analysis::query_terms(self.stem, word);
        if exact_terms.is_empty() {
            return None;
        }
        let (pairs, _) = self.text_fields(title_only);
        let mut clauses: Vec<Box<dyn Query>> = Vec::new();
        for &(exact_field, stem_field, weight) in &pairs {
            clauses.push(phrase_query(
                exact_field,
                &exact_terms,
                EXACT_WEIGHT * weight,
            ));
            clauses.push(phrase_query(stem_field, &stem_terms, weight));
        }
        self.highlight.exact.extend(exact_terms.iter().cloned());
        self.highlight.stem.extend(stem_terms.iter().cloned());
        if self.use_variants && exact_terms.len() == 1 {
            let found = variants::find_variants(self.searcher, self.fields.text, &exact_terms[0]);
            for variant in &found {
                let variant_stems = analysis::query_terms(self.stem, &variant.term);
                for &(exact_field, stem_field, weight) in &pairs {
                    clauses.push(term_query(
                        exact_field,
                        &variant.term,
                        EXACT_WEIGHT * weight * VARIANT_WEIGHT,
                    ));
                    clauses.push(phrase_query(
                        stem_field,
                        &variant_stems,
                        weight * VARIANT_WEIGHT,
                    ));
                }
                self.highlight.exact.insert(variant.term.clone());
                self.highlight.stem.extend(variant_stems);
                self.variants
                    .entry(word.to_owned())
                    .or_default()
                    .insert(variant.term.clone(), variant.passages);
            }
        }
        should(clauses)
    }

    fn phrase(&mut self, text: &str, title_only: bool) -> Option<Box<dyn Query>> {
        let terms = analysis::query_terms(self.exact, text);
        if terms.is_empty() {
            return None;
        }
        let (pairs, _) = self.text_fields(title_only);
        let clauses: Vec<Box<dyn Query>> = pairs
            .iter()
            .map(|&(exact_field, _, weight)| {
                phrase_query(exact_field, &terms, EXACT_WEIGHT * weight)
            })
            .collect();
        self.highlight.exact.extend(terms);
        should(clauses)
    }

    /// `word*`: the most frequent exact terms that start with the normalized prefix.
    fn prefix(&mut self, text: &str, title_only: bool) -> Option<Box<dyn Query>> {
        let terms = analysis::query_terms(self.exact, text);
        let prefix = terms.last()?;
        let expansions = self.prefix_terms(self.fields.text, prefix);
        if expansions.is_empty() {
            return Some(Box::new(EmptyQuery));
        }
        let (pairs, _) = self.text_fields(title_only);
        let mut clauses: Vec<Box<dyn Query>> = Vec::new();
        for term in &expansions {
            for &(exact_field, _, weight) in &pairs {
                clauses.push(term_query(exact_field, term, EXACT_WEIGHT * weight));
            }
        }
        self.highlight.exact.extend(expansions);
        should(clauses)
    }

    fn prefix_terms(&self, field: Field, prefix: &str) -> Vec<String> {
        let mut counts: BTreeMap<String, u64> = BTreeMap::new();
        for segment in self.searcher.segment_readers() {
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
                    *counts.entry(term.to_owned()).or_default() +=
                        u64::from(stream.value().doc_freq);
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
}
