//! Lexing: characters → tokens. Words, phrases and fields become finished nodes here,
//! so the parser only sees atoms, parentheses, operators and signs.

use super::field::is_field_prefix;
use super::{ErrorKind, Node, ParseError};

#[derive(Debug)]
pub(super) enum Tok {
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
pub(super) struct Token {
    pub(super) tok: Tok,
    /// Byte offset of the token's first character.
    pub(super) offset: usize,
}

/// Characters that end a word besides whitespace.
const SEPARATORS: [char; 8] = ['(', ')', '"', '“', '”', '„', '«', '»'];

/// Series parts that make a slash-separated word a symbol even without a digit (`S/PRST`).
const SERIES: [&str; 12] = [
    "RES", "PRST", "PV", "INF", "AC", "CN", "CONF", "ES", "SR", "WG", "CRP", "REG",
];

pub(super) fn is_separator(c: char) -> bool {
    c.is_whitespace() || SEPARATORS.contains(&c)
}

/// The quotes that may close a phrase opened by `open`, or `None` if `open` opens none.
/// Mixed straight and curly quotes are accepted, since word processors mix them.
pub(super) fn closers(open: char) -> Option<&'static [char]> {
    match open {
        '"' => Some(&['"', '”']),
        '“' => Some(&['”', '"', '“']),
        '”' => Some(&['”', '"']),
        '„' => Some(&['“', '”', '"']),
        '«' => Some(&['»']),
        _ => None,
    }
}

pub(super) fn has_alnum(s: &str) -> bool {
    s.chars().any(char::is_alphanumeric)
}

pub(super) fn is_operator(s: &str) -> bool {
    matches!(s, "AND" | "&&" | "OR" | "||" | "NOT")
}

pub(super) struct Lexer<'a> {
    pub(super) input: &'a str,
    pub(super) pos: usize,
    tokens: Vec<Token>,
    /// What the user should be told about the query as typed.
    notices: Vec<String>,
}

impl<'a> Lexer<'a> {
    pub(super) fn new(input: &'a str) -> Self {
        Lexer {
            input,
            pos: 0,
            tokens: Vec::new(),
            notices: Vec::new(),
        }
    }

    fn char_at(&self, at: usize) -> Option<char> {
        self.input.get(at..).and_then(|rest| rest.chars().next())
    }

    fn push(&mut self, tok: Tok, offset: usize) {
        self.tokens.push(Token { tok, offset });
    }

    pub(super) fn error(
        &self,
        kind: ErrorKind,
        message: impl Into<String>,
        offset: usize,
    ) -> ParseError {
        ParseError::new(kind, message, offset, self.input)
    }

    /// The tokens of the input, and the notices its words gave.
    pub(super) fn run(mut self) -> Result<(Vec<Token>, Vec<String>), ParseError> {
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
        Ok((self.tokens, self.notices))
    }

    /// Scans the phrase whose opening quote is at `start`: returns its content and the
    /// offset after the closing quote.
    pub(super) fn scan_phrase(&self, start: usize) -> Result<(&'a str, usize), ParseError> {
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
    pub(super) fn scan_word(&self, start: usize) -> usize {
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
        } else if let Some(node) = classify_word(unsigned, &mut self.notices) {
            self.push(Tok::Atom(node), word_start);
        }
        Ok(())
    }
}

/// Turns a bare word into a word, prefix, fuzzy or symbol node; `None` if it is only
/// punctuation. `raw` has no leading sign. What the user typed but quorum does not do
/// (a boost, an inner wildcard, a distance over 2) is said in `notices`.
fn classify_word(raw: &str, notices: &mut Vec<String>) -> Option<Node> {
    let w = raw
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .trim_end_matches(|c: char| !c.is_alphanumeric() && c != '*' && c != '~');
    // Lucene's boost, `paix^2`: quorum weighs words itself, so the boost goes and the
    // word stays, rather than searching for `paix` and `2` side by side.
    let w = match w.rsplit_once('^') {
        Some((word, boost)) if has_alnum(word) && is_boost(boost) => {
            notices.push(format!(
                "`{w}`: boosts (`^{boost}`) are not supported; searched as `{word}`"
            ));
            word.trim_end_matches(|c: char| !c.is_alphanumeric() && c != '*' && c != '~')
        }
        _ => w,
    };
    if !has_alnum(w) {
        return None;
    }
    if let Some(inner) = w.trim_end_matches('*').find(['*', '?']) {
        if w[..inner].chars().any(char::is_alphanumeric) || w.contains('?') {
            notices.push(format!(
                "`{w}`: a wildcard inside a word is not supported; only a final `*` (`{}*`) is",
                &w[..inner]
            ));
        }
    }
    if let Some(stem) = w.strip_suffix('*') {
        let stem = stem.trim_end_matches('*');
        return has_alnum(stem).then(|| Node::Prefix(stem.to_string()));
    }
    if let Some((stem, suffix)) = w.rsplit_once('~') {
        let stem = stem.trim_end_matches('~');
        if has_alnum(stem) {
            if let Some(distance) = fuzzy_distance(suffix) {
                let asked = suffix.trim_start_matches('0');
                if !suffix.contains('.') && asked.parse::<u64>().map_or(asked.len() > 1, |n| n > 2)
                {
                    notices.push(format!(
                        "`{w}`: an edit distance is at most 2; searched as `{stem}~2`"
                    ));
                }
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

/// Whether what follows a `^` is a boost: a number such as `2` or `1.5`.
fn is_boost(s: &str) -> bool {
    let (int, frac) = s.split_once('.').unwrap_or((s, "0"));
    !int.is_empty()
        && !frac.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
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
