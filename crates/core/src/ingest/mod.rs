//! Files → articles: walking folders, decoding encodings, reading each format, splitting passages.

pub mod date;
pub mod decode;
pub mod html;
pub mod json;
mod markup;
pub mod passages;
pub mod sgml;
pub mod text;
pub mod tsv;
pub mod walk;

use std::path::Path;

use time::OffsetDateTime;

pub use json::JsonFields;
pub use passages::{split_passages, PassageSizes};

/// One article as read from a file, before it is cut into passages.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Article {
    /// The id the source gives (DOCNO, JSON id, TSV id); `None` → derived from the file path.
    pub id: Option<String>,
    pub title: String,
    pub body: String,
    pub date: Option<OffsetDateTime>,
    /// The outlet; `None` → the top folder of the file.
    pub source: Option<String>,
    pub url: Option<String>,
    pub author: Option<String>,
    pub category: Option<String>,
}

/// Something wrong in a file that did not stop it from being read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub line: Option<usize>,
    pub message: String,
}

impl Warning {
    pub fn new(message: impl Into<String>) -> Self {
        Warning {
            line: None,
            message: message.into(),
        }
    }

    pub fn at_line(line: usize, message: impl Into<String>) -> Self {
        Warning {
            line: Some(line),
            message: message.into(),
        }
    }
}

/// The formats Fahras reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Html,
    Sgml,
    JsonLines,
    Json,
    Tsv,
}

/// The format of a file, from its extension and, where the extension lies, its content.
/// `None`: not a format Fahras reads (the file is skipped, not an error).
pub fn detect_format(path: &Path, text: &str) -> Option<Format> {
    if sgml::looks_like_sgml(text) {
        return Some(Format::Sgml);
    }
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let head = text.trim_start_matches('\u{FEFF}').trim_start();
    let head_lower = head
        .get(..head.len().min(512))
        .unwrap_or(head)
        .to_ascii_lowercase();
    let looks_html = head_lower.starts_with("<!doctype html") || head_lower.starts_with("<html");
    match extension.as_str() {
        // A page saved with the wrong extension is still a page.
        "txt" | "text" | "" if looks_html => Some(Format::Html),
        "txt" | "md" | "markdown" | "text" => Some(Format::Text),
        "html" | "htm" | "xhtml" => Some(Format::Html),
        "sgml" | "sgm" | "trec" | "xml" => Some(Format::Sgml),
        "jsonl" | "ndjson" => Some(Format::JsonLines),
        "json" => Some(Format::Json),
        "tsv" => Some(Format::Tsv),
        "" if head.starts_with('<') && head.to_ascii_lowercase().contains("<html") => {
            Some(Format::Html)
        }
        _ => None,
    }
}

/// File extensions worth opening at all; other files are counted as skipped without reading.
pub fn is_candidate(path: &Path) -> bool {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    matches!(
        extension.as_deref(),
        None | Some(
            "txt"
                | "md"
                | "markdown"
                | "text"
                | "html"
                | "htm"
                | "xhtml"
                | "sgml"
                | "sgm"
                | "trec"
                | "xml"
                | "jsonl"
                | "ndjson"
                | "json"
                | "tsv"
        )
    )
}

/// Articles and warnings read from one decoded file.
#[derive(Debug, Default)]
pub struct Parsed {
    pub articles: Vec<Article>,
    pub warnings: Vec<Warning>,
}

/// Reads the articles of `text` in `format`.
pub fn parse(format: Format, text: &str, json_fields: &JsonFields) -> Parsed {
    let mut warnings = Vec::new();
    let articles = match format {
        Format::Text => text::parse(text, &mut warnings),
        Format::Html => html::parse(text),
        Format::Sgml => sgml::parse(text, &mut warnings),
        Format::JsonLines => json::parse_lines(text, json_fields, &mut warnings),
        Format::Json => json::parse_document(text, json_fields, &mut warnings),
        Format::Tsv => tsv::parse(text, &mut warnings),
    };
    Parsed { articles, warnings }
}
