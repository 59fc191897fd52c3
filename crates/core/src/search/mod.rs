//! Search: query parsing, spelling variants, query building and ranking, grouping by article,
//! highlighting. The result types are shared by the terminal, JSON and TREC outputs.

pub mod arabic_dates;
pub mod articles;
pub mod bm25;
pub mod build;
pub mod copies;
pub mod feedback;
pub mod flat;
pub mod highlight;
pub mod lead;
pub mod lexicon;
pub mod notes;
pub mod query;
pub mod ranking;
pub mod settings;
pub mod tiered;
pub mod time_prior;
pub mod transliteration;
pub mod typos;
pub mod variants;
pub mod whole_article;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::Instant;

use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, Occur, TermQuery};
use tantivy::schema::{IndexRecordOption, Term, Value};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, DocId, DocSet, IndexReader, TantivyDocument};

use crate::analysis;
use crate::index::{self, Fields, IndexHandle};
use crate::semantic::{self, dense, fuse, EncoderSlot, Mode};
use crate::Result;

pub use articles::{Facets, Histogram, Interval};
pub use build::{BuiltQuery, FieldSelection};
pub use highlight::HighlightTerms;
pub use notes::Note;
pub use ranking::{Operator, Prf, PrfQueries, Ranking};
pub use settings::{
    ArticleRanking, Bounds, Copies, Highlighting, SearchSettings, SettingError, SettingsInput,
    Sort, Spelling, Surface, Syntax, Typos,
};

/// One ranked passage.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Hit {
    pub rank: usize,
    pub score: f32,
    pub article_id: String,
    pub title: String,
    /// The calendar day of publication where the source published it (`YYYY-MM-DD`).
    pub date: Option<String>,
    /// The instant of publication with the source's own UTC offset (RFC 3339), when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    pub source: String,
    pub url: Option<String>,
    pub collection: String,
    pub author: Option<String>,
    pub passage: u64,
    pub text: String,
    /// Byte ranges `[from, to)` of `text` to highlight.
    pub highlights: Vec<[usize; 2]>,
    /// Byte ranges `[from, to)` of `title` to highlight.
    pub title_highlights: Vec<[usize; 2]>,
    /// Other articles in the index that are copies of this one (near-duplicates), most similar
    /// first; without `all_copies`, they are not listed as hits of their own.
    pub copies: Vec<copies::Copy>,
    /// Passages of this article that match the query besides those on this page.
    pub more_passages: usize,
}

/// The answer to a search.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    pub hits: Vec<Hit>,
    /// Passages matching the query.
    pub total_hits: usize,
    /// Articles with at least one matching passage (copies of one story count each).
    pub total_articles: usize,
    /// Article counts per facet value, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facets: Option<Facets>,
    /// Matching articles per period, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub histogram: Option<Histogram>,
    pub took_ms: f64,
    /// Which ranking answered: `lexical`, `semantic` or `hybrid` (see [`crate::semantic`]). In
    /// semantic mode the totals count only the nearest passages found.
    pub mode: Mode,
    /// Hybrid mode: articles listed because of their meaning that the words do not match (not
    /// in `total_articles`; the list holds `total_articles` + these).
    #[serde(skip_serializing_if = "is_zero")]
    pub meaning_articles: usize,
    /// For each query word that was expanded: variant → passages containing it.
    pub variants: BTreeMap<String, BTreeMap<String, u64>>,
    /// The same variants counted in articles (the unit of results).
    pub variant_articles: BTreeMap<String, BTreeMap<String, u64>>,
    /// "Did you mean": typed word → the index term it was probably meant to be (a word that
    /// finds nothing, or far fewer passages than a term a typo away). Absent when empty.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub suggestions: BTreeMap<String, String>,
    /// The typed words (keys of `suggestions`) that found nothing and whose suggestion was
    /// searched instead. Absent when empty.
    #[serde(skip_serializing_if = "BTreeSet::is_empty")]
    pub searched_instead: BTreeSet<String>,
    /// What the query parser had to guess and what the search could not do (printed as
    /// English sentences).
    #[serde(serialize_with = "notes::as_sentences")]
    pub notes: Vec<Note>,
}

/// A whole article as `fahras show --format json` and `GET /api/articles/{id}` give it.
#[derive(Debug, Clone, Serialize)]
pub struct Article {
    pub article_id: String,
    pub title: String,
    /// Byte ranges `[from, to)` of `title` to highlight.
    pub title_highlights: Vec<[usize; 2]>,
    pub date: Option<String>,
    /// The instant of publication with the source's own UTC offset (RFC 3339), when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    pub source: String,
    pub url: Option<String>,
    pub author: Option<String>,
    pub collection: String,
    /// `Author. Title. Outlet, Date. URL`, as exports write it.
    pub citation: String,
    pub passages: Vec<ArticlePassage>,
}

/// One passage of an [`Article`].
#[derive(Debug, Clone, Serialize)]
pub struct ArticlePassage {
    pub passage: u64,
    pub text: String,
    /// Byte ranges `[from, to)` of `text` to highlight.
    pub highlights: Vec<[usize; 2]>,
}

impl Article {
    /// The article whose passages (in order) are `passages`; `None` when there are none.
    pub fn from_passages(passages: &[Hit]) -> Option<Article> {
        let first = passages.first()?;
        Some(Article {
            article_id: first.article_id.clone(),
            title: first.title.clone(),
            title_highlights: first.title_highlights.clone(),
            date: first.date.clone(),
            published: first.published.clone(),
            source: first.source.clone(),
            url: first.url.clone(),
            author: first.author.clone(),
            collection: first.collection.clone(),
            citation: crate::export::citation(first),
            passages: passages
                .iter()
                .map(|p| ArticlePassage {
                    passage: p.passage,
                    text: p.text.clone(),
                    highlights: p.highlights.clone(),
                })
                .collect(),
        })
    }
}

/// What [`Engine::for_each_article`] read: how many articles, and how it read the query —
/// its notes, and the likelier index terms of typed words that found nothing (exports and
/// collections search the words as typed, so they report these instead of searching them).
#[derive(Debug, Default)]
pub struct ArticlesRead {
    pub count: usize,
    pub notes: Vec<Note>,
    pub suggestions: BTreeMap<String, String>,
}

/// A searcher over one index, reusable across queries (analyzers and reader are kept). Cheap to
/// clone: the index handle is shared, the reader is a handle to a shared pool.
#[derive(Clone)]
pub struct Engine {
    handle: std::sync::Arc<IndexHandle>,
    reader: IndexReader,
    exact: TextAnalyzer,
    stem: TextAnalyzer,
    /// The stemmed field's stemmer on single terms, for highlighting.
    term_stemmer: analysis::TermStemmer,
    readings: analysis::light_stemmer::Readings,
    caches: std::sync::Arc<std::sync::Mutex<Caches>>,
    /// The sentence encoder for searches by meaning, when one is configured.
    encoder: Option<EncoderSlot>,
}

/// Per-index-generation memo of the term-dictionary work that repeats across queries: the
/// spelling variants of a word, the copies of an article, the document frequency of a term.
/// Shared by an engine's clones (the server's requests) and emptied when the reader moves to a
/// new commit.
#[derive(Default)]
pub struct Caches {
    generation: u64,
    pub variants: HashMap<String, Vec<variants::Variant>>,
    copies: HashMap<String, Vec<copies::Copy>>,
    /// Document frequencies of the terms queries scored (BM25's idf) and of the words typo
    /// correction weighed.
    doc_freqs: HashMap<Term, u64>,
    /// The exact terms within (word, edits) of a query word (typo correction).
    near_terms: HashMap<(String, u8), Vec<typos::NearTerm>>,
    /// The Arabic forms of a Latin query word (see [`transliteration`]).
    transliterations: HashMap<String, Vec<variants::Variant>>,
    /// The curated articles of this generation, each with the collections it was chosen into
    /// besides its own, as of the curation database's stamp (the collection facet counts them).
    curated: Option<(crate::curation::Stamp, std::sync::Arc<Vec<CuratedArticle>>)>,
    /// Each segment's passages' articles and articles' facet values (built on the first query).
    article_tables: HashMap<tantivy::index::SegmentId, std::sync::Arc<articles::ArticleTable>>,
    /// The passage vectors of this generation, as of the vector store's stamp (`fahras embed`
    /// may add them while a server runs), and each segment's mapped matrix.
    vectors: Option<(
        Option<String>,
        Option<std::sync::Arc<semantic::store::IndexVectors>>,
    )>,
    segment_vectors:
        HashMap<tantivy::index::SegmentId, Option<std::sync::Arc<semantic::store::SegmentMatrix>>>,
}

/// Entries kept per cache before it is emptied (a bound on memory, not an LRU).
const CACHE_ENTRIES: usize = 100_000;

impl Caches {
    fn for_generation(&mut self, generation: u64) -> &mut Self {
        let full = self.variants.len() > CACHE_ENTRIES
            || self.copies.len() > CACHE_ENTRIES
            || self.doc_freqs.len() > CACHE_ENTRIES
            || self.near_terms.len() > CACHE_ENTRIES
            || self.transliterations.len() > CACHE_ENTRIES;
        if self.generation != generation || full {
            self.generation = generation;
            self.variants.clear();
            self.copies.clear();
            self.doc_freqs.clear();
            self.near_terms.clear();
            self.transliterations.clear();
            self.curated = None;
            self.article_tables.clear();
            self.vectors = None;
            self.segment_vectors.clear();
        }
        self
    }
}

/// A live article chosen into collections it was not filed under at index time.
struct CuratedArticle {
    segment: u32,
    ord: u64,
    collections: Vec<String>,
}

/// Fetching stops widening to complete a run of tied scores beyond this many passages (a
/// filter-only query scores every match the same).
const MAX_TIE_FETCH: usize = 20_000;

/// `top` (best first) without its trailing passages that tie with the last one.
fn without_last_tie_run(top: &[(f32, DocAddress)]) -> &[(f32, DocAddress)] {
    let Some(&(last, _)) = top.last() else {
        return top;
    };
    let keep = top
        .iter()
        .rposition(|(score, _)| *score != last)
        .map_or(0, |i| i + 1);
    &top[..keep]
}

