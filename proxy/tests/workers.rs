//! The `billing-proxy` binary with several worker threads: they answer concurrent requests on
//! one socket, each serving as many connections as the others, share the metrics (served on the
//! admin listener), and stop cleanly on SIGTERM. And the binary refuses to start without an
//! access mode.

mod common;

use common::*;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const CUSTOMER_JSON: &str = r#"{"customerNo":"15615616","name":"Test"}"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn workers_share_one_socket_and_the_metrics_and_stop_on_sigterm() {
    let upstream = MockUpstream::start(Reply::json(200, CUSTOMER_JSON)).await;
    let mut child = KillOnDrop(
        Command::new(env!("CARGO_BIN_EXE_billing-proxy"))
            .args(["--listen", "127.0.0.1:0", "--worker-threads", "3", "--static-dir", "/nonexistent"])
            .args(["--admin-listen", "127.0.0.1:0", "--access", "trusted"])
            .args(["--upstream", &upstream.base, "--allow-insecure-upstream", "true"])
            .env("PROXY_TOKEN", TOKEN)
            .env("PROXY_OWNER_NO", OWNER)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let mut stdout = BufReader::new(child.0.stdout.take().unwrap());
    let mut address = || {
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        line.split_whitespace().find(|word| word.starts_with("http://")).unwrap().to_owned()
    };
    let base = address();
    let admin = address();

    let client = reqwest::Client::new();
    let target = format!("{base}/billing/customer/v1/{OWNER}/customers/15615616");
    let answers = outputs_of((0..40).map(|_| {
        let (client, target) = (client.clone(), target.clone());
        tokio::spawn(async move {
            let response = client.get(target).send().await.unwrap();
            let id = response.headers()["x-request-id"].to_str().unwrap().to_owned();
            (response.status().as_u16(), id, response.text().await.unwrap())
        })
    }))
    .await;
    let mut ids: Vec<&str> = answers.iter().map(|(_, id, _)| id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 40, "every answer has its own request id");
    assert!(answers.iter().all(|(status, _, body)| *status == 200 && body == CUSTOMER_JSON), "{answers:?}");

    // Connections are handed to the workers in turn: six new connections, two per worker
    // (a worker's request ids share its random prefix, the first 64 bits).
    let mut per_worker = std::collections::HashMap::<String, usize>::new();
    for _ in 0..6 {
        let fresh = reqwest::Client::builder().pool_max_idle_per_host(0).build().unwrap();
        let response = fresh.get(&target).send().await.unwrap();
        let id = response.headers()["x-request-id"].to_str().unwrap();
        *per_worker.entry(id[..18].to_owned()).or_default() += 1;
    }
    let mut counts: Vec<usize> = per_worker.into_values().collect();
    counts.sort_unstable();
    assert_eq!(counts, [2, 2, 2], "each worker serves as many connections as the others");

    assert_eq!(client.get(format!("{base}/metrics")).send().await.unwrap().status(), 404, "not public");
    let metrics = client.get(format!("{admin}/metrics")).send().await.unwrap().text().await.unwrap();
    let counted: u64 = metrics
        .lines()
        .filter(|line| line.starts_with("billing_proxy_requests_total{") && line.contains(r#"status="200""#))
        .filter_map(|line| line.rsplit(' ').next()?.parse::<u64>().ok())
        .sum();
    assert_eq!(counted, 46, "one set of metrics for all workers:\n{metrics}");

    let terminated = Command::new("kill").args(["-TERM", &child.0.id().to_string()]).status().unwrap();
    assert!(terminated.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = child.0.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "the proxy did not stop on SIGTERM");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert!(status.success(), "stopped with {status}");
}

#[test]
fn the_binary_refuses_to_start_without_an_access_mode() {
    let output = Command::new(env!("CARGO_BIN_EXE_billing-proxy"))
        .args(["--listen", "127.0.0.1:0", "--admin-listen", "127.0.0.1:0", "--upstream", "https://api.test"])
        .env("PROXY_TOKEN", TOKEN)
        .env("PROXY_OWNER_NO", OWNER)
        .env_remove("PROXY_ACCESS")
        .env_remove("PROXY_CONFIG")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--access") && stderr.contains("signed-session"), "{stderr}");
    assert!(output.stdout.is_empty(), "nothing listened");
}

/// A child process killed when the test ends, also when an assertion fails first.
struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The outputs of `tasks`, in order.
async fn outputs_of<T>(tasks: impl Iterator<Item = tokio::task::JoinHandle<T>>) -> Vec<T> {
    let mut outputs = Vec::new();
    for task in tasks {
        outputs.push(task.await.unwrap());
    }
    outputs
}
