//! Normalization of one word into its exact search term(s).
//!
//! The rules, in order (see `docs` in the README):
//! 1. Unicode compatibility folding (NFKC): presentation forms and ligatures become letters.
//! 2. Deletion of harakat, Qur'anic marks, dagger alef, tatweel and invisible format characters.
//! 3. Letter folding: alef forms → ا, yeh forms → ي, teh marbuta/heh forms → ه, keheh → ك,
//!    hamza seats ؤ ئ → ء.
//! 4. Digits: Arabic-Indic and extended Arabic-Indic → ASCII; decimal separators between digits become
//!    `.`, the Arabic thousands separator is dropped.
//! 5. Lower-casing.
//!
//! The normalizer sees one word as cut by the tokenizer and writes the result into a caller-owned
//! buffer, so normalizing clean text allocates nothing. A word whose folding yields several words
//! (ﷺ, ﷽, ½) comes out as terms separated by a single space; the tokenizer turns them into tokens.

use unicode_normalization::UnicodeNormalization;

/// Separator between several terms produced from one word.
pub const TERM_SEPARATOR: char = ' ';

/// What the folding table says about one character (after NFKC).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fold {
    /// An Arabic letter that stays as it is.
    Letter,
    Keep,
    Delete,
    Replace(char),
}

/// Tatweel (kashida), the stretching stroke between joined letters: not a letter, deleted.
pub const TATWEEL: char = '\u{0640}';

/// An Arabic letter: the one definition the analysis (normalizer, tokenizer, light stemmer) and
/// the name variants share.
///
/// Exactly U+0621–U+063F and U+0641–U+064A (hamza to yeh, the letters of the Arabic block;
/// U+0640 between them is [`TATWEEL`], a stretching stroke that normalization deletes), and
/// U+0671–U+06D3 (alef wasla and the extended letters of Persian, Urdu, Kurdish and other
/// languages written in Arabic script: پ چ ژ گ ی ک ے …). Not letters: harakat and Qur'anic marks,
/// the dagger alef U+0670 (a mark), digits, punctuation, the dotless archaic forms U+066E/U+066F.
/// Every letter is two bytes long in UTF-8, which the light stemmer counts on.
pub fn is_arabic_letter(c: char) -> bool {
    matches!(c, '\u{0621}'..='\u{063F}' | '\u{0641}'..='\u{064A}' | '\u{0671}'..='\u{06D3}')
}

/// Step 2 and 3 as a table: the fate of one (already NFKC-folded) character.
fn fold_char(c: char) -> Fold {
    match c {
        // Step 2: marks and invisible characters are deleted.
        '\u{0610}'..='\u{061A}'
        | '\u{064B}'..='\u{065F}'
        | '\u{0670}'
        | '\u{06D6}'..='\u{06ED}'
        | TATWEEL => Fold::Delete,
        // Step 3: letter variants.
        'آ' | 'أ' | 'إ' | 'ٱ' | 'ٲ' | 'ٳ' => Fold::Replace('ا'),
        'ى' | 'ی' | 'ې' | 'ے' => Fold::Replace('ي'),
        'ة' | 'ۃ' | 'ۀ' | 'ہ' | 'ھ' | 'ە' => Fold::Replace('ه'),
        'ک' => Fold::Replace('ك'),
        'ؤ' | 'ئ' => Fold::Replace('ء'),
        // Step 4: digits.
        '٠'..='٩' => Fold::Replace(char::from(b'0' + (c as u32 - '٠' as u32) as u8)),
        '۰'..='۹' => Fold::Replace(char::from(b'0' + (c as u32 - '۰' as u32) as u8)),
        // Every other letter stays as it is.
        c if is_arabic_letter(c) => Fold::Letter,
        c if is_invisible_format(c) => Fold::Delete,
        _ => Fold::Keep,
    }
}

/// How a near-duplicate signature (`index::dedup`) reads one character of an article's body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureChar {
    /// Part of a word, as this character.
    Char(char),
    /// Dropped: the word goes on.
    Skip,
    /// Not part of a word: ends the current one.
    Boundary,
}

