//! Forwarding to the upstream: what crosses, what does not, and the proxy's own failures.

mod common;

use axum::body::Body;
use common::*;
use std::time::{Duration, Instant};

const SPECIAL_CUSTOMER: &str = "/billing/customer/v1/100200/customers/%C3%85kesson%20%26%20Co%2F7";
const CUSTOMER_JSON: &str =
    r#"{"@id":"/billing/customer/v1/100200/customers/%C3%85kesson%20%26%20Co%2F7","customerNo":"Åkesson & Co/7"}"#;

#[tokio::test]
async fn upstream_gets_the_server_token_and_allowed_headers_only() {
    let upstream = MockUpstream::start(Reply::json(200, CUSTOMER_JSON)).await;
    let request = request("GET", SPECIAL_CUSTOMER)
        .header("authorization", "Bearer from-the-browser")
        .header("cookie", "session=abc")
        .header("accept", "application/json")
        .header("accept-language", "sv-SE")
        .header("if-none-match", "\"v1\"")
        .header("connection", "keep-alive, x-secret")
        .header("keep-alive", "timeout=5")
        .header("x-secret", "hop")
        .header("x-forwarded-for", "10.0.0.1")
        .header("origin", "https://host.example")
        .body(Body::empty())
        .unwrap();
    let answer = send(&proxy(&upstream.base), request).await;

    assert_eq!(answer.status, 200);
    assert_eq!(answer.text(), CUSTOMER_JSON);
    let received = upstream.only_request();
    assert_eq!(received.method, "GET");
    let authorization: Vec<_> = received.headers.get_all("authorization").iter().collect();
    assert_eq!(authorization, [format!("Bearer {TOKEN}").as_str()]);
    assert_eq!(received.headers["accept"], "application/json");
    assert_eq!(received.headers["accept-language"], "sv-SE");
    assert_eq!(received.headers["if-none-match"], "\"v1\"");
    for dropped in ["cookie", "keep-alive", "x-secret", "x-forwarded-for", "origin"] {
        assert!(!received.headers.contains_key(dropped), "{dropped} reached the upstream");
    }
    assert_eq!(received.headers["x-request-id"], answer.request_id());
}

#[tokio::test]
async fn encoded_identifiers_and_queries_arrive_byte_for_byte() {
    let upstream = MockUpstream::start(Reply::json(200, "{}")).await;
    let app = proxy(&upstream.base);
    let invoices = "/billing/invoice/v1/100200/invoices?customerNo=A%26B&page=2";
    for target in [SPECIAL_CUSTOMER, invoices] {
        assert_eq!(send(&app, get(target)).await.status, 200);
    }
    let targets: Vec<_> = upstream.received().into_iter().map(|r| r.target).collect();
    assert_eq!(targets, [SPECIAL_CUSTOMER, invoices]);
}

#[tokio::test]
async fn post_body_and_content_type_are_forwarded_and_location_comes_back() {
    let created = "/billing/customer/v1/100200/customers/15615616/recurring-products/1001";
    let upstream = MockUpstream::start(Reply::json(201, "{}").header("location", created)).await;
    // Sent in another order with other spacing and number forms; forwarded as the contract
    // writes it.
    let body = r#"{ "endDate": null, "startDate": "2026-01-01", "periodicity": "monthly", "vatRate": 25.00,
        "unitPrice": 199.50, "quantity": 1, "description": "Mobile 5 GB", "productNo": "MOB-5GB" }"#;
    let request = write("POST", "/billing/customer/v1/100200/customers/15615616/recurring-products", body);
    let answer = send(&proxy(&upstream.base), request).await;

    assert_eq!(answer.status, 201);
    assert_eq!(answer.header("location"), Some(created));
    let received = upstream.only_request();
    assert_eq!(received.method, "POST");
    assert_eq!(received.headers["content-type"], "application/json");
    assert_eq!(received.body, PRODUCT_INPUT);
}

#[tokio::test]
async fn put_and_delete_are_forwarded_with_their_method() {
    let upstream = MockUpstream::start(Reply::json(200, "{}")).await;
    let app = proxy(&upstream.base);
    let product = "/billing/customer/v1/100200/customers/2/recurring-products/3";
    assert_eq!(send(&app, write("PUT", product, PRODUCT_INPUT)).await.status, 200);
    let delete = request("DELETE", product)
        .header("host", HOST)
        .header("origin", format!("http://{HOST}"))
        .header("x-billing-csrf", "1")
        .body(Body::empty())
        .unwrap();
    assert_eq!(send(&app, delete).await.status, 200);
    let methods: Vec<_> = upstream.received().into_iter().map(|r| r.method).collect();
    assert_eq!(methods, ["PUT", "DELETE"]);
}

