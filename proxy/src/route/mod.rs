//! The allowlist of the two APIs' routes: which path shapes, methods and query parameters pass,
//! and the canonical form a request is forwarded in.
//!
//! A path is split on `/`; every segment is percent-decoded exactly once, checked against the
//! contract's rule for what stands there ([`IdKind::validate`] for identifiers, byte equality
//! for fixed words) and re-encoded with [`encode_segment`](billing_contract::ids::encode_segment) before forwarding. Empty segments,
//! `.` and `..` (in any spelling), double encoding (`%25XX`), unknown or repeated query
//! parameters and methods a route does not have are refused. Nothing the contract does not
//! describe can reach the upstream.
//!
//! This module matches a request against the allowlist ([`ApiRoute::parse`]) and writes its
//! canonical target; the routes themselves are in `table` and the decoding of segments and
//! query parameters in `decode`.

mod decode;
mod table;

pub use decode::MAX_PAGE_SIZE;
pub use table::RouteKind;

use crate::access::Api;
use axum::http::Method;
use billing_contract::ids::{push_segment, IdKind};
use decode::{decode_once, parse_query, QueryParams};
use smallvec::SmallVec;
use std::borrow::Cow;
use table::shape_matches;
use table::Part::{Id, Word};

/// Longest path accepted, in bytes (well above any route with maximal identifiers).
pub const MAX_PATH_BYTES: usize = 1024;
/// Longest query accepted, in bytes.
pub const MAX_QUERY_BYTES: usize = 512;

