//! The form that adds a subscription to a customer.

use crate::api::Change;
use crate::model::change::{ChangeAction, ChangeNotice};
use crate::model::{SubscriptionDraft, SubscriptionField};
use crate::views::common::i18n::use_i18n;
use crate::views::common::shared::unique_id;
use crate::views::forms::editing::Editing;
use crate::views::forms::form_fields::{field_view, Control, FieldSpec};
use crate::views::forms::form_parts::{FormButtons, FormSummary};
use crate::views::forms::form_state::FormState;
use billing_contract::validation::DESCRIPTION_MAX_CHARS;
use billing_contract::{Date, Operation};
use leptos::prelude::*;

/// Adds a subscription through the customer's advertised `add-subscription` operation.
///
/// - `operation`: where to send it.
/// - `start`: the start date offered.
/// - `editing`: how to send and whom to tell.
/// - `on_saved`: the subscription was added (the caller closes the form).
/// - `on_cancel`: the person gave up.
#[component]
pub fn SubscriptionForm(
    operation: Operation,
    start: Date,
    editing: Editing,
    on_saved: Callback<ChangeNotice>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let (t, f) = (i18n.texts(), i18n.formatter());
    let initial = SubscriptionDraft::new_subscription(start);
    let values = [
        (SubscriptionField::SubscriptionNo, RwSignal::new(initial.subscription_no)),
        (SubscriptionField::Description, RwSignal::new(initial.description)),
        (SubscriptionField::StartDate, RwSignal::new(initial.start_date)),
    ];
    let [(_, number), (_, description), (_, start_date)] = values;
    let state = FormState::<SubscriptionField>::new();
    let FormState { errors, failure, busy, form: form_ref, .. } = state;
    let form_id = unique_id("bw-subscription-form");
    let heading_id = format!("{form_id}-heading");

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let draft = SubscriptionDraft {
            subscription_no: number.get_untracked(),
            description: description.get_untracked(),
            start_date: start_date.get_untracked(),
        };
        match draft.to_input() {
            Err(found) => state.refuse(found),
            Ok(input) => {
                let notice = ChangeNotice {
                    subscription_no: Some(input.subscription_no.clone()),
                    description: input.description.clone(),
                    ..editing.notice(ChangeAction::SubscriptionAdded)
                };
                let change = Change::AddSubscription { operation: operation.clone(), input };
                state.send(&editing, change, notice, on_saved);
            }
        }
    };

    let specs = [
        FieldSpec {
            field: SubscriptionField::SubscriptionNo,
            label: t.field_subscription_no,
            control: Control::text(Some(50)),
            required: true,
            hint: None,
        },
        FieldSpec {
            field: SubscriptionField::Description,
            label: t.field_description,
            control: Control::text(Some(DESCRIPTION_MAX_CHARS)),
            required: false,
            hint: None,
        },
        FieldSpec {
            field: SubscriptionField::StartDate,
            label: t.field_start_date,
            control: Control::date(),
            required: false,
            hint: None,
        },
    ];
    let controls = specs
        .into_iter()
        .zip(values)
        .map(|(spec, (_, value))| field_view(&form_id, spec, value, errors, t, &f))
        .collect_view();

    let heading_id_ref = heading_id.clone();
    view! {
        <form class="bw-form" node_ref=form_ref novalidate aria-labelledby=heading_id_ref
            aria-busy=move || busy.get().then_some("true") on:submit=on_submit>
            <h4 id=heading_id>{t.new_subscription}</h4>
            <FormSummary errors=errors failure=failure t=t />
            <div class="bw-form-grid">{controls}</div>
            <FormButtons busy=busy submit_label=t.add_subscription on_cancel=on_cancel t=t />
        </form>
    }
}
