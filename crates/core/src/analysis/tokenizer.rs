//! `ArabicTokenizer`: cuts text into words and emits their normalized terms, with the byte offsets
//! of the original word (diacritics, tatweel and joiners included) so that highlights land on the
//! text as written.
//!
//! Word boundaries:
//! - a word is a run of letters, digits and the marks that sit on them;
//! - invisible joiners (ZWJ, LRM/RLM, bidi controls, BOM) stay inside a word but never start or
//!   end one; ZWNJ, whitespace and punctuation (ASCII and Arabic: ، ؛ ؟ ٪ « » “ ”) separate words;
//! - `.` and `٫` between digits keep a number whole (٣٫١٤), as does `٬` (١٬٠٠٠);
//! - ligatures that stand for whole phrases (ﷺ ﷽ ﷼) are words of their own.
//!
//! Normalization happens here rather than in a filter because a word can fold into several terms
//! (ﷺ → four words) or into none (a lone diacritic), and only the tokenizer assigns positions:
//! several terms take consecutive positions and share the word's offsets; no term, no position.
//!
//! Each thread remembers the terms of the last text it cut, and cutting the same text again
//! replays them. This is a memo, never a contract: the terms are a function of the text alone,
//! and a replay happens only when the text is byte for byte the one recorded, so the terms are
//! the same in whatever order and on whatever thread texts come. What the memo's hit rate relies
//! on is that tantivy indexes a passage's fields in schema order on one thread, so that the
//! stemmed field's analyzer (this tokenizer under a stem filter) reads the text right after the
//! exact one and gets its terms without cutting and normalizing a second time (about 10% of
//! indexing time). [`replays`] counts the hits; `tests/index.rs` checks that indexing gets one
//! per analyzed field pair, so a tantivy that changes its order fails a test instead of silently
//! indexing slower. (Handing tantivy 0.27 pre-tokenized text instead was measured and dropped:
//! its documents carry such text as JSON, and indexing ANT took 20 s and 730 MB instead of 8–13 s
//! and 450 MB.)

use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use super::normalizer::{
    is_arabic_letter, is_combining_mark, is_decimal_separator, is_digit, is_invisible_format,
    is_standalone_symbol, normalize_word_into, ARABIC_THOUSANDS_SEPARATOR, TERM_SEPARATOR,
};

/// Terms longer than this many bytes (after normalization) are not indexed: they are base64
/// blobs, URLs glued to text or other noise, and tantivy caps terms at 65 530 bytes anyway.
/// 120 bytes is 60 Arabic letters, far beyond any real word.
pub const MAX_TERM_BYTES: usize = 120;

#[derive(Clone, Default)]
pub struct ArabicTokenizer {
    token: Token,
    normalized: String,
}

pub struct ArabicTokenStream<'a> {
    text: &'a str,
    /// Byte index in `text` where the search for the next word starts.
    cursor: usize,
    token: &'a mut Token,
    /// Normalized terms of the current word, separated by [`TERM_SEPARATOR`].
    normalized: &'a mut String,
    /// Byte index in `normalized` of the next term of the current word still to emit.
    pending_from: usize,
    /// The thread's recording while this stream has it: being written (cutting `text`) or read
    /// (replaying it). Given back to the thread when the stream is dropped.
    recording: Option<Recording>,
    /// Replaying: index of the next recorded token.
    replay_next: Option<usize>,
}

/// Texts longer than this are not recorded (a passage or a title is far shorter; a whole file
/// handed to `fahras analyze` should not stay in memory).
const MAX_RECORDED_BYTES: usize = 64 << 10;

/// The terms of one text, as the tokenizer emitted them.
#[derive(Default)]
struct Recording {
    text: String,
    /// The terms, concatenated.
    terms: String,
    tokens: Vec<RecordedToken>,
    /// Set when the stream that wrote it ran to the end (only then is it replayed).
    complete: bool,
}

struct RecordedToken {
    /// End of the term in `Recording::terms` (it starts where the previous one ends).
    term_end: usize,
    offset_from: usize,
    offset_to: usize,
    position: usize,
}

