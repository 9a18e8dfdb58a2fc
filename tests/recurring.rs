//! The recurring-products overview and its change forms, mounted in headless Chromium
//! (`wasm-bindgen-test`). Changes go to a stand-in for the API that records them.
#![cfg(target_arch = "wasm32")]

use billing_contract::problem::FieldProblem;
use billing_contract::{Customer, Date, Link, OperationRel, Periodicity, Problem, RecurringProduct, Subscription};
use billing_widget::api::ApiClient;
use billing_widget::api::{ApiError, Change, Saved, SendChange};
use billing_widget::embed::{ChangeAction, ChangeNotice, ElementOptions};
use billing_widget::model::{CustomerOverview, SubscriptionProducts, VatRates};
use billing_widget::views::{Editing, Loaded, Mode, NextInvoicePreview, RecurringProductsTable, RecurringProductsView};
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

const TODAY: &str = "2026-11-21";

fn today() -> Date {
    TODAY.parse().unwrap()
}

const ALL_PRODUCT_OPS: &[OperationRel] = &[OperationRel::UpdateRecurringProduct, OperationRel::DeleteRecurringProduct];

fn product(
    no: &str,
    description: &str,
    price: &str,
    start: &str,
    end: Option<&str>,
    ops: &[OperationRel],
) -> RecurringProduct {
    let href = format!("/products/{no}");
    RecurringProduct {
        id: Link(href.clone()),
        recurring_product_no: no.into(),
        product_no: format!("P-{no}"),
        description: description.into(),
        quantity: dec("1"),
        unit_price: dec(price),
        vat_rate: dec("25"),
        periodicity: Periodicity::Monthly,
        start_date: start.parse().unwrap(),
        end_date: end.map(|e| e.parse().unwrap()),
        operations: ops.iter().map(|op| op.at(&href)).collect(),
    }
}

fn customer(ops: &[OperationRel]) -> Customer {
    Customer {
        id: Link("/customers/15615616".into()),
        customer_no: "15615616".into(),
        recurring_products: None,
        subscriptions: None,
        operations: ops.iter().map(|op| op.at("/customers/15615616/x")).collect(),
    }
}

fn subscription(no: &str, description: Option<&str>, ops: &[OperationRel]) -> Subscription {
    let href = format!("/customers/15615616/subscriptions/{no}");
    Subscription {
        id: Link(href.clone()),
        subscription_no: no.into(),
        description: description.map(Into::into),
        start_date: Some("2025-06-01".parse().unwrap()),
        end_date: None,
        recurring_products: None,
        operations: ops.iter().map(|op| op.at(&format!("{href}/recurring-products"))).collect(),
    }
}

/// The customer pays 29.00 (active) and has one subscription with an active 199.00, an upcoming
/// 95.20 and an ended 169.81, all monthly at 25 %. Every operation is offered everywhere.
fn overview() -> Arc<CustomerOverview> {
    Arc::new(CustomerOverview {
        unreadable_products: 0,
        unreadable_subscriptions: 0,
        products_failed: None,
        customer: customer(&[OperationRel::AddSubscription, OperationRel::AddRecurringProduct]),
        products: vec![product("1", "Pappersfaktura", "29.00", "2025-06-01", None, ALL_PRODUCT_OPS)],
        subscriptions: vec![SubscriptionProducts {
            unreadable_products: 0,
            failed: None,
            subscription: subscription("46701234567", Some("Mobil – Anna"), &[OperationRel::AddRecurringProduct]),
            products: vec![
                product("2", "Mobil 20 GB", "199.00", "2026-09-15", None, ALL_PRODUCT_OPS),
                product("3", "Streaming Film", "95.20", "2027-01-01", None, ALL_PRODUCT_OPS),
                product("4", "Ljudböcker", "169.81", "2025-06-01", Some("2026-04-20"), ALL_PRODUCT_OPS),
            ],
        }],
    })
}

/// An answer the stand-in API gives once the test sends it.
type Answer = oneshot::Receiver<Result<(), ApiError>>;

/// A stand-in for the API: records each change and answers with what the test queues (an
/// answer not yet queued keeps the request in flight until it is).
#[derive(Clone, Default)]
struct FakeApi {
    sent: Arc<Mutex<Vec<Change>>>,
    answers: Arc<Mutex<Vec<Answer>>>,
}

impl FakeApi {
    /// The next change gets this answer at once.
    fn answer(&self, result: Result<(), ApiError>) {
        let (tx, rx) = oneshot::channel();
        let _ = tx.send(result);
        self.answers.lock().unwrap().push(rx);
    }

    /// The next change waits for the returned sender.
    fn hold(&self) -> oneshot::Sender<Result<(), ApiError>> {
        let (tx, rx) = oneshot::channel();
        self.answers.lock().unwrap().push(rx);
        tx
    }

    fn sent(&self) -> Vec<Change> {
        self.sent.lock().unwrap().clone()
    }

    fn sender(&self) -> SendChange {
        let api = self.clone();
        Arc::new(move |change| {
            // Like the API's 201 answer, an added product comes back with the number it was given.
            let created = matches!(change, Change::AddProduct { .. }).then(|| "1099".to_owned());
            let saved = Saved { recurring_product_no: created };
            api.sent.lock().unwrap().push(change);
            let answer = {
                let mut answers = api.answers.lock().unwrap();
                (!answers.is_empty()).then(|| answers.remove(0))
            };
            Box::pin(async move {
                match answer {
                    Some(rx) => rx.await.unwrap_or(Err(ApiError::Network("dropped".into()))).map(|()| saved),
                    None => Ok(saved),
                }
            })
        })
    }
}

