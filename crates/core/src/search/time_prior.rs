//! The time prior for ranking articles (issue 16): news about one subject comes in bursts, so
//! the days on which the best articles of a search were published say when its subject was in
//! the news, and an article published then is likelier to be about it than one that shares the
//! words at another time (a query's temporal profile: Jones and Diaz 2007; Efron and
//! Golovchinsky 2011, who estimate it from the first results as here). The profile is a
//! Gaussian kernel density over the days of the best [`PROFILE_ARTICLES`] articles (each the
//! source's calendar day, as the timeline counts it), each weighted by its score; every article
//! among the candidates is lifted by `weight` times the top article's score times the profile's
//! density at its day, relative to the densest candidate's (every passage of an article alike,
//! so an article is still shown by its best passage and the lead prior's move to the article
//! still holds).
//!
//! Nothing is tuned to a query: the kernel's width is a week, the news cycle; the profile is read
//! from a page's worth of articles. The candidates are the articles of the same first
//! [`whole_article::DEPTH`] passages the whole-article evidence rescored, so every page of a
//! search orders its articles the same way; the prior only adds, so a lifted article never falls
//! below one left as it was. Undated articles are neither in the profile nor lifted; a search
//! whose best articles are all undated (question-answering collections) ranks as without it.
//! Date-ordered pages do not use it.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use tantivy::{DocAddress, Score, SegmentOrdinal};

use super::articles::ArticleTable;
use super::lead::ArticleKey;
use super::tiered::TieredScore;
use super::whole_article;

/// The articles whose publication instants make the profile: a page's worth.
pub const PROFILE_ARTICLES: usize = 10;

/// The kernel's standard deviation: a week, the cycle of news coverage.
pub const CYCLE_DAYS: f64 = 7.0;

/// `passages` (best first, scored as articles rank: see `whole_article`) with the time prior
/// added to every passage of the articles of the first [`whole_article::DEPTH`] passages, sorted
/// again (ties keep their order). `weight` 0 leaves them as they are. `has_tiers`: the scores
/// carry the all-words tier, which the profile's weights and the lift's scale leave out.
pub fn rescore(
    mut passages: Vec<(Score, DocAddress)>,
    weight: f32,
    has_tiers: bool,
    tables: &HashMap<SegmentOrdinal, Arc<ArticleTable>>,
) -> Vec<(Score, DocAddress)> {
    if weight <= 0.0 || passages.is_empty() {
        return passages;
    }
    let article_of = |address: DocAddress| -> Option<ArticleKey> {
        let table = tables.get(&address.segment_ord)?;
        Some((address.segment_ord, table.article_of(address.doc_id)?))
    };
    // The candidates in rank order, each with its best score (the first it is met with).
    let depth = passages.len().min(whole_article::DEPTH);
    let mut candidates: Vec<Candidate> = Vec::new();
    let mut seen: HashSet<ArticleKey> = HashSet::new();
    for &(score, address) in &passages[..depth] {
        if let Some(key) = article_of(address) {
            if seen.insert(key) {
                candidates.push(Candidate {
                    key,
                    relevance: TieredScore::decode(score, has_tiers).relevance,
                    day: tables.get(&key.0).and_then(|table| table.day(key.1)),
                });
            }
        }
    }
    let lift = lifts(&candidates, weight);
    if lift.is_empty() {
        return passages;
    }
    for (score, address) in &mut passages {
        if let Some(bonus) = article_of(*address).and_then(|key| lift.get(&key)) {
            *score += bonus;
        }
    }
    passages.sort_by(|a, b| b.0.total_cmp(&a.0));
    passages
}

/// A candidate article: its relevance (its best score without the tier) and the source's
/// calendar day of its publication (days since 1970-01-01; `None`: undated).
#[derive(Debug, Clone, Copy)]
struct Candidate {
    key: ArticleKey,
    relevance: Score,
    day: Option<i64>,
}

