//! The word and letter evidence that tells French from English in a text too short for
//! whatlang's trigrams: stop words, the vocabulary of UN documents, and spelling.
//!
//! whatlang needs a sentence or more. The texts it gets wrong are the short ones that UN
//! documents are full of: headings (`Agenda item 136`, `Rectificatif`), dates
//! (`Mercredi 15 avril 2015`), names with a country (`Janina Hasse-Mohsine (Allemagne)`).
//! Most of them hold a word that only one of the two languages writes that way, so each
//! word is looked up in one list per language (`evidence/french.txt`,
//! `evidence/english.txt`): the function words of the French and English chains' stop-word
//! lists (and a few more), and the words that UN texts use for their dates, titles,
//! document parts, bodies and member states. A word written with a
//! French accent (`é`, `è`, `à`, `ç`, ...) counts for French. Words the two languages share
//! (`Article`, `Commission`, `Introduction`) are in neither list. When the words are even,
//! spelling decides: `w`, `th`, `-ing`, `-y` are English, `-eux`, `-ique`, `-oir` French.
//!
//! The lists are kept here rather than taken from `analysis`: ingestion comes before
//! analysis and does not depend on it, and a list for telling languages apart leaves out
//! what both write (`a`, `on`, `son`, `UN`).
//!
//! ```
//! use quorum::ingest::evidence::evidence;
//! use quorum::Lang;
//!
//! assert_eq!(evidence("Agenda item 136").lang(), Some(Lang::En));
//! assert_eq!(evidence("Mercredi 15 avril 2015").lang(), Some(Lang::Fr));
//! assert_eq!(evidence("Article 51").lang(), None);
//! ```

use std::collections::HashSet;
use std::sync::LazyLock;

use crate::lang::Lang;

/// How much a text says for French and for English.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Evidence {
    /// Words that are French: stop words, UN vocabulary, accented words.
    pub fr: usize,
    /// Words that are English: stop words and UN vocabulary.
    pub en: usize,
    /// Words spelled the French way (accents, `-eux`, `-ique`, ...).
    pub fr_spelling: usize,
    /// Words spelled the English way (`w`, `th`, `-ing`, ...).
    pub en_spelling: usize,
}

impl Evidence {
    /// The language with more listed words, then with more words of its spelling; `None`
    /// when both are even (a text with no evidence at all included).
    pub fn lang(self) -> Option<Lang> {
        let order = (self.fr, self.fr_spelling).cmp(&(self.en, self.en_spelling));
        match order {
            std::cmp::Ordering::Greater => Some(Lang::Fr),
            std::cmp::Ordering::Less => Some(Lang::En),
            std::cmp::Ordering::Equal => None,
        }
    }
}

/// Counts the evidence for French and for English in `text`; see the module docs.
pub fn evidence(text: &str) -> Evidence {
    let mut found = Evidence::default();
    // Apostrophes split words, so `d'assassinat` gives the French `d`.
    for word in text.split(|c: char| !c.is_alphabetic()) {
        if word.is_empty() || word.len() > MAX_WORD_BYTES {
            continue;
        }
        let word = word.to_lowercase();
        let word = word.as_str();
        if FRENCH.contains(word) {
            found.fr += 1;
        } else if word.contains(FRENCH_ACCENTS) {
            // A French word not in the lists, or a name of French spelling; the lists go
            // first so that a listed word is not counted twice.
            found.fr += 1;
        }
        if ENGLISH.contains(word) {
            found.en += 1;
        }
        match spelling(word) {
            Some(Lang::Fr) => found.fr_spelling += 1,
            Some(Lang::En) => found.en_spelling += 1,
            Some(Lang::Other(_)) | None => {}
        }
    }
    found
}

