//! Opening or searching an index that panics inside tantivy (a damaged file it reads
//! without checking: a garbled fast field makes a slice out of bounds, a garbled footer
//! an overflow) becomes an error, not a crash; a search then checks the files'
//! checksums to say which are damaged.
//!
//! The panic hook stays quiet for a guarded call, whose panic is reported as an error;
//! every other panic is printed as before.

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};

thread_local! {
    static GUARDED: Cell<bool> = const { Cell::new(false) };
}

/// Runs `work`, turning a panic into its message.
pub(crate) fn quietly<T>(work: impl FnOnce() -> T) -> Result<T, String> {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !GUARDED.with(Cell::get) {
                previous(info);
            }
        }));
    });
    let was = GUARDED.with(|g| g.replace(true));
    let outcome = panic::catch_unwind(AssertUnwindSafe(work));
    GUARDED.with(|g| g.set(was));
    outcome.map_err(|payload| crate::ingest::reader::panic_message(payload.as_ref()))
}
