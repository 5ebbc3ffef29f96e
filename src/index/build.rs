//! Building and updating an index from files.
//!
//! A run takes the writers' lock, reads the files in path order, and compares each
//! document's content hash with the one indexed under its key (id and language):
//! new documents are added, changed ones replaced, unchanged ones cost nothing, and
//! documents whose source file under the given paths has gone are removed. Commits
//! happen every [`COMMIT_EVERY_BYTES`] of input and at the end, always between two
//! documents, so a crash loses at most that much work and the next run converges:
//! what was committed matches its hash, what was not is redone.
//!
//! A full rebuild (`--rebuild`, or an index built by another analysis or schema
//! version) writes a new generation and publishes it only when complete.
//!
//! A document's [`Fingerprint`] keeps what it says apart from where its copy lies: a
//! path spelled another way (`./corpus`, `corpus/`) changes neither, and a key whose
//! winning copy moves to another file or line with the same content is rewritten to
//! point there but counted as unchanged (and as [`Summary::moved`]).
//!
//! A run writes only into a folder that is quorum's ([`Store::inspect`]), and a first
//! build that fails or indexes nothing takes back what it made
//! ([`Store::undo_first_build`]).
//!
//! A run that stops part-way, on a failed write ([`Error::Write`], a full disk most
//! often) or on SIGINT or SIGTERM ([`Options::interrupt`], read at each document
//! boundary: [`Error::Interrupted`]), keeps the last commit, removes a rebuild's
//! unfinished generation, and says in its error what the index kept ([`Kept`]).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::Serialize;

use tantivy::{IndexWriter, Term};

use super::interrupt::Interrupt;
use super::passage;
use super::schema::{doc_key, SCHEMA_VERSION};
use super::store::{Generation, Store};
use super::{Error, Kept, Result};
use crate::analysis::ANALYSIS_VERSION;
use crate::ingest::{
    self, discover, read_file, Document, Item, LangChoice, Skip, SourceFile, Warning,
};

// Search reads hits with these until it reads them through `passage::StoredPassage`.

/// Input read between two commits: about a minute of work on a slow disk.
pub const COMMIT_EVERY_BYTES: u64 = 32 * 1024 * 1024;
/// Default indexing memory budget in MB, split between the writer threads.
pub const DEFAULT_MEMORY_MB: usize = 256;

/// What a run should do.
#[derive(Clone, Debug)]
pub struct Options {
    /// Files and folders to index.
    pub roots: Vec<PathBuf>,
    /// The `--lang` flag.
    pub lang: LangChoice,
    /// Build a new generation from scratch and swap it in.
    pub rebuild: bool,
    /// Remove the documents of these paths instead of indexing them.
    pub remove: bool,
    /// Memory budget of the writer, in MB.
    pub memory_mb: usize,
    /// Input bytes between commits.
    pub commit_every: u64,
    /// Read at each document boundary: once set, the run stops.
    pub interrupt: Interrupt,
}

impl Options {
    /// Defaults for indexing `roots`.
    pub fn new(roots: Vec<PathBuf>) -> Options {
        Options {
            roots,
            lang: LangChoice::Auto,
            rebuild: false,
            remove: false,
            memory_mb: DEFAULT_MEMORY_MB,
            commit_every: COMMIT_EVERY_BYTES,
            interrupt: Interrupt::new(),
        }
    }
}

/// What a run did, counted in documents (keys).
#[derive(Clone, Debug, Default, Serialize)]
pub struct Summary {
    /// New documents.
    pub added: usize,
    /// Documents whose content changed.
    pub updated: usize,
    /// Documents taken out.
    pub removed: usize,
    /// Documents already indexed as they are.
    pub unchanged: usize,
    /// Of the unchanged documents, those whose winning copy is now another file or
    /// line with the same content: rewritten to point at it, not counted as updated.
    pub moved: usize,
    /// Skipped inputs by reason (`invalid_json`, `duplicate`, ...).
    pub skipped: BTreeMap<String, usize>,
    /// Warnings given (legacy encodings, fields of the wrong type).
    pub warnings: usize,
    /// Documents in the index after the run.
    pub documents: u64,
    /// Passages written by this run.
    pub passages: u64,
    /// Bytes of input files read.
    pub bytes: u64,
    /// Wall time.
    pub seconds: f64,
    /// True when the run built a new generation.
    pub rebuilt: bool,
    /// Why a full rebuild happened, when it was not asked for.
    pub rebuild_reason: Option<String>,
    /// Every duplicate key of the run: the copy kept (the first in path order) and the
    /// one skipped.
    pub duplicates: Vec<Duplicate>,
}

