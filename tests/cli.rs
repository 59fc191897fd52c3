//! The README's promises on the shipped corpus, and `fahras analyze` as a command.

mod common;

use std::path::Path;

use common::*;

fn seed_index() -> (TempDirs, std::path::PathBuf) {
    let dirs = TempDirs::new();
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let index = dirs.index();
    ok(&[
        "index",
        path_str(&corpus),
        "--index",
        path_str(&index),
        "--quiet",
    ]);
    (dirs, index)
}

#[test]
fn the_seed_article_answers_the_readme_queries_with_highlighted_passages() {
    let (_dirs, index) = seed_index();
    for (query, word) in [("الاستراتيجي", "الاستراتيجي"), ("بوتين", "بوتين")]
    {
        let out = ok(&["search", "--index", path_str(&index), query]);
        assert!(out.contains("passages match"), "{out}");
        assert!(out.contains(&format!("[[{word}]]")), "{query}: {out}");
        assert!(out.contains("geneva-summit-2021.txt"), "{out}");
    }
    // Stemmed: the query الهجمة finds and highlights الهجمات in the article.
    let (hits, _) = search_json(&index, &["الهجمة"]);
    assert!(!hits.is_empty());
    let text = hits[0]["text"].as_str().unwrap();
    let ranges = hits[0]["highlights"].as_array().unwrap();
    assert!(ranges.iter().any(|r| {
        let (f, t) = (
            r[0].as_u64().unwrap() as usize,
            r[1].as_u64().unwrap() as usize,
        );
        text[f..t].contains("الهجمات")
    }));
    // stats reports the article.
    let stats = stats(&index);
    assert_eq!(stats["articles"], 1);
    assert_eq!(
        stats["analyzer_version"],
        fahras::analysis::ANALYZER_VERSION
    );
}

#[test]
fn analyze_prints_json_tokens_with_original_offsets() {
    let text = "وَالْهَجَمَاتُ ١٦";
    let out = ok(&["analyze", "--format", "json", text]);
    let tokens: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(tokens.len(), 2);
    assert_eq!(tokens[0]["text"], "وَالْهَجَمَاتُ");
    assert_eq!(tokens[0]["term"], "هجم");
    assert_eq!(tokens[0]["from"], 0);
    assert_eq!(tokens[0]["to"], "وَالْهَجَمَاتُ".len());
    assert_eq!(tokens[1]["term"], "16");
    assert_eq!(tokens[1]["position"], 1);
    let exact = ok(&["analyze", "--analyzer", "exact", "--format", "json", text]);
    assert!(exact.contains("\"term\":\"والهجمات\""), "{exact}");
    // Standard input.
    let mut child = fahras()
        .args(["analyze", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all("NATO".as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(String::from_utf8_lossy(&output.stdout).contains("nato"));
}

#[test]
fn a_common_short_word_is_not_expanded_even_when_its_neighbours_are_frequent() {
    let dirs = TempDirs::new();
    let corpus = dirs.corpus();
    // كن, كون and كانت are frequent; none is a spelling of كان. جينيف is a spelling of جنيف.
    for i in 0..6 {
        write(
            corpus.join(format!("d{i}.txt")),
            format!("عنوان {i}\nكن صبورا. كون الأمر مهما. كانت الأيام طويلة. كنت هناك. عقد الاجتماع في جينيف.\n\nكان الرئيس في جنيف.\n"),
        );
    }
    let index = dirs.index();
    ok(&[
        "index",
        path_str(&corpus),
        "--index",
        path_str(&index),
        "--quiet",
    ]);
    let (_, summary) = search_json(&index, &["كان"]);
    assert!(
        summary["variants"].as_object().unwrap().is_empty(),
        "{summary}"
    );
    let (_, summary) = search_json(&index, &["كانت"]);
    assert!(
        summary["variants"].as_object().unwrap().is_empty(),
        "{summary}"
    );
    let (_, summary) = search_json(&index, &["جنيف"]);
    assert_eq!(summary["variants"]["جنيف"]["جينيف"], 6, "{summary}");
}
