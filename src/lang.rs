//! The language of a text, which decides the analysis chain it goes through.
//!
//! quorum analyzes French and English fully (elision, stop words, stemming). Any
//! other language that metadata declares is kept as [`Lang::Other`] and indexed
//! with a plain chain, without stop words or stemming.
//!
//! ```
//! use quorum::Lang;
//! assert_eq!(Lang::parse("FR"), Lang::Fr);
//! assert_eq!(Lang::parse("eng"), Lang::En);
//! assert_eq!(Lang::parse("es").code(), "es");
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
    /// `français`, `en`, `eng`, `English`. Anything else becomes [`Lang::Other`].
    pub fn parse(code: &str) -> Lang {
        let lower = code.trim().to_lowercase();
        match lower.as_str() {
            "fr" | "fra" | "fre" | "french" | "français" | "francais" => Lang::Fr,
            "en" | "eng" | "english" | "anglais" => Lang::En,
            _ => Lang::Other(lower),
        }
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