/// What the view reported to its caller.
#[derive(Clone, Default)]
struct Reports {
    saved: Arc<Mutex<Vec<ChangeNotice>>>,
    unauthorized: Arc<Mutex<Vec<Option<String>>>>,
}

fn editing(api: &FakeApi, reports: &Reports) -> Editing {
    let (saved, unauthorized) = (reports.saved.clone(), reports.unauthorized.clone());
    Editing {
        send: api.sender(),
        owner_no: "100200".into(),
        customer_no: "15615616".into(),
        on_saved: Callback::new(move |notice| saved.lock().unwrap().push(notice)),
        on_unauthorized: Callback::new(move |instance| unauthorized.lock().unwrap().push(instance)),
    }
}

/// The overview in CRM mode in British English, for a Swedish ledger.
fn mount_crm(overview: Arc<CustomerOverview>, api: &FakeApi, reports: &Reports) -> (HtmlElement, impl Drop) {
    mount_ledger(overview, api, reports, "en-GB", VatRates::of_country("SE"))
}

/// The overview in CRM mode in `locale`, for a ledger with `vat_rates`.
fn mount_ledger(
    overview: Arc<CustomerOverview>,
    api: &FakeApi,
    reports: &Reports,
    locale: &'static str,
    vat_rates: VatRates,
) -> (HtmlElement, impl Drop) {
    let editing = editing(api, reports);
    mount(move || {
        view! {
            <RecurringProductsTable overview=overview locale=locale mode=Mode::Crm today=today()
                editing=Some(editing) vat_rates=vat_rates />
        }
    })
}

fn button_labels(host: &HtmlElement, selector: &str) -> Vec<String> {
    let nodes = host.query_selector_all(selector).unwrap();
    (0..nodes.length())
        .filter_map(|i| nodes.item(i))
        .map(|n| {
            let e: web_sys::Element = n.unchecked_into();
            e.get_attribute("aria-label").unwrap_or_else(|| e.text_content().unwrap_or_default())
        })
        .collect()
}

fn click_labelled(host: &HtmlElement, label: &str) {
    let selector = format!("button[aria-label=\"{label}\"]");
    let button = host.query_selector(&selector).unwrap().unwrap_or_else(|| panic!("no button {label}"));
    button.unchecked_into::<HtmlElement>().click();
}

fn field(host: &HtmlElement, name: &str) -> web_sys::Element {
    host.query_selector(&format!("form [name=\"{name}\"]")).unwrap().unwrap_or_else(|| panic!("no field {name}"))
}

fn value_of(host: &HtmlElement, name: &str) -> String {
    let element = field(host, name);
    match element.dyn_ref::<web_sys::HtmlInputElement>() {
        Some(input) => input.value(),
        None => element.unchecked_into::<web_sys::HtmlSelectElement>().value(),
    }
}

fn choose(host: &HtmlElement, name: &str, value: &str) {
    let select: web_sys::HtmlSelectElement = field(host, name).unchecked_into();
    select.set_value(value);
    select.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
}

fn fill_field(host: &HtmlElement, name: &str, text: &str) {
    type_into(host, &format!("form [name=\"{name}\"]"), text);
}

fn submit(host: &HtmlElement) {
    click(host, "form button[type=submit]");
}

fn focused_name() -> Option<String> {
    let document = web_sys::window().unwrap().document().unwrap();
    document.active_element().and_then(|e| e.get_attribute("name"))
}

fn row_texts(host: &HtmlElement) -> Vec<String> {
    texts(host, "tr.bw-product")
}

// ---- overview ----------------------------------------------------------------------------

#[wasm_bindgen_test]
fn statuses_come_from_the_dates_and_today() {
    let (host, _handle) =
        mount(|| view! { <RecurringProductsTable overview=overview() locale="en-GB" mode=Mode::Crm today=today() /> });
    assert_eq!(texts(&host, ".bw-status"), ["Active", "Active", "Upcoming", "Ended"]);
    assert_eq!(texts(&host, "h3"), ["On the customer", "Subscription 46701234567 – Mobil – Anna"]);
    let rows = row_texts(&host);
    assert!(rows[0].contains("Until further notice"), "an open end reads as until further notice: {rows:?}");
    assert!(rows[3].contains("20/04/2026"), "dates in the locale: {rows:?}");
}

#[wasm_bindgen_test]
fn prices_per_month_and_year_include_vat_and_totals_count_active_products() {
    let (host, _handle) =
        mount(|| view! { <RecurringProductsTable overview=overview() locale="sv-SE" mode=Mode::Crm today=today() /> });
    let rows = row_texts(&host);
    // 199.00 + 25 % = 248.75 a month, 2 985.00 a year.
    assert!(rows[1].contains("248,75") && rows[1].contains("2 985,00"), "{rows:?}");
    // The subscription's total counts only the active product: not the upcoming or the ended.
    assert_eq!(texts(&host, "tfoot tr > *")[3..], ["Summa aktiva produkter", "248,75", "2 985,00"]);
    // Customer 36.25 + subscription 248.75 = 285.00 a month, 3 420.00 a year.
    assert_eq!(
        texts(&host, ".bw-customer-total"),
        ["Alla aktiva produkter tillsammans: 285,00 per månad, 3 420,00 per år, inklusive moms."]
    );
}

