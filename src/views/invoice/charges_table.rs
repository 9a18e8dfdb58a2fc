//! The charges table: one row group per group of charges, sortable columns (APG sortable
//! table), repeated identical charges folded into one row with a disclosure button (APG
//! disclosure), and, for large invoices, a sized scroll container that keeps only the rows in
//! view in the DOM (with `aria-rowcount` and `aria-rowindex`).

use crate::api::invoice_loader::{GroupSlot, SlotState};
use crate::format::{i18n::fill, Formatter, Texts};
use crate::model::charges_table::{is_virtualized, rendered_rows, FoldId, TableModel};
use crate::model::folding::Fold;
use crate::model::invoice::{is_credit, is_proration};
use crate::model::rows::Row;
use crate::model::{GroupKind, LineQuery, SortColumn, SortDirection};
use crate::views::common::i18n::use_i18n;
use crate::views::common::shared::Shared;
use crate::views::common::status::{describe, raw_details, Described};
use crate::views::common::virtual_rows::{observe_height, set_if_changed, spacer};
use billing_contract::{Invoice, InvoiceLine};
use leptos::prelude::*;
use std::collections::HashSet;
use std::sync::Arc;
use wasm_bindgen::JsCast;

/// Row height assumed until one is measured, in pixels.
const DEFAULT_ROW_HEIGHT: f64 = 33.0;
/// Columns of the table.
const COLUMNS: usize = 9;

/// The table of charges. See the module docs.
#[component]
pub(crate) fn ChargesTable(
    invoice: Arc<Invoice>,
    slots: Signal<Vec<GroupSlot>>,
    arrived: Signal<Vec<usize>>,
    model: Memo<Shared<TableModel>>,
    query: RwSignal<LineQuery>,
    collapsed: RwSignal<HashSet<usize>>,
    open_folds: RwSignal<HashSet<FoldId>>,
    printing: RwSignal<bool>,
    on_retry: Option<Callback<usize>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let (t, formatter) = (i18n.texts(), i18n.formatter());
    let container = NodeRef::<leptos::html::Div>::new();
    let scroll_top = RwSignal::new(0.0f64);
    let viewport = RwSignal::new(600.0f64);
    let row_height = RwSignal::new(DEFAULT_ROW_HEIGHT);
    let virtualized = Memo::new(move |_| is_virtualized(model.with(|m| m.rows.len()), printing.get()));
    let range = Memo::new(move |_| {
        let rows = model.with(|m| m.rows.len());
        rendered_rows(rows, virtualized.get(), row_height.get(), scroll_top.get(), viewport.get())
    });

    // Measure a line row once rows are in the DOM (rows have one fixed height).
    Effect::new(move |_| {
        range.track();
        if !virtualized.get() {
            return;
        }
        if let Some(Ok(Some(row))) = container.get().map(|c| c.query_selector("tr.bw-line, tr.bw-fold")) {
            set_if_changed(row_height, row.get_bounding_client_rect().height());
        }
    });
    observe_height(container, viewport);
    // A new filter starts at the top, where the first matches are.
    Effect::new(move |previous: Option<String>| {
        let filter = query.with(|q| q.filter.clone());
        if previous.is_some_and(|p| p != filter) {
            if let Some(element) = container.get_untracked() {
                element.set_scroll_top(0);
                scroll_top.set(0.0);
            }
        }
        filter
    });

    let header_cells = SortColumn::ALL
        .into_iter()
        .map(|column| {
            let sorted = move || query.with(|q| q.sort.filter(|(c, _)| *c == column).map(|(_, d)| d));
            view! {
                <th scope="col" class:bw-num=column.is_numeric() aria-sort=move || sorted().map(|d| match d {
                    SortDirection::Ascending => "ascending",
                    SortDirection::Descending => "descending",
                })>
                    <button type="button" class="bw-sort" on:click=move |_| query.update(|q| *q = q.toggled(column))>
                        {column_label(t, column)}
                        <span class="bw-sort-icon" aria-hidden="true">{move || match sorted() {
                            Some(SortDirection::Ascending) => "▲",
                            Some(SortDirection::Descending) => "▼",
                            None => "↕",
                        }}</span>
                    </button>
                </th>
            }
        })
        .collect_view();

    let currency = invoice.currency_code().to_owned();
    let caption = format!("{} ({currency})", fill(t.charges_caption, &[&invoice.invoice_no]));
    let body = move || {
        let m = model.get();
        let slots = slots.get();
        let filtered = query.with(LineQuery::is_filtered);
        let rows = range.get();
        let height = row_height.get_untracked();
        let ctx = RowContext {
            t,
            f: &formatter,
            model: &m,
            slots: &slots,
            arrived,
            collapsed,
            open_folds,
            container,
            on_retry,
            filtered,
        };
        let mut views: Vec<AnyView> = Vec::new();
        if virtualized.get() && rows.start > 0 {
            views.push(spacer(rows.start as f64 * height, COLUMNS));
        }
        let mut index = rows.start;
        while index < rows.end {
            let group = m.rows.get(index).map(Row::group);
            let mut segment = Vec::new();
            while index < rows.end && m.rows.get(index).map(Row::group) == group {
                if let Some(row) = m.rows.get(index) {
                    segment.push(ctx.render(*row, index));
                }
                index += 1;
            }
            views.push(view! { <tbody class="bw-group" part="charge-group">{segment}</tbody> }.into_any());
        }
        if virtualized.get() && rows.end < m.rows.len() {
            views.push(spacer((m.rows.len() - rows.end) as f64 * height, COLUMNS));
        }
        views
    };

    view! {
        <div
            class="bw-table-scroll bw-charges-scroll"
            class:bw-virtual=move || virtualized.get()
            node_ref=container
            tabindex="0"
            role="region"
            aria-label=fill(t.charges_region, &[&invoice.invoice_no])
            part="charges"
            on:scroll=move |ev| scroll_top.set(f64::from(event_target::<web_sys::Element>(&ev).scroll_top()))
        >
            <table class="bw-table bw-charges" aria-rowcount=move || (model.with(|m| m.rows.len()) + 1).to_string()>
                <caption>{caption}<span class="bw-visually-hidden">{t.sortable_hint}</span></caption>
                <colgroup>
                    <col class="bw-col-product" /><col class="bw-col-description" /><col class="bw-col-period" />
                    <col class="bw-col-qty" /><col class="bw-col-money" /><col class="bw-col-money" />
                    <col class="bw-col-rate" /><col class="bw-col-money" /><col class="bw-col-money" />
                </colgroup>
                <thead><tr aria-rowindex="1">{header_cells}</tr></thead>
                {body}
            </table>
        </div>
    }
}

