//! Documented-variants mode (`--variants documented`): the sandbox answers as a stricter reading
//! of PayEx's documentation would, with everything a client must tolerate. The default mode
//! (`none`) leaves every answer exactly as the routes render it.
//!
//! In `documented` mode a middleware rewrites each JSON answer after its route rendered it, and
//! the demo ledger gains two products. Everywhere:
//!
//! - every customer `GET` is exactly PayEx's documented example: `customerNo`,
//!   `recurringProducts`, `subscriptions`, `operations`, and no `@id` (the `POST` answer keeps
//!   its `@id`);
//! - subscriptions of the Customer API and customer-level recurring products carry no `@id`
//!   (their operations still name their paths);
//! - an absent optional field is sent as `null`: `endDate` of subscriptions and products,
//!   `description` of billed subscriptions, `navigation.next` on a last page;
//! - every other resource and every collection carries extra unknown fields ([`UNKNOWN_FIELDS`]:
//!   a number, a string, an object and an array);
//! - invoice list items are the documented summary: `invoiceNo`, `invoiceDate`,
//!   `recurringProducts`, `subscriptions` and `@id` only (no amount, no due date);
//! - problems are PascalCase (`Type`, `Title`, `Status` as a string such as `"404"`, `Detail`,
//!   `Instance`, `Problems`), and `Problems` ends with a number and an object as messages
//!   ([`extra_problems`]), still as `application/problem+json`;
//! - `vatRate` may be any of the Nordic rates ([`nordic_vat_rates`]), not only Sweden's.
//!
//! And on these resources of the demo data (ledger `100200`):
//!
//! | where | variant |
//! |---|---|
//! | customer `15615616`, customer level | product `BACKUP` ("Molnbackup") has `periodicity: "biweekly"` (an unknown enum value) |
//! | customer `15615616`, subscription `46702345678` (Erik) | `startDate: null`; product `ROAM-FI` ("Roaming Finland") at `vatRate` 25.5, to be ended in CRM mode |
//! | customer `15615616`, subscription `46703456789` (Sofia) | `description: null`; its `recurringProducts` link is absolute, to `http://attacker.invalid` |
//! | customer `15615616`, subscription `46704567890` (Stugan) | its `recurringProducts` link is protocol-relative, to `//attacker.invalid` |
//! | invoice list | `603001`'s `@id` is absolute (`http://attacker.invalid/…`), `603002`'s protocol-relative (`//attacker.invalid/…`) |
//! | invoice `603010` | `dueDate: null`, `currency: null` |
//! | invoice `603011`, subscription `46702345678` | a link loop: the last page of its lines has a `next` back to page 1 |
//! | invoice `603012`, subscription `46701234567` | line `STREAM-MUSIC` has no `vatAmount`/`totalAmount` and `amount: null`; the others are readable |
//! | invoice `603012`, subscription `46702345678` | line `SIM-EXTRA` has `description: null` |
//! | invoice `603012`, customer level | line `INV-PAPER` has `periodStart: null`, `periodEnd: null` |
//! | invoice `603012`, subscription `46704567890` | billed with `description: null` |
//!
//! This module is the catalogue: the modes, the demo resources that carry a variant and the
//! extra fields and problems sent. Telling which resource an answer is from its path is in
//! `target`; the middleware and how each resource's answer is rewritten in `rewrite`.

mod rewrite;
mod target;

pub use rewrite::apply;

use crate::store::{Ledger, Scope};
use crate::PRIVATE_CUSTOMER;
use billing_contract::{Date, Decimal, Periodicity, RecurringProductInput};
use serde_json::{json, Value};

/// The origin of the links that lead away from the API.
pub const FOREIGN_ORIGIN: &str = "http://attacker.invalid";
/// The customer-level product whose periodicity is sent as `"biweekly"`.
pub const BIWEEKLY_PRODUCT: &str = "BACKUP";
/// The product whose VAT rate (25.5, Finland's) is not a Swedish one.
pub const FINNISH_RATE_PRODUCT: &str = "ROAM-FI";
/// Erik's subscription: `startDate: null`, the 25.5 % product, and on [`LOOP_INVOICE`] a link loop.
pub const ERIK: &str = "46702345678";
/// Sofia's subscription: `description: null` and an absolute foreign `recurringProducts` link.
pub const SOFIA: &str = "46703456789";
/// The Stugan subscription: a protocol-relative foreign `recurringProducts` link.
pub const STUGAN: &str = "46704567890";
/// Anna's subscription: on [`UNREADABLE_INVOICE`], the group with the unreadable line.
pub const ANNA: &str = "46701234567";
/// The invoice listed with an absolute foreign `@id`.
pub const ABSOLUTE_ID_INVOICE: &str = "603001";
/// The invoice listed with a protocol-relative foreign `@id`.
pub const PROTOCOL_RELATIVE_ID_INVOICE: &str = "603002";
/// The invoice with `dueDate` and `currency` `null`.
pub const NULL_FIELDS_INVOICE: &str = "603010";
/// The invoice whose Erik group's lines loop back to their first page.
pub const LOOP_INVOICE: &str = "603011";
/// The invoice with one unreadable line (Anna's group), one without description (Erik's group),
/// one without its period (customer level) and a billed subscription without description.
pub const UNREADABLE_INVOICE: &str = "603012";
/// The line of [`UNREADABLE_INVOICE`] without its money fields.
pub const UNREADABLE_LINE: &str = "STREAM-MUSIC";
/// The line of [`UNREADABLE_INVOICE`] with `description: null`.
pub const NO_DESCRIPTION_LINE: &str = "SIM-EXTRA";
/// The line of [`UNREADABLE_INVOICE`] with `periodStart` and `periodEnd` `null`.
pub const NO_PERIOD_LINE: &str = "INV-PAPER";

