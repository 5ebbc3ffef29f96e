//! Where an index lives on disk, and how a new one replaces the old atomically.
//!
//! An index directory holds generations and a pointer to the current one:
//!
//! ```text
//! index/
//!   quorum-index.json  the marker: format, quorum version, the generations quorum made
//!   CURRENT            name of the live generation, replaced by an atomic rename
//!   gen-<n>/           a tantivy index and its quorum.json (versions, build times)
//!   .lock              held by the one process that writes (outside every generation)
//!   README.md          anything else is left alone
//! ```
//!
//! quorum writes only into a folder that is missing, empty (a `README*` and dotfiles
//! aside: the repository's `index/` ships a README), or marked as its own by
//! [`MARKER`]; [`Store::inspect`] refuses any other, naming what is in it. An index made
//! before the marker (`CURRENT` naming a `gen-<n>/` with a `quorum.json`) is accepted
//! and marked. The marker lists every generation quorum created, before it creates it,
//! and only generations it lists are ever removed: a `gen-7/` of the user's stays.
//!
//! Incremental runs update the live generation in place: tantivy commits are atomic,
//! so a reader always sees the last commit. `--rebuild` builds a new generation beside
//! the live one and then renames a new `CURRENT` over the old: `rename` cannot replace
//! a non-empty directory, and tantivy's `MmapDirectory` canonicalizes its path, so a
//! symlink swap would leave readers on the old directory; a pointer file has neither
//! problem. Readers ([`Store::open`]) read `CURRENT` again when they reload. The
//! generation before the live one is kept, so that a search that read the old
//! `CURRENT` just before the swap can still open it; older ones are removed.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};
use tantivy::index::SegmentComponent;

use serde::{Deserialize, Serialize};

use super::directory::{GenerationDirectory, WriteFailure};
use super::fault::{self, Op};
use super::schema::{Fields, SCHEMA_VERSION};
use super::{Error, Result, Versions};
use crate::analysis::{self, ANALYSIS_VERSION};

/// File naming the live generation.
pub const CURRENT: &str = "CURRENT";
/// The writers' lock file.
pub const LOCK: &str = ".lock";
/// Metadata quorum keeps in each generation.
pub const META: &str = "quorum.json";
/// The file that marks a folder as a quorum index ([`Marker`]).
pub const MARKER: &str = "quorum-index.json";
/// The layout version of an index folder that [`MARKER`] records.
pub const FORMAT: u32 = 1;
const GEN_PREFIX: &str = "gen-";

/// What [`MARKER`] holds: `{"format": 1, "quorum": "0.1.0", "generations": [..]}`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Marker {
    /// The folder layout's version, [`FORMAT`] when this quorum wrote it.
    pub format: u32,
    /// The version of the quorum that last wrote the marker.
    pub quorum: String,
    /// The generation folders quorum created here and has not removed yet: the only
    /// ones it may remove.
    #[serde(default)]
    pub generations: Vec<String>,
}

impl Marker {
    fn new(generations: Vec<String>) -> Marker {
        Marker {
            format: FORMAT,
            quorum: env!("CARGO_PKG_VERSION").to_string(),
            generations,
        }
    }
}

/// What a folder is, to a writer ([`Store::inspect`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Folder {
    /// It does not exist yet.
    Missing,
    /// It holds nothing of anyone's but a `README*` or dotfiles.
    Empty,
    /// A quorum index, with its marker.
    Marked(Marker),
    /// A quorum index made before the marker, with the generations it holds that carry
    /// a [`META`]: what [`Store::claim`] records when it marks it.
    Unmarked(Vec<String>),
}

/// What a writer found before its run, so that a first build that fails or indexes
/// nothing can take back what it made ([`Store::undo_first_build`]).
#[derive(Clone, Copy, Debug)]
pub struct Before {
    root: bool,
    lock: bool,
    marker: bool,
    current: bool,
}

impl Before {
    /// True when there was no live generation: the run is a first build.
    pub fn is_first_build(&self) -> bool {
        !self.current
    }
}

