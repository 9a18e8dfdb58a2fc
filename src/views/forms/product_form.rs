//! The form that adds or edits a recurring product.

use crate::views::common::i18n::use_i18n;
use crate::views::common::shared::unique_id;
use crate::views::forms::editing::Editing;
use crate::views::forms::form_fields::{field_view, Control, FieldSpec};
use crate::views::forms::form_parts::{FormButtons, FormSummary};
use crate::views::forms::form_state::FormState;

use crate::api::Change;
use crate::format::{Formatter, Separators, Texts};
use crate::model::change::ChangeNotice;
use crate::model::drafts::write_number;
use crate::model::{ProductDraft, ProductField, VatRates};
use billing_contract::validation::DESCRIPTION_MAX_CHARS;
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
/// fails, and cannot send twice while a request is in flight. Numbers are read as the viewer's
/// locale (the view's [`I18n`](crate::views::I18n)) writes them.
///
/// - `title`: the form's heading.
/// - `initial`: what the fields start with.
/// - `make_change`: the change to send for a valid input.
/// - `editing`: how to send and whom to tell.
/// - `on_saved`: the change was saved (the caller closes the form).
/// - `on_cancel`: the person gave up.
/// - `vat_rates`: the rates offered and checked (a choice), or none (a number field, and the
///   server decides).
#[component]
pub fn ProductForm(
    #[prop(into)] title: String,
    initial: ProductDraft,
    make_change: MakeChange,
    editing: Editing,
    on_saved: Callback<ChangeNotice>,
    on_cancel: Callback<()>,
    vat_rates: VatRates,
) -> impl IntoView {
    let i18n = use_i18n();
    let (t, f) = (i18n.texts(), i18n.formatter());
    let separators = separators_of(&f);
    let fields = ProductFields::new(initial.clone());
    let state = FormState::<ProductField>::new();
    let FormState { errors, failure, busy, form: form_ref, .. } = state;
    let form_id = unique_id("bw-product-form");
    let heading_id = format!("{form_id}-heading");

    let (rate_control, rate_hint) = match vat_rates.list() {
        Some(rates) => (Control::Select(vat_rate_options(&f, rates, separators)), None),
        None => (Control::decimal(), Some(t.vat_rate_free_hint)),
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match fields.draft().to_input(separators, &vat_rates) {
            Err(found) => state.refuse(found),
            Ok(input) => {
                let (change, notice) = make_change(input);
                state.send(&editing, change, notice, on_saved);
            }
        }
    };

    let spec = |field, label, control, required, hint| FieldSpec { field, label, control, required, hint };
    let specs = [
        spec(ProductField::ProductNo, t.field_product_no, Control::text(Some(50)), true, None),
        spec(ProductField::Description, t.field_description, Control::text(Some(DESCRIPTION_MAX_CHARS)), true, None),
        spec(ProductField::Quantity, t.field_quantity, Control::decimal(), true, None),
        spec(ProductField::UnitPrice, t.field_unit_price, Control::decimal(), true, None),
        spec(ProductField::VatRate, t.field_vat_rate, rate_control, true, rate_hint),
        spec(ProductField::Periodicity, t.field_periodicity, Control::Select(periodicity_options(t)), true, None),
        spec(ProductField::StartDate, t.field_start_date, Control::date(), true, None),
        spec(ProductField::EndDate, t.field_end_date, Control::date(), false, Some(t.field_end_date_hint)),
    ];
    let controls = specs
        .into_iter()
        .map(|s| {
            let value = fields.value(s.field);
            field_view(&form_id, s, value, errors, t, &f)
        })
        .collect_view();

    let heading_id_ref = heading_id.clone();
    view! {
        <form class="bw-form" node_ref=form_ref novalidate aria-labelledby=heading_id_ref
            aria-busy=move || busy.get().then_some("true") on:submit=on_submit>
            <h4 id=heading_id>{title}</h4>
            <FormSummary errors=errors failure=failure t=t />
            <div class="bw-form-grid">{controls}</div>
            <FormButtons busy=busy submit_label=t.save on_cancel=on_cancel t=t />
        </form>
    }
}

/// How `f`'s locale writes numbers, for reading what people type in it.
pub(super) fn separators_of(f: &Formatter) -> Separators {
    Separators::of_sample(&f.quantity(Separators::sample()))
}

/// The VAT rates offered, as `(value, label)`. The caller lists the product's own rate when it
/// edits one ([`VatRates::with`]), so it shows selected.
fn vat_rate_options(f: &Formatter, rates: &[Decimal], separators: Separators) -> Vec<(String, String)> {
    rates.iter().map(|r| (write_number(*r, separators.decimal), f.rate(*r))).collect()
}

fn periodicity_options(t: &'static Texts) -> Vec<(String, String)> {
    Periodicity::ALL.iter().map(|p| (p.as_str().to_owned(), t.periodicity(*p).to_owned())).collect()
}
