//! Write bodies are the contract's inputs: a `POST` or `PUT` body is decoded into the contract's
//! input type for its route ([`CustomerInput`], [`SubscriptionInput`],
//! [`RecurringProductInput`]) and the JSON forwarded is written again from that typed value.
//!
//! So a field the contract does not have (`customerNo` on a recurring product, `@id`,
//! `recurringProductNo`), a field given twice (also when spelt with escapes, `"quantit\u0079"`),
//! a value of the wrong type, or an unknown periodicity is refused with a 400 problem naming the
//! field, and nothing of the browser's own spelling (key order, whitespace, duplicates, number
//! formats) reaches PayEx. Amounts are read exactly ([`billing_contract::money::number`]) and
//! written as the decimal's own text, never through a float.
//!
//! The contract's input types stay as they are (the sandbox reads with them, the widget writes
//! with them): the strictness is here, field by field, so the widget's tolerant reading of PayEx's
//! answers is not touched. Business rules (description length, `quantity > 0`, the ledger's VAT
//! rates, `endDate >= startDate`) are PayEx's to enforce and are not repeated here; identifiers
//! are checked against the contract's pattern, as the route's identifiers are.

use crate::error::ProxyError;
use crate::route::RouteKind;
use axum::body::Bytes;
use axum::http::Method;
use billing_contract::ids::IdKind;
use billing_contract::money::{self, Decimal};
use billing_contract::problem::FieldProblem;
use billing_contract::{CustomerInput, Date, Periodicity, RecurringProductInput, SubscriptionInput};
use serde::de::{DeserializeOwned, Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::collections::HashSet;
use std::fmt;

/// Field problems reported at most for one body (the detail stays short).
const MAX_PROBLEMS: usize = 10;
/// Longest field name echoed in a problem.
const MAX_SHOWN_NAME: usize = 40;

/// A write body as the contract's input for its route.
#[derive(Clone, Debug, PartialEq)]
pub enum WriteBody {
    /// `POST …/customers` \[doc\].
    Customer(CustomerInput),
    /// `POST …/customers/{customerNo}/subscriptions` \[assumed\].
    Subscription(SubscriptionInput),
    /// `POST …/recurring-products` and `PUT …/recurring-products/{recurringProductNo}` \[assumed\].
    RecurringProduct(RecurringProductInput),
}

/// Why a write body is refused (400): each field that is unknown, given twice, missing or
/// unreadable, with what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BodyRefusal {
    /// The fields and what is wrong with each (empty when the body is not a JSON object).
    pub problems: Vec<FieldProblem>,
}

impl fmt::Display for BodyRefusal {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        if self.problems.is_empty() {
            return f.write_str("The change must be a JSON object.");
        }
        f.write_str("The change is not what the contract describes: ")?;
        for (index, problem) in self.problems.iter().enumerate() {
            let separator = if index == 0 { "" } else { "; " };
            write!(f, "{separator}`{}` {}", problem.field, problem.message)?;
        }
        f.write_str(".")
    }
}

impl std::error::Error for BodyRefusal {}

/// The input type a write route takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum InputKind {
    Customer,
    Subscription,
    RecurringProduct,
}

impl InputKind {
    /// The input `kind` takes with `method`, if it takes a body.
    fn of(kind: RouteKind, method: &Method) -> Option<InputKind> {
        match (kind, method) {
            (RouteKind::Customers, &Method::POST) => Some(InputKind::Customer),
            (RouteKind::Subscriptions, &Method::POST) => Some(InputKind::Subscription),
            (RouteKind::CustomerProducts | RouteKind::SubscriptionProducts, &Method::POST)
            | (RouteKind::CustomerProduct | RouteKind::SubscriptionProduct, &Method::PUT) => {
                Some(InputKind::RecurringProduct)
            }
            _ => None,
        }
    }

    /// The contract's field names of this input, in the order they are written.
    fn fields(self) -> &'static [&'static str] {
        match self {
            InputKind::Customer => &["customerNo"],
            InputKind::Subscription => &["subscriptionNo", "description", "startDate"],
            InputKind::RecurringProduct => {
                &["productNo", "description", "quantity", "unitPrice", "vatRate", "periodicity", "startDate", "endDate"]
            }
        }
    }
}

