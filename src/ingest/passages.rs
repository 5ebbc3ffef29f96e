//! Splitting a document's text into passages: the units that are indexed and ranked.
//!
//! A passage is a byte range into the text, never a copy: the text is never modified, and
//! joining hard-wrapped lines or repairing `para-\ngraph` hyphenation is left to the
//! tokenizer, which reads through the range. Ranges are trimmed of surrounding whitespace,
//! lie on char boundaries, are in order, never overlap and are never empty.
//!
//! ```
//! use quorum::ingest::split_passages;
//!
//! // A hard-wrapped resolution paragraph stays whole; the blank line separates paragraphs.
//! let text = "Expressing its continuing concern with the grave\n\
//!             situation in the Middle East,\n\
//!             \n\
//!             Emphasizing the inadmissibility of the acquisition\n\
//!             of territory by war,";
//! let passages: Vec<&str> = split_passages(text, 1200).into_iter().map(|r| &text[r]).collect();
//! assert_eq!(passages.len(), 2);
//! assert!(passages[0].ends_with("Middle East,"));
//! ```
//!
//! # How a text is cut
//!
//! 1. **Blank lines** (lines of whitespace only, `\r\n` included) always separate passages.
//! 2. **Single line breaks** are ambiguous. In the 1946–94 resolutions they are hard wraps
//!    in mid-sentence (lines of 40–80 columns); in the UDHR, the Charter and the UNPC
//!    `docs.*` they separate paragraphs or sentences. No break separates when the line
//!    before ends with an article, preposition or conjunction (`of the` / `Registrar`),
//!    unless it closes a list item (`; and`). Otherwise:
//!    * a document where at least half of the non-blank lines are longer than
//!      [`LONG_LINE`] chars is written *one paragraph per line*, since nobody wraps text
//!      that wide: every break separates, except before a line starting in lower case
//!      that does not follow a clause end (a stray break in mid-sentence);
//!    * in other documents, judged block by block (lines between blank lines), a break
//!      separates when the line before ends a sentence (`. ! ? : ;`, maybe followed by a
//!      closing quote or bracket) and the next starts like a paragraph (a capital, a digit,
//!      an opening quote or bracket, a bullet, or a list mark such as `c)`), and either
//!      most breaks of the block look like that or the line before is clearly short for
//!      the block's wrap width (the next word would have fitted with room to spare, which
//!      a wrapping program would have done). A comma counts only before a line that is
//!      not even half full, since wrapped lists of names (`(Poland,` / `Union of`) have
//!      many. A line not even half full, or a line next to one longer than [`LONG_LINE`],
//!      also separates before a paragraph start (headings).
//!
//!    Hard-wrapped text fails these tests: its lines end mid-clause at a similar width,
//!    and a wrap that happens to fall after a comma is outvoted.
//! 3. **Long paragraphs** are cut at sentence ends (`.`, `?` or `!`, then whitespace and a
//!    capital, digit or opening quote; not after abbreviations such as `No.`, `art.`, `Mr.`,
//!    a single letter or a list number like `1.`) so that passages are close to the target
//!    size. A paragraph without any sentence end is cut at whitespace, and as a last resort
//!    at a char boundary, so no passage is longer than one and a half times the target.
//!
//! All of this runs in time linear in the length of the text.

use std::ops::Range;

/// The default passage size in bytes.
///
/// 1,200 bytes is about 200 English or 180 French words: long enough to hold a whole
/// operative paragraph of a resolution (most are 200–800 bytes) so that a hit shows its
/// context, and short enough that a snippet of the passage fits a result list and that
/// ranking still points at the right part of a long document.
pub const PASSAGE_TARGET: usize = 1200;

/// Lines longer than this (in chars) are not hard-wrapped: typewritten and OCR'd text
/// wraps at 40–80 columns, the widest resolution lines reach about 90.
pub const LONG_LINE: usize = 100;

/// Targets below this are raised to it, so that a tiny target cannot cut text into
/// passages of a few bytes each.
const MIN_TARGET: usize = 16;

