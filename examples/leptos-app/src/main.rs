//! One customer's page in a Leptos app: the invoices (the one opened shown below the list) and
//! the recurring products, placed with `billing-widget`'s components and nothing but its public
//! API. The app's own words are its own; the views bring theirs in the chosen locale.

use billing_widget::api::contract::Invoice;
use billing_widget::api::ApiClient;
use billing_widget::views::{Failed, InvoiceList, InvoiceView, Loaded, Mode, RecurringProductsView, ViewEvents};
use leptos::prelude::*;

/// The ledger the proxy serves (the sandbox's demo ledger).
const OWNER_NO: &str = "100200";

/// The locale the views show their texts, money and dates in.
const LOCALE: &str = "en-GB";

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}

/// The page: a customer number to show, then that customer's invoices and recurring products.
#[component]
fn App() -> impl IntoView {
    // Requests go to the billing proxy on this page's origin (`/billing/…`).
    let client = ApiClient::new("");
    let customer_no = RwSignal::new(String::from("15615616"));
    let draft = RwSignal::new(customer_no.get_untracked());
    let opened = RwSignal::new(None::<Invoice>);

    // What the views report; optional (without it, nobody listens).
    provide_context(ViewEvents {
        on_loaded: Some(Callback::new(|loaded: Loaded| leptos::logging::log!("loaded: {loaded:?}"))),
        on_error: Some(Callback::new(|failed: Failed| {
            leptos::logging::warn!("{} failed: {}", failed.view.as_str(), failed.error)
        })),
        ..ViewEvents::default()
    });

    // Another customer: the opened invoice was the previous customer's.
    Effect::new(move |previous: Option<String>| {
        let current = customer_no.get();
        if previous.is_some_and(|p| p != current) {
            opened.set(None);
        }
        current
    });
    let selected = Signal::derive(move || opened.with(|o| o.as_ref().map(|i| i.invoice_no.clone())));
    let on_open = Callback::new(move |invoice: Invoice| opened.set(Some(invoice)));
    let invoice = {
        let client = client.clone();
        move || {
            opened.get().map(|invoice| view! { <InvoiceView client=client.clone() invoice=invoice.id locale=LOCALE /> })
        }
    };
    let show = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let number = draft.get_untracked().trim().to_owned();
        if !number.is_empty() {
            customer_no.set(number);
        }
    };

    view! {
        <header>
            <h1>"My invoices"</h1>
            <form on:submit=show>
                <label for="customer-no">"Customer number"</label>
                <input id="customer-no" autocomplete="off" prop:value=move || draft.get()
                    on:input=move |ev| draft.set(event_target_value(&ev)) />
                <button type="submit">"Show"</button>
            </form>
        </header>
        // The views' styles apply under `.bw-root`.
        <main class="bw-root" lang="en">
            <section aria-labelledby="invoices-heading">
                <h2 id="invoices-heading">"Invoices"</h2>
                <InvoiceList client=client.clone() owner_no=OWNER_NO customer_no=customer_no selected=selected
                    on_open=on_open locale=LOCALE />
                {invoice}
            </section>
            <section aria-labelledby="recurring-heading">
                <h2 id="recurring-heading">"Recurring products"</h2>
                <RecurringProductsView client=client owner_no=OWNER_NO customer_no=customer_no locale=LOCALE
                    mode=Mode::SelfService />
            </section>
        </main>
    }
}
