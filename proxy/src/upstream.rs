//! The upstream Billing API base URL, and the URL a request is forwarded to.

use percent_encoding::percent_decode_str;
use reqwest::Url;
use std::fmt;

/// The base URL of the Billing API the proxy forwards to, e.g. `http://127.0.0.1:8081` or
/// `https://lf-api.payex.com`. A base may carry a path prefix, which is kept in front of the
/// request's path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Upstream {
    /// The base as written, without trailing `/`: request targets are appended to it.
    base: String,
    /// The path part of `base` (empty for a bare origin).
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
        Ok(Upstream { base, base_path })
    }

    /// The URL that `path_and_query` (a request's raw target, starting with `/`) is forwarded
    /// to: the base followed by the target byte for byte.
    ///
    /// Nothing is decoded and re-encoded. The URL parser may still percent-encode a raw
    /// character that it does not allow (such as `'` in a query, which browsers leave as is);
    /// that keeps the meaning. A target whose meaning the parser would change (dot segments,
    /// backslashes) is refused rather than forwarded somewhere else.
    pub fn target(&self, path_and_query: &str) -> Result<Url, UnforwardableTarget> {
        let url = Url::parse(&format!("{}{path_and_query}", self.base)).map_err(|_| UnforwardableTarget::Invalid)?;
        let (path, query) = match path_and_query.split_once('?') {
            Some((path, query)) => (path, Some(query)),
            None => (path_and_query, None),
        };
        let expected_path = format!("{}{path}", self.base_path);
        let unchanged = same_when_decoded(url.path(), &expected_path)
            && same_when_decoded(url.query().unwrap_or(""), query.unwrap_or(""))
            && url.fragment().is_none();
        if unchanged {
            Ok(url)
        } else {
            Err(UnforwardableTarget::WouldBeRewritten)
        }
    }
}

/// True if two percent-encoded strings decode to the same bytes.
fn same_when_decoded(a: &str, b: &str) -> bool {
    percent_decode_str(a).eq(percent_decode_str(b))
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
        assert_eq!(url.as_str(), format!("http://127.0.0.1:8081{target}"));
    }

    #[test]
    fn keeps_the_base_path_prefix() {
        let upstream = Upstream::parse("https://api.example.test/payex/").unwrap();
        assert_eq!(upstream.to_string(), "https://api.example.test/payex");
        let url = upstream.target("/billing/invoice/v1/1/invoices").unwrap();
        assert_eq!(url.as_str(), "https://api.example.test/payex/billing/invoice/v1/1/invoices");
    }

    #[test]
    fn refuses_dot_segments_in_any_spelling() {
        for target in [
            "/billing/customer/v1/../../admin",
            "/billing/customer/v1/%2e%2e/%2E%2E/admin",
            "/billing/customer/v1/x/./customers",
        ] {
            assert_eq!(local().target(target), Err(UnforwardableTarget::WouldBeRewritten), "{target}");
        }
    }

    #[test]
    fn allows_characters_the_parser_only_encodes() {
        let url = local().target("/billing/invoice/v1/1/invoices?customerNo=O'Brien").unwrap();
        assert_eq!(url.query(), Some("customerNo=O%27Brien"));
    }

    #[test]
    fn refuses_bases_that_are_not_plain_http_origins() {
        for base in ["ftp://h", "127.0.0.1:8081", "http://user:pw@h", "http://h/?a=1", "http://h/#x", "nonsense"] {
            assert!(Upstream::parse(base).is_err(), "{base}");
        }
    }
}
