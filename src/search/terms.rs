//! Query terms, derived in one place: every word, phrase and symbol of a query is
//! analyzed once per chain into a [`Word`] that holds all the forms it may match, and the
//! query builder ([`query`](super::query)) reads those values instead of analyzing the
//! text again wherever it needs a form.
//!
//! A word's derivations are its stems in each language's body chain (with compound
//! spellings grouped into [`Slot`]s), its exact forms and its folded forms in the `forms`
//! field, and, for a document symbol, its tokens in the `symbol` field. Two adjacent words
//! also derive their joined spelling (`peace keeping` → `peacekeeping`) where the index
//! has it, and the query's top-level words derive the phrase of the phrase boost. Like
//! Meilisearch's `compute_derivations`, this is where a new kind of form (a translation,
//! say) joins: one more field of [`Word`], read by the builder.
//!
//! ```
//! use quorum::search::parse::parse;
//! use quorum::search::terms::QueryTerms;
//! use quorum::Lang;
//! let query = parse("contingents")?;
//! let terms = QueryTerms::derive(&query.root, None, None);
//! assert_eq!(terms.langs().len(), 3); // French, English and the plain chain
//! let word = terms.word("contingents").expect("derived");
//! // One analysis per chain: the French and English stems differ.
//! assert_eq!(word.body(&Lang::Fr).map(|a| a.tokens.clone()), Some(vec!["contingent".to_string()]));
//! assert_eq!(word.body(&Lang::En).map(|a| a.tokens.clone()), Some(vec!["conting".to_string()]));
//! assert_eq!(word.exact.tokens, ["contingents"]);
//! # Ok::<(), quorum::search::parse::ParseError>(())
//! ```

use std::collections::HashMap;

use tantivy::schema::Field;
use tantivy::tokenizer::Token;
use tantivy::{Searcher, Term};

use super::parse::{FieldFilter, Node};
use crate::analysis::{self, analyze};
use crate::index::schema::Fields;
use crate::lexicon::{Lexicon, Translation};
use crate::Lang;

/// The chain a form comes from, which names the field it is looked up in.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Chain {
    /// A language's stemmed body chain, for its body field.
    Body(Lang),
    /// The exact chain (stop words kept, nothing folded), for the `forms` field.
    Forms,
}

impl Chain {
    /// The analyzer that makes this chain's forms.
    pub fn analyzer(&self) -> &'static str {
        match self {
            Chain::Body(lang) => analysis::body_analyzer(lang),
            Chain::Forms => analysis::EXACT,
        }
    }
}

/// A token of a query, or a compound with its parts and its joined form, each with its
/// position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Slot {
    /// One token.
    Single(usize, String),
    /// `peace-keeping`: the parts, and the joined form at the last part's position.
    Compound {
        /// The parts, in order.
        parts: Vec<(usize, String)>,
        /// The joined form.
        joined: (usize, String),
    },
}

/// A text analyzed by one chain: its tokens in stream order, and the same tokens grouped
/// into slots.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Analyzed {
    /// The token texts, in the order the analyzer gave them.
    pub tokens: Vec<String>,
    /// The tokens grouped into single tokens and compounds.
    pub slots: Vec<Slot>,
}

impl Analyzed {
    /// Analyzes `text` with the analyzer `name`.
    pub fn new(name: &str, text: &str) -> Analyzed {
        let tokens = analyze(name, text);
        Analyzed {
            tokens: tokens.iter().map(|t| t.text.clone()).collect(),
            slots: slots(&tokens),
        }
    }
}

/// Every form one query word, phrase or symbol may match.
#[derive(Clone, Debug, PartialEq)]
pub struct Word {
    /// The text as typed.
    pub text: String,
    /// Its analysis by the body chain of each language the query is analyzed in.
    pub body: Vec<(Lang, Analyzed)>,
    /// Its exact forms (accents and stop words kept), as the `forms` field holds them.
    pub exact: Analyzed,
    /// Its folded, unstemmed forms, unmarked (see [`analysis::twin`] for the marked twin).
    pub folded: Vec<String>,
    /// Its tokens in the `symbol` field, with positions: only for symbols.
    pub symbol: Vec<(usize, String)>,
    /// Its translations into each language's body field (`--cross`): the table's
    /// translations of its stem in the other language, best first, leaving out a
    /// translation that is its own stem there. Empty without `--cross`.
    pub translations: Vec<(Lang, Vec<Translation>)>,
}

