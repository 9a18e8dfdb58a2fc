//! What a view reports to whoever mounted it: loaded, failed, changed, an invoice opened, two
//! invoices compared, a session to renew. The views call these callbacks and know nothing of who listens; the
//! embedding layer turns them into the host page's DOM events.

use crate::api::ApiError;
use crate::model::change::ChangeNotice;
use crate::model::comparison::ChangeKind;
use billing_contract::Decimal;
use leptos::prelude::*;

/// Which view reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ViewName {
    /// One invoice ([`crate::views::InvoiceView`]).
    Invoice,
    /// A customer's invoices ([`crate::views::InvoiceList`]).
    InvoiceList,
    /// A customer's recurring products ([`crate::views::RecurringProductsView`]).
    RecurringProducts,
}

impl ViewName {
    /// The name the host reads, e.g. `invoice-list`.
    pub fn as_str(self) -> &'static str {
        match self {
            ViewName::Invoice => "invoice",
            ViewName::InvoiceList => "invoice-list",
            ViewName::RecurringProducts => "recurring-products",
        }
    }
}

/// A view has all its data, and what it holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Loaded {
    /// Every group of an invoice's charges has loaded or failed.
    Invoice {
        /// The invoice shown.
        invoice_no: String,
        /// The charge lines shown.
        lines: usize,
        /// The groups that could not be loaded.
        failed_groups: usize,
    },
    /// A customer's invoices are listed.
    InvoiceList {
        /// The customer.
        customer_no: String,
        /// The invoices listed.
        invoices: usize,
    },
    /// A customer's recurring products are shown.
    RecurringProducts {
        /// The customer.
        customer_no: String,
        /// The products on the customer and its subscriptions.
        products: usize,
        /// The customer's subscriptions.
        subscriptions: usize,
    },
}

impl Loaded {
    /// The view that loaded.
    pub fn view(&self) -> ViewName {
        match self {
            Loaded::Invoice { .. } => ViewName::Invoice,
            Loaded::InvoiceList { .. } => ViewName::InvoiceList,
            Loaded::RecurringProducts { .. } => ViewName::RecurringProducts,
        }
    }
}

/// A view could not load its data.
#[derive(Clone, Debug, PartialEq)]
pub struct Failed {
    /// The view that failed.
    pub view: ViewName,
    /// Why.
    pub error: ApiError,
}

/// An invoice was chosen from a list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvoiceOpened {
    /// The ledger.
    pub owner_no: String,
    /// The customer.
    pub customer_no: String,
    /// The invoice chosen.
    pub invoice_no: String,
}

/// The API refused a request for an expired or missing session (401).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthRequired {
    /// The problem's instance id, if the API gave one.
    pub instance: Option<String>,
}

/// Two invoices were compared: the summary figures (amounts including VAT, exact decimals).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvoiceCompared {
    /// The ledger.
    pub owner_no: String,
    /// The newer invoice.
    pub invoice_no: String,
    /// The older invoice it was compared with.
    pub compared_with: String,
    /// The currency of both amounts.
    pub currency: String,
    /// The newer invoice's amount.
    pub amount: Decimal,
    /// The older invoice's amount.
    pub previous_amount: Decimal,
    /// How much more (negative: less) the newer invoice is.
    pub difference: Decimal,
    /// The part of the difference no listed change explains.
    pub unexplained: Decimal,
    /// How many changes of each kind, for the kinds that occur.
    pub changes: Vec<(ChangeKind, usize)>,
}

/// The callbacks a view reports through, provided as a context by whoever mounts the view;
/// each is optional, and none provided means nobody listens.
///
/// # Usage
///
/// ```no_run
/// use billing_widget::views::{Failed, Loaded, ViewEvents};
/// use leptos::prelude::*;
/// // Inside the component that places the views:
/// provide_context(ViewEvents {
///     on_loaded: Some(Callback::new(|loaded: Loaded| leptos::logging::log!("{loaded:?}"))),
///     on_error: Some(Callback::new(|failed: Failed| leptos::logging::warn!("{}: {}", failed.view.as_str(), failed.error))),
///     ..ViewEvents::default()
/// });
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct ViewEvents {
    /// A view has all its data.
    pub on_loaded: Option<Callback<Loaded>>,
    /// A view could not load.
    pub on_error: Option<Callback<Failed>>,
    /// A change was saved.
    pub on_changed: Option<Callback<ChangeNotice>>,
    /// An invoice was chosen from a list.
    pub on_invoice_opened: Option<Callback<InvoiceOpened>>,
    /// The session has to be renewed (the view offers to try again).
    pub on_auth_required: Option<Callback<AuthRequired>>,
    /// Two invoices were compared.
    pub on_compared: Option<Callback<InvoiceCompared>>,
}

