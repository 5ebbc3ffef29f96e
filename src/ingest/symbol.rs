//! What a document's file name and first lines tell of it: its UN symbol, language and
//! year, for the formats that carry no such metadata in a field (PDF, Word, HTML).
//!
//! The Official Document System names its files after the symbol, with `_` for `/` and
//! a language letter last: `S_RES_2086_2013_F.pdf` is `S/RES/2086 (2013)` in French. A
//! document's first lines (a PDF's page header) carry the symbol too, and its date line
//! (`12 mars 2013`, `12 March 2013`) the year.
//!
//! ```
//! use quorum::ingest::symbol::{from_file_name, lang_of_file_name, from_lines, year_of};
//! use quorum::Lang;
//!
//! assert_eq!(from_file_name("S_RES_2086_2013_F.pdf").as_deref(), Some("S/RES/2086 (2013)"));
//! assert_eq!(from_file_name("S_2014_648_E.docx").as_deref(), Some("S/2014/648"));
//! assert_eq!(lang_of_file_name("S_RES_2086_2013_F.pdf"), Some(Lang::Fr));
//! assert_eq!(lang_of_file_name("report.en.html"), Some(Lang::En));
//! assert_eq!(from_lines("Nations Unies\nS/RES/2086 (2013)\nConseil").as_deref(), Some("S/RES/2086 (2013)"));
//! assert_eq!(year_of("S/PRST/2015/4"), Some(2015));
//! ```

use std::sync::LazyLock;

use regex::Regex;

use crate::lang::Lang;

/// How many of a document's first non-blank lines are searched for its symbol and date.
pub const FIRST_LINES: usize = 12;

/// A Security Council or General Assembly symbol as printed: `S/RES/2086 (2013)`,
/// `S/PRST/2015/4`, `S/2014/648/Add.1`, `A/RES/70/1`.
static SYMBOL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b(?:S/RES/\d{1,5}\s*\(\d{4}\)|S/PRST/\d{4}/\d{1,4}|S/\d{4}/\d{1,5}|A/RES/\d{1,3}/\d{1,4})(?:/(?:Add|Corr|Rev)\.\d{1,3})*",
    )
    .expect("the symbol pattern is valid")
});

/// A date as a UN document's date line writes it, in French, English or ISO form.
static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:\d{1,2}(?:er)?\s+(?:janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre)\s+(\d{4})|\d{1,2}\s+(?:January|February|March|April|May|June|July|August|September|October|November|December)\s+(\d{4})|(?:January|February|March|April|May|June|July|August|September|October|November|December)\s+\d{1,2},\s+(\d{4})|(\d{4})-\d{2}-\d{2})\b",
    )
    .expect("the date pattern is valid")
});

/// The symbol that a file name spells with `_` for `/`, after any language suffix:
/// `S_RES_2086_2013_F.pdf` → `S/RES/2086 (2013)`, `S_PRST_2015_4.pdf` → `S/PRST/2015/4`.
pub fn from_file_name(name: &str) -> Option<String> {
    let stem = strip_lang(stem(name));
    let parts: Vec<&str> = stem.split('_').collect();
    let symbol = match parts.as_slice() {
        ["S" | "s", res, number, year] if res.eq_ignore_ascii_case("RES") && is_year(year) => {
            format!("S/RES/{} ({year})", digits(number)?)
        }
        ["S" | "s", prst, year, number] if prst.eq_ignore_ascii_case("PRST") && is_year(year) => {
            format!("S/PRST/{year}/{}", digits(number)?)
        }
        ["S" | "s", year, number] if is_year(year) => format!("S/{year}/{}", digits(number)?),
        ["A" | "a", res, session, number] if res.eq_ignore_ascii_case("RES") => {
            format!("A/RES/{}/{}", digits(session)?, digits(number)?)
        }
        _ => return None,
    };
    Some(symbol)
}

/// The symbol printed in the first [`FIRST_LINES`] non-blank lines of a text, with its
/// spaces made single.
pub fn from_lines(text: &str) -> Option<String> {
    first_lines(text).find_map(|line| {
        SYMBOL
            .find(line)
            .map(|m| m.as_str().split_whitespace().collect::<Vec<_>>().join(" "))
    })
}

/// The year of a symbol: `S/RES/2086 (2013)` → 2013, `S/2014/648` → 2014; `None` for a
/// symbol that carries none (`A/RES/70/1` counts sessions).
pub fn year_of(symbol: &str) -> Option<i64> {
    if let Some(open) = symbol.rfind('(') {
        return symbol[open + 1..].get(..4)?.parse().ok();
    }
    let mut parts = symbol.split('/');
    if parts.next() != Some("S") {
        return None;
    }
    let second = parts.next()?;
    let year = if second == "PRST" {
        parts.next()?
    } else {
        second
    };
    is_year(year).then(|| year.parse().ok()).flatten()
}

/// The kind of document a symbol names, in the words of the corpus's `doc_type`.
pub fn doc_type(symbol: &str) -> Option<&'static str> {
    if symbol.starts_with("S/RES/") || symbol.starts_with("A/RES/") {
        Some("resolution")
    } else if symbol.starts_with("S/PRST/") {
        Some("presidential_statement")
    } else if symbol.starts_with("S/") {
        Some("security_council_document")
    } else {
        None
    }
}

