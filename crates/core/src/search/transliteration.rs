//! Latin-script names: a query word typed in Latin letters (`Putin`, `Poutine`, `Erdoğan`,
//! `Khashoggi`) is matched to the Arabic spellings the archive uses (بوتين, بوتن, اردوغان, خاشقجي).
//!
//! The word is folded to lower-case ASCII (ğ → g, é → e, ü → u, ş → sh, ß → ss …) and cut into
//! units, longest first: consonant clusters (kh خ, sh/sch ش, ch ش/تش/ك/خ, gh غ, th ت/ث, dh ذ/د,
//! ph ف, ck ك, tz تز/تس …), vowel pairs (ou/oo و, ee ي, ei/ey ي/اي/ءي, ai/ay اي/ي, eo يو/و …),
//! doubled consonants (written once, as Arabic writes them without shadda) and single letters.
//! Each unit is a slot of Arabic alternatives, each with a cost: 0 for the usual spelling (g غ/ج,
//! t ت/ط, s س/ص, i ي), 1 or 2 for rarer ones (s ز, w ف (German), u ا as in ترامب, a short vowel
//! left unwritten where it usually is written). Short vowels may be unwritten, a final -a is ا
//! or ه (ة is folded to ه), a word starting with a vowel starts with ا (or ع: عباس, عون), and the
//! whole may take the article ال (الموصل, الحوثي, السيسي) at a cost.
//!
//! The slots make a small nondeterministic automaton over the UTF-8 bytes of the normalized
//! Arabic terms (the form the exact field holds), run over the exact field's term dictionary:
//! the dictionary is intersected with the pattern, neither scanned nor compared with an exploded
//! list of spellings. Each term it accepts gets its cost (the cheapest way the pattern spells it)
//! and its passages; [`choose`] keeps the likeliest (see there).
//!
//! Words that are never transliterated: shorter than [`MIN_LATIN_LETTERS`] letters, without a
//! vowel letter (BBC, CNN: acronyms are read letter by letter, never as a word), common English,
//! French and German function words, and anything with a digit or a letter outside Latin.

use std::collections::BTreeMap;

use tantivy::schema::Field;
use tantivy::Searcher;

use super::variants::Variant;
use crate::analysis::normalizer::is_arabic_letter;

/// Latin words shorter than this are never transliterated (Kim كيم is three letters; two-letter
/// words are particles).
pub const MIN_LATIN_LETTERS: usize = 3;
/// …nor longer than this (no name is; a bound on the automaton).
pub const MAX_LATIN_LETTERS: usize = 24;
/// Latin words shorter than this never take the article ال (الكم for Kim).
pub const MIN_LETTERS_FOR_ARTICLE: usize = 4;
/// An Arabic form has at least this many letters besides an article ال.
pub const MIN_ARABIC_LETTERS: usize = 3;
/// A form that writes fewer letters than the likeliest one (a vowel left out: بوتن for بوتين) has
/// at least this many letters besides an article: shorter, it is another word (كنت beside كونتي
/// for Conte, برس beside بوريس for Boris, عبس beside عباس).
pub const MIN_SHORTER_LETTERS: usize = 4;
/// A form with the article ال beside a likeliest form without it is in at least 1/ARTICLE_RARITY
/// as many passages: a name that takes the article takes it often (البريكست beside بريكسيت), an
/// Arabic word that sounds like the name is another word (الحماس beside حماس, الاباما beside
/// اوباما).
pub const ARTICLE_RARITY: u64 = 5;
/// An Arabic form must be in at least this many passages (a form found once is as likely a typo
/// in the archive).
pub const MIN_PASSAGES: u64 = 3;
/// …and, besides the likeliest form, be in at least 1/MAX_RARITY as many passages as it (see
/// [`choose`]).
pub const MAX_RARITY: u64 = 50;
/// At most this many Arabic forms per Latin word, the likeliest first.
pub const MAX_FORMS: usize = 4;
/// Forms whose cheapest spelling costs more than this are not kept at all.
pub const MAX_COST: u8 = 4;
/// Each unit of cost divides a form's weight by this much when forms are compared.
pub const COST_FACTOR: f64 = 8.0;
/// The cost of the article ال before a name: a name takes it rarely (الموصل, الحريري), an Arabic
/// word that sounds like a name often (الحالي for Haley).
const ARTICLE_COST: u8 = 2;
/// The extra cost of a spelling that writes none of the Latin word's vowels.
const UNVOICED_COST: u8 = 1;