fn column_label(t: &Texts, column: SortColumn) -> &'static str {
    match column {
        SortColumn::Product => t.col_product,
        SortColumn::Description => t.col_description,
        SortColumn::Period => t.col_period,
        SortColumn::Quantity => t.col_quantity,
        SortColumn::UnitPrice => t.col_unit_price,
        SortColumn::Amount => t.col_amount_excl,
        SortColumn::VatRate => t.col_vat_rate,
        SortColumn::Vat => t.col_vat,
        SortColumn::Total => t.col_amount_incl,
    }
}

/// A group's name: "Customer-level charges" or "Subscription 4670… – description".
pub(crate) fn group_title(t: &Texts, kind: &GroupKind) -> String {
    match kind {
        GroupKind::Customer => t.customer_charges.to_owned(),
        GroupKind::Subscription { subscription_no, description } => {
            let name = fill(t.subscription, &[subscription_no]);
            match description {
                Some(d) if !d.is_empty() => format!("{name} – {d}"),
                _ => name,
            }
        }
    }
}

/// What rendering one row needs.
struct RowContext<'a> {
    t: &'static Texts,
    f: &'a Formatter,
    model: &'a TableModel,
    slots: &'a [GroupSlot],
    arrived: Signal<Vec<usize>>,
    collapsed: RwSignal<HashSet<usize>>,
    open_folds: RwSignal<HashSet<FoldId>>,
    container: NodeRef<leptos::html::Div>,
    on_retry: Option<Callback<usize>>,
    filtered: bool,
}

