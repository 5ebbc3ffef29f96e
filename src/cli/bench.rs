//! `quorum bench`: query latency over a query set, in one warm process.
//!
//! Each query runs `--warmup` times unmeasured, then `--iterations` times measured,
//! exactly as `search` runs it: the top 10 with snippets, and the count of every
//! match (`--no-count` ranks the page alone where the query allows it, as
//! `search --no-count` does). A query whose answer changes between
//! runs is an error: a benchmark that returns a different answer each time measures
//! nothing. The whole set then runs again on `--threads` threads for throughput.

use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use anyhow::Context;
use serde::Serialize;

use super::{IndexDir, LangArg, Outcome};
use crate::index::store::Store;
use crate::search::query_file::{self, QuerySet};
use crate::search::{Engine, Request, Response};

/// The query sets shipped with quorum, one file per class (`benches/queries/`).
const DEFAULT_SETS: [(&str, &str); 7] = [
    ("single", include_str!("../../benches/queries/single.tsv")),
    ("multi", include_str!("../../benches/queries/multi.tsv")),
    ("phrase", include_str!("../../benches/queries/phrase.tsv")),
    ("accents", include_str!("../../benches/queries/accents.tsv")),
    ("symbols", include_str!("../../benches/queries/symbols.tsv")),
    (
        "prefix-fuzzy",
        include_str!("../../benches/queries/prefix-fuzzy.tsv"),
    ),
    ("filters", include_str!("../../benches/queries/filters.tsv")),
];

/// Arguments of `quorum bench`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub index: IndexDir,
    /// Queries to time: a file with one query per line (`QID<TAB>QUERY` or a bare
    /// query; `#` starts a note), or a folder of such `.tsv` files, one per class
    /// [default: the shipped sets of benches/queries/].
    #[arg(long, value_name = "FILE")]
    pub queries: Option<PathBuf>,
    /// Measured runs of each query.
    #[arg(long, visible_alias = "runs", default_value_t = 50)]
    pub iterations: usize,
    /// Unmeasured runs of each query first.
    #[arg(long, default_value_t = 3)]
    pub warmup: usize,
    /// Threads for the throughput run, 1 or more [default: the machine's cores].
    #[arg(long, value_parser = threads)]
    pub threads: Option<usize>,
    /// Rank the top results without counting the matches (as `search --no-count`).
    #[arg(long)]
    pub no_count: bool,
    /// Count every match, past the 10,000 that a search counts by default (as
    /// `search --count-all`).
    #[arg(long, conflicts_with = "no_count")]
    pub count_all: bool,
    /// Results per query, as `search --limit` (snippets are part of the cost).
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    /// One passage per document, as `search --group`.
    #[arg(long)]
    pub group: bool,
    /// Analyze every query as this language and keep only its passages.
    #[arg(long, value_enum)]
    pub lang: Option<LangArg>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// `--threads N`: 1 or more. Zero threads would time nothing, so it is refused
/// rather than taken as 1.
fn threads(value: &str) -> Result<usize, String> {
    match value.parse::<usize>() {
        Ok(0) => Err("0 threads would run no query: give 1 or more".into()),
        Ok(n) => Ok(n),
        Err(e) => Err(format!("not a number of threads ({e})")),
    }
}

/// One query of a set.
#[derive(Clone, Debug)]
struct Query {
    qid: String,
    class: String,
    text: String,
}

#[derive(Serialize)]
struct QueryTiming {
    qid: String,
    class: String,
    query: String,
    /// Every match (or, with `--no-count`, the matches the ranking looked at).
    hits: usize,
    /// The whole page: search, stored passages and snippets.
    median_us: f64,
    /// The search part alone ([`quorum::search::Response::search_ms`]).
    median_search_us: f64,
    p95_us: f64,
    p99_us: f64,
    max_us: f64,
}

#[derive(Serialize)]
struct ClassTiming {
    class: String,
    queries: usize,
    sum_median_us: f64,
    sum_median_search_us: f64,
}

#[derive(Serialize)]
struct Report {
    index: String,
    queries: usize,
    iterations: usize,
    warmup: usize,
    count: bool,
    limit: usize,
    /// One passage per document (`--group`).
    group: bool,
    threads: usize,
    /// The sum over queries of each one's median: what the whole set costs once.
    sum_median_us: f64,
    /// The same sum for the search part alone: matching, the top 10 and the count,
    /// without reading stored passages or making snippets.
    sum_median_search_us: f64,
    /// Queries per second on one thread, measured runs only.
    qps: f64,
    /// Queries per second on `threads` threads sharing the index.
    qps_threads: f64,
    p50_us: f64,
    p95_us: f64,
    p99_us: f64,
    max_us: f64,
    classes: Vec<ClassTiming>,
    per_query: Vec<QueryTiming>,
}

pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let (dir, _) = args.index.resolve();
    let engine =
        Engine::open(&Store::new(&dir)).with_context(|| format!("opening {}", dir.display()))?;
    let queries: Vec<Query> = match &args.queries {
        Some(path) => query_file::load(path)?
            .into_iter()
            .flat_map(queries_of)
            .collect(),
        None => DEFAULT_SETS
            .iter()
            .flat_map(|(class, text)| parse_set(class, text))
            .collect(),
    };
    anyhow::ensure!(!queries.is_empty(), "no queries to run");
    let iterations = args.iterations.max(1);
    let threads = args.threads.unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    });
    let requests: Vec<Request> = queries
        .iter()
        .map(|q| {
            let request = Request {
                limit: args.limit,
                count: !args.no_count,
                count_limit: if args.count_all {
                    usize::MAX
                } else {
                    crate::search::COUNT_LIMIT
                },
                group: args.group,
                ..Request::new(q.text.clone())
            };
            match args.lang {
                Some(lang) => request.with_lang(lang.lang()),
                None => request,
            }
        })
        .collect();

    let mut all = Vec::with_capacity(queries.len() * iterations);
    let mut per_query = Vec::new();
    let mut measured_seconds = 0.0;
    for (query, request) in queries.iter().zip(&requests) {
        let mut answer: Option<Answer> = None;
        let mut times = Vec::with_capacity(iterations);
        let mut search_times = Vec::with_capacity(iterations);
        for run in 0..args.warmup + iterations {
            let at = Instant::now();
            let response = engine
                .search(request)
                .with_context(|| format!("query {}: {}", query.qid, query.text))?;
            let seconds = at.elapsed().as_secs_f64();
            let this = Answer::of(&response);
            match &answer {
                None => answer = Some(this),
                Some(first) => anyhow::ensure!(
                    *first == this,
                    "query {} answered differently between runs: {} hits, then {}",
                    query.qid,
                    first.hits,
                    this.hits
                ),
            }
            if run >= args.warmup {
                times.push(seconds * 1e6);
                search_times.push(response.search_ms * 1e3);
                measured_seconds += seconds;
            }
        }
        times.sort_by(f64::total_cmp);
        search_times.sort_by(f64::total_cmp);
        all.extend_from_slice(&times);
        per_query.push(QueryTiming {
            qid: query.qid.clone(),
            class: query.class.clone(),
            query: query.text.clone(),
            hits: answer.map_or(0, |a| a.hits),
            median_us: round(percentile(&times, 0.5)),
            median_search_us: round(percentile(&search_times, 0.5)),
            p95_us: round(percentile(&times, 0.95)),
            p99_us: round(percentile(&times, 0.99)),
            max_us: round(times.last().copied().unwrap_or(0.0)),
        });
    }
    all.sort_by(f64::total_cmp);
    let qps_threads = throughput(&engine, &requests, iterations, threads)?;

    let mut classes: Vec<ClassTiming> = Vec::new();
    for timing in &per_query {
        match classes.iter_mut().find(|c| c.class == timing.class) {
            Some(class) => {
                class.queries += 1;
                class.sum_median_us = round(class.sum_median_us + timing.median_us);
                class.sum_median_search_us =
                    round(class.sum_median_search_us + timing.median_search_us);
            }
            None => classes.push(ClassTiming {
                class: timing.class.clone(),
                queries: 1,
                sum_median_us: timing.median_us,
                sum_median_search_us: timing.median_search_us,
            }),
        }
    }
    let report = Report {
        index: dir.display().to_string(),
        queries: queries.len(),
        iterations,
        warmup: args.warmup,
        count: !args.no_count,
        limit: args.limit,
        group: args.group,
        threads,
        sum_median_us: round(per_query.iter().map(|q| q.median_us).sum()),
        sum_median_search_us: round(per_query.iter().map(|q| q.median_search_us).sum()),
        qps: round(all.len() as f64 / measured_seconds.max(f64::MIN_POSITIVE)),
        qps_threads: round(qps_threads),
        p50_us: round(percentile(&all, 0.5)),
        p95_us: round(percentile(&all, 0.95)),
        p99_us: round(percentile(&all, 0.99)),
        max_us: round(all.last().copied().unwrap_or(0.0)),
        classes,
        per_query,
    };
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
    } else {
        print_report(&mut out, &report)?;
    }
    Ok(Outcome::Success)
}

/// What must not change between two runs of a query: the count and the page.
#[derive(PartialEq, Eq)]
struct Answer {
    hits: usize,
    page: Vec<(String, String, u64)>,
}

impl Answer {
    fn of(response: &Response) -> Answer {
        Answer {
            hits: response.total_hits,
            page: response
                .hits
                .iter()
                .map(|h| (h.id.clone(), h.lang.clone(), h.passage))
                .collect(),
        }
    }
}

