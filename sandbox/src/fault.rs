//! Fault modes, for testing clients and proxies against an API that misbehaves: slow answers,
//! failing answers (a `503` problem), and garbled answers (`200` with a body that is not JSON),
//! everywhere or only on the requests under a path.

use crate::href::Href;
use crate::{AppState, DEMO_OWNER_NO};
use crate::{GALLERY_CUSTOMER, GALLERY_FAILING_SUBSCRIPTION, GALLERY_INVOICE, GALLERY_LOADING_CUSTOMER};
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use billing_contract::paths;
use std::time::Duration;

/// How the sandbox misbehaves.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Fault {
    /// It does not.
    #[default]
    None,
    /// Every answer is delayed by this long.
    Slow(Duration),
    /// Every request is answered `503` with a problem (`billing/.../problems/unavailable`).
    Failing,
    /// Every request is answered `200` with a truncated, non-JSON body.
    Garbling,
}

impl Fault {
    /// Reads `none`, `slow:MILLISECONDS`, `failing` or `garbling`.
    pub fn parse(text: &str) -> Result<Fault, String> {
        match text {
            "none" => Ok(Fault::None),
            "failing" => Ok(Fault::Failing),
            "garbling" => Ok(Fault::Garbling),
            _ => text
                .strip_prefix("slow:")
                .and_then(|ms| ms.parse().ok())
                .map(|ms| Fault::Slow(Duration::from_millis(ms)))
                .ok_or_else(|| "expected none, slow:MILLISECONDS, failing or garbling".to_owned()),
        }
    }
}

/// One fault and where it applies: every request, or those whose path and query (as sent,
/// percent-encoded) start with `under`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FaultRule {
    /// What goes wrong.
    pub fault: Fault,
    /// The path (and query) prefix it applies under; `None` for every request.
    pub under: Option<String>,
}

/// The sandbox's faults: the first rule that applies to a request decides; none means none.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Faults(Vec<FaultRule>);

impl From<Fault> for Faults {
    fn from(fault: Fault) -> Faults {
        Faults(vec![FaultRule { fault, under: None }])
    }
}

impl Faults {
    /// Reads `gallery` ([`Faults::gallery`]) or comma-separated rules, each a mode
    /// ([`Fault::parse`]) alone (every request) or followed by `@` and a path prefix starting
    /// with `/` (`failing@/billing/invoice/v1/100200/invoices/606001`).
    pub fn parse(text: &str) -> Result<Faults, String> {
        if text.trim() == "gallery" {
            return Ok(Faults::gallery());
        }
        let rules = text.split(',').map(str::trim).map(|rule| match rule.split_once('@') {
            None => Fault::parse(rule).map(|fault| FaultRule { fault, under: None }),
            Some((mode, under)) if under.starts_with('/') => {
                Fault::parse(mode).map(|fault| FaultRule { fault, under: Some(under.to_owned()) })
            }
            Some(_) => Err(format!("{rule}: the path after @ must start with /")),
        });
        rules.collect::<Result<_, _>>().map(Faults)
    }

    /// The rules `demo/gallery.html` shows its states with, on the demo ledger: the products and
    /// the invoice charges of [`GALLERY_FAILING_SUBSCRIPTION`] fail (one failed group, the rest
    /// shown), and every request about [`GALLERY_LOADING_CUSTOMER`] is held for ten minutes (a
    /// view that is still loading).
    pub fn gallery() -> Faults {
        let customer = Href::customer(DEMO_OWNER_NO, GALLERY_CUSTOMER);
        let failing_products = customer.subscription(GALLERY_FAILING_SUBSCRIPTION).recurring_products();
        let failing_charges = Href::invoice(DEMO_OWNER_NO, GALLERY_INVOICE).subscription(GALLERY_FAILING_SUBSCRIPTION);
        let held = Fault::Slow(Duration::from_secs(600));
        let rule = |fault, under: String| FaultRule { fault, under: Some(under) };
        Faults(vec![
            rule(Fault::Failing, failing_products.as_str().to_owned()),
            rule(Fault::Failing, failing_charges.as_str().to_owned()),
            rule(held, paths::customer(DEMO_OWNER_NO, GALLERY_LOADING_CUSTOMER)),
            rule(held, paths::invoices_of_customer(DEMO_OWNER_NO, GALLERY_LOADING_CUSTOMER)),
        ])
    }

