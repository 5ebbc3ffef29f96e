//! The word and letter evidence that tells French from English in a text too short for
//! whatlang's trigrams: stop words, the vocabulary of UN documents, and spelling.
//!
//! whatlang needs a sentence or more. The texts it gets wrong are the short ones that UN
//! documents are full of: headings (`Agenda item 136`, `Rectificatif`), dates
//! (`Mercredi 15 avril 2015`), names with a country (`Janina Hasse-Mohsine (Allemagne)`).
//! Most of them hold a word that only one of the two languages writes that way, so each
//! word is looked up in two short lists per language: the function words of the French and
//! English chains' stop-word lists (and a few more), and the words that UN texts use for
//! their dates, titles, document parts, bodies and member states. A word written with a
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

use crate::lang::Lang;

/// How much a text says for French and for English.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Evidence {
    /// Words that are French: stop words, UN vocabulary, accented words.
    pub fr: usize,
    /// Words that are English: stop words and UN vocabulary.
    pub en: usize,
    /// Words spelled the French way ([`spelling`]).
    pub fr_spelling: usize,
    /// Words spelled the English way.
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
        if FRENCH_WORDS.contains(&word) || FRENCH_VOCABULARY.contains(&word) {
            found.fr += 1;
        } else if word.contains(FRENCH_ACCENTS) {
            // A French word not in the lists, or a name of French spelling; the lists go
            // first so that a listed word is not counted twice.
            found.fr += 1;
        }
        if ENGLISH_WORDS.contains(&word) || ENGLISH_VOCABULARY.contains(&word) {
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

/// The letters that French writes and English does not (names aside). `á`, `í`, `ó`,
/// `ñ` are left out: they mark Spanish or Portuguese names in either language.
const FRENCH_ACCENTS: &[char] = &[
    'é', 'è', 'ê', 'ë', 'à', 'â', 'î', 'ï', 'ô', 'û', 'ù', 'ç', 'œ',
];

/// French function words: the French chain's stop words that English does not write,
/// and other frequent ones. Only words English never writes as a word are here: not `a`,
/// `on`, `me`, `son` or `plus`, nor `un` (the English `UN`), `s` (the English possessive)
/// or `c` (a list item, `(c)`).
const FRENCH_WORDS: &[&str] = &[
    "ai",
    "aient",
    "ait",
    "au",
    "aux",
    "avaient",
    "avait",
    "avec",
    "avez",
    "avons",
    "ayant",
    "ce",
    "ces",
    "cet",
    "cette",
    "d",
    "dans",
    "de",
    "des",
    "du",
    "elle",
    "elles",
    "en",
    "est",
    "et",
    "étaient",
    "était",
    "été",
    "eux",
    "il",
    "ils",
    "j",
    "je",
    "l",
    "la",
    "le",
    "les",
    "leur",
    "leurs",
    "lui",
    "m",
    "mes",
    "même",
    "n",
    "ne",
    "nos",
    "notre",
    "nous",
    "ont",
    "ou",
    "où",
    "par",
    "pas",
    "pour",
    "qu",
    "que",
    "qui",
    "sa",
    "se",
    "sera",
    "seront",
    "ses",
    "soit",
    "sont",
    "sur",
    "une",
    "vos",
    "votre",
    "vous",
    "à",
    "afin",
    "ainsi",
    "aussi",
    "autre",
    "autres",
    "chez",
    "comme",
    "contre",
    "depuis",
    "doit",
    "doivent",
    "dont",
    "entre",
    "lors",
    "lorsque",
    "notamment",
    "pendant",
    "peut",
    "peuvent",
    "sans",
    "selon",
    "sous",
    "tous",
    "tout",
    "toute",
    "toutes",
    "très",
    "vers",
];

/// English function words: the English chain's stop words that French does not write,
/// and other frequent ones.
const ENGLISH_WORDS: &[&str] = &[
    "and", "are", "at", "be", "been", "being", "but", "by", "did", "do", "does", "for", "from",
    "had", "has", "have", "he", "her", "his", "if", "in", "into", "is", "it", "its", "of", "our",
    "she", "such", "that", "the", "their", "them", "then", "there", "these", "they", "this",
    "those", "to", "was", "we", "were", "which", "who", "whom", "with", "would", "you", "your",
    "all", "also", "any", "against", "between", "can", "each", "may", "more", "most", "must",
    "not", "other", "per", "shall", "should", "through", "under", "upon", "will", "within",
    "without",
];

/// Words of UN documents that only French writes so: dates, titles, document parts, the
/// bodies and member states (their names with an accent need no listing).
const FRENCH_VOCABULARY: &[&str] = &[
    // Months and days.
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
    "lundi",
    "mardi",
    "mercredi",
    "jeudi",
    "vendredi",
    "samedi",
    "dimanche",
    "er",
    // Titles and people.
    "mme",
    "mmes",
    "mm",
    "mlle",
    "rapporteuse",
    "présidente",
    "secrétaire",
    "ambassadeur",
    "directeur",
    "directrice",
    "adjoint",
    "adjointe",
    // Document parts and procedure.
    "annexe",
    "annexes",
    "additif",
    "rectificatif",
    "chapitre",
    "titre",
    "tableau",
    "ordre",
    "jour",
    "séance",
    "séances",
    "rapport",
    "rapports",
    "projet",
    "objectif",
    "objectifs",
    "recommandations",
    "recommandation",
    "décision",
    "décisions",
    "résolution",
    "résolutions",
    "paragraphe",
    "alinéa",
    "anglais",
    "français",
    "espagnol",
    "arabe",
    "chinois",
    "russe",
    "officiels",
    "officielles",
    "brut",
    "emploi",
    "sociale",
    "sociaux",
    // Bodies and principles.
    "conseil",
    "assemblée",
    "comité",
    "secrétariat",
    "général",
    "générale",
    "unies",
    "organisation",
    "sécurité",
    "paix",
    "droits",
    "homme",
    "développement",
    "gouvernement",
    "membres",
    "pays",
    "mise",
    "œuvre", // Member states and regions whose French name is unaccented but not English.
    "afrique",
    "africaine",
    "allemagne",
    "albanie",
    "amérique",
    "arabie",
    "argentine",
    "asie",
    "australie",
    "autriche",
    "belgique",
    "bhoutan",
    "brésil",
    "cameroun",
    "chine",
    "chypre",
    "colombie",
    "corée",
    "croatie",
    "espagne",
    "finlande",
    "guinée",
    "inde",
    "indonésie",
    "irlande",
    "italie",
    "japon",
    "jordanie",
    "liban",
    "libye",
    "lituanie",
    "malaisie",
    "maroc",
    "maurice",
    "mexique",
    "mongolie",
    "namibie",
    "norvège",
    "ouganda",
    "pologne",
    "roumanie",
    "royaume",
    "russie",
    "saoudite",
    "somalie",
    "soudan",
    "suisse",
    "syrie",
    "tanzanie",
    "tchad",
    "thaïlande",
    "tunisie",
    "turquie",
    "uni",
    "unis",
    "zambie",
];

/// Words of UN documents that only English writes so.
const ENGLISH_VOCABULARY: &[&str] = &[
    // Months and days (`may` is a function word above).
    "january",
    "february",
    "march",
    "april",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    // Titles and people.
    "mr",
    "mrs",
    "ms",
    "messrs",
    "chair",
    "chairman",
    "chairperson",
    "president",
    "secretary",
    "ambassador",
    "director",
    "deputy",
    // Document parts and procedure.
    "annex",
    "addendum",
    "corrigendum",
    "chapter",
    "title",
    "agenda",
    "item",
    "items",
    "meeting",
    "meetings",
    "report",
    "reports",
    "draft",
    "objective",
    "objectives",
    "recommendations",
    "recommendation",
    "decision",
    "decisions",
    "resolution",
    "resolutions",
    "paragraph",
    "english",
    "french",
    "spanish",
    "arabic",
    "chinese",
    "russian",
    "official",
    "records",
    "gross",
    "employment",
    "costs",
    // Bodies and principles.
    "council",
    "assembly",
    "committee",
    "secretariat",
    "general",
    "united",
    "organization",
    "security",
    "peace",
    "rights",
    "human",
    "development",
    "government",
    "members",
    "countries",
    "country",
    "implementation", // Member states and regions.
    "africa",
    "african",
    "germany",
    "albania",
    "america",
    "american",
    "arabia",
    "argentina",
    "asia",
    "australia",
    "austria",
    "belgium",
    "bhutan",
    "brazil",
    "cameroon",
    "china",
    "cyprus",
    "colombia",
    "korea",
    "croatia",
    "spain",
    "finland",
    "guinea",
    "india",
    "indonesia",
    "ireland",
    "italy",
    "japan",
    "jordan",
    "lebanon",
    "libya",
    "lithuania",
    "malaysia",
    "morocco",
    "mauritius",
    "mexico",
    "mongolia",
    "namibia",
    "norway",
    "uganda",
    "poland",
    "romania",
    "kingdom",
    "russia",
    "saudi",
    "somalia",
    "sudan",
    "switzerland",
    "syria",
    "tanzania",
    "chad",
    "thailand",
    "tunisia",
    "turkey",
    "states",
    "zambia",
    "comoros",
    "netherlands",
    "sweden",
    "denmark",
    "greece",
    "hungary",
    "egypt",
    "algeria",
    "ethiopia",
    "nigeria",
    "senegal",
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
        for word in FRENCH_WORDS.iter().chain(FRENCH_VOCABULARY) {
            assert!(
                !ENGLISH_WORDS.contains(word) && !ENGLISH_VOCABULARY.contains(word),
                "{word} is in both languages' lists"
            );
            assert!(word.len() < MAX_WORD_BYTES, "{word}");
            assert_eq!(word.to_lowercase(), *word, "{word}");
        }
        for word in ENGLISH_WORDS.iter().chain(ENGLISH_VOCABULARY) {
            assert!(word.len() < MAX_WORD_BYTES, "{word}");
            assert_eq!(word.to_lowercase(), *word, "{word}");
        }
    }
}
