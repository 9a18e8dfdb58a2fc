//! The security suite: a table of hostile requests, each of which must be refused with the
//! expected status and a problem, without the request reaching the upstream (a counting fake
//! upstream records every request it gets).

mod common;

use axum::body::Body;
use axum::http::Request;
use billing_proxy::session::{Scope, Session, SessionKey};
use common::*;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const SESSION_KEY: &str = "k3y-for-tests-0123456789abcdef-0123456789";
const MINE: &str = "15615616";
const MY_INVOICE: &str =
    r#"{"@id":"/billing/invoice/v1/100200/invoices/603001","invoiceNo":"603001","customerNo":"15615616"}"#;

fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

fn token(owner: &str, customer: &str, scope: Scope, exp: u64, key: &str) -> String {
    let session = Session {
        owner_no: owner.into(),
        customer_no: customer.into(),
        scope,
        exp,
        sub: Some(format!("user-of-{customer}")),
    };
    SessionKey::new(key.as_bytes(), Duration::from_secs(3600)).sign(&session)
}

fn my_token(scope: Scope) -> String {
    token(OWNER, MINE, scope, now() + 600, SESSION_KEY)
}

/// A hostile request: what it is, how it is built, the status it must get.
struct Case {
    name: &'static str,
    request: Request<Body>,
    status: u16,
}

fn case(name: &'static str, status: u16, request: Request<Body>) -> Case {
    Case { name, request, status }
}

fn browser(method: &str, target: &str) -> axum::http::request::Builder {
    request(method, target).header("host", HOST)
}

fn with_session(method: &str, target: &str, token: &str) -> axum::http::request::Builder {
    browser(method, target).header("x-billing-session", token)
}

/// A write that passes CSRF, in a session.
fn session_write(method: &str, target: &str, token: &str, body: &str) -> Request<Body> {
    with_session(method, target, token)
        .header("origin", format!("http://{HOST}"))
        .header("x-billing-csrf", "1")
        .header("content-type", "application/json")
        .body(Body::from(body.to_owned()))
        .unwrap()
}

fn empty(builder: axum::http::request::Builder) -> Request<Body> {
    builder.body(Body::empty()).unwrap()
}

async fn assert_refused_upstream_untouched(app: &billing_proxy::App, upstream: &MockUpstream, cases: Vec<Case>) {
    for Case { name, request, status } in cases {
        let answer = send(app, request).await;
        assert_eq!(answer.status, status, "{name}: {}", answer.text());
        let problem = answer.problem();
        assert_eq!(problem.instance.as_deref(), Some(answer.request_id()), "{name}");
        assert!(upstream.received().is_empty(), "{name} reached the upstream: {:?}", upstream.received());
    }
}

