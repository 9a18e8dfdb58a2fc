//! How documented mode rewrites an answer: the middleware that takes each JSON answer or
//! problem after its route rendered it, and the rewrite of each kind of resource with the
//! variants of the demo data.

use super::target::Target;
use super::{
    extra_problems, unknown_fields, Variants, ABSOLUTE_ID_INVOICE, ANNA, BIWEEKLY_PRODUCT, ERIK, FOREIGN_ORIGIN,
    LOOP_INVOICE, NO_DESCRIPTION_LINE, NO_PERIOD_LINE, NULL_FIELDS_INVOICE, PROTOCOL_RELATIVE_ID_INVOICE, SOFIA,
    STUGAN, UNREADABLE_INVOICE, UNREADABLE_LINE,
};
use crate::{AppState, PRIVATE_CUSTOMER};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use billing_contract::problem::PROBLEM_JSON;
use serde_json::{json, Map, Value};

/// The request, as far as the rewrite needs it.
struct Asked {
    method: Method,
    path: String,
    query: Option<String>,
    target: Target,
}

/// The largest answer rewritten (a page holds at most 1,000 lines, well below this).
const MAX_BODY: usize = 64 * 1024 * 1024;

/// Middleware: in `documented` mode, rewrites JSON answers and problems as the module doc says;
/// in `none` mode passes every answer on untouched.
pub async fn apply(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if state.config().variants == Variants::None {
        return next.run(request).await;
    }
    let asked = Asked {
        method: request.method().clone(),
        path: request.uri().path().to_owned(),
        query: request.uri().query().map(str::to_owned),
        target: Target::of(request.uri().path()),
    };
    let response = next.run(request).await;
    let (mut parts, body) = response.into_parts();
    let media = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or_default().trim().to_ascii_lowercase())
        .unwrap_or_default();
    if media != "application/json" && media != PROBLEM_JSON {
        return Response::from_parts(parts, body);
    }
    let bytes = match axum::body::to_bytes(body, MAX_BODY).await {
        Ok(bytes) => bytes,
        Err(e) => return (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    };
    let Ok(mut value) = serde_json::from_slice::<Value>(&bytes) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    if media == PROBLEM_JSON {
        pascal_case_problem(&mut value);
        parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
    } else if parts.status.is_success() {
        rewrite(&asked, &mut value);
    }
    match serde_json::to_vec(&value) {
        Ok(body) => {
            parts.headers.remove(header::CONTENT_LENGTH);
            Response::from_parts(parts, Body::from(body))
        }
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}

/// The problem's keys in PascalCase, `Status` as a string, and [`extra_problems`] at the end of
/// `Problems`.
fn pascal_case_problem(value: &mut Value) {
    let Value::Object(problem) = value else {
        return;
    };
    let mut pascal = Map::new();
    for (key, field) in std::mem::take(problem) {
        match key.as_str() {
            "type" => pascal.insert("Type".into(), field),
            "title" => pascal.insert("Title".into(), field),
            "status" => pascal.insert("Status".into(), Value::String(field.to_string())),
            "detail" => pascal.insert("Detail".into(), field),
            "instance" => pascal.insert("Instance".into(), field),
            "problems" => pascal.insert("Problems".into(), field),
            _ => pascal.insert(key, field),
        };
    }
    let mut problems = match pascal.remove("Problems") {
        Some(Value::Array(problems)) => problems,
        _ => Vec::new(),
    };
    problems.extend(extra_problems());
    pascal.insert("Problems".into(), Value::Array(problems));
    *problem = pascal;
}

/// Adds [`unknown_fields`] to an object.
fn add_unknown(value: &mut Value) {
    if let Value::Object(object) = value {
        for (key, field) in unknown_fields() {
            object.insert(key.into(), field);
        }
    }
}

/// Sets `field` to `null` where it is absent.
fn null_if_absent(value: &mut Value, field: &str) {
    if let Value::Object(object) = value {
        object.entry(field).or_insert(Value::Null);
    }
}

fn set(value: &mut Value, field: &str, to: Value) {
    if let Value::Object(object) = value {
        object.insert(field.into(), to);
    }
}

fn remove(value: &mut Value, field: &str) {
    if let Value::Object(object) = value {
        object.remove(field);
    }
}

fn text<'a>(value: &'a Value, field: &str) -> &'a str {
    value.get(field).and_then(Value::as_str).unwrap_or_default()
}

/// Keeps only `fields` of an object.
fn only(value: &mut Value, fields: &[&str]) {
    if let Value::Object(object) = value {
        object.retain(|key, _| fields.contains(&key.as_str()));
    }
}

/// `link` moved to the foreign origin, absolute or protocol-relative.
fn foreign(link: &str, protocol_relative: bool) -> Value {
    let host = FOREIGN_ORIGIN.trim_start_matches("http:");
    Value::String(if protocol_relative { format!("{host}{link}") } else { format!("{FOREIGN_ORIGIN}{link}") })
}

