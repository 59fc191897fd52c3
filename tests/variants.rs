//! Spelling variants: the labelled pairs of `tests/variant_pairs.tsv` (ANT's vocabulary) against
//! the rule's letters, and its evidence (dictionary words, contexts, one article writing both)
//! on a fixture archive. Precision and recall of the whole rule on ANT: `benches/variants.sh`.

mod common;

use std::path::Path;

use common::*;
use fahras::search::variants::candidates;

/// (form, other form, same word?) from `tests/variant_pairs.tsv`.
fn pairs() -> Vec<(String, String, bool)> {
    labelled_rows("variant_pairs.tsv", 3)
        .into_iter()
        .map(|cells| {
            let same = match cells[2].as_str() {
                "same" => true,
                "different" => false,
                other => panic!("{other}: same or different"),
            };
            (cells[0].clone(), cells[1].clone(), same)
        })
        .collect()
}

#[test]
fn the_labelled_list_has_thirty_pairs_of_each_kind() {
    let pairs = pairs();
    let same = pairs.iter().filter(|p| p.2).count();
    assert!(same >= 30, "{same} same-word pairs");
    assert!(pairs.len() - same >= 30, "{} different", pairs.len() - same);
}

#[test]
fn every_spelling_pair_is_a_candidate_both_ways() {
    for (a, b, same) in pairs() {
        if !same {
            continue;
        }
        let (a, b) = (normalized(&a), normalized(&b));
        assert!(candidates(&a).contains(&b), "{a} → {b}");
        assert!(candidates(&b).contains(&a), "{b} → {a}");
    }
}

#[test]
fn suffixes_conjunctions_and_adjective_endings_are_no_spellings() {
    // The letters alone settle these different-word pairs of the list: a final letter added
    // (شمالي, مزيدا, حسابها), the conjunction و doubled (ووزير), the adjective ending ـية.
    let mut rejected = Vec::new();
    for (a, b, same) in pairs() {
        let (na, nb) = (normalized(&a), normalized(&b));
        if !same && !candidates(&na).contains(&nb) && !candidates(&nb).contains(&na) {
            rejected.push(format!("{a}/{b}"));
        }
    }
    println!(
        "different words the letters alone reject: {}",
        rejected.len()
    );
    for expected in [
        "شمال/شمالي",
        "مزيد/مزيدا",
        "حسابه/حسابها",
        "وزير/ووزير",
        "الدولة/الدولية",
        "الحكومة/الحكومية",
        "تركيا/تركي",
    ] {
        assert!(
            rejected.iter().any(|r| r == expected),
            "{expected}: {rejected:?}"
        );
    }
}

/// Filler that keeps the fixture's articles apart (the words around the names are the
/// evidence; these are not near them).
fn filler(n: usize) -> String {
    const WORDS: [&str; 12] = [
        "المدينة",
        "الطقس",
        "الأسبوع",
        "المقبل",
        "ملعب",
        "الفريق",
        "المصرف",
        "الأسعار",
        "الشتاء",
        "القطار",
        "الجامعة",
        "الطلاب",
    ];
    (0..8)
        .map(|i| WORDS[(n * 5 + i * 7) % WORDS.len()])
        .collect::<Vec<_>>()
        .join(" ")
}

/// An archive where بوتين and بوتن stand in the same words (one name, two house spellings),
/// محمد and محمود in different ones (two names), and موقع and مواقع (a noun and its plural,
/// which take pronouns: موقعها, مواقعهم) in the same ones.
fn write_archive(corpus: &Path) {
    let mut n = 0;
    let mut article = |text: String| {
        n += 1;
        write(
            corpus.join(format!("a{n:03}.txt")),
            format!("خبر رقم {n}\n{text} {}.\n", filler(n)),
        );
    };
    for (spelling, copies) in [("بوتين", 12), ("بوتن", 6)] {
        for i in 0..copies {
            article(format!(
                "قال الرئيس الروسي فلاديمير {spelling} إن الكرملين يتابع الملف {}",
                filler(i + 40)
            ));
        }
    }
    for i in 0..12 {
        article(format!(
            "أعلن ولي العهد الأمير محمد بن سلمان خطة {}",
            filler(i + 60)
        ));
    }
    for i in 0..6 {
        article(format!(
            "قال الرئيس الفلسطيني محمود عباس في رام الله {}",
            filler(i + 80)
        ));
    }
    for i in 0..12 {
        article(format!(
            "نشر موقع إخباري صورا من موقعها الجديد {}",
            filler(i + 100)
        ));
    }
    for i in 0..6 {
        article(format!(
            "نشرت مواقع إخبارية صورا من مواقعهم {}",
            filler(i + 120)
        ));
    }
}

