//! The Rust half of the custom elements (`<payex-invoice>`, `<payex-invoice-list>`,
//! `<payex-recurring-products>`): mounts a view into the container an element made in its
//! shadow root, updates it when attributes change, and releases everything it held (reactive
//! owner, listeners, requests in flight) when the element is removed.
//!
//! The JavaScript half, `embed/payex-billing.js`, defines the elements and calls these exports.
//!
//! # Usage (what `payex-billing.js` does)
//!
//! ```js
//! import init, { mountView } from './payex-billing-core.js';
//! await init();
//! const view = mountView('invoice', container, { ownerNo: '100200', invoiceNo: '603012', locale: 'sv-SE' });
//! view.update({ ownerNo: '100200', invoiceNo: '603012', locale: 'sv-SE', sessionToken: renewed });
//! view.update({ ownerNo: '100200', invoiceNo: '603011', locale: 'sv-SE' });
//! view.unmount();
//! ```

use crate::api::{ApiClient, ClientScope, EarlyRequest};
use crate::format::i18n::{fill, language_of};
use crate::format::texts;
use crate::model::VatRates;
use crate::views::{
    ErrorDetails, InvoiceList, InvoiceView, Mode, OpenedInvoice, RecurringProductsView, SessionRenewals,
};
use billing_contract::{paths, Invoice, Link};
use leptos::prelude::*;
use std::any::Any;
use std::cell::Cell;
use std::rc::Rc;
use std::sync::Arc;
use wasm_bindgen::prelude::*;

/// A host-signed session token. It is a secret: its `Debug` output is `SessionToken(…)`, so
/// the options can be logged without it.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct SessionToken(String);

impl SessionToken {
    /// Wraps a token (trimmed; empty means none).
    pub fn new(token: &str) -> SessionToken {
        SessionToken(token.trim().to_owned())
    }

    /// The token, to send with requests.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_empty() { "SessionToken(none)" } else { "SessionToken(…)" })
    }
}

/// What an element is told by its attributes and properties (or by `mount(element, options)`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ElementOptions {
    /// `owner-no`: the ledger.
    pub owner_no: String,
    /// `customer-no`.
    pub customer_no: String,
    /// `invoice-no`.
    pub invoice_no: String,
    /// `mode`: `self-service` (the default, read-only) or `crm`, which must be asked for.
    pub mode: Mode,
    /// `locale`, else the nearest `lang`, else the browser's language (resolved by the element).
    pub locale: String,
    /// `api-base`: the proxy's origin; empty for the page's own.
    pub api_base: String,
    /// `vat-rates`: the ledger's VAT rates, e.g. `25.5,13.5,10,0` (wins over `country`).
    pub vat_rates: String,
    /// `country`: the ledger's country (ISO 3166 alpha-2), for its default VAT rates.
    pub country: String,
    /// The `sessionToken` property (never an attribute): a host-signed session for the proxy's
    /// signed-session mode.
    pub session_token: SessionToken,
}

impl ElementOptions {
    /// Reads `{ ownerNo, customerNo, invoiceNo, mode, locale, apiBase, vatRates, country,
    /// sessionToken }`; missing or non-string values read as empty. A missing, empty or unknown
    /// mode is self-service: edit controls are only shown to a host that asks for `crm`.
    pub fn from_js(options: &JsValue) -> ElementOptions {
        let text = |key: &str| {
            js_sys::Reflect::get(options, &JsValue::from_str(key))
                .ok()
                .and_then(|v| v.as_string())
                .map(|s| s.trim().to_owned())
                .unwrap_or_default()
        };
        ElementOptions {
            owner_no: text("ownerNo"),
            customer_no: text("customerNo"),
            invoice_no: text("invoiceNo"),
            mode: Mode::from_attribute(&text("mode")),
            locale: text("locale"),
            api_base: text("apiBase"),
            vat_rates: text("vatRates"),
            country: text("country"),
            session_token: SessionToken::new(&text("sessionToken")),
        }
    }

