//! The Billing Customer API's resources: customers, subscriptions and recurring products.

use crate::date::Date;
use crate::links::{Link, Operation};
use crate::money::{self, Decimal};
use serde::{Deserialize, Serialize};

/// A customer \[doc\].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Customer {
    /// The customer's own path [doc: only the `POST` answer has it; empty until identified by
    /// the URL it was fetched from].
    #[serde(
        rename = "@id",
        default,
        deserialize_with = "crate::tolerant::null_as_default",
        skip_serializing_if = "Link::is_empty"
    )]
    pub id: Link,
    /// The customer number.
    #[serde(deserialize_with = "crate::tolerant::required_text")]
    pub customer_no: String,
    /// Link to the customer-level recurring products.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recurring_products: Option<Link>,
    /// Link to the customer's subscriptions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscriptions: Option<Link>,
    /// What may be done to the customer.
    #[serde(default, deserialize_with = "crate::tolerant::tolerant_operations")]
    pub operations: Vec<Operation>,
}

/// Body of `POST /customers` \[doc\].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomerInput {
    /// The new customer's number.
    pub customer_no: String,
}

/// A subscription on a customer, e.g. a mobile number \[assumed\].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Subscription {
    /// The subscription's own path (empty until identified, where the API sent none).
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
    /// What the subscription is, e.g. "Mobil Anna".
    #[serde(default, deserialize_with = "crate::tolerant::optional_text", skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// First day of the subscription.
    #[serde(default, deserialize_with = "crate::tolerant::optional_date", skip_serializing_if = "Option::is_none")]
    pub start_date: Option<Date>,
    /// Last day of the subscription, if ended.
    #[serde(default, deserialize_with = "crate::tolerant::optional_date", skip_serializing_if = "Option::is_none")]
    pub end_date: Option<Date>,
    /// Link to the subscription's recurring products.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recurring_products: Option<Link>,
    /// What may be done to the subscription.
    #[serde(default, deserialize_with = "crate::tolerant::tolerant_operations")]
    pub operations: Vec<Operation>,
}

/// Body of `POST .../subscriptions` \[assumed\].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SubscriptionInput {
    /// The new subscription's number.
    pub subscription_no: String,
    /// What the subscription is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// First day of the subscription.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<Date>,
}

/// How often a recurring product is billed \[assumed\].
///
/// \[assumed\] Periods are calendar months counted from the product's start date's month in steps
/// of [`Periodicity::months`] (a yearly product started in March is billed every March), and
/// the next invoice bills the month after the current one. PayEx documents neither; the
/// widget's preview of the next invoice (`model::preview`) rests on this reading and says it is
/// an estimate.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Periodicity {
    /// Every month.
    Monthly,
    /// Every three months.
    Quarterly,
    /// Every six months.
    Semiannually,
    /// Every twelve months.
    Yearly,
    /// A value this client does not know yet (or none); shown, never sent.
    #[default]
    Unknown,
}

impl<'de> Deserialize<'de> for Periodicity {
    /// Any value reads: a known name (in any case) as itself, anything else as `Unknown`.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Periodicity, D::Error> {
        let text = crate::tolerant::AnyText::deserialize(deserializer)?.0.unwrap_or_default();
        Ok(Periodicity::ALL.into_iter().find(|p| p.as_str().eq_ignore_ascii_case(text.trim())).unwrap_or_default())
    }
}

impl Periodicity {
    /// The periodicities a recurring product may be given.
    pub const ALL: [Periodicity; 4] =
        [Periodicity::Monthly, Periodicity::Quarterly, Periodicity::Semiannually, Periodicity::Yearly];

    /// Months per billing period, if known.
    pub fn months(self) -> Option<u32> {
        match self {
            Periodicity::Monthly => Some(1),
            Periodicity::Quarterly => Some(3),
            Periodicity::Semiannually => Some(6),
            Periodicity::Yearly => Some(12),
            Periodicity::Unknown => None,
        }
    }

    /// The wire text.
    pub fn as_str(self) -> &'static str {
        match self {
            Periodicity::Monthly => "monthly",
            Periodicity::Quarterly => "quarterly",
            Periodicity::Semiannually => "semiannually",
            Periodicity::Yearly => "yearly",
            Periodicity::Unknown => "unknown",
        }
    }
}

