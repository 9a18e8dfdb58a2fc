//! Hypermedia: links, operations and paged collections [doc].

use serde::{Deserialize, Serialize};

/// A link: a path relative to the API host, e.g. `/billing/customer/v1/xxx/customers/1`.
/// Followed as given, never rebuilt.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Link(pub String);

impl Link {
    /// The link's path text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Link {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A state change a resource allows, advertised in its `operations` [doc].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Operation {
    /// What the operation does, e.g. `add-recurring-product`.
    pub rel: String,
    /// The HTTP method, e.g. `POST`.
    pub method: String,
    /// Where to send it.
    pub href: Link,
}

/// The operation relations this project knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OperationRel {
    /// [doc] POST a subscription to a customer.
    AddSubscription,
    /// [doc] POST a recurring product to a customer or subscription.
    AddRecurringProduct,
    /// [assumed] PUT a recurring product.
    UpdateRecurringProduct,
    /// [assumed] DELETE a recurring product.
    DeleteRecurringProduct,
}

impl OperationRel {
    /// The `rel` text on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            OperationRel::AddSubscription => "add-subscription",
            OperationRel::AddRecurringProduct => "add-recurring-product",
            OperationRel::UpdateRecurringProduct => "update-recurring-product",
            OperationRel::DeleteRecurringProduct => "delete-recurring-product",
        }
    }
    /// The HTTP method of the operation.
    pub fn method(self) -> &'static str {
        match self {
            OperationRel::AddSubscription | OperationRel::AddRecurringProduct => "POST",
            OperationRel::UpdateRecurringProduct => "PUT",
            OperationRel::DeleteRecurringProduct => "DELETE",
        }
    }
    /// This operation on the resource at `href`.
    pub fn at(self, href: &str) -> Operation {
        Operation { rel: self.as_str().into(), method: self.method().into(), href: Link(href.into()) }
    }
}

/// Finds the advertised operation with this relation, if any.
pub fn find_operation(operations: &[Operation], rel: OperationRel) -> Option<&Operation> {
    operations.iter().find(|op| op.rel == rel.as_str())
}

/// Where a collection page is and what follows it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Navigation {
    /// [doc] The collection's own path.
    #[serde(rename = "@id", default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Link>,
    /// [assumed] The next page's path; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<Link>,
}

/// A collection page: `{ "items": [...], "navigation": {...}, "operations": [...] }` [doc].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Collection<T> {
    /// The resources on this page.
    #[serde(default = "Vec::new")]
    pub items: Vec<T>,
    /// Paging information.
    #[serde(default)]
    pub navigation: Navigation,
    /// [assumed] Operations on the collection, e.g. `add-recurring-product`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub operations: Vec<Operation>,
}
