//! One module per command; `main.rs` only parses arguments and dispatches here.

pub mod analyze;
pub mod collections;
pub mod duplicates;
pub mod embed;
pub mod eval;
pub mod export;
pub mod index;
pub mod output;
pub mod saved;
pub mod search;
pub mod serve;
pub mod show;
pub mod stats;

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};

use crate::choice::Choice;

/// The search engine over the index in `dir`, searching by meaning too where the index has
/// passage vectors (the model file is looked for where [`crate::semantic::model_path`] says,
/// and loaded only when a search needs it).
pub fn engine(dir: &std::path::Path) -> crate::Result<crate::search::Engine> {
    let engine = crate::search::Engine::new(crate::index::open(dir)?)?;
    Ok(engine.with_encoder(crate::semantic::EncoderSlot::file(
        crate::semantic::model_path(),
    )))
}

/// The command-line parser of a core setting with named values: its names are clap's possible
/// values (listed in `--help` with their descriptions), a name becomes the value.
pub fn choice<T: Choice + Clone>() -> impl TypedValueParser<Value = T> {
    PossibleValuesParser::new(
        T::CHOICES
            .iter()
            .map(|&(_, name, help)| PossibleValue::new(name).help(help)),
    )
    .map(|name| T::from_name(&name).expect("clap accepts only the names of the choices"))
}
