//! The special customer, whose number holds a space, `&`, `/` and `Å`, as does its subscription.

use super::billing::{self, date, Plan};
use super::{seed_customer, SubscriptionSeed};
use crate::store::Ledger;
use crate::{SPECIAL_CUSTOMER, SPECIAL_SUBSCRIPTION};
use billing_contract::{Decimal, Periodicity};

/// The special customer's invoices and their dates.
const INVOICES: [(&str, &str); 2] = [("605001", "2026-10-01"), ("605002", "2026-11-01")];

/// Seeds the special customer and its two invoices.
pub fn seed(ledger: &mut Ledger) {
    let plans = [Plan::monthly("INV-PAPER", "Pappersfaktura", 2900, 25).from("2026-01-01")];
    let subscriptions = [SubscriptionSeed::new(
        SPECIAL_SUBSCRIPTION,
        "Kontorsväxel – Åkesson & Co",
        "2026-01-01",
        &[
            Plan::monthly("VXL-BAS", "Växeltjänst Bas", 49900, 25).from("2026-01-01"),
            Plan::monthly("IP-FAST", "Fast IP-adress", 4900, 25).from("2026-01-01"),
            Plan::monthly("SUPPORT-PREM", "Support Premium", 59700, 25)
                .every(Periodicity::Quarterly)
                .from("2026-01-01"),
            Plan::monthly("KAFFE", "Kaffe & frukt till kontoret", 89000, 12).from("2026-03-01"),
        ],
    )];
    let ended_late = seed_customer(ledger, SPECIAL_CUSTOMER, &plans, &subscriptions);
    let Ok(customer) = ledger.customer(SPECIAL_CUSTOMER).cloned() else {
        return;
    };
    for (invoice_no, run) in INVOICES {
        ledger.add_invoice(billing::monthly_invoice(invoice_no, date(run), &customer, &ended_late, Decimal::ZERO));
    }
}
