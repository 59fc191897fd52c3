//! `fahras search`: ranked passages with highlighted hits, as text, JSON lines or a TREC run.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;

use anyhow::Context;
use std::collections::BTreeMap;

use serde::Serialize;

use crate::index;
use crate::search::{
    query::parse_period, Engine, FieldSelection, Hit, SearchRequest, SearchResults,
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
    /// Fields plain words are searched in.
    #[arg(long, default_value = "title,text")]
    pub fields: String,
    /// Passages per article at most.
    #[arg(long, default_value_t = 2)]
    pub per_article: usize,
    /// Search the words as typed: no spelling variants.
    #[arg(long)]
    pub exact: bool,
    /// Batch mode: one `qid<TAB>query` per line.
    #[arg(long)]
    pub queries: Option<PathBuf>,
    /// The query (`-word` excludes a word).
    #[arg(required_unless_present = "queries")]
    pub query: Vec<String>,
}

/// Rewrites the command line so that query exclusions (`-جنيف`, `-"a phrase"`, `-nato`) after
/// the `search` subcommand reach the query parser instead of being read as unknown options:
/// their `-` becomes U+2212 MINUS SIGN, which the query language treats the same way.
pub fn protect_exclusions(args: Vec<std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    let Some(search_at) = args.iter().position(|a| a == "search") else {
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

/// Turns the arguments into a request (without the query text).
pub fn request_from(args: &SearchArgs) -> anyhow::Result<SearchRequest> {
    let period = |value: &Option<String>, flag: &str| -> anyhow::Result<_> {
        value
            .as_deref()
            .map(|v| {
                parse_period(v)
                    .with_context(|| format!("{flag} {v:?}: expected YYYY, YYYY-MM or YYYY-MM-DD"))
            })
            .transpose()
    };
    let from = period(&args.from, "--from")?.map(|(start, _)| start);
    let to = period(&args.to, "--to")?.map(|(_, end)| end);
    Ok(SearchRequest {
        query: args.query.join(" "),
        limit: args.limit.unwrap_or(10),
        offset: args.offset,
        from,
        to,
        sources: args.sources.clone(),
        fields: FieldSelection::parse(&args.fields).map_err(anyhow::Error::msg)?,
        per_article: args.per_article.max(1),
        exact: args.exact,
        highlight: args.format != SearchFormat::Trec,
    })
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
            .map(|(term, passages)| format!("{term} ({passages} passages)"))
            .collect();
        writeln!(out, "{word}: also matched: {}", list.join(", "))?;
    }
    if results.hits.is_empty() {
        if results.total_hits == 0 {
            writeln!(out, "no passage matches ({:.1} ms)", results.took_ms)?;
        } else {
            writeln!(
                out,
                "{} passages match; none on this page ({:.1} ms)",
                results.total_hits, results.took_ms
            )?;
        }
        return Ok(());
    }
    writeln!(
        out,
        "{} passages match ({:.1} ms)\n",
        results.total_hits, results.took_ms
    )?;
    for hit in &results.hits {
        write_hit(out, hit, &markers)?;
    }
    Ok(())
}

fn write_hit(out: &mut impl Write, hit: &Hit, markers: &Markers) -> anyhow::Result<()> {
    let date = hit.date.as_deref().unwrap_or("undated");
    writeln!(
        out,
        "{}. {} — {} — {}   [{} ¶{}] {:.2}",
        hit.rank,
        if hit.title.is_empty() {
            "(untitled)"
        } else {
            &hit.title
        },
        hit.source,
        date,
        hit.article_id,
        hit.passage + 1,
        hit.score
    )?;
    let (window, ranges, before, after) =
        crate::search::highlight::window(&hit.text, &hit.highlights, WINDOW_CHARS);
    let marked = crate::search::highlight::mark(&window, &ranges, markers.open, markers.close);
    let marked = marked.replace('\n', " ");
    writeln!(
        out,
        "   {}{}{}\n",
        if before { "… " } else { "" },
        marked,
        if after { " …" } else { "" }
    )?;
    Ok(())
}
