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
    /// Reads `raw`, refusing a name outside `known` or a name given twice.
    fn read(raw: Option<&str>, known: &[&str]) -> Result<Params, ApiError> {
        let mut map = BTreeMap::new();
        for (name, value) in form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
            if !known.contains(&name.as_ref()) {
                return Err(ApiError::bad_request(format!(
                    "unknown parameter {name:?}: the parameters are {}",
                    known.join(", ")
                )));
            }
            if map.insert(name.to_string(), value.into_owned()).is_some() {
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

    fn number(&self, name: &str) -> Result<Option<usize>, ApiError> {
        self.get(name)
            .map(|v| {
                v.parse::<usize>().map_err(|_| {
                    ApiError::bad_request(format!("{name} must be a whole number, not {v:?}"))
                })
            })
            .transpose()
    }

    /// A yes-or-no parameter: `true` or `1`, `false` or `0`; absent is false.
    fn flag(&self, name: &str) -> Result<bool, ApiError> {
        match self.get(name) {
            None | Some("false") | Some("0") => Ok(false),
            Some("true") | Some("1") => Ok(true),
            Some(other) => Err(ApiError::bad_request(format!(
                "{name} must be true or false (or 1 or 0), not {other:?}"
            ))),
        }
    }

    fn lang(&self) -> Result<Option<Lang>, ApiError> {
        match self.get("lang") {
            None => Ok(None),
            Some("fr") => Ok(Some(Lang::Fr)),
            Some("en") => Ok(Some(Lang::En)),
            Some(other) => Err(ApiError::bad_request(format!(
                "unknown lang {other:?}: fr or en"
            ))),
        }
    }
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
        request.sort = sort
            .parse::<Sort>()
            .map_err(|e| ApiError::bad_request(e.to_string()))?;
    }
    request.matching = match params.get("match") {
        None | Some("frequency") => crate::search::Matching::Frequency,
        Some("all") => crate::search::Matching::All,
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "unknown match {other:?}: frequency or all"
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
            "year must be a year or a range (1994, 1990..1994, 1990.., ..1994), not {text:?}"
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
}