/// A key read twice in one run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Duplicate {
    /// The document id.
    pub id: String,
    /// Its language code.
    pub lang: String,
    /// The copy indexed: the first in path order.
    pub kept: Location,
    /// The copy skipped.
    pub skipped: Location,
}

/// Where a document was read: a file as the walk found it, and a JSONL line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Location {
    /// The file.
    pub path: PathBuf,
    /// The 1-based line of a JSONL record; `None` for a whole file.
    pub line: Option<usize>,
}

impl Summary {
    /// Total skipped inputs.
    pub fn skipped_total(&self) -> usize {
        self.skipped.values().sum()
    }

    /// True when the run changed nothing.
    pub fn is_noop(&self) -> bool {
        self.added + self.updated + self.removed + self.moved == 0
    }

    /// Input throughput.
    pub fn mb_per_s(&self) -> f64 {
        if self.seconds > 0.0 {
            self.bytes as f64 / 1e6 / self.seconds
        } else {
            0.0
        }
    }
}

/// Receives what happens during a run: the CLI prints it and draws a progress bar.
pub trait Reporter {
    /// The run starts reading `total_bytes` of files.
    fn start(&mut self, _total_bytes: u64) {}
    /// `bytes` more were read; `file` is being read.
    fn advance(&mut self, _bytes: u64, _file: &Path) {}
    /// Something was skipped.
    fn skip(&mut self, _skip: &Skip) {}
    /// Something was read, with a warning.
    fn warning(&mut self, _warning: &Warning) {}
    /// A commit is being written.
    fn committing(&mut self) {}
    /// The run is over.
    fn finish(&mut self) {}
}

/// A reporter that reports nothing.
pub struct Silent;
impl Reporter for Silent {}

/// What the index holds about one document.
struct Indexed {
    fingerprint: Fingerprint,
    /// Index into [`IndexedDocs::sources`]: a JSONL file holds many documents.
    source: usize,
}

/// Every document in the index by key, with the distinct sources they came from.
#[derive(Default)]
struct IndexedDocs {
    docs: HashMap<String, Indexed>,
    sources: Vec<String>,
}

/// Runs an indexing (or removal) run.
///
/// # Errors
///
/// Besides what reading and writing the index can fail with, [`Error::NotAFolder`] and
/// [`Error::NotAnIndex`] when the index path is not quorum's to write, before anything
/// is written there.
pub fn run(store: &Store, options: &Options, reporter: &mut dyn Reporter) -> Result<Summary> {
    let started = Instant::now();
    store.inspect()?;
    let (lock, before) = store.lock_for_build()?;
    let outcome = store
        .claim(&lock)
        .and_then(|_| run_locked(store, options, reporter, started));
    // A first build that indexed nothing leaves nothing: a later search then says that
    // there is no index rather than finding nothing in an empty one. One that failed
    // after a commit keeps what it committed, as any other run does.
    let indexed_nothing = match &outcome {
        Ok(summary) => summary.documents == 0,
        Err(_) => store
            .open()
            .and_then(|generation| count_documents(&generation))
            .map_or(true, |documents| documents == 0),
    };
    let undone = before.is_first_build() && indexed_nothing;
    if undone {
        store.undo_first_build(&before, lock);
    }
    outcome.map_err(|error| {
        error.into_write(None).with_kept(|| {
            let dir = store.root().to_path_buf();
            match store
                .open()
                .and_then(|generation| count_documents(&generation))
            {
                Ok(documents) if !undone => Kept::LastCommit { dir, documents },
                _ => Kept::Nothing { dir },
            }
        })
    })
}

/// The error of a run that `interrupt` stopped, if it did.
fn stopped(interrupt: &Interrupt) -> Result<()> {
    match interrupt.received() {
        Some(signal) => Err(Error::Interrupted {
            signal,
            kept: Kept::Unknown,
        }),
        None => Ok(()),
    }
}

