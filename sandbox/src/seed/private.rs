//! The private customer: a family with four mobile subscriptions and a year of monthly invoices.

use super::billing::{self, date, Plan};
use super::{seed_customer, SubscriptionSeed};
use crate::store::Ledger;
use crate::{PRIVATE_CUSTOMER, UNRECONCILED_INVOICE};
use billing_contract::{Decimal, Periodicity};

/// The first invoice date; one invoice follows on the first of each of the next eleven months.
const FIRST_INVOICE_DATE: &str = "2025-12-01";
/// The first invoice number; each later invoice has the next number.
const FIRST_INVOICE_NO: u32 = 603001;
/// Invoices in the year.
const INVOICES: u32 = 12;
/// The reminder fee, in öre, charged on [`UNRECONCILED_INVOICE`] from outside the Billing API.
const REMINDER_FEE_ORE: i64 = 3500;

const MOBILE_5GB: Plan = Plan::monthly("MOB-5GB", "Mobil 5 GB", 19900, 25);
const MOBILE_20GB: Plan = Plan::monthly("MOB-20GB", "Mobil 20 GB", 29900, 25);
const INSURANCE: Plan = Plan::monthly("INS-MOB", "Mobilförsäkring", 7900, 0);

fn subscriptions() -> [SubscriptionSeed; 4] {
    [
        SubscriptionSeed::new(
            "46701234567",
            "Mobil – Anna",
            "2025-06-01",
            &[
                // Anna changed plan on 15 September, after September had been billed.
                MOBILE_5GB.ended_late("2026-09-14"),
                MOBILE_20GB.from("2026-09-15"),
                Plan::monthly("STREAM-MUSIC", "Streamingtjänst Musik", 11920, 25),
                Plan::monthly("INS-MOB-Y", "Mobilförsäkring helår", 94800, 0)
                    .every(Periodicity::Yearly)
                    .from("2026-01-01"),
            ],
        ),
        SubscriptionSeed::new(
            "46702345678",
            "Mobil – Erik",
            "2025-06-01",
            &[
                Plan::monthly("MOB-UNL", "Obegränsad surf", 39900, 25),
                Plan::monthly("EMAG-VI", "Tidningen Vi digital", 20700, 6)
                    .every(Periodicity::Quarterly)
                    .from("2025-12-01"),
                INSURANCE,
                Plan::monthly("SIM-EXTRA", "Extra SIM-kort (data)", 2900, 25).times(2),
            ],
        ),
        SubscriptionSeed::new(
            "46703456789",
            "Mobil – Sofia",
            "2025-06-01",
            &[
                MOBILE_5GB,
                Plan::monthly("EBOOK", "Ljudböcker & e-böcker", 16981, 6).until("2026-04-20"),
                Plan::monthly("STREAM-FILM", "Streamingtjänst Film", 9520, 25).from("2027-01-01"),
            ],
        ),
        SubscriptionSeed::new(
            "46704567890",
            "Mobilt bredband – Stugan",
            "2025-06-01",
            &[
                Plan::monthly("MBB", "Mobilt bredband", 24900, 25),
                Plan::monthly("MBB-ROUTER", "Hyra 4G-router", 3900, 25),
            ],
        ),
    ]
}

/// Seeds the private customer and its twelve monthly invoices.
pub fn seed(ledger: &mut Ledger) {
    let plans = [
        Plan::monthly("INV-PAPER", "Pappersfaktura", 2900, 25),
        Plan::monthly("DISC-FAMILY", "Familjerabatt", -5000, 25),
    ];
    let ended_late = seed_customer(ledger, PRIVATE_CUSTOMER, &plans, &subscriptions());
    let Ok(customer) = ledger.customer(PRIVATE_CUSTOMER).cloned() else {
        return;
    };
    for n in 0..INVOICES {
        let invoice_no = (FIRST_INVOICE_NO + n).to_string();
        let other_charges =
            if invoice_no == UNRECONCILED_INVOICE { Decimal::new(REMINDER_FEE_ORE, 2) } else { Decimal::ZERO };
        let run = date(FIRST_INVOICE_DATE).first_of_month_offset(n as i32);
        ledger.add_invoice(billing::monthly_invoice(&invoice_no, run, &customer, &ended_late, other_charges));
    }
}
