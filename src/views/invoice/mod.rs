//! One invoice: its header, summary and grouped charges table, and the list of invoices.

pub(crate) mod charges_table;
pub(crate) mod invoice_charges;
pub(crate) mod invoice_header;
pub(crate) mod invoice_list;
pub(crate) mod invoice_summary;
pub(crate) mod invoice_view;
