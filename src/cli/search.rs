//! `fahras search`: ranked passages with highlighted hits, as text, JSON lines or a TREC run.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::search::settings::RankingInput;
use crate::search::{
    ArticleRanking, Bounds, Hit, Note, Operator, Prf, PrfQueries, Ranking, SearchResults,
    SearchSettings, SettingsInput, Surface,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SearchFormat {
    Text,
    Json,
    Trec,
}

/// The date and outlet filters, as `search`, `similar` and `export` take them.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct DatesAndOutlets {
    /// Only articles dated on or after (YYYY, YYYY-MM or YYYY-MM-DD; Arabic digits and month names too: "يونيو 2018").
    #[arg(long)]
    pub from: Option<String>,
    /// Only articles dated on or before (YYYY, YYYY-MM or YYYY-MM-DD; Arabic digits and month names too: "تموز 2018").
    #[arg(long)]
    pub to: Option<String>,
    /// Only these outlets (repeatable).
    #[arg(long = "source")]
    pub sources: Vec<String>,
}

#[derive(Debug, clap::Args)]
pub struct SearchArgs {
    /// Index folder.
    #[arg(long, default_value = "index")]
    pub index: PathBuf,
    /// Number of results (articles' passages) to show; in batch TREC mode, articles per query.
    #[arg(long)]
    pub limit: Option<usize>,
    /// Skip this many results (paging).
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    #[arg(long, value_enum, default_value = "text")]
    pub format: SearchFormat,
    #[command(flatten)]
    pub dates_and_outlets: DatesAndOutlets,
    /// Only these collections (repeatable): articles filed under one at index time or added
    /// to one with `fahras collections add`.
    #[arg(long = "collection")]
    pub collections: Vec<String>,
    /// Only articles tagged so in a collection (repeatable; within the --collection ones when
    /// given, in any collection otherwise).
    #[arg(long = "tag")]
    pub tags: Vec<String>,
    /// Only these categories, as the sources name their sections (repeatable).
    #[arg(long = "category")]
    pub categories: Vec<String>,
    /// Passages shown per article (its best first).
    #[arg(long, default_value_t = 1)]
    pub per_article: usize,
    /// List copies of an article (near-duplicates, e.g. the same wire story in several
    /// outlets) as results of their own instead of one result with "N copies".
    #[arg(long)]
    pub all_copies: bool,
    /// Order of the entries: relevance, newest or oldest.
    #[arg(long, default_value = "relevance", value_parser = clap::value_parser!(String))]
    pub sort: String,
    /// Count the matching articles per outlet, collection, category, year and month.
    #[arg(long)]
    pub facets: bool,
    /// A timeline of the matching articles (its period chosen from their span).
    #[arg(long)]
    pub histogram: bool,
    /// The timeline's period: day, week or month (implies --histogram).
    #[arg(long, value_name = "INTERVAL")]
    pub interval: Option<String>,
    /// Do not compute highlights (for timing the ranking alone).
    #[arg(long)]
    pub no_highlight: bool,
    #[command(flatten)]
    pub ranking: RankingArgs,
    /// Batch mode: one `qid<TAB>query` per line.
    #[arg(long)]
    pub queries: Option<PathBuf>,
    /// The query (`-word` excludes a word).
    #[arg(required_unless_present = "queries")]
    pub query: Vec<String>,
}

