//! One test per bug a user met, named after what broke (ripgrep's `tests/regression.rs` habit).
//! The issue each one pins is said in its comment.

mod common;

use std::path::Path;

use common::*;

const ARTICLE: &str = "قال الرئيس الروسي فلاديمير بوتين إن القمة مع نظيره الأمريكي في جنيف كانت ناجحة إلى حد كبير، وإن البلدين سيعيدان السفيرين.";

fn sgml(id: &str, time: &str, title: &str, text: &str) -> String {
    format!(
        "<DOC>\n<DOCNO>{id}</DOCNO>\n<URL>http://example.org/{id}</URL>\n<SRC>alarabiya</SRC>\n<TITLE>{title}</TITLE>\n<TIME>{time}</TIME>\n<TEXT>\n{text}\n</TEXT>\n</DOC>\n"
    )
}

// Trust issue, 1: a folder holding someone else's tantivy index is still refused.
#[test]
fn a_folder_holding_another_tantivy_index_is_refused() {
    let dirs = TempDirs::new();
    let foreign = dirs.root.path().join("foreign");
    std::fs::create_dir_all(&foreign).unwrap();
    let mut schema = tantivy::schema::Schema::builder();
    let body = schema.add_text_field("body", tantivy::schema::TEXT);
    let index = tantivy::Index::create_in_dir(&foreign, schema.build()).unwrap();
    let mut writer: tantivy::IndexWriter = index.writer(15_000_000).unwrap();
    writer
        .add_document(tantivy::doc!(body => "someone else's data"))
        .unwrap();
    writer.commit().unwrap();
    drop(writer);
    let corpus = dirs.corpus();
    write(corpus.join("a.txt"), format!("عنوان\n{ARTICLE}\n"));
    let output = run(&["index", path_str(&corpus), "--index", path_str(&foreign)]);
    assert!(!output.status.success());
    assert!(
        stderr_of(&output).contains("did not build"),
        "{}",
        stderr_of(&output)
    );
    // Nothing of it was touched.
    let reopened = tantivy::Index::open_in_dir(&foreign).unwrap();
    assert_eq!(reopened.schema().get_field("body").ok(), Some(body));
}

// Trust issue, 3: a date with an offset (+0400 just after midnight) was shown, filtered and
// cited as the previous day.
#[test]
fn a_date_with_an_offset_is_shown_filtered_and_cited_as_the_sources_own_day() {
    let dirs = TempDirs::new();
    let corpus = dirs.corpus();
    write(
        corpus.join("AL-culture-604-20180723.txt"),
        sgml(
            "AL-culture-604-20180723",
            "Mon, 23 Jul 2018 00:36:02 +0400",
            "معرض",
            ARTICLE,
        ),
    );
    let index = dirs.index();
    index_quietly(&corpus, &index);
    let (hits, _) = search_json(
        &index,
        &["--from", "2018-07-23", "--to", "2018-07-23", "بوتين"],
    );
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["date"], "2018-07-23");
    assert_eq!(hits[0]["published"], "2018-07-23T00:36:02+04:00");
    let (hits, _) = search_json(&index, &["--to", "2018-07-22", "بوتين"]);
    assert!(hits.is_empty());
    let csv = ok(&["export", "--index", path_str(&index), "بوتين"]);
    assert!(csv.contains("معرض. العربية, 2018-07-23."), "{csv}");
    assert_eq!(stats(&index)["first_date"], "2018-07-23");
}

// Trust issue, 4: articles with a title and no text (galleries, videos) were skipped.
#[test]
fn an_article_with_a_title_and_no_text_is_indexed_and_found_by_its_title() {
    let dirs = TempDirs::new();
    let corpus = dirs.corpus();
    write(
        corpus.join("FR-sport-214-20180629.txt"),
        sgml(
            "FR-sport-214-20180629",
            "Fri, 29 Jun 2018 10:00:00 GMT",
            "مونديال 2018: مرحلة المجموعات بالأرقام",
            "",
        ),
    );
    let index = dirs.index();
    let output = run(&["index", path_str(&corpus), "--index", path_str(&index)]);
    assert!(output.status.success(), "{}", stderr_of(&output));
    assert!(
        stderr_of(&output).contains("1 with a title only"),
        "{}",
        stderr_of(&output)
    );
    assert_eq!(stats(&index)["articles"], 1);
    let (hits, _) = search_json(&index, &["مونديال"]);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["article_id"], "FR-sport-214-20180629");
}

