//! From a parsed query to a tantivy query, the terms to highlight and the variants used.
//!
//! Ranking: BM25 over the exact and stemmed fields of text and title, an exact match weighing
//! more than a stemmed one, spelling variants slightly less than the word typed. Plain words are
//! combined as "all if possible, else any": passages containing every positive part of the query
//! rank ahead of those containing some (the all-words query decides the tier of a
//! [`super::tiered::TieredScore`]), and among each tier BM25 decides.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::ops::Bound;

use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, Occur, PhraseQuery, Query,
    RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Term};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::DateTime;

use super::articles::SegmentTables;
use super::flat::{self, FieldTerm};
use super::highlight::HighlightTerms;
use super::lexicon::Lexicon;
use super::notes::Note;
use super::query::{DateRange, Node, ParsedQuery, QueryFilters};
use super::ranking::{is_query_stopword, Operator, Ranking};
use super::settings::{SearchSettings, Spelling, Typos};
use super::tiered::Tiered;
use super::transliteration;
use super::typos::{self, Correction};
use super::variants::Variant;
use super::whole_article::ArticleWord;
use crate::analysis;
use crate::analysis::normalizer::is_arabic_letter;
use crate::index::Fields;

/// Other readings of a word that weigh under this share of its likeliest reading are not
/// searched (see `Builder::readings`).
const MIN_READING_SHARE: f32 = 0.01;
/// The share of a word's written forms in news Arabic that carry `letter` as a proclitic
/// (measured in ANT and SaudiNewsNet, 9 million words each, over words written at least 20
/// times: و 0.07–0.09, ب 0.03–0.04, ل 0.045–0.05, ف and ك 0.0015–0.003; before the article
/// the same or less). A language's statistic, not a fitted weight.
fn clitic_rate(letter: char) -> f32 {
    match letter {
        'و' => 0.08,
        'ب' => 0.035,
        'ل' => 0.047,
        'ف' => 0.002,
        'ك' => 0.0015,
        _ => 0.0,
    }
}

/// How often `letters`, one after the other, are all proclitics.
fn clitics_rate(letters: impl Iterator<Item = char>) -> f32 {
    letters.map(clitic_rate).product()
}

/// How far a word may take a clitic more often than the mean and still be read as clitic +
/// word (a noun coordinated in lists takes و far more often): a written form more frequent
/// than this many times what the clitic explains is a word of its own.
const CLITIC_RATE_MARGIN: f32 = 10.0;

/// The share of a written form's `passages` that readings explaining `explained` of them leave
/// to the form as a word of its own, even at [`CLITIC_RATE_MARGIN`] times the mean rate (none
/// when the form is never written).
fn unexplained(explained: f32, passages: f32) -> f32 {
    if passages <= 0.0 {
        return 0.0;
    }
    (1.0 - CLITIC_RATE_MARGIN * explained / passages).max(0.0)
}

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
    /// Parses `title,text` style lists (an error says what is wrong with the list).
    pub fn parse(list: &str) -> Result<FieldSelection, String> {
        let mut selection = FieldSelection {
            title: false,
            text: false,
        };
        for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            match name {
                "title" => selection.title = true,
                "text" | "body" => selection.text = true,
                other => return Err(format!("names an unknown field {other:?} (title, text)")),
            }
        }
        if !selection.title && !selection.text {
            return Err("needs at least one of title, text".to_owned());
        }
        Ok(selection)
    }
}

/// A query ready to run, in parts so that feedback can extend it.
pub struct BuiltQuery {
    /// The positive part (words, phrases, groups); `None` when there is none.
    pub core: Option<Box<dyn Query>>,
    /// The positive parts, when the passages of articles holding them all rank first.
    pub all_parts: Option<Vec<Box<dyn Query>>>,
    /// The segments' article tables (the leads, where each article's passages are).
    pub tables: SegmentTables,
    /// The lead prior: added to the score of each article's first passage the words match
    /// (`None`: off).
    pub lead_boost: Option<f32>,
    pub negatives: Vec<Box<dyn Query>>,
    pub filters: Vec<Box<dyn Query>>,
    pub highlight: HighlightTerms,
    /// Stems of the positive plain words (feedback does not add them again).
    pub positive_stems: Vec<String>,
    /// Positive parts (words, phrases, groups) after stopwords were dropped.
    pub positive_parts: usize,
    /// The positive plain words searched in the text, as whole-article evidence counts them.
    pub article_words: Vec<ArticleWord>,
    pub variants: BTreeMap<String, BTreeMap<String, u64>>,
    /// The same variants counted in articles.
    pub variant_articles: BTreeMap<String, BTreeMap<String, u64>>,
    /// Typed word → the index term it was probably meant to be (see [`typos`]).
    pub suggestions: BTreeMap<String, String>,
    /// The typed words that found nothing and whose suggestion was searched instead.
    pub searched_instead: BTreeSet<String>,
    pub notes: Vec<Note>,
}

impl BuiltQuery {
    /// Whether the passages of articles holding every positive part rank in a tier of their own.
    pub fn has_tiers(&self) -> bool {
        self.all_parts.is_some()
    }

    /// What the whole query adds to the score of every lead (first passage) it matches: the
    /// lead prior, when there is one and something to add it to (a query of filters alone scores
    /// every match the same).
    pub fn lead_bonus(&self) -> Option<f32> {
        self.core.as_ref().and(self.lead_boost)
    }

    /// What every passage must satisfy whatever it matches: the filters and the exclusions
    /// (`None` when there are none). The search by meaning looks only among these passages.
    pub fn restriction(&self) -> Option<Box<dyn Query>> {
        if self.negatives.is_empty() && self.filters.is_empty() {
            return None;
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, Box::new(AllQuery))];
        clauses.extend(self.filters.iter().map(|f| (Occur::Must, f.box_clone())));
        clauses.extend(
            self.negatives
                .iter()
                .map(|n| (Occur::MustNot, n.box_clone())),
        );
        Some(Box::new(BooleanQuery::new(clauses)))
    }

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
        // A union of optional words runs as one flat union of their terms (see `flat`).
        let positive = match flat::flatten(positive.as_ref()) {
            Some(union) => Box::new(union),
            None => positive,
        };
        // The lead prior is added to the passages the rest matches (not a clause of its own, so
        // that a query of optional words alone stays one flat union).
        let tiered = |scored: Box<dyn Query>| -> Box<dyn Query> {
            Box::new(Tiered {
                scored,
                all_parts: self
                    .all_parts
                    .as_ref()
                    .map(|parts| parts.iter().map(|part| part.box_clone()).collect()),
                lead_boost: self.lead_bonus(),
                tables: self.tables.clone(),
            })
        };
        if self.negatives.is_empty() && self.filters.is_empty() {
            return Some(tiered(positive));
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, positive)];
        for negative in &self.negatives {
            clauses.push((Occur::MustNot, negative.box_clone()));
        }
        for filter in &self.filters {
            clauses.push((
                Occur::Must,
                Box::new(ConstScoreQuery::new(filter.box_clone(), 0.0)),
            ));
        }
        Some(tiered(Box::new(BooleanQuery::new(clauses))))
    }
}

/// The analyzers a query's words go through: the exact and the stemmed fields'.
pub struct Analyzers<'a> {
    pub exact: &'a mut TextAnalyzer,
    pub stem: &'a mut TextAnalyzer,
}

/// Whether a part of the query is searched for or excluded: an excluded word is neither
/// expanded to its variants nor highlighted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Polarity {
    Wanted,
    Excluded,
}

/// One spelling of a word scored as that word (see `Builder::one_word_clauses`): its exact
/// term, its stems, and its weights relative to the word typed.
struct WordForm {
    term: String,
    stems: Vec<String>,
    exact_weight: f32,
    stem_weight: f32,
}

struct Builder<'a> {
    fields: &'a Fields,
    lexicon: &'a dyn Lexicon,
    analyzers: Analyzers<'a>,
    selection: FieldSelection,
    ranking: Ranking,
    use_variants: bool,
    /// Whether a word that finds nothing gets a suggestion (not with `--exact`)…
    suggest_typos: bool,
    /// …and is searched as it (not for exports and collections: see [`Typos`]).
    search_corrections: bool,
    highlight: HighlightTerms,
    variants: BTreeMap<String, BTreeMap<String, u64>>,
    variant_articles: BTreeMap<String, BTreeMap<String, u64>>,
    /// The lexicon's variants of each exact term asked about (a word is weighed for typos and
    /// then searched: the lexicon is asked once).
    known_variants: HashMap<String, Vec<Variant>>,
    suggestions: BTreeMap<String, String>,
    searched_instead: BTreeSet<String>,
    notes: Vec<Note>,
    article_words: Vec<ArticleWord>,
}

