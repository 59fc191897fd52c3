//! `fahras show`: a whole article, with a query's hits highlighted.

use std::io::Write;
use std::path::PathBuf;

use crate::index;
use crate::search::{highlight::mark, Article, Engine};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ShowFormat {
    Text,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// The article's id (as printed by `fahras search`).
    pub article_id: String,
    /// Highlight this query's hits.
    #[arg(long)]
    pub query: Option<String>,
    /// Index folder.
    #[arg(long, default_value = "index")]
    pub index: PathBuf,
    #[arg(long, value_enum, default_value = "text")]
    pub format: ShowFormat,
}

pub fn run(args: &ShowArgs) -> anyhow::Result<()> {
    let mut engine = Engine::new(index::open(&args.index)?)?;
    let passages = engine.article(&args.article_id, args.query.as_deref())?;
    let Some(first) = passages.first() else {
        anyhow::bail!(
            "no article with id {:?} in {}",
            args.article_id,
            args.index.display()
        );
    };
    let mut out = super::output::stdout();
    match args.format {
        ShowFormat::Json => {
            serde_json::to_writer(&mut out, &Article::from_passages(&passages))?;
            writeln!(out)?;
        }
        ShowFormat::Text => {
            let markers = super::search::markers();
            writeln!(out, "{}", first.title)?;
            writeln!(
                out,
                "{} — {} — {}",
                if first.source.is_empty() {
                    "outlet unknown"
                } else {
                    &first.source
                },
                first.date.as_deref().unwrap_or("undated"),
                first.url.as_deref().unwrap_or(&first.article_id)
            )?;
            writeln!(out)?;
            for passage in &passages {
                writeln!(
                    out,
                    "{}\n",
                    mark(
                        &passage.text,
                        &passage.highlights,
                        markers.open,
                        markers.close
                    )
                )?;
            }
        }
    }
    super::output::finish(out)
}
