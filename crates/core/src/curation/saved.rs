//! Saved searches run against an index: what a saved search matches now, and which of those
//! articles it has not shown before.
//!
//! The index does not record when an article was indexed, and a `--rebuild` indexes everything
//! anew; so "new" is kept per saved search as the set of article ids it has already shown (in
//! the store). An article is new to a saved search when it matches and is not in that set,
//! whatever run of `fahras index` brought it, and a rebuild brings nothing new.

use super::{SavedFilters, SavedSearch, Store};
use crate::search::{Bounds, Engine, SearchSettings, SettingsInput, Surface};
use crate::{Error, Result};

impl SavedFilters {
    /// The search of `query` with these filters, as given.
    pub fn input(&self, query: &str) -> SettingsInput {
        SettingsInput {
            query: query.to_owned(),
            sources: self.sources.clone(),
            collections: self.collections.clone(),
            categories: self.categories.clone(),
            tags: self.tags.clone(),
            from: self.from.clone(),
            to: self.to.clone(),
            ..SettingsInput::default()
        }
    }
}

/// The settings a saved search runs with (checked as the command line checks them).
pub fn settings(search: &SavedSearch) -> Result<SearchSettings> {
    search
        .filters
        .input(&search.query)
        .resolve(Bounds::CLI)
        .map_err(|error| {
            Error::BadSetting(format!(
                "saved search {:?}: {}",
                search.name,
                error.message(Surface::Cli)
            ))
        })
}

/// The articles `search` matches now that it has not shown before, sorted by id.
pub fn new_articles(
    engine: &mut Engine,
    store: &Store,
    search: &SavedSearch,
) -> Result<Vec<String>> {
    let seen = store.seen(&search.name)?;
    let mut ids = engine.article_ids(&settings(search)?)?;
    ids.retain(|id| !seen.contains(id));
    ids.sort_unstable();
    Ok(ids)
}

/// Every saved search with the number of articles new to it (the list a page or the summary
/// of `fahras index` shows).
pub fn with_new_counts(engine: &mut Engine, store: &Store) -> Result<Vec<(SavedSearch, usize)>> {
    let mut counts = Vec::new();
    for search in store.saved_searches()? {
        let new = new_articles(engine, store, &search)?.len();
        counts.push((search, new));
    }
    Ok(counts)
}
