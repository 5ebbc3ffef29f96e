//! Stop-word lists, given to tantivy's `StopWordFilter::remove` (its own French list
//! exists only with the frostem `stemmer` feature, which quorum does not use).
//!
//! Stop words leave the stemmed fields but keep their positions empty, so phrase
//! queries still line up (`"maintien de la paix"`), and the `forms` field keeps them,
//! so a query made only of stop words still finds something. The lists hold
//! accented forms (`même`, `été`): the filter runs before accents are folded.
//! The French list has `s` and the English one `a`; they cannot eat the `S` of
//! `S/PRST/2001/3` because the tokenizer keeps a symbol whole.
//!
//! ```
//! use quorum::analysis::{analyze, FR};
//! let tokens = analyze(FR, "maintien de la paix");
//! let kept: Vec<(&str, usize)> = tokens.iter().map(|t| (t.text.as_str(), t.position)).collect();
//! assert_eq!(kept, [("maintien", 0), ("paix", 3)]);
//! ```

use tantivy::tokenizer::StopWordFilter;

use crate::Lang;

/// French stop words: articles, pronouns, prepositions and the forms of `être` and
/// `avoir`, after Snowball's list. `est` is left out: it is also the compass point
/// (`Europe de l'Est`).
pub const FRENCH: &[&str] = &[
    "a", "ai", "aie", "aient", "aies", "ait", "as", "au", "aux", "avaient", "avais", "avait",
    "avec", "avez", "aviez", "avions", "avons", "ayant", "ayez", "ayons", "c", "ce", "ces", "d",
    "dans", "de", "des", "du", "elle", "elles", "en", "es", "et", "étaient", "étais", "était",
    "étant", "été", "êtes", "étiez", "étions", "eu", "eue", "eues", "eurent", "eus", "eut", "eux",
    "fut", "furent", "il", "ils", "j", "je", "l", "la", "le", "les", "leur", "leurs", "lui", "m",
    "ma", "mais", "me", "même", "mes", "moi", "mon", "n", "ne", "nos", "notre", "nous", "on",
    "ont", "ou", "par", "pas", "pour", "qu", "que", "qui", "s", "sa", "se", "sera", "seraient",
    "serait", "seront", "ses", "soient", "soit", "sommes", "son", "sont", "suis", "sur", "t", "ta",
    "te", "tes", "toi", "ton", "tu", "un", "une", "vos", "votre", "vous", "y", "à",
];

/// English stop words: Lucene's list, with the pronouns and auxiliaries that carry no
/// topic.
pub const ENGLISH: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "been", "being", "but", "by", "did", "do", "does",
    "for", "from", "had", "has", "have", "he", "her", "his", "i", "if", "in", "into", "is", "it",
    "its", "of", "on", "or", "our", "she", "such", "that", "the", "their", "them", "then", "there",
    "these", "they", "this", "those", "to", "was", "we", "were", "which", "who", "whom", "with",
    "would", "you", "your",
];

/// The stop-word list of a language, empty for the languages quorum does not analyze.
pub fn list(lang: &Lang) -> &'static [&'static str] {
    match lang {
        Lang::Fr => FRENCH,
        Lang::En => ENGLISH,
        Lang::Other(_) => &[],
    }
}

/// True when `word` (lower case, exact form) is a French or English stop word.
pub fn is_stop_word(word: &str) -> bool {
    FRENCH.contains(&word) || ENGLISH.contains(&word)
}

/// A tantivy filter that removes the stop words of `lang`.
pub fn filter(lang: &Lang) -> StopWordFilter {
    StopWordFilter::remove(list(lang).iter().map(|w| w.to_string()))
}
