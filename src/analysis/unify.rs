//! Unifies the marks that have several spellings, a lossless step: every apostrophe
//! (`’`, `ʼ`, `‘`) becomes `'`, every hyphen (U+2010, U+2011) becomes `-`, and soft
//! hyphens (U+00AD) go.
//!
//! It runs after elision, which must see the original apostrophe to move
//! `offset_from` by its byte length.
//!
//! ```
//! use quorum::analysis::{analyze, EXACT};
//! assert_eq!(analyze(EXACT, "aujourd’hui")[0].text, "aujourd'hui");
//! ```

use tantivy::tokenizer::Token;

use super::filter::Rewrite;
use super::tokenizer::{is_apostrophe, is_hyphen};

/// Rewrites apostrophes and hyphens to their ASCII form.
#[derive(Clone, Copy, Debug, Default)]
pub struct UnifyMarks;

impl Rewrite for UnifyMarks {
    type State = ();

    fn start(&self) {}

    fn rewrite(&self, _: &mut (), token: &mut Token, _: &str) {
        if token.text.is_ascii() {
            return;
        }
        token.text = token
            .text
            .chars()
            .filter(|&c| c != '\u{00AD}')
            .map(|c| match c {
                c if is_apostrophe(c) => '\'',
                c if is_hyphen(c) => '-',
                c => c,
            })
            .collect();
    }
}
