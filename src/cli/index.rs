//! `quorum index`: build or update an index, with a progress bar on a terminal.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};

use super::places::Places;
use super::{IndexDir, LangAuto, Outcome};
use crate::index::build::{self, Reporter, Summary};
use crate::index::interrupt::Interrupt;
use crate::index::store::Store;
use crate::ingest::{Skip, SkipReason, Warning};

/// `index --help`: the exit codes.
pub const EXIT_CODES: &str = "\
Exit codes: 0 when the run indexed, updated, removed or found unchanged at least one
document (some inputs may have been skipped: the summary counts them); 2 when it could do
none of that (every input skipped or unreadable, or none found), or on an error (a full
disk among them: the index keeps its last commit); 130 or 143 when SIGINT or SIGTERM
stopped it at a document boundary (the index keeps its last commit, and a rebuild's
unfinished generation is removed; a second signal ends it at once). A closed pipe
exits 0.";

/// Arguments of `quorum index`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files and folders to index, searched recursively [default: corpus/ beside the
    /// default index].
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub index: IndexDir,
    /// The language of documents whose metadata gives none: fr, en, or auto (detect).
    #[arg(long, value_enum, default_value_t = LangAuto::Auto)]
    pub lang: LangAuto,
    /// Build a complete new index beside the old one, then swap it in atomically.
    #[arg(long, conflicts_with = "remove")]
    pub rebuild: bool,
    /// Take the documents of PATH out of the index without deleting their files.
    #[arg(long)]
    pub remove: bool,
    /// Indexing memory budget in MB.
    #[arg(long, value_name = "MB", default_value_t = build::DEFAULT_MEMORY_MB)]
    pub memory: usize,
    /// Input MB read between two commits: a crash loses at most this much work.
    ///
    /// A fraction is allowed (`0.5`); 0 means 1.
    #[arg(long, value_name = "MB", value_parser = parse_commit_mb,
          default_value_t = (build::COMMIT_EVERY_BYTES / 1_048_576) as f64)]
    pub commit_mb: f64,
    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,
    /// No progress bar and no per-file messages; the summary only.
    #[arg(long, short)]
    pub quiet: bool,
}

/// `--commit-mb`: a number of MB, not negative.
fn parse_commit_mb(value: &str) -> Result<f64, String> {
    match value.parse::<f64>() {
        Ok(mb) if mb.is_finite() && mb >= 0.0 => Ok(mb),
        _ => Err(format!("`{value}` is not a number of MB (0 or more)")),
    }
}

pub fn run(args: Args) -> anyhow::Result<Outcome> {
    crate::index::fault::check().map_err(anyhow::Error::msg)?;
    let (dir, _) = args.index.resolve();
    let paths = if args.paths.is_empty() {
        if args.remove {
            anyhow::bail!("--remove needs the paths whose documents to take out");
        }
        vec![Places::current().corpus()?]
    } else {
        args.paths.clone()
    };
    let mut options = build::Options::new(paths);
    options.lang = args.lang.into();
    options.rebuild = args.rebuild;
    options.remove = args.remove;
    options.memory_mb = args.memory;
    options.commit_every = if args.commit_mb > 0.0 {
        ((args.commit_mb * 1_048_576.0) as u64).max(1)
    } else {
        1_048_576
    };
    // Only a run that writes stops gracefully: every other command ends on a signal.
    options.interrupt =
        Interrupt::on_signals().context("installing the SIGINT and SIGTERM handlers")?;
    let summary = index_with_report(&dir, &options, args.quiet)?;
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &summary)?;
        writeln!(out)?;
    } else {
        print_summary(&mut out, &summary, &dir)?;
    }
    out.flush()?;
    if indexed_nothing(&summary, args.remove) {
        eprintln!(
            "quorum: nothing could be indexed: {}",
            if summary.skipped_total() == 0 {
                "no file to index was found".to_string()
            } else {
                format!(
                    "every input was skipped ({} skipped, named above)",
                    summary.skipped_total()
                )
            }
        );
        return Ok(Outcome::Failed);
    }
    Ok(Outcome::Success)
}

/// True when a run did nothing a user asked for: no document was indexed, updated,
/// removed or found unchanged. `--remove` of paths with no documents is not a failure.
fn indexed_nothing(summary: &Summary, remove: bool) -> bool {
    !remove && summary.added + summary.updated + summary.removed + summary.unchanged == 0
}