    /// What, when it changes, needs a new view rather than new data: ledger, locale, mode, API,
    /// VAT rates.
    fn view_key(&self) -> (String, String, Mode, String, VatRates) {
        let rates = VatRates::configured(&self.vat_rates, &self.country, &self.locale);
        (self.owner_no.clone(), self.locale.clone(), self.mode, self.api_base.clone(), rates)
    }
}

/// Which view an element shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ViewKind {
    Invoice,
    InvoiceList,
    RecurringProducts,
}

impl ViewKind {
    fn parse(kind: &str) -> Option<ViewKind> {
        match kind {
            "invoice" => Some(ViewKind::Invoice),
            "invoice-list" => Some(ViewKind::InvoiceList),
            "recurring-products" => Some(ViewKind::RecurringProducts),
            _ => None,
        }
    }

    /// The attributes the view cannot do without.
    fn required(self) -> &'static [&'static str] {
        match self {
            ViewKind::Invoice => &["owner-no", "invoice-no"],
            ViewKind::InvoiceList | ViewKind::RecurringProducts => &["owner-no", "customer-no"],
        }
    }

    fn missing(self, o: &ElementOptions) -> Vec<&'static str> {
        self.required()
            .iter()
            .copied()
            .filter(|a| match *a {
                "owner-no" => o.owner_no.is_empty(),
                "customer-no" => o.customer_no.is_empty(),
                _ => o.invoice_no.is_empty(),
            })
            .collect()
    }
}

/// The signals through which a mounted view hears of new attribute values.
#[derive(Clone, Copy)]
struct Live {
    options: RwSignal<ElementOptions>,
    renewals: RwSignal<u32>,
}

/// A view mounted for an element.
#[wasm_bindgen]
pub struct MountedView {
    view: Option<Box<dyn Any>>,
    /// The container's place in the panic hook's list, dropped after the view.
    registration: Option<super::panic::Registration>,
    live: Rc<Cell<Option<Live>>>,
    scope: ClientScope,
}

/// Mounts the view `kind` (`invoice`, `invoice-list` or `recurring-products`) into
/// `container` with `options` (see [`ElementOptions::from_js`]).
#[wasm_bindgen(js_name = mountView)]
pub fn mount_view(kind: &str, container: web_sys::HtmlElement, options: JsValue) -> Result<MountedView, JsError> {
    let name = kind;
    let kind = ViewKind::parse(name).ok_or_else(|| JsError::new(&format!("unknown view {name:?}")))?;
    let initial = ElementOptions::from_js(&options);
    // Installs the panic hook with the first view; a panic turns this container into an error state.
    let registration = super::panic::register(&container, name, &initial.locale);
    let scope = ClientScope::new();
    scope.set_session(Some(initial.session_token.expose()));
    scope.set_early(early_requests(&options));
    let live: Rc<Cell<Option<Live>>> = Rc::new(Cell::new(None));
    let out = live.clone();
    // Reports go out from the container: inside the element's shadow root, so the host sees the
    // element as their target, and the views inside need not know it.
    let target = web_sys::EventTarget::from(container.clone());
    let view = leptos::mount::mount_to(container, move || {
        // Created inside the mount, so the signals are released with the view.
        let (options, renewals) = (RwSignal::new(initial), RwSignal::new(0));
        out.set(Some(Live { options, renewals }));
        provide_context(SessionRenewals(renewals));
        super::host_events::provide_host_events(target);
        element_view(kind, options, scope)
    });
    // Unmounting drops the view, then the registration: a panic after that leaves the container alone.
    Ok(MountedView { view: Some(Box::new(view)), registration: Some(registration), live, scope })
}

