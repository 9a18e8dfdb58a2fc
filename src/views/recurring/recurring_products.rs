//! The recurring products (billable charges) on a customer and each of its subscriptions,
//! loaded from the API, with the changes CRM staff may make.

use crate::api::ApiClient;
use crate::format::{i18n::fill, Texts};
use crate::model::change::{ChangeAction, ChangeNotice};
use crate::model::{CustomerOverview, VatRates};
use crate::views::common::events::{use_view_events, AuthRequired, Failed, Loaded, ViewName};
use crate::views::common::i18n::{provide_i18n, I18n};
use crate::views::forms::editing::Editing;
use crate::views::forms::form_parts::session_expired;
use crate::views::recurring::next_invoice::NextInvoicePreview;
use crate::views::{local_today, use_load, Load, LoadState, Mode, RecurringProductsTable};
use leptos::prelude::*;
use std::sync::Arc;

/// Loads and shows a customer's recurring products.
///
/// In CRM mode, each change the API offers can be made; after a change is saved the products
/// are read again (the view shows the server's state), the change is announced and reported
/// to [`ViewEvents::on_changed`](crate::views::ViewEvents). A 401 from the API is reported to
/// `on_auth_required`.
///
/// - `client`: the API client.
/// - `owner_no`: the ledger.
/// - `customer_no`: the customer; a new number reloads.
/// - `locale`: the viewer's locale, provided to everything the view shows.
/// - `mode`: self-service (default: read-only) or CRM.
/// - `vat_rates`: the rates the product forms offer (see [`RecurringProductsTable`]).
///
/// # Usage
///
/// ```no_run
/// use billing_widget::model::VatRates;
/// use billing_widget::{api::ApiClient, views::{Mode, RecurringProductsView}};
/// use leptos::prelude::*;
/// leptos::mount::mount_to_body(|| view! {
///     <div class="bw-root">
///         // Self-service: read-only. `Mode::Crm` offers the changes the API allows, with the
///         // VAT rates its forms offer.
///         <RecurringProductsView client=ApiClient::new("") owner_no="100200"
///             customer_no="15615616".to_string() locale="sv-SE" mode=Mode::SelfService />
///         <RecurringProductsView client=ApiClient::new("") owner_no="100200"
///             customer_no="15615616".to_string() locale="sv-SE" mode=Mode::Crm
///             vat_rates=VatRates::of_country("SE") />
///     </div>
/// });
/// ```
#[component]
pub fn RecurringProductsView(
    client: ApiClient,
    #[prop(into)] owner_no: String,
    #[prop(into)] customer_no: Signal<String>,
    #[prop(into)] locale: String,
    #[prop(optional)] mode: Mode,
    #[prop(optional)] vat_rates: Option<VatRates>,
) -> impl IntoView {
    let i18n = I18n::new(&locale);
    let t = i18n.texts();
    let status_ref = NodeRef::<leptos::html::P>::new();
    let announcement = RwSignal::new(String::new());
    let show_ended = RwSignal::new(false);
    let (state, reload) = {
        let (client, owner_no) = (client.clone(), owner_no.clone());
        let loaded_before = std::cell::Cell::new(false);
        use_load(
            move || customer_no.get(),
            move |customer| {
                let (client, owner) = (client.clone(), owner_no.clone());
                // Only the first load may take what the element's script asked for early: a
                // reload after a change, a retry or another customer asks afresh.
                if loaded_before.replace(true) {
                    client.forget_early();
                }
                async move {
                    match client.customer_overview(&owner, &customer).await {
                        Ok(overview) => Ok(Arc::new(overview)),
                        Err(e) if e.status() == Some(401) => Err(session_expired(t, e)),
                        Err(e) => Err(e),
                    }
                }
            },
        )
    };
    // An announcement about one customer does not stay up for the next.
    Effect::new(move |_| {
        customer_no.track();
        announcement.set(String::new());
    });
    let events = use_view_events();
    // Whoever mounted the view hears when the products are there, and why not when they are
    // not (a read refused for an expired session also asks it to renew the session).
    Effect::new(move |_| match state.get() {
        Load::Ready(overview) => events.loaded(Loaded::RecurringProducts {
            customer_no: overview.customer.customer_no.clone(),
            products: overview.all_products().count(),
            subscriptions: overview.subscriptions.len(),
        }),
        Load::Failed(error) => events.failed(Failed { view: ViewName::RecurringProducts, error }),
        Load::Loading => {}
    });

    let editing = (mode == Mode::Crm).then(|| Editing {
        send: client.change_sender(),
        owner_no: owner_no.clone(),
        // Named per loaded overview below: notices name the customer shown.
        customer_no: String::new(),
        on_saved: Callback::new(move |notice: ChangeNotice| {
            announcement.set(announce(t, &notice));
            if let Some(status) = status_ref.get_untracked() {
                let _ = status.focus();
            }
            events.changed(notice);
            reload.run(());
        }),
        on_unauthorized: Callback::new(move |instance| events.auth_required(AuthRequired { instance })),
    });
    let ready = move |overview: Arc<CustomerOverview>| {
        let shown = overview.customer.customer_no.clone();
        let editing = editing.clone().map(|e| Editing { customer_no: shown, ..e });
        view! {
            <NextInvoicePreview overview=overview.clone() today=local_today() mode=mode />
            <RecurringProductsTable overview=overview mode=mode
                vat_rates=vat_rates.clone().unwrap_or_else(|| VatRates::configured("", "", &locale))
                show_ended=show_ended editing=editing />
        }
    };
    provide_i18n(i18n, move || {
        view! {
            <div class="bw-recurring" part="recurring-products" data-mode=mode.as_str()>
                <p class="bw-change-status" role="status" tabindex="-1" node_ref=status_ref>{move || announcement.get()}</p>
                <LoadState state=state retry=reload ready=ready />
            </div>
        }
    })
}

/// The sentence announcing a saved change.
fn announce(t: &'static Texts, notice: &ChangeNotice) -> String {
    let name = notice.description.clone().or_else(|| notice.product_no.clone()).unwrap_or_default();
    match notice.action {
        ChangeAction::ProductAdded => fill(t.product_added, &[&name]),
        ChangeAction::ProductUpdated => fill(t.product_updated, &[&name]),
        ChangeAction::ProductEnded => fill(t.product_ended, &[&name]),
        ChangeAction::ProductDeleted => fill(t.product_deleted, &[&name]),
        ChangeAction::SubscriptionAdded => {
            fill(t.subscription_added, &[notice.subscription_no.as_deref().unwrap_or_default()])
        }
    }
}
