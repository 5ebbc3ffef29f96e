//! Snippets on arbitrary pairs of query and text: the input's first line is the query,
//! the rest the passage (the query itself when there is no line break). See
//! `common::check_snippets` for what is checked.

#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let input = String::from_utf8_lossy(data);
    let (query, text) = input.split_once('\n').unwrap_or((&input, &input));
    common::check_snippets(query, text);
});
