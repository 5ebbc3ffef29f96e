//! Fault injection for tests: a disk that fills up, and a process killed or asked to
//! stop at a chosen write.
//!
//! Every write quorum makes to an index goes through a *point*: tantivy's through
//! [`super::directory::GenerationDirectory`] (each `open_write`, `write`, `flush` and
//! `terminate` of a segment file, each `atomic_write` of `meta.json` or
//! `.managed.json`, each `sync_directory` and `delete`), and quorum's own through the
//! store (the writers' lock, the marker, `CURRENT` and `quorum.json` before their write,
//! before and after their rename, a generation's folder made or removed). The points
//! are numbered from 1 in the order a run reaches them, and [`VARIABLE`] chooses what
//! happens there, a comma-separated list of:
//!
//! ```text
//! QUORUM_FAULT=trace              print each point to stderr: `quorum: fault point 17 (bytes 40960): write gen-1/….store`
//! QUORUM_FAULT=kill:N             SIGKILL the process at point N, before its write
//! QUORUM_FAULT=term:N             send the process SIGTERM at point N, then go on
//! QUORUM_FAULT=disk-full:BYTES    fail every write past BYTES written with "No space left on device"
//! ```
//!
//! Without the variable a point costs one relaxed atomic load. It is read once per
//! process; a value that cannot be parsed is an error of `quorum index`
//! ([`check`]), so that a mistyped test cannot pass without its fault.
//!
//! ```
//! use quorum::index::fault::Plan;
//! let plan: Plan = "trace,kill:40".parse()?;
//! assert_eq!(plan.kill_at, Some(40));
//! assert!("kill:forty".parse::<Plan>().is_err());
//! # Ok::<(), String>(())
//! ```

use std::io;
use std::path::Path;
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

/// The environment variable that chooses the faults.
pub const VARIABLE: &str = "QUORUM_FAULT";

/// What [`VARIABLE`] asks for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Plan {
    /// Print every point to stderr.
    pub trace: bool,
    /// SIGKILL the process at this point.
    pub kill_at: Option<u64>,
    /// Raise SIGTERM at this point.
    pub term_at: Option<u64>,
    /// Fail writes past this many bytes.
    pub disk_bytes: Option<u64>,
}

impl Plan {
    fn is_idle(&self) -> bool {
        *self == Plan::default()
    }
}

impl FromStr for Plan {
    type Err = String;

    fn from_str(value: &str) -> Result<Plan, String> {
        let mut plan = Plan::default();
        for part in value.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (name, number) = match part.split_once(':') {
                Some((name, number)) => {
                    let number = number.trim().parse::<u64>().map_err(|_| {
                        format!("{VARIABLE}: `{part}` needs a whole number after `{name}:`")
                    })?;
                    (name.trim(), Some(number))
                }
                None => (part, None),
            };
            match (name, number) {
                ("trace", None) => plan.trace = true,
                ("kill", Some(n)) if n > 0 => plan.kill_at = Some(n),
                ("term", Some(n)) if n > 0 => plan.term_at = Some(n),
                ("disk-full", Some(n)) => plan.disk_bytes = Some(n),
                _ => {
                    return Err(format!(
                        "{VARIABLE}: `{part}` is not understood (expected trace, kill:N, \
                         term:N or disk-full:BYTES, N from 1)"
                    ))
                }
            }
        }
        Ok(plan)
    }
}

/// What a point is about to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// A segment file is created.
    OpenWrite,
    /// Bytes are written to a segment file.
    Write,
    /// A segment file is flushed.
    Flush,
    /// A segment file is finished.
    Terminate,
    /// tantivy replaces a file whole (`meta.json`, `.managed.json`).
    AtomicWrite,
    /// A directory is synced.
    SyncDirectory,
    /// tantivy deletes a file.
    Delete,
    /// quorum takes the writers' lock (creating its file).
    Lock,
    /// quorum writes the temporary copy of one of its files.
    WriteTemporary,
    /// quorum renames the temporary copy over the file.
    Rename,
    /// quorum has renamed it, and syncs the folder.
    Renamed,
    /// quorum makes a generation's folder.
    CreateDir,
    /// quorum removes a generation's folder.
    RemoveDir,
}

impl Op {
    /// The name a trace shows.
    pub fn name(self) -> &'static str {
        match self {
            Op::OpenWrite => "open_write",
            Op::Write => "write",
            Op::Flush => "flush",
            Op::Terminate => "terminate",
            Op::AtomicWrite => "atomic_write",
            Op::SyncDirectory => "sync_directory",
            Op::Delete => "delete",
            Op::Lock => "lock",
            Op::WriteTemporary => "write_temporary",
            Op::Rename => "rename",
            Op::Renamed => "renamed",
            Op::CreateDir => "create_dir",
            Op::RemoveDir => "remove_dir",
        }
    }
}

static PLAN: OnceLock<Result<Plan, String>> = OnceLock::new();
/// 0: not read yet; 1: no fault; 2: a plan.
static STATE: AtomicU64 = AtomicU64::new(0);
static POINTS: AtomicU64 = AtomicU64::new(0);
static WRITTEN: AtomicU64 = AtomicU64::new(0);

