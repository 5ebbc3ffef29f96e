//! Snippets: the best window of a passage, with every match highlighted.
//!
//! tantivy's `SnippetGenerator` highlights single terms in one fragment, and knows
//! nothing of quorum's compounds, prefixes or fuzzy words. Here the passage is
//! analyzed again with the chain of its field, each token that the query matched is
//! marked by its offsets into the original text, and the window with the most
//! distinct matches is kept. Windows end on char boundaries, at word edges.
//!
//! A phrase is marked as one span, from its first word to its last with the stop words
//! between, and only where the whole phrase stands: its words elsewhere stay plain.
//! Such a span counts as one match when the window is chosen.
//!
//! ```
//! use quorum::search::snippet::Snippet;
//! let s = Snippet { text: "les pays fournisseurs de contingents".into(), marks: vec![25..36], cut_before: false, cut_after: false };
//! assert_eq!(s.to_html(), "les pays fournisseurs de <b>contingents</b>");
//! ```

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use tantivy::schema::Field;
use tantivy::tokenizer::Token;

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
        let terms = highlight.terms.get(field);
        let phrases = highlight.phrases.get(field);
        match (terms, phrases) {
            (None, None) => {}
            // Only a phrase needs the tokens kept: terms are marked as they come.
            (Some(terms), None) => analysis::each_token(analyzer, text, |token| {
                if terms.contains(&token.text) {
                    marks.push(token.offset_from..token.offset_to);
                }
            }),
            (terms, Some(phrases)) => {
                let tokens = analyze(analyzer, text);
                if let Some(terms) = terms {
                    for token in tokens.iter().filter(|t| terms.contains(&t.text)) {
                        marks.push(token.offset_from..token.offset_to);
                    }
                }
                marks.extend(phrase_marks(text, &tokens, phrases));
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
                    .any(|(w, d)| strsim::levenshtein(w, &token.text) <= *d as usize);
            if hit {
                marks.push(token.offset_from..token.offset_to);
            }
        }
    }
    merge(marks, text)
}

/// One span for each place where a whole phrase stands in the analyzed `tokens`: every
/// term at its position relative to the first. A compound's joined form shares its last
/// part's position, so each spelling finds its own occurrences.
fn phrase_marks(
    text: &str,
    tokens: &[Token],
    phrases: &HashSet<Vec<(usize, String)>>,
) -> Vec<Range<usize>> {
    let mut marks = Vec::new();
    for phrase in phrases {
        for found in phrase_occurrences(tokens, phrase) {
            let start = found.iter().map(|t| t.offset_from).min();
            let end = found.iter().map(|t| t.offset_to).max();
            if let (Some(start), Some(end)) = (start, end) {
                marks.push(balanced(text, start..end));
            }
        }
    }
    marks
}

/// Every occurrence of `phrase` (terms with positions relative to the first) among a
/// passage's `tokens`: the tokens that make it, one per term.
pub(crate) fn phrase_occurrences<'t>(
    tokens: &'t [Token],
    phrase: &[(usize, String)],
) -> Vec<Vec<&'t Token>> {
    let Some((first_at, first)) = phrase.first() else {
        return Vec::new();
    };
    let mut at: HashMap<usize, Vec<&Token>> = HashMap::new();
    for token in tokens {
        at.entry(token.position).or_default().push(token);
    }
    tokens
        .iter()
        .filter(|t| t.text == *first)
        .filter_map(|anchor| {
            let base = anchor.position.checked_sub(*first_at)?;
            phrase
                .iter()
                .map(|(offset, term)| {
                    at.get(&(base + offset))?
                        .iter()
                        .find(|t| t.text == *term)
                        .copied()
                })
                .collect()
        })
        .collect()
}

