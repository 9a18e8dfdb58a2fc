//! Events the widget sends to the host page: `CustomEvent`s that bubble and are `composed`, so
//! they cross a shadow root and reach `document`.
//!
//! # Usage
//!
//! ```js
//! document.addEventListener('payex-recurring-products-changed', (e) => {
//!   // e.detail: { action: 'product-ended', ownerNo: '100200', customerNo: '15615616',
//!   //             subscriptionNo: '46701234567', recurringProductNo: '1002',
//!   //             productNo: 'MOB-5GB', description: 'Mobil 5 GB' }
//! });
//! document.addEventListener('payex-authentication-required', (e) => {
//!   // e.detail: { status: 401, instance: 'sbx-000042' }: refresh the session, then retry.
//! });
//! document.addEventListener('payex-loaded', (e) => {
//!   // e.detail: { view: 'invoice', invoiceNo: '603012', lines: 14 }
//!   //        or { view: 'invoice-list', customerNo: '15615616', invoices: 12 }
//!   //        or { view: 'recurring-products', customerNo: '15615616', products: 16, subscriptions: 4 }
//! });
//! document.addEventListener('payex-error', (e) => {
//!   // e.detail: { view: 'invoice', status: 404, type: 'billing/invoice/problems/invoice-not-found',
//!   //             title: 'Invoice not found', detail: '…', instance: 'sbx-000042' }
//!   //   or, after a panic (the widget has stopped; see `embed::panic`):
//!   //        { view: 'invoice', status: null, type: 'panic', title: 'This view stopped working. …',
//!   //          detail: 'panicked at …', instance: null }
//! });
//! document.addEventListener('payex-invoice-opened', (e) => {
//!   // e.detail: { ownerNo: '100200', customerNo: '15615616', invoiceNo: '603012' }
//! });
//! document.addEventListener('payex-invoice-compared', (e) => {
//!   // e.detail: { ownerNo: '100200', invoiceNo: '603012', comparedWith: '603011', currency: 'SEK',
//!   //             amount: '1884.92', previousAmount: '1630.50', difference: '254.42',
//!   //             unexplained: '0.00', changes: 3, newCharges: 1, priceChanges: 2 }
//!   //   (amounts are exact decimal strings; a kind of change that did not occur is left out)
//! });
//! ```

use crate::model::change::ChangeNotice;
use crate::model::comparison::ChangeKind;
use crate::views::{AuthRequired, Failed, InvoiceCompared, InvoiceOpened, Loaded};
use wasm_bindgen::JsValue;

/// The `detail` of `payex-recurring-products-changed`: what changed, on which customer and
/// subscription (`null` where a [`ChangeNotice`] has `None`).
fn change_detail(notice: &ChangeNotice) -> Detail {
    Detail::new()
        .with("action", notice.action.as_str())
        .with("ownerNo", notice.owner_no.as_str())
        .with("customerNo", notice.customer_no.as_str())
        .with("subscriptionNo", notice.subscription_no.clone())
        .with("recurringProductNo", notice.recurring_product_no.clone())
        .with("productNo", notice.product_no.clone())
        .with("description", notice.description.clone())
}

/// One value in an event's `detail`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DetailValue {
    /// A string.
    Text(String),
    /// A count or a status code.
    Number(u32),
    /// `null`: not known, or not applicable.
    Null,
}

impl From<&str> for DetailValue {
    fn from(text: &str) -> DetailValue {
        DetailValue::Text(text.to_owned())
    }
}

impl From<String> for DetailValue {
    fn from(text: String) -> DetailValue {
        DetailValue::Text(text)
    }
}

impl From<u32> for DetailValue {
    fn from(number: u32) -> DetailValue {
        DetailValue::Number(number)
    }
}

impl From<usize> for DetailValue {
    fn from(count: usize) -> DetailValue {
        DetailValue::Number(u32::try_from(count).unwrap_or(u32::MAX))
    }
}

impl<T: Into<DetailValue>> From<Option<T>> for DetailValue {
    fn from(value: Option<T>) -> DetailValue {
        value.map_or(DetailValue::Null, Into::into)
    }
}

/// An event's `detail`: an object of named values, built without a JSON library (a plain
/// object is all a host reads).
///
/// ```
/// use billing_widget::embed::{Detail, DetailValue};
/// let detail = Detail::new().with("view", "invoice").with("lines", 14usize).with("instance", None::<String>);
/// assert_eq!(detail.get("lines"), Some(&DetailValue::Number(14)));
/// assert_eq!(detail.get("instance"), Some(&DetailValue::Null));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Detail(Vec<(&'static str, DetailValue)>);