impl Word {
    fn derive(text: &str, langs: &[Lang], symbol: bool) -> Word {
        Word {
            text: text.to_string(),
            body: langs
                .iter()
                .map(|lang| {
                    let name = Chain::Body(lang.clone()).analyzer();
                    (lang.clone(), Analyzed::new(name, text))
                })
                .collect(),
            exact: Analyzed::new(analysis::EXACT, text),
            folded: analyze(analysis::FOLDED, text)
                .into_iter()
                .map(|t| t.text)
                .collect(),
            symbol: if symbol {
                symbol_tokens(text)
            } else {
                Vec::new()
            },
            translations: Vec::new(),
        }
    }

    /// Its translations into `lang`'s body field.
    pub fn translations(&self, lang: &Lang) -> &[Translation] {
        self.translations
            .iter()
            .find(|(l, _)| l == lang)
            .map_or(&[], |(_, t)| t.as_slice())
    }

    /// The one term a chain makes of it (a compound's joined form), if it makes one.
    fn single(&self, lang: &Lang) -> Option<&str> {
        match self.body(lang)?.slots.as_slice() {
            [Slot::Single(_, term)] => Some(term),
            [Slot::Compound { joined, .. }] => Some(&joined.1),
            _ => None,
        }
    }

    /// Its analysis by a language's body chain.
    pub fn body(&self, lang: &Lang) -> Option<&Analyzed> {
        self.body.iter().find(|(l, _)| l == lang).map(|(_, a)| a)
    }

    /// How many passages hold its rarest stem in a language's body field: about how many
    /// hold the word there. `None` when that chain leaves nothing of it.
    pub fn rarest_passages(
        &self,
        lang: &Lang,
        fields: &Fields,
        searcher: &Searcher,
    ) -> Option<u64> {
        let field = fields.body(lang);
        self.body(lang)?
            .tokens
            .iter()
            .map(|t| {
                searcher
                    .doc_freq(&Term::from_field_text(field, t))
                    .unwrap_or(0)
            })
            .min()
    }

    /// Its analysis by a chain.
    pub fn analyzed(&self, chain: &Chain) -> Option<&Analyzed> {
        match chain {
            Chain::Body(lang) => self.body(lang),
            Chain::Forms => Some(&self.exact),
        }
    }
}

/// The derivations of a whole query.
#[derive(Clone, Debug, Default)]
pub struct QueryTerms {
    query_lang: Option<Lang>,
    langs: Vec<Lang>,
    words: HashMap<String, Word>,
    /// Joined spellings of adjacent words that the index holds, with their field.
    joined: HashMap<(String, String), Vec<(Field, String)>>,
    /// The top-level words as one text, analyzed by each language's body chain.
    sequence: Vec<(Lang, Analyzed)>,
    /// Symbol-field tokens of `symbol:` filters and of the named document.
    symbols: HashMap<String, Vec<(usize, String)>>,
    /// The language the query's words show it is in, if they show it clearly.
    language: Option<Lang>,
    /// The document the whole query names, by its symbol: `S/RES/242 (1967)`, or
    /// `résolution 242 (1967)` and `resolution 242`, which name `S/RES/242 (1967)` and
    /// `S/RES/242`.
    named: Option<String>,
}

impl QueryTerms {
    /// Derives every term of `root`, analyzed as `query_lang` or, when `None`, in every
    /// language a passage may be in. With an index, the joined spellings of adjacent
    /// words are kept where the index holds them; without one, none are.
    pub fn derive(
        root: &Node,
        query_lang: Option<&Lang>,
        index: Option<(&Fields, &Searcher)>,
    ) -> QueryTerms {
        let langs = match query_lang {
            Some(lang) => vec![lang.clone()],
            None => vec![Lang::Fr, Lang::En, Lang::Other(String::new())],
        };
        let mut terms = QueryTerms {
            query_lang: query_lang.cloned(),
            langs,
            ..QueryTerms::default()
        };
        terms.walk(root, index);
        terms.named = named_document(root);
        if let (None, Some((fields, searcher))) = (query_lang, index) {
            terms.language = language(root, &terms, fields, searcher);
        }
        if let Some(named) = &terms.named {
            terms
                .symbols
                .entry(named.clone())
                .or_insert_with(|| symbol_tokens(named));
        }
        if let Some(text) = word_sequence(root) {
            terms.sequence = terms
                .langs
                .iter()
                .map(|lang| {
                    let name = Chain::Body(lang.clone()).analyzer();
                    (lang.clone(), Analyzed::new(name, &text))
                })
                .collect();
        }
        terms
    }

