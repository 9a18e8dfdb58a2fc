//! The errors the proxy answers itself, each rendered as an `application/problem+json`
//! [`Problem`] whose `instance` is the request id.
//!
//! Problems from the upstream API are not these: they pass through unchanged.

use crate::access::Denied;
use crate::request_id::RequestId;
use crate::route::RouteError;
use crate::upstream::UnforwardableTarget;
use axum::body::Bytes;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use billing_contract::problem::PROBLEM_JSON;
use billing_contract::Problem;
use std::time::Duration;

/// Prefix of the proxy's own problem type codes, after the APIs' `billing/{api}/problems/`.
pub const PROBLEM_TYPE_PREFIX: &str = "billing/proxy/problems/";

/// The methods forwarded to the APIs, as advertised in a 405's `allow` header.
pub const ALLOWED_METHODS: &str = "GET, POST, PUT, DELETE";

/// Something the proxy answers with an error of its own. Its `Display` is the problem's
/// `detail`, safe to show to a browser: it names no credential and no upstream address.
#[derive(Debug, thiserror::Error)]
pub enum ProxyError {
    /// The upstream could not be connected to, or broke off the exchange (502).
    #[error("The billing API could not be reached. Try again in a moment.")]
    UpstreamUnavailable,
    /// The upstream did not answer in time (504).
    #[error("The billing API did not answer within {} ms.", .0.as_millis())]
    UpstreamTimeout(Duration),
    /// The request body is larger than allowed (413).
    #[error("The request body is larger than the {0} bytes allowed.")]
    PayloadTooLarge(usize),
    /// The request body could not be read (400).
    #[error("The request body could not be read.")]
    UnreadableBody,
    /// A method the APIs are not called with (405).
    #[error("The billing APIs are not called with {0}: use GET, POST, PUT or DELETE.")]
    MethodNotAllowed(Method),
    /// A request target that cannot be forwarded unchanged (400).
    #[error("This request cannot be forwarded: {0}.")]
    UnforwardableTarget(#[from] UnforwardableTarget),
    /// The access policy or the CSRF check refused the request (401 or 403).
    #[error("{0}")]
    Denied(#[from] Denied),
    /// The request is not on the route allowlist (400, 404 or 405).
    #[error("This request is not forwarded: {0}.")]
    Route(#[from] RouteError),
    /// The subject has sent too many requests; the next is allowed after the duration (429).
    #[error("Too many requests: try again in {} s.", retry_after_secs(*.0))]
    RateLimited(Duration),
    /// A write whose body is not declared as JSON (415).
    #[error("A change must be sent as application/json.")]
    UnsupportedMediaType,
    /// A write whose body is not JSON (400).
    #[error("The request body is not valid JSON.")]
    InvalidJson,
    /// A body on a request that takes none (GET, HEAD, DELETE) (400).
    #[error("This request takes no body.")]
    UnexpectedBody,
    /// A resource that does not exist or that is not the session's to see: one problem for
    /// both (404), so that whether another customer's resource exists is not revealed. An
    /// upstream 404 becomes this too.
    #[error("There is nothing here, or nothing this session may see.")]
    NotFound,
    /// The upstream refused the proxy's own credentials (its bearer token or client
    /// certificate) with 401 or 403 (502): not the browser's session, which would make the
    /// widget renew a session that is fine.
    #[error(
        "The billing API refused the proxy's credentials. This is not about your session: tell the site's operators."
    )]
    UpstreamRefusedCredentials,
    /// The upstream answer is larger than allowed (502).
    #[error("The billing API's answer is larger than the {0} bytes allowed.")]
    UpstreamTooLarge(usize),
    /// The upstream is already sent as many requests at once as allowed, and none finished
    /// within the queue's deadline (503, with `retry-after`).
    #[error("The billing API is busy: try again in {} s.", retry_after_secs(*.0))]
    UpstreamBusy(Duration),
    /// The request body did not arrive in time (408).
    #[error("The request body did not arrive within {} ms.", .0.as_millis())]
    RequestTimeout(Duration),
    /// A write body that is not its route's contract input (400), naming each field.
    #[error("{0}")]
    InvalidBody(crate::write_body::BodyRefusal),
    /// The session's customer's lists were longer than the proxy reads to check that a write is
    /// theirs, so the write was not sent (502).
    #[error("This change could not be checked against the customer's own list, so it was not sent.")]
    OwnershipUnchecked,
    /// The upstream's own answer to a check made before forwarding (e.g. its 404 for the
    /// invoice a session asked about), passed to the browser unchanged.
    #[error("The billing API answered {}.", .0.status)]
    Upstream(Box<UpstreamAnswer>),
    /// The upstream answered something that is not the API's JSON (502).
    #[error("The billing API answered something that could not be read. Try again in a moment.")]
    UpstreamGarbled,
}

/// An answer of the upstream, passed on unchanged.
#[derive(Debug)]
pub struct UpstreamAnswer {
    /// Its status.
    pub status: StatusCode,
    /// Its headers, through the response allowlist.
    pub headers: HeaderMap,
    /// Its body.
    pub body: Bytes,
}

/// Whole seconds to wait, at least 1.
pub fn retry_after_secs(wait: Duration) -> u64 {
    wait.as_secs() + u64::from(wait.subsec_nanos() > 0)
}

impl ProxyError {
    /// The HTTP status answered.
    pub fn status(&self) -> StatusCode {
        match self {
            ProxyError::UpstreamUnavailable => StatusCode::BAD_GATEWAY,
            ProxyError::UpstreamTimeout(_) => StatusCode::GATEWAY_TIMEOUT,
            ProxyError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ProxyError::UnreadableBody | ProxyError::UnforwardableTarget(_) => StatusCode::BAD_REQUEST,
            ProxyError::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            ProxyError::Denied(Denied::Unauthenticated(_)) => StatusCode::UNAUTHORIZED,
            ProxyError::Denied(Denied::Forbidden(_)) => StatusCode::FORBIDDEN,
            ProxyError::Route(RouteError::UnknownRoute) | ProxyError::NotFound => StatusCode::NOT_FOUND,
            ProxyError::Denied(Denied::NotVisible) => StatusCode::NOT_FOUND,
            ProxyError::UpstreamRefusedCredentials | ProxyError::UpstreamTooLarge(_) => StatusCode::BAD_GATEWAY,
            ProxyError::UpstreamBusy(_) => StatusCode::SERVICE_UNAVAILABLE,
            ProxyError::RequestTimeout(_) => StatusCode::REQUEST_TIMEOUT,
            ProxyError::InvalidBody(_) => StatusCode::BAD_REQUEST,
            ProxyError::OwnershipUnchecked => StatusCode::BAD_GATEWAY,
            ProxyError::Route(RouteError::MethodNotAllowed { .. }) => StatusCode::METHOD_NOT_ALLOWED,
            ProxyError::Route(_) | ProxyError::InvalidJson | ProxyError::UnexpectedBody => StatusCode::BAD_REQUEST,
            ProxyError::RateLimited(_) => StatusCode::TOO_MANY_REQUESTS,
            ProxyError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ProxyError::UpstreamGarbled => StatusCode::BAD_GATEWAY,
            ProxyError::Upstream(answer) => answer.status,
        }
    }

