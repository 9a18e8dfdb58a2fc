//! The invoice's totals: the shown lines excluding VAT, VAT per rate, the total, the invoiced
//! amount, and any difference between the lines and the invoiced amount, stated and explained.

use crate::format::i18n::fill;
use crate::model::charges_table::{ShownTotals, TableModel};
use crate::model::LineQuery;
use crate::views::common::i18n::use_i18n;
use crate::views::common::shared::Shared;
use crate::views::common::status::incomplete_note;
use billing_contract::{Decimal, Invoice};
use leptos::prelude::*;
use std::sync::Arc;

/// Totals of what the table shows, and the reconciliation once every group has loaded.
#[component]
pub(crate) fn InvoiceSummary(
    invoice: Arc<Invoice>,
    model: Memo<Shared<TableModel>>,
    query: RwSignal<LineQuery>,
) -> impl IntoView {
    let i18n = use_i18n();
    let (t, f) = (i18n.texts(), i18n.formatter());
    let currency = invoice.currency_code().to_owned();
    move || {
        let m = model.get();
        let q = query.get();
        let filtered = q.is_filtered();
        // Each sum is checked: amounts beyond a decimal are said in words, not a panic.
        let Ok(ShownTotals { shown: totals, vat, all_lines, reconciliation }) = m.totals(invoice.invoice_amount) else {
            return view! { <p class="bw-error" role="alert">{t.too_large}</p> }.into_any();
        };
        let settled = m.is_settled();
        let complete = m.is_complete();
        let row = |label: String, value: Decimal, class: &'static str| {
            view! {
                <tr class=class>
                    <th scope="row">{label}</th>
                    <td class="bw-num">{f.money(value, &currency)}</td>
                </tr>
            }
        };
        let vat_rows = vat
            .into_iter()
            .map(|v| row(fill(t.vat_on, &[&f.rate(v.rate), &f.money(v.base, &currency)]), v.vat, "bw-vat"))
            .collect_view();
        let difference = reconciliation.difference().filter(|d| complete && !d.is_zero());
        let caption =
            if filtered { fill(t.totals_caption_filtered, &[q.filter.trim()]) } else { t.totals_caption.to_owned() };
        // Lines that could not be read are in no total: say so, whatever else is said.
        let incomplete = (m.unreadable_lines > 0).then(|| {
            let text = fill(t.totals_incomplete, &[&f.count(m.unreadable_lines)]);
            incomplete_note(text)
        });
        let note = if !settled {
            Some(view! { <p class="bw-note" role="note">{t.totals_loading}</p> }.into_any())
        } else if !complete {
            Some(view! { <p class="bw-note bw-note-warning" role="note">{t.totals_partial}</p> }.into_any())
        } else if let Some(d) = difference {
            let text = fill(t.difference_explained, &[&f.money(d, &currency)]);
            Some(
                view! { <p class="bw-note bw-note-warning" role="note"><span aria-hidden="true">"⚠ "</span>{text}</p> }
                    .into_any(),
            )
        } else if reconciliation.is_reconciled() && m.unreadable_lines == 0 {
            Some(
                view! { <p class="bw-note bw-note-ok"><span aria-hidden="true">"✓ "</span>{t.reconciled}</p> }
                    .into_any(),
            )
        } else {
            None
        };
        view! {
            <table class="bw-table bw-summary" part="totals">
                <caption>{caption}</caption>
                <tbody>
                    {row((if filtered { t.shown_excl_vat } else { t.subtotal_excl_vat }).to_owned(), totals.amount, "bw-sum")}
                    {vat_rows}
                    {row((if filtered { t.shown_incl_vat } else { t.total_incl_vat }).to_owned(), totals.total, "bw-total")}
                    {filtered.then(|| row(t.invoice_total_all_lines.to_owned(), all_lines, "bw-all-lines"))}
                    {invoice.invoice_amount.map(|a| row(t.invoiced_amount.to_owned(), a, "bw-invoiced"))}
                    {difference.map(|d| row(t.difference.to_owned(), d, "bw-difference"))}
                </tbody>
            </table>
            {incomplete}
            {note}
        }
        .into_any()
    }
}
