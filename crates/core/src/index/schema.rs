//! The passage schema. Each tantivy document is one passage carrying its article's fields.

use tantivy::schema::{
    DateOptions, DateTimePrecision, Field, IndexRecordOption, NumericOptions, Schema,
    TextFieldIndexing, TextOptions, STORED, STRING,
};

use crate::analysis::{EXACT_ANALYZER, KEYWORD_ANALYZER, STEM_ANALYZER};
use crate::{Error, Result};

/// Field names, as used in the schema and in field filters.
pub mod names {
    pub const ARTICLE_ID: &str = "article_id";
    pub const PASSAGE: &str = "passage";
    pub const TITLE: &str = "title";
    pub const TITLE_STEM: &str = "title_stem";
    pub const TEXT: &str = "text";
    pub const TEXT_STEM: &str = "text_stem";
    pub const DATE: &str = "date";
    pub const DAY: &str = "day";
    pub const UTC_OFFSET: &str = "utc_offset";
    pub const SOURCE: &str = "source";
    pub const COLLECTION: &str = "collection";
    pub const CATEGORY: &str = "category";
    pub const URL: &str = "url";
    pub const AUTHOR: &str = "author";
    pub const FILE: &str = "file";
    pub const MINHASH: &str = "minhash";
    pub const DUP_BAND: &str = "dup_band";
}

/// Handles to every field of the schema.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// Article id (raw, fast: passages are grouped by it).
    pub article_id: Field,
    /// Passage ordinal within its article, from 0.
    pub passage: Field,
    /// Title, analyzed exactly (`ar_exact`) and stored.
    pub title: Field,
    /// Title, stemmed (`ar_stem`).
    pub title_stem: Field,
    /// Passage text as written, analyzed exactly and stored.
    pub text: Field,
    /// Passage text, stemmed.
    pub text_stem: Field,
    /// When the article was published: the instant, for ordering.
    pub date: Field,
    /// The calendar day of publication where it was published (the source's local date, as
    /// midnight UTC): what is shown, filtered, faceted and cited.
    pub day: Field,
    /// The offset from UTC (seconds) the source wrote its date with.
    pub utc_offset: Field,
    /// Outlet (indexed lower-cased for filters, stored and fast as written).
    pub source: Field,
    pub collection: Field,
    pub category: Field,
    pub url: Field,
    pub author: Field,
    /// Key of the source file in the manifest (its deletion removes the file's passages).
    pub file: Field,
    /// The article's near-duplicate signature (on every passage).
    pub minhash: Field,
    /// The signature's LSH band keys (first passage only).
    pub dup_band: Field,
}

/// A field analyzed by `analyzer`. Positions are kept where something reads them: phrases (and
/// the optional proximity boost) run on the exact fields; the stemmed fields are only scored
/// (their positions were 7% of the index and 2% of indexing time, and no search used them).
fn analyzed(analyzer: &str, stored: bool) -> TextOptions {
    let record = if analyzer == STEM_ANALYZER {
        IndexRecordOption::WithFreqs
    } else {
        IndexRecordOption::WithFreqsAndPositions
    };
    let options = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(analyzer)
            .set_index_option(record),
    );
    if stored {
        options.set_stored()
    } else {
        options
    }
}

fn keyword() -> TextOptions {
    TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(KEYWORD_ANALYZER)
                .set_index_option(IndexRecordOption::Basic),
        )
        .set_stored()
        .set_fast("raw")
}

/// The schema of a Fahras index.
pub fn build_schema() -> Schema {
    let mut builder = Schema::builder();
    builder.add_text_field(names::ARTICLE_ID, STRING | STORED | tantivy::schema::FAST);
    builder.add_u64_field(
        names::PASSAGE,
        NumericOptions::default()
            .set_indexed()
            .set_stored()
            .set_fast(),
    );
    builder.add_text_field(names::TITLE, analyzed(EXACT_ANALYZER, true));
    builder.add_text_field(names::TITLE_STEM, analyzed(STEM_ANALYZER, false));
    builder.add_text_field(names::TEXT, analyzed(EXACT_ANALYZER, true));
    builder.add_text_field(names::TEXT_STEM, analyzed(STEM_ANALYZER, false));
    builder.add_date_field(
        names::DATE,
        DateOptions::default()
            .set_indexed()
            .set_stored()
            .set_fast()
            .set_precision(DateTimePrecision::Seconds),
    );
    builder.add_date_field(
        names::DAY,
        DateOptions::default()
            .set_indexed()
            .set_stored()
            .set_fast()
            .set_precision(DateTimePrecision::Seconds),
    );
    builder.add_i64_field(names::UTC_OFFSET, NumericOptions::default().set_stored());
    builder.add_text_field(names::SOURCE, keyword());
    builder.add_text_field(names::COLLECTION, keyword());
    builder.add_text_field(names::CATEGORY, keyword());
    builder.add_text_field(names::URL, STORED);
    builder.add_text_field(names::AUTHOR, STORED);
    builder.add_text_field(names::FILE, STRING | STORED);
    builder.add_bytes_field(
        names::MINHASH,
        tantivy::schema::BytesOptions::default().set_fast(),
    );
    builder.add_text_field(names::DUP_BAND, STRING);
    builder.build()
}

impl Fields {
    /// Looks the fields up in `schema`; an index made by something else is an error.
    pub fn from_schema(schema: &Schema) -> Result<Fields> {
        let get = |name: &str| {
            schema.get_field(name).map_err(|_| {
                Error::IncompatibleIndex(format!(
                    "the index has no field {name:?}: it was not built by this version of fahras; run `fahras index --rebuild`"
                ))
            })
        };
        Ok(Fields {
            article_id: get(names::ARTICLE_ID)?,
            passage: get(names::PASSAGE)?,
            title: get(names::TITLE)?,
            title_stem: get(names::TITLE_STEM)?,
            text: get(names::TEXT)?,
            text_stem: get(names::TEXT_STEM)?,
            date: get(names::DATE)?,
            day: get(names::DAY)?,
            utc_offset: get(names::UTC_OFFSET)?,
            source: get(names::SOURCE)?,
            collection: get(names::COLLECTION)?,
            category: get(names::CATEGORY)?,
            url: get(names::URL)?,
            author: get(names::AUTHOR)?,
            file: get(names::FILE)?,
            minhash: get(names::MINHASH)?,
            dup_band: get(names::DUP_BAND)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Speed issue (18): the stemmed fields kept positions no search read.
    #[test]
    fn only_the_exact_fields_keep_positions() {
        let schema = build_schema();
        let record = |name: &str| {
            let entry = schema.get_field_entry(schema.get_field(name).unwrap());
            match entry.field_type() {
                tantivy::schema::FieldType::Str(options) => options
                    .get_indexing_options()
                    .map(|i| i.index_option())
                    .unwrap(),
                other => panic!("{name}: {other:?}"),
            }
        };
        for name in [names::TEXT, names::TITLE] {
            assert_eq!(record(name), IndexRecordOption::WithFreqsAndPositions);
        }
        for name in [names::TEXT_STEM, names::TITLE_STEM] {
            assert_eq!(record(name), IndexRecordOption::WithFreqs);
        }
    }
}
