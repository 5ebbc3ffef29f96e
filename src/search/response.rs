//! The search contract: what a caller asks ([`Request`]) and what it gets back
//! ([`Response`], [`Hit`]). `quorum search --json` prints these types as they are, and
//! an HTTP API serves the same JSON, so a field added here reaches every client.
//!
//! ```
//! use quorum::search::{Filters, Request};
//! use quorum::Lang;
//! // `--lang fr`: analyze the query as French and keep only French passages.
//! let request = Request::new("maintien de la paix").with_lang(Lang::Fr);
//! assert_eq!(request.query_lang, Some(Lang::Fr));
//! assert_eq!(request.filters.lang, Some(Lang::Fr));
//! // A request read from JSON takes the defaults for what it leaves out.
//! let read: Request = serde_json::from_str(r#"{"query": "paix", "filters": {"years": [1990, null]}}"#)?;
//! assert_eq!((read.limit, read.filters.years), (10, Some((Some(1990), None))));
//! assert_eq!(serde_json::to_value(quorum::search::Operator::Or)?, "or");
//! # Ok::<(), serde_json::Error>(())
//! ```

use std::time::Instant;

use serde::{Deserialize, Serialize};

use super::snippet;
use super::sort::Sort;
use crate::Lang;

/// One search.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Request {
    /// The query as typed.
    pub query: String,
    /// Results per page.
    pub limit: usize,
    /// Results to skip.
    pub offset: usize,
    /// Analyze the query only as this language; `None` analyzes it in every language a
    /// passage may be in. Which passages are kept is [`Filters::lang`]'s business.
    pub query_lang: Option<Lang>,
    /// Structured filters on the passages' metadata, on top of any the query text holds.
    pub filters: Filters,
    /// Which passages a query of several words admits.
    pub matching: Matching,
    /// Only the best passage of each document.
    pub group: bool,
    /// Attach tantivy's explanation of each score.
    pub explain: bool,
    /// Count the matches, up to [`Request::count_limit`]. Without it, the search skips
    /// what cannot make the page from the start, and `total_hits` is a lower bound
    /// once it did; [`Response::counted`] says which happened.
    pub count: bool,
    /// How many matches of a pass are counted exactly before the search may skip
    /// those that cannot make the page ([`COUNT_LIMIT`] by default, as
    /// Elasticsearch's `track_total_hits`); `usize::MAX` counts every match
    /// (`--count-all`). `--group` always counts every document.
    pub count_limit: usize,
    /// The order of the hits: relevance (the default), or by date.
    pub sort: Sort,
    /// Cross-language search (`--cross`): each word also matches its translations into
    /// the other language, weighted below it, and passages of both languages rank
    /// together (the preference for the query's language is off). The query is analyzed
    /// in both languages; `query_lang`, when set, says which one its words are in.
    pub cross: bool,
    /// Stop the search, with [`Error::Deadline`](super::Error::Deadline), when a
    /// segment is reached after this instant (a server's bound on one request).
    #[serde(skip)]
    pub deadline: Option<Instant>,
}

/// Filters on a passage's metadata, given apart from the query text (the HTTP API's
/// `lang`, `type` and `year` parameters). Each one that is set must hold.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Filters {
    /// Only passages in this language.
    pub lang: Option<Lang>,
    /// Only passages of documents of this type (`resolution`, compared in lower case).
    pub doc_type: Option<String>,
    /// Only passages of documents dated in this range of years, both ends included;
    /// `None` leaves that end open.
    pub years: Option<(Option<i64>, Option<i64>)>,
}

impl Filters {
    /// True when no filter is set.
    pub fn is_empty(&self) -> bool {
        *self == Filters::default()
    }
}

impl Default for Request {
    fn default() -> Request {
        Request::new("")
    }
}

impl Request {
    /// A request with the defaults: 10 results, all languages.
    pub fn new(query: impl Into<String>) -> Request {
        Request {
            query: query.into(),
            limit: 10,
            offset: 0,
            query_lang: None,
            filters: Filters::default(),
            matching: Matching::Frequency,
            group: false,
            explain: false,
            count: true,
            count_limit: COUNT_LIMIT,
            sort: Sort::Relevance,
            cross: false,
            deadline: None,
        }
    }

