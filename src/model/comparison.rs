//! Why two invoices of one customer differ: their charges matched group by group, each
//! difference classified, and the differences adding up to the difference of the totals.
//!
//! # The matching rule
//!
//! Groups match by what they bill: the customer level with the customer level, a subscription
//! with the subscription of the same number. A group on one invoice only is a subscription
//! added or gone, and every line of it a new or an ended charge.
//!
//! Within a pair of groups, lines are matched in three passes, each over the lines the earlier
//! passes left:
//!
//! 1. by the recurring product's number together with the product number. PayEx may send a
//!    line's own id in `recurringProductNo` (\[assumed\] in `contract/`), and such a number differs
//!    between invoices; requiring the product number to agree keeps a reused number from pairing
//!    two different products;
//! 2. by product number, description and unit price;
//! 3. by product number alone, for a product with several lines on either invoice (usage, such
//!    as calls or messages, summed per group) or one whose description or price changed.
//!
//! Lines with the same key on one invoice are summed (two identical lines are one charge of
//! twice the amount). What is left is new or ended. A matched pair whose quantity and amounts
//! are the same is unchanged and not listed.
//!
//! # Classes
//!
//! A credit has a negative amount; a proration covers part of a billing period (see
//! [`is_whole_period`]); a one-off charge has neither a recurring product number nor a period.
//! For a matched pair: a credit or proration on either side makes the change a proration or
//! credit, otherwise a product with several lines is a usage change, then a unit price that
//! differs is a price change, a quantity that differs a quantity change, and anything else
//! (such as a new VAT rate) an amount change.
//!
//! # Sums
//!
//! Every readable line lands in exactly one change or unchanged pair, so the changes add up to
//! the difference of the lines' totals, exactly (decimal, never floating point). What the
//! invoices' own amounts differ by beyond that (lines that could not be read, rounding on the
//! invoice) is [`Comparison::unexplained`], stated, never hidden.

use super::checked::{self, TooLarge};
use super::invoice::{ChargeGroup, GroupKind, Totals};
use billing_contract::{Date, Decimal, InvoiceLine};
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Arc;

/// What kind of difference one change is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ChangeKind {
    /// A charge on the newer invoice only.
    New,
    /// A charge on the older invoice only.
    Ended,
    /// The same product at another unit price.
    PriceChange,
    /// The same product and price, another quantity.
    QuantityChange,
    /// A charge for part of a period, or a credit (a negative amount), on either invoice.
    ProrationOrCredit,
    /// A charge with no recurring product and no period, on one invoice only.
    OneOff,
    /// A product with several lines (usage), summed per group.
    Usage,
    /// The same product, quantity and price, another amount (such as another VAT rate).
    AmountChange,
}

impl ChangeKind {
    /// Every kind, in the order a summary lists them.
    pub const ALL: [ChangeKind; 8] = [
        ChangeKind::New,
        ChangeKind::Ended,
        ChangeKind::PriceChange,
        ChangeKind::QuantityChange,
        ChangeKind::ProrationOrCredit,
        ChangeKind::OneOff,
        ChangeKind::Usage,
        ChangeKind::AmountChange,
    ];
}

/// One side of a change: the lines of one invoice it sums.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChargeSum {
    /// Sum of the lines' quantities.
    pub quantity: Decimal,
    /// The lines' unit price when they all share one.
    pub unit_price: Option<Decimal>,
    /// The lines' sums excluding and including VAT, and their number.
    pub totals: Totals,
}

/// One difference between two invoices within a group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineChange {
    /// What kind of difference it is.
    pub kind: ChangeKind,
    /// The product number.
    pub product_no: String,
    /// What was charged (the newer invoice's words when both have some).
    pub description: String,
    /// The older invoice's lines, if it had any.
    pub before: Option<ChargeSum>,
    /// The newer invoice's lines, if it has any.
    pub now: Option<ChargeSum>,
}

