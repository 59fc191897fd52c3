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
//! from a page's worth of articles. The candidates are the articles the whole-article evidence
//! rescored, those of the same first passages (read before it reorders the list, see
//! [`super::whole_article::rescored_articles`]), so every page of a search orders its articles
//! the same way; the prior only adds, so a lifted article never falls below one left as it was.
//! Undated articles are not in the profile, and gain the dated candidates' mean lift (neither
//! lifted nor left behind); a search whose best articles are all undated (question-answering
//! collections) ranks as without the prior. Date-ordered pages do not use it.

use std::collections::HashMap;
use std::sync::Arc;

use tantivy::{DocAddress, Score, SegmentOrdinal};

use super::articles::{ArticleKey, ArticleTable};
use super::tiered::TieredScore;

/// The articles whose days of publication make the profile: a page's worth.
pub const PROFILE_ARTICLES: usize = 10;

/// The kernel's standard deviation: a week, the cycle of news coverage.
pub const CYCLE_DAYS: f64 = 7.0;

/// `passages` (best first, scored as articles rank them: see `whole_article`) with the time
/// prior added to every passage of the `candidates` (sorted; the articles the whole-article
/// evidence rescored, [`super::whole_article::rescored_articles`]), sorted
/// again (ties keep their order). `weight` 0 leaves them as they are. `has_tiers`: the scores
/// carry the all-words tier, which the profile's weights and the lift's scale leave out.
pub fn rescore(
    mut passages: Vec<(Score, DocAddress)>,
    candidates: &[ArticleKey],
    weight: f32,
    has_tiers: bool,
    tables: &HashMap<SegmentOrdinal, Arc<ArticleTable>>,
) -> Vec<(Score, DocAddress)> {
    if weight <= 0.0 || candidates.is_empty() {
        return passages;
    }
    // By segment ordinal, and articles kept in sorted lists: this runs for every search, and
    // hashing each passage's key cost more than the rest of it.
    let segments = tables.keys().max().map_or(0, |&last| last as usize + 1);
    let by_segment: Vec<Option<&ArticleTable>> = (0..segments)
        .map(|segment| tables.get(&(segment as SegmentOrdinal)).map(Arc::as_ref))
        .collect();
    let article_of = |address: DocAddress| -> Option<(ArticleKey, &ArticleTable)> {
        let table = (*by_segment.get(address.segment_ord as usize)?)?;
        Some((
            (address.segment_ord, table.article_of(address.doc_id)?),
            table,
        ))
    };
    // The candidates in rank order, each with its best score: the first passage of it met.
    let mut ranked: Vec<Candidate> = Vec::with_capacity(candidates.len());
    let mut seen: Vec<ArticleKey> = Vec::with_capacity(candidates.len());
    for &(score, address) in &passages {
        if ranked.len() == candidates.len() {
            break;
        }
        let Some((key, table)) = article_of(address) else {
            continue;
        };
        if candidates.binary_search(&key).is_err() {
            continue;
        }
        if let Err(at) = seen.binary_search(&key) {
            seen.insert(at, key);
            ranked.push(Candidate {
                key,
                relevance: TieredScore::decode(score, has_tiers).relevance,
                day: table.day(key.1),
            });
        }
    }
    let lift = lifts(&ranked, weight);
    if lift.is_empty() {
        return passages;
    }
    for (score, address) in &mut passages {
        if let Some((key, _)) = article_of(*address) {
            if let Ok(at) = lift.binary_search_by_key(&key, |&(key, _)| key) {
                *score = TieredScore::raised(*score, lift[at].1, has_tiers);
            }
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

/// The kernel at a distance of `days`: exp(−½ (days / CYCLE_DAYS)²), read from a table (days are
/// whole), 0 from [`KERNEL_DAYS`] on (where it is under 10⁻¹⁸ of its peak).
fn kernel(days: i64) -> f64 {
    static TABLE: std::sync::OnceLock<[f64; KERNEL_DAYS]> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        std::array::from_fn(|d| {
            let distance = d as f64 / CYCLE_DAYS;
            (-0.5 * distance * distance).exp()
        })
    });
    table
        .get(days.unsigned_abs() as usize)
        .copied()
        .unwrap_or(0.0)
}

/// Distances of a whole number of days the kernel is read at.
const KERNEL_DAYS: usize = 64;

/// What each dated candidate (`candidates` in rank order) gains, sorted by article: `weight`
/// times the top candidate's relevance times the profile's density at its day, relative to the
/// densest candidate's. Empty when nothing gains.
fn lifts(candidates: &[Candidate], weight: f32) -> Vec<(ArticleKey, Score)> {
    let Some(top) = candidates.first() else {
        return Vec::new();
    };
    let scale = weight * top.relevance.max(0.0);
    let profile: Vec<(i64, f64)> = candidates
        .iter()
        .take(PROFILE_ARTICLES)
        .filter_map(|c| Some((c.day?, f64::from(c.relevance))))
        .filter(|&(_, weight)| weight > 0.0)
        .collect();
    if profile.is_empty() || scale <= 0.0 {
        return Vec::new();
    }
    let density = |day: i64| -> f64 {
        profile
            .iter()
            .map(|&(at, weight)| weight * kernel(day - at))
            .sum()
    };
    let densities: Vec<(ArticleKey, f64)> = candidates
        .iter()
        .filter_map(|c| Some((c.key, density(c.day?))))
        .collect();
    let densest = densities.iter().map(|&(_, d)| d).fold(0.0, f64::max);
    if densest <= 0.0 {
        return Vec::new();
    }
    let mut lift: Vec<(ArticleKey, Score)> = densities
        .into_iter()
        .map(|(key, d)| (key, scale * (d / densest) as Score))
        .collect();
    // An undated article says nothing of its time: it gains what a dated candidate gains on
    // average, so that it is neither lifted nor left behind by the prior.
    let neutral = lift.iter().map(|&(_, l)| l).sum::<Score>() / lift.len() as Score;
    lift.extend(
        candidates
            .iter()
            .filter(|c| c.day.is_none())
            .map(|c| (c.key, neutral)),
    );
    lift.sort_unstable_by_key(|&(key, _)| key);
    lift
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `lift` gives the article `ord` of segment 0.
    fn lift_of(lift: &[(ArticleKey, Score)], ord: u64) -> Option<Score> {
        lift.iter()
            .find(|(key, _)| *key == (0, ord))
            .map(|&(_, l)| l)
    }

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
        let densest = lift.iter().map(|&(_, l)| l).fold(0.0, Score::max);
        assert!((densest - 10.0).abs() < 1e-4, "{lift:?}");
        assert_eq!(
            lift_of(&lift, 2).unwrap(),
            densest,
            "the middle of the week: {lift:?}"
        );
        // The lone article's own weight (20) against the week's three (33).
        assert!(lift_of(&lift, 0).unwrap() < 0.65 * densest, "{lift:?}");
        assert!(lift_of(&lift, 1).unwrap() > 0.9 * densest, "{lift:?}");
    }

    #[test]
    fn an_article_far_from_every_profiled_day_gains_nothing() {
        let mut candidates: Vec<Candidate> = (0..PROFILE_ARTICLES as u64)
            .map(|ord| candidate(ord, 10.0, Some(17_720)))
            .collect();
        // Past the profile (the eleventh), a year away.
        candidates.push(candidate(99, 9.0, Some(18_085)));
        let lift = lifts(&candidates, 0.1);
        assert!(lift_of(&lift, 99).unwrap() < 1e-6, "{lift:?}");
        assert!((lift_of(&lift, 0).unwrap() - 1.0).abs() < 1e-4, "{lift:?}");
    }

    #[test]
    fn undated_articles_do_not_profile_and_gain_the_dated_ones_mean() {
        let undated = [candidate(0, 10.0, None), candidate(1, 9.0, None)];
        assert!(lifts(&undated, 0.1).is_empty());
        // A stronger undated article, two dated ones a year apart, weighted 9 and 8.
        let mixed = [
            candidate(0, 10.0, None),
            candidate(1, 9.0, Some(17_720)),
            candidate(2, 8.0, Some(18_085)),
        ];
        let lift = lifts(&mixed, 0.1);
        // Scaled by the top article's relevance, dated or not: the densest dated one gains 1.
        assert!((lift_of(&lift, 1).unwrap() - 1.0).abs() < 1e-4, "{lift:?}");
        let far = lift_of(&lift, 2).unwrap();
        assert!((far - 8.0 / 9.0).abs() < 1e-4, "{lift:?}");
        let neutral = lift_of(&lift, 0).unwrap();
        assert!((neutral - (1.0 + far) / 2.0).abs() < 1e-4, "{lift:?}");
    }

    #[test]
    fn no_weight_or_no_relevance_gives_no_lift() {
        let candidates = [candidate(0, 10.0, Some(17_720))];
        assert!(lifts(&candidates, 0.0).is_empty());
        let scoreless = [candidate(0, 0.0, Some(17_720))];
        assert!(lifts(&scoreless, 0.1).is_empty());
    }

    #[test]
    fn the_kernel_is_a_week_wide_gaussian_of_whole_days() {
        assert_eq!(kernel(0), 1.0);
        assert!((kernel(7) - (-0.5f64).exp()).abs() < 1e-12);
        assert_eq!(kernel(-9), kernel(9));
        assert!(kernel(KERNEL_DAYS as i64 - 1) < 1e-17);
        assert_eq!(kernel(KERNEL_DAYS as i64), 0.0);
        assert_eq!(kernel(i64::MIN), 0.0);
    }

    #[test]
    fn lifts_are_sorted_by_article_for_lookup() {
        // Rank order is not article order.
        let candidates = [
            candidate(7, 10.0, Some(17_720)),
            candidate(2, 9.0, Some(17_721)),
            candidate(5, 8.0, None),
            candidate(0, 7.0, Some(17_722)),
        ];
        let lift = lifts(&candidates, 0.1);
        let keys: Vec<ArticleKey> = lift.iter().map(|&(key, _)| key).collect();
        assert_eq!(keys, [(0, 0), (0, 2), (0, 5), (0, 7)]);
    }
}
