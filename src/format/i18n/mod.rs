//! The widget's UI texts. One [`Texts`] table per language; views never hold literal text.
//!
//! English ([`EN`]) is complete and lives in its own file; the Nordic languages (sv, nb, da, fi)
//! are added as tables of the same shape, so a missing translation is a compile error, not a
//! blank label.

use billing_contract::Periodicity;

mod en;

pub use en::EN;

/// Declares [`Texts`] from its field names, once: the struct of `&'static str` fields, and
/// [`Texts::entries`], which lists every field by name so tests can check whole tables without
/// naming the fields a second time.
macro_rules! define_texts {
    ($($field:ident,)*) => {
        /// Every UI text the widget shows.
        ///
        /// Texts with `{}` are filled by [`fill`], positionally; a translation keeps the same
        /// number of placeholders in the same order of meaning.
        #[derive(Debug)]
        pub struct Texts {
            $(pub $field: &'static str,)*
        }

        impl Texts {
            /// How many texts a table holds.
            pub const COUNT: usize = [$(stringify!($field)),*].len();

            /// Every text with its field name, in field order.
            pub fn entries(&self) -> [(&'static str, &'static str); Self::COUNT] {
                [$((stringify!($field), self.$field)),*]
            }
        }
    };
}

define_texts! {
    loading,
    retry,
    error_id,
    error_type,
    could_not_load,

    invoices,
    invoices_caption,
    no_invoices,
    invoice,
    invoice_no,
    invoice_date,
    due_date,
    customer,
    amount,
    open_invoice,

    charges_caption,
    no_charges,
    customer_charges,
    subscription,
    col_product,
    col_description,
    col_period,
    col_quantity,
    col_unit_price,
    col_amount_excl,
    col_vat_rate,
    col_vat,
    col_amount_incl,
    credit,
    subtotal,
    line_count_one,
    lines_count,
    proration,
    col_kind,
    col_group,
    col_period_start,
    col_period_end,
    sortable_hint,
    sort_by,
    filter_label,
    filter_placeholder,
    lines_in_groups,
    showing_filtered,
    no_lines_match,
    expand_all,
    collapse_all,
    download_csv,
    print,
    loading_progress,
    loading_lines_so_far,
    group_failed,
    col_subscription,
    charges_region,
    totals_caption,
    totals_caption_filtered,
    shown_excl_vat,
    shown_incl_vat,
    invoice_total_all_lines,
    totals_partial,
    totals_loading,
    subtotal_excl_vat,
    vat_on,
    total_incl_vat,
    invoiced_amount,
    difference,
    difference_explained,
    reconciled,

    recurring_products,
    customer_products,
    no_products,
    no_recurring_at_all,
    col_unit_price_excl,
    col_periodicity,
    col_start,
    col_end,
    until_further_notice,
    started,
    ended,
    monthly,
    quarterly,
    semiannually,
    yearly,
    unknown_periodicity,
    col_status,
    col_per_month,
    col_per_year,
    col_actions,
    status_active,
    status_upcoming,
    status_ended,
    total_active,
    customer_total,
    show_ended,
    hide_ended,
    ended_hidden,
    subscriptions,
    no_subscriptions,
    add_product,
    add_product_to,
    add_product_to_customer,
    add_subscription,
    edit,
    edit_named,
    end,
    end_named,
    delete,
    delete_named,
    new_product_on,
    new_product_on_customer,
    editing,
    new_subscription,
    field_product_no,
    field_description,
    field_quantity,
    field_unit_price,
    field_vat_rate,
    field_periodicity,
    field_start_date,
    field_end_date,
    field_end_date_hint,
    field_subscription_no,
    required,
    save,
    saving,
    cancel,
    fix_fields,
    fix_field,
    end_on,
    end_submit,
    delete_confirm,
    delete_submit,
    product_added,
    product_updated,
    product_ended,
    product_deleted,
    subscription_added,
    refreshing,
    session_expired,
    session_expired_detail,
    ss_own_products,
    ss_subscription,
    ss_col_service,
    ss_col_billed,
    ss_col_from,
    ss_col_until,
    ss_total,
    ss_no_products,
    ss_nothing,
    ss_customer_total,

    site_title,
    site_intro,
    customer_number,
    show_customer,
    demo_customers,
    choose_invoice,
    view_as,
    mode_crm,
    mode_self_service,
}

impl Texts {
    /// "1 line", "50,012 lines", with the number formatted for the locale.
    pub fn line_count(&self, f: &super::Formatter, count: usize) -> String {
        fill(if count == 1 { self.line_count_one } else { self.lines_count }, &[&f.count(count)])
    }

    /// The name of a periodicity.
    pub fn periodicity(&self, p: Periodicity) -> &'static str {
        match p {
            Periodicity::Monthly => self.monthly,
            Periodicity::Quarterly => self.quarterly,
            Periodicity::Semiannually => self.semiannually,
            Periodicity::Yearly => self.yearly,
            Periodicity::Unknown => self.unknown_periodicity,
        }
    }
}

/// Fills `{}` placeholders in a text, in order.
pub fn fill(text: &str, values: &[&str]) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    let mut values = values.iter();
    while let Some(at) = rest.find("{}") {
        out.push_str(&rest[..at]);
        out.push_str(values.next().copied().unwrap_or(""));
        rest = &rest[at + 2..];
    }
    out.push_str(rest);
    out
}

/// The texts for a locale tag (e.g. `sv-SE`); English until the other tables land.
pub fn texts(_locale: &str) -> &'static Texts {
    &EN
}

#[cfg(test)]
mod tests {
    use super::{fill, Texts, EN};

    #[test]
    fn fill_replaces_placeholders_in_order() {
        assert_eq!(fill("Show {} more of {} remaining", &["100", "400"]), "Show 100 more of 400 remaining");
        assert_eq!(fill("no placeholders", &["x"]), "no placeholders");
        assert_eq!(fill("{} and {}", &["a"]), "a and ");
    }

    #[test]
    fn entries_name_every_field_once_in_order() {
        let entries = EN.entries();
        assert_eq!(entries.len(), Texts::COUNT);
        assert_eq!(entries[0], ("loading", EN.loading));
        assert_eq!(entries[Texts::COUNT - 1], ("mode_self_service", EN.mode_self_service));
        let mut names: Vec<&str> = entries.iter().map(|(name, _)| *name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Texts::COUNT);
    }
}
