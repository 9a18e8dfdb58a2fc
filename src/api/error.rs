//! What can go wrong when asking the API, as one type the views render.

use billing_contract::Problem;

/// A failed API request.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ApiError {
    /// The API answered with `application/problem+json`.
    #[error("{}", .0.title)]
    Problem(Problem),
    /// The API answered with an error status and no problem document.
    #[error("the billing service answered {status} {status_text}")]
    Status { status: u16, status_text: String },
    /// The request did not reach the API (offline, proxy down, blocked).
    #[error("the billing service could not be reached: {0}")]
    Network(String),
    /// The request could not be made (an advertised method this client cannot send, a body
    /// that cannot be written).
    #[error("the request could not be made: {0}")]
    Request(String),
    /// The API answered with something this client cannot read.
    #[error("unexpected answer from {url}: {message}")]
    Decode { url: String, message: String },
}

impl ApiError {
    /// The problem document, if the API sent one.
    pub fn problem(&self) -> Option<&Problem> {
        match self {
            ApiError::Problem(p) => Some(p),
            _ => None,
        }
    }

    /// The HTTP status, if the API answered at all.
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Problem(p) => p.status,
            ApiError::Status { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// Turns an error answer into an error: a problem document when there is one (in either
    /// key casing), else the bare status.
    pub fn from_error_body(status: u16, status_text: &str, content_type: &str, body: &str) -> ApiError {
        let looks_json = content_type.contains("json") || body.trim_start().starts_with('{');
        if looks_json {
            if let Ok(mut problem) = serde_json::from_str::<Problem>(body) {
                if !problem.title.is_empty() || problem.problem_type.is_some() {
                    problem.status.get_or_insert(status);
                    return ApiError::Problem(problem);
                }
            }
        }
        ApiError::Status { status, status_text: status_text.to_owned() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problem_bodies_in_either_casing_become_problems() {
        let lower = ApiError::from_error_body(
            404,
            "Not Found",
            "application/problem+json",
            r#"{"type":"billing/invoice/problems/invoice-not-found","title":"Invoice not found","detail":"No invoice 9","instance":"abc"}"#,
        );
        let pascal = ApiError::from_error_body(
            404,
            "Not Found",
            "application/problem+json",
            r#"{"Type":"billing/invoice/problems/invoice-not-found","Title":"Invoice not found","Detail":"No invoice 9","Instance":"abc"}"#,
        );
        assert_eq!(lower, pascal);
        let p = lower.problem().unwrap();
        assert_eq!(p.detail.as_deref(), Some("No invoice 9"));
        assert_eq!(p.status, Some(404), "the HTTP status fills in a missing one");
    }

    #[test]
    fn other_error_bodies_keep_their_status() {
        let e = ApiError::from_error_body(502, "Bad Gateway", "text/html", "<h1>Bad gateway</h1>");
        assert_eq!(e.status(), Some(502));
        assert_eq!(e.to_string(), "the billing service answered 502 Bad Gateway");
        let e = ApiError::from_error_body(500, "Internal Server Error", "application/json", "{\"unrelated\":1}");
        assert!(e.problem().is_none());
    }
}
