//! Typos: "did you mean" for query words the index does not hold, or holds far less often than
//! a word one or two edits away.
//!
//! Edits are counted on the normalized form (alef and hamza seats, ة/ه and ى/ي are already
//! folded, so a wrong hamza seat is no edit at all): a letter inserted, dropped or replaced, or
//! two neighbours swapped. As Meilisearch does, a word of fewer than [`MIN_TYPO_CHARS`] letters
//! is never corrected, one of [`MIN_TWO_TYPOS_CHARS`] letters or more allows two edits, others
//! one (and keeps its first letter: Meilisearch counts a typo there as two). The index terms
//! within reach are found by running a Levenshtein automaton over the exact field's term
//! dictionary (an FST intersection, as tantivy's `FuzzyTermQuery` does), not by scanning the
//! vocabulary.
//!
//! What is done with them ([`decide`]): a word that finds nothing is searched as the most
//! frequent term at the smallest distance (when that term is no hapax); a word that finds
//! something is only given a suggestion, when it is rare itself (at most [`MAX_TYPO_PASSAGES`]
//! passages), such a term is [`SUGGEST_RATIO`] times as frequent and in at least
//! [`MIN_SUGGEST_PASSAGES`] passages, and the two begin with the same letter.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use levenshtein_automata::{Distance, LevenshteinAutomatonBuilder, DFA};
use tantivy::schema::Field;
use tantivy::Searcher;

use crate::analysis::normalizer::is_arabic_letter;

/// Words shorter than this (normalized letters) are never corrected: one edit away from a short
/// word there is always another word (قال/قام/كان), so an edit there is no evidence of a typo.
pub const MIN_TYPO_CHARS: usize = 5;
/// Words of at least this many letters may be two edits away from their correction.
pub const MIN_TWO_TYPOS_CHARS: usize = 9;
/// A word that finds something gets a suggestion only when it is in at most this many passages
/// as typed: a word written more often is the archive's word, not a slip (measured on ANT: the
/// typos of `tests/typos.tsv` that occur there occur at most 5 times).
pub const MAX_TYPO_PASSAGES: u64 = 5;
/// …and when the suggestion is in this many times as many passages. Rare real words next to
/// common ones are the rule in Arabic (تدوير/تطوير, نجمات/هجمات, الجاني/الثاني: 30 to 120 times as
/// rare), while the typos measured on ANT were 168 to 6,000 times rarer than the word meant; at
/// 20× the 500 ANT headline queries drew 169 suggestions, at 150× a handful.
pub const SUGGEST_RATIO: u64 = 150;
/// …and in at least this many passages: below it, frequencies are too small to compare.
pub const MIN_SUGGEST_PASSAGES: u64 = 100;
/// A word that finds nothing is searched as a term found in at least this many passages: a term
/// found once is as likely to be a typo in the archive as the word the user meant.
pub const MIN_REWRITE_PASSAGES: u64 = 2;
/// At most this many terms within reach are weighed per word (the most frequent win anyway; a
/// bound on the work for a two-edit word in a huge vocabulary).
pub const MAX_NEAR_TERMS: usize = 256;

/// How many edits a normalized word of `chars` letters may be from its correction.
pub fn max_edits(chars: usize) -> u8 {
    if chars >= MIN_TWO_TYPOS_CHARS {
        2
    } else if chars >= MIN_TYPO_CHARS {
        1
    } else {
        0
    }
}

/// Whether the normalized term `term` may be corrected at all: Arabic letters only (digits,
/// Latin names and brands are never rewritten) and long enough.
pub fn is_candidate(term: &str) -> bool {
    term.chars().all(is_arabic_letter) && max_edits(term.chars().count()) > 0
}

/// A Levenshtein automaton (edits on characters, transpositions counting as one) as a
/// `tantivy_fst` automaton, to intersect with a term dictionary.
pub struct LevenshteinDfa(DFA);

impl LevenshteinDfa {
    /// The automaton of the terms at most `edits` (1 or 2) edits from `term`.
    pub fn new(term: &str, edits: u8) -> LevenshteinDfa {
        LevenshteinDfa(builder(edits).build_dfa(term))
    }

