//! The proxy as a service: one [`Proxy`] per process holds what every worker thread shares (the
//! credentials, access rules, rate limits, metrics and remembered invoice owners); each worker
//! gets an [`App`] from it, with upstream connections of its own.
//!
//! An [`App`] sends API requests straight to the forwarder ([`crate::forward`]), compressed when
//! the browser accepts it, and everything else (`/healthz`, the bundle) through an axum router.
//! The admin listener's [`App`] ([`Proxy::admin_app`]) answers `/healthz`, `/readyz` and
//! `/metrics` only. Every answer gets its request id and the security headers
//! ([`crate::request_id`]).
//!
//! # Usage
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let config = billing_proxy::Config::from_process()?;
//! let proxy = billing_proxy::Proxy::new(&config)?;
//! let admin = tokio::net::TcpListener::bind(config.admin_listen).await?;
//! tokio::spawn(billing_proxy::serve(admin, proxy.admin_app(), std::future::pending()));
//! let listener = tokio::net::TcpListener::bind(config.listen).await?;
//! billing_proxy::serve(listener, proxy.app(), std::future::pending()).await;
//! # Ok(()) }
//! ```

use crate::access::Api;
use crate::config::Config;
use crate::error::StartupError;
use crate::forward::{self, Forwarder};
use crate::health::{self, Health, LastCheck};
use crate::metrics::Metrics;
use crate::pool::UpstreamPool;
use crate::request_id::{RequestId, ServeWithId, Track, TrackFuture, TrackLayer};
use crate::static_files::{self, SecurityHeaders};
use crate::tls::{self, UpstreamTls};
use crate::upstream::Upstream;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, Method};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use billing_contract::proxy_protocol::SESSION_INFO_PATH;
use std::convert::Infallible;
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, SystemTime};
use tokio::sync::Semaphore;
use tower::{Layer, Service, ServiceExt};
use tower_http::compression::CompressionLayer;

/// Connections the admin listener serves at once (probes and a metrics scraper).
const ADMIN_MAX_CONNECTIONS: usize = 16;

/// Upstream connections the admin listener's `/readyz` keeps open at most.
const ADMIN_UPSTREAM_CONNECTIONS: usize = 2;

/// What every worker thread of the process shares.
#[derive(Debug)]
pub struct Proxy {
    upstream_tls: UpstreamTls,
    forwarder: Forwarder,
    metrics: Arc<Metrics>,
    upstream: Upstream,
    certificate_expires: Option<SystemTime>,
    expiry_warning: Duration,
    static_dir: PathBuf,
    security: SecurityHeaders,
    max_upstream_body_bytes: usize,
    /// Upstream connections a worker keeps open at most: as many as may be in flight.
    max_upstream_connections: usize,
    limits: ServeLimits,
}

/// What bounds the serving of connections, shared by every worker ([`crate::serve()`]).
#[derive(Clone, Debug)]
pub struct ServeLimits {
    /// One permit per open client connection (`max-connections`): when none is free, no
    /// connection is accepted until one closes.
    pub connections: Arc<Semaphore>,
    /// How long a client may take to send a request's head.
    pub header_read_timeout: Duration,
}

impl Proxy {
    /// The proxy for `config`: reads the client identity and the token (and, inside a Tokio
    /// runtime, starts watching the token file).
    pub fn new(config: &Config) -> Result<Proxy, StartupError> {
        let (upstream_tls, certificate_expires) = tls::upstream_tls(config)?;
        let metrics = Arc::new(Metrics::default());
        let max_upstream_connections = config.max_upstream_concurrency as usize;
        let pool = UpstreamPool::new(upstream_tls.connector())
            .with_max_body_bytes(config.max_upstream_body_bytes)
            .with_max_connections(max_upstream_connections);
        let forwarder = Forwarder::new(config, Arc::new(pool), metrics.shard())?;
        Ok(Proxy {
            upstream_tls,
            forwarder,
            metrics,
            upstream: config.upstream.clone(),
            certificate_expires,
            expiry_warning: Duration::from_secs(u64::from(config.cert_expiry_warning_days) * 86_400),
            static_dir: config.static_dir.clone(),
            security: SecurityHeaders::new(&config.static_dir, &config.frame_ancestors).with_hsts(config.hsts_max_age),
            max_upstream_body_bytes: config.max_upstream_body_bytes,
            max_upstream_connections,
            limits: ServeLimits {
                connections: Arc::new(Semaphore::new(config.max_connections as usize)),
                header_read_timeout: config.header_read_timeout,
            },
        })
    }

