//! Turns a parsed query into a tantivy query, and remembers what to highlight.
//!
//! The builder analyzes nothing itself: it reads each word's forms from the
//! [`QueryTerms`] that [`terms`](super::terms) derived once. Each word takes its stems in
//! the body chain of every language the query may be in (French, English and the plain
//! chain, or only `--lang`'s), and the per-language queries are joined with OR: a French passage only ever matches the French analysis
//! of the query. On top of the matching query come score-only clauses:
//!
//! - the exact forms (accents kept) and the folded unstemmed forms, both in the
//!   `forms` field (a folded form that differs is a marked [twin](analysis::twin)),
//!   so that `pêche` ranks a passage with `pêche` above one with `péché`, and
//!   `contingents` ranks `contingents` above `contingent`. The first pass of a query
//!   of several words runs without them ([`Compiled::bare`]), and they are added to its
//!   best passages only ([`Compiled::boosts`]);
//! - the query's words as a phrase, so that passages where the words stand together
//!   come first. It is kept apart ([`Compiled::phrases`]) and added to the best passages
//!   only, as a rerank (`proximity.rs`). (A proximity boost, the words
//!   within 6 positions, cost two thirds of a two-word query's time and changed no
//!   judged precision: it was dropped.)
//!
//! Compounds are matched in every spelling: the analyzer gives `peace-keeping` as the
//! parts and the joined form, and the query takes either (a phrase of the parts, or
//! the joined term). Two adjacent query words whose concatenation is an indexed term
//! also match it: `peace keeping` finds `peacekeeping`.

use std::collections::{HashMap, HashSet};

use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, Term};

use super::expand::{self, Expansion, Pattern};
pub use super::filter::named_document;
use super::filter::{lang_filter, metadata_filter, structured_filters, symbol_query};
use super::parse::{FieldFilter, Node};
use super::response::Filters;
pub use super::response::Operator;
use super::terms::{Chain, QueryTerms, Slot};
use crate::analysis;
use crate::index::schema::Fields;
use crate::Lang;

/// Weight of an exact-form match, on top of the stemmed BM25 score.
pub const EXACT_BOOST: f32 = 0.3;
/// Weight of a folded, unstemmed match.
pub const FOLDED_BOOST: f32 = 0.2;
/// Weight of the whole query found as a phrase.
pub const PHRASE_BOOST: f32 = 0.5;
/// What a passage of the named document in the query's language gains over the same
/// document in the other language ([`QueryTerms::language`]).
pub const LANGUAGE_BOOST: f32 = 1.0;
/// What a passage gains when the whole query is its document's title.
pub const TITLE_BOOST: f32 = 10.0;
/// Weight of a translation (`--cross`), times its weight in the table: below the word
/// as typed, so that a passage in the query's own words ranks first.
pub const CROSS_WEIGHT: f32 = 0.6;
/// Weight of a document-symbol match in the `symbol` metadata field.
pub const SYMBOL_BOOST: f32 = 3.0;
/// More compound spellings than this in one phrase are not expanded.
const MAX_ALTERNATIVES: usize = 16;

/// What to highlight in a passage: the terms each field matched, the phrases, and the
/// patterns.
#[derive(Clone, Debug, Default)]
pub struct Highlight {
    /// Terms per body (or `forms`) field, each marked wherever it occurs.
    pub terms: HashMap<Field, HashSet<String>>,
    /// Phrases per body (or `forms`) field: each spelling of a phrase as its terms with
    /// their positions relative to the first (stop words leave gaps), marked only where
    /// the whole sequence occurs.
    pub phrases: HashMap<Field, HashSet<Vec<(usize, String)>>>,
    /// Folded prefixes (`contin*`).
    pub prefixes: Vec<String>,
    /// Folded words with their edit distance (`contingents~`).
    pub fuzzy: Vec<(String, u8)>,
}

impl Highlight {
    fn add(&mut self, field: Field, term: &str) {
        self.terms
            .entry(field)
            .or_default()
            .insert(term.to_string());
    }

    fn add_phrase(&mut self, field: Field, phrase: Vec<(usize, String)>) {
        self.phrases.entry(field).or_default().insert(phrase);
    }
}

