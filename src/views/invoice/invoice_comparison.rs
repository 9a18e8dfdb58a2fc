//! "Why is my invoice different this month?": two of a customer's invoices chosen, loaded in
//! full, compared, and shown (see [`crate::model::comparison`] for the rule).

use crate::api::{ApiClient, ApiError, WholeInvoice};
use crate::format::case::BrowserLowercase;
use crate::format::i18n::fill;
use crate::model::comparison::Comparison;
use crate::views::common::events::{use_view_events, InvoiceCompared};
use crate::views::common::frames::after_next_paint;
use crate::views::common::i18n::{provide_i18n, use_i18n, I18n};
use crate::views::common::mode::Mode;
use crate::views::common::shared::unique_id;
use crate::views::invoice::comparison_table::{Compared, ComparisonTable};
use crate::views::{use_load, LoadState};
use billing_contract::{Invoice, Link};
use leptos::prelude::*;
use std::collections::HashMap;
use std::sync::Arc;

/// User-timing marks around a comparison, for benchmarks: both invoices loaded, and the
/// summary painted.
pub const MARK_LOADED: &str = "payex-compare-loaded";
/// See [`MARK_LOADED`].
pub const MARK_PAINTED: &str = "payex-compare-painted";

/// The invoice listed after `invoice_no` in `invoices` (newest first): the one before it.
pub fn previous_invoice(invoices: &[Invoice], invoice_no: &str) -> Option<String> {
    let position = invoices.iter().position(|i| i.invoice_no == invoice_no)?;
    invoices.get(position + 1).map(|i| i.invoice_no.clone())
}

/// Compares two of a customer's invoices. By default the newer is `shown` and the older the
/// one before it in `invoices`; either can be changed. Both are loaded in full (a whole
/// invoice is kept while only the other side changes), compared, and reported to the host as
/// [`InvoiceCompared`].
///
/// - `client`: the API client.
/// - `owner_no`: the ledger.
/// - `invoices`: the customer's invoices, newest first (the choices).
/// - `shown`: the number of the invoice shown, compared by default.
/// - `mode`: CRM or self-service wording.
/// - `locale`: the viewer's locale, provided to everything the comparison shows.
#[component]
pub fn InvoiceComparison(
    client: ApiClient,
    #[prop(into)] owner_no: String,
    invoices: Arc<Vec<Invoice>>,
    #[prop(into)] shown: String,
    #[prop(optional)] mode: Mode,
    #[prop(into)] locale: String,
) -> impl IntoView {
    let i18n = I18n::new(&locale);
    let now = RwSignal::new(Some(shown.clone()));
    let before = RwSignal::new(previous_invoice(&invoices, &shown));
    let link_of = {
        let invoices = invoices.clone();
        move |number: Option<String>| -> Option<Link> {
            let number = number?;
            invoices.iter().find(|i| i.invoice_no == number).map(|i| i.id.clone())
        }
    };
    let cache = StoredValue::new(HashMap::<Link, WholeInvoice>::new());
    let (state, retry) = use_load(
        move || (link_of(now.get()), link_of(before.get())),
        move |(now, before)| {
            let client = client.clone();
            async move {
                let (Some(now), Some(before)) = (now, before) else { return Ok(None) };
                let (older, newer) = futures::try_join!(load(&client, cache, &before), load(&client, cache, &now))?;
                cache.try_update_value(|c| c.retain(|link, _| *link == now || *link == before));
                mark(MARK_LOADED);
                let comparison = Comparison::new(
                    (&older.groups, older.invoice.invoice_amount),
                    (&newer.groups, newer.invoice.invoice_amount),
                );
                Ok(Some(comparison.map(|c| Compared {
                    before: older.invoice,
                    now: newer.invoice,
                    comparison: Arc::new(c),
                })))
            }
        },
    );
    report_when_compared(state, owner_no);
    provide_i18n(i18n, move || {
        let t = use_i18n().texts();
        let ready = move |loaded: Option<Result<Compared, crate::model::TooLarge>>| match loaded {
            None => view! { <p class="bw-note">{t.compare_no_earlier}</p> }.into_any(),
            Some(Err(_)) => view! { <p class="bw-error" role="alert">{t.too_large}</p> }.into_any(),
            Some(Ok(compared)) => {
                // The summary renders now; the mark is set once the frame that paints it is done.
                leptos::task::spawn_local(async {
                    after_next_paint().await;
                    mark(MARK_PAINTED);
                });
                view! { <ComparisonTable compared=compared mode=mode /> }.into_any()
            }
        };
        view! {
            <section class="bw-compare" part="comparison">
                <div class="bw-compare-pick">
                    <InvoicePicker label=t.compare_now_label invoices=invoices.clone() chosen=now />
                    <InvoicePicker label=t.compare_before_label invoices=invoices.clone() chosen=before />
                </div>
                <LoadState state=state retry=retry ready=ready />
            </section>
        }
    })
}

