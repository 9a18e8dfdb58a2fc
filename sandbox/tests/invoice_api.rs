//! The Invoice API: lists, lines, paging through large invoices, and reconciliation.

mod common;

use axum::http::{Method, StatusCode};
use billing_contract::ids::encode_segment;
use billing_contract::{Collection, Decimal, Invoice, InvoiceLine, InvoiceSubscription, ProblemType};
use billing_sandbox::{
    BUSINESS_CUSTOMER, BUSINESS_INVOICE_50_LINES, BUSINESS_INVOICE_5K, EMPTY_CUSTOMER, LARGE_INVOICE_20K,
    LARGE_INVOICE_50K, LARGE_INVOICE_50K_NEXT, PRIVATE_CUSTOMER, SPECIAL_CUSTOMER, UNRECONCILED_INVOICE,
};
use common::{collect_all, get_ok, invoice_api, sandbox, send};
use std::collections::HashSet;

/// Every line of an invoice, by following its links: customer level, then each subscription.
async fn all_lines(app: &axum::Router, invoice: &Invoice, page_size: Option<usize>) -> Vec<InvoiceLine> {
    let sized = |link: &str| match page_size {
        Some(size) => format!("{link}?pageSize={size}"),
        None => link.to_owned(),
    };
    let (mut lines, _) =
        collect_all::<InvoiceLine>(app, &sized(invoice.recurring_products.as_ref().unwrap().as_str())).await;
    let (subscriptions, _) =
        collect_all::<InvoiceSubscription>(app, &sized(invoice.subscriptions.as_ref().unwrap().as_str())).await;
    for s in subscriptions {
        lines.extend(collect_all::<InvoiceLine>(app, &sized(s.recurring_products.unwrap().as_str())).await.0);
    }
    lines
}

async fn invoices(app: &axum::Router, query: &str) -> Vec<Invoice> {
    collect_all::<Invoice>(app, &invoice_api(&format!("/invoices{query}"))).await.0
}

#[tokio::test]
async fn a_customers_invoices_come_newest_first_with_every_field() {
    let app = sandbox();
    let list = invoices(&app, &format!("?customerNo={PRIVATE_CUSTOMER}")).await;
    assert_eq!(list.len(), 12);
    assert!(list.windows(2).all(|w| w[0].invoice_date > w[1].invoice_date));
    for invoice in &list {
        assert_eq!(invoice.customer_no.as_deref(), Some(PRIVATE_CUSTOMER));
        assert_eq!(invoice.currency.as_deref(), Some("SEK"));
        assert!(invoice.due_date > invoice.invoice_date);
        assert!(invoice.invoice_amount.is_some());
        let read: Invoice = serde_json::from_value(get_ok(&app, invoice.id.as_str()).await).unwrap();
        assert_eq!(&read, invoice);
    }
    assert!(invoices(&app, &format!("?customerNo={EMPTY_CUSTOMER}")).await.is_empty());
    assert!(invoices(&app, "?customerNo=404404").await.is_empty());
    let special = invoices(&app, &format!("?customerNo={}", encode_segment(SPECIAL_CUSTOMER))).await;
    assert_eq!(special.len(), 2);
    assert!(special.iter().all(|i| i.customer_no.as_deref() == Some(SPECIAL_CUSTOMER)));

    let all = invoices(&app, "").await;
    let customers: HashSet<_> = all.iter().filter_map(|i| i.customer_no.clone()).collect();
    assert!(customers.contains(BUSINESS_CUSTOMER) && customers.contains(PRIVATE_CUSTOMER));
    assert!(all.windows(2).all(|w| w[0].invoice_date >= w[1].invoice_date));
}

#[tokio::test]
async fn the_invoice_list_pages_and_keeps_its_filter() {
    let app = sandbox();
    let first: Collection<Invoice> = serde_json::from_value(
        get_ok(&app, &invoice_api(&format!("/invoices?customerNo={PRIVATE_CUSTOMER}&pageSize=5"))).await,
    )
    .unwrap();
    assert_eq!(first.items.len(), 5);
    assert_eq!(first.navigation.id.unwrap().as_str(), invoice_api(&format!("/invoices?customerNo={PRIVATE_CUSTOMER}")));
    let next = first.navigation.next.unwrap();
    assert!(next.as_str().contains(&format!("customerNo={PRIVATE_CUSTOMER}")) && next.as_str().contains("pageSize=5"));
    let (paged, pages) =
        collect_all::<Invoice>(&app, &invoice_api(&format!("/invoices?customerNo={PRIVATE_CUSTOMER}&pageSize=5")))
            .await;
    assert_eq!((paged.len(), pages), (12, 3));

    for (query, field) in [
        ("page=0", "page"),
        ("pageSize=1001", "pageSize"),
        ("pageSize=x", "pageSize"),
        ("customerNo=a%3Fb", "customerNo"),
    ] {
        let answer = send(&app, Method::GET, &invoice_api(&format!("/invoices?{query}")), None).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{query}");
        assert!(answer.problem().is(ProblemType::InvoiceValidation));
        assert_eq!(answer.failing_fields(), [field]);
    }
}

#[tokio::test]
async fn unknown_invoice_resources_answer_their_problem_types() {
    let app = sandbox();
    let cases = [
        ("/invoices/999999", ProblemType::InvoiceNotFound),
        ("/invoices/999999/recurring-products", ProblemType::InvoiceNotFound),
        ("/invoices/999999/subscriptions", ProblemType::InvoiceNotFound),
        (
            &format!("/invoices/{UNRECONCILED_INVOICE}/subscriptions/46700000000"),
            ProblemType::InvoiceSubscriptionNotFound,
        ),
        (
            &format!("/invoices/{UNRECONCILED_INVOICE}/subscriptions/46700000000/recurring-products"),
            ProblemType::InvoiceSubscriptionNotFound,
        ),
        (&format!("/invoices/{UNRECONCILED_INVOICE}/recurring-products/1"), ProblemType::InvoiceLineNotFound),
    ];
    for (tail, expected) in cases {
        let answer = send(&app, Method::GET, &invoice_api(tail), None).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{tail}");
        assert!(answer.problem().is(expected), "{tail}: {}", answer.body);
    }
}

