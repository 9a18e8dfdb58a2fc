//! Cross-site request forgery: a write must come from one of the configured `allowed-origins`
//! and carry the widget's custom header, which a cross-site form or a CORS-less `fetch` cannot
//! set. With no origins configured every write is refused: the request's own `Host` is not
//! taken as the page's origin, since whoever controls a name's DNS (rebinding) controls both.

use crate::access::Denied;
use axum::http::{header, HeaderMap};
use billing_contract::proxy_protocol::{CSRF_HEADER, CSRF_VALUE};

/// Which `Origin` values may write.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OriginPolicy {
    /// Exact origins allowed (`https://crm.example.com`); when empty, no write is allowed.
    pub allowed: Vec<String>,
}

impl OriginPolicy {
    /// Checks a write's headers: the [`CSRF_HEADER`] must be [`CSRF_VALUE`] and the `Origin`
    /// one of the allowed origins (of which there must be at least one).
    pub fn check_write(&self, headers: &HeaderMap) -> Result<(), Denied> {
        if self.allowed.is_empty() {
            return Err(Denied::Forbidden(
                "Changes are refused: the proxy has no allowed-origins setting, which writes need.".into(),
            ));
        }
        let marked = headers.get(CSRF_HEADER).is_some_and(|value| value == CSRF_VALUE);
        if !marked {
            return Err(Denied::Forbidden(format!("A change must carry the `{CSRF_HEADER}: {CSRF_VALUE}` header.")));
        }
        let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
        let Some(origin) = origin else {
            return Err(Denied::Forbidden("A change must carry the page's `Origin`.".into()));
        };
        if self.allowed.iter().any(|allowed| allowed.eq_ignore_ascii_case(origin)) {
            Ok(())
        } else {
            Err(Denied::Forbidden("A change must come from one of the proxy's allowed origins.".into()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        pairs.iter().map(|(name, value)| (name.parse().unwrap(), value.parse().unwrap())).collect()
    }

    fn crm() -> OriginPolicy {
        OriginPolicy { allowed: vec!["https://crm.example.com".into(), "http://127.0.0.1:8080".into()] }
    }

    #[test]
    fn an_allowed_origin_with_the_marker_passes() {
        let own = headers(&[("x-billing-csrf", "1"), ("origin", "http://127.0.0.1:8080"), ("host", "127.0.0.1:8080")]);
        assert_eq!(crm().check_write(&own), Ok(()));
        let other_host =
            headers(&[("x-billing-csrf", "1"), ("origin", "https://CRM.example.com"), ("host", "internal:8080")]);
        assert_eq!(crm().check_write(&other_host), Ok(()));
    }

    #[test]
    fn cross_site_or_unmarked_writes_are_refused() {
        let policy = crm();
        for case in [
            headers(&[("origin", "http://127.0.0.1:8080"), ("host", "127.0.0.1:8080")]),
            headers(&[("x-billing-csrf", "0"), ("origin", "http://127.0.0.1:8080"), ("host", "127.0.0.1:8080")]),
            headers(&[("x-billing-csrf", "1"), ("host", "127.0.0.1:8080")]),
            headers(&[("x-billing-csrf", "1"), ("origin", "https://evil.example"), ("host", "127.0.0.1:8080")]),
            headers(&[("x-billing-csrf", "1"), ("origin", "null"), ("host", "127.0.0.1:8080")]),
            headers(&[("x-billing-csrf", "1"), ("origin", "http://127.0.0.1:8080/x"), ("host", "127.0.0.1:8080")]),
            // The request's own Host is no longer the page's origin.
            headers(&[("x-billing-csrf", "1"), ("origin", "http://evil.example"), ("host", "evil.example")]),
        ] {
            assert!(policy.check_write(&case).is_err(), "{case:?}");
        }
    }

    #[test]
    fn without_allowed_origins_every_write_is_refused() {
        let same_host =
            headers(&[("x-billing-csrf", "1"), ("origin", "http://127.0.0.1:8080"), ("host", "127.0.0.1:8080")]);
        let Err(Denied::Forbidden(reason)) = OriginPolicy::default().check_write(&same_host) else {
            panic!("a write without allowed-origins passed");
        };
        assert!(reason.contains("allowed-origins"), "{reason}");
    }
}
