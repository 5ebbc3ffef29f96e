//! The mapping between a passage and its stored fields, in both directions:
//! [`tantivy_docs`] writes a document's passages as tantivy documents, and
//! [`StoredPassage::from_doc`] reads one back. Nothing else spells a stored field.
//!
//! ```
//! use quorum::index::{build, schema, store::Store};
//! let dir = tempfile::tempdir()?;
//! std::fs::write(dir.path().join("note.txt"), "Premier passage.\n\nSecond passage.")?;
//! let store = Store::new(dir.path().join("index"));
//! build::run(&store, &build::Options::new(vec![dir.path().join("note.txt")]), &mut build::Silent)?;
//! let passages = store.open_current()?.passages_of("note.txt", None)?;
//! let texts: Vec<(u64, &str)> = passages.iter().map(|p| (p.passage, p.text.as_str())).collect();
//! assert_eq!(texts, [(1, "Premier passage."), (2, "Second passage.")]);
//! assert_eq!(schema::split_key(&passages[0].key), Some(("note.txt", passages[0].doc_lang())));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{TantivyDocument, Term};

use super::schema::{doc_key, split_key, Fields};
use super::store::Generation;
use super::Result;
use crate::ingest::Document;
use crate::Lang;

/// One passage as the index stores it. Fields that a document may lack (and, for an
/// index written by an older quorum, any field) read as `None` or empty rather than
/// failing: a display shows what there is.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StoredPassage {
    /// The document's key ([`doc_key`]): its id and its language.
    pub key: String,
    /// The document id.
    pub id: String,
    /// The passage's language code, which may differ from the document's
    /// ([`StoredPassage::doc_lang`]) in a document of mixed languages.
    pub lang: String,
    /// The passage's number in its document, from 1.
    pub passage: u64,
    /// How many passages the document has.
    pub passages: Option<u64>,
    /// Byte range of the passage in the document's text.
    pub start: Option<u64>,
    /// End of that range.
    pub end: Option<u64>,
    /// The passage's slice of the source text, unchanged.
    pub text: String,
    /// The source file as found on disk.
    pub path: Option<String>,
    /// 1-based line of a JSONL record, 0 for a whole file.
    pub line: Option<u64>,
    /// Metadata.
    pub title: Option<String>,
    /// Metadata.
    pub symbol: Option<String>,
    /// Metadata, as given.
    pub date: Option<String>,
    /// Metadata.
    pub year: Option<i64>,
    /// Metadata, lower case.
    pub doc_type: Option<String>,
}

impl StoredPassage {
    /// Reads the stored fields of a tantivy document.
    pub fn from_doc(doc: &TantivyDocument, fields: &Fields) -> StoredPassage {
        StoredPassage {
            key: stored_str(doc, fields.key).unwrap_or_default(),
            id: stored_str(doc, fields.id).unwrap_or_default(),
            lang: stored_str(doc, fields.lang).unwrap_or_default(),
            passage: stored_u64(doc, fields.passage).unwrap_or(0),
            passages: stored_u64(doc, fields.passages),
            start: stored_u64(doc, fields.start),
            end: stored_u64(doc, fields.end),
            text: stored_str(doc, fields.text).unwrap_or_default(),
            path: stored_str(doc, fields.path),
            line: stored_u64(doc, fields.line),
            title: stored_str(doc, fields.title),
            symbol: stored_str(doc, fields.symbol),
            date: stored_str(doc, fields.date),
            year: doc.get_first(fields.year).and_then(|v| v.as_i64()),
            doc_type: stored_str(doc, fields.doc_type),
        }
    }

    /// The language code of the document (from its key), as opposed to the
    /// passage's own [`StoredPassage::lang`]. A key without a separator is taken
    /// whole.
    pub fn doc_lang(&self) -> &str {
        split_key(&self.key).map_or(self.key.as_str(), |(_, lang)| lang)
    }
}

/// The tantivy documents of a document's passages, one a passage in order, each
/// carrying the document's metadata; `source` and `hash` are what incremental
/// updates compare ([`super::build::Fingerprint`]).
pub fn tantivy_docs<'a>(
    fields: &'a Fields,
    doc: &'a Document,
    source: &'a str,
    hash: u64,
) -> impl Iterator<Item = TantivyDocument> + 'a {
    let key = doc_key(&doc.id, &doc.lang);
    let count = doc.passages.len() as u64;
    doc.passages
        .iter()
        .enumerate()
        .map(move |(number, passage)| {
            let mut tdoc = TantivyDocument::new();
            let text = &doc.text[passage.range.clone()];
            tdoc.add_text(fields.key, &key);
            tdoc.add_text(fields.id, &doc.id);
            tdoc.add_text(fields.lang, passage.lang.code());
            tdoc.add_u64(fields.passage, number as u64 + 1);
            tdoc.add_u64(fields.passages, count);
            tdoc.add_u64(fields.start, passage.range.start as u64);
            tdoc.add_u64(fields.end, passage.range.end as u64);
            tdoc.add_text(fields.text, text);
            tdoc.add_text(fields.path, doc.path.to_string_lossy());
            tdoc.add_text(fields.source, source);
            tdoc.add_u64(fields.hash, hash);
            tdoc.add_u64(fields.copy, copy_hash(text));
            tdoc.add_u64(fields.line, doc.line.unwrap_or(0) as u64);
            tdoc.add_u64(fields.words, text.split_whitespace().count() as u64);
            let body = fields.body(&passage.lang);
            for field in [body, fields.forms] {
                tdoc.add_text(field, text);
                // The title belongs to every passage: `Article 51` finds the article.
                if let Some(title) = &doc.title {
                    tdoc.add_text(field, title);
                }
            }
            if let Some(symbol) = &doc.symbol {
                tdoc.add_text(fields.symbol, symbol);
            }
            if let Some(title) = &doc.title {
                tdoc.add_text(fields.title, title);
                tdoc.add_u64(fields.title_key, copy_hash(title));
            }
            if let Some(date) = &doc.date {
                tdoc.add_text(fields.date, date);
            }
            if let Some(year) = doc.year {
                tdoc.add_i64(fields.year, year);
            }
            if let Some(doc_type) = &doc.doc_type {
                tdoc.add_text(fields.doc_type, doc_type.to_lowercase());
            }
            tdoc
        })
}