thread_local! {
    static LAST_TEXT: RefCell<Recording> = RefCell::new(Recording::default());
}

/// Texts replayed since the process started, on every thread (see the module comment).
static REPLAYS: AtomicU64 = AtomicU64::new(0);

/// How many texts were cut by replaying a recording rather than cutting them again.
pub fn replays() -> u64 {
    REPLAYS.load(Ordering::Relaxed)
}

impl Tokenizer for ArabicTokenizer {
    type TokenStream<'a> = ArabicTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> ArabicTokenStream<'a> {
        self.token.reset();
        self.normalized.clear();
        let mut recording = LAST_TEXT.with(|last| std::mem::take(&mut *last.borrow_mut()));
        let replay = recording.complete && recording.text == text;
        if !replay {
            recording.text.clear();
            recording.terms.clear();
            recording.tokens.clear();
            recording.complete = false;
        }
        if replay {
            REPLAYS.fetch_add(1, Ordering::Relaxed);
        }
        let record = replay || text.len() <= MAX_RECORDED_BYTES;
        if record && !replay {
            recording.text.push_str(text);
        }
        ArabicTokenStream {
            text,
            cursor: 0,
            token: &mut self.token,
            normalized: &mut self.normalized,
            pending_from: 0,
            recording: record.then_some(recording),
            replay_next: replay.then_some(0),
        }
    }
}

impl Drop for ArabicTokenStream<'_> {
    fn drop(&mut self) {
        if let Some(recording) = self.recording.take() {
            LAST_TEXT.with(|last| *last.borrow_mut() = recording);
        }
    }
}

/// A character that can begin a word and carries its content.
fn is_word_core(c: char) -> bool {
    // Arabic letters and harakat, and ASCII, first: they are nearly all of the text, and the
    // general Unicode lookup is slow (letters, harakat and tatweel are alphanumeric for Unicode
    // too, so this is `c.is_alphanumeric()`, only faster).
    is_arabic_letter(c)
        || ('\u{064B}'..='\u{0652}').contains(&c)
        || c.is_ascii_alphanumeric()
        || (!c.is_ascii() && c.is_alphanumeric())
}

/// Finds the byte range of the next word at or after `from`.
pub fn next_word(text: &str, from: usize) -> Option<(usize, usize)> {
    let rest = &text[from..];
    let (start_rel, first) = rest
        .char_indices()
        .find(|&(_, c)| is_word_core(c) || is_standalone_symbol(c))?;
    let start = from + start_rel;
    let first_end = start + first.len_utf8();
    if is_standalone_symbol(first) {
        return Some((start, first_end));
    }
    // `end` is the end of the last character that certainly belongs to the word; joiners and
    // number separators are only taken once something word-like follows them.
    let mut end = first_end;
    let mut prev_core = first;
    // A run of invisible characters is looked through once: `run_end` is where the last scan
    // stopped (the first visible character after the run) and `run_joins` what it found, so
    // the other characters of the run reuse it (rescanning from each would be quadratic).
    let mut run_end = 0;
    let mut run_joins = false;
    let mut iter = text[first_end..].char_indices().peekable();
    while let Some((rel, c)) = iter.next() {
        let at = first_end + rel;
        if is_standalone_symbol(c) {
            break;
        }
        if is_word_core(c) || is_combining_mark(c) {
            end = at + c.len_utf8();
            if is_word_core(c) {
                prev_core = c;
            }
            continue;
        }
        let next = iter.peek().map(|&(_, n)| n);
        let joins = if is_invisible_format(c) {
            // Invisible characters may come in runs (RLM + ZWJ); they join when a word character
            // eventually follows.
            if at >= run_end {
                let visible = text[at..]
                    .char_indices()
                    .find(|&(_, x)| !is_invisible_format(x));
                run_end = visible.map_or(text.len(), |(i, _)| at + i);
                run_joins = visible.is_some_and(|(_, n)| is_word_core(n) || is_combining_mark(n));
            }
            run_joins
        } else if is_decimal_separator(c) || c == ARABIC_THOUSANDS_SEPARATOR {
            is_digit(prev_core) && next.is_some_and(is_digit)
        } else {
            false
        };
        if !joins {
            break;
        }
        end = at + c.len_utf8();
    }
    Some((start, end))
}