/// What quorum records about a generation.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Meta {
    /// [`SCHEMA_VERSION`] of the build.
    pub schema_version: u32,
    /// [`ANALYSIS_VERSION`] of the build.
    pub analysis_version: u32,
    /// When the generation was created, in seconds since the epoch.
    pub built_at: u64,
    /// When it was last updated, in seconds since the epoch.
    pub updated_at: u64,
}

impl Meta {
    fn now() -> Meta {
        let now = unix_now();
        Meta {
            schema_version: SCHEMA_VERSION,
            analysis_version: ANALYSIS_VERSION,
            built_at: now,
            updated_at: now,
        }
    }

    /// The versions of the build.
    pub fn versions(&self) -> Versions {
        Versions {
            analysis: self.analysis_version,
            schema: self.schema_version,
        }
    }

    /// True when this build's analysis and schema are the ones of this binary.
    pub fn is_current(&self) -> bool {
        self.schema_version == SCHEMA_VERSION && self.analysis_version == ANALYSIS_VERSION
    }
}

/// Seconds since the epoch.
pub fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// An index directory.
#[derive(Clone, Debug)]
pub struct Store {
    root: PathBuf,
}

/// One generation, opened.
pub struct Generation {
    /// Its directory.
    pub dir: PathBuf,
    /// The tantivy index, with quorum's analyzers registered.
    pub index: tantivy::Index,
    /// A reader of it; opening it opens every segment, so a damaged file shows here.
    pub reader: tantivy::IndexReader,
    /// Field handles.
    pub fields: Fields,
    /// Its metadata.
    pub meta: Meta,
    /// The directory tantivy writes through, which records the first failed write.
    directory: GenerationDirectory,
}

impl Store {
    /// The store at `root` (nothing is read yet).
    pub fn new(root: impl Into<PathBuf>) -> Store {
        Store { root: root.into() }
    }

