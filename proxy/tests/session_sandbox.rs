//! A signed session against the sandbox's real data: every link the API gives the session's
//! customer can be followed (as the widget does), and nothing of another customer can be read.

mod common;

use billing_proxy::session::{Scope, Session, SessionKey};
use common::*;
use std::collections::{HashSet, VecDeque};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const SESSION_KEY: &str = "k3y-for-tests-0123456789abcdef-0123456789";

async fn sandbox() -> String {
    let config = billing_sandbox::Config { token: TOKEN.into(), ..billing_sandbox::Config::default() };
    let app = billing_sandbox::app(billing_sandbox::AppState::demo(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    base
}

fn session_for(customer: &str) -> String {
    let exp = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() + 600;
    let session = Session { owner_no: OWNER.into(), customer_no: customer.into(), scope: Scope::Read, exp, sub: None };
    SessionKey::new(SESSION_KEY.as_bytes(), Duration::from_secs(3600)).sign(&session)
}

fn in_session(target: &str, token: &str) -> axum::http::Request<axum::body::Body> {
    request("GET", target).header("x-billing-session", token).body(axum::body::Body::empty()).unwrap()
}

/// Every `/billing/...` string in `value` except those in `operations`.
fn links(value: &serde_json::Value, found: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, value) in map {
                if key != "operations" {
                    links(value, found);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|item| links(item, found)),
        serde_json::Value::String(text) if text.starts_with("/billing/") => found.push(text.clone()),
        _ => {}
    }
}

#[tokio::test]
async fn a_session_follows_its_customers_links_and_reaches_nothing_else() {
    let upstream = sandbox().await;
    let vars = [("PROXY_ACCESS", "signed-session"), ("PROXY_SESSION_KEY", SESSION_KEY)];
    let app = billing_proxy::app(&config_with(&upstream, std::path::Path::new("/nonexistent"), &vars)).unwrap();
    let customer = billing_sandbox::SPECIAL_CUSTOMER;
    let token = session_for(customer);

    let starts = [
        billing_contract::paths::customer(OWNER, customer),
        billing_contract::paths::invoices_of_customer(OWNER, customer),
    ];
    let mut queue: VecDeque<String> = starts.iter().cloned().collect();
    let mut seen: HashSet<String> = queue.iter().cloned().collect();
    let mut followed = 0;
    while let Some(target) = queue.pop_front() {
        let answer = send(&app, in_session(&target, &token)).await;
        assert_eq!(answer.status, 200, "{target}: {}", answer.text());
        followed += 1;
        let mut found = Vec::new();
        links(&serde_json::from_slice(&answer.body).unwrap(), &mut found);
        for link in found {
            if seen.insert(link.clone()) {
                queue.push_back(link);
            }
        }
    }
    assert!(followed >= 10, "only {followed} resources followed");

    // Another customer's invoice and its lines: not found, whichever route is tried.
    for target in [
        billing_contract::paths::invoice(OWNER, billing_sandbox::LATEST_PRIVATE_INVOICE),
        format!(
            "{}/recurring-products",
            billing_contract::paths::invoice(OWNER, billing_sandbox::LATEST_PRIVATE_INVOICE)
        ),
        format!("{}/subscriptions", billing_contract::paths::invoice(OWNER, billing_sandbox::PLAN_CHANGE_INVOICE)),
    ] {
        let answer = send(&app, in_session(&target, &token)).await;
        assert_eq!(answer.status, 404, "{target}");
        assert_eq!(answer.problem().problem_type.as_deref(), Some("billing/proxy/problems/not-found"));
    }
    // The private customer's own session reads that invoice.
    let theirs = session_for(billing_sandbox::PRIVATE_CUSTOMER);
    let invoice = billing_contract::paths::invoice(OWNER, billing_sandbox::LATEST_PRIVATE_INVOICE);
    assert_eq!(send(&app, in_session(&invoice, &theirs)).await.status, 200);
}
