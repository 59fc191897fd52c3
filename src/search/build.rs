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
use super::ranking::{is_query_stopword, Operator, Ranking};
use super::variants;
use super::SearchRequest;
use crate::analysis;
use crate::index::Fields;

/// Added to passages that contain every positive part of the query.
pub const ALL_WORDS_BONUS: f32 = 1000.0;
/// At most this many index terms for one `word*`.
pub const MAX_PREFIX_TERMS: usize = 64;
/// Queries with more positive parts than this rank as OR under "all, then any".
pub const MAX_TIERED_PARTS: usize = 4;
/// Words between two query words that still count as "close together".
pub const PROXIMITY_SLOP: u32 = 3;

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

/// A query ready to run, in parts so that feedback can extend it.
pub struct BuiltQuery {
    /// The positive part (words, phrases, groups); `None` when there is none.
    pub core: Option<Box<dyn Query>>,
    /// Optional score for lead passages.
    pub lead: Option<Box<dyn Query>>,
    pub negatives: Vec<Box<dyn Query>>,
    pub filters: Vec<Box<dyn Query>>,
    pub highlight: HighlightTerms,
    /// Stems of the positive plain words (feedback does not add them again).
    pub positive_stems: Vec<String>,
    pub variants: BTreeMap<String, BTreeMap<String, u64>>,
    pub notes: Vec<String>,
}

impl BuiltQuery {
    /// The whole query; `None` when there is nothing to search for.
    pub fn query(&self) -> Option<Box<dyn Query>> {
        self.assemble(None)
    }

    /// The whole query with `expansion` as an optional extra part of the positives.
    pub fn assemble(&self, expansion: Option<Box<dyn Query>>) -> Option<Box<dyn Query>> {
        if self.core.is_none() && self.negatives.is_empty() && self.filters.is_empty() {
            return None;
        }
        let positive: Box<dyn Query> = match (&self.core, expansion) {
            (Some(core), Some(expansion)) => Box::new(BooleanQuery::new(vec![
                (Occur::Should, core.box_clone()),
                (Occur::Should, expansion),
            ])),
            (Some(core), None) => core.box_clone(),
            (None, _) => Box::new(ConstScoreQuery::new(Box::new(AllQuery), 1.0)),
        };
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, positive)];
        if let (Some(lead), Some(_)) = (&self.lead, &self.core) {
            clauses.push((Occur::Should, lead.box_clone()));
        }
        for negative in &self.negatives {
            clauses.push((Occur::MustNot, negative.box_clone()));
        }
        for filter in &self.filters {
            clauses.push((
                Occur::Must,
                Box::new(ConstScoreQuery::new(filter.box_clone(), 0.0)),
            ));
        }
        Some(Box::new(BooleanQuery::new(clauses)))
    }
}

