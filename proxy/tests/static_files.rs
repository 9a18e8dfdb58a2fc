//! The widget's bundle, the health check, and what is not forwarded.

mod common;

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
