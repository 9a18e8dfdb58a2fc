//! Loading whole views' worth of resources by following the API's links, concurrently.

use super::{ApiClient, ApiError, Listing};
use crate::model::{CustomerOverview, SubscriptionProducts};
use billing_contract::{paths, Customer, Identified, Invoice, Link, RecurringProduct, Subscription};
use futures::future::join_all;
use serde::de::DeserializeOwned;

impl ApiClient {
    /// Every item behind an optional link, each identified (an item without `@id` gets the
    /// collection's path plus its number); no link means none.
    async fn get_identified<T: DeserializeOwned + Identified + 'static>(
        &self,
        link: Option<&Link>,
    ) -> Result<Listing<T>, ApiError> {
        let Some(link) = link else { return Ok(Listing::default()) };
        let mut listing = self.get_all::<T>(link).await?;
        for item in &mut listing.items {
            item.identify_in(link.as_str());
        }
        Ok(listing)
    }

    /// One resource, identified by the path it was fetched from when it came without `@id`.
    async fn get_identified_one<T: DeserializeOwned + Identified + 'static>(&self, path: &str) -> Result<T, ApiError> {
        let mut resource: T = self.get(path).await?;
        resource.identify_as(path);
        Ok(resource)
    }

    /// A customer's invoices, newest first, and how many list items could not be read.
    pub async fn invoices_of_customer(&self, owner_no: &str, customer_no: &str) -> Result<Listing<Invoice>, ApiError> {
        let link = Link(paths::invoices_of_customer(owner_no, customer_no));
        let mut listing = self.get_identified::<Invoice>(Some(&link)).await?;
        // The API lists newest first; keep that order even if a page boundary disagrees.
        listing.items.sort_by_key(|i| std::cmp::Reverse(i.invoice_date));
        Ok(listing)
    }

    /// A customer's recurring products: its own, then each subscription's.
    pub async fn customer_overview(&self, owner_no: &str, customer_no: &str) -> Result<CustomerOverview, ApiError> {
        let customer: Customer = self.get_identified_one(&paths::customer(owner_no, customer_no)).await?;
        // The customer's own products and each subscription's load on their own: one that fails
        // (a link that leaves the API, a failed request) is shown failed where it belongs.
        let products = self.get_identified::<RecurringProduct>(customer.recurring_products.as_ref());
        let subscriptions = async {
            let listed: Listing<Subscription> = self.get_identified(customer.subscriptions.as_ref()).await?;
            let unreadable = listed.unreadable.len();
            let loaded = join_all(listed.items.into_iter().map(|s| self.subscription_products(s))).await;
            Ok::<_, ApiError>((loaded, unreadable))
        };
        let (products, subscriptions) = futures::join!(products, subscriptions);
        let (subscriptions, unreadable_subscriptions) = subscriptions?;
        let (products, unreadable_products, products_failed) = match products {
            Ok(listing) => (listing.items, listing.unreadable.len(), None),
            Err(error) => (Vec::new(), 0, Some(error)),
        };
        Ok(CustomerOverview {
            customer,
            products,
            subscriptions,
            unreadable_products,
            unreadable_subscriptions,
            products_failed,
        })
    }

    /// One subscription's products; a list item without its products link is read in full first.
    async fn subscription_products(&self, listed: Subscription) -> SubscriptionProducts {
        let failed = |subscription, error| SubscriptionProducts {
            subscription,
            products: Vec::new(),
            unreadable_products: 0,
            failed: Some(error),
        };
        let subscription = match listed.recurring_products {
            None if !listed.id.is_empty() => match self.get_identified_one(listed.id.as_str()).await {
                Ok(full) => full,
                Err(error) => return failed(listed, error),
            },
            _ => listed,
        };
        match self.get_identified::<RecurringProduct>(subscription.recurring_products.as_ref()).await {
            Ok(products) => SubscriptionProducts {
                subscription,
                unreadable_products: products.unreadable.len(),
                products: products.items,
                failed: None,
            },
            Err(error) => failed(subscription, error),
        }
    }
}
