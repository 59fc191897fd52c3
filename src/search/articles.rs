//! What a query matches, article by article: which articles and how many of their passages,
//! with each article's outlet, collection, category and dates. Everything is read from fast
//! columns while the query runs (never from stored documents), and it gives the counts in
//! articles, each entry's "N more passages match", the facets, the date histogram and the
//! orders by date.
//!
//! An article's passages can sit in several index segments (the writer's threads share the
//! work), so articles are merged across segments by id.

use std::collections::HashMap;

use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};
use time::{Date, Duration, OffsetDateTime};

use crate::index::schema::names;
use crate::ingest::date::format_day;

/// One matching article.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MatchedArticle {
    /// Its passages that match.
    pub passages: u32,
    pub source: String,
    pub collection: String,
    pub category: String,
    /// The source's calendar day, as seconds (midnight UTC of that day).
    pub day: Option<i64>,
    /// The instant of publication, seconds since the epoch (for ordering by date).
    pub instant: Option<i64>,
}

/// The articles a query matches, by id, and the number of matching passages.
#[derive(Debug, Clone, Default)]
pub struct ArticleMatches {
    pub articles: HashMap<String, MatchedArticle>,
    pub passages: usize,
}

/// Collects [`ArticleMatches`].
pub struct ArticleCollector;

impl Collector for ArticleCollector {
    type Fruit = ArticleMatches;
    type Child = SegmentArticles;

