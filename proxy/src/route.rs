//! The allowlist of the two APIs' routes: which path shapes, methods and query parameters pass,
//! and the canonical form a request is forwarded in.
//!
//! A path is split on `/`; every segment is percent-decoded exactly once, checked against the
//! contract's rule for what stands there ([`IdKind::validate`] for identifiers, byte equality
//! for fixed words) and re-encoded with [`encode_segment`] before forwarding. Empty segments,
//! `.` and `..` (in any spelling), double encoding (`%25XX`), unknown or repeated query
//! parameters and methods a route does not have are refused. Nothing the contract does not
//! describe can reach the upstream.

use crate::access::Api;
use axum::http::Method;
use billing_contract::ids::{push_segment, IdKind};
use billing_contract::paths::{CUSTOMER_NO_PARAM, PAGE_PARAM, PAGE_SIZE_PARAM};
use percent_encoding::percent_decode_str;
use smallvec::SmallVec;
use std::borrow::Cow;
use std::fmt::Write as _;
use std::sync::OnceLock;

/// Longest path accepted, in bytes (well above any route with maximal identifiers).
pub const MAX_PATH_BYTES: usize = 1024;
/// Longest query accepted, in bytes.
pub const MAX_QUERY_BYTES: usize = 512;

/// One part of a route shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Part {
    /// A fixed word, e.g. `customers`.
    Word(&'static str),
    /// An identifier of this kind, one percent-encoded segment.
    Id(IdKind),
}

use Part::{Id, Word};

const OWNER: Part = Id(IdKind::Owner);
const CUSTOMER: Part = Id(IdKind::Customer);
const SUBSCRIPTION: Part = Id(IdKind::Subscription);
const INVOICE: Part = Id(IdKind::Invoice);
const PRODUCT: Part = Id(IdKind::RecurringProduct);
const CUSTOMERS: Part = Word("customers");
const SUBSCRIPTIONS: Part = Word("subscriptions");
const INVOICES: Part = Word("invoices");
const PRODUCTS: Part = Word("recurring-products");

/// What a route allows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Methods {
    /// `GET` (and `HEAD`).
    Read,
    /// `GET` and `POST` (a collection that can be added to).
    ReadAdd,
    /// `POST` only.
    Add,
    /// `GET`, `PUT` and `DELETE` (a member that can be replaced and removed).
    ReadReplaceRemove,
}

/// The query parameters a route accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Query {
    /// None at all.
    None,
    /// Paging: [`PAGE_PARAM`] and [`PAGE_SIZE_PARAM`].
    Paged,
    /// Paging and the [`CUSTOMER_NO_PARAM`] filter (the invoice list).
    PagedByCustomer,
}

/// Every route of the two APIs the proxy forwards: the shape after `{api prefix}/`, its
/// template (for logs and metrics), methods and query parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RouteKind {
    /// `POST customer/v1/{owner}/customers` [doc].
    Customers,
    /// `GET customer/v1/{owner}/customers/{customer}` [doc].
    Customer,
    /// `GET, POST .../customers/{customer}/recurring-products`.
    CustomerProducts,
    /// `GET, PUT, DELETE .../customers/{customer}/recurring-products/{product}`.
    CustomerProduct,
    /// `GET, POST .../customers/{customer}/subscriptions`.
    Subscriptions,
    /// `GET .../customers/{customer}/subscriptions/{subscription}`.
    Subscription,
    /// `GET, POST .../subscriptions/{subscription}/recurring-products`.
    SubscriptionProducts,
    /// `GET, PUT, DELETE .../subscriptions/{subscription}/recurring-products/{product}`.
    SubscriptionProduct,
    /// `GET invoice/v1/{owner}/invoices?customerNo=` [doc].
    Invoices,
    /// `GET invoice/v1/{owner}/invoices/{invoice}` [doc].
    Invoice,
    /// `GET .../invoices/{invoice}/recurring-products`.
    InvoiceLines,
    /// `GET .../invoices/{invoice}/recurring-products/{product}`.
    InvoiceLine,
    /// `GET .../invoices/{invoice}/subscriptions`.
    InvoiceSubscriptions,
    /// `GET .../invoices/{invoice}/subscriptions/{subscription}`.
    InvoiceSubscription,
    /// `GET .../invoices/{invoice}/subscriptions/{subscription}/recurring-products`.
    InvoiceSubscriptionLines,
    /// `GET .../invoices/{invoice}/subscriptions/{subscription}/recurring-products/{product}`.
    InvoiceSubscriptionLine,
}

