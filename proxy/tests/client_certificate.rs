//! The client certificate for PayEx's mutual TLS: presented to an upstream that requires one
//! (over TLS 1.2 or 1.3), from PEM or PKCS#12; refused with a clear message when unusable; and
//! watched by `/readyz` for its expiry.
//!
//! Fixtures (P-256, valid until 2126, made with `openssl req`/`x509 -req`): a test CA, a server
//! certificate for 127.0.0.1 and localhost, a client certificate (clientAuth), and the client
//! certificate in a PKCS#12 file (`openssl pkcs12 -export`, password `fixture-password`).

mod common;

use common::*;
use std::path::Path;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const CA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ca-cert.pem");
const SERVER_CERT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/server-cert.pem");
const SERVER_KEY: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/server-key.pem");
const CERT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/client-cert.pem");
const KEY: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/client-key.pem");
const PKCS12: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/client.p12");

#[tokio::test]
async fn a_pem_certificate_and_key_are_used_and_their_expiry_watched() {
    let upstream = MockUpstream::start(Reply::json(200, "{}")).await;
    let vars = [("PROXY_CLIENT_CERT", CERT), ("PROXY_CLIENT_KEY", KEY)];
    let app = admin(&config_with(&upstream.base, Path::new("/nonexistent"), &vars));
    let ready = send(&app, get("/readyz")).await;
    assert_eq!((ready.status.as_u16(), ready.text()), (200, "ready"));

    // Not ready when the certificate expires within the warning period.
    let vars = [("PROXY_CLIENT_CERT", CERT), ("PROXY_CLIENT_KEY", KEY), ("PROXY_CERT_EXPIRY_WARNING_DAYS", "50000")];
    let app = admin(&config_with(&upstream.base, Path::new("/nonexistent"), &vars));
    let soon = send(&app, get("/readyz")).await;
    assert_eq!(soon.status, 503);
    // The fixture's notAfter is 2126-10-28T17:47:47Z (`openssl x509 -enddate`).
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    let days = (4_948_883_267 - now) / 86_400;
    let text = soon.text();
    assert!(
        text.contains(&format!("expires in {days} days")) || text.contains(&format!("expires in {} days", days - 1)),
        "{text}"
    );
}

#[tokio::test]
async fn a_pkcs12_identity_is_converted_for_rustls() {
    let upstream = MockUpstream::start(Reply::json(200, "{}")).await;
    let vars = [("PROXY_CLIENT_PKCS12", PKCS12), ("PROXY_CLIENT_PKCS12_PASSWORD", "fixture-password")];
    let app = admin(&config_with(&upstream.base, Path::new("/nonexistent"), &vars));
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

/// An HTTPS upstream that requires a client certificate issued by the test CA; answers `{}` to
/// every request and records the TLS version and the client certificate's size of each
/// connection it accepted.
async fn mutual_tls_upstream() -> (String, Arc<Mutex<Vec<(String, usize)>>>) {
    use tokio_rustls::rustls::pki_types::pem::PemObject;
    use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
    use tokio_rustls::rustls::server::WebPkiClientVerifier;
    use tokio_rustls::rustls::{crypto, RootCertStore, ServerConfig};

    let provider = Arc::new(crypto::ring::default_provider());
    let mut roots = RootCertStore::empty();
    roots.add(CertificateDer::from_pem_file(CA).unwrap()).unwrap();
    let verifier = WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider.clone()).build().unwrap();
    let config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_client_cert_verifier(verifier)
        .with_single_cert(
            vec![CertificateDer::from_pem_file(SERVER_CERT).unwrap()],
            PrivateKeyDer::from_pem_file(SERVER_KEY).unwrap(),
        )
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("https://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    tokio::spawn(async move {
        loop {
            let Ok((socket, _)) = listener.accept().await else { return };
            let (acceptor, record) = (acceptor.clone(), record.clone());
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(socket).await else { return };
                let (_, session) = tls.get_ref();
                let version = session.protocol_version().map_or_else(String::new, |v| format!("{v:?}"));
                let client = session.peer_certificates().and_then(|c| c.first()).map_or(0, |c| c.len());
                record.lock().unwrap().push((version, client));
                let mut buffer = [0u8; 4096];
                let _ = tls.read(&mut buffer).await;
                let reply = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}";
                let _ = tls.write_all(reply.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    (base, seen)
}

#[tokio::test]
async fn the_client_certificate_is_presented_to_an_upstream_that_requires_it() {
    let (base, seen) = mutual_tls_upstream().await;
    let customer = "/billing/customer/v1/100200/customers/15615616";
    let with_pem = [("PROXY_UPSTREAM_CA", CA), ("PROXY_CLIENT_CERT", CERT), ("PROXY_CLIENT_KEY", KEY)];
    let app = billing_proxy::app(&config_with(&base, Path::new("/nonexistent"), &with_pem)).unwrap();
    let answer = send(&app, get(customer)).await;
    assert_eq!(answer.status, 200, "{}", answer.text());

    let with_pkcs12 = [
        ("PROXY_UPSTREAM_CA", CA),
        ("PROXY_CLIENT_PKCS12", PKCS12),
        ("PROXY_CLIENT_PKCS12_PASSWORD", "fixture-password"),
    ];
    let app = billing_proxy::app(&config_with(&base, Path::new("/nonexistent"), &with_pkcs12)).unwrap();
    assert_eq!(send(&app, get(customer)).await.status, 200);

    let connections = seen.lock().unwrap().clone();
    assert_eq!(connections.len(), 2, "{connections:?}");
    for (version, client_certificate) in connections {
        assert!(version == "TLSv1_3" || version == "TLSv1_2", "{version}");
        assert!(client_certificate > 0, "no client certificate was presented");
    }

    // Without the client certificate the upstream refuses the handshake: a 502 problem.
    let app = billing_proxy::app(&config_with(&base, Path::new("/nonexistent"), &[("PROXY_UPSTREAM_CA", CA)])).unwrap();
    let refused = send(&app, get(customer)).await;
    assert_eq!(refused.status, 502);
    assert_eq!(refused.problem().problem_type.as_deref(), Some("billing/proxy/problems/upstream-unavailable"));
}
