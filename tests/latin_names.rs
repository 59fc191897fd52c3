//! Latin-script names on a fixture archive: the list in `tests/latin_names.tsv` (names from ANT's
//! coverage with the Arabic forms they must reach, and words that must stay as typed), its
//! precision and recall, the regression of issue 19 (`Putin`, `Helsinki`, `Khashoggi` found
//! nothing), the outputs that report it, and properties of the transliteration on any input.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::*;
use fahras::analysis::normalizer::is_arabic_letter;
use fahras::search::transliteration::{self, MAX_FORMS};
use fahras::search::{Engine, SearchResults, SearchSettings};
use proptest::prelude::*;

/// Passages holding the usual form of a name; its other spellings are in [`OTHER`].
const USUAL: usize = 12;
const OTHER: usize = 4;

/// Arabic words the Latin letters of a listed word could also spell, with passages, as ANT has
/// them relative to the names (another name, a common word, the article on a word): none may be
/// reported. Function words and acronyms have theirs too (فور for `for`, كيا for `CIA`).
const DISTRACTORS: &[(&str, usize)] = &[
    ("الخميني", 4),
    ("ماركل", 4),
    ("صالح", 5),
    ("سلاح", 4),
    ("صلة", 4),
    ("قيم", 4),
    ("كم", 40),
    ("الحالي", 40),
    ("أون", 40),
    ("يونغ", 8),
    ("موصول", 2),
    ("مصل", 3),
    ("طيران", 8),
    ("الطيران", 8),
    ("قوته", 4),
    ("البطن", 3),
    ("بطن", 3),
    ("مقرن", 3),
    ("عبس", 3),
    ("فور", 20),
    ("دير", 20),
    ("اند", 5),
    ("كيا", 5),
    ("كيه", 5),
    ("أوس", 5),
];

/// Latin words the archive writes as Latin.
const LATIN_IN_ARCHIVE: &[&str] = &[
    "BBC", "CNN", "MBC", "CIA", "FBI", "GPS", "LCD", "WWE", "OPCW", "iOS", "Google", "iPhone",
];

/// One row of `tests/latin_names.tsv`.
struct Row {
    typed: String,
    /// The normalized Arabic forms (the usual first); empty for a word to keep.
    forms: Vec<String>,
    kind: String,
}

fn rows() -> Vec<Row> {
    labelled_rows("latin_names.tsv", 4)
        .into_iter()
        .map(|cells| {
            let forms: Vec<String> = match cells[2].as_str() {
                "find" => cells[1].split(',').map(normalized).collect(),
                "keep" => {
                    assert_eq!(cells[1], "-", "{cells:?}");
                    Vec::new()
                }
                other => panic!("{other}: find or keep"),
            };
            Row {
                typed: cells[0].clone(),
                forms,
                kind: cells[3].clone(),
            }
        })
        .collect()
}

/// The fixture archive: the usual form of each listed name in [`USUAL`] articles, its other
/// spellings in [`OTHER`], the [`DISTRACTORS`], and the Latin words the archive writes as Latin.
fn write_corpus(corpus: &Path) {
    let mut n = 0;
    let mut article = |text: &str| {
        n += 1;
        write(
            corpus.join(format!("a{n:04}.txt")),
            format!("خبر\nنشرت الصحيفة تقريرا مفصلا عن {text} في عددها رقم {n}.\n"),
        );
    };
    let mut written: BTreeSet<String> = BTreeSet::new();
    for row in rows() {
        for (i, form) in row.forms.iter().enumerate() {
            if !written.insert(form.clone()) {
                continue;
            }
            let copies = if i == 0 { USUAL } else { OTHER };
            for _ in 0..copies {
                article(form);
            }
        }
    }
    for &(word, copies) in DISTRACTORS {
        for _ in 0..copies {
            article(word);
        }
    }
    for word in LATIN_IN_ARCHIVE {
        article(&format!("خدمة {word} الجديدة"));
    }
    // As the archive writes it: diacritics and an alef with hamza (highlights land on this text).
    article("قمة هِلْسِنْكي بين الرئيسين ترامب وبوتين");
}

fn fixture_index() -> &'static Path {
    static FIXTURE: OnceLock<(TempDirs, PathBuf)> = OnceLock::new();
    let (_, index) = FIXTURE.get_or_init(|| {
        let dirs = TempDirs::new();
        write_corpus(&dirs.corpus());
        index_quietly(&dirs.corpus(), &dirs.index());
        let index = dirs.index();
        (dirs, index)
    });
    index
}

