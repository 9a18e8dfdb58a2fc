//! A bounded fuzz run of the contract's decoders and the model built from what they decode:
//! random JSON values and mutations of realistic documents go to every decoder, and whatever
//! decodes goes through grouping, totals, VAT per rate, reconciliation, product status and cost,
//! filtering and sorting, CSV and the number formats. The assertion is that nothing panics (the
//! release wasm aborts on a panic, taking every element on the page with it).
//!
//! - `FUZZ_CASES`: how many documents (default 2,000, a few seconds in `cargo test`);
//! - `FUZZ_SECONDS`: stop earlier once this many seconds have passed (default: no limit);
//! - `FUZZ_SEED`: the generator's seed (default fixed, so a failure repeats).
//!
//! A panic prints the case's seed and document before the test fails. The run ends with one
//! line: cases run, seconds taken, decoders and model functions covered.
#![cfg(not(target_arch = "wasm32"))]

use billing_contract::links::resolve;
use billing_contract::{
    Collection, Customer, Date, Invoice, InvoiceLine, InvoiceSubscription, Problem, RecurringProduct, Subscription,
};
use billing_contract::{Identified, Page, Unreadable};
use billing_widget::api::{ApiError, Saved};
use billing_widget::format::Formatter;
use billing_widget::model::csv::{lines_csv, CsvLabels};
use billing_widget::model::invoice::{is_credit, is_proration, vat_by_rate};
use billing_widget::model::lines::show;
use billing_widget::model::{
    ChargeGroup, Cost, CustomerOverview, GroupKind, InvoiceDetails, LineQuery, ProductStatus, SortColumn,
    SortDirection, StdLowercase, SubscriptionProducts, Totals,
};
use serde_json::{Map, Value};
use std::panic::{self, AssertUnwindSafe};
use std::sync::Arc;
use std::time::{Duration, Instant};

// ---- realistic documents (PayEx's documented shapes and this project's contract) ---------------

const CUSTOMER: &str = r#"{
  "@id": "/billing/customer/v1/xxx/customers/15615616",
  "customerNo": "15615616",
  "recurringProducts": "/billing/customer/v1/xxx/customers/15615616/recurring-products",
  "subscriptions": "/billing/customer/v1/xxx/customers/15615616/subscriptions",
  "operations": [
    { "rel": "add-subscription", "method": "POST", "href": "/billing/customer/v1/xxx/customers/15615616/subscriptions" },
    { "rel": "add-recurring-product", "method": "POST", "href": "/billing/customer/v1/xxx/customers/15615616/recurring-products" }
  ]
}"#;

const SUBSCRIPTION: &str = r#"{
  "@id": "/billing/customer/v1/xxx/customers/15615616/subscriptions/46701234567",
  "subscriptionNo": "46701234567", "description": "Mobil – Anna",
  "startDate": "2026-01-01", "endDate": null,
  "recurringProducts": "/billing/customer/v1/xxx/customers/15615616/subscriptions/46701234567/recurring-products",
  "operations": [{ "rel": "update-subscription", "method": "PUT", "href": "/x" }]
}"#;

const RECURRING_PRODUCT: &str = r#"{
  "@id": "/billing/customer/v1/xxx/customers/15615616/subscriptions/46701234567/recurring-products/1001",
  "recurringProductNo": "1001", "productNo": "MOB-5GB", "description": "Mobile 5 GB",
  "quantity": 1, "unitPrice": 199.00, "vatRate": 25.00, "periodicity": "monthly",
  "startDate": "2026-01-01", "endDate": null,
  "operations": [
    { "rel": "update-recurring-product", "method": "PUT", "href": "/x" },
    { "rel": "delete-recurring-product", "method": "DELETE", "href": "/x" }
  ]
}"#;

