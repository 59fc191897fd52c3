//! Curation: the user's own work on an index — articles chosen into named collections, with
//! notes and tags, and saved searches with the articles each has already shown.
//!
//! It lives beside the index in an embedded SQLite database, `curation.sqlite` in the index
//! folder, keyed by article id. `fahras index --rebuild` removes only tantivy's files and the
//! manifests, so the database survives rebuilds and re-indexing; every change is one
//! transaction in WAL mode with full syncs, so a process killed at any point leaves the last
//! committed state. For each article the database keeps what it was when last seen (title,
//! outlet, date, URL, author, citation, a passage), so that an article gone from the index stays
//! in its collections, shown as missing, until the user drops it.
//!
//! [`Store`] is the whole API of the database (add, drop, note, tag, list, members, saved
//! searches), for the command line and the server alike; [`view`] reads a collection from the
//! index and the store together, [`saved`] runs saved searches against an engine.

pub mod saved;
mod schema;
pub mod view;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use rusqlite::{params, Connection, OpenFlags, OptionalExtension, TransactionBehavior};
use serde::{Deserialize, Serialize};

use crate::index::faults::{self, Point};
use crate::search::Hit;
use crate::{Error, Result};

/// The database's file name in the index folder.
pub const FILE_NAME: &str = "curation.sqlite";

/// How long a write waits for another process's transaction before giving up.
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// The database of the index in `index_dir`.
pub fn path(index_dir: &Path) -> PathBuf {
    index_dir.join(FILE_NAME)
}

/// The size and modification time of the database and of its write-ahead log: equal stamps mean
/// no change was committed in between (a commit appends to the log; a checkpoint writes the
/// database), so what was read from it can be reused. `None` without a database.
pub type Stamp = [(u64, Option<std::time::SystemTime>); 2];

/// The [`Stamp`] of the database of the index in `index_dir`.
pub fn stamp(index_dir: &Path) -> Option<Stamp> {
    let of = |path: PathBuf| {
        std::fs::metadata(path)
            .map(|m| (m.len(), m.modified().ok()))
            .ok()
    };
    let database = of(path(index_dir))?;
    let log = of(index_dir.join(format!("{FILE_NAME}-wal"))).unwrap_or((0, None));
    Some([database, log])
}

/// What the store keeps of an article: enough to show and cite it after it left the index.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ArticleRecord {
    pub article_id: String,
    pub title: String,
    /// The outlet as the index stores it (its code).
    pub source: String,
    pub date: Option<String>,
    pub url: Option<String>,
    pub author: Option<String>,
    pub citation: String,
    /// A passage of it (the best one for the query that added it, or its lead).
    pub passage: String,
}

impl ArticleRecord {
    /// The record of an article from one of its passages.
    pub fn of(hit: &Hit) -> ArticleRecord {
        ArticleRecord {
            article_id: hit.article_id.clone(),
            title: hit.title.clone(),
            source: hit.source.clone(),
            date: hit.date.clone(),
            url: hit.url.clone(),
            author: hit.author.clone(),
            citation: crate::export::citation(hit),
            passage: hit.text.clone(),
        }
    }
}

/// An article in a curated collection, as last recorded, with the user's notes and tags.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Member {
    #[serde(flatten)]
    pub article: ArticleRecord,
    /// Free text ("" when none).
    pub note: String,
    /// Sorted.
    pub tags: Vec<String>,
    /// When it was added (RFC 3339, UTC).
    pub added: String,
}

/// A curated collection and how many articles were chosen into it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CollectionSummary {
    pub name: String,
    pub articles: u64,
    pub created: String,
}

/// What an [`Store::add`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Added {
    /// Articles that were not in the collection before.
    pub added: usize,
    /// Articles that already were (their tags were added, their record refreshed).
    pub already: usize,
}

/// The notes and tags of an article, over one or more collections.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Annotations {
    pub notes: Vec<String>,
    pub tags: Vec<String>,
}

/// The filters of a saved search, as given (checked when it runs).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedFilters {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub collections: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
}

/// A saved search.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SavedSearch {
    pub name: String,
    pub query: String,
    pub filters: SavedFilters,
    pub created: String,
    /// When it last ran (`saved add` counts as its first run).
    pub last_run: Option<String>,
    /// Articles it has shown so far.
    pub seen: u64,
}

/// An open curation database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    index_dir: PathBuf,
}

