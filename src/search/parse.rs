//! The query language typed into quorum's search box, parsed into a [`Query`] tree.
//!
//! tantivy's own `QueryParser` cannot serve quorum's users: `l'Organisation` is a syntax
//! error there, `contin*` becomes a term, and in `S/RES/2086 (2013)` the `(2013)` becomes a
//! group, so anything mentioning 2013 matches. This module reads what researchers,
//! translators and journalists actually type and leaves every word exactly as typed (case,
//! accents, apostrophes, Unicode form): the analysis chain normalizes later, and the search
//! builder turns the tree into tantivy queries.
//!
//! ```
//! use quorum::search::parse::{parse, FieldFilter, Node};
//!
//! let query = parse("lang:fr S/RES/2086 (2013) l’Organisation -Liban")?;
//! assert_eq!(
//!     query.root,
//!     Node::And(vec![
//!         Node::Field(FieldFilter::Lang("fr".into())),
//!         Node::Symbol("S/RES/2086 (2013)".into()),
//!         Node::Word("l’Organisation".into()),
//!         Node::Not(Box::new(Node::Word("Liban".into()))),
//!     ])
//! );
//!
//! let error = parse("\"maintien de la paix").unwrap_err();
//! assert_eq!(error.offset, 0);
//! assert!(error.to_string().starts_with("syntax error at column 1: unbalanced quote"));
//! # Ok::<(), quorum::search::parse::ParseError>(())
//! ```
//!
//! # The language
//!
//! | typed | parsed |
//! |---|---|
//! | `contingents`, `l'Organisation`, `peace-keeping`, `1,5` | [`Node::Word`], as typed |
//! | `"maintien de la paix"`, `“…”`, `« … »`, `„…“` | [`Node::Phrase`] (surrounding spaces trimmed) |
//! | `contin*` | [`Node::Prefix`] |
//! | `contingents~`, `sécurité~2` | [`Node::Fuzzy`], distance clamped to 1..=2 |
//! | `S/RES/2086 (2013)`, `A/69/767`, `E/CN.4/2005/L.1` | [`Node::Symbol`] |
//! | `résolution 2086 (2013)` | `résolution` and the phrase `2086 (2013)` |
//! | `lang:fr`, `type:`/`doc_type:`, `year:`, `symbol:`, `id:` | [`Node::Field`] |
//! | `a b`, `a AND b`, `a && b`, `+a +b` | [`Node::And`] |
//! | `a OR b`, `a \|\| b` | [`Node::Or`] |
//! | `-a`, `NOT a`, `-"a b"`, `-(a b)`, `-lang:en` | [`Node::Not`] |
//! | `(a OR b) c` | grouping |
//!
//! # Precedence
//!
//! `NOT`, `-` and `+` bind tightest, then AND (explicit `AND`/`&&` or mere adjacency, which
//! are the same operator), then `OR`. So `a b OR c d` is `(a AND b) OR (c AND d)`, and
//! `paix OR sécurité Afrique` is `paix OR (sécurité AND Afrique)`: write
//! `(paix OR sécurité) Afrique` to share `Afrique`. Nested ANDs and ORs are flattened, a
//! single-child AND or OR collapses to its child, `NOT NOT a` is `a`, and the children keep
//! the order they were typed in (the builder joins adjacent words such as `peace keeping`).
//! `AND`, `OR` and `NOT` are operators only in capitals: `and`, `or`, `not`, `et`, `ou`
//! are words.
//!
//! # Words
//!
//! A word runs up to whitespace (any Unicode white space, including the no-break spaces of
//! French typography) or one of `( ) " “ ” „ « »`. Non-alphanumeric characters at its edges
//! are stripped (`paix,` → `paix`, `U.N.` → `U.N`, `‘peace’` → `peace`, `<<paix>>` → `paix`)
//! but a trailing `*` or `~` is kept as an operator; characters inside stay (`S/25704/Add.1`,
//! `1,5`, `aujourd’hui`). A word with no letter or digit (`-`, `–`, `,`, `...`, `<<`, `*`) is
//! dropped silently. A word is a [`Node::Symbol`] when it contains `/`, its first part is 1
//! to 8 ASCII letters, and it has a digit or a known series part (`RES`, `PRST`, `PV`, …):
//! this keeps `HIV/AIDS`, `VIH/sida`, `and/or` and `km/h` words, which the brief's looser
//! "all-capital part" rule would not.
//!
//! # Leniency
//!
//! Lenient where the intent is obvious:
//! - a lone `-` or `+` (`peace - keeping`), an empty phrase `""` and punctuation-only words
//!   are dropped; input with nothing left gives [`Node::Empty`];
//! - several signs in a row (`--a`, `+-a`) count as one, and any `-` among them excludes;
//! - the word right after a sign is never an operator: `-NOT` excludes the word `NOT`;
//! - a parenthesized 4-digit year right after a word, number or symbol belongs to it:
//!   `S/RES/2086 (2013)` and `S/RES/2086(2013)` are both `Symbol("S/RES/2086 (2013)")`
//!   (spacing made canonical), `1353 (2001)` is `Phrase("1353 (2001)")`, and
//!   `symbol:S/RES/242 (1967)` is the field `S/RES/242 (1967)`;
//! - a field value may follow the colon after spaces (`lang: fr`, `symbol: "S/RES/242"`);
//! - an unknown `foo:bar` is the word `foo:bar` (colons occur in text: `udhr:article-1`);
//! - a proximity suffix after a phrase (`"a b"~3`) is accepted and ignored: phrases are exact;
//! - `-5` is `NOT 5`, as `-` always excludes at the start of a word.
//!
//! Strict, with a [`ParseError`] pointing at the culprit, where it is not: an unclosed quote,
//! an unbalanced `(` or `)`, an empty group `()` (or one with only punctuation inside),
//! `AND`/`OR` without a term on both sides, `NOT` without a term after it, a known field
//! with an empty or invalid value (`year:abc`, `lang:`, `year:1994..1990`), and more than
//! [`MAX_DEPTH`] nested groups or `NOT`s. No input makes [`parse`] panic.

use std::error::Error;
use std::fmt;

/// How deeply groups and `NOT`s may nest; deeper input is an error rather than a stack overflow.
pub const MAX_DEPTH: usize = 64;

/// A parsed query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// The query tree; [`Node::Empty`] when the input has nothing searchable (`""`, `"-"`).
    pub root: Node,
}

/// One node of the query tree. Every string is as typed: the analysis chain normalizes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// Nothing to search: only produced as the root of an input with no searchable content.
    Empty,
    /// A bare word, edge punctuation stripped (`l'Organisation`, `peace-keeping`, `1,5`).
    Word(String),
    /// The text between double quotes (straight, curly or guillemets), whitespace-trimmed;
    /// also a word or number with its parenthesized year (`2086 (2013)`).
    Phrase(String),
    /// A word with a trailing `*`, without the `*` (`contin*` → `contin`).
    Prefix(String),
    /// A word with a trailing `~` or `~N`; `distance` is in 1..=2.
    Fuzzy {
        /// The word without the `~N` suffix.
        word: String,
        /// The edit distance: 1 by default, clamped to 1..=2.
        distance: u8,
    },
    /// A UN document symbol with its optional year, `S/RES/2086 (2013)`.
    Symbol(String),
    /// A field filter such as `lang:fr` or `year:1990..1994`.
    Field(FieldFilter),
    /// All children must match; in the order typed, never nested, at least two.
    And(Vec<Node>),
    /// Any child may match; in the order typed, never nested, at least two.
    Or(Vec<Node>),
    /// Excludes its child; meaningful inside [`Node::And`], but a lone negation is kept
    /// and left to the builder. Never directly holds another `Not`.
    Not(Box<Node>),
}

