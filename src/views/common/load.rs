//! Loading data for a view: one state signal, a retry, and no stale answers.

use crate::api::ApiError;
use crate::views::common::i18n::use_i18n;
use crate::views::{ErrorView, Loading};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::future::Future;

/// The state of a view's data.
#[derive(Clone, Debug, PartialEq)]
pub enum Load<T> {
    /// A request is in flight.
    Loading,
    /// The data arrived.
    Ready(T),
    /// The request failed.
    Failed(ApiError),
}

impl<T> From<Result<T, ApiError>> for Load<T> {
    fn from(result: Result<T, ApiError>) -> Load<T> {
        match result {
            Ok(value) => Load::Ready(value),
            Err(error) => Load::Failed(error),
        }
    }
}

/// Runs `fetch(source())` now, again whenever `source` changes, and on retry.
///
/// After a 401, a session renewed by the host (see [`SessionRenewals`](crate::views::SessionRenewals)) retries by
/// itself.
///
/// A retry while data is shown re-reads it in the background: the data stays on screen until
/// the new answer replaces it (after a change is saved, say). A retry after a failure shows
/// the loading state again.
///
/// Only the newest request's answer is kept: a late answer for an earlier source (say, the
/// invoice chosen before the current one) is dropped, and so is any answer arriving after the
/// view is gone.
///
/// ```no_run
/// # use billing_widget::{api::ApiClient, views::{use_load, Load}};
/// # use leptos::prelude::*;
/// # let client = ApiClient::new("");
/// let customer_no = RwSignal::new("15615616".to_string());
/// let (invoices, retry) = use_load(move || customer_no.get(), move |c| {
///     let client = client.clone();
///     async move { client.invoices_of_customer("100200", &c).await }
/// });
/// ```
pub fn use_load<S, T, Fut>(
    source: impl Fn() -> S + 'static,
    fetch: impl Fn(S) -> Fut + 'static,
) -> (ReadSignal<Load<T>>, Callback<()>)
where
    S: 'static,
    T: Send + Sync + 'static,
    Fut: Future<Output = Result<T, ApiError>> + 'static,
{
    let state = RwSignal::new(Load::Loading);
    let retries = RwSignal::new(0u32);
    let generation = StoredValue::new(0u64);
    let retried = StoredValue::new(false);
    Effect::new(move |_| {
        retries.track();
        let request = fetch(source());
        let refresh = retried.try_update_value(std::mem::take).unwrap_or(false)
            && state.with_untracked(|s| matches!(s, Load::Ready(_)));
        let Some(current) = generation.try_update_value(|g| {
            *g += 1;
            *g
        }) else {
            return;
        };
        if !refresh {
            state.set(Load::Loading);
        }
        spawn_local(async move {
            let result = request.await;
            if generation.try_get_value() == Some(current) {
                state.try_set(result.into());
            }
        });
    });
    let retry = Callback::new(move |()| {
        retried.set_value(true);
        retries.update(|n| *n += 1);
    });
    crate::views::common::session::retry_on_renewal(
        move || state.with(|s| matches!(s, Load::Failed(e) if e.status() == Some(401))),
        move || retry.run(()),
    );
    (state.read_only(), retry)
}

/// Renders a [`Load`]: the loading placeholder, the error with a retry, or `ready(data)`.
///
/// - `state`: the data's state, from [`use_load`].
/// - `retry`: what the error's button runs.
/// - `ready`: renders the data.
#[component]
pub fn LoadState<T, V>(
    state: ReadSignal<Load<T>>,
    retry: Callback<()>,
    ready: impl Fn(T) -> V + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let t = use_i18n().texts();
    move || match state.get() {
        Load::Loading => view! { <Loading label=t.loading /> }.into_any(),
        Load::Failed(error) => view! { <ErrorView error=error retry=retry /> }.into_any(),
        Load::Ready(data) => ready(data).into_any(),
    }
}
