//! Everything about an invoice's charges: the toolbar (filter, expand, CSV, print), the
//! charges table, and the totals with the reconciliation.

use crate::api::invoice_loader::GroupSlot;
use crate::format::case::BrowserLowercase;
use crate::format::{i18n::fill, Formatter, Texts};
use crate::model::charges_table::{FoldId, GroupStatus, OpenFolds, ShownCache, TableModel};
use crate::model::csv::{lines_csv, CsvLabels};
use crate::model::{InvoiceDetails, LineQuery};
use crate::views::common::download::save_text_file;
use crate::views::common::i18n::{provide_i18n, use_i18n, I18n};
use crate::views::common::shared::{unique_id, Shared};
use crate::views::invoice::charges_table::ChargesTable;
use crate::views::invoice::invoice_summary::InvoiceSummary;
use billing_contract::Invoice;
use leptos::prelude::*;
use std::collections::HashSet;
use std::sync::Arc;

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
    // The folds of identical charges the viewer opened, by group and anchor (see `FoldId`), so
    // they stay open through a sort or a filter; a print opens every fold.
    let open_folds = RwSignal::new(HashSet::<FoldId>::new());
    let printing = RwSignal::new(false);
    let cache = StoredValue::new(ShownCache::default());
    let model = Memo::new(move |_| {
        let build = |s: &Vec<GroupSlot>, q: &LineQuery, c: &HashSet<usize>, o: &HashSet<FoldId>| {
            let groups: Vec<GroupStatus<'_>> = s.iter().map(|slot| slot.state.status()).collect();
            let open = if printing.get() { OpenFolds::Every } else { OpenFolds::These(o) };
            cache
                .try_update_value(|cache| TableModel::build(&groups, q, c, open, cache, &BrowserLowercase))
                .unwrap_or_default()
        };
        Shared::new(slots.with(|s| query.with(|q| collapsed.with(|c| open_folds.with(|o| build(s, q, c, o))))))
    });
    watch_print_mode(printing);

    // Every group known and loaded, and not one line: say so instead of an empty table.
    let is_empty = Memo::new(move |_| !listing.get() && model.with(|m| m.has_no_charges()));
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
                let lines = arrived.with(|a| m.lines_so_far(a));
                let text = fill(
                    t.loading_progress,
                    &[&f.count(m.settled_groups()), &f.count(m.groups), &t.line_count(&f, lines)],
                );
                view! {
                    <div class="bw-progress" part="progress">
                        <progress max=m.groups.max(1) value=m.settled_groups() aria-label=text.clone()></progress>
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
                    <ChargesTable invoice=invoice.clone() slots=slots arrived=arrived model=model query=query collapsed=collapsed open_folds=open_folds printing=printing on_retry=on_retry />
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
