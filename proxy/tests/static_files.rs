//! The widget's bundle (precompression, caching, security headers), health, readiness and
//! metrics, and what is not forwarded.

mod common;

use axum::body::Body;
use common::*;

#[tokio::test]
async fn root_serves_index_html() {
    let app = billing_proxy::app(&config(&closed_upstream(), &bundle_dir("index"))).unwrap();
    let answer = send(&app, get("/")).await;
    assert_eq!(answer.status, 200);
    assert!(answer.header("content-type").unwrap().starts_with("text/html"));
    assert_eq!(answer.text(), "<!doctype html><title>Billing</title>");
    assert!(answer.headers.contains_key("x-request-id"));
}

#[tokio::test]
async fn files_are_served_with_their_content_type() {
    let app = billing_proxy::app(&config(&closed_upstream(), &bundle_dir("types"))).unwrap();
    let wasm = send(&app, get("/pkg/widget_bg.wasm")).await;
    assert_eq!(wasm.status, 200);
    assert_eq!(wasm.header("content-type"), Some("application/wasm"));
    assert_eq!(&wasm.body[..], b"\0asm\x01\0\0\0");
    let css = send(&app, get("/style.css")).await;
    assert_eq!(css.header("content-type"), Some("text/css"));
}

#[tokio::test]
async fn missing_files_are_404_without_fallback() {
    let app = billing_proxy::app(&config(&closed_upstream(), &bundle_dir("missing"))).unwrap();
    assert_eq!(send(&app, get("/nope.js")).await.status, 404);
    assert_eq!(send(&app, get("/invoices/603010")).await.status, 404);
}

#[tokio::test]
async fn other_billing_paths_are_not_forwarded() {
    let upstream = MockUpstream::start(Reply::json(200, "{}")).await;
    let app = billing_proxy::app(&config(&upstream.base, &bundle_dir("other"))).unwrap();
    for target in ["/billing/other/v1/x", "/billing/customer/v2/1/customers", "/billing/customer/v1"] {
        assert_eq!(send(&app, get(target)).await.status, 404, "{target}");
    }
    assert!(upstream.received().is_empty());
}

#[tokio::test]
async fn healthz_answers_ok() {
    let answer = send(&proxy(&closed_upstream()), get("/healthz")).await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.text(), "ok");
}

