//! Leptos components. Each renders a model and raises intents; none parses JSON or sums money.

mod charges_table;
mod download;
mod invoice_charges;
mod invoice_header;
mod invoice_list;
mod invoice_summary;
mod invoice_view;
mod load;
mod recurring_products;
mod shared;
mod site;
mod status;

pub use invoice_charges::{InvoiceCharges, InvoiceTable};
pub use invoice_header::InvoiceHeader;
pub use invoice_list::InvoiceList;
pub use invoice_view::{GroupSlot, InvoiceView, SlotState};
pub use load::{use_load, Load, LoadState};
pub use recurring_products::{RecurringProductsTable, RecurringProductsView};
pub use site::DemoSite;
pub use status::{ErrorView, Loading};
