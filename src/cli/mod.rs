//! One module per command; `main.rs` only parses arguments and dispatches here.

pub mod analyze;
pub mod collections;
pub mod duplicates;
pub mod eval;
pub mod export;
pub mod index;
pub mod output;
pub mod search;
pub mod serve;
pub mod show;
pub mod stats;
