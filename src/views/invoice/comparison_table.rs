//! A comparison of two invoices, rendered: the summary sentence, the difference per kind of
//! change, and every change per group in a table that keeps only the rows in view in the DOM
//! (the same virtual window as the charges table).

use crate::format::{i18n::fill, Formatter, Texts};
use crate::model::charges_table::{is_virtualized, rendered_rows};
use crate::model::comparison::{ChangeKind, ChargeSum, Comparison, GroupPresence, LineChange};
use crate::model::comparison_rows::{comparison_rows, ComparisonRow};
use crate::model::csv::{comparison_csv, ComparisonCsvLabels};
use crate::views::common::download::save_text_file;
use crate::views::common::i18n::use_i18n;
use crate::views::common::mode::Mode;
use crate::views::common::virtual_rows::{observe_height, set_if_changed, spacer};
use crate::views::invoice::charges_table::group_title;
use billing_contract::{Decimal, Invoice};
use leptos::prelude::*;
use std::sync::Arc;

/// Row height assumed until one is measured, in pixels.
const DEFAULT_ROW_HEIGHT: f64 = 33.0;

/// Two invoices and their comparison, ready to show.
#[derive(Clone, Debug)]
pub struct Compared {
    /// The older invoice (compared with).
    pub before: Arc<Invoice>,
    /// The newer invoice.
    pub now: Arc<Invoice>,
    /// Their charges compared.
    pub comparison: Arc<Comparison>,
}

/// The word for a kind of change.
pub fn change_label(t: &Texts, kind: ChangeKind) -> &'static str {
    match kind {
        ChangeKind::New => t.change_new,
        ChangeKind::Ended => t.change_ended,
        ChangeKind::PriceChange => t.change_price,
        ChangeKind::QuantityChange => t.change_quantity,
        ChangeKind::ProrationOrCredit => t.change_proration,
        ChangeKind::OneOff => t.change_one_off,
        ChangeKind::Usage => t.change_usage,
        ChangeKind::AmountChange => t.change_amount,
    }
}

/// The summary sentence: in CRM, by invoice number ("Invoice 603012: 1 884,92 kr, 254,42 kr
/// more than invoice 603006."); in self-service, by date, in the customer's words.
pub fn summary_sentence(t: &Texts, f: &Formatter, compared: &Compared, mode: Mode) -> String {
    let Compared { before, now, comparison } = compared;
    let currency = now.currency_code();
    let money = |d: Decimal| f.money(d, currency);
    let (amount, previous) = (comparison.amount_now(), comparison.amount_before());
    let difference = comparison.difference().unwrap_or(Decimal::ZERO);
    let date = |i: &Invoice| i.invoice_date.map(|d| f.date(d)).unwrap_or_else(|| i.invoice_no.clone());
    match mode {
        Mode::Crm => {
            let (now_no, before_no) = (now.invoice_no.as_str(), before.invoice_no.as_str());
            if difference > Decimal::ZERO {
                fill(t.compare_more, &[now_no, &money(amount), &money(difference), before_no])
            } else if difference < Decimal::ZERO {
                fill(t.compare_less, &[now_no, &money(amount), &money(-difference), before_no])
            } else {
                fill(t.compare_same, &[now_no, &money(amount), before_no])
            }
        }
        Mode::SelfService => {
            let (now_date, before_date) = (date(now), date(before));
            if difference > Decimal::ZERO {
                fill(
                    t.ss_compare_more,
                    &[&now_date, &money(difference), &before_date, &money(amount), &money(previous)],
                )
            } else if difference < Decimal::ZERO {
                fill(
                    t.ss_compare_less,
                    &[&now_date, &money(-difference), &before_date, &money(amount), &money(previous)],
                )
            } else {
                fill(t.ss_compare_same, &[&now_date, &before_date, &money(amount)])
            }
        }
    }
}

