//! Snowball stemming with rust-stemmers: `contingents` → `contingent`, `fournisseurs` →
//! `fournisseur`, `resolutions` → `resolut`, with quorum's own rules on top (see
//! [`inflection`](super::inflection)): the French stem is computed on the accented word
//! and folded afterwards, and a few French and English inflections that Snowball leaves
//! apart are joined.
//!
//! tantivy 0.27's own `Stemmer` uses another library (frostem) whose stems differ, so
//! quorum stems here. `rust_stemmers::Stemmer` is not `Clone` while tantivy's
//! tokenizers must be, so the filter keeps the `Algorithm` and makes a stemmer per
//! stream. Words with digits or slashes (numbers, symbols) are left alone. Each thread
//! keeps the stems it has computed: indexing stems the same few thousand words over
//! and over.
//!
//! ```
//! use quorum::analysis::{analyze, FR};
//! let stems: Vec<String> = analyze(FR, "contingent contingents").into_iter().map(|t| t.text).collect();
//! assert_eq!(stems, ["contingent", "contingent"]);
//! ```

use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::FxHashMap;
use tantivy::tokenizer::Token;

use super::filter::Rewrite;
use super::inflection;

/// Stems with a Snowball algorithm.
#[derive(Clone, Copy, Debug)]
pub struct Stem(pub Algorithm);

impl Rewrite for Stem {
    type State = Stemmer;

    fn start(&self) -> Stemmer {
        Stemmer::create(self.0)
    }

    fn rewrite(&self, stemmer: &mut Stemmer, token: &mut Token, _: &str) {
        if token.text.chars().any(|c| c.is_ascii_digit() || c == '/') {
            return;
        }
        let algorithm = self.0 as usize;
        STEMS.with_borrow_mut(|caches| {
            if caches.len() <= algorithm {
                caches.resize_with(algorithm + 1, FxHashMap::default);
            }
            let cache = &mut caches[algorithm];
            if let Some(stem) = cache.get(token.text.as_str()) {
                token.text.clone_from(stem);
                return;
            }
            let stem = match self.0 {
                Algorithm::French => inflection::french(stemmer, &token.text),
                Algorithm::English => inflection::english(stemmer, &token.text),
                _ => stemmer.stem(&token.text).into_owned(),
            };
            let stem = if stem.is_empty() {
                token.text.clone()
            } else {
                stem
            };
            if cache.len() >= STEM_CACHE_WORDS {
                cache.clear();
            }
            cache.insert(std::mem::replace(&mut token.text, stem.clone()), stem);
        });
    }
}

/// Words whose stems each thread remembers, per algorithm. Text repeats its words
/// (Zipf): most tokens are found here, at the cost of a hash instead of a stemming.
const STEM_CACHE_WORDS: usize = 100_000;

thread_local! {
    /// Word → stem, one map per `Algorithm` (by its discriminant).
    static STEMS: std::cell::RefCell<Vec<FxHashMap<String, String>>> =
        const { std::cell::RefCell::new(Vec::new()) };
}
