//! The upstream Billing API base URL, and the URL a request is forwarded to.

use axum::http::uri::{Authority, PathAndQuery, Scheme};
use axum::http::Uri;
use percent_encoding::percent_decode;
use std::fmt;
use url::Url;

/// The base URL of the Billing API the proxy forwards to, e.g. `http://127.0.0.1:8081` or
/// `https://lf-api.payex.com`. A base may carry a path prefix, which is kept in front of the
/// request's path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Upstream {
    /// The base as written, without trailing `/`.
    base: String,
    /// The scheme and authority of `base`, parsed once: a target only adds its path.
    scheme: Scheme,
    authority: Authority,
    /// The path part of `base` (empty for a bare origin): request targets are appended to it.
    base_path: String,
}

/// Why an upstream base URL was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct InvalidUpstream(&'static str);

/// Why a request target cannot be forwarded unchanged.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum UnforwardableTarget {
    /// Not under one of the API prefixes.
    #[error("the path is not under a billing API prefix")]
    OutsideApis,
    /// Not a URL once appended to the base.
    #[error("the request target is not a valid URL")]
    Invalid,
    /// URL normalisation would change what it means, e.g. `..` segments that would climb out
    /// of the API prefix, or `\` read as `/`.
    #[error("the request path has dot segments or characters that would be rewritten")]
    WouldBeRewritten,
}

impl Upstream {
    /// Parses an `http://` or `https://` base URL without credentials, query or fragment.
    pub fn parse(base: &str) -> Result<Upstream, InvalidUpstream> {
        let url = Url::parse(base).map_err(|_| InvalidUpstream("not a valid absolute URL"))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(InvalidUpstream("the scheme must be http or https"));
        }
        if url.host_str().is_none() {
            return Err(InvalidUpstream("a host is needed"));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(InvalidUpstream("credentials do not belong in the URL: use the token settings"));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(InvalidUpstream("a query or fragment is not allowed"));
        }
        let base = url.as_str().trim_end_matches('/').to_owned();
        let base_path = url.path().trim_end_matches('/').to_owned();
        let origin = Uri::try_from(base.as_str()).map_err(|_| InvalidUpstream("not a valid absolute URL"))?;
        let (Some(scheme), Some(authority)) = (origin.scheme().cloned(), origin.authority().cloned()) else {
            return Err(InvalidUpstream("a host is needed"));
        };
        Ok(Upstream { base, scheme, authority, base_path })
    }

    /// Whether the upstream is reached over TLS (`https://`).
    pub fn is_https(&self) -> bool {
        self.scheme == Scheme::HTTPS
    }

    /// The URL that `path_and_query` (a request's raw target, starting with `/`) is forwarded
    /// to: the base followed by the target byte for byte.
    ///
    /// Nothing is decoded, re-encoded or normalised: the HTTP request line carries exactly
    /// these bytes. A target that is not a valid request target (raw spaces, control
    /// characters, raw non-ASCII, a fragment) is refused, and so is one that a server normalising URLs the
    /// way the URL standard does would read as another path (dot segments in any spelling,
    /// backslashes), rather than forwarded somewhere else.
    pub fn target(&self, path_and_query: &str) -> Result<Uri, UnforwardableTarget> {
        // One pass: every byte printable ASCII other than `#` and `\`, and no segment of the path
        // (before `?`) a dot segment. An invalid byte is reported before a dot segment.
        let bytes = path_and_query.as_bytes();
        if bytes.first() != Some(&b'/') {
            return Err(UnforwardableTarget::Invalid);
        }
        let (mut segment_start, mut in_query, mut dot_segment) = (1, false, false);
        for (index, &byte) in bytes.iter().enumerate() {
            if !byte.is_ascii_graphic() || byte == b'#' || byte == b'\\' {
                return Err(UnforwardableTarget::Invalid);
            }
            if !in_query && (byte == b'/' || byte == b'?') && index > 0 {
                dot_segment |= is_dot_segment(bytes.get(segment_start..index).unwrap_or_default());
                segment_start = index + 1;
                in_query = byte == b'?';
            }
        }
        if !in_query {
            dot_segment |= is_dot_segment(bytes.get(segment_start..).unwrap_or_default());
        }
        if dot_segment {
            return Err(UnforwardableTarget::WouldBeRewritten);
        }
        let forwarded = if self.base_path.is_empty() {
            PathAndQuery::try_from(path_and_query)
        } else {
            PathAndQuery::try_from([self.base_path.as_str(), path_and_query].concat())
        }
        .map_err(|_| UnforwardableTarget::Invalid)?;
        if forwarded.as_str().len() != self.base_path.len() + path_and_query.len() {
            return Err(UnforwardableTarget::WouldBeRewritten);
        }
        let mut parts = axum::http::uri::Parts::default();
        parts.scheme = Some(self.scheme.clone());
        parts.authority = Some(self.authority.clone());
        parts.path_and_query = Some(forwarded);
        Uri::from_parts(parts).map_err(|_| UnforwardableTarget::Invalid)
    }
}

