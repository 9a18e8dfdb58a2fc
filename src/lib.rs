//! An embeddable view of PayEx Billing charges: an invoice's line-level charges and the
//! recurring products on a customer and its subscriptions.
//!
//! Data flows one way: [`api`] fetches the contract's resources through the same-origin proxy,
//! [`model`] groups and sums them (pure Rust, no JavaScript), [`views`] renders them with
//! Leptos and reports what happened through callbacks ([`views::ViewEvents`]), [`format`] turns
//! values into text for the viewer's locale, and [`embed`], the only layer that knows the
//! custom elements, mounts the views and turns their reports into the host page's events.
//!
//! ```no_run
//! use billing_widget::{api::ApiClient, views::InvoiceView};
//! use billing_widget::api::contract::{paths, Link};
//! use leptos::prelude::*;
//! let invoice = Link(paths::invoice("100200", "603012"));
//! leptos::mount::mount_to_body(move || view! {
//!     <InvoiceView client=ApiClient::new("") invoice=invoice.clone() locale="sv-SE" />
//! });
//! ```

pub mod api;
pub mod embed;
pub mod format;
pub mod model;
pub mod views;