/// Runs an index build, reporting to stderr.
fn index_with_report(dir: &Path, options: &build::Options, quiet: bool) -> anyhow::Result<Summary> {
    let store = Store::new(dir);
    let mut reporter = Terminal::new(quiet);
    build::run(&store, options, &mut reporter)
        .with_context(|| format!("indexing into {}", dir.display()))
}

/// Prints the summary of a run.
pub fn print_summary(out: &mut impl Write, summary: &Summary, dir: &Path) -> std::io::Result<()> {
    if let Some(reason) = &summary.rebuild_reason {
        writeln!(out, "{reason}")?;
    }
    let skipped = if summary.skipped.is_empty() {
        String::new()
    } else {
        let reasons: Vec<String> = summary
            .skipped
            .iter()
            .map(|(reason, n)| format!("{reason} {n}"))
            .collect();
        format!(" ({})", reasons.join(", "))
    };
    writeln!(
        out,
        "added {}, updated {}, removed {}, unchanged {}, skipped {}{}",
        summary.added,
        summary.updated,
        summary.removed,
        summary.unchanged,
        summary.skipped_total(),
        skipped
    )?;
    if summary.is_noop() && !summary.rebuilt {
        writeln!(out, "nothing changed: no indexing work done")?;
    }
    writeln!(
        out,
        "{} documents in {}; this run: {} passages, {:.1} MB read in {:.2} s ({:.1} MB/s){}",
        summary.documents,
        dir.display(),
        summary.passages,
        summary.bytes as f64 / 1e6,
        summary.seconds,
        summary.mb_per_s(),
        if summary.rebuilt {
            ", new index swapped in"
        } else {
            ""
        }
    )
}

/// Skips of one reason printed one by one; the rest are counted in the summary. A
/// folder given twice (`sample/` beside the sources) would otherwise print hundreds of
/// duplicate lines.
const SKIPS_SHOWN_PER_REASON: usize = 20;

/// Prints skips and warnings to stderr and draws a progress bar on a terminal.
pub(super) struct Terminal {
    bar: Option<ProgressBar>,
    quiet: bool,
    shown: std::collections::HashMap<&'static str, usize>,
}

impl Terminal {
    pub(super) fn new(quiet: bool) -> Terminal {
        Terminal {
            bar: None,
            quiet,
            shown: std::collections::HashMap::new(),
        }
    }

    fn say(&self, message: String) {
        match &self.bar {
            Some(bar) => bar.println(message),
            None => eprintln!("{message}"),
        }
    }
}

impl Reporter for Terminal {
    fn start(&mut self, total_bytes: u64) {
        if self.quiet || !std::io::stderr().is_terminal() {
            return;
        }
        let bar = ProgressBar::new(total_bytes);
        let style = ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} {binary_bytes_per_sec} ETA {eta} {msg}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        self.bar = Some(bar);
    }

    fn advance(&mut self, bytes: u64, file: &Path) {
        if let Some(bar) = &self.bar {
            bar.inc(bytes);
            let name = file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if bar.message() != name {
                bar.set_message(name);
            }
        }
    }

    fn skip(&mut self, skip: &Skip) {
        if self.quiet {
            return;
        }
        let shown = self.shown.entry(skip.reason.label()).or_insert(0);
        *shown += 1;
        if *shown <= SKIPS_SHOWN_PER_REASON {
            // A note beside the documents is expected, not a problem: it is named, and
            // counted, without the alarm of a warning.
            let label = match skip.reason {
                SkipReason::Note => "note",
                _ => "warning",
            };
            self.say(format!("{label}: {skip}"));
        }
    }

    fn warning(&mut self, warning: &Warning) {
        if !self.quiet {
            self.say(format!("warning: {warning}"));
        }
    }

    fn committing(&mut self) {
        if let Some(bar) = &self.bar {
            bar.set_message("committing");
        }
    }

    fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
        let mut hidden: Vec<_> = self
            .shown
            .iter()
            .filter(|(_, n)| **n > SKIPS_SHOWN_PER_REASON)
            .map(|(reason, n)| (*reason, n - SKIPS_SHOWN_PER_REASON))
            .collect();
        hidden.sort();
        for (reason, n) in hidden {
            eprintln!("warning: {n} more skipped ({reason}) not shown one by one");
        }
    }
}