/// The language whose spelling a word (lower case) has, from its letters and its ending:
/// `w`, `k`, `th`, `sh`, `-ing`, `-ed`, `-y` are English; `-eux`, `-eau`, `-oir`, `-ique`
/// and accents French. A weaker sign than a listed word: it decides only a tie of words.
fn spelling(word: &str) -> Option<Lang> {
    if word.contains(FRENCH_ACCENTS) {
        return Some(Lang::Fr);
    }
    let len = word.len();
    let ends = |suffix: &str| len > suffix.len() + 2 && word.ends_with(suffix);
    if [
        "eux", "eau", "eaux", "oir", "oire", "ique", "iques", "euse", "euses", "elle", "elles",
        "aient", "if", "ifs", "oi",
    ]
    .iter()
    .any(|s| ends(s))
    {
        return Some(Lang::Fr);
    }
    let inside = ["w", "k", "th", "sh", "ck", "ee", "oo"];
    if [
        "ing", "ings", "ed", "y", "ies", "ship", "ness", "ful", "less", "or", "ors",
    ]
    .iter()
    .any(|s| ends(s))
        || inside.iter().any(|s| word.contains(s))
    {
        return Some(Lang::En);
    }
    None
}

/// The longest listed word is shorter than this; longer words are not looked up.
const MAX_WORD_BYTES: usize = 24;

/// The words only French writes so: `evidence/french.txt`.
static FRENCH: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| word_list(include_str!("evidence/french.txt")));

/// The words only English writes so: `evidence/english.txt`.
static ENGLISH: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| word_list(include_str!("evidence/english.txt")));

/// The words of a list file: whitespace-separated, `#` to the end of a line a comment.
fn word_list(file: &'static str) -> HashSet<&'static str> {
    file.lines()
        .map(|line| line.split('#').next().unwrap_or(""))
        .flat_map(str::split_whitespace)
        .collect()
}

/// The letters that French writes and English does not (names aside). `á`, `í`, `ó`,
/// `ñ` are left out: they mark Spanish or Portuguese names in either language.
const FRENCH_ACCENTS: &[char] = &[
    'é', 'è', 'ê', 'ë', 'à', 'â', 'î', 'ï', 'ô', 'û', 'ù', 'ç', 'œ',
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_texts_have_their_evidence() {
        let cases: &[(&str, Option<Lang>)] = &[
            ("Agenda item 136", Some(Lang::En)),
            ("Air transportation of the contingents", Some(Lang::En)),
            ("30 April", Some(Lang::En)),
            ("Mercredi 15 avril 2015", Some(Lang::Fr)),
            ("Rectificatif", Some(Lang::Fr)),
            ("Tentative d'assassinat", Some(Lang::Fr)),
            ("Janina Hasse-Mohsine (Allemagne)", Some(Lang::Fr)),
            ("Rapporteur : M. Matthias Dettling (Suisse)", Some(Lang::Fr)),
            ("Ms. Dina Kawar (Jordan)", Some(Lang::En)),
            (
                "International Law Commission of the United Nations",
                Some(Lang::En),
            ),
            ("Protection sociale", Some(Lang::Fr)),
            // The same in both languages: no evidence either way.
            ("Article 51", None),
            ("Introduction", None),
            ("Total (I-III)", None),
            ("", None),
            ("12 345 / 678", None),
        ];
        for (text, want) in cases {
            assert_eq!(evidence(text).lang(), *want, "text {text:?}");
        }
    }

    #[test]
    fn the_lists_share_no_word() {
        assert!(FRENCH.len() > 200 && ENGLISH.len() > 200);
        assert!(FRENCH.contains("juin") && ENGLISH.contains("june"));
        for word in FRENCH.iter() {
            assert!(
                !ENGLISH.contains(word),
                "{word} is in both languages' lists"
            );
        }
        for word in FRENCH.iter().chain(ENGLISH.iter()) {
            assert!(word.len() < MAX_WORD_BYTES, "{word}");
            assert_eq!(word.to_lowercase(), *word, "{word}");
            assert!(word.chars().all(char::is_alphabetic), "{word}");
        }
    }
}
