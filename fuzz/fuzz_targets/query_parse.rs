//! The query parser never panics (nor overflows its stack) on any input.
#![no_main]

use fahras::search::query;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let _ = query::parse(text);
    let _ = query::parse_plain(text);
    let _ = query::parse_period(text);
});
