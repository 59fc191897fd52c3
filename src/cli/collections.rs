//! `fahras collections list|rm`: the named collections of an index.

use std::io::Write;
use std::path::PathBuf;

use crate::index::{stats, writer};

#[derive(Debug, clap::Args)]
pub struct CollectionsArgs {
    #[command(subcommand)]
    pub action: CollectionsAction,
}

#[derive(Debug, clap::Subcommand)]
pub enum CollectionsAction {
    /// List the collections with their articles, outlets and dates.
    List {
        #[arg(long, default_value = "index")]
        index: PathBuf,
        /// One JSON object (collection name → details) instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Remove a collection's articles from the index, leaving the others untouched.
    Rm {
        name: String,
        #[arg(long, default_value = "index")]
        index: PathBuf,
    },
}

pub fn run(args: &CollectionsArgs) -> anyhow::Result<()> {
    match &args.action {
        CollectionsAction::List { index, json } => {
            let stats = stats::collect(index)?;
            let mut out = super::output::stdout();
            if *json {
                serde_json::to_writer(&mut out, &stats.collections)?;
                writeln!(out)?;
            } else {
                for (name, c) in &stats.collections {
                    let sources: Vec<String> =
                        c.sources.iter().map(|(s, n)| format!("{s} {n}")).collect();
                    writeln!(
                        out,
                        "{name}\t{} articles, {} passages, {} files, {} – {}\t{}",
                        c.articles,
                        c.passages,
                        c.files,
                        c.first_date.as_deref().unwrap_or("?"),
                        c.last_date.as_deref().unwrap_or("?"),
                        sources.join(", ")
                    )?;
                }
            }
            super::output::finish(out)
        }
        CollectionsAction::Rm { name, index } => {
            let (files, articles) = writer::remove_collection(index, name)?;
            eprintln!("removed collection {name}: {articles} articles from {files} files");
            Ok(())
        }
    }
}
