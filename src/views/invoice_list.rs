//! A customer's invoices, newest first; choosing one opens it.

use super::{use_load, Load, LoadState};
use crate::api::ApiClient;
use crate::embed::{dispatch, Detail, HostEvent};
use crate::format::{i18n::fill, texts, Formatter};
use billing_contract::Invoice;
use leptos::prelude::*;
use std::sync::Arc;

/// Loads and lists a customer's invoices: number, date, due date and amount.
///
/// - `client`: the API client.
/// - `owner_no`: the ledger.
/// - `customer_no`: the customer; a new number reloads.
/// - `selected`: the number of the invoice shown elsewhere, marked `aria-current`.
/// - `on_open`: called with the invoice the user opens.
/// - `locale`: the viewer's locale.
#[component]
pub fn InvoiceList(
    client: ApiClient,
    #[prop(into)] owner_no: String,
    #[prop(into)] customer_no: Signal<String>,
    #[prop(into)] selected: Signal<Option<String>>,
    on_open: Callback<Invoice>,
    #[prop(into)] locale: String,
) -> impl IntoView {
    let (state, retry) = {
        let owner_no = owner_no.clone();
        use_load(
            move || customer_no.get(),
            move |customer| {
                let client = client.clone();
                let owner = owner_no.clone();
                async move { client.invoices_of_customer(&owner, &customer).await.map(|listing| Arc::new(listing.items)) }
            },
        )
    };
    let root = NodeRef::<leptos::html::Div>::new();
    let tell_host = move |event: HostEvent| {
        if let Some(root) = root.get_untracked() {
            dispatch(&root, &event);
        }
    };
    Effect::new(move |_| match state.get() {
        Load::Ready(invoices) => tell_host(HostEvent::Loaded(
            Detail::new()
                .with("view", "invoice-list")
                .with("customerNo", customer_no.get_untracked())
                .with("invoices", invoices.len()),
        )),
        Load::Failed(error) => tell_host(HostEvent::error("invoice-list", &error)),
        Load::Loading => {}
    });
    let on_open = Callback::new(move |invoice: Invoice| {
        tell_host(HostEvent::InvoiceOpened {
            owner_no: owner_no.clone(),
            customer_no: customer_no.get_untracked(),
            invoice_no: invoice.invoice_no.clone(),
        });
        on_open.run(invoice);
    });
    let t = texts(&locale);
    let f = Formatter::new(&locale);
    let table = move |invoices: Arc<Vec<Invoice>>| {
        if invoices.is_empty() {
            return view! { <p class="bw-empty" role="status">{t.no_invoices}</p> }.into_any();
        }
        let rows = invoices
            .iter()
            .map(|invoice| {
                let number = invoice.invoice_no.clone();
                let current = {
                    let number = number.clone();
                    move || (selected.get().as_deref() == Some(number.as_str())).then_some("true")
                };
                let chosen = invoice.clone();
                let date = |d: Option<billing_contract::Date>| d.map(|d| f.date(d)).unwrap_or_default();
                let amount = invoice.invoice_amount.map(|a| f.money(a, invoice.currency_code())).unwrap_or_default();
                view! {
                    <tr aria-current=current>
                        <th scope="row">
                            <button
                                type="button"
                                class="bw-button bw-link"
                                aria-label=fill(t.open_invoice, &[&number])
                                on:click=move |_| on_open.run(chosen.clone())
                            >
                                {number.clone()}
                            </button>
                        </th>
                        <td>{date(invoice.invoice_date)}</td>
                        <td>{date(invoice.due_date)}</td>
                        <td class="bw-num">{amount}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <table class="bw-table bw-invoice-list" part="invoice-list">
                <caption class="bw-visually-hidden">{fill(t.invoices_caption, &[&customer_no.get_untracked()])}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t.invoice_no}</th>
                        <th scope="col">{t.invoice_date}</th>
                        <th scope="col">{t.due_date}</th>
                        <th scope="col" class="bw-num">{t.amount}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        }
        .into_any()
    };
    view! {
        <div class="bw-invoices" node_ref=root>
            <LoadState state=state retry=retry locale=locale ready=table />
        </div>
    }
}
