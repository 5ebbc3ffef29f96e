//! quorum's tokenizer: it scans the original text and cuts it into words, keeping
//! inside a word what belongs there.
//!
//! A word is a run of letters, digits and combining marks (so `e` + U+0301 stays one
//! word), joined by connectors that only count between two word characters:
//! apostrophes of every kind (`l’Organisation`), hyphens (`peace-keeping`), a hyphen
//! at a line end (`para-\ngraph`), slashes in document symbols (`S/PRST/2001/3`), a
//! dot or comma inside a number (`1,5`, `Add.1`).
//!
//! Every token's offsets point into the original text, on char boundaries: filters
//! rewrite `token.text` only.
//!
//! - A run with a slash and a digit is a document symbol and stays one token.
//! - A run with hyphens is a compound: each part gets a position of its own, then
//!   the parts joined together come as one more token at the last part's position,
//!   with `position_length` set to the number of parts. tantivy's phrase matching
//!   ignores `position_length`, so this layout is what keeps phrases working for
//!   every spelling: `peace-keeping operations` indexes `peace`@0 `keeping`@1
//!   `peacekeeping`@1 `operations`@2, which the phrases `"peace keeping operations"`
//!   and `"peacekeeping operations"` both match.
//! - A hyphen at a line end inside a word is a hard-wrap break (`meet-\ning` →
//!   `meeting`), unless the part before it is a common compound prefix
//!   (`self-\nsufficiency` stays a compound).
//! - A lower-case letter followed by a capital and a lower-case letter is a word
//!   boundary: the seed corpus glues link labels to words (`séanceDocument PDF`).
//!
//! ```
//! use quorum::analysis::QuorumTokenizer;
//! use tantivy::tokenizer::{TokenStream, Tokenizer};
//!
//! let mut tokenizer = QuorumTokenizer;
//! let mut stream = tokenizer.token_stream("(S/PRST/2001/3)Document, l’Organisation");
//! let mut words = Vec::new();
//! while let Some(token) = stream.next() {
//!     words.push((token.text.clone(), token.position, token.offset_from, token.offset_to));
//! }
//! assert_eq!(words, [
//!     ("S/PRST/2001/3".to_string(), 0, 1, 14),
//!     ("Document".to_string(), 1, 15, 23),
//!     ("l’Organisation".to_string(), 2, 25, 41),
//! ]);
//! ```

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use unicode_normalization::char::is_combining_mark;

/// Longer runs are not words (base64, OCR garbage, a 100 MB line) and are skipped;
/// tantivy refuses terms over 65,530 bytes anyway.
pub const MAX_WORD_BYTES: usize = 100;

/// Parts before a hyphen at a line end that make a real compound, not a hard-wrap
/// break. Lower case, compared after lowercasing.
const COMPOUND_PREFIXES: &[&str] = &[
    "all", "anti", "au", "avant", "cease", "co", "counter", "cross", "demi", "ex", "full", "half",
    "inter", "intra", "long", "lui", "multi", "non", "peace", "post", "pre", "pro", "quasi",
    "self", "semi", "short", "so", "sous", "sub", "vice", "well",
];

/// The tokenizer of every quorum analyzer. See the module docs.
#[derive(Clone, Copy, Debug, Default)]
pub struct QuorumTokenizer;

impl Tokenizer for QuorumTokenizer {
    type TokenStream<'a> = QuorumTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> QuorumTokenStream {
        QuorumTokenStream {
            tokens: tokenize(text),
            index: 0,
            empty: Token::default(),
        }
    }
}

/// The tokens of one text, computed up front.
pub struct QuorumTokenStream {
    tokens: Vec<Token>,
    index: usize,
    empty: Token,
}

impl TokenStream for QuorumTokenStream {
    fn advance(&mut self) -> bool {
        if self.index < self.tokens.len() {
            self.index += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &Token {
        self.index
            .checked_sub(1)
            .and_then(|i| self.tokens.get(i))
            .unwrap_or(&self.empty)
    }

    fn token_mut(&mut self) -> &mut Token {
        match self.index.checked_sub(1) {
            Some(i) if i < self.tokens.len() => &mut self.tokens[i],
            _ => &mut self.empty,
        }
    }
}

pub(crate) fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{02BC}' | '\u{2018}')
}

pub(crate) fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

fn is_word_char(c: char) -> bool {
    // Most text is ASCII: no table lookup for it.
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    // U+02BC is a letter to Unicode but an apostrophe to French typists.
    (c.is_alphanumeric() && !is_apostrophe(c)) || is_combining_mark(c) || c == '\u{00AD}'
}

/// A char a word may start with: a letter or digit, not a mark or an apostrophe.
fn starts_word(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    c.is_alphanumeric() && !is_combining_mark(c) && !is_apostrophe(c)
}

/// Cuts `text` into tokens. Public for the analyzer tests and `quorum analyze`.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut out = Sink::default();
    let bytes = text.len();
    let mut i = 0usize;
    while i < bytes {
        let Some(c) = text[i..].chars().next() else {
            break;
        };
        if !starts_word(c) {
            i += c.len_utf8();
            continue;
        }
        let (end, seen) = scan_run(text, i);
        if end - i <= MAX_WORD_BYTES {
            emit_run(text, (i, end), seen, &mut out);
        }
        i = end;
    }
    out.tokens
}

