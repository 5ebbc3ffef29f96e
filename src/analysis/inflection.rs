//! What quorum's stem filter does beyond Snowball: the French and English rules that
//! join the inflections rust-stemmers leaves apart, each checked against the corpus
//! vocabulary (tests/it/vocabulary.rs lists what each rule joins and separates).
//!
//! **French accents.** Snowball's French rules are written for accented text: `-é`,
//! `-ée` and `-ées` are suffixes only with their accents, and `-ièr-` becomes `i`
//! only with its grave. So quorum stems the word as written and folds the stem
//! (`contrôlée` → `contrôl` → `control`, like `contrôlé`), instead of folding first,
//! which gave `controle` and split 533 of the corpus's stem groups. A word typed without
//! accents must still reach the stem of its accented form, in a query and in the
//! documents that are written without accents, so before stemming:
//!
//! - an unaccented ending that French never writes without its accent gets it back:
//!   `-ee`, `-ees` → `-ée`, `-ées`; `-iere(s)`, `-ierement` → `-ière(s)`, `-ièrement`
//!   (`controlee` → `control`, `premiere` → `premi`);
//! - an accented ending whose unaccented spelling is a French ending too is folded
//!   first, as before: `-ité(s)` (`sécurité` and `securite` → `securit`, while the verb
//!   `facilite` must not become the noun `facilité`) and `-ès` (`progrès` and
//!   `progres` → `progr`).
//!
//! Measured over the French words of the shared corpus (13,877 words, 285K occurrences
//! without stop words): folding first split 533 of Snowball's 7,869 stem groups (61K
//! occurrences; 425 of them around `-ée`/`-ées`); these rules leave 79 (9.8K occurrences;
//! 7 around `-ée`). Most of the 79 are `-ité` nouns that Snowball joins with their
//! adjective (`nationalité`/`national`, `majorité`/`major`, `publicité`/`publique`), kept
//! apart as before so that `securite` meets `sécurité`. What is left for unaccented text:
//! 128 accented words (1.5K occurrences) whose unaccented spelling stems apart, mostly
//! `-ié(s)`: an unaccented `-ie`/`-ies` is a noun (`stratégie`) or a verb (`associe`) as
//! often as a participle (`associé`), so `refugies` typed without accents stems as
//! `refug`, not as `réfugiés` (`refugi`).
//!
//! **French `-us`.** Snowball keeps a final `s` after `u`, so `rendus` ≠ `rendu`. quorum
//! drops it, except in the words whose `-us` is not a plural ([`FRENCH_US_KEPT`]:
//! `abus`, `plus`, `tous`, `virus`, `inclus`...). Of the 47 `-us`/`-u` pairs of the
//! corpus vocabulary, 45 are now joined; the two left apart are `abus`/`abu` and
//! `sus`/`su`, which are no plural and singular.
//!
//! **Irregular plurals.** [`ENGLISH_IRREGULAR`] maps the plurals Snowball cannot see
//! (`women`, `children`, `crises`, `memoranda`, `spokesmen`) to their singular before
//! stemming, and [`FRENCH_IRREGULAR`] does the same for `travaux`. English `-ies`/`-y`
//! and French `-aux`/`-al` and `-ale(s)`/`-al` need nothing: Snowball joins every such
//! pair of the corpus vocabulary.
//!
//! ```
//! use quorum::analysis::{analyze, EN, FR};
//! let terms = |name, text| -> Vec<String> { analyze(name, text).into_iter().map(|t| t.text).collect() };
//! assert_eq!(terms(FR, "contrôlé contrôlée controlee"), ["control", "control", "control"]);
//! assert_eq!(terms(FR, "rendu rendus"), ["rendu", "rendu"]);
//! assert_eq!(terms(EN, "woman women"), ["woman", "woman"]);
//! ```

use std::borrow::Cow;

use rust_stemmers::Stemmer;

use super::fold::fold;

/// Unaccented French endings that are written only with their accent, and the accented
/// ending Snowball needs to see. The longest ending of a word is the one replaced.
const FRENCH_RESTORED: &[(&str, &str)] = &[
    ("ierements", "ièrements"),
    ("ierement", "ièrement"),
    ("ieres", "ières"),
    ("iere", "ière"),
    ("ees", "ées"),
    ("ee", "ée"),
];

/// Accented French endings that are folded before stemming: their unaccented spelling
/// is a French ending too, so the stem must not depend on the accent.
const FRENCH_FOLDED_FIRST: &[&str] = &["ité", "ités", "ès"];

/// French words whose final `-us` is not the plural of a word in `-u`: Snowball keeps
/// their `s`, and so does quorum. Sorted, folded.
pub const FRENCH_US_KEPT: &[&str] = &[
    "abus",
    "blocus",
    "bonus",
    "bus",
    "campus",
    "confus",
    "consensus",
    "corpus",
    "cursus",
    "diffus",
    "inclus",
    "intrus",
    "jus",
    "minus",
    "obus",
    "plus",
    "processus",
    "pus",
    "refus",
    "sus",
    "tous",
    "virus",
];

