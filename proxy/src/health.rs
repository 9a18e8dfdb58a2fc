//! `/healthz` (the process answers), `/readyz` (the upstream answers and the client
//! certificate is not about to expire) and `/metrics` (Prometheus).

use crate::metrics::Metrics;
use crate::pool::UpstreamPool;
use crate::upstream::Upstream;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// How long `/readyz` waits for the upstream.
pub const READY_TIMEOUT: Duration = Duration::from_secs(2);

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
    match health.upstream.target("/") {
        Ok(url) => {
            let mut request = axum::http::Request::new(http_body_util::Full::default());
            *request.uri_mut() = url;
            match tokio::time::timeout(READY_TIMEOUT, health.client.exchange(request)).await {
                Ok(Ok(_)) => {}
                Ok(Err(err)) => {
                    tracing::warn!(error = ?err, "readiness: upstream unreachable");
                    problems.push("the billing API is unreachable".to_owned());
                }
                Err(_) => {
                    tracing::warn!("readiness: upstream did not answer in time");
                    problems.push("the billing API is unreachable".to_owned());
                }
            }
        }
        Err(_) => problems.push("the billing API's URL is unusable".to_owned()),
    }
    if problems.is_empty() {
        (StatusCode::OK, "ready").into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, problems.join("\n")).into_response()
    }
}

/// Prometheus text exposition of the request metrics.
pub async fn metrics(State(health): State<Arc<Health>>) -> Response {
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], health.metrics.render()).into_response()
}
