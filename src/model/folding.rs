//! Repeated identical charges folded into one row: the shown lines of a group that bill the
//! same product, with the same description, unit price and period, become one row ("41 × SMS
//! abroad, 1.49, 61.09") that can be expanded to its lines. The fold stands where the first of
//! its lines stands in the shown order, so sorting and filtering keep working on the lines; a
//! CSV still writes one line per original line.

use super::checked::TooLarge;
use super::invoice::Totals;
use super::lines::ShownGroup;
use billing_contract::{Date, Decimal, InvoiceLine};
use std::collections::HashMap;

/// One row of a group's folded lines.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FoldedRow {
    /// A line with no identical sibling among the shown lines (an index into the group's lines).
    Line(usize),
    /// Two or more identical charges.
    Fold(Fold),
}

/// Identical charges of one group, shown as one row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fold {
    /// Indexes into the group's lines, in shown order.
    pub lines: Vec<usize>,
    /// The sum of their quantities.
    pub quantity: Decimal,
    /// Their sums excluding and including VAT, and their number.
    pub totals: Totals,
    /// Their VAT rate when they all have the same one.
    pub vat_rate: Option<Decimal>,
}

impl Fold {
    /// Which fold this is, whatever the sort or filter: the smallest index of its lines. A
    /// filter matches product and description, which a fold's lines share, so it keeps or
    /// hides them together, and a sort only reorders them.
    pub fn anchor(&self) -> usize {
        self.lines.iter().copied().min().unwrap_or_default()
    }
}

/// What makes two charges the same for folding.
type FoldKey<'a> = (&'a str, &'a str, Decimal, Option<Date>, Option<Date>);

fn fold_key(line: &InvoiceLine) -> FoldKey<'_> {
    (line.product_no.as_str(), line.description.as_str(), line.unit_price, line.period_start, line.period_end)
}

/// The shown lines of `shown`, with identical charges folded; [`TooLarge`] when a fold's sums
/// leave `Decimal`'s range (then [`unfolded`] shows them).
pub fn fold(shown: &ShownGroup) -> Result<Vec<FoldedRow>, TooLarge> {
    let group_lines = &shown.group.lines;
    // Per key, the shown lines that carry it, in shown order; then the keys in order of first
    // appearance.
    let mut members: HashMap<FoldKey<'_>, Vec<usize>> = HashMap::new();
    let mut order: Vec<FoldKey<'_>> = Vec::new();
    for &index in &shown.lines {
        let Some(line) = group_lines.get(index) else { continue };
        let key = fold_key(line);
        members
            .entry(key)
            .or_insert_with(|| {
                order.push(key);
                Vec::new()
            })
            .push(index);
    }
    let mut rows = Vec::with_capacity(order.len());
    for key in order {
        let Some(lines) = members.remove(&key) else { continue };
        if let [only] = lines[..] {
            rows.push(FoldedRow::Line(only));
            continue;
        }
        let charged: Vec<&InvoiceLine> = lines.iter().filter_map(|&i| group_lines.get(i)).collect();
        let quantity = super::checked::sum(charged.iter().map(|l| l.quantity))?;
        let totals = Totals::of(charged.iter().copied())?;
        let vat_rate = charged.first().map(|l| l.vat_rate).filter(|r| charged.iter().all(|l| l.vat_rate == *r));
        rows.push(FoldedRow::Fold(Fold { lines, quantity, totals, vat_rate }));
    }
    Ok(rows)
}

