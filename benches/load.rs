//! A load test of `quorum serve`: many concurrent clients on loopback for a while, with
//! the realistic queries of `benches/queries/*.tsv`, reporting requests per second and
//! the latency percentiles; it fails when any request did not get a 200.
//!
//! ```text
//! quorum index --index /tmp/scaled-index /tmp/scaled          # e.g. the 100 MB scaled corpus
//! cargo bench --bench load -- --index /tmp/scaled-index        # 64 clients, 10 s
//! cargo bench --bench load -- --index /tmp/scaled-index --rebuild /tmp/scaled
//! ```
//! With `--rebuild PATH`, `quorum index --rebuild` of the same index runs while the
//! clients do, and the report says which generation the server moved to.
//! Flags: `--clients N` (64), `--seconds S` (10), `--quorum BINARY` (the one cargo built),
//! `--without QUERY` (leave that query of the sets out, to see what one slow query costs).

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Empty};
use hyper::body::Bytes;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

struct Options {
    index: Option<PathBuf>,
    rebuild: Vec<PathBuf>,
    without: Vec<String>,
    clients: usize,
    seconds: f64,
    quorum: PathBuf,
}

fn options() -> Result<Options, String> {
    let mut options = Options {
        index: None,
        rebuild: Vec::new(),
        without: Vec::new(),
        clients: 64,
        seconds: 10.0,
        quorum: PathBuf::from(env!("CARGO_BIN_EXE_quorum")),
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{arg} needs a value"));
        match arg.as_str() {
            // cargo bench passes --bench to every bench binary.
            "--bench" => {}
            "--index" => options.index = Some(value()?.into()),
            "--rebuild" => options.rebuild.push(value()?.into()),
            "--without" => options.without.push(value()?),
            "--clients" => {
                options.clients = value()?.parse().map_err(|e| format!("--clients: {e}"))?
            }
            "--seconds" => {
                options.seconds = value()?.parse().map_err(|e| format!("--seconds: {e}"))?
            }
            "--quorum" => options.quorum = value()?.into(),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    if options.clients == 0 {
        return Err("--clients must be at least 1".into());
    }
    Ok(options)
}

/// The queries of every `benches/queries/*.tsv`, in file then line order.
fn queries() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/queries");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("benches/queries")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "tsv"))
        .collect();
    files.sort();
    files
        .iter()
        .flat_map(|f| {
            let text = std::fs::read_to_string(f).expect("a query file");
            quorum::search::query_file::parse(&text)
                .into_iter()
                .map(|q| q.query)
                .collect::<Vec<_>>()
        })
        .collect()
}

/// `quorum serve` on a free loopback port, and its address.
fn start_server(options: &Options, index: &Path) -> (std::process::Child, String) {
    let mut child = Command::new(&options.quorum)
        .args(["serve", "--addr", "127.0.0.1:0", "--index"])
        .arg(index)
        .env("RUST_LOG", "quorum=warn")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("quorum serve starts");
    let stderr = child.stderr.take().expect("stderr");
    let mut lines = BufReader::new(stderr).lines();
    let addr = loop {
        let line = lines
            .next()
            .expect("quorum serve exited before listening")
            .expect("stderr");
        if let Some(url) = line
            .strip_prefix("serving ")
            .and_then(|r| r.rsplit(" on ").next())
        {
            break url.trim_end_matches('/').to_string();
        }
    };
    // Keep reading stderr so that the server never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));
    (child, addr)
}

/// What one client saw: each answer's latency, and what went wrong.
#[derive(Default)]
struct Tally {
    micros: Vec<u64>,
    errors: Vec<String>,
}

async fn client_loop(
    client: Client<HttpConnector, Empty<Bytes>>,
    base: Arc<String>,
    queries: Arc<Vec<String>>,
    first: usize,
    until: Instant,
) -> Tally {
    let mut tally = Tally::default();
    let mut at = first;
    while Instant::now() < until {
        let query = &queries[at % queries.len()];
        at += 1;
        let q: String = form_urlencoded::byte_serialize(query.as_bytes()).collect();
        let uri: hyper::Uri = match format!("{base}/api/search?q={q}").parse() {
            Ok(uri) => uri,
            Err(e) => {
                tally.errors.push(format!("{query}: {e}"));
                continue;
            }
        };
        let started = Instant::now();
        match client.get(uri).await {
            Ok(response) => {
                let status = response.status();
                let body = response.into_body().collect().await;
                tally.micros.push(started.elapsed().as_micros() as u64);
                match body {
                    Ok(_) if status == 200 => {}
                    Ok(body) => tally.errors.push(format!(
                        "{query}: {status} {}",
                        String::from_utf8_lossy(&body.to_bytes())
                    )),
                    Err(e) => tally.errors.push(format!("{query}: {e}")),
                }
            }
            Err(e) => tally.errors.push(format!("{query}: {e}")),
        }
    }
    tally
}

/// The `p`th percentile of sorted microseconds, in milliseconds (nearest rank).
fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1] as f64 / 1e3
}