/// The body forwarded for a write: for a `POST` or `PUT`, `body` decoded as its route's contract
/// input and written again from the typed value; any other request's (empty) body unchanged.
/// `check_body` has already seen that a write's body is declared and parses as JSON.
pub fn canonical(kind: RouteKind, method: &Method, body: Bytes) -> Result<Bytes, ProxyError> {
    if !(*method == Method::POST || *method == Method::PUT) {
        return Ok(body);
    }
    let input = InputKind::of(kind, method).ok_or(ProxyError::UnexpectedBody)?;
    let decoded = decode(input, &body).map_err(ProxyError::InvalidBody)?;
    decoded.to_json().map(Bytes::from).map_err(|_| ProxyError::InvalidBody(BodyRefusal { problems: Vec::new() }))
}

/// Decodes `body` as `input`, refusing unknown and repeated fields.
fn decode(input: InputKind, body: &[u8]) -> Result<WriteBody, BodyRefusal> {
    let object: Object = serde_json::from_slice(body).map_err(|_| BodyRefusal { problems: Vec::new() })?;
    let allowed = input.fields();
    let mut problems = Vec::new();
    let mut seen = HashSet::new();
    for (name, _) in &object.0 {
        if !seen.insert(name.as_str()) {
            problems.push(FieldProblem::new(&shown(name), "is given more than once"));
        } else if !allowed.contains(&name.as_str()) {
            problems.push(FieldProblem::new(&shown(name), "is not a field of this change"));
        }
    }
    if !problems.is_empty() {
        problems.truncate(MAX_PROBLEMS);
        return Err(BodyRefusal { problems });
    }
    let mut reader = Reader { object: &object, problems: Vec::new() };
    let decoded = match input {
        InputKind::Customer => reader.customer().map(WriteBody::Customer),
        InputKind::Subscription => reader.subscription().map(WriteBody::Subscription),
        InputKind::RecurringProduct => reader.recurring_product().map(WriteBody::RecurringProduct),
    };
    match decoded {
        Some(decoded) if reader.problems.is_empty() => Ok(decoded),
        _ => {
            let mut problems = reader.problems;
            problems.truncate(MAX_PROBLEMS);
            Err(BodyRefusal { problems })
        }
    }
}

/// A field name fit to echo in a problem: printable, short.
fn shown(name: &str) -> String {
    name.chars().filter(|c| c.is_ascii_graphic() && *c != '`').take(MAX_SHOWN_NAME).collect()
}

/// A JSON object's members in document order, each value's text kept as sent; repeated keys
/// are kept too (serde_json has already unescaped every key, so `"a\u0062"` is `ab`).
struct Object(Vec<(String, Box<RawValue>)>);

impl<'de> Deserialize<'de> for Object {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Object, D::Error> {
        struct ObjectVisitor;
        impl<'de> Visitor<'de> for ObjectVisitor {
            type Value = Object;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Object, A::Error> {
                let mut members = Vec::new();
                while let Some(entry) = map.next_entry::<String, Box<RawValue>>()? {
                    members.push(entry);
                }
                Ok(Object(members))
            }
        }
        deserializer.deserialize_map(ObjectVisitor)
    }
}

/// Reads an object (pub(crate) for the invoice-list filter, which must see repeated keys too).
pub(crate) fn object_members(json: &[u8]) -> Option<Vec<(String, Box<RawValue>)>> {
    serde_json::from_slice::<Object>(json).ok().map(|object| object.0)
}

/// A decimal read exactly from its JSON number (or numeric string).
#[derive(Deserialize)]
struct Money(#[serde(with = "money::number")] Decimal);

const MUST_BE_TEXT: &str = "must be a string";
const MUST_BE_NUMBER: &str = "must be a number (at most 10^15 in magnitude)";
const MUST_BE_DATE: &str = "must be a date of the form YYYY-MM-DD";
const MUST_BE_PERIODICITY: &str = "must be monthly, quarterly, semiannually or yearly";
const REQUIRED: &str = "is required";

/// Reads the fields of one object, collecting a problem for each that cannot be read.
struct Reader<'a> {
    object: &'a Object,
    problems: Vec<FieldProblem>,
}

