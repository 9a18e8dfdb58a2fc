//! Host-signed sessions: the JSON Web Token (RFC 7519) a host backend gives the page in the
//! `signed-session` access mode.
//!
//! A session token is a compact JWS signed with exactly one configured algorithm: `HS256` with a
//! key shared by the host backend and the proxy, or `EdDSA` (Ed25519) with the host's private
//! key, the proxy holding only the public key. Any ordinary JWT library mints one (see
//! `proxy/README.md`). [`jsonwebtoken`] checks the header's algorithm against the configured one
//! (no `none`, no algorithm confusion), the signature, the presence of `sub`, `exp` and `aud`,
//! and that `aud` is the configured audience; then the claims are read into a [`Session`] and
//! its times are checked here against the clock passed in (so that tests need not wait):
//!
//! | claim        | required | rule                                                          |
//! |--------------|----------|---------------------------------------------------------------|
//! | `sub`        | yes      | who is signed in (audit log, rate limit); 1–200 characters    |
//! | `aud`        | yes      | the configured audience (a string, or an array holding it)    |
//! | `iat`        | yes      | not later than now + [`LEEWAY`]                               |
//! | `nbf`        | no       | if present, not later than now + [`LEEWAY`]                   |
//! | `exp`        | yes      | later than now − [`LEEWAY`]; `exp − iat` ≤ the longest lifetime |
//! | `ownerNo`    | yes      | a valid ledger number                                         |
//! | `customerNo` | yes      | a valid customer number                                       |
//! | `scope`      | yes      | `read` or `read-write`                                        |
//!
//! Other claims are ignored, as is usual for JWTs. Times are whole seconds since the Unix epoch.

use crate::secret::Secret;
use billing_contract::ids::IdKind;
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, DecodingKeyKind, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Longest token accepted, in bytes.
pub const MAX_TOKEN_BYTES: usize = 2048;
/// Shortest HS256 key accepted, in bytes.
pub const MIN_KEY_BYTES: usize = 32;
/// The audience sessions are for unless configured otherwise (`session-audience`).
pub const DEFAULT_AUDIENCE: &str = "billing-proxy";
/// Clock skew allowed between the host backend and the proxy for `iat`, `nbf` and `exp`.
pub const LEEWAY: Duration = Duration::from_secs(30);
/// Longest `sub` accepted, in bytes.
const MAX_SUBJECT_BYTES: usize = 200;

/// What a session allows: the contract's scope, which the proxy's session info names too.
pub use billing_contract::proxy_protocol::SessionScope as Scope;

/// The verified content of a session token (its `aud` was checked and is not kept).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    /// Who the host says is behind the session (for the audit log and the rate limit), e.g. a
    /// user id.
    pub sub: String,
    /// The ledger.
    #[serde(rename = "ownerNo")]
    pub owner_no: String,
    /// The one customer whose data the session may see.
    #[serde(rename = "customerNo")]
    pub customer_no: String,
    /// Read, or read and write.
    pub scope: Scope,
    /// When the token was issued, in seconds since the Unix epoch.
    pub iat: u64,
    /// Not valid before, in seconds since the Unix epoch, if the host set it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nbf: Option<u64>,
    /// Expiry, in seconds since the Unix epoch.
    pub exp: u64,
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("owner_no", &self.owner_no)
            .field("customer_no", &self.customer_no)
            .field("scope", &self.scope)
            .field("iat", &self.iat)
            .field("exp", &self.exp)
            .finish_non_exhaustive()
    }
}

impl Session {
    /// Who the session is, for logs and rate limits: `session:` and the `sub` claim.
    pub fn subject(&self) -> String {
        format!("session:{}", self.sub)
    }
}

