//! Ingestion of arbitrary bytes as a file of each kind quorum reads: the first byte picks
//! the extension (`.txt`, `.md`, `.jsonl`, `.pdf`, `.docx`, `.html`), the rest is the
//! file. Each file gives documents with well-formed passages, or skips with a message;
//! never a panic.
//!
//! A PDF, Word or HTML parser that panics or loops is contained by the reader and
//! reported as a skip, which is the behaviour asked for: such a skip is printed, and
//! with `QUORUM_FUZZ_STRICT=1` it crashes the target so that libFuzzer keeps the input
//! for an upstream report.

#![no_main]

mod common;

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use quorum::ingest::{read_file, Document, Item, Options, SkipReason, SourceFile};

const EXTENSIONS: [&str; 6] = ["txt", "md", "jsonl", "pdf", "docx", "html"];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    let extension = EXTENSIONS[usize::from(pick) % EXTENSIONS.len()];
    // One file per process, named by its id, removed after each input.
    let path = std::env::temp_dir().join(format!("quorum-fuzz-{}.{extension}", std::process::id()));
    std::fs::write(&path, bytes).expect("writing the input file");
    let file = SourceFile {
        root: path.clone(),
        path: path.clone(),
    };
    let items: Vec<Item> = read_file(&file, &Options::default()).collect();
    let _ = std::fs::remove_file(&path);
    for item in &items {
        match item {
            Item::Document(doc) => check_document(doc, &path),
            Item::Warning(warning) => assert!(!warning.message.is_empty()),
            Item::Skip(skip) => {
                assert!(!skip.reason.to_string().is_empty());
                if let SkipReason::ReaderFailed { .. } | SkipReason::TimedOut { .. } = skip.reason {
                    eprintln!("contained: {skip}");
                    assert!(!common::strict(), "a contained parser failure: {skip}");
                }
            }
        }
    }
});

/// A document has an id and a language, and its passages are non-empty, trimmed byte
/// ranges of its text on char boundaries, in order and apart.
fn check_document(doc: &Document, path: &Path) {
    assert_eq!(&doc.path, path);
    assert!(!doc.id.is_empty(), "{doc:?}");
    assert!(!doc.lang.code().is_empty(), "{doc:?}");
    let mut last_end = 0;
    for passage in &doc.passages {
        let range = passage.range.clone();
        assert!(
            last_end <= range.start && range.start < range.end && range.end <= doc.text.len(),
            "passage {range:?} after {last_end} in {} bytes",
            doc.text.len()
        );
        assert!(doc.text.is_char_boundary(range.start) && doc.text.is_char_boundary(range.end));
        let text = &doc.text[range.clone()];
        assert_eq!(text.trim(), text, "passage {range:?} is not trimmed");
        last_end = range.end;
    }
}
