//! An invoice's charges, grouped as the invoice bills them, with the sums that explain its amount.

use super::checked::{self, TooLarge};
use super::text::Lowercase;
use billing_contract::{Date, Decimal, Invoice, InvoiceLine, InvoiceSubscription, Unreadable};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Sums over some invoice lines.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    /// Sum of amounts excluding VAT.
    pub amount: Decimal,
    /// Sum of VAT.
    pub vat: Decimal,
    /// Sum of amounts including VAT.
    pub total: Decimal,
    /// Number of lines.
    pub lines: usize,
}

impl Totals {
    /// The sums over `lines`, or [`TooLarge`] when a sum leaves `Decimal`'s range.
    pub fn of<'a>(lines: impl IntoIterator<Item = &'a InvoiceLine>) -> Result<Totals, TooLarge> {
        lines.into_iter().try_fold(Totals::default(), |t, line| t.plus_line(line))
    }

    fn plus_line(self, line: &InvoiceLine) -> Result<Totals, TooLarge> {
        Ok(Totals {
            amount: checked::add(self.amount, line.amount)?,
            vat: checked::add(self.vat, line.vat_amount)?,
            total: checked::add(self.total, line.total_amount)?,
            lines: self.lines.saturating_add(1),
        })
    }

    /// These sums and `other`'s together.
    pub fn plus(self, other: Totals) -> Result<Totals, TooLarge> {
        Ok(Totals {
            amount: checked::add(self.amount, other.amount)?,
            vat: checked::add(self.vat, other.vat)?,
            total: checked::add(self.total, other.total)?,
            lines: self.lines.saturating_add(other.lines),
        })
    }
}

/// Which part of the invoice a group of charges belongs to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GroupKind {
    /// Charges billed on the customer itself.
    Customer,
    /// Charges billed on one subscription.
    Subscription {
        /// The subscription number, e.g. a mobile number.
        subscription_no: String,
        /// What the subscription is.
        description: Option<String>,
    },
}

impl GroupKind {
    /// The group of a subscription billed on an invoice.
    pub fn subscription(s: &InvoiceSubscription) -> GroupKind {
        GroupKind::Subscription { subscription_no: s.subscription_no.clone(), description: s.description.clone() }
    }
}

/// One group of charges with its subtotal.
#[derive(Clone, Debug, PartialEq)]
pub struct ChargeGroup {
    /// Customer level or a subscription.
    pub kind: GroupKind,
    /// The charges, in the order the API listed them.
    pub lines: Vec<InvoiceLine>,
    /// The group's subtotal, or [`TooLarge`] when its lines do not add up within range.
    pub totals: Result<Totals, TooLarge>,
    /// Per line: the product number, lower-cased, for the filter.
    product_keys: Vec<String>,
    /// Per line: the description, lower-cased, for the filter and for sorting.
    description_keys: Vec<String>,
    /// The lines the API sent that could not be read: left out of the lines and the totals,
    /// and shown as such.
    pub unreadable: Vec<Unreadable>,
}

impl ChargeGroup {
    /// A group of `lines`, with its subtotal computed and its texts lower-cased by `lowercase`
    /// for the filter and the sort.
    pub fn new(kind: GroupKind, lines: Vec<InvoiceLine>, lowercase: &impl Lowercase) -> ChargeGroup {
        let totals = Totals::of(&lines);
        // One batch for the whole group: product numbers and descriptions, interleaved.
        let texts: Vec<&str> = lines.iter().flat_map(|l| [l.product_no.as_str(), l.description.as_str()]).collect();
        let mut lowered = lowercase.lowercase_all(&texts).into_iter();
        let (product_keys, description_keys) = std::iter::from_fn(|| Some((lowered.next()?, lowered.next()?))).unzip();
        ChargeGroup { kind, lines, totals, product_keys, description_keys, unreadable: Vec::new() }
    }

