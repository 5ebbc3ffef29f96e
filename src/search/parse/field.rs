//! Field names and years: `lang:`, `type:`, `year:`, `symbol:` and `id:` filters, their
//! values, and the 4-digit years that belong to a symbol or a number.

use super::lexer::{closers, has_alnum, is_operator, is_separator, Lexer};
use super::{ErrorKind, FieldFilter, Node, ParseError};

/// Whether `s` is a 4-digit year: only such a parenthesized number joins the symbol or
/// number before it (`S/RES/2086 (2013)`).
pub(super) fn is_year(s: &str) -> bool {
    s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit())
}

#[derive(Debug, Clone, Copy)]
enum FieldName {
    Lang,
    Type,
    Year,
    Symbol,
    Id,
}

impl FieldName {
    fn from_name(name: &str) -> Option<FieldName> {
        let known = [
            ("lang", FieldName::Lang),
            ("type", FieldName::Type),
            ("doc_type", FieldName::Type),
            ("year", FieldName::Year),
            ("symbol", FieldName::Symbol),
            ("id", FieldName::Id),
        ];
        known
            .iter()
            .find(|(known, _)| known.eq_ignore_ascii_case(name))
            .map(|&(_, field)| field)
    }

    fn expects(self) -> &'static str {
        match self {
            FieldName::Lang => "lang: expects a language code such as fr or en",
            FieldName::Type => "type: expects a document type such as resolution",
            FieldName::Year => "year: expects a year such as 2015 or a range such as 1990..1994",
            FieldName::Symbol => "symbol: expects a document symbol such as S/RES/242",
            FieldName::Id => "id: expects a passage id such as udhr:article-1",
        }
    }
}

/// Whether `s` up to a `[` is a known field name and its colon (`year:`), so that a
/// bracketed range with spaces inside, `year:[1990 TO 1994]`, stays one word.
pub(super) fn is_field_prefix(s: &str) -> bool {
    let s = s.trim_start_matches(['-', '+']);
    s.strip_suffix(':')
        .is_some_and(|name| FieldName::from_name(name).is_some())
}

impl<'a> Lexer<'a> {
    /// A field filter if `raw` (starting at `start`) is `name:value` with a known name.
    /// May consume a value after the colon's word (a quoted value, or one after spaces).
    pub(super) fn field(&mut self, start: usize, raw: &'a str) -> Result<Option<Node>, ParseError> {
        let Some(colon) = raw.find(':') else {
            return Ok(None);
        };
        let Some(name) = FieldName::from_name(&raw[..colon]) else {
            return Ok(None);
        };
        let mut value = &raw[colon + 1..];
        let mut value_start = start + colon + 1;
        let mut quoted = false;
        if value.is_empty() {
            // The value is glued in quotes (`symbol:"S/RES/242 (1967)"`) or, leniently,
            // follows spaces (`lang: fr`).
            let next = self.input[self.pos..]
                .char_indices()
                .find(|(_, c)| !c.is_whitespace());
            if let Some((skip, c)) = next {
                let at = self.pos + skip;
                if closers(c).is_some() {
                    let (content, end) = self.scan_phrase(at)?;
                    (value, value_start, quoted) = (content.trim(), at, true);
                    self.pos = end;
                } else if !is_separator(c) {
                    let end = if c == '[' || c == '{' {
                        self.input[at..]
                            .find([']', '}'])
                            .map_or_else(|| self.scan_word(at), |close| at + close + 1)
                    } else {
                        self.scan_word(at)
                    };
                    let candidate = &self.input[at..end];
                    if !is_operator(candidate) {
                        (value, value_start) = (candidate, at);
                        self.pos = end;
                    }
                }
            }
        }
        let invalid = || self.error(ErrorKind::InvalidField, name.expects(), value_start);
        let bare = |v: &'a str| {
            if quoted {
                v
            } else {
                v.trim_end_matches(|c: char| !c.is_alphanumeric())
            }
        };
        let filter = match name {
            FieldName::Lang | FieldName::Type => {
                let v = value.trim_matches(|c: char| !c.is_alphanumeric());
                let valid = |c: char| c.is_alphanumeric() || c == '-' || c == '_';
                if v.is_empty() || !v.chars().all(valid) {
                    return Err(invalid());
                }
                match name {
                    FieldName::Lang => FieldFilter::Lang(v.to_string()),
                    _ => FieldFilter::Type(v.to_string()),
                }
            }
            FieldName::Year => {
                // Sentence punctuation after the value goes, but not the `..` of `1990..`.
                let v = value.trim().trim_end_matches([',', ';', '!', '?', ':']);
                let v = match v.strip_suffix('.') {
                    Some(rest) if !rest.ends_with('.') => rest,
                    _ => v,
                };
                let (from, to) = parse_year(v).ok_or_else(invalid)?;
                if let (Some(from), Some(to)) = (from, to) {
                    if from > to {
                        return Err(self.error(
                            ErrorKind::InvalidField,
                            format!(
                                "year: the range {v} is empty, its first year is after its last"
                            ),
                            value_start,
                        ));
                    }
                }
                FieldFilter::Year { from, to }
            }
            FieldName::Symbol => {
                let v = bare(value);
                if !has_alnum(v) {
                    return Err(invalid());
                }
                FieldFilter::Symbol(v.to_string())
            }
            FieldName::Id => {
                let v = if quoted {
                    value
                } else {
                    value.trim_end_matches([',', ';', '.', '!', '?', ':'])
                };
                if !has_alnum(v) {
                    return Err(invalid());
                }
                FieldFilter::Id(v.to_string())
            }
        };
        Ok(Some(Node::Field(filter)))
    }
}