/// Rewrites a successful JSON answer.
fn rewrite(asked: &Asked, value: &mut Value) {
    match &asked.target {
        Target::Customer if asked.method == Method::GET => {
            only(value, &["customerNo", "recurringProducts", "subscriptions", "operations"]);
        }
        Target::Customer | Target::Other => {}
        Target::Subscriptions { customer } => collection(value, |s| subscription(customer, s)),
        Target::Subscription { customer } => subscription(customer, value),
        Target::Products { subscription } => collection(value, |p| product(subscription.as_deref(), p)),
        Target::Product { subscription } => product(subscription.as_deref(), value),
        Target::Invoices => collection(value, invoice_summary),
        Target::Invoice { invoice: invoice_no } => invoice(invoice_no, value),
        Target::InvoiceSubscriptions { invoice } => collection(value, |s| billed_subscription(invoice, s)),
        Target::InvoiceSubscription { invoice } => billed_subscription(invoice, value),
        Target::Lines { invoice, subscription } => {
            collection(value, |l| line(invoice, subscription.as_deref(), l));
            if invoice == LOOP_INVOICE && subscription.as_deref() == Some(ERIK) {
                loop_back(asked, value);
            }
        }
        Target::Line { invoice, subscription } => line(invoice, subscription.as_deref(), value),
    }
}

/// A collection page: its items rewritten, unknown fields, `navigation.next: null` on the last.
fn collection(value: &mut Value, mut item: impl FnMut(&mut Value)) {
    if let Some(Value::Array(items)) = value.get_mut("items") {
        items.iter_mut().for_each(&mut item);
    }
    if let Some(navigation) = value.get_mut("navigation") {
        null_if_absent(navigation, "next");
    }
    add_unknown(value);
}

/// On the last page of the looping collection, `next` leads back to page 1.
fn loop_back(asked: &Asked, value: &mut Value) {
    let Some(navigation) = value.get_mut("navigation") else {
        return;
    };
    if !navigation.get("next").is_none_or(Value::is_null) {
        return;
    }
    let mut query: Vec<&str> = asked
        .query
        .as_deref()
        .unwrap_or_default()
        .split('&')
        .filter(|pair| !pair.is_empty() && pair.split('=').next() != Some("page"))
        .collect();
    query.push("page=1");
    set(navigation, "next", Value::String(format!("{}?{}", asked.path, query.join("&"))));
}

fn subscription(customer: &str, value: &mut Value) {
    remove(value, "@id");
    for field in ["description", "startDate", "endDate"] {
        null_if_absent(value, field);
    }
    if customer == PRIVATE_CUSTOMER {
        let products = text(value, "recurringProducts").to_owned();
        match text(value, "subscriptionNo") {
            ERIK => set(value, "startDate", Value::Null),
            SOFIA => {
                set(value, "description", Value::Null);
                set(value, "recurringProducts", foreign(&products, false));
            }
            STUGAN => set(value, "recurringProducts", foreign(&products, true)),
            _ => {}
        }
    }
    add_unknown(value);
}

fn product(subscription: Option<&str>, value: &mut Value) {
    if subscription.is_none() {
        remove(value, "@id");
    }
    null_if_absent(value, "endDate");
    if text(value, "productNo") == BIWEEKLY_PRODUCT {
        set(value, "periodicity", json!("biweekly"));
    }
    add_unknown(value);
}

fn invoice_summary(value: &mut Value) {
    only(value, &["invoiceNo", "invoiceDate", "recurringProducts", "subscriptions", "@id"]);
    let id = text(value, "@id").to_owned();
    match text(value, "invoiceNo") {
        ABSOLUTE_ID_INVOICE => set(value, "@id", foreign(&id, false)),
        PROTOCOL_RELATIVE_ID_INVOICE => set(value, "@id", foreign(&id, true)),
        _ => {}
    }
}

fn invoice(invoice_no: &str, value: &mut Value) {
    if invoice_no == NULL_FIELDS_INVOICE {
        set(value, "dueDate", Value::Null);
        set(value, "currency", Value::Null);
    }
    add_unknown(value);
}

fn billed_subscription(invoice: &str, value: &mut Value) {
    null_if_absent(value, "description");
    if invoice == UNREADABLE_INVOICE && text(value, "subscriptionNo") == STUGAN {
        set(value, "description", Value::Null);
    }
    add_unknown(value);
}

fn line(invoice: &str, subscription: Option<&str>, value: &mut Value) {
    if invoice == UNREADABLE_INVOICE {
        match (subscription, text(value, "productNo")) {
            (Some(ANNA), UNREADABLE_LINE) => {
                remove(value, "vatAmount");
                remove(value, "totalAmount");
                set(value, "amount", Value::Null);
            }
            (Some(ERIK), NO_DESCRIPTION_LINE) => set(value, "description", Value::Null),
            (None, NO_PERIOD_LINE) => {
                set(value, "periodStart", Value::Null);
                set(value, "periodEnd", Value::Null);
            }
            _ => {}
        }
    }
    add_unknown(value);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_become_pascal_case_with_a_string_status() {
        let mut problem = json!({ "type": "t", "title": "T", "status": 404, "instance": "sbx-1" });
        pascal_case_problem(&mut problem);
        assert_eq!(problem["Status"], json!("404"));
        assert_eq!(problem["Instance"], json!("sbx-1"));
        assert!(problem.get("status").is_none() && problem.get("type").is_none());
        assert_eq!(problem["Problems"].as_array().map(Vec::len), Some(2));
    }

    #[test]
    fn the_loop_leads_back_to_page_one() {
        let asked = Asked {
            method: Method::GET,
            path: "/p".into(),
            query: Some("pageSize=2&page=3".into()),
            target: Target::Other,
        };
        let mut page = json!({ "items": [], "navigation": { "@id": "/p", "next": null } });
        loop_back(&asked, &mut page);
        assert_eq!(page["navigation"]["next"], json!("/p?pageSize=2&page=1"));
        let mut middle = json!({ "items": [], "navigation": { "next": "/p?page=2" } });
        loop_back(&asked, &mut middle);
        assert_eq!(middle["navigation"]["next"], json!("/p?page=2"), "only the last page loops");
    }
}
