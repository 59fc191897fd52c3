//! The fuzz targets' properties (fuzz/fuzz_targets/), as proptest cases that run on stable in
//! every `cargo test`: the analyzer's offsets, the highlighter's ranges, the query parser and
//! every ingest format on hostile text.

use fahras::analysis::{self, StemmerKind};
use fahras::ingest::{self, Format, JsonFields};
use fahras::search::highlight::{self, HighlightTerms};
use fahras::search::query;
use proptest::prelude::*;

mod common;
use tantivy::tokenizer::{TextAnalyzer, TokenStream};

/// Characters that have broken things: Arabic letters and marks, joiners and bidi controls,
/// multi-byte spaces, number separators, markup and query syntax, a phrase ligature.
const PIECES: &[&str] = &[
    "ب",
    "ت",
    "ا",
    "ل",
    "ة",
    "ى",
    "ﷺ",
    "\u{064E}",
    "\u{0651}",
    "\u{0640}",
    "\u{200D}",
    "\u{200C}",
    "\u{200F}",
    "\u{202B}",
    "\u{FEFF}",
    "\u{00A0}",
    "\u{2003}",
    "\u{3000}",
    " ",
    "\n",
    "\t",
    "a",
    "Z",
    "7",
    "٣",
    ".",
    "٫",
    "٬",
    "،",
    "<",
    ">",
    "&",
    ";",
    "&amp;",
    "\"",
    "«",
    "»",
    "(",
    ")",
    "-",
    "−",
    "*",
    ":",
    "OR",
    "title:",
    "date:",
    "..",
    "9999-12-31",
    "<DOC>",
    "</DOC>",
    "<DOC id=\"",
    "<TEXT>",
    "</TEXT>",
    "<P>",
    "<DOCNO>",
    "<TITLE>",
    "<html>",
    "<body>",
    "<p>",
    "<script>",
    "{",
    "}",
    "[",
    "]",
    "\"text\":",
    "\"title\":",
    ",",
    "\\",
    "\\u0628",
    "é",
    "😀",
    "\r\n",
];

/// Text assembled from [`PIECES`] and arbitrary characters.
fn hostile_text(max_pieces: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            4 => prop::sample::select(PIECES).prop_map(str::to_owned),
            1 => any::<char>().prop_map(String::from),
        ],
        0..max_pieces,
    )
    .prop_map(|pieces| pieces.concat())
}

/// (from, to, position, term) of every token, checking the stream's invariants on the way
/// (positions increase, or with `same_position_ok` may repeat: a stem filter gives several
/// readings of one word the word's position).
fn checked_tokens(
    analyzer: &mut TextAnalyzer,
    text: &str,
    same_position_ok: bool,
) -> Vec<(usize, usize, usize, String)> {
    let mut stream = analyzer.token_stream(text);
    let mut out: Vec<(usize, usize, usize, String)> = Vec::new();
    while stream.advance() {
        let token = stream.token();
        let (from, to) = (token.offset_from, token.offset_to);
        assert!(from < to, "empty token {from}..{to} in {text:?}");
        assert!(
            text.get(from..to).is_some(),
            "{from}..{to} not on char boundaries of {text:?}"
        );
        if let Some(&(last_from, last_to, last_position, _)) = out.last() {
            // In order: the next word starts after the last, or it is another term of it.
            assert!(
                from >= last_to || (from, to) == (last_from, last_to),
                "{from}..{to} after {last_from}..{last_to} in {text:?}"
            );
            assert!(
                token.position > last_position
                    || (same_position_ok && token.position == last_position),
                "position {} after {last_position} in {text:?}",
                token.position
            );
        }
        assert!(!token.text.is_empty());
        out.push((from, to, token.position, token.text.clone()));
    }
    out
}

fn valid_range(text: &str, [from, to]: [usize; 2]) -> bool {
    from < to && text.get(from..to).is_some()
}