/// What each dated candidate (`candidates` in rank order) gains: `weight` times the top
/// candidate's relevance times the profile's density at its day, relative to the densest
/// candidate's. Empty when nothing gains.
fn lifts(candidates: &[Candidate], weight: f32) -> HashMap<ArticleKey, Score> {
    let mut lift = HashMap::new();
    let Some(top) = candidates.first() else {
        return lift;
    };
    let scale = weight * top.relevance.max(0.0);
    let profile: Vec<(i64, f64)> = candidates
        .iter()
        .take(PROFILE_ARTICLES)
        .filter_map(|c| Some((c.day?, f64::from(c.relevance))))
        .filter(|&(_, weight)| weight > 0.0)
        .collect();
    if profile.is_empty() || scale <= 0.0 {
        return lift;
    }
    // Candidates share days (a story's reports come out together): each day's density once.
    let mut known: Vec<(i64, f64)> = Vec::new();
    let mut density = |day: i64| -> f64 {
        if let Some(&(_, density)) = known.iter().find(|(known, _)| *known == day) {
            return density;
        }
        let density = profile
            .iter()
            .map(|&(at, weight)| {
                let distance = (day - at) as f64 / CYCLE_DAYS;
                weight * (-0.5 * distance * distance).exp()
            })
            .sum();
        known.push((day, density));
        density
    };
    let densities: Vec<(ArticleKey, f64)> = candidates
        .iter()
        .filter_map(|c| Some((c.key, density(c.day?))))
        .collect();
    let densest = densities.iter().map(|&(_, d)| d).fold(0.0, f64::max);
    if densest <= 0.0 {
        return lift;
    }
    lift.extend(
        densities
            .into_iter()
            .map(|(key, d)| (key, scale * (d / densest) as Score)),
    );
    lift
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate(ord: u64, relevance: Score, day: Option<i64>) -> Candidate {
        Candidate {
            key: (0, ord),
            relevance,
            day,
        }
    }

    #[test]
    fn the_densest_candidate_gains_the_weight_times_the_top_relevance() {
        // Three articles of one week and a stronger one half a year later.
        let candidates = [
            candidate(0, 20.0, Some(17_900)),
            candidate(1, 12.0, Some(17_720)),
            candidate(2, 11.0, Some(17_721)),
            candidate(3, 10.0, Some(17_722)),
        ];
        let lift = lifts(&candidates, 0.5);
        let densest = lift.values().copied().fold(0.0, Score::max);
        assert!((densest - 10.0).abs() < 1e-4, "{lift:?}");
        assert_eq!(lift[&(0, 2)], densest, "the middle of the week: {lift:?}");
        // The lone article's own weight (20) against the week's three (33).
        assert!(lift[&(0, 0)] < 0.65 * densest, "{lift:?}");
        assert!(lift[&(0, 1)] > 0.9 * densest, "{lift:?}");
    }

    #[test]
    fn an_article_far_from_every_profiled_day_gains_nothing() {
        let mut candidates: Vec<Candidate> = (0..PROFILE_ARTICLES as u64)
            .map(|ord| candidate(ord, 10.0, Some(17_720)))
            .collect();
        // Past the profile (the eleventh), a year away.
        candidates.push(candidate(99, 9.0, Some(18_085)));
        let lift = lifts(&candidates, 0.1);
        assert!(lift[&(0, 99)] < 1e-6, "{lift:?}");
        assert!((lift[&(0, 0)] - 1.0).abs() < 1e-4, "{lift:?}");
    }

    #[test]
    fn undated_articles_neither_profile_nor_gain() {
        let undated = [candidate(0, 10.0, None), candidate(1, 9.0, None)];
        assert!(lifts(&undated, 0.1).is_empty());
        let mixed = [candidate(0, 10.0, None), candidate(1, 9.0, Some(17_720))];
        let lift = lifts(&mixed, 0.1);
        assert!(!lift.contains_key(&(0, 0)), "{lift:?}");
        // Scaled by the top article's relevance, dated or not.
        assert!((lift[&(0, 1)] - 1.0).abs() < 1e-4, "{lift:?}");
    }

    #[test]
    fn no_weight_or_no_relevance_gives_no_lift() {
        let candidates = [candidate(0, 10.0, Some(17_720))];
        assert!(lifts(&candidates, 0.0).is_empty());
        let scoreless = [candidate(0, 0.0, Some(17_720))];
        assert!(lifts(&scoreless, 0.1).is_empty());
    }
}