impl Store {
    /// Opens the database of the index in `index_dir` for reading and writing, creating it
    /// (and its tables) on first use. A read-only folder is [`Error::ReadOnly`]; a database
    /// another process keeps busy past a few seconds is [`Error::Locked`].
    pub fn open(index_dir: &Path) -> Result<Store> {
        faults::check().map_err(Error::BadSetting)?;
        if !index_dir.is_dir() {
            return Err(Error::NoIndex(index_dir.to_path_buf()));
        }
        let path = path(index_dir);
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let fail = |e| sql_error(&path, index_dir, e);
        let conn = Connection::open_with_flags(&path, flags).map_err(fail)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(fail)?;
        // WAL: readers (searches, the server) never wait for a writer; FULL: a committed change
        // survives a power cut too, not only a killed process.
        let mode: String = conn
            .query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))
            .map_err(fail)?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(Error::Curation {
                path: path.clone(),
                reason: format!("cannot use write-ahead logging (journal mode {mode})"),
            });
        }
        conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")
            .map_err(fail)?;
        let mut store = Store {
            conn,
            path,
            index_dir: index_dir.to_path_buf(),
        };
        store.migrate()?;
        Ok(store)
    }

    /// Opens the database of the index in `index_dir` for reading, if there is one. A folder
    /// that cannot be written (a read-only copy of an index) is read as it is.
    pub fn open_existing(index_dir: &Path) -> Result<Option<Store>> {
        let path = path(index_dir);
        if !path.is_file() {
            return Ok(None);
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        let fail = |e| sql_error(&path, index_dir, e);
        let probe = |conn: &Connection| {
            conn.query_row("PRAGMA user_version", [], |row| row.get::<_, i64>(0))
        };
        let conn = Connection::open_with_flags(&path, flags).map_err(fail)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(fail)?;
        let conn = match probe(&conn) {
            Ok(_) => conn,
            // WAL needs its shared-memory file beside the database: in a folder that cannot
            // be written, read the last checkpointed state as an immutable file. Only there:
            // elsewhere an immutable reader would miss recent commits, so other errors stand.
            Err(err) if !cannot_open_or_write(&err) || writable(index_dir) => {
                return Err(fail(err));
            }
            Err(_) => {
                let uri = format!("file:{}?immutable=1", uri_path(&path));
                let conn = Connection::open_with_flags(uri, flags).map_err(fail)?;
                probe(&conn).map_err(fail)?;
                conn
            }
        };
        let store = Store {
            conn,
            path,
            index_dir: index_dir.to_path_buf(),
        };
        // Version 0: a file created by a first write that never committed its tables (killed,
        // or empty): nothing was curated yet.
        if store.check_version()? == 0 {
            return Ok(None);
        }
        Ok(Some(store))
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn fail(&self) -> impl Fn(rusqlite::Error) -> Error + '_ {
        move |e| sql_error(&self.path, &self.index_dir, e)
    }

    /// [`Store::fail`] that does not borrow the store (for use inside its own transactions).
    fn owned_fail(&self) -> impl Fn(rusqlite::Error) -> Error + 'static {
        let (path, dir) = (self.path.clone(), self.index_dir.clone());
        move |e| sql_error(&path, &dir, e)
    }

    fn check_version(&self) -> Result<i64> {
        let version: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .map_err(self.fail())?;
        if version < 0 {
            return Err(Error::Curation {
                path: self.path.clone(),
                reason: format!("not a fahras curation database (schema version {version})"),
            });
        }
        if version > schema::VERSION {
            return Err(Error::Curation {
                path: self.path.clone(),
                reason: format!(
                    "made by a newer fahras (schema version {version}; this one knows up to {})",
                    schema::VERSION
                ),
            });
        }
        Ok(version)
    }

    /// Brings the tables to [`schema::VERSION`], in one transaction.
    fn migrate(&mut self) -> Result<()> {
        let version = self.check_version()?;
        if version == schema::VERSION {
            return Ok(());
        }
        let fail = |e| sql_error(&self.path, &self.index_dir, e);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(fail)?;
        for step in &schema::MIGRATIONS[version as usize..] {
            tx.execute_batch(step).map_err(fail)?;
        }
        tx.pragma_update(None, "user_version", schema::VERSION)
            .map_err(fail)?;
        tx.commit().map_err(fail)
    }

    /// Runs `change` in one transaction (the curation fault point sits before its commit).
    fn write<T>(&mut self, change: impl FnOnce(&rusqlite::Transaction) -> Result<T>) -> Result<T> {
        let fail = |e| sql_error(&self.path, &self.index_dir, e);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(fail)?;
        let value = change(&tx)?;
        faults::at(Point::CurationBeforeCommit);
        tx.commit().map_err(fail)?;
        Ok(value)
    }

    /// Adds `articles` to `collection` (created on first use) with `tags`, and records what
    /// they are now. Articles already in it keep their notes and gain the tags.
    pub fn add(
        &mut self,
        collection: &str,
        articles: &[ArticleRecord],
        tags: &[String],
    ) -> Result<Added> {
        self.add_noted(collection, articles, tags, None)
    }

    /// [`Store::add`], and when `note` is given, it becomes the note of every one of the
    /// articles (an empty one clears it), in the same transaction (the page keeps an article
    /// with its note in one step).
    pub fn add_noted(
        &mut self,
        collection: &str,
        articles: &[ArticleRecord],
        tags: &[String],
        note: Option<&str>,
    ) -> Result<Added> {
        let note = note.map(str::trim);
        let collection = checked_name("collection", collection)?;
        let tags = checked_tags(tags)?;
        let fail = self.owned_fail();
        self.write(|tx| {
            let name = ensure_collection(tx, &collection).map_err(&fail)?;
            let now = now();
            let mut added = Added::default();
            for article in articles {
                upsert_article(tx, article).map_err(&fail)?;
                let inserted = tx
                    .execute(
                        "INSERT OR IGNORE INTO members (collection, article_id, added) \
                         VALUES (?1, ?2, ?3)",
                        params![name, article.article_id, now],
                    )
                    .map_err(&fail)?;
                if inserted == 1 {
                    added.added += 1;
                } else {
                    added.already += 1;
                }
                for tag in &tags {
                    insert_tag(tx, &name, &article.article_id, tag).map_err(&fail)?;
                }
                if let Some(note) = note {
                    tx.execute(
                        "UPDATE members SET note = ?3 WHERE collection = ?1 AND article_id = ?2",
                        params![name, article.article_id, note],
                    )
                    .map_err(&fail)?;
                }
            }
            Ok(added)
        })
    }

    /// Takes `ids` out of `collection` (never out of the index), with their notes and tags.
    /// Returns how many were in it.
    pub fn drop_articles(&mut self, collection: &str, ids: &[String]) -> Result<usize> {
        let name = self.existing_collection(collection)?;
        let fail = self.owned_fail();
        self.write(|tx| {
            let mut dropped = 0;
            for id in ids {
                dropped += tx
                    .execute(
                        "DELETE FROM members WHERE collection = ?1 AND article_id = ?2",
                        params![name, id],
                    )
                    .map_err(&fail)?;
            }
            forget_unreferenced(tx).map_err(&fail)?;
            Ok(dropped)
        })
    }

    /// Sets the note of `id` in `collection` ("" clears it).
    pub fn note(&mut self, collection: &str, id: &str, text: &str) -> Result<()> {
        let name = self.existing_collection(collection)?;
        let fail = self.owned_fail();
        let note = text.trim();
        self.write(|tx| {
            let changed = tx
                .execute(
                    "UPDATE members SET note = ?3 WHERE collection = ?1 AND article_id = ?2",
                    params![name, id, note],
                )
                .map_err(&fail)?;
            if changed == 0 {
                return Err(Error::NotInCollection {
                    name: name.clone(),
                    id: id.to_owned(),
                });
            }
            Ok(())
        })
    }

    /// Adds `tags` to the articles `ids` of `collection` (each must be in it).
    pub fn tag(&mut self, collection: &str, ids: &[String], tags: &[String]) -> Result<()> {
        self.retag(collection, ids, tags, true)
    }

    /// Removes `tags` from the articles `ids` of `collection` (each must be in it).
    pub fn untag(&mut self, collection: &str, ids: &[String], tags: &[String]) -> Result<()> {
        self.retag(collection, ids, tags, false)
    }

    fn retag(&mut self, collection: &str, ids: &[String], tags: &[String], on: bool) -> Result<()> {
        let name = self.existing_collection(collection)?;
        let tags = checked_tags(tags)?;
        let fail = self.owned_fail();
        self.write(|tx| {
            for id in ids {
                if !is_member(tx, &name, id).map_err(&fail)? {
                    return Err(Error::NotInCollection {
                        name: name.clone(),
                        id: id.clone(),
                    });
                }
                for tag in &tags {
                    if on {
                        insert_tag(tx, &name, id, tag).map_err(&fail)?;
                    } else {
                        tx.execute(
                            "DELETE FROM tags WHERE collection = ?1 AND article_id = ?2 AND tag = ?3",
                            params![name, id, tag],
                        )
                        .map_err(&fail)?;
                    }
                }
            }
            Ok(())
        })
    }

    /// Removes the curated collection `collection` with its notes and tags; returns how many
    /// articles it held, `None` when there is no such curated collection.
    pub fn remove_collection(&mut self, collection: &str) -> Result<Option<u64>> {
        let Some(name) = self.collection_name(collection)? else {
            return Ok(None);
        };
        let fail = self.owned_fail();
        self.write(|tx| {
            let count: u64 = tx
                .query_row(
                    "SELECT count(*) FROM members WHERE collection = ?1",
                    [&name],
                    |row| row.get(0),
                )
                .map_err(&fail)?;
            tx.execute("DELETE FROM collections WHERE name = ?1", [&name])
                .map_err(&fail)?;
            forget_unreferenced(tx).map_err(&fail)?;
            Ok(Some(count))
        })
    }

    /// Updates the records of articles the index still holds (after an indexing run), so that
    /// an article that later leaves the index is shown as it last was. Returns how many changed.
    pub fn refresh(&mut self, articles: &[ArticleRecord]) -> Result<usize> {
        let fail = self.owned_fail();
        self.write(|tx| {
            let mut changed = 0;
            for article in articles {
                changed += tx
                    .execute(
                        // The passage stays the one chosen when the article was added (the
                        // best for the query that added it) unless none was kept.
                        "UPDATE articles SET title = ?2, source = ?3, date = ?4, url = ?5, \
                         author = ?6, citation = ?7, \
                         passage = CASE WHEN passage = '' THEN ?8 ELSE passage END \
                         WHERE article_id = ?1 AND ((title, source, date, url, author, citation) \
                         IS NOT (?2, ?3, ?4, ?5, ?6, ?7) OR passage = '')",
                        article_params(article),
                    )
                    .map_err(&fail)?;
            }
            Ok(changed)
        })
    }

    /// The curated collections, by name.
    pub fn collections(&self) -> Result<Vec<CollectionSummary>> {
        let mut statement = self
            .conn
            .prepare(
                "SELECT c.name, c.created, (SELECT count(*) FROM members m WHERE m.collection = c.name) \
                 FROM collections c ORDER BY c.name",
            )
            .map_err(self.fail())?;
        let rows = statement
            .query_map([], |row| {
                Ok(CollectionSummary {
                    name: row.get(0)?,
                    created: row.get(1)?,
                    articles: row.get(2)?,
                })
            })
            .map_err(self.fail())?;
        rows.collect::<rusqlite::Result<_>>().map_err(self.fail())
    }

    /// The curated collection's name as first spelt, when there is one by `name` (case of
    /// Latin letters ignored).
    pub fn collection_name(&self, name: &str) -> Result<Option<String>> {
        self.conn
            .query_row(
                "SELECT name FROM collections WHERE name = ?1",
                [name.trim()],
                |row| row.get(0),
            )
            .optional()
            .map_err(self.fail())
    }

    fn existing_collection(&self, name: &str) -> Result<String> {
        self.collection_name(name)?
            .ok_or_else(|| Error::UnknownCollection {
                name: name.to_owned(),
                dir: self.index_dir.clone(),
            })
    }

    /// The articles of the curated collection `collection`, as recorded, in date order
    /// (undated last, then by id).
    pub fn members(&self, collection: &str) -> Result<Vec<Member>> {
        let name = self.existing_collection(collection)?;
        let mut statement = self
            .conn
            .prepare(
                "SELECT a.article_id, a.title, a.source, a.date, a.url, a.author, a.citation, \
                 a.passage, m.note, m.added, \
                 (SELECT group_concat(tag, char(31)) FROM \
                    (SELECT tag FROM tags t WHERE t.collection = m.collection \
                     AND t.article_id = m.article_id ORDER BY tag)) \
                 FROM members m JOIN articles a ON a.article_id = m.article_id \
                 WHERE m.collection = ?1 \
                 ORDER BY a.date IS NULL, a.date, a.article_id",
            )
            .map_err(self.fail())?;
        let rows = statement
            .query_map([&name], |row| {
                let tags: Option<String> = row.get(10)?;
                Ok(Member {
                    article: ArticleRecord {
                        article_id: row.get(0)?,
                        title: row.get(1)?,
                        source: row.get(2)?,
                        date: row.get(3)?,
                        url: row.get(4)?,
                        author: row.get(5)?,
                        citation: row.get(6)?,
                        passage: row.get(7)?,
                    },
                    note: row.get(8)?,
                    added: row.get(9)?,
                    tags: tags
                        .map(|t| t.split('\u{1f}').map(str::to_owned).collect())
                        .unwrap_or_default(),
                })
            })
            .map_err(self.fail())?;
        rows.collect::<rusqlite::Result<_>>().map_err(self.fail())
    }

    /// Every article id chosen into any collection.
    pub fn all_ids(&self) -> Result<Vec<String>> {
        self.strings("SELECT article_id FROM articles ORDER BY article_id", [])
    }

    /// The ids of the articles chosen into any of `collections`.
    pub fn ids_in(&self, collections: &[String]) -> Result<Vec<String>> {
        let mut ids = HashSet::new();
        for collection in collections {
            ids.extend(self.strings(
                "SELECT article_id FROM members WHERE collection = ?1",
                [collection.trim()],
            )?);
        }
        Ok(sorted(ids))
    }

    /// The ids of the articles carrying any of `tags`: in any of `collections`, or in any
    /// collection when none is named.
    pub fn ids_tagged(&self, tags: &[String], collections: &[String]) -> Result<Vec<String>> {
        let mut ids = HashSet::new();
        for tag in tags {
            if collections.is_empty() {
                ids.extend(
                    self.strings("SELECT article_id FROM tags WHERE tag = ?1", [tag.trim()])?,
                );
            }
            for collection in collections {
                ids.extend(self.strings(
                    "SELECT article_id FROM tags WHERE tag = ?1 AND collection = ?2",
                    [tag.trim(), collection.trim()],
                )?);
            }
        }
        Ok(sorted(ids))
    }

    /// Every tag in use, sorted.
    pub fn tags(&self) -> Result<Vec<String>> {
        self.strings("SELECT DISTINCT tag FROM tags ORDER BY tag", [])
    }

    /// The notes and tags of articles in any of `collections` (every collection when none is
    /// named), by article id.
    pub fn annotations(&self, collections: &[String]) -> Result<HashMap<String, Annotations>> {
        let names: Vec<String> = if collections.is_empty() {
            self.collections()?.into_iter().map(|c| c.name).collect()
        } else {
            collections.to_vec()
        };
        let mut found: HashMap<String, (Vec<String>, std::collections::BTreeSet<String>)> =
            HashMap::new();
        for name in names {
            let Some(name) = self.collection_name(&name)? else {
                continue;
            };
            for member in self.members(&name)? {
                let entry = found.entry(member.article.article_id).or_default();
                if !member.note.is_empty() {
                    entry.0.push(member.note);
                }
                entry.1.extend(member.tags);
            }
        }
        Ok(found
            .into_iter()
            .map(|(id, (notes, tags))| {
                let tags = tags.into_iter().collect();
                (id, Annotations { notes, tags })
            })
            .collect())
    }

    /// Saves the search `name`, counting the articles it matches now (`seen_now`) as seen: its
    /// first run is its saving.
    pub fn add_saved(
        &mut self,
        name: &str,
        query: &str,
        filters: &SavedFilters,
        seen_now: &[String],
    ) -> Result<()> {
        let name = checked_name("saved search", name)?;
        let filters_json = serde_json::to_string(filters).expect("filters serialize");
        let fail = self.owned_fail();
        self.write(|tx| {
            let exists: bool = tx
                .query_row(
                    "SELECT count(*) FROM saved_searches WHERE name = ?1",
                    [&name],
                    |row| row.get::<_, i64>(0),
                )
                .map_err(&fail)?
                > 0;
            if exists {
                return Err(Error::SavedSearchExists(name.clone()));
            }
            let now = now();
            tx.execute(
                "INSERT INTO saved_searches (name, query, filters, created, last_run) \
                 VALUES (?1, ?2, ?3, ?4, ?4)",
                params![name, query, filters_json, now],
            )
            .map_err(&fail)?;
            insert_seen(tx, &name, seen_now).map_err(&fail)?;
            Ok(())
        })
    }

    /// The saved searches, by name.
    pub fn saved_searches(&self) -> Result<Vec<SavedSearch>> {
        let mut statement = self
            .conn
            .prepare(
                "SELECT s.name, s.query, s.filters, s.created, s.last_run, \
                 (SELECT count(*) FROM saved_seen v WHERE v.search = s.name) \
                 FROM saved_searches s ORDER BY s.name",
            )
            .map_err(self.fail())?;
        let rows = statement
            .query_map([], |row| {
                let filters: String = row.get(2)?;
                // Filters that cannot be read are an error: run without them, a saved search
                // would match (and mark seen) what it was never meant to.
                let filters = serde_json::from_str(&filters).map_err(|err| {
                    rusqlite::Error::FromSqlConversionFailure(
                        2,
                        rusqlite::types::Type::Text,
                        Box::new(err),
                    )
                })?;
                Ok(SavedSearch {
                    name: row.get(0)?,
                    query: row.get(1)?,
                    filters,
                    created: row.get(3)?,
                    last_run: row.get(4)?,
                    seen: row.get(5)?,
                })
            })
            .map_err(self.fail())?;
        rows.collect::<rusqlite::Result<_>>().map_err(self.fail())
    }

    /// The saved search `name`.
    pub fn saved(&self, name: &str) -> Result<SavedSearch> {
        self.saved_searches()?
            .into_iter()
            .find(|s| s.name == name.trim())
            .ok_or_else(|| Error::UnknownSavedSearch(name.to_owned()))
    }

    /// Forgets the saved search `name`.
    pub fn remove_saved(&mut self, name: &str) -> Result<()> {
        let fail = self.owned_fail();
        let name = name.trim().to_owned();
        self.write(|tx| {
            let removed = tx
                .execute("DELETE FROM saved_searches WHERE name = ?1", [&name])
                .map_err(&fail)?;
            if removed == 0 {
                return Err(Error::UnknownSavedSearch(name.clone()));
            }
            Ok(())
        })
    }

    /// The articles the saved search `name` has shown so far.
    pub fn seen(&self, name: &str) -> Result<HashSet<String>> {
        Ok(self
            .strings(
                "SELECT article_id FROM saved_seen WHERE search = ?1",
                [name.trim()],
            )?
            .into_iter()
            .collect())
    }

    /// Records a run of the saved search `name` that showed `ids`.
    pub fn mark_seen(&mut self, name: &str, ids: &[String]) -> Result<()> {
        let fail = self.owned_fail();
        let name = name.trim().to_owned();
        self.write(|tx| {
            let updated = tx
                .execute(
                    "UPDATE saved_searches SET last_run = ?2 WHERE name = ?1",
                    params![name, now()],
                )
                .map_err(&fail)?;
            if updated == 0 {
                return Err(Error::UnknownSavedSearch(name.clone()));
            }
            insert_seen(tx, &name, ids).map_err(&fail)
        })
    }

    /// SQLite's own check of the file (`PRAGMA integrity_check`): `ok` when it is sound.
    pub fn integrity(&self) -> Result<String> {
        self.conn
            .query_row("PRAGMA integrity_check", [], |row| row.get(0))
            .map_err(self.fail())
    }

    fn strings<P: rusqlite::Params>(&self, sql: &str, params: P) -> Result<Vec<String>> {
        let mut statement = self.conn.prepare(sql).map_err(self.fail())?;
        let rows = statement
            .query_map(params, |row| row.get(0))
            .map_err(self.fail())?;
        rows.collect::<rusqlite::Result<_>>().map_err(self.fail())
    }
}

