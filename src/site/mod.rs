//! The standalone site, deployable as is behind the proxy: settings from `config.json`
//! ([`config`]), who the visitor is from the proxy ([`ApiClient::session_info`]). In trusted
//! mode (customer service behind the company's own login) a customer picker; in a signed
//! session that one customer's invoices and recurring products; a "sign in again" state when
//! the session ends.

mod config;
mod session;

use billing_contract::proxy_protocol::{AccessMode, SessionInfo, SessionScope};
use billing_contract::{paths, Invoice, Link};
use billing_widget::api::ApiClient;
use billing_widget::format::i18n::{fill, language_of};
use billing_widget::format::{texts, Texts};
use billing_widget::model::VatRates;
use billing_widget::views::{ErrorDetails, InvoiceList, Mode, OpenedInvoice, RecurringProductsView};
use config::SiteConfig;
use leptos::prelude::*;
use session::{watch_expiry, SignedOut};
use std::sync::Arc;

/// The invoice on screen: its number (for the URL) and its link (to load it).
#[derive(Clone, Debug, PartialEq)]
struct OpenInvoice {
    number: String,
    link: Link,
}

/// Where the site is.
#[derive(Clone, Debug)]
enum Phase {
    /// Reading `config.json` and asking the proxy who the visitor is.
    Starting,
    /// The site cannot start: its settings, or the proxy, say why.
    Broken { title: &'static str, detail: String },
    /// Started.
    Ready(Arc<Started>),
    /// The session has ended (or there is none): sign in again.
    SignedOut { login_url: Option<String> },
}

/// What the site started with.
#[derive(Debug)]
struct Started {
    config: SiteConfig,
    session: SessionInfo,
    client: ApiClient,
}

/// The site. Deep links keep the view in the URL (`?customer=&invoice=&tab=&mode=` in trusted
/// mode; `?invoice=&tab=` in a signed session, whose customer is the session's).
#[component]
pub(crate) fn Site() -> impl IntoView {
    let query = read_query();
    let locale = RwSignal::new(query.get("lang").unwrap_or_else(browser_locale));
    let phase = RwSignal::new(Phase::Starting);
    leptos::task::spawn_local(async move {
        let (started, config_locale) = start(texts(&locale.get_untracked())).await;
        if let Some(config_locale) = config_locale {
            locale.set(config_locale);
        }
        phase.set(started);
    });
    // In a signed session, a view refused for want of a session (401) means the session has
    // ended, whichever view it was. (In trusted mode the company's own login is in front of the
    // proxy: a 401 there is an error the view shows, with its problem and a retry.)
    let signed_out = move || {
        let login_url = match phase.get_untracked() {
            Phase::Ready(started) if started.session.mode == AccessMode::SignedSession => {
                started.config.login_url.clone()
            }
            _ => return,
        };
        phase.set(Phase::SignedOut { login_url });
    };
    let listener = window_event_listener_untyped("payex-authentication-required", move |_| signed_out());
    on_cleanup(move || listener.remove());

    let body = move || {
        let t = texts(&locale.get());
        // Until the site has started (or when it cannot, or the session ended): one notice,
        // in the page's frame (its title and main landmark).
        let notice = match phase.get() {
            Phase::Starting => view! { <p class="bw-note" role="status">{t.site_starting}</p> }.into_any(),
            Phase::Broken { title, detail } => view! {
                <section class="bw-panel" role="alert">
                    <h2>{title}</h2>
                    <p>{detail}</p>
                </section>
            }
            .into_any(),
            Phase::SignedOut { login_url } => view! { <SignedOut login_url=login_url t=t /> }.into_any(),
            Phase::Ready(started) => return match started.session.mode {
                AccessMode::Trusted => view! { <TrustedSite started=started locale=locale.get() /> }.into_any(),
                AccessMode::SignedSession => view! {
                    <SessionSite started=started locale=locale.get() on_expired=Callback::new(move |()| signed_out()) />
                }
                .into_any(),
            },
        };
        view! {
            <header class="bw-site-header"><h1>{t.site_title}</h1></header>
            <main>{notice}</main>
        }
        .into_any()
    };
    view! {
        <div class="bw-root bw-site" lang=move || language_of(&locale.get())>
            {body}
        </div>
    }
}

/// Reads the settings and asks the proxy who the visitor is; also returns the configured
/// locale, if any.
async fn start(t: &'static Texts) -> (Phase, Option<String>) {
    let config = match load_config().await {
        Ok(config) => config,
        Err(detail) => return (Phase::Broken { title: t.site_config_error, detail }, None),
    };
    let locale = config.locale.clone();
    let t = locale.as_deref().map_or(t, texts);
    let client = ApiClient::new(&config.api_base);
    let session = match client.session_info().await {
        Ok(session) => session,
        Err(err) if err.status() == Some(401) => return (Phase::SignedOut { login_url: config.login_url }, locale),
        Err(err) => {
            let detail = match (err.problem(), err.status()) {
                (Some(problem), _) => {
                    [Some(problem.title.as_str()), problem.detail.as_deref(), problem.instance.as_deref()]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(" – ")
                }
                (None, Some(status)) => format!("HTTP {status}"),
                (None, None) => String::new(),
            };
            return (Phase::Broken { title: t.site_proxy_error, detail }, locale);
        }
    };
    if let Some(mode) = config.mode.filter(|mode| *mode != session.mode) {
        let detail = format!(
            "config.json says `mode` {} but the proxy runs in {} mode: correct one of them.",
            mode_name(mode),
            mode_name(session.mode)
        );
        return (Phase::Broken { title: t.site_config_error, detail }, locale);
    }
    if let Some(owner_no) = config.owner_no.as_ref().filter(|owner_no| **owner_no != session.owner_no) {
        let detail = format!(
            "config.json says `ownerNo` {owner_no} but the proxy serves ledger {}: correct one of them.",
            session.owner_no
        );
        return (Phase::Broken { title: t.site_config_error, detail }, locale);
    }
    if session.mode == AccessMode::SignedSession && session.customer_no.as_deref().is_none_or(|c| c.trim().is_empty()) {
        let detail = "The proxy's session names no customer.".to_owned();
        return (Phase::Broken { title: t.site_proxy_error, detail }, locale);
    }
    (Phase::Ready(Arc::new(Started { config, session, client })), locale)
}

fn mode_name(mode: AccessMode) -> &'static str {
    match mode {
        AccessMode::Trusted => "trusted",
        AccessMode::SignedSession => "signed-session",
    }
}

