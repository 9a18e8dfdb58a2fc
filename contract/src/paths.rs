//! Entry points into the two APIs. Everything past an entry point is reached by following the
//! links the API returns; these functions exist only for the resources a page starts from.

use crate::ids::encode_segment;

/// \[doc\] Prefix of the Billing Customer API.
pub const CUSTOMER_API: &str = "/billing/customer/v1";
/// \[doc\] Prefix of the Billing Invoice API.
pub const INVOICE_API: &str = "/billing/invoice/v1";

/// \[assumed\] Query parameter naming a page of a collection (1-based), as used in `navigation.next`.
pub const PAGE_PARAM: &str = "page";
/// \[assumed\] Query parameter for the page size.
pub const PAGE_SIZE_PARAM: &str = "pageSize";
/// \[assumed\] Query parameter that filters the invoice list by customer.
pub const CUSTOMER_NO_PARAM: &str = "customerNo";

/// `GET` path of a customer \[doc\].
pub fn customer(owner_no: &str, customer_no: &str) -> String {
    format!("{CUSTOMER_API}/{}/customers/{}", encode_segment(owner_no), encode_segment(customer_no))
}

/// `GET` path of a customer's own recurring products \[doc\]. Views follow the customer's
/// `recurringProducts` link; this documented path lets the request leave before the customer
/// has answered (a customer that links elsewhere costs that request, nothing more).
pub fn customer_products(owner_no: &str, customer_no: &str) -> String {
    format!("{}/recurring-products", customer(owner_no, customer_no))
}

/// `GET` path of a customer's subscriptions \[doc\], sent early as
/// [`customer_products`] is.
pub fn customer_subscriptions(owner_no: &str, customer_no: &str) -> String {
    format!("{}/subscriptions", customer(owner_no, customer_no))
}

/// `POST` path that creates customers \[doc\].
pub fn customers(owner_no: &str) -> String {
    format!("{CUSTOMER_API}/{}/customers", encode_segment(owner_no))
}

/// `GET` path of one invoice \[doc\].
pub fn invoice(owner_no: &str, invoice_no: &str) -> String {
    format!("{INVOICE_API}/{}/invoices/{}", encode_segment(owner_no), encode_segment(invoice_no))
}

/// `GET` path of an invoice's customer-level charges \[doc\]. Views follow the invoice's
/// `recurringProducts` link; this documented path lets the request for them leave before the
/// invoice has answered (an invoice that links elsewhere costs that request, nothing more).
pub fn invoice_charges(owner_no: &str, invoice_no: &str) -> String {
    format!("{}/recurring-products", invoice(owner_no, invoice_no))
}

/// `GET` path of a customer's invoices, newest first [assumed query parameter].
pub fn invoices_of_customer(owner_no: &str, customer_no: &str) -> String {
    format!("{INVOICE_API}/{}/invoices?{CUSTOMER_NO_PARAM}={}", encode_segment(owner_no), encode_segment(customer_no))
}

#[cfg(test)]
mod tests {
    #[test]
    fn entry_points_encode_each_identifier_as_one_segment() {
        assert_eq!(super::customer("xxx", "AB/1 & 2"), "/billing/customer/v1/xxx/customers/AB%2F1%20%26%202");
        assert_eq!(super::invoices_of_customer("xxx", "A&B"), "/billing/invoice/v1/xxx/invoices?customerNo=A%26B");
        assert_eq!(super::invoice("xxx", "603010"), "/billing/invoice/v1/xxx/invoices/603010");
        assert_eq!(
            super::invoice_charges("xxx", "603010"),
            "/billing/invoice/v1/xxx/invoices/603010/recurring-products"
        );
    }
}