fn sorted(ids: HashSet<String>) -> Vec<String> {
    let mut ids: Vec<String> = ids.into_iter().collect();
    ids.sort_unstable();
    ids
}

/// The collection's stored spelling, creating it when new.
fn ensure_collection(tx: &rusqlite::Transaction, name: &str) -> rusqlite::Result<String> {
    tx.execute(
        "INSERT OR IGNORE INTO collections (name, created) VALUES (?1, ?2)",
        params![name, now()],
    )?;
    tx.query_row(
        "SELECT name FROM collections WHERE name = ?1",
        [name],
        |row| row.get(0),
    )
}

fn article_params(a: &ArticleRecord) -> impl rusqlite::Params + '_ {
    (
        &a.article_id,
        &a.title,
        &a.source,
        &a.date,
        &a.url,
        &a.author,
        &a.citation,
        &a.passage,
    )
}

fn upsert_article(tx: &rusqlite::Transaction, article: &ArticleRecord) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO articles (article_id, title, source, date, url, author, citation, passage) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) \
         ON CONFLICT (article_id) DO UPDATE SET title = excluded.title, source = excluded.source, \
         date = excluded.date, url = excluded.url, author = excluded.author, \
         citation = excluded.citation, passage = excluded.passage",
        article_params(article),
    )?;
    Ok(())
}