impl LineChange {
    /// The newer minus the older amount including VAT.
    pub fn difference(&self) -> Result<Decimal, TooLarge> {
        let total = |side: &Option<ChargeSum>| side.as_ref().map_or(Decimal::ZERO, |s| s.totals.total);
        checked::sub(total(&self.now), total(&self.before))
    }
}

/// Whether a group is on both invoices.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GroupPresence {
    /// On both.
    Both,
    /// On the newer invoice only (a subscription added).
    Added,
    /// On the older invoice only (a subscription gone).
    Gone,
}

/// The differences within one group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupComparison {
    /// Customer level or a subscription.
    pub kind: GroupKind,
    /// Whether the group is on both invoices.
    pub presence: GroupPresence,
    /// The group's sums on the older and the newer invoice.
    pub before: Totals,
    /// See `before`.
    pub now: Totals,
    /// The changes, largest difference first.
    pub changes: Vec<LineChange>,
}

impl GroupComparison {
    /// The newer minus the older total including VAT.
    pub fn difference(&self) -> Result<Decimal, TooLarge> {
        checked::sub(self.now.total, self.before.total)
    }
}

/// Two invoices' charges compared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comparison {
    /// Per group: the customer level first, then the subscriptions in the newer invoice's
    /// order, then those gone.
    pub groups: Vec<GroupComparison>,
    /// Sums of every readable line of the older invoice.
    pub before: Totals,
    /// Sums of every readable line of the newer invoice.
    pub now: Totals,
    /// Lines that could not be read, on the older and the newer invoice.
    pub unreadable: (usize, usize),
    /// The invoices' own amounts (`invoiceAmount`), when the API gave them.
    pub invoice_amounts: (Option<Decimal>, Option<Decimal>),
}

impl Comparison {
    /// Compares the charges of an older invoice (`before`) with a newer one (`now`), each with
    /// its `invoiceAmount` if known. [`TooLarge`] when a sum leaves `Decimal`'s range.
    pub fn new(
        before: (&[Arc<ChargeGroup>], Option<Decimal>),
        now: (&[Arc<ChargeGroup>], Option<Decimal>),
    ) -> Result<Comparison, TooLarge> {
        let (before_groups, now_groups) = (before.0, now.0);
        let mut older: Vec<Option<&ChargeGroup>> = before_groups.iter().map(|g| Some(g.as_ref())).collect();
        let mut groups = Vec::new();
        let mut ordered: Vec<&Arc<ChargeGroup>> = now_groups.iter().collect();
        // The customer level first, wherever the API listed it.
        ordered.sort_by_key(|g| !matches!(g.kind, GroupKind::Customer));
        for group in ordered {
            let matched = older.iter_mut().find(|g| g.is_some_and(|g| g.kind == group.kind)).and_then(Option::take);
            groups.push(compare_group(matched, Some(group))?);
        }
        for gone in older.into_iter().flatten() {
            groups.push(compare_group(Some(gone), None)?);
        }
        let sum = |groups: &[Arc<ChargeGroup>]| groups.iter().try_fold(Totals::default(), |t, g| t.plus(g.totals?));
        let unreadable = |groups: &[Arc<ChargeGroup>]| groups.iter().map(|g| g.unreadable.len()).sum::<usize>();
        Ok(Comparison {
            groups,
            before: sum(before_groups)?,
            now: sum(now_groups)?,
            unreadable: (unreadable(before_groups), unreadable(now_groups)),
            invoice_amounts: (before.1, now.1),
        })
    }

    /// How much more (or, negative, less) the newer invoice is: the difference of the invoices'
    /// own amounts when both are known, else of their lines.
    pub fn difference(&self) -> Result<Decimal, TooLarge> {
        match self.invoice_amounts {
            (Some(before), Some(now)) => checked::sub(now, before),
            _ => self.lines_difference(),
        }
    }