impl Reader<'_> {
    /// The field's value, `None` when absent or `null`.
    fn raw(&self, name: &str) -> Option<&RawValue> {
        let (_, value) = self.object.0.iter().find(|(field, _)| field == name)?;
        (value.get().trim() != "null").then_some(&**value)
    }

    /// A field that may be absent or `null`.
    fn optional<T: DeserializeOwned>(&mut self, name: &'static str, expected: &'static str) -> Option<Option<T>> {
        let Some(raw) = self.raw(name) else { return Some(None) };
        match serde_json::from_str::<T>(raw.get()) {
            Ok(value) => Some(Some(value)),
            Err(_) => {
                self.problems.push(FieldProblem::new(name, expected));
                None
            }
        }
    }

    /// A field that must be given.
    fn required<T: DeserializeOwned>(&mut self, name: &'static str, expected: &'static str) -> Option<T> {
        match self.optional(name, expected)? {
            Some(value) => Some(value),
            None => {
                self.problems.push(FieldProblem::new(name, REQUIRED));
                None
            }
        }
    }

    /// An identifier of `kind`, checked against the contract's pattern.
    fn identifier(&mut self, kind: IdKind) -> Option<String> {
        let id: String = self.required(kind.field(), MUST_BE_TEXT)?;
        match kind.validate(&id) {
            Ok(()) => Some(id),
            Err(err) => {
                self.problems.push(FieldProblem::new(kind.field(), &err.to_string()));
                None
            }
        }
    }

    fn money(&mut self, name: &'static str) -> Option<Decimal> {
        self.required::<Money>(name, MUST_BE_NUMBER).map(|money| money.0)
    }

    /// A periodicity billing knows (the contract reads any other value as `Unknown`, which is
    /// shown, never sent).
    fn periodicity(&mut self) -> Option<Periodicity> {
        match self.required::<Periodicity>("periodicity", MUST_BE_PERIODICITY)? {
            Periodicity::Unknown => {
                self.problems.push(FieldProblem::new("periodicity", MUST_BE_PERIODICITY));
                None
            }
            known => Some(known),
        }
    }

    fn customer(&mut self) -> Option<CustomerInput> {
        let customer_no = self.identifier(IdKind::Customer);
        Some(CustomerInput { customer_no: customer_no? })
    }

    fn subscription(&mut self) -> Option<SubscriptionInput> {
        let subscription_no = self.identifier(IdKind::Subscription);
        let description = self.optional::<String>("description", MUST_BE_TEXT);
        let start_date = self.optional::<Date>("startDate", MUST_BE_DATE);
        Some(SubscriptionInput {
            subscription_no: subscription_no?,
            description: description?,
            start_date: start_date?,
        })
    }

    fn recurring_product(&mut self) -> Option<RecurringProductInput> {
        let product_no = self.required::<String>("productNo", MUST_BE_TEXT);
        let description = self.required::<String>("description", MUST_BE_TEXT);
        let quantity = self.money("quantity");
        let unit_price = self.money("unitPrice");
        let vat_rate = self.money("vatRate");
        let periodicity = self.periodicity();
        let start_date = self.required::<Date>("startDate", MUST_BE_DATE);
        let end_date = self.optional::<Date>("endDate", MUST_BE_DATE);
        Some(RecurringProductInput {
            product_no: product_no?,
            description: description?,
            quantity: quantity?,
            unit_price: unit_price?,
            vat_rate: vat_rate?,
            periodicity: periodicity?,
            start_date: start_date?,
            end_date: end_date?,
        })
    }
}

/// A decimal written as a JSON number with exactly its own digits (the contract's own writer
/// goes through the nearest double, which keeps 15 significant digits, not all 28).
struct Exact<'a>(&'a Decimal);

impl Serialize for Exact<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // `Decimal`'s text is `-?digits(.digits)?`: a JSON number as it stands.
        let raw = RawValue::from_string(self.0.to_string()).map_err(serde::ser::Error::custom)?;
        raw.serialize(serializer)
    }
}

