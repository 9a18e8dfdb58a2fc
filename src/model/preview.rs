//! An estimate of the next invoice's recurring charges, from a customer's recurring products:
//! per group (the customer's own products, then each subscription's), which products the next
//! billing period charges, with totals excluding and including VAT. Usage and one-off charges
//! are not known in advance, so this is an estimate, and is labelled so.
//!
//! # Reading (assumed)
//!
//! PayEx does not document how billing periods are anchored. This model reads them as
//! `contract/` records under [`Periodicity`] \[assumed\]:
//! - the next invoice bills the calendar month after today's;
//! - a product is due in the months counted from its start date's month in steps of its
//!   periodicity (a yearly product started in March is charged every March);
//! - a product that starts or ends inside the period is charged a whole period, and marked, as
//!   PayEx does not document how it prorates.

use super::checked::{self, TooLarge};
use super::invoice::{GroupKind, Totals};
use super::recurring::CustomerOverview;
use billing_contract::money::round_cents;
use billing_contract::{Date, Decimal, Periodicity, RecurringProduct};

/// A billing period: its first and last day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BillingPeriod {
    /// The first day billed.
    pub start: Date,
    /// The last day billed.
    pub end: Date,
}

impl BillingPeriod {
    /// The calendar month after `today`'s: the period the next invoice bills.
    pub fn after(today: Date) -> BillingPeriod {
        let start = today.first_of_month_offset(1);
        BillingPeriod { start, end: start.end_of_month() }
    }

    /// Whether `product` is charged in this period (see the module's reading).
    pub fn charges(&self, product: &RecurringProduct) -> bool {
        let Some(step) = product.periodicity.months().and_then(|m| i32::try_from(m).ok()) else { return false };
        if !self.overlaps(product) {
            return false;
        }
        let months_since_start = self.start.month_number() - product.start_date.month_number();
        months_since_start >= 0 && months_since_start % step == 0
    }
}

impl BillingPeriod {
    /// Whether `product` runs on any day of this period.
    fn overlaps(&self, product: &RecurringProduct) -> bool {
        product.start_date <= self.end && product.end_date.is_none_or(|end| end >= self.start)
    }
}

/// One product the period charges.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PreviewCharge {
    /// The product catalogue number.
    pub product_no: String,
    /// What is billed.
    pub description: String,
    /// How often it is billed.
    pub periodicity: Periodicity,
    /// Quantity × unit price, excluding VAT.
    pub amount: Decimal,
    /// The VAT on it, rounded to cents.
    pub vat: Decimal,
    /// Amount including VAT.
    pub total: Decimal,
    /// Starts after the period's first day.
    pub starts_in_period: bool,
    /// Ends before the period's last day.
    pub ends_in_period: bool,
}

impl PreviewCharge {
    /// What `product` charges for `period`; [`TooLarge`] beyond a decimal.
    fn of(product: &RecurringProduct, period: BillingPeriod) -> Result<PreviewCharge, TooLarge> {
        let amount = round_cents(checked::mul(product.quantity, product.unit_price)?);
        let vat = round_cents(checked::div(checked::mul(amount, product.vat_rate)?, Decimal::ONE_HUNDRED)?);
        Ok(PreviewCharge {
            product_no: product.product_no.clone(),
            description: product.description.clone(),
            periodicity: product.periodicity,
            amount,
            vat,
            total: checked::add(amount, vat)?,
            starts_in_period: product.start_date > period.start,
            ends_in_period: product.end_date.is_some_and(|end| end < period.end),
        })
    }
}

/// One group of the estimate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PreviewGroup {
    /// Customer level or a subscription.
    pub kind: GroupKind,
    /// The products the period charges, in the order the API listed them.
    pub charges: Vec<PreviewCharge>,
    /// Their sums.
    pub totals: Totals,
    /// Products whose periodicity this client does not know: left out of the estimate.
    pub unknown_periodicity: usize,
    /// The group's products could not be loaded or read in full: its estimate is incomplete.
    pub incomplete: bool,
}

/// The estimate of the next invoice's recurring charges.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvoicePreview {
    /// The period estimated.
    pub period: BillingPeriod,
    /// The customer's own products first, then each subscription with something to charge or
    /// to say (groups with nothing due and nothing missing are left out).
    pub groups: Vec<PreviewGroup>,
    /// The sums over every group.
    pub totals: Totals,
}