impl ArabicTokenStream<'_> {
    /// Emits the next pending term of the current word, if any.
    fn emit_pending(&mut self) -> bool {
        while self.pending_from < self.normalized.len() {
            let rest = &self.normalized[self.pending_from..];
            let term_len = rest.find(TERM_SEPARATOR).unwrap_or(rest.len());
            let term = &rest[..term_len];
            self.pending_from += term_len + TERM_SEPARATOR.len_utf8();
            if term.is_empty() || term.len() > MAX_TERM_BYTES {
                continue;
            }
            self.token.text.clear();
            self.token.text.push_str(term);
            self.token.position = self.token.position.wrapping_add(1);
            return true;
        }
        false
    }
}

impl ArabicTokenStream<'_> {
    /// Replays the next recorded token; false at the end.
    fn replay(&mut self, next: usize) -> bool {
        let Some(recording) = &self.recording else {
            return false;
        };
        let Some(recorded) = recording.tokens.get(next) else {
            return false;
        };
        let start = next
            .checked_sub(1)
            .map_or(0, |previous| recording.tokens[previous].term_end);
        self.token.text.clear();
        self.token
            .text
            .push_str(&recording.terms[start..recorded.term_end]);
        self.token.offset_from = recorded.offset_from;
        self.token.offset_to = recorded.offset_to;
        self.token.position = recorded.position;
        self.replay_next = Some(next + 1);
        true
    }

    fn record(&mut self) {
        if let Some(recording) = &mut self.recording {
            recording.terms.push_str(&self.token.text);
            recording.tokens.push(RecordedToken {
                term_end: recording.terms.len(),
                offset_from: self.token.offset_from,
                offset_to: self.token.offset_to,
                position: self.token.position,
            });
        }
    }
}