/// What `Engine::settle_passages` reads of a lexical page being ranked: its query's weight,
/// the fetched passages' scores as tantivy gave them and the last one's (the cut), the matches
/// counted.
struct PageToSettle<'a> {
    weight: &'a dyn tantivy::query::Weight,
    built: &'a BuiltQuery,
    request: &'a SearchSettings,
    matches: &'a articles::ArticleMatches,
    raw: &'a HashMap<DocAddress, f32>,
    cut: f32,
    /// How far down the ranking is exact: the cut, or the last passage as ranked when the
    /// whole-article evidence lifted it above the cut. An unfetched passage can score up to
    /// the cut, so nothing settled below this may fill the page.
    floor: f32,
}

/// `collector`'s fruit for `weight` over every segment of `searcher`: what tantivy's search does
/// once it has built the weight (a page builds it once for all its fetches).
fn collect_with<C: tantivy::collector::Collector>(
    searcher: &tantivy::Searcher,
    weight: &dyn tantivy::query::Weight,
    collector: &C,
) -> Result<C::Fruit> {
    let fruits = searcher
        .segment_readers()
        .iter()
        .enumerate()
        .map(|(ord, reader)| collector.collect_segment(weight, ord as u32, reader))
        .collect::<tantivy::Result<Vec<_>>>()?;
    Ok(collector.merge_fruits(fruits)?)
}

/// A passage kept for a page: (score, address), and its article's near-duplicate signature.
type KeptPassage = ((f32, DocAddress), Option<index::dedup::Signature>);

/// The search by meaning of one request: its mode and the passages nearest the query, best
/// first, with their cosines.
struct Meaning {
    mode: Mode,
    nearest: Vec<(f32, DocAddress)>,
    /// The dense side's weight in hybrid fusion.
    weight: f32,
}

impl Engine {
    pub fn new(handle: IndexHandle) -> Result<Engine> {
        let reader = handle.reader()?;
        Ok(Engine::with_reader(std::sync::Arc::new(handle), reader))
    }

    /// An engine over a shared handle and reader (the server makes one per request).
    pub fn with_reader(handle: std::sync::Arc<IndexHandle>, reader: IndexReader) -> Engine {
        let stemmer = handle.header.settings.stemmer;
        Engine {
            handle,
            reader,
            exact: analysis::exact_analyzer(),
            stem: analysis::stem_analyzer(stemmer),
            term_stemmer: analysis::TermStemmer::new(stemmer),
            readings: Default::default(),
            caches: Default::default(),
            encoder: None,
        }
    }

    /// This engine, searching by meaning too with `encoder` where the index has passage vectors.
    pub fn with_encoder(mut self, encoder: EncoderSlot) -> Engine {
        self.encoder = Some(encoder);
        self
    }

    /// Whether this engine and `other` remember their work in the same caches (clones do).
    pub fn shares_caches_with(&self, other: &Engine) -> bool {
        std::sync::Arc::ptr_eq(&self.caches, &other.caches)
    }

    pub fn fields(&self) -> &Fields {
        &self.handle.fields
    }

    pub fn handle(&self) -> &IndexHandle {
        &self.handle
    }

    /// Picks up a newer commit, if any.
    pub fn reload(&self) -> Result<()> {
        self.reader.reload()?;
        Ok(())
    }

    /// Runs `request`.
    pub fn search(&mut self, request: &SearchSettings) -> Result<SearchResults> {
        let started = Instant::now();
        let searcher = self.reader.searcher();
        let (mut built, query) = self.prepare(&searcher, request)?;
        let meaning = match query {
            Some(_) => self.by_meaning(&searcher, request, &mut built)?,
            None => None,
        };
        self.answer(&searcher, request, built, query, meaning, started)
    }

    /// "More like this": the articles nearest `article_id` by meaning (its passages' vectors
    /// averaged), within `request`'s filters (its words are not read), without the article
    /// itself and its copies. Needs the index's passage vectors (`fahras embed`).
    pub fn similar(&mut self, article_id: &str, request: &SearchSettings) -> Result<SearchResults> {
        let started = Instant::now();
        let searcher = self.reader.searcher();
        let request = &SearchSettings {
            query: String::new(),
            mode: Some(Mode::Semantic),
            ..request.clone()
        };
        let (mut built, _) = self.prepare(&searcher, request)?;
        let fields = self.handle.fields;
        let Some(vectors) = self.vectors(&searcher)? else {
            return Err(crate::Error::NoVectors(self.handle.dir.clone()));
        };
        let passages = searcher.search(
            &TermQuery::new(
                Term::from_field_text(fields.article_id, article_id),
                IndexRecordOption::Basic,
            ),
            &tantivy::collector::DocSetCollector,
        )?;
        let Some(&first) = passages.iter().min_by_key(|a| (a.segment_ord, a.doc_id)) else {
            return Err(crate::Error::UnknownArticle(article_id.to_owned()));
        };
        let mut sum = [0f32; semantic::DIM];
        let mut found = 0;
        for address in &passages {
            let row = vectors.segments[address.segment_ord as usize]
                .as_ref()
                .and_then(|matrix| matrix.row(address.doc_id));
            if let Some(row) = row {
                sum.iter_mut().zip(row).for_each(|(s, x)| *s += x);
                found += 1;
            }
        }
        if found == 0 {
            return Err(crate::Error::BadSetting(format!(
                "article {article_id:?} has no passage vectors yet: run `fahras embed`"
            )));
        }
        let norm = sum
            .iter()
            .map(|x| x * x)
            .sum::<f32>()
            .sqrt()
            .max(f32::MIN_POSITIVE);
        sum.iter_mut().for_each(|x| *x /= norm);
        // Not the article, nor its copies (the same story elsewhere is no news).
        let mut excluded = vec![article_id.to_owned()];
        let mut signatures = copies::SignatureReader::new(&searcher);
        if let Some(signature) = signatures.signature(first) {
            excluded.extend(
                self.copies(&searcher, &mut signatures, article_id, &signature)?
                    .into_iter()
                    .map(|copy| copy.article_id),
            );
        }
        built.negatives.push(build::ids_filter(&fields, &excluded));
        let nearest = dense::nearest(
            &searcher,
            &vectors,
            &sum,
            built.restriction().as_deref(),
            semantic::SIDE_DEPTH,
        )?;
        let meaning = Meaning {
            mode: Mode::Semantic,
            nearest,
            weight: 1.0,
        };
        let all: Box<dyn tantivy::query::Query> = Box::new(tantivy::query::AllQuery);
        self.answer(&searcher, request, built, Some(all), Some(meaning), started)
    }

    /// The results of `query` (`None`: nothing to search for), ranked as `meaning` says.
    fn answer(
        &mut self,
        searcher: &tantivy::Searcher,
        request: &SearchSettings,
        mut built: BuiltQuery,
        query: Option<Box<dyn tantivy::query::Query>>,
        meaning: Option<Meaning>,
        started: Instant,
    ) -> Result<SearchResults> {
        let mode = meaning.as_ref().map_or(Mode::Lexical, |m| m.mode);
        if mode == Mode::Semantic {
            // The words' spellings and corrections were not searched: nothing to report of them
            // (their highlights stay: they show where the words stand in what the meaning found).
            built.variants.clear();
            built.variant_articles.clear();
            built.suggestions.clear();
            built.searched_instead.clear();
        }
        let empty = |built: BuiltQuery| SearchResults {
            hits: Vec::new(),
            total_hits: 0,
            total_articles: 0,
            facets: None,
            histogram: None,
            took_ms: started.elapsed().as_secs_f64() * 1e3,
            mode,
            meaning_articles: 0,
            variants: built.variants,
            variant_articles: built.variant_articles,
            suggestions: built.suggestions,
            searched_instead: built.searched_instead,
            notes: built.notes,
        };
        let Some(query) = query else {
            return Ok(empty(built));
        };
        // Semantic mode answers with the nearest passages alone: they are what is counted.
        let query: Box<dyn tantivy::query::Query> = match &meaning {
            Some(m) if m.mode == Mode::Semantic => {
                if m.nearest.is_empty() {
                    return Ok(empty(built));
                }
                Box::new(dense::PassageSet::new(searcher, &m.nearest))
            }
            _ => query,
        };
        let tables = self.article_tables(searcher)?;
        let collector = articles::ArticleCollector {
            tables: tables.clone(),
            facets: request.facets || request.histogram.is_some(),
            dates: request.sort != Sort::Relevance,
        };
        let (matches, page) = match (request.sort, &meaning) {
            (Sort::Relevance, _) => self.page_by_relevance(
                searcher,
                &*query,
                &built,
                request,
                collector,
                meaning.as_ref(),
            )?,
            // Date order in hybrid mode orders the lexical matches and the nearest passages;
            // the totals still count the lexical matches.
            (Sort::Newest | Sort::Oldest, Some(m)) if m.mode == Mode::Hybrid => {
                let both = tantivy::query::BooleanQuery::new(vec![
                    (Occur::Should, query.box_clone()),
                    (
                        Occur::Should,
                        Box::new(dense::PassageSet::new(searcher, &m.nearest)),
                    ),
                ]);
                let ordered = searcher.search(&both, &collector)?;
                let page = self.page_by_date(searcher, &both, None, request, &ordered)?;
                (searcher.search(&*query, &collector)?, page)
            }
            (Sort::Newest | Sort::Oldest, _) => {
                let matches = searcher.search(&*query, &collector)?;
                let lexical = meaning.is_none().then_some(&built);
                let page = self.page_by_date(searcher, &*query, lexical, request, &matches)?;
                (matches, page)
            }
        };
        let meaning_articles = match &meaning {
            Some(m) if m.mode == Mode::Hybrid => {
                let mut added = std::collections::HashSet::new();
                for address in fuse::adding(&m.nearest, m.weight) {
                    let Some(table) = tables.get(&address.segment_ord) else {
                        continue;
                    };
                    if let Some(ord) = table.article_of(address.doc_id) {
                        if matches.passages_of(address.segment_ord, ord) == 0 {
                            added.insert((address.segment_ord, ord));
                        }
                    }
                }
                added.len()
            }
            _ => 0,
        };
        let hits = self.hits(searcher, request, &built, &tables, &matches, page)?;
        let facets = match request.facets {
            true => {
                let mut facets = matches.facets();
                self.count_curated_collections(searcher, &tables, &matches, &mut facets)?;
                Some(facets)
            }
            false => None,
        };
        Ok(SearchResults {
            hits,
            total_hits: matches.passages,
            total_articles: matches.articles(),
            facets,
            histogram: request
                .histogram
                .map(|interval| matches.histogram(interval)),
            took_ms: started.elapsed().as_secs_f64() * 1e3,
            mode,
            meaning_articles,
            variants: built.variants,
            variant_articles: built.variant_articles,
            suggestions: built.suggestions,
            searched_instead: built.searched_instead,
            notes: built.notes,
        })
    }

