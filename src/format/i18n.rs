//! The widget's UI texts. One [`Texts`] table per language; views never hold literal text.
//!
//! English is complete; the Nordic languages (sv, nb, da, fi) are added as tables of the same
//! shape, so a missing translation is a compile error, not a blank label.

use billing_contract::Periodicity;

/// Every UI text the widget shows.
#[derive(Debug)]
pub struct Texts {
    pub loading: &'static str,
    pub retry: &'static str,
    pub error_id: &'static str,
    pub error_type: &'static str,
    pub could_not_load: &'static str,

    pub invoices: &'static str,
    pub invoices_caption: &'static str,
    pub no_invoices: &'static str,
    pub invoice: &'static str,
    pub invoice_no: &'static str,
    pub invoice_date: &'static str,
    pub due_date: &'static str,
    pub customer: &'static str,
    pub amount: &'static str,
    pub open_invoice: &'static str,

    pub charges_caption: &'static str,
    pub no_charges: &'static str,
    pub customer_charges: &'static str,
    pub subscription: &'static str,
    pub col_product: &'static str,
    pub col_description: &'static str,
    pub col_period: &'static str,
    pub col_quantity: &'static str,
    pub col_unit_price: &'static str,
    pub col_amount_excl: &'static str,
    pub col_vat_rate: &'static str,
    pub col_vat: &'static str,
    pub col_amount_incl: &'static str,
    pub credit: &'static str,
    pub subtotal: &'static str,
    pub line_count_one: &'static str,
    pub lines_count: &'static str,
    pub proration: &'static str,
    pub col_kind: &'static str,
    pub col_group: &'static str,
    pub col_period_start: &'static str,
    pub col_period_end: &'static str,
    pub sortable_hint: &'static str,
    pub sort_by: &'static str,
    pub filter_label: &'static str,
    pub filter_placeholder: &'static str,
    pub lines_in_groups: &'static str,
    pub showing_filtered: &'static str,
    pub no_lines_match: &'static str,
    pub expand_all: &'static str,
    pub collapse_all: &'static str,
    pub download_csv: &'static str,
    pub print: &'static str,
    pub loading_progress: &'static str,
    pub loading_lines_so_far: &'static str,
    pub group_failed: &'static str,
    pub col_subscription: &'static str,
    pub charges_region: &'static str,
    pub totals_caption: &'static str,
    pub totals_caption_filtered: &'static str,
    pub shown_excl_vat: &'static str,
    pub shown_incl_vat: &'static str,
    pub invoice_total_all_lines: &'static str,
    pub totals_partial: &'static str,
    pub totals_loading: &'static str,
    pub subtotal_excl_vat: &'static str,
    pub vat_on: &'static str,
    pub total_incl_vat: &'static str,
    pub invoiced_amount: &'static str,
    pub difference: &'static str,
    pub difference_explained: &'static str,
    pub reconciled: &'static str,

    pub recurring_products: &'static str,
    pub customer_products: &'static str,
    pub no_products: &'static str,
    pub no_recurring_at_all: &'static str,
    pub col_unit_price_excl: &'static str,
    pub col_periodicity: &'static str,
    pub col_start: &'static str,
    pub col_end: &'static str,
    pub until_further_notice: &'static str,
    pub started: &'static str,
    pub ended: &'static str,
    pub monthly: &'static str,
    pub quarterly: &'static str,
    pub semiannually: &'static str,
    pub yearly: &'static str,
    pub unknown_periodicity: &'static str,