/// The tokens emitted so far, and the position of the next.
#[derive(Default)]
struct Sink {
    tokens: Vec<Token>,
    position: usize,
}

impl Sink {
    fn push(&mut self, from: usize, to: usize, text: String) {
        if text.is_empty() {
            return;
        }
        self.tokens.push(Token {
            offset_from: from,
            offset_to: to,
            position: self.position,
            text,
            position_length: 1,
        });
        self.position += 1;
    }
}

/// What a scanned run may hold, so that emitting it looks again only where it must: a
/// flag that is false means no such char in the run; one that is true is checked again.
#[derive(Clone, Copy)]
struct Seen {
    slash: bool,
    digit: bool,
    hyphen: bool,
    /// An upper-case char after the run's first: a possible camel-case boundary.
    upper: bool,
    /// A line break inside the run (a hard-wrap hyphen).
    wrap: bool,
}

/// Returns the end of the word run that starts at `start` (a word character), and what
/// it holds.
fn scan_run(text: &str, start: usize) -> (usize, Seen) {
    let bytes = text.as_bytes();
    let mut end = start;
    let mut at = start;
    let mut seen = Seen {
        slash: false,
        digit: false,
        hyphen: false,
        upper: false,
        wrap: false,
    };
    while at < bytes.len() {
        // Most text is ASCII letters: no char to decode for them.
        let b = bytes[at];
        if b.is_ascii_alphanumeric() {
            seen.digit |= b.is_ascii_digit();
            seen.upper |= at > start && b.is_ascii_uppercase();
            at += 1;
            end = at;
            continue;
        }
        let Some(c) = text[at..].chars().next() else {
            break;
        };
        let after = at + c.len_utf8();
        if is_word_char(c) {
            seen.upper |= at > start && c.is_uppercase();
            end = after;
            at = after;
            continue;
        }
        let prev = text[..at].chars().next_back();
        let next = text[after..].chars().next();
        let next_alnum = next.is_some_and(starts_word);
        let resume = if is_apostrophe(c) {
            next_alnum.then_some(after)
        } else if is_hyphen(c) {
            seen.hyphen = true;
            if next_alnum {
                Some(after)
            } else {
                // A hyphen at a line end: the word goes on on the next line.
                let resume = line_end_continuation(text, after);
                seen.wrap |= resume.is_some();
                resume
            }
        } else if c == '/' {
            // Only a slash the run goes on after is in it.
            seen.slash |= next_alnum;
            next_alnum.then_some(after)
        } else if c == '.' {
            // `E/CN.4`, `S/25704/Add.1`: inside a symbol, which has a digit somewhere.
            let in_symbol = seen.slash && next_alnum && seen.digit;
            (next.is_some_and(|n| n.is_ascii_digit()) || in_symbol).then_some(after)
        } else if c == ',' {
            (prev.is_some_and(|p| p.is_ascii_digit()) && next.is_some_and(|n| n.is_ascii_digit()))
                .then_some(after)
        } else {
            None
        };
        match resume {
            Some(resume) => {
                at = resume;
                end = resume;
            }
            None => break,
        }
    }
    // A run never ends on a connector: `end` only moves past one when a word char follows.
    (end, seen)
}

/// After a hyphen at `from`: if only blanks, one line break and blanks follow, and
/// then a letter, returns where that letter starts.
fn line_end_continuation(text: &str, from: usize) -> Option<usize> {
    let rest = &text[from..];
    let after_blanks = rest.trim_start_matches([' ', '\t']);
    let after_break = after_blanks
        .strip_prefix("\r\n")
        .or_else(|| after_blanks.strip_prefix('\n'))?;
    let next_line = after_break.trim_start_matches([' ', '\t']);
    next_line
        .chars()
        .next()
        .filter(|&c| c.is_alphabetic() && starts_word(c))
        .map(|_| text.len() - next_line.len())
}

/// A piece of a run, by byte range.
struct Piece {
    from: usize,
    to: usize,
}

fn emit_run(text: &str, (start, end): (usize, usize), seen: Seen, out: &mut Sink) {
    let run = &text[start..end];
    if !seen.slash {
        emit_segment(text, (start, end), seen, out);
        return;
    }
    if seen.digit {
        out.push(start, end, strip_breaks(run));
        return;
    }
    // A slash without a digit (`and/or`) separates words.
    let mut seg_start = start;
    for (offset, c) in run.char_indices().chain(std::iter::once((run.len(), '/'))) {
        if c == '/' {
            let seg_end = start + offset;
            if seg_end > seg_start {
                emit_segment(text, (seg_start, seg_end), seen, out);
            }
            seg_start = seg_end + 1;
        }
    }
}

