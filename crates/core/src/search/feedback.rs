//! Pseudo-relevance feedback (RM3-style): the top passages of a first search suggest terms that
//! the query did not name. Each candidate term is weighted by its share of each feedback
//! passage, times that passage's share of the feedback scores; terms the query already has,
//! stopwords, numbers, very short terms and terms found in more than a tenth of the passages are
//! left out. The best terms are added as optional clauses on the stemmed text.

use std::collections::HashMap;

use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Term};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::Searcher;

use super::ranking::{is_query_stopword, Prf};
use crate::analysis;

/// Terms in more than this share of passages are too common to help.
const MAX_DOC_SHARE: f64 = 0.1;

/// The expansion query for `feedback` (score, passage text) pairs, or `None`.
pub fn expansion_query(
    searcher: &Searcher,
    stem_field: Field,
    stem: &mut TextAnalyzer,
    feedback: &[(f32, String)],
    query_stems: &[String],
    prf: Prf,
) -> Option<Box<dyn Query>> {
    let total_score: f64 = feedback.iter().map(|(s, _)| f64::from(*s).max(0.0)).sum();
    if feedback.is_empty() || total_score <= 0.0 || prf.terms == 0 {
        return None;
    }
    let mut weights: HashMap<String, f64> = HashMap::new();
    for (score, text) in feedback {
        let terms = analysis::query_terms(stem, text);
        if terms.is_empty() {
            continue;
        }
        let passage_weight = f64::from(*score).max(0.0) / total_score;
        let length = terms.len() as f64;
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for term in &terms {
            *counts.entry(term.as_str()).or_default() += 1;
        }
        for (term, count) in counts {
            *weights.entry(term.to_owned()).or_default() += passage_weight * count as f64 / length;
        }
    }
    let num_docs = searcher.num_docs().max(1) as f64;
    let mut candidates: Vec<(String, f64)> = weights
        .into_iter()
        .filter(|(term, _)| {
            term.chars().count() >= 3
                && !term.chars().all(|c| c.is_ascii_digit())
                && !is_query_stopword(term)
                && !query_stems.iter().any(|q| q == term)
        })
        .filter(|(term, _)| {
            let df = searcher
                .doc_freq(&Term::from_field_text(stem_field, term))
                .unwrap_or(0) as f64;
            df / num_docs <= MAX_DOC_SHARE
        })
        .collect();
    candidates.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    candidates.truncate(prf.terms);
    let sum: f64 = candidates.iter().map(|(_, w)| w).sum();
    if candidates.is_empty() || sum <= 0.0 {
        return None;
    }
    // RM3 interpolates λ·original + (1−λ)·expansion; the original keeps weight 1 here, so the
    // expansion as a whole weighs (1−λ)/λ, shared by the terms in proportion to their weight.
    let scale = f64::from(prf.weight) / (1.0 - f64::from(prf.weight)).max(1e-3);
    let clauses: Vec<(Occur, Box<dyn Query>)> = candidates
        .into_iter()
        .map(|(term, weight)| {
            let query = TermQuery::new(
                Term::from_field_text(stem_field, &term),
                IndexRecordOption::WithFreqs,
            );
            let boost = (scale * weight / sum * prf.terms as f64) as f32;
            (
                Occur::Should,
                Box::new(BoostQuery::new(Box::new(query), boost)) as Box<dyn Query>,
            )
        })
        .collect();
    Some(Box::new(BooleanQuery::new(clauses)))
}
