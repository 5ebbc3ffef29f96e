//! The query strings of the API, read into library requests: every parameter checked,
//! an unknown name or value refused with a 400 that says which.

use std::collections::BTreeMap;

use super::error::ApiError;
use crate::search::{Request, Sort};
use crate::Lang;

/// The longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 1_000;
/// The most results a page may ask for; a larger `limit` is capped to it.
pub const MAX_LIMIT: usize = 100;
/// The most results a page may skip: deeper pages cost a collection of every hit
/// before them.
pub const MAX_OFFSET: usize = 10_000;
/// The longest document id accepted, in characters.
pub const MAX_ID_CHARS: usize = 1_000;

/// A query string's parameters by name, each given once.
struct Params(BTreeMap<String, String>);

impl Params {
    /// Reads `raw`, refusing a name outside `known`, a name given twice, and a name or
    /// value that is not UTF-8 once decoded.
    fn read(raw: Option<&str>, known: &[&str]) -> Result<Params, ApiError> {
        let mut map = BTreeMap::new();
        for pair in raw.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let name = decode(name).ok_or_else(|| {
                ApiError::bad_request("a parameter name is not UTF-8 once decoded")
            })?;
            if !known.contains(&name.as_str()) {
                return Err(ApiError::bad_request(format!(
                    "unknown parameter {}: the parameters are {}",
                    shown(&name),
                    known.join(", ")
                )));
            }
            let value = decode(value).ok_or_else(|| {
                ApiError::bad_request(format!("the value of {name} is not UTF-8 once decoded"))
            })?;
            if map.insert(name.clone(), value).is_some() {
                return Err(ApiError::bad_request(format!(
                    "parameter {name:?} is given twice"
                )));
            }
        }
        Ok(Params(map))
    }

    /// The value of `name`, `None` when absent or empty (a form's unset field).
    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// A whole number, read as `quorum search --limit` reads one; a number past what
    /// the machine counts is refused as too large (the caller caps or refuses what is
    /// merely large).
    fn number(&self, name: &str) -> Result<Option<usize>, ApiError> {
        let Some(value) = self.get(name) else {
            return Ok(None);
        };
        value.parse::<usize>().map(Some).map_err(|e| {
            ApiError::bad_request(match e.kind() {
                std::num::IntErrorKind::PosOverflow => {
                    format!("{name} {} is too large", shown(value))
                }
                _ => format!("{name} must be a whole number, not {}", shown(value)),
            })
        })
    }

    /// A yes-or-no parameter: `true` or `1`, `false` or `0`; absent is false.
    fn flag(&self, name: &str) -> Result<bool, ApiError> {
        match self.get(name) {
            None | Some("false") | Some("0") => Ok(false),
            Some("true") | Some("1") => Ok(true),
            Some(other) => Err(ApiError::bad_request(format!(
                "{name} must be true or false (or 1 or 0), not {}",
                shown(other)
            ))),
        }
    }

    fn lang(&self) -> Result<Option<Lang>, ApiError> {
        match self.get("lang") {
            None => Ok(None),
            Some("fr") => Ok(Some(Lang::Fr)),
            Some("en") => Ok(Some(Lang::En)),
            Some(other) => Err(ApiError::bad_request(format!(
                "unknown lang {}: fr or en",
                shown(other)
            ))),
        }
    }
}

/// Characters of a refused name or value quoted in an error, at most: an error echoes
/// what was sent, and a value of 60 KB should not come back whole.
const SHOWN_CHARS: usize = 40;

/// `text` as an error quotes it, cut after [`SHOWN_CHARS`] characters.
fn shown(text: &str) -> String {
    let raw = shown_raw(text);
    if raw.len() < text.len() {
        format!("{:?}…", raw)
    } else {
        format!("{raw:?}")
    }
}

/// The first [`SHOWN_CHARS`] characters of `text`.
fn shown_raw(text: &str) -> &str {
    text.char_indices()
        .nth(SHOWN_CHARS)
        .map_or(text, |(end, _)| &text[..end])
}

