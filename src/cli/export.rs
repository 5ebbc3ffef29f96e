//! `quorum export`: every passage of an index as JSON Lines, one object a passage, for
//! other tools to read (`benches/compare.py` gives them to tantivy-cli, one document a
//! passage).
//!
//! ```text
//! {"id":"d1","lang":"fr","doc_lang":"fr","passage":1,"text":"Les contingents arrivent."}
//! ```
//!
//! `lang` is the passage's language and `doc_lang` its document's: they differ in a
//! document of mixed languages, and `(id, doc_lang, passage)` names a passage once.
//! Passages come in the index's own order, segment by segment, streamed as they are
//! read: an index larger than memory exports in little memory.

use std::fs::OpenOptions;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Serialize;
use tantivy::TantivyDocument;

use super::{IndexDir, LangArg, Outcome};
use crate::index::passage::StoredPassage;
use crate::index::store::{Generation, Store};
use crate::Lang;

/// Arguments of `quorum export`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub index: IndexDir,
    /// Only the passages in this language (a passage's own language, as `search --lang`
    /// keeps them).
    #[arg(long, value_enum)]
    pub lang: Option<LangArg>,
    /// Write to this new file [default: standard output].
    ///
    /// The file must not exist: quorum never writes over a file it did not make.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// One line of the export.
#[derive(Serialize)]
struct Line<'a> {
    id: &'a str,
    lang: &'a str,
    doc_lang: &'a str,
    passage: u64,
    text: &'a str,
}

impl<'a> From<&'a StoredPassage> for Line<'a> {
    fn from(passage: &'a StoredPassage) -> Line<'a> {
        Line {
            id: &passage.id,
            lang: &passage.lang,
            doc_lang: passage.doc_lang(),
            passage: passage.passage,
            text: &passage.text,
        }
    }
}

pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let (dir, _) = args.index.resolve();
    let generation = Store::new(&dir).open_current()?;
    let lang = args.lang.map(LangArg::lang);
    let Some(path) = &args.out else {
        let mut out = BufWriter::new(std::io::stdout().lock());
        export(&generation, lang.as_ref(), &mut out)?;
        out.flush()?;
        return Ok(Outcome::Success);
    };
    // `create_new` refuses a file that exists, even one made between a check and the
    // opening, so that an existing file is never written over.
    let file = match OpenOptions::new().write(true).create_new(true).open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => anyhow::bail!(
            "{} exists: it is left as it is; give --out a new file",
            path.display()
        ),
        Err(e) => return Err(e).with_context(|| format!("creating {}", path.display())),
    };
    let mut out = BufWriter::new(file);
    let written = export(&generation, lang.as_ref(), &mut out)
        .and_then(|written| Ok(out.flush().map(|()| written)?))
        .with_context(|| format!("exporting {} to {}", dir.display(), path.display()));
    match written {
        Ok(written) => {
            // Only a note: the file is whole even when stderr is closed.
            let _ = writeln!(
                std::io::stderr(),
                "{written} passages written to {}",
                path.display()
            );
            Ok(Outcome::Success)
        }
        Err(error) => {
            // The file is this run's own and incomplete: a part would pass for the whole.
            // Dropped without the flush a `BufWriter` tries on drop: writing more
            // after a failure helps nothing.
            drop(out.into_parts());
            remove_quietly(path);
            Err(error)
        }
    }
}

/// Removes a file this run made, leaving it if that fails (the error that stopped the
/// run matters more).
fn remove_quietly(path: &Path) {
    let _ = std::fs::remove_file(path);
}

/// Why an export stopped.
enum Stop {
    /// The index could not be read.
    Read(tantivy::TantivyError),
    /// The output could not be written (a closed pipe, a full disk).
    Write(std::io::Error),
}

/// Writes the passages of `generation` (of `lang` only, when given) to `out`, one JSON
/// object a line, and returns how many it wrote. A damaged index shows as a tantivy
/// error or a panic, and the checksums then say which files are damaged, as `stats`
/// does.
fn export(
    generation: &Generation,
    lang: Option<&Lang>,
    out: &mut impl Write,
) -> anyhow::Result<u64> {
    let damaged = |detail: crate::index::Error| generation.damaged().unwrap_or(detail);
    match crate::index::guard::quietly(|| write_passages(generation, lang, out)) {
        Ok(Ok(written)) => Ok(written),
        Ok(Err(Stop::Write(error))) => Err(error.into()),
        Ok(Err(Stop::Read(error))) => Err(damaged(error.into()).into()),
        Err(panic) => Err(damaged(crate::index::Error::Corrupt {
            dir: generation.dir.clone(),
            detail: format!("reading it failed: {panic}"),
        })
        .into()),
    }
}

fn write_passages(
    generation: &Generation,
    lang: Option<&Lang>,
    out: &mut impl Write,
) -> Result<u64, Stop> {
    let searcher = generation.reader.searcher();
    let mut line = Vec::new();
    let mut written = 0;
    for segment in searcher.segment_readers() {
        // The store is read from start to end, each block once: a cache of one block
        // is all that reading needs.
        let store = segment
            .get_store_reader(1)
            .map_err(|e| Stop::Read(e.into()))?;
        for doc in store.iter::<TantivyDocument>(segment.alive_bitset()) {
            let passage = StoredPassage::from_doc(&doc.map_err(Stop::Read)?, &generation.fields);
            if lang.is_some_and(|lang| passage.lang != lang.code()) {
                continue;
            }
            line.clear();
            serde_json::to_writer(&mut line, &Line::from(&passage))
                .map_err(|e| Stop::Write(e.into()))?;
            line.push(b'\n');
            out.write_all(&line).map_err(Stop::Write)?;
            written += 1;
        }
    }
    Ok(written)
}
