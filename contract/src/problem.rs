//! `application/problem+json` errors \[doc\].
//!
//! PayEx's ledger samples use PascalCase keys (`Type`, `Title`, `Status`, `Instance`, `Detail`,
//! `Problems: [{ "<field path>": "<message>" }]`); RFC 7807 uses lower case. Both are read.

use serde::de::{Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The media type of a problem.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// A problem an API answered with.
///
/// Read leniently, so its title and instance id are never lost: every member may be absent,
/// `null` or of another JSON type than RFC 7807 says (`"Status": "400"`, a numeric instance);
/// text members read numbers as their text, and field problems that are not one-entry objects
/// are dropped.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// Type code, e.g. `billing/customer/problems/validation`.
    #[serde(
        rename = "type",
        alias = "Type",
        default,
        deserialize_with = "crate::tolerant::optional_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub problem_type: Option<String>,
    /// Short summary.
    #[serde(alias = "Title", default, deserialize_with = "crate::tolerant::text")]
    pub title: String,
    /// HTTP status, as the body says; a client trusts the response's own status over it.
    #[serde(alias = "Status", default, deserialize_with = "lenient_status", skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// What went wrong in this case.
    #[serde(
        alias = "Detail",
        default,
        deserialize_with = "crate::tolerant::optional_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub detail: Option<String>,
    /// The id support asks for.
    #[serde(
        alias = "Instance",
        default,
        deserialize_with = "crate::tolerant::optional_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub instance: Option<String>,
    /// Field-level problems, for validation failures.
    #[serde(
        alias = "Problems",
        default,
        deserialize_with = "lenient_field_problems",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub problems: Vec<FieldProblem>,
}

/// A status as a number or numeric text; anything else reads as none.
fn lenient_status<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<u16>, D::Error> {
    let text = crate::tolerant::AnyText::deserialize(deserializer)?.0;
    Ok(text.and_then(|t| t.trim().parse::<u16>().ok()).filter(|s| (100..=599).contains(s)))
}

/// A list of one-entry objects; `null`, another type, or an entry of another shape is dropped.
fn lenient_field_problems<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<FieldProblem>, D::Error> {
    struct ListVisitor;
    impl<'de> Visitor<'de> for ListVisitor {
        type Value = Vec<FieldProblem>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a list of field problems")
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut problems = Vec::new();
            while let Some(entry) = seq.next_element::<MaybeFieldProblem>()? {
                problems.extend(entry.0);
            }
            Ok(problems)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            // `{ "unitPrice": "…", "vatRate": "…" }`: one object for all fields.
            let mut problems = Vec::new();
            while let Some((field, message)) = map.next_entry::<String, crate::tolerant::AnyText>()? {
                problems.push(FieldProblem { field, message: message.0.unwrap_or_default() });
            }
            Ok(problems)
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_none<E>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
    }
    deserializer.deserialize_any(ListVisitor)
}

/// A field problem, or nothing where an entry has another shape.
struct MaybeFieldProblem(Option<FieldProblem>);

impl<'de> Deserialize<'de> for MaybeFieldProblem {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<MaybeFieldProblem, D::Error> {
        struct EntryVisitor;
        impl<'de> Visitor<'de> for EntryVisitor {
            type Value = MaybeFieldProblem;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a field problem")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<MaybeFieldProblem, A::Error> {
                FieldVisitor.visit_map(map).map(|p| MaybeFieldProblem(Some(p))).or(Ok(MaybeFieldProblem(None)))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<MaybeFieldProblem, A::Error> {
                while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
                Ok(MaybeFieldProblem(None))
            }
            fn visit_str<E>(self, _: &str) -> Result<MaybeFieldProblem, E> {
                Ok(MaybeFieldProblem(None))
            }
            fn visit_i64<E>(self, _: i64) -> Result<MaybeFieldProblem, E> {
                Ok(MaybeFieldProblem(None))
            }
            fn visit_u64<E>(self, _: u64) -> Result<MaybeFieldProblem, E> {
                Ok(MaybeFieldProblem(None))
            }
            fn visit_f64<E>(self, _: f64) -> Result<MaybeFieldProblem, E> {
                Ok(MaybeFieldProblem(None))
            }
            fn visit_bool<E>(self, _: bool) -> Result<MaybeFieldProblem, E> {
                Ok(MaybeFieldProblem(None))
            }
            fn visit_unit<E>(self) -> Result<MaybeFieldProblem, E> {
                Ok(MaybeFieldProblem(None))
            }
        }
        deserializer.deserialize_any(EntryVisitor)
    }
}

