//! Drives the sandbox in-process: no network, one seeded ledger shared by all tests of a binary.
#![allow(dead_code)]

use axum::body::Body;
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use axum::Router;
use billing_contract::{Collection, Problem};
use billing_sandbox::variants::Variants;
use billing_sandbox::{app, seed, AppState, Config, Ledger, DEMO_TOKEN};
use http_body_util::BodyExt;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::sync::OnceLock;
use tower::ServiceExt;

/// A fresh sandbox with the demo data (seeded once per test binary, then cloned).
pub fn sandbox() -> Router {
    static LEDGER: OnceLock<Ledger> = OnceLock::new();
    let ledger = LEDGER.get_or_init(seed::demo_ledger).clone();
    app(AppState::new(Config::default(), ledger))
}

/// A fresh sandbox in documented-variants mode, with that mode's demo data.
pub fn variants_sandbox() -> Router {
    static LEDGER: OnceLock<Ledger> = OnceLock::new();
    let ledger = LEDGER
        .get_or_init(|| {
            let mut ledger = seed::demo_ledger();
            Variants::Documented.extend(&mut ledger);
            ledger
        })
        .clone();
    app(AppState::new(Config { variants: Variants::Documented, ..Config::default() }, ledger))
}

/// `/billing/customer/v1/100200{tail}`.
pub fn customer_api(tail: &str) -> String {
    format!("{}{tail}", billing_contract::paths::customers("100200").trim_end_matches("/customers"))
}

/// `/billing/invoice/v1/100200{tail}`.
pub fn invoice_api(tail: &str) -> String {
    format!("{}/100200{tail}", billing_contract::paths::INVOICE_API)
}

/// An answer: status, headers and the JSON body (`Null` if empty).
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Answer {
    /// The body as a contract type.
    pub fn parse<T: DeserializeOwned>(&self) -> T {
        serde_json::from_value(self.body.clone()).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }

    /// The body as a problem, after checking the media type.
    pub fn problem(&self) -> Problem {
        assert_eq!(self.headers[header::CONTENT_TYPE], "application/problem+json", "{}", self.body);
        self.parse()
    }

    /// The field paths named by a validation problem.
    pub fn failing_fields(&self) -> Vec<String> {
        self.problem().problems.into_iter().map(|p| p.field).collect()
    }
}

/// Sends a request with the demo token.
pub async fn send(app: &Router, method: Method, uri: &str, body: Option<Value>) -> Answer {
    send_as(app, method, uri, Some(&format!("Bearer {DEMO_TOKEN}")), body.map(|b| b.to_string())).await
}

/// Sends a request with any `Authorization` header (or none) and a raw body.
pub async fn send_as(
    app: &Router,
    method: Method,
    uri: &str,
    authorization: Option<&str>,
    body: Option<String>,
) -> Answer {
    let mut request = Request::builder().method(method).uri(uri);
    if let Some(value) = authorization {
        request = request.header(header::AUTHORIZATION, value);
    }
    if body.is_some() {
        request = request.header(header::CONTENT_TYPE, "application/json");
    }
    let request = request.body(body.map(Body::from).unwrap_or_else(Body::empty)).unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    let (parts, body) = response.into_parts();
    let bytes = body.collect().await.unwrap().to_bytes();
    let body = if bytes.is_empty() { Value::Null } else { serde_json::from_slice(&bytes).unwrap() };
    Answer { status: parts.status, headers: parts.headers, body }
}

/// GET with the demo token; panics unless 200.
pub async fn get_ok(app: &Router, uri: &str) -> Value {
    let answer = send(app, Method::GET, uri, None).await;
    assert_eq!(answer.status, StatusCode::OK, "GET {uri}: {}", answer.body);
    assert_eq!(answer.headers[header::CONTENT_TYPE], "application/json");
    answer.body
}

/// Every item of a collection, following `navigation.next` from `uri`; also returns the
/// number of pages.
pub async fn collect_all<T: DeserializeOwned>(app: &Router, uri: &str) -> (Vec<T>, usize) {
    let mut items = Vec::new();
    let mut next = Some(uri.to_owned());
    let mut pages = 0;
    while let Some(uri) = next {
        let page: Collection<T> = serde_json::from_value(get_ok(app, &uri).await).unwrap();
        pages += 1;
        assert!(page.navigation.id.is_some(), "every page names its collection");
        items.extend(page.items);
        next = page.navigation.next.map(|link| link.0);
    }
    (items, pages)
}
