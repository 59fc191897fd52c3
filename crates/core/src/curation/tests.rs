use super::*;

fn record(id: &str, title: &str, date: Option<&str>) -> ArticleRecord {
    ArticleRecord {
        article_id: id.to_owned(),
        title: title.to_owned(),
        source: "bbc".to_owned(),
        date: date.map(str::to_owned),
        url: Some(format!("http://example.org/{id}")),
        author: None,
        citation: format!("{title}. BBC عربي."),
        passage: format!("نص {id}"),
    }
}

fn strings(values: &[&str]) -> Vec<String> {
    values.iter().map(|v| (*v).to_owned()).collect()
}

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    (dir, store)
}

#[test]
fn a_new_database_is_versioned_in_wal_mode() {
    let (dir, store) = store();
    assert!(path(dir.path()).is_file());
    let version: i64 = store
        .conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, schema::VERSION);
    let mode: String = store
        .conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    drop(store);
    // Opening again keeps what is there.
    let again = Store::open(dir.path()).unwrap();
    assert!(again.collections().unwrap().is_empty());
    assert_eq!(again.integrity().unwrap(), "ok");
}

#[test]
fn adding_counts_new_and_known_articles_and_lists_them_in_date_order() {
    let (_dir, mut store) = store();
    let first = store
        .add(
            "قمم",
            &[
                record("b", "ب", Some("2021-06-17")),
                record("a", "أ", Some("2021-06-16")),
                record("u", "بلا تاريخ", None),
            ],
            &strings(&["جنيف"]),
        )
        .unwrap();
    assert_eq!(
        first,
        Added {
            added: 3,
            already: 0
        }
    );
    let second = store
        .add(
            "قمم",
            &[record("a", "أ", Some("2021-06-16"))],
            &strings(&["بوتين"]),
        )
        .unwrap();
    assert_eq!(
        second,
        Added {
            added: 0,
            already: 1
        }
    );
    let members = store.members("قمم").unwrap();
    let ids: Vec<&str> = members
        .iter()
        .map(|m| m.article.article_id.as_str())
        .collect();
    assert_eq!(ids, ["a", "b", "u"]);
    assert_eq!(members[0].tags, ["بوتين", "جنيف"]);
    assert_eq!(members[1].tags, ["جنيف"]);
    assert_eq!(
        store.collections().unwrap(),
        [CollectionSummary {
            name: "قمم".into(),
            articles: 3,
            created: store.collections().unwrap()[0].created.clone(),
        }]
    );
}

#[test]
fn an_article_belongs_to_any_number_of_collections_and_dropping_leaves_the_others() {
    let (_dir, mut store) = store();
    store
        .add(
            "one",
            &[record("a", "أ", None), record("b", "ب", None)],
            &[],
        )
        .unwrap();
    store
        .add("two", &[record("a", "أ", None)], &strings(&["x"]))
        .unwrap();
    assert_eq!(
        store.drop_articles("one", &strings(&["a", "zzz"])).unwrap(),
        1
    );
    assert_eq!(store.ids_in(&strings(&["one"])).unwrap(), ["b"]);
    assert_eq!(
        store.ids_in(&strings(&["TWO"])).unwrap(),
        ["a"],
        "case of names ignored"
    );
    assert_eq!(store.ids_in(&strings(&["one", "two"])).unwrap(), ["a", "b"]);
    // The record of `a` stays while a collection holds it, and goes with the last one.
    assert_eq!(store.all_ids().unwrap(), ["a", "b"]);
    store.drop_articles("two", &strings(&["a"])).unwrap();
    assert_eq!(store.all_ids().unwrap(), ["b"]);
    assert!(matches!(
        store.drop_articles("three", &strings(&["b"])),
        Err(Error::UnknownCollection { .. })
    ));
}

