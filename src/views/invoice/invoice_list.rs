//! A customer's invoices, newest first; choosing one opens it.

use crate::api::{ApiClient, ApiError, Listing};
use crate::format::{i18n::fill, Texts};
use crate::model::invoice_list::{self, Fill, ListCell};
use crate::views::common::events::{use_view_events, Failed, InvoiceOpened, Loaded, ViewName};
use crate::views::common::i18n::{provide_i18n, use_i18n, I18n};
use crate::views::common::status::incomplete_note;
use crate::views::{use_load, Load, LoadState};
use billing_contract::{Invoice, Link};
use futures::future::LocalBoxFuture;
use leptos::prelude::*;
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;
use std::sync::Arc;

/// How many invoices the list fetches at once to fill its columns.
pub const FILL_CONCURRENCY: usize = 4;

/// Fetches one invoice by its link; the list takes one of these so that tests can stand in for
/// the API.
pub type FetchInvoice = Arc<dyn Fn(Link) -> LocalBoxFuture<'static, Result<Invoice, ApiError>> + Send + Sync>;

/// Loads and lists a customer's invoices: number, date, due date and amount.
///
/// - `client`: the API client.
/// - `owner_no`: the ledger.
/// - `customer_no`: the customer; a new number reloads.
/// - `selected`: the number of the invoice shown elsewhere, marked `aria-current`.
/// - `on_open`: called with the invoice the user opens.
/// - `on_listed`: called with the invoices listed, newest first, each time the list loads.
/// - `locale`: the viewer's locale, provided to everything the list shows.
///
/// # Usage
///
/// A customer's invoices, with the one opened shown below the list:
///
/// ```no_run
/// use billing_widget::api::contract::Invoice;
/// use billing_widget::api::ApiClient;
/// use billing_widget::views::{InvoiceList, InvoiceView};
/// use leptos::prelude::*;
///
/// #[component]
/// fn CustomerInvoices(#[prop(into)] customer_no: Signal<String>) -> impl IntoView {
///     let client = ApiClient::new("");
///     let opened = RwSignal::new(None::<Invoice>);
///     let selected = Signal::derive(move || opened.with(|o| o.as_ref().map(|i| i.invoice_no.clone())));
///     let shown = {
///         let client = client.clone();
///         move || opened.get().map(|invoice| view! {
///             <InvoiceView client=client.clone() invoice=invoice.id locale="en-GB" />
///         })
///     };
///     view! {
///         <div class="bw-root">
///             <InvoiceList client=client owner_no="100200" customer_no=customer_no selected=selected
///                 on_open=Callback::new(move |invoice| opened.set(Some(invoice))) locale="en-GB" />
///             {shown}
///         </div>
///     }
/// }
///
/// leptos::mount::mount_to_body(|| view! { <CustomerInvoices customer_no="15615616".to_string() /> });
/// ```
#[component]
pub fn InvoiceList(
    client: ApiClient,
    #[prop(into)] owner_no: String,
    #[prop(into)] customer_no: Signal<String>,
    #[prop(into)] selected: Signal<Option<String>>,
    on_open: Callback<Invoice>,
    #[prop(optional)] on_listed: Option<Callback<Arc<Vec<Invoice>>>>,
    #[prop(into)] locale: String,
) -> impl IntoView {
    let (state, retry) = {
        let client = client.clone();
        let owner_no = owner_no.clone();
        use_load(
            move || customer_no.get(),
            move |customer| {
                let client = client.clone();
                let owner = owner_no.clone();
                async move { client.invoices_of_customer(&owner, &customer).await.map(Arc::new) }
            },
        )
    };
    let events = use_view_events();
    Effect::new(move |_| match state.get() {
        Load::Ready(invoices) => {
            if let Some(listed) = on_listed {
                listed.run(Arc::new(invoices.items.clone()));
            }
            events.loaded(Loaded::InvoiceList {
                customer_no: customer_no.get_untracked(),
                invoices: invoices.items.len(),
            })
        }
        Load::Failed(error) => events.failed(Failed { view: ViewName::InvoiceList, error }),
        Load::Loading => {}
    });
    let on_open = Callback::new(move |invoice: Invoice| {
        events.invoice_opened(InvoiceOpened {
            owner_no: owner_no.clone(),
            customer_no: customer_no.get_untracked(),
            invoice_no: invoice.invoice_no.clone(),
        });
        on_open.run(invoice);
    });
    let fetch: FetchInvoice = {
        let client = client.clone();
        Arc::new(move |link: Link| {
            let client = client.clone();
            Box::pin(async move { client.get::<Invoice>(link.as_str()).await })
        })
    };
    let i18n = I18n::new(&locale);
    let t = i18n.texts();
    let table = move |listing: Arc<Listing<Invoice>>| {
        let caption = fill(t.invoices_caption, &[&customer_no.get_untracked()]);
        // List items that could not be read: said, not silently dropped.
        let unreadable = (!listing.unreadable.is_empty()).then(|| {
            let text = fill(t.list_unreadable, &[&listing.unreadable.len().to_string()]);
            incomplete_note(text)
        });
        view! {
            <InvoiceListTable invoices=Arc::new(listing.items.clone()) fetch=fetch.clone() selected=selected
                on_open=on_open caption=caption />
            {unreadable}
        }
    };
    provide_i18n(i18n, move || {
        view! {
            <div class="bw-invoices">
                <LoadState state=state retry=retry ready=table />
            </div>
        }
    })
}

