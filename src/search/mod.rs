//! Search: parse a query, compile it, rank passages, and cut snippets.
//!
//! ```
//! use quorum::index::{build, store::Store};
//! use quorum::search::{Engine, Request};
//! let dir = tempfile::tempdir()?;
//! std::fs::write(dir.path().join("a.txt"), "Les pays fournisseurs de contingents.\n\nLe Conseil de sécurité.")?;
//! let store = Store::new(dir.path().join("index"));
//! build::run(&store, &build::Options::new(vec![dir.path().to_path_buf()]), &mut build::Silent)?;
//! let engine = Engine::open(&store)?;
//! let response = engine.search(&Request::new("contingent"))?;
//! assert_eq!(response.total_hits, 1);
//! assert_eq!(response.hits[0].snippet, "Les pays fournisseurs de <b>contingents</b>.");
//!
//! // A rebuild swaps in a new index; the engine keeps answering from the old one
//! // until it refreshes.
//! std::fs::write(dir.path().join("a.txt"), "Les contingents militaires.")?;
//! let mut options = build::Options::new(vec![dir.path().to_path_buf()]);
//! options.rebuild = true;
//! build::run(&store, &options, &mut build::Silent)?;
//! let mut engine = engine;
//! assert_eq!(engine.search(&Request::new("fournisseurs"))?.total_hits, 1);
//! assert!(engine.refresh()?);
//! assert_eq!(engine.search(&Request::new("fournisseurs"))?.total_hits, 0);
//! assert_eq!(engine.search(&Request::new("militaires"))?.total_hits, 1);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod parse;
pub mod query;
pub mod snippet;

use std::cmp::Ordering;
use std::time::Instant;

use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::{DocAddress, DocId, IndexReader, Score, SegmentReader, TantivyDocument};

use crate::analysis;
use crate::index::build::{stored_str, stored_u64};
use crate::index::schema;
use crate::index::store::{Generation, Store};
use crate::Lang;
use query::{compile, Operator};

