//! Everything about an invoice's charges: the toolbar (filter, expand, CSV, print), the
//! charges table, and the totals with the reconciliation.

use crate::format::{i18n::fill, Formatter, Texts};
use crate::model::csv::{lines_csv, CsvLabels};
use crate::model::lines::show;
use crate::model::rows::{flatten, GroupShape, Row};
use crate::model::{ChargeGroup, InvoiceDetails, LineQuery, ShownGroup};
use crate::views::common::download::save_text_file;
use crate::views::common::i18n::{provide_i18n, use_i18n, I18n};
use crate::views::common::shared::{unique_id, Shared};
use crate::views::invoice::charges_table::ChargesTable;
use crate::views::invoice::invoice_summary::InvoiceSummary;
use crate::views::invoice::invoice_view::{GroupSlot, SlotState};
use billing_contract::Invoice;
use leptos::prelude::*;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// What the table shows for the current groups, query and collapsed groups.
#[derive(Debug, Default)]
pub(crate) struct TableModel {
    /// Per slot: the shown lines, once the group has loaded.
    pub shown: Vec<Option<ShownGroup>>,
    /// The slots that appear, in order (a loaded group with no shown line is left out).
    pub visible: Vec<usize>,
    /// The rows of the table body; `Row` group numbers index `visible`.
    pub rows: Vec<Row>,
    /// Lines loaded, and of those shown.
    pub loaded_lines: usize,
    pub shown_lines: usize,
    /// Groups loaded, failed, and in all.
    pub ready_groups: usize,
    pub failed_groups: usize,
    pub groups: usize,
    /// Lines the API sent that could not be read, over the loaded groups.
    pub unreadable_lines: usize,
}

/// Shown groups computed for one query, by group identity: a group that has not changed is not
/// filtered and sorted again when another group arrives.
#[derive(Default)]
struct ShownCache {
    query: LineQuery,
    groups: HashMap<usize, ShownGroup>,
}

impl ShownCache {
    fn show(&mut self, group: &Arc<ChargeGroup>, query: &LineQuery) -> ShownGroup {
        if self.query != *query {
            self.query = query.clone();
            self.groups.clear();
        }
        let key = Arc::as_ptr(group) as usize;
        self.groups.entry(key).or_insert_with(|| show(group, query)).clone()
    }

    /// Forgets groups no longer present (a reloaded invoice).
    fn retain(&mut self, slots: &[GroupSlot]) {
        let live: HashSet<usize> = slots
            .iter()
            .filter_map(|s| match &s.state {
                SlotState::Ready(g) => Some(Arc::as_ptr(g) as usize),
                _ => None,
            })
            .collect();
        self.groups.retain(|k, _| live.contains(k));
    }
}

impl TableModel {
    fn build(slots: &[GroupSlot], query: &LineQuery, collapsed: &HashSet<usize>, cache: &mut ShownCache) -> TableModel {
        cache.retain(slots);
        let mut model = TableModel { groups: slots.len(), ..TableModel::default() };
        let mut shapes = Vec::new();
        for (index, slot) in slots.iter().enumerate() {
            let shown = match &slot.state {
                SlotState::Ready(group) => {
                    model.ready_groups += 1;
                    model.loaded_lines += group.lines.len();
                    model.unreadable_lines += group.unreadable.len();
                    Some(cache.show(group, query))
                }
                SlotState::Failed(_) => {
                    model.failed_groups += 1;
                    None
                }
                SlotState::Loading => None,
            };
            let shown_lines = shown.as_ref().map(|s| s.lines.len());
            model.shown_lines += shown_lines.unwrap_or(0);
            // A group none of whose lines shows still shows if some could not be read: they are news.
            let has_unreadable = shown.as_ref().is_some_and(|s| !s.group.unreadable.is_empty());
            if shown_lines != Some(0) || has_unreadable {
                model.visible.push(index);
                shapes.push(GroupShape { shown_lines, expanded: !collapsed.contains(&index) });
            }
            model.shown.push(shown);
        }
        model.rows = flatten(&shapes);
        model
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
        self.ready_groups + self.failed_groups == self.groups
    }
}