/// A compiled query.
pub struct Compiled {
    /// The query to run.
    pub query: Box<dyn Query>,
    /// What its matches look like in a passage.
    pub highlight: Highlight,
    /// Phrases that matched, in some language, only as their words in `forms` (which
    /// has no positions): a phrase of stop words such as `"to be or not to be"`. A hit
    /// holds the phrase only if its text says so ([`holds_phrase`]).
    pub verify: Vec<String>,
    /// [`Compiled::query`] without the boosts of the query's forms in `forms`, for a
    /// first pass that [`Compiled::boosts`] completes; `None` for a single word, whose
    /// plain union of terms holds its boosts at no cost.
    pub bare: Option<Box<dyn Query>>,
    /// The boosts of the query's forms in `forms`, which [`Compiled::query`] holds and
    /// [`Compiled::bare`] does not: a first pass of the bare query adds them to its
    /// best passages afterwards (`proximity.rs`), since seeking their postings for
    /// every match cost a fifth of a common query's time.
    pub boosts: Vec<Box<dyn Query>>,
    /// The query's words as a phrase in each language's body, weighted
    /// [`PHRASE_BOOST`]: part of neither query, since reading positions for every match
    /// cost most of a common query's time, but added to the best passages' scores
    /// afterwards (`proximity.rs`).
    pub phrases: Vec<Box<dyn Query>>,
}

impl Compiled {
    /// The query without its boosts: what it matches, for a pass that needs no score.
    pub fn matching(&self) -> &dyn Query {
        self.bare.as_deref().unwrap_or(&*self.query)
    }
}

/// Where a query is run: a field and the chain whose forms it holds.
struct Target {
    field: Field,
    chain: Chain,
    positions: bool,
}

impl Target {
    /// The stemmed body field of a language.
    fn body(fields: &Fields, lang: &Lang) -> Target {
        Target {
            field: fields.body(lang),
            chain: Chain::Body(lang.clone()),
            positions: true,
        }
    }
}

/// Compiles `root`, whose terms `terms` derived, keeping only the passages that
/// `filters` admit.
pub fn compile(
    root: &Node,
    terms: &QueryTerms,
    fields: &Fields,
    searcher: &Searcher,
    filters: &Filters,
    operator: Operator,
) -> Option<Compiled> {
    let langs = terms.langs();
    let mut builder = Builder {
        fields,
        searcher,
        terms,
        operator,
        highlight: Highlight::default(),
        verify: Vec::new(),
    };
    let mut per_lang = Vec::new();
    let mut matched = Vec::new();
    for lang in langs {
        if let Some(query) = builder.node(&Target::body(fields, lang), root) {
            per_lang.push(query);
            matched.push(lang.clone());
        }
    }
    // A query made only of stop words has no terms in a stemmed field: the forms
    // field keeps stop words, so it answers there, for the passages of that language.
    let exact = Target {
        field: fields.forms,
        chain: Chain::Forms,
        positions: false,
    };
    for lang in langs.iter().filter(|l| !matched.contains(l)) {
        if let Some(query) = builder.node(&exact, root) {
            per_lang.push(Box::new(BooleanQuery::new(vec![
                (Occur::Must, query),
                (Occur::Must, lang_filter(fields, lang)),
            ])));
        }
    }
    let matching = union(per_lang)?;
    let boosts = form_boosts(fields, terms, &positive_text(root));
    // A single word, the commonest query, becomes a plain union of term queries with
    // the same score: tantivy can then skip blocks that cannot make the page. With a
    // language or a filter, it is a conjunction again.
    let flat = match terms.query_lang() {
        None if filters.is_empty() => flat_word(root, fields, searcher, terms, &boosts),
        _ => None,
    };
    // A single word has no phrase to add.
    let single = flat.is_some();
    let mut form_boost = Vec::new();
    let (query, bare) = match flat {
        Some(flat) => (flat, None),
        None => {
            let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, matching)];
            // A query that is a document's title (`Article 51`) wants that document: the
            // heading that names the thing beats the passages that mention it.
            let words = positive_text(root).join(" ");
            if !words.trim().is_empty() {
                let title = Term::from_field_u64(
                    fields.title_key,
                    crate::index::passage::copy_hash(&words),
                );
                clauses.push((
                    Occur::Should,
                    Box::new(tantivy::query::ConstScoreQuery::new(
                        Box::new(TermQuery::new(title, IndexRecordOption::Basic)),
                        TITLE_BOOST,
                    )),
                ));
            }
            // The forms and the phrases are shared by every language: the language
            // filter keeps the passages of the one asked for.
            clauses.extend(
                structured_filters(filters)
                    .iter()
                    .filter_map(|filter| metadata_filter(fields, terms, filter))
                    .map(|query| (Occur::Must, query)),
            );
            let bare: Box<dyn Query> = Box::new(BooleanQuery::new(
                clauses
                    .iter()
                    .map(|(occur, query)| (*occur, query.box_clone()))
                    .collect(),
            ));
            let scored: Vec<Box<dyn Query>> = boosts
                .into_iter()
                .map(|(term, boost)| boosted(term_query(term), boost))
                .collect();
            clauses.extend(scored.iter().map(|q| (Occur::Should, q.box_clone())));
            form_boost = scored;
            (
                Box::new(BooleanQuery::new(clauses)) as Box<dyn Query>,
                Some(bare),
            )
        }
    };
    let phrases = if single {
        Vec::new()
    } else {
        phrase_boosts(fields, terms).collect()
    };
    Some(Compiled {
        query,
        bare,
        highlight: builder.highlight,
        verify: builder.verify,
        boosts: form_boost,
        phrases,
    })
}