struct Builder<'a> {
    fields: &'a Fields,
    searcher: &'a Searcher,
    caches: &'a std::sync::Mutex<super::Caches>,
    exact: &'a mut TextAnalyzer,
    stem: &'a mut TextAnalyzer,
    selection: FieldSelection,
    ranking: Ranking,
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
    caches: &std::sync::Mutex<super::Caches>,
) -> BuiltQuery {
    let parsed = if request.plain {
        query::parse_plain(&request.query)
    } else {
        query::parse(&request.query)
    };
    let mut builder = Builder {
        fields,
        searcher,
        caches,
        exact,
        stem,
        selection: request.fields,
        ranking: request.ranking,
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
    let nodes = builder.without_stopwords(&parsed.nodes);
    // Stems of consecutive plain words, for the proximity boost and for feedback.
    let mut positive_stems: Vec<String> = Vec::new();
    for node in &nodes {
        if let Node::Word {
            text,
            prefix: false,
            ..
        } = node
        {
            positive_stems.extend(analysis::query_terms(builder.stem, text));
        }
    }
    for node in &nodes {
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
    for (field, names) in [
        (fields.source, &sources),
        (fields.collection, &request.collections),
        (fields.category, &request.categories),
    ] {
        if let Some(filter) = keyword_filter(field, names) {
            filters.push(filter);
        }
    }
    if date_range.0.is_some() || date_range.1.is_some() {
        let bound = |d: Option<time::OffsetDateTime>, inclusive: bool| match d {
            Some(d) => {
                // Dates filter by the source's own calendar day.
                let term = Term::from_field_date(fields.day, DateTime::from_utc(d));
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
    let proximity = builder.proximity(&positive_stems);
    let core = combine(positives, builder.ranking.operator, proximity);
    let lead = (builder.ranking.lead_boost > 0.0).then(|| {
        Box::new(ConstScoreQuery::new(
            Box::new(TermQuery::new(
                Term::from_field_u64(fields.passage, 0),
                IndexRecordOption::Basic,
            )),
            builder.ranking.lead_boost,
        )) as Box<dyn Query>
    });
    BuiltQuery {
        core,
        lead,
        negatives,
        filters,
        highlight: builder.highlight,
        positive_stems,
        variants: builder.variants,
        notes: builder.notes,
    }
}

/// Passages whose keyword `field` is any of `names` (case-insensitive).
fn keyword_filter(field: Field, names: &[String]) -> Option<Box<dyn Query>> {
    if names.is_empty() {
        return None;
    }
    let clauses: Vec<(Occur, Box<dyn Query>)> = names
        .iter()
        .map(|name| {
            let term = Term::from_field_text(field, &name.to_lowercase());
            (
                Occur::Should,
                Box::new(TermQuery::new(term, IndexRecordOption::Basic)) as Box<dyn Query>,
            )
        })
        .collect();
    Some(Box::new(BooleanQuery::new(clauses)))
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

/// Combines the positive parts with `operator`; `proximity` is an optional extra.
fn combine(
    positives: Vec<Box<dyn Query>>,
    operator: Operator,
    proximity: Option<Box<dyn Query>>,
) -> Option<Box<dyn Query>> {
    let core: Box<dyn Query> = match positives.len() {
        0 => return None,
        1 => positives.into_iter().next().expect("one"),
        n => {
            let all = || -> Box<dyn Query> {
                Box::new(BooleanQuery::new(
                    positives
                        .iter()
                        .map(|q| (Occur::Must, q.box_clone()))
                        .collect(),
                ))
            };
            let bonus =
                || -> Box<dyn Query> { Box::new(ConstScoreQuery::new(all(), ALL_WORDS_BONUS)) };
            let any = |minimum: usize| -> Box<dyn Query> {
                Box::new(BooleanQuery::with_minimum_required_clauses(
                    positives
                        .iter()
                        .map(|q| (Occur::Should, q.box_clone()))
                        .collect(),
                    minimum,
                ))
            };
            match operator {
                Operator::And => all(),
                // "All words first" ranks short queries the way users expect; for long ones
                // (questions, headlines) passages with every word are rare, the tier changes
                // little (docs/relevance.md) and it doubles the work, so they rank as OR.
                Operator::Or => any(1),
                Operator::AllThenAny if n > MAX_TIERED_PARTS => any(1),
                Operator::AllThenAny => Box::new(BooleanQuery::new(vec![
                    (Occur::Must, any(1)),
                    (Occur::Should, bonus()),
                ])),
                Operator::AllThenMost => Box::new(BooleanQuery::new(vec![
                    (Occur::Must, any(n.div_ceil(2))),
                    (Occur::Should, bonus()),
                ])),
            }
        }
    };
    Some(match proximity {
        Some(proximity) => Box::new(BooleanQuery::new(vec![
            (Occur::Must, core),
            (Occur::Should, proximity),
        ])),
        None => core,
    })
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
    /// The top-level nodes without stopwords (when that setting is on and something else is
    /// left to search for).
    fn without_stopwords(&mut self, nodes: &[Node]) -> Vec<Node> {
        if !self.ranking.drop_stopwords {
            return nodes.to_vec();
        }
        let is_stopword = |builder: &mut Self, node: &Node| match node {
            Node::Word {
                text,
                prefix: false,
                ..
            } => {
                let terms = analysis::query_terms(builder.exact, text);
                !terms.is_empty() && terms.iter().all(|t| is_query_stopword(t))
            }
            _ => false,
        };
        let flags: Vec<bool> = nodes.iter().map(|n| is_stopword(self, n)).collect();
        let has_content = nodes.iter().zip(&flags).any(|(n, &stop)| {
            !stop && !matches!(n, Node::Not(_) | Node::Source(_) | Node::DateRange(..))
        });
        if !has_content {
            return nodes.to_vec();
        }
        nodes
            .iter()
            .zip(flags)
            .filter(|(_, stop)| !stop)
            .map(|(n, _)| n.clone())
            .collect()
    }

    /// The spelling variants of `term`, from the cache when this index generation has seen it.
    fn variants_of(&self, term: &str) -> Vec<variants::Variant> {
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

    /// Pairs of consecutive query stems within [`PROXIMITY_SLOP`] words of each other.
    fn proximity(&self, stems: &[String]) -> Option<Box<dyn Query>> {
        if self.ranking.proximity_weight <= 0.0 || stems.len() < 2 || !self.selection.text {
            return None;
        }
        let pairs: Vec<Box<dyn Query>> = stems
            .windows(2)
            .filter(|pair| pair[0] != pair[1])
            .map(|pair| {
                let mut phrase = PhraseQuery::new(vec![
                    Term::from_field_text(self.fields.text_stem, &pair[0]),
                    Term::from_field_text(self.fields.text_stem, &pair[1]),
                ]);
                phrase.set_slop(PROXIMITY_SLOP);
                Box::new(BoostQuery::new(
                    Box::new(phrase),
                    self.ranking.proximity_weight,
                )) as Box<dyn Query>
            })
            .collect();
        should(pairs)
    }

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
            let weight = if title_only {
                1.0
            } else {
                self.ranking.title_weight
            };
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
                self.ranking.exact_weight * weight,
            ));
            clauses.push(phrase_query(stem_field, &stem_terms, weight));
        }
        if self.ranking.reading_weight > 0.0 {
            let readings = analysis::query_readings(self.stem, word);
            if let [single] = readings.as_slice() {
                for alternate in single.iter().skip(1).filter(|r| r.chars().count() >= 4) {
                    for &(_, stem_field, weight) in &pairs {
                        clauses.push(term_query(
                            stem_field,
                            alternate,
                            weight * self.ranking.reading_weight,
                        ));
                    }
                    self.highlight.stem.insert(alternate.clone());
                }
            }
        }
        self.highlight.exact.extend(exact_terms.iter().cloned());
        self.highlight.stem.extend(stem_terms.iter().cloned());
        if self.use_variants && exact_terms.len() == 1 {
            let found = self.variants_of(&exact_terms[0]);
            for variant in &found {
                let variant_stems = analysis::query_terms(self.stem, &variant.term);
                for &(exact_field, stem_field, weight) in &pairs {
                    clauses.push(term_query(
                        exact_field,
                        &variant.term,
                        self.ranking.exact_weight * weight * self.ranking.variant_weight,
                    ));
                    clauses.push(phrase_query(
                        stem_field,
                        &variant_stems,
                        weight * self.ranking.variant_weight,
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
                phrase_query(exact_field, &terms, self.ranking.exact_weight * weight)
            })
            .collect();
        // A phrase is marked where its words stand together, not word by word.
        if terms.len() > 1 {
            self.highlight.phrases.push(terms);
        } else {
            self.highlight.exact.extend(terms);
        }
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
                clauses.push(term_query(
                    exact_field,
                    term,
                    self.ranking.exact_weight * weight,
                ));
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