/// Splits `text` into passages, returned as byte ranges into `text`, in order.
///
/// `target` is the size in bytes that long paragraphs are cut to; see the module docs for
/// the rules. A text of whitespace only gives no passages.
pub fn split_passages(text: &str, target: usize) -> Vec<Range<usize>> {
    let target = target.max(MIN_TARGET);
    let mut out = Vec::new();
    let (mut lines, mut long) = (0usize, 0usize);
    for line in text.split('\n') {
        let line = line.trim();
        if !line.is_empty() {
            lines += 1;
            long += usize::from(line.chars().nth(LONG_LINE).is_some());
        }
    }
    let one_per_line = long * 2 >= lines;
    let mut block: Vec<Line> = Vec::new();
    let mut start = 0;
    // A final segment without '\n' is still a line; `split_inclusive` would hide where
    // each line's content ends, so lines are found by hand.
    while start <= text.len() {
        let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        match Line::new(text, start..end) {
            Some(line) => block.push(line),
            None => flush_block(text, &mut block, one_per_line, target, &mut out),
        }
        start = end + 1;
    }
    flush_block(text, &mut block, one_per_line, target, &mut out);
    out
}

/// One non-blank line of a block, with what the break heuristic needs to know about it.
#[derive(Debug)]
struct Line {
    /// The line's content, trimmed of surrounding whitespace.
    range: Range<usize>,
    /// Length of the trimmed content in chars (columns, roughly).
    chars: usize,
    /// Length of the first word in chars.
    first_word: usize,
    /// The content ends a sentence or clause (comma included).
    ends_clause: bool,
    /// The content ends a sentence or a clause with something stronger than a comma.
    ends_sentence: bool,
    /// The content ends an item of a list (`;`, `:`, `; and`), after which the next item
    /// may start in lower case.
    ends_item: bool,
    /// The content starts like a new paragraph or sentence.
    starts_paragraph: bool,
    /// The content ends with a word that cannot end a sentence or heading.
    ends_function_word: bool,
}

impl Line {
    /// Describes the line at `range`, or returns `None` for a blank line.
    fn new(text: &str, range: Range<usize>) -> Option<Line> {
        let range = trim(text, range)?;
        let content = &text[range.clone()];
        Some(Line {
            chars: content.chars().count(),
            first_word: content.chars().take_while(|c| !c.is_whitespace()).count(),
            ends_clause: ends_clause(content),
            ends_sentence: ends_clause(content)
                && !content.trim_end_matches(CLOSERS).ends_with(','),
            starts_paragraph: starts_paragraph(content),
            ends_function_word: ends_function_word(content),
            ends_item: ends_item(content),
            range,
        })
    }
}

/// Turns a block of consecutive non-blank lines into passages and empties it.
fn flush_block(
    text: &str,
    block: &mut Vec<Line>,
    one_per_line: bool,
    target: usize,
    out: &mut Vec<Range<usize>>,
) {
    let Some(first) = block.first() else {
        return;
    };
    let mut seg_start = first.range.start;
    let separators = separating_breaks(block, one_per_line);
    for (i, separates) in separators.iter().enumerate() {
        if *separates {
            split_long(text, seg_start..block[i].range.end, target, out);
            seg_start = block[i + 1].range.start;
        }
    }
    if let Some(last) = block.last() {
        split_long(text, seg_start..last.range.end, target, out);
    }
    block.clear();
}

/// For each break between two lines of the block, whether it separates passages.
/// `one_per_line` says that the document as a whole writes one paragraph per line.
fn separating_breaks(block: &[Line], one_per_line: bool) -> Vec<bool> {
    let breaks = block.len().saturating_sub(1);
    // A sentence end before a paragraph start is a strong sign of a meant break; a comma
    // is weaker, since wrapped lists of names (`(Poland,` / `Union of Soviet`) have many.
    let strong: Vec<bool> = block
        .windows(2)
        .map(|w| w[0].ends_sentence && (w[1].starts_paragraph || w[0].ends_item))
        .collect();
    let majority = strong.iter().filter(|l| **l).count() * 2 > breaks;
    // The wrap width, estimated from the lines that could be wrapped: an OCR'd line that
    // swallowed the next one must not make every other line look short.
    let width = block
        .iter()
        .map(|l| l.chars)
        .filter(|&c| c <= LONG_LINE)
        .max()
        .unwrap_or(LONG_LINE);
    block
        .windows(2)
        .zip(strong)
        .map(|(w, strong)| {
            let (prev, next) = (&w[0], &w[1]);
            // A wrapping program moves a word to the next line only when it does not fit;
            // if it would have fitted with a fifth of the width to spare, the break was
            // meant, and if the line is not even half full, it surely was.
            let room = prev.chars + 1 + next.first_word;
            let short = room * 5 <= width * 4;
            let half = room * 2 <= width;
            // Nobody wraps at more than LONG_LINE columns: a long line that ends a clause
            // ends a paragraph, and a short line before a long one is a heading.
            let wide = (prev.chars > LONG_LINE && prev.ends_clause)
                || (next.chars > LONG_LINE && (short || prev.ends_sentence));
            let weak = prev.ends_clause && next.starts_paragraph;
            if prev.ends_function_word {
                false
            } else if one_per_line {
                // In a document written one paragraph per line, a break separates unless
                // the next line starts in lower case: a stray break in mid-sentence
                // (`and to submit these` / `proposals`). Lists in lower case are still cut
                // when the line before ends a clause (`purpose of:` / `promoting ...;`).
                next.starts_paragraph || prev.ends_sentence || prev.ends_item
            } else {
                (strong && (majority || short))
                    || (weak && half)
                    || ((wide || half) && next.starts_paragraph)
            }
        })
        .collect()
}

