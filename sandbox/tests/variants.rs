//! Documented-variants mode: each variant is where the `variants` module documents it, and the
//! default mode stays as it was.

mod common;

use axum::http::{header, Method, StatusCode};
use billing_sandbox::variants::{self, UNKNOWN_FIELDS};
use billing_sandbox::PRIVATE_CUSTOMER;
use common::{customer_api, get_ok, invoice_api, sandbox, send, variants_sandbox};
use serde_json::{json, Value};

fn keys(value: &Value) -> Vec<String> {
    let mut keys: Vec<String> = value.as_object().expect("an object").keys().cloned().collect();
    keys.sort();
    keys
}

fn items(page: &Value) -> &Vec<Value> {
    page["items"].as_array().expect("items")
}

fn find<'a>(page: &'a Value, field: &str, value: &str) -> &'a Value {
    items(page).iter().find(|item| item[field] == value).unwrap_or_else(|| panic!("no item with {field} {value}"))
}

fn has_unknown_fields(value: &Value) -> bool {
    UNKNOWN_FIELDS.iter().all(|field| value.get(field).is_some())
}

fn private(tail: &str) -> String {
    customer_api(&format!("/customers/{PRIVATE_CUSTOMER}{tail}"))
}

#[tokio::test]
async fn the_customer_is_exactly_the_documented_get_example_without_id() {
    let app = variants_sandbox();
    let customer = get_ok(&app, &private("")).await;
    assert_eq!(keys(&customer), ["customerNo", "operations", "recurringProducts", "subscriptions"]);
    assert_eq!(customer["subscriptions"], private("/subscriptions"));
    assert_eq!(customer["operations"].as_array().map(Vec::len), Some(2));
    // The POST answer keeps its @id.
    let created = send(&app, Method::POST, &customer_api("/customers"), Some(json!({ "customerNo": "77" }))).await;
    assert_eq!(created.status, StatusCode::CREATED);
    assert_eq!(created.body["@id"], customer_api("/customers/77"));
}

#[tokio::test]
async fn subscriptions_carry_nulls_no_id_unknown_fields_and_two_foreign_links() {
    let app = variants_sandbox();
    let page = get_ok(&app, &private("/subscriptions")).await;
    assert!(has_unknown_fields(&page), "the collection has unknown fields");
    assert_eq!(page["navigation"]["next"], Value::Null);
    assert!(page["navigation"].as_object().unwrap().contains_key("next"), "next is null, not absent");
    for subscription in items(&page) {
        assert!(subscription.get("@id").is_none(), "{subscription}");
        assert!(subscription.as_object().unwrap().contains_key("endDate"), "endDate null, not absent");
        assert!(has_unknown_fields(subscription));
    }
    assert_eq!(find(&page, "subscriptionNo", variants::ERIK)["startDate"], Value::Null);
    let sofia = find(&page, "subscriptionNo", variants::SOFIA);
    assert_eq!(sofia["description"], Value::Null);
    let own = private(&format!("/subscriptions/{}/recurring-products", variants::SOFIA));
    assert_eq!(sofia["recurringProducts"], format!("http://attacker.invalid{own}"));
    let stugan = find(&page, "subscriptionNo", variants::STUGAN);
    let own = private(&format!("/subscriptions/{}/recurring-products", variants::STUGAN));
    assert_eq!(stugan["recurringProducts"], format!("//attacker.invalid{own}"));
    // Anna's is untouched apart from the unknown fields and nulls.
    let anna = find(&page, "subscriptionNo", variants::ANNA);
    assert_eq!(anna["recurringProducts"], private(&format!("/subscriptions/{}/recurring-products", variants::ANNA)));
    // One subscription read alone looks the same.
    let one = get_ok(&app, &private(&format!("/subscriptions/{}", variants::SOFIA))).await;
    assert_eq!(&one, sofia);
}

