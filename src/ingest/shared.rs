//! Where the shared corpus is, for the tests and benchmarks that read it (not an API).
//!
//! The unit tests, the integration tests and the benchmarks are three crates, so the rule
//! lives here, once, for all of them; each says in its own words that it is skipped when
//! the corpus is not found.

use std::path::{Path, PathBuf};

/// The shared corpus folder: `$QUORUM_SHARED/corpus` when that variable is set, else
/// `../shared/corpus` beside the crate root; `Some` only for a folder that holds its
/// `SOURCES.md`.
#[doc(hidden)]
pub fn corpus_dir() -> Option<PathBuf> {
    let shared = match std::env::var_os("QUORUM_SHARED") {
        Some(shared) => PathBuf::from(shared),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"),
    };
    let corpus = shared.join("corpus");
    corpus.join("SOURCES.md").is_file().then_some(corpus)
}