    /// The index directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The live generation's directory name, if there is an index here.
    pub fn current_name(&self) -> Result<Option<String>> {
        match fs::read_to_string(self.root.join(CURRENT)) {
            Ok(name) => Ok(Some(name.trim().to_string())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(_) if self.root.is_file() => Err(Error::NotAFolder(self.root.clone())),
            Err(e) => Err(Error::io(self.root.join(CURRENT), e)),
        }
    }

    /// What the folder is, for a writer: refuses a file, and a folder that holds
    /// anything but a quorum index, a `README*` or dotfiles, naming what is there.
    /// Reads only: a refused folder is left exactly as it was.
    pub fn inspect(&self) -> Result<Folder> {
        let entries = match fs::read_dir(&self.root) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Folder::Missing),
            Err(_) if self.root.is_file() => return Err(Error::NotAFolder(self.root.clone())),
            Err(e) => return Err(Error::io(self.root.clone(), e)),
        };
        // A marker that cannot be parsed is ignored here: the folder is then judged as
        // one made before the marker, and claiming it writes a good one.
        if let Ok(Some(marker)) = self.read_marker() {
            if marker.format > FORMAT {
                return Err(Error::NewerFormat {
                    dir: self.root.clone(),
                    format: marker.format,
                    quorum: marker.quorum,
                });
            }
            return Ok(Folder::Marked(marker));
        }
        let mut names: Vec<String> = entries
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|name| !name.starts_with('.') && !name.to_lowercase().starts_with("readme"))
            .collect();
        if names.is_empty() {
            return Ok(Folder::Empty);
        }
        // An index made before the marker: CURRENT names a generation that holds
        // quorum's metadata. Its generations are those that hold it too.
        if let Ok(Some(live)) = self.current_name() {
            if live.starts_with(GEN_PREFIX) && read_meta(&self.root.join(&live)).is_ok() {
                let mut generations: Vec<String> = names
                    .iter()
                    .filter(|n| n.starts_with(GEN_PREFIX))
                    .filter(|n| read_meta(&self.root.join(n)).is_ok())
                    .cloned()
                    .collect();
                generations.sort();
                return Ok(Folder::Unmarked(generations));
            }
        }
        names.sort();
        let shown: Vec<String> = names
            .iter()
            .map(|name| {
                if self.root.join(name).is_dir() {
                    format!("{name}/")
                } else {
                    name.clone()
                }
            })
            .collect();
        Err(Error::NotAnIndex {
            dir: self.root.clone(),
            holds: shown,
        })
    }

    /// Inspects the folder again under the writers' lock and marks an index made
    /// before the marker; refuses what [`Store::inspect`] refuses.
    pub fn claim(&self, _lock: &WriterLock) -> Result<Folder> {
        let folder = self.inspect()?;
        if let Folder::Unmarked(generations) = &folder {
            self.write_marker(&Marker::new(generations.clone()))?;
        }
        Ok(folder)
    }

    /// Takes the writers' lock, noting what was there before the run: the folder and
    /// the lock file before the lock made them, the marker and `CURRENT` once it is
    /// held (another writer may have made them meanwhile).
    pub fn lock_for_build(&self) -> Result<(WriterLock, Before)> {
        let root = self.root.exists();
        let lock_file = self.root.join(LOCK).exists();
        let lock = self.lock()?;
        let before = Before {
            root,
            lock: lock_file,
            marker: self.root.join(MARKER).exists(),
            current: self.root.join(CURRENT).exists(),
        };
        Ok((lock, before))
    }

    /// Takes back what a first build made, when it failed or indexed nothing: the
    /// generations, `CURRENT`, and the marker, lock and folder when they were not
    /// there before. The folder goes only if nothing else is left in it: what is not
    /// quorum's own is never removed.
    pub fn undo_first_build(&self, before: &Before, lock: WriterLock) {
        if before.current {
            return;
        }
        let remove = |path: &Path| {
            if let Err(e) = fs::remove_file(path) {
                if e.kind() != std::io::ErrorKind::NotFound {
                    tracing::warn!("could not remove {}: {e}", path.display());
                }
            }
        };
        if let Ok(Some(marker)) = self.read_marker() {
            for name in &marker.generations {
                let dir = self.root.join(name);
                if let Err(e) = fs::remove_dir_all(&dir) {
                    if e.kind() != std::io::ErrorKind::NotFound {
                        tracing::warn!("could not remove {}: {e}", dir.display());
                    }
                }
            }
            if before.marker {
                if let Err(e) = self.write_marker(&Marker::new(Vec::new())) {
                    tracing::warn!("{e}");
                }
            }
        }
        remove(&self.root.join(CURRENT));
        remove(&self.root.join(CURRENT).with_extension("tmp"));
        if !before.marker {
            remove(&self.root.join(MARKER));
            remove(&self.root.join(MARKER).with_extension("tmp"));
        }
        // The lock file goes while it is still held, so that another writer either
        // fails on it or makes a new one, which then keeps the folder.
        if !before.lock {
            remove(&self.root.join(LOCK));
        }
        drop(lock);
        if !before.root {
            // Fails, and keeps the folder, if anything else is in it.
            let _ = fs::remove_dir(&self.root);
        }
    }

    /// The marker, if the folder has one.
    pub fn read_marker(&self) -> Result<Option<Marker>> {
        let path = self.root.join(MARKER);
        match fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map(Some)
                .map_err(|e| Error::Corrupt {
                    dir: self.root.clone(),
                    detail: format!("{}: {e}", path.display()),
                }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::io(path, e)),
        }
    }

    fn write_marker(&self, marker: &Marker) -> Result<()> {
        write_atomic(
            &self.root.join(MARKER),
            &serde_json::to_vec_pretty(marker).unwrap_or_default(),
        )
    }

    /// The generations the marker lists (none without a marker).
    fn owned_generations(&self) -> Result<Vec<String>> {
        Ok(self
            .read_marker()?
            .map(|marker| marker.generations)
            .unwrap_or_default())
    }

    /// Removes generation folders the marker lists, then their names from it.
    fn remove_generations(&self, doomed: &[String]) -> Result<()> {
        if doomed.is_empty() {
            return Ok(());
        }
        let mut failed = None;
        let mut removed = Vec::new();
        for name in doomed {
            let dir = self.root.join(name);
            fault::point(Op::RemoveDir, &dir);
            match fs::remove_dir_all(&dir) {
                Ok(()) => removed.push(name.clone()),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => removed.push(name.clone()),
                Err(e) => failed = Some(Error::io(dir, e)),
            }
        }
        let mut generations = self.owned_generations()?;
        generations.retain(|name| !removed.contains(name));
        self.write_marker(&Marker::new(generations))?;
        failed.map_or(Ok(()), Err)
    }

    /// True when an index exists here.
    pub fn exists(&self) -> bool {
        self.root.join(CURRENT).is_file()
    }

    /// Opens the live generation for reading. A search racing with a swap may find
    /// the generation it read gone: it then reads `CURRENT` again.
    pub fn open(&self) -> Result<Generation> {
        let mut last = None;
        for _ in 0..3 {
            let name = self
                .current_name()?
                .ok_or_else(|| Error::NoIndex(self.root.clone()))?;
            match self.open_generation(&self.root.join(&name)) {
                Ok(generation) => return Ok(generation),
                Err(e) => last = Some(e),
            }
        }
        Err(last.unwrap_or_else(|| Error::NoIndex(self.root.clone())))
    }

    /// Opens the live generation for searching: it must have been built by this
    /// version's analysis and schema, or its terms would not match the queries'.
    pub fn open_current(&self) -> Result<Generation> {
        let generation = self.open()?;
        if !generation.meta.is_current() {
            return Err(Error::Outdated {
                dir: self.root.clone(),
                built: generation.meta.versions(),
            });
        }
        Ok(generation)
    }

    /// The metadata of the live generation, read without opening its index: enough
    /// to tell a current index from an outdated one. `None` when there is no index.
    pub fn current_meta(&self) -> Result<Option<Meta>> {
        match self.current_name()? {
            Some(name) => read_meta(&self.root.join(name)).map(Some),
            None => Ok(None),
        }
    }

    /// Opens a generation directory.
    pub fn open_generation(&self, dir: &Path) -> Result<Generation> {
        let corrupt = |detail: String| Error::Corrupt {
            dir: dir.to_path_buf(),
            detail,
        };
        let meta = read_meta(dir)?;
        super::guard::quietly(|| self.open_checked(dir, meta))
            .unwrap_or_else(|panic| Err(corrupt(format!("opening it failed: {panic}"))))
    }

    /// [`Store::open_generation`], which runs it where a panic is caught.
    fn open_checked(&self, dir: &Path, meta: Meta) -> Result<Generation> {
        let corrupt = |detail: String| Error::Corrupt {
            dir: dir.to_path_buf(),
            detail,
        };
        let directory = GenerationDirectory::open(dir).map_err(|e| corrupt(e.to_string()))?;
        let index = tantivy::Index::open(directory.clone()).map_err(|e| corrupt(e.to_string()))?;
        analysis::register(index.tokenizers());
        let fields = Fields::new();
        if meta.is_current() && index.schema() != fields.schema {
            return Err(corrupt("its schema is not the one its version says".into()));
        }
        // tantivy opens a segment whose positions (or deletes) file is gone as if it
        // had none, and then answers phrases and proximity with nothing: every file a
        // segment needs must be there.
        let segments = index
            .searchable_segment_metas()
            .map_err(|e| corrupt(e.to_string()))?;
        for segment in &segments {
            let mut components = vec![
                SegmentComponent::Postings,
                SegmentComponent::Positions,
                SegmentComponent::Terms,
                SegmentComponent::Store,
                SegmentComponent::FastFields,
                SegmentComponent::FieldNorms,
            ];
            if segment.num_deleted_docs() > 0 {
                components.push(SegmentComponent::Delete);
            }
            for component in components {
                let file = segment.relative_path(component);
                if !dir.join(&file).is_file() {
                    return Err(corrupt(format!("its file {} is missing", file.display())));
                }
            }
        }
        let reader = index.reader().map_err(|e| corrupt(e.to_string()))?;
        Ok(Generation {
            dir: dir.to_path_buf(),
            index,
            reader,
            fields,
            meta,
            directory,
        })
    }

    /// Creates an empty generation beside the live one. It is not live until
    /// [`Store::publish`]. Its name goes into the marker before the folder is made,
    /// so that one left by an interrupted run is known to be quorum's; the number is
    /// past every `gen-<n>` on disk, so no folder of anyone's is reused.
    pub fn create_generation(&self) -> Result<Generation> {
        fs::create_dir_all(&self.root).map_err(|e| Error::io(self.root.clone(), e))?;
        let mut generations = self.owned_generations()?;
        let on_disk = self.generation_numbers()?.into_iter().max().unwrap_or(0);
        let listed = generations
            .iter()
            .filter_map(|name| generation_number(name))
            .max()
            .unwrap_or(0);
        let name = format!("{GEN_PREFIX}{}", on_disk.max(listed) + 1);
        generations.push(name.clone());
        self.write_marker(&Marker::new(generations))?;
        let dir = self.root.join(&name);
        fault::point(Op::CreateDir, &dir);
        fs::create_dir(&dir).map_err(|e| Error::io(dir.clone(), e))?;
        let fields = Fields::new();
        let directory = GenerationDirectory::open(&dir)?;
        // A failed write is named by the directory, which tantivy's error may not do.
        let index =
            tantivy::Index::create(directory.clone(), fields.schema.clone(), index_settings())
                .map_err(|e| match directory.first_failure() {
                    Some(failure) => Error::io(
                        failure.path,
                        std::io::Error::new(failure.kind, failure.message),
                    ),
                    None => Error::from(e),
                })?;
        analysis::register(index.tokenizers());
        let meta = Meta::now();
        write_atomic(
            &dir.join(META),
            &serde_json::to_vec_pretty(&meta).unwrap_or_default(),
        )?;
        let reader = index.reader()?;
        Ok(Generation {
            dir,
            index,
            reader,
            fields,
            meta,
            directory,
        })
    }

    /// Makes `generation` the live one, atomically, then removes generations older
    /// than the one it replaces.
    pub fn publish(&self, generation: &Generation) -> Result<()> {
        let name = generation
            .dir
            .file_name()
            .and_then(|n| n.to_str())
            .ok_or_else(|| Error::NoIndex(generation.dir.clone()))?
            .to_string();
        let previous = self.current_name()?;
        write_atomic(&self.root.join(CURRENT), format!("{name}\n").as_bytes())?;
        self.collect_garbage(&name, previous.as_deref());
        Ok(())
    }

    /// Removes the generations quorum made that are neither live nor the one just
    /// before it, such as one left by an interrupted rebuild. Only a writer holding the
    /// lock calls this.
    pub fn collect_garbage(&self, live: &str, previous: Option<&str>) {
        let doomed: Vec<String> = match self.owned_generations() {
            Ok(generations) => generations
                .into_iter()
                .filter(|name| name != live && Some(name.as_str()) != previous)
                .collect(),
            Err(e) => {
                tracing::warn!("could not read the generations to remove: {e}");
                return;
            }
        };
        if let Err(e) = self.remove_generations(&doomed) {
            tracing::warn!("could not remove an old generation: {e}");
        }
    }

    /// Removes the generations quorum made that are newer than the live one: what an
    /// interrupted rebuild left. Only a writer holding the lock calls this.
    pub fn remove_unpublished(&self) -> Result<()> {
        let Some(live) = self.current_name()? else {
            return Ok(());
        };
        let Some(live_number) = generation_number(&live) else {
            return Ok(());
        };
        let doomed: Vec<String> = self
            .owned_generations()?
            .into_iter()
            .filter(|name| generation_number(name).is_some_and(|n| n > live_number))
            .collect();
        self.remove_generations(&doomed)
    }

    fn generation_numbers(&self) -> Result<Vec<u64>> {
        let entries = match fs::read_dir(&self.root) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(Error::io(self.root.clone(), e)),
        };
        Ok(entries
            .flatten()
            .filter_map(|e| generation_number(e.file_name().to_str()?))
            .collect())
    }

    /// Takes the writers' lock, or fails at once if another process holds it.
    pub fn lock(&self) -> Result<WriterLock> {
        if self.root.is_file() {
            return Err(Error::NotAFolder(self.root.clone()));
        }
        fs::create_dir_all(&self.root).map_err(|e| Error::io(self.root.clone(), e))?;
        let path = self.root.join(LOCK);
        fault::point(Op::Lock, &path);
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem => {
                    Error::ReadOnly {
                        dir: self.root.clone(),
                        path: path.clone(),
                        source: e,
                    }
                }
                _ => Error::io(path.clone(), e),
            })?;
        match file.try_lock() {
            Ok(()) => Ok(WriterLock { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) => Err(Error::Busy(self.root.clone())),
            Err(std::fs::TryLockError::Error(e)) => Err(Error::io(path, e)),
        }
    }
}