#[wasm_bindgen_test]
fn unit_prices_show_every_decimal_and_costs_beyond_a_decimal_are_stated_not_a_crash() {
    let mut sms = product("5", "SMS-paket", "0.0125", "2025-06-01", None, &[]);
    sms.quantity = dec("400");
    // 10^14 × 10^14 × 125 % is beyond a decimal.
    let mut huge = product("6", "Stor", "100000000000000", "2025-06-01", None, &[]);
    huge.quantity = dec("100000000000000");
    let overview = Arc::new(CustomerOverview {
        unreadable_products: 0,
        unreadable_subscriptions: 0,
        products_failed: None,
        customer: customer(&[]),
        products: vec![sms, huge],
        subscriptions: vec![],
    });
    let (host, _handle) = mount(
        move || view! { <RecurringProductsTable overview=overview locale="sv-SE" mode=Mode::Crm today=today() /> },
    );
    let prices = texts(&host, "tbody tr td:nth-child(4)");
    assert_eq!(prices[0], "0,0125", "not 0,01");
    assert_eq!(texts(&host, "tfoot .bw-error"), ["Beloppen är för stora för att kunna summeras."]);
    assert_eq!(texts(&host, ".bw-customer-total.bw-error"), ["Beloppen är för stora för att kunna summeras."]);
}

#[wasm_bindgen_test]
async fn ended_products_hide_behind_a_toggle_with_their_count() {
    let (host, _handle) =
        mount(|| view! { <RecurringProductsTable overview=overview() locale="en-GB" mode=Mode::Crm today=today() /> });
    let ended_row = || host.query_selector("tr.bw-ended").unwrap().unwrap();
    assert!(ended_row().has_attribute("hidden"), "ended products start hidden");
    assert_eq!(texts(&host, ".bw-ended-toggle"), ["Show ended products (1)"]);
    assert_eq!(attribute(&host, ".bw-ended-toggle", "aria-pressed").as_deref(), Some("false"));
    assert_eq!(texts(&host, ".bw-ended-note"), ["1 ended, hidden"]);
    click(&host, ".bw-ended-toggle");
    settle().await;
    assert!(!ended_row().has_attribute("hidden"));
    assert_eq!(texts(&host, ".bw-ended-toggle"), ["Hide ended products (1)"]);
    assert_eq!(attribute(&host, ".bw-ended-toggle", "aria-pressed").as_deref(), Some("true"));
    assert_eq!(count(&host, ".bw-ended-note"), 0);
}

#[wasm_bindgen_test]
fn a_customer_without_products_or_subscriptions_says_so() {
    let empty = Arc::new(CustomerOverview {
        unreadable_products: 0,
        unreadable_subscriptions: 0,
        products_failed: None,
        customer: customer(&[]),
        products: vec![],
        subscriptions: vec![],
    });
    let (host, _handle) =
        mount(move || view! { <RecurringProductsTable overview=empty locale="en" mode=Mode::Crm today=today() /> });
    assert_eq!(texts(&host, ".bw-empty"), ["This customer has no recurring products and no subscriptions."]);
    assert_eq!(count(&host, "button"), 0);

    // In CRM mode, where the customer offers them, the first product or subscription can be added.
    let (api, reports) = (FakeApi::default(), Reports::default());
    let empty = Arc::new(CustomerOverview {
        unreadable_products: 0,
        unreadable_subscriptions: 0,
        products_failed: None,
        customer: customer(&[OperationRel::AddSubscription, OperationRel::AddRecurringProduct]),
        products: vec![],
        subscriptions: vec![],
    });
    let (host, _handle) = mount_crm(empty, &api, &reports);
    assert_eq!(texts(&host, ".bw-empty")[0], "This customer has no recurring products and no subscriptions.");
    assert_eq!(button_labels(&host, "button"), ["Add subscription", "Add product to the customer"]);
    assert_eq!(count(&host, ".bw-customer-total"), 0, "no total of nothing");
}

#[wasm_bindgen_test]
fn controls_follow_the_operations_each_resource_advertises() {
    // The customer offers add-subscription but not add-recurring-product; one product may only
    // be updated, the other only deleted; the subscription offers add-recurring-product.
    let overview = Arc::new(CustomerOverview {
        unreadable_products: 0,
        unreadable_subscriptions: 0,
        products_failed: None,
        customer: customer(&[OperationRel::AddSubscription]),
        products: vec![product(
            "1",
            "Pappersfaktura",
            "29.00",
            "2025-06-01",
            None,
            &[OperationRel::UpdateRecurringProduct],
        )],
        subscriptions: vec![SubscriptionProducts {
            unreadable_products: 0,
            failed: None,
            subscription: subscription("46701234567", Some("Mobil – Anna"), &[OperationRel::AddRecurringProduct]),
            products: vec![product(
                "2",
                "Mobil 20 GB",
                "199.00",
                "2026-09-15",
                None,
                &[OperationRel::DeleteRecurringProduct],
            )],
        }],
    });
    let (api, reports) = (FakeApi::default(), Reports::default());
    let (host, _handle) = mount_crm(overview, &api, &reports);
    assert_eq!(
        button_labels(&host, ".bw-row-actions button"),
        ["Edit Pappersfaktura", "End Pappersfaktura", "Delete Mobil 20 GB"]
    );
    assert_eq!(
        button_labels(&host, ".bw-section-actions button"),
        ["Add product to Subscription 46701234567 – Mobil – Anna"]
    );
    assert_eq!(texts(&host, ".bw-overview-bar button"), ["Add subscription"]);

    // Nothing offered: no controls at all.
    let bare = Arc::new(CustomerOverview {
        unreadable_products: 0,
        unreadable_subscriptions: 0,
        products_failed: None,
        customer: customer(&[]),
        products: vec![product("1", "Pappersfaktura", "29.00", "2025-06-01", None, &[])],
        subscriptions: vec![],
    });
    let (host, _handle) = mount_crm(bare, &api, &reports);
    assert_eq!(count(&host, "button"), 0, "no button for an operation that is not offered");
}

