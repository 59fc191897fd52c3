//! What a collection holds, read from the index and the store together (for `collections
//! show`, and the page): the articles filed under its name at index time and those chosen into
//! it by hand, with their notes and tags; a chosen article the index no longer holds is shown as
//! it was last recorded, marked missing.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{ArticleRecord, Store};
use crate::export::ExportRow;
use crate::outlets;
use crate::search::{ArticlesRead, Engine, SearchSettings};
use crate::{Error, Result};

/// An article of a collection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CollectionArticle {
    #[serde(flatten)]
    pub article: ArticleRecord,
    /// The outlet's display name.
    pub outlet: String,
    /// Its note in the collection ("" when none).
    pub note: String,
    pub tags: Vec<String>,
    /// Chosen by hand (`collections add`), not only filed under the name at index time.
    pub curated: bool,
    /// Chosen by hand and no longer in the index: shown as it last was.
    pub missing: bool,
}

impl CollectionArticle {
    /// The article as an export row of the collection `collection` (notes and tags included).
    pub fn export_row<'a>(&'a self, collection: &'a str) -> ExportRow<'a> {
        ExportRow {
            id: &self.article.article_id,
            collection,
            title: &self.article.title,
            source: &self.article.source,
            date: self.article.date.as_deref(),
            url: self.article.url.as_deref(),
            author: self.article.author.as_deref(),
            passage: self.article.passage.clone(),
            citation: self.article.citation.clone(),
            score: 0.0,
            tags: self.tags.clone(),
            notes: Some(self.note.clone())
                .filter(|n| !n.is_empty())
                .into_iter()
                .collect(),
            text: &self.article.passage,
        }
    }
}

/// The articles of the collection `name`, in date order (undated last, then by id). A name
/// neither the index nor the store knows is [`Error::UnknownFilter`], listing the known ones.
pub fn collection_articles(
    engine: &mut Engine,
    store: Option<&Store>,
    name: &str,
) -> Result<Vec<CollectionArticle>> {
    let members = match store {
        Some(store) if store.collection_name(name)?.is_some() => store.members(name)?,
        _ => Vec::new(),
    };
    let request = SearchSettings {
        collections: vec![name.to_owned()],
        highlighting: crate::search::Highlighting::Off,
        ..SearchSettings::default()
    };
    let mut found: BTreeMap<String, CollectionArticle> = BTreeMap::new();
    engine.for_each_article(&request, |hit| {
        let article = ArticleRecord::of(&hit);
        found.insert(
            hit.article_id.clone(),
            CollectionArticle {
                outlet: outlets::display_name(&article.source).into_owned(),
                article,
                note: String::new(),
                tags: Vec::new(),
                curated: false,
                missing: false,
            },
        );
        Ok(())
    })?;
    for member in members {
        let entry = found
            .entry(member.article.article_id.clone())
            .or_insert_with(|| CollectionArticle {
                outlet: outlets::display_name(&member.article.source).into_owned(),
                article: member.article.clone(),
                note: String::new(),
                tags: Vec::new(),
                curated: true,
                missing: true,
            });
        entry.curated = true;
        entry.note = member.note;
        entry.tags = member.tags;
    }
    let mut articles: Vec<CollectionArticle> = found.into_values().collect();
    articles.sort_by(|a, b| {
        let date = |s: &CollectionArticle| (s.article.date.is_none(), s.article.date.clone());
        date(a)
            .cmp(&date(b))
            .then_with(|| a.article.article_id.cmp(&b.article.article_id))
    });
    Ok(articles)
}

/// The records of every article `request` matches, best first (to add a query's articles),
/// and how the query was read (its notes and suggestions, for the caller to say).
pub fn matching_records(
    engine: &mut Engine,
    request: &SearchSettings,
) -> Result<(Vec<ArticleRecord>, ArticlesRead)> {
    let mut records = Vec::new();
    let read = engine.for_each_article(request, |hit| {
        records.push(ArticleRecord::of(&hit));
        Ok(())
    })?;
    Ok((records, read))
}

/// The records of the articles `ids` from their leads; an id the index does not hold is
/// [`Error::UnknownArticle`] (so that nothing is added).
pub fn lead_records(engine: &Engine, ids: &[String]) -> Result<Vec<ArticleRecord>> {
    ids.iter()
        .map(|id| {
            engine
                .lead_passage(id)?
                .map(|hit| ArticleRecord::of(&hit))
                .ok_or_else(|| Error::UnknownArticle(id.clone()))
        })
        .collect()
}
