//! Fahras (فهرس, "index"): a search engine for archives of Arabic news.
//!
//! Data flows files → [`ingest`] → [`analysis`] → [`index`] → [`search`] → output.

pub mod analysis;
pub mod cli;
pub mod error;
pub mod eval;
pub mod index;
pub mod ingest;
pub mod search;
pub mod serve;

pub use error::{Error, Result};