/// One name or value of a query string decoded (`+` is a space, `%XX` a byte), or
/// `None` when the bytes are not UTF-8: a `%FF` is refused rather than searched for as
/// U+FFFD. A `%` not followed by two hex digits stands for itself, as browsers read it.
fn decode(part: &str) -> Option<String> {
    let bytes = part.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => match (hex(bytes.get(i + 1)), hex(bytes.get(i + 2))) {
                (Some(high), Some(low)) => {
                    out.push(high << 4 | low);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

/// The value of one hex digit.
fn hex(digit: Option<&u8>) -> Option<u8> {
    char::from(*digit?).to_digit(16).map(|d| d as u8)
}

/// The parameters of `GET /api/search`.
pub const SEARCH: [&str; 10] = [
    "q", "lang", "type", "year", "limit", "offset", "group", "sort", "match", "cross",
];

/// `GET /api/search`'s query string as a request, and the notices it earns (a capped
/// limit).
pub fn search(raw: Option<&str>) -> Result<(Request, Vec<String>), ApiError> {
    let params = Params::read(raw, &SEARCH)?;
    let query = params
        .get("q")
        .ok_or_else(|| ApiError::bad_request("the q parameter (the query) is missing"))?;
    if query.chars().count() > MAX_QUERY_CHARS {
        return Err(ApiError::bad_request(format!(
            "the query is longer than {MAX_QUERY_CHARS} characters"
        )));
    }
    let mut notices = Vec::new();
    let mut request = Request::new(query);
    request.cross = params.flag("cross")?;
    match params.lang()? {
        // The words of a cross-language query may be in either language, as with
        // `quorum search --cross --lang`: the language only filters the passages.
        Some(lang) if request.cross => request.filters.lang = Some(lang),
        Some(lang) => request = request.with_lang(lang),
        None => {}
    }
    request.filters.doc_type = params.get("type").map(str::to_lowercase);
    if let Some(year) = params.get("year") {
        request.filters.years = Some(years(year)?);
    }
    if let Some(limit) = params.number("limit")? {
        if limit > MAX_LIMIT {
            notices.push(format!("limit {limit} was capped at {MAX_LIMIT}"));
        }
        request.limit = limit.min(MAX_LIMIT);
    }
    if let Some(offset) = params.number("offset")? {
        if offset > MAX_OFFSET {
            return Err(ApiError::bad_request(format!(
                "offset must be at most {MAX_OFFSET}"
            )));
        }
        request.offset = offset;
    }
    request.group = params.flag("group")?;
    if let Some(sort) = params.get("sort") {
        request.sort = sort.parse::<Sort>().map_err(|_| {
            ApiError::bad_request(
                crate::search::sort::UnknownSort(shown_raw(sort).to_string()).to_string(),
            )
        })?;
    }
    request.matching = match params.get("match") {
        None | Some("frequency") => crate::search::Matching::Frequency,
        Some("all") => crate::search::Matching::All,
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "unknown match {}: frequency or all",
                shown(other)
            )))
        }
    };
    Ok((request, notices))
}

/// A `year` value: `1994`, `1990..1994`, `1990..` or `..1994` (a `-` may stand for
/// `..`).
fn years(text: &str) -> Result<(Option<i64>, Option<i64>), ApiError> {
    let bad = || {
        ApiError::bad_request(format!(
            "year must be a year or a range (1994, 1990..1994, 1990.., ..1994), not {}",
            shown(text)
        ))
    };
    let year = |part: &str| -> Result<Option<i64>, ApiError> {
        let part = part.trim();
        if part.is_empty() {
            return Ok(None);
        }
        match part.parse::<i64>() {
            Ok(y) if (0..=9999).contains(&y) => Ok(Some(y)),
            _ => Err(bad()),
        }
    };
    let (from, to) = match text.split_once("..").or_else(|| text.split_once('-')) {
        Some((from, to)) => (year(from)?, year(to)?),
        None => {
            let y = year(text)?.ok_or_else(bad)?;
            (Some(y), Some(y))
        }
    };
    if let (Some(from), Some(to)) = (from, to) {
        if from > to {
            return Err(bad());
        }
    }
    Ok((from, to))
}

/// The parameters of `GET /api/doc`.
pub const DOC: [&str; 2] = ["id", "lang"];

/// `GET /api/doc`'s query string: the id and the language asked for.
pub fn doc(raw: Option<&str>) -> Result<(String, Option<Lang>), ApiError> {
    let params = Params::read(raw, &DOC)?;
    let id = params
        .get("id")
        .ok_or_else(|| ApiError::bad_request("the id parameter (a document id) is missing"))?;
    if id.chars().count() > MAX_ID_CHARS {
        return Err(ApiError::bad_request(format!(
            "the id is longer than {MAX_ID_CHARS} characters"
        )));
    }
    Ok((id.to_string(), params.lang()?))
}

