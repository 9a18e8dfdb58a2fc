//! Hypermedia: links, operations and paged collections \[doc\].

use serde::{Deserialize, Serialize};

/// A link: a path relative to the API host, e.g. `/billing/customer/v1/xxx/customers/1`.
/// Followed as given, never rebuilt; a client refuses one that leaves the API (see
/// [`resolve`]). Empty where a resource came without `@id` and was not identified yet (see
/// [`crate::tolerant::Identified`]).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Link(pub String);

impl Link {
    /// The link's path text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// True for the empty link of a resource that came without `@id`.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl std::fmt::Display for Link {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A state change a resource allows, advertised in its `operations` \[doc\].
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
    /// \[doc\] POST a subscription to a customer.
    AddSubscription,
    /// \[doc\] POST a recurring product to a customer or subscription.
    AddRecurringProduct,
    /// \[assumed\] PUT a recurring product.
    UpdateRecurringProduct,
    /// \[assumed\] DELETE a recurring product.
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
    /// \[doc\] The collection's own path.
    #[serde(rename = "@id", default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Link>,
    /// \[assumed\] The next page's path; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<Link>,
}

/// A collection page: `{ "items": [...], "navigation": {...}, "operations": [...] }` \[doc\].
///
/// The strict shape, as the sandbox writes it; a client reads pages with
/// [`crate::tolerant::Page`], which keeps the items it can read when one cannot be.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(bound(deserialize = "T: Deserialize<'de>"))]
pub struct Collection<T> {
    /// The resources on this page.
    #[serde(default = "Vec::new", deserialize_with = "crate::tolerant::null_as_default")]
    pub items: Vec<T>,
    /// Paging information.
    #[serde(default, deserialize_with = "crate::tolerant::null_as_default")]
    pub navigation: Navigation,
    /// \[assumed\] Operations on the collection, e.g. `add-recurring-product`.
    #[serde(default, skip_serializing_if = "Vec::is_empty", deserialize_with = "crate::tolerant::tolerant_operations")]
    pub operations: Vec<Operation>,
}

/// Why a link from the API is not followed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LinkRefused {
    /// It names another origin (an absolute or `//host` link, or a backslash a browser would
    /// read as a slash).
    #[error("the link {0:?} leads to another site")]
    OtherOrigin(String),
    /// It stays on the site but leaves the billing API (`/admin`, a dot segment, a relative path).
    #[error("the link {0:?} leads outside the billing API")]
    OutsideApi(String),
}

/// The path (with query) to request for `link`, resolved against the API at `base_origin`
/// (`https://crm.example`, or empty for the page's own origin), or why it is refused.
///
/// \[assumed\] PayEx's links are paths starting with `/billing/`. A link is followed only if it
/// stays on the API's origin and under `/billing/`: an absolute URL is accepted only with the
/// API's own origin; a protocol-relative `//host`, a backslash, a control character or space, a
/// fragment, and a `.` or `..` path segment (also as `%2e`) are refused, so what the browser
/// requests is the path that was checked.
///
/// ```
/// use billing_contract::links::resolve;
/// assert_eq!(resolve("", "/billing/invoice/v1/1/invoices?page=2").unwrap(), "/billing/invoice/v1/1/invoices?page=2");
/// assert!(resolve("", "https://attacker.invalid/billing/x").is_err());
/// ```
pub fn resolve<'a>(base_origin: &str, link: &'a str) -> Result<&'a str, LinkRefused> {
    let other = || LinkRefused::OtherOrigin(link.to_owned());
    let outside = || LinkRefused::OutsideApi(link.to_owned());
    let base_origin = base_origin.trim_end_matches('/');
    let path = match link.get(..base_origin.len()) {
        Some(prefix) if !base_origin.is_empty() && prefix.eq_ignore_ascii_case(base_origin) => {
            let rest = &link[base_origin.len()..];
            if !rest.starts_with('/') {
                return Err(other());
            }
            rest
        }
        _ => link,
    };
    if path.starts_with("//") || path.contains('\\') || has_scheme(path) {
        return Err(other());
    }
    if path.chars().any(|c| c.is_control() || c.is_whitespace()) || path.contains('#') {
        return Err(outside());
    }
    if !path.starts_with("/billing/") {
        return Err(outside());
    }
    let path_only = path.split('?').next().unwrap_or(path);
    if path_only.split('/').any(is_dot_segment) {
        return Err(outside());
    }
    Ok(path)
}

/// `scheme:` at the start (RFC 3986: a letter, then letters, digits, `+`, `-`, `.`).
fn has_scheme(link: &str) -> bool {
    match link.find(':') {
        Some(at) => {
            let scheme = &link[..at];
            scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

/// `.` or `..`, also percent-encoded (`%2e`, `.%2E`), as a URL parser reads them.
fn is_dot_segment(segment: &str) -> bool {
    let lowered = segment.to_ascii_lowercase().replace("%2e", ".");
    lowered == "." || lowered == ".."
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_under_the_api_are_followed_as_given() {
        for link in [
            "/billing/customer/v1/xxx/customers/AB%2F1%20%26%202/subscriptions",
            "/billing/invoice/v1/1/invoices?customerNo=7&page=2",
            "/billing/invoice/v1/1/invoices/9/subscriptions/a.b/recurring-products",
            "/billing/x/..a/b..",
        ] {
            assert_eq!(resolve("", link), Ok(link), "{link}");
        }
        assert_eq!(resolve("https://crm.example", "https://CRM.example/billing/x"), Ok("/billing/x"));
        assert_eq!(resolve("https://crm.example/", "/billing/x"), Ok("/billing/x"));
    }

    #[test]
    fn links_to_another_origin_are_refused() {
        for link in [
            "http://attacker.invalid/billing/x",
            "https://attacker.invalid/billing/x",
            "//attacker.invalid/billing/x",
            "/\\attacker.invalid/billing/x",
            "\\\\attacker.invalid/billing/x",
            "javascript:alert(1)",
            "data:text/plain,x",
        ] {
            assert!(matches!(resolve("", link), Err(LinkRefused::OtherOrigin(_))), "{link}");
        }
        assert!(resolve("https://crm.example", "https://crm.example.attacker.invalid/billing/x").is_err());
        assert!(resolve("https://crm.example", "https://crm.example@attacker.invalid/billing/x").is_err());
        assert!(resolve("https://crm.example", "http://crm.example/billing/x").is_err(), "another scheme");
    }

    #[test]
    fn links_that_leave_the_api_are_refused() {
        for link in [
            "/admin",
            "/billingx/y",
            "billing/customer/v1/x",
            "/billing/../admin",
            "/billing/customer/v1/x/customers/7/subscriptions/%2e%2e/%2E%2e/5566778899",
            "/billing/customer/v1/x/./y",
            "/billing/x/.",
            "/billing/x y",
            "/billing/x\ny",
            "/billing/x#frag",
            "",
        ] {
            assert!(matches!(resolve("", link), Err(LinkRefused::OutsideApi(_))), "{link:?}");
        }
        assert_eq!(resolve("", "/billing/x?next=/../y"), Ok("/billing/x?next=/../y"), "the query is not a path");
    }
}
