//! Measuring the ranking against written information needs: the judged set's files
//! ([`judged`]), nDCG@10 and P@10 ([`metrics`]), the systems compared ([`systems`],
//! with the plain BM25 [`baseline`]), the pools that assessors grade ([`pool`]) and the
//! report of `quorum eval` ([`report`]).
//!
//! The judged set lives in `benches/judged/` (its README says how it was made). A need
//! is a sentence saying what a user wants; a judgment grades one passage against it, 0,
//! 1 or 2, by an assessor who saw only the need and the passage.
//!
//! ```
//! use quorum::eval::judged::{Needs, Qrels};
//! use quorum::eval::{report, systems::Fixed, PassageKey};
//! let needs = Needs::parse("n.tsv", "en-1\ten\tpeace\tThe user wants passages about peace.\n");
//! let qrels = Qrels::parse("q.tsv", "en-1\ta\ten\t1\t2\tann\t2026-12-01\nen-1\tb\ten\t1\t1\tann\t2026-12-01\n");
//! assert!(needs.problems.is_empty() && qrels.problems.is_empty());
//! // A system that returns b, then an unjudged passage, then a.
//! let key = |id: &str| PassageKey::new(id, "en", 1);
//! let mut system = Fixed::new("fixed", vec![("en-1", vec![key("b"), key("c"), key("a")])]);
//! let scored = report::evaluate(&needs.needs, &qrels, &mut system, 10, report::Repeats::Zero)?;
//! // DCG = 1/log2(2) + 0 + 2/log2(4) = 2; ideal = 2 + 1/log2(3).
//! assert!((scored.overall.ndcg - 2.0 / (2.0 + 1.0 / 3f64.log2())).abs() < 1e-9);
//! assert_eq!(scored.overall.precision, 0.2);
//! assert!((scored.overall.unjudged - 1.0 / 3.0).abs() < 1e-9);
//! # Ok::<(), quorum::eval::Error>(())
//! ```

pub mod baseline;
pub mod judged;
pub mod metrics;
pub mod pool;
pub mod report;
pub mod systems;

#[cfg(test)]
mod tests;

use std::fmt;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// What can go wrong while measuring. Bad lines in the judged set's files are not
/// errors: they are [`Problem`]s, skipped while the rest is read.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read or written.
    #[error("{path}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// A file where a pool file or key would go was not written by `quorum eval pool`:
    /// quorum writes over only what it made.
    #[error("{0} is not a pool file or key that quorum wrote: choose another folder")]
    NotAPool(PathBuf),
    /// A pool file already holds grades that writing the pool again would lose.
    #[error("{0} already holds grades: merge them, then write the new pool into another folder")]
    Graded(PathBuf),
    /// Another quorum binary (`--also`) failed or printed what is not a search response.
    #[error("{bin} on the query {query:?}: {detail}")]
    External {
        /// The binary as given.
        bin: PathBuf,
        /// The query it was given.
        query: String,
        /// What went wrong.
        detail: String,
    },
    /// The search failed.
    #[error(transparent)]
    Search(#[from] crate::search::Error),
    /// The index could not be read.
    #[error(transparent)]
    Index(#[from] crate::index::Error),
    /// tantivy failed (the baseline's throwaway index).
    #[error(transparent)]
    Tantivy(#[from] tantivy::TantivyError),
}

impl Error {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

/// A line of a judged-set file that was skipped, and why: `needs.tsv:12: no query`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The file, as given.
    pub path: String,
    /// Its 1-based line.
    pub line: usize,
    /// What is wrong with it.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {} (line skipped)",
            self.path, self.line, self.message
        )
    }
}

/// What a judgment is about: one passage of one document in one language, as
/// `quorum search --json` names it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PassageKey {
    /// The document id.
    pub id: String,
    /// The passage's language code.
    pub lang: String,
    /// The passage's number in its document, from 1.
    pub passage: u64,
}

impl PassageKey {
    /// A key.
    pub fn new(id: impl Into<String>, lang: impl Into<String>, passage: u64) -> PassageKey {
        PassageKey {
            id: id.into(),
            lang: lang.into(),
            passage,
        }
    }
}

impl fmt::Display for PassageKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} [{}] #{}", self.id, self.lang, self.passage)
    }
}

/// The depth at which quorum is judged: the first page.
pub const DEPTH: usize = 10;
