//! The query language, parsed into a tree.
//!
//! ```text
//! query   := or or*                   (the top level: several or-groups, combined by the
//!                                      default operator)
//! or      := and ( OR and )*
//! and     := unary ( AND unary )*      (every part required)
//! unary   := '-' primary | primary
//! primary := '(' query ')' | '"' phrase '"' | FIELD ':' value | word | word '*'
//! ```
//! Operators as in Lucene's classic syntax: `OR` or `||`, `AND` or `&&`, `NOT`, `-` or a leading
//! `!` before a word, phrase or group; only upper-case Latin `OR`, `AND`, `NOT` are operators
//! (`and`, و, أو, لا stay words). Plain words are combined with the default operator. Quotes « » “ ” „ work like `"`, Arabic
//! punctuation (، ؛ ؟) like spaces. Fields: `title:`, `source:`, `date:` (`YYYY`, `YYYY-MM`,
//! `YYYY-MM-DD`, or `FROM..TO`).
//!
//! Parsing never fails on a non-empty query: an unbalanced quote or parenthesis, a lone operator
//! or an unknown field is read in the most plausible way and a note says how. Parentheses nested
//! deeper than [`MAX_DEPTH`] do not group (their words are read as if they were not there), so no
//! query, however long, can exhaust the stack of the parser or of what walks its tree.

use time::OffsetDateTime;

use super::notes::Note;

/// Deepest nesting of parentheses read as groups.
pub const MAX_DEPTH: usize = 32;

/// A node of the query tree.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// A word, searched in the selected fields with stemming and variants.
    Word {
        text: String,
        prefix: bool,
        title_only: bool,
    },
    /// An exact phrase (unstemmed field).
    Phrase { text: String, title_only: bool },
    /// Passages must not match this.
    Not(Box<Node>),
    /// Any of these.
    Or(Vec<Node>),
    /// All of these are required (parts joined by `AND`, or the parts of a parenthesized group).
    Group(Vec<Node>),
}

/// A date range: inclusive start, exclusive end.
pub type DateRange = (Option<OffsetDateTime>, Option<OffsetDateTime>);

/// What `source:` and `date:` in a query restrict the whole query to, wherever they stand in
/// it: a filter restricts what is searched, it is not one of the things searched for, so one
/// beside an `OR` restricts the whole query too (and a note says so).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct QueryFilters {
    /// Outlets (any of them).
    pub sources: Vec<String>,
    /// Date ranges that all apply (they intersect).
    pub dates: Vec<DateRange>,
    /// Date ranges joined by `OR` (`date:2018 OR date:2019`): any of them.
    pub any_dates: Vec<DateRange>,
    /// Excluded outlets (`-source:BBC`, `NOT source:BBC`).
    pub not_sources: Vec<String>,
    /// Excluded date ranges (`-date:2018-07`).
    pub not_dates: Vec<DateRange>,
}

/// A parsed query: what to search for (`nodes`), what to restrict it to (`filters`) and what
/// the parser had to guess (`notes`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ParsedQuery {
    pub nodes: Vec<Node>,
    pub filters: QueryFilters,
    pub notes: Vec<Note>,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String),
    Phrase(String),
    /// A quote with no closing quote after it.
    StrayQuote,
    Minus,
    Or,
    And,
    Open,
    Close,
}

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '«' | '»' | '“' | '”' | '„' | '‟' | '＂')
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '،' | '؛' | '؟' | ',' | ';' | '?' | '!')
}