/// Common function words of English, French and German of three letters or more: never names.
const FUNCTION_WORDS: &[&str] = &[
    "the", "and", "for", "with", "from", "that", "this", "you", "are", "was", "were", "but", "not",
    "all", "any", "can", "has", "have", "had", "her", "his", "its", "our", "out", "who", "why",
    "how", "what", "when", "where", "will", "she", "they", "them", "their", "there", "been",
    "into", "than", "then", "also", "over", "after", "about", "les", "des", "une", "est", "pour",
    "avec", "dans", "sur", "par", "qui", "que", "pas", "mais", "ces", "son", "ses", "aux", "der",
    "die", "das", "und", "mit", "von", "ein", "eine", "ist", "den", "dem", "sie", "auf", "aus",
    "nicht", "auch", "sich", "wie", "bei", "oder",
];

/// One Arabic alternative of a unit: normalized letters (possibly none) and their cost.
type Alternative = (&'static str, u8);

/// The lower-case ASCII letters a Latin word folds to; `None` when `word` is not a Latin word
/// (a digit, a letter of another script, punctuation).
pub fn fold_latin(word: &str) -> Option<String> {
    let mut out = String::with_capacity(word.len());
    for c in word.chars().flat_map(char::to_lowercase) {
        let folded: &str = match c {
            'a'..='z' => {
                out.push(c);
                continue;
            }
            // Marks left by lowercasing (İ → i + U+0307) or typed as combining accents.
            '\u{0300}'..='\u{036F}' => continue,
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
            'æ' => "ae",
            'ç' | 'ć' | 'ĉ' | 'ċ' => "c",
            'č' => "ch",
            'ď' | 'đ' | 'ð' => "d",
            // é is a long e, written ي (Mbappé مبابي, Stéphane ستيفان).
            'é' => "ee",
            'è' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
            'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
            'ĥ' | 'ħ' => "h",
            'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => "i",
            'ĵ' => "j",
            'ķ' => "k",
            'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
            'ñ' | 'ń' | 'ņ' | 'ň' => "n",
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => "o",
            'œ' => "oe",
            'ŕ' | 'ŗ' | 'ř' => "r",
            'ś' | 'ŝ' => "s",
            'ş' | 'ș' | 'š' => "sh",
            'ß' => "ss",
            'ţ' | 'ț' | 'ť' | 'ŧ' => "t",
            'þ' => "th",
            'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => "u",
            'ŵ' => "w",
            'ý' | 'ÿ' | 'ŷ' => "y",
            'ź' | 'ż' => "z",
            'ž' => "zh",
            _ => return None,
        };
        out.push_str(folded);
    }
    Some(out)
}

/// Whether the exact term `term` is a Latin word that may name someone or somewhere (see the
/// module's list of words that are never transliterated).
pub fn is_candidate(term: &str) -> bool {
    fold_latin(term).is_some_and(|folded| candidate_letters(&folded))
}

/// Whether `typed` (a query word as typed) is an acronym read letter by letter: at most three
/// letters, at least two of them capitals (CIA, FBI, AFP, iOS: سي آي إيه is no word to find;
/// NATO ناتو and FIFA فيفا are words).
pub fn is_acronym(typed: &str) -> bool {
    let letters = typed.chars().filter(|c| c.is_alphabetic()).count();
    letters <= 3 && typed.chars().filter(|c| c.is_uppercase()).count() >= 2
}

fn candidate_letters(folded: &str) -> bool {
    (MIN_LATIN_LETTERS..=MAX_LATIN_LETTERS).contains(&folded.len())
        && folded.bytes().any(|b| is_vowel(b) || b == b'y')
        && !FUNCTION_WORDS.contains(&folded)
}

fn is_vowel(b: u8) -> bool {
    matches!(b, b'a' | b'e' | b'i' | b'o' | b'u')
}

/// Consonant clusters, longest first.
const CLUSTERS: &[(&str, &[Alternative])] = &[
    ("tsch", &[("تش", 0), ("ش", 1)]),
    ("sch", &[("ش", 0)]),
    ("tch", &[("تش", 0), ("ش", 1)]),
    ("ch", &[("ش", 0), ("تش", 0), ("ك", 1), ("خ", 1)]),
    ("sh", &[("ش", 0)]),
    ("kh", &[("خ", 0), ("ك", 2)]),
    ("gh", &[("غ", 0), ("ج", 1), ("ق", 1)]),
    ("th", &[("ت", 0), ("ث", 0), ("ذ", 1), ("ط", 1)]),
    ("dh", &[("ذ", 0), ("د", 0), ("ض", 0), ("ظ", 1)]),
    ("ph", &[("ف", 0)]),
    ("ck", &[("ك", 0), ("ق", 1)]),
    ("qu", &[("ك", 0), ("ق", 0), ("كو", 1), ("قو", 1)]),
    ("dj", &[("ج", 0)]),
    ("zh", &[("ج", 0), ("ز", 0), ("ش", 1)]),
    ("tz", &[("تز", 0), ("تس", 0), ("ز", 1)]),
    ("gg", &[("غ", 0), ("ج", 0), ("ق", 1), ("قج", 1)]),
];

/// Vowel pairs read as one sound, longest first; the second list applies at the end of the word.
const VOWEL_PAIRS: &[(&str, &[Alternative], &[Alternative])] = &[
    ("ou", &[("و", 0), ("او", 1)], &[("و", 0)]),
    ("oo", &[("و", 0)], &[("و", 0)]),
    ("ee", &[("ي", 0)], &[("ي", 0), ("يه", 1)]),
    ("ew", &[("يو", 0), ("و", 1)], &[("يو", 0), ("و", 1)]),
    (
        "ei",
        &[("ي", 0), ("اي", 0), ("يي", 2)],
        &[("ي", 0), ("ءي", 0), ("اي", 0)],
    ),
    (
        "ey",
        &[("ي", 0), ("اي", 0), ("يي", 2)],
        &[("ي", 0), ("ءي", 1), ("اي", 0)],
    ),
    (
        "ai",
        &[("اي", 0), ("ي", 0), ("ا", 1)],
        &[("اي", 0), ("ي", 0)],
    ),
    (
        "ay",
        &[("اي", 0), ("ي", 0), ("ا", 1)],
        &[("اي", 0), ("ي", 0)],
    ),
    (
        "au",
        &[("او", 0), ("و", 0), ("ا", 1)],
        &[("او", 0), ("و", 0)],
    ),
    (
        "aw",
        &[("او", 0), ("و", 0), ("ا", 1)],
        &[("او", 0), ("و", 0)],
    ),
    ("ow", &[("و", 0), ("او", 0)], &[("و", 0), ("او", 0)]),
    (
        "eo",
        &[("يو", 0), ("و", 0), ("ي", 1)],
        &[("يو", 0), ("و", 1)],
    ),
    (
        "ie",
        &[("ي", 0), ("يا", 1), ("يي", 1)],
        &[("ي", 0), ("يه", 1)],
    ),
    (
        "ae",
        &[("اي", 0), ("ا", 0), ("ي", 1), ("اءي", 1)],
        &[("اي", 0), ("ا", 1)],
    ),
    ("oi", &[("وا", 0), ("وي", 0)], &[("وا", 0), ("وي", 0)]),
    ("oe", &[("و", 0), ("ي", 1)], &[("و", 0), ("ي", 1)]),
    (
        "eu",
        &[("و", 0), ("يو", 0), ("وي", 1)],
        &[("و", 0), ("يو", 0)],
    ),
    ("ea", &[("ي", 0), ("يا", 1)], &[("يا", 0), ("يه", 0)]),
    (
        "ue",
        &[("و", 0), ("وي", 1), ("ي", 1)],
        &[("و", 0), ("وي", 1)],
    ),
    ("ui", &[("وي", 0), ("ي", 1)], &[("وي", 0)]),
    (
        "ia",
        &[("يا", 0), ("ي", 1), ("ا", 1)],
        &[("يا", 0), ("يه", 0)],
    ),
    ("io", &[("يو", 0), ("و", 1)], &[("يو", 0)]),
    ("ua", &[("وا", 0), ("ا", 1)], &[("وا", 0), ("وه", 1)]),
    ("aa", &[("ا", 0)], &[("ا", 0)]),
    ("iy", &[("ي", 0), ("يي", 1)], &[("ي", 0)]),
];

/// The slot of the unit of `word` starting at byte `i`, and the unit's length.
fn unit(word: &[u8], i: usize) -> (usize, Slot) {
    let rest = &word[i..];
    for &(latin, alternatives) in CLUSTERS {
        if rest.starts_with(latin.as_bytes()) {
            return (latin.len(), Slot::consonant(alternatives));
        }
    }
    for &(latin, inside, last) in VOWEL_PAIRS {
        if rest.starts_with(latin.as_bytes()) {
            let at_end = i + latin.len() == word.len();
            return (latin.len(), Slot::vowel(if at_end { last } else { inside }));
        }
    }
    let letter = rest[0];
    let next = rest.get(1).copied();
    // A doubled consonant is written once.
    let len = if next == Some(letter) && !is_vowel(letter) {
        2
    } else {
        1
    };
    let at_end = i + len == word.len();
    let soft = matches!(rest.get(len), Some(b'e' | b'i' | b'y'));
    // s sounds z between vowels and before a voiced consonant (Theresa تيريزا, Salisbury سالزبري).
    let voiced = i > 0
        && (is_vowel(word[i - 1]) && rest.get(len).copied().is_some_and(is_vowel)
            || matches!(
                rest.get(len),
                Some(b'b' | b'd' | b'g' | b'l' | b'm' | b'n' | b'v')
            ));
    let magic_e = rest.len() >= 3 && !is_vowel(rest[1]) && rest[1] != b'y' && rest[2] == b'e';
    let vowel = is_vowel(letter) || (letter == b'y' && !(i == 0 || next.is_some_and(is_vowel)));
    let alternatives: &'static [Alternative] = match letter {
        b'a' if at_end => &[("ا", 0), ("ه", 0)],
        // a before a consonant and e sounds ey (Facebook فيسبوك, Haley هيلي, Abe ابي).
        b'a' if magic_e => &[("ي", 0), ("ا", 0), ("", 1)],
        b'a' => &[("ا", 0), ("", 0)],
        b'e' if at_end => &[("", 0), ("ي", 1), ("ه", 2)],
        b'e' => &[("", 0), ("ي", 0), ("ا", 2)],
        b'i' if at_end => &[("ي", 0)],
        b'i' => &[("ي", 0), ("", 1)],
        b'o' if at_end => &[("و", 0)],
        b'o' => &[("و", 0), ("", 1)],
        b'u' if at_end => &[("و", 0)],
        b'u' => &[("و", 0), ("ا", 1), ("", 1)],
        // y: a consonant first or before a vowel, else a vowel.
        b'y' if i == 0 || next.is_some_and(is_vowel) => &[("ي", 0)],
        b'y' if at_end => &[("ي", 0)],
        b'y' => &[("ي", 0), ("", 1)],
        b'b' => &[("ب", 0)],
        b'c' if soft => &[("س", 0), ("ك", 1), ("تش", 2)],
        b'c' => &[("ك", 0), ("ق", 1), ("س", 2)],
        b'd' => &[("د", 0), ("ض", 1)],
        b'f' => &[("ف", 0)],
        b'g' => &[("غ", 0), ("ج", 0), ("ق", 1)],
        b'h' if i == 0 => &[("ه", 0), ("ح", 0)],
        b'h' => &[("ه", 0), ("ح", 0), ("", 1)],
        b'j' => &[("ج", 0), ("ي", 1)],
        b'k' => &[("ك", 0), ("ق", 0)],
        b'l' => &[("ل", 0)],
        b'm' => &[("م", 0)],
        b'n' => &[("ن", 0)],
        b'p' => &[("ب", 0)],
        b'q' => &[("ق", 0), ("ك", 1)],
        b'r' => &[("ر", 0)],
        b's' if voiced => &[("س", 0), ("ز", 0), ("ص", 0)],
        b's' => &[("س", 0), ("ص", 0), ("ز", 1)],
        b't' => &[("ت", 0), ("ط", 0)],
        b'v' => &[("ف", 0)],
        b'w' => &[("و", 0), ("ف", 1)],
        b'x' => &[("كس", 0), ("كز", 1), ("س", 2)],
        b'z' => &[("ز", 0), ("ظ", 1), ("تس", 2)],
        _ => &[],
    };
    (
        len,
        Slot {
            alternatives,
            vowel,
        },
    )
}

