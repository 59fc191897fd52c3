//! HTML pages: title from `og:title`, `<title>` or the first `<h1>`; date from
//! `article:published_time` or `<time datetime>`; body = the readable text of the article
//! (inside `<article>` or `<main>` when the page has one), without scripts, styles, navigation,
//! headers, footers, asides and forms.

use super::markup::{attribute, decode_entities};
use super::{date::parse_date, Article};

/// Elements whose whole content is never article text.
const SKIPPED: [&str; 13] = [
    "script", "style", "noscript", "nav", "footer", "header", "aside", "form", "svg", "template",
    "iframe", "button", "select",
];

/// Elements that end a paragraph.
const BLOCKS: [&str; 19] = [
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
    "article",
    "blockquote",
    "tr",
    "table",
    "figure",
    "main",
];

/// One tag of the page: its lower-cased name, whether it closes, and its inside.
struct Tag<'a> {
    name: String,
    closing: bool,
    inside: &'a str,
    /// Byte range of the whole tag in the page.
    start: usize,
    end: usize,
}

/// The tags of `html` in order, skipping comments, doctype and CDATA.
fn tags(html: &str) -> Vec<Tag<'_>> {
    let mut tags = Vec::new();
    let mut cursor = 0;
    while let Some(found) = html[cursor..].find('<') {
        let start = cursor + found;
        let rest = &html[start..];
        if rest.starts_with("<!--") {
            cursor = rest.find("-->").map_or(html.len(), |i| start + i + 3);
            continue;
        }
        let Some(close) = rest.find('>') else { break };
        let inside = &rest[1..close];
        cursor = start + close + 1;
        if inside.starts_with('!') || inside.starts_with('?') {
            continue;
        }
        let closing = inside.starts_with('/');
        let name: String = inside
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == ':')
            .collect::<String>()
            .to_ascii_lowercase();
        if name.is_empty() {
            continue;
        }
        tags.push(Tag {
            name,
            closing,
            inside,
            start,
            end: cursor,
        });
    }
    tags
}

pub fn parse(html: &str) -> Vec<Article> {
    let tags = tags(html);
    let mut og_title = None;
    let mut title_tag = None;
    let mut first_h1 = None;
    let mut published = None;
    let mut url = None;
    let mut author = None;
    for (i, tag) in tags.iter().enumerate() {
        if tag.closing {
            continue;
        }
        match tag.name.as_str() {
            "meta" => {
                let key =
                    attribute(tag.inside, "property").or_else(|| attribute(tag.inside, "name"));
                let content = attribute(tag.inside, "content").map(decode_entities);
                match (key.map(str::to_ascii_lowercase).as_deref(), content) {
                    (Some("og:title"), Some(c)) => og_title = og_title.or(Some(c)),
                    (Some("article:published_time" | "date" | "pubdate"), Some(c)) => {
                        published = published.or(parse_date(&c));
                    }
                    (Some("og:url"), Some(c)) => url = url.or(Some(c)),
                    (Some("author" | "article:author"), Some(c)) => author = author.or(Some(c)),
                    _ => {}
                }
            }
            "link" if attribute(tag.inside, "rel") == Some("canonical") => {
                url = url.or(attribute(tag.inside, "href").map(decode_entities));
            }
            "title" if title_tag.is_none() => title_tag = Some(text_until_close(html, &tags, i)),
            "h1" if first_h1.is_none() => first_h1 = Some(text_until_close(html, &tags, i)),
            "time" if published.is_none() => {
                published = attribute(tag.inside, "datetime").and_then(parse_date);
            }
            _ => {}
        }
    }
    let title = [og_title, title_tag, first_h1]
        .into_iter()
        .flatten()
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .find(|t| !t.is_empty())
        .unwrap_or_default();
    vec![Article {
        title,
        body: readable_text(html, &tags),
        date: published,
        url,
        author,
        ..Article::default()
    }]
}