#[test]
fn notes_and_tags_belong_to_an_article_in_a_collection() {
    let (_dir, mut store) = store();
    store
        .add(
            "one",
            &[record("a", "أ", None), record("b", "ب", None)],
            &[],
        )
        .unwrap();
    store.add("two", &[record("a", "أ", None)], &[]).unwrap();
    store.note("one", "a", "  مصدر أول  ").unwrap();
    store
        .tag("one", &strings(&["a", "b"]), &strings(&["قمة", " "]))
        .unwrap();
    store
        .tag("two", &strings(&["a"]), &strings(&["أرشيف"]))
        .unwrap();
    let members = store.members("one").unwrap();
    assert_eq!(members[0].note, "مصدر أول");
    assert_eq!(members[0].tags, ["قمة"]);
    assert_eq!(store.tags().unwrap(), ["أرشيف", "قمة"]);
    assert_eq!(
        store.ids_tagged(&strings(&["قمة"]), &[]).unwrap(),
        ["a", "b"]
    );
    assert_eq!(store.ids_tagged(&strings(&["أرشيف"]), &[]).unwrap(), ["a"]);
    // Scoped to the collections named.
    assert!(store
        .ids_tagged(&strings(&["أرشيف"]), &strings(&["one"]))
        .unwrap()
        .is_empty());
    let annotations = store.annotations(&[]).unwrap();
    assert_eq!(annotations["a"].notes, ["مصدر أول"]);
    assert_eq!(annotations["a"].tags, ["أرشيف", "قمة"]);
    store
        .untag("one", &strings(&["b"]), &strings(&["قمة"]))
        .unwrap();
    assert_eq!(store.ids_tagged(&strings(&["قمة"]), &[]).unwrap(), ["a"]);
    assert!(matches!(
        store.note("two", "b", "x"),
        Err(Error::NotInCollection { .. })
    ));
    // Dropping an article drops its note and tags with it.
    store.drop_articles("one", &strings(&["a"])).unwrap();
    store.add("one", &[record("a", "أ", None)], &[]).unwrap();
    assert_eq!(store.members("one").unwrap()[0].note, "");
    assert!(store.members("one").unwrap()[0].tags.is_empty());
}

#[test]
fn removing_a_collection_forgets_its_membership_only() {
    let (_dir, mut store) = store();
    store
        .add("one", &[record("a", "أ", None)], &strings(&["t"]))
        .unwrap();
    store.add("two", &[record("a", "أ", None)], &[]).unwrap();
    assert_eq!(store.remove_collection("ONE").unwrap(), Some(1));
    assert_eq!(store.remove_collection("one").unwrap(), None);
    assert!(store.tags().unwrap().is_empty());
    assert_eq!(store.ids_in(&strings(&["two"])).unwrap(), ["a"]);
}

#[test]
fn refreshing_updates_the_record_of_an_article_kept() {
    let (_dir, mut store) = store();
    store.add("one", &[record("a", "قديم", None)], &[]).unwrap();
    assert_eq!(store.refresh(&[record("a", "قديم", None)]).unwrap(), 0);
    assert_eq!(
        store
            .refresh(&[record("a", "جديد", None), record("z", "ز", None)])
            .unwrap(),
        1
    );
    assert_eq!(store.members("one").unwrap()[0].article.title, "جديد");
    assert_eq!(store.all_ids().unwrap(), ["a"], "refresh adds nothing");
}