/// The Arabic alternatives of one Latin unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Slot {
    alternatives: &'static [Alternative],
    /// Whether the unit is a vowel.
    vowel: bool,
}

impl Slot {
    fn consonant(alternatives: &'static [Alternative]) -> Slot {
        Slot {
            alternatives,
            vowel: false,
        }
    }

    fn vowel(alternatives: &'static [Alternative]) -> Slot {
        Slot {
            alternatives,
            vowel: true,
        }
    }
}

/// The slots of a Latin word: the Arabic alternatives of each of its units, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    slots: Vec<Slot>,
    /// Whether the Arabic form may take the article ال.
    article: bool,
}

/// A word starting with a vowel starts with alef (or ain) in Arabic.
const ONSET: &[Alternative] = &[("ا", 0), ("ع", 1)];
const AIN_ONSET: &[Alternative] = &[("ع", 0), ("ا", 2)];

impl Pattern {
    /// The pattern of the exact term `term`; `None` for a word that is never transliterated.
    pub fn new(term: &str) -> Option<Pattern> {
        let folded = fold_latin(term)?;
        if !candidate_letters(&folded) {
            return None;
        }
        let word = folded.as_bytes();
        let mut slots: Vec<Slot> = Vec::new();
        if word.starts_with(b"ao") {
            // Aoun عون, Aoude عوده: a vowel before a vowel is the ain's.
            slots.push(Slot::vowel(AIN_ONSET));
        } else if is_vowel(word[0]) {
            slots.push(Slot::vowel(ONSET));
        }
        let mut i = 0;
        while i < word.len() {
            let (len, slot) = unit(word, i);
            if slot.alternatives.is_empty() {
                return None;
            }
            slots.push(slot);
            i += len;
        }
        Some(Pattern {
            slots,
            article: folded.len() >= MIN_LETTERS_FOR_ARTICLE,
        })
    }