const INVOICE: &str = r#"{
  "@id": "/billing/invoice/v1/xxx/invoices/603010", "invoiceNo": "603010",
  "invoiceDate": "2026-03-01", "dueDate": "2026-03-31", "customerNo": "15615616",
  "invoiceAmount": 499.00, "currency": "SEK",
  "recurringProducts": "/billing/invoice/v1/xxx/invoices/603010/recurring-products",
  "subscriptions": "/billing/invoice/v1/xxx/invoices/603010/subscriptions"
}"#;

const INVOICE_SUBSCRIPTION: &str = r#"{
  "@id": "/billing/invoice/v1/xxx/invoices/603010/subscriptions/46701234567",
  "subscriptionNo": "46701234567", "description": "Mobil – Anna",
  "recurringProducts": "/billing/invoice/v1/xxx/invoices/603010/subscriptions/46701234567/recurring-products"
}"#;

const INVOICE_LINE: &str = r#"{
  "@id": "/billing/invoice/v1/xxx/invoices/603010/subscriptions/46701234567/recurring-products/1001",
  "recurringProductNo": "1001", "productNo": "MOB-5GB", "description": "Mobile 5 GB",
  "periodStart": "2026-02-01", "periodEnd": "2026-02-28",
  "quantity": 1, "unitPrice": 199.00, "amount": 199.00,
  "vatRate": 25.00, "vatAmount": 49.75, "totalAmount": 248.75
}"#;

const PRORATION_LINE: &str = r#"{
  "recurringProductNo": "1001", "productNo": "MOB-5GB", "description": "Kreditering 15–30 sep",
  "periodStart": "2026-09-15", "periodEnd": "2026-09-30",
  "quantity": -0.5333, "unitPrice": 199.00, "amount": -106.13,
  "vatRate": 25, "vatAmount": -26.53, "totalAmount": -132.66
}"#;

const LINE_PAGE: &str = r#"{
  "items": [
    { "recurringProductNo": "1", "productNo": "SMS", "description": "SMS", "quantity": 100,
      "unitPrice": 0.0125, "amount": 1.25, "vatRate": 25, "vatAmount": 0.31, "totalAmount": 1.56 },
    { "recurringProductNo": "2", "productNo": "=1+1", "description": "@SUM(1)", "quantity": 1,
      "unitPrice": -50, "amount": -50, "vatRate": 25, "vatAmount": -12.5, "totalAmount": -62.5 }
  ],
  "navigation": { "@id": "/l?page=1", "next": "/l?page=2" }
}"#;

const INVOICE_PAGE: &str = r#"{
  "items": [
    { "@id": "/billing/invoice/v1/xxx/invoices/603010", "invoiceNo": "603010", "invoiceDate": "2026-03-01" },
    { "@id": "/billing/invoice/v1/xxx/invoices/603009", "invoiceNo": "603009", "invoiceDate": "2026-02-01",
      "invoiceAmount": 1884.92, "currency": "SEK", "dueDate": "2026-02-28" }
  ],
  "navigation": { "next": null }
}"#;

const PRODUCT_PAGE: &str = r#"{
  "items": [
    { "@id": "/p/1", "recurringProductNo": "1", "productNo": "TV", "description": "TV-paket", "quantity": 2,
      "unitPrice": 948.00, "vatRate": 25, "periodicity": "yearly", "startDate": "2025-01-01" },
    { "@id": "/p/2", "recurringProductNo": "2", "productNo": "E", "description": "E-tidning", "quantity": 1,
      "unitPrice": 99, "vatRate": 6, "periodicity": "quarterly", "startDate": "2025-01-01", "endDate": "2026-04-20" },
    { "@id": "/p/3", "recurringProductNo": "3", "productNo": "X", "description": "Okänd", "quantity": 0.5,
      "unitPrice": 0.0125, "vatRate": 25.5, "periodicity": "fortnightly", "startDate": "2027-01-01" }
  ]
}"#;

const PROBLEM: &str = r#"{
  "type": "billing/customer/problems/validation", "title": "Validation failed",
  "status": 400, "detail": "2 fields are invalid", "instance": "9f1c-42",
  "problems": [{ "unitPrice": "must be a number" }, { "vatRate": "must be one of 0, 6, 12, 25" }]
}"#;

