//! What tolerant page reading costs: a 50,000-line page of invoice lines decoded as the strict
//! `Collection` (one bad line fails the page) and as the tolerant `Page::from_json` (one bad
//! line costs that line), alternating, 15 rounds; prints the medians and their ratio, for a
//! page whose lines all read and for one whose last line does not.
//!
//! `cargo run --release -p billing-contract --example page_decoding`

use billing_contract::{Collection, InvoiceLine, Page};
use std::time::Instant;

fn main() {
    let line = r#"{"@id":"/billing/invoice/v1/100200/invoices/604004/subscriptions/46701234567/recurring-products/1001","recurringProductNo":"1001","productNo":"SMS-INT","description":"SMS till utlandet","periodStart":"2026-02-01","periodEnd":"2026-02-28","quantity":1,"unitPrice":1.49,"amount":1.49,"vatRate":25,"vatAmount":0.37,"totalAmount":1.86}"#;
    let items = vec![line; 50_000].join(",");
    let json = format!(
        r#"{{"items":[{items}],"navigation":{{"@id":"/billing/invoice/v1/100200/invoices/604004/recurring-products"}}}}"#
    );
    let (mut strict, mut tolerant) = (Vec::new(), Vec::new());
    for _ in 0..15 {
        let started = Instant::now();
        let page: Collection<InvoiceLine> = serde_json::from_str(&json).expect("the strict page reads");
        strict.push(started.elapsed().as_secs_f64() * 1e3);
        assert_eq!(page.items.len(), 50_000);
        let started = Instant::now();
        let page = Page::<InvoiceLine>::from_json(&json).expect("the tolerant page reads");
        tolerant.push(started.elapsed().as_secs_f64() * 1e3);
        assert_eq!(page.items.len(), 50_000);
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let (s, t) = (median(&mut strict), median(&mut tolerant));
    println!("50,000 readable lines ({} KB): strict Collection {s:.1} ms, tolerant Page {t:.1} ms (median of 15), ratio {:.2}", json.len() / 1024, t / s);
    let broken = json.replacen(r#""vatAmount":0.37,"totalAmount":1.86}]"#, r#""vatAmount":null}]"#, 1);
    let mut times = Vec::new();
    for _ in 0..15 {
        let started = Instant::now();
        let page = Page::<InvoiceLine>::from_json(&broken).expect("the tolerant page reads");
        times.push(started.elapsed().as_secs_f64() * 1e3);
        assert_eq!((page.items.len(), page.unreadable.len()), (49_999, 1));
    }
    let b = median(&mut times);
    println!(
        "the same page with one unreadable line: tolerant Page {b:.1} ms, ratio to strict {:.2} (strict fails)",
        b / s
    );
}
