//! Spelling variants of transliterated names: the other spellings of a query word that are the
//! same word.
//!
//! Arabic news spells foreign names many ways: بوتين/بوتن, ترامب/ترمب, جنيف/جينيف,
//! ميونيخ/ميونخ, each outlet with its house spelling. A spelling of a name is the same name, so a
//! variant counts as the word typed. But one long vowel more or less also turns an Arabic word
//! into another word (محمد/محمود, العالم/العلم, مقطع/مقاطع, الحكومة/الحكومية), so a variant is
//! searched only when the archive's evidence says it is the same word:
//!
//! 1. **Its letters** ([`candidates`]): it differs from the word typed by one long vowel (ا و ي)
//!    added or dropped inside the word, by a final ه/ا swap (ة and ى are already folded to ه
//!    and ي), or by the foreign g written ج or غ (جونج/جونغ). A vowel never at the first or the
//!    last letter (شمال/شمالي, مزيد/مزيدا, حسابه/حسابها are suffixes), never the second of two
//!    equal first letters (وزير/ووزير: the conjunction), never ي before a final ه (الدولة/الدولية:
//!    the adjective ending ـية). Words shorter than
//!    [`MIN_WORD_CHARS`] letters are never expanded.
//! 2. **Its frequency**: found in at least [`MIN_VARIANT_PASSAGES`] passages and at least
//!    1/[`MAX_RARITY`] as often as the word typed (a rarer form is a typo, not a spelling), or,
//!    for a word typed in fewer than `MIN_VARIANT_PASSAGES × MAX_RARITY` passages, in fewer
//!    when one article writes both forms.
//! 3. **Names, not dictionary words** ([`is_dictionary_word`]): an Arabic noun or verb takes
//!    the attached pronouns (موقعها, مقاطعهم); a foreign name almost never does (no ترامبها). A
//!    form whose base (clitics removed) is found with them in more than 2% of its passages is a
//!    dictionary word, and dictionary words have no spelling variants.
//! 4. **Its contexts** ([`Contexts`]): the words around the two forms in a sample of their
//!    passages must be alike (cosine ≥ [`MIN_CONTEXT_COSINE`]). Around بوتين and بوتن stand the
//!    same words (الرئيس الروسي فلاديمير …); around محمد and محمود, مقطع and مقاطع, other ones.
//!    When a form is too rare for its contexts to say much (fewer than
//!    [`MIN_SAMPLED_OCCURRENCES`] occurrences, as in an archive of a few articles), one word
//!    beside both, or one article writing both, is evidence too (the seed article writes بوتين
//!    and, twice, بوتن).
//!
//! Measured on the labelled pairs of `tests/variant_pairs.tsv` (ANT's vocabulary) by
//! `benches/variants.sh`; see the README.

use std::cell::OnceCell;
use std::collections::{HashMap, HashSet};
use std::ops::ControlFlow;

use tantivy::schema::{IndexRecordOption, Term, Value};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, DocId, DocSet, Searcher, SegmentReader, TantivyDocument, TERMINATED};

use super::articles::ArticleKey;
use super::ranking::is_query_stopword;
use crate::analysis::normalizer::{is_arabic_letter, is_combining_mark, TATWEEL};
use crate::index::Fields;

/// Words shorter than this are never expanded.
pub const MIN_WORD_CHARS: usize = 4;
/// A variant must occur in at least this many passages.
pub const MIN_VARIANT_PASSAGES: u64 = 3;
/// …and at least 1/MAX_RARITY as often as the word typed.
pub const MAX_RARITY: u64 = 50;
/// At most this many variants per word, the most frequent first.
pub const MAX_VARIANTS: usize = 4;
/// A form whose base is found with an attached pronoun in more than this share of its passages
/// (plus [`DICTIONARY_SLACK`]) is a dictionary word.
pub const DICTIONARY_SHARE: f64 = 0.02;
/// …a few such passages are noise (a name misread as a word, a typo).
pub const DICTIONARY_SLACK: u64 = 2;
/// Passages whose words are sampled around a form (at most two per article).
pub const CONTEXT_PASSAGES: usize = 16;
/// Words on each side of an occurrence that make its context.
pub const CONTEXT_WINDOW: usize = 2;
/// Contexts at least this alike (cosine of the counts of the words around) are one word's. On
/// the labelled pairs, same-word pairs score 0.2–0.96 and different words 0–0.15, except
/// plurals and verbal nouns that letters and pronouns do not catch (مقطع/مقاطع).
pub const MIN_CONTEXT_COSINE: f64 = 0.2;
/// Passages read to tell how a form found otherwise (a Latin name's Arabic form) is written.
pub const WRITTEN_FORM_PASSAGES: usize = 4;
/// Below this many sampled occurrences a form's context is no evidence.
pub const MIN_SAMPLED_OCCURRENCES: usize = 3;