const PROBLEM_PASCAL: &str = r#"{
  "Type": "billing/invoice/problems/invoice-not-found", "Title": "Invoice not found",
  "Status": 404, "Instance": "abc-123", "Detail": "Invoice 1 does not exist",
  "Problems": [{ "invoiceNo": "unknown" }]
}"#;

const DOCUMENTS: [&str; 14] = [
    CUSTOMER,
    SUBSCRIPTION,
    RECURRING_PRODUCT,
    PRODUCT_PAGE,
    PRODUCT_PAGE,
    INVOICE,
    INVOICE_SUBSCRIPTION,
    INVOICE_LINE,
    PRORATION_LINE,
    LINE_PAGE,
    INVOICE_PAGE,
    LINE_PAGE,
    PROBLEM,
    PROBLEM_PASCAL,
];

/// Field names of the contract, so random objects reach past "missing field" into the decoders.
const KEYS: [&str; 40] = [
    "@id",
    "customerNo",
    "subscriptionNo",
    "recurringProductNo",
    "productNo",
    "description",
    "quantity",
    "unitPrice",
    "amount",
    "vatRate",
    "vatAmount",
    "totalAmount",
    "periodicity",
    "startDate",
    "endDate",
    "periodStart",
    "periodEnd",
    "invoiceNo",
    "invoiceDate",
    "dueDate",
    "invoiceAmount",
    "currency",
    "recurringProducts",
    "subscriptions",
    "operations",
    "rel",
    "method",
    "href",
    "items",
    "navigation",
    "next",
    "type",
    "title",
    "status",
    "detail",
    "instance",
    "problems",
    "Type",
    "Title",
    "Problems",
];

// ---- the generator --------------------------------------------------------------------------

/// SplitMix64: small, seeded, and the same sequence on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

/// A number as JSON text: small, large, near the contract's bound, past it, with many decimals.
fn number_text(rng: &mut Rng) -> String {
    match rng.below(12) {
        0 => "0".into(),
        1 => format!("-{}", rng.below(1000)),
        2 => format!("{}.{:02}", rng.below(100_000), rng.below(100)),
        3 => "999999999999999.99".into(),
        4 => "-999999999999999.99".into(),
        5 => "1000000000000000".into(),
        6 => format!("1e{}", rng.below(400)),
        7 => "0.0000000000000000000000000001".into(),
        8 => "79228162514264337593543950335".into(),
        9 => format!("{}.{}", rng.next() % 1_000_000_000_000_000, rng.next()),
        10 => "-0.0".into(),
        _ => format!("{}", rng.next() as i64),
    }
}

/// A number the contract reads (under 10^15 in magnitude), with up to 28 decimals.
fn in_range_number(rng: &mut Rng) -> String {
    let whole = rng.next() % [10, 1_000, 1_000_000, 1_000_000_000_000_000][rng.below(4)];
    let sign = if rng.chance(30) { "-" } else { "" };
    match rng.below(4) {
        0 => format!("{sign}{whole}"),
        1 => format!("{sign}{whole}.{:02}", rng.below(100)),
        2 => format!("{sign}{whole}.{:0width$}", rng.next() % 1_000_000_000_000, width = 12),
        _ => format!("{sign}0.{:028}", rng.next()),
    }
}

/// A valid date, from year 1 to 9999, and often one of the last days of a month.
fn random_date(rng: &mut Rng) -> String {
    let year = [1, 1970, 2024, 2026, 2100, 9999][rng.below(6)];
    format!("{year:04}-{:02}-{:02}", 1 + rng.below(12), [1, 15, 28, 29, 30, 31][rng.below(6)])
}

