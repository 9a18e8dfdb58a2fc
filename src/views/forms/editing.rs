//! What the change forms share: how a change is sent, the guard against sending it twice, and
//! whom to tell when it is saved or the session has expired.

use crate::api::{ApiError, Change, Saved, SendChange};
use crate::model::change::ChangeNotice;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Everything a change form needs besides its own fields.
#[derive(Clone)]
pub struct Editing {
    /// Sends a change to the API (or, in tests, to a stand-in).
    pub send: SendChange,
    /// The ledger, for the change notices.
    pub owner_no: String,
    /// The customer, for the change notices.
    pub customer_no: String,
    /// A change was saved: re-read, announce, tell the host.
    pub on_saved: Callback<ChangeNotice>,
    /// The API answered 401; carries the problem's instance id.
    pub on_unauthorized: Callback<Option<String>>,
}

impl Editing {
    /// Sends `change` unless `busy` says a change from the same form is already in flight, and
    /// hands the result to `done` (not called if the form is gone by then).
    pub fn submit(&self, change: Change, busy: RwSignal<bool>, done: impl FnOnce(Result<Saved, ApiError>) + 'static) {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let request = (self.send)(change);
        let on_unauthorized = self.on_unauthorized;
        spawn_local(async move {
            let result = request.await;
            if busy.try_set(false).is_some() {
                return; // the form was closed while the request was in flight
            }
            if let Err(error) = &result {
                if error.status() == Some(401) {
                    on_unauthorized.try_run(error.problem().and_then(|p| p.instance.clone()));
                }
            }
            done(result);
        });
    }

    /// A notice about this customer.
    pub fn notice(&self, action: crate::model::change::ChangeAction) -> ChangeNotice {
        ChangeNotice {
            action,
            owner_no: self.owner_no.clone(),
            customer_no: self.customer_no.clone(),
            subscription_no: None,
            recurring_product_no: None,
            product_no: None,
            description: None,
        }
    }
}