/// A comparison: the summary first, then the difference per kind, then each change per group.
///
/// - `compared`: the two invoices and their comparison.
/// - `mode`: CRM shows product numbers and invoice numbers; self-service speaks of dates.
#[component]
pub fn ComparisonTable(compared: Compared, #[prop(optional)] mode: Mode) -> impl IntoView {
    let i18n = use_i18n();
    let (t, f) = (i18n.texts(), i18n.formatter());
    let comparison = compared.comparison.clone();
    let currency = compared.now.currency_code().to_owned();
    let summary = summary_sentence(t, &f, &compared, mode);
    let unexplained = comparison.unexplained().ok().filter(|d| !d.is_zero()).map(|d| {
        view! { <p class="bw-note bw-compare-unexplained">{fill(t.compare_unexplained, &[&f.money(d, &currency)])}</p> }
    });
    let kinds = comparison.by_kind().map_or_else(
        |_| view! { <p class="bw-error" role="alert">{t.too_large}</p> }.into_any(),
        |kinds| kinds_table(t, &f, &currency, &kinds).into_any(),
    );
    let download = {
        let (comparison, f) = (comparison.clone(), f.clone());
        let name = format!("invoice-{}-compared-with-{}.csv", compared.now.invoice_no, compared.before.invoice_no);
        move |_| {
            let kind = |k: ChangeKind| change_label(t, k);
            let labels = ComparisonCsvLabels {
                headings: [
                    t.col_group,
                    t.col_subscription,
                    t.col_change,
                    t.col_product,
                    t.col_description,
                    t.col_quantity,
                    t.col_unit_price,
                    t.col_before,
                    t.col_quantity,
                    t.col_unit_price,
                    t.col_now,
                    t.col_difference,
                ],
                customer_level: t.customer_charges,
                kind: &kind,
            };
            let csv = comparison_csv(&comparison, &labels, f.decimal_separator());
            // A refused download leaves the page as it was; there is nothing to undo.
            let _ = save_text_file(&name, "text/csv;charset=utf-8", &csv);
        }
    };
    let caption = fill(t.compare_caption, &[&compared.before.invoice_no, &compared.now.invoice_no]);
    view! {
        <p class="bw-compare-summary" role="status">{summary}</p>
        {unexplained}
        {kinds}
        <div class="bw-toolbar" part="toolbar">
            <span class="bw-toolbar-gap"></span>
            <button type="button" class="bw-button bw-secondary" data-action="compare-csv" on:click=download>{t.download_csv}</button>
        </div>
        <ChangesTable comparison=comparison currency=currency caption=caption mode=mode />
    }
}

