//! Snowball stemming with rust-stemmers: `contingents` → `contingent`, `fournisseurs` →
//! `fournisseur`, `resolutions` → `resolut`.
//!
//! tantivy 0.27's own `Stemmer` uses another library (frostem) whose stems differ, so
//! quorum stems here. `rust_stemmers::Stemmer` is not `Clone` while tantivy's
//! tokenizers must be, so the filter keeps the `Algorithm` and makes a stemmer per
//! stream. Words with digits or slashes (numbers, symbols) are left alone.
//!
//! ```
//! use quorum::analysis::{analyze, FR};
//! let stems: Vec<String> = analyze(FR, "contingent contingents").into_iter().map(|t| t.text).collect();
//! assert_eq!(stems, ["contingent", "contingent"]);
//! ```

use rust_stemmers::{Algorithm, Stemmer};
use tantivy::tokenizer::Token;

use super::filter::Rewrite;

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
        let stem = stemmer.stem(&token.text);
        if stem != token.text && !stem.is_empty() {
            token.text = stem.into_owned();
        }
    }
}
