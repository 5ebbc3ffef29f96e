//! `quorum show ID`: a document's metadata and its passages in order, numbered as
//! search numbers them.

use std::io::Write;

use anyhow::Context;
use serde::Serialize;

use super::{IndexDir, LangArg, Outcome};
use crate::index::store::Store;

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

#[derive(Serialize)]
struct Shown {
    id: String,
    lang: String,
    symbol: Option<String>,
    title: Option<String>,
    date: Option<String>,
    year: Option<i64>,
    doc_type: Option<String>,
    path: Option<String>,
    passages: Vec<ShownPassage>,
}

#[derive(Serialize)]
struct ShownPassage {
    passage: u64,
    lang: String,
    start: Option<u64>,
    end: Option<u64>,
    text: String,
}

pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let (dir, _) = args.index.resolve();
    let generation = Store::new(&dir).open_current()?;
    let lang = args.lang.map(LangArg::lang);
    let passages = generation
        .passages_of(&args.id, lang.as_ref())
        .with_context(|| format!("searching {}", dir.display()))?;
    let mut shown: Vec<Shown> = Vec::new();
    for p in passages {
        let lang = p.doc_lang().to_string();
        if shown.last().is_none_or(|s| s.lang != lang) {
            shown.push(Shown {
                id: args.id.clone(),
                lang,
                symbol: p.symbol,
                title: p.title,
                date: p.date,
                year: p.year,
                doc_type: p.doc_type,
                path: p.path,
                passages: Vec::new(),
            });
        }
        if let Some(current) = shown.last_mut() {
            current.passages.push(ShownPassage {
                passage: p.passage,
                lang: p.lang,
                start: p.start,
                end: p.end,
                text: p.text,
            });
        }
    }
    if shown.is_empty() {
        anyhow::bail!("no document with id {:?} in {}", args.id, dir.display());
    }
    let mut out = std::io::stdout().lock();
    if args.json {
        let value = if shown.len() == 1 {
            serde_json::to_value(&shown[0])?
        } else {
            serde_json::to_value(&shown)?
        };
        serde_json::to_writer_pretty(&mut out, &value)?;
        writeln!(out)?;
        return Ok(Outcome::Success);
    }
    for doc in &shown {
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
