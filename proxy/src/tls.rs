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

/// The `notAfter` of the first certificate in `pem`.
pub fn first_certificate_not_after(pem: &[u8]) -> Option<SystemTime> {
    let text = std::str::from_utf8(pem).ok()?;
    let start = text.find("-----BEGIN CERTIFICATE-----")? + "-----BEGIN CERTIFICATE-----".len();
    let end = start + text[start..].find("-----END CERTIFICATE-----")?;
    let base64: String = text[start..end].chars().filter(|c| !c.is_whitespace()).collect();
    not_after(&STANDARD.decode(base64).ok()?)
}

/// One DER element: its tag, its content, and what follows it.
fn der_element(der: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = der.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (length, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let count = usize::from(first & 0x7f);
        if count == 0 || count > 4 || rest.len() < count {
            return None;
        }
        let length = rest[..count].iter().fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
        (length, &rest[count..])
    };
    (rest.len() >= length).then(|| (tag, &rest[..length], &rest[length..]))
}

/// The `notAfter` of an X.509 certificate: Certificate ::= SEQUENCE { tbsCertificate SEQUENCE
/// { [0] version OPTIONAL, serialNumber, signature, issuer, validity SEQUENCE { notBefore,
/// notAfter }, ... } ... }.
fn not_after(der: &[u8]) -> Option<SystemTime> {
    let (_, certificate, _) = der_element(der)?;
    let (_, tbs, _) = der_element(certificate)?;
    let mut rest = tbs;
    let (tag, _, after) = der_element(rest)?;
    if tag == 0xa0 {
        rest = after; // explicit version
    }
    for _ in 0..3 {
        rest = der_element(rest)?.2; // serial, signature algorithm, issuer
    }
    let (_, validity, _) = der_element(rest)?;
    let (_, _, after_not_before) = der_element(validity)?;
    let (tag, time, _) = der_element(after_not_before)?;
    parse_time(tag, std::str::from_utf8(time).ok()?)
}

/// UTCTime (`YYMMDDHHMMSSZ`, tag 0x17) or GeneralizedTime (`YYYYMMDDHHMMSSZ`, tag 0x18).
fn parse_time(tag: u8, text: &str) -> Option<SystemTime> {
    let digits = text.strip_suffix('Z')?;
    let (year, rest) = match tag {
        0x17 => {
            let yy: i64 = digits.get(..2)?.parse().ok()?;
            (if yy >= 50 { 1900 + yy } else { 2000 + yy }, digits.get(2..)?)
        }
        0x18 => (digits.get(..4)?.parse().ok()?, digits.get(4..)?),
        _ => return None,
    };
    let field = |i: usize| -> Option<i64> { rest.get(i..i + 2)?.parse().ok() };
    let (month, day, hour, minute, second) = (field(0)?, field(2)?, field(4)?, field(6)?, field(8)?);
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let secs = days * 86_400 + hour * 3600 + minute * 60 + second;
    Some(UNIX_EPOCH + Duration::from_secs(u64::try_from(secs).ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_in_both_encodings() {
        let expected = UNIX_EPOCH + Duration::from_secs(1_798_761_599); // 2026-12-31T23:59:59Z
        assert_eq!(parse_time(0x17, "261231235959Z"), Some(expected));
        assert_eq!(parse_time(0x18, "20261231235959Z"), Some(expected));
        assert_eq!(parse_time(0x18, "2026"), None);
    }

    #[test]
    fn reads_not_after_from_a_certificate() {
        // A minimal DER shape: SEQ { SEQ { [0]{INT 2}, INT 1, SEQ{}, SEQ{}, SEQ { UTCTime, UTCTime } } }.
        let validity = [&[0x30u8, 30][..], &[0x17, 13], b"250101000000Z", &[0x17, 13], b"261231235959Z"].concat();
        let tbs = [&[0xa0u8, 3, 2, 1, 2, 2, 1, 1, 0x30, 0, 0x30, 0][..], &validity].concat();
        let tbs = [&[0x30u8, tbs.len() as u8][..], &tbs].concat();
        let certificate = [&[0x30u8, tbs.len() as u8][..], &tbs].concat();
        assert_eq!(not_after(&certificate), Some(UNIX_EPOCH + Duration::from_secs(1_798_761_599)));
        assert_eq!(not_after(&certificate[..10]), None);
    }
}
