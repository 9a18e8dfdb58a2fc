//! The rules of loading one invoice progressively, as plain Rust: which load is current, which
//! changes wait for the next animation frame, when the invoice may show, and how a failed group
//! is retried. The fetching and the browser's scheduling stay with the view
//! (`views::invoice::invoice_view`), which asks [`LoadState`] what to do and applies its
//! [`FrameUpdate`]s to its signals.

use super::ApiError;
use crate::model::charges_table::GroupStatus;
use crate::model::{ChargeGroup, GroupKind};
use billing_contract::{Invoice, Link};
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

impl SlotState {
    /// How far the group has loaded, as the charges table needs to know it.
    pub fn status(&self) -> GroupStatus<'_> {
        match self {
            SlotState::Loading => GroupStatus::Loading,
            SlotState::Ready(group) => GroupStatus::Ready(group),
            SlotState::Failed(_) => GroupStatus::Failed,
        }
    }
}

impl GroupSlot {
    /// A loaded group.
    pub fn ready(group: Arc<ChargeGroup>) -> GroupSlot {
        GroupSlot { kind: group.kind.clone(), link: None, state: SlotState::Ready(group) }
    }
}

/// Which load of the view an answer belongs to; only the latest one's answers are applied.
pub type Generation = u64;

/// Something that happened while an invoice loads, recorded for the next frame.
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    /// The invoice arrived; it is held until it has something to show under its header.
    Invoice(Arc<Invoice>),
    /// A group that cannot be loaded (an unreadable subscription), shown with its error.
    FailedGroup(GroupKind, ApiError),
    /// A group finished loading, or failed.
    GroupState {
        /// The group's position among the invoice's groups.
        index: usize,
        /// Its new state.
        state: SlotState,
    },
    /// A page of a group's lines arrived.
    Arrived {
        /// The group's position among the invoice's groups.
        index: usize,
        /// How many lines the page held.
        lines: usize,
    },
    /// Every group of the invoice is known.
    Listed,
    /// The held invoice has waited `QUIET_LOAD`: it shows with whatever has arrived.
    Waited,
}

/// A group whose lines are to be fetched now.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupLoad {
    /// The group's position among the invoice's groups.
    pub index: usize,
    /// Customer level or a subscription.
    pub kind: GroupKind,
    /// Where its lines are.
    pub link: Link,
    /// The load it belongs to.
    pub generation: Generation,
}

/// The changes of one animation frame, to apply together.
#[derive(Debug, Default, PartialEq)]
pub struct FrameUpdate {
    /// The invoice, to show now (after the groups have been applied).
    pub invoice: Option<Arc<Invoice>>,
    /// Every group of the invoice is now known.
    pub listed: bool,
    /// What happens to the groups.
    pub slots: SlotChanges,
    /// What happens to the lines arrived so far per group.
    pub progress: ProgressChanges,
}

/// New groups and new states of known groups.
#[derive(Debug, Default, PartialEq)]
pub struct SlotChanges {
    added: Vec<GroupSlot>,
    states: Vec<(usize, SlotState)>,
}

impl SlotChanges {
    /// Adds the new groups to `slots`, then sets the new states (an unknown index is ignored).
    pub fn apply(self, slots: &mut Vec<GroupSlot>) {
        slots.extend(self.added);
        for (index, state) in self.states {
            if let Some(slot) = slots.get_mut(index) {
                slot.state = state;
            }
        }
    }
}

/// Lines arrived per group: counts for new groups, restarts of retried groups, new pages.
#[derive(Debug, Default, PartialEq)]
pub struct ProgressChanges {
    added_groups: usize,
    restarted: Vec<usize>,
    arrived: Vec<(usize, usize)>,
}

impl ProgressChanges {
    /// Gives each new group a count of 0, restarts retried groups at 0, then adds the pages
    /// (an unknown index is ignored).
    pub fn apply(self, arrived: &mut Vec<usize>) {
        arrived.resize(arrived.len() + self.added_groups, 0);
        for index in self.restarted {
            if let Some(count) = arrived.get_mut(index) {
                *count = 0;
            }
        }
        for (index, lines) in self.arrived {
            if let Some(count) = arrived.get_mut(index) {
                *count += lines;
            }
        }
    }
}

