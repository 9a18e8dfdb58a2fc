//! One customer's recurring products at a glance: the customer's own, then each subscription
//! with its own, each product's status and price per month and year, and, in CRM mode, the
//! changes the API offers on each resource.

use crate::api::{ApiError, Change};
use crate::format::{i18n::fill, Formatter, Texts};
use crate::model::change::{ChangeAction, ChangeNotice};
use crate::model::{Cost, CustomerOverview, ProductDraft, ProductStatus, VatRates};
use crate::views::common::clock::local_today;
use crate::views::common::i18n::{provide_i18n, use_i18n, I18n};
use crate::views::common::status::incomplete_note;
use crate::views::forms::editing::Editing;
use crate::views::forms::product_actions::{DeleteProductConfirm, EndProductForm};
use crate::views::forms::product_form::{MakeChange, ProductForm};
use crate::views::forms::subscription_form::SubscriptionForm;
use crate::views::ErrorView;
use crate::views::Mode;
use billing_contract::links::find_operation;
use billing_contract::{Date, Link, Operation, OperationRel, RecurringProduct, Subscription};
use leptos::prelude::*;
use std::sync::Arc;
use wasm_bindgen::JsCast;

/// Which change form is open; one at a time.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Editor {
    /// Adding a product to the customer or subscription with this `@id`.
    AddProduct(Link),
    /// Editing the product with this `@id`.
    Edit(Link),
    /// Ending the product with this `@id`.
    End(Link),
    /// Confirming the deletion of the product with this `@id`.
    Delete(Link),
    /// Adding a subscription.
    AddSubscription,
}

/// What every section and row of the overview shares.
#[derive(Clone)]
struct Context {
    t: &'static Texts,
    f: Arc<Formatter>,
    mode: Mode,
    /// The VAT rates the product forms offer.
    vat_rates: VatRates,
    today: Date,
    show_ended: RwSignal<bool>,
    /// Set in CRM mode when changes can be sent.
    editing: Option<Editing>,
    open: RwSignal<Option<Editor>>,
    /// The button that opened the form, to return focus to on Cancel.
    opener: StoredValue<Option<web_sys::HtmlElement>, LocalStorage>,
}

impl Context {
    fn crm(&self) -> Option<&Editing> {
        self.editing.as_ref().filter(|_| self.mode == Mode::Crm)
    }

    fn columns(&self) -> usize {
        match (self.mode, self.crm().is_some()) {
            (Mode::Crm, true) => 12,
            (Mode::Crm, false) => 11,
            (Mode::SelfService, _) => 8,
        }
    }

