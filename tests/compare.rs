//! The comparison of two invoices, mounted into a real DOM in headless Chromium.
#![cfg(target_arch = "wasm32")]

use billing_contract::{Invoice, InvoiceLine, Link};
use billing_widget::api::ApiClient;
use billing_widget::model::comparison::Comparison;
use billing_widget::model::{ChargeGroup, GroupKind, StdLowercase};
use billing_widget::views::{Compared, ComparisonTable, InvoiceComparison, Mode};
use leptos::prelude::*;
use std::sync::Arc;
use wasm_bindgen_test::*;

mod common;
use common::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A monthly charge of its own product (numbered after its description), at 25 % VAT.
fn charge(description: &str, quantity: &str, price: &str) -> InvoiceLine {
    let (quantity, price) = (dec(quantity), dec(price));
    let amount = quantity * price;
    let vat = (amount * dec("0.25")).round_dp(2);
    InvoiceLine {
        id: None,
        recurring_product_no: format!("R-{description}"),
        product_no: description.to_uppercase(),
        description: description.into(),
        period_start: Some("2026-10-01".parse().unwrap()),
        period_end: Some("2026-10-31".parse().unwrap()),
        quantity,
        unit_price: price,
        amount,
        vat_rate: dec("25"),
        vat_amount: vat,
        total_amount: amount + vat,
    }
}

fn invoice(no: &str, date: &str, amount: Option<&str>) -> Invoice {
    Invoice {
        id: Link(format!("/billing/invoice/v1/100200/invoices/{no}")),
        invoice_no: no.into(),
        invoice_date: Some(date.parse().unwrap()),
        due_date: None,
        customer_no: Some("15615616".into()),
        currency: Some("SEK".into()),
        invoice_amount: amount.map(dec),
        recurring_products: None,
        subscriptions: None,
    }
}

fn group(kind: GroupKind, lines: Vec<InvoiceLine>) -> Arc<ChargeGroup> {
    Arc::new(ChargeGroup::new(kind, lines, &StdLowercase))
}

fn anna() -> GroupKind {
    GroupKind::Subscription { subscription_no: "46701234567".into(), description: Some("Mobil – Anna".into()) }
}

/// Before: a fee of 100 and Anna's plan at 200 (375.00 incl. VAT). Now: the same fee, Anna's
/// plan at 250 and a new insurance of 40 (487.50): 112.50 more, a price change and a new charge.
fn compared() -> Compared {
    let before =
        [group(GroupKind::Customer, vec![charge("Fee", "1", "100")]), group(anna(), vec![charge("Plan", "1", "200")])];
    let now = [
        group(GroupKind::Customer, vec![charge("Fee", "1", "100")]),
        group(anna(), vec![charge("Plan", "1", "250"), charge("Insurance", "1", "40")]),
    ];
    let comparison = Comparison::new((&before, Some(dec("375.00"))), (&now, Some(dec("487.50")))).unwrap();
    Compared {
        before: Arc::new(invoice("603011", "2026-10-01", Some("375.00"))),
        now: Arc::new(invoice("603012", "2026-11-01", Some("487.50"))),
        comparison: Arc::new(comparison),
    }
}

#[wasm_bindgen_test]
fn crm_staff_read_the_difference_by_invoice_number_then_per_kind_and_per_group() {
    let (host, _mount) =
        mount_with_locale("sv-SE", || view! { <ComparisonTable compared=compared() mode=Mode::Crm /> });
    assert_eq!(texts(&host, ".bw-compare-summary"), ["Faktura 603012: 487,50 kr, 112,50 kr mer än faktura 603011."]);
    assert_eq!(
        texts(&host, ".bw-compare-kinds tbody tr"),
        ["Ny avgift1+50,00 kr", "Prisändring1+62,50 kr"],
        "each kind with its count and what it adds"
    );
    assert_eq!(
        texts(&host, ".bw-compare-group .bw-group-title"),
        ["Poster på kundnivå", "Abonnemang 46701234567 – Mobil – Anna"]
    );
    assert_eq!(texts(&host, ".bw-compare-unchanged"), ["Ingen ändring."], "the customer level did not change");
    let changes = texts(&host, "tr.bw-change");
    assert_eq!(changes.len(), 2);
    assert!(
        changes[0].starts_with("PrisändringPLANPlan250,00 kr1 × 200,00312,50 kr1 × 250,00+62,50 kr"),
        "{changes:?}"
    );
    assert!(changes[1].starts_with("Ny avgiftINSURANCEInsurance"), "{changes:?}");
    assert!(changes[1].ends_with("+50,00 kr"), "{changes:?}");
    assert!(texts(&host, ".bw-compare-unexplained").is_empty(), "everything adds up: no unexplained rest");
}

