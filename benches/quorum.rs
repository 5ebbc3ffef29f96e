//! Criterion benchmarks: analyzer throughput, indexing throughput, and search latency
//! per query class. Each asserts the count it measures, so that a fast wrong answer
//! fails instead of reporting a speed.
//!
//! - `analysis/{french,english}`: the body chain, then the `forms` chain every passage
//!   also gets, over real text, in MB/s. French is the shipped seed plus the Charter in
//!   French; English is the Charter and the Universal Declaration in English.
//! - `indexing/jsonl`: JSONL files to a committed index, in MB/s of input.
//! - `search/<class>`: every query of `benches/queries/<class>.tsv` once, with the top
//!   10 and their snippets, as `quorum search` runs them.
//!
//! The real corpus is read from `../shared/corpus` (or `$QUORUM_SHARED/corpus`); the
//! benchmarks that need it say they are skipped without it. `QUORUM_BENCH_CORPUS`
//! points indexing and search at another folder, such as one made by
//! `../shared/tools/scale-corpus`. Run with `cargo bench`; `cargo bench -- --test`
//! runs each once.

use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use quorum::analysis::{analyze, EN, FORMS, FR};
use quorum::index::{build, store::Store};
use quorum::ingest::discover;
use quorum::search::{query_file, Engine, Request};

fn manifest() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The real corpus ([`quorum::ingest::shared::corpus_dir`]), or `None` after saying
/// which benchmark is skipped.
fn shared_corpus(bench: &str) -> Option<PathBuf> {
    let corpus = quorum::ingest::shared::corpus_dir();
    if corpus.is_none() {
        eprintln!("skipped {bench}: ../shared/corpus not found (set QUORUM_SHARED)");
    }
    corpus
}

/// The folder indexing and search run on: `QUORUM_BENCH_CORPUS`, else the real corpus.
fn bench_corpus(bench: &str) -> Option<PathBuf> {
    match std::env::var_os("QUORUM_BENCH_CORPUS") {
        Some(dir) => Some(PathBuf::from(dir)),
        None => shared_corpus(bench),
    }
}

/// The `text` of every record of the JSONL files in `dir` whose name ends in `suffix`.
fn jsonl_texts(dir: &Path, suffix: &str) -> String {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("corpus folder")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(suffix))
        .collect();
    files.sort();
    let mut text = String::new();
    for file in files {
        for line in std::fs::read_to_string(&file).expect("jsonl").lines() {
            let record: serde_json::Value = serde_json::from_str(line).expect("a JSON record");
            text.push_str(record["text"].as_str().unwrap_or_default());
            text.push_str("\n\n");
        }
    }
    text
}

fn seed_text() -> String {
    let mut text = String::new();
    for entry in std::fs::read_dir(manifest().join("corpus"))
        .expect("corpus/ exists")
        .flatten()
    {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "txt") {
            text.push_str(&std::fs::read_to_string(&path).expect("seed text"));
        }
    }
    text
}

/// Terms the body chain and the forms chain give for `text`.
fn token_counts(body: &str, text: &str) -> (usize, usize) {
    (analyze(body, text).len(), analyze(FORMS, text).len())
}

fn analysis(c: &mut Criterion) {
    let Some(corpus) = shared_corpus("analysis") else {
        return;
    };
    let french = seed_text() + &jsonl_texts(&corpus.join("un_charter"), ".fr.jsonl");
    let english = jsonl_texts(&corpus.join("un_charter"), ".en.jsonl")
        + &jsonl_texts(&corpus.join("udhr"), ".en.jsonl");
    // The counts of this exact text: a change to analysis that changes them must
    // update them here, knowingly.
    for (name, body, text, expected) in [
        ("french", FR, &french, (5_091, 10_523)),
        ("english", EN, &english, (5_892, 10_221)),
    ] {
        assert_eq!(
            token_counts(body, text),
            expected,
            "{name}: the analyzers give other token counts"
        );
        let mut group = c.benchmark_group("analysis");
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(name, |b| {
            b.iter(|| assert_eq!(token_counts(body, text), expected))
        });
        group.finish();
    }
}

/// Bytes of the files quorum indexes under `roots`.
fn input_bytes(roots: &[PathBuf]) -> u64 {
    discover(roots)
        .expect("the corpus folders exist")
        .iter()
        .filter_map(|file| std::fs::metadata(&file.path).ok())
        .map(|m| m.len())
        .sum()
}

fn indexing(c: &mut Criterion) {
    let Some(corpus) = bench_corpus("indexing") else {
        return;
    };
    // The real corpus's small files keep one iteration near a second; a scaled corpus
    // given by QUORUM_BENCH_CORPUS is taken whole.
    let roots: Vec<PathBuf> = if std::env::var_os("QUORUM_BENCH_CORPUS").is_some() {
        vec![corpus]
    } else {
        ["un_charter", "udhr", "sample", "unpc_testsets"]
            .iter()
            .map(|d| corpus.join(d))
            .collect()
    };
    let bytes = input_bytes(&roots);
    let index_once = || {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::new(dir.path().join("index"));
        let summary = build::run(
            &store,
            &build::Options::new(roots.clone()),
            &mut build::Silent,
        )
        .expect("the corpus indexes");
        (summary.added, summary.passages)
    };
    let expected = index_once();
    assert!(
        expected.0 > 0 && expected.1 >= expected.0 as u64,
        "{expected:?}"
    );
    let mut group = c.benchmark_group("indexing");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    group.throughput(Throughput::Bytes(bytes));
    group.bench_function("jsonl", |b| b.iter(|| assert_eq!(index_once(), expected)));
    group.finish();
}

/// The shipped query sets, by class.
fn query_classes() -> Vec<(String, Vec<String>)> {
    query_file::load(&manifest().join("benches/queries"))
        .expect("benches/queries")
        .into_iter()
        .map(|set| {
            let queries = set.queries.into_iter().map(|entry| entry.query).collect();
            (set.class, queries)
        })
        .collect()
}

fn search(c: &mut Criterion) {
    let Some(corpus) = bench_corpus("search") else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::new(dir.path().join("index"));
    build::run(
        &store,
        &build::Options::new(vec![corpus]),
        &mut build::Silent,
    )
    .expect("the corpus indexes");
    let engine = Engine::open(&store).expect("the index opens");
    let mut group = c.benchmark_group("search");
    for (class, queries) in query_classes() {
        let requests: Vec<Request> = queries.iter().map(Request::new).collect();
        let run = || -> Vec<usize> {
            requests
                .iter()
                .map(|r| engine.search(r).expect("search").total_hits)
                .collect()
        };
        let hits = run();
        // Every class finds something: a class of empty answers would time nothing.
        assert!(
            hits.iter().sum::<usize>() > 0,
            "{class}: no query finds anything"
        );
        group.bench_function(class.as_str(), |b| b.iter(|| assert_eq!(run(), hits)));
    }
    group.finish();
}

criterion_group!(benches, analysis, indexing, search);
criterion_main!(benches);