    /// The last part of the problem type code, e.g. `upstream-timeout`.
    pub fn slug(&self) -> &'static str {
        match self {
            ProxyError::UpstreamUnavailable => "upstream-unavailable",
            ProxyError::UpstreamTimeout(_) => "upstream-timeout",
            ProxyError::PayloadTooLarge(_) => "payload-too-large",
            ProxyError::UnreadableBody => "unreadable-body",
            ProxyError::MethodNotAllowed(_) => "method-not-allowed",
            ProxyError::UnforwardableTarget(_) => "unforwardable-target",
            ProxyError::Denied(Denied::Unauthenticated(_)) => "unauthenticated",
            ProxyError::Denied(Denied::Forbidden(_)) => "forbidden",
            ProxyError::Route(RouteError::UnknownRoute) => "unknown-route",
            ProxyError::Route(RouteError::MethodNotAllowed { .. }) => "method-not-allowed",
            ProxyError::Route(_) => "not-allowed-by-contract",
            ProxyError::RateLimited(_) => "rate-limited",
            ProxyError::UnsupportedMediaType => "unsupported-media-type",
            ProxyError::InvalidJson => "invalid-json",
            ProxyError::UnexpectedBody => "unexpected-body",
            ProxyError::NotFound | ProxyError::Denied(Denied::NotVisible) => "not-found",
            ProxyError::UpstreamRefusedCredentials => "upstream-refused-credentials",
            ProxyError::UpstreamTooLarge(_) => "upstream-too-large",
            ProxyError::UpstreamBusy(_) => "upstream-busy",
            ProxyError::RequestTimeout(_) => "request-timeout",
            ProxyError::InvalidBody(_) => "invalid-body",
            ProxyError::OwnershipUnchecked => "ownership-unchecked",
            ProxyError::UpstreamGarbled => "upstream-garbled",
            ProxyError::Upstream(_) => "upstream",
        }
    }