impl RowContext<'_> {
    fn render(&self, row: Row, index: usize) -> AnyView {
        let row_index = (index + 2).to_string();
        let slot_index = self.model.visible.get(row.group()).copied().unwrap_or_default();
        let Some(slot) = self.slots.get(slot_index) else { return ().into_any() };
        let shown = self.model.shown.get(slot_index).and_then(Option::as_ref);
        let t = self.t;
        match row {
            Row::GroupHead { .. } => {
                let expanded = !self.collapsed.with_untracked(|c| c.contains(&slot_index));
                let collapsed = self.collapsed;
                let count = match shown {
                    Some(s) if s.lines.len() != s.group.lines.len() => {
                        format!("{} / {}", self.f.count(s.lines.len()), t.line_count(self.f, s.group.lines.len()))
                    }
                    Some(s) => t.line_count(self.f, s.lines.len()),
                    None => String::new(),
                };
                view! {
                    <tr class="bw-group-head" aria-rowindex=row_index>
                        <th scope="rowgroup" colspan=COLUMNS>
                            <button
                                type="button"
                                class="bw-toggle"
                                aria-expanded=expanded.to_string()
                                on:click=move |_| collapsed.update(|c| {
                                    if !c.remove(&slot_index) {
                                        c.insert(slot_index);
                                    }
                                })
                            >
                                <span class="bw-chevron" aria-hidden="true">{if expanded { "▾" } else { "▸" }}</span>
                                <span class="bw-group-title">{group_title(t, &slot.kind)}</span>
                            </button>
                            <span class="bw-count">{count}</span>
                        </th>
                    </tr>
                }
                .into_any()
            }
            Row::Line { line, .. } | Row::FoldLine { line, .. } => {
                let in_fold = matches!(row, Row::FoldLine { .. });
                match shown.and_then(|s| s.group.lines.get(line)) {
                    Some(line) => line_row(t, self.f, line, row_index, in_fold),
                    None => ().into_any(),
                }
            }
            Row::Fold { fold, open, .. } => {
                let fold = self.model.fold(slot_index, fold);
                match (fold, shown) {
                    (Some(fold), Some(shown)) => self.fold_row(fold, &shown.group.lines, slot_index, open, row_index),
                    _ => ().into_any(),
                }
            }
            Row::GroupStatus { .. } => {
                let status = match &slot.state {
                    SlotState::Loading => {
                        let (arrived, f) = (self.arrived, self.f.clone());
                        let so_far = move || arrived.with(|a| a.get(slot_index).copied().unwrap_or(0));
                        view! {
                            <span class="bw-spinner" aria-hidden="true"></span>
                            {move || fill(t.loading_lines_so_far, &[&f.count(so_far())])}
                        }
                        .into_any()
                    }
                    SlotState::Failed(error) => {
                        let Described { title, detail, raw, id: instance, .. } = describe(t, error);
                        let retry = self.on_retry.filter(|_| error.may_pass_on_retry());
                        view! {
                            <span class="bw-error-inline" role="alert">
                                {t.group_failed}" "<strong>{title}</strong>
                                {detail.map(|d| format!(" – {d}"))}
                                {instance.map(|i| view! { " · "{t.error_id}": "<code class="bw-instance">{i}</code> })}
                            </span>
                            {raw_details(t, raw)}
                            {retry.map(|retry| view! {
                                " "<button type="button" class="bw-button bw-link" on:click=move |_| retry.run(slot_index)>{t.retry}</button>
                            })}
                        }
                        .into_any()
                    }
                    SlotState::Ready(_) => ().into_any(),
                };
                view! {
                    <tr class="bw-group-status" aria-rowindex=row_index>
                        <td colspan=COLUMNS>{status}</td>
                    </tr>
                }
                .into_any()
            }
            Row::Subtotal { .. } => {
                let Some(totals) = shown.map(|s| s.totals) else { return ().into_any() };
                let label = if self.filtered { t.shown_excl_vat } else { t.subtotal };
                // Lines the API sent that could not be read: said where they belong, not dropped.
                let unreadable = shown
                    .into_iter()
                    .flat_map(|s| s.group.unreadable.iter())
                    .map(|u| {
                        let text = fill(t.line_unreadable, &[&self.f.count(u.position + 1)]);
                        view! {
                            <tr class="bw-unreadable">
                                <td colspan=COLUMNS>
                                    <span aria-hidden="true">"⚠ "</span>{text}{raw_details(t, Some(u.reason.clone()))}
                                </td>
                            </tr>
                        }
                    })
                    .collect_view();
                let Ok(totals) = totals else {
                    return view! {
                        {unreadable}
                        <tr class="bw-subtotal" aria-rowindex=row_index>
                            <th scope="row" colspan="5">{label}" – "{group_title(t, &slot.kind)}</th>
                            <td colspan="4" class="bw-error" role="alert">{t.too_large}</td>
                        </tr>
                    }
                    .into_any();
                };
                view! {
                    {unreadable}
                    <tr class="bw-subtotal" aria-rowindex=row_index>
                        <th scope="row" colspan="5">{label}" – "{group_title(t, &slot.kind)}</th>
                        <td class="bw-num" data-label=t.col_amount_excl>{self.f.amount(totals.amount)}</td>
                        <td></td>
                        <td class="bw-num" data-label=t.col_vat>{self.f.amount(totals.vat)}</td>
                        <td class="bw-num" data-label=t.col_amount_incl>{self.f.amount(totals.total)}</td>
                    </tr>
                }
                .into_any()
            }
        }
    }
}

