//! A customer's recurring products: the customer's own, then each subscription's.

use billing_contract::{Customer, RecurringProduct, Subscription};

/// One subscription with its recurring products.
#[derive(Clone, Debug, PartialEq)]
pub struct SubscriptionProducts {
    /// The subscription.
    pub subscription: Subscription,
    /// Its recurring products.
    pub products: Vec<RecurringProduct>,
}

/// Everything billed recurringly to one customer.
#[derive(Clone, Debug, PartialEq)]
pub struct CustomerOverview {
    /// The customer.
    pub customer: Customer,
    /// Products billed on the customer itself.
    pub products: Vec<RecurringProduct>,
    /// Each subscription with its products, in the order the API listed them.
    pub subscriptions: Vec<SubscriptionProducts>,
}

impl CustomerOverview {
    /// True when the customer has neither products nor subscriptions.
    pub fn is_empty(&self) -> bool {
        self.products.is_empty() && self.subscriptions.is_empty()
    }
}
