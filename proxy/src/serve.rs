//! Serving an [`App`] on a listener: hyper's HTTP/1 connections on the current runtime, ended
//! gracefully (requests in flight are answered, idle connections closed).
//!
//! Used instead of `axum::serve`, which negotiates the protocol version on every connection,
//! boxes every request body a second time and clones the whole application for each request.
//!
//! # Usage
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let config = billing_proxy::Config::from_process()?;
//! let listener = tokio::net::TcpListener::bind(config.listen).await?;
//! billing_proxy::serve(listener, billing_proxy::app(&config)?, std::future::pending()).await;
//! # Ok(()) }
//! ```

use crate::app::App;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use std::future::Future;
use std::io;
use std::time::Duration;
use tokio::net::TcpListener;

/// How long a client may take to send a request's head (as nginx's `client_header_timeout`):
/// a connection that trickles its headers in is closed after this.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(30);

/// How often [`heartbeat`] fires.
const HEARTBEAT: Duration = Duration::from_millis(250);

/// How long to pause accepting after an error that is not about one connection (e.g. too many
/// open files), instead of spinning.
const ACCEPT_ERROR_PAUSE: Duration = Duration::from_secs(1);

/// Serves `app` to every connection accepted on `listener` until `shutdown` resolves, then
/// stops accepting and waits for the open connections to finish their requests.
pub async fn serve(listener: TcpListener, app: App, shutdown: impl Future<Output = ()>) {
    let graceful = GracefulShutdown::new();
    let heartbeat = tokio::spawn(heartbeat());
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut shutdown => break,
        };
        let tcp = match accepted {
            Ok((tcp, _)) => tcp,
            Err(err) if is_connection_error(&err) => continue,
            Err(err) => {
                tracing::error!(error = %err, "cannot accept connections; pausing");
                tokio::time::sleep(ACCEPT_ERROR_PAUSE).await;
                continue;
            }
        };
        // Small responses go out at once, as nginx's `tcp_nodelay on` does.
        let _ = tcp.set_nodelay(true);
        let connection = http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(HEADER_READ_TIMEOUT)
            .serve_connection(TokioIo::new(tcp), app.clone());
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(err) = connection.await {
                tracing::debug!(error = %err, "connection ended with an error");
            }
        });
    }
    drop(listener);
    graceful.shutdown().await;
    heartbeat.abort();
}

/// A timer that fires every [`HEARTBEAT`] and does nothing else. The runtime wakes its driver
/// with a system call whenever a timer is set to go off before the driver's next planned
/// wake-up, which, with no timer pending, is never: every request's upstream timeout would
/// then cost a wake-up. With the heartbeat pending, the next planned wake-up is always sooner
/// than a request's timeout.
async fn heartbeat() {
    let mut ticks = tokio::time::interval(HEARTBEAT);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    loop {
        ticks.tick().await;
    }
}

/// Whether an accept error concerns only the connection being accepted.
fn is_connection_error(err: &io::Error) -> bool {
    matches!(
        err.kind(),
        io::ErrorKind::ConnectionRefused | io::ErrorKind::ConnectionAborted | io::ErrorKind::ConnectionReset
    )
}
