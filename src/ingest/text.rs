//! Plain text and Markdown: the title is the first non-empty line, the body the rest.

use super::Article;

pub fn parse(text: &str) -> Vec<Article> {
    let mut lines = text.lines();
    let title = lines
        .by_ref()
        .map(str::trim)
        .find(|line| !line.is_empty())
        .unwrap_or_default();
    let title = title.trim_start_matches('#').trim().to_owned();
    let body = lines.collect::<Vec<_>>().join("\n");
    vec![Article {
        title,
        body: body.trim().to_owned(),
        ..Article::default()
    }]
}

#[cfg(test)]
mod tests {
    #[test]
    fn first_line_is_title() {
        let articles = super::parse("\n\n# قمة جنيف\n\nالفقرة الأولى.\n\nالفقرة الثانية.\n");
        assert_eq!(articles.len(), 1);
        assert_eq!(articles[0].title, "قمة جنيف");
        assert_eq!(articles[0].body, "الفقرة الأولى.\n\nالفقرة الثانية.");
    }
}