/// The table of a customer's invoices. Rows whose list item lacks a due date or an amount are
/// filled from their invoice, [`FILL_CONCURRENCY`] at a time, in list order: a cell shows a quiet
/// placeholder until its invoice is known, or that it could not be loaded; a column is left out
/// when no row can have it.
///
/// - `invoices`: the list items, in display order.
/// - `fetch`: fetches an invoice by its `@id`.
/// - `selected`: the number of the invoice shown elsewhere, marked `aria-current`.
/// - `on_open`: called with the invoice the user opens.
/// - `caption`: the table's (visually hidden) caption.
/// - `locale`: the viewer's locale, provided to everything the table shows; without it, the
///   table reads the enclosing view's.
#[component]
pub fn InvoiceListTable(
    invoices: Arc<Vec<Invoice>>,
    fetch: FetchInvoice,
    #[prop(into)] selected: Signal<Option<String>>,
    on_open: Callback<Invoice>,
    #[prop(into)] caption: String,
    #[prop(optional, into)] locale: Option<String>,
) -> impl IntoView {
    let i18n = locale.map(|locale| I18n::new(&locale)).unwrap_or_else(use_i18n);
    provide_i18n(i18n, move || invoice_list_table(invoices, fetch, selected, on_open, caption))
}

/// The body of [`InvoiceListTable`], with the texts and formats of the enclosing view.
fn invoice_list_table(
    invoices: Arc<Vec<Invoice>>,
    fetch: FetchInvoice,
    selected: Signal<Option<String>>,
    on_open: Callback<Invoice>,
    caption: String,
) -> AnyView {
    let i18n = use_i18n();
    let t = i18n.texts();
    if invoices.is_empty() {
        return view! { <p class="bw-empty" role="status">{t.no_invoices}</p> }.into_any();
    }
    let fills = RwSignal::new(invoices.iter().map(Fill::of).collect::<Vec<_>>());
    let waiting: VecDeque<(usize, Link)> = invoices
        .iter()
        .enumerate()
        .filter(|(_, i)| invoice_list::needs_fill(i))
        .map(|(n, i)| (n, i.id.clone()))
        .collect();
    // A few workers share the queue: at most FILL_CONCURRENCY requests in flight, in list order.
    let queue = Rc::new(RefCell::new(waiting));
    for _ in 0..FILL_CONCURRENCY.min(queue.borrow().len()) {
        let (queue, fetch) = (queue.clone(), fetch.clone());
        leptos::task::spawn_local(async move {
            loop {
                // Once the table is gone (another customer, or unmounted), the rest is not fetched.
                let next = if fills.is_disposed() { None } else { queue.borrow_mut().pop_front() };
                let Some((row, link)) = next else { break };
                let fill = match fetch(link).await {
                    Ok(invoice) => Fill::Loaded(invoice),
                    Err(_) => Fill::Failed,
                };
                fills.try_update(|f| {
                    if let Some(cell) = f.get_mut(row) {
                        *cell = fill;
                    }
                });
            }
        });
    }
    let f = i18n.formatter();
    // Per row, the due date and amount cells as text and class, formatted once per change.
    let listed = invoices.clone();
    let cells = Memo::new(move |_| {
        fills.with(|fills| {
            let mut shown = [false; 2];
            let rows = listed.iter().zip(fills).map(|(invoice, fill)| {
                let (due, amount) = (invoice_list::due_date(invoice, fill), invoice_list::amount(invoice, fill));
                shown[0] |= due.can_hold_something();
                shown[1] |= amount.can_hold_something();
                [cell_text(t, due.map(|d| f.date(d))), cell_text(t, amount.map(|(a, currency)| f.money(a, &currency)))]
            });
            (rows.collect::<Vec<_>>(), shown)
        })
    });
    // A column no row can fill is hidden (`hidden` on its cells).
    let hidden = move |column: usize| cells.with(|(_, shown)| !shown[column]);
    let cell = move |index: usize, column: usize, class: &'static str, label: &'static str| {
        let part = move || cells.with(|(rows, _)| rows.get(index).map(|row| row[column].clone()).unwrap_or_default());
        view! {
            <td class=move || format!("{class} {}", part().1) data-label=label hidden=move || hidden(column)>
                {move || part().0}
            </td>
        }
    };
    let f = i18n.formatter();
    let rows = invoices
        .iter()
        .enumerate()
        .map(|(index, invoice)| {
            let number = invoice.invoice_no.clone();
            let current = {
                let number = number.clone();
                move || (selected.get().as_deref() == Some(number.as_str())).then_some("true")
            };
            let chosen = invoice.clone();
            let date = invoice.invoice_date.map(|d| f.date(d)).unwrap_or_default();
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
                    <td data-label=t.invoice_date>{date}</td>
                    {cell(index, 0, "bw-due", t.due_date)}
                    {cell(index, 1, "bw-num bw-amount", t.amount)}
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="bw-table bw-invoice-list" part="invoice-list">
            <caption class="bw-visually-hidden">{caption}</caption>
            <thead>
                <tr>
                    <th scope="col">{t.invoice_no}</th>
                    <th scope="col">{t.invoice_date}</th>
                    <th scope="col" hidden=move || hidden(0)>{t.due_date}</th>
                    <th scope="col" class="bw-num" hidden=move || hidden(1)>{t.amount}</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}

/// A filled cell's text and the class of its state: the value, a quiet "Loading…" while the
/// invoice loads, or that it could not be loaded.
fn cell_text(t: &'static Texts, cell: ListCell<String>) -> (String, &'static str) {
    match cell {
        ListCell::Value(text) => (text, ""),
        ListCell::Waiting => (t.list_cell_loading.to_owned(), "bw-cell-waiting"),
        ListCell::Failed => (t.list_cell_failed.to_owned(), "bw-cell-failed"),
        ListCell::Empty => (String::new(), ""),
    }
}
