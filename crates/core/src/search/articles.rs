//! What a query matches, article by article: how many articles and how many of each one's
//! passages, the outlets, collections, categories and days of those articles, and their
//! publication instants. Everything is read from fast columns while the query runs (never from
//! stored documents), and it gives the counts in articles, each entry's "N more passages
//! match", the facets, the date histogram and the orders by date.
//!
//! The indexer hands an article's passages to tantivy as one batch, which tantivy keeps in one
//! segment: articles are counted per segment by their ordinal in the segment's id column,
//! without reading one id. Ids are read only for the few articles a date-ordered page shows.

use std::collections::HashMap;
use std::sync::Arc;

use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, Score, SegmentOrdinal, SegmentReader, Term, TERMINATED};
use time::{Date, Duration, OffsetDateTime};

use crate::index::schema::names;

/// A matching article by its place in the index, with its publication instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DatedArticle {
    /// Seconds since the epoch; `None` for an undated article.
    pub instant: Option<i64>,
    pub segment: SegmentOrdinal,
    /// Ordinal of its id in the segment's id column.
    pub ord: u64,
}

/// What one segment's matches hold.
#[derive(Debug, Clone, Default)]
struct SegmentMatches {
    /// Matching passages by article ordinal (a vector as long as the segment has articles:
    /// cheaper than hashing every matching passage).
    passages: Vec<u32>,
    /// Articles with at least one matching passage.
    articles: usize,
}

/// The articles a query matches (see the module comment).
#[derive(Debug, Clone, Default)]
pub struct ArticleMatches {
    /// Matching passages.
    pub passages: usize,
    segments: HashMap<SegmentOrdinal, SegmentMatches>,
    /// Articles per outlet, collection and category (empty unless facets were asked for).
    sources: HashMap<String, usize>,
    collections: HashMap<String, usize>,
    categories: HashMap<String, usize>,
    /// Articles per calendar day (seconds of its midnight UTC); facets and histogram only.
    days: HashMap<i64, usize>,
    /// Every matching article with its instant (date orders only).
    pub dated: Vec<DatedArticle>,
}

impl ArticleMatches {
    /// Matching articles.
    pub fn articles(&self) -> usize {
        self.segments.values().map(|s| s.articles).sum()
    }

    /// Matching passages of the article whose passage is at `address` (its id ordinal `ord`).
    pub fn passages_of(&self, segment: SegmentOrdinal, ord: u64) -> u32 {
        self.segments
            .get(&segment)
            .and_then(|s| s.passages.get(ord as usize))
            .copied()
            .unwrap_or(0)
    }
}

/// The article id at `ord` in `segment`'s id column.
pub fn article_id_at(searcher: &tantivy::Searcher, segment: SegmentOrdinal, ord: u64) -> String {
    let mut id = String::new();
    if let Ok(Some(column)) = searcher
        .segment_reader(segment)
        .fast_fields()
        .str(names::ARTICLE_ID)
    {
        if column.ord_to_str(ord, &mut id).is_err() {
            id.clear();
        }
    }
    id
}

/// Collects [`ArticleMatches`] from each segment's [`ArticleTable`]; facets (and days) only when
/// asked, instants only for the date orders.
pub struct ArticleCollector {
    /// Article tables by segment ordinal (a segment without one gets one built).
    pub tables: HashMap<SegmentOrdinal, Arc<ArticleTable>>,
    pub facets: bool,
    pub dates: bool,
}

/// An article by its place in the index: its segment and its id's ordinal there (an article is
/// indexed whole into one segment).
pub type ArticleKey = (SegmentOrdinal, u64);

/// The article tables of a searcher's segments, by segment id (which a query's weight is given,
/// where the engine's own maps use the ordinal): what the lead prior and the all-words tier read
/// while a query runs.
#[derive(Clone, Default)]
pub struct SegmentTables {
    tables: Arc<HashMap<tantivy::index::SegmentId, Arc<ArticleTable>>>,
}

