//! Export formats: every article a search matches as one row with its best passage and a ready
//! citation, written as CSV (UTF-8 with BOM, RFC 4180), JSON Lines, RIS (Zotero, EndNote) or
//! CSL-JSON (Zotero, Pandoc, citeproc). The command line (`fahras export`, `fahras collections
//! show`) and the server write the same bytes, a row at a time: a header, the rows, a footer
//! ([`ExportWriter`], or [`ExportFormat::write_header`], `write_row` and `write_footer`).

use std::borrow::Cow;
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
    Csljson,
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
        (
            ExportFormat::Csljson,
            "csljson",
            "CSL-JSON, one array of items (Zotero, Pandoc, most reference managers)",
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
            ExportFormat::Csljson => "application/vnd.citationstyles.csl+json; charset=utf-8",
        }
    }

    /// The file name extension.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Csljson => "json",
            other => other.name(),
        }
    }

    /// What comes before the first row (the CSV header, CSL-JSON's opening bracket).
    pub fn write_header(self, out: &mut dyn Write) -> std::io::Result<()> {
        match self {
            ExportFormat::Csv => {
                let names = ExportRow::default().columns().map(|(name, _)| name);
                // The BOM makes spreadsheets read the file as UTF-8 (Arabic intact).
                write!(out, "\u{FEFF}{}\r\n", names.join(","))
            }
            ExportFormat::Csljson => out.write_all(b"[\n"),
            ExportFormat::Jsonl | ExportFormat::Ris => Ok(()),
        }
    }

    /// One row; `position` counts the rows written before it (CSL-JSON separates its items).
    pub fn write_row(
        self,
        out: &mut dyn Write,
        row: &ExportRow,
        position: usize,
    ) -> std::io::Result<()> {
        match self {
            ExportFormat::Csv => write_csv(out, row),
            ExportFormat::Ris => write_ris(out, row),
            // serde_json's error keeps the I/O error's kind (a closed pipe stays a closed pipe).
            ExportFormat::Jsonl => serde_json::to_writer(&mut *out, row)
                .map_err(std::io::Error::from)
                .and_then(|()| out.write_all(b"\n")),
            ExportFormat::Csljson => {
                if position > 0 {
                    out.write_all(b",\n")?;
                }
                serde_json::to_writer(&mut *out, &csl_item(row)).map_err(std::io::Error::from)
            }
        }
    }

    /// What comes after the last row (CSL-JSON's closing bracket); `rows` were written.
    pub fn write_footer(self, out: &mut dyn Write, rows: usize) -> std::io::Result<()> {
        match self {
            ExportFormat::Csljson if rows > 0 => out.write_all(b"\n]\n"),
            ExportFormat::Csljson => out.write_all(b"]\n"),
            ExportFormat::Csv | ExportFormat::Jsonl | ExportFormat::Ris => Ok(()),
        }
    }
}

/// An export being written: the header on creation, rows as they come, the footer at the end.
pub struct ExportWriter<W: Write> {
    format: ExportFormat,
    out: W,
    rows: usize,
}

impl<W: Write> ExportWriter<W> {
    /// Starts an export in `format` to `out` (writes the header).
    pub fn new(format: ExportFormat, mut out: W) -> std::io::Result<Self> {
        format.write_header(&mut out)?;
        Ok(ExportWriter {
            format,
            out,
            rows: 0,
        })
    }

    /// Writes one row.
    pub fn row(&mut self, row: &ExportRow) -> std::io::Result<()> {
        self.format.write_row(&mut self.out, row, self.rows)?;
        self.rows += 1;
        Ok(())
    }

    /// Rows written so far.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Writes the footer, flushes, and gives the writer back.
    pub fn finish(mut self) -> std::io::Result<W> {
        self.format.write_footer(&mut self.out, self.rows)?;
        self.out.flush()?;
        Ok(self.out)
    }
}

/// Writes `rows` as a whole export in `format`.
pub fn write_all<'a>(
    format: ExportFormat,
    out: &mut dyn Write,
    rows: impl IntoIterator<Item = ExportRow<'a>>,
) -> std::io::Result<()> {
    let mut writer = ExportWriter::new(format, out)?;
    for row in rows {
        writer.row(&row)?;
    }
    writer.finish().map(|_| ())
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
    /// The tags the article carries in the collections exported.
    pub tags: Vec<String>,
    /// Its notes in the collections exported.
    pub notes: Vec<String>,
    /// The passage as plain text (CSL-JSON's abstract).
    #[serde(skip)]
    pub text: &'a str,
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
            tags: Vec::new(),
            notes: Vec::new(),
            text: &hit.text,
        }
    }

    /// The row with the article's notes and tags from a collection.
    pub fn annotated(mut self, annotations: Option<&crate::curation::Annotations>) -> Self {
        if let Some(annotations) = annotations {
            self.tags = annotations.tags.clone();
            self.notes = annotations.notes.clone();
        }
        self
    }

    /// The text columns, named as in the CSV header and the JSON Lines keys, in CSV order.
    fn columns(&self) -> [(&'static str, Cow<'_, str>); 11] {
        [
            ("id", self.id.into()),
            ("collection", self.collection.into()),
            ("title", self.title.into()),
            ("source", self.source.into()),
            ("date", self.date.unwrap_or("").into()),
            ("url", self.url.unwrap_or("").into()),
            ("author", self.author.unwrap_or("").into()),
            ("passage", self.passage.as_str().into()),
            ("citation", self.citation.as_str().into()),
            ("tags", self.tags.join(", ").into()),
            ("notes", self.notes.join("\n").into()),
        ]
    }
}

