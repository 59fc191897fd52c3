//! What a search had to guess or could not do, said to the user beside the results.
//!
//! Each note is a value with a stable `code` (and the names it mentions), so that every surface
//! can word it in its own language: the command line and the `notes` key of the JSON print the
//! English sentence ([`Note`]'s `Display`), the page words each code in Arabic from
//! `notes_detail` (the notes serialized as objects).

use std::fmt;

use serde::Serialize;

use super::query::MAX_DEPTH;

/// One note about a query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Note {
    /// `)` without its `(`.
    UnmatchedParen,
    /// `(` never closed.
    UnclosedParen,
    /// Parentheses nested deeper than the parser groups.
    TooDeep,
    /// An odd number of `"`.
    UnclosedQuote,
    OrWithoutLeft,
    OrWithoutRight,
    AndWithoutLeft,
    AndWithoutRight,
    /// `-word` inside an `OR`.
    ExclusionInsideOr,
    /// `source:BBC OR بوتين`: filters are never alternatives.
    FiltersBesideOr,
    /// `title:`, `source:` or `date:` with nothing after it.
    EmptyFilter {
        filter: &'static str,
    },
    /// `date:` with a value that is not a date.
    BadDate {
        value: String,
    },
    /// The dates of the filters cannot meet.
    DatesDoNotOverlap,
    /// `source:NAME` naming an outlet the index does not hold.
    UnknownSource {
        name: String,
        known: String,
    },
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Note::UnmatchedParen => f.write_str("unmatched ')' ignored"),
            Note::UnclosedParen => f.write_str("unclosed '(' closed at the end of the query"),
            Note::TooDeep => write!(
                f,
                "parentheses nested deeper than {MAX_DEPTH} levels do not group; their words are \
                 read as plain words"
            ),
            Note::UnclosedQuote => {
                f.write_str("unclosed quote ignored: the words after it are read as usual")
            }
            Note::OrWithoutLeft => f.write_str("OR without a left side ignored"),
            Note::OrWithoutRight => f.write_str("OR without a right side ignored"),
            Note::AndWithoutLeft => f.write_str("AND without a left side ignored"),
            Note::AndWithoutRight => f.write_str("AND without a right side ignored"),
            Note::ExclusionInsideOr => f.write_str("'-' inside OR ignored"),
            Note::FiltersBesideOr => f.write_str("filters beside OR apply to the whole query"),
            Note::EmptyFilter { filter } => write!(f, "{filter}: without a value ignored"),
            // The value is in `notes_detail`; the sentence stays as scripts have read it.
            Note::BadDate { .. } => {
                f.write_str("date: expects YYYY, YYYY-MM, YYYY-MM-DD or FROM..TO; ignored")
            }
            Note::DatesDoNotOverlap => {
                f.write_str("the dates asked for do not overlap: nothing can match")
            }
            Note::UnknownSource { name, known } => {
                write!(
                    f,
                    "source:{name}: no such outlet in the index (it has: {known})"
                )
            }
        }
    }
}

impl PartialEq<&str> for Note {
    fn eq(&self, other: &&str) -> bool {
        // The sentence is short; comparing it whole keeps this in step with `Display`.
        self.to_string().as_str() == *other
    }
}

/// Serializes notes as their English sentences (the `notes` key of every JSON answer).
pub fn as_sentences<S: serde::Serializer>(
    notes: &[Note],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(notes.iter().map(ToString::to_string))
}