    /// The search by meaning `request` asks for (its mode, or by default hybrid when the whole
    /// index has vectors of the installed model), with the passages nearest the query within
    /// its filters; `None` when it is answered by words alone. What stands in the way of a mode
    /// asked for is an error; of the default, a note.
    fn by_meaning(
        &self,
        searcher: &tantivy::Searcher,
        request: &SearchSettings,
        built: &mut BuiltQuery,
    ) -> Result<Option<Meaning>> {
        if request.mode == Some(Mode::Lexical) {
            return Ok(None);
        }
        let asked = request.mode.is_some();
        let text = semantic::meaning_text(&parse(request).nodes);
        if text.is_empty() {
            if request.mode == Some(Mode::Semantic) {
                return Err(crate::Error::BadSetting(
                    "a search by meaning needs words to compare (mode semantic)".into(),
                ));
            }
            if asked {
                built.notes.push(Note::NothingToCompare);
            }
            return Ok(None);
        }
        let Some(vectors) = self.vectors(searcher)? else {
            if asked {
                return Err(crate::Error::NoVectors(self.handle.dir.clone()));
            }
            return Ok(None);
        };
        // Partly embedded: the default answers by words, without loading the model.
        if !vectors.complete() && !asked {
            built.notes.push(Note::VectorsPartial {
                covered: vectors.covered,
                passages: vectors.passages,
                used: false,
            });
            return Ok(None);
        }
        let encoder = match &self.encoder {
            Some(slot) if slot.available() => slot.get(vectors.record.max_tokens)?,
            Some(_) | None => {
                if asked {
                    return Err(semantic::missing_model(&semantic::model_path()));
                }
                built.notes.push(Note::ModelMissing);
                return Ok(None);
            }
        };
        if encoder.identity() != vectors.record.identity {
            if asked {
                return Err(crate::Error::StaleVectors {
                    dir: self.handle.dir.clone(),
                    made_with: vectors.record.identity.clone(),
                    installed: encoder.identity(),
                });
            }
            built.notes.push(Note::VectorsOfAnotherModel);
            return Ok(None);
        }
        if !vectors.complete() {
            built.notes.push(Note::VectorsPartial {
                covered: vectors.covered,
                passages: vectors.passages,
                used: true,
            });
        }
        let mode = request.mode.unwrap_or(Mode::Hybrid);
        let query_vector = encoder.embed(&[&text], semantic::Kind::Query, 1);
        let admitted = built.restriction();
        // Semantic mode's answer is this top, whatever page is asked: its counts are fixed.
        let depth = semantic::SIDE_DEPTH;
        let nearest = dense::nearest(
            searcher,
            &vectors,
            &query_vector[0],
            admitted.as_deref(),
            depth,
        )?;
        Ok(Some(Meaning {
            mode,
            nearest,
            weight: request.semantic_weight,
        }))
    }

    /// The passage vectors of `searcher`'s commit, as of the vector store's last change.
    fn vectors(
        &self,
        searcher: &tantivy::Searcher,
    ) -> Result<Option<std::sync::Arc<semantic::store::IndexVectors>>> {
        if !semantic::store::folder(&self.handle.dir).is_dir() {
            return Ok(None);
        }
        let stamp = semantic::store::stamp(&self.handle.dir);
        let mut caches = self.lock_caches(searcher);
        if let Some((known, vectors)) = &caches.vectors {
            if *known == stamp {
                return Ok(vectors.clone());
            }
        }
        caches.segment_vectors.clear();
        let vectors =
            semantic::store::open_vectors(&self.handle.dir, searcher, &mut caches.segment_vectors)?
                .map(std::sync::Arc::new);
        caches.vectors = Some((stamp, vectors.clone()));
        Ok(vectors)
    }

    /// One name is one collection: the collection facet also counts the matching articles chosen
    /// by hand into each curated collection (those not filed under that same name at index
    /// time, which are counted already).
    fn count_curated_collections(
        &self,
        searcher: &tantivy::Searcher,
        tables: &HashMap<tantivy::SegmentOrdinal, std::sync::Arc<articles::ArticleTable>>,
        matches: &articles::ArticleMatches,
        facets: &mut Facets,
    ) -> Result<()> {
        let Some(stamp) = crate::curation::stamp(&self.handle.dir) else {
            return Ok(());
        };
        let generation = searcher.generation().generation_id();
        let cached = self
            .lock_caches(searcher)
            .curated
            .as_ref()
            .filter(|(known, _)| *known == stamp)
            .map(|(_, curated)| std::sync::Arc::clone(curated));
        let curated = match cached {
            Some(curated) => curated,
            None => {
                let curated = std::sync::Arc::new(self.curated_articles(searcher, tables)?);
                let mut caches = self.caches.lock().unwrap_or_else(|e| e.into_inner());
                caches.for_generation(generation).curated =
                    Some((stamp, std::sync::Arc::clone(&curated)));
                curated
            }
        };
        let mut added: HashMap<&str, usize> = HashMap::new();
        for article in curated.iter() {
            if matches.passages_of(article.segment, article.ord) > 0 {
                for name in &article.collections {
                    *added.entry(name).or_default() += 1;
                }
            }
        }
        for (name, count) in added {
            facets.add_to_collection(name, count);
        }
        Ok(())
    }

    /// The live curated articles with the collections they were chosen into besides the one
    /// they were filed under (read from the store and one search over their ids).
    fn curated_articles(
        &self,
        searcher: &tantivy::Searcher,
        tables: &HashMap<tantivy::SegmentOrdinal, std::sync::Arc<articles::ArticleTable>>,
    ) -> Result<Vec<CuratedArticle>> {
        let Some(store) = crate::curation::Store::open_existing(&self.handle.dir)? else {
            return Ok(Vec::new());
        };
        let mut chosen: HashMap<String, Vec<String>> = HashMap::new();
        for collection in store.collections()? {
            for id in store.ids_in(std::slice::from_ref(&collection.name))? {
                chosen.entry(id).or_default().push(collection.name.clone());
            }
        }
        if chosen.is_empty() {
            return Ok(Vec::new());
        }
        let field = self.handle.fields.article_id;
        let terms = chosen.keys().map(|id| Term::from_field_text(field, id));
        let passages = searcher.search(
            &tantivy::query::TermSetQuery::new(terms),
            &tantivy::collector::DocSetCollector,
        )?;
        let mut seen = std::collections::HashSet::new();
        let mut curated = Vec::new();
        for address in passages {
            let Some(table) = tables.get(&address.segment_ord) else {
                continue;
            };
            let Some(ord) = table.article_of(address.doc_id) else {
                continue;
            };
            if !seen.insert((address.segment_ord, ord)) {
                continue;
            }
            let id = articles::article_id_at(searcher, address.segment_ord, ord);
            let filed = table.collection_of(ord).map(str::to_lowercase);
            // Filed under that same name at index time: counted already.
            let collections: Vec<String> = chosen
                .get(&id)
                .into_iter()
                .flatten()
                .filter(|name| filed.as_deref() != Some(name.to_lowercase().as_str()))
                .cloned()
                .collect();
            if !collections.is_empty() {
                curated.push(CuratedArticle {
                    segment: address.segment_ord,
                    ord,
                    collections,
                });
            }
        }
        Ok(curated)
    }

    /// The articles `query` matches (collected by `collector`) and the passages of the page up
    /// to its end, best first, grouped by article.
    ///
    /// Fetches enough passages to fill the page after grouping, and widens when grouping ate
    /// them; the articles are collected in the same pass as the first fetch. Every page widens
    /// to the same cap, so pages of a huge tie run (a filter-only query scores every match the
    /// same) order the same candidates.
    fn page_by_relevance(
        &self,
        searcher: &tantivy::Searcher,
        query: &dyn tantivy::query::Query,
        built: &BuiltQuery,
        request: &SearchSettings,
        collector: articles::ArticleCollector,
        meaning: Option<&Meaning>,
    ) -> Result<(articles::ArticleMatches, Vec<KeptPassage>)> {
        let fields = self.handle.fields;
        let wanted = request.page_end();
        let cap = MAX_TIE_FETCH.max(wanted.saturating_mul(3));
        // Every page rescores the same first passages by their articles (see `whole_article`).
        let mut fetch = wanted
            .saturating_mul(3)
            .max(50)
            .max(whole_article::DEPTH)
            .min(cap);
        if meaning.is_some() {
            fetch = fetch.max(semantic::SIDE_DEPTH);
        }
        let statistics = self.statistics(searcher, request.ranking.bm25_b);
        // One weight for every fetch of the page and for settling its articles' passages.
        let weight = query.weight(
            tantivy::query::EnableScoring::enabled_from_statistics_provider(&statistics, searcher),
        )?;
        let (matches, mut top) = collect_with(
            searcher,
            weight.as_ref(),
            &(collector, TopDocs::with_limit(fetch).order_by_score()),
        )?;
        // Hybrid: the lexical passages fused with the nearest ones (semantic mode searched the
        // nearest passages themselves, scored by their closeness).
        let rank = |top: Vec<(f32, DocAddress)>| -> Result<Vec<(f32, DocAddress)>> {
            Ok(match meaning {
                Some(m) if m.mode == Mode::Hybrid => {
                    let lexical = self.lexical_articles(searcher, built, request, top)?;
                    fuse::fuse(&lexical, &m.nearest, m.weight)
                }
                Some(m) => m.nearest.clone(),
                None => self.lexical_articles(searcher, built, request, top)?,
            })
        };
        let mut fetched = top.len();
        // The scores as tantivy gave them (the prior on the leads): `settle_passages` reads them.
        let mut raw: HashMap<DocAddress, f32> = HashMap::new();
        let remember = |top: &[(f32, DocAddress)], raw: &mut HashMap<DocAddress, f32>| {
            if meaning.is_none() {
                raw.clear();
                raw.extend(top.iter().map(|&(score, address)| (address, score)));
            }
            top.last().map(|&(score, _)| score)
        };
        let mut cut = remember(&top, &mut raw);
        top = rank(top)?;
        loop {
            // Passages tied with the last one fetched may continue past the cut, and ties are
            // ordered by date and id, not by where the cut fell: leave that run out unless
            // everything was fetched, so that every page (each fetches a different number)
            // orders the same passages the same way.
            let complete = fetched < fetch || fetch >= cap;
            let trusted = if complete {
                &top[..]
            } else {
                without_last_tie_run(&top)
            };
            let mut reader = copies::SignatureReader::new(searcher);
            let ordered = order_ties(searcher, &fields, &mut reader, trusted)?;
            let mut kept = self.page_passages(
                searcher,
                &ordered,
                request.per_article.get(),
                wanted,
                request.copies == Copies::Listed,
            )?;
            if let (None, false, Some(cut)) = (meaning, complete, cut) {
                let floor = top.last().map_or(cut, |&(last, _)| last.max(cut));
                let settle = PageToSettle {
                    weight: weight.as_ref(),
                    built,
                    request,
                    matches: &matches,
                    raw: &raw,
                    cut,
                    floor,
                };
                if let Some(settled) = self.settle_passages(searcher, &settle, trusted, &kept)? {
                    let ordered = order_ties(searcher, &fields, &mut reader, &settled)?;
                    kept = self.page_passages(
                        searcher,
                        &ordered,
                        request.per_article.get(),
                        wanted,
                        request.copies == Copies::Listed,
                    )?;
                }
            }
            if kept.len() >= wanted || complete {
                return Ok((matches, kept));
            }
            fetch = fetch.saturating_mul(4).min(cap);
            top = collect_with(
                searcher,
                weight.as_ref(),
                &TopDocs::with_limit(fetch).order_by_score(),
            )?;
            fetched = top.len();
            cut = remember(&top, &mut raw);
            top = rank(top)?;
        }
    }

