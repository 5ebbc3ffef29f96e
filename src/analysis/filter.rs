//! The shape every quorum token filter shares: it rewrites `token.text` in place and
//! leaves offsets alone, except for elision, which moves `offset_from` past the article.
//!
//! Each filter implements [`Rewrite`]; [`RewriteFilter`] turns it into a tantivy
//! `TokenFilter`, so the stream plumbing is written once.

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// One token-rewriting step. `State` is per stream: the stemmer, which is not `Clone`,
/// lives there.
pub trait Rewrite: Clone + Send + Sync + 'static {
    /// What one stream needs besides the token.
    type State;
    /// Makes the state of a new stream.
    fn start(&self) -> Self::State;
    /// Rewrites one token. `source` is the text being analyzed, which the token's
    /// offsets point into.
    fn rewrite(&self, state: &mut Self::State, token: &mut Token, source: &str);
}

/// A [`Rewrite`] used as a tantivy `TokenFilter`.
#[derive(Clone, Debug)]
pub struct RewriteFilter<R>(pub R);

impl<R: Rewrite> TokenFilter for RewriteFilter<R> {
    type Tokenizer<T: Tokenizer> = RewriteTokenizer<R, T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> RewriteTokenizer<R, T> {
        RewriteTokenizer {
            rewrite: self.0,
            inner: tokenizer,
        }
    }
}

/// The tokenizer a [`RewriteFilter`] wraps around.
#[derive(Clone)]
pub struct RewriteTokenizer<R, T> {
    rewrite: R,
    inner: T,
}

impl<R: Rewrite, T: Tokenizer> Tokenizer for RewriteTokenizer<R, T> {
    type TokenStream<'a> = RewriteStream<'a, R, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        RewriteStream {
            state: self.rewrite.start(),
            rewrite: &self.rewrite,
            source: text,
            tail: self.inner.token_stream(text),
        }
    }
}

/// The stream of a [`RewriteFilter`].
pub struct RewriteStream<'a, R: Rewrite, S> {
    rewrite: &'a R,
    state: R::State,
    source: &'a str,
    tail: S,
}

impl<R: Rewrite, S: TokenStream> TokenStream for RewriteStream<'_, R, S> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        self.rewrite
            .rewrite(&mut self.state, self.tail.token_mut(), self.source);
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}
