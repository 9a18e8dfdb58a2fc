//! The standalone demo site: pick a customer, then an invoice.

use billing_contract::{paths, Invoice, Link};
use billing_widget::api::ApiClient;
use billing_widget::format::i18n::{fill, language_of};
use billing_widget::format::{texts, Texts};
use billing_widget::model::VatRates;
use billing_widget::views::{ErrorDetails, InvoiceList, Mode, OpenedInvoice, RecurringProductsView};
use leptos::prelude::*;
use std::sync::Arc;

/// The sandbox's demo ledger, used when the page's URL names none (`?owner=`).
pub const DEMO_OWNER_NO: &str = "100200";

/// The sandbox's demo customers, offered as shortcuts.
const DEMO_CUSTOMERS: [(&str, &str); 4] = [
    ("15615616", "Private customer, four subscriptions"),
    ("5566778899", "Business customer, invoices up to 50,000 lines"),
    ("Åkesson & Co/7", "Customer number with space, & and /"),
    ("20000001", "Customer without charges"),
];

/// The invoice on screen: its number (for the URL) and its link (to load it).
#[derive(Clone, Debug, PartialEq)]
struct OpenInvoice {
    number: String,
    link: Link,
}

/// The demo site. Its state lives in the URL (`?owner=&customer=&invoice=&tab=&mode=&lang=`), so a reload
/// or a shared link shows the same view.
#[component]
pub(crate) fn DemoSite() -> impl IntoView {
    let query = read_query();
    let owner_no = query.get("owner").unwrap_or(DEMO_OWNER_NO.to_owned());
    let locale = query.get("lang").unwrap_or_else(browser_locale);
    let t = texts(&locale);
    let client = ApiClient::new("");
    let customer = RwSignal::new(query.get("customer"));
    let open_invoice = RwSignal::new(
        query.get("invoice").map(|number| OpenInvoice { link: Link(paths::invoice(&owner_no, &number)), number }),
    );
    let draft = RwSignal::new(customer.get_untracked().unwrap_or_default());
    let tab =
        RwSignal::new(if query.get("tab").as_deref() == Some("recurring") { Tab::Recurring } else { Tab::Invoices });
    // The CRM demo: CRM unless the URL asks for self-service (the embed defaults to self-service).
    let mode = RwSignal::new(query.get("mode").and_then(|m| m.parse::<Mode>().ok()).unwrap_or(Mode::Crm));
    provide_context(ErrorDetails(Signal::derive(move || mode.get() == Mode::Crm)));
    // The views' reports reach the page as the embedded elements' `payex-*` events do.
    if let Some(body) = document().body() {
        billing_widget::embed::provide_host_events(body.into());
    }

    Effect::new({
        let owner_no = owner_no.clone();
        move |_| {
            write_query(
                &owner_no,
                customer.get().as_deref(),
                open_invoice.with(|o| o.as_ref().map(|o| o.number.clone())).as_deref(),
                tab.get(),
                mode.get(),
            )
        }
    });
    let choose = move |number: String| {
        let number = number.trim().to_owned();
        if !number.is_empty() && customer.get_untracked().as_deref() != Some(&number) {
            open_invoice.set(None);
            draft.set(number.clone());
            customer.set(Some(number));
        }
    };

    let customer_views = {
        let owner_no = owner_no.clone();
        let locale = locale.clone();
        move || {
            customer.get().map(|customer_no| {
                let customer_no = Signal::stored(customer_no);
                let selected = Signal::derive(move || open_invoice.with(|o| o.as_ref().map(|o| o.number.clone())));
                let on_open = Callback::new(move |invoice: Invoice| {
                    open_invoice.set(Some(OpenInvoice { number: invoice.invoice_no, link: invoice.id }));
                });
                let listed = RwSignal::new(Arc::new(Vec::<Invoice>::new()));
                let on_listed = Callback::new(move |invoices: Arc<Vec<Invoice>>| listed.set(invoices));
                let (client, owner_no, locale) = (client.clone(), owner_no.clone(), locale.clone());
                // Only the selected tab is rendered, so only its data is requested.
                let panel = move || match tab.get() {
                    Tab::Invoices => {
                        let invoice_view = {
                            let (client, locale, owner_no) = (client.clone(), locale.clone(), owner_no.clone());
                            move || match open_invoice.get() {
                                Some(open) => view! {
                                    <OpenedInvoice client=client.clone() owner_no=owner_no.clone() invoice=open.link
                                        invoice_no=open.number invoices=listed mode=mode.get() locale=locale.clone() />
                                }
                                .into_any(),
                                None => view! { <p class="bw-note">{t.choose_invoice}</p> }.into_any(),
                            }
                        };
                        view! {
                            <div class="bw-site-grid">
                                <section class="bw-panel bw-panel-list" aria-label=t.invoices>
                                    <InvoiceList client=client.clone() owner_no=owner_no.clone() customer_no=customer_no selected=selected on_open=on_open
                                        on_listed=on_listed locale=locale.clone() />
                                </section>
                                <div class="bw-panel bw-panel-main">{invoice_view}</div>
                            </div>
                        }
                        .into_any()
                    }
                    Tab::Recurring => {
                        let (client, owner_no, locale) = (client.clone(), owner_no.clone(), locale.clone());
                        view! {
                            <section class="bw-panel">
                                {move || view! {
                                    <RecurringProductsView client=client.clone() owner_no=owner_no.clone()
                                        customer_no=customer_no locale=locale.clone() mode=mode.get()
                                        vat_rates=VatRates::of_country("SE") />
                                }}
                            </section>
                        }
                        .into_any()
                    }
                };
                view! {
                    <Tabs tab=tab t=t />
                    <div role="tabpanel" id=move || tab.get().panel_id() aria-labelledby=move || tab.get().tab_id()>
                        <h2 class="bw-visually-hidden">{move || tab.get().label(t)}</h2>
                        {panel}
                    </div>
                }
            })
        }
    };

    view! {
        <div class="bw-root bw-site" lang=language_of(&locale)>
            <header class="bw-site-header">
                <h1>{t.site_title}</h1>
                <p>{fill(t.site_intro, &[&owner_no])}</p>
                <form class="bw-customer-form" on:submit=move |ev| { ev.prevent_default(); choose(draft.get_untracked()); }>
                    <label for="bw-customer-no">{t.customer_number}</label>
                    <input id="bw-customer-no" name="customer" list="bw-demo-customers" autocomplete="off"
                        prop:value=move || draft.get() on:input=move |ev| draft.set(event_target_value(&ev)) />
                    <button type="submit" class="bw-button">{t.show_customer}</button>
                    <datalist id="bw-demo-customers">
                        {DEMO_CUSTOMERS.iter().map(|(no, label)| view! { <option value=*no>{*label}</option> }).collect_view()}
                    </datalist>
                </form>
                <div role="group" aria-label=t.view_as class="bw-demo-customers">
                    <span class="bw-meta">{t.view_as}</span>
                    {[(Mode::Crm, t.mode_crm), (Mode::SelfService, t.mode_self_service)].into_iter().map(|(this, label)| view! {
                        <button type="button" class="bw-chip" data-mode=this.as_str()
                            aria-pressed=move || (mode.get() == this).to_string()
                            on:click=move |_| mode.set(this)>{label}</button>
                    }).collect_view()}
                </div>
                <nav aria-label=t.demo_customers class="bw-demo-customers">
                    {DEMO_CUSTOMERS.iter().map(|(no, label)| view! {
                        <button type="button" class="bw-chip" title=*label
                            aria-pressed=move || (customer.get().as_deref() == Some(*no)).to_string()
                            on:click=move |_| choose((*no).to_owned())>{*no}</button>
                    }).collect_view()}
                </nav>
            </header>
            <main>{customer_views}</main>
        </div>
    }
}

