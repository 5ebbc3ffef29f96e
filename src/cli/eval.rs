//! `quorum eval`: nDCG@10 and P@10 of the ranking on the judged set, and the two steps
//! that make the judged set: `quorum eval pool` writes what the assessors read, and
//! `quorum eval merge` turns what they graded into judgments.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;

use super::{IndexDir, Outcome};
use crate::eval::baseline::Baseline;
use crate::eval::judged::{Need, Needs, Qrels};
use crate::eval::pool::{self, Key};
use crate::eval::report::{evaluate, Repeats, Report, Summary};
use crate::eval::systems::{External, Found, Quorum, System};
use crate::eval::{Problem, DEPTH};
use crate::index::store::Store;
use crate::search::Engine;

/// The needs file of the judged set, relative to the repository.
pub const NEEDS: &str = "benches/judged/needs.tsv";
/// The judgments of the judged set.
pub const QRELS: &str = "benches/judged/qrels.tsv";

/// Arguments of `quorum eval`.
#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Args {
    /// Make the judged set instead of measuring on it.
    #[command(subcommand)]
    pub action: Option<Action>,
    #[command(flatten)]
    pub index: IndexDir,
    /// The written needs: `id<TAB>lang<TAB>query<TAB>need`.
    #[arg(long, value_name = "FILE", default_value = NEEDS)]
    pub needs: PathBuf,
    /// The judgments: `need<TAB>id<TAB>lang<TAB>passage<TAB>grade<TAB>assessor<TAB>date`.
    #[arg(long, value_name = "FILE", default_value = QRELS)]
    pub qrels: PathBuf,
    /// Measure the plain BM25 baseline too (tantivy's default tokenizer, OR of the
    /// query's terms, on a copy of the index's passages made in memory).
    #[arg(long)]
    pub baseline: bool,
    /// Measure another quorum binary too, run as `BIN search --json` on the same index
    /// (repeatable).
    #[arg(long, value_name = "BIN")]
    pub also: Vec<PathBuf>,
    /// Print each need's scores as well.
    #[arg(long)]
    pub per_need: bool,
    /// Give a passage shown again on one page (the same words in another record) its
    /// grade again, instead of no gain.
    #[arg(long)]
    pub count_repeats: bool,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// The steps that make the judged set.
#[derive(Debug, clap::Subcommand)]
pub enum Action {
    /// Write one pool file per need for the assessors, and the key that maps its
    /// entries back to passages.
    Pool(PoolArgs),
    /// Add the grades written in pool files to the judgments.
    Merge(MergeArgs),
}

/// A system that `quorum eval pool` can take the first passages of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum SystemArg {
    /// quorum's current ranking.
    Quorum,
    /// The plain BM25 baseline.
    Baseline,
}

/// Arguments of `quorum eval pool`.
#[derive(Debug, clap::Args)]
pub struct PoolArgs {
    #[command(flatten)]
    pub index: IndexDir,
    /// The written needs.
    #[arg(long, value_name = "FILE", default_value = NEEDS)]
    pub needs: PathBuf,
    /// The folder to write `<need>.txt` and `key.tsv` into. A pool file that already
    /// holds grades is never written over.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// The built-in systems to pool.
    #[arg(long, value_enum, value_delimiter = ',', default_values_t = [SystemArg::Quorum, SystemArg::Baseline])]
    pub systems: Vec<SystemArg>,
    /// Pool another quorum binary too, run as `BIN search --json` on the same index
    /// (repeatable): quorum as it was before a change. The key names it by its file
    /// name.
    #[arg(long, value_name = "BIN")]
    pub also: Vec<PathBuf>,
    /// How many passages of each system's list to pool.
    #[arg(long, default_value_t = DEPTH)]
    pub depth: usize,
    /// The seed of the order of each pool's entries.
    #[arg(long, default_value_t = 10)]
    pub seed: u64,
}

/// Arguments of `quorum eval merge`.
#[derive(Debug, clap::Args)]
pub struct MergeArgs {
    /// The graded pool files.
    #[arg(required = true, value_name = "FILE")]
    pub graded: Vec<PathBuf>,
    /// The pool's key [default: key.tsv beside the first graded file].
    #[arg(long, value_name = "FILE")]
    pub key: Option<PathBuf>,
    /// The judgments to add to (written back in place).
    #[arg(long, value_name = "FILE", default_value = QRELS)]
    pub qrels: PathBuf,
    /// Who graded the files.
    #[arg(long, value_name = "NAME")]
    pub assessor: String,
    /// When they were graded (`YYYY-MM-DD`).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub date: String,
}

fn parse_date(text: &str) -> Result<String, String> {
    let parts: Vec<&str> = text.split('-').collect();
    let ok = matches!(parts[..], [y, m, d] if y.len() == 4 && m.len() == 2 && d.len() == 2)
        && parts.iter().all(|p| p.chars().all(|c| c.is_ascii_digit()));
    if ok {
        Ok(text.to_string())
    } else {
        Err(format!("`{text}` is not a date written YYYY-MM-DD"))
    }
}