fn is_member(tx: &rusqlite::Transaction, collection: &str, id: &str) -> rusqlite::Result<bool> {
    tx.query_row(
        "SELECT count(*) FROM members WHERE collection = ?1 AND article_id = ?2",
        params![collection, id],
        |row| row.get::<_, i64>(0),
    )
    .map(|n| n > 0)
}

fn insert_tag(
    tx: &rusqlite::Transaction,
    collection: &str,
    id: &str,
    tag: &str,
) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT OR IGNORE INTO tags (collection, article_id, tag) VALUES (?1, ?2, ?3)",
        params![collection, id, tag],
    )?;
    Ok(())
}

fn insert_seen(tx: &rusqlite::Transaction, search: &str, ids: &[String]) -> rusqlite::Result<()> {
    let mut statement =
        tx.prepare("INSERT OR IGNORE INTO saved_seen (search, article_id) VALUES (?1, ?2)")?;
    for id in ids {
        statement.execute(params![search, id])?;
    }
    Ok(())
}

/// Records of articles no collection holds any more.
fn forget_unreferenced(tx: &rusqlite::Transaction) -> rusqlite::Result<()> {
    tx.execute(
        "DELETE FROM articles WHERE article_id NOT IN (SELECT article_id FROM members)",
        [],
    )?;
    Ok(())
}