/// The customer views, one at a time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tab {
    Invoices,
    Recurring,
}

impl Tab {
    const ALL: [Tab; 2] = [Tab::Invoices, Tab::Recurring];

    fn tab_id(self) -> &'static str {
        match self {
            Tab::Invoices => "bw-tab-invoices",
            Tab::Recurring => "bw-tab-recurring",
        }
    }

    fn label(self, t: &'static Texts) -> &'static str {
        match self {
            Tab::Invoices => t.invoices,
            Tab::Recurring => t.recurring_products,
        }
    }

    fn panel_id(self) -> &'static str {
        match self {
            Tab::Invoices => "bw-panel-invoices",
            Tab::Recurring => "bw-panel-recurring",
        }
    }
}

/// The APG tabs pattern: one tab stop, arrow keys, Home and End move between tabs.
#[component]
fn Tabs(tab: RwSignal<Tab>, t: &'static Texts) -> impl IntoView {
    let select = move |next: Tab| {
        tab.set(next);
        if let Some(button) =
            web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(next.tab_id()))
        {
            if let Ok(button) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(button) {
                let _ = button.focus();
            }
        }
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let current = Tab::ALL.iter().position(|x| *x == tab.get_untracked()).unwrap_or(0);
        let next = match ev.key().as_str() {
            "ArrowRight" => (current + 1) % Tab::ALL.len(),
            "ArrowLeft" => (current + Tab::ALL.len() - 1) % Tab::ALL.len(),
            "Home" => 0,
            "End" => Tab::ALL.len() - 1,
            _ => return,
        };
        ev.prevent_default();
        select(Tab::ALL[next]);
    };
    view! {
        <div role="tablist" class="bw-tabs" aria-label=t.customer on:keydown=on_key>
            {Tab::ALL.iter().map(|&this| {
                let label = this.label(t);
                view! {
                    <button type="button" role="tab" class="bw-tab" id=this.tab_id() aria-controls=this.panel_id()
                        aria-selected=move || (tab.get() == this).to_string()
                        tabindex=move || if tab.get() == this { "0" } else { "-1" }
                        on:click=move |_| select(this)>{label}</button>
                }
            }).collect_view()}
        </div>
    }
}

/// The page's query parameters.
struct Query(Option<web_sys::UrlSearchParams>);

impl Query {
    fn get(&self, name: &str) -> Option<String> {
        self.0.as_ref().and_then(|q| q.get(name)).filter(|v| !v.trim().is_empty())
    }
}

fn read_query() -> Query {
    Query(web_sys::UrlSearchParams::new_with_str(&read_search()).ok())
}

fn write_query(owner_no: &str, customer: Option<&str>, invoice: Option<&str>, tab: Tab, mode: Mode) {
    let Ok(params) = web_sys::UrlSearchParams::new_with_str(&read_search()) else { return };
    let set = |name: &str, value: Option<&str>| match value {
        Some(v) => params.set(name, v),
        None => params.delete(name),
    };
    set("owner", (owner_no != DEMO_OWNER_NO).then_some(owner_no));
    set("customer", customer);
    set("invoice", invoice);
    set("tab", (tab == Tab::Recurring).then_some("recurring"));
    set("mode", (mode != Mode::Crm).then_some(mode.as_str()));
    let search = String::from(params.to_string());
    let url = if search.is_empty() { "?".to_owned() } else { format!("?{search}") };
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

fn read_search() -> String {
    web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default()
}

/// The browser's preferred language, `en` if unknown.
fn browser_locale() -> String {
    web_sys::window().and_then(|w| w.navigator().language()).unwrap_or_else(|| "en".to_owned())
}