/// Ranking settings shared by `search` and `eval` (the defaults are the measured best; see
/// `docs/relevance.md`).
#[derive(Debug, Clone, clap::Args)]
pub struct RankingArgs {
    /// Fields plain words are searched in.
    #[arg(long, default_value = "title,text")]
    pub fields: String,
    /// Search the words as typed: no spelling variants, no typo correction.
    #[arg(long)]
    pub exact: bool,
    /// Read queries as plain words: quotes, parentheses, `-`, `OR` and `field:` are punctuation.
    #[arg(long)]
    pub plain: bool,
    /// Weight of exact (unstemmed) matches; stemmed matches weigh 1.
    #[arg(long, default_value_t = Ranking::default().exact_weight)]
    pub exact_weight: f32,
    /// Weight of title matches relative to text matches.
    #[arg(long, default_value_t = Ranking::default().title_weight)]
    pub title_weight: f32,
    /// Weight of spelling variants relative to the word typed.
    #[arg(long, default_value_t = Ranking::default().variant_weight)]
    pub variant_weight: f32,
    /// How plain words combine.
    #[arg(long, value_parser = super::choice::<Operator>(), default_value_t = Ranking::default().operator)]
    pub operator: Operator,
    /// Query stopwords (question words, particles): keep or drop.
    #[arg(long, value_enum, default_value_t = if Ranking::default().drop_stopwords { Stopwords::Drop } else { Stopwords::Keep })]
    pub stopwords: Stopwords,
    /// Boost for consecutive query words found close together (0 = off).
    #[arg(long, default_value_t = Ranking::default().proximity_weight)]
    pub proximity: f32,
    /// Weight of a word's other readings (leading و ف ب ك ل as a clitic; 0 = off).
    #[arg(long, default_value_t = Ranking::default().reading_weight)]
    pub reading_weight: f32,
    /// Article ranking: added to the score of an article's first passage, its lead (0 = off);
    /// a page ranks the article so and still shows its best passage.
    #[arg(long, default_value_t = ArticleRanking::default().lead_boost)]
    pub lead_boost: f32,
    /// Article ranking: weight of an article's next-best passages (geometric; 0 = best only).
    #[arg(long, default_value_t = ArticleRanking::default().passage_decay)]
    pub passage_decay: f32,
    /// Weight of whole-article evidence (BM25 over all the article's passages and its title)
    /// added to its best passage's score, on the page as in article rankings (0 = off; at most
    /// 100).
    #[arg(long, default_value_t = ArticleRanking::default().article_weight)]
    pub article_weight: f32,
    /// Weight of the time prior: articles published when the best articles of the search were
    /// gain up to this share of the top article's score (a week-wide profile of their days;
    /// 0 = off; at most 1).
    #[arg(long, default_value_t = ArticleRanking::default().time_prior)]
    pub time_prior: f32,
    /// BM25 length normalization b, between 0 and 1 (k1 follows so that k1·(1 − b) = 0.3).
    #[arg(long, default_value_t = Ranking::default().bm25_b.get())]
    pub bm25_b: f32,
    /// Pseudo-relevance feedback (RM3 over the top articles): on, off, or topical (only for
    /// queries of at most four parts that are not questions).
    #[arg(long, value_enum, default_value_t = PrfSwitch::from(Ranking::default().prf.map(|p| p.queries)))]
    pub prf: PrfSwitch,
    /// Feedback articles (the top articles of a first search, read whole).
    #[arg(long, default_value_t = Prf::default().docs)]
    pub prf_docs: usize,
    /// Feedback terms added.
    #[arg(long, default_value_t = Prf::default().terms)]
    pub prf_terms: usize,
    /// Weight of the feedback terms against the query (RM3's 1 − λ, 0..1).
    #[arg(long, default_value_t = Prf::default().weight)]
    pub prf_weight: f32,
    /// Which ranking answers: lexical (the words), semantic (the meaning: passage vectors of
    /// `fahras embed`), or hybrid (both fused). Default: hybrid when every passage of the index
    /// has a vector of the installed model, lexical otherwise.
    #[arg(long, value_parser = ["lexical", "semantic", "hybrid"])]
    pub mode: Option<String>,
    /// Weight of the search by meaning in hybrid mode (0..1).
    #[arg(long, default_value_t = crate::semantic::fuse::DEFAULT_WEIGHT)]
    pub semantic_weight: f32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Stopwords {
    Keep,
    Drop,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PrfSwitch {
    On,
    Off,
    Topical,
}

impl From<Option<PrfQueries>> for PrfSwitch {
    fn from(queries: Option<PrfQueries>) -> Self {
        match queries {
            None => PrfSwitch::Off,
            Some(PrfQueries::All) => PrfSwitch::On,
            Some(PrfQueries::Topical) => PrfSwitch::Topical,
        }
    }
}

impl From<PrfSwitch> for Option<PrfQueries> {
    fn from(switch: PrfSwitch) -> Self {
        match switch {
            PrfSwitch::Off => None,
            PrfSwitch::On => Some(PrfQueries::All),
            PrfSwitch::Topical => Some(PrfQueries::Topical),
        }
    }
}

impl RankingArgs {
    /// The settings as given (checked by [`SettingsInput::resolve`]).
    pub fn input(&self) -> RankingInput {
        RankingInput {
            fields: self.fields.clone(),
            exact: self.exact,
            plain: self.plain,
            exact_weight: self.exact_weight,
            title_weight: self.title_weight,
            variant_weight: self.variant_weight,
            operator: self.operator,
            drop_stopwords: self.stopwords == Stopwords::Drop,
            proximity: self.proximity,
            reading_weight: self.reading_weight,
            lead_boost: self.lead_boost,
            passage_decay: self.passage_decay,
            article_weight: self.article_weight,
            time_prior: self.time_prior,
            bm25_b: self.bm25_b,
            prf: self.prf.into(),
            prf_docs: self.prf_docs,
            prf_terms: self.prf_terms,
            prf_weight: self.prf_weight,
            mode: self.mode.clone(),
            semantic_weight: self.semantic_weight,
        }
    }
}

impl SearchArgs {
    /// The search as given on the command line (checked by [`SettingsInput::resolve`]).
    pub fn input(&self) -> SettingsInput {
        SettingsInput {
            query: self.query.join(" "),
            // Batch runs (TREC) rank 1000 articles per query unless told otherwise.
            limit: self.limit.or(self.queries.is_some().then_some(1000)),
            offset: Some(self.offset),
            from: self.dates_and_outlets.from.clone(),
            to: self.dates_and_outlets.to.clone(),
            sources: self.dates_and_outlets.sources.clone(),
            collections: self.collections.clone(),
            tags: self.tags.clone(),
            categories: self.categories.clone(),
            per_article: Some(self.per_article),
            all_copies: self.all_copies,
            sort: Some(self.sort.clone()),
            facets: self.facets,
            histogram: self.histogram,
            interval: self.interval.clone(),
            no_highlight: self.format == SearchFormat::Trec || self.no_highlight,
            ranking: self.ranking.input(),
        }
    }
}

/// Checks settings given on the command line.
pub fn resolve(input: &SettingsInput) -> anyhow::Result<SearchSettings> {
    input
        .resolve(Bounds::CLI)
        .map_err(|error| anyhow::anyhow!(error.message(Surface::Cli)))
}

/// Rewrites the command line so that query exclusions (`-جنيف`, `-"a phrase"`, `-nato`) after
/// the `search`, `export` or `saved` subcommand reach the query parser instead of being read as unknown options:
/// their `-` becomes U+2212 MINUS SIGN, which the query language treats the same way.
/// `takes_value` says whether a long option (`--limit`) of the subcommand takes a value: the
/// argument after one is that value, never an exclusion (`--limit -1` is refused as the number
/// it is, not as `−1`).
pub fn protect_exclusions(
    args: Vec<std::ffi::OsString>,
    takes_value: impl Fn(&str, &str) -> bool,
) -> Vec<std::ffi::OsString> {
    // The command is the first argument (`fahras search …`); a later argument that happens
    // to be one of these words (`collections note saved ID "-2"`) is not a command.
    let search_at = 1;
    if !args
        .get(search_at)
        .is_some_and(|a| a == "search" || a == "export" || a == "saved")
    {
        return args;
    }
    let command = args[search_at].to_string_lossy().into_owned();
    let mut after_double_dash = false;
    let mut is_option_value = false;
    args.into_iter()
        .enumerate()
        .map(|(i, arg)| {
            if i <= search_at || after_double_dash {
                return arg;
            }
            let Some(text) = arg.to_str() else { return arg };
            if std::mem::take(&mut is_option_value) {
                return arg;
            }
            if text == "--" {
                after_double_dash = true;
                return arg;
            }
            if let Some(long) = text.strip_prefix("--") {
                is_option_value = !long.contains('=') && takes_value(&command, long);
                return arg;
            }
            let is_exclusion = text.len() > 1
                && text.starts_with('-')
                && !text.starts_with("--")
                && text != "-h"
                && text != "-V";
            if is_exclusion {
                format!("\u{2212}{}", &text[1..]).into()
            } else {
                arg
            }
        })
        .collect()
}

/// Turns the arguments into checked settings.
pub fn request_from(args: &SearchArgs) -> anyhow::Result<SearchSettings> {
    resolve(&args.input())
}

pub fn run(args: &SearchArgs) -> anyhow::Result<()> {
    let mut request = request_from(args)?;
    let mut engine = super::engine(&args.index)?;
    let mut out = super::output::stdout();
    if let Some(path) = &args.queries {
        for (qid, query) in super::eval::read_queries(path)? {
            request.query = query;
            match args.format {
                SearchFormat::Trec => {
                    let ranked = engine.rank_articles(&request)?;
                    write_trec(&mut out, &qid, &ranked)?;
                }
                SearchFormat::Json | SearchFormat::Text => {
                    let results = engine.search(&request)?;
                    write_results(&mut out, args.format, &results, Some(&qid))?;
                }
            }
        }
        return super::output::finish(out);
    }
    match args.format {
        SearchFormat::Trec => {
            let ranked = engine.rank_articles(&request)?;
            write_trec(&mut out, "1", &ranked)?;
        }
        format => {
            let results = engine.search(&request)?;
            write_results(&mut out, format, &results, None)?;
        }
    }
    super::output::finish(out)
}

fn write_trec(out: &mut impl Write, qid: &str, ranked: &[(String, f32)]) -> anyhow::Result<()> {
    for (rank, (article_id, score)) in ranked.iter().enumerate() {
        writeln!(
            out,
            "{}",
            crate::eval::run_line(qid, article_id, rank + 1, *score)
        )?;
    }
    Ok(())
}

/// A hit as one JSON line: the hit's own keys, with the query id first in batch mode.
#[derive(Serialize)]
struct JsonHit<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    qid: Option<&'a str>,
    #[serde(flatten)]
    hit: &'a Hit,
}

/// The last JSON line of a search.
#[derive(Serialize)]
struct JsonSummary<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    qid: Option<&'a str>,
    total_hits: usize,
    total_articles: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    facets: Option<&'a crate::search::Facets>,
    #[serde(skip_serializing_if = "Option::is_none")]
    histogram: Option<&'a crate::search::Histogram>,
    took_ms: f64,
    /// Which ranking answered: lexical, semantic or hybrid.
    mode: crate::semantic::Mode,
    /// Hybrid mode: articles listed for their meaning that the words do not match.
    #[serde(skip_serializing_if = "crate::search::is_zero")]
    meaning_articles: usize,
    variants: &'a BTreeMap<String, BTreeMap<String, u64>>,
    /// The same variants counted in articles.
    variant_articles: &'a BTreeMap<String, BTreeMap<String, u64>>,
    /// Typed word → the term it was probably meant to be ("did you mean"), when any.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    suggestions: &'a BTreeMap<String, String>,
    /// The typed words that found nothing and whose suggestion was searched, when any.
    #[serde(skip_serializing_if = "std::collections::BTreeSet::is_empty")]
    searched_instead: &'a std::collections::BTreeSet<String>,
    #[serde(serialize_with = "crate::search::notes::as_sentences")]
    notes: &'a [Note],
    /// The notes as objects with a `code` (and the names they mention).
    notes_detail: &'a [Note],
}