/// Why a session token was refused. The messages never repeat the token.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SessionError {
    /// No token was sent.
    #[error("no session token was sent")]
    Missing,
    /// Not a compact JWT, or too long.
    #[error("the session token is malformed")]
    Malformed,
    /// The signature does not match, or the token is signed with another algorithm.
    #[error("the session token's signature is not valid")]
    BadSignature,
    /// A required claim is missing or invalid.
    #[error("the session token's content is not valid")]
    BadPayload,
    /// The token is for another audience.
    #[error("the session token is for another audience")]
    WrongAudience,
    /// `iat` or `nbf` lies in the future.
    #[error("the session is not valid yet")]
    NotYetValid,
    /// The expiry has passed.
    #[error("the session has expired")]
    Expired,
    /// `exp - iat` is longer than sessions may last.
    #[error("the session token lives longer than allowed")]
    TooLongLived,
}

/// Why a session key could not be made, or a session signed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    /// The HS256 key is shorter than [`MIN_KEY_BYTES`].
    #[error("the session key must be at least {MIN_KEY_BYTES} bytes (e.g. `openssl rand -hex 32`)")]
    TooShort,
    /// Not an Ed25519 public key in PEM.
    #[error("expected an Ed25519 public key in PEM (`openssl pkey -in private.pem -pubout -out public.pem`)")]
    NotEd25519PublicKey,
    /// Not an Ed25519 private key in PEM (PKCS#8).
    #[error("expected an Ed25519 private key in PEM (`openssl genpkey -algorithm ed25519`)")]
    NotEd25519PrivateKey,
    /// The key only verifies (an Ed25519 public key).
    #[error("this session key cannot sign")]
    CannotSign,
    /// jsonwebtoken could not sign.
    #[error("the session could not be signed")]
    Signing,
}

/// Verifies session tokens with one key and algorithm; signs them too where the key allows
/// (HS256, or an Ed25519 private key: for tests and tools, as a host backend would).
#[derive(Clone)]
pub struct SessionKey {
    // Boxed: jsonwebtoken's keys and validation are large beside the other access modes.
    inner: Box<KeyInner>,
}

#[derive(Clone)]
struct KeyInner {
    algorithm: Algorithm,
    decoding: Option<DecodingKey>,
    encoding: Option<EncodingKey>,
    validation: Validation,
    audience: String,
    max_lifetime: Duration,
}

impl fmt::Debug for SessionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SessionKey")
            .field("algorithm", &self.inner.algorithm)
            .field("key", &Secret::REDACTED)
            .field("audience", &self.inner.audience)
            .field("max_lifetime", &self.inner.max_lifetime)
            .finish()
    }
}

impl SessionKey {
    /// An HS256 key from the shared secret's bytes (at least [`MIN_KEY_BYTES`]), for sessions
    /// of the default audience that last at most `max_lifetime`.
    pub fn new(secret: &[u8], max_lifetime: Duration) -> Result<SessionKey, KeyError> {
        SessionKey::hs256(secret, DEFAULT_AUDIENCE, max_lifetime)
    }

    /// An HS256 key from the shared secret's bytes (at least [`MIN_KEY_BYTES`]), for sessions
    /// whose `aud` is `audience` and that last at most `max_lifetime`.
    pub fn hs256(secret: &[u8], audience: &str, max_lifetime: Duration) -> Result<SessionKey, KeyError> {
        if secret.len() < MIN_KEY_BYTES {
            return Err(KeyError::TooShort);
        }
        let decoding = DecodingKey::from_secret(secret).map_err(|_| KeyError::TooShort)?;
        let encoding = EncodingKey::from_secret(secret).map_err(|_| KeyError::TooShort)?;
        Ok(SessionKey::with(Algorithm::HS256, Some(decoding), Some(encoding), audience, max_lifetime))
    }

    /// An EdDSA key that verifies with the Ed25519 public key in `public_pem`.
    pub fn ed25519(public_pem: &[u8], audience: &str, max_lifetime: Duration) -> Result<SessionKey, KeyError> {
        let decoding = DecodingKey::from_ed_pem(public_pem).map_err(|_| KeyError::NotEd25519PublicKey)?;
        match decoding.kind() {
            DecodingKeyKind::SecretOrDer(bytes) if bytes.len() == 32 => {}
            _ => return Err(KeyError::NotEd25519PublicKey),
        }
        Ok(SessionKey::with(Algorithm::EdDSA, Some(decoding), None, audience, max_lifetime))
    }

