//! Forwarding the allowlisted routes of `/billing/{customer,invoice}/v1/...` to the upstream
//! API with the server-side credentials.
//!
//! Each request passes, in this order and before anything reaches the upstream: the route
//! allowlist ([`crate::route`]), the CSRF check for writes ([`crate::csrf`]), the access policy
//! ([`crate::access`]), the per-subject rate limit ([`crate::rate_limit`]) and the body checks
//! (size, JSON). Invoice routes in a signed session are then checked to belong to the session's
//! customer. The request goes upstream in its canonical form, when one of the process's
//! `max-upstream-concurrency` turns is free within `upstream-queue-timeout-ms` (else 503); GETs
//! are retried once when the connection fails, writes never. An answer that is not the API's
//! JSON, larger than `max-upstream-body-bytes`, or refusing the proxy's own credentials (401,
//! 403) becomes a 502.
//!
//! Every API answer is `cache-control: private, no-store` with `vary: x-billing-session`. A
//! resource that is not there and one that is another customer's get the same 404 problem. A
//! `location` on the upstream becomes the same-origin path, or is dropped.
//!
//! Headers cross in both directions only through allowlists, so cookies, the browser's own
//! `authorization`, the session token, hop-by-hop headers and anything the upstream sets for
//! itself (`set-cookie`) stay on their side.
//!
//! This module is the pipeline: the [`Forwarder`], its checks and the exchange with the
//! upstream. The header allowlists, the marks of an API answer and the rewriting of `location`
//! are in `shaping`; reading and checking the request body in `request_body`.

mod request_body;
mod shaping;

pub use shaping::{mark_api_answer, API_CACHE_CONTROL, API_VARY, REQUEST_HEADERS, RESPONSE_HEADERS};

use crate::access::{AccessPolicy, Api, Grant};
use crate::config::Config;
use crate::csrf::OriginPolicy;
use crate::error::{ProxyError, StartupError, UpstreamAnswer};
use crate::metrics::{Labels, MetricsShard};
use crate::pool::{PoolError, UpstreamPool};
use crate::rate_limit::RateLimiter;
use crate::request_id::{RequestId, REQUEST_ID_HEADER};
use crate::route::{ApiRoute, RouteKind};
use crate::token::{TokenSource, WorkerToken};
use crate::upstream::{UnforwardableTarget, Upstream};
use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::{Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use billing_contract::ids::IdKind;
use http_body_util::Full;
use request_body::{check_body, read_body};
use shaping::{allowed_headers, base_and_path, is_api_answer, same_origin_location};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};
use tokio::sync::Semaphore;

/// Invoices whose customer is remembered at most (an invoice's customer never changes).
const MAX_REMEMBERED_INVOICES: u64 = 50_000;

/// How long an invoice's customer is remembered.
const REMEMBER_INVOICE_FOR: Duration = Duration::from_secs(600);

/// The `retry-after` of a 503 when no upstream turn came free in time.
const BUSY_RETRY_AFTER: Duration = Duration::from_secs(1);

/// Forwards API requests: an HTTP client and everything each request is checked by. The
/// copies made for worker threads ([`Forwarder::for_worker`]) share the token, the rate limits
/// and the remembered invoice owners.
#[derive(Debug)]
pub struct Forwarder {
    client: Arc<UpstreamPool>,
    upstream: Upstream,
    token: WorkerToken,
    access: AccessPolicy,
    origins: OriginPolicy,
    limiter: Option<Arc<RateLimiter>>,
    metrics: Arc<MetricsShard>,
    /// `invoiceNo` → `customerNo`, learnt from the upstream: at most
    /// [`MAX_REMEMBERED_INVOICES`], each for [`REMEMBER_INVOICE_FOR`].
    invoice_customers: moka::sync::Cache<String, String>,
    /// The session customers' own subscriptions and products, for writes (shared).
    owned: crate::ownership::Owned,
    max_body_bytes: usize,
    timeout: Duration,
    /// Whether an upstream 404 becomes the uniform not-found (signed sessions, where another
    /// customer's resource must look the same as a missing one).
    uniform_not_found: bool,
    /// Turns at the upstream, shared by every worker.
    upstream_turns: Arc<Semaphore>,
    queue_timeout: Duration,
    body_read_timeout: Duration,
    /// The upstream base URL and its path, for rewriting `location`.
    upstream_base: Arc<(String, String)>,
}

/// What became of one request, for the metrics and the audit log.
#[derive(Debug, Default)]
struct Outcome {
    route: Option<RouteKind>,
    /// For a write, the canonical target (the audit record's resource).
    resource: Option<String>,
    subject: Option<String>,
    upstream_status: Option<u16>,
}

