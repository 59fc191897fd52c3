//! Results a journalist can work with: one entry per article, counts in articles, date sorts,
//! facets, the timeline, Lucene's operators, phrase and title highlights.

mod common;

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use common::*;

fn doc(id: &str, src: &str, time: &str, title: &str, text: &str) -> String {
    format!(
        "<DOC>\n<DOCNO>{id}</DOCNO>\n<SRC>{src}</SRC>\n<CAT>politics</CAT>\n<TITLE>{title}</TITLE>\n<TIME>{time}</TIME>\n<TEXT>\n{text}\n</TEXT>\n</DOC>\n"
    )
}

/// 60 articles of three passages each, every passage with the word قمة, over three outlets and
/// the summer of 2018, plus a few articles written to test operators and phrases.
fn archive() -> (TempDirs, PathBuf) {
    let dirs = TempDirs::new();
    let corpus = dirs.corpus();
    let outlets = ["BBC", "CNN", "alarabiya"];
    for i in 0..60 {
        // Two articles a day (A00 and A10 on 1 June…): ties for the date orders.
        let day = 1 + i % 10;
        let month = ["Jun", "Jul", "Aug"][i / 20];
        let time = format!("Mon, {day:02} {month} 2018 10:00:00 +0300");
        let paragraphs: Vec<String> = (0..3)
            .map(|p| format!("قمة {} {}", varied_paragraph(i * 3 + p, 100), i * 10 + p))
            .collect();
        write(
            corpus.join(format!("a{i:02}.txt")),
            doc(
                &format!("A{i:02}"),
                outlets[i % 3],
                &time,
                &format!("عنوان رقم {i}"),
                &paragraphs.join("\n"),
            ),
        );
    }
    write(
        corpus.join("p1.txt"),
        doc(
            "P1",
            "BBC",
            "Tue, 17 Jul 2018 10:00:00 +0300",
            "قمة هلسنكي بين ترامب وبوتين",
            "انعقدت قمة هلسنكي بين الرئيسين ترامب وبوتين وسط ترقب.",
        ),
    );
    write(
        corpus.join("p2.txt"),
        doc(
            "P2",
            "CNN",
            "Wed, 18 Jul 2018 10:00:00 +0300",
            "بوتين في موسكو",
            "استقبل بوتين ضيوفه في موسكو، وتحدث عن هلسنكي والقمة الأخيرة.",
        ),
    );
    write(
        corpus.join("p3.txt"),
        doc(
            "P3",
            "CNN",
            "Thu, 19 Jul 2018 10:00:00 +0300",
            "ترامب يغرد",
            "كتب ترامب تغريدة جديدة عن التجارة.",
        ),
    );
    let index = dirs.index();
    index_quietly(&corpus, &index);
    (dirs, index)
}

