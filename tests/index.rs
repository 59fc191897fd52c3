//! `fahras index` end to end: every format and encoding, bad input, incremental runs, a killed
//! run resumed, and searching while indexing.

mod common;

use std::time::Duration;

use common::*;

const ARTICLE: &str = "قال الرئيس الروسي فلاديمير بوتين إن القمة مع نظيره الأمريكي في جنيف كانت ناجحة إلى حد كبير، وإن البلدين سيعيدان السفيرين.";

fn write_every_format(corpus: &std::path::Path) {
    write(
        corpus.join("plain/summit.txt"),
        format!("قمة جنيف\n\n{ARTICLE}\n"),
    );
    write(
        corpus.join("plain/notes.md"),
        format!("# ملاحظات القمة\n\n{ARTICLE}\n"),
    );
    write(
        corpus.join("web/page.html"),
        format!("<html><head><title>صفحة</title><meta property=\"og:title\" content=\"قمة في جنيف\"><meta property=\"article:published_time\" content=\"2021-06-16T10:00:00Z\"></head><body><nav>القائمة</nav><article><p>{ARTICLE}</p></article><script>alert(1)</script></body></html>"),
    );
    write(
        corpus.join("ant/BB-news-1-20180220.txt"),
        format!("<DOC>\n<DOCNO>BB-news-1-20180220</DOCNO>\n<URL>http://example.org/1</URL>\n<SRC>BBC</SRC>\n<CAT>news</CAT>\n<TITLE>عنوان</TITLE>\n<TIME>Tue, 20 Feb 2018 01:44:01 GMT</TIME>\n<AUTHOR></AUTHOR>\n<TEXT>\n{ARTICLE}\n</TEXT>\n</DOC>\n"),
    );
    write(
        corpus.join("giga/afp.sgml"),
        format!("<DOC id=\"AFP_1\" type=\"story\">\n<HEADLINE>أول</HEADLINE>\n<DATELINE>باريس</DATELINE>\n<TEXT>\n<P>\n{ARTICLE}\n</P>\n</TEXT>\n</DOC>\n<DOC id=\"AFP_2\">\n<HEADLINE>ثان</HEADLINE>\n<TEXT>\n<P>\n{ARTICLE}\n</P>\n</TEXT>\n</DOC>\n"),
    );
    write(
        corpus.join("json/papers.jsonl"),
        format!("{{\"id\": \"j1\", \"title\": \"أ\", \"content\": \"{ARTICLE}\", \"source\": \"aawsat\", \"date_extracted\": \"2015-07-21 02:51:32\"}}\n{{\"id\": \"j2\", \"title\": \"ب\", \"content\": \"{ARTICLE}\", \"source\": \"alriyadh\"}}\n"),
    );
    write(
        corpus.join("json/array.json"),
        format!("[{{\"headline\": \"ج\", \"body\": \"{ARTICLE}\"}}, {{\"headline\": \"د\", \"body\": \"{ARTICLE}\"}}]"),
    );
    write(
        corpus.join("tsv/passages.tsv"),
        format!("p1\tعنوان\t{ARTICLE}\np2\t{ARTICLE}\n"),
    );
    let legacy_text = format!("عنوان\n{ARTICLE}\n");
    let (cp1256, _, _) = encoding_rs::WINDOWS_1256.encode(&legacy_text);
    write(corpus.join("legacy/cp1256.txt"), cp1256);
    let (iso, _, _) = encoding_rs::ISO_8859_6.encode(&legacy_text);
    write(corpus.join("legacy/iso.txt"), iso);
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in format!("عنوان\n{ARTICLE}\n").encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    write(corpus.join("legacy/utf16.txt"), utf16);
}