impl WriteBody {
    /// The JSON forwarded: the contract's field names in the contract's order, optional
    /// subscription fields left out when absent, `endDate` always written (`null` for none),
    /// amounts with their exact digits.
    pub fn to_json(&self) -> Result<Vec<u8>, serde_json::Error> {
        let mut out = Vec::with_capacity(256);
        let mut serializer = serde_json::Serializer::new(&mut out);
        match self {
            WriteBody::Customer(input) => {
                let mut map = serializer.serialize_map(Some(1))?;
                map.serialize_entry("customerNo", &input.customer_no)?;
                map.end()?;
            }
            WriteBody::Subscription(input) => {
                let mut map = serializer.serialize_map(None)?;
                map.serialize_entry("subscriptionNo", &input.subscription_no)?;
                if let Some(description) = &input.description {
                    map.serialize_entry("description", description)?;
                }
                if let Some(start_date) = &input.start_date {
                    map.serialize_entry("startDate", start_date)?;
                }
                map.end()?;
            }
            WriteBody::RecurringProduct(input) => {
                let mut map = serializer.serialize_map(Some(8))?;
                map.serialize_entry("productNo", &input.product_no)?;
                map.serialize_entry("description", &input.description)?;
                map.serialize_entry("quantity", &Exact(&input.quantity))?;
                map.serialize_entry("unitPrice", &Exact(&input.unit_price))?;
                map.serialize_entry("vatRate", &Exact(&input.vat_rate))?;
                map.serialize_entry("periodicity", input.periodicity.as_str())?;
                map.serialize_entry("startDate", &input.start_date)?;
                map.serialize_entry("endDate", &input.end_date)?;
                map.end()?;
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    const PRODUCT: &str = r#"{"productNo":"MOB-5GB","description":"Mobile 5 GB","quantity":1,"unitPrice":199.5,"vatRate":25,"periodicity":"monthly","startDate":"2026-01-01","endDate":null}"#;

    fn product(body: &str) -> Result<String, BodyRefusal> {
        let decoded = decode(InputKind::RecurringProduct, body.as_bytes())?;
        Ok(String::from_utf8(decoded.to_json().unwrap()).unwrap())
    }

    fn fields(refusal: BodyRefusal) -> Vec<(String, String)> {
        refusal.problems.into_iter().map(|p| (p.field, p.message)).collect()
    }

    #[test]
    fn serde_derive_refuses_a_repeated_struct_field_but_a_map_keeps_the_last() {
        // What this module does not rely on, checked so that the reasoning above stays true:
        // a derived struct refuses `duplicate field`, a map silently keeps the last value.
        #[derive(Deserialize, Debug)]
        #[allow(dead_code)]
        struct Strict {
            quantity: u32,
        }
        let twice = r#"{"quantity":1,"quantity":5}"#;
        assert!(serde_json::from_str::<Strict>(twice).unwrap_err().to_string().contains("duplicate field"));
        let map: std::collections::HashMap<String, u32> = serde_json::from_str(twice).unwrap();
        assert_eq!(map["quantity"], 5);
        // The contract's input is a derived struct, so it refuses too; its unknown fields pass.
        let json = PRODUCT.replace(r#""quantity":1"#, r#""quantity":1,"quantity":5"#);
        assert!(serde_json::from_str::<RecurringProductInput>(&json).is_err());
        let json = PRODUCT.replace(r#""quantity":1"#, r#""quantity":1,"customerNo":"5566778899""#);
        assert!(serde_json::from_str::<RecurringProductInput>(&json).is_ok(), "the contract type is tolerant");
    }

    #[test]
    fn a_valid_product_is_written_again_canonically() {
        let sent = r#" { "endDate" : null, "startDate":"2026-01-01", "periodicity":"Monthly", "vatRate":25.00,
            "unitPrice":199.50, "quantity":1, "description":"Mobile 5 GB", "productNo":"MOB-5GB" } "#;
        assert_eq!(product(sent).unwrap(), PRODUCT);
        // endDate absent is none, written as null (a PUT replaces the product).
        assert_eq!(product(&PRODUCT.replace(r#","endDate":null"#, "")).unwrap(), PRODUCT);
    }

    #[test]
    fn amounts_keep_every_digit() {
        for (sent, written) in [
            ("1234.5678", "1234.5678"),
            ("-0.07", "-0.07"),
            ("999999999999999.99", "999999999999999.99"),
            ("123456789012345.6789", "123456789012345.6789"),
            ("0.000001", "0.000001"),
            ("1.5e2", "150"),
            ("\"12.5\"", "12.5"),
        ] {
            let json = product(&PRODUCT.replace("199.5", sent)).unwrap();
            assert!(json.contains(&format!(r#""unitPrice":{written},"#)), "{sent}: {json}");
            let value: Money = serde_json::from_str(written).unwrap();
            let expected = Decimal::from_str(written).unwrap();
            assert_eq!(value.0, expected, "{sent} reads back as the same decimal");
        }
        let refused = product(&PRODUCT.replace("199.5", "1e16")).unwrap_err();
        assert_eq!(fields(refused), [("unitPrice".to_owned(), MUST_BE_NUMBER.to_owned())]);
    }

    #[test]
    fn unknown_and_repeated_fields_are_named() {
        let extra = PRODUCT.replace(r#""quantity":1"#, r#""quantity":1,"customerNo":"5566778899""#);
        assert_eq!(
            fields(product(&extra).unwrap_err()),
            [("customerNo".into(), "is not a field of this change".into())]
        );
        let twice = PRODUCT.replace(r#""quantity":1"#, r#""quantity":1,"quantity":500"#);
        assert_eq!(fields(product(&twice).unwrap_err()), [("quantity".into(), "is given more than once".into())]);
        let escaped = PRODUCT.replace(r#""quantity":1"#, r#""quantity":1,"quantit\u0079":500"#);
        assert_eq!(fields(product(&escaped).unwrap_err()), [("quantity".into(), "is given more than once".into())]);
        for extra in [r#""@id":"/x""#, r#""recurringProductNo":"1""#, r#""operations":[]"#] {
            let json = PRODUCT.replace(r#""quantity":1"#, &format!(r#""quantity":1,{extra}"#));
            assert!(product(&json).is_err(), "{extra}");
        }
    }

    #[test]
    fn missing_and_mistyped_fields_are_each_named() {
        let json =
            r#"{"productNo":7,"quantity":"ten","vatRate":null,"periodicity":"biweekly","startDate":"2026-02-30"}"#;
        let named: Vec<String> = product(json).unwrap_err().problems.into_iter().map(|p| p.field).collect();
        assert_eq!(named, ["productNo", "description", "quantity", "unitPrice", "vatRate", "periodicity", "startDate"]);
        assert!(decode(InputKind::RecurringProduct, b"[1]").unwrap_err().problems.is_empty());
    }

    #[test]
    fn subscriptions_and_customers_take_their_own_fields() {
        let decoded = decode(InputKind::Subscription, br#"{"startDate":null,"subscriptionNo":"46701234567"}"#).unwrap();
        assert_eq!(decoded.to_json().unwrap(), br#"{"subscriptionNo":"46701234567"}"#);
        let full = br#"{"subscriptionNo":"V\u00e4xel 1/A","description":"Mobil","startDate":"2026-03-01"}"#;
        let decoded = decode(InputKind::Subscription, full).unwrap();
        assert_eq!(
            String::from_utf8(decoded.to_json().unwrap()).unwrap(),
            r#"{"subscriptionNo":"Växel 1/A","description":"Mobil","startDate":"2026-03-01"}"#
        );
        assert!(decode(InputKind::Subscription, br#"{"subscriptionNo":"1","customerNo":"2"}"#).is_err());
        assert!(decode(InputKind::Subscription, br#"{"subscriptionNo":"a?b"}"#).is_err());
        let customer = decode(InputKind::Customer, br#"{"customerNo":"15615616"}"#).unwrap();
        assert_eq!(customer.to_json().unwrap(), br#"{"customerNo":"15615616"}"#);
        assert!(decode(InputKind::Customer, br#"{"customerNo":"1234567890123456"}"#).is_err());
        assert!(decode(InputKind::Customer, br#"{"customerNo":15615616}"#).is_err());
    }

    /// The fields written are the contract's, so a change of the contract's input types fails
    /// here rather than being dropped silently.
    #[test]
    fn the_written_fields_are_the_contracts() {
        let date = Date::new(2026, 1, 1).unwrap();
        let inputs = [
            WriteBody::Customer(CustomerInput { customer_no: "1".into() }),
            WriteBody::Subscription(SubscriptionInput {
                subscription_no: "1".into(),
                description: Some("x".into()),
                start_date: Some(date),
            }),
            WriteBody::RecurringProduct(RecurringProductInput {
                product_no: "x".into(),
                description: "x".into(),
                quantity: Decimal::ONE,
                unit_price: Decimal::new(-12345, 2),
                vat_rate: Decimal::from(25),
                periodicity: Periodicity::Yearly,
                start_date: date,
                end_date: Some(date),
            }),
        ];
        let kinds = [InputKind::Customer, InputKind::Subscription, InputKind::RecurringProduct];
        for (input, kind) in inputs.into_iter().zip(kinds) {
            let contract = match &input {
                WriteBody::Customer(i) => serde_json::to_string(i),
                WriteBody::Subscription(i) => serde_json::to_string(i),
                WriteBody::RecurringProduct(i) => serde_json::to_string(i),
            }
            .unwrap();
            assert_eq!(decode(kind, contract.as_bytes()).unwrap(), input, "the contract's writing passes as itself");
            let ours = String::from_utf8(input.to_json().unwrap()).unwrap();
            assert_eq!(decode(kind, ours.as_bytes()).unwrap(), input, "ours reads back as itself");
            let keys = |json: &str| {
                let mut keys: Vec<String> = serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(json)
                    .unwrap()
                    .keys()
                    .cloned()
                    .collect();
                keys.sort();
                keys
            };
            let mut expected: Vec<String> = kind.fields().iter().map(|f| (*f).to_owned()).collect();
            expected.sort();
            assert_eq!(keys(&contract), expected);
            assert_eq!(keys(&ours), expected);
        }
    }

    #[test]
    fn refusal_detail_names_each_field() {
        let refusal = BodyRefusal { problems: vec![FieldProblem::new("customerNo", "is not a field of this change")] };
        assert_eq!(
            refusal.to_string(),
            "The change is not what the contract describes: `customerNo` is not a field of this change."
        );
    }
}
