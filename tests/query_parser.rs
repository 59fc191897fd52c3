//! Property tests of the query language: any input parses without panicking, and any input runs
//! against a real index without an error.

mod common;

use fahras::index::writer::{self, IndexOptions, Silent};
use fahras::ingest::JsonFields;
use fahras::search::{query, Engine, SearchSettings};
use proptest::prelude::*;

fn query_text() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        3 => proptest::sample::select(vec![
            "بوتين", "جنيف", "الاستقرار", "OR", "-", "\"", "«", "»", "(", ")", "*", "title:",
            "source:", "date:", "date:2018", "date:2018-13", "..", ":", " ", "  ", "،", "؟", "−",
            "ﷺ", "covid-19", "٣٫١٤",
        ]).prop_map(str::to_owned),
        1 => any::<String>(),
    ];
    proptest::collection::vec(pieces, 0..12).prop_map(|p| p.join(""))
}

proptest! {
    #![proptest_config(common::property_config(1000))]

    #[test]
    fn parsing_never_panics_and_notes_are_sentences(input in query_text()) {
        let parsed = query::parse(&input);
        let sentences: Vec<String> = parsed.notes.iter().map(ToString::to_string).collect();
        for (i, note) in sentences.iter().enumerate() {
            // A sentence: several words on one line, starting and ending with a letter (notes are
            // lowercase and end without punctuation), said once.
            prop_assert!(!note.contains('\n'), "{:?}", note);
            prop_assert!(note.contains(' '), "{:?}", note);
            prop_assert!(note.starts_with(|c: char| c.is_ascii_alphabetic()), "{:?}", note);
            prop_assert!(note.ends_with(|c: char| c.is_ascii_alphabetic()), "{:?}", note);
            prop_assert!(!sentences[..i].contains(note), "{:?}", sentences);
        }
    }
}

#[test]
fn any_query_runs_against_an_index() {
    let dirs = common::TempDirs::new();
    common::write(
        dirs.corpus().join("a.txt"),
        format!("قمة جنيف\n{}\n", common::arabic_paragraph(1, 80)),
    );
    let options = IndexOptions {
        roots: vec![dirs.corpus()],
        index_dir: dirs.index(),
        rebuild: false,
        threads: 1,
        memory_mb: 32,
        settings: None,
        json_fields: JsonFields::default(),
        collection: None,
        commit_every_bytes: writer::COMMIT_EVERY_BYTES,
        walk: Default::default(),
        interrupt: None,
    };
    writer::run(&options, &Silent).unwrap();
    let engine =
        std::cell::RefCell::new(Engine::new(fahras::index::open(&dirs.index()).unwrap()).unwrap());
    let mut runner = proptest::test_runner::TestRunner::new(common::property_config(300));
    runner
        .run(&query_text(), |input| {
            let request = SearchSettings {
                query: input,
                ..SearchSettings::default()
            };
            let results = engine.borrow_mut().search(&request);
            prop_assert!(results.is_ok(), "{:?}", results.err());
            for hit in results.unwrap().hits {
                for [from, to] in hit.highlights {
                    prop_assert!(hit.text.is_char_boundary(from) && hit.text.is_char_boundary(to));
                }
            }
            Ok(())
        })
        .unwrap();
}