/// A filter on a document's metadata, typed `name:value`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldFilter {
    /// `lang:fr`: the value as typed (letters, digits, `-` and `_`).
    Lang(String),
    /// `type:resolution` or `doc_type:resolution`.
    Type(String),
    /// `year:2015` (from = to), `year:1990..1994`, `year:1990-1994`, `year:>=1990`,
    /// `year:>1990`, `year:<=1994`, `year:<1994`, `year:[1990 TO 1994]`, `year:{1990 TO *]`;
    /// bounds are inclusive, `None` is open.
    Year {
        /// The first year included, if bounded.
        from: Option<i64>,
        /// The last year included, if bounded.
        to: Option<i64>,
    },
    /// `symbol:S/RES/242` or `symbol:"S/RES/242 (1967)"`.
    Symbol(String),
    /// `id:udhr:article-1`: a passage id, up to the next whitespace or quoted.
    Id(String),
}

/// What kind of mistake a [`ParseError`] reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// A phrase's opening quote has no closing quote; the offset is the opening quote.
    UnbalancedQuote,
    /// A `(` is never closed; the offset is that `(`.
    UnclosedParen,
    /// A `)` closes nothing; the offset is that `)`.
    UnopenedParen,
    /// A group has nothing searchable inside; the offset is its `(`.
    EmptyGroup,
    /// `AND`/`OR` lacks a term on one side or `NOT` lacks one after it; the offset is the operator.
    MissingOperand,
    /// A known field has an empty or invalid value; the offset is where the value starts.
    InvalidField,
    /// Groups or `NOT`s nest deeper than [`MAX_DEPTH`]; the offset is the one too many.
    TooDeep,
}

/// A query that cannot be parsed, with the byte offset of the problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// What kind of mistake this is.
    pub kind: ErrorKind,
    /// A sentence for the user, without the position.
    pub message: String,
    /// Byte offset into [`ParseError::input`], always on a char boundary and at most its length.
    pub offset: usize,
    /// The query as typed, echoed by [`fmt::Display`].
    pub input: String,
}

impl ParseError {
    fn new(kind: ErrorKind, message: impl Into<String>, offset: usize, input: &str) -> Self {
        ParseError {
            kind,
            message: message.into(),
            offset,
            input: input.to_string(),
        }
    }

    /// The 1-based column of the problem, counted in chars.
    pub fn column(&self) -> usize {
        self.input
            .get(..self.offset)
            .map_or(0, |before| before.chars().count())
            + 1
    }
}

impl fmt::Display for ParseError {
    /// `syntax error at column N: MESSAGE`, then the input, then a caret under column N.
    /// Control characters in the echoed input are shown as spaces so the caret stays aligned.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let column = self.column();
        writeln!(f, "syntax error at column {column}: {}", self.message)?;
        let echo: String = self
            .input
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        writeln!(f, "{echo}")?;
        write!(f, "{:>width$}", "^", width = column)
    }
}

impl Error for ParseError {}

/// Parses a query as typed in the search box. See the module documentation for the language.
pub fn parse(input: &str) -> Result<Query, ParseError> {
    let tokens = Lexer::new(input).run()?;
    let mut parser = Parser {
        input,
        tokens,
        pos: 0,
        depth: 0,
    };
    let root = parser.query()?;
    Ok(Query { root })
}

// ---------------------------------------------------------------------------------------
// Lexing: characters → tokens. Words, phrases and fields become finished nodes here.
// ---------------------------------------------------------------------------------------

#[derive(Debug)]
enum Tok {
    Atom(Node),
    LParen,
    RParen,
    And,
    Or,
    Not,
    Minus,
    Plus,
}

#[derive(Debug)]
struct Token {
    tok: Tok,
    /// Byte offset of the token's first character.
    offset: usize,
}

/// Characters that end a word besides whitespace.
const SEPARATORS: [char; 8] = ['(', ')', '"', '“', '”', '„', '«', '»'];

/// Series parts that make a slash-separated word a symbol even without a digit (`S/PRST`).
const SERIES: [&str; 12] = [
    "RES", "PRST", "PV", "INF", "AC", "CN", "CONF", "ES", "SR", "WG", "CRP", "REG",
];

fn is_separator(c: char) -> bool {
    c.is_whitespace() || SEPARATORS.contains(&c)
}

/// The quotes that may close a phrase opened by `open`, or `None` if `open` opens none.
/// Mixed straight and curly quotes are accepted, since word processors mix them.
fn closers(open: char) -> Option<&'static [char]> {
    match open {
        '"' => Some(&['"', '”']),
        '“' => Some(&['”', '"', '“']),
        '”' => Some(&['”', '"']),
        '„' => Some(&['“', '”', '"']),
        '«' => Some(&['»']),
        _ => None,
    }
}

fn has_alnum(s: &str) -> bool {
    s.chars().any(char::is_alphanumeric)
}

fn is_operator(s: &str) -> bool {
    matches!(s, "AND" | "&&" | "OR" | "||" | "NOT")
}

fn is_year(s: &str) -> bool {
    s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit())
}

#[derive(Debug, Clone, Copy)]
enum FieldName {
    Lang,
    Type,
    Year,
    Symbol,
    Id,
}

impl FieldName {
    fn from_name(name: &str) -> Option<FieldName> {
        let known = [
            ("lang", FieldName::Lang),
            ("type", FieldName::Type),
            ("doc_type", FieldName::Type),
            ("year", FieldName::Year),
            ("symbol", FieldName::Symbol),
            ("id", FieldName::Id),
        ];
        known
            .iter()
            .find(|(known, _)| known.eq_ignore_ascii_case(name))
            .map(|&(_, field)| field)
    }

    fn expects(self) -> &'static str {
        match self {
            FieldName::Lang => "lang: expects a language code such as fr or en",
            FieldName::Type => "type: expects a document type such as resolution",
            FieldName::Year => "year: expects a year such as 2015 or a range such as 1990..1994",
            FieldName::Symbol => "symbol: expects a document symbol such as S/RES/242",
            FieldName::Id => "id: expects a passage id such as udhr:article-1",
        }
    }
}

/// Whether `s` up to a `[` is a known field name and its colon (`year:`), so that a
/// bracketed range with spaces inside, `year:[1990 TO 1994]`, stays one word.
fn is_field_prefix(s: &str) -> bool {
    let s = s.trim_start_matches(['-', '+']);
    s.strip_suffix(':')
        .is_some_and(|name| FieldName::from_name(name).is_some())
}

struct Lexer<'a> {
    input: &'a str,
    pos: usize,
    tokens: Vec<Token>,
}

impl<'a> Lexer<'a> {
    fn new(input: &'a str) -> Self {
        Lexer {
            input,
            pos: 0,
            tokens: Vec::new(),
        }
    }

    fn char_at(&self, at: usize) -> Option<char> {
        self.input.get(at..).and_then(|rest| rest.chars().next())
    }