    /// The fault for a request to `path_and_query`.
    pub fn for_request(&self, path_and_query: &str) -> Fault {
        let applies = |rule: &&FaultRule| rule.under.as_deref().is_none_or(|under| path_and_query.starts_with(under));
        self.0.iter().find(applies).map_or(Fault::None, |rule| rule.fault)
    }
}

/// Middleware: applies the configured fault.
pub async fn apply(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let target = request.uri().path_and_query().map_or("", |p| p.as_str());
    match state.config().faults.for_request(target) {
        Fault::None => next.run(request).await,
        Fault::Slow(delay) => {
            tokio::time::sleep(delay).await;
            next.run(request).await
        }
        Fault::Failing => (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::CONTENT_TYPE, billing_contract::problem::PROBLEM_JSON)],
            r#"{"type":"billing/problems/unavailable","title":"Service unavailable","status":503,"instance":"sandbox-fault"}"#,
        )
            .into_response(),
        Fault::Garbling => {
            (StatusCode::OK, [(header::CONTENT_TYPE, "application/json")], "{\"items\":[{\"@id\":\"/bill\u{0}").into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_modes() {
        assert_eq!(Fault::parse("slow:250"), Ok(Fault::Slow(Duration::from_millis(250))));
        assert_eq!(Fault::parse("failing"), Ok(Fault::Failing));
        assert_eq!(Fault::parse("garbling"), Ok(Fault::Garbling));
        assert_eq!(Fault::parse("none"), Ok(Fault::None));
        assert!(Fault::parse("slow:x").is_err() && Fault::parse("broken").is_err());
    }

    #[test]
    fn a_rule_under_a_path_applies_only_there_and_the_first_rule_that_applies_decides() {
        let faults =
            Faults::parse("failing@/billing/invoice/v1/1/invoices/7, slow:5@/billing/invoice, garbling").unwrap();
        assert_eq!(faults.for_request("/billing/invoice/v1/1/invoices/7/subscriptions/2"), Fault::Failing);
        assert_eq!(faults.for_request("/billing/invoice/v1/1/invoices/8"), Fault::Slow(Duration::from_millis(5)));
        assert_eq!(faults.for_request("/billing/customer/v1/1/customers/3"), Fault::Garbling);
        let only_there = Faults::parse("failing@/billing/invoice").unwrap();
        assert_eq!(only_there.for_request("/billing/customer/v1/1/customers/3"), Fault::None);
        assert_eq!(Faults::parse("none").unwrap().for_request("/anything"), Fault::None);
        assert!(Faults::parse("failing@billing").is_err(), "a path starts with /");
        assert!(Faults::parse("failing,broken").is_err(), "every rule must read");
    }

    #[test]
    fn the_gallery_fails_one_subscription_of_its_customer_and_holds_the_loading_customer() {
        let faults = Faults::parse("gallery").unwrap();
        let customer = format!("/billing/customer/v1/{DEMO_OWNER_NO}/customers/{GALLERY_CUSTOMER}");
        let invoice = format!("/billing/invoice/v1/{DEMO_OWNER_NO}/invoices/{GALLERY_INVOICE}");
        let failing = GALLERY_FAILING_SUBSCRIPTION;
        assert_eq!(
            faults.for_request(&format!("{customer}/subscriptions/{failing}/recurring-products")),
            Fault::Failing
        );
        assert_eq!(
            faults.for_request(&format!("{invoice}/subscriptions/{failing}/recurring-products?page=1")),
            Fault::Failing
        );
        assert_eq!(
            faults.for_request(&format!("{customer}/subscriptions/46707654321/recurring-products")),
            Fault::None
        );
        assert_eq!(faults.for_request(&invoice), Fault::None, "the rest of the invoice loads");
        assert_eq!(faults.for_request(&customer), Fault::None);
        let held = Fault::Slow(Duration::from_secs(600));
        let loading = GALLERY_LOADING_CUSTOMER;
        assert_eq!(faults.for_request(&format!("/billing/customer/v1/{DEMO_OWNER_NO}/customers/{loading}")), held);
        assert_eq!(
            faults.for_request(&format!("/billing/invoice/v1/{DEMO_OWNER_NO}/invoices?customerNo={loading}&page=1")),
            held
        );
    }
}
