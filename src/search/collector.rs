//! The top-hits collector: each segment's best page, every hit tied with its last, and
//! the count of all matches, with the length prior applied as hits are collected.
//!
//! tantivy's `TopDocs` sorts by score alone and breaks ties by address, which depends on
//! how documents fell into segments; quorum orders ties by document fingerprint afterwards
//! ([`rank`](super::rank)), so a segment must hand over every hit tied with its last.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicUsize, Ordering};
use std::time::Instant;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::{DocAddress, DocId, Score, SegmentReader};

use super::columns::{Columns, FirstValue, SegmentColumns};
use super::rank::length_prior;

/// Collects the best `need` matches of each segment, with every match tied with the
/// last of them (ranking orders ties by document fingerprint, whatever segment they are in), and
/// counts the matches.
///
/// Every match is counted up to [`TopHits::count`]. Past it, tantivy may skip what
/// cannot beat the page: blocks of documents for queries that are plain unions or
/// intersections of terms (block-WAND), and the hand-over of each lower match for the
/// others. The count then covers only the matches it passed on, and
/// [`TopHits::capped`] says so.
pub(crate) struct TopHits {
    /// The columns of the searcher's segments, in segment order.
    pub columns: Columns,
    /// How many hits of each segment may make the page.
    pub need: usize,
    /// How many matches, over every segment, are counted before the search may skip
    /// what cannot make the page: `usize::MAX` to count them all, 0 to prune from the
    /// start.
    pub count: usize,
    /// The matches counted so far, over the segments searched (one after another).
    pub counted: AtomicUsize,
    /// Set when a segment's search raised its threshold after the count reached
    /// [`TopHits::count`]: the count is then a lower bound.
    pub capped: AtomicBool,
    /// The bits of the best floor of the segments searched so far: the score of the
    /// `need`-th distinct passage of one of them.
    pub floor: AtomicU32,
    /// `--group`: keep each document's best passage, of the best `need` documents, and
    /// count the documents matched ([`Gathered::documents`]).
    pub group: bool,
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
    /// A collector over segments with `columns`, that counts `count` matches before it
    /// may skip what cannot make the page.
    pub fn new(columns: Columns, need: usize, count: usize, group: bool) -> TopHits {
        TopHits {
            columns,
            need,
            count,
            counted: AtomicUsize::new(0),
            capped: AtomicBool::new(false),
            floor: AtomicU32::new(Score::NEG_INFINITY.to_bits()),
            group,
            prefer: None,
            deadline: None,
            late: AtomicBool::new(false),
        }
    }

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
    /// With `--group`: the documents matched, and whether some were left out of the hits.
    documents: Option<(HashSet<u64>, bool)>,
}

/// What the collector gives: the hits, how many passages matched and, with `--group`,
/// which documents (by fingerprint) and whether the hits left any out.
pub(crate) struct Gathered {
    pub hits: Vec<(Score, DocAddress)>,
    pub seen: usize,
    pub documents: HashSet<u64>,
    pub pruned: bool,
    /// The search skipped matches once [`TopHits::count`] were counted: `seen` is a
    /// lower bound.
    pub capped: bool,
}

/// `--group` in one segment: each document's best passage (by score, then passage),
/// for the documents that can still make the page, and every document matched. A
/// document is left out only when `need` others score above its best, so the page
/// needs nothing else, unless copies take places on it (then the search runs again
/// without the bound).
struct Grouped {
    hash: tantivy::columnar::Column<u64>,
    passage: tantivy::columnar::Column<u64>,
    /// Fingerprint → (score, passage, doc) of the document's best passage so far.
    best: HashMap<u64, (Score, u64, DocId)>,
    matched: HashSet<u64>,
}

