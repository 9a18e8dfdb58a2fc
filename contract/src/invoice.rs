//! The Billing Invoice API's resources: invoices, their subscriptions and their lines.

use crate::date::Date;
use crate::links::Link;
use crate::money::{self, Decimal};
use serde::{Deserialize, Serialize};

/// An invoice \[doc: `@id`, `invoiceNo`, `invoiceDate`, `invoiceAmount`, the two links;
/// assumed: `customerNo`, `currency`, `dueDate`].
///
/// The same shape serves as a list item of `GET /invoices`, where the API may leave the
/// amount out: every field beyond the number and links is optional.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Invoice {
    /// The invoice's own path (empty until identified, where the API sent none).
    #[serde(
        rename = "@id",
        default,
        deserialize_with = "crate::tolerant::null_as_default",
        skip_serializing_if = "Link::is_empty"
    )]
    pub id: Link,
    /// The invoice number.
    #[serde(deserialize_with = "crate::tolerant::required_text")]
    pub invoice_no: String,
    /// The invoice date.
    #[serde(default, deserialize_with = "crate::tolerant::optional_date", skip_serializing_if = "Option::is_none")]
    pub invoice_date: Option<Date>,
    /// When payment is due.
    #[serde(default, deserialize_with = "crate::tolerant::optional_date", skip_serializing_if = "Option::is_none")]
    pub due_date: Option<Date>,
    /// The invoiced customer.
    #[serde(default, deserialize_with = "crate::tolerant::optional_text", skip_serializing_if = "Option::is_none")]
    pub customer_no: Option<String>,
    /// ISO 4217 currency code, e.g. `SEK`.
    #[serde(default, deserialize_with = "crate::tolerant::optional_text", skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// Total invoiced, including VAT.
    #[serde(default, with = "money::option_number", skip_serializing_if = "Option::is_none")]
    pub invoice_amount: Option<Decimal>,
    /// Link to the charges billed at customer level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recurring_products: Option<Link>,
    /// Link to the subscriptions billed on the invoice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscriptions: Option<Link>,
}

impl Invoice {
    /// The currency code; `SEK` when the invoice does not say [assumed: the ledger's currency].
    pub fn currency_code(&self) -> &str {
        self.currency.as_deref().unwrap_or("SEK")
    }
}

/// An item of the invoice list: the invoice shape, possibly without amount.
pub type InvoiceSummary = Invoice;

/// A subscription billed on an invoice \[assumed\].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InvoiceSubscription {
    /// The path of this subscription on the invoice (empty until identified, where the API
    /// sent none).
    #[serde(
        rename = "@id",
        default,
        deserialize_with = "crate::tolerant::null_as_default",
        skip_serializing_if = "Link::is_empty"
    )]
    pub id: Link,
    /// The subscription number.
    #[serde(deserialize_with = "crate::tolerant::required_text")]
    pub subscription_no: String,
    /// What the subscription is.
    #[serde(default, deserialize_with = "crate::tolerant::optional_text", skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Link to the charges billed on this subscription.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recurring_products: Option<Link>,
}

/// One invoiced charge \[assumed\]. `amount` = quantity x unit price, excluding VAT;
/// `totalAmount` includes VAT. Negative for credits and prorations.
///
/// A line needs its quantity, unit price, amount and VAT rate, and its VAT or its total: the
/// one it lacks is the difference of the others (exact, not a rounding guess) [assumed:
/// PayEx's examples carry all six]. Texts and periods may be absent or `null`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", try_from = "InvoiceLineWire")]
pub struct InvoiceLine {
    /// The line's own path.
    #[serde(rename = "@id", default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Link>,
    /// The recurring product that was charged. \[assumed\] It may be the line's own id instead,
    /// which differs between invoices: a comparison of invoices trusts it only together with
    /// the product number (see the widget's `model::comparison`).
    #[serde(default)]
    pub recurring_product_no: String,
    /// The product catalogue number.
    #[serde(default)]
    pub product_no: String,
    /// What was charged.
    #[serde(default)]
    pub description: String,
    /// First day of the billed period. \[assumed\] A whole period runs from the 1st to a month's
    /// end, or from day `d` to day `d - 1` of a later month; anything shorter is a proration.
    /// PayEx does not document how periods are anchored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period_start: Option<Date>,
    /// Last day of the billed period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period_end: Option<Date>,
    /// How many.
    #[serde(with = "money::number")]
    pub quantity: Decimal,
    /// Price per unit, excluding VAT.
    #[serde(with = "money::number")]
    pub unit_price: Decimal,
    /// Quantity x unit price, excluding VAT.
    #[serde(with = "money::number")]
    pub amount: Decimal,
    /// VAT rate in percent.
    #[serde(with = "money::number")]
    pub vat_rate: Decimal,
    /// VAT on this line.
    #[serde(with = "money::number")]
    pub vat_amount: Decimal,
    /// Amount including VAT.
    #[serde(with = "money::number")]
    pub total_amount: Decimal,
}

