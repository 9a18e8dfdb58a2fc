//! The recurring products on a customer and each of its subscriptions, their actions, and the
//! next invoice's recurring charges they add up to.

pub(crate) mod next_invoice;
mod overview_context;
mod product_rows;
pub(crate) mod products_overview;
pub(crate) mod recurring_products;
