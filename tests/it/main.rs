//! quorum's integration tests: one binary, a module per subject.
//!
//! Tests that need the real UN corpus read it from `$QUORUM_SHARED/corpus` (default:
//! `../shared` beside the repository) and print a clear "skipped" line when it is absent.

mod abuse;
mod analysis;
mod browser;
mod cli;
mod damage;
mod eval;
mod export;
mod faults;
mod fixtures;
mod formats;
mod ingest;
mod lexicon;
mod props;
mod rebuild;
mod search;
mod serve;
mod server;
mod util;
mod vocabulary;
