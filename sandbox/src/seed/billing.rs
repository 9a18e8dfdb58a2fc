//! How the demo ledger bills recurring products: a run on the first of each month charges every
//! active product in advance for its coming period. A product that starts mid-month is caught up
//! on the next run; a product with an end date known in advance is charged up to that day; a
//! product whose end was registered only after it was billed is credited on the next run.

use crate::store::{CustomerRecord, InvoiceRecord, InvoiceSubscriptionRecord, LineRecord, ProductRecord};
use billing_contract::{Date, Decimal, Periodicity, RecurringProductInput};
use rust_decimal::RoundingStrategy;
use std::collections::HashSet;

/// Swedish month abbreviations, as on a Swedish invoice.
const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"];

/// Days from an invoice date to its due date.
pub const DAYS_TO_PAY: u32 = 30;

/// A date of the seed data, written `YYYY-MM-DD`.
pub fn date(text: &str) -> Date {
    text.parse().unwrap_or_else(|e| panic!("seed date: {e}"))
}

/// The day after `day`.
pub fn next_day(day: Date) -> Date {
    if day == day.end_of_month() {
        day.first_of_month_offset(1)
    } else {
        Date::new(day.year(), day.month(), day.day() + 1).unwrap_or(day)
    }
}

/// `days` days after `day`.
pub fn add_days(day: Date, days: u32) -> Date {
    (0..days).fold(day, |d, _| next_day(d))
}

fn month_index(day: Date) -> i32 {
    i32::from(day.year()) * 12 + i32::from(day.month()) - 1
}

/// Days from `from` to `to`, both included.
pub fn days_inclusive(from: Date, to: Date) -> u32 {
    let mut days = 0;
    let mut cursor = from;
    while month_index(cursor) < month_index(to) {
        days += u32::from(cursor.days_in_month() - cursor.day()) + 1;
        cursor = cursor.first_of_month_offset(1);
    }
    days + u32::from(to.day()) + 1 - u32::from(cursor.day())
}

fn fraction(days: u32, of: u32) -> Decimal {
    Decimal::from(days) / Decimal::from(of.max(1))
}

/// A recurring product as the seed describes it: a catalogue entry plus its dates.
#[derive(Clone, Copy, Debug)]
pub struct Plan {
    /// Catalogue number.
    pub product_no: &'static str,
    /// Description.
    pub description: &'static str,
    /// Unit price in öre, excluding VAT.
    pub price_ore: i64,
    /// VAT rate in percent.
    pub vat_rate: u32,
    /// How many.
    pub quantity: i64,
    /// Billing period.
    pub periodicity: Periodicity,
    /// First day.
    pub start: &'static str,
    /// Last day, if any.
    pub end: Option<&'static str>,
    /// True if the end was registered only after the last full period had been billed.
    pub ended_late: bool,
}

impl Plan {
    /// One unit of a monthly product from 2025-06-01.
    pub const fn monthly(product_no: &'static str, description: &'static str, price_ore: i64, vat_rate: u32) -> Plan {
        Plan {
            product_no,
            description,
            price_ore,
            vat_rate,
            quantity: 1,
            periodicity: Periodicity::Monthly,
            start: "2025-06-01",
            end: None,
            ended_late: false,
        }
    }

    /// Billed every `periodicity` instead.
    pub const fn every(self, periodicity: Periodicity) -> Plan {
        Plan { periodicity, ..self }
    }

    /// `quantity` units.
    pub const fn times(self, quantity: i64) -> Plan {
        Plan { quantity, ..self }
    }

    /// Starting on `start`.
    pub const fn from(self, start: &'static str) -> Plan {
        Plan { start, ..self }
    }

    /// Ending on `end`, known before the last period was billed.
    pub const fn until(self, end: &'static str) -> Plan {
        Plan { end: Some(end), ..self }
    }