const LONG_VOWELS: [char; 3] = ['ا', 'و', 'ي'];
/// Attached pronouns that show a form is an Arabic noun or verb (ه is left out: after ة→ه
/// folding it cannot be told from a feminine ending).
const PRONOUN_SUFFIXES: [&str; 6] = ["ها", "هم", "هما", "هن", "كم", "نا"];
/// Proclitics stripped to find a form's base, longest first.
const PROCLITICS: [&str; 10] = ["وال", "بال", "فال", "كال", "لل", "ال", "و", "ف", "ب", "ل"];

/// Candidate spellings of a normalized `term` (without looking at the index).
pub fn candidates(term: &str) -> Vec<String> {
    let letters: Vec<char> = term.chars().collect();
    let n = letters.len();
    if n < MIN_WORD_CHARS || !letters.iter().all(|&c| is_arabic_letter(c)) {
        return Vec::new();
    }
    let mut out: Vec<String> = Vec::new();
    let mut push = |candidate: Vec<char>| {
        let candidate: String = candidate.into_iter().collect();
        if candidate != term && !out.contains(&candidate) && !one_pattern_apart(term, &candidate) {
            out.push(candidate);
        }
    };
    // Drop one long vowel: not the first or last letter, not the second of two equal first
    // letters (ووزير), not ي before a final ه (الدوليه).
    if n > MIN_WORD_CHARS {
        for i in 1..n - 1 {
            let vowel = LONG_VOWELS.contains(&letters[i]);
            let doubled_first = i == 1 && letters[0] == letters[1];
            let nisba = letters[i] == 'ي' && i == n - 2 && letters[n - 1] == 'ه';
            if vowel && !doubled_first && !nisba {
                let mut candidate = letters.clone();
                candidate.remove(i);
                push(candidate);
            }
        }
    }
    // Add one long vowel between two letters (doubling a vowel: السوفيتي/السوفييتي), but
    // never doubling the first letter (وزير/ووزير) or adding ي before a final ه.
    for i in 1..n {
        for vowel in LONG_VOWELS {
            if i == 1 && letters[0] == vowel {
                continue;
            }
            if i == n - 1 && vowel == 'ي' && letters[n - 1] == 'ه' {
                continue;
            }
            let mut candidate = letters.clone();
            candidate.insert(i, vowel);
            push(candidate);
        }
    }
    // The foreign g written ج or غ (جونج/جونغ, الكونجرس/الكونغرس, جوجل/غوغل): one letter
    // swapped, or all of them.
    let g_swap = |c: char| match c {
        'ج' => Some('غ'),
        'غ' => Some('ج'),
        _ => None,
    };
    for i in 0..n {
        if let Some(swapped) = g_swap(letters[i]) {
            let mut candidate = letters.clone();
            candidate[i] = swapped;
            push(candidate);
        }
    }
    if letters.iter().filter(|&&c| g_swap(c).is_some()).count() > 1 {
        push(letters.iter().map(|&c| g_swap(c).unwrap_or(c)).collect());
    }
    // Final ه ↔ ا (سوريه/سوريا, امريكا/امريكه).
    let swapped = match letters[n - 1] {
        'ه' => Some('ا'),
        'ا' => Some('ه'),
        _ => None,
    };
    if let Some(swapped) = swapped {
        let mut candidate = letters.clone();
        candidate[n - 1] = swapped;
        push(candidate);
    }
    out
}