#[test]
fn every_format_and_encoding_is_indexed() {
    let dirs = TempDirs::new();
    write_every_format(&dirs.corpus());
    let output = run(&[
        "index",
        path_str(&dirs.corpus()),
        "--index",
        path_str(&dirs.index()),
    ]);
    assert!(output.status.success(), "{}", stderr_of(&output));
    let stderr = stderr_of(&output);
    assert!(stderr.contains("windows-1256"), "{stderr}");
    assert!(stderr.contains("ISO-8859-6"), "{stderr}");
    let stats = stats(&dirs.index());
    // txt, md, html, ant, 2 gigaword, 2 jsonl, 2 json, 2 tsv, 3 legacy encodings.
    assert_eq!(stats["articles"], 15);
    assert_eq!(stats["sources"]["BBC"], 1);
    assert_eq!(stats["sources"]["aawsat"], 1);
    assert_eq!(stats["sources"]["legacy"], 3);
    assert_eq!(stats["first_date"], "2015-07-21");
    assert_eq!(stats["last_date"], "2021-06-16");
    let ids: Vec<String> = all_passages(&dirs.index())
        .into_iter()
        .map(|p| p.0)
        .collect();
    for id in [
        "BB-news-1-20180220",
        "AFP_1",
        "AFP_2",
        "j1",
        "j2",
        "p1",
        "p2",
        "json/array.json#1",
        "json/array.json#2",
        "plain/summit.txt",
    ] {
        assert!(ids.iter().any(|i| i == id), "missing {id} in {ids:?}");
    }
    // Every article, whatever its encoding, is found by a word of its text.
    let (hits, summary) = search_json(
        &dirs.index(),
        &[
            "--limit",
            "50",
            "--per-article",
            "1",
            "--all-copies",
            "السفيرين",
        ],
    );
    assert_eq!(summary["total_hits"], 15);
    assert_eq!(hits.len(), 15);
    // Script and navigation text of the HTML page are not indexed.
    let (_, summary) = search_json(&dirs.index(), &["alert"]);
    assert_eq!(summary["total_hits"], 0);
    let (_, summary) = search_json(&dirs.index(), &["القائمة"]);
    assert_eq!(summary["total_hits"], 0);
}

#[test]
fn bad_input_is_skipped_with_a_warning_and_the_run_succeeds() {
    let dirs = TempDirs::new();
    let corpus = dirs.corpus();
    write(corpus.join("good.txt"), format!("عنوان\n{ARTICLE}\n"));
    write(corpus.join("empty.txt"), "");
    write(
        corpus.join("image.txt"),
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10",
    );
    write(corpus.join("broken.jsonl"), format!("{{\"id\": \"ok1\", \"text\": \"{ARTICLE}\"}}\n{{\"id\": oops\n{{\"id\": \"ok2\", \"text\": \"{ARTICLE}\"}}\n"));
    write(
        corpus.join("unclosed.sgml"),
        format!("<DOC>\n<DOCNO>U1</DOCNO>\n<TEXT>\n{ARTICLE}\n"),
    );
    write(corpus.join("photo.jpg"), b"\xFF\xD8\xFF\xE0");
    // A large single-line file.
    let long_line = ARTICLE.repeat(40_000).replace('\n', " ");
    write(corpus.join("long.txt"), format!("عنوان طويل\n{long_line}"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let locked = corpus.join("locked.txt");
        write(&locked, "x");
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    }
    let output = run(&[
        "index",
        path_str(&corpus),
        "--index",
        path_str(&dirs.index()),
    ]);
    let stderr = stderr_of(&output);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.contains("empty.txt: skipped: empty file"),
        "{stderr}"
    );
    assert!(
        stderr.contains("image.txt: skipped: binary file"),
        "{stderr}"
    );
    assert!(stderr.contains("broken.jsonl:2: invalid JSON"), "{stderr}");
    assert!(stderr.contains("unclosed.sgml"), "{stderr}");
    assert!(stderr.contains("photo.jpg: skipped"), "{stderr}");
    let ids: std::collections::BTreeSet<String> = all_passages(&dirs.index())
        .into_iter()
        .map(|p| p.0)
        .collect();
    for id in ["good.txt", "ok1", "ok2", "U1", "long.txt"] {
        assert!(ids.contains(id), "{id} missing: {ids:?}");
    }
    // --strict turns the same warnings into a failure.
    let strict = run(&[
        "index",
        path_str(&corpus),
        "--index",
        path_str(&dirs.root.path().join("strict")),
        "--strict",
    ]);
    assert!(!strict.status.success());
}

fn last_run(index: &std::path::Path) -> serde_json::Value {
    stats(index)["last_run"].clone()
}