impl Generation {
    /// The first write to the generation's tantivy files that failed in this process,
    /// with its file: what a failed commit's message names.
    pub fn write_failure(&self) -> Option<WriteFailure> {
        self.directory.first_failure()
    }

    /// Records that the generation was updated now.
    pub fn touch(&mut self) -> Result<()> {
        self.meta.updated_at = unix_now();
        write_atomic(
            &self.dir.join(META),
            &serde_json::to_vec_pretty(&self.meta).unwrap_or_default(),
        )
    }
}

/// The writers' lock; released when dropped (and by the OS if the process dies).
pub struct WriterLock {
    _file: File,
}

/// The number of a generation folder's name, `gen-<n>`.
fn generation_number(name: &str) -> Option<u64> {
    name.strip_prefix(GEN_PREFIX)?.parse().ok()
}

impl Generation {
    /// The files whose checksums fail, as [`Error::Corrupt`]; `None` when every file
    /// checks out. It reads the whole index, so it is asked only after something failed.
    pub fn damaged(&self) -> Option<Error> {
        let detail = match self.index.validate_checksum() {
            Ok(damaged) if damaged.is_empty() => return None,
            Ok(damaged) => {
                let mut files: Vec<String> =
                    damaged.iter().map(|p| p.display().to_string()).collect();
                files.sort();
                format!("{} fail their checksum", files.join(", "))
            }
            Err(error) => format!("its files cannot be checked: {error}"),
        };
        Some(Error::Corrupt {
            dir: self.dir.clone(),
            detail,
        })
    }
}