/// Whether `a` and `b` are two words of one root in two of Arabic's templates that differ by
/// a long vowel: a noun and its broken plural (مقطع/مقاطع, مرصد/مراصد: مَفعَل/مَفاعِل; حائط/حوائط:
/// فاعِل/فَواعِل) or a verb and its verbal noun (تسلط/تسليط, تمهد/تمهيد: تَفَعَّل/تَفعيل). Compared
/// on the words without a shared proclitic (المقطع/المقاطع).
fn one_pattern_apart(a: &str, b: &str) -> bool {
    let strip = |word: &str| -> Vec<char> {
        for clitic in PROCLITICS {
            if let (Some(rest), true) = (word.strip_prefix(clitic), true) {
                if rest.chars().count() >= 4 {
                    return rest.chars().collect();
                }
            }
        }
        word.chars().collect()
    };
    let (a, b) = (strip(a), strip(b));
    let (short, long) = if a.len() < b.len() { (a, b) } else { (b, a) };
    if short.len() != 4 || long.len() != 5 {
        return false;
    }
    let Some(i) = (0..5).find(|&i| long[..i] == short[..i] && long[i + 1..] == short[i..]) else {
        return false;
    };
    match (i, long[i]) {
        (2, 'ا') => short[0] == 'م',
        (3, 'ي') => short[0] == 'ت',
        (1, 'و') => short[1] == 'ا',
        _ => false,
    }
}

/// A variant found in the index: its normalized term (what is searched), the spelling the
/// archive writes it with most often (what is reported), and the passages and articles that
/// contain it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Variant {
    pub term: String,
    pub written: String,
    pub passages: u64,
    pub articles: u64,
}

/// The spellings of `term` (normalized, as the exact field holds it) that the archive's
/// evidence says are the same word (see the module comment), the most frequent first.
pub fn find_variants(searcher: &Searcher, fields: &Fields, term: &str) -> Vec<Variant> {
    let candidates = candidates(term);
    if candidates.is_empty() {
        return Vec::new();
    }
    let doc_freq = |t: &str| {
        searcher
            .doc_freq(&Term::from_field_text(fields.text, t))
            .unwrap_or(0)
    };
    let typed = doc_freq(term);
    if typed == 0 {
        // Nothing to compare with: a word the archive lacks is a case for typo correction.
        return Vec::new();
    }
    let threshold = MIN_VARIANT_PASSAGES.max(typed / MAX_RARITY);
    // The articles of the word typed, read once and only if an article writing both forms is
    // asked about (the word is rare then, so they are few).
    let typed_articles = OnceCell::new();
    let shares_an_article = |candidate: &str| {
        let typed_articles = typed_articles.get_or_init(|| articles_of(searcher, fields, term));
        shares_an_article(searcher, fields, typed_articles, candidate)
    };
    // Each frequent enough candidate, with whether an article writes it and the word typed
    // when that was asked.
    let mut frequent: Vec<(String, u64, Option<bool>)> = candidates
        .into_iter()
        .filter_map(|candidate| {
            let passages = doc_freq(&candidate);
            if passages >= threshold {
                return Some((candidate, passages, None));
            }
            // A small archive: a rarer spelling is still a candidate when an article writes
            // both (its contexts decide below, or, too rare for them, that article does).
            let small = threshold == MIN_VARIANT_PASSAGES && passages > 0;
            (small && shares_an_article(&candidate)).then_some((candidate, passages, Some(true)))
        })
        .collect();
    if frequent.is_empty() || is_dictionary_word(&doc_freq, term) {
        return Vec::new();
    }
    frequent.retain(|(candidate, _, _)| !is_dictionary_word(&doc_freq, candidate));
    if frequent.is_empty() {
        return Vec::new();
    }
    let mut analyzer = crate::analysis::exact_analyzer();
    let typed_contexts = Contexts::sample(searcher, fields, &mut analyzer, term);
    let mut found: Vec<Variant> = frequent
        .into_iter()
        .filter_map(|(candidate, passages, shared)| {
            let contexts = Contexts::sample(searcher, fields, &mut analyzer, &candidate);
            let cosine = typed_contexts.cosine(&contexts, &[term, &candidate]);
            // …and only when both forms were read in all their passages: a sample of a
            // frequent form says what it needs to.
            let few = (typed_contexts.occurrences < MIN_SAMPLED_OCCURRENCES
                || contexts.occurrences < MIN_SAMPLED_OCCURRENCES)
                && typed < CONTEXT_PASSAGES as u64
                && passages < CONTEXT_PASSAGES as u64;
            // Too few occurrences for a cosine to mean much: a word beside both forms, or one
            // article writing both, is what a small archive can offer.
            let same = cosine >= MIN_CONTEXT_COSINE
                || (few
                    && (cosine > 0.0 || shared.unwrap_or_else(|| shares_an_article(&candidate))));
            same.then(|| Variant {
                written: contexts.most_written().unwrap_or_else(|| candidate.clone()),
                articles: articles_with(searcher, fields, &candidate),
                term: candidate,
                passages,
            })
        })
        .collect();
    found.sort_by(|a, b| {
        b.passages
            .cmp(&a.passages)
            .then_with(|| a.term.cmp(&b.term))
    });
    found.truncate(MAX_VARIANTS);
    found
}

