//! The form that adds or edits a recurring product.

use super::editing::Editing;
use super::form_fields::{field_view, focus_first_error, Control, FieldSpec};
use super::shared::unique_id;
use super::ErrorView;
use crate::api::{ApiError, Change};
use crate::embed::ChangeNotice;
use crate::format::{i18n::fill, texts, Texts};
use crate::model::{FormErrors, ProductDraft, ProductField};
use billing_contract::customer::validation::{self, DESCRIPTION_MAX_CHARS};
use billing_contract::{Decimal, Periodicity, RecurringProductInput};
use leptos::prelude::*;
use std::sync::Arc;

/// Turns a valid input into the change to send and the notice to give once it is saved.
pub type MakeChange = Arc<dyn Fn(RecurringProductInput) -> (Change, ChangeNotice) + Send + Sync>;

/// One signal per field of a [`ProductDraft`].
#[derive(Clone, Copy)]
struct ProductFields {
    product_no: RwSignal<String>,
    description: RwSignal<String>,
    quantity: RwSignal<String>,
    unit_price: RwSignal<String>,
    vat_rate: RwSignal<String>,
    periodicity: RwSignal<String>,
    start_date: RwSignal<String>,
    end_date: RwSignal<String>,
}

impl ProductFields {
    fn new(d: ProductDraft) -> ProductFields {
        ProductFields {
            product_no: RwSignal::new(d.product_no),
            description: RwSignal::new(d.description),
            quantity: RwSignal::new(d.quantity),
            unit_price: RwSignal::new(d.unit_price),
            vat_rate: RwSignal::new(d.vat_rate),
            periodicity: RwSignal::new(d.periodicity),
            start_date: RwSignal::new(d.start_date),
            end_date: RwSignal::new(d.end_date),
        }
    }

    fn draft(&self) -> ProductDraft {
        ProductDraft {
            product_no: self.product_no.get_untracked(),
            description: self.description.get_untracked(),
            quantity: self.quantity.get_untracked(),
            unit_price: self.unit_price.get_untracked(),
            vat_rate: self.vat_rate.get_untracked(),
            periodicity: self.periodicity.get_untracked(),
            start_date: self.start_date.get_untracked(),
            end_date: self.end_date.get_untracked(),
        }
    }

    fn value(&self, field: ProductField) -> RwSignal<String> {
        match field {
            ProductField::ProductNo => self.product_no,
            ProductField::Description => self.description,
            ProductField::Quantity => self.quantity,
            ProductField::UnitPrice => self.unit_price,
            ProductField::VatRate => self.vat_rate,
            ProductField::Periodicity => self.periodicity,
            ProductField::StartDate => self.start_date,
            ProductField::EndDate => self.end_date,
        }
    }
}

