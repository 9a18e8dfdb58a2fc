//! An embeddable view of PayEx Billing charges: an invoice's line-level charges and the
//! recurring products on a customer and its subscriptions.
//!
//! Data flows one way: [`api`] fetches the contract's resources through the same-origin proxy,
//! [`model`] groups and sums them (pure Rust, no JavaScript), [`views`] renders them with
//! Leptos and reports what happened through callbacks ([`views::ViewEvents`]), [`mod@format`] turns
//! values into text for the viewer's locale, and [`embed`], the only layer that knows the
//! custom elements, mounts the views and turns their reports into the host page's events.
//!
//! # Using it from Leptos
//!
//! A Leptos (CSR) app places the views as components, each with an [`api::ApiClient`] and the
//! viewer's locale: [`views::InvoiceList`] (a customer's invoices), [`views::InvoiceView`] (one
//! invoice's charges) and [`views::RecurringProductsView`] (a customer's recurring products),
//! each documented with an example. The client requests `/billing/…` from the billing proxy
//! (`billing-proxy`), on the page's own origin with `ApiClient::new("")`.
//!
//! - Styles: the views' classes are styled by `style/widget.css`, under an element of class
//!   `bw-root`; a Trunk app links the sheet (`<link data-trunk rel="css" href="…/widget.css">`).
//! - Optional contexts, provided by the component that places the views:
//!   [`views::ViewEvents`] to hear what the views report, [`views::ErrorDetails`] to show an
//!   error's raw cause (CRM staff), [`views::SessionRenewals`] to retry after a session is
//!   renewed.
//!
//! `examples/leptos-app/` in the repository is a whole app: a customer's invoices and recurring
//! products on one page.
//!
//! ```no_run
//! use billing_widget::{api::ApiClient, views::InvoiceView};
//! use billing_widget::api::contract::{paths, Link};
//! use leptos::prelude::*;
//! let invoice = Link(paths::invoice("100200", "603012"));
//! leptos::mount::mount_to_body(move || view! {
//!     <div class="bw-root">
//!         <InvoiceView client=ApiClient::new("") invoice=invoice.clone() locale="sv-SE" />
//!     </div>
//! });
//! ```

pub mod api;
pub mod embed;
pub mod format;
pub mod model;
pub mod views;
