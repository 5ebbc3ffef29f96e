//! The folded twin: after each exact form whose folded form differs, the folded form
//! too, marked with [`FOLDED_MARK`] and at the same position.
//!
//! One `forms` field then serves both ranking boosts. An exact-form query term matches
//! the exact forms only, since a folded form that differs always carries the mark;
//! a folded query term matches the unmarked form (a word that has nothing to fold)
//! and the marked one. Most words have nothing to fold, so the field holds about one
//! term per word rather than the two a separate folded field would.
//!
//! ```
//! use quorum::analysis::{analyze, FORMS};
//! let terms: Vec<String> = analyze(FORMS, "Les opérations").into_iter().map(|t| t.text).collect();
//! assert_eq!(terms, ["les", "opérations", "≈operations"]);
//! ```

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

use super::filter::Rewrite;
use super::fold::FoldAccents;

/// Starts the folded twin of a form that folding changes. No token the tokenizer
/// makes contains it: it is a symbol, which ends a word.
pub const FOLDED_MARK: char = '≈';

/// The folded twin term of `folded` (a folded form).
pub fn twin(folded: &str) -> String {
    let mut term = String::with_capacity(folded.len() + FOLDED_MARK.len_utf8());
    term.push(FOLDED_MARK);
    term.push_str(folded);
    term
}

/// Adds the marked folded twin after every token that folding changes.
#[derive(Clone, Copy, Debug, Default)]
pub struct FoldedTwin;

impl TokenFilter for FoldedTwin {
    type Tokenizer<T: Tokenizer> = TwinTokenizer<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> TwinTokenizer<T> {
        TwinTokenizer(tokenizer)
    }
}

/// The tokenizer [`FoldedTwin`] wraps around.
#[derive(Clone)]
pub struct TwinTokenizer<T>(T);

impl<T: Tokenizer> Tokenizer for TwinTokenizer<T> {
    type TokenStream<'a> = TwinStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        TwinStream {
            source: text,
            tail: self.0.token_stream(text),
            twin: Token::default(),
            on_twin: false,
            pending: false,
        }
    }
}

/// The stream of a [`FoldedTwin`].
pub struct TwinStream<'a, S> {
    source: &'a str,
    tail: S,
    twin: Token,
    /// The current token is the twin.
    on_twin: bool,
    /// The twin of the current token comes next.
    pending: bool,
}

impl<S: TokenStream> TokenStream for TwinStream<'_, S> {
    fn advance(&mut self) -> bool {
        if self.pending {
            self.pending = false;
            self.on_twin = true;
            return true;
        }
        self.on_twin = false;
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token();
        if token.text.is_ascii() {
            return true;
        }
        self.twin.clone_from(token);
        FoldAccents.rewrite(&mut (), &mut self.twin, self.source);
        if self.twin.text != token.text {
            self.twin.text = twin(&self.twin.text);
            self.pending = true;
        }
        true
    }

    fn token(&self) -> &Token {
        if self.on_twin {
            &self.twin
        } else {
            self.tail.token()
        }
    }

    fn token_mut(&mut self) -> &mut Token {
        if self.on_twin {
            &mut self.twin
        } else {
            self.tail.token_mut()
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::{analyze, FORMS};

    fn forms(text: &str) -> Vec<(String, usize, usize, usize)> {
        analyze(FORMS, text)
            .into_iter()
            .map(|t| (t.text, t.position, t.offset_from, t.offset_to))
            .collect()
    }

    #[test]
    fn twins_follow_forms_that_fold_at_the_same_position_and_offsets() {
        let tokens = forms("Sécurité et paix");
        assert_eq!(
            tokens,
            [
                ("sécurité".to_string(), 0, 0, 10),
                ("≈securite".to_string(), 0, 0, 10),
                ("et".to_string(), 1, 11, 13),
                ("paix".to_string(), 2, 14, 18),
            ]
        );
    }

    #[test]
    fn ligatures_and_elisions_need_no_twin() {
        // The exact chain already writes œ as oe and drops the article.
        let tokens: Vec<String> = forms("l’œuvre").into_iter().map(|t| t.0).collect();
        assert_eq!(tokens, ["oeuvre"]);
    }

    #[test]
    fn decomposed_accents_twin_like_composed_ones() {
        let composed = forms("opérations");
        let decomposed = forms("ope\u{301}rations");
        assert_eq!(composed[1].0, "≈operations");
        assert_eq!(decomposed[1].0, "≈operations");
        assert_eq!(decomposed[1].3, "ope\u{301}rations".len());
    }
}
