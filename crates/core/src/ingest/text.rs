//! Plain text and Markdown.
//!
//! A file may start with front matter, as Jekyll, Hugo and Pandoc read it: a `---` line, then
//! `key: value` lines, then a `---` (or `...`) line. Keys read: `title`, `date`, `source` (or
//! `outlet`, `publisher`), `url` (or `link`), `author`, `category`, `id`; values may be quoted.
//! Only flat `key: value` lines are read (no nested YAML); other keys are ignored.
//!
//! Without a title in front matter, the title is the first non-empty line and the body the
//! rest. A file of one line is both: its line is the title and the body, so it is found either
//! way.

use super::{date::parse_date, Article, Warning};

pub fn parse(text: &str, warnings: &mut Vec<Warning>) -> Vec<Article> {
    let text = text.trim_start_matches('\u{FEFF}');
    let (mut article, rest) = match front_matter(text) {
        Some((front, rest)) => (read_front_matter(front, warnings), rest),
        None => (Article::default(), text),
    };
    if article.title.is_empty() {
        let mut lines = rest.lines();
        let title = lines
            .by_ref()
            .map(str::trim)
            .find(|line| !line.is_empty())
            .unwrap_or_default();
        article.title = title.trim_start_matches('#').trim().to_owned();
        let body = lines.collect::<Vec<_>>().join("\n");
        article.body = body.trim().to_owned();
        if article.body.is_empty() {
            article.body = article.title.clone();
        }
    } else {
        article.body = rest.trim().to_owned();
    }
    vec![article]
}

/// The front matter block and the text after it, when `text` starts with one.
fn front_matter(text: &str) -> Option<(&str, &str)> {
    let first_line_end = text.find('\n')?;
    if text[..first_line_end].trim_end() != "---" {
        return None;
    }
    let block_start = first_line_end + 1;
    let mut offset = block_start;
    for line in text[block_start..].split_inclusive('\n') {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            return Some((&text[block_start..offset], &text[offset + line.len()..]));
        }
        offset += line.len();
    }
    None
}

fn read_front_matter(block: &str, warnings: &mut Vec<Warning>) -> Article {
    let mut article = Article::default();
    for (index, line) in block.lines().enumerate() {
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let value = unquote(value.trim());
        if value.is_empty() {
            continue;
        }
        let value = value.to_owned();
        match key.trim().to_ascii_lowercase().as_str() {
            "title" => article.title = value,
            "date" => match parse_date(&value) {
                Some(date) => article.date = Some(date),
                None => warnings.push(Warning::at_line(
                    index + 2,
                    format!("front matter: unsupported date {value:?}; the article is undated"),
                )),
            },
            "source" | "outlet" | "publisher" => article.source = Some(value),
            "url" | "link" => article.url = Some(value),
            "author" => article.author = Some(value),
            "category" => article.category = Some(value),
            "id" => article.id = Some(value),
            _ => {}
        }
    }
    article
}

fn unquote(value: &str) -> &str {
    for quote in ['"', '\''] {
        if let Some(inner) = value
            .strip_prefix(quote)
            .and_then(|v| v.strip_suffix(quote))
        {
            return inner;
        }
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_one(text: &str) -> (Article, Vec<Warning>) {
        let mut warnings = Vec::new();
        let mut articles = parse(text, &mut warnings);
        (articles.remove(0), warnings)
    }

    #[test]
    fn first_line_is_title() {
        let (article, _) = parse_one("\n\n# قمة جنيف\n\nالفقرة الأولى.\n\nالفقرة الثانية.\n");
        assert_eq!(article.title, "قمة جنيف");
        assert_eq!(article.body, "الفقرة الأولى.\n\nالفقرة الثانية.");
    }

    #[test]
    fn front_matter_gives_title_date_and_source_and_the_text_stays_whole() {
        let text = "---\ntitle: \"قمة جنيف\"\ndate: 2021-06-16\nsource: وكالة\nurl: https://example.org/a\nauthor: 'كاتب'\nlayout: post\n---\nمقالات مشابهة\n\nالفقرة الأولى.\n";
        let (article, warnings) = parse_one(text);
        assert!(warnings.is_empty());
        assert_eq!(article.title, "قمة جنيف");
        assert_eq!(article.body, "مقالات مشابهة\n\nالفقرة الأولى.");
        assert_eq!(article.source.as_deref(), Some("وكالة"));
        assert_eq!(article.url.as_deref(), Some("https://example.org/a"));
        assert_eq!(article.author.as_deref(), Some("كاتب"));
        assert_eq!(
            article.date.map(|d| d.date().to_string()).as_deref(),
            Some("2021-06-16")
        );
    }

    #[test]
    fn a_bad_front_matter_date_is_a_warning() {
        let (article, warnings) = parse_one("---\ndate: 12/06/2018\n---\nعنوان\nنص\n");
        assert_eq!(article.date, None);
        assert_eq!(article.title, "عنوان");
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].message.contains("12/06/2018"));
    }

    #[test]
    fn a_one_line_file_is_its_title_and_its_text() {
        let (article, _) = parse_one("خبر من سطر واحد عن قمة جنيف");
        assert_eq!(article.title, "خبر من سطر واحد عن قمة جنيف");
        assert_eq!(article.body, article.title);
    }

    #[test]
    fn a_dashed_first_line_without_a_closing_line_is_text() {
        let (article, _) = parse_one("---\nعنوان\nنص");
        assert_eq!(article.title, "---");
        assert_eq!(article.body, "عنوان\nنص");
    }
}