/// A recurring product (billable charge) on a customer or a subscription \[assumed\].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecurringProduct {
    /// The recurring product's own path (empty until identified, where the API sent none).
    #[serde(
        rename = "@id",
        default,
        deserialize_with = "crate::tolerant::null_as_default",
        skip_serializing_if = "Link::is_empty"
    )]
    pub id: Link,
    /// Its number within the customer or subscription.
    #[serde(default, deserialize_with = "crate::tolerant::text")]
    pub recurring_product_no: String,
    /// The product catalogue number, e.g. `MOB-5GB`.
    #[serde(default, deserialize_with = "crate::tolerant::text")]
    pub product_no: String,
    /// What is billed, e.g. "Mobile 5 GB".
    #[serde(default, deserialize_with = "crate::tolerant::text")]
    pub description: String,
    /// How many.
    #[serde(with = "money::number")]
    pub quantity: Decimal,
    /// Price per unit and period, excluding VAT; negative for a discount.
    #[serde(with = "money::number")]
    pub unit_price: Decimal,
    /// VAT rate in percent, e.g. 25.
    #[serde(with = "money::number")]
    pub vat_rate: Decimal,
    /// How often it is billed ([`Periodicity::Unknown`] when absent or not understood).
    #[serde(default)]
    pub periodicity: Periodicity,
    /// First day billed.
    pub start_date: Date,
    /// Last day billed; `None` until further notice.
    #[serde(default, deserialize_with = "crate::tolerant::optional_date")]
    pub end_date: Option<Date>,
    /// What may be done to it (update, delete).
    #[serde(default, deserialize_with = "crate::tolerant::tolerant_operations")]
    pub operations: Vec<Operation>,
}

/// Body of `POST`/`PUT` of a recurring product: the product without `@id`,
/// `recurringProductNo` and `operations` \[assumed\].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecurringProductInput {
    /// The product catalogue number.
    pub product_no: String,
    /// What is billed (1-100 characters).
    pub description: String,
    /// How many (> 0).
    #[serde(with = "money::number")]
    pub quantity: Decimal,
    /// Price per unit and period excluding VAT (may be negative).
    #[serde(with = "money::number")]
    pub unit_price: Decimal,
    /// VAT rate in percent; one of the ledger's rates.
    #[serde(with = "money::number")]
    pub vat_rate: Decimal,
    /// How often it is billed.
    pub periodicity: Periodicity,
    /// First day billed.
    pub start_date: Date,
    /// Last day billed (not before `startDate`), or `null`.
    pub end_date: Option<Date>,
}

impl RecurringProduct {
    /// The editable part of this product, e.g. to pre-fill a form or to end it.
    pub fn to_input(&self) -> RecurringProductInput {
        RecurringProductInput {
            product_no: self.product_no.clone(),
            description: self.description.clone(),
            quantity: self.quantity,
            unit_price: self.unit_price,
            vat_rate: self.vat_rate,
            periodicity: self.periodicity,
            start_date: self.start_date,
            end_date: self.end_date,
        }
    }
}

/// The validation rules, at their former path (see [`crate::validation`]).
pub use crate::validation;

#[cfg(test)]
mod tests {
    use super::*;

