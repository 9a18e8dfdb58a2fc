//! Extractors that answer with problems instead of axum's plain-text rejections: path
//! identifiers checked against their kind, and JSON bodies checked field by field.

use crate::problem::{id_problem, Api, ProblemResponse};
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, RawPathParams, Request};
use axum::http::request::Parts;
use billing_contract::ids::IdKind;
use billing_contract::problem::FieldProblem;
use billing_contract::{CustomerInput, Date, Decimal, Periodicity, RecurringProductInput, SubscriptionInput};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};

/// The route parameter names and the identifier kind each carries. Route templates use these
/// names (`/customers/{customer}`); they are the sandbox's own, not wire names.
const PARAMS: [(&str, IdKind); 5] = [
    ("owner", IdKind::Owner),
    ("customer", IdKind::Customer),
    ("subscription", IdKind::Subscription),
    ("product", IdKind::RecurringProduct),
    ("invoice", IdKind::Invoice),
];

/// Path identifiers, percent-decoded exactly once (by axum) and checked against the contract's
/// pattern for their kind; a failing one answers 400 naming the parameter. The `ownerNo` is
/// checked by the authentication layer instead.
pub struct Ids<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for Ids<T> {
    type Rejection = ProblemResponse;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let api = Api::of_path(parts.uri.path());
        let raw = RawPathParams::from_request_parts(parts, state)
            .await
            .map_err(|e| ProblemResponse::malformed(api, e.body_text()))?;
        let problems: Vec<FieldProblem> = raw
            .iter()
            .filter_map(|(name, value)| {
                let kind = PARAMS.iter().find(|(param, _)| *param == name).map(|&(_, kind)| kind)?;
                let error = kind.validate(value).err().filter(|_| kind != IdKind::Owner)?;
                Some(id_problem(kind, &error))
            })
            .collect();
        if !problems.is_empty() {
            return Err(ProblemResponse::invalid(api, problems));
        }
        let Path(ids) = Path::<T>::from_request_parts(parts, state)
            .await
            .map_err(|e| ProblemResponse::malformed(api, e.body_text()))?;
        Ok(Ids(ids))
    }
}

/// A request body type with a complete example value, whose JSON shape tells the decoder
/// which fields exist and what type each has.
pub trait Sample: Serialize + DeserializeOwned {
    /// A valid value with every optional field present.
    fn sample() -> Self;
}

fn sample_date() -> Date {
    Date::new(2026, 1, 1).unwrap_or_else(|| unreachable!("2026-01-01 is a date"))
}

impl Sample for CustomerInput {
    fn sample() -> Self {
        CustomerInput { customer_no: "1".into() }
    }
}

impl Sample for SubscriptionInput {
    fn sample() -> Self {
        SubscriptionInput {
            subscription_no: "1".into(),
            description: Some("x".into()),
            start_date: Some(sample_date()),
        }
    }
}

impl Sample for RecurringProductInput {
    fn sample() -> Self {
        RecurringProductInput {
            product_no: "x".into(),
            description: "x".into(),
            quantity: Decimal::ONE,
            unit_price: Decimal::ONE,
            vat_rate: Decimal::ZERO,
            periodicity: Periodicity::Monthly,
            start_date: sample_date(),
            end_date: Some(sample_date()),
        }
    }
}

/// A JSON body decoded into `T`; any missing or mistyped field answers 400 naming each one.
pub struct Input<T>(pub T);

impl<S: Send + Sync, T: Sample> FromRequest<S> for Input<T> {
    type Rejection = ProblemResponse;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let api = Api::of_path(request.uri().path());
        let bytes =
            Bytes::from_request(request, state).await.map_err(|e| ProblemResponse::malformed(api, e.body_text()))?;
        decode(&bytes).map(Input).map_err(|e| match e {
            BodyError::Malformed(detail) => ProblemResponse::malformed(api, detail),
            BodyError::Fields(problems) => ProblemResponse::invalid(api, problems),
        })
    }
}

/// Why a body could not be decoded.
#[derive(Debug, PartialEq, Eq)]
pub enum BodyError {
    /// Not JSON, or not an object.
    Malformed(String),
    /// These fields are missing or of the wrong type.
    Fields(Vec<FieldProblem>),
}

