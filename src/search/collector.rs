//! The top-hits collector: each segment's best page, every hit tied with its last, and
//! the count of all matches, with the length prior applied as hits are collected.
//!
//! tantivy's `TopDocs` sorts by score alone and breaks ties by address, which depends on
//! how documents fell into segments; quorum orders ties by document fingerprint afterwards
//! ([`rank`](super::rank)), so a segment must hand over every hit tied with its last.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::{DocAddress, DocId, Score, SegmentReader};

use super::rank::length_prior;
use crate::index::schema;

/// Collects the best `need` matches of each segment, with every match tied with the
/// last of them (ranking orders ties by document fingerprint, whatever segment they are in), and
/// counts the matches.
///
/// With `count`, every match is visited. Without it, tantivy may skip blocks of
/// documents that cannot beat the page (block-WAND, for queries that are plain unions
/// of terms), and the count covers only the matches it passed on.
pub(crate) struct TopHits {
    /// How many hits of each segment may make the page.
    pub need: usize,
    /// Visit every match rather than let tantivy skip blocks.
    pub count: bool,
    /// The language whose passages gain [`LANGUAGE_FACTOR`]: the query's, where its
    /// words show it.
    pub prefer: Option<String>,
    /// When set, a segment reached after this instant is not searched and the search is
    /// [late](TopHits::is_late): tantivy cannot stop a segment's search once it runs,
    /// so the deadline is checked between segments.
    pub deadline: Option<Instant>,
    /// Set when a segment was skipped for the deadline.
    pub late: AtomicBool,
}

impl TopHits {
    /// True when the deadline passed and segments were left unsearched: the fruit is
    /// incomplete and must not be shown as the answer.
    pub fn is_late(&self) -> bool {
        self.late.load(Ordering::Relaxed)
    }
}

/// What a passage in the query's language is multiplied by, where the query's words show
/// which language it is in: enough to put it above its twin in the other language, not
/// above a passage that answers better.
pub const LANGUAGE_FACTOR: Score = 1.1;

/// A hit's place among equal scores: its document fingerprint, then its passage.
type TieOrder = (u64, u64);

/// A hit with what decides among its copies: (copy hash, score, tie order, hit).
type Tagged = (u64, Score, TieOrder, (Score, DocAddress));

/// What a segment gives: its hits, tagged when it has the copy columns, and its count.
pub(crate) struct Harvest {
    hits: Result<Vec<Tagged>, Vec<(Score, DocAddress)>>,
    seen: usize,
}

/// The best hit of each passage (the same copy hash): by score, then tie order, then
/// address. A segment keeps its hits so as it collects, and the merge does it again over
/// every segment's, so that the hits kept never depend on how the index is cut into
/// segments.
fn best_copies(mut tagged: Vec<Tagged>) -> Vec<Tagged> {
    tagged.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then(b.1.total_cmp(&a.1))
            .then(a.2.cmp(&b.2))
            .then(a.3 .1.cmp(&b.3 .1))
    });
    tagged.dedup_by_key(|entry| entry.0);
    tagged
}

/// The columns that tell copies apart and order them.
pub(crate) struct Copies {
    copy: tantivy::columnar::Column<u64>,
    hash: tantivy::columnar::Column<u64>,
    passage: tantivy::columnar::Column<u64>,
}

pub(crate) struct SegmentTop {
    segment: u32,
    words: Option<tantivy::columnar::Column<u64>>,
    /// The segment's language column and the ordinal of the preferred language in it.
    prefer: Option<(tantivy::columnar::StrColumn, u64)>,
    /// The copy hash, fingerprint and passage columns: copies of one passage take one
    /// place on the page, and the copy first in tie order stands for the others in a
    /// segment.
    copies: Option<Copies>,
    need: usize,
    hits: Vec<(Score, DocAddress)>,
    /// No hit under this score can make the page any more.
    floor: Score,
    /// Prune when this many hits are held.
    prune_at: usize,
    seen: usize,
}

