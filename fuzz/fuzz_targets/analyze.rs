//! The tokenizer and every analyzer (the French and English body chains, `forms` and the
//! rest) on arbitrary bytes decoded lossily, and the language `quorum analyze` detects.
//! No panic; every token's offsets inside the text and on char boundaries; positions
//! never going back; no empty term.

#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use quorum::analysis::{analyze, tokenize, ALL};
use quorum::ingest::detect;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    common::check_tokens("tokenize", &text, &tokenize(&text));
    for name in ALL {
        common::check_tokens(name, &text, &analyze(name, &text));
    }
    let _ = detect::text_lang(&text);
});
