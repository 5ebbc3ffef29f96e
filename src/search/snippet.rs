//! Snippets: the best window of a passage, with every match highlighted.
//!
//! tantivy's `SnippetGenerator` highlights single terms in one fragment, and knows
//! nothing of quorum's compounds, prefixes or fuzzy words. Here the passage is
//! analyzed again with the chain of its field, each token that the query matched is
//! marked by its offsets into the original text, and the window with the most
//! distinct matches is kept. Windows end on char boundaries, at word edges.
//!
//! ```
//! use quorum::search::snippet::Snippet;
//! let s = Snippet { text: "les pays fournisseurs de contingents".into(), marks: vec![25..36], cut_before: false, cut_after: false };
//! assert_eq!(s.to_html(), "les pays fournisseurs de <b>contingents</b>");
//! ```

use std::collections::HashSet;
use std::ops::Range;

use tantivy::schema::Field;

use super::query::Highlight;
use crate::analysis::{self, analyze};

/// How much of a passage a snippet shows, in bytes.
pub const SNIPPET_BYTES: usize = 320;

/// A window of a passage and the matches in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snippet {
    /// The window's text, unchanged.
    pub text: String,
    /// Byte ranges of the matches within `text`, sorted, not overlapping.
    pub marks: Vec<Range<usize>>,
    /// True when the passage goes on before the window.
    pub cut_before: bool,
    /// True when it goes on after.
    pub cut_after: bool,
}

impl Snippet {
    /// The snippet as HTML: matches in `<b>…</b>`, the rest escaped.
    pub fn to_html(&self) -> String {
        self.render(escape_html, "<b>", "</b>")
    }

    /// The snippet with terminal styling around matches (or `**` without colour).
    pub fn to_terminal(&self, color: bool) -> String {
        if color {
            self.render(str::to_string, "\x1b[1;31m", "\x1b[0m")
        } else {
            self.render(str::to_string, "**", "**")
        }
    }

    fn render(&self, plain: impl Fn(&str) -> String, open: &str, close: &str) -> String {
        let mut out = String::new();
        if self.cut_before {
            out.push('…');
        }
        let mut at = 0;
        for mark in &self.marks {
            out.push_str(&plain(&self.text[at..mark.start]));
            out.push_str(open);
            out.push_str(&plain(&self.text[mark.clone()]));
            out.push_str(close);
            at = mark.end;
        }
        out.push_str(&plain(&self.text[at..]));
        if self.cut_after {
            out.push('…');
        }
        out
    }
}

fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The ranges of `text` that the query matched, for a passage indexed in each
/// `(field, analyzer)`: only fields the query has terms in are analyzed.
pub fn matches(text: &str, fields: &[(Field, &str)], highlight: &Highlight) -> Vec<Range<usize>> {
    let mut marks = Vec::new();
    for (field, analyzer) in fields {
        let Some(terms) = highlight.terms.get(field) else {
            continue;
        };
        for token in analyze(analyzer, text) {
            if terms.contains(&token.text) {
                marks.push(token.offset_from..token.offset_to);
            }
        }
    }
    if !highlight.prefixes.is_empty() || !highlight.fuzzy.is_empty() {
        for token in analyze(analysis::FOLDED, text) {
            let hit = highlight
                .prefixes
                .iter()
                .any(|p| token.text.starts_with(p.as_str()))
                || highlight
                    .fuzzy
                    .iter()
                    .any(|(w, d)| levenshtein(w, &token.text) <= *d as usize);
            if hit {
                marks.push(token.offset_from..token.offset_to);
            }
        }
    }
    merge(marks, text)
}

/// Sorts ranges and merges those that overlap or are separated only by blanks.
fn merge(mut marks: Vec<Range<usize>>, text: &str) -> Vec<Range<usize>> {
    marks.sort_by_key(|r| (r.start, r.end));
    let mut out: Vec<Range<usize>> = Vec::new();
    for mark in marks {
        match out.last_mut() {
            Some(last)
                if mark.start <= last.end
                    || text[last.end..mark.start].chars().all(char::is_whitespace) =>
            {
                last.end = last.end.max(mark.end);
            }
            _ => out.push(mark),
        }
    }
    out
}

/// Chooses the window of `text` with the most distinct matches.
pub fn snippet(text: &str, marks: &[Range<usize>]) -> Snippet {
    if text.len() <= SNIPPET_BYTES || marks.is_empty() {
        let end = if text.len() <= SNIPPET_BYTES {
            text.len()
        } else {
            word_end(text, SNIPPET_BYTES)
        };
        return window(text, 0, end, marks);
    }
    let mut best = (0usize, 0usize, 0usize);
    for (i, mark) in marks.iter().enumerate() {
        let start = word_start(text, mark.start.saturating_sub(SNIPPET_BYTES / 5));
        let end = start + SNIPPET_BYTES;
        let inside: HashSet<&str> = marks[i..]
            .iter()
            .take_while(|m| m.end <= end)
            .map(|m| text[m.clone()].as_ref())
            .collect();
        let count = marks[i..].iter().take_while(|m| m.end <= end).count();
        if (inside.len(), count) > (best.1, best.2) {
            best = (start, inside.len(), count);
        }
    }
    let start = best.0;
    let end = word_end(text, (start + SNIPPET_BYTES).min(text.len()));
    window(text, start, end, marks)
}

fn window(text: &str, start: usize, end: usize, marks: &[Range<usize>]) -> Snippet {
    let marks = marks
        .iter()
        .filter(|m| m.start >= start && m.end <= end)
        .map(|m| m.start - start..m.end - start)
        .collect();
    Snippet {
        text: text[start..end].to_string(),
        marks,
        cut_before: start > 0,
        cut_after: end < text.len(),
    }
}

/// The start of the word at or after `at` (a char boundary after a blank).
fn word_start(text: &str, at: usize) -> usize {
    if at == 0 {
        return 0;
    }
    let mut i = at.min(text.len());
    while !text.is_char_boundary(i) {
        i += 1;
    }
    match text[i..].find(char::is_whitespace) {
        Some(blank) if blank < 40 => {
            let after = i + blank;
            after + text[after..].len() - text[after..].trim_start().len()
        }
        _ => i,
    }
}

/// The end of the word before `at` (a char boundary before a blank).
fn word_end(text: &str, at: usize) -> usize {
    let mut i = at.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    if i == text.len() {
        return i;
    }
    match text[..i].rfind(char::is_whitespace) {
        Some(blank) if i - blank < 40 => text[..blank].trim_end().len(),
        _ => i,
    }
}

/// Edit distance between two short words, by chars.
fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            let next = (row[j + 1] + 1).min(row[j] + 1).min(prev + cost);
            prev = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}
