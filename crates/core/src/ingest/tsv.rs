//! TSV collections, the usual IR layout: `id<TAB>text` or `id<TAB>title<TAB>text`, one record a
//! line. A header line (`id`, `pid`, `docid` …) is skipped.

use super::{Article, Warning};

pub fn parse(text: &str, warnings: &mut Vec<Warning>) -> Vec<Article> {
    let mut articles = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line_number = index + 1;
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        if index == 0 && is_header(&fields) {
            continue;
        }
        let (id, title, body) = match fields.as_slice() {
            [id, body] => (*id, "", *body),
            [id, title, body] => (*id, *title, *body),
            [id, title, rest @ ..] if !rest.is_empty() => {
                // More tabs than columns: the text itself contained tabs.
                let body = rest.join(" ");
                articles.push(Article {
                    id: Some(id.trim().to_owned()),
                    title: title.trim().to_owned(),
                    body,
                    ..Article::default()
                });
                continue;
            }
            _ => {
                warnings.push(Warning::at_line(
                    line_number,
                    "expected id<TAB>text or id<TAB>title<TAB>text; line skipped",
                ));
                continue;
            }
        };
        if id.trim().is_empty() {
            warnings.push(Warning::at_line(line_number, "empty id; line skipped"));
            continue;
        }
        articles.push(Article {
            id: Some(id.trim().to_owned()),
            title: title.trim().to_owned(),
            body: body.trim().to_owned(),
            ..Article::default()
        });
    }
    articles
}

fn is_header(fields: &[&str]) -> bool {
    let first = fields[0].trim().to_ascii_lowercase();
    matches!(first.as_str(), "id" | "pid" | "docid" | "doc_id" | "qid")
        && fields.iter().skip(1).all(|f| f.is_ascii())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_and_three_columns_and_a_header() {
        let mut warnings = Vec::new();
        let text = "pid\ttitle\ttext\narcd-1\tجنيف\tنص أول\narcd-2\tنص ثان بلا عنوان\nbroken\n";
        let articles = parse(text, &mut warnings);
        assert_eq!(articles.len(), 2);
        assert_eq!(articles[0].id.as_deref(), Some("arcd-1"));
        assert_eq!(articles[0].title, "جنيف");
        assert_eq!(articles[1].body, "نص ثان بلا عنوان");
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].line, Some(4));
    }
}
