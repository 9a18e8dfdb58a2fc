//! Components mounted into a real DOM in headless Chromium (`wasm-bindgen-test`).
#![cfg(target_arch = "wasm32")]

use billing_contract::{Decimal, Invoice, InvoiceLine, InvoiceSubscription, Link, Problem, Unreadable};
use billing_widget::api::{ApiClient, ApiError, PagingFault};
use billing_widget::format::case::BrowserLowercase;
use billing_widget::format::Formatter;
use billing_widget::model::{ChargeGroup, GroupKind, InvoiceDetails, Lowercase, StdLowercase};
use billing_widget::views::{
    use_load, ErrorDetails, ErrorView, FetchInvoice, GroupSlot, InvoiceCharges, InvoiceHeader, InvoiceList,
    InvoiceListTable, InvoiceOpened, InvoiceTable, InvoiceView, Load, Loaded, Loading, SlotState, ViewName,
    FILL_CONCURRENCY, QUIET_LOAD,
};
use futures::channel::oneshot;
use leptos::prelude::*;
use std::sync::{Arc, Mutex};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlElement;

mod common;
use common::*;

wasm_bindgen_test_configure!(run_in_browser);

// ---- fixtures ---------------------------------------------------------------------------

fn line(description: &str, amount: &str, rate: &str) -> InvoiceLine {
    let amount = dec(amount);
    let vat = (amount * dec(rate) / Decimal::from(100)).round_dp(2);
    InvoiceLine {
        id: None,
        recurring_product_no: "1001".into(),
        product_no: "MOB-5GB".into(),
        description: description.into(),
        period_start: Some("2026-02-01".parse().unwrap()),
        period_end: Some("2026-02-28".parse().unwrap()),
        quantity: Decimal::ONE,
        unit_price: amount,
        amount,
        vat_rate: dec(rate),
        vat_amount: vat,
        total_amount: amount + vat,
    }
}

fn invoice(amount: &str) -> Invoice {
    Invoice {
        id: Link("/billing/invoice/v1/100200/invoices/603010".into()),
        invoice_no: "603010".into(),
        invoice_date: Some("2026-03-01".parse().unwrap()),
        due_date: Some("2026-03-31".parse().unwrap()),
        customer_no: Some("15615616".into()),
        currency: Some("SEK".into()),
        invoice_amount: Some(dec(amount)),
        recurring_products: None,
        subscriptions: None,
    }
}

fn subscription(no: &str, description: &str) -> InvoiceSubscription {
    InvoiceSubscription {
        id: Link(format!("/billing/invoice/v1/100200/invoices/603010/subscriptions/{no}")),
        subscription_no: no.into(),
        description: Some(description.into()),
        recurring_products: None,
    }
}

/// Customer level: 29.00 + (-50.00) at 25 %; subscription 1: 199.00 at 25 % + 79.00 at 0 %;
/// subscription 2: 99.00 at 6 %. Lines total incl. VAT = 36.25 - 62.50 + 248.75 + 79.00 + 104.94 = 406.44.
fn details(invoice_amount: &str) -> Arc<InvoiceDetails> {
    Arc::new(InvoiceDetails::new(
        invoice(invoice_amount),
        vec![line("Pappersfaktura", "29.00", "25"), line("Familjerabatt", "-50.00", "25")],
        vec![
            (
                subscription("46701234567", "Mobil – Anna"),
                vec![line("Mobil 5 GB", "199.00", "25"), line("Mobilförsäkring", "79.00", "0")],
            ),
            (subscription("46702345678", "Mobil – Erik"), vec![line("E-tidning", "99.00", "6")]),
        ],
        &BrowserLowercase,
    ))
}

/// Clicks the sort button of the column whose header reads `label`.
fn sort_by(host: &HtmlElement, label: &str) {
    let buttons = host.query_selector_all("thead .bw-sort").unwrap();
    let button = (0..buttons.length())
        .filter_map(|i| buttons.item(i))
        .find(|b| b.text_content().unwrap_or_default().starts_with(label))
        .unwrap_or_else(|| panic!("no sort button {label}"));
    button.unchecked_into::<HtmlElement>().click();
}

// ---- invoice ------------------------------------------------------------------------------

#[wasm_bindgen_test]
fn invoice_groups_customer_charges_first_then_each_subscription_with_subtotals() {
    let (host, _handle) = mount(|| view! { <InvoiceTable details=details("406.44") locale="en-GB" /> });
    let groups = texts(&host, "tbody.bw-group .bw-group-title");
    assert_eq!(
        groups,
        [
            "Customer-level charges",
            "Subscription 46701234567 – Mobil – Anna",
            "Subscription 46702345678 – Mobil – Erik"
        ]
    );
    let subtotals: Vec<String> = texts(&host, "tbody.bw-group tr.bw-subtotal td:last-child");
    assert_eq!(subtotals, ["-26.25", "327.75", "104.94"]);
    assert_eq!(host.query_selector_all("tbody.bw-group tr:not(.bw-group-head):not(.bw-subtotal)").unwrap().length(), 5);
}

#[wasm_bindgen_test]
fn invoice_footer_states_vat_per_rate_and_the_total() {
    let (host, _handle) = mount(|| view! { <InvoiceTable details=details("406.44") locale="en-GB" /> });
    let vat_rows = texts(&host, ".bw-summary tr.bw-vat th");
    assert_eq!(vat_rows, ["VAT 0% on SEK 79.00", "VAT 6% on SEK 99.00", "VAT 25% on SEK 178.00"]);
    assert_eq!(texts(&host, ".bw-summary tr.bw-total td"), ["SEK 406.44"]);
    assert!(host.query_selector(".bw-summary tr.bw-difference").unwrap().is_none());
    assert!(host.text_content().unwrap().contains("The lines add up to the invoiced amount."));
}

#[wasm_bindgen_test]
fn an_invoice_that_does_not_reconcile_shows_and_explains_the_difference() {
    let (host, _handle) = mount(|| view! { <InvoiceTable details=details("441.44") locale="en-GB" /> });
    assert_eq!(texts(&host, ".bw-summary tr.bw-difference td"), ["SEK 35.00"]);
    let note = texts(&host, ".bw-note-warning");
    assert_eq!(note.len(), 1);
    assert!(note[0].contains("differs from the sum of the lines by SEK 35.00"), "{note:?}");
}

#[wasm_bindgen_test]
fn unit_prices_show_every_decimal_billed_so_quantity_times_price_is_the_amount() {
    let mut sms = line("SMS", "1.25", "25");
    sms.quantity = dec("100");
    sms.unit_price = dec("0.0125");
    let whole = line("Mobil 5 GB", "199", "25");
    let details = Arc::new(InvoiceDetails::new(invoice("250.31"), vec![sms, whole], vec![], &BrowserLowercase));
    let (host, _handle) = mount(move || view! { <InvoiceTable details=details locale="sv-SE" /> });
    assert_eq!(texts(&host, "tr.bw-line td:nth-child(5)"), ["0,0125", "199,00"], "not 0,01");
    assert_eq!(texts(&host, "tr.bw-line td:nth-child(6)"), ["1,25", "199,00"], "amounts keep two decimals");
}

#[wasm_bindgen_test]
fn totals_beyond_a_decimal_are_stated_instead_of_crashing_the_page() {
    let mut big = line("Stor", "0", "25");
    big.quantity = dec("100000000000000");
    big.unit_price = dec("100000000000000");
    big.amount = big.quantity * big.unit_price;
    big.vat_amount = big.amount / Decimal::from(4);
    big.total_amount = big.amount + big.vat_amount;
    let details = Arc::new(InvoiceDetails::new(invoice("1"), vec![big; 8], vec![], &BrowserLowercase));
    let (host, _handle) = mount(move || view! { <InvoiceTable details=details locale="en-GB" /> });
    let sentence = "These amounts are too large to add up.";
    assert_eq!(texts(&host, "tr.bw-subtotal .bw-error"), [sentence]);
    assert_eq!(texts(&host, ".bw-error[role=alert]").last().map(String::as_str), Some(sentence));
    assert_eq!(count(&host, ".bw-summary"), 0, "no totals table with wrong numbers");
    assert_eq!(count(&host, "tr.bw-line"), 8, "the lines themselves still show");
}

#[wasm_bindgen_test]
fn credits_are_marked_in_text_not_only_colour() {
    let (host, _handle) = mount(|| view! { <InvoiceTable details=details("406.44") locale="en-GB" /> });
    let credit_rows = texts(&host, "tr.bw-credit td:nth-child(2)");
    assert_eq!(credit_rows, ["Familjerabatt Credit"]);
}

#[wasm_bindgen_test]
fn the_header_shows_number_dates_customer_and_amount() {
    let (host, _handle) =
        mount_with_locale("sv-SE", || view! { <InvoiceHeader invoice=Arc::new(invoice("406.44")) /> });
    assert_eq!(texts(&host, "h2"), ["Faktura 603010"]);
    assert_eq!(texts(&host, "dd"), ["2026-03-01", "2026-03-31", "15615616", "406,44 kr"]);
}

#[wasm_bindgen_test]
async fn groups_collapse_and_expand_and_keep_their_subtotal() {
    let (host, _handle) = mount(|| view! { <InvoiceTable details=details("406.44") locale="en-GB" /> });
    assert_eq!(count(&host, "tr.bw-line"), 5);
    click(&host, ".bw-toggle");
    settle().await;
    assert_eq!(attribute(&host, ".bw-toggle", "aria-expanded").as_deref(), Some("false"));
    assert_eq!(count(&host, "tr.bw-line"), 3, "the customer-level lines are hidden");
    assert_eq!(texts(&host, "tr.bw-subtotal td:last-child")[0], "-26.25", "the subtotal stays");
    click(&host, ".bw-toggle");
    settle().await;
    assert_eq!(count(&host, "tr.bw-line"), 5);
}

#[wasm_bindgen_test]
async fn sorting_follows_the_apg_pattern_and_orders_lines_within_each_group() {
    let (host, _handle) = mount(|| view! { <InvoiceTable details=details("406.44") locale="en-GB" /> });
    assert_eq!(count(&host, "th[aria-sort]"), 0, "unsorted: no aria-sort");
    sort_by(&host, "Incl. VAT");
    settle().await;
    assert_eq!(texts(&host, "th[aria-sort]"), ["Incl. VAT▲"]);
    assert_eq!(attribute(&host, "th[aria-sort]", "aria-sort").as_deref(), Some("ascending"));
    assert_eq!(
        texts(&host, "tr.bw-line td:nth-child(2)"),
        ["Familjerabatt Credit", "Pappersfaktura", "Mobilförsäkring", "Mobil 5 GB", "E-tidning"]
    );
    sort_by(&host, "Incl. VAT");
    settle().await;
    assert_eq!(attribute(&host, "th[aria-sort]", "aria-sort").as_deref(), Some("descending"));
    assert_eq!(
        texts(&host, "tr.bw-line td:nth-child(2)"),
        ["Pappersfaktura", "Familjerabatt Credit", "Mobil 5 GB", "Mobilförsäkring", "E-tidning"]
    );
    sort_by(&host, "Description");
    settle().await;
    assert_eq!(count(&host, "th[aria-sort]"), 1, "aria-sort moves to the newly sorted column only");
    assert_eq!(texts(&host, "th[aria-sort] .bw-sort"), ["Description▲"]);
}