/// Closing quotes and brackets that may follow the punctuation ending a sentence.
const CLOSERS: &[char] = &['"', '\'', '”', '’', '»', ')', ']', '>'];

/// Whether a trimmed line ends a sentence or clause.
fn ends_clause(line: &str) -> bool {
    let stripped = line.trim_end_matches(CLOSERS).trim_end();
    stripped.ends_with(['.', '!', '?', ':', ';', ','])
}

/// Articles, prepositions and conjunctions of English and French: no sentence or heading
/// ends with one, so a line that does is continued on the next (`the Minister of the` /
/// `Interior`), however the next line starts.
const FUNCTION_WORDS: &[&str] = &[
    "the", "a", "an", "of", "to", "in", "on", "by", "for", "with", "from", "at", "and", "or",
    "nor", "as", "its", "their", "that", "which", "le", "la", "les", "un", "une", "des", "du",
    "de", "à", "au", "aux", "et", "ou", "en", "par", "pour", "sur", "dans", "avec", "que", "qui",
    "son", "sa", "ses", "leur", "leurs",
];

/// Whether a trimmed line ends with one of [`FUNCTION_WORDS`].
fn ends_function_word(line: &str) -> bool {
    let word = line
        .rsplit(|c: char| !c.is_alphabetic())
        .next()
        .unwrap_or("");
    // The word must be all of the line's end: `the)` or `S.A.` are not function words.
    // `; and` and `, or` close an item of a list, whose next item starts on the next line.
    let before = line[..line.len() - word.len()].trim_end();
    word.len() <= 6
        && line.ends_with(word)
        && FUNCTION_WORDS.contains(&word)
        && !before.ends_with([';', ',', ':'])
}

/// Whether a trimmed line ends an item of a list: `;` or `:`, maybe followed by `and`,
/// `or`, `et` or `ou`.
fn ends_item(line: &str) -> bool {
    let line = line.trim_end_matches(CLOSERS).trim_end();
    let line = ["and", "or", "et", "ou"]
        .iter()
        .find_map(|w| {
            line.strip_suffix(w)
                .filter(|l| l.ends_with(char::is_whitespace))
        })
        .map_or(line, str::trim_end);
    line.ends_with([';', ':'])
}

/// Whether a trimmed line starts the way a new paragraph or sentence does.
fn starts_paragraph(line: &str) -> bool {
    // A list item in lower case: `c) Promouvoir`, `ii) Prend en compte`, `(b) For`.
    let first = line.split(char::is_whitespace).next().unwrap_or("");
    if let Some(item) = first.trim_start_matches('(').strip_suffix(')') {
        if (1..=4).contains(&item.len()) && item.bytes().all(|b| b.is_ascii_lowercase()) {
            return true;
        }
    }
    line.chars().next().is_some_and(|c| {
        c.is_uppercase()
            || c.is_ascii_digit()
            || matches!(
                c,
                '"' | '“'
                    | '«'
                    | '‘'
                    | '\''
                    | '<'
                    | '('
                    | '['
                    | '•'
                    | '·'
                    | '-'
                    | '–'
                    | '—'
                    | '*'
                    | '○'
                    | '▪'
                    | '§'
            )
    })
}

