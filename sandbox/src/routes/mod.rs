//! The HTTP routes of both APIs, their fallbacks and the layers around them.

mod customer;
mod invoice;
mod product;

use crate::problem::ProblemResponse;
use crate::{auth, AppState};
use axum::http::header::LOCATION;
use axum::http::{HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::{middleware, Json, Router};
use billing_contract::{Link, ProblemType};
use serde::Serialize;
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};
use tracing::Level;

/// The whole sandbox: both APIs behind token authentication, with request logging.
pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(customer::routes())
        .merge(invoice::routes())
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(state.clone(), auth::require_token))
        .layer(middleware::from_fn_with_state(state.clone(), crate::variants::apply))
        .layer(middleware::from_fn_with_state(state.clone(), crate::fault::apply))
        .layer(
            // The default span holds method, URI and version, never the headers.
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .with_state(state)
}

/// The route template of a top collection of an API: `{api}/{owner}/{segment}`.
fn at(api: &str, segment: &str) -> String {
    format!("{api}/{{owner}}/{segment}")
}

/// The route template of one member of `collection`, captured as `param`.
fn item(collection: &str, param: &str) -> String {
    format!("{collection}/{{{param}}}")
}

/// The route template of a collection under `parent`.
fn child(parent: &str, segment: &str) -> String {
    format!("{parent}/{segment}")
}

/// 201 Created with the new resource and its `Location`.
fn created<T: Serialize>(location: &Link, resource: T) -> Response {
    let mut response = (StatusCode::CREATED, Json(resource)).into_response();
    if let Ok(value) = HeaderValue::from_str(location.as_str()) {
        response.headers_mut().insert(LOCATION, value);
    }
    response
}

async fn not_found(uri: Uri) -> ProblemResponse {
    ProblemResponse::new(ProblemType::RouteNotFound, format!("there is no resource at {}", uri.path()))
}

async fn method_not_allowed(method: Method, uri: Uri) -> ProblemResponse {
    ProblemResponse::new(ProblemType::MethodNotAllowed, format!("{method} is not allowed on {}", uri.path()))
}