#[wasm_bindgen_test]
async fn the_filter_is_stated_and_subtotals_cover_what_is_shown() {
    let (host, _handle) = mount(|| view! { <InvoiceTable details=details("406.44") locale="en-GB" /> });
    assert_eq!(texts(&host, ".bw-status"), ["5 lines in 3 groups."]);
    type_into(&host, "input[type=search]", "mobil");
    settle().await;
    assert_eq!(texts(&host, ".bw-status"), ["Showing 2 of 5 lines matching “mobil”."]);
    assert_eq!(
        texts(&host, ".bw-group-title"),
        ["Subscription 46701234567 – Mobil – Anna"],
        "groups without a match are left out"
    );
    assert_eq!(texts(&host, "tr.bw-subtotal td:last-child"), ["327.75"]);
    assert_eq!(texts(&host, ".bw-summary caption"), ["Totals of the shown lines (filter “mobil”)"]);
    assert_eq!(texts(&host, ".bw-summary tr.bw-total td"), ["SEK 327.75"]);
    assert_eq!(
        texts(&host, ".bw-summary tr.bw-all-lines td"),
        ["SEK 406.44"],
        "the whole invoice's total stays visible"
    );
    type_into(&host, "input[type=search]", "åland");
    settle().await;
    assert_eq!(texts(&host, ".bw-status"), ["No lines match “åland”."]);
    assert_eq!(count(&host, "tr.bw-line"), 0);
    // Case is ignored for Nordic letters too (the browser's Unicode case mapping).
    type_into(&host, "input[type=search]", "MOBILFÖRS");
    settle().await;
    assert_eq!(texts(&host, "tr.bw-line td:nth-child(2)"), ["Mobilförsäkring"]);
}

/// Customer level: 3 × "SMS till utlandet" at 1.49 (25 %) and "Pappersfaktura" 29.00.
fn repeated_sms() -> Arc<InvoiceDetails> {
    let sms = || {
        let mut l = line("SMS till utlandet", "1.49", "25");
        l.product_no = "SMS-UTL".into();
        l
    };
    let lines = vec![sms(), line("Pappersfaktura", "29.00", "25"), sms(), sms()];
    Arc::new(InvoiceDetails::new(invoice("41.83"), lines, vec![], &BrowserLowercase))
}

#[wasm_bindgen_test]
async fn repeated_identical_charges_fold_into_one_row_that_expands_and_collapses() {
    let (host, _handle) = mount(|| view! { <InvoiceTable details=repeated_sms() locale="en-GB" /> });
    assert_eq!(texts(&host, ".bw-status"), ["4 lines in 1 groups."], "lines, not rows, are counted");
    assert_eq!(texts(&host, ".bw-count"), ["4 lines"]);
    assert_eq!(count(&host, "tr.bw-fold"), 1);
    assert_eq!(texts(&host, "tr.bw-line td:nth-child(2)"), ["Pappersfaktura"], "the single line stays a line");
    // Columns: product, description, period, qty, unit price, excl. VAT, VAT rate, VAT, incl. VAT.
    let cells = texts(&host, "tr.bw-fold td");
    assert_eq!(cells[0], "SMS-UTL");
    assert_eq!(cells[1], "▸3 × SMS till utlandet, 3 identical lines", "count and description, and what it folds");
    assert_eq!(cells[3..], ["3", "1.49", "4.47", "25%", "1.11", "5.58"], "shared price and rate, summed amounts");
    assert_eq!(texts(&host, "tr.bw-subtotal td:last-child"), ["41.83"], "the subtotal sums every line once");
    let rows_before = attribute(&host, "table.bw-charges", "aria-rowcount");
    assert_eq!(rows_before.as_deref(), Some("5"), "header, head, fold, line, subtotal");

    let button = "tr.bw-fold button.bw-fold-toggle";
    assert_eq!(attribute(&host, button, "type").as_deref(), Some("button"));
    assert_eq!(attribute(&host, button, "aria-expanded").as_deref(), Some("false"));
    click(&host, button);
    settle().await;
    assert_eq!(attribute(&host, button, "aria-expanded").as_deref(), Some("true"));
    assert_eq!(count(&host, "tr.bw-fold-line"), 3, "its lines follow it");
    assert_eq!(texts(&host, "tr.bw-fold-line td:nth-child(6)"), ["1.49", "1.49", "1.49"]);
    assert_eq!(count(&host, "tr.bw-line"), 4, "every line shows");
    assert_eq!(attribute(&host, "table.bw-charges", "aria-rowcount").as_deref(), Some("8"));
    let indexes: Vec<String> = (0..count(&host, "tbody tr"))
        .filter_map(|i| host.query_selector_all("tbody tr").unwrap().item(i))
        .filter_map(|r| r.unchecked_into::<web_sys::Element>().get_attribute("aria-rowindex"))
        .collect();
    assert_eq!(indexes, ["2", "3", "4", "5", "6", "7", "8"], "row indexes follow the rows");
    wait_until("the keyboard stays on the fold's button", || {
        let active = web_sys::window().unwrap().document().unwrap().active_element();
        active.is_some_and(|a| a.class_list().contains("bw-fold-toggle"))
    })
    .await;

    // Sorting and filtering keep the fold, open, and its sums.
    sort_by(&host, "Incl. VAT");
    settle().await;
    assert_eq!(texts(&host, "tbody tr td:nth-child(2)")[0], "▾3 × SMS till utlandet, 3 identical lines");
    type_into(&host, "input[type=search]", "sms");
    settle().await;
    assert_eq!(texts(&host, ".bw-status"), ["Showing 3 of 4 lines matching “sms”."]);
    assert_eq!((count(&host, "tr.bw-fold"), count(&host, "tr.bw-fold-line")), (1, 3));
    assert_eq!(texts(&host, ".bw-summary tr.bw-total td"), ["SEK 5.58"]);
    type_into(&host, "input[type=search]", "pappers");
    settle().await;
    assert_eq!(
        (count(&host, "tr.bw-fold"), count(&host, "tr.bw-line")),
        (0, 1),
        "a filter hides a fold's lines together"
    );
    type_into(&host, "input[type=search]", "");
    settle().await;

    click(&host, button);
    settle().await;
    assert_eq!(attribute(&host, button, "aria-expanded").as_deref(), Some("false"));
    assert_eq!(count(&host, "tr.bw-fold-line"), 0, "collapsed again");
}

#[wasm_bindgen_test]
fn the_fold_buttons_name_is_in_the_viewers_language() {
    let (host, _handle) = mount(|| view! { <InvoiceTable details=repeated_sms() locale="sv-SE" /> });
    assert_eq!(texts(&host, "tr.bw-fold .bw-fold-toggle"), ["▸3 × SMS till utlandet, 3 likadana rader"]);
}

/// The browser lower-cases as the standard library does, which the model's native tests use:
/// Nordic letters, final sigma, dotted capital I, in one batch and (with the batch separator in
/// a text) one by one.
#[wasm_bindgen_test]
fn the_browsers_letter_case_agrees_with_the_standard_library() {
    let batched = ["Roaming ÅLAND", "ÆØÅ ÄÖ ÕÞÐ", "ΟΔΟΣ ΣΑΣ", "İ", "", "ÜBERSICHT"];
    assert_eq!(BrowserLowercase.lowercase_all(&batched), StdLowercase.lowercase_all(&batched));
    let one_by_one = ["SMS\u{1f}ÅLAND", "Mobilt BREDBAND"];
    assert_eq!(BrowserLowercase.lowercase_all(&one_by_one), ["sms\u{1f}åland", "mobilt bredband"]);
}

fn big_invoice(groups: usize, lines_per_group: usize) -> Arc<InvoiceDetails> {
    let subscriptions = (0..groups)
        .map(|g| {
            let lines = (0..lines_per_group)
                .map(|i| line(&format!("Samtal {g}-{i}"), &format!("{}.00", i % 97 + 1), "25"))
                .collect();
            (subscription(&format!("4670{g:07}"), "Växel"), lines)
        })
        .collect();
    Arc::new(InvoiceDetails::new(invoice("0"), vec![], subscriptions, &BrowserLowercase))
}

#[wasm_bindgen_test]
async fn a_50000_line_invoice_keeps_only_the_rows_in_view_in_the_dom() {
    let big = big_invoice(100, 500);
    let (host, _handle) = mount(move || view! { <InvoiceTable details=big locale="en-GB" /> });
    settle().await;
    let rows = count(&host, ".bw-charges tbody tr:not(.bw-spacer tr)");
    assert!(rows > 10 && rows < 200, "{rows} rows in the DOM");
    // 100 groups x (head + 500 lines + subtotal) + the header row.
    assert_eq!(attribute(&host, "table.bw-charges", "aria-rowcount").as_deref(), Some("50201"));
    assert_eq!(attribute(&host, "tr.bw-line", "aria-rowindex").as_deref(), Some("3"));

    let scroller: HtmlElement = host.query_selector(".bw-charges-scroll").unwrap().unwrap().unchecked_into();
    assert!(scroller.class_list().contains("bw-virtual"));
    scroller.set_scroll_top(scroller.scroll_height() / 2);
    scroller.dispatch_event(&web_sys::Event::new("scroll").unwrap()).unwrap();
    settle().await;
    let first: usize = attribute(&host, "tr.bw-line", "aria-rowindex").unwrap().parse().unwrap();
    assert!(first > 20_000 && first < 30_000, "the middle of the invoice is rendered (row {first})");
    assert!(count(&host, ".bw-charges tbody tr:not(.bw-spacer tr)") < 200);
}

fn failed_problem() -> ApiError {
    ApiError::Problem(Problem {
        problem_type: Some("billing/proxy/problems/upstream-timeout".into()),
        title: "Upstream timeout".into(),
        status: Some(504),
        detail: Some("PayEx did not answer within 15 s".into()),
        instance: Some("req-77".into()),
        problems: vec![],
    })
}

#[wasm_bindgen_test]
async fn a_failed_group_says_so_and_retries_alone_while_the_rest_shows() {
    let ready =
        Arc::new(ChargeGroup::new(GroupKind::Customer, vec![line("Pappersfaktura", "29.00", "25")], &BrowserLowercase));
    let slots = RwSignal::new(vec![
        GroupSlot::ready(ready),
        GroupSlot {
            kind: GroupKind::Subscription { subscription_no: "46702345678".into(), description: None },
            link: None,
            state: SlotState::Failed(failed_problem()),
        },
        GroupSlot {
            kind: GroupKind::Subscription { subscription_no: "46703456789".into(), description: None },
            link: None,
            state: SlotState::Loading,
        },
    ]);
    let retried = RwSignal::new(Vec::<usize>::new());
    let arrived = Signal::stored(vec![0, 0, 500]);
    let (host, _handle) = mount_with_locale("en-GB", move || {
        view! {
            <InvoiceCharges invoice=Arc::new(invoice("100")) slots=slots arrived=arrived
                on_retry=Callback::new(move |i| retried.update(|r| r.push(i))) />
        }
    });
    assert_eq!(count(&host, "tr.bw-line"), 1, "the loaded group shows");
    let failure = texts(&host, ".bw-error-inline");
    assert_eq!(failure.len(), 1);
    assert!(failure[0].contains("Upstream timeout") && failure[0].contains("req-77"), "{failure:?}");
    assert!(texts(&host, ".bw-group-status")[1].contains("500 lines so far"));
    assert_eq!(texts(&host, ".bw-progress span"), ["Loading charges: 2 of 3 groups, 500 lines so far"]);
    assert!(texts(&host, ".bw-note")[0].starts_with("Still loading"));
    click(&host, ".bw-group-status button");
    assert_eq!(retried.get_untracked(), [1]);

    slots.update(|s| {
        s[2].state = SlotState::Ready(Arc::new(ChargeGroup::new(
            s[2].kind.clone(),
            vec![line("Mobil", "100.00", "25")],
            &BrowserLowercase,
        )))
    });
    settle().await;
    assert_eq!(count(&host, ".bw-progress"), 0, "loading is over");
    assert!(texts(&host, ".bw-note")[0].contains("could not be loaded"), "the totals say what they leave out");
    assert_eq!(count(&host, ".bw-summary tr.bw-difference"), 0, "no reconciliation claim while a group is missing");
}

