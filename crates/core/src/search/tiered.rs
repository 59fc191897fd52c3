//! "All words first": passages that hold every positive part of a query rank ahead of those
//! that hold some, and BM25 orders each tier.
//!
//! tantivy ranks by one `f32`, so the tier is carried in the score by one type,
//! [`TieredScore`], and by one query, [`Tiered`], which computes it: the tier from whether the
//! all-words query matches the passage, the rest from the whole query's score, capped below the
//! tier's start so that no score crosses into the tier above. Reading a score back
//! ([`TieredScore::decode`]) is exact for every score a `Tiered` query gives, and every query the
//! engine runs is one; a query without tiers leaves its scores as they are (uncapped), and is
//! read back as such. The lead prior is added here too ([`Bonus`]), to the passages the words
//! match.

use std::sync::Arc;

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, Term};

use super::articles::ArticleTable;
use super::lead::Leads;

/// A passage's score: its tier, then its relevance within the tier.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TieredScore {
    /// The passage holds every positive part of the query.
    pub all_words: bool,
    /// BM25 and the boosts (lead, proximity, feedback), at least 0.
    pub relevance: Score,
}

impl TieredScore {
    /// Where the upper tier starts in the encoded score: low enough that an `f32` above it
    /// still resolves relevance to 1e-4.
    const TIER_START: Score = 1000.0;
    /// The highest relevance kept (below `TIER_START`, so that tiers never overlap; BM25 scores
    /// of news passages stay below 100).
    const MAX_RELEVANCE: Score = 999.0;

    /// As one number that orders by tier, then relevance.
    pub fn encode(self) -> Score {
        let relevance = self.relevance.clamp(0.0, Self::MAX_RELEVANCE);
        if self.all_words {
            Self::TIER_START + relevance
        } else {
            relevance
        }
    }

    /// The tier and relevance of a score a [`Tiered`] query gave, `has_tiers` when it had an
    /// all-words query (without, the score is the relevance as it is).
    pub fn decode(score: Score, has_tiers: bool) -> TieredScore {
        if has_tiers && score >= Self::TIER_START {
            TieredScore {
                all_words: true,
                relevance: score - Self::TIER_START,
            }
        } else {
            TieredScore {
                all_words: false,
                relevance: score,
            }
        }
    }
}

/// `scored`, each passage's score made a [`TieredScore`] whose tier says whether `all_words`
/// matches it too (never, without an all-words query), its relevance raised by `bonus` where
/// that applies.
#[derive(Debug)]
pub struct Tiered {
    pub scored: Box<dyn Query>,
    pub all_words: Option<Box<dyn Query>>,
    pub bonus: Option<Bonus>,
}

/// A fixed `score` added to the relevance of each article's lead (first passage) among the
/// passages the query scores: the lead prior. Kept apart from the scored query so that a query
/// of optional words stays one flat union (see [`super::flat`]) instead of a required union
/// beside an optional clause; a lead is found by one bit of its segment's article table.
#[derive(Debug, Clone)]
pub struct Bonus {
    pub leads: Leads,
    pub score: Score,
}

impl Clone for Tiered {
    fn clone(&self) -> Self {
        Tiered {
            scored: self.scored.box_clone(),
            all_words: self.all_words.as_ref().map(|q| q.box_clone()),
            bonus: self.bonus.clone(),
        }
    }
}

