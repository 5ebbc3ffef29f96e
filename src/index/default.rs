//! The default index: make sure it exists before the first search, building it from
//! the corpus when it is missing or was built by another version of quorum. The CLI
//! calls [`ensure_built`] before it opens a search engine, and a server can do the
//! same; an index the user named is never built behind their back, so callers only
//! call this for the default one.
//!
//! ```
//! use quorum::index::{build, default, store::Store};
//! let dir = tempfile::tempdir()?;
//! let corpus = dir.path().join("corpus");
//! std::fs::create_dir(&corpus)?;
//! std::fs::write(corpus.join("note.txt"), "Les pays fournisseurs de contingents.")?;
//! let store = Store::new(dir.path().join("index"));
//! let mut said = Vec::new();
//! let built = default::ensure_built(&store, &corpus, &mut |b| said.push(b.to_string()), &mut build::Silent)?;
//! assert_eq!(built.map(|s| s.documents), Some(1));
//! let first = format!("no index in {}/ yet: building it from {}/ (first run)", store.root().display(), corpus.display());
//! assert_eq!(said, [first]);
//! // Once built, there is nothing to do.
//! assert!(default::ensure_built(&store, &corpus, &mut |_| {}, &mut build::Silent)?.is_none());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;
use std::path::Path;

use super::build::{self, Reporter, Summary};
use super::store::Store;
use super::{Error, Result};

/// Why the default index is being built.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reason {
    /// There is no index yet: the first run.
    Missing,
    /// Another version of quorum built it ([`Error::Outdated`]).
    Outdated,
}

/// A build about to start, told to the user before it does: its `Display` is the
/// message the CLI prints.
#[derive(Clone, Copy, Debug)]
pub struct Building<'a> {
    /// Why.
    pub reason: Reason,
    /// The index directory.
    pub index: &'a Path,
    /// The corpus it is built from.
    pub corpus: &'a Path,
}

impl fmt::Display for Building<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (index, corpus) = (self.index.display(), self.corpus.display());
        match self.reason {
            Reason::Outdated => write!(
                f,
                "{index}/ was built by another version of quorum: rebuilding it from {corpus}/"
            ),
            Reason::Missing => write!(
                f,
                "no index in {index}/ yet: building it from {corpus}/ (first run)"
            ),
        }
    }
}

/// Builds the index of `store` from `corpus` when it is missing or outdated, after
/// telling `announce` why, and returns what the build did; returns `None` when the
/// index is there to search. Any other failure to open it is not this function's to
/// report: it returns `None`, and the open that follows reports the error as it
/// would have without it.
pub fn ensure_built(
    store: &Store,
    corpus: &Path,
    announce: &mut dyn FnMut(&Building),
    reporter: &mut dyn Reporter,
) -> Result<Option<Summary>> {
    // The live generation's metadata is enough to tell that the index is current,
    // which is the usual case, without opening it twice; otherwise opening it tells
    // a missing or outdated index from one that fails in another way.
    if let Ok(Some(meta)) = store.current_meta() {
        if meta.is_current() {
            return Ok(None);
        }
    }
    let reason = match store.open_current() {
        Err(Error::NoIndex(_)) => Reason::Missing,
        Err(Error::Outdated { .. }) => Reason::Outdated,
        Ok(_) | Err(_) => return Ok(None),
    };
    announce(&Building {
        reason,
        index: store.root(),
        corpus,
    });
    let options = build::Options::new(vec![corpus.to_path_buf()]);
    build::run(store, &options, reporter).map(Some)
}
