//! Hybrid ranking: each side's top passages min-max normalized to [0, 1] and interpolated,
//! `(1 − w) · lexical + w · dense`; a passage missing from one side scores 0 there (as the
//! lowest it kept would). The weight is chosen on the dev sets (`docs/relevance.md`).

use std::collections::HashMap;

use tantivy::DocAddress;

use super::SIDE_DEPTH;

/// The dense side's weight by default.
pub const DEFAULT_WEIGHT: f32 = 0.4;

/// One ranking of `lexical` (best first, all the lexical passages fetched) and `dense` (best
/// first): the union of both sides' top [`SIDE_DEPTH`] by fused score, which lies in [1, 2],
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
    for (side, side_weight) in [(lexical_top, 1.0 - weight), (dense_top, weight)] {
        for (address, value) in normalized(side) {
            *fused.entry(address).or_insert(0.0) += side_weight * value;
        }
    }
    let mut ranked: Vec<(f32, DocAddress)> = fused
        .iter()
        .map(|(&address, &value)| (1.0 + value, address))
        .collect();
    ranked.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
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
        // 1: 0.5·1 = 0.5; 2: 0.5·0.6 = 0.3; 3: 0.5·0 + 0.5·1 = 0.5; 4: 0.
        let order: Vec<u32> = ranked.iter().map(|(_, a)| a.doc_id).collect();
        assert_eq!(order, vec![1, 3, 2, 4]);
        assert!(ranked.iter().all(|(s, _)| (1.0..=2.0).contains(s)));
    }

    #[test]
    fn weight_zero_keeps_the_lexical_top_in_order_ahead() {
        let lexical: Vec<_> = (0..150).map(|i| (300.0 - i as f32, at(i))).collect();
        let dense = vec![(0.9, at(149)), (0.8, at(500))];
        let ranked = fuse(&lexical, &dense, 0.0);
        let order: Vec<u32> = ranked.iter().map(|(_, a)| a.doc_id).collect();
        assert_eq!(order[..100], (0..100).collect::<Vec<u32>>()[..]);
        // The rest in lexical order, each passage once (149 came in through the dense side).
        let rest: Vec<u32> = order[100..].iter().copied().filter(|&d| d < 149).collect();
        assert_eq!(rest, (100..149).collect::<Vec<u32>>());
        assert_eq!(order.iter().filter(|&&d| d == 149).count(), 1);
        assert!(ranked.windows(2).all(|w| w[0].0 >= w[1].0));
    }
}