/// Builds the query for `parsed` with `settings`' fields, ranking and filters; the lead prior
/// (`settings`' lead boost) adds its score to each article's first passage among those the words
/// match, found in `tables`, which also say which passages make an article for the all-words
/// tier. Everything the index contributes comes through `lexicon`.
pub fn build(
    parsed: &ParsedQuery,
    settings: &SearchSettings,
    tables: SegmentTables,
    fields: &Fields,
    analyzers: Analyzers,
    lexicon: &dyn Lexicon,
) -> BuiltQuery {
    let mut builder = Builder {
        fields,
        lexicon,
        analyzers,
        selection: settings.fields,
        ranking: settings.ranking,
        use_variants: settings.spelling == Spelling::WithVariants,
        suggest_typos: settings.spelling == Spelling::WithVariants,
        search_corrections: settings.typos == Typos::Corrected,
        highlight: HighlightTerms::default(),
        variants: BTreeMap::new(),
        variant_articles: BTreeMap::new(),
        known_variants: HashMap::new(),
        suggestions: BTreeMap::new(),
        searched_instead: BTreeSet::new(),
        notes: parsed.notes.clone(),
        article_words: Vec::new(),
    };
    let nodes = builder.without_stopwords(&parsed.nodes);
    let mut positives: Vec<Box<dyn Query>> = Vec::new();
    let mut negatives: Vec<Box<dyn Query>> = excluded_filters(fields, &parsed.filters);
    for node in &nodes {
        match node {
            Node::Not(inner) => negatives.extend(builder.node(inner, Polarity::Excluded)),
            other => positives.extend(builder.node(other, Polarity::Wanted)),
        }
    }
    // Terms and stems of consecutive plain words (as searched: a word that found nothing by
    // its suggestion): the terms for the proximity boost, the stems for feedback.
    let mut positive_terms: Vec<String> = Vec::new();
    let mut positive_stems: Vec<String> = Vec::new();
    for node in &nodes {
        if let Node::Word {
            text,
            prefix: false,
            ..
        } = node
        {
            let searched = match builder.suggestions.get(text) {
                Some(suggestion) if builder.searched_instead.contains(text) => suggestion,
                _ => text,
            };
            positive_terms.extend(analysis::query_terms(builder.analyzers.exact, searched));
            // Every reading, so that feedback does not offer a query word's own as new.
            positive_stems.extend(
                analysis::query_readings(builder.analyzers.stem, searched)
                    .into_iter()
                    .flatten(),
            );
        }
    }
    let proximity = builder.proximity(&positive_terms);
    let positive_parts = positives.len();
    let (core, all_parts) = combine(positives, builder.ranking.operator, proximity);
    let lead_boost = Some(settings.articles.lead_boost).filter(|&boost| boost > 0.0);
    if let (Some(from), Some(to)) = date_range(settings, &parsed.filters) {
        if from >= to {
            builder.notes.push(Note::DatesDoNotOverlap);
        }
    }
    BuiltQuery {
        core,
        all_parts,
        tables,
        lead_boost,
        negatives,
        filters: filters(fields, settings, &parsed.filters),
        highlight: builder.highlight,
        positive_stems,
        positive_parts,
        article_words: builder.article_words,
        variants: builder.variants,
        variant_articles: builder.variant_articles,
        suggestions: builder.suggestions,
        searched_instead: builder.searched_instead,
        notes: builder.notes,
    }
}

/// The settings' filters and the query's own, as queries that every passage must match. The
/// collections are left to [`collection_filter`]: curated membership lives outside the index.
fn filters(
    fields: &Fields,
    settings: &SearchSettings,
    in_query: &QueryFilters,
) -> Vec<Box<dyn Query>> {
    let mut filters = Vec::new();
    let sources: Vec<String> = settings
        .sources
        .iter()
        .chain(&in_query.sources)
        .cloned()
        .collect();
    for (field, names) in [
        (fields.source, &sources),
        (fields.category, &settings.categories),
    ] {
        if let Some(filter) = keyword_filter(field, names) {
            filters.push(filter);
        }
    }
    let range = date_range(settings, in_query);
    if range.0.is_some() || range.1.is_some() {
        filters.push(date_filter(fields, range));
    }
    if !in_query.any_dates.is_empty() {
        let any: Vec<Box<dyn Query>> = in_query
            .any_dates
            .iter()
            .map(|&range| date_filter(fields, range))
            .collect();
        filters.extend(should(any));
    }
    filters
}

/// Passages of articles filed under one of `names` at index time, or chosen by hand into one
/// (`curated`: their ids); `None` when no collection is asked for.
pub fn collection_filter(
    fields: &Fields,
    names: &[String],
    curated: &[String],
) -> Option<Box<dyn Query>> {
    let filed = keyword_filter(fields.collection, names)?;
    if curated.is_empty() {
        return Some(filed);
    }
    Some(Box::new(BooleanQuery::new(vec![
        (Occur::Should, filed),
        (Occur::Should, ids_filter(fields, curated)),
    ])))
}

/// Passages of the articles `ids` (none when there are none).
pub fn ids_filter(fields: &Fields, ids: &[String]) -> Box<dyn Query> {
    Box::new(tantivy::query::TermSetQuery::new(
        ids.iter()
            .map(|id| Term::from_field_text(fields.article_id, id)),
    ))
}

/// Passages of the source's own calendar days in `range`.
fn date_filter(fields: &Fields, (from, to): DateRange) -> Box<dyn Query> {
    let bound = |d: Option<time::OffsetDateTime>, inclusive: bool| match d {
        Some(d) => {
            let term = Term::from_field_date(fields.day, DateTime::from_utc(d));
            if inclusive {
                Bound::Included(term)
            } else {
                Bound::Excluded(term)
            }
        }
        None => Bound::Unbounded,
    };
    if from.is_none() && to.is_none() {
        // tantivy refuses a range without bounds; one that bounds nothing holds every passage.
        return Box::new(AllQuery);
    }
    Box::new(RangeQuery::new(bound(from, true), bound(to, false)))
}

/// What `-source:` and `-date:` exclude.
fn excluded_filters(fields: &Fields, in_query: &QueryFilters) -> Vec<Box<dyn Query>> {
    let mut excluded: Vec<Box<dyn Query>> = in_query
        .not_dates
        .iter()
        .map(|&range| date_filter(fields, range))
        .collect();
    excluded.extend(keyword_filter(fields.source, &in_query.not_sources));
    excluded
}

