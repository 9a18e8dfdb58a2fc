//! Who may do what: the deployment's access mode decides, for every request that matched the
//! route allowlist, whether it is forwarded.
//!
//! - [`AccessPolicy::Trusted`]: the proxy sits behind the host's own authentication; requests
//!   within the configured ledger are forwarded, writes only if the deployment enables them.
//! - [`AccessPolicy::SignedSession`]: each request carries a host-signed [`Session`] in the
//!   [`SESSION_HEADER`] (or, where the deployment allows it, in the [`SESSION_COOKIE`], which the
//!   company's login sets `HttpOnly` so that no script holds it; the header wins when both
//!   come); only requests about that session's customer within its scope pass.
//!   Customer API routes name the customer in the path and are checked here; invoice routes
//!   do not, so their [`Grant`] asks the forwarder to check the invoice's customer upstream
//!   before anything of it is returned.

use crate::route::{ApiRoute, RouteKind};
use crate::session::{Scope, Session, SessionError, SessionKey};
use axum::http::{HeaderMap, HeaderName, Method};
use billing_contract::ids::IdKind;
use billing_contract::paths::{CUSTOMER_API, CUSTOMER_NO_PARAM, INVOICE_API};
use billing_contract::proxy_protocol::{AccessMode, SessionInfo, SESSION_COOKIE, SESSION_HEADER};
use std::borrow::Cow;
use std::time::SystemTime;

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

/// Why a request was not forwarded.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Denied {
    /// The request carries no valid credentials of the proxy's own (answered 401).
    #[error("{0}")]
    Unauthenticated(String),
    /// The request is valid but not allowed (answered 403).
    #[error("{0}")]
    Forbidden(String),
    /// The request is about another customer's resource: answered exactly as a resource that
    /// does not exist (404, [`crate::ProxyError::NotFound`]'s problem).
    #[error("There is nothing here, or nothing this session may see.")]
    NotVisible,
}

impl From<SessionError> for Denied {
    fn from(err: SessionError) -> Denied {
        Denied::Unauthenticated(format!("{}. Reload the page to get a new session.", capitalised(&err.to_string())))
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// What an allowed request is allowed as.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grant {
    /// Who is asking, for the audit log and the rate limit: the session's subject, the
    /// trusted user header's value, or `trusted`.
    pub subject: Cow<'static, str>,
    /// If set, the request is about an invoice (the route's `invoiceNo`) that must belong to
    /// this customer; the forwarder checks it upstream before forwarding.
    pub invoice_customer: Option<String>,
    /// In a signed session, the session's customer: the forwarder checks that a write's
    /// subscription and recurring product are in this customer's own lists, and keeps only this
    /// customer's items in an invoice list ([`crate::ownership`]). `None` in trusted mode.
    pub session_customer: Option<String>,
    /// Whether the subject is one session or user, whose requests are rate-limited together
    /// (not so for the anonymous `trusted` subject, which is everyone behind the host).
    pub rate_limited: bool,
}

/// How the proxy decides which API requests it forwards.
#[derive(Clone, Debug)]
pub enum AccessPolicy {
    /// The embedding host authenticates users before they reach the proxy; requests within
    /// `owner_no` are forwarded, writes only with [`Scope::ReadWrite`].
    Trusted {
        /// The one ledger forwarded to.
        owner_no: String,
        /// Whether writes are forwarded.
        scope: Scope,
        /// A header the host's reverse proxy sets to the signed-in user (for the audit log).
        user_header: Option<HeaderName>,
    },
    /// Every request carries a host-signed session token naming one customer.
    SignedSession {
        /// The one ledger forwarded to.
        owner_no: String,
        /// The key tokens are verified with.
        key: SessionKey,
        /// Whether the token may also come in the [`SESSION_COOKIE`].
        cookie: bool,
    },
}

impl AccessPolicy {
    /// The ledger this deployment forwards to.
    pub fn owner_no(&self) -> &str {
        match self {
            AccessPolicy::Trusted { owner_no, .. } | AccessPolicy::SignedSession { owner_no, .. } => owner_no,
        }
    }

    /// The mode's name, as configured.
    pub fn mode(&self) -> &'static str {
        match self {
            AccessPolicy::Trusted { .. } => "trusted",
            AccessPolicy::SignedSession { .. } => "signed-session",
        }
    }