impl Detail {
    /// An empty detail.
    pub fn new() -> Detail {
        Detail::default()
    }

    /// This detail with `key` set to `value`.
    pub fn with(mut self, key: &'static str, value: impl Into<DetailValue>) -> Detail {
        self.0.push((key, value.into()));
        self
    }

    /// The value of `key`, if set.
    pub fn get(&self, key: &str) -> Option<&DetailValue> {
        self.0.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
    }

    /// The detail as a JavaScript object.
    pub fn to_js(&self) -> JsValue {
        let object = js_sys::Object::new();
        for (key, value) in &self.0 {
            let value = match value {
                DetailValue::Text(text) => JsValue::from_str(text),
                DetailValue::Number(number) => JsValue::from(*number),
                DetailValue::Null => JsValue::NULL,
            };
            // Setting a property on a fresh plain object cannot fail.
            let _ = js_sys::Reflect::set(&object, &JsValue::from_str(key), &value);
        }
        object.into()
    }
}

/// An event for the host page.
#[derive(Clone, Debug, PartialEq)]
pub enum HostEvent {
    /// `payex-loaded`: a view has all its data; `detail` says which view and what it holds.
    Loaded(Detail),
    /// `payex-error`: a view could not load; `detail` has the view, the status and the problem's
    /// type, title, detail and instance id (as far as there was a problem document).
    Error(Detail),
    /// `payex-invoice-opened`: an invoice was chosen from a list.
    InvoiceOpened { owner_no: String, customer_no: String, invoice_no: String },
    /// `payex-recurring-products-changed`: a change was saved.
    RecurringProductsChanged(ChangeNotice),
    /// `payex-authentication-required`: the API answered 401; the host should refresh the
    /// session (the view offers to try again).
    AuthenticationRequired { instance: Option<String> },
    /// `payex-invoice-compared`: two invoices were compared; `detail` has the summary figures.
    InvoiceCompared(Detail),
}

impl HostEvent {
    /// The DOM event name.
    pub fn name(&self) -> &'static str {
        match self {
            HostEvent::Loaded(_) => "payex-loaded",
            HostEvent::Error(_) => "payex-error",
            HostEvent::InvoiceOpened { .. } => "payex-invoice-opened",
            HostEvent::RecurringProductsChanged(_) => "payex-recurring-products-changed",
            HostEvent::AuthenticationRequired { .. } => "payex-authentication-required",
            HostEvent::InvoiceCompared(_) => "payex-invoice-compared",
        }
    }

    /// The event's `detail`.
    pub fn detail(&self) -> Detail {
        match self {
            HostEvent::Loaded(detail) | HostEvent::Error(detail) | HostEvent::InvoiceCompared(detail) => detail.clone(),
            HostEvent::InvoiceOpened { owner_no, customer_no, invoice_no } => Detail::new()
                .with("ownerNo", owner_no.as_str())
                .with("customerNo", customer_no.as_str())
                .with("invoiceNo", invoice_no.as_str()),
            HostEvent::RecurringProductsChanged(notice) => change_detail(notice),
            HostEvent::AuthenticationRequired { instance } => {
                Detail::new().with("status", 401u32).with("instance", instance.clone())
            }
        }
    }

    /// `payex-error` for `view` (e.g. `invoice`) failing with `error`: the problem's title, or
    /// the sentence the view shows (in English), never a decoder's words as the title; `detail`
    /// is the problem's, or the technical cause for the host's logs.
    pub fn error(view: &str, error: &crate::api::ApiError) -> HostEvent {
        let told = crate::views::describe(&crate::format::i18n::EN, error);
        HostEvent::Error(
            Detail::new()
                .with("view", view)
                .with("status", error.status().map(u32::from))
                .with("type", told.problem_type)
                .with("title", told.title)
                .with("detail", told.detail.or(told.raw))
                .with("instance", told.id),
        )
    }
}

impl From<Loaded> for HostEvent {
    /// `payex-loaded`, with the view's name and what it holds.
    fn from(loaded: Loaded) -> HostEvent {
        let detail = Detail::new().with("view", loaded.view().as_str());
        HostEvent::Loaded(match loaded {
            Loaded::Invoice { invoice_no, lines, failed_groups } => {
                detail.with("invoiceNo", invoice_no).with("lines", lines).with("failedGroups", failed_groups)
            }
            Loaded::InvoiceList { customer_no, invoices } => {
                detail.with("customerNo", customer_no).with("invoices", invoices)
            }
            Loaded::RecurringProducts { customer_no, products, subscriptions } => {
                detail.with("customerNo", customer_no).with("products", products).with("subscriptions", subscriptions)
            }
        })
    }
}

