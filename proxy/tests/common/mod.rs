//! Test support: a mock upstream that records what reaches it, and the proxy run in-process.
#![allow(dead_code)] // each test binary uses its own part of this module

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use billing_contract::Problem;
use billing_proxy::Config;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tower::ServiceExt;

/// The upstream token of every test: no response may contain it.
pub const TOKEN: &str = "tok-4f1e9c2b-never-show-me";

/// A request as the upstream received it.
#[derive(Clone, Debug)]
pub struct Received {
    pub method: Method,
    /// The raw path and query.
    pub target: String,
    pub headers: HeaderMap,
    pub body: Bytes,
}

/// What the mock upstream answers to every request.
#[derive(Clone, Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: Vec<(&'static str, &'static str)>,
    pub body: &'static str,
    pub delay: Duration,
}

impl Reply {
    pub fn json(status: u16, body: &'static str) -> Reply {
        Reply {
            status: StatusCode::from_u16(status).unwrap(),
            headers: vec![("content-type", "application/json")],
            body,
            delay: Duration::ZERO,
        }
    }

    pub fn header(mut self, name: &'static str, value: &'static str) -> Reply {
        self.headers.push((name, value));
        self
    }

    pub fn delayed(mut self, delay: Duration) -> Reply {
        self.delay = delay;
        self
    }
}

/// An upstream on a real socket, recording each request and answering with one [`Reply`]
/// (or, started with [`MockUpstream::routed`], the reply for the request's path).
pub struct MockUpstream {
    pub base: String,
    received: Arc<Mutex<Vec<Received>>>,
}

#[derive(Clone)]
struct MockState {
    reply: Reply,
    /// Replies by `GET` target (path and query), before `reply`.
    routes: Arc<Vec<(String, Reply)>>,
    received: Arc<Mutex<Vec<Received>>>,
}

impl MockUpstream {
    pub async fn start(reply: Reply) -> MockUpstream {
        MockUpstream::routed(reply, Vec::new()).await
    }

    /// An upstream answering a `GET` of one of `routes`' targets (exact path and query) with
    /// its reply, and every other request with `reply`.
    pub async fn routed(reply: Reply, routes: Vec<(&str, Reply)>) -> MockUpstream {
        let received = Arc::new(Mutex::new(Vec::new()));
        let routes = Arc::new(routes.into_iter().map(|(target, reply)| (target.to_owned(), reply)).collect());
        let state = MockState { reply, routes, received: received.clone() };
        let app = Router::new().fallback(record).with_state(state);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        MockUpstream { base, received }
    }

    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    /// The one request received (fails if there were none or several).
    pub fn only_request(&self) -> Received {
        let received = self.received();
        assert_eq!(received.len(), 1, "expected exactly one upstream request: {received:?}");
        received.into_iter().next().unwrap()
    }
}

async fn record(State(state): State<MockState>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, usize::MAX).await.unwrap();
    let target = parts.uri.path_and_query().unwrap().as_str().to_owned();
    state.received.lock().unwrap().push(Received {
        method: parts.method.clone(),
        target: target.clone(),
        headers: parts.headers,
        body,
    });
    let reply = state
        .routes
        .iter()
        .find(|(route, _)| parts.method == Method::GET && *route == target)
        .map_or(&state.reply, |(_, reply)| reply);
    tokio::time::sleep(reply.delay).await;
    let mut response = (reply.status, reply.body).into_response();
    response.headers_mut().clear();
    for (name, value) in &reply.headers {
        response.headers_mut().append(*name, value.parse().unwrap());
    }
    response
}

/// A base URL where nothing listens.
pub fn closed_upstream() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    format!("http://{}", listener.local_addr().unwrap())
}

