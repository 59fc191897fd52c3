//! `fahras eval`: index a judged collection (unless given an index), run its queries, print
//! trec_eval-style measures.

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;

use crate::analysis::StemmerKind;
use crate::eval::{self, Measures};
use crate::index::writer::{self, IndexOptions, Silent};
use crate::index::{self, IndexSettings};
use crate::search::{Bounds, Engine, SearchSettings, SettingsInput, Surface};

#[derive(Debug, clap::Args)]
pub struct EvalArgs {
    /// The collection to index (any format `fahras index` reads).
    #[arg(long)]
    pub collection: Option<PathBuf>,
    /// Queries: `qid<TAB>query` per line (a header line `qid…` is skipped).
    #[arg(long)]
    pub queries: PathBuf,
    /// Judgments in TREC qrels format.
    #[arg(long)]
    pub qrels: PathBuf,
    /// Use (or build, if missing) the index here instead of a temporary one.
    #[arg(long)]
    pub index: Option<PathBuf>,
    /// Write the TREC run here.
    #[arg(long)]
    pub run: Option<PathBuf>,
    /// Documents retrieved per query.
    #[arg(long, default_value_t = 100)]
    pub k: usize,
    /// Print one line of measures per query too.
    #[arg(long)]
    pub per_query: bool,
    /// Output: a table or one JSON object.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub index_settings: IndexSettingsArgs,
    #[command(flatten)]
    pub search: super::search::RankingArgs,
}

/// Index-time settings for a collection built by `eval`.
#[derive(Debug, Clone, clap::Args)]
pub struct IndexSettingsArgs {
    /// Stemmer (for an index built by this command).
    #[arg(long, value_parser = super::choice::<StemmerKind>(), default_value_t = StemmerKind::default())]
    pub stemmer: StemmerKind,
    /// Passage length bounds in words (for an index built by this command).
    #[arg(long, default_value_t = IndexSettings::default().passage_min_words)]
    pub passage_min: usize,
    #[arg(long, default_value_t = IndexSettings::default().passage_max_words)]
    pub passage_max: usize,
}

impl IndexSettingsArgs {
    pub fn settings(&self) -> IndexSettings {
        IndexSettings {
            stemmer: self.stemmer,
            passage_min_words: self.passage_min,
            passage_max_words: self.passage_max.max(self.passage_min.max(1)),
        }
    }
}

/// Reads a `qid<TAB>query` file (see [`eval::parse_queries`]), warning about skipped lines.
pub fn read_queries(path: &std::path::Path) -> anyhow::Result<Vec<(String, String)>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("{}", path.display()))?;
    let file = eval::parse_queries(&text);
    for line in &file.skipped_lines {
        eprintln!(
            "warning: {}:{line}: expected qid<TAB>query; skipped",
            path.display()
        );
    }
    Ok(file.queries)
}

pub fn run(args: &EvalArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    let temp_dir;
    let index_dir = match &args.index {
        Some(dir) => dir.clone(),
        None => {
            temp_dir = tempdir_in_tmp()?;
            temp_dir.path().to_path_buf()
        }
    };
    if !index::exists(&index_dir) {
        let collection = args
            .collection
            .clone()
            .context("--collection is needed to build an index")?;
        let options = IndexOptions {
            settings: Some(args.index_settings.settings()),
            ..IndexOptions::new(vec![collection], index_dir.clone())
        };
        writer::run(&options, &Silent)?;
    }
    let index_seconds = started.elapsed().as_secs_f64();
    let queries = read_queries(&args.queries)?;
    let qrels_text = std::fs::read_to_string(&args.qrels)
        .with_context(|| format!("{}", args.qrels.display()))?;
    let (qrels, malformed) = eval::parse_qrels(&qrels_text);
    if malformed > 0 {
        eprintln!(
            "warning: {}: {malformed} malformed lines ignored",
            args.qrels.display()
        );
    }
    let mut engine = super::engine(&index_dir)?;
    let search_started = Instant::now();
    let mut out = super::output::stdout();
    let per_query = run_queries(args, &mut engine, &queries, &qrels, &mut out)?;
    let times = Times {
        index_seconds,
        search_seconds: search_started.elapsed().as_secs_f64(),
    };
    write_summary(
        &mut out,
        args.json,
        &eval::summarize(queries.len(), &per_query),
        &times,
    )?;
    super::output::finish(out)
}

