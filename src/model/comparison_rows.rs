//! A comparison as the rows of one table (each group's heading, then its changes), so that a
//! comparison of two 50,000-line invoices renders with the same virtual window as an invoice.

use super::comparison::Comparison;

/// One row of the comparison table body.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ComparisonRow {
    /// The group's heading, with its totals before and now.
    Group { group: usize },
    /// The `index`-th change of the group.
    Change { group: usize, index: usize },
    /// A group whose lines did not change.
    Unchanged { group: usize },
}

impl ComparisonRow {
    /// The group the row belongs to.
    pub fn group(self) -> usize {
        match self {
            ComparisonRow::Group { group }
            | ComparisonRow::Change { group, .. }
            | ComparisonRow::Unchanged { group } => group,
        }
    }
}

/// Every group's heading followed by its changes, or by an "unchanged" row when it has none.
pub fn comparison_rows(comparison: &Comparison) -> Vec<ComparisonRow> {
    let changes: usize = comparison.groups.iter().map(|g| g.changes.len().max(1)).sum();
    let mut rows = Vec::with_capacity(comparison.groups.len() + changes);
    for (group, compared) in comparison.groups.iter().enumerate() {
        rows.push(ComparisonRow::Group { group });
        if compared.changes.is_empty() {
            rows.push(ComparisonRow::Unchanged { group });
        }
        rows.extend((0..compared.changes.len()).map(|index| ComparisonRow::Change { group, index }));
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::invoice::tests::line;
    use crate::model::invoice::{ChargeGroup, GroupKind};
    use crate::model::text::StdLowercase;
    use std::sync::Arc;

    fn group(kind: GroupKind, lines: Vec<billing_contract::InvoiceLine>) -> Arc<ChargeGroup> {
        Arc::new(ChargeGroup::new(kind, lines, &StdLowercase))
    }

    /// A line of its own product (its description names it).
    fn charge(description: &str, amount: &str) -> billing_contract::InvoiceLine {
        let mut charge = line(description, amount, "25");
        charge.product_no = description.to_uppercase();
        charge.recurring_product_no = description.to_uppercase();
        charge
    }

    #[test]
    fn each_group_heads_its_changes_and_an_unchanged_group_says_so() {
        let subscription = |no: &str| GroupKind::Subscription { subscription_no: no.into(), description: None };
        let before = [
            group(GroupKind::Customer, vec![charge("Fee", "100")]),
            group(subscription("1"), vec![charge("Plan", "200")]),
        ];
        let now = [
            group(GroupKind::Customer, vec![charge("Fee", "100")]),
            group(subscription("1"), vec![charge("Plan", "250"), charge("Extra", "10")]),
        ];
        let comparison = Comparison::new((&before, None), (&now, None)).unwrap();
        let rows = comparison_rows(&comparison);
        assert_eq!(rows.first(), Some(&ComparisonRow::Group { group: 0 }));
        assert_eq!(rows.get(1), Some(&ComparisonRow::Unchanged { group: 0 }));
        assert_eq!(rows.get(2), Some(&ComparisonRow::Group { group: 1 }));
        let changes = rows.iter().filter(|r| matches!(r, ComparisonRow::Change { group: 1, .. })).count();
        assert_eq!(changes, comparison.groups[1].changes.len());
        assert_eq!(changes, 2, "a price change and a new charge: {comparison:?}");
        assert_eq!(rows.len(), 3 + changes);
        assert!(rows.iter().all(|r| r.group() < comparison.groups.len()));
    }
}
