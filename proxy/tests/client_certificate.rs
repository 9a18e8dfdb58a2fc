//! The client certificate for PayEx's mutual TLS: loaded at start, refused with a clear message
//! when unusable, and watched by `/readyz` for its expiry. (The fixture is a self-signed P-256
//! certificate valid until 2126, made with `openssl req -x509 -newkey ec`, and the same in a
//! PKCS#12 file made with `openssl pkcs12 -export`, password `fixture-password`.)

mod common;

use common::*;
use std::path::Path;

const CERT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/client-cert.pem");
const KEY: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/client-key.pem");

#[tokio::test]
async fn a_pem_certificate_and_key_are_used_and_their_expiry_watched() {
    let upstream = MockUpstream::start(Reply::json(200, "{}")).await;
    let vars = [("PROXY_CLIENT_CERT", CERT), ("PROXY_CLIENT_KEY", KEY)];
    let app = billing_proxy::app(&config_with(&upstream.base, Path::new("/nonexistent"), &vars)).unwrap();
    let ready = send(&app, get("/readyz")).await;
    assert_eq!((ready.status.as_u16(), ready.text()), (200, "ready"));

    // Not ready when the certificate expires within the warning period.
    let vars = [("PROXY_CLIENT_CERT", CERT), ("PROXY_CLIENT_KEY", KEY), ("PROXY_CERT_EXPIRY_WARNING_DAYS", "50000")];
    let app = billing_proxy::app(&config_with(&upstream.base, Path::new("/nonexistent"), &vars)).unwrap();
    let soon = send(&app, get("/readyz")).await;
    assert_eq!(soon.status, 503);
    assert!(soon.text().contains("the client certificate expires in"), "{}", soon.text());
}

const PKCS12: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/client.p12");

#[tokio::test]
async fn a_pkcs12_identity_is_converted_for_rustls() {
    let upstream = MockUpstream::start(Reply::json(200, "{}")).await;
    let vars = [("PROXY_CLIENT_PKCS12", PKCS12), ("PROXY_CLIENT_PKCS12_PASSWORD", "fixture-password")];
    let app = billing_proxy::app(&config_with(&upstream.base, Path::new("/nonexistent"), &vars)).unwrap();
    assert_eq!(send(&app, get("/readyz")).await.text(), "ready");

    let wrong = [("PROXY_CLIENT_PKCS12", PKCS12), ("PROXY_CLIENT_PKCS12_PASSWORD", "hunter2")];
    let err = billing_proxy::app(&config_with(&upstream.base, Path::new("/nonexistent"), &wrong)).unwrap_err();
    let message = err.to_string();
    assert!(message.contains("PROXY_CLIENT_PKCS12_PASSWORD") && !message.contains("hunter2"), "{message}");
}

#[test]
fn an_unusable_identity_fails_at_start_with_a_message() {
    let upstream = closed_upstream();
    let swapped = [("PROXY_CLIENT_CERT", KEY), ("PROXY_CLIENT_KEY", KEY)];
    let err = billing_proxy::app(&config_with(&upstream, Path::new("/nonexistent"), &swapped)).unwrap_err();
    assert!(err.to_string().contains("client certificate"), "{err}");
    let missing = [("PROXY_CLIENT_CERT", "/nonexistent.pem"), ("PROXY_CLIENT_KEY", KEY)];
    let err = billing_proxy::app(&config_with(&upstream, Path::new("/nonexistent"), &missing)).unwrap_err();
    assert!(err.to_string().contains("/nonexistent.pem"), "{err}");
}