// Trust issue, 4: `fahras index r1 r2` with an a.txt in each gave both the id a.txt.
#[test]
fn two_folders_that_each_hold_a_txt_give_two_articles_with_distinct_ids() {
    let dirs = TempDirs::new();
    let r1 = dirs.root.path().join("r1");
    let r2 = dirs.root.path().join("r2");
    write(r1.join("a.txt"), format!("الأول\n{ARTICLE}\n"));
    write(
        r2.join("a.txt"),
        "الثاني\nنص مختلف تماما عن المقال الأول في كل شيء.\n",
    );
    let index = dirs.index();
    ok(&[
        "index",
        path_str(&r1),
        path_str(&r2),
        "--index",
        path_str(&index),
        "--quiet",
    ]);
    assert_eq!(stats(&index)["articles"], 2);
    let ids: std::collections::BTreeSet<String> =
        all_passages(&index).into_iter().map(|p| p.0).collect();
    assert_eq!(ids.len(), 2, "{ids:?}");
    assert!(ids.contains("a.txt") && ids.contains("r2/a.txt"), "{ids:?}");
    let first = ok(&["show", "a.txt", "--index", path_str(&index)]);
    let second = ok(&["show", "r2/a.txt", "--index", path_str(&index)]);
    assert!(first.starts_with("الأول"), "{first}");
    assert!(second.starts_with("الثاني"), "{second}");
    // A re-run keeps them (nothing changed, nothing re-read).
    index_quietly(&r1, &index);
    assert_eq!(stats(&index)["articles"], 2);
}

// Trust issue, 4: UPSTREAM_README.md at ANT's root became an article with a fake outlet.
#[test]
fn a_readme_at_the_corpus_root_is_not_an_article_and_ignore_rules_apply() {
    let dirs = TempDirs::new();
    let corpus = dirs.corpus();
    write(
        corpus.join("UPSTREAM_README.md"),
        "# ANT corpus\n\nHow to cite.\n",
    );
    write(corpus.join("LICENSE"), "Apache-2.0\n");
    write(corpus.join("BBC/a.txt"), format!("عنوان\n{ARTICLE}\n"));
    write(
        corpus.join("BBC/drafts/b.txt"),
        format!("مسودة\n{ARTICLE}\n"),
    );
    write(corpus.join("CNN/c.txt"), format!("عنوان\n{ARTICLE}\n"));
    write(corpus.join("CNN/c.bak.txt"), format!("نسخة\n{ARTICLE}\n"));
    write(corpus.join("BBC/.fahrasignore"), "drafts/\n");
    let index = dirs.index();
    let output = run(&[
        "index",
        path_str(&corpus),
        "--index",
        path_str(&index),
        "--exclude",
        "*.bak.txt",
    ]);
    assert!(output.status.success(), "{}", stderr_of(&output));
    let stderr = stderr_of(&output);
    assert!(
        stderr.contains("UPSTREAM_README.md: documentation"),
        "{stderr}"
    );
    let stats = stats(&index);
    assert_eq!(stats["articles"], 2, "{stats}");
    let sources = stats["sources"].as_object().unwrap();
    assert_eq!(
        sources.keys().collect::<Vec<_>>(),
        ["BBC", "CNN"],
        "{stats}"
    );
    // A documentation file named on the command line is indexed.
    let extra = dirs.root.path().join("extra");
    ok(&[
        "index",
        path_str(&corpus.join("UPSTREAM_README.md")),
        "--index",
        path_str(&extra),
        "--quiet",
    ]);
    assert_eq!(common::stats(&extra)["articles"], 1);
}