    /// The cheapest way the pattern spells `arabic` (a normalized term) without an article:
    /// `None` when it does not. A spelling that writes none of the word's vowels costs
    /// [`UNVOICED_COST`] more (برس is no spelling of Boris, كنت none of Conte).
    fn bare_cost(&self, arabic: &str) -> Option<u8> {
        let text = arabic.as_bytes();
        let width = text.len() + 1;
        // The cheapest way to each byte of `arabic`, without and with a vowel written.
        let mut best: Vec<[Option<u8>; 2]> = vec![[None; 2]; width];
        best[0][0] = Some(0);
        for slot in &self.slots {
            let mut next: Vec<[Option<u8>; 2]> = vec![[None; 2]; width];
            for (at, costs) in best.iter().enumerate() {
                for (voiced, cost) in costs.iter().enumerate() {
                    let Some(cost) = *cost else { continue };
                    for &(letters, extra) in slot.alternatives {
                        if !text[at..].starts_with(letters.as_bytes()) {
                            continue;
                        }
                        let to = at + letters.len();
                        let voiced =
                            usize::from(voiced == 1 || (slot.vowel && !letters.is_empty()));
                        let total = cost.saturating_add(extra);
                        if next[to][voiced].is_none_or(|known| total < known) {
                            next[to][voiced] = Some(total);
                        }
                    }
                }
            }
            best = next;
        }
        let [unvoiced, voiced] = best[text.len()];
        let has_vowels = self.slots.iter().any(|slot| slot.vowel);
        let unvoiced = unvoiced.map(|cost| cost + if has_vowels { UNVOICED_COST } else { 0 });
        match (unvoiced, voiced) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// The cheapest way the pattern spells `arabic`, and the letters of `arabic` besides an
    /// article ال the pattern added.
    pub fn fit(&self, arabic: &str) -> Option<(u8, usize)> {
        let bare = self
            .bare_cost(arabic)
            .map(|cost| (cost, arabic.chars().count()));
        let with_article = self
            .article
            .then(|| arabic.strip_prefix("ال"))
            .flatten()
            .and_then(|rest| {
                self.bare_cost(rest)
                    .map(|cost| (cost + ARTICLE_COST, rest.chars().count()))
            });
        match (bare, with_article) {
            (Some(a), Some(b)) => Some(if b.0 < a.0 { b } else { a }),
            (a, b) => a.or(b),
        }
    }

    /// The automaton accepting the normalized Arabic terms the pattern spells; `None` when it
    /// would be too large (never for a word of at most [`MAX_LATIN_LETTERS`] letters).
    pub fn automaton(&self) -> Option<SpellingAutomaton> {
        SpellingAutomaton::new(self)
    }
}

/// The most states a [`SpellingAutomaton`] has.
const MAX_STATES: usize = 64 * WORDS;
const WORDS: usize = 8;

/// A set of automaton states.
type States = [u64; WORDS];

/// A nondeterministic automaton over the UTF-8 bytes of Arabic terms, run as a set of states:
/// one state between each two slots, and one inside each alternative's letters.
pub struct SpellingAutomaton {
    /// Each state's byte transitions.
    edges: Vec<Vec<(u8, u16)>>,
    /// Each state with the states reached from it by skipping slots that may be empty.
    closure: Vec<States>,
    start: States,
    accept: u16,
}

impl SpellingAutomaton {
    fn new(pattern: &Pattern) -> Option<SpellingAutomaton> {
        let mut slots: Vec<&[Alternative]> = Vec::new();
        if pattern.article {
            slots.push(&[("", 0), ("ال", 0)]);
        }
        slots.extend(pattern.slots.iter().map(|slot| slot.alternatives));
        let bounds = slots.len() + 1;
        let mut edges: Vec<Vec<(u8, u16)>> = vec![Vec::new(); bounds];
        let mut skippable = vec![false; slots.len()];
        for (s, slot) in slots.iter().enumerate() {
            for &(letters, _) in slot.iter() {
                let bytes = letters.as_bytes();
                let Some((&last, inner)) = bytes.split_last() else {
                    skippable[s] = true;
                    continue;
                };
                let mut from = s;
                for &byte in inner {
                    edges.push(Vec::new());
                    let to = edges.len() - 1;
                    edges[from].push((byte, to as u16));
                    from = to;
                }
                edges[from].push((last, (s + 1) as u16));
            }
        }
        if edges.len() > MAX_STATES {
            return None;
        }
        let mut closure: Vec<States> = vec![[0; WORDS]; edges.len()];
        for (state, set) in closure.iter_mut().enumerate() {
            insert(set, state);
        }
        // Between slots: a state reaches the next one when its slot may be empty.
        for s in (0..slots.len()).rev() {
            if skippable[s] {
                let next = closure[s + 1];
                union(&mut closure[s], &next);
            }
        }
        Some(SpellingAutomaton {
            start: closure[0],
            accept: slots.len() as u16,
            edges,
            closure,
        })
    }
}

fn insert(set: &mut States, state: usize) {
    set[state / 64] |= 1 << (state % 64);
}

fn union(set: &mut States, other: &States) {
    for (a, b) in set.iter_mut().zip(other) {
        *a |= b;
    }
}

impl tantivy_fst::Automaton for SpellingAutomaton {
    type State = States;

