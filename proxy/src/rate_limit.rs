//! A per-subject rate limit (token bucket), so that a runaway page cannot spend the company's
//! PayEx quota. Each replica limits on its own: with N replicas behind a load balancer a
//! subject may reach N times the rate.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Subjects tracked at most; when full, idle buckets are dropped (a full bucket is the same as
/// no bucket).
const MAX_SUBJECTS: usize = 100_000;

/// Token buckets, one per subject.
#[derive(Debug)]
pub struct RateLimiter {
    per_second: f64,
    burst: f64,
    buckets: Mutex<HashMap<String, Bucket>>,
}

#[derive(Clone, Copy, Debug)]
struct Bucket {
    tokens: f64,
    updated: Instant,
}

impl RateLimiter {
    /// A limiter refilling `per_second` requests per second up to `burst`; `None` if
    /// `per_second` is 0 (no limit).
    pub fn new(per_second: u32, burst: u32) -> Option<RateLimiter> {
        (per_second > 0).then(|| RateLimiter {
            per_second: f64::from(per_second),
            burst: f64::from(burst.max(1)),
            buckets: Mutex::new(HashMap::new()),
        })
    }

    /// Takes one request from `subject`'s bucket at `now`; when empty, how long until the
    /// next request is allowed.
    pub fn check(&self, subject: &str, now: Instant) -> Result<(), Duration> {
        let mut buckets = self.buckets.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if buckets.len() >= MAX_SUBJECTS && !buckets.contains_key(subject) {
            let (per_second, burst) = (self.per_second, self.burst);
            buckets.retain(|_, bucket| {
                bucket.tokens + per_second * now.duration_since(bucket.updated).as_secs_f64() < burst
            });
        }
        let bucket = buckets.entry(subject.to_owned()).or_insert(Bucket { tokens: self.burst, updated: now });
        let refill = self.per_second * now.saturating_duration_since(bucket.updated).as_secs_f64();
        bucket.tokens = (bucket.tokens + refill).min(self.burst);
        bucket.updated = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - bucket.tokens) / self.per_second))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_then_the_refill_rate() {
        let limiter = RateLimiter::new(2, 3).unwrap();
        let start = Instant::now();
        for _ in 0..3 {
            assert_eq!(limiter.check("a", start), Ok(()));
        }
        let wait = limiter.check("a", start).unwrap_err();
        assert!(wait <= Duration::from_millis(500) && wait > Duration::ZERO, "{wait:?}");
        assert_eq!(limiter.check("b", start), Ok(()), "subjects are limited apart");
        assert_eq!(limiter.check("a", start + Duration::from_millis(500)), Ok(()));
        assert!(RateLimiter::new(0, 10).is_none());
    }
}