fn plan() -> Option<&'static Plan> {
    match STATE.load(Ordering::Relaxed) {
        1 => None,
        _ => {
            let plan = PLAN.get_or_init(|| match std::env::var(VARIABLE) {
                Ok(value) => value.parse(),
                Err(_) => Ok(Plan::default()),
            });
            let active = plan.as_ref().ok().filter(|p| !p.is_idle());
            STATE.store(if active.is_some() { 2 } else { 1 }, Ordering::Relaxed);
            active
        }
    }
}

/// Fails when [`VARIABLE`] is set to something that cannot be parsed.
pub fn check() -> Result<(), String> {
    plan();
    match PLAN.get() {
        Some(Err(message)) => Err(message.clone()),
        _ => Ok(()),
    }
}

/// Shows a path by its last two components (`gen-1/meta.json`), enough to say where.
fn short(path: &Path) -> String {
    let mut parts: Vec<String> = path
        .components()
        .rev()
        .take(2)
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.reverse();
    parts.join("/")
}

/// Passes a point: counts it, and traces, kills or raises SIGTERM as the plan says.
pub(crate) fn point(op: Op, path: &Path) {
    let Some(plan) = plan() else {
        return;
    };
    let n = POINTS.fetch_add(1, Ordering::SeqCst) + 1;
    let describe = || {
        format!(
            "fault point {n} (bytes {}): {} {}",
            WRITTEN.load(Ordering::SeqCst),
            op.name(),
            short(path)
        )
    };
    if plan.trace {
        eprintln!("quorum: {}", describe());
    }
    if plan.kill_at == Some(n) {
        eprintln!("quorum: {}: SIGKILL", describe());
        let _ = signal_hook::low_level::raise(signal_hook::consts::SIGKILL);
        std::process::abort();
    }
    if plan.term_at == Some(n) {
        eprintln!("quorum: {}: SIGTERM", describe());
        let _ = signal_hook::low_level::raise(signal_hook::consts::SIGTERM);
    }
}

/// How many of `len` bytes may be written to `path` before the simulated disk is full:
/// all of them without a limit, the part that fits before it, an error once it is
/// reached. The caller gives back what it did not write with [`unspend`].
pub(crate) fn spend(path: &Path, len: usize) -> io::Result<usize> {
    let Some(limit) = plan().and_then(|p| p.disk_bytes) else {
        return Ok(len);
    };
    let mut allowed = 0;
    let _ = WRITTEN.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |used| {
        allowed = limit.saturating_sub(used).min(len as u64);
        Some(used + allowed)
    });
    if allowed == 0 && len > 0 {
        return Err(disk_full(path));
    }
    Ok(allowed as usize)
}

/// Reserves all of `len` bytes for a file that is written whole or not at all.
pub(crate) fn spend_all(path: &Path, len: usize) -> io::Result<()> {
    let granted = spend(path, len)?;
    if granted < len {
        unspend(granted);
        return Err(disk_full(path));
    }
    Ok(())
}

/// Gives back bytes [`spend`] granted that were not written.
pub(crate) fn unspend(bytes: usize) {
    if bytes > 0 && plan().and_then(|p| p.disk_bytes).is_some() {
        WRITTEN.fetch_sub(bytes as u64, Ordering::SeqCst);
    }
}

/// Counts bytes written where no limit is set, for the trace.
pub(crate) fn count_written(bytes: usize) {
    if plan().is_some_and(|p| p.disk_bytes.is_none()) {
        WRITTEN.fetch_add(bytes as u64, Ordering::SeqCst);
    }
}

/// The error of a write past the limit. The file is named by whoever reports it, as
/// with an error from the OS.
fn disk_full(_path: &Path) -> io::Error {
    io::Error::new(
        io::ErrorKind::StorageFull,
        format!("No space left on device (simulated by {VARIABLE})"),
    )
}

/// True when an error means the disk (or the user's quota) is full.
pub fn is_disk_full(kind: io::ErrorKind) -> bool {
    matches!(
        kind,
        io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_parse_and_mistakes_are_refused() {
        let plan: Plan = "trace, kill:3,disk-full:0".parse().unwrap();
        assert_eq!(
            plan,
            Plan {
                trace: true,
                kill_at: Some(3),
                term_at: None,
                disk_bytes: Some(0),
            }
        );
        assert_eq!("".parse::<Plan>().unwrap(), Plan::default());
        for bad in ["kill", "kill:0", "term:x", "disk-full", "full:3", "trace:1"] {
            assert!(bad.parse::<Plan>().is_err(), "{bad}");
        }
    }

    #[test]
    fn paths_are_shown_by_their_last_two_components() {
        assert_eq!(
            short(Path::new("/a/index/gen-1/meta.json")),
            "gen-1/meta.json"
        );
        assert_eq!(short(Path::new("CURRENT")), "CURRENT");
    }
}