#[tokio::test]
async fn following_next_through_the_20k_invoice_collects_every_line_once() {
    let app = sandbox();
    let invoice: Invoice =
        serde_json::from_value(get_ok(&app, &invoice_api(&format!("/invoices/{LARGE_INVOICE_20K}"))).await).unwrap();
    for page_size in [None, Some(97)] {
        let lines = all_lines(&app, &invoice, page_size).await;
        assert!(lines.len() >= 20_000, "{} lines", lines.len());
        let ids: HashSet<_> = lines.iter().map(|l| l.id.clone().unwrap()).collect();
        assert_eq!(ids.len(), lines.len(), "every line exactly once");
        let total: Decimal = lines.iter().map(|l| l.total_amount).sum();
        assert_eq!(Some(total), invoice.invoice_amount);
    }
    // The first subscription's lines need several pages at a small page size.
    let (subscriptions, _) =
        collect_all::<InvoiceSubscription>(&app, invoice.subscriptions.as_ref().unwrap().as_str()).await;
    let link = subscriptions[0].recurring_products.as_ref().unwrap().as_str();
    let (lines, pages) = collect_all::<InvoiceLine>(&app, &format!("{link}?pageSize=97")).await;
    assert_eq!(pages, lines.len().div_ceil(97));
    assert!(pages > 1);
}

#[tokio::test]
async fn every_invoice_reconciles_except_the_unreconciled_one() {
    let app = sandbox();
    let mut checked = 0;
    for invoice in invoices(&app, "").await {
        let lines = all_lines(&app, &invoice, Some(1000)).await;
        assert!(!lines.is_empty());
        for line in &lines {
            assert_eq!(line.amount, billing_contract::money::round_cents(line.quantity * line.unit_price), "{line:?}");
            let vat = billing_contract::money::round_cents(line.amount * line.vat_rate / Decimal::ONE_HUNDRED);
            assert_eq!((line.vat_amount, line.total_amount), (vat, line.amount + vat), "{line:?}");
        }
        let total: Decimal = lines.iter().map(|l| l.total_amount).sum();
        let amount = invoice.invoice_amount.unwrap();
        if invoice.invoice_no == UNRECONCILED_INVOICE {
            assert_ne!(total, amount, "{UNRECONCILED_INVOICE} must not reconcile");
        } else {
            assert_eq!(total, amount, "invoice {}", invoice.invoice_no);
        }
        checked += 1;
    }
    assert!(checked >= 18);
}

#[tokio::test]
async fn business_invoices_have_the_advertised_sizes() {
    let app = sandbox();
    for (invoice_no, at_least, at_most) in [
        (BUSINESS_INVOICE_50_LINES, 50, 50),
        (BUSINESS_INVOICE_5K, 4_900, 5_100),
        (LARGE_INVOICE_20K, 20_000, 21_000),
        (LARGE_INVOICE_50K, 50_000, 51_000),
        (LARGE_INVOICE_50K_NEXT, 50_000, 51_000),
    ] {
        let invoice: Invoice =
            serde_json::from_value(get_ok(&app, &invoice_api(&format!("/invoices/{invoice_no}"))).await).unwrap();
        assert_eq!(invoice.customer_no.as_deref(), Some(BUSINESS_CUSTOMER));
        let count = all_lines(&app, &invoice, Some(1000)).await.len();
        assert!((at_least..=at_most).contains(&count), "{invoice_no}: {count} lines");
    }
}

#[tokio::test]
async fn the_private_customers_invoices_have_several_vat_rates_credits_and_prorations() {
    let app = sandbox();
    let mut lines = Vec::new();
    for invoice in invoices(&app, &format!("?customerNo={PRIVATE_CUSTOMER}")).await {
        lines.extend(all_lines(&app, &invoice, None).await);
    }
    let rates: HashSet<Decimal> = lines.iter().map(|l| l.vat_rate).collect();
    assert!(rates.len() >= 3, "{rates:?}");
    assert!(lines.iter().any(|l| l.total_amount < Decimal::ZERO && l.quantity < Decimal::ZERO), "a credit line");
    assert!(lines.iter().any(|l| l.unit_price < Decimal::ZERO), "a discount");
    assert!(lines.iter().any(|l| !l.quantity.fract().is_zero() && l.quantity > Decimal::ZERO), "a prorated debit");
    assert!(lines.iter().any(|l| l.description.chars().any(|c| "åäö".contains(c))));
    assert!(lines.iter().all(|l| l.period_start <= l.period_end));
}

#[tokio::test]
async fn line_and_subscription_ids_resolve() {
    let app = sandbox();
    let invoice: Invoice =
        serde_json::from_value(get_ok(&app, &invoice_api(&format!("/invoices/{BUSINESS_INVOICE_50_LINES}"))).await)
            .unwrap();
    let (subscriptions, _) =
        collect_all::<InvoiceSubscription>(&app, invoice.subscriptions.as_ref().unwrap().as_str()).await;
    for s in &subscriptions {
        assert_eq!(get_ok(&app, s.id.as_str()).await, serde_json::to_value(s).unwrap());
    }
    for line in all_lines(&app, &invoice, None).await {
        let id = line.id.clone().unwrap();
        assert_eq!(get_ok(&app, id.as_str()).await, serde_json::to_value(&line).unwrap());
    }
}