// Trust issue, 4: an unsupported JSON date became undated without a word.
#[test]
fn an_unsupported_json_date_is_a_warning_naming_the_value() {
    let dirs = TempDirs::new();
    let corpus = dirs.corpus();
    write(
        corpus.join("papers.jsonl"),
        format!("{{\"id\": \"j1\", \"text\": \"{ARTICLE}\", \"date\": \"12/06/2018\"}}\n"),
    );
    let output = run(&[
        "index",
        path_str(&corpus),
        "--index",
        path_str(&dirs.index()),
    ]);
    assert!(output.status.success());
    let stderr = stderr_of(&output);
    assert!(stderr.contains("\"12/06/2018\""), "{stderr}");
    assert!(stderr.contains("; 1 warnings;"), "{stderr}");
}

// Trust issue, 5: printed warnings and the summary's count disagreed; one bad JSON file gave two.
#[test]
fn the_summary_counts_exactly_the_warnings_it_printed() {
    let dirs = TempDirs::new();
    let corpus = dirs.corpus();
    write(corpus.join("good.txt"), format!("عنوان\n{ARTICLE}\n"));
    write(corpus.join("broken.json"), "{\"id\": oops");
    write(corpus.join("empty.txt"), "");
    let output = run(&[
        "index",
        path_str(&corpus),
        "--index",
        path_str(&dirs.index()),
    ]);
    assert!(output.status.success(), "{}", stderr_of(&output));
    let stderr = stderr_of(&output);
    let printed = stderr.lines().filter(|l| l.starts_with("warning:")).count();
    assert_eq!(
        stderr
            .lines()
            .filter(|l| l.starts_with("warning: broken.json"))
            .count(),
        1,
        "{stderr}"
    );
    assert_eq!(printed, 2, "{stderr}");
    assert!(stderr.contains("; 2 warnings;"), "{stderr}");
}

// Trust issue, 5: indexing nothing (the index folder itself) exited 0 with "0 seen".
#[test]
fn indexing_nothing_is_an_error_with_the_reason() {
    let dirs = TempDirs::new();
    let index = dirs.index();
    std::fs::create_dir_all(&index).unwrap();
    let output = run(&["index", path_str(&index), "--index", path_str(&index)]);
    assert!(!output.status.success());
    assert!(
        stderr_of(&output).contains("nothing to index"),
        "{}",
        stderr_of(&output)
    );
    let unreadable = dirs.root.path().join("photos");
    write(unreadable.join("a.jpg"), b"\xFF\xD8\xFF\xE0");
    let output = run(&[
        "index",
        path_str(&unreadable),
        "--index",
        path_str(&dirs.root.path().join("other")),
    ]);
    assert!(!output.status.success());
    assert!(
        stderr_of(&output).contains("nothing indexed"),
        "{}",
        stderr_of(&output)
    );
}

// Trust issue, 6: the shipped corpus showed the site's boilerplate as its title, no date, and
// بوتين did not find the article's own بوتن.
#[test]
fn the_seed_corpus_shows_its_title_date_and_the_name_variant() {
    let dirs = TempDirs::new();
    let index = dirs.index();
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    index_quietly(&corpus, &index);
    let (hits, summary) = search_json(&index, &["بوتين"]);
    assert_eq!(hits.len(), 1, "one entry per article");
    assert_eq!(
        hits[0]["title"],
        "ناجحة إلى حد كبير.. ملخص قمة بوتين بايدن التي تمت اليوم في جنيف"
    );
    assert_eq!(hits[0]["date"], "2021-06-16");
    assert!(
        summary["variants"]["بوتين"]["بوتن"].as_u64().unwrap() >= 1,
        "{summary}"
    );
    let (hits, _) = search_json(&index, &["بوتن", "--per-article", "20"]);
    assert!(hits.len() > 1);
}

