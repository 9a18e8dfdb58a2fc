//! Customer API: customers and their subscriptions. Recurring products are in [`super::product`].

use super::{at, child, created, item, product};
use crate::extract::{Ids, Input};
use crate::href::{Href, CUSTOMERS, SUBSCRIPTIONS};
use crate::paging::PageQuery;
use crate::problem::{Api, ProblemResponse};
use crate::store::{CustomerRecord, SubscriptionRecord};
use crate::AppState;
use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use billing_contract::customer::validation;
use billing_contract::ids::IdKind;
use billing_contract::paths::CUSTOMER_API;
use billing_contract::{Collection, Customer, CustomerInput, OperationRel, Subscription, SubscriptionInput};
use serde::Deserialize;

/// Routes of customers, subscriptions and, at both levels, recurring products.
pub fn routes() -> Router<AppState> {
    let customers = at(CUSTOMER_API, CUSTOMERS);
    let customer = item(&customers, "customer");
    let subscriptions = child(&customer, SUBSCRIPTIONS);
    let subscription = item(&subscriptions, "subscription");
    Router::new()
        .route(&customers, post(create_customer))
        .route(&customer, get(show_customer))
        .route(&subscriptions, get(list_subscriptions).post(add_subscription))
        .route(&subscription, get(show_subscription))
        .merge(product::routes(&customer))
        .merge(product::routes(&subscription))
}

#[derive(Deserialize)]
struct CustomerPath {
    customer: String,
}

#[derive(Deserialize)]
struct SubscriptionPath {
    customer: String,
    subscription: String,
}

fn render_customer(owner_no: &str, customer: &CustomerRecord) -> Customer {
    let href = Href::customer(owner_no, &customer.customer_no);
    let (subscriptions, products) = (href.subscriptions(), href.recurring_products());
    Customer {
        id: href.link(),
        customer_no: customer.customer_no.clone(),
        recurring_products: Some(products.link()),
        subscriptions: Some(subscriptions.link()),
        operations: vec![
            OperationRel::AddSubscription.at(subscriptions.as_str()),
            OperationRel::AddRecurringProduct.at(products.as_str()),
        ],
    }
}

fn render_subscription(customer: &Href, subscription: &SubscriptionRecord) -> Subscription {
    let href = customer.subscription(&subscription.subscription_no);
    let products = href.recurring_products();
    Subscription {
        id: href.link(),
        subscription_no: subscription.subscription_no.clone(),
        description: subscription.description.clone(),
        start_date: subscription.start_date,
        end_date: subscription.end_date,
        recurring_products: Some(products.link()),
        operations: vec![OperationRel::AddRecurringProduct.at(products.as_str())],
    }
}

async fn create_customer(
    State(app): State<AppState>,
    Input(input): Input<CustomerInput>,
) -> Result<Response, ProblemResponse> {
    ProblemResponse::check_id(Api::Customer, IdKind::Customer, &input.customer_no)?;
    let mut ledger = app.store().write();
    let customer = render_customer(app.owner_no(), ledger.create_customer(&input.customer_no)?);
    Ok(created(&customer.id.clone(), customer))
}

async fn show_customer(
    State(app): State<AppState>,
    Ids(path): Ids<CustomerPath>,
) -> Result<Json<Customer>, ProblemResponse> {
    Ok(Json(render_customer(app.owner_no(), app.store().read().customer(&path.customer)?)))
}

async fn list_subscriptions(
    State(app): State<AppState>,
    Ids(path): Ids<CustomerPath>,
    page: PageQuery,
) -> Result<Json<Collection<Subscription>>, ProblemResponse> {
    let ledger = app.store().read();
    let customer = ledger.customer(&path.customer)?;
    let href = Href::customer(app.owner_no(), &customer.customer_no);
    let mut collection =
        page.paginate(&customer.subscriptions, &href.subscriptions(), |s| render_subscription(&href, s));
    collection.operations = vec![OperationRel::AddSubscription.at(href.subscriptions().as_str())];
    Ok(Json(collection))
}

async fn add_subscription(
    State(app): State<AppState>,
    Ids(path): Ids<CustomerPath>,
    Input(input): Input<SubscriptionInput>,
) -> Result<Response, ProblemResponse> {
    let problems = validation::check_subscription(&input);
    if !problems.is_empty() {
        return Err(ProblemResponse::invalid(Api::Customer, problems));
    }
    let record = SubscriptionRecord::new(&input.subscription_no, input.description.as_deref(), input.start_date);
    let mut ledger = app.store().write();
    let subscription = ledger.add_subscription(&path.customer, record)?;
    let body = render_subscription(&Href::customer(app.owner_no(), &path.customer), subscription);
    Ok(created(&body.id.clone(), body))
}

async fn show_subscription(
    State(app): State<AppState>,
    Ids(path): Ids<SubscriptionPath>,
) -> Result<Json<Subscription>, ProblemResponse> {
    let ledger = app.store().read();
    let subscription = ledger.customer(&path.customer)?.subscription(&path.subscription)?;
    Ok(Json(render_subscription(&Href::customer(app.owner_no(), &path.customer), subscription)))
}
