//! The plain BM25 baseline of the judged set: tantivy as it comes, on the same
//! passages. A throwaway index in memory holds one document per quorum passage, its
//! text analyzed by tantivy's `default` tokenizer (words, lower-cased, no stop words,
//! no stemming, no accent folding), and a query is the OR of its terms, ranked by
//! BM25. It is what a team would get from tantivy in an afternoon, and the floor that
//! quorum's analysis and ranking must clear.
//!
//! ```
//! use quorum::eval::baseline::Baseline;
//! use quorum::index::{build, store::Store};
//! let dir = tempfile::tempdir()?;
//! std::fs::write(dir.path().join("a.txt"), "Les opérations de maintien de la paix.\n\nLes opérations.")?;
//! let store = Store::new(dir.path().join("index"));
//! build::run(&store, &build::Options::new(vec![dir.path().join("a.txt")]), &mut build::Silent)?;
//! let baseline = Baseline::build(&store.open_current()?)?;
//! assert_eq!(baseline.passages(), 2);
//! // No accent folding: `operations` is not `opérations`, and `paix` finds one passage.
//! assert!(baseline.search("operations", 10)?.is_empty());
//! let hits = baseline.search("paix opérations", 10)?;
//! assert_eq!(hits.iter().map(|h| h.key.passage).collect::<Vec<_>>(), [1, 2]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::BTreeSet;

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Schema, Value, STORED, TEXT};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use super::judged::Need;
use super::systems::{Found, System};
use super::{Error, PassageKey};
use crate::index::passage::StoredPassage;
use crate::index::store::Generation;

/// tantivy's own tokenizer name, registered in every index.
const TOKENIZER: &str = "default";

/// The baseline's index, built from a quorum generation.
pub struct Baseline {
    index: Index,
    reader: IndexReader,
    text: Field,
    id: Field,
    lang: Field,
    passage: Field,
}

impl Baseline {
    /// Copies every passage of a generation into a new index in memory.
    pub fn build(generation: &Generation) -> Result<Baseline, Error> {
        let mut builder = Schema::builder();
        let text = builder.add_text_field("text", TEXT | STORED);
        let id = builder.add_text_field("id", STORED);
        let lang = builder.add_text_field("lang", STORED);
        let passage = builder.add_u64_field("passage", STORED);
        let index = Index::create_in_ram(builder.build());
        // One thread, so that the documents keep the order they are read in and ties
        // in score come out the same on every run.
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 100_000_000)?;
        let searcher = generation.reader.searcher();
        for segment in searcher.segment_readers() {
            let store = segment
                .get_store_reader(64)
                .map_err(tantivy::TantivyError::from)?;
            for doc in store.iter::<TantivyDocument>(segment.alive_bitset()) {
                let stored = StoredPassage::from_doc(&doc?, &generation.fields);
                let mut copy = TantivyDocument::new();
                copy.add_text(text, &stored.text);
                copy.add_text(id, &stored.id);
                copy.add_text(lang, &stored.lang);
                copy.add_u64(passage, stored.passage);
                writer.add_document(copy)?;
            }
        }
        writer.commit()?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(Baseline {
            index,
            reader,
            text,
            id,
            lang,
            passage,
        })
    }

    /// How many passages it holds.
    pub fn passages(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// The best `limit` passages for the OR of the query's terms.
    pub fn search(&self, query: &str, limit: usize) -> Result<Vec<Found>, Error> {
        let mut tokenizer = self
            .index
            .tokenizers()
            .get(TOKENIZER)
            .ok_or_else(|| tantivy::TantivyError::SchemaError(TOKENIZER.into()))?;
        let mut terms = BTreeSet::new();
        let mut stream = tokenizer.token_stream(query);
        while stream.advance() {
            terms.insert(stream.token().text.clone());
        }
        if terms.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let clauses: Vec<(Occur, Box<dyn Query>)> = terms
            .iter()
            .map(|t| {
                let term = Term::from_field_text(self.text, t);
                let query: Box<dyn Query> =
                    Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs));
                (Occur::Should, query)
            })
            .collect();
        let searcher = self.reader.searcher();
        let top = searcher.search(
            &BooleanQuery::new(clauses),
            &TopDocs::with_limit(limit).order_by_score(),
        )?;
        let mut out = Vec::with_capacity(top.len());
        for (_, address) in top {
            let doc: TantivyDocument = searcher.doc(address)?;
            let text = |field: Field| {
                doc.get_first(field)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_string()
            };
            let passage = doc
                .get_first(self.passage)
                .and_then(|v| v.as_u64())
                .unwrap_or(0);
            out.push(Found {
                key: PassageKey::new(text(self.id), text(self.lang), passage),
                text: text(self.text),
                copies: Vec::new(),
            });
        }
        Ok(out)
    }
}

impl System for Baseline {
    fn name(&self) -> &str {
        "baseline"
    }

    fn top(&mut self, need: &Need, depth: usize) -> Result<Vec<Found>, Error> {
        self.search(&need.query, depth)
    }
}
