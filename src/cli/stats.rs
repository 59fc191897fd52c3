//! `fahras stats`: what the index holds.

use std::io::Write;
use std::path::PathBuf;

use crate::index::stats::collect;

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

pub fn run(args: &StatsArgs) -> anyhow::Result<()> {
    let stats = collect(&args.index)?;
    let vectors = crate::semantic::store::coverage(&crate::index::open(&args.index)?)?;
    let mut out = super::output::stdout();
    match args.format {
        StatsFormat::Json => {
            let mut json = serde_json::to_value(&stats)?;
            json["vectors"] = serde_json::to_value(&vectors)?;
            serde_json::to_writer(&mut out, &json)?;
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
            match &vectors {
                Some(v) => writeln!(
                    out,
                    "passage vectors:  {} of {} passages ({}, {} tokens; {:.1} MB)",
                    v.covered,
                    v.passages,
                    v.model,
                    v.max_tokens,
                    v.bytes as f64 / 1e6
                )?,
                None => writeln!(out, "passage vectors:  none (`fahras embed` makes them)")?,
            }
            if let Some(run) = &stats.last_run {
                writeln!(out, "last run:         {}", run.finished_at)?;
                writeln!(out, "                  {}", super::index::describe(run))?;
            }
            writeln!(out, "collections:")?;
            for (name, c) in &stats.collections {
                writeln!(
                    out,
                    "  {:>8}  {name} ({} – {}; {} outlets)",
                    c.articles,
                    c.first_date.as_deref().unwrap_or("?"),
                    c.last_date.as_deref().unwrap_or("?"),
                    c.sources.len()
                )?;
            }
            writeln!(out, "sources:")?;
            for (name, count) in &stats.sources {
                writeln!(out, "  {count:>8}  {name}")?;
            }
        }
    }
    super::output::finish(out)
}
