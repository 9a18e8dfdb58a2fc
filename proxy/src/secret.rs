//! A credential that must never be shown: not in a response, an error message or a log line.

use axum::http::header::{HeaderValue, InvalidHeaderValue};
use std::fmt;

/// A secret string, such as the upstream bearer token.
///
/// `Debug` and `Display` print `[redacted]`, so a `Secret` can sit in a struct that is logged
/// or formatted without leaking. The value is reached only through [`Secret::expose`].
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// What `Debug` and `Display` print instead of the value.
    pub const REDACTED: &'static str = "[redacted]";

    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The secret value itself: use it only where it is sent, never where it is shown.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The `authorization: Bearer <secret>` header value, marked sensitive so that HTTP
    /// libraries neither index (HPACK) nor print it.
    pub fn bearer_header(&self) -> Result<HeaderValue, InvalidHeaderValue> {
        let mut value = HeaderValue::try_from(format!("Bearer {}", self.0))?;
        value.set_sensitive(true);
        Ok(value)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(Secret::REDACTED)
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(Secret::REDACTED)
    }
}

#[cfg(test)]
mod tests {
    use super::Secret;

    #[test]
    fn debug_and_display_are_redacted() {
        let secret = Secret::new("tok-123");
        assert_eq!(format!("{secret}"), "[redacted]");
        assert_eq!(format!("{secret:?}"), "[redacted]");
        assert_eq!(format!("{:?}", Some(&secret)), "Some([redacted])");
        assert_eq!(secret.expose(), "tok-123");
    }

    #[test]
    fn bearer_header_is_sensitive_and_not_printed() {
        let header = Secret::new("tok-123").bearer_header().unwrap();
        assert!(header.is_sensitive());
        assert_eq!(header.as_bytes(), b"Bearer tok-123");
        assert!(!format!("{header:?}").contains("tok-123"));
    }

    #[test]
    fn bearer_header_rejects_control_characters() {
        assert!(Secret::new("tok\n123").bearer_header().is_err());
    }
}
