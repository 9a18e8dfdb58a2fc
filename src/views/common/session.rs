//! Renewed sessions: when the host page hands a view a new session token after a 401, what
//! failed for want of a session is tried again by itself.

use leptos::prelude::*;

/// Counts the host's session renewals; provided by the embedding layer (one per element).
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
