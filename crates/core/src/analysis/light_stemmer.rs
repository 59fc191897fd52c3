//! Fahras's light stemmer for normalized Arabic terms.
//!
//! Light stemming removes clitics and inflectional affixes without trying to find roots. Two
//! published stemmers fall short on news text: Snowball's Arabic stemmer strips a leading ب or ف
//! from names (بوتين → وتين, فلسطين → لسط), and Larkey's Light10 never strips a lone ب/ل/ك
//! (لبوتين, كتابهم stay whole). The difficulty is real: a leading ب, ل, ك, و or ف is a clitic in
//! لبوتين and part of the word in بوتين, and only a lexicon can tell.
//!
//! This stemmer does not guess. It returns the *readings* of a term: the first is the term with
//! the unambiguous affixes removed (the definite article ال and لل, pronoun and number
//! suffixes); when the term starts with a proclitic letter that may or may not be one (a lone
//! و ف ب ك ل, or one before the article: بال is ب + ال in بالقانون, the word's own in باليستي),
//! it adds the readings with those letters removed. The index stores every reading at the
//! word's position. A query searches the first, and the others as far as the archive writes them
//! as words of their own (the query builder weighs them). So بوتين (query: بوت) finds لبوتين
//! (readings لبوت and بوت), while the query فهم does not match every هم.
//!
//! Suffixes are removed repeatedly (الفلسطينيين → فلسطيني → فلسطين → فلسط, the same stem as
//! فلسطين) as long as a stem of at least [`MIN_STEM_CHARS`] letters remains.

use super::normalizer::is_arabic_letter;

/// The shortest stem left after removing an affix.
pub const MIN_STEM_CHARS: usize = 3;

/// The definite article with the conjunctions and prepositions that attach before it,
/// longest first. `لل` is ل + ال with the alef elided.
const DEFINITE_PREFIXES: [&str; 12] = [
    "وبال", "وكال", "فبال", "فكال", "وال", "فال", "بال", "كال", "ولل", "فلل", "لل", "ال",
];

/// Suffixes, tried in this order on every round: pronouns, then plural/dual/feminine/nisba
/// endings (on normalized text: ة is ه, ى is ي). `يا` is the nisba with the adverbial alef
/// (رسميا, عسكريا) and the ending of country names (سوريا, روسيا, موريتانيا), so both meet their
/// adjectives (رسمي, السوري, الموريتانية).
const SUFFIXES: [&str; 16] = [
    "هما", "كما", "هم", "هن", "كم", "كن", "نا", "ها", "ات", "ون", "ين", "ان", "يه", "يا", "ه", "ي",
];

/// At most this many suffixes come off one word.
const MAX_SUFFIX_ROUNDS: usize = 3;

/// Conjunctions that may be attached to the front of a word.
fn is_conjunction(c: char) -> bool {
    matches!(c, 'و' | 'ف')
}

/// Prepositions that may be attached to the front of a word.
fn is_preposition(c: char) -> bool {
    matches!(c, 'ب' | 'ك' | 'ل')
}

/// [`MIN_STEM_CHARS`] Arabic letters, in bytes.
const MIN_STEM_BYTES: usize = MIN_STEM_CHARS * 2;

/// The readings of a normalized term: the first is the term with its unambiguous affixes
/// removed, the others come from removing proclitic letters that may be part of the word (a
/// lone one, or up to two before the article, and then the article). Never empty, no
/// duplicates.
pub fn stem_readings(term: &str) -> Vec<String> {
    let mut readings = Readings::default();
    stem_readings_into(term, &mut readings);
    readings.as_slice().to_vec()
}

/// Up to three readings, kept in reusable buffers so that stemming a stream of terms does not
/// allocate once the buffers have grown.
#[derive(Debug, Default, Clone)]
pub struct Readings {
    buffers: Vec<String>,
    len: usize,
}

