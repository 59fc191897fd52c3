//! Splitting an article body into passages, the unit a search returns.
//!
//! Paragraphs are the natural unit; very short ones (a dateline, a one-line quote) are merged with
//! their neighbours and long ones are split at sentence ends (. ؟ ! ؛ ?), so passages run about
//! [`PassageSizes::min_words`]–[`PassageSizes::max_words`] words (80–200 by default: chosen by
//! measurement over 40–150 and 100–300, see `docs/relevance.md`). Each passage is a slice of the
//! body as written; joined with blank lines they give the body back.

/// Target passage length, in words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PassageSizes {
    pub min_words: usize,
    pub max_words: usize,
}

impl Default for PassageSizes {
    fn default() -> Self {
        PassageSizes {
            min_words: 80,
            max_words: 200,
        }
    }
}

/// Splits `body` into passages (byte ranges of `body`, in order).
pub fn split_passages(body: &str, sizes: PassageSizes) -> Vec<&str> {
    let mut pieces: Vec<(usize, usize, usize)> = Vec::new(); // (start, end, words)
    for (start, end) in paragraph_ranges(body) {
        let words = count_words(&body[start..end]);
        if words <= sizes.max_words {
            pieces.push((start, end, words));
        } else {
            split_long(body, start, end, sizes.max_words, &mut pieces);
        }
    }
    // Merge short pieces forward while the result stays within the maximum.
    let mut merged: Vec<(usize, usize, usize)> = Vec::new();
    for piece in pieces {
        match merged.last_mut() {
            Some(last) if last.2 < sizes.min_words && last.2 + piece.2 <= sizes.max_words => {
                last.1 = piece.1;
                last.2 += piece.2;
            }
            _ => merged.push(piece),
        }
    }
    // A short last passage joins the one before it when that keeps it reasonable.
    if merged.len() >= 2 {
        let last = merged[merged.len() - 1];
        let before = merged[merged.len() - 2];
        if last.2 < sizes.min_words && before.2 + last.2 <= sizes.max_words + sizes.min_words {
            merged.pop();
            let before = merged.last_mut().expect("two passages");
            before.1 = last.1;
            before.2 += last.2;
        }
    }
    merged.into_iter().map(|(s, e, _)| &body[s..e]).collect()
}

fn count_words(text: &str) -> usize {
    text.split_whitespace().count()
}

/// Byte ranges of the non-empty lines of `body`, trimmed (a line of a news export is a
/// paragraph; hard-wrapped text is merged back by the short-piece rule).
fn paragraph_ranges(body: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let base = body.as_ptr() as usize;
    body.split('\n').filter_map(move |line| {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            return None;
        }
        let start = trimmed.as_ptr() as usize - base;
        Some((start, start + trimmed.len()))
    })
}

fn is_sentence_end(c: char) -> bool {
    matches!(c, '.' | '؟' | '?' | '!' | '؛' | '…')
}

/// Splits body[start..end] at sentence ends into pieces of at most `max_words` words; a sentence
/// longer than that is cut at a word boundary.
fn split_long(
    body: &str,
    start: usize,
    end: usize,
    max_words: usize,
    out: &mut Vec<(usize, usize, usize)>,
) {
    let text = &body[start..end];
    // Sentence ranges (relative to text), each ending after its punctuation.
    let mut sentences: Vec<(usize, usize)> = Vec::new();
    let mut sentence_start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next_is_space = chars.peek().is_none_or(|&(_, n)| n.is_whitespace());
        if is_sentence_end(c) && next_is_space {
            let sentence_end = i + c.len_utf8();
            sentences.push((sentence_start, sentence_end));
            sentence_start = sentence_end;
        }
    }
    if sentence_start < text.len() {
        sentences.push((sentence_start, text.len()));
    }
    let mut current: Option<(usize, usize, usize)> = None;
    for (s, e) in sentences {
        let words = count_words(&text[s..e]);
        if words == 0 {
            continue;
        }
        if words > max_words {
            if let Some(piece) = current.take() {
                out.push(trimmed(body, start, piece));
            }
            cut_at_words(body, start + s, start + e, max_words, out);
            continue;
        }
        current = match current {
            Some((cs, _, cw)) if cw + words <= max_words => Some((cs, e, cw + words)),
            Some(piece) => {
                out.push(trimmed(body, start, piece));
                Some((s, e, words))
            }
            None => Some((s, e, words)),
        };
    }
    if let Some(piece) = current {
        out.push(trimmed(body, start, piece));
    }
}

fn trimmed(body: &str, base: usize, (s, e, words): (usize, usize, usize)) -> (usize, usize, usize) {
    let slice = &body[base + s..base + e];
    let lead = slice.len() - slice.trim_start().len();
    let tail = slice.len() - slice.trim_end().len();
    (base + s + lead, base + e - tail, words)
}

fn cut_at_words(
    body: &str,
    start: usize,
    end: usize,
    max_words: usize,
    out: &mut Vec<(usize, usize, usize)>,
) {
    let base = body.as_ptr() as usize;
    let words: Vec<&str> = body[start..end].split_whitespace().collect();
    for chunk in words.chunks(max_words) {
        let first = chunk[0];
        let last = chunk[chunk.len() - 1];
        let s = first.as_ptr() as usize - base;
        let e = last.as_ptr() as usize - base + last.len();
        out.push((s, e, chunk.len()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(n: usize, word: &str) -> String {
        vec![word; n].join(" ")
    }

    #[test]
    fn short_paragraphs_merge_and_long_ones_split_at_sentences() {
        let sizes = PassageSizes {
            min_words: 5,
            max_words: 10,
        };
        let body = format!(
            "جنيف\n\n{}\n{}. {}؟ {}.",
            words(3, "قال"),
            words(6, "أ"),
            words(6, "ب"),
            words(3, "ج")
        );
        let passages = split_passages(&body, sizes);
        // The 15-word paragraph splits after its first sentence (6 + 9 words); the dateline and
        // the 3-word paragraph are too short alone and merge forward up to 10 words.
        assert_eq!(passages.len(), 2);
        assert_eq!(
            passages[0],
            format!("جنيف\n\n{}\n{}.", words(3, "قال"), words(6, "أ"))
        );
        assert_eq!(
            passages[1],
            format!("{}؟ {}.", words(6, "ب"), words(3, "ج"))
        );
    }

    #[test]
    fn a_sentence_longer_than_the_maximum_is_cut_at_words() {
        let sizes = PassageSizes {
            min_words: 3,
            max_words: 4,
        };
        let body = words(10, "كلمة");
        let passages = split_passages(&body, sizes);
        let counts: Vec<usize> = passages.iter().map(|p| count_words(p)).collect();
        assert_eq!(counts, [4, 6]);
    }

    #[test]
    fn passages_are_slices_of_the_body_covering_every_word() {
        let body = "الفقرة الأولى.\n\nالفقرة الثانية طويلة بعض الشيء؛ وفيها جملتان.\n\nالثالثة";
        let passages = split_passages(body, PassageSizes::default());
        let joined_words: Vec<&str> = passages.iter().flat_map(|p| p.split_whitespace()).collect();
        assert_eq!(joined_words, body.split_whitespace().collect::<Vec<_>>());
    }
}