// ---- errors and loading -------------------------------------------------------------------

#[wasm_bindgen_test]
async fn a_problem_shows_title_detail_instance_and_fields_and_a_refusal_offers_no_retry() {
    let problem = Problem {
        problem_type: Some("billing/customer/problems/validation".into()),
        title: "Validation failed".into(),
        status: Some(400),
        detail: Some("2 fields are invalid".into()),
        instance: Some("sbx-000042".into()),
        problems: vec![billing_contract::problem::FieldProblem::new("vatRate", "must be one of 0, 6, 12, 25")],
    };
    let retries = RwSignal::new(0);
    let (host, _handle) = mount_with_locale("en", move || {
        view! { <ErrorView error=ApiError::Problem(problem) retry=Callback::new(move |()| retries.update(|n| *n += 1)) /> }
    });
    assert_eq!(texts(&host, ".bw-error-title"), ["Validation failed"]);
    assert_eq!(texts(&host, ".bw-error-detail"), ["2 fields are invalid"]);
    assert_eq!(texts(&host, ".bw-instance"), ["sbx-000042"]);
    assert_eq!(texts(&host, ".bw-error-fields li"), ["vatRate: must be one of 0, 6, 12, 25"]);
    assert!(host.query_selector("[role=alert]").unwrap().is_some(), "announced as an alert");
    assert_eq!(count(&host, ".bw-error button"), 0, "a 400 would be refused again: no retry to offer");
    assert_eq!(retries.get_untracked(), 0);
}

#[wasm_bindgen_test]
fn a_problem_a_retry_may_pass_offers_one() {
    let problem = Problem { title: "Service unavailable".into(), status: Some(503), ..Problem::default() };
    let retries = RwSignal::new(0);
    let (host, _handle) = mount_with_locale("en", move || {
        view! { <ErrorView error=ApiError::Problem(problem) retry=Callback::new(move |()| retries.update(|n| *n += 1)) /> }
    });
    assert_eq!(texts(&host, ".bw-error-title"), ["Service unavailable"]);
    click(&host, ".bw-error button");
    assert_eq!(retries.get_untracked(), 1);
}

#[wasm_bindgen_test]
fn a_network_failure_reads_as_a_sentence() {
    let (host, _handle) =
        mount_with_locale("en", || view! { <ErrorView error=ApiError::Network("Failed to fetch".into()) /> });
    assert_eq!(
        texts(&host, ".bw-error-title"),
        ["The billing service could not be reached. Check your connection and try again."]
    );
    assert!(!host.text_content().unwrap().contains("Failed to fetch"), "the browser's words are not the message");
    assert!(host.query_selector(".bw-error button").unwrap().is_none(), "no retry button without a retry");
}

fn decode_error() -> ApiError {
    ApiError::Decode {
        url: "/billing/customer/v1/100200/customers/15615616".into(),
        message: "missing field `@id` at line 1 column 443".into(),
        request_id: Some("px-7f3a-000042".into()),
    }
}

#[wasm_bindgen_test]
fn an_unreadable_answer_is_told_in_words_with_its_error_id_and_never_the_decoder_message() {
    let (host, _handle) = mount_with_locale("sv-SE", || view! { <ErrorView error=decode_error() /> });
    assert_eq!(
        texts(&host, ".bw-error-title"),
        ["Faktureringstjänsten skickade ett svar som den här vyn inte kan läsa."]
    );
    assert_eq!(texts(&host, ".bw-instance"), ["px-7f3a-000042"]);
    let text = host.text_content().unwrap();
    assert!(!text.contains("missing field") && !text.contains("column"), "no decoder message: {text}");
    assert_eq!(count(&host, "details.bw-error-details"), 0, "no details outside CRM mode");
}

#[wasm_bindgen_test]
fn crm_staff_find_the_raw_cause_behind_a_closed_details_toggle() {
    let (host, _handle) = mount_with_locale("en", || {
        provide_context(ErrorDetails(Signal::stored(true)));
        view! { <ErrorView error=decode_error() /> }
    });
    assert_eq!(count(&host, "details.bw-error-details"), 1);
    assert_eq!(attribute(&host, "details.bw-error-details", "open"), None, "closed until asked for");
    assert!(texts(&host, "details.bw-error-details code")[0].contains("missing field `@id`"));
    assert_eq!(texts(&host, ".bw-error-title"), ["The billing service sent an answer this view cannot read."]);
}

#[wasm_bindgen_test]
fn a_line_that_cannot_be_read_costs_that_line_and_the_totals_say_they_are_incomplete() {
    let mut details = (*details("406.44")).clone();
    let group = (*details.groups[0])
        .clone()
        .with_unreadable(vec![Unreadable { position: 2, reason: "the line has no vatAmount or totalAmount".into() }]);
    details.groups[0] = Arc::new(group);
    let details = Arc::new(details);
    let (host, _handle) = mount(move || view! { <InvoiceTable details=details.clone() locale="en-GB" /> });
    assert_eq!(count(&host, "tbody.bw-group"), 3, "the group stays, with its readable lines");
    assert_eq!(texts(&host, "tr.bw-unreadable"), ["⚠ Line 3 could not be read and is left out of the totals."]);
    assert_eq!(texts(&host, "tbody.bw-group tr.bw-subtotal td:last-child")[0], "-26.25");
    assert_eq!(
        texts(&host, ".bw-totals-incomplete"),
        ["⚠ Lines that could not be read: 1. The totals leave them out and are incomplete."]
    );
    assert!(
        !host.text_content().unwrap().contains("The lines add up to the invoiced amount."),
        "not called reconciled"
    );
}

#[wasm_bindgen_test]
async fn links_that_leave_the_api_are_refused_and_never_requested() {
    let fake = FakeFetch::serve(&[(
        "/billing/x/lines",
        r#"{"items": [], "navigation": {"next": "https://attacker.invalid/billing/x/lines?page=2"}}"#,
    )]);
    let client = ApiClient::new("");
    for link in [
        "https://attacker.invalid/billing/x",
        "//attacker.invalid/billing/x",
        "/admin/secrets",
        "/billing/x/%2e%2e/%2e%2e/y",
    ] {
        let answer = client.get::<Invoice>(link).await;
        assert!(matches!(answer, Err(ApiError::LinkRefused(_))), "{link}: {answer:?}");
    }
    let paged = client.get_all::<InvoiceLine>(&Link("/billing/x/lines".into())).await;
    assert!(matches!(paged, Err(ApiError::LinkRefused(_))), "a next page elsewhere fails the collection: {paged:?}");
    let origin = web_sys::window().unwrap().location().origin().unwrap();
    assert_eq!(fake.asked(), [format!("{origin}/billing/x/lines")], "nothing but the one page was requested");
}