    /// PayEx's documented `GET` answer, exactly: no `@id`.
    const DOCUMENTED_CUSTOMER: &str = r#"{
      "customerNo": "15615616",
      "recurringProducts": "/billing/customer/v1/xxx/customers/15615616/recurring-products",
      "subscriptions": "/billing/customer/v1/xxx/customers/15615616/subscriptions",
      "operations": [
        { "rel": "add-subscription", "method": "POST", "href": "/billing/customer/v1/xxx/customers/15615616/subscriptions" },
        { "rel": "add-recurring-product", "method": "POST", "href": "/billing/customer/v1/xxx/customers/15615616/recurring-products" }
      ]
    }"#;

    const CONTRACT_RECURRING_PRODUCT: &str = r#"{
      "@id": "/billing/customer/v1/xxx/customers/15615616/subscriptions/46701234567/recurring-products/1001",
      "recurringProductNo": "1001",
      "productNo": "MOB-5GB",
      "description": "Mobile 5 GB",
      "quantity": 1,
      "unitPrice": 199.00,
      "vatRate": 25.00,
      "periodicity": "monthly",
      "startDate": "2026-01-01",
      "endDate": null,
      "operations": [
        { "rel": "update-recurring-product", "method": "PUT", "href": "/x" },
        { "rel": "delete-recurring-product", "method": "DELETE", "href": "/x" }
      ],
      "someFutureField": { "ignored": true }
    }"#;

    #[test]
    fn parses_the_documented_customer() {
        let c: Customer = serde_json::from_str(DOCUMENTED_CUSTOMER).unwrap();
        assert_eq!(c.customer_no, "15615616");
        assert_eq!(c.subscriptions.unwrap().as_str(), "/billing/customer/v1/xxx/customers/15615616/subscriptions");
        let add = crate::links::find_operation(&c.operations, crate::OperationRel::AddRecurringProduct).unwrap();
        assert_eq!(add.method, "POST");
        assert!(add.href.as_str().ends_with("/recurring-products"));
    }

    #[test]
    fn null_reads_as_absent_and_unknown_values_are_harmless() {
        let s: Subscription = serde_json::from_str(
            r#"{ "@id": null, "subscriptionNo": 46701234567, "description": null, "startDate": null,
                 "endDate": null, "recurringProducts": null, "operations": null, "future": [1] }"#,
        )
        .unwrap();
        assert_eq!(s.subscription_no, "46701234567", "a numeric identifier reads as its text");
        assert_eq!((s.description, s.start_date, s.recurring_products), (None, None, None));
        assert!(s.id.is_empty() && s.operations.is_empty());
        for value in ["null", "12", "\"BiWeekly\"", "{}"] {
            let json = CONTRACT_RECURRING_PRODUCT.replace("\"monthly\"", value);
            let p: RecurringProduct = serde_json::from_str(&json).unwrap();
            assert_eq!(p.periodicity, Periodicity::Unknown, "{value}");
        }
        let json =
            CONTRACT_RECURRING_PRODUCT.replace("\"monthly\"", "\"Quarterly\"").replace("\"Mobile 5 GB\"", "null");
        let p: RecurringProduct = serde_json::from_str(&json).unwrap();
        assert_eq!((p.periodicity, p.description.as_str()), (Periodicity::Quarterly, ""));
        assert!(
            serde_json::from_str::<Subscription>(r#"{ "subscriptionNo": null }"#).is_err(),
            "a subscription needs its number"
        );
    }

    #[test]
    fn parses_the_contract_recurring_product_and_ignores_unknown_fields() {
        let p: RecurringProduct = serde_json::from_str(CONTRACT_RECURRING_PRODUCT).unwrap();
        assert_eq!(p.unit_price, Decimal::from(199));
        assert_eq!(p.vat_rate, Decimal::from(25));
        assert_eq!(p.periodicity, Periodicity::Monthly);
        assert_eq!(p.end_date, None);
        assert_eq!(p.operations.len(), 2);
    }

    #[test]
    fn an_unknown_periodicity_is_shown_not_fatal() {
        let json = CONTRACT_RECURRING_PRODUCT.replace("\"monthly\"", "\"biweekly\"");
        let p: RecurringProduct = serde_json::from_str(&json).unwrap();
        assert_eq!(p.periodicity, Periodicity::Unknown);
    }

    #[test]
    fn input_serializes_to_the_contract_field_names() {
        let p: RecurringProduct = serde_json::from_str(CONTRACT_RECURRING_PRODUCT).unwrap();
        let json = serde_json::to_value(p.to_input()).unwrap();
        let keys: Vec<&str> = json.as_object().unwrap().keys().map(|k| k.as_str()).collect();
        assert_eq!(keys.len(), 8);
        for k in ["productNo", "description", "quantity", "unitPrice", "vatRate", "periodicity", "startDate", "endDate"]
        {
            assert!(keys.contains(&k), "missing {k}");
        }
        assert_eq!(json["unitPrice"], serde_json::json!(199.0));
    }
}
