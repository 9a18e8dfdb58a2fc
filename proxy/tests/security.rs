//! The security suite: a table of hostile requests, each of which must be refused with the
//! expected status and a problem, without the request reaching the upstream (a counting fake
//! upstream records every request it gets).

mod common;

use axum::body::Body;
use axum::http::Request;
use billing_proxy::session::{Scope, Session, SessionKey};
use common::*;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

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
    let cases = vec![case("write in read-only mode", 403, write("POST", products, "{}"))];
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
        case("other customer", 403, empty(with_session("GET", theirs, &read))),
        case(
            "other customer's products",
            403,
            empty(with_session("GET", &format!("{theirs}/recurring-products"), &read)),
        ),
        case(
            "other customer's subscription",
            403,
            empty(with_session("GET", &format!("{theirs}/subscriptions/S1/recurring-products?page=2"), &read)),
        ),
        case(
            "other customer's invoices",
            403,
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
    assert_eq!(answer.problem().problem_type.as_deref(), Some("billing/invoice/problems/invoice-not-found"));
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
