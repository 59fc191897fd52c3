//! Highlighting: the byte ranges of a passage's original text whose words matched the query.
//!
//! The passage is re-analyzed once with the exact analyzer used at index time; a word is a hit
//! when its exact term is one the query searched (a word, a variant, a prefix expansion) or when
//! any of its stem readings (the same stemmer as the stemmed field, applied to that exact term)
//! is a stem the query searched (هجمة highlights والهجمات). A phrase is a hit only where its words
//! stand together, and is marked as one span from its first word to its last; its words alone
//! are not marked. Adjacent hits separated only by spaces merge into one range.

use std::collections::HashSet;

use tantivy::tokenizer::{TextAnalyzer, TokenStream};

use crate::analysis::light_stemmer::Readings;
use crate::analysis::TermStemmer;

/// The terms a query searched, by analyzer.
#[derive(Debug, Default, Clone)]
pub struct HighlightTerms {
    pub exact: HashSet<String>,
    pub stem: HashSet<String>,
    /// Phrases of two or more words, as exact terms in order.
    pub phrases: Vec<Vec<String>>,
}

impl HighlightTerms {
    pub fn is_empty(&self) -> bool {
        self.exact.is_empty() && self.stem.is_empty() && self.phrases.is_empty()
    }
}

/// Byte ranges `[from, to)` of `text` to highlight, sorted and merged.
pub fn highlight_ranges(
    text: &str,
    terms: &HighlightTerms,
    exact: &mut TextAnalyzer,
    stemmer: &TermStemmer,
    readings: &mut Readings,
) -> Vec<[usize; 2]> {
    if terms.is_empty() {
        return Vec::new();
    }
    let mut ranges: Vec<[usize; 2]> = Vec::new();
    // (term, range, position) of every token, kept only when phrases are to be found.
    let mut tokens: Vec<(String, [usize; 2], usize)> = Vec::new();
    let mut stream = exact.token_stream(text);
    while let Some(token) = stream.next() {
        let range = [token.offset_from, token.offset_to];
        if !terms.phrases.is_empty() {
            tokens.push((token.text.clone(), range, token.position));
        }
        if ranges.last() == Some(&range) {
            // Another term of the same word (ﷺ): already highlighted.
            continue;
        }
        let hit = terms.exact.contains(&token.text)
            || (!terms.stem.is_empty() && {
                stemmer.readings_into(&token.text, readings);
                readings.as_slice().iter().any(|r| terms.stem.contains(r))
            });
        if hit {
            ranges.push(range);
        }
    }
    for phrase in &terms.phrases {
        ranges.extend(phrase_spans(&tokens, phrase));
    }
    ranges.sort_unstable();
    merge_adjacent(text, ranges)
}

/// Spans of `tokens` where `phrase` stands: its terms at consecutive positions, from the first
/// word's start to the last word's end.
fn phrase_spans(tokens: &[(String, [usize; 2], usize)], phrase: &[String]) -> Vec<[usize; 2]> {
    let mut spans = Vec::new();
    let Some(first) = phrase.first() else {
        return spans;
    };
    for (start, (term, range, position)) in tokens.iter().enumerate() {
        if term != first {
            continue;
        }
        let mut last = *range;
        let mut matched = 1;
        let mut expected = position + 1;
        for (next_term, next_range, next_position) in &tokens[start + 1..] {
            if matched == phrase.len() {
                break;
            }
            if *next_position < expected {
                continue; // another term of the same word
            }
            if *next_position != expected || *next_term != phrase[matched] {
                break;
            }
            last = *next_range;
            matched += 1;
            expected += 1;
        }
        if matched == phrase.len() {
            spans.push([range[0], last[1]]);
        }
    }
    spans
}

/// Merges overlapping ranges and ranges separated only by whitespace other than a line break.
fn merge_adjacent(text: &str, ranges: Vec<[usize; 2]>) -> Vec<[usize; 2]> {
    let mut merged: Vec<[usize; 2]> = Vec::with_capacity(ranges.len());
    for range in ranges {
        if let Some(last) = merged.last_mut() {
            let gap_is_blank = range[0] <= last[1]
                || text
                    .get(last[1]..range[0])
                    .is_some_and(|gap| gap.chars().all(|c| c.is_whitespace() && c != '\n'));
            if gap_is_blank {
                last[1] = last[1].max(range[1]);
                continue;
            }
        }
        merged.push(range);
    }
    merged
}

/// True when `[from, to)` is a non-empty range of `text` on character boundaries.
fn is_valid_range(text: &str, [from, to]: [usize; 2]) -> bool {
    from < to && text.get(from..to).is_some()
}