fn engine() -> Engine {
    Engine::new(fahras::index::open(fixture_index()).unwrap()).unwrap()
}

fn search(engine: &mut Engine, query: &str) -> SearchResults {
    engine
        .search(&SearchSettings {
            query: query.to_owned(),
            ..SearchSettings::default()
        })
        .expect("search")
}

/// The normalized words the hits highlight.
fn highlighted(results: &SearchResults) -> Vec<String> {
    results
        .hits
        .iter()
        .flat_map(|hit| {
            hit.highlights
                .iter()
                .map(|&[from, to]| normalized(&hit.text[from..to]))
        })
        .collect()
}

#[test]
fn the_latin_names_list_finds_its_arabic_forms_with_high_precision_and_recall() {
    let mut engine = engine();
    let rows = rows();
    let finds = rows.iter().filter(|r| !r.forms.is_empty()).count();
    assert!(finds >= 40, "{finds} names");
    assert!(
        rows.len() - finds >= 20,
        "{} words to keep",
        rows.len() - finds
    );
    let (mut right, mut wrong, mut found, mut failures) = (0, 0, 0, Vec::new());
    for row in &rows {
        let results = search(&mut engine, &row.typed);
        let reported: Vec<&String> = results
            .variants
            .get(&row.typed)
            .map(|forms| forms.keys().collect())
            .unwrap_or_default();
        for form in &reported {
            if row.forms.contains(form) {
                right += 1;
            } else {
                wrong += 1;
                failures.push(format!("{} ({}) → {form}", row.typed, row.kind));
            }
        }
        let Some(usual) = row.forms.first() else {
            continue;
        };
        let marked = highlighted(&results);
        if reported.contains(&usual) && marked.iter().any(|m| row.forms.contains(m)) {
            found += 1;
        } else {
            failures.push(format!(
                "{} ({}): missed {usual}; reported {reported:?}, marked {marked:?}",
                row.typed, row.kind
            ));
        }
    }
    let precision = right as f64 / (right + wrong).max(1) as f64;
    let recall = found as f64 / finds as f64;
    println!(
        "latin names: precision {precision:.3} ({right}/{}), recall {recall:.3} ({found}/{finds}); \
         {failures:?}",
        right + wrong
    );
    assert!(precision >= 0.95, "precision {precision:.3}: {failures:?}");
    assert!(recall >= 0.95, "recall {recall:.3}: {failures:?}");
}

#[test]
fn latin_words_the_archive_writes_as_latin_are_searched_as_written_too() {
    let mut engine = engine();
    for word in LATIN_IN_ARCHIVE {
        let results = search(&mut engine, word);
        let as_written = results
            .hits
            .iter()
            .any(|hit| hit.text.to_lowercase().contains(&word.to_lowercase()));
        assert!(as_written, "{word}: {} hits", results.hits.len());
    }
    // Google is also غوغل: both are found.
    let results = search(&mut engine, "Google");
    assert!(results.variants["Google"].contains_key("غوغل"));
    assert_eq!(results.total_articles, USUAL + 1);
}

/// Issue 19: `Putin`, `Helsinki` and `Khashoggi` said "no passage matches", `Trump Kim` found only
/// passages with the Latin words.
#[test]
fn regression_latin_names_found_nothing() {
    let mut engine = engine();
    for (typed, usual) in [
        ("Putin", "بوتين"),
        ("Helsinki", "هلسنكي"),
        ("Khashoggi", "خاشقجي"),
    ] {
        let results = search(&mut engine, typed);
        assert!(results.total_articles > 0, "{typed}");
        assert!(results.variants[typed].contains_key(usual), "{typed}");
    }
    let results = search(&mut engine, "Trump Putin Helsinki");
    // The article holding all three (in Arabic, with diacritics) ranks first, marked where
    // written.
    let hit = &results.hits[0];
    let marked: Vec<&str> = hit
        .highlights
        .iter()
        .map(|&[a, b]| &hit.text[a..b])
        .collect();
    // Neighbours marked as one run.
    assert_eq!(marked, ["هِلْسِنْكي", "ترامب وبوتين"], "{}", hit.text);
    // Excluded in Arabic too.
    let without = search(&mut engine, "قمة -Putin");
    assert_eq!(without.total_articles, 0, "{:?}", without.hits);
    // Quotes and exact spelling search the word as written only.
    assert_eq!(search(&mut engine, "\"Putin\"").total_articles, 0);
    let exact = engine
        .search(&SearchSettings {
            query: "Putin".to_owned(),
            spelling: fahras::search::Spelling::AsTyped,
            ..SearchSettings::default()
        })
        .unwrap();
    assert_eq!(exact.total_articles, 0);
}

