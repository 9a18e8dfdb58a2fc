//! An invoice's key facts.

use crate::format::i18n::fill;
use crate::views::common::i18n::use_i18n;
use billing_contract::{Date, Invoice};
use leptos::prelude::*;
use std::sync::Arc;

/// The invoice's number, dates, customer and amount.
///
/// - `invoice`: the invoice.
#[component]
pub fn InvoiceHeader(invoice: Arc<Invoice>) -> impl IntoView {
    let i18n = use_i18n();
    let (t, f) = (i18n.texts(), i18n.formatter());
    let date = |d: Option<Date>| d.map(|d| f.date(d)).unwrap_or_default();
    let currency = invoice.currency_code().to_owned();
    let amount = invoice.invoice_amount.map(|a| f.money(a, &currency)).unwrap_or_default();
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