// Trust issue, 7: `export --format jsonl | head -1` printed a broken-pipe error and exited 1.
#[cfg(unix)]
#[test]
fn exporting_jsonl_into_a_closed_pipe_is_quiet() {
    let dirs = TempDirs::new();
    let corpus = dirs.corpus();
    for i in 0..300 {
        write(
            corpus.join(format!("a{i}.txt")),
            format!("عنوان {i}\n{ARTICLE} {}\n", arabic_paragraph(i, 200)),
        );
    }
    let index = dirs.index();
    index_quietly(&corpus, &index);
    for format in ["jsonl", "csv", "ris"] {
        let output = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!(
                "'{}' export --index '{}' --format {format} --quiet بوتين | head -c 10 >/dev/null; echo \"status ${{PIPESTATUS:-}}\"",
                env!("CARGO_BIN_EXE_fahras"),
                path_str(&index)
            ))
            .output()
            .unwrap();
        let stderr = stderr_of(&output);
        assert!(!stderr.contains("Broken pipe"), "{format}: {stderr}");
    }
}

// Trust issue, 7: error chains repeated their cause.
#[test]
fn an_io_error_is_said_once() {
    let dirs = TempDirs::new();
    let corpus = dirs.corpus();
    write(corpus.join("a.txt"), format!("عنوان\n{ARTICLE}\n"));
    let index = dirs.index();
    index_quietly(&corpus, &index);
    let target = dirs.root.path().join("no/such/folder/out.csv");
    let output = run(&[
        "export",
        "--index",
        path_str(&index),
        "--output",
        path_str(&target),
        "بوتين",
    ]);
    assert!(!output.status.success());
    let stderr = stderr_of(&output);
    assert_eq!(stderr.matches("No such file").count(), 1, "{stderr}");
}

// Trust issue, 7: a filter naming nothing known answered "no passage matches".
#[test]
fn an_unknown_source_or_collection_is_named_with_the_known_ones() {
    let (_dirs, index) = server_fixture();
    for (flag, name, known) in [
        ("--source", "BBC Arabic", "BBC, CNN"),
        ("--collection", "nosuch", "corpus"),
    ] {
        let output = run(&["search", "--index", path_str(&index), flag, name, "بوتين"]);
        assert!(!output.status.success());
        let stderr = stderr_of(&output);
        assert!(
            stderr.contains(&format!("unknown {}", &flag[2..])),
            "{stderr}"
        );
        assert!(stderr.contains(known), "{stderr}");
    }
    // Known names still work, in any case.
    let (hits, _) = search_json(&index, &["--source", "bbc", "بوتين"]);
    assert_eq!(hits.len(), 1);
}

// Trust issue, 7: `--from` after `--to`, impossible dates, `--limit 0`, passage bounds the wrong
// way round were accepted silently or without a reason.
#[test]
fn contradictory_or_impossible_settings_are_refused_with_the_reason() {
    let (dirs, index) = server_fixture();
    let cases: [(&[&str], &str); 5] = [
        (&["--from", "2018-08", "--to", "2018-07"], "after --to"),
        (&["--from", "2018-02-30"], "has 28 days"),
        (&["--limit", "0"], "--limit"),
        (&["--per-article", "0"], "--per-article"),
        (&["--to", "2018-13"], "no month 13"),
    ];
    for (args, expected) in cases {
        let mut all = vec!["search", "--index", path_str(&index)];
        all.extend_from_slice(args);
        all.push("بوتين");
        let output = run(&all);
        assert!(!output.status.success(), "{args:?}");
        assert!(
            stderr_of(&output).contains(expected),
            "{args:?}: {}",
            stderr_of(&output)
        );
    }
    let output = run(&[
        "index",
        path_str(&dirs.corpus()),
        "--index",
        path_str(&dirs.root.path().join("new")),
        "--passage-min",
        "300",
        "--passage-max",
        "10",
    ]);
    assert!(!output.status.success());
    assert!(stderr_of(&output).contains("--passage-min (300)"));
}

// Trust issue, 7: "no index in index" dropped the user's --index; a settings mismatch printed a
// Rust debug struct.
#[test]
fn messages_name_the_users_folder_and_settings_in_words() {
    let dirs = TempDirs::new();
    let missing = dirs.root.path().join("archive-index");
    let output = run(&["search", "--index", path_str(&missing), "بوتين"]);
    let stderr = stderr_of(&output);
    assert!(
        stderr.contains(&format!("fahras index --index {}", missing.display())),
        "{stderr}"
    );
    let (dirs, index) = server_fixture();
    let output = run(&[
        "index",
        path_str(&dirs.corpus()),
        "--index",
        path_str(&index),
        "--stemmer",
        "snowball",
    ]);
    assert!(!output.status.success());
    let stderr = stderr_of(&output);
    assert!(
        stderr.contains("stemmer light, passages of 80–200 words"),
        "{stderr}"
    );
    assert!(!stderr.contains("IndexSettings"), "{stderr}");
}