    /// `ranked` (a lexical page's passages as ranked, cut at `settle.cut`) with the passages of
    /// the page's uncertain articles scored exactly; `None` when none is uncertain. An article's
    /// rank is exact from the first fetch (its best passage, raised, is among those fetched),
    /// but the lead prior's move to the whole article (see `lead`) needs the article's best
    /// passage on its own, which may lie below the cut when the article's fetched passages
    /// score no more than the cut on their own: then the passage shown would depend on how
    /// many passages were fetched (the page size, the offset). Those articles' matching
    /// passages are searched again, all of them, and each scores its own score plus what lifts
    /// the article's best to its rank.
    fn settle_passages(
        &self,
        searcher: &tantivy::Searcher,
        settle: &PageToSettle<'_>,
        ranked: &[(f32, DocAddress)],
        page: &[KeptPassage],
    ) -> Result<Option<Vec<(f32, DocAddress)>>> {
        let Some(bonus) = settle.built.lead_bonus() else {
            return Ok(None);
        };
        let tables = self.article_tables(searcher)?;
        let article_of = |address: DocAddress| -> Option<(u32, u64)> {
            let ord = tables
                .get(&address.segment_ord)?
                .article_of(address.doc_id)?;
            Some((address.segment_ord, ord))
        };
        let own = |address: DocAddress, raw: f32| -> f32 {
            let is_lead = tables
                .get(&address.segment_ord)
                .is_some_and(|table| table.is_lead(address.doc_id));
            lead::own_score(raw, is_lead, bonus)
        };
        /// What the fetch holds of one article.
        struct Fetched {
            passages: u32,
            best_own: f32,
            best_ranked: f32,
            /// One of its documents.
            doc: DocId,
        }
        let mut fetched: HashMap<(u32, u64), Fetched> = HashMap::new();
        for &(score, address) in ranked {
            let (Some(key), Some(&raw)) = (article_of(address), settle.raw.get(&address)) else {
                continue;
            };
            let entry = fetched.entry(key).or_insert(Fetched {
                passages: 0,
                best_own: f32::NEG_INFINITY,
                best_ranked: f32::NEG_INFINITY,
                doc: address.doc_id,
            });
            entry.passages += 1;
            entry.best_own = entry.best_own.max(own(address, raw));
            entry.best_ranked = entry.best_ranked.max(score);
        }
        let per_article = settle.request.per_article.get();
        // The articles shown. With one passage per article, those before the offset cannot
        // change what is shown; with more, how many slots they take moves the offset.
        let skip = if per_article == 1 {
            settle.request.offset
        } else {
            0
        };
        let mut uncertain: Vec<(u32, u64)> = Vec::new();
        let mut seen: std::collections::HashSet<(u32, u64)> = std::collections::HashSet::new();
        for ((_, address), _) in page.iter().skip(skip) {
            let Some(key) = article_of(*address) else {
                continue;
            };
            let Some(article) = fetched.get(&key) else {
                continue;
            };
            let unfetched = settle.matches.passages_of(key.0, key.1) > article.passages;
            if unfetched && (per_article > 1 || article.best_own <= settle.cut) && seen.insert(key)
            {
                uncertain.push(key);
            }
        }
        if uncertain.is_empty() {
            return Ok(None);
        }
        // Every matching passage of those articles, scored by the page's own weight: an
        // article's passages are consecutive documents of one segment.
        let mut spans: Vec<(u32, DocId, DocId)> = uncertain
            .iter()
            .filter_map(|key| {
                let doc = fetched.get(key)?.doc;
                let (start, end) = tables.get(&key.0)?.documents_around(doc);
                Some((key.0, start, end))
            })
            .collect();
        spans.sort_unstable();
        let mut all: Vec<(f32, DocAddress)> = Vec::new();
        for segment_spans in spans.chunk_by(|a, b| a.0 == b.0) {
            let segment = segment_spans[0].0;
            let reader = searcher.segment_reader(segment);
            let alive = reader.alive_bitset();
            let mut scorer = settle.weight.scorer(reader, 1.0)?;
            for &(_, start, end) in segment_spans {
                let mut doc = scorer.doc();
                if doc < start {
                    doc = scorer.seek(start);
                }
                while doc < end {
                    if alive.is_none_or(|bits| bits.is_alive(doc)) {
                        all.push((scorer.score(), DocAddress::new(segment, doc)));
                    }
                    doc = scorer.advance();
                }
            }
        }
        // The uncertain articles' best own scores over all their passages.
        let mut best_own: HashMap<(u32, u64), f32> = HashMap::new();
        for &(raw, address) in &all {
            if let Some(key) = article_of(address) {
                let best = best_own.entry(key).or_insert(f32::NEG_INFINITY);
                *best = best.max(own(address, raw));
            }
        }
        // Showing one passage per article, an article whose best passage was fetched after all
        // shows it already, with the same score.
        let unchanged = |key: &(u32, u64)| {
            per_article == 1
                && fetched
                    .get(key)
                    .zip(best_own.get(key))
                    .is_some_and(|(fetched, best)| fetched.best_own == *best)
        };
        if uncertain.iter().all(unchanged) {
            return Ok(None);
        }
        let mut settled: Vec<(f32, DocAddress)> = ranked
            .iter()
            .filter(|&&(_, address)| {
                article_of(address).is_none_or(|key| !best_own.contains_key(&key))
            })
            .copied()
            .collect();
        for &(raw, address) in &all {
            let Some(key) = article_of(address) else {
                continue;
            };
            let (Some(article), Some(&best)) = (fetched.get(&key), best_own.get(&key)) else {
                continue;
            };
            let score = lead::lifted(own(address, raw), article.best_ranked, best);
            settled.push((score, address));
        }
        settled.retain(|&(score, _)| score > settle.floor);
        settled.sort_by(|a, b| b.0.total_cmp(&a.0));
        Ok(Some(settled))
    }

    /// The hits of the page (from `request.offset`) among `page`: documents read, copies,
    /// highlights, and each article's count of other matching passages.
    fn hits(
        &mut self,
        searcher: &tantivy::Searcher,
        request: &SearchSettings,
        built: &BuiltQuery,
        tables: &HashMap<tantivy::SegmentOrdinal, std::sync::Arc<articles::ArticleTable>>,
        matches: &articles::ArticleMatches,
        page: Vec<KeptPassage>,
    ) -> Result<Vec<Hit>> {
        let fields = self.handle.fields;
        // Passages on the page per article (the whole page, offset included, so that an
        // article's count does not depend on where the page starts), by (segment, id ordinal).
        let mut shown_per_article: HashMap<(u32, u64), usize> = HashMap::new();
        let article_of: Vec<Option<(u32, u64)>> = page
            .iter()
            .map(|((_, address), _)| {
                let table = tables.get(&address.segment_ord)?;
                Some((address.segment_ord, table.article_of(address.doc_id)?))
            })
            .collect();
        for key in article_of.iter().flatten() {
            *shown_per_article.entry(*key).or_default() += 1;
        }
        let mut hits = Vec::new();
        let mut signatures = copies::SignatureReader::new(searcher);
        for (rank, ((score, address), signature)) in
            page.into_iter().enumerate().skip(request.offset)
        {
            let mut hit = read_hit(searcher, &fields, address, rank + 1, score, built)?;
            if let Some(signature) = signature {
                hit.copies = self.copies(searcher, &mut signatures, &hit.article_id, &signature)?;
            }
            if request.highlighting == Highlighting::On {
                hit.highlights = self.highlight(&hit.text, &built.highlight);
                hit.title_highlights = self.highlight(&hit.title, &built.highlight);
            }
            if let Some(key) = article_of[rank] {
                let matched = matches.passages_of(key.0, key.1) as usize;
                let shown = shown_per_article.get(&key).copied().unwrap_or(1);
                hit.more_passages = matched.saturating_sub(shown);
            }
            hits.push(hit);
        }
        Ok(hits)
    }

    /// The copies of the article `article_id` (whose signature is `signature`), remembered for
    /// this index generation.
    fn copies(
        &self,
        searcher: &tantivy::Searcher,
        signatures: &mut copies::SignatureReader,
        article_id: &str,
        signature: &index::dedup::Signature,
    ) -> Result<Vec<copies::Copy>> {
        if let Some(known) = self.lock_caches(searcher).copies.get(article_id) {
            return Ok(known.clone());
        }
        let found = copies::copies_of(
            searcher,
            signatures,
            &self.handle.fields,
            article_id,
            signature,
        )?;
        self.lock_caches(searcher)
            .copies
            .insert(article_id.to_owned(), found.clone());
        Ok(found)
    }