/// Plain text between tag `open` and its closing tag.
fn text_until_close(html: &str, tags: &[Tag], open: usize) -> String {
    let name = &tags[open].name;
    let end = tags[open + 1..]
        .iter()
        .find(|t| t.closing && &t.name == name)
        .map_or(html.len(), |t| t.start);
    let mut text = String::new();
    let mut cursor = tags[open].end;
    for tag in tags[open + 1..].iter().take_while(|t| t.start < end) {
        text.push_str(&html[cursor..tag.start]);
        cursor = tag.end;
    }
    text.push_str(&html[cursor.min(end)..end]);
    decode_entities(text.trim())
}

/// The article's readable text, paragraphs separated by blank lines.
fn readable_text(html: &str, tags: &[Tag]) -> String {
    // Restrict to <article> (or <main>, or <body>) when the page has one.
    let container = ["article", "main", "body"].iter().find_map(|name| {
        let open = tags.iter().position(|t| !t.closing && &t.name == name)?;
        let close = tags
            .iter()
            .rposition(|t| t.closing && &t.name == name)
            .filter(|&c| c > open);
        Some((open + 1, close.unwrap_or(tags.len())))
    });
    // Without a container, the text starts after the <head>.
    let after_head = || {
        tags.iter()
            .position(|t| t.closing && t.name == "head")
            .map_or(0, |i| i + 1)
    };
    let (first, last) = container.unwrap_or_else(|| (after_head(), tags.len()));
    let mut text = String::new();
    let mut skip_depth = 0usize;
    let mut cursor = if first > 0 { tags[first - 1].end } else { 0 };
    for tag in tags.iter().take(last).skip(first) {
        if skip_depth == 0 {
            text.push_str(&html[cursor..tag.start]);
        }
        cursor = tag.end;
        if SKIPPED.contains(&tag.name.as_str()) {
            if tag.closing {
                skip_depth = skip_depth.saturating_sub(1);
            } else if !tag.inside.ends_with('/') {
                skip_depth += 1;
            }
        } else if BLOCKS.contains(&tag.name.as_str()) {
            text.push_str("\n\n");
        } else if tag.name == "td" || tag.name == "th" {
            text.push(' ');
        }
    }
    if skip_depth == 0 && last == tags.len() {
        text.push_str(&html[cursor..]);
    }
    let decoded = decode_entities(&text);
    decoded
        .split("\n\n")
        .map(|block| block.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn article_page() {
        let html = r#"<!doctype html><html><head><title>الموقع | قمة جنيف</title>
<meta property="og:title" content="قمة بوتين وبايدن في جنيف">
<meta property="article:published_time" content="2021-06-16T18:30:00Z">
<style>p { color: red }</style><script>var x = "<p>لا</p>";</script></head>
<body><nav><a href="/">الرئيسية</a></nav><header>شعار</header>
<article><h1>قمة بوتين وبايدن</h1><p>الفقرة الأولى &amp; المهمة.</p>
<div>الفقرة <b>الثانية</b>.</div><aside>اقرأ أيضا</aside></article>
<footer>حقوق النشر</footer></body></html>"#;
        let article = &parse(html)[0];
        assert_eq!(article.title, "قمة بوتين وبايدن في جنيف");
        assert_eq!(
            article.body,
            "قمة بوتين وبايدن\n\nالفقرة الأولى & المهمة.\n\nالفقرة الثانية."
        );
        assert!(article.date.is_some());
    }

    #[test]
    fn page_without_article_element_uses_title_tag_and_time() {
        let html = "<html><head><title>عنوان</title></head><body><p>نص <time datetime=\"2020-01-02\">أمس</time></p><script>x()</script></body></html>";
        let article = &parse(html)[0];
        assert_eq!(article.title, "عنوان");
        assert_eq!(article.body, "نص أمس");
        assert!(article.date.is_some());
    }
}