impl SegmentTop {
    /// Each hit with its copy hash and tie order; `None` without the copy columns.
    fn tagged(&self) -> Option<Vec<Tagged>> {
        let Copies {
            copy,
            hash,
            passage,
        } = self.copies.as_ref()?;
        Some(
            self.hits
                .iter()
                .map(|&hit| {
                    let doc = hit.1.doc_id;
                    let order = (
                        hash.first(doc).unwrap_or(u64::MAX),
                        passage.first(doc).unwrap_or(u64::MAX),
                    );
                    (copy.first(doc).unwrap_or(0), hit.0, order, hit)
                })
                .collect(),
        )
    }

    /// Keeps, of the hits that are copies of one passage, the best (by score, then tie
    /// order: document fingerprint and passage).
    fn drop_copies(&mut self) {
        if self.hits.len() <= 1 {
            return;
        }
        if let Some(tagged) = self.tagged() {
            self.hits = best_copies(tagged).into_iter().map(|t| t.3).collect();
        }
    }

    fn push(&mut self, doc: DocId, score: Score) {
        self.seen += 1;
        let prior = self
            .words
            .as_ref()
            .and_then(|w| w.first(doc))
            .map_or(1.0, length_prior);
        let preferred = self
            .prefer
            .as_ref()
            .is_some_and(|(column, ord)| column.term_ords(doc).next() == Some(*ord));
        let score = score * prior * if preferred { LANGUAGE_FACTOR } else { 1.0 };
        if score < self.floor {
            return;
        }
        self.hits.push((score, DocAddress::new(self.segment, doc)));
        if self.hits.len() >= self.prune_at {
            self.prune();
        }
    }

    /// Keeps the best `need` hits and their ties, and raises the floor. Copies of one
    /// passage count once: the page shows one of them, so the floor is the score of the
    /// `need`-th distinct passage.
    fn prune(&mut self) {
        self.drop_copies();
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
            copies: if self.need == usize::MAX {
                None
            } else {
                let fast = reader.fast_fields();
                match (
                    fast.u64(schema::COPY),
                    fast.u64(schema::HASH),
                    fast.u64(schema::PASSAGE),
                ) {
                    (Ok(copy), Ok(hash), Ok(passage)) => Some(Copies {
                        copy,
                        hash,
                        passage,
                    }),
                    _ => None,
                }
            },
            prefer: self.prefer.as_ref().and_then(|code| {
                let column = reader.fast_fields().str(schema::LANG).ok()??;
                let ord = column.dictionary().term_ord(code.as_bytes()).ok()??;
                Some((column, ord))
            }),
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
    ) -> tantivy::Result<Harvest> {
        if self
            .deadline
            .is_some_and(|deadline| Instant::now() >= deadline)
        {
            self.late.store(true, Ordering::Relaxed);
            return Ok(Harvest {
                hits: Err(Vec::new()),
                seen: 0,
            });
        }
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
            // lowers a score, the language factor raises it at most by its value, and a
            // score equal to the floor still ties.
            let most = if self.prefer.is_some() {
                LANGUAGE_FACTOR
            } else {
                1.0
            };
            weight.for_each_pruning(Score::NEG_INFINITY, reader, &mut |doc, score| {
                if is_alive(doc) {
                    top.push(doc, score);
                }
                (top.floor / most).next_down()
            })?;
        }
        Ok(top.harvest())
    }

    fn merge_fruits(&self, fruits: Vec<Harvest>) -> tantivy::Result<Self::Fruit> {
        let seen = fruits.iter().map(|f| f.seen).sum();
        let mut tagged = Vec::new();
        let mut plain = Vec::new();
        for fruit in fruits {
            match fruit.hits {
                Ok(hits) => tagged.extend(hits),
                Err(hits) => plain.extend(hits),
            }
        }
        plain.extend(best_copies(tagged).into_iter().map(|t| t.3));
        Ok((plain, seen))
    }
}

impl SegmentCollector for SegmentTop {
    type Fruit = Harvest;

    fn collect(&mut self, doc: DocId, score: Score) {
        self.push(doc, score);
    }

    fn harvest(mut self) -> Harvest {
        self.prune();
        Harvest {
            hits: self.tagged().ok_or(self.hits),
            seen: self.seen,
        }
    }
}
