//! Search settings, resolved once.
//!
//! What a person types (the CLI's flags) and what a script sends (the server's query string)
//! both become a [`SettingsInput`]: the values as given, nothing checked. [`SettingsInput::resolve`]
//! checks every one of them, in one place and with one wording, into [`SearchSettings`], whose
//! types say what was checked; the engine trusts what it gets. (ripgrep's low-args → high-args
//! step.) The two surfaces differ only in their [`Bounds`] and in how a setting is named in a
//! message ([`Surface`]).

use std::num::NonZeroUsize;

use time::OffsetDateTime;

use super::articles::Interval;
use super::bm25::Bm25B;
use super::build::FieldSelection;
use super::query::parse_period;
use super::ranking::{Operator, Prf, PrfQueries, Ranking};

/// Where settings come from, for naming them in messages (`--per-article` or `per_article`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Surface {
    Cli,
    Http,
}

/// A setting that cannot be used, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingError {
    /// The setting's name in snake case (`per_article`).
    pub setting: &'static str,
    /// What is wrong, as a sentence that follows the setting's name.
    problem: Vec<Part>,
}

/// A piece of a problem: words, or another setting's name (spelled as the surface spells it).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    Setting(&'static str),
}

impl SettingError {
    fn new(setting: &'static str, problem: impl Into<String>) -> Self {
        SettingError {
            setting,
            problem: vec![Part::Text(problem.into())],
        }
    }

    /// The same problem, said of `setting` (a command whose flag for it has another name).
    pub fn of(mut self, setting: &'static str) -> Self {
        self.setting = setting;
        self
    }

    /// The message, naming the settings as `surface` spells them.
    pub fn message(&self, surface: Surface) -> String {
        let problem: String = self
            .problem
            .iter()
            .map(|part| match part {
                Part::Text(text) => text.clone(),
                Part::Setting(other) => name(other, surface),
            })
            .collect();
        format!("{} {problem}", name(self.setting, surface))
    }
}

/// `setting` as `surface` spells it.
pub fn name(setting: &str, surface: Surface) -> String {
    match surface {
        Surface::Cli => format!("--{}", setting.replace('_', "-")),
        Surface::Http => setting.to_owned(),
    }
}

/// How deep a page may go on one surface.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bounds {
    pub max_limit: usize,
    pub max_offset: usize,
    /// Deepest result a page may reach (offset + limit).
    pub max_page_end: usize,
    pub max_per_article: usize,
}

impl Bounds {
    /// The command line: any page up to result 100,000 (`export` streams them all).
    pub const CLI: Bounds = Bounds {
        max_limit: 100_000,
        max_offset: 100_000,
        max_page_end: 100_000,
        max_per_article: 100_000,
    };
    /// The server: pages a browser shows.
    pub const HTTP: Bounds = Bounds {
        max_limit: 100,
        max_offset: 10_000,
        max_page_end: 10_100,
        max_per_article: 20,
    };
}

/// Spelling variants of the words typed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Spelling {
    /// The words and the index's other spellings of them, typos corrected (see `typos`).
    #[default]
    WithVariants,
    /// The words as typed (no variants, no typo correction).
    AsTyped,
}

/// Whether a wanted word that finds nothing is searched as the likeliest term a typo away
/// (see `typos`). Searches a reader sees correct it and say so; exports, collections and saved
/// searches are built from the words as typed, so that nothing lands in a file or a collection
/// under a word nobody chose.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Typos {
    #[default]
    Corrected,
    AsTyped,
}

/// How the query text is read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Syntax {
    /// Quotes, parentheses, `-`, `OR`, `AND`, `NOT` and `field:` are operators.
    #[default]
    QueryLanguage,
    /// Everything is plain words.
    PlainWords,
}

/// Whether hits carry highlight ranges.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Highlighting {
    #[default]
    On,
    /// No ranges (TREC runs, timing the ranking alone).
    Off,
}

/// What becomes of an article's copies (near-duplicates).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Copies {
    /// Listed under the article's entry.
    #[default]
    Grouped,
    /// Hits of their own.
    Listed,
}

/// The largest whole-article weight: past it the best passage no longer counts.
pub const MAX_ARTICLE_WEIGHT: f32 = 100.0;

