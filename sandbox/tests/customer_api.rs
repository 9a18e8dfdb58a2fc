//! The Customer API: shapes, writes, validation and identifiers.

mod common;

use axum::http::{header, Method, StatusCode};
use billing_contract::ids::encode_segment;
use billing_contract::links::find_operation;
use billing_contract::{Collection, Customer, OperationRel, ProblemType, RecurringProduct, Subscription};
use billing_sandbox::{EMPTY_CUSTOMER, PRIVATE_CUSTOMER, SPECIAL_CUSTOMER, SPECIAL_SUBSCRIPTION};
use common::{customer_api, get_ok, sandbox, send};
use serde_json::{json, Value};

/// The README's documented customer, with `xxx` as the demo ledger.
const DOCUMENTED_CUSTOMER: &str = r#"{
  "@id": "/billing/customer/v1/xxx/customers/15615616",
  "customerNo": "15615616",
  "recurringProducts": "/billing/customer/v1/xxx/customers/15615616/recurring-products",
  "subscriptions": "/billing/customer/v1/xxx/customers/15615616/subscriptions",
  "operations": [
    { "rel": "add-subscription", "method": "POST", "href": "/billing/customer/v1/xxx/customers/15615616/subscriptions" },
    { "rel": "add-recurring-product", "method": "POST", "href": "/billing/customer/v1/xxx/customers/15615616/recurring-products" }
  ]
}"#;

fn product_body() -> Value {
    json!({
        "productNo": "MOB-5GB", "description": "Mobil 5 GB – extra kort", "quantity": 1,
        "unitPrice": 199.00, "vatRate": 25, "periodicity": "monthly",
        "startDate": "2026-12-01", "endDate": null
    })
}

#[tokio::test]
async fn a_customer_has_exactly_the_documented_shape() {
    let app = sandbox();
    let body = get_ok(&app, &customer_api(&format!("/customers/{PRIVATE_CUSTOMER}"))).await;
    let documented: Value = serde_json::from_str(&DOCUMENTED_CUSTOMER.replace("xxx", "100200")).unwrap();
    assert_eq!(body, documented);
}

#[tokio::test]
async fn unknown_resources_answer_their_problem_types() {
    let app = sandbox();
    let cases = [
        ("/customers/99999999", ProblemType::CustomerNotFound),
        ("/customers/99999999/recurring-products", ProblemType::CustomerNotFound),
        (&format!("/customers/{PRIVATE_CUSTOMER}/subscriptions/46700000000"), ProblemType::SubscriptionNotFound),
        (
            &format!("/customers/{PRIVATE_CUSTOMER}/subscriptions/46700000000/recurring-products"),
            ProblemType::SubscriptionNotFound,
        ),
        (&format!("/customers/{PRIVATE_CUSTOMER}/recurring-products/999999"), ProblemType::RecurringProductNotFound),
    ];
    for (tail, expected) in cases {
        let answer = send(&app, Method::GET, &customer_api(tail), None).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{tail}");
        let problem = answer.problem();
        assert!(problem.is(expected), "{tail}: {problem:?}");
        assert!(problem.instance.is_some_and(|i| !i.is_empty()));
    }
    // A subscription of another customer is not on this one.
    let other =
        send(&app, Method::GET, &customer_api(&format!("/customers/{EMPTY_CUSTOMER}/subscriptions/46701234567")), None)
            .await;
    assert!(other.problem().is(ProblemType::SubscriptionNotFound));
}

#[tokio::test]
async fn a_created_customer_can_be_read_and_not_created_twice() {
    let app = sandbox();
    let created = send(&app, Method::POST, &customer_api("/customers"), Some(json!({"customerNo": "AB/1 & 2"}))).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let customer: Customer = created.parse();
    assert_eq!(created.headers[header::LOCATION], customer.id.as_str());
    assert!(customer.id.as_str().ends_with("/customers/AB%2F1%20%26%202"));
    assert_eq!(get_ok(&app, customer.id.as_str()).await, created.body);

    let again = send(&app, Method::POST, &customer_api("/customers"), Some(json!({"customerNo": "AB/1 & 2"}))).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(again.problem().is(ProblemType::CustomerConflict));

    let invalid = send(&app, Method::POST, &customer_api("/customers"), Some(json!({"customerNo": "a?b"}))).await;
    assert_eq!(invalid.status, StatusCode::BAD_REQUEST);
    assert_eq!(invalid.failing_fields(), ["customerNo"]);
    let missing = send(&app, Method::POST, &customer_api("/customers"), Some(json!({}))).await;
    assert_eq!(missing.failing_fields(), ["customerNo"]);
}