/// The live passages of `segment` whose exact text holds `key`, in index order.
fn live_passages_with(
    segment: &SegmentReader,
    fields: &Fields,
    key: &Term,
) -> Option<impl Iterator<Item = DocId>> {
    let inverted = segment.inverted_index(fields.text).ok()?;
    let mut postings = inverted
        .read_postings(key, IndexRecordOption::Basic)
        .ok()??;
    let alive = segment.alive_bitset().cloned();
    let mut doc = postings.doc();
    Some(std::iter::from_fn(move || {
        while doc != TERMINATED {
            let current = doc;
            doc = postings.advance();
            if alive.as_ref().is_none_or(|bits| bits.is_alive(current)) {
                return Some(current);
            }
        }
        None
    }))
}

/// Visits each live passage whose exact text holds `term`, in index order, with its address
/// and its article, until `visit` breaks.
fn visit_passages_with(
    searcher: &Searcher,
    fields: &Fields,
    term: &str,
    mut visit: impl FnMut(DocAddress, Option<ArticleKey>) -> ControlFlow<()>,
) {
    let key = Term::from_field_text(fields.text, term);
    for (ordinal, segment) in searcher.segment_readers().iter().enumerate() {
        let ordinal = ordinal as u32;
        let Some(passages) = live_passages_with(segment, fields, &key) else {
            continue;
        };
        let ids = segment
            .fast_fields()
            .str(crate::index::schema::names::ARTICLE_ID)
            .ok()
            .flatten();
        for doc in passages {
            let article = ids
                .as_ref()
                .and_then(|ids| ids.term_ords(doc).next())
                .map(|ord| (ordinal, ord));
            if visit(DocAddress::new(ordinal, doc), article).is_break() {
                return;
            }
        }
    }
}

/// The articles with a passage whose exact text holds `term`.
fn articles_of(searcher: &Searcher, fields: &Fields, term: &str) -> HashSet<ArticleKey> {
    let mut articles = HashSet::new();
    visit_passages_with(searcher, fields, term, |_, article| {
        articles.extend(article);
        ControlFlow::Continue(())
    });
    articles
}

/// How many articles have a passage whose exact text holds `term`.
pub fn articles_with(searcher: &Searcher, fields: &Fields, term: &str) -> u64 {
    articles_of(searcher, fields, term).len() as u64
}

