//! A query's words as one flat union of terms.
//!
//! The builder composes each word as a union of its fields, spellings and readings, and the
//! query as a union of its words. A union of unions scores a passage as the sum of the terms it
//! matches, as the flat union of the same terms does (the same sum up to f32 rounding: added in
//! another grouping, scores may differ in the sixth digit); tantivy runs a flat union of term
//! queries as one buffered union of term scorers, cheaper than unions nested in unions (each
//! level re-buffers the one below): scoring every match of the ANT headline queries costs 20%
//! less. So when every part of a query is such a union, [`flatten`] gives the flat one.
//!
//! The builder's term clauses are [`FieldTerm`]s (a term and its boost, readable back, which
//! tantivy's `BoostQuery` is not).

use std::fmt;

use tantivy::query::{BooleanQuery, BoostQuery, EnableScoring, Occur, Query, TermQuery, Weight};
use tantivy::schema::IndexRecordOption;
use tantivy::{Score, Term};

/// One term of one field, its frequencies read for BM25, scored × `boost`.
#[derive(Clone, PartialEq)]
pub struct FieldTerm {
    pub term: Term,
    pub boost: Score,
}

impl FieldTerm {
    fn as_term_query(&self) -> TermQuery {
        TermQuery::new(self.term.clone(), IndexRecordOption::WithFreqs)
    }

    fn is_boosted(&self) -> bool {
        (self.boost - 1.0).abs() >= f32::EPSILON
    }
}

/// As tantivy prints the `TermQuery` (inside a `BoostQuery` when boosted) this stands for.
impl fmt::Debug for FieldTerm {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        if self.is_boosted() {
            write!(
                f,
                "Boost(query={:?}, boost={})",
                self.as_term_query(),
                self.boost
            )
        } else {
            write!(f, "{:?}", self.as_term_query())
        }
    }
}

impl Query for FieldTerm {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        // A boost weight hands its boost to the term scorer, which stays a `TermScorer`: the
        // union recognises it.
        if self.is_boosted() {
            BoostQuery::new(Box::new(self.as_term_query()), self.boost).weight(enable_scoring)
        } else {
            self.as_term_query().weight(enable_scoring)
        }
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        visitor(&self.term, false);
    }
}

/// `query` as one union of its [`FieldTerm`]s, when it is a union (at any depth) of them and
/// nothing else; `None` otherwise (a phrase, a required word, a minimum of several clauses).
pub fn flatten(query: &dyn Query) -> Option<BooleanQuery> {
    let mut terms = Vec::new();
    if !collect(query, &mut terms) || terms.is_empty() {
        return None;
    }
    Some(BooleanQuery::new(
        terms
            .into_iter()
            .map(|term| (Occur::Should, Box::new(term) as Box<dyn Query>))
            .collect(),
    ))
}

