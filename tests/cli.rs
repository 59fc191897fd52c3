//! The README's promises on the shipped corpus, and `fahras analyze` as a command.

mod common;

use std::path::Path;

use common::*;

fn seed_index() -> (TempDirs, std::path::PathBuf) {
    let dirs = TempDirs::new();
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let index = dirs.index();
    index_quietly(&corpus, &index);
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
    // و before the article may be the word's own letter: both readings, at one position.
    assert_eq!(tokens.len(), 3);
    for reading in &tokens[..2] {
        assert_eq!(reading["text"], "وَالْهَجَمَاتُ");
        assert_eq!(reading["from"], 0);
        assert_eq!(reading["to"], "وَالْهَجَمَاتُ".len());
        assert_eq!(reading["position"], 0);
    }
    assert_eq!(tokens[0]["term"], "والهجم");
    assert_eq!(tokens[1]["term"], "هجم");
    assert_eq!(tokens[2]["term"], "16");
    assert_eq!(tokens[2]["position"], 1);
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
    index_quietly(&corpus, &index);
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

#[test]
fn eval_indexes_a_tsv_collection_and_reports_trec_measures() {
    let dirs = TempDirs::new();
    let root = dirs.root.path();
    write(
        root.join("collection.tsv"),
        "d1\tجنيف\tعقدت القمة في جنيف بين الرئيسين\nd2\tموسكو\tالطقس بارد في موسكو هذا الشتاء\nd3\tالنفط\tارتفعت أسعار النفط في الأسواق\n",
    );
    write(
        root.join("queries.tsv"),
        "q1\tأين عقدت القمة؟\nq2\tأسعار النفط\nq3\tسؤال بلا إجابة\n",
    );
    write(
        root.join("qrels.txt"),
        "q1 0 d1 1\nq2 0 d3 1\nq2 0 d2 0\nq3 0 -1 0\n",
    );
    let run_path = root.join("run.txt");
    let out = ok(&[
        "eval",
        "--collection",
        path_str(&root.join("collection.tsv")),
        "--queries",
        path_str(&root.join("queries.tsv")),
        "--qrels",
        path_str(&root.join("qrels.txt")),
        "--run",
        path_str(&run_path),
        "--json",
    ]);
    let value: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    let summary = &value["summary"];
    assert_eq!(summary["queries"], 3);
    assert_eq!(summary["evaluated"], 2);
    assert_eq!(summary["skipped"], 1);
    // Both answers are ranked first: every measure is 1.
    for measure in ["map_10", "mrr_10", "ndcg_10", "recall_10", "recall_100"] {
        assert_eq!(summary["mean"][measure], 1.0, "{measure}: {value}");
    }
    let run = std::fs::read_to_string(&run_path).unwrap();
    assert!(run.lines().any(|l| l.starts_with("q1 Q0 d1 1 ")), "{run}");
    // The text report names the measures and the skipped query.
    let text = ok(&[
        "eval",
        "--collection",
        path_str(&root.join("collection.tsv")),
        "--queries",
        path_str(&root.join("queries.tsv")),
        "--qrels",
        path_str(&root.join("qrels.txt")),
    ]);
    assert!(
        text.contains("MAP@10 1.0000") && text.contains("skipped 1"),
        "{text}"
    );
}
