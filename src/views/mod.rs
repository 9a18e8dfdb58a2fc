//! Leptos components. Each renders a model and raises intents; none parses JSON or sums money.

mod charges_table;
mod clock;
mod download;
mod editing;
mod form_fields;
mod form_parts;
mod form_state;
mod invoice_charges;
mod invoice_header;
mod invoice_list;
mod invoice_summary;
mod invoice_view;
mod load;
mod mode;
mod product_actions;
mod product_form;
mod products_overview;
mod recurring_products;
mod session;
mod shared;
mod site;
mod status;
mod subscription_form;

pub use clock::local_today;
pub use editing::Editing;
pub use invoice_charges::{InvoiceCharges, InvoiceTable};
pub use invoice_header::InvoiceHeader;
pub use invoice_list::{FetchInvoice, InvoiceList, InvoiceListTable, FILL_CONCURRENCY};
pub use invoice_view::{GroupSlot, InvoiceView, SlotState};
pub use load::{use_load, Load, LoadState};
pub use mode::Mode;
pub use products_overview::RecurringProductsTable;
pub use recurring_products::RecurringProductsView;
pub use session::SessionRenewals;
pub use site::DemoSite;
pub use status::{describe, Described, ErrorDetails, ErrorView, Loading, QUIET_LOAD};