    fn start(&self) -> States {
        self.start
    }

    fn is_match(&self, state: &States) -> bool {
        let accept = usize::from(self.accept);
        state[accept / 64] & (1 << (accept % 64)) != 0
    }

    fn can_match(&self, state: &States) -> bool {
        state.iter().any(|&w| w != 0)
    }

    fn accept(&self, state: &States, byte: u8) -> States {
        let mut next = [0; WORDS];
        for (w, &bits) in state.iter().enumerate() {
            let mut bits = bits;
            while bits != 0 {
                let state = w * 64 + bits.trailing_zeros() as usize;
                bits &= bits - 1;
                for &(on, to) in &self.edges[state] {
                    if on == byte {
                        union(&mut next, &self.closure[usize::from(to)]);
                    }
                }
            }
        }
        next
    }
}

/// An index term a Latin word may stand for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub term: String,
    /// The cost of its cheapest spelling from the Latin word.
    pub cost: u8,
    /// Its letters besides an article the spelling added.
    pub letters: usize,
    pub passages: u64,
}

impl Candidate {
    /// Passages discounted by fit: each unit of cost divides by [`COST_FACTOR`].
    fn weight(&self) -> f64 {
        self.passages as f64 / COST_FACTOR.powi(i32::from(self.cost))
    }