    /// The problem's short, fixed summary.
    pub fn title(&self) -> &'static str {
        match self {
            ProxyError::UpstreamUnavailable => "Billing API unavailable",
            ProxyError::UpstreamTimeout(_) => "Billing API timed out",
            ProxyError::PayloadTooLarge(_) => "Request body too large",
            ProxyError::UnreadableBody => "Unreadable request body",
            ProxyError::MethodNotAllowed(_) => "Method not allowed",
            ProxyError::UnforwardableTarget(_) => "Request not forwardable",
            ProxyError::Denied(Denied::Unauthenticated(_)) => "Not signed in",
            ProxyError::Denied(Denied::Forbidden(_)) => "Forbidden",
            ProxyError::Route(RouteError::UnknownRoute) => "Unknown route",
            ProxyError::Route(RouteError::MethodNotAllowed { .. }) => "Method not allowed",
            ProxyError::Route(_) => "Request not allowed by the contract",
            ProxyError::RateLimited(_) => "Too many requests",
            ProxyError::UnsupportedMediaType => "Unsupported media type",
            ProxyError::InvalidJson => "Invalid JSON",
            ProxyError::UnexpectedBody => "Unexpected request body",
            ProxyError::NotFound | ProxyError::Denied(Denied::NotVisible) => "Not found",
            ProxyError::UpstreamRefusedCredentials => "Billing API refused the proxy's credentials",
            ProxyError::UpstreamTooLarge(_) => "Billing API answer too large",
            ProxyError::UpstreamBusy(_) => "Billing API busy",
            ProxyError::RequestTimeout(_) => "Request body timed out",
            ProxyError::InvalidBody(_) => "Request body not allowed by the contract",
            ProxyError::OwnershipUnchecked => "Change not checked",
            ProxyError::UpstreamGarbled => "Billing API answer unreadable",
            ProxyError::Upstream(_) => "Billing API answer",
        }
    }

    /// This error as a problem, identified by `request_id`.
    pub fn to_problem(&self, request_id: &RequestId) -> Problem {
        Problem {
            problem_type: Some(format!("{PROBLEM_TYPE_PREFIX}{}", self.slug())),
            title: self.title().to_owned(),
            status: Some(self.status().as_u16()),
            detail: Some(match self {
                // The very words of [`ProxyError::NotFound`], whichever check said so.
                ProxyError::Denied(Denied::NotVisible) => ProxyError::NotFound.to_string(),
                _ => self.to_string(),
            }),
            instance: Some(request_id.to_string()),
            problems: match self {
                ProxyError::InvalidBody(refusal) => refusal.problems.clone(),
                _ => Vec::new(),
            },
        }
    }

    /// The response to the request `request_id`.
    pub fn at(self, request_id: RequestId) -> ProblemResponse {
        ProblemResponse { error: self, request_id }
    }
}

/// A [`ProxyError`] answered to one request: an `application/problem+json` response.
#[derive(Debug)]
pub struct ProblemResponse {
    error: ProxyError,
    request_id: RequestId,
}

impl ProblemResponse {
    /// The error answered.
    pub fn error(&self) -> &ProxyError {
        &self.error
    }
}

impl IntoResponse for ProblemResponse {
    fn into_response(self) -> Response {
        if let ProxyError::Upstream(answer) = self.error {
            let UpstreamAnswer { status, headers, body } = *answer;
            let mut response = (status, body).into_response();
            *response.headers_mut() = headers;
            return response;
        }
        let status = self.error.status();
        let Ok(body) = serde_json::to_vec(&self.error.to_problem(&self.request_id)) else {
            return status.into_response();
        };
        let mut response =
            (status, [(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON))], body).into_response();
        match &self.error {
            ProxyError::MethodNotAllowed(_) => {
                response.headers_mut().insert(header::ALLOW, HeaderValue::from_static(ALLOWED_METHODS));
            }
            ProxyError::Route(RouteError::MethodNotAllowed { allow, .. }) => {
                response.headers_mut().insert(header::ALLOW, HeaderValue::from_static(allow));
            }
            ProxyError::RateLimited(wait) | ProxyError::UpstreamBusy(wait) => {
                response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs(*wait)));
            }
            _ => {}
        }
        response
    }
}

/// Why the proxy could not be set up from a valid-looking [`Config`](crate::Config).
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    /// The token cannot be sent in an HTTP header.
    #[error("the upstream token contains characters that cannot be sent in an HTTP header")]
    TokenNotHeaderSafe,
    /// The client certificate, its key or the upstream CA could not be used.
    #[error("cannot set up TLS with the upstream (client certificate for mutual TLS, upstream CA): {0}")]
    ClientIdentity(String),
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::BodyExt;

    #[tokio::test]
    async fn renders_a_problem_with_the_request_id_as_instance() {
        let id = RequestId::generate();
        let response = ProxyError::UpstreamTimeout(Duration::from_millis(300)).at(id.clone()).into_response();
        assert_eq!(response.status(), StatusCode::GATEWAY_TIMEOUT);
        assert_eq!(response.headers()[header::CONTENT_TYPE], PROBLEM_JSON);
        let body = response.into_body().collect().await.unwrap().to_bytes();
        let problem: Problem = serde_json::from_slice(&body).unwrap();
        assert_eq!(problem.problem_type.as_deref(), Some("billing/proxy/problems/upstream-timeout"));
        assert_eq!(problem.status, Some(504));
        assert_eq!(problem.detail.as_deref(), Some("The billing API did not answer within 300 ms."));
        assert_eq!(problem.instance.as_deref(), Some(id.as_str()));
    }

    #[test]
    fn method_not_allowed_advertises_the_allowed_methods() {
        let response = ProxyError::MethodNotAllowed(Method::PATCH).at(RequestId::generate()).into_response();
        assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(response.headers()[header::ALLOW], ALLOWED_METHODS);
    }
}