/// Adds or edits a recurring product. Checks the contract's rules before sending, puts the
/// server's validation problems on the fields they name, keeps everything typed when sending
/// fails, and cannot send twice while a request is in flight.
///
/// - `title`: the form's heading.
/// - `initial`: what the fields start with.
/// - `make_change`: the change to send for a valid input.
/// - `editing`: how to send and whom to tell.
/// - `on_saved`: the change was saved (the caller closes the form).
/// - `on_cancel`: the person gave up.
/// - `locale`: the viewer's locale.
#[component]
pub fn ProductForm(
    #[prop(into)] title: String,
    initial: ProductDraft,
    make_change: MakeChange,
    editing: Editing,
    on_saved: Callback<ChangeNotice>,
    on_cancel: Callback<()>,
    #[prop(into)] locale: String,
) -> impl IntoView {
    let t = texts(&locale);
    let vat_rates = validation::swedish_vat_rates();
    let fields = ProductFields::new(initial.clone());
    let errors = RwSignal::new(FormErrors::<ProductField>::default());
    let failure = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let form_ref = NodeRef::<leptos::html::Form>::new();
    let form_id = unique_id("bw-product-form");
    let heading_id = format!("{form_id}-heading");

    // Focus the first field when the form opens.
    Effect::new(move |_| {
        if let Some(form) = form_ref.get() {
            focus_first_control(&form);
        }
    });

    let rates = vat_rate_options(&vat_rates, &initial.vat_rate);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let focus_errors = move || {
            if let Some(form) = form_ref.get_untracked() {
                errors.with_untracked(|e| focus_first_error(&form, e));
            }
        };
        match fields.draft().to_input(&vat_rates) {
            Err(found) => {
                errors.set(found);
                failure.set(None);
                focus_errors();
            }
            Ok(input) => {
                let (change, notice) = make_change(input);
                editing.submit(change, busy, move |result| match result {
                    Ok(()) => {
                        on_saved.try_run(notice);
                    }
                    Err(error) => {
                        let placed =
                            error.problem().map(|p| FormErrors::from_problems(&p.problems)).unwrap_or_default();
                        errors.try_set(placed);
                        failure.try_set(Some(error));
                        focus_errors();
                    }
                });
            }
        }
    };

    let spec = |field, label, control, required, hint| FieldSpec { field, label, control, required, hint };
    let specs = [
        spec(ProductField::ProductNo, t.field_product_no, Control::text(Some(50)), true, None),
        spec(ProductField::Description, t.field_description, Control::text(Some(DESCRIPTION_MAX_CHARS)), true, None),
        spec(ProductField::Quantity, t.field_quantity, Control::decimal(), true, None),
        spec(ProductField::UnitPrice, t.field_unit_price, Control::decimal(), true, None),
        spec(ProductField::VatRate, t.field_vat_rate, Control::Select(rates), true, None),
        spec(ProductField::Periodicity, t.field_periodicity, Control::Select(periodicity_options(t)), true, None),
        spec(ProductField::StartDate, t.field_start_date, Control::date(), true, None),
        spec(ProductField::EndDate, t.field_end_date, Control::date(), false, Some(t.field_end_date_hint)),
    ];
    let controls = specs
        .into_iter()
        .map(|s| {
            let value = fields.value(s.field);
            field_view(&form_id, s, value, errors, t)
        })
        .collect_view();

    let heading_id_ref = heading_id.clone();
    view! {
        <form class="bw-form" node_ref=form_ref novalidate aria-labelledby=heading_id_ref
            aria-busy=move || busy.get().then_some("true") on:submit=on_submit>
            <h4 id=heading_id>{title}</h4>
            <FormSummary errors=errors failure=failure t=t locale=locale />
            <div class="bw-form-grid">{controls}</div>
            <FormButtons busy=busy submit_label=t.save on_cancel=on_cancel t=t />
        </form>
    }
}

/// The VAT rates offered: the ledger's, and the product's own if it is not one of them (so
/// that it shows, and the form says it must change).
fn vat_rate_options(rates: &[Decimal], current: &str) -> Vec<(String, String)> {
    let mut options: Vec<String> = rates.iter().map(|r| r.normalize().to_string()).collect();
    if !current.is_empty() && !options.iter().any(|o| o == current) {
        options.push(current.to_owned());
    }
    options.into_iter().map(|r| (r.clone(), format!("{r} %"))).collect()
}

fn periodicity_options(t: &'static Texts) -> Vec<(String, String)> {
    Periodicity::ALL.iter().map(|p| (p.as_str().to_owned(), t.periodicity(*p).to_owned())).collect()
}

/// Focuses the first input or select of `form`.
pub(super) fn focus_first_control(form: &web_sys::HtmlElement) {
    use wasm_bindgen::JsCast;
    if let Ok(Some(control)) = form.query_selector("input, select") {
        if let Ok(control) = control.dyn_into::<web_sys::HtmlElement>() {
            let _ = control.focus();
        }
    }
}

/// What is wrong with a form as a whole: how many fields need attention, or the server's
/// problem (title, detail, instance id) and any problems naming no field of the form.
#[component]
pub(super) fn FormSummary<F: crate::model::FormField + Send + Sync>(
    errors: RwSignal<FormErrors<F>>,
    failure: RwSignal<Option<ApiError>>,
    t: &'static Texts,
    #[prop(into)] locale: String,
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
            view! { <ErrorView error=error locale=locale.clone() hide_fields=true /> }
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
pub(super) fn session_expired(t: &'static Texts, error: ApiError) -> ApiError {
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
