//! One invoice, loaded progressively by following its links: the header with the first group of
//! charges, then each further group as its pages arrive, every group requested concurrently.

use crate::api::{ApiClient, ApiError};
use crate::format::Formatter;
use crate::model::{ChargeGroup, GroupKind};
use crate::views::common::events::{use_view_events, Failed, Loaded, ViewName};
use crate::views::common::i18n::{provide_i18n, I18n};
use crate::views::common::status::QUIET_LOAD;
use crate::views::{ErrorView, InvoiceCharges, InvoiceHeader, Loading};
use billing_contract::{Invoice, InvoiceLine, InvoiceSubscription, Link};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::sync::Arc;

/// One group of an invoice's charges and how far it has loaded.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupSlot {
    /// Customer level or a subscription.
    pub kind: GroupKind,
    /// Where its lines are; `None` when the API gave no link (no lines).
    pub link: Option<Link>,
    /// Loading, loaded or failed.
    pub state: SlotState,
}

/// How far a group has loaded.
#[derive(Clone, Debug, PartialEq)]
pub enum SlotState {
    /// Pages are arriving.
    Loading,
    /// Every page arrived.
    Ready(Arc<ChargeGroup>),
    /// A page failed; the group can be retried on its own.
    Failed(ApiError),
}

impl GroupSlot {
    /// A loaded group.
    pub fn ready(group: Arc<ChargeGroup>) -> GroupSlot {
        GroupSlot { kind: group.kind.clone(), link: None, state: SlotState::Ready(group) }
    }
}

