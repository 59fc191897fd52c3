//! Hybrid ranking: each side's top passages min-max normalized to [0, 1] and interpolated,
//! `(1 − w) · lexical + w · dense`; a passage missing from one side scores 0 there (as the
//! lowest it kept would). The weight is chosen on the dev sets (`docs/relevance.md`).

use std::collections::{HashMap, HashSet};

use tantivy::DocAddress;

use super::SIDE_DEPTH;

/// The dense side's weight by default.
pub const DEFAULT_WEIGHT: f32 = 0.4;

/// One ranking of `lexical` (best first, all the lexical passages fetched) and `dense` (best
/// first): the union of both sides' top [`SIDE_DEPTH`] by fused score, which lies in [1, 2]
/// (without the passages only the meaning found whose fused value is 0),
/// then the rest of the lexical list in its own order, scored below 1 (their lexical score over
/// the lowest of the lexical top, times 0.999, so the order is kept and no score ties with the
/// fused ones).
pub fn fuse(
    lexical: &[(f32, DocAddress)],
    dense: &[(f32, DocAddress)],
    weight: f32,
) -> Vec<(f32, DocAddress)> {
    let lexical_top = &lexical[..lexical.len().min(SIDE_DEPTH)];
    let dense_top = &dense[..dense.len().min(SIDE_DEPTH)];
    let mut fused: HashMap<DocAddress, f32> = HashMap::new();
    for (address, value) in normalized(lexical_top) {
        *fused.entry(address).or_insert(0.0) += (1.0 - weight) * value;
    }
    let adding: HashSet<DocAddress> = adding(dense, weight).collect();
    for (address, value) in normalized(dense_top) {
        if adding.contains(&address) {
            *fused.entry(address).or_insert(0.0) += weight * value;
        }
    }
    let closeness: HashMap<DocAddress, f32> = dense_top.iter().map(|&(s, a)| (a, s)).collect();
    let mut ranked: Vec<(f32, DocAddress)> = fused
        .iter()
        .map(|(&address, &value)| (1.0 + value, address))
        .collect();
    // Ties: the closer in meaning first, then index order.
    let close = |a: &DocAddress| closeness.get(a).copied().unwrap_or(f32::MIN);
    ranked.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then(close(&b.1).total_cmp(&close(&a.1)))
            .then(a.1.segment_ord.cmp(&b.1.segment_ord))
            .then(a.1.doc_id.cmp(&b.1.doc_id))
    });
    let floor = lexical_top
        .last()
        .map_or(1.0, |(s, _)| *s)
        .max(f32::MIN_POSITIVE);
    ranked.extend(
        lexical[lexical_top.len()..]
            .iter()
            .filter(|(_, address)| !fused.contains_key(address))
            .map(|&(score, address)| ((score / floor).clamp(0.0, 1.0) * 0.999, address)),
    );
    ranked
}

/// The passages the meaning's side adds to a fusion with `weight`: its top [`SIDE_DEPTH`] but
/// those worth nothing (the lowest of them, or all of them with weight 0), which would only tie
/// with the words' last.
pub fn adding(dense: &[(f32, DocAddress)], weight: f32) -> impl Iterator<Item = DocAddress> + '_ {
    let top = &dense[..dense.len().min(SIDE_DEPTH)];
    normalized(top)
        .filter(move |(_, value)| weight > 0.0 && *value > 0.0)
        .map(|(address, _)| address)
}

/// `side`'s scores mapped to [0, 1] by its own minimum and maximum (all 1 when they are equal).
fn normalized(side: &[(f32, DocAddress)]) -> impl Iterator<Item = (DocAddress, f32)> + '_ {
    let max = side.iter().map(|(s, _)| *s).fold(f32::MIN, f32::max);
    let min = side.iter().map(|(s, _)| *s).fold(f32::MAX, f32::min);
    let span = max - min;
    side.iter().map(move |&(score, address)| {
        let value = if span > 0.0 {
            (score - min) / span
        } else {
            1.0
        };
        (address, value)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(doc: u32) -> DocAddress {
        DocAddress::new(0, doc)
    }

    #[test]
    fn both_sides_count_and_the_rest_keeps_lexical_order_below() {
        let lexical = vec![(10.0, at(1)), (8.0, at(2)), (5.0, at(3))];
        let dense = vec![(0.9, at(3)), (0.5, at(4))];
        let ranked = fuse(&lexical, &dense, 0.5);
        // 1: 0.5·1 = 0.5; 2: 0.5·0.6 = 0.3; 3: 0.5·0 + 0.5·1 = 0.5 (ties with 1, closer in
        // meaning); 4: 0, only the meaning found it: left out.
        let order: Vec<u32> = ranked.iter().map(|(_, a)| a.doc_id).collect();
        assert_eq!(order, vec![3, 1, 2]);
        assert!(ranked.iter().all(|(s, _)| (1.0..=2.0).contains(s)));
    }

    #[test]
    fn weight_zero_is_the_lexical_order() {
        let lexical: Vec<_> = (0..150).map(|i| (300.0 - i as f32, at(i))).collect();
        let dense = vec![(0.9, at(149)), (0.8, at(500)), (0.7, at(3))];
        let ranked = fuse(&lexical, &dense, 0.0);
        let order: Vec<u32> = ranked.iter().map(|(_, a)| a.doc_id).collect();
        assert_eq!(order, (0..150).collect::<Vec<u32>>());
        assert!(ranked.windows(2).all(|w| w[0].0 >= w[1].0));
    }

    #[test]
    fn weight_one_ranks_the_nearest_first_and_keeps_the_words_top() {
        let lexical = vec![(10.0, at(1)), (5.0, at(2))];
        let dense = vec![(0.9, at(7)), (0.8, at(2)), (0.1, at(8))];
        let order: Vec<u32> = fuse(&lexical, &dense, 1.0)
            .iter()
            .map(|(_, a)| a.doc_id)
            .collect();
        // 8 is the lowest of the nearest and no word matches it: left out.
        assert_eq!(order, vec![7, 2, 1]);
    }
}