fn collect(query: &dyn Query, terms: &mut Vec<FieldTerm>) -> bool {
    if let Some(term) = query.downcast_ref::<FieldTerm>() {
        terms.push(term.clone());
        return true;
    }
    let Some(boolean) = query.downcast_ref::<BooleanQuery>() else {
        return false;
    };
    // A union needs one of its clauses (a minimum of 0 or 1 is the same for optional ones).
    boolean.get_minimum_number_should_match() <= 1
        && !boolean.clauses().is_empty()
        && boolean
            .clauses()
            .iter()
            .all(|(occur, clause)| *occur == Occur::Should && collect(clause.as_ref(), terms))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::query::PhraseQuery;
    use tantivy::schema::Field;

    fn term(text: &str, boost: Score) -> Box<dyn Query> {
        Box::new(FieldTerm {
            term: Term::from_field_text(Field::from_field_id(0), text),
            boost,
        })
    }

    fn union(clauses: Vec<Box<dyn Query>>) -> Box<dyn Query> {
        Box::new(BooleanQuery::new(
            clauses.into_iter().map(|q| (Occur::Should, q)).collect(),
        ))
    }

    #[test]
    fn a_union_of_unions_of_terms_is_one_union_of_the_terms() {
        let query = union(vec![
            union(vec![term("a", 1.0), term("b", 0.5)]),
            term("c", 2.0),
            union(vec![union(vec![term("d", 1.0)])]),
        ]);
        let flat = flatten(query.as_ref()).expect("flat");
        let terms: Vec<String> = flat
            .clauses()
            .iter()
            .map(|(occur, q)| {
                assert_eq!(*occur, Occur::Should);
                format!("{q:?}")
            })
            .collect();
        assert_eq!(terms.len(), 4);
        assert!(terms[1].contains("boost=0.5"), "{terms:?}");
    }

    #[test]
    fn the_flat_union_finds_and_scores_the_passages_the_nested_one_does() {
        use tantivy::collector::TopDocs;
        use tantivy::schema::{Schema, TEXT};
        use tantivy::{doc, Index};
        let mut schema = Schema::builder();
        let text = schema.add_text_field("text", TEXT);
        let title = schema.add_text_field("title", TEXT);
        let index = Index::create_in_ram(schema.build());
        let mut writer: tantivy::IndexWriter =
            index.writer_with_num_threads(1, 15_000_000).unwrap();
        let passages = [
            ("summit geneva talks", "summit"),
            ("geneva geneva lake", "lake"),
            ("arms control treaty summit", "treaty"),
            ("nothing here", "weather"),
            ("talks talks talks summit treaty", "geneva"),
        ];
        for (body, heading) in passages {
            writer
                .add_document(doc!(text => body, title => heading))
                .unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let term = |field, word: &str, boost: Score| -> Box<dyn Query> {
            Box::new(FieldTerm {
                term: Term::from_field_text(field, word),
                boost,
            })
        };
        // Two words, each a union of fields; one with a second spelling, nested deeper.
        let nested = union(vec![
            union(vec![term(text, "summit", 1.0), term(title, "summit", 0.5)]),
            union(vec![
                union(vec![term(text, "geneva", 1.0), term(text, "lake", 0.3)]),
                term(title, "geneva", 0.5),
            ]),
            term(text, "treaty", 2.0),
        ]);
        let flat = flatten(nested.as_ref()).expect("flat");
        let top = |query: &dyn Query| {
            let mut hits = searcher
                .search(query, &TopDocs::with_limit(10).order_by_score())
                .unwrap();
            hits.sort_by_key(|(_, address)| *address);
            hits
        };
        let count = |query: &dyn Query| searcher.search(query, &tantivy::collector::Count).unwrap();
        assert_eq!(count(nested.as_ref()), count(&flat));
        let (expected, found) = (top(nested.as_ref()), top(&flat));
        assert_eq!(
            expected.len(),
            4,
            "the passage without any word is not found"
        );
        assert_eq!(expected.len(), found.len());
        for ((a, doc_a), (b, doc_b)) in expected.iter().zip(&found) {
            assert_eq!(doc_a, doc_b);
            assert!((a - b).abs() <= 1e-5 * a.abs(), "{a} against {b}");
        }
    }

    #[test]
    fn required_words_phrases_and_minimums_are_not_flattened() {
        let required = Box::new(BooleanQuery::new(vec![
            (Occur::Must, term("a", 1.0)),
            (Occur::Should, term("b", 1.0)),
        ]));
        assert!(flatten(required.as_ref()).is_none());
        let phrase: Box<dyn Query> = Box::new(PhraseQuery::new(vec![
            Term::from_field_text(Field::from_field_id(0), "a"),
            Term::from_field_text(Field::from_field_id(0), "b"),
        ]));
        assert!(flatten(union(vec![term("a", 1.0), phrase]).as_ref()).is_none());
        let most = Box::new(BooleanQuery::with_minimum_required_clauses(
            vec![
                (Occur::Should, term("a", 1.0)),
                (Occur::Should, term("b", 1.0)),
                (Occur::Should, term("c", 1.0)),
            ],
            2,
        ));
        assert!(flatten(most.as_ref()).is_none());
    }

    #[test]
    fn a_boosted_group_and_an_empty_query_are_not_flattened() {
        let boosted: Box<dyn Query> = Box::new(BoostQuery::new(
            union(vec![term("a", 1.0), term("b", 1.0)]),
            2.0,
        ));
        assert!(flatten(union(vec![term("c", 1.0), boosted]).as_ref()).is_none());
        let empty: Box<dyn Query> = Box::new(tantivy::query::EmptyQuery);
        assert!(flatten(union(vec![term("c", 1.0), empty]).as_ref()).is_none());
        assert!(flatten(union(Vec::new()).as_ref()).is_none());
        // A union that asks for none of its optional clauses still needs one: it is flattened.
        let at_least_none = Box::new(BooleanQuery::with_minimum_required_clauses(
            vec![
                (Occur::Should, term("a", 1.0)),
                (Occur::Should, term("b", 1.0)),
            ],
            0,
        ));
        assert!(flatten(at_least_none.as_ref()).is_some());
    }

    #[test]
    fn a_field_term_prints_as_the_tantivy_query_it_stands_for() {
        let plain = FieldTerm {
            term: Term::from_field_text(Field::from_field_id(0), "a"),
            boost: 1.0,
        };
        assert_eq!(format!("{plain:?}"), format!("{:?}", plain.as_term_query()));
        let boosted = FieldTerm {
            boost: 0.5,
            ..plain
        };
        assert_eq!(
            format!("{boosted:?}"),
            format!(
                "{:?}",
                BoostQuery::new(Box::new(boosted.as_term_query()), 0.5)
            )
        );
    }
}