/// The short table of the difference per kind of change.
fn kinds_table(
    t: &'static Texts,
    f: &Formatter,
    currency: &str,
    kinds: &[(ChangeKind, usize, Decimal)],
) -> impl IntoView {
    let rows = kinds
        .iter()
        .map(|(kind, count, sum)| {
            view! {
                <tr>
                    <th scope="row">{change_label(t, *kind)}</th>
                    <td class="bw-num">{f.count(*count)}</td>
                    <td class="bw-num">{signed(f, *sum, currency)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="bw-table bw-compare-kinds">
            <caption>{t.compare_kinds_caption}</caption>
            <thead>
                <tr>
                    <th scope="col">{t.col_change}</th>
                    <th scope="col" class="bw-num">{t.col_count}</th>
                    <th scope="col" class="bw-num">{t.col_difference}</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

/// An amount with its sign always written: a difference reads "+254,42 kr" or "−12,50 kr".
fn signed(f: &Formatter, amount: Decimal, currency: &str) -> String {
    let text = f.money(amount, currency);
    if amount > Decimal::ZERO {
        format!("+{text}")
    } else {
        text
    }
}

/// The changes, group by group, virtualized above the same row count as the charges table.
#[component]
fn ChangesTable(comparison: Arc<Comparison>, currency: String, caption: String, mode: Mode) -> impl IntoView {
    let i18n = use_i18n();
    let (t, f) = (i18n.texts(), i18n.formatter());
    let rows = Arc::new(comparison_rows(&comparison));
    let columns = if mode == Mode::Crm { 6 } else { 5 };
    let container = NodeRef::<leptos::html::Div>::new();
    let scroll_top = RwSignal::new(0.0f64);
    let viewport = RwSignal::new(600.0f64);
    let row_height = RwSignal::new(DEFAULT_ROW_HEIGHT);
    let virtualized = is_virtualized(rows.len(), false);
    let range = {
        let rows = rows.len();
        Memo::new(move |_| rendered_rows(rows, virtualized, row_height.get(), scroll_top.get(), viewport.get()))
    };
    // Measure a change row once rows are in the DOM (rows have one fixed height).
    Effect::new(move |_| {
        range.track();
        if let Some(Ok(Some(row))) = container.get().map(|c| c.query_selector("tr.bw-change")) {
            set_if_changed(row_height, row.get_bounding_client_rect().height());
        }
    });
    observe_height(container, viewport);
    let body = {
        let rows = rows.clone();
        move || {
            let shown = range.get();
            let height = row_height.get_untracked();
            let ctx = ChangeRows { t, f: &f, comparison: &comparison, currency: &currency, mode, columns };
            let mut views: Vec<AnyView> = Vec::new();
            if virtualized && shown.start > 0 {
                views.push(spacer(shown.start as f64 * height, columns));
            }
            let rendered = rows
                .get(shown.clone())
                .unwrap_or_default()
                .iter()
                .enumerate()
                .map(|(i, row)| ctx.render(*row, shown.start + i));
            views.push(view! { <tbody>{rendered.collect::<Vec<_>>()}</tbody> }.into_any());
            if virtualized && shown.end < rows.len() {
                views.push(spacer((rows.len() - shown.end) as f64 * height, columns));
            }
            views
        }
    };
    let product_column = (mode == Mode::Crm).then(|| view! { <th scope="col">{t.col_product}</th> });
    view! {
        <div
            class="bw-table-scroll bw-compare-scroll"
            class:bw-virtual=virtualized
            node_ref=container
            tabindex="0"
            role="region"
            aria-label=t.compare_region
            on:scroll=move |ev| scroll_top.set(f64::from(event_target::<web_sys::Element>(&ev).scroll_top()))
        >
            <table class="bw-table bw-compare-changes" aria-rowcount=(rows.len() + 1).to_string()>
                <caption>{caption}</caption>
                <thead>
                    <tr aria-rowindex="1">
                        <th scope="col">{t.col_change}</th>
                        {product_column}
                        <th scope="col">{t.col_description}</th>
                        <th scope="col" class="bw-num">{t.col_before}</th>
                        <th scope="col" class="bw-num">{t.col_now}</th>
                        <th scope="col" class="bw-num">{t.col_difference}</th>
                    </tr>
                </thead>
                {body}
            </table>
        </div>
    }
}

/// What rendering one row of the changes table needs.
struct ChangeRows<'a> {
    t: &'static Texts,
    f: &'a Formatter,
    comparison: &'a Comparison,
    currency: &'a str,
    mode: Mode,
    columns: usize,
}

impl ChangeRows<'_> {
    fn render(&self, row: ComparisonRow, index: usize) -> AnyView {
        let (t, f) = (self.t, self.f);
        let row_index = (index + 2).to_string();
        let Some(group) = self.comparison.groups.get(row.group()) else { return ().into_any() };
        match row {
            ComparisonRow::Group { .. } => {
                let presence = match group.presence {
                    GroupPresence::Both => None,
                    GroupPresence::Added => Some(t.group_added),
                    GroupPresence::Gone => Some(t.group_gone),
                };
                let difference = group.difference().map(|d| signed(f, d, self.currency)).unwrap_or_default();
                view! {
                    <tr class="bw-group-head bw-compare-group" aria-rowindex=row_index>
                        <th scope="rowgroup" colspan=self.columns - 3>
                            <span class="bw-group-title">{group_title(t, &group.kind)}</span>
                            {presence.map(|p| view! { " "<span class="bw-tag">{p}</span> })}
                        </th>
                        <td class="bw-num" data-label=t.col_before>{f.money(group.before.total, self.currency)}</td>
                        <td class="bw-num" data-label=t.col_now>{f.money(group.now.total, self.currency)}</td>
                        <td class="bw-num" data-label=t.col_difference>{difference}</td>
                    </tr>
                }
                .into_any()
            }
            ComparisonRow::Unchanged { .. } => view! {
                <tr class="bw-compare-unchanged" aria-rowindex=row_index>
                    <td colspan=self.columns>{t.group_unchanged}</td>
                </tr>
            }
            .into_any(),
            ComparisonRow::Change { index: position, .. } => match group.changes.get(position) {
                Some(change) => self.change_row(change, row_index).into_any(),
                None => ().into_any(),
            },
        }
    }

    fn change_row(&self, change: &LineChange, row_index: String) -> impl IntoView {
        let (t, f) = (self.t, self.f);
        let side = |sum: &Option<ChargeSum>| {
            sum.as_ref().map(|s| {
                let detail =
                    s.unit_price.map(|p| fill(t.quantity_times_price, &[&f.quantity(s.quantity), &f.price(p)]));
                view! {
                    {f.money(s.totals.total, self.currency)}
                    {detail.map(|d| view! { <span class="bw-compare-detail">{d}</span> })}
                }
            })
        };
        let difference = change.difference().map(|d| signed(f, d, self.currency)).unwrap_or_default();
        let product = (self.mode == Mode::Crm)
            .then(|| view! { <td class="bw-product" data-label=t.col_product>{change.product_no.clone()}</td> });
        view! {
            <tr class="bw-change" data-kind=change_kind_name(change.kind) aria-rowindex=row_index>
                <td class="bw-change-kind">{change_label(t, change.kind)}</td>
                {product}
                <td class="bw-description" data-label=t.col_description title=change.description.clone()>
                    {change.description.clone()}
                </td>
                <td class="bw-num" data-label=t.col_before>{side(&change.before)}</td>
                <td class="bw-num" data-label=t.col_now>{side(&change.now)}</td>
                <td class="bw-num" data-label=t.col_difference>{difference}</td>
            </tr>
        }
    }
}

/// A stable, language-free name of a kind of change (for styling and tests).
fn change_kind_name(kind: ChangeKind) -> &'static str {
    match kind {
        ChangeKind::New => "new",
        ChangeKind::Ended => "ended",
        ChangeKind::PriceChange => "price",
        ChangeKind::QuantityChange => "quantity",
        ChangeKind::ProrationOrCredit => "proration-or-credit",
        ChangeKind::OneOff => "one-off",
        ChangeKind::Usage => "usage",
        ChangeKind::AmountChange => "amount",
    }
}