impl From<Failed> for HostEvent {
    /// `payex-error` (see [`HostEvent::error`]).
    fn from(failed: Failed) -> HostEvent {
        HostEvent::error(failed.view.as_str(), &failed.error)
    }
}

impl From<InvoiceOpened> for HostEvent {
    /// `payex-invoice-opened`.
    fn from(opened: InvoiceOpened) -> HostEvent {
        let InvoiceOpened { owner_no, customer_no, invoice_no } = opened;
        HostEvent::InvoiceOpened { owner_no, customer_no, invoice_no }
    }
}

impl From<ChangeNotice> for HostEvent {
    /// `payex-recurring-products-changed`.
    fn from(notice: ChangeNotice) -> HostEvent {
        HostEvent::RecurringProductsChanged(notice)
    }
}

/// The `detail` key of a kind of change's count.
fn change_key(kind: ChangeKind) -> &'static str {
    match kind {
        ChangeKind::New => "newCharges",
        ChangeKind::Ended => "endedCharges",
        ChangeKind::PriceChange => "priceChanges",
        ChangeKind::QuantityChange => "quantityChanges",
        ChangeKind::ProrationOrCredit => "prorationsOrCredits",
        ChangeKind::OneOff => "oneOffCharges",
        ChangeKind::Usage => "usageChanges",
        ChangeKind::AmountChange => "amountChanges",
    }
}

impl From<InvoiceCompared> for HostEvent {
    /// `payex-invoice-compared`: amounts as exact decimal strings, a count per kind of change
    /// that occurred.
    fn from(compared: InvoiceCompared) -> HostEvent {
        let total: usize = compared.changes.iter().map(|(_, n)| n).sum();
        let detail = Detail::new()
            .with("ownerNo", compared.owner_no)
            .with("invoiceNo", compared.invoice_no)
            .with("comparedWith", compared.compared_with)
            .with("currency", compared.currency)
            .with("amount", compared.amount.to_string())
            .with("previousAmount", compared.previous_amount.to_string())
            .with("difference", compared.difference.to_string())
            .with("unexplained", compared.unexplained.to_string())
            .with("changes", total);
        let detail = compared.changes.into_iter().fold(detail, |d, (kind, n)| d.with(change_key(kind), n));
        HostEvent::InvoiceCompared(detail)
    }
}

impl From<AuthRequired> for HostEvent {
    /// `payex-authentication-required`.
    fn from(required: AuthRequired) -> HostEvent {
        HostEvent::AuthenticationRequired { instance: required.instance }
    }
}

