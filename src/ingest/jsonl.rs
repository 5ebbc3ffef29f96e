//! Reading JSON Lines files: one document per line, each line on its own.
//!
//! A line is checked alone, so a broken line is skipped with its number and the lines
//! after it are still read. `id` (a string, or a number written as one) and `text` (a
//! string that is not blank) are required; `lang`, `symbol`, `title`, `date`, `year` and
//! `doc_type` are read when present, and any other field is ignored. An optional field of
//! the wrong type is dropped with a warning rather than losing the whole record.
//!
//! ```
//! use quorum::ingest::jsonl::{parse_line, Lines};
//!
//! let file = "{\"id\": 1, \"text\": \"Le Conseil.\", \"date\": \"1946-01-25\"}\n\n{oops\n";
//! let lines: Vec<(usize, &str)> = Lines::new(file).collect();
//! assert_eq!(lines, [(1, lines[0].1), (3, "{oops")]); // the blank line 2 is left out
//! let (record, warnings) = parse_line(lines[0].1)?;
//! assert_eq!((record.id.as_str(), record.year), ("1", Some(1946)));
//! assert!(warnings.is_empty());
//! assert!(parse_line(lines[1].1).is_err());
//! # Ok::<(), quorum::ingest::SkipReason>(())
//! ```

use serde::Deserialize;
use serde_json::Value;

use super::SkipReason;
use crate::lang::Lang;

/// The non-blank lines of a JSONL text with their 1-based numbers, without their line
/// ending. Borrowing from the text, it never copies the file.
#[derive(Debug, Clone)]
pub struct Lines<'a> {
    text: &'a str,
    /// Byte offset of the next line.
    pos: usize,
    /// Number of the last line read.
    number: usize,
}

