//! `fahras saved add|list|run|rm`: standing searches, and what arrived since each last ran.
//!
//! A saved search remembers the articles it has shown (its saving counts as its first run), so
//! `saved run NAME --new` lists only the articles indexed since, and `fahras index` says which
//! saved searches have new articles (see [`crate::curation::saved`]).

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::curation::{saved, SavedFilters, SavedSearch, Store};
use crate::export::ExportRow;
use crate::index;
use crate::outlets;
use crate::search::Engine;

#[derive(Debug, clap::Args)]
pub struct SavedArgs {
    #[command(subcommand)]
    pub action: SavedAction,
}

/// How `saved list` and `saved run` write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SavedFormat {
    /// One line per search or article.
    Text,
    /// `list`: one JSON array; `run`: one JSON object per article and line (as `export
    /// --format jsonl`).
    Json,
}

#[derive(Debug, clap::Subcommand)]
pub enum SavedAction {
    /// Save a search under a name; the articles it matches now count as seen.
    Add {
        name: String,
        /// The query (the query language of `fahras search`).
        #[arg(required = true)]
        query: Vec<String>,
        /// Only articles dated on or after (YYYY, YYYY-MM or YYYY-MM-DD; Arabic digits and month names too: "يونيو 2018").
        #[arg(long)]
        from: Option<String>,
        /// Only articles dated on or before (YYYY, YYYY-MM or YYYY-MM-DD; Arabic digits and month names too: "تموز 2018").
        #[arg(long)]
        to: Option<String>,
        /// Only these outlets (repeatable).
        #[arg(long = "source")]
        sources: Vec<String>,
        /// Only these collections (repeatable).
        #[arg(long = "collection")]
        collections: Vec<String>,
        /// Only these categories (repeatable).
        #[arg(long = "category")]
        categories: Vec<String>,
        /// Only articles tagged so in a collection (repeatable).
        #[arg(long = "tag")]
        tags: Vec<String>,
        #[arg(long, default_value = "index")]
        index: PathBuf,
    },
    /// List the saved searches with how many new articles each has.
    List {
        #[arg(long, default_value = "index")]
        index: PathBuf,
        #[arg(long, value_enum, default_value = "text")]
        format: SavedFormat,
    },
    /// Run a saved search: every article it matches, best first (and mark them seen).
    Run {
        name: String,
        /// Only the articles indexed since the search last ran.
        #[arg(long)]
        new: bool,
        #[arg(long, default_value = "index")]
        index: PathBuf,
        #[arg(long, value_enum, default_value = "text")]
        format: SavedFormat,
    },
    /// Forget a saved search.
    Rm {
        name: String,
        #[arg(long, default_value = "index")]
        index: PathBuf,
    },
}

pub fn run(args: &SavedArgs) -> anyhow::Result<()> {
    match &args.action {
        SavedAction::Add {
            name,
            query,
            from,
            to,
            sources,
            collections,
            categories,
            tags,
            index,
        } => {
            let filters = SavedFilters {
                sources: sources.clone(),
                collections: collections.clone(),
                categories: categories.clone(),
                tags: tags.clone(),
                from: from.clone(),
                to: to.clone(),
            };
            let query = query.join(" ");
            let mut engine = Engine::new(index::open(index)?)?;
            let search = SavedSearch {
                name: name.clone(),
                query: query.clone(),
                filters: filters.clone(),
                created: String::new(),
                last_run: None,
                seen: 0,
            };
            let matching = engine.article_ids(&saved::settings(&search)?)?;
            Store::open(index)?.add_saved(name, &query, &filters, &matching)?;
            eprintln!(
                "saved search \"{name}\": {} articles match now; `fahras saved run \"{name}\" --new` lists those indexed from now on",
                matching.len()
            );
            Ok(())
        }
        SavedAction::List { index, format } => list(index, *format),
        SavedAction::Run {
            name,
            new,
            index,
            format,
        } => run_saved(index, name, *new, *format),
        SavedAction::Rm { name, index } => {
            if !index::exists(index) {
                return Err(crate::Error::NoIndex(index.clone()).into());
            }
            Store::open(index)?.remove_saved(name)?;
            eprintln!("removed saved search \"{name}\"");
            Ok(())
        }
    }
}

