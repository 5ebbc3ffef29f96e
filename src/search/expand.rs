//! Prefix and fuzzy words (`sécur*`, `contingents~`) expanded from the index's own
//! term dictionary into ordinary scored clauses.
//!
//! tantivy's automaton queries (`FuzzyTermQuery`, its prefix form) score every match
//! with one constant, so `sécurité~2` ranked English "Security" as high as anything.
//! Here the same Levenshtein or prefix automaton walks the `forms` field's dictionary
//! of each segment instead, twice: over the unmarked forms (words with nothing to fold)
//! and over the marked [twins](crate::analysis::twin) of the forms that fold, so that
//! every match is known by its folded form. Each form found then scores as a word
//! would:
//!
//! - its stems in each language's body field (the form analyzed by that language's
//!   body chain, each stem once), so BM25 weighs it as it weighs a typed word;
//! - its unstemmed forms in `forms`, so that the form itself ranks above its other
//!   inflections, as `contingents` ranks `contingents` above `contingent`;
//! - the exact boost of a typed word, in `forms`: for a fuzzy word, the word exactly as
//!   typed; for a prefix typed with accents, the completions that keep them (`sécur*`
//!   is French, and ranks `sécurité` above `security`; `secur*` says nothing of
//!   accents, and boosts none).
//!
//! Every clause is weighed by how close its form is to the query word. For a fuzzy
//! word, by edit distance (transpositions cost one, as in the automaton): 0 weighs
//! [`CLOSENESS`]`[0]`, then 1 and 2 less, and a stem shared by several forms takes the
//! closest one's weight. For a prefix, by document frequency: the completions found in
//! at least a tenth ([`COMMON_SHARE`]) as many passages as the commonest weigh 1, and
//! a rarer one the square root of its share of that tenth. BM25 alone, whose idf favours
//! rare terms, put a stray `Security-Council` first for `sécur*`; a weight by length
//! would prefer `secure` to `sécurité`; and a weight by the share of the commonest
//! alone made `sécurité` (1,284 passages) lose to `security` (4,270) because the
//! corpus has more English. The word itself, when the prefix is a whole word, weighs 1.
//!
//! The expansion is capped at [`MAX_FORMS`] folded forms: for a fuzzy word the closest
//! first and, among equals, the most frequent; for a prefix the most frequent, the word
//! itself always kept. So is the number of forms the exact boost takes. What the cap leaves
//! out is neither matched nor highlighted.
//!
//! ```
//! use quorum::index::{build, store::Store};
//! use quorum::search::{Engine, Request};
//! let dir = tempfile::tempdir()?;
//! std::fs::write(dir.path().join("a.txt"), "Les continents.\n\nLe contingent.\n\nLes contingents.")?;
//! let store = Store::new(dir.path().join("index"));
//! build::run(&store, &build::Options::new(vec![dir.path().to_path_buf()]), &mut build::Silent)?;
//! let engine = Engine::open(&store)?;
//! let response = engine.search(&Request::new("contingents~"))?;
//! let texts: Vec<&str> = response.hits.iter().map(|h| h.text.as_str()).collect();
//! assert_eq!(texts, ["Les contingents.", "Le contingent.", "Les continents."]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::HashMap;

use tantivy::query::{BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, Term};

use crate::analysis::{self, analyze, twin};
use crate::index::schema::Fields;
use crate::Lang;

/// At most this many folded forms are taken from the dictionary for one word, and at
/// most this many forms for its exact boost.
pub const MAX_FORMS: usize = 50;

/// Weight of a form by its edit distance to a fuzzy word (0, 1, 2).
pub const CLOSENESS: [f32; 3] = [1.0, 0.4, 0.15];

/// A prefix completion found in at least this share of the passages of the commonest
/// one weighs as much as it; a rarer one, the square root of its share of that.
pub const COMMON_SHARE: f32 = 0.1;

/// Weight of a form's unstemmed terms in `forms`, times its closeness: the folded
/// boost of a typed word.
const FORM_BOOST: f32 = super::query::FOLDED_BOOST;

/// Weight of a form that keeps the word as typed, times its closeness: the exact
/// boost of a typed word.
const ACCENT_BOOST: f32 = super::query::EXACT_BOOST;

/// What a word's forms must match.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pattern {
    /// Start with the word.
    Prefix,
    /// Lie within this edit distance of it (at most 2).
    Fuzzy(u8),
}

/// A folded form that the dictionary holds.
#[derive(Clone, Debug, PartialEq)]
struct Form {
    /// The form, folded and unmarked.
    folded: String,
    /// The `forms` terms it is indexed as: itself, its twin, or both.
    terms: Vec<String>,
    /// The passages holding one of them (summed over the terms, so an upper bound).
    doc_freq: u64,
    /// How close it is to the query word, from [`CLOSENESS`].
    weight: f32,
}