/// Whether a raw path segment is `.` or `..` in any spelling (`%2e`, `%2E`).
fn is_dot_segment(segment: &[u8]) -> bool {
    segment.len() <= 6 && matches!(segment.first(), Some(b'.' | b'%')) && {
        let decoded = percent_decode(segment);
        decoded.clone().eq(*b".") || decoded.eq(*b"..")
    }
}

impl fmt::Display for Upstream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.base)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local() -> Upstream {
        Upstream::parse("http://127.0.0.1:8081").unwrap()
    }

    #[test]
    fn keeps_an_encoded_identifier_and_query_byte_for_byte() {
        let target = "/billing/customer/v1/100200/customers/%C3%85kesson%20%26%20Co%2F7?customerNo=A%26B&page=2";
        let url = local().target(target).unwrap();
        assert_eq!(url.to_string(), format!("http://127.0.0.1:8081{target}"));
    }

    #[test]
    fn keeps_the_base_path_prefix() {
        let upstream = Upstream::parse("https://api.example.test/payex/").unwrap();
        assert_eq!(upstream.to_string(), "https://api.example.test/payex");
        let url = upstream.target("/billing/invoice/v1/1/invoices").unwrap();
        assert_eq!(url.to_string(), "https://api.example.test/payex/billing/invoice/v1/1/invoices");
    }

    #[test]
    fn refuses_dot_segments_in_any_spelling() {
        for target in [
            "/billing/customer/v1/../../admin",
            "/billing/customer/v1/%2e%2e/%2E%2E/admin",
            "/billing/customer/v1/x/./customers",
            "/billing/customer/v1/x/%2E/customers?page=1",
            "/billing/customer/v1/x/.%2e",
            "/billing/customer/v1/x/..?page=1",
            "/..",
        ] {
            assert_eq!(local().target(target), Err(UnforwardableTarget::WouldBeRewritten), "{target}");
        }
    }

    #[test]
    fn forwards_allowed_raw_characters_as_they_are() {
        let url = local().target("/billing/invoice/v1/1/invoices?customerNo=O'Brien").unwrap();
        assert_eq!(url.query(), Some("customerNo=O'Brien"));
        let dots_in_query = local().target("/billing/invoice/v1/1/invoices?customerNo=..").unwrap();
        assert_eq!(dots_in_query.query(), Some("customerNo=.."));
        assert_eq!(
            local().target("/billing/customer/v1/1/customers/.a..").unwrap().path(),
            "/billing/customer/v1/1/customers/.a.."
        );
    }

    #[test]
    fn refuses_what_is_not_a_request_target() {
        for target in ["/a b", "/a\\b", "/a#b", "/a\r\nx: y", "relative", "/\u{e5}"] {
            assert!(local().target(target).is_err(), "{target:?}");
        }
    }

    #[test]
    fn refuses_bases_that_are_not_plain_http_origins() {
        for base in ["ftp://h", "127.0.0.1:8081", "http://user:pw@h", "http://h/?a=1", "http://h/#x", "nonsense"] {
            assert!(Upstream::parse(base).is_err(), "{base}");
        }
    }
}
