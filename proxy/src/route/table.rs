//! The route table: every route of the two APIs the proxy forwards, as the contract describes
//! it — the path shape after `{api prefix}/`, the methods it answers, the query parameters it
//! takes and the template logs and metrics name it by.

use crate::access::Api;
use axum::http::Method;
use billing_contract::ids::IdKind;
use std::borrow::Cow;
use std::fmt::Write as _;
use std::sync::OnceLock;

/// One part of a route shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Part {
    /// A fixed word, e.g. `customers`.
    Word(&'static str),
    /// An identifier of this kind, one percent-encoded segment.
    Id(IdKind),
}

use Part::{Id, Word};

const OWNER: Part = Id(IdKind::Owner);
const CUSTOMER: Part = Id(IdKind::Customer);
const SUBSCRIPTION: Part = Id(IdKind::Subscription);
const INVOICE: Part = Id(IdKind::Invoice);
const PRODUCT: Part = Id(IdKind::RecurringProduct);
const CUSTOMERS: Part = Word("customers");
const SUBSCRIPTIONS: Part = Word("subscriptions");
const INVOICES: Part = Word("invoices");
const PRODUCTS: Part = Word("recurring-products");

/// What a route allows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Methods {
    /// `GET` (and `HEAD`).
    Read,
    /// `GET` and `POST` (a collection that can be added to).
    ReadAdd,
    /// `POST` only.
    Add,
    /// `GET`, `PUT` and `DELETE` (a member that can be replaced and removed).
    ReadReplaceRemove,
}

/// The query parameters a route accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Query {
    /// None at all.
    None,
    /// Paging: [`PAGE_PARAM`](billing_contract::paths::PAGE_PARAM) and
    /// [`PAGE_SIZE_PARAM`](billing_contract::paths::PAGE_SIZE_PARAM).
    Paged,
    /// Paging and the [`CUSTOMER_NO_PARAM`](billing_contract::paths::CUSTOMER_NO_PARAM) filter (the
    /// invoice list).
    PagedByCustomer,
}

/// Every route of the two APIs the proxy forwards: the shape after `{api prefix}/`, its
/// template (for logs and metrics), methods and query parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RouteKind {
    /// `POST customer/v1/{owner}/customers` \[doc\].
    Customers,
    /// `GET customer/v1/{owner}/customers/{customer}` \[doc\].
    Customer,
    /// `GET, POST .../customers/{customer}/recurring-products`.
    CustomerProducts,
    /// `GET, PUT, DELETE .../customers/{customer}/recurring-products/{product}`.
    CustomerProduct,
    /// `GET, POST .../customers/{customer}/subscriptions`.
    Subscriptions,
    /// `GET .../customers/{customer}/subscriptions/{subscription}`.
    Subscription,
    /// `GET, POST .../subscriptions/{subscription}/recurring-products`.
    SubscriptionProducts,
    /// `GET, PUT, DELETE .../subscriptions/{subscription}/recurring-products/{product}`.
    SubscriptionProduct,
    /// `GET invoice/v1/{owner}/invoices?customerNo=` \[doc\].
    Invoices,
    /// `GET invoice/v1/{owner}/invoices/{invoice}` \[doc\].
    Invoice,
    /// `GET .../invoices/{invoice}/recurring-products`.
    InvoiceLines,
    /// `GET .../invoices/{invoice}/recurring-products/{product}`.
    InvoiceLine,
    /// `GET .../invoices/{invoice}/subscriptions`.
    InvoiceSubscriptions,
    /// `GET .../invoices/{invoice}/subscriptions/{subscription}`.
    InvoiceSubscription,
    /// `GET .../invoices/{invoice}/subscriptions/{subscription}/recurring-products`.
    InvoiceSubscriptionLines,
    /// `GET .../invoices/{invoice}/subscriptions/{subscription}/recurring-products/{product}`.
    InvoiceSubscriptionLine,
}

impl RouteKind {
    /// Every route.
    pub const ALL: [RouteKind; 16] = [
        RouteKind::Customers,
        RouteKind::Customer,
        RouteKind::CustomerProducts,
        RouteKind::CustomerProduct,
        RouteKind::Subscriptions,
        RouteKind::Subscription,
        RouteKind::SubscriptionProducts,
        RouteKind::SubscriptionProduct,
        RouteKind::Invoices,
        RouteKind::Invoice,
        RouteKind::InvoiceLines,
        RouteKind::InvoiceLine,
        RouteKind::InvoiceSubscriptions,
        RouteKind::InvoiceSubscription,
        RouteKind::InvoiceSubscriptionLines,
        RouteKind::InvoiceSubscriptionLine,
    ];

    /// The API this route belongs to.
    pub fn api(self) -> Api {
        match self {
            RouteKind::Customers
            | RouteKind::Customer
            | RouteKind::CustomerProducts
            | RouteKind::CustomerProduct
            | RouteKind::Subscriptions
            | RouteKind::Subscription
            | RouteKind::SubscriptionProducts
            | RouteKind::SubscriptionProduct => Api::Customer,
            _ => Api::Invoice,
        }
    }