/// Changes waiting for the next animation frame: answers arriving together render once, and no
/// answer waits for another's rendering before its follow-up requests go out.
#[derive(Debug, Default)]
struct Pending {
    update: FrameUpdate,
    /// The held invoice has waited `QUIET_LOAD`.
    waited: bool,
    frame_requested: bool,
}

impl Pending {
    fn is_empty(&self) -> bool {
        let FrameUpdate { invoice, listed, slots, progress } = &self.update;
        invoice.is_none()
            && !listed
            && slots.added.is_empty()
            && slots.states.is_empty()
            && progress.restarted.is_empty()
            && progress.arrived.is_empty()
    }

    /// Whether these changes are worth a frame now. A held invoice waits for something to show
    /// under its header: a group loaded or failed, or the news that it has no groups at all.
    fn wants_frame(&self) -> bool {
        let update = &self.update;
        if update.invoice.is_some() && !self.waited {
            !update.slots.states.is_empty() || (update.listed && update.slots.added.is_empty())
        } else {
            !self.is_empty()
        }
    }

    fn record(&mut self, change: Change) {
        let FrameUpdate { invoice, listed, slots, progress } = &mut self.update;
        match change {
            Change::Invoice(arrived) => *invoice = Some(arrived),
            Change::FailedGroup(kind, error) => {
                slots.added.push(GroupSlot { kind, link: None, state: SlotState::Failed(error) });
                progress.added_groups += 1;
            }
            Change::GroupState { index, state } => slots.states.push((index, state)),
            Change::Arrived { index, lines } => progress.arrived.push((index, lines)),
            Change::Listed => *listed = true,
            Change::Waited => self.waited = true,
        }
    }
}

/// Where one invoice view's loading stands: the current load, the groups known so far and the
/// changes waiting for the next frame.
#[derive(Debug, Default)]
pub struct LoadState {
    generation: Generation,
    /// Groups known to the current load, applied or waiting.
    groups: usize,
    pending: Pending,
}

impl LoadState {
    /// Starts a new load: earlier loads' answers and waiting changes are dropped from now on.
    /// The caller empties what it shows.
    pub fn next_generation(&mut self) -> Generation {
        self.generation += 1;
        self.groups = 0;
        self.pending = Pending::default();
        self.generation
    }

    /// The current load.
    pub fn generation(&self) -> Generation {
        self.generation
    }

    /// Whether `generation` is the current load (its answers are still wanted).
    pub fn is_current(&self, generation: Generation) -> bool {
        self.generation == generation
    }

    /// Records a change of load `generation` for the next frame; true when the caller should
    /// request a frame now (once per frame, and only when the changes are worth one). A change
    /// of an earlier load is dropped.
    pub fn record(&mut self, generation: Generation, change: Change) -> bool {
        if !self.is_current(generation) {
            return false;
        }
        if matches!(change, Change::FailedGroup(..)) {
            self.groups += 1;
        }
        self.pending.record(change);
        self.claim_frame()
    }

    /// Adds `groups` to load `generation`: a group with a link is loading (the returned loads
    /// are for the caller to start now), one without has no lines. Nothing for an earlier load.
    /// Also true when the caller should request a frame now.
    pub fn add_groups(
        &mut self,
        generation: Generation,
        groups: Vec<(GroupKind, Option<Link>)>,
    ) -> (Vec<GroupLoad>, bool) {
        if !self.is_current(generation) {
            return (Vec::new(), false);
        }
        let mut loads = Vec::new();
        for (kind, link) in groups {
            let index = self.groups;
            self.groups += 1;
            let state = match &link {
                Some(link) => {
                    loads.push(GroupLoad { index, kind: kind.clone(), link: link.clone(), generation });
                    SlotState::Loading
                }
                None => SlotState::Ready(Arc::new(ChargeGroup::empty(kind.clone()))),
            };
            self.pending.update.slots.added.push(GroupSlot { kind, link, state });
            self.pending.update.progress.added_groups += 1;
        }
        (loads, self.claim_frame())
    }

