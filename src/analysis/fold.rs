//! Folds accents away, a lossy step: `sécurité` → `securite`, so that a query typed
//! without accents finds the accented text.
//!
//! The exact form survives in the `forms` field, which ranks exact-accent matches first.
//! Folding comes after stop words (the French list has `même`). The English chain folds
//! before stemming; the French stem filter folds itself, after Snowball has seen the
//! accents its rules need (see [`Stem`](super::Stem)).
//!
//! ```
//! use quorum::analysis::{analyze, FOLDED};
//! assert_eq!(analyze(FOLDED, "Opérations")[0].text, "operations");
//! ```

use std::borrow::Cow;

use tantivy::tokenizer::Token;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use super::filter::Rewrite;

/// Removes combining marks after canonical decomposition, and maps the few letters
/// that do not decompose (`ø`, `ß`, `ł`, `đ`, ...).
#[derive(Clone, Copy, Debug, Default)]
pub struct FoldAccents;

impl Rewrite for FoldAccents {
    type State = ();

    fn start(&self) {}

    fn rewrite(&self, _: &mut (), token: &mut Token, _: &str) {
        if let Cow::Owned(folded) = fold(&token.text) {
            token.text = folded;
        }
    }
}

/// `text` without its accents, borrowed when it has none to fold (ASCII text never has).
pub fn fold(text: &str) -> Cow<'_, str> {
    if text.is_ascii() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        match c {
            'ø' => out.push('o'),
            'Ø' => out.push('O'),
            'ß' => out.push_str("ss"),
            'ł' => out.push('l'),
            'Ł' => out.push('L'),
            'đ' | 'ð' => out.push('d'),
            'Đ' | 'Ð' => out.push('D'),
            'ı' => out.push('i'),
            'þ' => out.push_str("th"),
            c => out.push(c),
        }
    }
    // A word of nothing but marks keeps its marks rather than becoming empty.
    if out.is_empty() || out == text {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(out)
    }
}