pub(crate) fn write_results(
    out: &mut impl Write,
    format: SearchFormat,
    results: &SearchResults,
    qid: Option<&str>,
) -> anyhow::Result<()> {
    match format {
        SearchFormat::Json => {
            for hit in &results.hits {
                serde_json::to_writer(&mut *out, &JsonHit { qid, hit })?;
                writeln!(out)?;
            }
            let summary = JsonSummary {
                qid,
                total_hits: results.total_hits,
                total_articles: results.total_articles,
                facets: results.facets.as_ref(),
                histogram: results.histogram.as_ref(),
                took_ms: results.took_ms,
                mode: results.mode,
                meaning_articles: results.meaning_articles,
                variants: &results.variants,
                variant_articles: &results.variant_articles,
                suggestions: &results.suggestions,
                searched_instead: &results.searched_instead,
                notes: &results.notes,
                notes_detail: &results.notes,
            };
            serde_json::to_writer(&mut *out, &summary)?;
            writeln!(out)?;
        }
        SearchFormat::Text | SearchFormat::Trec => write_text(out, results, qid)?,
    }
    Ok(())
}

/// How hits are marked in terminal output.
pub struct Markers {
    pub open: &'static str,
    pub close: &'static str,
}

/// Bold colour on a terminal (unless `NO_COLOR` is set), `[[…]]` otherwise.
pub fn markers() -> Markers {
    let colour = std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    if colour {
        Markers {
            open: "\x1b[1;31m",
            close: "\x1b[0m",
        }
    } else {
        Markers {
            open: "[[",
            close: "]]",
        }
    }
}

