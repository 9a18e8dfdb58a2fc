//! Loading and error states shared by every view.

use crate::api::{ApiError, PagingFault};
use crate::format::{i18n::fill, Texts};
use crate::views::common::i18n::use_i18n;
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

/// Whether error views may show the raw detail of a failure (a decoder's or the browser's
/// words) behind a "Details" toggle: provided as context, true in CRM mode only. Without it,
/// they do not.
///
/// # Usage
///
/// ```no_run
/// use billing_widget::views::ErrorDetails;
/// use leptos::prelude::*;
/// // Inside the component that places the views, for CRM staff:
/// provide_context(ErrorDetails(Signal::stored(true)));
/// ```
#[derive(Clone, Copy, Debug)]
pub struct ErrorDetails(pub Signal<bool>);

/// Whether the raw detail of errors may be shown here (see [`ErrorDetails`]); follows the mode.
fn error_details_allowed() -> Signal<bool> {
    use_context::<ErrorDetails>().map_or_else(|| Signal::stored(false), |d| d.0)
}

/// What a user is told of a failure: a sentence in their language, never a decoder's words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Described {
    /// The headline: the problem's title, or a translated sentence.
    pub title: String,
    /// The problem's own detail, written for people.
    pub detail: Option<String>,
    /// The technical cause (a decoder's or the browser's words): only behind "Details", in CRM.
    pub raw: Option<String>,
    /// The id support asks for: the problem's instance or the proxy's request id.
    pub id: Option<String>,
    /// The problem's type code.
    pub problem_type: Option<String>,
}

/// Tells `error` in the words of `t`.
pub fn describe(t: &Texts, error: &ApiError) -> Described {
    let id = error.error_id().map(str::to_owned);
    let plain = |title: String| Described {
        title,
        detail: None,
        raw: Some(error.to_string()),
        id: id.clone(),
        problem_type: None,
    };
    match error {
        ApiError::Problem(p) => Described {
            title: if p.title.trim().is_empty() { t.could_not_load.to_owned() } else { p.title.clone() },
            detail: p.detail.clone(),
            raw: None,
            id,
            problem_type: p.problem_type.clone(),
        },
        ApiError::Status { status, .. } => plain(fill(t.err_status, &[&status.to_string()])),
        ApiError::Network(_) => plain(t.err_unreachable.to_owned()),
        ApiError::Request(_) => plain(t.err_request.to_owned()),
        ApiError::Decode { .. } => plain(t.err_unreadable.to_owned()),
        ApiError::LinkRefused(_) => plain(t.err_link_refused.to_owned()),
        ApiError::Paging { reason: PagingFault::Loop, .. } => plain(t.err_paging_loop.to_owned()),
        ApiError::Paging { reason: PagingFault::TooMany, .. } => plain(t.err_paging_too_many.to_owned()),
    }
}

/// The raw cause of a failure behind a closed "Details" toggle, where [`ErrorDetails`] allows.
pub fn raw_details(t: &'static Texts, raw: Option<String>) -> impl IntoView {
    let allowed = error_details_allowed();
    move || {
        let raw = raw.clone().filter(|_| allowed.get())?;
        Some(view! {
            <details class="bw-error-details">
                <summary>{t.error_details}</summary>
                <code>{raw}</code>
            </details>
        })
    }
}

/// A note that what is shown leaves something out (items that could not be read), with `text`
/// saying what and how many.
pub fn incomplete_note(text: String) -> impl IntoView {
    view! { <p class="bw-note bw-note-warning bw-totals-incomplete" role="note"><span aria-hidden="true">"⚠ "</span>{text}</p> }
}

/// An error: a problem's title, detail, type and instance id (which support asks for), or a
/// translated sentence for other failures with the request's id, with a retry button when the
/// caller gives one and a retry may help ([`ApiError::may_pass_on_retry`]: not for a refusal
/// such as 403 or 404). A decoder's or the browser's words show only in CRM mode, behind
/// "Details".
///
/// - `error`: what failed.
/// - `retry`: run again; no button without it.
/// - `hide_fields`: leave out the field problems (a form shows them on its fields).
#[component]
pub fn ErrorView(
    error: ApiError,
    #[prop(optional)] retry: Option<Callback<()>>,
    #[prop(optional)] hide_fields: bool,
) -> impl IntoView {
    let t = use_i18n().texts();
    let retry = retry.filter(|_| error.may_pass_on_retry());
    let Described { title, detail, raw, id: instance, problem_type } = describe(t, &error);
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
            {raw_details(t, raw)}
            {retry.map(|retry| view! {
                <button type="button" class="bw-button" on:click=move |_| retry.run(())>{t.retry}</button>
            })}
        </div>
    }
}
