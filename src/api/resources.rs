//! Loading whole views' worth of resources by following the API's links, concurrently.

use super::{ApiClient, ApiError};
use crate::model::{CustomerOverview, SubscriptionProducts};
use billing_contract::{paths, Customer, Invoice, Link, RecurringProduct, Subscription};
use futures::future::try_join_all;

impl ApiClient {
    /// Every item behind an optional link; no link means none.
    async fn get_all_or_none<T: serde::de::DeserializeOwned>(&self, link: Option<&Link>) -> Result<Vec<T>, ApiError> {
        match link {
            Some(link) => self.get_all(link).await,
            None => Ok(Vec::new()),
        }
    }

    /// A customer's invoices, newest first.
    pub async fn invoices_of_customer(&self, owner_no: &str, customer_no: &str) -> Result<Vec<Invoice>, ApiError> {
        let mut invoices: Vec<Invoice> =
            self.get_all(&Link(paths::invoices_of_customer(owner_no, customer_no))).await?;
        // The API lists newest first; keep that order even if a page boundary disagrees.
        invoices.sort_by_key(|i| std::cmp::Reverse(i.invoice_date));
        Ok(invoices)
    }

    /// A customer's recurring products: its own, then each subscription's.
    pub async fn customer_overview(&self, owner_no: &str, customer_no: &str) -> Result<CustomerOverview, ApiError> {
        let customer: Customer = self.get(&paths::customer(owner_no, customer_no)).await?;
        let products = self.get_all_or_none::<RecurringProduct>(customer.recurring_products.as_ref());
        let subscriptions = async {
            let listed: Vec<Subscription> = self.get_all_or_none(customer.subscriptions.as_ref()).await?;
            try_join_all(listed.into_iter().map(|s| self.subscription_products(s))).await
        };
        let (products, subscriptions) = futures::try_join!(products, subscriptions)?;
        Ok(CustomerOverview { customer, products, subscriptions })
    }

    /// One subscription's products; a list item without its products link is read in full first.
    async fn subscription_products(&self, listed: Subscription) -> Result<SubscriptionProducts, ApiError> {
        let subscription = match listed.recurring_products {
            Some(_) => listed,
            None => self.get(listed.id.as_str()).await?,
        };
        let products = self.get_all_or_none(subscription.recurring_products.as_ref()).await?;
        Ok(SubscriptionProducts { subscription, products })
    }
}