/// The folding table above, restricted to the folds near-duplicate signatures have always
/// applied: harakat (U+064B–U+065F), the dagger alef and tatweel are dropped, أ إ آ → ا, ة → ه,
/// ى → ي, ASCII is lower-cased; every other letter or digit is kept as it is and anything else
/// ends a word. Signatures are stored in the index and compared with the signatures of articles
/// indexed later, so the characters they fold cannot grow without rebuilding every index; the
/// test `signature_folds_are_a_subset_of_the_folding_table` keeps them part of this table.
pub fn signature_char(c: char) -> SignatureChar {
    match fold_char(c) {
        Fold::Delete if matches!(c, '\u{064B}'..='\u{065F}' | '\u{0670}' | TATWEEL) => {
            SignatureChar::Skip
        }
        Fold::Replace(folded) if matches!(c, 'أ' | 'إ' | 'آ' | 'ة' | 'ى') => {
            SignatureChar::Char(folded)
        }
        _ if c.is_ascii_alphanumeric() => SignatureChar::Char(c.to_ascii_lowercase()),
        _ if is_arabic_letter(c) || (!c.is_ascii() && c.is_alphanumeric()) => {
            SignatureChar::Char(c)
        }
        _ => SignatureChar::Boundary,
    }
}

/// Invisible format characters that may sit inside a word and carry no meaning for search
/// (ZWJ, LRM/RLM, ALM, bidi embeddings and isolates, BOM). ZWNJ is not here: it separates words.
pub fn is_invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{200D}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{061C}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
    )
}

/// Marks that belong to the letter before them (harakat, Qur'anic marks, combining diacritics of
/// other scripts). The tokenizer keeps them inside a word; the normalizer deletes the Arabic ones.
pub fn is_combining_mark(c: char) -> bool {
    matches!(
        c,
        '\u{0610}'..='\u{061A}'
            | '\u{064B}'..='\u{065F}'
            | '\u{0670}'
            | '\u{06D6}'..='\u{06ED}'
            | '\u{0300}'..='\u{036F}'
            | '\u{1AB0}'..='\u{1AFF}'
            | '\u{1DC0}'..='\u{1DFF}'
            | '\u{20D0}'..='\u{20FF}'
            | '\u{FE20}'..='\u{FE2F}'
    )
}

/// Decimal separators that keep a number whole when they stand between two digits.
pub fn is_decimal_separator(c: char) -> bool {
    matches!(c, '.' | '\u{066B}')
}

/// The Arabic thousands separator, dropped inside a number (١٬٠٠٠ → 1000).
pub const ARABIC_THOUSANDS_SEPARATOR: char = '\u{066C}';

/// A digit in any of the digit sets the normalizer folds.
pub fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || matches!(c, '٠'..='٩' | '۰'..='۹')
}

/// Characters whose compatibility folding is a whole phrase and that Unicode gives no decomposition.
fn phrase_ligature(c: char) -> Option<&'static str> {
    match c {
        '\u{FDFD}' => Some("بسم الله الرحمن الرحيم"),
        '\u{FDFE}' => Some("سبحانه وتعالى"),
        '\u{FDFF}' => Some("عز وجل"),
        _ => None,
    }
}

/// Characters that form a word on their own and never join their neighbours (honorific and
/// basmala ligatures, the rial sign).
pub fn is_standalone_symbol(c: char) -> bool {
    matches!(c, '\u{FDFA}'..='\u{FDFF}')
}

/// True when `c` cannot be changed by NFKC, lower-casing or folding in a way that depends on its
/// neighbours: plain ASCII letters and digits, and the basic Arabic letters that the folding table
/// handles one character at a time. Words made only of these take the fast path.
fn is_simple(c: char) -> bool {
    c.is_ascii_alphanumeric()
        // Letters, but not the four that NFKC decomposes (high hamza alef, waw, U, yeh).
        || (is_arabic_letter(c) && !('\u{0675}'..='\u{0678}').contains(&c))
        || c == TATWEEL
        || ('\u{064B}'..='\u{0652}').contains(&c) // harakat: deleted, compose with nothing
        || ('\u{0660}'..='\u{0669}').contains(&c)
        || ('\u{06F0}'..='\u{06F9}').contains(&c)
        || c == '\u{0670}'
        || c == '\u{0671}'
        || c == ARABIC_THOUSANDS_SEPARATOR
        || c == '\u{066B}'
}