impl SegmentTables {
    pub fn new(tables: HashMap<tantivy::index::SegmentId, Arc<ArticleTable>>) -> SegmentTables {
        SegmentTables {
            tables: Arc::new(tables),
        }
    }

    /// The table of `segment` (`None`: a segment the searcher these were read from lacks).
    pub fn of(&self, segment: tantivy::index::SegmentId) -> Option<Arc<ArticleTable>> {
        self.tables.get(&segment).cloned()
    }
}

impl std::fmt::Debug for SegmentTables {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SegmentTables({} segments)", self.tables.len())
    }
}

/// Every passage's article and every article's facet values and instant, for one segment: read
/// from the fast columns once per segment (segments never change) and reused by every query, so
/// that a matching passage costs an array lookup instead of a column read, and a matching
/// article's facets and date one more.
#[derive(Debug)]
pub struct ArticleTable {
    /// Per document: the ordinal of its article id (`NONE` without one).
    doc_articles: Vec<u32>,
    /// Per document, one bit: whether it is its article's lead (passage 0).
    leads: Vec<u64>,
    /// Per article ordinal: source, collection and category ordinals and the day's index from
    /// `first_day` (`NONE` when absent).
    articles: Vec<[u32; 4]>,
    /// Per article ordinal: its instant of publication, seconds since the epoch (`UNDATED`).
    instants: Vec<i64>,
    sources: Vec<String>,
    collections: Vec<String>,
    categories: Vec<String>,
    /// The segment's earliest day (seconds of midnight UTC), and the number of days to its last.
    first_day: i64,
    days: usize,
}

const NONE: u32 = u32::MAX;
/// Documents whose column values are read at once when a table is built.
const BATCH: usize = 4096;
const UNDATED: i64 = i64::MIN;
const DAY_SECONDS: i64 = 86_400;
/// Segments spanning more days than this count days in no histogram (a corrupt date).
const MAX_DAYS: i64 = 200_000;