/// One field's problem: `{ "<field path>": "<message>" }` on the wire.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldProblem {
    /// The field path, e.g. `unitPrice`.
    pub field: String,
    /// What is wrong with it.
    pub message: String,
}

impl FieldProblem {
    /// A problem with `field`.
    pub fn new(field: &str, message: &str) -> FieldProblem {
        FieldProblem { field: field.into(), message: message.into() }
    }
}

impl Serialize for FieldProblem {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry(&self.field, &self.message)?;
        map.end()
    }
}

/// Reads `{ "<field path>": <message> }`; a message of any JSON type is kept as its text.
struct FieldVisitor;

impl<'de> Visitor<'de> for FieldVisitor {
    type Value = FieldProblem;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object of one field path and its message")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<FieldProblem, A::Error> {
        let mut found: Option<FieldProblem> = None;
        while let Some((field, message)) = map.next_entry::<String, crate::tolerant::AnyText>()? {
            found.get_or_insert(FieldProblem { field, message: message.0.unwrap_or_default() });
        }
        found.ok_or_else(|| serde::de::Error::custom("empty field problem"))
    }
}

impl<'de> Deserialize<'de> for FieldProblem {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<FieldProblem, D::Error> {
        deserializer.deserialize_map(FieldVisitor)
    }
}

/// The problem types of the two APIs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProblemType {
    /// \[doc\] 400: a parameter or field failed validation.
    CustomerValidation,
    /// \[doc\] 404: no such customer.
    CustomerNotFound,
    /// \[doc\] 404: no such subscription on that customer.
    SubscriptionNotFound,
    /// \[assumed\] 404: no such recurring product.
    RecurringProductNotFound,
    /// \[assumed\] 409: the customer or subscription exists already.
    CustomerConflict,
    /// \[assumed\] 401: missing or wrong token, or an `ownerNo` the token is not for.
    CustomerUnauthorized,
    /// \[doc\] 400 on the invoice API.
    InvoiceValidation,
    /// \[doc\] 404: no such invoice.
    InvoiceNotFound,
    /// \[assumed\] 401 on the invoice API.
    InvoiceUnauthorized,
    /// \[assumed\] 404: no such subscription on that invoice.
    InvoiceSubscriptionNotFound,
    /// \[assumed\] 404: no such charge (recurring product line) on that invoice or subscription.
    InvoiceLineNotFound,
    /// \[assumed\] 404: no resource at this path in either API.
    RouteNotFound,
    /// \[assumed\] 405: the resource exists but does not allow this method.
    MethodNotAllowed,
}

impl ProblemType {
    /// The type code on the wire.
    pub fn code(self) -> &'static str {
        match self {
            ProblemType::CustomerValidation => "billing/customer/problems/validation",
            ProblemType::CustomerNotFound => "billing/customer/problems/customer-not-found",
            ProblemType::SubscriptionNotFound => "billing/customer/problems/subscription-not-found",
            ProblemType::RecurringProductNotFound => "billing/customer/problems/recurring-product-not-found",
            ProblemType::CustomerConflict => "billing/customer/problems/conflict",
            ProblemType::CustomerUnauthorized => "billing/customer/problems/unauthorized",
            ProblemType::InvoiceValidation => "billing/invoice/problems/validation",
            ProblemType::InvoiceNotFound => "billing/invoice/problems/invoice-not-found",
            ProblemType::InvoiceUnauthorized => "billing/invoice/problems/unauthorized",
            ProblemType::InvoiceSubscriptionNotFound => "billing/invoice/problems/subscription-not-found",
            ProblemType::InvoiceLineNotFound => "billing/invoice/problems/recurring-product-not-found",
            ProblemType::RouteNotFound => "billing/problems/not-found",
            ProblemType::MethodNotAllowed => "billing/problems/method-not-allowed",
        }
    }

    /// The HTTP status answered with this type.
    pub fn status(self) -> u16 {
        match self {
            ProblemType::CustomerValidation | ProblemType::InvoiceValidation => 400,
            ProblemType::CustomerUnauthorized | ProblemType::InvoiceUnauthorized => 401,
            ProblemType::CustomerConflict => 409,
            ProblemType::MethodNotAllowed => 405,
            _ => 404,
        }
    }

    /// The usual title.
    pub fn title(self) -> &'static str {
        match self {
            ProblemType::CustomerValidation | ProblemType::InvoiceValidation => "Validation failed",
            ProblemType::CustomerNotFound => "Customer not found",
            ProblemType::SubscriptionNotFound => "Subscription not found",
            ProblemType::RecurringProductNotFound => "Recurring product not found",
            ProblemType::CustomerConflict => "Already exists",
            ProblemType::CustomerUnauthorized | ProblemType::InvoiceUnauthorized => "Unauthorized",
            ProblemType::InvoiceNotFound => "Invoice not found",
            ProblemType::InvoiceSubscriptionNotFound => "Subscription not on invoice",
            ProblemType::InvoiceLineNotFound => "Invoice line not found",
            ProblemType::RouteNotFound => "Not found",
            ProblemType::MethodNotAllowed => "Method not allowed",
        }
    }

    /// A problem of this type.
    pub fn problem(self, detail: impl Into<String>, instance: impl Into<String>) -> Problem {
        Problem {
            problem_type: Some(self.code().into()),
            title: self.title().into(),
            status: Some(self.status()),
            detail: Some(detail.into()),
            instance: Some(instance.into()),
            problems: Vec::new(),
        }
    }
}

