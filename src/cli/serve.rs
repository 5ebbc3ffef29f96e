//! `quorum serve`: the HTTP API and the search page on an index, on loopback unless
//! `--addr` says otherwise.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;

use super::{IndexDir, Outcome};
use crate::index::store::Store;
use crate::serve::state::{Limits, State};
use crate::serve::{self as server, Timeouts};

/// The address `quorum serve` listens on by default.
pub const DEFAULT_ADDR: &str = "127.0.0.1:8080";

/// `serve --help`: the endpoints and the exit codes.
pub const AFTER_HELP: &str = "\
Endpoints:
  /                        the search page
  /api/search?q=…          the JSON of `quorum search --json`; also lang, type, year,
                           limit (at most 100), offset, group, sort (relevance, date, -date)
  /api/doc?id=…&lang=      a document's passages, the JSON of `quorum show --json`
  /api/stats               the JSON of `quorum stats --json`
  /healthz                 200 while the server runs
A rebuild of the index is picked up within a second, without a restart.
Each request is logged on stderr (RUST_LOG=quorum::serve=warn to quiet it).

Exit codes: 2 when the index cannot be opened or the address cannot be bound.";

/// Arguments of `quorum serve`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub index: IndexDir,
    /// The address to listen on. Any address but loopback makes the index searchable
    /// by whoever can reach this machine, and the server says so when it starts; port 0
    /// takes a free port, and the address printed says which.
    #[arg(long, value_name = "HOST:PORT", default_value = DEFAULT_ADDR)]
    pub addr: SocketAddr,
    /// Searches that run at once [default: the number of cores, at least 2].
    #[arg(long, value_name = "N")]
    pub workers: Option<usize>,
    /// Requests that may wait for a free worker; past them, or after waiting 10 s, a
    /// request gets 503 with Retry-After.
    #[arg(long, value_name = "N", default_value_t = Limits::default().queue)]
    pub queue: usize,
    /// Seconds a client has to send a request's headers before the connection is
    /// dropped.
    #[arg(long, value_name = "SECS", default_value_t = Timeouts::default().headers.as_secs_f64())]
    pub header_timeout: f64,
    /// Seconds the server has to answer a request once it is read (then 503); a search
    /// stops between segments after a third of it.
    #[arg(long, value_name = "SECS", default_value_t = Timeouts::default().request.as_secs_f64())]
    pub request_timeout: f64,
}

/// A number of seconds from a flag, checked.
fn seconds(flag: &str, secs: f64) -> anyhow::Result<std::time::Duration> {
    std::time::Duration::try_from_secs_f64(secs)
        .ok()
        .filter(|d| !d.is_zero())
        .with_context(|| format!("{flag} must be a positive number of seconds, not {secs}"))
}

/// What the server says at start-up about the address it listens on: a warning for any
/// address but loopback.
pub fn address_notice(addr: &SocketAddr, index: &std::path::Path) -> Option<String> {
    (!server::is_loopback(addr)).then(|| {
        format!(
            "warning: listening on {addr}, which is not loopback: anyone who can reach this \
             machine can search {}",
            index.display()
        )
    })
}

pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let (dir, default) = args.index.resolve();
    let store = Store::new(&dir);
    if default {
        super::search::build_default(&store, &dir)?;
    }
    let mut limits = Limits::default();
    if let Some(workers) = args.workers {
        anyhow::ensure!(workers > 0, "--workers must be at least 1");
        limits.workers = workers;
    }
    limits.queue = args.queue;
    let timeouts = Timeouts {
        headers: seconds("--header-timeout", args.header_timeout)?,
        request: seconds("--request-timeout", args.request_timeout)?,
    };
    limits.search_time = timeouts.request / 3;
    let state = State::open(store, limits).with_context(|| format!("opening {}", dir.display()))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_io()
        .enable_time()
        // The searches' threads, and a few for the blocking work around them.
        .max_blocking_threads(limits.workers + 4)
        .build()
        .context("starting the server's threads")?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(args.addr)
            .await
            .with_context(|| format!("listening on {}", args.addr))?;
        let addr = listener.local_addr().context("reading the bound address")?;
        if let Some(warning) = address_notice(&addr, &dir) {
            eprintln!("{warning}");
        }
        eprintln!("serving {} on http://{addr}/", dir.display());
        let state = Arc::new(state);
        state.watch();
        let router = server::router_with(state, timeouts.request);
        server::serve(listener, router, timeouts)
            .await
            .context("serving")
    })?;
    Ok(Outcome::Success)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_goes_without_a_warning() {
        let index = std::path::Path::new("index");
        for quiet in ["127.0.0.1:8080", "[::1]:8080", "127.0.0.2:0"] {
            assert_eq!(
                address_notice(&quiet.parse().unwrap(), index),
                None,
                "{quiet}"
            );
        }
        for loud in ["0.0.0.0:8080", "[::]:8080", "192.168.1.10:80"] {
            let warning = address_notice(&loud.parse().unwrap(), index).unwrap_or_default();
            assert!(warning.contains("not loopback"), "{loud}: {warning}");
        }
    }

    #[test]
    fn every_flag_parses() {
        use clap::Parser;
        let cli = crate::cli::Cli::try_parse_from([
            "quorum",
            "serve",
            "--index",
            "idx",
            "--addr",
            "0.0.0.0:9000",
            "--workers",
            "3",
            "--queue",
            "7",
            "--header-timeout",
            "2.5",
            "--request-timeout",
            "30",
        ])
        .expect("parses");
        let crate::cli::Command::Serve(args) = cli.command else {
            panic!("not serve");
        };
        assert_eq!(args.addr, "0.0.0.0:9000".parse().unwrap());
        assert_eq!((args.workers, args.queue), (Some(3), 7));
        assert_eq!((args.header_timeout, args.request_timeout), (2.5, 30.0));
        let defaults = crate::cli::Cli::try_parse_from(["quorum", "serve"]).expect("parses");
        let crate::cli::Command::Serve(args) = defaults.command else {
            panic!("not serve");
        };
        assert_eq!(args.addr.to_string(), DEFAULT_ADDR);
        assert!(
            crate::cli::Cli::try_parse_from(["quorum", "serve", "--addr", "localhost"]).is_err()
        );
        // `search --sort` takes the API's values, `-date` included.
        let search =
            crate::cli::Cli::try_parse_from(["quorum", "search", "--sort", "-date", "paix"])
                .expect("parses");
        let crate::cli::Command::Search(args) = search.command else {
            panic!("not search");
        };
        assert_eq!(args.sort, crate::search::Sort::Newest);
        assert!(
            crate::cli::Cli::try_parse_from(["quorum", "search", "--sort", "year", "paix"])
                .is_err()
        );
    }

    #[test]
    fn timeouts_must_be_positive() {
        assert!(seconds("--header-timeout", 0.5).is_ok());
        for bad in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            assert!(seconds("--header-timeout", bad).is_err(), "{bad}");
        }
    }
}
