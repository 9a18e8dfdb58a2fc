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
//! });
//! document.addEventListener('payex-invoice-opened', (e) => {
//!   // e.detail: { ownerNo: '100200', customerNo: '15615616', invoiceNo: '603012' }
//! });
//! ```

use serde::Serialize;
use wasm_bindgen::JsValue;

/// What kind of change was made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeAction {
    ProductAdded,
    ProductUpdated,
    ProductEnded,
    ProductDeleted,
    SubscriptionAdded,
}

/// The `detail` of `payex-recurring-products-changed`: what changed, on which customer and
/// subscription.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChangeNotice {
    /// What was done.
    pub action: ChangeAction,
    /// The ledger.
    pub owner_no: String,
    /// The customer.
    pub customer_no: String,
    /// The subscription, or `null` for the customer's own products.
    pub subscription_no: Option<String>,
    /// The product changed, or `null` for an added one (its number is the server's to give).
    pub recurring_product_no: Option<String>,
    /// The catalogue number of the product, or `null` for a subscription.
    pub product_no: Option<String>,
    /// The product's or subscription's description.
    pub description: Option<String>,
}

/// An event for the host page.
#[derive(Clone, Debug, PartialEq)]
pub enum HostEvent {
    /// `payex-loaded`: a view has all its data; `detail` says which view and what it holds.
    Loaded(serde_json::Value),
    /// `payex-error`: a view could not load; `detail` has the view, the status and the problem's
    /// type, title, detail and instance id (as far as there was a problem document).
    Error(serde_json::Value),
    /// `payex-invoice-opened`: an invoice was chosen from a list.
    InvoiceOpened { owner_no: String, customer_no: String, invoice_no: String },
    /// `payex-recurring-products-changed`: a change was saved.
    RecurringProductsChanged(ChangeNotice),
    /// `payex-authentication-required`: the API answered 401; the host should refresh the
    /// session (the view offers to try again).
    AuthenticationRequired { instance: Option<String> },
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
        }
    }

    /// The event's `detail`, as JSON.
    pub fn detail_json(&self) -> String {
        let detail = match self {
            HostEvent::Loaded(detail) | HostEvent::Error(detail) => Ok(detail.clone()),
            HostEvent::InvoiceOpened { owner_no, customer_no, invoice_no } => {
                Ok(serde_json::json!({ "ownerNo": owner_no, "customerNo": customer_no, "invoiceNo": invoice_no }))
            }
            HostEvent::RecurringProductsChanged(notice) => serde_json::to_value(notice),
            HostEvent::AuthenticationRequired { instance } => {
                Ok(serde_json::json!({ "status": 401, "instance": instance }))
            }
        };
        detail.map(|d| d.to_string()).unwrap_or_else(|_| "null".into())
    }
}

impl HostEvent {
    /// `payex-error` for `view` (e.g. `invoice`) failing with `error`.
    pub fn error(view: &str, error: &crate::api::ApiError) -> HostEvent {
        let problem = error.problem();
        HostEvent::Error(serde_json::json!({
            "view": view,
            "status": error.status(),
            "type": problem.and_then(|p| p.problem_type.clone()),
            "title": problem.map(|p| p.title.clone()).filter(|t| !t.is_empty()).unwrap_or_else(|| error.to_string()),
            "detail": problem.and_then(|p| p.detail.clone()),
            "instance": problem.and_then(|p| p.instance.clone()),
        }))
    }
}

/// Dispatches `event` on `target` (bubbling, composed). Returns false if the browser refused it
/// or a listener cancelled it.
pub fn dispatch(target: &web_sys::EventTarget, event: &HostEvent) -> bool {
    let detail = js_sys::JSON::parse(&event.detail_json()).unwrap_or(JsValue::NULL);
    let init = web_sys::CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_detail(&detail);
    web_sys::CustomEvent::new_with_event_init_dict(event.name(), &init)
        .and_then(|e| target.dispatch_event(&e))
        .unwrap_or(false)
}