    /// Adds each word's translations from `lexicon` (`--cross`): a word of one term in a
    /// language's chain gets that term's translations into the other language's field.
    /// A term the table does not know, of [`COGNATE_CHARS`] characters or more, takes
    /// its cognates instead: the terms of the other language's field within one edit of
    /// it (`australian` finds `australien`, `juridict` finds `jurisdict`), the
    /// [`COGNATES`] most frequent. When the words show the query's language, only that
    /// language is translated from; otherwise both are, since `contingents` may be
    /// either. Symbols and phrases of several terms are not translated.
    pub fn translate(&mut self, lexicon: &Lexicon, (fields, searcher): (&Fields, &Searcher)) {
        let from: Vec<Lang> = match &self.language {
            Some(lang) => vec![lang.clone()],
            None => vec![Lang::Fr, Lang::En],
        };
        for word in self.words.values_mut() {
            if !word.symbol.is_empty() {
                continue;
            }
            let mut translations = Vec::new();
            for source in from.iter().filter(|l| self.langs.contains(l)) {
                let target = match source {
                    Lang::Fr => Lang::En,
                    _ => Lang::Fr,
                };
                let Some(term) = word.single(source) else {
                    continue;
                };
                let own = word.single(&target);
                let known = lexicon.translations(source, term);
                let found: Vec<Translation> = if known.is_empty() {
                    cognates(term, fields.body(&target), searcher)
                } else {
                    known.to_vec()
                }
                .into_iter()
                .filter(|t| !matches!(t.terms.as_slice(), [(_, t)] if Some(t.as_str()) == own))
                .collect();
                if !found.is_empty() {
                    translations.push((target, found));
                }
            }
            word.translations = translations;
        }
    }

    /// Takes `lang` as the query's language, as `--lang` says it is under `--cross`.
    pub fn assume_language(&mut self, lang: Lang) {
        self.language = Some(lang);
    }

    /// Whether some word has translations.
    pub fn translated(&self) -> bool {
        self.words.values().any(|w| !w.translations.is_empty())
    }

    /// The language the query was asked to be analyzed in, if one was.
    pub fn query_lang(&self) -> Option<&Lang> {
        self.query_lang.as_ref()
    }

    /// The languages the query is analyzed in.
    pub fn langs(&self) -> &[Lang] {
        &self.langs
    }

    /// The derivations of a word, phrase or symbol of the query.
    pub fn word(&self, text: &str) -> Option<&Word> {
        self.words.get(text)
    }

