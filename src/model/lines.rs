//! Which lines of an invoice are shown, in what order: a text filter over product and
//! description, and a sort by any column within each group, with subtotals recomputed for
//! what is shown.

use super::checked::TooLarge;
use super::invoice::{ChargeGroup, Totals};
use crate::format::case;
use billing_contract::InvoiceLine;
use std::cmp::Ordering;
use std::sync::Arc;

/// A column the lines can be sorted by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SortColumn {
    /// Product number, then description.
    Product,
    /// Description.
    Description,
    /// Billed period: start, then end.
    Period,
    /// Quantity.
    Quantity,
    /// Unit price.
    UnitPrice,
    /// Amount excluding VAT.
    Amount,
    /// VAT rate.
    VatRate,
    /// VAT amount.
    Vat,
    /// Amount including VAT.
    Total,
}

impl SortColumn {
    /// Every column, in table order.
    pub const ALL: [SortColumn; 9] = [
        SortColumn::Product,
        SortColumn::Description,
        SortColumn::Period,
        SortColumn::Quantity,
        SortColumn::UnitPrice,
        SortColumn::Amount,
        SortColumn::VatRate,
        SortColumn::Vat,
        SortColumn::Total,
    ];

    /// True for columns holding numbers (right-aligned).
    pub fn is_numeric(self) -> bool {
        !matches!(self, SortColumn::Product | SortColumn::Description | SortColumn::Period)
    }

    /// Compares lines `i` and `j` of `group` (out-of-range indices compare equal).
    fn compare(self, group: &ChargeGroup, i: usize, j: usize) -> Ordering {
        let (Some(a), Some(b)) = (group.lines.get(i), group.lines.get(j)) else { return Ordering::Equal };
        match self {
            SortColumn::Product => a.product_no.cmp(&b.product_no).then_with(|| a.description.cmp(&b.description)),
            SortColumn::Description => group.description_key(i).cmp(group.description_key(j)),
            SortColumn::Period => (a.period_start, a.period_end).cmp(&(b.period_start, b.period_end)),
            SortColumn::Quantity => a.quantity.cmp(&b.quantity),
            SortColumn::UnitPrice => a.unit_price.cmp(&b.unit_price),
            SortColumn::Amount => a.amount.cmp(&b.amount),
            SortColumn::VatRate => a.vat_rate.cmp(&b.vat_rate),
            SortColumn::Vat => a.vat_amount.cmp(&b.vat_amount),
            SortColumn::Total => a.total_amount.cmp(&b.total_amount),
        }
    }
}

/// Sort direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortDirection {
    /// Smallest first.
    Ascending,
    /// Largest first.
    Descending,
}

/// What the viewer asked to see.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LineQuery {
    /// Words that must all appear in a line's product number or description (any case).
    pub filter: String,
    /// The sort within each group; `None` keeps the invoice's order.
    pub sort: Option<(SortColumn, SortDirection)>,
}

impl LineQuery {
    /// The filter's words, lower-cased; empty when nothing is filtered.
    pub fn words(&self) -> Vec<String> {
        case::lowercase_all(&self.filter.split_whitespace().collect::<Vec<_>>())
    }

    /// True when a filter hides lines.
    pub fn is_filtered(&self) -> bool {
        !self.filter.trim().is_empty()
    }

    /// The query after a click on a column's sort button: ascending first, then toggling.
    pub fn toggled(&self, column: SortColumn) -> LineQuery {
        let direction = match self.sort {
            Some((c, SortDirection::Ascending)) if c == column => SortDirection::Descending,
            _ => SortDirection::Ascending,
        };
        LineQuery { sort: Some((column, direction)), ..self.clone() }
    }
}

/// The lines of one group that a query shows, in display order, with their subtotal.
#[derive(Clone, Debug, PartialEq)]
pub struct ShownGroup {
    /// The group.
    pub group: Arc<ChargeGroup>,
    /// Indexes into `group.lines`, in display order.
    pub lines: Vec<usize>,
    /// The subtotal of the shown lines, or [`TooLarge`] when they do not add up within range.
    pub totals: Result<Totals, TooLarge>,
}