impl TokenStream for ArabicTokenStream<'_> {
    fn advance(&mut self) -> bool {
        if let Some(next) = self.replay_next {
            return self.replay(next);
        }
        loop {
            if self.emit_pending() {
                self.record();
                return true;
            }
            let Some((start, end)) = next_word(self.text, self.cursor) else {
                self.cursor = self.text.len();
                if let Some(recording) = &mut self.recording {
                    recording.complete = true;
                }
                return false;
            };
            self.cursor = end;
            normalize_word_into(&self.text[start..end], self.normalized);
            self.pending_from = 0;
            self.token.offset_from = start;
            self.token.offset_to = end;
        }
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (original slice, term, position) for every token of `text`.
    fn tokens(text: &str) -> Vec<(String, String, usize)> {
        let mut tokenizer = ArabicTokenizer::default();
        let mut stream = tokenizer.token_stream(text);
        let mut out = Vec::new();
        while let Some(token) = stream.next() {
            out.push((
                text[token.offset_from..token.offset_to].to_string(),
                token.text.clone(),
                token.position,
            ));
        }
        out
    }

    fn assert_token(token: &(String, String, usize), original: &str, term: &str, position: usize) {
        assert_eq!(
            (token.0.as_str(), token.1.as_str(), token.2),
            (original, term, position)
        );
    }

    #[test]
    fn offsets_cover_the_diacritized_word() {
        let text = "كُتَّاَبْ بيوت";
        let toks = tokens(text);
        assert_eq!(toks.len(), 2);
        assert_token(&toks[0], "كُتَّاَبْ", "كتاب", 0);
        assert_token(&toks[1], "بيوت", "بيوت", 1);
    }

    #[test]
    fn punctuation_and_zwnj_separate_words() {
        let toks = tokens("قال: «السلام»، ثم؟ می\u{200C}خورد covid-19");
        let terms: Vec<&str> = toks.iter().map(|t| t.1.as_str()).collect();
        assert_eq!(terms, ["قال", "السلام", "ثم", "مي", "خورد", "covid", "19"]);
    }

    #[test]
    fn joiners_stay_inside_but_not_at_the_edges() {
        let toks = tokens("\u{200F}كتاب\u{200F} مر\u{200D}حبا");
        assert_token(&toks[0], "كتاب", "كتاب", 0);
        assert_token(&toks[1], "مر\u{200D}حبا", "مرحبا", 1);
    }

    #[test]
    fn numbers_keep_their_separators_only_between_digits() {
        let toks = tokens("٣٫١٤ و١٬٠٠٠ عام 2018. ثم");
        let terms: Vec<&str> = toks.iter().map(|t| t.1.as_str()).collect();
        assert_eq!(terms, ["3.14", "و1000", "عام", "2018", "ثم"]);
        assert_eq!(toks[3].0, "2018");
    }

    #[test]
    fn phrase_ligature_gives_consecutive_positions_with_shared_offsets() {
        let toks = tokens("محمد ﷺ قال");
        assert_eq!(toks.len(), 6);
        assert_token(&toks[0], "محمد", "محمد", 0);
        for (i, term) in ["صلي", "الله", "عليه", "وسلم"].iter().enumerate() {
            assert_token(&toks[1 + i], "ﷺ", term, 1 + i);
        }
        assert_token(&toks[5], "قال", "قال", 5);
    }

    #[test]
    fn a_word_of_marks_only_takes_no_position() {
        let toks = tokens("كتب \u{064E}\u{0651} قلم");
        assert_eq!(toks.len(), 2);
        assert_token(&toks[1], "قلم", "قلم", 1);
    }

    #[test]
    fn cutting_the_same_text_again_replays_the_same_tokens() {
        let text = "قال الرئيسُ ﷺ ٣٫١٤ مر\u{200D}حبا كتب \u{064E} قلم";
        let first = tokens(text);
        // Replayed (the thread's last text), then after another text, then fresh again.
        assert_eq!(tokens(text), first);
        assert_eq!(
            tokens("نص آخر"),
            vec![
                ("نص".to_owned(), "نص".to_owned(), 0),
                ("آخر".to_owned(), "اخر".to_owned(), 1),
            ]
        );
        assert_eq!(tokens(text), first);
    }

    #[test]
    fn a_stream_left_unfinished_is_not_replayed() {
        let text = "الاول الثاني الثالث";
        let mut tokenizer = ArabicTokenizer::default();
        {
            let mut stream = tokenizer.token_stream(text);
            assert!(stream.advance());
        }
        let all = tokens(text);
        assert_eq!(all.len(), 3);
        assert_eq!(all[2].1, "الثالث");
    }

    #[test]
    fn a_stemmed_analysis_right_after_the_exact_one_is_the_same_as_alone() {
        use tantivy::tokenizer::TextAnalyzer;
        let text = "وبالمفاوضات والسفراء الروسيين لبوتين سوريا";
        let stem = || -> TextAnalyzer {
            TextAnalyzer::builder(ArabicTokenizer::default())
                .filter(crate::analysis::stem_filter::StemFilter::new(
                    crate::analysis::StemmerKind::Light,
                ))
                .build()
        };
        let collect = |analyzer: &mut TextAnalyzer, text: &str| {
            let mut stream = analyzer.token_stream(text);
            let mut out = Vec::new();
            while let Some(t) = stream.next() {
                out.push((t.text.clone(), t.offset_from, t.offset_to, t.position));
            }
            out
        };
        let _ = tokens("شيء آخر");
        let alone = collect(&mut stem(), text);
        let _ = tokens(text);
        let after_exact = collect(&mut stem(), text);
        assert_eq!(after_exact, alone);
        // Five words; وبالمفاوضات has three readings, والسفراء and لبوتين two each.
        assert_eq!(alone.len(), 9, "{alone:?}");
    }

    #[test]
    fn word_core_is_alphanumeric() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(is_word_core(c), c.is_alphanumeric(), "{c:?}");
        }
    }

    #[test]
    fn overlong_terms_are_dropped() {
        let long = "ب".repeat(200);
        let toks = tokens(&format!("قبل {long} بعد"));
        let terms: Vec<&str> = toks.iter().map(|t| t.1.as_str()).collect();
        assert_eq!(terms, ["قبل", "بعد"]);
    }
}
