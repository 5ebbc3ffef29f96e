//! Stopping an indexing run gracefully on SIGINT or SIGTERM.
//!
//! `quorum index` installs the handlers ([`Interrupt::on_signals`]); a signal only sets
//! a flag, which [`super::build::run`] reads at each document boundary. The run then
//! drops what it has not committed (a commit under way, inside tantivy, is finished
//! first), removes the unfinished generation of a rebuild, and returns
//! [`super::Error::Interrupted`] saying what the index kept. A second signal ends the
//! process at once, for a run that is stuck.
//!
//! ```
//! use quorum::index::interrupt::{Interrupt, Signal};
//! let interrupt = Interrupt::new();
//! assert_eq!(interrupt.received(), None);
//! interrupt.set(Signal::Terminate);
//! assert_eq!(interrupt.received(), Some(Signal::Terminate));
//! assert_eq!(Signal::Terminate.exit_code(), 143);
//! ```

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use signal_hook::consts::{SIGINT, SIGTERM};

/// The signals a run stops on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Signal {
    /// SIGINT (Ctrl-C).
    Interrupt,
    /// SIGTERM (what `kill`, systemd and container runtimes send).
    Terminate,
}

impl Signal {
    fn number(self) -> i32 {
        match self {
            Signal::Interrupt => SIGINT,
            Signal::Terminate => SIGTERM,
        }
    }

    fn from_number(number: usize) -> Option<Signal> {
        [Signal::Interrupt, Signal::Terminate]
            .into_iter()
            .find(|s| s.number() as usize == number)
    }

    /// The shell's exit code for a process ended by the signal: 128 + its number.
    pub fn exit_code(self) -> u8 {
        128 + self.number() as u8
    }
}

impl std::fmt::Display for Signal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Signal::Interrupt => "SIGINT",
            Signal::Terminate => "SIGTERM",
        })
    }
}

/// The flag a run reads between documents.
#[derive(Clone, Debug, Default)]
pub struct Interrupt {
    /// The number of the last signal received, 0 for none.
    signal: Arc<AtomicUsize>,
    /// Set by the first signal: a second one ends the process.
    armed: Arc<AtomicBool>,
}

impl Interrupt {
    /// A flag that only [`Interrupt::set`] sets.
    pub fn new() -> Interrupt {
        Interrupt::default()
    }

    /// A flag that SIGINT and SIGTERM set, from now on in this process.
    pub fn on_signals() -> std::io::Result<Interrupt> {
        let interrupt = Interrupt::new();
        for signal in [Signal::Interrupt, Signal::Terminate] {
            let number = signal.number();
            // The shutdown goes first: it sees the flag the first signal sets only from
            // the second signal on.
            signal_hook::flag::register_conditional_shutdown(
                number,
                i32::from(signal.exit_code()),
                interrupt.armed.clone(),
            )?;
            signal_hook::flag::register(number, interrupt.armed.clone())?;
            signal_hook::flag::register_usize(number, interrupt.signal.clone(), number as usize)?;
        }
        Ok(interrupt)
    }

    /// Sets the flag as `signal` would.
    pub fn set(&self, signal: Signal) {
        self.armed.store(true, Ordering::SeqCst);
        self.signal
            .store(signal.number() as usize, Ordering::SeqCst);
    }

    /// The signal received, if one was.
    pub fn received(&self) -> Option<Signal> {
        Signal::from_number(self.signal.load(Ordering::SeqCst))
    }
}
