//! Typos and "did you mean" on a fixture archive: the list in `tests/typos.tsv` (40 real
//! misspellings of ANT-style words, 20 words that must stay as typed), its precision and recall,
//! the regression of issue 19 (هلنسكي found nothing), and the outputs that report it.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use common::*;
use fahras::search::{Engine, SearchResults, SearchSettings};

/// Passages holding واشنطن: enough for a rarer spelling found once to get a suggestion.
const FREQUENT: usize = 160;

/// One row of `tests/typos.tsv`.
struct Row {
    typed: String,
    meant: Option<String>,
    kind: String,
}

fn rows() -> Vec<Row> {
    labelled_rows("typos.tsv", 4)
        .into_iter()
        .map(|cells| {
            let meant = match cells[2].as_str() {
                "fix" => Some(cells[1].clone()),
                "keep" => None,
                other => panic!("{other}: fix or keep"),
            };
            Row {
                typed: cells[0].clone(),
                meant,
                kind: cells[3].clone(),
            }
        })
        .collect()
}

/// The fixture archive: every word the list means in four articles (واشنطن in [`FREQUENT`]),
/// one archive typo (واشنكن, once), the long forms of the short words, Latin brand names, and
/// real words near the meant ones (clitic forms, other words of the same root).
fn write_corpus(corpus: &Path) {
    let mut meant: BTreeSet<String> = BTreeSet::new();
    for row in rows() {
        meant.extend(row.meant);
    }
    let mut n = 0;
    let mut article = |text: &str| {
        n += 1;
        write(
            corpus.join(format!("a{n:03}.txt")),
            format!("خبر\nنشرت الصحيفة تقريرا مفصلا {text} في عددها رقم {n}.\n"),
        );
    };
    for word in &meant {
        let copies = if word == "واشنطن" { FREQUENT } else { 4 };
        for _ in 0..copies {
            article(&format!("عن {word}"));
        }
    }
    // As the archive writes it: diacritics and ى (highlights must land on this text).
    article("عن قمة هِلْسِنْكى بين الرئيسين");
    article("عن واشنكن");
    for word in ["بايدن", "لبنان", "إيران", "موسكو", "غزة"] {
        article(&format!("عن {word}"));
    }
    article("عن شركات Google و Facebook و Twitter و Samsung و Huawei");
    for word in ["والمفاوضات", "بالانتخابات", "السعوديين", "الانتخابية"]
    {
        article(&format!("عن {word}"));
    }
}

struct Fixture {
    _dirs: TempDirs,
    index: std::path::PathBuf,
}

fn fixture() -> Fixture {
    let dirs = TempDirs::new();
    write_corpus(&dirs.corpus());
    index_quietly(&dirs.corpus(), &dirs.index());
    Fixture {
        index: dirs.index(),
        _dirs: dirs,
    }
}

fn search(engine: &mut Engine, query: &str) -> SearchResults {
    engine
        .search(&SearchSettings {
            query: query.to_owned(),
            ..SearchSettings::default()
        })
        .expect("search")
}

