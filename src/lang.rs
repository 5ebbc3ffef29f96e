//! The language of a text, which decides the analysis chain it goes through.
//!
//! quorum analyzes French and English fully (elision, stop words, stemming). Any
//! other language that metadata declares is kept as [`Lang::Other`] and indexed
//! with a plain chain, without stop words or stemming.
//!
//! A BCP 47 tag counts for its primary language: `fr-FR` and `fr_CA` are French, `pt-BR`
//! is `pt`, so that a region or a script never makes a language of its own with the plain
//! chain. [`Lang::tag`] keeps the full tag for whoever wants the region.
//!
//! ```
//! use quorum::Lang;
//! assert_eq!(Lang::parse("FR"), Lang::Fr);
//! assert_eq!(Lang::parse("eng"), Lang::En);
//! assert_eq!(Lang::parse("es").code(), "es");
//! assert_eq!(Lang::parse("fr-FR"), Lang::Fr);
//! assert_eq!(Lang::parse("pt-BR").code(), "pt");
//! assert_eq!(Lang::tag("fr_ca").as_deref(), Some("fr-CA"));
//! assert_eq!(Lang::tag("fr"), None);
//! ```

use std::fmt;

/// A language, as metadata declares it or detection decides it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lang {
    /// French: the full French chain.
    Fr,
    /// English: the full English chain.
    En,
    /// Any other language, kept by its lower-case code (`es`, `ar`, ...).
    Other(String),
}

impl Lang {
    /// Reads a language code or name as metadata writes it: `fr`, `fra`, `French`,
    /// `français`, `en`, `eng`, `English`, or a BCP 47 tag whose primary language is one
    /// of those (`fr-FR`, `en_GB`). Anything else becomes [`Lang::Other`], by its primary
    /// language too (`pt-BR` is `pt`).
    pub fn parse(code: &str) -> Lang {
        let lower = code.trim().to_lowercase();
        // `_` is not BCP 47, but POSIX locales (`fr_CA.UTF-8`) write it, and so do exports.
        let primary = match lower.split(['-', '_']).next() {
            Some(primary) if !primary.is_empty() => primary,
            _ => lower.as_str(),
        };
        match primary {
            "fr" | "fra" | "fre" | "french" | "français" | "francais" => Lang::Fr,
            "en" | "eng" | "english" | "anglais" => Lang::En,
            _ => Lang::Other(primary.to_string()),
        }
    }

    /// The full BCP 47 tag of a code that has more than a primary language, in the case
    /// BCP 47 recommends (`fr-CA`, `zh-Hant-TW`, `_` read as `-`); `None` for a bare
    /// language (`fr`, `French`), which [`Lang::parse`] keeps whole.
    pub fn tag(code: &str) -> Option<String> {
        let code = code.trim();
        let mut subtags = code.split(['-', '_']);
        let primary = subtags.next().filter(|p| !p.is_empty())?;
        let mut tag = primary.to_lowercase();
        let mut rest = false;
        for subtag in subtags {
            rest = true;
            tag.push('-');
            // Region subtags are upper case (`CA`, but `419` has no case), scripts title
            // case (`Hant`), anything else lower case.
            match subtag.len() {
                2 => tag.push_str(&subtag.to_uppercase()),
                4 if subtag.chars().all(|c| c.is_ascii_alphabetic()) => {
                    let mut chars = subtag.chars();
                    tag.extend(chars.next().map(|c| c.to_ascii_uppercase()));
                    tag.push_str(&chars.as_str().to_lowercase());
                }
                _ => tag.push_str(&subtag.to_lowercase()),
            }
        }
        rest.then_some(tag)
    }

    /// The code stored in the index and shown to users.
    pub fn code(&self) -> &str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
            Lang::Other(code) => code,
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A language is written as its code (`"fr"`), in JSON as in the index.
impl serde::Serialize for Lang {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

/// A language is read as metadata writes it, with [`Lang::parse`].
impl<'de> serde::Deserialize<'de> for Lang {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Lang, D::Error> {
        let code = String::deserialize(deserializer)?;
        Ok(Lang::parse(&code))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // issue 9, item 6: `fr-FR` became a language `fr-fr` of its own, on the plain chain.
    #[test]
    fn bcp47_tags_count_for_their_primary_language() {
        let cases: &[(&str, Lang, Option<&str>)] = &[
            ("fr", Lang::Fr, None),
            ("French", Lang::Fr, None),
            ("fr-FR", Lang::Fr, Some("fr-FR")),
            ("fr_CA", Lang::Fr, Some("fr-CA")),
            ("FR-ca", Lang::Fr, Some("fr-CA")),
            ("en-GB", Lang::En, Some("en-GB")),
            ("en-us", Lang::En, Some("en-US")),
            ("eng", Lang::En, None),
            ("pt-BR", Lang::Other("pt".into()), Some("pt-BR")),
            ("zh-hant-tw", Lang::Other("zh".into()), Some("zh-Hant-TW")),
            ("es-419", Lang::Other("es".into()), Some("es-419")),
            (" es ", Lang::Other("es".into()), None),
            ("-x", Lang::Other("-x".into()), None),
        ];
        for (code, lang, tag) in cases {
            assert_eq!(
                (Lang::parse(code), Lang::tag(code).as_deref()),
                (lang.clone(), *tag),
                "code {code:?}"
            );
        }
    }
}
