//! The billing proxy: serves the widget's built bundle and forwards the widget's calls to the
//! PayEx Billing Customer and Invoice APIs, adding the server-side credentials so that the
//! browser never sees them.
//!
//! | route | answer |
//! |---|---|
//! | the allowlisted routes of `/billing/customer/v1/…` and `/billing/invoice/v1/…` ([`route`]) | forwarded ([`forward`]) after the CSRF ([`csrf`]), access ([`access`]) and rate-limit ([`rate_limit`]) checks |
//! | anything else under those prefixes | 400, 404 or 405 problem, never forwarded |
//! | `GET /healthz` | liveness ([`health`]) |
//! | anything else | a file of the bundle ([`static_files`]), or 404 |
//!
//! The admin listener ([`Proxy::admin_app`], `admin-listen`) answers `GET /healthz`, `/readyz`
//! and `/metrics` (liveness, readiness, Prometheus: [`health`]) and 404 to anything else.
//!
//! Every response carries an `x-request-id`; the proxy's own errors are
//! `application/problem+json` ([`error`]) with that id as `instance`.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let config = billing_proxy::Config::from_process()?;
//! let listener = tokio::net::TcpListener::bind(config.listen).await?;
//! billing_proxy::serve(listener, billing_proxy::app(&config)?, std::future::pending()).await;
//! # Ok(()) }
//! ```

#![warn(missing_docs)]

pub mod access;
pub mod app;
pub mod config;
pub mod csrf;
pub mod error;
pub mod forward;
pub mod fuzz_support;
pub mod health;
pub mod metrics;
pub mod ownership;
pub mod pool;
pub mod rate_limit;
pub mod request_id;
pub mod route;
pub mod secret;
pub mod serve;
pub mod session;
pub mod static_files;
pub mod tls;
pub mod token;
pub mod upstream;
pub mod write_body;

pub use config::{Config, ConfigError};
pub use error::{ProxyError, StartupError};
pub use secret::Secret;
pub use upstream::Upstream;

pub use app::{app, App, Proxy};
pub use serve::serve;