    /// The limits on serving connections, shared by every worker's [`App`] (the acceptor of
    /// several workers takes a connection permit from them too).
    pub fn limits(&self) -> &ServeLimits {
        &self.limits
    }

    /// The application for one worker thread: its own pool of upstream connections (driven by
    /// the runtime that opens them), its own metrics shard and copies of the header values it
    /// sends on every request, so that answering a request writes no memory that another
    /// worker's requests write too; the rest shared.
    pub fn app(&self) -> App {
        let client = Arc::new(
            UpstreamPool::new(self.upstream_tls.connector())
                .with_max_body_bytes(self.max_upstream_body_bytes)
                .with_max_connections(self.max_upstream_connections),
        );
        // `/readyz` and `/metrics` are not here: they fall to the bundle, which has no such files.
        let others = Router::new()
            .route("/healthz", get(health::healthz))
            .fallback_service(static_files::router(&self.static_dir));
        let forwarder = Some(Arc::new(self.forwarder.for_worker(client, self.metrics.shard())));
        let dispatch = Dispatch { forwarder, others };
        App {
            inner: TrackLayer::new(Arc::new(self.security.for_worker())).layer(dispatch),
            limits: self.limits.clone(),
        }
    }

    /// The application of the admin listener (`admin-listen`): `/healthz`, `/readyz` (with
    /// upstream connections of its own, opened on the runtime serving it) and `/metrics`;
    /// 404 for everything else, API paths included. One per process: its `/readyz` keeps
    /// the last upstream check.
    pub fn admin_app(&self) -> App {
        let health = Arc::new(Health {
            client: Arc::new(
                UpstreamPool::new(self.upstream_tls.connector()).with_max_connections(ADMIN_UPSTREAM_CONNECTIONS),
            ),
            upstream: self.upstream.clone(),
            certificate_expires: self.certificate_expires,
            expiry_warning: self.expiry_warning,
            metrics: self.metrics.clone(),
            last_check: LastCheck::default(),
        });
        let others = Router::new()
            .route("/healthz", get(health::healthz))
            .route("/readyz", get(health::readyz))
            .route("/metrics", get(health::metrics))
            .with_state(health);
        let dispatch = Dispatch { forwarder: None, others };
        // Its own connection permits: a public listener at its cap still answers the probes.
        let limits = ServeLimits {
            connections: Arc::new(Semaphore::new(ADMIN_MAX_CONNECTIONS)),
            header_read_timeout: self.limits.header_read_timeout,
        };
        App { inner: TrackLayer::new(Arc::new(self.security.for_worker())).layer(dispatch), limits }
    }
}

/// A copy of `value` with bytes of its own. Cloning a header value built at run time counts
/// references to its bytes; a worker's own copy keeps that count on memory no other core writes.
pub fn worker_copy(value: &HeaderValue) -> HeaderValue {
    let mut copy = HeaderValue::from_bytes(value.as_bytes()).unwrap_or_else(|_| value.clone());
    copy.set_sensitive(value.is_sensitive());
    copy
}

/// The proxy's whole application for `config`, for a single worker thread.
pub fn app(config: &Config) -> Result<App, StartupError> {
    Ok(Proxy::new(config)?.app())
}

/// The application of one worker thread: a tower service answering every request.
#[derive(Clone, Debug)]
pub struct App {
    inner: Track<Dispatch>,
    limits: ServeLimits,
}