fn run_locked(
    store: &Store,
    options: &Options,
    reporter: &mut dyn Reporter,
    started: Instant,
) -> Result<Summary> {
    // What an interrupted rebuild left goes first: it was never live.
    store.remove_unpublished()?;
    let mut summary = Summary::default();
    let roots: Vec<PathBuf> = options.roots.iter().map(|r| canonical(r)).collect();
    // Paths that do not exist fail the run before anything is created.
    let files = if options.remove {
        Vec::new()
    } else {
        discover(&options.roots)?
    };
    stopped(&options.interrupt)?;

    let (mut generation, fresh) = match store.current_name()? {
        None => {
            // The first build publishes an empty generation at once, so that a crash
            // part-way still leaves an index that opens and answers from its last commit.
            let generation = store.create_generation()?;
            store.publish(&generation)?;
            (generation, false)
        }
        Some(_) if options.rebuild => {
            summary.rebuilt = true;
            (store.create_generation()?, true)
        }
        Some(_) => match store.open() {
            Ok(generation) if generation.meta.is_current() => (generation, false),
            Ok(generation) => {
                let built = generation.meta.versions();
                // Rebuilding from the given paths alone would drop the documents of
                // any other: only rebuild when they cover everything indexed.
                if options.remove || !covers_every_source(&generation, &roots) {
                    return Err(Error::OutdatedPaths { built });
                }
                summary.rebuilt = true;
                summary.rebuild_reason = Some(format!("the index {built}: rebuilding"));
                (store.create_generation()?, true)
            }
            Err(e) => return Err(e),
        },
    };

    let filled = fill(
        &mut generation,
        fresh,
        files,
        roots,
        options,
        reporter,
        summary,
    )
    .and_then(|summary| {
        if fresh {
            store.publish(&generation)?;
        }
        Ok(summary)
    })
    .map_err(|e| e.into_write(generation.write_failure()));
    match filled {
        Err(error) if fresh => {
            // The unfinished generation was never live: it goes now, which also gives
            // back the space of a full disk. (If publishing failed only after its
            // rename, it is live, and stays.)
            let name = generation
                .dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned());
            drop(generation);
            // tantivy's threads have ended (`Run`'s drop), but a reader's watcher of the
            // dropped generation may still look at its folder once: try again before
            // giving up.
            let mut removed = store.remove_unpublished();
            for _ in 0..3 {
                if removed.is_ok() {
                    break;
                }
                std::thread::sleep(std::time::Duration::from_millis(200));
                removed = store.remove_unpublished();
            }
            if let Err(e) = removed {
                tracing::warn!("could not remove the unfinished generation: {e}");
            }
            Err(error.with_kept(|| {
                let dir = store.root().to_path_buf();
                let published = store.current_name().ok().flatten() == name;
                match store.open().and_then(|live| count_documents(&live)) {
                    Ok(documents) if published => Kept::Complete { dir, documents },
                    Ok(documents) => Kept::OldGeneration { dir, documents },
                    Err(_) => Kept::Unknown,
                }
            }))
        }
        Err(error) => Err(error),
        Ok(mut summary) => {
            reporter.finish();
            summary.documents = count_documents(&generation)?;
            summary.seconds = started.elapsed().as_secs_f64();
            if let Some(signal) = options.interrupt.received() {
                // The signal came during the last commit, which was finished.
                return Err(Error::Interrupted {
                    signal,
                    kept: Kept::Complete {
                        dir: store.root().to_path_buf(),
                        documents: summary.documents,
                    },
                });
            }
            Ok(summary)
        }
    }
}

/// Reads every file into `generation` and commits: the part of a run between choosing
/// the generation and publishing it.
fn fill(
    generation: &mut Generation,
    fresh: bool,
    files: Vec<SourceFile>,
    roots: Vec<PathBuf>,
    options: &Options,
    reporter: &mut dyn Reporter,
    mut summary: Summary,
) -> Result<Summary> {
    let indexed = if fresh {
        IndexedDocs::default()
    } else {
        indexed_documents(generation)?
    };
    let mut run = Run {
        generation,
        options,
        writer: None,
        summary: &mut summary,
        since_commit: 0,
    };

    // The copy kept for each key read so far, to name it beside a duplicate.
    let mut seen: HashMap<String, Location> = HashMap::new();
    // Sources whose documents must not be removed: any file with something skipped
    // (unreadable, binary, emptied, or a JSONL file with a broken line, whose lost
    // record may be one that is indexed). Bad input never loses indexed documents.
    let mut kept_sources: HashSet<String> = HashSet::new();

    if !options.remove {
        let total: u64 = files
            .iter()
            .filter_map(|f| std::fs::metadata(&f.path).ok())
            .map(|m| m.len())
            .sum();
        reporter.start(total);
        for file in &files {
            run.file(file, &indexed, &mut seen, &mut kept_sources, reporter)?;
        }
    }

    // Removal: indexed documents from a source under the given paths that this run
    // did not see (or, with --remove, all of them).
    let removable: Vec<bool> = indexed
        .sources
        .iter()
        .map(|source| !kept_sources.contains(source) && under_roots(source, &roots))
        .collect();
    let mut gone: Vec<&String> = indexed
        .docs
        .iter()
        .filter(|(key, doc)| !seen.contains_key(*key) && removable[doc.source])
        .map(|(key, _)| key)
        .collect();
    gone.sort();
    stopped(&options.interrupt)?;
    for key in gone {
        let writer = run.writer()?;
        writer.delete_term(Term::from_field_text(generation.fields.key, key));
        run.summary.removed += 1;
    }

    stopped(&options.interrupt)?;
    let changed = run.writer.is_some();
    if let Some(mut writer) = run.writer.take() {
        reporter.committing();
        writer.commit()?;
        writer.wait_merging_threads()?;
    }
    drop(run);
    if changed || fresh {
        generation.touch()?;
    }
    Ok(summary)
}

