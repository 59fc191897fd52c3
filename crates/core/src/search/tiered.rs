//! "All words first": the passages of articles that hold every positive part of a query (in
//! any of their passages: results are articles) rank ahead of those that hold some, and BM25
//! orders each tier.
//!
//! tantivy ranks by one `f32`, so the tier is carried in the score by one type,
//! [`TieredScore`], and by one query, [`Tiered`], which computes it: the tier from whether each
//! part matches some passage of the passage's article (`all_parts`), the rest from the whole
//! query's score, capped below the tier's start so that no score crosses into the tier above.
//! Reading a score back ([`TieredScore::decode`]) is exact for every score a `Tiered` query
//! gives, and every query the engine runs is one; a query without tiers leaves its scores as
//! they are (uncapped), and is read back as such. The lead prior is added here too
//! (`lead_boost`), to the passages the words match.

use std::sync::Arc;

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, Term};

use super::articles::{ArticleTable, SegmentTables};

/// A passage's score: its tier, then its relevance within the tier.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TieredScore {
    /// The passage's article holds every positive part of the query.
    pub all_words: bool,
    /// BM25 and the boosts (lead, proximity, feedback), at least 0; article-level lifts
    /// (whole-article evidence, the time prior, a run's passage decay) are added to it later
    /// through [`TieredScore::raised`]. At most 999 once encoded.
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

    /// `score` (as a [`Tiered`] query gave it, `has_tiers` as for [`Self::decode`]) with `by`
    /// added to its relevance within its tier: an article-level lift (whole-article evidence,
    /// the time prior, a run's passage decay) may move a score up its tier, never into the one
    /// above, however large the weight (a relevance that reaches the tier's ceiling ties there).
    pub fn raised(score: Score, by: Score, has_tiers: bool) -> Score {
        if !has_tiers {
            return score + by;
        }
        let mut tiered = Self::decode(score, true);
        tiered.relevance += by;
        tiered.encode()
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

/// `scored`, each passage's score made a [`TieredScore`] whose tier says whether its article
/// holds every one of `all_parts` (never, without them), its relevance raised by `lead_boost`
/// on each article's lead.
#[derive(Debug)]
pub struct Tiered {
    pub scored: Box<dyn Query>,
    /// The positive parts of the query (words, phrases, groups), each of which a passage's
    /// article must match somewhere for the passage to rank in the upper tier. Every passage
    /// carries its article's title, so a part in the title counts once the article's passages
    /// are searched. Results are articles: an article about the Geneva summit that names Putin
    /// in one passage and Geneva in the next holds both words, though none of its passages does.
    pub all_parts: Option<Vec<Box<dyn Query>>>,
    /// The lead prior: a fixed score added to the relevance of each article's lead (first
    /// passage) among the passages the query scores. Kept apart from the scored query so that
    /// a query of optional words stays one flat union (see [`super::flat`]) instead of a
    /// required union beside an optional clause; a lead is one bit of its segment's table.
    pub lead_boost: Option<Score>,
    /// Where each segment's articles are (their passages are consecutive documents) and which
    /// documents are leads.
    pub tables: SegmentTables,
}

impl Clone for Tiered {
    fn clone(&self) -> Self {
        Tiered {
            scored: self.scored.box_clone(),
            all_parts: self
                .all_parts
                .as_ref()
                .map(|parts| parts.iter().map(|part| part.box_clone()).collect()),
            lead_boost: self.lead_boost,
            tables: self.tables.clone(),
        }
    }
}

impl Query for Tiered {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let all_parts = match &self.all_parts {
            Some(parts) => {
                // Only whether each part matches is read: no scores.
                let unscored = match enable_scoring.searcher() {
                    Some(searcher) => EnableScoring::disabled_from_searcher(searcher),
                    None => EnableScoring::disabled_from_schema(enable_scoring.schema()),
                };
                let weights = parts
                    .iter()
                    .map(|part| part.weight(unscored))
                    .collect::<tantivy::Result<Vec<_>>>()?;
                Some(weights)
            }
            None => None,
        };
        Ok(Box::new(TieredWeight {
            scored: self.scored.weight(enable_scoring)?,
            all_parts,
            lead_boost: self.lead_boost,
            tables: self.tables.clone(),
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.scored.query_terms(visitor);
    }
}

struct TieredWeight {
    scored: Box<dyn Weight>,
    /// Each part's weight.
    all_parts: Option<Vec<Box<dyn Weight>>>,
    lead_boost: Option<Score>,
    tables: SegmentTables,
}

impl TieredWeight {
    /// The tier and bonus of `reader`'s passages, the bonus scaled by `boost` as the scored
    /// query is.
    fn tier(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Tier> {
        let all_parts = match &self.all_parts {
            Some(weights) => Some(ArticleParts {
                parts: weights
                    .iter()
                    .map(|weight| weight.scorer(reader, 1.0))
                    .collect::<tantivy::Result<Vec<_>>>()?,
                alive: reader.alive_bitset().cloned(),
                last: None,
            }),
            None => None,
        };
        Ok(Tier {
            all_parts,
            table: self.tables.of(reader.segment_id()),
            lead_boost: self.lead_boost.map_or(0.0, |score| score * boost),
        })
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
                self.all_parts.is_some(),
                TieredScore::decode(score, true).all_words,
            ) {
                (false, _) => "one tier",
                (true, true) => "every word in the article: upper tier",
                (true, false) => "not every word in the article: lower tier",
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
    all_parts: Option<ArticleParts>,
    /// The segment's article table (where its articles are, which documents are leads); `None`:
    /// a segment the searcher the tables were read from lacks, whose passages are each taken
    /// alone and get no bonus.
    table: Option<Arc<ArticleTable>>,
    /// What the lead prior adds to a lead (0: off).
    lead_boost: Score,
}

/// Whether the article of a segment's passage holds every part, asked in increasing document
/// order: each part's matches are sought once per article asked about, from its first passage
/// (an article's passages are consecutive documents), forward only.
struct ArticleParts {
    parts: Vec<Box<dyn Scorer>>,
    alive: Option<tantivy::fastfield::AliveBitSet>,
    /// The documents of the last article asked about, and whether it holds every part.
    last: Option<(DocId, DocId, bool)>,
}

impl ArticleParts {
    /// Asked for every passage a query scores, with the segment's `table` (`None`: each
    /// passage taken alone): the answer for the article of the passage asked before is kept.
    #[inline]
    fn holds_all(&mut self, doc: DocId, table: Option<&ArticleTable>) -> bool {
        match self.last {
            Some((start, end, holds)) if start <= doc && doc < end => holds,
            _ => self.seek_article(doc, table),
        }
    }

    /// Whether the article of `doc`, not asked about before, holds every part.
    #[inline(never)]
    fn seek_article(&mut self, doc: DocId, table: Option<&ArticleTable>) -> bool {
        let (start, end) = match table {
            Some(table) => table.documents_around(doc),
            None => (doc, doc + 1),
        };
        let alive = self.alive.as_ref();
        let holds = self.parts.iter_mut().all(|part| {
            if part.doc() < start {
                part.seek(start);
            }
            // A deleted passage of an article re-indexed in place is not the article's.
            while part.doc() < end && alive.is_some_and(|bits| !bits.is_alive(part.doc())) {
                part.advance();
            }
            part.doc() < end
        });
        self.last = Some((start, end, holds));
        holds
    }
}

impl Tier {
    /// What the bonus adds to `doc`.
    fn bonus_of(&self, doc: DocId) -> Score {
        match &self.table {
            Some(table) if self.lead_boost > 0.0 && table.is_lead(doc) => self.lead_boost,
            _ => 0.0,
        }
    }

    /// The encoded score of `doc` (documents asked in increasing order); without tiers, the
    /// relevance (with its bonus) as it is.
    #[inline]
    fn score(&mut self, doc: DocId, relevance: Score) -> Score {
        let relevance = relevance + self.bonus_of(doc);
        let Some(all) = &mut self.all_parts else {
            return relevance;
        };
        TieredScore {
            all_words: all.holds_all(doc, self.table.as_deref()),
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
    fn a_raised_score_stays_in_its_tier() {
        let lower = TieredScore {
            all_words: false,
            relevance: 30.0,
        }
        .encode();
        let upper = TieredScore {
            all_words: true,
            relevance: 2.0,
        }
        .encode();
        let lifted = TieredScore::raised(lower, 2_500.0, true);
        assert!(!TieredScore::decode(lifted, true).all_words);
        assert!(lifted < upper);
        let upper_lifted = TieredScore::raised(upper, 3.0, true);
        assert_eq!(
            TieredScore::decode(upper_lifted, true),
            TieredScore {
                all_words: true,
                relevance: 5.0
            }
        );
        assert_eq!(TieredScore::raised(2377.8, 10.0, false), 2387.8);
    }

    #[test]
    fn without_tiers_a_score_is_its_relevance_uncapped() {
        let plain = TieredScore::decode(2377.8, false);
        assert!(!plain.all_words);
        assert_eq!(plain.relevance, 2377.8);
    }
}