#[wasm_bindgen_test]
fn self_service_is_read_only_plain_and_free_of_internal_identifiers() {
    let (api, reports) = (FakeApi::default(), Reports::default());
    let editing = editing(&api, &reports);
    let overview = Arc::new(CustomerOverview {
        unreadable_products: 0,
        unreadable_subscriptions: 0,
        products_failed: None,
        subscriptions: vec![
            overview().subscriptions[0].clone(),
            SubscriptionProducts {
                unreadable_products: 0,
                failed: None,
                subscription: subscription("46709999999", None, &[]),
                products: vec![],
            },
        ],
        ..(*overview()).clone()
    });
    let (host, _handle) = mount(move || {
        view! {
            <RecurringProductsTable overview=overview locale="en-GB" mode=Mode::SelfService today=today()
                editing=Some(editing) />
        }
    });
    assert_eq!(
        button_labels(&host, "button"),
        ["Show ended products (1)"],
        "no edit controls, whatever the API advertises"
    );
    let page = host.text_content().unwrap_or_default();
    for internal in ["46701234567", "46709999999", "P-1", "P-2", "15615616"] {
        assert!(!page.contains(internal), "{internal} is an internal identifier: {page}");
    }
    assert_eq!(texts(&host, "h3"), ["On your account", "Mobil – Anna", "Subscription 2"]);
    assert_eq!(
        texts(&host, "table.bw-products thead th")[..4],
        ["Service", "Qty", "Per month incl. VAT", "Per year incl. VAT"]
    );
    assert!(page.contains("Your active services cost 285.00 per month"), "{page}");
}

// ---- change forms ----------------------------------------------------------------------------

#[wasm_bindgen_test]
async fn the_form_checks_the_contract_before_sending_and_keeps_what_was_typed() {
    let (api, reports) = (FakeApi::default(), Reports::default());
    let (host, _handle) = mount_crm(overview(), &api, &reports);
    click_labelled(&host, "Add product to Subscription 46701234567 – Mobil – Anna");
    settle().await;
    assert_eq!(focused_name().as_deref(), Some("productNo"), "the form opens with focus on its first field");
    assert_eq!(value_of(&host, "startDate"), TODAY, "a new product starts today");
    fill_field(&host, "productNo", "MOB-EXTRA");
    fill_field(&host, "description", "");
    fill_field(&host, "quantity", "0");
    fill_field(&host, "unitPrice", "49,50 kr");
    fill_field(&host, "endDate", "2026-11-01");
    submit(&host);
    settle().await;
    assert!(api.sent().is_empty(), "nothing is sent while the form breaks the contract's rules");
    assert_eq!(
        texts(&host, ".bw-field-error"),
        [
            "Must be 1 to 100 characters.",
            "Must be greater than 0.",
            "Must be a number.",
            "Must not be before the start date."
        ]
    );
    assert_eq!(texts(&host, ".bw-form-errors"), ["4 fields need attention."]);
    assert_eq!(attribute(&host, "form [name=quantity]", "aria-invalid").as_deref(), Some("true"));
    let described = attribute(&host, "form [name=quantity]", "aria-describedby").unwrap();
    assert_eq!(
        host.query_selector(&format!("#{described}")).unwrap().unwrap().text_content().unwrap(),
        "Must be greater than 0."
    );
    assert_eq!(focused_name().as_deref(), Some("description"), "focus goes to the first failing field");
    assert_eq!(value_of(&host, "unitPrice"), "49,50 kr", "what was typed is kept");
    assert_eq!(value_of(&host, "productNo"), "MOB-EXTRA");

    // Corrected, it is sent as the contract's input to the advertised operation.
    fill_field(&host, "description", "Extra surf");
    fill_field(&host, "quantity", "2");
    fill_field(&host, "unitPrice", "49,50");
    fill_field(&host, "endDate", "");
    choose(&host, "periodicity", "quarterly");
    submit(&host);
    settle().await;
    let sent = api.sent();
    let Some(Change::AddProduct { operation, input }) = sent.first() else { panic!("{sent:?}") };
    assert_eq!(operation.href.as_str(), "/customers/15615616/subscriptions/46701234567/recurring-products");
    assert_eq!((input.quantity, input.unit_price), (dec("2"), dec("49.50")));
    assert_eq!((input.periodicity, input.end_date), (Periodicity::Quarterly, None));
    let saved = reports.saved.lock().unwrap().clone();
    assert_eq!(saved.len(), 1);
    assert_eq!(saved[0].action, ChangeAction::ProductAdded);
    assert_eq!(saved[0].recurring_product_no.as_deref(), Some("1099"), "the number the server gave it");
    assert_eq!(saved[0].subscription_no.as_deref(), Some("46701234567"));
    assert_eq!(saved[0].description.as_deref(), Some("Extra surf"));
    assert_eq!(count(&host, "form"), 0, "the form closes once the change is saved");
}

fn validation_problem() -> ApiError {
    ApiError::Problem(Problem {
        problem_type: Some("billing/customer/problems/validation".into()),
        title: "Validation failed".into(),
        status: Some(400),
        detail: Some("2 fields are invalid".into()),
        instance: Some("sbx-000777".into()),
        problems: vec![
            FieldProblem::new("UnitPrice", "exceeds the price list"),
            FieldProblem::new("contract", "the customer's contract is locked"),
        ],
    })
}

