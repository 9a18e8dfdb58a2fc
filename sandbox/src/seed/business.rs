//! The business customer: a hundred mobile subscriptions and usage-heavy invoices of 50, about
//! 5,000, about 20,000 and (twice, a month apart) about 50,000 lines.

use super::billing::{self, add_days, date, Plan, DAYS_TO_PAY};
use super::rng::Rng;
use super::{seed_customer, SubscriptionSeed};
use crate::store::{CustomerRecord, InvoiceRecord, InvoiceSubscriptionRecord, Ledger, LineRecord, ProductRecord};
use crate::{
    BUSINESS_CUSTOMER, BUSINESS_INVOICE_50_LINES, BUSINESS_INVOICE_5K, LARGE_INVOICE_20K, LARGE_INVOICE_50K,
    LARGE_INVOICE_50K_NEXT,
};
use billing_contract::{Date, Decimal};
use std::collections::HashSet;

/// The seed of every random choice about the business customer.
const SEED: u64 = 0x0055_6677_8899;
/// Mobile subscriptions of the business customer.
const SUBSCRIPTIONS: usize = 100;
/// Usage charges are numbered from here within each line collection, apart from the products.
const FIRST_USAGE_NO: usize = 100_001;

/// The shape of one business invoice.
struct InvoiceSpec {
    invoice_no: &'static str,
    invoice_date: &'static str,
    customer_lines: usize,
    subscriptions: usize,
    lines_per_subscription: usize,
}

const INVOICES: [InvoiceSpec; 5] = [
    InvoiceSpec {
        invoice_no: BUSINESS_INVOICE_50_LINES,
        invoice_date: "2026-08-01",
        customer_lines: 6,
        subscriptions: 11,
        lines_per_subscription: 4,
    },
    InvoiceSpec {
        invoice_no: BUSINESS_INVOICE_5K,
        invoice_date: "2026-09-01",
        customer_lines: 12,
        subscriptions: 100,
        lines_per_subscription: 50,
    },
    InvoiceSpec {
        invoice_no: LARGE_INVOICE_20K,
        invoice_date: "2026-10-01",
        customer_lines: 12,
        subscriptions: 40,
        lines_per_subscription: 500,
    },
    InvoiceSpec {
        invoice_no: LARGE_INVOICE_50K,
        invoice_date: "2026-11-01",
        customer_lines: 12,
        subscriptions: 100,
        lines_per_subscription: 500,
    },
    InvoiceSpec {
        invoice_no: LARGE_INVOICE_50K_NEXT,
        invoice_date: "2026-12-01",
        customer_lines: 12,
        subscriptions: 100,
        lines_per_subscription: 500,
    },
];

const START: &str = "2025-01-01";
const MOBILE_PLANS: [Plan; 3] = [
    Plan::monthly("FTG-MOB-10", "Företag Mobil 10 GB", 22900, 25).from(START),
    Plan::monthly("FTG-MOB-30", "Företag Mobil 30 GB", 27900, 25).from(START),
    Plan::monthly("FTG-MOB-UNL", "Företag Mobil Obegränsad", 34900, 25).from(START),
];
const SWITCH_USER: Plan = Plan::monthly("VXL-ANV", "Växeltjänst användare", 5900, 25).from(START);

const FIRST_NAMES: [&str; 20] = [
    "Anna", "Erik", "Lena", "Johan", "Karin", "Per", "Maria", "Lars", "Sara", "Anders", "Eva", "Mikael", "Åsa",
    "Björn", "Ingrid", "Göran", "Maja", "Oskar", "Linnéa", "Jörgen",
];
const SURNAMES: [&str; 20] = [
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Pettersson",
    "Jonsson",
    "Jansson",
    "Hansson",
    "Bengtsson",
    "Jönsson",
    "Lindberg",
    "Åberg",
    "Öberg",
    "Ström",
];

/// How a usage quantity is drawn.
#[derive(Clone, Copy)]
enum Amount {
    /// Whole units (minutes, messages) in a range.
    Whole(i64, i64),
    /// Hundredths (gigabytes with two decimals) in a range.
    Hundredths(i64, i64),
}

/// A kind of usage charge.
struct Usage {
    product_no: &'static str,
    description: &'static str,
    price_ore: i64,
    vat_rate: u32,
    amount: Amount,
}

const fn usage(
    product_no: &'static str,
    description: &'static str,
    price_ore: i64,
    vat_rate: u32,
    amount: Amount,
) -> Usage {
    Usage { product_no, description, price_ore, vat_rate, amount }
}

const MOBILE_USAGE: [Usage; 16] = [
    usage("SAMTAL-SE", "Samtal inom Sverige", 49, 25, Amount::Whole(1, 45)),
    usage("SAMTAL-MOB", "Samtal till mobil", 59, 25, Amount::Whole(1, 30)),
    usage("SAMTAL-ALAND", "Samtal till Åland", 195, 25, Amount::Whole(1, 20)),
    usage("SAMTAL-NORDEN", "Samtal till Norden", 290, 25, Amount::Whole(1, 25)),
    usage("SAMTAL-0771", "Samtal till 0771-nummer", 99, 25, Amount::Whole(1, 15)),
    usage("SAMTAL-VXL", "Samtal via växeln", 25, 25, Amount::Whole(1, 60)),
    usage("DATA-SE", "Datatrafik över surfpott", 1900, 25, Amount::Hundredths(5, 250)),
    usage("DATA-EU", "Datatrafik i EU/EES", 990, 25, Amount::Hundredths(5, 300)),
    usage("SMS-SE", "SMS inom Sverige", 79, 25, Amount::Whole(1, 12)),
    usage("SMS-UTL", "SMS till utlandet", 149, 25, Amount::Whole(1, 6)),
    usage("MMS", "MMS", 199, 25, Amount::Whole(1, 3)),
    usage("ROAM-NO", "Roaming Norge – samtal", 490, 25, Amount::Whole(1, 30)),
    usage("ROAM-CH", "Roaming Schweiz – data", 4900, 25, Amount::Hundredths(1, 120)),
    usage("ROAM-US", "Roaming USA – samtal", 1290, 25, Amount::Whole(1, 20)),
    usage("ROSTBREV", "Röstbrevlåda", 49, 25, Amount::Whole(1, 5)),
    usage("SMS-PARK", "Betaltjänst: parkering via SMS", 3200, 0, Amount::Whole(1, 1)),
];