/// Parses a `year:` value into inclusive bounds, `None` when it is not one.
fn parse_year(v: &str) -> Option<(Option<i64>, Option<i64>)> {
    // Up to 4 digits: a year, and small enough that ±1 for exclusive bounds cannot overflow.
    let year = |s: &str| -> Option<i64> {
        let s = s.trim();
        if s.is_empty() || s.len() > 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        s.parse().ok()
    };
    let open_or_year = |s: &str| -> Option<Option<i64>> {
        match s.trim() {
            "" | "*" => Some(None),
            s => year(s).map(Some),
        }
    };
    if let Some(inner) = v.strip_prefix(['[', '{']) {
        let exclusive_from = v.starts_with('{');
        let exclusive_to = inner.ends_with('}');
        let inner = inner.strip_suffix([']', '}'])?;
        let parts: Vec<&str> = inner.split_whitespace().collect();
        let [from, to_kw, to] = parts.as_slice() else {
            return None;
        };
        if !to_kw.eq_ignore_ascii_case("TO") {
            return None;
        }
        let from = open_or_year(from)?.map(|y| y + i64::from(exclusive_from));
        let to = open_or_year(to)?.map(|y| y - i64::from(exclusive_to));
        return Some((from, to));
    }
    if let Some(rest) = v.strip_prefix(">=") {
        return Some((Some(year(rest)?), None));
    }
    if let Some(rest) = v.strip_prefix("<=") {
        return Some((None, Some(year(rest)?)));
    }
    if let Some(rest) = v.strip_prefix('>') {
        return Some((Some(year(rest)? + 1), None));
    }
    if let Some(rest) = v.strip_prefix('<') {
        return Some((None, Some(year(rest)? - 1)));
    }
    if let Some((from, to)) = v.split_once("..") {
        let (from, to) = (open_or_year(from)?, open_or_year(to)?);
        if from.is_none() && to.is_none() {
            return None;
        }
        return Some((from, to));
    }
    if let Some((from, to)) = v.split_once(['-', '–']) {
        return Some((Some(year(from)?), Some(year(to)?)));
    }
    let y = year(v)?;
    Some((Some(y), Some(y)))
}