impl InvoicePreview {
    /// Estimates what `overview`'s products charge in `period`; [`TooLarge`] when an amount or
    /// a sum leaves `Decimal`'s range (an estimate that silently left a product out would be
    /// wrong).
    pub fn new(overview: &CustomerOverview, period: BillingPeriod) -> Result<InvoicePreview, TooLarge> {
        let customer = group(
            GroupKind::Customer,
            &overview.products,
            overview.unreadable_products > 0 || overview.products_failed.is_some(),
            period,
        )?;
        let mut groups = vec![customer];
        for s in &overview.subscriptions {
            let kind = GroupKind::Subscription {
                subscription_no: s.subscription.subscription_no.clone(),
                description: s.subscription.description.clone(),
            };
            groups.push(group(kind, &s.products, s.unreadable_products > 0 || s.failed.is_some(), period)?);
        }
        groups.retain(|g| !g.charges.is_empty() || g.unknown_periodicity > 0 || g.incomplete);
        let totals = groups.iter().try_fold(Totals::default(), |sum, g| sum.plus(g.totals))?;
        Ok(InvoicePreview { period, groups, totals })
    }

    /// True when a group's products could not all be loaded or read, or have a periodicity
    /// this client does not know: the totals leave them out.
    pub fn is_incomplete(&self) -> bool {
        self.groups.iter().any(|g| g.incomplete || g.unknown_periodicity > 0)
    }
}

