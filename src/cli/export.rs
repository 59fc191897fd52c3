//! `fahras export`: every article matching a query, with its best passage and a ready citation,
//! as CSV (UTF-8 with BOM, RFC 4180), JSON Lines or RIS (for Zotero and EndNote). Rows are
//! written as they are read, so exports of any size run in constant memory.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use anyhow::Context;
use serde::Serialize;

use crate::index;
use crate::search::{highlight, Engine, Hit, SettingsInput};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    Csv,
    Jsonl,
    Ris,
}

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
    #[arg(long, value_enum, default_value = "csv")]
    pub format: ExportFormat,
    /// Write here instead of standard output.
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// No progress on standard error.
    #[arg(long)]
    pub quiet: bool,
}

/// One exported article.
#[derive(Debug, Default, Serialize)]
pub struct ExportRow<'a> {
    pub id: &'a str,
    pub collection: &'a str,
    pub title: &'a str,
    pub source: &'a str,
    pub date: Option<&'a str>,
    pub url: Option<&'a str>,
    pub author: Option<&'a str>,
    /// The best passage with its hits between [[ and ]].
    pub passage: String,
    pub citation: String,
    pub score: f32,
}

/// `Title. Source, Date. URL` (parts that are missing are left out).
pub fn citation(hit: &Hit) -> String {
    let mut text = if hit.title.is_empty() {
        "(untitled)".to_owned()
    } else {
        hit.title.trim_end_matches('.').to_owned()
    };
    text.push('.');
    let place: Vec<&str> = [Some(hit.source.as_str()), hit.date.as_deref()]
        .into_iter()
        .flatten()
        .filter(|part| !part.is_empty())
        .collect();
    if !place.is_empty() {
        text.push(' ');
        text.push_str(&place.join(", "));
        text.push('.');
    }
    if let Some(url) = &hit.url {
        text.push(' ');
        text.push_str(url);
    }
    text
}

fn row(hit: &Hit) -> ExportRow<'_> {
    ExportRow {
        id: &hit.article_id,
        collection: &hit.collection,
        title: &hit.title,
        source: &hit.source,
        date: hit.date.as_deref(),
        url: hit.url.as_deref(),
        author: hit.author.as_deref(),
        passage: highlight::mark(&hit.text, &hit.highlights, "[[", "]]"),
        citation: citation(hit),
        score: hit.score,
    }
}

/// A CSV field, quoted when it must be (RFC 4180).
fn csv_field(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_owned()
    }
}

impl ExportRow<'_> {
    /// The text columns, named as in the CSV header and the JSON Lines keys, in CSV order.
    fn columns(&self) -> [(&'static str, &str); 9] {
        [
            ("id", self.id),
            ("collection", self.collection),
            ("title", self.title),
            ("source", self.source),
            ("date", self.date.unwrap_or("")),
            ("url", self.url.unwrap_or("")),
            ("author", self.author.unwrap_or("")),
            ("passage", &self.passage),
            ("citation", &self.citation),
        ]
    }
}

fn write_csv_header(out: &mut dyn Write) -> std::io::Result<()> {
    let names = ExportRow::default().columns().map(|(name, _)| name);
    // The BOM makes spreadsheets read the file as UTF-8 (Arabic intact).
    write!(out, "\u{FEFF}{}\r\n", names.join(","))
}

fn write_csv(out: &mut dyn Write, r: &ExportRow) -> std::io::Result<()> {
    let line: Vec<String> = r.columns().iter().map(|(_, f)| csv_field(f)).collect();
    write!(out, "{}\r\n", line.join(","))
}

/// RIS values are single lines.
fn ris_value(value: &str) -> String {
    value.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn write_ris(out: &mut dyn Write, r: &ExportRow) -> std::io::Result<()> {
    let mut tag = |tag: &str, value: &str| -> std::io::Result<()> {
        if value.trim().is_empty() {
            return Ok(());
        }
        write!(out, "{tag}  - {}\r\n", ris_value(value))
    };
    tag("TY", "NEWS")?;
    tag("ID", r.id)?;
    tag("TI", r.title)?;
    tag("T2", r.source)?;
    if let Some(author) = r.author {
        tag("AU", author)?;
    }
    if let Some(date) = r.date {
        tag("PY", date.get(..4).unwrap_or(date))?;
        tag("DA", &date.replace('-', "/"))?;
    }
    if let Some(url) = r.url {
        tag("UR", url)?;
    }
    tag("DB", r.collection)?;
    tag("AB", &r.passage)?;
    tag("N1", &r.citation)?;
    tag("LA", "ar")?;
    write!(out, "ER  - \r\n\r\n")
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
    if args.format == ExportFormat::Csv {
        write_csv_header(&mut out)?;
    }
    let show_progress = !args.quiet && (args.output.is_some() || !std::io::stdout().is_terminal());
    let started = std::time::Instant::now();
    let mut written = 0usize;
    let count = engine.for_each_article(&request, |hit| {
        let r = row(&hit);
        let result = match args.format {
            ExportFormat::Csv => write_csv(&mut out, &r),
            ExportFormat::Ris => write_ris(&mut out, &r),
            // serde_json's error keeps the I/O error's kind (a closed pipe stays a closed pipe).
            ExportFormat::Jsonl => serde_json::to_writer(&mut out, &r)
                .map_err(std::io::Error::from)
                .and_then(|()| out.write_all(b"\n")),
        };
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_csv_columns_are_the_json_lines_keys() {
        let row = ExportRow {
            id: "a",
            collection: "c",
            title: "t",
            source: "s",
            date: Some("2018-07-23"),
            url: None,
            author: None,
            passage: "p".into(),
            citation: "x".into(),
            score: 1.0,
        };
        let json = serde_json::to_value(&row).unwrap();
        let keys: Vec<&str> = json
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .filter(|k| *k != "score")
            .collect();
        let mut columns: Vec<&str> = row.columns().iter().map(|(name, _)| *name).collect();
        columns.sort_unstable();
        assert_eq!(keys, columns);
    }
}