/// An article as a CSL-JSON item (type `article-newspaper`): the outlet by its display name,
/// the date as date parts, the author as a literal name, the notes and tags as its note, the
/// passage as its abstract.
fn csl_item(row: &ExportRow) -> serde_json::Value {
    let mut item = serde_json::Map::new();
    let mut put = |key: &str, value: serde_json::Value| {
        item.insert(key.to_owned(), value);
    };
    put("id", row.id.into());
    put("type", "article-newspaper".into());
    if !row.title.is_empty() {
        put("title", row.title.into());
    }
    if !row.source.is_empty() {
        put("container-title", outlets::display_name(row.source).into());
    }
    if let Some(parts) = row.date.and_then(date_parts) {
        put("issued", serde_json::json!({ "date-parts": [parts] }));
    }
    if let Some(url) = row.url.filter(|u| !u.trim().is_empty()) {
        put("URL", url.into());
    }
    if let Some(author) = row.author.map(str::trim).filter(|a| !a.is_empty()) {
        put("author", serde_json::json!([{ "literal": author }]));
    }
    put("language", "ar".into());
    let mut note: Vec<String> = row.notes.clone();
    if !row.tags.is_empty() {
        note.push(format!("tags: {}", row.tags.join(", ")));
    }
    if !note.is_empty() {
        put("note", note.join("\n").into());
    }
    if !row.text.trim().is_empty() {
        put("abstract", row.text.into());
    }
    serde_json::Value::Object(item)
}

/// `YYYY-MM-DD` (or `YYYY-MM`, `YYYY`) as CSL date parts.
fn date_parts(date: &str) -> Option<Vec<u32>> {
    let parts: Option<Vec<u32>> = date.split('-').map(|p| p.parse().ok()).collect();
    parts.filter(|p| !p.is_empty() && p.len() <= 3)
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
    for note in &r.notes {
        tag("N1", note)?;
    }
    for keyword in &r.tags {
        tag("KW", keyword)?;
    }
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
            tags: vec!["t".into()],
            notes: vec!["n".into()],
            text: "p",
        };
        let json = serde_json::to_value(&row).unwrap();
        let keys: Vec<&str> = json
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .filter(|k| *k != "score")
            .collect();
        let columns = row.columns();
        let mut columns: Vec<&str> = columns.iter().map(|(name, _)| *name).collect();
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

    #[test]
    fn csl_json_is_one_array_of_newspaper_items_however_many_rows() {
        let hit = Hit {
            article_id: "E1".to_owned(),
            title: "قمة هلسنكي".to_owned(),
            source: "alarabia".to_owned(),
            date: Some("2018-07-16".to_owned()),
            author: Some("رنيم حنوش".to_owned()),
            url: Some("https://www.alarabiya.net/x".to_owned()),
            text: "التقى الرئيسان في هلسنكي".to_owned(),
            ..Hit::default()
        };
        let annotations = crate::curation::Annotations {
            notes: vec!["مصدر أول".to_owned()],
            tags: vec!["قمة".to_owned(), "روسيا".to_owned()],
        };
        for count in [0, 1, 3] {
            let mut out = Vec::new();
            let rows = (0..count).map(|_| ExportRow::of(&hit).annotated(Some(&annotations)));
            write_all(ExportFormat::Csljson, &mut out, rows).unwrap();
            let items: Vec<serde_json::Value> = serde_json::from_slice(&out).unwrap();
            assert_eq!(items.len(), count);
        }
        let mut out = Vec::new();
        write_all(
            ExportFormat::Csljson,
            &mut out,
            [ExportRow::of(&hit).annotated(Some(&annotations))],
        )
        .unwrap();
        let items: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(
            items[0],
            serde_json::json!({
                "id": "E1",
                "type": "article-newspaper",
                "title": "قمة هلسنكي",
                "container-title": "العربية",
                "issued": {"date-parts": [[2018, 7, 16]]},
                "URL": "https://www.alarabiya.net/x",
                "author": [{"literal": "رنيم حنوش"}],
                "language": "ar",
                "note": "مصدر أول\ntags: قمة, روسيا",
                "abstract": "التقى الرئيسان في هلسنكي",
            })
        );
    }
}
