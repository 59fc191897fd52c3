//! The analyzer on any text: every token's offsets are char boundaries of the text, non-empty
//! and in order, and cutting the same text again (a replay of the thread's recording) gives the
//! same tokens as cutting it fresh.
#![no_main]

use fahras::analysis::{self, StemmerKind};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let mut exact = analysis::exact_analyzer();
    // `analyze` slices the text by each token's offsets: a bad offset panics here.
    let first = analysis::analyze(&mut exact, text);
    let mut previous: Option<(usize, usize, usize)> = None;
    for token in &first {
        assert!(token.from < token.to, "empty token in {text:?}");
        assert!(text.get(token.from..token.to).is_some());
        if let Some((from, to, position)) = previous {
            assert!(token.from >= to || (token.from, token.to) == (from, to));
            assert!(token.position > position);
        }
        previous = Some((token.from, token.to, token.position));
    }
    let replayed = analysis::analyze(&mut exact, text);
    assert_eq!(first, replayed);
    let _ = analysis::analyze(&mut exact, "نص آخر");
    let fresh = analysis::analyze(&mut exact, text);
    assert_eq!(first, fresh);
    let _ = analysis::analyze(&mut analysis::stem_analyzer(StemmerKind::Light), text);
});