impl RouteKind {
    /// Every route.
    pub const ALL: [RouteKind; 16] = [
        RouteKind::Customers,
        RouteKind::Customer,
        RouteKind::CustomerProducts,
        RouteKind::CustomerProduct,
        RouteKind::Subscriptions,
        RouteKind::Subscription,
        RouteKind::SubscriptionProducts,
        RouteKind::SubscriptionProduct,
        RouteKind::Invoices,
        RouteKind::Invoice,
        RouteKind::InvoiceLines,
        RouteKind::InvoiceLine,
        RouteKind::InvoiceSubscriptions,
        RouteKind::InvoiceSubscription,
        RouteKind::InvoiceSubscriptionLines,
        RouteKind::InvoiceSubscriptionLine,
    ];

    /// The API this route belongs to.
    pub fn api(self) -> Api {
        match self {
            RouteKind::Customers
            | RouteKind::Customer
            | RouteKind::CustomerProducts
            | RouteKind::CustomerProduct
            | RouteKind::Subscriptions
            | RouteKind::Subscription
            | RouteKind::SubscriptionProducts
            | RouteKind::SubscriptionProduct => Api::Customer,
            _ => Api::Invoice,
        }
    }

    fn shape(self) -> &'static [Part] {
        match self {
            RouteKind::Customers => &[OWNER, CUSTOMERS],
            RouteKind::Customer => &[OWNER, CUSTOMERS, CUSTOMER],
            RouteKind::CustomerProducts => &[OWNER, CUSTOMERS, CUSTOMER, PRODUCTS],
            RouteKind::CustomerProduct => &[OWNER, CUSTOMERS, CUSTOMER, PRODUCTS, PRODUCT],
            RouteKind::Subscriptions => &[OWNER, CUSTOMERS, CUSTOMER, SUBSCRIPTIONS],
            RouteKind::Subscription => &[OWNER, CUSTOMERS, CUSTOMER, SUBSCRIPTIONS, SUBSCRIPTION],
            RouteKind::SubscriptionProducts => &[OWNER, CUSTOMERS, CUSTOMER, SUBSCRIPTIONS, SUBSCRIPTION, PRODUCTS],
            RouteKind::SubscriptionProduct => {
                &[OWNER, CUSTOMERS, CUSTOMER, SUBSCRIPTIONS, SUBSCRIPTION, PRODUCTS, PRODUCT]
            }
            RouteKind::Invoices => &[OWNER, INVOICES],
            RouteKind::Invoice => &[OWNER, INVOICES, INVOICE],
            RouteKind::InvoiceLines => &[OWNER, INVOICES, INVOICE, PRODUCTS],
            RouteKind::InvoiceLine => &[OWNER, INVOICES, INVOICE, PRODUCTS, PRODUCT],
            RouteKind::InvoiceSubscriptions => &[OWNER, INVOICES, INVOICE, SUBSCRIPTIONS],
            RouteKind::InvoiceSubscription => &[OWNER, INVOICES, INVOICE, SUBSCRIPTIONS, SUBSCRIPTION],
            RouteKind::InvoiceSubscriptionLines => &[OWNER, INVOICES, INVOICE, SUBSCRIPTIONS, SUBSCRIPTION, PRODUCTS],
            RouteKind::InvoiceSubscriptionLine => {
                &[OWNER, INVOICES, INVOICE, SUBSCRIPTIONS, SUBSCRIPTION, PRODUCTS, PRODUCT]
            }
        }
    }

    fn methods(self) -> Methods {
        match self {
            RouteKind::Customers => Methods::Add,
            RouteKind::CustomerProducts | RouteKind::Subscriptions | RouteKind::SubscriptionProducts => {
                Methods::ReadAdd
            }
            RouteKind::CustomerProduct | RouteKind::SubscriptionProduct => Methods::ReadReplaceRemove,
            _ => Methods::Read,
        }
    }

    fn query(self) -> Query {
        match self {
            RouteKind::Invoices => Query::PagedByCustomer,
            RouteKind::CustomerProducts
            | RouteKind::Subscriptions
            | RouteKind::SubscriptionProducts
            | RouteKind::InvoiceLines
            | RouteKind::InvoiceSubscriptions
            | RouteKind::InvoiceSubscriptionLines => Query::Paged,
            _ => Query::None,
        }
    }

    /// Whether the route answers `method`. `HEAD` goes with `GET`.
    pub fn allows(self, method: &Method) -> bool {
        let read = *method == Method::GET || *method == Method::HEAD;
        match self.methods() {
            Methods::Read => read,
            Methods::ReadAdd => read || *method == Method::POST,
            Methods::Add => *method == Method::POST,
            Methods::ReadReplaceRemove => read || *method == Method::PUT || *method == Method::DELETE,
        }
    }

    /// The methods the route answers, for an `allow` header.
    pub fn allow_header(self) -> &'static str {
        match self.methods() {
            Methods::Read => "GET, HEAD",
            Methods::ReadAdd => "GET, HEAD, POST",
            Methods::Add => "POST",
            Methods::ReadReplaceRemove => "GET, HEAD, PUT, DELETE",
        }
    }

    /// The route's template, e.g. `/billing/invoice/v1/{ownerNo}/invoices/{invoiceNo}`: what
    /// logs and metrics name it by (no identifiers, so no personal data and few series).
    pub fn template(self) -> &'static str {
        static TEMPLATES: OnceLock<Vec<String>> = OnceLock::new();
        let templates = TEMPLATES.get_or_init(|| RouteKind::ALL.iter().map(|kind| kind.build_template()).collect());
        let index = RouteKind::ALL.iter().position(|kind| *kind == self).unwrap_or_default();
        templates.get(index).map_or("", String::as_str)
    }

    fn build_template(self) -> String {
        let mut template = self.api().prefix().to_owned();
        for part in self.shape() {
            match part {
                Word(word) => {
                    let _ = write!(template, "/{word}");
                }
                Id(kind) => {
                    let _ = write!(template, "/{{{}}}", kind.field());
                }
            }
        }
        template
    }
}

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

