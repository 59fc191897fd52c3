//! Arabic text analysis: the same code turns documents into index terms and queries into search
//! terms.
//!
//! - [`normalizer`]: one word → its exact term(s) (NFKC, marks, letter folds, digits, case).
//! - [`tokenizer`]: text → words with original byte offsets → normalized terms.
//! - [`light_stemmer`] and [`stem_filter`]: terms → stems.
//!
//! Two analyzers are registered on every index: [`EXACT_ANALYZER`] (tokenizer + normalization)
//! and [`STEM_ANALYZER`] (the same, then the configured stemmer).

pub mod light_stemmer;
pub mod normalizer;
pub mod stem_filter;
pub mod tokenizer;

use serde::{Deserialize, Serialize};
use tantivy::tokenizer::{TextAnalyzer, TokenStream};

use crate::choice::Choice;

pub use stem_filter::{StemFilter, TermStemmer};
pub use tokenizer::ArabicTokenizer;

/// Name under which the exact (unstemmed) analyzer is registered.
pub const EXACT_ANALYZER: &str = "ar_exact";
/// Name under which the stemming analyzer is registered.
pub const STEM_ANALYZER: &str = "ar_stem";

/// Name of the keyword analyzer (whole value, lower-cased) used for outlet and collection filters.
pub const KEYWORD_ANALYZER: &str = "fahras_keyword";

/// Version of the analysis rules. Bump it whenever a change alters the terms produced for some
/// input: an index built with another version must be rebuilt.
pub const ANALYZER_VERSION: u32 = 3;

/// Which stemmer `ar_stem` applies after normalization.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum StemmerKind {
    /// Fahras's light stemmer: clitics and affixes, ambiguous proclitics kept as extra readings.
    #[default]
    Light,
    /// Snowball's Arabic stemmer (rust-stemmers).
    Snowball,
    /// No stemming: `ar_stem` equals `ar_exact`.
    None,
}

impl Choice for StemmerKind {
    const CHOICES: &'static [(Self, &'static str, &'static str)] = &[
        (
            StemmerKind::Light,
            "light",
            "Fahras's light stemmer: clitics and affixes, ambiguous proclitics kept as extra readings",
        ),
        (
            StemmerKind::Snowball,
            "snowball",
            "Snowball's Arabic stemmer (rust-stemmers)",
        ),
        (StemmerKind::None, "none", "no stemming: ar_stem equals ar_exact"),
    ];
}

impl std::fmt::Display for StemmerKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Which of the two analyzers to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnalyzerKind {
    /// `ar_exact`: normalization only.
    Exact,
    /// `ar_stem`: normalization and stemming.
    Stem,
}

impl Choice for AnalyzerKind {
    const CHOICES: &'static [(Self, &'static str, &'static str)] = &[
        (AnalyzerKind::Exact, "exact", "ar_exact: normalization only"),
        (
            AnalyzerKind::Stem,
            "stem",
            "ar_stem: normalization and stemming",
        ),
    ];
}

impl std::fmt::Display for AnalyzerKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The exact analyzer: Arabic tokenizer with normalization.
pub fn exact_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(ArabicTokenizer::default()).build()
}

/// The stemming analyzer: the exact analyzer followed by `stemmer`.
pub fn stem_analyzer(stemmer: StemmerKind) -> TextAnalyzer {
    TextAnalyzer::builder(ArabicTokenizer::default())
        .filter(StemFilter::new(stemmer))
        .build()
}

/// Registers both analyzers on an index. tantivy does not persist custom analyzers, so this must
/// run after every create and every open.
pub fn register_analyzers(index: &tantivy::Index, stemmer: StemmerKind) {
    let manager = index.tokenizers();
    manager.register(EXACT_ANALYZER, exact_analyzer());
    manager.register(STEM_ANALYZER, stem_analyzer(stemmer));
    manager.register(KEYWORD_ANALYZER, keyword_analyzer());
}

/// The keyword analyzer: the whole value as one lower-cased term.
pub fn keyword_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(tantivy::tokenizer::RawTokenizer::default())
        .filter(tantivy::tokenizer::LowerCaser)
        .build()
}

/// One token as `fahras analyze` and the highlighter see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnalyzedToken {
    /// The original slice of the input the token comes from.
    pub text: String,
    /// The indexed term.
    pub term: String,
    /// Byte offsets of the original slice.
    pub from: usize,
    pub to: usize,
    pub position: usize,
}

/// Runs `analyzer` over `text` and collects its tokens.
pub fn analyze(analyzer: &mut TextAnalyzer, text: &str) -> Vec<AnalyzedToken> {
    let mut stream = analyzer.token_stream(text);
    let mut tokens = Vec::new();
    while let Some(token) = stream.next() {
        tokens.push(AnalyzedToken {
            text: text[token.offset_from..token.offset_to].to_owned(),
            term: token.text.clone(),
            from: token.offset_from,
            to: token.offset_to,
            position: token.position,
        });
    }
    tokens
}

/// The analyzer `kind` with `stemmer`.
pub fn analyzer(kind: AnalyzerKind, stemmer: StemmerKind) -> TextAnalyzer {
    match kind {
        AnalyzerKind::Exact => exact_analyzer(),
        AnalyzerKind::Stem => stem_analyzer(stemmer),
    }
}

/// All readings of each position of `text` under `analyzer`, the first reading first.
pub fn query_readings(analyzer: &mut TextAnalyzer, text: &str) -> Vec<Vec<String>> {
    let mut stream = analyzer.token_stream(text);
    let mut positions: Vec<Vec<String>> = Vec::new();
    let mut last_position = None;
    while let Some(token) = stream.next() {
        if last_position == Some(token.position) {
            if let Some(readings) = positions.last_mut() {
                readings.push(token.text.clone());
            }
        } else {
            positions.push(vec![token.text.clone()]);
            last_position = Some(token.position);
        }
    }
    positions
}

/// The search terms of `text` under `analyzer`: for each position, the first token only (the
/// primary reading of the light stemmer; the query builder weighs the others itself).
pub fn query_terms(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(text);
    let mut terms = Vec::new();
    let mut last_position = None;
    while let Some(token) = stream.next() {
        if last_position != Some(token.position) {
            terms.push(token.text.clone());
            last_position = Some(token.position);
        }
    }
    terms
}