/// `options.early`: `[{ url, answer }]`, the view's first requests if `payex-billing.js` sent
/// them while the wasm loaded (see [`EarlyRequest`]); anything else in it is ignored.
fn early_requests(options: &JsValue) -> Vec<EarlyRequest> {
    let field = |object: &JsValue, key: &str| js_sys::Reflect::get(object, &JsValue::from_str(key)).ok();
    let Some(list) = field(options, "early").and_then(|e| e.dyn_into::<js_sys::Array>().ok()) else {
        return Vec::new();
    };
    list.iter()
        .filter_map(|early| {
            let url = field(&early, "url")?.as_string()?;
            let answer = field(&early, "answer")?.dyn_into::<js_sys::Promise>().ok()?;
            Some(EarlyRequest { url, answer })
        })
        .collect()
}

#[wasm_bindgen]
impl MountedView {
    /// New attribute values: numbers reload the data, a new ledger, locale, mode or API base
    /// rebuilds the view, and a new session token is used from the next request on (and
    /// retries what a 401 refused).
    pub fn update(&self, options: JsValue) {
        let next = ElementOptions::from_js(&options);
        let Some(live) = self.live.get() else { return };
        if let Some(registration) = &self.registration {
            registration.relabel(&next.locale);
        }
        self.scope.set_session(Some(next.session_token.expose()));
        let renewed = live.options.with_untracked(|o| o.session_token != next.session_token);
        // The early requests were sent with the options the view mounted with.
        if live.options.with_untracked(|o| *o != next) {
            self.scope.forget_early();
        }
        live.options.try_update(|current| {
            if *current != next {
                *current = next;
            }
        });
        if renewed {
            live.renewals.try_update(|n| *n += 1);
        }
    }

    /// Removes the view: aborts its requests and releases its listeners and reactive state.
    pub fn unmount(&mut self) {
        self.scope.close();
        self.view.take();
        self.registration.take();
        self.live.set(None);
    }
}

impl Drop for MountedView {
    fn drop(&mut self) {
        self.unmount();
    }
}

/// The view for `kind`, rebuilt when the options that shape it change.
fn element_view(kind: ViewKind, options: RwSignal<ElementOptions>, scope: ClientScope) -> impl IntoView {
    let key = Memo::new(move |_| options.with(ElementOptions::view_key));
    // Memos: a new session token or another unrelated option must not reload the data.
    let customer_no: Signal<String> = Memo::new(move |_| options.with(|o| o.customer_no.clone())).into();
    let invoice_no = Memo::new(move |_| options.with(|o| o.invoice_no.clone()));
    move || {
        let (owner_no, locale, mode, api_base, vat_rates) = key.get();
        let missing = options.with_untracked(|o| kind.missing(o));
        if !missing.is_empty() {
            let said = fill(texts(&locale).missing_attributes, &[&missing.join(", ")]);
            return view! { <p class="bw-error" role="alert" lang=language_of(&locale)>{said}</p> }.into_any();
        }
        // The raw cause of an error (a decoder's words) only for CRM staff, behind "Details".
        provide_context(ErrorDetails(Signal::stored(mode == Mode::Crm)));
        let client = ApiClient::new(&api_base).in_scope(scope);
        // Screen readers read the texts in their language, whatever the host page's lang says.
        let lang = language_of(&locale);
        let inner = match kind {
            ViewKind::Invoice => {
                let owner = owner_no.clone();
                let invoice = Signal::derive(move || Link(paths::invoice(&owner, &invoice_no.get())));
                view! { <InvoiceView client=client invoice=invoice locale=locale /> }.into_any()
            }
            ViewKind::InvoiceList => invoice_list(client, owner_no, customer_no, locale, mode).into_any(),
            ViewKind::RecurringProducts => view! {
                <RecurringProductsView client=client owner_no=owner_no customer_no=customer_no locale=locale mode=mode
                    vat_rates=vat_rates />
            }
            .into_any(),
        };
        // The mode is on the view's root for the stylesheet (larger touch targets in self-service).
        view! { <div lang=lang data-mode=mode.as_str()>{inner}</div> }.into_any()
    }
}