pub fn run(args: Args) -> anyhow::Result<Outcome> {
    match args.action {
        Some(Action::Pool(pool)) => run_pool(pool),
        Some(Action::Merge(merge)) => run_merge(merge),
        None => run_eval(&args),
    }
}

fn warn(problems: &[Problem]) {
    for problem in problems {
        eprintln!("warning: {problem}");
    }
}

fn load_needs(path: &Path) -> anyhow::Result<Vec<Need>> {
    let needs = Needs::load(path).with_context(|| format!("reading {}", path.display()))?;
    warn(&needs.problems);
    anyhow::ensure!(!needs.needs.is_empty(), "{} holds no need", path.display());
    Ok(needs.needs)
}

fn open(index: &IndexDir) -> anyhow::Result<(PathBuf, Store, Engine)> {
    let (dir, _) = index.resolve();
    let store = Store::new(&dir);
    let engine = Engine::open(&store).with_context(|| format!("opening {}", dir.display()))?;
    Ok((dir, store, engine))
}

fn baseline(store: &Store, dir: &Path) -> anyhow::Result<Baseline> {
    let generation = store
        .open_current()
        .with_context(|| format!("opening {}", dir.display()))?;
    Baseline::build(&generation).context("building the baseline's index")
}

/// Names for the `--also` binaries: their file names, numbered when one is taken (a
/// binary called `quorum` is not the built-in ranking's `quorum`).
fn externals(bins: &[PathBuf], dir: &Path) -> Vec<External> {
    let mut taken: BTreeSet<String> = ["quorum", "baseline"].map(String::from).into();
    bins.iter()
        .map(|bin| {
            let external = External::new(bin, dir);
            let mut name = external.name().to_string();
            let mut n = 1;
            while !taken.insert(name.clone()) {
                n += 1;
                name = format!("{}-{n}", external.name());
            }
            external.named(name)
        })
        .collect()
}

fn run_eval(args: &Args) -> anyhow::Result<Outcome> {
    let (index, needs_path, qrels_path) = (&args.index, &args.needs, &args.qrels);
    let (with_baseline, also, per_need, json) =
        (args.baseline, &args.also, args.per_need, args.json);
    let needs = load_needs(needs_path)?;
    let qrels =
        Qrels::load(qrels_path).with_context(|| format!("reading {}", qrels_path.display()))?;
    warn(&qrels.problems);
    let (dir, store, engine) = open(index)?;
    let mut systems: Vec<Box<dyn System + '_>> = vec![Box::new(Quorum::new(&engine))];
    if with_baseline {
        systems.push(Box::new(baseline(&store, &dir)?));
    }
    for external in externals(also, &dir) {
        systems.push(Box::new(external));
    }
    let mut reports = Vec::new();
    let repeats = if args.count_repeats {
        Repeats::Count
    } else {
        Repeats::Zero
    };
    for system in &mut systems {
        let name = system.name().to_string();
        reports.push(
            evaluate(&needs, &qrels, system.as_mut(), DEPTH, repeats)
                .with_context(|| format!("running {name}"))?,
        );
    }
    let report = Report::new(&needs, &qrels, DEPTH, reports);
    let mut out = std::io::stdout().lock();
    if json {
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
    } else {
        print_report(&mut out, &report, per_need)?;
    }
    Ok(Outcome::Success)
}

fn print_report(out: &mut impl Write, report: &Report, per_need: bool) -> std::io::Result<()> {
    writeln!(
        out,
        "{} needs, {} judged, {} with a passage graded relevant; {} judgments",
        report.needs, report.judged_needs, report.scored_needs, report.judgments
    )?;
    if report.scored_needs == 0 {
        writeln!(
            out,
            "no need has a passage graded 1 or 2 yet: the figures below are empty until the pools are graded"
        )?;
    }
    let d = report.depth;
    writeln!(
        out,
        "{:<16} {:<4} {:>5} {:>9} {:>6} {:>13}",
        "system",
        "lang",
        "needs",
        format!("nDCG@{d}"),
        format!("P@{d}"),
        format!("unjudged@{d}")
    )?;
    let row = |out: &mut dyn Write, system: &str, lang: &str, s: &Summary| {
        // A mean over no need is no figure.
        let figure = |v: f64| {
            if s.needs == 0 {
                "-".to_string()
            } else {
                format!("{v:.3}")
            }
        };
        writeln!(
            out,
            "{system:<16} {lang:<4} {:>5} {:>9} {:>6} {:>13}",
            s.needs,
            figure(s.ndcg),
            figure(s.precision),
            figure(s.unjudged)
        )
    };
    for system in &report.systems {
        for (lang, summary) in &system.by_lang {
            row(out, &system.system, lang, summary)?;
        }
        row(out, &system.system, "all", &system.overall)?;
    }
    if per_need {
        for system in &report.systems {
            writeln!(out)?;
            for s in &system.per_need {
                let ndcg = s
                    .ndcg
                    .map_or_else(|| "-".to_string(), |v| format!("{v:.3}"));
                writeln!(
                    out,
                    "{:<16} {:<8} nDCG {ndcg:>5}  P {:.1}  unjudged {:.1}  {}",
                    system.system, s.need, s.precision, s.unjudged, s.query
                )?;
            }
        }
    }
    Ok(())
}