/// Runs `callback`, if there is one and it is still alive.
fn report<T: 'static>(callback: Option<Callback<T>>, value: T) {
    if let Some(callback) = callback {
        let _ = callback.try_run(value);
    }
}

impl ViewEvents {
    /// Reports that a view has all its data.
    pub(crate) fn loaded(&self, loaded: Loaded) {
        report(self.on_loaded, loaded);
    }

    /// Reports that a view could not load; a refusal for want of a session (401) also asks for
    /// a new session, whichever view was refused.
    pub(crate) fn failed(&self, failed: Failed) {
        let renew = (failed.error.status() == Some(401))
            .then(|| AuthRequired { instance: failed.error.problem().and_then(|p| p.instance.clone()) });
        report(self.on_error, failed);
        if let Some(required) = renew {
            self.auth_required(required);
        }
    }

    /// Reports a saved change.
    pub(crate) fn changed(&self, notice: ChangeNotice) {
        report(self.on_changed, notice);
    }

    /// Reports an invoice chosen from a list.
    pub(crate) fn invoice_opened(&self, opened: InvoiceOpened) {
        report(self.on_invoice_opened, opened);
    }

    /// Reports that the session has to be renewed.
    pub(crate) fn auth_required(&self, required: AuthRequired) {
        report(self.on_auth_required, required);
    }

    /// Reports a comparison of two invoices.
    pub(crate) fn compared(&self, compared: InvoiceCompared) {
        report(self.on_compared, compared);
    }
}

/// The callbacks provided by whoever mounted the view, or none (reports go nowhere).
pub(crate) fn use_view_events() -> ViewEvents {
    use_context::<ViewEvents>().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `failed` reported: the errors' statuses, then the renewals' instances.
    fn reports_of(error: ApiError) -> (Vec<Option<u16>>, Vec<Option<String>>) {
        let owner = Owner::new();
        owner.with(|| {
            let (failed, renew) = (StoredValue::new(Vec::new()), StoredValue::new(Vec::new()));
            let events = ViewEvents {
                on_error: Some(Callback::new(move |f: Failed| failed.update_value(|v| v.push(f.error.status())))),
                on_auth_required: Some(Callback::new(move |r: AuthRequired| {
                    renew.update_value(|v| v.push(r.instance))
                })),
                ..ViewEvents::default()
            };
            events.failed(Failed { view: ViewName::Invoice, error });
            (failed.get_value(), renew.get_value())
        })
    }

    #[test]
    fn a_refused_session_asks_for_a_new_one_from_any_view() {
        let body = r#"{"type":"billing/proxy/problems/session-expired","title":"Session expired","status":401,"instance":"e2e-401"}"#;
        let expired = ApiError::from_error_body(401, "Unauthorized", "application/problem+json", body);
        assert_eq!(reports_of(expired), (vec![Some(401)], vec![Some("e2e-401".to_owned())]));
        let missing = ApiError::from_error_body(
            404,
            "Not Found",
            "application/problem+json",
            r#"{"title":"Not found","status":404}"#,
        );
        assert_eq!(reports_of(missing), (vec![Some(404)], vec![]), "only a 401 asks for a session");
    }

    #[test]
    fn each_view_reports_under_the_name_the_host_reads() {
        let loaded = Loaded::RecurringProducts { customer_no: "15615616".into(), products: 16, subscriptions: 4 };
        assert_eq!(loaded.view().as_str(), "recurring-products");
        assert_eq!(Loaded::InvoiceList { customer_no: String::new(), invoices: 0 }.view().as_str(), "invoice-list");
        let invoice = Loaded::Invoice { invoice_no: "603012".into(), lines: 14, failed_groups: 0 };
        assert_eq!(invoice.view(), ViewName::Invoice);
        assert_eq!(ViewName::Invoice.as_str(), "invoice");
    }
}