/// A fresh directory with a small widget bundle: `index.html`, `pkg/widget_bg.wasm`, `style.css`.
pub fn bundle_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("billing-proxy-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("pkg")).unwrap();
    std::fs::write(dir.join("index.html"), "<!doctype html><title>Billing</title>").unwrap();
    std::fs::write(dir.join("pkg/widget_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
    std::fs::write(dir.join("style.css"), "body { margin: 0 }").unwrap();
    dir
}

/// The ledger of every test.
pub const OWNER: &str = "100200";

/// The host the test requests are addressed to, and so the page's own origin.
pub const HOST: &str = "proxy.test";

/// The page's own origin: the one origin allowed to write.
pub const ORIGIN: &str = "http://proxy.test";

/// The configuration of a proxy in front of `upstream` (plain http on loopback, allowed
/// explicitly), serving `static_dir`: trusted mode, read-write, writes from [`ORIGIN`], ledger
/// [`OWNER`], no rate limit.
pub fn config(upstream: &str, static_dir: &Path) -> Config {
    config_with(upstream, static_dir, &[])
}

/// [`config`] with more environment variables; an empty value removes a variable.
pub fn config_with(upstream: &str, static_dir: &Path, vars: &[(&str, &str)]) -> Config {
    let args = ["--upstream", upstream, "--static-dir", static_dir.to_str().unwrap(), "--max-body-bytes", "1024"];
    let mut env: Vec<(String, String)> = vec![
        ("PROXY_TOKEN".into(), TOKEN.into()),
        ("PROXY_OWNER_NO".into(), OWNER.into()),
        ("PROXY_ACCESS".into(), "trusted".into()),
        ("PROXY_TRUSTED_SCOPE".into(), "read-write".into()),
        ("PROXY_ALLOWED_ORIGINS".into(), ORIGIN.into()),
        ("PROXY_ALLOW_INSECURE_UPSTREAM".into(), "true".into()),
        ("PROXY_RATE_LIMIT_PER_SECOND".into(), "0".into()),
    ];
    for (name, value) in vars {
        env.retain(|(n, _)| n != name);
        if !value.is_empty() {
            env.push(((*name).into(), (*value).into()));
        }
    }
    Config::parse(args, |name| env.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone())).unwrap()
}

/// A proxy in front of `upstream` (with an empty bundle directory).
pub fn proxy(upstream: &str) -> billing_proxy::App {
    billing_proxy::app(&config(upstream, Path::new("/nonexistent"))).unwrap()
}

/// The admin application (`/healthz`, `/readyz`, `/metrics`) of a proxy configured by `config`.
pub fn admin(config: &Config) -> billing_proxy::App {
    billing_proxy::Proxy::new(config).unwrap().admin_app()
}

/// The public and the admin application of one proxy in front of `upstream`.
pub fn proxy_and_admin(upstream: &str) -> (billing_proxy::App, billing_proxy::App) {
    let proxy = billing_proxy::Proxy::new(&config(upstream, Path::new("/nonexistent"))).unwrap();
    (proxy.app(), proxy.admin_app())
}

/// A response read whole.
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Answer {
    pub fn text(&self) -> &str {
        std::str::from_utf8(&self.body).unwrap()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(|value| value.to_str().unwrap())
    }

    pub fn request_id(&self) -> &str {
        self.header("x-request-id").expect("every response has an x-request-id")
    }

    /// The body as a problem, checking the content type.
    pub fn problem(&self) -> Problem {
        assert_eq!(self.header("content-type"), Some("application/problem+json"));
        serde_json::from_slice(&self.body).unwrap()
    }
}

/// Sends `request` to `app` and reads the whole response, checking that it does not contain
/// the token anywhere.
pub async fn send(app: &billing_proxy::App, request: axum::http::Request<Body>) -> Answer {
    let response = app.clone().oneshot(request).await.unwrap();
    let (parts, body) = response.into_parts();
    let body = axum::body::to_bytes(body, usize::MAX).await.unwrap();
    let answer = Answer { status: parts.status, headers: parts.headers, body };
    assert_no_token(&answer);
    answer
}

pub fn assert_no_token(answer: &Answer) {
    for (name, value) in &answer.headers {
        let value = String::from_utf8_lossy(value.as_bytes());
        assert!(!value.contains(TOKEN), "the token leaked in the {name} header");
    }
    assert!(!String::from_utf8_lossy(&answer.body).contains(TOKEN), "the token leaked in the body");
}

/// A request builder for `method` and a raw `target`.
pub fn request(method: &str, target: &str) -> axum::http::request::Builder {
    axum::http::Request::builder().method(method).uri(target)
}

/// A write from the widget: JSON body, the CSRF header and the page's own origin.
pub fn write(method: &str, target: &str, body: &str) -> axum::http::Request<Body> {
    request(method, target)
        .header("host", HOST)
        .header("origin", ORIGIN)
        .header("x-billing-csrf", "1")
        .header("content-type", "application/json")
        .body(Body::from(body.to_owned()))
        .unwrap()
}

/// A recurring product input as the widget writes it (`RecurringProductInput` through serde),
/// which the proxy forwards unchanged: its canonical form.
pub const PRODUCT_INPUT: &str = r#"{"productNo":"MOB-5GB","description":"Mobile 5 GB","quantity":1,"unitPrice":199.5,"vatRate":25,"periodicity":"monthly","startDate":"2026-01-01","endDate":null}"#;

/// `GET target` without body.
pub fn get(target: &str) -> axum::http::Request<Body> {
    request("GET", target).body(Body::empty()).unwrap()
}
