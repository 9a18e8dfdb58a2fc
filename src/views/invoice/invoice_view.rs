//! One invoice, loaded progressively by following its links: the header with the first group of
//! charges, then each further group as its pages arrive, every group requested concurrently.

use crate::api::invoice_loader::{Change, FrameUpdate, Generation, GroupLoad, GroupSlot, LoadState, SlotState};
use crate::api::{ApiClient, ApiError};
use crate::format::case::BrowserLowercase;
use crate::format::Formatter;
use crate::model::{ChargeGroup, GroupKind};
use crate::views::common::events::{use_view_events, Failed, Loaded, ViewName};
use crate::views::common::frames::after_next_paint;
use crate::views::common::i18n::{provide_i18n, I18n};
use crate::views::common::status::QUIET_LOAD;
use crate::views::{ErrorView, InvoiceCharges, InvoiceHeader, Loading};
use billing_contract::{Invoice, InvoiceLine, InvoiceSubscription, Link};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::sync::Arc;

/// Where the invoice itself is.
#[derive(Clone, Debug, PartialEq)]
enum Stage {
    Loading,
    Failed(ApiError),
    Ready(Arc<Invoice>),
}

/// Loads and shows one invoice with every charge on it.
///
/// The header shows with the first group of charges (or [`QUIET_LOAD`] after the invoice, if
/// that group is slower), so that a fast load paints once; each further group's lines show as
/// soon as that group has loaded, with a progress indicator until all have. A group that fails
/// says so and can be retried while the rest shows. A late answer for an earlier invoice never
/// replaces the current one.
///
/// - `client`: the API client.
/// - `invoice`: the invoice's link (its `@id`); a new link loads that invoice.
/// - `locale`: the viewer's locale, provided to everything the view shows.
///
/// # Usage
///
/// ```no_run
/// use billing_widget::api::contract::{paths, Link};
/// use billing_widget::api::ApiClient;
/// use billing_widget::views::InvoiceView;
/// use leptos::prelude::*;
///
/// #[component]
/// fn InvoicePage() -> impl IntoView {
///     // A signal: setting another invoice's link loads that invoice in place.
///     let invoice = RwSignal::new(Link(paths::invoice("100200", "603012")));
///     view! {
///         <div class="bw-root">
///             <InvoiceView client=ApiClient::new("") invoice=invoice locale="sv-SE" />
///         </div>
///     }
/// }
///
/// leptos::mount::mount_to_body(InvoicePage);
/// ```
#[component]
pub fn InvoiceView(
    client: ApiClient,
    #[prop(into)] invoice: Signal<Link>,
    #[prop(into)] locale: String,
) -> impl IntoView {
    let i18n = I18n::new(&locale);
    let loader = Loader {
        client,
        formatter: i18n.formatter(),
        slots: RwSignal::new(Vec::new()),
        arrived: RwSignal::new(Vec::new()),
        listing: RwSignal::new(true),
        list_error: RwSignal::new(None),
        stage: RwSignal::new(Stage::Loading),
        state: StoredValue::new(LoadState::default()),
    };
    let (stage, slots, arrived, listing, list_error) =
        (loader.stage, loader.slots, loader.arrived, loader.listing, loader.list_error);
    let reloads = RwSignal::new(0u32);
    // The first request goes out now, before the view renders; the effect loads again when the
    // link changes or on reload.
    let first = invoice.get_untracked();
    loader.start(first.clone());
    Effect::new({
        let loader = loader.clone();
        move |shown: Option<(Link, u32)>| {
            let wanted = (invoice.get(), reloads.get());
            if wanted != shown.unwrap_or_else(|| (first.clone(), 0)) {
                loader.start(wanted.0.clone());
            }
            wanted
        }
    });
    let reload = Callback::new(move |()| reloads.update(|n| *n += 1));
    crate::views::common::session::retry_on_renewal(
        move || stage.with(|s| matches!(s, Stage::Failed(e) if e.status() == Some(401))),
        move || reload.run(()),
    );
    let retry_group = Callback::new(move |index: usize| loader.retry_group(index));
    let t = i18n.texts();
    report_when_settled(stage, slots, listing);
    provide_i18n(i18n, move || {
        view! {
            <section class="bw-invoice" part="invoice" aria-busy=move || matches!(stage.get(), Stage::Loading).to_string()>
                {move || match stage.get() {
                    Stage::Loading => view! { <Loading label=t.loading /> }.into_any(),
                    Stage::Failed(error) => view! { <ErrorView error=error retry=reload /> }.into_any(),
                    Stage::Ready(invoice) => view! {
                        <InvoiceHeader invoice=invoice.clone() />
                        {move || list_error.get().map(|e| view! { <ErrorView error=e retry=reload /> })}
                        <InvoiceCharges invoice=invoice slots=slots arrived=arrived listing=listing on_retry=retry_group />
                    }
                    .into_any(),
                }}
            </section>
        }
    })
}

