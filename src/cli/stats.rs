//! `fahras stats`: what the index holds.

use std::io::Write;
use std::path::PathBuf;

use serde::Serialize;

use crate::analysis::ANALYZER_VERSION;
use crate::index::{self, RunSummary};
use crate::ingest::date::format_day;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum StatsFormat {
    Text,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct StatsArgs {
    /// Index folder.
    #[arg(long, default_value = "index")]
    pub index: PathBuf,
    #[arg(long, value_enum, default_value = "text")]
    pub format: StatsFormat,
}

/// The statistics, with the JSON keys scripts rely on.
#[derive(Debug, Serialize)]
pub struct Stats {
    pub articles: u64,
    pub passages: u64,
    pub sources: std::collections::BTreeMap<String, u64>,
    pub first_date: Option<String>,
    pub last_date: Option<String>,
    pub index_bytes: u64,
    pub analyzer_version: u32,
    pub stemmer: String,
    pub files: usize,
    pub last_run: Option<RunSummary>,
}

/// Statistics of the index in `dir`.
pub fn collect(dir: &std::path::Path) -> crate::Result<Stats> {
    let handle = index::open(dir)?;
    let manifest = &handle.manifest;
    let (first, last) = manifest.date_range();
    Ok(Stats {
        articles: manifest.articles(),
        passages: manifest.passages(),
        sources: manifest.sources(),
        first_date: first.and_then(format_day),
        last_date: last.and_then(format_day),
        index_bytes: handle.size_on_disk(),
        analyzer_version: ANALYZER_VERSION,
        stemmer: manifest.settings.stemmer.to_string(),
        files: manifest.files.len(),
        last_run: manifest.last_run.clone(),
    })
}

pub fn run(args: &StatsArgs) -> anyhow::Result<()> {
    let stats = collect(&args.index)?;
    let mut out = super::output::stdout();
    match args.format {
        StatsFormat::Json => {
            serde_json::to_writer(&mut out, &stats)?;
            writeln!(out)?;
        }
        StatsFormat::Text => {
            writeln!(out, "articles:         {}", stats.articles)?;
            writeln!(out, "passages:         {}", stats.passages)?;
            writeln!(out, "files:            {}", stats.files)?;
            writeln!(
                out,
                "dates:            {} – {}",
                stats.first_date.as_deref().unwrap_or("?"),
                stats.last_date.as_deref().unwrap_or("?")
            )?;
            writeln!(
                out,
                "index size:       {:.1} MB",
                stats.index_bytes as f64 / 1e6
            )?;
            writeln!(
                out,
                "analyzer:         version {}, stemmer {}",
                stats.analyzer_version, stats.stemmer
            )?;
            if let Some(run) = &stats.last_run {
                writeln!(out, "last run:         {}", run.finished_at)?;
                writeln!(out, "                  {}", super::index::describe(run))?;
            }
            writeln!(out, "sources:")?;
            for (name, count) in &stats.sources {
                writeln!(out, "  {count:>8}  {name}")?;
            }
        }
    }
    super::output::finish(out)
}