fn random_string(rng: &mut Rng) -> String {
    const PIECES: [&str; 24] = [
        "",
        "2026-02-28",
        "2026-02-30",
        "0000-01-01",
        "9999-12-31",
        "monthly",
        "yearly",
        "quarterly",
        "weekly",
        "/billing/invoice/v1/xxx/invoices/1",
        "//evil.example/x",
        "https://evil.example/",
        "=HYPERLINK(\"x\")",
        "+cmd",
        "-2+3",
        "@SUM(1)",
        "\t",
        "\r\n",
        "\"",
        ";",
        "ÅÄÖ æøå",
        "\u{1f}",
        "\u{0}",
        "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    ];
    let mut text = String::new();
    for _ in 0..rng.below(4) {
        text.push_str(rng.pick(&PIECES));
    }
    if rng.chance(20) {
        text.push_str(&number_text(rng));
    }
    text
}

fn random_value(rng: &mut Rng, depth: u32) -> Value {
    let leaf = depth == 0 || rng.chance(40);
    match if leaf { rng.below(5) } else { 5 + rng.below(2) } {
        0 => Value::Null,
        1 => Value::Bool(rng.chance(50)),
        2 | 3 => serde_json::from_str(&number_text(rng)).unwrap_or(Value::Null),
        4 => Value::String(random_string(rng)),
        5 => Value::Array((0..rng.below(4)).map(|_| random_value(rng, depth - 1)).collect()),
        _ => {
            let mut object = Map::new();
            for _ in 0..rng.below(8) {
                let key = if rng.chance(85) { rng.pick(&KEYS).to_owned() } else { random_string(rng) };
                object.insert(key, random_value(rng, depth - 1));
            }
            Value::Object(object)
        }
    }
}

/// Changes one place in `value`: replaces, removes, adds, or wraps.
fn mutate(rng: &mut Rng, value: &mut Value) {
    match value {
        Value::Object(object) if !object.is_empty() && rng.chance(95) => {
            let key = object.keys().nth(rng.below(object.len())).cloned().unwrap_or_default();
            match [0, 1, 1, 1, 1, 2, 3, 3][rng.below(8)] {
                0 => {
                    object.remove(&key);
                }
                1 => {
                    // Mostly a value of the same kind, so the document still decodes and the
                    // odd value reaches the model.
                    let replacement = match object.get(&key) {
                        Some(Value::Number(_)) if rng.chance(80) => {
                            serde_json::from_str(&in_range_number(rng)).unwrap_or(Value::Null)
                        }
                        Some(Value::String(text)) if rng.chance(80) && text.parse::<Date>().is_ok() => {
                            Value::String(random_date(rng))
                        }
                        Some(Value::String(_)) if rng.chance(80) => Value::String(random_string(rng)),
                        _ => random_value(rng, 2),
                    };
                    object.insert(key, replacement);
                }
                2 => {
                    object.insert(rng.pick(&KEYS).to_owned(), random_value(rng, 2));
                }
                _ => {
                    if let Some(inner) = object.get_mut(&key) {
                        mutate(rng, inner);
                    }
                }
            }
        }
        Value::Array(items) if !items.is_empty() && rng.chance(95) => {
            let index = rng.below(items.len());
            match rng.below(3) {
                0 => {
                    items.remove(index);
                }
                1 => {
                    let copy = items[index].clone();
                    let times = 1 + rng.below(30);
                    items.extend(std::iter::repeat_n(copy, times));
                }
                _ => mutate(rng, &mut items[index]),
            }
        }
        _ => *value = random_value(rng, 2),
    }
}

/// Replaces every number in `value` with one the contract reads, often near its bound, so that
/// products and sums of several large values are tried.
fn enlarge_numbers(rng: &mut Rng, value: &mut Value) {
    match value {
        Value::Number(_) => {
            let text = if rng.chance(60) {
                format!(
                    "{}{}.{:02}",
                    if rng.chance(20) { "-" } else { "" },
                    999_999_999_999_999 - rng.below(1000),
                    rng.below(100)
                )
            } else {
                in_range_number(rng)
            };
            *value = serde_json::from_str(&text).unwrap_or(Value::Null);
        }
        Value::Array(items) => items.iter_mut().for_each(|item| enlarge_numbers(rng, item)),
        Value::Object(object) => object.values_mut().for_each(|item| enlarge_numbers(rng, item)),
        _ => {}
    }
}

/// Damages the text itself: cuts it, drops or repeats a piece, or inserts a character.
fn mutate_text(rng: &mut Rng, text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let at = rng.below(chars.len() + 1);
    let (head, tail) = chars.split_at(at);
    let insert: &[char] = match rng.below(4) {
        0 => &[],
        1 => &['"'],
        2 => &['9', '9', '9', '9', '9', '9', '9', '9', '9', '9', '9', '9', '9', '9', '9', '9'],
        _ => &['}', ',', '{'],
    };
    let skip = if rng.chance(50) { rng.below(tail.len() + 1) } else { 0 };
    head.iter().chain(insert).chain(tail.iter().skip(skip)).collect()
}

/// One document for a case: random, a mutated realistic one, or a realistic one as is.
fn document(rng: &mut Rng) -> String {
    match rng.below(10) {
        0..=2 => random_value(rng, 4).to_string(),
        3 => {
            let doc = rng_doc(rng);
            mutate_text(rng, doc)
        }
        4 => {
            let mut value: Value = serde_json::from_str(rng_doc(rng)).unwrap_or(Value::Null);
            if rng.chance(70) {
                enlarge_numbers(rng, &mut value);
            }
            value.to_string()
        }
        _ => {
            let mut value: Value = serde_json::from_str(rng_doc(rng)).unwrap_or(Value::Null);
            for _ in 0..1 + rng.below(3) {
                mutate(rng, &mut value);
            }
            value.to_string()
        }
    }
}

fn rng_doc(rng: &mut Rng) -> &'static str {
    rng.pick(&DOCUMENTS)
}

