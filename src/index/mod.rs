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
pub mod directory;
pub mod fault;
pub(crate) mod guard;
pub mod interrupt;
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
    /// This process may not write the index folder (a read-only folder or file system,
    /// or another user's index): `quorum index` refuses before it changes anything.
    #[error(
        "index {dir} is read-only for this process: `quorum index` cannot write {path} \
         (searching and serving it still work)"
    )]
    ReadOnly {
        /// The index directory.
        dir: PathBuf,
        /// The file that could not be opened for writing.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// A write failed part-way through a run; most often the disk is full. The OS
    /// error's words are part of the message, before what the index kept and what to
    /// do, which should be the last thing read.
    #[error("{}could not write {path} ({detail}); {kept}; {}", write_prefix(.kind), write_advice(.kind, .kept))]
    Write {
        /// The file.
        path: PathBuf,
        /// The OS error's kind.
        kind: std::io::ErrorKind,
        /// The OS error's words.
        detail: String,
        /// What the index kept.
        kept: Kept,
    },
    /// The run was stopped by SIGINT or SIGTERM, at a document boundary or once the
    /// commit under way was done.
    #[error("stopped by {signal}: {kept}; {}", .kept.again())]
    Interrupted {
        /// The signal.
        signal: interrupt::Signal,
        /// What the index kept.
        kept: Kept,
    },
}

/// What an index holds after a run that stopped part-way ([`Error::Write`],
/// [`Error::Interrupted`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kept {
    /// Not worked out (yet): [`build::run`] fills it in once it has cleaned up.
    Unknown,
    /// A first build that had committed nothing: what it made was removed.
    Nothing {
        /// The index directory.
        dir: PathBuf,
    },
    /// The index keeps its last commit, which searches answer from.
    LastCommit {
        /// The index directory.
        dir: PathBuf,
        /// Documents in it.
        documents: u64,
    },
    /// A rebuild's unfinished generation was removed; the live one is as it was.
    OldGeneration {
        /// The index directory.
        dir: PathBuf,
        /// Documents in it.
        documents: u64,
    },
    /// The run had made its last commit: the index is complete.
    Complete {
        /// The index directory.
        dir: PathBuf,
        /// Documents in it.
        documents: u64,
    },
}

impl Kept {
    /// What to do next.
    pub fn again(&self) -> &'static str {
        match self {
            Kept::Unknown => "run the same command again",
            Kept::Nothing { .. } => "run the same command again to build it",
            Kept::LastCommit { .. } => "run the same command again to finish",
            Kept::OldGeneration { .. } => "run the same command again to rebuild",
            Kept::Complete { .. } => "nothing is left to do",
        }
    }
}

impl std::fmt::Display for Kept {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Kept::Unknown => write!(f, "what the index kept is not known"),
            Kept::Nothing { dir } => write!(
                f,
                "nothing was kept: the first build of {} had committed nothing, and what it \
                 made was removed",
                dir.display()
            ),
            Kept::LastCommit { dir, documents } => write!(
                f,
                "the index in {} keeps its last commit ({documents} documents)",
                dir.display()
            ),
            Kept::OldGeneration { dir, documents } => write!(
                f,
                "the rebuild's unfinished generation was removed, and the index in {} is as it \
                 was ({documents} documents)",
                dir.display()
            ),
            Kept::Complete { dir, documents } => write!(
                f,
                "the run had made its last commit, so the index in {} is complete \
                 ({documents} documents)",
                dir.display()
            ),
        }
    }
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

/// How [`Error::Write`] begins: a full disk is said first.
fn write_prefix(kind: &std::io::ErrorKind) -> &'static str {
    if fault::is_disk_full(*kind) {
        "the disk is full: "
    } else {
        ""
    }
}

/// How [`Error::Write`] ends: what to do.
fn write_advice(kind: &std::io::ErrorKind, kept: &Kept) -> String {
    if fault::is_disk_full(*kind) {
        format!("free some space, then {}", kept.again())
    } else {
        kept.again().to_string()
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

    /// Fills in what the index kept, where it is not known yet.
    pub(crate) fn with_kept(self, kept: impl FnOnce() -> Kept) -> Error {
        match self {
            Error::Write {
                path,
                kind,
                detail,
                kept: Kept::Unknown,
            } => Error::Write {
                path,
                kind,
                detail,
                kept: kept(),
            },
            Error::Interrupted {
                signal,
                kept: Kept::Unknown,
            } => Error::Interrupted {
                signal,
                kept: kept(),
            },
            other => other,
        }
    }

    /// The same error, as [`Error::Write`] when it is a failed write: one that
    /// `failure` recorded in tantivy's files (which tantivy's own error may not name),
    /// or one of quorum's own files on a full disk.
    pub(crate) fn into_write(self, failure: Option<directory::WriteFailure>) -> Error {
        if matches!(self, Error::Interrupted { .. } | Error::Write { .. }) {
            return self;
        }
        if let Some(failure) = failure {
            return Error::Write {
                path: failure.path,
                kind: failure.kind,
                detail: failure.message,
                kept: Kept::Unknown,
            };
        }
        match self {
            Error::Io { path, source } if fault::is_disk_full(source.kind()) => Error::Write {
                path,
                kind: source.kind(),
                detail: source.to_string(),
                kept: Kept::Unknown,
            },
            other => other,
        }
    }
}

/// Results of index operations.
pub type Result<T> = std::result::Result<T, Error>;