impl ArticleTable {
    pub fn build(reader: &SegmentReader) -> tantivy::Result<ArticleTable> {
        let fast = reader.fast_fields();
        let ids = fast.str(names::ARTICLE_ID)?;
        let columns = [
            fast.str(names::SOURCE)?,
            fast.str(names::COLLECTION)?,
            fast.str(names::CATEGORY)?,
        ];
        let day = fast.date(names::DAY).ok();
        let instant = fast.date(names::DATE).ok();
        let (first_day, days) = match &day {
            Some(day) if day.num_docs() > 0 => {
                let first = day.min_value().into_timestamp_secs();
                let span = (day.max_value().into_timestamp_secs() - first) / DAY_SECONDS;
                if (0..MAX_DAYS).contains(&span) {
                    (first, span as usize + 1)
                } else {
                    (first, 0)
                }
            }
            _ => (0, 0),
        };
        let values = |column: &Option<StrColumn>| -> Vec<String> {
            let Some(column) = column else {
                return Vec::new();
            };
            (0..column.num_terms() as u64)
                .map(|ord| {
                    let mut value = String::new();
                    let _ = column.ord_to_str(ord, &mut value);
                    value
                })
                .collect()
        };
        let article_count = ids.as_ref().map_or(0, |c| c.num_terms());
        let mut articles = vec![[NONE; 4]; article_count];
        let mut instants = vec![UNDATED; article_count];
        // Every document's article, read in batches (a column read per document costs several
        // times more: at ten times ANT this table took 30 ms of a 50 ms one-shot search), and
        // each article's first document, whose facet values and dates stand for the article.
        let mut doc_articles = vec![NONE; reader.max_doc() as usize];
        let mut first_docs: Vec<DocId> = Vec::with_capacity(article_count);
        let mut first_ords: Vec<usize> = Vec::with_capacity(article_count);
        let mut seen = vec![false; article_count];
        // The leads, from the postings of passage ordinal 0 (a tenth of the work of reading
        // every document's ordinal from its column).
        let mut leads = vec![0u64; (reader.max_doc() as usize).div_ceil(64)];
        if let Ok(passage) = reader.schema().get_field(names::PASSAGE) {
            let term = Term::from_field_u64(passage, 0);
            let postings = reader
                .inverted_index(passage)?
                .read_postings(&term, IndexRecordOption::Basic)?;
            if let Some(mut postings) = postings {
                let mut doc = postings.doc();
                while doc != TERMINATED {
                    leads[doc as usize / 64] |= 1 << (doc % 64);
                    doc = postings.advance();
                }
            }
        }
        if let Some(ids) = &ids {
            let mut batch = vec![None; BATCH];
            let mut docs: Vec<DocId> = Vec::with_capacity(BATCH);
            for start in (0..reader.max_doc()).step_by(BATCH) {
                docs.clear();
                docs.extend(start..(start + BATCH as DocId).min(reader.max_doc()));
                let out = &mut batch[..docs.len()];
                out.fill(None);
                ids.ords().first_vals(&docs, out);
                for (&doc, ord) in docs.iter().zip(out.iter()) {
                    let Some(ord) = ord.filter(|&ord| ord < article_count as u64) else {
                        continue;
                    };
                    doc_articles[doc as usize] = ord as u32;
                    if !std::mem::replace(&mut seen[ord as usize], true) {
                        first_docs.push(doc);
                        first_ords.push(ord as usize);
                    }
                }
            }
        }
        let mut facet_ords = vec![None; first_docs.len()];
        for (index, column) in columns.iter().enumerate() {
            let Some(column) = column else {
                continue;
            };
            facet_ords.fill(None);
            column.ords().first_vals(&first_docs, &mut facet_ords);
            for (&ord, value) in first_ords.iter().zip(&facet_ords) {
                articles[ord][index] = value.map_or(NONE, |v| v as u32);
            }
        }
        let mut dates = vec![None; first_docs.len()];
        if let Some(day) = &day {
            day.first_vals(&first_docs, &mut dates);
            for (&ord, date) in first_ords.iter().zip(&dates) {
                articles[ord][3] = match date {
                    Some(date) if days > 0 => {
                        ((date.into_timestamp_secs() - first_day) / DAY_SECONDS) as u32
                    }
                    _ => NONE,
                };
            }
        }
        if let Some(instant) = &instant {
            dates.fill(None);
            instant.first_vals(&first_docs, &mut dates);
            for (&ord, date) in first_ords.iter().zip(&dates) {
                instants[ord] = date.map_or(UNDATED, |d| d.into_timestamp_secs());
            }
        }
        Ok(ArticleTable {
            doc_articles,
            leads,
            articles,
            instants,
            sources: values(&columns[0]),
            collections: values(&columns[1]),
            categories: values(&columns[2]),
            first_day,
            days,
        })
    }

    /// The ordinal of the article id of document `doc`.
    /// The collection the article `ord` was filed under at index time.
    pub fn collection_of(&self, ord: u64) -> Option<&str> {
        let index = *self.articles.get(ord as usize)?.get(1)?;
        self.collections.get(index as usize).map(String::as_str)
    }

    /// Articles with an id in the segment (deleted ones included, as in its token counts).
    pub fn article_count(&self) -> usize {
        self.articles.len()
    }

    /// The documents of `doc`'s article, `[start, end)`: its passages are consecutive (one
    /// batch; see the module comment). A document without an article is its own range.
    pub fn documents_around(&self, doc: DocId) -> (DocId, DocId) {
        let Some(&ord) = self.doc_articles.get(doc as usize) else {
            return (doc, doc + 1);
        };
        if ord == NONE {
            return (doc, doc + 1);
        }
        let mut start = doc as usize;
        while start > 0 && self.doc_articles[start - 1] == ord {
            start -= 1;
        }
        let mut end = doc as usize + 1;
        while end < self.doc_articles.len() && self.doc_articles[end] == ord {
            end += 1;
        }
        (start as DocId, end as DocId)
    }

    /// Whether `doc` is its article's lead (its first passage). A document without an article
    /// is no lead: the lead prior moves to an article, so it is added only where there is one.
    pub fn is_lead(&self, doc: DocId) -> bool {
        self.article_of(doc).is_some()
            && self
                .leads
                .get(doc as usize / 64)
                .is_some_and(|word| word >> (doc % 64) & 1 == 1)
    }