#[wasm_bindgen_test]
async fn server_problems_land_on_their_fields_and_nothing_typed_is_lost() {
    let (api, reports) = (FakeApi::default(), Reports::default());
    api.answer(Err(validation_problem()));
    let (host, _handle) = mount_crm(overview(), &api, &reports);
    click_labelled(&host, "Edit Mobil 20 GB");
    settle().await;
    assert_eq!(value_of(&host, "unitPrice"), "199.00", "the form starts with the product as it is");
    fill_field(&host, "unitPrice", "1999");
    fill_field(&host, "description", "Mobil 20 GB Plus");
    submit(&host);
    settle().await;
    let Some(Change::UpdateProduct { operation, input }) = api.sent().first().cloned() else { panic!() };
    assert_eq!((operation.method.as_str(), operation.href.as_str()), ("PUT", "/products/2"));
    assert_eq!(input.unit_price, dec("1999"));
    assert_eq!(texts(&host, ".bw-field-error"), ["Exceeds the price list."]);
    assert_eq!(attribute(&host, "form [name=unitPrice]", "aria-invalid").as_deref(), Some("true"));
    assert_eq!(texts(&host, ".bw-form .bw-error-title"), ["Validation failed"]);
    assert_eq!(texts(&host, ".bw-form .bw-instance"), ["sbx-000777"]);
    assert_eq!(texts(&host, ".bw-form-summary .bw-error-fields li"), ["contract: the customer's contract is locked"]);
    assert_eq!(
        (value_of(&host, "unitPrice"), value_of(&host, "description")),
        ("1999".into(), "Mobil 20 GB Plus".into())
    );
    assert!(reports.saved.lock().unwrap().is_empty());
}

#[wasm_bindgen_test]
async fn a_change_in_flight_cannot_be_sent_twice() {
    let (api, reports) = (FakeApi::default(), Reports::default());
    let answer = api.hold();
    let (host, _handle) = mount_crm(overview(), &api, &reports);
    click_labelled(&host, "Edit Pappersfaktura");
    settle().await;
    fill_field(&host, "unitPrice", "39");
    submit(&host);
    settle().await;
    assert_eq!(texts(&host, "form button[type=submit]"), ["Saving…"]);
    assert_eq!(attribute(&host, "form button[type=submit]", "aria-disabled").as_deref(), Some("true"));
    submit(&host);
    submit(&host);
    settle().await;
    assert_eq!(api.sent().len(), 1, "a second submit while the first is in flight sends nothing");
    answer.send(Ok(())).unwrap();
    settle().await;
    let saved = reports.saved.lock().unwrap().clone();
    assert_eq!(saved.len(), 1);
    assert_eq!((saved[0].action, saved[0].recurring_product_no.as_deref()), (ChangeAction::ProductUpdated, Some("1")));
    assert_eq!(count(&host, "form"), 0);
}

#[wasm_bindgen_test]
async fn ending_and_deleting_are_confirmed_before_anything_is_sent() {
    let (api, reports) = (FakeApi::default(), Reports::default());
    let (host, _handle) = mount_crm(overview(), &api, &reports);

    click_labelled(&host, "End Mobil 20 GB");
    settle().await;
    assert_eq!(texts(&host, "form h4"), ["End “Mobil 20 GB”"]);
    assert_eq!(value_of(&host, "endDate"), "2026-11-30", "ending offers the end of the current month");
    click(&host, "form .bw-secondary");
    settle().await;
    assert_eq!(count(&host, "form"), 0);
    let active = web_sys::window().unwrap().document().unwrap().active_element().unwrap();
    assert_eq!(active.get_attribute("aria-label").as_deref(), Some("End Mobil 20 GB"), "Cancel returns focus");
    assert!(api.sent().is_empty(), "cancelled: nothing sent");

    click_labelled(&host, "End Mobil 20 GB");
    settle().await;
    fill_field(&host, "endDate", "2026-12-31");
    submit(&host);
    settle().await;
    let Some(Change::UpdateProduct { input, .. }) = api.sent().last().cloned() else { panic!() };
    assert_eq!(input.end_date.map(|d| d.to_string()).as_deref(), Some("2026-12-31"));
    assert_eq!(input.unit_price, dec("199.00"), "the rest of the product is sent unchanged");
    assert_eq!(reports.saved.lock().unwrap().last().map(|n| n.action), Some(ChangeAction::ProductEnded));

    click_labelled(&host, "Delete Pappersfaktura");
    settle().await;
    assert!(texts(&host, ".bw-confirm-text")[0].starts_with("Delete “Pappersfaktura”?"));
    let active = web_sys::window().unwrap().document().unwrap().active_element().unwrap();
    assert_eq!(active.text_content().as_deref(), Some("Cancel"), "focus starts on the harmless choice");
    assert_eq!(api.sent().len(), 1, "asking is not deleting");
    click(&host, ".bw-confirm .bw-danger");
    settle().await;
    let Some(Change::DeleteProduct { operation }) = api.sent().last().cloned() else { panic!() };
    assert_eq!((operation.method.as_str(), operation.href.as_str()), ("DELETE", "/products/1"));
    assert_eq!(reports.saved.lock().unwrap().last().map(|n| n.action), Some(ChangeAction::ProductDeleted));
}

