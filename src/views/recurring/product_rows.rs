//! A section's products table: its heading and total rows, each product's row with its Edit,
//! End and Delete buttons, the row below a product that holds its open change form, and what a
//! product form sends.

use super::overview_context::{Context, Editor};
use crate::api::Change;
use crate::format::i18n::fill;
use crate::model::change::{ChangeAction, ChangeNotice};
use crate::model::{Cost, ProductDraft, ProductStatus};
use crate::views::forms::editing::Editing;
use crate::views::forms::product_actions::{DeleteProductConfirm, EndProductForm};
use crate::views::forms::product_form::{MakeChange, ProductForm};
use crate::views::Mode;
use billing_contract::links::find_operation;
use billing_contract::{OperationRel, RecurringProduct, RecurringProductInput};
use leptos::prelude::*;
use std::sync::Arc;

/// A section's products table with its total, or a line saying it has none; ended products
/// are hidden, with a note, until asked for.
pub(super) fn products_table(
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
                    <td class="bw-num" data-label=t.col_per_month>{ctx.f.amount(cost.per_month)}</td>
                    <td class="bw-num" data-label=t.col_per_year>{ctx.f.amount(cost.per_year)}</td>
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
            <td class="bw-name" data-label=t.ss_col_service>{p.description.clone()}</td>
            <td class="bw-num" data-label=t.col_quantity>{f.quantity(p.quantity)}</td>
            <td class="bw-num" data-label=t.col_per_month>{per_month}</td>
            <td class="bw-num" data-label=t.col_per_year>{per_year}</td>
            <td data-label=t.ss_col_billed>{t.periodicity(p.periodicity)}</td>
            <td data-label=t.ss_col_from>{f.date(p.start_date)}</td>
            <td data-label=t.ss_col_until>{end}</td>
            <td data-label=t.col_status><span class=status_class>{status_text}</span></td>
        }
        .into_any()
    } else {
        view! {
            <td data-label=t.col_product>{p.product_no.clone()}</td>
            <td class="bw-name" data-label=t.col_description>{p.description.clone()}</td>
            <td class="bw-num" data-label=t.col_quantity>{f.quantity(p.quantity)}</td>
            <td class="bw-num" data-label=t.col_unit_price_excl>{f.price(p.unit_price)}</td>
            <td class="bw-num" data-label=t.col_vat_rate>{f.rate(p.vat_rate)}</td>
            <td data-label=t.col_periodicity>{t.periodicity(p.periodicity)}</td>
            <td data-label=t.col_start>{f.date(p.start_date)}</td>
            <td data-label=t.col_end>{end}</td>
            <td data-label=t.col_status><span class=status_class>{status_text}</span></td>
            <td class="bw-num" data-label=t.col_per_month>{per_month}</td>
            <td class="bw-num" data-label=t.col_per_year>{per_year}</td>
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
                let make_change = product_change(notice.clone(), move |input| Change::UpdateProduct {
                    operation: operation.clone(),
                    input,
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

/// What a product form sends: `change` made from the entered product, and the notice `base`
/// with the entered product's number and description.
pub(super) fn product_change(
    base: ChangeNotice,
    change: impl Fn(RecurringProductInput) -> Change + Send + Sync + 'static,
) -> MakeChange {
    Arc::new(move |input| {
        let notice = ChangeNotice {
            product_no: Some(input.product_no.clone()),
            description: Some(input.description.clone()),
            ..base.clone()
        };
        (change(input), notice)
    })
}
