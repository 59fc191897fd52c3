//! JSON Lines (`.jsonl`) and JSON arrays (`.json`) of article objects.
//!
//! Common field names are recognised (`id`, `title`/`headline`, `text`/`content`/`body`,
//! `date`/`published`/`date_extracted`, `url`, `source`, `author`, `category`); `--json-field
//! text=article_body` style overrides name others. A broken line is skipped with a warning that
//! gives its number; the rest of the file is read.

use serde_json::{Map, Value};

use super::{date::parse_date, Article, Warning};

/// Which JSON key feeds which article field; the first key present wins.
#[derive(Debug, Clone)]
pub struct JsonFields {
    pub id: Vec<String>,
    pub title: Vec<String>,
    pub text: Vec<String>,
    pub date: Vec<String>,
    pub url: Vec<String>,
    pub source: Vec<String>,
    pub author: Vec<String>,
    pub category: Vec<String>,
}

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

impl Default for JsonFields {
    fn default() -> Self {
        JsonFields {
            id: names(&["id", "_id", "docid", "doc_id", "docno", "guid"]),
            title: names(&["title", "headline", "name"]),
            text: names(&["text", "content", "body", "article", "contents"]),
            date: names(&[
                "date",
                "published",
                "published_at",
                "publish_date",
                "date_published",
                "datetime",
                "time",
                "date_extracted",
            ]),
            url: names(&["url", "link", "uri"]),
            source: names(&["source", "outlet", "publisher", "site"]),
            author: names(&["author", "authors", "byline"]),
            category: names(&["category", "section", "cat"]),
        }
    }
}

impl JsonFields {
    /// Applies one `field=key` override: `key` is tried before the built-in names.
    pub fn set_override(&mut self, spec: &str) -> Result<(), String> {
        let (field, key) = spec.split_once('=').ok_or_else(|| {
            format!("--json-field {spec:?}: expected FIELD=KEY, e.g. text=article_body")
        })?;
        let list = match field.trim() {
            "id" => &mut self.id,
            "title" => &mut self.title,
            "text" | "body" => &mut self.text,
            "date" => &mut self.date,
            "url" => &mut self.url,
            "source" => &mut self.source,
            "author" => &mut self.author,
            "category" => &mut self.category,
            other => {
                return Err(format!(
                    "--json-field {spec:?}: unknown field {other:?} (id, title, text, date, url, source, author, category)"
                ))
            }
        };
        list.insert(0, key.trim().to_owned());
        Ok(())
    }
}

/// JSON Lines: one object a line.
pub fn parse_lines(text: &str, fields: &JsonFields, warnings: &mut Vec<Warning>) -> Vec<Article> {
    let mut articles = Vec::new();
    let mut dates = UnreadDates::default();
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        match serde_json::from_str::<Value>(line) {
            Ok(Value::Object(object)) => articles.push(article_from(&object, fields, &mut dates)),
            Ok(_) => warnings.push(Warning::at_line(
                index + 1,
                "not a JSON object; line skipped",
            )),
            Err(err) => warnings.push(Warning::at_line(
                index + 1,
                format!("invalid JSON ({err}); line skipped"),
            )),
        }
    }
    dates.report(warnings);
    articles
}

/// A JSON document: an array of objects, a single object, or an object holding such an array.
pub fn parse_document(
    text: &str,
    fields: &JsonFields,
    warnings: &mut Vec<Warning>,
) -> Vec<Article> {
    let value: Value = match serde_json::from_str(text) {
        Ok(value) => value,
        Err(err) => {
            // A `.json` file that is really JSON Lines.
            if text.trim_start().starts_with('{')
                && text.lines().filter(|l| !l.trim().is_empty()).count() > 1
            {
                return parse_lines(text, fields, warnings);
            }
            warnings.push(Warning::at_line(
                err.line(),
                format!("invalid JSON ({err}); file skipped"),
            ));
            return Vec::new();
        }
    };
    let items: Vec<&Value> = match &value {
        Value::Array(items) => items.iter().collect(),
        Value::Object(object) => match object.values().find(|v| {
            v.as_array()
                .is_some_and(|a| a.iter().all(Value::is_object) && !a.is_empty())
        }) {
            Some(Value::Array(items)) if !has_any(object, &fields.text) => items.iter().collect(),
            _ => vec![&value],
        },
        _ => Vec::new(),
    };
    let mut articles = Vec::new();
    let mut dates = UnreadDates::default();
    for (index, item) in items.into_iter().enumerate() {
        match item {
            Value::Object(object) => articles.push(article_from(object, fields, &mut dates)),
            _ => warnings.push(Warning::new(format!(
                "item {} is not an object; skipped",
                index + 1
            ))),
        }
    }
    articles
}