impl Forwarder {
    /// A forwarder for `config` sending through `client` and recording into `metrics`
    /// (each worker thread then takes its own copy with [`Forwarder::for_worker`]).
    pub fn new(
        config: &Config,
        client: Arc<UpstreamPool>,
        metrics: Arc<MetricsShard>,
    ) -> Result<Forwarder, StartupError> {
        let token = Arc::new(
            TokenSource::new(&config.token, config.token_file.clone()).map_err(|_| StartupError::TokenNotHeaderSafe)?,
        );
        token.watch(config.token_reload);
        Ok(Forwarder {
            client,
            upstream: config.upstream.clone(),
            token: token.for_worker(),
            access: config.access.clone(),
            origins: OriginPolicy { allowed: config.allowed_origins.clone() },
            limiter: RateLimiter::new(config.rate_limit_per_second, config.rate_limit_burst).map(Arc::new),
            metrics,
            invoice_customers: moka::sync::Cache::builder()
                .max_capacity(MAX_REMEMBERED_INVOICES)
                .time_to_live(REMEMBER_INVOICE_FOR)
                .build(),
            owned: crate::ownership::Owned::default(),
            max_body_bytes: config.max_body_bytes,
            timeout: config.upstream_timeout,
            uniform_not_found: matches!(config.access, AccessPolicy::SignedSession { .. }),
            upstream_turns: Arc::new(Semaphore::new(config.max_upstream_concurrency as usize)),
            queue_timeout: config.upstream_queue_timeout,
            body_read_timeout: config.body_read_timeout,
            upstream_base: Arc::new(base_and_path(&config.upstream)),
        })
    }

    /// The same forwarder for another worker thread: sending through `client` (each worker
    /// has its own connections), recording into `metrics`, with its own copy of the token, and
    /// sharing the rate limits and remembered invoice owners with this one.
    pub fn for_worker(&self, client: Arc<UpstreamPool>, metrics: Arc<MetricsShard>) -> Forwarder {
        Forwarder {
            client,
            upstream: self.upstream.clone(),
            token: self.token.for_worker(),
            access: self.access.clone(),
            origins: self.origins.clone(),
            limiter: self.limiter.clone(),
            metrics,
            invoice_customers: self.invoice_customers.clone(),
            owned: self.owned.clone(),
            max_body_bytes: self.max_body_bytes,
            timeout: self.timeout,
            uniform_not_found: self.uniform_not_found,
            upstream_turns: self.upstream_turns.clone(),
            queue_timeout: self.queue_timeout,
            body_read_timeout: self.body_read_timeout,
            upstream_base: self.upstream_base.clone(),
        }
    }

    /// Checks `request` and forwards it, or says why not.
    async fn forward(
        &self,
        request_id: &RequestId,
        request: Request,
        outcome: &mut Outcome,
    ) -> Result<Response, ProxyError> {
        let (parts, body) = request.into_parts();
        let (api, rest) = Api::of_path(parts.uri.path()).ok_or(UnforwardableTarget::OutsideApis)?;
        let route = ApiRoute::parse(api, &parts.method, rest, parts.uri.query())?;
        let target = route.canonical_target();
        outcome.route = Some(route.kind);
        let write = ApiRoute::is_write(&parts.method);
        if write {
            outcome.resource = Some(target.clone());
            self.origins.check_write(&parts.headers)?;
        }
        let grant = self.access.authorize(&route, &parts.method, &parts.headers, SystemTime::now)?;
        if write {
            outcome.subject = Some(grant.subject.to_string());
        }
        if let Some(limiter) = self.limiter.as_ref().filter(|_| grant.rate_limited) {
            limiter.check(&grant.subject).map_err(ProxyError::RateLimited)?;
        }
        let body = tokio::time::timeout(self.body_read_timeout, read_body(body, self.max_body_bytes))
            .await
            .map_err(|_| ProxyError::RequestTimeout(self.body_read_timeout))??;
        check_body(&parts.method, &parts.headers, &body)?;
        let body = crate::write_body::canonical(route.kind, &parts.method, body)?;
        if write && grant.session_customer.is_some() {
            Box::pin(self.owned.check_write(&route, &parts.method, &grant, &(self, request_id))).await?;
        }
        self.check_invoice_customer(request_id, &route, &grant, outcome).await?;

        let url = self.upstream.target(&target)?;
        let headers = || {
            let mut headers = allowed_headers(&parts.headers, &REQUEST_HEADERS);
            headers.insert(header::AUTHORIZATION, self.token.header());
            if let Some(id) = request_id.header_value() {
                headers.insert(REQUEST_ID_HEADER, id);
            }
            headers
        };
        let (status, mut headers, body) = self.exchange(request_id, &parts.method, url, headers, body, outcome).await?;
        if let Some(location) = headers.remove(header::LOCATION) {
            match same_origin_location(&self.upstream_base, &location) {
                Some(location) => {
                    headers.insert(header::LOCATION, location);
                }
                None => tracing::info!(request_id = %request_id, "dropped a location outside the APIs"),
            }
        }
        self.owned.after_write(&route, &parts.method, status);
        let body = crate::ownership::keep_own_invoices(request_id, &route, &grant, status, &headers, body)?;
        let mut response = Response::new(Body::from(body));
        *response.status_mut() = status;
        *response.headers_mut() = headers;
        Ok(response)
    }