    /// The passages of a page in date order: the matching articles sorted by their instant of
    /// publication (from the fast column the collector read; undated last, ties by id), and the
    /// best passages of each, found by the query restricted to the page's articles. Copies are
    /// folded as in relevance order. Ids are read only for the articles the page needs.
    fn page_by_date(
        &self,
        searcher: &tantivy::Searcher,
        query: &dyn tantivy::query::Query,
        lexical: Option<&BuiltQuery>,
        request: &SearchSettings,
        matches: &articles::ArticleMatches,
    ) -> Result<Vec<KeptPassage>> {
        let wanted = request.page_end();
        let newest = request.sort == Sort::Newest;
        let by_instant =
            |a: &articles::DatedArticle, b: &articles::DatedArticle| match (a.instant, b.instant) {
                (Some(x), Some(y)) if newest => y.cmp(&x),
                (Some(x), Some(y)) => x.cmp(&y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            };
        let mut ordered = matches.dated.clone();
        ordered.sort_unstable_by(by_instant);
        let per_article = request.per_article.get();
        let fields = self.handle.fields;
        // Copies fold: take articles until the page is full after folding, widening as needed.
        let mut take = (wanted * 2).max(20);
        loop {
            // The articles up to `take`, with the rest of the run of equal instants at the cut,
            // so that ties are broken by id over the whole run.
            let mut end = take.min(ordered.len());
            while end > 0
                && end < ordered.len()
                && by_instant(&ordered[end - 1], &ordered[end]).is_eq()
            {
                end += 1;
            }
            let mut named: Vec<(articles::DatedArticle, String)> = ordered[..end]
                .iter()
                .map(|a| (*a, articles::article_id_at(searcher, a.segment, a.ord)))
                .collect();
            named.sort_by(|(a, a_id), (b, b_id)| by_instant(a, b).then_with(|| a_id.cmp(b_id)));
            named.truncate(take);
            let page: Vec<&String> = named.iter().map(|(_, id)| id).collect();
            let passages_needed: usize = named
                .iter()
                .map(|(a, _)| matches.passages_of(a.segment, a.ord) as usize)
                .sum();
            let ids: Vec<(Occur, Box<dyn tantivy::query::Query>)> = page
                .iter()
                .map(|id| {
                    (
                        Occur::Should,
                        Box::new(TermQuery::new(
                            Term::from_field_text(fields.article_id, id),
                            IndexRecordOption::Basic,
                        )) as Box<dyn tantivy::query::Query>,
                    )
                })
                .collect();
            let restricted = BooleanQuery::new(vec![
                (Occur::Must, query.box_clone()),
                (Occur::Must, Box::new(BooleanQuery::new(ids))),
            ]);
            let top = searcher.search_with_statistics_provider(
                &restricted,
                &TopDocs::with_limit(passages_needed.max(1)).order_by_score(),
                &self.statistics(searcher, request.ranking.bm25_b),
            )?;
            // Every matching passage of these articles: in a search by words, the lead prior
            // moves to the whole article exactly, and each article shows its best passages (by
            // meaning, the passages found by meaning alone never had it).
            let top = match lexical {
                Some(built) => self.with_lead_lift(searcher, built, top)?,
                None => top,
            };
            // Best passages first within each article, articles in date order.
            let mut reader = copies::SignatureReader::new(searcher);
            let mut by_article: HashMap<String, Vec<(f32, DocAddress)>> = HashMap::new();
            for (score, address) in order_ties(searcher, &fields, &mut reader, &top)? {
                let id = article_id_of(searcher, &fields, &mut reader, address)?;
                by_article.entry(id).or_default().push((score, address));
            }
            let in_date_order: Vec<(f32, DocAddress)> = page
                .iter()
                .filter_map(|id| by_article.get(*id))
                .flat_map(|passages| passages.iter().take(per_article).copied())
                .collect();
            let kept = self.page_passages(
                searcher,
                &in_date_order,
                per_article,
                wanted,
                request.copies == Copies::Listed,
            )?;
            if kept.len() >= wanted || take >= ordered.len() {
                return Ok(kept);
            }
            take = take.saturating_mul(4);
        }
    }

    /// The article table of each segment of `searcher`, by segment ordinal, built once per
    /// segment and index generation.
    fn article_tables(
        &self,
        searcher: &tantivy::Searcher,
    ) -> Result<HashMap<u32, std::sync::Arc<articles::ArticleTable>>> {
        let mut tables = HashMap::new();
        for (ord, segment) in searcher.segment_readers().iter().enumerate() {
            let id = segment.segment_id();
            let cached = self.lock_caches(searcher).article_tables.get(&id).cloned();
            let table = match cached {
                Some(table) => table,
                None => {
                    let built = std::sync::Arc::new(articles::ArticleTable::build(segment)?);
                    self.lock_caches(searcher)
                        .article_tables
                        .insert(id, std::sync::Arc::clone(&built));
                    built
                }
            };
            tables.insert(ord as u32, table);
        }
        Ok(tables)
    }

    /// The segments' article tables by segment id, as a query reads them while it runs (the
    /// lead prior's leads, the all-words tier's articles).
    fn segment_tables(&self, searcher: &tantivy::Searcher) -> Result<articles::SegmentTables> {
        let by_ordinal = self.article_tables(searcher)?;
        let tables = searcher
            .segment_readers()
            .iter()
            .enumerate()
            .filter_map(|(ord, segment)| {
                let table = by_ordinal.get(&(ord as u32))?;
                Some((segment.segment_id(), std::sync::Arc::clone(table)))
            })
            .collect();
        Ok(articles::SegmentTables::new(tables))
    }

    /// Highlight ranges of `text` for the terms a query searched.
    fn highlight(&mut self, text: &str, terms: &HighlightTerms) -> Vec<[usize; 2]> {
        highlight::highlight_ranges(
            text,
            terms,
            &mut self.exact,
            &self.term_stemmer,
            &mut self.readings,
        )
    }

    /// Collection statistics for BM25 with length normalization `b`, document frequencies
    /// remembered for this index generation.
    fn statistics<'a>(
        &'a self,
        searcher: &'a tantivy::Searcher,
        b: bm25::Bm25B,
    ) -> bm25::LengthNormalization<'a> {
        bm25::LengthNormalization::new(
            searcher,
            b,
            Box::new(move |term: &Term| self.cached_doc_freq(searcher, term)),
        )
    }

    /// Passages holding `term`, remembered for this index generation.
    fn cached_doc_freq(&self, searcher: &tantivy::Searcher, term: &Term) -> tantivy::Result<u64> {
        if let Some(&known) = self.lock_caches(searcher).doc_freqs.get(term) {
            return Ok(known);
        }
        let found = searcher.doc_freq(term)?;
        self.lock_caches(searcher)
            .doc_freqs
            .insert(term.clone(), found);
        Ok(found)
    }

    /// [`Self::cached_doc_freq`], an unreadable segment counting as holding nothing (the search
    /// itself reports it).
    fn doc_freq(&self, searcher: &tantivy::Searcher, term: &Term) -> u64 {
        self.cached_doc_freq(searcher, term).unwrap_or(0)
    }

    fn lock_caches(&self, searcher: &tantivy::Searcher) -> std::sync::MutexGuard<'_, Caches> {
        let mut guard = self.caches.lock().unwrap_or_else(|e| e.into_inner());
        guard.for_generation(searcher.generation().generation_id());
        guard
    }

    /// The passages of a page, best first: at most `per_article` per article, none from an
    /// article that is a copy of one already kept (unless `all_copies`), up to `wanted`. Each
    /// comes with its article's signature. Article ids are read only as far as the page needs.
    ///
    /// `top` comes in display order; callers put passages that tie in score earliest date first,
    /// then smallest article id (see [`order_ties`]): identical copies score the same, so the
    /// copy shown for a group (and the ones folded under it) is the same whatever order the
    /// documents were indexed in.
    fn page_passages(
        &self,
        searcher: &tantivy::Searcher,
        top: &[(f32, DocAddress)],
        per_article: usize,
        wanted: usize,
        all_copies: bool,
    ) -> Result<Vec<KeptPassage>> {
        let mut reader = copies::SignatureReader::new(searcher);
        // Per article: passages kept and signature.
        let mut shown: HashMap<String, (usize, Option<index::dedup::Signature>)> = HashMap::new();
        let mut shown_signatures = index::dedup::CopyFinder::default();
        let mut kept = Vec::new();
        for &(score, address) in top {
            let article_id = article_id_of(searcher, &self.handle.fields, &mut reader, address)?;
            let signature = match shown.get_mut(&article_id) {
                Some((count, signature)) => {
                    if *count >= per_article {
                        continue;
                    }
                    *count += 1;
                    *signature
                }
                None => {
                    let signature = reader.signature(address);
                    let is_copy = signature.is_some_and(|s| shown_signatures.has_copy_of(&s));
                    if is_copy && !all_copies {
                        continue;
                    }
                    shown.insert(article_id, (1, signature));
                    if let Some(signature) = signature {
                        shown_signatures.insert(signature);
                    }
                    signature
                }
            };
            kept.push(((score, address), signature));
            if kept.len() >= wanted {
                break;
            }
        }
        Ok(kept)
    }

    /// Builds `request` and the query to run (extended by feedback when enabled); the query is
    /// `None` when there is nothing to search for.
    fn prepare(
        &mut self,
        searcher: &tantivy::Searcher,
        request: &SearchSettings,
    ) -> Result<(BuiltQuery, Option<Box<dyn tantivy::query::Query>>)> {
        // Outlets are named by their stored code or their Arabic name (`العربية`): resolved
        // here, once, to the codes the index holds (read only when some outlet is named).
        let outlets = std::cell::OnceCell::new();
        let known_outlets =
            || outlets.get_or_init(|| known_keywords(searcher, index::schema::names::SOURCE));
        let resolved;
        let request = if request.sources.is_empty() {
            request
        } else {
            resolved = SearchSettings {
                sources: resolve_outlets(&request.sources, known_outlets())?,
                ..request.clone()
            };
            &resolved
        };
        check_filter(
            searcher,
            "category",
            index::schema::names::CATEGORY,
            &request.categories,
        )?;
        // The lead prior ranks articles (a page moves it from the lead to the whole article,
        // see `lead`, so that it still shows the passage that holds the words) and the
        // all-words tier is decided by articles: both read the segments' article tables.
        let tables = self.segment_tables(searcher)?;
        let mut parsed = parse(request);
        // Outlets named in the query are resolved as those of `--source` are, but a query is
        // always answered: an unknown one is a note (the search finds nothing there).
        let mut unknown = Vec::new();
        for names in [&mut parsed.filters.sources, &mut parsed.filters.not_sources] {
            let mut resolved = Vec::new();
            for name in names.iter() {
                match resolve_outlets(std::slice::from_ref(name), known_outlets()) {
                    Ok(codes) => resolved.extend(codes),
                    Err(error) => {
                        if let crate::Error::UnknownFilter { known, .. } = error {
                            unknown.push(Note::UnknownSource {
                                name: name.clone(),
                                known,
                            });
                        }
                        resolved.push(name.clone());
                    }
                }
            }
            *names = resolved;
        }
        let mut built = self.build(searcher, &parsed, request, tables);
        built.notes.extend(unknown);
        built
            .filters
            .extend(self.curation_filters(searcher, request)?);
        self.exclude_whole_articles(searcher, &mut built)?;
        let query = self.final_query(searcher, &built, request)?;
        Ok((built, query))
    }

    /// The collection and tag filters, with the curated articles read once from the curation
    /// store beside the index: a collection matches the articles filed under it at index time
    /// and those chosen into it by hand; a tag matches the curated articles carrying it, in the
    /// collections asked for when there are some (tags belong to an article's place in a
    /// collection), in any collection otherwise. Names neither the index nor the store knows
    /// are errors that list the known ones.
    fn curation_filters(
        &self,
        searcher: &tantivy::Searcher,
        request: &SearchSettings,
    ) -> Result<Vec<Box<dyn tantivy::query::Query>>> {
        if request.collections.is_empty() && request.tags.is_empty() {
            return Ok(Vec::new());
        }
        let fields = &self.handle.fields;
        let store = crate::curation::Store::open_existing(&self.handle.dir)?;
        let mut filters = Vec::new();
        if !request.collections.is_empty() {
            let mut known = known_keywords(searcher, index::schema::names::COLLECTION);
            if let Some(store) = &store {
                known.extend(store.collections()?.into_iter().map(|c| c.name));
            }
            let names = check_known("collection", &request.collections, known)?;
            let curated = match &store {
                Some(store) => store.ids_in(&names)?,
                None => Vec::new(),
            };
            filters.extend(build::collection_filter(
                fields,
                &request.collections,
                &curated,
            ));
        }
        if !request.tags.is_empty() {
            let known = match &store {
                Some(store) => store.tags()?,
                None => Vec::new(),
            };
            // The store compares tags as written: look up the spellings it holds.
            let tags = check_known("tag", &request.tags, known)?;
            let tagged = match &store {
                Some(store) => store.ids_tagged(&tags, &request.collections)?,
                None => Vec::new(),
            };
            filters.push(build::ids_filter(fields, &tagged));
        }
        Ok(filters)
    }

    /// The ids of every article `request` matches (no ranking, no documents read), for saved
    /// searches and for adding a query's articles to a collection.
    pub fn article_ids(&mut self, request: &SearchSettings) -> Result<Vec<String>> {
        let searcher = self.reader.searcher();
        // Saved searches and collections are built from the words as typed (see `Typos`).
        let request = &SearchSettings {
            typos: Typos::AsTyped,
            ..request.clone()
        };
        let (_, query) = self.prepare(&searcher, request)?;
        let Some(query) = query else {
            return Ok(Vec::new());
        };
        let matches = searcher.search(
            &*query,
            &articles::ArticleCollector {
                tables: self.article_tables(&searcher)?,
                facets: false,
                dates: true,
            },
        )?;
        let mut ids: Vec<String> = matches
            .dated
            .iter()
            .map(|article| articles::article_id_at(&searcher, article.segment, article.ord))
            .collect();
        ids.sort_unstable();
        ids.dedup();
        Ok(ids)
    }

    /// The lead (first passage) of the article `article_id`, `None` when the index does not
    /// hold it.
    pub fn lead_passage(&self, article_id: &str) -> Result<Option<Hit>> {
        let searcher = self.reader.searcher();
        let fields = self.handle.fields;
        let article = || -> Box<dyn tantivy::query::Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(fields.article_id, article_id),
                IndexRecordOption::Basic,
            ))
        };
        let lead = BooleanQuery::new(vec![
            (Occur::Must, article()),
            (
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_u64(fields.passage, 0),
                    IndexRecordOption::Basic,
                )),
            ),
        ]);
        let one = TopDocs::with_limit(1).order_by_score();
        let mut top = searcher.search(&lead, &one)?;
        if top.is_empty() {
            // No passage 0 (never written so far, but any passage still names the article).
            top = searcher.search(&*article(), &one)?;
        }
        match top.first() {
            Some(&(_, address)) => {
                let doc: TantivyDocument = searcher.doc(address)?;
                Ok(Some(hit_from(&doc, &fields, 1, 0.0)))
            }
            None => Ok(None),
        }
    }

    /// Results are articles, so an excluded word (or outlet, or date) excludes every article
    /// that has it in any passage, not only those passages: the articles the exclusions match
    /// become one more exclusion, by id.
    fn exclude_whole_articles(
        &self,
        searcher: &tantivy::Searcher,
        built: &mut BuiltQuery,
    ) -> Result<()> {
        if built.negatives.is_empty() {
            return Ok(());
        }
        let excluded = BooleanQuery::new(
            built
                .negatives
                .iter()
                .map(|q| (Occur::Should, q.box_clone()))
                .collect(),
        );
        let matches = searcher.search(
            &excluded,
            &articles::ArticleCollector {
                tables: self.article_tables(searcher)?,
                facets: false,
                dates: true,
            },
        )?;
        let ids = matches.dated.iter().map(|article| {
            let id = articles::article_id_at(searcher, article.segment, article.ord);
            Term::from_field_text(self.handle.fields.article_id, &id)
        });
        built
            .negatives
            .push(Box::new(tantivy::query::TermSetQuery::new(ids)));
        Ok(())
    }

    /// `parsed` (`request`'s query) built over this index's vocabulary.
    fn build(
        &mut self,
        searcher: &tantivy::Searcher,
        parsed: &query::ParsedQuery,
        request: &SearchSettings,
        tables: articles::SegmentTables,
    ) -> BuiltQuery {
        let fields = self.handle.fields;
        let lexicon = lexicon::IndexLexicon {
            searcher,
            fields: &fields,
            caches: &self.caches,
        };
        build::build(
            parsed,
            request,
            tables,
            &fields,
            build::Analyzers {
                exact: &mut self.exact,
                stem: &mut self.stem,
            },
            &lexicon,
        )
    }

    /// The query to run: the built query, extended by pseudo-relevance feedback when enabled
    /// (see [`feedback`]): the top `prf.docs` articles of a first search (an article scores as
    /// its best passage) are read whole, every passage and, when titles are searched, the title.
    fn final_query(
        &mut self,
        searcher: &tantivy::Searcher,
        built: &BuiltQuery,
        request: &SearchSettings,
    ) -> Result<Option<Box<dyn tantivy::query::Query>>> {
        let ranking = &request.ranking;
        let Some(query) = built.query() else {
            return Ok(None);
        };
        let Some(prf) = ranking.prf else {
            return Ok(Some(query));
        };
        if built.core.is_none()
            || (prf.queries == PrfQueries::Topical
                && (built.positive_parts > build::MAX_TIERED_PARTS
                    || feedback::is_question(&mut self.exact, &request.query)))
        {
            return Ok(Some(query));
        }
        let fields = self.handle.fields;
        // Passages enough for `prf.docs` articles (ANT articles have a few passages each).
        let top = searcher.search_with_statistics_provider(
            &*query,
            &TopDocs::with_limit((prf.docs * 10).max(50)).order_by_score(),
            &self.statistics(searcher, ranking.bm25_b),
        )?;
        let ids = article_ids(searcher, &fields, &top)?;
        let mut best: Vec<(String, f32)> = Vec::new();
        for ((score, _), id) in top.iter().zip(ids) {
            if best.len() >= prf.docs {
                break;
            }
            if !best.iter().any(|(known, _)| *known == id) {
                best.push((id, display_score(*score, built.has_tiers())));
            }
        }
        let with_title = request.fields.title;
        let mut feedback = Vec::with_capacity(best.len());
        for (id, score) in best {
            let text = self.article_text(searcher, &id, with_title)?;
            feedback.push(feedback::FeedbackArticle {
                score,
                terms: analysis::query_terms(&mut self.stem, &text),
            });
        }
        let mut expansion_fields = vec![(fields.text_stem, 1.0)];
        if with_title && ranking.title_weight > 0.0 {
            expansion_fields.push((fields.title_stem, ranking.title_weight));
        }
        let expansion = feedback::expansion_query(
            searcher,
            &expansion_fields,
            &feedback,
            &built.positive_stems,
            prf,
        );
        Ok(match expansion {
            Some(expansion) => built.assemble(Some(expansion)),
            None => Some(query),
        })
    }

    /// The whole text of the article `article_id`: its passages in order, after its title when
    /// `with_title`.
    fn article_text(
        &self,
        searcher: &tantivy::Searcher,
        article_id: &str,
        with_title: bool,
    ) -> Result<String> {
        let fields = self.handle.fields;
        let query = TermQuery::new(
            Term::from_field_text(fields.article_id, article_id),
            IndexRecordOption::Basic,
        );
        let addresses = searcher.search(&query, &tantivy::collector::DocSetCollector)?;
        let mut passages: Vec<(u64, String)> = Vec::with_capacity(addresses.len());
        let mut title = String::new();
        for address in addresses {
            let doc: TantivyDocument = searcher.doc(address)?;
            let ordinal = doc
                .get_first(fields.passage)
                .and_then(|v| v.as_u64())
                .unwrap_or(0);
            if with_title && title.is_empty() {
                title = text_of(&doc, fields.title);
            }
            passages.push((ordinal, text_of(&doc, fields.text)));
        }
        passages.sort_by_key(|(ordinal, _)| *ordinal);
        let mut text = title;
        for (_, passage) in passages {
            text.push('\n');
            text.push_str(&passage);
        }
        Ok(text)
    }

    /// The best passage of each article, best article first, at most `limit` articles (for TREC
    /// runs and evaluation), with scores that never increase down the list: an article that
    /// holds every word of a short query scores 1000 plus its relevance (see `tiered`). Equal
    /// scores come as a page orders them: earliest date first, then smallest id.
    pub fn rank_articles(&mut self, request: &SearchSettings) -> Result<Vec<(String, f32)>> {
        let searcher = self.reader.searcher();
        let fields = self.handle.fields;
        let (mut built, query) = self.prepare(&searcher, request)?;
        let meaning = self.by_meaning(&searcher, request, &mut built)?;
        let has_tiers = built.has_tiers();
        let Some(query) = query else {
            return Ok(Vec::new());
        };
        let decay = request.articles.passage_decay;
        let mut fetch = (request.limit.get() * 4).max(100);
        // Past this many passages a run of ties is ordered as far as it was fetched, as a page
        // does (see `page_by_relevance`).
        let tie_cap = MAX_TIE_FETCH.max(request.limit.get() * 4);
        loop {
            let (top, lexical_complete) = match &meaning {
                Some(m) if m.mode == Mode::Semantic => (m.nearest.clone(), true),
                _ => {
                    let top = searcher.search_with_statistics_provider(
                        &*query,
                        &TopDocs::with_limit(fetch).order_by_score(),
                        &self.statistics(&searcher, request.ranking.bm25_b),
                    )?;
                    let complete = top.len() < fetch;
                    match &meaning {
                        Some(m) => {
                            let lexical = self.lexical_articles(&searcher, &built, request, top)?;
                            (fuse::fuse(&lexical, &m.nearest, m.weight), complete)
                        }
                        None => (top, complete),
                    }
                }
            };
            // The next passages count as they scored: their article's bonus is in its best.
            let mut unbonused: HashMap<DocAddress, f32> = HashMap::new();
            let top = match &meaning {
                None if decay > 0.0 => {
                    unbonused.extend(top.iter().map(|&(score, address)| (address, score)));
                    self.with_article_evidence(&searcher, &built, request, top)?
                }
                None => self.with_article_evidence(&searcher, &built, request, top)?,
                Some(_) => top,
            };
            // Ties in the order a page puts them (earliest date, then id), so that a run ranks
            // what the page shows; as on a page, the passages tied with the last one fetched
            // may continue past the cut, and are left out unless everything was fetched.
            let complete = lexical_complete || fetch >= tie_cap;
            let trusted = if complete {
                &top[..]
            } else {
                without_last_tie_run(&top)
            };
            let mut reader = copies::SignatureReader::new(&searcher);
            let top = order_ties(&searcher, &fields, &mut reader, trusted)?;
            let ids = article_ids(&searcher, &fields, &top)?;
            // Article score: its best passage, plus its other matching passages decayed
            // geometrically (passage_decay 0: the best passage alone).
            let mut articles: Vec<(String, f32, f32)> = Vec::new(); // id, score, next factor
            let mut position: HashMap<String, usize> = HashMap::new();
            for ((score, address), id) in top.iter().zip(ids) {
                match position.get(&id) {
                    Some(&i) => {
                        let entry = &mut articles[i];
                        let own = unbonused.get(address).copied().unwrap_or(*score);
                        entry.1 = tiered::TieredScore::raised(
                            entry.1,
                            entry.2 * display_score(own, has_tiers),
                            has_tiers,
                        );
                        entry.2 *= decay;
                    }
                    None => {
                        position.insert(id.clone(), articles.len());
                        articles.push((id, *score, decay));
                    }
                }
            }
            if articles.len() >= request.limit.get() || lexical_complete {
                // Stable: equal scores keep the order of their best passages.
                articles.sort_by(|a, b| b.1.total_cmp(&a.1));
                articles.truncate(request.limit.get());
                // The scores as ranked (the tier included): trec_eval orders a run by score,
                // so a score without its tier would reorder the ranks.
                return Ok(articles
                    .into_iter()
                    .map(|(id, score, _)| (id, score))
                    .collect());
            }
            fetch *= 4;
        }
    }

    /// `top` (passages, best first) with its first passages rescored by their articles'
    /// whole-article evidence (see [`whole_article`]); as it was when that is off.
    fn with_whole_articles(
        &self,
        searcher: &tantivy::Searcher,
        built: &BuiltQuery,
        request: &SearchSettings,
        top: Vec<(f32, DocAddress)>,
        tables: &HashMap<tantivy::SegmentOrdinal, std::sync::Arc<articles::ArticleTable>>,
    ) -> Result<Vec<(f32, DocAddress)>> {
        let weight = request.articles.article_weight;
        if weight <= 0.0 || built.article_words.is_empty() {
            return Ok(top);
        }
        let fields = whole_article::ArticleFields {
            text: self.handle.fields.text_stem,
            title: request
                .fields
                .title
                .then_some(self.handle.fields.title_stem),
        };
        let doc_freq = |term: &Term| self.doc_freq(searcher, term);
        let statistics = whole_article::Statistics {
            tables,
            doc_freq: &doc_freq,
        };
        Ok(whole_article::rescore(
            searcher,
            fields,
            &built.article_words,
            request.ranking.bm25_b,
            whole_article::Lift {
                weight,
                has_tiers: built.has_tiers(),
            },
            statistics,
            &top,
        )?)
    }

    /// `top` (passages, best first) as articles rank them by relevance before the lead prior's
    /// move: rescored by whole-article evidence, then lifted by the time prior (see
    /// [`time_prior`]) when the query has words.
    fn with_article_evidence(
        &self,
        searcher: &tantivy::Searcher,
        built: &BuiltQuery,
        request: &SearchSettings,
        top: Vec<(f32, DocAddress)>,
    ) -> Result<Vec<(f32, DocAddress)>> {
        let tables = self.article_tables(searcher)?;
        let weight = request.articles.time_prior;
        // A query of filters alone scores every match the same: there is no best to profile.
        if weight <= 0.0 || built.core.is_none() {
            return self.with_whole_articles(searcher, built, request, top, &tables);
        }
        let candidates = whole_article::rescored_articles(&top, &tables);
        let top = self.with_whole_articles(searcher, built, request, top, &tables)?;
        Ok(time_prior::rescore(
            top,
            &candidates,
            weight,
            built.has_tiers(),
            &tables,
        ))
    }

    /// `top` (passages of a lexical search, best first) as a list of articles' passages ranks
    /// them: rescored by their articles' whole-article evidence, the lead prior moved from each
    /// lead to its article. What a page shows, what export writes and what the search by
    /// meaning is fused with.
    fn lexical_articles(
        &self,
        searcher: &tantivy::Searcher,
        built: &BuiltQuery,
        request: &SearchSettings,
        top: Vec<(f32, DocAddress)>,
    ) -> Result<Vec<(f32, DocAddress)>> {
        let top = self.with_article_evidence(searcher, built, request, top)?;
        self.with_lead_lift(searcher, built, top)
    }

    /// `top` (passages scored with the lead prior, best first) with the prior moved from each
    /// article's lead to the whole article (see [`lead`]): the articles rank as they did, each
    /// by the passage that scores best on its own.
    fn with_lead_lift(
        &self,
        searcher: &tantivy::Searcher,
        built: &BuiltQuery,
        top: Vec<(f32, DocAddress)>,
    ) -> Result<Vec<(f32, DocAddress)>> {
        // The tier added the bonus to the leads of these same article tables (one searcher).
        let Some(bonus) = built.lead_bonus() else {
            return Ok(top);
        };
        let tables = self.article_tables(searcher)?;
        let place = |address: DocAddress| {
            let segment = address.segment_ord;
            let table = tables.get(&segment)?;
            Some(lead::Place {
                article: (segment, table.article_of(address.doc_id)?),
                is_lead: table.is_lead(address.doc_id),
            })
        };
        Ok(lead::as_article_lift(top, bonus, place))
    }

    /// Every matching article, best first, each as its best passage (highlighted), passed to
    /// `sink` one at a time so that large exports stream. Returns the number of articles.
    pub fn for_each_article(
        &mut self,
        request: &SearchSettings,
        mut sink: impl FnMut(Hit) -> Result<()>,
    ) -> Result<ArticlesRead> {
        let searcher = self.reader.searcher();
        let fields = self.handle.fields;
        // Files and collections are built from the words as typed (see `Typos`).
        let request = &SearchSettings {
            typos: Typos::AsTyped,
            ..request.clone()
        };
        let (built, query) = self.prepare(&searcher, request)?;
        let mut read = ArticlesRead {
            count: 0,
            notes: built.notes.clone(),
            suggestions: built.suggestions.clone(),
        };
        let Some(query) = query else {
            return Ok(read);
        };
        let total = searcher.search(&*query, &Count)?;
        // Only addresses are held for all matches; documents are read one article at a time.
        let top = searcher.search_with_statistics_provider(
            &*query,
            &TopDocs::with_limit(total.max(1)).order_by_score(),
            &self.statistics(&searcher, request.ranking.bm25_b),
        )?;
        let top = self.lexical_articles(&searcher, &built, request, top)?;
        let best = group_by_article(&searcher, &fields, &top, 1)?;
        for (rank, (score, address, _)) in best.into_iter().enumerate() {
            let mut hit = read_hit(&searcher, &fields, address, rank + 1, score, &built)?;
            hit.highlights = self.highlight(&hit.text, &built.highlight);
            hit.title_highlights = self.highlight(&hit.title, &built.highlight);
            sink(hit)?;
            read.count += 1;
        }
        Ok(read)
    }

    /// All passages of an article, in order, as hits (rank = passage ordinal + 1), highlighted
    /// for `query` when given.
    pub fn article(&mut self, article_id: &str, query: Option<&str>) -> Result<Vec<Hit>> {
        let searcher = self.reader.searcher();
        let fields = self.handle.fields;
        let term = Term::from_field_text(fields.article_id, article_id);
        let top = searcher.search(
            &TermQuery::new(term, IndexRecordOption::Basic),
            &TopDocs::with_limit(100_000).order_by_score(),
        )?;
        let highlight_terms = match query {
            Some(query) => {
                let request = SearchSettings {
                    query: query.to_owned(),
                    ..SearchSettings::default()
                };
                // Only the highlight terms are read: no tables needed.
                self.build(&searcher, &parse(&request), &request, Default::default())
                    .highlight
            }
            None => HighlightTerms::default(),
        };
        let mut hits = Vec::new();
        for (_, address) in top {
            let doc: TantivyDocument = searcher.doc(address)?;
            let mut hit = hit_from(&doc, &fields, 0, 0.0);
            hit.rank = hit.passage as usize + 1;
            hit.highlights = self.highlight(&hit.text, &highlight_terms);
            hit.title_highlights = self.highlight(&hit.title, &highlight_terms);
            hits.push(hit);
        }
        hits.sort_by_key(|h| h.passage);
        Ok(hits)
    }
}

