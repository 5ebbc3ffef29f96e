//! Expands the ligatures of French and Latin words: `œ` → `oe`, `æ` → `ae`, so that
//! `oeuvre` finds `œuvre` and `coeur` finds `cœur`.
//!
//! A lossy step, the first of every chain that has it (all but the symbol chain): once
//! expanded, `œuvre` and `oeuvre` are one term, even in the `forms` field, so no boost
//! can rank the spelling with the ligature first; nobody searches for the ligature as a
//! distinct letter. It stays right after the lossless steps, before stop words and
//! folding, since moving it would change the indexed terms.
//!
//! ```
//! use quorum::analysis::{analyze, EXACT};
//! assert_eq!(analyze(EXACT, "Œuvre")[0].text, "oeuvre");
//! ```

use tantivy::tokenizer::Token;

use super::filter::Rewrite;

/// Expands `œ` and `æ` in either case, so that the filter is right on its own too, where
/// no lowercasing ran before it.
#[derive(Clone, Copy, Debug, Default)]
pub struct Ligatures;

impl Rewrite for Ligatures {
    type State = ();

    fn start(&self) {}

    fn rewrite(&self, _: &mut (), token: &mut Token, _: &str) {
        if token.text.is_ascii() || !token.text.contains(['œ', 'æ', 'Œ', 'Æ']) {
            return;
        }
        let mut out = String::with_capacity(token.text.len() + 2);
        for c in token.text.chars() {
            match c {
                'œ' => out.push_str("oe"),
                'Œ' => out.push_str("OE"),
                'æ' => out.push_str("ae"),
                'Æ' => out.push_str("AE"),
                c => out.push(c),
            }
        }
        token.text = out;
    }
}