impl<'a> Lines<'a> {
    /// The lines of `text`.
    pub fn new(text: &'a str) -> Lines<'a> {
        Lines::resume(text, 0, 0)
    }

    /// The lines of `text` from byte `pos` on, `number` lines having been read before it.
    /// Together with [`Lines::position`] this lets an owner of the text read it lazily
    /// without borrowing it for the whole time.
    pub fn resume(text: &'a str, pos: usize, number: usize) -> Lines<'a> {
        Lines { text, pos, number }
    }

    /// The byte offset of the next line and the number of the last line read.
    pub fn position(&self) -> (usize, usize) {
        (self.pos, self.number)
    }
}

impl<'a> Iterator for Lines<'a> {
    type Item = (usize, &'a str);

    fn next(&mut self) -> Option<(usize, &'a str)> {
        while let Some(rest) = self.text.get(self.pos..).filter(|r| !r.is_empty()) {
            let len = rest.find('\n').unwrap_or(rest.len());
            let line = &rest[..len];
            self.pos += (len + 1).min(rest.len());
            self.number += 1;
            let line = line.strip_suffix('\r').unwrap_or(line);
            if !line.trim().is_empty() {
                return Some((self.number, line));
            }
        }
        None
    }
}

/// The fields of one JSONL record that ingestion uses.
#[derive(Clone, Debug, PartialEq)]
pub struct Record {
    /// `id`, with a number written out as a string.
    pub id: String,
    /// `text`, as it is.
    pub text: String,
    /// `lang` read with [`Lang::parse`]; `None` when absent or blank.
    pub lang: Option<Lang>,
    /// `lang` as a full BCP 47 tag ([`Lang::tag`]) when it has more than a language, such
    /// as `fr-CA`.
    pub lang_tag: Option<String>,
    /// `symbol`, such as `S/RES/242 (1967)`.
    pub symbol: Option<String>,
    /// `title`.
    pub title: Option<String>,
    /// `date`, as written.
    pub date: Option<String>,
    /// `year`, or else the leading four digits of `date`.
    pub year: Option<i64>,
    /// `doc_type`, such as `resolution`.
    pub doc_type: Option<String>,
}

/// The record as JSON gives it, before checking types. Fields are kept as raw values so
/// that a wrongly typed optional field costs a warning, not the record.
#[derive(Deserialize)]
struct Raw {
    id: Option<Value>,
    text: Option<Value>,
    lang: Option<Value>,
    symbol: Option<Value>,
    title: Option<Value>,
    date: Option<Value>,
    year: Option<Value>,
    doc_type: Option<Value>,
}

/// Parses one line into a record and the warnings it raised, or says why it is skipped.
///
/// # Errors
///
/// [`SkipReason::InvalidJson`] when the line is not JSON, [`SkipReason::NotAnObject`] when
/// it is JSON but not an object,
/// [`SkipReason::MissingField`] when `id` or `text` is absent or null,
/// [`SkipReason::InvalidField`] when one of them has the wrong type (or `id` is blank),
/// [`SkipReason::EmptyText`] when `text` is blank.
pub fn parse_line(line: &str) -> Result<(Record, Vec<String>), SkipReason> {
    // serde would read an array of eight values as a record, and name its own struct in
    // the error for any other: what is not an object is told apart first.
    let first = line.trim_start().bytes().next();
    if first != Some(b'{') {
        return Err(match serde_json::from_str::<serde::de::IgnoredAny>(line) {
            Err(err) => SkipReason::InvalidJson(describe(&err)),
            Ok(_) => SkipReason::NotAnObject(json_kind(first)),
        });
    }
    let raw: Raw =
        serde_json::from_str(line).map_err(|err| SkipReason::InvalidJson(describe(&err)))?;
    let id = match raw.id {
        None | Some(Value::Null) => return Err(SkipReason::MissingField("id")),
        Some(Value::String(s)) if !s.trim().is_empty() => s,
        Some(Value::Number(n)) => n.to_string(),
        Some(_) => {
            return Err(SkipReason::InvalidField {
                field: "id",
                expected: "a non-empty string or a number",
            })
        }
    };
    let text = match raw.text {
        None | Some(Value::Null) => return Err(SkipReason::MissingField("text")),
        Some(Value::String(s)) if s.trim().is_empty() => return Err(SkipReason::EmptyText),
        Some(Value::String(s)) => s,
        Some(_) => {
            return Err(SkipReason::InvalidField {
                field: "text",
                expected: "a string",
            })
        }
    };
    let mut warnings = Vec::new();
    let lang_code = optional_string("lang", raw.lang, &mut warnings);
    let lang = lang_code.as_deref().map(Lang::parse);
    let lang_tag = lang_code.as_deref().and_then(Lang::tag);
    let symbol = optional_string("symbol", raw.symbol, &mut warnings);
    let title = optional_string("title", raw.title, &mut warnings);
    let date = optional_string("date", raw.date, &mut warnings);
    let doc_type = optional_string("doc_type", raw.doc_type, &mut warnings);
    let year = match raw.year {
        None | Some(Value::Null) => None,
        Some(value) => {
            let year = match &value {
                Value::Number(n) => n
                    .as_i64()
                    .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64)),
                Value::String(s) => s.trim().parse().ok(),
                _ => None,
            };
            if year.is_none() {
                warnings.push(format!(
                    "field `year` is not a whole number: {value} (ignored)"
                ));
            }
            year
        }
    }
    .or_else(|| date.as_deref().and_then(leading_year));
    Ok((
        Record {
            id,
            text,
            lang,
            lang_tag,
            symbol,
            title,
            date,
            year,
            doc_type,
        },
        warnings,
    ))
}

/// What a JSON value that is not an object is, from its first byte, in a user's words.
fn json_kind(first: Option<u8>) -> &'static str {
    match first {
        Some(b'[') => "an array",
        Some(b'"') => "a string",
        Some(b't' | b'f') => "a boolean",
        Some(b'n') => "null",
        _ => "a number",
    }
}

/// A short description of a JSON error, with its column but without the line, which is
/// always 1 here and misleading next to the file's own line number.
fn describe(err: &serde_json::Error) -> String {
    let full = err.to_string();
    let message = full
        .rfind(" at line ")
        .map_or(full.as_str(), |i| &full[..i]);
    if err.column() > 0 {
        format!("{message} at column {}", err.column())
    } else {
        message.to_string()
    }
}

