//! Which lines of an invoice are shown, in what order: a text filter over product and
//! description, and a sort by any column within each group, with subtotals recomputed for
//! what is shown.

use super::checked::TooLarge;
use super::invoice::{ChargeGroup, Totals};
use super::text::Lowercase;
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
    /// The filter's words, lower-cased by `lowercase`; empty when nothing is filtered.
    pub fn words(&self, lowercase: &impl Lowercase) -> Vec<String> {
        lowercase.lowercase_all(&self.filter.split_whitespace().collect::<Vec<_>>())
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

/// Applies a query to one group; `lowercase` lower-cases the filter's words as the group's
/// texts were (the same one as for [`ChargeGroup::new`]).
pub fn show(group: &Arc<ChargeGroup>, query: &LineQuery, lowercase: &impl Lowercase) -> ShownGroup {
    let words = query.words(lowercase);
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
    use crate::model::text::StdLowercase;
    use std::cell::Cell;

    fn group() -> Arc<ChargeGroup> {
        let mut lines = vec![
            line("Roaming Norge", "30.00", "25"),
            line("Samtal inom Sverige", "10.00", "25"),
            line("Datatrafik i EU/EES", "-5.00", "25"),
            line("Roaming USA – samtal", "30.00", "25"),
        ];
        lines[0].product_no = "ROAM-NO".into();
        lines[3].product_no = "ROAM-US".into();
        Arc::new(ChargeGroup::new(GroupKind::Customer, lines, &StdLowercase))
    }

    /// The query applied as natively: lower-cased by the standard library.
    fn show_natively(group: &Arc<ChargeGroup>, query: &LineQuery) -> ShownGroup {
        show(group, query, &StdLowercase)
    }

    fn filtered(filter: &str) -> LineQuery {
        LineQuery { filter: filter.into(), sort: None }
    }

    fn descriptions(shown: &ShownGroup) -> Vec<&str> {
        shown.lines().map(|l| l.description.as_str()).collect()
    }

    #[test]
    fn the_filter_matches_every_word_in_product_or_description_in_any_case() {
        let g = group();
        let shown = show_natively(&g, &LineQuery { filter: "roaming".into(), sort: None });
        assert_eq!(descriptions(&shown), ["Roaming Norge", "Roaming USA – samtal"]);
        let shown = show_natively(&g, &LineQuery { filter: "  ROAM-us  samtal ".into(), sort: None });
        assert_eq!(descriptions(&shown), ["Roaming USA – samtal"]);
        assert!(show_natively(&g, &LineQuery { filter: "åland".into(), sort: None }).lines.is_empty());
    }

    #[test]
    fn subtotals_cover_the_shown_lines_only() {
        let g = group();
        assert_eq!(show_natively(&g, &LineQuery::default()).totals, g.totals);
        let shown = show_natively(&g, &LineQuery { filter: "roaming".into(), sort: None });
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
            descriptions(&show_natively(&g, &by_amount)),
            ["Datatrafik i EU/EES", "Samtal inom Sverige", "Roaming Norge", "Roaming USA – samtal"]
        );
        let descending = by_amount.toggled(SortColumn::Amount);
        assert_eq!(descending.sort, Some((SortColumn::Amount, SortDirection::Descending)));
        // Equal amounts keep the invoice's order in both directions.
        assert_eq!(
            descriptions(&show_natively(&g, &descending)),
            ["Roaming Norge", "Roaming USA – samtal", "Samtal inom Sverige", "Datatrafik i EU/EES"]
        );
        let other = descending.toggled(SortColumn::Description);
        assert_eq!(other.sort, Some((SortColumn::Description, SortDirection::Ascending)));
        assert_eq!(descriptions(&show_natively(&g, &other))[0], "Datatrafik i EU/EES");
    }

    #[test]
    fn the_filter_finds_nordic_letters_in_any_case() {
        let lines = vec![
            line("Roaming ÅLAND", "30.00", "25"),
            line("Överföring till Ærø", "10.00", "25"),
            line("Samtal i Sverige", "5.00", "25"),
        ];
        let g = Arc::new(ChargeGroup::new(GroupKind::Customer, lines, &StdLowercase));
        assert_eq!(descriptions(&show_natively(&g, &filtered("åland"))), ["Roaming ÅLAND"]);
        assert_eq!(descriptions(&show_natively(&g, &filtered("Åland"))), ["Roaming ÅLAND"]);
        assert_eq!(descriptions(&show_natively(&g, &filtered("ÖVERFÖRING ærø"))), ["Överföring till Ærø"]);
        assert!(show_natively(&g, &filtered("øresund")).lines.is_empty());
    }

    #[test]
    fn sorting_by_description_ignores_letter_case() {
        let lines = vec![
            line("bredband", "1", "25"),
            line("ÅTERBETALNING", "1", "25"),
            line("Abonnemang", "1", "25"),
            line("åland", "1", "25"),
        ];
        let g = Arc::new(ChargeGroup::new(GroupKind::Customer, lines, &StdLowercase));
        let by_description = LineQuery::default().toggled(SortColumn::Description);
        assert_eq!(
            descriptions(&show_natively(&g, &by_description)),
            ["Abonnemang", "bredband", "åland", "ÅTERBETALNING"]
        );
    }

    /// Counts its calls: each call is one trip into the browser's JavaScript in the widget.
    struct CountingLowercase(Cell<usize>);

    impl Lowercase for CountingLowercase {
        fn lowercase_all(&self, texts: &[&str]) -> Vec<String> {
            self.0.set(self.0.get() + 1);
            StdLowercase.lowercase_all(texts)
        }
    }

    #[test]
    fn a_group_and_a_query_are_each_lower_cased_in_one_call() {
        let counting = CountingLowercase(Cell::new(0));
        let lines = (0..1_000).map(|i| line(&format!("Rad {i}"), "1", "25")).collect();
        let g = Arc::new(ChargeGroup::new(GroupKind::Customer, lines, &counting));
        assert_eq!(counting.0.get(), 1, "one call for every product number and description");
        let shown = show(&g, &filtered("RAD  999"), &counting);
        assert_eq!(counting.0.get(), 2, "one call for every word of the filter");
        assert_eq!(descriptions(&shown), ["Rad 999"]);
    }
}
