//! An invoice's header and its charges table: groups with subtotals, VAT per rate, and the
//! reconciliation against the invoiced amount.

use crate::format::{i18n::fill, texts, Formatter, Texts};
use crate::model::invoice::is_credit;
use crate::model::{ChargeGroup, GroupKind, InvoiceDetails};
use billing_contract::{Decimal, InvoiceLine};
use leptos::prelude::*;
use std::sync::Arc;

/// Lines rendered per group before "show more".
const LINES_PER_STEP: usize = 100;
/// Invoices with more lines than this start with their groups collapsed.
const EXPANDED_UP_TO_LINES: usize = 500;
/// Columns of the charges table.
const COLUMNS: usize = 9;

/// The invoice's key facts: number, dates, customer and amount.
///
/// - `details`: the loaded invoice.
/// - `locale`: the viewer's locale.
#[component]
pub fn InvoiceHeader(details: Arc<InvoiceDetails>, #[prop(into)] locale: String) -> impl IntoView {
    let t = texts(&locale);
    let f = Formatter::new(&locale);
    let invoice = &details.invoice;
    let date = |d: Option<billing_contract::Date>| d.map(|d| f.date(d)).unwrap_or_default();
    let amount = invoice.invoice_amount.map(|a| f.money(a, details.currency())).unwrap_or_default();
    view! {
        <header class="bw-invoice-header" part="invoice-header">
            <h2 class="bw-title">{fill(t.invoice, &[&invoice.invoice_no])}</h2>
            <dl class="bw-facts">
                <div><dt>{t.invoice_date}</dt><dd>{date(invoice.invoice_date)}</dd></div>
                <div><dt>{t.due_date}</dt><dd>{date(invoice.due_date)}</dd></div>
                <div><dt>{t.customer}</dt><dd>{invoice.customer_no.clone().unwrap_or_default()}</dd></div>
                <div class="bw-fact-amount"><dt>{t.amount}</dt><dd data-testid="invoice-amount">{amount}</dd></div>
            </dl>
        </header>
    }
}

/// The charges of an invoice: one row group for customer-level charges, then one per
/// subscription, each with a subtotal at its foot; a footer with the subtotal excluding VAT,
/// VAT per rate, the total, and any difference from the invoiced amount, stated and explained.
///
/// - `details`: the loaded invoice.
/// - `locale`: the viewer's locale.
#[component]
pub fn InvoiceTable(details: Arc<InvoiceDetails>, #[prop(into)] locale: String) -> impl IntoView {
    let t = texts(&locale);
    let f = Formatter::new(&locale);
    let totals = details.totals();
    let expanded = totals.lines <= EXPANDED_UP_TO_LINES;
    let caption = fill(t.charges_caption, &[&details.invoice.invoice_no]);
    if details.groups.is_empty() {
        return view! { <p class="bw-empty" role="status">{t.no_charges}</p> }.into_any();
    }
    let groups = details
        .groups
        .iter()
        .cloned()
        .map(|group| view! { <GroupRows group=group formatter=f.clone() initially_expanded=expanded /> })
        .collect_view();
    view! {
        <div class="bw-table-scroll" part="charges">
            <table class="bw-table bw-charges">
                <caption>{caption}" ("{details.currency().to_owned()}")"</caption>
                <thead>
                    <tr>
                        <th scope="col">{t.col_product}</th>
                        <th scope="col">{t.col_description}</th>
                        <th scope="col">{t.col_period}</th>
                        <th scope="col" class="bw-num">{t.col_quantity}</th>
                        <th scope="col" class="bw-num">{t.col_unit_price}</th>
                        <th scope="col" class="bw-num">{t.col_amount_excl}</th>
                        <th scope="col" class="bw-num">{t.col_vat_rate}</th>
                        <th scope="col" class="bw-num">{t.col_vat}</th>
                        <th scope="col" class="bw-num">{t.col_amount_incl}</th>
                    </tr>
                </thead>
                {groups}
                <InvoiceFooter details=details.clone() formatter=f.clone() />
            </table>
        </div>
        <Reconciliation details=details formatter=f />
    }
    .into_any()
}

