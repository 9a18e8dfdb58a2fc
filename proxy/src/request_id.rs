//! Request ids and the access log.
//!
//! Every request gets a fresh id (an incoming `x-request-id` is not trusted): a random prefix
//! chosen when the process starts and a counter, shaped like a UUID, so ids are unique across
//! replicas and cost no system call. The id is sent
//! back as `x-request-id` on every response, is the `instance` of the proxy's problems, is
//! passed upstream for correlation, and is on the one log line written per request.
//!
//! That access log line names the route by its template ([`log_route`]), never by the raw
//! path or query, which carry customer and invoice numbers.

use crate::access::Api;
use crate::route::ApiRoute;
use crate::static_files::SecurityHeaders;
use axum::extract::{FromRequestParts, Request};
use axum::http::header::{HeaderName, HeaderValue};
use axum::http::request::Parts;
use axum::http::{Method, Uri};
use axum::response::Response;
use std::cell::Cell;
use std::convert::Infallible;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Instant;
use tower::{Layer, Service};

/// The header that carries a request id.
pub const REQUEST_ID_HEADER: HeaderName = HeaderName::from_static("x-request-id");

/// The id of one request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestId(HeaderValue);

impl RequestId {
    /// A new id, unique across processes and threads (not a secret: it is shown to users).
    pub fn generate() -> RequestId {
        thread_local! {
            /// This thread's random prefix and the count of ids it made: no request writes
            /// memory that another thread's requests write.
            static NEXT: Cell<(u64, u64)> = Cell::new((random_prefix(), 0));
        }
        let (prefix, count) = NEXT.with(|next| {
            let (prefix, count) = next.get();
            next.set((prefix, count.wrapping_add(1)));
            (prefix, count)
        });
        // 32 hex digits in the groups of a UUID: 8-4-4-4-12, the prefix's 16 first.
        const HEX: &[u8; 16] = b"0123456789abcdef";
        const PLACES: [usize; 32] = [
            0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 14, 15, 16, 17, 19, 20, 21, 22, 24, 25, 26, 27, 28, 29, 30, 31, 32,
            33, 34, 35,
        ];
        let mut text = [b'-'; 36];
        for (half, value) in [prefix, count].into_iter().enumerate() {
            for digit in 0..16 {
                let place = PLACES.get(half * 16 + digit).copied().unwrap_or_default();
                if let Some(byte) = text.get_mut(place) {
                    *byte = HEX[((value >> (60 - 4 * digit)) & 0xf) as usize];
                }
            }
        }
        RequestId(HeaderValue::from_bytes(&text).unwrap_or_else(|_| HeaderValue::from_static("-")))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        self.0.to_str().unwrap_or_default()
    }

    /// The id as a header value.
    pub fn header_value(&self) -> Option<HeaderValue> {
        Some(self.0.clone())
    }
}

impl fmt::Display for RequestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// 64 random bits (or, without a random source, the clock's nanoseconds and the thread, which
/// keep replicas and threads apart too).
fn random_prefix() -> u64 {
    let mut bytes = [0u8; 8];
    if ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut bytes).is_ok() {
        return u64::from_be_bytes(bytes);
    }
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos() as u64);
    let mut thread = std::hash::DefaultHasher::new();
    std::hash::Hash::hash(&std::thread::current().id(), &mut thread);
    nanos ^ std::hash::Hasher::finish(&thread)
}

/// Extracts the id [`Track`] gave the request (a fresh one where it is not installed).
impl<S: Send + Sync> FromRequestParts<S> for RequestId {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<RequestId, Infallible> {
        Ok(parts.extensions.get::<RequestId>().cloned().unwrap_or_else(RequestId::generate))
    }
}

/// Middleware: gives the request an id, returns it as `x-request-id` with the
/// [`SecurityHeaders`], and logs one line with method, route ([`log_route`]: a template, never
/// the raw path or query), status, duration and id. Headers are never logged.
///
/// A hand-written layer rather than `axum::middleware::from_fn`, which boxes its future and
/// clones the inner service on every request.
#[derive(Clone, Debug)]
pub struct TrackLayer {
    security: Arc<SecurityHeaders>,
}

impl TrackLayer {
    /// The layer adding `security` to every response.
    pub fn new(security: Arc<SecurityHeaders>) -> TrackLayer {
        TrackLayer { security }
    }
}

impl<S> Layer<S> for TrackLayer {
    type Service = Track<S>;

    fn layer(&self, inner: S) -> Track<S> {
        Track { inner, security: self.security.clone() }
    }
}

/// The service of [`TrackLayer`].
#[derive(Clone, Debug)]
pub struct Track<S> {
    inner: S,
    security: Arc<SecurityHeaders>,
}