/// Normalizes one word into `out` (which is cleared first). Several resulting terms are separated
/// by [`TERM_SEPARATOR`]; an empty `out` means the word has no searchable content.
pub fn normalize_word_into(word: &str, out: &mut String) {
    out.clear();
    if fold_arabic_block(word, out) {
        return;
    }
    out.clear();
    if word.chars().all(is_simple) {
        fold_chars(word.chars(), out);
        return;
    }
    // Slow path: compatibility folding first. Tatweel and format characters are removed before
    // NFKC as well as after it, so that they cannot block a canonical composition that a second
    // pass would then perform (normalizing a term must not change it).
    let mut scratch = String::with_capacity(word.len());
    normalize_once(word, &mut scratch);
    // Lower-casing or folding can, for rare non-Arabic characters, yield text that NFKC would
    // change again; iterate to the fixed point (at most a few rounds in practice).
    for _ in 0..4 {
        if scratch.chars().all(is_simple_or_separator) {
            break;
        }
        normalize_once(&scratch, out);
        if *out == scratch {
            break;
        }
        std::mem::swap(out, &mut scratch);
    }
    out.clear();
    out.push_str(&scratch);
}

/// The first and last characters of the Arabic block [`fold_arabic_block`] reads: the letters
/// U+0621–U+064A (tatweel U+0640 among them) and the harakat U+064B–U+0652.
const BLOCK_FIRST: u32 = 0x0621;
const BLOCK_LAST: u32 = 0x0652;

/// [`fold_char`] of each character of the block, read once: the letter it becomes, or `None`
/// when it is deleted.
static BLOCK_FOLDS: std::sync::LazyLock<Vec<Option<char>>> = std::sync::LazyLock::new(|| {
    (BLOCK_FIRST..=BLOCK_LAST)
        .map(|code| {
            let c = char::from_u32(code).unwrap_or_default();
            match fold_char(c) {
                Fold::Letter => Some(c),
                Fold::Replace(r) => Some(r),
                Fold::Delete | Fold::Keep => None,
            }
        })
        .collect()
});

/// Folds a word written only with the block's letters and harakat — nearly every word of
/// Arabic news — a table lookup per two-byte character instead of the general path's
/// per-character dispatch (a fifth of highlighting, and of the analysis at index time). False,
/// with `out` partly written, for any other word. For these characters the general path is
/// exactly [`fold_char`] applied to each (no digits, separators or compatibility forms among
/// them); `tests::the_arabic_block_folds_as_the_general_path_does` checks every word of up to
/// three of them.
fn fold_arabic_block(word: &str, out: &mut String) -> bool {
    let bytes = word.as_bytes();
    if bytes.is_empty() || !bytes.len().is_multiple_of(2) {
        return false;
    }
    let folds = &*BLOCK_FOLDS;
    for pair in bytes.chunks_exact(2) {
        // A two-byte UTF-8 sequence: 110xxxxx 10xxxxxx.
        if pair[0] & 0xE0 != 0xC0 || pair[1] & 0xC0 != 0x80 {
            return false;
        }
        let code = (u32::from(pair[0] & 0x1F) << 6) | u32::from(pair[1] & 0x3F);
        if !(BLOCK_FIRST..=BLOCK_LAST).contains(&code) {
            return false;
        }
        if let Some(folded) = folds[(code - BLOCK_FIRST) as usize] {
            out.push(folded);
        }
    }
    true
}

fn is_simple_or_separator(c: char) -> bool {
    c == TERM_SEPARATOR || c == '.' || is_simple(c)
}

fn normalize_once(word: &str, out: &mut String) {
    out.clear();
    let pre_cleaned = word
        .chars()
        .filter(|&c| c != TATWEEL && !is_invisible_format(c))
        .flat_map(PhraseExpansion::new)
        .nfkc();
    fold_chars(pre_cleaned, out);
}

