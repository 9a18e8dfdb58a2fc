//! The widget's UI texts. One [`Texts`] table per language; views never hold literal text.
//!
//! Tables: English ([`EN`], the reference), Swedish ([`SV`]), Norwegian Bokmål ([`NB`]), Danish
//! ([`DA`]) and Finnish ([`FI`]), one file each. Every table is a struct literal, so a missing
//! translation is a compile error, not a blank label. [`texts`] picks the table for the viewer's
//! locale tag; [`language_of`] names the one it picks.
//!
//! Conventions of the translations (checked by the tests below where a machine can check them):
//! every `{}` of the English text is kept, in the same order of meaning, since [`fill`] is
//! positional; a sentence keeps its full stop and a label stays without one; quotation marks are
//! each language's own: ”…” in Swedish, Danish and Finnish, «…» in Norwegian.

use billing_contract::Periodicity;

mod da;
mod en;
mod fi;
mod nb;
mod sv;

pub use da::DA;
pub use en::EN;
pub use fi::FI;
pub use nb::NB;
pub use sv::SV;

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
    err_unreadable,
    err_unreachable,
    err_status,
    err_request,
    err_link_refused,
    err_paging_loop,
    err_paging_too_many,
    error_details,
    line_unreadable,
    totals_incomplete,
    products_unreadable,
    list_unreadable,

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
    fold_row,
    fold_lines,
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
    too_large,
    view_stopped,
    list_cell_loading,
    list_cell_failed,

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
    ends,
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
    rule_required,
    rule_length,
    rule_too_long,
    rule_not_positive,
    rule_vat_rate,
    rule_periodicity,
    rule_end_before_start,
    rule_id_character,
    number_not_a_number,
    number_ambiguous,
    number_too_large,
    not_a_date,
    vat_rate_free_hint,
    missing_attributes,
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
    compare_open,
    compare_heading,
    compare_now_label,
    compare_before_label,
    compare_option,
    compare_no_earlier,
    compare_more,
    compare_less,
    compare_same,
    ss_compare_more,
    ss_compare_less,
    ss_compare_same,
    compare_unexplained,
    compare_caption,
    compare_kinds_caption,
    col_change,
    col_count,
    col_before,
    col_now,
    col_difference,
    change_new,
    change_ended,
    change_price,
    change_quantity,
    change_proration,
    change_one_off,
    change_usage,
    change_amount,
    group_added,
    group_gone,
    group_unchanged,
    quantity_times_price,
    compare_region,
    preview_open,
    preview_note,
    preview_incomplete,
    preview_caption,
    preview_total,
    preview_starts,
    preview_ends,
    preview_nothing,

    site_title,
    site_intro,
    customer_number,
    show_customer,
    demo_customers,
    choose_invoice,
    view_as,
    mode_crm,
    mode_self_service,
    site_starting,
    site_my_invoices,
    session_ended,
    session_ended_detail,
    sign_in_again,
    sign_in_elsewhere,
    site_config_error,
    site_proxy_error,
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

/// The primary language subtags we have a table for, and the table's code. Nynorsk (`nn`) and
/// plain Norwegian (`no`) get Bokmål: every Norwegian reads it, and it is what Norwegian billing
/// products write.
const LANGUAGES: [(&str, &str); 6] =
    [("sv", "sv"), ("nb", "nb"), ("no", "nb"), ("nn", "nb"), ("da", "da"), ("fi", "fi")];

/// The code of the table [`texts`] uses for a locale tag: `"en"`, `"sv"`, `"nb"`, `"da"` or `"fi"`.
///
/// Only the tag's primary language subtag counts (the part before the first `-`, or `_` as in
/// POSIX locales), case-insensitively: `sv-SE`, `sv-FI` and `SV` are Swedish; `nb-NO`, `no` and
/// `nn-NO` are Norwegian Bokmål; `da-DK` is Danish; `fi-FI` is Finnish. Anything else, including
/// an empty or malformed tag, is English. Useful for a `lang` attribute that matches the texts
/// actually shown, which may differ from the locale used for numbers and dates.
pub fn language_of(locale: &str) -> &'static str {
    let primary = locale.trim().split(['-', '_']).next().unwrap_or_default();
    LANGUAGES.iter().find(|(subtag, _)| primary.eq_ignore_ascii_case(subtag)).map_or("en", |&(_, code)| code)
}

/// The texts for a locale tag (e.g. `sv-SE`), chosen by [`language_of`]; English if we have no
/// table for the language.
pub fn texts(locale: &str) -> &'static Texts {
    match language_of(locale) {
        "sv" => &SV,
        "nb" => &NB,
        "da" => &DA,
        "fi" => &FI,
        _ => &EN,
    }
}

#[cfg(test)]
mod tests {
    use super::{fill, language_of, texts, Texts, DA, EN, FI, NB, SV};

    fn translations() -> [(&'static str, &'static Texts); 4] {
        [("sv", &SV), ("nb", &NB), ("da", &DA), ("fi", &FI)]
    }

    fn placeholders(text: &str) -> usize {
        text.matches("{}").count()
    }

    /// The mark a text ends with, if it is sentence punctuation: a sentence keeps its full stop, a
    /// label stays without one, "Loading…" keeps its ellipsis and a lead-in its colon.
    fn end_mark(text: &str) -> Option<char> {
        text.chars().last().filter(|c| ".:…?!".contains(*c))
    }