#[test]
fn incremental_runs_add_change_delete_rename_and_skip_unchanged() {
    let dirs = TempDirs::new();
    let corpus = dirs.corpus();
    let index = dirs.index();
    for i in 0..5 {
        write(
            corpus.join(format!("a{i}.txt")),
            format!("عنوان {i}\n{}\n", common::arabic_paragraph(i, 60)),
        );
    }
    let args = ["index", path_str(&corpus), "--index", path_str(&index)];
    ok(&args);
    let first = all_passages(&index);
    assert_eq!(last_run(&index)["new"], 5);

    ok(&args);
    let run = last_run(&index);
    assert_eq!(
        (
            run["unchanged"].as_u64(),
            run["new"].as_u64(),
            run["changed"].as_u64()
        ),
        (Some(5), Some(0), Some(0))
    );
    assert_eq!(all_passages(&index), first);

    // Touching a file without changing it is not a change.
    let content = std::fs::read(corpus.join("a0.txt")).unwrap();
    std::thread::sleep(Duration::from_millis(20));
    write(corpus.join("a0.txt"), &content);
    write(
        corpus.join("a1.txt"),
        format!(
            "عنوان جديد\nنص مختلف تماما عن الأصل {}\n",
            common::arabic_paragraph(99, 50)
        ),
    );
    std::fs::remove_file(corpus.join("a2.txt")).unwrap();
    std::fs::rename(corpus.join("a3.txt"), corpus.join("renamed.txt")).unwrap();
    write(
        corpus.join("a5.txt"),
        format!("عنوان 5\n{}\n", common::arabic_paragraph(5, 60)),
    );
    ok(&args);
    let run = last_run(&index);
    assert_eq!(run["changed"], 1, "{run}");
    assert_eq!(run["removed"], 2, "{run}");
    assert_eq!(run["new"], 2, "{run}");
    assert_eq!(run["unchanged"], 2, "{run}");

    // The result is exactly what a clean build of the same folder gives.
    let clean = dirs.root.path().join("clean");
    ok(&["index", path_str(&corpus), "--index", path_str(&clean)]);
    assert_eq!(all_passages(&index), all_passages(&clean));
    let ids: Vec<String> = all_passages(&index).into_iter().map(|p| p.0).collect();
    assert!(!ids.contains(&"a2.txt".to_string()));
    assert!(ids.contains(&"renamed.txt".to_string()));
}

/// A corpus of `n` two-paragraph articles.
fn write_articles(corpus: &std::path::Path, range: std::ops::Range<usize>) {
    for i in range {
        write(
            corpus.join(format!("f{i:04}.txt")),
            format!(
                "عنوان {i}\n{}\n\n{}\n",
                common::arabic_paragraph(i, 120),
                common::arabic_paragraph(i + 1, 90)
            ),
        );
    }
}

/// `fahras index` with a fault point set: the run must die (abort), not succeed.
fn index_killed_at(corpus: &std::path::Path, index: &std::path::Path, point: &str) {
    let output = fahras()
        .env("FAHRAS_FAULT", point)
        .args([
            "index",
            path_str(corpus),
            "--index",
            path_str(index),
            "--commit-every",
            "20000",
            "--threads",
            "1",
            "--quiet",
        ])
        .output()
        .unwrap();
    assert!(
        !output.status.success(),
        "{point}: the run was not killed: {}",
        stderr_of(&output)
    );
    assert!(
        stderr_of(&output).contains("fault point"),
        "{point}: {}",
        stderr_of(&output)
    );
}

