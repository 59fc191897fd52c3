//! `mark` and `window` on any text with any ranges never panic, and the ranges `window` returns
//! are valid in its window; the highlighter's own ranges are valid, sorted and disjoint.
#![no_main]

use fahras::analysis::{self, StemmerKind};
use fahras::search::highlight::{self, HighlightTerms};
use libfuzzer_sys::fuzz_target;

fn valid(text: &str, [from, to]: [usize; 2]) -> bool {
    from < to && text.get(from..to).is_some()
}

fuzz_target!(|input: (String, Vec<(u16, u16)>, u8, String)| {
    let (text, raw, max_chars, word) = input;
    let ranges: Vec<[usize; 2]> = raw
        .iter()
        .map(|&(a, b)| [usize::from(a), usize::from(b)])
        .collect();
    let _ = highlight::mark(&text, &ranges, "[[", "]]");
    let (window, shifted, _, _) = highlight::window(&text, &ranges, usize::from(max_chars));
    assert!(text.contains(&window));
    for range in &shifted {
        assert!(valid(&window, *range));
    }
    let _ = highlight::mark(&window, &shifted, "[[", "]]");

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
        assert!(pair[0][1] <= pair[1][0]);
    }
    for range in &found {
        assert!(valid(&text, *range));
    }
    let (window, shifted, _, _) = highlight::window(&text, &found, usize::from(max_chars));
    for range in &shifted {
        assert!(valid(&window, *range));
    }
});