// ---- what is fed --------------------------------------------------------------------------

/// Every decoder the widget uses on an answer from the network.
const DECODERS: [&str; 19] = [
    "Customer",
    "Subscription",
    "RecurringProduct",
    "Invoice",
    "InvoiceSubscription",
    "InvoiceLine",
    "Collection<Customer>",
    "Collection<Subscription>",
    "Collection<RecurringProduct>",
    "Collection<Invoice>",
    "Collection<InvoiceSubscription>",
    "Collection<InvoiceLine>",
    "Page::<T>::from_json (the client's tolerant page reader, for each of the six)",
    "links::resolve (every link-valued text)",
    "Saved::from_answer",
    "Identified::identify_in / identify_as",
    "AnyText (tolerant::text)",
    "optional_date",
    "Problem + ApiError::from_error_body",
];

/// The model and format functions each case's decoded values go through.
const MODEL_FUNCTIONS: [&str; 26] = [
    "ChargeGroup::new",
    "ChargeGroup::line_matches",
    "InvoiceDetails::new",
    "InvoiceDetails::totals",
    "InvoiceDetails::vat_by_rate",
    "InvoiceDetails::reconciliation",
    "Reconciliation::difference",
    "Totals::of",
    "vat_by_rate",
    "is_proration",
    "is_credit",
    "lines::show (9 sorts × 2 directions, filters)",
    "lines_csv (both separators)",
    "ProductStatus::of",
    "Cost::of",
    "Cost::checked",
    "Cost::of_active",
    "CustomerOverview::active_cost",
    "CustomerOverview::ended_count",
    "CustomerOverview::unreadable",
    "ChargeGroup::with_unreadable",
    "Formatter::amount",
    "Formatter::price",
    "Formatter::quantity",
    "Formatter::rate",
    "Formatter::money",
];

/// Everything one document decoded into.
#[derive(Default)]
struct Decoded {
    customers: Vec<Customer>,
    subscriptions: Vec<Subscription>,
    products: Vec<RecurringProduct>,
    invoices: Vec<Invoice>,
    invoice_subscriptions: Vec<InvoiceSubscription>,
    lines: Vec<InvoiceLine>,
}