/// A route's query parameters: each accepted name with its decoded value.
type QueryParams<'a> = SmallVec<[(&'static str, Cow<'a, str>); 3]>;

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

/// The largest `pageSize` forwarded: a page of this many items is already as much as one
/// answer should hold (the upstream answer's size is capped as well).
pub const MAX_PAGE_SIZE: u32 = 1_000;

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
    /// encoded with [`encode_segment`].
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

/// Decodes one path segment or query value exactly once, refusing what must not pass (and
/// borrowing `raw` when it holds no escape).
fn decode_once(raw: &str) -> Result<Cow<'_, str>, RouteError> {
    if raw.is_empty() {
        return Err(RouteError::EmptySegment);
    }
    // Only characters a browser sends unencoded in a segment may be raw; `%` must start a
    // valid escape.
    let bytes = raw.as_bytes();
    let mut index = 0;
    let mut escaped = false;
    while index < bytes.len() {
        let byte = bytes[index];
        if byte == b'%' {
            let escape = bytes.get(index + 1..index + 3).is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit));
            if !escape {
                return Err(RouteError::BadEncoding);
            }
            escaped = true;
            index += 3;
        } else if byte.is_ascii_alphanumeric() || b"-._~!$'()*+,;=:@".contains(&byte) {
            index += 1;
        } else {
            return Err(RouteError::BadEncoding);
        }
    }
    // Without an escape there is nothing to decode: the segment is itself (ASCII).
    let decoded = if escaped {
        percent_decode_str(raw).decode_utf8().map_err(|_| RouteError::BadEncoding)?
    } else {
        Cow::Borrowed(raw)
    };
    if decoded == "." || decoded == ".." {
        return Err(RouteError::DotSegment);
    }
    if escaped {
        if looks_encoded(&decoded) {
            return Err(RouteError::DoubleEncoded);
        }
        // An identifier may hold `/` (`AB/123`), but a hop that decodes `%2F` and removes dot
        // segments would read `..%2F..%2FX` as a move: no `/`-separated part may be `.` or `..`.
        // (Only an escape can bring `/` into a segment; control characters fail the identifier
        // pattern.)
        if decoded.split('/').any(|part| part == "." || part == "..") {
            return Err(RouteError::DotSegment);
        }
    }
    Ok(decoded)
}

