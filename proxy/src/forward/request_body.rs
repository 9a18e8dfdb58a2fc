//! Reading and checking a request body before it is forwarded: at most the configured size,
//! and for a write (`POST`, `PUT`) JSON declared as such that parses; other methods carry none.

use crate::error::ProxyError;
use axum::body::{Body, Bytes};
use axum::http::header::{self, HeaderMap};
use axum::http::Method;
use http_body_util::{BodyExt, LengthLimitError, Limited};

/// A write (POST, PUT) must carry a JSON body declared as such; GET, HEAD and DELETE carry none.
pub(super) fn check_body(method: &Method, headers: &HeaderMap, body: &Bytes) -> Result<(), ProxyError> {
    if !(*method == Method::POST || *method == Method::PUT) {
        return if body.is_empty() { Ok(()) } else { Err(ProxyError::UnexpectedBody) };
    }
    let declared_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(';').next().unwrap_or_default().trim().eq_ignore_ascii_case("application/json"));
    if !declared_json {
        return Err(ProxyError::UnsupportedMediaType);
    }
    serde_json::from_slice::<serde::de::IgnoredAny>(body).map(|_| ()).map_err(|_| ProxyError::InvalidJson)
}

/// The whole request body, if it is at most `limit` bytes.
pub(super) async fn read_body(body: Body, limit: usize) -> Result<Bytes, ProxyError> {
    if hyper::body::Body::is_end_stream(&body) {
        return Ok(Bytes::new()); // e.g. a GET: nothing to wait for
    }
    match Limited::new(body, limit).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(err) if err.is::<LengthLimitError>() => Err(ProxyError::PayloadTooLarge(limit)),
        Err(_) => Err(ProxyError::UnreadableBody),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn body_limit_is_inclusive() {
        assert_eq!(read_body(Body::from("12345"), 5).await.unwrap(), "12345");
        assert!(matches!(read_body(Body::from("123456"), 5).await, Err(ProxyError::PayloadTooLarge(5))));
    }
}
