//! The charges table as one list of rows (group heads, lines, subtotals), and the window of it
//! that a scroll container shows, so a 50,000-line invoice keeps only what is visible in the DOM.

use std::ops::Range;

/// How one group appears in the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GroupShape {
    /// The number of shown lines once the group is loaded; `None` while loading or failed.
    pub shown_lines: Option<usize>,
    /// Whether its lines are expanded.
    pub expanded: bool,
}

/// One row of the charges table body.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Row {
    /// The group's heading, with its toggle.
    GroupHead { group: usize },
    /// The `index`-th shown line of the group.
    Line { group: usize, index: usize },
    /// A loading or failure notice in place of the group's lines.
    GroupStatus { group: usize },
    /// The group's subtotal.
    Subtotal { group: usize },
}

/// Lays the groups out as rows: each group's head, then its lines (if expanded and loaded) or
/// its status (if not loaded), then its subtotal (if loaded).
pub fn flatten(groups: &[GroupShape]) -> Vec<Row> {
    let mut rows = Vec::with_capacity(groups.iter().map(|g| g.shown_lines.unwrap_or(0) + 2).sum());
    for (group, shape) in groups.iter().enumerate() {
        rows.push(Row::GroupHead { group });
        match shape.shown_lines {
            Some(count) => {
                if shape.expanded {
                    rows.extend((0..count).map(|index| Row::Line { group, index }));
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

    #[test]
    fn groups_become_head_lines_and_subtotal_or_a_status() {
        let rows = flatten(&[
            GroupShape { shown_lines: Some(2), expanded: true },
            GroupShape { shown_lines: Some(5), expanded: false },
            GroupShape { shown_lines: None, expanded: true },
        ]);
        assert_eq!(
            rows,
            [
                Row::GroupHead { group: 0 },
                Row::Line { group: 0, index: 0 },
                Row::Line { group: 0, index: 1 },
                Row::Subtotal { group: 0 },
                Row::GroupHead { group: 1 },
                Row::Subtotal { group: 1 },
                Row::GroupHead { group: 2 },
                Row::GroupStatus { group: 2 },
            ]
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
        let shapes: Vec<GroupShape> = (0..101).map(|_| GroupShape { shown_lines: Some(495), expanded: true }).collect();
        let rows = flatten(&shapes);
        assert_eq!(rows.len(), 101 * 497);
        let w = window(rows.len(), 33.0, 400_000.0, 1000.0, 20);
        assert!(w.len() < 200, "{w:?}");
    }
}
