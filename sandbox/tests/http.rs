//! Cross-cutting behaviour: authentication, unknown routes and methods, media types, and
//! deterministic demo data.

mod common;

use axum::http::{header, Method, StatusCode};
use billing_contract::ProblemType;
use billing_sandbox::{app, AppState, Config, LARGE_INVOICE_50K, PRIVATE_CUSTOMER, UNRECONCILED_INVOICE};
use common::{customer_api, get_ok, invoice_api, sandbox, send, send_as};

#[tokio::test]
async fn every_route_needs_the_token_for_its_ledger() {
    let app = sandbox();
    let customer = customer_api(&format!("/customers/{PRIVATE_CUSTOMER}"));
    let invoice = invoice_api(&format!("/invoices/{UNRECONCILED_INVOICE}"));
    let other_ledger = customer.replace("/100200/", "/100201/");
    let cases = [
        (&customer, None, ProblemType::CustomerUnauthorized),
        (&customer, Some("Bearer wrong-token"), ProblemType::CustomerUnauthorized),
        (&customer, Some("sandbox-token"), ProblemType::CustomerUnauthorized),
        (&other_ledger, Some("Bearer sandbox-token"), ProblemType::CustomerUnauthorized),
        (&invoice, None, ProblemType::InvoiceUnauthorized),
        (&invoice, Some("Bearer wrong-token"), ProblemType::InvoiceUnauthorized),
    ];
    for (uri, authorization, expected) in cases {
        let answer = send_as(&app, Method::GET, uri, authorization, None).await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{uri} {authorization:?}");
        assert!(answer.headers[header::WWW_AUTHENTICATE].to_str().unwrap().starts_with("Bearer"));
        assert!(answer.problem().is(expected));
    }
    // Writes too, and before anything else is looked at.
    let post = send_as(&app, Method::POST, &customer_api("/customers"), None, Some("{".into())).await;
    assert_eq!(post.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_owner_and_token_come_from_the_config() {
    let config = Config { owner_no: "777".into(), token: "t0ken".into(), ..Config::default() };
    let app = app(AppState::demo(config));
    let uri = format!("{}/777/customers/{PRIVATE_CUSTOMER}", billing_contract::paths::CUSTOMER_API);
    let answer = send_as(&app, Method::GET, &uri, Some("Bearer t0ken"), None).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.body["@id"], uri.as_str());
    let default_token = send_as(&app, Method::GET, &uri, Some("Bearer sandbox-token"), None).await;
    assert_eq!(default_token.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn unknown_routes_and_methods_are_problems() {
    let app = sandbox();
    for uri in [customer_api("/nothing"), invoice_api("/invoices/603001/nothing"), "/billing/other".into(), "/".into()]
    {
        let answer = send(&app, Method::GET, &uri, None).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{uri}");
        assert!(answer.problem().is(ProblemType::RouteNotFound));
    }
    for (method, uri) in [
        (Method::DELETE, customer_api(&format!("/customers/{PRIVATE_CUSTOMER}"))),
        (Method::GET, customer_api("/customers")),
        (Method::POST, invoice_api("/invoices")),
        (Method::PUT, invoice_api(&format!("/invoices/{UNRECONCILED_INVOICE}"))),
    ] {
        let answer = send(&app, method.clone(), &uri, None).await;
        assert_eq!(answer.status, StatusCode::METHOD_NOT_ALLOWED, "{method} {uri}");
        assert!(answer.problem().is(ProblemType::MethodNotAllowed));
        assert!(answer.headers.contains_key(header::ALLOW));
    }
}

#[tokio::test]
async fn problem_instances_are_unique() {
    let app = sandbox();
    let uri = customer_api("/customers/404");
    let a = send(&app, Method::GET, &uri, None).await.problem();
    let b = send(&app, Method::GET, &uri, None).await.problem();
    assert_ne!(a.instance, b.instance);
    assert_eq!(a.status, Some(404));
    assert!(!a.title.is_empty() && a.detail.is_some());
}

#[tokio::test]
async fn two_seeds_serialize_identically() {
    let one = app(AppState::demo(Config::default()));
    let two = app(AppState::demo(Config::default()));
    for uri in [
        invoice_api("/invoices?pageSize=1000"),
        invoice_api(&format!("/invoices/{LARGE_INVOICE_50K}/subscriptions")),
        invoice_api(&format!("/invoices/{LARGE_INVOICE_50K}/recurring-products")),
        customer_api("/customers/5566778899/subscriptions"),
    ] {
        assert_eq!(get_ok(&one, &uri).await, get_ok(&two, &uri).await, "{uri}");
    }
    let subscriptions = get_ok(&one, &invoice_api(&format!("/invoices/{LARGE_INVOICE_50K}/subscriptions"))).await;
    let last =
        subscriptions["items"].as_array().unwrap().last().unwrap()["recurringProducts"].as_str().unwrap().to_owned();
    assert_eq!(get_ok(&one, &last).await, get_ok(&two, &last).await);
}

#[tokio::test]
async fn path_identifiers_are_checked_against_their_pattern() {
    let app = sandbox();
    for (uri, field) in [
        (customer_api("/customers/1234567890123456"), "customerNo"),
        (customer_api(&format!("/customers/{PRIVATE_CUSTOMER}/subscriptions/a%3Fb")), "subscriptionNo"),
        (invoice_api("/invoices/%C3%BC"), "invoiceNo"),
    ] {
        let answer = send(&app, Method::GET, &uri, None).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{uri}");
        assert_eq!(answer.failing_fields(), [field], "{uri}");
    }
    let not_utf8 = send(&app, Method::GET, &customer_api("/customers/%FF"), None).await;
    assert_eq!(not_utf8.status, StatusCode::BAD_REQUEST);
    assert!(not_utf8.problem().is(ProblemType::CustomerValidation));
}
