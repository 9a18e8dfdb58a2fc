//! Abusive load for `scripts/load-abuse.sh`: a deliberately slow upstream, and clients that
//! misbehave against the proxy in front of it.
//!
//! ```text
//! load_abuse upstream 127.0.0.1:18181 500      # answers every request after 500 ms
//! load_abuse clients 127.0.0.1:18180 64 20     # 64 abusive clients for 20 s
//! ```
//!
//! Each client takes, in turn: a GET with a huge `pageSize`; a write whose body stalls after a
//! few bytes; a burst of 20 GETs on new connections; a GET that waits for the slow upstream; a
//! connection that never sends its head. Every request is bounded by a client-side timeout,
//! and the clients stop after the given seconds. Prints the answers counted by status.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

type Tally = Arc<Mutex<BTreeMap<String, u64>>>;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["upstream", listen, delay_ms] => upstream(listen.parse()?, Duration::from_millis(delay_ms.parse()?)).await,
        ["clients", proxy, clients, seconds] => {
            clients_run(proxy.parse()?, clients.parse()?, Duration::from_secs(seconds.parse()?)).await
        }
        _ => Err("usage: load_abuse upstream LISTEN DELAY_MS | load_abuse clients PROXY CLIENTS SECONDS".into()),
    }
}

/// An upstream answering every request with a small JSON page after `delay`.
async fn upstream(listen: SocketAddr, delay: Duration) -> Result<(), Box<dyn std::error::Error>> {
    let page = format!(r#"{{"items":[{}]}}"#, vec![r#"{"customerNo":"15615616"}"#; 200].join(","));
    let app = axum::Router::new().fallback(move || {
        let page = page.clone();
        async move {
            tokio::time::sleep(delay).await;
            ([("content-type", "application/json")], page)
        }
    });
    let listener = tokio::net::TcpListener::bind(listen).await?;
    axum::serve(listener, app).await?;
    Ok(())
}

async fn clients_run(proxy: SocketAddr, clients: usize, run_for: Duration) -> Result<(), Box<dyn std::error::Error>> {
    let tally: Tally = Arc::default();
    let deadline = Instant::now() + run_for;
    let tasks: Vec<_> = (0..clients)
        .map(|client| {
            let tally = tally.clone();
            tokio::spawn(async move {
                let mut turn = client;
                while Instant::now() < deadline {
                    abuse(proxy, turn % 5, &tally).await;
                    turn += 1;
                }
            })
        })
        .collect();
    for task in tasks {
        task.await?;
    }
    let tally = tally.lock().map_err(|_| "tally poisoned")?;
    let counts: Vec<String> = tally.iter().map(|(k, v)| format!("{k}: {v}")).collect();
    println!("answers: {}", counts.join(", "));
    Ok(())
}

const CUSTOMER: &str = "/billing/customer/v1/100200/customers/15615616";

/// One misbehaviour of kind `kind`.
async fn abuse(proxy: SocketAddr, kind: usize, tally: &Tally) {
    let get = |target: &str| format!("GET {target} HTTP/1.1\r\nhost: proxy.test\r\nconnection: close\r\n\r\n");
    match kind {
        0 => {
            let request = get("/billing/invoice/v1/100200/invoices?customerNo=15615616&pageSize=100000000");
            exchange(proxy, request.as_bytes(), Duration::ZERO, "huge page", tally).await;
        }
        1 => {
            let head = format!(
                "POST {CUSTOMER}/recurring-products HTTP/1.1\r\nhost: proxy.test\r\norigin: http://proxy.test\r\n\
                 x-billing-csrf: 1\r\ncontent-type: application/json\r\ncontent-length: 100000\r\n\r\n{{\"quantity\":"
            );
            exchange(proxy, head.as_bytes(), Duration::from_secs(30), "stalled body", tally).await;
        }
        2 => {
            for _ in 0..20 {
                exchange(proxy, get(CUSTOMER).as_bytes(), Duration::ZERO, "burst", tally).await;
            }
        }
        3 => exchange(proxy, get(CUSTOMER).as_bytes(), Duration::ZERO, "slow upstream", tally).await,
        _ => exchange(proxy, b"", Duration::from_secs(30), "silent head", tally).await,
    }
}

/// Connects, sends `request`, then stays silent for up to `stall` (or until answered), and
/// counts the status line (or how it failed) under `kind`. Bounded: 40 s in all.
async fn exchange(proxy: SocketAddr, request: &[u8], stall: Duration, kind: &str, tally: &Tally) {
    let outcome = tokio::time::timeout(Duration::from_secs(40), async {
        let mut tcp = TcpStream::connect(proxy).await.map_err(|_| "connect failed".to_owned())?;
        tcp.write_all(request).await.map_err(|_| "write failed".to_owned())?;
        let mut answer = [0u8; 64];
        let wait = Duration::from_secs(15) + stall;
        match tokio::time::timeout(wait, tcp.read(&mut answer)).await {
            Err(_) => Err("no answer".to_owned()),
            Ok(Err(_)) => Err("reset".to_owned()),
            Ok(Ok(0)) => Err("closed".to_owned()),
            Ok(Ok(n)) => {
                let line = String::from_utf8_lossy(answer.get(..n).unwrap_or_default()).into_owned();
                Ok(line.split(' ').nth(1).unwrap_or("?").to_owned())
            }
        }
    })
    .await
    .unwrap_or_else(|_| Err("timed out".to_owned()));
    let key = format!("{kind} {}", outcome.unwrap_or_else(|failure| failure));
    if let Ok(mut tally) = tally.lock() {
        *tally.entry(key).or_default() += 1;
    }
}
