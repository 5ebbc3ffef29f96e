//! The scan that every chain starts with: [`tokenize`], then [`Nfc`] and lower case on
//! each token, done once per text and thread and read by every chain that analyzes the
//! same text.
//!
//! A passage is analyzed by two chains, its language's body chain and [`FORMS`], and
//! tantivy indexes the fields of one document one after the other on one thread, so the
//! second chain finds the text it is given among the last few this thread scanned and
//! reads their tokens again instead of cutting the text a second time. Snippets do the
//! same with the body chain and [`EXACT`]. A stream copies each token into one buffer of
//! its own, so reading a scan again allocates nothing per token.
//!
//! The result is the same as the steps run one after the other, whatever was scanned
//! before:
//!
//! ```
//! use quorum::analysis::Scan;
//! use tantivy::tokenizer::{TokenStream, Tokenizer};
//!
//! let words = |text: &str| {
//!     let mut stream = Scan.token_stream(text);
//!     let mut words = Vec::new();
//!     while let Some(token) = stream.next() {
//!         words.push((token.text.clone(), token.position, token.offset_from, token.offset_to));
//!     }
//!     words
//! };
//! let first = words("L’Œuvre de l’ONU");
//! assert_eq!(first[0], ("l’œuvre".to_string(), 0, 0, 10));
//! assert_eq!(words("L’Œuvre de l’ONU"), first);
//! ```
//!
//! [`FORMS`]: super::FORMS
//! [`EXACT`]: super::EXACT

use std::cell::RefCell;
use std::rc::Rc;

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use super::filter::Rewrite;
use super::{tokenize, Nfc};

/// Texts whose scans each thread keeps: a passage and its title, in the body chain and
/// then in `forms`.
const KEPT_SCANS: usize = 4;

/// A longer text is scanned but not kept: the copy kept to recognize it would cost more
/// memory than the second scan costs time.
const MAX_KEPT_BYTES: usize = 1 << 20;

/// A text scanned, and its tokens.
type Kept = (Box<str>, Rc<Vec<Token>>);

thread_local! {
    /// The last texts scanned on this thread, the most recent last.
    static RECENT: RefCell<Vec<Kept>> = const { RefCell::new(Vec::new()) };
}

/// The first stage of every quorum chain: words cut by quorum's tokenizer, composed to
/// NFC and lower-cased. See the module docs.
#[derive(Clone, Copy, Debug, Default)]
pub struct Scan;

impl Tokenizer for Scan {
    type TokenStream<'a> = ScanStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> ScanStream {
        ScanStream {
            tokens: scanned(text),
            next: 0,
            token: Token::default(),
        }
    }
}

/// The tokens of a scan, one at a time in a buffer of the stream's own, which the
/// filters after it rewrite.
pub struct ScanStream {
    tokens: Rc<Vec<Token>>,
    next: usize,
    token: Token,
}

impl TokenStream for ScanStream {
    fn advance(&mut self) -> bool {
        let Some(source) = self.tokens.get(self.next) else {
            return false;
        };
        self.next += 1;
        // Field by field: `Token`'s derived `clone_from` would allocate a new text.
        self.token.text.clone_from(&source.text);
        self.token.offset_from = source.offset_from;
        self.token.offset_to = source.offset_to;
        self.token.position = source.position;
        self.token.position_length = source.position_length;
        true
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

/// The scan of `text`: one this thread kept, or a new one.
fn scanned(text: &str) -> Rc<Vec<Token>> {
    let kept = RECENT.with_borrow(|recent| {
        recent
            .iter()
            .rev()
            .find(|(seen, _)| **seen == *text)
            .map(|(_, tokens)| Rc::clone(tokens))
    });
    if let Some(tokens) = kept {
        return tokens;
    }
    let tokens = Rc::new(scan(text));
    if text.len() <= MAX_KEPT_BYTES {
        RECENT.with_borrow_mut(|recent| {
            if recent.len() == KEPT_SCANS {
                recent.remove(0);
            }
            recent.push((text.into(), Rc::clone(&tokens)));
        });
    }
    tokens
}

/// Tokenizes `text`, then composes and lower-cases each token in place, as tantivy's
/// `LowerCaser` does: ASCII in place, anything else character by character (so a final
/// `Σ` becomes `σ`, as everywhere else in quorum).
fn scan(text: &str) -> Vec<Token> {
    let mut tokens = tokenize(text);
    let mut lower = String::new();
    for token in &mut tokens {
        Nfc.rewrite(&mut (), token, text);
        if token.text.is_ascii() {
            token.text.make_ascii_lowercase();
        } else {
            lower.clear();
            lower.extend(token.text.chars().flat_map(char::to_lowercase));
            std::mem::swap(&mut token.text, &mut lower);
        }
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::tokenizer::{LowerCaser, TokenFilter};

    use crate::analysis::{QuorumTokenizer, RewriteFilter};

    /// The steps as they ran before the scan: three stages of a tantivy chain.
    fn stepwise(text: &str) -> Vec<Token> {
        let mut chain = LowerCaser.transform(RewriteFilter(Nfc).transform(QuorumTokenizer));
        let mut stream = chain.token_stream(text);
        let mut tokens = Vec::new();
        while let Some(token) = stream.next() {
            tokens.push(token.clone());
        }
        tokens
    }

    fn scanned_now(text: &str) -> Vec<Token> {
        let mut stream = Scan.token_stream(text);
        let mut tokens = Vec::new();
        while let Some(token) = stream.next() {
            tokens.push(token.clone());
        }
        tokens
    }

    #[test]
    fn a_scan_equals_the_steps_and_reads_alike_again() {
        let texts = [
            "L’ORGANISATION des Nations Unies œuvre au maintien de la paix",
            "accompagne\u{301} ΟΔΟΣ peace-keeping S/PRST/2001/3 İstanbul STRASSE",
            "",
            "   ",
            "para-\ngraph self-\nsufficiency",
        ];
        for text in texts {
            let first = scanned_now(text);
            assert_eq!(first, stepwise(text), "{text:?}");
            assert_eq!(scanned_now(text), first, "{text:?} read again");
        }
        // Kept scans are told apart by their whole text, not a prefix.
        assert_ne!(scanned_now("paix"), scanned_now("paix et sécurité"));
    }

    #[test]
    fn more_texts_than_are_kept_scan_again_alike() {
        let texts: Vec<String> = (0..KEPT_SCANS * 3).map(|n| format!("Texte {n}")).collect();
        for _ in 0..2 {
            for text in &texts {
                assert_eq!(scanned_now(text), stepwise(text));
            }
        }
        RECENT.with_borrow(|recent| assert!(recent.len() <= KEPT_SCANS));
    }

    #[test]
    fn a_long_text_is_scanned_and_not_kept() {
        let text = "mot ".repeat(MAX_KEPT_BYTES / 4 + 1);
        assert_eq!(scanned_now(&text).len(), MAX_KEPT_BYTES / 4 + 1);
        RECENT.with_borrow(|recent| assert!(recent.iter().all(|(seen, _)| **seen != *text)));
    }
}