/// Characters of passage shown around the hits in text output.
const WINDOW_CHARS: usize = 320;

fn write_text(
    out: &mut impl Write,
    results: &SearchResults,
    qid: Option<&str>,
) -> anyhow::Result<()> {
    let markers = markers();
    if let Some(qid) = qid {
        writeln!(out, "## query {qid}")?;
    }
    for note in &results.notes {
        writeln!(out, "note: {note}")?;
    }
    for (word, variants) in &results.variants {
        let articles = results.variant_articles.get(word);
        let list: Vec<String> = variants
            .iter()
            .map(|(term, passages)| {
                let passages = count_of(*passages as usize, "passage", "passages");
                match articles.and_then(|a| a.get(term)) {
                    Some(&n) => format!(
                        "{term} ({}, {passages})",
                        count_of(n as usize, "article", "articles")
                    ),
                    None => format!("{term} ({passages})"),
                }
            })
            .collect();
        writeln!(out, "{word}: also matched: {}", list.join(", "))?;
    }
    for (word, suggestion) in &results.suggestions {
        if results.searched_instead.contains(word) {
            writeln!(
                out,
                "did you mean: {suggestion}? ({word} finds nothing: searched {suggestion} instead)"
            )?;
        } else {
            writeln!(out, "did you mean: {suggestion}? (instead of {word})")?;
        }
    }
    let counts = format!(
        "{} ({})",
        count_of(results.total_articles, "article", "articles"),
        count_of(results.total_hits, "passage", "passages")
    );
    if results.total_hits == 0 && !results.hits.is_empty() {
        // Hybrid mode: the words match nothing, the meaning still answers.
        writeln!(
            out,
            "no passage matches the words; the nearest by meaning ({:.1} ms)\n",
            results.took_ms
        )?;
        for hit in &results.hits {
            write_hit(out, hit, &markers)?;
        }
    } else if results.hits.is_empty() {
        if results.total_hits == 0 {
            writeln!(out, "no passage matches ({:.1} ms)", results.took_ms)?;
        } else {
            writeln!(
                out,
                "{counts} match; none on this page ({:.1} ms)",
                results.took_ms
            )?;
        }
    } else {
        // Say how the list was ranked when it was not by words alone.
        let by = match results.mode {
            crate::semantic::Mode::Lexical => String::new(),
            crate::semantic::Mode::Hybrid if results.meaning_articles > 0 => format!(
                ", ranked by words and meaning; {} more by meaning alone",
                count_of(results.meaning_articles, "article", "articles")
            ),
            crate::semantic::Mode::Hybrid => ", ranked by words and meaning".to_owned(),
            crate::semantic::Mode::Semantic => ", the nearest by meaning".to_owned(),
        };
        writeln!(out, "{counts} match{by} ({:.1} ms)\n", results.took_ms)?;
        for hit in &results.hits {
            write_hit(out, hit, &markers)?;
        }
    }
    if let Some(facets) = &results.facets {
        write_facets(out, facets)?;
    }
    if let Some(histogram) = &results.histogram {
        write_histogram(out, histogram)?;
    }
    Ok(())
}