/// The passages of an index and the articles a search finds (sorted: the order of equal
/// scores depends on how the index is cut into segments, which a killed run changes).
fn contents(index: &std::path::Path) -> (Vec<(String, u64, String)>, Vec<String>) {
    let (hits, _) = search_json(
        index,
        &["--limit", "1000", "--all-copies", "الرئيس", "الاقتصاد"],
    );
    let mut ids: Vec<String> = hits
        .iter()
        .map(|h| h["article_id"].as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    (all_passages(index), ids)
}

/// Asserts two indexes hold the same passages and answer the same articles, saying how they
/// differ in a few words (not thousands of lines of passages).
fn assert_same_contents(index: &std::path::Path, clean: &std::path::Path, what: &str) {
    let (passages, ids) = contents(index);
    let (clean_passages, clean_ids) = contents(clean);
    assert_eq!(ids, clean_ids, "{what}: articles found differ");
    assert!(
        passages == clean_passages,
        "{what}: {} passages, a clean build has {}; first difference: {:?}",
        passages.len(),
        clean_passages.len(),
        passages
            .iter()
            .zip(&clean_passages)
            .find(|(a, b)| a != b)
            .map(|(a, b)| (&a.0, a.1, &b.0, b.1))
    );
}

const FAULT_POINTS: [&str; 6] = [
    "after-create",
    "before-first-commit",
    "after-documents=150",
    "after-manifest-write",
    "after-commit",
    "during-merge",
];

#[test]
fn a_killed_run_leaves_a_searchable_index_and_the_next_run_finishes_the_job() {
    // Each named fault point kills the first run there (no timing involved); the next run must
    // accept the folder and give exactly what a clean build gives.
    let dirs = TempDirs::new();
    let corpus = dirs.corpus();
    write_articles(&corpus, 0..120);
    let clean = dirs.root.path().join("clean");
    index_quietly(&corpus, &clean);
    assert_eq!(all_passages(&clean).len(), 240);
    for point in FAULT_POINTS {
        let index = dirs.root.path().join(format!("killed-{point}"));
        index_killed_at(&corpus, &index, point);
        // Whatever was committed is searchable (a first run killed before its first commit
        // says so instead).
        let output = run(&["search", "--index", path_str(&index), "الرئيس"]);
        assert!(
            output.status.success() || stderr_of(&output).contains("did not finish"),
            "{point}: {}",
            stderr_of(&output)
        );
        index_quietly(&corpus, &index);
        assert_same_contents(&index, &clean, point);
        assert_eq!(stats(&index)["articles"], 120, "{point}");
    }
}

#[test]
fn a_killed_incremental_run_is_finished_by_the_next_run() {
    // Changed, removed and added files, killed at each point of the re-run: the next run must
    // not be stuck on files the killed one left (it was: FileAlreadyExists on a `.del` file).
    let dirs = TempDirs::new();
    for point in FAULT_POINTS.iter().skip(1) {
        // The re-run adds about 70 passages.
        let point = if point.starts_with("after-documents") {
            "after-documents=30"
        } else {
            point
        };
        let corpus = dirs.root.path().join(format!("corpus-{point}"));
        let index = dirs.root.path().join(format!("index-{point}"));
        write_articles(&corpus, 0..80);
        ok(&[
            "index",
            path_str(&corpus),
            "--index",
            path_str(&index),
            "--quiet",
            "--commit-every",
            "20000",
        ]);
        for i in 0..10 {
            std::fs::remove_file(corpus.join(format!("f{i:04}.txt"))).unwrap();
        }
        for i in 10..20 {
            write(
                corpus.join(format!("f{i:04}.txt")),
                format!("عنوان معدل {i}\n{}\n", common::arabic_paragraph(i + 7, 150)),
            );
        }
        write_articles(&corpus, 80..110);
        index_killed_at(&corpus, &index, point);
        index_quietly(&corpus, &index);
        let clean = dirs.root.path().join(format!("clean-{point}"));
        index_quietly(&corpus, &clean);
        assert_same_contents(&index, &clean, point);
        assert_eq!(stats(&index)["articles"], 100, "{point}");
    }
}

#[cfg(unix)]
#[test]
fn ctrl_c_commits_what_was_indexed_releases_the_lock_and_the_next_run_finishes() {
    let dirs = TempDirs::new();
    let corpus = dirs.corpus();
    let index = dirs.index();
    write_articles(&corpus, 0..100);
    // The run pauses after 60 passages (a test hook, not a sleep); a real SIGINT then arrives.
    let (mut child, mut stderr) = index_paused_after(&corpus, &index, 60, &[]);
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    // The signal is handled on a thread of its own: wait until it has set the stop flag (it
    // says so) before the run resumes, or under load the run may finish before it does.
    let mut rest = String::new();
    while !rest.contains("stopping: committing what is indexed so far") {
        assert!(
            std::io::BufRead::read_line(&mut stderr, &mut rest).unwrap() > 0,
            "the run ended without acknowledging the interrupt: {rest}"
        );
    }
    drop(child.stdin.take());
    std::io::Read::read_to_string(&mut stderr, &mut rest).unwrap();
    let status = child.wait().unwrap();
    assert!(!status.success(), "{rest}");
    assert!(rest.contains("interrupted"), "{rest}");
    // What was read is committed and searchable; the lock is free; the next run finishes.
    let kept = stats(&index)["articles"].as_u64().unwrap();
    assert!(kept > 0 && kept < 100, "{kept}: {rest}");
    let (hits, _) = search_json(&index, &["الرئيس"]);
    assert!(!hits.is_empty());
    index_quietly(&corpus, &index);
    assert_eq!(stats(&index)["articles"], 100);
    let clean = dirs.root.path().join("clean");
    index_quietly(&corpus, &clean);
    assert_eq!(all_passages(&index), all_passages(&clean));
}

#[test]
fn searching_while_indexing_keeps_working() {
    let dirs = TempDirs::new();
    let corpus = dirs.corpus();
    let index = dirs.index();
    write(corpus.join("first.txt"), format!("عنوان\n{ARTICLE}\n"));
    index_quietly(&corpus, &index);
    for i in 0..300 {
        write(
            corpus.join(format!("more/m{i:04}.txt")),
            format!("عنوان {i}\n{}\n", common::arabic_paragraph(i, 150)),
        );
    }
    let mut child = fahras()
        .args([
            "index",
            path_str(&corpus),
            "--index",
            path_str(&index),
            "--commit-every",
            "30000",
            "--quiet",
        ])
        .spawn()
        .unwrap();
    let mut searches = 0;
    while child.try_wait().unwrap().is_none() {
        let (_, summary) = search_json(&index, &["بوتين"]);
        assert!(summary["total_hits"].as_u64().unwrap() >= 1);
        searches += 1;
    }
    assert!(child.wait().unwrap().success());
    assert!(searches >= 1);
    assert_eq!(stats(&index)["articles"], 301);
}

#[test]
fn rebuild_starts_over_and_version_mismatch_is_explained() {
    let dirs = TempDirs::new();
    let corpus = dirs.corpus();
    let index = dirs.index();
    write(corpus.join("one.txt"), format!("عنوان\n{ARTICLE}\n"));
    ok(&["index", path_str(&corpus), "--index", path_str(&index)]);
    // Asking for another stemmer on an existing index says what to do.
    let output = run(&[
        "index",
        path_str(&corpus),
        "--index",
        path_str(&index),
        "--stemmer",
        "snowball",
    ]);
    assert!(!output.status.success());
    assert!(stderr_of(&output).contains("--rebuild"));
    ok(&[
        "index",
        path_str(&corpus),
        "--index",
        path_str(&index),
        "--stemmer",
        "snowball",
        "--rebuild",
    ]);
    assert_eq!(stats(&index)["stemmer"], "snowball");
    assert_eq!(stats(&index)["articles"], 1);
}

/// The manifest files in an index folder.
fn manifest_files(index: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(index)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with("fahras-manifest-"))
        .collect();
    names.sort();
    names
}