    /// The difference of the lines' totals including VAT: what the changes add up to.
    pub fn lines_difference(&self) -> Result<Decimal, TooLarge> {
        checked::sub(self.now.total, self.before.total)
    }

    /// The part of [`Comparison::difference`] that no listed change explains: lines that
    /// could not be read, or an invoice whose amount is not the sum of its lines. Zero when
    /// everything adds up.
    pub fn unexplained(&self) -> Result<Decimal, TooLarge> {
        checked::sub(self.difference()?, self.lines_difference()?)
    }

    /// The number of changes of `kind` over every group.
    pub fn count(&self, kind: ChangeKind) -> usize {
        self.groups.iter().flat_map(|g| &g.changes).filter(|c| c.kind == kind).count()
    }

    /// Per kind of change that occurs, in [`ChangeKind::ALL`]'s order: how many changes and
    /// what they add up to.
    pub fn by_kind(&self) -> Result<Vec<(ChangeKind, usize, Decimal)>, TooLarge> {
        let mut summary = Vec::new();
        for kind in ChangeKind::ALL {
            let changes: Vec<&LineChange> =
                self.groups.iter().flat_map(|g| &g.changes).filter(|c| c.kind == kind).collect();
            if !changes.is_empty() {
                let sum = checked::sum(changes.iter().map(|c| c.difference()).collect::<Result<Vec<_>, _>>()?)?;
                summary.push((kind, changes.len(), sum));
            }
        }
        Ok(summary)
    }

    /// The newer invoice's amount: its `invoiceAmount`, else the sum of its lines.
    pub fn amount_now(&self) -> Decimal {
        self.invoice_amounts.1.unwrap_or(self.now.total)
    }

    /// The older invoice's amount: its `invoiceAmount`, else the sum of its lines.
    pub fn amount_before(&self) -> Decimal {
        self.invoice_amounts.0.unwrap_or(self.before.total)
    }
}

/// Whether `start..=end` is a whole number of billing periods of a month or more, anchored on
/// `start`'s day: from the 1st to the end of a month, or from day `d` to day `d - 1` of a later
/// month (the month's last day when it is shorter). PayEx does not document how periods are
/// anchored; this reading is \[assumed\] in `contract/`.
pub fn is_whole_period(start: Date, end: Date) -> bool {
    if start.day() == 1 {
        return end >= start && end == end.end_of_month();
    }
    let expected_day = (start.day() - 1).min(end.days_in_month());
    end.month_number() > start.month_number() && end.day() == expected_day
}

/// True for a line that covers part of a period or credits (see the module's classes).
fn is_proration_or_credit(line: &InvoiceLine) -> bool {
    line.amount < Decimal::ZERO
        || match (line.period_start, line.period_end) {
            (Some(start), Some(end)) => !is_whole_period(start, end),
            _ => false,
        }
}

fn is_one_off(line: &InvoiceLine) -> bool {
    line.recurring_product_no.trim().is_empty() && line.period_start.is_none() && line.period_end.is_none()
}

/// Whether two lines charge the same thing the same way (quantity, price and period).
fn same_charge(a: &InvoiceLine, b: &InvoiceLine) -> bool {
    (&a.product_no, &a.description, a.unit_price, a.quantity, a.period_start, a.period_end)
        == (&b.product_no, &b.description, b.unit_price, b.quantity, b.period_start, b.period_end)
}

/// The lines of one invoice that one change sums.
type Lines<'a> = Vec<&'a InvoiceLine>;

fn sum(lines: &[&InvoiceLine]) -> Result<ChargeSum, TooLarge> {
    let first_price = lines.first().map(|l| l.unit_price);
    Ok(ChargeSum {
        quantity: checked::sum(lines.iter().map(|l| l.quantity))?,
        unit_price: first_price.filter(|p| lines.iter().all(|l| l.unit_price == *p)),
        totals: Totals::of(lines.iter().copied())?,
    })
}