    fn push(&mut self, tok: Tok, offset: usize) {
        self.tokens.push(Token { tok, offset });
    }

    fn error(&self, kind: ErrorKind, message: impl Into<String>, offset: usize) -> ParseError {
        ParseError::new(kind, message, offset, self.input)
    }

    fn run(mut self) -> Result<Vec<Token>, ParseError> {
        while let Some(c) = self.char_at(self.pos) {
            let start = self.pos;
            if c.is_whitespace() || c == '»' {
                // A stray closing guillemet is punctuation, like `>>`.
                self.pos += c.len_utf8();
            } else if c == '(' {
                self.push(Tok::LParen, start);
                self.pos += 1;
            } else if c == ')' {
                self.push(Tok::RParen, start);
                self.pos += 1;
            } else if closers(c).is_some() {
                self.phrase(start)?;
            } else {
                self.word(start)?;
            }
        }
        Ok(self.tokens)
    }

    /// Scans the phrase whose opening quote is at `start`: returns its content and the
    /// offset after the closing quote.
    fn scan_phrase(&self, start: usize) -> Result<(&'a str, usize), ParseError> {
        let input = self.input;
        let unbalanced = || {
            self.error(
                ErrorKind::UnbalancedQuote,
                "unbalanced quote: a phrase opened here is not closed",
                start,
            )
        };
        let open = self.char_at(start).ok_or_else(unbalanced)?;
        let close_set = closers(open).ok_or_else(unbalanced)?;
        let body = start + open.len_utf8();
        let (len, close) = input[body..]
            .char_indices()
            .find(|(_, c)| close_set.contains(c))
            .ok_or_else(unbalanced)?;
        Ok((&input[body..body + len], body + len + close.len_utf8()))
    }

    fn phrase(&mut self, start: usize) -> Result<(), ParseError> {
        let (content, mut end) = self.scan_phrase(start)?;
        // Lucene's proximity suffix `"a b"~3` is accepted and ignored: phrases are exact.
        if self.char_at(end) == Some('~') {
            end += 1;
            end += self.input[end..]
                .bytes()
                .take_while(|b| b.is_ascii_digit() || *b == b'.')
                .count();
        }
        self.pos = end;
        let content = content.trim();
        if has_alnum(content) {
            self.push(Tok::Atom(Node::Phrase(content.to_string())), start);
        } else if let Some(Token {
            tok: Tok::Minus | Tok::Plus,
            offset,
        }) = self.tokens.last()
        {
            // An empty phrase is dropped, and with it a sign glued to it (`-""`).
            if *offset + 1 == start {
                self.tokens.pop();
            }
        }
        Ok(())
    }

    /// The end of the word starting at `start`.
    fn scan_word(&self, start: usize) -> usize {
        let input = self.input;
        let mut i = start;
        while let Some(c) = self.char_at(i) {
            if is_separator(c) {
                break;
            }
            if (c == '[' || c == '{') && is_field_prefix(&input[start..i]) {
                if let Some(close) = input[i..].find([']', '}']) {
                    i += close + 1;
                    continue;
                }
            }
            i += c.len_utf8();
        }
        i
    }

    fn word(&mut self, start: usize) -> Result<(), ParseError> {
        let end = self.scan_word(start);
        self.pos = end;
        let input = self.input;
        let raw = &input[start..end];
        let unsigned = raw.trim_start_matches(['-', '+']);
        let signs = raw.len() - unsigned.len();
        if signs > 0 {
            let sign = if raw[..signs].contains('-') {
                Tok::Minus
            } else {
                Tok::Plus
            };
            if unsigned.is_empty() {
                // A lone sign excludes or requires a group or phrase glued to it;
                // otherwise it is punctuation (`peace - keeping`).
                let next = self.char_at(end);
                if next == Some('(') || next.and_then(closers).is_some() {
                    // At the last sign, so that `phrase` sees it glued to the quote.
                    self.push(sign, end - 1);
                }
                return Ok(());
            }
            if !has_alnum(unsigned) {
                return Ok(());
            }
            self.push(sign, start);
        }
        let word_start = start + signs;
        if signs == 0 {
            let op = match unsigned {
                "AND" | "&&" => Some(Tok::And),
                "OR" | "||" => Some(Tok::Or),
                "NOT" => Some(Tok::Not),
                _ => None,
            };
            if let Some(op) = op {
                self.push(op, word_start);
                return Ok(());
            }
        }
        if let Some(node) = self.field(word_start, unsigned)? {
            self.push(Tok::Atom(node), word_start);
        } else if let Some(node) = classify_word(unsigned) {
            self.push(Tok::Atom(node), word_start);
        }
        Ok(())
    }

    /// A field filter if `raw` (starting at `start`) is `name:value` with a known name.
    /// May consume a value after the colon's word (a quoted value, or one after spaces).
    fn field(&mut self, start: usize, raw: &'a str) -> Result<Option<Node>, ParseError> {
        let Some(colon) = raw.find(':') else {
            return Ok(None);
        };
        let Some(name) = FieldName::from_name(&raw[..colon]) else {
            return Ok(None);
        };
        let mut value = &raw[colon + 1..];
        let mut value_start = start + colon + 1;
        let mut quoted = false;
        if value.is_empty() {
            // The value is glued in quotes (`symbol:"S/RES/242 (1967)"`) or, leniently,
            // follows spaces (`lang: fr`).
            let next = self.input[self.pos..]
                .char_indices()
                .find(|(_, c)| !c.is_whitespace());
            if let Some((skip, c)) = next {
                let at = self.pos + skip;
                if closers(c).is_some() {
                    let (content, end) = self.scan_phrase(at)?;
                    (value, value_start, quoted) = (content.trim(), at, true);
                    self.pos = end;
                } else if !is_separator(c) {
                    let end = if c == '[' || c == '{' {
                        self.input[at..]
                            .find([']', '}'])
                            .map_or_else(|| self.scan_word(at), |close| at + close + 1)
                    } else {
                        self.scan_word(at)
                    };
                    let candidate = &self.input[at..end];
                    if !is_operator(candidate) {
                        (value, value_start) = (candidate, at);
                        self.pos = end;
                    }
                }
            }
        }
        let invalid = || self.error(ErrorKind::InvalidField, name.expects(), value_start);
        let bare = |v: &'a str| {
            if quoted {
                v
            } else {
                v.trim_end_matches(|c: char| !c.is_alphanumeric())
            }
        };
        let filter = match name {
            FieldName::Lang | FieldName::Type => {
                let v = value.trim_matches(|c: char| !c.is_alphanumeric());
                let valid = |c: char| c.is_alphanumeric() || c == '-' || c == '_';
                if v.is_empty() || !v.chars().all(valid) {
                    return Err(invalid());
                }
                match name {
                    FieldName::Lang => FieldFilter::Lang(v.to_string()),
                    _ => FieldFilter::Type(v.to_string()),
                }
            }
            FieldName::Year => {
                // Sentence punctuation after the value goes, but not the `..` of `1990..`.
                let v = value.trim().trim_end_matches([',', ';', '!', '?', ':']);
                let v = match v.strip_suffix('.') {
                    Some(rest) if !rest.ends_with('.') => rest,
                    _ => v,
                };
                let (from, to) = parse_year(v).ok_or_else(invalid)?;
                if let (Some(from), Some(to)) = (from, to) {
                    if from > to {
                        return Err(self.error(
                            ErrorKind::InvalidField,
                            format!(
                                "year: the range {v} is empty, its first year is after its last"
                            ),
                            value_start,
                        ));
                    }
                }
                FieldFilter::Year { from, to }
            }
            FieldName::Symbol => {
                let v = bare(value);
                if !has_alnum(v) {
                    return Err(invalid());
                }
                FieldFilter::Symbol(v.to_string())
            }
            FieldName::Id => {
                let v = if quoted {
                    value
                } else {
                    value.trim_end_matches([',', ';', '.', '!', '?', ':'])
                };
                if !has_alnum(v) {
                    return Err(invalid());
                }
                FieldFilter::Id(v.to_string())
            }
        };
        Ok(Some(Node::Field(filter)))
    }
}