/// True if `text` still holds a percent-escape (`%` and two hex digits).
fn looks_encoded(text: &str) -> bool {
    text.as_bytes().windows(3).any(|w| w[0] == b'%' && w[1].is_ascii_hexdigit() && w[2].is_ascii_hexdigit())
}

/// Whether the decoded `segments` (of the raw path `rest`) have `shape`. Fixed words must be
/// sent as themselves, not encoded.
fn shape_matches(shape: &[Part], rest: &str, segments: &[Cow<'_, str>]) -> bool {
    shape.len() == segments.len()
        && shape.iter().zip(rest.split('/')).all(|(part, raw)| match part {
            Word(word) => raw == *word,
            Id(_) => true,
        })
}

/// The query parameters of `raw` accepted by `allowed`, decoded and checked.
fn parse_query(allowed: Query, raw: Option<&str>) -> Result<QueryParams<'_>, RouteError> {
    let Some(raw) = raw else { return Ok(SmallVec::new()) };
    let names: &[&'static str] = match allowed {
        Query::None => &[],
        Query::Paged => &[PAGE_PARAM, PAGE_SIZE_PARAM],
        Query::PagedByCustomer => &[CUSTOMER_NO_PARAM, PAGE_PARAM, PAGE_SIZE_PARAM],
    };
    let mut params = QueryParams::new();
    if raw.is_empty() {
        return Ok(params);
    }
    for pair in raw.split('&') {
        let (raw_name, raw_value) = pair.split_once('=').ok_or_else(|| RouteError::UnknownParameter(shown(pair)))?;
        let name = names
            .iter()
            .find(|name| **name == raw_name)
            .ok_or_else(|| RouteError::UnknownParameter(shown(raw_name)))?;
        if params.iter().any(|(n, _)| n == name) {
            return Err(RouteError::UnknownParameter((*name).to_owned()));
        }
        // A query value may carry `+` for a space (form encoding), as the API reads it.
        let value = if raw_value.contains('+') {
            Cow::Owned(decode_once(&raw_value.replace('+', "%20"))?.into_owned())
        } else {
            decode_once(raw_value)?
        };
        if *name == CUSTOMER_NO_PARAM {
            IdKind::Customer.validate(&value)?;
        } else if !(value.len() <= 9
            && value.bytes().all(|b| b.is_ascii_digit())
            && value.parse::<u32>().is_ok_and(|n| n >= 1))
        {
            return Err(RouteError::BadNumber(name));
        } else if *name == PAGE_SIZE_PARAM && value.parse::<u32>().is_ok_and(|n| n > MAX_PAGE_SIZE) {
            return Err(RouteError::PageSizeTooLarge);
        }
        params.push((name, value));
    }
    Ok(params)
}

/// A parameter name fit to echo in an error: short and printable.
fn shown(name: &str) -> String {
    name.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').take(32).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn templates_name_no_identifier() {
        assert_eq!(
            RouteKind::InvoiceSubscriptionLines.template(),
            "/billing/invoice/v1/{ownerNo}/invoices/{invoiceNo}/subscriptions/{subscriptionNo}/recurring-products"
        );
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