#[wasm_bindgen_test]
fn customers_read_it_by_date_without_product_numbers() {
    let (host, _mount) =
        mount_with_locale("en-GB", || view! { <ComparisonTable compared=compared() mode=Mode::SelfService /> });
    let summary = texts(&host, ".bw-compare-summary").join("");
    assert!(summary.starts_with("Your invoice of "), "{summary}");
    assert!(summary.contains("112.50") && summary.contains(" more than the one of "), "{summary}");
    assert!(!summary.contains("603012"), "no invoice numbers in the customer's sentence: {summary}");
    assert_eq!(count(&host, ".bw-compare-changes thead th"), 5, "no product column");
    assert!(texts(&host, "tr.bw-change").iter().all(|row| !row.contains("PLAN") && !row.contains("INSURANCE")));
}

#[wasm_bindgen_test]
fn what_the_lines_do_not_explain_is_stated() {
    let mut c = compared();
    let Compared { before, now, .. } = c.clone();
    // The newer invoice says 35.00 more than its lines (a reminder fee billed elsewhere).
    let lines_only = c.comparison.as_ref().clone();
    c.comparison = Arc::new(Comparison { invoice_amounts: (Some(dec("375.00")), Some(dec("522.50"))), ..lines_only });
    c.before = before;
    c.now = now;
    let (host, _mount) = mount_with_locale("en-GB", move || view! { <ComparisonTable compared=c mode=Mode::Crm /> });
    let note = texts(&host, ".bw-compare-unexplained").join("");
    assert!(note.contains("35.00") && note.contains("not in the lines"), "{note}");
    let summary = texts(&host, ".bw-compare-summary").join("");
    assert!(summary.contains("147.50"), "the difference is the invoices' own: {summary}");
}

#[wasm_bindgen_test]
async fn a_comparison_of_thousands_of_changes_keeps_only_the_rows_in_view() {
    let lines = |price: &str| (0..3_000).map(|i| charge(&format!("Usage {i}"), "1", price)).collect::<Vec<_>>();
    let before = [group(GroupKind::Customer, lines("1"))];
    let now = [group(GroupKind::Customer, lines("2"))];
    let comparison = Comparison::new((&before, None), (&now, None)).unwrap();
    assert_eq!(comparison.groups[0].changes.len(), 3_000);
    let c = Compared {
        before: Arc::new(invoice("1", "2026-10-01", None)),
        now: Arc::new(invoice("2", "2026-11-01", None)),
        comparison: Arc::new(comparison),
    };
    let (host, _mount) = mount_with_locale("en-GB", move || view! { <ComparisonTable compared=c mode=Mode::Crm /> });
    settle().await;
    let rendered = count(&host, "tr.bw-change");
    assert!(rendered > 5 && rendered < 200, "{rendered} change rows in the DOM");
    assert_eq!(attribute(&host, ".bw-compare-changes", "aria-rowcount").as_deref(), Some("3002"));
}

/// Serves a customer's three invoices, each with customer-level lines, as the API would.
fn serve_invoices() -> FakeFetch {
    serve_invoices_without(None)
}

/// The same, without the page at `missing` (a 404).
fn serve_invoices_without(missing: Option<&str>) -> FakeFetch {
    let base = "/billing/invoice/v1/100200/invoices";
    let invoice = |no: &str, date: &str, amount: &str| {
        format!(
            r#"{{"@id": "{base}/{no}", "invoiceNo": "{no}", "invoiceDate": "{date}", "currency": "SEK",
                "invoiceAmount": {amount}, "recurringProducts": "{base}/{no}/recurring-products"}}"#
        )
    };
    let line = |description: &str, price: &str, total: &str| {
        format!(
            r#"{{"recurringProductNo": "R-{description}", "productNo": "{description}", "description": "{description}",
                "quantity": 1, "unitPrice": {price}, "amount": {price}, "vatRate": 25, "vatAmount": 0, "totalAmount": {total}}}"#
        )
    };
    let page = |lines: &[String]| format!(r#"{{"items": [{}], "navigation": {{}}}}"#, lines.join(","));
    let pages: Vec<(String, String)> = vec![
        (format!("{base}/603012"), invoice("603012", "2026-11-01", "150")),
        (format!("{base}/603011"), invoice("603011", "2026-10-01", "100")),
        (format!("{base}/603010"), invoice("603010", "2026-09-01", "80")),
        (format!("{base}/603012/recurring-products"), page(&[line("Plan", "120", "150")])),
        (format!("{base}/603011/recurring-products"), page(&[line("Plan", "80", "100")])),
        (format!("{base}/603010/recurring-products"), page(&[line("Plan", "64", "80")])),
    ];
    let pages: Vec<(&str, &str)> =
        pages.iter().filter(|(a, _)| Some(a.as_str()) != missing).map(|(a, b)| (a.as_str(), b.as_str())).collect();
    FakeFetch::serve(&pages)
}

