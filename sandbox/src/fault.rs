//! Fault modes, for testing clients and proxies against an API that misbehaves: slow answers,
//! failing answers (a `503` problem), and garbled answers (`200` with a body that is not JSON).

use crate::AppState;
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::time::Duration;

/// How the sandbox misbehaves.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Fault {
    /// It does not.
    #[default]
    None,
    /// Every answer is delayed by this long.
    Slow(Duration),
    /// Every request is answered `503` with a problem (`billing/.../problems/unavailable`).
    Failing,
    /// Every request is answered `200` with a truncated, non-JSON body.
    Garbling,
}

impl Fault {
    /// Reads `none`, `slow:MILLISECONDS`, `failing` or `garbling`.
    pub fn parse(text: &str) -> Result<Fault, String> {
        match text {
            "none" => Ok(Fault::None),
            "failing" => Ok(Fault::Failing),
            "garbling" => Ok(Fault::Garbling),
            _ => text
                .strip_prefix("slow:")
                .and_then(|ms| ms.parse().ok())
                .map(|ms| Fault::Slow(Duration::from_millis(ms)))
                .ok_or_else(|| "expected none, slow:MILLISECONDS, failing or garbling".to_owned()),
        }
    }
}

/// Middleware: applies the configured fault.
pub async fn apply(State(state): State<AppState>, request: Request, next: Next) -> Response {
    match state.config().fault {
        Fault::None => next.run(request).await,
        Fault::Slow(delay) => {
            tokio::time::sleep(delay).await;
            next.run(request).await
        }
        Fault::Failing => (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::CONTENT_TYPE, billing_contract::problem::PROBLEM_JSON)],
            r#"{"type":"billing/problems/unavailable","title":"Service unavailable","status":503,"instance":"sandbox-fault"}"#,
        )
            .into_response(),
        Fault::Garbling => {
            (StatusCode::OK, [(header::CONTENT_TYPE, "application/json")], "{\"items\":[{\"@id\":\"/bill\u{0}").into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_modes() {
        assert_eq!(Fault::parse("slow:250"), Ok(Fault::Slow(Duration::from_millis(250))));
        assert_eq!(Fault::parse("failing"), Ok(Fault::Failing));
        assert_eq!(Fault::parse("garbling"), Ok(Fault::Garbling));
        assert_eq!(Fault::parse("none"), Ok(Fault::None));
        assert!(Fault::parse("slow:x").is_err() && Fault::parse("broken").is_err());
    }
}
