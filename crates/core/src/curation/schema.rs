//! The tables of the curation database, versioned by `PRAGMA user_version`: migration `n`
//! takes a database from version `n` to `n + 1`, and a database of a newer version than
//! [`VERSION`] is refused rather than misread.

/// The schema version this build writes.
pub const VERSION: i64 = 1;

/// Migration `n` brings version `n` to `n + 1`.
pub const MIGRATIONS: [&str; VERSION as usize] = [
    // 1: collections, their articles (with the last record of each article), tags, notes;
    // saved searches and the articles each has shown. Names compare with Latin case ignored,
    // as collection filters do.
    "CREATE TABLE collections (
        name TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
        created TEXT NOT NULL
    );
    CREATE TABLE articles (
        article_id TEXT NOT NULL PRIMARY KEY,
        title TEXT NOT NULL,
        source TEXT NOT NULL,
        date TEXT,
        url TEXT,
        author TEXT,
        citation TEXT NOT NULL,
        passage TEXT NOT NULL
    );
    CREATE TABLE members (
        collection TEXT NOT NULL COLLATE NOCASE
            REFERENCES collections (name) ON DELETE CASCADE,
        article_id TEXT NOT NULL REFERENCES articles (article_id),
        added TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (collection, article_id)
    );
    CREATE INDEX members_by_article ON members (article_id);
    CREATE TABLE tags (
        collection TEXT NOT NULL COLLATE NOCASE,
        article_id TEXT NOT NULL,
        tag TEXT NOT NULL,
        PRIMARY KEY (collection, article_id, tag),
        FOREIGN KEY (collection, article_id)
            REFERENCES members (collection, article_id) ON DELETE CASCADE
    );
    CREATE INDEX tags_by_tag ON tags (tag);
    CREATE TABLE saved_searches (
        name TEXT NOT NULL PRIMARY KEY,
        query TEXT NOT NULL,
        filters TEXT NOT NULL,
        created TEXT NOT NULL,
        last_run TEXT
    );
    CREATE TABLE saved_seen (
        search TEXT NOT NULL REFERENCES saved_searches (name) ON DELETE CASCADE,
        article_id TEXT NOT NULL,
        PRIMARY KEY (search, article_id)
    ) WITHOUT ROWID;",
];
