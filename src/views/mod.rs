//! Leptos components. Each renders a model and raises intents; none parses JSON or sums money.

mod invoice_list;
mod invoice_table;
mod invoice_view;
mod load;
mod recurring_products;
mod site;
mod status;

pub use invoice_list::InvoiceList;
pub use invoice_table::{InvoiceHeader, InvoiceTable};
pub use invoice_view::InvoiceView;
pub use load::{use_load, Load};
pub use recurring_products::{RecurringProductsTable, RecurringProductsView};
pub use site::DemoSite;
pub use status::{ErrorView, Loading};
