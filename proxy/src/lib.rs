//! The billing proxy: serves the widget's built bundle and forwards the widget's calls to the
//! PayEx Billing Customer and Invoice APIs, adding the server-side credentials so that the
//! browser never sees them.
//!
//! | route | answer |
//! |---|---|
//! | `GET, POST, PUT, DELETE /billing/customer/v1/{*rest}` | forwarded ([`forward`]) |
//! | `GET, POST, PUT, DELETE /billing/invoice/v1/{*rest}` | forwarded |
//! | other methods on those | 405 problem |
//! | `GET /healthz` | `ok` |
//! | anything else | a file of the bundle ([`static_files`]), or 404 |
//!
//! Every response carries an `x-request-id`; the proxy's own errors are
//! `application/problem+json` ([`error`]) with that id as `instance`.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let config = billing_proxy::Config::from_process()?;
//! let listener = tokio::net::TcpListener::bind(config.listen).await?;
//! axum::serve(listener, billing_proxy::app(&config)?).await?;
//! # Ok(()) }
//! ```

pub mod access;
pub mod config;
pub mod error;
pub mod forward;
pub mod request_id;
pub mod secret;
pub mod static_files;
pub mod upstream;

pub use config::{Config, ConfigError};
pub use error::{ProxyError, StartupError};
pub use secret::Secret;
pub use upstream::Upstream;

use axum::routing::{get, on, MethodFilter};
use axum::{middleware, Router};
use billing_contract::paths::{CUSTOMER_API, INVOICE_API};
use forward::Forwarder;
use std::sync::Arc;

/// The methods forwarded to the APIs. axum routes HEAD with GET; it is forwarded as HEAD.
const FORWARDED_METHODS: MethodFilter =
    MethodFilter::GET.or(MethodFilter::POST).or(MethodFilter::PUT).or(MethodFilter::DELETE);

/// The proxy's whole application for `config`.
pub fn app(config: &Config) -> Result<Router, StartupError> {
    let forwarder = Arc::new(Forwarder::new(config)?);
    let api = on(FORWARDED_METHODS, forward::forward).fallback(forward::method_not_allowed);
    Ok(Router::new()
        .route("/healthz", get(healthz))
        .route(&format!("{CUSTOMER_API}/{{*rest}}"), api.clone())
        .route(&format!("{INVOICE_API}/{{*rest}}"), api)
        .with_state(forwarder)
        .fallback_service(static_files::service(&config.static_dir))
        .layer(middleware::from_fn(request_id::track)))
}

/// Liveness: the process answers.
async fn healthz() -> &'static str {
    "ok"
}
