//! The analysis pipeline as index and query see it: the matching pairs the project promises, and
//! properties over arbitrary input.

use fahras::analysis::{
    self, light_stemmer, normalizer, AnalyzerKind, StemmerKind, EXACT_ANALYZER, STEM_ANALYZER,
};
use proptest::prelude::*;

mod common;

/// All index terms of `text` under the light-stemming analyzer.
fn index_terms(text: &str) -> Vec<String> {
    let mut analyzer = analysis::analyzer(AnalyzerKind::Stem, StemmerKind::Light);
    analysis::analyze(&mut analyzer, text)
        .into_iter()
        .map(|t| t.term)
        .collect()
}

/// The terms a query for `word` searches with.
fn query_terms(word: &str) -> Vec<String> {
    let mut analyzer = analysis::analyzer(AnalyzerKind::Stem, StemmerKind::Light);
    analysis::query_terms(&mut analyzer, word)
}

fn assert_query_matches(query: &str, document_word: &str) {
    let wanted = query_terms(query);
    let indexed = index_terms(document_word);
    assert!(
        wanted.iter().all(|t| indexed.contains(t)),
        "query {query} ({wanted:?}) does not match {document_word} ({indexed:?})"
    );
}

fn assert_query_misses(query: &str, document_word: &str) {
    let wanted = query_terms(query);
    let indexed = index_terms(document_word);
    assert!(
        !wanted.iter().all(|t| indexed.contains(t)),
        "query {query} ({wanted:?}) should not match {document_word} ({indexed:?})"
    );
}

#[test]
fn definite_adjective_matches_hamza_and_shadda_spelling() {
    assert_query_matches("الاستراتيجي", "الإستراتيجيّ");
}
#[test]
fn name_matches_with_attached_preposition() {
    assert_query_matches("بوتين", "لبوتين");
}
#[test]
fn teh_marbuta_matches_heh() {
    assert_query_matches("مدينة", "مدينه");
}
#[test]
fn undiacritized_matches_fully_diacritized() {
    assert_query_matches("المدرسة", "الْمَدْرَسَةُ");
}
#[test]
fn tatweel_is_ignored() {
    assert_query_matches("بايدن", "بـــايدن");
}
#[test]
fn singular_matches_plural_with_conjunction_and_article() {
    assert_query_matches("هجمة", "والهجمات");
}
#[test]
fn indefinite_plural_matches_definite() {
    assert_query_matches("ولايات", "الولايات");
}
#[test]
fn noun_matches_with_bi_al_prefix() {
    assert_query_matches("قانون", "بالقانون");
}
#[test]
fn noun_matches_with_pronoun_suffix() {
    assert_query_matches("كتاب", "كتابهم");
}
#[test]
fn western_digits_match_arabic_indic() {
    assert_query_matches("16", "١٦");
}
#[test]
fn hamza_seat_spellings_meet_across_inflection() {
    assert_query_matches("مسؤول", "مسئولين");
}

#[test]
fn ambiguous_proclitic_is_not_stripped_from_the_query() {
    // فهم ("understanding") must not search for every هم ("they").
    assert_query_misses("فهم", "هم");
    // بطاطس is a word, not ب + طاطس.
    assert_query_misses("بطاطس", "طاطس");
}

#[test]
fn exact_analyzer_does_not_stem() {
    let mut exact = analysis::analyzer(AnalyzerKind::Exact, StemmerKind::Light);
    let terms: Vec<String> = analysis::analyze(&mut exact, "والهجمات")
        .into_iter()
        .map(|t| t.term)
        .collect();
    assert_eq!(terms, ["والهجمات"]);
}

#[test]
fn snowball_and_none_are_selectable() {
    let mut snowball = analysis::analyzer(AnalyzerKind::Stem, StemmerKind::Snowball);
    let mut none = analysis::analyzer(AnalyzerKind::Stem, StemmerKind::None);
    let snow: Vec<String> = analysis::analyze(&mut snowball, "والهجمات")
        .into_iter()
        .map(|t| t.term)
        .collect();
    let plain: Vec<String> = analysis::analyze(&mut none, "والهجمات")
        .into_iter()
        .map(|t| t.term)
        .collect();
    assert_eq!(plain, ["والهجمات"]);
    assert_eq!(snow.len(), 1);
    assert_ne!(snow[0], "والهجمات");
}

