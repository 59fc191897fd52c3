//! `fahras collections list|show|add|drop|note|untag|rm`: the named collections of an index.
//!
//! One name is one collection: the articles filed under it at index time (`fahras index
//! --collection NAME`) and the articles chosen into it by hand (`collections add`), whose notes
//! and tags the curation database beside the index keeps (see [`crate::curation`]).

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Serialize;

use crate::curation::{view, ArticleRecord, Store};
use crate::export::{ExportFormat, ExportWriter};
use crate::index::{self, stats, writer};
use crate::search::{Engine, SettingsInput};

#[derive(Debug, clap::Args)]
pub struct CollectionsArgs {
    #[command(subcommand)]
    pub action: CollectionsAction,
}

/// How `collections list` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ListFormat {
    Text,
    Json,
}

/// How `collections show` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ShowFormat {
    /// One line per article (date, outlet, title, id, tags), its note below it.
    Text,
    /// One JSON array of articles, with their notes and tags.
    Json,
    /// CSL-JSON (Zotero, Pandoc), notes and tags as each item's note.
    Csljson,
}

/// The search filters of `collections add --query`.
#[derive(Debug, clap::Args)]
pub struct QueryFilters {
    /// Only articles dated on or after (YYYY, YYYY-MM or YYYY-MM-DD; Arabic digits and month names too: "يونيو 2018").
    #[arg(long, requires = "query")]
    pub from: Option<String>,
    /// Only articles dated on or before (YYYY, YYYY-MM or YYYY-MM-DD; Arabic digits and month names too: "تموز 2018").
    #[arg(long, requires = "query")]
    pub to: Option<String>,
    /// Only these outlets (repeatable).
    #[arg(long = "source", requires = "query")]
    pub sources: Vec<String>,
    /// Only articles of these collections (repeatable).
    #[arg(long = "in-collection", value_name = "COLLECTION", requires = "query")]
    pub collections: Vec<String>,
    /// Only these categories (repeatable).
    #[arg(long = "category", requires = "query")]
    pub categories: Vec<String>,
}

#[derive(Debug, clap::Subcommand)]
pub enum CollectionsAction {
    /// List the collections: articles filed under each at index time (with their outlets and
    /// dates) and articles added by hand ("curated").
    List {
        #[arg(long, default_value = "index")]
        index: PathBuf,
        #[arg(long, value_enum, default_value = "text")]
        format: ListFormat,
        /// The same as --format json: one JSON object (collection name → details).
        #[arg(long)]
        json: bool,
    },
    /// List a collection's articles in date order, with their notes and tags; articles added
    /// by hand that the index no longer holds are shown as missing, as they last were.
    Show {
        name: String,
        #[arg(long, default_value = "index")]
        index: PathBuf,
        #[arg(long, value_enum, default_value = "text")]
        format: ShowFormat,
    },
    /// Add articles to a collection (created on first use): those a query matches now, or
    /// the ones named by id. An article can be in any number of collections.
    Add {
        name: String,
        /// Article ids.
        #[arg(required_unless_present = "query", conflicts_with = "query")]
        ids: Vec<String>,
        /// Add every article this query matches (the query language of `fahras search`).
        #[arg(long)]
        query: Option<String>,
        #[command(flatten)]
        filters: QueryFilters,
        /// Tag the articles added (repeatable); tags are searchable with `search --tag`.
        #[arg(long = "tag")]
        tags: Vec<String>,
        #[arg(long, default_value = "index")]
        index: PathBuf,
    },
    /// Take articles out of a collection (never out of the index), with their notes and tags.
    Drop {
        name: String,
        #[arg(required = true)]
        ids: Vec<String>,
        #[arg(long, default_value = "index")]
        index: PathBuf,
    },
    /// Set the note of an article in a collection ("" clears it).
    Note {
        name: String,
        id: String,
        /// The note ("" clears it); it may start with "-" ("-2 points").
        #[arg(allow_hyphen_values = true)]
        text: String,
        #[arg(long, default_value = "index")]
        index: PathBuf,
    },
    /// Remove a tag from articles of a collection (`add NAME ID --tag TAG` adds one).
    Untag {
        name: String,
        tag: String,
        #[arg(required = true)]
        ids: Vec<String>,
        #[arg(long, default_value = "index")]
        index: PathBuf,
    },
    /// Remove a collection: the articles added to it by hand leave it (with their notes and
    /// tags; they stay in the index), and the articles filed under it at index time are
    /// removed from the index. Asks for --yes when run on a terminal.
    Rm {
        name: String,
        #[arg(long, default_value = "index")]
        index: PathBuf,
        /// Confirm the removal (needed on a terminal).
        #[arg(long)]
        yes: bool,
    },
}

