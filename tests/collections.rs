//! Named collections, near-duplicate grouping and exports, end to end.

mod common;

use std::path::Path;
use std::time::Duration;

use common::*;

fn article_text(seed: usize) -> String {
    format!(
        "{}\n\n{}",
        arabic_paragraph(seed, 120),
        arabic_paragraph(seed + 50, 120)
    )
}

fn write_articles(dir: &Path, prefix: &str, count: usize, seed: usize) {
    for i in 0..count {
        write(
            dir.join(format!("{prefix}{i}.txt")),
            format!(
                "عنوان {prefix} {i}\nخبر عن جنيف {prefix}{i}. {}\n",
                article_text(seed + i * 3)
            ),
        );
    }
}

#[test]
fn collections_are_added_searched_listed_removed_and_reindexed() {
    let dirs = TempDirs::new();
    let root = dirs.root.path();
    let index = dirs.index();
    write_articles(&root.join("archive-one"), "a", 3, 1);
    write_articles(&root.join("beta"), "b", 2, 100);
    ok(&[
        "index",
        path_str(&root.join("archive-one")),
        "--collection",
        "alpha",
        "--index",
        path_str(&index),
        "--quiet",
    ]);
    ok(&[
        "index",
        path_str(&root.join("beta")),
        "--index",
        path_str(&index),
        "--quiet",
    ]);
    let before = stats(&index);
    assert_eq!(before["articles"], 5);
    assert_eq!(before["collections"]["alpha"]["articles"], 3);
    assert_eq!(before["collections"]["beta"]["articles"], 2);

    let (hits, _) = search_json(
        &index,
        &[
            "--collection",
            "alpha",
            "--limit",
            "20",
            "--per-article",
            "1",
            "--all-copies",
            "جنيف",
        ],
    );
    assert_eq!(hits.len(), 3);
    assert!(hits.iter().all(|h| h["collection"] == "alpha"));
    let (hits, _) = search_json(
        &index,
        &[
            "--collection",
            "alpha",
            "--collection",
            "beta",
            "--limit",
            "20",
            "--per-article",
            "1",
            "--all-copies",
            "جنيف",
        ],
    );
    assert_eq!(hits.len(), 5);

    let list = ok(&["collections", "list", "--index", path_str(&index), "--json"]);
    let list: serde_json::Value = serde_json::from_str(&list).unwrap();
    assert_eq!(list["alpha"]["files"], 3);

    ok(&["collections", "rm", "alpha", "--index", path_str(&index)]);
    let stats_after = stats(&index);
    assert_eq!(stats_after["articles"], 2);
    assert!(stats_after["collections"].get("alpha").is_none());
    let (hits, _) = search_json(
        &index,
        &[
            "--limit",
            "20",
            "--per-article",
            "1",
            "--all-copies",
            "جنيف",
        ],
    );
    assert_eq!(hits.len(), 2);
    assert!(hits.iter().all(|h| h["collection"] == "beta"));
    assert_eq!(
        all_passages(&index).len() as u64,
        stats_after["passages"].as_u64().unwrap()
    );
    // Removing an unknown collection is an error that names it.
    let output = run(&["collections", "rm", "alpha", "--index", path_str(&index)]);
    assert!(!output.status.success());
    assert!(stderr_of(&output).contains("alpha"));

    // Re-indexing brings it back whole.
    ok(&[
        "index",
        path_str(&root.join("archive-one")),
        "--collection",
        "alpha",
        "--index",
        path_str(&index),
        "--quiet",
    ]);
    assert_eq!(stats(&index)["collections"]["alpha"]["articles"], 3);
    assert_eq!(stats(&index)["articles"], 5);
}

#[test]
fn a_killed_collection_removal_leaves_all_or_nothing() {
    let dirs = TempDirs::new();
    let root = dirs.root.path();
    let index = dirs.index();
    write_articles(&root.join("gamma"), "g", 40, 7);
    write_articles(&root.join("delta"), "d", 5, 300);
    ok(&[
        "index",
        path_str(&root.join("delta")),
        "--index",
        path_str(&index),
        "--quiet",
    ]);
    for delay_ms in [0u64, 2, 5, 10, 20, 40] {
        ok(&[
            "index",
            path_str(&root.join("gamma")),
            "--index",
            path_str(&index),
            "--quiet",
        ]);
        let mut child = fahras()
            .args(["collections", "rm", "gamma", "--index", path_str(&index)])
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        let now = stats(&index);
        let gamma = now["collections"]
            .get("gamma")
            .map_or(0, |c| c["articles"].as_u64().unwrap());
        assert!(gamma == 0 || gamma == 40, "partial removal: {gamma}");
        assert_eq!(now["collections"]["delta"]["articles"], 5);
        // The manifest and the passages agree.
        assert_eq!(
            all_passages(&index).len() as u64,
            now["passages"].as_u64().unwrap()
        );
    }
}

