//! The bound on searches in flight (each is CPU-bound): a few run, a short queue absorbs bursts,
//! the rest are refused at once so that latency stays bounded under any load.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Bounds the searches in flight: up to `max` run, up to `max_queued` more wait (each at most
/// `wait`), and any other is refused at once (503).
#[derive(Debug)]
pub struct SearchLimiter {
    max: usize,
    slots: Arc<Semaphore>,
    max_queued: usize,
    queued: AtomicUsize,
    wait: Duration,
}

/// A search slot, given back when dropped.
#[derive(Debug)]
pub struct SearchPermit {
    _permit: OwnedSemaphorePermit,
}

/// Counts a waiting search while it waits.
struct Queued<'a>(&'a AtomicUsize);

impl Drop for Queued<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl SearchLimiter {
    /// `max` slots and no queue.
    pub fn new(max: usize) -> Arc<SearchLimiter> {
        SearchLimiter::with_queue(max, 0, Duration::ZERO)
    }

    /// `max` slots, and up to `max_queued` searches waiting at most `wait` for one.
    pub fn with_queue(max: usize, max_queued: usize, wait: Duration) -> Arc<SearchLimiter> {
        Arc::new(SearchLimiter {
            max,
            slots: Arc::new(Semaphore::new(max)),
            max_queued,
            queued: AtomicUsize::new(0),
            wait,
        })
    }

    /// A slot if one is free now.
    pub fn try_acquire(&self) -> Option<SearchPermit> {
        self.slots
            .clone()
            .try_acquire_owned()
            .ok()
            .map(|permit| SearchPermit { _permit: permit })
    }

    /// A slot, waiting in the queue if it has room; `None` when the queue is full or the wait
    /// ran out.
    pub async fn acquire(&self) -> Option<SearchPermit> {
        if let Some(permit) = self.try_acquire() {
            return Some(permit);
        }
        self.queued
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < self.max_queued).then_some(n + 1)
            })
            .ok()?;
        let _queued = Queued(&self.queued);
        let permit = tokio::time::timeout(self.wait, self.slots.clone().acquire_owned())
            .await
            .ok()?
            .ok()?;
        Some(SearchPermit { _permit: permit })
    }

    /// Searches in flight.
    pub fn in_flight(&self) -> usize {
        self.max.saturating_sub(self.slots.available_permits())
    }

    /// Searches waiting for a slot.
    pub fn queued(&self) -> usize {
        self.queued.load(Ordering::Acquire)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limiter_gives_slots_back() {
        let limiter = SearchLimiter::new(2);
        let a = limiter.try_acquire().unwrap();
        let _b = limiter.try_acquire().unwrap();
        assert!(limiter.try_acquire().is_none());
        assert_eq!(limiter.in_flight(), 2);
        drop(a);
        assert_eq!(limiter.in_flight(), 1);
        assert!(limiter.try_acquire().is_some());
        assert!(SearchLimiter::new(0).try_acquire().is_none());
    }
}