    /// Ending on `end`, registered after the period holding it was billed in full.
    pub const fn ended_late(self, end: &'static str) -> Plan {
        Plan { end: Some(end), ended_late: true, ..self }
    }

    /// The product as the Customer API holds it.
    pub fn input(&self) -> RecurringProductInput {
        RecurringProductInput {
            product_no: self.product_no.into(),
            description: self.description.into(),
            quantity: Decimal::from(self.quantity),
            unit_price: Decimal::new(self.price_ore, 2),
            vat_rate: Decimal::from(self.vat_rate),
            periodicity: self.periodicity,
            start_date: date(self.start),
            end_date: self.end.map(date),
        }
    }
}

/// The charge, if any, that the billing run of `run` (the first of a month) makes for `product`.
pub fn charge(run: Date, product: &ProductRecord, ended_late: bool) -> Option<LineRecord> {
    let p = &product.input;
    let months = i32::try_from(p.periodicity.months()?).ok()?;
    let line = |from: Date, to: Date, share: Decimal, description: String| LineRecord {
        recurring_product_no: product.no.clone(),
        product_no: p.product_no.clone(),
        description,
        period_start: from,
        period_end: to,
        quantity: (p.quantity * share).round_dp_with_strategy(4, RoundingStrategy::MidpointAwayFromZero).normalize(),
        unit_price: p.unit_price,
        vat_rate: p.vat_rate,
    };

    if let Some(end) = p.end_date.filter(|&end| end < run) {
        // Ended before this period. A late-registered end inside the previous (monthly) period
        // is credited for the rest of that period.
        let previous = run.first_of_month_offset(-1);
        let billed_to = previous.end_of_month();
        if !(ended_late && months == 1 && end >= previous && end < billed_to) {
            return None;
        }
        let from = next_day(end);
        let text = format!(
            "Kreditering {} {}–{} {}",
            p.description,
            from.day(),
            billed_to.day(),
            MONTHS[usize::from(billed_to.month() - 1)]
        );
        let share = -fraction(days_inclusive(from, billed_to), previous.days_in_month().into());
        return Some(line(from, billed_to, share, text));
    }

    let anchor = if p.start_date.day() == 1 { p.start_date } else { p.start_date.first_of_month_offset(1) };
    if run < anchor || (month_index(run) - month_index(anchor)) % months != 0 {
        return None;
    }
    let period_end = run.first_of_month_offset(months - 1).end_of_month();
    let period_days = days_inclusive(run, period_end);
    let (mut from, mut to, mut share) = (run, period_end, Decimal::ONE);
    if run == anchor && p.start_date != anchor {
        // Started after the previous run: the days before this period are charged now.
        from = p.start_date;
        let days = days_inclusive(from, from.end_of_month());
        share += fraction(days, from.days_in_month().into()) / Decimal::from(months);
    }
    if let Some(end) = p.end_date.filter(|&end| !ended_late && end < period_end) {
        to = end;
        share += fraction(days_inclusive(run, end), period_days) - Decimal::ONE;
    }
    Some(line(from, to, share, p.description.clone()))
}

/// The charges of one billing run for a customer: customer-level lines and, per subscription
/// with any charge, its lines.
pub fn run(
    run: Date,
    customer: &CustomerRecord,
    ended_late: &HashSet<String>,
) -> (Vec<LineRecord>, Vec<InvoiceSubscriptionRecord>) {
    let charges = |products: &[ProductRecord]| {
        products.iter().filter_map(|p| charge(run, p, ended_late.contains(&p.no))).collect::<Vec<_>>()
    };
    let subscriptions = customer
        .subscriptions
        .iter()
        .map(|s| InvoiceSubscriptionRecord {
            subscription_no: s.subscription_no.clone(),
            description: s.description.clone(),
            lines: charges(&s.products),
        })
        .filter(|s| !s.lines.is_empty())
        .collect();
    (charges(&customer.products), subscriptions)
}

