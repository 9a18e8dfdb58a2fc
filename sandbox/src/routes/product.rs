//! Customer API: recurring products. The same handlers serve the customer level
//! (`/customers/{c}/recurring-products`) and the subscription level
//! (`/customers/{c}/subscriptions/{s}/recurring-products`).

use super::{child, created, item};
use crate::extract::{Ids, Input};
use crate::href::{Href, RECURRING_PRODUCTS};
use crate::paging::PageQuery;
use crate::problem::{Api, ProblemResponse};
use crate::store::{ProductRecord, Scope};
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::{Json, Router};
use billing_contract::customer::validation;
use billing_contract::{Collection, OperationRel, RecurringProduct, RecurringProductInput};
use serde::Deserialize;

/// The recurring-product routes under `parent` (a customer or subscription route template).
pub fn routes(parent: &str) -> Router<AppState> {
    let collection = child(parent, RECURRING_PRODUCTS);
    Router::new()
        .route(&collection, get(list).post(add))
        .route(&item(&collection, "product"), get(show).put(replace).delete(remove))
}

/// The owner of a recurring-product collection, from the path.
#[derive(Deserialize)]
struct ParentPath {
    customer: String,
    subscription: Option<String>,
}

impl ParentPath {
    fn scope(&self) -> Scope<'_> {
        Scope { customer_no: &self.customer, subscription_no: self.subscription.as_deref() }
    }
}

/// One recurring product, from the path.
#[derive(Deserialize)]
struct ProductPath {
    customer: String,
    subscription: Option<String>,
    product: String,
}

impl ProductPath {
    fn scope(&self) -> Scope<'_> {
        Scope { customer_no: &self.customer, subscription_no: self.subscription.as_deref() }
    }
}

/// The path of the customer or subscription holding the products of `scope`.
fn parent(owner_no: &str, scope: Scope) -> Href {
    let customer = Href::customer(owner_no, scope.customer_no);
    match scope.subscription_no {
        Some(subscription_no) => customer.subscription(subscription_no),
        None => customer,
    }
}

fn render(parent: &Href, product: &ProductRecord) -> RecurringProduct {
    let href = parent.recurring_product(&product.no);
    let p = &product.input;
    RecurringProduct {
        recurring_product_no: product.no.clone(),
        product_no: p.product_no.clone(),
        description: p.description.clone(),
        quantity: p.quantity,
        unit_price: p.unit_price,
        vat_rate: p.vat_rate,
        periodicity: p.periodicity,
        start_date: p.start_date,
        end_date: p.end_date,
        operations: vec![
            OperationRel::UpdateRecurringProduct.at(href.as_str()),
            OperationRel::DeleteRecurringProduct.at(href.as_str()),
        ],
        id: href.link(),
    }
}

/// The input, if it passes the contract's rules.
fn validated(app: &AppState, input: RecurringProductInput) -> Result<RecurringProductInput, ProblemResponse> {
    let problems = validation::check_recurring_product(&input, &app.config().variants.vat_rates());
    if problems.is_empty() {
        Ok(input)
    } else {
        Err(ProblemResponse::invalid(Api::Customer, problems))
    }
}

async fn list(
    State(app): State<AppState>,
    Ids(path): Ids<ParentPath>,
    page: PageQuery,
) -> Result<Json<Collection<RecurringProduct>>, ProblemResponse> {
    let ledger = app.store().read();
    let products = ledger.products(path.scope())?;
    let parent = parent(app.owner_no(), path.scope());
    let mut collection = page.paginate(products, &parent.recurring_products(), |p| render(&parent, p));
    collection.operations = vec![OperationRel::AddRecurringProduct.at(parent.recurring_products().as_str())];
    Ok(Json(collection))
}

async fn add(
    State(app): State<AppState>,
    Ids(path): Ids<ParentPath>,
    Input(input): Input<RecurringProductInput>,
) -> Result<Response, ProblemResponse> {
    let product = app.store().write().add_product(path.scope(), validated(&app, input)?)?;
    let body = render(&parent(app.owner_no(), path.scope()), &product);
    Ok(created(&body.id.clone(), body))
}

async fn show(
    State(app): State<AppState>,
    Ids(path): Ids<ProductPath>,
) -> Result<Json<RecurringProduct>, ProblemResponse> {
    let ledger = app.store().read();
    let product = ledger.product(path.scope(), &path.product)?;
    Ok(Json(render(&parent(app.owner_no(), path.scope()), product)))
}

async fn replace(
    State(app): State<AppState>,
    Ids(path): Ids<ProductPath>,
    Input(input): Input<RecurringProductInput>,
) -> Result<Json<RecurringProduct>, ProblemResponse> {
    let product = app.store().write().replace_product(path.scope(), &path.product, validated(&app, input)?)?;
    Ok(Json(render(&parent(app.owner_no(), path.scope()), &product)))
}

async fn remove(State(app): State<AppState>, Ids(path): Ids<ProductPath>) -> Result<StatusCode, ProblemResponse> {
    app.store().write().delete_product(path.scope(), &path.product)?;
    Ok(StatusCode::NO_CONTENT)
}