#[test]
fn analyzers_are_registered_on_an_index() {
    let schema = tantivy::schema::Schema::builder().build();
    let index = tantivy::Index::create_in_ram(schema);
    analysis::register_analyzers(&index, StemmerKind::Light);
    assert!(index.tokenizers().get(EXACT_ANALYZER).is_some());
    assert!(index.tokenizers().get(STEM_ANALYZER).is_some());
}

/// Text drawn mostly from the characters that matter here, with arbitrary Unicode mixed in.
fn arabic_heavy_text() -> impl Strategy<Value = String> {
    let interesting = prop_oneof![
        4 => proptest::char::range('\u{0600}', '\u{06FF}'),
        1 => proptest::char::range('\u{FB50}', '\u{FDFF}'),
        1 => proptest::char::range('\u{FE70}', '\u{FEFF}'),
        1 => proptest::sample::select(vec![
            ' ', '.', '٫', '٬', '\u{200C}', '\u{200D}', '\u{200F}', '\u{202B}', '\u{FEFF}', '-',
            '0', '9', 'A', 'z', '«', '»', '\u{0301}', '½', 'ﷺ', '﷽',
        ]),
        1 => any::<char>(),
    ];
    proptest::collection::vec(interesting, 0..64).prop_map(|chars| chars.into_iter().collect())
}

proptest! {
    #![proptest_config(common::property_config(2000))]

    #[test]
    fn tokens_are_ordered_char_aligned_and_non_overlapping(text in arabic_heavy_text()) {
        for kind in [AnalyzerKind::Exact, AnalyzerKind::Stem] {
            let mut analyzer = analysis::analyzer(kind, StemmerKind::Light);
            let tokens = analysis::analyze(&mut analyzer, &text);
            let mut last_end = 0;
            let mut last_range = None;
            let mut last_position = None;
            for token in &tokens {
                prop_assert!(text.is_char_boundary(token.from));
                prop_assert!(text.is_char_boundary(token.to));
                prop_assert!(token.from < token.to);
                prop_assert!(!token.term.is_empty());
                let range = (token.from, token.to);
                if last_range != Some(range) {
                    // A new word starts at or after the end of the previous one.
                    prop_assert!(token.from >= last_end);
                    last_end = token.to;
                    last_range = Some(range);
                }
                if let Some(previous) = last_position {
                    prop_assert!(token.position >= previous);
                }
                last_position = Some(token.position);
            }
        }
    }

    #[test]
    fn normalizing_a_term_changes_nothing(text in arabic_heavy_text()) {
        let mut exact = analysis::analyzer(AnalyzerKind::Exact, StemmerKind::Light);
        for token in analysis::analyze(&mut exact, &text) {
            prop_assert_eq!(normalizer::normalize_word(&token.term), vec![token.term.clone()]);
            // Typed back as a query, an indexed term analyzes to itself.
            let again: Vec<String> = analysis::analyze(&mut exact, &token.term)
                .into_iter()
                .map(|t| t.term)
                .collect();
            prop_assert_eq!(again, vec![token.term.clone()]);
        }
    }

    #[test]
    fn every_stemmer_survives_any_input(text in any::<String>()) {
        for stemmer in [StemmerKind::Light, StemmerKind::Snowball, StemmerKind::None] {
            let mut analyzer = analysis::analyzer(AnalyzerKind::Stem, stemmer);
            let _ = analysis::analyze(&mut analyzer, &text);
        }
    }

    #[test]
    fn light_stem_readings_are_distinct_non_empty_substrings(
        word in proptest::collection::vec(proptest::char::range('\u{0621}', '\u{064A}'), 1..12)
    ) {
        let word: String = word.into_iter().collect();
        let readings = light_stemmer::stem_readings(&word);
        prop_assert!(!readings.is_empty());
        for (i, reading) in readings.iter().enumerate() {
            prop_assert!(!reading.is_empty());
            prop_assert!(word.contains(reading.as_str()));
            prop_assert!(!readings[..i].contains(reading), "{:?}", readings);
        }
    }
}