    pub fn article_of(&self, doc: DocId) -> Option<u64> {
        match self.doc_articles.get(doc as usize) {
            Some(&ord) if ord != NONE => Some(u64::from(ord)),
            _ => None,
        }
    }

    /// The source's calendar day of the article `ord` (its local date, as the histograms count
    /// it), in days since 1970-01-01; `None`: undated.
    pub fn day(&self, ord: u64) -> Option<i64> {
        let index = *self.articles.get(ord as usize)?.get(3)?;
        (index != NONE)
            .then(|| (self.first_day + i64::from(index) * DAY_SECONDS).div_euclid(DAY_SECONDS))
    }

    fn instant(&self, ord: u64) -> Option<i64> {
        match self.instants.get(ord as usize) {
            Some(&seconds) if seconds != UNDATED => Some(seconds),
            _ => None,
        }
    }
}

impl Collector for ArticleCollector {
    type Fruit = ArticleMatches;
    type Child = SegmentArticles;

    fn for_segment(
        &self,
        segment_ord: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentArticles> {
        let table = match self.tables.get(&segment_ord) {
            Some(table) => Arc::clone(table),
            None => Arc::new(ArticleTable::build(reader)?),
        };
        let facets = self.facets.then(|| FacetCounts {
            sources: vec![0; table.sources.len()],
            collections: vec![0; table.collections.len()],
            categories: vec![0; table.categories.len()],
            days: vec![0; table.days],
        });
        Ok(SegmentArticles {
            segment_ord,
            matches: SegmentMatches {
                passages: vec![0; table.articles.len()],
                articles: 0,
            },
            table,
            facets,
            dates: self.dates,
            dated: Vec::new(),
            passages: 0,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<ArticleMatches>) -> tantivy::Result<ArticleMatches> {
        let mut merged = ArticleMatches::default();
        for fruit in fruits {
            merged.passages += fruit.passages;
            merged.segments.extend(fruit.segments);
            for (into, from) in [
                (&mut merged.sources, fruit.sources),
                (&mut merged.collections, fruit.collections),
                (&mut merged.categories, fruit.categories),
            ] {
                for (value, count) in from {
                    *into.entry(value).or_default() += count;
                }
            }
            for (day, count) in fruit.days {
                *merged.days.entry(day).or_default() += count;
            }
            merged.dated.extend(fruit.dated);
        }
        Ok(merged)
    }
}

/// A segment's facet counts, by ordinal (and day index) until harvested.
struct FacetCounts {
    sources: Vec<usize>,
    collections: Vec<usize>,
    categories: Vec<usize>,
    days: Vec<usize>,
}

impl FacetCounts {
    /// Counts the article with id ordinal `ord` (called once per matching article).
    fn count(&mut self, table: &ArticleTable, ord: u64) {
        let Some(values) = table.articles.get(ord as usize) else {
            return;
        };
        for (counts, value) in [
            (&mut self.sources, values[0]),
            (&mut self.collections, values[1]),
            (&mut self.categories, values[2]),
            (&mut self.days, values[3]),
        ] {
            if let Some(count) = counts.get_mut(value as usize) {
                *count += 1;
            }
        }
    }

    fn resolve(values: &[String], counts: Vec<usize>) -> HashMap<String, usize> {
        let mut resolved = HashMap::new();
        for (ord, count) in counts.into_iter().enumerate().filter(|(_, n)| *n > 0) {
            if let Some(value) = values.get(ord) {
                *resolved.entry(value.clone()).or_default() += count;
            }
        }
        resolved
    }
}

/// One segment's side of [`ArticleCollector`].
pub struct SegmentArticles {
    segment_ord: SegmentOrdinal,
    table: Arc<ArticleTable>,
    facets: Option<FacetCounts>,
    dates: bool,
    matches: SegmentMatches,
    dated: Vec<DatedArticle>,
    passages: usize,
}

impl SegmentCollector for SegmentArticles {
    type Fruit = ArticleMatches;

    fn collect(&mut self, doc: DocId, _score: Score) {
        self.passages += 1;
        let Some(ord) = self.table.article_of(doc) else {
            return;
        };
        let Some(passages) = self.matches.passages.get_mut(ord as usize) else {
            return;
        };
        *passages += 1;
        if *passages > 1 {
            return;
        }
        self.matches.articles += 1;
        // The first matching passage of an article: count the article once.
        if let Some(facets) = &mut self.facets {
            facets.count(&self.table, ord);
        }
        if self.dates {
            self.dated.push(DatedArticle {
                instant: self.table.instant(ord),
                segment: self.segment_ord,
                ord,
            });
        }
    }

    fn harvest(self) -> ArticleMatches {
        let mut fruit = ArticleMatches {
            passages: self.passages,
            dated: self.dated,
            ..ArticleMatches::default()
        };
        if let Some(facets) = self.facets {
            let table = &self.table;
            fruit.sources = FacetCounts::resolve(&table.sources, facets.sources);
            fruit.collections = FacetCounts::resolve(&table.collections, facets.collections);
            fruit.categories = FacetCounts::resolve(&table.categories, facets.categories);
            for (index, count) in facets.days.into_iter().enumerate().filter(|(_, n)| *n > 0) {
                let day = table.first_day + index as i64 * DAY_SECONDS;
                *fruit.days.entry(day).or_default() += count;
            }
        }
        fruit.segments.insert(self.segment_ord, self.matches);
        fruit
    }
}

/// A facet value and how many matching articles have it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FacetCount {
    pub value: String,
    pub articles: usize,
}

/// Article counts per outlet, collection, category, year and month, for a query.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Facets {
    pub source: Vec<FacetCount>,
    pub collection: Vec<FacetCount>,
    pub category: Vec<FacetCount>,
    pub year: Vec<FacetCount>,
    pub month: Vec<FacetCount>,
}

/// Counts sorted by articles (most first), then value; dates sorted by value.
fn counts(values: HashMap<String, usize>, by_value: bool) -> Vec<FacetCount> {
    let mut counts: Vec<FacetCount> = values
        .into_iter()
        .filter(|(value, _)| !value.is_empty())
        .map(|(value, articles)| FacetCount { value, articles })
        .collect();
    if by_value {
        counts.sort_by(|a, b| a.value.cmp(&b.value));
    } else {
        counts.sort_by(|a, b| b.articles.cmp(&a.articles).then(a.value.cmp(&b.value)));
    }
    counts
}

impl Facets {
    /// Adds `articles` to the collection `name` (an existing value in any case of its Latin
    /// letters, or a new one), keeping the order most articles first.
    pub fn add_to_collection(&mut self, name: &str, articles: usize) {
        match self
            .collection
            .iter_mut()
            .find(|c| c.value.to_lowercase() == name.to_lowercase())
        {
            Some(count) => count.articles += articles,
            None => self.collection.push(FacetCount {
                value: name.to_owned(),
                articles,
            }),
        }
        self.collection
            .sort_by(|a, b| b.articles.cmp(&a.articles).then(a.value.cmp(&b.value)));
    }
}

impl ArticleMatches {
    /// The facets of these articles (undated articles count in no year or month; articles
    /// without an outlet or a category in none of those). Empty unless collected with facets.
    pub fn facets(&self) -> Facets {
        // Counted by number, written once per year and month (not once per day).
        let mut by_month: HashMap<(i32, u8), usize> = HashMap::new();
        for (&day, &count) in &self.days {
            if let Ok(date) = OffsetDateTime::from_unix_timestamp(day) {
                *by_month
                    .entry((date.year(), date.month() as u8))
                    .or_default() += count;
            }
        }
        let mut year = HashMap::new();
        let mut month = HashMap::new();
        for ((y, m), count) in by_month {
            *year.entry(format!("{y:04}")).or_default() += count;
            month.insert(format!("{y:04}-{m:02}"), count);
        }
        Facets {
            source: counts(self.sources.clone(), false),
            collection: counts(self.collections.clone(), false),
            category: counts(self.categories.clone(), false),
            year: counts(year, true),
            month: counts(month, true),
        }
    }