#[tokio::test]
async fn products_an_unknown_periodicity_and_a_finnish_rate_that_can_be_ended() {
    let app = variants_sandbox();
    let page = get_ok(&app, &private("/recurring-products")).await;
    assert!(has_unknown_fields(&page));
    for product in items(&page) {
        assert!(product.get("@id").is_none(), "customer-level products carry no @id: {product}");
        assert!(product.as_object().unwrap().contains_key("endDate"));
        assert!(product["operations"].as_array().is_some_and(|o| o.len() == 2), "their operations name their paths");
    }
    assert_eq!(find(&page, "productNo", variants::BIWEEKLY_PRODUCT)["periodicity"], "biweekly");

    let erik = private(&format!("/subscriptions/{}/recurring-products", variants::ERIK));
    let page = get_ok(&app, &erik).await;
    let finnish = find(&page, "productNo", variants::FINNISH_RATE_PRODUCT).clone();
    assert_eq!(finnish["vatRate"], json!(25.5));
    assert!(finnish.get("@id").is_some(), "subscription-level products keep their @id");
    // End it: the whole product sent back with an end date is accepted and stored.
    let href = finnish["@id"].as_str().unwrap().to_owned();
    let mut body = finnish.clone();
    for field in ["@id", "recurringProductNo", "operations", "revision", "createdBy", "metadata", "labels"] {
        body.as_object_mut().unwrap().remove(field);
    }
    body["endDate"] = json!("2026-12-31");
    let ended = send(&app, Method::PUT, &href, Some(body)).await;
    assert_eq!(ended.status, StatusCode::OK, "{}", ended.body);
    assert_eq!(get_ok(&app, &href).await["endDate"], "2026-12-31");
}

#[tokio::test]
async fn invoice_list_items_are_the_documented_summary_two_with_foreign_ids() {
    let app = variants_sandbox();
    let page = get_ok(&app, &invoice_api(&format!("/invoices?customerNo={PRIVATE_CUSTOMER}"))).await;
    assert!(has_unknown_fields(&page));
    assert_eq!(items(&page).len(), 12);
    for item in items(&page) {
        assert_eq!(keys(item), ["@id", "invoiceDate", "invoiceNo", "recurringProducts", "subscriptions"], "{item}");
    }
    let id = |no: &str| find(&page, "invoiceNo", no)["@id"].as_str().unwrap().to_owned();
    assert_eq!(
        id(variants::ABSOLUTE_ID_INVOICE),
        format!("http://attacker.invalid{}", invoice_api("/invoices/603001"))
    );
    assert_eq!(
        id(variants::PROTOCOL_RELATIVE_ID_INVOICE),
        format!("//attacker.invalid{}", invoice_api("/invoices/603002"))
    );
    assert_eq!(id("603003"), invoice_api("/invoices/603003"));
}

#[tokio::test]
async fn an_invoice_with_null_due_date_and_currency() {
    let app = variants_sandbox();
    let invoice = get_ok(&app, &invoice_api(&format!("/invoices/{}", variants::NULL_FIELDS_INVOICE))).await;
    assert_eq!((invoice["dueDate"].clone(), invoice["currency"].clone()), (Value::Null, Value::Null));
    assert!(invoice["invoiceAmount"].is_number() && has_unknown_fields(&invoice));
    let other = get_ok(&app, &invoice_api("/invoices/603009")).await;
    assert_eq!(other["currency"], "SEK");
}

#[tokio::test]
async fn one_unreadable_line_among_readable_ones_and_lines_with_nulls() {
    let app = variants_sandbox();
    let invoice = |tail: &str| invoice_api(&format!("/invoices/{}{tail}", variants::UNREADABLE_INVOICE));
    let anna = get_ok(&app, &invoice(&format!("/subscriptions/{}/recurring-products", variants::ANNA))).await;
    let unreadable = find(&anna, "productNo", variants::UNREADABLE_LINE);
    assert_eq!(unreadable["amount"], Value::Null);
    assert!(unreadable.get("vatAmount").is_none() && unreadable.get("totalAmount").is_none());
    let readable: Vec<&Value> = items(&anna).iter().filter(|l| l["productNo"] != variants::UNREADABLE_LINE).collect();
    assert!(!readable.is_empty(), "the group has readable lines too");
    assert!(readable.iter().all(|l| l["amount"].is_number() && l["totalAmount"].is_number() && has_unknown_fields(l)));

    let erik = get_ok(&app, &invoice(&format!("/subscriptions/{}/recurring-products", variants::ERIK))).await;
    assert_eq!(find(&erik, "productNo", variants::NO_DESCRIPTION_LINE)["description"], Value::Null);
    let customer_level = get_ok(&app, &invoice("/recurring-products")).await;
    let no_period = find(&customer_level, "productNo", variants::NO_PERIOD_LINE);
    assert_eq!((no_period["periodStart"].clone(), no_period["periodEnd"].clone()), (Value::Null, Value::Null));
    let billed = get_ok(&app, &invoice("/subscriptions")).await;
    assert_eq!(find(&billed, "subscriptionNo", variants::STUGAN)["description"], Value::Null);
}

