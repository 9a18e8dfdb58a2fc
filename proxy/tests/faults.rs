//! Faults: the proxy in front of the sandbox made slow, failing and garbling, in front of
//! nothing, and in front of a connection that breaks once; and the sandbox's own links
//! (special identifiers, paging) followed through the proxy.

mod common;

use billing_sandbox::fault::Fault;
use common::*;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The sandbox with its demo data on a free port, misbehaving as `fault` says; its base URL.
async fn sandbox(fault: Fault) -> String {
    let config =
        billing_sandbox::Config { token: TOKEN.into(), faults: fault.into(), ..billing_sandbox::Config::default() };
    let app = billing_sandbox::app(billing_sandbox::AppState::demo(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    base
}

fn proxy_with_timeout(upstream: &str, timeout_ms: &str) -> billing_proxy::App {
    let config =
        config_with(upstream, std::path::Path::new("/nonexistent"), &[("PROXY_UPSTREAM_TIMEOUT_MS", timeout_ms)]);
    billing_proxy::app(&config).unwrap()
}

const CUSTOMER: &str = "/billing/customer/v1/100200/customers/15615616";

#[tokio::test]
async fn a_slow_sandbox_is_a_504_within_the_timeout() {
    let app = proxy_with_timeout(&sandbox(Fault::Slow(Duration::from_secs(3))).await, "300");
    let started = Instant::now();
    let answer = send(&app, get(CUSTOMER)).await;
    assert_eq!(answer.status, 504);
    assert!(started.elapsed() < Duration::from_millis(1500), "{:?}", started.elapsed());
    let problem = answer.problem();
    assert_eq!(problem.problem_type.as_deref(), Some("billing/proxy/problems/upstream-timeout"));
    assert_eq!(problem.instance.as_deref(), Some(answer.request_id()));
}

#[tokio::test]
async fn a_failing_sandbox_s_problem_passes_through_unchanged() {
    let app = proxy_with_timeout(&sandbox(Fault::Failing).await, "2000");
    let answer = send(&app, get(CUSTOMER)).await;
    assert_eq!(answer.status, 503);
    assert_eq!(answer.header("content-type"), Some("application/problem+json"));
    assert_eq!(answer.problem().instance.as_deref(), Some("sandbox-fault"));
}

#[tokio::test]
async fn a_garbling_sandbox_is_a_502_problem() {
    let app = proxy_with_timeout(&sandbox(Fault::Garbling).await, "2000");
    let answer = send(&app, get(CUSTOMER)).await;
    assert_eq!(answer.status, 502);
    let problem = answer.problem();
    assert_eq!(problem.problem_type.as_deref(), Some("billing/proxy/problems/upstream-garbled"));
    assert_eq!(problem.instance.as_deref(), Some(answer.request_id()));
}

/// An upstream whose first connection is dropped unanswered; later ones get `{}`. Returns its
/// base URL and the number of connections it accepted.
async fn breaks_once() -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let connections = Arc::new(AtomicUsize::new(0));
    let counter = connections.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else { return };
            let n = counter.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                let mut buffer = [0u8; 4096];
                let _ = socket.read(&mut buffer).await;
                if n > 0 {
                    let reply = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}";
                    let _ = socket.write_all(reply.as_bytes()).await;
                }
            });
        }
    });
    (base, connections)
}

#[tokio::test]
async fn a_get_is_retried_once_after_a_broken_connection() {
    let (base, connections) = breaks_once().await;
    let answer = send(&proxy_with_timeout(&base, "2000"), get(CUSTOMER)).await;
    assert_eq!(answer.status, 200, "{}", answer.text());
    assert_eq!(connections.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_write_is_never_retried() {
    let (base, connections) = breaks_once().await;
    let products = format!("{CUSTOMER}/recurring-products");
    let answer = send(&proxy_with_timeout(&base, "2000"), write("POST", &products, PRODUCT_INPUT)).await;
    assert_eq!(answer.status, 502);
    assert_eq!(connections.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn sandbox_links_with_special_identifiers_and_pages_are_followed_through_the_proxy() {
    let app = proxy_with_timeout(&sandbox(Fault::None).await, "5000");
    let special = billing_contract::paths::customer(OWNER, billing_sandbox::SPECIAL_CUSTOMER);
    let answer = send(&app, get(&special)).await;
    assert_eq!(answer.status, 200, "{}", answer.text());
    let customer: billing_contract::Customer = serde_json::from_slice(&answer.body).unwrap();
    assert_eq!(customer.customer_no, billing_sandbox::SPECIAL_CUSTOMER);

    // The private customer's twelve invoices, one page at a time, by following `next`.
    let mut next = Some(format!("{}&pageSize=5", billing_contract::paths::invoices_of_customer(OWNER, "15615616")));
    let mut invoices = 0;
    while let Some(target) = next {
        let answer = send(&app, get(&target)).await;
        assert_eq!(answer.status, 200, "{target}: {}", answer.text());
        let page: billing_contract::Collection<billing_contract::Invoice> =
            serde_json::from_slice(&answer.body).unwrap();
        invoices += page.items.len();
        next = page.navigation.next.map(|link| link.as_str().to_owned());
    }
    assert_eq!(invoices, 12);
}