#[wasm_bindgen_test]
async fn pages_that_loop_fail_the_collection_instead_of_showing_part_of_it_as_the_whole() {
    let line = r#"{"quantity": 1, "unitPrice": 1, "amount": 1, "vatRate": 25, "vatAmount": 0.25, "totalAmount": 1.25}"#;
    let first = format!(r#"{{"items": [{line}], "navigation": {{"next": "/billing/x/lines?page=2"}}}}"#);
    let second =
        format!(r#"{{"items": [{line}, {{"quantity": null}}], "navigation": {{"next": "/billing/x/lines"}}}}"#);
    let fake = FakeFetch::serve(&[("/billing/x/lines", &first), ("/billing/x/lines?page=2", &second)]);
    let client = ApiClient::new("");
    let looped = client.get_all::<InvoiceLine>(&Link("/billing/x/lines".into())).await;
    assert!(matches!(looped, Err(ApiError::Paging { reason: PagingFault::Loop, .. })), "{looped:?}");
    assert_eq!(fake.asked().len(), 2, "each page once");
    drop(fake);
    let last = format!(r#"{{"items": [{line}, {{"quantity": null}}], "navigation": {{"next": null}}}}"#);
    let _fake = FakeFetch::serve(&[("/billing/x/lines", &first), ("/billing/x/lines?page=2", &last)]);
    let listing = client.get_all::<InvoiceLine>(&Link("/billing/x/lines".into())).await.unwrap();
    assert_eq!(listing.items.len(), 2);
    assert_eq!(listing.unreadable.len(), 1);
    assert_eq!(listing.unreadable[0].position, 2, "positions count across pages");
}

/// A late answer for an earlier source must never overwrite the current one.
#[wasm_bindgen_test]
async fn a_late_answer_for_an_earlier_request_is_dropped() {
    type Pending = Arc<Mutex<Vec<(String, oneshot::Sender<Result<String, ApiError>>)>>>;
    let pending: Pending = Arc::new(Mutex::new(Vec::new()));
    let source = RwSignal::new("first".to_string());
    let requests = pending.clone();
    let (host, _handle) = mount(move || {
        let (state, _retry) = use_load(
            move || source.get(),
            move |s: String| {
                let (tx, rx) = oneshot::channel();
                requests.lock().unwrap().push((s, tx));
                async move { rx.await.unwrap_or_else(|_| Err(ApiError::Network("dropped".into()))) }
            },
        );
        view! { <p>{move || match state.get() { Load::Loading => "loading".to_string(), Load::Ready(v) => v, Load::Failed(e) => e.to_string() }}</p> }
    });
    settle().await;
    source.set("second".into());
    settle().await;
    let mut waiting = std::mem::take(&mut *pending.lock().unwrap());
    assert_eq!(waiting.iter().map(|(s, _)| s.as_str()).collect::<Vec<_>>(), ["first", "second"]);
    let (_, second) = waiting.pop().unwrap();
    let (_, first) = waiting.pop().unwrap();
    second.send(Ok("second answer".into())).unwrap();
    settle().await;
    assert_eq!(texts(&host, "p"), ["second answer"]);
    first.send(Ok("first answer".into())).unwrap();
    settle().await;
    assert_eq!(texts(&host, "p"), ["second answer"], "the stale answer was dropped");
}

/// A load faster than a tenth of a second shows no placeholder (it would only flash); a slower
/// one shows it.
#[wasm_bindgen_test]
async fn the_loading_placeholder_appears_only_once_a_load_has_taken_a_tenth_of_a_second() {
    let (host, _mounted) = mount(|| view! { <Loading label="Loading…" /> });
    settle().await;
    assert_eq!(count(&host, ".bw-loading"), 0, "nothing yet");
    sleep(QUIET_LOAD / 2).await;
    assert_eq!(count(&host, ".bw-loading"), 0, "still nothing halfway");
    sleep(QUIET_LOAD).await;
    assert_eq!(texts(&host, ".bw-loading[role=status]"), ["Loading…"]);
}

// ---- formatting -----------------------------------------------------------------------------

#[wasm_bindgen_test]
fn money_is_formatted_for_the_locale_and_exactly() {
    assert_eq!(Formatter::new("sv-SE").money(dec("1234.50"), "SEK"), "1\u{a0}234,50\u{a0}kr");
    // CLDR 42+ (Chromium 156) writes Norwegian amounts with the symbol after the number.
    assert_eq!(Formatter::new("nb-NO").money(dec("1234.50"), "NOK"), "1\u{a0}234,50\u{a0}kr");
    assert_eq!(Formatter::new("fi-FI").money(dec("1234.50"), "EUR"), "1\u{a0}234,50\u{a0}€");
    assert_eq!(Formatter::new("da-DK").money(dec("1234.50"), "DKK"), "1.234,50\u{a0}kr.");
    assert_eq!(Formatter::new("sv-SE").date("2026-03-31".parse().unwrap()), "2026-03-31");
    assert_eq!(Formatter::new("fi-FI").date("2026-03-31".parse().unwrap()), "31.03.2026");
    assert_eq!(Formatter::new("en-GB").money(dec("-50"), "SEK"), "-SEK\u{a0}50.00");
    // Beyond 2^53 a float would already have lost the last digits.
    assert_eq!(Formatter::new("en-US").amount(dec("9007199254740993.25")), "9,007,199,254,740,993.25");
    assert_eq!(Formatter::new("sv-SE").rate(dec("25.00")), "25\u{a0}%");
    assert_eq!(Formatter::new("not a locale!").amount(dec("1.5")), "1.50", "a bad locale falls back to English");
    // Locales outside the widget's own go through Intl, exactly too.
    assert_eq!(Formatter::new("de-DE").amount(dec("9007199254740993.25")), "9.007.199.254.740.993,25");
}

/// Forms read numbers with the separators the locale's formatter writes, also for locales that
/// go through `Intl`.
#[wasm_bindgen_test]
fn typed_numbers_are_read_with_the_separators_intl_writes() {
    use billing_widget::format::{parse_decimal, ParseError, Separators};
    let separators = |locale: &str| Separators::of_sample(&Formatter::new(locale).quantity(Separators::sample()));
    assert_eq!(separators("de-DE"), Separators { decimal: ',', group: '.' });
    assert_eq!(separators("fr-FR"), Separators { decimal: ',', group: '\u{202f}' });
    assert_eq!(separators("en-US"), Separators::ENGLISH);
    assert_eq!(parse_decimal("1.234,5", separators("de-DE")), Ok(dec("1234.5")));
    assert!(matches!(parse_decimal("1.250", separators("de-DE")), Err(ParseError::Ambiguous { .. })));
    assert_eq!(parse_decimal("1\u{202f}234,5", separators("fr-FR")), Ok(dec("1234.5")));
}

/// `new Intl.NumberFormat(locale, options).format(value)`, `value` given as a decimal string.
fn intl_number(locale: &str, options: &[(&str, wasm_bindgen::JsValue)], value: &str) -> String {
    let object = js_sys::Object::new();
    for (key, option) in options {
        js_sys::Reflect::set(&object, &(*key).into(), option).unwrap();
    }
    let format = js_sys::Intl::NumberFormat::new(&js_sys::Array::of1(&locale.into()), &object).format();
    format.call1(&wasm_bindgen::JsValue::NULL, &value.into()).unwrap().as_string().unwrap()
}

/// `new Intl.DateTimeFormat(locale, …).format(date)` as the widget asks for dates.
fn intl_date(locale: &str, date: &str) -> String {
    let options = js_sys::Object::new();
    for (key, value) in [("year", "numeric"), ("month", "2-digit"), ("day", "2-digit"), ("timeZone", "UTC")] {
        js_sys::Reflect::set(&options, &key.into(), &value.into()).unwrap();
    }
    let format = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::of1(&locale.into()), &options).format();
    let date = js_sys::Date::new(&format!("{date}T00:00:00Z").into());
    format.call1(&wasm_bindgen::JsValue::NULL, &date).unwrap().as_string().unwrap()
}

/// The widget's own locales are formatted from a table, not by Intl (whose first formatter
/// costs tens of milliseconds): every locale, style, currency and date order of the table writes
/// exactly what this browser's Intl writes.
#[wasm_bindgen_test]
fn the_nordic_format_table_writes_what_intl_writes() {
    use billing_widget::format::NORDIC_LOCALES;
    let values: Vec<&str> =
        "0 1 -1 7.5 12.345 999.995 -0.005 -0.001 1234 -1234.5 50012 1234567.891 9007199254740993.25 0.00005 2.675 0.0125 -0.000123456789012345678"
            .split(' ')
            .collect();
    let fraction = |min: u8, max: u8| [("minimumFractionDigits", min.into()), ("maximumFractionDigits", max.into())];
    let mut compared = 0;
    for locale in NORDIC_LOCALES {
        let f = Formatter::new(locale);
        for &value in &values {
            let d = dec(value);
            assert_eq!(f.amount(d), intl_number(locale, &fraction(2, 2), value), "amount {value} in {locale}");
            assert_eq!(f.quantity(d), intl_number(locale, &fraction(0, 4), value), "quantity {value} in {locale}");
            let decimals = billing_widget::format::price_decimals(d) as u8;
            assert_eq!(f.price(d), intl_number(locale, &fraction(2, decimals), value), "price {value} in {locale}");
            let share = (d / Decimal::from(100)).to_string();
            let percent = [("style", "percent".into()), ("maximumFractionDigits", 2.into())];
            assert_eq!(f.rate(d), intl_number(locale, &percent, &share), "rate {value} in {locale}");
            for currency in ["SEK", "NOK", "DKK", "EUR", "USD", "GBP"] {
                let options = [
                    ("style", "currency".into()),
                    ("currency", currency.into()),
                    ("minimumFractionDigits", 2.into()),
                    ("maximumFractionDigits", 2.into()),
                ];
                assert_eq!(
                    f.money(d, currency),
                    intl_number(locale, &options, value),
                    "{value} {currency} in {locale}"
                );
            }
            compared += 10;
        }
        for n in [0usize, 7, 1234, 50_012, 1_000_000] {
            assert_eq!(f.count(n), intl_number(locale, &fraction(0, 0), &n.to_string()), "count {n} in {locale}");
        }
        let separator = intl_number(locale, &fraction(1, 1), "1.5").chars().nth(1).unwrap();
        assert_eq!(f.decimal_separator(), separator, "decimal separator in {locale}");
        for date in ["2026-03-31", "2027-12-01", "1999-01-09"] {
            assert_eq!(f.date(date.parse().unwrap()), intl_date(locale, date), "date {date} in {locale}");
        }
    }
    assert_eq!(compared, NORDIC_LOCALES.len() * values.len() * 10, "every locale, value and style was compared");
}

/// JSON amounts reach `Decimal` exactly: sums that drift in floating point stay exact.
#[wasm_bindgen_test]
fn json_amounts_reach_decimal_exactly_in_the_browser() {
    let line: InvoiceLine = serde_json::from_str(
        r#"{"quantity": 3, "unitPrice": 0.1, "amount": 1234567890123.45, "vatRate": 25.00,
            "vatAmount": 308641972530.86, "totalAmount": 1543209862654.31}"#,
    )
    .unwrap();
    assert_eq!(line.amount.to_string(), "1234567890123.45");
    assert_eq!(line.amount + line.vat_amount, line.total_amount);
    assert_eq!(line.unit_price * line.quantity, dec("0.3"), "0.1 x 3 is 0.3, not 0.30000000000000004");
    let invoice: Invoice = serde_json::from_str(
        r#"{"@id":"/i/1","invoiceNo":"1","invoiceAmount":6848.04,"currency":"SEK","customerNo":"5566778899"}"#,
    )
    .unwrap();
    assert_eq!(invoice.invoice_amount, Some(dec("6848.04")), "an optional amount too");
    let no_amount: Invoice = serde_json::from_str(r#"{"@id":"/i/1","invoiceNo":"1","invoiceAmount":null}"#).unwrap();
    assert_eq!(no_amount.invoice_amount, None);
}

#[wasm_bindgen_test]
fn an_invoice_without_charges_says_so_instead_of_an_empty_table() {
    let empty = Arc::new(InvoiceDetails::new(
        invoice("0"),
        vec![],
        vec![(subscription("46701234567", "Mobil"), vec![])],
        &BrowserLowercase,
    ));
    let (host, _handle) = mount(move || view! { <InvoiceTable details=empty locale="en-GB" /> });
    assert_eq!(texts(&host, ".bw-empty"), ["This invoice has no charges."]);
    assert_eq!(count(&host, "table.bw-charges"), 0);
}

#[wasm_bindgen_test]
fn no_charges_message_while_groups_are_still_being_listed() {
    let listing = RwSignal::new(true);
    let (host, _handle) = mount_with_locale("en-GB", move || {
        view! { <InvoiceCharges invoice=Arc::new(invoice("0")) slots=Signal::stored(Vec::new()) listing=listing /> }
    });
    assert_eq!(count(&host, ".bw-empty"), 0, "not before every group is known");
}

// ---- the invoice list -----------------------------------------------------------------------

/// A list item as PayEx documents it: number, date and links only.
fn bare_item(no: &str) -> Invoice {
    serde_json::from_str(&format!(
        r#"{{"@id":"/billing/invoice/v1/100200/invoices/{no}","invoiceNo":"{no}","invoiceDate":"2026-03-01"}}"#
    ))
    .unwrap()
}

/// An invoice as fetched by its `@id`, with `dueDate` if given and `invoiceAmount`.
fn fetched(no: &str, due: Option<&str>, amount: &str) -> Invoice {
    let mut invoice = bare_item(no);
    invoice.due_date = due.map(|d| d.parse().unwrap());
    invoice.invoice_amount = Some(dec(amount));
    invoice.currency = Some("SEK".into());
    invoice
}

type Held = oneshot::Sender<Result<Invoice, ApiError>>;

/// Each invoice asked for, with the sender of its answer.
type Asked = Arc<Mutex<Vec<(Link, Held)>>>;

/// A stand-in for the API: records each invoice asked for and holds its answer until the test
/// sends it.
fn held_fetch() -> (FetchInvoice, Asked) {
    let asked: Asked = Arc::default();
    let record = asked.clone();
    let fetch: FetchInvoice = Arc::new(move |link: Link| {
        let (tx, rx) = oneshot::channel();
        record.lock().unwrap().push((link, tx));
        Box::pin(async move { rx.await.unwrap_or_else(|_| Err(ApiError::Network("dropped".into()))) })
    });
    (fetch, asked)
}

/// Answers the `index`-th request (its sender is taken, so each is answered once).
fn answer(asked: &Asked, index: usize, result: Result<Invoice, ApiError>) {
    let mut asked = asked.lock().unwrap();
    let (link, held) = asked.get_mut(index).unwrap();
    let (placeholder, _) = oneshot::channel();
    let held = std::mem::replace(held, placeholder);
    assert!(held.send(result).is_ok(), "{link:?} answered twice");
}

#[wasm_bindgen_test]
async fn the_invoice_list_fills_due_date_and_amount_from_each_invoice_a_few_at_a_time() {
    let mut listed_in_full = fetched("603010", Some("2026-03-31"), "499.00");
    listed_in_full.invoice_date = Some("2026-03-01".parse().unwrap());
    let mut items = vec![listed_in_full];
    items.extend(["603009", "603008", "603007", "603006", "603005", "603004"].map(bare_item));
    let invoices = Arc::new(items);
    let (fetch, asked) = held_fetch();
    let (host, _handle) = mount(move || {
        view! {
            <InvoiceListTable invoices=invoices fetch=fetch selected=Signal::stored(None::<String>)
                on_open=Callback::new(|_: Invoice| {}) caption="Invoices" locale="en-GB" />
        }
    });
    settle().await;
    let links = || asked.lock().unwrap().iter().map(|(l, _)| l.as_str().to_owned()).collect::<Vec<_>>();
    assert_eq!(FILL_CONCURRENCY, 4);
    assert_eq!(
        links(),
        ["603009", "603008", "603007", "603006"].map(|n| format!("/billing/invoice/v1/100200/invoices/{n}")),
        "the item that has both values is not fetched; the rest, four at a time, in list order"
    );
    assert_eq!(texts(&host, "thead th:not([hidden])"), ["Invoice no.", "Invoice date", "Due date", "Amount"]);
    assert_eq!(texts(&host, "tbody tr:first-child td.bw-due"), ["31/03/2026"]);
    assert_eq!(count(&host, "td.bw-due.bw-cell-waiting"), 6, "a quiet placeholder until known");
    assert_eq!(texts(&host, "tbody tr:nth-child(2) td.bw-due"), ["Loading…"]);

    answer(&asked, 0, Ok(fetched("603009", Some("2026-02-28"), "1884.92")));
    answer(
        &asked,
        1,
        Err(ApiError::Status { status: 500, status_text: "Internal Server Error".into(), request_id: None }),
    );
    settle().await;
    assert_eq!(links().len(), 6, "two more start as two finish");
    let row = |n: usize| texts(&host, &format!("tbody tr:nth-child({n}) td"));
    assert_eq!(row(2), ["01/03/2026", "28/02/2026", "SEK 1,884.92"]);
    assert_eq!(row(3), ["01/03/2026", "Could not be loaded", "Could not be loaded"], "only its own cells");
    assert_eq!(count(&host, "td.bw-cell-failed"), 2);
    assert_eq!(count(&host, ".bw-error, [role=alert]"), 0, "not the whole list");

    for index in 2..6 {
        answer(&asked, index, Ok(fetched("60300x", None, "10")));
    }
    settle().await;
    assert_eq!(links().len(), 6, "each invoice is fetched once");
    assert_eq!(row(4), ["01/03/2026", "", "SEK 10.00"], "an invoice without a due date leaves the cell empty");
    assert_eq!(count(&host, ".bw-cell-waiting"), 0);
    assert_eq!(count(&host, "thead th:not([hidden])"), 4, "the column stays: other rows have a due date");
}

#[wasm_bindgen_test]
async fn a_list_that_is_gone_fetches_no_more_invoices() {
    let invoices = Arc::new(["603006", "603005", "603004", "603003", "603002", "603001"].map(bare_item).to_vec());
    let (fetch, asked) = held_fetch();
    let (_host, handle) = mount(move || {
        view! {
            <InvoiceListTable invoices=invoices fetch=fetch selected=Signal::stored(None::<String>)
                on_open=Callback::new(|_: Invoice| {}) caption="Invoices" locale="en-GB" />
        }
    });
    settle().await;
    assert_eq!(asked.lock().unwrap().len(), 4);
    drop(handle);
    for index in 0..4 {
        answer(&asked, index, Ok(fetched("60300x", None, "1")));
    }
    settle().await;
    assert_eq!(
        asked.lock().unwrap().len(),
        4,
        "the other customer's (or an unmounted list's) invoices are not fetched"
    );
}

#[wasm_bindgen_test]
async fn a_column_no_invoice_has_is_left_out_once_every_invoice_is_known() {
    let invoices = Arc::new(vec![bare_item("603002"), bare_item("603001")]);
    let (fetch, asked) = held_fetch();
    let (host, _handle) = mount(move || {
        view! {
            <InvoiceListTable invoices=invoices fetch=fetch selected=Signal::stored(None::<String>)
                on_open=Callback::new(|_: Invoice| {}) caption="Invoices" locale="en-GB" />
        }
    });
    settle().await;
    assert_eq!(
        texts(&host, "thead th:not([hidden])"),
        ["Invoice no.", "Invoice date", "Due date", "Amount"],
        "while loading"
    );
    answer(&asked, 0, Ok(fetched("603002", None, "100")));
    answer(&asked, 1, Ok(fetched("603001", None, "200")));
    settle().await;
    assert_eq!(texts(&host, "thead th:not([hidden])"), ["Invoice no.", "Invoice date", "Amount"]);
    assert_eq!(count(&host, "td.bw-due:not([hidden])"), 0);
    let due_header: HtmlElement = host.query_selector("thead th[hidden]").unwrap().unwrap().unchecked_into();
    assert_eq!((due_header.text_content().unwrap(), due_header.offset_width()), ("Due date".into(), 0), "not laid out");
    assert_eq!(texts(&host, "td.bw-amount"), ["SEK 100.00", "SEK 200.00"]);
}

// ---- the panic hook -------------------------------------------------------------------------

/// A panic aborts the wasm, so a test cannot panic and look; it calls what the panic hook calls
/// after reporting to the console (`embed::panic::stop_views`), on views mounted as the custom
/// elements mount them (`mountView`).
#[wasm_bindgen_test]
fn after_a_panic_every_mounted_element_says_it_stopped_and_tells_the_host() {
    use billing_widget::embed::{mount_view, panic::stop_views};
    use std::cell::RefCell;
    use std::rc::Rc;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsValue;

    let document = web_sys::window().unwrap().document().unwrap();
    let options = |locale: &str| {
        let object = js_sys::Object::new();
        js_sys::Reflect::set(&object, &"locale".into(), &locale.into()).unwrap();
        JsValue::from(object)
    };
    let mount_in = |parent: &web_sys::Node, locale: &str| {
        let container: HtmlElement = document.create_element("div").unwrap().unchecked_into();
        parent.append_child(&container).unwrap();
        let view = mount_view("invoice", container.clone(), options(locale)).unwrap_or_else(|_| panic!("mountView"));
        (container, view)
    };
    // One view in an element's shadow root, as payex-billing.js mounts it, one in the page, and
    // one that was unmounted before the panic.
    let element: HtmlElement = document.create_element("section").unwrap().unchecked_into();
    document.body().unwrap().append_child(&element).unwrap();
    let shadow = element.attach_shadow(&web_sys::ShadowRootInit::new(web_sys::ShadowRootMode::Open)).unwrap();
    let (in_shadow, _a) = mount_in(&shadow, "sv-SE");
    let (in_page, _b) = mount_in(&document.body().unwrap(), "en-GB");
    let (gone, mut unmounted) = mount_in(&document.body().unwrap(), "en-GB");
    unmounted.unmount();
    gone.set_text_content(Some("left alone"));
    assert!(in_shadow.text_content().unwrap().contains("Attribut saknas"), "a view is mounted");

    let events: Rc<RefCell<Vec<web_sys::CustomEvent>>> = Rc::default();
    let listener = {
        let events = events.clone();
        Closure::<dyn FnMut(web_sys::CustomEvent)>::new(move |e: web_sys::CustomEvent| events.borrow_mut().push(e))
    };
    document.add_event_listener_with_callback("payex-error", listener.as_ref().unchecked_ref()).unwrap();

    assert_eq!(stop_views("panicked at src/model/x.rs:1:1:\nboom"), 2);

    let said = |container: &HtmlElement| {
        let p = container.query_selector("p.bw-error[role=alert]").unwrap().expect("an error paragraph");
        (container.child_element_count(), p.text_content().unwrap())
    };
    assert_eq!(said(&in_shadow), (1, "Den här vyn slutade fungera. Ladda om sidan för att försöka igen.".into()));
    assert_eq!(said(&in_page), (1, "This view stopped working. Reload the page to try again.".into()));
    assert_eq!(gone.text_content().as_deref(), Some("left alone"), "an unmounted view is not touched");

    document.remove_event_listener_with_callback("payex-error", listener.as_ref().unchecked_ref()).unwrap();
    let events = events.borrow();
    assert_eq!(events.len(), 2, "one payex-error per stopped element, reaching the document");
    let from_element = &events[0];
    assert!(from_element.bubbles() && from_element.composed());
    let target: web_sys::Node = from_element.target().unwrap().unchecked_into();
    assert!(target.is_same_node(Some(&element)), "dispatched by the element, not inside its shadow root");
    let detail = from_element.detail();
    let field = |key: &str| js_sys::Reflect::get(&detail, &key.into()).unwrap();
    assert_eq!(field("type").as_string().as_deref(), Some("panic"));
    assert_eq!(field("view").as_string().as_deref(), Some("invoice"));
    assert_eq!(field("detail").as_string().as_deref(), Some("panicked at src/model/x.rs:1:1: boom"), "on one line");
    assert!(field("status").is_null());
}

#[wasm_bindgen_test]
async fn invoice_list_items_that_cannot_be_read_are_counted_below_the_list() {
    let page = r#"{"items": [
        {"invoiceNo": "603012", "invoiceDate": "2026-03-01", "dueDate": "2026-03-31", "invoiceAmount": 499.00},
        {"invoiceNo": null, "invoiceDate": "2026-02-01"},
        {"invoiceNo": "603010", "invoiceDate": "2026-01-01", "dueDate": "2026-01-31", "invoiceAmount": 12.5}
    ], "navigation": {"next": null}}"#;
    let _fake = FakeFetch::serve(&[("/billing/invoice/v1/100200/invoices?customerNo=15615616", page)]);
    let (host, _handle) = mount(|| {
        view! {
            <InvoiceList client=ApiClient::new("") owner_no="100200" customer_no=Signal::stored("15615616".to_owned())
                selected=Signal::stored(None::<String>) on_open=Callback::new(|_| {}) locale="en-GB" />
        }
    });
    for _ in 0..20 {
        settle().await;
        if count(&host, ".bw-invoice-list tbody tr") > 0 {
            break;
        }
        sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(texts(&host, ".bw-invoice-list tbody th"), ["603012", "603010"], "the readable invoices, newest first");
    assert_eq!(texts(&host, ".bw-totals-incomplete"), ["⚠ Invoices that could not be read: 1. They are not listed."]);
}

/// After a locale change, a panic tells the view's people in the new language.
#[wasm_bindgen_test]
fn a_panic_after_a_locale_change_is_told_in_the_new_language() {
    use billing_widget::embed::{mount_view, panic::stop_views};
    let options = |locale: &str| {
        let object = js_sys::Object::new();
        js_sys::Reflect::set(&object, &"locale".into(), &locale.into()).unwrap();
        wasm_bindgen::JsValue::from(object)
    };
    let document = web_sys::window().unwrap().document().unwrap();
    let container: HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&container).unwrap();
    let view = mount_view("invoice", container.clone(), options("en-GB")).unwrap_or_else(|_| panic!("mountView"));
    view.update(options("fi-FI"));
    assert!(stop_views("panicked at src/x.rs:1:1:\nboom") >= 1);
    assert_eq!(
        texts(&container, "p.bw-error"),
        ["Tämä näkymä lakkasi toimimasta. Lataa sivu uudelleen ja yritä uudelleen."]
    );
    drop(view);
}

