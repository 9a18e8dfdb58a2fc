//! `billing-proxy`: see `billing-proxy --help`.

use billing_proxy::access::AccessPolicy;
use billing_proxy::config::{LogFormat, USAGE};
use billing_proxy::session::Scope;
use billing_proxy::{Config, ConfigError, Proxy};
use std::process::ExitCode;
use std::sync::Arc;
use tracing_subscriber::EnvFilter;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let config = match Config::from_process() {
        Ok(config) => config,
        Err(ConfigError::HelpRequested) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(err) => {
            eprintln!("billing-proxy: {err}");
            return ExitCode::from(2);
        }
    };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    match config.log_format {
        LogFormat::Text => tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).init(),
        LogFormat::Json => tracing_subscriber::fmt()
            .json()
            .flatten_event(true)
            .with_current_span(false)
            .with_env_filter(filter)
            .with_writer(std::io::stderr)
            .init(),
    }
    // The main thread's runtime starts the proxy and then watches the signals and the token
    // file; each worker thread serves requests on a single-threaded runtime of its own.
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("billing-proxy: cannot start the runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("billing-proxy: {err}");
            ExitCode::FAILURE
        }
    }
}

async fn run(config: Config) -> Result<(), Box<dyn std::error::Error>> {
    if !config.static_dir.is_dir() {
        tracing::warn!(static_dir = %config.static_dir.display(), "the static directory does not exist: every file will be 404");
    }
    let proxy = Arc::new(Proxy::new(&config)?);
    let workers = match config.worker_threads {
        0 => std::thread::available_parallelism().map_or(1, usize::from),
        n => n as usize,
    };
    tracing::info!(
        mode = config.access.mode(),
        owner_no = config.access.owner_no(),
        upstream = %config.upstream,
        mutual_tls = config.client_identity.is_some(),
        workers,
        "billing proxy configured"
    );
    if config.allow_insecure_upstream && !config.upstream.is_https() {
        tracing::warn!(upstream = %config.upstream, "the upstream is plain http (allow-insecure-upstream): the bearer token crosses unencrypted");
    }
    if config.allowed_origins.is_empty() && !matches!(config.access, AccessPolicy::Trusted { scope: Scope::Read, .. }) {
        tracing::warn!(
            "no allowed-origins: every write is refused (403); set allowed-origins to the pages that may write"
        );
    }
    let listener = std::net::TcpListener::bind(config.listen)
        .map_err(|err| format!("cannot listen on {} (listen): {err}", config.listen))?;
    listener.set_nonblocking(true)?;
    let admin_listener = std::net::TcpListener::bind(config.admin_listen)
        .map_err(|err| format!("cannot listen on {} (admin-listen): {err}", config.admin_listen))?;
    admin_listener.set_nonblocking(true)?;
    // This line first: scripts and tests read the address from it.
    println!("billing proxy listening on http://{} ({})", listener.local_addr()?, config.upstream);
    println!("billing proxy admin endpoints (/healthz /readyz /metrics) on http://{}", admin_listener.local_addr()?);
    // The admin listener is served on this thread's runtime, beside the accepting.
    let (stop_admin, admin_stopping) = tokio::sync::watch::channel(false);
    let admin = tokio::spawn(billing_proxy::serve(
        tokio::net::TcpListener::from_std(admin_listener)?,
        proxy.admin_app(),
        stopped(admin_stopping),
    ));
    if workers == 1 {
        serve(listener, proxy.app(), shutdown_signal()).await?;
    } else {
        // This thread accepts and hands the connections to the workers in turn, so that each
        // serves as many as the others (see billing_proxy::serve).
        let (stop, stopping) = tokio::sync::watch::channel(false);
        let (exited, mut exits) = tokio::sync::mpsc::unbounded_channel();
        let mut threads = Vec::with_capacity(workers);
        let mut handing = Vec::with_capacity(workers);
        for n in 0..workers {
            let (hand, handed) = tokio::sync::mpsc::unbounded_channel();
            handing.push(hand);
            let (proxy, mut stopping) = (proxy.clone(), stopping.clone());
            let notice = ExitNotice(exited.clone());
            threads.push(std::thread::Builder::new().name(format!("worker-{n}")).spawn(move || {
                let _notice = notice;
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .map_err(|err| format!("cannot start a worker's runtime: {err}"))?;
                runtime.block_on(billing_proxy::serve::serve_handed(handed, proxy.app(), async move {
                    let _ = stopping.wait_for(|stop| *stop).await;
                }));
                Ok::<(), String>(())
            })?);
        }
        let listener = tokio::net::TcpListener::from_std(listener)?;
        let acceptor = billing_proxy::serve::accept_in_turn(listener, handing, proxy.limits().connections.clone());
        let early_exit = tokio::select! {
            () = shutdown_signal() => false,
            _ = exits.recv() => true,
            () = acceptor => true,
        };
        let _ = stop.send(true);
        let results =
            tokio::task::spawn_blocking(move || threads.into_iter().map(|thread| thread.join()).collect::<Vec<_>>())
                .await?;
        for result in results {
            result.map_err(|_| "a worker thread panicked")??;
        }
        if early_exit {
            return Err("a worker stopped before it was asked to".into());
        }
    }
    let _ = stop_admin.send(true);
    admin.await?;
    tracing::info!("billing proxy stopped");
    Ok(())
}

/// Resolves once `stopping` says stop (or its sender is gone).
async fn stopped(mut stopping: tokio::sync::watch::Receiver<bool>) {
    let _ = stopping.wait_for(|stop| *stop).await;
}

/// Tells the main thread that a worker ended, when dropped: on return, error or panic.
struct ExitNotice(tokio::sync::mpsc::UnboundedSender<()>);

impl Drop for ExitNotice {
    fn drop(&mut self) {
        let _ = self.0.send(());
    }
}

/// Serves `app` on `listener` (on the current runtime) until `shutdown` resolves.
async fn serve(
    listener: std::net::TcpListener,
    app: billing_proxy::App,
    shutdown: impl std::future::Future<Output = ()>,
) -> Result<(), String> {
    let listener = tokio::net::TcpListener::from_std(listener).map_err(|err| format!("cannot listen: {err}"))?;
    billing_proxy::serve(listener, app, shutdown).await;
    Ok(())
}

/// Resolves on ctrl-c, or on SIGTERM where there is one.
async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