/// Reads a generation's [`META`]; a generation without it is damaged.
fn read_meta(dir: &Path) -> Result<Meta> {
    let meta_path = dir.join(META);
    let corrupt = |detail: String| Error::Corrupt {
        dir: dir.to_path_buf(),
        detail: format!("{}: {detail}", meta_path.display()),
    };
    match fs::read(&meta_path) {
        Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| corrupt(e.to_string())),
        Err(e) => Err(corrupt(e.to_string())),
    }
}

/// Writes a file so that readers see the old content or the new, never a part. Each
/// step is a [`fault`] point.
fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = path.with_extension("tmp");
    let write = || -> std::io::Result<()> {
        fault::point(Op::WriteTemporary, &tmp);
        let mut file = File::create(&tmp)?;
        fault::spend_all(&tmp, bytes.len())?;
        file.write_all(bytes)?;
        fault::count_written(bytes.len());
        file.sync_all()?;
        fault::point(Op::Rename, path);
        fs::rename(&tmp, path)?;
        fault::point(Op::Renamed, path);
        if let Some(dir) = path.parent() {
            // Make the rename itself durable.
            File::open(dir)?.sync_all()?;
        }
        Ok(())
    };
    write().map_err(|e| Error::io(path.to_path_buf(), e))
}

/// How a new generation stores passages: zstd at level 3 on 32 KB blocks keeps the
/// stored text about half the size lz4 makes of it, and a page of hits reads ten
/// blocks at most.
pub fn index_settings() -> tantivy::IndexSettings {
    use tantivy::store::{Compressor, ZstdCompressor};
    tantivy::IndexSettings {
        docstore_compression: Compressor::Zstd(ZstdCompressor {
            compression_level: Some(3),
        }),
        docstore_blocksize: 32 * 1024,
        ..tantivy::IndexSettings::default()
    }
}