fn lex(input: &str) -> Vec<Tok> {
    let mut toks = Vec::new();
    let mut chars = input.char_indices().peekable();
    while let Some(&(i, c)) = chars.peek() {
        if c == '!'
            && input[i + 1..].starts_with(|n: char| !is_space(n) && !matches!(n, '!' | ')' | '）'))
        {
            // `!word`: Lucene's negation. A `!` elsewhere is punctuation.
            chars.next();
            toks.push(Tok::Minus);
        } else if is_space(c) {
            chars.next();
        } else if is_quote(c) {
            chars.next();
            let start = i + c.len_utf8();
            match input[start..].find(is_quote) {
                Some(length) => {
                    let end = start + length;
                    while chars.peek().is_some_and(|&(j, _)| j <= end) {
                        chars.next();
                    }
                    toks.push(Tok::Phrase(input[start..end].to_owned()));
                }
                // An unclosed quote is dropped and what follows is read as usual: a phrase
                // running to the end would swallow every operator after it.
                None => toks.push(Tok::StrayQuote),
            }
        } else if c == '(' || c == '（' {
            chars.next();
            toks.push(Tok::Open);
        } else if c == ')' || c == '）' {
            chars.next();
            toks.push(Tok::Close);
        } else if c == '-' || c == '−' {
            chars.next();
            // A minus counts as negation only directly before a word, quote or group.
            match chars.peek() {
                Some(&(_, n)) if !is_space(n) && !matches!(n, '-' | ')' | '）') => {
                    toks.push(Tok::Minus)
                }
                _ => {}
            }
        } else {
            let start = i;
            let mut end = input.len();
            while let Some(&(j, d)) = chars.peek() {
                if is_space(d) || is_quote(d) || matches!(d, '(' | ')' | '（' | '）') {
                    end = j;
                    break;
                }
                chars.next();
            }
            let word = &input[start..end];
            match word {
                "OR" | "||" => toks.push(Tok::Or),
                "AND" | "&&" => toks.push(Tok::And),
                "NOT" => toks.push(Tok::Minus),
                _ => toks.push(Tok::Word(word.to_owned())),
            }
        }
    }
    toks
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
    notes: Vec<Note>,
    filters: QueryFilters,
    /// Groups open around the current position.
    depth: usize,
    /// `(` beyond [`MAX_DEPTH`] that were skipped: as many `)` are skipped too.
    skipped_opens: usize,
}

/// Parses `input`. An empty result (`nodes` empty) means there was nothing to search for.
pub fn parse(input: &str) -> ParsedQuery {
    let mut parser = Parser {
        toks: lex(input),
        pos: 0,
        notes: Vec::new(),
        filters: QueryFilters::default(),
        depth: 0,
        skipped_opens: 0,
    };
    let mut nodes = Vec::new();
    while parser.pos < parser.toks.len() {
        if parser.toks[parser.pos] == Tok::Close {
            parser.pos += 1;
            if parser.skipped_opens > 0 {
                parser.skipped_opens -= 1;
            } else {
                parser.note(Note::UnmatchedParen);
            }
            continue;
        }
        if let Some(node) = parser.or_expr() {
            nodes.push(node);
        }
    }
    ParsedQuery {
        nodes: hoist_out_of_groups(nodes),
        filters: parser.filters,
        notes: parser.notes,
    }
}

/// Exclusions inside a required group (`(ترامب -بوتين)`, `ترامب AND NOT بوتين`) constrain the
/// whole query: they are moved to the top level, where the query builder applies them. A group
/// left with one part is that part. Inside `OR` they stay (and are noted there).
fn hoist_out_of_groups(nodes: Vec<Node>) -> Vec<Node> {
    fn split(node: Node, hoisted: &mut Vec<Node>) -> Option<Node> {
        match node {
            Node::Group(children) => {
                let mut kept: Vec<Node> = children
                    .into_iter()
                    .filter_map(|child| split(child, hoisted))
                    .collect();
                match kept.len() {
                    0 => None,
                    1 => kept.pop(),
                    _ => Some(Node::Group(kept)),
                }
            }
            node @ Node::Not(_) => {
                hoisted.push(node);
                None
            }
            other => Some(other),
        }
    }
    let mut top = Vec::with_capacity(nodes.len());
    for node in nodes {
        let mut hoisted = Vec::new();
        if let Some(kept) = split(node, &mut hoisted) {
            top.push(kept);
        }
        top.extend(hoisted);
    }
    top
}

