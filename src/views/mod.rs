//! Leptos components, grouped by feature. Each renders a model and raises intents; none parses
//! JSON or sums money.
//!
//! - `invoice/`: one invoice's charges (header, summary, grouped table) and the invoice list;
//! - `recurring/`: the recurring products on a customer and its subscriptions;
//! - `forms/`: the CRM change forms (add, change, end) and what they share;
//! - `common/`: states every view shows (loading, errors, session renewal), the viewer's mode
//!   and small shared helpers.

mod common;
mod forms;
mod invoice;
mod recurring;

pub use crate::api::invoice_loader::{GroupSlot, SlotState};
pub(crate) use common::clock::local_today;
pub use common::events::{AuthRequired, Failed, InvoiceCompared, InvoiceOpened, Loaded, ViewEvents, ViewName};
pub use common::i18n::{provide_i18n, use_i18n, I18n};
pub use common::load::{use_load, Load, LoadState};
pub use common::mode::Mode;
pub use common::session::SessionRenewals;
pub(crate) use common::status::describe;
pub use common::status::{ErrorDetails, ErrorView, Loading, QUIET_LOAD};
pub use forms::editing::Editing;
pub use invoice::comparison_table::{Compared, ComparisonTable};
pub use invoice::invoice_charges::{InvoiceCharges, InvoiceTable};
pub use invoice::invoice_comparison::InvoiceComparison;
pub use invoice::invoice_header::InvoiceHeader;
pub use invoice::invoice_list::{FetchInvoice, InvoiceList, InvoiceListTable, FILL_CONCURRENCY};
pub use invoice::invoice_view::InvoiceView;
pub use invoice::opened_invoice::OpenedInvoice;
pub use recurring::next_invoice::NextInvoicePreview;
pub use recurring::products_overview::RecurringProductsTable;
pub use recurring::recurring_products::RecurringProductsView;
