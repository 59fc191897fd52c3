//! The lead prior on a page of results. In news an article's first passage, its lead, sums the
//! story up, so ranking articles adds a fixed bonus to the lead's score (`tiered`'s
//! `lead_boost`) and an article scores its best passage so raised: that is what TREC runs and
//! `eval` measure.
//! A page shows each article by the passage that holds the words, not by its lead, so there the
//! bonus becomes the article's: every passage of an article is lifted by what its raised lead
//! adds to the article's best score. The page then orders articles exactly as a run does (an
//! article's best lifted passage scores what its best raised one did) and still shows, inside
//! each article, its passages in the order of their own scores.

use std::collections::HashMap;

use tantivy::{DocAddress, Score};

use super::articles::ArticleKey;

/// Where a passage stands: its article, and whether it is the article's lead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    pub article: ArticleKey,
    pub is_lead: bool,
}

/// A passage's score without the prior: `boost` off a lead's, any other as it is.
pub fn own_score(score: Score, is_lead: bool, boost: Score) -> Score {
    if is_lead {
        score - boost
    } else {
        score
    }
}

/// A passage's score on a page: its `own` score lifted by what the prior adds to its article,
/// whose best passage scored `raised` with the prior and `unraised` without. Written so that the
/// article's best passage scores exactly `raised`, its rank.
pub fn lifted(own: Score, raised: Score, unraised: Score) -> Score {
    raised - (unraised - own)
}

/// `passages` (scored with `boost` added to every lead's score; best first) with the bonus moved
/// from the leads to their whole articles: a lead scores its own score again, and every passage
/// of an article whose raised lead beat the article's other passages is lifted by the
/// difference. Sorted again (ties keep their order). `place` is `None` for a passage without an
/// article, which keeps its score as it is.
pub fn as_article_lift(
    mut passages: Vec<(Score, DocAddress)>,
    boost: Score,
    place: impl Fn(DocAddress) -> Option<Place>,
) -> Vec<(Score, DocAddress)> {
    if boost <= 0.0 {
        return passages;
    }
    // Per article (numbered by its first place in the list): its best score with the bonus
    // (as ranked) and without (its own passages'); per passage, its article's number.
    let mut article_index: HashMap<ArticleKey, u32> = HashMap::new();
    let mut best: Vec<(Score, Score)> = Vec::new();
    let mut articles: Vec<u32> = Vec::with_capacity(passages.len());
    let mut any_lead = false;
    for (score, address) in &mut passages {
        let Some(place) = place(*address) else {
            articles.push(u32::MAX);
            continue;
        };
        let raised = *score;
        any_lead |= place.is_lead;
        *score = own_score(raised, place.is_lead, boost);
        let next = best.len() as u32;
        let index = *article_index.entry(place.article).or_insert(next);
        if index == next {
            best.push((Score::NEG_INFINITY, Score::NEG_INFINITY));
        }
        let entry = &mut best[index as usize];
        entry.0 = entry.0.max(raised);
        entry.1 = entry.1.max(*score);
        articles.push(index);
    }
    if !any_lead {
        return passages;
    }
    for ((score, _), &index) in passages.iter_mut().zip(&articles) {
        if let Some(&(raised, unraised)) = best.get(index as usize) {
            *score = lifted(*score, raised, unraised);
        }
    }
    passages.sort_by(|a, b| b.0.total_cmp(&a.0));
    passages
}

#[cfg(test)]
mod tests {
    use super::*;

    fn address(doc: u32) -> DocAddress {
        DocAddress::new(0, doc)
    }

    /// Documents 0–2 are article 0 (0 its lead), 3–4 article 1 (3 its lead), 9 has no article.
    fn place(address: DocAddress) -> Option<Place> {
        let article = match address.doc_id {
            0..=2 => 0,
            3..=4 => 1,
            _ => return None,
        };
        Some(Place {
            article: (0, article),
            is_lead: matches!(address.doc_id, 0 | 3),
        })
    }

    #[test]
    fn an_article_whose_raised_lead_is_its_best_ranks_by_it_and_shows_its_best_passage() {
        // Article 0: lead 5 (+4 = 9), passage 1 scores 7. Article 1: passage 4 scores 8.
        let ranked = [(9.0, address(0)), (8.0, address(4)), (7.0, address(1))];
        let lifted = as_article_lift(ranked.to_vec(), 4.0, place);
        // Article 0 still leads with 9, now by passage 1 (7 + 2); its lead keeps 5 + 2.
        assert_eq!(
            lifted,
            vec![(9.0, address(1)), (8.0, address(4)), (7.0, address(0))]
        );
    }

    #[test]
    fn an_article_whose_best_passage_beats_its_raised_lead_is_not_lifted() {
        // Article 0: lead 2 (+4 = 6), passage 2 scores 10: the article scores 10 either way.
        let ranked = [(10.0, address(2)), (6.0, address(0)), (1.0, address(9))];
        let lifted = as_article_lift(ranked.to_vec(), 4.0, place);
        assert_eq!(
            lifted,
            vec![(10.0, address(2)), (2.0, address(0)), (1.0, address(9))]
        );
    }

    #[test]
    fn every_article_keeps_the_best_score_it_was_ranked_by() {
        let ranked = [
            (12.0, address(3)),
            (9.5, address(0)),
            (9.0, address(1)),
            (7.0, address(4)),
            (3.0, address(2)),
        ];
        let lifted = as_article_lift(ranked.to_vec(), 4.0, place);
        let best = |article: u64, list: &[(Score, DocAddress)]| {
            list.iter()
                .filter(|(_, a)| place(*a).map(|p| p.article) == Some((0, article)))
                .map(|(s, _)| *s)
                .fold(Score::NEG_INFINITY, Score::max)
        };
        for article in [0, 1] {
            assert_eq!(best(article, &lifted), best(article, &ranked));
        }
        // Inside each article the passages keep the order of their own scores: article 1's
        // lead (12 − 4 = 8) before its passage 4 (7); article 0's passage 1 (9) before its lead
        // (9.5 − 4 = 5.5).
        let order = |docs: std::ops::RangeInclusive<u32>| -> Vec<u32> {
            lifted
                .iter()
                .filter(|(_, a)| docs.contains(&a.doc_id))
                .map(|(_, a)| a.doc_id)
                .collect()
        };
        assert_eq!(order(3..=4), vec![3, 4]);
        assert_eq!(order(0..=2), vec![1, 0, 2]);
    }

    #[test]
    fn without_a_bonus_nothing_moves() {
        let ranked = [(9.0, address(0)), (8.0, address(4))];
        assert_eq!(
            as_article_lift(ranked.to_vec(), 0.0, place),
            ranked.to_vec()
        );
    }
}