fn group_title(t: &Texts, group: &ChargeGroup) -> String {
    match &group.kind {
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

/// One group: a header row with its toggle, its lines (step by step), and its subtotal row.
#[component]
fn GroupRows(group: ChargeGroup, formatter: Formatter, initially_expanded: bool) -> impl IntoView {
    let t = texts(formatter.locale());
    let title = group_title(t, &group);
    let body_id = format!("bw-{}", group.key().replace(|c: char| !c.is_ascii_alphanumeric() && c != '-', "_"));
    let count = group.lines.len();
    let expanded = RwSignal::new(initially_expanded);
    let shown = RwSignal::new(LINES_PER_STEP.min(count));
    let lines = Arc::new(group.lines);
    let f = formatter.clone();
    let rows = move || {
        if !expanded.get() {
            return None;
        }
        let visible = shown.get().min(lines.len());
        let rows = lines.iter().take(visible).map(|line| line_row(t, &f, line)).collect_view();
        let remaining = count - visible;
        let more = (remaining > 0).then(|| {
            let step = LINES_PER_STEP.min(remaining);
            view! {
                <tr class="bw-more">
                    <td colspan=COLUMNS>
                        <button type="button" class="bw-button bw-link" on:click=move |_| shown.update(|n| *n += step)>
                            {fill(t.show_more, &[&step.to_string(), &remaining.to_string()])}
                        </button>
                    </td>
                </tr>
            }
        });
        Some((rows, more))
    };
    let toggle_label = move || if expanded.get() { t.collapse_group } else { t.expand_group };
    let subtotal = group.totals;
    let controls = body_id.clone();
    view! {
        <tbody class="bw-group" id=body_id part="charge-group">
            <tr class="bw-group-head">
                <th scope="rowgroup" colspan=COLUMNS>
                    <button
                        type="button"
                        class="bw-toggle"
                        aria-expanded=move || expanded.get().to_string()
                        aria-controls=controls
                        title=toggle_label
                        on:click=move |_| expanded.update(|e| *e = !*e)
                    >
                        <span class="bw-chevron" aria-hidden="true">{move || if expanded.get() { "▾" } else { "▸" }}</span>
                        <span class="bw-group-title">{title.clone()}</span>
                    </button>
                    <span class="bw-count">{t.line_count(count)}</span>
                </th>
            </tr>
            {rows}
            <tr class="bw-subtotal">
                <th scope="row" colspan="5">{t.subtotal}" – "{title}</th>
                <td class="bw-num">{formatter.amount(subtotal.amount)}</td>
                <td></td>
                <td class="bw-num">{formatter.amount(subtotal.vat)}</td>
                <td class="bw-num">{formatter.amount(subtotal.total)}</td>
            </tr>
        </tbody>
    }
}

fn line_row(t: &'static Texts, f: &Formatter, line: &InvoiceLine) -> impl IntoView {
    let credit = is_credit(line);
    let period = match (line.period_start, line.period_end) {
        (Some(a), Some(b)) => format!("{} – {}", f.date(a), f.date(b)),
        (Some(a), None) => f.date(a),
        (None, Some(b)) => f.date(b),
        (None, None) => String::new(),
    };
    view! {
        <tr class:bw-credit=credit>
            <td>{line.product_no.clone()}</td>
            <td>
                {line.description.clone()}
                {credit.then(|| view! { " "<span class="bw-tag">{t.credit}</span> })}
            </td>
            <td class="bw-period">{period}</td>
            <td class="bw-num">{f.quantity(line.quantity)}</td>
            <td class="bw-num">{f.amount(line.unit_price)}</td>
            <td class="bw-num">{f.amount(line.amount)}</td>
            <td class="bw-num">{f.rate(line.vat_rate)}</td>
            <td class="bw-num">{f.amount(line.vat_amount)}</td>
            <td class="bw-num">{f.amount(line.total_amount)}</td>
        </tr>
    }
}

/// The table's footer: subtotal excluding VAT, VAT per rate, total, invoiced amount.
#[component]
fn InvoiceFooter(details: Arc<InvoiceDetails>, formatter: Formatter) -> impl IntoView {
    let t = texts(formatter.locale());
    let currency = details.currency().to_owned();
    let f = formatter;
    let totals = details.totals();
    let reconciliation = details.reconciliation();
    let row = |label: String, value: Decimal, class: &'static str| {
        view! {
            <tr class=class>
                <th scope="row" colspan=COLUMNS - 1>{label}</th>
                <td class="bw-num">{f.money(value, &currency)}</td>
            </tr>
        }
    };
    let vat_rows = details
        .vat_by_rate()
        .into_iter()
        .map(|v| row(fill(t.vat_on, &[&f.rate(v.rate), &f.money(v.base, &currency)]), v.vat, "bw-vat"))
        .collect_view();
    let difference = reconciliation.difference().filter(|d| !d.is_zero());
    view! {
        <tfoot>
            {row(t.subtotal_excl_vat.to_owned(), totals.amount, "bw-sum")}
            {vat_rows}
            {row(t.total_incl_vat.to_owned(), totals.total, "bw-total")}
            {reconciliation.invoice_amount.map(|a| row(t.invoiced_amount.to_owned(), a, "bw-invoiced"))}
            {difference.map(|d| row(t.difference.to_owned(), d, "bw-difference"))}
        </tfoot>
    }
}

/// States whether the lines explain the invoiced amount, and by how much they do not.
#[component]
fn Reconciliation(details: Arc<InvoiceDetails>, formatter: Formatter) -> impl IntoView {
    let t = texts(formatter.locale());
    let reconciliation = details.reconciliation();
    match reconciliation.difference() {
        Some(d) if !d.is_zero() => {
            let text = fill(t.difference_explained, &[&formatter.money(d, details.currency())]);
            Some(
                view! { <p class="bw-note bw-note-warning" role="note"><span aria-hidden="true">"⚠ "</span>{text}</p> }
                    .into_any(),
            )
        }
        Some(_) => Some(
            view! { <p class="bw-note bw-note-ok"><span aria-hidden="true">"✓ "</span>{t.reconciled}</p> }.into_any(),
        ),
        None => None,
    }
}