fn run_pool(args: PoolArgs) -> anyhow::Result<Outcome> {
    let needs = load_needs(&args.needs)?;
    let (dir, store, engine) = open(&args.index)?;
    let mut systems: Vec<Box<dyn System + '_>> = Vec::new();
    let mut chosen = args.systems.clone();
    chosen.dedup();
    for system in chosen {
        match system {
            SystemArg::Quorum => systems.push(Box::new(Quorum::new(&engine))),
            SystemArg::Baseline => systems.push(Box::new(baseline(&store, &dir)?)),
        }
    }
    for (bin, external) in args.also.iter().zip(externals(&args.also, &dir)) {
        eprintln!("pooling {} as `{}`", bin.display(), external.name());
        systems.push(Box::new(external));
    }
    anyhow::ensure!(!systems.is_empty(), "no system to pool");
    let mut key = vec![pool::KEY_HEADER.to_string()];
    let mut sizes = Vec::new();
    for need in &needs {
        let mut lists: Vec<(String, Vec<Found>)> = Vec::new();
        for system in &mut systems {
            let name = system.name().to_string();
            let found = system
                .top(need, args.depth)
                .with_context(|| format!("running {name} on need {}", need.id))?;
            lists.push((name, found));
        }
        let entries = pool::entries(need, &lists, args.depth, args.seed);
        pool::write(&args.out, need, &entries)
            .with_context(|| format!("writing the pool of need {}", need.id))?;
        key.extend(pool::key_lines(need, &entries));
        sizes.push((need.id.clone(), entries.len()));
    }
    let key_path = pool::write_key(&args.out, &key)
        .with_context(|| format!("writing the key into {}", args.out.display()))?;
    let total: usize = sizes.iter().map(|(_, n)| n).sum();
    let mut out = std::io::stdout().lock();
    for (need, n) in &sizes {
        writeln!(out, "{need}\t{n} entries")?;
    }
    writeln!(
        out,
        "{total} entries to grade for {} needs in {}, key in {}",
        sizes.len(),
        args.out.display(),
        key_path.display()
    )?;
    Ok(Outcome::Success)
}

fn run_merge(args: MergeArgs) -> anyhow::Result<Outcome> {
    let key_path = match &args.key {
        Some(path) => path.clone(),
        None => args.graded[0]
            .parent()
            .unwrap_or(Path::new("."))
            .join("key.tsv"),
    };
    let key = Key::load(&key_path).with_context(|| format!("reading {}", key_path.display()))?;
    warn(&key.problems);
    let mut qrels =
        Qrels::load(&args.qrels).with_context(|| format!("reading {}", args.qrels.display()))?;
    warn(&qrels.problems);
    // A line of the old file that cannot be read would not be written back, so the
    // file is only rewritten when it holds none.
    anyhow::ensure!(
        qrels.problems.is_empty(),
        "{} has lines that cannot be read: fix them first, nothing was written",
        args.qrels.display()
    );
    let mut failed = false;
    let mut out = std::io::stdout().lock();
    for file in &args.graded {
        let text = match std::fs::read_to_string(file) {
            Ok(text) => text,
            Err(e) => {
                eprintln!("error: reading {}: {e} (file skipped)", file.display());
                failed = true;
                continue;
            }
        };
        let graded = pool::read_graded(&file.display().to_string(), &text);
        warn(&graded.problems);
        failed |= !graded.problems.is_empty();
        let merged = pool::merge(&mut qrels, &key, &graded, &args.assessor, &args.date);
        for entry in &merged.unknown {
            eprintln!(
                "warning: {}: entry {entry} is not in {} (grade skipped)",
                file.display(),
                key_path.display()
            );
            failed = true;
        }
        writeln!(
            out,
            "{}: {} grades, {} judgments, {} left ungraded",
            file.display(),
            graded.grades.len(),
            merged.judgments,
            graded.ungraded
        )?;
    }
    // A temporary file of this run's own, never one that stands there already.
    let tmp = args
        .qrels
        .with_extension(format!("tsv.{}.tmp", std::process::id()));
    {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .with_context(|| format!("creating {}", tmp.display()))?;
        file.write_all(qrels.to_text().as_bytes())
            .with_context(|| format!("writing {}", tmp.display()))?;
    }
    std::fs::rename(&tmp, &args.qrels)
        .with_context(|| format!("writing {}", args.qrels.display()))?;
    writeln!(
        out,
        "{} now holds {} judgments",
        args.qrels.display(),
        qrels.judgments.len()
    )?;
    Ok(if failed {
        Outcome::Failed
    } else {
        Outcome::Success
    })
}