    pub site_title: &'static str,
    pub site_intro: &'static str,
    pub customer_number: &'static str,
    pub show_customer: &'static str,
    pub demo_customers: &'static str,
    pub choose_invoice: &'static str,
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

/// English.
pub static EN: Texts = Texts {
    loading: "Loading…",
    retry: "Try again",
    error_id: "Error id",
    error_type: "Type",
    could_not_load: "Could not load",

    invoices: "Invoices",
    invoices_caption: "Invoices of customer {}, newest first",
    no_invoices: "This customer has no invoices.",
    invoice: "Invoice {}",
    invoice_no: "Invoice no.",
    invoice_date: "Invoice date",
    due_date: "Due date",
    customer: "Customer",
    amount: "Amount",
    open_invoice: "Open invoice {}",

    charges_caption: "Charges on invoice {}",
    no_charges: "This invoice has no charges.",
    customer_charges: "Customer-level charges",
    subscription: "Subscription {}",
    col_product: "Product",
    col_description: "Description",
    col_period: "Period",
    col_quantity: "Qty",
    col_unit_price: "Unit price",
    col_amount_excl: "Excl. VAT",
    col_vat_rate: "VAT rate",
    col_vat: "VAT",
    col_amount_incl: "Incl. VAT",
    credit: "Credit",
    subtotal: "Subtotal",
    line_count_one: "{} line",
    lines_count: "{} lines",
    proration: "Prorated",
    col_kind: "Kind",
    col_group: "Group",
    col_period_start: "From",
    col_period_end: "To",
    sortable_hint: ", column headers with buttons are sortable.",
    sort_by: "Sort by {}",
    filter_label: "Filter lines",
    filter_placeholder: "Product or description",
    lines_in_groups: "{} lines in {} groups.",
    showing_filtered: "Showing {} of {} lines matching “{}”.",
    no_lines_match: "No lines match “{}”.",
    expand_all: "Expand all",
    collapse_all: "Collapse all",
    download_csv: "Download CSV",
    print: "Print",
    loading_progress: "Loading charges: {} of {} groups, {} so far",
    loading_lines_so_far: "Loading… {} lines so far",
    group_failed: "These charges could not be loaded:",
    col_subscription: "Subscription",
    charges_region: "Charges, scrollable",
    totals_caption: "Totals",
    totals_caption_filtered: "Totals of the shown lines (filter “{}”)",
    shown_excl_vat: "Shown lines excl. VAT",
    shown_incl_vat: "Shown lines incl. VAT",
    invoice_total_all_lines: "All lines incl. VAT",
    totals_partial: "Some charges could not be loaded, so these totals leave them out and the invoice is not reconciled.",
    totals_loading: "Still loading: the totals cover the charges loaded so far.",
    subtotal_excl_vat: "Subtotal excl. VAT",
    vat_on: "VAT {} on {}",
    total_incl_vat: "Total incl. VAT",
    invoiced_amount: "Invoiced amount",
    difference: "Not explained by the lines",
    difference_explained: "The invoiced amount differs from the sum of the lines by {}. The difference comes from charges outside these lines (for example fees or rounding) and is shown instead of hidden.",
    reconciled: "The lines add up to the invoiced amount.",

    recurring_products: "Recurring products",
    customer_products: "On the customer",
    no_products: "No recurring products.",
    no_recurring_at_all: "This customer has no recurring products and no subscriptions.",
    col_unit_price_excl: "Unit price excl. VAT",
    col_periodicity: "Billed",
    col_start: "Start",
    col_end: "End",
    until_further_notice: "Until further notice",
    started: "Started {}",
    ended: "Ended {}",
    monthly: "Monthly",
    quarterly: "Quarterly",
    semiannually: "Every six months",
    yearly: "Yearly",
    unknown_periodicity: "Other",

    site_title: "Billing charges",
    site_intro: "Invoices and recurring products from PayEx Billing, through the same-origin proxy. Ledger {}.",
    customer_number: "Customer number",
    show_customer: "Show",
    demo_customers: "Demo customers",
    choose_invoice: "Choose an invoice to see every charge on it.",
};

/// The texts for a locale tag (e.g. `sv-SE`); English until the other tables land.
pub fn texts(_locale: &str) -> &'static Texts {
    &EN
}

#[cfg(test)]
mod tests {
    #[test]
    fn fill_replaces_placeholders_in_order() {
        assert_eq!(super::fill("Show {} more of {} remaining", &["100", "400"]), "Show 100 more of 400 remaining");
        assert_eq!(super::fill("no placeholders", &["x"]), "no placeholders");
        assert_eq!(super::fill("{} and {}", &["a"]), "a and ");
    }
}