proptest! {
    #![proptest_config(common::property_config(256))]

    #[test]
    fn analyzer_offsets_are_char_boundaries_in_order_and_replay_the_same(text in hostile_text(60)) {
        let mut exact = analysis::exact_analyzer();
        let first = checked_tokens(&mut exact, &text, false);
        // Replayed (the thread's last text), then fresh after another text.
        let replayed = checked_tokens(&mut exact, &text, false);
        prop_assert_eq!(&first, &replayed);
        let _ = checked_tokens(&mut exact, "نص آخر", false);
        let fresh = checked_tokens(&mut exact, &text, false);
        prop_assert_eq!(&first, &fresh);
        let mut stem = analysis::stem_analyzer(StemmerKind::Light);
        let _ = checked_tokens(&mut stem, &text, true);
    }

    #[test]
    fn stem_tokens_after_the_exact_fields_are_the_stem_analyzers_own(text in hostile_text(60)) {
        for stemmer in [StemmerKind::Light, StemmerKind::Snowball, StemmerKind::None] {
            let mut exact = analysis::exact_analyzer();
            let mut stem = analysis::stem_analyzer(stemmer);
            // As tantivy indexes a passage: the exact field, then the stemmed one (a replay).
            let _ = checked_tokens(&mut exact, &text, false);
            let after_exact = checked_tokens(&mut stem, &text, true);
            // The stem analyzer on its own (the thread's last text is another one).
            let _ = checked_tokens(&mut exact, "نص آخر", false);
            let alone = checked_tokens(&mut stem, &text, true);
            prop_assert_eq!(after_exact, alone);
        }
    }

    #[test]
    fn highlight_mark_and_window_never_panic_and_keep_ranges_valid(
        text in hostile_text(60),
        raw in prop::collection::vec((0usize..400, 0usize..400), 0..6),
        max_chars in 0usize..80,
        word in hostile_text(3),
    ) {
        // Arbitrary ranges: out of order, out of bounds, inside characters.
        let ranges: Vec<[usize; 2]> = raw.iter().map(|&(a, b)| [a, b]).collect();
        let marked = highlight::mark(&text, &ranges, "[[", "]]");
        prop_assert!(marked.len() >= text.len());
        let (window, shifted, _, _) = highlight::window(&text, &ranges, max_chars);
        prop_assert!(text.contains(&window));
        for range in &shifted {
            prop_assert!(valid_range(&window, *range), "{:?} in {:?}", range, window);
        }
        let _ = highlight::mark(&window, &shifted, "[[", "]]");
        // Ranges from the highlighter itself: valid, sorted, disjoint.
        let mut terms = HighlightTerms::default();
        for token in analysis::analyze(&mut analysis::exact_analyzer(), &word) {
            terms.exact.insert(token.term);
        }
        let found = highlight::highlight_ranges(
            &text,
            &terms,
            &mut analysis::exact_analyzer(),
            &analysis::TermStemmer::new(StemmerKind::Light),
            &mut Default::default(),
        );
        for pair in found.windows(2) {
            prop_assert!(pair[0][1] <= pair[1][0]);
        }
        for range in &found {
            prop_assert!(valid_range(&text, *range));
        }
        let (window, shifted, _, _) = highlight::window(&text, &found, max_chars);
        for range in &shifted {
            prop_assert!(valid_range(&window, *range));
        }
    }

    #[test]
    fn query_parsing_never_panics(text in hostile_text(80), depth in 0usize..200) {
        let _ = query::parse(&text);
        let _ = query::parse_plain(&text);
        let nested = format!("{}{text}{}", "(".repeat(depth), ")".repeat(depth / 2));
        let _ = query::parse(&nested);
        let _ = query::parse_period(&text);
    }

    #[test]
    fn every_ingest_format_reads_hostile_text_without_panicking(text in hostile_text(80)) {
        let fields = JsonFields::default();
        for format in [Format::Sgml, Format::Html, Format::JsonLines, Format::Json, Format::Tsv, Format::Text] {
            let parsed = ingest::parse(format, &text, &fields);
            for article in &parsed.articles {
                let _ = ingest::split_passages(&article.body, Default::default());
            }
        }
    }

    #[test]
    fn periods_never_overflow(year in 0i32..=10_000, month in 0u8..=13, day in 0u8..=32) {
        for text in [format!("{year:04}"), format!("{year:04}-{month:02}"), format!("{year:04}-{month:02}-{day:02}")] {
            if let Some((from, to)) = query::parse_period(&text) {
                prop_assert!(from <= to, "{}", text);
            }
        }
    }

    // Find-a-name issue (19), dates in Arabic: the same date written with Arabic-Indic digits or
    // a month name in any tradition reads as its ISO form, and no text makes the reader panic.
    #[test]
    fn arabic_dates_read_as_their_iso_form(
        year in 1900i32..=2100,
        month in 1usize..=12,
        day in 1u8..=28,
        tradition in 0usize..3,
        noise in hostile_text(20),
    ) {
        const NAMES: [[&str; 3]; 12] = [
            ["يناير", "كانون الثاني", "جانفي"], ["فبراير", "شباط", "فيفري"], ["مارس", "آذار", "مارس"],
            ["أبريل", "نيسان", "أفريل"], ["مايو", "أيار", "ماي"], ["يونيو", "حزيران", "جوان"],
            ["يوليو", "تموز", "جويلية"], ["أغسطس", "آب", "أوت"], ["سبتمبر", "أيلول", "سبتمبر"],
            ["أكتوبر", "تشرين الأول", "أكتوبر"], ["نوفمبر", "تشرين الثاني", "نوفمبر"],
            ["ديسمبر", "كانون الأول", "ديسمبر"],
        ];
        let iso_month = format!("{year:04}-{month:02}");
        let iso_day = format!("{iso_month}-{day:02}");
        let indic = |text: &str| -> String {
            text.chars()
                .map(|c| c.to_digit(10).map_or(c, |d| char::from_u32('٠' as u32 + d).unwrap()))
                .collect()
        };
        let name = NAMES[month - 1][tradition];
        for (text, iso) in [
            (indic(&iso_month), &iso_month),
            (indic(&iso_day), &iso_day),
            (format!("{name} {year}"), &iso_month),
            (format!("{day} {name} {}", indic(&year.to_string())), &iso_day),
        ] {
            prop_assert_eq!(query::parse_period(&text), query::parse_period(iso), "{}", text);
            prop_assert!(query::parse_period(&text).is_some(), "{}", text);
        }
        let _ = query::parse_period(&noise);
        let _ = query::parse_period(&format!("{name} {noise}"));
    }
}
