//! An invoice opened from a customer's list: the invoice, and on demand its comparison with
//! an earlier one.

use crate::api::ApiClient;
use crate::format::texts;
use crate::views::common::disclosure::DisclosureButton;
use crate::views::common::mode::Mode;
use crate::views::common::shared::unique_id;
use crate::views::invoice::invoice_comparison::InvoiceComparison;
use crate::views::InvoiceView;
use billing_contract::{Invoice, Link};
use leptos::prelude::*;
use std::sync::Arc;

/// The opened invoice with a disclosure button (APG disclosure) that shows, above it, its
/// comparison with the invoice before it (see [`InvoiceComparison`]). The button shows once the
/// customer has another invoice to compare with.
///
/// - `client`: the API client.
/// - `owner_no`: the ledger.
/// - `invoice`: the link of the invoice opened.
/// - `invoice_no`: its number.
/// - `invoices`: the customer's invoices, newest first, as listed.
/// - `mode`: CRM or self-service wording.
/// - `locale`: the viewer's locale.
#[component]
pub fn OpenedInvoice(
    client: ApiClient,
    #[prop(into)] owner_no: String,
    invoice: Link,
    #[prop(into)] invoice_no: String,
    #[prop(into)] invoices: Signal<Arc<Vec<Invoice>>>,
    #[prop(optional)] mode: Mode,
    #[prop(into)] locale: String,
) -> impl IntoView {
    let t = texts(&locale);
    let comparing = RwSignal::new(false);
    let region = unique_id("bw-compare");
    let can_compare = move || invoices.with(|list| list.len() > 1);
    let toggle = {
        let region = region.clone();
        move || {
            can_compare().then(|| {
                view! {
                    <div class="bw-compare-toggle">
                        <DisclosureButton open=comparing controls=region.clone() label=t.compare_open />
                    </div>
                }
            })
        }
    };
    let comparison = {
        let (client, locale, shown) = (client.clone(), locale.clone(), invoice_no);
        move || {
            (comparing.get() && can_compare()).then(|| {
                view! {
                    <InvoiceComparison client=client.clone() owner_no=owner_no.clone() invoices=invoices.get()
                        shown=shown.clone() mode=mode locale=locale.clone() />
                }
            })
        }
    };
    view! {
        {toggle}
        <div id=region>{comparison}</div>
        <InvoiceView client=client invoice=invoice locale=locale />
    }
}