    /// Whether the spelling added the article ال.
    fn has_article(&self) -> bool {
        self.letters < self.term.chars().count()
    }

    /// The cost besides an article ال.
    fn bare_cost(&self) -> u8 {
        if self.has_article() {
            self.cost.saturating_sub(ARTICLE_COST)
        } else {
            self.cost
        }
    }
}

/// The forms to search among `candidates` (those of at least [`MIN_ARABIC_LETTERS`] letters
/// besides an article, in at least [`MIN_PASSAGES`] passages, costing at most [`MAX_COST`]
/// besides an article). The heaviest (passages divided by [`COST_FACTOR`] per unit of cost)
/// decides which name the word is; the others must be spellings of it ([`respells`]) found at
/// least 1/[`MAX_RARITY`] as often, not other names or words the same Latin letters may stand for
/// (Khamenei خامنئي is not Khomeini الخميني, Merkel ميركل not Markle ماركل, Kim كيم not قيم):
/// the heaviest first, then by passages, at most [`MAX_FORMS`].
pub fn choose(mut candidates: Vec<Candidate>) -> Vec<Variant> {
    candidates.retain(|c| {
        c.letters >= MIN_ARABIC_LETTERS && c.passages >= MIN_PASSAGES && c.bare_cost() <= MAX_COST
    });
    let Some(best) = candidates
        .iter()
        .max_by(|a, b| {
            a.weight()
                .total_cmp(&b.weight())
                .then(b.cost.cmp(&a.cost))
                .then_with(|| b.term.cmp(&a.term))
        })
        .cloned()
    else {
        return Vec::new();
    };
    let mut chosen: Vec<Candidate> = candidates
        .into_iter()
        .filter(|c| {
            c.term != best.term
                && respells(&best.term, &c.term)
                && c.passages.saturating_mul(MAX_RARITY) >= best.passages
                && (c.letters >= best.letters || c.letters >= MIN_SHORTER_LETTERS)
                && (c.has_article() <= best.has_article()
                    || c.passages.saturating_mul(ARTICLE_RARITY) >= best.passages)
        })
        .collect();
    chosen.sort_by(|a, b| {
        b.passages
            .cmp(&a.passages)
            .then_with(|| a.term.cmp(&b.term))
    });
    chosen.insert(0, best);
    chosen.truncate(MAX_FORMS);
    chosen
        .into_iter()
        .map(|c| Variant {
            written: c.term.clone(),
            term: c.term,
            passages: c.passages,
            articles: 0,
        })
        .collect()
}

