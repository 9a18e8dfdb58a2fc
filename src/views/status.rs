//! Loading and error states shared by every view.

use crate::api::ApiError;
use crate::format::texts;
use leptos::prelude::*;
use std::time::Duration;

/// How long a load may take before anything shows for it: under a tenth of a second a wait
/// feels immediate, so a fast load paints once, complete, with no skeleton flashing before it.
pub const QUIET_LOAD: Duration = Duration::from_millis(100);

/// A loading placeholder, announced politely to screen readers. It appears once the load has
/// taken [`QUIET_LOAD`]; a faster load never shows it.
///
/// - `label`: what is loading, e.g. "Loading…".
#[component]
pub fn Loading(#[prop(into)] label: String) -> impl IntoView {
    let shown = RwSignal::new(false);
    let timer = set_timeout_with_handle(
        move || {
            shown.try_set(true);
        },
        QUIET_LOAD,
    );
    on_cleanup(move || {
        if let Ok(timer) = timer {
            timer.clear();
        }
    });
    move || {
        shown.get().then(|| {
            view! {
                <div class="bw-loading" role="status" aria-live="polite" aria-busy="true">
                    <span class="bw-spinner" aria-hidden="true"></span>
                    {label.clone()}
                    <div class="bw-skeleton" aria-hidden="true"><span></span><span></span><span></span></div>
                </div>
            }
        })
    }
}

/// An error: a problem's title, detail, type and instance id (which support asks for), or a
/// plain message for other failures, with a retry button when the caller gives one.
///
/// - `error`: what failed.
/// - `retry`: run again; no button without it.
/// - `locale`: the viewer's locale.
/// - `hide_fields`: leave out the field problems (a form shows them on its fields).
#[component]
pub fn ErrorView(
    error: ApiError,
    #[prop(optional)] retry: Option<Callback<()>>,
    #[prop(into)] locale: String,
    #[prop(optional)] hide_fields: bool,
) -> impl IntoView {
    let t = texts(&locale);
    let (title, detail, instance, problem_type) = match &error {
        ApiError::Problem(p) => (
            if p.title.is_empty() { t.could_not_load.to_owned() } else { p.title.clone() },
            p.detail.clone(),
            p.instance.clone(),
            p.problem_type.clone(),
        ),
        other => (t.could_not_load.to_owned(), Some(other.to_string()), None, None),
    };
    let fields = error.problem().filter(|_| !hide_fields).map(|p| p.problems.clone()).unwrap_or_default();
    view! {
        <div class="bw-error" role="alert">
            <p class="bw-error-title">{title}</p>
            {detail.map(|d| view! { <p class="bw-error-detail">{d}</p> })}
            {(!fields.is_empty()).then(|| view! {
                <ul class="bw-error-fields">
                    {fields.into_iter().map(|f| view! { <li><code>{f.field}</code>": "{f.message}</li> }).collect_view()}
                </ul>
            })}
            {(instance.is_some() || problem_type.is_some()).then(|| view! {
                <p class="bw-error-meta">
                    {instance.map(|i| view! { <span>{t.error_id}": "<code class="bw-instance">{i}</code></span> })}
                    {problem_type.map(|ty| view! { <span>{t.error_type}": "<code>{ty}</code></span> })}
                </p>
            })}
            {retry.map(|retry| view! {
                <button type="button" class="bw-button" on:click=move |_| retry.run(())>{t.retry}</button>
            })}
        </div>
    }
}
