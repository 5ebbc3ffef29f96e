//! The query's words as a phrase, as a rerank of the best passages.
//!
//! A passage where the query's words stand together, in order, gains the phrase's BM25
//! score times [`PHRASE_BOOST`](super::query::PHRASE_BOOST), times the same length prior
//! and language factor as the rest of its score ([`Factors`]). The phrase was once an
//! optional clause of the query, and tantivy then read the positions of every passage
//! that held the words: `Security Council` spent a third of the search part of all the
//! benchmark's queries on it. Now only the first [`PHRASE_DEPTH`] passages of the first
//! pass are checked, each segment's in document order, so a query costs at most that
//! many position reads whatever its number of matches. A passage past that depth
//! keeps the first pass's score, and pages past it keep the first pass's order.

use tantivy::query::{EnableScoring, Query, Scorer};
use tantivy::{DocAddress, DocSet, Score, Searcher};

use super::collector::Factors;
use super::rank::{self, SortKeys};

/// How many of the first pass's best passages the phrase can lift.
pub const PHRASE_DEPTH: usize = 200;

/// Adds the score of `phrase` (already weighted) to each of the best [`PHRASE_DEPTH`]
/// of `hits` that it matches. `prefer` is the code of the query's language, as the
/// collector was given it.
pub(crate) fn rerank(
    searcher: &Searcher,
    keys: &SortKeys,
    hits: &mut [(Score, DocAddress)],
    phrase: &dyn Query,
    prefer: Option<&str>,
) -> tantivy::Result<()> {
    if hits.is_empty() {
        return Ok(());
    }
    let depth = PHRASE_DEPTH.min(hits.len());
    // Ties at the cut are settled in tie order, so the same texts always rerank the
    // same passages, however the index is cut into segments.
    rank::best_first(keys, hits, depth);
    let weight = phrase.weight(EnableScoring::enabled_from_searcher(searcher))?;
    // A scorer only moves forward: visit each segment's candidates in document order.
    let mut order: Vec<usize> = (0..depth).collect();
    order.sort_unstable_by_key(|&i| hits[i].1);
    let mut segment: Option<(u32, Box<dyn Scorer>, Factors)> = None;
    for i in order {
        let address = hits[i].1;
        if segment.as_ref().map(|open| open.0) != Some(address.segment_ord) {
            let reader = searcher.segment_reader(address.segment_ord);
            segment = Some((
                address.segment_ord,
                weight.scorer(reader, 1.0)?,
                Factors::open(reader, prefer),
            ));
        }
        let Some((_, scorer, factors)) = segment.as_mut() else {
            continue;
        };
        let mut at = scorer.doc();
        if at < address.doc_id {
            at = scorer.seek(address.doc_id);
        }
        if at == address.doc_id {
            let gain = factors.apply(at, scorer.score());
            hits[i].0 += gain;
        }
    }
    Ok(())
}