    /// The distance from the automaton's term to `other`, when within its edits.
    pub fn distance(&self, other: &[u8]) -> Option<u8> {
        let mut state = self.0.initial_state();
        for &byte in other {
            state = self.0.transition(state, byte);
        }
        match self.0.distance(state) {
            Distance::Exact(d) => Some(d),
            Distance::AtLeast(_) => None,
        }
    }
}

/// The automaton builders for one and two edits with transpositions, built once (the two-edit
/// one takes milliseconds to build).
fn builder(edits: u8) -> &'static LevenshteinAutomatonBuilder {
    static ONE: OnceLock<LevenshteinAutomatonBuilder> = OnceLock::new();
    static TWO: OnceLock<LevenshteinAutomatonBuilder> = OnceLock::new();
    if edits >= 2 {
        TWO.get_or_init(|| LevenshteinAutomatonBuilder::new(2, true))
    } else {
        ONE.get_or_init(|| LevenshteinAutomatonBuilder::new(1, true))
    }
}

impl tantivy_fst::Automaton for LevenshteinDfa {
    type State = u32;

    fn start(&self) -> u32 {
        self.0.initial_state()
    }

    fn is_match(&self, state: &u32) -> bool {
        matches!(self.0.distance(*state), Distance::Exact(_))
    }

    fn can_match(&self, state: &u32) -> bool {
        *state != levenshtein_automata::SINK_STATE
    }

    fn accept(&self, state: &u32, byte: u8) -> u32 {
        self.0.transition(*state, byte)
    }
}

/// An index term within reach of a query word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NearTerm {
    pub term: String,
    /// Edits from the word.
    pub distance: u8,
    /// Passages holding the term.
    pub passages: u64,
}

/// The terms of `field` (an exact field) at most `edits` edits from `term`, other than `term`
/// itself, with their passages over all segments: the most frequent [`MAX_NEAR_TERMS`], by
/// distance then frequency.
pub fn near_terms(searcher: &Searcher, field: Field, term: &str, edits: u8) -> Vec<NearTerm> {
    if edits == 0 {
        return Vec::new();
    }
    let dfa = LevenshteinDfa::new(term, edits);
    // Two edits: the first letter stays (Meilisearch counts a typo there as two), which keeps
    // the walk to the dictionary's range of that letter, several times faster.
    let first_letter = (edits >= 2).then(|| letter_range(term)).flatten();
    let mut found: BTreeMap<String, (u8, u64)> = BTreeMap::new();
    for segment in searcher.segment_readers() {
        let Ok(inverted) = segment.inverted_index(field) else {
            continue;
        };
        let dictionary = inverted.terms();
        let mut search = dictionary.search(&dfa);
        if let Some((from, to)) = &first_letter {
            search = search.ge(from).lt(to);
        }
        let Ok(mut stream) = search.into_stream() else {
            continue;
        };
        while stream.advance() {
            let key = stream.key();
            let (Ok(text), Some(distance)) = (std::str::from_utf8(key), dfa.distance(key)) else {
                continue;
            };
            if distance == 0 {
                continue;
            }
            let entry = found.entry(text.to_owned()).or_insert((distance, 0));
            entry.1 += u64::from(stream.value().doc_freq);
        }
    }
    let mut near: Vec<NearTerm> = found
        .into_iter()
        .map(|(term, (distance, passages))| NearTerm {
            term,
            distance,
            passages,
        })
        .collect();
    near.sort_by(|a, b| {
        a.distance
            .cmp(&b.distance)
            .then(b.passages.cmp(&a.passages))
            .then_with(|| a.term.cmp(&b.term))
    });
    near.truncate(MAX_NEAR_TERMS);
    near
}

/// The byte range `[from, to)` of the terms that start with `term`'s first character.
fn letter_range(term: &str) -> Option<(Vec<u8>, Vec<u8>)> {
    let first = term.chars().next()?;
    let from = first.to_string().into_bytes();
    let mut to = from.clone();
    // UTF-8's last byte of a character is a continuation byte (< 0xFF): one more is the bound.
    *to.last_mut()? += 1;
    Some((from, to))
}

