//! One customer's recurring products at a glance, laid out: the customer's total and the ended
//! toggle, the customer's section, then a section for each subscription (title and dates), each
//! with its products table and, in CRM mode, its add-product form, and the add-subscription form.
//! The tables themselves are in `product_rows`.

use super::overview_context::{Context, Editor};
use super::product_rows::{product_change, products_table};
use crate::api::{ApiError, Change};
use crate::format::i18n::fill;
use crate::format::Texts;
use crate::model::change::{ChangeAction, ChangeNotice};
use crate::model::{CustomerOverview, ProductDraft, VatRates};
use crate::views::common::clock::local_today;
use crate::views::common::i18n::{provide_i18n, use_i18n, I18n};
use crate::views::common::status::incomplete_note;
use crate::views::forms::editing::Editing;
use crate::views::forms::product_form::ProductForm;
use crate::views::forms::subscription_form::SubscriptionForm;
use crate::views::ErrorView;
use crate::views::Mode;
use billing_contract::links::find_operation;
use billing_contract::{Date, Link, Operation, OperationRel, RecurringProduct, Subscription};
use leptos::prelude::*;
use std::sync::Arc;

/// A customer's recurring products: the customer's own, then each subscription (number,
/// description, dates) with its own. Ended products are hidden until asked for.
///
/// - `overview`: the loaded products.
/// - `locale`: the viewer's locale, provided to everything the table shows; without it, the
///   table reads the enclosing view's.
/// - `mode`: self-service (the default: read-only, plain) or CRM (identifiers, and changes where
///   offered).
/// - `today`: the day statuses are computed for; default: today in the viewer's time zone.
/// - `show_ended`: whether ended products show (kept by the caller across re-reads).
/// - `editing`: how to send changes; without it, nothing can be changed.
/// - `vat_rates`: the rates the product forms offer; default: those of the locale's country
///   ([`VatRates::configured`]), else any rate.
#[component]
pub fn RecurringProductsTable(
    overview: Arc<CustomerOverview>,
    #[prop(optional, into)] locale: Option<String>,
    #[prop(optional)] mode: Mode,
    #[prop(optional)] vat_rates: Option<VatRates>,
    #[prop(optional)] today: Option<Date>,
    #[prop(optional)] show_ended: Option<RwSignal<bool>>,
    #[prop(optional_no_strip)] editing: Option<Editing>,
) -> impl IntoView {
    let i18n = locale.map(|locale| I18n::new(&locale)).unwrap_or_else(use_i18n);
    provide_i18n(i18n, move || overview_table(overview, mode, vat_rates, today, show_ended, editing))
}