/// True when `path`, percent-decoded, is UTF-8: a path that is not gets a 400 rather
/// than a 404, since no name could match it.
pub fn utf8_path(path: &str) -> bool {
    decode(&path.replace('+', "%2B")).is_some()
}

/// A query string that must be empty (`/api/stats`, `/healthz`).
pub fn none(raw: Option<&str>) -> Result<(), ApiError> {
    Params::read(raw, &[]).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_parameters_become_a_request() {
        let (request, notices) =
            search(Some("q=S%2FRES%2F242+(1967)&lang=fr&type=Resolution&year=1990..1994&limit=500&offset=20&group=true&sort=-date"))
                .expect("valid");
        assert_eq!(request.query, "S/RES/242 (1967)");
        assert_eq!(request.query_lang, Some(Lang::Fr));
        assert_eq!(request.filters.lang, Some(Lang::Fr));
        assert_eq!(request.filters.doc_type.as_deref(), Some("resolution"));
        assert_eq!(request.filters.years, Some((Some(1990), Some(1994))));
        assert_eq!((request.limit, request.offset), (MAX_LIMIT, 20));
        assert!(request.group);
        assert_eq!(request.sort, Sort::Newest);
        assert_eq!(notices, ["limit 500 was capped at 100"]);
        // Empty values are unset fields of a form.
        let (request, _) = search(Some("q=paix&lang=&type=&year=&sort=")).expect("valid");
        assert_eq!(request, Request::new("paix"));
    }

    #[test]
    fn bad_parameters_are_refused_with_the_reason() {
        for (raw, says) in [
            ("", "q parameter"),
            ("q=paix&limit=ten", "limit must be a whole number"),
            ("q=paix&limit=-1", "limit must be a whole number"),
            ("q=paix&lang=de", "unknown lang"),
            ("q=paix&sort=year", "unknown sort"),
            ("q=paix&year=19x4", "year must be"),
            ("q=paix&year=1994..1990", "year must be"),
            ("q=paix&group=maybe", "group must be"),
            ("q=paix&cross=maybe", "cross must be true or false"),
            ("q=paix&cross=yes", "cross must be"),
            ("q=paix&colour=red", "unknown parameter \"colour\""),
            ("q=paix&q=guerre", "given twice"),
            ("q=paix&offset=99999", "offset must be at most"),
            ("q=paix&match=some", "unknown match"),
        ] {
            let error = search(Some(raw)).expect_err(raw);
            assert_eq!(error.status, axum::http::StatusCode::BAD_REQUEST, "{raw}");
            assert!(error.message.contains(says), "{raw}: {}", error.message);
        }
        let long = format!("q={}", "a".repeat(MAX_QUERY_CHARS + 1));
        assert!(search(Some(&long)).is_err());
        let longest = format!("q={}", "é".repeat(MAX_QUERY_CHARS));
        assert!(search(Some(&longest)).is_ok());
    }

    #[test]
    fn cross_keeps_the_language_as_a_filter_only() {
        for raw in [
            "q=peacekeeping&cross=1&lang=fr",
            "q=peacekeeping&cross=true&lang=fr",
        ] {
            let (request, _) = search(Some(raw)).expect("valid");
            assert!(request.cross, "{raw}");
            assert_eq!(request.filters.lang, Some(Lang::Fr), "{raw}");
            assert_eq!(request.query_lang, None, "{raw}");
        }
        for raw in ["q=peacekeeping&lang=fr", "q=peacekeeping&cross=0&lang=fr"] {
            let (request, _) = search(Some(raw)).expect("valid");
            assert!(!request.cross, "{raw}");
            assert_eq!(request, Request::new("peacekeeping").with_lang(Lang::Fr));
        }
        let (request, _) = search(Some("q=peacekeeping&cross=false")).expect("valid");
        assert_eq!(request, Request::new("peacekeeping"));
    }

    #[test]
    fn years_read_as_ranges() {
        assert_eq!(years("1994").ok(), Some((Some(1994), Some(1994))));
        assert_eq!(years("1990-1994").ok(), Some((Some(1990), Some(1994))));
        assert_eq!(years("1990..").ok(), Some((Some(1990), None)));
        assert_eq!(years("..1994").ok(), Some((None, Some(1994))));
        assert!(years("..").is_ok());
    }

    #[test]
    fn doc_parameters_hold_ids_with_slashes_and_spaces() {
        let (id, lang) = doc(Some("id=S%2FRES%2F242%20(1967)&lang=en")).expect("valid");
        assert_eq!((id.as_str(), lang), ("S/RES/242 (1967)", Some(Lang::En)));
        assert!(doc(Some("lang=en")).is_err());
        assert!(doc(Some("id=x&path=..%2F..%2Fetc")).is_err());
    }

    #[test]
    fn names_and_values_decode_strictly_as_utf8() {
        assert_eq!(
            decode("S%2FRES%2F242+(1967)").as_deref(),
            Some("S/RES/242 (1967)")
        );
        assert_eq!(decode("s%C3%A9curit%c3%a9").as_deref(), Some("sécurité"));
        // A `%` without two hex digits stands for itself; `%+1` is no byte.
        assert_eq!(decode("100%").as_deref(), Some("100%"));
        assert_eq!(decode("%+1%2").as_deref(), Some("% 1%2"));
        assert_eq!(decode("%zz").as_deref(), Some("%zz"));
        for bad in ["%FF", "%C3%28", "paix%80", "%ED%A0%80", "%C3"] {
            assert_eq!(decode(bad), None, "{bad}");
        }
        for (raw, says) in [
            ("q=%FF", "value of q is not UTF-8"),
            ("q=paix%C3%28", "value of q is not UTF-8"),
            ("q=paix&lang=%FF", "value of lang is not UTF-8"),
            ("q=paix&limit=1%FF", "value of limit is not UTF-8"),
            ("q=paix&%FF=1", "name is not UTF-8"),
            ("%C3%28=paix", "name is not UTF-8"),
        ] {
            let error = search(Some(raw)).expect_err(raw);
            assert_eq!(error.status, axum::http::StatusCode::BAD_REQUEST, "{raw}");
            assert!(error.message.contains(says), "{raw}: {}", error.message);
        }
        assert!(doc(Some("id=%FF")).is_err());
        assert!(none(Some("%FF")).is_err());
        assert!(utf8_path("/api/search"));
        assert!(utf8_path("/a+b%20c%C3%A9"));
        assert!(!utf8_path("/api/search%FF"));
        assert!(!utf8_path("/%C3%28"));
    }

    #[test]
    fn numbers_say_why_they_are_refused() {
        for (raw, says) in [
            (
                "q=paix&limit=-1",
                "limit must be a whole number, not \"-1\"",
            ),
            ("q=paix&limit=1e6", "limit must be a whole number"),
            ("q=paix&limit=1.5", "limit must be a whole number"),
            (
                "q=paix&limit=18446744073709551616",
                "limit \"18446744073709551616\" is too large",
            ),
            ("q=paix&offset=-1", "offset must be a whole number"),
            (
                "q=paix&offset=18446744073709551616",
                "offset \"18446744073709551616\" is too large",
            ),
            ("q=paix&offset=1000000", "offset must be at most 10000"),
        ] {
            let error = search(Some(raw)).expect_err(raw);
            assert!(error.message.contains(says), "{raw}: {}", error.message);
        }
        // Past the page size, a limit is capped, however large, as long as it is a number.
        for limit in ["101", "1000000", "18446744073709551615"] {
            let (request, notices) = search(Some(&format!("q=paix&limit={limit}"))).expect(limit);
            assert_eq!(request.limit, MAX_LIMIT);
            assert_eq!(
                notices,
                [format!("limit {limit} was capped at {MAX_LIMIT}")]
            );
        }
        let (request, _) = search(Some("q=paix&limit=0&offset=10000")).expect("valid");
        assert_eq!((request.limit, request.offset), (0, MAX_OFFSET));
    }

    #[test]
    fn an_error_quotes_a_long_value_cut() {
        let long = "x".repeat(100_000);
        for raw in [
            format!("q=paix&lang={long}"),
            format!("q=paix&sort={long}"),
            format!("q=paix&limit={long}"),
            format!("q=paix&year={long}"),
            format!("q=paix&{long}=1"),
        ] {
            let error = search(Some(&raw)).expect_err("refused");
            assert!(error.message.len() < 300, "{}", error.message);
            assert!(
                error.message.contains(&"x".repeat(SHOWN_CHARS)),
                "{}",
                error.message
            );
        }
        assert_eq!(shown("paix"), "\"paix\"");
        assert_eq!(shown(&"é".repeat(41)), format!("{:?}…", "é".repeat(40)));
    }
}