/// A whole invoice, from `cache` when the other side of the comparison changed.
async fn load(
    client: &ApiClient,
    cache: StoredValue<HashMap<Link, WholeInvoice>>,
    link: &Link,
) -> Result<WholeInvoice, ApiError> {
    if let Some(Some(whole)) = cache.try_with_value(|c| c.get(link).cloned()) {
        return Ok(whole);
    }
    let whole = client.whole_invoice(link, &BrowserLowercase).await?;
    cache.try_update_value(|c| c.insert(link.clone(), whole.clone()));
    Ok(whole)
}

/// Records a user-timing mark (nothing happens where the browser has none).
fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark(name);
    }
}

type ComparisonState = crate::views::Load<Option<Result<Compared, crate::model::TooLarge>>>;

/// Reports each comparison shown to the host: the summary figures.
fn report_when_compared(state: ReadSignal<ComparisonState>, owner_no: String) {
    let events = use_view_events();
    Effect::new(move |_| {
        let crate::views::Load::Ready(Some(Ok(compared))) = state.get() else { return };
        let Compared { before, now, comparison } = compared;
        let (Ok(difference), Ok(unexplained)) = (comparison.difference(), comparison.unexplained()) else { return };
        let changes = comparison.by_kind().unwrap_or_default().into_iter().map(|(kind, n, _)| (kind, n)).collect();
        events.compared(InvoiceCompared {
            owner_no: owner_no.clone(),
            invoice_no: now.invoice_no.clone(),
            compared_with: before.invoice_no.clone(),
            currency: now.currency_code().to_owned(),
            amount: comparison.amount_now(),
            previous_amount: comparison.amount_before(),
            difference,
            unexplained,
            changes,
        });
    });
}

/// A labelled choice of one of the customer's invoices ("603012 – 30 Nov 2026").
#[component]
fn InvoicePicker(label: &'static str, invoices: Arc<Vec<Invoice>>, chosen: RwSignal<Option<String>>) -> impl IntoView {
    let i18n = use_i18n();
    let (t, f) = (i18n.texts(), i18n.formatter());
    let id = unique_id("bw-compare-pick");
    let options = invoices
        .iter()
        .map(|invoice| {
            let number = invoice.invoice_no.clone();
            let date = invoice.invoice_date.map(|d| f.date(d)).unwrap_or_default();
            let text = if date.is_empty() { number.clone() } else { fill(t.compare_option, &[&number, &date]) };
            let selected = {
                let number = number.clone();
                move || chosen.with(|c| c.as_deref() == Some(number.as_str()))
            };
            view! { <option value=number selected=selected>{text}</option> }
        })
        .collect_view();
    let none = move || chosen.with(Option::is_none).then(|| view! { <option value="" selected=true>"—"</option> });
    view! {
        <label for=id.clone()>{label}</label>
        <select
            id=id
            class="bw-input"
            on:change=move |ev| {
                let value = event_target_value(&ev);
                chosen.set((!value.is_empty()).then_some(value));
            }
        >
            {none}
            {options}
        </select>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn invoice(no: &str) -> Invoice {
        Invoice {
            id: Link(format!("/billing/invoice/v1/100200/invoices/{no}")),
            invoice_no: no.into(),
            invoice_date: None,
            due_date: None,
            customer_no: None,
            currency: None,
            invoice_amount: None,
            recurring_products: None,
            subscriptions: None,
        }
    }

    #[test]
    fn the_invoice_before_the_shown_one_is_the_next_in_the_newest_first_list() {
        let list = [invoice("603012"), invoice("603011"), invoice("603010")];
        assert_eq!(previous_invoice(&list, "603012").as_deref(), Some("603011"));
        assert_eq!(previous_invoice(&list, "603011").as_deref(), Some("603010"));
        assert_eq!(previous_invoice(&list, "603010"), None, "the oldest has none before it");
        assert_eq!(previous_invoice(&list, "999"), None, "an invoice not listed has none");
    }
}