/// Matches the lines of `before` and `now` by `key` (`None`: the line takes no part in this
/// pass). Returns the matched lines summed per key, in the newer invoice's order, and leaves
/// the unmatched ones in `before` and `now`.
fn match_by<'a, K: Eq + Hash>(
    before: &mut Lines<'a>,
    now: &mut Lines<'a>,
    key: impl Fn(&InvoiceLine) -> Option<K>,
) -> Vec<(Lines<'a>, Lines<'a>)> {
    let mut older: HashMap<K, Vec<usize>> = HashMap::new();
    for (index, line) in before.iter().enumerate() {
        if let Some(k) = key(line) {
            older.entry(k).or_default().push(index);
        }
    }
    let mut pair_of_key: HashMap<K, usize> = HashMap::new();
    let mut pairs: Vec<(Vec<usize>, Vec<usize>)> = Vec::new();
    for (index, line) in now.iter().enumerate() {
        let Some(k) = key(line) else { continue };
        if let Some(pair) = pair_of_key.get(&k).and_then(|&p| pairs.get_mut(p)) {
            pair.1.push(index);
        } else if let Some(old) = older.remove(&k) {
            pair_of_key.insert(k, pairs.len());
            pairs.push((old, vec![index]));
        }
    }
    let mut taken_before = vec![false; before.len()];
    let mut taken_now = vec![false; now.len()];
    let take = |indices: &[usize], lines: &Lines<'a>, taken: &mut Vec<bool>| -> Lines<'a> {
        indices
            .iter()
            .filter_map(|&i| {
                if let Some(t) = taken.get_mut(i) {
                    *t = true;
                }
                lines.get(i).copied()
            })
            .collect()
    };
    let matched =
        pairs.iter().map(|(b, n)| (take(b, before, &mut taken_before), take(n, now, &mut taken_now))).collect();
    let keep = |taken: Vec<bool>| taken.into_iter().map(|t| !t);
    let mut kept = keep(taken_before);
    before.retain(|_| kept.next().unwrap_or(true));
    let mut kept = keep(taken_now);
    now.retain(|_| kept.next().unwrap_or(true));
    matched
}

/// Lines of one invoice summed per product, description and price, in their order.
fn bucket<'a>(lines: Lines<'a>) -> Vec<Lines<'a>> {
    let mut index: HashMap<(&str, &str, Decimal), usize> = HashMap::new();
    let mut buckets: Vec<Lines<'a>> = Vec::new();
    for line in lines {
        let key = (line.product_no.as_str(), line.description.as_str(), line.unit_price);
        match index.get(&key).and_then(|&i| buckets.get_mut(i)) {
            Some(bucket) => bucket.push(line),
            None => {
                index.insert(key, buckets.len());
                buckets.push(vec![line]);
            }
        }
    }
    buckets
}

/// The change between matched lines, or `None` when they charge the same.
fn matched_change(before: &[&InvoiceLine], now: &[&InvoiceLine]) -> Result<Option<LineChange>, TooLarge> {
    let (older, newer) = (sum(before)?, sum(now)?);
    if older.quantity == newer.quantity
        && older.totals.amount == newer.totals.amount
        && older.totals.total == newer.totals.total
    {
        return Ok(None);
    }
    let all: Vec<&InvoiceLine> = before.iter().chain(now).copied().collect();
    let copies = all.iter().zip(all.iter().skip(1)).all(|(a, b)| same_charge(a, b));
    let kind = if all.iter().any(|l| is_proration_or_credit(l)) {
        ChangeKind::ProrationOrCredit
    } else if (before.len() > 1 || now.len() > 1) && !copies {
        ChangeKind::Usage
    } else if older.unit_price != newer.unit_price {
        ChangeKind::PriceChange
    } else if older.quantity != newer.quantity {
        ChangeKind::QuantityChange
    } else {
        ChangeKind::AmountChange
    };
    Ok(Some(change(kind, before, now, Some(older), Some(newer))))
}