/// English forms that Snowball does not stem like their singular, and the singular:
/// irregular and Latin plurals found in the corpus vocabulary, `-men` compounds, and
/// `analysis`, which Snowball stems apart from `analyse` and `analyses`. Sorted.
pub const ENGLISH_IRREGULAR: &[(&str, &str)] = &[
    ("addenda", "addendum"),
    ("analysis", "analyse"),
    ("appendices", "appendix"),
    ("businessmen", "businessman"),
    ("chairmen", "chairman"),
    ("children", "child"),
    ("congressmen", "congressman"),
    ("crises", "crisis"),
    ("criteria", "criterion"),
    ("curricula", "curriculum"),
    ("diagnoses", "diagnosis"),
    ("fishermen", "fisherman"),
    ("fora", "forum"),
    ("gunmen", "gunman"),
    ("hypotheses", "hypothesis"),
    ("indices", "index"),
    ("lives", "life"),
    ("matrices", "matrix"),
    ("memoranda", "memorandum"),
    ("men", "man"),
    ("ombudsmen", "ombudsman"),
    ("policemen", "policeman"),
    ("referenda", "referendum"),
    ("servicemen", "serviceman"),
    ("spokesmen", "spokesman"),
    ("syntheses", "synthesis"),
    ("theses", "thesis"),
    ("tribesmen", "tribesman"),
    ("wives", "wife"),
    ("women", "woman"),
    ("womens", "woman"),
];

/// French plurals that Snowball does not stem like their singular (`-aux` → `-al` it
/// does), and the singular. Folded, sorted.
pub const FRENCH_IRREGULAR: &[(&str, &str)] = &[("travaux", "travail")];

/// The French stem of `word` (lower case, ligatures expanded, accents as written),
/// folded.
pub fn french(stemmer: &Stemmer, word: &str) -> String {
    let word = lookup(FRENCH_IRREGULAR, &fold(word)).unwrap_or(word);
    let folded = fold(word);
    let input = if FRENCH_FOLDED_FIRST.iter().any(|e| word.ends_with(e)) {
        folded.clone()
    } else {
        Cow::Borrowed(word)
    };
    let input = fold_foreign_accents(&input);
    let input = restore_french_accents(&input);
    let mut stem = fold(&stemmer.stem(&input)).into_owned();
    if folded.ends_with("us")
        && stem.ends_with("us")
        && FRENCH_US_KEPT.binary_search(&folded.as_ref()).is_err()
    {
        stem.pop();
    }
    stem
}

/// The English stem of `word` (lower case, ligatures expanded), folded: English
/// Snowball needs no accents, so the word is folded first.
pub fn english(stemmer: &Stemmer, word: &str) -> String {
    let folded = fold(word);
    // The possessive goes with its noun: `women's` is `woman's`.
    let noun = folded
        .strip_suffix("'s")
        .or_else(|| folded.strip_suffix('\''))
        .unwrap_or(&folded);
    let word = lookup(ENGLISH_IRREGULAR, noun).unwrap_or(&folded);
    stemmer.stem(word).into_owned()
}

/// The second of the pair whose first is `word`, in a table sorted by its first.
fn lookup(table: &'static [(&str, &'static str)], word: &str) -> Option<&'static str> {
    table
        .binary_search_by(|(form, _)| (*form).cmp(word))
        .ok()
        .map(|i| table[i].1)
}

/// The letters with accents that Snowball's French rules know.
const FRENCH_ACCENTED: &str = "àâäçéèêëîïôöùûüÿ";

/// Folds the accents French does not write (`vázquez`, `kubiš`): Snowball's French
/// rules count them as consonants, so `vázquez` and `vazquez` would stem apart.
fn fold_foreign_accents(word: &str) -> Cow<'_, str> {
    if word
        .chars()
        .all(|c| c.is_ascii() || FRENCH_ACCENTED.contains(c))
    {
        return Cow::Borrowed(word);
    }
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        if c.is_ascii() || FRENCH_ACCENTED.contains(c) {
            out.push(c);
        } else {
            let mut buf = [0; 4];
            out.push_str(&fold(c.encode_utf8(&mut buf)));
        }
    }
    Cow::Owned(out)
}

fn restore_french_accents(word: &str) -> Cow<'_, str> {
    for (plain, accented) in FRENCH_RESTORED {
        if let Some(base) = word.strip_suffix(plain) {
            // `ee` alone, or after one letter, is no French participle.
            if base.chars().count() >= 2 {
                return Cow::Owned(format!("{base}{accented}"));
            }
            break;
        }
    }
    Cow::Borrowed(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tables_are_sorted_for_binary_search() {
        assert!(FRENCH_US_KEPT.windows(2).all(|w| w[0] < w[1]));
        for table in [ENGLISH_IRREGULAR, FRENCH_IRREGULAR] {
            assert!(table.windows(2).all(|w| w[0].0 < w[1].0));
        }
    }
}