    /// What `--lang` means: the query analyzed as `lang`, and only passages in it.
    pub fn with_lang(mut self, lang: Lang) -> Request {
        self.query_lang = Some(lang.clone());
        self.filters.lang = Some(lang);
        self
    }
}

/// How many matches a pass counts exactly by default: past it, `total_hits` is a lower
/// bound ([`Response::counted`] false), and tantivy may skip blocks of passages that
/// cannot make the page.
pub const COUNT_LIMIT: usize = 10_000;

/// Which passages a query of several words admits (`--match`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Matching {
    /// Passages with every word first, then, while the page is not full, those that lack
    /// the least informative words, one more at a time, and last those with any word
    /// (Meilisearch's `frequency` strategy). `+word`, `AND`, filters and exclusions
    /// always hold.
    #[default]
    Frequency,
    /// Only passages with every word.
    All,
}

/// How the parts of a query combine when the user wrote no operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Operator {
    /// Every word must match (the default).
    And,
    /// Any word may match (the fallback when AND finds nothing).
    Or,
}

/// The answer to a [`Request`].
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Response {
    /// The query as typed.
    pub query: String,
    /// Matching passages (documents with `--group`): the unit `hits` pages over. With
    /// [`Matching::Frequency`], the passages of the tiers that were visited to fill the
    /// page: a lower bound when lower tiers were left unvisited ([`Response::counted`]).
    pub total_hits: usize,
    /// The passages that hold every word of the query: exact up to the count limit
    /// ([`COUNT_LIMIT`]), a lower bound past it.
    pub total_all_words: usize,
    /// False when `total_hits` is a lower bound: a pass counted more than its count
    /// limit ([`COUNT_LIMIT`]) and skipped what could not make the page, the request
    /// did not ask for a count, or the page was full before the tiers of fewer words
    /// were visited.
    pub counted: bool,
    /// Time taken, in milliseconds.
    pub took_ms: f64,
    /// Of that time, the search part: parsing, matching, ranking and counting, before
    /// the page's stored passages are read and their snippets made. What tantivy-cli's
    /// `bench` times, for a like-for-like comparison.
    pub search_ms: f64,
    /// The page of results.
    pub hits: Vec<Hit>,
    /// `and` when every hit holds every word of the query, `or` when the page went on
    /// to passages that lack some (each hit's `missing` says which).
    pub operator: Operator,
    /// The first of [`Response::notices`], for scripts that read one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice: Option<String>,
    /// Notes for the user: the fallback to OR, an operator quorum does not support, a
    /// value it capped, a filter value that no passage has.
    #[serde(default)]
    pub notices: Vec<String>,
}

/// A record that holds the same passage as a hit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Copy {
    /// Its document id.
    pub id: String,
    /// Its document's language.
    pub lang: String,
    /// Its passage number, from 1.
    pub passage: u64,
}

/// One ranked passage.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Hit {
    /// The document id.
    pub id: String,
    /// The passage's language.
    pub lang: String,
    /// The passage's number in its document, from 1.
    pub passage: u64,
    /// The score.
    pub score: f32,
    /// Metadata; null when absent.
    pub symbol: Option<String>,
    /// Metadata; null when absent.
    pub title: Option<String>,
    /// The source file.
    pub path: Option<String>,
    /// The best window of the passage, matches in `<b>…</b>`, HTML-escaped.
    pub snippet: String,
    /// The passage's slice of the source text, unchanged.
    pub text: String,
    /// Metadata; null when absent.
    pub year: Option<i64>,
    /// Metadata; null when absent.
    pub doc_type: Option<String>,
    /// Byte offsets of the passage in its document's text.
    pub start: Option<u64>,
    /// End of that range.
    pub end: Option<u64>,
    /// The query's words that this passage lacks, as typed; empty when it has them all.
    #[serde(default)]
    pub missing: Vec<String>,
    /// The other records that hold this same passage (the same words), which the page
    /// does not show again: the first ten in tie order (document fingerprint, passage).
    #[serde(default)]
    pub also_in: Vec<Copy>,
    /// How many other records hold this passage (`also_in` lists ten at most).
    #[serde(default)]
    pub copies: usize,
    /// Why it scored as it did (`--explain`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explanation: Option<serde_json::Value>,
    /// The window and its match ranges, for terminals; not part of the JSON.
    #[serde(skip)]
    pub snippet_parts: Option<snippet::Snippet>,
}