/// An API request that matched a route of the allowlist: its identifiers decoded and checked.
#[derive(Clone, Debug)]
pub struct ApiRoute<'a> {
    /// Which route.
    pub kind: RouteKind,
    /// The path's identifiers, decoded (borrowed from the path when it had no escape), in path
    /// order with their kinds.
    ids: SmallVec<[(IdKind, Cow<'a, str>); 3]>,
    /// The query parameters, decoded, in request order.
    query: QueryParams<'a>,
}

/// Why a request target is not on the allowlist (answered 400, or 404 for an unknown shape,
/// or 405 for a method the route does not have).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RouteError {
    /// The path is longer than [`MAX_PATH_BYTES`] or the query than [`MAX_QUERY_BYTES`].
    #[error("the request target is too long")]
    TooLong,
    /// An empty segment (`//` or a trailing `/`).
    #[error("the path has an empty segment")]
    EmptySegment,
    /// A `.` or `..` segment, in any spelling.
    #[error("the path has a dot segment")]
    DotSegment,
    /// A segment or query value that still holds a percent-encoding after decoding once.
    #[error("the path or query is encoded twice")]
    DoubleEncoded,
    /// A segment that is not valid percent-encoded UTF-8, or a raw character that must be
    /// encoded.
    #[error("the path or query is not validly encoded")]
    BadEncoding,
    /// An identifier outside the contract's pattern.
    #[error("{0}")]
    BadIdentifier(#[from] billing_contract::ids::IdError),
    /// No route has this shape.
    #[error("no billing API route has this path")]
    UnknownRoute,
    /// The route does not answer this method.
    #[error("this route is not called with {method}: use {allow}")]
    MethodNotAllowed {
        /// The method used.
        method: Method,
        /// The route's methods.
        allow: &'static str,
    },
    /// A query parameter the route does not take, or one given twice.
    #[error("the query parameter `{0}` is not accepted here")]
    UnknownParameter(String),
    /// A paging parameter that is not a whole number from 1.
    #[error("the query parameter `{0}` must be a whole number from 1")]
    BadNumber(&'static str),
    /// A page size above [`MAX_PAGE_SIZE`].
    #[error("the query parameter `pageSize` must be at most {MAX_PAGE_SIZE}")]
    PageSizeTooLarge,
}

/// Routes are equal when they are the same route with the same decoded identifiers and query,
/// whatever text each borrows from.
impl<'b> PartialEq<ApiRoute<'b>> for ApiRoute<'_> {
    fn eq(&self, other: &ApiRoute<'b>) -> bool {
        self.kind == other.kind
            && self
                .ids
                .iter()
                .map(|(kind, id)| (kind, id.as_ref()))
                .eq(other.ids.iter().map(|(kind, id)| (kind, id.as_ref())))
            && self
                .query
                .iter()
                .map(|(name, value)| (name, value.as_ref()))
                .eq(other.query.iter().map(|(name, value)| (name, value.as_ref())))
    }
}

impl Eq for ApiRoute<'_> {}

impl<'a> ApiRoute<'a> {
    /// Matches `api`, the raw path after `{api prefix}/` and the raw query against the
    /// allowlist for `method`.
    pub fn parse(api: Api, method: &Method, rest: &'a str, query: Option<&'a str>) -> Result<ApiRoute<'a>, RouteError> {
        if rest.len() > MAX_PATH_BYTES || query.is_some_and(|q| q.len() > MAX_QUERY_BYTES) {
            return Err(RouteError::TooLong);
        }
        let segments = rest.split('/').map(decode_once).collect::<Result<SmallVec<[_; 8]>, _>>()?;
        let kind = RouteKind::ALL
            .into_iter()
            .filter(|kind| kind.api() == api)
            .find(|kind| shape_matches(kind.shape(), rest, &segments))
            .ok_or(RouteError::UnknownRoute)?;
        if !kind.allows(method) {
            return Err(RouteError::MethodNotAllowed { method: method.clone(), allow: kind.allow_header() });
        }
        let mut ids = SmallVec::new();
        for (part, segment) in kind.shape().iter().zip(segments) {
            if let Id(id_kind) = part {
                id_kind.validate(&segment)?;
                ids.push((*id_kind, segment));
            }
        }
        let query = parse_query(kind.query(), query)?;
        Ok(ApiRoute { kind, ids, query })
    }

    /// The identifier of `kind` in the path, if the route has one.
    pub fn id(&self, kind: IdKind) -> Option<&str> {
        self.ids.iter().find(|(k, _)| *k == kind).map(|(_, id)| id.as_ref())
    }

    /// The value of query parameter `name`, if given.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.query.iter().find(|(n, _)| *n == name).map(|(_, value)| value.as_ref())
    }

    /// The ledger the request is for.
    pub fn owner(&self) -> &str {
        self.id(IdKind::Owner).unwrap_or_default()
    }

    /// The canonical path and query forwarded upstream: every identifier and query value
    /// encoded with [`encode_segment`](billing_contract::ids::encode_segment).
    pub fn canonical_target(&self) -> String {
        let prefix = self.kind.api().prefix();
        let mut target = String::with_capacity(prefix.len() + MAX_PATH_BYTES / 4);
        target.push_str(prefix);
        let mut ids = self.ids.iter();
        for part in self.kind.shape() {
            target.push('/');
            match part {
                Word(word) => target.push_str(word),
                Id(_) => push_segment(&mut target, ids.next().map_or("", |(_, id)| id.as_ref())),
            }
        }
        for (index, (name, value)) in self.query.iter().enumerate() {
            target.push(if index == 0 { '?' } else { '&' });
            target.push_str(name);
            target.push('=');
            push_segment(&mut target, value);
        }
        target
    }

    /// Whether this is a write (anything but `GET`/`HEAD`) for `method`.
    pub fn is_write(method: &Method) -> bool {
        !(method == Method::GET || method == Method::HEAD)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use billing_contract::paths::CUSTOMER_NO_PARAM;
    use percent_encoding::percent_decode_str;

    fn parse(method: Method, path: &str) -> Result<ApiRoute<'_>, RouteError> {
        let (api, rest) = Api::of_path(path.split('?').next().unwrap()).unwrap();
        ApiRoute::parse(api, &method, rest, path.split_once('?').map(|(_, q)| q))
    }

    #[test]
    fn the_special_customer_is_one_segment_and_is_forwarded_canonically() {
        let path = "/billing/customer/v1/100200/customers/%C3%85kesson%20%26%20Co%2F7/subscriptions/V%C3%A4xel%201%2FA";
        let route = parse(Method::GET, path).unwrap();
        assert_eq!(route.kind, RouteKind::Subscription);
        assert_eq!(route.id(IdKind::Customer), Some("Åkesson & Co/7"));
        assert_eq!(route.id(IdKind::Subscription), Some("Växel 1/A"));
        assert_eq!(route.canonical_target(), path);
        // A lower-case escape and a raw `(` are re-encoded canonically.
        let route = parse(Method::GET, "/billing/customer/v1/100200/customers/A%2fB(1)").unwrap();
        assert_eq!(route.canonical_target(), "/billing/customer/v1/100200/customers/A%2FB%281%29");
    }

    #[test]
    fn paging_links_pass_and_are_canonical() {
        let route =
            parse(Method::GET, "/billing/invoice/v1/100200/invoices?customerNo=A+%26+B&pageSize=10&page=2").unwrap();
        assert_eq!(route.param(CUSTOMER_NO_PARAM), Some("A & B"));
        assert_eq!(
            route.canonical_target(),
            "/billing/invoice/v1/100200/invoices?customerNo=A%20%26%20B&pageSize=10&page=2"
        );
        let lines = "/billing/invoice/v1/100200/invoices/604004/subscriptions/S1/recurring-products?page=3";
        assert_eq!(parse(Method::GET, lines).unwrap().canonical_target(), lines);
    }

    /// RFC 3986 §5.2.4: the path as a hop that removes dot segments reads it.
    fn remove_dot_segments(path: &str) -> String {
        let mut out: Vec<&str> = Vec::new();
        for part in path.split('/').skip(1) {
            match part {
                "." => {}
                ".." => {
                    out.pop();
                }
                _ => out.push(part),
            }
        }
        format!("/{}", out.join("/"))
    }

    /// For every request the proxy forwards, a hop that fully decodes the upstream path and
    /// removes dot segments still addresses the same ledger, customer and resource kind.
    #[test]
    fn no_forwarded_identifier_moves_the_request_after_a_full_decode() {
        let pieces = ["a", "1", ".", "..", "%2F", "%2f", "%2E", "%2e", "%2E%2E", "/", "%5C", "~"];
        let mut forwarded = 0;
        // Every sequence of up to four pieces: 22,620 identifiers.
        let mut stack: Vec<(String, usize)> = pieces.iter().map(|p| (p.to_string(), 1)).collect();
        while let Some((id, depth)) = stack.pop() {
            if depth < 4 {
                stack.extend(pieces.iter().map(|p| (format!("{id}{p}"), depth + 1)));
            }
            let path = format!("/billing/customer/v1/100200/customers/15615616/subscriptions/{id}/recurring-products");
            let Ok(route) = parse(Method::GET, &path) else { continue };
            forwarded += 1;
            let target = route.canonical_target();
            let decoded = percent_decode_str(&target).decode_utf8_lossy().into_owned();
            let resolved = remove_dot_segments(&decoded);
            assert!(
                resolved.starts_with("/billing/customer/v1/100200/customers/15615616/subscriptions/")
                    && resolved.ends_with("/recurring-products"),
                "{path} forwarded as {target} reads as {resolved}"
            );
        }
        assert!(forwarded > 100, "only {forwarded} identifiers were forwarded");
    }

    #[test]
    fn refusals() {
        use RouteError::*;
        let cases: &[(Method, &str, RouteError)] = &[
            (Method::GET, "/billing/customer/v1/100200/customers/1//recurring-products", EmptySegment),
            (Method::GET, "/billing/customer/v1/100200/customers/1/", EmptySegment),
            (Method::GET, "/billing/customer/v1/100200/customers/..", DotSegment),
            (Method::GET, "/billing/customer/v1/100200/customers/%2e%2E", DotSegment),
            (Method::GET, "/billing/customer/v1/100200/customers/.", DotSegment),
            (
                Method::GET,
                "/billing/customer/v1/100200/customers/15615616/subscriptions/..%2F..%2F5566778899",
                DotSegment,
            ),
            (Method::GET, "/billing/customer/v1/100200/customers/A%2F.", DotSegment),
            (Method::GET, "/billing/customer/v1/100200/customers/%2e%2e%2fB", DotSegment),
            (Method::GET, "/billing/customer/v1/100200/customers/A%252FB", DoubleEncoded),
            (Method::GET, "/billing/customer/v1/100200/customers/%FF", BadEncoding),
            (Method::GET, "/billing/customer/v1/100200/customers/A%2", BadEncoding),
            (Method::GET, "/billing/customer/v1/100200/customers/A\\B", BadEncoding),
            (Method::GET, "/billing/customer/v1/100200/admin", UnknownRoute),
            (Method::GET, "/billing/customer/v1/100200/%63ustomers/1", UnknownRoute),
            (Method::GET, "/billing/invoice/v1/100200/customers/1", UnknownRoute),
            (Method::GET, "/billing/invoice/v1/100200/invoices?debug=1", UnknownParameter("debug".into())),
            (Method::GET, "/billing/invoice/v1/100200/invoices?page=1&page=2", UnknownParameter("page".into())),
            (Method::GET, "/billing/invoice/v1/100200/invoices?page", UnknownParameter("page".into())),
            (Method::GET, "/billing/invoice/v1/100200/invoices?page=0", BadNumber("page")),
            (Method::GET, "/billing/invoice/v1/100200/invoices?pageSize=1001", PageSizeTooLarge),
            (Method::GET, "/billing/invoice/v1/100200/invoices?pageSize=999999999", PageSizeTooLarge),
            (Method::GET, "/billing/invoice/v1/100200/invoices/1?page=2", UnknownParameter("page".into())),
        ];
        for (method, path, expected) in cases {
            assert_eq!(parse(method.clone(), path).as_ref(), Err(expected), "{method} {path}");
        }
        assert!(parse(Method::GET, "/billing/invoice/v1/100200/invoices?pageSize=1000").is_ok(), "the limit itself");
        assert!(matches!(
            parse(Method::DELETE, "/billing/invoice/v1/100200/invoices/1"),
            Err(MethodNotAllowed { allow: "GET, HEAD", .. })
        ));
        assert!(matches!(
            parse(Method::GET, "/billing/customer/v1/100200/customers/1234567890123456"),
            Err(BadIdentifier(_))
        ));
        assert!(matches!(
            parse(Method::GET, "/billing/invoice/v1/100200/invoices?customerNo=A%0D%0AB"),
            Err(BadIdentifier(_))
        ));
        assert!(matches!(parse(Method::GET, "/billing/customer/v1/100%20200/customers/1"), Err(BadIdentifier(_))));
    }
}
