//! The properties the fuzz target (`proxy/fuzz`, `cargo fuzz run parse`) and the bounded
//! stable-Rust fuzz test (`tests/fuzz_bounded.rs`, run by `cargo test`) check on arbitrary
//! input: parsing a request target or a session token never panics, and what the route parser
//! accepts is canonical, stays inside its API, and is forwarded without rewriting.

use crate::access::Api;
use crate::route::ApiRoute;
use crate::session::{SessionKey, DEFAULT_AUDIENCE};
use crate::upstream::Upstream;
use axum::http::Method;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The methods tried on every target.
const METHODS: [Method; 5] = [Method::GET, Method::HEAD, Method::POST, Method::PUT, Method::DELETE];

/// Checks the route properties on `target` (a raw path and query); whether some method
/// accepted it. Panics when a property fails.
pub fn check_target(target: &str) -> bool {
    let (path, query) = match target.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (target, None),
    };
    let Some((api, rest)) = Api::of_path(path) else { return false };
    let mut accepted = false;
    for method in &METHODS {
        let Ok(route) = ApiRoute::parse(api, method, rest, query) else { continue };
        let canonical = route.canonical_target();
        assert!(canonical.starts_with(&format!("{}/", api.prefix())), "left its API: {canonical}");
        let (canonical_path, canonical_query) = match canonical.split_once('?') {
            Some((path, query)) => (path, Some(query)),
            None => (canonical.as_str(), None),
        };
        for segment in canonical_path.split('/').skip(1) {
            assert!(!segment.is_empty() && segment != "." && segment != "..", "bad segment in {canonical}");
        }
        let (_, canonical_rest) = Api::of_path(canonical_path).expect("the canonical path is in its API");
        let again = ApiRoute::parse(api, method, canonical_rest, canonical_query).expect("the canonical form parses");
        assert_eq!(again, route, "not canonical: {target} -> {canonical}");
        assert_eq!(again.canonical_target(), canonical, "canonicalisation is not idempotent");
        let upstream = Upstream::parse("http://upstream.test").expect("a valid base");
        let url = upstream.target(&canonical).expect("the canonical target is forwarded unchanged");
        assert_eq!(url.path_and_query().map(|p| p.as_str()), Some(canonical.as_str()), "the target was rewritten");
        accepted = true;
    }
    accepted
}

/// The Ed25519 public key (PEM) of `tests/fixtures/session-ed25519.pem`, a test-only pair.
const FUZZ_PUBLIC_KEY: &str = "-----BEGIN PUBLIC KEY-----
MCowBQYDK2VwAyEA3sNshSQS/CFg6QACaSD9iB9sz0f3k4nvPWxQYDlLkUk=
-----END PUBLIC KEY-----
";

/// Checks the session properties on `token`: verifying (HS256 or EdDSA) never panics, and a
/// token that is not the one signed never verifies (nothing else carries a valid signature).
/// Panics when a property fails.
pub fn check_token(token: &str) {
    let now = UNIX_EPOCH + Duration::from_secs(2_000_000_000);
    match SessionKey::new(b"fuzz-key-0123456789abcdef-0123456789", Duration::from_secs(3600)) {
        Ok(key) => {
            if let Ok(session) = key.verify(token, now) {
                assert_eq!(
                    key.sign(&session).ok().as_deref(),
                    Some(token),
                    "a token verified that was not signed as such"
                );
            }
            let _ = key.verify(token, SystemTime::now());
        }
        Err(err) => panic!("the fuzz key is refused: {err}"),
    }
    match SessionKey::ed25519(FUZZ_PUBLIC_KEY.as_bytes(), DEFAULT_AUDIENCE, Duration::from_secs(3600)) {
        Ok(key) => assert!(key.verify(token, now).is_err(), "a token verified without the private key"),
        Err(err) => panic!("the fuzz public key is refused: {err}"),
    }
}