    /// Matching articles per period of `interval` (chosen from the span when `None`), from the
    /// first matching day to the last, empty periods included. Empty unless collected with
    /// facets.
    pub fn histogram(&self, interval: Option<Interval>) -> Histogram {
        let days: Vec<(Date, usize)> = self
            .days
            .iter()
            .filter_map(|(&seconds, &count)| {
                Some((
                    OffsetDateTime::from_unix_timestamp(seconds).ok()?.date(),
                    count,
                ))
            })
            .collect();
        let (Some(first), Some(last)) = (
            days.iter().map(|(d, _)| *d).min(),
            days.iter().map(|(d, _)| *d).max(),
        ) else {
            return Histogram {
                interval: interval.unwrap_or(Interval::Day),
                buckets: Vec::new(),
            };
        };
        let interval = interval.unwrap_or_else(|| Interval::for_span(first, last));
        // Periods as (first day, last day, articles); written out once counted.
        let mut periods: Vec<(Date, Date, usize)> = Vec::new();
        let mut start = interval.start_of(first);
        while start <= last {
            let next = interval.after(start);
            let Some(end) = next.previous_day() else {
                break;
            };
            periods.push((start, end, 0));
            if next == start {
                break;
            }
            start = next;
        }
        for (day, count) in days {
            let start = interval.start_of(day);
            if let Ok(i) = periods.binary_search_by(|(from, _, _)| from.cmp(&start)) {
                periods[i].2 += count;
            }
        }
        let buckets = periods
            .into_iter()
            .map(|(from, to, articles)| Bucket {
                from: from.to_string(),
                to: to.to_string(),
                articles,
            })
            .collect();
        Histogram { interval, buckets }
    }
}

/// The width of a histogram's periods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Interval {
    Day,
    /// Weeks start on Monday (ISO 8601).
    Week,
    Month,
}

