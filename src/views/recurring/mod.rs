//! The recurring products on a customer and each of its subscriptions, and their actions.

pub(crate) mod products_overview;
pub(crate) mod recurring_products;
