//! The recurring products on a customer and each of its subscriptions, and their actions.

mod overview_context;
mod product_rows;
pub(crate) mod products_overview;
pub(crate) mod recurring_products;