impl Query for Tiered {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let all_words = match &self.all_words {
            Some(query) => Some(query.weight(enable_scoring)?),
            None => None,
        };
        Ok(Box::new(TieredWeight {
            scored: self.scored.weight(enable_scoring)?,
            all_words,
            bonus: self.bonus.clone(),
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.scored.query_terms(visitor);
    }
}

struct TieredWeight {
    scored: Box<dyn Weight>,
    all_words: Option<Box<dyn Weight>>,
    bonus: Option<Bonus>,
}

impl TieredWeight {
    /// The tier and bonus of `reader`'s passages, the bonus scaled by `boost` as the scored
    /// query is.
    fn tier(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Tier> {
        Tier::new(
            self.all_words.as_deref(),
            self.bonus.as_ref().and_then(|bonus| {
                let table = bonus.leads.of(reader.segment_id())?;
                Some((table, bonus.score * boost))
            }),
            reader,
        )
    }
}

impl Weight for TieredWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(TieredScorer {
            scored: self.scored.scorer(reader, boost)?,
            tier: self.tier(reader, boost)?,
        }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let inner = self.scored.explain(reader, doc)?;
        let mut tier = self.tier(reader, 1.0)?;
        let bonus = tier.bonus_of(doc);
        let score = tier.score(doc, inner.value());
        let mut explanation = Explanation::new(
            match (
                self.all_words.is_some(),
                TieredScore::decode(score, true).all_words,
            ) {
                (false, _) => "one tier",
                (true, true) => "every word: upper tier",
                (true, false) => "not every word: lower tier",
            },
            score,
        );
        explanation.add_detail(inner);
        if bonus > 0.0 {
            explanation.add_detail(Explanation::new("lead prior", bonus));
        }
        Ok(explanation)
    }

    fn count(&self, reader: &SegmentReader) -> tantivy::Result<u32> {
        self.scored.count(reader)
    }

    // The iterations below hand the work to the inner query's own (tantivy's boolean queries
    // collect unions block by block), adding only the tier and the bonus.

    fn for_each(
        &self,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score),
    ) -> tantivy::Result<()> {
        let mut tier = self.tier(reader, 1.0)?;
        self.scored.for_each(reader, &mut |doc, relevance| {
            callback(doc, tier.score(doc, relevance))
        })
    }

    fn for_each_no_score(
        &self,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(&[DocId]),
    ) -> tantivy::Result<()> {
        self.scored.for_each_no_score(reader, callback)
    }

    /// Every match scored, the callback given those above the threshold. A query's words are
    /// one union of tens of terms (four fields, spellings, readings), where tantivy's block-max
    /// WAND costs more than it skips. Headline queries' median, top 50 passages: WAND alone
    /// 1.37 ms against 1.00 for scoring every match on ANT; WAND past 10,000 counted articles
    /// 1.47 against 0.88 on ANT and 10.3 against 6.0 on ten times ANT (`benches/scale.sh`'s
    /// archive); a MaxScore walk over the terms' global bounds past 10,000 articles 1.31 against
    /// 1.16 and 24.6 against 6.4 (the bounds are too loose to set the frequent terms aside).
    fn for_each_pruning(
        &self,
        mut threshold: Score,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score) -> Score,
    ) -> tantivy::Result<()> {
        self.for_each(reader, &mut |doc, score| {
            if score > threshold {
                threshold = callback(doc, score);
            }
        })
    }
}

/// Which passages of a segment are in the upper tier and which get the bonus, asked in
/// increasing document order.
struct Tier {
    all_words: Option<Box<dyn Scorer>>,
    /// The segment's article table (which documents are leads) and the bonus.
    bonus: Option<(Arc<ArticleTable>, Score)>,
}

impl Tier {
    fn new(
        all_words: Option<&dyn Weight>,
        bonus: Option<(Arc<ArticleTable>, Score)>,
        reader: &SegmentReader,
    ) -> tantivy::Result<Tier> {
        Ok(Tier {
            all_words: match all_words {
                Some(weight) => Some(weight.scorer(reader, 1.0)?),
                None => None,
            },
            bonus,
        })
    }

    /// What the bonus adds to `doc`.
    fn bonus_of(&self, doc: DocId) -> Score {
        match &self.bonus {
            Some((table, bonus)) if table.is_lead(doc) => *bonus,
            _ => 0.0,
        }
    }

    /// The encoded score of `doc` (documents asked in increasing order); without tiers, the
    /// relevance (with its bonus) as it is.
    fn score(&mut self, doc: DocId, relevance: Score) -> Score {
        let relevance = relevance + self.bonus_of(doc);
        let Some(all) = &mut self.all_words else {
            return relevance;
        };
        if all.doc() < doc {
            all.seek(doc);
        }
        TieredScore {
            all_words: all.doc() == doc,
            relevance,
        }
        .encode()
    }
}

struct TieredScorer {
    scored: Box<dyn Scorer>,
    tier: Tier,
}

impl DocSet for TieredScorer {
    fn advance(&mut self) -> DocId {
        self.scored.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        self.scored.seek(target)
    }

    fn doc(&self) -> DocId {
        self.scored.doc()
    }

    fn size_hint(&self) -> u32 {
        self.scored.size_hint()
    }

    fn cost(&self) -> u64 {
        self.scored.cost()
    }
}

impl Scorer for TieredScorer {
    fn score(&mut self) -> Score {
        let doc = self.scored.doc();
        let relevance = self.scored.score();
        self.tier.score(doc, relevance)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tier_orders_first_and_decodes_exactly() {
        let upper_weak = TieredScore {
            all_words: true,
            relevance: 0.5,
        };
        let lower_strong = TieredScore {
            all_words: false,
            relevance: 80.0,
        };
        assert!(upper_weak.encode() > lower_strong.encode());
        for score in [upper_weak, lower_strong] {
            assert_eq!(TieredScore::decode(score.encode(), true), score);
        }
    }

    #[test]
    fn a_relevance_past_the_tiers_start_stays_in_its_tier() {
        let huge = TieredScore {
            all_words: false,
            relevance: 5.0e6,
        };
        assert!(!TieredScore::decode(huge.encode(), true).all_words);
        let upper = TieredScore {
            all_words: true,
            relevance: 0.0,
        };
        assert!(upper.encode() > huge.encode());
    }

    #[test]
    fn without_tiers_a_score_is_its_relevance_uncapped() {
        let plain = TieredScore::decode(2377.8, false);
        assert!(!plain.all_words);
        assert_eq!(plain.relevance, 2377.8);
    }
}