/// An invoice's charges with everything to work with them.
///
/// - `invoice`: the invoice (for its number, currency and amount).
/// - `slots`: the groups of charges as they load.
/// - `arrived`: per group, the lines arrived so far (for progress).
/// - `listing`: whether more groups may still be added.
/// - `on_retry`: retries one failed group (by its index in `slots`).
#[component]
pub fn InvoiceCharges(
    invoice: Arc<Invoice>,
    #[prop(into)] slots: Signal<Vec<GroupSlot>>,
    /// Lines arrived so far per group, while groups load.
    #[prop(optional, into)]
    arrived: Signal<Vec<usize>>,
    /// True while the invoice's groups are still being listed (no "no charges" before then).
    #[prop(optional, into)]
    listing: Signal<bool>,
    #[prop(optional)] on_retry: Option<Callback<usize>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let (t, f) = (i18n.texts(), i18n.formatter());
    let query = RwSignal::new(LineQuery::default());
    let collapsed = RwSignal::new(HashSet::<usize>::new());
    let printing = RwSignal::new(false);
    let cache = StoredValue::new(ShownCache::default());
    let model = Memo::new(move |_| {
        let build = |s: &Vec<GroupSlot>, q: &LineQuery, c: &HashSet<usize>| {
            cache.try_update_value(|cache| TableModel::build(s, q, c, cache)).unwrap_or_default()
        };
        Shared::new(slots.with(|s| query.with(|q| collapsed.with(|c| build(s, q, c)))))
    });
    watch_print_mode(printing);

    // Every group known and loaded, and not one line: say so instead of an empty table.
    let is_empty = Memo::new(move |_| {
        !listing.get() && model.with(|m| m.is_settled() && m.failed_groups == 0 && m.loaded_lines == 0)
    });
    let filter_id = unique_id("bw-filter");
    let invoice_no = invoice.invoice_no.clone();
    let download = {
        let f = f.clone();
        move |_| {
            let csv = lines_csv(&model.get_untracked().shown_groups(), &csv_labels(t), f.decimal_separator());
            // A refused download leaves the page as it was; there is nothing to undo.
            let _ = save_text_file(&format!("invoice-{invoice_no}.csv"), "text/csv;charset=utf-8", &csv);
        }
    };
    let statement = {
        let f = f.clone();
        move || status_text(t, &f, &model.get(), &query.get())
    };
    let progress = {
        let f = f.clone();
        move || {
            let m = model.get();
            (!m.is_settled()).then(|| {
                let lines = arrived.with(|a| a.iter().sum::<usize>()).max(m.loaded_lines);
                let text = fill(t.loading_progress, &[&f.count(m.ready_groups + m.failed_groups), &f.count(m.groups), &t.line_count(&f, lines)]);
                view! {
                    <div class="bw-progress" part="progress">
                        <progress max=m.groups.max(1) value=m.ready_groups + m.failed_groups aria-label=text.clone()></progress>
                        <span>{text}</span>
                    </div>
                }
            })
        }
    };

    view! {
        <div class="bw-charges-block">
            <div class="bw-toolbar" part="toolbar">
                <label for=filter_id.clone()>{t.filter_label}</label>
                <input
                    id=filter_id
                    type="search"
                    class="bw-input"
                    autocomplete="off"
                    placeholder=t.filter_placeholder
                    prop:value=move || query.with(|q| q.filter.clone())
                    on:input=move |ev| query.update(|q| q.filter = event_target_value(&ev))
                />
                <span class="bw-toolbar-gap"></span>
                <button type="button" class="bw-button bw-secondary" on:click=move |_| collapsed.set(HashSet::new())>{t.expand_all}</button>
                <button type="button" class="bw-button bw-secondary" on:click=move |_| collapsed.set((0..slots.with_untracked(Vec::len)).collect())>{t.collapse_all}</button>
                <button type="button" class="bw-button bw-secondary" data-action="csv" on:click=download>{t.download_csv}</button>
                <button type="button" class="bw-button bw-secondary" on:click=move |_| print_page()>{t.print}</button>
            </div>
            {progress}
            <p class="bw-status" role="status" aria-live="polite">{statement}</p>
            {move || if is_empty.get() {
                view! { <p class="bw-empty" role="status">{t.no_charges}</p> }.into_any()
            } else {
                view! {
                    <ChargesTable invoice=invoice.clone() slots=slots arrived=arrived model=model query=query collapsed=collapsed printing=printing on_retry=on_retry />
                    <InvoiceSummary invoice=invoice.clone() model=model query=query />
                }
                .into_any()
            }}
        </div>
    }
}

/// The charges of an invoice whose lines have all loaded (no progressive loading).
///
/// - `details`: the invoice and its groups.
/// - `locale`: the viewer's locale, provided to everything the table shows.
#[component]
pub fn InvoiceTable(details: Arc<InvoiceDetails>, #[prop(into)] locale: String) -> impl IntoView {
    let slots: Vec<GroupSlot> = details.groups.iter().cloned().map(GroupSlot::ready).collect();
    provide_i18n(I18n::new(&locale), move || {
        view! { <InvoiceCharges invoice=Arc::new(details.invoice.clone()) slots=Signal::stored(slots) /> }
    })
}

fn status_text(t: &Texts, f: &Formatter, m: &TableModel, q: &LineQuery) -> String {
    if q.is_filtered() {
        if m.shown_lines == 0 {
            return fill(t.no_lines_match, &[q.filter.trim()]);
        }
        return fill(t.showing_filtered, &[&f.count(m.shown_lines), &f.count(m.loaded_lines), q.filter.trim()]);
    }
    if m.is_complete() && m.groups > 0 {
        return fill(t.lines_in_groups, &[&f.count(m.loaded_lines), &f.count(m.visible.len())]);
    }
    String::new()
}

fn csv_labels(t: &'static Texts) -> CsvLabels {
    CsvLabels {
        headings: [
            t.col_group,
            t.col_subscription,
            t.col_product,
            t.col_description,
            t.col_period_start,
            t.col_period_end,
            t.col_quantity,
            t.col_unit_price,
            t.col_amount_excl,
            t.col_vat_rate,
            t.col_vat,
            t.col_amount_incl,
            t.col_kind,
        ],
        customer_level: t.customer_charges,
        credit: t.credit,
        proration: t.proration,
    }
}

fn print_page() {
    if let Some(window) = web_sys::window() {
        let _ = window.print();
    }
}

/// Tracks the browser's print mode, so that a print shows every line, not a scroll window.
fn watch_print_mode(printing: RwSignal<bool>) {
    let before = window_event_listener_untyped("beforeprint", move |_| printing.set(true));
    let after = window_event_listener_untyped("afterprint", move |_| printing.set(false));
    on_cleanup(move || {
        before.remove();
        after.remove();
    });
}
