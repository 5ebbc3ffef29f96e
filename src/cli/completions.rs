//! `quorum completions SHELL`: shell completions, from the clap definition.

use std::io::Write;

use clap::CommandFactory;

use super::{Cli, Outcome};

/// Arguments of `quorum completions`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The shell: bash, zsh, fish, elvish or powershell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let mut command = Cli::command();
    // clap_complete panics on a failed write: write to memory, then to stdout, so that
    // a closed pipe is an error main takes as the quiet end it is.
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "quorum", &mut script);
    std::io::stdout().lock().write_all(&script)?;
    Ok(Outcome::Success)
}