/// The largest time prior: at 1 an article of the search's moment gains the top article's whole
/// score, and past it the day would outweigh the words.
pub const MAX_TIME_PRIOR: f32 = 1.0;

/// How articles are ranked from their passages. TREC runs, `eval` and `export` read all of
/// them; a page reads `lead_boost`, `article_weight` and `time_prior`, each of which lifts every
/// passage of an article alike, so that the page orders articles as a run does and shows each
/// by its best passage (`passage_decay` only counts in runs).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ArticleRanking {
    /// Added to the score of an article's first passage, its lead, which in news sums the story
    /// up (0: off); on a page, to the article's whole (see `lead`).
    pub lead_boost: f32,
    /// An article scores its best passage plus its other matching passages, the n-th next one
    /// weighted `passage_decay`^n (0: best alone; between 0 and 1).
    pub passage_decay: f32,
    /// Weight of whole-article evidence (BM25 over the article's passages together) added to
    /// its best passage's score (0: off; see `whole_article`).
    pub article_weight: f32,
    /// Weight of the time prior: an article published when the search's best articles were
    /// gains up to this share of the top article's score (0: off; see `time_prior`).
    pub time_prior: f32,
}

impl Default for ArticleRanking {
    fn default() -> Self {
        ArticleRanking {
            lead_boost: 4.0,
            passage_decay: 0.0,
            article_weight: 0.5,
            time_prior: 0.1,
        }
    }
}

/// A checked search: what the engine runs.
#[derive(Debug, Clone)]
pub struct SearchSettings {
    pub query: String,
    pub limit: NonZeroUsize,
    pub offset: usize,
    /// Only articles of the source's calendar days from `from` (inclusive) to `to` (exclusive).
    pub from: Option<OffsetDateTime>,
    pub to: Option<OffsetDateTime>,
    pub sources: Vec<String>,
    /// Only these collections (any of them): articles filed under one by `fahras index
    /// --collection`, and articles chosen into one by hand (see [`crate::curation`]).
    pub collections: Vec<String>,
    /// Only articles that carry one of these tags in a curated collection: in one of
    /// `collections` when some are named, in any collection otherwise.
    pub tags: Vec<String>,
    /// Only these categories (any of them; the source's own section names).
    pub categories: Vec<String>,
    pub fields: FieldSelection,
    /// Passages per article at most.
    pub per_article: NonZeroUsize,
    pub spelling: Spelling,
    pub typos: Typos,
    pub syntax: Syntax,
    pub highlighting: Highlighting,
    pub copies: Copies,
    /// The order of the entries.
    pub sort: Sort,
    /// Count the matching articles per outlet, collection, category, year and month.
    pub facets: bool,
    /// Count the matching articles per period; `Some(None)` chooses the period from the span.
    pub histogram: Option<Option<Interval>>,
    /// How passages are scored.
    pub ranking: Ranking,
    /// How articles are scored from their passages.
    pub articles: ArticleRanking,
    /// Which ranking answers (`None`: hybrid when the whole index has passage vectors of the
    /// installed model, lexical otherwise).
    pub mode: Option<crate::semantic::Mode>,
    /// The search by meaning's weight in hybrid fusion (0 to 1).
    pub semantic_weight: f32,
}

impl Default for SearchSettings {
    fn default() -> Self {
        SearchSettings {
            query: String::new(),
            limit: NonZeroUsize::new(10).expect("10 is not 0"),
            offset: 0,
            from: None,
            to: None,
            sources: Vec::new(),
            collections: Vec::new(),
            tags: Vec::new(),
            categories: Vec::new(),
            fields: FieldSelection::default(),
            per_article: NonZeroUsize::MIN,
            spelling: Spelling::default(),
            typos: Typos::default(),
            syntax: Syntax::default(),
            highlighting: Highlighting::default(),
            copies: Copies::default(),
            sort: Sort::Relevance,
            facets: false,
            histogram: None,
            ranking: Ranking::default(),
            articles: ArticleRanking::default(),
            mode: None,
            semantic_weight: crate::semantic::fuse::DEFAULT_WEIGHT,
        }
    }
}

impl SearchSettings {
    /// Results wanted up to the end of the page (offset + limit).
    pub fn page_end(&self) -> usize {
        self.offset.saturating_add(self.limit.get())
    }
}

