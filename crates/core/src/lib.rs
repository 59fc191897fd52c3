//! Fahras's core (فهرس, "index"): a search engine for archives of Arabic news, as a library.
//!
//! Data flows files → [`ingest`] → [`analysis`] → [`index`] → [`search`] → results, and
//! [`eval`] measures them. [`curation`] keeps the user's own work beside the index: collections
//! chosen by hand, their notes and tags, saved searches. Nothing here knows of a terminal, a command line or HTTP: the `fahras`
//! binary crate adds the commands, their rendering and the server.

pub mod analysis;
pub mod choice;
pub mod curation;
pub mod error;
pub mod eval;
pub mod export;
pub mod index;
pub mod ingest;
pub mod outlets;
pub mod search;
pub mod semantic;

pub use error::{Error, Result};