/// The body of [`RecurringProductsTable`], with the texts and formats of the enclosing view.
fn overview_table(
    overview: Arc<CustomerOverview>,
    mode: Mode,
    vat_rates: Option<VatRates>,
    today: Option<Date>,
    show_ended: Option<RwSignal<bool>>,
    editing: Option<Editing>,
) -> AnyView {
    let i18n = use_i18n();
    let t = i18n.texts();
    let ctx = Context {
        t,
        f: i18n.formatter(),
        mode,
        vat_rates: vat_rates.unwrap_or_else(|| VatRates::configured("", "", i18n.locale())),
        today: today.unwrap_or_else(local_today),
        show_ended: show_ended.unwrap_or_else(|| RwSignal::new(false)),
        editing,
        open: RwSignal::new(None),
        opener: StoredValue::new_local(None),
    };
    let self_service = mode == Mode::SelfService;
    let empty = overview.is_empty().then(|| {
        let text = if self_service { t.ss_nothing } else { t.no_recurring_at_all };
        view! { <p class="bw-empty" role="status">{text}</p> }
    });
    // An empty customer with nothing to add shows only that it is empty.
    let can_add = ctx.crm().is_some()
        && [OperationRel::AddSubscription, OperationRel::AddRecurringProduct]
            .iter()
            .any(|rel| find_operation(&overview.customer.operations, *rel).is_some());
    // Products or subscriptions the API sent that could not be read: said, not silently dropped.
    let unreadable = (overview.unreadable() > 0).then(|| {
        let text = fill(t.products_unreadable, &[&ctx.f.count(overview.unreadable())]);
        incomplete_note(text)
    });
    if overview.is_empty() && !can_add {
        return view! { {empty}{unreadable} }.into_any();
    }
    let cost = overview.active_cost(ctx.today);
    // A cost beyond a decimal is stated instead of a wrong or missing total.
    let too_large = cost.is_err();
    let total_text = (!overview.is_empty()).then(|| match cost {
        Ok(cost) => fill(
            if self_service { t.ss_customer_total } else { t.customer_total },
            &[&ctx.f.amount(cost.per_month), &ctx.f.amount(cost.per_year)],
        ),
        Err(_) => t.too_large.to_owned(),
    });
    let ended = overview.ended_count(ctx.today);
    let show_ended = ctx.show_ended;
    let ended_toggle = (ended > 0).then(|| {
        let count = ctx.f.count(ended);
        view! {
            <button type="button" class="bw-button bw-secondary bw-ended-toggle"
                aria-pressed=move || if show_ended.get() { "true" } else { "false" }
                on:click=move |_| show_ended.update(|s| *s = !*s)>
                {move || fill(if show_ended.get() { t.hide_ended } else { t.show_ended }, &[&count])}
            </button>
        }
    });
    let customer_title = if self_service { t.ss_own_products } else { t.customer_products };
    let customer_section = section(
        &ctx,
        customer_title.to_owned(),
        None,
        None,
        &overview.customer.id,
        &overview.customer.operations,
        &overview.products,
        overview.products_failed.as_ref(),
    );
    let subscriptions = overview
        .subscriptions
        .iter()
        .enumerate()
        .map(|(index, s)| {
            let title = subscription_title(&ctx, &s.subscription, index);
            let meta = subscription_dates(&ctx, &s.subscription);
            let sub = &s.subscription;
            let number = Some(sub.subscription_no.clone());
            section(&ctx, title, meta, number, &sub.id, &sub.operations, &s.products, s.failed.as_ref())
        })
        .collect_view();
    let add_subscription = add_subscription(&ctx, &overview);
    view! {
        <div class="bw-overview">
            {empty}
            <div class="bw-overview-bar">
                {total_text.map(|text| view! { <p class="bw-customer-total" class:bw-error=too_large>{text}</p> })}
                {unreadable}
                {ended_toggle}
                {add_subscription}
            </div>
            {customer_section}
            {subscriptions}
        </div>
    }
    .into_any()
}

/// The "Add subscription" button and its form, when the customer offers the operation.
fn add_subscription(ctx: &Context, overview: &CustomerOverview) -> Option<AnyView> {
    let editing = ctx.crm()?.clone();
    let operation = find_operation(&overview.customer.operations, OperationRel::AddSubscription)?.clone();
    let is_open = ctx.is_open(Editor::AddSubscription);
    let (cancel, saved, today) = (ctx.cancel(), ctx.saved(&editing), ctx.today);
    let form = move || {
        is_open().then(|| {
            view! {
                <SubscriptionForm operation=operation.clone() start=today editing=editing.clone()
                    on_saved=saved on_cancel=cancel />
            }
        })
    };
    Some(
        view! {
            <button type="button" class="bw-button bw-secondary" on:click=ctx.opener(Editor::AddSubscription)>
                {ctx.t.add_subscription}
            </button>
            <div class="bw-overview-form">{form}</div>
        }
        .into_any(),
    )
}

fn subscription_title(ctx: &Context, subscription: &Subscription, index: usize) -> String {
    subscription_name(ctx.t, ctx.mode, &subscription.subscription_no, subscription.description.as_deref(), index + 1)
}