/// The order of a result list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    /// Best match first.
    #[default]
    Relevance,
    /// Latest publication first (undated articles last).
    Newest,
    /// Earliest publication first (undated articles last).
    Oldest,
}

impl std::str::FromStr for Sort {
    type Err = String;
    fn from_str(text: &str) -> std::result::Result<Self, String> {
        match text.trim().to_ascii_lowercase().as_str() {
            "relevance" => Ok(Sort::Relevance),
            "newest" => Ok(Sort::Newest),
            "oldest" => Ok(Sort::Oldest),
            other => Err(format!(
                "must be relevance, newest or oldest, not {other:?}"
            )),
        }
    }
}

/// Ranking settings as given (defaults: the measured best; see `docs/relevance.md`).
#[derive(Debug, Clone, PartialEq)]
pub struct RankingInput {
    /// Fields plain words are searched in (`title,text`).
    pub fields: String,
    pub exact: bool,
    pub plain: bool,
    pub exact_weight: f32,
    pub title_weight: f32,
    pub variant_weight: f32,
    pub operator: Operator,
    pub drop_stopwords: bool,
    pub proximity: f32,
    pub reading_weight: f32,
    pub lead_boost: f32,
    pub passage_decay: f32,
    pub article_weight: f32,
    pub time_prior: f32,
    pub bm25_b: f32,
    /// Feedback for which queries (`None`: off).
    pub prf: Option<PrfQueries>,
    pub prf_docs: usize,
    pub prf_terms: usize,
    pub prf_weight: f32,
    /// `lexical`, `semantic` or `hybrid` (absent: hybrid when the index is embedded).
    pub mode: Option<String>,
    /// The search by meaning's weight in hybrid fusion, 0 to 1.
    pub semantic_weight: f32,
}

impl Default for RankingInput {
    fn default() -> Self {
        let ranking = Ranking::default();
        let articles = ArticleRanking::default();
        let prf = Prf::default();
        RankingInput {
            fields: "title,text".to_owned(),
            exact: false,
            plain: false,
            exact_weight: ranking.exact_weight,
            title_weight: ranking.title_weight,
            variant_weight: ranking.variant_weight,
            operator: ranking.operator,
            drop_stopwords: ranking.drop_stopwords,
            proximity: ranking.proximity_weight,
            reading_weight: ranking.reading_weight,
            lead_boost: articles.lead_boost,
            passage_decay: articles.passage_decay,
            article_weight: articles.article_weight,
            time_prior: articles.time_prior,
            bm25_b: ranking.bm25_b.get(),
            prf: ranking.prf.map(|p| p.queries),
            prf_docs: prf.docs,
            prf_terms: prf.terms,
            prf_weight: prf.weight,
            mode: None,
            semantic_weight: crate::semantic::fuse::DEFAULT_WEIGHT,
        }
    }
}

/// A search as given, unchecked (see the module comment). Absent values take their defaults.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SettingsInput {
    pub query: String,
    pub limit: Option<usize>,
    pub offset: Option<usize>,
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub from: Option<String>,
    pub to: Option<String>,
    pub sources: Vec<String>,
    pub collections: Vec<String>,
    /// Tags of curated articles (see [`SearchSettings::tags`]).
    pub tags: Vec<String>,
    pub categories: Vec<String>,
    pub per_article: Option<usize>,
    pub all_copies: bool,
    /// `relevance`, `newest` or `oldest`.
    pub sort: Option<String>,
    pub facets: bool,
    pub histogram: bool,
    /// `day`, `week` or `month` (implies `histogram`).
    pub interval: Option<String>,
    pub no_highlight: bool,
    pub ranking: RankingInput,
}