/// Widens a span over the bracket that closes (or opens) one it holds: the tokens of
/// `2086 (2013)` end before its `)`, and `<b>2086 (2013</b>)` would read as a cut.
fn balanced(text: &str, mut span: Range<usize>) -> Range<usize> {
    for (open, close) in [('(', ')'), ('[', ']')] {
        let inside = &text[span.clone()];
        let opened = inside.matches(open).count();
        let closed = inside.matches(close).count();
        if opened > closed && text[span.end..].starts_with(close) {
            span.end += close.len_utf8();
        } else if closed > opened && text[..span.start].ends_with(open) {
            span.start -= open.len_utf8();
        }
    }
    span
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Lang;

    fn body() -> Field {
        Field::from_field_id(0)
    }

    /// A phrase as the query builder records it: its terms in the French body chain,
    /// positions relative to the first.
    fn phrase(text: &str) -> Vec<(usize, String)> {
        let tokens = analyze(analysis::body_analyzer(&Lang::Fr), text);
        let base = tokens.iter().map(|t| t.position).min().unwrap_or(0);
        tokens
            .into_iter()
            .map(|t| (t.position - base, t.text))
            .collect()
    }

    fn highlight(terms: &[&str], phrases: Vec<Vec<(usize, String)>>) -> Highlight {
        let mut highlight = Highlight::default();
        if !terms.is_empty() {
            let terms = terms.iter().map(|t| t.to_string()).collect();
            highlight.terms.insert(body(), terms);
        }
        if !phrases.is_empty() {
            highlight
                .phrases
                .insert(body(), phrases.into_iter().collect());
        }
        highlight
    }

    fn marks(text: &str, lang: Lang, highlight: &Highlight) -> Vec<Range<usize>> {
        matches(text, &[(body(), analysis::body_analyzer(&lang))], highlight)
    }

    /// A case's name, passage, bare-word stems, phrases, and expected marks.
    type Case = (
        &'static str,
        &'static str,
        Vec<&'static str>,
        Vec<&'static str>,
        Vec<(usize, usize, &'static str)>,
    );

    // issue 10, "Cases found by trying it": highlighting a phrase marked every
    // occurrence of each of its words. Each case: passage, bare-word stems, phrases,
    // and the marks as (from, to, the slice they cover).
    #[test]
    fn a_phrase_is_marked_where_it_stands_and_not_its_words_elsewhere() {
        let passage =
            "La paix est fragile. Le Conseil œuvre au maintien de la paix et de la sécurité.";
        let cases: Vec<Case> = vec![
            (
                "the phrase alone: one span with its stop words, the first `paix` plain",
                passage,
                vec![],
                vec!["maintien de la paix"],
                vec![(42, 61, "maintien de la paix")],
            ),
            (
                "a phrase and a bare word: both apply",
                passage,
                vec!["securit"],
                vec!["maintien de la paix"],
                vec![(42, 61, "maintien de la paix"), (71, 81, "sécurité")],
            ),
            (
                "bare words keep marking each occurrence",
                passage,
                vec!["maintien", "paix"],
                vec![],
                vec![(3, 7, "paix"), (42, 50, "maintien"), (57, 61, "paix")],
            ),
            (
                "the words apart are no phrase",
                "La paix et le maintien de l’ordre.",
                vec![],
                vec!["maintien de la paix"],
                vec![],
            ),
            (
                "every occurrence of the phrase",
                "Maintien de la paix, puis maintien de la paix.",
                vec![],
                vec!["maintien de la paix"],
                vec![
                    (0, 19, "Maintien de la paix"),
                    (26, 45, "maintien de la paix"),
                ],
            ),
            (
                "a number with its year, its closing parenthesis included",
                "La résolution 2086 (2013) adoptée en 2013.",
                vec![],
                vec!["2086 (2013)"],
                vec![(15, 26, "2086 (2013)")],
            ),
            (
                "a phrase across a line break",
                "Le maintien de la\npaix.",
                vec![],
                vec!["maintien de la paix"],
                vec![(3, 22, "maintien de la\npaix")],
            ),
        ];
        for (name, text, terms, phrases, expected) in cases {
            let highlight = highlight(&terms, phrases.into_iter().map(phrase).collect());
            let got = marks(text, Lang::Fr, &highlight);
            let got: Vec<(usize, usize, &str)> = got
                .iter()
                .map(|m| (m.start, m.end, &text[m.clone()]))
                .collect();
            assert_eq!(got, expected, "{name}");
        }
    }

    // issue 10: each compound spelling of a phrase marks its own occurrences, and a
    // part standing alone stays plain.
    #[test]
    fn every_compound_spelling_of_a_phrase_is_marked() {
        let text = "peace-keeping operations and peacekeeping operations; peace alone";
        let spellings = vec![
            vec![(0, "peac".into()), (1, "keep".into()), (2, "oper".into())],
            vec![(0, "peacekeep".into()), (1, "oper".into())],
        ];
        let got = marks(text, Lang::En, &highlight(&[], spellings));
        let got: Vec<&str> = got.iter().map(|m| &text[m.clone()]).collect();
        assert_eq!(got, ["peace-keeping operations", "peacekeeping operations"]);
    }

    // issue 10: the window is chosen by the phrase, which counts as one match; its
    // words standing alone earlier no longer draw the window to them.
    #[test]
    fn the_window_goes_to_the_phrase_not_to_its_words_alone() {
        let early = "La paix revient, dit-on, et le maintien des forces aussi. ".repeat(6);
        let text = format!("{early}Le Conseil œuvre au maintien de la paix dans la région.");
        let highlight = highlight(&[], vec![phrase("maintien de la paix")]);
        let cut = snippet(&text, &marks(&text, Lang::Fr, &highlight));
        assert!(cut.cut_before, "{cut:?}");
        assert_eq!(cut.marks.len(), 1, "{cut:?}");
        assert!(
            cut.to_html().contains("au <b>maintien de la paix</b> dans"),
            "{}",
            cut.to_html()
        );
    }

    // issue 10: a phrase's span is escaped inside and its tags stay balanced.
    #[test]
    fn a_phrase_span_is_escaped_and_balanced() {
        let text = "Paix & sécurité <internationales> : maintien de la paix & sécurité.";
        let highlight = highlight(&[], vec![phrase("paix & sécurité")]);
        let cut = snippet(text, &marks(text, Lang::Fr, &highlight));
        assert_eq!(
            cut.to_html(),
            "<b>Paix &amp; sécurité</b> &lt;internationales&gt; : maintien de la \
             <b>paix &amp; sécurité</b>."
        );
    }
}
