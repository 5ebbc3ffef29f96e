//! A document by id, as `quorum show --json` prints it and `GET /api/doc` serves it:
//! one shape, an object with a `documents` list, whether one language matches or two
//! (the French and English twins of a document share an id).
//!
//! ```
//! use quorum::index::{build, store::Store};
//! use quorum::search::{show::documents, Engine, Request};
//! let dir = tempfile::tempdir()?;
//! std::fs::write(dir.path().join("a.txt"), "Le Conseil de sécurité.\n\nLa paix.")?;
//! let store = Store::new(dir.path().join("index"));
//! build::run(&store, &build::Options::new(vec![dir.path().join("a.txt")]), &mut build::Silent)?;
//! let engine = Engine::open(&store)?;
//! let id = engine.search(&Request::new("paix"))?.hits.remove(0).id;
//! let generation = engine.generation();
//! let lexicon = quorum::lexicon::Lexicon::empty();
//! let shown = documents(generation, &id, None, &lexicon)?;
//! assert_eq!(shown.documents.len(), 1);
//! assert_eq!(shown.documents[0].passages[1].text, "La paix.");
//! assert_eq!(shown.documents[0].passages[1].twin, None); // no English document of that id
//! assert!(documents(generation, "nothing", None, &lexicon)?.documents.is_empty());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use serde::{Deserialize, Serialize};

use super::twin;
use crate::index::store::Generation;
use crate::lexicon::Lexicon;
use crate::Lang;

/// The documents that share an id.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Documents {
    /// One per language, in key order; empty when no document has the id.
    pub documents: Vec<Document>,
}

/// One document: its metadata and its passages in order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// The document id.
    pub id: String,
    /// The document's language.
    pub lang: String,
    /// Metadata; null when absent.
    pub symbol: Option<String>,
    /// Metadata; null when absent.
    pub title: Option<String>,
    /// Metadata, as given; null when absent.
    pub date: Option<String>,
    /// Metadata; null when absent.
    pub year: Option<i64>,
    /// Metadata; null when absent.
    pub doc_type: Option<String>,
    /// The source file.
    pub path: Option<String>,
    /// Its passages, numbered from 1 as search numbers them.
    pub passages: Vec<Passage>,
}

/// One passage of a [`Document`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Passage {
    /// Its number, from 1.
    pub passage: u64,
    /// The passage's language, which may differ from its document's.
    pub lang: String,
    /// Byte offsets of the passage in its document's text.
    pub start: Option<u64>,
    /// End of that range.
    pub end: Option<u64>,
    /// The passage's slice of the source text, unchanged.
    pub text: String,
    /// The aligned passage of the document with the same id in the other language,
    /// when there is one ([`twin::align`] says how it is chosen).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub twin: Option<Twin>,
}

/// The twin of a passage: its language, its number and its text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Twin {
    /// The twin document's language.
    pub lang: String,
    /// The twin passage's number, from 1.
    pub passage: u64,
    /// The twin passage's text.
    pub text: String,
}

/// The documents with this id (of `lang` only, when given), each with its passages and
/// their twins in the other language's document, aligned with `lexicon`.
pub fn documents(
    generation: &Generation,
    id: &str,
    lang: Option<&Lang>,
    lexicon: &Lexicon,
) -> crate::index::Result<Documents> {
    let mut shown: Vec<Document> = Vec::new();
    for p in generation.passages_of(id, None)? {
        let lang = p.doc_lang().to_string();
        if shown.last().is_none_or(|s| s.lang != lang) {
            shown.push(Document {
                id: id.to_string(),
                lang,
                symbol: p.symbol,
                title: p.title,
                date: p.date,
                year: p.year,
                doc_type: p.doc_type,
                path: p.path,
                passages: Vec::new(),
            });
        }
        if let Some(current) = shown.last_mut() {
            current.passages.push(Passage {
                passage: p.passage,
                lang: p.lang,
                start: p.start,
                end: p.end,
                text: p.text,
                twin: None,
            });
        }
    }
    let twins = |doc: &Document, other: &Document| -> Vec<Option<Twin>> {
        let from: Vec<&str> = doc.passages.iter().map(|p| p.text.as_str()).collect();
        let to: Vec<&str> = other.passages.iter().map(|p| p.text.as_str()).collect();
        let (from_lang, to_lang) = (Lang::parse(&doc.lang), Lang::parse(&other.lang));
        twin::align((&from_lang, &from), (&to_lang, &to), lexicon)
            .into_iter()
            .map(|j| {
                other.passages.get(j).map(|q| Twin {
                    lang: other.lang.clone(),
                    passage: q.passage,
                    text: q.text.clone(),
                })
            })
            .collect()
    };
    let french = shown.iter().position(|d| d.lang == "fr");
    let english = shown.iter().position(|d| d.lang == "en");
    if let (Some(f), Some(e)) = (french, english) {
        for (doc, other) in [(f, e), (e, f)] {
            let found = twins(&shown[doc], &shown[other]);
            for (passage, twin) in shown[doc].passages.iter_mut().zip(found) {
                passage.twin = twin;
            }
        }
    }
    if let Some(lang) = lang {
        shown.retain(|d| d.lang == lang.code());
    }
    Ok(Documents { documents: shown })
}