impl SettingsInput {
    /// Checks every setting against `bounds`; the first problem found is the error.
    pub fn resolve(&self, bounds: Bounds) -> Result<SearchSettings, SettingError> {
        let (from, to) = date_bounds(self.from.as_deref(), self.to.as_deref())?;
        let limit = self.limit.unwrap_or(10);
        let offset = self.offset.unwrap_or(0);
        let per_article = self.per_article.unwrap_or(1);
        let limit = at_least_one("limit", limit)?;
        at_most("limit", limit.get(), bounds.max_limit)?;
        at_most("offset", offset, bounds.max_offset)?;
        if offset.saturating_add(limit.get()) > bounds.max_page_end {
            return Err(SettingError {
                setting: "offset",
                problem: vec![
                    Part::Text("and ".into()),
                    Part::Setting("limit"),
                    Part::Text(format!(
                        " reach past result {}: narrow the search (filters, ",
                        bounds.max_page_end
                    )),
                    Part::Setting("sort"),
                    Part::Text(") or export it".into()),
                ],
            });
        }
        let per_article = at_least_one("per_article", per_article)?;
        at_most("per_article", per_article.get(), bounds.max_per_article)?;
        let sort = match self
            .sort
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => Sort::Relevance,
            Some(text) => text
                .parse()
                .map_err(|problem: String| SettingError::new("sort", problem))?,
        };
        let interval = self
            .interval
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|text| text.parse::<Interval>())
            .transpose()
            .map_err(|problem| SettingError::new("interval", problem))?;
        let (ranking, articles, fields) = self.ranking.resolve()?;
        let mode = self
            .ranking
            .mode
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::parse)
            .transpose()
            .map_err(|problem: String| SettingError::new("mode", problem))?;
        let semantic_weight = self.ranking.semantic_weight;
        if !(0.0..=1.0).contains(&semantic_weight) {
            return Err(SettingError::new(
                "semantic_weight",
                format!("must be between 0 and 1, not {semantic_weight}"),
            ));
        }
        Ok(SearchSettings {
            query: self.query.clone(),
            limit,
            offset,
            from,
            to,
            sources: self.sources.clone(),
            collections: self.collections.clone(),
            tags: self
                .tags
                .iter()
                .map(|t| t.trim().to_owned())
                .filter(|t| !t.is_empty())
                .collect(),
            categories: self.categories.clone(),
            fields,
            per_article,
            spelling: if self.ranking.exact {
                Spelling::AsTyped
            } else {
                Spelling::WithVariants
            },
            typos: Typos::default(),
            syntax: if self.ranking.plain {
                Syntax::PlainWords
            } else {
                Syntax::QueryLanguage
            },
            highlighting: if self.no_highlight {
                Highlighting::Off
            } else {
                Highlighting::On
            },
            copies: if self.all_copies {
                Copies::Listed
            } else {
                Copies::Grouped
            },
            sort,
            facets: self.facets,
            histogram: (self.histogram || interval.is_some()).then_some(interval),
            ranking,
            articles,
            mode,
            semantic_weight,
        })
    }
}

impl RankingInput {
    /// The passage ranking, the article ranking and the fields, checked.
    pub fn resolve(&self) -> Result<(Ranking, ArticleRanking, FieldSelection), SettingError> {
        let fields = FieldSelection::parse(&self.fields)
            .map_err(|problem| SettingError::new("fields", problem))?;
        let bm25_b =
            Bm25B::new(self.bm25_b).map_err(|problem| SettingError::new("bm25_b", problem))?;
        for (setting, value) in [
            ("exact_weight", self.exact_weight),
            ("title_weight", self.title_weight),
            ("variant_weight", self.variant_weight),
            ("proximity", self.proximity),
            ("reading_weight", self.reading_weight),
            ("lead_boost", self.lead_boost),
            ("article_weight", self.article_weight),
            ("time_prior", self.time_prior),
        ] {
            if !(value >= 0.0 && value.is_finite()) {
                return Err(SettingError::new(
                    setting,
                    format!("must be a number of at least 0, not {value}"),
                ));
            }
        }
        for (setting, value, max) in [
            ("article_weight", self.article_weight, MAX_ARTICLE_WEIGHT),
            ("time_prior", self.time_prior, MAX_TIME_PRIOR),
            ("passage_decay", self.passage_decay, 1.0),
        ] {
            if !(0.0..=max).contains(&value) {
                return Err(SettingError::new(
                    setting,
                    format!("must be between 0 and {max}, not {value}"),
                ));
            }
        }
        if !(0.0..1.0).contains(&self.prf_weight) {
            return Err(SettingError::new(
                "prf_weight",
                format!("must be in [0, 1), not {}", self.prf_weight),
            ));
        }
        let prf_docs = at_least_one("prf_docs", self.prf_docs)?;
        let ranking = Ranking {
            exact_weight: self.exact_weight,
            title_weight: self.title_weight,
            variant_weight: self.variant_weight,
            operator: self.operator,
            drop_stopwords: self.drop_stopwords,
            proximity_weight: self.proximity,
            reading_weight: self.reading_weight,
            bm25_b,
            prf: self.prf.map(|queries| Prf {
                queries,
                docs: prf_docs.get(),
                terms: self.prf_terms,
                weight: self.prf_weight,
            }),
        };
        let articles = ArticleRanking {
            lead_boost: self.lead_boost,
            passage_decay: self.passage_decay,
            article_weight: self.article_weight,
            time_prior: self.time_prior,
        };
        Ok((ranking, articles, fields))
    }
}

