//! The tantivy schema: one tantivy document per passage, carrying its document's
//! metadata. Field names are constants so that no string is spelled twice.
//!
//! ```
//! use quorum::index::schema::{Fields, BODY_FR};
//! let fields = Fields::new();
//! assert_eq!(fields.schema.get_field_name(fields.body_fr), BODY_FR);
//! ```

use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, FAST, STORED,
};

use crate::analysis;
use crate::Lang;

/// Bumped whenever the schema changes: an index of another version is rebuilt.
pub const SCHEMA_VERSION: u32 = 5;

/// `id` + U+001F + `lang`: what makes a document unique. Indexed, stored, fast.
pub const KEY: &str = "key";
/// The document id as ingestion gave it.
pub const ID: &str = "id";
/// The passage's language code (`fr`, `en`, or another code from metadata).
pub const LANG: &str = "lang";
/// The passage's number in its document, from 1.
pub const PASSAGE: &str = "passage";
/// How many passages the document has (stored on every passage).
pub const PASSAGES: &str = "passages";
/// Byte range of the passage in the document's text.
pub const START: &str = "start";
/// End of that range.
pub const END: &str = "end";
/// The passage's slice of the source text, unchanged.
pub const TEXT: &str = "text";
/// The source file as found on disk, for display.
pub const PATH: &str = "path";
/// The canonical source file, for incremental updates and removal (a fast field,
/// not stored).
pub const SOURCE: &str = "source";
/// The document's fingerprint ([`super::build::Fingerprint`]): the content hash of the
/// whole document (text, metadata, language, analysis version) in its high 48 bits, a
/// hash of its canonical source and line in the low 16. A fast field.
pub const HASH: &str = "hash";
/// The hash of the passage's words, lower case ([`super::passage::copy_hash`]): the same
/// passage in two records (a sentence and the document that regroups it) has one, so
/// that search shows it once. Indexed and fast.
pub const COPY: &str = "copy";
/// The hash of the document title's words, as [`COPY`] hashes a passage's: a query that
/// is a document's title (`Article 51`) finds that document first. Indexed.
pub const TITLE_KEY: &str = "title_key";
/// 1-based line of a JSONL record (0 for a whole file).
pub const LINE: &str = "line";
/// Words in the passage, for the length prior of ranking (a fast field).
pub const WORDS: &str = "words";
/// Metadata, stored as given.
pub const TITLE: &str = "title";
/// The document symbol, analyzed by [`analysis::SYMBOL`] and stored.
pub const SYMBOL: &str = "symbol";
/// Metadata date as given.
pub const DATE: &str = "date";
/// Metadata year, indexed for `year:` ranges.
pub const YEAR: &str = "year";
/// Metadata document type, lower case (`resolution`, ...).
pub const DOC_TYPE: &str = "doc_type";
/// French passages, stemmed: BM25 and phrases happen here.
pub const BODY_FR: &str = "body_fr";
/// English passages, stemmed.
pub const BODY_EN: &str = "body_en";
/// Passages in other languages, folded but not stemmed.
pub const BODY_OTHER: &str = "body_other";
/// Exact forms of every passage (accents, stop words), each followed by its folded
/// twin when folding changes it ([`analysis::FORMS`]), without positions.
pub const FORMS: &str = "forms";

/// Handles to every field.
#[derive(Clone, Debug)]
pub struct Fields {
    /// The schema itself.
    pub schema: Schema,
    pub key: Field,
    pub id: Field,
    pub lang: Field,
    pub passage: Field,
    pub passages: Field,
    pub start: Field,
    pub end: Field,
    pub text: Field,
    pub path: Field,
    pub source: Field,
    pub hash: Field,
    pub copy: Field,
    pub title_key: Field,
    pub line: Field,
    pub words: Field,
    pub title: Field,
    pub symbol: Field,
    pub date: Field,
    pub year: Field,
    pub doc_type: Field,
    pub body_fr: Field,
    pub body_en: Field,
    pub body_other: Field,
    pub forms: Field,
}

impl Default for Fields {
    fn default() -> Self {
        Self::new()
    }
}

fn analyzed(analyzer: &str, record: IndexRecordOption) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(analyzer)
            .set_index_option(record),
    )
}