/// The values of a keyword field (outlet, collection) in the index, as written, sorted.
pub fn known_keywords(searcher: &tantivy::Searcher, field_name: &str) -> Vec<String> {
    let mut known = std::collections::BTreeSet::new();
    for segment in searcher.segment_readers() {
        let Ok(Some(column)) = segment.fast_fields().str(field_name) else {
            continue;
        };
        let dictionary = column.dictionary();
        let Ok(mut stream) = dictionary.stream() else {
            continue;
        };
        while stream.advance() {
            if let Ok(value) = std::str::from_utf8(stream.key()) {
                known.insert(value.to_owned());
            }
        }
    }
    known.into_iter().collect()
}

/// A filter naming an outlet or collection the index does not hold is an error that lists the
/// known ones (instead of "no passage matches", which reads as "nothing was written about it").
fn check_filter(
    searcher: &tantivy::Searcher,
    what: &'static str,
    field_name: &str,
    names: &[String],
) -> Result<()> {
    if names.is_empty() {
        return Ok(());
    }
    check_known(what, names, known_keywords(searcher, field_name)).map(|_| ())
}

/// The outlets `names` stand for, as the index spells them: each a stored code (Latin case
/// aside) or an outlet's Arabic name, which stands for those of its codes the index holds.
fn resolve_outlets(names: &[String], known: &[String]) -> Result<Vec<String>> {
    let mut resolved = Vec::new();
    for name in names {
        match check_known("source", std::slice::from_ref(name), known.to_vec()) {
            Ok(found) => resolved.extend(found),
            Err(error) => {
                let codes: Vec<String> = crate::outlets::codes_named(name)
                    .filter_map(|code| known.iter().find(|k| k.eq_ignore_ascii_case(code)))
                    .cloned()
                    .collect();
                if codes.is_empty() {
                    return Err(error);
                }
                resolved.extend(codes);
            }
        }
    }
    Ok(resolved)
}