/// A bundle as Trunk writes it: hashed names, an inline start-up script, precompressed siblings.
fn trunk_bundle(name: &str) -> std::path::PathBuf {
    let dir = bundle_dir(name);
    std::fs::write(dir.join("index.html"), "<html><script type=\"module\">init()</script></html>").unwrap();
    std::fs::write(dir.join("app-0123456789abcdef.js"), "export default 1;").unwrap();
    std::fs::write(dir.join("app-0123456789abcdef.js.br"), "brotli-bytes").unwrap();
    std::fs::write(dir.join("app-0123456789abcdef.js.gz"), "gzip-bytes").unwrap();
    std::fs::write(dir.join("app-0123456789abcdef_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
    dir
}

fn static_proxy(dir: &std::path::Path, vars: &[(&str, &str)]) -> billing_proxy::App {
    billing_proxy::app(&config_with(&closed_upstream(), dir, vars)).unwrap()
}

#[tokio::test]
async fn precompressed_files_are_chosen_by_accept_encoding() {
    let app = static_proxy(&trunk_bundle("precompressed"), &[]);
    let js = "/app-0123456789abcdef.js";
    let with =
        |encoding: &'static str| request("GET", js).header("accept-encoding", encoding).body(Body::empty()).unwrap();
    let br = send(&app, with("gzip, br")).await;
    assert_eq!((br.header("content-encoding"), br.text()), (Some("br"), "brotli-bytes"));
    let gzip = send(&app, with("gzip")).await;
    assert_eq!((gzip.header("content-encoding"), gzip.text()), (Some("gzip"), "gzip-bytes"));
    let plain = send(&app, get(js)).await;
    assert_eq!((plain.header("content-encoding"), plain.text()), (None, "export default 1;"));
    assert!(plain.header("content-type").unwrap().contains("javascript"));
}

#[tokio::test]
async fn hashed_files_are_immutable_and_others_revalidated_with_an_etag() {
    let app = static_proxy(&trunk_bundle("caching"), &[]);
    let wasm = send(&app, get("/app-0123456789abcdef_bg.wasm")).await;
    assert_eq!(wasm.header("content-type"), Some("application/wasm"));
    assert_eq!(wasm.header("cache-control"), Some("public, max-age=31536000, immutable"));

    let index = send(&app, get("/")).await;
    assert_eq!(index.header("cache-control"), Some("no-cache"));
    let etag = index.header("etag").expect("index.html has an ETag").to_owned();
    let again = request("GET", "/").header("if-none-match", etag.as_str()).body(Body::empty()).unwrap();
    let not_modified = send(&app, again).await;
    assert_eq!(not_modified.status, 304);
    assert!(not_modified.body.is_empty());
    assert_eq!(not_modified.header("etag"), Some(etag.as_str()));
    let stale = request("GET", "/").header("if-none-match", "W/\"other\"").body(Body::empty()).unwrap();
    assert_eq!(send(&app, stale).await.status, 200);
}

#[tokio::test]
async fn security_headers_allow_the_inline_start_script_by_hash_and_wasm() {
    let app = static_proxy(&trunk_bundle("csp"), &[("PROXY_FRAME_ANCESTORS", "'self' https://crm.example.com")]);
    for target in ["/", "/billing/customer/v1/100200/customers/..", "/nope"] {
        let answer = send(&app, get(target)).await;
        let csp = answer.header("content-security-policy").expect("CSP on every response");
        assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-"), "{csp}");
        assert!(csp.contains("frame-ancestors 'self' https://crm.example.com"), "{csp}");
        assert_eq!(answer.header("x-content-type-options"), Some("nosniff"));
        assert_eq!(answer.header("referrer-policy"), Some("same-origin"));
    }
    // The hash is that of the inline script's text.
    use base64::Engine;
    let digest = ring::digest::digest(&ring::digest::SHA256, b"init()");
    let expected = base64::engine::general_purpose::STANDARD.encode(digest.as_ref());
    let answer = send(&app, get("/")).await;
    assert!(answer.header("content-security-policy").unwrap().contains(&format!("'sha256-{expected}'")));
}

#[tokio::test]
async fn metrics_count_api_requests_by_route_template_and_upstream_status() {
    let upstream = MockUpstream::start(Reply::json(200, "{}")).await;
    let (app, admin) = proxy_and_admin(&upstream.base);
    send(&app, get("/billing/invoice/v1/100200/invoices/603001")).await;
    send(&app, get("/billing/invoice/v1/100200/invoices/603002")).await;
    send(&app, get("/billing/invoice/v1/100200/nothing")).await;
    let metrics = send(&admin, get("/metrics")).await;
    assert_eq!(metrics.status, 200);
    let text = metrics.text();
    let series =
        r#"route="/billing/invoice/v1/{ownerNo}/invoices/{invoiceNo}",method="GET",status="200",upstream_status="200""#;
    assert!(text.contains(&format!("billing_proxy_requests_total{{{series}}} 2")), "{text}");
    assert!(text.contains(&format!("billing_proxy_request_duration_seconds_count{{{series}}} 2")), "{text}");
    assert!(text.contains(r#"route="refused",method="GET",status="404",upstream_status="none""#), "{text}");
    assert!(!text.contains("603001"), "identifiers stay out of metrics");
}

#[tokio::test]
async fn readyz_tells_whether_the_upstream_answers() {
    let upstream = MockUpstream::start(Reply::json(404, "{}")).await;
    let (_, admin) = proxy_and_admin(&upstream.base);
    let ready = send(&admin, get("/readyz")).await;
    assert_eq!((ready.status.as_u16(), ready.text()), (200, "ready"));
    let (_, admin) = proxy_and_admin(&closed_upstream());
    let down = send(&admin, get("/readyz")).await;
    assert_eq!(down.status, 503);
    assert!(down.text().contains("unreachable"), "{}", down.text());
}

#[tokio::test]
async fn readyz_asks_the_upstream_once_per_window_however_often_it_is_called() {
    let upstream = MockUpstream::start(Reply::json(404, "{}").delayed(std::time::Duration::from_millis(50))).await;
    let (_, admin) = proxy_and_admin(&upstream.base);
    // Concurrent probes while the first check is under way, then more after it.
    let concurrent = (0..20).map(|_| {
        let admin = admin.clone();
        tokio::spawn(async move { send(&admin, get("/readyz")).await.status.as_u16() })
    });
    for probe in concurrent.collect::<Vec<_>>() {
        assert_eq!(probe.await.unwrap(), 200);
    }
    for _ in 0..20 {
        assert_eq!(send(&admin, get("/readyz")).await.status, 200);
    }
    assert_eq!(upstream.received().len(), 1, "40 probes within {:?}", billing_proxy::health::READY_CHECK_REUSE);
}

#[tokio::test]
async fn metrics_and_readyz_are_on_the_admin_listener_only() {
    let upstream = MockUpstream::start(Reply::json(200, "{}")).await;
    let (app, admin) = proxy_and_admin(&upstream.base);
    for path in ["/metrics", "/readyz"] {
        assert_eq!(send(&app, get(path)).await.status, 404, "{path} on the public listener");
        assert_eq!(send(&admin, get(path)).await.status, 200, "{path} on the admin listener");
    }
    assert_eq!(send(&app, get("/healthz")).await.text(), "ok");
    assert_eq!(send(&admin, get("/healthz")).await.text(), "ok");
    // The admin listener forwards nothing.
    let before = upstream.received().len();
    let api = send(&admin, get("/billing/customer/v1/100200/customers/15615616")).await;
    assert_eq!(api.status, 404);
    assert_eq!(upstream.received().len(), before);
}