    /// A group with no lines (the API gave it no link to any).
    pub fn empty(kind: GroupKind) -> ChargeGroup {
        ChargeGroup {
            kind,
            lines: Vec::new(),
            totals: Totals::of(std::iter::empty()),
            product_keys: Vec::new(),
            description_keys: Vec::new(),
            unreadable: Vec::new(),
        }
    }

    /// This group with the lines that could not be read.
    pub fn with_unreadable(mut self, unreadable: Vec<Unreadable>) -> ChargeGroup {
        self.unreadable = unreadable;
        self
    }

    /// Whether every one of the lower-cased `words` appears in line `index`'s product number or
    /// description (a word holds no space, so it cannot straddle the two); true for no words.
    pub fn line_matches(&self, index: usize, words: &[String]) -> bool {
        let product = self.product_keys.get(index).map_or("", String::as_str);
        let description = self.description_key(index);
        words.iter().all(|w| product.contains(w.as_str()) || description.contains(w.as_str()))
    }

    /// The lower-cased description of line `index`, for sorting.
    pub fn description_key(&self, index: usize) -> &str {
        self.description_keys.get(index).map_or("", String::as_str)
    }

    /// A stable key for the group (for keyed rendering and DOM ids).
    pub fn key(&self) -> String {
        match &self.kind {
            GroupKind::Customer => "customer".into(),
            GroupKind::Subscription { subscription_no, .. } => format!("subscription-{subscription_no}"),
        }
    }
}

/// VAT charged at one rate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VatLine {
    /// The rate in percent.
    pub rate: Decimal,
    /// The amount excluding VAT the rate applies to.
    pub base: Decimal,
    /// The VAT at this rate.
    pub vat: Decimal,
}

/// How the lines' sum compares with the invoiced amount.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reconciliation {
    /// Sum of all lines including VAT.
    pub lines_total: Decimal,
    /// The invoice's `invoiceAmount`, if the API gave one.
    pub invoice_amount: Option<Decimal>,
    /// `invoiceAmount` minus the lines' total.
    difference: Option<Decimal>,
}

impl Reconciliation {
    /// Compares the lines' total with the invoiced amount; [`TooLarge`] when their difference
    /// is beyond `Decimal`'s range.
    pub fn new(lines_total: Decimal, invoice_amount: Option<Decimal>) -> Result<Reconciliation, TooLarge> {
        let difference = invoice_amount.map(|amount| checked::sub(amount, lines_total)).transpose()?;
        Ok(Reconciliation { lines_total, invoice_amount, difference })
    }

    /// `invoiceAmount` minus the lines' total: what the lines do not explain.
    pub fn difference(&self) -> Option<Decimal> {
        self.difference
    }

    /// True when the lines add up to the invoiced amount exactly.
    pub fn is_reconciled(&self) -> bool {
        self.difference == Some(Decimal::ZERO)
    }
}

/// An invoice with all its charges, grouped: customer-level charges first, then one group per
/// subscription in the order the API listed them.
#[derive(Clone, Debug, PartialEq)]
pub struct InvoiceDetails {
    /// The invoice itself.
    pub invoice: Invoice,
    /// The groups of charges.
    pub groups: Vec<Arc<ChargeGroup>>,
}

impl InvoiceDetails {
    /// Groups the charges of an invoice: `customer_lines` billed at customer level, and each
    /// subscription with its lines. Empty groups are kept out. `lowercase` prepares the lines'
    /// texts for the filter and the sort (see [`ChargeGroup::new`]).
    pub fn new(
        invoice: Invoice,
        customer_lines: Vec<InvoiceLine>,
        subscriptions: Vec<(InvoiceSubscription, Vec<InvoiceLine>)>,
        lowercase: &impl Lowercase,
    ) -> InvoiceDetails {
        let customer = (!customer_lines.is_empty())
            .then(|| Arc::new(ChargeGroup::new(GroupKind::Customer, customer_lines, lowercase)));
        let subscription_groups = subscriptions
            .into_iter()
            .filter(|(_, lines)| !lines.is_empty())
            .map(|(s, lines)| Arc::new(ChargeGroup::new(GroupKind::subscription(&s), lines, lowercase)));
        InvoiceDetails { invoice, groups: customer.into_iter().chain(subscription_groups).collect() }
    }

