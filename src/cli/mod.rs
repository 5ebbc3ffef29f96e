//! The command line: clap structs hold what was typed; `run` opens indexes and files.
//!
//! One file per subcommand. Errors carry context (`anyhow`) and `main` maps them to
//! exit codes: 0 for hits or success, 1 for a search without hits, 2 for an error.

mod analyze;
pub mod argv;
mod bench;
mod completions;
mod eval;
mod explain;
mod export;
mod index;
mod lexicon;
pub mod places;
mod search;
mod serve;
mod show;
mod stats;

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::ingest::LangChoice;
use crate::Lang;

/// quorum: search United Nations Security Council texts in French and English.
#[derive(Debug, Parser)]
#[command(name = "quorum", version, about, long_about = None, after_help = EXIT_CODES)]
pub struct Cli {
    /// The subcommand.
    #[command(subcommand)]
    pub command: Command,
}

/// Every command's exit codes, for `quorum --help`.
const EXIT_CODES: &str = "\
Exit codes:
  search         0 with hits, 1 without, 2 on an error (with --queries: 2 when a line failed)
  index          0 when something was indexed, updated, removed or found unchanged;
                 2 when nothing could be (every input skipped or unreadable), or on an error
  other commands 0 on success, 2 on an error
  A closed pipe (`quorum ... | head`) ends any command quietly with 0.

The default index: $QUORUM_INDEX; else index/ when run from quorum's repository; else
index/ in the per-user data folder (~/.local/share/quorum on Linux), built on first use
from its corpus/, which starts with the text shipped in quorum.";

/// The exit codes of `quorum lexicon`.
const LEXICON_EXIT_CODES: &str =
    "Exit codes: 0 on success; 1 when `show` finds no translation; 2 on an error.";

/// The exit codes of the commands that only succeed or fail.
const EXIT_0_OR_2: &str = "Exit codes: 0 on success, 2 on an error; a closed pipe exits 0.";

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build or update an index from files and folders.
    #[command(after_help = index::EXIT_CODES)]
    Index(index::Args),
    /// Search an index and print ranked passages.
    #[command(after_help = search::AFTER_HELP, after_long_help = search::AFTER_LONG_HELP)]
    Search(search::Args),
    /// Show the tokens each field gets for a text.
    #[command(after_help = EXIT_0_OR_2)]
    Analyze(analyze::Args),
    /// Print statistics of an index.
    #[command(after_help = EXIT_0_OR_2)]
    Stats(stats::Args),
    /// Print a document's metadata and its passages.
    #[command(after_help = EXIT_0_OR_2)]
    Show(show::Args),
    /// Write every passage of an index as JSON Lines.
    #[command(after_help = EXIT_0_OR_2)]
    Export(export::Args),
    /// Time queries against an index (latency percentiles).
    #[command(after_help = EXIT_0_OR_2)]
    Bench(bench::Args),
    /// Serve the HTTP API and the search page.
    #[command(after_help = serve::AFTER_HELP)]
    Serve(serve::Args),
    /// Print shell completions.
    #[command(after_help = EXIT_0_OR_2)]
    Completions(completions::Args),
    /// Measure the ranking on the judged needs (nDCG@10, P@10), or make their pools.
    Eval(eval::Args),
    /// Learn or look up the French-English term table of cross-language search.
    #[command(after_help = LEXICON_EXIT_CODES)]
    Lexicon(lexicon::Args),
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

pub use places::{DEFAULT_CORPUS, DEFAULT_INDEX};

/// The `--index` option shared by the subcommands that read an index.
#[derive(Clone, Debug, clap::Args)]
pub struct IndexDir {
    /// The index directory [default: $QUORUM_INDEX; else index/ when run from quorum's
    /// repository; else index/ in the per-user data folder, ~/.local/share/quorum on
    /// Linux].
    #[arg(long, value_name = "DIR", env = "QUORUM_INDEX")]
    pub index: Option<PathBuf>,
}

impl IndexDir {
    /// The directory, and whether it is the default ([`places::Places`]).
    pub fn resolve(&self) -> (PathBuf, bool) {
        match &self.index {
            Some(dir) => (dir.clone(), false),
            None => (places::Places::current().index(), true),
        }
    }
}

/// `--color`: when output is styled.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless `NO_COLOR` is set.
    #[default]
    Auto,
    /// Always, even into a pipe or a file.
    Always,
    /// Never.
    Never,
}

/// What a command tells `main` to exit with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Success, or a search with hits.
    Success,
    /// A search without hits.
    NoHits,
    /// Errors were reported along the way (a batch of queries), or an index run could
    /// index nothing.
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
        Command::Export(args) => export::run(args),
        Command::Bench(args) => bench::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Completions(args) => completions::run(args),
        Command::Eval(args) => eval::run(args),
        Command::Lexicon(args) => lexicon::run(args),
    }
}

/// True when styled output is wanted on stdout: always, never, or (auto) on a
/// terminal with `NO_COLOR` unset.
pub fn color_stdout(choice: ColorChoice) -> bool {
    use std::io::IsTerminal;
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    }
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
