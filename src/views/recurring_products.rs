//! The recurring products (billable charges) on a customer and each of its subscriptions.

use super::{use_load, LoadState};
use crate::api::ApiClient;
use crate::format::{i18n::fill, texts, Formatter, Texts};
use crate::model::CustomerOverview;
use billing_contract::RecurringProduct;
use leptos::prelude::*;
use std::sync::Arc;

/// Loads and shows a customer's recurring products.
///
/// - `client`: the API client.
/// - `owner_no`: the ledger.
/// - `customer_no`: the customer; a new number reloads.
/// - `locale`: the viewer's locale.
#[component]
pub fn RecurringProductsView(
    client: ApiClient,
    #[prop(into)] owner_no: String,
    #[prop(into)] customer_no: Signal<String>,
    #[prop(into)] locale: String,
) -> impl IntoView {
    let (state, retry) = use_load(
        move || customer_no.get(),
        move |customer| {
            let client = client.clone();
            let owner = owner_no.clone();
            async move { client.customer_overview(&owner, &customer).await.map(Arc::new) }
        },
    );
    let table_locale = locale.clone();
    view! {
        <div class="bw-recurring" part="recurring-products">
            <LoadState state=state retry=retry locale=locale
                ready=move |overview| view! { <RecurringProductsTable overview=overview locale=table_locale.clone() /> } />
        </div>
    }
}

/// A customer's products, then each subscription (number, description, dates) with its own.
///
/// - `overview`: the loaded products.
/// - `locale`: the viewer's locale.
#[component]
pub fn RecurringProductsTable(overview: Arc<CustomerOverview>, #[prop(into)] locale: String) -> impl IntoView {
    let t = texts(&locale);
    let f = Formatter::new(&locale);
    if overview.is_empty() {
        return view! { <p class="bw-empty" role="status">{t.no_recurring_at_all}</p> }.into_any();
    }
    let subscriptions = overview
        .subscriptions
        .iter()
        .map(|s| {
            let sub = &s.subscription;
            let mut title = fill(t.subscription, &[&sub.subscription_no]);
            if let Some(d) = sub.description.as_deref().filter(|d| !d.is_empty()) {
                title = format!("{title} – {d}");
            }
            let dates = [
                sub.start_date.map(|d| fill(t.started, &[&f.date(d)])),
                sub.end_date.map(|d| fill(t.ended, &[&f.date(d)])),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" · ");
            view! {
                <section class="bw-subscription" part="subscription">
                    <h3>{title.clone()}</h3>
                    {(!dates.is_empty()).then(|| view! { <p class="bw-meta">{dates}</p> })}
                    {products_table(t, &f, &title, &s.products)}
                </section>
            }
        })
        .collect_view();
    view! {
        <section class="bw-subscription" part="customer-products">
            <h3>{t.customer_products}</h3>
            {products_table(t, &f, t.customer_products, &overview.products)}
        </section>
        {subscriptions}
    }
    .into_any()
}

fn products_table(t: &'static Texts, f: &Formatter, caption: &str, products: &[RecurringProduct]) -> AnyView {
    if products.is_empty() {
        return view! { <p class="bw-empty">{t.no_products}</p> }.into_any();
    }
    let rows = products
        .iter()
        .map(|p| {
            view! {
                <tr>
                    <td>{p.product_no.clone()}</td>
                    <td>{p.description.clone()}</td>
                    <td class="bw-num">{f.quantity(p.quantity)}</td>
                    <td class="bw-num">{f.amount(p.unit_price)}</td>
                    <td class="bw-num">{f.rate(p.vat_rate)}</td>
                    <td>{t.periodicity(p.periodicity)}</td>
                    <td>{f.date(p.start_date)}</td>
                    <td>{p.end_date.map(|d| f.date(d)).unwrap_or_else(|| t.until_further_notice.to_owned())}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="bw-table-scroll">
            <table class="bw-table bw-products">
                <caption class="bw-visually-hidden">{caption.to_owned()}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t.col_product}</th>
                        <th scope="col">{t.col_description}</th>
                        <th scope="col" class="bw-num">{t.col_quantity}</th>
                        <th scope="col" class="bw-num">{t.col_unit_price_excl}</th>
                        <th scope="col" class="bw-num">{t.col_vat_rate}</th>
                        <th scope="col">{t.col_periodicity}</th>
                        <th scope="col">{t.col_start}</th>
                        <th scope="col">{t.col_end}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}
