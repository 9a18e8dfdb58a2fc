//! What the charges table shows for the groups loaded so far, a query, the collapsed groups and
//! the open folds: each group's shown lines (filtered, sorted and folded once per group and
//! query), the rows of the table, the counts the status and progress line say (of lines, never
//! of folds), the totals of what is shown, and which rows a scroll position renders.

use super::checked::{self, TooLarge};
use super::folding::{fold, unfolded, Fold, FoldedRow};
use super::invoice::{vat_by_rate, ChargeGroup, Reconciliation, Totals, VatLine};
use super::lines::{show, LineQuery, ShownGroup};
use super::rows::{flatten, window, GroupShape, Row};
use super::text::Lowercase;
use billing_contract::Decimal;
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::Arc;

/// Tables with more rows than this are virtualized: only the rows in view are rendered.
pub const VIRTUALIZE_ABOVE_ROWS: usize = 300;
/// Rows rendered beyond each edge of the viewport.
pub const OVERSCAN_ROWS: usize = 12;

/// How far one group of charges has loaded, as the table needs to know it.
#[derive(Clone, Copy, Debug)]
pub enum GroupStatus<'a> {
    /// Its lines are arriving.
    Loading,
    /// Every line arrived.
    Ready(&'a Arc<ChargeGroup>),
    /// It could not be loaded.
    Failed,
}

/// Which fold is open: the index of its group among all groups (as in `collapsed`) and its
/// [`Fold::anchor`]. Both stay the same when the lines are sorted again or filtered, so a fold
/// that was open is open again when a filter that hid it is cleared.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FoldId {
    /// The group's index.
    pub group: usize,
    /// The fold's anchor.
    pub anchor: usize,
}

/// Which folds show their lines.
#[derive(Clone, Copy, Debug)]
pub enum OpenFolds<'a> {
    /// Those the viewer opened.
    These(&'a HashSet<FoldId>),
    /// Every fold (a print shows every line).
    Every,
}

impl OpenFolds<'_> {
    fn contains(&self, id: FoldId) -> bool {
        match self {
            OpenFolds::These(open) => open.contains(&id),
            OpenFolds::Every => true,
        }
    }
}

/// What the table shows for the current groups, query, collapsed groups and open folds.
#[derive(Debug, Default)]
pub struct TableModel {
    /// Per group: the shown lines, once the group has loaded.
    pub shown: Vec<Option<ShownGroup>>,
    /// Per group: its shown lines with identical charges folded, once the group has loaded.
    pub folded: Vec<Option<Arc<[FoldedRow]>>>,
    /// The groups that appear, in order (a loaded group with no shown line is left out).
    pub visible: Vec<usize>,
    /// The rows of the table body; `Row` group numbers index `visible`.
    pub rows: Vec<Row>,
    /// Lines loaded.
    pub loaded_lines: usize,
    /// Lines loaded and shown.
    pub shown_lines: usize,
    /// Groups loaded.
    pub ready_groups: usize,
    /// Groups that failed.
    pub failed_groups: usize,
    /// Groups in all.
    pub groups: usize,
    /// Lines the API sent that could not be read, over the loaded groups.
    pub unreadable_lines: usize,
}

/// The totals of what the table shows, and how every loaded line compares with the invoice.
#[derive(Clone, Debug, PartialEq)]
pub struct ShownTotals {
    /// The sums over the shown lines.
    pub shown: Totals,
    /// VAT per rate over the shown lines, lowest rate first.
    pub vat: Vec<VatLine>,
    /// The total including VAT of every loaded line, shown or not.
    pub all_lines: Decimal,
    /// How every loaded line compares with the invoiced amount.
    pub reconciliation: Reconciliation,
}

/// Shown groups computed for one query, by group identity: a group that has not changed is not
/// filtered, sorted and folded again when another group arrives or a fold opens. An entry holds
/// its group, so a group's address cannot be reused by another while it is cached.
#[derive(Debug, Default)]
pub struct ShownCache {
    query: LineQuery,
    groups: HashMap<usize, (ShownGroup, Arc<[FoldedRow]>)>,
}

