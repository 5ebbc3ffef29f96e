//! Analysis: how text becomes terms.
//!
//! Every analyzer starts with [`QuorumTokenizer`], which keeps offsets into the
//! original text, then applies filters that rewrite `token.text` only. As charabia keeps
//! its `NORMALIZERS` apart from its `LOSSY_NORMALIZERS`, quorum keeps two kinds of step
//! apart:
//!
//! - **lossless**, one builder that every chain starts with: NFC, lowercase, the chain's
//!   elision (French articles, or none) and unified apostrophes and hyphens. They choose
//!   one spelling among those that write the same word, and drop an article glued to it,
//!   so the exact form of every word survives them;
//! - **lossy**, which each chain adds after the lossless steps, in its own order:
//!   ligatures (`œ` → `oe`, after which `œuvre` and `oeuvre` are one term), stop words,
//!   accent folding and stemming, and the folded twin that adds a folded form.
//!
//! Adding, removing or moving a step in a chain changes the indexed terms, and then needs a
//! new [`ANALYSIS_VERSION`]. Each field keeps the chain its name says:
//!
//! | analyzer | chain | used for |
//! |---|---|---|
//! | [`FR`] | lossless with French elision + ligatures + French stop words + French Snowball on the accented word, [with quorum's rules](inflection), then fold | `body_fr` |
//! | [`EN`] | lossless with English elision (no articles) + ligatures + English stop words + fold + English Snowball [with quorum's rules](inflection) (the stem filter folds) | `body_en` |
//! | [`PLAIN`] | lossless without elision + ligatures + fold, no stop words, no stemming | `body_other` (other languages) |
//! | [`FORMS`] | [`EXACT`], each form that folding changes followed by its [folded twin](twin) | `forms`: ranks exact accents, then unstemmed forms, first; prefix and fuzzy queries |
//! | [`EXACT`] | lossless with French elision + ligatures: accents and stop words kept | queries on `forms` for exact forms |
//! | [`FOLDED`] | [`EXACT`] + fold, no stemming | queries on `forms` for folded forms |
//! | [`SYMBOL`] | lossless without elision, nothing lossy | the `symbol` metadata field |
//!
//! ```
//! use quorum::analysis::{analyze, FR, EN};
//! let terms = |name, text| -> Vec<String> { analyze(name, text).into_iter().map(|t| t.text).collect() };
//! assert_eq!(terms(FR, "l’Organisation des Nations Unies œuvre"), ["organis", "nation", "uni", "oeuvr"]);
//! assert_eq!(terms(EN, "peace-keeping operations"), ["peac", "keep", "peacekeep", "oper"]);
//! ```

mod elision;
mod filter;
mod fold;
pub mod inflection;
mod ligature;
mod nfc;
mod scan;
mod stem;
pub mod stopwords;
mod tokenizer;
pub mod twin;
mod unify;

use elision::NoElision;
pub use elision::{Elision, FRENCH_ARTICLES};
pub use filter::{Rewrite, RewriteFilter};
pub use fold::{fold, FoldAccents};
pub use ligature::Ligatures;
pub use nfc::Nfc;
pub use scan::{Scan, ScanStream};
pub use stem::Stem;
pub use tokenizer::{tokenize, QuorumTokenizer, MAX_WORD_BYTES};
pub use twin::{FoldedTwin, FOLDED_MARK};
pub use unify::UnifyMarks;

use rust_stemmers::Algorithm;
use tantivy::tokenizer::{
    TextAnalyzer, TextAnalyzerBuilder, Token, TokenFilter, Tokenizer, TokenizerManager,
};

use crate::Lang;

/// French body chain, stemmed.
pub const FR: &str = "quorum_fr";
/// English body chain, stemmed.
pub const EN: &str = "quorum_en";
/// Chain for languages quorum does not stem.
pub const PLAIN: &str = "quorum_plain";
/// Exact forms: accents and stop words kept; only ligatures are expanded.
pub const EXACT: &str = "quorum_exact";
/// Folded forms, unstemmed.
pub const FOLDED: &str = "quorum_folded";
/// Exact forms, each followed by its marked folded twin when folding changes it.
pub const FORMS: &str = "quorum_forms";
/// Document symbols in metadata.
pub const SYMBOL: &str = "quorum_symbol";

/// Every analyzer name, for registration and `quorum analyze`.
pub const ALL: [&str; 7] = [FR, EN, PLAIN, EXACT, FOLDED, FORMS, SYMBOL];

