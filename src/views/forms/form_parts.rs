//! The parts every change form shows besides its fields: what is wrong with it as a whole, and
//! its Send and Cancel buttons.

use crate::api::ApiError;
use crate::format::{i18n::fill, Texts};
use crate::model::{FormErrors, FormField};
use crate::views::ErrorView;
use leptos::prelude::*;

/// What is wrong with a form as a whole: how many fields need attention, or the server's
/// problem (title, detail, instance id) and any problems naming no field of the form.
#[component]
pub(super) fn FormSummary<F: FormField + Send + Sync>(
    errors: RwSignal<FormErrors<F>>,
    failure: RwSignal<Option<ApiError>>,
    t: &'static Texts,
) -> impl IntoView {
    move || {
        let fields = errors.with(|e| e.fields.len());
        let other = errors.with(|e| e.other.clone());
        let counted = match fields {
            0 => None,
            1 => Some(t.fix_field.to_owned()),
            n => Some(fill(t.fix_fields, &[&n.to_string()])),
        };
        let failure = failure.get().map(|error| {
            let error = if error.status() == Some(401) { session_expired(t, error) } else { error };
            view! { <ErrorView error=error hide_fields=true /> }
        });
        view! {
            <div class="bw-form-summary">
                {failure}
                {counted.map(|c| view! { <p class="bw-form-errors" role="alert">{c}</p> })}
                {(!other.is_empty()).then(|| view! {
                    <ul class="bw-error-fields" role="alert">
                        {other.into_iter().map(|p| view! { <li><code>{p.field}</code>": "{p.message}</li> }).collect_view()}
                    </ul>
                })}
            </div>
        }
    }
}

/// A 401 told as an expired session: the server's problem if it sent one with a title, else
/// the widget's own words.
pub(crate) fn session_expired(t: &'static Texts, error: ApiError) -> ApiError {
    if error.problem().is_some_and(|p| !p.title.is_empty()) {
        return error;
    }
    let instance = error.problem().and_then(|p| p.instance.clone());
    ApiError::Problem(billing_contract::Problem {
        title: t.session_expired.to_owned(),
        detail: Some(t.session_expired_detail.to_owned()),
        status: Some(401),
        instance,
        ..Default::default()
    })
}

/// Send and Cancel. While a request is in flight the send button says so and does nothing
/// (it stays focusable, so focus is not lost).
#[component]
pub(super) fn FormButtons(
    busy: RwSignal<bool>,
    submit_label: &'static str,
    on_cancel: Callback<()>,
    t: &'static Texts,
) -> impl IntoView {
    view! {
        <div class="bw-form-buttons">
            <button type="submit" class="bw-button" aria-disabled=move || busy.get().then_some("true")>
                {move || if busy.get() { t.saving } else { submit_label }}
            </button>
            <button type="button" class="bw-button bw-secondary" on:click=move |_| on_cancel.run(())>{t.cancel}</button>
        </div>
    }
}