/// The change of lines on one invoice only (`ended`: the older one): new or ended, unless the
/// lines are a proration, a credit or a one-off charge.
fn one_sided_change(ended: bool, lines: &[&InvoiceLine]) -> Result<LineChange, TooLarge> {
    let summed = Some(sum(lines)?);
    let kind = if lines.iter().any(|l| is_proration_or_credit(l)) {
        ChangeKind::ProrationOrCredit
    } else if lines.iter().all(|l| is_one_off(l)) {
        ChangeKind::OneOff
    } else if ended {
        ChangeKind::Ended
    } else {
        ChangeKind::New
    };
    Ok(if ended { change(kind, lines, &[], summed, None) } else { change(kind, &[], lines, None, summed) })
}

fn change(
    kind: ChangeKind,
    before: &[&InvoiceLine],
    now: &[&InvoiceLine],
    older: Option<ChargeSum>,
    newer: Option<ChargeSum>,
) -> LineChange {
    let named = now.first().or(before.first());
    LineChange {
        kind,
        product_no: named.map(|l| l.product_no.clone()).unwrap_or_default(),
        description: named.map(|l| l.description.clone()).unwrap_or_default(),
        before: older,
        now: newer,
    }
}

fn lines_of(group: Option<&ChargeGroup>) -> Lines<'_> {
    group.map_or_else(Vec::new, |g| g.lines.iter().collect())
}

