//! The charges table as one list of rows (group heads, lines, subtotals), and the window of it
//! that a scroll container shows, so a 50,000-line invoice keeps only what is visible in the DOM.

use super::folding::{Fold, FoldedRow};
use std::ops::Range;

/// How one group appears in the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GroupShape<'a> {
    /// Its shown lines with identical charges folded, once the group is loaded; `None` while
    /// loading or failed.
    pub rows: Option<&'a [FoldedRow]>,
    /// Whether its lines are expanded.
    pub expanded: bool,
}

/// One row of the charges table body.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Row {
    /// The group's heading, with its toggle.
    GroupHead { group: usize },
    /// A shown line of the group that folds with no other: `line` indexes the group's lines.
    Line { group: usize, line: usize },
    /// Identical charges folded into one row: `fold` indexes the group's folded rows; `open`
    /// when its lines follow it.
    Fold { group: usize, fold: usize, open: bool },
    /// A line of an open fold: `line` indexes the group's lines.
    FoldLine { group: usize, line: usize },
    /// A loading or failure notice in place of the group's lines.
    GroupStatus { group: usize },
    /// The group's subtotal.
    Subtotal { group: usize },
}

impl Row {
    /// The group the row belongs to (an index into the shapes given to [`flatten`]).
    pub fn group(&self) -> usize {
        match *self {
            Row::GroupHead { group }
            | Row::Line { group, .. }
            | Row::Fold { group, .. }
            | Row::FoldLine { group, .. }
            | Row::GroupStatus { group }
            | Row::Subtotal { group } => group,
        }
    }
}

