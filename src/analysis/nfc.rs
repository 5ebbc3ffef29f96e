//! NFC, the first lossless step: `e` + U+0301 becomes `é`, so that decomposed and
//! precomposed accents index as the same term.
//!
//! It runs per token, never over a whole passage: composing the whole text first
//! would shift every offset after the first decomposed accent.
//!
//! ```
//! use quorum::analysis::{analyze, EXACT};
//! let tokens = analyze(EXACT, "accompagne\u{301}");
//! assert_eq!(tokens[0].text, "accompagné");
//! assert_eq!((tokens[0].offset_from, tokens[0].offset_to), (0, 12));
//! ```

use tantivy::tokenizer::Token;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

use super::filter::Rewrite;

/// Composes each token's text to NFC.
#[derive(Clone, Copy, Debug, Default)]
pub struct Nfc;

impl Rewrite for Nfc {
    type State = ();

    fn start(&self) {}

    fn rewrite(&self, _: &mut (), token: &mut Token, _: &str) {
        // ASCII and most accented text is already NFC: only compose when needed.
        if token.text.is_ascii() || is_nfc_quick(token.text.chars()) == IsNormalized::Yes {
            return;
        }
        token.text = token.text.nfc().collect();
    }
}