/// Dispatches `event` on `target` (bubbling, composed). Returns false if the browser refused it
/// or a listener cancelled it.
pub fn dispatch(target: &web_sys::EventTarget, event: &HostEvent) -> bool {
    let init = web_sys::CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_detail(&event.detail().to_js());
    web_sys::CustomEvent::new_with_event_init_dict(event.name(), &init)
        .and_then(|e| target.dispatch_event(&e))
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::change::ChangeAction;
    use crate::views::ViewName;

    #[test]
    fn a_change_notice_names_everything_the_host_reads() {
        let notice = ChangeNotice {
            action: ChangeAction::ProductEnded,
            owner_no: "100200".into(),
            customer_no: "15615616".into(),
            subscription_no: Some("46701234567".into()),
            recurring_product_no: Some("1002".into()),
            product_no: Some("MOB-5GB".into()),
            description: None,
        };
        let detail = HostEvent::RecurringProductsChanged(notice).detail();
        assert_eq!(detail.get("action"), Some(&DetailValue::Text("product-ended".into())));
        assert_eq!(detail.get("subscriptionNo"), Some(&DetailValue::Text("46701234567".into())));
        assert_eq!(detail.get("description"), Some(&DetailValue::Null));
        assert_eq!(detail.get("recurringProductNo"), Some(&DetailValue::Text("1002".into())));
    }

    #[test]
    fn an_error_event_is_titled_in_words_with_the_cause_in_its_detail() {
        let error = crate::api::ApiError::Decode {
            url: "/billing/x".into(),
            message: "missing field `@id` at line 1 column 443".into(),
            request_id: Some("r-1".into()),
        };
        let detail = HostEvent::error("recurring-products", &error).detail();
        assert_eq!(
            detail.get("title"),
            Some(&DetailValue::Text("The billing service sent an answer this view cannot read.".into()))
        );
        assert!(matches!(detail.get("detail"), Some(DetailValue::Text(d)) if d.contains("missing field")));
        assert_eq!(detail.get("instance"), Some(&DetailValue::Text("r-1".into())));
    }

    #[test]
    fn authentication_required_carries_the_status_and_instance() {
        let detail = HostEvent::AuthenticationRequired { instance: Some("sbx-000042".into()) }.detail();
        assert_eq!(detail.get("status"), Some(&DetailValue::Number(401)));
        assert_eq!(detail.get("instance"), Some(&DetailValue::Text("sbx-000042".into())));
    }

    #[test]
    fn a_loaded_invoice_tells_its_number_lines_and_failed_groups() {
        let event = HostEvent::from(Loaded::Invoice { invoice_no: "603012".into(), lines: 14, failed_groups: 1 });
        assert_eq!(event.name(), "payex-loaded");
        assert_eq!(
            event.detail(),
            Detail::new()
                .with("view", "invoice")
                .with("invoiceNo", "603012")
                .with("lines", 14usize)
                .with("failedGroups", 1usize)
        );
    }

    #[test]
    fn a_loaded_list_and_overview_tell_the_customer_and_their_counts() {
        let list = HostEvent::from(Loaded::InvoiceList { customer_no: "15615616".into(), invoices: 12 }).detail();
        assert_eq!(
            list,
            Detail::new().with("view", "invoice-list").with("customerNo", "15615616").with("invoices", 12usize)
        );
        let overview = HostEvent::from(Loaded::RecurringProducts {
            customer_no: "15615616".into(),
            products: 16,
            subscriptions: 4,
        })
        .detail();
        assert_eq!(
            overview,
            Detail::new()
                .with("view", "recurring-products")
                .with("customerNo", "15615616")
                .with("products", 16usize)
                .with("subscriptions", 4usize)
        );
    }

    #[test]
    fn a_comparison_tells_exact_amounts_and_counts_per_kind() {
        let dec = |s: &str| s.parse::<billing_contract::Decimal>().unwrap_or_default();
        let event = HostEvent::from(InvoiceCompared {
            owner_no: "100200".into(),
            invoice_no: "603012".into(),
            compared_with: "603011".into(),
            currency: "SEK".into(),
            amount: dec("1884.92"),
            previous_amount: dec("1630.50"),
            difference: dec("254.42"),
            unexplained: dec("0.00"),
            changes: vec![(ChangeKind::New, 1), (ChangeKind::PriceChange, 2)],
        });
        assert_eq!(event.name(), "payex-invoice-compared");
        assert_eq!(
            event.detail(),
            Detail::new()
                .with("ownerNo", "100200")
                .with("invoiceNo", "603012")
                .with("comparedWith", "603011")
                .with("currency", "SEK")
                .with("amount", "1884.92")
                .with("previousAmount", "1630.50")
                .with("difference", "254.42")
                .with("unexplained", "0.00")
                .with("changes", 3usize)
                .with("newCharges", 1usize)
                .with("priceChanges", 2usize)
        );
    }

    #[test]
    fn a_failure_names_its_view_and_status() {
        let error = crate::api::ApiError::Status { status: 404, status_text: "Not Found".into(), request_id: None };
        let event = HostEvent::from(Failed { view: ViewName::InvoiceList, error });
        assert_eq!(event.name(), "payex-error");
        assert_eq!(event.detail().get("view"), Some(&DetailValue::Text("invoice-list".into())));
        assert_eq!(event.detail().get("status"), Some(&DetailValue::Number(404)));
    }

    #[test]
    fn an_opened_invoice_and_a_renewal_request_keep_their_names_and_fields() {
        let opened = HostEvent::from(InvoiceOpened {
            owner_no: "100200".into(),
            customer_no: "15615616".into(),
            invoice_no: "603012".into(),
        });
        assert_eq!(opened.name(), "payex-invoice-opened");
        assert_eq!(opened.detail().get("invoiceNo"), Some(&DetailValue::Text("603012".into())));
        let renew = HostEvent::from(AuthRequired { instance: None });
        assert_eq!(renew.name(), "payex-authentication-required");
        assert_eq!(renew.detail().get("instance"), Some(&DetailValue::Null));
    }
}
