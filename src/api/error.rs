//! What can go wrong when asking the API, as one type the views render.

use super::client::PagingFault;
use billing_contract::{LinkRefused, Problem};

/// A failed API request.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ApiError {
    /// The API answered with `application/problem+json`.
    #[error("{}", .0.title)]
    Problem(Problem),
    /// The API answered with an error status and no problem document.
    #[error("the billing service answered {status} {status_text}")]
    Status {
        /// The HTTP status.
        status: u16,
        /// Its reason phrase.
        status_text: String,
        /// The proxy's id of the request, if it gave one.
        request_id: Option<String>,
    },
    /// The request did not reach the API (offline, proxy down, blocked).
    #[error("the billing service could not be reached: {0}")]
    Network(String),
    /// The request could not be made (an advertised method this client cannot send, a body
    /// that cannot be written).
    #[error("the request could not be made: {0}")]
    Request(String),
    /// The API answered with something this client cannot read.
    #[error("unexpected answer from {url}: {message}")]
    Decode {
        /// What was asked for.
        url: String,
        /// The decoder's words: for a "details" toggle, never a headline.
        message: String,
        /// The proxy's id of the request, if it gave one.
        request_id: Option<String>,
    },
    /// A link from the API leads away from it, so it was not followed.
    #[error("{0}")]
    LinkRefused(LinkRefused),
    /// A collection's pages loop or never end, so it is not shown as if complete.
    #[error("the pages of {link} {}", match reason { PagingFault::Loop => "lead back to a page already read", PagingFault::TooMany => "do not end" })]
    Paging {
        /// The page link where it stopped.
        link: String,
        /// Why.
        reason: PagingFault,
    },
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

    /// Whether the same request, sent again unchanged, may succeed. Not when the API refused it
    /// for what it asks (400, 403, 404, 405, 409, 410, 413, 422: it would answer the same), nor
    /// when it could not be made or its link was refused. Anything else may pass: offline,
    /// timeouts, 5xx, 408, 429, a 401 once the host has renewed the session, an unreadable or
    /// unending answer.
    pub fn may_pass_on_retry(&self) -> bool {
        match self {
            ApiError::Request(_) | ApiError::LinkRefused(_) => false,
            _ => !matches!(self.status(), Some(400 | 403 | 404 | 405 | 409 | 410 | 413 | 422)),
        }
    }

    /// The id support asks for: the problem's instance, else the proxy's request id.
    pub fn error_id(&self) -> Option<&str> {
        match self {
            ApiError::Problem(p) => p.instance.as_deref(),
            ApiError::Status { request_id, .. } | ApiError::Decode { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }

    /// Turns an error answer into an error: a problem document when there is one (in either
    /// key casing, read leniently), else the bare status. The response's HTTP status wins over
    /// a status the body states.
    pub fn from_error_body(status: u16, status_text: &str, content_type: &str, body: &str) -> ApiError {
        let looks_json = content_type.contains("json") || body.trim_start().starts_with('{');
        if looks_json {
            if let Ok(mut problem) = serde_json::from_str::<Problem>(body) {
                let says_something = !problem.title.trim().is_empty()
                    || problem.problem_type.is_some()
                    || problem.detail.is_some()
                    || problem.instance.is_some();
                if says_something {
                    problem.status = Some(status);
                    return ApiError::Problem(problem);
                }
            }
        }
        ApiError::Status { status, status_text: status_text.to_owned(), request_id: None }
    }

    /// This error with the proxy's request id where it has no id of its own.
    pub fn with_request_id(mut self, id: Option<String>) -> ApiError {
        match &mut self {
            ApiError::Problem(p) if p.instance.is_none() => p.instance = id,
            ApiError::Status { request_id, .. } | ApiError::Decode { request_id, .. } if request_id.is_none() => {
                *request_id = id
            }
            _ => {}
        }
        self
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
    fn the_http_status_wins_and_lenient_bodies_keep_their_title_and_instance() {
        let e = ApiError::from_error_body(
            404,
            "Not Found",
            "application/problem+json",
            r#"{"Type":"billing/invoice/problems/invoice-not-found","Title":"Invoice not found","Status":"400","Instance":42}"#,
        );
        assert_eq!(e.status(), Some(404), "the response's status, not the body's");
        assert_eq!(e.problem().map(|p| p.title.as_str()), Some("Invoice not found"));
        assert_eq!(e.error_id(), Some("42"));
        let detail_only =
            ApiError::from_error_body(500, "Internal Server Error", "application/json", r#"{"detail":"db down"}"#);
        assert_eq!(detail_only.problem().and_then(|p| p.detail.as_deref()), Some("db down"));
        let with_id = ApiError::from_error_body(502, "Bad Gateway", "text/html", "<h1>x</h1>")
            .with_request_id(Some("r-1".into()));
        assert_eq!(with_id.error_id(), Some("r-1"));
    }

    #[test]
    fn other_error_bodies_keep_their_status() {
        let e = ApiError::from_error_body(502, "Bad Gateway", "text/html", "<h1>Bad gateway</h1>");
        assert_eq!(e.status(), Some(502));
        assert_eq!(e.to_string(), "the billing service answered 502 Bad Gateway");
        let e = ApiError::from_error_body(500, "Internal Server Error", "application/json", "{\"unrelated\":1}");
        assert!(e.problem().is_none());
    }

    #[test]
    fn a_retry_is_offered_where_it_may_pass_and_not_for_a_refusal() {
        let status = |status: u16| ApiError::Status { status, status_text: String::new(), request_id: None };
        let problem = |status: u16| ApiError::Problem(Problem { status: Some(status), ..Problem::default() });
        for passing in [status(500), status(502), status(503), status(504), status(408), status(429), problem(401)] {
            assert!(passing.may_pass_on_retry(), "{passing:?}");
        }
        assert!(ApiError::Network("Failed to fetch".into()).may_pass_on_retry(), "offline");
        let unreadable = ApiError::Decode { url: "/x".into(), message: "eof".into(), request_id: None };
        assert!(unreadable.may_pass_on_retry(), "a garbled answer may not be garbled again");
        for refused in [problem(400), problem(403), status(404), problem(409), problem(422)] {
            assert!(!refused.may_pass_on_retry(), "{refused:?}");
        }
        assert!(!ApiError::Request("no body".into()).may_pass_on_retry());
    }
}
