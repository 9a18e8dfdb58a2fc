//! Problem answers (`application/problem+json`), built from the contract's [`Problem`].

use crate::store::StoreError;
use axum::http::header::{CONTENT_TYPE, WWW_AUTHENTICATE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use billing_contract::ids::{IdError, IdKind};
use billing_contract::paths::{CUSTOMER_API, INVOICE_API};
use billing_contract::problem::{FieldProblem, PROBLEM_JSON};
use billing_contract::{Problem, ProblemType};
use std::sync::atomic::{AtomicU64, Ordering};

/// Which of the two APIs a request is for; decides the problem types it is answered with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Api {
    /// The Billing Customer API.
    Customer,
    /// The Billing Invoice API.
    Invoice,
}

impl Api {
    /// The API a path belongs to, and its (still percent-encoded) `ownerNo` segment.
    pub fn locate(path: &str) -> Option<(Api, &str)> {
        [(Api::Customer, CUSTOMER_API), (Api::Invoice, INVOICE_API)].into_iter().find_map(|(api, prefix)| {
            let rest = path.strip_prefix(prefix)?.strip_prefix('/')?;
            let owner = rest.split('/').next().filter(|owner| !owner.is_empty())?;
            Some((api, owner))
        })
    }

    /// The API of a path, defaulting to the Customer API for paths outside both.
    pub fn of_path(path: &str) -> Api {
        Api::locate(path).map_or(Api::Customer, |(api, _)| api)
    }

    /// This API's validation problem type.
    pub fn validation(self) -> ProblemType {
        match self {
            Api::Customer => ProblemType::CustomerValidation,
            Api::Invoice => ProblemType::InvoiceValidation,
        }
    }

    /// This API's unauthorized problem type.
    pub fn unauthorized(self) -> ProblemType {
        match self {
            Api::Customer => ProblemType::CustomerUnauthorized,
            Api::Invoice => ProblemType::InvoiceUnauthorized,
        }
    }
}

/// An error answer: a problem type, what went wrong, and for validation the failing fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProblemResponse {
    kind: ProblemType,
    detail: String,
    problems: Vec<FieldProblem>,
}

impl ProblemResponse {
    /// A problem of type `kind`.
    pub fn new(kind: ProblemType, detail: impl Into<String>) -> ProblemResponse {
        ProblemResponse { kind, detail: detail.into(), problems: Vec::new() }
    }

    /// A validation failure of `api` naming every failing field or parameter.
    pub fn invalid(api: Api, problems: Vec<FieldProblem>) -> ProblemResponse {
        let detail = match problems.as_slice() {
            [one] if one.message.starts_with(&one.field) => one.message.clone(),
            [one] => format!("{} {}", one.field, one.message),
            many => format!("{} fields are invalid", many.len()),
        };
        ProblemResponse { kind: api.validation(), detail, problems }
    }

    /// A validation failure of `api` that concerns no single field, e.g. malformed JSON.
    pub fn malformed(api: Api, detail: impl Into<String>) -> ProblemResponse {
        ProblemResponse::new(api.validation(), detail)
    }

    /// Checks an identifier given in a body or query; 400 naming it if it breaks the pattern.
    pub fn check_id(api: Api, kind: IdKind, id: &str) -> Result<(), ProblemResponse> {
        kind.validate(id).map_err(|e| ProblemResponse::invalid(api, vec![id_problem(kind, &e)]))
    }

    /// The problem type.
    pub fn kind(&self) -> ProblemType {
        self.kind
    }
}

impl From<StoreError> for ProblemResponse {
    fn from(error: StoreError) -> ProblemResponse {
        let kind = match error {
            StoreError::CustomerNotFound(_) => ProblemType::CustomerNotFound,
            StoreError::SubscriptionNotFound { .. } => ProblemType::SubscriptionNotFound,
            StoreError::ProductNotFound(_) => ProblemType::RecurringProductNotFound,
            StoreError::CustomerExists(_) | StoreError::SubscriptionExists(_) => ProblemType::CustomerConflict,
            StoreError::InvoiceNotFound(_) => ProblemType::InvoiceNotFound,
            StoreError::InvoiceSubscriptionNotFound { .. } => ProblemType::InvoiceSubscriptionNotFound,
            StoreError::InvoiceLineNotFound(_) => ProblemType::InvoiceLineNotFound,
        };
        ProblemResponse::new(kind, error.to_string())
    }
}

/// The problem of an identifier that breaks its pattern, e.g. `{"customerNo": "must be 1 to 15
/// characters long"}`.
pub fn id_problem(kind: IdKind, error: &IdError) -> FieldProblem {
    let text = error.to_string();
    let message = text.strip_prefix(kind.field()).map_or(text.as_str(), str::trim_start);
    FieldProblem::new(kind.field(), message)
}

/// A support id unique within this process, e.g. `sbx-42`.
fn next_instance() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(1);
    format!("sbx-{}", COUNTER.fetch_add(1, Ordering::Relaxed))
}

impl IntoResponse for ProblemResponse {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.kind.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let problem = Problem { problems: self.problems, ..self.kind.problem(self.detail, next_instance()) };
        tracing::debug!(status = status.as_u16(), r#type = self.kind.code(), "problem answered");
        let body = match serde_json::to_vec(&problem) {
            Ok(body) => body,
            Err(e) => return (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
        };
        let mut response = (status, body).into_response();
        let headers = response.headers_mut();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        if status == StatusCode::UNAUTHORIZED {
            headers.insert(WWW_AUTHENTICATE, HeaderValue::from_static("Bearer realm=\"billing-sandbox\""));
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_the_api_and_owner_segment() {
        assert_eq!(Api::locate("/billing/customer/v1/100200/customers"), Some((Api::Customer, "100200")));
        assert_eq!(Api::locate("/billing/invoice/v1/100200"), Some((Api::Invoice, "100200")));
        assert_eq!(Api::locate("/billing/invoice/v1/"), None);
        assert_eq!(Api::locate("/billing/invoice/v10/1"), None);
        assert_eq!(Api::locate("/other"), None);
    }

    #[test]
    fn instances_are_unique() {
        assert_ne!(next_instance(), next_instance());
    }
}