/// Each of `names` must be one of `known` (Latin case ignored), or the error lists them.
/// Checks that each of `names` is one of `known` (case aside), and gives the spellings of
/// `known` they name: what to look up where names are compared exactly (the curation store).
fn check_known(
    what: &'static str,
    names: &[String],
    mut known: Vec<String>,
) -> Result<Vec<String>> {
    known.sort();
    known.dedup();
    let mut resolved = Vec::new();
    for name in names {
        let wanted = name.trim().to_lowercase();
        let matching: Vec<&String> = known
            .iter()
            .filter(|k| k.to_lowercase() == wanted)
            .collect();
        if matching.is_empty() {
            return Err(crate::Error::UnknownFilter {
                what,
                name: name.clone(),
                known: if known.is_empty() {
                    "none".to_owned()
                } else {
                    known.join(", ")
                },
            });
        }
        resolved.extend(matching.into_iter().cloned());
    }
    Ok(resolved)
}

/// `top` (best first) with each run of equal scores put in a stable order: earliest date first
/// (undated last), then smallest article id, then passage number. Without it ties come in
/// document order, which depends on how the index was built.
fn order_ties(
    searcher: &tantivy::Searcher,
    fields: &Fields,
    reader: &mut copies::SignatureReader,
    top: &[(f32, DocAddress)],
) -> Result<Vec<(f32, DocAddress)>> {
    let mut ordered = top.to_vec();
    let mut columns: HashMap<u32, TieColumns> = HashMap::new();
    let mut run_start = 0;
    while run_start < ordered.len() {
        let score = ordered[run_start].0;
        let run_len = ordered[run_start..]
            .iter()
            .take_while(|(s, _)| s.total_cmp(&score).is_eq())
            .count();
        let run = &mut ordered[run_start..run_start + run_len];
        run_start += run_len;
        if run.len() < 2 {
            continue;
        }
        let mut keyed = Vec::with_capacity(run.len());
        for &(score, address) in run.iter() {
            let segment = columns.entry(address.segment_ord).or_insert_with(|| {
                let fast = searcher.segment_reader(address.segment_ord).fast_fields();
                TieColumns {
                    date: fast.date(index::schema::names::DATE).ok(),
                    passage: fast.u64(index::schema::names::PASSAGE).ok(),
                }
            });
            let date = segment
                .date
                .as_ref()
                .and_then(|c| c.first(address.doc_id))
                .map_or(i64::MAX, |d| d.into_timestamp_secs());
            let passage = segment
                .passage
                .as_ref()
                .and_then(|c| c.first(address.doc_id))
                .unwrap_or(u64::MAX);
            let id = article_id_of(searcher, fields, reader, address)?;
            keyed.push(((date, id, passage, address), (score, address)));
        }
        keyed.sort_by(|a, b| a.0.cmp(&b.0));
        for (slot, (_, passage)) in run.iter_mut().zip(keyed) {
            *slot = passage;
        }
    }
    Ok(ordered)
}