fn at_least_one(setting: &'static str, value: usize) -> Result<NonZeroUsize, SettingError> {
    NonZeroUsize::new(value).ok_or_else(|| SettingError::new(setting, "must be at least 1"))
}

fn at_most(setting: &'static str, value: usize, max: usize) -> Result<(), SettingError> {
    if value > max {
        Err(SettingError::new(
            setting,
            format!("must be at most {max}, not {value}"),
        ))
    } else {
        Ok(())
    }
}

/// `from` and `to` (YYYY, YYYY-MM or YYYY-MM-DD) as the start of the first period and the end
/// of the second.
pub fn date_bounds(
    from: Option<&str>,
    to: Option<&str>,
) -> Result<(Option<OffsetDateTime>, Option<OffsetDateTime>), SettingError> {
    let period = |value: Option<&str>, setting: &'static str| {
        value
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(|v| {
                parse_period(v).ok_or_else(|| {
                    SettingError::new(setting, format!("{v:?}: {}", why_not_a_date(v)))
                })
            })
            .transpose()
    };
    let from_period = period(from, "from")?;
    let to_period = period(to, "to")?;
    // Periods compare by their starts (`from 2018-07-23 to 2018-07-23` is one day).
    if let (Some((from_start, _)), Some((to_start, _))) = (from_period, to_period) {
        if from_start > to_start {
            return Err(SettingError {
                setting: "from",
                problem: vec![
                    Part::Text(format!("{} is after ", from.unwrap_or_default().trim())),
                    Part::Setting("to"),
                    Part::Text(format!(
                        " {}: nothing can be dated between them",
                        to.unwrap_or_default().trim()
                    )),
                ],
            });
        }
    }
    Ok((
        from_period.map(|(start, _)| start),
        to_period.map(|(_, end)| end),
    ))
}