struct Run<'a> {
    generation: &'a Generation,
    options: &'a Options,
    writer: Option<IndexWriter>,
    summary: &'a mut Summary,
    since_commit: u64,
}

impl Drop for Run<'_> {
    /// A run that stopped with its writer open (a signal, a failed write) commits
    /// nothing more, but waits for tantivy's threads to end, the merges among them, so
    /// that none writes into the generation while a rebuild's unfinished one is removed.
    /// (`rollback` would not do: the merges of the writer it replaces run on.) Errors
    /// are the run's own, already reported.
    fn drop(&mut self) {
        if let Some(writer) = self.writer.take() {
            let _ = writer.wait_merging_threads();
        }
    }
}

impl Run<'_> {
    /// The writer, opened on first use: a run with nothing to change opens none.
    fn writer(&mut self) -> Result<&mut IndexWriter> {
        if self.writer.is_none() {
            let threads = std::thread::available_parallelism()
                .map(|n| n.get().clamp(1, 4))
                .unwrap_or(1);
            // tantivy needs at least 15 MB per thread.
            let budget = (self.options.memory_mb.max(16 * threads)) * 1_000_000;
            let writer = self
                .generation
                .index
                .writer_with_num_threads(threads, budget)?;
            // A run that failed or was killed after writing files of a commit it never
            // finished leaves them behind, under names this run would write again
            // (`…344.del`): tantivy removes the files it made that no commit refers to.
            writer.garbage_collect_files().wait()?;
            self.writer = Some(writer);
        }
        self.writer
            .as_mut()
            .ok_or_else(|| Error::Tantivy(tantivy::TantivyError::InternalError("no writer".into())))
    }

    fn file(
        &mut self,
        file: &SourceFile,
        indexed: &IndexedDocs,
        seen: &mut HashMap<String, Location>,
        kept_sources: &mut HashSet<String>,
        reporter: &mut dyn Reporter,
    ) -> Result<()> {
        let source = canonical(&file.path).to_string_lossy().into_owned();
        let options = ingest::Options {
            lang: self.options.lang.clone(),
            ..ingest::Options::default()
        };
        let size = std::fs::metadata(&file.path).map(|m| m.len()).unwrap_or(0);
        // Progress moves with each document's text (a JSONL file can be most of a
        // corpus), and the rest of the file's bytes (JSON syntax) at its end.
        let mut reported = 0u64;
        for item in read_file(file, &options) {
            match item {
                Item::Document(doc) => {
                    stopped(&self.options.interrupt)?;
                    let bytes = doc.text.len() as u64;
                    let step = bytes.min(size - reported);
                    reported += step;
                    reporter.advance(step, &file.path);
                    self.document(doc, &source, indexed, seen, reporter)?;
                    self.since_commit += bytes;
                    if self.since_commit >= self.options.commit_every && self.writer.is_some() {
                        reporter.committing();
                        self.writer()?.commit()?;
                        self.since_commit = 0;
                    }
                }
                Item::Skip(skip) => {
                    kept_sources.insert(source.clone());
                    self.skip(&skip, reporter);
                }
                Item::Warning(warning) => {
                    self.summary.warnings += 1;
                    reporter.warning(&warning);
                }
            }
        }
        self.summary.bytes += size;
        reporter.advance(size - reported, &file.path);
        Ok(())
    }

    /// Counts a skip under its reason and reports it.
    fn skip(&mut self, skip: &Skip, reporter: &mut dyn Reporter) {
        *self
            .summary
            .skipped
            .entry(skip.reason.label().to_string())
            .or_default() += 1;
        reporter.skip(skip);
    }

    fn document(
        &mut self,
        doc: Document,
        source: &str,
        indexed: &IndexedDocs,
        seen: &mut HashMap<String, Location>,
        reporter: &mut dyn Reporter,
    ) -> Result<()> {
        let key = doc_key(&doc.id, &doc.lang);
        if let Some(kept) = seen.get(&key) {
            let lang = doc.lang.code().to_string();
            let skip = Skip {
                path: doc.path.clone(),
                line: doc.line,
                reason: ingest::SkipReason::Duplicate {
                    id: doc.id.clone(),
                    lang: lang.clone(),
                    kept: kept.path.clone(),
                    kept_line: kept.line,
                },
            };
            self.summary.duplicates.push(Duplicate {
                id: doc.id,
                lang,
                kept: kept.clone(),
                skipped: Location {
                    path: doc.path,
                    line: doc.line,
                },
            });
            self.skip(&skip, reporter);
            return Ok(());
        }
        seen.insert(
            key.clone(),
            Location {
                path: doc.path.clone(),
                line: doc.line,
            },
        );
        let fingerprint = Fingerprint::of(&doc, source);
        match indexed.docs.get(&key) {
            Some(old) if old.fingerprint.content_matches(fingerprint) => {
                self.summary.unchanged += 1;
                let same_source =
                    indexed.sources.get(old.source).map(String::as_str) == Some(source);
                if same_source && old.fingerprint == fingerprint {
                    return Ok(());
                }
                // The same content from another copy: its stored source and line must
                // point at the copy that won, or removing that file would miss it.
                self.summary.moved += 1;
            }
            Some(_) => self.summary.updated += 1,
            None => self.summary.added += 1,
        }
        let hash = fingerprint.0;
        let generation = self.generation;
        let fields = &generation.fields;
        let writer = self.writer()?;
        writer.delete_term(Term::from_field_text(fields.key, &key));
        for tdoc in passage::tantivy_docs(fields, &doc, source, hash) {
            writer.add_document(tdoc)?;
        }
        self.summary.passages += doc.passages.len() as u64;
        Ok(())
    }
}

