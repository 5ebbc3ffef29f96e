//! The fast-field columns that ranking reads, opened once per segment and kept by the
//! engine.
//!
//! Opening a column decodes its header and, for a column of varying values, the index of
//! its blocks: on the 100 MB index, opening them in every segment for every query was half
//! of a rare word's search part (`piraterie` 83 → 39 µs once they were kept). A segment never changes once
//! written (deletes do not touch its columns), so its columns are opened the first time a
//! search reaches it and kept until the segment leaves the index.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tantivy::columnar::{Column, StrColumn};
use tantivy::index::SegmentId;
use tantivy::{Searcher, SegmentReader};

use crate::index::schema;

/// One segment's columns; a column the segment lacks (an index of an older schema, or a
/// segment without passages) is `None`.
#[derive(Clone)]
pub(crate) struct SegmentColumns {
    /// Each passage's number of words ([`schema::WORDS`]), for the length prior.
    pub words: Option<Column<u64>>,
    /// Each passage's language code ([`schema::LANG`]).
    pub lang: Option<StrColumn>,
    /// Each passage's document key ([`schema::KEY`]).
    pub key: Option<StrColumn>,
    /// Each passage's number in its document ([`schema::PASSAGE`]).
    pub passage: Option<Column<u64>>,
    /// The fingerprint of each passage's document ([`schema::HASH`]).
    pub hash: Option<Column<u64>>,
    /// The hash that copies of one passage share ([`schema::COPY`]).
    pub copy: Option<Column<u64>>,
}

impl SegmentColumns {
    fn open(reader: &SegmentReader) -> SegmentColumns {
        let fast = reader.fast_fields();
        SegmentColumns {
            words: fast.u64(schema::WORDS).ok(),
            lang: fast.str(schema::LANG).ok().flatten(),
            key: fast.str(schema::KEY).ok().flatten(),
            passage: fast.u64(schema::PASSAGE).ok(),
            hash: fast.u64(schema::HASH).ok(),
            copy: fast.u64(schema::COPY).ok(),
        }
    }
}

/// The columns of a searcher's segments, in segment order.
pub(crate) type Columns = Vec<Arc<SegmentColumns>>;

/// The columns of every segment searched so far, by segment.
#[derive(Default)]
pub(crate) struct ColumnCache {
    segments: Mutex<HashMap<SegmentId, Arc<SegmentColumns>>>,
}

impl ColumnCache {
    /// The columns of each of `searcher`'s segments, in its segment order: those kept,
    /// and the others opened now. Segments that left the index are forgotten.
    pub(crate) fn of(&self, searcher: &Searcher) -> Columns {
        let readers = searcher.segment_readers();
        // A poisoned lock only means a search panicked while it held it; the map is
        // still whole, since each entry is inserted in one step.
        let mut segments = self
            .segments
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let columns: Columns = readers
            .iter()
            .map(|reader| {
                segments
                    .entry(reader.segment_id())
                    .or_insert_with(|| Arc::new(SegmentColumns::open(reader)))
                    .clone()
            })
            .collect();
        if segments.len() > readers.len() {
            let live: std::collections::HashSet<SegmentId> =
                readers.iter().map(|r| r.segment_id()).collect();
            segments.retain(|id, _| live.contains(id));
        }
        columns
    }
}