impl ShownGroup {
    /// The shown lines, in display order.
    pub fn lines(&self) -> impl Iterator<Item = &InvoiceLine> {
        self.lines.iter().filter_map(|&i| self.group.lines.get(i))
    }
}

/// Applies a query to one group.
pub fn show(group: &Arc<ChargeGroup>, query: &LineQuery) -> ShownGroup {
    let words = query.words();
    let mut lines: Vec<usize> = (0..group.lines.len()).filter(|&i| group.line_matches(i, &words)).collect();
    if let Some((column, direction)) = query.sort {
        // A stable sort: equal lines keep the invoice's order, in both directions.
        lines.sort_by(|&a, &b| {
            let ordering = column.compare(group, a, b);
            if direction == SortDirection::Descending {
                ordering.reverse()
            } else {
                ordering
            }
        });
    }
    let totals = if lines.len() == group.lines.len() {
        group.totals
    } else {
        Totals::of(lines.iter().filter_map(|&i| group.lines.get(i)))
    };
    ShownGroup { group: group.clone(), lines, totals }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::invoice::tests::{dec, line};
    use crate::model::invoice::GroupKind;

    fn group() -> Arc<ChargeGroup> {
        let mut lines = vec![
            line("Roaming Norge", "30.00", "25"),
            line("Samtal inom Sverige", "10.00", "25"),
            line("Datatrafik i EU/EES", "-5.00", "25"),
            line("Roaming USA – samtal", "30.00", "25"),
        ];
        lines[0].product_no = "ROAM-NO".into();
        lines[3].product_no = "ROAM-US".into();
        Arc::new(ChargeGroup::new(GroupKind::Customer, lines))
    }

    fn descriptions(shown: &ShownGroup) -> Vec<&str> {
        shown.lines().map(|l| l.description.as_str()).collect()
    }

    #[test]
    fn the_filter_matches_every_word_in_product_or_description_in_any_case() {
        let g = group();
        let shown = show(&g, &LineQuery { filter: "roaming".into(), sort: None });
        assert_eq!(descriptions(&shown), ["Roaming Norge", "Roaming USA – samtal"]);
        let shown = show(&g, &LineQuery { filter: "  ROAM-us  samtal ".into(), sort: None });
        assert_eq!(descriptions(&shown), ["Roaming USA – samtal"]);
        assert!(show(&g, &LineQuery { filter: "åland".into(), sort: None }).lines.is_empty());
    }

    #[test]
    fn subtotals_cover_the_shown_lines_only() {
        let g = group();
        assert_eq!(show(&g, &LineQuery::default()).totals, g.totals);
        let shown = show(&g, &LineQuery { filter: "roaming".into(), sort: None });
        let totals = shown.totals.unwrap();
        assert_eq!(totals.amount, dec("60.00"));
        assert_eq!(totals.total, dec("75.00"));
        assert_eq!(totals.lines, 2);
    }

    #[test]
    fn sorting_is_stable_and_toggles_direction() {
        let g = group();
        let by_amount = LineQuery::default().toggled(SortColumn::Amount);
        assert_eq!(by_amount.sort, Some((SortColumn::Amount, SortDirection::Ascending)));
        assert_eq!(
            descriptions(&show(&g, &by_amount)),
            ["Datatrafik i EU/EES", "Samtal inom Sverige", "Roaming Norge", "Roaming USA – samtal"]
        );
        let descending = by_amount.toggled(SortColumn::Amount);
        assert_eq!(descending.sort, Some((SortColumn::Amount, SortDirection::Descending)));
        // Equal amounts keep the invoice's order in both directions.
        assert_eq!(
            descriptions(&show(&g, &descending)),
            ["Roaming Norge", "Roaming USA – samtal", "Samtal inom Sverige", "Datatrafik i EU/EES"]
        );
        let other = descending.toggled(SortColumn::Description);
        assert_eq!(other.sort, Some((SortColumn::Description, SortDirection::Ascending)));
        assert_eq!(descriptions(&show(&g, &other))[0], "Datatrafik i EU/EES");
    }
}