#[tokio::test]
async fn hostile_requests_in_trusted_mode_never_reach_the_upstream() {
    let upstream = MockUpstream::start(Reply::json(200, "{}")).await;
    let app = proxy(&upstream.base);
    let customer = "/billing/customer/v1/100200/customers/15615616";
    let products = "/billing/customer/v1/100200/customers/15615616/recurring-products";
    let own_origin = format!("http://{HOST}");
    let json = |m: &str, t: &str| {
        browser(m, t)
            .header("origin", own_origin.as_str())
            .header("x-billing-csrf", "1")
            .header("content-type", "application/json")
    };
    let cases = vec![
        // Traversal and encoding tricks.
        case("dot-dot", 400, get("/billing/customer/v1/100200/customers/../../../admin")),
        case("encoded dot-dot", 400, get("/billing/customer/v1/100200/customers/%2e%2e/x")),
        case("single dot", 400, get("/billing/customer/v1/100200/./customers/1")),
        case("double encoding", 400, get("/billing/customer/v1/100200/customers/%252e%252e")),
        case("double-encoded slash", 400, get("/billing/customer/v1/100200/customers/A%252FB")),
        case("empty segment", 400, get("/billing/customer/v1/100200/customers//recurring-products")),
        case("trailing slash", 400, get("/billing/customer/v1/100200/customers/1/")),
        case("backslash", 400, get("/billing/customer/v1/100200/customers/1%5C..%5C..")),
        case("invalid UTF-8", 400, get("/billing/customer/v1/100200/customers/%C3%28")),
        case("encoded fixed word", 404, get("/billing/customer/v1/100200/%63ustomers/1")),
        case("unknown route", 404, get("/billing/customer/v1/100200/customers/1/secrets")),
        case("invoice route on the customer API", 404, get("/billing/customer/v1/100200/invoices")),
        case("identifier too long", 400, get("/billing/customer/v1/100200/customers/1234567890123456")),
        case("identifier outside the pattern", 400, get("/billing/customer/v1/100200/customers/a%3Fb")),
        // Query.
        case("unknown query parameter", 400, get("/billing/invoice/v1/100200/invoices?customerNo=1&admin=true")),
        case("repeated parameter", 400, get("/billing/invoice/v1/100200/invoices?customerNo=1&customerNo=2")),
        case("paging where there is none", 400, get("/billing/customer/v1/100200/customers/1?page=2")),
        case("negative page", 400, get("/billing/invoice/v1/100200/invoices?page=-1")),
        // Header injection through an identifier (CR LF encoded into the value).
        case("CRLF in a query value", 400, get("/billing/invoice/v1/100200/invoices?customerNo=1%0D%0ASet-Cookie:x=1")),
        case("CRLF in a segment", 400, get("/billing/customer/v1/100200/customers/1%0D%0AX-Injected:1")),
        // Another ledger.
        case("other ledger", 403, get("/billing/customer/v1/999999/customers/1")),
        case("other ledger, invoices", 403, get("/billing/invoice/v1/999999/invoices")),
        // Wrong method.
        case("DELETE on an invoice", 405, empty(browser("DELETE", "/billing/invoice/v1/100200/invoices/603001"))),
        case("PUT on a customer", 405, json("PUT", customer).body(Body::from("{}")).unwrap()),
        case(
            "POST on an invoice",
            405,
            json("POST", "/billing/invoice/v1/100200/invoices").body(Body::from("{}")).unwrap(),
        ),
        case("PATCH", 405, empty(browser("PATCH", customer))),
        case("GET of the customer create route", 405, get("/billing/customer/v1/100200/customers")),
        // CSRF.
        case(
            "write without the CSRF header",
            403,
            browser("POST", products)
                .header("origin", own_origin.as_str())
                .header("content-type", "application/json")
                .body(Body::from("{}"))
                .unwrap(),
        ),
        case(
            "write from another origin",
            403,
            browser("POST", products)
                .header("origin", "https://evil.example")
                .header("x-billing-csrf", "1")
                .header("content-type", "application/json")
                .body(Body::from("{}"))
                .unwrap(),
        ),
        case(
            "write without Origin",
            403,
            browser("POST", products)
                .header("x-billing-csrf", "1")
                .header("content-type", "application/json")
                .body(Body::from("{}"))
                .unwrap(),
        ),
        case(
            "cross-site form post",
            403,
            browser("POST", products)
                .header("origin", "https://evil.example")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from("quantity=100"))
                .unwrap(),
        ),
        // Bodies.
        case(
            "oversized body",
            413,
            json("POST", products).body(Body::from(format!("[{}]", "1,".repeat(600) + "1"))).unwrap(),
        ),
        case("non-JSON body", 400, json("POST", products).body(Body::from("<xml/>")).unwrap()),
        case(
            "form content type",
            415,
            browser("POST", products)
                .header("origin", own_origin.as_str())
                .header("x-billing-csrf", "1")
                .header("content-type", "text/plain")
                .body(Body::from("{}"))
                .unwrap(),
        ),
        case("body on a GET", 400, browser("GET", customer).body(Body::from("{}")).unwrap()),
    ];
    assert_refused_upstream_untouched(&app, &upstream, cases).await;
}