/// Whether `other` is `form` spelt another way: with long vowel letters or hamza (ا و ي ء) added
/// or dropped, the article ال added or dropped, or a final ه for ا (بوتين/بوتن, ترامب/ترمب, الاسد/
/// اسد, الرقه/الرقا), as the archive spells one name several ways.
pub fn respells(form: &str, other: &str) -> bool {
    fn letters(term: &str) -> Vec<char> {
        let mut letters: Vec<char> = term.strip_prefix("ال").unwrap_or(term).chars().collect();
        if let Some(last) = letters.last_mut() {
            if *last == 'ه' {
                *last = 'ا';
            }
        }
        letters
    }
    let (a, b) = (letters(form), letters(other));
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let mut rest = short.iter().peekable();
    for letter in &long {
        if rest.peek() == Some(&letter) {
            rest.next();
        } else if !matches!(letter, 'ا' | 'و' | 'ي' | 'ء') {
            return false;
        }
    }
    rest.next().is_none()
}

/// Every term of `field` (an exact field) the Latin exact term `term` may be spelt as, with its
/// fit and passages over all segments.
pub fn candidates(searcher: &Searcher, field: Field, term: &str) -> Vec<Candidate> {
    let Some(pattern) = Pattern::new(term) else {
        return Vec::new();
    };
    let Some(automaton) = pattern.automaton() else {
        return Vec::new();
    };
    let mut found: BTreeMap<String, u64> = BTreeMap::new();
    for segment in searcher.segment_readers() {
        let Ok(inverted) = segment.inverted_index(field) else {
            continue;
        };
        let Ok(mut stream) = inverted.terms().search(&automaton).into_stream() else {
            continue;
        };
        while stream.advance() {
            if let Ok(text) = std::str::from_utf8(stream.key()) {
                *found.entry(text.to_owned()).or_default() += u64::from(stream.value().doc_freq);
            }
        }
    }
    found
        .into_iter()
        .filter(|(text, _)| text.chars().all(is_arabic_letter))
        .filter_map(|(text, passages)| {
            let (cost, letters) = pattern.fit(&text)?;
            Some(Candidate {
                term: text,
                cost,
                letters,
                passages,
            })
        })
        .collect()
}

