//! One module per command; `main.rs` only parses arguments and dispatches here.

pub mod analyze;
pub mod collections;
pub mod duplicates;
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