/// Lays the groups out as rows: each group's head, then its rows (if expanded and loaded), each
/// fold followed by its lines when `open(group, fold)` says so, or its status (if not loaded),
/// then its subtotal (if loaded).
pub fn flatten(groups: &[GroupShape<'_>], open: impl Fn(usize, &Fold) -> bool) -> Vec<Row> {
    let mut rows = Vec::with_capacity(groups.iter().map(|g| g.rows.map_or(0, <[_]>::len) + 2).sum());
    for (group, shape) in groups.iter().enumerate() {
        rows.push(Row::GroupHead { group });
        match shape.rows {
            Some(folded) => {
                if shape.expanded {
                    for (index, row) in folded.iter().enumerate() {
                        match row {
                            FoldedRow::Line(line) => rows.push(Row::Line { group, line: *line }),
                            FoldedRow::Fold(fold) => {
                                let is_open = open(group, fold);
                                rows.push(Row::Fold { group, fold: index, open: is_open });
                                if is_open {
                                    rows.extend(fold.lines.iter().map(|&line| Row::FoldLine { group, line }));
                                }
                            }
                        }
                    }
                }
                rows.push(Row::Subtotal { group });
            }
            None => rows.push(Row::GroupStatus { group }),
        }
    }
    rows
}

/// The rows to render for a scroll position: those in view plus `overscan` on each side.
///
/// - `rows`: how many rows there are;
/// - `row_height`: the height of one row, in pixels (rows have a fixed height);
/// - `scroll_top`: how far the rows are scrolled, in pixels;
/// - `viewport`: the visible height, in pixels.
pub fn window(rows: usize, row_height: f64, scroll_top: f64, viewport: f64, overscan: usize) -> Range<usize> {
    if rows == 0 || row_height <= 0.0 || !row_height.is_finite() {
        return 0..rows.min(overscan * 2);
    }
    let first = (scroll_top.max(0.0) / row_height).floor() as usize;
    let visible = (viewport.max(0.0) / row_height).ceil() as usize + 1;
    let start = first.saturating_sub(overscan).min(rows);
    let end = first.saturating_add(visible).saturating_add(overscan).min(rows);
    start..end.max(start)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(range: Range<usize>) -> Vec<FoldedRow> {
        range.map(FoldedRow::Line).collect()
    }

    fn fold_of(lines: Vec<usize>) -> FoldedRow {
        let totals = crate::model::invoice::Totals::default();
        FoldedRow::Fold(Fold { lines, quantity: Default::default(), totals, vat_rate: None })
    }

    #[test]
    fn groups_become_head_lines_and_subtotal_or_a_status() {
        let (two, five) = (lines(0..2), lines(0..5));
        let rows = flatten(
            &[
                GroupShape { rows: Some(&two), expanded: true },
                GroupShape { rows: Some(&five), expanded: false },
                GroupShape { rows: None, expanded: true },
            ],
            |_, _| true,
        );
        assert_eq!(
            rows,
            [
                Row::GroupHead { group: 0 },
                Row::Line { group: 0, line: 0 },
                Row::Line { group: 0, line: 1 },
                Row::Subtotal { group: 0 },
                Row::GroupHead { group: 1 },
                Row::Subtotal { group: 1 },
                Row::GroupHead { group: 2 },
                Row::GroupStatus { group: 2 },
            ]
        );
        assert!(rows.iter().enumerate().all(|(i, r)| r.group() == [0, 0, 0, 0, 1, 1, 2, 2][i]));
    }

    #[test]
    fn a_fold_is_one_row_followed_by_its_lines_only_when_open() {
        let folded = vec![FoldedRow::Line(1), fold_of(vec![2, 0, 3]), fold_of(vec![4, 5])];
        let shapes = [GroupShape { rows: Some(&folded), expanded: true }];
        let closed = flatten(&shapes, |_, _| false);
        assert_eq!(
            closed,
            [
                Row::GroupHead { group: 0 },
                Row::Line { group: 0, line: 1 },
                Row::Fold { group: 0, fold: 1, open: false },
                Row::Fold { group: 0, fold: 2, open: false },
                Row::Subtotal { group: 0 },
            ]
        );
        let open = flatten(&shapes, |_, fold| fold.anchor() == 0);
        assert_eq!(
            open[2..7],
            [
                Row::Fold { group: 0, fold: 1, open: true },
                Row::FoldLine { group: 0, line: 2 },
                Row::FoldLine { group: 0, line: 0 },
                Row::FoldLine { group: 0, line: 3 },
                Row::Fold { group: 0, fold: 2, open: false },
            ],
            "its lines in shown order, right after it"
        );
        let collapsed = flatten(&[GroupShape { rows: Some(&folded), expanded: false }], |_, _| true);
        assert_eq!(
            collapsed,
            [Row::GroupHead { group: 0 }, Row::Subtotal { group: 0 }],
            "a collapsed group hides its folds"
        );
    }

    #[test]
    fn the_window_covers_the_viewport_plus_overscan_and_stays_in_bounds() {
        assert_eq!(window(50_000, 36.0, 0.0, 720.0, 10), 0..31);
        assert_eq!(window(50_000, 36.0, 36_000.0, 720.0, 10), 990..1031);
        assert_eq!(window(50_000, 36.0, 1e9, 720.0, 10), 50_000..50_000);
        assert_eq!(window(100, 36.0, 3_300.0, 720.0, 10), 81..100);
        assert_eq!(window(0, 36.0, 0.0, 720.0, 10), 0..0);
        assert_eq!(window(100, 0.0, 0.0, 720.0, 10), 0..20, "an unmeasured row height still renders something");
    }

    #[test]
    fn a_50000_line_invoice_keeps_under_200_rows_in_view() {
        let group = lines(0..495);
        let shapes: Vec<GroupShape> = (0..101).map(|_| GroupShape { rows: Some(&group), expanded: true }).collect();
        let rows = flatten(&shapes, |_, _| true);
        assert_eq!(rows.len(), 101 * 497);
        let w = window(rows.len(), 33.0, 400_000.0, 1000.0, 20);
        assert!(w.len() < 200, "{w:?}");
    }
}