pub fn run(args: &CollectionsArgs) -> anyhow::Result<()> {
    match &args.action {
        CollectionsAction::List {
            index,
            format,
            json,
        } => list(index, if *json { ListFormat::Json } else { *format }),
        CollectionsAction::Show {
            name,
            index,
            format,
        } => show(index, name, *format),
        CollectionsAction::Add {
            name,
            ids,
            query,
            filters,
            tags,
            index,
        } => add(index, name, ids, query.as_deref(), filters, tags),
        CollectionsAction::Drop { name, ids, index } => {
            let mut store = Store::open(&existing_index(index)?)?;
            let dropped = store.drop_articles(name, ids)?;
            let missed = ids.len() - dropped.min(ids.len());
            if missed > 0 {
                eprintln!(
                    "dropped {dropped} articles from {name} ({missed} of those named were not added to it by hand)"
                );
            } else {
                eprintln!("dropped {dropped} articles from {name}");
            }
            Ok(())
        }
        CollectionsAction::Note {
            name,
            id,
            text,
            index,
        } => {
            let mut store = Store::open(&existing_index(index)?)?;
            // An article filed under the name at index time joins the curated part with its
            // note in one transaction; one already curated gets the note.
            if !adopt_filed(
                index,
                &mut store,
                name,
                std::slice::from_ref(id),
                Some(text),
            )? {
                store.note(name, id, text)?;
            }
            Ok(())
        }
        CollectionsAction::Untag {
            name,
            tag,
            ids,
            index,
        } => {
            let mut store = Store::open(&existing_index(index)?)?;
            store.untag(name, ids, std::slice::from_ref(tag))?;
            Ok(())
        }
        CollectionsAction::Rm { name, index, yes } => {
            if !yes && std::io::stdin().is_terminal() {
                anyhow::bail!(
                    "`collections rm {name}` removes the collection: the articles added to it by \
                     hand leave it (with their notes and tags), and the articles filed under it \
                     at index time are removed from the index; run it again with --yes to do so"
                );
            }
            remove(index, name)
        }
    }
}

/// `index` when it holds an index (so that no database is created in a folder that is not one).
fn existing_index(index: &Path) -> crate::Result<PathBuf> {
    if !index::exists(index) {
        return Err(crate::Error::NoIndex(index.to_path_buf()));
    }
    Ok(index.to_path_buf())
}

/// One collection in `collections list --format json`: the index's statistics of the articles
/// filed under it (the keys scripts know), and the number added by hand.
#[derive(Serialize)]
struct Listed {
    #[serde(flatten)]
    filed: stats::CollectionStats,
    curated: u64,
}

fn list(index: &Path, format: ListFormat) -> anyhow::Result<()> {
    let stats = stats::collect(index)?;
    let curated: BTreeMap<String, u64> = match Store::open_existing(index)? {
        Some(store) => store
            .collections()?
            .into_iter()
            .map(|c| (c.name, c.articles))
            .collect(),
        None => BTreeMap::new(),
    };
    let mut listed: BTreeMap<String, Listed> = stats
        .collections
        .into_iter()
        .map(|(name, filed)| (name, Listed { filed, curated: 0 }))
        .collect();
    for (name, count) in curated {
        let key = listed
            .keys()
            .find(|k| k.to_lowercase() == name.to_lowercase())
            .cloned()
            .unwrap_or(name);
        listed
            .entry(key)
            .or_insert_with(|| Listed {
                filed: stats::CollectionStats::default(),
                curated: 0,
            })
            .curated = count;
    }
    let mut out = super::output::stdout();
    match format {
        ListFormat::Json => {
            serde_json::to_writer(&mut out, &listed)?;
            writeln!(out)?;
        }
        ListFormat::Text => {
            for (name, c) in &listed {
                let sources: Vec<String> = c
                    .filed
                    .sources
                    .iter()
                    .map(|(s, n)| format!("{s} {n}"))
                    .collect();
                writeln!(
                    out,
                    "{name}\t{} articles, {} passages, {} files, {} – {}\t{}\t{} added by hand",
                    c.filed.articles,
                    c.filed.passages,
                    c.filed.files,
                    c.filed.first_date.as_deref().unwrap_or("?"),
                    c.filed.last_date.as_deref().unwrap_or("?"),
                    sources.join(", "),
                    c.curated,
                )?;
            }
        }
    }
    super::output::finish(out)
}

fn show(index: &Path, name: &str, format: ShowFormat) -> anyhow::Result<()> {
    let mut engine = Engine::new(index::open(index)?)?;
    let store = Store::open_existing(index)?;
    let shown = view::collection_articles(&mut engine, store.as_ref(), name)?;
    let mut out = super::output::stdout();
    match format {
        ShowFormat::Text => {
            for s in &shown {
                let tags = if s.tags.is_empty() {
                    String::new()
                } else {
                    format!("tags: {}", s.tags.join(", "))
                };
                let missing = if s.missing {
                    "\tmissing from the index"
                } else {
                    ""
                };
                writeln!(
                    out,
                    "{}\t{}\t{}\t{}\t{tags}{missing}",
                    s.article.date.as_deref().unwrap_or("----------"),
                    s.outlet,
                    s.article.title,
                    s.article.article_id,
                )?;
                if !s.note.is_empty() {
                    for line in s.note.lines() {
                        writeln!(out, "\tnote: {line}")?;
                    }
                }
            }
        }
        ShowFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &shown)?;
            writeln!(out)?;
        }
        ShowFormat::Csljson => {
            let mut writer = ExportWriter::new(ExportFormat::Csljson, &mut out)?;
            for s in &shown {
                writer.row(&s.export_row(name))?;
            }
            writer.finish()?;
        }
    }
    let curated = shown.iter().filter(|s| s.curated).count();
    let missing = shown.iter().filter(|s| s.missing).count();
    eprintln!(
        "{name}: {} articles ({curated} added by hand, {missing} missing from the index)",
        shown.len()
    );
    super::output::finish(out)
}