    pub(super) fn shape(self) -> &'static [Part] {
        match self {
            RouteKind::Customers => &[OWNER, CUSTOMERS],
            RouteKind::Customer => &[OWNER, CUSTOMERS, CUSTOMER],
            RouteKind::CustomerProducts => &[OWNER, CUSTOMERS, CUSTOMER, PRODUCTS],
            RouteKind::CustomerProduct => &[OWNER, CUSTOMERS, CUSTOMER, PRODUCTS, PRODUCT],
            RouteKind::Subscriptions => &[OWNER, CUSTOMERS, CUSTOMER, SUBSCRIPTIONS],
            RouteKind::Subscription => &[OWNER, CUSTOMERS, CUSTOMER, SUBSCRIPTIONS, SUBSCRIPTION],
            RouteKind::SubscriptionProducts => &[OWNER, CUSTOMERS, CUSTOMER, SUBSCRIPTIONS, SUBSCRIPTION, PRODUCTS],
            RouteKind::SubscriptionProduct => {
                &[OWNER, CUSTOMERS, CUSTOMER, SUBSCRIPTIONS, SUBSCRIPTION, PRODUCTS, PRODUCT]
            }
            RouteKind::Invoices => &[OWNER, INVOICES],
            RouteKind::Invoice => &[OWNER, INVOICES, INVOICE],
            RouteKind::InvoiceLines => &[OWNER, INVOICES, INVOICE, PRODUCTS],
            RouteKind::InvoiceLine => &[OWNER, INVOICES, INVOICE, PRODUCTS, PRODUCT],
            RouteKind::InvoiceSubscriptions => &[OWNER, INVOICES, INVOICE, SUBSCRIPTIONS],
            RouteKind::InvoiceSubscription => &[OWNER, INVOICES, INVOICE, SUBSCRIPTIONS, SUBSCRIPTION],
            RouteKind::InvoiceSubscriptionLines => &[OWNER, INVOICES, INVOICE, SUBSCRIPTIONS, SUBSCRIPTION, PRODUCTS],
            RouteKind::InvoiceSubscriptionLine => {
                &[OWNER, INVOICES, INVOICE, SUBSCRIPTIONS, SUBSCRIPTION, PRODUCTS, PRODUCT]
            }
        }
    }

    fn methods(self) -> Methods {
        match self {
            RouteKind::Customers => Methods::Add,
            RouteKind::CustomerProducts | RouteKind::Subscriptions | RouteKind::SubscriptionProducts => {
                Methods::ReadAdd
            }
            RouteKind::CustomerProduct | RouteKind::SubscriptionProduct => Methods::ReadReplaceRemove,
            _ => Methods::Read,
        }
    }

    pub(super) fn query(self) -> Query {
        match self {
            RouteKind::Invoices => Query::PagedByCustomer,
            RouteKind::CustomerProducts
            | RouteKind::Subscriptions
            | RouteKind::SubscriptionProducts
            | RouteKind::InvoiceLines
            | RouteKind::InvoiceSubscriptions
            | RouteKind::InvoiceSubscriptionLines => Query::Paged,
            _ => Query::None,
        }
    }

    /// Whether the route answers `method`. `HEAD` goes with `GET`.
    pub fn allows(self, method: &Method) -> bool {
        let read = *method == Method::GET || *method == Method::HEAD;
        match self.methods() {
            Methods::Read => read,
            Methods::ReadAdd => read || *method == Method::POST,
            Methods::Add => *method == Method::POST,
            Methods::ReadReplaceRemove => read || *method == Method::PUT || *method == Method::DELETE,
        }
    }

    /// The methods the route answers, for an `allow` header.
    pub fn allow_header(self) -> &'static str {
        match self.methods() {
            Methods::Read => "GET, HEAD",
            Methods::ReadAdd => "GET, HEAD, POST",
            Methods::Add => "POST",
            Methods::ReadReplaceRemove => "GET, HEAD, PUT, DELETE",
        }
    }

    /// The route's template, e.g. `/billing/invoice/v1/{ownerNo}/invoices/{invoiceNo}`: what
    /// logs and metrics name it by (no identifiers, so no personal data and few series).
    pub fn template(self) -> &'static str {
        static TEMPLATES: OnceLock<Vec<String>> = OnceLock::new();
        let templates = TEMPLATES.get_or_init(|| RouteKind::ALL.iter().map(|kind| kind.build_template()).collect());
        let index = RouteKind::ALL.iter().position(|kind| *kind == self).unwrap_or_default();
        templates.get(index).map_or("", String::as_str)
    }

    fn build_template(self) -> String {
        let mut template = self.api().prefix().to_owned();
        for part in self.shape() {
            match part {
                Word(word) => {
                    let _ = write!(template, "/{word}");
                }
                Id(kind) => {
                    let _ = write!(template, "/{{{}}}", kind.field());
                }
            }
        }
        template
    }
}

/// Whether the decoded `segments` (of the raw path `rest`) have `shape`. Fixed words must be
/// sent as themselves, not encoded.
pub(super) fn shape_matches(shape: &[Part], rest: &str, segments: &[Cow<'_, str>]) -> bool {
    shape.len() == segments.len()
        && shape.iter().zip(rest.split('/')).all(|(part, raw)| match part {
            Word(word) => raw == *word,
            Id(_) => true,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_name_no_identifier() {
        assert_eq!(
            RouteKind::InvoiceSubscriptionLines.template(),
            "/billing/invoice/v1/{ownerNo}/invoices/{invoiceNo}/subscriptions/{subscriptionNo}/recurring-products"
        );
    }
}