/// Reports [`Loaded`] once every group has loaded or failed (with the number of lines and of
/// failed groups), or [`Failed`] when the invoice itself failed.
fn report_when_settled(stage: RwSignal<Stage>, slots: RwSignal<Vec<GroupSlot>>, listing: RwSignal<bool>) {
    let events = use_view_events();
    let settled = Memo::new(move |_| match stage.get() {
        Stage::Loading => None,
        Stage::Failed(error) => Some(Err(error)),
        Stage::Ready(invoice) => {
            if listing.get() || slots.with(|s| s.iter().any(|slot| matches!(slot.state, SlotState::Loading))) {
                return None;
            }
            let (lines, failed_groups) = slots.with(|s| {
                s.iter().fold((0usize, 0usize), |(lines, failed), slot| match &slot.state {
                    SlotState::Ready(group) => (lines + group.lines.len(), failed),
                    SlotState::Failed(_) => (lines, failed + 1),
                    SlotState::Loading => (lines, failed),
                })
            });
            Some(Ok(Loaded::Invoice { invoice_no: invoice.invoice_no.clone(), lines, failed_groups }))
        }
    });
    Effect::new(move |_| match settled.get() {
        Some(Ok(loaded)) => events.loaded(loaded),
        Some(Err(error)) => events.failed(Failed { view: ViewName::Invoice, error }),
        None => {}
    });
}

/// Loads an invoice's groups into signals: fetches, and schedules frames and the wait, as
/// [`LoadState`] decides, dropping anything that arrives for an older load.
#[derive(Clone)]
struct Loader {
    client: ApiClient,
    formatter: Arc<Formatter>,
    slots: RwSignal<Vec<GroupSlot>>,
    /// Lines arrived so far per group, apart from `slots` so that progress does not re-lay the table.
    arrived: RwSignal<Vec<usize>>,
    /// True until every group of the invoice is known.
    listing: RwSignal<bool>,
    list_error: RwSignal<Option<ApiError>>,
    stage: RwSignal<Stage>,
    /// The current load and the changes waiting for the next animation frame: answers arriving
    /// together render once, and no answer waits for another's rendering before its follow-up
    /// requests go out.
    state: StoredValue<LoadState>,
}

impl Loader {
    /// Starts a new load: earlier loads' answers are dropped from now on.
    fn next_generation(&self) -> Option<Generation> {
        let generation = self.state.try_update_value(LoadState::next_generation)?;
        self.stage.try_set(Stage::Loading);
        self.slots.try_set(Vec::new());
        self.arrived.try_set(Vec::new());
        self.listing.try_set(true);
        self.list_error.try_set(None);
        Some(generation)
    }

    fn is_current(&self, generation: Generation) -> bool {
        self.state.try_with_value(|s| s.is_current(generation)).unwrap_or(false)
    }

    /// Loads `link` from scratch; its request goes out now. Only the first load may take the
    /// answers the element's script asked for early.
    fn start(&self, link: Link) {
        if let Some(generation) = self.next_generation() {
            if generation > 1 {
                self.client.forget_early();
            }
            spawn_local(self.clone().load(link, generation));
        }
    }

    fn load(self, link: Link, generation: Generation) -> impl std::future::Future<Output = ()> {
        let invoice = self.client.get::<Invoice>(link.as_str());
        async move {
            // The request is in flight: a locale's `Intl` start-up overlaps it.
            self.formatter.warm_up();
            let invoice = invoice.await;
            self.show(invoice, generation)
        }
    }