    /// One exchange with the upstream within the timeout, once a turn at the upstream is free
    /// (else, after the queue's deadline, 503): a GET or HEAD is sent again once if the
    /// connection failed before an answer; a write never is. `headers()` makes the request
    /// headers for each attempt (made again only for a retry, instead of copied every time).
    /// In signed-session mode an upstream 404 is the uniform [`ProxyError::NotFound`] (the
    /// trusted mode's staff get PayEx's own problem, its title, detail and instance); a 401 or
    /// 403 is the proxy's credentials refused (502).
    async fn exchange(
        &self,
        request_id: &RequestId,
        method: &Method,
        url: Uri,
        headers: impl Fn() -> HeaderMap,
        body: Bytes,
        outcome: &mut Outcome,
    ) -> Result<(StatusCode, HeaderMap, Bytes), ProxyError> {
        let retryable = *method == Method::GET || *method == Method::HEAD;
        let request = || {
            let mut request = axum::http::Request::new(Full::new(body.clone()));
            *request.method_mut() = method.clone();
            *request.uri_mut() = url.clone();
            *request.headers_mut() = headers();
            request
        };
        let exchange = async {
            let answer = match self.client.exchange(request()).await {
                Err(err) if retryable => {
                    tracing::info!(request_id = %request_id, error = ?err, "retrying once");
                    self.client.exchange(request()).await
                }
                result => result,
            }?;
            let headers = allowed_headers(&answer.head.headers, &RESPONSE_HEADERS);
            Ok::<_, PoolError>((answer.head.status, headers, answer.body))
        };
        let _turn = match tokio::time::timeout(self.queue_timeout, self.upstream_turns.acquire()).await {
            Ok(Ok(turn)) => turn,
            Ok(Err(_closed)) => return Err(ProxyError::UpstreamUnavailable),
            Err(_) => {
                tracing::warn!(request_id = %request_id, "no upstream turn came free in time");
                return Err(ProxyError::UpstreamBusy(BUSY_RETRY_AFTER));
            }
        };
        let (status, headers, body) = match tokio::time::timeout(self.timeout, exchange).await {
            Err(_) => {
                tracing::warn!(request_id = %request_id, "upstream timed out");
                return Err(ProxyError::UpstreamTimeout(self.timeout));
            }
            Ok(Err(err)) => return Err(self.failure(request_id, err)),
            Ok(Ok(answer)) => answer,
        };
        outcome.upstream_status = Some(status.as_u16());
        if status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN {
            tracing::error!(
                request_id = %request_id,
                status = status.as_u16(),
                "the upstream refused the proxy's credentials (bearer token or client certificate)"
            );
            return Err(ProxyError::UpstreamRefusedCredentials);
        }
        if status == StatusCode::NOT_FOUND && self.uniform_not_found {
            return Err(ProxyError::NotFound);
        }
        if !is_api_answer(method, status, &headers, &body) {
            tracing::warn!(request_id = %request_id, status = status.as_u16(), "upstream answer is not the API's JSON");
            return Err(ProxyError::UpstreamGarbled);
        }
        Ok((status, headers, body))
    }

    /// In a signed session, an invoice route is forwarded only if the invoice is the
    /// session's customer's: the invoice is fetched (or remembered) and its `customerNo`
    /// compared. Another customer's invoice is [`ProxyError::NotFound`], as is a missing one;
    /// another upstream error answer is returned unchanged instead.
    async fn check_invoice_customer(
        &self,
        request_id: &RequestId,
        route: &ApiRoute<'_>,
        grant: &Grant,
        outcome: &mut Outcome,
    ) -> Result<(), ProxyError> {
        let (Some(expected), Some(invoice_no)) = (&grant.invoice_customer, route.id(IdKind::Invoice)) else {
            return Ok(());
        };
        let customer = match self.invoice_customers.get(invoice_no) {
            Some(customer) => customer,
            None => {
                let path = billing_contract::paths::invoice(route.owner(), invoice_no);
                // Boxed: most requests never look an invoice up, and their futures (moved whole
                // into the request's box) would otherwise carry room for this exchange too.
                let (status, headers, body) = Box::pin(self.lookup(request_id, &path)).await?;
                outcome.upstream_status = Some(status.as_u16());
                if status != StatusCode::OK {
                    return Err(ProxyError::Upstream(Box::new(UpstreamAnswer { status, headers, body })));
                }
                let invoice: billing_contract::Invoice =
                    serde_json::from_slice(&body).map_err(|_| ProxyError::UpstreamGarbled)?;
                let customer = invoice.customer_no.ok_or(ProxyError::UpstreamGarbled)?;
                self.invoice_customers.insert(invoice_no.to_owned(), customer.clone());
                customer
            }
        };
        if customer == *expected {
            Ok(())
        } else {
            tracing::warn!(request_id = %request_id, "session asked for another customer's invoice");
            Err(ProxyError::NotFound)
        }
    }

