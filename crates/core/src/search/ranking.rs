//! Ranking settings: every choice the relevance evaluation compares, with the defaults it chose
//! (see `docs/relevance.md`).

use serde::Serialize;

use crate::choice::Choice;

/// How plain words combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Operator {
    /// Every word must match.
    And,
    /// Any word may match; BM25 decides.
    Or,
    /// Any word may match, but articles with every word (in any of their passages) come first.
    AllThenAny,
    /// At least half of the words must match in a passage, articles with every word first.
    AllThenMost,
}

impl Choice for Operator {
    const CHOICES: &'static [(Self, &'static str, &'static str)] = &[
        (
            Operator::And,
            "and",
            "every word must match, in one passage",
        ),
        (Operator::Or, "or", "any word may match; BM25 decides"),
        (
            Operator::AllThenAny,
            "all-then-any",
            "any word may match, but articles with every word come first",
        ),
        (
            Operator::AllThenMost,
            "all-then-most",
            "at least half of the words must match, articles with every word first",
        ),
    ];
}

impl std::fmt::Display for Operator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Weights and switches of the ranking of passages (what ranks articles from their passages is
/// [`super::settings::ArticleRanking`]).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Ranking {
    /// Weight of the exact (unstemmed) fields; the stemmed fields weigh 1.
    pub exact_weight: f32,
    /// Weight of title fields relative to text fields.
    pub title_weight: f32,
    /// Weight of a spelling variant relative to the word typed.
    pub variant_weight: f32,
    pub operator: Operator,
    /// Leave out question words and particles (unless the query has nothing else).
    pub drop_stopwords: bool,
    /// Boost for pairs of consecutive query words found within a few words of each other
    /// (0: off).
    pub proximity_weight: f32,
    /// Weight of a word's other stemmed readings (a leading و ف ب ك ل taken as a clitic, before
    /// the article too), when what remains has at least four letters or is the article and a
    /// stem; 0: search the first reading only, the word whole (والحكومة as written, not
    /// الحكومة).
    pub reading_weight: f32,
    /// Pseudo-relevance feedback.
    pub prf: Option<Prf>,
    /// BM25 length normalization b (k1 follows: k1·(1 − b) = 0.3; see `bm25`).
    pub bm25_b: super::bm25::Bm25B,
}

/// Pseudo-relevance feedback, a relevance model (RM3) over whole articles: terms of the top
/// articles of a first search, weighted by their share of each article and by the articles'
/// scores, are added to the query (see `feedback`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Prf {
    /// Which queries get feedback.
    pub queries: PrfQueries,
    /// Articles taken as feedback.
    pub docs: usize,
    /// Expansion terms added.
    pub terms: usize,
    /// Weight of the expansion against the original query (RM3's 1 − λ).
    pub weight: f32,
}

/// Which queries get feedback.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PrfQueries {
    /// Every query.
    All,
    /// Topical queries only: short (at most [`super::build::MAX_TIERED_PARTS`] parts, the
    /// bound under which a query is short enough for the all-words tier) and not a question.
    /// A question asks for the passage that answers it and a headline for its one article;
    /// terms from articles on the same subject pull the ranking towards the subject instead.
    Topical,
}

impl Default for Prf {
    fn default() -> Self {
        Prf {
            queries: PrfQueries::All,
            docs: 10,
            terms: 10,
            weight: 0.3,
        }
    }
}

impl Default for Ranking {
    fn default() -> Self {
        Ranking {
            exact_weight: 0.5,
            title_weight: 0.5,
            variant_weight: 1.0,
            operator: Operator::AllThenAny,
            drop_stopwords: true,
            proximity_weight: 0.0,
            reading_weight: 1.0,
            prf: None,
            bm25_b: super::bm25::Bm25B::TANTIVY,
        }
    }
}

/// Question words and particles that carry no topic (normalized forms): the query side of the
/// stopword setting. Documents keep them, so phrases with them still match.
pub const QUERY_STOPWORDS: &[&str] = &[
    // Question words.
    "من",
    "ما",
    "ماذا",
    "متي",
    "كيف",
    "لماذا",
    "هل",
    "اين",
    "كم",
    "اي",
    "ماهي",
    "ماهو",
    "مامعني",
    // Prepositions and conjunctions, alone and with و.
    "في",
    "علي",
    "الي",
    "عن",
    "مع",
    "و",
    "او",
    "ثم",
    "بين",
    "عند",
    "منذ",
    "خلال",
    "بعد",
    "قبل",
    "حتي",
    "حيث",
    "لدي",
    "ضد",
    "نحو",
    "دون",
    "وفي",
    "ومن",
    "وما",
    "وعلي",
    "والي",
    "وعن",
    "ام",
    "بل",
    "لكن",
    "اذ",
    "اذا",
    "لو",
    "كي",
    "لان",
    // Particles, pronouns and demonstratives.
    "ان",
    "انه",
    "انها",
    "الذي",
    "التي",
    "الذين",
    "اللذين",
    "اللتين",
    "اللواتي",
    "هو",
    "هي",
    "هم",
    "هن",
    "هما",
    "انت",
    "انا",
    "نحن",
    "هذا",
    "هذه",
    "هذان",
    "هاتان",
    "هؤلاء",
    "ذلك",
    "تلك",
    "اولءك",
    "هناك",
    "هنا",
    "قد",
    "لقد",
    "لا",
    "لم",
    "لن",
    "ليس",
    "ال",
    "كل",
    "بعض",
    "غير",
    "ايضا",
    "به",
    "بها",
    "بهم",
    "له",
    "لها",
    "لهم",
    "فيه",
    "فيها",
    "منه",
    "منها",
    "عليه",
    "عليها",
    "اليه",
    "عنه",
    "عنها",
    "كما",
    "مما",
    "عما",
    "فيما",
    "بما",
    "لما",
    // Light verbs of questions and reports.
    "كان",
    "كانت",
    "يكون",
    "تكون",
    "كانوا",
    "ذكر",
    "يذكر",
    "تم",
    "يتم",
    "يسمي",
    "تسمي",
];

pub fn is_query_stopword(term: &str) -> bool {
    QUERY_STOPWORDS.contains(&term)
}
