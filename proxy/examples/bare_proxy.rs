//! The floor of the benchmark: a reverse proxy with nothing but the HTTP stack the billing proxy
//! is built on (hyper's HTTP/1 server, the proxy's per-worker upstream pool of hyper HTTP/1
//! connections, one single-threaded Tokio runtime per core accepting from one socket, mimalloc). It adds the bearer token, reads each
//! answer whole and passes on its status, `content-type` and body, with no checks at all.
//! Never deploy it: it exists so that `scripts/bench-proxy.sh` (`BENCH_FLOOR=1`) can show what
//! the stack costs apart from the proxy's own work.
//!
//! `cargo run --profile service -p billing-proxy --example bare_proxy -- 127.0.0.1:8090 http://127.0.0.1:8081 TOKEN`

use billing_proxy::pool::UpstreamPool;
use billing_proxy::tls::UpstreamTls;
use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::header::{HeaderValue, AUTHORIZATION, CONTENT_TYPE};
use hyper::{Request, Response, StatusCode, Uri};
use hyper_util::rt::TokioIo;
use std::convert::Infallible;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: bare_proxy LISTEN UPSTREAM TOKEN";
    let (listen, upstream, token) = match (args.next(), args.next(), args.next()) {
        (Some(listen), Some(upstream), Some(token)) => (listen, upstream, token),
        _ => return Err(usage.into()),
    };
    let listener = std::net::TcpListener::bind(&listen)?;
    listener.set_nonblocking(true)?;
    let bearer = HeaderValue::try_from(format!("Bearer {token}"))?;
    let workers = std::thread::available_parallelism().map_or(1, usize::from);
    let threads: Vec<_> = (0..workers)
        .map(|_| {
            let (listener, upstream, bearer) = (listener.try_clone(), upstream.clone(), bearer.clone());
            std::thread::spawn(move || -> Result<(), String> {
                let runtime =
                    tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string())?;
                runtime.block_on(serve(listener.map_err(|e| e.to_string())?, upstream, bearer))
            })
        })
        .collect();
    println!("bare proxy listening on http://{listen} ({upstream})");
    for thread in threads {
        thread.join().map_err(|_| "a worker panicked")??;
    }
    Ok(())
}

async fn serve(listener: std::net::TcpListener, upstream: String, bearer: HeaderValue) -> Result<(), String> {
    let listener = tokio::net::TcpListener::from_std(listener).map_err(|e| e.to_string())?;
    let tls =
        rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .map_err(|e| e.to_string())?
            .with_root_certificates(rustls::RootCertStore::empty())
            .with_no_client_auth();
    let client =
        std::sync::Arc::new(UpstreamPool::new(UpstreamTls::new(tls, std::time::Duration::from_secs(5)).connector()));
    loop {
        let Ok((tcp, _)) = listener.accept().await else { continue };
        let _ = tcp.set_nodelay(true);
        let (client, upstream, bearer) = (client.clone(), upstream.clone(), bearer.clone());
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |request: Request<Incoming>| {
                let (client, bearer) = (client.clone(), bearer.clone());
                let target = format!("{upstream}{}", request.uri().path_and_query().map_or("/", |p| p.as_str()));
                async move { Ok::<_, Infallible>(forward(&client, target, bearer).await) }
            });
            let _ = hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(tcp), service).await;
        });
    }
}

async fn forward(client: &UpstreamPool, target: String, bearer: HeaderValue) -> Response<Full<Bytes>> {
    let bad_gateway = || {
        let mut response = Response::new(Full::default());
        *response.status_mut() = StatusCode::BAD_GATEWAY;
        response
    };
    let Ok(uri) = target.parse::<Uri>() else { return bad_gateway() };
    let mut request = Request::new(Full::default());
    *request.uri_mut() = uri;
    request.headers_mut().insert(AUTHORIZATION, bearer);
    let Ok(answer) = client.exchange(request).await else { return bad_gateway() };
    let mut response = Response::new(Full::new(answer.body));
    *response.status_mut() = answer.head.status;
    if let Some(content_type) = answer.head.headers.get(CONTENT_TYPE) {
        response.headers_mut().insert(CONTENT_TYPE, content_type.clone());
    }
    response
}