#[wasm_bindgen_test]
async fn an_expired_session_is_reported_and_the_form_keeps_its_input() {
    let (api, reports) = (FakeApi::default(), Reports::default());
    api.answer(Err(ApiError::Status { status: 401, status_text: "Unauthorized".into(), request_id: None }));
    let (host, _handle) = mount_crm(overview(), &api, &reports);
    click(&host, ".bw-overview-bar button:not(.bw-ended-toggle)");
    settle().await;
    fill_field(&host, "subscriptionNo", "46709999999");
    fill_field(&host, "description", "Mobil – Nils");
    submit(&host);
    settle().await;
    let Some(Change::AddSubscription { operation, input }) = api.sent().first().cloned() else { panic!() };
    assert_eq!(operation, OperationRel::AddSubscription.at("/customers/15615616/x"));
    assert_eq!(input.subscription_no, "46709999999");
    assert_eq!(reports.unauthorized.lock().unwrap().len(), 1, "the caller hears of the 401");
    assert_eq!(texts(&host, ".bw-form .bw-error-title"), ["Your session has expired"]);
    assert_eq!(value_of(&host, "description"), "Mobil – Nils");
}

#[wasm_bindgen_test]
fn a_section_that_cannot_load_says_so_while_the_rest_shows_and_unreadable_products_are_counted() {
    let mut overview = (*overview()).clone();
    overview.unreadable_products = 1;
    let mut refused = overview.subscriptions[0].clone();
    refused.subscription = subscription("46703456789", Some("Mobil – Sofia"), &[]);
    refused.products = vec![];
    refused.failed = Some(ApiError::LinkRefused(billing_contract::LinkRefused::OtherOrigin(
        "http://attacker.invalid/billing/x".into(),
    )));
    overview.subscriptions.push(refused);
    let overview = Arc::new(overview);
    let (host, _handle) =
        mount(move || view! { <RecurringProductsTable overview=overview.clone() locale="en-GB" today=today() /> });
    assert_eq!(count(&host, "section.bw-subscription"), 3, "every section shows");
    assert_eq!(
        texts(&host, "section.bw-subscription:nth-of-type(3) .bw-error-title"),
        ["The billing service pointed to an address outside the billing service, so it was not followed."]
    );
    assert_eq!(
        count(&host, "section.bw-subscription:nth-of-type(2) tr.bw-product"),
        3,
        "the other subscription's products show"
    );
    assert!(
        !host.text_content().unwrap().contains("attacker.invalid"),
        "the refused link is not shown outside CRM details"
    );
    assert_eq!(
        texts(&host, ".bw-totals-incomplete"),
        ["⚠ Items that could not be read: 1. They are not shown, and the totals leave them out."]
    );
}
// ---- numbers as people type them, VAT rates per ledger, least privilege -------------------

/// Opens the form that adds a product to the customer and fills everything but the price.
async fn open_new_product(host: &HtmlElement) {
    click(host, ".bw-section-actions button");
    settle().await;
    fill_field(host, "productNo", "SUPPORT");
    fill_field(host, "description", "Support");
}

fn sent_product(api: &FakeApi) -> Option<billing_contract::RecurringProductInput> {
    match api.sent().last() {
        Some(Change::AddProduct { input, .. } | Change::UpdateProduct { input, .. }) => Some(input.clone()),
        _ => None,
    }
}

#[wasm_bindgen_test]
async fn in_english_1_000_is_refused_as_unclear_and_1000_1_000_and_1_000_50_are_read() {
    let (api, reports) = (FakeApi::default(), Reports::default());
    let (host, _handle) = mount_crm(overview(), &api, &reports);
    open_new_product(&host).await;
    fill_field(&host, "unitPrice", "1,000");
    submit(&host);
    settle().await;
    assert!(api.sent().is_empty(), "a price that may be 1000 or 1.000 is not sent");
    assert_eq!(
        texts(&host, ".bw-field-error"),
        ["Unclear: write 1000 for a whole number, or 1.000 with a decimal separator."]
    );
    assert_eq!(focused_name().as_deref(), Some("unitPrice"));
    assert_eq!(value_of(&host, "unitPrice"), "1,000", "what was typed is kept");
    for (typed, read) in [("1000", "1000"), ("1 000", "1000"), ("1,000.50", "1000.50")] {
        if count(&host, "form") == 0 {
            open_new_product(&host).await;
        }
        fill_field(&host, "unitPrice", typed);
        submit(&host);
        settle().await;
        assert_eq!(sent_product(&api).map(|i| i.unit_price), Some(dec(read)), "{typed:?}");
        assert_eq!(count(&host, "form"), 0, "{typed:?} saved");
    }
}

#[wasm_bindgen_test]
async fn in_danish_1_250_is_refused_and_1_250_00_is_read() {
    let (api, reports) = (FakeApi::default(), Reports::default());
    let (host, _handle) = mount_ledger(overview(), &api, &reports, "da", VatRates::of_country("DK"));
    open_new_product(&host).await;
    assert_eq!(value_of(&host, "vatRate"), "25", "a new product starts at the general rate");
    fill_field(&host, "unitPrice", "1.250");
    submit(&host);
    settle().await;
    assert!(api.sent().is_empty());
    assert_eq!(texts(&host, ".bw-field-error"), ["Uklart: skriv 1250 for et heltal, eller 1,250 med decimaltegn."]);
    fill_field(&host, "unitPrice", "1.250,00");
    submit(&host);
    settle().await;
    assert_eq!(sent_product(&api).map(|i| i.unit_price), Some(dec("1250.00")));
}

