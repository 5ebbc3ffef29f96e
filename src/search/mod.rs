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

mod collector;
pub mod parse;
pub mod query;
pub mod query_file;
pub mod rank;
mod response;
pub mod snippet;
pub mod terms;

use std::time::Instant;

use tantivy::{IndexReader, TantivyDocument};

use crate::analysis;
use crate::index::passage::StoredPassage;
use crate::index::schema;
use crate::index::store::{Generation, Store};
use crate::Lang;
use collector::TopHits;
use query::compile;
use rank::{length_prior, rank, SortKeys};
pub use response::{Filters, Hit, Operator, Request, Response};
use terms::QueryTerms;

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

    /// The name of the schema field numbered `field`, as tantivy's explanations print
    /// it (`field=19`); `None` for a number the schema does not have.
    pub fn field_name(&self, field: u32) -> Option<&str> {
        let schema = &self.generation.fields.schema;
        schema
            .fields()
            .nth(field as usize)
            .map(|(_, entry)| entry.name())
    }

    /// Runs one search.
    pub fn search(&self, request: &Request) -> Result<Response, Error> {
        let started = Instant::now();
        let parsed = parse::parse(&request.query)?;
        let searcher = self.reader.searcher();
        let fields = &self.generation.fields;
        let terms = QueryTerms::derive(
            &parsed.root,
            request.query_lang.as_ref(),
            Some((fields, &searcher)),
        );
        let mut operator = Operator::And;
        let mut notice = None;
        let (compiled, mut hits, seen, counted) = loop {
            let Some(compiled) = compile(
                &parsed.root,
                &terms,
                fields,
                &searcher,
                &request.filters,
                operator,
            ) else {
                return Ok(Response {
                    query: request.query.clone(),
                    total_hits: 0,
                    counted: true,
                    took_ms: elapsed_ms(started),
                    hits: Vec::new(),
                    operator: Operator::And,
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
            hits.retain(|h| documents.insert(keys.group_key(h.1)));
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
            operator,
            notice,
        })
    }

    fn hit(&self, doc: &TantivyDocument, score: f32, highlight: &query::Highlight) -> Hit {
        let f = &self.generation.fields;
        let stored = StoredPassage::from_doc(doc, f);
        let lang = Lang::parse(&stored.lang);
        // The forms field has terms to highlight only for a query of stop words,
        // which the stemmed fields drop.
        let marks = snippet::matches(
            &stored.text,
            &[
                (f.body(&lang), analysis::body_analyzer(&lang)),
                (f.forms, analysis::EXACT),
            ],
            highlight,
        );
        let cut = snippet::snippet(&stored.text, &marks);
        Hit {
            id: stored.id,
            lang: stored.lang,
            passage: stored.passage,
            score,
            symbol: stored.symbol,
            title: stored.title,
            path: stored.path,
            snippet: cut.to_html(),
            year: stored.year,
            doc_type: stored.doc_type,
            start: stored.start,
            end: stored.end,
            text: stored.text,
            explanation: None,
            snippet_parts: Some(cut),
        }
    }
}

fn elapsed_ms(started: Instant) -> f64 {
    (started.elapsed().as_secs_f64() * 1e6).round() / 1e3
}