#[test]
fn near_duplicates_are_shown_once_with_their_copies() {
    let dirs = TempDirs::new();
    let corpus = dirs.corpus();
    let story = format!(
        "أعلنت وكالة الفضاء إطلاق مسبار جديد نحو المريخ. {}",
        article_text(11)
    );
    let quote = "وقال المتحدث إن «المفاوضات ستستمر حتى التوصل إلى اتفاق شامل ينهي الأزمة».";
    write(
        corpus.join("wire/original.txt"),
        format!("مسبار إلى المريخ\n{story}\n"),
    );
    // An exact copy in another outlet, and a copy with a new headline and a dateline.
    write(
        corpus.join("copy/same.txt"),
        format!("مسبار إلى المريخ\n{story}\n"),
    );
    write(
        corpus.join("copy2/headline.txt"),
        format!("إطلاق مسبار المريخ بنجاح\nواشنطن (رويترز) - {story}\n"),
    );
    // Two different articles that quote the same statement.
    write(
        corpus.join("other/one.txt"),
        format!(
            "مفاوضات\nمسبار {} {quote} {}\n",
            arabic_paragraph(500, 150),
            arabic_paragraph(600, 150)
        ),
    );
    write(
        corpus.join("other/two.txt"),
        format!(
            "أزمة\nمسبار {} {quote} {}\n",
            arabic_paragraph(700, 150),
            arabic_paragraph(800, 150)
        ),
    );
    let index = dirs.index();
    index_quietly(&corpus, &index);

    let (hits, _) = search_json(&index, &["--per-article", "1", "--limit", "20", "مسبار"]);
    let ids: Vec<&str> = hits
        .iter()
        .map(|h| h["article_id"].as_str().unwrap())
        .collect();
    let story_hits: Vec<&serde_json::Value> = hits
        .iter()
        .filter(|h| {
            ["wire/original.txt", "copy/same.txt", "copy2/headline.txt"]
                .contains(&h["article_id"].as_str().unwrap())
        })
        .collect();
    assert_eq!(
        story_hits.len(),
        1,
        "one of the three copies is shown: {ids:?}"
    );
    assert_eq!(
        story_hits[0]["copies"].as_array().unwrap().len(),
        2,
        "{}",
        story_hits[0]
    );
    // The articles that only share a quote are separate results without copies.
    for id in ["other/one.txt", "other/two.txt"] {
        let hit = hits
            .iter()
            .find(|h| h["article_id"] == id)
            .unwrap_or_else(|| panic!("{id} missing: {ids:?}"));
        assert!(hit["copies"].as_array().unwrap().is_empty(), "{hit}");
    }
    // --all-copies lists every copy.
    let (hits, _) = search_json(
        &index,
        &[
            "--per-article",
            "1",
            "--limit",
            "20",
            "--all-copies",
            "مسبار",
        ],
    );
    assert_eq!(hits.len(), 5);
    let text = ok(&["search", "--index", path_str(&index), "مسبار"]);
    assert!(text.contains("2 copies (outlets: "), "{text}");
}

fn export_fixture() -> (TempDirs, std::path::PathBuf) {
    let dirs = TempDirs::new();
    let corpus = dirs.corpus();
    let doc = |id: &str, title: &str, text: &str| {
        format!("<DOC>\n<DOCNO>{id}</DOCNO>\n<SRC>BBC</SRC>\n<URL>http://example.org/{id}</URL>\n<AUTHOR>سلمى, \"المراسلة\"</AUTHOR>\n<TITLE>{title}</TITLE>\n<TIME>Wed, 16 Jun 2021 10:00:00 GMT</TIME>\n<TEXT>\n{text}\n</TEXT>\n</DOC>\n")
    };
    for i in 0..30 {
        write(
            corpus.join(format!("e{i:02}.txt")),
            doc(
                &format!("E{i:02}"),
                &format!("قمة جنيف، الجزء \"{i}\""),
                &format!(
                    "عقدت القمة في جنيف، وقال المتحدث: \"نجاح\"\n{}",
                    arabic_paragraph(i * 31, 100)
                ),
            ),
        );
    }
    let index = dirs.index();
    ok(&[
        "index",
        path_str(&corpus),
        "--index",
        path_str(&index),
        "--collection",
        "summits",
        "--quiet",
    ]);
    (dirs, index)
}

