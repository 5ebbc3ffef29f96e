//! `quorum show ID`: a document's metadata and its passages in order, numbered as
//! search numbers them. `--json` prints [`Documents`](crate::search::show::Documents),
//! the shape `GET /api/doc` serves: an object with a `documents` list.

use std::io::Write;

use super::{IndexDir, LangArg, Outcome};
use crate::index::store::Store;
use crate::search::show::documents;
use anyhow::Context;

/// Arguments of `quorum show`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The document id.
    pub id: String,
    /// Only the document in this language (ids are shared by French and English twins).
    #[arg(long, value_enum)]
    pub lang: Option<LangArg>,
    #[command(flatten)]
    pub index: IndexDir,
    /// The term table that aligns twin passages, made by `quorum lexicon build`
    /// [default: the one shipped in quorum].
    #[arg(long, value_name = "FILE", env = "QUORUM_LEXICON")]
    pub lexicon: Option<std::path::PathBuf>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let (dir, _) = args.index.resolve();
    let generation = Store::new(&dir).open_current()?;
    let lang = args.lang.map(LangArg::lang);
    let lexicon = match &args.lexicon {
        Some(path) => std::sync::Arc::new(
            crate::lexicon::Lexicon::read(path)
                .with_context(|| format!("reading the lexicon {}", path.display()))?,
        ),
        None => crate::lexicon::Lexicon::shipped()?,
    };
    let shown = documents(&generation, &args.id, lang.as_ref(), &lexicon)
        .with_context(|| format!("searching {}", dir.display()))?;
    if shown.documents.is_empty() {
        anyhow::bail!("no document with id {:?} in {}", args.id, dir.display());
    }
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &shown)?;
        writeln!(out)?;
        return Ok(Outcome::Success);
    }
    for doc in &shown.documents {
        writeln!(out, "id       {}", doc.id)?;
        writeln!(out, "lang     {}", doc.lang)?;
        for (name, value) in [
            ("symbol", &doc.symbol),
            ("title", &doc.title),
            ("date", &doc.date),
            ("type", &doc.doc_type),
            ("path", &doc.path),
        ] {
            if let Some(value) = value {
                writeln!(out, "{name:<8} {value}")?;
            }
        }
        if let Some(year) = doc.year {
            writeln!(out, "year     {year}")?;
        }
        for p in &doc.passages {
            writeln!(
                out,
                "\n[{}] ({}, bytes {}..{})",
                p.passage,
                p.lang,
                p.start.unwrap_or(0),
                p.end.unwrap_or(0)
            )?;
            writeln!(out, "{}", p.text)?;
            if let Some(twin) = &p.twin {
                writeln!(
                    out,
                    "  ⇄ {} [{}]: {}",
                    twin.lang,
                    twin.passage,
                    one_line(&twin.text)
                )?;
            }
        }
        writeln!(out)?;
    }
    Ok(Outcome::Success)
}

/// A text on one line, cut at 160 characters: the twin beside its passage.
fn one_line(text: &str) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match flat.char_indices().nth(160) {
        Some((at, _)) => format!("{}…", &flat[..at]),
        None => flat,
    }
}