fn variants_of(index: &Path, word: &str) -> Vec<String> {
    let (_, summary) = search_json(index, &["--limit", "1", word]);
    summary["variants"][word]
        .as_object()
        .map(|found| found.keys().cloned().collect())
        .unwrap_or_default()
}

/// (article id, score) of the articles `query` finds, best first.
fn ranked(index: &Path, query: &str) -> Vec<(String, f64)> {
    let (hits, _) = search_json(index, &["--limit", "50", "--all-copies", query]);
    hits.iter()
        .map(|h| {
            (
                h["article_id"].as_str().unwrap().to_owned(),
                h["score"].as_f64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn only_a_spelling_the_archive_uses_alike_is_the_same_word() {
    let dirs = TempDirs::new();
    write_archive(&dirs.corpus());
    index_quietly(&dirs.corpus(), &dirs.index());
    let index = dirs.index();
    assert_eq!(variants_of(&index, "بوتين"), ["بوتن"]);
    assert_eq!(variants_of(&index, "بوتن"), ["بوتين"]);
    // Two names one letter apart, in other words: not one name.
    assert!(variants_of(&index, "محمد").is_empty());
    assert!(variants_of(&index, "محمود").is_empty());
    // A noun and its plural in the same words: a dictionary word has no spellings.
    assert!(variants_of(&index, "موقع").is_empty());
    assert!(variants_of(&index, "مواقع").is_empty());
}

#[test]
fn export_takes_exact_and_category_as_search_does_and_says_how_it_read_the_query() {
    // `fahras export` lacked `--exact` and `--category` (search and /api/export have them), and
    // said nothing of a query it read otherwise than typed: a typo gave an empty file silently.
    let dirs = TempDirs::new();
    write_archive(&dirs.corpus());
    index_quietly(&dirs.corpus(), &dirs.index());
    let index = dirs.index();
    let export = |args: &[&str]| export_jsonl(&index, args);
    // بوتين finds its spelling بوتن too (12 + 6 articles); --exact only the 12.
    assert_eq!(export(&["بوتين"]).1, 18);
    assert_eq!(export(&["--exact", "بوتين"]).1, 12);
    let (ok, rows, stderr) = export(&["--category", "sport", "بوتين"]);
    assert!(!ok && rows == 0, "{stderr}");
    assert!(stderr.contains("unknown category \"sport\""), "{stderr}");
    // A word a typo away from one the archive has: exported as typed, and said so.
    let (ok, rows, stderr) = export(&["--quiet", "الكرملبن"]);
    assert!(ok && rows == 0, "{stderr}");
    assert!(
        stderr.contains("did you mean: الكرملين? (exports search the words as typed: الكرملبن)"),
        "{stderr}"
    );
    // A part of the query that was not read as written.
    let (ok, rows, stderr) = export(&["--quiet", "بوتين date:abc"]);
    assert!(ok && rows == 18, "{stderr}");
    assert!(stderr.contains("note: date: expects"), "{stderr}");
}

#[test]
fn adding_a_query_to_a_collection_says_how_it_read_the_query() {
    // Collections, like exports, take the words as typed: a typo added nothing, silently.
    let dirs = TempDirs::new();
    write_archive(&dirs.corpus());
    index_quietly(&dirs.corpus(), &dirs.index());
    let output = run(&[
        "collections",
        "add",
        "kremlin",
        "--query",
        "الكرملبن",
        "--index",
        path_str(&dirs.index()),
    ]);
    let stderr = stderr_of(&output);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("added 0 articles to kremlin"), "{stderr}");
    assert!(
        stderr
            .contains("did you mean: الكرملين? (collections search the words as typed: الكرملبن)"),
        "{stderr}"
    );
}

#[test]
fn either_spelling_finds_the_same_articles_in_the_same_order() {
    let dirs = TempDirs::new();
    write_archive(&dirs.corpus());
    index_quietly(&dirs.corpus(), &dirs.index());
    let index = dirs.index();
    let typed = ranked(&index, "بوتين");
    let other = ranked(&index, "بوتن");
    assert_eq!(typed.len(), 18, "{typed:?}");
    // The same articles with the same scores (the spellings share one idf and no spelling has
    // a reading the other lacks), so the same order whichever spelling is typed.
    for ((id, score), (other_id, other_score)) in typed.iter().zip(&other) {
        assert_eq!(id, other_id, "{typed:?}\n{other:?}");
        assert!(
            (score - other_score).abs() <= 1e-3 * score.abs(),
            "{id}: {score} against {other_score}"
        );
    }
}

#[test]
fn a_variant_is_reported_as_the_archive_writes_it() {
    let dirs = TempDirs::new();
    let corpus = dirs.corpus();
    for i in 0..4 {
        write(
            corpus.join(format!("r{i}.txt")),
            format!(
                "خبر\nقال وزير الدفاع الأمريكي جيمس ماتيس في البنتاغون {}.\n",
                filler(i)
            ),
        );
        write(
            corpus.join(format!("s{i}.txt")),
            format!(
                "خبر\nقال وزير الدفاع الأمريكي جيمس ماتيّس في البنتاجون {}.\n",
                filler(i + 9)
            ),
        );
        write(
            corpus.join(format!("t{i}.txt")),
            format!(
                "خبر\nقال وزير الدفاع الأمريكي جيمس ماتس في البنتاغون {}.\n",
                filler(i + 20)
            ),
        );
    }
    index_quietly(&corpus, &dirs.index());
    // ماتيس is written with a shadda in half its articles: reported without it.
    assert_eq!(variants_of(&dirs.index(), "ماتس"), ["ماتيس"]);
}

/// One JSON-lines file per article: the name in a context of its own, and a date.
fn write_dated_articles(corpus: &Path, numbers: impl Iterator<Item = usize>) {
    const CONTEXT: [&str; 8] = [
        "الكرملين",
        "موسكو",
        "الانتخابات",
        "سوريا",
        "أوكرانيا",
        "الغاز",
        "الصين",
        "القرم",
    ];
    for n in numbers {
        let line = serde_json::json!({
            "id": format!("ART-{n:03}"),
            "title": format!("خبر رقم {n}"),
            "text": format!(
                "قال {} فلاديمير بوتين عن {} {}.",
                CONTEXT[n % 8],
                CONTEXT[(n / 8) % 8],
                filler(n)
            ),
        });
        // One day for most (its articles stand in different segments and are ordered by
        // id), none for the others.
        let mut line = line;
        if n % 7 != 0 {
            line["date"] = "2018-05-15".into();
        }
        write(corpus.join(format!("a{n:03}.jsonl")), format!("{line}\n"));
    }
}

#[test]
fn the_variant_evidence_sample_does_not_depend_on_how_the_index_was_built() {
    // Indexing threads split the same folders into segments differently on every build; the
    // passages sampled for a form's contexts were the first in index order, so two builds of
    // ANT found different variants for the same query and ranked it differently.
    let dirs = TempDirs::new();
    let corpus = dirs.corpus();
    write_dated_articles(&corpus, 0..48);
    // One indexing thread: each build's order is then fixed, and the two orders differ, so
    // a sample taken in index order differs every time (with two threads, only most times).
    let at_once = dirs.root.path().join("at-once");
    ok(&[
        "index",
        path_str(&corpus),
        "--index",
        path_str(&at_once),
        "--threads",
        "1",
        "--quiet",
    ]);
    // The same articles, the odd ones indexed first: other segments, another order (whichever
    // segment comes first, its first articles are not the first of the whole).
    let halves = dirs.root.path().join("halves");
    let later = dirs.root.path().join("later");
    write_dated_articles(&halves, (0..48).filter(|n| n % 2 == 1));
    let by_halves = dirs.root.path().join("by-halves");
    ok(&[
        "index",
        path_str(&halves),
        "--index",
        path_str(&by_halves),
        "--threads",
        "1",
        "--quiet",
    ]);
    write_dated_articles(&later, (0..48).filter(|n| n % 2 == 0));
    ok(&[
        "index",
        path_str(&halves),
        path_str(&later),
        "--index",
        path_str(&by_halves),
        "--threads",
        "1",
        "--quiet",
    ]);

    let sample = |index: &Path| {
        let handle = fahras::index::open(index).unwrap();
        let searcher = handle.reader().unwrap().searcher();
        let mut analyzer = fahras::analysis::exact_analyzer();
        let contexts = fahras::search::variants::Contexts::sample(
            &searcher,
            &handle.fields,
            &mut analyzer,
            "بوتين",
        );
        let mut words: Vec<(String, u32)> = contexts.words.into_iter().collect();
        words.sort();
        (contexts.occurrences, words)
    };
    let (occurrences, words) = sample(&at_once);
    assert_eq!(occurrences, fahras::search::variants::CONTEXT_PASSAGES);
    assert_eq!((occurrences, words), sample(&by_halves));
}
