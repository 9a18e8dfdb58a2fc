//! Bearer-token authentication: the configured token, for the configured ledger only.

use crate::problem::{Api, ProblemResponse};
use crate::{AppState, Config};
use axum::extract::{Request, State};
use axum::http::header::AUTHORIZATION;
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use billing_contract::ids::{decode_segment, IdKind};

/// Middleware: every request under either API needs `Authorization: Bearer <token>` with the
/// configured token, and a path `ownerNo` equal to the configured one; otherwise 401.
pub async fn require_token(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let Some((api, owner_segment)) = Api::locate(request.uri().path()) else {
        return next.run(request).await;
    };
    match check(state.config(), request.headers(), owner_segment) {
        Ok(()) => next.run(request).await,
        Err(detail) => ProblemResponse::new(api.unauthorized(), detail).into_response(),
    }
}

/// Why a request is not authorized, if it is not.
fn check(config: &Config, headers: &HeaderMap, owner_segment: &str) -> Result<(), String> {
    let header = headers.get(AUTHORIZATION).ok_or("an Authorization: Bearer token is required")?;
    let token = header
        .to_str()
        .ok()
        .and_then(|value| value.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim())
        .ok_or("the Authorization header must carry a Bearer token")?;
    if !same(token.as_bytes(), config.token.as_bytes()) {
        return Err("the token is not valid".into());
    }
    let owner = decode_segment(owner_segment).unwrap_or_default();
    if owner != config.owner_no {
        return Err(format!("the token is not valid for {} {owner:?}", IdKind::Owner.field()));
    }
    Ok(())
}

/// Compares without stopping at the first difference.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0, |diff, (x, y)| diff | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn accepts_only_the_configured_token_and_owner() {
        let config = Config::default();
        assert_eq!(check(&config, &headers("Bearer sandbox-token"), "100200"), Ok(()));
        assert_eq!(check(&config, &headers("bearer sandbox-token"), "100200"), Ok(()));
        assert!(check(&config, &HeaderMap::new(), "100200").is_err());
        assert!(check(&config, &headers("Basic sandbox-token"), "100200").is_err());
        assert!(check(&config, &headers("Bearer sandbox-tokeN"), "100200").is_err());
        assert!(check(&config, &headers("Bearer sandbox-token"), "100201").is_err());
    }
}
