//! Property tests for what the fuzz targets check (fuzz/fuzz_targets/), run by `cargo test`
//! with the targets' own checks, which this module includes: a query that parses runs
//! against a small index without a panic or an error, and snippets are balanced, escaped
//! HTML whose every mark is text the query matched. The analyzers' invariants are in
//! `analysis` and the parser's alone in `src/search/parse/tests.rs`.
//!
//! Then the regression tests of what fuzzing found, each named by its case.

#[path = "../../fuzz/fuzz_targets/common/mod.rs"]
mod checks;

use proptest::prelude::*;

/// Words, operators, quotes and brackets that queries and passages are made of, with
/// the characters the fuzz seeds found hard: combining marks, bidi controls, odd
/// apostrophes, NUL.
const PIECES: &[&str] = &[
    " ",
    "  ",
    "\n",
    "(",
    ")",
    "[",
    "]",
    "\"",
    "“",
    "”",
    "«",
    "»",
    "-",
    "+",
    "*",
    "~",
    "~2",
    "^2",
    ":",
    "/",
    ",",
    ".",
    "&",
    "<",
    ">",
    "<b>",
    " AND ",
    " OR ",
    "NOT ",
    "lang:fr",
    "year:2013",
    "type:",
    "symbol:",
    "S/RES/2086 (2013)",
    "2086 (2013)",
    "(2013)",
    "paix",
    "maintien de la paix",
    "sécurité",
    "securite",
    "Sécurité",
    "se\u{301}curite\u{301}",
    "contin",
    "contingents",
    "l’",
    "l'",
    "lʼ",
    "Organisation",
    "œuvre",
    "peace",
    "peace-keeping",
    "peacekeeping",
    "keeping",
    "operations",
    "to be or not to be",
    "HIV/AIDS",
    "\u{200f}",
    "\u{202e}",
    "\u{301}",
    "\0",
    "é",
    "’",
];

fn pieces(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..max).prop_map(|p| p.concat())
}

/// Query-like strings, and arbitrary ones.
fn query() -> impl Strategy<Value = String> {
    prop_oneof![4 => pieces(12), 1 => any::<String>()]
}

/// Passage-like strings, long enough at times to be cut into a window, and arbitrary ones.
fn passage() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => pieces(48),
        1 => (pieces(24), any::<String>(), pieces(24)).prop_map(|(a, b, c)| a + &b + &c),
        1 => (pieces(8), 0..60usize).prop_map(|(p, n)| p.repeat(n)),
    ]
}

proptest! {
    // Failures are pinned as named regression tests below, not as persisted seeds.
    #![proptest_config(ProptestConfig {
        cases: 192,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn a_query_parses_or_errs_and_then_runs_cleanly(input in query()) {
        checks::check_query(&input);
    }

    #[test]
    fn snippets_are_balanced_escaped_and_mark_what_the_query_matched(
        query in query(),
        text in passage(),
    ) {
        checks::check_snippets(&query, &text);
    }
}

// The checks above can fail: what a snippet's HTML must never be is refused, and what it
// should be reads back.
#[test]
fn the_html_check_refuses_unbalanced_or_unescaped_html() {
    for bad in [
        "<b>paix",
        "paix</b>",
        "<b><b>paix</b></b>",
        "<b></b>paix",
        "a < b",
        "a > b",
        "paix & sécurité",
        "&quot;",
    ] {
        let refused = std::panic::catch_unwind(|| checks::read_html(bad)).is_err();
        assert!(refused, "{bad:?} was taken for a snippet");
    }
    let (text, marks) = checks::read_html("<b>paix &amp; s</b>écurité &lt;");
    assert_eq!(text, "paix & sécurité <");
    assert_eq!(marks.len(), 1);
    assert_eq!(marks[0], 0..8);
}
