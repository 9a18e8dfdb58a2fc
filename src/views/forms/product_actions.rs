//! Ending and deleting a recurring product, each confirmed in place before it is sent.

use crate::api::Change;
use crate::format::i18n::fill;
use crate::model::change::{ChangeAction, ChangeNotice};
use crate::model::{end_input, ProductField};
use crate::views::common::i18n::use_i18n;
use crate::views::common::shared::unique_id;
use crate::views::forms::editing::Editing;
use crate::views::forms::form_fields::{field_view, Control, FieldSpec};
use crate::views::forms::form_parts::{FormButtons, FormSummary};
use crate::views::forms::form_state::FormState;
use billing_contract::{Date, Operation, RecurringProduct};
use leptos::prelude::*;

/// Asks for the last day to bill a product and ends it through its `update-recurring-product`
/// operation. Only the end date is checked (a date, not before the product starts); the rest of
/// the product is sent unchanged, so a product that no longer passes today's rules (say, a VAT
/// rate the form would not offer) can still be ended. The server's problems show on the form.
///
/// - `product`: the product to end.
/// - `operation`: its advertised update operation.
/// - `end`: the end date offered.
/// - `notice`: the notice to give once ended (its action is set here).
/// - `editing`, `on_saved`, `on_cancel`: as for the other change forms.
#[component]
pub fn EndProductForm(
    product: RecurringProduct,
    operation: Operation,
    end: Date,
    notice: ChangeNotice,
    editing: Editing,
    on_saved: Callback<ChangeNotice>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let (t, f) = (i18n.texts(), i18n.formatter());
    let end_date = RwSignal::new(end.to_string());
    // The server's problems on the product's other fields show with the form as a whole.
    let state = FormState::<ProductField>::showing(&[ProductField::EndDate]);
    let FormState { errors, failure, busy, form: form_ref, .. } = state;
    let form_id = unique_id("bw-end-form");
    let heading_id = format!("{form_id}-heading");

    let title = fill(t.end_on, &[&product.description]);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match end_input(&product, &end_date.get_untracked()) {
            Err(found) => state.refuse(found),
            Ok(input) => {
                let notice = ChangeNotice { action: ChangeAction::ProductEnded, ..notice.clone() };
                let change = Change::UpdateProduct { operation: operation.clone(), input };
                state.send(&editing, change, notice, on_saved);
            }
        }
    };
    let spec = FieldSpec {
        field: ProductField::EndDate,
        label: t.field_end_date,
        control: Control::date(),
        required: true,
        hint: None,
    };
    let heading_id_ref = heading_id.clone();
    view! {
        <form class="bw-form bw-confirm" node_ref=form_ref novalidate aria-labelledby=heading_id_ref
            aria-busy=move || busy.get().then_some("true") on:submit=on_submit>
            <h4 id=heading_id>{title}</h4>
            <FormSummary errors=errors failure=failure t=t />
            <div class="bw-form-grid">{field_view(&form_id, spec, end_date, errors, t, &f)}</div>
            <FormButtons busy=busy submit_label=t.end_submit on_cancel=on_cancel t=t />
        </form>
    }
}

/// Asks whether to delete a product, and deletes it through its `delete-recurring-product`
/// operation. Focus starts on Cancel, the harmless choice.
///
/// - `description`: the product's description, to name it.
/// - `operation`: its advertised delete operation.
/// - `notice`: the notice to give once deleted.
/// - `editing`, `on_saved`, `on_cancel`: as for the other change forms.
#[component]
pub fn DeleteProductConfirm(
    #[prop(into)] description: String,
    operation: Operation,
    notice: ChangeNotice,
    editing: Editing,
    on_saved: Callback<ChangeNotice>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let t = use_i18n().texts();
    let state = FormState::<ProductField>::showing(&[]);
    let FormState { errors, failure, busy, .. } = state;
    let cancel_ref = NodeRef::<leptos::html::Button>::new();
    let text_id = unique_id("bw-delete-confirm");
    Effect::new(move |_| {
        if let Some(cancel) = cancel_ref.get() {
            let _ = cancel.focus();
        }
    });
    let confirm = move |_| {
        let notice = ChangeNotice { action: ChangeAction::ProductDeleted, ..notice.clone() };
        let change = Change::DeleteProduct { operation: operation.clone() };
        state.send(&editing, change, notice, on_saved);
    };
    let text_id_ref = text_id.clone();
    view! {
        <div class="bw-form bw-confirm" role="group" aria-labelledby=text_id_ref
            aria-busy=move || busy.get().then_some("true")>
            <p id=text_id class="bw-confirm-text">{fill(t.delete_confirm, &[&description])}</p>
            <FormSummary errors=errors failure=failure t=t />
            <div class="bw-form-buttons">
                <button type="button" class="bw-button bw-danger" aria-disabled=move || busy.get().then_some("true")
                    on:click=confirm>
                    {move || if busy.get() { t.saving } else { t.delete_submit }}
                </button>
                <button type="button" class="bw-button bw-secondary" node_ref=cancel_ref
                    on:click=move |_| on_cancel.run(())>{t.cancel}</button>
            </div>
        </div>
    }
}
