//! Pure data models the views render: grouping, totals, reconciliation, filtering and sorting,
//! the rows of a virtualized table, CSV, and what a typed number means. No DOM, no HTTP, no
//! JavaScript (what needs the browser, such as its letter case, is handed in): `cargo test`
//! checks them natively.

pub mod change;
pub mod charges_table;
pub mod checked;
pub mod comparison;
pub mod comparison_rows;
pub mod csv;
pub mod drafts;
pub mod folding;
pub mod invoice;
pub mod invoice_list;
pub mod lines;
pub mod number_input;
pub mod preview;
pub mod recurring;
pub mod rows;
pub mod text;
pub mod vat;

pub use checked::TooLarge;
pub use drafts::{
    end_input, FieldError, FormErrors, FormField, ProductDraft, ProductField, SubscriptionDraft, SubscriptionField,
};
pub use invoice::{ChargeGroup, GroupKind, InvoiceDetails, Reconciliation, Totals, VatLine};
pub use lines::{LineQuery, ShownGroup, SortColumn, SortDirection};
pub use recurring::{Cost, CustomerOverview, ProductStatus, SubscriptionProducts};
pub use text::{Lowercase, StdLowercase};
pub use vat::VatRates;