impl std::str::FromStr for Interval {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        match text.trim().to_ascii_lowercase().as_str() {
            "day" => Ok(Interval::Day),
            "week" => Ok(Interval::Week),
            "month" => Ok(Interval::Month),
            other => Err(format!("must be day, week or month, not {other:?}")),
        }
    }
}

impl Interval {
    /// Days up to two months, weeks up to a year, months beyond.
    pub fn for_span(first: Date, last: Date) -> Interval {
        let days = (last - first).whole_days();
        if days <= 62 {
            Interval::Day
        } else if days <= 366 {
            Interval::Week
        } else {
            Interval::Month
        }
    }

    fn start_of(self, day: Date) -> Date {
        match self {
            Interval::Day => day,
            Interval::Week => {
                let back = i64::from(day.weekday().number_days_from_monday());
                day.checked_sub(Duration::days(back)).unwrap_or(day)
            }
            Interval::Month => day.replace_day(1).unwrap_or(day),
        }
    }

    /// The start of the period after the one starting at `start` (`start` itself at the end of
    /// the calendar).
    fn after(self, start: Date) -> Date {
        let next = match self {
            Interval::Day => start.next_day(),
            Interval::Week => start.checked_add(Duration::days(7)),
            Interval::Month => {
                let (year, month) = match start.month() {
                    time::Month::December => (start.year() + 1, time::Month::January),
                    month => (start.year(), month.next()),
                };
                Date::from_calendar_date(year, month, 1).ok()
            }
        };
        next.unwrap_or(start)
    }
}

