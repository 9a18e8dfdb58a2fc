//! Turns what the views report ([`ViewEvents`]) into the host page's DOM events: each report is
//! dispatched as its `payex-*` `CustomEvent` (bubbling, composed) on one target, so it crosses
//! any shadow root and reaches `document`.

use super::events::{dispatch, HostEvent};
use crate::views::ViewEvents;
use leptos::prelude::*;

/// Callbacks that dispatch each report on `target` (see [`crate::embed`] for the events). They
/// live as long as the reactive owner they are made in; after that, reports go nowhere.
pub fn host_events(target: web_sys::EventTarget) -> ViewEvents {
    let target = StoredValue::new_local(target);
    let tell = move |event: HostEvent| {
        target.try_with_value(|target| dispatch(target, &event));
    };
    ViewEvents {
        on_loaded: Some(Callback::new(move |loaded| tell(HostEvent::from(loaded)))),
        on_error: Some(Callback::new(move |failed| tell(HostEvent::from(failed)))),
        on_changed: Some(Callback::new(move |notice| tell(HostEvent::from(notice)))),
        on_invoice_opened: Some(Callback::new(move |opened| tell(HostEvent::from(opened)))),
        on_auth_required: Some(Callback::new(move |required| tell(HostEvent::from(required)))),
        on_compared: Some(Callback::new(move |compared| tell(HostEvent::from(compared)))),
    }
}

/// Provides [`host_events`] on `target` to every view mounted below the current owner.
pub fn provide_host_events(target: web_sys::EventTarget) {
    provide_context(host_events(target));
}