// Hostile input, lost data: a one-line .txt file was dropped as "no article text found".
#[test]
fn a_one_line_text_file_is_indexed_and_found_by_its_line() {
    let dirs = TempDirs::new();
    let corpus = dirs.corpus();
    write(
        corpus.join("one.txt"),
        "خبر عاجل عن قمة جنيف بين بوتين وبايدن",
    );
    let index = dirs.index();
    index_quietly(&corpus, &index);
    let (hits, _) = search_json(&index, &["قمة"]);
    assert_eq!(hits.len(), 1);
    assert!(hits[0]["text"].as_str().unwrap().contains("قمة جنيف"));
}

// Hostile input, lost data: links were followed out of the folder, a file reached by two links
// was indexed twice.
#[cfg(unix)]
#[test]
fn symbolic_links_are_not_followed_unless_asked_and_each_file_is_read_once() {
    let dirs = TempDirs::new();
    let outside = dirs.root.path().join("outside");
    write(outside.join("secret.txt"), format!("سر\n{ARTICLE}\n"));
    let corpus = dirs.corpus();
    write(corpus.join("a.txt"), format!("عنوان\n{ARTICLE}\n"));
    std::os::unix::fs::symlink(outside.join("secret.txt"), corpus.join("link.txt")).unwrap();
    std::os::unix::fs::symlink(corpus.join("a.txt"), corpus.join("again.txt")).unwrap();
    let index = dirs.index();
    index_quietly(&corpus, &index);
    assert_eq!(stats(&index)["articles"], 1);
    let followed = dirs.root.path().join("followed");
    ok(&[
        "index",
        path_str(&corpus),
        "--index",
        path_str(&followed),
        "--follow-links",
        "--quiet",
    ]);
    assert_eq!(stats(&followed)["articles"], 2);
}

// Hostile input, lost data: file names that are not UTF-8 collided in the manifest (five files,
// three articles, two "changed" on every run).
#[cfg(target_os = "linux")]
#[test]
fn file_names_that_are_not_utf8_are_each_indexed_once_and_stay_unchanged() {
    use std::os::unix::ffi::OsStrExt;
    let dirs = TempDirs::new();
    let corpus = dirs.corpus();
    std::fs::create_dir_all(&corpus).unwrap();
    for i in 0..5u8 {
        let name = [0xe3, 0xd5, 0xd1, 0x80 + i, b'.', b't', b'x', b't'];
        let path = corpus.join(std::ffi::OsStr::from_bytes(&name));
        std::fs::write(path, format!("عنوان {i}\n{ARTICLE} {i}\n")).unwrap();
    }
    let index = dirs.index();
    index_quietly(&corpus, &index);
    assert_eq!(stats(&index)["articles"], 5);
    assert_eq!(stats(&index)["files"], 5);
    index_quietly(&corpus, &index);
    let last_run = &stats(&index)["last_run"];
    assert_eq!(last_run["unchanged"], 5, "{last_run}");
    assert_eq!(last_run["changed"], 0, "{last_run}");
}

