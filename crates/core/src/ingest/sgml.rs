//! TREC / LDC Gigaword-style SGML: one or many `<DOC>` blocks per file.
//!
//! Recognised elements: `DOCNO` (or the `id` attribute of `DOC`), `TITLE`/`HEADLINE`,
//! `DATE`/`DATE_TIME`/`TIME`, `TEXT` (with or without `<P>`), `URL`, `SRC`, `CAT`, `AUTHOR`.
//! Broken markup is salvaged: an unclosed `DOC` ends at the next `<DOC>` or the end of the file,
//! an unclosed element at the end of its `DOC`, each with a warning.

use super::markup::{attribute, decode_entities};
use super::{date::parse_date, Article, Warning};

/// True when `text` looks like TREC SGML: its first tag is `<DOC>` or `<DOC …>`.
pub fn looks_like_sgml(text: &str) -> bool {
    let start = text.trim_start_matches('\u{FEFF}').trim_start();
    let head = start.get(..5).unwrap_or(start).to_ascii_lowercase();
    head == "<doc>" || (head == "<doc " || head == "<doc\n" || head == "<doc\t")
}

pub fn parse(text: &str, warnings: &mut Vec<Warning>) -> Vec<Article> {
    let lower = text.to_ascii_lowercase();
    let mut articles = Vec::new();
    let mut cursor = 0;
    // Line numbers are counted as the cursor advances (documents come in file order), so a file
    // of many documents is read in linear time.
    let mut lines = LineCounter::default();
    while let Some(start) = find_open_tag(&lower, "doc", cursor) {
        let line = lines.line_at(text, start);
        let open_end = match lower[start..].find('>') {
            Some(i) => start + i + 1,
            None => {
                warnings.push(Warning::at_line(
                    line,
                    "unclosed <DOC tag; rest of file skipped",
                ));
                break;
            }
        };
        let next_doc = find_open_tag(&lower, "doc", open_end).unwrap_or(text.len());
        let (end, next_cursor) = match lower[open_end..next_doc].find("</doc>") {
            Some(i) => (open_end + i, open_end + i + "</doc>".len()),
            None => {
                warnings.push(Warning::at_line(
                    line,
                    "<DOC> without </DOC>; read up to the next document",
                ));
                (next_doc, next_doc)
            }
        };
        let doc_tag = &text[start + 1..open_end - 1];
        let doc = &text[open_end..end];
        let doc_lower = &lower[open_end..end];
        articles.push(parse_doc(doc_tag, doc, doc_lower, line, warnings));
        cursor = next_cursor;
    }
    articles
}

fn parse_doc(
    doc_tag: &str,
    doc: &str,
    lower: &str,
    line: usize,
    warnings: &mut Vec<Warning>,
) -> Article {
    let mut field = |names: &[&str]| -> Option<String> {
        names.iter().find_map(|name| {
            let (content, closed) = element(doc, lower, name)?;
            if !closed {
                warnings.push(Warning::at_line(
                    line,
                    format!(
                        "<{}> without closing tag; read to the end of the document",
                        name.to_ascii_uppercase()
                    ),
                ));
            }
            let value = decode_entities(strip_tags(content).trim());
            (!value.is_empty()).then_some(value)
        })
    };
    let id = field(&["docno"]).or_else(|| attribute(doc_tag, "id").map(str::to_owned));
    let title = field(&["title", "headline"]).unwrap_or_default();
    let date = field(&["date", "date_time", "time"]);
    let url = field(&["url"]);
    let source = field(&["src", "source"]);
    let category = field(&["cat", "category"]);
    let author = field(&["author"]);
    let body = element(doc, lower, "text")
        .map(|(content, closed)| {
            if !closed {
                warnings.push(Warning::at_line(
                    line,
                    "<TEXT> without closing tag; read to the end of the document",
                ));
            }
            paragraphs_of(content)
        })
        .unwrap_or_default();
    Article {
        id,
        title,
        body,
        date: date.as_deref().and_then(parse_date),
        source,
        url,
        author,
        category,
    }
}

/// Byte position of the next `<name>` or `<name …>` at or after `from` in lower-cased text.
fn find_open_tag(lower: &str, name: &str, from: usize) -> Option<usize> {
    let needle = format!("<{name}");
    let mut at = from;
    while let Some(found) = lower.get(at..)?.find(&needle) {
        let start = at + found;
        let after = lower.as_bytes().get(start + needle.len());
        if matches!(after, Some(b'>' | b' ' | b'\t' | b'\n' | b'\r')) {
            return Some(start);
        }
        at = start + needle.len();
    }
    None
}

/// The content of the first `<name>…</name>` element, and whether it was closed.
fn element<'a>(doc: &'a str, lower: &str, name: &str) -> Option<(&'a str, bool)> {
    let open = find_open_tag(lower, name, 0)?;
    let content_start = open + lower[open..].find('>')? + 1;
    let close = format!("</{name}>");
    match lower[content_start..].find(&close) {
        Some(len) => Some((&doc[content_start..content_start + len], true)),
        None => {
            // Unclosed: the element runs to the next tag that opens a known sibling, else to the end.
            let end = lower[content_start..]
                .find("\n<")
                .map_or(doc.len(), |i| content_start + i);
            Some((&doc[content_start..end], false))
        }
    }
}