#[test]
fn csv_export_reads_back_with_arabic_intact() {
    let (dirs, index) = export_fixture();
    let out = dirs.root.path().join("out.csv");
    ok(&[
        "export",
        "جنيف",
        "--index",
        path_str(&index),
        "--format",
        "csv",
        "--output",
        path_str(&out),
        "--quiet",
    ]);
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]), "UTF-8 BOM");
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let headers = reader.headers().unwrap().clone();
    assert_eq!(
        headers.iter().collect::<Vec<_>>(),
        [
            "id",
            "collection",
            "title",
            "source",
            "date",
            "url",
            "author",
            "passage",
            "citation",
            "tags",
            "notes"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 30, "every matching article, not one page");
    let first = rows.iter().find(|r| &r[0] == "E03").unwrap();
    assert_eq!(&first[1], "summits");
    assert_eq!(&first[2], "قمة جنيف، الجزء \"3\"");
    assert_eq!(&first[4], "2021-06-16");
    assert_eq!(&first[6], "سلمى, \"المراسلة\"");
    assert!(first[7].contains("[[جنيف]]"), "{}", &first[7]);
    assert_eq!(
        &first[8],
        "سلمى, \"المراسلة\". قمة جنيف، الجزء \"3\". BBC عربي, 2021-06-16. http://example.org/E03"
    );
}

#[test]
fn ris_and_jsonl_exports_carry_every_field() {
    let (_dirs, index) = export_fixture();
    let ris = ok(&[
        "export",
        "جنيف",
        "--index",
        path_str(&index),
        "--format",
        "ris",
        "--quiet",
    ]);
    let records: Vec<&str> = ris
        .split("ER  - ")
        .filter(|r| r.contains("TY  - "))
        .collect();
    assert_eq!(records.len(), 30);
    let record = records.iter().find(|r| r.contains("ID  - E07")).unwrap();
    for expected in [
        "TY  - NEWS",
        "TI  - قمة جنيف، الجزء \"7\"",
        "T2  - BBC عربي",
        "PY  - 2021",
        "DA  - 2021/06/16",
        "UR  - http://example.org/E07",
        "DB  - summits",
        "AU  - سلمى, \"المراسلة\"",
        "N1  - سلمى, \"المراسلة\". قمة جنيف، الجزء \"7\". BBC عربي, 2021-06-16. http://example.org/E07",
    ] {
        assert!(record.contains(expected), "{expected} missing in {record}");
    }
    assert!(
        record
            .lines()
            .all(|l| l.trim().is_empty() || l.get(2..6) == Some("  - ")),
        "{record}"
    );

    let jsonl = ok(&[
        "export",
        "جنيف",
        "--index",
        path_str(&index),
        "--format",
        "jsonl",
        "--collection",
        "summits",
        "--from",
        "2021",
        "--quiet",
    ]);
    let rows: Vec<serde_json::Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 30);
    for key in [
        "id",
        "collection",
        "title",
        "source",
        "date",
        "url",
        "author",
        "passage",
        "citation",
        "score",
    ] {
        assert!(rows[0].get(key).is_some(), "{key} missing: {}", rows[0]);
    }
    let none = ok(&[
        "export",
        "جنيف",
        "--index",
        path_str(&index),
        "--format",
        "jsonl",
        "--to",
        "2020",
        "--quiet",
    ]);
    assert!(none.is_empty());
}

/// `fahras export --source` keeps the outlets named, as `fahras search --source` does.
#[test]
fn export_keeps_only_the_outlets_named() {
    let (_dirs, index) = export_fixture();
    let rows = |extra: &[&str]| -> usize {
        let mut args = vec!["جنيف", "--quiet"];
        args.extend_from_slice(extra);
        let (succeeded, rows, stderr) = export_jsonl(&index, &args);
        assert!(succeeded, "{stderr}");
        rows
    };
    assert_eq!(rows(&[]), 30);
    assert_eq!(rows(&["--source", "bbc"]), 30);
    let other = run(&[
        "export",
        "جنيف",
        "--index",
        path_str(&index),
        "--source",
        "CNN",
        "--quiet",
    ]);
    assert!(!other.status.success());
    assert!(
        stderr_of(&other).contains("unknown source \"CNN\""),
        "{}",
        stderr_of(&other)
    );
    assert!(!String::from_utf8_lossy(&other.stdout).contains("E0"));
}

#[test]
fn a_blank_collection_name_is_refused_before_anything_is_indexed() {
    // `--collection ""` filed the files under a collection without a name, listed as "(? – ?)"
    // and impossible to filter by.
    let dirs = TempDirs::new();
    write(dirs.corpus().join("a.txt"), "قمة جنيف\nنص الخبر\n");
    for blank in ["", "   "] {
        let output = run(&[
            "index",
            path_str(&dirs.corpus()),
            "--index",
            path_str(&dirs.index()),
            "--collection",
            blank,
        ]);
        assert!(!output.status.success());
        assert!(
            stderr_of(&output).contains("a collection needs a name"),
            "{}",
            stderr_of(&output)
        );
    }
    assert!(!dirs.index().join("meta.json").exists());
}