struct Builder<'a> {
    fields: &'a Fields,
    searcher: &'a Searcher,
    terms: &'a QueryTerms,
    operator: Operator,
    highlight: Highlight,
    verify: Vec<String>,
}

impl Builder<'_> {
    fn node(&mut self, target: &Target, node: &Node) -> Option<Box<dyn Query>> {
        match node {
            Node::Empty => None,
            Node::Word(text) => {
                let typed = self.text(target, text);
                let translated = self.translated(target, text);
                union(typed.into_iter().chain(translated).collect())
            }
            Node::Phrase(text) => {
                let query = self.text(target, text)?;
                // Where the index cannot hold the phrase as one (the `forms` field has no
                // positions; a chain whose stop words leave one word of it), the words
                // match apart and each hit's text must show the phrase.
                let word = self.terms.word(text)?;
                let here = word.analyzed(&target.chain).map_or(0, |a| a.tokens.len());
                if word.exact.tokens.len() > 1
                    && (!target.positions || here < 2)
                    && !self.verify.contains(text)
                {
                    self.verify.push(text.clone());
                }
                Some(query)
            }
            Node::Symbol(symbol) => {
                let in_text = self.text(target, symbol);
                let in_metadata = self.symbol(symbol).map(|q| boosted(q, SYMBOL_BOOST));
                union(in_text.into_iter().chain(in_metadata).collect())
            }
            Node::Prefix(prefix) => {
                let word = self.terms.word(prefix)?;
                let folded = word.folded.last()?;
                if !self.highlight.prefixes.contains(folded) {
                    self.highlight.prefixes.push(folded.clone());
                }
                let exact = word.exact.tokens.last().map(String::as_str);
                let in_text = self.expanded(target, folded, exact, Pattern::Prefix);
                // `S/PRST/2015/*`: the documents whose symbol starts so. A symbol is one
                // token of the symbol field, so the prefix keeps its final `/`, which
                // analysis drops, lest `S/PRST/2015/*` take in `S/PRST/20150`.
                let in_metadata = match word.symbol.as_slice() {
                    [(_, symbol)] => {
                        let mut symbol = symbol.clone();
                        if prefix.ends_with('/') && !symbol.ends_with('/') {
                            symbol.push('/');
                        }
                        let term = Term::from_field_text(self.fields.symbol, &symbol);
                        let query = Box::new(FuzzyTermQuery::new_prefix(term, 0, true));
                        Some(boosted(query, SYMBOL_BOOST))
                    }
                    _ => None,
                };
                union(in_text.into_iter().chain(in_metadata).collect())
            }
            Node::Fuzzy { word, distance } => {
                let derived = self.terms.word(word)?;
                let folded = derived.folded.last()?;
                let fuzzy = (folded.clone(), *distance);
                if !self.highlight.fuzzy.contains(&fuzzy) {
                    self.highlight.fuzzy.push(fuzzy);
                }
                let exact = derived.exact.tokens.last().map(String::as_str);
                self.expanded(target, folded, exact, Pattern::Fuzzy(*distance))
            }
            Node::Field(filter) => self.filter(filter),
            Node::And(children) => self.and(target, children),
            Node::Or(children) => union(
                children
                    .iter()
                    .filter_map(|c| self.node(target, c))
                    .collect(),
            ),
            Node::Not(child) => {
                let excluded = self.negative(target, child)?;
                Some(Box::new(BooleanQuery::new(vec![
                    (Occur::Must, self.scope(target)),
                    (Occur::MustNot, excluded),
                ])))
            }
            Node::Required(child) => self.node(target, child),
        }
    }

    /// A prefix or fuzzy word in `target`: the forms of the dictionary it matches, as
    /// scored clauses (see [`expand`](super::expand)). An index whose dictionary cannot be
    /// read gets the automaton query, unranked, rather than no answer.
    fn expanded(
        &mut self,
        target: &Target,
        folded: &str,
        exact: Option<&str>,
        pattern: Pattern,
    ) -> Option<Box<dyn Query>> {
        let expansion =
            match Expansion::new(self.searcher, self.fields.forms, folded, exact, pattern) {
                Ok(expansion) => expansion,
                Err(error) => {
                    tracing::warn!("expanding `{folded}` from the dictionary: {error}");
                    return union(expand::unranked(self.fields.forms, folded, pattern));
                }
            };
        match &target.chain {
            Chain::Body(lang) => {
                let (query, stems) =
                    expansion.body_query(self.fields, lang, || self.scope(target))?;
                for stem in &stems {
                    self.highlight.add(target.field, stem);
                }
                Some(query)
            }
            Chain::Forms => expansion.forms_query(self.fields),
        }
    }

    /// A query for what a negation excludes: it adds nothing to highlight.
    fn negative(&mut self, target: &Target, node: &Node) -> Option<Box<dyn Query>> {
        let saved = std::mem::take(&mut self.highlight);
        let query = self.node(target, node);
        self.highlight = saved;
        query
    }

    fn and(&mut self, target: &Target, children: &[Node]) -> Option<Box<dyn Query>> {
        let mut positives: Vec<Box<dyn Query>> = Vec::new();
        let mut filters: Vec<Box<dyn Query>> = Vec::new();
        let mut negatives: Vec<Box<dyn Query>> = Vec::new();
        let mut i = 0;
        while i < children.len() {
            let child = &children[i];
            if let (Node::Word(a), Some(Node::Word(b))) = (child, children.get(i + 1)) {
                if let Some(joined) = self.joined(target, a, b) {
                    positives.push(joined);
                    i += 2;
                    continue;
                }
            }
            match child {
                Node::Not(inner) => negatives.extend(self.negative(target, inner)),
                Node::Field(filter) => filters.extend(self.filter(filter)),
                other => positives.extend(self.node(target, other)),
            }
            i += 1;
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        match self.operator {
            Operator::And => clauses.extend(positives.into_iter().map(|q| (Occur::Must, q))),
            Operator::Or => clauses.extend(union(positives).map(|q| (Occur::Must, q))),
        }
        clauses.extend(filters.into_iter().map(|q| (Occur::Must, q)));
        if clauses.is_empty() && negatives.is_empty() {
            return None;
        }
        if !negatives.is_empty() {
            // An exclusion is written in this copy's analysis only: without the scope,
            // a passage of another language would pass it untested (issue 9, item 2).
            clauses.push((Occur::Must, self.scope(target)));
        }
        clauses.extend(negatives.into_iter().map(|q| (Occur::MustNot, q)));
        Some(Box::new(BooleanQuery::new(clauses)))
    }

    /// The passages a copy of the query speaks for: those of its language for a body
    /// copy, every passage for the `forms` copy (which the caller filters by language).
    /// Each copy can only test an exclusion against its own language's analysis, so a
    /// copy that excludes must not let another language's passages through.
    fn scope(&self, target: &Target) -> Box<dyn Query> {
        match &target.chain {
            Chain::Body(lang @ (Lang::Fr | Lang::En)) => lang_filter(self.fields, lang),
            Chain::Body(Lang::Other(_)) => Box::new(BooleanQuery::new(vec![
                (Occur::Must, Box::new(AllQuery) as Box<dyn Query>),
                (Occur::MustNot, lang_filter(self.fields, &Lang::Fr)),
                (Occur::MustNot, lang_filter(self.fields, &Lang::En)),
            ])),
            Chain::Forms => Box::new(AllQuery),
        }
    }

    /// `peace keeping`: both words, or the joined word when the index has it.
    fn joined(&mut self, target: &Target, a: &str, b: &str) -> Option<Box<dyn Query>> {
        let joined = self.terms.joined(a, b, target.field)?;
        let term = Term::from_field_text(target.field, joined);
        let first = self.text(target, a)?;
        let second = self.text(target, b)?;
        self.highlight.add(target.field, joined);
        let both: Box<dyn Query> = match self.operator {
            Operator::And => Box::new(BooleanQuery::intersection(vec![first, second])),
            Operator::Or => Box::new(BooleanQuery::union(vec![first, second])),
        };
        union(vec![both, term_query(term)])
    }

    /// A word or phrase: the phrase of its tokens, in each compound spelling.
    fn text(&mut self, target: &Target, text: &str) -> Option<Box<dyn Query>> {
        let analyzed = self.terms.word(text)?.analyzed(&target.chain)?;
        let spellings = alternatives(&analyzed.slots);
        if spellings.iter().any(|spelling| spelling.len() > 1) {
            // Several positions match only together (a quoted phrase, `2086 (2013)`, a
            // symbol in the text, the parts of `peace-keeping`): marking each word
            // wherever it stood would show `paix` far from `maintien de la paix`
            // (issue 10).
            for spelling in &spellings {
                self.highlight.add_phrase(target.field, spelling.clone());
            }
        } else {
            for token in &analyzed.tokens {
                self.highlight.add(target.field, token);
            }
        }
        let queries = spellings
            .into_iter()
            .filter(|alt| !alt.is_empty())
            .map(|alt| {
                let mut terms: Vec<(usize, Term)> = alt
                    .into_iter()
                    .map(|(p, t)| (p, Term::from_field_text(target.field, &t)))
                    .collect();
                if terms.len() == 1 {
                    return term_query(terms.remove(0).1);
                }
                if target.positions {
                    Box::new(PhraseQuery::new_with_offset(terms))
                } else {
                    Box::new(BooleanQuery::intersection(
                        terms.into_iter().map(|(_, t)| term_query(t)).collect(),
                    ))
                }
            })
            .collect();
        union(queries)
    }

    /// A word's translations into this target's language (`--cross`), each a term or a
    /// phrase, weighted below the word itself.
    fn translated(&mut self, target: &Target, text: &str) -> Option<Box<dyn Query>> {
        let Chain::Body(lang) = &target.chain else {
            return None;
        };
        let translations = self.terms.word(text)?.translations(lang);
        let mut queries = Vec::new();
        for translation in translations {
            let boost = CROSS_WEIGHT * translation.weight;
            let query: Box<dyn Query> = match translation.terms.as_slice() {
                [(_, term)] => {
                    self.highlight.add(target.field, term);
                    term_query(Term::from_field_text(target.field, term))
                }
                terms => {
                    self.highlight.add_phrase(target.field, terms.to_vec());
                    Box::new(PhraseQuery::new_with_offset(
                        terms
                            .iter()
                            .map(|(p, t)| (*p, Term::from_field_text(target.field, t)))
                            .collect(),
                    ))
                }
            };
            queries.push(boosted(query, boost));
        }
        union(queries)
    }

    fn symbol(&self, symbol: &str) -> Option<Box<dyn Query>> {
        symbol_query(self.fields, self.terms, symbol)
    }

    fn filter(&self, filter: &FieldFilter) -> Option<Box<dyn Query>> {
        metadata_filter(self.fields, self.terms, filter)
    }
}