/// A paragraph of `words` words drawn from a wide vocabulary (articles that share few word
/// triples, so none is a copy of another).
fn varied_paragraph(seed: usize, words: usize) -> String {
    const WORDS: [&str; 40] = [
        "الرئيس",
        "الروسي",
        "جنيف",
        "الاتفاق",
        "النووي",
        "الحكومة",
        "البرلمان",
        "الانتخابات",
        "الاقتصاد",
        "الأسواق",
        "المفاوضات",
        "السلام",
        "الأمن",
        "المنطقة",
        "العاصمة",
        "وزير",
        "الخارجية",
        "المتحدث",
        "الرسمي",
        "التعاون",
        "الدولي",
        "المجلس",
        "الشعب",
        "النفط",
        "الطاقة",
        "التجارة",
        "الحدود",
        "اللاجئين",
        "الجيش",
        "الشرطة",
        "المحكمة",
        "القانون",
        "الصحة",
        "التعليم",
        "المدارس",
        "الجامعة",
        "الرياضة",
        "الفريق",
        "المباراة",
        "الملعب",
    ];
    let mut state = (seed as u64)
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    (0..words)
        .map(|_| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            WORDS[(state >> 33) as usize % WORDS.len()]
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn search(index: &Path, args: &[&str]) -> (Vec<serde_json::Value>, serde_json::Value) {
    search_json(index, args)
}

fn ids(hits: &[serde_json::Value]) -> Vec<String> {
    hits.iter()
        .map(|h| h["article_id"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn one_entry_per_article_and_paging_never_repeats_an_article() {
    let (_dirs, index) = archive();
    let mut seen = HashSet::new();
    for page in 0..5 {
        let offset = (page * 10).to_string();
        let (hits, summary) = search(&index, &["--offset", &offset, "قمة"]);
        assert_eq!(hits.len(), 10, "page {page}");
        for hit in &hits {
            let id = hit["article_id"].as_str().unwrap().to_owned();
            assert!(seen.insert(id.clone()), "{id} again on page {page}");
            if id.starts_with('A') {
                // Each article has three passages with قمة: one shown, two more.
                assert_eq!(hit["more_passages"], 2, "{hit}");
            }
        }
        // 60 articles of three passages, P1 (قمة) and P2 (والقمة: the same stem).
        assert_eq!(summary["total_articles"], 62, "{summary}");
        assert_eq!(summary["total_hits"], 182, "{summary}");
    }
    // More passages per article when asked, still never an article on two pages.
    let (hits, _) = search(&index, &["--per-article", "3", "--limit", "30", "قمة"]);
    let mut per_article: BTreeMap<String, u64> = BTreeMap::new();
    for hit in &hits {
        *per_article
            .entry(hit["article_id"].as_str().unwrap().to_owned())
            .or_default() += 1;
    }
    assert!(per_article.values().all(|&n| n <= 3), "{per_article:?}");
    for hit in &hits {
        let id = hit["article_id"].as_str().unwrap();
        if id.starts_with('A') && per_article[id] == 3 {
            assert_eq!(hit["more_passages"], 0, "{hit}");
        }
    }
}

#[test]
fn counts_are_in_articles_first_in_text_output() {
    let (_dirs, index) = archive();
    let out = ok(&["search", "--index", path_str(&index), "قمة"]);
    assert!(out.contains("62 articles (182 passages) match"), "{out}");
    assert!(
        out.contains("+ 2 more passages match in this article"),
        "{out}"
    );
}

#[test]
fn newest_and_oldest_orders_use_the_publication_date_with_ties_by_id() {
    let (_dirs, index) = archive();
    let (newest, _) = search(&index, &["--sort", "newest", "--limit", "62", "قمة"]);
    let (oldest, _) = search(&index, &["--sort", "oldest", "--limit", "62", "قمة"]);
    let dates = |hits: &[serde_json::Value]| -> Vec<String> {
        hits.iter()
            .map(|h| h["date"].as_str().unwrap().to_owned())
            .collect()
    };
    let mut sorted = dates(&newest);
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates(&newest), sorted);
    let mut sorted = dates(&oldest);
    sorted.sort();
    assert_eq!(dates(&oldest), sorted);
    assert_eq!(newest.len(), 62);
    // Ties: A00 and A10 share 1 June; equal dates come by id.
    let first_two: Vec<String> = ids(&oldest[..2]);
    assert_eq!(first_two, ["A00", "A10"], "{:?}", dates(&oldest[..2]));
    // Paging in date order never repeats an article either.
    let (page1, _) = search(&index, &["--sort", "newest", "--limit", "10", "قمة"]);
    let (page2, _) = search(
        &index,
        &["--sort", "newest", "--limit", "10", "--offset", "10", "قمة"],
    );
    let mut all = ids(&page1);
    all.extend(ids(&page2));
    assert_eq!(all, ids(&newest[..20]));
    // An unknown order is refused.
    let output = run(&[
        "search",
        "--index",
        path_str(&index),
        "--sort",
        "date",
        "قمة",
    ]);
    assert!(!output.status.success());
}

#[test]
fn facets_count_articles_as_a_hand_count_does() {
    let (_dirs, index) = archive();
    let (_, summary) = search(&index, &["--facets", "قمة"]);
    let as_map = |name: &str| -> BTreeMap<String, u64> {
        facet_counts(&summary, name).into_iter().collect()
    };
    // By hand: A00..A59 alternate BBC, CNN, alarabiya (20 each); P1 (BBC) and P2 (CNN, والقمة)
    // match too.
    assert_eq!(
        as_map("source"),
        BTreeMap::from([
            ("BBC".to_owned(), 21),
            ("CNN".to_owned(), 21),
            ("alarabiya".to_owned(), 20)
        ])
    );
    // 20 articles a month, P1 and P2 in July.
    assert_eq!(
        as_map("month"),
        BTreeMap::from([
            ("2018-06".to_owned(), 20),
            ("2018-07".to_owned(), 22),
            ("2018-08".to_owned(), 20)
        ])
    );
    assert_eq!(as_map("year"), BTreeMap::from([("2018".to_owned(), 62)]));
    assert_eq!(as_map("category")["politics"], 62);
    // Counts follow the filters: a facet value selected is the same as the filter.
    let (hits, summary) = search(&index, &["--facets", "--source", "CNN", "قمة"]);
    assert_eq!(summary["total_articles"], 21);
    assert_eq!(summary["facets"]["source"][0]["articles"], 21);
    assert!(hits.iter().all(|h| h["source"] == "CNN"));
}

#[test]
fn the_histogram_counts_articles_by_their_local_day() {
    let dirs = TempDirs::new();
    let corpus = dirs.corpus();
    // 00:30 +0400 on 1 August is still 31 July in UTC: it belongs to August's bucket.
    write(
        corpus.join("late.txt"),
        doc(
            "L1",
            "BBC",
            "Wed, 01 Aug 2018 00:30:00 +0400",
            "قمة",
            "قمة في الصباح الباكر.",
        ),
    );
    write(
        corpus.join("early.txt"),
        doc(
            "E1",
            "BBC",
            "Tue, 31 Jul 2018 12:00:00 +0000",
            "قمة",
            "قمة في منتصف النهار.",
        ),
    );
    let index = dirs.index();
    index_quietly(&corpus, &index);
    let (_, summary) = search(&index, &["--interval", "month", "قمة"]);
    let buckets = summary["histogram"]["buckets"].as_array().unwrap();
    assert_eq!(buckets.len(), 2, "{summary}");
    assert_eq!(buckets[0]["from"], "2018-07-01");
    assert_eq!(buckets[0]["to"], "2018-07-31");
    assert_eq!(buckets[0]["articles"], 1);
    assert_eq!(buckets[1]["from"], "2018-08-01");
    assert_eq!(buckets[1]["articles"], 1);
    let (_, summary) = search(&index, &["--histogram", "قمة"]);
    assert_eq!(summary["histogram"]["interval"], "day");
    // A bar's from/to are the filter that selects it.
    let (hits, _) = search(
        &index,
        &["--from", "2018-08-01", "--to", "2018-08-31", "قمة"],
    );
    assert_eq!(ids(&hits), ["L1"]);
    let out = ok(&["search", "--index", path_str(&index), "--histogram", "قمة"]);
    assert!(out.contains("timeline (per day): 2018-07-31"), "{out}");
}

#[test]
fn lucene_operators_work_and_arabic_words_are_never_operators() {
    let (_dirs, index) = archive();
    let (hits, _) = search(&index, &["بوتين NOT ترامب"]);
    assert_eq!(ids(&hits), ["P2"]);
    let (hits, _) = search(&index, &["بوتين", "!ترامب"]);
    assert_eq!(ids(&hits), ["P2"]);
    let (hits, _) = search(&index, &["--operator", "and", "بوتين AND ترامب"]);
    assert_eq!(ids(&hits), ["P1"]);
    let (hits, _) = search(&index, &["بوتين && ترامب"]);
    assert_eq!(ids(&hits), ["P1"]);
    let mut either = ids(&search(&index, &["موسكو || تغريدة"]).0);
    either.sort();
    assert_eq!(either, ["P2", "P3"]);
    let (hits, summary) = search(&index, &["AND"]);
    assert!(hits.is_empty());
    assert_eq!(summary["notes"].as_array().unwrap().len(), 1);
    // A malformed query keeps its words.
    let (hits, summary) = search(&index, &["\"قمة هلسنكي (بوتين OR"]);
    assert!(ids(&hits).contains(&"P1".to_owned()), "{summary}");
}

#[test]
fn a_phrase_is_highlighted_as_one_span_and_titles_are_highlighted() {
    let (_dirs, index) = archive();
    let (hits, _) = search(&index, &["\"قمة هلسنكي\""]);
    assert_eq!(ids(&hits), ["P1"]);
    let hit = &hits[0];
    let text = hit["text"].as_str().unwrap();
    let spans: Vec<&str> = hit["highlights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &text[r[0].as_u64().unwrap() as usize..r[1].as_u64().unwrap() as usize])
        .collect();
    assert_eq!(spans, ["قمة هلسنكي"]);
    let title = hit["title"].as_str().unwrap();
    let title_spans: Vec<&str> = hit["title_highlights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &title[r[0].as_u64().unwrap() as usize..r[1].as_u64().unwrap() as usize])
        .collect();
    assert_eq!(title_spans, ["قمة هلسنكي"]);
    // A word query marks the title too.
    let (hits, _) = search(&index, &["موسكو"]);
    assert_eq!(hits[0]["title_highlights"].as_array().unwrap().len(), 1);
}

#[test]
fn a_category_facet_value_is_a_filter_too() {
    let (_dirs, index) = archive();
    let (_, all) = search(&index, &["قمة"]);
    let (_, politics) = search(&index, &["--category", "politics", "قمة"]);
    assert_eq!(politics["total_articles"], all["total_articles"]);
    let output = run(&[
        "search",
        "--index",
        path_str(&index),
        "--category",
        "sport",
        "قمة",
    ]);
    assert!(!output.status.success());
    assert!(
        stderr_of(&output).contains("unknown category \"sport\"; the index has: politics"),
        "{}",
        stderr_of(&output)
    );
}
