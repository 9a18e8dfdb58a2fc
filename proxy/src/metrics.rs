//! Prometheus metrics: request counts and latency histograms of the API routes, labelled by
//! route template, method, answered status and upstream status, in the text exposition format
//! served at `/metrics`.
//!
//! Each worker thread records into a [`MetricsShard`] of its own, so that recording a request
//! never waits for, or writes memory shared with, another core; `/metrics` adds the shards up.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Upper bounds of the latency buckets, in seconds.
pub const BUCKETS: [f64; 14] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0];

/// The labels of one series.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Labels {
    /// The route template (no identifiers), or `refused` for a request that matched none.
    pub route: &'static str,
    /// The request method.
    pub method: &'static str,
    /// The status answered to the browser.
    pub status: u16,
    /// The upstream's status, or `none` if the upstream was not asked (or did not answer).
    pub upstream_status: Option<u16>,
}

#[derive(Clone, Debug, Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

impl Histogram {
    fn add(&mut self, other: &Histogram) {
        for (count, more) in self.counts.iter_mut().zip(other.counts) {
            *count += more;
        }
        self.count += other.count;
        self.sum += other.sum;
    }
}

/// All series of the process: the sum of its shards.
#[derive(Debug, Default)]
pub struct Metrics {
    shards: Mutex<Vec<Arc<MetricsShard>>>,
}

/// The series one worker thread records.
#[derive(Debug, Default)]
pub struct MetricsShard {
    series: Mutex<BTreeMap<Labels, Histogram>>,
}

impl MetricsShard {
    /// Records one request that took `elapsed`.
    pub fn observe(&self, labels: Labels, elapsed: Duration) {
        let seconds = elapsed.as_secs_f64();
        let mut series = self.series.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let histogram = series.entry(labels).or_default();
        histogram.count += 1;
        histogram.sum += seconds;
        for (count, bound) in histogram.counts.iter_mut().zip(BUCKETS) {
            if seconds <= bound {
                *count += 1;
            }
        }
    }
}

impl Metrics {
    /// A new shard, counted in [`Metrics::render`] from now on.
    pub fn shard(&self) -> Arc<MetricsShard> {
        let shard = Arc::new(MetricsShard::default());
        self.shards.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).push(shard.clone());
        shard
    }

    /// The text exposition of every series, summed over the shards.
    pub fn render(&self) -> String {
        let shards = self.shards.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).clone();
        let mut series = BTreeMap::<Labels, Histogram>::new();
        for shard in shards {
            for (labels, histogram) in shard.series.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).iter() {
                series.entry(labels.clone()).or_default().add(histogram);
            }
        }
        let mut out = String::new();
        out.push_str("# HELP billing_proxy_requests_total API requests answered, by route template, method, status and upstream status.\n");
        out.push_str("# TYPE billing_proxy_requests_total counter\n");
        for (labels, histogram) in &series {
            let _ = writeln!(out, "billing_proxy_requests_total{{{}}} {}", labels.render(), histogram.count);
        }
        out.push_str("# HELP billing_proxy_request_duration_seconds Time from request to response head, API routes.\n");
        out.push_str("# TYPE billing_proxy_request_duration_seconds histogram\n");
        for (labels, histogram) in &series {
            let labels = labels.render();
            for (count, bound) in histogram.counts.iter().zip(BUCKETS) {
                let _ =
                    writeln!(out, "billing_proxy_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {count}");
            }
            let _ = writeln!(
                out,
                "billing_proxy_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}",
                histogram.count
            );
            let _ = writeln!(out, "billing_proxy_request_duration_seconds_sum{{{labels}}} {}", histogram.sum);
            let _ = writeln!(out, "billing_proxy_request_duration_seconds_count{{{labels}}} {}", histogram.count);
        }
        out
    }
}

impl Labels {
    fn render(&self) -> String {
        let upstream = self.upstream_status.map_or_else(|| "none".to_owned(), |status| status.to_string());
        // Route templates and methods hold no `"` or `\`: they come from the allowlist.
        format!(
            "route=\"{}\",method=\"{}\",status=\"{}\",upstream_status=\"{upstream}\"",
            self.route, self.method, self.status
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counts_and_cumulative_buckets_summed_over_shards() {
        let metrics = Metrics::default();
        let labels = Labels { route: "/r/{id}", method: "GET", status: 200, upstream_status: Some(200) };
        metrics.shard().observe(labels.clone(), Duration::from_millis(3));
        metrics.shard().observe(labels, Duration::from_millis(30));
        let text = metrics.render();
        let series = r#"route="/r/{id}",method="GET",status="200",upstream_status="200""#;
        assert!(text.contains(&format!("billing_proxy_requests_total{{{series}}} 2")), "{text}");
        assert!(text.contains(&format!("billing_proxy_request_duration_seconds_bucket{{{series},le=\"0.005\"}} 1")));
        assert!(text.contains(&format!("billing_proxy_request_duration_seconds_bucket{{{series},le=\"0.05\"}} 2")));
        assert!(text.contains(&format!("billing_proxy_request_duration_seconds_bucket{{{series},le=\"+Inf\"}} 2")));
    }
}
