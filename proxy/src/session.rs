//! Host-signed sessions: the compact token a host backend gives the page in the
//! `signed-session` access mode.
//!
//! A token is `<payload>.<signature>`: `payload` is the base64url (no padding) of a JSON object
//! `{"ownerNo", "customerNo", "scope": "read" | "read-write", "exp": <unix seconds>, "sub"?}`,
//! and `signature` the base64url of HMAC-SHA256 over the `payload` text with the key shared by
//! the host backend and the proxy. The signature is checked in constant time before the
//! payload is read; identifiers are checked against the contract; the expiry must lie in the
//! future but no further than the configured longest lifetime.

use crate::secret::Secret;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use billing_contract::ids::IdKind;
use ring::hmac;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Longest token accepted, in bytes.
pub const MAX_TOKEN_BYTES: usize = 2048;
/// Shortest signing key accepted, in bytes.
pub const MIN_KEY_BYTES: usize = 32;

/// What a session allows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Scope {
    /// Reading only.
    #[serde(rename = "read")]
    Read,
    /// Reading and changing recurring products and subscriptions.
    #[serde(rename = "read-write")]
    ReadWrite,
}

/// The verified content of a session token.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Session {
    /// The ledger.
    #[serde(rename = "ownerNo")]
    pub owner_no: String,
    /// The one customer whose data the session may see.
    #[serde(rename = "customerNo")]
    pub customer_no: String,
    /// Read, or read and write.
    pub scope: Scope,
    /// Expiry, in seconds since the Unix epoch.
    pub exp: u64,
    /// Who the host says is behind the session (for the audit log), e.g. a user id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub: Option<String>,
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("owner_no", &self.owner_no)
            .field("customer_no", &self.customer_no)
            .field("scope", &self.scope)
            .field("exp", &self.exp)
            .finish_non_exhaustive()
    }
}

impl Session {
    /// Who the session is, for logs and rate limits: `sub` if the host gave one, else the
    /// customer number.
    pub fn subject(&self) -> String {
        match &self.sub {
            Some(sub) => format!("session:{sub}"),
            None => format!("session:customer:{}", self.customer_no),
        }
    }
}

/// Why a session token was refused. The messages never repeat the token.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SessionError {
    /// No token was sent.
    #[error("no session token was sent")]
    Missing,
    /// Not `<payload>.<signature>` in base64url, or too long.
    #[error("the session token is malformed")]
    Malformed,
    /// The signature does not match.
    #[error("the session token's signature is not valid")]
    BadSignature,
    /// The payload is not the expected JSON or holds an invalid identifier.
    #[error("the session token's content is not valid")]
    BadPayload,
    /// The expiry has passed.
    #[error("the session has expired")]
    Expired,
    /// The expiry lies further ahead than sessions may last.
    #[error("the session token lives longer than allowed")]
    TooLongLived,
}

/// Signs and verifies session tokens with one key.
#[derive(Clone)]
pub struct SessionKey {
    key: hmac::Key,
    max_lifetime: Duration,
}

impl fmt::Debug for SessionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SessionKey").field("key", &Secret::REDACTED).field("max_lifetime", &self.max_lifetime).finish()
    }
}

impl SessionKey {
    /// A key from the shared secret's bytes; sessions may last at most `max_lifetime`.
    pub fn new(secret: &[u8], max_lifetime: Duration) -> SessionKey {
        SessionKey { key: hmac::Key::new(hmac::HMAC_SHA256, secret), max_lifetime }
    }