/// Parses a `year:` value into inclusive bounds, `None` when it is not one.
fn parse_year(v: &str) -> Option<(Option<i64>, Option<i64>)> {
    // Up to 4 digits: a year, and small enough that ±1 for exclusive bounds cannot overflow.
    let year = |s: &str| -> Option<i64> {
        let s = s.trim();
        if s.is_empty() || s.len() > 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        s.parse().ok()
    };
    let open_or_year = |s: &str| -> Option<Option<i64>> {
        match s.trim() {
            "" | "*" => Some(None),
            s => year(s).map(Some),
        }
    };
    if let Some(inner) = v.strip_prefix(['[', '{']) {
        let exclusive_from = v.starts_with('{');
        let exclusive_to = inner.ends_with('}');
        let inner = inner.strip_suffix([']', '}'])?;
        let parts: Vec<&str> = inner.split_whitespace().collect();
        let [from, to_kw, to] = parts.as_slice() else {
            return None;
        };
        if !to_kw.eq_ignore_ascii_case("TO") {
            return None;
        }
        let from = open_or_year(from)?.map(|y| y + i64::from(exclusive_from));
        let to = open_or_year(to)?.map(|y| y - i64::from(exclusive_to));
        return Some((from, to));
    }
    if let Some(rest) = v.strip_prefix(">=") {
        return Some((Some(year(rest)?), None));
    }
    if let Some(rest) = v.strip_prefix("<=") {
        return Some((None, Some(year(rest)?)));
    }
    if let Some(rest) = v.strip_prefix('>') {
        return Some((Some(year(rest)? + 1), None));
    }
    if let Some(rest) = v.strip_prefix('<') {
        return Some((None, Some(year(rest)? - 1)));
    }
    if let Some((from, to)) = v.split_once("..") {
        let (from, to) = (open_or_year(from)?, open_or_year(to)?);
        if from.is_none() && to.is_none() {
            return None;
        }
        return Some((from, to));
    }
    if let Some((from, to)) = v.split_once(['-', '–']) {
        return Some((Some(year(from)?), Some(year(to)?)));
    }
    let y = year(v)?;
    Some((Some(y), Some(y)))
}

/// Turns a bare word into a word, prefix, fuzzy or symbol node; `None` if it is only
/// punctuation. `raw` has no leading sign.
fn classify_word(raw: &str) -> Option<Node> {
    let w = raw
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .trim_end_matches(|c: char| !c.is_alphanumeric() && c != '*' && c != '~');
    if !has_alnum(w) {
        return None;
    }
    if let Some(stem) = w.strip_suffix('*') {
        let stem = stem.trim_end_matches('*');
        return has_alnum(stem).then(|| Node::Prefix(stem.to_string()));
    }
    if let Some((stem, suffix)) = w.rsplit_once('~') {
        let stem = stem.trim_end_matches('~');
        if has_alnum(stem) {
            if let Some(distance) = fuzzy_distance(suffix) {
                return Some(Node::Fuzzy {
                    word: stem.to_string(),
                    distance,
                });
            }
        }
    }
    if is_symbol(w) {
        return Some(Node::Symbol(w.to_string()));
    }
    Some(Node::Word(w.to_string()))
}