/// Queries per second with `threads` threads taking the next search from a shared
/// counter until `iterations` runs of every query are done.
fn throughput(
    engine: &Engine,
    requests: &[Request],
    iterations: usize,
    threads: usize,
) -> anyhow::Result<f64> {
    let total = requests.len() * iterations;
    let next = AtomicUsize::new(0);
    let started = Instant::now();
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads.max(1))
            .map(|_| {
                scope.spawn(|| -> anyhow::Result<()> {
                    loop {
                        let n = next.fetch_add(1, Ordering::Relaxed);
                        if n >= total {
                            return Ok(());
                        }
                        engine.search(&requests[n % requests.len()])?;
                    }
                })
            })
            .collect();
        workers.into_iter().try_for_each(|w| {
            w.join()
                .unwrap_or_else(|_| Err(anyhow::anyhow!("a thread panicked")))
        })
    })?;
    Ok(total as f64 / started.elapsed().as_secs_f64().max(f64::MIN_POSITIVE))
}

/// The queries of one set ([`query_file`] format).
fn parse_set(class: &str, text: &str) -> Vec<Query> {
    queries_of(QuerySet {
        class: class.to_string(),
        queries: query_file::parse(text),
    })
}

/// The queries of a set, each with its class. A bare query's id is its class and
/// line number.
fn queries_of(set: QuerySet) -> Vec<Query> {
    let class = set.class;
    set.queries
        .into_iter()
        .map(|entry| Query {
            qid: entry
                .qid
                .unwrap_or_else(|| format!("{class}-{}", entry.line)),
            class: class.clone(),
            text: entry.query,
        })
        .collect()
}

fn print_report(out: &mut impl Write, report: &Report) -> std::io::Result<()> {
    writeln!(
        out,
        "{:<28} {:>8} {:>10} {:>10} {:>10} {:>10} {:>10}  query",
        "qid", "hits", "median µs", "search µs", "p95 µs", "p99 µs", "max µs"
    )?;
    for q in &report.per_query {
        writeln!(
            out,
            "{:<28} {:>8} {:>10.1} {:>10.1} {:>10.1} {:>10.1} {:>10.1}  {}",
            q.qid, q.hits, q.median_us, q.median_search_us, q.p95_us, q.p99_us, q.max_us, q.query
        )?;
    }
    writeln!(out)?;
    for class in &report.classes {
        writeln!(
            out,
            "{:<14} {:>3} queries, sum of medians {:>10.1} µs (search part {:.1} µs)",
            class.class, class.queries, class.sum_median_us, class.sum_median_search_us
        )?;
    }
    writeln!(
        out,
        "\n{} queries × {} iterations on {}{}: sum of medians {:.1} µs (search part {:.1} µs); p50 {:.1} µs, p95 {:.1} µs, p99 {:.1} µs, max {:.1} µs; {:.0} queries/s on one thread, {:.0} on {} threads",
        report.queries,
        report.iterations,
        report.index,
        if report.count { "" } else { " (top results only, not counted)" },
        report.sum_median_us,
        report.sum_median_search_us,
        report.p50_us,
        report.p95_us,
        report.p99_us,
        report.max_us,
        report.qps,
        report.qps_threads,
        report.threads,
    )
}

/// Rounds to a tenth, for reports.
fn round(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// The `q` quantile of sorted values (nearest rank).
fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((sorted.len() as f64 * q).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_sets_give_ids_classes_and_skip_notes() {
        let set = parse_set(
            "multi",
            "# a note\n\nq1\tSecurity Council\r\nmaintien de la paix\n",
        );
        let ids: Vec<_> = set
            .iter()
            .map(|q| (q.qid.as_str(), q.text.as_str()))
            .collect();
        assert_eq!(
            ids,
            [
                ("q1", "Security Council"),
                ("multi-4", "maintien de la paix")
            ]
        );
        assert!(set.iter().all(|q| q.class == "multi"));
    }

    #[test]
    fn shipped_sets_hold_the_named_queries() {
        let all: Vec<Query> = DEFAULT_SETS
            .iter()
            .flat_map(|(class, text)| parse_set(class, text))
            .collect();
        for named in [
            "contingents",
            "maintien de la paix",
            "\"maintien de la paix\"",
            "opérations",
            "operations",
            "l'Organisation",
            "œuvre",
            "oeuvre",
            "Security Council",
            "peacekeeping",
            "S/PRST/2015/4",
        ] {
            assert!(all.iter().any(|q| q.text == named), "{named} is missing");
        }
        let mut ids: Vec<&str> = all.iter().map(|q| q.qid.as_str()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), all.len(), "query ids are unique");
    }

    #[test]
    fn percentiles_take_the_nearest_rank() {
        let values: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(percentile(&values, 0.5), 50.0);
        assert_eq!(percentile(&values, 0.95), 95.0);
        assert_eq!(percentile(&values, 0.99), 99.0);
        assert_eq!(percentile(&[], 0.5), 0.0);
    }
}
