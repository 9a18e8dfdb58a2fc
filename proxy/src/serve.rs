//! Serving an [`App`]: hyper's HTTP/1 connections on the current runtime, ended gracefully
//! (requests in flight are answered, idle connections closed). One worker serves a listener
//! itself ([`serve`]); several workers are handed connections in turn by one acceptor
//! ([`accept_in_turn`], [`serve_handed`]).
//!
//! Bounded: a connection is accepted only with one of the process's `max-connections`
//! permits ([`crate::app::ServeLimits`]), held until it closes; when none is free, accepting
//! waits (new clients wait in the listen backlog). A request's head must arrive within
//! `header-read-timeout-ms`.
//!
//! Used instead of `axum::serve`, which negotiates the protocol version on every connection,
//! boxes every request body a second time and clones the whole application for each request.
//!
//! Why an acceptor: when every worker accepted on the same socket, the first to wake took a
//! whole burst of new connections, and a client's keep-alive connections stayed where they
//! landed. Under `scripts/bench-proxy.sh` one worker then used 70-80 % of a core and the other
//! 15-30 %, and that busy core set the pace. Handed out in turn, each worker gets as many
//! connections as the others.
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
use std::sync::Arc;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, OwnedSemaphorePermit, Semaphore};

/// A connection handed to a worker, with the permit it holds while open.
pub type Handed = (std::net::TcpStream, OwnedSemaphorePermit);

/// How often [`heartbeat`] fires.
const HEARTBEAT: Duration = Duration::from_millis(250);

/// How long to pause accepting after an error that is not about one connection (e.g. too many
/// open files), instead of spinning.
const ACCEPT_ERROR_PAUSE: Duration = Duration::from_secs(1);

/// Serves `app` to every connection accepted on `listener` until `shutdown` resolves, then
/// stops accepting and waits for the open connections to finish their requests.
pub async fn serve(listener: TcpListener, app: App, shutdown: impl Future<Output = ()>) {
    let permits = app.limits().connections.clone();
    let connections = Connections::new(app);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (tcp, permit) = tokio::select! {
            accepted = accept_with_permit(&listener, &permits) => match accepted {
                Some(accepted) => accepted,
                None => break,
            },
            () = &mut shutdown => break,
        };
        connections.serve(tcp, permit);
    }
    drop(listener);
    connections.finish().await;
}

/// Accepts connections on `listener`, each with one of the `permits` (waiting for one when none
/// is free), and hands them to `workers` in turn (each serving them with [`serve_handed`]),
/// until every worker has stopped taking them.
pub async fn accept_in_turn(
    listener: TcpListener,
    workers: Vec<mpsc::UnboundedSender<Handed>>,
    permits: Arc<Semaphore>,
) {
    let mut next = 0;
    let mut open: Vec<bool> = vec![true; workers.len()];
    while open.iter().any(|&o| o) {
        let Some((tcp, permit)) = accept_with_permit(&listener, &permits).await else { return };
        let Ok(tcp) = tcp.into_std() else { continue };
        let mut tcp = (tcp, permit);
        // The next worker still taking connections gets it.
        for _ in 0..workers.len() {
            let worker = next % workers.len();
            next += 1;
            match workers[worker].send(tcp) {
                Ok(()) => break,
                Err(mpsc::error::SendError(unsent)) => {
                    open[worker] = false;
                    tcp = unsent;
                }
            }
        }
    }
}

/// Serves `app` to the connections handed over on `handed` (by [`accept_in_turn`]) until
/// `shutdown` resolves, then waits for the open connections to finish their requests.
pub async fn serve_handed(mut handed: mpsc::UnboundedReceiver<Handed>, app: App, shutdown: impl Future<Output = ()>) {
    let connections = Connections::new(app);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let tcp = tokio::select! {
            tcp = handed.recv() => tcp,
            () = &mut shutdown => break,
        };
        let Some((tcp, permit)) = tcp else { break };
        match TcpStream::from_std(tcp) {
            Ok(tcp) => connections.serve(tcp, permit),
            Err(err) => tracing::warn!(error = %err, "cannot take over a connection"),
        }
    }
    handed.close();
    connections.finish().await;
}

/// A free permit of `permits` (waiting for one), then the next connection on `listener`;
/// `None` if the permits are closed.
async fn accept_with_permit(
    listener: &TcpListener,
    permits: &Arc<Semaphore>,
) -> Option<(TcpStream, OwnedSemaphorePermit)> {
    let permit = permits.clone().acquire_owned().await.ok()?;
    Some((accept(listener).await, permit))
}

/// The next connection on `listener`. Errors about one connection are skipped; after any
/// other (e.g. too many open files) accepting pauses instead of spinning.
async fn accept(listener: &TcpListener) -> TcpStream {
    loop {
        match listener.accept().await {
            Ok((tcp, _)) => return tcp,
            Err(err) if is_connection_error(&err) => continue,
            Err(err) => {
                tracing::error!(error = %err, "cannot accept connections; pausing");
                tokio::time::sleep(ACCEPT_ERROR_PAUSE).await;
            }
        }
    }
}

/// The connections one worker serves, and what it needs to end them gracefully.
struct Connections {
    app: App,
    graceful: GracefulShutdown,
    heartbeat: tokio::task::JoinHandle<()>,
}

impl Connections {
    fn new(app: App) -> Connections {
        Connections { app, graceful: GracefulShutdown::new(), heartbeat: tokio::spawn(heartbeat()) }
    }

    /// Serves `tcp` on a task of its own, holding `permit` until the connection closes.
    fn serve(&self, tcp: TcpStream, permit: OwnedSemaphorePermit) {
        // Small responses go out at once, as nginx's `tcp_nodelay on` does.
        let _ = tcp.set_nodelay(true);
        let connection = http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(self.app.limits().header_read_timeout)
            .serve_connection(TokioIo::new(tcp), self.app.clone());
        let connection = self.graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(err) = connection.await {
                tracing::debug!(error = %err, "connection ended with an error");
            }
            drop(permit);
        });
    }

    /// Waits for the requests in flight, closing idle connections.
    async fn finish(self) {
        self.graceful.shutdown().await;
        self.heartbeat.abort();
    }
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