fn has_any(object: &Map<String, Value>, keys: &[String]) -> bool {
    keys.iter().any(|k| object.contains_key(k))
}

/// Date values that could not be read, reported once per file with the first value seen.
#[derive(Default)]
struct UnreadDates {
    first: Option<String>,
    count: usize,
}

impl UnreadDates {
    fn report(self, warnings: &mut Vec<Warning>) {
        if let Some(first) = self.first {
            warnings.push(Warning::new(format!(
                "{} date value(s) in a format fahras does not read, e.g. {first:?} \
                 (expected RFC 2822, ISO 8601 or YYYY-MM-DD HH:MM:SS); those articles are undated",
                self.count
            )));
        }
    }
}

fn article_from(
    object: &Map<String, Value>,
    fields: &JsonFields,
    dates: &mut UnreadDates,
) -> Article {
    let get = |keys: &[String]| {
        keys.iter()
            .find_map(|key| object.get(key).and_then(as_text))
    };
    Article {
        id: get(&fields.id),
        title: get(&fields.title).unwrap_or_default(),
        body: get(&fields.text).unwrap_or_default(),
        date: get(&fields.date).and_then(|value| {
            let date = parse_date(&value);
            if date.is_none() {
                dates.count += 1;
                dates.first.get_or_insert(value);
            }
            date
        }),
        source: get(&fields.source),
        url: get(&fields.url),
        author: get(&fields.author),
        category: get(&fields.category),
    }
}

/// A field's value as text: strings as they are, numbers written out, arrays of strings joined.
fn as_text(value: &Value) -> Option<String> {
    let text = match value {
        Value::String(s) => s.trim().to_owned(),
        Value::Number(n) => n.to_string(),
        Value::Array(items) => items
            .iter()
            .filter_map(as_text)
            .collect::<Vec<_>>()
            .join(", "),
        _ => return None,
    };
    (!text.is_empty()).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_lines_with_a_broken_line() {
        let text = "{\"id\": \"a1\", \"title\": \"عنوان\", \"content\": \"نص\", \"source\": \"aawsat\", \"date_extracted\": \"2015-07-21 02:51:32\"}\n{broken\n{\"id\": 7, \"text\": \"نص آخر\"}\n";
        let mut warnings = Vec::new();
        let articles = parse_lines(text, &JsonFields::default(), &mut warnings);
        assert_eq!(articles.len(), 2);
        assert_eq!(articles[0].source.as_deref(), Some("aawsat"));
        assert!(articles[0].date.is_some());
        assert_eq!(articles[1].id.as_deref(), Some("7"));
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].line, Some(2));
    }

    #[test]
    fn unsupported_dates_are_reported_once_per_file_with_the_value() {
        let text = "{\"text\": \"أ\", \"date\": \"12/06/2018\"}\n{\"text\": \"ب\", \"date\": \"13/06/2018\"}\n";
        let mut warnings = Vec::new();
        let articles = parse_lines(text, &JsonFields::default(), &mut warnings);
        assert_eq!(articles.len(), 2);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].message.contains("\"12/06/2018\""));
        assert!(warnings[0].message.starts_with("2 date value(s)"));
    }

    #[test]
    fn arrays_and_overrides() {
        let mut fields = JsonFields::default();
        fields.set_override("text=article_body").unwrap();
        assert!(fields.set_override("nonsense").is_err());
        let text =
            r#"{"articles": [{"headline": "عنوان", "article_body": "نص المقال", "text": "ملخص"}]}"#;
        let mut warnings = Vec::new();
        let articles = parse_document(text, &fields, &mut warnings);
        assert_eq!(articles.len(), 1);
        assert_eq!(articles[0].title, "عنوان");
        assert_eq!(articles[0].body, "نص المقال");
    }
}