/// `1 article`, `12 articles`.
pub fn count_of(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

fn write_facets(out: &mut impl Write, facets: &crate::search::Facets) -> anyhow::Result<()> {
    for (name, counts) in [
        ("outlets", &facets.source),
        ("collections", &facets.collection),
        ("categories", &facets.category),
        ("years", &facets.year),
        ("months", &facets.month),
    ] {
        if counts.is_empty() {
            continue;
        }
        let list: Vec<String> = counts
            .iter()
            .map(|c| format!("{} {}", c.value, c.articles))
            .collect();
        writeln!(out, "{name}: {}", list.join(" · "))?;
    }
    Ok(())
}

/// A one-line timeline: a bar of eight heights per period, its first and last day, and the
/// busiest period.
fn write_histogram(
    out: &mut impl Write,
    histogram: &crate::search::Histogram,
) -> anyhow::Result<()> {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let (Some(first), Some(last)) = (histogram.buckets.first(), histogram.buckets.last()) else {
        return Ok(());
    };
    let peak = histogram
        .buckets
        .iter()
        .max_by(|a, b| a.articles.cmp(&b.articles).then(b.from.cmp(&a.from)))
        .expect("buckets");
    let line: String = histogram
        .buckets
        .iter()
        .map(|b| {
            if b.articles == 0 {
                ' '
            } else {
                BARS[(b.articles * (BARS.len() - 1)).div_ceil(peak.articles.max(1))]
            }
        })
        .collect();
    let interval = serde_json::to_value(histogram.interval)?;
    writeln!(
        out,
        "timeline (per {}): {} {line} {}",
        interval.as_str().unwrap_or("period"),
        first.from,
        last.to
    )?;
    writeln!(
        out,
        "busiest: {}–{}, {}",
        peak.from,
        peak.to,
        count_of(peak.articles, "article", "articles")
    )?;
    Ok(())
}

fn write_hit(out: &mut impl Write, hit: &Hit, markers: &Markers) -> anyhow::Result<()> {
    let date = hit.date.as_deref().unwrap_or("undated");
    writeln!(
        out,
        "{}. {} — {} — {}   [{} ¶{}] {:.2}",
        hit.rank,
        if hit.title.is_empty() {
            "(untitled)".to_owned()
        } else {
            crate::search::highlight::mark(
                &hit.title,
                &hit.title_highlights,
                markers.open,
                markers.close,
            )
        },
        if hit.source.is_empty() {
            "outlet unknown"
        } else {
            &hit.source
        },
        date,
        hit.article_id,
        hit.passage + 1,
        hit.score
    )?;
    if !hit.copies.is_empty() {
        let mut outlets: Vec<&str> = hit.copies.iter().map(|c| c.source.as_str()).collect();
        outlets.sort_unstable();
        outlets.dedup();
        let copies = if hit.copies.len() == 1 {
            "1 copy".to_owned()
        } else {
            format!("{} copies", hit.copies.len())
        };
        writeln!(out, "   {copies} (outlets: {})", outlets.join(", "))?;
    }
    let (window, ranges, before, after) =
        crate::search::highlight::window(&hit.text, &hit.highlights, WINDOW_CHARS);
    let marked = crate::search::highlight::mark(&window, &ranges, markers.open, markers.close);
    let marked = marked.replace('\n', " ");
    writeln!(
        out,
        "   {}{}{}",
        if before { "… " } else { "" },
        marked,
        if after { " …" } else { "" }
    )?;
    match hit.more_passages {
        0 => {}
        1 => writeln!(out, "   + 1 more passage matches in this article")?,
        n => writeln!(out, "   + {n} more passages match in this article")?,
    }
    writeln!(out)?;
    Ok(())
}
