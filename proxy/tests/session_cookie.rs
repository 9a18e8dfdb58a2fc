//! The session's cookie and the proxy's own session info: a signed session may come in the
//! `__Host-billing-session` cookie where the deployment allows it (never where it does not),
//! the CSRF rules stay as they are, the cookie never goes upstream, and
//! `GET /billing-proxy/session` says who the session is without the token or the upstream.

mod common;

use axum::body::Body;
use axum::http::Request;
use billing_contract::proxy_protocol::{AccessMode, SessionInfo, SessionScope, SESSION_COOKIE, SESSION_INFO_PATH};
use billing_proxy::session::{Scope, Session, SessionKey};
use common::*;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const SESSION_KEY: &str = "k3y-for-tests-0123456789abcdef-0123456789";
const MINE: &str = "15615616";
const MY_CUSTOMER: &str = "/billing/customer/v1/100200/customers/15615616";

fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

/// A session token for `customer`, ending at `exp`.
fn token(customer: &str, scope: Scope, exp: u64) -> String {
    let session = Session {
        sub: format!("user-of-{customer}"),
        owner_no: OWNER.into(),
        customer_no: customer.into(),
        scope,
        iat: now().min(exp.saturating_sub(600)),
        nbf: None,
        exp,
    };
    SessionKey::new(SESSION_KEY.as_bytes(), Duration::from_secs(3600)).unwrap().sign(&session).unwrap()
}

/// A signed-session proxy in front of `upstream`, taking the cookie if `cookie`.
fn session_proxy(upstream: &str, cookie: bool) -> billing_proxy::App {
    let config = config_with(
        upstream,
        std::path::Path::new("/nonexistent"),
        &[
            ("PROXY_ACCESS", "signed-session"),
            ("PROXY_SESSION_KEY", SESSION_KEY),
            ("PROXY_SESSION_COOKIE", if cookie { "true" } else { "false" }),
        ],
    );
    billing_proxy::app(&config).unwrap()
}

fn with_cookie(method: &str, target: &str, cookie: &str) -> Request<Body> {
    request(method, target).header("host", HOST).header("cookie", cookie).body(Body::empty()).unwrap()
}

#[tokio::test]
async fn the_session_info_says_who_the_session_is_without_the_token_or_the_upstream() {
    let upstream = MockUpstream::start(Reply::json(200, "{}")).await;
    let app = session_proxy(&upstream.base, true);
    let exp = now() + 600;
    let mine = token(MINE, Scope::ReadWrite, exp);
    for (how, request) in [
        ("header", request("GET", SESSION_INFO_PATH).header("x-billing-session", &mine).body(Body::empty()).unwrap()),
        ("cookie", with_cookie("GET", SESSION_INFO_PATH, &format!("theme=dark; {SESSION_COOKIE}={mine}"))),
    ] {
        let answer = send(&app, request).await;
        assert_eq!(answer.status, 200, "{how}: {}", answer.text());
        assert_eq!(answer.header("content-type"), Some("application/json"));
        assert_eq!(answer.header("cache-control"), Some("private, no-store"), "{how}");
        let info: SessionInfo = serde_json::from_slice(&answer.body).unwrap();
        assert_eq!(
            info,
            SessionInfo {
                mode: AccessMode::SignedSession,
                owner_no: OWNER.into(),
                customer_no: Some(MINE.into()),
                scope: SessionScope::ReadWrite,
                expires_at: Some(exp),
            },
            "{how}"
        );
        assert!(!answer.text().contains(&mine), "{how}: the token is not repeated");
    }
    for (why, request) in [
        ("no session", get(SESSION_INFO_PATH)),
        (
            "expired",
            with_cookie(
                "GET",
                SESSION_INFO_PATH,
                &format!("{SESSION_COOKIE}={}", token(MINE, Scope::Read, now() - 120)),
            ),
        ),
        ("forged", with_cookie("GET", SESSION_INFO_PATH, &format!("{SESSION_COOKIE}={mine}x"))),
    ] {
        let answer = send(&app, request).await;
        assert_eq!(answer.status, 401, "{why}");
        assert_eq!(answer.problem().status, Some(401), "{why}");
    }
    assert_eq!(send(&app, empty_request("POST", SESSION_INFO_PATH)).await.status, 405);
    assert!(upstream.received().is_empty(), "the upstream is never asked who a session is");

    let trusted = send(&proxy(&upstream.base), get(SESSION_INFO_PATH)).await;
    let info: SessionInfo = serde_json::from_slice(&trusted.body).unwrap();
    assert_eq!((info.mode, info.owner_no.as_str(), info.scope), (AccessMode::Trusted, OWNER, SessionScope::ReadWrite));
    assert_eq!((info.customer_no, info.expires_at), (None, None), "trusted mode names no customer");
}