/// The forms one prefix or fuzzy word matches in an index, weighed and capped.
#[derive(Clone, Debug, Default)]
pub struct Expansion {
    /// Folded forms, the closest (or most frequent) first.
    forms: Vec<Form>,
    /// `forms` terms that keep the word as typed (its accents), with their weight.
    accented: Vec<(String, f32)>,
}

impl Expansion {
    /// Expands `folded` (the word folded) by `pattern` from the `forms` field of every
    /// segment. `exact` is the word as the exact chain gives it, accents kept: a fuzzy
    /// word's exact form is boosted, and so are the completions of a prefix that keep
    /// its accents.
    pub fn new(
        searcher: &Searcher,
        field: Field,
        folded: &str,
        exact: Option<&str>,
        pattern: Pattern,
    ) -> tantivy::Result<Expansion> {
        let mut found: HashMap<String, Form> = HashMap::new();
        // The unmarked terms that are their own folded form, then the marked twins of
        // the forms that fold. An unmarked term with accents is found through its twin.
        for marked in [false, true] {
            let needle = if marked {
                twin::twin(folded)
            } else {
                folded.to_string()
            };
            stream(searcher, field, &needle, pattern, |term, doc_freq| {
                let form = match term.strip_prefix(analysis::FOLDED_MARK) {
                    Some(form) if marked => form,
                    None if !marked && analysis::fold(term) == term => term,
                    _ => return,
                };
                let entry = found.entry(form.to_string()).or_insert_with(|| Form {
                    folded: form.to_string(),
                    terms: Vec::new(),
                    doc_freq: 0,
                    weight: 0.0,
                });
                if !entry.terms.iter().any(|t| t == term) {
                    entry.terms.push(term.to_string());
                }
                entry.doc_freq += doc_freq;
            })?;
        }
        let mut forms: Vec<Form> = found.into_values().collect();
        let top = forms.iter().map(|f| f.doc_freq).max().unwrap_or(1).max(1);
        for form in &mut forms {
            form.weight = weight(folded, form, top, pattern);
        }
        // The heaviest first; among equals the most frequent, then the form, so that
        // the cap keeps the same forms every time.
        forms.sort_by(|a, b| {
            b.weight
                .total_cmp(&a.weight)
                .then(b.doc_freq.cmp(&a.doc_freq))
                .then_with(|| a.folded.cmp(&b.folded))
        });
        forms.truncate(MAX_FORMS);

        let mut accented = Vec::new();
        let mut terms: Vec<(String, u64)> = Vec::new();
        match (pattern, exact) {
            // A fuzzy word as typed scores as the typed word does, with its exact boost.
            (Pattern::Fuzzy(_), Some(exact)) => {
                let doc_freq = searcher.doc_freq(&Term::from_field_text(field, exact))?;
                if doc_freq > 0 {
                    terms.push((exact.to_string(), doc_freq));
                }
            }
            // A prefix without accents says nothing of them: every completion keeps it.
            (Pattern::Prefix, Some(exact)) if exact != folded => {
                let mut by_term: HashMap<String, u64> = HashMap::new();
                stream(searcher, field, exact, pattern, |term, doc_freq| {
                    *by_term.entry(term.to_string()).or_default() += doc_freq;
                })?;
                terms.extend(by_term);
            }
            _ => {}
        }
        if !terms.is_empty() {
            let weights: HashMap<&str, f32> = forms
                .iter()
                .map(|f| (f.folded.as_str(), f.weight))
                .collect();
            terms.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            terms.truncate(MAX_FORMS);
            accented = terms
                .into_iter()
                .filter_map(|(term, _)| {
                    let weight = *weights.get(analysis::fold(&term).as_ref())?;
                    Some((term, weight))
                })
                .collect();
        }
        Ok(Expansion { forms, accented })
    }

    /// The query of the word in `lang`'s passages: its forms' stems in the body field,
    /// each weighed by its closest form, with the form boosts on top. A form that the
    /// body chain drops (a stop word) matches by its `forms` terms within `scope`, the
    /// passages of the language. Returns the query and the stems, for highlighting.
    pub fn body_query(
        &self,
        fields: &Fields,
        lang: &Lang,
        scope: impl FnOnce() -> Box<dyn Query>,
    ) -> Option<(Box<dyn Query>, Vec<String>)> {
        let field = fields.body(lang);
        let mut stems: Vec<(String, f32)> = Vec::new();
        let mut dropped: Vec<(Term, f32)> = Vec::new();
        for form in &self.forms {
            let tokens = analyze(analysis::body_analyzer(lang), &form.folded);
            if tokens.is_empty() {
                dropped.extend(form_terms(fields.forms, form, 1.0));
            }
            for token in tokens {
                match stems.iter_mut().find(|(s, _)| *s == token.text) {
                    Some((_, weight)) => *weight = weight.max(form.weight),
                    None => stems.push((token.text, form.weight)),
                }
            }
        }
        let mut matching: Vec<Box<dyn Query>> = stems
            .iter()
            .map(|(stem, weight)| boosted(Term::from_field_text(field, stem), *weight))
            .collect();
        if !dropped.is_empty() {
            let forms = BooleanQuery::union(
                dropped
                    .into_iter()
                    .map(|(term, weight)| boosted(term, weight))
                    .collect(),
            );
            matching.push(Box::new(BooleanQuery::new(vec![
                (Occur::Must, Box::new(forms) as Box<dyn Query>),
                (Occur::Must, scope()),
            ])));
        }
        let matching = match matching.len() {
            0 => return None,
            1 => matching.pop()?,
            _ => Box::new(BooleanQuery::union(matching)),
        };
        // The boosts only score the passages the body matched: each language's copy
        // of the query adds them to its own passages, so no passage gets them twice.
        let mut clauses = vec![(Occur::Must, matching)];
        clauses.extend(self.boosts(fields).map(|query| (Occur::Should, query)));
        let query = Box::new(BooleanQuery::new(clauses));
        Some((query, stems.into_iter().map(|(stem, _)| stem).collect()))
    }