/// The fast columns [`order_ties`] reads, per segment.
struct TieColumns {
    date: Option<tantivy::columnar::Column<tantivy::DateTime>>,
    passage: Option<tantivy::columnar::Column<u64>>,
}

/// `request`'s query, read with its syntax.
fn parse(request: &SearchSettings) -> query::ParsedQuery {
    match request.syntax {
        Syntax::QueryLanguage => query::parse(&request.query),
        Syntax::PlainWords => query::parse_plain(&request.query),
    }
}

/// The passage at `address` as a hit at `rank`, with `score` read back without its tier.
fn read_hit(
    searcher: &tantivy::Searcher,
    fields: &Fields,
    address: DocAddress,
    rank: usize,
    score: f32,
    built: &BuiltQuery,
) -> Result<Hit> {
    let doc: TantivyDocument = searcher.doc(address)?;
    Ok(hit_from(
        &doc,
        fields,
        rank,
        display_score(score, built.has_tiers()),
    ))
}

/// For `skip_serializing_if` on counts that are absent when zero (`meaning_articles`), here and
/// in the CLI's and the server's answers.
pub fn is_zero(n: &usize) -> bool {
    *n == 0
}

fn display_score(score: f32, has_tiers: bool) -> f32 {
    tiered::TieredScore::decode(score, has_tiers).relevance
}

/// Keeps at most `per_article` passages of each article, in score order, up to `wanted`, with
/// their article ids.
fn group_by_article(
    searcher: &tantivy::Searcher,
    fields: &Fields,
    top: &[(f32, DocAddress)],
    per_article: usize,
) -> Result<Vec<(f32, DocAddress, String)>> {
    let mut reader = copies::SignatureReader::new(searcher);
    let mut taken: HashMap<String, usize> = HashMap::new();
    let mut kept = Vec::new();
    for &(score, address) in top {
        let id = article_id_of(searcher, fields, &mut reader, address)?;
        let count = taken.entry(id.clone()).or_default();
        if *count < per_article {
            *count += 1;
            kept.push((score, address, id));
        }
    }
    Ok(kept)
}

/// The article id of each passage.
fn article_ids(
    searcher: &tantivy::Searcher,
    fields: &Fields,
    top: &[(f32, DocAddress)],
) -> Result<Vec<String>> {
    let mut reader = copies::SignatureReader::new(searcher);
    top.iter()
        .map(|&(_, address)| article_id_of(searcher, fields, &mut reader, address))
        .collect()
}

/// A passage's article id: from the fast column, else from the stored document.
fn article_id_of(
    searcher: &tantivy::Searcher,
    fields: &Fields,
    reader: &mut copies::SignatureReader,
    address: DocAddress,
) -> Result<String> {
    let id = reader.article_id(address);
    if !id.is_empty() {
        return Ok(id);
    }
    let doc: TantivyDocument = searcher.doc(address)?;
    Ok(text_of(&doc, fields.article_id))
}

fn text_of(doc: &TantivyDocument, field: tantivy::schema::Field) -> String {
    doc.get_first(field)
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn hit_from(doc: &TantivyDocument, fields: &Fields, rank: usize, score: f32) -> Hit {
    let date = doc
        .get_first(fields.day)
        .and_then(|v| v.as_datetime())
        .and_then(|d| crate::ingest::date::format_day(d.into_timestamp_secs()));
    let published = doc
        .get_first(fields.date)
        .and_then(|v| v.as_datetime())
        .and_then(|instant| {
            let offset = doc
                .get_first(fields.utc_offset)
                .and_then(|v| v.as_i64())
                .unwrap_or(0);
            let offset = time::UtcOffset::from_whole_seconds(i32::try_from(offset).ok()?).ok()?;
            crate::ingest::date::format_instant(instant.into_utc().to_offset(offset))
        });
    let url = Some(text_of(doc, fields.url)).filter(|u| !u.is_empty());
    let author = Some(text_of(doc, fields.author)).filter(|a| !a.is_empty());
    Hit {
        rank,
        score,
        article_id: text_of(doc, fields.article_id),
        title: text_of(doc, fields.title),
        date,
        published,
        source: text_of(doc, fields.source),
        url,
        collection: text_of(doc, fields.collection),
        author,
        passage: doc
            .get_first(fields.passage)
            .and_then(|v| v.as_u64())
            .unwrap_or(0),
        text: text_of(doc, fields.text),
        highlights: Vec::new(),
        title_highlights: Vec::new(),
        copies: Vec::new(),
        more_passages: 0,
    }
}