impl Parser {
    /// Records `note` once: two notes that read the same (two bad dates) are said once.
    fn note(&mut self, note: Note) {
        let sentence = note.to_string();
        if !self.notes.iter().any(|n| n.to_string() == sentence) {
            self.notes.push(note);
        }
    }

    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }

    fn or_expr(&mut self) -> Option<Node> {
        let filters_before = self.filter_count();
        let dates_before = self.filters.dates.len();
        let (alternatives, joined_by_or) = self.alternatives();
        if joined_by_or && self.filter_count() > filters_before {
            // Dates on the sides of an OR are alternatives, not all required.
            let joined: Vec<DateRange> = self.filters.dates.drain(dates_before..).collect();
            self.filters.any_dates.extend(joined);
            self.note(Note::FiltersBesideOr);
        }
        match alternatives.len() {
            0 => None,
            1 => alternatives.into_iter().next(),
            _ => Some(Node::Or(alternatives)),
        }
    }

    /// The sides of an `OR` (one when there is none; filters are none), and whether there was
    /// an `OR`.
    fn alternatives(&mut self) -> (Vec<Node>, bool) {
        let mut alternatives = Vec::new();
        let mut joined_by_or = false;
        if self.peek() == Some(&Tok::Or) {
            self.pos += 1;
            self.note(Note::OrWithoutLeft);
        }
        if let Some(first) = self.and_expr() {
            alternatives.push(first);
        }
        while self.peek() == Some(&Tok::Or) {
            self.pos += 1;
            match self.peek() {
                None | Some(Tok::Close) | Some(Tok::Or) | Some(Tok::And) => {
                    self.note(Note::OrWithoutRight);
                }
                _ => {
                    joined_by_or = true;
                    if let Some(next) = self.and_expr() {
                        alternatives.push(next);
                    }
                }
            }
        }
        (alternatives, joined_by_or)
    }

    /// Parts joined by `AND`: all are required (a group).
    fn and_expr(&mut self) -> Option<Node> {
        if self.peek() == Some(&Tok::And) {
            self.pos += 1;
            self.note(Note::AndWithoutLeft);
        }
        let mut parts = Vec::new();
        if let Some(first) = self.unary() {
            parts.push(first);
        }
        while self.peek() == Some(&Tok::And) {
            self.pos += 1;
            match self.peek() {
                None | Some(Tok::Close) | Some(Tok::Or) | Some(Tok::And) => {
                    self.note(Note::AndWithoutRight);
                }
                _ => {
                    if let Some(next) = self.unary() {
                        parts.push(next);
                    }
                }
            }
        }
        match parts.len() {
            0 => None,
            1 => parts.pop(),
            _ => Some(Node::Group(parts)),
        }
    }

    fn unary(&mut self) -> Option<Node> {
        if self.peek() == Some(&Tok::Minus) {
            self.pos += 1;
            let (sources_before, dates_before) =
                (self.filters.sources.len(), self.filters.dates.len());
            let node = self.primary();
            // An excluded filter excludes what it names.
            let sources: Vec<String> = self.filters.sources.drain(sources_before..).collect();
            let dates: Vec<DateRange> = self.filters.dates.drain(dates_before..).collect();
            self.filters.not_sources.extend(sources);
            for range in dates {
                if range == (None, None) {
                    // Excluding every date would exclude everything: not what anyone means.
                    self.note(Note::EmptyFilter { filter: "date" });
                } else {
                    self.filters.not_dates.push(range);
                }
            }
            return match node? {
                Node::Not(inner) => Some(*inner),
                node => Some(Node::Not(Box::new(node))),
            };
        }
        self.primary()
    }

    fn filter_count(&self) -> usize {
        let f = &self.filters;
        f.sources.len()
            + f.dates.len()
            + f.any_dates.len()
            + f.not_sources.len()
            + f.not_dates.len()
    }

    fn primary(&mut self) -> Option<Node> {
        let tok = self.peek()?.clone();
        self.pos += 1;
        match tok {
            Tok::Open if self.depth >= MAX_DEPTH => {
                self.skipped_opens += 1;
                self.note(Note::TooDeep);
                None
            }
            Tok::Open => {
                self.depth += 1;
                let mut inner = Vec::new();
                loop {
                    match self.peek() {
                        None => {
                            self.note(Note::UnclosedParen);
                            break;
                        }
                        Some(Tok::Close) if self.skipped_opens > 0 => {
                            // Closes a `(` that was too deep to group.
                            self.pos += 1;
                            self.skipped_opens -= 1;
                        }
                        Some(Tok::Close) => {
                            self.pos += 1;
                            break;
                        }
                        _ => {
                            if let Some(node) = self.or_expr() {
                                inner.push(node);
                            }
                        }
                    }
                }
                self.depth -= 1;
                match inner.len() {
                    0 => None,
                    1 => inner.pop(),
                    _ => Some(Node::Group(inner)),
                }
            }
            Tok::Close => None,
            Tok::Or => None,
            Tok::And => {
                self.note(Note::AndWithoutLeft);
                None
            }
            Tok::StrayQuote => {
                self.note(Note::UnclosedQuote);
                None
            }
            Tok::Minus => {
                // A run of minus signs (`-−-−`) is read in a loop, not one call per sign.
                while self.peek() == Some(&Tok::Minus) {
                    self.pos += 1;
                }
                self.primary()
            }
            Tok::Phrase(text) => phrase_node(text, false),
            Tok::Word(word) => self.word_or_field(&word),
        }
    }

    fn word_or_field(&mut self, word: &str) -> Option<Node> {
        if let Some((field, value)) = word.split_once(':') {
            let field_lower = field.to_ascii_lowercase();
            // `title:"a phrase"`: the value is the next token.
            let value_tok = if value.is_empty() {
                match self.peek().cloned() {
                    Some(Tok::Phrase(text)) => {
                        self.pos += 1;
                        Some((text, true))
                    }
                    _ => None,
                }
            } else {
                Some((value.to_owned(), false))
            };
            match field_lower.as_str() {
                "title" if value_tok.is_none() && self.peek() == Some(&Tok::Open) => {
                    // `title:(بوتين OR ترامب)`: every word and phrase of the group, in titles.
                    return self.primary().map(in_titles);
                }
                "title" => {
                    let Some((value, quoted)) = value_tok else {
                        self.note(Note::EmptyFilter { filter: "title" });
                        return None;
                    };
                    return if quoted {
                        phrase_node(value, true)
                    } else {
                        word_node(&value, true)
                    };
                }
                "source" => {
                    let Some((value, _)) = value_tok else {
                        self.note(Note::EmptyFilter { filter: "source" });
                        return None;
                    };
                    self.filters.sources.push(value);
                    return None;
                }
                "date" => {
                    let Some((value, _)) = value_tok else {
                        self.note(Note::EmptyFilter { filter: "date" });
                        return None;
                    };
                    match parse_date_filter(&value) {
                        // `date:..` is every date: nothing among required filters, every
                        // article as an alternative (`(date:.. OR date:2021)`); excluded, it
                        // is dropped with a note below.
                        Some(range) => self.filters.dates.push(range),
                        None => self.note(Note::BadDate { value }),
                    }
                    return None;
                }
                // A colon that is not a known field is part of the text (`16:30`), but a
                // name before it that looks like a field (`category:sport`, `author:…`) is
                // said to be one that is not: its words are searched as text.
                _ if is_field_like(field) => self.note(Note::NotAField {
                    field: field_lower.clone(),
                }),
                _ => {}
            }
        }
        if let Some(sign) = unsupported_operator(word) {
            self.note(Note::UnsupportedOperator { sign });
        }
        word_node(word, false)
    }
}

