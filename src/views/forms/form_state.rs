//! The state every change form keeps, and what it does on submit: refuse with the problems
//! found, or send and then either report the saved change or place the server's problems.

use crate::api::{ApiError, Change};
use crate::model::change::ChangeNotice;
use crate::model::{FormErrors, FormField};
use crate::views::forms::editing::Editing;
use crate::views::forms::form_fields::focus_first_error;
use leptos::prelude::*;

/// A change form's errors, the server's refusal, whether a change is in flight, and the form.
pub struct FormState<F: FormField + Send + Sync> {
    /// Problems on the form's fields (its own checks or the server's).
    pub errors: RwSignal<FormErrors<F>>,
    /// The server's refusal, shown with the form.
    pub failure: RwSignal<Option<ApiError>>,
    /// A change is in flight.
    pub busy: RwSignal<bool>,
    /// The `<form>` element.
    pub form: NodeRef<leptos::html::Form>,
    /// The fields the form shows: the server's problems on others show with the form as a whole.
    pub shown: &'static [F],
}

impl<F: FormField + Send + Sync> Clone for FormState<F> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<F: FormField + Send + Sync> Copy for FormState<F> {}

impl<F: FormField + Send + Sync> FormState<F> {
    /// A fresh state for a form that shows every field; the form's first control takes focus
    /// when it is mounted.
    pub fn new() -> FormState<F> {
        Self::showing(F::ALL)
    }

    /// A fresh state for a form that shows only the fields `shown`.
    pub fn showing(shown: &'static [F]) -> FormState<F> {
        let state = FormState {
            errors: RwSignal::new(FormErrors::default()),
            failure: RwSignal::new(None),
            busy: RwSignal::new(false),
            form: NodeRef::new(),
            shown,
        };
        Effect::new(move |_| {
            if let Some(form) = state.form.get() {
                focus_first_control(&form);
            }
        });
        state
    }

    /// Shows the problems found before sending, and focuses the first failing field.
    pub fn refuse(self, found: FormErrors<F>) {
        self.errors.set(found);
        self.failure.set(None);
        self.focus_first_error();
    }

    /// Sends `change` (once, however often it is asked while in flight). Saved: `on_saved`
    /// gets `notice`. Refused: the server's problems go on their fields, the refusal shows, and
    /// everything typed stays.
    pub fn send(self, editing: &Editing, change: Change, notice: ChangeNotice, on_saved: Callback<ChangeNotice>) {
        editing.submit(change, self.busy, move |result| match result {
            Ok(saved) => {
                // An added product's number is the server's to give: the event carries it.
                let notice = ChangeNotice {
                    recurring_product_no: notice.recurring_product_no.or(saved.recurring_product_no),
                    ..notice
                };
                on_saved.try_run(notice);
            }
            Err(error) => {
                let placed =
                    error.problem().map(|p| FormErrors::from_problems_on(&p.problems, self.shown)).unwrap_or_default();
                self.errors.try_set(placed);
                self.failure.try_set(Some(error));
                self.focus_first_error();
            }
        });
    }

    fn focus_first_error(self) {
        if let Some(form) = self.form.get_untracked() {
            self.errors.with_untracked(|e| focus_first_error(&form, e));
        }
    }
}

/// Focuses the first input or select of `form`.
fn focus_first_control(form: &web_sys::HtmlElement) {
    use wasm_bindgen::JsCast;
    if let Ok(Some(control)) = form.query_selector("input, select") {
        if let Ok(control) = control.dyn_into::<web_sys::HtmlElement>() {
            let _ = control.focus();
        }
    }
}