// Trust issue, 1: a kill inside tantivy's commit of an incremental run left a `.del` file that
// no commit names; the next run reached the same name and failed on every try
// ("FileAlreadyExists(…del)"). The leftover is recreated exactly: a copy of the index takes the
// same run to learn the names its commit writes, and those files are planted (and registered,
// as tantivy registers a file before writing it) in the real index.
#[test]
fn a_del_file_left_by_a_killed_incremental_run_does_not_block_the_next_run() {
    let dirs = TempDirs::new();
    let corpus = dirs.corpus();
    for i in 0..40 {
        write(
            corpus.join(format!("f{i:02}.txt")),
            format!("عنوان {i}\n{}\n", arabic_paragraph(i, 150)),
        );
    }
    let index = dirs.index();
    index_quietly(&corpus, &index);
    for i in 0..10 {
        std::fs::remove_file(corpus.join(format!("f{i:02}.txt"))).unwrap();
    }
    let names = |dir: &Path| -> std::collections::BTreeSet<String> {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect()
    };
    let before = names(&index);
    let rehearsal = dirs.root.path().join("rehearsal");
    std::fs::create_dir_all(&rehearsal).unwrap();
    for name in &before {
        std::fs::copy(index.join(name), rehearsal.join(name)).unwrap();
    }
    index_quietly(&corpus, &rehearsal);
    let written: Vec<String> = names(&rehearsal)
        .difference(&before)
        .filter(|n| n.ends_with(".del"))
        .cloned()
        .collect();
    assert!(
        !written.is_empty(),
        "the run deletes passages: it writes .del files"
    );
    let managed_path = index.join(".managed.json");
    let mut managed: Vec<String> =
        serde_json::from_str(&std::fs::read_to_string(&managed_path).unwrap()).unwrap();
    for name in &written {
        std::fs::write(index.join(name), b"left by a killed run").unwrap();
        managed.push(name.clone());
    }
    std::fs::write(&managed_path, serde_json::to_string(&managed).unwrap()).unwrap();
    index_quietly(&corpus, &index);
    assert_eq!(stats(&index)["articles"], 30);
    assert_eq!(all_passages(&index), all_passages(&rehearsal));
}

// Hostile input, two writers: a second `fahras index` during another's first run was told to
// `--rebuild`, and `--rebuild` then ignored the lock, deleted the running run's files and killed
// it. The first run here holds the lock at a known point (a pause, not a sleep).
#[cfg(unix)]
#[test]
fn a_second_run_and_a_rebuild_wait_for_nobody_and_delete_nothing_while_a_run_writes() {
    let dirs = TempDirs::new();
    let corpus = dirs.corpus();
    for i in 0..30 {
        write(
            corpus.join(format!("f{i:02}.txt")),
            format!("عنوان {i}\n{}\n", arabic_paragraph(i, 150)),
        );
    }
    let index = dirs.index();
    let (mut first, mut stderr) = index_paused_after(&corpus, &index, 10, &["--quiet"]);
    // The index's files (not the temporary files its writer creates and renames meanwhile).
    let names = || -> std::collections::BTreeSet<String> {
        std::fs::read_dir(&index)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|name| !name.starts_with(".tmp"))
            .collect()
    };
    let files_before = names();
    for extra in [&[][..], &["--rebuild"][..]] {
        let mut args = vec!["index", path_str(&corpus), "--index", path_str(&index)];
        args.extend_from_slice(extra);
        let output = run(&args);
        assert!(!output.status.success(), "{extra:?}");
        let stderr = stderr_of(&output);
        assert!(
            stderr.contains("another fahras process is writing"),
            "{extra:?}: {stderr}"
        );
    }
    let files_after = names();
    assert!(
        files_before.is_subset(&files_after),
        "deleted: {:?}",
        files_before.difference(&files_after).collect::<Vec<_>>()
    );
    drop(first.stdin.take());
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stderr, &mut rest).unwrap();
    assert!(first.wait().unwrap().success(), "{rest}");
    assert_eq!(stats(&index)["articles"], 30);
}

// Hostile input, lost data: two JSON records with the same id were merged by `show`, silently.
#[test]
fn a_repeated_json_id_is_kept_apart_and_said_at_index_time() {
    let dirs = TempDirs::new();
    let corpus = dirs.corpus();
    write(
        corpus.join("papers.jsonl"),
        format!(
            "{{\"id\": \"7\", \"title\": \"الأول\", \"text\": \"{ARTICLE}\"}}\n{{\"id\": \"7\", \"title\": \"الثاني\", \"text\": \"نص آخر مختلف تماما عن الأول.\"}}\n"
        ),
    );
    let index = dirs.index();
    let output = run(&["index", path_str(&corpus), "--index", path_str(&index)]);
    assert!(output.status.success());
    let stderr = stderr_of(&output);
    assert!(
        stderr.contains("article id \"7\" is already used by another article; indexed as \"7#2\""),
        "{stderr}"
    );
    assert!(ok(&["show", "7", "--index", path_str(&index)]).starts_with("الأول"));
    assert!(ok(&["show", "7#2", "--index", path_str(&index)]).starts_with("الثاني"));
}