/// Emits a segment without slashes: a word, or a compound of hyphenated parts.
fn emit_segment(text: &str, (start, end): (usize, usize), seen: Seen, out: &mut Sink) {
    // Most words have no hyphen: no parts to split.
    if !seen.hyphen || !text[start..end].contains(is_hyphen) {
        emit_word(text, (start, end), seen, out);
        return;
    }
    let parts = split_parts(text, start, end);
    match parts.as_slice() {
        [] => {}
        [only] => emit_word(text, (only.from, only.to), seen, out),
        [first, .., last] => {
            let before = out.tokens.len();
            for part in &parts {
                emit_word(text, (part.from, part.to), seen, out);
            }
            let joined: String = out.tokens[before..]
                .iter()
                .map(|t| t.text.as_str())
                .collect();
            let emitted = out.tokens.len() - before;
            if emitted > 1 {
                out.tokens.push(Token {
                    offset_from: first.from,
                    offset_to: last.to,
                    position: out.position - 1,
                    text: joined,
                    position_length: emitted,
                });
            }
        }
    }
}

/// Splits a segment at its hyphens. A hyphen at a line end after a part that is not a
/// compound prefix is a hard-wrap break: the parts on either side make one part.
fn split_parts(text: &str, start: usize, end: usize) -> Vec<Piece> {
    let mut parts: Vec<Piece> = Vec::new();
    let mut part_start = start;
    let mut merge_next = false;
    let segment = &text[start..end];
    let mut iter = segment.char_indices();
    while let Some((offset, c)) = iter.next() {
        if !is_hyphen(c) {
            continue;
        }
        let at = start + offset;
        let after = at + c.len_utf8();
        let wrapped = text[after..end]
            .chars()
            .next()
            .is_some_and(|n| !n.is_alphanumeric());
        let piece = Piece {
            from: part_start,
            to: at,
        };
        let resume = if wrapped {
            line_end_continuation(text, after).unwrap_or(after)
        } else {
            after
        };
        let prefix = text[piece.from..piece.to].to_lowercase();
        let compound = !wrapped || COMPOUND_PREFIXES.contains(&prefix.as_str());
        push_piece(&mut parts, piece, merge_next);
        merge_next = !compound;
        part_start = resume;
        // Skip what the line-end continuation jumped over.
        while iter.as_str().len() > end - resume {
            iter.next();
        }
    }
    push_piece(
        &mut parts,
        Piece {
            from: part_start,
            to: end,
        },
        merge_next,
    );
    parts
}

fn push_piece(parts: &mut Vec<Piece>, piece: Piece, merge: bool) {
    if piece.from >= piece.to {
        return;
    }
    match parts.last_mut() {
        Some(last) if merge => last.to = piece.to,
        _ => parts.push(piece),
    }
}

/// Emits one word (no hyphen, no slash), split at glued camel-case boundaries.
fn emit_word(text: &str, (start, end): (usize, usize), seen: Seen, out: &mut Sink) {
    let word = &text[start..end];
    // Most words have no capital after their first letter: no camel-case boundary.
    if !seen.upper || !word.chars().skip(1).any(char::is_uppercase) {
        let text = if seen.wrap {
            strip_breaks(word)
        } else {
            word.to_string()
        };
        out.push(start, end, text);
        return;
    }
    let mut from = start;
    let chars: Vec<(usize, char)> = word.char_indices().collect();
    for window in chars.windows(3) {
        let [(_, a), (at, b), (_, c)] = window else {
            continue;
        };
        if a.is_lowercase() && b.is_uppercase() && c.is_lowercase() {
            let cut = start + at;
            out.push(from, cut, strip_breaks(&text[from..cut]));
            from = cut;
        }
    }
    out.push(from, end, strip_breaks(&text[from..end]));
}

/// The text of a token whose range spans a hard-wrap break: the hyphen, the line
/// break and the blanks around it go.
fn strip_breaks(slice: &str) -> String {
    if !slice.contains(['\n', '\r']) {
        return slice.to_string();
    }
    let mut out = String::with_capacity(slice.len());
    let mut rest = slice;
    while let Some(nl) = rest.find('\n') {
        let before = rest[..nl].trim_end_matches(['\r', ' ', '\t']);
        let before = before
            .strip_suffix(|c: char| is_hyphen(c))
            .unwrap_or(before);
        out.push_str(before);
        rest = rest[nl + 1..].trim_start_matches([' ', '\t']);
    }
    out.push_str(rest);
    out
}