/// `config.json` beside the page; a missing one is the defaults.
async fn load_config() -> Result<SiteConfig, String> {
    let response = gloo_net::http::Request::get("config.json")
        .send()
        .await
        .map_err(|_| "config.json could not be fetched: the network failed.".to_owned())?;
    match response.status() {
        404 => Ok(SiteConfig::default()),
        200..=299 => {
            let text = response.text().await.map_err(|_| "config.json could not be read.".to_owned())?;
            SiteConfig::from_json(&text)
        }
        status => Err(format!("config.json could not be fetched (HTTP {status}).")),
    }
}

/// Customer service behind the company's own login: any customer of the ledger, by number.
#[component]
fn TrustedSite(started: Arc<Started>, locale: String) -> impl IntoView {
    let query = read_query();
    let t = texts(&locale);
    let owner_no = started.session.owner_no.clone();
    let customer = RwSignal::new(query.get("customer"));
    let open_invoice = RwSignal::new(
        query.get("invoice").map(|number| OpenInvoice { link: Link(paths::invoice(&owner_no, &number)), number }),
    );
    let draft = RwSignal::new(customer.get_untracked().unwrap_or_default());
    let tab = RwSignal::new(Tab::from_query(&query));
    let default_mode = started.config.view.unwrap_or(Mode::Crm);
    let mode = RwSignal::new(query.get("mode").and_then(|m| m.parse::<Mode>().ok()).unwrap_or(default_mode));
    provide_context(ErrorDetails(Signal::derive(move || mode.get() == Mode::Crm)));
    provide_host_events();

    Effect::new(move |_| {
        write_query(&[
            ("customer", customer.get()),
            ("invoice", open_invoice.with(|o| o.as_ref().map(|o| o.number.clone()))),
            ("tab", (tab.get() == Tab::Recurring).then(|| "recurring".to_owned())),
            ("mode", (mode.get() != default_mode).then(|| mode.get().as_str().to_owned())),
        ])
    });
    let choose = move |number: String| {
        let number = number.trim().to_owned();
        if !number.is_empty() && customer.get_untracked().as_deref() != Some(&number) {
            open_invoice.set(None);
            draft.set(number.clone());
            customer.set(Some(number));
        }
    };
    let shortcuts = started.config.customer_shortcuts.clone();
    let has_shortcuts = !shortcuts.is_empty();
    let views = {
        let started = started.clone();
        move || {
            customer.get().map(|customer_no| {
                view! {
                    <CustomerViews client=started.client.clone() owner_no=started.session.owner_no.clone()
                        customer_no=customer_no open_invoice=open_invoice tab=tab mode=mode.into() locale=locale.clone() />
                }
            })
        }
    };
    view! {
        <header class="bw-site-header">
            <h1>{t.site_title}</h1>
            <p>{fill(t.site_intro, &[&owner_no])}</p>
            <form class="bw-customer-form" on:submit=move |ev| { ev.prevent_default(); choose(draft.get_untracked()); }>
                <label for="bw-customer-no">{t.customer_number}</label>
                <input id="bw-customer-no" name="customer" list="bw-demo-customers" autocomplete="off"
                    prop:value=move || draft.get() on:input=move |ev| draft.set(event_target_value(&ev)) />
                <button type="submit" class="bw-button">{t.show_customer}</button>
                <datalist id="bw-demo-customers">
                    {shortcuts.iter().map(|(no, label)| view! { <option value=no.clone()>{label.clone()}</option> }).collect_view()}
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
            <Show when=move || has_shortcuts>
                <nav aria-label=t.demo_customers class="bw-demo-customers">
                    {shortcuts.iter().map(|(no, label)| {
                        let (no, chosen) = (no.clone(), no.clone());
                        let pressed = no.clone();
                        view! {
                            <button type="button" class="bw-chip" title=label.clone()
                                aria-pressed=move || (customer.get().as_deref() == Some(pressed.as_str())).to_string()
                                on:click=move |_| choose(chosen.clone())>{no}</button>
                        }
                    }).collect_view()}
                </nav>
            </Show>
        </header>
        <main>{views}</main>
    }
}

