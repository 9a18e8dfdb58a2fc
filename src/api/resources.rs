//! Loading whole views' worth of resources by following the API's links, concurrently.

use super::{ApiClient, ApiError, Listing};
use crate::model::{ChargeGroup, CustomerOverview, GroupKind, Lowercase, SubscriptionProducts};
use billing_contract::{
    paths, Customer, Identified, Invoice, InvoiceLine, InvoiceSubscription, Link, RecurringProduct, Subscription,
};
use futures::future::{join_all, try_join_all};
use serde::de::DeserializeOwned;
use std::sync::Arc;

/// An invoice with every group of its charges loaded: the customer level first, then each
/// subscription in the API's order.
#[derive(Clone, Debug)]
pub struct WholeInvoice {
    /// The invoice.
    pub invoice: Arc<Invoice>,
    /// Its groups of charges, each with every line.
    pub groups: Vec<Arc<ChargeGroup>>,
}

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

    /// An invoice and every line of every group on it, for a view that needs all of them at
    /// once (a comparison). Unlike the invoice view, which shows each group as it arrives, a
    /// group that fails, or a subscription that cannot be read, fails the whole: a comparison
    /// without one of its groups would call that group's charges gone.
    pub async fn whole_invoice(&self, link: &Link, lowercase: &impl Lowercase) -> Result<WholeInvoice, ApiError> {
        let invoice: Invoice = self.get(link.as_str()).await?;
        let customer = async {
            match &invoice.recurring_products {
                Some(lines) => Ok(Some(self.get_all::<InvoiceLine>(lines).await?)),
                None => Ok::<_, ApiError>(None),
            }
        };
        let subscriptions = async {
            let Some(link) = &invoice.subscriptions else { return Ok(Vec::new()) };
            let listed = self.get_all::<InvoiceSubscription>(link).await?;
            if let Some(unreadable) = listed.unreadable.into_iter().next() {
                return Err(ApiError::Decode { url: link.0.clone(), message: unreadable.reason, request_id: None });
            }
            try_join_all(listed.items.into_iter().map(|s| async move {
                let lines = match &s.recurring_products {
                    Some(lines) => self.get_all::<InvoiceLine>(lines).await?,
                    None => Listing::default(),
                };
                Ok::<_, ApiError>((GroupKind::subscription(&s), lines))
            }))
            .await
        };
        let (customer, subscriptions) = futures::try_join!(customer, subscriptions)?;
        let group = |kind, lines: Listing<InvoiceLine>| {
            Arc::new(ChargeGroup::new(kind, lines.items, lowercase).with_unreadable(lines.unreadable))
        };
        let groups = customer
            .map(|lines| group(GroupKind::Customer, lines))
            .into_iter()
            .chain(subscriptions.into_iter().map(|(kind, lines)| group(kind, lines)))
            .collect();
        Ok(WholeInvoice { invoice: Arc::new(invoice), groups })
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
