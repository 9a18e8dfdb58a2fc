//! A signed session against the sandbox's real data: every link the API gives the session's
//! customer can be followed (as the widget does), and nothing of another customer can be read.

mod common;

use billing_proxy::session::{Scope, Session, SessionKey};
use common::*;
use std::collections::{HashSet, VecDeque};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const SESSION_KEY: &str = "k3y-for-tests-0123456789abcdef-0123456789";

async fn sandbox() -> String {
    let config = billing_sandbox::Config { token: TOKEN.into(), ..billing_sandbox::Config::default() };
    let app = billing_sandbox::app(billing_sandbox::AppState::demo(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    base
}

fn session_for(customer: &str) -> String {
    session_with_scope(customer, Scope::Read)
}

fn session_with_scope(customer: &str, scope: Scope) -> String {
    let iat = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
    let session = Session {
        sub: format!("user-of-{customer}"),
        owner_no: OWNER.into(),
        customer_no: customer.into(),
        scope,
        iat,
        nbf: None,
        exp: iat + 600,
    };
    SessionKey::new(SESSION_KEY.as_bytes(), Duration::from_secs(3600)).unwrap().sign(&session).unwrap()
}

fn in_session(target: &str, token: &str) -> axum::http::Request<axum::body::Body> {
    request("GET", target).header("x-billing-session", token).body(axum::body::Body::empty()).unwrap()
}

/// Every `/billing/...` string in `value` except those in `operations`.
fn links(value: &serde_json::Value, found: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, value) in map {
                if key != "operations" {
                    links(value, found);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|item| links(item, found)),
        serde_json::Value::String(text) if text.starts_with("/billing/") => found.push(text.clone()),
        _ => {}
    }
}

#[tokio::test]
async fn a_session_follows_its_customers_links_and_reaches_nothing_else() {
    let upstream = sandbox().await;
    let vars = [("PROXY_ACCESS", "signed-session"), ("PROXY_SESSION_KEY", SESSION_KEY)];
    let app = billing_proxy::app(&config_with(&upstream, std::path::Path::new("/nonexistent"), &vars)).unwrap();
    let customer = billing_sandbox::SPECIAL_CUSTOMER;
    let token = session_for(customer);

    let starts = [
        billing_contract::paths::customer(OWNER, customer),
        billing_contract::paths::invoices_of_customer(OWNER, customer),
    ];
    let mut queue: VecDeque<String> = starts.iter().cloned().collect();
    let mut seen: HashSet<String> = queue.iter().cloned().collect();
    let mut followed = 0;
    while let Some(target) = queue.pop_front() {
        let answer = send(&app, in_session(&target, &token)).await;
        assert_eq!(answer.status, 200, "{target}: {}", answer.text());
        followed += 1;
        let mut found = Vec::new();
        links(&serde_json::from_slice(&answer.body).unwrap(), &mut found);
        for link in found {
            if seen.insert(link.clone()) {
                queue.push_back(link);
            }
        }
    }
    assert!(followed >= 10, "only {followed} resources followed");

    // Another customer's invoice and its lines: not found, whichever route is tried.
    for target in [
        billing_contract::paths::invoice(OWNER, billing_sandbox::LATEST_PRIVATE_INVOICE),
        format!(
            "{}/recurring-products",
            billing_contract::paths::invoice(OWNER, billing_sandbox::LATEST_PRIVATE_INVOICE)
        ),
        format!("{}/subscriptions", billing_contract::paths::invoice(OWNER, billing_sandbox::PLAN_CHANGE_INVOICE)),
    ] {
        let answer = send(&app, in_session(&target, &token)).await;
        assert_eq!(answer.status, 404, "{target}");
        assert_eq!(answer.problem().problem_type.as_deref(), Some("billing/proxy/problems/not-found"));
    }
    // The private customer's own session reads that invoice.
    let theirs = session_for(billing_sandbox::PRIVATE_CUSTOMER);
    let invoice = billing_contract::paths::invoice(OWNER, billing_sandbox::LATEST_PRIVATE_INVOICE);
    assert_eq!(send(&app, in_session(&invoice, &theirs)).await.status, 200);
}

fn read_write_session_for(customer: &str) -> String {
    session_with_scope(customer, Scope::ReadWrite)
}

/// A write as the widget sends it: its JSON, the CSRF header, the page's origin, the session.
fn widget_write(
    method: &str,
    target: &str,
    token: &str,
    body: Option<String>,
) -> axum::http::Request<axum::body::Body> {
    let builder = request(method, target)
        .header("host", HOST)
        .header("origin", format!("http://{HOST}"))
        .header("x-billing-csrf", "1")
        .header("x-billing-session", token);
    match body {
        Some(body) => builder.header("content-type", "application/json").body(body.into()).unwrap(),
        None => builder.body(axum::body::Body::empty()).unwrap(),
    }
}

/// Items of a collection read through the proxy.
async fn items<T: serde::de::DeserializeOwned>(app: &billing_proxy::App, target: &str, token: &str) -> Vec<T> {
    let answer = send(app, in_session(target, token)).await;
    assert_eq!(answer.status, 200, "{target}: {}", answer.text());
    billing_contract::Page::<T>::from_json(answer.text()).unwrap().items
}

#[tokio::test]
async fn a_session_writes_its_own_products_as_the_widget_sends_them_and_no_one_elses() {
    use billing_contract::ids::encode_segment;
    use billing_contract::{
        Date, Decimal, Periodicity, RecurringProduct, RecurringProductInput, Subscription, SubscriptionInput,
    };
    let upstream = sandbox().await;
    let vars = [("PROXY_ACCESS", "signed-session"), ("PROXY_SESSION_KEY", SESSION_KEY)];
    let app = billing_proxy::app(&config_with(&upstream, std::path::Path::new("/nonexistent"), &vars)).unwrap();
    let customer = billing_sandbox::SPECIAL_CUSTOMER;
    let token = read_write_session_for(customer);
    let mine = billing_contract::paths::customer(OWNER, customer);
    let my_products =
        format!("{mine}/subscriptions/{}/recurring-products", encode_segment(billing_sandbox::SPECIAL_SUBSCRIPTION));

    // Update one of the subscription's products with the body the widget writes
    // (`RecurringProduct::to_input`, serialised by serde as `api::changes` does).
    let existing: Vec<RecurringProduct> = items(&app, &my_products, &token).await;
    let product = existing.first().expect("the special subscription has products");
    let target = format!("{my_products}/{}", encode_segment(&product.recurring_product_no));
    let ended = RecurringProductInput { end_date: Some(Date::new(2027, 12, 31).unwrap()), ..product.to_input() };
    let answer = send(&app, widget_write("PUT", &target, &token, Some(serde_json::to_string(&ended).unwrap()))).await;
    assert_eq!(answer.status, 200, "{}", answer.text());
    let updated: RecurringProduct = serde_json::from_slice(&answer.body).unwrap();
    assert_eq!(updated.to_input(), ended, "the sandbox stored exactly what the widget sent");

    // Add a product with an amount of four decimals, then change it at once (the create made the
    // proxy forget the list it had, so the new product is found).
    let new = RecurringProductInput {
        product_no: "DATA-1".into(),
        description: "Extra data".into(),
        quantity: Decimal::from(3),
        unit_price: "1234.5678".parse().unwrap(),
        vat_rate: Decimal::from(25),
        periodicity: Periodicity::Quarterly,
        start_date: Date::new(2026, 4, 1).unwrap(),
        end_date: None,
    };
    let answer =
        send(&app, widget_write("POST", &my_products, &token, Some(serde_json::to_string(&new).unwrap()))).await;
    assert_eq!(answer.status, 201, "{}", answer.text());
    let created: RecurringProduct = serde_json::from_slice(&answer.body).unwrap();
    assert_eq!(created.to_input(), new, "the amount arrived with every digit");
    let target = format!("{my_products}/{}", encode_segment(&created.recurring_product_no));
    let changed = RecurringProductInput { quantity: Decimal::from(4), ..new };
    let answer = send(&app, widget_write("PUT", &target, &token, Some(serde_json::to_string(&changed).unwrap()))).await;
    assert_eq!(answer.status, 200, "{}", answer.text());
    assert_eq!(send(&app, widget_write("DELETE", &target, &token, None)).await.status.as_u16() / 100, 2);

    // Add a subscription as the widget does.
    let subscription =
        SubscriptionInput {
            subscription_no: "Växel 2/B".into(), description: Some("Växel".into()), start_date: None
        };
    let body = serde_json::to_string(&subscription).unwrap();
    let answer = send(&app, widget_write("POST", &format!("{mine}/subscriptions"), &token, Some(body))).await;
    assert_eq!(answer.status, 201, "{}", answer.text());

    // Another customer's subscription and product numbers under my own path: the proxy's 404,
    // not the sandbox's (whose types name the subscription or product).
    let private = billing_sandbox::PRIVATE_CUSTOMER;
    let theirs = read_write_session_for(private);
    let their_customer = billing_contract::paths::customer(OWNER, private);
    let their_subscriptions: Vec<Subscription> = items(&app, &format!("{their_customer}/subscriptions"), &theirs).await;
    let their_subscription =
        &their_subscriptions.first().expect("the private customer has a subscription").subscription_no;
    let their_list =
        format!("{their_customer}/subscriptions/{}/recurring-products", encode_segment(their_subscription));
    let their_products: Vec<RecurringProduct> = items(&app, &their_list, &theirs).await;
    // Product numbers are per subscription (or customer): one of theirs that none of my lists has.
    let mine_now: Vec<RecurringProduct> = items(&app, &my_products, &token).await;
    let my_customer_level: Vec<RecurringProduct> = items(&app, &format!("{mine}/recurring-products"), &token).await;
    let taken = |no: &str| mine_now.iter().chain(&my_customer_level).any(|p| p.recurring_product_no == no);
    let their_product = &their_products
        .iter()
        .find(|p| !taken(&p.recurring_product_no))
        .expect("a product number of theirs that is not mine")
        .recurring_product_no;
    let body = Some(serde_json::to_string(&ended).unwrap());
    for target in [
        format!(
            "{mine}/subscriptions/{}/recurring-products/{}",
            encode_segment(their_subscription),
            encode_segment(their_product)
        ),
        format!("{mine}/subscriptions/{}/recurring-products", encode_segment(their_subscription)),
        format!("{my_products}/{}", encode_segment(their_product)),
        format!("{mine}/recurring-products/{}", encode_segment(their_product)),
    ] {
        let method = if target.ends_with("recurring-products") { "POST" } else { "PUT" };
        let answer = send(&app, widget_write(method, &target, &token, body.clone())).await;
        assert_eq!(answer.status, 404, "{method} {target}: {}", answer.text());
        assert_eq!(answer.problem().problem_type.as_deref(), Some("billing/proxy/problems/not-found"), "{target}");
    }
    // Their product is unchanged.
    let after: Vec<RecurringProduct> = items(&app, &their_list, &theirs).await;
    assert_eq!(after, their_products);

    // A body with a field the contract's input does not have: refused, naming it.
    let mut smuggled: serde_json::Value = serde_json::to_value(&ended).unwrap();
    smuggled["customerNo"] = private.into();
    let target = format!("{my_products}/{}", encode_segment(&product.recurring_product_no));
    let answer = send(&app, widget_write("PUT", &target, &token, Some(smuggled.to_string()))).await;
    assert_eq!(answer.status, 400);
    let problem = answer.problem();
    assert_eq!(problem.problem_type.as_deref(), Some("billing/proxy/problems/invalid-body"));
    assert_eq!(problem.problems[0].field, "customerNo");
}
