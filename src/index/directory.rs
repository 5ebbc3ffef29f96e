//! The tantivy directory every generation is opened through: tantivy's
//! `MmapDirectory`, with three things added.
//!
//! - Each write passes a [`fault`] point, so that tests can fill the disk or kill the
//!   process inside tantivy's own commit.
//! - The first write that fails is recorded with its file ([`WriteFailure`]): tantivy
//!   reports an indexing thread's failure as "the index writer was killed", or an I/O
//!   error without the file, and the run's message must say which file could not be
//!   written and why (a full disk).
//! - A reader that may not create tantivy's `.tantivy-meta.lock` (a read-only folder or
//!   file system) reads without it. That lock only keeps a writer's garbage collection
//!   from deleting segment files while a reader opens them; a process that cannot
//!   create the lock file is not that writer, and if another user's writer races with
//!   it the open fails and is retried ([`super::store::Store::open`]). Without this,
//!   every search of a read-only index would fail.
//!
//! ```
//! use quorum::index::directory::GenerationDirectory;
//! let dir = tempfile::tempdir()?;
//! let directory = GenerationDirectory::open(dir.path())?;
//! assert!(directory.first_failure().is_none());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    AntiCallToken, Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, TerminatingWrite,
    WatchCallback, WatchHandle, WritePtr, META_LOCK,
};

use super::fault::{self, Op};

/// A write that failed: the file and the OS error.
#[derive(Clone, Debug)]
pub struct WriteFailure {
    /// The file.
    pub path: PathBuf,
    /// The error's kind.
    pub kind: io::ErrorKind,
    /// The error as the OS (or the fault) worded it.
    pub message: String,
}

/// `MmapDirectory` with fault points, a record of the first failed write, and reading
/// without the meta lock where it cannot be taken.
#[derive(Clone, Debug)]
pub struct GenerationDirectory {
    root: PathBuf,
    inner: MmapDirectory,
    failure: Arc<Mutex<Option<WriteFailure>>>,
}

impl GenerationDirectory {
    /// Opens the directory at `root`, which must exist.
    pub fn open(root: &Path) -> tantivy::Result<GenerationDirectory> {
        Ok(GenerationDirectory {
            root: root.to_path_buf(),
            inner: MmapDirectory::open(root)?,
            failure: Arc::default(),
        })
    }

    /// The first write that failed, if one did.
    pub fn first_failure(&self) -> Option<WriteFailure> {
        self.failure.lock().ok().and_then(|failure| failure.clone())
    }

    fn full(&self, path: &Path) -> PathBuf {
        self.root.join(path)
    }
}

/// Records the first failure in `slot` and hands the error back.
fn record(slot: &Mutex<Option<WriteFailure>>, path: &Path, error: &io::Error) {
    if let Ok(mut failure) = slot.lock() {
        if failure.is_none() {
            *failure = Some(WriteFailure {
                path: path.to_path_buf(),
                kind: error.kind(),
                message: error.to_string(),
            });
        }
    }
}

/// True when an error says this process may not write there.
fn cannot_write(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem
    )
}

impl Directory for GenerationDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.inner.get_file_handle(path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        fault::point(Op::Delete, &self.full(path));
        self.inner.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        let full = self.full(path);
        fault::point(Op::OpenWrite, &full);
        let inner = self.inner.open_write(path).inspect_err(|e| {
            if let OpenWriteError::IoError { io_error, .. } = e {
                record(&self.failure, &full, io_error);
            }
        })?;
        Ok(BufWriter::new(Box::new(FaultWriter {
            path: full,
            inner,
            failure: self.failure.clone(),
        })))
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.inner.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        let full = self.full(path);
        fault::point(Op::AtomicWrite, &full);
        fault::spend_all(&full, data.len())
            .and_then(|()| self.inner.atomic_write(path, data))
            .inspect(|()| fault::count_written(data.len()))
            .inspect_err(|e| record(&self.failure, &full, e))
    }

    fn sync_directory(&self) -> io::Result<()> {
        fault::point(Op::SyncDirectory, &self.root);
        self.inner
            .sync_directory()
            .inspect_err(|e| record(&self.failure, &self.root, e))
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        match self.inner.acquire_lock(lock) {
            Err(LockError::IoError(e))
                if lock.filepath == META_LOCK.filepath && cannot_write(&e) =>
            {
                Ok(DirectoryLock::from(Box::new(())))
            }
            outcome => outcome,
        }
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(watch_callback)
    }
}

/// A segment file being written, through its fault points.
struct FaultWriter {
    path: PathBuf,
    inner: WritePtr,
    failure: Arc<Mutex<Option<WriteFailure>>>,
}

impl FaultWriter {
    fn recorded<T>(&self, outcome: io::Result<T>) -> io::Result<T> {
        outcome.inspect_err(|e| record(&self.failure, &self.path, e))
    }
}

impl Write for FaultWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        fault::point(Op::Write, &self.path);
        let granted = self.recorded(fault::spend(&self.path, buf.len()))?;
        let outcome = self.inner.write(&buf[..granted]);
        let written = self.recorded(outcome);
        let done = *written.as_ref().unwrap_or(&0);
        fault::unspend(granted - done);
        fault::count_written(done);
        written
    }

    fn flush(&mut self) -> io::Result<()> {
        fault::point(Op::Flush, &self.path);
        let outcome = self.inner.flush();
        self.recorded(outcome)
    }
}

impl TerminatingWrite for FaultWriter {
    fn terminate_ref(&mut self, token: AntiCallToken) -> io::Result<()> {
        fault::point(Op::Terminate, &self.path);
        let outcome = self.inner.terminate_ref(token);
        self.recorded(outcome)
    }
}