/// The dates the settings and the query's `date:` allow: several ranges intersect.
fn date_range(settings: &SearchSettings, in_query: &QueryFilters) -> DateRange {
    in_query
        .dates
        .iter()
        .fold((settings.from, settings.to), |(from, to), &(f, t)| {
            (max_option(from, f), min_option(to, t))
        })
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

/// The parts that decide a passage's tier: its article must match each (`None`: one tier).
type AllWords = Option<Vec<Box<dyn Query>>>;

/// Combines the positive parts with `operator`; `proximity` is an optional extra. Also gives
/// the parts that decide the tier (see `tiered`), under the operators that rank the articles
/// holding them all first.
fn combine(
    positives: Vec<Box<dyn Query>>,
    operator: Operator,
    proximity: Option<Box<dyn Query>>,
) -> (Option<Box<dyn Query>>, AllWords) {
    let n = positives.len();
    if n == 0 {
        return (None, None);
    }
    let all = || -> Box<dyn Query> {
        Box::new(BooleanQuery::new(
            positives
                .iter()
                .map(|q| (Occur::Must, q.box_clone()))
                .collect(),
        ))
    };
    let any = |minimum: usize| -> Box<dyn Query> {
        Box::new(BooleanQuery::with_minimum_required_clauses(
            positives
                .iter()
                .map(|q| (Occur::Should, q.box_clone()))
                .collect(),
            minimum,
        ))
    };
    let parts = || -> AllWords { Some(positives.iter().map(|q| q.box_clone()).collect()) };
    let (core, all_parts): (Box<dyn Query>, _) = match operator {
        _ if n == 1 => (positives[0].box_clone(), None),
        Operator::And => (all(), None),
        // "All words first" ranks short queries the way users expect; for long ones
        // (questions, headlines) passages with every word are rare, the tier changes little
        // (docs/relevance.md) and it doubles the work, so they rank as OR.
        Operator::Or => (any(1), None),
        Operator::AllThenAny if n > MAX_TIERED_PARTS => (any(1), None),
        Operator::AllThenAny => (any(1), parts()),
        Operator::AllThenMost => (any(n.div_ceil(2)), parts()),
    };
    let core = match proximity {
        Some(proximity) => Box::new(BooleanQuery::new(vec![
            (Occur::Must, core),
            (Occur::Should, proximity),
        ])),
        None => core,
    };
    (Some(core), all_parts)
}

fn term_query(field: Field, text: &str, boost: f32) -> Box<dyn Query> {
    Box::new(FieldTerm {
        term: Term::from_field_text(field, text),
        boost,
    })
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

/// A word that analyzes into several stems (`كوفيد-19`, `U.S.`) on a stemmed field: every stem,
/// anywhere in the passage (the stemmed fields keep no positions; the exact field's phrase
/// clause beside it rewards them adjacent).
fn all_stems_query(field: Field, stems: &[String], boost: f32) -> Box<dyn Query> {
    if stems.len() == 1 {
        return term_query(field, &stems[0], boost);
    }
    let clauses = stems
        .iter()
        .map(|stem| (Occur::Must, term_query(field, stem, 1.0)))
        .collect();
    Box::new(BoostQuery::new(Box::new(BooleanQuery::new(clauses)), boost))
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
                let terms = analysis::query_terms(builder.analyzers.exact, text);
                !terms.is_empty() && terms.iter().all(|t| is_query_stopword(t))
            }
            _ => false,
        };
        let flags: Vec<bool> = nodes.iter().map(|n| is_stopword(self, n)).collect();
        let has_content = nodes
            .iter()
            .zip(&flags)
            .any(|(n, &stop)| !stop && !matches!(n, Node::Not(_)));
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

    /// Pairs of consecutive query words within [`PROXIMITY_SLOP`] words of each other, as
    /// written (the exact field: the stemmed fields keep no positions).
    fn proximity(&self, terms: &[String]) -> Option<Box<dyn Query>> {
        if self.ranking.proximity_weight <= 0.0 || terms.len() < 2 || !self.selection.text {
            return None;
        }
        let pairs: Vec<Box<dyn Query>> = terms
            .windows(2)
            .filter(|pair| pair[0] != pair[1])
            .map(|pair| {
                let mut phrase = PhraseQuery::new(vec![
                    Term::from_field_text(self.fields.text, &pair[0]),
                    Term::from_field_text(self.fields.text, &pair[1]),
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

    fn node(&mut self, node: &Node, polarity: Polarity) -> Option<Box<dyn Query>> {
        match node {
            Node::Word {
                text,
                prefix: true,
                title_only,
            } => self.prefix(text, *title_only, polarity),
            Node::Word {
                text, title_only, ..
            } => self.word(text, *title_only, polarity),
            Node::Phrase { text, title_only } => self.phrase(text, *title_only, polarity),
            Node::Or(children) => should(
                children
                    .iter()
                    .filter_map(|c| self.node(c, polarity))
                    .collect(),
            ),
            Node::Group(children) => {
                let clauses: Vec<(Occur, Box<dyn Query>)> = children
                    .iter()
                    .filter_map(|c| match c {
                        Node::Not(inner) => self
                            .node(inner, Polarity::Excluded)
                            .map(|q| (Occur::MustNot, q)),
                        other => self.node(other, polarity).map(|q| (Occur::Must, q)),
                    })
                    .collect();
                if clauses.iter().all(|(occur, _)| *occur == Occur::MustNot) {
                    return None;
                }
                Some(Box::new(BooleanQuery::new(clauses)))
            }
            Node::Not(inner) => {
                // A negation inside an OR: "anything but"; rare, read as the excluded word.
                self.notes.push(Note::ExclusionInsideOr);
                self.node(inner, polarity)
            }
        }
    }

    fn text_fields(&self, title_only: bool) -> Vec<(Field, Field, f32)> {
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
        pairs
    }

    /// A plain word: searched as typed, or, when it finds nothing in the index and a term a typo
    /// away does, as that term (and either way a suggestion is noted when there is one). An
    /// excluded word is corrected the same way: `-خاشوقجي` excludes خاشقجي, which is what it
    /// means (a word the archive lacks excludes nothing).
    fn word(&mut self, word: &str, title_only: bool, polarity: Polarity) -> Option<Box<dyn Query>> {
        if self.suggest_typos {
            if let Some(correction) = self.correction(word, title_only) {
                self.suggestions
                    .insert(word.to_owned(), correction.term.clone());
                if correction.searched_instead && self.search_corrections {
                    self.searched_instead.insert(word.to_owned());
                    return self.spelled_word(&correction.term, title_only, polarity);
                }
            }
        }
        self.spelled_word(word, title_only, polarity)
    }

    /// How a word whose first letters may be a proclitic (لدرعا: ل + درعا, or one word) is read:
    /// the factor for its first reading (the whole word, the stemmer's choice) and its other
    /// readings (of at least four letters, or three after the article: فالكون as ف + الكون),
    /// each with its factor. Every spelling of the word has its readings. A reading weighs by
    /// how many of the typed word's passages it explains: the passages that write the word
    /// without those letters (the exact field: the stemmed field holds every reading of every
    /// word, so it cannot tell) times how often news Arabic attaches them (`clitic_rate`). The
    /// whole word weighs what is left unexplained even at `CLITIC_RATE_MARGIN` times that rate,
    /// and the likelier weighs 1: لدرعا is "to Daraa" (درعا is written in 381 ANT passages, and
    /// 4.7% of them explain all 9 لدرعا), لبنان is Lebanon (بنان is never written alone), بوتين
    /// is not و + تين (وتين: once), and فالكون (40 passages) is not ف + الكون (76 passages, 0.2%
    /// of them explain 0.15), so no spelling of a name gets a bonus the others lack and a name
    /// does not find a common word.
    fn readings(&mut self, word: &str, variants: &[Variant]) -> (f32, Vec<(String, f32)>) {
        if self.ranking.reading_weight <= 0.0 {
            return (1.0, Vec::new());
        }
        let Some(typed) = analysis::query_terms(self.analyzers.exact, word)
            .first()
            .cloned()
        else {
            return (1.0, Vec::new());
        };
        let field = self.fields.text;
        // Each other reading with the written form it stands for (the spelling without its
        // first one or two letters) and how often those letters are a clitic.
        let mut alternates: Vec<(String, String, f32)> = Vec::new();
        let spellings =
            std::iter::once(typed.clone()).chain(variants.iter().map(|v| v.term.clone()));
        for spelling in spellings {
            let readings = analysis::query_readings(self.analyzers.stem, &spelling);
            let [single] = readings.as_slice() else {
                continue;
            };
            for alternate in single.iter().skip(1) {
                if alternates.iter().any(|(a, _, _)| a == alternate) {
                    continue;
                }
                let written = (1..=2).find_map(|drop| {
                    let rest: String = spelling.chars().skip(drop).collect();
                    let stems = analysis::query_terms(self.analyzers.stem, &rest);
                    (stems.first() == Some(alternate))
                        .then(|| (rest, clitics_rate(spelling.chars().take(drop))))
                });
                // A bare remainder of three letters is too often a word by accident (فهم: هم);
                // the article before a stem of three (فالكون: الكون) is a word wherever it is
                // written, but not ال and a letter (بالي, Bali, is no ب + الي, إلى).
                if let Some((written, rate)) = written.filter(|(written, _)| {
                    alternate.chars().count() >= 4
                        || written.strip_prefix("ال").is_some_and(|stem| {
                            stem.chars().count() >= analysis::light_stemmer::MIN_STEM_CHARS
                        })
                }) {
                    alternates.push((alternate.clone(), written, rate));
                }
            }
        }
        if alternates.is_empty() {
            return (1.0, Vec::new());
        }
        let typed_df = self.lexicon.doc_freq(field, &typed) as f32;
        // How many of the typed word's passages each reading explains: the remainder's own
        // passages times the share of a word's uses that carry the dropped letters.
        let written_dfs: Vec<f32> = alternates
            .iter()
            .map(|(_, written, _)| self.lexicon.doc_freq(field, written) as f32)
            .collect();
        let explained: Vec<f32> = alternates
            .iter()
            .zip(&written_dfs)
            .map(|((_, _, rate), df)| rate * df)
            .collect();
        let most_explained = explained.iter().copied().fold(0.0, f32::max);
        if typed_df <= 0.0 && most_explained <= 0.0 {
            return self.readings_by_stems(word, alternates);
        }
        // A reading weighs the share of the typed word's passages it explains, up to all of
        // them; the whole word weighs what the readings leave unexplained even at
        // CLITIC_RATE_MARGIN times the mean rate. The likelier weighs 1.
        let whole = unexplained(most_explained, typed_df);
        let mut shares: Vec<f32> = if typed_df <= 0.0 {
            explained.iter().map(|&e| f32::from(e > 0.0)).collect()
        } else {
            explained.iter().map(|&e| (e / typed_df).min(1.0)).collect()
        };
        // A reading that is itself clitics and a word (وبالقانون read as و + بالقانون, where
        // بالقانون is ب + القانون) weighs only what the deeper reading leaves of it, by the
        // same rule: otherwise both would score the same letters.
        for ((_, outer, _), (share, &outer_df)) in
            alternates.iter().zip(shares.iter_mut().zip(&written_dfs))
        {
            let deeper_explains = alternates
                .iter()
                .zip(&written_dfs)
                .filter_map(|((_, inner, _), &inner_df)| {
                    let letters = outer.strip_suffix(inner.as_str())?;
                    (!letters.is_empty()).then(|| clitics_rate(letters.chars()) * inner_df)
                })
                .fold(0.0, f32::max);
            if deeper_explains > 0.0 {
                *share *= unexplained(deeper_explains, outer_df);
            }
        }
        let most = shares.iter().copied().fold(whole, f32::max);
        let factors = alternates
            .into_iter()
            .zip(shares)
            .map(|((alternate, _, _), share)| (alternate, share / most))
            .collect();
        (whole / most, factors)
    }

    /// The readings of a word the archive writes in none of its forms (بالأذى where neither it
    /// nor الأذى is written, only والأذى): each weighs by the passages its stem is found in, so a
    /// reading that finds nothing is not searched in place of one that does.
    fn readings_by_stems(
        &mut self,
        word: &str,
        alternates: Vec<(String, String, f32)>,
    ) -> (f32, Vec<(String, f32)>) {
        let field = self.fields.text_stem;
        let first = analysis::query_terms(self.analyzers.stem, word);
        let first_df = match first.as_slice() {
            [stem] => self.lexicon.doc_freq(field, stem) as f32,
            _ => 0.0,
        };
        let dfs: Vec<f32> = alternates
            .iter()
            .map(|(alternate, _, _)| self.lexicon.doc_freq(field, alternate) as f32)
            .collect();
        let most = dfs.iter().copied().fold(first_df, f32::max);
        if most <= 0.0 {
            return (1.0, Vec::new());
        }
        let factors = alternates
            .into_iter()
            .zip(dfs)
            .map(|((alternate, _, _), df)| (alternate, df / most))
            .collect();
        (first_df / most, factors)
    }

    /// Notes a wanted word for whole-article evidence: the stemmed-field terms the passage query
    /// searches for it, at the same weights (a word of several stems counts each as a word).
    fn count_in_articles(
        &mut self,
        stems: &[String],
        primary_factor: f32,
        variant_stems: &[Vec<String>],
        alternates: &[(String, f32)],
    ) {
        let [stem] = stems else {
            for stem in stems {
                self.article_words.push(ArticleWord {
                    stems: vec![(stem.clone(), 1.0)],
                });
            }
            return;
        };
        let mut word = ArticleWord { stems: Vec::new() };
        // A stem that weighs nothing is not counted: it would only lower the word's idf.
        let mut add = |stem: &String, weight: f32| {
            if weight > 0.0 && !word.stems.iter().any(|(s, _)| s == stem) {
                word.stems.push((stem.clone(), weight));
            }
        };
        add(stem, primary_factor);
        for stem in variant_stems.iter().flatten() {
            add(stem, self.ranking.variant_weight);
        }
        for (alternate, factor) in alternates {
            add(alternate, self.ranking.reading_weight * factor);
        }
        if word.stems.is_empty() {
            word.stems.push((stem.clone(), primary_factor));
        }
        self.article_words.push(word);
    }

    /// Reports `variant` as used for `word` (as typed), in passages and in articles.
    fn report_variant(&mut self, word: &str, variant: &Variant) {
        self.variants
            .entry(word.to_owned())
            .or_default()
            .insert(variant.written.clone(), variant.passages);
        self.variant_articles
            .entry(word.to_owned())
            .or_default()
            .insert(variant.written.clone(), variant.articles);
    }

    /// Clauses that score `spellings` as one word in every field pair: each spelling's exact
    /// term, each distinct single stem once (at the weight of the first spelling that has it),
    /// all with the idf of the whole group (`one_word_boosts`); a stem of several terms is a
    /// phrase.
    fn one_word_clauses(
        &self,
        pairs: &[(Field, Field, f32)],
        spellings: &[WordForm],
    ) -> Vec<Box<dyn Query>> {
        let terms: Vec<String> = spellings.iter().map(|s| s.term.clone()).collect();
        let mut stems: Vec<(String, f32)> = Vec::new();
        let mut phrases: Vec<(Vec<String>, f32)> = Vec::new();
        for spelling in spellings {
            match spelling.stems.as_slice() {
                [] => {}
                [single] => {
                    if !stems.iter().any(|(s, _)| s == single) {
                        stems.push((single.clone(), spelling.stem_weight));
                    }
                }
                several => {
                    if !phrases.iter().any(|(p, _)| p == several) {
                        phrases.push((several.to_vec(), spelling.stem_weight));
                    }
                }
            }
        }
        let stem_terms: Vec<String> = stems.iter().map(|(s, _)| s.clone()).collect();
        let mut clauses: Vec<Box<dyn Query>> = Vec::new();
        for &(exact_field, stem_field, weight) in pairs {
            let exact_boosts = self.one_word_boosts(exact_field, &terms);
            for (spelling, boost) in spellings.iter().zip(exact_boosts) {
                clauses.push(term_query(
                    exact_field,
                    &spelling.term,
                    self.ranking.exact_weight * weight * spelling.exact_weight * boost,
                ));
            }
            let stem_boosts = self.one_word_boosts(stem_field, &stem_terms);
            for ((stem, stem_weight), boost) in stems.iter().zip(stem_boosts) {
                clauses.push(term_query(stem_field, stem, weight * stem_weight * boost));
            }
            for (phrase, stem_weight) in &phrases {
                clauses.push(all_stems_query(stem_field, phrase, weight * stem_weight));
            }
        }
        clauses
    }

    /// Boosts that give each of `terms` (one word's spellings in `field`) BM25's idf of all of
    /// them together: idf(sum of their passages) / idf(its own passages).
    fn one_word_boosts(&self, field: Field, terms: &[String]) -> Vec<f32> {
        let n = self.lexicon.num_docs() as f64;
        let idf = |df: f64| (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
        let dfs: Vec<f64> = terms
            .iter()
            .map(|t| self.lexicon.doc_freq(field, t) as f64)
            .collect();
        let together = idf(dfs.iter().sum::<f64>().min(n));
        dfs.iter()
            .map(|&df| {
                let own = idf(df);
                if df == 0.0 || own <= 0.0 {
                    1.0
                } else {
                    (together / own) as f32
                }
            })
            .collect()
    }

    /// The lexicon's spelling variants of the exact term `term`, asked once per query.
    fn variants_of(&mut self, term: &str) -> Vec<Variant> {
        if let Some(known) = self.known_variants.get(term) {
            return known.clone();
        }
        let found = self.lexicon.variants(term);
        self.known_variants.insert(term.to_owned(), found.clone());
        found
    }

    /// What to do about `word` being a typo (see [`typos::decide`]): `None` for a word that is
    /// no candidate (short, not all Arabic letters, several terms) or has no likelier term.
    fn correction(&mut self, word: &str, title_only: bool) -> Option<Correction> {
        if let Some(known) = self.suggestions.get(word) {
            return Some(Correction {
                term: known.clone(),
                searched_instead: self.searched_instead.contains(word),
            });
        }
        let exact_terms = analysis::query_terms(self.analyzers.exact, word);
        let [typed] = exact_terms.as_slice() else {
            return None;
        };
        if !typos::is_candidate(typed) {
            return None;
        }
        // A word the archive writes often is no typo: decided before any other lookup, since
        // nearly every word of a query is one (`may_correct` below would refuse it anyway).
        let typed_passages = self.lexicon.doc_freq(self.fields.text, typed);
        if !typos::may_correct(typed_passages, typed_passages) {
            return None;
        }
        let stem_terms = analysis::query_terms(self.analyzers.stem, word);
        let [stem] = stem_terms.as_slice() else {
            return None;
        };
        let variants = self.variants_of(typed);
        // The stems the word is searched by: its first reading and the other readings the
        // archive supports (بالأذى is found as ب + الأذى, فبوتين as ف + بوتين).
        let (_, alternates) = self.readings(word, &variants);
        let stems: Vec<String> = std::iter::once(stem.clone())
            .chain(
                alternates
                    .into_iter()
                    .filter(|(_, factor)| *factor >= MIN_READING_SHARE)
                    .map(|(alternate, _)| alternate),
            )
            .collect();
        // Passages the word finds: as typed, by any of those stems, or in a spelling variant.
        let mut found: u64 = variants.iter().map(|v| v.passages).sum();
        for (exact_field, stem_field, _) in self.text_fields(title_only) {
            found += self.lexicon.doc_freq(exact_field, typed);
            for stem in &stems {
                found += self.lexicon.doc_freq(stem_field, stem);
            }
        }
        if !typos::may_correct(found, typed_passages) {
            return None;
        }
        let edits = typos::max_edits(typed.chars().count());
        // Terms with digits or Latin letters are never suggested for an Arabic word.
        let near: Vec<typos::NearTerm> = self
            .lexicon
            .near_terms(typed, edits)
            .into_iter()
            .filter(|candidate| candidate.term.chars().all(is_arabic_letter))
            .collect();
        // Found anyway: a variant is searched already, a term with the word's stem through the
        // stemmed field (والمفاوضات is no typo of المفاوضات).
        let mut found_anyway: HashSet<&str> = HashSet::new();
        for candidate in &near {
            let is_variant = variants.iter().any(|v| v.term == candidate.term);
            // Any reading: the index holds them all (والمفاوضات is also مفاوض).
            let same_stem = analysis::query_readings(self.analyzers.stem, &candidate.term)
                .iter()
                .flatten()
                .any(|s| stems.contains(s));
            if is_variant || same_stem {
                found_anyway.insert(&candidate.term);
            }
        }
        typos::decide(typed, found, typed_passages, &near, |candidate| {
            found_anyway.contains(candidate.term.as_str())
        })
    }

    /// `word` as spelled (with its spelling variants).
    fn spelled_word(
        &mut self,
        word: &str,
        title_only: bool,
        polarity: Polarity,
    ) -> Option<Box<dyn Query>> {
        let exact_terms = analysis::query_terms(self.analyzers.exact, word);
        let stem_terms = analysis::query_terms(self.analyzers.stem, word);
        if exact_terms.is_empty() {
            return None;
        }
        let wanted = polarity == Polarity::Wanted;
        let pairs = self.text_fields(title_only);
        // An excluded word is excluded in all its spellings too (but neither highlighted nor
        // reported).
        let variants = if self.use_variants && exact_terms.len() == 1 {
            self.variants_of(&exact_terms[0])
        } else {
            Vec::new()
        };
        let variant_stems: Vec<Vec<String>> = variants
            .iter()
            .map(|variant| analysis::query_terms(self.analyzers.stem, &variant.term))
            .collect();
        let (primary_factor, mut alternates) = self.readings(word, &variants);
        // A reading that explains under 1% as much as the likeliest is no reading a writer
        // means (بوتين as و + تين: وتين is written once, بوتين 848 times).
        alternates.retain(|(_, factor)| *factor >= MIN_READING_SHARE);
        let mut clauses: Vec<Box<dyn Query>> = Vec::new();
        if !variants.is_empty() {
            // The spellings of one word are scored as that word, so that a rarer house
            // spelling neither outranks the common one nor is outranked by it.
            let mut spellings = vec![WordForm {
                term: exact_terms[0].clone(),
                stems: stem_terms.clone(),
                exact_weight: 1.0,
                stem_weight: primary_factor,
            }];
            for (variant, stems) in variants.iter().zip(&variant_stems) {
                spellings.push(WordForm {
                    term: variant.term.clone(),
                    stems: stems.clone(),
                    exact_weight: self.ranking.variant_weight,
                    stem_weight: self.ranking.variant_weight,
                });
            }
            clauses.extend(self.one_word_clauses(&pairs, &spellings));
        } else {
            for &(exact_field, stem_field, weight) in &pairs {
                clauses.push(phrase_query(
                    exact_field,
                    &exact_terms,
                    self.ranking.exact_weight * weight,
                ));
                clauses.push(all_stems_query(
                    stem_field,
                    &stem_terms,
                    weight * primary_factor,
                ));
            }
        }
        for (alternate, factor) in &alternates {
            for &(_, stem_field, weight) in &pairs {
                clauses.push(term_query(
                    stem_field,
                    alternate,
                    weight * self.ranking.reading_weight * factor,
                ));
            }
            if wanted {
                self.highlight.stem.insert(alternate.clone());
            }
        }
        if wanted {
            self.highlight.exact.extend(exact_terms.iter().cloned());
            self.highlight.stem.extend(stem_terms.iter().cloned());
        }
        let article_words_before = self.article_words.len();
        if wanted && self.selection.text && !title_only {
            self.count_in_articles(&stem_terms, primary_factor, &variant_stems, &alternates);
        }
        if wanted {
            for (variant, stems) in variants.iter().zip(variant_stems) {
                self.highlight.exact.insert(variant.term.clone());
                self.highlight.stem.extend(stems);
                self.report_variant(word, variant);
            }
        }
        // A Latin word is also its Arabic spellings, at the weight of the word itself: they are
        // the same name, not a rarer spelling (and an excluded one is excluded in them too).
        if self.use_variants
            && exact_terms.len() == 1
            && transliteration::is_candidate(&exact_terms[0])
            && !transliteration::is_acronym(word)
        {
            let forms = self.lexicon.transliterations(&exact_terms[0]);
            // The Arabic forms are one word, at the weight of the word typed.
            let spellings: Vec<WordForm> = forms
                .iter()
                .map(|form| WordForm {
                    term: form.term.clone(),
                    stems: analysis::query_terms(self.analyzers.stem, &form.term),
                    exact_weight: 1.0,
                    stem_weight: 1.0,
                })
                .collect();
            clauses.extend(self.one_word_clauses(&pairs, &spellings));
            if wanted && self.selection.text && !title_only {
                // The word just noted (none when it had no stem of its own).
                if let Some(word) = self.article_words[article_words_before..].last_mut() {
                    for spelling in &spellings {
                        for stem in &spelling.stems {
                            if !word.stems.iter().any(|(s, _)| s == stem) {
                                word.stems.push((stem.clone(), 1.0));
                            }
                        }
                    }
                }
            }
            if wanted {
                for (spelling, form) in spellings.into_iter().zip(forms) {
                    self.highlight.exact.insert(spelling.term);
                    self.highlight.stem.extend(spelling.stems);
                    self.report_variant(word, &form);
                }
            }
        }
        should(clauses)
    }

    fn phrase(
        &mut self,
        text: &str,
        title_only: bool,
        polarity: Polarity,
    ) -> Option<Box<dyn Query>> {
        let terms = analysis::query_terms(self.analyzers.exact, text);
        if terms.is_empty() {
            return None;
        }
        let clauses: Vec<Box<dyn Query>> = self
            .text_fields(title_only)
            .iter()
            .map(|&(exact_field, _, weight)| {
                phrase_query(exact_field, &terms, self.ranking.exact_weight * weight)
            })
            .collect();
        if polarity == Polarity::Wanted {
            // A phrase is marked where its words stand together, not word by word.
            if terms.len() > 1 {
                self.highlight.phrases.push(terms);
            } else {
                self.highlight.exact.extend(terms);
            }
        }
        should(clauses)
    }

    /// `word*`: the most frequent exact terms that start with the normalized prefix.
    fn prefix(
        &mut self,
        text: &str,
        title_only: bool,
        polarity: Polarity,
    ) -> Option<Box<dyn Query>> {
        let terms = analysis::query_terms(self.analyzers.exact, text);
        let prefix = terms.last()?;
        let expansions = self.lexicon.prefix_expansions(prefix);
        if expansions.is_empty() {
            return Some(Box::new(EmptyQuery));
        }
        let pairs = self.text_fields(title_only);
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
        if polarity == Polarity::Wanted {
            self.highlight.exact.extend(expansions);
        }
        should(clauses)
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::collections::HashMap;

    use super::*;
    use crate::index::schema::build_schema;
    use crate::search::query;
    use crate::search::variants::Variant;

    /// A lexicon without an index: the variants and expansions it is given, and the words it
    /// was asked about.
    #[derive(Default)]
    struct FakeLexicon {
        variants: HashMap<&'static str, Vec<(&'static str, u64)>>,
        prefixes: HashMap<&'static str, Vec<&'static str>>,
        /// Passages per (field, term); none for the others.
        doc_freqs: HashMap<(Field, &'static str), u64>,
        /// Terms near a word: (term, edits, passages).
        near: HashMap<&'static str, Vec<(&'static str, u8, u64)>>,
        /// Arabic forms of a Latin exact term: (term, passages).
        latin: HashMap<&'static str, Vec<(&'static str, u64)>>,
        asked: RefCell<Vec<String>>,
    }

    impl Lexicon for FakeLexicon {
        fn variants(&self, term: &str) -> Vec<Variant> {
            self.asked.borrow_mut().push(term.to_owned());
            forms_in(&self.variants, term)
        }

        fn prefix_expansions(&self, prefix: &str) -> Vec<String> {
            self.asked.borrow_mut().push(format!("{prefix}*"));
            self.prefixes
                .get(prefix)
                .into_iter()
                .flatten()
                .map(|t| t.to_string())
                .collect()
        }

        fn num_docs(&self) -> u64 {
            1_000
        }

        fn doc_freq(&self, field: Field, term: &str) -> u64 {
            self.doc_freqs
                .iter()
                .find(|((f, t), _)| *f == field && *t == term)
                .map_or(0, |(_, &n)| n)
        }

        fn near_terms(&self, term: &str, edits: u8) -> Vec<typos::NearTerm> {
            self.asked.borrow_mut().push(format!("~{term}"));
            self.near
                .get(term)
                .into_iter()
                .flatten()
                .filter(|(_, distance, _)| *distance <= edits)
                .map(|&(term, distance, passages)| typos::NearTerm {
                    term: term.to_owned(),
                    distance,
                    passages,
                })
                .collect()
        }

        fn transliterations(&self, term: &str) -> Vec<Variant> {
            self.asked.borrow_mut().push(format!("latin:{term}"));
            forms_in(&self.latin, term)
        }
    }

    /// The forms `table` gives `term`, each written as its term and in one article per passage.
    fn forms_in(
        table: &HashMap<&'static str, Vec<(&'static str, u64)>>,
        term: &str,
    ) -> Vec<Variant> {
        table
            .get(term)
            .into_iter()
            .flatten()
            .map(|&(term, passages)| Variant {
                term: term.to_owned(),
                written: term.to_owned(),
                passages,
                articles: passages,
            })
            .collect()
    }

    /// A lexicon where بوتين has the variant بوتن in 7 passages.
    fn putin_lexicon() -> FakeLexicon {
        FakeLexicon {
            variants: HashMap::from([("بوتين", vec![("بوتن", 7)])]),
            ..FakeLexicon::default()
        }
    }

    fn fields() -> Fields {
        Fields::from_schema(&build_schema()).expect("fahras's schema has its fields")
    }

    fn built(text: &str, settings: &SearchSettings, lexicon: &FakeLexicon) -> BuiltQuery {
        let mut exact = analysis::exact_analyzer();
        let mut stem = analysis::stem_analyzer(Default::default());
        build(
            &query::parse(text),
            settings,
            Default::default(),
            &fields(),
            Analyzers {
                exact: &mut exact,
                stem: &mut stem,
            },
            lexicon,
        )
    }

    /// The texts of the terms `query` searches in `field`.
    fn terms_in(query: &dyn Query, field: Field) -> Vec<String> {
        let mut terms = Vec::new();
        query.query_terms(&mut |term, _| {
            if term.field() == field {
                terms.push(term.value().as_str().unwrap_or_default().to_owned());
            }
        });
        terms
    }

    #[test]
    fn a_words_variants_come_from_the_lexicon_and_are_searched_highlighted_and_reported() {
        let lexicon = putin_lexicon();
        let query = built("بوتين", &SearchSettings::default(), &lexicon);
        assert_eq!(query.variants["بوتين"]["بوتن"], 7);
        assert!(query.highlight.exact.contains("بوتن"));
        let core = query.core.expect("a word is searched");
        assert!(terms_in(&*core, fields().text).contains(&"بوتن".to_owned()));
        // Asked once for the variants (weighing a typo reuses them), once for near terms.
        assert_eq!(*lexicon.asked.borrow(), ["بوتين", "~بوتين"]);
    }

    #[test]
    fn words_as_typed_ask_the_lexicon_nothing() {
        let lexicon = putin_lexicon();
        let settings = SearchSettings {
            spelling: Spelling::AsTyped,
            ..SearchSettings::default()
        };
        let query = built("بوتين", &settings, &lexicon);
        assert!(query.variants.is_empty());
        assert!(lexicon.asked.borrow().is_empty());
    }

    #[test]
    fn excluded_words_are_excluded_in_every_spelling_and_neither_highlighted_nor_reported() {
        let lexicon = putin_lexicon();
        let query = built("جنيف -بوتين", &SearchSettings::default(), &lexicon);
        assert_eq!(query.negatives.len(), 1);
        let excluded = terms_in(&*query.negatives[0], fields().text);
        assert!(excluded.contains(&"بوتين".to_owned()), "{excluded:?}");
        assert!(excluded.contains(&"بوتن".to_owned()), "{excluded:?}");
        assert!(!query.highlight.exact.contains("بوتين"));
        assert!(!query.highlight.exact.contains("بوتن"));
        assert!(query.highlight.exact.contains("جنيف"));
        assert!(query.variants.is_empty());
    }

    #[test]
    fn a_prefix_stands_for_the_lexicons_expansions_or_for_nothing() {
        let lexicon = FakeLexicon {
            prefixes: HashMap::from([("ستار", vec!["ستارت", "ستارمر"])]),
            ..FakeLexicon::default()
        };
        let query = built("ستار*", &SearchSettings::default(), &lexicon);
        let core = query.core.expect("a prefix is searched");
        assert_eq!(terms_in(&*core, fields().text), ["ستارت", "ستارمر"]);
        assert!(query.highlight.exact.contains("ستارمر"));
        let none = built("زقزق*", &SearchSettings::default(), &lexicon);
        let core = none.core.expect("an empty query, not nothing");
        assert!(format!("{core:?}").contains("EmptyQuery"), "{core:?}");
    }

    #[test]
    fn stopwords_are_dropped_unless_nothing_else_is_left() {
        let lexicon = FakeLexicon::default();
        let query = built("ما هي قمة", &SearchSettings::default(), &lexicon);
        let core = query.core.expect("قمة is searched");
        let searched = terms_in(&*core, fields().text);
        assert!(
            searched
                .iter()
                .all(|t| t.as_str() != "ما" && t.as_str() != "هي"),
            "{searched:?}"
        );
        assert!(searched.iter().any(|t| t.as_str() == "قمه"), "{searched:?}");
        let only = built("ما", &SearchSettings::default(), &lexicon);
        assert!(only.core.is_some());
    }

    #[test]
    fn the_settings_and_the_querys_filters_combine() {
        let lexicon = FakeLexicon::default();
        let (from, _) = query::parse_period("2018-01").unwrap();
        let (_, to) = query::parse_period("2018-12").unwrap();
        let settings = SearchSettings {
            sources: vec!["BBC".into()],
            from: Some(from),
            to: Some(to),
            ..SearchSettings::default()
        };
        let parsed = query::parse("قمة source:CNN date:2018-06");
        let (june, july) = query::parse_period("2018-06").unwrap();
        // The query's month lies inside the settings' year: the month is left.
        assert_eq!(
            date_range(&settings, &parsed.filters),
            (Some(june), Some(july))
        );
        let query = built("قمة source:CNN date:2018-06", &settings, &lexicon);
        // One filter for the outlets (either), one for the dates.
        assert_eq!(query.filters.len(), 2);
        let outlets = terms_in(&*query.filters[0], fields().source);
        assert_eq!(outlets, ["bbc", "cnn"]);
        assert!(query.notes.is_empty(), "{:?}", query.notes);
        // Dates that cannot meet say so.
        for text in ["قمة date:2018-07 date:2018-08", "قمة date:2018-08..2018-07"] {
            let query = built(text, &SearchSettings::default(), &lexicon);
            assert_eq!(
                query.notes,
                ["the dates asked for do not overlap: nothing can match"],
                "{text}"
            );
        }
    }

    #[test]
    fn the_lead_prior_is_there_only_when_asked_for() {
        let lexicon = FakeLexicon::default();
        let with_lead = built("قمة", &SearchSettings::default(), &lexicon);
        assert_eq!(with_lead.lead_boost, Some(4.0));
        let mut settings = SearchSettings::default();
        settings.articles.lead_boost = 0.0;
        assert!(built("قمة", &settings, &lexicon).lead_boost.is_none());
    }

    /// A lexicon holding هلسنكي in 400 passages, the typo هلنسكي nowhere, the typo هلسمكي once.
    fn helsinki_lexicon() -> FakeLexicon {
        let text = fields().text;
        FakeLexicon {
            doc_freqs: HashMap::from([((text, "هلسنكي"), 400), ((text, "هلسمكي"), 1)]),
            near: HashMap::from([
                ("هلنسكي", vec![("هلسنكي", 1, 400)]),
                ("هلسمكي", vec![("هلسنكي", 1, 400)]),
            ]),
            ..FakeLexicon::default()
        }
    }

    #[test]
    fn a_word_that_finds_nothing_is_searched_as_its_suggestion_and_highlighted_so() {
        let lexicon = helsinki_lexicon();
        let query = built("قمة هلنسكي", &SearchSettings::default(), &lexicon);
        assert_eq!(query.suggestions["هلنسكي"], "هلسنكي");
        assert!(query.searched_instead.contains("هلنسكي"));
        let core = query.core.expect("searched");
        let searched = terms_in(&*core, fields().text);
        assert!(searched.contains(&"هلسنكي".to_owned()), "{searched:?}");
        assert!(!searched.contains(&"هلنسكي".to_owned()), "{searched:?}");
        assert!(query.highlight.exact.contains("هلسنكي"));
        assert!(!query.highlight.exact.contains("هلنسكي"));
    }

    #[test]
    fn a_word_that_finds_something_keeps_it_and_is_only_given_a_suggestion() {
        let lexicon = helsinki_lexicon();
        let query = built("هلسمكي", &SearchSettings::default(), &lexicon);
        assert_eq!(query.suggestions["هلسمكي"], "هلسنكي");
        assert!(query.searched_instead.is_empty());
        let searched = terms_in(&*query.core.expect("searched"), fields().text);
        assert_eq!(searched, ["هلسمكي"]);
    }

    #[test]
    fn phrases_prefixes_short_words_and_variants_are_never_corrected() {
        let lexicon = helsinki_lexicon();
        // (An excluded word is: `-هلنسكي` excludes هلسنكي, see tests/typos.rs.)
        let excluded = built("قمة -هلنسكي", &SearchSettings::default(), &lexicon);
        assert_eq!(excluded.suggestions["هلنسكي"], "هلسنكي");
        for text in ["\"هلنسكي\"", "هلنسكي*", "هلنس", "helsinki"] {
            let query = built(text, &SearchSettings::default(), &lexicon);
            assert!(
                query.suggestions.is_empty(),
                "{text}: {:?}",
                query.suggestions
            );
        }
        let as_typed = SearchSettings {
            spelling: Spelling::AsTyped,
            ..SearchSettings::default()
        };
        assert!(built("هلنسكي", &as_typed, &lexicon).suggestions.is_empty());
        // A known spelling variant is searched already: no suggestion of it.
        let text = fields().text;
        let putin = FakeLexicon {
            variants: HashMap::from([("بوتن", vec![("بوتين", 900)])]),
            doc_freqs: HashMap::from([((text, "بوتن"), 7), ((text, "بوتين"), 900)]),
            near: HashMap::from([("بوتن", vec![("بوتين", 1, 900)])]),
            ..FakeLexicon::default()
        };
        // Four letters: not even weighed.
        assert!(built("بوتن", &SearchSettings::default(), &putin)
            .suggestions
            .is_empty());
        let putin = FakeLexicon {
            variants: HashMap::from([("ترامب", vec![("ترمب", 900)])]),
            doc_freqs: HashMap::from([((text, "ترامب"), 7), ((text, "ترمب"), 900)]),
            near: HashMap::from([("ترامب", vec![("ترمب", 1, 900)])]),
            ..FakeLexicon::default()
        };
        assert!(built("ترامب", &SearchSettings::default(), &putin)
            .suggestions
            .is_empty());
    }

    #[test]
    fn a_term_with_the_words_stem_is_no_suggestion() {
        let text = fields().text;
        let lexicon = FakeLexicon {
            doc_freqs: HashMap::from([((text, "والمفاوضات"), 5), ((text, "المفاوضات"), 900)]),
            near: HashMap::from([("والمفاوضات", vec![("المفاوضات", 1, 900)])]),
            ..FakeLexicon::default()
        };
        let query = built("والمفاوضات", &SearchSettings::default(), &lexicon);
        assert!(query.suggestions.is_empty(), "{:?}", query.suggestions);
    }

    #[test]
    fn a_proclitic_reading_weighs_by_how_often_the_archive_holds_it() {
        let f = fields();
        // ANT's counts of the written forms (exact field).
        let lexicon = FakeLexicon {
            doc_freqs: HashMap::from([((f.text, "درعا"), 381), ((f.text, "لدرعا"), 9)]),
            ..FakeLexicon::default()
        };
        let query = built("لدرعا", &SearchSettings::default(), &lexicon);
        let core = format!("{:?}", query.core.expect("searched"));
        let stem = |term: &str| {
            format!(
                "Term(field={}, type=Str, \"{term}\")",
                f.text_stem.field_id()
            )
        };
        // درعا (ل + درعا) is written 42 times as often as the whole word, and ل explains
        // all 9 لدرعا (4.7% of 381 is 18): it weighs 1, the whole word's stem nothing (its
        // exact form keeps its own weight).
        assert!(
            core.contains(&format!("(Should, TermQuery({}))", stem("درعا"))),
            "{core}"
        );
        assert!(
            core.contains(&format!("TermQuery({}), boost=0)", stem("لدرعا"))),
            "{core}"
        );
        // The other way round (لبنان is Lebanon, not ل + بنان, never written alone): the whole
        // word's stem weighs 1 and بنان is not searched.
        let lexicon = FakeLexicon {
            doc_freqs: HashMap::from([((f.text, "لبنان"), 2079)]),
            ..FakeLexicon::default()
        };
        let query = built("لبنان", &SearchSettings::default(), &lexicon);
        let core = format!("{:?}", query.core.expect("searched"));
        assert!(
            core.contains(&format!("(Should, TermQuery({}))", stem("لبن"))),
            "{core}"
        );
        assert!(!core.contains(&stem("بنان")), "{core}");
    }

    #[test]
    fn a_name_that_starts_like_a_clitic_and_the_article_is_not_searched_as_the_word_after_them() {
        let f = fields();
        let stem = |term: &str| {
            format!(
                "Term(field={}, type=Str, \"{term}\")",
                f.text_stem.field_id()
            )
        };
        // ANT's passages: فالكون (the rocket, a candidate's name) is written more often than
        // ف + الكون (the universe) could explain; it is searched as itself, not as كون.
        let lexicon = FakeLexicon {
            doc_freqs: HashMap::from([((f.text, "فالكون"), 40), ((f.text, "الكون"), 76)]),
            ..FakeLexicon::default()
        };
        let core = format!(
            "{:?}",
            built("فالكون", &SearchSettings::default(), &lexicon)
                .core
                .expect("searched")
        );
        assert!(core.contains(&stem("فالك")), "{core}");
        assert!(!core.contains(&stem("كون")), "{core}");
        // والحكومة is و + الحكومة: the article's word weighs 1, the whole word nothing.
        let lexicon = FakeLexicon {
            doc_freqs: HashMap::from([((f.text, "والحكومه"), 160), ((f.text, "الحكومه"), 6000)]),
            ..FakeLexicon::default()
        };
        let core = format!(
            "{:?}",
            built("والحكومة", &SearchSettings::default(), &lexicon)
                .core
                .expect("searched")
        );
        assert!(
            core.contains(&format!("(Should, TermQuery({}))", stem("حكوم"))),
            "{core}"
        );
        assert!(
            core.contains(&format!("TermQuery({}), boost=0)", stem("والحكوم"))),
            "{core}"
        );
    }

    #[test]
    fn a_term_sharing_any_reading_with_the_word_is_no_suggestion() {
        // والمفاوضات's first reading is now the word whole (والمفاوض); it shares مفاوض with
        // وبالمفاوضات, which the search finds through it: no typo.
        let f = fields();
        let lexicon = FakeLexicon {
            doc_freqs: HashMap::from([
                ((f.text, "وبالمفاوضات"), 2),
                ((f.text, "والمفاوضات"), 900),
                ((f.text, "المفاوضات"), 5000),
            ]),
            near: HashMap::from([("وبالمفاوضات", vec![("والمفاوضات", 1, 900)])]),
            ..FakeLexicon::default()
        };
        let query = built("وبالمفاوضات", &SearchSettings::default(), &lexicon);
        assert!(query.suggestions.is_empty(), "{:?}", query.suggestions);
    }

    #[test]
    fn a_clitic_before_the_article_and_one_letter_is_no_reading() {
        // بالي (Bali) read as ب + الي searched every إلى (normalized الي) at full weight.
        let f = fields();
        let lexicon = FakeLexicon {
            doc_freqs: HashMap::from([((f.text, "بالي"), 30), ((f.text, "الي"), 200_000)]),
            ..FakeLexicon::default()
        };
        let query = built("بالي", &SearchSettings::default(), &lexicon);
        let core = format!("{:?}", query.core.expect("searched"));
        assert!(!core.contains("\"الي\""), "{core}");
        assert!(!query.highlight.stem.contains("الي"));
    }

    #[test]
    fn a_word_with_two_clitics_before_the_article_is_scored_once() {
        // وبالقانون: و + بالقانون and وب + القانون both explain it; بالقانون is itself ب +
        // القانون, so only القانون's stem is searched beside the word's own.
        let f = fields();
        let lexicon = FakeLexicon {
            doc_freqs: HashMap::from([
                ((f.text, "وبالقانون"), 20),
                ((f.text, "بالقانون"), 300),
                ((f.text, "القانون"), 3000),
            ]),
            ..FakeLexicon::default()
        };
        let query = built("وبالقانون", &SearchSettings::default(), &lexicon);
        let core = format!("{:?}", query.core.expect("searched"));
        let stem_term = |term: &str| {
            format!(
                "Term(field={}, type=Str, \"{term}\")",
                f.text_stem.field_id()
            )
        };
        let deepest = analysis::light_stemmer::stem_readings("وبالقانون");
        let [whole, middle, article] = deepest.as_slice() else {
            panic!("{deepest:?}");
        };
        assert!(
            core.contains(&format!("(Should, TermQuery({}))", stem_term(article))),
            "{core}"
        );
        assert!(!core.contains(&stem_term(middle)), "{core}");
        assert!(
            core.contains(&format!("TermQuery({}), boost=0)", stem_term(whole))),
            "{core}"
        );
    }

    #[test]
    fn a_word_found_only_through_its_clitic_reading_is_not_corrected_into_another_word() {
        // بالأذى: neither it nor الأذى is written, only والأذى; the stemmed field finds اذي.
        // The typo check looked at the whole word's stem alone and searched بالذي instead.
        let f = fields();
        let lexicon = FakeLexicon {
            doc_freqs: HashMap::from([((f.text_stem, "اذي"), 3), ((f.text, "بالذي"), 40)]),
            near: HashMap::from([("بالاذي", vec![("بالذي", 1, 40)])]),
            ..FakeLexicon::default()
        };
        let query = built("بالأذى", &SearchSettings::default(), &lexicon);
        assert!(query.searched_instead.is_empty(), "{:?}", query.suggestions);
        let core = format!("{:?}", query.core.expect("searched"));
        assert!(
            core.contains(&format!(
                "(Should, TermQuery(Term(field={}, type=Str, \"اذي\")))",
                f.text_stem.field_id()
            )),
            "{core}"
        );
    }

    /// A lexicon where `putin` is spelt بوتين (900 passages) and بوتن (400) in the archive.
    fn latin_lexicon() -> FakeLexicon {
        FakeLexicon {
            latin: HashMap::from([("putin", vec![("بوتين", 900), ("بوتن", 400)])]),
            ..FakeLexicon::default()
        }
    }

    /// The boosts of the exact-field clauses on `term` (each printed `…"term"…, boost=B)`).
    fn boosts_of(query: &dyn Query, term: &str) -> Vec<String> {
        let debug = format!("{query:?}");
        debug
            .match_indices(term)
            .filter_map(|(at, _)| {
                let after = &debug[at..];
                let boost = after.find("boost=")?;
                let end = after[boost..].find(')')?;
                Some(after[boost + 6..boost + end].to_owned())
            })
            .collect()
    }

    #[test]
    fn a_latin_word_is_searched_as_written_and_as_its_arabic_forms_at_full_weight() {
        let lexicon = latin_lexicon();
        let query = built("Putin", &SearchSettings::default(), &lexicon);
        assert_eq!(
            query.variants["Putin"],
            BTreeMap::from([("بوتين".to_owned(), 900), ("بوتن".to_owned(), 400)])
        );
        let core = query.core.expect("searched");
        let searched = terms_in(&*core, fields().text);
        for term in ["putin", "بوتين", "بوتن"] {
            assert!(searched.contains(&term.to_owned()), "{searched:?}");
        }
        // The Arabic forms weigh what the word typed weighs (not the variant weight).
        let typed = boosts_of(&*core, "putin");
        assert!(!typed.is_empty(), "{core:?}");
        assert_eq!(boosts_of(&*core, "بوتين")[0], typed[0]);
        assert_eq!(boosts_of(&*core, "بوتن")[0], typed[0]);
        assert!(query.highlight.exact.contains("بوتين"));
        assert!(query.highlight.exact.contains("بوتن"));
        assert!(query.suggestions.is_empty());
    }

    #[test]
    fn arabic_forms_of_a_latin_word_that_share_a_stem_search_it_once() {
        // Regression: Assad's الأسد and أسد (one stem) put اسد in the query twice.
        let lexicon = FakeLexicon {
            latin: HashMap::from([("assad", vec![("الاسد", 900), ("اسد", 100)])]),
            ..FakeLexicon::default()
        };
        let query = built("Assad", &SearchSettings::default(), &lexicon);
        let stems = terms_in(&*query.core.expect("searched"), fields().text_stem);
        assert_eq!(stems.iter().filter(|s| *s == "اسد").count(), 1, "{stems:?}");
    }

    #[test]
    fn excluded_latin_words_exclude_their_arabic_forms_unreported() {
        let lexicon = latin_lexicon();
        let query = built("قمة -Putin", &SearchSettings::default(), &lexicon);
        let excluded = terms_in(&*query.negatives[0], fields().text);
        for term in ["putin", "بوتين", "بوتن"] {
            assert!(excluded.contains(&term.to_owned()), "{excluded:?}");
        }
        assert!(query.variants.is_empty());
        assert!(!query.highlight.exact.contains("بوتين"));
    }

    #[test]
    fn phrases_exact_spelling_acronyms_and_arabic_words_are_not_transliterated() {
        let lexicon = latin_lexicon();
        let as_typed = SearchSettings {
            spelling: Spelling::AsTyped,
            ..SearchSettings::default()
        };
        for (text, settings) in [
            ("\"Putin\"", SearchSettings::default()),
            ("Putin", as_typed),
            ("Put*", SearchSettings::default()),
            ("BBC", SearchSettings::default()),
            ("قمة", SearchSettings::default()),
        ] {
            let query = built(text, &settings, &lexicon);
            assert!(query.variants.is_empty(), "{text}: {:?}", query.variants);
            assert!(
                !lexicon
                    .asked
                    .borrow()
                    .iter()
                    .any(|a| a.starts_with("latin:")),
                "{text}: {:?}",
                lexicon.asked.borrow()
            );
        }
    }
}
