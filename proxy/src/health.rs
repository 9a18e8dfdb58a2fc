//! `/healthz` (the process answers), `/readyz` (the upstream answers and the client
//! certificate is not about to expire) and `/metrics` (Prometheus).
//!
//! `/readyz` and `/metrics` are served on the admin listener only (`admin-listen`, loopback by
//! default; [`crate::app::Proxy::admin_app`]); `/healthz` on both listeners. `/readyz` reuses
//! its upstream check for [`READY_CHECK_REUSE`], so a flood of probes costs one (mutual) TLS
//! exchange with the upstream per window, not one each.

use crate::metrics::Metrics;
use crate::pool::UpstreamPool;
use crate::upstream::Upstream;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

/// How long `/readyz` waits for the upstream.
pub const READY_TIMEOUT: Duration = Duration::from_secs(2);

/// How long `/readyz` reuses the result of its last upstream check.
pub const READY_CHECK_REUSE: Duration = Duration::from_secs(5);

/// What the readiness check needs.
#[derive(Debug)]
pub struct Health {
    /// The upstream client (with the client certificate).
    pub client: Arc<UpstreamPool>,
    /// The upstream base.
    pub upstream: Upstream,
    /// When the client certificate expires, if there is one.
    pub certificate_expires: Option<SystemTime>,
    /// Not ready this long before the certificate expires.
    pub expiry_warning: Duration,
    /// The metrics served at `/metrics`.
    pub metrics: Arc<Metrics>,
    /// The last upstream check, reused for [`READY_CHECK_REUSE`].
    pub last_check: LastCheck,
}

/// The result of the last upstream check (`None`: the upstream answered; otherwise the
/// problem) and when it started. Callers arriving while a check runs wait for it and take
/// its result, so concurrent probes make one exchange too.
#[derive(Debug, Default)]
pub struct LastCheck(tokio::sync::Mutex<Option<(Instant, Option<&'static str>)>>);

impl LastCheck {
    /// The result of a check started at most [`READY_CHECK_REUSE`] before `now`, or else of
    /// `check()`, which is then remembered as started at `now`.
    pub async fn reuse_or<F>(&self, now: Instant, check: impl FnOnce() -> F) -> Option<&'static str>
    where
        F: Future<Output = Option<&'static str>>,
    {
        let mut last = self.0.lock().await;
        if let Some((started, result)) = *last {
            if now.saturating_duration_since(started) < READY_CHECK_REUSE {
                return result;
            }
        }
        let result = check().await;
        *last = Some((now, result));
        result
    }
}

/// Liveness: the process answers.
pub async fn healthz() -> &'static str {
    "ok"
}

/// Readiness: 200 `ready` when the upstream answers anything over HTTP (TLS and, with a client
/// certificate, mutual TLS succeeded) and the certificate is valid for longer than the
/// warning period; otherwise 503 with the reasons, one per line.
pub async fn readyz(State(health): State<Arc<Health>>) -> Response {
    let mut problems = Vec::new();
    if let Some(expires) = health.certificate_expires {
        match expires.duration_since(SystemTime::now()) {
            Ok(left) if left > health.expiry_warning => {}
            Ok(left) => problems.push(format!("the client certificate expires in {} days", left.as_secs() / 86_400)),
            Err(_) => problems.push("the client certificate has expired".to_owned()),
        }
    }
    if let Some(problem) = health.last_check.reuse_or(Instant::now(), || check_upstream(&health)).await {
        problems.push(problem.to_owned());
    }
    if problems.is_empty() {
        (StatusCode::OK, "ready").into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, problems.join("\n")).into_response()
    }
}

/// One exchange with the upstream: `None` if it answered anything over HTTP within
/// [`READY_TIMEOUT`], otherwise the problem.
async fn check_upstream(health: &Health) -> Option<&'static str> {
    let Ok(url) = health.upstream.target("/") else {
        return Some("the billing API's URL is unusable");
    };
    let mut request = axum::http::Request::new(http_body_util::Full::default());
    *request.uri_mut() = url;
    match tokio::time::timeout(READY_TIMEOUT, health.client.exchange(request)).await {
        Ok(Ok(_)) => None,
        Ok(Err(err)) => {
            tracing::warn!(error = ?err, "readiness: upstream unreachable");
            Some("the billing API is unreachable")
        }
        Err(_) => {
            tracing::warn!("readiness: upstream did not answer in time");
            Some("the billing API is unreachable")
        }
    }
}

/// Prometheus text exposition of the request metrics.
pub async fn metrics(State(health): State<Arc<Health>>) -> Response {
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], health.metrics.render()).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    #[tokio::test]
    async fn a_check_is_reused_within_the_window_only() {
        let last = LastCheck::default();
        let checks = AtomicU32::new(0);
        let check = |result: Option<&'static str>| {
            checks.fetch_add(1, Ordering::Relaxed);
            std::future::ready(result)
        };
        let start = Instant::now();
        assert_eq!(last.reuse_or(start, || check(Some("down"))).await, Some("down"));
        let almost = start + READY_CHECK_REUSE - Duration::from_millis(1);
        assert_eq!(last.reuse_or(almost, || check(None)).await, Some("down"), "a failure is reused too");
        assert_eq!(checks.load(Ordering::Relaxed), 1);
        assert_eq!(last.reuse_or(start + READY_CHECK_REUSE, || check(None)).await, None, "checked again");
        assert_eq!(checks.load(Ordering::Relaxed), 2);
        // A caller that took its time before the window started still takes the fresh result.
        assert_eq!(last.reuse_or(start, || check(Some("down"))).await, None);
        assert_eq!(checks.load(Ordering::Relaxed), 2);
    }
}