/// The distance of a fuzzy suffix (what follows `~`): empty is 1, an integer is clamped
/// to 1..=2, and Lucene's old similarity fraction (`~0.8`) is 1. `None` if not a number.
fn fuzzy_distance(suffix: &str) -> Option<u8> {
    if suffix.is_empty() {
        return Some(1);
    }
    let (int, frac) = suffix.split_once('.').unwrap_or((suffix, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if int.is_empty() || !digits(int) || !digits(frac) || (suffix.contains('.') && frac.is_empty())
    {
        return None;
    }
    if suffix.contains('.') {
        return Some(1);
    }
    let n = int.trim_start_matches('0');
    Some(match n.len() {
        0 => 1,
        1 => n.parse::<u8>().map_or(2, |d| d.clamp(1, 2)),
        _ => 2,
    })
}

/// Whether a word is a UN document symbol: a `/`, a first part of 1 to 8 ASCII letters
/// (`S`, `A`, `E`, `ST`, `UNMIK`), no empty part, and a digit or a known series part.
fn is_symbol(w: &str) -> bool {
    let mut parts = w.split('/');
    let first = parts.next().unwrap_or("");
    if first.is_empty() || first.len() > 8 || !first.bytes().all(|b| b.is_ascii_alphabetic()) {
        return false;
    }
    let rest: Vec<&str> = parts.collect();
    if rest.is_empty() || rest.iter().any(|p| p.is_empty()) {
        return false;
    }
    w.bytes().any(|b| b.is_ascii_digit())
        || rest
            .iter()
            .any(|p| SERIES.iter().any(|s| s.eq_ignore_ascii_case(p)))
}

// ---------------------------------------------------------------------------------------
// Parsing: tokens → tree, by recursive descent.
//   query := or? EOF
//   or    := and (OR and)*
//   and   := unary ((AND)? unary)*
//   unary := (NOT | - | +) unary | '(' or ')' | atom ['(' YEAR ')']
// ---------------------------------------------------------------------------------------

struct Parser<'a> {
    input: &'a str,
    tokens: Vec<Token>,
    pos: usize,
    depth: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.tokens.get(self.pos).map(|t| &t.tok)
    }

    fn offset(&self) -> usize {
        self.tokens
            .get(self.pos)
            .map_or(self.input.len(), |t| t.offset)
    }

    fn error(&self, kind: ErrorKind, message: impl Into<String>, offset: usize) -> ParseError {
        ParseError::new(kind, message, offset, self.input)
    }

    /// Whether the next token can begin a term.
    fn starts_term(&self) -> bool {
        matches!(
            self.peek(),
            Some(Tok::Atom(_) | Tok::LParen | Tok::Not | Tok::Minus | Tok::Plus)
        )
    }

    /// The operator as typed at `offset` (`AND` or `&&`, `OR` or `||`), for messages.
    fn typed(&self, offset: usize) -> &str {
        let rest = &self.input[offset..];
        ["&&", "||", "AND", "OR", "NOT"]
            .into_iter()
            .find(|op| rest.starts_with(op))
            .unwrap_or("operator")
    }

    fn missing_operand(&self, offset: usize) -> ParseError {
        let op = self.typed(offset);
        let message = if op == "NOT" {
            "NOT needs a search term after it".to_string()
        } else {
            format!("{op} needs a search term on each side")
        };
        self.error(ErrorKind::MissingOperand, message, offset)
    }

    fn query(&mut self) -> Result<Node, ParseError> {
        if self.tokens.is_empty() {
            return Ok(Node::Empty);
        }
        let root = self.or()?;
        if self.pos < self.tokens.len() {
            // `or` stops only at a `)`: any other token would have continued it.
            return Err(self.error(
                ErrorKind::UnopenedParen,
                "unbalanced parenthesis: this ) has no matching (",
                self.offset(),
            ));
        }
        Ok(root)
    }

    fn or(&mut self) -> Result<Node, ParseError> {
        let mut children = vec![self.and()?];
        while let Some(Tok::Or) = self.peek() {
            let offset = self.offset();
            self.pos += 1;
            if !self.starts_term() {
                return Err(self.missing_operand(offset));
            }
            children.push(self.and()?);
        }
        Ok(join(children, Node::Or))
    }

    fn and(&mut self) -> Result<Node, ParseError> {
        let mut children = vec![self.unary()?];
        loop {
            match self.peek() {
                Some(Tok::And) => {
                    let offset = self.offset();
                    self.pos += 1;
                    if !self.starts_term() {
                        return Err(self.missing_operand(offset));
                    }
                }
                _ if self.starts_term() => {}
                _ => break,
            }
            children.push(self.unary()?);
        }
        Ok(join(children, Node::And))
    }

    fn unary(&mut self) -> Result<Node, ParseError> {
        let offset = self.offset();
        if self.depth >= MAX_DEPTH {
            return Err(self.error(
                ErrorKind::TooDeep,
                format!("too deeply nested: at most {MAX_DEPTH} levels of groups and NOT"),
                offset,
            ));
        }
        self.depth += 1;
        let node = self.unary_inner(offset);
        self.depth -= 1;
        node
    }

    fn unary_inner(&mut self, offset: usize) -> Result<Node, ParseError> {
        let Some(tok) = self.tokens.get_mut(self.pos).map(|t| &mut t.tok) else {
            // Callers check `starts_term` first, except at the very start of a group,
            // which `group` checks, and of a non-empty query; so this is unreachable,
            // but an error is safer than a panic.
            return Err(self.missing_operand(offset));
        };
        match tok {
            Tok::Not => {
                self.pos += 1;
                if !self.starts_term() {
                    return Err(self.missing_operand(offset));
                }
                Ok(negate(self.unary()?))
            }
            // The lexer emits a sign only right before a word, group or phrase.
            Tok::Minus => {
                self.pos += 1;
                Ok(negate(self.unary()?))
            }
            Tok::Plus => {
                self.pos += 1;
                self.unary()
            }
            Tok::LParen => self.group(offset),
            Tok::RParen => Err(self.error(
                ErrorKind::UnopenedParen,
                "unbalanced parenthesis: this ) has no matching (",
                offset,
            )),
            Tok::And | Tok::Or => Err(self.missing_operand(offset)),
            Tok::Atom(node) => {
                let node = std::mem::replace(node, Node::Empty);
                self.pos += 1;
                Ok(self.attach_year(node))
            }
        }
    }

    fn group(&mut self, open: usize) -> Result<Node, ParseError> {
        self.pos += 1;
        match self.peek() {
            None => {
                return Err(self.error(
                    ErrorKind::UnclosedParen,
                    "unbalanced parenthesis: this ( is not closed",
                    open,
                ))
            }
            Some(Tok::RParen) => {
                return Err(self.error(
                    ErrorKind::EmptyGroup,
                    "empty group: there is nothing to search between ( and )",
                    open,
                ))
            }
            Some(_) => {}
        }
        let inner = self.or()?;
        match self.peek() {
            Some(Tok::RParen) => {
                self.pos += 1;
                Ok(inner)
            }
            _ => Err(self.error(
                ErrorKind::UnclosedParen,
                "unbalanced parenthesis: this ( is not closed",
                open,
            )),
        }
    }

    /// Joins a parenthesized 4-digit year to the word, number or symbol just before it:
    /// `S/RES/2086 (2013)` is one symbol, `2086 (2013)` one phrase, not a group.
    fn attach_year(&mut self, node: Node) -> Node {
        let year = match self.tokens.get(self.pos..self.pos + 3) {
            Some(
                [Token {
                    tok: Tok::LParen, ..
                }, Token {
                    tok: Tok::Atom(Node::Word(year)),
                    ..
                }, Token {
                    tok: Tok::RParen, ..
                }],
            ) if is_year(year) => year.clone(),
            _ => return node,
        };
        let attached = match node {
            Node::Word(w) => Node::Phrase(format!("{w} ({year})")),
            Node::Symbol(s) => Node::Symbol(format!("{s} ({year})")),
            Node::Field(FieldFilter::Symbol(s)) => {
                Node::Field(FieldFilter::Symbol(format!("{s} ({year})")))
            }
            other => return other,
        };
        self.pos += 3;
        attached
    }
}

/// Builds an AND or OR of `children`, flattening nested ones of the same kind and
/// collapsing a single child.
fn join(children: Vec<Node>, make: fn(Vec<Node>) -> Node) -> Node {
    let mut flat = Vec::with_capacity(children.len());
    for child in children {
        match (make(Vec::new()), child) {
            (Node::And(_), Node::And(inner)) | (Node::Or(_), Node::Or(inner)) => flat.extend(inner),
            (_, child) => flat.push(child),
        }
    }
    if flat.len() == 1 {
        flat.pop().unwrap_or(Node::Empty)
    } else {
        make(flat)
    }
}