/// What can go wrong in a search.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The query does not parse.
    #[error(transparent)]
    Syntax(#[from] parse::ParseError),
    /// The index could not be opened.
    #[error(transparent)]
    Index(#[from] crate::index::Error),
    /// tantivy failed.
    #[error(transparent)]
    Tantivy(#[from] tantivy::TantivyError),
}

/// One search.
#[derive(Clone, Debug)]
pub struct Request {
    /// The query as typed.
    pub query: String,
    /// Results per page.
    pub limit: usize,
    /// Results to skip.
    pub offset: usize,
    /// Only passages in this language, with the query analyzed in it.
    pub lang: Option<Lang>,
    /// Only the best passage of each document.
    pub group: bool,
    /// Attach tantivy's explanation of each score.
    pub explain: bool,
}

impl Request {
    /// A request with the defaults: 10 results, all languages.
    pub fn new(query: impl Into<String>) -> Request {
        Request {
            query: query.into(),
            limit: 10,
            offset: 0,
            lang: None,
            group: false,
            explain: false,
        }
    }
}

/// The answer to a [`Request`].
#[derive(Clone, Debug, Serialize)]
pub struct Response {
    /// The query as typed.
    pub query: String,
    /// Matching passages (documents with `--group`): the unit `hits` pages over.
    pub total_hits: usize,
    /// Time taken, in milliseconds.
    pub took_ms: f64,
    /// The page of results.
    pub hits: Vec<Hit>,
    /// `and` when every word had to match, `or` when quorum fell back to any word.
    pub operator: &'static str,
    /// A note for the user, such as the fallback to OR.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notice: Option<String>,
}

/// One ranked passage.
#[derive(Clone, Debug, Serialize)]
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
    /// Why it scored as it did (`--explain`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<serde_json::Value>,
    /// The match ranges within `snippet_text` (for terminals).
    #[serde(skip)]
    pub snippet_parts: Option<snippet::Snippet>,
}

/// An open index, ready to answer many queries.
///
/// Commits to the live generation (incremental runs) reach it on their own; a
/// `--rebuild` swaps in a new generation, which [`Engine::refresh`] picks up.
pub struct Engine {
    store: Store,
    generation: Generation,
    reader: IndexReader,
}

impl Engine {
    /// Opens the live generation of a store.
    pub fn open(store: &Store) -> Result<Engine, Error> {
        let generation = store.open_current()?;
        let reader = generation.reader.clone();
        Ok(Engine {
            store: store.clone(),
            generation,
            reader,
        })
    }

    /// Reads `CURRENT` again and, when a rebuild has swapped in a new generation,
    /// opens it; until then, searches keep answering from the one they have. Returns
    /// true when the engine moved to a new generation.
    pub fn refresh(&mut self) -> Result<bool, Error> {
        let live = self.store.current_name()?;
        let mine = self.generation.dir.file_name().and_then(|n| n.to_str());
        if live.is_none() || live.as_deref() == mine {
            return Ok(false);
        }
        *self = Engine::open(&self.store)?;
        Ok(true)
    }

    /// Runs one search.
    pub fn search(&self, request: &Request) -> Result<Response, Error> {
        let started = Instant::now();
        let parsed = parse::parse(&request.query)?;
        let searcher = self.reader.searcher();
        let fields = &self.generation.fields;
        let mut operator = Operator::And;
        let mut notice = None;
        let (compiled, mut hits) = loop {
            let Some(mut compiled) = compile(
                &parsed.root,
                fields,
                &searcher,
                request.lang.as_ref(),
                operator,
            ) else {
                return Ok(Response {
                    query: request.query.clone(),
                    total_hits: 0,
                    took_ms: elapsed_ms(started),
                    hits: Vec::new(),
                    operator: "and",
                    notice: Some("the query has nothing to search for".into()),
                });
            };
            if let Some(lang) = &request.lang {
                let filter = query::lang_filter(fields, lang);
                compiled.query = Box::new(tantivy::query::BooleanQuery::new(vec![
                    (tantivy::query::Occur::Must, compiled.query),
                    (tantivy::query::Occur::Must, filter),
                ]));
            }
            let hits = searcher.search(&compiled.query, &AllHits)?;
            if hits.is_empty() && operator == Operator::And && compiled.positive_parts >= 2 {
                operator = Operator::Or;
                notice =
                    Some("no passage has all the words: showing passages with any of them".into());
                continue;
            }
            break (compiled, hits);
        };
        let keys = SortKeys::new(&searcher);
        // Grouping looks past the page for each document's best passage, so every tie
        // must be ordered then.
        let need = if request.group {
            usize::MAX
        } else {
            request.offset.saturating_add(request.limit)
        };
        rank(&mut hits, &keys, need);
        if request.group {
            let mut seen = std::collections::HashSet::new();
            hits.retain(|h| seen.insert(keys.document(h.1)));
        }
        let total_hits = hits.len();
        let mut out = Vec::new();
        for (score, address) in hits.into_iter().skip(request.offset).take(request.limit) {
            let doc: TantivyDocument = searcher.doc(address)?;
            let mut hit = self.hit(&doc, score, &compiled.highlight);
            if request.explain {
                // tantivy's debug assertions are off in every profile (Cargo.toml):
                // its BooleanWeight::explain trips one of them.
                let explanation = compiled.query.explain(&searcher, address)?;
                let words = stored_u64(&doc, self.generation.fields.words).unwrap_or(u64::MAX);
                hit.explanation = Some(serde_json::json!({
                    "score": score,
                    "length_prior": length_prior(words),
                    "words": words,
                    "query": serde_json::from_str::<serde_json::Value>(&explanation.to_pretty_json()).ok(),
                }));
            }
            out.push(hit);
        }
        Ok(Response {
            query: request.query.clone(),
            total_hits,
            took_ms: elapsed_ms(started),
            hits: out,
            operator: match operator {
                Operator::And => "and",
                Operator::Or => "or",
            },
            notice,
        })
    }

    fn hit(&self, doc: &TantivyDocument, score: f32, highlight: &query::Highlight) -> Hit {
        let f = &self.generation.fields;
        let text = stored_str(doc, f.text).unwrap_or_default();
        let lang = stored_str(doc, f.lang).unwrap_or_default();
        let lang_value = Lang::parse(&lang);
        // The exact field has terms only for a query of stop words, which the stemmed
        // fields drop.
        let marks = snippet::matches(
            &text,
            &[
                (f.body(&lang_value), analysis::body_analyzer(&lang_value)),
                (f.exact, analysis::EXACT),
            ],
            highlight,
        );
        let cut = snippet::snippet(&text, &marks);
        Hit {
            id: stored_str(doc, f.id).unwrap_or_default(),
            lang,
            passage: stored_u64(doc, f.passage).unwrap_or(0),
            score,
            symbol: stored_str(doc, f.symbol),
            title: stored_str(doc, f.title),
            path: stored_str(doc, f.path),
            snippet: cut.to_html(),
            year: doc
                .get_first(f.year)
                .and_then(|v| tantivy::schema::Value::as_i64(&v)),
            doc_type: stored_str(doc, f.doc_type),
            start: stored_u64(doc, f.start),
            end: stored_u64(doc, f.end),
            text,
            explanation: None,
            snippet_parts: Some(cut),
        }
    }
}

fn elapsed_ms(started: Instant) -> f64 {
    (started.elapsed().as_secs_f64() * 1e6).round() / 1e3
}

/// Collects every match with its score: ranking needs the ties resolved by key,
/// and `total_hits` is the count.
struct AllHits;

struct SegmentHits {
    segment: u32,
    words: Option<tantivy::columnar::Column<u64>>,
    hits: Vec<(Score, DocAddress)>,
}

/// Passages shorter than this many words get a lower score: BM25's length
/// normalization alone puts a three-word heading (`Command Operations Centre`) above
/// the sentences that are about the query.
pub const SHORT_PASSAGE_WORDS: u64 = 12;

/// The length prior: 1 from [`SHORT_PASSAGE_WORDS`] words up, down to 0.6 for a
/// single word.
pub fn length_prior(words: u64) -> f32 {
    if words >= SHORT_PASSAGE_WORDS {
        1.0
    } else {
        0.6 + 0.4 * words as f32 / SHORT_PASSAGE_WORDS as f32
    }
}

impl Collector for AllHits {
    type Fruit = Vec<(Score, DocAddress)>;
    type Child = SegmentHits;

    fn for_segment(&self, segment: u32, reader: &SegmentReader) -> tantivy::Result<SegmentHits> {
        Ok(SegmentHits {
            segment,
            words: reader.fast_fields().u64(schema::WORDS).ok(),
            hits: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Self::Fruit>) -> tantivy::Result<Self::Fruit> {
        Ok(fruits.concat())
    }
}

impl SegmentCollector for SegmentHits {
    type Fruit = Vec<(Score, DocAddress)>;

    fn collect(&mut self, doc: DocId, score: Score) {
        let prior = self
            .words
            .as_ref()
            .and_then(|w| w.first(doc))
            .map_or(1.0, length_prior);
        self.hits
            .push((score * prior, DocAddress::new(self.segment, doc)));
    }

    fn harvest(self) -> Self::Fruit {
        self.hits
    }
}

/// The fast-field columns of one segment that ranking reads.
struct SegmentKeys {
    key: Option<tantivy::columnar::StrColumn>,
    passage: Option<tantivy::columnar::Column<u64>>,
    hash: Option<tantivy::columnar::Column<u64>>,
}

/// Reads the key, passage number and document hash of a hit from fast fields.
struct SortKeys {
    segments: Vec<SegmentKeys>,
}

impl SortKeys {
    fn new(searcher: &tantivy::Searcher) -> SortKeys {
        let segments = searcher
            .segment_readers()
            .iter()
            .map(|s| {
                let fast = s.fast_fields();
                SegmentKeys {
                    key: fast.str(schema::KEY).ok().flatten(),
                    passage: fast.u64(schema::PASSAGE).ok(),
                    hash: fast.u64(schema::HASH).ok(),
                }
            })
            .collect();
        SortKeys { segments }
    }

    /// The ordinal of a hit's key in its segment's dictionary: within one segment,
    /// ordinals follow the keys' order, and reading one costs no decompression.
    fn key_ord(&self, address: DocAddress) -> u64 {
        self.segments
            .get(address.segment_ord as usize)
            .and_then(|segment| segment.key.as_ref())
            .and_then(|column| column.term_ords(address.doc_id).next())
            .unwrap_or(0)
    }

    /// The key of an ordinal, read from the segment's dictionary.
    fn key_text(&self, segment: u32, ord: u64) -> String {
        let mut key = String::new();
        if let Some(column) = self
            .segments
            .get(segment as usize)
            .and_then(|segment| segment.key.as_ref())
        {
            let _ = column.ord_to_str(ord, &mut key);
        }
        key
    }

    fn passage(&self, address: DocAddress) -> u64 {
        self.segments
            .get(address.segment_ord as usize)
            .and_then(|segment| segment.passage.as_ref())
            .and_then(|p| p.first(address.doc_id))
            .unwrap_or(0)
    }

    fn document(&self, address: DocAddress) -> u64 {
        self.segments
            .get(address.segment_ord as usize)
            .and_then(|segment| segment.hash.as_ref())
            .and_then(|h| h.first(address.doc_id))
            .unwrap_or(0)
    }
}

/// Orders hits by score, then by key and passage, so that the order never depends on
/// how documents fell into segments. Only the first `need` hits are guaranteed in
/// order: ties beyond them cost nothing.
fn rank(hits: &mut [(Score, DocAddress)], keys: &SortKeys, need: usize) {
    hits.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut start = 0;
    while start < hits.len() && start < need {
        let mut end = start + 1;
        while end < hits.len() && hits[end].0.total_cmp(&hits[start].0) == Ordering::Equal {
            end += 1;
        }
        if end - start > 1 {
            order_ties(&mut hits[start..end], keys, need - start);
        }
        start = end;
    }
}

/// Orders a run of equal scores by key and passage, at least its first `need` entries.
/// Keys are compared by ordinal within a segment; across segments, a merge reads the
/// key text of each segment's head only, since reading a key decompresses a block.
fn order_ties(run: &mut [(Score, DocAddress)], keys: &SortKeys, need: usize) {
    // (segment, key ordinal, passage, hit)
    type Tie = (u32, u64, u64, (Score, DocAddress));
    let mut local: Vec<Tie> = run
        .iter()
        .map(|hit| {
            (
                hit.1.segment_ord,
                keys.key_ord(hit.1),
                keys.passage(hit.1),
                *hit,
            )
        })
        .collect();
    local.sort_by_key(|&(segment, ord, passage, _)| (segment, ord, passage));
    let mut queues: Vec<std::collections::VecDeque<Tie>> = Vec::new();
    for entry in local {
        match queues.last_mut() {
            Some(queue) if queue.front().is_some_and(|head| head.0 == entry.0) => {
                queue.push_back(entry)
            }
            _ => queues.push(std::collections::VecDeque::from([entry])),
        }
    }
    // The cached key text of each queue's head, by ordinal.
    let mut heads: Vec<Option<(u64, String)>> = vec![None; queues.len()];
    let mut ordered = Vec::with_capacity(run.len());
    while ordered.len() < need {
        for (q, queue) in queues.iter().enumerate() {
            if let Some(&(segment, ord, ..)) = queue.front() {
                if heads[q].as_ref().is_none_or(|(cached, _)| *cached != ord) {
                    heads[q] = Some((ord, keys.key_text(segment, ord)));
                }
            }
        }
        let mut best: Option<(usize, &str, u64)> = None;
        for (q, queue) in queues.iter().enumerate() {
            let Some(&(_, _, passage, _)) = queue.front() else {
                continue;
            };
            let key = heads[q].as_ref().map_or("", |(_, key)| key.as_str());
            if best
                .is_none_or(|(_, best_key, best_passage)| (key, passage) < (best_key, best_passage))
            {
                best = Some((q, key, passage));
            }
        }
        let Some((q, ..)) = best else {
            break;
        };
        if let Some((.., hit)) = queues[q].pop_front() {
            ordered.push(hit);
        }
    }
    ordered.extend(queues.into_iter().flatten().map(|(.., hit)| hit));
    run.copy_from_slice(&ordered);
}
