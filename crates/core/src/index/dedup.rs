//! Near-duplicate signatures: MinHash over word 3-shingles of an article's body, with LSH bands.
//!
//! Each article gets [`HASHES`] minimum hashes (a [`Signature`]), stored as a fast bytes field on
//! its first passage, and [`BANDS`] band keys indexed as terms, so that the articles sharing at
//! least one band with a given article (its candidate copies) are found with a few term lookups.
//! Two articles are copies when their signatures agree on at least [`COPY_THRESHOLD`] of the
//! hashes, an estimate of the Jaccard similarity of their shingle sets: a byte-identical body
//! always agrees on all of them; a new headline, a dateline or a trailing sentence leaves most
//! of them equal; two different articles that share one quoted statement share few shingles.
//!
//! Words are compared after dropping harakat and tatweel and folding alef forms, teh marbuta and
//! alef maqsura: the part of the analysis normalizer's folding table given by
//! [`signature_char`], enough to see the same wire text in two outlets. Not the whole table:
//! signatures are stored in the index, so folding more (hamza seats, digits) would change the
//! signature of most Arabic articles and leave them unequal to those of copies already indexed.

use std::collections::HashMap;

use crate::analysis::normalizer::{signature_char, SignatureChar};

/// Hashes in a signature.
pub const HASHES: usize = 64;
/// LSH bands (of HASHES / BANDS rows each).
pub const BANDS: usize = 16;
const ROWS: usize = HASHES / BANDS;
/// Share of equal hashes from which two articles are copies (estimated Jaccard similarity).
pub const COPY_THRESHOLD: f64 = 0.7;
/// Words per shingle.
const SHINGLE: usize = 3;

pub type Signature = [u32; HASHES];

/// The words of `body`, as the analysis folds them for signatures
/// ([`signature_char`]: marks and tatweel dropped, alef forms folded), as hashes (FNV-1a over the
/// folded characters: no allocation per word).
fn word_hashes(body: &str) -> Vec<u64> {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0100_0000_01b3;
    let mut hashes = Vec::with_capacity(body.len() / 6);
    let mut hash = OFFSET;
    let mut in_word = false;
    for c in body.chars() {
        let folded = match signature_char(c) {
            SignatureChar::Char(folded) => folded,
            SignatureChar::Skip => continue,
            SignatureChar::Boundary => {
                if in_word {
                    hashes.push(hash);
                    hash = OFFSET;
                    in_word = false;
                }
                continue;
            }
        };
        hash = (hash ^ folded as u64).wrapping_mul(PRIME);
        in_word = true;
    }
    if in_word {
        hashes.push(hash);
    }
    hashes
}