#[tokio::test]
async fn a_read_only_trusted_deployment_refuses_writes() {
    let upstream = MockUpstream::start(Reply::json(200, "{}")).await;
    let config = config_with(&upstream.base, std::path::Path::new("/nonexistent"), &[("PROXY_TRUSTED_SCOPE", "read")]);
    let app = billing_proxy::app(&config).unwrap();
    let products = "/billing/customer/v1/100200/customers/15615616/recurring-products";
    let cases = vec![case("write in read-only mode", 403, write("POST", products, "{}"))];
    assert_refused_upstream_untouched(&app, &upstream, cases).await;
    assert_eq!(send(&app, get(products)).await.status, 200);
}

fn session_proxy(upstream: &str) -> billing_proxy::App {
    let config = config_with(
        upstream,
        std::path::Path::new("/nonexistent"),
        &[
            ("PROXY_ACCESS", "signed-session"),
            ("PROXY_SESSION_KEY", SESSION_KEY),
            ("PROXY_SESSION_MAX_LIFETIME_S", "900"),
        ],
    );
    billing_proxy::app(&config).unwrap()
}

#[tokio::test]
async fn hostile_requests_in_session_mode_never_reach_the_upstream() {
    let upstream = MockUpstream::start(Reply::json(200, "{}")).await;
    let app = session_proxy(&upstream.base);
    let read = my_token(Scope::Read);
    let read_write = my_token(Scope::ReadWrite);
    let mine = "/billing/customer/v1/100200/customers/15615616";
    let theirs = "/billing/customer/v1/100200/customers/5566778899";
    let forged = {
        // My token's signature on a payload naming another customer.
        let (_, signature) = read.split_once('.').unwrap();
        let (payload, _) = token(OWNER, "5566778899", Scope::Read, now() + 600, SESSION_KEY)
            .split_once('.')
            .map(|(p, s)| (p.to_owned(), s.to_owned()))
            .unwrap();
        format!("{payload}.{signature}")
    };
    let cases = vec![
        case("no session", 401, get(mine)),
        case("garbage session", 401, empty(with_session("GET", mine, "not-a-token"))),
        case("forged signature", 401, empty(with_session("GET", theirs, &forged))),
        case(
            "other key",
            401,
            empty(with_session(
                "GET",
                mine,
                &token(OWNER, MINE, Scope::Read, now() + 600, "another-key-0123456789abcdef-0123456789"),
            )),
        ),
        case(
            "expired",
            401,
            empty(with_session("GET", mine, &token(OWNER, MINE, Scope::Read, now() - 1, SESSION_KEY))),
        ),
        case(
            "too long-lived",
            401,
            empty(with_session("GET", mine, &token(OWNER, MINE, Scope::Read, now() + 86_400, SESSION_KEY))),
        ),
        case(
            "session of another ledger",
            403,
            empty(with_session(
                "GET",
                "/billing/customer/v1/999/customers/15615616",
                &token("999", MINE, Scope::Read, now() + 600, SESSION_KEY),
            )),
        ),
        // Another customer's resources are not found, exactly as missing ones.
        case("other customer", 404, empty(with_session("GET", theirs, &read))),
        case(
            "other customer's products",
            404,
            empty(with_session("GET", &format!("{theirs}/recurring-products"), &read)),
        ),
        case(
            "other customer's subscription",
            404,
            empty(with_session("GET", &format!("{theirs}/subscriptions/S1/recurring-products?page=2"), &read)),
        ),
        case(
            "other customer's invoices",
            404,
            empty(with_session("GET", "/billing/invoice/v1/100200/invoices?customerNo=5566778899", &read)),
        ),
        case(
            "all invoices of the ledger",
            403,
            empty(with_session("GET", "/billing/invoice/v1/100200/invoices", &read)),
        ),
        case(
            "create a customer",
            403,
            session_write("POST", "/billing/customer/v1/100200/customers", &read_write, "{}"),
        ),
        case(
            "write with a read session",
            403,
            session_write("POST", &format!("{mine}/recurring-products"), &read, "{}"),
        ),
        case(
            "write without CSRF header",
            403,
            with_session("PUT", &format!("{mine}/recurring-products/1"), &read_write)
                .header("origin", format!("http://{HOST}"))
                .header("content-type", "application/json")
                .body(Body::from("{}"))
                .unwrap(),
        ),
        case(
            "session token in a cookie instead",
            401,
            browser("GET", mine).header("cookie", format!("x-billing-session={read}")).body(Body::empty()).unwrap(),
        ),
    ];
    assert_refused_upstream_untouched(&app, &upstream, cases).await;
}