/// A signed session: the session's customer only, no picker; signed out when it expires.
#[component]
fn SessionSite(started: Arc<Started>, locale: String, on_expired: Callback<()>) -> impl IntoView {
    let query = read_query();
    let t = texts(&locale);
    let owner_no = started.session.owner_no.clone();
    let customer_no = started.session.customer_no.clone().unwrap_or_default();
    let open_invoice = RwSignal::new(
        query.get("invoice").map(|number| OpenInvoice { link: Link(paths::invoice(&owner_no, &number)), number }),
    );
    let tab = RwSignal::new(Tab::from_query(&query));
    // Changes only where the session allows them and the deployer asked for customer service.
    let may_change = started.session.scope == SessionScope::ReadWrite;
    let mode = if may_change && started.config.view == Some(Mode::Crm) { Mode::Crm } else { Mode::SelfService };
    provide_context(ErrorDetails(Signal::derive(move || mode == Mode::Crm)));
    provide_host_events();
    if let Some(expires_at) = started.session.expires_at {
        watch_expiry(started.client.clone(), customer_no.clone(), expires_at, on_expired);
    }
    Effect::new(move |_| {
        write_query(&[
            ("customer", None),
            ("invoice", open_invoice.with(|o| o.as_ref().map(|o| o.number.clone()))),
            ("tab", (tab.get() == Tab::Recurring).then(|| "recurring".to_owned())),
            ("mode", None),
        ])
    });
    view! {
        <header class="bw-site-header">
            <h1>{t.site_title}</h1>
            <p>{fill(t.site_my_invoices, &[&customer_no])}</p>
        </header>
        <main>
            <CustomerViews client=started.client.clone() owner_no=owner_no.clone() customer_no=customer_no.clone()
                open_invoice=open_invoice tab=tab mode=Signal::stored(mode) locale=locale.clone() />
        </main>
    }
}

/// The views' reports reach the page as the embedded elements' `payex-*` events do.
fn provide_host_events() {
    if let Some(body) = document().body() {
        billing_widget::embed::provide_host_events(body.into());
    }
}

/// One customer's invoices (list and opened invoice) and recurring products, in tabs.
#[component]
fn CustomerViews(
    client: ApiClient,
    owner_no: String,
    customer_no: String,
    open_invoice: RwSignal<Option<OpenInvoice>>,
    tab: RwSignal<Tab>,
    mode: Signal<Mode>,
    locale: String,
) -> impl IntoView {
    let t = texts(&locale);
    let customer_no = Signal::stored(customer_no);
    let selected = Signal::derive(move || open_invoice.with(|o| o.as_ref().map(|o| o.number.clone())));
    let on_open = Callback::new(move |invoice: Invoice| {
        open_invoice.set(Some(OpenInvoice { number: invoice.invoice_no, link: invoice.id }));
    });
    let listed = RwSignal::new(Arc::new(Vec::<Invoice>::new()));
    let on_listed = Callback::new(move |invoices: Arc<Vec<Invoice>>| listed.set(invoices));
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
}

/// The customer views, one at a time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tab {
    Invoices,
    Recurring,
}

impl Tab {
    const ALL: [Tab; 2] = [Tab::Invoices, Tab::Recurring];

    fn from_query(query: &Query) -> Tab {
        if query.get("tab").as_deref() == Some("recurring") {
            Tab::Recurring
        } else {
            Tab::Invoices
        }
    }

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

/// Sets (or, for `None`, removes) the page's query parameters, keeping the rest.
fn write_query(values: &[(&str, Option<String>)]) {
    let Ok(params) = web_sys::UrlSearchParams::new_with_str(&read_search()) else { return };
    for (name, value) in values {
        match value {
            Some(v) => params.set(name, v),
            None => params.delete(name),
        }
    }
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
