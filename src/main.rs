//! The `quorum` binary: parses the command line, runs it, maps the outcome to an exit
//! code (0 success or hits, 1 no hits, 2 error, 130 or 143 for an index run stopped by
//! SIGINT or SIGTERM). A broken pipe exits 0.

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;
use quorum::cli::{self, Cli, Outcome};
use tracing_subscriber::EnvFilter;

fn main() -> ExitCode {
    // Library log lines (tantivy's `ERROR`s on a damaged index) repeat what the error
    // quorum prints says, so only quorum's own warnings show unless RUST_LOG asks for
    // more (the server's request log aside); colour only on a terminal, so that a log file holds no escape codes.
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("quorum=warn,quorum::serve=info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        // A log line that cannot be written (stderr closed under a long-running
        // `quorum serve`) is dropped: reporting it on stderr would panic.
        .log_internal_errors(false)
        .init();
    let args = cli::argv::query_words_last(std::env::args_os().collect());
    match cli::run(Cli::parse_from(args)) {
        Ok(Outcome::Success) => ExitCode::SUCCESS,
        Ok(Outcome::NoHits) => ExitCode::from(1),
        Ok(Outcome::Failed) => ExitCode::from(2),
        Err(error) => {
            if is_broken_pipe(&error) {
                return ExitCode::SUCCESS;
            }
            eprintln!("quorum: {error:#}");
            // A run stopped by a signal exits as the shell says a process it ended does.
            match error
                .chain()
                .find_map(|c| c.downcast_ref::<quorum::index::Error>())
            {
                Some(quorum::index::Error::Interrupted { signal, .. }) => {
                    ExitCode::from(signal.exit_code())
                }
                _ => ExitCode::from(2),
            }
        }
    }
}

/// True when the reader of stdout went away (`quorum … | head`): the error of a write
/// anywhere in the chain, including one that serde_json wrapped in its own error.
fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        let kind = if let Some(io) = cause.downcast_ref::<std::io::Error>() {
            Some(io.kind())
        } else {
            cause
                .downcast_ref::<serde_json::Error>()
                .and_then(serde_json::Error::io_error_kind)
        };
        kind == Some(std::io::ErrorKind::BrokenPipe)
    })
}
