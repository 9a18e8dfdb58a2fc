//! The next invoice's recurring charges, estimated from the products shown (see
//! [`crate::model::preview`] for the reading), behind a disclosure button.

use crate::format::{i18n::fill, Formatter, Texts};
use crate::model::invoice::Totals;
use crate::model::preview::{BillingPeriod, InvoicePreview, PreviewGroup};
use crate::model::{CustomerOverview, GroupKind};
use crate::views::common::disclosure::DisclosureButton;
use crate::views::common::i18n::use_i18n;
use crate::views::common::mode::Mode;
use crate::views::common::shared::unique_id;
use crate::views::recurring::products_overview::subscription_name;
use billing_contract::Date;
use leptos::prelude::*;
use std::sync::Arc;

/// A disclosure (APG) that shows what the next billing period will charge per group, with
/// totals excluding and including VAT, labelled as an estimate without usage.
///
/// - `overview`: the customer's products.
/// - `today`: the viewer's date; the estimate is for the calendar month after it.
/// - `mode`: CRM names subscriptions by number, self-service by what they are.
#[component]
pub fn NextInvoicePreview(overview: Arc<CustomerOverview>, today: Date, #[prop(optional)] mode: Mode) -> impl IntoView {
    let i18n = use_i18n();
    let (t, f) = (i18n.texts(), i18n.formatter());
    let open = RwSignal::new(false);
    let region = unique_id("bw-preview");
    let period = BillingPeriod::after(today);
    let panel = move || {
        open.get().then(|| match InvoicePreview::new(&overview, period) {
            Ok(preview) => preview_panel(t, &f, &preview, mode).into_any(),
            Err(_) => view! { <p class="bw-error" role="alert">{t.too_large}</p> }.into_any(),
        })
    };
    view! {
        <section class="bw-preview" part="preview">
            <DisclosureButton open=open controls=region.clone() label=t.preview_open />
            <div id=region>{panel}</div>
        </section>
    }
}

fn preview_panel(t: &'static Texts, f: &Formatter, preview: &InvoicePreview, mode: Mode) -> impl IntoView {
    let (start, end) = (f.date(preview.period.start), f.date(preview.period.end));
    let note = fill(t.preview_note, &[&start, &end]);
    let incomplete =
        preview.is_incomplete().then(|| view! { <p class="bw-note bw-note-warning">{t.preview_incomplete}</p> });
    if preview.groups.iter().all(|g| g.charges.is_empty()) {
        return view! {
            <p class="bw-note">{note}</p>
            {incomplete}
            <p class="bw-empty">{fill(t.preview_nothing, &[&start, &end])}</p>
        }
        .into_any();
    }
    // Self-service names a subscription without a description by its place among them.
    let mut subscriptions = 0;
    let groups = preview
        .groups
        .iter()
        .map(|g| {
            subscriptions += usize::from(matches!(g.kind, GroupKind::Subscription { .. }));
            group_rows(t, f, g, subscriptions, mode)
        })
        .collect_view();
    view! {
        <p class="bw-note">{note}</p>
        {incomplete}
        <div class="bw-table-scroll">
            <table class="bw-table bw-preview-table">
                <caption>{fill(t.preview_caption, &[&start, &end])}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t.col_description}</th>
                        <th scope="col">{t.col_periodicity}</th>
                        <th scope="col" class="bw-num">{t.col_amount_excl}</th>
                        <th scope="col" class="bw-num">{t.col_vat}</th>
                        <th scope="col" class="bw-num">{t.col_amount_incl}</th>
                    </tr>
                </thead>
                {groups}
                <tfoot>{totals_row(t, f, t.preview_total, preview.totals, "bw-total")}</tfoot>
            </table>
        </div>
    }
    .into_any()
}

fn group_rows(t: &'static Texts, f: &Formatter, group: &PreviewGroup, ordinal: usize, mode: Mode) -> impl IntoView {
    let charges = group
        .charges
        .iter()
        .map(|c| {
            let starts =
                c.starts_in_period.then(|| view! { " "<span class="bw-tag bw-tag-muted">{t.preview_starts}</span> });
            let ends = c.ends_in_period.then(|| view! { " "<span class="bw-tag bw-tag-muted">{t.preview_ends}</span> });
            view! {
                <tr class="bw-preview-charge">
                    <td class="bw-name">{c.description.clone()}{starts}{ends}</td>
                    <td data-label=t.col_periodicity>{t.periodicity(c.periodicity)}</td>
                    <td class="bw-num" data-label=t.col_amount_excl>{f.amount(c.amount)}</td>
                    <td class="bw-num" data-label=t.col_vat>{f.amount(c.vat)}</td>
                    <td class="bw-num" data-label=t.col_amount_incl>{f.amount(c.total)}</td>
                </tr>
            }
        })
        .collect_view();
    let title = group_title(t, &group.kind, ordinal, mode);
    view! {
        <tbody>
            <tr class="bw-group-head"><th scope="rowgroup" colspan="5">{title.clone()}</th></tr>
            {charges}
            {totals_row(t, f, &format!("{} – {title}", t.subtotal), group.totals, "bw-subtotal")}
        </tbody>
    }
}

fn totals_row(t: &'static Texts, f: &Formatter, label: &str, totals: Totals, class: &'static str) -> impl IntoView {
    view! {
        <tr class=class>
            <th scope="row" colspan="2">{label.to_owned()}</th>
            <td class="bw-num" data-label=t.col_amount_excl>{f.amount(totals.amount)}</td>
            <td class="bw-num" data-label=t.col_vat>{f.amount(totals.vat)}</td>
            <td class="bw-num" data-label=t.col_amount_incl>{f.amount(totals.total)}</td>
        </tr>
    }
}

/// A group's name in the viewer's words: the customer's own products, or a subscription (by
/// number in CRM, by what it is in self-service, else by its `ordinal` among them).
fn group_title(t: &Texts, kind: &GroupKind, ordinal: usize, mode: Mode) -> String {
    match (kind, mode) {
        (GroupKind::Customer, Mode::Crm) => t.customer_products.to_owned(),
        (GroupKind::Customer, Mode::SelfService) => t.ss_own_products.to_owned(),
        (GroupKind::Subscription { subscription_no, description }, mode) => {
            subscription_name(t, mode, subscription_no, description.as_deref(), ordinal)
        }
    }
}