#[test]
fn the_cli_and_its_json_disclose_the_arabic_forms_keyed_by_the_word_as_typed() {
    let index = path_str(fixture_index());
    let text = ok(&["search", "--index", index, "Putin"]);
    assert!(
        text.contains(
            "Putin: also matched: بوتن (4 articles, 4 passages), بوتين (12 articles, 12 passages)"
        ),
        "{text}"
    );
    let (_, summary) = search_json(fixture_index(), &["Erdoğan"]);
    assert_eq!(summary["variants"]["Erdoğan"]["اردوغان"], USUAL as u64);
}

/// Latin letters, with the diacritics of European languages, and some others.
fn latin_word() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            proptest::char::range('a', 'z'),
            proptest::char::range('A', 'Z'),
            proptest::sample::select(vec![
                'ğ', 'é', 'ö', 'ü', 'ç', 'ş', 'ß', 'æ', 'œ', 'ł', 'ı', 'ž', 'ñ', 'å', 'ø', 'þ',
                'İ', '7', '-', 'ب',
            ]),
        ],
        0..30,
    )
    .prop_map(|chars| chars.into_iter().collect())
}

proptest! {
    #![proptest_config(common::property_config(256))]

    #[test]
    fn any_latin_word_gives_at_most_a_few_normalized_arabic_terms_of_the_index(word in latin_word()) {
        let handle = fahras::index::open(fixture_index()).unwrap();
        let reader = handle.reader().unwrap();
        let searcher = reader.searcher();
        let term = word.to_lowercase();
        let forms = transliteration::transliterations(&searcher, handle.fields.text, &term);
        prop_assert!(forms.len() <= MAX_FORMS);
        if !transliteration::is_candidate(&term) {
            prop_assert!(forms.is_empty());
        }
        for form in forms {
            prop_assert!(form.term.chars().all(is_arabic_letter), "{}", form.term);
            prop_assert_eq!(normalized(&form.term), form.term.clone());
            prop_assert!(form.passages >= transliteration::MIN_PASSAGES);
        }
        // Every term the automaton accepts is one the pattern spells, in Arabic letters.
        for candidate in transliteration::candidates(&searcher, handle.fields.text, &term) {
            prop_assert!(candidate.letters >= 1 && candidate.term.chars().all(is_arabic_letter));
        }
    }
}

/// Regression: `Twitter` also reached توتر ("tension", تويتر with a vowel dropped) and `bein`
/// (beIN Sports) reached بين ("between"): the Arabic forms kept beside the likeliest must be its
/// spellings by the archive's evidence, and a particle is no name.
#[test]
fn regression_latin_names_reached_other_words_a_vowel_away() {
    let dirs = TempDirs::new();
    let corpus = dirs.corpus();
    let places = [
        "المدينة",
        "العاصمة",
        "الجامعة",
        "الملعب",
        "السوق",
        "الميناء",
    ];
    for i in 0..12 {
        let place = places[i % places.len()];
        write(
            corpus.join(format!("t{i:02}.txt")),
            format!("خبر\nكتب الوزير في تغريدة على حسابه في تويتر أن {place} هادئة.\n"),
        );
        write(
            corpus.join(format!("u{i:02}.txt")),
            format!("خبر\nيسود توتر شديد بين البلدين منذ أسابيع في {place} الحدودية.\n"),
        );
    }
    index_quietly(&corpus, &dirs.index());
    let mut engine = Engine::new(fahras::index::open(&dirs.index()).unwrap()).unwrap();
    let twitter = search(&mut engine, "Twitter");
    let forms: Vec<&String> = twitter.variants["Twitter"].keys().collect();
    assert_eq!(forms, ["تويتر"], "{:?}", twitter.variants);
    let bein = search(&mut engine, "bein");
    assert!(bein.variants.is_empty(), "{:?}", bein.variants);
}
