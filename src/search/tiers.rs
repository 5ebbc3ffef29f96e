//! Never starve a query: the tiers of a multi-word query, as Meilisearch's `words` rule
//! with its `frequency` matching strategy orders them.
//!
//! Passages that hold every word of the query come first (tier 0). When they do not fill
//! the page, the passages that lack only the least informative word (the one in the most
//! passages) come next, then those that lack the two least informative, and so on; when
//! the query has no required word, a last tier takes passages with any of its words. A
//! word here is a unit of the query as typed: a bare word, a quoted phrase, a symbol, a
//! prefix, a fuzzy word or a group, with all of its forms in every language. `+word`,
//! the operands of an explicit `AND`, filters and exclusions are never dropped.
//!
//! Each tier is its own pass over the index, which excludes what the tiers before it
//! matched, so the page is the concatenation of the tiers, each ranked by score.

use tantivy::Searcher;

use super::parse::Node;
use super::query::unmarked;
use super::terms::QueryTerms;
use crate::index::schema::Fields;

/// A unit of the query that a tier may drop.
#[derive(Clone, Debug)]
pub(crate) struct Unit {
    /// Its place among the top-level parts of the query.
    pub part: usize,
    /// How it is shown in a hit's `missing` list: as typed.
    pub text: String,
    /// About how many passages hold it: the least informative is dropped first.
    pub passages: u64,
    /// Whether it frames the question rather than names its topic ([`is_filler`]): such
    /// words are dropped before any other, however rare they are.
    pub filler: bool,
}

/// How a query's tiers are built.
#[derive(Clone, Debug)]
pub(crate) struct Plan {
    /// The query's top-level parts, marks taken off (the tree the tiers keep parts of).
    parts: Vec<Node>,
    /// The parts that may be dropped, least informative first.
    pub droppable: Vec<Unit>,
    /// Whether some part is required (`+word`, `AND`): then no tier goes below it.
    pub required: bool,
    /// How many words of the query could be dropped, before a query of fewer than two
    /// was left with none: a query of one word has one.
    pub words: usize,
}

impl Plan {
    /// The tiers of `marked` (the parsed tree, with its `+` and `AND` marks). A query
    /// that is not a conjunction at its top, or has fewer than two words to drop, has
    /// only its first tier.
    pub(crate) fn new(
        marked: &Node,
        terms: &QueryTerms,
        fields: &Fields,
        searcher: &Searcher,
    ) -> Plan {
        let mut parts = Vec::new();
        let mut droppable = Vec::new();
        let mut required = false;
        let Node::And(children) = marked else {
            return Plan {
                parts: vec![unmarked(marked)],
                droppable,
                required,
                words: 1,
            };
        };
        for child in children {
            match child {
                Node::Required(inner) => {
                    required = true;
                    match unmarked(inner) {
                        Node::And(inner) => parts.extend(inner),
                        inner => parts.push(inner),
                    }
                }
                Node::Not(_) | Node::Field(_) | Node::Empty => parts.push(unmarked(child)),
                Node::Word(_)
                | Node::Phrase(_)
                | Node::Prefix(_)
                | Node::Fuzzy { .. }
                | Node::Symbol(_)
                | Node::Or(_)
                | Node::And(_) => {
                    let node = unmarked(child);
                    if let Some(passages) = passages(&node, terms, fields, searcher) {
                        droppable.push(Unit {
                            part: parts.len(),
                            text: display(&node),
                            passages,
                            filler: matches!(&node, Node::Word(w) if is_filler(w)),
                        });
                    }
                    parts.push(node);
                }
            }
        }
        // The words that frame the question first, then the least informative; among
        // equals, the last typed (the user put what matters most first).
        droppable.sort_by(|a, b| {
            b.filler
                .cmp(&a.filler)
                .then(b.passages.cmp(&a.passages))
                .then(b.part.cmp(&a.part))
        });
        let words = droppable.len();
        if droppable.len() + usize::from(required) < 2 {
            droppable.clear();
        }
        Plan {
            parts,
            droppable,
            required,
            words,
        }
    }

    /// The same query with every word required (`--match all`): it has only its first
    /// tier.
    pub(crate) fn strict(mut self) -> Plan {
        self.droppable.clear();
        self
    }

    /// How many tiers below the first there are: one per word that may be dropped, the
    /// last of them keeping only the required words or, without any, taking any word.
    pub(crate) fn lower_tiers(&self) -> usize {
        self.droppable.len()
    }