#[test]
fn saved_searches_remember_what_they_have_shown() {
    let (_dir, mut store) = store();
    let filters = SavedFilters {
        sources: strings(&["bbc"]),
        from: Some("2021".into()),
        ..SavedFilters::default()
    };
    store
        .add_saved("قمة هلسنكي", "هلسنكي", &filters, &strings(&["a"]))
        .unwrap();
    assert!(matches!(
        store.add_saved("قمة هلسنكي", "x", &SavedFilters::default(), &[]),
        Err(Error::SavedSearchExists(_))
    ));
    let saved = store.saved("قمة هلسنكي").unwrap();
    assert_eq!(saved.query, "هلسنكي");
    assert_eq!(saved.filters, filters);
    assert_eq!(saved.seen, 1);
    assert!(saved.last_run.is_some());
    store
        .mark_seen("قمة هلسنكي", &strings(&["a", "b"]))
        .unwrap();
    assert_eq!(store.seen("قمة هلسنكي").unwrap().len(), 2);
    let input = saved.filters.input(&saved.query);
    assert_eq!(input.sources, ["bbc"]);
    assert_eq!(input.from.as_deref(), Some("2021"));
    store.remove_saved("قمة هلسنكي").unwrap();
    assert!(matches!(
        store.saved("قمة هلسنكي"),
        Err(Error::UnknownSavedSearch(_))
    ));
    assert!(matches!(
        store.remove_saved("x"),
        Err(Error::UnknownSavedSearch(_))
    ));
    assert!(
        store.seen("قمة هلسنكي").unwrap().is_empty(),
        "seen ids go with it"
    );
}

#[test]
fn a_database_from_a_newer_fahras_is_refused() {
    let (dir, store) = store();
    store.conn.pragma_update(None, "user_version", 99).unwrap();
    drop(store);
    let error = Store::open(dir.path()).err().unwrap();
    assert!(error.to_string().contains("newer fahras"), "{error}");
    let error = Store::open_existing(dir.path()).err().unwrap();
    assert!(error.to_string().contains("newer fahras"), "{error}");
}

#[test]
fn reading_without_a_database_finds_none_and_a_busy_database_is_named_as_locked() {
    let dir = tempfile::tempdir().unwrap();
    assert!(Store::open_existing(dir.path()).unwrap().is_none());
    let mut store = Store::open(dir.path()).unwrap();
    store.add("one", &[record("a", "أ", None)], &[]).unwrap();
    let reader = Store::open_existing(dir.path()).unwrap().unwrap();
    assert_eq!(reader.ids_in(&strings(&["one"])).unwrap(), ["a"]);
    // Another connection holding the write lock: a writer gives up with a clear error.
    let mut other = Store::open(dir.path()).unwrap();
    other.conn.busy_timeout(std::time::Duration::ZERO).unwrap();
    store
        .conn
        .execute_batch("BEGIN IMMEDIATE; INSERT INTO collections VALUES ('x', 'now');")
        .unwrap();
    let error = other
        .add("two", &[record("b", "ب", None)], &[])
        .unwrap_err();
    assert!(matches!(error, Error::Locked(_)), "{error}");
    assert!(
        error.to_string().contains("another fahras process"),
        "{error}"
    );
    store.conn.execute_batch("ROLLBACK").unwrap();
}

#[cfg(unix)]
#[test]
fn a_read_only_folder_is_read_but_not_written() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    store.add("one", &[record("a", "أ", None)], &[]).unwrap();
    drop(store);
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o555)).unwrap();
    let probe = dir.path().join("probe");
    if std::fs::write(&probe, b"").is_ok() {
        // Running as root: permissions do not bind; nothing to check.
        let _ = std::fs::remove_file(&probe);
    } else {
        let reader = Store::open_existing(dir.path()).unwrap().unwrap();
        assert_eq!(reader.ids_in(&strings(&["one"])).unwrap(), ["a"]);
        drop(reader);
        let mut writer = Store::open(dir.path());
        let error = match &mut writer {
            Ok(store) => store
                .add("one", &[record("b", "ب", None)], &[])
                .unwrap_err(),
            Err(_) => writer.err().unwrap(),
        };
        assert!(matches!(error, Error::ReadOnly(_)), "{error}");
    }
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn sqlite_failures_become_the_library_errors_users_can_act_on() {
    let dir = tempfile::tempdir().unwrap();
    let failure = |code: i32| {
        rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(code), Some("x".into()))
    };
    let db = path(dir.path());
    assert!(matches!(
        sql_error(&db, dir.path(), failure(rusqlite::ffi::SQLITE_BUSY)),
        Error::Locked(p) if p == db
    ));
    assert!(matches!(
        sql_error(&db, dir.path(), failure(rusqlite::ffi::SQLITE_READONLY)),
        Error::ReadOnly(p) if p == dir.path()
    ));
    let full = sql_error(&db, dir.path(), failure(rusqlite::ffi::SQLITE_FULL));
    assert!(
        full.to_string().contains("no space left on device"),
        "{full}"
    );
    // A folder that can be written: "cannot open" is not taken for read-only.
    let other = sql_error(&db, dir.path(), failure(rusqlite::ffi::SQLITE_CANTOPEN));
    assert!(matches!(other, Error::Curation { .. }), "{other}");
}