/// The shown lines of `shown`, one row each, none folded.
pub fn unfolded(shown: &ShownGroup) -> Vec<FoldedRow> {
    shown.lines.iter().map(|&i| FoldedRow::Line(i)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::invoice::tests::{dec, line};
    use crate::model::invoice::{ChargeGroup, GroupKind};
    use crate::model::lines::{show, LineQuery, SortColumn};
    use crate::model::text::StdLowercase;
    use std::sync::Arc;

    fn sms(price: &str) -> InvoiceLine {
        let mut sms = line("SMS abroad", price, "25");
        sms.product_no = "SMS".into();
        sms
    }

    fn shown(lines: Vec<InvoiceLine>, query: &LineQuery) -> ShownGroup {
        let group = Arc::new(ChargeGroup::new(GroupKind::Customer, lines, &StdLowercase));
        show(&group, query, &StdLowercase)
    }

    fn folded(shown: &ShownGroup) -> Vec<FoldedRow> {
        fold(shown).unwrap_or_else(|_| panic!("in range"))
    }

    #[test]
    fn identical_charges_fold_into_one_row_with_their_count_and_sums() {
        let lines: Vec<InvoiceLine> = std::iter::repeat_n(sms("1.49"), 41).collect();
        let rows = folded(&shown(lines, &LineQuery::default()));
        let [FoldedRow::Fold(fold)] = &rows[..] else { panic!("one fold, got {rows:?}") };
        assert_eq!((fold.lines.len(), fold.totals.lines), (41, 41));
        assert_eq!(fold.quantity, dec("41"));
        assert_eq!(fold.totals.amount, dec("61.09"));
    }

    #[test]
    fn another_price_or_period_is_another_row_and_a_single_line_stays_a_line() {
        let mut later = sms("1.49");
        later.period_start = billing_contract::Date::new(2026, 11, 1);
        let lines = vec![sms("1.49"), line("Mobile", "299", "25"), sms("1.49"), sms("2.99"), later];
        let rows = folded(&shown(lines, &LineQuery::default()));
        assert_eq!(
            rows,
            vec![
                FoldedRow::Fold(Fold {
                    lines: vec![0, 2],
                    quantity: dec("2"),
                    totals: Totals { amount: dec("2.98"), vat: dec("0.74"), total: dec("3.72"), lines: 2 },
                    vat_rate: Some(dec("25")),
                }),
                FoldedRow::Line(1),
                FoldedRow::Line(3),
                FoldedRow::Line(4),
            ]
        );
    }

    #[test]
    fn a_fold_stands_where_its_first_line_stands_in_the_shown_order() {
        let lines = vec![sms("1.49"), line("Mobile", "299", "25"), sms("1.49")];
        let by_amount = LineQuery::default().toggled(SortColumn::Amount).toggled(SortColumn::Amount);
        let rows = folded(&shown(lines, &by_amount));
        let keys: Vec<String> = rows
            .iter()
            .map(|r| match r {
                FoldedRow::Line(i) => format!("line {i}"),
                FoldedRow::Fold(f) => format!("fold {:?}", f.lines),
            })
            .collect();
        assert_eq!(keys, vec!["line 1", "fold [0, 2]"]);
    }

    #[test]
    fn only_shown_lines_fold() {
        let lines = vec![sms("1.49"), line("Mobile", "299", "25"), sms("1.49")];
        let filtered = LineQuery { filter: "mobile".into(), ..LineQuery::default() };
        assert_eq!(folded(&shown(lines, &filtered)), vec![FoldedRow::Line(1)]);
    }

    #[test]
    fn a_folds_rate_shows_only_when_shared_and_its_anchor_survives_a_sort() {
        let mut zero = sms("1.49");
        zero.vat_rate = dec("0");
        let lines = vec![line("Mobile", "299", "25"), sms("1.49"), zero, sms("1.49")];
        let fold_in = |query: &LineQuery| match &folded(&shown(lines.clone(), query))[..] {
            [FoldedRow::Line(0), FoldedRow::Fold(f)] | [FoldedRow::Fold(f), FoldedRow::Line(0)] => f.clone(),
            rows => panic!("a line and a fold, got {rows:?}"),
        };
        let mixed = fold_in(&LineQuery::default());
        assert_eq!((mixed.vat_rate, mixed.anchor()), (None, 1), "25 % and 0 %: no one rate");
        let by_vat = LineQuery::default().toggled(SortColumn::VatRate);
        let sorted = fold_in(&by_vat);
        assert_eq!(sorted.lines, [2, 1, 3], "the 0 % line first");
        assert_eq!(sorted.anchor(), 1, "the same fold");
    }
}
