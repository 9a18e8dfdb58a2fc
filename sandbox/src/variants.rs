//! Documented-variants mode (`--variants documented`): the sandbox answers as a stricter reading
//! of PayEx's documentation would, with everything a client must tolerate. The default mode
//! (`none`) leaves every answer exactly as the routes render it.
//!
//! In `documented` mode a middleware rewrites each JSON answer after its route rendered it, and
//! the demo ledger gains two products. Everywhere:
//!
//! - every customer `GET` is exactly PayEx's documented example: `customerNo`,
//!   `recurringProducts`, `subscriptions`, `operations`, and no `@id` (the `POST` answer keeps
//!   its `@id`);
//! - subscriptions of the Customer API and customer-level recurring products carry no `@id`
//!   (their operations still name their paths);
//! - an absent optional field is sent as `null`: `endDate` of subscriptions and products,
//!   `description` of billed subscriptions, `navigation.next` on a last page;
//! - every other resource and every collection carries extra unknown fields ([`UNKNOWN_FIELDS`]:
//!   a number, a string, an object and an array);
//! - invoice list items are the documented summary: `invoiceNo`, `invoiceDate`,
//!   `recurringProducts`, `subscriptions` and `@id` only (no amount, no due date);
//! - problems are PascalCase (`Type`, `Title`, `Status` as a string such as `"404"`, `Detail`,
//!   `Instance`, `Problems`), and `Problems` ends with a number and an object as messages
//!   ([`extra_problems`]), still as `application/problem+json`;
//! - `vatRate` may be any of the Nordic rates ([`nordic_vat_rates`]), not only Sweden's.
//!
//! And on these resources of the demo data (ledger `100200`):
//!
//! | where | variant |
//! |---|---|
//! | customer `15615616`, customer level | product `BACKUP` ("Molnbackup") has `periodicity: "biweekly"` (an unknown enum value) |
//! | customer `15615616`, subscription `46702345678` (Erik) | `startDate: null`; product `ROAM-FI` ("Roaming Finland") at `vatRate` 25.5, to be ended in CRM mode |
//! | customer `15615616`, subscription `46703456789` (Sofia) | `description: null`; its `recurringProducts` link is absolute, to `http://attacker.invalid` |
//! | customer `15615616`, subscription `46704567890` (Stugan) | its `recurringProducts` link is protocol-relative, to `//attacker.invalid` |
//! | invoice list | `603001`'s `@id` is absolute (`http://attacker.invalid/…`), `603002`'s protocol-relative (`//attacker.invalid/…`) |
//! | invoice `603010` | `dueDate: null`, `currency: null` |
//! | invoice `603011`, subscription `46702345678` | a link loop: the last page of its lines has a `next` back to page 1 |
//! | invoice `603012`, subscription `46701234567` | line `STREAM-MUSIC` has no `vatAmount`/`totalAmount` and `amount: null`; the others are readable |
//! | invoice `603012`, subscription `46702345678` | line `SIM-EXTRA` has `description: null` |
//! | invoice `603012`, customer level | line `INV-PAPER` has `periodStart: null`, `periodEnd: null` |
//! | invoice `603012`, subscription `46704567890` | billed with `description: null` |

use crate::store::{Ledger, Scope};
use crate::{AppState, PRIVATE_CUSTOMER};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use billing_contract::paths::{CUSTOMER_API, INVOICE_API};
use billing_contract::problem::PROBLEM_JSON;
use billing_contract::{Date, Decimal, Periodicity, RecurringProductInput};
use percent_encoding::percent_decode_str;
use serde_json::{json, Map, Value};

/// The origin of the links that lead away from the API.
pub const FOREIGN_ORIGIN: &str = "http://attacker.invalid";
/// The customer-level product whose periodicity is sent as `"biweekly"`.
pub const BIWEEKLY_PRODUCT: &str = "BACKUP";
/// The product whose VAT rate (25.5, Finland's) is not a Swedish one.
pub const FINNISH_RATE_PRODUCT: &str = "ROAM-FI";
/// Erik's subscription: `startDate: null`, the 25.5 % product, and on [`LOOP_INVOICE`] a link loop.
pub const ERIK: &str = "46702345678";
/// Sofia's subscription: `description: null` and an absolute foreign `recurringProducts` link.
pub const SOFIA: &str = "46703456789";
/// The Stugan subscription: a protocol-relative foreign `recurringProducts` link.
pub const STUGAN: &str = "46704567890";
/// Anna's subscription: on [`UNREADABLE_INVOICE`], the group with the unreadable line.
pub const ANNA: &str = "46701234567";
/// The invoice listed with an absolute foreign `@id`.
pub const ABSOLUTE_ID_INVOICE: &str = "603001";
/// The invoice listed with a protocol-relative foreign `@id`.
pub const PROTOCOL_RELATIVE_ID_INVOICE: &str = "603002";
/// The invoice with `dueDate` and `currency` `null`.
pub const NULL_FIELDS_INVOICE: &str = "603010";
/// The invoice whose Erik group's lines loop back to their first page.
pub const LOOP_INVOICE: &str = "603011";
/// The invoice with one unreadable line (Anna's group), one without description (Erik's group),
/// one without its period (customer level) and a billed subscription without description.
pub const UNREADABLE_INVOICE: &str = "603012";
/// The line of [`UNREADABLE_INVOICE`] without its money fields.
pub const UNREADABLE_LINE: &str = "STREAM-MUSIC";
/// The line of [`UNREADABLE_INVOICE`] with `description: null`.
pub const NO_DESCRIPTION_LINE: &str = "SIM-EXTRA";
/// The line of [`UNREADABLE_INVOICE`] with `periodStart` and `periodEnd` `null`.
pub const NO_PERIOD_LINE: &str = "INV-PAPER";