/// A service that is handed each request's id with the request (rather than in the request's
/// extensions, which would be a map allocated for every request).
pub trait ServeWithId {
    /// The future of an answer.
    type Future: Future<Output = Result<Response, Infallible>>;

    /// Answers `request`, whose id is `id`.
    fn call_with_id(&mut self, id: RequestId, request: Request) -> Self::Future;
}

impl<S: ServeWithId> Service<Request> for Track<S> {
    type Response = Response;
    type Error = Infallible;
    type Future = TrackFuture<S::Future>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request) -> Self::Future {
        let id = RequestId::generate();
        // What the log line needs, kept only when it is written.
        let log = tracing::enabled!(tracing::Level::INFO).then(|| LogLine {
            started: Instant::now(),
            method: request.method().clone(),
            uri: request.uri().clone(),
        });
        TrackFuture {
            inner: self.inner.call_with_id(id.clone(), request),
            id: Some(id),
            security: self.security.clone(),
            log,
        }
    }
}

/// What the request log line says besides the response. The route is worked out from the
/// target only when the line is written: nothing is parsed twice with logging off.
#[derive(Debug)]
struct LogLine {
    started: Instant,
    method: Method,
    uri: Uri,
}

/// What the access log names a request's route by: an API route's template (as the metrics
/// do; `refused` for a path the allowlist refuses), the admin paths by name, and `static` for
/// everything else (bundle files and 404s alike). Never the raw path or query, which may hold
/// customer and invoice numbers.
pub fn log_route(method: &Method, uri: &Uri) -> &'static str {
    let path = uri.path();
    if let Some((api, rest)) = Api::of_path(path) {
        return ApiRoute::parse(api, method, rest, uri.query()).map_or("refused", |route| route.kind.template());
    }
    match path {
        "/healthz" => "/healthz",
        "/readyz" => "/readyz",
        "/metrics" => "/metrics",
        _ => "static",
    }
}

pin_project_lite::pin_project! {
    /// The future of [`Track`].
    pub struct TrackFuture<F> {
        #[pin]
        inner: F,
        id: Option<RequestId>,
        security: Arc<SecurityHeaders>,
        log: Option<LogLine>,
    }
}

impl<F> Future for TrackFuture<F>
where
    F: Future<Output = Result<Response, Infallible>>,
{
    type Output = Result<Response, Infallible>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let Ok(mut response) = std::task::ready!(this.inner.poll(cx));
        let id = this.id.take().unwrap_or_else(RequestId::generate);
        this.security.apply(response.headers_mut());
        if let Some(log) = this.log.take() {
            let route = log_route(&log.method, &log.uri);
            tracing::info!(
                request_id = %id,
                method = %log.method,
                route,
                status = response.status().as_u16(),
                duration = ?log.started.elapsed(),
                "request"
            );
        }
        response.headers_mut().insert(REQUEST_ID_HEADER, id.0);
        Poll::Ready(Ok(response))
    }
}

#[cfg(test)]
mod tests {
    use super::RequestId;

    #[test]
    fn ids_are_unique_and_uuid_shaped() {
        let (a, b) = (RequestId::generate(), RequestId::generate());
        assert_ne!(a, b);
        let other_thread = std::thread::spawn(RequestId::generate).join().unwrap();
        assert_ne!(a, other_thread);
        assert_ne!(b, other_thread);
        let groups: Vec<usize> = a.as_str().split('-').map(str::len).collect();
        assert_eq!(groups, [8, 4, 4, 4, 12]);
        assert!(a.as_str().bytes().all(|b| b == b'-' || b.is_ascii_hexdigit()));
        assert!(a.header_value().is_some());
    }

    #[test]
    fn log_routes_are_templates_or_generic_names() {
        let route = |method: &str, target: &str| {
            super::log_route(&method.parse().unwrap(), &target.parse::<axum::http::Uri>().unwrap())
        };
        assert_eq!(
            route("GET", "/billing/customer/v1/100200/customers/15615616"),
            "/billing/customer/v1/{ownerNo}/customers/{customerNo}"
        );
        assert_eq!(
            route("GET", "/billing/invoice/v1/100200/invoices?customerNo=15615616&page=2"),
            "/billing/invoice/v1/{ownerNo}/invoices"
        );
        assert_eq!(route("GET", "/billing/customer/v1/100200/customers/15615616/nothing"), "refused");
        assert_eq!(route("PATCH", "/billing/customer/v1/100200/customers/15615616"), "refused");
        assert_eq!(route("GET", "/customers/15615616"), "static");
        assert_eq!(route("GET", "/pkg/widget_bg.wasm"), "static");
        assert_eq!(route("GET", "/?customer=15615616"), "static");
        assert_eq!(route("GET", "/readyz"), "/readyz");
    }
}