#[tokio::test]
async fn response_headers_cross_only_through_the_allowlist() {
    let reply = Reply::json(200, "{}")
        .header("etag", "\"v2\"")
        .header("cache-control", "private, max-age=0")
        .header("retry-after", "5")
        .header("set-cookie", "upstream-session=1; Secure")
        .header("www-authenticate", "Bearer realm=\"payex\"")
        .header("proxy-authenticate", "Basic")
        .header("keep-alive", "timeout=5")
        .header("x-powered-by", "payex");
    let upstream = MockUpstream::start(reply).await;
    let answer = send(&proxy(&upstream.base), get("/billing/invoice/v1/100200/invoices/603010")).await;

    assert_eq!(answer.header("content-type"), Some("application/json"));
    assert_eq!(answer.header("etag"), Some("\"v2\""));
    assert_eq!(answer.header("cache-control"), Some("private, no-store"), "the proxy's own, not the upstream's");
    assert_eq!(answer.header("retry-after"), Some("5"));
    for dropped in ["set-cookie", "www-authenticate", "proxy-authenticate", "keep-alive", "x-powered-by", "connection"]
    {
        assert!(!answer.headers.contains_key(dropped), "{dropped} reached the browser");
    }
}

#[tokio::test]
async fn upstream_problems_pass_through_unchanged() {
    // (A 404 does not: it is the proxy's uniform not-found, see tests/security.rs.)
    let problem = r#"{"Type":"billing/invoice/problems/invoice-locked","Title":"Invoice locked","Status":409,"Instance":"up-77"}"#;
    let reply = Reply { headers: vec![("content-type", "application/problem+json")], ..Reply::json(409, problem) };
    let upstream = MockUpstream::start(reply).await;
    let answer = send(&proxy(&upstream.base), get("/billing/invoice/v1/100200/invoices/404404")).await;

    assert_eq!(answer.status, 409);
    assert_eq!(answer.header("content-type"), Some("application/problem+json"));
    assert_eq!(answer.text(), problem);
}

#[tokio::test]
async fn unreachable_upstream_is_a_502_problem_with_the_request_id() {
    let answer = send(&proxy(&closed_upstream()), get(SPECIAL_CUSTOMER)).await;

    assert_eq!(answer.status, 502);
    let problem = answer.problem();
    assert_eq!(problem.problem_type.as_deref(), Some("billing/proxy/problems/upstream-unavailable"));
    assert_eq!(problem.status, Some(502));
    assert!(!problem.title.is_empty());
    assert!(problem.detail.is_some());
    assert_eq!(problem.instance.as_deref(), Some(answer.request_id()));
}

#[tokio::test]
async fn slow_upstream_is_a_504_problem_after_the_timeout() {
    let upstream = MockUpstream::start(Reply::json(200, "{}").delayed(Duration::from_secs(5))).await;
    let mut config = config(&upstream.base, std::path::Path::new("/nonexistent"));
    config.upstream_timeout = Duration::from_millis(300);
    let app = billing_proxy::app(&config).unwrap();

    let started = Instant::now();
    let answer = send(&app, get("/billing/invoice/v1/100200/invoices")).await;
    let elapsed = started.elapsed();

    assert_eq!(answer.status, 504);
    assert!(elapsed >= Duration::from_millis(300) && elapsed < Duration::from_secs(3), "{elapsed:?}");
    let problem = answer.problem();
    assert_eq!(problem.problem_type.as_deref(), Some("billing/proxy/problems/upstream-timeout"));
    assert_eq!(problem.instance.as_deref(), Some(answer.request_id()));
}

#[tokio::test]
async fn oversized_body_is_413_and_never_sent() {
    let upstream = MockUpstream::start(Reply::json(201, "{}")).await;
    let app = proxy(&upstream.base);
    let target = "/billing/customer/v1/100200/customers";
    let customer = r#"{"customerNo":"1"}"#;
    let at_limit = format!("{customer}{}", " ".repeat(1024 - customer.len()));
    assert_eq!(send(&app, write("POST", target, &at_limit)).await.status, 201);

    let over = write("POST", target, &format!("{at_limit} "));
    let answer = send(&app, over).await;
    assert_eq!(answer.status, 413);
    assert_eq!(answer.problem().problem_type.as_deref(), Some("billing/proxy/problems/payload-too-large"));
    assert_eq!(upstream.received().len(), 1);
}

#[tokio::test]
async fn dot_segments_are_refused_rather_than_leaving_the_api() {
    let upstream = MockUpstream::start(Reply::json(200, "{}")).await;
    let app = proxy(&upstream.base);
    for target in ["/billing/customer/v1/../../admin", "/billing/invoice/v1/100200/%2e%2e/%2e%2e/%2e%2e/admin"] {
        let answer = send(&app, get(target)).await;
        assert_eq!(answer.status, 400, "{target}");
        assert_eq!(answer.problem().problem_type.as_deref(), Some("billing/proxy/problems/not-allowed-by-contract"));
    }
    assert!(upstream.received().is_empty());
}