/// `text` with each range wrapped in `open`…`close`. Ranges must be in order and on character
/// boundaries of `text`; one that is not (out of order, overlapping the previous one, out of
/// bounds or inside a character) is skipped, so any input gives an answer.
pub fn mark(text: &str, ranges: &[[usize; 2]], open: &str, close: &str) -> String {
    let mut out = String::with_capacity(text.len() + ranges.len() * (open.len() + close.len()));
    let mut cursor = 0;
    for &[from, to] in ranges {
        if from < cursor || !is_valid_range(text, [from, to]) {
            continue;
        }
        // Both `cursor` (0 or the end of a valid range) and `from` are boundaries.
        out.push_str(text.get(cursor..from).unwrap_or_default());
        out.push_str(open);
        out.push_str(text.get(from..to).unwrap_or_default());
        out.push_str(close);
        cursor = to;
    }
    out.push_str(text.get(cursor..).unwrap_or_default());
    out
}

/// A window of `text` of about `max_chars` characters around the first highlight, cut at word
/// boundaries, with the highlight ranges shifted into it. Returns (window, ranges, cut_before,
/// cut_after). Every cut is on a character boundary, whatever the ranges (an invalid first range
/// anchors the window at the start; ranges outside the window or invalid are dropped).
pub fn window(
    text: &str,
    ranges: &[[usize; 2]],
    max_chars: usize,
) -> (String, Vec<[usize; 2]>, bool, bool) {
    let valid = |r: &&[usize; 2]| is_valid_range(text, **r);
    if text.chars().count() <= max_chars {
        return (
            text.to_owned(),
            ranges.iter().filter(valid).copied().collect(),
            false,
            false,
        );
    }
    let anchor = ranges.iter().find(valid).map_or(0, |r| r[0]);
    // Start about a quarter of the window before the first hit.
    let lead_chars = max_chars / 4;
    let before = text.get(..anchor).unwrap_or_default();
    let mut start = anchor;
    for (count, (i, _)) in before.char_indices().rev().enumerate() {
        start = i;
        if count + 1 >= lead_chars {
            break;
        }
    }
    if start > 0 {
        // Move forward to the next word start: just after the first space (of any width).
        if let Some((space, c)) = text
            .get(start..anchor)
            .and_then(|lead| lead.char_indices().find(|&(_, c)| c.is_whitespace()))
        {
            start += space + c.len_utf8();
        }
    }
    let rest = text.get(start..).unwrap_or_default();
    let mut end = text.len();
    if let Some((i, _)) = rest.char_indices().nth(max_chars) {
        end = start + i;
        // Back to the last space (of any width) before the cut, unless that empties the window.
        if let Some((space, _)) = rest[..i]
            .char_indices()
            .rev()
            .find(|&(_, c)| c.is_whitespace())
        {
            if space > 0 {
                end = start + space;
            }
        }
    }
    let shown = text.get(start..end).unwrap_or_default();
    let shifted: Vec<[usize; 2]> = ranges
        .iter()
        .filter(valid)
        .filter(|r| r[0] >= start && r[1] <= end)
        .map(|r| [r[0] - start, r[1] - start])
        .collect();
    (shown.to_owned(), shifted, start > 0, end < text.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{self, StemmerKind};

    #[test]
    fn stemmed_hits_and_phrases_land_on_the_original_words() {
        let text = "وَشَنَّتْ روسيا والهجماتِ السيبرانية، على الولايات المتحدة";
        let mut terms = HighlightTerms::default();
        terms.stem.insert("هجم".to_owned());
        terms.exact.insert("الولايات".to_owned());
        terms.exact.insert("المتحده".to_owned());
        let mut exact = analysis::exact_analyzer();
        let stemmer = analysis::TermStemmer::new(StemmerKind::Light);
        let ranges = highlight_ranges(text, &terms, &mut exact, &stemmer, &mut Readings::default());
        let pieces: Vec<&str> = ranges.iter().map(|[f, t]| &text[*f..*t]).collect();
        assert_eq!(pieces, ["والهجماتِ", "الولايات المتحدة"]);
    }

    #[test]
    fn a_phrase_is_marked_as_one_span_and_its_words_alone_are_not() {
        let text = "قمة في جنيف، ثم قمة هلسنكي الشهيرة وقمة أخرى";
        let terms = HighlightTerms {
            phrases: vec![vec!["قمه".to_owned(), "هلسنكي".to_owned()]],
            ..HighlightTerms::default()
        };
        let mut exact = analysis::exact_analyzer();
        let stemmer = analysis::TermStemmer::new(StemmerKind::Light);
        let ranges = highlight_ranges(text, &terms, &mut exact, &stemmer, &mut Readings::default());
        let pieces: Vec<&str> = ranges.iter().map(|[f, t]| &text[*f..*t]).collect();
        assert_eq!(pieces, ["قمة هلسنكي"]);
        assert_eq!(
            ranges,
            [[
                text.find("قمة هلسنكي").unwrap(),
                text.find(" الشهيرة").unwrap()
            ]]
        );
    }

    #[test]
    fn marks_and_windows() {
        let text = "ألف باء تاء ثاء جيم";
        let ranges = vec![[7, 13]];
        assert_eq!(mark(text, &ranges, "[[", "]]"), "ألف [[باء]] تاء ثاء جيم");
        let (window, shifted, before, after) = window(text, &ranges, 8);
        assert!(before || after);
        assert_eq!(&window[shifted[0][0]..shifted[0][1]], "باء");
    }
}