/// The best hit of each passage (the same copy hash): by score, then tie order, then
/// address. A segment keeps its hits so as it collects, and the merge does it again over
/// every segment's, so that the hits kept never depend on how the index is cut into
/// segments.
fn best_copies(mut tagged: Vec<Tagged>) -> Vec<Tagged> {
    tagged.sort_unstable_by(|a, b| {
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

/// What a passage's BM25 score is multiplied by: its length prior and, where the
/// query's words show its language, the [`LANGUAGE_FACTOR`] of a passage in it. The
/// collector applies it as hits come; a rerank that adds to a score applies it to what
/// it adds.
pub(crate) struct Factors {
    words: Option<tantivy::columnar::Column<u64>>,
    /// The segment's language column and the ordinal of the preferred language in it.
    prefer: Option<(tantivy::columnar::StrColumn, u64)>,
}

impl Factors {
    /// The factors of one segment, from its columns; `prefer` is the code of the query's
    /// language.
    pub(crate) fn new(columns: &SegmentColumns, prefer: Option<&str>) -> Factors {
        Factors {
            words: columns.words.clone(),
            prefer: prefer.and_then(|code| {
                let column = columns.lang.clone()?;
                let ord = column.dictionary().term_ord(code.as_bytes()).ok()??;
                Some((column, ord))
            }),
        }
    }

    /// The most that [`Factors::apply`] multiplies a score by.
    pub(crate) fn most(&self) -> Score {
        if self.prefer.is_some() {
            LANGUAGE_FACTOR
        } else {
            1.0
        }
    }

    /// `score` times the factor of passage `doc`.
    pub(crate) fn apply(&self, doc: DocId, score: Score) -> Score {
        let prior = self
            .words
            .as_ref()
            .and_then(|w| w.value(doc))
            .map_or(1.0, length_prior);
        let preferred = self
            .prefer
            .as_ref()
            .is_some_and(|(column, ord)| column.ords().value(doc) == Some(*ord));
        score * prior * if preferred { LANGUAGE_FACTOR } else { 1.0 }
    }
}

pub(crate) struct SegmentTop {
    segment: u32,
    factors: Factors,
    /// Set with `--group`, when the segment has the columns.
    grouped: Option<Grouped>,
    /// The copy hash, fingerprint and passage columns: copies of one passage take one
    /// place on the page, and the copy first in tie order stands for the others in a
    /// segment.
    copies: Option<Copies>,
    need: usize,
    /// The hits held, each tagged once as it comes ([`SegmentTop::tag`]).
    hits: Vec<Tagged>,
    /// No hit under this score can make the page any more.
    floor: Score,
    /// Prune when this many hits are held.
    prune_at: usize,
    seen: usize,
}

impl SegmentTop {
    /// A hit with its copy hash and tie order, read once as it is held; without the
    /// copy columns, a tag that no other hit shares ([`SegmentTop::drop_copies`] then
    /// keeps every hit).
    fn tag(&self, doc: DocId, score: Score) -> Tagged {
        let hit = (score, DocAddress::new(self.segment, doc));
        match &self.copies {
            Some(Copies {
                copy,
                hash,
                passage,
            }) => {
                let order = (
                    hash.value(doc).unwrap_or(u64::MAX),
                    passage.value(doc).unwrap_or(u64::MAX),
                );
                (copy.value(doc).unwrap_or(0), score, order, hit)
            }
            None => (0, score, (u64::MAX, u64::MAX), hit),
        }
    }

    /// Keeps, of the hits that are copies of one passage, the best (by score, then tie
    /// order: document fingerprint and passage).
    fn drop_copies(&mut self) {
        if self.hits.len() <= 1 || self.copies.is_none() {
            return;
        }
        self.hits = best_copies(std::mem::take(&mut self.hits));
    }

    fn push(&mut self, doc: DocId, score: Score) {
        self.seen += 1;
        // The factors only lower a score, or raise it by at most the language factor:
        // a score that cannot reach the floor even so needs no column read.
        if self.grouped.is_none() && score * self.factors.most() < self.floor {
            return;
        }
        let score = self.factors.apply(doc, score);
        if let Some(grouped) = &mut self.grouped {
            let document = grouped.hash.value(doc).unwrap_or(u64::MAX);
            grouped.matched.insert(document);
            if score < self.floor {
                return;
            }
            let candidate = (score, grouped.passage.value(doc).unwrap_or(u64::MAX), doc);
            let better = |held: &(Score, u64, DocId)| {
                candidate
                    .0
                    .total_cmp(&held.0)
                    .then(held.1.cmp(&candidate.1))
                    .then(held.2.cmp(&candidate.2))
                    .is_gt()
            };
            match grouped.best.entry(document) {
                std::collections::hash_map::Entry::Occupied(mut held) => {
                    if better(held.get()) {
                        held.insert(candidate);
                    }
                }
                std::collections::hash_map::Entry::Vacant(slot) => {
                    slot.insert(candidate);
                }
            }
            if grouped.best.len() >= self.prune_at {
                self.prune();
            }
            return;
        }
        if score < self.floor {
            return;
        }
        let tagged = self.tag(doc, score);
        self.hits.push(tagged);
        if self.hits.len() >= self.prune_at {
            self.prune();
        }
    }

    /// Keeps the best `need` hits and their ties, and raises the floor. Copies of one
    /// passage count once: the page shows one of them, so the floor is the score of the
    /// `need`-th distinct passage.
    fn prune(&mut self) {
        if let Some(grouped) = &mut self.grouped {
            if grouped.best.len() > self.need {
                let mut scores: Vec<Score> = grouped.best.values().map(|b| b.0).collect();
                let last = self.need - 1;
                scores.select_nth_unstable_by(last, |a, b| b.total_cmp(a));
                self.floor = scores[last];
                let floor = self.floor;
                grouped.best.retain(|_, best| best.0 >= floor);
            }
            self.prune_at = grouped
                .best
                .len()
                .saturating_mul(2)
                .max(self.need.saturating_mul(2))
                .max(64);
            return;
        }
        // Copies count once towards the floor. With no more hits than the page needs
        // there is no floor to raise, and the merge keeps one of each passage's copies
        // over every segment.
        if self.hits.len() > self.need {
            self.drop_copies();
        }
        if self.hits.len() > self.need {
            let last = self.need - 1;
            self.hits
                .select_nth_unstable_by(last, |a, b| b.1.total_cmp(&a.1));
            // A floor from an earlier segment may stand above this one's.
            self.floor = self.floor.max(self.hits[last].1);
            let floor = self.floor;
            self.hits.retain(|hit| hit.1 >= floor);
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
    type Fruit = Gathered;
    type Child = SegmentTop;

    fn for_segment(&self, segment: u32, _: &SegmentReader) -> tantivy::Result<SegmentTop> {
        let columns = self.columns.get(segment as usize).ok_or_else(|| {
            tantivy::TantivyError::InternalError(format!("no columns for segment {segment}"))
        })?;
        let prune_at = self.need.saturating_mul(2).max(64);
        Ok(SegmentTop {
            segment,
            factors: Factors::new(columns, self.prefer.as_deref()),
            grouped: if self.group {
                match (columns.hash.clone(), columns.passage.clone()) {
                    (Some(hash), Some(passage)) => Some(Grouped {
                        hash,
                        passage,
                        best: HashMap::new(),
                        matched: HashSet::new(),
                    }),
                    _ => None,
                }
            } else {
                None
            },
            copies: if self.need == usize::MAX || self.group {
                None
            } else {
                match (
                    columns.copy.clone(),
                    columns.hash.clone(),
                    columns.passage.clone(),
                ) {
                    (Some(copy), Some(hash), Some(passage)) => Some(Copies {
                        copy,
                        hash,
                        passage,
                    }),
                    _ => None,
                }
            },
            need: self.need,
            // Room for every hit held before the first prune.
            hits: Vec::with_capacity(prune_at.min(4096)),
            // `need` distinct passages of earlier segments score at least this: a hit
            // below it cannot make the page. With `--group`, a document's passages may
            // lie in several segments, so each segment starts from the bottom.
            floor: if self.group {
                Score::NEG_INFINITY
            } else {
                Score::from_bits(self.floor.load(Ordering::Relaxed))
            },
            prune_at,
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
                documents: None,
            });
        }
        let mut top = self.for_segment(segment, reader)?;
        let alive = reader.alive_bitset();
        let is_alive = |doc: DocId| alive.is_none_or(|a| a.is_alive(doc));
        // Each segment is counted whole until the count limit is reached; the segments
        // after it pass on only what can beat the page.
        if self.counted.load(Ordering::Relaxed) < self.count {
            weight.for_each(reader, &mut |doc, score| {
                if is_alive(doc) {
                    top.push(doc, score);
                }
            })?;
        } else {
            // tantivy passes on scores above the threshold; the length prior only
            // lowers a score, the language factor raises it at most by its value, and a
            // score equal to the floor still ties.
            let most = top.factors.most();
            let threshold = |floor: Score| {
                if floor == Score::NEG_INFINITY {
                    floor
                } else {
                    (floor / most).next_down()
                }
            };
            let mut capped = top.floor > Score::NEG_INFINITY;
            weight.for_each_pruning(threshold(top.floor), reader, &mut |doc, score| {
                if is_alive(doc) {
                    top.push(doc, score);
                }
                capped |= top.floor > Score::NEG_INFINITY;
                threshold(top.floor)
            })?;
            if capped {
                self.capped.store(true, Ordering::Relaxed);
            }
        }
        self.counted.fetch_add(top.seen, Ordering::Relaxed);
        let harvest = top.harvest_raising(&self.floor);
        Ok(harvest)
    }

    fn merge_fruits(&self, fruits: Vec<Harvest>) -> tantivy::Result<Self::Fruit> {
        let seen = fruits.iter().map(|f| f.seen).sum();
        let mut tagged = Vec::new();
        let mut plain = Vec::new();
        let mut documents = HashSet::new();
        let mut pruned = false;
        for mut fruit in fruits {
            if let Some((matched, left_out)) = fruit.documents.take() {
                documents.extend(matched);
                pruned |= left_out;
            }
            match fruit.hits {
                Ok(hits) => tagged.extend(hits),
                Err(hits) => plain.extend(hits),
            }
        }
        plain.extend(best_copies(tagged).into_iter().map(|t| t.3));
        Ok(Gathered {
            hits: plain,
            seen,
            documents,
            pruned,
            capped: self.capped.load(Ordering::Relaxed),
        })
    }
}

impl SegmentTop {
    /// [`SegmentCollector::harvest`], raising `floor` to this segment's once pruned.
    fn harvest_raising(mut self, floor: &AtomicU32) -> Harvest {
        self.prune();
        // The floor only ever rises to the score of a segment's `need`-th distinct
        // passage.
        if self.grouped.is_none() && self.floor > Score::from_bits(floor.load(Ordering::Relaxed)) {
            floor.store(self.floor.to_bits(), Ordering::Relaxed);
        }
        self.pruned_harvest()
    }

    /// The fruit of a segment whose hits were pruned last.
    fn pruned_harvest(mut self) -> Harvest {
        if let Some(grouped) = self.grouped.take() {
            let segment = self.segment;
            let hits = grouped
                .best
                .values()
                .map(|&(score, _, doc)| (score, DocAddress::new(segment, doc)))
                .collect();
            let left_out = grouped.matched.len() > grouped.best.len();
            return Harvest {
                hits: Err(hits),
                seen: self.seen,
                documents: Some((grouped.matched, left_out)),
            };
        }
        Harvest {
            hits: if self.copies.is_some() {
                Ok(self.hits)
            } else {
                Err(self.hits.into_iter().map(|t| t.3).collect())
            },
            seen: self.seen,
            documents: None,
        }
    }
}

impl SegmentCollector for SegmentTop {
    type Fruit = Harvest;

    fn collect(&mut self, doc: DocId, score: Score) {
        self.push(doc, score);
    }

    fn harvest(mut self) -> Harvest {
        self.prune();
        self.pruned_harvest()
    }
}
