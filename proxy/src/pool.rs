//! The upstream connections of one worker thread: HTTP/1.1 keep-alive connections made through
//! the [`UpstreamConnector`] (TCP, then TLS with the client identity, within the connect
//! timeout), each used for one request at a time and kept for the next once its answer has
//! been read whole.
//!
//! Bounded: a pool keeps at most [`UpstreamPool::with_max_connections`] connections open at
//! once, idle or busy. A request that finds none idle and no room waits for one to be returned
//! or to close. A connection whose request is abandoned (the client went away, the request timed
//! out, the answer was too large) is closed at once rather than left to read an answer nobody
//! waits for: its socket is gone before its room is given to another.
//!
//! A pool belongs to one worker: its connections are driven by that worker's runtime, and
//! taking or returning one locks a mutex no other thread touches. (hyper-util's pooled client,
//! used before, shares one pool keyed by origin behind a lock and a channel per checkout:
//! dropping it for this saved about 2 µs per request, a sixth of the bare stack's CPU per
//! request, measured with `proxy/examples/bare_proxy.rs`.)
//!
//! ```no_run
//! # async fn run(tls: billing_proxy::tls::UpstreamTls) -> Result<(), billing_proxy::pool::PoolError> {
//! use billing_proxy::pool::UpstreamPool;
//! let pool = UpstreamPool::new(tls.connector());
//! let mut request = axum::http::Request::new(http_body_util::Full::default());
//! *request.uri_mut() = "http://127.0.0.1:8081/billing/invoice/v1/100200/invoices".parse().unwrap();
//! let answer = pool.exchange(request).await?;
//! println!("{} {} bytes", answer.head.status, answer.body.len());
//! # Ok(()) }
//! ```

use crate::tls::UpstreamConnector;
use axum::http::header::{HeaderValue, HOST};
use axum::http::uri::{PathAndQuery, Scheme};
use axum::http::{response, Request, Uri};
use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::body::Bytes;
use hyper::client::conn::http1::SendRequest;
use std::fmt;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore};
use tokio::task::AbortHandle;
use tower::ServiceExt;

/// How long an idle upstream connection is kept.
pub const POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(60);

/// Connections open at once unless [`UpstreamPool::with_max_connections`] says otherwise.
pub const DEFAULT_MAX_CONNECTIONS: usize = 64;

/// The largest answer body read unless [`UpstreamPool::with_max_body_bytes`] says otherwise
/// (16 MiB).
pub const DEFAULT_MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// A worker's upstream connections. See the module docs.
pub struct UpstreamPool {
    connector: UpstreamConnector,
    /// Connections whose last answer was read whole, the most recently used last.
    idle: Mutex<Vec<IdleConnection>>,
    /// The `Host` header of the first URL's authority (every request of a proxy goes to one
    /// upstream, so it is made once rather than per request).
    host: OnceLock<(String, HeaderValue)>,
    /// The largest answer body read; a larger one is [`PoolError::TooLarge`].
    max_body_bytes: usize,
    /// One permit per open connection, held by the task driving it until its socket is closed.
    room: Arc<Semaphore>,
    /// The permits `room` was made with.
    room_limit: usize,
    /// Told when a connection is returned idle, for a request waiting for room.
    returned: Notify,
}

/// An open connection: sends requests; closes when dropped.
struct Connection {
    sender: SendRequest<Full<Bytes>>,
    /// The task driving the connection (it owns the socket and the connection's permit).
    driver: AbortHandle,
}

impl Drop for Connection {
    /// A connection let go of (abandoned mid-answer, not kept, or idle too long) is closed now.
    fn drop(&mut self) {
        self.driver.abort();
    }
}

struct IdleConnection {
    connection: Connection,
    since: Instant,
}

/// Where a request's connection comes from when none was idle.
enum Room {
    /// Room for a new connection, held by it while it is open.
    New(OwnedSemaphorePermit),
    /// A connection was returned idle meanwhile: take it.
    Returned,
}

/// An upstream answer, read whole.
#[derive(Debug)]
pub struct Answer {
    /// Status and headers.
    pub head: response::Parts,
    /// The body.
    pub body: Bytes,
}

