//! Fahras (فهرس, "index"): a search engine for archives of Arabic news.
//!
//! The engine is the `fahras-core` crate (re-exported here: data flows files → [`ingest`] →
//! [`analysis`] → [`index`] → [`search`] → output); this crate adds the commands ([`cli`]), their
//! rendering, and the server ([`serve`]).

pub use fahras_core::{
    analysis, choice, curation, error, eval, export, index, ingest, outlets, search, semantic,
    Error, Result,
};

pub mod cli;
pub mod serve;