impl RowContext<'_> {
    /// A fold of identical charges: "41 × description" on its disclosure button, their shared
    /// unit price, rate (if shared) and period, and their summed quantity and amounts.
    fn fold_row(&self, fold: &Fold, lines: &[InvoiceLine], group: usize, open: bool, row_index: String) -> AnyView {
        let (t, f) = (self.t, self.f);
        let Some(first) = fold.lines.first().and_then(|&i| lines.get(i)) else { return ().into_any() };
        let id = FoldId { group, anchor: fold.anchor() };
        let key = format!("{group}-{}", id.anchor);
        let count = f.count(fold.lines.len());
        let (open_folds, container) = (self.open_folds, self.container);
        let refocus = key.clone();
        let toggle = move |_| {
            open_folds.update(|o| {
                if !o.remove(&id) {
                    o.insert(id);
                }
            });
            // The rows are drawn again: keep the keyboard on this fold's button.
            let refocus = refocus.clone();
            request_animation_frame(move || focus_fold(container, &refocus));
        };
        let credit = fold.totals.total < billing_contract::Decimal::ZERO;
        let proration = fold.lines.iter().filter_map(|&i| lines.get(i)).all(is_proration);
        let description = view! {
            <button type="button" class="bw-fold-toggle" data-fold=key aria-expanded=open.to_string() on:click=toggle>
                <span class="bw-chevron" aria-hidden="true">{if open { "▾" } else { "▸" }}</span>
                {fill(t.fold_row, &[&count, &first.description])}
                <span class="bw-visually-hidden">", "{fill(t.fold_lines, &[&count])}</span>
            </button>
        };
        let cells = [
            first.product_no.clone(),
            period(f, first),
            f.quantity(fold.quantity),
            f.price(first.unit_price),
            f.amount(fold.totals.amount),
            fold.vat_rate.map(|r| f.rate(r)).unwrap_or_default(),
            f.amount(fold.totals.vat),
            f.amount(fold.totals.total),
        ];
        let row = Charge { class: "bw-fold", credit, proration, title: first.description.clone(), row_index };
        charge_row(t, row, description.into_any(), cells)
    }
}

/// Puts the focus on the disclosure button of the fold `key`, if it is drawn (and the table
/// still there: it may have gone before the frame).
fn focus_fold(container: NodeRef<leptos::html::Div>, key: &str) {
    let button = container
        .try_get_untracked()
        .flatten()
        .and_then(|c| c.query_selector(&format!("[data-fold=\"{key}\"]")).ok().flatten());
    if let Some(button) = button.and_then(|b| b.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = button.focus();
    }
}

fn period(f: &Formatter, line: &InvoiceLine) -> String {
    match (line.period_start, line.period_end) {
        (Some(a), Some(b)) if a == b => f.date(a),
        (Some(a), Some(b)) => format!("{} – {}", f.date(a), f.date(b)),
        (Some(d), None) | (None, Some(d)) => f.date(d),
        (None, None) => String::new(),
    }
}

/// A line's row; `in_fold` marks a line shown under its open fold.
fn line_row(t: &'static Texts, f: &Formatter, line: &InvoiceLine, row_index: String, in_fold: bool) -> AnyView {
    let cells = [
        line.product_no.clone(),
        period(f, line),
        f.quantity(line.quantity),
        f.price(line.unit_price),
        f.amount(line.amount),
        f.rate(line.vat_rate),
        f.amount(line.vat_amount),
        f.amount(line.total_amount),
    ];
    let class = if in_fold { "bw-line bw-fold-line" } else { "bw-line" };
    let row = Charge {
        class,
        credit: is_credit(line),
        proration: is_proration(line),
        title: line.description.clone(),
        row_index,
    };
    charge_row(t, row, line.description.clone().into_any(), cells)
}

/// What a charge's row (a line or a fold) is besides its cells.
struct Charge {
    class: &'static str,
    credit: bool,
    proration: bool,
    title: String,
    row_index: String,
}

/// A charge's row: `description`, then its tags, in the description cell; `cells` are product,
/// period, quantity, unit price, amount, VAT rate, VAT and total.
fn charge_row(t: &'static Texts, row: Charge, description: AnyView, cells: [String; 8]) -> AnyView {
    let [product, period, quantity, price, amount, rate, vat, total] = cells;
    let Charge { class, credit, proration, title, row_index } = row;
    view! {
        <tr class=class class:bw-credit=credit aria-rowindex=row_index>
            <td class="bw-product" data-label=t.col_product>{product}</td>
            <td class="bw-description" data-label=t.col_description title=title>
                {description}
                {credit.then(|| view! { " "<span class="bw-tag">{t.credit}</span> })}
                {proration.then(|| view! { " "<span class="bw-tag bw-tag-muted">{t.proration}</span> })}
            </td>
            <td class="bw-period" data-label=t.col_period>{period}</td>
            <td class="bw-num" data-label=t.col_quantity>{quantity}</td>
            <td class="bw-num" data-label=t.col_unit_price>{price}</td>
            <td class="bw-num" data-label=t.col_amount_excl>{amount}</td>
            <td class="bw-num" data-label=t.col_vat_rate>{rate}</td>
            <td class="bw-num" data-label=t.col_vat>{vat}</td>
            <td class="bw-num" data-label=t.col_amount_incl>{total}</td>
        </tr>
    }
    .into_any()
}
