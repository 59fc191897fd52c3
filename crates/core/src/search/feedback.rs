//! Pseudo-relevance feedback as a relevance model (RM3, Lavrenko and Croft 2001; Abdul-Jaleel
//! et al. 2004) over whole articles: the top articles of a first search suggest terms that the
//! query did not name.
//!
//! P(w|R) = Σ_D P(w|D)·P(D|Q) over the top `docs` articles, where
//! - P(w|D) = tf(w, D) / |D|, over all of the article's passages (and its title when titles are
//!   searched): a whole news article says what its story is about, a passage only part of it;
//! - P(D|Q) = the article's first-pass score over the sum of the feedback articles' scores (its
//!   share). BM25 scores are not log-probabilities, so a softmax of them (what exp(log P(Q|D))
//!   would be for a query-likelihood score) would be arbitrary in its scale: a gap of 3 BM25
//!   points would make one article twenty times another. The share keeps their proportion,
//!   as Anserini's RM3 over BM25 does.
//!
//! Terms the query already has, query stopwords, numbers, terms under three letters and terms
//! in more than a tenth of the passages are left out; the `terms` best remain, renormalized to
//! sum 1. RM3 interpolates λ·P(w|Q) + (1 − λ)·P(w|R) with P(w|Q) = 1/n for the n query words;
//! the query keeps its own weights here (each of its words about 1 on the stemmed text), so an
//! expansion term weighs (1 − λ)/λ · P(w|R) · n against a query word. `weight` is 1 − λ.

use std::collections::HashMap;

use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Term};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::Searcher;

use super::ranking::{is_query_stopword, Prf};
use crate::analysis;

/// Words that open a question (normalized as the exact analyzer writes them): what, which,
/// who, when, where, how, how many, whether, why.
const INTERROGATIVES: &[&str] = &[
    "ما",
    "ماذا",
    "من",
    "متي",
    "متى",
    "اين",
    "كيف",
    "كم",
    "هل",
    "لماذا",
    "لم",
    "اي",
];

/// Whether `query` is a question: it has a question mark, or its first word is an
/// interrogative. `exact` is the exact (normalizing, unstemmed) analyzer.
pub fn is_question(exact: &mut TextAnalyzer, query: &str) -> bool {
    query.contains(['?', '؟'])
        || analysis::query_terms(exact, query)
            .first()
            .is_some_and(|first| INTERROGATIVES.contains(&first.as_str()))
}

/// Terms in more than this share of passages are too common to help.
pub const MAX_DOC_SHARE: f64 = 0.1;

/// One feedback article: its first-pass score and its terms (stemmed, in any order).
pub struct FeedbackArticle {
    pub score: f32,
    pub terms: Vec<String>,
}

/// P(w|R) = Σ_D P(w|D)·P(D|Q) with P(w|D) = tf/|D| and P(D|Q) the article's share of the
/// (positive) scores. Empty when no article has a positive score and a term.
pub fn relevance_model(articles: &[FeedbackArticle]) -> HashMap<String, f64> {
    let scored = |a: &FeedbackArticle| {
        if a.terms.is_empty() {
            0.0
        } else {
            f64::from(a.score).max(0.0)
        }
    };
    let total: f64 = articles.iter().map(scored).sum();
    let mut model: HashMap<String, f64> = HashMap::new();
    if total <= 0.0 {
        return model;
    }
    for article in articles {
        let p_doc = scored(article) / total;
        if p_doc <= 0.0 {
            continue;
        }
        let length = article.terms.len() as f64;
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for term in &article.terms {
            *counts.entry(term.as_str()).or_default() += 1;
        }
        for (term, count) in counts {
            *model.entry(term.to_owned()).or_default() += p_doc * count as f64 / length;
        }
    }
    model
}

/// Whether `term` may be an expansion term at all (before its frequency in the index is known):
/// not a query stopword, not a number, at least three letters, not one of `query_stems`.
pub fn is_candidate(term: &str, query_stems: &[String]) -> bool {
    term.chars().count() >= 3
        && !term.chars().all(|c| c.is_numeric())
        && !is_query_stopword(term)
        && !query_stems.iter().any(|q| q == term)
}

/// The `m` terms of `model` with the highest probability among those `keep` accepts, best
/// first (ties by term), renormalized to sum 1.
pub fn best_terms(
    model: HashMap<String, f64>,
    m: usize,
    mut keep: impl FnMut(&str) -> bool,
) -> Vec<(String, f64)> {
    let mut candidates: Vec<(String, f64)> = model.into_iter().filter(|(_, p)| *p > 0.0).collect();
    candidates.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let mut kept = Vec::with_capacity(m);
    for (term, p) in candidates {
        if kept.len() >= m {
            break;
        }
        if keep(&term) {
            kept.push((term, p));
        }
    }
    let sum: f64 = kept.iter().map(|(_, p)| p).sum();
    if sum <= 0.0 {
        return Vec::new();
    }
    for (_, p) in &mut kept {
        *p /= sum;
    }
    kept
}

/// Each expansion term's boost against a query word weighing 1: (1 − λ)/λ · P(w|R) · n, with
/// `weight` = 1 − λ and n the number of query words.
pub fn boosts(terms: &[(String, f64)], weight: f32, query_words: usize) -> Vec<(String, f32)> {
    let lambda = (1.0 - f64::from(weight)).max(1e-3);
    let scale = f64::from(weight) / lambda * query_words.max(1) as f64;
    terms
        .iter()
        .map(|(term, p)| (term.clone(), (scale * p) as f32))
        .collect()
}

