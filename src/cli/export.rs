//! `fahras export`: every article matching a query, with its best passage and a ready citation,
//! in one of the formats of [`crate::export`]. Rows are written as they are read, so exports of
//! any size run in constant memory. Articles chosen into the collections exported (or, with
//! `--tag` alone, into any collection) carry their notes and tags.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use crate::curation::Store;
use crate::export::{ExportFormat, ExportRow, ExportWriter};
use crate::index;
use crate::search::settings::RankingInput;
use crate::search::{Engine, SettingsInput};
use anyhow::Context;

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// The query (the same language as `fahras search`).
    #[arg(required = true)]
    pub query: Vec<String>,
    #[arg(long, default_value = "index")]
    pub index: PathBuf,
    /// Only these collections (repeatable): filed under one at index time or added to one by
    /// hand; the rows carry the notes and tags of these collections.
    #[arg(long = "collection")]
    pub collections: Vec<String>,
    /// Only articles tagged so in a collection (repeatable; see `fahras search --tag`).
    #[arg(long = "tag")]
    pub tags: Vec<String>,
    #[command(flatten)]
    pub dates_and_outlets: super::search::DatesAndOutlets,
    /// Only these categories, as the sources name their sections (repeatable).
    #[arg(long = "category")]
    pub categories: Vec<String>,
    /// Search the words as typed: no spelling variants, no typo correction.
    #[arg(long)]
    pub exact: bool,
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
        tags: args.tags.clone(),
        from: args.dates_and_outlets.from.clone(),
        to: args.dates_and_outlets.to.clone(),
        sources: args.dates_and_outlets.sources.clone(),
        categories: args.categories.clone(),
        ranking: RankingInput {
            exact: args.exact,
            ..RankingInput::default()
        },
        ..SettingsInput::default()
    })?;
    let mut engine = Engine::new(index::open(&args.index)?)?;
    let annotations = match Store::open_existing(&args.index)? {
        Some(store) if !args.collections.is_empty() || !args.tags.is_empty() => {
            store.annotations(&args.collections)?
        }
        _ => Default::default(),
    };
    let out: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path).with_context(|| format!("{}", path.display()))?,
        )),
        None => Box::new(super::output::stdout()),
    };
    let destination = args.output.clone().unwrap_or_else(|| "stdout".into());
    let mut writer = ExportWriter::new(args.format, out)
        .map_err(|e| crate::Error::io(destination.clone(), e))?;
    let show_progress = !args.quiet && (args.output.is_some() || !std::io::stdout().is_terminal());
    let started = std::time::Instant::now();
    let read = engine.for_each_article(&request, |hit| {
        let row = ExportRow::of(&hit).annotated(annotations.get(&hit.article_id));
        writer
            .row(&row)
            .map_err(|e| crate::Error::io(destination.clone(), e))?;
        let written = writer.rows();
        if show_progress && written.is_multiple_of(1000) {
            eprintln!(
                "exported {written} articles ({:.1} s)",
                started.elapsed().as_secs_f64()
            );
        }
        Ok(())
    })?;
    writer
        .finish()
        .map_err(|e| crate::Error::io(destination, e))?;
    say_how_the_query_was_read(&read, "exports");
    if !args.quiet {
        eprintln!(
            "exported {} in {:.2} s",
            super::search::count_of(read.count, "article", "articles"),
            started.elapsed().as_secs_f64()
        );
    }
    Ok(())
}

/// Says on standard error how a query was read for `what` (exports, collections), even with
/// --quiet: a file or a collection that silently holds less than was asked for is worse than a
/// line on the terminal. They search the words as typed, so a likelier word is only suggested.
pub fn say_how_the_query_was_read(read: &crate::search::ArticlesRead, what: &str) {
    for note in &read.notes {
        eprintln!("note: {note}");
    }
    for (word, suggestion) in &read.suggestions {
        eprintln!("did you mean: {suggestion}? ({what} search the words as typed: {word})");
    }
}