/// A monthly invoice of the recurring charges of `customer`, due [`DAYS_TO_PAY`] days later.
pub fn monthly_invoice(
    invoice_no: &str,
    invoice_date: Date,
    customer: &CustomerRecord,
    ended_late: &HashSet<String>,
    other_charges: Decimal,
) -> InvoiceRecord {
    let (customer_lines, subscriptions) = run(invoice_date, customer, ended_late);
    InvoiceRecord::new(
        invoice_no,
        &customer.customer_no,
        invoice_date,
        add_days(invoice_date, DAYS_TO_PAY),
        customer_lines,
        subscriptions,
        other_charges,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn product(plan: Plan) -> ProductRecord {
        ProductRecord { no: "1001".into(), input: plan.input() }
    }

    const PLAN: Plan = Plan::monthly("MOB-5GB", "Mobil 5 GB", 19900, 25);

    #[test]
    fn counts_days() {
        assert_eq!(days_inclusive(date("2026-09-15"), date("2026-09-30")), 16);
        assert_eq!(days_inclusive(date("2026-01-01"), date("2026-12-31")), 365);
        assert_eq!(add_days(date("2025-12-01"), 30), date("2025-12-31"));
        assert_eq!(add_days(date("2026-01-01"), 30), date("2026-01-31"));
        assert_eq!(add_days(date("2026-02-01"), 30), date("2026-03-03"));
    }

    #[test]
    fn bills_a_month_in_advance() {
        let line = charge(date("2026-03-01"), &product(PLAN), false).unwrap();
        assert_eq!((line.period_start, line.period_end), (date("2026-03-01"), date("2026-03-31")));
        assert_eq!(line.quantity, Decimal::ONE);
        assert_eq!(line.total_amount(), Decimal::new(24875, 2));
    }

    #[test]
    fn credits_a_late_end_and_catches_up_a_mid_month_start() {
        let old = product(PLAN.ended_late("2026-09-14"));
        assert_eq!(charge(date("2026-09-01"), &old, true).unwrap().quantity, Decimal::ONE);
        let credit = charge(date("2026-10-01"), &old, true).unwrap();
        assert_eq!(credit.description, "Kreditering Mobil 5 GB 15–30 sep");
        assert_eq!(credit.quantity, Decimal::new(-5333, 4));
        assert_eq!(credit.amount(), Decimal::new(-10613, 2));
        assert!(charge(date("2026-11-01"), &old, true).is_none());

        let new = product(PLAN.from("2026-09-15"));
        assert!(charge(date("2026-09-01"), &new, false).is_none());
        let first = charge(date("2026-10-01"), &new, false).unwrap();
        assert_eq!((first.period_start, first.period_end), (date("2026-09-15"), date("2026-10-31")));
        assert_eq!(first.quantity, Decimal::new(15333, 4));
    }

    #[test]
    fn prorates_an_end_known_in_advance() {
        let ending = product(PLAN.until("2026-04-20"));
        let last = charge(date("2026-04-01"), &ending, false).unwrap();
        assert_eq!(last.period_end, date("2026-04-20"));
        assert_eq!(last.quantity, Decimal::new(6667, 4));
        assert!(charge(date("2026-05-01"), &ending, false).is_none());
    }

    #[test]
    fn bills_longer_periods_on_their_months_only() {
        let yearly = product(PLAN.every(Periodicity::Yearly).from("2026-01-01"));
        let line = charge(date("2026-01-01"), &yearly, false).unwrap();
        assert_eq!(line.period_end, date("2026-12-31"));
        assert!(charge(date("2026-02-01"), &yearly, false).is_none());
        let quarterly = product(PLAN.every(Periodicity::Quarterly).from("2025-12-01"));
        let billed: Vec<u8> = (0..12)
            .map(|m| date("2025-12-01").first_of_month_offset(m))
            .filter(|&run| charge(run, &quarterly, false).is_some())
            .map(|run| run.month())
            .collect();
        assert_eq!(billed, [12, 3, 6, 9]);
    }
}
