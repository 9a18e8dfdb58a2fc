//! Cross-site request forgery: a write must come from the page's own origin and carry the
//! widget's custom header, which a cross-site form or a CORS-less `fetch` cannot set.

use crate::access::Denied;
use axum::http::{header, HeaderMap};
use billing_contract::proxy_protocol::{CSRF_HEADER, CSRF_VALUE};

/// Which `Origin` values count as the page's own.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OriginPolicy {
    /// Exact origins allowed (`https://crm.example.com`); when empty, an origin is the page's
    /// own if its host and port equal the request's `Host`.
    pub allowed: Vec<String>,
}

impl OriginPolicy {
    /// Checks a write's headers: the [`CSRF_HEADER`] must be [`CSRF_VALUE`] and the `Origin`
    /// the page's own.
    pub fn check_write(&self, headers: &HeaderMap) -> Result<(), Denied> {
        let marked = headers.get(CSRF_HEADER).is_some_and(|value| value == CSRF_VALUE);
        if !marked {
            return Err(Denied::Forbidden(format!("A change must carry the `{CSRF_HEADER}: {CSRF_VALUE}` header.")));
        }
        let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
        let Some(origin) = origin else {
            return Err(Denied::Forbidden("A change must carry the page's `Origin`.".into()));
        };
        if self.is_own(origin, headers) {
            Ok(())
        } else {
            Err(Denied::Forbidden("A change must come from the page's own origin.".into()))
        }
    }

    fn is_own(&self, origin: &str, headers: &HeaderMap) -> bool {
        if !self.allowed.is_empty() {
            return self.allowed.iter().any(|allowed| allowed.eq_ignore_ascii_case(origin));
        }
        let Some(authority) = origin.strip_prefix("https://").or_else(|| origin.strip_prefix("http://")) else {
            return false;
        };
        let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
        host.is_some_and(|host| !authority.contains('/') && host.eq_ignore_ascii_case(authority))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        pairs.iter().map(|(name, value)| (name.parse().unwrap(), value.parse().unwrap())).collect()
    }

    #[test]
    fn same_origin_with_the_marker_passes() {
        let own = headers(&[("x-billing-csrf", "1"), ("origin", "http://127.0.0.1:8080"), ("host", "127.0.0.1:8080")]);
        assert_eq!(OriginPolicy::default().check_write(&own), Ok(()));
    }

    #[test]
    fn cross_site_or_unmarked_writes_are_refused() {
        let policy = OriginPolicy::default();
        for case in [
            headers(&[("origin", "http://127.0.0.1:8080"), ("host", "127.0.0.1:8080")]),
            headers(&[("x-billing-csrf", "0"), ("origin", "http://127.0.0.1:8080"), ("host", "127.0.0.1:8080")]),
            headers(&[("x-billing-csrf", "1"), ("host", "127.0.0.1:8080")]),
            headers(&[("x-billing-csrf", "1"), ("origin", "https://evil.example"), ("host", "127.0.0.1:8080")]),
            headers(&[("x-billing-csrf", "1"), ("origin", "null"), ("host", "127.0.0.1:8080")]),
            headers(&[("x-billing-csrf", "1"), ("origin", "http://127.0.0.1:8080/x"), ("host", "127.0.0.1:8080")]),
        ] {
            assert!(policy.check_write(&case).is_err(), "{case:?}");
        }
    }

    #[test]
    fn configured_origins_replace_the_host_rule() {
        let policy = OriginPolicy { allowed: vec!["https://crm.example.com".into()] };
        let crm = headers(&[("x-billing-csrf", "1"), ("origin", "https://crm.example.com"), ("host", "internal:8080")]);
        assert_eq!(policy.check_write(&crm), Ok(()));
        let own_host =
            headers(&[("x-billing-csrf", "1"), ("origin", "http://internal:8080"), ("host", "internal:8080")]);
        assert!(policy.check_write(&own_host).is_err());
    }
}
