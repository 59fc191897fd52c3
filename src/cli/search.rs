//! `fahras search`: ranked passages with highlighted hits, as text, JSON lines or a TREC run.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;

use anyhow::Context;
use std::collections::BTreeMap;

use serde::Serialize;

use crate::index;
use crate::search::{
    bm25, query::parse_period, Engine, FieldSelection, Hit, Interval, Operator, Prf, Ranking,
    SearchRequest, SearchResults, Sort,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SearchFormat {
    Text,
    Json,
    Trec,
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
    /// Only articles dated on or after (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long)]
    pub from: Option<String>,
    /// Only articles dated on or before (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long)]
    pub to: Option<String>,
    /// Only these outlets (repeatable).
    #[arg(long = "source")]
    pub sources: Vec<String>,
    /// Only these collections (repeatable).
    #[arg(long = "collection")]
    pub collections: Vec<String>,
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
    /// Search the words as typed: no spelling variants.
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
    #[arg(long, value_enum, default_value_t = Ranking::default().operator)]
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
    /// Article ranking (TREC runs, eval, export): added to the score of an article's first
    /// passage, its lead (0 = off).
    #[arg(long, default_value_t = Ranking::default().lead_boost)]
    pub lead_boost: f32,
    /// Article ranking: weight of an article's next-best passages (geometric; 0 = best only).
    #[arg(long, default_value_t = Ranking::default().passage_decay)]
    pub passage_decay: f32,
    /// BM25 length normalization b, between 0 and 1 (k1 follows so that k1·(1 − b) = 0.3).
    #[arg(long, default_value_t = Ranking::default().bm25_b)]
    pub bm25_b: f32,
    /// Pseudo-relevance feedback: on or off.
    #[arg(long, value_enum, default_value_t = if Ranking::default().prf.is_some() { Switch::On } else { Switch::Off })]
    pub prf: Switch,
    /// Feedback passages.
    #[arg(long, default_value_t = Prf::default().docs)]
    pub prf_docs: usize,
    /// Feedback terms added.
    #[arg(long, default_value_t = Prf::default().terms)]
    pub prf_terms: usize,
    /// Weight of the feedback terms against the query (RM3's 1 − λ, 0..1).
    #[arg(long, default_value_t = Prf::default().weight)]
    pub prf_weight: f32,
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert!(error.to_string().contains("after --to"), "{error}");
        assert!(date_bounds(Some("2018-07-23"), Some("2018-07-23")).is_ok());
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Stopwords {
    Keep,
    Drop,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Switch {
    On,
    Off,
}

impl RankingArgs {
    /// Writes these settings into `request`.
    pub fn apply(&self, request: &mut SearchRequest) -> anyhow::Result<()> {
        request.fields = FieldSelection::parse(&self.fields).map_err(anyhow::Error::msg)?;
        request.exact = self.exact;
        request.plain = self.plain;
        if !(0.0..1.0).contains(&self.prf_weight) {
            anyhow::bail!("--prf-weight must be in [0, 1)");
        }
        bm25::check_b(self.bm25_b).map_err(anyhow::Error::msg)?;
        request.ranking = Ranking {
            exact_weight: self.exact_weight,
            title_weight: self.title_weight,
            variant_weight: self.variant_weight,
            operator: self.operator,
            drop_stopwords: self.stopwords == Stopwords::Drop,
            proximity_weight: self.proximity,
            reading_weight: self.reading_weight,
            lead_boost: self.lead_boost.max(0.0),
            passage_decay: self.passage_decay.clamp(0.0, 1.0),
            bm25_b: self.bm25_b,
            prf: (self.prf == Switch::On).then_some(Prf {
                docs: self.prf_docs.max(1),
                terms: self.prf_terms,
                weight: self.prf_weight,
            }),
        };
        Ok(())
    }
}

impl SearchArgs {
    /// A request with the defaults of every setting.
    pub fn default_request() -> SearchRequest {
        SearchRequest::default()
    }
}

/// Rewrites the command line so that query exclusions (`-جنيف`, `-"a phrase"`, `-nato`) after
/// the `search` subcommand reach the query parser instead of being read as unknown options:
/// their `-` becomes U+2212 MINUS SIGN, which the query language treats the same way.
pub fn protect_exclusions(args: Vec<std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    let Some(search_at) = args.iter().position(|a| a == "search" || a == "export") else {
        return args;
    };
    let mut after_double_dash = false;
    args.into_iter()
        .enumerate()
        .map(|(i, arg)| {
            if i <= search_at || after_double_dash {
                return arg;
            }
            let Some(text) = arg.to_str() else { return arg };
            if text == "--" {
                after_double_dash = true;
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

/// `--from` and `--to` (YYYY, YYYY-MM or YYYY-MM-DD) as the start of the first period and the
/// end of the second.
pub fn date_bounds(
    from: Option<&str>,
    to: Option<&str>,
) -> anyhow::Result<(Option<time::OffsetDateTime>, Option<time::OffsetDateTime>)> {
    let period = |value: Option<&str>, flag: &str| -> anyhow::Result<_> {
        value
            .map(|v| {
                parse_period(v)
                    .ok_or_else(|| anyhow::anyhow!("{flag} {v:?}: {}", why_not_a_date(v)))
            })
            .transpose()
    };
    let from_period = period(from, "--from")?;
    let to_period = period(to, "--to")?;
    // Periods compare by their starts (`--from 2018-07-23 --to 2018-07-23` is one day).
    if let (Some((from_start, _)), Some((to_start, _))) = (from_period, to_period) {
        if from_start > to_start {
            anyhow::bail!(
                "--from {} is after --to {}: nothing can be dated between them",
                from.unwrap_or_default(),
                to.unwrap_or_default()
            );
        }
    }
    Ok((
        from_period.map(|(start, _)| start),
        to_period.map(|(_, end)| end),
    ))
}

/// Why `text` is not a `YYYY`, `YYYY-MM` or `YYYY-MM-DD` date, in words.
fn why_not_a_date(text: &str) -> String {
    let expected = "expected YYYY, YYYY-MM or YYYY-MM-DD";
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

/// Deepest result a page may reach (`--offset` + `--limit`); `export` streams them all.
const MAX_PAGE_END: usize = 100_000;

/// Turns the arguments into a request (without the query text).
pub fn request_from(args: &SearchArgs) -> anyhow::Result<SearchRequest> {
    let (from, to) = date_bounds(args.from.as_deref(), args.to.as_deref())?;
    if args.limit == Some(0) {
        anyhow::bail!("--limit must be at least 1");
    }
    if args.offset.saturating_add(args.limit.unwrap_or(10)) > MAX_PAGE_END {
        anyhow::bail!(
            "--offset and --limit reach past result {MAX_PAGE_END}: narrow the search (filters, --sort) or export it"
        );
    }
    if args.per_article == 0 {
        anyhow::bail!("--per-article must be at least 1");
    }
    let sort: Sort = args.sort.parse().map_err(anyhow::Error::msg)?;
    let interval = args
        .interval
        .as_deref()
        .map(|text| text.parse::<Interval>())
        .transpose()
        .map_err(|e| anyhow::anyhow!("--interval: {e}"))?;
    let histogram = (args.histogram || interval.is_some()).then_some(interval);
    let mut request = SearchRequest {
        query: args.query.join(" "),
        sort,
        facets: args.facets,
        histogram,
        limit: args.limit.unwrap_or(10),
        offset: args.offset,
        from,
        to,
        sources: args.sources.clone(),
        collections: args.collections.clone(),
        categories: args.categories.clone(),
        per_article: args.per_article,
        highlight: args.format != SearchFormat::Trec && !args.no_highlight,
        all_copies: args.all_copies,
        ..SearchRequest::default()
    };
    args.ranking.apply(&mut request)?;
    Ok(request)
}

pub fn run(args: &SearchArgs) -> anyhow::Result<()> {
    let mut request = request_from(args)?;
    let mut engine = Engine::new(index::open(&args.index)?)?;
    let mut out = super::output::stdout();
    if let Some(path) = &args.queries {
        request.limit = args.limit.unwrap_or(1000);
        let file = std::fs::File::open(path).with_context(|| format!("{}", path.display()))?;
        for (line_no, line) in std::io::BufReader::new(file).lines().enumerate() {
            let line = line.with_context(|| format!("{}:{}", path.display(), line_no + 1))?;
            let Some((qid, query)) = line.split_once('\t') else {
                if !line.trim().is_empty() {
                    eprintln!(
                        "warning: {}:{}: expected qid<TAB>query; skipped",
                        path.display(),
                        line_no + 1
                    );
                }
                continue;
            };
            request.query = query.to_owned();
            match args.format {
                SearchFormat::Trec => {
                    let ranked = engine.rank_articles(&request)?;
                    write_trec(&mut out, qid.trim(), &ranked)?;
                }
                SearchFormat::Json | SearchFormat::Text => {
                    let results = engine.search(&request)?;
                    write_results(&mut out, args.format, &results, Some(qid.trim()))?;
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
        writeln!(out, "{qid} Q0 {article_id} {} {score:.4} fahras", rank + 1)?;
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
    variants: &'a BTreeMap<String, BTreeMap<String, u64>>,
    notes: &'a [String],
}

fn write_results(
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
                variants: &results.variants,
                notes: &results.notes,
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
        let list: Vec<String> = variants
            .iter()
            .map(|(term, passages)| {
                format!(
                    "{term} ({})",
                    count_of(*passages as usize, "passage", "passages")
                )
            })
            .collect();
        writeln!(out, "{word}: also matched: {}", list.join(", "))?;
    }
    let counts = format!(
        "{} ({})",
        count_of(results.total_articles, "article", "articles"),
        count_of(results.total_hits, "passage", "passages")
    );
    if results.hits.is_empty() {
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
        writeln!(out, "{counts} match ({:.1} ms)\n", results.took_ms)?;
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