/// The fields an expansion term is searched in, with their weights (the stemmed text at 1,
/// the stemmed title at the title weight when titles are searched).
pub type ExpansionFields = Vec<(Field, f32)>;

/// The expansion query for the feedback `articles`, or `None` when they suggest nothing.
pub fn expansion_query(
    searcher: &Searcher,
    fields: &ExpansionFields,
    articles: &[FeedbackArticle],
    query_stems: &[String],
    prf: Prf,
) -> Option<Box<dyn Query>> {
    let (&(text_field, _), _) = fields.split_first()?;
    if prf.terms == 0 || prf.weight <= 0.0 {
        return None;
    }
    let num_docs = searcher.num_docs().max(1) as f64;
    let model = relevance_model(articles);
    let terms = best_terms(model, prf.terms, |term| {
        is_candidate(term, query_stems) && {
            let df = searcher
                .doc_freq(&Term::from_field_text(text_field, term))
                .unwrap_or(0) as f64;
            df / num_docs <= MAX_DOC_SHARE
        }
    });
    if terms.is_empty() {
        return None;
    }
    let query_words = {
        let mut stems: Vec<&String> = query_stems.iter().collect();
        stems.sort();
        stems.dedup();
        stems.len()
    };
    let clauses: Vec<(Occur, Box<dyn Query>)> = boosts(&terms, prf.weight, query_words)
        .into_iter()
        .flat_map(|(term, boost)| {
            fields.iter().map(move |&(field, field_weight)| {
                let query = TermQuery::new(
                    Term::from_field_text(field, &term),
                    IndexRecordOption::WithFreqs,
                );
                (
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(query), boost * field_weight))
                        as Box<dyn Query>,
                )
            })
        })
        .collect();
    Some(Box::new(BooleanQuery::new(clauses)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(score: f32, text: &str) -> FeedbackArticle {
        FeedbackArticle {
            score,
            terms: text.split_whitespace().map(str::to_owned).collect(),
        }
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    /// Two articles with scores 3 and 1 (shares 3/4 and 1/4):
    /// A = "a a b c" (P(a|A) = 1/2, P(b|A) = P(c|A) = 1/4), B = "b d" (1/2 each).
    /// P(a|R) = 3/4·1/2 = 3/8; P(b|R) = 3/4·1/4 + 1/4·1/2 = 5/16; P(c|R) = 3/16; P(d|R) = 1/8.
    #[test]
    fn relevance_model_weights_terms_by_their_share_of_each_article_and_its_score() {
        let model = relevance_model(&[article(3.0, "a a b c"), article(1.0, "b d")]);
        assert_eq!(model.len(), 4);
        assert!(close(model["a"], 3.0 / 8.0));
        assert!(close(model["b"], 5.0 / 16.0));
        assert!(close(model["c"], 3.0 / 16.0));
        assert!(close(model["d"], 1.0 / 8.0));
        assert!(close(model.values().sum(), 1.0));
    }

    #[test]
    fn articles_without_a_positive_score_or_terms_count_for_nothing() {
        let model = relevance_model(&[article(2.0, "x"), article(0.0, "y"), article(5.0, "")]);
        assert_eq!(model.len(), 1);
        assert!(close(model["x"], 1.0));
        assert!(relevance_model(&[article(0.0, "x")]).is_empty());
        assert!(relevance_model(&[]).is_empty());
    }

    /// From the model above without "a" (a query word): b 5/16, c 3/16 kept (m = 2), and
    /// renormalized to 5/8 and 3/8; with weight 0.5 (λ = 0.5) and two query words, the boosts
    /// are 1·(5/8)·2 and 1·(3/8)·2.
    #[test]
    fn best_terms_leave_out_rejected_terms_keep_m_and_renormalize() {
        let model = relevance_model(&[article(3.0, "a a b c"), article(1.0, "b d")]);
        let terms = best_terms(model, 2, |t| t != "a");
        assert_eq!(terms.len(), 2);
        assert_eq!(terms[0].0, "b");
        assert!(close(terms[0].1, 5.0 / 8.0));
        assert_eq!(terms[1].0, "c");
        assert!(close(terms[1].1, 3.0 / 8.0));
        let boosts = boosts(&terms, 0.5, 2);
        assert!((boosts[0].1 - 1.25).abs() < 1e-6);
        assert!((boosts[1].1 - 0.75).abs() < 1e-6);
        // λ = 0.8: the expansion weighs a quarter of the query.
        let boosts = super::boosts(&terms, 0.2, 2);
        assert!((boosts[0].1 - 0.3125).abs() < 1e-6);
    }

    #[test]
    fn candidates_are_not_query_words_stopwords_numbers_or_short() {
        let query = vec!["قمه".to_owned()];
        assert!(is_candidate("جنيف", &query));
        assert!(!is_candidate("قمه", &query));
        assert!(!is_candidate("2021", &query));
        assert!(!is_candidate("٢٠٢١", &query));
        assert!(!is_candidate("في", &query));
        assert!(!is_candidate("التي", &query));
    }
}
