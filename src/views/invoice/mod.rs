//! One invoice: its header, summary and grouped charges table; the list of invoices; and the
//! comparison of two invoices.

pub(crate) mod charges_table;
pub(crate) mod comparison_table;
pub(crate) mod invoice_charges;
pub(crate) mod invoice_comparison;
pub(crate) mod invoice_header;
pub(crate) mod invoice_list;
pub(crate) mod invoice_summary;
pub(crate) mod invoice_view;
pub(crate) mod opened_invoice;
