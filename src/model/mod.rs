//! Pure data models the views render: grouping, totals, reconciliation, filtering and sorting,
//! the rows of a virtualized table, and CSV. No DOM, no HTTP: `cargo test` checks them natively.

pub mod change;
pub mod checked;
pub mod csv;
pub mod drafts;
pub mod invoice;
pub mod invoice_list;
pub mod lines;
pub mod recurring;
pub mod rows;
pub mod vat;

pub use checked::TooLarge;
pub use drafts::{
    end_input, FieldError, FormErrors, FormField, ProductDraft, ProductField, SubscriptionDraft, SubscriptionField,
};
pub use invoice::{ChargeGroup, GroupKind, InvoiceDetails, Reconciliation, Totals, VatLine};
pub use lines::{LineQuery, ShownGroup, SortColumn, SortDirection};
pub use recurring::{Cost, CustomerOverview, ProductStatus, SubscriptionProducts};
pub use vat::VatRates;