// ---- the HTTP client over gloo-net ------------------------------------------------------------

/// The page's origin, which relative API paths are requested on.
fn page_origin() -> String {
    web_sys::window().unwrap().location().origin().unwrap()
}

/// The invoice view sends its first request before it renders: `get` sends when it is called.
#[wasm_bindgen_test]
async fn a_get_is_sent_when_it_is_called_not_when_it_is_first_awaited() {
    let fake = RecordingFetch::answering(
        r#"return Promise.resolve(new Response('{"invoiceNo":"603010"}', { headers: { 'content-type': 'application/json' } }));"#,
    );
    let answer = ApiClient::new("").get::<serde_json::Value>("/billing/invoice/v1/100200/invoices/603010");
    assert_eq!(fake.requests().len(), 1, "the request went out before its future was polled");
    assert_eq!(answer.await.unwrap()["invoiceNo"], "603010");
}

#[wasm_bindgen_test]
async fn a_get_carries_accept_and_the_session_token_and_asks_for_the_link_as_given() {
    use billing_contract::proxy_protocol::{CSRF_HEADER, SESSION_HEADER};
    let fake = RecordingFetch::answering("return Promise.resolve(new Response('{}'));");
    let client = ApiClient::new("").with_session_token("token-1");
    for path in [
        "/billing/invoice/v1/100200/invoices?customerNo=A%26B&page=2",
        "/billing/invoice/v1/100200/invoices/603010",
        "/billing/invoice/v1/100200/invoices?customerNo=A%20B",
    ] {
        client.get::<serde_json::Value>(path).await.unwrap();
    }
    let requests = fake.requests();
    let urls: Vec<String> = requests.iter().map(web_sys::Request::url).collect();
    let origin = page_origin();
    assert_eq!(
        urls,
        [
            format!("{origin}/billing/invoice/v1/100200/invoices?customerNo=A%26B&page=2"),
            format!("{origin}/billing/invoice/v1/100200/invoices/603010"),
            // Form encoding: the proxy and the API read `+` in a query value as a space.
            format!("{origin}/billing/invoice/v1/100200/invoices?customerNo=A+B"),
        ],
        "no `&` after the query (gloo issue 498: the proxy refuses the empty parameter), no bare `?`"
    );
    for request in &requests {
        assert_eq!(request.method(), "GET");
        assert_eq!(header(request, "accept").as_deref(), Some("application/json"));
        assert_eq!(header(request, SESSION_HEADER).as_deref(), Some("token-1"));
        assert_eq!(header(request, CSRF_HEADER), None, "a read carries no CSRF marker");
    }
}