/// Up to `limit` passages whose exact text holds `term`, at most two per article, in an order
/// that depends on the archive alone. Index order would not do: indexing threads split the
/// same folders into segments differently on every build, and a sample taken in index order
/// made the same query find different variants (and rank differently) on two builds of ANT.
/// Articles come by a hash of their day, then by id; an article's passages in their order. The
/// sample is so the articles of a few days drawn from anywhere in the archive (for بوتين in
/// ANT, about three days), and within a day the ids' order favours the outlets whose ids sort
/// first: no better spread than index order gave, only a fixed one. Every posting of the form
/// is read (with its day) instead of the first few, once per word and index generation.
/// (Articles whose ids clash are qualified by which file came first, so two archives with
/// clashing ids indexed in different orders can still sample differently.)
fn sampled_passages(
    searcher: &Searcher,
    fields: &Fields,
    term: &str,
    limit: usize,
) -> Vec<DocAddress> {
    if limit == 0 {
        return Vec::new();
    }
    let key = Term::from_field_text(fields.text, term);
    // (day hash, segment, article ordinal, the article's passages), at most `limit` articles
    // per segment: the first `limit` articles of the archive are among them.
    let mut chosen: Vec<(u64, u32, u64, Vec<DocAddress>)> = Vec::new();
    // Each segment's article-id column, by segment ordinal.
    let mut id_columns = Vec::new();
    for (ordinal, segment) in searcher.segment_readers().iter().enumerate() {
        let ordinal = ordinal as u32;
        let fast = segment.fast_fields();
        let ids = fast
            .str(crate::index::schema::names::ARTICLE_ID)
            .ok()
            .flatten();
        let (Some(passages), Some(ids)) = (live_passages_with(segment, fields, &key), &ids) else {
            id_columns.push(ids);
            continue;
        };
        let days = fast.date(crate::index::schema::names::DAY).ok();
        // Within a segment, article ordinals sort as the ids do.
        let mut best: std::collections::BTreeMap<(u64, u64), Vec<DocId>> = Default::default();
        for doc in passages {
            let day = days
                .as_ref()
                .and_then(|days| days.first(doc))
                .map_or(i64::MIN, |day| day.into_timestamp_secs());
            let day_hash = mix(day as u64);
            let worst = best.last_key_value().map(|(k, _)| k.0);
            if best.len() < limit || worst.is_some_and(|worst| day_hash <= worst) {
                if let Some(article) = ids.term_ords(doc).next() {
                    let passages = best.entry((day_hash, article)).or_default();
                    if passages.len() < 2 {
                        passages.push(doc);
                    }
                    if best.len() > limit {
                        best.pop_last();
                    }
                }
            }
        }
        for ((day_hash, article), docs) in best {
            let docs = docs.into_iter().map(|doc| DocAddress::new(ordinal, doc));
            chosen.push((day_hash, ordinal, article, docs.collect()));
        }
        id_columns.push(Some(ids.clone()));
    }
    chosen.sort_unstable_by_key(|&(day_hash, segment, article, _)| (day_hash, segment, article));
    // Articles of one day from different segments are ordered by their ids, read only for
    // them (reading an id from its ordinal decodes a block of the dictionary).
    let id_of = |segment: u32, article: u64| {
        let mut id = String::new();
        if let Some(Some(ids)) = id_columns.get(segment as usize) {
            let _ = ids.ord_to_str(article, &mut id);
        }
        id
    };
    let mut sample = Vec::with_capacity(limit);
    let mut rest = &mut chosen[..];
    while sample.len() < limit && !rest.is_empty() {
        let day_hash = rest[0].0;
        let same_day = rest.iter().take_while(|c| c.0 == day_hash).count();
        let (day, later) = rest.split_at_mut(same_day);
        if day.iter().any(|c| c.1 != day[0].1) {
            day.sort_by_cached_key(|c| id_of(c.1, c.2));
        }
        for (_, _, _, docs) in day.iter() {
            sample.extend(docs.iter().copied());
        }
        rest = later;
    }
    sample.truncate(limit);
    sample
}