#[wasm_bindgen_test]
async fn the_contracts_rules_are_said_in_swedish() {
    let (api, reports) = (FakeApi::default(), Reports::default());
    let (host, _handle) = mount_ledger(overview(), &api, &reports, "sv-SE", VatRates::of_country("SE"));
    open_new_product(&host).await;
    fill_field(&host, "quantity", "0");
    fill_field(&host, "unitPrice", "tolv");
    fill_field(&host, "endDate", "2026-11-01");
    submit(&host);
    settle().await;
    assert!(api.sent().is_empty());
    assert_eq!(
        texts(&host, ".bw-field-error"),
        ["Måste vara större än 0.", "Måste vara ett tal.", "Får inte vara före startdatumet."]
    );
}

#[wasm_bindgen_test]
async fn a_finnish_ledger_saves_25_5_percent_and_a_norwegian_one_15() {
    for (locale, rates, offered, chosen, saved) in [
        ("fi", VatRates::of_country("FI"), ["25,5", "13,5", "10", "0"], "25,5", "25.5"),
        ("en-GB", VatRates::of_country("NO"), ["25", "15", "12", "0"], "15", "15"),
    ] {
        let (api, reports) = (FakeApi::default(), Reports::default());
        let (host, _handle) = mount_ledger(overview(), &api, &reports, locale, rates);
        open_new_product(&host).await;
        let options: Vec<String> = {
            let nodes = host.query_selector_all("form [name=vatRate] option").unwrap();
            (0..nodes.length())
                .filter_map(|i| nodes.item(i))
                .filter_map(|n| n.unchecked_into::<web_sys::Element>().get_attribute("value"))
                .collect()
        };
        assert_eq!(options, offered, "{locale}");
        choose(&host, "vatRate", chosen);
        fill_field(&host, "unitPrice", "10");
        submit(&host);
        settle().await;
        assert_eq!(
            sent_product(&api).map(|i| i.vat_rate),
            Some(dec(saved)),
            "{locale}: {:?}",
            texts(&host, ".bw-field-error")
        );
    }
}

#[wasm_bindgen_test]
async fn without_known_rates_any_rate_may_be_typed_and_the_server_decides() {
    let (api, reports) = (FakeApi::default(), Reports::default());
    let (host, _handle) = mount_ledger(overview(), &api, &reports, "en-GB", VatRates::Unchecked);
    open_new_product(&host).await;
    assert_eq!(field(&host, "vatRate").tag_name(), "INPUT", "a number field, not a choice");
    fill_field(&host, "vatRate", "17.5");
    fill_field(&host, "unitPrice", "10");
    submit(&host);
    settle().await;
    assert_eq!(sent_product(&api).map(|i| i.vat_rate), Some(dec("17.5")));
}

/// The overview with the customer's own product at a rate no list has.
fn overview_with_unlisted_rate() -> Arc<CustomerOverview> {
    let mut overview = (*overview()).clone();
    overview.products[0].vat_rate = dec("24");
    Arc::new(overview)
}

#[wasm_bindgen_test]
async fn a_product_whose_rate_is_not_listed_can_be_ended_and_edited_at_its_own_rate() {
    let (api, reports) = (FakeApi::default(), Reports::default());
    let (host, _handle) = mount_crm(overview_with_unlisted_rate(), &api, &reports);
    click_labelled(&host, "End Pappersfaktura");
    settle().await;
    fill_field(&host, "endDate", "2026-12-31");
    submit(&host);
    settle().await;
    assert_eq!(texts(&host, ".bw-field-error"), Vec::<String>::new());
    let ended = sent_product(&api).expect("the end is sent");
    assert_eq!((ended.vat_rate, ended.end_date.map(|d| d.to_string())), (dec("24"), Some("2026-12-31".into())));

    click_labelled(&host, "Edit Pappersfaktura");
    settle().await;
    assert_eq!(value_of(&host, "vatRate"), "24", "the product's own rate is offered");
    fill_field(&host, "unitPrice", "39");
    submit(&host);
    settle().await;
    let edited = sent_product(&api).expect("the edit is sent");
    assert_eq!((edited.vat_rate, edited.unit_price), (dec("24"), dec("39")));
}

#[wasm_bindgen_test]
async fn the_servers_problems_on_fields_the_end_form_does_not_show_are_shown_with_it() {
    let (api, reports) = (FakeApi::default(), Reports::default());
    api.answer(Err(ApiError::Problem(Problem {
        title: "Validation failed".into(),
        status: Some(400),
        problems: vec![FieldProblem::new("vatRate", "is not used by this ledger")],
        ..Problem::default()
    })));
    let (host, _handle) = mount_crm(overview_with_unlisted_rate(), &api, &reports);
    click_labelled(&host, "End Pappersfaktura");
    settle().await;
    submit(&host);
    settle().await;
    assert_eq!(api.sent().len(), 1);
    assert_eq!(texts(&host, ".bw-form .bw-error-title"), ["Validation failed"]);
    assert_eq!(texts(&host, ".bw-form-summary .bw-error-fields li"), ["vatRate: is not used by this ledger"]);
    assert_eq!(count(&host, "form"), 1, "the form stays open with the end date typed");
}

#[wasm_bindgen_test]
async fn the_end_form_checks_only_the_end_date() {
    let (api, reports) = (FakeApi::default(), Reports::default());
    let (host, _handle) = mount_crm(overview_with_unlisted_rate(), &api, &reports);
    click_labelled(&host, "End Pappersfaktura");
    settle().await;
    fill_field(&host, "endDate", "2025-05-31");
    submit(&host);
    settle().await;
    assert!(api.sent().is_empty());
    assert_eq!(texts(&host, ".bw-field-error"), ["Must not be before the start date."]);
}

