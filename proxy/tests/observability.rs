//! Logs: one audit record per write (who, what, result, request id), neither the upstream
//! token nor a session token in any log line, and access log lines that name route templates,
//! never the identifiers in a path or query.

mod common;

use axum::body::Body;
use billing_proxy::session::{Scope, Session, SessionKey};
use common::*;
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const SESSION_KEY: &str = "k3y-for-tests-0123456789abcdef-0123456789";

/// Log lines written while the guard lives, as JSON.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn lines(&self) -> Vec<serde_json::Value> {
        let text = String::from_utf8(self.0.lock().unwrap().clone()).unwrap();
        text.lines().map(|line| serde_json::from_str(line).unwrap()).collect()
    }
    fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }
}

/// Captures the log lines of this thread, as JSON, while the guard lives.
fn capture_logs() -> (Captured, tracing::subscriber::DefaultGuard) {
    let logs = Captured::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .json()
        .flatten_event(true)
        .with_max_level(tracing::Level::DEBUG)
        .with_writer(move || writer.clone())
        .finish();
    (logs, tracing::subscriber::set_default(subscriber))
}

#[tokio::test]
async fn every_write_has_an_audit_record_and_no_secret_is_logged() {
    let (logs, _guard) = capture_logs();

    let products = "/billing/customer/v1/100200/customers/15615616/recurring-products";
    let list = Reply::json(200, r#"{"items":[{"recurringProductNo":"1001"}]}"#);
    let upstream = MockUpstream::routed(Reply::json(200, "{}"), vec![(products, list)]).await;
    let config = config_with(
        &upstream.base,
        std::path::Path::new("/nonexistent"),
        &[("PROXY_ACCESS", "signed-session"), ("PROXY_SESSION_KEY", SESSION_KEY)],
    );
    let app = billing_proxy::app(&config).unwrap();
    let iat = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
    let session = Session {
        sub: "agent-42".into(),
        owner_no: OWNER.into(),
        customer_no: "15615616".into(),
        scope: Scope::ReadWrite,
        iat,
        nbf: None,
        exp: iat + 600,
    };
    let token = SessionKey::new(SESSION_KEY.as_bytes(), Duration::from_secs(3600)).unwrap().sign(&session).unwrap();
    let product = "/billing/customer/v1/100200/customers/15615616/recurring-products/1001";
    let put = request("PUT", product)
        .header("host", HOST)
        .header("origin", format!("http://{HOST}"))
        .header("x-billing-csrf", "1")
        .header("x-billing-session", token.as_str())
        .header("content-type", "application/json")
        .body(Body::from(PRODUCT_INPUT))
        .unwrap();
    let done = send(&app, put).await;
    assert_eq!(done.status, 200);
    let refused = request("DELETE", product)
        .header("host", HOST)
        .header("x-billing-session", token.as_str())
        .body(Body::empty())
        .unwrap();
    let refused = send(&app, refused).await;
    assert_eq!(refused.status, 403);
    send(&app, get("/billing/customer/v1/100200/customers/15615616")).await;

    let audit: Vec<_> = logs.lines().into_iter().filter(|line| line["target"] == "billing_proxy::audit").collect();
    assert_eq!(audit.len(), 2, "one record per write, none for reads: {audit:?}");
    assert_eq!(audit[0]["subject"], "session:agent-42");
    assert_eq!(audit[0]["method"], "PUT");
    assert_eq!(audit[0]["resource"], product);
    assert_eq!(audit[0]["status"], 200);
    assert_eq!(audit[0]["result"], "done");
    assert_eq!(audit[0]["request_id"], done.request_id());
    assert_eq!(audit[1]["method"], "DELETE");
    assert_eq!(audit[1]["status"], 403);
    assert_eq!(audit[1]["result"], "not done");
    assert_eq!(audit[1]["request_id"], refused.request_id());

    let text = logs.text();
    assert!(!text.contains(TOKEN), "the upstream token was logged");
    assert!(!text.contains(&token), "the session token was logged");
    assert!(!text.contains(SESSION_KEY), "the session key was logged");
}

#[tokio::test]
async fn access_log_lines_name_route_templates_never_identifiers() {
    let (logs, _guard) = capture_logs();
    let upstream = MockUpstream::start(Reply::json(200, "{}")).await;
    let app = billing_proxy::app(&config(&upstream.base, &bundle_dir("access-log"))).unwrap();
    let requests = [
        (
            "/billing/customer/v1/100200/customers/15615616",
            200,
            "/billing/customer/v1/{ownerNo}/customers/{customerNo}",
        ),
        (
            "/billing/invoice/v1/100200/invoices?customerNo=15615616&page=2",
            200,
            "/billing/invoice/v1/{ownerNo}/invoices",
        ),
        ("/billing/customer/v1/100200/customers/15615616/secrets", 404, "refused"),
        ("/pkg/widget_bg.wasm", 200, "static"),
        ("/customers/15615616/invoices?invoice=603001", 404, "static"),
        ("/healthz", 200, "/healthz"),
    ];
    for (target, status, _) in requests {
        assert_eq!(send(&app, get(target)).await.status, status, "{target}");
    }

    let lines: Vec<_> = logs.lines().into_iter().filter(|line| line["message"] == "request").collect();
    let logged: Vec<_> =
        lines.iter().map(|line| (line["route"].as_str().unwrap(), line["status"].as_u64().unwrap())).collect();
    let expected: Vec<_> = requests.iter().map(|(_, status, route)| (*route, u64::from(*status))).collect();
    assert_eq!(logged, expected, "one line per request, by template: {lines:?}");
    let text = logs.text();
    for identifier in ["15615616", "603001", "customerNo=", "widget_bg", "/customers/15615616"] {
        assert!(!text.contains(identifier), "`{identifier}` in the logs:\n{text}");
    }
}
