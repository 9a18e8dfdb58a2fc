//! How the proxy connects to the upstream: TCP, then rustls (ring provider) with TLS 1.2 or
//! newer and the PayEx-issued client certificate for mutual TLS; and the certificate's expiry,
//! which `/readyz` watches. The connections themselves are kept by [`crate::pool`].

use crate::config::{ClientIdentity, Config};
use crate::error::StartupError;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::connect::HttpConnector;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How upstream connections are made: TCP, then TLS with the client identity (or plain HTTP
/// for an `http://` upstream). Clones share the TLS settings.
pub type UpstreamConnector = HttpsConnector<HttpConnector>;

/// How upstream connections are made: TLS (with the client certificate, if any) or plain
/// HTTP, within a connect timeout.
#[derive(Clone, Debug)]
pub struct UpstreamTls {
    tls: rustls::ClientConfig,
    connect_timeout: Duration,
}

impl UpstreamTls {
    /// Connections with the TLS settings `tls`, each made within `connect_timeout`.
    pub fn new(tls: rustls::ClientConfig, connect_timeout: Duration) -> UpstreamTls {
        UpstreamTls { tls, connect_timeout }
    }

    /// A connector of its own, for one worker's [`crate::pool::UpstreamPool`].
    pub fn connector(&self) -> UpstreamConnector {
        let mut http = HttpConnector::new();
        http.enforce_http(false);
        http.set_nodelay(true);
        http.set_connect_timeout(Some(self.connect_timeout));
        hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(self.tls.clone())
            .https_or_http()
            .enable_http1()
            .wrap_connector(http)
    }
}

/// How to connect upstream for `config`, and when the client certificate expires (if there is
/// one).
pub fn upstream_tls(config: &Config) -> Result<(UpstreamTls, Option<SystemTime>), StartupError> {
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    if let Some(path) = &config.upstream_ca {
        let pem = std::fs::read(path).map_err(|err| {
            StartupError::ClientIdentity(format!("cannot read the upstream CA file `{}`: {err}", path.display()))
        })?;
        let certificates = CertificateDer::pem_slice_iter(&pem).collect::<Result<Vec<_>, _>>().map_err(|err| {
            StartupError::ClientIdentity(format!("the upstream CA file `{}` is not PEM: {err}", path.display()))
        })?;
        if certificates.is_empty() {
            return Err(StartupError::ClientIdentity(format!("no certificate in `{}`", path.display())));
        }
        for certificate in certificates {
            roots.add(certificate).map_err(|err| {
                StartupError::ClientIdentity(format!("a certificate in `{}` is unusable: {err}", path.display()))
            })?;
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])
        .map_err(|err| StartupError::ClientIdentity(err.to_string()))?
        .with_root_certificates(roots);
    let mut expires = None;
    let tls = match &config.client_identity {
        None => builder.with_no_client_auth(),
        Some(identity) => {
            let pem = identity_pem(identity)?;
            expires = first_certificate_not_after(&pem);
            if expires.is_none() {
                return Err(StartupError::ClientIdentity("no readable certificate in the PEM".into()));
            }
            let chain = CertificateDer::pem_slice_iter(&pem)
                .collect::<Result<Vec<_>, _>>()
                .map_err(|err| StartupError::ClientIdentity(format!("the client certificate is not PEM: {err}")))?;
            let key = PrivateKeyDer::from_pem_slice(&pem)
                .map_err(|err| StartupError::ClientIdentity(format!("no usable private key in the PEM: {err}")))?;
            builder.with_client_auth_cert(chain, key).map_err(|err| StartupError::ClientIdentity(err.to_string()))?
        }
    };
    Ok((UpstreamTls { tls, connect_timeout: config.upstream_timeout.min(Duration::from_secs(5)) }, expires))
}

/// The certificate chain followed by the key, in PEM.
fn identity_pem(identity: &ClientIdentity) -> Result<Vec<u8>, StartupError> {
    let read = |path: &std::path::Path| {
        std::fs::read(path)
            .map_err(|err| StartupError::ClientIdentity(format!("cannot read `{}`: {err}", path.display())))
    };
    match identity {
        ClientIdentity::Pem { cert, key } => {
            let mut pem = read(cert)?;
            pem.push(b'\n');
            pem.extend(read(key)?);
            Ok(pem)
        }
        ClientIdentity::Pkcs12 { path, password } => {
            // rustls reads PEM (or DER) only: the archive is converted.
            let archive = read(path)?;
            let store = p12_keystore::KeyStore::from_pkcs12(
                &archive,
                password.expose(),
                p12_keystore::Pkcs12ImportPolicy::Strict,
            )
            .map_err(|err| {
                StartupError::ClientIdentity(format!(
                    "cannot open the PKCS#12 file `{}` (is PROXY_CLIENT_PKCS12_PASSWORD right?): {err}",
                    path.display()
                ))
            })?;
            let (_, chain) = store.private_key_chain().ok_or_else(|| {
                StartupError::ClientIdentity(format!(
                    "the PKCS#12 file `{}` holds no private key with its certificate",
                    path.display()
                ))
            })?;
            let mut pem = String::new();
            for certificate in chain.certs() {
                pem.push_str(&pem_block("CERTIFICATE", certificate.as_der()));
            }
            pem.push_str(&pem_block("PRIVATE KEY", chain.key().as_der()));
            Ok(pem.into_bytes())
        }
    }
}

/// `der` as a PEM block with `label`.
fn pem_block(label: &str, der: &[u8]) -> String {
    let base64 = STANDARD.encode(der);
    let lines: Vec<&str> = base64.as_bytes().chunks(64).filter_map(|line| std::str::from_utf8(line).ok()).collect();
    format!("-----BEGIN {label}-----\n{}\n-----END {label}-----\n", lines.join("\n"))
}

/// The `notAfter` of the first certificate in `pem`, read with `x509-parser`.
pub fn first_certificate_not_after(pem: &[u8]) -> Option<SystemTime> {
    let first = CertificateDer::pem_slice_iter(pem).next()?.ok()?;
    let (_, certificate) = x509_parser::parse_x509_certificate(first.as_ref()).ok()?;
    let seconds = certificate.validity().not_after.timestamp();
    Some(UNIX_EPOCH + Duration::from_secs(u64::try_from(seconds).ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)).unwrap()
    }

    #[test]
    fn reads_not_after_of_the_first_certificate() {
        // `openssl x509 -enddate`: Oct 28 17:47:47 2126 GMT (a GeneralizedTime, after 2049).
        let expected = UNIX_EPOCH + Duration::from_secs(4_948_883_267);
        let identity = [fixture("client-cert.pem"), b"\n".to_vec(), fixture("client-key.pem")].concat();
        assert_eq!(first_certificate_not_after(&identity), Some(expected));
        // The first certificate counts: the client's, not the CA's behind it.
        let chain = [fixture("client-cert.pem"), fixture("ca-cert.pem")].concat();
        assert_eq!(first_certificate_not_after(&chain), Some(expected));
    }

    #[test]
    fn no_time_without_a_readable_certificate() {
        assert_eq!(first_certificate_not_after(b"not a certificate"), None);
        assert_eq!(first_certificate_not_after(&fixture("client-key.pem")), None);
        let broken = "-----BEGIN CERTIFICATE-----\nMAMCAQI=\n-----END CERTIFICATE-----\n";
        assert_eq!(first_certificate_not_after(broken.as_bytes()), None);
    }
}