/// The generation the server says it serves (`/healthz`).
fn generation(base: &str) -> String {
    let addr = base.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(addr).expect("connects");
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .expect("sends");
    let mut reply = String::new();
    let _ = stream.read_to_string(&mut reply);
    reply
        .split("\"generation\":\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap_or("?")
        .to_string()
}

fn main() {
    let options = match options() {
        Ok(options) => options,
        Err(e) => {
            eprintln!("load: {e}");
            std::process::exit(2);
        }
    };
    let Some(index) = options.index.clone() else {
        eprintln!(
            "skipped the load bench: give it an index, e.g. `cargo bench --bench load -- \
             --index DIR` (see benches/load.rs)"
        );
        return;
    };
    let mut queries = queries();
    queries.retain(|q| !options.without.contains(q));
    assert!(
        queries.len() >= 40,
        "benches/queries holds {} queries",
        queries.len()
    );
    let queries = Arc::new(queries);
    let (mut server, base) = start_server(&options, &index);
    let before = generation(&base);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let mut rebuild = (!options.rebuild.is_empty()).then(|| {
        Command::new(&options.quorum)
            .args(["index", "--quiet", "--rebuild", "--index"])
            .arg(&index)
            .args(&options.rebuild)
            .stdout(Stdio::null())
            .spawn()
            .expect("quorum index --rebuild starts")
    });
    let started = Instant::now();
    let until = started + Duration::from_secs_f64(options.seconds);
    let base = Arc::new(base);
    let tallies: Vec<Tally> = runtime.block_on(async {
        let client = Client::builder(TokioExecutor::new())
            .pool_max_idle_per_host(options.clients)
            .build_http::<Empty<Bytes>>();
        let tasks: Vec<_> = (0..options.clients)
            .map(|i| {
                tokio::spawn(client_loop(
                    client.clone(),
                    base.clone(),
                    queries.clone(),
                    i * queries.len() / options.clients,
                    until,
                ))
            })
            .collect();
        let mut tallies = Vec::new();
        for task in tasks {
            tallies.push(task.await.expect("a client"));
        }
        tallies
    });
    let elapsed = started.elapsed().as_secs_f64();
    let rebuilt = rebuild.as_mut().map(|child| {
        let status = child.wait().expect("the rebuild ends");
        (status, started.elapsed().as_secs_f64())
    });
    // The server reads CURRENT at most once a second.
    std::thread::sleep(Duration::from_millis(1500));
    let after = generation(&base);
    let _ = server.kill();
    let _ = server.wait();

    let mut micros: Vec<u64> = tallies
        .iter()
        .flat_map(|t| t.micros.iter().copied())
        .collect();
    micros.sort_unstable();
    let errors: Vec<&String> = tallies.iter().flat_map(|t| &t.errors).collect();
    println!(
        "load: {} clients for {:.1} s, {} queries from benches/queries{}, index {}",
        options.clients,
        elapsed,
        queries.len(),
        if options.without.is_empty() {
            String::new()
        } else {
            format!(" (without {:?})", options.without)
        },
        index.display()
    );
    if let Some((status, seconds)) = &rebuilt {
        println!(
            "rebuild: quorum index --rebuild ran alongside and ended ({status}) after \
             {seconds:.1} s; generation {before} -> {after}"
        );
    }
    println!(
        "requests {}  req/s {:.0}  p50 {:.1} ms  p99 {:.1} ms  max {:.1} ms  errors {}",
        micros.len(),
        micros.len() as f64 / elapsed,
        percentile(&micros, 50.0),
        percentile(&micros, 99.0),
        micros.last().copied().unwrap_or(0) as f64 / 1e3,
        errors.len()
    );
    for error in errors.iter().take(5) {
        println!("  error: {error}");
    }
    assert!(!micros.is_empty(), "no request was answered");
    assert!(errors.is_empty(), "{} requests failed", errors.len());
    if let Some((status, _)) = rebuilt {
        assert!(status.success(), "the rebuild failed");
        assert_ne!(
            before, after,
            "the server did not move to the rebuilt generation"
        );
    }
}