/// The hash that two copies of one passage share: of its words (runs of letters and
/// digits), lower case, so that line breaks, spacing and punctuation around them do not
/// tell copies apart.
///
/// ```
/// use quorum::index::passage::copy_hash;
/// assert_eq!(copy_hash("The Council,\n decides"), copy_hash("the council decides."));
/// assert_ne!(copy_hash("the council decides"), copy_hash("the council decided"));
/// ```
pub fn copy_hash(text: &str) -> u64 {
    // The words go into one buffer and the hash reads it once: blake3 gives the same
    // hash for the same bytes however they are fed, and one call per character was
    // 6% of a build's time.
    let mut words = String::with_capacity(text.len() + 1);
    for word in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if word.is_ascii() {
            words.extend(word.bytes().map(|b| char::from(b.to_ascii_lowercase())));
        } else {
            words.extend(word.chars().flat_map(char::to_lowercase));
        }
        words.push(' ');
    }
    u64::from_le_bytes(super::build::first_bytes(blake3::hash(words.as_bytes())))
}

impl Generation {
    /// Every passage of the documents with this id (of both languages, or of `lang`
    /// only), in key then passage order: the French and English twins of a document
    /// share an id, and come out one after the other.
    pub fn passages_of(&self, id: &str, lang: Option<&Lang>) -> Result<Vec<StoredPassage>> {
        let fields = &self.fields;
        let term = |field: Field, text: &str| -> (Occur, Box<dyn Query>) {
            (
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_text(field, text),
                    IndexRecordOption::Basic,
                )),
            )
        };
        let mut clauses = vec![term(fields.id, id)];
        if let Some(lang) = lang {
            clauses.push(term(fields.key, &doc_key(id, lang)));
        }
        let query = BooleanQuery::new(clauses);
        let searcher = self.reader.searcher();
        let limit = searcher.num_docs().max(1) as usize;
        let found = searcher.search(&query, &TopDocs::with_limit(limit).order_by_score())?;
        let mut passages = Vec::with_capacity(found.len());
        for (_, address) in found {
            let doc: TantivyDocument = searcher.doc(address)?;
            passages.push(StoredPassage::from_doc(&doc, fields));
        }
        passages.sort_by(|a, b| (&a.key, a.passage).cmp(&(&b.key, b.passage)));
        Ok(passages)
    }
}

impl Generation {
    /// The documents held in both French and English (the same id): each id with its
    /// French and its English text, the passages of each joined in order, in id order.
    /// What `quorum lexicon build --from-index` learns from.
    pub fn aligned_documents(&self) -> Result<Vec<(String, String, String)>> {
        let searcher = self.reader.searcher();
        let found = searcher.search(
            &tantivy::query::AllQuery,
            &tantivy::collector::DocSetCollector,
        )?;
        type Texts = std::collections::BTreeMap<String, [Vec<(u64, String)>; 2]>;
        let mut by_id: Texts = Texts::new();
        for address in found {
            let doc: TantivyDocument = searcher.doc(address)?;
            let passage = StoredPassage::from_doc(&doc, &self.fields);
            let side = match Lang::parse(passage.doc_lang()) {
                Lang::Fr => 0,
                Lang::En => 1,
                Lang::Other(_) => continue,
            };
            by_id.entry(passage.id).or_default()[side].push((passage.passage, passage.text));
        }
        let join = |mut passages: Vec<(u64, String)>| {
            passages.sort();
            passages
                .into_iter()
                .map(|(_, text)| text)
                .collect::<Vec<_>>()
                .join("\n")
        };
        Ok(by_id
            .into_iter()
            .filter(|(_, [fr, en])| !fr.is_empty() && !en.is_empty())
            .map(|(id, [fr, en])| (id, join(fr), join(en)))
            .collect())
    }
}

/// The stored value of a text field.
fn stored_str(doc: &TantivyDocument, field: Field) -> Option<String> {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .map(str::to_string)
}

/// The stored value of a u64 field.
fn stored_u64(doc: &TantivyDocument, field: Field) -> Option<u64> {
    doc.get_first(field).and_then(|v| v.as_u64())
}

#[cfg(test)]
mod tests {
    use super::copy_hash;

    /// The hash as it was first written, one character at a time: indexes built
    /// before keep their copy hashes.
    fn fed_by_character(text: &str) -> u64 {
        let mut hasher = blake3::Hasher::new();
        for word in text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
        {
            for c in word.chars().flat_map(char::to_lowercase) {
                let mut buf = [0; 4];
                hasher.update(c.encode_utf8(&mut buf).as_bytes());
            }
            hasher.update(b" ");
        }
        u64::from_le_bytes(crate::index::build::first_bytes(hasher.finalize()))
    }

    #[test]
    fn copy_hashes_are_those_of_earlier_indexes() {
        for text in [
            "",
            "The Council,\n decides",
            "L’ÉTAT İstanbul STRASSE ΟΔΟΣ œuvre 1,5 S/PRST/2001/3",
            "accompagne\u{301} — ٢٠٢٤",
        ] {
            assert_eq!(copy_hash(text), fed_by_character(text), "{text:?}");
        }
    }
}