#[test]
fn an_article_is_kept_with_its_note_and_tags_in_one_step() {
    let (_dir, mut store) = store();
    let added = store
        .add_noted(
            "قمة هلسنكي",
            &[record("a", "أ", None)],
            &strings(&["تصريحات"]),
            Some("  تصريح بوتين عن سوريا "),
        )
        .unwrap();
    assert_eq!(added.added, 1);
    let members = store.members("قمة هلسنكي").unwrap();
    assert_eq!(members[0].note, "تصريح بوتين عن سوريا");
    assert_eq!(members[0].tags, ["تصريحات"]);
    // Kept again without a note: the note stays; with one: it is replaced.
    store
        .add_noted("قمة هلسنكي", &[record("a", "أ", None)], &[], None)
        .unwrap();
    assert_eq!(
        store.members("قمة هلسنكي").unwrap()[0].note,
        "تصريح بوتين عن سوريا"
    );
    store
        .add_noted("قمة هلسنكي", &[record("a", "أ", None)], &[], Some("جديدة"))
        .unwrap();
    assert_eq!(store.members("قمة هلسنكي").unwrap()[0].note, "جديدة");
    store
        .add_noted("قمة هلسنكي", &[record("a", "أ", None)], &[], Some(" "))
        .unwrap();
    assert_eq!(store.members("قمة هلسنكي").unwrap()[0].note, "");
}

// Review (stop 24): `fahras index` refreshed each kept article's passage with its lead, losing
// the passage that matched the query it was added by.
#[test]
fn refreshing_keeps_the_passage_chosen_when_the_article_was_added() {
    let (_dir, mut store) = store();
    store.add("one", &[record("a", "قديم", None)], &[]).unwrap();
    let mut lead = record("a", "جديد", None);
    lead.passage = "الفقرة الأولى".to_owned();
    assert_eq!(store.refresh(&[lead]).unwrap(), 1);
    let member = &store.members("one").unwrap()[0];
    assert_eq!(member.article.title, "جديد");
    assert_eq!(member.article.passage, "نص a");
}

// Review (stop 24): a database file whose tables were never committed (a first write killed
// before its transaction, an empty file) broke every search by collection with "no such table".
#[test]
fn a_database_without_tables_reads_as_no_curation_yet() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(path(dir.path()), b"").unwrap();
    assert!(Store::open_existing(dir.path()).unwrap().is_none());
    // The first write creates the tables.
    let mut store = Store::open(dir.path()).unwrap();
    store.add("one", &[record("a", "أ", None)], &[]).unwrap();
    assert!(Store::open_existing(dir.path()).unwrap().is_some());
}

// Review (stop 24): filters that could not be read were taken as none, so `saved run` matched
// (and marked seen) everything.
#[test]
fn a_saved_search_whose_filters_cannot_be_read_is_an_error() {
    let (_dir, mut store) = store();
    store
        .add_saved("s", "قمة", &SavedFilters::default(), &[])
        .unwrap();
    store
        .conn
        .execute("UPDATE saved_searches SET filters = '{not json'", [])
        .unwrap();
    assert!(store.saved_searches().is_err());
}