#[test]
fn the_file_list_lives_beside_meta_json_one_file_per_commit() {
    let dirs = TempDirs::new();
    let corpus = dirs.corpus();
    let index = dirs.index();
    for i in 0..20 {
        write(
            corpus.join(format!("article-{i:02}.txt")),
            format!("عنوان {i}\n{ARTICLE}\n"),
        );
    }
    ok(&["index", path_str(&corpus), "--index", path_str(&index)]);
    // meta.json (parsed by every search) names the manifest but does not list the files.
    let meta = std::fs::read_to_string(index.join("meta.json")).unwrap();
    assert!(!meta.contains("article-07.txt"), "file list in meta.json");
    let first = manifest_files(&index);
    assert_eq!(first.len(), 1, "{first:?}");
    assert!(meta.contains(&first[0]));
    let listed = std::fs::read_to_string(index.join(&first[0])).unwrap();
    assert!(listed.contains("article-07.txt"));
    assert_eq!(stats(&index)["files"], 20);

    // A new commit writes a new manifest and removes the one it replaces.
    write(corpus.join("article-20.txt"), format!("عنوان\n{ARTICLE}\n"));
    ok(&["index", path_str(&corpus), "--index", path_str(&index)]);
    let second = manifest_files(&index);
    assert_eq!(second.len(), 1, "{second:?}");
    assert_ne!(first, second);
    assert_eq!(stats(&index)["files"], 21);
    assert_eq!(stats(&index)["articles"], 21);
}

