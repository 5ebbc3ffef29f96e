//! The server's open connections, bounded, and how a full house makes room.
//!
//! A slowloris client opens connections and never finishes a request head: each holds
//! one of the [`MAX_CONNECTIONS`](super::MAX_CONNECTIONS) slots until hyper's
//! header-read timeout drops it. With enough of them every slot is taken, and a new
//! client would wait in the kernel's queue for that timeout. So when the house is full,
//! the connection that has waited longest for its first request head is closed to make
//! room. A connection that has sent a request is never closed this way: it is a real
//! client, and its keep-alive wait ends with the header timeout as before.
//!
//! ```
//! use quorum::serve::room::Room;
//! # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
//! let room = Room::new(1);
//! let (silent, close) = room.enter().await;
//! // The room is full: the next connection asks `silent`, which never sent a request,
//! // to close, and takes its slot once it has.
//! let next = tokio::spawn({
//!     let room = room.clone();
//!     async move { room.enter().await }
//! });
//! close.notified().await;
//! drop(silent);
//! let (seat, _) = next.await.unwrap();
//! seat.served();
//! # });
//! ```

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore};

/// The connection slots, and the connections that have not yet sent a request.
#[derive(Clone)]
pub struct Room {
    slots: Arc<Semaphore>,
    fresh: Arc<Mutex<HashMap<u64, Fresh>>>,
    next: Arc<AtomicU64>,
}

/// A free slot, taken before a connection is accepted.
pub struct Slot(OwnedSemaphorePermit);

/// A connection waiting for its first request head.
struct Fresh {
    since: Instant,
    close: Arc<Notify>,
}

/// One connection's slot: it frees the slot when dropped.
pub struct Seat {
    id: u64,
    fresh: Arc<Mutex<HashMap<u64, Fresh>>>,
    _slot: OwnedSemaphorePermit,
}

impl Room {
    /// A room of `slots` connections.
    pub fn new(slots: usize) -> Room {
        Room {
            slots: Arc::new(Semaphore::new(slots)),
            fresh: Arc::new(Mutex::new(HashMap::new())),
            next: Arc::new(AtomicU64::new(0)),
        }
    }

    /// Waits for a slot, closing the connection that has waited longest for its first
    /// request when none is free.
    pub async fn slot(&self) -> Slot {
        let slot = match self.slots.clone().try_acquire_owned() {
            Ok(slot) => slot,
            Err(_) => {
                self.make_room();
                // The evicted connection frees its slot as its task ends; another may
                // have ended first.
                match self.slots.clone().acquire_owned().await {
                    Ok(slot) => slot,
                    Err(_) => unreachable!("the connection semaphore is never closed"),
                }
            }
        };
        Slot(slot)
    }

    /// Seats a connection just accepted in `slot`. Returns the seat and what tells its
    /// connection to close.
    pub fn seat(&self, slot: Slot) -> (Seat, Arc<Notify>) {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let close = Arc::new(Notify::new());
        self.lock().insert(
            id,
            Fresh {
                since: Instant::now(),
                close: Arc::clone(&close),
            },
        );
        let seat = Seat {
            id,
            fresh: Arc::clone(&self.fresh),
            _slot: slot.0,
        };
        (seat, close)
    }

    /// [`Room::slot`] then [`Room::seat`].
    pub async fn enter(&self) -> (Seat, Arc<Notify>) {
        let slot = self.slot().await;
        self.seat(slot)
    }

    /// Tells the connection that has waited longest for its first request to close,
    /// when there is one: the house is full, or out of file descriptors.
    pub fn make_room(&self) {
        let mut fresh = self.lock();
        let oldest = fresh.iter().min_by_key(|(_, f)| f.since).map(|(&id, _)| id);
        if let Some(evicted) = oldest.and_then(|id| fresh.remove(&id)) {
            tracing::debug!(target: "quorum::serve", "full: closing a connection that sent no request");
            evicted.close.notify_one();
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Fresh>> {
        lock(&self.fresh)
    }
}

impl Seat {
    /// The connection has sent a request: it is no longer closed to make room.
    pub fn served(&self) {
        lock(&self.fresh).remove(&self.id);
    }
}

impl Drop for Seat {
    fn drop(&mut self) {
        self.served();
    }
}

/// The map, even after a thread panicked holding it: it holds no invariant a panic
/// could break.
fn lock(fresh: &Mutex<HashMap<u64, Fresh>>) -> std::sync::MutexGuard<'_, HashMap<u64, Fresh>> {
    fresh
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_full_room_closes_the_oldest_connection_that_sent_no_request() {
        let room = Room::new(2);
        let (old, old_close) = room.enter().await;
        let (served, served_close) = room.enter().await;
        served.served();
        let next = tokio::spawn({
            let room = room.clone();
            async move { room.enter().await }
        });
        // Only the one that never sent a request is told to close.
        old_close.notified().await;
        drop(old);
        let (_next, _) = next.await.expect("joined");
        assert!(
            // A stored notification resolves on the first poll, before the deadline.
            tokio::time::timeout(std::time::Duration::ZERO, served_close.notified())
                .await
                .is_err(),
            "a connection that sent a request was closed"
        );
        drop(served);
    }

    #[tokio::test]
    async fn a_room_full_of_requests_waits_for_a_slot() {
        let room = Room::new(1);
        let (busy, _) = room.enter().await;
        busy.served();
        let next = tokio::spawn({
            let room = room.clone();
            async move { room.enter().await }
        });
        tokio::task::yield_now().await;
        assert!(!next.is_finished());
        drop(busy);
        let (_seat, _) = next.await.expect("joined");
    }
}
