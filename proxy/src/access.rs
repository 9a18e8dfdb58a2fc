//! Which API requests the proxy forwards.
//!
//! The forwarder asks the [`AccessPolicy`] about every request before anything is sent
//! upstream. Today the only policy is [`AccessPolicy::Trusted`]: the page embedding the widget
//! is trusted, and everything under the two API prefixes is forwarded. Stricter policies
//! (host-signed sessions, route allowlists, CSRF checks) become further variants.

use axum::http::{HeaderMap, Method, Uri};
use billing_contract::paths::{CUSTOMER_API, INVOICE_API};

/// One of the two Billing APIs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Api {
    /// The Billing Customer API, under [`CUSTOMER_API`].
    Customer,
    /// The Billing Invoice API, under [`INVOICE_API`].
    Invoice,
}

impl Api {
    /// The path prefix of this API, without trailing `/`.
    pub fn prefix(self) -> &'static str {
        match self {
            Api::Customer => CUSTOMER_API,
            Api::Invoice => INVOICE_API,
        }
    }

    /// The API a raw path belongs to, and the still-encoded rest of the path after
    /// `<prefix>/`; `None` for a path outside both APIs.
    pub fn of_path(path: &str) -> Option<(Api, &str)> {
        [Api::Customer, Api::Invoice].into_iter().find_map(|api| {
            let rest = path.strip_prefix(api.prefix())?.strip_prefix('/')?;
            Some((api, rest))
        })
    }
}

/// What an access policy is shown of a request to forward. Paths and queries are raw
/// (percent-encoded, as received).
#[derive(Clone, Copy, Debug)]
pub struct ApiRequest<'a> {
    /// The request method.
    pub method: &'a Method,
    /// The API addressed.
    pub api: Api,
    /// The path after `<api prefix>/`, e.g. `100200/customers/AB%2F1`.
    pub rest: &'a str,
    /// The query, without `?`.
    pub query: Option<&'a str>,
    /// The browser's request headers (before the forwarder's allowlist is applied).
    pub headers: &'a HeaderMap,
}

impl<'a> ApiRequest<'a> {
    /// Reads a request addressed to one of the APIs; `None` if its path is outside both.
    pub fn new(method: &'a Method, uri: &'a Uri, headers: &'a HeaderMap) -> Option<ApiRequest<'a>> {
        let (api, rest) = Api::of_path(uri.path())?;
        Some(ApiRequest { method, api, rest, query: uri.query(), headers })
    }
}

/// Why a request was not forwarded.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Denied {
    /// The request carries no valid credentials of the proxy's own (answered 401).
    #[error("{0}")]
    Unauthenticated(String),
    /// The request is valid but not allowed (answered 403).
    #[error("{0}")]
    Forbidden(String),
}

/// How the proxy decides which API requests it forwards.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum AccessPolicy {
    /// Every request under the two API prefixes is forwarded: the embedding host is trusted
    /// to put the proxy behind its own login.
    #[default]
    Trusted,
}

impl AccessPolicy {
    /// Decides whether `request` may be forwarded.
    pub fn authorize(&self, request: &ApiRequest<'_>) -> Result<(), Denied> {
        match (self, request) {
            (AccessPolicy::Trusted, _) => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_the_two_api_prefixes_only() {
        assert_eq!(Api::of_path("/billing/customer/v1/1/customers/A%2FB"), Some((Api::Customer, "1/customers/A%2FB")));
        assert_eq!(Api::of_path("/billing/invoice/v1/1/invoices"), Some((Api::Invoice, "1/invoices")));
        assert_eq!(Api::of_path("/billing/customer/v10/1"), None);
        assert_eq!(Api::of_path("/billing/other/v1/x"), None);
        assert_eq!(Api::of_path("/billing/invoice/v1"), None);
    }

    #[test]
    fn trusted_allows_every_api_request() {
        let (method, headers) = (Method::DELETE, HeaderMap::new());
        let uri: Uri = "/billing/customer/v1/1/customers/2/recurring-products/3?x=1".parse().unwrap();
        let request = ApiRequest::new(&method, &uri, &headers).unwrap();
        assert_eq!(request.query, Some("x=1"));
        assert_eq!(AccessPolicy::Trusted.authorize(&request), Ok(()));
    }
}
