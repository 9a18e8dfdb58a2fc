//! One labelled form control with its error message, wired for screen readers: the label names
//! the control, `aria-invalid` marks a failing one and `aria-describedby` reads its message.

use crate::format::{Formatter, Texts};
use crate::model::{FormErrors, FormField};
use crate::views::forms::form_messages::field_message;
use leptos::prelude::*;

/// What kind of control a field is.
#[derive(Clone, Debug)]
pub enum Control {
    /// An `<input>` of this `type` (`text`, `date`), with an `inputmode` hint for numbers.
    Input { input_type: &'static str, inputmode: Option<&'static str>, maxlength: Option<usize> },
    /// A `<select>` of `(value, label)` options.
    Select(Vec<(String, String)>),
}

impl Control {
    /// A text input.
    pub fn text(maxlength: Option<usize>) -> Control {
        Control::Input { input_type: "text", inputmode: None, maxlength }
    }
    /// A text input for a decimal number (`199,50`): a number keyboard, any separator.
    pub fn decimal() -> Control {
        Control::Input { input_type: "text", inputmode: Some("decimal"), maxlength: None }
    }
    /// A date picker; its value is `YYYY-MM-DD` in every locale.
    pub fn date() -> Control {
        Control::Input { input_type: "date", inputmode: None, maxlength: None }
    }
}

/// A field of a form: its label, control, optional hint, and its error when it has one.
pub struct FieldSpec<F> {
    /// The field.
    pub field: F,
    /// The visible label.
    pub label: &'static str,
    /// The control.
    pub control: Control,
    /// Whether the form cannot be sent without it.
    pub required: bool,
    /// A hint shown under the control.
    pub hint: Option<&'static str>,
}

/// Renders one field bound to `value`. Controls are named by the contract's field name, which
/// is how a form finds its first failing field to focus. Its problem is said with `t` and `f`.
pub fn field_view<F: FormField + Send + Sync>(
    form_id: &str,
    spec: FieldSpec<F>,
    value: RwSignal<String>,
    errors: RwSignal<FormErrors<F>>,
    t: &'static Texts,
    f: &Formatter,
) -> AnyView {
    let FieldSpec { field, label, control, required, hint } = spec;
    let id = format!("{form_id}-{}", field.wire());
    let (error_id, hint_id) = (format!("{id}-error"), format!("{id}-hint"));
    let failing = move || errors.with(|e| e.message(field).is_some());
    let said = {
        let f = f.clone();
        move || errors.with(|e| e.message(field).map(|m| field_message(t, &f, m)))
    };
    let invalid = move || failing().then_some("true");
    let described_by = {
        let (error_id, hint_id) = (error_id.clone(), hint_id.clone());
        move || {
            let ids: Vec<&str> = [failing().then_some(error_id.as_str()), hint.map(|_| hint_id.as_str())]
                .into_iter()
                .flatten()
                .collect();
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    let control = match control {
        Control::Input { input_type, inputmode, maxlength } => view! {
            <input id=id.clone() name=field.wire() type=input_type inputmode=inputmode maxlength=maxlength
                autocomplete="off" aria-required=required.then_some("true")
                aria-invalid=invalid aria-describedby=described_by
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev)) />
        }
        .into_any(),
        Control::Select(options) => view! {
            <select id=id.clone() name=field.wire() aria-required=required.then_some("true")
                aria-invalid=invalid aria-describedby=described_by
                on:change=move |ev| value.set(event_target_value(&ev))>
                {options.into_iter().map(|(option, text)| {
                    let selected = { let option = option.clone(); move || value.with(|v| *v == option) };
                    view! { <option value=option prop:selected=selected>{text}</option> }
                }).collect_view()}
            </select>
        }
        .into_any(),
    };
    view! {
        <div class="bw-field" class:bw-field-invalid=failing>
            <label for=id>{label}{required.then(|| view! { <span class="bw-required">" ("{t.required}")"</span> })}</label>
            {control}
            {hint.map(|h| view! { <p class="bw-hint" id=hint_id>{h}</p> })}
            {move || said().map(|m| view! { <p class="bw-field-error" id=error_id.clone()>{m}</p> })}
        </div>
    }
    .into_any()
}

/// Moves focus to the control of the first failing field in `form`.
pub fn focus_first_error<F: FormField>(form: &web_sys::HtmlElement, errors: &FormErrors<F>) {
    use wasm_bindgen::JsCast;
    let Some(field) = errors.first_field() else { return };
    let selector = format!("[name=\"{}\"]", field.wire());
    if let Ok(Some(control)) = form.query_selector(&selector) {
        if let Ok(control) = control.dyn_into::<web_sys::HtmlElement>() {
            let _ = control.focus();
        }
    }
}
