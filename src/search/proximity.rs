//! The query's words as a phrase, and its forms as typed, as a rerank of the best
//! passages.
//!
//! A passage where the query's words stand together, in order, gains the phrase's BM25
//! score times [`PHRASE_BOOST`](super::query::PHRASE_BOOST), and one that holds a word's
//! exact or folded form gains that form's boosted score, each times the same length
//! prior and language factor as the rest of its score ([`Factors`]). Both were once
//! optional clauses of the query, and tantivy then read the positions of every passage
//! that held the words, and sought the forms' postings for each: `Security Council`
//! spent a third of the search part of all the benchmark's queries on the phrase, and
//! a fifth of its own on the forms. Now only the first [`PHRASE_DEPTH`] passages of the
//! first pass are checked, each segment's in document order, so a query costs at most
//! that many reads whatever its number of matches. A passage past that depth keeps the
//! first pass's score, and pages past it keep the first pass's order.

use tantivy::query::{EnableScoring, Query, Scorer};
use tantivy::{DocAddress, DocSet, Score, Searcher};

use super::collector::Factors;
use super::rank::{self, SortKeys};

/// The segment whose candidates are being reranked: a scorer per query, and the factors.
struct Open {
    ord: u32,
    scorers: Vec<Box<dyn Scorer>>,
    factors: Factors,
}

/// How many of the first pass's best passages the phrase can lift.
pub const PHRASE_DEPTH: usize = 200;

/// Adds the scores of `queries` (already weighted) to each of the best
/// [`PHRASE_DEPTH`] of `hits` that they match. `prefer` is the code of the query's
/// language, as the collector was given it. Each query gets a scorer of its own, which
/// seeks to the candidates: a union's scorer would visit every match of its parts
/// between two candidates, and a phrase's would read their positions.
pub(crate) fn rerank(
    searcher: &Searcher,
    keys: &SortKeys,
    hits: &mut [(Score, DocAddress)],
    queries: &[Box<dyn Query>],
    prefer: Option<&str>,
) -> tantivy::Result<()> {
    if hits.is_empty() || queries.is_empty() {
        return Ok(());
    }
    let depth = PHRASE_DEPTH.min(hits.len());
    // Ties at the cut are settled in tie order, so the same texts always rerank the
    // same passages, however the index is cut into segments.
    rank::best_first(keys, hits, depth);
    let scoring = EnableScoring::enabled_from_searcher(searcher);
    let weights = queries
        .iter()
        .map(|query| query.weight(scoring))
        .collect::<tantivy::Result<Vec<_>>>()?;
    // A scorer only moves forward: visit each segment's candidates in document order.
    let mut order: Vec<usize> = (0..depth).collect();
    order.sort_unstable_by_key(|&i| hits[i].1);
    let mut segment: Option<Open> = None;
    for i in order {
        let address = hits[i].1;
        if segment.as_ref().map(|open| open.ord) != Some(address.segment_ord) {
            let Some(columns) = keys.segment(address.segment_ord) else {
                continue;
            };
            let reader = searcher.segment_reader(address.segment_ord);
            let scorers = weights
                .iter()
                .map(|weight| weight.scorer(reader, 1.0))
                .collect::<tantivy::Result<Vec<_>>>()?;
            segment = Some(Open {
                ord: address.segment_ord,
                scorers,
                factors: Factors::new(columns, prefer),
            });
        }
        let Some(Open {
            scorers, factors, ..
        }) = segment.as_mut()
        else {
            continue;
        };
        // The parts are added in their order, as a union's scorer sums them.
        let mut gain: Option<Score> = None;
        for scorer in scorers.iter_mut() {
            let mut at = scorer.doc();
            if at < address.doc_id {
                at = scorer.seek(address.doc_id);
            }
            if at == address.doc_id {
                let score = scorer.score();
                gain = Some(gain.map_or(score, |sum| sum + score));
            }
        }
        if let Some(gain) = gain {
            hits[i].0 += factors.apply(address.doc_id, gain);
        }
    }
    Ok(())
}