/// Cuts one paragraph (already trimmed) into passages of about `target` bytes.
fn split_long(text: &str, seg: Range<usize>, target: usize, out: &mut Vec<Range<usize>>) {
    let limit = target + target / 2;
    if seg.len() <= limit {
        out.extend(trim(text, seg));
        return;
    }
    let ends = sentence_ends(text, seg.clone());
    let mut next_end = 0;
    let mut pos = seg.start;
    while seg.end - pos > limit {
        let ideal = pos + target;
        let (lo, hi) = (pos + target / 2, pos + limit);
        while next_end < ends.len() && ends[next_end] <= ideal {
            next_end += 1;
        }
        let before = next_end
            .checked_sub(1)
            .map(|i| ends[i])
            .filter(|&e| e >= lo);
        let after = ends.get(next_end).copied().filter(|&e| e <= hi);
        let cut = match (before, after) {
            (Some(b), Some(a)) if a - ideal < ideal - b => a,
            (Some(b), _) => b,
            (None, Some(a)) => a,
            (None, None) => whitespace_cut(text, lo, ideal, hi).unwrap_or_else(|| {
                let mut c = ideal;
                while !text.is_char_boundary(c) {
                    c -= 1;
                }
                c
            }),
        };
        out.extend(trim(text, pos..cut));
        pos = cut + (text[cut..seg.end].len() - text[cut..seg.end].trim_start().len());
    }
    out.extend(trim(text, pos..seg.end));
}

/// Byte offsets just after each sentence end in `seg`, in order.
fn sentence_ends(text: &str, seg: Range<usize>) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut ends = Vec::new();
    for i in seg.clone() {
        if !matches!(bytes[i], b'.' | b'?' | b'!') {
            continue;
        }
        let after = &text[i + 1..seg.end];
        let closed = after.trim_start_matches(CLOSERS);
        let end = seg.end - closed.len();
        let next = closed.trim_start();
        if next.len() == closed.len() || !starts_sentence(next) {
            continue;
        }
        if bytes[i] == b'.' && is_abbreviation(&text[seg.start..i]) {
            continue;
        }
        ends.push(end);
    }
    ends
}

/// Whether text that follows a sentence end starts a new sentence.
fn starts_sentence(next: &str) -> bool {
    next.chars().next().is_some_and(|c| {
        c.is_uppercase() || c.is_ascii_digit() || matches!(c, '"' | '“' | '«' | '‘' | '(' | '<')
    })
}

/// Words after which a dot does not end a sentence, in the UN's English and French.
const ABBREVIATIONS: &[&str] = &[
    "No", "Nos", "no", "nos", "art", "Art", "arts", "para", "paras", "Mr", "Mrs", "Ms", "Dr",
    "Mme", "Mmes", "MM", "Mlle", "St", "Ste", "vol", "Vol", "pp", "cf", "Cf", "Add", "Rev", "Corr",
    "Suppl", "Inc", "Ltd", "Co", "Jr", "Sr", "Prof", "Gen", "Lt", "Col", "Capt", "Gov", "Rep",
    "Doc", "approx", "chap", "Chap", "sect", "fig", "op", "loc", "ibid", "Ibid", "ann",
];

/// Whether the word just before a dot at the end of `before` makes the dot an
/// abbreviation's or a list number's rather than a sentence end.
fn is_abbreviation(before: &str) -> bool {
    // Only the last few chars matter, which keeps the whole scan linear.
    let word: String = before
        .chars()
        .rev()
        .take(8)
        .take_while(|c| c.is_alphanumeric())
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    if word.is_empty() {
        return false;
    }
    // A single letter is an initial (`M. Ban`, `J. Smith`); one to three digits are a list
    // number (`1. Affirms`); a year (`in 1994. The`) does end a sentence.
    word.chars().count() == 1
        || (word.len() <= 3 && word.bytes().all(|b| b.is_ascii_digit()))
        || ABBREVIATIONS.contains(&word.as_str())
}

/// The whitespace position in `lo..hi` closest to `ideal`, searching before it first.
fn whitespace_cut(text: &str, lo: usize, ideal: usize, hi: usize) -> Option<usize> {
    let floor = |mut i: usize| {
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let (lo, ideal, hi) = (floor(lo), floor(ideal), floor(hi));
    text[lo..ideal]
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace())
        .map(|(i, _)| lo + i)
        .or_else(|| {
            text[ideal..hi]
                .char_indices()
                .find(|(_, c)| c.is_whitespace())
                .map(|(i, _)| ideal + i)
        })
}

/// `range` without surrounding whitespace, or `None` when nothing else is left.
pub(crate) fn trim(text: &str, range: Range<usize>) -> Option<Range<usize>> {
    let s = &text[range.clone()];
    let start = range.start + (s.len() - s.trim_start().len());
    let end = range.end - (s.len() - s.trim_end().len());
    (start < end).then_some(start..end)
}

#[cfg(test)]
mod tests;
