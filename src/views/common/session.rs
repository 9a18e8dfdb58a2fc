//! Renewed sessions: when the host page hands a view a new session token after a 401, what
//! failed for want of a session is tried again by itself.

use leptos::prelude::*;

/// Counts the host's session renewals; provided by the embedding layer (one per element), or by
/// a Leptos app whose proxy runs in `signed-session` mode. After a 401, a view tries again by
/// itself each time the count changes.
///
/// # Usage
///
/// ```no_run
/// use billing_widget::api::{ApiClient, ClientScope};
/// use billing_widget::views::SessionRenewals;
/// use leptos::prelude::*;
/// // Inside the component that places the views:
/// let scope = ClientScope::new();
/// scope.set_session(Some("token signed by the host"));
/// let client = ApiClient::new("").in_scope(scope); // given to the views
/// let renewals = RwSignal::new(0u32);
/// provide_context(SessionRenewals(renewals));
/// // Later, with a fresh token (e.g. from a view's `on_auth_required`):
/// let renew = move |token: String| {
///     scope.set_session(Some(&token));
///     renewals.update(|n| *n += 1);
/// };
/// ```
#[derive(Clone, Copy, Debug)]
pub struct SessionRenewals(pub RwSignal<u32>);

/// Runs `retry` after each renewal while `refused()` says the last attempt was refused for want
/// of a session. Does nothing where no [`SessionRenewals`] is provided.
pub fn retry_on_renewal(refused: impl Fn() -> bool + Send + Sync + 'static, retry: impl Fn() + Send + Sync + 'static) {
    let Some(SessionRenewals(renewals)) = use_context() else { return };
    Effect::new(move |seen: Option<u32>| {
        let now = renewals.get();
        if seen.is_some_and(|seen| seen != now) && untrack(&refused) {
            retry();
        }
        now
    });
}