/// Bumped whenever a change to analysis changes the terms of some text: an index
/// built by another version must be rebuilt, never mixed.
pub const ANALYSIS_VERSION: u32 = 4;

/// The analyzer name of the body chain for a language.
pub fn body_analyzer(lang: &Lang) -> &'static str {
    match lang {
        Lang::Fr => FR,
        Lang::En => EN,
        Lang::Other(_) => PLAIN,
    }
}

/// Builds the analyzer registered under `name`, or `None` for an unknown name.
pub fn build(name: &str) -> Option<TextAnalyzer> {
    let analyzer = match name {
        FR => stemmed(Lang::Fr, Algorithm::French),
        EN => stemmed(Lang::En, Algorithm::English),
        PLAIN => lossless(NoElision)
            .filter(RewriteFilter(Ligatures))
            .filter(RewriteFilter(FoldAccents))
            .build(),
        EXACT => exact_builder().build(),
        FOLDED => exact_builder().filter(RewriteFilter(FoldAccents)).build(),
        FORMS => exact_builder().filter(FoldedTwin).build(),
        // Symbols are matched whole: nothing lossy, not even ligatures.
        SYMBOL => lossless(NoElision).build(),
        _ => return None,
    };
    Some(analyzer)
}

/// The lossless steps, which every chain starts with. `elision` is the chain's
/// [`Elision`] as a [`RewriteFilter`], or [`NoElision`] for a chain that has none.
///
/// The first three, the tokenizer, NFC and lower case, are one [`Scan`], which each
/// thread does once for a text that several chains analyze.
fn lossless(elision: impl TokenFilter) -> TextAnalyzerBuilder<impl Tokenizer> {
    TextAnalyzer::builder(Scan)
        // Elision must see the original apostrophe, before marks are unified.
        .filter(elision)
        .filter(RewriteFilter(UnifyMarks))
}

/// The exact forms that [`EXACT`], [`FOLDED`] and [`FORMS`] share: the lossless steps
/// with French elision, then ligatures, the one lossy step of [`EXACT`].
fn exact_builder() -> TextAnalyzerBuilder<impl Tokenizer> {
    lossless(RewriteFilter(Elision::FRENCH)).filter(RewriteFilter(Ligatures))
}

fn stemmed(lang: Lang, algorithm: Algorithm) -> TextAnalyzer {
    lossless(RewriteFilter(Elision::for_lang(&lang)))
        // The lossy steps from here on.
        .filter(RewriteFilter(Ligatures))
        // Stop words before folding: the French list has accented entries.
        .filter(stopwords::filter(&lang))
        // No fold here: Snowball's French rules read the accents (`-ée` is a suffix,
        // `-ee` is not), so the stem filter stems the word as written and folds its stem.
        .filter(RewriteFilter(Stem(algorithm)))
        .build()
}

/// Registers every quorum analyzer with an index's tokenizer manager.
pub fn register(manager: &TokenizerManager) {
    for name in ALL {
        if let Some(analyzer) = build(name) {
            manager.register(name, analyzer);
        }
    }
}

/// A copy of the analyzer `name`, built once per process: building one makes its
/// stop-word set, and queries and snippets analyze many short texts.
fn cached(name: &str) -> Option<TextAnalyzer> {
    static ANALYZERS: std::sync::OnceLock<Vec<(&'static str, TextAnalyzer)>> =
        std::sync::OnceLock::new();
    ANALYZERS
        .get_or_init(|| {
            ALL.iter()
                .filter_map(|&name| build(name).map(|analyzer| (name, analyzer)))
                .collect()
        })
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, analyzer)| analyzer.clone())
}

/// Runs the analyzer `name` over `text` and returns its tokens (none for an unknown
/// name). Used by `quorum analyze`, snippets and tests.
pub fn analyze(name: &str, text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    each_token(name, text, |token| tokens.push(token.clone()));
    tokens
}

/// Runs the analyzer `name` over `text` and hands each token to `f` as it comes, with
/// no copy of its text (nothing for an unknown name).
pub fn each_token(name: &str, text: &str, mut f: impl FnMut(&Token)) {
    let Some(mut analyzer) = cached(name) else {
        return;
    };
    let mut stream = analyzer.token_stream(text);
    while let Some(token) = stream.next() {
        f(token);
    }
}
