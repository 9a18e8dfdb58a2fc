//! The gallery's customer (`demo/gallery.html`): a small household whose second subscription's
//! invoice charges and products are what the gallery's fault rules ([`crate::fault::Faults::gallery`])
//! make fail, so one group fails while the rest shows.

use super::billing::{self, date, Plan};
use super::{seed_customer, SubscriptionSeed};
use crate::store::Ledger;
use crate::{GALLERY_CUSTOMER, GALLERY_FAILING_SUBSCRIPTION, GALLERY_INVOICE};
use billing_contract::Decimal;

/// Seeds the gallery's customer and its one invoice.
pub fn seed(ledger: &mut Ledger) {
    let plans = [
        Plan::monthly("INV-PAPER", "Pappersfaktura", 2900, 25).from("2026-01-01"),
        Plan::monthly("SEC-HOME", "Hemlarm", 24900, 25).from("2026-01-01"),
    ];
    let subscriptions = [
        SubscriptionSeed::new(
            "46707654321",
            "Mobil – Sara",
            "2026-01-01",
            &[
                Plan::monthly("MOB-20GB", "Mobil 20 GB", 29900, 25).from("2026-01-01"),
                Plan::monthly("INS-MOB", "Mobilförsäkring", 7900, 0).from("2026-01-01"),
                // Ended: the gallery shows an ended product.
                Plan::monthly("STREAM-TV", "Streamingtjänst TV", 9900, 25).from("2026-01-01").until("2026-09-30"),
            ],
        ),
        SubscriptionSeed::new(
            GALLERY_FAILING_SUBSCRIPTION,
            "Bredband – Sommarstugan",
            "2026-01-01",
            &[Plan::monthly("BB-100", "Bredband 100/100", 39900, 25).from("2026-01-01")],
        ),
    ];
    let ended_late = seed_customer(ledger, GALLERY_CUSTOMER, &plans, &subscriptions);
    let Ok(customer) = ledger.customer(GALLERY_CUSTOMER).cloned() else {
        return;
    };
    ledger.add_invoice(billing::monthly_invoice(
        GALLERY_INVOICE,
        date("2026-11-01"),
        &customer,
        &ended_late,
        Decimal::ZERO,
    ));
}
