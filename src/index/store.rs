//! Where an index lives on disk, and how a new one replaces the old atomically.
//!
//! An index directory holds generations and a pointer to the current one:
//!
//! ```text
//! index/
//!   CURRENT          name of the live generation, replaced by an atomic rename
//!   gen-<n>/         a tantivy index and its quorum.json (versions, build times)
//!   .lock            held by the one process that writes (outside every generation)
//!   README.md        anything else is left alone
//! ```
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

use serde::{Deserialize, Serialize};

use super::schema::{Fields, SCHEMA_VERSION};
use super::{Error, Result, Versions};
use crate::analysis::{self, ANALYSIS_VERSION};

/// File naming the live generation.
pub const CURRENT: &str = "CURRENT";
/// The writers' lock file.
pub const LOCK: &str = ".lock";
/// Metadata quorum keeps in each generation.
pub const META: &str = "quorum.json";
const GEN_PREFIX: &str = "gen-";

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
            Err(e) => Err(Error::io(self.root.join(CURRENT), e)),
        }
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
        let index = tantivy::Index::open_in_dir(dir).map_err(|e| corrupt(e.to_string()))?;
        analysis::register(index.tokenizers());
        let fields = Fields::new();
        if meta.is_current() && index.schema() != fields.schema {
            return Err(corrupt("its schema is not the one its version says".into()));
        }
        let reader = index.reader().map_err(|e| corrupt(e.to_string()))?;
        Ok(Generation {
            dir: dir.to_path_buf(),
            index,
            reader,
            fields,
            meta,
        })
    }

    /// Creates an empty generation beside the live one. It is not live until
    /// [`Store::publish`].
    pub fn create_generation(&self) -> Result<Generation> {
        fs::create_dir_all(&self.root).map_err(|e| Error::io(self.root.clone(), e))?;
        let next = self.generation_numbers()?.into_iter().max().unwrap_or(0) + 1;
        let dir = self.root.join(format!("{GEN_PREFIX}{next}"));
        if dir.exists() {
            fs::remove_dir_all(&dir).map_err(|e| Error::io(dir.clone(), e))?;
        }
        fs::create_dir_all(&dir).map_err(|e| Error::io(dir.clone(), e))?;
        let fields = Fields::new();
        let index = tantivy::Index::builder()
            .schema(fields.schema.clone())
            .settings(index_settings())
            .create_in_dir(&dir)?;
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

    /// Removes generations that are neither live nor the one just before it, such as
    /// one left by an interrupted rebuild. Only a writer holding the lock calls this.
    pub fn collect_garbage(&self, live: &str, previous: Option<&str>) {
        let Ok(entries) = fs::read_dir(&self.root) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with(GEN_PREFIX) && name != live && Some(name.as_str()) != previous {
                if let Err(e) = fs::remove_dir_all(entry.path()) {
                    tracing::warn!(
                        "could not remove old generation {}: {e}",
                        entry.path().display()
                    );
                }
            }
        }
    }

    /// Removes generations newer than the live one: what an interrupted rebuild left.
    /// Only a writer holding the lock calls this.
    pub fn remove_unpublished(&self) -> Result<()> {
        let Some(live) = self.current_name()? else {
            return Ok(());
        };
        let Some(live_number) = live
            .strip_prefix(GEN_PREFIX)
            .and_then(|n| n.parse::<u64>().ok())
        else {
            return Ok(());
        };
        for number in self.generation_numbers()? {
            if number > live_number {
                let dir = self.root.join(format!("{GEN_PREFIX}{number}"));
                fs::remove_dir_all(&dir).map_err(|e| Error::io(dir, e))?;
            }
        }
        Ok(())
    }

    fn generation_numbers(&self) -> Result<Vec<u64>> {
        let entries = match fs::read_dir(&self.root) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(Error::io(self.root.clone(), e)),
        };
        Ok(entries
            .flatten()
            .filter_map(|e| {
                e.file_name()
                    .to_str()?
                    .strip_prefix(GEN_PREFIX)?
                    .parse()
                    .ok()
            })
            .collect())
    }

    /// Takes the writers' lock, or fails at once if another process holds it.
    pub fn lock(&self) -> Result<WriterLock> {
        fs::create_dir_all(&self.root).map_err(|e| Error::io(self.root.clone(), e))?;
        let path = self.root.join(LOCK);
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| Error::io(path.clone(), e))?;
        match file.try_lock() {
            Ok(()) => Ok(WriterLock { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) => Err(Error::Busy(self.root.clone())),
            Err(std::fs::TryLockError::Error(e)) => Err(Error::io(path, e)),
        }
    }
}

impl Generation {
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

/// Writes a file so that readers see the old content or the new, never a part.
fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = path.with_extension("tmp");
    let write = || -> std::io::Result<()> {
        let mut file = File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&tmp, path)?;
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
