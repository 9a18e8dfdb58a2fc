//! Invoice API (read-only): invoices, the subscriptions billed on them and their lines. Lines
//! at customer level and at subscription level share their handlers.

use super::{at, child, item};
use crate::extract::Ids;
use crate::href::{Href, INVOICES, RECURRING_PRODUCTS, SUBSCRIPTIONS};
use crate::paging::PageQuery;
use crate::problem::{Api, ProblemResponse};
use crate::store::{InvoiceRecord, InvoiceSubscriptionRecord, Ledger, LineRecord, StoreError};
use crate::AppState;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use billing_contract::ids::IdKind;
use billing_contract::paths::{CUSTOMER_NO_PARAM, INVOICE_API};
use billing_contract::{Collection, Invoice, InvoiceLine, InvoiceSubscription};
use serde::Deserialize;

/// Routes of invoices, their subscriptions and their lines.
pub fn routes() -> Router<AppState> {
    let invoices = at(INVOICE_API, INVOICES);
    let invoice = item(&invoices, "invoice");
    let subscriptions = child(&invoice, SUBSCRIPTIONS);
    let subscription = item(&subscriptions, "subscription");
    let lines_routes = |parent: &str| {
        let lines = child(parent, RECURRING_PRODUCTS);
        Router::new().route(&lines, get(list_lines)).route(&item(&lines, "product"), get(show_line))
    };
    Router::new()
        .route(&invoices, get(list_invoices))
        .route(&invoice, get(show_invoice))
        .route(&subscriptions, get(list_subscriptions))
        .route(&subscription, get(show_subscription))
        .merge(lines_routes(&invoice))
        .merge(lines_routes(&subscription))
}

/// An invoice, from the path.
#[derive(Deserialize)]
struct InvoicePath {
    invoice: String,
}

/// A subscription on an invoice, from the path.
#[derive(Deserialize)]
struct SubscriptionPath {
    invoice: String,
    subscription: String,
}

/// The invoice, or the subscription on it, whose lines are asked for; and maybe one line.
#[derive(Deserialize)]
struct LinesPath {
    invoice: String,
    subscription: Option<String>,
    product: Option<String>,
}

impl LinesPath {
    /// The path of the invoice, or of the subscription on it, that holds the lines.
    fn parent(&self, owner_no: &str) -> Href {
        let invoice = Href::invoice(owner_no, &self.invoice);
        match &self.subscription {
            Some(subscription_no) => invoice.subscription(subscription_no),
            None => invoice,
        }
    }

    fn lines<'a>(&self, ledger: &'a Ledger) -> Result<&'a [LineRecord], StoreError> {
        ledger.invoice(&self.invoice)?.lines(self.subscription.as_deref())
    }
}

fn render_invoice(owner_no: &str, invoice: &InvoiceRecord) -> Invoice {
    let href = Href::invoice(owner_no, &invoice.invoice_no);
    Invoice {
        id: href.link(),
        invoice_no: invoice.invoice_no.clone(),
        invoice_date: Some(invoice.invoice_date),
        due_date: Some(invoice.due_date),
        customer_no: Some(invoice.customer_no.clone()),
        currency: Some(invoice.currency.clone()),
        invoice_amount: Some(invoice.invoice_amount()),
        recurring_products: Some(href.recurring_products().link()),
        subscriptions: Some(href.subscriptions().link()),
    }
}

fn render_subscription(invoice: &Href, subscription: &InvoiceSubscriptionRecord) -> InvoiceSubscription {
    let href = invoice.subscription(&subscription.subscription_no);
    InvoiceSubscription {
        id: href.link(),
        subscription_no: subscription.subscription_no.clone(),
        description: subscription.description.clone(),
        recurring_products: Some(href.recurring_products().link()),
    }
}

fn render_line(parent: &Href, line: &LineRecord) -> InvoiceLine {
    InvoiceLine {
        id: Some(parent.recurring_product(&line.recurring_product_no).link()),
        recurring_product_no: line.recurring_product_no.clone(),
        product_no: line.product_no.clone(),
        description: line.description.clone(),
        period_start: Some(line.period_start),
        period_end: Some(line.period_end),
        quantity: line.quantity,
        unit_price: line.unit_price,
        amount: line.amount(),
        vat_rate: line.vat_rate,
        vat_amount: line.vat_amount(),
        total_amount: line.total_amount(),
    }
}

async fn list_invoices(
    State(app): State<AppState>,
    page: PageQuery,
) -> Result<Json<Collection<Invoice>>, ProblemResponse> {
    let customer_no = page.param(CUSTOMER_NO_PARAM);
    if let Some(customer_no) = customer_no {
        ProblemResponse::check_id(Api::Invoice, IdKind::Customer, customer_no)?;
    }
    let ledger = app.store().read();
    let invoices = ledger.invoices_newest_first(customer_no);
    Ok(Json(page.paginate(&invoices, &Href::invoices(app.owner_no()), |i| render_invoice(app.owner_no(), i))))
}

async fn show_invoice(
    State(app): State<AppState>,
    Ids(path): Ids<InvoicePath>,
) -> Result<Json<Invoice>, ProblemResponse> {
    Ok(Json(render_invoice(app.owner_no(), app.store().read().invoice(&path.invoice)?)))
}

async fn list_subscriptions(
    State(app): State<AppState>,
    Ids(path): Ids<InvoicePath>,
    page: PageQuery,
) -> Result<Json<Collection<InvoiceSubscription>>, ProblemResponse> {
    let ledger = app.store().read();
    let invoice = ledger.invoice(&path.invoice)?;
    let href = Href::invoice(app.owner_no(), &invoice.invoice_no);
    Ok(Json(page.paginate(&invoice.subscriptions, &href.subscriptions(), |s| render_subscription(&href, s))))
}

async fn show_subscription(
    State(app): State<AppState>,
    Ids(path): Ids<SubscriptionPath>,
) -> Result<Json<InvoiceSubscription>, ProblemResponse> {
    let ledger = app.store().read();
    let invoice = ledger.invoice(&path.invoice)?;
    let subscription = invoice.subscription(&path.subscription)?;
    Ok(Json(render_subscription(&Href::invoice(app.owner_no(), &invoice.invoice_no), subscription)))
}

async fn list_lines(
    State(app): State<AppState>,
    Ids(path): Ids<LinesPath>,
    page: PageQuery,
) -> Result<Json<Collection<InvoiceLine>>, ProblemResponse> {
    let ledger = app.store().read();
    let parent = path.parent(app.owner_no());
    Ok(Json(page.paginate(path.lines(&ledger)?, &parent.recurring_products(), |line| render_line(&parent, line))))
}

async fn show_line(
    State(app): State<AppState>,
    Ids(path): Ids<LinesPath>,
) -> Result<Json<InvoiceLine>, ProblemResponse> {
    let ledger = app.store().read();
    let wanted = path.product.as_deref().unwrap_or_default();
    let line = path
        .lines(&ledger)?
        .iter()
        .find(|line| line.recurring_product_no == wanted)
        .ok_or_else(|| StoreError::InvoiceLineNotFound(wanted.into()))?;
    Ok(Json(render_line(&path.parent(app.owner_no()), line)))
}