impl Fields {
    /// Builds the schema.
    pub fn new() -> Fields {
        let mut b = Schema::builder();
        let stored_u64 = NumericOptions::default().set_stored();
        // Numbers are filtered on, never scored: no fieldnorms.
        let indexed_u64 = NumericOptions::default().set_indexed();
        let positions = IndexRecordOption::WithFreqsAndPositions;
        // The forms field only adds to scores: positions there would double the
        // index for no phrase that needs them.
        // Term frequencies stay: without them (5.6 MB less on 100 MB), the judged
        // needs' precision fell from 0.86 to 0.78.
        let freqs = IndexRecordOption::WithFreqs;
        // Keys, codes and paths are matched whole and never scored: no fieldnorms.
        let raw = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer("raw")
                .set_fieldnorms(false),
        );
        let key = b.add_text_field(KEY, raw.clone() | STORED | FAST);
        let id = b.add_text_field(ID, raw.clone() | STORED);
        let lang = b.add_text_field(LANG, raw.clone() | STORED | FAST);
        let passage = b.add_u64_field(PASSAGE, indexed_u64.clone() | STORED | FAST);
        let passages = b.add_u64_field(PASSAGES, stored_u64.clone());
        let start = b.add_u64_field(START, stored_u64.clone());
        let end = b.add_u64_field(END, stored_u64.clone());
        let text = b.add_text_field(TEXT, STORED);
        let path = b.add_text_field(PATH, STORED);
        let source = b.add_text_field(SOURCE, raw.clone() | FAST);
        let hash = b.add_u64_field(HASH, FAST);
        let copy = b.add_u64_field(COPY, indexed_u64.clone() | FAST);
        let title_key = b.add_u64_field(TITLE_KEY, indexed_u64.clone());
        let line = b.add_u64_field(LINE, stored_u64);
        let words = b.add_u64_field(WORDS, FAST);
        let title = b.add_text_field(TITLE, STORED);
        let symbol = b.add_text_field(SYMBOL, analyzed(analysis::SYMBOL, positions).set_stored());
        let date = b.add_text_field(DATE, STORED);
        let year = b.add_i64_field(YEAR, indexed_u64 | STORED | FAST);
        let doc_type = b.add_text_field(DOC_TYPE, raw.clone() | STORED);
        let body_fr = b.add_text_field(BODY_FR, analyzed(analysis::FR, positions));
        let body_en = b.add_text_field(BODY_EN, analyzed(analysis::EN, positions));
        let body_other = b.add_text_field(BODY_OTHER, analyzed(analysis::PLAIN, positions));
        let forms = b.add_text_field(FORMS, analyzed(analysis::FORMS, freqs));
        Fields {
            schema: b.build(),
            key,
            id,
            lang,
            passage,
            passages,
            start,
            end,
            text,
            path,
            source,
            hash,
            copy,
            title_key,
            line,
            words,
            title,
            symbol,
            date,
            year,
            doc_type,
            body_fr,
            body_en,
            body_other,
            forms,
        }
    }

    /// The stemmed body field of a language.
    pub fn body(&self, lang: &Lang) -> Field {
        match lang {
            Lang::Fr => self.body_fr,
            Lang::En => self.body_en,
            Lang::Other(_) => self.body_other,
        }
    }
}

/// What separates the id from the language in a document's key (U+001F, the unit
/// separator, which no id or language code in text holds in practice).
pub const KEY_SEPARATOR: char = '\u{1f}';

/// The id and language code of a key, split at its last separator: the inverse of
/// [`doc_key`] (a language code never holds the separator, an id might).
pub fn split_key(key: &str) -> Option<(&str, &str)> {
    key.rsplit_once(KEY_SEPARATOR)
}

/// The key of a document: its id and its language.
pub fn doc_key(id: &str, lang: &Lang) -> String {
    format!("{id}{KEY_SEPARATOR}{}", lang.code())
}

/// The name of the stemmed body field of a language: [`BODY_FR`], [`BODY_EN`] or
/// [`BODY_OTHER`].
pub fn body_field_name(lang: &Lang) -> &'static str {
    match lang {
        Lang::Fr => BODY_FR,
        Lang::En => BODY_EN,
        Lang::Other(_) => BODY_OTHER,
    }
}