    /// Whether a text ends with an abbreviation's own full stop ("Invoice no.", "Eks. mva."):
    /// a label that does is still a label, and one language may abbreviate where another does not.
    fn ends_abbreviated(text: &str) -> bool {
        let last = text.rsplit(' ').next().unwrap_or_default().to_lowercase();
        ["no.", "nr.", "mva."].iter().any(|abbreviation| last.ends_with(abbreviation))
    }

    fn same_end(english: &str, text: &str) -> bool {
        match (end_mark(english), end_mark(text)) {
            (a, b) if a == b => true,
            (Some('.'), None) => ends_abbreviated(english),
            (None, Some('.')) => ends_abbreviated(text),
            _ => false,
        }
    }

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
        assert_eq!(entries[Texts::COUNT - 1], ("site_proxy_error", EN.site_proxy_error));
        let mut names: Vec<&str> = entries.iter().map(|(name, _)| *name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Texts::COUNT);
    }

    #[test]
    fn every_text_is_there_with_the_placeholders_and_end_mark_of_english() {
        for (language, table) in [("en", &EN)].into_iter().chain(translations()) {
            for ((field, english), (same_field, text)) in EN.entries().into_iter().zip(table.entries()) {
                assert_eq!(field, same_field);
                assert!(!text.trim().is_empty(), "{language}.{field} is empty");
                assert_eq!(text, text.trim(), "{language}.{field} has outer spaces");
                assert_eq!(
                    placeholders(text),
                    placeholders(english),
                    "{language}.{field}: {text:?} needs the placeholders of {english:?}"
                );
                assert!(same_end(english, text), "{language}.{field}: {text:?} ends unlike {english:?}");
                // The caption hint is appended to the caption, so it starts like English does.
                if english.starts_with(", ") {
                    assert!(text.starts_with(", "), "{language}.{field}: {text:?}");
                }
            }
        }
    }

    /// A text of two or more words that is identical to English is taken to be untranslated.
    /// Single words may legitimately coincide (Danish and Norwegian "Status", "Start", "Type",
    /// "Subtotal"; "{} line" is not a word of its own either), so they are not checked; nor are
    /// words that are the same everywhere, like "CSV", "CRM" or "PayEx", counted as words.
    #[test]
    fn sentences_and_phrases_are_translated() {
        fn words(text: &str) -> usize {
            let shared = ["CSV", "CRM", "PayEx", "Billing"];
            text.split_whitespace()
                .filter(|w| w.chars().any(char::is_alphabetic))
                .filter(|w| !shared.iter().any(|s| w.trim_matches(|c: char| !c.is_alphanumeric()) == *s))
                .count()
        }
        for (language, table) in translations() {
            for ((field, english), (_, text)) in EN.entries().into_iter().zip(table.entries()) {
                if words(english) >= 2 {
                    assert_ne!(text, english, "{language}.{field} is still English");
                }
            }
        }
    }

    /// Each language quotes with its own marks: ”…” in Swedish, Danish and Finnish, «…» in
    /// Norwegian; never the English “…”, and never straight quotes.
    #[test]
    fn quotation_marks_are_each_languages_own() {
        for (language, table) in translations() {
            let (open, close) = if language == "nb" { ('«', '»') } else { ('”', '”') };
            for ((field, english), (_, text)) in EN.entries().into_iter().zip(table.entries()) {
                assert!(!text.contains(['“', '"', '„']), "{language}.{field}: {text:?}");
                let quoted = english.matches('“').count();
                if open == close {
                    assert_eq!(text.matches(open).count(), 2 * quoted, "{language}.{field}: {text:?}");
                } else {
                    assert!(!text.contains('”'), "{language}.{field}: {text:?}");
                    assert_eq!(text.matches(open).count(), quoted, "{language}.{field}: {text:?}");
                    assert_eq!(text.matches(close).count(), quoted, "{language}.{field}: {text:?}");
                }
            }
        }
    }

    #[test]
    fn the_table_is_negotiated_by_primary_language_subtag() {
        let cases = [
            ("sv-SE", "sv"),
            ("SV", "sv"),
            ("sv_FI", "sv"),
            ("nb-NO", "nb"),
            ("no", "nb"),
            ("nn-NO", "nb"),
            ("da-DK", "da"),
            ("fi-FI", "fi"),
            ("en-GB", "en"),
            ("de-DE", "en"),
            ("", "en"),
            ("x", "en"),
            ("-sv", "en"),
            ("svx-SE", "en"),
            ("sme-NO", "en"),
        ];
        for (locale, code) in cases {
            assert_eq!(language_of(locale), code, "{locale:?}");
            let table = match code {
                "sv" => &SV,
                "nb" => &NB,
                "da" => &DA,
                "fi" => &FI,
                _ => &EN,
            };
            assert!(std::ptr::eq(texts(locale), table), "{locale:?} gets the {code} table");
        }
        assert_eq!(texts("sv-SE").due_date, "Förfallodatum");
        assert_eq!(texts("nb-NO").due_date, "Forfallsdato");
        assert_eq!(texts("da-DK").due_date, "Forfaldsdato");
        assert_eq!(texts("fi-FI").due_date, "Eräpäivä");
        assert_eq!(texts("de-DE").due_date, "Due date");
    }
}
