//! Indexing throughput per format on the same text, and folders for measuring memory.
//!
//! The same documents (real sentences of the shared corpus, a few paragraphs each) are
//! written as `.txt`, `.pdf`, `.docx` and `.html`, and each folder is indexed from scratch;
//! the throughput is counted in bytes of the plain text, so that the formats compare on
//! what they hold. Each run asserts the documents and passages it indexed, which must be
//! the same for every format.
//!
//! `QUORUM_FORMATS_WRITE=DIR cargo bench --bench formats` also writes `DIR/txt`,
//! `DIR/pdf`, `DIR/docx` and `DIR/html` with 500 documents each, the same text in all, for
//! `/usr/bin/time -v quorum index --index DIR/index-pdf DIR/pdf` (maximum resident set
//! size) against the same for `DIR/txt`.

#[path = "../tests/it/fixtures.rs"]
#[allow(dead_code)]
mod fixtures;

use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use quorum::index::build;
use quorum::index::store::Store;

/// The formats compared, plain text first.
const FORMATS: [&str; 4] = ["txt", "pdf", "docx", "html"];
/// Documents per format in the timed runs.
const DOCUMENTS: usize = 100;
/// Paragraphs per document.
const PARAGRAPHS: usize = 6;
/// Documents per folder written for the memory comparison.
const MEMORY_DOCUMENTS: usize = 500;

/// The paragraphs of each document: consecutive corpus sentences, two to a paragraph.
fn documents(corpus: &Path, n: usize) -> Vec<Vec<String>> {
    let sentences = fixtures::sentences(corpus, 2 * PARAGRAPHS * n.min(300));
    assert!(
        sentences.len() >= 2 * PARAGRAPHS,
        "the corpus has sentences"
    );
    (0..n)
        .map(|d| {
            (0..PARAGRAPHS)
                .map(|p| {
                    let i = (d * PARAGRAPHS + p) * 2;
                    let a = &sentences[i % sentences.len()].0;
                    let b = &sentences[(i + 1) % sentences.len()].0;
                    format!("{a} {b}")
                })
                .collect()
        })
        .collect()
}

/// A document's file in one format.
fn file(format: &str, n: usize, paragraphs: &[String]) -> (String, Vec<u8>) {
    let n = n + 1;
    let name = format!("S_{}_{n}_F.{format}", 2000 + n % 20);
    let bytes = match format {
        "txt" => paragraphs.join("\n\n").into_bytes(),
        "pdf" => fixtures::un_pdf(&fixtures::UnPdf {
            symbol: &format!("S/{}/{n}", 2000 + n % 20),
            french: true,
            title: "Rapport du Secrétaire général",
            paragraphs,
            per_page: 3,
            columns: None,
            info_title: true,
        }),
        "docx" => fixtures::docx(Some("Rapport du Secrétaire général"), "Rapport", paragraphs),
        "html" => fixtures::html("Rapport", paragraphs, encoding_rs::UTF_8),
        other => unreachable!("no format {other}"),
    };
    (name, bytes)
}

fn write_folder(dir: &Path, format: &str, docs: &[Vec<String>]) -> u64 {
    // Never write over what the bench did not make: the folder must be new or empty.
    let holds_files = std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_some());
    if holds_files {
        eprintln!(
            "formats: {} already holds files; give QUORUM_FORMATS_WRITE a new folder",
            dir.display()
        );
        std::process::exit(2);
    }
    std::fs::create_dir_all(dir).expect("create the folder");
    let mut text = 0;
    for (n, paragraphs) in docs.iter().enumerate() {
        let (name, bytes) = file(format, n, paragraphs);
        std::fs::write(dir.join(name), bytes).expect("write a document");
        text += paragraphs.iter().map(|p| p.len() as u64).sum::<u64>();
    }
    text
}

fn formats(c: &mut Criterion) {
    let Some(corpus) = quorum::ingest::shared::corpus_dir() else {
        eprintln!("formats: skipped, the shared corpus was not found (set QUORUM_SHARED)");
        return;
    };
    if let Some(out) = std::env::var_os("QUORUM_FORMATS_WRITE") {
        let out = PathBuf::from(out);
        let docs = documents(&corpus, MEMORY_DOCUMENTS);
        for format in FORMATS {
            write_folder(&out.join(format), format, &docs);
        }
        eprintln!(
            "formats: wrote {MEMORY_DOCUMENTS} documents in each of {}/{{txt,pdf,docx,html}}",
            out.display()
        );
    }
    let docs = documents(&corpus, DOCUMENTS);
    let dir = tempfile::tempdir().expect("temp dir");
    let mut group = c.benchmark_group("formats");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(15));
    let mut expected = None;
    for format in FORMATS {
        let folder = dir.path().join(format);
        let text = write_folder(&folder, format, &docs);
        let index_once = || {
            let out = tempfile::tempdir().expect("temp dir");
            let store = Store::new(out.path().join("index"));
            let summary = build::run(
                &store,
                &build::Options::new(vec![folder.clone()]),
                &mut build::Silent,
            )
            .expect("the folder indexes");
            (summary.added, summary.passages, summary.skipped.len())
        };
        let got = index_once();
        assert_eq!(got.0, DOCUMENTS, "{format}: {got:?}");
        assert_eq!(got.2, 0, "{format}: nothing is skipped");
        // Every format gives the plain text's passages, and at most its title and a list
        // item more per document.
        let txt = *expected.get_or_insert(got);
        assert!(
            got.1 >= txt.1 && got.1 <= txt.1 + 2 * DOCUMENTS as u64,
            "{format}: {got:?} against {txt:?}"
        );
        group.throughput(Throughput::Bytes(text));
        group.bench_function(format, |b| b.iter(|| assert_eq!(index_once(), got)));
    }
    group.finish();
}

criterion_group!(benches, formats);
criterion_main!(benches);
