//! The text reader never panics on any text, and its articles split into passages.
#![no_main]

use fahras::ingest::{self, Format, JsonFields};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let parsed = ingest::parse(Format::Text, text, &JsonFields::default());
    for article in &parsed.articles {
        let _ = ingest::split_passages(&article.body, Default::default());
    }
});