#[wasm_bindgen_test]
async fn a_write_carries_the_csrf_marker_its_json_body_and_the_renewed_session_token() {
    use billing_contract::proxy_protocol::{CSRF_HEADER, CSRF_VALUE, SESSION_HEADER};
    use billing_widget::api::ClientScope;
    let fake =
        RecordingFetch::answering(r#"return Promise.resolve(new Response('{"created":true}', { status: 201 }));"#);
    let scope = ClientScope::new();
    scope.set_session(Some("renewed"));
    let client = ApiClient::new("").with_session_token("first").in_scope(scope);
    let body = r#"{"productNo":"MOB-5GB"}"#;
    let saved = client.send("post", "/billing/recurring/v1/100200/products", Some(body.into())).await;
    assert_eq!(saved.unwrap(), r#"{"created":true}"#, "the created resource comes back");
    let requests = fake.requests();
    let [request] = requests.as_slice() else { panic!("one request, not {}", requests.len()) };
    assert_eq!(request.method(), "POST");
    assert_eq!(request.url(), format!("{}/billing/recurring/v1/100200/products", page_origin()));
    assert_eq!(header(request, CSRF_HEADER).as_deref(), Some(CSRF_VALUE));
    assert_eq!(header(request, "content-type").as_deref(), Some("application/json"));
    assert_eq!(header(request, "accept").as_deref(), Some("application/json"));
    assert_eq!(header(request, SESSION_HEADER).as_deref(), Some("renewed"), "the scope's renewed token wins");
    let sent = wasm_bindgen_futures::JsFuture::from(request.text().unwrap()).await.unwrap();
    assert_eq!(sent.as_string().as_deref(), Some(body));
    scope.close();
}

/// A token no header can carry (a character beyond Latin-1) fails its request, not the widget.
#[wasm_bindgen_test]
async fn a_session_token_no_header_can_carry_fails_the_request_and_sends_nothing() {
    let fake = RecordingFetch::answering("return Promise.resolve(new Response('{}'));");
    let client = ApiClient::new("").with_session_token("token-€");
    let read = client.get::<serde_json::Value>("/billing/x/1").await;
    assert!(matches!(read, Err(ApiError::Request(_))), "{read:?}");
    let write = client.send("PUT", "/billing/x/1", Some("{}".into())).await;
    assert!(matches!(write, Err(ApiError::Request(_))), "{write:?}");
    assert!(fake.requests().is_empty());
}

/// A removed view's requests are aborted; a view beside it (or the one replacing it) goes on.
#[wasm_bindgen_test]
async fn closing_a_scope_aborts_its_requests_in_flight_and_sends_no_more() {
    use billing_widget::api::ClientScope;
    let fake = RecordingFetch::hanging();
    let (removed, staying) = (ClientScope::new(), ClientScope::new());
    let client = ApiClient::new("").in_scope(removed);
    let pending = client.get::<serde_json::Value>("/billing/x/1");
    let _other = ApiClient::new("").in_scope(staying).get::<serde_json::Value>("/billing/x/2");
    let requests = fake.requests();
    assert_eq!(requests.len(), 2);
    assert!(!requests[0].signal().aborted());
    removed.close();
    assert!(requests[0].signal().aborted(), "the removed view's request is aborted");
    assert!(!requests[1].signal().aborted(), "the other scope's request is not");
    let answer = pending.await;
    assert!(matches!(&answer, Err(ApiError::Network(reason)) if reason.contains("AbortError")), "{answer:?}");
    let later = client.get::<serde_json::Value>("/billing/x/3").await;
    assert!(matches!(later, Err(ApiError::Network(_))), "{later:?}");
    let write = client.send("POST", "/billing/x/3", None).await;
    assert!(matches!(write, Err(ApiError::Network(_))), "{write:?}");
    assert_eq!(fake.requests().len(), 2, "a closed scope sends nothing");
    staying.close();
}

#[wasm_bindgen_test]
async fn error_answers_become_problems_statuses_and_decode_errors_with_their_ids() {
    let _fake = RecordingFetch::answering(
        r#"const path = new URL(request.url).pathname;
           if (path.endsWith('/problem')) return Promise.resolve(new Response(JSON.stringify({
               type: 'billing/invoice/problems/invoice-not-found', title: 'Invoice not found',
               detail: 'No invoice 603010', instance: 'abc-123' }),
             { status: 404, headers: { 'content-type': 'application/problem+json', 'x-request-id': 'r-9' } }));
           if (path.endsWith('/html')) return Promise.resolve(new Response('<h1>Bad gateway</h1>',
             { status: 502, statusText: 'Bad Gateway', headers: { 'content-type': 'text/html', 'x-request-id': 'r-10' } }));
           return Promise.resolve(new Response('not json', { status: 200, headers: { 'x-request-id': 'r-11' } }));"#,
    );
    let client = ApiClient::new("");
    let problem = client.get::<serde_json::Value>("/billing/x/problem").await.unwrap_err();
    let shown = problem.problem().unwrap_or_else(|| panic!("a problem, not {problem:?}"));
    assert_eq!(shown.title, "Invoice not found");
    assert_eq!(shown.detail.as_deref(), Some("No invoice 603010"));
    assert_eq!(problem.status(), Some(404));
    assert_eq!(problem.error_id(), Some("abc-123"), "the problem's instance, not the request id");
    let written = client.send("DELETE", "/billing/x/problem", None).await.unwrap_err();
    assert_eq!(written, problem, "a write's error answer reads the same");
    let status = client.get::<serde_json::Value>("/billing/x/html").await.unwrap_err();
    assert_eq!(
        status,
        ApiError::Status { status: 502, status_text: "Bad Gateway".into(), request_id: Some("r-10".into()) }
    );
    let unreadable = client.get::<serde_json::Value>("/billing/x/json").await.unwrap_err();
    assert!(
        matches!(&unreadable, ApiError::Decode { url, request_id: Some(id), .. } if url == "/billing/x/json" && id == "r-11"),
        "{unreadable:?}"
    );
}

/// gloo-net panics on a rejection that is not an `Error` and on an answer that is not a
/// `Response`; a host page's replaced `fetch` can do both, and must fail only the request.
#[wasm_bindgen_test]
async fn a_host_page_fetch_that_misbehaves_fails_the_request_not_the_widget() {
    for (answer, write_fails, what) in [
        ("return Promise.reject(new TypeError('Failed to fetch'));", true, "the browser's own failure"),
        ("return Promise.reject(42);", true, "a rejection with a number"),
        ("throw 'no';", true, "a thrown string"),
        ("return Promise.resolve({ ok: true, status: 200 });", true, "an answer that is no Response"),
        ("return 7;", true, "no promise at all"),
        (
            "return Promise.resolve(new Response(new ReadableStream({ start(c) { c.error(42); } })));",
            false,
            "a body that fails with a number",
        ),
    ] {
        let _fake = RecordingFetch::answering(answer);
        let read = ApiClient::new("").get::<serde_json::Value>("/billing/x/1").await;
        assert!(matches!(read, Err(ApiError::Network(_))), "{what}: {read:?}");
        let write = ApiClient::new("").send("POST", "/billing/x/1", None).await;
        // A write whose answer came is done, whatever its body: only a missing answer fails it.
        assert_eq!(matches!(write, Err(ApiError::Network(_))), write_fails, "{what}: {write:?}");
    }
    let _fake = RecordingFetch::answering("return Promise.reject(new TypeError('Failed to fetch'));");
    let read = ApiClient::new("").get::<serde_json::Value>("/billing/x/1").await;
    assert_eq!(read, Err(ApiError::Network("TypeError: Failed to fetch".into())), "the browser's words, for details");
}

// ---- what a view reports to whoever mounted it ----------------------------------------------

const INVOICE: &str = "/billing/invoice/v1/100200/invoices/603012";

/// A line of the invoice as the API sends it.
const LINE_JSON: &str = r#"{"description": "Mobil", "quantity": 1, "unitPrice": 100, "amount": 100, "vatRate": 25, "vatAmount": 25, "totalAmount": 125}"#;

#[wasm_bindgen_test]
async fn an_invoice_view_reports_loaded_with_its_line_count_to_the_callbacks_provided() {
    let invoice = format!(r#"{{"@id": "{INVOICE}", "invoiceNo": "603012", "recurringProducts": "{INVOICE}/lines"}}"#);
    let lines = format!(r#"{{"items": [{LINE_JSON}, {LINE_JSON}, {LINE_JSON}], "navigation": {{"next": null}}}}"#);
    let _fake = FakeFetch::serve(&[(INVOICE, &invoice), (&format!("{INVOICE}/lines"), &lines)]);
    let heard = Heard::default();
    let provided = heard.clone();
    let (host, _handle) = mount(move || {
        provided.provide();
        view! { <InvoiceView client=ApiClient::new("") invoice=Link(INVOICE.into()) locale="en-GB" /> }
    });
    wait_until("the invoice is loaded", || !heard.loaded.lock().unwrap().is_empty()).await;
    settle().await;
    assert_eq!(
        *heard.loaded.lock().unwrap(),
        [Loaded::Invoice { invoice_no: "603012".into(), lines: 3, failed_groups: 0 }],
        "loaded once, with every line shown"
    );
    assert_eq!(texts(&host, "tr.bw-fold .bw-fold-toggle"), ["▸3 × Mobil, 3 identical lines"], "identical: one fold");
    assert!(heard.failed.lock().unwrap().is_empty(), "no failure reported");
}

#[wasm_bindgen_test]
async fn an_invoice_that_cannot_be_loaded_reports_the_failure_and_no_load() {
    let _fake = FakeFetch::serve(&[]);
    let heard = Heard::default();
    let provided = heard.clone();
    let (host, _handle) = mount(move || {
        provided.provide();
        view! { <InvoiceView client=ApiClient::new("") invoice=Link(INVOICE.into()) locale="en-GB" /> }
    });
    wait_until("the failure is reported", || !heard.failed.lock().unwrap().is_empty()).await;
    settle().await;
    let failed = heard.failed.lock().unwrap().clone();
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert_eq!((failed[0].view, failed[0].error.status()), (ViewName::Invoice, Some(404)));
    assert!(heard.loaded.lock().unwrap().is_empty(), "a failed invoice is not reported loaded");
    assert_eq!(count(&host, ".bw-error"), 1, "and the view says so");
}

#[wasm_bindgen_test]
async fn a_view_mounted_without_callbacks_loads_and_reports_nowhere() {
    let invoice = format!(r#"{{"@id": "{INVOICE}", "invoiceNo": "603012"}}"#);
    let _fake = FakeFetch::serve(&[(INVOICE, &invoice)]);
    let (host, _handle) =
        mount(|| view! { <InvoiceView client=ApiClient::new("") invoice=Link(INVOICE.into()) locale="en-GB" /> });
    wait_until("the invoice shows", || count(&host, ".bw-invoice-header") == 1).await;
    assert!(texts(&host, ".bw-invoice-header h2")[0].contains("603012"), "no callbacks provided is no failure");
}

// ---- one locale per mounted view ----------------------------------------------------------------

#[wasm_bindgen_test]
async fn an_invoice_views_locale_reaches_every_part_inside_it() {
    let invoice = format!(r#"{{"@id": "{INVOICE}", "invoiceNo": "603012", "recurringProducts": "{INVOICE}/lines"}}"#);
    let lines = format!(r#"{{"items": [{LINE_JSON}], "navigation": {{"next": null}}}}"#);
    let _fake = FakeFetch::serve(&[(INVOICE, &invoice), (&format!("{INVOICE}/lines"), &lines)]);
    let (host, _handle) =
        mount(|| view! { <InvoiceView client=ApiClient::new("") invoice=Link(INVOICE.into()) locale="sv-SE" /> });
    wait_until("the charges show", || count(&host, "tr.bw-line") == 1).await;
    assert_eq!(texts(&host, ".bw-invoice-header h2"), ["Faktura 603012"], "the header");
    assert_eq!(texts(&host, ".bw-toolbar label"), ["Filtrera rader"], "the charges' toolbar");
    assert!(texts(&host, ".bw-summary").concat().contains("125,00"), "the totals, in Swedish numbers");
}

#[wasm_bindgen_test]
fn two_tables_side_by_side_each_speak_their_own_locale() {
    let (host, _handle) = mount(|| {
        let table = |locale: &'static str| {
            view! {
                <InvoiceListTable invoices=Arc::new(Vec::new()) fetch=held_fetch().0 selected=Signal::stored(None::<String>)
                    on_open=Callback::new(|_: Invoice| {}) caption="Invoices" locale=locale />
            }
        };
        view! { {table("sv-SE")}{table("en-GB")} }
    });
    assert_eq!(texts(&host, ".bw-empty"), ["Kunden har inga fakturor.", "This customer has no invoices."]);
}

#[wasm_bindgen_test]
fn a_part_mounted_without_a_locale_speaks_english() {
    let (host, _handle) = mount(|| view! { <InvoiceHeader invoice=Arc::new(invoice("406.44")) /> });
    assert_eq!(texts(&host, ".bw-invoice-header h2"), ["Invoice 603010"]);
}

#[wasm_bindgen_test]
async fn an_element_tells_the_host_page_its_invoice_loaded_with_an_event_from_the_element() {
    use billing_widget::embed::mount_view;
    use std::cell::RefCell;
    use std::rc::Rc;
    use wasm_bindgen::closure::Closure;

    let path = billing_contract::paths::invoice("100200", "603012");
    let invoice = format!(r#"{{"@id": "{path}", "invoiceNo": "603012", "recurringProducts": "{path}/lines"}}"#);
    let lines = format!(r#"{{"items": [{LINE_JSON}, {LINE_JSON}], "navigation": {{"next": null}}}}"#);
    let _fake = FakeFetch::serve(&[(&path, &invoice), (&format!("{path}/lines"), &lines)]);
    let document = web_sys::window().unwrap().document().unwrap();
    let events: Rc<RefCell<Vec<web_sys::CustomEvent>>> = Rc::default();
    let listener = {
        let events = events.clone();
        Closure::<dyn FnMut(web_sys::CustomEvent)>::new(move |e: web_sys::CustomEvent| events.borrow_mut().push(e))
    };
    document.add_event_listener_with_callback("payex-loaded", listener.as_ref().unchecked_ref()).unwrap();

    // Mounted as payex-billing.js mounts it: in a container in the element's shadow root.
    let element: HtmlElement = document.create_element("section").unwrap().unchecked_into();
    document.body().unwrap().append_child(&element).unwrap();
    let shadow = element.attach_shadow(&web_sys::ShadowRootInit::new(web_sys::ShadowRootMode::Open)).unwrap();
    let container: HtmlElement = document.create_element("div").unwrap().unchecked_into();
    shadow.append_child(&container).unwrap();
    let options = js_sys::Object::new();
    for (key, value) in [("ownerNo", "100200"), ("invoiceNo", "603012"), ("locale", "en-GB")] {
        js_sys::Reflect::set(&options, &key.into(), &value.into()).unwrap();
    }
    let view = mount_view("invoice", container, options.into()).unwrap_or_else(|_| panic!("mountView"));
    wait_until("the host page hears the invoice loaded", || !events.borrow().is_empty()).await;
    settle().await;
    document.remove_event_listener_with_callback("payex-loaded", listener.as_ref().unchecked_ref()).unwrap();
    drop(view);
    element.remove();

    let events = events.borrow();
    assert_eq!(events.len(), 1, "loaded once");
    assert!(events[0].bubbles() && events[0].composed(), "it crosses the shadow root");
    let target: web_sys::Node = events[0].target().unwrap().unchecked_into();
    assert!(target.is_same_node(Some(&element)), "the host sees the element as its target");
    let detail = events[0].detail();
    let field = |key: &str| js_sys::Reflect::get(&detail, &key.into()).unwrap();
    assert_eq!(field("view").as_string().as_deref(), Some("invoice"));
    assert_eq!(field("invoiceNo").as_string().as_deref(), Some("603012"));
    assert_eq!((field("lines").as_f64(), field("failedGroups").as_f64()), (Some(2.0), Some(0.0)));
}

#[wasm_bindgen_test]
async fn an_invoice_list_reports_its_count_loaded_and_the_invoice_opened() {
    let path = billing_contract::paths::invoices_of_customer("100200", "15615616");
    let item = |no: &str, date: &str| {
        format!(
            r#"{{"@id": "/billing/invoice/v1/100200/invoices/{no}", "invoiceNo": "{no}", "invoiceDate": "{date}",
                "dueDate": "{date}", "invoiceAmount": 10, "currency": "SEK"}}"#
        )
    };
    let listing = format!(
        r#"{{"items": [{}, {}], "navigation": {{"next": null}}}}"#,
        item("603012", "2026-11-01"),
        item("603011", "2026-10-01")
    );
    let _fake = FakeFetch::serve(&[(&path, &listing)]);
    let heard = Heard::default();
    let provided = heard.clone();
    let opened_by_caller = RwSignal::new(None::<String>);
    let (host, _handle) = mount(move || {
        provided.provide();
        view! {
            <InvoiceList client=ApiClient::new("") owner_no="100200" customer_no="15615616".to_string()
                selected=Signal::stored(None::<String>)
                on_open=Callback::new(move |invoice: Invoice| opened_by_caller.set(Some(invoice.invoice_no)))
                locale="en-GB" />
        }
    });
    wait_until("the list is loaded", || !heard.loaded.lock().unwrap().is_empty()).await;
    settle().await;
    assert_eq!(*heard.loaded.lock().unwrap(), [Loaded::InvoiceList { customer_no: "15615616".into(), invoices: 2 }]);
    click(&host, "tbody tr:nth-child(2) button");
    assert_eq!(
        *heard.opened.lock().unwrap(),
        [InvoiceOpened { owner_no: "100200".into(), customer_no: "15615616".into(), invoice_no: "603011".into() }]
    );
    assert_eq!(opened_by_caller.get_untracked().as_deref(), Some("603011"), "and the caller opens it");
}

/// Mounts an invoice view of invoice 603012 as `payex-billing.js` does, handing it early
/// requests: `(url, status, body)` each; returns the container and the view.
fn mount_with_early_requests(early: &[(&str, u16, &str)]) -> (HtmlElement, billing_widget::embed::MountedView) {
    let answers: Vec<(&str, wasm_bindgen::JsValue)> =
        early.iter().map(|(url, status, body)| (*url, answered(*status, body).into())).collect();
    mount_with_early_answers(&answers)
}

/// A `fetch` answer already there: `status` with the JSON `body`.
fn answered(status: u16, body: &str) -> js_sys::Promise {
    let response = web_sys::Response::new_with_opt_str_and_init(Some(body), &response_init(status)).unwrap();
    js_sys::Promise::resolve(&wasm_bindgen::JsValue::from(response))
}

fn response_init(status: u16) -> web_sys::ResponseInit {
    let init = web_sys::ResponseInit::new();
    init.set_status(status);
    init
}

/// The options of the element showing invoice 603012, with `session` as its token.
fn element_options(session: &str) -> js_sys::Object {
    let options = js_sys::Object::new();
    for (key, value) in [("ownerNo", "100200"), ("invoiceNo", "603012"), ("locale", "en-GB"), ("sessionToken", session)]
    {
        js_sys::Reflect::set(&options, &key.into(), &value.into()).unwrap();
    }
    options
}

/// Mounts as [`mount_with_early_requests`] does, with any promise as each early answer.
fn mount_with_early_answers(
    early: &[(&str, wasm_bindgen::JsValue)],
) -> (HtmlElement, billing_widget::embed::MountedView) {
    mount_element_with_early("invoice", element_options("first"), early)
}

/// Mounts view `kind` with `options` as `payex-billing.js` does, handing it `early`
/// requests: `(url, answer)` each; returns the container and the view.
fn mount_element_with_early(
    kind: &str,
    options: js_sys::Object,
    early: &[(&str, wasm_bindgen::JsValue)],
) -> (HtmlElement, billing_widget::embed::MountedView) {
    let document = web_sys::window().unwrap().document().unwrap();
    let container: HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&container).unwrap();
    let requests = js_sys::Array::new();
    for (url, answer) in early {
        let request = js_sys::Object::new();
        js_sys::Reflect::set(&request, &"url".into(), &(*url).into()).unwrap();
        js_sys::Reflect::set(&request, &"answer".into(), answer).unwrap();
        requests.push(&request);
    }
    js_sys::Reflect::set(&options, &"early".into(), &requests).unwrap();
    let view = billing_widget::embed::mount_view(kind, container.clone(), options.into())
        .unwrap_or_else(|_| panic!("mountView"));
    (container, view)
}

/// Charges that an early answer held and that must not show once stale.
const STALE_CHARGES: &str = r#"{"items": [{"description": "Stale", "quantity": 1, "unitPrice": 100, "amount": 100, "vatRate": 25, "vatAmount": 25, "totalAmount": 125}], "navigation": {"next": null}}"#;

/// Invoice 603012 at its documented paths, with one line at customer level.
struct Invoice603012 {
    path: String,
    lines_path: String,
    invoice: String,
    lines: String,
}

impl Invoice603012 {
    fn new() -> Invoice603012 {
        let path = billing_contract::paths::invoice("100200", "603012");
        let lines_path = billing_contract::paths::invoice_charges("100200", "603012");
        let invoice = format!(r#"{{"invoiceNo": "603012", "recurringProducts": "{lines_path}"}}"#);
        let lines = format!(r#"{{"items": [{LINE_JSON}], "navigation": {{"next": null}}}}"#);
        Invoice603012 { path, lines_path, invoice, lines }
    }
}

/// How many times the page's fetch was asked for a URL ending in `end`.
fn asked_for(fake: &FakeFetch, end: &str) -> usize {
    fake.asked().iter().filter(|url| url.ends_with(end)).count()
}

#[wasm_bindgen_test]
async fn an_element_shows_the_invoice_its_script_asked_for_early_without_asking_again() {
    let Invoice603012 { path, lines_path, invoice, lines } = Invoice603012::new();
    // The page's fetch knows neither: only the early answers have them.
    let fake = FakeFetch::serve(&[]);
    let (container, view) = mount_with_early_requests(&[(&path, 200, &invoice), (&lines_path, 200, &lines)]);
    wait_until("the early invoice shows with its line", || count(&container, "tr.bw-line") == 1).await;
    assert_eq!(texts(&container, ".bw-invoice-header h2"), ["Invoice 603012"]);
    assert!(fake.asked().is_empty(), "{:?}", fake.asked());
    drop(view);
    container.remove();
}

#[wasm_bindgen_test]
async fn an_early_request_for_another_url_is_not_taken() {
    let path = billing_contract::paths::invoice("100200", "603012");
    let invoice = format!(r#"{{"invoiceNo": "603012", "recurringProducts": "{path}/lines"}}"#);
    let other = r#"{"invoiceNo": "999999"}"#;
    let lines = format!(r#"{{"items": [{LINE_JSON}], "navigation": {{"next": null}}}}"#);
    let fake = FakeFetch::serve(&[(&path, &invoice), (&format!("{path}/lines"), &lines)]);
    // The script guessed the charges' path; this invoice has them elsewhere.
    let (container, view) = mount_with_early_requests(&[
        ("/billing/invoice/v1/100200/invoices/999999", 200, other),
        (&format!("{path}/recurring-products"), 200, r#"{"items": []}"#),
    ]);
    wait_until("the invoice asked for shows with its line", || count(&container, "tr.bw-line") == 1).await;
    assert_eq!(texts(&container, ".bw-invoice-header h2"), ["Invoice 603012"]);
    assert_eq!((asked_for(&fake, "/invoices/603012"), asked_for(&fake, "/lines")), (1, 1), "{:?}", fake.asked());
    drop(view);
    container.remove();
}

#[wasm_bindgen_test]
async fn a_retry_after_a_failed_early_request_asks_again_for_everything() {
    let Invoice603012 { path, lines_path, invoice, lines } = Invoice603012::new();
    let fake = FakeFetch::serve(&[(&path, &invoice), (&lines_path, &lines)]);
    // The early charges were never taken (the invoice failed): by the retry they may be stale.
    let (container, view) =
        mount_with_early_requests(&[(&path, 503, r#"{"title": "Busy"}"#), (&lines_path, 200, STALE_CHARGES)]);
    wait_until("the early request's failure shows", || count(&container, ".bw-error button") == 1).await;
    assert!(fake.asked().is_empty(), "nothing asked yet: {:?}", fake.asked());
    click(&container, ".bw-error button");
    wait_until("the retried invoice shows", || count(&container, "tr.bw-line") > 0).await;
    settle().await;
    assert_eq!(texts(&container, "tr.bw-line .bw-description"), ["Mobil"], "the charges as the retry found them");
    assert_eq!(
        (asked_for(&fake, "/invoices/603012"), asked_for(&fake, "/recurring-products")),
        (1, 1),
        "{:?}",
        fake.asked()
    );
    drop(view);
    container.remove();
}

#[wasm_bindgen_test]
async fn new_options_before_the_first_load_is_done_drop_the_early_answers_not_yet_taken() {
    let Invoice603012 { path, lines_path, invoice, lines } = Invoice603012::new();
    let fake = FakeFetch::serve(&[(&lines_path, &lines)]);
    // The invoice's early answer comes only when the test says; the charges' is already there,
    // but was asked for with the session the host has since renewed.
    let mut resolve_invoice = None;
    let pending = js_sys::Promise::new(&mut |resolve, _| resolve_invoice = Some(resolve));
    let (container, view) =
        mount_with_early_answers(&[(&path, pending.into()), (&lines_path, answered(200, STALE_CHARGES).into())]);
    view.update(element_options("renewed").into());
    let response = web_sys::Response::new_with_opt_str_and_init(Some(&invoice), &response_init(200)).unwrap();
    resolve_invoice.unwrap().call1(&wasm_bindgen::JsValue::NULL, &response).unwrap();
    wait_until("the invoice shows with its charges", || count(&container, "tr.bw-line") > 0).await;
    settle().await;
    assert_eq!(
        texts(&container, "tr.bw-line .bw-description"),
        ["Mobil"],
        "the charges asked for with the renewed session"
    );
    assert_eq!(asked_for(&fake, "/recurring-products"), 1, "{:?}", fake.asked());
    drop(view);
    container.remove();
}

/// Customer 15615616 at its documented paths, with one product of its own and no subscriptions.
struct Customer15615616 {
    path: String,
    products_path: String,
    subscriptions_path: String,
    customer: String,
}

impl Customer15615616 {
    fn new() -> Customer15615616 {
        use billing_contract::paths;
        let path = paths::customer("100200", "15615616");
        let products_path = paths::customer_products("100200", "15615616");
        let subscriptions_path = paths::customer_subscriptions("100200", "15615616");
        let customer = format!(
            r#"{{"customerNo": "15615616", "name": "Anna", "recurringProducts": "{products_path}", "subscriptions": "{subscriptions_path}"}}"#
        );
        Customer15615616 { path, products_path, subscriptions_path, customer }
    }

    /// A page of the customer's products, one described `description`.
    fn products(description: &str) -> String {
        format!(
            r#"{{"items": [{{"recurringProductNo": "1001", "productNo": "P", "description": "{description}", "quantity": 1, "unitPrice": 99, "vatRate": 25, "periodicity": "monthly", "startDate": "2026-01-01"}}], "navigation": {{"next": null}}}}"#
        )
    }

    /// The options of the element showing this customer's recurring products.
    fn options() -> js_sys::Object {
        let options = js_sys::Object::new();
        for (key, value) in [("ownerNo", "100200"), ("customerNo", "15615616"), ("locale", "en-GB")] {
            js_sys::Reflect::set(&options, &key.into(), &value.into()).unwrap();
        }
        options
    }
}

const NO_SUBSCRIPTIONS: &str = r#"{"items": [], "navigation": {"next": null}}"#;

#[wasm_bindgen_test]
async fn a_recurring_products_element_shows_what_its_script_asked_for_early_without_asking_again() {
    let Customer15615616 { path, products_path, subscriptions_path, customer } = Customer15615616::new();
    // The page's fetch knows nothing: only the early answers have the customer and its lists.
    let fake = FakeFetch::serve(&[]);
    let early = [
        (path.as_str(), answered(200, &customer).into()),
        (products_path.as_str(), answered(200, &Customer15615616::products("Early bird")).into()),
        (subscriptions_path.as_str(), answered(200, NO_SUBSCRIPTIONS).into()),
    ];
    let (container, view) = mount_element_with_early("recurring-products", Customer15615616::options(), &early);
    wait_until("the early products show", || count(&container, "tr.bw-product") == 1).await;
    assert!(
        texts(&container, "tr.bw-product td").iter().any(|t| t == "Early bird"),
        "{:?}",
        texts(&container, "tr.bw-product td")
    );
    assert!(fake.asked().is_empty(), "{:?}", fake.asked());
    drop(view);
    container.remove();
}

#[wasm_bindgen_test]
async fn a_retry_of_the_recurring_products_asks_again_instead_of_taking_stale_early_answers() {
    let Customer15615616 { path, products_path, subscriptions_path, customer } = Customer15615616::new();
    let fresh = Customer15615616::products("Fresh");
    let fake =
        FakeFetch::serve(&[(&path, &customer), (&products_path, &fresh), (&subscriptions_path, NO_SUBSCRIPTIONS)]);
    // The customer failed, so the early products were never taken: by the retry they may be stale.
    let early = [
        (path.as_str(), answered(503, r#"{"title": "Busy"}"#).into()),
        (products_path.as_str(), answered(200, &Customer15615616::products("Stale")).into()),
        (subscriptions_path.as_str(), answered(200, NO_SUBSCRIPTIONS).into()),
    ];
    let (container, view) = mount_element_with_early("recurring-products", Customer15615616::options(), &early);
    wait_until("the early request's failure shows", || count(&container, ".bw-error button") == 1).await;
    assert!(fake.asked().is_empty(), "nothing asked yet: {:?}", fake.asked());
    click(&container, ".bw-error button");
    wait_until("the retried products show", || count(&container, "tr.bw-product") == 1).await;
    let cells = texts(&container, "tr.bw-product td");
    assert!(cells.iter().any(|t| t == "Fresh") && !cells.iter().any(|t| t == "Stale"), "{cells:?}");
    assert_eq!(
        (
            asked_for(&fake, "/customers/15615616"),
            asked_for(&fake, "/recurring-products"),
            asked_for(&fake, "/subscriptions")
        ),
        (1, 1, 1),
        "{:?}",
        fake.asked()
    );
    drop(view);
    container.remove();
}