/// Text with tags removed; `<P>` and `</P>` become paragraph breaks.
fn strip_tags(content: &str) -> String {
    let mut out = String::with_capacity(content.len());
    let mut rest = content;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        match rest[open..].find('>') {
            Some(close) => {
                let tag = rest[open + 1..open + close].trim().to_ascii_lowercase();
                if tag == "p" || tag == "/p" || tag.starts_with("p ") || tag == "br" || tag == "br/"
                {
                    out.push_str("\n\n");
                }
                rest = &rest[open + close + 1..];
            }
            None => {
                // No `>` anywhere after this `<`: no later `<` closes either, so the rest is
                // text (searching again from each `<` would be quadratic).
                out.push_str(&rest[open..]);
                return out;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The body: paragraphs separated by blank lines (a line of TEXT is a paragraph in ANT; `<P>`
/// blocks are in Gigaword, whose lines are hard-wrapped and so are joined).
fn paragraphs_of(content: &str) -> String {
    let has_p = content.to_ascii_lowercase().contains("<p");
    let stripped = decode_entities(&strip_tags(content));
    let paragraphs: Vec<String> = if has_p {
        stripped
            .split("\n\n")
            .map(|block| block.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|p| !p.is_empty())
            .collect()
    } else {
        stripped
            .lines()
            .map(|l| l.trim().to_owned())
            .filter(|l| !l.is_empty())
            .collect()
    };
    paragraphs.join("\n\n")
}

/// 1-based line numbers of increasing byte positions, counting only the newlines between one
/// position asked and the next.
#[derive(Default)]
struct LineCounter {
    /// Byte position counted up to.
    at: usize,
    /// Newlines before `at`.
    newlines: usize,
}

impl LineCounter {
    /// The line of `byte` (positions asked must not decrease; an earlier one is counted afresh).
    fn line_at(&mut self, text: &str, byte: usize) -> usize {
        let byte = byte.min(text.len());
        if byte < self.at {
            *self = LineCounter::default();
        }
        self.newlines += text.as_bytes()[self.at..byte]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        self.at = byte;
        self.newlines + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ANT: &str = "<DOC>\n<DOCNO>BB-culture-37-20180220</DOCNO>\n<URL>http://example.org/a</URL>\n<SRC>BBC</SRC>\n<CAT>culture</CAT>\n<TITLE>معرض &quot;كنوز&quot;</TITLE>\n<TIME>Tue, 20 Feb 2018 01:44:01 GMT</TIME>\n<AUTHOR></AUTHOR>\n<TEXT>\nالفقرة الأولى.\nالفقرة الثانية.\n</TEXT>\n</DOC>\n";

    #[test]
    fn ant_document() {
        let mut warnings = Vec::new();
        assert!(looks_like_sgml(ANT));
        let articles = parse(ANT, &mut warnings);
        assert!(warnings.is_empty(), "{warnings:?}");
        let a = &articles[0];
        assert_eq!(a.id.as_deref(), Some("BB-culture-37-20180220"));
        assert_eq!(a.title, "معرض \"كنوز\"");
        assert_eq!(a.source.as_deref(), Some("BBC"));
        assert_eq!(a.category.as_deref(), Some("culture"));
        assert_eq!(a.author, None);
        assert_eq!(a.body, "الفقرة الأولى.\n\nالفقرة الثانية.");
        assert!(a.date.is_some());
    }

    #[test]
    fn gigaword_documents_with_paragraphs() {
        let text = "<DOC id=\"AFP_ARB_20010101.0001\" type=\"story\">\n<HEADLINE>\nعنوان\n</HEADLINE>\n<DATELINE>باريس</DATELINE>\n<TEXT>\n<P>\nسطر أول\nمن فقرة\n</P>\n<P>\nفقرة ثانية\n</P>\n</TEXT>\n</DOC>\n<DOC id=\"AFP_ARB_20010101.0002\">\n<TEXT>\nنص\n</TEXT>\n</DOC>";
        let mut warnings = Vec::new();
        let articles = parse(text, &mut warnings);
        assert_eq!(articles.len(), 2);
        assert_eq!(articles[0].id.as_deref(), Some("AFP_ARB_20010101.0001"));
        assert_eq!(articles[0].title, "عنوان");
        assert_eq!(articles[0].body, "سطر أول من فقرة\n\nفقرة ثانية");
        assert_eq!(articles[1].body, "نص");
    }

    #[test]
    fn unclosed_elements_are_salvaged_with_warnings() {
        let text = "<DOC>\n<DOCNO>X1</DOCNO>\n<TEXT>\nنص بلا نهاية\n<DOC>\n<DOCNO>X2</DOCNO>\n<TEXT>نص</TEXT>\n</DOC>";
        let mut warnings = Vec::new();
        let articles = parse(text, &mut warnings);
        assert_eq!(articles.len(), 2);
        assert_eq!(articles[0].body, "نص بلا نهاية");
        assert_eq!(articles[1].id.as_deref(), Some("X2"));
        assert!(warnings.len() >= 2);
    }
}