fn group(
    kind: GroupKind,
    products: &[RecurringProduct],
    incomplete: bool,
    period: BillingPeriod,
) -> Result<PreviewGroup, TooLarge> {
    let charges = products
        .iter()
        .filter(|p| period.charges(p))
        .map(|p| PreviewCharge::of(p, period))
        .collect::<Result<Vec<_>, _>>()?;
    let mut totals = Totals::default();
    for charge in &charges {
        totals = totals.plus(Totals { amount: charge.amount, vat: charge.vat, total: charge.total, lines: 1 })?;
    }
    let unknown_periodicity =
        products.iter().filter(|p| p.periodicity == Periodicity::Unknown && period.overlaps(p)).count();
    Ok(PreviewGroup { kind, charges, totals, unknown_periodicity, incomplete })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::invoice::tests::dec;
    use crate::model::recurring::SubscriptionProducts;
    use billing_contract::{Customer, Link};

    fn date(text: &str) -> Date {
        text.parse().unwrap_or(Date::UNIX_EPOCH)
    }

    fn product(
        description: &str,
        price: &str,
        periodicity: Periodicity,
        start: &str,
        end: Option<&str>,
    ) -> RecurringProduct {
        RecurringProduct {
            id: Link::default(),
            recurring_product_no: "1".into(),
            product_no: "P".into(),
            description: description.into(),
            quantity: Decimal::ONE,
            unit_price: dec(price),
            vat_rate: dec("25"),
            periodicity,
            start_date: date(start),
            end_date: end.map(date),
            operations: Vec::new(),
        }
    }

    fn overview(own: Vec<RecurringProduct>, subscriptions: Vec<(&str, Vec<RecurringProduct>)>) -> CustomerOverview {
        let customer: Customer =
            serde_json::from_str(r#"{"customerNo":"1","name":"A"}"#).unwrap_or_else(|e| panic!("{e}"));
        CustomerOverview {
            customer,
            products: own,
            subscriptions: subscriptions
                .into_iter()
                .map(|(no, products)| SubscriptionProducts {
                    subscription: serde_json::from_str(&format!(r#"{{"subscriptionNo":"{no}"}}"#))
                        .unwrap_or_else(|e: serde_json::Error| panic!("{e}")),
                    products,
                    unreadable_products: 0,
                    failed: None,
                })
                .collect(),
            unreadable_products: 0,
            products_failed: None,
            unreadable_subscriptions: 0,
        }
    }

    const NOVEMBER: &str = "2026-11-01";

    fn preview(overview: &CustomerOverview) -> InvoicePreview {
        let Ok(preview) = InvoicePreview::new(overview, BillingPeriod::after(date("2026-10-20"))) else {
            panic!("in range")
        };
        preview
    }

    fn descriptions(p: &InvoicePreview) -> Vec<Vec<String>> {
        p.groups.iter().map(|g| g.charges.iter().map(|c| c.description.clone()).collect()).collect()
    }

    #[test]
    fn the_next_period_is_the_calendar_month_after_today() {
        assert_eq!(
            BillingPeriod::after(date("2026-12-15")),
            BillingPeriod { start: date("2027-01-01"), end: date("2027-01-31") }
        );
        assert_eq!(BillingPeriod::after(date("2028-01-31")).end, date("2028-02-29"));
    }

    #[test]
    fn a_product_is_charged_in_the_months_counted_from_its_start_in_steps_of_its_periodicity() {
        let o = overview(
            vec![
                product("Monthly", "100", Periodicity::Monthly, "2025-06-15", None),
                product("Yearly in November", "1200", Periodicity::Yearly, "2025-11-01", None),
                product("Yearly in March", "1200", Periodicity::Yearly, "2026-03-01", None),
                product("Quarterly from August", "300", Periodicity::Quarterly, "2026-08-01", None),
                product("Quarterly from September", "300", Periodicity::Quarterly, "2026-09-01", None),
                product("Half-yearly from May", "600", Periodicity::Semiannually, "2026-05-01", None),
            ],
            vec![],
        );
        assert_eq!(
            descriptions(&preview(&o)),
            vec![vec!["Monthly", "Yearly in November", "Quarterly from August", "Half-yearly from May"]]
        );
    }

    #[test]
    fn products_starting_or_ending_inside_the_period_are_charged_and_marked() {
        let o = overview(
            vec![
                product("Starts", "100", Periodicity::Monthly, "2026-11-10", None),
                product("Ends", "100", Periodicity::Monthly, "2026-01-01", Some("2026-11-20")),
                product("Ended", "100", Periodicity::Monthly, "2026-01-01", Some("2026-10-31")),
                product("Upcoming", "100", Periodicity::Monthly, "2026-12-01", None),
            ],
            vec![],
        );
        let p = preview(&o);
        let marks: Vec<(String, bool, bool)> =
            p.groups[0].charges.iter().map(|c| (c.description.clone(), c.starts_in_period, c.ends_in_period)).collect();
        assert_eq!(marks, vec![("Starts".into(), true, false), ("Ends".into(), false, true)]);
        assert_eq!(p.period.start, date(NOVEMBER));
    }

    #[test]
    fn totals_are_exact_per_group_and_overall_with_vat_rounded_per_charge() {
        let o = overview(
            vec![product("Fee", "29.99", Periodicity::Monthly, "2026-01-01", None)],
            vec![
                ("0701", vec![product("Mobile", "199.95", Periodicity::Monthly, "2026-01-01", None)]),
                ("0702", vec![product("Discount", "-50", Periodicity::Monthly, "2026-01-01", None)]),
            ],
        );
        let p = preview(&o);
        // 29.99 + 7.50 (7.4975 rounded); 199.95 + 49.99 (49.9875); -50 - 12.50.
        let totals: Vec<Decimal> = p.groups.iter().map(|g| g.totals.total).collect();
        assert_eq!(totals, vec![dec("37.49"), dec("249.94"), dec("-62.50")]);
        assert_eq!((p.totals.amount, p.totals.vat, p.totals.total), (dec("179.94"), dec("44.99"), dec("224.93")));
    }

    #[test]
    fn groups_with_nothing_due_are_left_out_and_missing_products_are_said() {
        let mut o = overview(
            vec![],
            vec![
                ("0701", vec![product("Ended", "100", Periodicity::Monthly, "2025-01-01", Some("2025-12-31"))]),
                ("0702", vec![product("Odd", "100", Periodicity::Unknown, "2026-01-01", None)]),
                ("0703", vec![]),
            ],
        );
        if let Some(s) = o.subscriptions.get_mut(2) {
            s.unreadable_products = 1;
        }
        let p = preview(&o);
        let shown: Vec<(GroupKind, usize, bool)> =
            p.groups.iter().map(|g| (g.kind.clone(), g.unknown_periodicity, g.incomplete)).collect();
        let sub = |no: &str| GroupKind::Subscription { subscription_no: no.into(), description: None };
        assert_eq!(shown, vec![(sub("0702"), 1, false), (sub("0703"), 0, true)]);
        assert!(p.is_incomplete());
        assert_eq!(p.totals, Totals::default());
    }
}
