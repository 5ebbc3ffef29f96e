//! Criterion benchmarks: analysis throughput and query latency.
//!
//! The analysis benchmark runs the French chain over the shipped seed text and asserts
//! its token count; the search benchmark indexes the shipped corpus (or, with
//! `QUORUM_BENCH_CORPUS`, any folder, such as one made by `../shared/tools/scale-corpus`)
//! and asserts each query's hit count before timing it. Run with `cargo bench`.

use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use quorum::analysis::{analyze, EN, FR};
use quorum::index::{build, store::Store};
use quorum::search::{Engine, Request};

fn seed_text() -> String {
    let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut text = String::new();
    for entry in std::fs::read_dir(&corpus)
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

fn analysis(c: &mut Criterion) {
    let text = seed_text();
    let tokens = analyze(FR, &text).len();
    // The French chain keeps content words only: a wrong count means a broken chain,
    // and a fast wrong answer is no result.
    assert!(
        tokens > 150 && tokens < 400,
        "French chain gave {tokens} tokens"
    );
    let mut group = c.benchmark_group("analysis");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("french_seed", |b| {
        b.iter(|| assert_eq!(analyze(FR, &text).len(), tokens))
    });
    let english = "The Security Council, recalling its resolutions on peace-keeping \
                   operations, calls upon all States to co-operate fully with the Force.";
    let en_tokens = analyze(EN, english).len();
    group.throughput(Throughput::Bytes(english.len() as u64));
    group.bench_function("english_sentence", |b| {
        b.iter(|| assert_eq!(analyze(EN, english).len(), en_tokens))
    });
    group.finish();
}

fn search(c: &mut Criterion) {
    let corpus = std::env::var_os("QUORUM_BENCH_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus"));
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
    for query in [
        "contingents",
        "\"maintien de la paix\"",
        "S/PRST/2001/3",
        "pays fournisseurs de contingents",
    ] {
        let request = Request::new(query);
        let hits = engine.search(&request).expect("search").total_hits;
        assert!(hits > 0, "{query} finds nothing");
        group.bench_function(query, |b| {
            b.iter(|| assert_eq!(engine.search(&request).expect("search").total_hits, hits))
        });
    }
    group.finish();
}

criterion_group!(benches, analysis, search);
criterion_main!(benches);