impl Problem {
    /// True if this problem has the given type.
    pub fn is(&self, t: ProblemType) -> bool {
        self.problem_type.as_deref() == Some(t.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_rfc7807_lower_case() {
        let p: Problem = serde_json::from_str(
            r#"{
          "type": "billing/customer/problems/validation", "title": "Validation failed",
          "status": 400, "detail": "2 fields are invalid", "instance": "9f1c-42",
          "problems": [{ "unitPrice": "must be a number" }, { "vatRate": "must be one of 0, 6, 12, 25" }]
        }"#,
        )
        .unwrap();
        assert!(p.is(ProblemType::CustomerValidation));
        assert_eq!(p.instance.as_deref(), Some("9f1c-42"));
        assert_eq!(
            p.problems,
            vec![
                FieldProblem::new("unitPrice", "must be a number"),
                FieldProblem::new("vatRate", "must be one of 0, 6, 12, 25")
            ]
        );
    }

    #[test]
    fn reads_payex_pascal_case() {
        let p: Problem = serde_json::from_str(
            r#"{
          "Type": "billing/invoice/problems/invoice-not-found", "Title": "Invoice not found",
          "Status": 404, "Instance": "abc-123", "Detail": "Invoice 1 does not exist",
          "Problems": [{ "invoiceNo": "unknown" }]
        }"#,
        )
        .unwrap();
        assert!(p.is(ProblemType::InvoiceNotFound));
        assert_eq!(p.title, "Invoice not found");
        assert_eq!(p.status, Some(404));
        assert_eq!(p.detail.as_deref(), Some("Invoice 1 does not exist"));
        assert_eq!(p.problems[0].field, "invoiceNo");
    }

    #[test]
    fn reads_any_shape_without_losing_title_or_instance() {
        let p: Problem = serde_json::from_str(
            r#"{ "Type": "billing/customer/problems/validation", "Title": "Validation failed", "Status": "400",
                 "Detail": null, "Instance": 12345, "extra": {"a": [1]},
                 "Problems": [{ "unitPrice": 3 }, { "vatRate": { "allowed": [25] } }, "loose", null, { "endDate": null }] }"#,
        )
        .unwrap();
        assert_eq!(p.title, "Validation failed");
        assert_eq!(p.status, Some(400));
        assert_eq!(p.instance.as_deref(), Some("12345"));
        assert_eq!(p.detail, None);
        let fields: Vec<(&str, &str)> = p.problems.iter().map(|f| (f.field.as_str(), f.message.as_str())).collect();
        assert_eq!(fields, [("unitPrice", "3"), ("vatRate", ""), ("endDate", "")]);
        let map_form: Problem =
            serde_json::from_str(r#"{ "title": "x", "status": "nope", "problems": { "a": "b" } }"#).unwrap();
        assert_eq!(map_form.status, None);
        assert_eq!(map_form.problems, vec![FieldProblem::new("a", "b")]);
    }

    #[test]
    fn writes_field_problems_as_single_key_objects() {
        let mut p = ProblemType::CustomerValidation.problem("1 field is invalid", "i-1");
        p.problems.push(FieldProblem::new("quantity", "must be greater than 0"));
        let json = serde_json::to_value(&p).unwrap();
        assert_eq!(json["problems"][0]["quantity"], "must be greater than 0");
        assert_eq!(json["type"], "billing/customer/problems/validation");
        assert_eq!(json["status"], 400);
    }
}