/// SplitMix64's finalizer: a fixed, well-spread hash of a day.
fn mix(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// How the archive most often writes the normalized `term` (diacritics removed), read from
/// [`WRITTEN_FORM_PASSAGES`] of its passages; `term` itself when none can be read.
pub fn written_form(searcher: &Searcher, fields: &Fields, term: &str) -> String {
    let mut analyzer = crate::analysis::exact_analyzer();
    Contexts::sample_of(searcher, fields, &mut analyzer, term, WRITTEN_FORM_PASSAGES)
        .most_written()
        .unwrap_or_else(|| term.to_owned())
}

/// Whether the normalized `term` is an Arabic noun or verb rather than a name: its base (the
/// form without its proclitics) is found with an attached pronoun (موقعها, مقاطعهم) in more
/// than [`DICTIONARY_SHARE`] of as many passages as the base or the form has.
pub fn is_dictionary_word(doc_freq: &dyn Fn(&str) -> u64, term: &str) -> bool {
    // The form as a whole and without each proclitic it may begin with: ولاية is a word of its
    // own (ولايتها), not و + لاية; a noun or a verb by any reading is one.
    let bases = std::iter::once(term).chain(PROCLITICS.iter().filter_map(|clitic| {
        term.strip_prefix(clitic)
            .filter(|rest| rest.chars().count() >= 3)
    }));
    for base in bases {
        // A form that already ends in a pronoun (سفارتها) is one when the archive has it
        // without (سفارة, written سفارت before the pronoun).
        for suffix in PRONOUN_SUFFIXES.iter().filter(|s| **s != "نا") {
            if let Some(rest) = base.strip_suffix(suffix).filter(|r| r.chars().count() >= 3) {
                let bare = match rest.strip_suffix('ت') {
                    Some(r) => format!("{r}ه"),
                    None => rest.to_owned(),
                };
                if doc_freq(rest) > 0 || doc_freq(&bare) > 0 {
                    return true;
                }
            }
        }
        // ة (folded to ه) is written ت before a pronoun (حكومه → حكومتها); a final ه may
        // itself be a pronoun (انتصاره → انتصارها), a final ا the accusative ending (انتصارا).
        let mut stems = vec![base.to_owned()];
        if let Some(rest) = base.strip_suffix('ه') {
            stems.push(format!("{rest}ت"));
            stems.push(rest.to_owned());
        } else if let Some(rest) = base.strip_suffix('ا') {
            stems.push(rest.to_owned());
        }
        stems.retain(|stem| stem.chars().count() >= 3);
        let with_pronouns: u64 = stems
            .iter()
            .flat_map(|stem| {
                PRONOUN_SUFFIXES
                    .iter()
                    .map(move |suffix| format!("{stem}{suffix}"))
            })
            .map(|form| doc_freq(&form))
            .sum();
        let frequency = doc_freq(base).max(doc_freq(term));
        if with_pronouns as f64 > DICTIONARY_SHARE * frequency as f64 + DICTIONARY_SLACK as f64 {
            return true;
        }
    }
    false
}

/// The words around a form in a sample of its passages, and how the form is written there.
#[derive(Debug, Default)]
pub struct Contexts {
    /// Terms (exact field) standing within [`CONTEXT_WINDOW`] words of an occurrence, with
    /// how often; query stopwords and numbers left out.
    pub words: HashMap<String, u32>,
    /// The form as written (diacritics and tatweel removed), with how often.
    pub written: HashMap<String, u32>,
    /// Occurrences seen.
    pub occurrences: usize,
}

impl Contexts {
    /// Reads [`CONTEXT_PASSAGES`] passages holding `term` in the exact text field (at most two
    /// per article, so that one long story does not make the sample), chosen by
    /// [`sampled_passages`]: the same sample for the same archive, however it was indexed.
    pub fn sample(
        searcher: &Searcher,
        fields: &Fields,
        analyzer: &mut TextAnalyzer,
        term: &str,
    ) -> Contexts {
        Contexts::sample_of(searcher, fields, analyzer, term, CONTEXT_PASSAGES)
    }

    /// [`Contexts::sample`] of at most `limit` passages.
    pub fn sample_of(
        searcher: &Searcher,
        fields: &Fields,
        analyzer: &mut TextAnalyzer,
        term: &str,
        limit: usize,
    ) -> Contexts {
        let mut contexts = Contexts::default();
        for address in sampled_passages(searcher, fields, term, limit) {
            if let Ok(stored) = searcher.doc::<TantivyDocument>(address) {
                if let Some(text) = stored.get_first(fields.text).and_then(|v| v.as_str()) {
                    contexts.add_passage(analyzer, text, term);
                }
            }
        }
        contexts
    }

    fn add_passage(&mut self, analyzer: &mut TextAnalyzer, text: &str, term: &str) {
        // Every term of the passage in one buffer (a string per term was a fifth of the cost):
        // (where the term ends in `terms`, its word's byte range in `text`).
        let mut terms = String::with_capacity(text.len());
        let mut tokens: Vec<(usize, usize, usize)> = Vec::new();
        let mut stream = analyzer.token_stream(text);
        while let Some(token) = stream.next() {
            terms.push_str(&token.text);
            tokens.push((terms.len(), token.offset_from, token.offset_to));
        }
        let term_at = |i: usize| {
            let start = i.checked_sub(1).map_or(0, |previous| tokens[previous].0);
            &terms[start..tokens[i].0]
        };
        for (i, &(_, from, to)) in tokens.iter().enumerate() {
            if term_at(i) != term {
                continue;
            }
            self.occurrences += 1;
            let written: String = text[from..to]
                .chars()
                .filter(|&c| !is_combining_mark(c) && c != TATWEEL)
                .collect();
            *self.written.entry(written).or_default() += 1;
            let window =
                i.saturating_sub(CONTEXT_WINDOW)..(i + CONTEXT_WINDOW + 1).min(tokens.len());
            for j in window {
                let neighbour = term_at(j);
                if j == i
                    || is_query_stopword(neighbour)
                    || !neighbour.chars().all(is_arabic_letter)
                    || neighbour.chars().count() < 2
                {
                    continue;
                }
                match self.words.get_mut(neighbour) {
                    Some(count) => *count += 1,
                    None => {
                        self.words.insert(neighbour.to_owned(), 1);
                    }
                }
            }
        }
    }

    /// Cosine similarity of the two context counts, leaving out `excluded` (the two forms,
    /// which stand beside each other when an article repeats a name).
    pub fn cosine(&self, other: &Contexts, excluded: &[&str]) -> f64 {
        let kept = |word: &String| !excluded.contains(&word.as_str());
        let norm = |words: &HashMap<String, u32>| {
            words
                .iter()
                .filter(|(w, _)| kept(w))
                .map(|(_, &n)| f64::from(n) * f64::from(n))
                .sum::<f64>()
                .sqrt()
        };
        let (a, b) = (norm(&self.words), norm(&other.words));
        if a == 0.0 || b == 0.0 {
            return 0.0;
        }
        let dot: f64 = self
            .words
            .iter()
            .filter(|(w, _)| kept(w))
            .map(|(w, &n)| f64::from(n) * f64::from(other.words.get(w).copied().unwrap_or(0)))
            .sum();
        dot / (a * b)
    }

    /// The spelling seen most often (ties: the first in Unicode order, so it is stable).
    pub fn most_written(&self) -> Option<String> {
        self.written
            .iter()
            .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
            .map(|(w, _)| w.clone())
    }
}

/// Whether an article of `typed_articles` has a passage holding `variant` (the two forms may be
/// in different passages of it).
fn shares_an_article(
    searcher: &Searcher,
    fields: &Fields,
    typed_articles: &HashSet<ArticleKey>,
    variant: &str,
) -> bool {
    let mut shared = false;
    visit_passages_with(searcher, fields, variant, |_, article| {
        shared = article.is_some_and(|a| typed_articles.contains(&a));
        if shared {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    });
    shared
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts<'a>(known: &'a [(&'a str, u64)]) -> impl Fn(&str) -> u64 + 'a {
        move |term| {
            known
                .iter()
                .find(|(t, _)| *t == term)
                .map_or(0, |&(_, n)| n)
        }
    }

    #[test]
    fn a_form_carrying_a_pronoun_is_a_dictionary_word() {
        // Regression: سفارتها took سفاراتها (its plural) for a spelling.
        let df = counts(&[("سفاره", 400), ("سفارتها", 60), ("سفاراتها", 24)]);
        assert!(is_dictionary_word(&df, "سفارتها"));
        // A name ending in نا is no pronoun (كورونا, فيينا).
        let df = counts(&[("فيينا", 300), ("فيين", 2)]);
        assert!(!is_dictionary_word(&df, "فيينا"));
    }

    #[test]
    fn a_first_letter_that_may_be_a_proclitic_is_also_read_as_the_words_own() {
        // Regression: ولاية was only read as و + لاية (and بيان as ب + يان), so the pronouns it
        // takes (ولايتها) were never counted.
        let df = counts(&[("ولايه", 500), ("ولايتها", 32), ("ولايتهم", 10)]);
        assert!(is_dictionary_word(&df, "ولايه"));
        let df = counts(&[("بوتين", 848)]);
        assert!(!is_dictionary_word(&df, "بوتين"));
    }

    #[test]
    fn candidates_cover_the_known_spellings() {
        assert!(candidates("بوتين").contains(&"بوتن".to_string()));
        assert!(candidates("ترامب").contains(&"ترمب".to_string()));
        assert!(candidates("ترمب").contains(&"ترامب".to_string()));
        assert!(candidates("جنيف").contains(&"جينيف".to_string()));
        assert!(candidates("سوريا").contains(&"سوريه".to_string()));
    }

    #[test]
    fn short_words_and_first_letters_are_left_alone() {
        assert!(candidates("كان").is_empty());
        assert!(candidates("قال").is_empty());
        assert!(candidates("nato").is_empty());
        // Four letters: nothing is dropped (it would leave three).
        assert!(!candidates("كانت").contains(&"كنت".to_string()));
        assert!(candidates("اوباما").iter().all(|c| c.starts_with('ا')));
    }
}