/// Why an exchange with the upstream failed.
#[derive(Debug, thiserror::Error)]
pub enum PoolError {
    /// The URL has no host to connect to.
    #[error("the upstream URL has no host")]
    NoHost,
    /// No connection could be made (refused, unreachable, TLS refused, connect timeout).
    #[error("could not connect to the upstream")]
    Connect(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// The connection was made but HTTP could not start on it.
    #[error("the upstream connection could not start HTTP/1.1")]
    Handshake(#[source] hyper::Error),
    /// The request was sent but no answer came back (the connection broke first).
    #[error("the upstream did not answer")]
    Exchange(#[source] hyper::Error),
    /// The answer's body could not be read.
    #[error("the upstream answer's body could not be read")]
    Body(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// The answer's body is larger than allowed (its connection is closed).
    #[error("the upstream answer is larger than {0} bytes")]
    TooLarge(usize),
}

impl PoolError {
    /// Whether a timeout (connecting, or an I/O timeout) caused it.
    pub fn is_timeout(&self) -> bool {
        let mut source: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(self);
        while let Some(err) = source {
            if err.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::TimedOut) {
                return true;
            }
            source = err.source();
        }
        false
    }
}

impl UpstreamPool {
    /// An empty pool connecting through `connector`, reading answers of at most
    /// [`DEFAULT_MAX_BODY_BYTES`] on at most [`DEFAULT_MAX_CONNECTIONS`] connections.
    pub fn new(connector: UpstreamConnector) -> UpstreamPool {
        UpstreamPool {
            connector,
            idle: Mutex::new(Vec::new()),
            host: OnceLock::new(),
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            room: Arc::new(Semaphore::new(DEFAULT_MAX_CONNECTIONS)),
            room_limit: DEFAULT_MAX_CONNECTIONS,
            returned: Notify::new(),
        }
    }

    /// The same pool keeping at most `limit` connections open at once (at least one).
    pub fn with_max_connections(mut self, limit: usize) -> UpstreamPool {
        self.room_limit = limit.clamp(1, Semaphore::MAX_PERMITS);
        self.room = Arc::new(Semaphore::new(self.room_limit));
        self
    }

    /// The same pool reading answer bodies of at most `limit` bytes.
    pub fn with_max_body_bytes(mut self, limit: usize) -> UpstreamPool {
        self.max_body_bytes = limit;
        self
    }

    /// Sends `request` (whose URL is absolute) and reads the answer whole.
    ///
    /// The request line carries the path and query only, with the URL's host in `Host`. An
    /// idle connection is reused when there is one. If the upstream had closed it before the
    /// request was written, the request is sent again on another connection: it never reached
    /// the upstream, so that is safe for writes too. Any other failure is returned; whether to
    /// try again is the caller's call.
    pub async fn exchange(&self, mut request: Request<Full<Bytes>>) -> Result<Answer, PoolError> {
        let url = request.uri().clone();
        if !request.headers().contains_key(HOST) {
            request.headers_mut().insert(HOST, self.host_of(&url).ok_or(PoolError::NoHost)?);
        }
        *request.uri_mut() = origin_form(&url);
        loop {
            let (mut connection, pooled) = match self.take_idle() {
                Some(connection) => (connection, true),
                // Boxed: connecting is rare, and its future would otherwise make every
                // exchange (moved whole into the timeout and the request's box) kilobytes larger.
                None => match Box::pin(self.room()).await {
                    Room::New(permit) => (Box::pin(self.connect(&url, permit)).await?, false),
                    Room::Returned => continue,
                },
            };
            if pooled && connection.sender.ready().await.is_err() {
                continue; // closed while idle
            }
            match connection.sender.try_send_request(request).await {
                Ok(response) => {
                    let (head, body) = response.into_parts();
                    // Bounded: a larger body is not read on (nor its connection kept).
                    let body = match Limited::new(body, self.max_body_bytes).collect().await {
                        Ok(collected) => collected.to_bytes(),
                        Err(err) if err.is::<LengthLimitError>() => {
                            return Err(PoolError::TooLarge(self.max_body_bytes));
                        }
                        Err(err) => return Err(PoolError::Body(err)),
                    };
                    self.put_idle(connection);
                    return Ok(Answer { head, body });
                }
                Err(mut err) => match err.take_message() {
                    Some(unsent) if pooled => request = unsent,
                    _ => return Err(PoolError::Exchange(err.into_error())),
                },
            }
        }
    }

    /// The `Host` header for `url`.
    fn host_of(&self, url: &Uri) -> Option<HeaderValue> {
        let authority = url.authority()?.as_str();
        match self.host.get() {
            Some((cached, header)) if cached == authority => Some(header.clone()),
            Some(_) => host_header(url),
            None => {
                let header = host_header(url)?;
                let _ = self.host.set((authority.to_owned(), header.clone()));
                Some(header)
            }
        }
    }

    /// The number of idle connections.
    pub fn idle_connections(&self) -> usize {
        self.idle.lock().map_or(0, |idle| idle.len())
    }

    /// The number of connections open (idle or busy), counting those still closing.
    pub fn open_connections(&self) -> usize {
        self.room_limit - self.room.available_permits()
    }

    /// The most recently used idle connection, unless it has been idle too long (then all
    /// of them have, and all are closed).
    fn take_idle(&self) -> Option<Connection> {
        let mut idle = self.idle.lock().ok()?;
        let connection = idle.pop()?;
        if connection.since.elapsed() > POOL_IDLE_TIMEOUT {
            idle.clear();
            return None;
        }
        Some(connection.connection)
    }

    /// Keeps `connection` for the next request (telling a request waiting for room), unless
    /// it is closing.
    fn put_idle(&self, connection: Connection) {
        if connection.sender.is_closed() {
            return;
        }
        if let Ok(mut idle) = self.idle.lock() {
            idle.push(IdleConnection { connection, since: Instant::now() });
        }
        self.returned.notify_one();
    }

    /// Room for a new connection, waiting when the pool is full until a connection closes or
    /// one is returned idle (then [`Room::Returned`]: take it instead).
    async fn room(&self) -> Room {
        if let Ok(permit) = self.room.clone().try_acquire_owned() {
            return Room::New(permit);
        }
        let returned = self.returned.notified();
        let mut returned = std::pin::pin!(returned);
        // Listening before looking again, so that a return in between is not missed.
        returned.as_mut().enable();
        if self.idle_connections() > 0 {
            return Room::Returned;
        }
        tokio::select! {
            permit = self.room.clone().acquire_owned() => match permit {
                Ok(permit) => Room::New(permit),
                // Never closed; if it were, waiting for a return is all that is left.
                Err(_) => {
                    returned.await;
                    Room::Returned
                }
            },
            () = &mut returned => Room::Returned,
        }
    }

    /// A new connection to `url`'s origin, driven by a task on the current runtime that holds
    /// `permit` until the socket is closed.
    async fn connect(&self, url: &Uri, permit: OwnedSemaphorePermit) -> Result<Connection, PoolError> {
        let io = self.connector.clone().oneshot(url.clone()).await.map_err(PoolError::Connect)?;
        let (sender, connection) = hyper::client::conn::http1::handshake(io).await.map_err(PoolError::Handshake)?;
        let driver = tokio::spawn(async move {
            if let Err(err) = connection.await {
                tracing::debug!(error = ?err, "upstream connection ended with an error");
            }
            drop(permit);
        });
        Ok(Connection { sender, driver: driver.abort_handle() })
    }
}

impl fmt::Debug for UpstreamPool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UpstreamPool").field("idle_connections", &self.idle_connections()).finish()
    }
}

/// The `Host` header for `url`: its host, and its port unless it is the scheme's default.
fn host_header(url: &Uri) -> Option<HeaderValue> {
    let authority = url.authority()?;
    let default_port = match url.scheme() {
        Some(scheme) if *scheme == Scheme::HTTPS => 443,
        _ => 80,
    };
    let host = match authority.port_u16() {
        Some(port) if port != default_port => authority.as_str(),
        _ => authority.host(),
    };
    HeaderValue::from_str(host).ok()
}

/// `url` as the target of a request line: its path and query.
fn origin_form(url: &Uri) -> Uri {
    let path = url.path_and_query().cloned().unwrap_or_else(|| PathAndQuery::from_static("/"));
    Uri::from(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    fn pool() -> UpstreamPool {
        let tls =
            rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(rustls::crypto::ring::default_provider()))
                .with_safe_default_protocol_versions()
                .unwrap()
                .with_root_certificates(rustls::RootCertStore::empty())
                .with_no_client_auth();
        UpstreamPool::new(crate::tls::UpstreamTls::new(tls, Duration::from_secs(2)).connector())
    }

    fn get(url: &str) -> Request<Full<Bytes>> {
        let mut request = Request::new(Full::default());
        *request.uri_mut() = url.parse().unwrap();
        request
    }

    /// A server answering `{}` to each request; when `close_after_each` is set it closes each
    /// connection after its answer (without saying so). Returns its base URL, the number of
    /// connections it accepted and every request head it read.
    async fn upstream(
        close_after_each: bool,
    ) -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>, std::sync::Arc<Mutex<Vec<String>>>) {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (connections, heads) =
            (std::sync::Arc::new(AtomicUsize::new(0)), std::sync::Arc::new(Mutex::new(Vec::new())));
        let (counter, seen) = (connections.clone(), heads.clone());
        tokio::spawn(async move {
            loop {
                let Ok((mut socket, _)) = listener.accept().await else { return };
                counter.fetch_add(1, Ordering::SeqCst);
                let seen = seen.clone();
                tokio::spawn(async move {
                    let mut buffer = vec![0u8; 4096];
                    loop {
                        let Ok(n) = socket.read(&mut buffer).await else { return };
                        if n == 0 {
                            return;
                        }
                        seen.lock().unwrap().push(String::from_utf8_lossy(&buffer[..n]).into_owned());
                        let reply = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}";
                        if socket.write_all(reply.as_bytes()).await.is_err() || close_after_each {
                            return;
                        }
                    }
                });
            }
        });
        (base, connections, heads)
    }

    #[tokio::test]
    async fn one_connection_serves_requests_one_after_another_in_origin_form_with_the_host() {
        let (base, connections, heads) = upstream(false).await;
        let pool = pool();
        for _ in 0..3 {
            let answer = pool.exchange(get(&format!("{base}/billing/invoice/v1/1/invoices?page=2"))).await.unwrap();
            assert_eq!((answer.head.status.as_u16(), &answer.body[..]), (200, &b"{}"[..]));
        }
        assert_eq!(connections.load(std::sync::atomic::Ordering::SeqCst), 1, "the connection is reused");
        assert_eq!(pool.idle_connections(), 1);
        let heads = heads.lock().unwrap();
        let host = base.trim_start_matches("http://");
        assert!(heads[0].starts_with("GET /billing/invoice/v1/1/invoices?page=2 HTTP/1.1\r\n"), "{}", heads[0]);
        assert!(heads[0].to_ascii_lowercase().contains(&format!("\r\nhost: {host}\r\n")), "{}", heads[0]);
    }

    #[tokio::test]
    async fn a_connection_the_upstream_closed_while_idle_is_replaced() {
        let (base, connections, heads) = upstream(true).await;
        let pool = pool();
        for _ in 0..3 {
            let answer = pool.exchange(get(&format!("{base}/x"))).await.unwrap();
            assert_eq!(answer.head.status.as_u16(), 200);
            tokio::time::sleep(Duration::from_millis(20)).await; // the close arrives
        }
        assert_eq!(connections.load(std::sync::atomic::Ordering::SeqCst), 3);
        assert_eq!(heads.lock().unwrap().len(), 3, "each request reached the upstream once");
    }

    #[tokio::test]
    async fn concurrent_requests_get_connections_of_their_own() {
        let (base, connections, _) = upstream(false).await;
        let pool = pool();
        let url = format!("{base}/x");
        let (a, b, c) = tokio::join!(pool.exchange(get(&url)), pool.exchange(get(&url)), pool.exchange(get(&url)));
        assert!(a.is_ok() && b.is_ok() && c.is_ok());
        assert_eq!(connections.load(std::sync::atomic::Ordering::SeqCst), 3);
        assert_eq!(pool.idle_connections(), 3, "all three are kept for later");
        pool.exchange(get(&url)).await.unwrap();
        assert_eq!(connections.load(std::sync::atomic::Ordering::SeqCst), 3, "an idle one is reused");
    }

    #[tokio::test]
    async fn an_answer_over_the_limit_is_too_large_and_its_connection_not_kept() {
        let (base, _, _) = upstream(false).await;
        let small = pool().with_max_body_bytes(1);
        let err = small.exchange(get(&format!("{base}/x"))).await.unwrap_err();
        assert!(matches!(err, PoolError::TooLarge(1)), "{err:?}");
        assert_eq!(small.idle_connections(), 0);
        let exact = pool().with_max_body_bytes(2);
        assert_eq!(&exact.exchange(get(&format!("{base}/x"))).await.unwrap().body[..], b"{}", "the limit itself");
    }

    /// A server answering `{}` to each request after `delay`, counting the connections open
    /// now, the most open at once and all it accepted.
    async fn slow_upstream(delay: Duration) -> (String, std::sync::Arc<[std::sync::atomic::AtomicUsize; 3]>) {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let counts = std::sync::Arc::new([AtomicUsize::new(0), AtomicUsize::new(0), AtomicUsize::new(0)]);
        let open = counts.clone();
        tokio::spawn(async move {
            loop {
                let Ok((mut socket, _)) = listener.accept().await else { return };
                let now = open[0].fetch_add(1, Ordering::SeqCst) + 1;
                open[1].fetch_max(now, Ordering::SeqCst);
                open[2].fetch_add(1, Ordering::SeqCst);
                let open = open.clone();
                tokio::spawn(async move {
                    let mut buffer = vec![0u8; 4096];
                    while let Ok(n) = socket.read(&mut buffer).await {
                        if n == 0 {
                            break;
                        }
                        // Waiting, but noticing a close meanwhile.
                        let mut rest = [0u8; 1];
                        tokio::select! {
                            () = tokio::time::sleep(delay) => {}
                            _ = socket.read(&mut rest) => break,
                        }
                        let reply = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}";
                        if socket.write_all(reply.as_bytes()).await.is_err() {
                            break;
                        }
                    }
                    open[0].fetch_sub(1, Ordering::SeqCst);
                });
            }
        });
        (base, counts)
    }

    #[tokio::test]
    async fn a_full_pool_waits_for_room_and_never_opens_more_than_its_limit() {
        use std::sync::atomic::Ordering;
        let (base, counts) = slow_upstream(Duration::from_millis(30)).await;
        let pool = pool().with_max_connections(2);
        let url = format!("{base}/x");
        let one = || pool.exchange(get(&url));
        let (a, b, c, d, e, f) = tokio::join!(one(), one(), one(), one(), one(), one());
        let answers = [a, b, c, d, e, f];
        assert!(answers.iter().all(Result::is_ok), "every request is answered in turn: {answers:?}");
        assert_eq!(counts[1].load(Ordering::SeqCst), 2, "never more than two connections at once");
        assert_eq!(pool.open_connections(), 2);
    }

    #[tokio::test]
    async fn an_abandoned_request_closes_its_connection_at_once_and_frees_its_room() {
        use std::sync::atomic::Ordering;
        let (base, counts) = slow_upstream(Duration::from_secs(5)).await;
        let pool = pool().with_max_connections(1);
        let url = format!("{base}/x");
        let abandoned = tokio::time::timeout(Duration::from_millis(100), pool.exchange(get(&url))).await;
        assert!(abandoned.is_err(), "the slow answer was not waited for");
        let closed = async {
            while pool.open_connections() > 0 || counts[0].load(Ordering::SeqCst) > 0 {
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        };
        tokio::time::timeout(Duration::from_secs(1), closed)
            .await
            .expect("the abandoned connection is closed long before its answer would come");
        let next = tokio::time::timeout(Duration::from_millis(100), pool.exchange(get(&url))).await;
        assert!(next.is_err(), "the slow upstream kept the next request waiting too");
        assert_eq!(counts[2].load(Ordering::SeqCst), 2, "the next request got the room and connected");
        assert_eq!(counts[1].load(Ordering::SeqCst), 1, "one connection at a time");
    }

    #[tokio::test]
    async fn an_unreachable_upstream_is_a_connect_error() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        drop(listener);
        let err = pool().exchange(get(&format!("{base}/x"))).await.unwrap_err();
        assert!(matches!(err, PoolError::Connect(_)), "{err:?}");
        assert!(!err.is_timeout());
    }

    #[test]
    fn the_host_header_leaves_out_default_ports() {
        let host = |url: &str| host_header(&url.parse().unwrap()).unwrap();
        assert_eq!(host("https://lf-api.payex.com/payex/x"), "lf-api.payex.com");
        assert_eq!(host("https://lf-api.payex.com:443/x"), "lf-api.payex.com");
        assert_eq!(host("https://lf-api.payex.com:8443/x"), "lf-api.payex.com:8443");
        assert_eq!(host("http://127.0.0.1:8081/x"), "127.0.0.1:8081");
        assert_eq!(host("http://sandbox.test/x"), "sandbox.test");
        assert_eq!(origin_form(&"http://a.test/b%20c?d=1".parse().unwrap()), "/b%20c?d=1");
    }
}