/// Resolves once the next frame has been painted: its animation-frame callback queues a task,
/// and tasks run after the frame is done.
async fn after_next_paint() {
    let (sender, receiver) = futures::channel::oneshot::channel::<()>();
    request_animation_frame(move || {
        set_timeout(
            move || {
                let _ = sender.send(());
            },
            std::time::Duration::ZERO,
        );
    });
    let _ = receiver.await;
}

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
#[component]
pub fn InvoiceView(
    client: ApiClient,
    #[prop(into)] invoice: Signal<Link>,
    #[prop(into)] locale: String,
) -> impl IntoView {
    let loader = Loader {
        client,
        formatter: Formatter::new(&locale),
        slots: RwSignal::new(Vec::new()),
        arrived: RwSignal::new(Vec::new()),
        listing: RwSignal::new(true),
        list_error: RwSignal::new(None),
        stage: RwSignal::new(Stage::Loading),
        generation: StoredValue::new(0),
        pending: StoredValue::new(Pending::default()),
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
    let i18n = I18n::new(&locale);
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

/// Loads an invoice's groups into signals, dropping anything that arrives for an older load.
#[derive(Clone)]
struct Loader {
    client: ApiClient,
    formatter: Formatter,
    slots: RwSignal<Vec<GroupSlot>>,
    /// Lines arrived so far per group, apart from `slots` so that progress does not re-lay the table.
    arrived: RwSignal<Vec<usize>>,
    /// True until every group of the invoice is known.
    listing: RwSignal<bool>,
    list_error: RwSignal<Option<ApiError>>,
    stage: RwSignal<Stage>,
    generation: StoredValue<u64>,
    /// Changes waiting for the next animation frame: answers arriving together render once,
    /// and no answer waits for another's rendering before its follow-up requests go out.
    pending: StoredValue<Pending>,
}

/// Changes to the groups, applied together at the next animation frame.
#[derive(Default)]
struct Pending {
    /// The invoice, held until its first group of charges can show with it.
    invoice: Option<Arc<Invoice>>,
    new_slots: Vec<GroupSlot>,
    states: Vec<(usize, SlotState)>,
    arrived: Vec<(usize, usize)>,
    listed: bool,
    /// The held invoice has waited [`QUIET_LOAD`]: show it with whatever has arrived.
    waited: bool,
    frame_requested: bool,
}

impl Pending {
    fn is_empty(&self) -> bool {
        self.invoice.is_none()
            && self.new_slots.is_empty()
            && self.states.is_empty()
            && self.arrived.is_empty()
            && !self.listed
    }

    /// Whether these changes are worth a frame now. A held invoice waits for something to show
    /// under its header: a group loaded or failed, or the news that it has no groups at all.
    fn wants_frame(&self) -> bool {
        if self.invoice.is_some() && !self.waited {
            !self.states.is_empty() || (self.listed && self.new_slots.is_empty())
        } else {
            !self.is_empty()
        }
    }
}

impl Loader {
    /// Starts a new load: earlier loads' answers are dropped from now on.
    fn next_generation(&self) -> Option<u64> {
        let generation = self.generation.try_update_value(|g| {
            *g += 1;
            *g
        })?;
        self.pending.try_set_value(Pending::default());
        self.stage.try_set(Stage::Loading);
        self.slots.try_set(Vec::new());
        self.arrived.try_set(Vec::new());
        self.listing.try_set(true);
        self.list_error.try_set(None);
        Some(generation)
    }

    fn is_current(&self, generation: u64) -> bool {
        self.generation.try_get_value() == Some(generation)
    }

    /// Loads `link` from scratch; its request goes out now.
    fn start(&self, link: Link) {
        if let Some(generation) = self.next_generation() {
            spawn_local(self.clone().load(link, generation));
        }
    }

    fn load(self, link: Link, generation: u64) -> impl std::future::Future<Output = ()> {
        let invoice = self.client.get::<Invoice>(link.as_str());
        async move {
            // The request is in flight: a locale's `Intl` start-up overlaps it.
            self.formatter.warm_up();
            let invoice = invoice.await;
            self.show(invoice, generation)
        }
    }

    /// Shows the invoice's answer and starts loading its groups.
    fn show(self, invoice: Result<Invoice, ApiError>, generation: u64) {
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
        self.batch(generation, |p| p.invoice = Some(invoice));
        if let Some(lines) = lines {
            self.add_groups(vec![(GroupKind::Customer, Some(lines))], generation);
        }
        match subscriptions {
            Some(subscriptions) => spawn_local(self.clone().load_subscriptions(subscriptions, generation)),
            None => self.batch(generation, |p| p.listed = true),
        }
        let this = self.clone();
        set_timeout(move || this.batch(generation, |p| p.waited = true), QUIET_LOAD);
    }

    /// Adds a group that cannot be loaded, shown with `error`.
    fn add_failed_group(&self, kind: GroupKind, error: ApiError, generation: u64) {
        if self.is_current(generation) {
            let slot = GroupSlot { kind, link: None, state: SlotState::Failed(error) };
            self.batch(generation, |p| p.new_slots.push(slot));
        }
    }

    async fn load_subscriptions(self, link: Link, generation: u64) {
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
                    self.add_failed_group(kind, error, generation);
                }
            }
            Err(error) => {
                if self.is_current(generation) {
                    self.list_error.try_set(Some(error));
                }
            }
        }
        self.batch(generation, |p| p.listed = true);
    }

    /// Starts loading `groups` and adds them to the table at the next frame.
    fn add_groups(&self, groups: Vec<(GroupKind, Option<Link>)>, generation: u64) {
        let Some(shown) = self.slots.try_with_untracked(Vec::len) else { return };
        let Some(waiting) = self.pending.try_with_value(|p| p.new_slots.len()) else { return };
        if !self.is_current(generation) {
            return;
        }
        let first = shown + waiting;
        let slots: Vec<GroupSlot> = groups
            .into_iter()
            .enumerate()
            .map(|(offset, (kind, link))| {
                let state = match &link {
                    Some(link) => {
                        spawn_local(self.clone().load_group(first + offset, kind.clone(), link.clone(), generation));
                        SlotState::Loading
                    }
                    None => SlotState::Ready(Arc::new(ChargeGroup::new(kind.clone(), Vec::new()))),
                };
                GroupSlot { kind, link, state }
            })
            .collect();
        self.batch(generation, |p| p.new_slots.extend(slots));
    }

    /// Records a change and applies it, with every other change recorded before the next
    /// animation frame, in one update.
    fn batch(&self, generation: u64, change: impl FnOnce(&mut Pending)) {
        if !self.is_current(generation) {
            return;
        }
        let request = self.pending.try_update_value(|p| {
            change(p);
            let request = p.wants_frame() && !p.frame_requested;
            p.frame_requested |= request;
            request
        });
        if request == Some(true) {
            let this = self.clone();
            request_animation_frame(move || this.flush(generation));
        }
    }

    fn flush(&self, generation: u64) {
        let Some(p) = self.pending.try_update_value(std::mem::take) else { return };
        if !self.is_current(generation) || p.is_empty() {
            return;
        }
        let Pending { invoice, new_slots, states, arrived, listed, .. } = p;
        let count = new_slots.len();
        self.slots.try_update(|slots| {
            slots.extend(new_slots);
            for (index, state) in states {
                if let Some(slot) = slots.get_mut(index) {
                    slot.state = state;
                }
            }
        });
        self.arrived.try_update(|lines| {
            let needed = lines.len() + count;
            lines.resize(needed, 0);
            for (index, more) in arrived {
                if let Some(n) = lines.get_mut(index) {
                    *n += more;
                }
            }
        });
        if listed {
            self.listing.try_set(false);
        }
        // After the groups: the charges are built once, with what has arrived.
        if let Some(invoice) = invoice {
            self.stage.try_set(Stage::Ready(invoice));
        }
    }

    fn retry_group(&self, index: usize) {
        let Some(generation) = self.generation.try_get_value() else { return };
        let group =
            self.slots.try_with_untracked(|slots| slots.get(index).map(|s| (s.kind.clone(), s.link.clone()))).flatten();
        if let Some((kind, Some(link))) = group {
            self.arrived.try_update(|arrived| arrived.get_mut(index).map(|n| *n = 0));
            self.set_state(index, SlotState::Loading, generation);
            spawn_local(self.clone().load_group(index, kind, link, generation));
        }
    }

    async fn load_group(self, index: usize, kind: GroupKind, link: Link, generation: u64) {
        let progress = self.clone();
        let lines = self
            .client
            .get_all_with::<InvoiceLine>(&link, move |page| {
                let lines = page.len();
                progress.batch(generation, |p| p.arrived.push((index, lines)));
            })
            .await;
        // The view may be gone (another invoice chosen, or the element removed): then drop it all.
        if !self.is_current(generation) {
            return;
        }
        let state = match lines {
            Ok(lines) => {
                SlotState::Ready(Arc::new(ChargeGroup::new(kind, lines.items).with_unreadable(lines.unreadable)))
            }
            Err(error) => SlotState::Failed(error),
        };
        self.set_state(index, state, generation);
    }

    fn set_state(&self, index: usize, state: SlotState, generation: u64) {
        self.batch(generation, |p| p.states.push((index, state)));
    }
}