fn checked_name(what: &str, name: &str) -> Result<String> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Error::BadSetting(format!("a {what} needs a name")));
    }
    Ok(name.to_owned())
}

fn checked_tags(tags: &[String]) -> Result<Vec<String>> {
    let tags: BTreeMap<String, ()> = tags
        .iter()
        .map(|t| t.trim())
        .filter(|t| !t.is_empty())
        .map(|t| (t.to_owned(), ()))
        .collect();
    Ok(tags.into_keys().collect())
}

fn now() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// `path` for a `file:` URI.
fn uri_path(path: &Path) -> String {
    let text = path.to_string_lossy();
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '?' => out.push_str("%3f"),
            '#' => out.push_str("%23"),
            ' ' => out.push_str("%20"),
            other => out.push(other),
        }
    }
    out
}

/// A database error in the library's words: busy → [`Error::Locked`], a folder or file that
/// cannot be written → [`Error::ReadOnly`], anything else → [`Error::Curation`].
fn sql_error(path: &Path, index_dir: &Path, error: rusqlite::Error) -> Error {
    use rusqlite::ErrorCode;
    if let Some(code) = error.sqlite_error_code() {
        match code {
            ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => {
                return Error::Locked(path.to_path_buf());
            }
            ErrorCode::ReadOnly => return Error::ReadOnly(index_dir.to_path_buf()),
            ErrorCode::CannotOpen if !writable(index_dir) => {
                return Error::ReadOnly(index_dir.to_path_buf());
            }
            ErrorCode::DiskFull => {
                return Error::io(path, std::io::Error::from(std::io::ErrorKind::StorageFull))
            }
            _ => {}
        }
    }
    Error::Curation {
        path: path.to_path_buf(),
        reason: error.to_string(),
    }
}

/// Whether files can be created in `dir`.
/// SQLite could not open the file or write beside it (a read-only folder or file).
fn cannot_open_or_write(err: &rusqlite::Error) -> bool {
    matches!(
        err.sqlite_error_code(),
        Some(rusqlite::ErrorCode::CannotOpen | rusqlite::ErrorCode::ReadOnly)
    )
}

fn writable(dir: &Path) -> bool {
    let probe = dir.join(".fahras-curation-probe");
    match std::fs::File::create(&probe) {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
            true
        }
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests;