fn phrase_node(text: String, title_only: bool) -> Option<Node> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return None;
    }
    Some(Node::Phrase {
        text: trimmed.to_owned(),
        title_only,
    })
}

/// `node` with each of its words and phrases searched in titles only.
fn in_titles(node: Node) -> Node {
    match node {
        Node::Word { text, prefix, .. } => Node::Word {
            text,
            prefix,
            title_only: true,
        },
        Node::Phrase { text, .. } => Node::Phrase {
            text,
            title_only: true,
        },
        Node::Not(inner) => Node::Not(Box::new(in_titles(*inner))),
        Node::Or(nodes) => Node::Or(nodes.into_iter().map(in_titles).collect()),
        Node::Group(nodes) => Node::Group(nodes.into_iter().map(in_titles).collect()),
    }
}

/// A name before a colon that reads as a field of another query language (`category:`,
/// `author:`, `url:`): two or more ASCII letters, not a URL's scheme.
fn is_field_like(name: &str) -> bool {
    name.len() >= 2
        && name.chars().all(|c| c.is_ascii_alphabetic())
        && !matches!(
            name.to_ascii_lowercase().as_str(),
            "http" | "https" | "ftp" | "mailto" | "www"
        )
}

/// Lucene's fuzzy `~` and boost `^` after a word: not part of this query language (the word is
/// cut there and its pieces searched). (`?`, Lucene's one-letter wildcard, is punctuation
/// here, as in a question.)
fn unsupported_operator(word: &str) -> Option<char> {
    ['~', '^']
        .into_iter()
        .find(|&sign| word.char_indices().any(|(i, c)| c == sign && i > 0))
}

