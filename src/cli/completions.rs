//! `quorum completions SHELL`: shell completions, from the clap definition.

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
    clap_complete::generate(args.shell, &mut command, "quorum", &mut std::io::stdout());
    Ok(Outcome::Success)
}
