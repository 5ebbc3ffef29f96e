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
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let (dir, _) = args.index.resolve();
    let generation = Store::new(&dir).open_current()?;
    let lang = args.lang.map(LangArg::lang);
    let shown = documents(&generation, &args.id, lang.as_ref())
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
        }
        writeln!(out)?;
    }
    Ok(Outcome::Success)
}