    /// An EdDSA key that signs with the Ed25519 private key in `private_pem` (PKCS#8), as a
    /// host backend does; it verifies nothing. For tests and tools.
    pub fn ed25519_signer(private_pem: &[u8], audience: &str) -> Result<SessionKey, KeyError> {
        let encoding = EncodingKey::from_ed_pem(private_pem).map_err(|_| KeyError::NotEd25519PrivateKey)?;
        Ok(SessionKey::with(Algorithm::EdDSA, None, Some(encoding), audience, Duration::ZERO))
    }

    fn with(
        algorithm: Algorithm,
        decoding: Option<DecodingKey>,
        encoding: Option<EncodingKey>,
        audience: &str,
        max_lifetime: Duration,
    ) -> SessionKey {
        let mut validation = Validation::new(algorithm);
        validation.set_required_spec_claims(&["sub", "exp", "aud"]);
        validation.set_audience(&[audience]);
        // jsonwebtoken reads the system clock for these; `verify` checks them against its `now`.
        validation.validate_exp = false;
        validation.validate_nbf = false;
        let audience = audience.to_owned();
        SessionKey { inner: Box::new(KeyInner { algorithm, decoding, encoding, validation, audience, max_lifetime }) }
    }

    /// The algorithm tokens must be signed with.
    pub fn algorithm(&self) -> Algorithm {
        self.inner.algorithm
    }