    /// The token for `session` (what a host backend does; here for tests and tools).
    pub fn sign(&self, session: &Session) -> String {
        let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(session).unwrap_or_default());
        let signature = URL_SAFE_NO_PAD.encode(hmac::sign(&self.key, payload.as_bytes()).as_ref());
        format!("{payload}.{signature}")
    }

    /// The session of `token`, if it is validly signed, well-formed and current at `now`.
    pub fn verify(&self, token: &str, now: SystemTime) -> Result<Session, SessionError> {
        if token.len() > MAX_TOKEN_BYTES {
            return Err(SessionError::Malformed);
        }
        let (payload, signature) = token.split_once('.').ok_or(SessionError::Malformed)?;
        let signature = URL_SAFE_NO_PAD.decode(signature).map_err(|_| SessionError::Malformed)?;
        // ring compares in constant time.
        hmac::verify(&self.key, payload.as_bytes(), &signature).map_err(|_| SessionError::BadSignature)?;
        let json = URL_SAFE_NO_PAD.decode(payload).map_err(|_| SessionError::Malformed)?;
        let session: Session = serde_json::from_slice(&json).map_err(|_| SessionError::BadPayload)?;
        IdKind::Owner.validate(&session.owner_no).map_err(|_| SessionError::BadPayload)?;
        IdKind::Customer.validate(&session.customer_no).map_err(|_| SessionError::BadPayload)?;
        if session.sub.as_ref().is_some_and(|sub| sub.len() > 200 || sub.chars().any(char::is_control)) {
            return Err(SessionError::BadPayload);
        }
        let now = now.duration_since(UNIX_EPOCH).map_or(0, |since| since.as_secs());
        if session.exp <= now {
            return Err(SessionError::Expired);
        }
        if session.exp - now > self.max_lifetime.as_secs() {
            return Err(SessionError::TooLongLived);
        }
        Ok(session)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &[u8] = b"0123456789abcdef0123456789abcdef";

    fn key() -> SessionKey {
        SessionKey::new(KEY, Duration::from_secs(3600))
    }

    fn session(exp: u64) -> Session {
        Session {
            owner_no: "100200".into(),
            customer_no: "Åkesson & Co/7".into(),
            scope: Scope::Read,
            exp,
            sub: Some("user-1".into()),
        }
    }

    fn at(secs: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(secs)
    }

    #[test]
    fn a_signed_token_verifies_until_it_expires() {
        let token = key().sign(&session(1_000_600));
        assert_eq!(key().verify(&token, at(1_000_000)), Ok(session(1_000_600)));
        assert_eq!(key().verify(&token, at(1_000_600)), Err(SessionError::Expired));
        assert_eq!(key().verify(&token, at(900_000)), Err(SessionError::TooLongLived));
    }

    #[test]
    fn forged_and_malformed_tokens_are_refused() {
        let token = key().sign(&session(1_000_600));
        let other = SessionKey::new(b"another key of at least 32 bytes!", Duration::from_secs(3600));
        assert_eq!(other.verify(&token, at(1_000_000)), Err(SessionError::BadSignature));
        // The payload changed, the signature kept.
        let (_, signature) = token.split_once('.').unwrap();
        let mut forged = session(1_000_600);
        forged.customer_no = "15615616".into();
        let forged_payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&forged).unwrap());
        let forged_token = format!("{forged_payload}.{signature}");
        assert_eq!(key().verify(&forged_token, at(1_000_000)), Err(SessionError::BadSignature));
        for bad in ["", "abc", "a.b.c", "%%%.%%%", &"a".repeat(MAX_TOKEN_BYTES + 1)] {
            assert!(key().verify(bad, at(1_000_000)).is_err(), "{bad}");
        }
        // Valid signature over content that is not a session.
        let payload = URL_SAFE_NO_PAD.encode(br#"{"ownerNo":"1","customerNo":"x?y","scope":"read","exp":1000600}"#);
        let signature = URL_SAFE_NO_PAD.encode(hmac::sign(&key().key, payload.as_bytes()).as_ref());
        assert_eq!(key().verify(&format!("{payload}.{signature}"), at(1_000_000)), Err(SessionError::BadPayload));
    }

    /// The token that `proxy/examples/mint_session.py` and `mint-session.mjs` print.
    const MINTED_BY_THE_EXAMPLES: &str = "eyJvd25lck5vIjoiMTAwMjAwIiwiY3VzdG9tZXJObyI6IsOFa2Vzc29uICYgQ28vNyIsInNjb3BlIjoicmVhZCIsImV4cCI6MjAwMDAwMDYwMCwic3ViIjoidXNlci0xIn0.PMjJMK3SSyqUIjQJcPyNsZmwAEjXauhDcuanOYhrHo4";

    #[test]
    fn tokens_minted_by_the_python_and_node_examples_verify() {
        let session = key().verify(MINTED_BY_THE_EXAMPLES, at(2_000_000_000)).unwrap();
        assert_eq!(session, self::session(2_000_000_600));
        assert_eq!(key().sign(&session), MINTED_BY_THE_EXAMPLES, "the same bytes as the examples");
    }

    #[test]
    fn debug_shows_neither_key_nor_subject() {
        assert!(!format!("{:?}", key()).contains("0123"));
        assert!(!format!("{:?}", session(1)).contains("user-1"));
    }
}
