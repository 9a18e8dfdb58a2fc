//! What a saved change did, on which customer and subscription: the views report it, the host
//! page is told it.

/// What kind of change was made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeAction {
    ProductAdded,
    ProductUpdated,
    ProductEnded,
    ProductDeleted,
    SubscriptionAdded,
}

impl ChangeAction {
    /// The `action` the host reads, e.g. `product-ended`.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeAction::ProductAdded => "product-added",
            ChangeAction::ProductUpdated => "product-updated",
            ChangeAction::ProductEnded => "product-ended",
            ChangeAction::ProductDeleted => "product-deleted",
            ChangeAction::SubscriptionAdded => "subscription-added",
        }
    }
}

/// A saved change: what changed, on which customer and subscription.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChangeNotice {
    /// What was done.
    pub action: ChangeAction,
    /// The ledger.
    pub owner_no: String,
    /// The customer.
    pub customer_no: String,
    /// The subscription, or `None` for the customer's own products.
    pub subscription_no: Option<String>,
    /// The product changed, or `None` for an added one (its number is the server's to give).
    pub recurring_product_no: Option<String>,
    /// The catalogue number of the product, or `None` for a subscription.
    pub product_no: Option<String>,
    /// The product's or subscription's description.
    pub description: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_action_has_its_own_kebab_case_name() {
        let actions = [
            ChangeAction::ProductAdded,
            ChangeAction::ProductUpdated,
            ChangeAction::ProductEnded,
            ChangeAction::ProductDeleted,
            ChangeAction::SubscriptionAdded,
        ];
        let names: Vec<&str> = actions.iter().map(|a| a.as_str()).collect();
        assert_eq!(
            names,
            ["product-added", "product-updated", "product-ended", "product-deleted", "subscription-added"]
        );
    }
}
