//! The command line: clap structs hold what was typed; `run` opens indexes and files.
//!
//! One file per subcommand. Errors carry context (`anyhow`) and `main` maps them to
//! exit codes: 0 for hits or success, 1 for a search without hits, 2 for an error.

mod analyze;
mod bench;
mod completions;
mod eval;
mod index;
mod search;
mod show;
mod stats;

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::ingest::LangChoice;
use crate::Lang;

/// quorum: search United Nations Security Council texts in French and English.
#[derive(Debug, Parser)]
#[command(name = "quorum", version, about, long_about = None)]
pub struct Cli {
    /// The subcommand.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build or update an index from files and folders.
    Index(index::Args),
    /// Search an index and print ranked passages.
    Search(search::Args),
    /// Show the tokens each field gets for a text.
    Analyze(analyze::Args),
    /// Print statistics of an index.
    Stats(stats::Args),
    /// Print a document's metadata and its passages.
    Show(show::Args),
    /// Time queries against an index (latency percentiles).
    Bench(bench::Args),
    /// Print shell completions.
    Completions(completions::Args),
    /// Measure the ranking on the judged needs (nDCG@10, P@10), or make their pools.
    Eval(eval::Args),
}

/// A language flag value: `fr` or `en`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    /// French.
    Fr,
    /// English.
    En,
}

impl LangArg {
    /// The language.
    pub fn lang(self) -> Lang {
        match self {
            LangArg::Fr => Lang::Fr,
            LangArg::En => Lang::En,
        }
    }
}

/// A language flag value that may also be `auto`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum LangAuto {
    /// Detect it.
    #[default]
    Auto,
    /// French.
    Fr,
    /// English.
    En,
}

impl From<LangAuto> for LangChoice {
    fn from(lang: LangAuto) -> LangChoice {
        match lang {
            LangAuto::Auto => LangChoice::Auto,
            LangAuto::Fr => LangChoice::Fixed(Lang::Fr),
            LangAuto::En => LangChoice::Fixed(Lang::En),
        }
    }
}

/// The default index directory, relative to the working directory.
pub const DEFAULT_INDEX: &str = "index";
/// The default corpus directory.
pub const DEFAULT_CORPUS: &str = "corpus";

/// The `--index` option shared by the subcommands that read an index.
#[derive(Clone, Debug, clap::Args)]
pub struct IndexDir {
    /// The index directory [default: index/, or $QUORUM_INDEX].
    #[arg(long, value_name = "DIR", env = "QUORUM_INDEX")]
    pub index: Option<PathBuf>,
}

impl IndexDir {
    /// The directory, and whether it is the default.
    pub fn resolve(&self) -> (PathBuf, bool) {
        match &self.index {
            Some(dir) => (dir.clone(), false),
            None => (PathBuf::from(DEFAULT_INDEX), true),
        }
    }
}

/// What a command tells `main` to exit with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Success, or a search with hits.
    Success,
    /// A search without hits.
    NoHits,
    /// Errors were reported along the way (a batch of queries).
    Failed,
}

/// Runs the command line.
pub fn run(cli: Cli) -> anyhow::Result<Outcome> {
    match cli.command {
        Command::Index(args) => index::run(args),
        Command::Search(args) => search::run(args),
        Command::Analyze(args) => analyze::run(args),
        Command::Stats(args) => stats::run(args),
        Command::Show(args) => show::run(args),
        Command::Bench(args) => bench::run(args),
        Command::Completions(args) => completions::run(args),
        Command::Eval(args) => eval::run(args),
    }
}

/// True when styled output is wanted on stdout: a terminal, and `NO_COLOR` unset.
pub fn color_stdout() -> bool {
    use std::io::IsTerminal;
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_valid() {
        Cli::command().debug_assert();
    }
}