    /// Retries the group at `index` of `slots` (what is shown) on its own: it is loading again
    /// and its count of arrived lines restarts. `None` for a group without a link. Also true
    /// when the caller should request a frame now.
    pub fn retry(&mut self, index: usize, slots: &[GroupSlot]) -> Option<(GroupLoad, bool)> {
        let slot = slots.get(index)?;
        let link = slot.link.clone()?;
        let load = GroupLoad { index, kind: slot.kind.clone(), link, generation: self.generation };
        self.pending.update.progress.restarted.push(index);
        // Pages counted before the restart belong to the failed attempt.
        self.pending.update.progress.arrived.retain(|(i, _)| *i != index);
        self.pending.update.slots.states.push((index, SlotState::Loading));
        Some((load, self.claim_frame()))
    }

    /// The changes recorded for load `generation` since the last frame, to apply together;
    /// `None` when there are none or the load is no longer current.
    pub fn flush(&mut self, generation: Generation) -> Option<FrameUpdate> {
        if !self.is_current(generation) {
            // A frame requested by an earlier load: the current load's changes wait for its own.
            return None;
        }
        let pending = std::mem::take(&mut self.pending);
        (!pending.is_empty()).then_some(pending.update)
    }

    /// True once when the waiting changes want a frame and none is requested yet.
    fn claim_frame(&mut self) -> bool {
        let request = self.pending.wants_frame() && !self.pending.frame_requested;
        self.pending.frame_requested |= request;
        request
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::invoice::tests::{invoice, line};

    fn link(path: &str) -> Option<Link> {
        Some(Link(path.into()))
    }

    fn subscription(no: &str) -> GroupKind {
        GroupKind::Subscription { subscription_no: no.into(), description: None }
    }

    fn ready(kind: GroupKind, lines: usize) -> SlotState {
        let lines = (0..lines).map(|n| line(&format!("Line {n}"), "10.00", "25")).collect();
        SlotState::Ready(Arc::new(ChargeGroup::new(kind, lines, &crate::model::text::StdLowercase)))
    }

    fn failed() -> SlotState {
        SlotState::Failed(ApiError::Network("offline".into()))
    }

    /// Applies an update the way the view does, to what it shows.
    fn apply(update: FrameUpdate, slots: &mut Vec<GroupSlot>, arrived: &mut Vec<usize>) {
        update.slots.apply(slots);
        update.progress.apply(arrived);
    }

    /// A load that has its invoice (held) and `groups` loading subscription groups.
    fn loading(groups: usize) -> (LoadState, Generation, Vec<GroupLoad>) {
        let mut state = LoadState::default();
        let generation = state.next_generation();
        assert!(!state.record(generation, Change::Invoice(Arc::new(invoice(None)))));
        let groups = (0..groups).map(|n| (subscription(&n.to_string()), link(&format!("/s/{n}")))).collect();
        let (loads, frame) = state.add_groups(generation, groups);
        assert!(!frame, "loading groups alone are nothing to show under the header");
        (state, generation, loads)
    }

    #[test]
    fn a_late_answer_for_an_earlier_load_is_dropped() {
        let (mut state, first, loads) = loading(2);
        let second = state.next_generation();
        assert_ne!(first, second);
        assert!(!state.is_current(first));
        assert!(!state.record(first, Change::GroupState { index: 0, state: ready(subscription("0"), 3) }));
        assert!(!state.record(first, Change::Arrived { index: 1, lines: 50 }));
        assert_eq!(state.add_groups(first, vec![(GroupKind::Customer, link("/c"))]), (Vec::new(), false));
        assert_eq!(state.flush(first), None);
        assert_eq!(state.flush(second), None, "the new load starts with nothing waiting");
        assert!(loads.iter().all(|l| l.generation == first));
    }

    #[test]
    fn a_frame_requested_by_an_earlier_load_does_not_take_the_current_loads_changes() {
        let (mut state, first, _) = loading(1);
        assert!(state.record(first, Change::GroupState { index: 0, state: failed() }));
        let second = state.next_generation();
        assert!(!state.record(second, Change::Invoice(Arc::new(invoice(None)))));
        assert!(state.record(second, Change::Listed), "an invoice without groups shows at once");
        assert_eq!(state.flush(first), None);
        let update = state.flush(second).expect("the current load's changes");
        assert!(update.invoice.is_some() && update.listed);
    }

    #[test]
    fn answers_arriving_before_a_frame_are_applied_together_in_one_update() {
        let (mut state, generation, _) = loading(3);
        assert!(!state.record(generation, Change::Arrived { index: 0, lines: 10 }), "the invoice is held");
        let first_group = Change::GroupState { index: 0, state: ready(subscription("0"), 10) };
        assert!(state.record(generation, first_group), "a group to show asks for a frame");
        assert!(!state.record(generation, Change::Arrived { index: 2, lines: 7 }), "one frame is enough");
        let update = state.flush(generation).expect("one update");
        assert!(update.invoice.is_some());
        let (mut slots, mut arrived) = (Vec::new(), Vec::new());
        apply(update, &mut slots, &mut arrived);
        assert_eq!(slots.len(), 3);
        assert!(matches!(slots[0].state, SlotState::Ready(_)));
        assert!(matches!(slots[1].state, SlotState::Loading));
        assert_eq!(arrived, [10, 0, 7]);
        assert_eq!(state.flush(generation), None, "nothing is applied twice");
        assert!(state.record(generation, Change::Arrived { index: 1, lines: 1 }), "the next change asks again");
    }

    #[test]
    fn the_invoice_is_held_until_a_group_has_loaded() {
        let (mut state, generation, _) = loading(2);
        assert!(!state.record(generation, Change::Arrived { index: 0, lines: 200 }), "progress alone is held");
        assert!(!state.record(generation, Change::Listed));
        assert!(state.record(generation, Change::GroupState { index: 1, state: ready(subscription("1"), 1) }));
        assert!(state.flush(generation).is_some_and(|u| u.invoice.is_some()));
    }

    #[test]
    fn the_invoice_is_held_until_a_group_has_failed() {
        let (mut state, generation, _) = loading(1);
        assert!(state.record(generation, Change::GroupState { index: 0, state: failed() }));
    }

    #[test]
    fn groups_added_with_nothing_to_load_do_not_release_the_invoice() {
        // A group with no link is ready and empty, and an unreadable subscription is a failed
        // group: neither is a group that arrived, so the invoice still waits (for QUIET_LOAD).
        let mut state = LoadState::default();
        let generation = state.next_generation();
        assert!(!state.record(generation, Change::Invoice(Arc::new(invoice(None)))));
        let (loads, frame) = state.add_groups(generation, vec![(GroupKind::Customer, None)]);
        assert!(loads.is_empty() && !frame);
        assert!(!state.record(generation, Change::FailedGroup(subscription(""), ApiError::Network("x".into()))));
        assert!(!state.record(generation, Change::Listed));
        assert!(state.record(generation, Change::Waited));
    }

    #[test]
    fn the_invoice_shows_at_once_when_it_has_no_groups() {
        let (mut state, generation, _) = loading(0);
        assert!(state.record(generation, Change::Listed));
        let update = state.flush(generation).expect("an update");
        assert!(update.invoice.is_some() && update.listed);
        let (mut slots, mut arrived) = (Vec::new(), Vec::new());
        apply(update, &mut slots, &mut arrived);
        assert!(slots.is_empty() && arrived.is_empty());
    }

    #[test]
    fn a_listing_that_found_groups_still_waits_for_one_of_them() {
        let mut state = LoadState::default();
        let generation = state.next_generation();
        state.record(generation, Change::Invoice(Arc::new(invoice(None))));
        let (_, frame) = state.add_groups(generation, vec![(subscription("1"), link("/s/1"))]);
        assert!(!frame);
        assert!(!state.record(generation, Change::Listed));
    }

    #[test]
    fn the_held_invoice_shows_once_the_wait_has_elapsed() {
        let (mut state, generation, _) = loading(2);
        assert!(!state.record(generation, Change::Arrived { index: 0, lines: 5 }));
        assert!(state.record(generation, Change::Waited));
        let update = state.flush(generation).expect("an update");
        assert!(update.invoice.is_some());
        let (mut slots, mut arrived) = (Vec::new(), Vec::new());
        apply(update, &mut slots, &mut arrived);
        assert!(slots.iter().all(|s| s.state == SlotState::Loading));
        assert_eq!(arrived, [5, 0]);
    }

    #[test]
    fn once_the_invoice_shows_any_change_is_worth_a_frame() {
        let (mut state, generation, _) = loading(1);
        state.record(generation, Change::Waited);
        state.flush(generation);
        assert!(state.record(generation, Change::Arrived { index: 0, lines: 1 }));
    }

    #[test]
    fn groups_are_numbered_in_the_order_they_become_known() {
        let (mut state, generation, first) = loading(2);
        assert_eq!(first.iter().map(|l| l.index).collect::<Vec<_>>(), [0, 1]);
        state.record(generation, Change::Waited);
        state.flush(generation);
        state.record(generation, Change::FailedGroup(subscription(""), ApiError::Network("x".into())));
        let (more, _) = state.add_groups(generation, vec![(subscription("9"), link("/s/9"))]);
        assert_eq!(more[0].index, 3, "after the two applied and the failed one waiting");
        assert_eq!(more[0].link, Link("/s/9".into()));
    }

    #[test]
    fn a_failed_group_is_retried_alone_and_its_progress_restarts() {
        let (mut state, generation, _) = loading(2);
        state.record(generation, Change::Arrived { index: 0, lines: 40 });
        state.record(generation, Change::Arrived { index: 1, lines: 30 });
        state.record(generation, Change::GroupState { index: 0, state: failed() });
        state.record(generation, Change::GroupState { index: 1, state: ready(subscription("1"), 30) });
        let (mut slots, mut arrived) = (Vec::new(), Vec::new());
        apply(state.flush(generation).expect("an update"), &mut slots, &mut arrived);
        assert_eq!(arrived, [40, 30]);

        let (load, frame) = state.retry(0, &slots).expect("a retry");
        assert_eq!((load.index, load.generation), (0, generation));
        assert_eq!(load.link, Link("/s/0".into()));
        assert!(frame);
        state.record(generation, Change::Arrived { index: 0, lines: 25 });
        apply(state.flush(generation).expect("an update"), &mut slots, &mut arrived);
        assert_eq!(slots[0].state, SlotState::Loading);
        assert!(matches!(slots[1].state, SlotState::Ready(_)), "the other group is left as it was");
        assert_eq!(arrived, [25, 30], "the retried group counts from 0, the other keeps its count");
    }

    #[test]
    fn a_group_without_lines_to_load_or_unknown_cannot_be_retried() {
        let (mut state, _, _) = loading(0);
        let slots = vec![GroupSlot { kind: GroupKind::Customer, link: None, state: failed() }];
        assert_eq!(state.retry(0, &slots), None);
        assert_eq!(state.retry(5, &slots), None);
    }

    #[test]
    fn progress_counts_add_up_over_pages_and_frames() {
        let (mut state, generation, _) = loading(2);
        state.record(generation, Change::Waited);
        let (mut slots, mut arrived) = (Vec::new(), Vec::new());
        apply(state.flush(generation).expect("an update"), &mut slots, &mut arrived);
        for (index, lines) in [(0, 100), (1, 100), (0, 100), (0, 37), (7, 5)] {
            state.record(generation, Change::Arrived { index, lines });
        }
        apply(state.flush(generation).expect("an update"), &mut slots, &mut arrived);
        state.record(generation, Change::Arrived { index: 1, lines: 12 });
        apply(state.flush(generation).expect("an update"), &mut slots, &mut arrived);
        assert_eq!(arrived, [237, 112], "a page for an unknown group is ignored");
        assert_eq!(arrived.iter().sum::<usize>(), 349);
    }

    #[test]
    fn a_new_load_numbers_its_groups_from_zero() {
        let (mut state, _, _) = loading(3);
        let generation = state.next_generation();
        let (loads, _) = state.add_groups(generation, vec![(GroupKind::Customer, link("/c"))]);
        assert_eq!(loads[0].index, 0);
    }
}