fn decode(text: &str) -> Decoded {
    fn one<T: serde::de::DeserializeOwned>(text: &str, into: &mut Vec<T>) {
        if let Ok(value) = serde_json::from_str::<T>(text) {
            into.push(value);
        }
        if let Ok(page) = serde_json::from_str::<Collection<T>>(text) {
            into.extend(page.items);
        }
        if let Ok(page) = Page::<T>::from_json(text) {
            assert!(page.unreadable.iter().all(|u| !u.reason.is_empty()), "an unreadable item says why");
            into.extend(page.items);
        }
    }
    fn identify<T: Identified>(items: &mut [T], text: &str) {
        for item in items {
            item.identify_in(text);
            item.identify_as(text);
        }
    }
    let mut d = Decoded::default();
    one(text, &mut d.customers);
    one(text, &mut d.subscriptions);
    one(text, &mut d.products);
    one(text, &mut d.invoices);
    one(text, &mut d.invoice_subscriptions);
    one(text, &mut d.lines);
    identify(&mut d.customers, text);
    identify(&mut d.subscriptions, text);
    identify(&mut d.products, text);
    identify(&mut d.invoices, text);
    identify(&mut d.invoice_subscriptions, text);
    for link in std::iter::once(text).chain(d.invoices.iter().map(|i| i.id.as_str())) {
        if let Ok(path) = resolve("", link) {
            assert!(path.starts_with("/billing/") && !path.contains("://"), "{path:?} passed the link check");
        }
        let _ = resolve("https://crm.example", link);
    }
    let _ = Saved::from_answer(text);
    let _ = serde_json::from_str::<Problem>(text);
    for status in [400, 404, 500] {
        let _ = ApiError::from_error_body(status, "Status", "application/problem+json", text).to_string();
    }
    let _ = ApiError::from_error_body(502, "Bad Gateway", "text/html", text);
    d
}

/// How many cases decoded into each kind of value (that the model was reached, not only the decoders).
#[derive(Default)]
struct Reached {
    lines: u64,
    invoices: u64,
    products: u64,
    customers: u64,
}

impl Reached {
    fn count(&mut self, d: &Decoded) {
        self.lines += u64::from(!d.lines.is_empty());
        self.invoices += u64::from(!d.invoices.is_empty());
        self.products += u64::from(!d.products.is_empty());
        self.customers += u64::from(!d.customers.is_empty());
    }
}

fn labels() -> CsvLabels {
    CsvLabels {
        headings: ["G", "S", "P", "D", "F", "T", "Q", "U", "E", "R", "V", "I", "K"],
        customer_level: "Customer",
        credit: "Credit",
        proration: "Prorated",
    }
}