    /// The token for `session`, with this key's audience.
    pub fn sign(&self, session: &Session) -> Result<String, KeyError> {
        #[derive(Serialize)]
        struct Claims<'a> {
            aud: &'a str,
            #[serde(flatten)]
            session: &'a Session,
        }
        let inner = &*self.inner;
        let key = inner.encoding.as_ref().ok_or(KeyError::CannotSign)?;
        let claims = Claims { aud: &inner.audience, session };
        jsonwebtoken::encode(&Header::new(inner.algorithm), &claims, key).map_err(|_| KeyError::Signing)
    }

    /// The session of `token`, if it is validly signed, well-formed, for this audience and
    /// current at `now`.
    pub fn verify(&self, token: &str, now: SystemTime) -> Result<Session, SessionError> {
        if token.len() > MAX_TOKEN_BYTES {
            return Err(SessionError::Malformed);
        }
        // A signing-only key verifies nothing.
        let inner = &*self.inner;
        let key = inner.decoding.as_ref().ok_or(SessionError::BadSignature)?;
        // The claims are kept raw, so that content that does not make a session (read after
        // the signature was checked) is told apart from a token that is not a JWT at all.
        let data =
            jsonwebtoken::decode::<Box<RawValue>>(token, key, &inner.validation).map_err(|err| match err.kind() {
                ErrorKind::InvalidSignature
                | ErrorKind::InvalidAlgorithm
                | ErrorKind::InvalidAlgorithmName
                | ErrorKind::MissingAlgorithm
                | ErrorKind::UnsupportedAlgorithm => SessionError::BadSignature,
                ErrorKind::InvalidAudience => SessionError::WrongAudience,
                ErrorKind::MissingRequiredClaim(_) | ErrorKind::InvalidClaimFormat(_) => SessionError::BadPayload,
                ErrorKind::ExpiredSignature => SessionError::Expired,
                ErrorKind::ImmatureSignature => SessionError::NotYetValid,
                _ => SessionError::Malformed,
            })?;
        let session: Session = serde_json::from_str(data.claims.get()).map_err(|_| SessionError::BadPayload)?;
        IdKind::Owner.validate(&session.owner_no).map_err(|_| SessionError::BadPayload)?;
        IdKind::Customer.validate(&session.customer_no).map_err(|_| SessionError::BadPayload)?;
        if session.sub.is_empty() || session.sub.len() > MAX_SUBJECT_BYTES || session.sub.chars().any(char::is_control)
        {
            return Err(SessionError::BadPayload);
        }
        let now = now.duration_since(UNIX_EPOCH).map_or(0, |since| since.as_secs());
        let leeway = LEEWAY.as_secs();
        if session.exp.saturating_add(leeway) <= now {
            return Err(SessionError::Expired);
        }
        if session.iat > now.saturating_add(leeway) || session.nbf.is_some_and(|nbf| nbf > now.saturating_add(leeway)) {
            return Err(SessionError::NotYetValid);
        }
        match session.exp.checked_sub(session.iat) {
            None => Err(SessionError::BadPayload),
            Some(lifetime) if lifetime > inner.max_lifetime.as_secs() => Err(SessionError::TooLongLived),
            Some(_) => Ok(session),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;

    const KEY: &[u8] = b"0123456789abcdef0123456789abcdef";
    /// A test-only Ed25519 key pair (`openssl genpkey -algorithm ed25519`).
    const PRIVATE_PEM: &str = include_str!("../tests/fixtures/session-ed25519.pem");
    const PUBLIC_PEM: &str = include_str!("../tests/fixtures/session-ed25519.pub.pem");
    const NOW: u64 = 2_000_000_000;

    fn key() -> SessionKey {
        SessionKey::new(KEY, Duration::from_secs(3600)).unwrap()
    }

    fn session(iat: u64, exp: u64) -> Session {
        Session {
            sub: "user-1".into(),
            owner_no: "100200".into(),
            customer_no: "Åkesson & Co/7".into(),
            scope: Scope::Read,
            iat,
            nbf: None,
            exp,
        }
    }

    fn at(secs: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(secs)
    }

    /// An HS256 token over arbitrary `claims`, signed with `secret`.
    fn hs256(claims: &serde_json::Value, secret: &[u8]) -> String {
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), claims, &EncodingKey::from_secret(secret).unwrap())
            .unwrap()
    }

    fn claims() -> serde_json::Value {
        serde_json::json!({
            "sub": "user-1", "aud": "billing-proxy", "iat": NOW, "exp": NOW + 600,
            "ownerNo": "100200", "customerNo": "15615616", "scope": "read-write",
        })
    }

    #[test]
    fn a_signed_token_verifies_within_its_times_and_leeway() {
        let token = key().sign(&session(NOW, NOW + 600)).unwrap();
        assert_eq!(token.split('.').count(), 3, "a compact JWT");
        assert_eq!(key().verify(&token, at(NOW)), Ok(session(NOW, NOW + 600)));
        assert_eq!(key().verify(&token, at(NOW + 629)), Ok(session(NOW, NOW + 600)), "leeway after exp");
        assert_eq!(key().verify(&token, at(NOW + 630)), Err(SessionError::Expired));
        assert_eq!(key().verify(&token, at(NOW - 30)), Ok(session(NOW, NOW + 600)), "leeway before iat");
        assert_eq!(key().verify(&token, at(NOW - 31)), Err(SessionError::NotYetValid));
        let mut later = session(NOW, NOW + 600);
        later.nbf = Some(NOW + 100);
        let token = key().sign(&later).unwrap();
        assert_eq!(key().verify(&token, at(NOW + 60)), Err(SessionError::NotYetValid));
        assert_eq!(key().verify(&token, at(NOW + 70)), Ok(later));
    }

    #[test]
    fn the_lifetime_is_bounded() {
        let token = key().sign(&session(NOW, NOW + 3600)).unwrap();
        assert!(key().verify(&token, at(NOW)).is_ok());
        let token = key().sign(&session(NOW, NOW + 3601)).unwrap();
        assert_eq!(key().verify(&token, at(NOW)), Err(SessionError::TooLongLived));
        let token = key().sign(&session(NOW, NOW - 1)).unwrap();
        assert_eq!(key().verify(&token, at(NOW - 10)), Err(SessionError::BadPayload), "exp before iat");
    }

    #[test]
    fn the_audience_must_be_the_configured_one() {
        let other = SessionKey::hs256(KEY, "another-service", Duration::from_secs(3600)).unwrap();
        let token = other.sign(&session(NOW, NOW + 600)).unwrap();
        assert_eq!(key().verify(&token, at(NOW)), Err(SessionError::WrongAudience));
        assert!(other.verify(&token, at(NOW)).is_ok());
        let mut listed = claims();
        listed["aud"] = serde_json::json!(["another-service", "billing-proxy"]);
        assert!(key().verify(&hs256(&listed, KEY), at(NOW)).is_ok(), "an array holding the audience");
    }

    #[test]
    fn required_claims_must_be_present_and_valid_and_others_are_ignored() {
        assert!(key().verify(&hs256(&claims(), KEY), at(NOW)).is_ok());
        let mut extra = claims();
        extra["iss"] = "https://crm.example.com".into();
        extra["jti"] = "4f1c".into();
        assert!(key().verify(&hs256(&extra, KEY), at(NOW)).is_ok(), "unknown claims are fine");
        for name in ["sub", "aud", "iat", "exp", "ownerNo", "customerNo", "scope"] {
            let mut missing = claims();
            missing.as_object_mut().unwrap().remove(name);
            assert_eq!(key().verify(&hs256(&missing, KEY), at(NOW)), Err(SessionError::BadPayload), "{name}");
        }
        for (name, bad) in [
            ("customerNo", serde_json::json!("x?y")),
            ("ownerNo", serde_json::json!("")),
            ("scope", serde_json::json!("admin")),
            ("sub", serde_json::json!("")),
            ("sub", serde_json::json!("a\nb")),
            ("exp", serde_json::json!("soon")),
            ("iat", serde_json::json!(-5)),
        ] {
            let mut wrong = claims();
            wrong[name] = bad;
            assert_eq!(key().verify(&hs256(&wrong, KEY), at(NOW)), Err(SessionError::BadPayload), "{name}");
        }
    }

    #[test]
    fn forged_and_malformed_tokens_are_refused() {
        let token = key().sign(&session(NOW, NOW + 600)).unwrap();
        let other = SessionKey::new(b"another key of at least 32 bytes!", Duration::from_secs(3600)).unwrap();
        assert_eq!(other.verify(&token, at(NOW)), Err(SessionError::BadSignature));
        // The payload changed, the signature kept.
        let parts: Vec<&str> = token.split('.').collect();
        let mut forged = claims();
        forged["customerNo"] = "5566778899".into();
        let forged_payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&forged).unwrap());
        let forged_token = format!("{}.{forged_payload}.{}", parts[0], parts[2]);
        assert_eq!(key().verify(&forged_token, at(NOW)), Err(SessionError::BadSignature));
        for bad in ["", "abc", "a.b", "a.b.c", "%%%.%%%.%%%", &"a".repeat(MAX_TOKEN_BYTES + 1)] {
            assert_eq!(key().verify(bad, at(NOW)), Err(SessionError::Malformed), "{bad}");
        }
        // The old home-made format (payload.signature) is not a JWT.
        let old = "eyJvd25lck5vIjoiMTAwMjAwIiwiY3VzdG9tZXJObyI6IsOFa2Vzc29uICYgQ28vNyIsInNjb3BlIjoicmVhZCIsImV4cCI6MjAwMDAwMDYwMCwic3ViIjoidXNlci0xIn0.PMjJMK3SSyqUIjQJcPyNsZmwAEjXauhDcuanOYhrHo4";
        assert_eq!(key().verify(old, at(NOW)), Err(SessionError::Malformed));
    }

    #[test]
    fn only_the_configured_algorithm_is_accepted() {
        let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims()).unwrap());
        // alg "none", with and without a signature: jsonwebtoken does not even know it.
        let none = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
        for token in [format!("{none}.{payload}."), format!("{none}.{payload}.AAAA")] {
            assert_eq!(key().verify(&token, at(NOW)), Err(SessionError::Malformed), "{token}");
        }
        // Another HMAC strength with the right key.
        let hs512 =
            jsonwebtoken::encode(&Header::new(Algorithm::HS512), &claims(), &EncodingKey::from_secret(KEY).unwrap())
                .unwrap();
        assert_eq!(key().verify(&hs512, at(NOW)), Err(SessionError::BadSignature));
        // EdDSA configured: an HS256 token whose HMAC key is the public key's PEM (the classic
        // algorithm confusion) is refused, for either spelling of the PEM.
        let public = SessionKey::ed25519(PUBLIC_PEM.as_bytes(), DEFAULT_AUDIENCE, Duration::from_secs(3600)).unwrap();
        for secret in [PUBLIC_PEM, PUBLIC_PEM.trim()] {
            let confused = hs256(&claims(), secret.as_bytes());
            assert_eq!(public.verify(&confused, at(NOW)), Err(SessionError::BadSignature));
        }
        // HS256 configured: an EdDSA token is refused.
        let signer = SessionKey::ed25519_signer(PRIVATE_PEM.as_bytes(), DEFAULT_AUDIENCE).unwrap();
        let eddsa = signer.sign(&session(NOW, NOW + 600)).unwrap();
        assert_eq!(key().verify(&eddsa, at(NOW)), Err(SessionError::BadSignature));
        assert_eq!(public.verify(&eddsa, at(NOW)), Ok(session(NOW, NOW + 600)));
    }

    #[test]
    fn eddsa_tokens_verify_with_the_public_key_only() {
        let public = SessionKey::ed25519(PUBLIC_PEM.as_bytes(), DEFAULT_AUDIENCE, Duration::from_secs(3600)).unwrap();
        let signer = SessionKey::ed25519_signer(PRIVATE_PEM.as_bytes(), DEFAULT_AUDIENCE).unwrap();
        let token = signer.sign(&session(NOW, NOW + 600)).unwrap();
        assert_eq!(public.verify(&token, at(NOW)), Ok(session(NOW, NOW + 600)));
        let mut tampered = token.clone().into_bytes();
        let middle = tampered.len() / 2;
        tampered[middle] = if tampered[middle] == b'A' { b'B' } else { b'A' };
        let tampered = String::from_utf8(tampered).unwrap();
        assert!(public.verify(&tampered, at(NOW)).is_err());
        assert_eq!(public.sign(&session(NOW, NOW + 600)), Err(KeyError::CannotSign));
        assert_eq!(signer.verify(&token, at(NOW)), Err(SessionError::BadSignature), "a signer verifies nothing");
    }

    #[test]
    fn keys_are_checked_when_made() {
        assert_eq!(SessionKey::new(b"short", Duration::from_secs(60)).unwrap_err(), KeyError::TooShort);
        let ed = |pem: &str| SessionKey::ed25519(pem.as_bytes(), DEFAULT_AUDIENCE, Duration::from_secs(60));
        assert_eq!(ed(PRIVATE_PEM).unwrap_err(), KeyError::NotEd25519PublicKey, "the private key instead");
        assert_eq!(ed("not a pem").unwrap_err(), KeyError::NotEd25519PublicKey);
        assert_eq!(
            SessionKey::ed25519_signer(PUBLIC_PEM.as_bytes(), DEFAULT_AUDIENCE).unwrap_err(),
            KeyError::NotEd25519PrivateKey
        );
    }

    #[test]
    fn debug_shows_neither_key_nor_subject() {
        assert!(!format!("{:?}", key()).contains("0123"));
        assert!(!format!("{:?}", session(1, 2)).contains("user-1"));
    }
}