    fn for_segment(
        &self,
        _segment_ord: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentArticles> {
        let fast = reader.fast_fields();
        Ok(SegmentArticles {
            article_id: fast.str(names::ARTICLE_ID)?,
            source: fast.str(names::SOURCE)?,
            collection: fast.str(names::COLLECTION)?,
            category: fast.str(names::CATEGORY)?,
            day: fast.date(names::DAY).ok(),
            instant: fast.date(names::DATE).ok(),
            by_ord: HashMap::new(),
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
            if merged.articles.is_empty() {
                merged.articles = fruit.articles;
                continue;
            }
            for (id, article) in fruit.articles {
                merged
                    .articles
                    .entry(id)
                    .and_modify(|known| known.passages += article.passages)
                    .or_insert(article);
            }
        }
        Ok(merged)
    }
}

/// One segment's side of [`ArticleCollector`]: articles by their ordinal in the segment's id
/// column, resolved to ids (and outlets…) once, when harvested.
pub struct SegmentArticles {
    article_id: Option<StrColumn>,
    source: Option<StrColumn>,
    collection: Option<StrColumn>,
    category: Option<StrColumn>,
    day: Option<Column<tantivy::DateTime>>,
    instant: Option<Column<tantivy::DateTime>>,
    /// Article ordinal → (matching passages, a document of the article).
    by_ord: HashMap<u64, (u32, DocId)>,
    passages: usize,
}

fn first_ord(column: &Option<StrColumn>, doc: DocId) -> Option<u64> {
    column.as_ref()?.term_ords(doc).next()
}

fn str_at(column: &Option<StrColumn>, doc: DocId, cache: &mut HashMap<u64, String>) -> String {
    let Some(ord) = first_ord(column, doc) else {
        return String::new();
    };
    cache
        .entry(ord)
        .or_insert_with(|| {
            let mut text = String::new();
            if let Some(column) = column {
                if column.ord_to_str(ord, &mut text).is_err() {
                    text.clear();
                }
            }
            text
        })
        .clone()
}

fn seconds_at(column: &Option<Column<tantivy::DateTime>>, doc: DocId) -> Option<i64> {
    Some(column.as_ref()?.first(doc)?.into_timestamp_secs())
}

impl SegmentCollector for SegmentArticles {
    type Fruit = ArticleMatches;

    fn collect(&mut self, doc: DocId, _score: Score) {
        self.passages += 1;
        let Some(ord) = first_ord(&self.article_id, doc) else {
            return;
        };
        self.by_ord.entry(ord).or_insert((0, doc)).0 += 1;
    }

    fn harvest(self) -> ArticleMatches {
        let mut articles = HashMap::with_capacity(self.by_ord.len());
        let mut sources = HashMap::new();
        let mut collections = HashMap::new();
        let mut categories = HashMap::new();
        // Ids resolved in ordinal order: the dictionary is read sequentially.
        let mut ords: Vec<(u64, (u32, DocId))> = self.by_ord.into_iter().collect();
        ords.sort_unstable_by_key(|(ord, _)| *ord);
        let Some(ids) = &self.article_id else {
            return ArticleMatches::default();
        };
        for (ord, (passages, doc)) in ords {
            let mut id = String::new();
            if ids.ord_to_str(ord, &mut id).is_err() || id.is_empty() {
                continue;
            }
            let article = MatchedArticle {
                passages,
                source: str_at(&self.source, doc, &mut sources),
                collection: str_at(&self.collection, doc, &mut collections),
                category: str_at(&self.category, doc, &mut categories),
                day: seconds_at(&self.day, doc),
                instant: seconds_at(&self.instant, doc),
            };
            articles.insert(id, article);
        }
        ArticleMatches {
            articles,
            passages: self.passages,
        }
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

impl ArticleMatches {
    /// The facets of these articles (undated articles count in no year or month; articles
    /// without an outlet or a category in none of those).
    pub fn facets(&self) -> Facets {
        let mut source = HashMap::new();
        let mut collection = HashMap::new();
        let mut category = HashMap::new();
        let mut year = HashMap::new();
        let mut month = HashMap::new();
        for article in self.articles.values() {
            *source.entry(article.source.clone()).or_default() += 1;
            *collection.entry(article.collection.clone()).or_default() += 1;
            *category.entry(article.category.clone()).or_default() += 1;
            if let Some(day) = article.day.and_then(format_day) {
                *year.entry(day[..4].to_owned()).or_default() += 1;
                *month.entry(day[..7].to_owned()).or_default() += 1;
            }
        }
        Facets {
            source: counts(source, false),
            collection: counts(collection, false),
            category: counts(category, false),
            year: counts(year, true),
            month: counts(month, true),
        }
    }

    /// Matching articles per period of `interval` (chosen from the span when `None`), from the
    /// first matching day to the last, empty periods included.
    pub fn histogram(&self, interval: Option<Interval>) -> Histogram {
        let days: Vec<Date> = self
            .articles
            .values()
            .filter_map(|a| a.day)
            .filter_map(|seconds| OffsetDateTime::from_unix_timestamp(seconds).ok())
            .map(|d| d.date())
            .collect();
        let (Some(&first), Some(&last)) = (days.iter().min(), days.iter().max()) else {
            return Histogram {
                interval: interval.unwrap_or(Interval::Day),
                buckets: Vec::new(),
            };
        };
        let interval = interval.unwrap_or_else(|| Interval::for_span(first, last));
        let mut buckets: Vec<Bucket> = Vec::new();
        let mut start = interval.start_of(first);
        while start <= last {
            let next = interval.after(start);
            let Some(end) = next.previous_day() else {
                break;
            };
            buckets.push(Bucket {
                from: start.to_string(),
                to: end.to_string(),
                articles: 0,
            });
            if next == start {
                break;
            }
            start = next;
        }
        for day in days {
            let start = interval.start_of(day).to_string();
            if let Ok(i) = buckets.binary_search_by(|b| b.from.cmp(&start)) {
                buckets[i].articles += 1;
            }
        }
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
            other => Err(format!("unknown interval {other:?} (day, week or month)")),
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

    fn article(day: Date, source: &str) -> MatchedArticle {
        MatchedArticle {
            passages: 1,
            source: source.to_owned(),
            collection: "c".to_owned(),
            category: String::new(),
            day: Some(day.midnight().assume_utc().unix_timestamp()),
            instant: None,
        }
    }

    fn matches(articles: &[(&str, MatchedArticle)]) -> ArticleMatches {
        ArticleMatches {
            articles: articles
                .iter()
                .map(|(id, a)| ((*id).to_owned(), a.clone()))
                .collect(),
            passages: articles.len(),
        }
    }

    #[test]
    fn facets_count_articles_per_value() {
        let m = matches(&[
            ("a", article(date!(2018 - 07 - 23), "BBC")),
            ("b", article(date!(2018 - 07 - 24), "BBC")),
            ("c", article(date!(2018 - 08 - 01), "CNN")),
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
            ("a", article(date!(2018 - 07 - 29), "x")),
            ("b", article(date!(2018 - 07 - 30), "x")),
            ("c", article(date!(2018 - 07 - 31), "x")),
            ("d", article(date!(2018 - 08 - 01), "x")),
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
        let m = matches(&[
            ("a", article(date!(2018 - 01 - 15), "x")),
            ("b", article(date!(2018 - 10 - 02), "x")),
        ]);
        let histogram = m.histogram(None);
        assert_eq!(histogram.interval, Interval::Week);
        assert!(histogram.buckets.len() > 30);
        assert_eq!(
            histogram.buckets.iter().map(|b| b.articles).sum::<usize>(),
            2
        );
        let yearly = matches(&[
            ("a", article(date!(2015 - 07 - 01), "x")),
            ("b", article(date!(2018 - 10 - 02), "x")),
        ]);
        assert_eq!(yearly.histogram(None).interval, Interval::Month);
    }
}