fn word_node(word: &str, title_only: bool) -> Option<Node> {
    let (text, prefix) = match word.strip_suffix('*') {
        Some(stem) => (stem.trim_end_matches('*'), true),
        None => (word, false),
    };
    if text.is_empty() {
        return None;
    }
    Some(Node::Word {
        text: text.to_owned(),
        prefix,
        title_only,
    })
}

/// Reads `input` as a bag of words: quotes, parentheses, operators and field prefixes are
/// ordinary punctuation. For natural-language queries (questions, headlines) whose quotation
/// marks are quotations, not phrase searches.
pub fn parse_plain(input: &str) -> ParsedQuery {
    let nodes = input
        .split(|c: char| {
            is_space(c) || is_quote(c) || matches!(c, '(' | ')' | '（' | '）' | '*' | ':')
        })
        .map(|w| w.trim_start_matches(['-', '−']))
        .filter(|w| !w.is_empty() && !matches!(*w, "OR" | "AND" | "NOT" | "&&" | "||"))
        .filter_map(|w| word_node(w, false))
        .collect();
    ParsedQuery {
        nodes,
        ..ParsedQuery::default()
    }
}

/// Start (inclusive) and end (exclusive) of a `YYYY`, `YYYY-MM` or `YYYY-MM-DD` period.
///
/// Bounds are clamped to the dates an index can hold (tantivy stores nanoseconds since 1970 in
/// an `i64`: from 1677-09-21 to 2262-04-11), so a far period (`9999-12-31`, whose next day does
/// not exist) gives an end that is open in practice rather than an overflow.
pub fn parse_period(text: &str) -> Option<(OffsetDateTime, OffsetDateTime)> {
    use time::{Date, Month};
    // Arabic digits and month names ("يونيو 2018", "٢٠١٨-٠٧") are read as their ISO form.
    let iso = super::arabic_dates::to_iso(text);
    let text = iso.as_deref().unwrap_or(text);
    let parts: Vec<&str> = text.trim().split(['-', '/']).collect();
    let number = |s: &str| s.parse::<i32>().ok();
    let start_of = |date: Date| clamp_to_index(date.midnight().assume_utc());
    // The start of the day after the period; past the last representable date, the latest one.
    let end_after = |last_day: Date| last_day.next_day().map_or_else(latest_indexable, start_of);
    let (from, last_day) = match parts.as_slice() {
        [year] if year.len() == 4 => {
            let year = number(year)?;
            let from = Date::from_calendar_date(year, Month::January, 1).ok()?;
            let last = Date::from_calendar_date(year, Month::December, 31).ok()?;
            (from, last)
        }
        [year, month] if year.len() == 4 => {
            let year = number(year)?;
            let month = Month::try_from(u8::try_from(number(month)?).ok()?).ok()?;
            let from = Date::from_calendar_date(year, month, 1).ok()?;
            let last = Date::from_calendar_date(year, month, month.length(year)).ok()?;
            (from, last)
        }
        [year, month, day] if year.len() == 4 => {
            let month = Month::try_from(u8::try_from(number(month)?).ok()?).ok()?;
            let day = u8::try_from(number(day)?).ok()?;
            let from = Date::from_calendar_date(number(year)?, month, day).ok()?;
            (from, from)
        }
        _ => return None,
    };
    Some((start_of(from), end_after(last_day)))
}

