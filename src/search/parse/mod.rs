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
//! | `a b` | [`Node::And`] of the terms as they are |
//! | `a AND b`, `a && b` | [`Node::And`] of [`Node::Required`] operands |
//! | `+a`, `+"a b"`, `+(a b)` | [`Node::Required`]; `+-a` and `+lang:fr` are as without the `+` |
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
//! A [`Node::Required`] keeps the group it marks whole: `+(a b) c` is
//! `And([Required(And([a, b])), c])`. `AND`, `OR` and `NOT` are operators only in capitals:
//! `and`, `or`, `not`, `et`, `ou` are words.
//!
//! # Required terms
//!
//! `a b`, `a AND b` and `+a +b` all find the passages that have both words, but the tree
//! keeps them apart, so that ranking can tell a term the user insisted on from one merely
//! typed. `+x` is `Required(x)`, and so is each operand of an explicit `AND`/`&&`, only the
//! two it joins: `a AND b` is `And([Required(a), Required(b)])`, `a b AND c` is
//! `And([a, Required(b), Required(c)])`, `a AND b AND c` marks all three, and `+a b` is
//! `And([Required(a), b])`. A negation, a field filter and a term already marked are left
//! as they are, so `+-a` is `Not(a)`, `a AND -b` is `And([Required(a), Not(b)])` and
//! `+year:1990` is the filter alone.
//!
//! ```
//! use quorum::search::parse::{parse, Node};
//!
//! let w = |s: &str| Node::Word(s.into());
//! let required = |node| Node::Required(Box::new(node));
//! assert_eq!(
//!     parse("a b AND c")?.root,
//!     Node::And(vec![w("a"), required(w("b")), required(w("c"))])
//! );
//! assert_eq!(parse("+a b")?.root, Node::And(vec![required(w("a")), w("b")]));
//! # Ok::<(), quorum::search::parse::ParseError>(())
//! ```
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
//! - a boost (`paix^2`) is dropped and the word kept, a fuzzy distance over 2 (`paix~99`) is
//!   searched as 2, and a wildcard inside a word (`p*ix`) is left as typed; each says so in
//!   [`Query::notices`], which the search passes on to the user;
//! - `-5` is `NOT 5`, as `-` always excludes at the start of a word.
//!
//! Strict, with a [`ParseError`] pointing at the culprit, where it is not: an unclosed quote,
//! an unbalanced `(` or `)`, an empty group `()` (or one with only punctuation inside),
//! `AND`/`OR` without a term on both sides, `NOT` without a term after it, a known field
//! with an empty or invalid value (`year:abc`, `lang:`, `year:1994..1990`), and more than
//! [`MAX_DEPTH`] nested groups or `NOT`s. No input makes [`parse`] panic.

mod field;
mod lexer;
mod parser;
#[cfg(test)]
mod tests;

use std::error::Error;
use std::fmt;

use lexer::Lexer;
use parser::Parser;

/// How deeply groups and `NOT`s may nest; deeper input is an error rather than a stack overflow.
pub const MAX_DEPTH: usize = 64;

/// A parsed query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// The query tree; [`Node::Empty`] when the input has nothing searchable (`""`, `"-"`).
    pub root: Node,
    /// What the user should be told about the query as typed: an operator quorum does
    /// not support (`paix^2`, `p*ix`) or a value it capped (`paix~99`), with what was
    /// searched instead.
    pub notices: Vec<String>,
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
    /// All children must match; in the order typed, at least two, never directly holding
    /// another `And` (one may sit inside a [`Node::Required`] child).
    And(Vec<Node>),
    /// Any child may match; in the order typed, at least two, never directly holding
    /// another `Or` (one may sit inside a [`Node::Required`] child).
    Or(Vec<Node>),
    /// Excludes its child; meaningful inside [`Node::And`], but a lone negation is kept
    /// and left to the builder. Never directly holds another `Not`.
    Not(Box<Node>),
    /// A term the user insisted on: `+x`, or either operand of an explicit `AND` or `&&`
    /// (`a AND b` is `And([Required(a), Required(b)])`), where a bare `a b` leaves both
    /// words unmarked. It matches as its child does; the mark is for ranking, which may
    /// one day let an unmarked word go where a required one must stay. Never directly
    /// holds a [`Node::Not`], a [`Node::Field`] or another `Required`: those are left
    /// unmarked (`+-a` is `Not(a)`). A marked group stays whole: `+(a b)` is
    /// `Required(And([a, b]))`.
    Required(Box<Node>),
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
    let (tokens, notices) = Lexer::new(input).run()?;
    let mut parser = Parser {
        input,
        tokens,
        pos: 0,
        depth: 0,
    };
    let root = parser.query()?;
    Ok(Query { root, notices })
}
