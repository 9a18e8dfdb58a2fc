//! A client scope: the requests of one embedded view, which can all be aborted at once when
//! the view is removed, the session token they carry, which the host may renew while the
//! view lives, and the view's first requests when the element's script sent them early.

use std::cell::RefCell;
use std::collections::HashMap;

thread_local! {
    static SCOPES: RefCell<HashMap<u32, ScopeState>> = RefCell::new(HashMap::new());
    static NEXT: std::cell::Cell<u32> = const { std::cell::Cell::new(1) };
}

struct ScopeState {
    controller: Option<web_sys::AbortController>,
    session: Option<String>,
    early: Vec<EarlyRequest>,
}

/// A `GET` sent for a view before the view existed: `payex-billing.js` sends an invoice
/// view's first requests while the wasm is still loading, and the view takes their answers
/// instead of asking again.
#[derive(Clone, Debug)]
pub(crate) struct EarlyRequest {
    /// The URL it asked for, as [`super::ApiClient::url`] writes it.
    pub(crate) url: String,
    /// Its answer to come (what `fetch` returned).
    pub(crate) answer: js_sys::Promise,
}

/// A handle on a scope; cheap to copy into every clone of a client.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ClientScope(u32);

impl ClientScope {
    /// A new scope with its own abort controller.
    pub fn new() -> ClientScope {
        let id = NEXT.with(|n| {
            let id = n.get();
            n.set(id.wrapping_add(1).max(1));
            id
        });
        let controller = web_sys::AbortController::new().ok();
        SCOPES.with(|s| s.borrow_mut().insert(id, ScopeState { controller, session: None, early: Vec::new() }));
        ClientScope(id)
    }

    /// The signal every request of the scope is sent with; `None` once the scope is closed.
    pub fn abort_signal(self) -> Option<web_sys::AbortSignal> {
        SCOPES.with(|s| s.borrow().get(&self.0).and_then(|state| state.controller.as_ref().map(|c| c.signal())))
    }

    /// The session token the scope's requests carry now.
    pub fn session(self) -> Option<String> {
        SCOPES.with(|s| s.borrow().get(&self.0).and_then(|state| state.session.clone()))
    }

    /// Replaces the session token (the host renewed it); empty means none.
    pub fn set_session(self, token: Option<&str>) {
        let token = token.map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned);
        SCOPES.with(|s| {
            if let Some(state) = s.borrow_mut().get_mut(&self.0) {
                state.session = token;
            }
        });
    }

    /// Hands the scope requests already sent for it (see [`EarlyRequest`]): a `GET` of the
    /// same URL takes the answer instead of asking again, once.
    pub(crate) fn set_early(self, early: Vec<EarlyRequest>) {
        SCOPES.with(|s| {
            if let Some(state) = s.borrow_mut().get_mut(&self.0) {
                state.early = early;
            }
        });
    }

    /// The answer of the early request for `url`, if there is one not taken yet.
    pub(crate) fn take_early(self, url: &str) -> Option<js_sys::Promise> {
        SCOPES.with(|s| {
            let mut scopes = s.borrow_mut();
            let early = &mut scopes.get_mut(&self.0)?.early;
            let at = early.iter().position(|e| e.url == url)?;
            Some(early.swap_remove(at).answer)
        })
    }

    /// Drops the early requests not taken: they answered the view's first load, and a later
    /// load (a reload, another invoice) asks afresh.
    pub(crate) fn forget_early(self) {
        SCOPES.with(|s| {
            if let Some(state) = s.borrow_mut().get_mut(&self.0) {
                state.early.clear();
            }
        });
    }

    /// Aborts every request in flight and refuses new ones: the view is gone.
    pub fn close(self) {
        if let Some(state) = SCOPES.with(|s| s.borrow_mut().remove(&self.0)) {
            if let Some(controller) = state.controller {
                controller.abort();
            }
        }
    }
}

impl Default for ClientScope {
    fn default() -> Self {
        ClientScope::new()
    }
}