/// The settings of `eval`'s searches, checked.
fn settings(args: &EvalArgs) -> anyhow::Result<SearchSettings> {
    SettingsInput {
        limit: Some(args.k),
        no_highlight: true,
        ranking: args.search.input(),
        ..SettingsInput::default()
    }
    .resolve(Bounds::CLI)
    .map_err(|error| {
        // `eval` calls the number of results `--k`.
        let error = if error.setting == "limit" {
            error.of("k")
        } else {
            error
        };
        anyhow::anyhow!(error.message(Surface::Cli))
    })
}

/// Ranks articles for each query, writes the run (`--run`) and the per-query lines
/// (`--per-query`), and gives the measures of the queries that have judgments.
fn run_queries(
    args: &EvalArgs,
    engine: &mut Engine,
    queries: &[(String, String)],
    qrels: &eval::Qrels,
    out: &mut impl Write,
) -> anyhow::Result<Vec<Measures>> {
    let mut request = settings(args)?;
    let mut run_out = match &args.run {
        Some(path) => Some(std::io::BufWriter::new(
            std::fs::File::create(path).with_context(|| format!("{}", path.display()))?,
        )),
        None => None,
    };
    let mut per_query: Vec<Measures> = Vec::new();
    let empty = Default::default();
    for (qid, query) in queries {
        request.query = query.clone();
        let ranked = engine.rank_articles(&request)?;
        if let Some(run_out) = run_out.as_mut() {
            for (rank, (doc, score)) in ranked.iter().enumerate() {
                writeln!(run_out, "{}", eval::run_line(qid, doc, rank + 1, *score))?;
            }
        }
        let ids: Vec<String> = ranked.into_iter().map(|(d, _)| d).collect();
        if let Some(m) = eval::measure(&ids, qrels.get(qid).unwrap_or(&empty)) {
            if args.per_query {
                writeln!(
                    out,
                    "{qid}\tmap@10 {:.4}\tmrr@10 {:.4}\tndcg@10 {:.4}\tR@100 {:.4}",
                    m.map_10, m.mrr_10, m.ndcg_10, m.recall_100
                )?;
            }
            per_query.push(m);
        }
    }
    if let Some(mut run_out) = run_out {
        run_out.flush()?;
    }
    Ok(per_query)
}

/// How long indexing and searching took.
struct Times {
    index_seconds: f64,
    search_seconds: f64,
}

/// The mean measures and the times, as a table or one JSON object.
fn write_summary(
    out: &mut impl Write,
    json: bool,
    summary: &eval::Summary,
    times: &Times,
) -> anyhow::Result<()> {
    if json {
        let value = serde_json::json!({
            "summary": summary,
            "index_seconds": times.index_seconds,
            "search_seconds": times.search_seconds,
        });
        writeln!(out, "{value}")?;
        return Ok(());
    }
    let m = summary.mean;
    writeln!(
        out,
        "queries {} evaluated {} skipped {} (no relevant document)",
        summary.queries, summary.evaluated, summary.skipped
    )?;
    writeln!(
        out,
        "MAP@10 {:.4}  MRR@10 {:.4}  nDCG@10 {:.4}  Recall@10 {:.4}  Recall@100 {:.4}  judged@10 {:.3}",
        m.map_10, m.mrr_10, m.ndcg_10, m.recall_10, m.recall_100, m.judged_10
    )?;
    writeln!(
        out,
        "time: index {:.1} s, {} queries {:.2} s ({:.2} ms/query)",
        times.index_seconds,
        summary.queries,
        times.search_seconds,
        times.search_seconds * 1e3 / summary.queries.max(1) as f64
    )?;
    Ok(())
}

/// A temporary folder that is removed when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn path(&self) -> &std::path::Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn tempdir_in_tmp() -> anyhow::Result<TempDir> {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let path = std::env::temp_dir().join(format!("fahras-eval-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&path).with_context(|| format!("{}", path.display()))?;
    Ok(TempDir(path))
}
