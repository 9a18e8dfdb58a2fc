//! Request ids and the access log.
//!
//! Every request gets a fresh id (an incoming `x-request-id` is not trusted): a random prefix
//! chosen when the process starts and a counter, shaped like a UUID, so ids are unique across
//! replicas and cost no system call. The id is sent
//! back as `x-request-id` on every response, is the `instance` of the proxy's problems, is
//! passed upstream for correlation, and is on the one log line written per request.

use axum::extract::{FromRequestParts, MatchedPath, Request};
use axum::http::header::{HeaderName, HeaderValue};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::Response;
use std::convert::Infallible;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Instant;

/// The header that carries a request id.
pub const REQUEST_ID_HEADER: HeaderName = HeaderName::from_static("x-request-id");

/// The id of one request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestId(Arc<str>);

impl RequestId {
    /// A new id, unique across processes (not a secret: it is shown to users).
    pub fn generate() -> RequestId {
        static PREFIX: OnceLock<u64> = OnceLock::new();
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let prefix = *PREFIX.get_or_init(|| {
            let mut bytes = [0u8; 8];
            // Without a random source the start time keeps replicas apart.
            if ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut bytes).is_err() {
                let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
                bytes = nanos.map_or(0, |d| d.as_nanos() as u64).to_be_bytes();
            }
            u64::from_be_bytes(bytes)
        });
        let hex = format!("{prefix:016x}{:016x}", COUNTER.fetch_add(1, Ordering::Relaxed));
        RequestId(format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..]).into())
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The id as a header value.
    pub fn header_value(&self) -> Option<HeaderValue> {
        HeaderValue::from_str(&self.0).ok()
    }
}

impl fmt::Display for RequestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Extracts the id [`track`] gave the request (a fresh one where `track` is not installed).
impl<S: Send + Sync> FromRequestParts<S> for RequestId {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<RequestId, Infallible> {
        Ok(parts.extensions.get::<RequestId>().cloned().unwrap_or_else(RequestId::generate))
    }
}

/// Middleware: gives the request an id, returns it as `x-request-id`, and logs one line with
/// method, route (the path template, or the path for static files), status, duration and id.
/// Headers are never logged.
pub async fn track(mut request: Request, next: Next) -> Response {
    let started = Instant::now();
    let id = RequestId::generate();
    request.extensions_mut().insert(id.clone());
    let method = request.method().clone();
    let route = match request.extensions().get::<MatchedPath>() {
        Some(template) => template.as_str().to_owned(),
        None => request.uri().path().to_owned(),
    };

    let mut response = next.run(request).await;

    if let Some(value) = id.header_value() {
        response.headers_mut().insert(REQUEST_ID_HEADER, value);
    }
    tracing::info!(
        request_id = %id,
        %method,
        route,
        status = response.status().as_u16(),
        duration = ?started.elapsed(),
        "request"
    );
    response
}

#[cfg(test)]
mod tests {
    use super::RequestId;

    #[test]
    fn ids_are_unique_and_uuid_shaped() {
        let (a, b) = (RequestId::generate(), RequestId::generate());
        assert_ne!(a, b);
        let groups: Vec<usize> = a.as_str().split('-').map(str::len).collect();
        assert_eq!(groups, [8, 4, 4, 4, 12]);
        assert!(a.header_value().is_some());
    }
}
