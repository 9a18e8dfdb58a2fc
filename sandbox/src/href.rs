//! Builds the paths the sandbox links to. Identifiers only enter a path through [`Href::id`],
//! which percent-encodes them as one segment, so a raw identifier can never be formatted into a
//! link.

use billing_contract::ids::encode_segment;
use billing_contract::paths::{self, INVOICE_API};
use billing_contract::Link;

/// The collection segment of customers, shared by route templates and links.
pub const CUSTOMERS: &str = "customers";
/// The collection segment of subscriptions.
pub const SUBSCRIPTIONS: &str = "subscriptions";
/// The collection segment of recurring products (and of invoice lines).
pub const RECURRING_PRODUCTS: &str = "recurring-products";
/// The collection segment of invoices.
pub const INVOICES: &str = "invoices";

/// A path under one of the two APIs, built segment by segment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Href(String);

impl Href {
    /// `/billing/customer/v1/{ownerNo}/customers`.
    pub fn customers(owner_no: &str) -> Href {
        Href(paths::customers(owner_no))
    }

    /// `/billing/customer/v1/{ownerNo}/customers/{customerNo}`.
    pub fn customer(owner_no: &str, customer_no: &str) -> Href {
        Href::customers(owner_no).id(customer_no)
    }

    /// `/billing/invoice/v1/{ownerNo}/invoices`.
    pub fn invoices(owner_no: &str) -> Href {
        Href(format!("{INVOICE_API}/{}", encode_segment(owner_no))).literal(INVOICES)
    }

    /// `/billing/invoice/v1/{ownerNo}/invoices/{invoiceNo}`.
    pub fn invoice(owner_no: &str, invoice_no: &str) -> Href {
        Href::invoices(owner_no).id(invoice_no)
    }

    /// This path's `/subscriptions` collection.
    pub fn subscriptions(&self) -> Href {
        self.clone().literal(SUBSCRIPTIONS)
    }

    /// One subscription of this path's `/subscriptions` collection.
    pub fn subscription(&self, subscription_no: &str) -> Href {
        self.subscriptions().id(subscription_no)
    }

    /// This path's `/recurring-products` collection.
    pub fn recurring_products(&self) -> Href {
        self.clone().literal(RECURRING_PRODUCTS)
    }

    /// One recurring product of this path's `/recurring-products` collection.
    pub fn recurring_product(&self, recurring_product_no: &str) -> Href {
        self.recurring_products().id(recurring_product_no)
    }

    /// The path with `params` as its query, each name and value percent-encoded.
    pub fn with_query<'a>(&self, params: impl IntoIterator<Item = (&'a str, &'a str)>) -> Link {
        let query: Vec<String> = params
            .into_iter()
            .map(|(name, value)| format!("{}={}", encode_segment(name), encode_segment(value)))
            .collect();
        if query.is_empty() {
            self.link()
        } else {
            Link(format!("{}?{}", self.0, query.join("&")))
        }
    }

    /// The path as a link.
    pub fn link(&self) -> Link {
        Link(self.0.clone())
    }

    /// The path text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    fn literal(mut self, segment: &'static str) -> Href {
        self.0.push('/');
        self.0.push_str(segment);
        self
    }

    fn id(mut self, id: &str) -> Href {
        self.0.push('/');
        self.0.push_str(&encode_segment(id));
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_every_identifier_as_one_segment() {
        let product = Href::customer("100200", "Åkesson & Co/7").subscription("Växel 1/A").recurring_product("1001");
        assert_eq!(
            product.as_str(),
            "/billing/customer/v1/100200/customers/%C3%85kesson%20%26%20Co%2F7/subscriptions/V%C3%A4xel%201%2FA/recurring-products/1001"
        );
        assert_eq!(Href::customer("100200", "A/B").as_str(), paths::customer("100200", "A/B"));
        assert!(paths::customers("1").ends_with(&format!("/{CUSTOMERS}")));
        assert_eq!(Href::invoice("100200", "603001").as_str(), paths::invoice("100200", "603001"));
    }

    #[test]
    fn builds_queries_like_the_contract() {
        let link = Href::invoices("100200").with_query([(paths::CUSTOMER_NO_PARAM, "A&B")]);
        assert_eq!(link.as_str(), paths::invoices_of_customer("100200", "A&B"));
        assert_eq!(Href::invoices("1").with_query([]).as_str(), "/billing/invoice/v1/1/invoices");
    }
}