/// Every spelling of a sequence of slots, positions rebased to start at 0.
fn alternatives(slots: &[Slot]) -> Vec<Vec<(usize, String)>> {
    let mut out: Vec<Vec<(usize, String)>> = vec![Vec::new()];
    for slot in slots {
        match slot {
            Slot::Single(p, t) => out.iter_mut().for_each(|alt| alt.push((*p, t.clone()))),
            Slot::Compound { parts, joined } => {
                let expand = out.len() * 2 <= MAX_ALTERNATIVES;
                let mut with_joined = Vec::new();
                for alt in &mut out {
                    if expand {
                        let mut other = alt.clone();
                        other.push(joined.clone());
                        with_joined.push(other);
                    }
                    alt.extend(parts.iter().cloned());
                }
                out.extend(with_joined);
            }
        }
    }
    out.into_iter()
        .map(|alt| {
            let base = alt.iter().map(|(p, _)| *p).min().unwrap_or(0);
            alt.into_iter().map(|(p, t)| (p - base, t)).collect()
        })
        .collect()
}

pub(super) fn rebase(terms: Vec<(usize, Term)>) -> Vec<(usize, Term)> {
    let base = terms.iter().map(|(p, _)| *p).min().unwrap_or(0);
    terms.into_iter().map(|(p, t)| (p - base, t)).collect()
}