fn listed() -> Arc<Vec<Invoice>> {
    Arc::new(vec![
        invoice("603012", "2026-11-01", Some("150")),
        invoice("603011", "2026-10-01", Some("100")),
        invoice("603010", "2026-09-01", Some("80")),
    ])
}

#[wasm_bindgen_test]
async fn by_default_the_shown_invoice_is_compared_with_the_one_before_it_and_either_can_be_changed() {
    let fake = serve_invoices();
    let heard = Heard::default();
    let provided = heard.clone();
    let (host, _mount) = mount(move || {
        provided.provide();
        view! {
            <InvoiceComparison client=ApiClient::new("") owner_no="100200" invoices=listed() shown="603012"
                mode=Mode::Crm locale="en-GB" />
        }
    });
    wait_until("the summary shows", || !texts(&host, ".bw-compare-summary").is_empty()).await;
    let summary = texts(&host, ".bw-compare-summary").join("");
    assert!(summary.starts_with("Invoice 603012:") && summary.ends_with("more than invoice 603011."), "{summary}");
    assert!(summary.contains("50.00"), "{summary}");
    {
        let compared = heard.compared.lock().unwrap();
        assert_eq!(compared.len(), 1, "the host hears of the comparison");
        assert_eq!((compared[0].invoice_no.as_str(), compared[0].compared_with.as_str()), ("603012", "603011"));
        assert_eq!(compared[0].difference, dec("50"));
    }
    // Compare with the September invoice instead: the November one is not fetched again.
    let asked_before = fake.asked().len();
    let select: web_sys::HtmlSelectElement =
        wasm_bindgen::JsCast::unchecked_into(host.query_selector_all("select").unwrap().item(1).unwrap());
    select.set_value("603010");
    select.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    wait_until("the new summary shows", || texts(&host, ".bw-compare-summary").join("").contains("603010")).await;
    assert!(texts(&host, ".bw-compare-summary").join("").contains("70.00"));
    let asked: Vec<String> = fake.asked().into_iter().skip(asked_before).collect();
    assert!(asked.iter().all(|url| url.contains("603010")), "only the new side is loaded: {asked:?}");
    assert_eq!(heard.compared.lock().unwrap().len(), 2);
}

#[wasm_bindgen_test]
async fn the_oldest_invoice_has_nothing_before_it_and_says_so() {
    let _fake = serve_invoices();
    let (host, _mount) = mount(move || {
        view! { <InvoiceComparison client=ApiClient::new("") owner_no="100200" invoices=listed() shown="603010" locale="en-GB" /> }
    });
    wait_until("the note shows", || !texts(&host, ".bw-compare .bw-note").is_empty()).await;
    assert_eq!(texts(&host, ".bw-compare .bw-note"), ["There is no earlier invoice to compare with."]);
}

#[wasm_bindgen_test]
async fn a_group_that_cannot_be_loaded_fails_the_comparison_with_a_retry_instead_of_calling_its_charges_gone() {
    let missing = "/billing/invoice/v1/100200/invoices/603011/recurring-products";
    let _fake = serve_invoices_without(Some(missing)).failing(missing, 503);
    let heard = Heard::default();
    let provided = heard.clone();
    let (host, _mount) = mount(move || {
        provided.provide();
        view! { <InvoiceComparison client=ApiClient::new("") owner_no="100200" invoices=listed() shown="603012" locale="en-GB" /> }
    });
    wait_until("the error shows", || count(&host, ".bw-compare .bw-error") > 0).await;
    assert!(texts(&host, ".bw-compare-summary").is_empty(), "no comparison from part of an invoice");
    assert!(count(&host, ".bw-compare .bw-error button") > 0, "a 503 can be retried");
    assert!(heard.compared.lock().unwrap().is_empty(), "the host hears of no comparison");
}