#[test]
fn manifests_left_by_a_killed_run_are_ignored_then_removed() {
    let dirs = TempDirs::new();
    let corpus = dirs.corpus();
    let index = dirs.index();
    write(corpus.join("one.txt"), format!("عنوان\n{ARTICLE}\n"));
    ok(&["index", path_str(&corpus), "--index", path_str(&index)]);
    // What a run killed before its commit leaves: a complete manifest no commit names, and a
    // half-written one.
    write(
        index.join("fahras-manifest-00000000deadbeef.json"),
        "{\"files\":",
    );
    write(index.join("fahras-manifest-00000000cafebabe.json.tmp"), "{");
    assert_eq!(stats(&index)["articles"], 1);
    let (hits, _) = search_json(&index, &["بوتين"]);
    assert_eq!(hits.len(), 1);
    write(corpus.join("two.txt"), format!("عنوان\n{ARTICLE}\n"));
    ok(&["index", path_str(&corpus), "--index", path_str(&index)]);
    assert_eq!(manifest_files(&index).len(), 1);
    assert_eq!(stats(&index)["articles"], 2);

    // A manifest deleted by hand: searching does not need it; indexing says what to do.
    let [name] = manifest_files(&index).try_into().unwrap();
    std::fs::remove_file(index.join(&name)).unwrap();
    let (hits, _) = search_json(&index, &["بوتين", "--all-copies"]);
    assert_eq!(hits.len(), 2);
    let output = run(&["index", path_str(&corpus), "--index", path_str(&index)]);
    assert!(!output.status.success());
    let stderr = stderr_of(&output);
    assert!(
        stderr.contains(&name) && stderr.contains("--rebuild"),
        "{stderr}"
    );
}

#[test]
fn an_index_of_an_earlier_layout_asks_for_a_rebuild_and_the_rebuild_works() {
    // Layout 4 added the source's own calendar day to every passage: older indexes (layout 2,
    // the manifest inside meta.json; layout 3) showed some dates a day off and must be rebuilt.
    let dirs = TempDirs::new();
    let corpus = dirs.corpus();
    let index = dirs.index();
    write(corpus.join("one.txt"), format!("عنوان\n{ARTICLE}\n"));
    write(corpus.join("two.txt"), format!("عنوان\n{ARTICLE}\n"));
    ok(&["index", path_str(&corpus), "--index", path_str(&index)]);
    // Turn it into layout 2: the whole manifest as the commit payload, no manifest file.
    let [name] = manifest_files(&index).try_into().unwrap();
    let mut manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(index.join(&name)).unwrap()).unwrap();
    manifest["format"] = 2.into();
    std::fs::remove_file(index.join(&name)).unwrap();
    let meta_path = index.join("meta.json");
    let mut meta: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&meta_path).unwrap()).unwrap();
    meta["payload"] = manifest.to_string().into();
    std::fs::write(&meta_path, meta.to_string()).unwrap();

    for command in [&["stats"][..], &["search", "بوتين"][..]] {
        let mut args = command.to_vec();
        args.extend(["--index", path_str(&index)]);
        let output = run(&args);
        assert!(!output.status.success());
        let stderr = stderr_of(&output);
        assert!(
            stderr.contains("layout version 2") && stderr.contains("--rebuild"),
            "{stderr}"
        );
    }
    ok(&[
        "index",
        path_str(&corpus),
        "--index",
        path_str(&index),
        "--rebuild",
    ]);
    assert_eq!(stats(&index)["files"], 2);
    let (hits, _) = search_json(&index, &["بوتين", "--all-copies"]);
    assert_eq!(hits.len(), 2);
}

/// The tokenizer's memo (`analysis::tokenizer::replays`) relies on tantivy indexing a passage's
/// exact field right before its stemmed field, on one thread. Were that to change, indexing would
/// stay correct but cut every text twice: this test says so instead.
#[test]
fn indexing_cuts_each_text_once_for_its_exact_and_stemmed_fields() {
    let dirs = TempDirs::new();
    let corpus = dirs.corpus();
    write_articles(&corpus, 0..20);
    let index = dirs.root.path().join("index");
    let before = fahras::analysis::tokenizer::replays();
    let options = fahras::index::writer::IndexOptions::new(vec![corpus], index.clone());
    fahras::index::writer::run(&options, &fahras::index::writer::Silent).unwrap();
    let replayed = fahras::analysis::tokenizer::replays() - before;
    let passages = all_passages(&index).len() as u64;
    // Title and text: two replays per passage (other tests of this binary only add to the count).
    assert!(
        replayed >= 2 * passages,
        "{replayed} replays for {passages} passages"
    );
}

