//! The query parser on arbitrary strings: a query or a clear error, never a panic; a
//! query that parses then runs against the small index (built once per process) without
//! a panic or an error. See `common::check_query`.

#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    common::check_query(&String::from_utf8_lossy(data));
});
