//! The button of an APG disclosure: shows or hides the region it controls.

use leptos::prelude::*;

/// A button that toggles `open`, with `aria-expanded` and `aria-controls` (the id of the region
/// it shows) and a chevron; its label stays the same either way, as the pattern asks.
#[component]
pub(crate) fn DisclosureButton(open: RwSignal<bool>, controls: String, label: &'static str) -> impl IntoView {
    view! {
        <button
            type="button"
            class="bw-button bw-secondary"
            aria-expanded=move || open.get().to_string()
            aria-controls=controls
            on:click=move |_| open.update(|o| *o = !*o)
        >
            <span class="bw-chevron" aria-hidden="true">{move || if open.get() { "▾" } else { "▸" }}</span>
            {label}
        </button>
    }
}