    /// An upstream `GET` of the canonical `path` made to check a request before forwarding it
    /// (the session customer's own lists, [`crate::ownership`]).
    pub(crate) async fn lookup(
        &self,
        request_id: &RequestId,
        path: &str,
    ) -> Result<(StatusCode, HeaderMap, Bytes), ProxyError> {
        let url = self.upstream.target(path)?;
        let headers = || {
            let mut headers = HeaderMap::new();
            headers.insert(header::AUTHORIZATION, self.token.header());
            headers.insert(header::ACCEPT, HeaderValue::from_static("application/json"));
            if let Some(id) = request_id.header_value() {
                headers.insert(REQUEST_ID_HEADER, id);
            }
            headers
        };
        self.exchange(request_id, &Method::GET, url, headers, Bytes::new(), &mut Outcome::default()).await
    }

    /// The error answered when the exchange with the upstream failed; the cause is logged
    /// (the client's errors hold neither the URL, whose identifiers the access log leaves out
    /// too, nor request headers).
    fn failure(&self, request_id: &RequestId, err: PoolError) -> ProxyError {
        tracing::warn!(request_id = %request_id, error = ?err, "upstream exchange failed");
        if let PoolError::TooLarge(limit) = err {
            ProxyError::UpstreamTooLarge(limit)
        } else if err.is_timeout() {
            ProxyError::UpstreamTimeout(self.timeout)
        } else {
            ProxyError::UpstreamUnavailable
        }
    }
}

/// The answer to an API request: forwarded (or refused), then the metrics and, for a write,
/// the audit record.
pub async fn answer(forwarder: Arc<Forwarder>, request_id: RequestId, request: Request) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let mut outcome = Outcome::default();
    let mut response = match forwarder.forward(&request_id, request, &mut outcome).await {
        Ok(response) => response,
        Err(err) => err.at(request_id.clone()).into_response(),
    };
    mark_api_answer(response.headers_mut());
    let status = response.status().as_u16();
    let route = outcome.route.map_or("refused", RouteKind::template);
    if ApiRoute::is_write(&method) {
        tracing::info!(
            target: "billing_proxy::audit",
            request_id = %request_id,
            subject = outcome.subject.as_deref().unwrap_or("unauthenticated"),
            method = %method,
            resource = outcome.resource.as_deref().unwrap_or("refused"),
            route = %route,
            status,
            upstream_status = outcome.upstream_status,
            result = if (200..300).contains(&status) { "done" } else { "not done" },
            "write"
        );
    }
    let labels = Labels { route, method: method_label(&method), status, upstream_status: outcome.upstream_status };
    forwarder.metrics.observe(labels, started.elapsed());
    response
}

/// The metrics label of a forwarded method.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        _ => "other",
    }
}

/// The answer to an API path called with a method neither API has.
pub fn method_not_allowed(request_id: RequestId, method: Method) -> Response {
    let mut response = ProxyError::MethodNotAllowed(method).at(request_id).into_response();
    mark_api_answer(response.headers_mut());
    response
}

/// The answer to [`billing_contract::proxy_protocol::SESSION_INFO_PATH`]: who the request's
/// session is ([`AccessPolicy::session_info`]) as JSON, from the verified session alone (the
/// upstream is not asked); 401 without a valid session. Like an API answer it is kept by no
/// cache.
pub fn session_info(forwarder: &Forwarder, request_id: RequestId, request: &Request) -> Response {
    if ![Method::GET, Method::HEAD].contains(request.method()) {
        return method_not_allowed(request_id, request.method().clone());
    }
    let mut response = match forwarder.access.session_info(request.headers(), SystemTime::now) {
        Ok(info) => axum::Json(info).into_response(),
        Err(denied) => ProxyError::Denied(denied).at(request_id).into_response(),
    };
    mark_api_answer(response.headers_mut());
    response
}
