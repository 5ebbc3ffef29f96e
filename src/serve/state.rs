//! What the server shares between requests: the engine of the live generation, swapped
//! whole when a rebuild publishes a new one, and the bounded pool that searches run on.
//!
//! A request takes an `Arc` of the [`Live`] engine when it starts and keeps it to the
//! end, so a swap never drops or changes a request in flight; the old generation goes
//! when its last request does.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use arc_swap::ArcSwap;
use tokio::sync::Semaphore;

use super::error::ApiError;
use super::paths;
use crate::index::store::Store;
use crate::search::Engine;

/// How often, at most, `CURRENT` is read again.
pub const REFRESH_EVERY: Duration = Duration::from_secs(1);

/// One generation, open.
pub struct Live {
    /// The engine.
    pub engine: Engine,
    /// The generation's folder name (`gen-3`).
    pub name: String,
    /// The folder that was indexed, which paths are shown relative to.
    pub root: Option<PathBuf>,
}

impl Live {
    fn open(store: &Store) -> Result<Live, crate::search::Error> {
        let engine = Engine::open(store)?;
        let generation = engine.generation();
        let name = generation
            .dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let root = paths::indexed_root(generation);
        Ok(Live { engine, name, root })
    }
}

/// How searches are bounded.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Searches that run at once, each on a blocking thread.
    pub workers: usize,
    /// Requests that may wait for a worker; one more gets a 503.
    pub queue: usize,
    /// How long a request waits for a worker before it gets a 503.
    pub wait: Duration,
    /// How long one search may run: its collector stops between segments after this.
    pub search_time: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Limits {
            workers: cores.max(2),
            queue: 256,
            // Under the request timeout, so that a queued request gets the 503 rather
            // than the timeout.
            wait: Duration::from_secs(10),
            search_time: Duration::from_secs(5),
        }
    }
}

/// The server's shared state.
pub struct State {
    store: Store,
    live: ArcSwap<Live>,
    checked: Mutex<Instant>,
    workers: Arc<Semaphore>,
    waiting: AtomicUsize,
    /// The bounds.
    pub limits: Limits,
}

impl State {
    /// Opens the live generation of `store`.
    pub fn open(store: Store, limits: Limits) -> Result<State, crate::search::Error> {
        let live = Live::open(&store)?;
        Ok(State {
            store,
            live: ArcSwap::from_pointee(live),
            checked: Mutex::new(Instant::now()),
            workers: Arc::new(Semaphore::new(limits.workers)),
            waiting: AtomicUsize::new(0),
            limits,
        })
    }

    /// The live generation, after reading `CURRENT` again when it was last read more
    /// than [`REFRESH_EVERY`] ago and opening the new generation a rebuild published.
    /// Blocking: it may read files and open an index.
    pub fn current(&self) -> Arc<Live> {
        let due = match self.checked.try_lock() {
            Ok(mut checked) if checked.elapsed() >= REFRESH_EVERY => {
                *checked = Instant::now();
                true
            }
            // Another thread is checking, or checked a moment ago.
            _ => false,
        };
        if due {
            self.refresh();
        }
        self.live.load_full()
    }

    /// Reads `CURRENT` every [`REFRESH_EVERY`] on a blocking thread, so that an idle
    /// server, too, moves to a rebuilt generation; requests then find it open.
    pub fn watch(self: &Arc<State>) {
        let state = Arc::clone(self);
        tokio::spawn(async move {
            let mut every = tokio::time::interval(REFRESH_EVERY);
            every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                every.tick().await;
                let state = Arc::clone(&state);
                if tokio::task::spawn_blocking(move || drop(state.current()))
                    .await
                    .is_err()
                {
                    tracing::warn!(target: "quorum::serve", "checking CURRENT failed");
                }
            }
        });
    }

    /// The live generation as it is, without reading `CURRENT`.
    pub fn peek(&self) -> Arc<Live> {
        self.live.load_full()
    }

    /// Moves to the generation `CURRENT` names, when it is another one. A generation
    /// that cannot be opened (a rebuild in a bad state) leaves the old one serving.
    fn refresh(&self) {
        let live = match self.store.current_name() {
            Ok(Some(name)) => name,
            Ok(None) => return,
            Err(e) => {
                tracing::warn!(target: "quorum::serve", "reading CURRENT: {e}");
                return;
            }
        };
        if live == self.live.load().name {
            return;
        }
        match Live::open(&self.store) {
            Ok(opened) => {
                tracing::info!(target: "quorum::serve", "now serving {}", opened.name);
                self.live.store(Arc::new(opened));
            }
            Err(e) => tracing::warn!(target: "quorum::serve", "opening {live}: {e}"),
        }
    }

    /// Runs `work` on the live generation on a blocking thread, once a worker is free:
    /// a 503 when [`Limits::queue`] requests already wait or none frees up within
    /// [`Limits::wait`].
    pub async fn run<T, F>(self: &Arc<State>, work: F) -> Result<T, ApiError>
    where
        F: FnOnce(&Live) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        let busy = || ApiError::busy("the server is busy: try again in a moment");
        let permit = match self.workers.clone().try_acquire_owned() {
            Ok(permit) => permit,
            Err(_) => {
                if self.waiting.fetch_add(1, Ordering::SeqCst) >= self.limits.queue {
                    self.waiting.fetch_sub(1, Ordering::SeqCst);
                    return Err(busy());
                }
                let waited =
                    tokio::time::timeout(self.limits.wait, self.workers.clone().acquire_owned())
                        .await;
                self.waiting.fetch_sub(1, Ordering::SeqCst);
                match waited {
                    Ok(Ok(permit)) => permit,
                    _ => return Err(busy()),
                }
            }
        };
        let state = Arc::clone(self);
        let joined = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let live = state.current();
            work(&live)
        })
        .await;
        match joined {
            Ok(result) => result,
            Err(e) => {
                tracing::error!(target: "quorum::serve", "a search failed: {e}");
                Err(busy())
            }
        }
    }
}