/// `NOT node`, with a double negation cancelled.
fn negate(node: Node) -> Node {
    match node {
        Node::Not(inner) => *inner,
        node => Node::Not(Box::new(node)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn w(s: &str) -> Node {
        Node::Word(s.into())
    }
    fn ph(s: &str) -> Node {
        Node::Phrase(s.into())
    }
    fn sym(s: &str) -> Node {
        Node::Symbol(s.into())
    }
    fn pre(s: &str) -> Node {
        Node::Prefix(s.into())
    }
    fn fz(s: &str, distance: u8) -> Node {
        Node::Fuzzy {
            word: s.into(),
            distance,
        }
    }
    fn not(n: Node) -> Node {
        Node::Not(Box::new(n))
    }
    fn and(v: Vec<Node>) -> Node {
        Node::And(v)
    }
    fn or(v: Vec<Node>) -> Node {
        Node::Or(v)
    }
    fn words(s: &str) -> Node {
        Node::And(s.split(' ').map(w).collect())
    }
    fn lang(s: &str) -> Node {
        Node::Field(FieldFilter::Lang(s.into()))
    }
    fn typ(s: &str) -> Node {
        Node::Field(FieldFilter::Type(s.into()))
    }
    fn year(from: Option<i64>, to: Option<i64>) -> Node {
        Node::Field(FieldFilter::Year { from, to })
    }
    fn fsym(s: &str) -> Node {
        Node::Field(FieldFilter::Symbol(s.into()))
    }
    fn id(s: &str) -> Node {
        Node::Field(FieldFilter::Id(s.into()))
    }

    fn check(rows: &[(&str, Node)]) {
        for (input, expected) in rows {
            match parse(input) {
                Ok(query) => assert_eq!(&query.root, expected, "input: {input:?}"),
                Err(e) => panic!("input {input:?}: unexpected error\n{e}"),
            }
        }
    }

    fn check_errors(rows: &[(&str, usize, ErrorKind, &str)]) {
        for &(input, offset, kind, fragment) in rows {
            match parse(input) {
                Ok(query) => panic!("input {input:?}: expected an error, got {query:?}"),
                Err(e) => {
                    assert_eq!(e.offset, offset, "offset for {input:?}: {e}");
                    assert_eq!(e.kind, kind, "kind for {input:?}: {e}");
                    assert!(
                        e.message.contains(fragment),
                        "message for {input:?} lacks {fragment:?}: {e}"
                    );
                }
            }
        }
    }

    #[test]
    fn bare_words() {
        check(&[
            ("contingents", w("contingents")),
            (
                "pays fournisseurs de contingents",
                words("pays fournisseurs de contingents"),
            ),
            ("l’Organisation", w("l’Organisation")),
            ("l'Organisation", w("l'Organisation")),
            ("lʼOrganisation", w("lʼOrganisation")),
            ("aujourd'hui", w("aujourd'hui")),
            ("aujourd’hui", w("aujourd’hui")),
            ("peace-keeping", w("peace-keeping")),
            ("e-mail", w("e-mail")),
            (
                "peace keeping operations",
                words("peace keeping operations"),
            ),
            ("protection of civilians", words("protection of civilians")),
            (
                "apartheid in South Africa",
                words("apartheid in South Africa"),
            ),
            ("CONSEIL DE SÉCURITÉ", words("CONSEIL DE SÉCURITÉ")),
            ("Côte d’Ivoire", words("Côte d’Ivoire")),
            ("7453e séance", words("7453e séance")),
            ("11 240", words("11 240")),
            ("11\u{a0}240", words("11 240")),
            ("11\u{202f}240", words("11 240")),
            ("1,5 million", words("1,5 million")),
            ("U.N.", w("U.N")),
            ("paix, sécurité.", words("paix sécurité")),
            ("Note : texte", words("Note texte")),
            ("Note: texte", words("Note texte")),
            ("‘peace’", w("peace")),
            ("States’", w("States")),
            ("<< paix >>", w("paix")),
            ("<<paix>>", w("paix")),
            ("paix – sécurité ... , ;", words("paix sécurité")),
            ("peace - keeping", words("peace keeping")),
            ("and or not et ou", words("and or not et ou")),
            ("And Or Not", words("And Or Not")),
            ("udhr:article-1", w("udhr:article-1")),
            ("foo:bar", w("foo:bar")),
            ("HIV/AIDS", w("HIV/AIDS")),
            ("VIH/sida", w("VIH/sida")),
            ("and/or", w("and/or")),
            ("12/05/2013", w("12/05/2013")),
            ("Conseil»", w("Conseil")),
            ("", Node::Empty),
            ("   ", Node::Empty),
            ("-", Node::Empty),
            ("+", Node::Empty),
            ("- + -- ...", Node::Empty),
            ("*", Node::Empty),
            ("\"\"", Node::Empty),
            ("-\"\"", Node::Empty),
            ("--\"\" paix", w("paix")),
            ("« »", Node::Empty),
            ("\t\n paix\r\n", w("paix")),
        ]);
    }

    #[test]
    fn prefixes_and_fuzzy() {
        check(&[
            ("contin*", pre("contin")),
            ("contin**", pre("contin")),
            ("contin*,", pre("contin")),
            ("S/RES/20*", pre("S/RES/20")),
            ("*contin", w("contin")),
            ("co*tin", w("co*tin")),
            ("contingents~", fz("contingents", 1)),
            ("sécurité~2", fz("sécurité", 2)),
            ("sécurité~2.", fz("sécurité", 2)),
            ("sécurité~0", fz("sécurité", 1)),
            ("sécurité~1", fz("sécurité", 1)),
            ("sécurité~9", fz("sécurité", 2)),
            ("sécurité~99999999999999999999", fz("sécurité", 2)),
            ("sécurité~0.8", fz("sécurité", 1)),
            ("foo~bar", w("foo~bar")),
            ("~", Node::Empty),
            ("-contin*", not(pre("contin"))),
        ]);
    }

    #[test]
    fn phrases() {
        check(&[
            ("\"maintien de la paix\"", ph("maintien de la paix")),
            ("“maintien de la paix”", ph("maintien de la paix")),
            ("« maintien de la paix »", ph("maintien de la paix")),
            ("«maintien de la paix»", ph("maintien de la paix")),
            ("„maintien de la paix“", ph("maintien de la paix")),
            ("”maintien de la paix”", ph("maintien de la paix")),
            ("\"mixed quotes”", ph("mixed quotes")),
            ("\"peacekeeping operations\"", ph("peacekeeping operations")),
            ("\"S/RES/242 (1967)\"", ph("S/RES/242 (1967)")),
            ("\"a (b) c\" d", and(vec![ph("a (b) c"), w("d")])),
            ("\"paix AND sécurité\"", ph("paix AND sécurité")),
            ("\"maintien de la paix\"~3", ph("maintien de la paix")),
            ("l'\"ONU\"", and(vec![w("l"), ph("ONU")])),
            ("\"a\"\"b\"", and(vec![ph("a"), ph("b")])),
            ("-\"maintien de la paix\"", not(ph("maintien de la paix"))),
            ("+\"paix\"", ph("paix")),
            ("«  Côte d’Ivoire  »", ph("Côte d’Ivoire")),
        ]);
    }

    #[test]
    fn symbols() {
        check(&[
            ("S/PRST/2001/3", sym("S/PRST/2001/3")),
            ("S/RES/2086 (2013)", sym("S/RES/2086 (2013)")),
            ("S/RES/2086(2013)", sym("S/RES/2086 (2013)")),
            ("S/RES/2086   ( 2013 )", sym("S/RES/2086 (2013)")),
            ("S/RES/2086", sym("S/RES/2086")),
            ("A/69/767", sym("A/69/767")),
            ("S/2015/129", sym("S/2015/129")),
            ("A/RES/70/1", sym("A/RES/70/1")),
            ("S/25704/Add.1", sym("S/25704/Add.1")),
            ("S/25704/Add.1.", sym("S/25704/Add.1")),
            ("E/CN.4/2005/L.1", sym("E/CN.4/2005/L.1")),
            ("UNMIK/REG/1999/1", sym("UNMIK/REG/1999/1")),
            ("S/PRST", sym("S/PRST")),
            ("s/res/242", sym("s/res/242")),
            ("(S/RES/242)", sym("S/RES/242")),
            ("-S/RES/2086 (2013)", not(sym("S/RES/2086 (2013)"))),
            (
                "résolution 2086 (2013)",
                and(vec![w("résolution"), ph("2086 (2013)")]),
            ),
            ("1353 (2001)", ph("1353 (2001)")),
            ("rapport (2013)", ph("rapport (2013)")),
            (
                "S/RES/2086 (2013) (2014)",
                and(vec![sym("S/RES/2086 (2013)"), w("2014")]),
            ),
            ("S/RES/2086 (13)", and(vec![sym("S/RES/2086"), w("13")])),
            (
                "S/RES/2086 (2013 OR 2014)",
                and(vec![sym("S/RES/2086"), or(vec![w("2013"), w("2014")])]),
            ),
            (
                "S/RES/2086 AND (2013)",
                and(vec![sym("S/RES/2086"), w("2013")]),
            ),
            ("\"paix\" (2013)", and(vec![ph("paix"), w("2013")])),
            ("(2013)", w("2013")),
            ("contin* (2013)", and(vec![pre("contin"), w("2013")])),
        ]);
    }

    #[test]
    fn fields() {
        check(&[
            ("lang:fr opérations", and(vec![lang("fr"), w("opérations")])),
            ("LANG:FR", lang("FR")),
            ("lang: fr", lang("fr")),
            ("lang:\"en\"", lang("en")),
            (
                "type:resolution Namibia",
                and(vec![typ("resolution"), w("Namibia")]),
            ),
            ("doc_type:resolution", typ("resolution")),
            (
                "Doc_Type:presidential_statement",
                typ("presidential_statement"),
            ),
            ("year:1967", year(Some(1967), Some(1967))),
            ("year:1990..1994", year(Some(1990), Some(1994))),
            ("year:1990-1994", year(Some(1990), Some(1994))),
            ("year:1990–1994", year(Some(1990), Some(1994))),
            ("year:1990..", year(Some(1990), None)),
            ("year:..1994", year(None, Some(1994))),
            ("year:>=1990", year(Some(1990), None)),
            ("year:>1990", year(Some(1991), None)),
            ("year:<=1994", year(None, Some(1994))),
            ("year:<1994", year(None, Some(1993))),
            ("year:[1990 TO 1994]", year(Some(1990), Some(1994))),
            (
                "year:[1990 to 1994] paix",
                and(vec![year(Some(1990), Some(1994)), w("paix")]),
            ),
            ("year:{1990 TO 1994}", year(Some(1991), Some(1993))),
            ("year:[1990 TO *]", year(Some(1990), None)),
            ("year: [1990 TO 1994]", year(Some(1990), Some(1994))),
            ("year:\"1990..1994\"", year(Some(1990), Some(1994))),
            ("year:1994,", year(Some(1994), Some(1994))),
            ("symbol:S/RES/242", fsym("S/RES/242")),
            ("symbol:\"S/RES/242 (1967)\"", fsym("S/RES/242 (1967)")),
            ("symbol:S/RES/242 (1967)", fsym("S/RES/242 (1967)")),
            ("symbol: S/RES/242", fsym("S/RES/242")),
            ("symbol:S/RES/242.", fsym("S/RES/242")),
            ("id:udhr:article-1", id("udhr:article-1")),
            ("id:\"udhr:article 1\"", id("udhr:article 1")),
            (
                "id:udhr:article-1, paix",
                and(vec![id("udhr:article-1"), w("paix")]),
            ),
            ("-lang:en", not(lang("en"))),
            ("+year:1990", year(Some(1990), Some(1990))),
            (
                "lang:fr type:resolution year:1990..1994 Namibie",
                and(vec![
                    lang("fr"),
                    typ("resolution"),
                    year(Some(1990), Some(1994)),
                    w("Namibie"),
                ]),
            ),
            (
                "(lang:fr OR lang:en) paix",
                and(vec![or(vec![lang("fr"), lang("en")]), w("paix")]),
            ),
        ]);
    }

    #[test]
    fn operators() {
        check(&[
            (
                "opérations -Liban",
                and(vec![w("opérations"), not(w("Liban"))]),
            ),
            ("+paix +sécurité", words("paix sécurité")),
            ("paix AND sécurité", words("paix sécurité")),
            ("paix && sécurité", words("paix sécurité")),
            ("paix OR sécurité", or(vec![w("paix"), w("sécurité")])),
            ("paix || sécurité", or(vec![w("paix"), w("sécurité")])),
            ("NOT Liban", not(w("Liban"))),
            ("-Liban", not(w("Liban"))),
            ("paix NOT Liban", and(vec![w("paix"), not(w("Liban"))])),
            ("paix AND NOT Liban", and(vec![w("paix"), not(w("Liban"))])),
            ("paix OR NOT Liban", or(vec![w("paix"), not(w("Liban"))])),
            ("NOT NOT Liban", w("Liban")),
            ("NOT -Liban", w("Liban")),
            ("--Liban", not(w("Liban"))),
            ("+-Liban", not(w("Liban"))),
            ("-5", not(w("5"))),
            ("-NOT", not(w("NOT"))),
            ("+AND", w("AND")),
            (
                "-(paix OR sécurité)",
                not(or(vec![w("paix"), w("sécurité")])),
            ),
            ("NOT (paix sécurité)", not(words("paix sécurité"))),
            ("- paix", w("paix")),
            ("paix -", w("paix")),
            ("-->", Node::Empty),
            ("(paix) (sécurité)", words("paix sécurité")),
            ("((paix))", w("paix")),
            ("(-Liban)", not(w("Liban"))),
        ]);
    }

    #[test]
    fn precedence() {
        check(&[
            (
                "(paix OR sécurité) AND Afrique",
                and(vec![or(vec![w("paix"), w("sécurité")]), w("Afrique")]),
            ),
            ("a b OR c d", or(vec![words("a b"), words("c d")])),
            (
                "paix OR sécurité Afrique",
                or(vec![w("paix"), words("sécurité Afrique")]),
            ),
            ("a AND b c AND d", words("a b c d")),
            ("a OR b OR c", or(vec![w("a"), w("b"), w("c")])),
            ("a OR (b OR c)", or(vec![w("a"), w("b"), w("c")])),
            ("a (b c) d", words("a b c d")),
            (
                "a (b OR c) d",
                and(vec![w("a"), or(vec![w("b"), w("c")]), w("d")]),
            ),
            (
                "-a b OR c -d",
                or(vec![
                    and(vec![not(w("a")), w("b")]),
                    and(vec![w("c"), not(w("d"))]),
                ]),
            ),
            ("NOT a OR b", or(vec![not(w("a")), w("b")])),
            (
                "a AND (b OR c) AND -d",
                and(vec![w("a"), or(vec![w("b"), w("c")]), not(w("d"))]),
            ),
        ]);
    }

    #[test]
    fn errors() {
        use ErrorKind::*;
        check_errors(&[
            (
                "\"unbalanced",
                0,
                UnbalancedQuote,
                "unbalanced quote: a phrase opened here is not closed",
            ),
            ("paix \"maintien", 5, UnbalancedQuote, "not closed"),
            ("« paix", 0, UnbalancedQuote, "not closed"),
            ("é \"", 3, UnbalancedQuote, "not closed"),
            ("-\"paix", 1, UnbalancedQuote, "not closed"),
            ("((paix)", 0, UnclosedParen, "this ( is not closed"),
            ("(paix", 0, UnclosedParen, "this ( is not closed"),
            ("paix (", 5, UnclosedParen, "this ( is not closed"),
            ("paix)", 4, UnopenedParen, "this ) has no matching ("),
            (")", 0, UnopenedParen, "no matching"),
            ("(a))", 3, UnopenedParen, "no matching"),
            ("()", 0, EmptyGroup, "empty group"),
            ("paix ( )", 5, EmptyGroup, "empty group"),
            ("( - , )", 0, EmptyGroup, "empty group"),
            (
                "AND",
                0,
                MissingOperand,
                "AND needs a search term on each side",
            ),
            ("OR", 0, MissingOperand, "OR needs"),
            ("&&", 0, MissingOperand, "&& needs"),
            ("AND paix", 0, MissingOperand, "AND needs"),
            ("paix AND", 5, MissingOperand, "AND needs"),
            ("paix OR", 5, MissingOperand, "OR needs"),
            ("paix ||", 5, MissingOperand, "|| needs"),
            ("paix AND AND sécurité", 5, MissingOperand, "AND needs"),
            ("paix OR OR sécurité", 5, MissingOperand, "OR needs"),
            ("paix AND OR sécurité", 5, MissingOperand, "AND needs"),
            ("(paix AND) sécurité", 6, MissingOperand, "AND needs"),
            ("paix AND -", 5, MissingOperand, "AND needs"),
            ("NOT", 0, MissingOperand, "NOT needs a search term after it"),
            ("paix NOT", 5, MissingOperand, "NOT needs"),
            ("NOT AND paix", 0, MissingOperand, "NOT needs"),
            ("(NOT)", 1, MissingOperand, "NOT needs"),
            (
                "year:abc",
                5,
                InvalidField,
                "year: expects a year such as 2015 or a range such as 1990..1994",
            ),
            ("year:", 5, InvalidField, "year: expects"),
            ("year:19900", 5, InvalidField, "year: expects"),
            ("year:..", 5, InvalidField, "year: expects"),
            (
                "year:1994..1990",
                5,
                InvalidField,
                "range 1994..1990 is empty",
            ),
            ("year:[1990 TO 1994", 5, InvalidField, "year: expects"),
            ("year:[1990 1994]", 5, InvalidField, "year: expects"),
            ("year:>=", 5, InvalidField, "year: expects"),
            ("YEAR:abc", 5, InvalidField, "year: expects"),
            ("paix year:", 10, InvalidField, "year: expects"),
            ("year: AND paix", 5, InvalidField, "year: expects"),
            ("lang:", 5, InvalidField, "lang: expects a language code"),
            ("lang:(fr)", 5, InvalidField, "lang: expects"),
            ("lang:fr/en", 5, InvalidField, "lang: expects"),
            ("type:", 5, InvalidField, "type: expects"),
            ("doc_type:", 9, InvalidField, "type: expects"),
            ("symbol:", 7, InvalidField, "symbol: expects"),
            ("symbol:\"\"", 7, InvalidField, "symbol: expects"),
            ("symbol:\"S/RES", 7, UnbalancedQuote, "not closed"),
            ("id:", 3, InvalidField, "id: expects"),
            ("id: ,", 4, InvalidField, "id: expects"),
        ]);
    }

    #[test]
    fn nesting_is_bounded() {
        let deep = format!("{}paix{}", "(".repeat(100_000), ")".repeat(100_000));
        let e = parse(&deep).unwrap_err();
        assert_eq!((e.kind, e.offset), (ErrorKind::TooDeep, MAX_DEPTH));
        let nots = "NOT ".repeat(100_000) + "paix";
        assert_eq!(parse(&nots).unwrap_err().kind, ErrorKind::TooDeep);
        let ok = format!(
            "{}paix{}",
            "(".repeat(MAX_DEPTH - 1),
            ")".repeat(MAX_DEPTH - 1)
        );
        assert_eq!(parse(&ok).map(|q| q.root), Ok(w("paix")));
    }

    #[test]
    fn error_display() {
        let rows = [
            (
                "paix AND",
                "syntax error at column 6: AND needs a search term on each side\npaix AND\n     ^",
            ),
            (
                "sécurité \"paix",
                "syntax error at column 10: unbalanced quote: a phrase opened here is not closed\nsécurité \"paix\n         ^",
            ),
            (
                "lang:",
                "syntax error at column 6: lang: expects a language code such as fr or en\nlang:\n     ^",
            ),
            (
                "a\tb )",
                "syntax error at column 5: unbalanced parenthesis: this ) has no matching (\na b )\n    ^",
            ),
        ];
        for (input, expected) in rows {
            let e = parse(input).unwrap_err();
            assert_eq!(e.to_string(), expected, "input: {input:?}");
        }
        let boxed: Box<dyn Error> = Box::new(parse("()").unwrap_err());
        assert!(boxed.to_string().contains("empty group"));
    }

    /// Invariants every successful parse keeps.
    fn well_formed(node: &Node, root: bool) {
        match node {
            Node::Empty => assert!(root, "Empty below the root"),
            Node::Word(s) | Node::Prefix(s) | Node::Symbol(s) => {
                assert!(has_alnum(s), "{node:?}");
                assert!(
                    !s.contains(char::is_whitespace) || s.contains(" ("),
                    "{node:?}"
                );
            }
            Node::Phrase(s) => assert!(has_alnum(s) && s.trim() == s, "{node:?}"),
            Node::Fuzzy { word, distance } => {
                assert!(has_alnum(word) && (1..=2).contains(distance), "{node:?}")
            }
            Node::Field(FieldFilter::Year { from, to }) => {
                assert!(from.is_some() || to.is_some());
                if let (Some(f), Some(t)) = (from, to) {
                    assert!(f <= t);
                }
            }
            Node::Field(_) => {}
            Node::And(children) | Node::Or(children) => {
                assert!(children.len() >= 2, "{node:?}");
                for child in children {
                    assert!(
                        std::mem::discriminant(child) != std::mem::discriminant(node),
                        "not flattened: {node:?}"
                    );
                    well_formed(child, false);
                }
            }
            Node::Not(inner) => {
                assert!(!matches!(**inner, Node::Not(_)), "{node:?}");
                well_formed(inner, false);
            }
        }
    }

    /// Strings made of the characters the grammar cares about, so that the property
    /// tests reach the interesting paths more often than uniformly random text would.
    fn query_like() -> impl Strategy<Value = String> {
        let pieces = prop_oneof![
            Just(" ".to_string()),
            Just("(".to_string()),
            Just(")".to_string()),
            Just("\"".to_string()),
            Just("“".to_string()),
            Just("”".to_string()),
            Just("«".to_string()),
            Just("»".to_string()),
            Just("-".to_string()),
            Just("+".to_string()),
            Just("*".to_string()),
            Just("~".to_string()),
            Just(":".to_string()),
            Just("/".to_string()),
            Just("[".to_string()),
            Just("]".to_string()),
            Just(" AND ".to_string()),
            Just(" OR ".to_string()),
            Just("NOT ".to_string()),
            Just("year:".to_string()),
            Just("lang:".to_string()),
            Just("symbol:".to_string()),
            Just("S/RES/2086".to_string()),
            Just("2013".to_string()),
            Just(" TO ".to_string()),
            Just("..".to_string()),
            Just("é".to_string()),
            Just("’".to_string()),
            "[a-zA-Z0-9]{1,4}",
            any::<char>().prop_map(String::from),
        ];
        prop::collection::vec(pieces, 0..24).prop_map(|v| v.concat())
    }

    fn check_result(input: &str) {
        match parse(input) {
            Ok(query) => well_formed(&query.root, true),
            Err(e) => {
                assert!(e.offset <= input.len(), "{e:?}");
                assert!(input.is_char_boundary(e.offset), "{e:?}");
                assert!(!e.message.is_empty());
                let shown = e.to_string();
                assert!(shown.starts_with("syntax error at column "), "{shown}");
            }
        }
    }

    proptest! {
        #[test]
        fn any_string_parses_or_errs_cleanly(input in any::<String>()) {
            check_result(&input);
        }

        #[test]
        fn query_like_strings_parse_or_err_cleanly(input in query_like()) {
            check_result(&input);
        }
    }
}