    /// Decides whether `route`, called with `method` and `headers`, may be forwarded at
    /// `now()` (read only where a session's expiry is checked).
    pub fn authorize(
        &self,
        route: &ApiRoute<'_>,
        method: &Method,
        headers: &HeaderMap,
        now: impl FnOnce() -> SystemTime,
    ) -> Result<Grant, Denied> {
        if route.owner() != self.owner_no() {
            return Err(Denied::Forbidden("This ledger is not served here.".into()));
        }
        let write = ApiRoute::is_write(method);
        match self {
            AccessPolicy::Trusted { scope, user_header, .. } => {
                if write && *scope == Scope::Read {
                    return Err(Denied::Forbidden("Changes are not enabled here.".into()));
                }
                let user = match user_header {
                    Some(name) => trusted_user(headers, name)?,
                    None => None,
                };
                Ok(match user {
                    Some(user) => Grant {
                        subject: format!("trusted:{user}").into(),
                        invoice_customer: None,
                        session_customer: None,
                        rate_limited: true,
                    },
                    None => Grant {
                        subject: Cow::Borrowed("trusted"),
                        invoice_customer: None,
                        session_customer: None,
                        rate_limited: false,
                    },
                })
            }
            AccessPolicy::SignedSession { key, cookie, .. } => {
                let session = key.verify(session_token(headers, *cookie)?, now())?;
                authorize_session(&session, route, write, self.owner_no())
            }
        }
    }

    /// Who a request is, for the proxy's own [`billing_contract::proxy_protocol::SESSION_INFO_PATH`]:
    /// the mode and ledger, and in a signed session its verified customer, scope and expiry
    /// (a missing or invalid session is [`Denied::Unauthenticated`]).
    pub fn session_info(&self, headers: &HeaderMap, now: impl FnOnce() -> SystemTime) -> Result<SessionInfo, Denied> {
        match self {
            AccessPolicy::Trusted { owner_no, scope, .. } => Ok(SessionInfo {
                mode: AccessMode::Trusted,
                owner_no: owner_no.clone(),
                customer_no: None,
                scope: *scope,
                expires_at: None,
            }),
            AccessPolicy::SignedSession { owner_no, key, cookie } => {
                let session = key.verify(session_token(headers, *cookie)?, now())?;
                if session.owner_no != *owner_no {
                    return Err(Denied::Forbidden("This session is for another ledger.".into()));
                }
                Ok(SessionInfo {
                    mode: AccessMode::SignedSession,
                    owner_no: session.owner_no,
                    customer_no: Some(session.customer_no),
                    scope: session.scope,
                    expires_at: Some(session.exp),
                })
            }
        }
    }
}

/// The session token a request carries: the [`SESSION_HEADER`]'s, else (when `cookie` is
/// allowed) the [`SESSION_COOKIE`]'s. Two cookies of that name are refused as malformed: which
/// one the browser meant cannot be told.
fn session_token(headers: &HeaderMap, cookie: bool) -> Result<&str, SessionError> {
    if let Some(value) = headers.get(SESSION_HEADER) {
        return value.to_str().map_err(|_| SessionError::Malformed);
    }
    if !cookie {
        return Err(SessionError::Missing);
    }
    let mut found = None;
    for line in headers.get_all(axum::http::header::COOKIE) {
        let line = line.to_str().map_err(|_| SessionError::Malformed)?;
        for pair in cookie::Cookie::split_parse(line).flatten() {
            if pair.name() == SESSION_COOKIE {
                if found.is_some() {
                    return Err(SessionError::Malformed);
                }
                // Borrowed from the header as parsed (a token is never quoted; quotes are dropped).
                found = pair.value_raw().map(|value| value.trim_matches('"'));
            }
        }
    }
    found.filter(|token| !token.is_empty()).ok_or(SessionError::Missing)
}

/// The longest user name taken from the trusted user header.
pub const MAX_TRUSTED_USER_LEN: usize = 200;

