//! One invoice, loaded by following its links: header, charges table and reconciliation.

use super::{use_load, ErrorView, InvoiceHeader, InvoiceTable, Load, Loading};
use crate::api::ApiClient;
use crate::format::texts;
use billing_contract::Link;
use leptos::prelude::*;
use std::sync::Arc;

/// Loads and shows one invoice with every charge on it.
///
/// - `client`: the API client.
/// - `invoice`: the invoice's link (its `@id`); a new link loads that invoice, and a late
///   answer for an earlier one never replaces it.
/// - `locale`: the viewer's locale.
#[component]
pub fn InvoiceView(
    client: ApiClient,
    #[prop(into)] invoice: Signal<Link>,
    #[prop(into)] locale: String,
) -> impl IntoView {
    let (state, retry) = use_load(
        move || invoice.get(),
        move |link| {
            let client = client.clone();
            async move { client.invoice_details(&link).await.map(Arc::new) }
        },
    );
    let t = texts(&locale);
    view! {
        <section class="bw-invoice" part="invoice" aria-busy=move || matches!(state.get(), Load::Loading).to_string()>
            {move || match state.get() {
                Load::Loading => view! { <Loading label=t.loading /> }.into_any(),
                Load::Failed(error) => view! { <ErrorView error=error retry=retry locale=locale.clone() /> }.into_any(),
                Load::Ready(details) => view! {
                    <InvoiceHeader details=details.clone() locale=locale.clone() />
                    <InvoiceTable details=details locale=locale.clone() />
                }.into_any(),
            }}
        </section>
    }
}
