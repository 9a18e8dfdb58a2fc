//! Which resource a documented-mode answer is, told from its request path (identifiers
//! percent-decoded): what the rewrite of that answer goes by.

use billing_contract::paths::{CUSTOMER_API, INVOICE_API};
use percent_encoding::percent_decode_str;

/// What an answer is, from its request path (identifiers percent-decoded).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Target {
    Customer,
    Subscriptions { customer: String },
    Subscription { customer: String },
    Products { subscription: Option<String> },
    Product { subscription: Option<String> },
    Invoices,
    Invoice { invoice: String },
    InvoiceSubscriptions { invoice: String },
    InvoiceSubscription { invoice: String },
    Lines { invoice: String, subscription: Option<String> },
    Line { invoice: String, subscription: Option<String> },
    Other,
}

fn decoded(segment: &str) -> String {
    percent_decode_str(segment).decode_utf8_lossy().into_owned()
}

impl Target {
    pub(super) fn of(path: &str) -> Target {
        let under = |api: &str| {
            let rest = path.strip_prefix(api)?.strip_prefix('/')?;
            // Skip the ownerNo segment.
            let (_, rest) = rest.split_once('/')?;
            Some(rest.split('/').collect::<Vec<&str>>())
        };
        if let Some(segments) = under(CUSTOMER_API) {
            return match segments.as_slice() {
                ["customers", _] => Target::Customer,
                ["customers", c, "subscriptions"] => Target::Subscriptions { customer: decoded(c) },
                ["customers", c, "subscriptions", _] => Target::Subscription { customer: decoded(c) },
                ["customers", _, "recurring-products"] => Target::Products { subscription: None },
                ["customers", _, "recurring-products", _] => Target::Product { subscription: None },
                ["customers", _, "subscriptions", s, "recurring-products"] => {
                    Target::Products { subscription: Some(decoded(s)) }
                }
                ["customers", _, "subscriptions", s, "recurring-products", _] => {
                    Target::Product { subscription: Some(decoded(s)) }
                }
                _ => Target::Other,
            };
        }
        if let Some(segments) = under(INVOICE_API) {
            return match segments.as_slice() {
                ["invoices"] => Target::Invoices,
                ["invoices", i] => Target::Invoice { invoice: decoded(i) },
                ["invoices", i, "subscriptions"] => Target::InvoiceSubscriptions { invoice: decoded(i) },
                ["invoices", i, "subscriptions", _] => Target::InvoiceSubscription { invoice: decoded(i) },
                ["invoices", i, "recurring-products"] => Target::Lines { invoice: decoded(i), subscription: None },
                ["invoices", i, "recurring-products", _] => Target::Line { invoice: decoded(i), subscription: None },
                ["invoices", i, "subscriptions", s, "recurring-products"] => {
                    Target::Lines { invoice: decoded(i), subscription: Some(decoded(s)) }
                }
                ["invoices", i, "subscriptions", s, "recurring-products", _] => {
                    Target::Line { invoice: decoded(i), subscription: Some(decoded(s)) }
                }
                _ => Target::Other,
            };
        }
        Target::Other
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::variants::ANNA;

    #[test]
    fn tells_the_resource_from_its_path() {
        let c = "/billing/customer/v1/100200/customers/%C3%85kesson%20%26%20Co%2F7";
        assert_eq!(Target::of(c), Target::Customer);
        assert_eq!(
            Target::of(&format!("{c}/subscriptions")),
            Target::Subscriptions { customer: "Åkesson & Co/7".into() }
        );
        assert_eq!(
            Target::of(&format!("{c}/subscriptions/V%C3%A4xel%201%2FA/recurring-products/1001")),
            Target::Product { subscription: Some("Växel 1/A".into()) }
        );
        let i = "/billing/invoice/v1/100200/invoices";
        assert_eq!(Target::of(i), Target::Invoices);
        assert_eq!(
            Target::of(&format!("{i}/603012/subscriptions/46701234567/recurring-products")),
            Target::Lines { invoice: "603012".into(), subscription: Some(ANNA.into()) }
        );
        assert_eq!(
            Target::of(&format!("{i}/603012/recurring-products")),
            Target::Lines { invoice: "603012".into(), subscription: None }
        );
        assert_eq!(Target::of("/elsewhere"), Target::Other);
    }
}
