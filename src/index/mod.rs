//! The index: schema, the stored passage, building and updating, the default index,
//! opening, statistics.
//!
//! [`build::run`] turns files into passages in a tantivy index, incrementally: a
//! document whose content hash has not changed costs nothing. [`store::Store`] keeps
//! generations on disk so that a full rebuild replaces the old index atomically.
//!
//! ```
//! use quorum::index::{build, store::Store};
//! let dir = tempfile::tempdir()?;
//! std::fs::write(dir.path().join("note.txt"), "Les pays fournisseurs de contingents.")?;
//! let store = Store::new(dir.path().join("index"));
//! let options = build::Options::new(vec![dir.path().join("note.txt")]);
//! let summary = build::run(&store, &options, &mut build::Silent)?;
//! assert_eq!((summary.added, summary.passages), (1, 1));
//! let again = build::run(&store, &options, &mut build::Silent)?;
//! assert_eq!((again.added, again.unchanged), (0, 1));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod build;
pub mod default;
pub(crate) mod guard;
pub mod passage;
pub mod schema;
pub mod stats;
pub mod store;

use std::path::PathBuf;

/// What can go wrong with an index.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// There is no index in this directory yet.
    #[error("no index in {0} (build one with `quorum index`)")]
    NoIndex(PathBuf),
    /// Another process holds the writers' lock.
    #[error("index {0} is being updated by another process")]
    Busy(PathBuf),
    /// The index on disk cannot be read.
    #[error("index {dir} is damaged ({detail}); rebuild it with `quorum index --rebuild`")]
    Corrupt {
        /// The generation directory.
        dir: PathBuf,
        /// What failed.
        detail: String,
    },
    /// A file of the index could not be read or written. The OS error is the source,
    /// not part of the message, so that a chain prints it once.
    #[error("{path}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// The index path is a file.
    #[error("{0} is a file, not an index folder")]
    NotAFolder(PathBuf),
    /// The index path is a folder that holds something other than a quorum index:
    /// quorum writes nothing there, so that it never removes what it did not make.
    #[error(
        "{dir} is not a quorum index and is not empty (it holds {}): choose an empty or new folder for the index",
        list_names(holds)
    )]
    NotAnIndex {
        /// The folder.
        dir: PathBuf,
        /// What is in it (folders end in `/`), a `README*` and dotfiles aside.
        holds: Vec<String>,
    },
    /// The index was made by a quorum whose folder layout this one does not know.
    #[error("index {dir} has format {format}, made by quorum {quorum}; this quorum knows format {}: use that version or a new folder", store::FORMAT)]
    NewerFormat {
        /// The index directory.
        dir: PathBuf,
        /// Its format.
        format: u32,
        /// The quorum version that wrote it.
        quorum: String,
    },
    /// Ingestion could not start (a root that does not exist).
    #[error(transparent)]
    Ingest(#[from] crate::ingest::IngestError),
    /// The index was built by another analysis or schema version: its terms would not
    /// match the queries'.
    #[error("index {dir} {built}; rebuild it with `quorum index --rebuild`")]
    Outdated {
        /// The index directory.
        dir: PathBuf,
        /// The versions it was built with.
        built: Versions,
    },
    /// The index was built by another analysis or schema version, and this run cannot
    /// rebuild it alone: its paths do not cover every document indexed.
    #[error(
        "the index {built}; rebuild it with `quorum index --rebuild` and every path it should hold"
    )]
    OutdatedPaths {
        /// The versions it was built with.
        built: Versions,
    },
    /// tantivy failed.
    #[error(transparent)]
    Tantivy(#[from] tantivy::TantivyError),
}

/// The analysis and schema versions an index was built with, shown beside this
/// binary's: `was built by analysis version 1 / schema 2, this is analysis 3 / schema 3`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Versions {
    /// [`crate::analysis::ANALYSIS_VERSION`] of the build.
    pub analysis: u32,
    /// [`schema::SCHEMA_VERSION`] of the build.
    pub schema: u32,
}

impl std::fmt::Display for Versions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "was built by analysis version {} / schema {}, this is analysis {} / schema {}",
            self.analysis,
            self.schema,
            crate::analysis::ANALYSIS_VERSION,
            schema::SCHEMA_VERSION
        )
    }
}

/// Names for a message: the first few, then how many more.
fn list_names(names: &[String]) -> String {
    const SHOWN: usize = 8;
    let mut out = names
        .iter()
        .take(SHOWN)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > SHOWN {
        out.push_str(&format!(" and {} more", names.len() - SHOWN));
    }
    out
}

impl Error {
    pub(crate) fn io(path: PathBuf, source: std::io::Error) -> Error {
        Error::Io { path, source }
    }
}

/// Results of index operations.
pub type Result<T> = std::result::Result<T, Error>;