/// The first date line's text and year in a text's first lines.
pub fn date_of(text: &str) -> Option<(String, i64)> {
    first_lines(text).find_map(|line| {
        let caps = DATE.captures(line)?;
        let year = (1..=4).find_map(|i| caps.get(i))?.as_str().parse().ok()?;
        Some((caps.get(0)?.as_str().to_string(), year))
    })
}

/// The language that a file name's last part names: `_F`, `_FR`, `-fr`, `.fr.` for
/// French, `_E`, `_EN`, `-en`, `.en.` for English, in any case.
pub fn lang_of_file_name(name: &str) -> Option<Lang> {
    let stem = stem(name);
    let cut = stem.rfind(['_', '-', '.'])?;
    lang_code(&stem[cut + 1..])
}

/// The language a suffix names.
fn lang_code(suffix: &str) -> Option<Lang> {
    match suffix.to_ascii_lowercase().as_str() {
        "f" | "fr" | "fra" | "fre" => Some(Lang::Fr),
        "e" | "en" | "eng" => Some(Lang::En),
        _ => None,
    }
}

/// A file name without its last extension.
fn stem(name: &str) -> &str {
    match name.rfind('.') {
        Some(dot) if dot > 0 => &name[..dot],
        _ => name,
    }
}

/// A stem without the language suffix that [`lang_of_file_name`] reads.
fn strip_lang(stem: &str) -> &str {
    match stem.rfind(['_', '-', '.']) {
        Some(cut) if lang_code(&stem[cut + 1..]).is_some() => &stem[..cut],
        _ => stem,
    }
}

fn first_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(FIRST_LINES)
}

fn is_year(part: &str) -> bool {
    part.len() == 4 && part.bytes().all(|b| b.is_ascii_digit()) && (part >= "1945")
}

/// A part made of ASCII digits, without leading zeros.
fn digits(part: &str) -> Option<&str> {
    let trimmed = part.trim_start_matches('0');
    (!part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()) && !trimmed.is_empty())
        .then_some(trimmed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_give_symbols_and_languages() {
        let cases: &[(&str, Option<&str>, Option<Lang>)] = &[
            (
                "S_RES_2086_2013_F.pdf",
                Some("S/RES/2086 (2013)"),
                Some(Lang::Fr),
            ),
            (
                "S_RES_2086_2013_E.pdf",
                Some("S/RES/2086 (2013)"),
                Some(Lang::En),
            ),
            ("s_res_242_1967.pdf", Some("S/RES/242 (1967)"), None),
            (
                "S_PRST_2015_4-fr.docx",
                Some("S/PRST/2015/4"),
                Some(Lang::Fr),
            ),
            ("S_2014_0648_EN.html", Some("S/2014/648"), Some(Lang::En)),
            ("A_RES_70_1_F.pdf", Some("A/RES/70/1"), Some(Lang::Fr)),
            ("rapport.fr.html", None, Some(Lang::Fr)),
            ("report-en.pdf", None, Some(Lang::En)),
            ("S_RES_12_1066_F.pdf", None, Some(Lang::Fr)),
            ("notes.pdf", None, None),
            ("Annexe.pdf", None, None),
        ];
        for (name, symbol, lang) in cases {
            assert_eq!(from_file_name(name).as_deref(), *symbol, "symbol of {name}");
            assert_eq!(lang_of_file_name(name), *lang, "language of {name}");
        }
    }

    #[test]
    fn first_lines_give_symbols_and_dates() {
        let text = "Nations Unies\n\n  S/RES/2086  (2013)  \nConseil de sécurité\nDistr. générale\n21 janvier 2013\n";
        assert_eq!(from_lines(text).as_deref(), Some("S/RES/2086 (2013)"));
        assert_eq!(date_of(text), Some(("21 janvier 2013".to_string(), 2013)));
        let english =
            "United Nations S/2014/648/Add.1\nSecurity Council Distr.: General\n5 September 2014";
        assert_eq!(from_lines(english).as_deref(), Some("S/2014/648/Add.1"));
        assert_eq!(date_of(english).map(|d| d.1), Some(2014));
        assert_eq!(date_of("Issued on 2014-09-05").map(|d| d.1), Some(2014));
        assert_eq!(from_lines("The Council recalls resolution 242."), None);
        let late = format!("{}S/RES/1 (1946)", "line\n".repeat(FIRST_LINES));
        assert_eq!(from_lines(&late), None, "only the first lines are read");
    }

    #[test]
    fn symbols_give_years() {
        let cases: &[(&str, Option<i64>)] = &[
            ("S/RES/2086 (2013)", Some(2013)),
            ("S/PRST/2015/4", Some(2015)),
            ("S/2014/648/Add.1", Some(2014)),
            ("A/RES/70/1", None),
            ("S/RES/12", None),
        ];
        for (symbol, year) in cases {
            assert_eq!(year_of(symbol), *year, "{symbol}");
        }
        assert_eq!(doc_type("S/RES/2086 (2013)"), Some("resolution"));
        assert_eq!(doc_type("S/PRST/2015/4"), Some("presidential_statement"));
        assert_eq!(doc_type("S/2014/648"), Some("security_council_document"));
    }
}