    /// Opens `editor`, remembering the button that did so.
    fn opener(&self, editor: Editor) -> impl Fn(leptos::ev::MouseEvent) + Clone + 'static {
        let (open, opener) = (self.open, self.opener);
        move |ev| {
            let button = ev.current_target().and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok());
            opener.set_value(button);
            open.set(Some(editor.clone()));
        }
    }

    /// Closes the open form and puts focus back on the button that opened it.
    fn cancel(&self) -> Callback<()> {
        let (open, opener) = (self.open, self.opener);
        Callback::new(move |()| {
            open.set(None);
            if let Some(button) = opener.try_get_value().flatten() {
                let _ = button.focus();
            }
        })
    }

    /// Closes the open form and reports the saved change.
    fn saved(&self, editing: &Editing) -> Callback<ChangeNotice> {
        let (open, on_saved) = (self.open, editing.on_saved);
        Callback::new(move |notice| {
            open.set(None);
            on_saved.run(notice);
        })
    }

    fn is_open(&self, editor: Editor) -> impl Fn() -> bool + Send + Sync + 'static {
        let open = self.open;
        move || open.with(|o| o.as_ref() == Some(&editor))
    }
}

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
    let description = subscription.description.as_deref().filter(|d| !d.trim().is_empty());
    match ctx.mode {
        // The customer knows a subscription by what it is, not by an internal number.
        Mode::SelfService => {
            description.map(str::to_owned).unwrap_or_else(|| fill(ctx.t.ss_subscription, &[&(index + 1).to_string()]))
        }
        Mode::Crm => {
            let number = fill(ctx.t.subscription, &[&subscription.subscription_no]);
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
        let make_change: MakeChange = Arc::new(move |input| {
            let notice = ChangeNotice {
                product_no: Some(input.product_no.clone()),
                description: Some(input.description.clone()),
                ..base.clone()
            };
            (Change::AddProduct { operation: operation.clone(), input }, notice)
        });
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

fn products_table(
    ctx: &Context,
    caption: &str,
    subscription_no: Option<&str>,
    products: &[RecurringProduct],
) -> AnyView {
    let t = ctx.t;
    let self_service = ctx.mode == Mode::SelfService;
    if products.is_empty() {
        return view! { <p class="bw-empty">{if self_service { t.ss_no_products } else { t.no_products }}</p> }
            .into_any();
    }
    let ended = products.iter().filter(|p| ProductStatus::of(p, ctx.today) == ProductStatus::Ended).count();
    let cost = Cost::of_active(products, ctx.today);
    let rows = products.iter().map(|p| product_rows(ctx, subscription_no, p)).collect_view();
    let show_ended = ctx.show_ended;
    let hidden_note = (ended > 0).then(|| {
        let text = fill(t.ended_hidden, &[&ctx.f.count(ended)]);
        move || (!show_ended.get()).then(|| view! { <p class="bw-meta bw-ended-note">{text.clone()}</p> })
    });
    let head = if self_service {
        view! {
            <tr>
                <th scope="col">{t.ss_col_service}</th>
                <th scope="col" class="bw-num">{t.col_quantity}</th>
                <th scope="col" class="bw-num">{t.col_per_month}</th>
                <th scope="col" class="bw-num">{t.col_per_year}</th>
                <th scope="col">{t.ss_col_billed}</th>
                <th scope="col">{t.ss_col_from}</th>
                <th scope="col">{t.ss_col_until}</th>
                <th scope="col">{t.col_status}</th>
            </tr>
        }
        .into_any()
    } else {
        view! {
            <tr>
                <th scope="col">{t.col_product}</th>
                <th scope="col">{t.col_description}</th>
                <th scope="col" class="bw-num">{t.col_quantity}</th>
                <th scope="col" class="bw-num">{t.col_unit_price_excl}</th>
                <th scope="col" class="bw-num">{t.col_vat_rate}</th>
                <th scope="col">{t.col_periodicity}</th>
                <th scope="col">{t.col_start}</th>
                <th scope="col">{t.col_end}</th>
                <th scope="col">{t.col_status}</th>
                <th scope="col" class="bw-num">{t.col_per_month}</th>
                <th scope="col" class="bw-num">{t.col_per_year}</th>
                {ctx.crm().is_some().then(|| view! { <th scope="col"><span class="bw-visually-hidden">{t.col_actions}</span></th> })}
            </tr>
        }
        .into_any()
    };
    let total_label = if self_service { t.ss_total } else { t.total_active };
    let (label_span, trailing) = if self_service { (2, 4) } else { (9, ctx.columns() - 11) };
    let foot = view! {
        <tr class="bw-subtotal">
            <th scope="row" colspan=label_span>{total_label}</th>
            {match cost {
                Ok(cost) => view! {
                    <td class="bw-num">{ctx.f.amount(cost.per_month)}</td>
                    <td class="bw-num">{ctx.f.amount(cost.per_year)}</td>
                }
                .into_any(),
                Err(_) => view! { <td colspan="2" class="bw-error" role="alert">{t.too_large}</td> }.into_any(),
            }}
            {(trailing > 0).then(|| view! { <td colspan=trailing></td> })}
        </tr>
    };
    view! {
        <div class="bw-table-scroll">
            <table class="bw-table bw-products">
                <caption class="bw-visually-hidden">{caption.to_owned()}</caption>
                <thead>{head}</thead>
                <tbody>{rows}</tbody>
                <tfoot>{foot}</tfoot>
            </table>
        </div>
        {hidden_note}
    }
    .into_any()
}

/// A product's row and, below it, its open change form.
fn product_rows(ctx: &Context, subscription_no: Option<&str>, p: &RecurringProduct) -> AnyView {
    let (t, f) = (ctx.t, &ctx.f);
    let status = ProductStatus::of(p, ctx.today);
    let (status_text, status_class) = match status {
        ProductStatus::Active => (t.status_active, "bw-status bw-status-active"),
        ProductStatus::Upcoming => (t.status_upcoming, "bw-status bw-status-upcoming"),
        ProductStatus::Ended => (t.status_ended, "bw-status bw-status-ended"),
    };
    let cost = Cost::of(p);
    let money =
        |pick: fn(Cost) -> billing_contract::Decimal| cost.map(|c| f.amount(pick(c))).unwrap_or_else(|| "–".into());
    let (per_month, per_year) = (money(|c| c.per_month), money(|c| c.per_year));
    let end = p.end_date.map(|d| f.date(d)).unwrap_or_else(|| t.until_further_notice.to_owned());
    let cells = if ctx.mode == Mode::SelfService {
        view! {
            <td>{p.description.clone()}</td>
            <td class="bw-num">{f.quantity(p.quantity)}</td>
            <td class="bw-num">{per_month}</td>
            <td class="bw-num">{per_year}</td>
            <td>{t.periodicity(p.periodicity)}</td>
            <td>{f.date(p.start_date)}</td>
            <td>{end}</td>
            <td><span class=status_class>{status_text}</span></td>
        }
        .into_any()
    } else {
        view! {
            <td>{p.product_no.clone()}</td>
            <td>{p.description.clone()}</td>
            <td class="bw-num">{f.quantity(p.quantity)}</td>
            <td class="bw-num">{f.price(p.unit_price)}</td>
            <td class="bw-num">{f.rate(p.vat_rate)}</td>
            <td>{t.periodicity(p.periodicity)}</td>
            <td>{f.date(p.start_date)}</td>
            <td>{end}</td>
            <td><span class=status_class>{status_text}</span></td>
            <td class="bw-num">{per_month}</td>
            <td class="bw-num">{per_year}</td>
            {ctx.crm().map(|_| view! { <td class="bw-row-actions">{row_buttons(ctx, p)}</td> })}
        }
        .into_any()
    };
    let editor = ctx.crm().cloned().map(|editing| editor_row(ctx, &editing, subscription_no, p));
    let ended = status == ProductStatus::Ended;
    let show_ended = ctx.show_ended;
    view! {
        <tr class="bw-product" class:bw-ended=ended hidden=move || ended && !show_ended.get()>{cells}</tr>
        {editor}
    }
    .into_any()
}

/// Edit, End and Delete, each only when the product advertises the operation behind it.
fn row_buttons(ctx: &Context, p: &RecurringProduct) -> AnyView {
    let t = ctx.t;
    let update = find_operation(&p.operations, OperationRel::UpdateRecurringProduct).is_some();
    let delete = find_operation(&p.operations, OperationRel::DeleteRecurringProduct).is_some();
    let name = &p.description;
    let id = &p.id;
    view! {
        {update.then(|| view! {
            <button type="button" class="bw-button bw-link" aria-label=fill(t.edit_named, &[name])
                on:click=ctx.opener(Editor::Edit(id.clone()))>{t.edit}</button>
        })}
        {(update && p.end_date.is_none()).then(|| view! {
            <button type="button" class="bw-button bw-link" aria-label=fill(t.end_named, &[name])
                on:click=ctx.opener(Editor::End(id.clone()))>{t.end}</button>
        })}
        {delete.then(|| view! {
            <button type="button" class="bw-button bw-link bw-danger-link" aria-label=fill(t.delete_named, &[name])
                on:click=ctx.opener(Editor::Delete(id.clone()))>{t.delete}</button>
        })}
    }
    .into_any()
}

/// The row below a product that holds its open edit, end or delete form.
fn editor_row(ctx: &Context, editing: &Editing, subscription_no: Option<&str>, p: &RecurringProduct) -> AnyView {
    let columns = ctx.columns();
    let notice = ChangeNotice {
        subscription_no: subscription_no.map(str::to_owned),
        recurring_product_no: Some(p.recurring_product_no.clone()),
        product_no: Some(p.product_no.clone()),
        description: Some(p.description.clone()),
        ..editing.notice(ChangeAction::ProductUpdated)
    };
    let update = find_operation(&p.operations, OperationRel::UpdateRecurringProduct).cloned();
    let delete = find_operation(&p.operations, OperationRel::DeleteRecurringProduct).cloned();
    let (open, id, product) = (ctx.open, p.id.clone(), p.clone());
    let (cancel, saved, t, today) = (ctx.cancel(), ctx.saved(editing), ctx.t, ctx.today);
    let decimal_separator = ctx.f.decimal_separator();
    // The product's own rate is offered even when the ledger's list does not have it.
    let vat_rates = ctx.vat_rates.with(p.vat_rate);
    let editing = editing.clone();
    (move || {
        let editor =
            open.get().filter(|e| matches!(e, Editor::Edit(l) | Editor::End(l) | Editor::Delete(l) if *l == id))?;
        let form = match editor {
            Editor::Edit(_) => {
                let operation = update.clone()?;
                let base = notice.clone();
                let make_change: MakeChange = Arc::new(move |input| {
                    let notice = ChangeNotice {
                        product_no: Some(input.product_no.clone()),
                        description: Some(input.description.clone()),
                        ..base.clone()
                    };
                    (Change::UpdateProduct { operation: operation.clone(), input }, notice)
                });
                view! {
                    <ProductForm title=fill(t.editing, &[&product.description])
                        initial=ProductDraft::of_product(&product, decimal_separator)
                        make_change=make_change editing=editing.clone()
                        on_saved=saved on_cancel=cancel vat_rates=vat_rates.clone() />
                }
                .into_any()
            }
            Editor::End(_) => {
                let from = if product.start_date > today { product.start_date } else { today };
                let operation = update.clone()?;
                view! {
                    <EndProductForm product=product.clone() operation=operation end=from.end_of_month()
                        notice=notice.clone() editing=editing.clone()
                        on_saved=saved on_cancel=cancel />
                }
                .into_any()
            }
            Editor::Delete(_) => {
                let operation = delete.clone()?;
                view! {
                    <DeleteProductConfirm description=product.description.clone() operation=operation
                        notice=notice.clone() editing=editing.clone()
                        on_saved=saved on_cancel=cancel />
                }
                .into_any()
            }
            Editor::AddProduct(_) | Editor::AddSubscription => return None,
        };
        Some(view! { <tr class="bw-editor-row"><td colspan=columns>{form}</td></tr> })
    })
    .into_any()
}
