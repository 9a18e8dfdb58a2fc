//! Benchmark (figures, not a test): comparing two invoices of 50,000 lines each in 1,000
//! subscription groups, natively. The widget runs the same code in wasm, typically 1.5–3 times
//! slower than here.
//!
//! `cargo run --locked --profile service --example compare_invoices [runs]`

use billing_contract::{Date, Decimal, InvoiceLine};
use billing_widget::model::comparison::Comparison;
use billing_widget::model::{ChargeGroup, GroupKind, StdLowercase};
use std::sync::Arc;
use std::time::Instant;

const GROUPS: usize = 1_000;
const LINES_PER_GROUP: usize = 50;

/// One invoice: `month` shifts prices, quantities and usage, so that about a tenth of the lines
/// differ between two months, and one subscription in fifty is on one invoice only.
fn invoice(month: u8) -> Vec<Arc<ChargeGroup>> {
    (0..GROUPS)
        .filter(|g| g % 50 != usize::from(month) % 50)
        .map(|g| {
            let lines = (0..LINES_PER_GROUP)
                .map(|i| {
                    let changes = (g + i) % 10 == usize::from(month) % 10;
                    let price = Decimal::from(10 + i) + if changes { Decimal::ONE } else { Decimal::ZERO };
                    let usage = i >= 40;
                    let quantity = Decimal::from(if usage { 1 + (g + i + usize::from(month)) % 7 } else { 1 });
                    let amount = quantity * price;
                    let vat = amount / Decimal::from(4);
                    InvoiceLine {
                        id: None,
                        recurring_product_no: if usage { String::new() } else { format!("{g}-{i}") },
                        product_no: format!("P{}", if usage { 40 } else { i }),
                        description: format!("Product {i}"),
                        period_start: Date::new(2026, month, 1),
                        period_end: Date::new(2026, month, 1).map(Date::end_of_month),
                        quantity,
                        unit_price: price,
                        amount,
                        vat_rate: Decimal::from(25),
                        vat_amount: vat,
                        total_amount: amount + vat,
                    }
                })
                .collect();
            let kind = GroupKind::Subscription { subscription_no: format!("07{g:08}"), description: None };
            Arc::new(ChargeGroup::new(kind, lines, &StdLowercase))
        })
        .collect()
}

fn main() {
    let runs: usize = std::env::args().nth(1).and_then(|r| r.parse().ok()).unwrap_or(11);
    let (before, now) = (invoice(9), invoice(10));
    let lines = |groups: &[Arc<ChargeGroup>]| groups.iter().map(|g| g.lines.len()).sum::<usize>();
    let mut times = Vec::new();
    let mut changes = 0;
    for _ in 0..runs {
        let start = Instant::now();
        let compared = Comparison::new((&before, None), (&now, None));
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        changes = compared.map_or(0, |c| c.groups.iter().map(|g| g.changes.len()).sum());
    }
    times.sort_by(f64::total_cmp);
    let median = times.get(times.len() / 2).copied().unwrap_or(f64::NAN);
    println!(
        "comparison of {} and {} lines ({} changes): median {median:.1} ms of {runs} runs",
        lines(&before),
        lines(&now),
        changes
    );
}
