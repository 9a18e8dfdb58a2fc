//! `billing-sandbox`: serves the simulated PayEx Billing APIs with demo data.

use billing_sandbox::{app, AppState, Config, ConfigError};
use std::process::ExitCode;
use std::time::Instant;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    let config = match Config::load() {
        Ok(config) => config,
        Err(ConfigError::Help) => {
            println!("{}", billing_sandbox::config::USAGE);
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("billing-sandbox: {e}");
            return ExitCode::from(2);
        }
    };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).init();

    let started = Instant::now();
    let state = AppState::demo(config.clone());
    tracing::info!(elapsed_ms = started.elapsed().as_millis(), "demo data seeded");

    let listener = match tokio::net::TcpListener::bind(config.listen).await {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("billing-sandbox: cannot listen on {}: {e}", config.listen);
            return ExitCode::FAILURE;
        }
    };
    let address = listener.local_addr().unwrap_or(config.listen);
    println!("billing sandbox listening on http://{address} (owner {})", config.owner_no);
    match axum::serve(listener, app(state)).with_graceful_shutdown(shutdown()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("billing-sandbox: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Resolves on Ctrl-C.
async fn shutdown() {
    if tokio::signal::ctrl_c().await.is_err() {
        std::future::pending::<()>().await;
    }
    tracing::info!("shutting down");
}