/// The query's words as a phrase in each language's body, boosted: passages where the
/// words stand together come first.
fn phrase_boosts<'a>(
    fields: &'a Fields,
    terms: &'a QueryTerms,
) -> impl Iterator<Item = Box<dyn Query>> + 'a {
    terms
        .langs()
        .iter()
        .filter_map(move |lang| {
            let field = fields.body(lang);
            let slots = &terms.sequence(lang)?.slots;
            if slots.len() < 2 {
                return None;
            }
            let phrases = alternatives(slots)
                .into_iter()
                .filter(|alt| alt.len() >= 2)
                .map(move |alt| {
                    let terms = alt
                        .into_iter()
                        .map(|(p, t)| (p, Term::from_field_text(field, &t)))
                        .collect();
                    boosted(Box::new(PhraseQuery::new_with_offset(terms)), PHRASE_BOOST)
                });
            Some(phrases)
        })
        .flatten()
}

/// The `forms` terms of the query's words, with their boosts: each exact form, and each
/// folded form both unmarked (a form with nothing to fold is its own folded form) and
/// as its twin. Stop words boost nothing (nearly every passage has `de` or `the`), and
/// their postings, the longest of the field, would be read for every query.
fn form_boosts(fields: &Fields, terms: &QueryTerms, words: &[&str]) -> Vec<(Term, f32)> {
    let mut seen = HashSet::new();
    let mut boosts = Vec::new();
    for word in words.iter().filter_map(|text| terms.word(text)) {
        for (forms, folded) in [(&word.exact.tokens, false), (&word.folded, true)] {
            for form in forms {
                if analysis::stopwords::is_stop_word(form) || !seen.insert((folded, form)) {
                    continue;
                }
                if folded {
                    for term in folded_terms(fields.forms, form) {
                        add_boost(&mut boosts, term, FOLDED_BOOST);
                    }
                } else {
                    let term = Term::from_field_text(fields.forms, form);
                    add_boost(&mut boosts, term, EXACT_BOOST);
                }
            }
        }
    }
    boosts
}