/// An invoice line as it may arrive: every field optional, so what is missing can be named.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct InvoiceLineWire {
    #[serde(rename = "@id", default, deserialize_with = "crate::tolerant::optional_text")]
    id: Option<String>,
    #[serde(default, deserialize_with = "crate::tolerant::text")]
    recurring_product_no: String,
    #[serde(default, deserialize_with = "crate::tolerant::text")]
    product_no: String,
    #[serde(default, deserialize_with = "crate::tolerant::text")]
    description: String,
    #[serde(default, deserialize_with = "crate::tolerant::optional_date")]
    period_start: Option<Date>,
    #[serde(default, deserialize_with = "crate::tolerant::optional_date")]
    period_end: Option<Date>,
    #[serde(default, with = "money::option_number")]
    quantity: Option<Decimal>,
    #[serde(default, with = "money::option_number")]
    unit_price: Option<Decimal>,
    #[serde(default, with = "money::option_number")]
    amount: Option<Decimal>,
    #[serde(default, with = "money::option_number")]
    vat_rate: Option<Decimal>,
    #[serde(default, with = "money::option_number")]
    vat_amount: Option<Decimal>,
    #[serde(default, with = "money::option_number")]
    total_amount: Option<Decimal>,
}

impl TryFrom<InvoiceLineWire> for InvoiceLine {
    type Error = String;

    fn try_from(wire: InvoiceLineWire) -> Result<InvoiceLine, String> {
        let missing = |name: &str| format!("the line has no {name}");
        let quantity = wire.quantity.ok_or_else(|| missing("quantity"))?;
        let unit_price = wire.unit_price.ok_or_else(|| missing("unitPrice"))?;
        let amount = wire.amount.ok_or_else(|| missing("amount"))?;
        let vat_rate = wire.vat_rate.ok_or_else(|| missing("vatRate"))?;
        // Each number is bounded at 10^15 when read, so these differences cannot overflow.
        let (vat_amount, total_amount) = match (wire.vat_amount, wire.total_amount) {
            (Some(vat), Some(total)) => (vat, total),
            (Some(vat), None) => (vat, amount.checked_add(vat).ok_or_else(|| missing("totalAmount"))?),
            (None, Some(total)) => (total.checked_sub(amount).ok_or_else(|| missing("vatAmount"))?, total),
            (None, None) => return Err(missing("vatAmount or totalAmount")),
        };
        Ok(InvoiceLine {
            id: wire.id.map(Link),
            recurring_product_no: wire.recurring_product_no,
            product_no: wire.product_no,
            description: wire.description,
            period_start: wire.period_start,
            period_end: wire.period_end,
            quantity,
            unit_price,
            amount,
            vat_rate,
            vat_amount,
            total_amount,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn parses_the_contract_invoice_line() {
        let line: InvoiceLine = serde_json::from_str(
            r#"{
          "@id": "/billing/invoice/v1/xxx/invoices/603010/subscriptions/46701234567/recurring-products/1001",
          "recurringProductNo": "1001", "productNo": "MOB-5GB", "description": "Mobile 5 GB",
          "periodStart": "2026-02-01", "periodEnd": "2026-02-28",
          "quantity": 1, "unitPrice": 199.00, "amount": 199.00,
          "vatRate": 25.00, "vatAmount": 49.75, "totalAmount": 248.75
        }"#,
        )
        .unwrap();
        assert_eq!(line.total_amount, Decimal::from_str("248.75").unwrap());
        assert_eq!(line.amount + line.vat_amount, line.total_amount);
        assert_eq!(line.period_end.unwrap().to_string(), "2026-02-28");
    }

    #[test]
    fn parses_an_invoice_list_item_without_amount() {
        let inv: Invoice = serde_json::from_str(
            r#"{
          "@id": "/billing/invoice/v1/xxx/invoices/603010", "invoiceNo": "603010",
          "invoiceDate": "2026-03-01",
          "recurringProducts": "/billing/invoice/v1/xxx/invoices/603010/recurring-products",
          "subscriptions": "/billing/invoice/v1/xxx/invoices/603010/subscriptions"
        }"#,
        )
        .unwrap();
        assert_eq!(inv.invoice_amount, None);
        assert_eq!(inv.invoice_date.unwrap().to_string(), "2026-03-01");
    }

    #[test]
    fn parses_a_documented_invoice_with_amount() {
        let inv: Invoice = serde_json::from_str(
            r#"{
          "@id": "/billing/invoice/v1/xxx/invoices/603010", "invoiceNo": "603010",
          "invoiceDate": "2026-03-01", "invoiceAmount": 499.00, "currency": "SEK"
        }"#,
        )
        .unwrap();
        assert_eq!(inv.invoice_amount, Some(Decimal::from(499)));
    }
}