/// The normalized words the first hit highlights, read from its text at the ranges given.
fn highlighted(results: &SearchResults) -> Vec<String> {
    results
        .hits
        .first()
        .map(|hit| {
            hit.highlights
                .iter()
                .map(|&[from, to]| normalized(&hit.text[from..to]))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn the_typo_list_is_corrected_with_high_precision_and_recall() {
    let fixture = fixture();
    let mut engine = Engine::new(fahras::index::open(&fixture.index).unwrap()).unwrap();
    let rows = rows();
    assert_eq!(rows.iter().filter(|r| r.meant.is_some()).count(), 40);
    assert_eq!(rows.iter().filter(|r| r.meant.is_none()).count(), 20);
    let (mut right, mut wrong, mut fixed, mut failures) = (0, 0, 0, Vec::new());
    for row in &rows {
        let results = search(&mut engine, &row.typed);
        let suggestion = results.suggestions.get(&row.typed);
        match (&row.meant, suggestion) {
            (Some(meant), Some(suggested)) if *suggested == normalized(meant) => {
                right += 1;
                fixed += 1;
                // Whether searched instead or only suggested, the page holds the word meant.
                let found = if results.searched_instead.contains(&row.typed) {
                    highlighted(&results)
                } else {
                    highlighted(&search(&mut engine, suggested))
                };
                assert!(
                    found.contains(&normalized(meant)),
                    "{}: {found:?}",
                    row.typed
                );
            }
            (Some(meant), None) if highlighted(&results).contains(&normalized(meant)) => {
                // Found as typed: the normalizer or the stemmer already reads it as meant.
                fixed += 1;
            }
            (_, Some(suggested)) => {
                wrong += 1;
                failures.push(format!("{} ({}) → {suggested}", row.typed, row.kind));
            }
            (Some(_), None) => failures.push(format!("{} ({}): missed", row.typed, row.kind)),
            (None, None) => assert!(results.searched_instead.is_empty()),
        }
    }
    let precision = right as f64 / (right + wrong).max(1) as f64;
    let recall = fixed as f64 / 40.0;
    println!("typos: precision {precision:.3}, recall {recall:.3}; {failures:?}");
    assert!(precision >= 0.95, "precision {precision:.3}: {failures:?}");
    assert!(recall >= 0.85, "recall {recall:.3}: {failures:?}");
}

/// Issue 19: `هلنسكي` (for هلسنكي) found nothing on the ANT archive.
#[test]
fn regression_هلنسكي_found_nothing() {
    let fixture = fixture();
    let mut engine = Engine::new(fahras::index::open(&fixture.index).unwrap()).unwrap();
    let results = search(&mut engine, "قمة هلنسكي");
    assert_eq!(
        results.suggestions,
        BTreeMap::from([("هلنسكي".to_owned(), "هلسنكي".to_owned())])
    );
    assert!(results.searched_instead.contains("هلنسكي"));
    // The article with both words ranks first, its highlights on the text as written (the two
    // neighbours marked as one run).
    let hit = &results.hits[0];
    let marked: Vec<&str> = hit
        .highlights
        .iter()
        .map(|&[a, b]| &hit.text[a..b])
        .collect();
    assert_eq!(marked, ["قمة هِلْسِنْكى"], "{}", hit.text);
    // A word that finds something keeps its results and is only given a suggestion.
    let rare = search(&mut engine, "واشنكن");
    assert_eq!(rare.suggestions["واشنكن"], "واشنطن");
    assert!(rare.searched_instead.is_empty());
    assert_eq!(rare.total_articles, 1);
}

/// Regression: an excluded word the archive lacks excluded nothing, although a wanted one is
/// searched as its correction (`-هلنسكي` kept the article about the Helsinki summit).
#[test]
fn regression_an_excluded_typo_excluded_nothing() {
    let fixture = fixture();
    let mut engine = Engine::new(fahras::index::open(&fixture.index).unwrap()).unwrap();
    let all = search(&mut engine, "قمة");
    let without = search(&mut engine, "قمة -هلنسكي");
    assert!(all.total_articles > 0);
    assert_eq!(
        without.total_articles,
        all.total_articles - 1,
        "{:?}",
        without.notes
    );
    assert_eq!(without.suggestions["هلنسكي"], "هلسنكي");
}

#[test]
fn the_cli_says_did_you_mean_and_its_json_carries_the_suggestions() {
    let fixture = fixture();
    let index = path_str(&fixture.index);
    let text = ok(&["search", "--index", index, "هلنسكي"]);
    assert!(
        text.contains("did you mean: هلسنكي? (هلنسكي finds nothing: searched هلسنكي instead)"),
        "{text}"
    );
    let text = ok(&["search", "--index", index, "واشنكن"]);
    assert!(
        text.contains("did you mean: واشنطن? (instead of واشنكن)"),
        "{text}"
    );
    let json = ok(&["search", "--index", index, "--format", "json", "هلنسكي"]);
    let summary: serde_json::Value =
        serde_json::from_str(json.lines().last().expect("a summary line")).unwrap();
    assert_eq!(summary["suggestions"]["هلنسكي"], "هلسنكي");
    assert_eq!(summary["searched_instead"], serde_json::json!(["هلنسكي"]));
    // Absent when there is nothing to say.
    let json = ok(&["search", "--index", index, "--format", "json", "هلسنكي"]);
    let summary: serde_json::Value =
        serde_json::from_str(json.lines().last().expect("a summary line")).unwrap();
    assert!(summary.get("suggestions").is_none(), "{summary}");
    assert!(summary.get("searched_instead").is_none(), "{summary}");
}

#[test]
fn the_search_api_carries_the_suggestions() {
    let fixture = fixture();
    let server = common::server::Server::start(&fixture.index);
    let (status, result) = server.get_json(&format!(
        "/api/search?q={}",
        common::server::encode("قمة هلنسكي")
    ));
    assert_eq!(status, 200);
    assert_eq!(result["suggestions"]["هلنسكي"], "هلسنكي", "{result}");
    assert_eq!(result["searched_instead"], serde_json::json!(["هلنسكي"]));
    assert!(result["total_articles"].as_u64().unwrap() > 0);
    let (_, result) = server.get_json(&format!(
        "/api/search?q={}",
        common::server::encode("هلسنكي")
    ));
    assert!(result.get("suggestions").is_none(), "{result}");
}

// A file or a collection is built from the words as typed: `export هلنسكي` must not fill a
// file with articles about هلسنكي without anyone choosing that word.
#[test]
fn exports_and_collections_take_the_words_as_typed() {
    let fixture = fixture();
    let index = path_str(&fixture.index);
    let csv = ok(&["export", "هلنسكي", "--index", index, "--quiet"]);
    assert_eq!(csv.lines().count(), 1, "only the header: {csv}");
    let mut engine = Engine::new(fahras::index::open(&fixture.index).unwrap()).unwrap();
    let request = fahras::search::SearchSettings {
        query: "هلنسكي".to_owned(),
        ..Default::default()
    };
    assert!(engine.article_ids(&request).unwrap().is_empty());
    // The search a reader sees still corrects it.
    assert!(!search(&mut engine, "هلنسكي").hits.is_empty());
}
