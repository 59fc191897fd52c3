//! Export formats: every article a search matches as one row with its best passage and a ready
//! citation, written as CSV (UTF-8 with BOM, RFC 4180), JSON Lines or RIS (Zotero, EndNote).
//! The command line (`fahras export`) and the server (`/api/export`) write the same bytes.

use std::io::Write;

use serde::Serialize;

use crate::choice::Choice;
use crate::outlets;
use crate::search::{highlight, Hit};

/// A file format of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Jsonl,
    Ris,
}

impl Choice for ExportFormat {
    const CHOICES: &'static [(Self, &'static str, &'static str)] = &[
        (
            ExportFormat::Csv,
            "csv",
            "comma-separated values, UTF-8 with a byte-order mark (spreadsheets)",
        ),
        (ExportFormat::Jsonl, "jsonl", "one JSON object per line"),
        (
            ExportFormat::Ris,
            "ris",
            "RIS records (Zotero, EndNote, Mendeley)",
        ),
    ];
}

impl ExportFormat {
    /// The media type of a whole export.
    pub fn content_type(self) -> &'static str {
        match self {
            ExportFormat::Csv => "text/csv; charset=utf-8",
            ExportFormat::Jsonl => "application/jsonl; charset=utf-8",
            ExportFormat::Ris => "application/x-research-info-systems; charset=utf-8",
        }
    }

    /// The file name extension.
    pub fn extension(self) -> &'static str {
        self.name()
    }

    /// What comes before the first row (the CSV header).
    pub fn write_header(self, out: &mut dyn Write) -> std::io::Result<()> {
        match self {
            ExportFormat::Csv => {
                let names = ExportRow::default().columns().map(|(name, _)| name);
                // The BOM makes spreadsheets read the file as UTF-8 (Arabic intact).
                write!(out, "\u{FEFF}{}\r\n", names.join(","))
            }
            ExportFormat::Jsonl | ExportFormat::Ris => Ok(()),
        }
    }

    /// One row.
    pub fn write_row(self, out: &mut dyn Write, row: &ExportRow) -> std::io::Result<()> {
        match self {
            ExportFormat::Csv => write_csv(out, row),
            ExportFormat::Ris => write_ris(out, row),
            // serde_json's error keeps the I/O error's kind (a closed pipe stays a closed pipe).
            ExportFormat::Jsonl => serde_json::to_writer(&mut *out, row)
                .map_err(std::io::Error::from)
                .and_then(|()| out.write_all(b"\n")),
        }
    }
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

impl<'a> ExportRow<'a> {
    /// The row of a hit (its best passage).
    pub fn of(hit: &'a Hit) -> ExportRow<'a> {
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

/// `Author. Title. Outlet, Date. URL` (parts that are missing are left out; the outlet by its
/// display name).
pub fn citation(hit: &Hit) -> String {
    let mut text = String::new();
    let outlet = outlets::display_name(&hit.source);
    // Some sources fill the author field with their own name: that is no author.
    let author = hit
        .author
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty() && *a != hit.source && *a != outlet);
    if let Some(author) = author {
        text.push_str(author.trim_end_matches('.'));
        text.push_str(". ");
    }
    if hit.title.is_empty() {
        text.push_str("(untitled)");
    } else {
        text.push_str(hit.title.trim_end_matches('.'));
    }
    text.push('.');
    let place: Vec<&str> = [Some(outlet.as_ref()), hit.date.as_deref()]
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

/// A CSV field, quoted when it must be (RFC 4180).
fn csv_field(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_owned()
    }
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
    tag("T2", &outlets::display_name(r.source))?;
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

    #[test]
    fn a_citation_names_the_author_and_the_outlet_by_its_display_name() {
        let hit = Hit {
            title: "قمة هلسنكي".to_owned(),
            source: "alarabia".to_owned(),
            date: Some("2018-07-16".to_owned()),
            author: Some("لندن: رنيم حنوش".to_owned()),
            url: Some("https://www.alarabiya.net/x".to_owned()),
            ..Hit::default()
        };
        assert_eq!(
            citation(&hit),
            "لندن: رنيم حنوش. قمة هلسنكي. العربية, 2018-07-16. https://www.alarabiya.net/x"
        );
        // UX audit (stop 24): France 24 fills the author with its own name, cited twice.
        let own_name = Hit {
            author: Some("فرانس 24".to_owned()),
            source: "france24".to_owned(),
            ..hit
        };
        assert!(citation(&own_name).starts_with("قمة هلسنكي. فرانس 24, "));
    }
}