#[tokio::test]
async fn subscriptions_are_added_listed_and_conflict() {
    let app = sandbox();
    let customer: Customer =
        serde_json::from_value(get_ok(&app, &customer_api(&format!("/customers/{EMPTY_CUSTOMER}"))).await).unwrap();
    let add = find_operation(&customer.operations, OperationRel::AddSubscription).unwrap();
    let body = json!({"subscriptionNo": "46709998877", "description": "Mobil – Nils", "startDate": "2026-12-01"});
    let created = send(&app, Method::POST, add.href.as_str(), Some(body.clone())).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let subscription: Subscription = created.parse();
    assert_eq!(subscription.description.as_deref(), Some("Mobil – Nils"));
    assert!(find_operation(&subscription.operations, OperationRel::AddRecurringProduct).is_some());
    assert_eq!(get_ok(&app, subscription.id.as_str()).await, created.body);

    let (listed, _) = common::collect_all::<Subscription>(&app, customer.subscriptions.unwrap().as_str()).await;
    assert_eq!(listed, [subscription]);
    let again = send(&app, Method::POST, add.href.as_str(), Some(body)).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    let invalid = send(&app, Method::POST, add.href.as_str(), Some(json!({"subscriptionNo": ""}))).await;
    assert_eq!(invalid.failing_fields(), ["subscriptionNo"]);
}

#[tokio::test]
async fn products_are_created_replaced_and_deleted_at_both_levels() {
    let app = sandbox();
    for parent in
        [format!("/customers/{PRIVATE_CUSTOMER}"), format!("/customers/{PRIVATE_CUSTOMER}/subscriptions/46704567890")]
    {
        let collection = customer_api(&format!("{parent}/recurring-products"));
        let before: Collection<RecurringProduct> = serde_json::from_value(get_ok(&app, &collection).await).unwrap();
        let add = find_operation(&before.operations, OperationRel::AddRecurringProduct).unwrap();
        assert_eq!(add.href.as_str(), collection);

        let created = send(&app, Method::POST, add.href.as_str(), Some(product_body())).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        let product: RecurringProduct = created.parse();
        assert_eq!(created.headers[header::LOCATION], product.id.as_str());
        assert_eq!(product.description, "Mobil 5 GB – extra kort");
        let numbers: Vec<u64> = before.items.iter().map(|p| p.recurring_product_no.parse().unwrap()).collect();
        assert!(numbers.iter().all(|&n| n >= 1001 && n < product.recurring_product_no.parse().unwrap()));

        let after: Collection<RecurringProduct> = serde_json::from_value(get_ok(&app, &collection).await).unwrap();
        assert_eq!(after.items.len(), before.items.len() + 1);
        assert!(after.items.contains(&product));

        let update = find_operation(&product.operations, OperationRel::UpdateRecurringProduct).unwrap();
        assert_eq!((update.method.as_str(), update.href.as_str()), ("PUT", product.id.as_str()));
        let mut changed = product_body();
        changed["quantity"] = json!(2);
        changed["endDate"] = json!("2027-05-31");
        let replaced = send(&app, Method::PUT, update.href.as_str(), Some(changed)).await;
        assert_eq!(replaced.status, StatusCode::OK, "{}", replaced.body);
        let read: RecurringProduct = serde_json::from_value(get_ok(&app, product.id.as_str()).await).unwrap();
        assert_eq!(read.quantity, 2.into());
        assert_eq!(read.end_date.unwrap().to_string(), "2027-05-31");
        assert_eq!(read.recurring_product_no, product.recurring_product_no);

        let delete = find_operation(&product.operations, OperationRel::DeleteRecurringProduct).unwrap();
        let deleted = send(&app, Method::DELETE, delete.href.as_str(), None).await;
        assert_eq!(deleted.status, StatusCode::NO_CONTENT);
        let gone = send(&app, Method::GET, product.id.as_str(), None).await;
        assert_eq!(gone.status, StatusCode::NOT_FOUND);
        assert!(gone.problem().is(ProblemType::RecurringProductNotFound));
        let again = send(&app, Method::DELETE, delete.href.as_str(), None).await;
        assert!(again.problem().is(ProblemType::RecurringProductNotFound));
    }
}

