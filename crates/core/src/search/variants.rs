//! Spelling variants of transliterated names.
//!
//! Arabic news spells foreign names many ways: بوتين/بوتن, ترامب/ترمب, جنيف/جينيف,
//! سوريا/سورية. For a query word, Fahras also searches index terms that differ from it only by
//! one long vowel letter (ا و ي) added or dropped inside the word, or by a final ه/ا swap (ة and
//! ى are already folded to ه and ي), when the index holds them often enough to be a spelling and
//! not a typo.
//!
//! Guards keep ordinary words from being expanded into unrelated ones: words shorter than
//! [`MIN_WORD_CHARS`] letters (كان, قال, من …) are never expanded, the first letter is never
//! touched, the result keeps at least [`MIN_WORD_CHARS`] letters, and a variant must be found in
//! at least [`MIN_VARIANT_PASSAGES`] passages and at least 1/[`MAX_RARITY`] as often as the word
//! typed. A rarer variant of a rare word still counts when an article uses both spellings (the
//! seed article writes بوتين and, twice, بوتن): an archive of a few articles holds too few
//! passages for frequency alone to be evidence, but one article spelling a name two ways is.

use tantivy::collector::Count;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Term};
use tantivy::{DocSet, Searcher, TERMINATED};

use crate::analysis::normalizer::is_arabic_letter;

/// Words shorter than this are never expanded.
pub const MIN_WORD_CHARS: usize = 4;
/// A variant must occur in at least this many passages.
pub const MIN_VARIANT_PASSAGES: u64 = 3;
/// …and at least 1/MAX_RARITY as often as the word typed.
pub const MAX_RARITY: u64 = 50;
/// At most this many variants per word, the most frequent first.
pub const MAX_VARIANTS: usize = 4;

const LONG_VOWELS: [char; 3] = ['ا', 'و', 'ي'];

/// Candidate spellings of a normalized `term` (without looking at the index).
pub fn candidates(term: &str) -> Vec<String> {
    let letters: Vec<char> = term.chars().collect();
    let n = letters.len();
    if n < MIN_WORD_CHARS || !letters.iter().all(|&c| is_arabic_letter(c)) {
        return Vec::new();
    }
    let mut out: Vec<String> = Vec::new();
    let mut push = |candidate: Vec<char>| {
        let candidate: String = candidate.into_iter().collect();
        if candidate != term && !out.contains(&candidate) {
            out.push(candidate);
        }
    };
    // Drop one long vowel (never the first letter).
    if n > MIN_WORD_CHARS {
        for i in 1..n {
            if LONG_VOWELS.contains(&letters[i]) {
                let mut candidate = letters.clone();
                candidate.remove(i);
                push(candidate);
            }
        }
    }
    // Add one long vowel between two letters, not next to the same vowel.
    for i in 1..n {
        for vowel in LONG_VOWELS {
            if letters[i - 1] == vowel || letters[i] == vowel {
                continue;
            }
            let mut candidate = letters.clone();
            candidate.insert(i, vowel);
            push(candidate);
        }
    }
    // Final ه ↔ ا (سوريه/سوريا, امريكا/امريكه).
    let last = letters[n - 1];
    let swapped = match last {
        'ه' => Some('ا'),
        'ا' => Some('ه'),
        _ => None,
    };
    if let Some(swapped) = swapped {
        let mut candidate = letters.clone();
        candidate[n - 1] = swapped;
        push(candidate);
    }
    out
}

/// A variant found in the index, with the number of passages that contain it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Variant {
    pub term: String,
    pub passages: u64,
}

/// The variants of `term` that occur often enough in `field` (an exact field), or that share an
/// article (`article_id` field) with it.
pub fn find_variants(
    searcher: &Searcher,
    field: Field,
    article_id: Field,
    term: &str,
) -> Vec<Variant> {
    let candidates = candidates(term);
    if candidates.is_empty() {
        return Vec::new();
    }
    let doc_freq = |t: &str| {
        searcher
            .doc_freq(&Term::from_field_text(field, t))
            .unwrap_or(0)
    };
    let typed = doc_freq(term);
    let threshold = MIN_VARIANT_PASSAGES.max(typed / MAX_RARITY);
    let mut found: Vec<Variant> = candidates
        .into_iter()
        .filter_map(|candidate| {
            let passages = doc_freq(&candidate);
            let evidence = passages >= threshold
                || (threshold == MIN_VARIANT_PASSAGES
                    && passages > 0
                    && typed > 0
                    && share_an_article(searcher, field, article_id, term, &candidate));
            evidence.then_some(Variant {
                term: candidate,
                passages,
            })
        })
        .collect();
    found.sort_by(|a, b| {
        b.passages
            .cmp(&a.passages)
            .then_with(|| a.term.cmp(&b.term))
    });
    found.truncate(MAX_VARIANTS);
    found
}

/// Whether some article has passages containing `typed` and `variant` (either may be in any of
/// its passages). Only asked for variants found in fewer than [`MIN_VARIANT_PASSAGES`] passages.
fn share_an_article(
    searcher: &Searcher,
    field: Field,
    article_id: Field,
    typed: &str,
    variant: &str,
) -> bool {
    let variant_term = Term::from_field_text(field, variant);
    for segment in searcher.segment_readers() {
        let Ok(inverted) = segment.inverted_index(field) else {
            continue;
        };
        let Ok(Some(mut postings)) =
            inverted.read_postings(&variant_term, IndexRecordOption::Basic)
        else {
            continue;
        };
        let Ok(Some(ids)) = segment
            .fast_fields()
            .str(crate::index::schema::names::ARTICLE_ID)
        else {
            continue;
        };
        let mut doc = postings.doc();
        while doc != TERMINATED {
            let mut id = String::new();
            if let Some(ord) = ids.term_ords(doc).next() {
                let _ = ids.ord_to_str(ord, &mut id);
            }
            let both: Vec<(Occur, Box<dyn Query>)> = vec![
                (
                    Occur::Must,
                    Box::new(TermQuery::new(
                        Term::from_field_text(article_id, &id),
                        IndexRecordOption::Basic,
                    )),
                ),
                (
                    Occur::Must,
                    Box::new(TermQuery::new(
                        Term::from_field_text(field, typed),
                        IndexRecordOption::Basic,
                    )),
                ),
            ];
            if !id.is_empty()
                && searcher
                    .search(&BooleanQuery::new(both), &Count)
                    .is_ok_and(|n| n > 0)
            {
                return true;
            }
            doc = postings.advance();
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn candidates_cover_the_known_spellings() {
        assert!(candidates("بوتين").contains(&"بوتن".to_string()));
        assert!(candidates("ترامب").contains(&"ترمب".to_string()));
        assert!(candidates("ترمب").contains(&"ترامب".to_string()));
        assert!(candidates("جنيف").contains(&"جينيف".to_string()));
        assert!(candidates("سوريا").contains(&"سوريه".to_string()));
    }

    #[test]
    fn short_words_and_first_letters_are_left_alone() {
        assert!(candidates("كان").is_empty());
        assert!(candidates("قال").is_empty());
        assert!(candidates("nato").is_empty());
        // Four letters: nothing is dropped (it would leave three).
        assert!(!candidates("كانت").contains(&"كنت".to_string()));
        assert!(candidates("اوباما").iter().all(|c| c.starts_with('ا')));
    }
}