#[tokio::test]
async fn one_group_of_lines_loops_back_to_its_first_page() {
    let app = variants_sandbox();
    let lines = invoice_api(&format!(
        "/invoices/{}/subscriptions/{}/recurring-products",
        variants::LOOP_INVOICE,
        variants::ERIK
    ));
    let first = get_ok(&app, &format!("{lines}?pageSize=2")).await;
    let mut next = first["navigation"]["next"].as_str().expect("a second page").to_owned();
    let mut seen = vec![format!("{lines}?pageSize=2")];
    for _ in 0..10 {
        if seen.contains(&next) || next.ends_with("page=1") {
            break;
        }
        seen.push(next.clone());
        next = get_ok(&app, &next).await["navigation"]["next"].as_str().expect("never a last page").to_owned();
    }
    assert_eq!(next, format!("{lines}?pageSize=2&page=1"), "the last page leads back to page 1");
    let again = get_ok(&app, &next).await;
    assert_eq!(items(&again), items(&first), "page 1 again");
    // Another group of the same invoice ends normally.
    let anna = invoice_api(&format!(
        "/invoices/{}/subscriptions/{}/recurring-products",
        variants::LOOP_INVOICE,
        variants::ANNA
    ));
    assert_eq!(get_ok(&app, &anna).await["navigation"]["next"], Value::Null);
}

#[tokio::test]
async fn problems_are_pascal_case_with_a_string_status_and_odd_messages() {
    let app = variants_sandbox();
    let missing = send(&app, Method::GET, &customer_api("/customers/99999999"), None).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.headers[header::CONTENT_TYPE], "application/problem+json");
    assert_eq!(keys(&missing.body), ["Detail", "Instance", "Problems", "Status", "Title", "Type"]);
    assert_eq!(missing.body["Status"], "404");
    assert_eq!(missing.body["Title"], "Customer not found");
    assert!(missing.body["Instance"].as_str().is_some_and(|i| !i.is_empty()));
    let problems = missing.body["Problems"].as_array().unwrap();
    assert!(problems.iter().any(|p| p.as_object().unwrap().values().any(Value::is_number)));
    assert!(problems.iter().any(|p| p.as_object().unwrap().values().any(Value::is_object)));

    let invalid = send(&app, Method::POST, &private("/recurring-products"), Some(json!({ "productNo": "X" }))).await;
    assert_eq!(invalid.status, StatusCode::BAD_REQUEST);
    assert_eq!(invalid.body["Status"], "400");
    assert!(
        invalid.body["Problems"].as_array().unwrap().iter().any(|p| p.get("description").is_some()),
        "field problems stay"
    );
    let unauthorized = common::send_as(&app, Method::GET, &private(""), None, None).await;
    assert_eq!(unauthorized.body["Status"], "401");
}

#[tokio::test]
async fn the_default_mode_is_unchanged() {
    let app = sandbox();
    let customer = get_ok(&app, &private("")).await;
    assert_eq!(customer["@id"], private(""));
    let page = get_ok(&app, &invoice_api(&format!("/invoices?customerNo={PRIVATE_CUSTOMER}"))).await;
    assert!(!has_unknown_fields(&page) && page["navigation"].get("next").is_none());
    assert!(items(&page)
        .iter()
        .all(|i| i["invoiceAmount"].is_number() && !i["@id"].as_str().unwrap().contains("attacker")));
    let subscriptions = get_ok(&app, &private("/subscriptions")).await;
    assert!(items(&subscriptions).iter().all(|s| s.get("@id").is_some() && !has_unknown_fields(s)));
    let missing = send(&app, Method::GET, &customer_api("/customers/99999999"), None).await;
    assert_eq!(missing.body["status"], 404);
    assert!(missing.body.get("Status").is_none());
    let products = get_ok(&app, &private("/recurring-products")).await;
    assert!(items(&products).iter().all(|p| p["productNo"] != variants::BIWEEKLY_PRODUCT && p.get("@id").is_some()));
    // Sweden's rates only: 25.5 is refused.
    let body = json!({
        "productNo": "X", "description": "x", "quantity": 1, "unitPrice": 1, "vatRate": 25.5,
        "periodicity": "monthly", "startDate": "2026-01-01"
    });
    let refused = send(&app, Method::POST, &private("/recurring-products"), Some(body)).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
}