    /// The sums over every line of the invoice.
    pub fn totals(&self) -> Result<Totals, TooLarge> {
        self.groups.iter().try_fold(Totals::default(), |t, g| t.plus(g.totals?))
    }

    /// VAT per rate, lowest rate first.
    pub fn vat_by_rate(&self) -> Result<Vec<VatLine>, TooLarge> {
        vat_by_rate(self.groups.iter().flat_map(|g| &g.lines))
    }

    /// How the lines compare with the invoiced amount.
    pub fn reconciliation(&self) -> Result<Reconciliation, TooLarge> {
        Reconciliation::new(self.totals()?.total, self.invoice.invoice_amount)
    }
}

/// VAT per rate over `lines`, lowest rate first.
pub fn vat_by_rate<'a>(lines: impl IntoIterator<Item = &'a InvoiceLine>) -> Result<Vec<VatLine>, TooLarge> {
    let mut by_rate: BTreeMap<Decimal, (Decimal, Decimal)> = BTreeMap::new();
    for line in lines {
        let (base, vat) = by_rate.entry(line.vat_rate.normalize()).or_default();
        *base = checked::add(*base, line.amount)?;
        *vat = checked::add(*vat, line.vat_amount)?;
    }
    Ok(by_rate.into_iter().map(|(rate, (base, vat))| VatLine { rate, base, vat }).collect())
}

/// True when a line bills part of a period: its quantity is fractional and a whole multiple of the share of
/// calendar months its period covers, and that share is not whole (a product started, ended or
/// changed mid-month: 16 days of September is 0.5333). The contract has no proration flag
/// \[assumed\], so it is read from the line; usage (8 calls, 0.98 GB on one day) does not match.
pub fn is_proration(line: &InvoiceLine) -> bool {
    let (Some(start), Some(end)) = (line.period_start, line.period_end) else { return false };
    let Some(covered) = months_covered(start, end) else { return false };
    if covered.fract().is_zero() || line.quantity.fract().is_zero() {
        return false;
    }
    let Ok(ratio) = checked::div(line.quantity.abs(), covered) else { return false };
    // Quantities are rounded to 4 decimals, so allow for that in the ratio.
    !ratio.round().is_zero() && checked::sub(ratio, ratio.round()).is_ok_and(|off| off.abs() < Decimal::new(5, 3))
}

/// The share of calendar months from `start` to `end` inclusive (16 days of a 30-day month is
/// 0.5333…), or `None` for a reversed or implausibly long period.
fn months_covered(start: Date, end: Date) -> Option<Decimal> {
    if end < start {
        return None;
    }
    let mut covered = Decimal::ZERO;
    let mut month = start;
    for _ in 0..240 {
        let last = month.end_of_month();
        let until = if end < last { end } else { last };
        let days = Decimal::from(u32::from(until.day()).saturating_sub(u32::from(month.day())) + 1);
        covered = checked::add(covered, checked::div(days, Decimal::from(month.days_in_month())).ok()?).ok()?;
        if end <= last {
            return Some(covered);
        }
        month = month.first_of_month_offset(1);
    }
    None
}

