//! `application/problem+json` errors [doc].
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
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// Type code, e.g. `billing/customer/problems/validation`.
    #[serde(rename = "type", alias = "Type", default, skip_serializing_if = "Option::is_none")]
    pub problem_type: Option<String>,
    /// Short summary.
    #[serde(alias = "Title", default)]
    pub title: String,
    /// HTTP status.
    #[serde(alias = "Status", default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// What went wrong in this case.
    #[serde(alias = "Detail", default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The id support asks for.
    #[serde(alias = "Instance", default, skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
    /// Field-level problems, for validation failures.
    #[serde(alias = "Problems", default, skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<FieldProblem>,
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

impl<'de> Deserialize<'de> for FieldProblem {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<FieldProblem, D::Error> {
        struct FieldVisitor;
        impl<'de> Visitor<'de> for FieldVisitor {
            type Value = FieldProblem;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object of one field path and its message")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<FieldProblem, A::Error> {
                let mut found: Option<FieldProblem> = None;
                while let Some((field, message)) = map.next_entry::<String, serde_json_value::Loose>()? {
                    found.get_or_insert(FieldProblem { field, message: message.0 });
                }
                found.ok_or_else(|| serde::de::Error::custom("empty field problem"))
            }
        }
        deserializer.deserialize_map(FieldVisitor)
    }
}

/// A message that may arrive as a string, or as anything else (kept as text).
mod serde_json_value {
    use serde::de::{Deserializer, Visitor};
    use std::fmt;

    pub struct Loose(pub String);

    impl<'de> serde::Deserialize<'de> for Loose {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Loose, D::Error> {
            struct V;
            impl Visitor<'_> for V {
                type Value = Loose;
                fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                    f.write_str("a message")
                }
                fn visit_str<E>(self, v: &str) -> Result<Loose, E> {
                    Ok(Loose(v.to_owned()))
                }
                fn visit_i64<E>(self, v: i64) -> Result<Loose, E> {
                    Ok(Loose(v.to_string()))
                }
                fn visit_u64<E>(self, v: u64) -> Result<Loose, E> {
                    Ok(Loose(v.to_string()))
                }
                fn visit_bool<E>(self, v: bool) -> Result<Loose, E> {
                    Ok(Loose(v.to_string()))
                }
                fn visit_unit<E>(self) -> Result<Loose, E> {
                    Ok(Loose(String::new()))
                }
            }
            d.deserialize_any(V)
        }
    }
}

/// The problem types of the two APIs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProblemType {
    /// [doc] 400: a parameter or field failed validation.
    CustomerValidation,
    /// [doc] 404: no such customer.
    CustomerNotFound,
    /// [doc] 404: no such subscription on that customer.
    SubscriptionNotFound,
    /// [assumed] 404: no such recurring product.
    RecurringProductNotFound,
    /// [assumed] 409: the customer or subscription exists already.
    CustomerConflict,
    /// [assumed] 401: missing or wrong token, or an `ownerNo` the token is not for.
    CustomerUnauthorized,
    /// [doc] 400 on the invoice API.
    InvoiceValidation,
    /// [doc] 404: no such invoice.
    InvoiceNotFound,
    /// [assumed] 401 on the invoice API.
    InvoiceUnauthorized,
    /// [assumed] 404: no such subscription on that invoice.
    InvoiceSubscriptionNotFound,
    /// [assumed] 404: no such charge (recurring product line) on that invoice or subscription.
    InvoiceLineNotFound,
    /// [assumed] 404: no resource at this path in either API.
    RouteNotFound,
    /// [assumed] 405: the resource exists but does not allow this method.
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
    fn writes_field_problems_as_single_key_objects() {
        let mut p = ProblemType::CustomerValidation.problem("1 field is invalid", "i-1");
        p.problems.push(FieldProblem::new("quantity", "must be greater than 0"));
        let json = serde_json::to_value(&p).unwrap();
        assert_eq!(json["problems"][0]["quantity"], "must be greater than 0");
        assert_eq!(json["type"], "billing/customer/problems/validation");
        assert_eq!(json["status"], 400);
    }
}