/// Adds `boost` to a term's boost: a word whose folded form is its exact form (most
/// English words) has one term for both boosts, read once with their sum, which scores
/// as the two clauses did.
fn add_boost(boosts: &mut Vec<(Term, f32)>, term: Term, boost: f32) {
    match boosts.iter_mut().find(|(held, _)| *held == term) {
        Some((_, held)) => *held += boost,
        None => boosts.push((term, boost)),
    }
}

/// The two terms a folded form may be indexed as in `field`: unmarked, where folding
/// changed nothing, and as a marked twin.
fn folded_terms(field: Field, folded: &str) -> [Term; 2] {
    [
        Term::from_field_text(field, folded),
        Term::from_field_text(field, &analysis::twin::twin(folded)),
    ]
}

/// A single word as a union of term queries: its stem in each language's body field,
/// and its `boosts`, each term that the index holds. It scores as the general form
/// (the body terms, plus the boosts), and since every word's forms lie in the body of
/// its passage, it matches the same passages. `None` for anything else: several
/// words, a compound, a stop word.
fn flat_word(
    root: &Node,
    fields: &Fields,
    searcher: &Searcher,
    derived: &QueryTerms,
    boosts: &[(Term, f32)],
) -> Option<Box<dyn Query>> {
    let Node::Word(text) = root else {
        return None;
    };
    let word = derived.word(text)?;
    let mut terms: Vec<(Term, f32)> = Vec::new();
    for lang in derived.langs() {
        match word.body(lang)?.tokens.as_slice() {
            [] => {}
            [token] => terms.push((Term::from_field_text(fields.body(lang), token), 1.0)),
            _ => return None,
        }
    }
    if terms.is_empty() {
        return None;
    }
    for lang in derived.langs() {
        for translation in word.translations(lang) {
            let [(_, term)] = translation.terms.as_slice() else {
                return None;
            };
            let term = Term::from_field_text(fields.body(lang), term);
            terms.push((term, CROSS_WEIGHT * translation.weight));
        }
    }
    terms.extend(boosts.iter().cloned());
    // A term a segment lacks would make the union something tantivy cannot prune.
    let clauses = terms
        .into_iter()
        .filter(|(term, _)| super::terms::index_holds(searcher, term))
        .map(|(term, boost)| (Occur::Should, boosted(term_query(term), boost)))
        .collect();
    Some(Box::new(BooleanQuery::new(clauses)))
}

