//! Talking to the PayEx Billing API through the same-origin proxy.
//!
//! Every resource shape lives in [`contract`] (the `billing-contract` crate); this module adds
//! the HTTP client that fetches them, follows links and pages, and turns failures into
//! [`ApiError`]s.

mod changes;
mod client;
mod error;
pub mod invoice_loader;
mod resources;
mod scope;

pub use billing_contract as contract;
pub use changes::{Change, Saved, SendChange};
pub use client::{ApiClient, Listing, PagingFault, MAX_PAGES};
pub use error::ApiError;
pub use resources::WholeInvoice;
pub use scope::ClientScope;
pub(crate) use scope::EarlyRequest;