const COMPANY_USAGE: [Usage; 5] = [
    usage("VXL-KO", "Växel – köplatser", 250, 25, Amount::Whole(1, 40)),
    usage("VXL-SAMTAL", "Samtal till växelnummer", 35, 25, Amount::Whole(10, 400)),
    usage("VXL-INSP", "Röstinspelning växel", 90, 25, Amount::Whole(1, 60)),
    usage("NUMMERPRES", "Nummerpresentation företag", 1500, 25, Amount::Whole(1, 1)),
    usage("ADMIN", "Administrativ avgift", 4500, 25, Amount::Whole(1, 1)),
];

/// Seeds the business customer and its five invoices.
pub fn seed(ledger: &mut Ledger) {
    let plans = [
        Plan::monthly("FTG-AVTAL", "Företagsavtal Bas", 49500, 25).from(START),
        Plan::monthly("VXL-GRUND", "Växeltjänst grundavgift", 125000, 25).from(START),
        Plan::monthly("RABATT-VOLYM", "Volymrabatt", -50000, 25).from(START),
    ];
    let ended_late = seed_customer(ledger, BUSINESS_CUSTOMER, &plans, &subscriptions());
    let Ok(customer) = ledger.customer(BUSINESS_CUSTOMER).cloned() else {
        return;
    };
    for spec in &INVOICES {
        ledger.add_invoice(invoice(spec, &customer, &ended_late));
    }
}

/// A hundred mobile subscriptions with distinct numbers and users.
fn subscriptions() -> Vec<SubscriptionSeed> {
    let mut rng = Rng::new(SEED);
    let mut numbers = HashSet::new();
    let mut subscriptions = Vec::with_capacity(SUBSCRIPTIONS);
    while subscriptions.len() < SUBSCRIPTIONS {
        let number = format!("4673{:07}", rng.between(0, 9_999_999));
        if !numbers.insert(number.clone()) {
            continue;
        }
        let user = format!("Mobil – {} {}", rng.pick(&FIRST_NAMES), rng.pick(&SURNAMES));
        subscriptions.push(SubscriptionSeed::new(&number, &user, START, &[*rng.pick(&MOBILE_PLANS), SWITCH_USER]));
    }
    subscriptions
}

/// One invoice: the month's fees in advance, then the previous month's usage day by day.
fn invoice(spec: &InvoiceSpec, customer: &CustomerRecord, ended_late: &HashSet<String>) -> InvoiceRecord {
    let run = date(spec.invoice_date);
    let part = |index: usize| Rng::for_part(SEED ^ run_key(run), index as u64);
    let lines = |products: &[ProductRecord], count: usize, kinds: &[Usage], rng: Rng| {
        let fees = products.iter().filter_map(|p| billing::charge(run, p, ended_late.contains(&p.no)));
        with_usage(fees.collect(), count, kinds, run.first_of_month_offset(-1), rng)
    };
    let subscriptions = customer
        .subscriptions
        .iter()
        .take(spec.subscriptions)
        .enumerate()
        .map(|(index, s)| InvoiceSubscriptionRecord {
            subscription_no: s.subscription_no.clone(),
            description: s.description.clone(),
            lines: lines(&s.products, spec.lines_per_subscription, &MOBILE_USAGE, part(index + 1)),
        })
        .collect();
    InvoiceRecord::new(
        spec.invoice_no,
        &customer.customer_no,
        run,
        add_days(run, DAYS_TO_PAY),
        lines(&customer.products, spec.customer_lines, &COMPANY_USAGE, part(0)),
        subscriptions,
        Decimal::ZERO,
    )
}

fn run_key(run: Date) -> u64 {
    u64::from(run.year()) * 100 + u64::from(run.month())
}

/// `fees`, then usage charges in `month` until there are `count` lines, spread over its days
/// in order; about one in a hundred and fifty is a credit.
fn with_usage(mut lines: Vec<LineRecord>, count: usize, kinds: &[Usage], month: Date, mut rng: Rng) -> Vec<LineRecord> {
    lines.truncate(count);
    let usage_lines = count - lines.len();
    let days = usize::from(month.days_in_month());
    lines.extend((0..usage_lines).map(|i| {
        let day = u8::try_from(1 + i * days / usage_lines).unwrap_or(1);
        let on = Date::new(month.year(), month.month(), day).unwrap_or(month);
        let kind = rng.pick(kinds);
        let mut quantity = match kind.amount {
            Amount::Whole(low, high) => Decimal::from(rng.between(low, high)),
            Amount::Hundredths(low, high) => Decimal::new(rng.between(low, high), 2),
        };
        let mut description = kind.description.to_string();
        if rng.one_in(150) {
            quantity = -quantity;
            description = format!("Kreditering: {description}");
        }
        LineRecord {
            recurring_product_no: (FIRST_USAGE_NO + i).to_string(),
            product_no: kind.product_no.into(),
            description,
            period_start: on,
            period_end: on,
            quantity,
            unit_price: Decimal::new(kind.price_ore, 2),
            vat_rate: Decimal::from(kind.vat_rate),
        }
    }));
    lines
}