    /// The joined spelling of two adjacent words in `field`, when the index holds it.
    pub fn joined(&self, a: &str, b: &str, field: Field) -> Option<&str> {
        self.joined
            .get(&(a.to_string(), b.to_string()))?
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, text)| text.as_str())
    }

    /// The query's top-level words as one text, analyzed by a language's body chain
    /// (the phrase boost); `None` with fewer than two such words.
    pub fn sequence(&self, lang: &Lang) -> Option<&Analyzed> {
        self.sequence
            .iter()
            .find(|(l, _)| l == lang)
            .map(|(_, a)| a)
    }

    /// The language the query's words show it is in, when they show it clearly: its
    /// passages are preferred (a boost, not a filter).
    pub fn language(&self) -> Option<&Lang> {
        self.language.as_ref()
    }

    /// The symbol of the document the whole query names, if it names one.
    pub fn named(&self) -> Option<&str> {
        self.named.as_deref()
    }

    /// The `symbol` field tokens of a symbol, whether typed as a word or as a filter.
    pub fn symbol(&self, text: &str) -> &[(usize, String)] {
        match self.words.get(text) {
            Some(word) if !word.symbol.is_empty() => &word.symbol,
            _ => self.symbols.get(text).map_or(&[], Vec::as_slice),
        }
    }

    fn add(&mut self, text: &str, symbol: bool) {
        if !self.words.contains_key(text) {
            let word = Word::derive(text, &self.langs, symbol);
            self.words.insert(text.to_string(), word);
        }
    }

    fn walk(&mut self, node: &Node, index: Option<(&Fields, &Searcher)>) {
        match node {
            Node::Empty => {}
            Node::Word(text) | Node::Phrase(text) => self.add(text, false),
            // A prefix with a slash may be the start of a document symbol.
            Node::Prefix(text) => self.add(text, text.contains('/')),
            Node::Fuzzy { word, .. } => self.add(word, false),
            Node::Symbol(text) => self.add(text, true),
            Node::Field(FieldFilter::Symbol(symbol)) => {
                self.symbols
                    .entry(symbol.clone())
                    .or_insert_with(|| symbol_tokens(symbol));
            }
            Node::Field(_) => {}
            Node::And(children) => {
                for pair in children.windows(2) {
                    if let (Node::Word(a), Node::Word(b), Some(index)) = (&pair[0], &pair[1], index)
                    {
                        self.join(a, b, index);
                    }
                }
                children.iter().for_each(|c| self.walk(c, index));
            }
            Node::Or(children) => children.iter().for_each(|c| self.walk(c, index)),
            Node::Not(child) | Node::Required(child) => self.walk(child, index),
        }
    }

    /// Keeps the joined spelling of `a b` in each chain's field where it is one token
    /// that the index holds.
    fn join(&mut self, a: &str, b: &str, (fields, searcher): (&Fields, &Searcher)) {
        let key = (a.to_string(), b.to_string());
        if self.joined.contains_key(&key) {
            return;
        }
        let chains = self
            .langs
            .iter()
            .map(|lang| (Chain::Body(lang.clone()), fields.body(lang)))
            .chain([(Chain::Forms, fields.forms)]);
        let mut found = Vec::new();
        for (chain, field) in chains {
            let tokens = analyze(chain.analyzer(), &format!("{a}{b}"));
            let [token] = tokens.as_slice() else {
                continue;
            };
            let term = Term::from_field_text(field, &token.text);
            if index_holds(searcher, &term) {
                found.push((field, token.text.clone()));
            }
        }
        self.joined.insert(key, found);
    }
}

/// Whether the index holds `term`, as [`Searcher::doc_freq`] above 0 says, but
/// stopping at the first segment that has it: most terms asked about are in the
/// first.
pub(crate) fn index_holds(searcher: &Searcher, term: &Term) -> bool {
    searcher.segment_readers().iter().any(|reader| {
        reader
            .inverted_index(term.field())
            .is_ok_and(|inverted| inverted.doc_freq(term).is_ok_and(|n| n > 0))
    })
}

/// A term the table does not translate is looked for as a cognate when it has at
/// least this many characters: shorter stems are one edit from too many others.
pub const COGNATE_CHARS: usize = 6;
/// The most cognates a term takes.
pub const COGNATES: usize = 3;
/// A cognate's weight, as a translation's: the same term, then one edit away.
pub const COGNATE_WEIGHT: [f32; 2] = [0.6, 0.4];

/// The terms of `field` within one edit of `term`, the most frequent first.
fn cognates(term: &str, field: Field, searcher: &Searcher) -> Vec<Translation> {
    if term.chars().count() < COGNATE_CHARS {
        return Vec::new();
    }
    let mut found: HashMap<String, u64> = HashMap::new();
    let streamed = super::expand::stream(
        searcher,
        field,
        term,
        super::expand::Pattern::Fuzzy(1),
        |text, doc_freq| *found.entry(text.to_string()).or_default() += doc_freq,
    );
    if let Err(error) = streamed {
        tracing::warn!("looking for cognates of `{term}`: {error}");
    }
    let mut found: Vec<(String, u64)> = found.into_iter().collect();
    found.sort_by(|a, b| {
        (a.0 != term)
            .cmp(&(b.0 != term))
            .then(b.1.cmp(&a.1))
            .then(a.0.cmp(&b.0))
    });
    found
        .into_iter()
        .take(COGNATES)
        .map(|(text, _)| Translation {
            weight: COGNATE_WEIGHT[usize::from(text != term)],
            terms: vec![(0, text)],
        })
        .collect()
}

