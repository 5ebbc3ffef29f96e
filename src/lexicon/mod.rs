//! The bilingual term table behind cross-language search: for an analyzed term of one
//! language (a stem the index holds), its translations in the other, each a term or a
//! phrase of terms with a weight.
//!
//! [`learn`] makes a table from aligned French and English texts; quorum ships one,
//! learned from the devset half of the UN Parallel Corpus sentences, the Charter and the
//! Universal Declaration ([`Lexicon::shipped`]; `quorum lexicon build` with no file
//! makes it again). A table records the [`ANALYSIS_VERSION`] its terms come from, and a
//! table of another version is refused: its stems would not be the index's.
//!
//! The file is plain text, one translation a line after a header of `#` lines:
//! `LANG<TAB>TERM<TAB>TRANSLATION<TAB>WEIGHT`, where a phrase's terms are separated by
//! spaces and each term after the first is written `+N:term`, `N` positions after the
//! first (`maintien +3:paix`: `maintien de la paix`).
//!
//! ```
//! use quorum::lexicon::Lexicon;
//! use quorum::Lang;
//! let text = format!(
//!     "# quorum lexicon\n# analysis {}\n# pairs 2 ids 0\nen\tpeacekeep\tmaintien +3:paix\t0.8\n",
//!     quorum::analysis::ANALYSIS_VERSION
//! );
//! let lexicon = Lexicon::parse(&text)?;
//! let found = lexicon.translations(&Lang::En, "peacekeep");
//! assert_eq!(found[0].terms, [(0, "maintien".to_string()), (3, "paix".to_string())]);
//! assert_eq!(Lexicon::parse(&lexicon.to_text())?.translations(&Lang::En, "peacekeep"), found);
//! assert!(Lexicon::parse("# quorum lexicon\n# analysis 0\n").is_err());
//! # Ok::<(), quorum::lexicon::Error>(())
//! ```

pub mod learn;

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use crate::analysis::ANALYSIS_VERSION;
use crate::Lang;

/// How a table's text begins: `quorum lexicon build --out` writes over no other file.
pub const HEADER: &str = "# quorum lexicon";

/// The table quorum ships, learned as [`learn`] says from the learning set only.
const SHIPPED: &str = include_str!("fr-en.tsv");

/// What can go wrong reading a table.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The table's terms come from another analysis.
    #[error(
        "the lexicon was made by analysis version {found}, and this quorum analyzes text as \
         version {ANALYSIS_VERSION}: its terms are not the index's; make it again with \
         `quorum lexicon build`"
    )]
    Version {
        /// The version the table records.
        found: u32,
    },
    /// A line of the table is not a translation.
    #[error("line {line} of the lexicon: {why}")]
    Line {
        /// The line, from 1.
        line: usize,
        /// What is wrong with it.
        why: String,
    },
    /// The table built into quorum cannot be read (a build made with a bad table).
    #[error("the lexicon built into quorum: {0}")]
    Shipped(String),
    /// The file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The error.
        source: std::io::Error,
    },
}

/// One translation of a term: a term, or a phrase of terms with their positions from
/// the first, and its weight (the share of the term's aligned pairs that gave it).
#[derive(Clone, Debug, PartialEq)]
pub struct Translation {
    /// The terms with their positions, the first at 0.
    pub terms: Vec<(usize, String)>,
    /// How often the term was translated so, from 0 to 1.
    pub weight: f32,
}

/// A translation's terms as the table writes them: `maintien +3:paix`.
pub fn phrase_text(terms: &[(usize, String)]) -> String {
    let mut phrase = String::new();
    for (i, (offset, term)) in terms.iter().enumerate() {
        if i == 0 {
            phrase.push_str(term);
        } else {
            let _ = write!(phrase, " +{offset}:{term}");
        }
    }
    phrase
}

/// A bilingual table of analyzed terms.
#[derive(Clone, Debug, Default)]
pub struct Lexicon {
    entries: HashMap<(Lang, String), Vec<Translation>>,
    /// How many aligned pairs it was learned from.
    pub pairs: usize,
    /// The hash of the ids of those pairs ([`learn::ids_hash`]).
    pub ids_hash: String,
}

impl Lexicon {
    /// An empty table.
    pub fn empty() -> Lexicon {
        Lexicon::default()
    }

    /// The table quorum ships. It is read once per process.
    pub fn shipped() -> Result<Arc<Lexicon>, Error> {
        static SHIPPED_TABLE: OnceLock<Result<Arc<Lexicon>, String>> = OnceLock::new();
        SHIPPED_TABLE
            .get_or_init(|| {
                Lexicon::parse(SHIPPED)
                    .map(Arc::new)
                    .map_err(|e| e.to_string())
            })
            .clone()
            .map_err(Error::Shipped)
    }