/// Either the character itself or the phrase a no-decomposition ligature stands for.
enum PhraseExpansion {
    Char(std::iter::Once<char>),
    Phrase(std::str::Chars<'static>),
}

impl PhraseExpansion {
    fn new(c: char) -> Self {
        match phrase_ligature(c) {
            Some(phrase) => PhraseExpansion::Phrase(phrase.chars()),
            None => PhraseExpansion::Char(std::iter::once(c)),
        }
    }
}

impl Iterator for PhraseExpansion {
    type Item = char;
    fn next(&mut self) -> Option<char> {
        match self {
            PhraseExpansion::Char(it) => it.next(),
            PhraseExpansion::Phrase(it) => it.next(),
        }
    }
}

/// Steps 2–5 over already compatibility-folded characters.
fn fold_chars(chars: impl Iterator<Item = char>, out: &mut String) {
    let mut chars = chars.peekable();
    // Whether the last character written is an ASCII digit (for decimal separators).
    let mut last_is_digit = false;
    while let Some(c) = chars.next() {
        if is_decimal_separator(c) || c == ARABIC_THOUSANDS_SEPARATOR {
            let next_is_digit = chars.peek().is_some_and(|&n| is_digit(n));
            if last_is_digit && next_is_digit {
                if c != ARABIC_THOUSANDS_SEPARATOR {
                    out.push('.');
                }
                last_is_digit = false;
                continue;
            }
        }
        match fold_char(c) {
            Fold::Letter => out.push(c),
            Fold::Delete => continue,
            Fold::Replace(r) => out.push(r),
            Fold::Keep if c.is_ascii() => {
                if c.is_ascii_alphanumeric() {
                    out.push(c.to_ascii_lowercase());
                } else {
                    push_separator(out);
                }
            }
            Fold::Keep if c.is_alphanumeric() => out.extend(c.to_lowercase()),
            // A mark with no letter to sit on (after deleted harakat, say) carries nothing.
            Fold::Keep if is_combining_mark(c) => {
                if !out.is_empty() && !out.ends_with(TERM_SEPARATOR) {
                    out.push(c);
                }
            }
            // Anything else that compatibility folding produced (a space inside ﷺ, the fraction
            // slash of ½, a stray symbol) ends the current term.
            Fold::Keep => push_separator(out),
        }
        last_is_digit = out.as_bytes().last().is_some_and(u8::is_ascii_digit);
    }
    if out.ends_with(TERM_SEPARATOR) {
        out.pop();
    }
}

fn push_separator(out: &mut String) {
    if !out.is_empty() && !out.ends_with(TERM_SEPARATOR) {
        out.push(TERM_SEPARATOR);
    }
}

/// Convenience for tests and callers that want owned terms.
pub fn normalize_word(word: &str) -> Vec<String> {
    let mut out = String::new();
    normalize_word_into(word, &mut out);
    out.split(TERM_SEPARATOR)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(word: &str) -> String {
        normalize_word(word).join(" ")
    }

    #[test]
    fn the_arabic_block_folds_as_the_general_path_does() {
        let block: Vec<char> = (BLOCK_FIRST..=BLOCK_LAST)
            .filter_map(char::from_u32)
            .collect();
        let general = |word: &str| {
            let mut out = String::new();
            assert!(word.chars().all(is_simple), "{word:?}");
            fold_chars(word.chars(), &mut out);
            out
        };
        let mut fast = String::new();
        let mut words = 0;
        for &a in &block {
            for &b in std::iter::once(&'\0').chain(&block) {
                for &c in std::iter::once(&'\0').chain(&block) {
                    let word: String = [a, b, c].iter().filter(|&&x| x != '\0').collect();
                    fast.clear();
                    assert!(fold_arabic_block(&word, &mut fast), "{word:?}");
                    assert_eq!(fast, general(&word), "{word:?}");
                    words += 1;
                }
            }
        }
        assert_eq!(words, 50 * 51 * 51);
        // Anything else takes the general path.
        for word in ["", "abc", "بايدن2", "ﷺ", "\u{0675}", "ب\u{200D}ت", "ٱ", "۴"] {
            assert!(!fold_arabic_block(word, &mut String::new()), "{word:?}");
        }
    }

    #[test]
    fn deletes_harakat_and_tatweel() {
        assert_eq!(norm("الْمَدْرَسَةُ"), "المدرسه");
        assert_eq!(norm("بـــايدن"), "بايدن");
        assert_eq!(norm("هٰذا"), "هذا");
    }

    #[test]
    fn folds_alef_yeh_teh_marbuta_and_hamza_seats() {
        assert_eq!(norm("أإآٱ"), "اااا");
        assert_eq!(norm("مستشفى"), "مستشفي");
        assert_eq!(norm("مدينة"), "مدينه");
        assert_eq!(norm("مسؤول"), norm("مسئول"));
        assert_eq!(norm("شؤون"), norm("شئون"));
    }

    #[test]
    fn digits_and_numbers() {
        assert_eq!(norm("١٦"), "16");
        assert_eq!(norm("۱۲۳۴"), "1234");
        assert_eq!(norm("٣٫١٤"), "3.14");
        assert_eq!(norm("١٬٠٠٠"), "1000");
        assert_eq!(norm("3.14"), "3.14");
    }

    #[test]
    fn compatibility_forms_and_phrase_ligatures() {
        assert_eq!(norm("ﻻ"), "لا");
        assert_eq!(norm("ﺍﻟﻌﺮﺑﻴﺔ"), "العربيه");
        assert_eq!(norm("ﷲ"), "الله");
        assert_eq!(norm("﷼"), "ريال");
        assert_eq!(norm("ﷺ"), "صلي الله عليه وسلم");
        assert_eq!(norm("﷽"), "بسم الله الرحمن الرحيم");
    }

    #[test]
    fn latin_is_lowercased() {
        assert_eq!(norm("NATO"), "nato");
        assert_eq!(norm("Ärger"), "ärger");
    }

    #[test]
    fn invisible_characters_inside_a_word_are_deleted() {
        assert_eq!(norm("كتاب\u{200F}"), "كتاب");
        assert_eq!(norm("\u{FEFF}الخبر"), "الخبر");
        assert_eq!(norm("مر\u{200D}حبا"), "مرحبا");
    }

    #[test]
    fn clean_text_is_its_own_normal_form() {
        for word in ["كتاب", "العربيه", "nato", "2024", "3.14"] {
            assert_eq!(norm(word), word);
        }
    }

    #[test]
    fn the_fast_path_agrees_with_compatibility_folding_on_every_letter() {
        let letters: Vec<char> = ('\u{0600}'..='\u{06FF}')
            .filter(|&c| is_arabic_letter(c))
            .collect();
        let slow = |word: &str| {
            let mut out = String::new();
            normalize_once(word, &mut out);
            out
        };
        let fast = |word: &str| {
            let mut out = String::new();
            fold_chars(word.chars(), &mut out);
            out
        };
        for &a in &letters {
            for &b in &letters {
                let word: String = [a, b].into_iter().collect();
                if word.chars().all(is_simple) {
                    assert_eq!(fast(&word), slow(&word), "{a:?} {b:?}");
                }
            }
        }
    }

    #[test]
    fn arabic_letters_are_two_bytes_and_alphabetic() {
        let letters: Vec<char> = (0..=0x10FFFF)
            .filter_map(char::from_u32)
            .filter(|&c| is_arabic_letter(c))
            .collect();
        assert_eq!(
            letters.len(),
            0x63F - 0x621 + 1 + 0x64A - 0x641 + 1 + 0x6D3 - 0x671 + 1
        );
        for c in letters {
            assert_eq!(c.len_utf8(), 2, "{c:?}");
            assert!(c.is_alphabetic(), "{c:?}");
        }
        for not_a_letter in [
            TATWEEL, '\u{064E}', '\u{0670}', '٣', '،', '\u{066E}', '\u{06D4}',
        ] {
            assert!(!is_arabic_letter(not_a_letter), "{not_a_letter:?}");
        }
    }

    #[test]
    fn signature_folds_are_a_subset_of_the_folding_table() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            match signature_char(c) {
                SignatureChar::Skip => assert_eq!(fold_char(c), Fold::Delete, "{c:?}"),
                SignatureChar::Char(folded) if folded != c && !c.is_ascii() => {
                    assert_eq!(fold_char(c), Fold::Replace(folded), "{c:?}")
                }
                SignatureChar::Char(_) => assert!(c.is_alphanumeric(), "{c:?}"),
                SignatureChar::Boundary => assert!(!c.is_alphanumeric(), "{c:?}"),
            }
        }
    }
}