#[wasm_bindgen_test]
fn without_a_mode_nothing_can_be_changed() {
    let (api, reports) = (FakeApi::default(), Reports::default());
    let editing = editing(&api, &reports);
    let (host, _handle) = mount(move || {
        view! { <RecurringProductsTable overview=overview() locale="en-GB" today=today() editing=Some(editing) /> }
    });
    assert_eq!(button_labels(&host, "button"), ["Show ended products (1)"], "read-only unless CRM is asked for");

    let options = |mode: Option<&str>| {
        let object = js_sys::Object::new();
        for (key, value) in [("ownerNo", Some("100200")), ("customerNo", Some("15615616")), ("mode", mode)] {
            if let Some(value) = value {
                js_sys::Reflect::set(&object, &key.into(), &value.into()).unwrap();
            }
        }
        ElementOptions::from_js(&object.into())
    };
    assert_eq!(options(None).mode, Mode::SelfService, "an element without mode is self-service");
    assert_eq!(options(Some("")).mode, Mode::SelfService);
    assert_eq!(options(Some("CRM ")).mode, Mode::Crm);
}

// ---- what the view reports to whoever mounted it ----------------------------------------------

#[wasm_bindgen_test]
async fn a_saved_subscription_is_reported_changed_and_each_load_reported_loaded() {
    let path = billing_contract::paths::customer("100200", "15615616");
    let adds = format!("{path}/subscriptions");
    let customer = format!(
        r#"{{"@id": "{path}", "customerNo": "15615616",
            "operations": [{{"rel": "add-subscription", "method": "POST", "href": "{adds}"}}]}}"#
    );
    let fake = FakeFetch::serve(&[(&path, &customer), (&adds, "{}")]);
    let heard = Heard::default();
    let provided = heard.clone();
    let (host, _handle) = mount(move || {
        provided.provide();
        view! {
            <RecurringProductsView client=ApiClient::new("") owner_no="100200" customer_no="15615616".to_string()
                locale="en-GB" mode=Mode::Crm vat_rates=VatRates::of_country("SE") />
        }
    });
    let loaded = Loaded::RecurringProducts { customer_no: "15615616".into(), products: 0, subscriptions: 0 };
    wait_until("the products are loaded", || heard.loaded.lock().unwrap().len() == 1).await;
    assert_eq!(heard.loaded.lock().unwrap()[0], loaded, "loaded with the customer and what it holds");
    assert!(heard.changed.lock().unwrap().is_empty(), "nothing changed yet");

    click(&host, ".bw-overview-bar button:not(.bw-ended-toggle)");
    settle().await;
    fill_field(&host, "subscriptionNo", "46709999999");
    fill_field(&host, "description", "Mobil – Nils");
    submit(&host);
    wait_until("the change is reported", || !heard.changed.lock().unwrap().is_empty()).await;
    let changed = heard.changed.lock().unwrap().clone();
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert_eq!(changed[0].action, ChangeAction::SubscriptionAdded);
    assert_eq!((changed[0].owner_no.as_str(), changed[0].customer_no.as_str()), ("100200", "15615616"));
    assert_eq!(changed[0].subscription_no.as_deref(), Some("46709999999"));
    assert!(fake.asked().iter().any(|url| url.ends_with(&adds)), "the subscription was sent");
    wait_until("the products are read again", || heard.loaded.lock().unwrap().len() == 2).await;
    assert_eq!(heard.loaded.lock().unwrap()[1], loaded, "the view shows the server's state again");
    assert!(heard.failed.lock().unwrap().is_empty() && heard.auth_required.lock().unwrap().is_empty());
}

// ---- next invoice estimate ----------------------------------------------------------------

#[wasm_bindgen_test]
async fn the_next_invoice_estimate_charges_what_is_due_next_month_and_says_it_is_an_estimate() {
    let mut with_more = (*overview()).clone();
    // A yearly fee started in March is not due in December; a product ending mid-December is,
    // and is marked.
    let mut yearly = product("5", "Årsavgift", "120.00", "2025-03-01", None, &[]);
    yearly.periodicity = Periodicity::Yearly;
    with_more.products.push(yearly);
    with_more.subscriptions[0].products.push(product(
        "6",
        "Extra surf",
        "40.00",
        "2026-01-01",
        Some("2026-12-15"),
        &[],
    ));
    let (host, _mount) = mount_with_locale("sv-SE", move || {
        view! { <NextInvoicePreview overview=Arc::new(with_more) today=today() mode=Mode::Crm /> }
    });
    assert_eq!(attribute(&host, ".bw-preview > button", "aria-expanded").as_deref(), Some("false"));
    assert_eq!(count(&host, ".bw-preview-table"), 0, "closed until asked for");
    click(&host, ".bw-preview > button");
    settle().await;
    assert_eq!(attribute(&host, ".bw-preview > button", "aria-expanded").as_deref(), Some("true"));
    let note = texts(&host, ".bw-preview .bw-note").join(" ");
    assert!(
        note.starts_with("En uppskattning") && note.contains("Förbrukning"),
        "labelled an estimate without usage: {note}"
    );
    let charged: Vec<String> = texts(&host, ".bw-preview-charge td:first-child");
    assert_eq!(charged, ["Pappersfaktura", "Mobil 20 GB", "Extra surf slutar under perioden"]);
    // 29.00 + 199.00 + 40.00 = 268.00 excl. VAT, 67.00 VAT, 335.00 incl.
    assert_eq!(texts(&host, ".bw-preview-table tfoot td"), ["268,00", "67,00", "335,00"]);
}