/// Runs the model and the formats over whatever decoded; the result is only that nothing panics.
fn exercise(d: Decoded, rng: &mut Rng) {
    let formatters = [Formatter::new("sv-SE"), Formatter::new("en-GB"), Formatter::new("de-DE")];
    for line in &d.lines {
        let _ = (is_proration(line), is_credit(line));
        for f in &formatters {
            let _ = (f.amount(line.amount), f.price(line.unit_price), f.quantity(line.quantity), f.rate(line.vat_rate));
            let _ = f.money(line.total_amount, "SEK");
        }
    }
    let _ = Totals::of(&d.lines);
    let _ = vat_by_rate(&d.lines);

    let fallback = || serde_json::from_str::<Invoice>(INVOICE).ok();
    let Some(invoice) = d.invoices.first().cloned().or_else(fallback) else { return };
    let mut subscriptions: Vec<(InvoiceSubscription, Vec<InvoiceLine>)> = Vec::new();
    for (i, s) in d.invoice_subscriptions.iter().enumerate() {
        let share: Vec<InvoiceLine> = d.lines.iter().skip(i % 2).step_by(2).cloned().collect();
        subscriptions.push((s.clone(), share));
    }
    let details = InvoiceDetails::new(invoice, d.lines.clone(), subscriptions, &StdLowercase);
    let _ = details.totals();
    let _ = details.vat_by_rate();
    if let Ok(r) = details.reconciliation() {
        let _ = (r.difference(), r.is_reconciled());
    }
    let filter = ["", "mob", "ROAM", "å", "\u{1f}", " x  y "][rng.below(6)].to_owned();
    let mut shown = Vec::new();
    for group in &details.groups {
        let _ = group.line_matches(0, &["a".into()]);
        for column in SortColumn::ALL {
            for direction in [SortDirection::Ascending, SortDirection::Descending] {
                let query = LineQuery { filter: filter.clone(), sort: Some((column, direction)) };
                shown.push(show(group, &query, &StdLowercase));
            }
        }
    }
    let _ = lines_csv(&shown, &labels(), ',');
    let _ = lines_csv(&shown, &labels(), '.');
    let unreadable = vec![Unreadable { position: d.lines.len(), reason: "fuzz".into() }];
    let extra = Arc::new(ChargeGroup::new(GroupKind::Customer, d.lines, &StdLowercase).with_unreadable(unreadable));
    let _ = show(&extra, &LineQuery::default(), &StdLowercase);

    let Some(customer) = d.customers.first().cloned().or_else(|| serde_json::from_str(CUSTOMER).ok()) else {
        return;
    };
    let today = Date::new(2026, 11, 21);
    let overview = CustomerOverview {
        customer,
        products: d.products.clone(),
        subscriptions: d
            .subscriptions
            .into_iter()
            .map(|subscription| SubscriptionProducts {
                subscription,
                products: d.products.clone(),
                unreadable_products: 1,
                failed: None,
            })
            .collect(),
        unreadable_products: 1,
        unreadable_subscriptions: 1,
        products_failed: None,
    };
    let _ = overview.unreadable();
    if let Some(today) = today {
        for p in &d.products {
            let _ = (ProductStatus::of(p, today), Cost::of(p), Cost::checked(p));
            for f in &formatters {
                let _ = (f.price(p.unit_price), f.quantity(p.quantity), f.rate(p.vat_rate));
            }
        }
        let _ = Cost::of_active(&d.products, today);
        let _ = (overview.active_cost(today), overview.ended_count(today), overview.is_empty());
    }
}

fn env_number(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok())
}

#[test]
fn nothing_the_network_sends_makes_a_decoder_or_the_model_panic() {
    let cases = env_number("FUZZ_CASES").unwrap_or(2_000);
    let limit = env_number("FUZZ_SECONDS").map(Duration::from_secs);
    let seed = env_number("FUZZ_SEED").unwrap_or(0x5eed_b111);
    let mut rng = Rng(seed);
    let started = Instant::now();
    let mut run = 0u64;
    let mut reached = Reached::default();
    while run < cases && limit.is_none_or(|l| started.elapsed() < l) {
        let case_seed = rng.next();
        let mut case_rng = Rng(case_seed);
        let text = document(&mut case_rng);
        let decoded = decode(&text);
        reached.count(&decoded);
        let result = panic::catch_unwind(AssertUnwindSafe(|| exercise(decoded, &mut case_rng)));
        if let Err(panic) = result {
            eprintln!("fuzz: case {run} (case seed {case_seed:#x}, run seed {seed:#x}) panicked on:\n{text}");
            panic::resume_unwind(panic);
        }
        run += 1;
    }
    println!(
        "fuzz: {run} cases in {:.1} s, {} decoders and {} model functions, seed {seed:#x}; cases that decoded \
         lines {}, invoices {}, products {}, customers {}",
        started.elapsed().as_secs_f64(),
        DECODERS.len(),
        MODEL_FUNCTIONS.len(),
        reached.lines,
        reached.invoices,
        reached.products,
        reached.customers,
    );
    assert!(run > 0, "no case ran");
    // The mutations must leave enough documents readable for the model to be reached at all.
    if run >= 1_000 {
        for (what, count) in [("lines", reached.lines), ("invoices", reached.invoices), ("products", reached.products)]
        {
            assert!(count * 25 > run, "only {count} of {run} cases decoded {what}");
        }
    }
}