    /// Tier `k` (from 1): the query without its `k` least informative words, and those
    /// words. `None` for the tier of any word (the last one of a query without required
    /// words), which the caller compiles as a union.
    pub(crate) fn tier(&self, k: usize) -> Option<(Node, Vec<&Unit>)> {
        let dropped: Vec<&Unit> = self.droppable.iter().take(k).collect();
        if !self.required && dropped.len() == self.droppable.len() {
            return None;
        }
        let kept: Vec<Node> = self
            .parts
            .iter()
            .enumerate()
            .filter(|(i, _)| !dropped.iter().any(|u| u.part == *i))
            .map(|(_, node)| node.clone())
            .collect();
        let tree = match kept.len() {
            1 => kept.into_iter().next().unwrap_or(Node::Empty),
            _ => Node::And(kept),
        };
        Some((tree, dropped))
    }

    /// The part a unit stands for.
    pub(crate) fn part(&self, unit: &Unit) -> &Node {
        &self.parts[unit.part]
    }
}

/// Words that frame a question rather than name what it is about, in English and French:
/// interrogatives, verbs of saying and prepositions of aboutness. A question typed in full
/// (`what did the council say about chemical weapons in Syria`) holds them, and Council
/// texts rarely do, so their document frequency alone would make them the most
/// informative words of the query and keep them to the last tier. They still count in
/// the first tier, and a passage that has them is not penalized; they are only the
/// first words a lower tier goes without. Stop words (`did`, `the`, `que`) are not
/// listed: they constrain nothing already.
const FILLER: &[&str] = &[
    // English
    "what",
    "whats",
    "when",
    "where",
    "why",
    "how",
    "whether",
    "say",
    "says",
    "said",
    "saying",
    "tell",
    "tells",
    "told",
    "about",
    "regarding",
    "concerning",
    "anything",
    "something",
    "me",
    "find",
    "show",
    "any",
    // French
    "quoi",
    "quel",
    "quelle",
    "quels",
    "quelles",
    "comment",
    "pourquoi",
    "quand",
    "où",
    "combien",
    "dit",
    "dire",
    "dise",
    "disent",
    "dits",
    "dite",
    "dites",
    "concernant",
    "propos",
];

/// True when `word`, as typed, is a word that frames the question ([`FILLER`]).
pub(crate) fn is_filler(word: &str) -> bool {
    let lower = word.to_lowercase();
    FILLER.contains(&lower.as_str())
}

/// About how many passages hold a part: for a word, the passages of its rarest stem,
/// summed over the languages; `None` for a part that is not a word to drop (a stop word
/// in some language).
fn passages(node: &Node, terms: &QueryTerms, fields: &Fields, searcher: &Searcher) -> Option<u64> {
    match node {
        Node::Word(text) | Node::Phrase(text) | Node::Symbol(text) => {
            let word = terms.word(text)?;
            // A stop word of one of the languages constrains nothing there: it is
            // never dropped, and never missing.
            if word
                .body
                .iter()
                .any(|(_, analyzed)| analyzed.tokens.is_empty())
            {
                return None;
            }
            let mut any = false;
            let mut total = 0u64;
            for (lang, _) in &word.body {
                let rarest = word.rarest_passages(lang, fields, searcher);
                if let Some(n) = rarest {
                    any = true;
                    total += n;
                }
            }
            any.then_some(total)
        }
        // A prefix or a fuzzy word stands for many forms: it goes first.
        Node::Prefix(_) | Node::Fuzzy { .. } => Some(u64::MAX),
        Node::Or(children) | Node::And(children) => {
            let counts: Vec<u64> = children
                .iter()
                .filter_map(|c| passages(c, terms, fields, searcher))
                .collect();
            (!counts.is_empty()).then(|| counts.iter().fold(0u64, |a, b| a.saturating_add(*b)))
        }
        Node::Required(child) => passages(child, terms, fields, searcher),
        Node::Not(_) | Node::Field(_) | Node::Empty => None,
    }
}

/// A part as the user typed it, for `missing`.
fn display(node: &Node) -> String {
    match node {
        Node::Word(text) | Node::Symbol(text) => text.clone(),
        Node::Phrase(text) => format!("\"{text}\""),
        Node::Prefix(text) => format!("{text}*"),
        Node::Fuzzy { word, distance } => format!("{word}~{distance}"),
        Node::Or(children) => format!(
            "({})",
            children
                .iter()
                .map(display)
                .collect::<Vec<_>>()
                .join(" OR ")
        ),
        Node::And(children) => format!(
            "({})",
            children.iter().map(display).collect::<Vec<_>>().join(" ")
        ),
        Node::Required(child) => format!("+{}", display(child)),
        Node::Not(child) => format!("-{}", display(child)),
        Node::Field(_) | Node::Empty => String::new(),
    }
}