/// A customer's invoices; the one opened shows below the list, with its comparison on demand.
fn invoice_list(
    client: ApiClient,
    owner_no: String,
    customer_no: Signal<String>,
    locale: String,
    mode: Mode,
) -> impl IntoView {
    let open = RwSignal::new(None::<Invoice>);
    let listed = RwSignal::new(Arc::new(Vec::<Invoice>::new()));
    // Another customer: the open invoice was the previous customer's.
    Effect::new(move |previous: Option<String>| {
        let current = customer_no.get();
        if previous.is_some_and(|p| p != current) {
            open.set(None);
        }
        current
    });
    let selected = Signal::derive(move || open.with(|o| o.as_ref().map(|i| i.invoice_no.clone())));
    let on_open = Callback::new(move |invoice: Invoice| open.set(Some(invoice)));
    let on_listed = Callback::new(move |invoices: Arc<Vec<Invoice>>| listed.set(invoices));
    let invoice_view = {
        let (client, locale, owner_no) = (client.clone(), locale.clone(), owner_no.clone());
        move || {
            open.get().map(|invoice| {
                view! {
                    <OpenedInvoice client=client.clone() owner_no=owner_no.clone() invoice=invoice.id
                        invoice_no=invoice.invoice_no invoices=listed
                        mode=mode locale=locale.clone() />
                }
            })
        }
    };
    view! {
        <InvoiceList client=client owner_no=owner_no customer_no=customer_no selected=selected on_open=on_open
            on_listed=on_listed locale=locale />
        <div class="bw-opened-invoice">{invoice_view}</div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_session_token_never_shows_in_debug_output() {
        let options =
            ElementOptions { session_token: SessionToken::new(" secret-token "), ..ElementOptions::default() };
        let printed = format!("{options:?} {:#?}", options);
        assert!(!printed.contains("secret"), "{printed}");
        assert!(printed.contains("SessionToken(…)"), "{printed}");
        assert_eq!(options.session_token.expose(), "secret-token");
        assert_eq!(format!("{:?}", SessionToken::default()), "SessionToken(none)");
    }

    #[test]
    fn early_paths_are_the_contracts() {
        // payex-billing.js sends a view's first requests before the wasm has loaded,
        // from its own copy of these paths: a copy that drifted would cost requests.
        let script = include_str!("../../embed/payex-billing.js");
        let invoice =
            format!("['{}', '{}']", paths::invoice("OWNER", "INVOICE"), paths::invoice_charges("OWNER", "INVOICE"));
        let list = format!("['{}']", paths::invoices_of_customer("OWNER", "CUSTOMER"));
        let products = format!(
            "['{}', '{}', '{}']",
            paths::customer("OWNER", "CUSTOMER"),
            paths::customer_products("OWNER", "CUSTOMER"),
            paths::customer_subscriptions("OWNER", "CUSTOMER")
        );
        for listed in [
            format!("  invoice: {invoice},"),
            format!("  'invoice-list': {list},"),
            format!("  'recurring-products': {products},"),
        ] {
            assert!(script.contains(&listed), "payex-billing.js's EARLY_PATHS should list {listed}");
        }
    }

    #[test]
    fn the_vat_rates_come_from_the_attributes_or_the_locale() {
        let options = |vat_rates: &str, country: &str, locale: &str| ElementOptions {
            vat_rates: vat_rates.into(),
            country: country.into(),
            locale: locale.into(),
            ..ElementOptions::default()
        };
        assert_eq!(options("", "FI", "en").view_key().4, VatRates::of_country("FI"));
        assert_eq!(options("25,0", "FI", "sv-SE").view_key().4, VatRates::Listed(vec![25.into(), 0.into()]));
        assert_eq!(options("", "", "nb-NO").view_key().4, VatRates::of_country("NO"));
        assert_eq!(options("", "", "en-GB").view_key().4, VatRates::Unchecked);
    }
}
