//! Forwarding `/billing/{customer,invoice}/v1/...` to the upstream API with the server-side
//! credentials.
//!
//! Headers cross in both directions only through allowlists, so cookies, the browser's own
//! `authorization`, hop-by-hop headers and anything the upstream sets for itself stay on
//! their side. The request target is forwarded byte for byte.

use crate::access::{AccessPolicy, ApiRequest};
use crate::config::Config;
use crate::error::{ProblemResponse, ProxyError, StartupError};
use crate::request_id::{RequestId, REQUEST_ID_HEADER};
use crate::upstream::{UnforwardableTarget, Upstream};
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use axum::http::Method;
use axum::response::Response;
use http_body_util::{BodyExt, LengthLimitError, Limited};
use std::sync::Arc;
use std::time::Duration;

/// Request headers passed from the browser to the upstream.
pub const REQUEST_HEADERS: [HeaderName; 4] =
    [header::ACCEPT, header::ACCEPT_LANGUAGE, header::CONTENT_TYPE, header::IF_NONE_MATCH];

/// Response headers passed from the upstream to the browser. `www-authenticate` is not one:
/// it would make the browser prompt for a password. `content-encoding` is, so that a body the
/// upstream compressed anyway stays readable.
pub const RESPONSE_HEADERS: [HeaderName; 6] = [
    header::CONTENT_TYPE,
    header::CONTENT_ENCODING,
    header::LOCATION,
    header::ETAG,
    header::CACHE_CONTROL,
    header::RETRY_AFTER,
];

/// Forwards API requests: the shared HTTP client and what it adds to each request.
#[derive(Debug)]
pub struct Forwarder {
    client: reqwest::Client,
    upstream: Upstream,
    /// `Bearer <token>`, marked sensitive.
    authorization: HeaderValue,
    access: AccessPolicy,
    max_body_bytes: usize,
    timeout: Duration,
}

impl Forwarder {
    /// A forwarder for `config`, with one HTTP client for all requests. The client follows no
    /// redirects (a `location` goes back to the browser) and gives up after the configured
    /// timeout.
    pub fn new(config: &Config) -> Result<Forwarder, StartupError> {
        let authorization = config.token.bearer_header().map_err(|_| StartupError::TokenNotHeaderSafe)?;
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(config.upstream_timeout)
            .build()
            .map_err(StartupError::Client)?;
        Ok(Forwarder {
            client,
            upstream: config.upstream.clone(),
            authorization,
            access: AccessPolicy::default(),
            max_body_bytes: config.max_body_bytes,
            timeout: config.upstream_timeout,
        })
    }

    /// Forwards `request` and returns the upstream's answer, or the proxy's own error.
    async fn forward(&self, request_id: &RequestId, request: Request) -> Result<Response, ProxyError> {
        let (parts, body) = request.into_parts();
        let api_request =
            ApiRequest::new(&parts.method, &parts.uri, &parts.headers).ok_or(UnforwardableTarget::OutsideApis)?;
        self.access.authorize(&api_request)?;
        let target = parts.uri.path_and_query().map_or(parts.uri.path(), |target| target.as_str());
        let url = self.upstream.target(target)?;
        let body = read_body(body, self.max_body_bytes).await?;

        let mut headers = allowed_headers(&parts.headers, &REQUEST_HEADERS);
        headers.insert(header::AUTHORIZATION, self.authorization.clone());
        if let Some(id) = request_id.header_value() {
            headers.insert(REQUEST_ID_HEADER, id);
        }
        let mut upstream_request = self.client.request(parts.method.clone(), url).headers(headers);
        if !body.is_empty() {
            upstream_request = upstream_request.body(body);
        }

        let upstream_response = upstream_request.send().await.map_err(|err| self.failure(request_id, err))?;
        let status = upstream_response.status();
        let headers = allowed_headers(upstream_response.headers(), &RESPONSE_HEADERS);
        let body = upstream_response.bytes().await.map_err(|err| self.failure(request_id, err))?;

        let mut response = Response::new(Body::from(body));
        *response.status_mut() = status;
        *response.headers_mut() = headers;
        Ok(response)
    }

    /// The error answered when the exchange with the upstream failed; the cause is logged
    /// (without the URL, whose identifiers the access log leaves out too; a reqwest error
    /// never holds request headers).
    fn failure(&self, request_id: &RequestId, err: reqwest::Error) -> ProxyError {
        let err = err.without_url();
        tracing::warn!(request_id = %request_id, error = ?err, "upstream exchange failed");
        if err.is_timeout() {
            ProxyError::UpstreamTimeout(self.timeout)
        } else {
            ProxyError::UpstreamUnavailable
        }
    }
}

/// Handler for the API routes.
pub async fn forward(
    State(forwarder): State<Arc<Forwarder>>,
    request_id: RequestId,
    request: Request,
) -> Result<Response, ProblemResponse> {
    forwarder.forward(&request_id, request).await.map_err(|err| err.at(request_id))
}

/// Handler for the API routes' other methods.
pub async fn method_not_allowed(request_id: RequestId, method: Method) -> ProblemResponse {
    ProxyError::MethodNotAllowed(method).at(request_id)
}

/// The values of the `allowed` headers in `headers`, and nothing else.
fn allowed_headers(headers: &HeaderMap, allowed: &[HeaderName]) -> HeaderMap {
    let mut copy = HeaderMap::new();
    for name in allowed {
        for value in headers.get_all(name) {
            copy.append(name.clone(), value.clone());
        }
    }
    copy
}

/// The whole request body, if it is at most `limit` bytes.
async fn read_body(body: Body, limit: usize) -> Result<Bytes, ProxyError> {
    match Limited::new(body, limit).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(err) if err.is::<LengthLimitError>() => Err(ProxyError::PayloadTooLarge(limit)),
        Err(_) => Err(ProxyError::UnreadableBody),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allowlist_copies_every_value_of_allowed_headers_only() {
        let mut headers = HeaderMap::new();
        headers.append(header::ACCEPT, HeaderValue::from_static("application/json"));
        headers.append(header::ACCEPT, HeaderValue::from_static("application/problem+json"));
        headers.append(header::COOKIE, HeaderValue::from_static("session=1"));
        headers.append(header::AUTHORIZATION, HeaderValue::from_static("Basic eDp5"));
        headers.append(header::CONNECTION, HeaderValue::from_static("keep-alive"));
        let copy = allowed_headers(&headers, &REQUEST_HEADERS);
        assert_eq!(copy.len(), 2);
        assert_eq!(copy.get_all(header::ACCEPT).iter().count(), 2);
    }

    #[tokio::test]
    async fn body_limit_is_inclusive() {
        assert_eq!(read_body(Body::from("12345"), 5).await.unwrap(), "12345");
        assert!(matches!(read_body(Body::from("123456"), 5).await, Err(ProxyError::PayloadTooLarge(5))));
    }
}