/// Compares one group on the older and the newer invoice (either may be absent).
fn compare_group(before: Option<&ChargeGroup>, now: Option<&ChargeGroup>) -> Result<GroupComparison, TooLarge> {
    let kind = now.or(before).map_or(GroupKind::Customer, |g| g.kind.clone());
    let presence = match (before, now) {
        (Some(_), Some(_)) => GroupPresence::Both,
        (None, _) => GroupPresence::Added,
        (Some(_), None) => GroupPresence::Gone,
    };
    let totals = |g: Option<&ChargeGroup>| g.map_or(Ok(Totals::default()), |g| g.totals);
    let (mut older, mut newer) = (lines_of(before), lines_of(now));
    let by_recurring_product = match_by(&mut older, &mut newer, |l| {
        let number = l.recurring_product_no.trim();
        (!number.is_empty()).then(|| (number.to_owned(), l.product_no.clone()))
    });
    let by_charge =
        match_by(&mut older, &mut newer, |l| Some((l.product_no.clone(), l.description.clone(), l.unit_price)));
    let by_product = match_by(&mut older, &mut newer, |l| {
        let number = l.product_no.trim();
        (!number.is_empty()).then(|| number.to_owned())
    });
    let mut changes = Vec::new();
    for (b, n) in by_recurring_product.into_iter().chain(by_charge).chain(by_product) {
        changes.extend(matched_change(&b, &n)?);
    }
    for lines in bucket(newer) {
        changes.push(one_sided_change(false, &lines)?);
    }
    for lines in bucket(older) {
        changes.push(one_sided_change(true, &lines)?);
    }
    // Largest difference first; a difference out of range sorts last.
    let size = |c: &LineChange| c.difference().map(|d| d.abs()).ok();
    changes.sort_by_key(|c| std::cmp::Reverse(size(c)));
    Ok(GroupComparison { kind, presence, before: totals(before)?, now: totals(now)?, changes })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::invoice::tests::dec;
    use crate::model::StdLowercase;
    use billing_contract::Unreadable;

    /// A line of `quantity` × `price` at 25 % VAT.
    fn line(recurring: &str, product: &str, description: &str, quantity: &str, price: &str) -> InvoiceLine {
        let (quantity, unit_price) = (dec(quantity), dec(price));
        let amount = quantity * unit_price;
        let vat = billing_contract::money::round_cents(amount / Decimal::from(4));
        InvoiceLine {
            id: None,
            recurring_product_no: recurring.into(),
            product_no: product.into(),
            description: description.into(),
            period_start: Date::new(2026, 10, 1),
            period_end: Date::new(2026, 10, 31),
            quantity,
            unit_price,
            amount,
            vat_rate: dec("25"),
            vat_amount: vat,
            total_amount: amount + vat,
        }
    }

    fn period(mut line: InvoiceLine, start: (u8, u8), end: (u8, u8)) -> InvoiceLine {
        line.period_start = Date::new(2026, start.0, start.1);
        line.period_end = Date::new(2026, end.0, end.1);
        line
    }

    fn without_period(mut line: InvoiceLine) -> InvoiceLine {
        line.period_start = None;
        line.period_end = None;
        line
    }

    fn customer(lines: Vec<InvoiceLine>) -> Arc<ChargeGroup> {
        Arc::new(ChargeGroup::new(GroupKind::Customer, lines, &StdLowercase))
    }

    fn subscription(no: &str, lines: Vec<InvoiceLine>) -> Arc<ChargeGroup> {
        let kind = GroupKind::Subscription { subscription_no: no.into(), description: None };
        Arc::new(ChargeGroup::new(kind, lines, &StdLowercase))
    }

    fn compare(before: &[Arc<ChargeGroup>], now: &[Arc<ChargeGroup>]) -> Comparison {
        let compared = Comparison::new((before, None), (now, None));
        let Ok(compared) = compared else { panic!("in range") };
        assert_adds_up(&compared);
        compared
    }

    /// The changes add up to the difference of the lines' totals, exactly.
    fn assert_adds_up(c: &Comparison) {
        let changes: Decimal =
            c.groups.iter().flat_map(|g| &g.changes).map(|ch| ch.difference().unwrap_or(Decimal::MAX)).sum();
        assert_eq!(Ok(changes), c.lines_difference());
        let groups: Decimal = c.groups.iter().map(|g| g.difference().unwrap_or(Decimal::MAX)).sum();
        assert_eq!(Ok(groups), c.lines_difference());
        let summary = c.by_kind().unwrap_or_default();
        assert_eq!(Ok(summary.iter().map(|(_, _, sum)| *sum).sum::<Decimal>()), c.lines_difference());
        let counted: usize = summary.iter().map(|(_, n, _)| n).sum();
        assert_eq!(counted, c.groups.iter().map(|g| g.changes.len()).sum::<usize>(), "every change in one kind");
        assert!(summary.iter().all(|(kind, n, _)| c.count(*kind) == *n && *n > 0));
    }

    fn kinds(c: &Comparison) -> Vec<(ChangeKind, String)> {
        c.groups.iter().flat_map(|g| &g.changes).map(|ch| (ch.kind, ch.description.clone())).collect()
    }

    #[test]
    fn the_same_charges_are_no_change() {
        let groups = [
            customer(vec![line("1", "P1", "Invoice fee", "1", "29")]),
            subscription("0701", vec![line("2", "M", "Mobile", "1", "299")]),
        ];
        let c = compare(&groups, &groups);
        assert!(kinds(&c).is_empty());
        assert_eq!(c.difference(), Ok(Decimal::ZERO));
        assert_eq!(c.unexplained(), Ok(Decimal::ZERO));
    }

    #[test]
    fn another_unit_price_of_the_same_recurring_product_is_a_price_change() {
        let before = [subscription("0701", vec![line("2", "M", "Mobile", "1", "299")])];
        let now = [subscription("0701", vec![line("2", "M", "Mobile", "1", "349")])];
        let c = compare(&before, &now);
        assert_eq!(kinds(&c), vec![(ChangeKind::PriceChange, "Mobile".into())]);
        assert_eq!(c.difference(), Ok(dec("62.50")));
        let change = &c.groups[0].changes[0];
        assert_eq!(change.before.as_ref().map(|s| s.unit_price), Some(Some(dec("299"))));
        assert_eq!(change.now.as_ref().map(|s| s.unit_price), Some(Some(dec("349"))));
    }

    #[test]
    fn another_quantity_is_a_quantity_change() {
        let before = [customer(vec![line("1", "L", "Licence", "3", "100")])];
        let now = [customer(vec![line("1", "L", "Licence", "5", "100")])];
        assert_eq!(kinds(&compare(&before, &now)), vec![(ChangeKind::QuantityChange, "Licence".into())]);
    }

    #[test]
    fn a_recurring_number_that_is_a_line_id_still_matches_by_product_description_and_price() {
        // Each invoice numbers its lines afresh: 9001 then 9517 are the same charge.
        let before = [customer(vec![line("9001", "F", "Invoice fee", "1", "29")])];
        let now = [customer(vec![line("9517", "F", "Invoice fee", "1", "29")])];
        assert!(kinds(&compare(&before, &now)).is_empty());
    }

    #[test]
    fn a_reused_recurring_number_on_another_product_is_not_the_same_charge() {
        let before = [customer(vec![line("7", "TV", "TV package", "1", "199")])];
        let now = [customer(vec![line("7", "NET", "Broadband", "1", "399")])];
        let c = compare(&before, &now);
        assert_eq!(kinds(&c), vec![(ChangeKind::New, "Broadband".into()), (ChangeKind::Ended, "TV package".into())]);
    }

    #[test]
    fn a_product_moved_between_subscriptions_ends_in_one_group_and_is_new_in_the_other() {
        let extra = line("5", "X", "Extra data", "1", "49");
        let before = [subscription("0701", vec![extra.clone()]), subscription("0702", vec![])];
        let now = [subscription("0701", vec![]), subscription("0702", vec![extra])];
        let c = compare(&before, &now);
        assert_eq!(c.groups[0].changes.iter().map(|ch| ch.kind).collect::<Vec<_>>(), vec![ChangeKind::Ended]);
        assert_eq!(c.groups[1].changes.iter().map(|ch| ch.kind).collect::<Vec<_>>(), vec![ChangeKind::New]);
        assert_eq!(c.difference(), Ok(Decimal::ZERO));
    }

    #[test]
    fn two_identical_lines_becoming_one_is_a_quantity_change_of_one_line() {
        let seat = line("3", "S", "Seat", "1", "80");
        let before = [customer(vec![seat.clone(), seat.clone()])];
        let now = [customer(vec![seat])];
        let c = compare(&before, &now);
        assert_eq!(kinds(&c), vec![(ChangeKind::QuantityChange, "Seat".into())]);
        assert_eq!(c.difference(), Ok(dec("-100")));
    }

    #[test]
    fn a_plan_change_in_mid_period_is_a_proration_and_a_prorated_new_plan() {
        let before = [subscription("0701", vec![line("2", "S", "Small plan", "1", "199")])];
        let now = [subscription(
            "0701",
            vec![
                period(line("2", "S", "Small plan", "0.5", "199"), (10, 1), (10, 15)),
                period(line("4", "L", "Large plan", "0.5", "399"), (10, 16), (10, 31)),
            ],
        )];
        let c = compare(&before, &now);
        assert_eq!(
            kinds(&c),
            vec![
                (ChangeKind::ProrationOrCredit, "Large plan".into()),
                (ChangeKind::ProrationOrCredit, "Small plan".into())
            ]
        );
    }

    #[test]
    fn a_credit_is_a_proration_or_credit_and_a_charge_without_product_or_period_a_one_off() {
        let credit = without_period(line("", "C", "Goodwill credit", "1", "-50"));
        let fee = without_period(line("", "F", "Reminder fee", "1", "60"));
        let c = compare(&[customer(vec![])], &[customer(vec![credit, fee])]);
        assert_eq!(
            kinds(&c),
            vec![
                (ChangeKind::OneOff, "Reminder fee".into()),
                (ChangeKind::ProrationOrCredit, "Goodwill credit".into())
            ]
        );
    }

    #[test]
    fn usage_lines_of_one_product_are_summed_per_group() {
        let sms = |q: &str| line("", "SMS", "SMS abroad", q, "1.49");
        let before = [subscription("0701", vec![sms("10"), sms("31")])];
        let now = [subscription("0701", vec![sms("12"), sms("5"), sms("3")])];
        let c = compare(&before, &now);
        assert_eq!(kinds(&c), vec![(ChangeKind::Usage, "SMS abroad".into())]);
        let change = &c.groups[0].changes[0];
        assert_eq!(change.before.as_ref().map(|s| (s.quantity, s.totals.lines)), Some((dec("41"), 2)));
        assert_eq!(change.now.as_ref().map(|s| (s.quantity, s.totals.lines)), Some((dec("20"), 3)));
    }

    #[test]
    fn a_subscription_added_or_gone_is_its_whole_group() {
        let before = [subscription("0701", vec![line("2", "M", "Mobile", "1", "299")])];
        let now = [
            subscription("0702", vec![line("3", "M", "Mobile", "1", "299")]),
            customer(vec![line("1", "F", "Invoice fee", "1", "29")]),
        ];
        let c = compare(&before, &now);
        let presence: Vec<(GroupPresence, bool)> =
            c.groups.iter().map(|g| (g.presence, matches!(g.kind, GroupKind::Customer))).collect();
        // The customer level first, then the newer invoice's subscriptions, then those gone.
        assert_eq!(
            presence,
            vec![(GroupPresence::Added, true), (GroupPresence::Added, false), (GroupPresence::Gone, false)]
        );
        assert_eq!(c.count(ChangeKind::New), 2);
        assert_eq!(c.count(ChangeKind::Ended), 1);
    }

    #[test]
    fn what_the_lines_do_not_explain_is_stated() {
        let before = [customer(vec![line("1", "F", "Fee", "1", "100")])];
        let unreadable = Unreadable { position: 1, reason: "no amount".into() };
        let now = [Arc::new(
            ChargeGroup::new(GroupKind::Customer, vec![line("1", "F", "Fee", "1", "120")], &StdLowercase)
                .with_unreadable(vec![unreadable]),
        )];
        // The newer invoice's amount includes a line that could not be read (40 incl. VAT).
        let Ok(c) = Comparison::new((&before, Some(dec("125"))), (&now, Some(dec("190")))) else { panic!("in range") };
        assert_eq!(c.difference(), Ok(dec("65")));
        assert_eq!(c.lines_difference(), Ok(dec("25")));
        assert_eq!(c.unexplained(), Ok(dec("40")));
        assert_eq!(c.unreadable, (0, 1));
    }

    #[test]
    fn changes_are_listed_largest_difference_first() {
        let before = [customer(vec![line("1", "A", "A", "1", "10"), line("2", "B", "B", "1", "10")])];
        let now = [customer(vec![line("1", "A", "A", "1", "11"), line("2", "B", "B", "1", "90")])];
        let c = compare(&before, &now);
        assert_eq!(kinds(&c), vec![(ChangeKind::PriceChange, "B".into()), (ChangeKind::PriceChange, "A".into())]);
    }

    #[test]
    fn whole_periods_are_anchored_on_their_first_day() {
        let d = |m, day| Date::new(2026, m, day).unwrap_or(Date::UNIX_EPOCH);
        assert!(is_whole_period(d(10, 1), d(10, 31)));
        assert!(is_whole_period(d(1, 1), d(12, 31)));
        assert!(is_whole_period(d(10, 15), d(11, 14)));
        assert!(is_whole_period(d(1, 31), d(2, 28)));
        assert!(!is_whole_period(d(10, 1), d(10, 15)));
        assert!(!is_whole_period(d(10, 15), d(10, 31)));
        assert!(!is_whole_period(d(10, 15), d(11, 20)));
        assert!(!is_whole_period(d(10, 31), d(10, 1)));
    }
}
