//! quorum: a search engine for United Nations Security Council texts in French and
//! English, on tantivy.
//!
//! The pipeline, one module a step:
//!
//! 1. [`ingest`] finds `.txt`, `.md` and `.jsonl` files and turns them into documents
//!    with a language and passages (byte ranges of the original text).
//! 2. [`analysis`] turns text into terms: quorum's tokenizer, then filters for NFC,
//!    elision, ligatures, stop words, accent folding and Snowball stemming.
//! 3. [`index`] writes one tantivy document per passage, incrementally by content hash,
//!    into generations that a rebuild swaps atomically.
//! 4. [`search`] parses quorum's query language, runs it in every language the query may
//!    be in, ranks passages (BM25 plus exact-form and phrase boosts) and cuts snippets.
//! 5. [`cli`] is the `quorum` command on top, and [`serve`] the HTTP API and search
//!    page beside it.
//!
//! [`lexicon`] sits beside [`analysis`]: the French-English table of analyzed terms,
//! learned from aligned text, that cross-language search (`--cross`) translates with.
//!
//! ```
//! use quorum::index::{build, store::Store};
//! use quorum::search::{Engine, Request};
//! let dir = tempfile::tempdir()?;
//! std::fs::write(dir.path().join("s.txt"), "L’Organisation œuvre au maintien de la paix.")?;
//! let store = Store::new(dir.path().join("index"));
//! build::run(&store, &build::Options::new(vec![dir.path().join("s.txt")]), &mut build::Silent)?;
//! let hits = Engine::open(&store)?.search(&Request::new("organisation oeuvre"))?.hits;
//! assert_eq!(hits[0].snippet, "L’<b>Organisation œuvre</b> au maintien de la paix.");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod analysis;
pub mod cli;
pub mod eval;
pub mod index;
pub mod ingest;
pub mod lang;
pub mod lexicon;
pub mod search;
pub mod serve;

pub use lang::Lang;
