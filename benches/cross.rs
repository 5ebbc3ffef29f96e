//! Cross-language search, measured on the held-out testset half of the UN Parallel
//! Corpus sentences, which the shipped lexicon never learned from.
//!
//! For each testset sentence, a query of its two or three most distinctive words (the
//! words, not stop words or numbers, whose stems the fewest passages of its language
//! hold) is run against the passages of the other language: the twin sentence, the
//! one with the same id, should rank in the top 10. Each direction is run with and
//! without `--cross`, and the same queries are run in their own language, where
//! `--cross` must not push the sentence itself down. It prints R@10 and MRR@10.
//!
//! ```text
//! cargo bench --bench cross                       # builds a scratch index of the shared corpus
//! cargo bench --bench cross -- --index DIR        # an index of the same files, built before
//! cargo bench --bench cross -- --lexicon FILE     # a table made by `quorum lexicon build`
//! cargo bench --bench cross -- --ids unpc-devset- --limit 500
//! ```
//! The scratch index holds the sentence files (devset and testset), the resolutions, the
//! Charter and the Declaration: the other 12,000 sentences and the long documents are
//! the distractors. `--words N` (3) sets the query length, `--limit N` the number of
//! sentences (all 4,000 by default), `--ids PREFIX` which sentences (`unpc-testset-`);
//! `--misses` prints each cross-language query whose twin was not in the top 10, and
//! `--no-names` leaves out the words that start with a capital (names, acronyms, and a
//! sentence's first word), which both languages mostly write alike.

use std::collections::HashMap;
use std::io::BufRead;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use quorum::analysis;
use quorum::index::{build, store::Store};
use quorum::lexicon::Lexicon;
use quorum::search::{Engine, Request};
use quorum::Lang;

struct Options {
    index: Option<PathBuf>,
    lexicon: Option<PathBuf>,
    ids: String,
    limit: usize,
    words: usize,
    misses: bool,
    names: bool,
}