/// Why `text` is not a `YYYY`, `YYYY-MM` or `YYYY-MM-DD` date, in words.
fn why_not_a_date(text: &str) -> String {
    let expected = "expected YYYY, YYYY-MM or YYYY-MM-DD (or a month name and a year: يونيو 2018)";
    let iso = super::arabic_dates::to_iso(text);
    let text = iso.as_deref().unwrap_or(text);
    let parts: Vec<&str> = text.trim().split(['-', '/']).collect();
    let numbers: Option<Vec<i64>> = parts.iter().map(|p| p.parse::<i64>().ok()).collect();
    let Some(numbers) = numbers else {
        return expected.to_owned();
    };
    if parts.first().is_some_and(|y| y.len() != 4) {
        return format!("{expected} (the year has four digits)");
    }
    match numbers.as_slice() {
        [_, month, ..] if !(1..=12).contains(month) => {
            format!("there is no month {month} (months run from 1 to 12)")
        }
        [year, month, day] => {
            let days = time::Month::try_from(*month as u8)
                .ok()
                .zip(i32::try_from(*year).ok())
                .map(|(m, y)| m.length(y));
            match days {
                Some(days) if *day < 1 || *day > i64::from(days) => {
                    format!("{year}-{month:02} has {days} days, so there is no day {day}")
                }
                _ => expected.to_owned(),
            }
        }
        _ => expected.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(input: SettingsInput) -> Result<SearchSettings, String> {
        input
            .resolve(Bounds::CLI)
            .map_err(|e| e.message(Surface::Cli))
    }

    #[test]
    fn impossible_dates_say_why() {
        assert_eq!(
            why_not_a_date("2018-02-30"),
            "2018-02 has 28 days, so there is no day 30"
        );
        assert!(why_not_a_date("2018-13").contains("no month 13"));
        assert!(why_not_a_date("18-01-01").contains("four digits"));
        assert!(why_not_a_date("yesterday").starts_with("expected"));
    }

    #[test]
    fn from_after_to_is_an_error() {
        let error = date_bounds(Some("2018-08"), Some("2018-07")).unwrap_err();
        assert_eq!(
            error.message(Surface::Cli),
            "--from 2018-08 is after --to 2018-07: nothing can be dated between them"
        );
        assert!(error
            .message(Surface::Http)
            .starts_with("from 2018-08 is after to 2018-07"));
        assert!(date_bounds(Some("2018-07-23"), Some("2018-07-23")).is_ok());
    }

    #[test]
    fn defaults_resolve_to_the_default_settings() {
        let settings = resolve(SettingsInput::default()).unwrap();
        let defaults = SearchSettings::default();
        assert_eq!(settings.limit, defaults.limit);
        assert_eq!(settings.per_article, defaults.per_article);
        assert_eq!(settings.ranking, defaults.ranking);
        assert_eq!(settings.articles, defaults.articles);
        assert_eq!(settings.fields, defaults.fields);
        assert_eq!(settings.sort, Sort::Relevance);
        assert_eq!(settings.histogram, None);
    }

    #[test]
    fn each_surface_names_the_setting_its_own_way() {
        let input = SettingsInput {
            per_article: Some(0),
            ..SettingsInput::default()
        };
        let error = input.resolve(Bounds::HTTP).unwrap_err();
        assert_eq!(
            error.message(Surface::Cli),
            "--per-article must be at least 1"
        );
        assert_eq!(
            error.message(Surface::Http),
            "per_article must be at least 1"
        );
    }

    #[test]
    fn the_bounds_are_the_surfaces() {
        let deep = SettingsInput {
            offset: Some(20_000),
            ..SettingsInput::default()
        };
        assert!(deep.resolve(Bounds::CLI).is_ok());
        assert!(deep.resolve(Bounds::HTTP).is_err());
        let past = SettingsInput {
            offset: Some(99_995),
            limit: Some(10),
            ..SettingsInput::default()
        };
        assert!(resolve(past)
            .unwrap_err()
            .contains("reach past result 100000"));
    }

    #[test]
    fn bad_ranking_values_are_refused_not_clamped() {
        for (ranking, setting) in [
            (
                RankingInput {
                    bm25_b: 1.0,
                    ..RankingInput::default()
                },
                "--bm25-b",
            ),
            (
                RankingInput {
                    passage_decay: 1.5,
                    ..RankingInput::default()
                },
                "--passage-decay",
            ),
            (
                RankingInput {
                    lead_boost: -1.0,
                    ..RankingInput::default()
                },
                "--lead-boost",
            ),
            (
                RankingInput {
                    prf_weight: 1.0,
                    ..RankingInput::default()
                },
                "--prf-weight",
            ),
            (
                RankingInput {
                    fields: "body,summary".into(),
                    ..RankingInput::default()
                },
                "--fields",
            ),
        ] {
            let error = resolve(SettingsInput {
                ranking,
                ..SettingsInput::default()
            })
            .unwrap_err();
            assert!(error.starts_with(setting), "{error}");
        }
    }

    #[test]
    fn an_interval_implies_the_histogram() {
        let settings = resolve(SettingsInput {
            interval: Some("week".into()),
            ..SettingsInput::default()
        })
        .unwrap();
        assert_eq!(settings.histogram, Some(Some(Interval::Week)));
        let error = resolve(SettingsInput {
            interval: Some("year".into()),
            ..SettingsInput::default()
        })
        .unwrap_err();
        assert_eq!(error, "--interval must be day, week or month, not \"year\"");
    }

    #[test]
    fn the_four_switches_become_types() {
        let settings = resolve(SettingsInput {
            all_copies: true,
            no_highlight: true,
            ranking: RankingInput {
                exact: true,
                plain: true,
                ..RankingInput::default()
            },
            ..SettingsInput::default()
        })
        .unwrap();
        assert_eq!(settings.copies, Copies::Listed);
        assert_eq!(settings.highlighting, Highlighting::Off);
        assert_eq!(settings.spelling, Spelling::AsTyped);
        assert_eq!(settings.syntax, Syntax::PlainWords);
    }
}