impl ShownCache {
    fn show(
        &mut self,
        group: &Arc<ChargeGroup>,
        query: &LineQuery,
        lowercase: &impl Lowercase,
    ) -> (ShownGroup, Arc<[FoldedRow]>) {
        if self.query != *query {
            self.query = query.clone();
            self.groups.clear();
        }
        let key = Arc::as_ptr(group) as usize;
        let (shown, folded) = self.groups.entry(key).or_insert_with(|| {
            let shown = show(group, query, lowercase);
            // Folds too large to add up are shown as their lines, whose sums say so.
            let folded = fold(&shown).unwrap_or_else(|TooLarge| unfolded(&shown));
            (shown, folded.into())
        });
        (shown.clone(), folded.clone())
    }

    /// Forgets groups no longer present (a reloaded invoice, a retried group).
    fn retain(&mut self, groups: &[GroupStatus<'_>]) {
        let live: HashSet<usize> = groups
            .iter()
            .filter_map(|g| match g {
                GroupStatus::Ready(group) => Some(Arc::as_ptr(group) as usize),
                _ => None,
            })
            .collect();
        self.groups.retain(|k, _| live.contains(k));
    }
}

impl TableModel {
    /// The table for `groups`, in order, shown as `query` asks, with the groups at the indexes
    /// in `collapsed` collapsed and the folds `open` says open; `cache` keeps the shown lines of
    /// groups that have not changed; `lowercase` folds the filter's words.
    pub fn build(
        groups: &[GroupStatus<'_>],
        query: &LineQuery,
        collapsed: &HashSet<usize>,
        open: OpenFolds<'_>,
        cache: &mut ShownCache,
        lowercase: &impl Lowercase,
    ) -> TableModel {
        cache.retain(groups);
        let mut model = TableModel { groups: groups.len(), ..TableModel::default() };
        for (index, status) in groups.iter().enumerate() {
            let (shown, folded) = match status {
                GroupStatus::Ready(group) => {
                    model.ready_groups += 1;
                    model.loaded_lines += group.lines.len();
                    model.unreadable_lines += group.unreadable.len();
                    let (shown, folded) = cache.show(group, query, lowercase);
                    (Some(shown), Some(folded))
                }
                GroupStatus::Failed => {
                    model.failed_groups += 1;
                    (None, None)
                }
                GroupStatus::Loading => (None, None),
            };
            let shown_lines = shown.as_ref().map(|s| s.lines.len());
            model.shown_lines += shown_lines.unwrap_or(0);
            // A group none of whose lines shows still shows if some could not be read: they are news.
            let has_unreadable = shown.as_ref().is_some_and(|s| !s.group.unreadable.is_empty());
            if shown_lines != Some(0) || has_unreadable {
                model.visible.push(index);
            }
            model.shown.push(shown);
            model.folded.push(folded);
        }
        let shapes: Vec<GroupShape<'_>> = model
            .visible
            .iter()
            .map(|&index| GroupShape {
                rows: model.folded.get(index).and_then(|f| f.as_deref()),
                expanded: !collapsed.contains(&index),
            })
            .collect();
        let rows = flatten(&shapes, |group, fold| {
            let group = model.visible.get(group).copied().unwrap_or_default();
            open.contains(FoldId { group, anchor: fold.anchor() })
        });
        model.rows = rows;
        model
    }

    /// The fold at `fold` among the folded rows of the group at `group` (an index among all
    /// groups), if there is one.
    pub fn fold(&self, group: usize, fold: usize) -> Option<&Fold> {
        match self.folded.get(group)?.as_deref()?.get(fold)? {
            FoldedRow::Fold(fold) => Some(fold),
            FoldedRow::Line(_) => None,
        }
    }

    /// The shown groups that have loaded, in order.
    pub fn shown_groups(&self) -> Vec<ShownGroup> {
        self.shown.iter().flatten().filter(|s| !s.lines.is_empty()).cloned().collect()
    }

    /// True when every group has loaded.
    pub fn is_complete(&self) -> bool {
        self.ready_groups == self.groups
    }

    /// True when no group is still loading (each loaded or failed).
    pub fn is_settled(&self) -> bool {
        self.settled_groups() == self.groups
    }

    /// Groups loaded or failed.
    pub fn settled_groups(&self) -> usize {
        self.ready_groups + self.failed_groups
    }

    /// True when every group has loaded and not one has a line: "no charges", not an empty table.
    pub fn has_no_charges(&self) -> bool {
        self.is_settled() && self.failed_groups == 0 && self.loaded_lines == 0
    }

    /// Lines arrived so far: the pages counted per group in `arrived`, or the loaded lines if
    /// more (a group given whole, without pages).
    pub fn lines_so_far(&self, arrived: &[usize]) -> usize {
        arrived.iter().fold(0usize, |sum, n| sum.saturating_add(*n)).max(self.loaded_lines)
    }

    /// The totals of the shown lines and the reconciliation of every loaded line with
    /// `invoice_amount`; [`TooLarge`] when a sum leaves `Decimal`'s range.
    pub fn totals(&self, invoice_amount: Option<Decimal>) -> Result<ShownTotals, TooLarge> {
        let shown = self.shown_groups();
        let all_lines = checked::sum(
            self.shown.iter().flatten().map(|s| s.group.totals.map(|t| t.total)).collect::<Result<Vec<_>, _>>()?,
        )?;
        Ok(ShownTotals {
            shown: Totals::of(shown.iter().flat_map(|s| s.lines()))?,
            vat: vat_by_rate(shown.iter().flat_map(|s| s.lines()))?,
            all_lines,
            reconciliation: Reconciliation::new(all_lines, invoice_amount)?,
        })
    }
}

/// Whether a table of `rows` rows renders only those in view: a long table on screen, never
/// one being printed (a print shows every line).
pub fn is_virtualized(rows: usize, printing: bool) -> bool {
    !printing && rows > VIRTUALIZE_ABOVE_ROWS
}

/// The rows to render: every row, or for a virtualized table those in view at `scroll_top`
/// (pixels) in a `viewport` of that height, rows being `row_height` high, plus
/// [`OVERSCAN_ROWS`] on each side.
pub fn rendered_rows(rows: usize, virtualized: bool, row_height: f64, scroll_top: f64, viewport: f64) -> Range<usize> {
    if virtualized {
        window(rows, row_height, scroll_top, viewport, OVERSCAN_ROWS)
    } else {
        0..rows
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::invoice::tests::{dec, line};
    use crate::model::invoice::GroupKind;
    use crate::model::lines::{SortColumn, SortDirection};
    use crate::model::text::StdLowercase;
    use billing_contract::{Date, InvoiceLine, Unreadable};

    fn group(kind: GroupKind, lines: Vec<InvoiceLine>) -> Arc<ChargeGroup> {
        Arc::new(ChargeGroup::new(kind, lines, &StdLowercase))
    }

    fn subscription(no: &str) -> GroupKind {
        GroupKind::Subscription { subscription_no: no.into(), description: None }
    }

    fn filter(words: &str) -> LineQuery {
        LineQuery { filter: words.into(), sort: None }
    }

    fn build(groups: &[GroupStatus<'_>], query: &LineQuery) -> TableModel {
        TableModel::build(
            groups,
            query,
            &HashSet::new(),
            OpenFolds::These(&HashSet::new()),
            &mut ShownCache::default(),
            &StdLowercase,
        )
    }

    fn descriptions(model: &TableModel, index: usize) -> Vec<String> {
        model.shown[index].iter().flat_map(|s| s.lines()).map(|l| l.description.clone()).collect()
    }

    /// Four lines that each column orders differently.
    fn varied() -> Arc<ChargeGroup> {
        let mut lines =
            vec![line("b", "30.00", "25"), line("d", "10.00", "10"), line("a", "20.00", "6"), line("c", "-5.00", "20")];
        for (l, (product, quantity, unit, day)) in
            lines.iter_mut().zip([("P3", "1", "7", 4), ("P1", "3", "2", 2), ("P4", "2", "9", 1), ("P2", "4", "1", 3)])
        {
            l.product_no = product.into();
            l.quantity = dec(quantity);
            l.unit_price = dec(unit);
            l.period_start = Date::new(2025, 9, day);
        }
        group(GroupKind::Customer, lines)
    }

    #[test]
    fn each_column_sorts_its_values_in_both_directions() {
        let g = varied();
        let groups = [GroupStatus::Ready(&g)];
        let expected: [(SortColumn, [&str; 4]); 9] = [
            (SortColumn::Product, ["d", "c", "b", "a"]),
            (SortColumn::Description, ["a", "b", "c", "d"]),
            (SortColumn::Period, ["a", "d", "c", "b"]),
            (SortColumn::Quantity, ["b", "a", "d", "c"]),
            (SortColumn::UnitPrice, ["c", "d", "b", "a"]),
            (SortColumn::Amount, ["c", "d", "a", "b"]),
            (SortColumn::VatRate, ["a", "d", "c", "b"]),
            (SortColumn::Vat, ["c", "d", "a", "b"]),
            (SortColumn::Total, ["c", "d", "a", "b"]),
        ];
        for (column, ascending) in expected {
            let query = LineQuery::default().toggled(column);
            assert_eq!(descriptions(&build(&groups, &query), 0), ascending, "{column:?} ascending");
            let query = query.toggled(column);
            assert_eq!(query.sort, Some((column, SortDirection::Descending)));
            let descending: Vec<&str> = ascending.iter().rev().copied().collect();
            assert_eq!(descriptions(&build(&groups, &query), 0), descending, "{column:?} descending");
        }
    }

    #[test]
    fn sorting_keeps_equal_lines_in_the_invoices_order_and_sorts_within_each_group() {
        let first = group(
            GroupKind::Customer,
            vec![line("x1", "5.00", "25"), line("y", "1.00", "25"), line("x2", "5.00", "25")],
        );
        let second = group(subscription("1"), vec![line("z", "9.00", "25"), line("w", "2.00", "25")]);
        let groups = [GroupStatus::Ready(&first), GroupStatus::Ready(&second)];
        let by_amount = LineQuery::default().toggled(SortColumn::Amount);
        let model = build(&groups, &by_amount);
        assert_eq!(descriptions(&model, 0), ["y", "x1", "x2"]);
        assert_eq!(descriptions(&model, 1), ["w", "z"], "groups are never mixed");
        let model = build(&groups, &by_amount.toggled(SortColumn::Amount));
        assert_eq!(descriptions(&model, 0), ["x1", "x2", "y"]);
    }

    #[test]
    fn the_filter_leaves_out_groups_with_no_match_unless_some_lines_could_not_be_read() {
        let calls =
            group(GroupKind::Customer, vec![line("Samtal", "10.00", "25"), line("Roaming Norge", "30.00", "25")]);
        let data = group(subscription("1"), vec![line("Data", "5.00", "25")]);
        let unreadable = Arc::new(
            ChargeGroup::new(subscription("2"), vec![line("Data 2", "1.00", "25")], &StdLowercase)
                .with_unreadable(vec![Unreadable { position: 1, reason: "no amount".into() }]),
        );
        let groups = [GroupStatus::Ready(&calls), GroupStatus::Ready(&data), GroupStatus::Ready(&unreadable)];
        let model = build(&groups, &filter("ROAMING  norge"));
        assert_eq!(descriptions(&model, 0), ["Roaming Norge"]);
        assert_eq!(model.visible, [0, 2], "the group with no match is left out, the one with unreadable lines is not");
        assert_eq!((model.shown_lines, model.loaded_lines, model.unreadable_lines), (1, 4, 1));
        assert_eq!(model.shown_groups().len(), 1);
        assert_eq!(
            model.rows,
            [
                Row::GroupHead { group: 0 },
                Row::Line { group: 0, line: 1 },
                Row::Subtotal { group: 0 },
                Row::GroupHead { group: 1 },
                Row::Subtotal { group: 1 },
            ]
        );
    }

    #[test]
    fn loading_and_failed_groups_show_a_status_row_and_count_as_such() {
        let loaded = group(GroupKind::Customer, vec![line("a", "1.00", "25"), line("b", "2.00", "25")]);
        let groups = [GroupStatus::Ready(&loaded), GroupStatus::Loading, GroupStatus::Failed];
        let collapsed: HashSet<usize> = [0].into();
        let none = HashSet::new();
        let model = TableModel::build(
            &groups,
            &LineQuery::default(),
            &collapsed,
            OpenFolds::These(&none),
            &mut ShownCache::default(),
            &StdLowercase,
        );
        assert_eq!(
            model.rows,
            [
                Row::GroupHead { group: 0 },
                Row::Subtotal { group: 0 },
                Row::GroupHead { group: 1 },
                Row::GroupStatus { group: 1 },
                Row::GroupHead { group: 2 },
                Row::GroupStatus { group: 2 },
            ],
            "the collapsed group shows no line"
        );
        assert_eq!((model.ready_groups, model.failed_groups, model.groups, model.settled_groups()), (1, 1, 3, 2));
        assert!(!model.is_settled() && !model.is_complete());
        assert_eq!(model.lines_so_far(&[2, 40, 0]), 42);
        assert_eq!(model.lines_so_far(&[]), 2, "a group given whole counts its lines");

        let settled = build(&[GroupStatus::Ready(&loaded), GroupStatus::Failed], &LineQuery::default());
        assert!(settled.is_settled() && !settled.is_complete());
        assert!(!settled.has_no_charges());
    }

    #[test]
    fn an_invoice_with_no_line_has_no_charges_once_every_group_has_loaded() {
        let empty = group(GroupKind::Customer, Vec::new());
        assert!(build(&[], &LineQuery::default()).has_no_charges());
        assert!(build(&[GroupStatus::Ready(&empty)], &LineQuery::default()).has_no_charges());
        assert!(!build(&[GroupStatus::Ready(&empty), GroupStatus::Loading], &LineQuery::default()).has_no_charges());
        assert!(!build(&[GroupStatus::Failed], &LineQuery::default()).has_no_charges());
        let one = group(GroupKind::Customer, vec![line("a", "1.00", "25")]);
        assert!(!build(&[GroupStatus::Ready(&one)], &filter("nothing")).has_no_charges(), "filtered out is not none");
    }

    #[test]
    fn totals_of_the_shown_lines_are_exact_and_the_reconciliation_covers_every_line() {
        let g = group(
            GroupKind::Customer,
            vec![line("Öre a", "0.20", "25"), line("Öre b", "0.40", "25"), line("Avgift", "100.00", "12")],
        );
        let other = group(subscription("1"), vec![line("Öre c", "0.70", "6")]);
        let groups = [GroupStatus::Ready(&g), GroupStatus::Ready(&other), GroupStatus::Loading];
        let totals = build(&groups, &filter("öre")).totals(Some(dec("125.00"))).unwrap();
        assert_eq!(totals.shown.amount, dec("1.30"), "0.20 + 0.40 + 0.70, no float drift");
        assert_eq!(totals.shown.lines, 3);
        assert_eq!(totals.shown.vat, dec("0.19"), "0.05 + 0.10 + 0.04");
        assert_eq!(totals.shown.total, dec("1.49"));
        assert_eq!(
            totals.vat.iter().map(|v| (v.rate, v.base)).collect::<Vec<_>>(),
            [(dec("6"), dec("0.70")), (dec("25"), dec("0.60"))]
        );
        assert_eq!(totals.all_lines, dec("113.49"), "every loaded line, filtered or not");
        assert_eq!(totals.reconciliation.difference(), Some(dec("11.51")));

        let model = build(&groups[..2], &LineQuery::default());
        assert!(model.totals(Some(dec("113.49"))).unwrap().reconciliation.is_reconciled());
    }

    #[test]
    fn totals_beyond_a_decimal_are_too_large_not_a_panic() {
        let huge = |d: &str| {
            let mut l = line(d, "1.00", "25");
            l.amount = Decimal::MAX;
            l.total_amount = Decimal::MAX;
            l
        };
        let a = group(GroupKind::Customer, vec![huge("a")]);
        let b = group(subscription("1"), vec![huge("b")]);
        let model = build(&[GroupStatus::Ready(&a), GroupStatus::Ready(&b)], &LineQuery::default());
        assert_eq!(model.totals(None), Err(TooLarge));
    }

    #[test]
    fn the_cache_reuses_an_unchanged_groups_lines_and_recomputes_on_a_new_query_or_group() {
        let g = group(GroupKind::Customer, vec![line("a", "1.00", "25"), line("b", "2.00", "25")]);
        let (query, collapsed, none) = (LineQuery::default(), HashSet::new(), HashSet::new());
        let open = OpenFolds::These(&none);
        let mut cache = ShownCache::default();
        TableModel::build(&[GroupStatus::Ready(&g)], &query, &collapsed, open, &mut cache, &StdLowercase);
        // Mark the cached entry: a build that reuses it shows the mark.
        for (shown, folded) in cache.groups.values_mut() {
            shown.lines = vec![1];
            *folded = vec![FoldedRow::Line(1)].into();
        }
        let model = TableModel::build(
            &[GroupStatus::Ready(&g), GroupStatus::Loading],
            &query,
            &collapsed,
            open,
            &mut cache,
            &StdLowercase,
        );
        assert_eq!(descriptions(&model, 0), ["b"], "reused, not filtered again");
        assert_eq!(model.rows[1], Row::Line { group: 0, line: 1 }, "nor folded again");

        let model =
            TableModel::build(&[GroupStatus::Ready(&g)], &filter("a"), &collapsed, open, &mut cache, &StdLowercase);
        assert_eq!(descriptions(&model, 0), ["a"], "a new query computes again");

        let retried = group(GroupKind::Customer, vec![line("a again", "3.00", "25")]);
        let model = TableModel::build(
            &[GroupStatus::Ready(&retried)],
            &filter("a"),
            &collapsed,
            open,
            &mut cache,
            &StdLowercase,
        );
        assert_eq!(descriptions(&model, 0), ["a again"], "a new group computes again");
        assert_eq!(cache.groups.len(), 1, "the group no longer shown is forgotten");
        TableModel::build(&[GroupStatus::Failed], &filter("a"), &collapsed, open, &mut cache, &StdLowercase);
        assert!(cache.groups.is_empty());
    }

    /// Customer level: 3 × SMS at 1.49, a subscription fee; subscription 1: 2 × SMS and data.
    fn with_repeats() -> (Arc<ChargeGroup>, Arc<ChargeGroup>) {
        let sms = || {
            let mut l = line("SMS till utlandet", "1.49", "25");
            l.product_no = "SMS".into();
            l
        };
        let customer = group(GroupKind::Customer, vec![sms(), line("Abonnemang", "299.00", "25"), sms(), sms()]);
        let subscribed = group(subscription("1"), vec![sms(), line("Data", "5.00", "25"), sms()]);
        (customer, subscribed)
    }

    fn build_open(groups: &[GroupStatus<'_>], query: &LineQuery, open: OpenFolds<'_>) -> TableModel {
        TableModel::build(groups, query, &HashSet::new(), open, &mut ShownCache::default(), &StdLowercase)
    }

    #[test]
    fn repeated_charges_are_one_row_and_counts_and_totals_stay_those_of_the_lines() {
        let (customer, subscribed) = with_repeats();
        let groups = [GroupStatus::Ready(&customer), GroupStatus::Ready(&subscribed)];
        let none = HashSet::new();
        let model = build_open(&groups, &LineQuery::default(), OpenFolds::These(&none));
        assert_eq!(
            model.rows,
            [
                Row::GroupHead { group: 0 },
                Row::Fold { group: 0, fold: 0, open: false },
                Row::Line { group: 0, line: 1 },
                Row::Subtotal { group: 0 },
                Row::GroupHead { group: 1 },
                Row::Fold { group: 1, fold: 0, open: false },
                Row::Line { group: 1, line: 1 },
                Row::Subtotal { group: 1 },
            ]
        );
        let fold = model.fold(0, 0).unwrap();
        assert_eq!((fold.lines.len(), fold.quantity, fold.totals.amount), (3, dec("3"), dec("4.47")));
        assert_eq!(model.fold(0, 1), None, "a single line is no fold");
        assert_eq!((model.shown_lines, model.loaded_lines), (7, 7), "lines, not rows");
        let totals = model.totals(None).unwrap();
        assert_eq!((totals.shown.lines, totals.shown.amount), (7, dec("311.45")), "every line summed once");
        assert_eq!(model.shown[0].as_ref().map(|s| s.lines.len()), Some(4), "the group head counts 4 lines");
    }

    #[test]
    fn an_open_fold_stays_open_through_a_sort_and_a_filter_and_a_print_opens_every_fold() {
        let (customer, subscribed) = with_repeats();
        let groups = [GroupStatus::Ready(&customer), GroupStatus::Ready(&subscribed)];
        let open: HashSet<FoldId> = [FoldId { group: 1, anchor: 0 }].into();
        let model = build_open(&groups, &LineQuery::default(), OpenFolds::These(&open));
        assert_eq!(
            model.rows[4..9],
            [
                Row::GroupHead { group: 1 },
                Row::Fold { group: 1, fold: 0, open: true },
                Row::FoldLine { group: 1, line: 0 },
                Row::FoldLine { group: 1, line: 2 },
                Row::Line { group: 1, line: 1 },
            ],
            "only the subscription's fold is open"
        );
        assert_eq!(model.rows[1], Row::Fold { group: 0, fold: 0, open: false });

        let by_amount = LineQuery::default().toggled(SortColumn::Amount).toggled(SortColumn::Amount);
        let sorted = build_open(&groups, &by_amount, OpenFolds::These(&open));
        assert_eq!(
            sorted.rows[4..9],
            [
                Row::GroupHead { group: 1 },
                Row::Line { group: 1, line: 1 },
                Row::Fold { group: 1, fold: 1, open: true },
                Row::FoldLine { group: 1, line: 0 },
                Row::FoldLine { group: 1, line: 2 },
            ],
            "resorted, still open"
        );

        // A filter keeps or hides a fold's lines together: the open one stays open.
        let sms = build_open(&groups, &filter("sms"), OpenFolds::These(&open));
        assert_eq!(sms.shown_lines, 5);
        assert_eq!(sms.rows[3..7], model.rows[4..8], "the subscription's fold, open, with its 2 lines");
        assert_eq!(sms.rows[1], Row::Fold { group: 0, fold: 0, open: false });
        let data = build_open(&groups, &filter("data"), OpenFolds::These(&open));
        assert!(data.rows.iter().all(|r| !matches!(r, Row::Fold { .. } | Row::FoldLine { .. })), "no fold matches");

        let printed = build_open(&groups, &LineQuery::default(), OpenFolds::Every);
        assert_eq!(printed.rows.iter().filter(|r| matches!(r, Row::Line { .. } | Row::FoldLine { .. })).count(), 7);
        assert_eq!(printed.rows.len(), 7 + 2 + 2 * 2, "every line, each fold row above its lines");
    }

    #[test]
    fn folds_too_large_to_add_up_show_as_their_lines() {
        let huge = || {
            let mut l = line("big", "1.00", "25");
            (l.amount, l.total_amount) = (Decimal::MAX, Decimal::MAX);
            l
        };
        let g = group(GroupKind::Customer, vec![huge(), huge()]);
        let model = build(&[GroupStatus::Ready(&g)], &LineQuery::default());
        assert_eq!(model.rows[1..3], [Row::Line { group: 0, line: 0 }, Row::Line { group: 0, line: 1 }]);
    }

    #[test]
    fn only_long_tables_on_screen_are_virtualized() {
        assert!(!is_virtualized(VIRTUALIZE_ABOVE_ROWS, false));
        assert!(is_virtualized(VIRTUALIZE_ABOVE_ROWS + 1, false));
        assert!(!is_virtualized(50_000, true), "a print shows every row");
        assert_eq!(rendered_rows(250, false, 33.0, 3_000.0, 600.0), 0..250);
    }

    #[test]
    fn the_rendered_rows_follow_the_scroll_position() {
        assert_eq!(rendered_rows(0, true, 33.0, 0.0, 600.0), 0..0, "empty");
        assert_eq!(rendered_rows(1_000, true, 33.0, 0.0, 660.0), 0..33, "21 rows in view and 12 below");
        assert_eq!(rendered_rows(1_000, true, 33.0, 3_300.0, 660.0), 88..133, "12 above row 100, 21 in view, 12 below");
        assert_eq!(rendered_rows(1_000, true, 33.0, 33_000.0 - 660.0, 660.0), 968..1_000, "the end of the list");
        assert_eq!(rendered_rows(1_000, true, 33.0, 1e12, 660.0), 1_000..1_000, "scrolled past the end");
        assert_eq!(rendered_rows(1_000, true, 33.0, -50.0, 660.0), 0..33, "overscrolled above the top");
        let huge = rendered_rows(5_000_000, true, 33.0, 33.0 * 4_000_000.0, 990.0);
        assert_eq!(huge, 3_999_988..4_000_043);
    }
}
