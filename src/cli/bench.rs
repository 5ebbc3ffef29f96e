//! `quorum bench`: query latency over a query set, with the index opened once.
//!
//! Each query runs `--warmup` times unmeasured, then `--runs` times measured. A query
//! whose hit count changes between runs is an error: a benchmark that returns a
//! different answer each time measures nothing.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use serde::Serialize;

use super::{IndexDir, LangArg, Outcome};
use crate::index::store::Store;
use crate::search::{Engine, Request};

/// The query set shipped with quorum (`benches/queries.tsv`): one query of each kind
/// people type.
const DEFAULT_QUERIES: &str = include_str!("../../benches/queries.tsv");

/// Arguments of `quorum bench`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub index: IndexDir,
    /// Queries to time, one per line (`QID<TAB>QUERY` or a bare query) [default: the
    /// shipped set of 30 queries].
    #[arg(long, value_name = "FILE")]
    pub queries: Option<PathBuf>,
    /// Measured runs of each query.
    #[arg(long, default_value_t = 20)]
    pub runs: usize,
    /// Unmeasured runs of each query first.
    #[arg(long, default_value_t = 2)]
    pub warmup: usize,
    /// Results per query, as `search --limit` (snippets are part of the cost).
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    /// Analyze every query as this language and keep only its passages.
    #[arg(long, value_enum)]
    pub lang: Option<LangArg>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct QueryTiming {
    qid: String,
    query: String,
    total_hits: usize,
    median_ms: f64,
}

#[derive(Serialize)]
struct Report {
    index: String,
    queries: usize,
    runs: usize,
    searches: usize,
    p50_ms: f64,
    p90_ms: f64,
    p99_ms: f64,
    mean_ms: f64,
    max_ms: f64,
    queries_per_second: f64,
    per_query: Vec<QueryTiming>,
}

pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let (dir, _) = args.index.resolve();
    let engine =
        Engine::open(&Store::new(&dir)).with_context(|| format!("opening {}", dir.display()))?;
    let text = match &args.queries {
        Some(file) => {
            std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?
        }
        None => DEFAULT_QUERIES.to_string(),
    };
    let queries: Vec<(String, String)> = text
        .trim_start_matches('\u{feff}')
        .lines()
        .enumerate()
        .map(|(n, line)| (n, line.trim_end_matches('\r')))
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(n, line)| match line.split_once('\t') {
            Some((qid, query)) => (qid.to_string(), query.to_string()),
            None => ((n + 1).to_string(), line.to_string()),
        })
        .collect();
    anyhow::ensure!(!queries.is_empty(), "no queries to run");
    let runs = args.runs.max(1);
    let mut all = Vec::with_capacity(queries.len() * runs);
    let mut per_query = Vec::new();
    let started = Instant::now();
    for (qid, query) in &queries {
        let request = Request {
            limit: args.limit,
            lang: args.lang.map(LangArg::lang),
            ..Request::new(query.clone())
        };
        let mut hits = None;
        let mut times = Vec::with_capacity(runs);
        for run in 0..args.warmup + runs {
            let at = Instant::now();
            let response = engine
                .search(&request)
                .with_context(|| format!("query {qid}: {query}"))?;
            let ms = at.elapsed().as_secs_f64() * 1e3;
            match hits {
                None => hits = Some(response.total_hits),
                Some(n) => anyhow::ensure!(
                    n == response.total_hits,
                    "query {qid} found {n} hits, then {}",
                    response.total_hits
                ),
            }
            if run >= args.warmup {
                times.push(ms);
            }
        }
        times.sort_by(f64::total_cmp);
        all.extend_from_slice(&times);
        per_query.push(QueryTiming {
            qid: qid.clone(),
            query: query.clone(),
            total_hits: hits.unwrap_or(0),
            median_ms: percentile(&times, 0.5),
        });
    }
    let wall = started.elapsed().as_secs_f64();
    all.sort_by(f64::total_cmp);
    let report = Report {
        index: dir.display().to_string(),
        queries: queries.len(),
        runs,
        searches: all.len(),
        p50_ms: percentile(&all, 0.5),
        p90_ms: percentile(&all, 0.9),
        p99_ms: percentile(&all, 0.99),
        mean_ms: all.iter().sum::<f64>() / all.len() as f64,
        max_ms: all.last().copied().unwrap_or(0.0),
        queries_per_second: (queries.len() * (runs + args.warmup)) as f64 / wall,
        per_query,
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(Outcome::Success);
    }
    for q in &report.per_query {
        println!(
            "{:>9.3} ms  {:>6} hits  {}",
            q.median_ms, q.total_hits, q.query
        );
    }
    println!(
        "\n{} queries × {} runs on {}: p50 {:.3} ms, p90 {:.3} ms, p99 {:.3} ms, mean {:.3} ms, max {:.3} ms, {:.0} queries/s (one thread)",
        report.queries,
        report.runs,
        report.index,
        report.p50_ms,
        report.p90_ms,
        report.p99_ms,
        report.mean_ms,
        report.max_ms,
        report.queries_per_second
    );
    Ok(Outcome::Success)
}

/// The `q` quantile of sorted values (nearest rank).
fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((sorted.len() as f64 * q).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}