impl Readings {
    pub fn as_slice(&self) -> &[String] {
        &self.buffers[..self.len]
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The `index`-th reading, mutable (to swap it into a token).
    pub fn get_mut(&mut self, index: usize) -> &mut String {
        &mut self.buffers[index]
    }

    fn clear(&mut self) {
        self.len = 0;
    }

    /// Makes `reading` the only reading.
    pub fn set_single(&mut self, reading: &str) {
        self.clear();
        self.push_unique(reading);
    }

    /// Adds `reading` unless it is already there.
    fn push_unique(&mut self, reading: &str) {
        if self.as_slice().iter().any(|r| r == reading) {
            return;
        }
        if self.len == self.buffers.len() {
            self.buffers.push(String::new());
        }
        let slot = &mut self.buffers[self.len];
        slot.clear();
        slot.push_str(reading);
        self.len += 1;
    }
}

/// As [`stem_readings`], writing into `readings` (cleared first).
pub fn stem_readings_into(term: &str, readings: &mut Readings) {
    readings.clear();
    // All the letters the stemmer works on are two bytes long in UTF-8, so lengths below are
    // counted in bytes: MIN_STEM_BYTES is MIN_STEM_CHARS letters.
    if term.len() < MIN_STEM_BYTES || !term.chars().all(is_arabic_letter) {
        readings.push_unique(term);
        return;
    }
    if let Some(prefix) = DEFINITE_PREFIXES.iter().find(|p| {
        term.strip_prefix(**p)
            .is_some_and(|rest| rest.len() >= MIN_STEM_BYTES)
    }) {
        let rest = &term[prefix.len()..];
        // Letters before the article may be the word's own: باليستي (ballistic), كاليفورنيا and
        // فالكون are not ب, ك, ف + ال + a word. So, as for a single proclitic, the word whole
        // is the first reading and each clitic letter removed gives another (وبالتيمور:
        // وبالتيمور, بالتيمور, تيمور), down to the article removed. Without the whole word,
        // باليستي (يست) never met الباليستية (باليست), and فالكون meant كون.
        let clitics = &prefix[..prefix.len() - "ال".len()];
        if prefix.ends_with("ال") && !clitics.is_empty() {
            let mut from = 0;
            while from < clitics.len() {
                // Not a reading whose suffixes ate into the prefix: باليونان (ب + اليونان)
                // would be بال, and meet بالي (Bali).
                let whole = strip_suffixes(&term[from..]);
                if whole.len() > prefix.len() - from {
                    readings.push_unique(whole);
                }
                from += clitics[from..].chars().next().map_or(1, char::len_utf8);
            }
        }
        readings.push_unique(strip_suffixes(rest));
        // لل may also be the preposition ل before a word starting with ل (لليبيا: ل + ليبيا).
        if prefix.ends_with("لل") {
            let with_lam = &term[prefix.len() - 'ل'.len_utf8()..];
            readings.push_unique(strip_suffixes(with_lam));
        }
        return;
    }
    readings.push_unique(strip_suffixes(term));
    let mut chars = term.chars();
    let first = chars.next().unwrap_or_default();
    if is_conjunction(first) || is_preposition(first) {
        let rest = chars.as_str();
        if rest.len() >= MIN_STEM_BYTES {
            readings.push_unique(strip_suffixes(rest));
            // A conjunction followed by a preposition (وبعد, فلكل): و + ب + word.
            let mut rest_chars = rest.chars();
            let second = rest_chars.next().unwrap_or_default();
            let rest2 = rest_chars.as_str();
            if is_conjunction(first) && is_preposition(second) && rest2.len() >= MIN_STEM_BYTES {
                readings.push_unique(strip_suffixes(rest2));
            }
        }
    }
}

/// Removes suffixes while a stem of [`MIN_STEM_CHARS`] letters remains.
fn strip_suffixes(word: &str) -> &str {
    let mut stem = word;
    for _ in 0..MAX_SUFFIX_ROUNDS {
        // Most words end in no suffix: compare the last letter (two bytes: every suffix letter is
        // Arabic) before comparing whole suffixes. This runs for every token indexed.
        let Some(last) = last_two_bytes(stem.as_bytes()) else {
            break;
        };
        let Some(shorter) = SUFFIXES
            .iter()
            .zip(SUFFIX_ENDS)
            .filter(|(_, end)| *end == last)
            .find_map(|(suffix, _)| strip_one_suffix(stem, suffix))
        else {
            break;
        };
        stem = shorter;
    }
    stem
}

const fn last_two_bytes(bytes: &[u8]) -> Option<[u8; 2]> {
    match bytes {
        [.., a, b] => Some([*a, *b]),
        _ => None,
    }
}

/// The last two bytes of each suffix in [`SUFFIXES`].
const SUFFIX_ENDS: [[u8; 2]; SUFFIXES.len()] = {
    let mut ends = [[0u8; 2]; SUFFIXES.len()];
    let mut i = 0;
    while i < SUFFIXES.len() {
        ends[i] = match last_two_bytes(SUFFIXES[i].as_bytes()) {
            Some(end) => end,
            None => panic!("a suffix shorter than one Arabic letter"),
        };
        i += 1;
    }
    ends
};

fn strip_one_suffix<'a>(word: &'a str, suffix: &str) -> Option<&'a str> {
    let stem = word.strip_suffix(suffix)?;
    if stem.len() < MIN_STEM_BYTES {
        return None;
    }
    // A yeh after alef is part of the stem (ولاية, ولايات, راي), not a nisba ending.
    if suffix.starts_with('ي') && stem.ends_with('ا') {
        return None;
    }
    Some(stem)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::normalizer::normalize_word;

    fn first(word: &str) -> String {
        let term = normalize_word(word).join(" ");
        stem_readings(&term).remove(0)
    }

    fn readings(word: &str) -> Vec<String> {
        stem_readings(&normalize_word(word).join(" "))
    }

    #[test]
    fn article_and_combinations_are_removed() {
        assert_eq!(first("الكتاب"), "كتاب");
        assert_eq!(first("للكتاب"), "كتاب");
        // A letter before the article may be a clitic or the word's own: both readings.
        assert_eq!(readings("والكتاب"), ["والكتاب", "كتاب"]);
        assert!(readings("بالقانون").contains(&first("قانون")));
        assert_eq!(readings("فالكتاب"), ["فالكتاب", "كتاب"]);
        let two_clitics = readings("وبالقانون");
        assert_eq!(two_clitics.len(), 3, "{two_clitics:?}");
        assert_eq!(two_clitics[2], first("قانون"));
    }

    #[test]
    fn a_word_that_starts_like_an_article_with_a_clitic_is_also_read_whole() {
        // باليستي (ballistic) meets الباليستية, كاليفورنيا meets بكاليفورنيا, and فالكون is
        // also فالكون, not only ف + ال + كون.
        assert!(readings("باليستي").contains(&first("الباليستية")));
        assert!(readings("كاليفورنيا")
            .iter()
            .any(|r| readings("بكاليفورنيا").contains(r)));
        assert_eq!(readings("فالكون"), ["فالك", "كون"]);
        assert_eq!(readings("بالتيمور"), ["بالتيمور", "تيمور"]);
        // باليونان is ب + اليونان: its whole reading would be the prefix alone (بال, as بالي).
        assert_eq!(readings("باليونان"), [first("اليونان")]);
    }

    #[test]
    fn ambiguous_proclitics_give_both_readings() {
        assert_eq!(readings("لبوتين"), ["لبوت", "بوت"]);
        assert_eq!(readings("بوتين"), ["بوت", "وتين"]);
        assert!(readings("وبعد").contains(&"بعد".to_string()));
    }

    #[test]
    fn suffixes_come_off_in_rounds() {
        assert_eq!(first("كتابهم"), "كتاب");
        assert_eq!(first("الفلسطينيين"), first("فلسطين"));
        assert_eq!(first("الولايات"), first("ولاية"));
        assert_eq!(first("مسئولين"), first("مسؤول"));
    }

    #[test]
    fn short_words_and_non_arabic_terms_stay_whole() {
        assert_eq!(readings("من"), ["من"]);
        assert_eq!(readings("علي"), ["علي"]);
        assert_eq!(readings("nato"), ["nato"]);
        assert_eq!(readings("2021"), ["2021"]);
        assert_eq!(first("بطاطس"), "بطاطس");
    }
}