#[tokio::test]
async fn validation_names_the_failing_field_paths() {
    let app = sandbox();
    let collection = customer_api(&format!("/customers/{PRIVATE_CUSTOMER}/recurring-products"));
    let with = |field: &str, value: Value| {
        let mut body = product_body();
        body[field] = value;
        body
    };
    let mut without_description = product_body();
    without_description.as_object_mut().unwrap().remove("description");
    let cases = [
        (without_description, "description", "is required"),
        (with("description", json!("")), "description", ""),
        (with("quantity", json!(0)), "quantity", ""),
        (with("vatRate", json!(24)), "vatRate", ""),
        (with("endDate", json!("2026-11-30")), "endDate", ""),
        (with("unitPrice", json!("abc")), "unitPrice", "must be a number"),
        (with("startDate", json!("2026-02-30")), "startDate", ""),
    ];
    for (body, field, message) in cases {
        for (method, uri) in [(Method::POST, collection.clone()), (Method::PUT, format!("{collection}/1001"))] {
            let answer = send(&app, method.clone(), &uri, Some(body.clone())).await;
            assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{method} {field}: {}", answer.body);
            let problem = answer.problem();
            assert!(problem.is(ProblemType::CustomerValidation));
            assert_eq!(problem.problems.len(), 1, "{}", answer.body);
            assert_eq!(problem.problems[0].field, field);
            assert!(problem.problems[0].message.contains(message), "{}", answer.body);
        }
    }
    let malformed =
        common::send_as(&app, Method::POST, &collection, Some("Bearer sandbox-token"), Some("{\"productNo\":".into()))
            .await;
    assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
    let problem = malformed.problem();
    assert!(problem.is(ProblemType::CustomerValidation));
    assert!(problem.detail.unwrap().contains("not valid JSON"));
    // Nothing was written.
    let products: Collection<RecurringProduct> = serde_json::from_value(get_ok(&app, &collection).await).unwrap();
    assert!(products.items.iter().all(|p| p.description != "Mobil 5 GB – extra kort"));
}

#[tokio::test]
async fn the_special_customer_is_one_encoded_segment_and_its_links_round_trip() {
    let app = sandbox();
    let path = customer_api(&format!("/customers/{}", encode_segment(SPECIAL_CUSTOMER)));
    assert!(path.ends_with("/customers/%C3%85kesson%20%26%20Co%2F7"));
    let customer: Customer = serde_json::from_value(get_ok(&app, &path).await).unwrap();
    assert_eq!(customer.customer_no, SPECIAL_CUSTOMER);
    assert_eq!(customer.id.as_str(), path);
    assert_eq!(serde_json::to_value(&customer).unwrap(), get_ok(&app, customer.id.as_str()).await);

    let (subscriptions, _) = common::collect_all::<Subscription>(&app, customer.subscriptions.unwrap().as_str()).await;
    assert_eq!(subscriptions.len(), 1);
    assert_eq!(subscriptions[0].subscription_no, SPECIAL_SUBSCRIPTION);
    assert_eq!(get_ok(&app, subscriptions[0].id.as_str()).await, serde_json::to_value(&subscriptions[0]).unwrap());
    let (products, _) =
        common::collect_all::<RecurringProduct>(&app, subscriptions[0].recurring_products.as_ref().unwrap().as_str())
            .await;
    assert!(!products.is_empty());
    for product in products {
        assert_eq!(get_ok(&app, product.id.as_str()).await, serde_json::to_value(&product).unwrap());
    }
    // The raw, unencoded number is not one segment: it finds nothing.
    let raw = send(&app, Method::GET, &customer_api("/customers/%C3%85kesson%20%26%20Co/7"), None).await;
    assert_eq!(raw.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_private_customer_has_ended_and_upcoming_products() {
    let app = sandbox();
    let mut products = Vec::new();
    let (subscriptions, _) = common::collect_all::<Subscription>(
        &app,
        &customer_api(&format!("/customers/{PRIVATE_CUSTOMER}/subscriptions")),
    )
    .await;
    assert_eq!(subscriptions.len(), 4);
    for s in &subscriptions {
        products.extend(
            common::collect_all::<RecurringProduct>(&app, s.recurring_products.as_ref().unwrap().as_str()).await.0,
        );
    }
    let today: billing_contract::Date = "2026-11-21".parse().unwrap();
    assert!(products.iter().any(|p| p.end_date.is_some_and(|end| end < today)), "an ended product");
    assert!(products.iter().any(|p| p.start_date > today), "an upcoming product");
    let periodicities: std::collections::HashSet<_> = products.iter().map(|p| p.periodicity).collect();
    assert!(periodicities.len() >= 3);
}