    /// The query of the word in the `forms` field alone: each form's terms, weighed.
    pub fn forms_query(&self, fields: &Fields) -> Option<Box<dyn Query>> {
        let clauses: Vec<Box<dyn Query>> = self
            .forms
            .iter()
            .flat_map(|form| form_terms(fields.forms, form, form.weight))
            .map(|(term, weight)| boosted(term, weight))
            .chain(self.boosts(fields))
            .collect();
        (!clauses.is_empty()).then(|| Box::new(BooleanQuery::union(clauses)) as Box<dyn Query>)
    }

    /// The score-only clauses: each form's unstemmed terms, and the forms that keep the
    /// word as typed.
    fn boosts<'a>(&'a self, fields: &'a Fields) -> impl Iterator<Item = Box<dyn Query>> + 'a {
        let forms = self
            .forms
            .iter()
            .flat_map(|form| form_terms(fields.forms, form, FORM_BOOST * form.weight));
        let accented = self.accented.iter().map(|(term, weight)| {
            (
                Term::from_field_text(fields.forms, term),
                ACCENT_BOOST * weight,
            )
        });
        forms
            .chain(accented)
            .map(|(term, weight)| boosted(term, weight))
    }
}

/// The old, unranked query of a word, for an index whose dictionary could not be read:
/// every `forms` term the automaton matches, with one score.
pub fn unranked(field: Field, folded: &str, pattern: Pattern) -> Vec<Box<dyn Query>> {
    [folded.to_string(), twin::twin(folded)]
        .into_iter()
        .map(|text| {
            let term = Term::from_field_text(field, &text);
            let query = match pattern {
                Pattern::Prefix => FuzzyTermQuery::new_prefix(term, 0, true),
                Pattern::Fuzzy(distance) => FuzzyTermQuery::new(term, distance, true),
            };
            Box::new(query) as Box<dyn Query>
        })
        .collect()
}

/// Calls `each` with every term of `field` that `needle` matches by `pattern`, with its
/// document frequency, segment by segment.
pub(super) fn stream(
    searcher: &Searcher,
    field: Field,
    needle: &str,
    pattern: Pattern,
    mut each: impl FnMut(&str, u64),
) -> tantivy::Result<()> {
    let term = Term::from_field_text(field, needle);
    let automaton = match pattern {
        Pattern::Prefix => FuzzyTermQuery::new_prefix(term, 0, true),
        Pattern::Fuzzy(distance) => FuzzyTermQuery::new(term, distance.min(2), true),
    }
    .automaton()?;
    for segment in searcher.segment_readers() {
        let index = segment.inverted_index(field)?;
        let mut terms = index.terms().search(&automaton).into_stream()?;
        while terms.advance() {
            if let Ok(text) = std::str::from_utf8(terms.key()) {
                each(text, u64::from(terms.value().doc_freq));
            }
        }
    }
    Ok(())
}

/// How close `form` is to the query word `folded`, as a weight.
fn weight(folded: &str, form: &Form, top: u64, pattern: Pattern) -> f32 {
    match pattern {
        Pattern::Fuzzy(_) => {
            let distance = strsim::osa_distance(folded, &form.folded);
            CLOSENESS[distance.min(CLOSENESS.len() - 1)]
        }
        Pattern::Prefix if form.folded == folded => CLOSENESS[0],
        Pattern::Prefix => {
            let share = form.doc_freq as f32 / (top as f32 * COMMON_SHARE);
            share.min(1.0).sqrt()
        }
    }
}

/// The `forms` terms of a form, each with `weight`.
fn form_terms(field: Field, form: &Form, weight: f32) -> impl Iterator<Item = (Term, f32)> + '_ {
    form.terms
        .iter()
        .map(move |text| (Term::from_field_text(field, text), weight))
}

fn boosted(term: Term, weight: f32) -> Box<dyn Query> {
    let query = Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs));
    Box::new(BoostQuery::new(query, weight))
}