    /// Shows the invoice's answer and starts loading its groups.
    fn show(self, invoice: Result<Invoice, ApiError>, generation: Generation) {
        let invoice: Invoice = match invoice {
            Ok(invoice) => invoice,
            Err(error) => {
                if self.is_current(generation) {
                    self.stage.try_set(Stage::Failed(error));
                }
                return;
            }
        };
        if !self.is_current(generation) {
            return;
        }
        let invoice = Arc::new(invoice);
        // Held: the invoice shows with its first group loaded or failed (or the news that it
        // has none), or once it has waited QUIET_LOAD.
        let (lines, subscriptions) = (invoice.recurring_products.clone(), invoice.subscriptions.clone());
        self.record(generation, Change::Invoice(invoice));
        if let Some(lines) = lines {
            self.add_groups(vec![(GroupKind::Customer, Some(lines))], generation);
        }
        match subscriptions {
            Some(subscriptions) => spawn_local(self.clone().load_subscriptions(subscriptions, generation)),
            None => self.record(generation, Change::Listed),
        }
        let this = self.clone();
        set_timeout(move || this.record(generation, Change::Waited), QUIET_LOAD);
    }

    async fn load_subscriptions(self, link: Link, generation: Generation) {
        match self.client.get_all::<InvoiceSubscription>(&link).await {
            Ok(subscriptions) => {
                // Let the lines already here paint before a flood of requests and answers competes
                // with them. (Awaiting the frame alone sent the requests from inside the frame that
                // renders those lines, before its paint.)
                after_next_paint().await;
                let groups = subscriptions
                    .items
                    .into_iter()
                    .map(|s| (GroupKind::subscription(&s), s.recurring_products))
                    .collect();
                self.add_groups(groups, generation);
                // A subscription that could not be read is a group that could not be loaded.
                for unreadable in subscriptions.unreadable {
                    let kind = GroupKind::Subscription { subscription_no: String::new(), description: None };
                    let error = ApiError::Decode { url: link.0.clone(), message: unreadable.reason, request_id: None };
                    self.record(generation, Change::FailedGroup(kind, error));
                }
            }
            Err(error) => {
                if self.is_current(generation) {
                    self.list_error.try_set(Some(error));
                }
            }
        }
        self.record(generation, Change::Listed);
    }

    /// Starts loading `groups` and adds them to the table at the next frame.
    fn add_groups(&self, groups: Vec<(GroupKind, Option<Link>)>, generation: Generation) {
        let Some((loads, frame)) = self.state.try_update_value(|s| s.add_groups(generation, groups)) else { return };
        for load in loads {
            spawn_local(self.clone().load_group(load));
        }
        if frame {
            self.request_frame(generation);
        }
    }

    /// Records a change and applies it, with every other change recorded before the next
    /// animation frame, in one update.
    fn record(&self, generation: Generation, change: Change) {
        if self.state.try_update_value(|s| s.record(generation, change)) == Some(true) {
            self.request_frame(generation);
        }
    }

    fn request_frame(&self, generation: Generation) {
        let this = self.clone();
        request_animation_frame(move || this.flush(generation));
    }

    fn flush(&self, generation: Generation) {
        let Some(Some(update)) = self.state.try_update_value(|s| s.flush(generation)) else { return };
        let FrameUpdate { invoice, listed, slots, progress } = update;
        self.slots.try_update(|shown| slots.apply(shown));
        self.arrived.try_update(|arrived| progress.apply(arrived));
        if listed {
            self.listing.try_set(false);
        }
        // After the groups: the charges are built once, with what has arrived.
        if let Some(invoice) = invoice {
            self.stage.try_set(Stage::Ready(invoice));
        }
    }

    fn retry_group(&self, index: usize) {
        let retry = self.slots.try_with_untracked(|slots| self.state.try_update_value(|s| s.retry(index, slots)));
        if let Some(Some(Some((load, frame)))) = retry {
            let generation = load.generation;
            spawn_local(self.clone().load_group(load));
            if frame {
                self.request_frame(generation);
            }
        }
    }

    async fn load_group(self, load: GroupLoad) {
        let GroupLoad { index, kind, link, generation } = load;
        let progress = self.clone();
        let lines = self
            .client
            .get_all_with::<InvoiceLine>(&link, move |page| {
                progress.record(generation, Change::Arrived { index, lines: page.len() });
            })
            .await;
        // The view may be gone (another invoice chosen, or the element removed): then drop it all.
        if !self.is_current(generation) {
            return;
        }
        let state = match lines {
            Ok(lines) => SlotState::Ready(Arc::new(
                ChargeGroup::new(kind, lines.items, &BrowserLowercase).with_unreadable(lines.unreadable),
            )),
            Err(error) => SlotState::Failed(error),
        };
        self.record(generation, Change::GroupState { index, state });
    }
}