// Architecture issue (13): a `source:` beside an OR was dropped, with a note saying that filters
// inside OR apply to the whole query.
#[test]
fn a_source_filter_beside_or_restricts_the_whole_query_as_its_note_says() {
    let (_dirs, index) = server_fixture();
    let (all, _) = search_json(&index, &["بوتين"]);
    assert_eq!(all.len(), 2);
    let (hits, summary) = search_json(&index, &["بوتين OR source:CNN"]);
    assert_eq!(hits.len(), 1, "{summary}");
    assert_eq!(hits[0]["source"], "CNN");
    assert!(
        summary["notes"]
            .to_string()
            .contains("apply to the whole query"),
        "{summary}"
    );
}

// UX audit (stop 23): TREC runs printed scores without the all-words tier, so a lower-tier
// article could score above the one ranked before it, and trec_eval (which orders by score)
// measured another ranking than `fahras eval`.
#[test]
fn trec_run_scores_never_increase_down_the_ranks() {
    let dirs = TempDirs::new();
    let corpus = dirs.corpus();
    write_tier_corpus(&corpus);
    let index = dirs.index();
    index_quietly(&corpus, &index);
    let run = ok(&[
        "search",
        "--index",
        path_str(&index),
        "--format",
        "trec",
        "بوتين جنيف",
    ]);
    let lines: Vec<Vec<&str>> = run.lines().map(|l| l.split(' ').collect()).collect();
    assert_eq!(lines[0][2], "both.txt", "{run}");
    assert!(lines.iter().any(|l| l[2] == "one.txt"), "{run}");
    let scores: Vec<f64> = lines.iter().map(|l| l[4].parse().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{run}");
}

// UX audit (stop 23): results are articles, but `-word` removed only the passages holding the
// word, so an article that mentions it in another passage was still listed; and `-source:X`
// selected outlet X instead of excluding it.
#[test]
fn an_excluded_word_excludes_the_whole_article_and_an_excluded_filter_excludes() {
    let dirs = TempDirs::new();
    let corpus = dirs.corpus();
    // Two passages: the query word in the first, the excluded word in the second.
    write(
        corpus.join("mentions.txt"),
        format!(
            "عنوان أول\n{} زلزال\n\n{} بركان\n",
            arabic_paragraph(1, 120),
            arabic_paragraph(2, 120)
        ),
    );
    write(
        corpus.join("clean.txt"),
        format!("عنوان ثان\n{} زلزال\n", arabic_paragraph(3, 60)),
    );
    let index = dirs.index();
    index_quietly(&corpus, &index);
    let passages = all_passages(&index);
    assert!(
        passages
            .iter()
            .filter(|(id, _, _)| id == "mentions.txt")
            .count()
            >= 2,
        "the fixture needs two passages in one article"
    );
    let (all, _) = search_json(&index, &["زلزال"]);
    assert_eq!(all.len(), 2);
    for query in ["زلزال -بركان", "زلزال NOT بركان", "زلزال !بركان"] {
        let (hits, summary) = search_json(&index, &[query]);
        let ids: Vec<&str> = hits
            .iter()
            .map(|h| h["article_id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, ["clean.txt"], "{query}: {summary}");
        assert_eq!(summary["total_articles"], 1, "{query}");
    }
    // `-source:` excludes an outlet rather than selecting it.
    let (_, summary) = search_json(&index, &["زلزال -source:nosuch"]);
    assert_eq!(summary["total_articles"], 2);
}

// UX audit (stop 23): `source:NOPE` in the query found nothing without a word, while `--source
// NOPE` named the outlets the index holds.
#[test]
fn an_unknown_source_in_the_query_is_named_with_the_known_ones() {
    let (_dirs, index) = server_fixture();
    for query in ["بوتين source:NOPE", "بوتين -source:NOPE"] {
        let (_, summary) = search_json(&index, &[query]);
        let notes = summary["notes"].to_string();
        assert!(
            notes.contains("source:NOPE: no such outlet"),
            "{query}: {notes}"
        );
        assert!(notes.contains("BBC, CNN"), "{query}: {notes}");
    }
    let (hits, _) = search_json(&index, &["بوتين source:cnn"]);
    assert_eq!(hits.len(), 1);
}

// Find-a-name issue (19): `--from ٢٠١٨-٠٧` was rejected, and month names were not dates.
#[test]
fn dates_are_read_with_arabic_digits_and_month_names() {
    let dirs = TempDirs::new();
    let corpus = dirs.corpus();
    // Texts of their own: copies of one story would fold into one result.
    for (id, time, text) in [
        (
            "J1",
            "Mon, 16 Jul 2018 10:00:00 GMT",
            "عقدت القمة في هلسنكي بين الرئيسين.",
        ),
        (
            "J2",
            "Fri, 01 Jun 2018 10:00:00 GMT",
            "أعلن البيت الأبيض موعد القمة المقبلة.",
        ),
        (
            "J3",
            "Wed, 15 Aug 2018 10:00:00 GMT",
            "ما زالت نتائج القمة موضع جدل في واشنطن.",
        ),
    ] {
        write(
            corpus.join(format!("{id}.txt")),
            format!("<DOC>\n<DOCNO>{id}</DOCNO>\n<SRC>BBC</SRC>\n<TITLE>قمة</TITLE>\n<TIME>{time}</TIME>\n<TEXT>\n{text}\n</TEXT>\n</DOC>\n"),
        );
    }
    let index = dirs.index();
    index_quietly(&corpus, &index);
    let ids = |extra: &[&str]| sorted_hit_ids(&index, extra);
    for (flags, expected) in [
        (
            vec!["--from", "٢٠١٨-٠٧", "--to", "٢٠١٨-٠٧", "قمة"],
            vec!["J1"],
        ),
        (vec!["--from", "يوليو 2018", "قمة"], vec!["J1", "J3"]),
        (vec!["--to", "حزيران ٢٠١٨", "قمة"], vec!["J2"]),
        (
            vec!["--from", "16 تموز 2018", "--to", "أوت 2018", "قمة"],
            vec!["J1", "J3"],
        ),
        (vec!["قمة date:\"جويلية 2018\""], vec!["J1"]),
        (vec!["قمة date:٢٠١٨-٠٨"], vec!["J3"]),
    ] {
        assert_eq!(ids(&flags), expected, "{flags:?}");
    }
    // A month without a year is not a date, and says what is expected.
    let refused = run(&[
        "search",
        "--index",
        path_str(&index),
        "--from",
        "يوليو",
        "قمة",
    ]);
    assert!(!refused.status.success());
    assert!(
        stderr_of(&refused).contains("يونيو 2018"),
        "{}",
        stderr_of(&refused)
    );
}

// Speed issue (18), stop 26 review: once the stemmed fields lost their positions, a word that
// analyzes into several stems (a hyphen, a dot) was still searched as a phrase there, and
// tantivy refused every such search ("phrase query on a field without positions").
#[test]
fn a_hyphenated_or_dotted_word_is_found_without_stemmed_positions() {
    let dirs = TempDirs::new();
    let corpus = dirs.corpus();
    write(
        corpus.join("a.txt"),
        "كورونا\nسجلت الوزارة إصابات جديدة بفيروس كوفيد-19 في العاصمة، وقالت إن U.S. أرسلت لقاحات.\n",
    );
    write(corpus.join("b.txt"), format!("عنوان\n{ARTICLE}\n"));
    index_quietly(&corpus, &dirs.index());
    for query in ["كوفيد-19", "U.S.", "\"كوفيد 19\"", "الحد-من"] {
        let output = run(&["search", "--index", path_str(&dirs.index()), query]);
        assert!(output.status.success(), "{query}: {}", stderr_of(&output));
    }
    let (hits, _) = search_json(&dirs.index(), &["كوفيد-19"]);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["article_id"], "a.txt");
}