#[test]
fn an_index_of_an_earlier_analyzer_names_the_command_that_rebuilds_it_with_its_settings() {
    // Analyzer version 3 reads بال, فال … as possibly the word's own letters: an index built
    // before must be rebuilt, and the message said only `fahras index --rebuild`, which
    // re-reads the default corpus folder with the default settings.
    let dirs = TempDirs::new();
    let corpus = dirs.corpus();
    let index = dirs.index();
    write(corpus.join("one.txt"), format!("عنوان\n{ARTICLE}\n"));
    ok(&[
        "index",
        path_str(&corpus),
        "--index",
        path_str(&index),
        "--passage-min",
        "20",
    ]);
    make_analyzer_version_2(&index);

    let output = run(&["search", "بوتين", "--index", path_str(&index)]);
    assert!(!output.status.success());
    let stderr = stderr_of(&output);
    let command = stderr
        .split('`')
        .nth(1)
        .unwrap_or_else(|| panic!("no command in {stderr}"));
    assert_eq!(
        command,
        format!(
            "fahras index --rebuild --index {} --passage-min 20 {}",
            path_str(&index),
            corpus.canonicalize().unwrap().display()
        ),
        "{stderr}"
    );
    // The command, as given, rebuilds it with the same settings and collection.
    let args: Vec<&str> = command.split(' ').skip(1).collect();
    ok(&args);
    assert_eq!(stats(&index)["articles"], 1);
    let collection = corpus.file_name().unwrap().to_str().unwrap();
    assert_eq!(stats(&index)["collections"][collection]["articles"], 1);
    // An index run asking for other passage sizes is refused: these are the index's own.
    let index_with = |min: &str| {
        run(&[
            "index",
            path_str(&corpus),
            "--index",
            path_str(&index),
            "--passage-min",
            min,
        ])
    };
    assert!(index_with("20").status.success());
    assert!(!index_with("21").status.success());
}

/// Marks the index's last commit as made by analyzer version 2.
fn make_analyzer_version_2(index: &std::path::Path) {
    let meta_path = index.join("meta.json");
    let mut meta: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&meta_path).unwrap()).unwrap();
    let mut header: serde_json::Value =
        serde_json::from_str(meta["payload"].as_str().unwrap()).unwrap();
    header["analyzer_version"] = 2.into();
    meta["payload"] = header.to_string().into();
    std::fs::write(&meta_path, meta.to_string()).unwrap();
}

#[test]
fn the_printed_rebuild_keeps_a_file_in_the_collection_it_was_filed_under() {
    // A file filed under its own collection, then its folder under another: the commands
    // listed the folder first, whose run filed the file under the folder's collection.
    let dirs = TempDirs::new();
    let corpus = dirs.corpus();
    let index = dirs.index();
    write(corpus.join("n01.txt"), format!("عنوان\n{ARTICLE}\n"));
    write(
        corpus.join("n02.txt"),
        format!("عنوان آخر\n{ARTICLE} ثانية\n"),
    );
    let index_with = |extra: &[&str]| {
        let mut args = vec!["index", "--index", path_str(&index)];
        args.extend(extra);
        ok(&args);
    };
    let n01 = corpus.join("n01.txt");
    index_with(&["--collection", "Special", path_str(&n01)]);
    index_with(&["--collection", "Other", path_str(&corpus)]);
    assert_eq!(stats(&index)["collections"]["Special"]["articles"], 1);
    // The index has vectors: the advice says how to put them back.
    std::fs::create_dir_all(index.join("vectors")).unwrap();
    make_analyzer_version_2(&index);

    let output = run(&["stats", "--index", path_str(&index)]);
    assert!(!output.status.success());
    let stderr = stderr_of(&output);
    let commands: Vec<&str> = stderr
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|c| c.starts_with("fahras index"))
        .collect();
    assert_eq!(commands.len(), 2, "{stderr}");
    assert!(
        stderr.contains(&format!("`fahras embed --index {}`", path_str(&index))),
        "{stderr}"
    );
    assert!(stderr.contains("--json-field"), "{stderr}");
    for command in commands {
        let args: Vec<&str> = command.split(' ').skip(1).collect();
        ok(&args);
    }
    let collections = &stats(&index)["collections"];
    assert_eq!(collections["Special"]["articles"], 1, "{collections}");
    assert_eq!(collections["Other"]["articles"], 1, "{collections}");
}

#[test]
fn index_without_a_folder_and_no_corpus_here_says_what_to_name() {
    let dirs = TempDirs::new();
    let index = dirs.index();
    let output = fahras()
        .args(["index", "--index", path_str(&index)])
        .current_dir(index.parent().unwrap())
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = stderr_of(&output);
    assert!(
        stderr.contains("name the folders or files to index"),
        "{stderr}"
    );
}