fn empty_request(method: &str, target: &str) -> Request<Body> {
    request(method, target).header("host", HOST).body(Body::empty()).unwrap()
}

#[tokio::test]
async fn the_cookie_carries_a_session_only_where_the_deployment_allows_it_and_never_upstream() {
    let upstream = MockUpstream::start(Reply::json(200, r#"{"customerNo":"15615616"}"#)).await;
    let mine = token(MINE, Scope::ReadWrite, now() + 600);
    let cookie = format!("theme=dark; {SESSION_COOKIE}={mine}; other=1");

    let header_only = session_proxy(&upstream.base, false);
    assert_eq!(send(&header_only, with_cookie("GET", MY_CUSTOMER, &cookie)).await.status, 401, "not allowed: ignored");
    assert!(upstream.received().is_empty());

    let app = session_proxy(&upstream.base, true);
    assert_eq!(send(&app, with_cookie("GET", MY_CUSTOMER, &cookie)).await.status, 200);
    let received = upstream.only_request();
    assert!(!received.headers.contains_key("cookie"), "the cookie stays on the browser's side");
    for (name, value) in &received.headers {
        assert!(!String::from_utf8_lossy(value.as_bytes()).contains(&mine), "the session went upstream in {name}");
    }

    let theirs = "/billing/customer/v1/100200/customers/5566778899";
    assert_eq!(send(&app, with_cookie("GET", theirs, &cookie)).await.status, 404, "another customer: not found");
    let twice = format!("{SESSION_COOKIE}={mine}; {SESSION_COOKIE}={}", token("5566778899", Scope::Read, now() + 600));
    assert_eq!(send(&app, with_cookie("GET", MY_CUSTOMER, &twice)).await.status, 401, "two sessions: neither");

    // The header wins over the cookie: the page's explicit session is the one asked for.
    let theirs_in_header = request("GET", MY_CUSTOMER)
        .header("host", HOST)
        .header("cookie", &cookie)
        .header("x-billing-session", token("5566778899", Scope::Read, now() + 600))
        .body(Body::empty())
        .unwrap();
    assert_eq!(send(&app, theirs_in_header).await.status, 404);

    // CSRF is unchanged: a write with the cookie alone (what a cross-site form would send) is
    // refused before anything else, and so is one from another origin.
    let product = format!("{MY_CUSTOMER}/recurring-products/1001");
    let unmarked = request("PUT", &product)
        .header("host", HOST)
        .header("cookie", &cookie)
        .header("content-type", "application/json")
        .body(Body::from(PRODUCT_INPUT))
        .unwrap();
    assert_eq!(send(&app, unmarked).await.status, 403);
    let cross_site = request("PUT", &product)
        .header("host", HOST)
        .header("cookie", &cookie)
        .header("origin", "https://evil.example")
        .header("x-billing-csrf", "1")
        .header("content-type", "application/json")
        .body(Body::from(PRODUCT_INPUT))
        .unwrap();
    assert_eq!(send(&app, cross_site).await.status, 403);
    assert_eq!(upstream.received().len(), 1, "only the one allowed read reached the upstream");
}
