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

/// A session token issued now (or 600 s before `exp` if that is earlier), for the default
/// audience.
fn token(owner: &str, customer: &str, scope: Scope, exp: u64, key: &str) -> String {
    token_for_audience(owner, customer, scope, exp, key, "billing-proxy")
}

fn token_for_audience(owner: &str, customer: &str, scope: Scope, exp: u64, key: &str, audience: &str) -> String {
    let session = Session {
        sub: format!("user-of-{customer}"),
        owner_no: owner.into(),
        customer_no: customer.into(),
        scope,
        iat: now().min(exp.saturating_sub(600)),
        nbf: None,
        exp,
    };
    SessionKey::hs256(key.as_bytes(), audience, Duration::from_secs(3600)).unwrap().sign(&session).unwrap()
}

fn my_token(scope: Scope) -> String {
    token(OWNER, MINE, scope, now() + 600, SESSION_KEY)
}

/// A hostile request: what it is, how it is built, the status it must get, and the upstream
/// requests the proxy may make to check it (an ownership lookup), which are not the request
/// reaching the upstream.
struct Case {
    name: &'static str,
    request: Request<Body>,
    status: u16,
    lookups: Vec<String>,
}

fn case(name: &'static str, status: u16, request: Request<Body>) -> Case {
    Case { name, request, status, lookups: Vec::new() }
}