/// True when a line credits the customer (a credit note line or the credited part of a proration).
pub fn is_credit(line: &InvoiceLine) -> bool {
    line.total_amount < Decimal::ZERO
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::model::text::StdLowercase;
    use billing_contract::Link;
    use std::str::FromStr;

    pub fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    pub fn line(description: &str, amount: &str, rate: &str) -> InvoiceLine {
        let amount = dec(amount);
        let vat = billing_contract::money::round_cents(amount * dec(rate) / Decimal::from(100));
        InvoiceLine {
            id: None,
            recurring_product_no: "1".into(),
            product_no: "P".into(),
            description: description.into(),
            period_start: None,
            period_end: None,
            quantity: Decimal::ONE,
            unit_price: amount,
            amount,
            vat_rate: dec(rate),
            vat_amount: vat,
            total_amount: amount + vat,
        }
    }

    pub fn invoice(amount: Option<&str>) -> Invoice {
        Invoice {
            id: Link("/billing/invoice/v1/x/invoices/1".into()),
            invoice_no: "1".into(),
            invoice_date: None,
            due_date: None,
            customer_no: None,
            currency: Some("SEK".into()),
            invoice_amount: amount.map(dec),
            recurring_products: None,
            subscriptions: None,
        }
    }

    pub fn subscription(no: &str) -> InvoiceSubscription {
        InvoiceSubscription {
            id: Link(format!("/s/{no}")),
            subscription_no: no.into(),
            description: Some(format!("Mobil {no}")),
            recurring_products: None,
        }
    }

    pub fn sample(amount: Option<&str>) -> InvoiceDetails {
        InvoiceDetails::new(
            invoice(amount),
            vec![line("Pappersfaktura", "29.00", "25"), line("Familjerabatt", "-50.00", "25")],
            vec![
                (
                    subscription("46701"),
                    vec![line("Mobil 5 GB", "199.00", "25"), line("Mobilförsäkring", "79.00", "0")],
                ),
                (subscription("46702"), vec![]),
                (subscription("46703"), vec![line("E-tidning", "99.00", "6"), line("Kreditering", "-99.50", "25")]),
            ],
            &StdLowercase,
        )
    }

    #[test]
    fn groups_customer_charges_first_then_each_subscription_with_lines() {
        let d = sample(None);
        let keys: Vec<String> = d.groups.iter().map(|g| g.key()).collect();
        assert_eq!(keys, ["customer", "subscription-46701", "subscription-46703"]);
        let totals = d.groups[1].totals.unwrap();
        assert_eq!(totals.amount, dec("278.00"));
        assert_eq!(totals.vat, dec("49.75"));
        assert_eq!(totals.lines, 2);
    }

    #[test]
    fn totals_and_vat_per_rate_add_up_exactly() {
        let d = sample(None);
        let t = d.totals().unwrap();
        assert_eq!(t.amount, dec("256.50"));
        // 7.25 - 12.50 + 49.75 + 0 + 5.94 - 24.88 (half away from zero)
        assert_eq!(t.vat, dec("25.56"));
        let vat = d.vat_by_rate().unwrap();
        let rates: Vec<String> = vat.iter().map(|v| v.rate.to_string()).collect();
        assert_eq!(rates, ["0", "6", "25"]);
        assert_eq!(vat.iter().map(|v| v.vat).sum::<Decimal>(), t.vat);
        assert_eq!(vat.iter().map(|v| v.base).sum::<Decimal>(), t.amount);
        assert_eq!(t.amount + t.vat, t.total);
    }

    #[test]
    fn reconciliation_shows_the_difference_instead_of_hiding_it() {
        let total = sample(None).totals().unwrap().total;
        let matching = sample(Some(&total.to_string()));
        assert!(matching.reconciliation().unwrap().is_reconciled());
        let off = sample(Some(&(total + dec("35")).to_string())).reconciliation().unwrap();
        assert_eq!(off.difference(), Some(dec("35")));
        assert!(!off.is_reconciled());
        assert_eq!(sample(None).reconciliation().unwrap().difference(), None);
    }

    #[test]
    fn prorations_are_fractional_quantities_over_part_of_a_month() {
        let mut credit = line("Kreditering Mobil 5 GB 15–30 sep", "-106.13", "25");
        credit.quantity = dec("-0.5333");
        credit.period_start = Some("2026-09-15".parse().unwrap());
        credit.period_end = Some("2026-09-30".parse().unwrap());
        assert!(is_proration(&credit) && is_credit(&credit));
        let mut usage = line("Samtal till Norden", "23.20", "25");
        usage.quantity = dec("8");
        usage.period_start = Some("2026-10-01".parse().unwrap());
        usage.period_end = Some("2026-10-01".parse().unwrap());
        assert!(!is_proration(&usage), "a whole number of calls on one day is usage, not a proration");
        let mut data = usage.clone();
        data.quantity = dec("0.98");
        assert!(!is_proration(&data), "0.98 GB on one day is usage");
        let mut month = usage.clone();
        month.quantity = dec("1.5");
        month.period_end = Some("2026-10-31".parse().unwrap());
        assert!(!is_proration(&month), "a whole month is not prorated, whatever the quantity");
        let mut change = usage.clone();
        change.quantity = dec("1.5333");
        change.period_start = Some("2026-09-15".parse().unwrap());
        change.period_end = Some("2026-10-31".parse().unwrap());
        assert!(is_proration(&change), "16 days of September and all of October");
        change.quantity = dec("3.0667");
        assert!(is_proration(&change), "two of them");
    }

    /// The largest amount the contract reads: just under 10^15.
    fn near_bound() -> Decimal {
        dec("999999999999999.99")
    }

    #[test]
    fn sums_beyond_a_decimal_are_an_error_not_a_panic() {
        // 10^14 × 10^14 is still a decimal; its VAT and total make the sums leave the range.
        let mut big = line("Stor", "0", "25");
        big.quantity = dec("100000000000000");
        big.unit_price = dec("100000000000000");
        big.amount = big.quantity * big.unit_price;
        big.vat_amount = big.amount * dec("0.25");
        big.total_amount = big.amount + big.vat_amount;
        let lines = vec![big; 8];
        let group = ChargeGroup::new(GroupKind::Customer, lines.clone(), &StdLowercase);
        assert_eq!(group.totals, Err(TooLarge));
        assert_eq!(vat_by_rate(&lines), Err(TooLarge));
        let details = InvoiceDetails::new(invoice(Some("1")), lines, vec![], &StdLowercase);
        assert_eq!(details.totals(), Err(TooLarge));
        assert_eq!(details.reconciliation(), Err(TooLarge));
        // A group that does add up still does, beside one that does not.
        let fine = InvoiceDetails::new(invoice(None), vec![line("Liten", "1", "25")], vec![], &StdLowercase);
        assert_eq!(fine.totals().unwrap().total, dec("1.25"));
        // A difference beyond the range is an error too.
        assert_eq!(Reconciliation::new(Decimal::MIN, Some(near_bound())), Err(TooLarge));
    }

    #[test]
    fn fifty_thousand_lines_near_the_bound_add_up_exactly() {
        let mut one = line("Nästan gränsen", "0", "0");
        one.amount = dec("999000000000000");
        one.unit_price = one.amount;
        one.total_amount = one.amount;
        let lines = vec![one; 50_000];
        let group = ChargeGroup::new(GroupKind::Customer, lines, &StdLowercase);
        let totals = group.totals.unwrap();
        assert_eq!(totals.total, dec("49950000000000000000"));
        assert_eq!(totals.lines, 50_000);
        // Added to sums already near a decimal's limit, they leave the range: an error, not a panic.
        let near_limit = Totals { amount: Decimal::MAX, vat: Decimal::ZERO, total: Decimal::MAX, lines: 1 };
        assert_eq!(near_limit.plus(totals), Err(TooLarge));
    }

    #[test]
    fn a_proration_check_on_extreme_quantities_does_not_panic() {
        let mut odd = line("Udda", "1", "25");
        // One day of September: the quantity divided by 1/30 is beyond a decimal.
        odd.quantity = dec("7922816251426433759354395033.5");
        odd.period_start = Some("2026-09-15".parse().unwrap());
        odd.period_end = Some("2026-09-15".parse().unwrap());
        assert!(!is_proration(&odd));
        // A tiny quantity is no whole multiple of part of a month.
        odd.quantity = dec("-0.0000000000000000000000000001");
        odd.period_end = Some("2026-09-30".parse().unwrap());
        assert!(!is_proration(&odd));
    }

    #[test]
    fn credits_are_recognised_by_sign() {
        assert!(is_credit(&line("Kreditering", "-10", "25")));
        assert!(!is_credit(&line("Mobil", "10", "25")));
    }
}