/// A subscription's name in the viewer's words: in CRM its number and description; in
/// self-service what it is (the customer knows it by that, not by an internal number), else its
/// `ordinal` among the customer's subscriptions.
pub(crate) fn subscription_name(
    t: &Texts,
    mode: Mode,
    number: &str,
    description: Option<&str>,
    ordinal: usize,
) -> String {
    let description = description.filter(|d| !d.trim().is_empty());
    match mode {
        Mode::SelfService => {
            description.map(str::to_owned).unwrap_or_else(|| fill(t.ss_subscription, &[&ordinal.to_string()]))
        }
        Mode::Crm => {
            let number = fill(t.subscription, &[number]);
            description.map(|d| format!("{number} – {d}")).unwrap_or(number)
        }
    }
}

fn subscription_dates(ctx: &Context, subscription: &Subscription) -> Option<String> {
    let dates: Vec<String> = [
        subscription.start_date.map(|d| fill(ctx.t.started, &[&ctx.f.date(d)])),
        subscription.end_date.map(|d| fill(if d < ctx.today { ctx.t.ended } else { ctx.t.ends }, &[&ctx.f.date(d)])),
    ]
    .into_iter()
    .flatten()
    .collect();
    (!dates.is_empty()).then(|| dates.join(" · "))
}

/// A section: heading, dates, the products table with its total, and the add-product form.
#[allow(clippy::too_many_arguments)] // one section's parts, each from the overview
fn section(
    ctx: &Context,
    title: String,
    meta: Option<String>,
    subscription_no: Option<String>,
    parent: &Link,
    operations: &[Operation],
    products: &[RecurringProduct],
    failed: Option<&ApiError>,
) -> AnyView {
    let table = match failed {
        // Its products could not be loaded: said in the section, while the others show.
        Some(error) => view! { <ErrorView error=error.clone() /> }.into_any(),
        None => products_table(ctx, &title, subscription_no.as_deref(), products),
    };
    let add = ctx.crm().cloned().and_then(|editing| {
        let operation = find_operation(operations, OperationRel::AddRecurringProduct)?.clone();
        let editor = Editor::AddProduct(parent.clone());
        let is_open = ctx.is_open(editor.clone());
        let (cancel, saved, today) = (ctx.cancel(), ctx.saved(&editing), ctx.today);
        let (vat_rates, decimal) = (ctx.vat_rates.clone(), ctx.f.decimal_separator());
        let (add_label, form_title) = match subscription_no {
            Some(_) => (fill(ctx.t.add_product_to, &[&title]), fill(ctx.t.new_product_on, &[&title])),
            None => (ctx.t.add_product_to_customer.to_owned(), ctx.t.new_product_on_customer.to_owned()),
        };
        let base =
            ChangeNotice { subscription_no: subscription_no.clone(), ..editing.notice(ChangeAction::ProductAdded) };
        let make_change = product_change(base, move |input| Change::AddProduct { operation: operation.clone(), input });
        let form = move || {
            is_open().then(|| {
                view! {
                    <ProductForm title=form_title.clone()
                        initial=ProductDraft::new_product(today, &vat_rates, decimal)
                        make_change=make_change.clone() editing=editing.clone()
                        on_saved=saved on_cancel=cancel vat_rates=vat_rates.clone() />
                }
            })
        };
        Some(view! {
            <div class="bw-section-actions">
                <button type="button" class="bw-button bw-secondary" aria-label=add_label
                    on:click=ctx.opener(editor)>{ctx.t.add_product}</button>
            </div>
            <div class="bw-section-form">{form}</div>
        })
    });
    view! {
        <section class="bw-subscription" part="subscription">
            <h3>{title.clone()}</h3>
            {meta.map(|m| view! { <p class="bw-meta">{m}</p> })}
            {table}
            {add}
        </section>
    }
    .into_any()
}
