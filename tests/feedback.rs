//! Pseudo-relevance feedback (`--prf`) end to end: the top articles of a first search, read
//! whole, add their own terms to the query.

mod common;

use std::path::PathBuf;

use common::*;

/// Two articles about an earthquake (زلزال in their first passage) that say تسونامي twice in a
/// later passage only, an article that says تسونامي but not زلزال, and thirty fillers (so that
/// تسونامي is in fewer than a tenth of the passages).
fn fixture() -> (TempDirs, PathBuf) {
    let dirs = TempDirs::new();
    let corpus = dirs.corpus();
    for i in 1..=2 {
        write(
            corpus.join(format!("quake{i}.txt")),
            format!(
                "خبر {i}\nزلزال قوي ضرب الجزيرة صباح اليوم. {}\n\n{} وتبعته موجات تسونامي ثم تسونامي ثان.\n",
                arabic_paragraph(i, 150),
                arabic_paragraph(i + 1, 150),
            ),
        );
    }
    write(
        corpus.join("wave.txt"),
        "تقرير\nحذرت السلطات من تسونامي على سواحل المحيط.\n",
    );
    for i in 0..30 {
        write(
            corpus.join(format!("filler{i}.txt")),
            format!("عنوان {i}\n{}\n", arabic_paragraph(i + 10, 60)),
        );
    }
    let index = dirs.index();
    index_quietly(&corpus, &index);
    (dirs, index)
}

fn ids(index: &std::path::Path, extra: &[&str]) -> Vec<String> {
    sorted_hit_ids(index, extra)
        .into_iter()
        .filter(|id| !id.starts_with("filler"))
        .map(|id| id.trim_end_matches(".txt").to_owned())
        .collect()
}

#[test]
fn feedback_adds_a_term_from_a_later_passage_of_the_top_articles() {
    let (_dirs, index) = fixture();
    let feedback = ["--prf", "on", "--prf-docs", "2", "--prf-terms", "1"];
    assert_eq!(ids(&index, &["زلزال"]), ["quake1", "quake2"]);
    let mut args = vec!["زلزال"];
    args.extend(feedback);
    // تسونامي is not in the passages that match زلزال: only whole articles suggest it.
    assert_eq!(ids(&index, &args), ["quake1", "quake2", "wave"]);
    // No terms, no expansion.
    let mut args = vec!["زلزال"];
    args.extend(["--prf", "on", "--prf-terms", "0"]);
    assert_eq!(ids(&index, &args), ["quake1", "quake2"]);
}

#[test]
fn topical_feedback_leaves_questions_and_long_queries_alone() {
    let (_dirs, index) = fixture();
    let topical = ["--prf", "topical", "--prf-docs", "2", "--prf-terms", "1"];
    let with = |query: &[&str]| {
        let mut args = query.to_vec();
        args.extend(topical);
        ids(&index, &args)
    };
    assert_eq!(with(&["زلزال"]), ["quake1", "quake2", "wave"]);
    assert_eq!(with(&["زلزال؟"]), ["quake1", "quake2"]);
    assert_eq!(with(&["هل", "زلزال"]), ["quake1", "quake2"]);
    // Five parts: longer than a topical query.
    assert_eq!(
        with(&["زلزال", "قوي", "ضرب", "الجزيرة", "صباح"]),
        ["quake1", "quake2"]
    );
}