#[tokio::test]
async fn another_customers_invoice_is_not_found_and_only_its_owner_was_asked() {
    let upstream = MockUpstream::start(Reply::json(200, MY_INVOICE)).await;
    let app = session_proxy(&upstream.base);
    let theirs = token(OWNER, "5566778899", Scope::Read, now() + 600, SESSION_KEY);
    let lines = "/billing/invoice/v1/100200/invoices/603001/subscriptions/S1/recurring-products?page=2";
    let answer = send(&app, empty(with_session("GET", lines, &theirs))).await;
    assert_eq!(answer.status, 404);
    assert_eq!(answer.problem().problem_type.as_deref(), Some("billing/proxy/problems/not-found"));
    let asked: Vec<_> = upstream.received().into_iter().map(|r| r.target).collect();
    assert_eq!(asked, ["/billing/invoice/v1/100200/invoices/603001"], "only the ownership check went upstream");

    // The owner's session gets the lines; the invoice's customer is remembered.
    let answer = send(&app, empty(with_session("GET", lines, &my_token(Scope::Read)))).await;
    assert_eq!(answer.status, 200);
    let asked: Vec<_> = upstream.received().into_iter().map(|r| r.target).collect();
    assert_eq!(asked[1..], [lines]);
}

#[tokio::test]
async fn a_session_reaches_its_own_data_without_its_token_going_upstream() {
    let upstream = MockUpstream::start(Reply::json(200, "{}")).await;
    let app = session_proxy(&upstream.base);
    let token = my_token(Scope::ReadWrite);
    let list = "/billing/invoice/v1/100200/invoices?customerNo=15615616&page=2";
    assert_eq!(send(&app, empty(with_session("GET", list, &token))).await.status, 200);
    let product = "/billing/customer/v1/100200/customers/15615616/recurring-products/1001";
    assert_eq!(send(&app, session_write("PUT", product, &token, r#"{"quantity":2}"#)).await.status, 200);
    for received in upstream.received() {
        for (name, value) in &received.headers {
            assert!(!value.as_bytes().windows(token.len()).any(|w| w == token.as_bytes()), "token in {name}");
        }
        assert!(
            !received.headers.contains_key("x-billing-session") && !received.headers.contains_key("x-billing-csrf")
        );
    }
}

#[tokio::test]
async fn a_runaway_session_gets_429_with_retry_after() {
    let upstream = MockUpstream::start(Reply::json(200, "{}")).await;
    let config = config_with(
        &upstream.base,
        std::path::Path::new("/nonexistent"),
        &[
            ("PROXY_ACCESS", "signed-session"),
            ("PROXY_SESSION_KEY", SESSION_KEY),
            ("PROXY_RATE_LIMIT_PER_SECOND", "1"),
            ("PROXY_RATE_LIMIT_BURST", "3"),
        ],
    );
    let app = billing_proxy::app(&config).unwrap();
    let token = my_token(Scope::Read);
    let mine = "/billing/customer/v1/100200/customers/15615616";
    for _ in 0..3 {
        assert_eq!(send(&app, empty(with_session("GET", mine, &token))).await.status, 200);
    }
    let answer = send(&app, empty(with_session("GET", mine, &token))).await;
    assert_eq!(answer.status, 429);
    assert_eq!(answer.header("retry-after"), Some("1"));
    assert_eq!(answer.problem().problem_type.as_deref(), Some("billing/proxy/problems/rate-limited"));
    assert_eq!(upstream.received().len(), 3);
    // Another session is not limited by this one.
    let other = token_for("20000001");
    let theirs = "/billing/customer/v1/100200/customers/20000001";
    assert_eq!(send(&app, empty(with_session("GET", theirs, &other))).await.status, 200);
}

fn token_for(customer: &str) -> String {
    token(OWNER, customer, Scope::Read, now() + 600, SESSION_KEY)
}

// --- Issue 19, items 5 and 6: answers, and bounds. ---

/// An upstream on a real socket: each request waits `delay`, then gets `answer(base)`
/// (status, extra headers, JSON body). Counts the requests seen and the most in flight at once.
struct CountingUpstream {
    base: String,
    seen: Arc<AtomicUsize>,
    most_at_once: Arc<AtomicUsize>,
}

type Answer3 = (u16, Vec<(&'static str, String)>, String);

async fn counting_upstream(
    delay: Duration,
    answer: impl Fn(&str) -> Answer3 + Send + Sync + 'static,
) -> CountingUpstream {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (seen, in_flight, most_at_once) =
        (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let (answer, own_base) = (Arc::new(answer), base.clone());
    let (s, f, m) = (seen.clone(), in_flight.clone(), most_at_once.clone());
    let app = axum::Router::new().fallback(move || {
        let (answer, base, s, f, m) = (answer.clone(), own_base.clone(), s.clone(), f.clone(), m.clone());
        async move {
            s.fetch_add(1, Ordering::SeqCst);
            let now = f.fetch_add(1, Ordering::SeqCst) + 1;
            m.fetch_max(now, Ordering::SeqCst);
            tokio::time::sleep(delay).await;
            f.fetch_sub(1, Ordering::SeqCst);
            let (status, headers, body) = answer(&base);
            let mut response = axum::response::Response::new(Body::from(body));
            *response.status_mut() = axum::http::StatusCode::from_u16(status).unwrap();
            response.headers_mut().insert("content-type", "application/json".parse().unwrap());
            for (name, value) in headers {
                response.headers_mut().append(name, value.parse().unwrap());
            }
            response
        }
    });
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    CountingUpstream { base, seen, most_at_once }
}

/// A trusted-mode proxy in front of `upstream` with more settings.
fn proxy_with(upstream: &str, vars: &[(&str, &str)]) -> billing_proxy::App {
    billing_proxy::app(&config_with(upstream, std::path::Path::new("/nonexistent"), vars)).unwrap()
}

/// `app` served on a loopback socket of its own; returns the address.
async fn served(app: billing_proxy::App) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(billing_proxy::serve(listener, app, std::future::pending()));
    address
}

/// The body of a problem answer with its `instance` (the request id) blanked out.
fn without_instance(answer: &Answer) -> String {
    answer.text().replace(answer.request_id(), "<instance>")
}

#[tokio::test]
async fn every_api_answer_is_private_no_store_and_varies_by_session() {
    let json = r#"{"customerNo":"15615616","name":"A customer whose name makes this worth compressing"}"#;
    let upstream = MockUpstream::start(
        Reply::json(200, json).header("cache-control", "public, max-age=86400").header("vary", "origin"),
    )
    .await;
    let app = proxy(&upstream.base);
    let customer = "/billing/customer/v1/100200/customers/15615616";
    let compressed = request("GET", customer).header("accept-encoding", "gzip").body(Body::empty()).unwrap();
    for (name, request, status) in [
        ("forwarded", get(customer), 200),
        ("forwarded, compressed", compressed, 200),
        ("own problem", get(&format!("{customer}?debug=1")), 400),
        ("method not allowed", empty(request("PATCH", customer)), 405),
        ("not found", get("/billing/customer/v1/100200/customers/1/secrets"), 404),
    ] {
        let answer = send(&app, request).await;
        assert_eq!(answer.status, status, "{name}");
        let cache_control: Vec<_> = answer.headers.get_all("cache-control").iter().collect();
        assert_eq!(cache_control, ["private, no-store"], "{name}: the upstream's is replaced");
        let vary: Vec<_> = answer.headers.get_all("vary").iter().map(|v| v.to_str().unwrap()).collect();
        assert!(vary.contains(&"x-billing-session"), "{name}: {vary:?}");
        assert!(!vary.contains(&"origin"), "{name}: the upstream's vary does not cross: {vary:?}");
        if name == "forwarded, compressed" {
            assert_eq!(answer.header("content-encoding"), Some("gzip"));
            assert!(vary.contains(&"accept-encoding"), "compression's vary survives beside ours: {vary:?}");
        }
    }
}

#[tokio::test]
async fn a_missing_resource_and_another_customers_get_byte_identical_not_found() {
    let upstream_404 = r#"{"Type":"billing/invoice/problems/invoice-not-found","Title":"Invoice not found","Detail":"No invoice 603001","Status":404}"#;
    let missing = MockUpstream::start(Reply {
        headers: vec![("content-type", "application/problem+json")],
        ..Reply::json(404, upstream_404)
    })
    .await;
    let owned_by_mine = MockUpstream::start(Reply::json(200, MY_INVOICE)).await;
    let (missing_app, owned_app) = (session_proxy(&missing.base), session_proxy(&owned_by_mine.base));
    let invoice = "/billing/invoice/v1/100200/invoices/603001";

    // My session, an invoice that does not exist; another session, my invoice.
    let not_there = send(&missing_app, empty(with_session("GET", invoice, &my_token(Scope::Read)))).await;
    let not_theirs = send(&owned_app, empty(with_session("GET", invoice, &token_for("5566778899")))).await;
    // My session, my customer number but the upstream does not know it; another customer's number.
    let customer = "/billing/customer/v1/100200/customers/15615616";
    let no_customer = send(&missing_app, empty(with_session("GET", customer, &my_token(Scope::Read)))).await;
    let other = "/billing/customer/v1/100200/customers/5566778899/recurring-products";
    let other_customer = send(&missing_app, empty(with_session("GET", other, &my_token(Scope::Read)))).await;

    let reference = &not_there;
    assert_eq!(reference.status, 404);
    assert_eq!(reference.problem().problem_type.as_deref(), Some("billing/proxy/problems/not-found"));
    assert!(!reference.text().contains("603001"), "the upstream's detail does not cross: {}", reference.text());
    for (name, answer) in
        [("another's invoice", &not_theirs), ("missing customer", &no_customer), ("another customer", &other_customer)]
    {
        assert_eq!(answer.status, reference.status, "{name}");
        assert_eq!(answer.header("content-type"), reference.header("content-type"), "{name}");
        assert_ne!(answer.request_id(), reference.request_id());
        assert_eq!(without_instance(answer), without_instance(reference), "{name}: only the instance differs");
    }
    assert!(missing.received().iter().all(|r| !r.target.contains("5566778899")), "another customer never asked");
}

#[tokio::test]
async fn an_upstream_refusing_the_proxys_credentials_is_a_502_never_a_session_problem() {
    for status in [401, 403] {
        let reply = Reply::json(status, r#"{"Title":"Unauthorized"}"#).header("www-authenticate", "Bearer");
        let upstream = MockUpstream::start(reply).await;
        let app = session_proxy(&upstream.base);
        // A forwarded route, and an invoice whose owner is checked first.
        for target in ["/billing/customer/v1/100200/customers/15615616", "/billing/invoice/v1/100200/invoices/603001"] {
            let answer = send(&app, empty(with_session("GET", target, &my_token(Scope::Read)))).await;
            assert_eq!(answer.status, 502, "upstream {status} on {target}");
            let problem = answer.problem();
            assert_eq!(problem.problem_type.as_deref(), Some("billing/proxy/problems/upstream-refused-credentials"));
            assert!(!answer.headers.contains_key("www-authenticate"));
        }
    }
}

#[tokio::test]
async fn a_location_on_the_upstream_becomes_the_proxys_path_and_any_other_is_dropped() {
    let created = "/billing/customer/v1/100200/customers/15615616/recurring-products/1001";
    let on_upstream = counting_upstream(Duration::ZERO, move |base| {
        (201, vec![("location", format!("{base}{created}"))], "{}".to_owned())
    })
    .await;
    let elsewhere = counting_upstream(Duration::ZERO, move |_| {
        (201, vec![("location", format!("https://elsewhere.test{created}"))], "{}".to_owned())
    })
    .await;
    let not_forwarded = counting_upstream(Duration::ZERO, |base| {
        (201, vec![("location", format!("{base}/admin/jobs/7"))], "{}".to_owned())
    })
    .await;
    let products = "/billing/customer/v1/100200/customers/15615616/recurring-products";
    let answer = send(&proxy(&on_upstream.base), write("POST", products, "{}")).await;
    assert_eq!((answer.status.as_u16(), answer.header("location")), (201, Some(created)));
    for upstream in [&elsewhere, &not_forwarded] {
        let answer = send(&proxy(&upstream.base), write("POST", products, "{}")).await;
        assert_eq!(answer.status, 201);
        assert_eq!(answer.header("location"), None, "dropped");
    }
}

#[tokio::test]
async fn hsts_is_sent_only_when_configured() {
    let upstream = MockUpstream::start(Reply::json(200, "{}")).await;
    let customer = "/billing/customer/v1/100200/customers/15615616";
    let answer = send(&proxy(&upstream.base), get(customer)).await;
    assert_eq!(answer.header("strict-transport-security"), None, "plain HTTP behind a terminator: off by default");
    let app = proxy_with(&upstream.base, &[("PROXY_HSTS_MAX_AGE_S", "31536000")]);
    for target in [customer, "/index.html"] {
        let answer = send(&app, get(target)).await;
        assert_eq!(answer.header("strict-transport-security"), Some("max-age=31536000"), "{target}");
    }
}

#[tokio::test]
async fn a_page_size_over_the_limit_is_refused_before_the_upstream() {
    let upstream = MockUpstream::start(Reply::json(200, "{}")).await;
    let app = proxy(&upstream.base);
    let cases = vec![
        case("pageSize 1001", 400, get("/billing/invoice/v1/100200/invoices?pageSize=1001")),
        case(
            "pageSize huge",
            400,
            get("/billing/customer/v1/100200/customers/1/recurring-products?pageSize=999999999"),
        ),
    ];
    assert_refused_upstream_untouched(&app, &upstream, cases).await;
    let answer = send(&app, get("/billing/invoice/v1/100200/invoices?pageSize=1001")).await;
    assert!(answer.problem().detail.unwrap_or_default().contains("at most 1000"));
    assert_eq!(send(&app, get("/billing/invoice/v1/100200/invoices?pageSize=1000")).await.status, 200);
}

#[tokio::test]
async fn an_upstream_answer_over_the_cap_is_a_502() {
    let upstream =
        counting_upstream(Duration::ZERO, |_| (200, Vec::new(), format!(r#"{{"name":"{}"}}"#, "x".repeat(4096)))).await;
    let app = proxy_with(&upstream.base, &[("PROXY_MAX_UPSTREAM_BODY_BYTES", "4096")]);
    let answer = send(&app, get("/billing/customer/v1/100200/customers/15615616")).await;
    assert_eq!(answer.status, 502);
    assert_eq!(answer.problem().problem_type.as_deref(), Some("billing/proxy/problems/upstream-too-large"));
    let roomy = proxy_with(&upstream.base, &[("PROXY_MAX_UPSTREAM_BODY_BYTES", "8192")]);
    assert_eq!(send(&roomy, get("/billing/customer/v1/100200/customers/15615616")).await.status, 200);
}

#[tokio::test]
async fn upstream_requests_in_flight_are_capped_and_the_queue_has_a_deadline() {
    let upstream = counting_upstream(Duration::from_secs(3), |_| (200, Vec::new(), "{}".to_owned())).await;
    let app = proxy_with(
        &upstream.base,
        &[("PROXY_MAX_UPSTREAM_CONCURRENCY", "2"), ("PROXY_UPSTREAM_QUEUE_TIMEOUT_MS", "200")],
    );
    let customer = "/billing/customer/v1/100200/customers/15615616";
    let slow: Vec<_> = (0..2).map(|_| tokio::spawn(send_owned(app.clone(), get(customer)))).collect();
    while upstream.seen.load(Ordering::SeqCst) < 2 {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let started = std::time::Instant::now();
    let third = send(&app, get(customer)).await;
    let waited = started.elapsed();
    assert_eq!(third.status, 503, "{}", third.text());
    assert_eq!(third.header("retry-after"), Some("1"));
    assert_eq!(third.problem().problem_type.as_deref(), Some("billing/proxy/problems/upstream-busy"));
    assert!(waited >= Duration::from_millis(200), "it waited for the deadline: {waited:?}");
    for answer in slow {
        assert_eq!(answer.await.unwrap().status, 200);
    }
    assert_eq!(upstream.seen.load(Ordering::SeqCst), 2, "the third never reached the upstream");
    assert_eq!(upstream.most_at_once.load(Ordering::SeqCst), 2);
    // Once they are done, a turn is free again.
    let fast = proxy_with(&upstream.base, &[("PROXY_MAX_UPSTREAM_CONCURRENCY", "1")]);
    assert_eq!(send(&fast, get(customer)).await.status, 200);
}

async fn send_owned(app: billing_proxy::App, request: Request<Body>) -> Answer {
    send(&app, request).await
}

#[tokio::test]
async fn a_request_body_that_stalls_gets_408_within_the_timeout() {
    let upstream = MockUpstream::start(Reply::json(200, "{}")).await;
    let address = served(proxy_with(&upstream.base, &[("PROXY_BODY_READ_TIMEOUT_MS", "300")])).await;
    let mut tcp = tokio::net::TcpStream::connect(address).await.unwrap();
    let head = format!(
        "POST /billing/customer/v1/100200/customers/15615616/recurring-products HTTP/1.1\r\nhost: {HOST}\r\n\
         origin: http://{HOST}\r\nx-billing-csrf: 1\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{{\"quantity\""
    );
    tcp.write_all(head.as_bytes()).await.unwrap();
    let started = std::time::Instant::now();
    let mut answer = vec![0u8; 4096];
    let read = tokio::time::timeout(Duration::from_secs(10), tcp.read(&mut answer)).await.expect("answered in time");
    let answer = String::from_utf8_lossy(&answer[..read.unwrap()]).into_owned();
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("billing/proxy/problems/request-timeout"), "{answer}");
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert!(upstream.received().is_empty(), "nothing went upstream");
}

#[tokio::test]
async fn connections_over_the_cap_wait_until_one_closes() {
    let upstream = MockUpstream::start(Reply::json(200, "{}")).await;
    let address = served(proxy_with(&upstream.base, &[("PROXY_MAX_CONNECTIONS", "2")])).await;
    let request = format!("GET /billing/customer/v1/100200/customers/15615616 HTTP/1.1\r\nhost: {HOST}\r\n\r\n");
    let answered = |mut tcp: tokio::net::TcpStream, within: Duration| {
        let request = request.clone();
        async move {
            tcp.write_all(request.as_bytes()).await.unwrap();
            let mut buffer = vec![0u8; 4096];
            let read = tokio::time::timeout(within, tcp.read(&mut buffer)).await;
            (
                read.is_ok_and(|n| n.is_ok_and(|n| String::from_utf8_lossy(&buffer[..n]).starts_with("HTTP/1.1 200"))),
                tcp,
            )
        }
    };
    let (first_ok, first) =
        answered(tokio::net::TcpStream::connect(address).await.unwrap(), Duration::from_secs(10)).await;
    let (second_ok, _second) =
        answered(tokio::net::TcpStream::connect(address).await.unwrap(), Duration::from_secs(10)).await;
    assert!(first_ok && second_ok, "two connections are served");
    let third = tokio::net::TcpStream::connect(address).await.unwrap(); // in the listen backlog
    let waiting = tokio::spawn(answered(third, Duration::from_secs(20)));
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(!waiting.is_finished(), "a third connection is not served while two are open");
    drop(first);
    let (third_ok, _third) = waiting.await.unwrap();
    assert!(third_ok, "served once one closed");
}
