//! The billing proxy: serves the widget's built bundle and forwards the widget's calls to the
//! PayEx Billing Customer and Invoice APIs, adding the server-side credentials so that the
//! browser never sees them.
//!
//! | route | answer |
//! |---|---|
//! | the allowlisted routes of `/billing/customer/v1/…` and `/billing/invoice/v1/…` ([`route`]) | forwarded ([`forward`]) after the CSRF ([`csrf`]), access ([`access`]) and rate-limit ([`rate_limit`]) checks |
//! | anything else under those prefixes | 400, 404 or 405 problem, never forwarded |
//! | `GET /healthz`, `/readyz`, `/metrics` | liveness, readiness, Prometheus ([`health`]) |
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

#![warn(missing_docs)]

pub mod access;
pub mod config;
pub mod csrf;
pub mod error;
pub mod forward;
pub mod fuzz_support;
pub mod health;
pub mod metrics;
pub mod rate_limit;
pub mod request_id;
pub mod route;
pub mod secret;
pub mod session;
pub mod static_files;
pub mod tls;
pub mod token;
pub mod upstream;

pub use config::{Config, ConfigError};
pub use error::{ProxyError, StartupError};
pub use secret::Secret;
pub use upstream::Upstream;

use axum::routing::{get, on, MethodFilter};
use axum::Router;
use billing_contract::paths::{CUSTOMER_API, INVOICE_API};
use forward::Forwarder;
use health::Health;
use static_files::SecurityHeaders;
use std::sync::Arc;
use std::time::Duration;

/// The methods handed to the forwarder, which checks each route's own methods. axum routes
/// HEAD with GET.
const FORWARDED_METHODS: MethodFilter =
    MethodFilter::GET.or(MethodFilter::POST).or(MethodFilter::PUT).or(MethodFilter::DELETE);

/// The proxy's whole application for `config`.
pub fn app(config: &Config) -> Result<Router, StartupError> {
    let (client, certificate_expires) = tls::upstream_client(config)?;
    let metrics = Arc::new(metrics::Metrics::default());
    let forwarder = Arc::new(Forwarder::new(config, client.clone(), metrics.clone())?);
    let health = Arc::new(Health {
        client,
        upstream: config.upstream.clone(),
        certificate_expires,
        expiry_warning: Duration::from_secs(u64::from(config.cert_expiry_warning_days) * 86_400),
        metrics,
    });
    let security = Arc::new(SecurityHeaders::new(&config.static_dir, &config.frame_ancestors));
    let api = on(FORWARDED_METHODS, forward::forward).fallback(forward::method_not_allowed);
    // API answers are compressed (brotli or gzip, as the browser accepts; the upstream is asked
    // for identity so its JSON can be checked); the bundle is served precompressed instead.
    let api = Router::new()
        .route(&format!("{CUSTOMER_API}/{{*rest}}"), api.clone())
        .route(&format!("{INVOICE_API}/{{*rest}}"), api)
        .with_state(forwarder)
        .layer(tower_http::compression::CompressionLayer::new());
    let health = Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(health::metrics))
        .with_state(health);
    Ok(api
        .merge(health)
        .fallback_service(static_files::router(&config.static_dir))
        .layer(request_id::TrackLayer::new(security)))
}