/// Fields no documentation names, added to every resource and collection (except those sent
/// exactly as documented: the customer and the invoice list items).
pub fn unknown_fields() -> [(&'static str, Value); 4] {
    [
        ("revision", json!(7)),
        ("createdBy", json!("payex-billing")),
        ("metadata", json!({ "source": "documented-variants", "flags": { "archived": false } })),
        ("labels", json!(["billing", 2, null])),
    ]
}

/// The names of [`unknown_fields`].
pub const UNKNOWN_FIELDS: [&str; 4] = ["revision", "createdBy", "metadata", "labels"];

/// Which variants the sandbox answers with.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Variants {
    /// None: answers exactly as the routes render them.
    #[default]
    None,
    /// Everything PayEx's documentation allows that a client must tolerate (see the module doc).
    Documented,
}

impl Variants {
    /// Reads `none` or `documented`.
    pub fn parse(text: &str) -> Result<Variants, String> {
        match text {
            "none" => Ok(Variants::None),
            "documented" => Ok(Variants::Documented),
            _ => Err("expected none or documented".to_owned()),
        }
    }

    /// The VAT rates a recurring product may have.
    pub fn vat_rates(self) -> Vec<Decimal> {
        match self {
            Variants::None => billing_contract::customer::validation::swedish_vat_rates(),
            Variants::Documented => nordic_vat_rates(),
        }
    }

    /// Adds what this mode's demo data has beyond the default's (nothing in `none`).
    pub fn extend(self, ledger: &mut Ledger) {
        if self == Variants::None {
            return;
        }
        let product = |product_no: &str, description: &str, price: i64, vat_rate: Decimal| RecurringProductInput {
            product_no: product_no.into(),
            description: description.into(),
            quantity: Decimal::ONE,
            unit_price: Decimal::new(price, 2),
            vat_rate,
            periodicity: Periodicity::Monthly,
            start_date: Date::new(2026, 1, 1).unwrap_or_else(|| unreachable!("2026-01-01 is a date")),
            end_date: None,
        };
        let customer = Scope { customer_no: PRIVATE_CUSTOMER, subscription_no: None };
        let erik = Scope { subscription_no: Some(ERIK), ..customer };
        for (scope, input) in [
            (customer, product(BIWEEKLY_PRODUCT, "Molnbackup", 4900, Decimal::from(25))),
            (erik, product(FINNISH_RATE_PRODUCT, "Roaming Finland", 9900, Decimal::new(255, 1))),
        ] {
            if let Err(e) = ledger.add_product(scope, input) {
                panic!("seeding the documented variants: {e}");
            }
        }
    }
}

/// VAT rates of Sweden, Finland, Norway and Denmark, general and reduced.
pub fn nordic_vat_rates() -> Vec<Decimal> {
    let mut rates: Vec<Decimal> = [0, 6, 10, 12, 14, 15, 24, 25].into_iter().map(Decimal::from).collect();
    rates.push(Decimal::new(255, 1));
    rates
}

/// Entries of `Problems` whose messages are not strings: a number and an object.
pub fn extra_problems() -> [Value; 2] {
    [json!({ "errorCode": 4711 }), json!({ "context": { "ledger": "documented-variants", "retry": false } })]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_unknown_field_names_are_listed() {
        assert_eq!(unknown_fields().map(|(name, _)| name), UNKNOWN_FIELDS);
    }

    #[test]
    fn parses_the_modes() {
        assert_eq!(Variants::parse("none"), Ok(Variants::None));
        assert_eq!(Variants::parse("documented"), Ok(Variants::Documented));
        assert!(Variants::parse("strict").is_err());
    }
}
