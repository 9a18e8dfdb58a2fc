//! Pure data models the views render: grouping, totals and reconciliation. No DOM, no HTTP:
//! everything here is checked natively by `cargo test`.

pub mod invoice;
pub mod recurring;

pub use invoice::{ChargeGroup, GroupKind, InvoiceDetails, Reconciliation, Totals, VatLine};
pub use recurring::{CustomerOverview, SubscriptionProducts};