pub(super) fn term_query(term: Term) -> Box<dyn Query> {
    Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs))
}

fn boosted(query: Box<dyn Query>, boost: f32) -> Box<dyn Query> {
    Box::new(BoostQuery::new(query, boost))
}

fn union(mut queries: Vec<Box<dyn Query>>) -> Option<Box<dyn Query>> {
    match queries.len() {
        0 => None,
        1 => queries.pop(),
        _ => Some(Box::new(BooleanQuery::union(queries))),
    }
}

/// The texts of the query's positive words, phrases and symbols, for the exact and
/// folded boosts.
fn positive_text(node: &Node) -> Vec<&str> {
    let mut out = Vec::new();
    fn walk<'a>(node: &'a Node, out: &mut Vec<&'a str>) {
        match node {
            Node::Word(t) | Node::Phrase(t) | Node::Symbol(t) => out.push(t),
            Node::And(children) | Node::Or(children) => {
                children.iter().for_each(|c| walk(c, out));
            }
            Node::Required(child) => walk(child, out),
            Node::Not(_) | Node::Empty | Node::Prefix(_) | Node::Fuzzy { .. } | Node::Field(_) => {}
        }
    }
    walk(node, &mut out);
    out
}

/// The tree without its [`Node::Required`] marks, and flattened again where a marked group
/// held an AND in an AND or an OR in an OR (`+(a b) c`): the tree that `+` and an explicit
/// `AND` gave before they were marked, so that the adjacent-word join and the phrase boost
/// see the same children.
pub(crate) fn unmarked(node: &Node) -> Node {
    match node {
        Node::Required(child) => unmarked(child),
        Node::And(children) => {
            let mut flat = Vec::with_capacity(children.len());
            for child in children.iter().map(unmarked) {
                match child {
                    Node::And(inner) => flat.extend(inner),
                    child => flat.push(child),
                }
            }
            Node::And(flat)
        }
        Node::Or(children) => {
            let mut flat = Vec::with_capacity(children.len());
            for child in children.iter().map(unmarked) {
                match child {
                    Node::Or(inner) => flat.extend(inner),
                    child => flat.push(child),
                }
            }
            Node::Or(flat)
        }
        Node::Not(child) => Node::Not(Box::new(unmarked(child))),
        Node::Empty
        | Node::Word(_)
        | Node::Phrase(_)
        | Node::Prefix(_)
        | Node::Fuzzy { .. }
        | Node::Symbol(_)
        | Node::Field(_) => node.clone(),
    }
}

/// Whether a passage's text holds `phrase` as a phrase: its exact forms, stop words
/// included, one after the other. For phrases that the index can only match word by
/// word (see [`Compiled::verify`]).
pub fn holds_phrase(text: &str, phrase: &str) -> bool {
    let words = |t: &str| -> Vec<tantivy::tokenizer::Token> {
        analysis::analyze(analysis::EXACT, t)
            .into_iter()
            .filter(|token| token.position_length == 1)
            .collect()
    };
    let wanted = words(phrase);
    let Some(base) = wanted.first().map(|t| t.position) else {
        return true;
    };
    let wanted: Vec<(usize, String)> = wanted
        .into_iter()
        .map(|t| (t.position - base, t.text))
        .collect();
    !super::snippet::phrase_occurrences(&words(text), &wanted).is_empty()
}
