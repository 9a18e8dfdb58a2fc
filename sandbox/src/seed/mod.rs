//! Deterministic demo data for ledger [`DEMO_OWNER_NO`](crate::DEMO_OWNER_NO): the same on every
//! run, with Swedish descriptions, several VAT rates, credits, prorations, one deliberately
//! unreconciled invoice and invoices of up to 50,000 lines.

mod billing;
mod business;
mod gallery;
mod private;
mod rng;
mod special;

use crate::store::{Ledger, Scope, SubscriptionRecord};
use billing::Plan;
use std::collections::HashSet;

/// The demo ledger: every demo customer with its products, subscriptions and invoices.
pub fn demo_ledger() -> Ledger {
    let mut ledger = Ledger::default();
    private::seed(&mut ledger);
    business::seed(&mut ledger);
    special::seed(&mut ledger);
    gallery::seed(&mut ledger);
    seed_customer(&mut ledger, crate::EMPTY_CUSTOMER, &[], &[]);
    ledger
}

/// A subscription to seed, with its products.
struct SubscriptionSeed {
    subscription_no: String,
    description: String,
    start: &'static str,
    plans: Vec<Plan>,
}

impl SubscriptionSeed {
    fn new(subscription_no: &str, description: &str, start: &'static str, plans: &[Plan]) -> SubscriptionSeed {
        SubscriptionSeed {
            subscription_no: subscription_no.into(),
            description: description.into(),
            start,
            plans: plans.to_vec(),
        }
    }
}

/// Creates a customer with its customer-level products and subscriptions, numbering products in
/// the order given. Returns the numbers of the products whose end was registered late.
fn seed_customer(
    ledger: &mut Ledger,
    customer_no: &str,
    plans: &[Plan],
    subscriptions: &[SubscriptionSeed],
) -> HashSet<String> {
    let mut ended_late = HashSet::new();
    let mut add = |ledger: &mut Ledger, subscription_no: Option<&str>, plan: &Plan| {
        let scope = Scope { customer_no, subscription_no };
        match ledger.add_product(scope, plan.input()) {
            Ok(product) if plan.ended_late => {
                ended_late.insert(product.no);
            }
            Ok(_) => {}
            Err(e) => panic!("seeding {customer_no}: {e}"),
        }
    };
    if let Err(e) = ledger.create_customer(customer_no) {
        panic!("seeding: {e}");
    }
    for plan in plans {
        add(ledger, None, plan);
    }
    for s in subscriptions {
        let record = SubscriptionRecord::new(&s.subscription_no, Some(&s.description), Some(billing::date(s.start)));
        if let Err(e) = ledger.add_subscription(customer_no, record) {
            panic!("seeding: {e}");
        }
        for plan in &s.plans {
            add(ledger, Some(&s.subscription_no), plan);
        }
    }
    ended_late
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeding_is_deterministic() {
        assert!(demo_ledger() == demo_ledger());
    }
}