/// What the index keeps in [`super::schema::HASH`] to tell whether a document must be
/// written again: 48 bits of its content hash ([`content_hash`]) above 16 bits of its
/// location's (canonical source and line). Both fit the one fast field that existing
/// indexes have, so comparing them needs no schema change: a key whose copy moved with
/// the same content is told apart from one whose content changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fingerprint(pub u64);

impl Fingerprint {
    const LOCATION_BITS: u32 = 16;
    const LOCATION_MASK: u64 = (1 << Self::LOCATION_BITS) - 1;

    /// The fingerprint of `doc` read from the canonical `source`.
    pub fn of(doc: &Document, source: &str) -> Fingerprint {
        let content = content_hash(doc) & !Self::LOCATION_MASK;
        let mut h = blake3::Hasher::new();
        h.update(&(source.len() as u64).to_le_bytes());
        h.update(source.as_bytes());
        h.update(&doc.line.unwrap_or(0).to_le_bytes());
        let location = u64::from_le_bytes(first_bytes(h.finalize())) & Self::LOCATION_MASK;
        Fingerprint(content | location)
    }

    /// True when the two have the same content, wherever it was read.
    pub fn content_matches(self, other: Fingerprint) -> bool {
        self.0 & !Self::LOCATION_MASK == other.0 & !Self::LOCATION_MASK
    }
}

/// The first 8 bytes of a digest.
pub(crate) fn first_bytes(digest: blake3::Hash) -> [u8; 8] {
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest.as_bytes()[..8]);
    first
}

