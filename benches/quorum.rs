//! Criterion benchmarks: analyzer throughput, indexing throughput, and search latency
//! per query class. Each asserts the count it measures, so that a fast wrong answer
//! fails instead of reporting a speed.
//!
//! - `analysis`: not timed, it checks the token counts of the body chain and `forms` over
//!   real text (the shipped seed and the Charter in French; the Charter and the Universal
//!   Declaration in English), so that a change to analysis updates them knowingly.
//! - `analysis/passages-{french,english}`: every analyzed field of every passage, as
//!   indexing gives them to tantivy (the body chain and `forms` over the passage and its
//!   title, the symbol chain over the symbol), in MB/s of passage text. The records of
//!   the Charter, the Declaration and the UN Parallel Corpus sample in that language.
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
use quorum::index::passage::tantivy_docs;
use quorum::index::schema::Fields;
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

fn analysis(_: &mut Criterion) {
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
        // Not timed: each chain reads the scan of a text it saw last, so timing the same
        // long text over and over would time the filters alone. The passages below are
        // what indexing analyzes.
    }
}

/// Every analyzed text value of the passages of `files`, with its field's analyzer, as
/// indexing hands them to tantivy; and the bytes of passage text among them.
fn passage_values(files: &[PathBuf]) -> (Vec<(String, String)>, usize) {
    use tantivy::schema::document::{Document as _, Value as _};
    use tantivy::schema::FieldType;
    let fields = Fields::new();
    let mut values = Vec::new();
    let mut text_bytes = 0;
    for file in discover(files).expect("the corpus files exist") {
        let items = quorum::ingest::read_file(&file, &quorum::ingest::Options::default());
        for item in items {
            let quorum::ingest::Item::Document(doc) = item else {
                continue;
            };
            text_bytes += doc.passages.iter().map(|p| p.range.len()).sum::<usize>();
            for tdoc in tantivy_docs(&fields, &doc, "bench", 0) {
                for (field, value) in tdoc.iter_fields_and_values() {
                    let FieldType::Str(options) = fields.schema.get_field_entry(field).field_type()
                    else {
                        continue;
                    };
                    let Some(indexing) = options.get_indexing_options() else {
                        continue;
                    };
                    let analyzer = indexing.tokenizer();
                    if let (true, Some(text)) = (
                        quorum::analysis::ALL.contains(&analyzer),
                        value.as_value().as_str(),
                    ) {
                        values.push((analyzer.to_string(), text.to_string()));
                    }
                }
            }
        }
    }
    (values, text_bytes)
}

fn passage_analysis(c: &mut Criterion) {
    let Some(corpus) = shared_corpus("analysis/passages") else {
        return;
    };
    for (name, lang, expected) in [
        ("passages-french", "fr", 43_322),
        ("passages-english", "en", 67_210),
    ] {
        let files: Vec<PathBuf> = ["un_charter", "udhr", "sample"]
            .iter()
            .flat_map(|dir| std::fs::read_dir(corpus.join(dir)).expect("corpus folder"))
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.to_string_lossy().ends_with(&format!(".{lang}.jsonl")))
            .collect();
        let (values, text_bytes) = passage_values(&files);
        let mut analyzers: Vec<(String, tantivy::tokenizer::TextAnalyzer)> = quorum::analysis::ALL
            .iter()
            .filter_map(|&n| quorum::analysis::build(n).map(|a| (n.to_string(), a)))
            .collect();
        let mut run = || {
            let mut tokens = 0usize;
            for (analyzer, text) in &values {
                let (_, analyzer) = analyzers
                    .iter_mut()
                    .find(|(n, _)| n == analyzer)
                    .expect("a quorum analyzer");
                let mut stream = analyzer.token_stream(text);
                while stream.advance() {
                    tokens += 1;
                }
            }
            tokens
        };
        let counted = run();
        eprintln!(
            "{name}: {} values, {text_bytes} bytes of passage text, {counted} tokens",
            values.len()
        );
        assert_eq!(
            counted, expected,
            "{name}: the analyzers give other token counts"
        );
        let mut group = c.benchmark_group("analysis");
        group.throughput(Throughput::Bytes(text_bytes as u64));
        group.bench_function(name, |b| b.iter(|| assert_eq!(run(), counted)));
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

criterion_group!(benches, analysis, passage_analysis, indexing, search);
criterion_main!(benches);