/// The earliest date an index can hold.
fn earliest_indexable() -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(i64::MIN / 1_000_000_000 + 1)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// The latest date an index can hold.
fn latest_indexable() -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(i64::MAX / 1_000_000_000 - 1)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

fn clamp_to_index(date: OffsetDateTime) -> OffsetDateTime {
    date.clamp(earliest_indexable(), latest_indexable())
}

/// `date:` values: a period, or `FROM..TO` with either side optional.
fn parse_date_filter(value: &str) -> Option<(Option<OffsetDateTime>, Option<OffsetDateTime>)> {
    if let Some((from, to)) = value.split_once("..") {
        let from = if from.is_empty() {
            None
        } else {
            Some(parse_period(from)?.0)
        };
        let to = if to.is_empty() {
            None
        } else {
            Some(parse_period(to)?.1)
        };
        return Some((from, to));
    }
    let (from, to) = parse_period(value)?;
    Some((Some(from), Some(to)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(text: &str) -> Node {
        Node::Word {
            text: text.to_owned(),
            prefix: false,
            title_only: false,
        }
    }

    #[test]
    fn words_phrases_and_operators() {
        let parsed = parse("بوتين «الاستقرار الاستراتيجي» -روسيا (جنيف OR فيينا) ستارت*");
        assert!(parsed.notes.is_empty());
        assert_eq!(
            parsed.nodes,
            vec![
                word("بوتين"),
                Node::Phrase {
                    text: "الاستقرار الاستراتيجي".into(),
                    title_only: false
                },
                Node::Not(Box::new(word("روسيا"))),
                Node::Or(vec![word("جنيف"), word("فيينا")]),
                Node::Word {
                    text: "ستارت".into(),
                    prefix: true,
                    title_only: false
                },
            ]
        );
    }

    #[test]
    fn a_date_range_without_either_bound_is_every_date() {
        let parsed = parse("date:..");
        assert_eq!(parsed.filters.dates, [(None, None)]);
        assert!(parsed.notes.is_empty(), "{:?}", parsed.notes);
        let parsed = parse("(date:.. OR date:2018)");
        assert!(parsed.filters.any_dates.contains(&(None, None)));
        // Excluded, it would exclude everything: dropped, with a note.
        let parsed = parse("-date:..");
        assert!(parsed.filters.not_dates.is_empty());
        assert!(parsed.notes.contains(&Note::EmptyFilter { filter: "date" }));
    }

    #[test]
    fn fields_and_operators_of_other_query_languages_are_said_to_be_words() {
        // `category:sport` and `بوتين~2` were read as words without a word of warning.
        let parsed = parse("category:sport بوتين");
        assert_eq!(
            parsed.notes,
            [Note::NotAField {
                field: "category".into()
            }]
        );
        assert_eq!(parsed.nodes.len(), 2);
        for (query, sign) in [("بوتين~2", '~'), ("بوتين^3", '^'), ("روسيا~", '~')] {
            assert_eq!(
                parse(query).notes,
                [Note::UnsupportedOperator { sign }],
                "{query}"
            );
        }
        // A time, a URL, a question mark at the end: nothing to say.
        for query in [
            "الساعة 16:30",
            "http://bbc.com بوتين",
            "بوتين؟",
            "ماذا قال بوتين?",
        ] {
            assert!(
                parse(query).notes.is_empty(),
                "{query}: {:?}",
                parse(query).notes
            );
        }
    }

    #[test]
    fn a_title_field_takes_a_group() {
        // `title:(…)` dropped the restriction ("title: without a value") and searched the
        // group everywhere.
        let parsed = parse("title:(بوتين OR \"قمة هلسنكي\") -روسيا");
        assert!(parsed.notes.is_empty(), "{:?}", parsed.notes);
        assert_eq!(
            parsed.nodes,
            vec![
                Node::Or(vec![
                    Node::Word {
                        text: "بوتين".into(),
                        prefix: false,
                        title_only: true
                    },
                    Node::Phrase {
                        text: "قمة هلسنكي".into(),
                        title_only: true
                    },
                ]),
                Node::Not(Box::new(word("روسيا"))),
            ]
        );
    }

    #[test]
    fn fields() {
        let parsed = parse("title:قمة source:BBC date:2018-06 title:\"قمة جنيف\"");
        assert_eq!(parsed.nodes.len(), 2);
        assert!(matches!(
            &parsed.nodes[0],
            Node::Word {
                title_only: true,
                ..
            }
        ));
        assert_eq!(parsed.filters.sources, ["BBC"]);
        assert!(matches!(parsed.filters.dates[..], [(Some(_), Some(_))]));
        assert!(parsed.notes.is_empty(), "{:?}", parsed.notes);
        assert!(matches!(
            &parsed.nodes[1],
            Node::Phrase {
                title_only: true,
                ..
            }
        ));
    }

    #[test]
    fn malformed_queries_get_a_reading_and_a_note() {
        let cases = [
            ("\"قمة جنيف", 1),
            ("(بوتين OR بايدن", 1),
            ("بوتين)", 1),
            ("OR بوتين", 1),
            ("بوتين OR", 1),
            ("date:yesterday بوتين", 1),
        ];
        for (query, notes) in cases {
            let parsed = parse(query);
            assert_eq!(parsed.notes.len(), notes, "{query}: {:?}", parsed.notes);
            assert!(!parsed.nodes.is_empty(), "{query}");
        }
        assert!(parse("  - OR ( ) \"\" ").nodes.is_empty());
    }

    #[test]
    fn lucene_operators_are_operators_and_other_words_stay_words() {
        let both = Node::Group(vec![word("بوتين"), word("ترامب")]);
        assert_eq!(parse("بوتين AND ترامب").nodes, vec![both.clone()]);
        assert_eq!(parse("بوتين && ترامب").nodes, vec![both]);
        let not_trump = Node::Not(Box::new(word("ترامب")));
        assert_eq!(
            parse("بوتين NOT ترامب").nodes,
            vec![word("بوتين"), not_trump.clone()]
        );
        assert_eq!(parse("بوتين !ترامب").nodes, vec![word("بوتين"), not_trump]);
        assert_eq!(
            parse("بوتين || ترامب").nodes,
            vec![Node::Or(vec![word("بوتين"), word("ترامب")])]
        );
        // AND binds tighter than OR.
        assert_eq!(
            parse("أ OR ب AND ج").nodes,
            vec![Node::Or(vec![
                word("أ"),
                Node::Group(vec![word("ب"), word("ج")])
            ])]
        );
        // Lower-case and Arabic words are words; a lone `!` is punctuation.
        for text in ["and", "not", "or", "و", "أو", "لا"] {
            assert_eq!(parse(text).nodes, vec![word(text)], "{text}");
        }
        assert_eq!(parse("جنيف !").nodes, vec![word("جنيف")]);
        let lone = parse("AND");
        assert!(lone.nodes.is_empty());
        assert_eq!(lone.notes.len(), 1);
    }

    #[test]
    fn filters_and_exclusions_joined_by_and_constrain_the_whole_query() {
        let parsed = parse("بوتين AND source:BBC");
        assert_eq!(parsed.nodes, vec![word("بوتين")]);
        assert_eq!(parsed.filters.sources, ["BBC"]);
        let parsed = parse("ترامب NOT بوتين AND NOT شي");
        assert_eq!(
            parsed.nodes,
            vec![
                word("ترامب"),
                Node::Not(Box::new(word("بوتين"))),
                Node::Not(Box::new(word("شي")))
            ]
        );
        let parsed = parse("(قمة -جنيف) date:2018");
        assert_eq!(parsed.nodes[0], word("قمة"));
        assert_eq!(parsed.nodes[1], Node::Not(Box::new(word("جنيف"))));
    }

    #[test]
    fn filters_anywhere_restrict_the_whole_query_and_say_so() {
        let parsed = parse("بوتين OR source:BBC");
        assert_eq!(parsed.nodes, vec![word("بوتين")]);
        assert_eq!(parsed.filters.sources, ["BBC"]);
        assert_eq!(parsed.notes, ["filters beside OR apply to the whole query"]);
        // Inside a required group, a filter restricts the whole query silently, as `AND` does.
        let parsed = parse("(قمة date:2018) جنيف");
        assert_eq!(parsed.nodes, vec![word("قمة"), word("جنيف")]);
        assert_eq!(parsed.filters.dates.len(), 1);
        assert!(parsed.notes.is_empty(), "{:?}", parsed.notes);
        // Dates joined by OR are alternatives.
        let parsed = parse("قمة (date:2018 OR date:2019)");
        assert!(parsed.filters.dates.is_empty());
        assert_eq!(parsed.filters.any_dates.len(), 2);
        let parsed = parse("date:2018 OR date:2019 قمة");
        assert_eq!(parsed.filters.any_dates.len(), 2);
        assert_eq!(parsed.nodes, vec![word("قمة")]);
        // An excluded filter excludes.
        for query in ["-source:BBC قمة", "NOT source:BBC قمة", "!source:BBC قمة"] {
            let parsed = parse(query);
            assert_eq!(parsed.nodes, vec![word("قمة")], "{query}");
            assert!(parsed.filters.sources.is_empty(), "{query}");
            assert_eq!(parsed.filters.not_sources, ["BBC"], "{query}");
            assert!(parsed.notes.is_empty(), "{query}: {:?}", parsed.notes);
        }
        let parsed = parse("قمة NOT date:2018-07");
        assert!(parsed.filters.dates.is_empty());
        assert_eq!(parsed.filters.not_dates.len(), 1);
    }

    #[test]
    fn a_bang_or_minus_before_a_closing_parenthesis_does_not_swallow_it() {
        let parsed = parse("(عاجل!) بوتين OR ترامب");
        assert!(parsed.notes.is_empty(), "{:?}", parsed.notes);
        assert_eq!(
            parsed.nodes,
            vec![word("عاجل"), Node::Or(vec![word("بوتين"), word("ترامب")])]
        );
        assert!(parse("(عاجل -) بوتين").notes.is_empty());
    }

    #[test]
    fn an_unclosed_quote_does_not_swallow_the_rest_of_the_query() {
        let parsed = parse("\"قمة هلسنكي (بوتين OR");
        assert_eq!(parsed.nodes[0], word("قمة"));
        assert_eq!(parsed.nodes[1], word("هلسنكي"));
        assert_eq!(parsed.nodes[2], word("بوتين"));
        assert!(parsed.notes.contains(&Note::UnclosedQuote));
    }

    #[test]
    fn hyphenated_words_are_not_negations() {
        assert_eq!(parse("covid-19").nodes, vec![word("covid-19")]);
        assert_eq!(parse("- بوتين").nodes, vec![word("بوتين")]);
    }
}
