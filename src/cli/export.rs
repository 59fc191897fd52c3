//! `fahras export`: every article matching a query, with its best passage and a ready citation,
//! in one of the formats of [`crate::export`]. Rows are written as they are read, so exports of
//! any size run in constant memory.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use crate::export::{ExportFormat, ExportRow};
use crate::index;
use crate::search::{Engine, SettingsInput};
use anyhow::Context;

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// The query (the same language as `fahras search`).
    #[arg(required = true)]
    pub query: Vec<String>,
    #[arg(long, default_value = "index")]
    pub index: PathBuf,
    /// Only these collections (repeatable).
    #[arg(long = "collection")]
    pub collections: Vec<String>,
    /// Only articles dated on or after (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long)]
    pub from: Option<String>,
    /// Only articles dated on or before (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long)]
    pub to: Option<String>,
    #[arg(long, default_value = "csv", value_parser = super::choice::<ExportFormat>())]
    pub format: ExportFormat,
    /// Write here instead of standard output.
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// No progress on standard error.
    #[arg(long)]
    pub quiet: bool,
}

pub fn run(args: &ExportArgs) -> anyhow::Result<()> {
    let request = super::search::resolve(&SettingsInput {
        query: args.query.join(" "),
        collections: args.collections.clone(),
        from: args.from.clone(),
        to: args.to.clone(),
        ..SettingsInput::default()
    })?;
    let mut engine = Engine::new(index::open(&args.index)?)?;
    let mut out: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path).with_context(|| format!("{}", path.display()))?,
        )),
        None => Box::new(super::output::stdout()),
    };
    args.format.write_header(&mut out)?;
    let show_progress = !args.quiet && (args.output.is_some() || !std::io::stdout().is_terminal());
    let started = std::time::Instant::now();
    let mut written = 0usize;
    let count = engine.for_each_article(&request, |hit| {
        let result = args.format.write_row(&mut out, &ExportRow::of(&hit));
        result.map_err(|e| {
            crate::Error::io(args.output.clone().unwrap_or_else(|| "stdout".into()), e)
        })?;
        written += 1;
        if show_progress && written.is_multiple_of(1000) {
            eprintln!(
                "exported {written} articles ({:.1} s)",
                started.elapsed().as_secs_f64()
            );
        }
        Ok(())
    })?;
    out.flush()?;
    if !args.quiet {
        eprintln!(
            "exported {count} articles in {:.2} s",
            started.elapsed().as_secs_f64()
        );
    }
    Ok(())
}