fn add(
    index: &Path,
    name: &str,
    ids: &[String],
    query: Option<&str>,
    filters: &QueryFilters,
    tags: &[String],
) -> anyhow::Result<()> {
    let mut engine = Engine::new(index::open(index)?)?;
    let records = if let Some(query) = query {
        let request = super::search::resolve(&SettingsInput {
            query: query.to_owned(),
            from: filters.from.clone(),
            to: filters.to.clone(),
            sources: filters.sources.clone(),
            collections: filters.collections.clone(),
            categories: filters.categories.clone(),
            no_highlight: true,
            ..SettingsInput::default()
        })?;
        let (records, read) = view::matching_records(&mut engine, &request)?;
        super::export::say_how_the_query_was_read(&read, "collections");
        records
    } else {
        // All or nothing: an id the index lacks adds none of them (say so, not only which).
        view::lead_records(&engine, ids).map_err(|error| match error {
            crate::Error::UnknownArticle(id) => anyhow::anyhow!(
                "no article with id {id:?} in the index: nothing was added to {name} \
                 (the ids are added all together or not at all)"
            ),
            other => other.into(),
        })?
    };
    let mut store = Store::open(index)?;
    let added = store.add(name, &records, tags)?;
    let matched = match query {
        Some(query) => format!(
            " ({} {query:?})",
            super::search::count_of(records.len(), "article matches", "articles match")
        ),
        None => String::new(),
    };
    let already = if added.already > 0 {
        format!(
            "; {} in it already",
            super::search::count_of(added.already, "was", "were")
        )
    } else {
        String::new()
    };
    eprintln!(
        "added {} to {name}{matched}{already}",
        super::search::count_of(added.added, "article", "articles")
    );
    Ok(())
}

/// Articles filed under `name` at index time become members of its curated part too, so that
/// they can carry notes (the others are left for the store to refuse).
/// Adds to the curated part of `name` those of `ids` that are filed under it at index time
/// (with `note`, in the same transaction); true when it added any.
fn adopt_filed(
    index: &Path,
    store: &mut Store,
    name: &str,
    ids: &[String],
    note: Option<&str>,
) -> anyhow::Result<bool> {
    let curated = match store.collection_name(name)? {
        Some(_) => store.ids_in(&[name.to_owned()])?,
        None => Vec::new(),
    };
    let engine = Engine::new(index::open(index)?)?;
    let mut filed = Vec::new();
    for id in ids.iter().filter(|id| !curated.contains(id)) {
        if let Some(hit) = engine.lead_passage(id)? {
            if hit.collection.to_lowercase() == name.trim().to_lowercase() {
                filed.push(ArticleRecord::of(&hit));
            }
        }
    }
    if filed.is_empty() {
        return Ok(false);
    }
    store.add_noted(name, &filed, &[], note)?;
    Ok(true)
}

fn remove(index: &Path, name: &str) -> anyhow::Result<()> {
    let filed = match writer::remove_collection(index, name) {
        Ok(removed) => Some(removed),
        Err(crate::Error::UnknownCollection { .. }) => None,
        Err(other) => return Err(other.into()),
    };
    let curated = match Store::open_existing(index)? {
        Some(reader) if reader.collection_name(name)?.is_some() => {
            drop(reader);
            Store::open(index)?.remove_collection(name)?
        }
        _ => None,
    };
    if filed.is_none() && curated.is_none() {
        return Err(crate::Error::UnknownCollection {
            name: name.to_owned(),
            dir: index.to_path_buf(),
        }
        .into());
    }
    let (files, articles) = filed.unwrap_or_default();
    let mut message = format!("removed collection {name}: {articles} articles from {files} files");
    if let Some(curated) = curated {
        message.push_str(&format!(
            "; {curated} articles added by hand left it (they stay in the index)"
        ));
    }
    eprintln!("{message}");
    Ok(())
}

/// Refreshes what the curation database keeps of the articles still in the index, after an
/// indexing run (so that an article that later leaves it is shown as it last was).
pub fn refresh_records(index: &Path) -> anyhow::Result<()> {
    let Some(reader) = Store::open_existing(index)? else {
        return Ok(());
    };
    let ids = reader.all_ids()?;
    drop(reader);
    if ids.is_empty() {
        return Ok(());
    }
    let engine = Engine::new(index::open(index)?)?;
    let mut records = Vec::new();
    for id in &ids {
        if let Some(hit) = engine.lead_passage(id)? {
            records.push(ArticleRecord::of(&hit));
        }
    }
    Store::open(index)
        .and_then(|mut store| store.refresh(&records))
        .with_context(|| "updating the records of the curated articles")?;
    Ok(())
}