#[tokio::test]
async fn other_methods_are_405_problems() {
    let upstream = MockUpstream::start(Reply::json(200, "{}")).await;
    let app = proxy(&upstream.base);
    for method in ["PATCH", "OPTIONS"] {
        let answer = send(&app, request(method, SPECIAL_CUSTOMER).body(Body::empty()).unwrap()).await;
        assert_eq!(answer.status, 405, "{method}");
        assert_eq!(answer.header("allow"), Some("GET, POST, PUT, DELETE"));
        let problem = answer.problem();
        assert_eq!(problem.problem_type.as_deref(), Some("billing/proxy/problems/method-not-allowed"));
        assert_eq!(problem.instance.as_deref(), Some(answer.request_id()));
    }
    assert!(upstream.received().is_empty());
}

#[tokio::test]
async fn each_response_has_its_own_request_id() {
    let upstream = MockUpstream::start(Reply::json(200, "{}")).await;
    let app = proxy(&upstream.base);
    let first = send(&app, get("/billing/invoice/v1/100200/invoices")).await;
    let second = send(
        &app,
        request("GET", "/billing/invoice/v1/100200/invoices")
            .header("x-request-id", "chosen-by-client")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_ne!(first.request_id(), second.request_id());
    assert_ne!(second.request_id(), "chosen-by-client");
}

/// Through real sockets on both sides, with a real HTTP client as the browser.
#[tokio::test]
async fn end_to_end_over_tcp() {
    let upstream = MockUpstream::start(Reply::json(200, CUSTOMER_JSON)).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let proxy_base = format!("http://{}", listener.local_addr().unwrap());
    let app = proxy(&upstream.base);
    tokio::spawn(billing_proxy::serve(listener, app, std::future::pending()));

    let target = "/billing/invoice/v1/100200/invoices?customerNo=A%26B&page=2".to_owned();
    let response = reqwest::Client::new()
        .get(format!("{proxy_base}{target}"))
        .header("cookie", "session=abc")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers().contains_key("x-request-id"));
    assert_eq!(response.text().await.unwrap(), CUSTOMER_JSON);
    let received = upstream.only_request();
    assert_eq!(received.target, target);
    assert_eq!(received.headers["authorization"], format!("Bearer {TOKEN}").as_str());
    assert!(!received.headers.contains_key("cookie"));
}

#[tokio::test]
async fn a_rotated_token_file_is_used_without_restart() {
    let upstream = MockUpstream::start(Reply::json(200, "{}")).await;
    let file = std::env::temp_dir().join(format!("billing-proxy-rotation-{}", std::process::id()));
    std::fs::write(&file, "first-token\n").unwrap();
    let path = file.to_str().unwrap();
    let vars = [("PROXY_TOKEN", ""), ("PROXY_TOKEN_FILE", path), ("PROXY_TOKEN_RELOAD_MS", "20")];
    let config = config_with(&upstream.base, std::path::Path::new("/nonexistent"), &vars);
    assert_eq!(config.token_file.as_deref(), Some(file.as_path()));
    let app = billing_proxy::app(&config).unwrap();
    let target = "/billing/invoice/v1/100200/invoices/603001";
    send(&app, get(target)).await;
    std::fs::write(&file, "second-token\n").unwrap();
    let later = std::time::SystemTime::now() + Duration::from_secs(2);
    std::fs::File::options().write(true).open(&file).unwrap().set_modified(later).unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    send(&app, get(target)).await;
    let sent: Vec<_> =
        upstream.received().iter().map(|r| r.headers["authorization"].to_str().unwrap().to_owned()).collect();
    assert_eq!(sent, ["Bearer first-token", "Bearer second-token"]);
    std::fs::remove_file(file).unwrap();
}

#[tokio::test]
async fn api_answers_are_compressed_as_the_browser_accepts() {
    let page = Box::leak(
        format!(r#"{{"items":[{}]}}"#, vec![r#"{"description":"Mobile 5 GB"}"#; 200].join(",")).into_boxed_str(),
    );
    let upstream = MockUpstream::start(Reply::json(200, page)).await;
    let app = proxy(&upstream.base);
    let target = "/billing/invoice/v1/100200/invoices/603001/recurring-products";
    let compressed = request("GET", target).header("accept-encoding", "br, gzip").body(Body::empty()).unwrap();
    let answer = send(&app, compressed).await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.header("content-encoding"), Some("br"));
    assert!(answer.body.len() < page.len() / 10, "{} bytes", answer.body.len());
    assert!(!upstream.only_request().headers.contains_key("accept-encoding"), "the upstream answers identity");
    let plain = send(&app, get(target)).await;
    assert_eq!((plain.header("content-encoding"), plain.text()), (None, &*page));
}