impl Case {
    /// The upstream `GET`s (raw path and query) the proxy may send to decide this case.
    #[allow(dead_code)] // used by the suites whose checks look ownership up
    fn with_lookups(mut self, targets: &[&str]) -> Case {
        self.lookups = targets.iter().map(|target| (*target).to_owned()).collect();
        self
    }
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

/// One row of the printed table.
struct Row {
    name: &'static str,
    expected: u16,
    got: u16,
    problem_with_id: bool,
    reached: usize,
}

/// Sends every case, prints the suite's table (request, status expected and got, whether the
/// answer is a problem carrying its request id, how many requests other than the case's allowed
/// lookups reached the upstream) and its totals, then fails on any row that is wrong: a refused
/// request must never reach the upstream. `scripts/test.sh` shows these tables in CI.
async fn assert_refused_upstream_untouched(app: &billing_proxy::App, upstream: &MockUpstream, cases: Vec<Case>) {
    let mut rows = Vec::with_capacity(cases.len());
    for Case { name, request, status, lookups } in cases {
        let before = upstream.received().len();
        let answer = send(app, request).await;
        let problem_with_id = answer.header("content-type") == Some("application/problem+json")
            && serde_json::from_slice::<billing_contract::Problem>(&answer.body)
                .is_ok_and(|problem| problem.instance.as_deref() == answer.header("x-request-id"));
        let mut allowed = lookups;
        let reached = upstream.received()[before..]
            .iter()
            .filter(|received| {
                let lookup = received.method == "GET" && allowed.contains(&received.target);
                allowed.retain(|target| !(lookup && *target == received.target));
                !lookup
            })
            .count();
        rows.push(Row { name, expected: status, got: answer.status.as_u16(), problem_with_id, reached });
    }
    let suite = std::thread::current().name().unwrap_or("hostile requests").to_owned();
    let refused = rows.iter().filter(|row| row.got >= 400).count();
    let reached = rows.iter().filter(|row| row.reached > 0).count();
    let mut table =
        format!("\n{suite}\n  {:<52} {:>8} {:>4} {:>7} {:>8}\n", "request", "expected", "got", "problem", "upstream");
    for row in &rows {
        let verdict =
            if row.got == row.expected && row.problem_with_id && row.reached == 0 { "" } else { "  <-- WRONG" };
        table += &format!(
            "  {:<52} {:>8} {:>4} {:>7} {:>8}{verdict}\n",
            row.name,
            row.expected,
            row.got,
            if row.problem_with_id { "yes" } else { "no" },
            row.reached
        );
    }
    table += &format!("  tried {}, refused {refused}, reached upstream {reached}\n", rows.len());
    println!("{table}");
    for row in &rows {
        assert_eq!(row.got, row.expected, "{}: wrong status{table}", row.name);
        assert!(row.problem_with_id, "{}: not a problem with the request id as instance{table}", row.name);
        assert_eq!(row.reached, 0, "{} reached the upstream{table}", row.name);
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
        case(
            "escaped dot segments in an identifier",
            400,
            get("/billing/customer/v1/100200/customers/15615616/subscriptions/..%2F..%2F5566778899"),
        ),
        case(
            "escaped dot segments in a product number",
            400,
            json("PUT", "/billing/customer/v1/100200/customers/15615616/recurring-products/.%2F..%2F..%2F1")
                .body(Body::from("{}"))
                .unwrap(),
        ),
        case("control character in an identifier", 400, get("/billing/customer/v1/100200/customers/1%09")),
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
            "write whose Origin is its own Host but not an allowed origin (DNS rebinding)",
            403,
            request("POST", products)
                .header("host", "rebound.example")
                .header("origin", "http://rebound.example")
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
    let cases = vec![case("write in read-only mode", 403, write("POST", products, PRODUCT_INPUT))];
    assert_refused_upstream_untouched(&app, &upstream, cases).await;
    assert_eq!(send(&app, get(products)).await.status, 200);
}

#[tokio::test]
async fn without_allowed_origins_every_write_is_refused() {
    let upstream = MockUpstream::start(Reply::json(200, "{}")).await;
    let vars = [
        ("PROXY_ACCESS", "signed-session"),
        ("PROXY_SESSION_KEY", SESSION_KEY),
        ("PROXY_TRUSTED_SCOPE", ""),
        ("PROXY_ALLOWED_ORIGINS", ""),
    ];
    let app = billing_proxy::app(&config_with(&upstream.base, std::path::Path::new("/nonexistent"), &vars)).unwrap();
    let products = "/billing/customer/v1/100200/customers/15615616/recurring-products";
    let token = my_token(Scope::ReadWrite);
    let answer = send(&app, session_write("POST", products, &token, "{}")).await;
    assert_eq!(answer.status, 403);
    let detail = answer.problem().detail.unwrap_or_default();
    assert!(detail.contains("allowed-origins"), "{detail}");
    assert_eq!(send(&app, empty(with_session("GET", products, &token))).await.status, 200, "reads still pass");
    assert_eq!(upstream.received().len(), 1, "only the read reached the upstream");
}

#[tokio::test]
async fn a_trusted_user_header_sent_twice_or_odd_is_refused() {
    let upstream = MockUpstream::start(Reply::json(200, "{}")).await;
    let vars = [("PROXY_TRUSTED_USER_HEADER", "x-remote-user")];
    let app = billing_proxy::app(&config_with(&upstream.base, std::path::Path::new("/nonexistent"), &vars)).unwrap();
    let customer = "/billing/customer/v1/100200/customers/15615616";
    let cases = vec![
        case(
            "user header appended to, not overwritten",
            403,
            empty(browser("GET", customer).header("x-remote-user", "admin").header("x-remote-user", "agent-7")),
        ),
        case(
            "user header with a comma",
            403,
            empty(browser("GET", customer).header("x-remote-user", "admin, agent-7")),
        ),
        case("user header with a space", 403, empty(browser("GET", customer).header("x-remote-user", "agent 7"))),
    ];
    assert_refused_upstream_untouched(&app, &upstream, cases).await;
    let one = send(&app, empty(browser("GET", customer).header("x-remote-user", "agent-7"))).await;
    assert_eq!(one.status, 200);
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
        // My token's signature on a header and payload naming another customer.
        let (_, signature) = read.rsplit_once('.').unwrap();
        let theirs = token(OWNER, "5566778899", Scope::Read, now() + 600, SESSION_KEY);
        let (signed_part, _) = theirs.rsplit_once('.').unwrap();
        format!("{signed_part}.{signature}")
    };
    let not_yet_valid = {
        let session = Session {
            sub: "early".into(),
            owner_no: OWNER.into(),
            customer_no: MINE.into(),
            scope: Scope::Read,
            iat: now() + 300,
            nbf: None,
            exp: now() + 600,
        };
        SessionKey::new(SESSION_KEY.as_bytes(), Duration::from_secs(3600)).unwrap().sign(&session).unwrap()
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
            "expired (beyond the leeway)",
            401,
            empty(with_session("GET", mine, &token(OWNER, MINE, Scope::Read, now() - 60, SESSION_KEY))),
        ),
        case("not yet valid (issued in the future)", 401, empty(with_session("GET", mine, &not_yet_valid))),
        case(
            "another audience",
            401,
            empty(with_session(
                "GET",
                mine,
                &token_for_audience(OWNER, MINE, Scope::Read, now() + 600, SESSION_KEY, "another-service"),
            )),
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
    let products = "/billing/customer/v1/100200/customers/15615616/recurring-products";
    let list = Reply::json(200, r#"{"items":[{"recurringProductNo":"1001"}]}"#);
    let upstream = MockUpstream::routed(Reply::json(200, "{}"), vec![(products, list)]).await;
    let app = session_proxy(&upstream.base);
    let token = my_token(Scope::ReadWrite);
    let list = "/billing/invoice/v1/100200/invoices?customerNo=15615616&page=2";
    assert_eq!(send(&app, empty(with_session("GET", list, &token))).await.status, 200);
    let product = "/billing/customer/v1/100200/customers/15615616/recurring-products/1001";
    assert_eq!(send(&app, session_write("PUT", product, &token, PRODUCT_INPUT)).await.status, 200);
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

// ---- Issue 19, items 2 and 3: write bodies are the contract's inputs; a session's writes and
// invoice lists are checked against its customer's own data. ----

const PRODUCTS: &str = "/billing/customer/v1/100200/customers/15615616/recurring-products";
const SUBSCRIPTIONS: &str = "/billing/customer/v1/100200/customers/15615616/subscriptions";
const SUBSCRIPTION_PRODUCTS: &str =
    "/billing/customer/v1/100200/customers/15615616/subscriptions/S1/recurring-products";

/// Every write route that takes a body, with a body the contract accepts, as forwarded.
fn write_routes() -> Vec<(&'static str, String, &'static str)> {
    vec![
        ("POST", "/billing/customer/v1/100200/customers".to_owned(), r#"{"customerNo":"15615616"}"#),
        ("POST", SUBSCRIPTIONS.to_owned(), r#"{"subscriptionNo":"S2","description":"Mobil","startDate":"2026-01-01"}"#),
        ("POST", PRODUCTS.to_owned(), PRODUCT_INPUT),
        ("PUT", format!("{PRODUCTS}/1001"), PRODUCT_INPUT),
        ("POST", SUBSCRIPTION_PRODUCTS.to_owned(), PRODUCT_INPUT),
        ("PUT", format!("{SUBSCRIPTION_PRODUCTS}/1001"), PRODUCT_INPUT),
    ]
}

#[tokio::test]
async fn write_bodies_beyond_the_contracts_input_never_reach_the_upstream() {
    let upstream = MockUpstream::start(Reply::json(200, "{}")).await;
    let app = proxy(&upstream.base);
    let product = format!("{PRODUCTS}/1001");
    let customers = "/billing/customer/v1/100200/customers";
    let with = |extra: &str| PRODUCT_INPUT.replacen('{', &format!("{{{extra},"), 1);
    // (name, method, target, body, the field the problem must name)
    let mut hostile: Vec<(String, &str, String, String, &str)> = vec![
        (
            "PUT with customerNo (mass assignment)".into(),
            "PUT",
            product.clone(),
            with(r#""customerNo":"5566778899""#),
            "customerNo",
        ),
        ("PUT with quantity twice".into(), "PUT", product.clone(), with(r#""quantity":500"#), "quantity"),
        ("PUT with quantity twice, escaped".into(), "PUT", product.clone(), with(r#""quantit\u0079":500"#), "quantity"),
        (
            "PUT with @id".into(),
            "PUT",
            product.clone(),
            with(r#""@id":"/billing/customer/v1/100200/customers/5566778899""#),
            "@id",
        ),
        (
            "PUT with recurringProductNo".into(),
            "PUT",
            product.clone(),
            with(r#""recurringProductNo":"2002""#),
            "recurringProductNo",
        ),
        ("PUT with operations".into(), "PUT", product.clone(), with(r#""operations":[]"#), "operations"),
        (
            "PUT with unknown periodicity".into(),
            "PUT",
            product.clone(),
            PRODUCT_INPUT.replace("monthly", "biweekly"),
            "periodicity",
        ),
        (
            "PUT with amount out of range".into(),
            "PUT",
            product.clone(),
            PRODUCT_INPUT.replace("199.5", "1e20"),
            "unitPrice",
        ),
        (
            "PUT without unitPrice".into(),
            "PUT",
            product.clone(),
            PRODUCT_INPUT.replace(r#""unitPrice":199.5,"#, ""),
            "unitPrice",
        ),
        (
            "subscription with customerNo".into(),
            "POST",
            SUBSCRIPTIONS.into(),
            r#"{"subscriptionNo":"S2","customerNo":"1"}"#.into(),
            "customerNo",
        ),
        (
            "customer with ownerNo".into(),
            "POST",
            customers.into(),
            r#"{"customerNo":"1","ownerNo":"999"}"#.into(),
            "ownerNo",
        ),
        (
            "customer number outside the pattern".into(),
            "POST",
            customers.into(),
            r#"{"customerNo":"a?b"}"#.into(),
            "customerNo",
        ),
    ];
    // Every write route refuses a repeated field.
    for (method, target, body) in write_routes() {
        let first = body.split('"').nth(1).unwrap().to_owned();
        let repeated = body.replacen('{', &format!(r#"{{"{first}":"1","#), 1);
        let name = format!("{method} …{} with {first} twice", &target[target.len() - 20..]);
        let field: &str = Box::leak(first.into_boxed_str());
        hostile.push((name, method, target, repeated, field));
    }
    let cases = hostile
        .iter()
        .map(|(name, method, target, body, _)| {
            case(Box::leak(name.clone().into_boxed_str()), 400, write(method, target, body))
        })
        .collect();
    assert_refused_upstream_untouched(&app, &upstream, cases).await;
    for (name, method, target, body, field) in &hostile {
        let problem = send(&app, write(method, target, body)).await.problem();
        assert_eq!(problem.problem_type.as_deref(), Some("billing/proxy/problems/invalid-body"), "{name}");
        assert_eq!(problem.problems.first().map(|p| p.field.as_str()), Some(*field), "{name}: {problem:?}");
    }
    let answer = send(&app, write("PUT", &product, "[1]")).await;
    assert_eq!((answer.status.as_u16(), answer.problem().problems.len()), (400, 0), "not an object");
    assert!(upstream.received().is_empty());
}

#[tokio::test]
async fn every_write_route_forwards_its_body_as_the_contract_writes_it() {
    let upstream = MockUpstream::start(Reply::json(201, "{}")).await;
    let app = proxy(&upstream.base);
    for (method, target, canonical) in write_routes() {
        // The same input, members reversed and spaced: what arrives is the canonical text.
        let members: serde_json::Map<String, serde_json::Value> = serde_json::from_str(canonical).unwrap();
        let reversed: Vec<String> = members
            .iter()
            .rev()
            .map(|(key, value)| {
                format!("  {key:?} :  {}", if key == "unitPrice" { "199.50".to_owned() } else { value.to_string() })
            })
            .collect();
        let sent = format!("{{\n{}\n}}", reversed.join(",\n"));
        let before = upstream.received().len();
        let answer = send(&app, write(method, &target, &sent)).await;
        assert_eq!(answer.status, 201, "{method} {target}: {}", answer.text());
        let received = &upstream.received()[before..];
        assert_eq!(received.len(), 1);
        assert_eq!(std::str::from_utf8(&received[0].body).unwrap(), canonical, "{method} {target}");
    }
    // A large amount with more digits than a double holds arrives with every digit.
    let big = PRODUCT_INPUT.replace("199.5", "123456789012345.6789");
    assert_eq!(send(&app, write("PUT", &format!("{PRODUCTS}/1001"), &big)).await.status, 201);
    assert_eq!(upstream.received().last().unwrap().body, big);
}

/// A session proxy whose upstream lists S1 as the customer's subscription, 1001 on it and
/// 1001 on the customer, and answers everything else with `{}`.
async fn upstream_with_my_lists() -> MockUpstream {
    MockUpstream::routed(
        Reply::json(200, "{}"),
        vec![
            (SUBSCRIPTIONS, Reply::json(200, r#"{"items":[{"subscriptionNo":"S1"}],"navigation":{"next":"/billing/customer/v1/100200/customers/15615616/subscriptions?page=2"}}"#)),
            ("/billing/customer/v1/100200/customers/15615616/subscriptions?page=2", Reply::json(200, r#"{"items":[{"subscriptionNo":"S3"}]}"#)),
            (SUBSCRIPTION_PRODUCTS, Reply::json(200, r#"{"items":[{"recurringProductNo":"1001"}]}"#)),
            (PRODUCTS, Reply::json(200, r#"{"items":[{"recurringProductNo":"1001"}]}"#)),
        ],
    )
    .await
}

#[tokio::test]
async fn a_session_cannot_write_to_a_subscription_or_product_not_in_its_customers_lists() {
    let upstream = upstream_with_my_lists().await;
    let app = session_proxy(&upstream.base);
    let token = my_token(Scope::ReadWrite);
    let other_subscription =
        "/billing/customer/v1/100200/customers/15615616/subscriptions/5566778899-S1/recurring-products";
    let page2 = "/billing/customer/v1/100200/customers/15615616/subscriptions?page=2";
    let both = [SUBSCRIPTIONS, page2];
    let cases = vec![
        case(
            "PUT another's product on my subscription",
            404,
            session_write("PUT", &format!("{SUBSCRIPTION_PRODUCTS}/2002"), &token, PRODUCT_INPUT),
        )
        .with_lookups(&[SUBSCRIPTIONS, page2, SUBSCRIPTION_PRODUCTS]),
        case(
            "DELETE another's product on my subscription",
            404,
            empty(
                with_session("DELETE", &format!("{SUBSCRIPTION_PRODUCTS}/2002"), &token)
                    .header("origin", format!("http://{HOST}"))
                    .header("x-billing-csrf", "1"),
            ),
        )
        .with_lookups(&[SUBSCRIPTION_PRODUCTS]),
        case(
            "PUT another's product on my customer",
            404,
            session_write("PUT", &format!("{PRODUCTS}/2002"), &token, PRODUCT_INPUT),
        )
        .with_lookups(&[PRODUCTS]),
        case(
            "POST a product on another's subscription",
            404,
            session_write("POST", other_subscription, &token, PRODUCT_INPUT),
        )
        .with_lookups(&both),
        case(
            "PUT a product of another's subscription",
            404,
            session_write("PUT", &format!("{other_subscription}/1001"), &token, PRODUCT_INPUT),
        )
        .with_lookups(&both),
    ];
    assert_refused_upstream_untouched(&app, &upstream, cases).await;
    let answer = send(&app, session_write("PUT", &format!("{PRODUCTS}/2002"), &token, PRODUCT_INPUT)).await;
    assert_eq!(answer.problem().problem_type.as_deref(), Some("billing/proxy/problems/not-found"));

    // My own are forwarded, the subscription found on the list's second page.
    let before = upstream.received().len();
    let mine = format!("{SUBSCRIPTION_PRODUCTS}/1001");
    assert_eq!(send(&app, session_write("PUT", &mine, &token, PRODUCT_INPUT)).await.status, 200);
    let on_page_two = "/billing/customer/v1/100200/customers/15615616/subscriptions/S3/recurring-products";
    assert_eq!(send(&app, session_write("POST", on_page_two, &token, PRODUCT_INPUT)).await.status, 200);
    let writes: Vec<_> =
        upstream.received()[before..].iter().filter(|r| r.method != "GET").map(|r| r.target.clone()).collect();
    assert_eq!(writes, [mine.as_str(), on_page_two]);
}

#[tokio::test]
async fn an_invoice_list_shows_a_session_only_its_customers_invoices() {
    let list = "/billing/invoice/v1/100200/invoices?customerNo=15615616";
    let page = r#"{"items":[{"invoiceNo":"603001","customerNo":"15615616","invoiceAmount":499.00},{"invoiceNo":"603099","customerNo":"5566778899","invoiceAmount":12.5},{"invoiceNo":"603002"}],"navigation":{"@id":"/billing/invoice/v1/100200/invoices?customerNo=15615616"},"extra":{"kept":1.10}}"#;
    let upstream = MockUpstream::routed(Reply::json(200, "{}"), vec![(list, Reply::json(200, page))]).await;
    let app = session_proxy(&upstream.base);
    let answer = send(&app, empty(with_session("GET", list, &my_token(Scope::Read)))).await;
    assert_eq!(answer.status, 200);
    assert_eq!(
        answer.text(),
        r#"{"items":[{"invoiceNo":"603001","customerNo":"15615616","invoiceAmount":499.00},{"invoiceNo":"603002"}],"navigation":{"@id":"/billing/invoice/v1/100200/invoices?customerNo=15615616"},"extra":{"kept":1.10}}"#
    );
    assert!(!answer.text().contains("5566778899") && !answer.text().contains("603099"));
    // The trusted mode (the host's own staff) passes the list as PayEx wrote it.
    let trusted = proxy(&upstream.base);
    assert_eq!(send(&trusted, get(list)).await.text(), page);
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
        assert!(vary.iter().flat_map(|v| v.split(", ")).any(|v| v == "x-billing-session"), "{name}: {vary:?}");
        assert!(
            vary.iter().flat_map(|v| v.split(", ")).any(|v| v == "cookie"),
            "{name}: the cookie session too: {vary:?}"
        );
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
    let answer = send(&proxy(&on_upstream.base), write("POST", products, PRODUCT_INPUT)).await;
    assert_eq!((answer.status.as_u16(), answer.header("location")), (201, Some(created)));
    for upstream in [&elsewhere, &not_forwarded] {
        let answer = send(&proxy(&upstream.base), write("POST", products, PRODUCT_INPUT)).await;
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

#[tokio::test]
async fn in_trusted_mode_payex_own_not_found_reaches_the_staff_unchanged() {
    let problem = r#"{"type":"billing/customer/problems/customer-not-found","title":"Customer not found","status":404,"instance":"payex-123"}"#;
    let upstream = MockUpstream::start(Reply::json(404, problem)).await;
    let answer = send(&proxy(&upstream.base), get("/billing/customer/v1/100200/customers/99999999")).await;
    assert_eq!(answer.status, 404);
    let received: billing_contract::Problem = serde_json::from_slice(&answer.body).unwrap();
    assert_eq!(received.title, "Customer not found");
    assert_eq!(received.instance.as_deref(), Some("payex-123"));
}
