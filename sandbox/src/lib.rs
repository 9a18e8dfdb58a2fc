//! A faithful local simulator of the PayEx Billing Customer and Invoice APIs, serving
//! deterministic Swedish demo data.
//!
//! Every JSON body is a serialized [`billing_contract`] type, so the sandbox speaks exactly the
//! shapes the contract crate defines. Identifiers travel as single percent-encoded path
//! segments, collections are paged, every route needs the configured bearer token for the
//! configured ledger, and errors are `application/problem+json`. In documented-variants mode
//! ([`variants`]) a middleware then rewrites those bodies into the other shapes PayEx's
//! documentation allows, for tolerance tests.
//!
//! ```no_run
//! # async fn run() -> std::io::Result<()> {
//! use billing_sandbox::{app, AppState, Config};
//! let config = Config::default();
//! let listener = tokio::net::TcpListener::bind(config.listen).await?;
//! axum::serve(listener, app(AppState::demo(config))).await
//! # }
//! ```

mod auth;
pub mod config;
mod extract;
pub mod fault;
mod href;
pub mod paging;
pub mod problem;
mod routes;
pub mod seed;
pub mod store;
pub mod variants;

pub use config::{Config, ConfigError};
pub use problem::ProblemResponse;
pub use store::{Ledger, Store};

use std::sync::Arc;

/// The demo ledger (`ownerNo`).
pub const DEMO_OWNER_NO: &str = "100200";
/// The demo bearer token.
pub const DEMO_TOKEN: &str = "sandbox-token";

/// A family: four mobile subscriptions, products at 25 %, 6 % and 0 % VAT, a plan change with
/// a credit, and twelve monthly invoices (`603001` to `603012`).
pub const PRIVATE_CUSTOMER: &str = "15615616";
/// A company (an organisation number): a hundred mobile subscriptions and usage-heavy invoices.
pub const BUSINESS_CUSTOMER: &str = "5566778899";
/// A customer number with a space, `&`, `/` and `Å`: one subscription (itself named
/// [`SPECIAL_SUBSCRIPTION`]) and two invoices.
pub const SPECIAL_CUSTOMER: &str = "Åkesson & Co/7";
/// The special customer's subscription, with a space, `/` and `ä`.
pub const SPECIAL_SUBSCRIPTION: &str = "Växel 1/A";
/// A customer without products, subscriptions or invoices.
pub const EMPTY_CUSTOMER: &str = "20000001";
/// The gallery's customer (`demo/gallery.html`): two customer-level products, two subscriptions
/// (one with an ended product) and one invoice, [`GALLERY_INVOICE`].
pub const GALLERY_CUSTOMER: &str = "30000001";
/// The gallery customer's subscription whose products and invoice charges fail under
/// `--fault gallery`.
pub const GALLERY_FAILING_SUBSCRIPTION: &str = "46709990001";
/// A customer that does not exist, whose every request is held for ten minutes under
/// `--fault gallery`: a view of it stays loading until the proxy's upstream timeout.
pub const GALLERY_LOADING_CUSTOMER: &str = "30000002";

/// The private customer's newest invoice.
pub const LATEST_PRIVATE_INVOICE: &str = "603012";
/// The private customer's invoice with the plan change: a credit of the old plan for the rest
/// of the previous month, and the new plan charged from its first day.
pub const PLAN_CHANGE_INVOICE: &str = "603011";
/// The one invoice whose `invoiceAmount` is not the sum of its lines: 35.00 higher (a
/// reminder fee charged from outside the Billing API).
pub const UNRECONCILED_INVOICE: &str = "603007";
/// A business invoice of exactly 50 lines.
pub const BUSINESS_INVOICE_50_LINES: &str = "604001";
/// A business invoice of about 5,000 lines (5,012).
pub const BUSINESS_INVOICE_5K: &str = "604002";
/// A business invoice of at least 20,000 lines (20,012: 12 at customer level, 40 subscriptions
/// of 500).
pub const LARGE_INVOICE_20K: &str = "604003";
/// A business invoice of about 50,000 lines (50,012: 12 at customer level, 100 subscriptions
/// of 500).
pub const LARGE_INVOICE_50K: &str = "604004";
/// The business customer's newest invoice, of about 50,000 lines too (50,012), a month after
/// [`LARGE_INVOICE_50K`]: the same subscriptions and fees with the next month's usage, so the
/// two compare line by line at full size.
pub const LARGE_INVOICE_50K_NEXT: &str = "604005";
/// The special customer's newest invoice.
pub const SPECIAL_INVOICE: &str = "605002";
/// The gallery customer's invoice of November 2026.
pub const GALLERY_INVOICE: &str = "606001";

/// What every request handler shares: the settings and the ledger.
#[derive(Clone, Debug)]
pub struct AppState {
    config: Arc<Config>,
    store: Store,
}

impl AppState {
    /// A sandbox serving `ledger`.
    pub fn new(config: Config, ledger: Ledger) -> AppState {
        AppState { config: Arc::new(config), store: Store::new(ledger) }
    }

    /// A sandbox serving the demo data (with the products its variants mode adds).
    pub fn demo(config: Config) -> AppState {
        let mut ledger = seed::demo_ledger();
        config.variants.extend(&mut ledger);
        AppState::new(config, ledger)
    }

    /// The settings.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The ledger.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The ledger number links are made for.
    pub fn owner_no(&self) -> &str {
        &self.config.owner_no
    }
}

/// The sandbox's HTTP service.
pub fn app(state: AppState) -> axum::Router {
    routes::router(state)
}