fn symbol_tokens(symbol: &str) -> Vec<(usize, String)> {
    analyze(analysis::SYMBOL, symbol)
        .into_iter()
        .map(|t| (t.position, t.text))
        .collect()
}

/// Groups an analyzer's tokens into slots: a token whose `position_length` is over 1
/// is the joined form of the parts before it.
fn slots(tokens: &[Token]) -> Vec<Slot> {
    let mut slots: Vec<Slot> = Vec::new();
    for token in tokens {
        if token.position_length > 1 {
            let first = token.position + 1 - token.position_length;
            let mut parts = Vec::new();
            while let Some(Slot::Single(p, _)) = slots.last() {
                if *p < first {
                    break;
                }
                if let Some(Slot::Single(p, t)) = slots.pop() {
                    parts.push((p, t));
                }
            }
            parts.reverse();
            let joined = (token.position, token.text.clone());
            slots.push(if parts.is_empty() {
                Slot::Single(joined.0, joined.1)
            } else {
                Slot::Compound { parts, joined }
            });
        } else {
            slots.push(Slot::Single(token.position, token.text.clone()));
        }
    }
    slots
}

/// How strongly the words must point to one language before its passages are preferred:
/// the sum of each word's evidence, a stop word of one language only counting
/// [`STOP_WORD_EVIDENCE`], another word the log of how much more often its stem occurs in
/// that language's passages (at most [`WORD_EVIDENCE`]).
pub const LANGUAGE_EVIDENCE: f64 = 1.5;
/// The evidence of a stop word of one of the two languages only (`de`, `the`).
pub const STOP_WORD_EVIDENCE: f64 = 1.5;
/// The most evidence one other word gives.
pub const WORD_EVIDENCE: f64 = 2.0;

/// The language a query's words show, from the index's own statistics: which body field
/// holds each word's stem, and how often, per passage of that language. Three words are
/// too few for a detector; `contingents`, as common in French as in English passages,
/// shows neither.
fn language(root: &Node, terms: &QueryTerms, fields: &Fields, searcher: &Searcher) -> Option<Lang> {
    let passages = |lang: &Lang| {
        searcher
            .doc_freq(&Term::from_field_text(fields.lang, lang.code()))
            .unwrap_or(0) as f64
    };
    let (french, english) = (passages(&Lang::Fr), passages(&Lang::En));
    if french == 0.0 || english == 0.0 {
        return None;
    }
    // Every record, deleted or not, is a French or an English passage.
    let records: u64 = searcher
        .segment_readers()
        .iter()
        .map(|reader| u64::from(reader.max_doc()))
        .sum();
    let bilingual = french + english == records as f64;
    let mut words = Vec::new();
    positive_words(root, &mut words);
    let mut evidence = 0.0;
    // Numbers and symbols are written alike in both languages.
    for text in words
        .into_iter()
        .filter(|w| w.chars().any(char::is_alphabetic))
    {
        let lower = text.to_lowercase();
        let stop_fr = crate::analysis::stopwords::FRENCH.contains(&lower.as_str());
        let stop_en = crate::analysis::stopwords::ENGLISH.contains(&lower.as_str());
        if stop_fr != stop_en {
            evidence += if stop_fr {
                STOP_WORD_EVIDENCE
            } else {
                -STOP_WORD_EVIDENCE
            };
            continue;
        }
        let Some(word) = terms.word(text) else {
            continue;
        };
        let rate = |lang: &Lang, total: f64| -> Option<f64> {
            let rarest = word.rarest_passages(lang, fields, searcher)?;
            Some((rarest as f64 + 0.5) / total)
        };
        // An accented form says more than its stem (`résolution` is French where the stem
        // of `resolution` is common to both): then how often each language's passages
        // hold the form as typed is the evidence.
        let accented: Vec<&String> = word
            .exact
            .tokens
            .iter()
            .zip(&word.folded)
            .filter(|(exact, folded)| exact != folded)
            .map(|(exact, _)| exact)
            .collect();
        if accented.is_empty() {
            if let (Some(fr), Some(en)) = (rate(&Lang::Fr, french), rate(&Lang::En, english)) {
                evidence += (fr / en).ln().clamp(-WORD_EVIDENCE, WORD_EVIDENCE);
            }
            continue;
        }
        for exact in accented {
            let form = || {
                Box::new(tantivy::query::TermQuery::new(
                    Term::from_field_text(fields.forms, exact),
                    tantivy::schema::IndexRecordOption::Basic,
                ))
            };
            let count = |query: &dyn tantivy::query::Query| {
                searcher
                    .search(query, &tantivy::collector::Count)
                    .unwrap_or(0) as f64
            };
            let holding = |lang: &Lang| -> f64 {
                count(&tantivy::query::BooleanQuery::intersection(vec![
                    form(),
                    Box::new(tantivy::query::TermQuery::new(
                        Term::from_field_text(fields.lang, lang.code()),
                        tantivy::schema::IndexRecordOption::Basic,
                    )),
                ]))
            };
            let in_french = holding(&Lang::Fr);
            // Where every passage is French or English, the English ones hold what the
            // French leave: one intersection, not two.
            let in_english = if bilingual {
                (count(&*form()) - in_french).max(0.0)
            } else {
                holding(&Lang::En)
            };
            let fr = (in_french + 0.5) / french;
            let en = (in_english + 0.5) / english;
            evidence += (fr / en).ln().clamp(-WORD_EVIDENCE, WORD_EVIDENCE);
        }
    }
    if evidence >= LANGUAGE_EVIDENCE {
        Some(Lang::Fr)
    } else if evidence <= -LANGUAGE_EVIDENCE {
        Some(Lang::En)
    } else {
        None
    }
}