/// The content hash: text, metadata, the language decisions, and the analysis and
/// schema versions, so that any of them changing re-indexes. Neither the path as it
/// was typed nor the source is in it: `./corpus` and `corpus/` give the same hash,
/// and so do two copies of one document.
pub fn content_hash(doc: &Document) -> u64 {
    let mut h = blake3::Hasher::new();
    let mut field = |bytes: &[u8]| {
        h.update(&(bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    };
    field(&ANALYSIS_VERSION.to_le_bytes());
    field(&SCHEMA_VERSION.to_le_bytes());
    field(doc.id.as_bytes());
    field(doc.lang.code().as_bytes());
    for value in [&doc.symbol, &doc.title, &doc.date, &doc.doc_type] {
        field(value.as_deref().unwrap_or("\u{0}").as_bytes());
    }
    field(&doc.year.unwrap_or(i64::MIN).to_le_bytes());
    for passage in &doc.passages {
        field(&passage.range.start.to_le_bytes());
        field(&passage.range.end.to_le_bytes());
        field(passage.lang.code().as_bytes());
    }
    field(doc.text.as_bytes());
    u64::from_le_bytes(first_bytes(h.finalize()))
}

/// Every document in the index by key, read from the first passage of each.
fn indexed_documents(generation: &Generation) -> Result<IndexedDocs> {
    generation.reader.reload()?;
    let searcher = generation.reader.searcher();
    let io = |e| Error::io(generation.dir.clone(), e);
    let mut out = IndexedDocs::default();
    let mut source_ids: HashMap<String, usize> = HashMap::new();
    for segment in searcher.segment_readers() {
        let fast = segment.fast_fields();
        let passage = fast.u64(super::schema::PASSAGE)?;
        let hash = fast.u64(super::schema::HASH)?;
        let (Some(key), Some(source)) = (
            fast.str(super::schema::KEY)?,
            fast.str(super::schema::SOURCE)?,
        ) else {
            continue;
        };
        // The dictionaries are read once, in order: reading a term by ordinal
        // decompresses its block every time.
        let keys = column_terms(&key).map_err(io)?;
        let source_terms = column_terms(&source).map_err(io)?;
        // Sources get an id when an alive document uses them: deleted documents'
        // terms stay in a segment's dictionary until it is merged.
        let mut source_of_ord: Vec<Option<usize>> = vec![None; source_terms.len()];
        for doc in segment.doc_ids_alive() {
            if passage.first(doc) != Some(1) {
                continue;
            }
            let (Some(key_ord), Some(source_ord)) =
                (key.term_ords(doc).next(), source.term_ords(doc).next())
            else {
                continue;
            };
            let (Some(key_text), Some(slot)) = (
                keys.get(key_ord as usize),
                source_of_ord.get_mut(source_ord as usize),
            ) else {
                continue;
            };
            let source_id = *slot.get_or_insert_with(|| {
                let text = &source_terms[source_ord as usize];
                *source_ids.entry(text.clone()).or_insert_with(|| {
                    out.sources.push(text.clone());
                    out.sources.len() - 1
                })
            });
            out.docs.insert(
                key_text.clone(),
                Indexed {
                    fingerprint: Fingerprint(hash.first(doc).unwrap_or(0)),
                    source: source_id,
                },
            );
        }
    }
    Ok(out)
}

/// Every term of a string column's dictionary, indexed by ordinal.
fn column_terms(column: &tantivy::columnar::StrColumn) -> std::io::Result<Vec<String>> {
    let mut terms = Vec::with_capacity(column.dictionary().num_terms());
    let mut stream = column.dictionary().stream()?;
    while stream.advance() {
        terms.push(String::from_utf8_lossy(stream.key()).into_owned());
    }
    Ok(terms)
}

/// True when `source` lies under one of `roots`.
fn under_roots(source: &str, roots: &[PathBuf]) -> bool {
    roots.iter().any(|root| Path::new(source).starts_with(root))
}

/// True when every source the generation indexed lies under one of `roots`.
fn covers_every_source(generation: &Generation, roots: &[PathBuf]) -> bool {
    indexed_documents(generation)
        .is_ok_and(|indexed| indexed.sources.iter().all(|s| under_roots(s, roots)))
}

/// Documents in a generation: passages numbered 1.
pub fn count_documents(generation: &Generation) -> Result<u64> {
    generation.reader.reload()?;
    let reader = &generation.reader;
    let searcher = reader.searcher();
    let query = tantivy::query::TermQuery::new(
        Term::from_field_u64(generation.fields.passage, 1),
        tantivy::schema::IndexRecordOption::Basic,
    );
    Ok(searcher.search(&query, &tantivy::collector::Count)? as u64)
}

/// A path made absolute and canonical where it exists, for comparing sources.
pub fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| {
        std::env::current_dir()
            .map(|cwd| cwd.join(path))
            .unwrap_or_else(|_| path.to_path_buf())
    })
}