/// The user named by the trusted user header `name`: none when the header is absent or empty;
/// refused when it came more than once (the host's reverse proxy appended to what the browser
/// sent instead of overwriting it) or is not a plain user name (1 to
/// [`MAX_TRUSTED_USER_LEN`] ASCII letters, digits and `. _ - @ + \`).
fn trusted_user<'h>(headers: &'h HeaderMap, name: &HeaderName) -> Result<Option<&'h str>, Denied> {
    let mut values = headers.get_all(name).iter();
    let Some(value) = values.next() else { return Ok(None) };
    if values.next().is_some() {
        return Err(Denied::Forbidden(
            "The signed-in user header came more than once: the host's reverse proxy must overwrite it.".into(),
        ));
    }
    let user = value.as_bytes();
    if user.is_empty() {
        return Ok(None);
    }
    let plain = |byte: &u8| byte.is_ascii_alphanumeric() || b"._-@+\\".contains(byte);
    match std::str::from_utf8(user) {
        Ok(user) if user.len() <= MAX_TRUSTED_USER_LEN && user.as_bytes().iter().all(plain) => Ok(Some(user)),
        _ => Err(Denied::Forbidden("The signed-in user header is not a plain user name.".into())),
    }
}

/// The signed-session rules for one verified `session`.
fn authorize_session(session: &Session, route: &ApiRoute<'_>, write: bool, owner_no: &str) -> Result<Grant, Denied> {
    // Another customer's resources are "not found", as if they did not exist.
    let other_customer = || Denied::NotVisible;
    if session.owner_no != owner_no {
        return Err(Denied::Forbidden("This session is for another ledger.".into()));
    }
    if write && session.scope != Scope::ReadWrite {
        return Err(Denied::Forbidden("This session may not change anything.".into()));
    }
    let subject = Cow::Owned(session.subject());
    let mine = Some(session.customer_no.as_str());
    let session_customer = Some(session.customer_no.clone());
    match route.kind {
        RouteKind::Customers => Err(Denied::Forbidden("A session cannot create customers.".into())),
        RouteKind::Invoices if route.param(CUSTOMER_NO_PARAM) == mine => {
            Ok(Grant { subject, invoice_customer: None, session_customer, rate_limited: true })
        }
        RouteKind::Invoices if route.param(CUSTOMER_NO_PARAM).is_none() => {
            Err(Denied::Forbidden("A session lists its own customer's invoices only: name it in customerNo.".into()))
        }
        RouteKind::Invoices => Err(other_customer()),
        kind if kind.api() == Api::Customer => match route.id(IdKind::Customer) {
            id if id == mine => Ok(Grant { subject, invoice_customer: None, session_customer, rate_limited: true }),
            _ => Err(other_customer()),
        },
        _ => Ok(Grant { subject, invoice_customer: mine.map(str::to_owned), session_customer, rate_limited: true }),
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

    use crate::session::SessionKey;
    use std::time::{Duration, UNIX_EPOCH};

    const KEY: &[u8] = b"0123456789abcdef0123456789abcdef";

    fn route<'a>(method: &Method, target: &'a str) -> ApiRoute<'a> {
        let (path, query) = target.split_once('?').map_or((target, None), |(p, q)| (p, Some(q)));
        let (api, rest) = Api::of_path(path).unwrap();
        ApiRoute::parse(api, method, rest, query).unwrap()
    }

    fn now() -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(2_000_000_000)
    }

    fn session_policy() -> AccessPolicy {
        AccessPolicy::SignedSession {
            owner_no: "100200".into(),
            key: SessionKey::new(KEY, Duration::from_secs(900)).unwrap(),
            cookie: false,
        }
    }

    fn with_session(customer: &str, scope: Scope) -> HeaderMap {
        let session = Session {
            sub: "user-1".into(),
            owner_no: "100200".into(),
            customer_no: customer.into(),
            scope,
            iat: 2_000_000_000,
            nbf: None,
            exp: 2_000_000_600,
        };
        let token = SessionKey::new(KEY, Duration::from_secs(900)).unwrap().sign(&session).unwrap();
        let mut headers = HeaderMap::new();
        headers.insert(SESSION_HEADER, token.parse().unwrap());
        headers
    }

    fn check(policy: &AccessPolicy, method: Method, target: &str, headers: &HeaderMap) -> Result<Grant, Denied> {
        policy.authorize(&route(&method, target), &method, headers, now)
    }

    #[test]
    fn trusted_keeps_to_its_ledger_and_scope() {
        let read_write =
            AccessPolicy::Trusted { owner_no: "100200".into(), scope: Scope::ReadWrite, user_header: None };
        let none = HeaderMap::new();
        let product = "/billing/customer/v1/100200/customers/2/recurring-products/3";
        assert_eq!(check(&read_write, Method::DELETE, product, &none).unwrap().subject, "trusted");
        let other_ledger = "/billing/customer/v1/999/customers/2";
        assert!(matches!(check(&read_write, Method::GET, other_ledger, &none), Err(Denied::Forbidden(_))));
        let read_only = AccessPolicy::Trusted {
            owner_no: "100200".into(),
            scope: Scope::Read,
            user_header: Some(HeaderName::from_static("x-remote-user")),
        };
        assert!(matches!(check(&read_only, Method::DELETE, product, &none), Err(Denied::Forbidden(_))));
        let mut user = HeaderMap::new();
        user.insert("x-remote-user", "agent-7".parse().unwrap());
        assert_eq!(check(&read_only, Method::GET, product, &user).unwrap().subject, "trusted:agent-7");
    }

    #[test]
    fn the_trusted_user_header_must_be_one_plain_user_name() {
        let policy = AccessPolicy::Trusted {
            owner_no: "100200".into(),
            scope: Scope::Read,
            user_header: Some(HeaderName::from_static("x-remote-user")),
        };
        let customer = "/billing/customer/v1/100200/customers/2";
        let with = |values: &[&str]| {
            let mut headers = HeaderMap::new();
            for value in values {
                headers.append("x-remote-user", value.parse().unwrap());
            }
            check(&policy, Method::GET, customer, &headers)
        };
        for plain in ["agent-7", "anna.berg@example.com", "DOMAIN\\anna", "a+b_c", &"a".repeat(200)] {
            assert_eq!(with(&[plain]).unwrap().subject, format!("trusted:{plain}"), "{plain}");
        }
        let anonymous = with(&[]).unwrap();
        assert_eq!((anonymous.subject.as_ref(), anonymous.rate_limited), ("trusted", false));
        assert_eq!(with(&[""]).unwrap().subject, "trusted");
        for odd in ["anna, mallory", "anna berg", "anna;x=1", "\"anna\"", "a/b", "a\tb", &"a".repeat(201)] {
            assert!(matches!(with(&[odd]), Err(Denied::Forbidden(_))), "{odd:?}");
        }
        let appended = with(&["mallory", "anna"]);
        assert!(
            matches!(&appended, Err(Denied::Forbidden(reason)) if reason.contains("more than once")),
            "{appended:?}"
        );
    }

    #[test]
    fn a_session_sees_its_own_customer_only() {
        let policy = session_policy();
        let mine = with_session("Åkesson & Co/7", Scope::Read);
        let own = "/billing/customer/v1/100200/customers/%C3%85kesson%20%26%20Co%2F7/recurring-products";
        assert!(check(&policy, Method::GET, own, &mine).is_ok());
        assert!(check(&policy, Method::GET, "/billing/customer/v1/100200/customers/15615616", &mine).is_err());
        assert!(check(&policy, Method::POST, own, &mine).is_err(), "read scope cannot write");
        let list = "/billing/invoice/v1/100200/invoices?customerNo=%C3%85kesson+%26+Co%2F7&page=2";
        assert_eq!(check(&policy, Method::GET, list, &mine).unwrap().invoice_customer, None);
        assert!(check(&policy, Method::GET, "/billing/invoice/v1/100200/invoices", &mine).is_err());
        assert!(check(&policy, Method::GET, "/billing/invoice/v1/100200/invoices?customerNo=1", &mine).is_err());
        let invoice = check(&policy, Method::GET, "/billing/invoice/v1/100200/invoices/603001", &mine).unwrap();
        assert_eq!(invoice.invoice_customer.as_deref(), Some("Åkesson & Co/7"));
        let writer = with_session("15615616", Scope::ReadWrite);
        assert!(check(&policy, Method::POST, "/billing/customer/v1/100200/customers", &writer).is_err());
        let product = "/billing/customer/v1/100200/customers/15615616/recurring-products/1";
        assert!(check(&policy, Method::PUT, product, &writer).is_ok());
    }

    #[test]
    fn a_missing_or_forged_session_is_unauthenticated() {
        let policy = session_policy();
        let target = "/billing/customer/v1/100200/customers/15615616";
        assert!(matches!(check(&policy, Method::GET, target, &HeaderMap::new()), Err(Denied::Unauthenticated(_))));
        let mut forged = HeaderMap::new();
        forged.insert(SESSION_HEADER, "eyJvd25lck5vIjoiMTAwMjAwIn0.AAAA".parse().unwrap());
        assert!(matches!(check(&policy, Method::GET, target, &forged), Err(Denied::Unauthenticated(_))));
    }
}