/// The positive words and phrases of a query, as typed.
fn positive_words<'a>(node: &'a Node, out: &mut Vec<&'a str>) {
    match node {
        Node::Word(text) | Node::Phrase(text) => out.push(text),
        Node::And(children) | Node::Or(children) => {
            children.iter().for_each(|c| positive_words(c, out))
        }
        Node::Required(child) => positive_words(child, out),
        Node::Not(_)
        | Node::Empty
        | Node::Prefix(_)
        | Node::Fuzzy { .. }
        | Node::Symbol(_)
        | Node::Field(_) => {}
    }
}

/// The symbol of the document a whole query names: a symbol alone, or a resolution
/// named by its number (`résolution 2086 (2013)`, `resolution 2086`), which people write
/// for `S/RES/2086 (2013)`.
fn named_document(root: &Node) -> Option<String> {
    match root {
        Node::Symbol(symbol) => Some(symbol.clone()),
        Node::And(children) => match children.as_slice() {
            [Node::Word(word), number] if is_resolution(word) => match number {
                Node::Phrase(n) | Node::Word(n) if is_resolution_number(n) => {
                    Some(format!("S/RES/{n}"))
                }
                _ => None,
            },
            _ => None,
        },
        _ => None,
    }
}

fn is_resolution(word: &str) -> bool {
    let folded = crate::analysis::analyze(analysis::FOLDED, word);
    matches!(
        folded.as_slice(),
        [token] if matches!(token.text.as_str(), "resolution" | "resolutions" | "res")
    )
}

/// `2086` or `2086 (2013)`.
fn is_resolution_number(text: &str) -> bool {
    let (number, year) = match text.split_once(' ') {
        Some((number, year)) => (number, Some(year)),
        None => (text, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    digits(number)
        && number.len() <= 5
        && year.is_none_or(|y| {
            y.strip_prefix('(')
                .and_then(|y| y.strip_suffix(')'))
                .is_some_and(|y| y.len() == 4 && digits(y))
        })
}

/// The query's top-level words in order, when there are two or more: the text of the
/// phrase boost.
pub fn word_sequence(node: &Node) -> Option<String> {
    let words: Vec<&str> = match node {
        Node::And(children) => children
            .iter()
            .filter_map(|c| match c {
                Node::Word(t) => Some(t.as_str()),
                _ => None,
            })
            .collect(),
        _ => return None,
    };
    (words.len() >= 2).then(|| words.join(" "))
}