    /// Reads a table from a file.
    pub fn read(path: &Path) -> Result<Lexicon, Error> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.display().to_string(),
            source,
        })?;
        Lexicon::parse(&text)
    }

    /// Reads a table from its text, refusing one of another analysis version.
    pub fn parse(text: &str) -> Result<Lexicon, Error> {
        let mut lexicon = Lexicon::empty();
        let mut version = None;
        for (n, line) in text.lines().enumerate() {
            let bad = |why: &str| Error::Line {
                line: n + 1,
                why: why.to_string(),
            };
            if let Some(header) = line.strip_prefix('#') {
                let mut words = header.split_whitespace();
                match words.next() {
                    Some("analysis") => {
                        let found = words.next().and_then(|v| v.parse::<u32>().ok());
                        let found = found.ok_or_else(|| bad("a bad analysis version"))?;
                        if found != ANALYSIS_VERSION {
                            return Err(Error::Version { found });
                        }
                        version = Some(found);
                    }
                    Some("pairs") => {
                        lexicon.pairs = words.next().and_then(|v| v.parse().ok()).unwrap_or(0);
                        if words.next() == Some("ids") {
                            lexicon.ids_hash = words.next().unwrap_or_default().to_string();
                        }
                    }
                    _ => {}
                }
                continue;
            }
            if line.trim().is_empty() {
                continue;
            }
            version.ok_or_else(|| bad("no `# analysis N` line before the table"))?;
            let columns: Vec<&str> = line.split('\t').collect();
            let [lang, term, translation, weight] = columns.as_slice() else {
                return Err(bad("expected LANG, TERM, TRANSLATION and WEIGHT"));
            };
            let lang = match Lang::parse(lang) {
                lang @ (Lang::Fr | Lang::En) => lang,
                Lang::Other(_) => return Err(bad("the language is neither fr nor en")),
            };
            let weight: f32 = weight
                .parse()
                .ok()
                .filter(|w: &f32| w.is_finite() && *w > 0.0)
                .ok_or_else(|| bad("the weight is not a positive number"))?;
            let mut terms = Vec::new();
            for (i, part) in translation.split(' ').enumerate() {
                let term = match part.strip_prefix('+').and_then(|p| p.split_once(':')) {
                    Some((offset, term)) if i > 0 => {
                        let offset = offset.parse().map_err(|_| bad("a bad offset"))?;
                        (offset, term.to_string())
                    }
                    _ if i == 0 => (0, part.to_string()),
                    _ => return Err(bad("a phrase's later terms are written +N:term")),
                };
                if term.1.is_empty() {
                    return Err(bad("an empty term"));
                }
                terms.push(term);
            }
            lexicon
                .entries
                .entry((lang, term.to_string()))
                .or_default()
                .push(Translation { terms, weight });
        }
        if version.is_none() {
            return Err(Error::Line {
                line: 1,
                why: "not a quorum lexicon (no `# analysis N` line)".into(),
            });
        }
        Ok(lexicon)
    }

    /// The table as text, sorted, as [`Lexicon::parse`] reads it.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# quorum lexicon: French and English analyzed terms and their translations"
        );
        let _ = writeln!(out, "# made by `quorum lexicon build`: IBM Model 1 (EM) in each direction, Viterbi alignments grouped into phrases");
        let _ = writeln!(out, "# analysis {ANALYSIS_VERSION}");
        let _ = writeln!(out, "# pairs {} ids {}", self.pairs, self.ids_hash);
        let mut keys: Vec<&(Lang, String)> = self.entries.keys().collect();
        keys.sort_by(|a, b| (a.0.code(), &a.1).cmp(&(b.0.code(), &b.1)));
        for key in keys {
            for t in &self.entries[key] {
                let phrase = phrase_text(&t.terms);
                let _ = writeln!(
                    out,
                    "{}\t{}\t{}\t{:.3}",
                    key.0.code(),
                    key.1,
                    phrase,
                    t.weight
                );
            }
        }
        out
    }

    /// The translations of a term of `lang` into the other language, best first; empty
    /// when the table has none.
    pub fn translations(&self, lang: &Lang, term: &str) -> &[Translation] {
        self.entries
            .get(&(lang.clone(), term.to_string()))
            .map_or(&[], Vec::as_slice)
    }

    /// How many terms have translations, per language (French, English).
    pub fn terms(&self) -> (usize, usize) {
        let french = self.entries.keys().filter(|(l, _)| *l == Lang::Fr).count();
        (french, self.entries.len() - french)
    }

    pub(crate) fn insert(&mut self, lang: Lang, term: String, translations: Vec<Translation>) {
        self.entries.insert((lang, term), translations);
    }
}
