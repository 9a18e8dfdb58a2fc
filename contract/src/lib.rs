//! The PayEx Billing API contract: every resource shape, identifier rule, link and problem
//! type that this project's widget, sandbox and proxy rely on, in one crate.
//!
//! Shapes marked **\[doc\]** are published by PayEx; shapes marked **\[assumed\]** are this
//! project's reading of what is not yet published (see `shared/billing-api/README.md`).
//! When PayEx publishes more, this crate is the one place to correct.
//!
//! Parsing is tolerant, as a hypermedia client must be (see [`tolerant`]): unknown fields are
//! ignored, optional fields may be absent or `null`, `@id` is optional, an item that cannot be
//! read costs that item and not its page, and links are followed as given rather than rebuilt,
//! but only while they stay on the API ([`links::resolve`]).
//!
//! ```
//! use billing_contract::{Customer, Collection, RecurringProduct};
//! let customer: Customer = serde_json::from_str(r#"{
//!     "@id": "/billing/customer/v1/xxx/customers/15615616",
//!     "customerNo": "15615616",
//!     "recurringProducts": "/billing/customer/v1/xxx/customers/15615616/recurring-products"
//! }"#).unwrap();
//! assert_eq!(customer.customer_no, "15615616");
//! ```

pub mod customer;
pub mod date;
pub mod ids;
pub mod invoice;
pub mod links;
pub mod money;
pub mod paths;
pub mod problem;
pub mod proxy_protocol;
pub mod tolerant;
pub mod validation;

pub use customer::{
    Customer, CustomerInput, Periodicity, RecurringProduct, RecurringProductInput, Subscription, SubscriptionInput,
};
pub use date::Date;
pub use invoice::{Invoice, InvoiceLine, InvoiceSubscription, InvoiceSummary};
pub use links::{Collection, Link, LinkRefused, Navigation, Operation, OperationRel};
pub use money::Decimal;
pub use problem::{Problem, ProblemType};
pub use tolerant::{Identified, Page, Unreadable};