/// Fields no documentation names, added to every resource and collection (except those sent
/// exactly as documented: the customer and the invoice list items).
pub fn unknown_fields() -> [(&'static str, Value); 4] {
    [
        ("revision", json!(7)),
        ("createdBy", json!("payex-billing")),
        ("metadata", json!({ "source": "documented-variants", "flags": { "archived": false } })),
        ("labels", json!(["billing", 2, null])),
    ]
}

/// The names of [`unknown_fields`].
pub const UNKNOWN_FIELDS: [&str; 4] = ["revision", "createdBy", "metadata", "labels"];

/// Which variants the sandbox answers with.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Variants {
    /// None: answers exactly as the routes render them.
    #[default]
    None,
    /// Everything PayEx's documentation allows that a client must tolerate (see the module doc).
    Documented,
}

impl Variants {
    /// Reads `none` or `documented`.
    pub fn parse(text: &str) -> Result<Variants, String> {
        match text {
            "none" => Ok(Variants::None),
            "documented" => Ok(Variants::Documented),
            _ => Err("expected none or documented".to_owned()),
        }
    }

    /// The VAT rates a recurring product may have.
    pub fn vat_rates(self) -> Vec<Decimal> {
        match self {
            Variants::None => billing_contract::customer::validation::swedish_vat_rates(),
            Variants::Documented => nordic_vat_rates(),
        }
    }

    /// Adds what this mode's demo data has beyond the default's (nothing in `none`).
    pub fn extend(self, ledger: &mut Ledger) {
        if self == Variants::None {
            return;
        }
        let product = |product_no: &str, description: &str, price: i64, vat_rate: Decimal| RecurringProductInput {
            product_no: product_no.into(),
            description: description.into(),
            quantity: Decimal::ONE,
            unit_price: Decimal::new(price, 2),
            vat_rate,
            periodicity: Periodicity::Monthly,
            start_date: Date::new(2026, 1, 1).unwrap_or_else(|| unreachable!("2026-01-01 is a date")),
            end_date: None,
        };
        let customer = Scope { customer_no: PRIVATE_CUSTOMER, subscription_no: None };
        let erik = Scope { subscription_no: Some(ERIK), ..customer };
        for (scope, input) in [
            (customer, product(BIWEEKLY_PRODUCT, "Molnbackup", 4900, Decimal::from(25))),
            (erik, product(FINNISH_RATE_PRODUCT, "Roaming Finland", 9900, Decimal::new(255, 1))),
        ] {
            if let Err(e) = ledger.add_product(scope, input) {
                panic!("seeding the documented variants: {e}");
            }
        }
    }
}

/// VAT rates of Sweden, Finland, Norway and Denmark, general and reduced.
pub fn nordic_vat_rates() -> Vec<Decimal> {
    let mut rates: Vec<Decimal> = [0, 6, 10, 12, 14, 15, 24, 25].into_iter().map(Decimal::from).collect();
    rates.push(Decimal::new(255, 1));
    rates
}

/// What an answer is, from its request path (identifiers percent-decoded).
#[derive(Clone, Debug, PartialEq, Eq)]
enum Target {
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
    fn of(path: &str) -> Target {
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

/// Entries of `Problems` whose messages are not strings: a number and an object.
pub fn extra_problems() -> [Value; 2] {
    [json!({ "errorCode": 4711 }), json!({ "context": { "ledger": "documented-variants", "retry": false } })]
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
    fn the_unknown_field_names_are_listed() {
        assert_eq!(unknown_fields().map(|(name, _)| name), UNKNOWN_FIELDS);
    }

    #[test]
    fn parses_the_modes() {
        assert_eq!(Variants::parse("none"), Ok(Variants::None));
        assert_eq!(Variants::parse("documented"), Ok(Variants::Documented));
        assert!(Variants::parse("strict").is_err());
    }

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