/// One period of a histogram: `from` and `to` are its first and last days (inclusive, so they
/// are the `--from` and `--to` that select it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Bucket {
    pub from: String,
    pub to: String,
    pub articles: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Histogram {
    pub interval: Interval,
    pub buckets: Vec<Bucket>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_lead_is_a_set_bit_of_a_document_with_an_article() {
        let lead_docs: [DocId; 5] = [0, 3, 63, 64, 130];
        let mut leads = vec![0u64; 3];
        for doc in lead_docs {
            leads[doc as usize / 64] |= 1 << (doc % 64);
        }
        let mut doc_articles = vec![0; 140];
        doc_articles[3] = NONE;
        let table = ArticleTable {
            doc_articles,
            leads,
            articles: Vec::new(),
            instants: Vec::new(),
            sources: Vec::new(),
            collections: Vec::new(),
            categories: Vec::new(),
            first_day: 0,
            days: 0,
        };
        let found: Vec<DocId> = (0..200).filter(|&doc| table.is_lead(doc)).collect();
        assert_eq!(
            found,
            [0, 63, 64, 130],
            "3 has no article, 140.. are past the end"
        );
    }

    /// Matches of one article per (day, outlet).
    fn matches(articles: &[(Date, &str)]) -> ArticleMatches {
        let mut matches = ArticleMatches::default();
        for (day, source) in articles {
            *matches.sources.entry((*source).to_owned()).or_default() += 1;
            *matches.collections.entry("c".to_owned()).or_default() += 1;
            *matches
                .days
                .entry(day.midnight().assume_utc().unix_timestamp())
                .or_default() += 1;
        }
        matches
    }

    #[test]
    fn facets_count_articles_per_value() {
        let m = matches(&[
            (date!(2018 - 07 - 23), "BBC"),
            (date!(2018 - 07 - 24), "BBC"),
            (date!(2018 - 08 - 01), "CNN"),
        ]);
        let facets = m.facets();
        assert_eq!(
            facets.source,
            [
                FacetCount {
                    value: "BBC".into(),
                    articles: 2
                },
                FacetCount {
                    value: "CNN".into(),
                    articles: 1
                }
            ]
        );
        assert_eq!(facets.month[0].value, "2018-07");
        assert_eq!(facets.month[1].articles, 1);
        assert!(facets.category.is_empty());
    }

    #[test]
    fn histogram_buckets_meet_at_day_week_and_month_boundaries() {
        // Sunday 2018-07-29 and Monday 2018-07-30 fall in two ISO weeks; 31 July and 1 August in
        // two months.
        let m = matches(&[
            (date!(2018 - 07 - 29), "x"),
            (date!(2018 - 07 - 30), "x"),
            (date!(2018 - 07 - 31), "x"),
            (date!(2018 - 08 - 01), "x"),
        ]);
        let weeks = m.histogram(Some(Interval::Week));
        assert_eq!(
            weeks.buckets,
            [
                Bucket {
                    from: "2018-07-23".into(),
                    to: "2018-07-29".into(),
                    articles: 1
                },
                Bucket {
                    from: "2018-07-30".into(),
                    to: "2018-08-05".into(),
                    articles: 3
                },
            ]
        );
        let months = m.histogram(Some(Interval::Month));
        assert_eq!(months.buckets.len(), 2);
        assert_eq!(months.buckets[0].to, "2018-07-31");
        assert_eq!(months.buckets[0].articles, 3);
        assert_eq!(months.buckets[1].from, "2018-08-01");
        let days = m.histogram(None);
        assert_eq!(days.interval, Interval::Day);
        assert_eq!(days.buckets.len(), 4);
        assert!(days
            .buckets
            .iter()
            .all(|b| b.articles == 1 && b.from == b.to));
    }

    #[test]
    fn the_interval_follows_the_span_and_empty_periods_are_kept() {
        let m = matches(&[(date!(2018 - 01 - 15), "x"), (date!(2018 - 10 - 02), "x")]);
        let histogram = m.histogram(None);
        assert_eq!(histogram.interval, Interval::Week);
        assert!(histogram.buckets.len() > 30);
        assert_eq!(
            histogram.buckets.iter().map(|b| b.articles).sum::<usize>(),
            2
        );
        let yearly = matches(&[(date!(2015 - 07 - 01), "x"), (date!(2018 - 10 - 02), "x")]);
        assert_eq!(yearly.histogram(None).interval, Interval::Month);
    }
}
