//! The fast-field columns that ranking reads, opened once per segment and kept by the
//! engine.
//!
//! Opening a column decodes its header and, for a column of varying values, the index of
//! its blocks: on the 100 MB index, opening them in every segment for every query was half
//! of a rare word's search part (`piraterie` 83 → 39 µs once they were kept). A segment never changes once
//! written (deletes do not touch its columns), so its columns are opened the first time a
//! search reaches it and kept until the segment leaves the index.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use tantivy::columnar::{Column, ColumnIndex, StrColumn};
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
    /// Each passage's document key ([`schema::KEY`]), with the texts read so far.
    pub key: Option<Keys>,
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
            key: fast.str(schema::KEY).ok().flatten().map(Keys::new),
            passage: fast.u64(schema::PASSAGE).ok(),
            hash: fast.u64(schema::HASH).ok(),
            copy: fast.u64(schema::COPY).ok(),
        }
    }
}

/// The value a column holds for a passage, read straight from its values when every
/// passage has one, as in quorum's own columns. [`Column::first`] goes through the
/// column's index and an iterator for each read: on the 100 MB index, that was a third
/// of what the collector spent reading columns for each hit of `Security`.
pub(crate) trait FirstValue {
    /// The first (for quorum's columns, the only) value of passage `doc`.
    fn value(&self, doc: tantivy::DocId) -> Option<u64>;
}

impl FirstValue for Column<u64> {
    #[inline]
    fn value(&self, doc: tantivy::DocId) -> Option<u64> {
        match self.index {
            ColumnIndex::Full => Some(self.values.get_val(doc)),
            _ => self.first(doc),
        }
    }
}

/// How many consecutive ordinals of a key column are decoded together.
const KEY_CHUNK: u64 = 256;

/// A segment's key column and the texts of its ordinals, decoded a chunk of
/// [`KEY_CHUNK`] ordinals at a time the first time one of them is read, and kept with
/// the segment's columns.
///
/// The dictionary of a string column holds its keys in blocks of about 4 KB, each
/// delta-coded from its start: reading one key decodes, on average, half a block. On the
/// 100 MB index, the keys of the ten copies listed for each hit of a page
/// (`also_in`) cost half of a single word's whole page before they were kept. An engine
/// that answers many queries (`serve`, `bench`) decodes each chunk once; a one-shot
/// search decodes what it reads, as before.
#[derive(Clone)]
pub(crate) struct Keys {
    column: StrColumn,
    chunks: Arc<[OnceLock<Chunk>]>,
}

/// The texts of [`KEY_CHUNK`] consecutive ordinals: one string, and where each ends.
struct Chunk {
    text: String,
    ends: Vec<u32>,
}

impl Chunk {
    fn get(&self, at: usize) -> Option<&str> {
        let end = *self.ends.get(at)? as usize;
        let start = match at {
            0 => 0,
            _ => self.ends[at - 1] as usize,
        };
        self.text.get(start..end)
    }
}

impl Keys {
    fn new(column: StrColumn) -> Keys {
        let chunks = (column.num_terms() as u64).div_ceil(KEY_CHUNK) as usize;
        Keys {
            column,
            chunks: (0..chunks).map(|_| OnceLock::new()).collect(),
        }
    }

    /// The ordinal of passage `doc`'s key in the segment's dictionary.
    pub(crate) fn ord(&self, doc: tantivy::DocId) -> Option<u64> {
        self.column.ords().value(doc)
    }

    /// The key of ordinal `ord`, or `None` past the dictionary's end.
    pub(crate) fn text(&self, ord: u64) -> Option<&str> {
        let chunk = self.chunks.get((ord / KEY_CHUNK) as usize)?;
        chunk
            .get_or_init(|| self.decode(ord / KEY_CHUNK))
            .get((ord % KEY_CHUNK) as usize)
    }

    fn decode(&self, chunk: u64) -> Chunk {
        let first = chunk * KEY_CHUNK;
        let last = (first + KEY_CHUNK).min(self.column.num_terms() as u64);
        let ords: Vec<u64> = (first..last).collect();
        let mut out = Chunk {
            text: String::new(),
            ends: Vec::with_capacity(ords.len()),
        };
        let _ = self
            .column
            .dictionary()
            .sorted_ords_to_term_cb(&ords, |bytes| {
                out.text.push_str(&String::from_utf8_lossy(bytes));
                out.ends.push(out.text.len() as u32);
            });
        out
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

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::schema::{Schema, FAST, STRING};
    use tantivy::{doc, Index};

    /// Every passage reads its own key, on either side of a chunk's edge and in the
    /// last, short chunk.
    #[test]
    fn each_key_is_read_whatever_chunk_it_falls_in() {
        let mut builder = Schema::builder();
        let key = builder.add_text_field(schema::KEY, STRING | FAST);
        let number = builder.add_u64_field("number", FAST);
        let index = Index::create_in_ram(builder.build());
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        // Twice as many passages as keys, in another order than the keys'.
        let keys = KEY_CHUNK * 2 + 7;
        for n in 0..keys * 2 {
            let k = (n * 7919) % keys;
            writer
                .add_document(doc!(key => format!("doc-{k:05}"), number => k))
                .unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let mut read = 0;
        for reader in searcher.segment_readers() {
            let columns = SegmentColumns::open(reader);
            let texts = columns.key.expect("the key column");
            let numbers = reader.fast_fields().u64("number").unwrap();
            for doc in 0..reader.max_doc() {
                let ord = texts.ord(doc).expect("an ordinal");
                let expected = format!("doc-{:05}", numbers.first(doc).unwrap());
                assert_eq!(texts.text(ord), Some(expected.as_str()), "doc {doc}");
                read += 1;
            }
            assert_eq!(texts.text(texts.column.num_terms() as u64), None);
        }
        assert_eq!(read, keys * 2);
    }
}
