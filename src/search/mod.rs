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
pub mod query_file;
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
    /// Count every match. Without it, a query that tantivy can prune (a single word)
    /// ranks the page alone and `total_hits` is a lower bound; [`Response::counted`]
    /// says which happened.
    pub count: bool,
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
            count: true,
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
    /// False when the request did not ask for a count: `total_hits` is then only
    /// the matches the ranking looked at.
    pub counted: bool,
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
        let (compiled, mut hits, seen, counted) = loop {
            let Some(compiled) = compile(
                &parsed.root,
                fields,
                &searcher,
                request.lang.as_ref(),
                operator,
            ) else {
                return Ok(Response {
                    query: request.query.clone(),
                    total_hits: 0,
                    counted: true,
                    took_ms: elapsed_ms(started),
                    hits: Vec::new(),
                    operator: "and",
                    notice: Some("the query has nothing to search for".into()),
                });
            };
            // Pruning only pays for a plain union of terms; any other query is
            // visited whole, so it is counted whether asked or not.
            let count = request.count || request.group || !compiled.prunable;
            // Grouping looks past the page for each document's best passage.
            let collector = TopHits {
                need: if request.group {
                    usize::MAX
                } else {
                    request.offset.saturating_add(request.limit).max(1)
                },
                count,
            };
            let (hits, seen) = searcher.search(&compiled.query, &collector)?;
            if hits.is_empty() && operator == Operator::And && compiled.positive_parts >= 2 {
                operator = Operator::Or;
                notice =
                    Some("no passage has all the words: showing passages with any of them".into());
                continue;
            }
            break (compiled, hits, seen, count);
        };
        let keys = SortKeys::new(&searcher);
        let need = if request.group {
            usize::MAX
        } else {
            request.offset.saturating_add(request.limit)
        };
        rank(&mut hits, &keys, need);
        let total_hits = if request.group {
            let mut documents = std::collections::HashSet::new();
            hits.retain(|h| documents.insert(keys.document(h.1)));
            hits.len()
        } else {
            seen
        };
        let mut out = Vec::new();
        for (score, address) in hits.into_iter().skip(request.offset).take(request.limit) {
            let doc: TantivyDocument = searcher.doc(address)?;
            let mut hit = self.hit(&doc, score, &compiled.highlight);
            if request.explain {
                // tantivy's debug assertions are off in every profile (Cargo.toml):
                // its BooleanWeight::explain trips one of them.
                let explanation = compiled.query.explain(&searcher, address)?;
                let words = searcher
                    .segment_reader(address.segment_ord)
                    .fast_fields()
                    .u64(schema::WORDS)
                    .ok()
                    .and_then(|column| column.first(address.doc_id))
                    .unwrap_or(u64::MAX);
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
            counted,
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
        // The forms field has terms to highlight only for a query of stop words,
        // which the stemmed fields drop.
        let marks = snippet::matches(
            &text,
            &[
                (f.body(&lang_value), analysis::body_analyzer(&lang_value)),
                (f.forms, analysis::EXACT),
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

/// Collects the best `need` matches of each segment, with every match tied with the
/// last of them (ranking orders ties by key, whatever segment they are in), and
/// counts the matches.
///
/// With `count`, every match is visited. Without it, tantivy may skip blocks of
/// documents that cannot beat the page (block-WAND, for queries that are plain unions
/// of terms), and the count covers only the matches it passed on.
struct TopHits {
    need: usize,
    count: bool,
}

struct SegmentTop {
    segment: u32,
    words: Option<tantivy::columnar::Column<u64>>,
    need: usize,
    hits: Vec<(Score, DocAddress)>,
    /// No hit under this score can make the page any more.
    floor: Score,
    /// Prune when this many hits are held.
    prune_at: usize,
    seen: usize,
}

impl SegmentTop {
    fn push(&mut self, doc: DocId, score: Score) {
        self.seen += 1;
        let prior = self
            .words
            .as_ref()
            .and_then(|w| w.first(doc))
            .map_or(1.0, length_prior);
        let score = score * prior;
        if score < self.floor {
            return;
        }
        self.hits.push((score, DocAddress::new(self.segment, doc)));
        if self.hits.len() >= self.prune_at {
            self.prune();
        }
    }

    /// Keeps the best `need` hits and their ties, and raises the floor.
    fn prune(&mut self) {
        if self.hits.len() > self.need {
            let last = self.need - 1;
            self.hits
                .select_nth_unstable_by(last, |a, b| b.0.total_cmp(&a.0));
            self.floor = self.hits[last].0;
            let floor = self.floor;
            self.hits.retain(|hit| hit.0 >= floor);
        }
        // Many ties at the floor must not make every push prune again.
        self.prune_at = self
            .hits
            .len()
            .saturating_mul(2)
            .max(self.need.saturating_mul(2))
            .max(64);
    }
}

impl Collector for TopHits {
    type Fruit = (Vec<(Score, DocAddress)>, usize);
    type Child = SegmentTop;

    fn for_segment(&self, segment: u32, reader: &SegmentReader) -> tantivy::Result<SegmentTop> {
        Ok(SegmentTop {
            segment,
            words: reader.fast_fields().u64(schema::WORDS).ok(),
            need: self.need,
            hits: Vec::new(),
            floor: Score::NEG_INFINITY,
            prune_at: self.need.saturating_mul(2).max(64),
            seen: 0,
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn collect_segment(
        &self,
        weight: &dyn tantivy::query::Weight,
        segment: u32,
        reader: &SegmentReader,
    ) -> tantivy::Result<Self::Fruit> {
        let mut top = self.for_segment(segment, reader)?;
        let alive = reader.alive_bitset();
        let is_alive = |doc: DocId| alive.is_none_or(|a| a.is_alive(doc));
        if self.count {
            weight.for_each(reader, &mut |doc, score| {
                if is_alive(doc) {
                    top.push(doc, score);
                }
            })?;
        } else {
            // tantivy passes on scores above the threshold; the length prior only
            // lowers a score, and a score equal to the floor still ties.
            weight.for_each_pruning(Score::NEG_INFINITY, reader, &mut |doc, score| {
                if is_alive(doc) {
                    top.push(doc, score);
                }
                top.floor.next_down()
            })?;
        }
        Ok(top.harvest())
    }

    fn merge_fruits(&self, fruits: Vec<Self::Fruit>) -> tantivy::Result<Self::Fruit> {
        let seen = fruits.iter().map(|(_, seen)| seen).sum();
        Ok((
            fruits.into_iter().flat_map(|(hits, _)| hits).collect(),
            seen,
        ))
    }
}

impl SegmentCollector for SegmentTop {
    type Fruit = (Vec<(Score, DocAddress)>, usize);

    fn collect(&mut self, doc: DocId, score: Score) {
        self.push(doc, score);
    }

    fn harvest(mut self) -> Self::Fruit {
        self.prune();
        (self.hits, self.seen)
    }
}

/// The fast-field columns of one segment that ranking reads.
struct SegmentKeys {
    key: Option<tantivy::columnar::StrColumn>,
    passage: Option<tantivy::columnar::Column<u64>>,
    hash: Option<tantivy::columnar::Column<u64>>,
}

/// Reads the key, passage number and document hash of a hit from fast fields. A
/// segment's columns are opened the first time one of its hits needs them: most
/// queries have no ties on their page and no grouping, and need none.
struct SortKeys<'a> {
    readers: &'a [SegmentReader],
    segments: Vec<std::cell::OnceCell<SegmentKeys>>,
}

impl<'a> SortKeys<'a> {
    fn new(searcher: &'a tantivy::Searcher) -> SortKeys<'a> {
        let readers = searcher.segment_readers();
        SortKeys {
            readers,
            segments: readers.iter().map(|_| std::cell::OnceCell::new()).collect(),
        }
    }

    fn segment(&self, segment: u32) -> Option<&SegmentKeys> {
        let reader = self.readers.get(segment as usize)?;
        let keys = self.segments.get(segment as usize)?.get_or_init(|| {
            let fast = reader.fast_fields();
            SegmentKeys {
                key: fast.str(schema::KEY).ok().flatten(),
                passage: fast.u64(schema::PASSAGE).ok(),
                hash: fast.u64(schema::HASH).ok(),
            }
        });
        Some(keys)
    }

    /// The ordinal of a hit's key in its segment's dictionary: within one segment,
    /// ordinals follow the keys' order, and reading one costs no decompression.
    fn key_ord(&self, address: DocAddress) -> u64 {
        self.segment(address.segment_ord)
            .and_then(|segment| segment.key.as_ref())
            .and_then(|column| column.term_ords(address.doc_id).next())
            .unwrap_or(0)
    }

    /// The keys of sorted ordinals, read from the segment's dictionary in one pass:
    /// reading them one by one decodes a block from its start each time.
    fn key_texts(&self, segment: u32, ords: &[u64]) -> Vec<String> {
        let mut texts = Vec::with_capacity(ords.len());
        if let Some(column) = self.segment(segment).and_then(|s| s.key.as_ref()) {
            let _ = column.dictionary().sorted_ords_to_term_cb(ords, |bytes| {
                texts.push(String::from_utf8_lossy(bytes).into_owned())
            });
        }
        texts.resize(ords.len(), String::new());
        texts
    }

    fn passage(&self, address: DocAddress) -> u64 {
        self.segment(address.segment_ord)
            .and_then(|segment| segment.passage.as_ref())
            .and_then(|p| p.first(address.doc_id))
            .unwrap_or(0)
    }

    fn document(&self, address: DocAddress) -> u64 {
        self.segment(address.segment_ord)
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
/// Within a segment, key ordinals follow the keys' order, so the first `need` hits of
/// the whole run are among the first `need` of each segment: only their keys are read,
/// one pass per segment.
fn order_ties(run: &mut [(Score, DocAddress)], keys: &SortKeys, need: usize) {
    // (segment, key ordinal, passage, hit)
    let mut local: Vec<(u32, u64, u64, (Score, DocAddress))> = run
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
    let mut heads: Vec<(String, u64, (Score, DocAddress))> = Vec::new();
    let mut rest: Vec<(Score, DocAddress)> = Vec::new();
    for segment in local.chunk_by(|a, b| a.0 == b.0) {
        let take = segment.len().min(need);
        let mut ords: Vec<u64> = segment[..take].iter().map(|entry| entry.1).collect();
        ords.dedup();
        let texts = keys.key_texts(segment[0].0, &ords);
        for &(_, ord, passage, hit) in &segment[..take] {
            let text = ords
                .binary_search(&ord)
                .ok()
                .and_then(|i| texts.get(i))
                .cloned()
                .unwrap_or_default();
            heads.push((text, passage, hit));
        }
        rest.extend(segment[take..].iter().map(|entry| entry.3));
    }
    heads.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
    let ordered: Vec<(Score, DocAddress)> =
        heads.into_iter().map(|(.., hit)| hit).chain(rest).collect();
    run.copy_from_slice(&ordered);
}
