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
    /// `category:sport`, `author:…`: a name before a colon that is not a field of the query.
    NotAField {
        field: String,
    },
    /// Lucene's `~` or `^` after a word.
    UnsupportedOperator {
        sign: char,
    },
    /// `source:NAME` naming an outlet the index does not hold.
    UnknownSource {
        name: String,
        known: String,
    },
    /// The index's passage vectors cover only some passages (`fahras embed` adds the rest);
    /// `used`: whether the semantic side searched those it has (asked for) or the search was
    /// answered lexically (the default mode).
    VectorsPartial {
        covered: u64,
        passages: u64,
        used: bool,
    },
    /// The passage vectors were made with another model than the one installed.
    VectorsOfAnotherModel,
    /// The index has passage vectors but the model that reads queries is not installed.
    ModelMissing,
    /// A hybrid search without words: nothing to compare by meaning.
    NothingToCompare,
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
            Note::NotAField { field } => {
                write!(
                    f,
                    "{field}: is not a field of the query (title:, source:, date: are), so its \
                     words were searched as text"
                )?;
                match field.as_str() {
                    "category" | "collection" | "tag" => {
                        write!(f, ", and --{field} filters by it")
                    }
                    _ => Ok(()),
                }
            }
            Note::UnsupportedOperator { sign } => write!(
                f,
                "the sign {sign} after a word is not part of the query language, so the word was \
                 cut there and its pieces searched"
            ),
            Note::UnknownSource { name, known } => {
                write!(
                    f,
                    "source:{name}: no such outlet in the index (it has: {known})"
                )
            }
            Note::VectorsPartial {
                covered,
                passages,
                used: true,
            } => write!(
                f,
                "passage vectors cover {covered} of {passages} passages: the search by meaning \
                 saw only those (`fahras embed` adds the rest)"
            ),
            Note::VectorsPartial {
                covered, passages, ..
            } => write!(
                f,
                "passage vectors cover {covered} of {passages} passages: answered by words \
                 alone (`fahras embed` adds the rest)"
            ),
            Note::VectorsOfAnotherModel => f.write_str(
                "the passage vectors were made with another model: answered by words alone \
                 (`fahras embed` makes them again)",
            ),
            Note::ModelMissing => f.write_str(
                "the index has passage vectors but the model is not installed: answered by \
                 words alone (`fahras model fetch` installs it)",
            ),
            Note::NothingToCompare => {
                f.write_str("no words to compare by meaning: answered by the filters alone")
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