/// Whether a word found in `found` passages, `typed` of them as typed exactly, can get a
/// correction at all ([`decide`] would refuse any otherwise): a word the archive writes often
/// costs no walk of the dictionary.
pub fn may_correct(found: u64, typed: u64) -> bool {
    found == 0 || typed <= MAX_TYPO_PASSAGES
}

/// What to do about a query word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correction {
    /// The term to suggest.
    pub term: String,
    /// Whether it is searched instead of the word (the word found nothing).
    pub searched_instead: bool,
}

/// The decision for the exact term `word`, found in `found` passages (as typed, stemmed and in
/// its spelling variants) and in `typed` passages as typed exactly, given `near`: the index
/// terms within reach, of which `already_searched` says which the word's search finds anyway
/// (its spelling variants, the terms with its stem).
///
/// Only terms at the smallest distance count (one edit beats two however frequent the two-edit
/// term is), the most frequent of them wins (then the first in order). When the winner is one
/// the search finds anyway, the word already finds what it most likely meant: no suggestion
/// (الانتخبات finds الانتخابات through its stem; المنتخبات, as close, is no better guess).
pub fn decide(
    word: &str,
    found: u64,
    typed: u64,
    near: &[NearTerm],
    already_searched: impl Fn(&NearTerm) -> bool,
) -> Option<Correction> {
    let closest = near.iter().map(|n| n.distance).min()?;
    let best = near
        .iter()
        .filter(|n| n.distance == closest)
        .min_by(|a, b| {
            b.passages
                .cmp(&a.passages)
                .then_with(|| a.term.cmp(&b.term))
        })?;
    if already_searched(best) {
        return None;
    }
    if found == 0 {
        return (best.passages >= MIN_REWRITE_PASSAGES).then(|| Correction {
            term: best.term.clone(),
            searched_instead: true,
        });
    }
    // A different first letter is a clitic or a verb prefix (بكوريا/كوريا, وميركل/ميركل,
    // نتعرض/تعرض, لمرشد/المرشد): another form of a word the search has, not a slip.
    let same_first_letter = word.chars().next() == best.term.chars().next();
    let likely_typo = may_correct(found, typed)
        && same_first_letter
        && best.passages >= MIN_SUGGEST_PASSAGES
        && best.passages >= typed.max(1).saturating_mul(SUGGEST_RATIO);
    likely_typo.then(|| Correction {
        term: best.term.clone(),
        searched_instead: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn near(term: &str, distance: u8, passages: u64) -> NearTerm {
        NearTerm {
            term: term.to_owned(),
            distance,
            passages,
        }
    }

    #[test]
    fn the_automaton_counts_swaps_insertions_drops_and_replacements_as_one_edit() {
        let dfa = LevenshteinDfa::new("هلسنكي", 1);
        assert_eq!(dfa.distance("هلسنكي".as_bytes()), Some(0));
        assert_eq!(dfa.distance("هلنسكي".as_bytes()), Some(1)); // swapped
        assert_eq!(dfa.distance("هلسنكيي".as_bytes()), Some(1)); // doubled
        assert_eq!(dfa.distance("هلسكي".as_bytes()), Some(1)); // dropped
        assert_eq!(dfa.distance("هلسنگي".as_bytes()), Some(1)); // replaced
        assert_eq!(dfa.distance("هنلسكي".as_bytes()), None); // two swaps
        let two = LevenshteinDfa::new("الانتخابات", 2);
        assert_eq!(two.distance("الانتحبات".as_bytes()), Some(2));
        assert_eq!(two.distance("الاتنخابت".as_bytes()), Some(2));
    }

    #[test]
    fn the_automaton_intersects_an_fst_by_characters_not_bytes() {
        use tantivy_fst::{IntoStreamer, Map, Streamer};
        let sorted: std::collections::BTreeSet<&str> =
            ["ترامب", "تراب", "ترانب", "ترمب", "هلسنكي"].into();
        let set = Map::from_iter(sorted.into_iter().map(|k| (k, 0))).unwrap();
        let dfa = LevenshteinDfa::new("ترانب", 1);
        let mut stream = set.search(&dfa).into_stream();
        let mut matched = Vec::new();
        while let Some((key, _)) = stream.next() {
            matched.push(String::from_utf8(key.to_vec()).unwrap());
        }
        assert_eq!(matched, ["تراب", "ترامب", "ترانب"]);
    }

    #[test]
    fn edits_grow_with_the_word_as_meilisearch_allows_them() {
        assert_eq!(max_edits(4), 0);
        assert_eq!(max_edits(5), 1);
        assert_eq!(max_edits(8), 1);
        assert_eq!(max_edits(9), 2);
        assert!(is_candidate("هلنسكي"));
        assert!(!is_candidate("قمه"));
        assert!(!is_candidate("google"));
        assert!(!is_candidate("2018ترامب"));
    }

    #[test]
    fn a_word_that_finds_nothing_is_searched_as_the_most_frequent_closest_term() {
        let fix = decide(
            "ترانب",
            0,
            0,
            &[
                near("تراب", 1, 40),
                near("ترامب", 1, 900),
                near("ترمب", 2, 5000),
            ],
            |_| false,
        );
        assert_eq!(
            fix,
            Some(Correction {
                term: "ترامب".into(),
                searched_instead: true
            })
        );
        // A hapax is no better evidence than the word typed.
        assert_eq!(
            decide("هلسنكا", 0, 0, &[near("هلسنكى", 1, 1)], |_| {
                false
            }),
            None
        );
        assert_eq!(decide("هلسنكا", 0, 0, &[], |_| false), None);
    }

    #[test]
    fn a_word_that_finds_something_is_only_given_a_far_more_frequent_term() {
        let fix = decide("هلسمكي", 3, 3, &[near("هلسنكي", 1, 600)], |_| false);
        assert_eq!(
            fix,
            Some(Correction {
                term: "هلسنكي".into(),
                searched_instead: false
            })
        );
        // Found (through its stem) and 99 times as frequent, but too rare to tell.
        assert_eq!(
            decide("هلسمكي", 1, 0, &[near("هلسنكي", 1, 99)], |_| {
                false
            }),
            None
        );
        // Frequent, but not 150 times as frequent.
        assert_eq!(
            decide("هلسمكي", 4, 4, &[near("هلسنكي", 1, 599)], |_| false),
            None
        );
        // Written too often to be a slip (تدوير beside تطوير).
        assert_eq!(
            decide("تدوير", 28, 28, &[near("تطوير", 1, 9000)], |_| {
                false
            }),
            None
        );
        // Another first letter: a clitic form (بكوريا beside كوريا).
        assert_eq!(
            decide("بكوريا", 2, 2, &[near("كوريا", 1, 1800)], |_| {
                false
            }),
            None
        );
        // Found only through its stem or variants: the typed form counts as one passage.
        assert!(decide("هلسمكي", 4, 0, &[near("هلسنكي", 1, 150)], |_| false).is_some());
    }

    #[test]
    fn no_suggestion_when_the_likeliest_term_is_one_the_search_finds_anyway() {
        // الانتخبات finds الانتخابات through its stem: المنتخبات is as close but rarer.
        let close = [near("الانتخابات", 1, 2700), near("المنتخبات", 1, 300)];
        assert_eq!(
            decide("الانتخبات", 2700, 0, &close, |n| n.term
                == "الانتخابات"),
            None
        );
        // A term the search finds, farther away, does not hide a closer one.
        let close = [near("ماكرون", 1, 1100), near("ماركوني", 2, 9000)];
        assert!(decide("ماركون", 400, 5, &close, |n| n.term == "ماركوني").is_some());
    }

    #[test]
    fn two_edit_walks_keep_the_first_letter() {
        let (from, to) = letter_range("الانتخابات").unwrap();
        assert_eq!(from, "ا".as_bytes());
        assert!("الانتخابات".as_bytes() >= from.as_slice());
        assert!("الانتخابات".as_bytes() < to.as_slice());
        assert!("بالانتخابات".as_bytes() >= to.as_slice());
        assert!("أ".as_bytes() < from.as_slice() || "أ".as_bytes() >= to.as_slice());
        assert_eq!(letter_range(""), None);
    }

    #[test]
    fn a_word_the_archive_writes_often_is_not_weighed() {
        assert!(may_correct(0, 0));
        assert!(may_correct(40, 5));
        assert!(!may_correct(40, 6));
    }
}