fn options() -> Result<Options, String> {
    let mut options = Options {
        index: None,
        lexicon: None,
        ids: "unpc-testset-".into(),
        limit: usize::MAX,
        words: 3,
        misses: false,
        names: true,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{arg} needs a value"));
        match arg.as_str() {
            // cargo bench passes --bench to every bench binary.
            "--bench" => {}
            "--index" => options.index = Some(value()?.into()),
            "--lexicon" => options.lexicon = Some(value()?.into()),
            "--ids" => options.ids = value()?,
            "--limit" => options.limit = value()?.parse().map_err(|e| format!("--limit: {e}"))?,
            "--words" => options.words = value()?.parse().map_err(|e| format!("--words: {e}"))?,
            "--misses" => options.misses = true,
            "--no-names" => options.names = false,
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(options)
}

/// The sentences of one language, by id.
fn sentences(corpus: &std::path::Path, lang: &str) -> HashMap<String, String> {
    let path = corpus.join(format!("unpc_testsets/sentences.{lang}.jsonl"));
    let file = std::fs::File::open(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    std::io::BufReader::new(file)
        .lines()
        .map(|line| {
            let record: serde_json::Value =
                serde_json::from_str(&line.expect("a line")).expect("a JSON record");
            (
                record["id"].as_str().expect("an id").to_string(),
                record["text"].as_str().expect("a text").to_string(),
            )
        })
        .collect()
}

/// The query for a sentence: its `n` most distinctive words, in the sentence's order.
fn query(
    text: &str,
    lang: &Lang,
    (n, names): (usize, bool),
    df: &dyn Fn(&str) -> u64,
) -> Option<String> {
    let mut words: Vec<(u64, usize, String)> = Vec::new();
    let mut stems = std::collections::HashSet::new();
    for token in analysis::analyze(analysis::EXACT, text) {
        if token.position_length > 1 {
            continue;
        }
        let surface = &text[token.offset_from..token.offset_to];
        if surface.chars().count() < 3
            || !surface.chars().all(char::is_alphabetic)
            || analysis::stopwords::is_stop_word(&token.text)
            || (!names && surface.chars().next().is_some_and(char::is_uppercase))
        {
            continue;
        }
        let stemmed = analysis::analyze(analysis::body_analyzer(lang), surface);
        let [stem] = stemmed.as_slice() else {
            continue;
        };
        if !stems.insert(stem.text.clone()) {
            continue;
        }
        words.push((df(&stem.text), token.offset_from, surface.to_string()));
    }
    if words.len() < 2 {
        return None;
    }
    words.sort();
    words.truncate(n);
    words.sort_by_key(|w| w.1);
    Some(words.into_iter().map(|w| w.2).collect::<Vec<_>>().join(" "))
}

#[derive(Default)]
struct Score {
    found: usize,
    reciprocal: f64,
    queries: usize,
    ms: f64,
}

impl Score {
    fn add(&mut self, rank: Option<usize>, ms: f64) {
        self.queries += 1;
        self.ms += ms;
        if let Some(rank) = rank {
            self.found += 1;
            self.reciprocal += 1.0 / rank as f64;
        }
    }

    fn row(&self, name: &str) -> String {
        let n = self.queries.max(1) as f64;
        format!(
            "| {name} | {} | {:.3} | {:.3} | {:.1} |",
            self.queries,
            self.found as f64 / n,
            self.reciprocal / n,
            self.ms / n
        )
    }
}

fn main() {
    let options = match options() {
        Ok(options) => options,
        Err(error) => {
            eprintln!("error: {error}");
            std::process::exit(2);
        }
    };
    let Some(corpus) = quorum::ingest::shared::corpus_dir() else {
        eprintln!(
            "skipped: the shared UN corpus was not found (set QUORUM_SHARED to the folder \
             that holds corpus/SOURCES.md)"
        );
        return;
    };
    let scratch = tempfile::tempdir().expect("a scratch folder");
    let dir = match &options.index {
        Some(dir) => dir.clone(),
        None => {
            let dir = scratch.path().join("index");
            let roots = [
                "unpc_testsets/sentences.fr.jsonl",
                "unpc_testsets/sentences.en.jsonl",
                "unsc_resolutions_en",
                "un_charter",
                "udhr",
            ]
            .iter()
            .map(|p| corpus.join(p))
            .collect();
            let started = Instant::now();
            build::run(
                &Store::new(&dir),
                &build::Options::new(roots),
                &mut build::Silent,
            )
            .expect("the scratch index builds");
            eprintln!(
                "indexed the shared corpus in {:.1} s",
                started.elapsed().as_secs_f64()
            );
            dir
        }
    };
    let mut engine = Engine::open(&Store::new(&dir)).expect("the index opens");
    if let Some(path) = &options.lexicon {
        let lexicon = Lexicon::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        engine = engine.with_lexicon(Arc::new(lexicon));
    }
    let lexicon = engine.lexicon().expect("the lexicon reads");
    let searcher = engine.generation().reader.searcher();
    let fields = &engine.generation().fields;
    let df = |lang: &Lang, stem: &str| {
        searcher
            .doc_freq(&tantivy::Term::from_field_text(fields.body(lang), stem))
            .unwrap_or(0)
    };
    let french = sentences(&corpus, "fr");
    let english = sentences(&corpus, "en");
    let mut ids: Vec<&String> = english
        .keys()
        .filter(|id| id.starts_with(&options.ids) && french.contains_key(*id))
        .collect();
    ids.sort();
    ids.truncate(options.limit);

    // (query language, passages' language, cross) → score
    let mut scores: Vec<((Lang, Lang, bool), Score)> = Vec::new();
    let mut score = |key: (Lang, Lang, bool), rank: Option<usize>, ms: f64| match scores
        .iter_mut()
        .find(|(k, _)| *k == key)
    {
        Some((_, s)) => s.add(rank, ms),
        None => {
            let mut s = Score::default();
            s.add(rank, ms);
            scores.push((key, s));
        }
    };
    let mut skipped = 0;
    for id in &ids {
        for (lang, text) in [(Lang::En, &english[*id]), (Lang::Fr, &french[*id])] {
            let Some(query) = query(text, &lang, (options.words, options.names), &|s| {
                df(&lang, s)
            }) else {
                skipped += 1;
                continue;
            };
            let other = match lang {
                Lang::Fr => Lang::En,
                _ => Lang::Fr,
            };
            for target in [other, lang.clone()] {
                for cross in [false, true] {
                    let mut request = Request::new(query.clone());
                    request.filters.lang = Some(target.clone());
                    request.cross = cross;
                    let started = Instant::now();
                    let response = engine.search(&request).expect("the search runs");
                    let ms = started.elapsed().as_secs_f64() * 1000.0;
                    let rank = response
                        .hits
                        .iter()
                        .position(|h| {
                            (h.id == **id && h.lang == target.code())
                                || h.also_in
                                    .iter()
                                    .any(|c| c.id == **id && c.lang == target.code())
                        })
                        .map(|p| p + 1);
                    if options.misses && cross && target != lang && rank.is_none() {
                        println!("miss {id} {} → {}: {query}", lang.code(), target.code());
                    }
                    score((lang.clone(), target.clone(), cross), rank, ms);
                }
            }
        }
    }
    println!(
        "{} sentence pairs ({}…), {} queries of {} words{} skipped (fewer than 2 words); lexicon of {} pairs ({} / {} terms)",
        ids.len(),
        options.ids,
        skipped,
        options.words,
        if options.names { "" } else { " without capitals" },
        lexicon.pairs,
        lexicon.terms().0,
        lexicon.terms().1
    );
    println!(
        "\n| query → passages | queries | R@10 | MRR@10 | ms/query |\n|---|---:|---:|---:|---:|"
    );
    for ((from, to, cross), s) in &scores {
        let name = format!(
            "{} → {}{}",
            from.code(),
            to.code(),
            if *cross { ", --cross" } else { "" }
        );
        println!("{}", s.row(&name));
    }
}
