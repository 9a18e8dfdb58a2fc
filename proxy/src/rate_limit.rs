//! A per-subject rate limit (GCRA, as a token bucket refilling `per_second` up to `burst`), so
//! that a runaway page cannot spend the company's PayEx quota: `governor`'s keyed limiter.
//! Each replica limits on its own: with N replicas behind a load balancer a subject may reach N
//! times the rate.
//!
//! Bounded in entries and time: a subject whose bucket has refilled is indistinguishable from
//! one never seen, and such entries are dropped (`retain_recent`) at most every
//! [`SWEEP_EVERY`], and at once whenever [`MAX_SUBJECTS`] are tracked.

use governor::clock::{Clock, DefaultClock};
use governor::middleware::NoOpMiddleware;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter as Governor};
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Subjects tracked at most before the idle ones are dropped.
pub const MAX_SUBJECTS: usize = 100_000;

/// How often subjects whose bucket has refilled are dropped.
pub const SWEEP_EVERY: Duration = Duration::from_secs(60);

/// Token buckets, one per subject, on `clock`.
pub struct RateLimiter<C: Clock + Clone = DefaultClock> {
    buckets: Governor<String, DefaultKeyedStateStore<String>, C, NoOpMiddleware<C::Instant>>,
    clock: C,
    /// When the limiter was made, and milliseconds after it of the last sweep.
    started: Instant,
    swept_ms: AtomicU64,
}

impl<C: Clock + Clone> std::fmt::Debug for RateLimiter<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RateLimiter").field("subjects", &self.buckets.len()).finish()
    }
}

impl RateLimiter {
    /// A limiter refilling `per_second` requests per second up to `burst`; `None` if
    /// `per_second` is 0 (no limit).
    pub fn new(per_second: u32, burst: u32) -> Option<RateLimiter> {
        RateLimiter::with_clock(per_second, burst, DefaultClock::default())
    }
}

impl<C: Clock + Clone> RateLimiter<C> {
    /// [`RateLimiter::new`] reading the time from `clock`.
    pub fn with_clock(per_second: u32, burst: u32, clock: C) -> Option<RateLimiter<C>> {
        let per_second = NonZeroU32::new(per_second)?;
        let burst = NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN);
        let quota = Quota::per_second(per_second).allow_burst(burst);
        Some(RateLimiter {
            buckets: Governor::dashmap_with_clock(quota, clock.clone()),
            clock,
            started: Instant::now(),
            swept_ms: AtomicU64::new(0),
        })
    }

    /// Takes one request from `subject`'s bucket; when empty, how long until the next request
    /// is allowed.
    pub fn check(&self, subject: &str) -> Result<(), Duration> {
        self.sweep();
        self.buckets.check_key(&subject.to_owned()).map_err(|not_until| not_until.wait_time_from(self.clock.now()))
    }

    /// The number of subjects tracked.
    pub fn subjects(&self) -> usize {
        self.buckets.len()
    }

    /// Drops the subjects whose bucket has refilled, if the last sweep was [`SWEEP_EVERY`] ago
    /// or [`MAX_SUBJECTS`] are tracked.
    fn sweep(&self) {
        let now_ms = u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX);
        let last = self.swept_ms.load(Ordering::Relaxed);
        let due = now_ms.saturating_sub(last) >= SWEEP_EVERY.as_millis() as u64;
        if (due && self.swept_ms.compare_exchange(last, now_ms, Ordering::Relaxed, Ordering::Relaxed).is_ok())
            || self.buckets.len() >= MAX_SUBJECTS
        {
            self.buckets.retain_recent();
            self.buckets.shrink_to_fit();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use governor::clock::FakeRelativeClock;

    #[test]
    fn a_burst_then_the_refill_rate() {
        let clock = FakeRelativeClock::default();
        let limiter = RateLimiter::with_clock(2, 3, clock.clone()).unwrap();
        for _ in 0..3 {
            assert_eq!(limiter.check("a"), Ok(()));
        }
        let wait = limiter.check("a").unwrap_err();
        assert!(wait <= Duration::from_millis(500) && wait > Duration::ZERO, "{wait:?}");
        assert_eq!(limiter.check("b"), Ok(()), "subjects are limited apart");
        clock.advance(Duration::from_millis(500));
        assert_eq!(limiter.check("a"), Ok(()));
        assert!(RateLimiter::new(0, 10).is_none());
    }

    #[test]
    fn refilled_subjects_are_forgotten() {
        let clock = FakeRelativeClock::default();
        let limiter = RateLimiter::with_clock(10, 2, clock.clone()).unwrap();
        for subject in 0..100 {
            assert_eq!(limiter.check(&subject.to_string()), Ok(()));
        }
        assert_eq!(limiter.subjects(), 100);
        clock.advance(Duration::from_secs(1));
        limiter.buckets.retain_recent();
        assert_eq!(limiter.subjects(), 0, "full buckets are the same as none");
    }
}