/// Decodes a JSON object into `T`, naming every field that is missing or cannot be read. Each
/// field is tried on its own inside `T`'s sample, so one bad field never hides another.
pub fn decode<T: Sample>(bytes: &[u8]) -> Result<T, BodyError> {
    let body: Value =
        serde_json::from_slice(bytes).map_err(|e| BodyError::Malformed(format!("the body is not valid JSON: {e}")))?;
    let Value::Object(body) = body else {
        return Err(BodyError::Malformed("the body must be a JSON object".into()));
    };
    let template = match serde_json::to_value(T::sample()) {
        Ok(Value::Object(template)) => template,
        _ => return Err(BodyError::Malformed("this resource takes no JSON object".into())),
    };
    let problems: Vec<FieldProblem> = template
        .iter()
        .filter(|(field, _)| !field_reads::<T>(&template, field, body.get(*field)))
        .map(|(field, example)| FieldProblem::new(field, &expectation(example, body.get(field))))
        .collect();
    if !problems.is_empty() {
        return Err(BodyError::Fields(problems));
    }
    serde_json::from_value(Value::Object(body)).map_err(|e| BodyError::Malformed(e.to_string()))
}

/// True if `T`'s sample still decodes with `field` set to `given` (or left out).
fn field_reads<T: Sample>(template: &Map<String, Value>, field: &str, given: Option<&Value>) -> bool {
    let mut candidate = template.clone();
    match given {
        Some(value) => candidate.insert(field.to_owned(), value.clone()),
        None => candidate.remove(field),
    };
    serde_json::from_value::<T>(Value::Object(candidate)).is_ok()
}

/// What a field that failed to decode should have been, judged from the sample's value.
fn expectation(example: &Value, given: Option<&Value>) -> String {
    if matches!(given, None | Some(Value::Null)) {
        return "is required".into();
    }
    match example {
        Value::Number(_) => "must be a number".into(),
        Value::String(text) if text.parse::<Date>().is_ok() => "must be a date of the form YYYY-MM-DD".into(),
        Value::String(_) => "must be a string".into(),
        Value::Bool(_) => "must be true or false".into(),
        _ => "is not valid".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(result: Result<RecurringProductInput, BodyError>) -> Vec<(String, String)> {
        match result {
            Err(BodyError::Fields(problems)) => problems.into_iter().map(|p| (p.field, p.message)).collect(),
            other => panic!("expected field problems, got {other:?}"),
        }
    }

    #[test]
    fn samples_round_trip() {
        let json = serde_json::to_vec(&RecurringProductInput::sample()).unwrap();
        assert_eq!(decode::<RecurringProductInput>(&json).unwrap(), RecurringProductInput::sample());
        let json = serde_json::to_vec(&SubscriptionInput::sample()).unwrap();
        assert_eq!(decode::<SubscriptionInput>(&json).unwrap(), SubscriptionInput::sample());
    }

    #[test]
    fn names_each_missing_or_mistyped_field() {
        let body = br#"{"productNo":"P","quantity":1,"unitPrice":"abc","vatRate":25,"periodicity":"monthly","startDate":"2026-13-01"}"#;
        let mut problems = fields(decode(body));
        problems.sort();
        assert_eq!(
            problems,
            [
                ("description".to_string(), "is required".to_string()),
                ("startDate".to_string(), "must be a date of the form YYYY-MM-DD".to_string()),
                ("unitPrice".to_string(), "must be a number".to_string()),
            ]
        );
    }

    #[test]
    fn optional_fields_may_be_absent_or_null_and_numbers_may_be_strings() {
        let body = br#"{"productNo":"P","description":"d","quantity":"2","unitPrice":-5.5,"vatRate":6,"periodicity":"yearly","startDate":"2026-01-01","endDate":null,"extra":true}"#;
        let input: RecurringProductInput = decode(body).unwrap();
        assert_eq!(input.quantity, Decimal::from(2));
        assert_eq!(input.end_date, None);
        let input: SubscriptionInput = decode(br#"{"subscriptionNo":"467"}"#).unwrap();
        assert_eq!(input.description, None);
    }

    #[test]
    fn malformed_bodies_are_told_apart() {
        assert!(matches!(decode::<CustomerInput>(b"{"), Err(BodyError::Malformed(d)) if d.contains("not valid JSON")));
        assert!(matches!(decode::<CustomerInput>(b"[1]"), Err(BodyError::Malformed(d)) if d.contains("object")));
    }
}