impl App {
    /// The limits its connections are served within.
    pub fn limits(&self) -> &ServeLimits {
        &self.limits
    }
}

/// What hyper calls for each request of a connection ([`crate::serve()`]).
impl hyper::service::Service<hyper::Request<hyper::body::Incoming>> for App {
    type Response = Response;
    type Error = Infallible;
    type Future = TrackFuture<BoxedAnswer>;

    fn call(&self, request: hyper::Request<hyper::body::Incoming>) -> Self::Future {
        self.inner.clone().call(request.map(Body::new))
    }
}

impl Service<Request> for App {
    type Response = Response;
    type Error = Infallible;
    type Future = TrackFuture<BoxedAnswer>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        self.inner.call(request)
    }
}

/// An answer on its way.
pub type BoxedAnswer = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

/// Sends API paths and the session-info path to the forwarder (if there is one: the admin
/// listener has none) and everything else to the router.
#[derive(Clone, Debug)]
struct Dispatch {
    forwarder: Option<Arc<Forwarder>>,
    others: Router,
}

impl ServeWithId for Dispatch {
    type Future = BoxedAnswer;

    fn call_with_id(&mut self, id: RequestId, mut request: Request) -> BoxedAnswer {
        let forwarder = match &self.forwarder {
            Some(forwarder) if request.uri().path() == SESSION_INFO_PATH => {
                let answer = forward::session_info(forwarder, id, &request);
                return Box::pin(async move { Ok(answer) });
            }
            Some(forwarder) if Api::of_path(request.uri().path()).is_some() => forwarder.clone(),
            _ => {
                // The router's handlers take the id from the extensions.
                request.extensions_mut().insert(id);
                return Box::pin(self.others.clone().oneshot(request));
            }
        };
        if !is_forwarded_method(request.method()) {
            let method = request.method().clone();
            return Box::pin(async move { Ok(forward::method_not_allowed(id, method)) });
        }
        if !accepts_compression(&request) {
            return Box::pin(async move { Ok(forward::answer(forwarder, id, request).await) });
        }
        // API answers are compressed (brotli or gzip, as the browser accepts; the upstream is
        // asked for identity so that its JSON can be checked); the bundle is precompressed.
        let answer = tower::service_fn(move |request: Request| {
            let (forwarder, id) = (forwarder.clone(), id.clone());
            async move { Ok::<_, Infallible>(forward::answer(forwarder, id, request).await) }
        });
        let compressed = CompressionLayer::new().layer(answer);
        Box::pin(async move { compressed.oneshot(request).await.map(|response| response.map(Body::new)) })
    }
}

/// The methods handed to the forwarder, which checks each route's own methods.
fn is_forwarded_method(method: &Method) -> bool {
    [Method::GET, Method::HEAD, Method::POST, Method::PUT, Method::DELETE].contains(method)
}

/// Whether the request accepts a compression the proxy offers (the compression layer decides
/// the rest: which encoding, and whether the answer is worth compressing).
fn accepts_compression(request: &Request) -> bool {
    request.headers().get_all(header::ACCEPT_ENCODING).iter().any(|value| {
        value.to_str().is_ok_and(|value| {
            value.split(',').any(|coding| {
                let coding = coding.split(';').next().unwrap_or_default().trim();
                coding.eq_ignore_ascii_case("br") || coding.eq_ignore_ascii_case("gzip")
            })
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compression_is_offered_for_br_or_gzip_only() {
        let with = |value: &str| Request::builder().header(header::ACCEPT_ENCODING, value).body(Body::empty()).unwrap();
        assert!(accepts_compression(&with("gzip, deflate, br, zstd")));
        assert!(accepts_compression(&with("BR;q=0.5")));
        assert!(!accepts_compression(&with("identity")));
        assert!(!accepts_compression(&with("deflate")));
        assert!(!accepts_compression(&Request::new(Body::empty())));
    }
}