/// An optional text field: a string (blank means absent), a number written out, or
/// absent; anything else is dropped with a warning.
fn optional_string(
    field: &str,
    value: Option<Value>,
    warnings: &mut Vec<String>,
) -> Option<String> {
    match value {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.trim().is_empty() => None,
        Some(Value::String(s)) => Some(s),
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(other) => {
            let kind = match other {
                Value::Bool(_) => "a boolean",
                Value::Array(_) => "an array",
                _ => "an object",
            };
            warnings.push(format!("field `{field}` is {kind}, not a string (ignored)"));
            None
        }
    }
}

/// The year a date starts with: four ASCII digits not followed by another digit
/// (`1946-01-25`, `1946`, `1946/01`), as ISO 8601 and the UN's metadata write dates.
pub fn leading_year(date: &str) -> Option<i64> {
    let date = date.trim();
    let digits = date.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 4 {
        date[..4].parse().ok()
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_numbered_and_blank_ones_left_out() {
        let cases: &[(&str, &[(usize, &str)])] = &[
            ("", &[]),
            ("\n\n", &[]),
            ("a", &[(1, "a")]),
            ("a\nb\n", &[(1, "a"), (2, "b")]),
            ("a\r\n\r\n  \nb", &[(1, "a"), (4, "b")]),
            ("\u{feff}x", &[(1, "\u{feff}x")]),
        ];
        for (text, want) in cases {
            assert_eq!(Lines::new(text).collect::<Vec<_>>(), *want, "text {text:?}");
        }
    }

    /// A line, and the id, lang, year and symbol it should give.
    type RecordCase = (
        &'static str,
        &'static str,
        Option<Lang>,
        Option<i64>,
        Option<&'static str>,
    );

    #[test]
    fn records_are_read() {
        let cases: &[RecordCase] = &[
            (r#"{"id":"a","text":"t"}"#, "a", None, None, None),
            (r#"{"id":12,"text":"t"}"#, "12", None, None, None),
            (r#"{"id":1.5,"text":"t"}"#, "1.5", None, None, None),
            (
                r#"{"id":"a","text":"t","lang":"fr"}"#,
                "a",
                Some(Lang::Fr),
                None,
                None,
            ),
            (
                r#"{"id":"a","text":"t","lang":"  "}"#,
                "a",
                None,
                None,
                None,
            ),
            (
                r#"{"id":"a","text":"t","lang":"fr-FR"}"#,
                "a",
                Some(Lang::Fr),
                None,
                None,
            ),
            (
                r#"{"id":"a","text":"t","lang":"es"}"#,
                "a",
                Some(Lang::Other("es".into())),
                None,
                None,
            ),
            (
                r#"{"id":"a","text":"t","year":1946}"#,
                "a",
                None,
                Some(1946),
                None,
            ),
            (
                r#"{"id":"a","text":"t","year":"1967"}"#,
                "a",
                None,
                Some(1967),
                None,
            ),
            (
                r#"{"id":"a","text":"t","year":2015.0}"#,
                "a",
                None,
                Some(2015),
                None,
            ),
            (
                r#"{"id":"a","text":"t","date":"1993-05-25"}"#,
                "a",
                None,
                Some(1993),
                None,
            ),
            (
                r#"{"id":"a","text":"t","date":"25 May 1993"}"#,
                "a",
                None,
                None,
                None,
            ),
            (
                r#"{"id":"a","text":"t","year":1990,"date":"1993"}"#,
                "a",
                None,
                Some(1990),
                None,
            ),
            (
                r#"{"id":"a","text":"t","symbol":"S/RES/1 (1946)","extra":[1]}"#,
                "a",
                None,
                None,
                Some("S/RES/1 (1946)"),
            ),
        ];
        for (line, id, lang, year, symbol) in cases {
            let (record, warnings) = parse_line(line).unwrap_or_else(|e| panic!("{line}: {e}"));
            assert_eq!(record.id, *id, "{line}");
            assert_eq!(record.lang, *lang, "{line}");
            assert_eq!(record.year, *year, "{line}");
            assert_eq!(record.symbol.as_deref(), *symbol, "{line}");
            assert!(warnings.is_empty(), "{line}: {warnings:?}");
        }
    }

    #[test]
    fn bad_records_are_skipped_with_a_reason() {
        let cases: &[(&str, &str)] = &[
            (r#"{"id":"a","text":"t""#, "invalid_json"),
            (r#"{"id":"a" "text":"t"}"#, "invalid_json"),
            (r#"[1,2]"#, "invalid_json"),
            (r#""text""#, "invalid_json"),
            (r#"["a","t",null,null,null,null,null,null]"#, "invalid_json"),
            (r#"[1,2"#, "invalid_json"),
            ("nul", "invalid_json"),
            (r#"{"id":"a","id":"b","text":"t"}"#, "invalid_json"),
            (r#"{"text":"t"}"#, "missing_id"),
            (r#"{"id":null,"text":"t"}"#, "missing_id"),
            (r#"{"id":"a"}"#, "missing_text"),
            (r#"{"id":"  ","text":"t"}"#, "invalid_field"),
            (r#"{"id":true,"text":"t"}"#, "invalid_field"),
            (r#"{"id":"a","text":42}"#, "invalid_field"),
            (r#"{"id":"a","text":" \n "}"#, "empty_text"),
        ];
        for (line, label) in cases {
            match parse_line(line) {
                Err(reason) => assert_eq!(reason.label(), *label, "{line}: {reason}"),
                Ok(record) => panic!("{line}: expected a skip, got {record:?}"),
            }
        }
    }

    #[test]
    fn json_errors_name_the_column() {
        let Err(SkipReason::InvalidJson(message)) = parse_line(r#"{"id": "a" "text": "t"}"#) else {
            panic!("expected invalid JSON");
        };
        assert_eq!(message, "expected `,` or `}` at column 12");
    }

    // issue 9, item 9: `[1,2,3]` said "expected struct Raw with 8 elements".
    #[test]
    fn a_line_that_is_not_an_object_says_so_in_the_users_words() {
        let cases: &[(&str, &str)] = &[
            (
                "[1,2,3]",
                "a JSON object with `id` and `text` was expected, found an array",
            ),
            (
                r#"["a","t",null,null,null,null,null,null]"#,
                "a JSON object with `id` and `text` was expected, found an array",
            ),
            (
                r#"  "text""#,
                "a JSON object with `id` and `text` was expected, found a string",
            ),
            (
                "42",
                "a JSON object with `id` and `text` was expected, found a number",
            ),
            (
                "-1.5e3",
                "a JSON object with `id` and `text` was expected, found a number",
            ),
            (
                "true",
                "a JSON object with `id` and `text` was expected, found a boolean",
            ),
            (
                "null",
                "a JSON object with `id` and `text` was expected, found null",
            ),
            ("[1,2", "invalid JSON: EOF while parsing a list at column 4"),
        ];
        for (line, want) in cases {
            match parse_line(line) {
                Err(reason) => {
                    assert_eq!(reason.to_string(), *want, "{line}");
                    assert!(!reason.to_string().contains("Raw"), "{line}: {reason}");
                }
                Ok(record) => panic!("{line}: expected a skip, got {record:?}"),
            }
        }
    }

    #[test]
    fn wrongly_typed_optional_fields_warn() {
        let cases: &[(&str, &str)] = &[
            (
                r#"{"id":"a","text":"t","title":["x"]}"#,
                "field `title` is an array",
            ),
            (
                r#"{"id":"a","text":"t","lang":true}"#,
                "field `lang` is a boolean",
            ),
            (
                r#"{"id":"a","text":"t","year":"soon"}"#,
                "field `year` is not a whole number",
            ),
            (
                r#"{"id":"a","text":"t","year":19.5}"#,
                "field `year` is not a whole number",
            ),
        ];
        for (line, want) in cases {
            let (_, warnings) = parse_line(line).unwrap_or_else(|e| panic!("{line}: {e}"));
            assert_eq!(warnings.len(), 1, "{line}: {warnings:?}");
            assert!(warnings[0].starts_with(want), "{line}: {warnings:?}");
        }
    }

    #[test]
    fn years_lead_dates() {
        let cases: &[(&str, Option<i64>)] = &[
            ("1946-01-25", Some(1946)),
            ("2015", Some(2015)),
            (" 1993/05/25", Some(1993)),
            ("19930525", None),
            ("25 May 1993", None),
            ("", None),
            ("१९४६", None),
        ];
        for (date, want) in cases {
            assert_eq!(leading_year(date), *want, "date {date:?}");
        }
    }
}
