//! `quorum lexicon build` learns the FR↔EN term table from aligned texts, and
//! `quorum lexicon show WORD` prints a word's translations with their weights.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;

use super::{LangArg, Outcome};
use crate::lexicon::learn::{self, Corpus, Pair};
use crate::lexicon::Lexicon;
use crate::Lang;

/// Arguments of `quorum lexicon`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to do.
    #[command(subcommand)]
    pub command: LexiconCommand,
}

/// The `lexicon` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum LexiconCommand {
    /// Learn the table from aligned French and English records (the same id in both).
    ///
    /// With no file, it learns from the learning set of the shared UN corpus
    /// ($QUORUM_SHARED/corpus): the devset half of the UN Parallel Corpus sentences,
    /// the Charter and the Universal Declaration, which is how the shipped table is made.
    /// The testset half (`unpc-testset-…` ids, and regroups of them) is never learned
    /// from, whatever files are given.
    Build(BuildArgs),
    /// Print a word's translations with their weights.
    Show(ShowArgs),
}

/// Arguments of `quorum lexicon build`.
#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// JSON Lines files (or folders of them) whose records carry `id`, `lang` and `text`.
    pub files: Vec<PathBuf>,
    /// Learn from the documents of an index that exist in both languages (the same id)
    /// instead of from files.
    #[arg(long, value_name = "DIR", conflicts_with = "files")]
    pub from_index: Option<PathBuf>,
    /// Where to write the table [default: standard output].
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// EM iterations of IBM Model 1 in each direction.
    #[arg(long, default_value_t = 8)]
    pub iterations: usize,
    /// The fewest aligned pairs in which a translation must be seen.
    #[arg(long, default_value_t = learn::MIN_COUNT)]
    pub min_count: u32,
}

/// Arguments of `quorum lexicon show`.
#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// A word as typed: it is analyzed as each language's index analyzes it.
    pub word: String,
    /// Only its translations from this language.
    #[arg(long, value_enum)]
    pub lang: Option<LangArg>,
    /// A table made by `quorum lexicon build` instead of the shipped one.
    #[arg(long, value_name = "FILE", env = "QUORUM_LEXICON")]
    pub lexicon: Option<PathBuf>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: Args) -> anyhow::Result<Outcome> {
    match args.command {
        LexiconCommand::Build(args) => build(args),
        LexiconCommand::Show(args) => show(args),
    }
}

fn build(args: BuildArgs) -> anyhow::Result<Outcome> {
    let corpus = match (&args.from_index, args.files.is_empty()) {
        (Some(dir), _) => from_index(dir)?,
        (None, false) => learn::read(&args.files)?,
        (None, true) => {
            let shared = crate::ingest::shared::corpus_dir().context(
                "no files given, and the shared UN corpus was not found \
                 (set QUORUM_SHARED to the folder that holds corpus/SOURCES.md)",
            )?;
            learn::read(&learn::learning_set(&shared))?
        }
    };
    let mut err = std::io::stderr().lock();
    for skipped in &corpus.skipped {
        writeln!(err, "warning: skipped {skipped}")?;
    }
    writeln!(
        err,
        "{} aligned pairs; left out: {} held-out testset records, {} without a twin, {} repeated, {} in other languages",
        corpus.pairs.len(),
        corpus.held_out,
        corpus.unpaired,
        corpus.repeated,
        corpus.other_lang
    )?;
    if corpus.pairs.is_empty() {
        anyhow::bail!(
            "no aligned pair to learn from: records pair by the same id in French and English"
        );
    }
    let options = learn::Options {
        iterations: args.iterations,
        min_count: args.min_count,
    };
    let lexicon = learn::learn(&corpus.pairs, &options);
    let (french, english) = lexicon.terms();
    writeln!(
        err,
        "{french} French and {english} English terms have translations"
    )?;
    let text = lexicon.to_text();
    match &args.out {
        Some(path) => {
            // Only over nothing or a table of quorum's: never over a file it did not make.
            if let Ok(existing) = std::fs::read(path) {
                if !existing.starts_with(crate::lexicon::HEADER.as_bytes()) {
                    anyhow::bail!(
                        "{} exists and is not a quorum lexicon: it is left as it is; \
                         give another --out",
                        path.display()
                    );
                }
            }
            std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))?
        }
        None => std::io::stdout().lock().write_all(text.as_bytes())?,
    }
    Ok(Outcome::Success)
}

/// The aligned documents of an index: each id held in both languages, its passages
/// joined in order.
fn from_index(dir: &std::path::Path) -> anyhow::Result<Corpus> {
    let generation = crate::index::store::Store::new(dir).open_current()?;
    let pairs: Vec<Pair> = generation
        .aligned_documents()?
        .into_iter()
        .filter(|(id, _, _)| !learn::is_held_out(id))
        .map(|(id, fr, en)| Pair { id, fr, en })
        .collect();
    Ok(Corpus {
        pairs,
        ..Corpus::default()
    })
}

fn show(args: ShowArgs) -> anyhow::Result<Outcome> {
    let lexicon = match &args.lexicon {
        Some(path) => std::sync::Arc::new(Lexicon::read(path)?),
        None => Lexicon::shipped()?,
    };
    let langs = match args.lang {
        Some(lang) => vec![lang.lang()],
        None => vec![Lang::Fr, Lang::En],
    };
    let mut shown = Vec::new();
    for lang in langs {
        for (_, term) in learn::terms(&lang, &args.word) {
            let translations: Vec<serde_json::Value> = lexicon
                .translations(&lang, &term)
                .iter()
                .map(|t| {
                    serde_json::json!({
                        "terms": t.terms.iter().map(|(_, term)| term).collect::<Vec<_>>(),
                        "offsets": t.terms.iter().map(|(offset, _)| offset).collect::<Vec<_>>(),
                        "text": crate::lexicon::phrase_text(&t.terms),
                        "weight": t.weight,
                    })
                })
                .collect();
            shown.push(serde_json::json!({
                "lang": lang.code(),
                "term": term,
                "translations": translations,
            }));
        }
    }
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &shown)?;
        writeln!(out)?;
        return Ok(Outcome::Success);
    }
    let mut any = false;
    for entry in &shown {
        let translations = entry["translations"]
            .as_array()
            .map_or(&[][..], Vec::as_slice);
        let lang = entry["lang"].as_str().unwrap_or_default();
        let other = if lang == "fr" { "en" } else { "fr" };
        write!(
            out,
            "{lang} {} →",
            entry["term"].as_str().unwrap_or_default()
        )?;
        if translations.is_empty() {
            writeln!(out, " (none)")?;
            continue;
        }
        any = true;
        writeln!(out)?;
        for t in translations {
            writeln!(
                out,
                "  {other} {:<30} {:.3}",
                t["text"].as_str().unwrap_or_default(),
                t["weight"].as_f64().unwrap_or(0.0)
            )?;
        }
    }
    if shown.is_empty() {
        writeln!(
            out,
            "`{}` has no term to translate (a stop word or a number)",
            args.word
        )?;
    }
    Ok(if any {
        Outcome::Success
    } else {
        Outcome::NoHits
    })
}