/// The Arabic forms of the Latin exact term `term` in `field`, likeliest first (see [`choose`]).
pub fn transliterations(searcher: &Searcher, field: Field, term: &str) -> Vec<Variant> {
    choose(candidates(searcher, field, term))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dotted_capital_i_folds_like_its_plain_letter() {
        // Regression: İstanbul lowercases to i + U+0307, and the mark made the word unfoldable.
        assert_eq!(fold_latin("İstanbul").as_deref(), Some("istanbul"));
        assert_eq!(fold_latin("Erdoğan").as_deref(), Some("erdogan"));
    }
    use tantivy_fst::{IntoStreamer, Map, Streamer};

    /// The terms of `vocabulary` the automaton of `latin` accepts.
    fn accepted(latin: &str, vocabulary: &[&str]) -> Vec<String> {
        let sorted: std::collections::BTreeSet<&str> = vocabulary.iter().copied().collect();
        let map = Map::from_iter(sorted.into_iter().map(|k| (k, 0))).unwrap();
        let automaton = Pattern::new(latin).unwrap().automaton().unwrap();
        let mut stream = map.search(&automaton).into_stream();
        let mut out = Vec::new();
        while let Some((key, _)) = stream.next() {
            out.push(String::from_utf8(key.to_vec()).unwrap());
        }
        out
    }

    fn fits(latin: &str, arabic: &str) -> bool {
        Pattern::new(latin).unwrap().fit(arabic).is_some()
    }

    #[test]
    fn latin_letters_fold_to_ascii() {
        assert_eq!(fold_latin("Erdoğan").as_deref(), Some("erdogan"));
        assert_eq!(fold_latin("Çavuşoğlu").as_deref(), Some("cavushoglu"));
        assert_eq!(fold_latin("Müller").as_deref(), Some("muller"));
        assert_eq!(fold_latin("Strauß").as_deref(), Some("strauss"));
        assert_eq!(fold_latin("putin2"), None);
        assert_eq!(fold_latin("بوتين"), None);
    }

    #[test]
    fn names_fit_the_spellings_arabic_news_uses() {
        for (latin, arabic) in [
            ("putin", "بوتين"),
            ("putin", "بوتن"),
            ("poutine", "بوتين"),
            ("trump", "ترامب"),
            ("trump", "ترمب"),
            ("erdoğan", "اردوغان"),
            ("khashoggi", "خاشقجي"),
            ("macron", "ماكرون"),
            ("merkel", "ميركل"),
            ("zuckerberg", "زوكربيرغ"),
            ("zuckerberg", "زوكربرغ"),
            ("pyeongchang", "بيونغتشانغ"),
            ("mnangagwa", "منانغاغوا"),
            ("helsinki", "هلسنكي"),
            ("netanyahu", "نتنياهو"),
            ("khamenei", "خامنءي"),
            ("assad", "الاسد"),
            ("mosul", "الموصل"),
            ("aoun", "عون"),
            ("abbas", "عباس"),
            ("ghouta", "الغوطه"),
            ("salisbury", "سالزبوري"),
            ("pompeo", "بومبيو"),
            ("theresa", "تيريزا"),
        ] {
            assert!(fits(latin, arabic), "{latin} {arabic}");
        }
        assert!(!fits("putin", "بوتينا"));
        // Short words take no article.
        assert!(!fits("kim", "الكيم"));
    }

    #[test]
    fn the_cheapest_spelling_is_the_usual_one() {
        let putin = Pattern::new("putin").unwrap();
        assert_eq!(putin.fit("بوتين"), Some((0, 5)));
        assert_eq!(putin.fit("بوتن"), Some((1, 4)));
        let mosul = Pattern::new("mosul").unwrap();
        // The article, and u left out.
        assert_eq!(mosul.fit("الموصل"), Some((3, 4)));
    }

    #[test]
    fn the_automaton_intersects_a_dictionary() {
        let vocabulary = [
            "بوتين",
            "بوتن",
            "بوتينا",
            "بيتن",
            "ترامب",
            "ترمب",
            "تورمب",
            "قمه",
            "الموصل",
            "موصل",
            "اموصل",
        ];
        assert_eq!(accepted("Putin", &vocabulary), ["بوتن", "بوتين"]);
        assert_eq!(accepted("trump", &vocabulary), ["ترامب", "ترمب"]);
        assert_eq!(accepted("mosul", &vocabulary), ["الموصل", "موصل"]);
    }

    #[test]
    fn acronyms_short_and_function_words_are_never_transliterated() {
        for word in [
            "bbc", "cnn", "mbc", "of", "the", "und", "avec", "x", "2018", "ps4",
        ] {
            assert!(!is_candidate(word), "{word}");
        }
        for word in ["kim", "putin", "erdoğan", "iphone"] {
            assert!(is_candidate(word), "{word}");
        }
    }

    fn candidate(term: &str, cost: u8, passages: u64) -> Candidate {
        Candidate {
            term: term.to_owned(),
            cost,
            letters: term.chars().count(),
            passages,
        }
    }

    #[test]
    fn forms_are_chosen_by_passages_and_fit() {
        let chosen = choose(vec![
            candidate("بوتين", 0, 500),
            candidate("بوتن", 1, 270),
            candidate("بطن", 3, 90),
            candidate("بتين", 1, 1),
        ]);
        let terms: Vec<&str> = chosen.iter().map(|v| v.term.as_str()).collect();
        assert_eq!(terms, ["بوتين", "بوتن"]);
        assert!(choose(vec![candidate("كم", 1, 9000)]).is_empty());
        let many: Vec<Candidate> = ["بوتين", "بوتيين", "بووتين", "بوتيون", "بوتن"]
            .into_iter()
            .map(|term| candidate(term, 0, 100))
            .collect();
        assert_eq!(choose(many).len(), MAX_FORMS);
        // Other names the letters spell are not spellings of the likeliest.
        let chosen = choose(vec![
            candidate("خامنءي", 0, 238),
            candidate("الخميني", 1, 59),
            candidate("كيم", 0, 1300),
            candidate("قيم", 0, 95),
        ]);
        assert_eq!(chosen.len(), 1);
        assert!(respells("ترامب", "ترمب"));
        assert!(respells("الاسد", "اسد"));
        assert!(respells("الرقه", "الرقا"));
        assert!(!respells("صلاح", "صالح"));
        assert!(!respells("ميركل", "ماركل"));
    }
}