/// A saved search in `saved list --format json`.
#[derive(Serialize)]
struct Listed<'a> {
    #[serde(flatten)]
    search: &'a SavedSearch,
    new: usize,
}

fn list(index: &Path, format: SavedFormat) -> anyhow::Result<()> {
    let mut engine = Engine::new(index::open(index)?)?;
    let counts = match Store::open_existing(index)? {
        Some(store) => saved::with_new_counts(&mut engine, &store)?,
        None => Vec::new(),
    };
    let mut out = super::output::stdout();
    match format {
        SavedFormat::Json => {
            let listed: Vec<Listed> = counts
                .iter()
                .map(|(search, new)| Listed { search, new: *new })
                .collect();
            serde_json::to_writer(&mut out, &listed)?;
            writeln!(out)?;
        }
        SavedFormat::Text => {
            for (search, new) in &counts {
                writeln!(
                    out,
                    "{}\t{}{}\t{new} new\tlast run {}",
                    search.name,
                    search.query,
                    describe_filters(&search.filters),
                    search.last_run.as_deref().unwrap_or("never"),
                )?;
            }
        }
    }
    super::output::finish(out)
}

/// The filters as command-line flags (` --source bbc --from 2018`).
fn describe_filters(filters: &SavedFilters) -> String {
    let mut text = String::new();
    for (flag, values) in [
        ("source", &filters.sources),
        ("collection", &filters.collections),
        ("category", &filters.categories),
        ("tag", &filters.tags),
    ] {
        for value in values {
            text.push_str(&format!(" --{flag} {value}"));
        }
    }
    for (flag, value) in [("from", &filters.from), ("to", &filters.to)] {
        if let Some(value) = value {
            text.push_str(&format!(" --{flag} {value}"));
        }
    }
    text
}

fn run_saved(index: &Path, name: &str, new_only: bool, format: SavedFormat) -> anyhow::Result<()> {
    let mut engine = Engine::new(index::open(index)?)?;
    let Some(store) = Store::open_existing(index)? else {
        return Err(crate::Error::UnknownSavedSearch(name.to_owned()).into());
    };
    let search = store.saved(name)?;
    let seen = store.seen(&search.name)?;
    drop(store);
    let request = saved::settings(&search)?;
    let mut out = super::output::stdout();
    let mut shown = Vec::new();
    let mut new = 0;
    engine.for_each_article(&request, |hit| {
        let is_new = !seen.contains(&hit.article_id);
        new += usize::from(is_new);
        if new_only && !is_new {
            return Ok(());
        }
        let written = match format {
            SavedFormat::Text => writeln!(
                out,
                "{}\t{}\t{}\t{}{}",
                hit.date.as_deref().unwrap_or("----------"),
                outlets::display_name(&hit.source),
                hit.title,
                hit.article_id,
                if is_new && !new_only { "\tnew" } else { "" },
            ),
            SavedFormat::Json => serde_json::to_writer(&mut out, &ExportRow::of(&hit))
                .map_err(std::io::Error::from)
                .and_then(|()| writeln!(out)),
        };
        written.map_err(|e| crate::Error::io("stdout", e))?;
        shown.push(hit.article_id);
        Ok(())
    })?;
    super::output::finish(out)?;
    Store::open(index)?.mark_seen(&search.name, &shown)?;
    eprintln!(
        "saved search \"{}\": {} articles shown, {new} new since it last ran",
        search.name,
        shown.len()
    );
    Ok(())
}

/// For the summary of `fahras index`: `saved search "NAME": N new articles`, one line per saved
/// search that has new articles.
pub fn new_article_lines(index: &Path) -> anyhow::Result<Vec<String>> {
    let Some(store) = Store::open_existing(index)? else {
        return Ok(Vec::new());
    };
    let mut engine = Engine::new(index::open(index)?)?;
    Ok(saved::with_new_counts(&mut engine, &store)?
        .into_iter()
        .filter(|(_, new)| *new > 0)
        .map(|(search, new)| {
            let noun = if new == 1 { "article" } else { "articles" };
            format!("saved search \"{}\": {new} new {noun}", search.name)
        })
        .collect())
}