fn mix(a: u64, b: u64) -> u64 {
    // A 64-bit finalizer (splitmix64) over a combination of two hashes.
    let mut z = a ^ b.rotate_left(29).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The MinHash signature of `body`; `None` for a body without words.
pub fn signature(body: &str) -> Option<Signature> {
    let words = word_hashes(body);
    if words.is_empty() {
        return None;
    }
    let shingles: Vec<u64> = if words.len() < SHINGLE {
        vec![words.iter().fold(0, |acc, &w| mix(acc, w))]
    } else {
        words
            .windows(SHINGLE)
            .map(|w| mix(mix(w[0], w[1]), w[2]))
            .collect()
    };
    // The HASHES hash functions are multiply-shift hashes of one well-mixed shingle hash: a
    // multiplication and an addition each, instead of a full mix per function.
    let multipliers: [u64; HASHES] = std::array::from_fn(|i| mix(0x5EED, i as u64) | 1);
    let increments: [u64; HASHES] = std::array::from_fn(|i| mix(0xADD, i as u64));
    let mut signature = [u32::MAX; HASHES];
    for shingle in shingles {
        for ((slot, &a), &b) in signature.iter_mut().zip(&multipliers).zip(&increments) {
            let value = (shingle.wrapping_mul(a).wrapping_add(b) >> 32) as u32;
            if value < *slot {
                *slot = value;
            }
        }
    }
    Some(signature)
}

/// The band keys of a signature, as index terms (`b<band>:<hex>`).
pub fn band_terms(signature: &Signature) -> Vec<String> {
    signature
        .chunks(ROWS)
        .enumerate()
        .map(|(band, rows)| {
            let key = rows
                .iter()
                .fold(band as u64, |acc, &r| mix(acc, u64::from(r)));
            format!("b{band}:{key:016x}")
        })
        .collect()
}

pub fn to_bytes(signature: &Signature) -> Vec<u8> {
    signature.iter().flat_map(|v| v.to_le_bytes()).collect()
}

pub fn from_bytes(bytes: &[u8]) -> Option<Signature> {
    if bytes.len() != HASHES * 4 {
        return None;
    }
    let mut signature = [0u32; HASHES];
    for (slot, chunk) in signature.iter_mut().zip(bytes.chunks_exact(4)) {
        *slot = u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
    }
    Some(signature)
}

/// Estimated Jaccard similarity of the shingle sets behind two signatures.
pub fn similarity(a: &Signature, b: &Signature) -> f64 {
    a.iter().zip(b).filter(|(x, y)| x == y).count() as f64 / HASHES as f64
}

pub fn are_copies(a: &Signature, b: &Signature) -> bool {
    similarity(a, b) >= COPY_THRESHOLD
}

/// The fewest equal hashes that make two signatures copies (as [`are_copies`] counts them).
fn min_equal_hashes() -> usize {
    (0..=HASHES)
        .find(|&equal| equal as f64 / HASHES as f64 >= COPY_THRESHOLD)
        .unwrap_or(HASHES)
}

/// Signatures gathered one by one (the articles of a page, best first), asked whether a new one
/// is a copy of any so far: the answer of [`are_copies`] against each of them, without comparing
/// with each once there are many. Two copies differ in at most `HASHES − min_equal_hashes()`
/// positions, so with the positions split into one group more than that, they agree on a whole
/// group (pigeonhole): each group's values are keyed, and only the signatures that share a key
/// are compared. A page deep into a broad search (thousands of articles) compared every new
/// article with every one before it; a first page (a few dozen) still does, which costs less
/// than keying them.
#[derive(Debug, Clone, Default)]
pub struct CopyFinder {
    signatures: Vec<Signature>,
    /// Empty until [`KEYED_FROM`] signatures are gathered.
    groups: Vec<KeyedGroup>,
}

/// A group of positions `[start, end)`, and the gathered signatures (their indexes) by their
/// values there.
type KeyedGroup = ((usize, usize), HashMap<u64, Vec<u32>>);

/// Signatures gathered before they are keyed.
const KEYED_FROM: usize = 64;

impl CopyFinder {
    fn key(signature: &Signature, (start, end): (usize, usize)) -> u64 {
        signature[start..end]
            .iter()
            .fold(start as u64, |acc, &value| mix(acc, u64::from(value)))
    }

    /// Whether `signature` is a copy of one gathered so far.
    pub fn has_copy_of(&self, signature: &Signature) -> bool {
        if self.groups.is_empty() {
            return self.signatures.iter().any(|o| are_copies(signature, o));
        }
        self.groups.iter().any(|(bounds, keyed)| {
            keyed
                .get(&Self::key(signature, *bounds))
                .is_some_and(|sharing| {
                    sharing
                        .iter()
                        .any(|&i| are_copies(signature, &self.signatures[i as usize]))
                })
        })
    }

    /// Gathers `signature`.
    pub fn insert(&mut self, signature: Signature) {
        self.signatures.push(signature);
        if self.signatures.len() == KEYED_FROM {
            self.groups = Self::groups();
            for index in 0..self.signatures.len() {
                self.key_signature(index);
            }
        } else if !self.groups.is_empty() {
            self.key_signature(self.signatures.len() - 1);
        }
    }

    fn key_signature(&mut self, index: usize) {
        let signature = &self.signatures[index];
        for (bounds, keyed) in &mut self.groups {
            keyed
                .entry(Self::key(signature, *bounds))
                .or_default()
                .push(index as u32);
        }
    }

    /// The groups of positions, empty: as many as two copies may differ in positions, plus one,
    /// split as evenly as they go (the first `HASHES % count` one longer).
    fn groups() -> Vec<KeyedGroup> {
        let count = (HASHES - min_equal_hashes() + 1).min(HASHES);
        let (size, longer) = (HASHES / count, HASHES % count);
        let mut start = 0;
        (0..count)
            .map(|group| {
                let end = start + size + usize::from(group < longer);
                let bounds = (start, end);
                start = end;
                (bounds, HashMap::new())
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A signature derived from `seed`, with the positions in `changed` given other values.
    fn varied(seed: u64, changed: &[usize]) -> Signature {
        let mut signature: Signature = std::array::from_fn(|i| mix(seed, i as u64) as u32);
        for &position in changed {
            signature[position] ^= 0x5A5A_5A5A;
        }
        signature
    }

    #[test]
    fn the_copy_finder_answers_as_comparing_with_every_signature() {
        // Variants of a few bases, each with a different number of positions changed (spread or
        // clustered): the finder must agree with the full comparison on every one.
        let mut finder = CopyFinder::default();
        let mut gathered: Vec<Signature> = Vec::new();
        // Unrelated signatures first, enough for the finder to key what it gathers.
        for seed in 1000..1000 + KEYED_FROM as u64 {
            let unrelated = varied(seed, &[]);
            finder.insert(unrelated);
            gathered.push(unrelated);
        }
        assert!(!finder.groups.is_empty());
        let mut agreed = (0, 0);
        for base in 0..4u64 {
            for changed in 0..=HASHES {
                for layout in 0..4usize {
                    let positions: Vec<usize> = match layout {
                        0 => (0..changed).collect(),
                        // 3 is prime to HASHES: distinct positions, spread out.
                        1 => (0..changed).map(|i| (i * 3 + 1) % HASHES).collect(),
                        2 => (0..changed).map(|i| HASHES - 1 - i).collect(),
                        // One in every four positions first: one change in each LSH band of
                        // the index (16 of 4), which a split into those bands would miss.
                        _ => (0..changed)
                            .map(|i| i * 4 % HASHES + i * 4 / HASHES)
                            .collect(),
                    };
                    let signature = varied(base, &positions);
                    let expected = gathered.iter().any(|o| are_copies(&signature, o));
                    assert_eq!(
                        finder.has_copy_of(&signature),
                        expected,
                        "base {base}, {changed} changed, layout {layout}"
                    );
                    if expected {
                        agreed.0 += 1;
                    } else {
                        agreed.1 += 1;
                    }
                    // Gather a few, so that later variants meet copies and non-copies.
                    if (changed, layout) == (0, 0) || (changed, layout) == (30, 1) {
                        finder.insert(signature);
                        gathered.push(signature);
                    }
                }
            }
        }
        assert!(agreed.0 > 50 && agreed.1 > 50, "{agreed:?}");
    }

    fn article(seed: usize, words: usize) -> String {
        (0..words)
            .map(|i| format!("كلمة{}", (seed * 7919 + i * 104_729) % 5000))
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn exact_copies_and_light_edits_group_but_shared_quotes_do_not() {
        let body = article(1, 300);
        let sig = signature(&body).unwrap();
        assert_eq!(similarity(&sig, &signature(&body).unwrap()), 1.0);
        // Diacritics and alef forms do not separate copies.
        let diacritized = format!("أَعلنَ {body}");
        let plain = format!("اعلن {body}");
        assert!(are_copies(
            &signature(&diacritized).unwrap(),
            &signature(&plain).unwrap()
        ));
        // A dateline and a trailing sentence.
        let edited = format!("جنيف (رويترز) - {body} وكان ذلك في ختام الاجتماع.");
        assert!(are_copies(&sig, &signature(&edited).unwrap()));
        // Two different articles quoting the same 30-word statement.
        let quote = article(99, 30);
        let a = format!("{} {quote} {}", article(2, 150), article(3, 150));
        let b = format!("{} {quote} {}", article(4, 150), article(5, 150));
        assert!(!are_copies(
            &signature(&a).unwrap(),
            &signature(&b).unwrap()
        ));
    }

    #[test]
    fn bands_and_bytes_round_trip() {
        let sig = signature(&article(7, 50)).unwrap();
        assert_eq!(from_bytes(&to_bytes(&sig)), Some(sig));
        let bands = band_terms(&sig);
        assert_eq!(bands.len(), BANDS);
        assert!(bands[3].starts_with("b3:"));
        assert_eq!(signature(" ،. "), None);
    }
}
