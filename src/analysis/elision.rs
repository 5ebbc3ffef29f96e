//! French elision: `l’Organisation` → `organisation`, with any apostrophe.
//!
//! The article and its apostrophe leave the token, and `offset_from` moves past them
//! in the original text: `’` is 3 bytes and `'` is 1, so the new start is found in the
//! source, after the apostrophe that the token's range holds.
//!
//! ```
//! use quorum::analysis::{analyze, EXACT};
//! let tokens = analyze(EXACT, "l’Organisation");
//! assert_eq!(tokens[0].text, "organisation");
//! assert_eq!((tokens[0].offset_from, tokens[0].offset_to), (4, 16));
//! ```

use tantivy::tokenizer::{Token, TokenFilter, Tokenizer};

use super::filter::Rewrite;
use super::tokenizer::is_apostrophe;
use crate::Lang;

/// The elided forms of French, in lower case.
pub const FRENCH_ARTICLES: &[&str] = &[
    "l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu",
];

/// Strips a leading elided article. Runs after lowercasing.
#[derive(Clone, Copy, Debug)]
pub struct Elision {
    articles: &'static [&'static str],
}

impl Elision {
    /// The French articles.
    pub const FRENCH: Elision = Elision {
        articles: FRENCH_ARTICLES,
    };

    /// The elision of a language: none but in French. English `d'` and `l'` occur only
    /// in names, and the stemmed English field keeps them as written.
    pub fn for_lang(lang: &Lang) -> Elision {
        match lang {
            Lang::Fr => Elision::FRENCH,
            Lang::En | Lang::Other(_) => Elision { articles: &[] },
        }
    }
}

/// No elision step at all, for the chains that never had one ([`PLAIN`](super::PLAIN) and
/// [`SYMBOL`](super::SYMBOL)): it hands the tokenizer back as it is, so these chains share
/// the lossless builder without gaining a step, where an `Elision` with no articles would
/// still look at every token.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct NoElision;

impl TokenFilter for NoElision {
    type Tokenizer<T: Tokenizer> = T;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> T {
        tokenizer
    }
}

impl Rewrite for Elision {
    type State = ();

    fn start(&self) {}

    fn rewrite(&self, _: &mut (), token: &mut Token, source: &str) {
        let Some((at, apostrophe)) = token.text.char_indices().find(|&(_, c)| is_apostrophe(c))
        else {
            return;
        };
        if !self.articles.contains(&&token.text[..at]) {
            return;
        }
        let cut = at + apostrophe.len_utf8();
        if cut >= token.text.len() {
            return;
        }
        // The token's text may not be a verbatim slice (a word rejoined across a
        // line-end hyphen: `lors-\nqu’il`), so the new start is found in the source:
        // just after the first apostrophe of the token's range.
        let Some(range) = source.get(token.offset_from..token.offset_to) else {
            return;
        };
        let Some((in_source, original)) = range.char_indices().find(|&(_, c)| is_apostrophe(c))
        else {
            return;
        };
        token.offset_from += in_source + original.len_utf8();
        token.text.drain(..cut);
    }
}
