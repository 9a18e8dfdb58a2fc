//! The contract's validation rules for writes, shared by the sandbox (which enforces them) and
//! the widget's forms (which check them before sending).
//!
//! Each failed rule is a [`Violation`]: the field it names and a machine-readable [`Rule`], so a
//! client can say it in the viewer's language; [`Violation::problem`] gives the English
//! [`FieldProblem`] the sandbox sends.

use crate::customer::{Periodicity, RecurringProductInput, SubscriptionInput};
use crate::ids::{IdError, IdKind};
use crate::money::Decimal;
use crate::problem::FieldProblem;

/// Longest description, in characters.
pub const DESCRIPTION_MAX_CHARS: usize = 100;

/// A rule of the contract that a field breaks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rule {
    /// The field must be given.
    Required,
    /// Text of 1 to `max` characters.
    Length { max: usize },
    /// Text of at most `max` characters.
    TooLong { max: usize },
    /// A number greater than 0.
    NotPositive,
    /// A VAT rate the ledger does not use; `allowed` are the ones it does.
    VatRateNotAllowed { allowed: Vec<Decimal> },
    /// Not one of the periodicities billing knows.
    UnknownPeriodicity,
    /// An end date before the start date.
    EndBeforeStart,
    /// An identifier of the wrong length: 1 to `max` characters.
    IdLength { max: usize },
    /// An identifier holding a character its pattern does not allow.
    IdCharacter { character: char },
}

/// A field that breaks a rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// The contract's name of the field, e.g. `unitPrice`.
    pub field: &'static str,
    /// The rule it breaks.
    pub rule: Rule,
}

impl Violation {
    fn new(field: &'static str, rule: Rule) -> Violation {
        Violation { field, rule }
    }

    /// The rule in English, as the sandbox sends it (`must be greater than 0`).
    pub fn message(&self) -> String {
        match &self.rule {
            Rule::Required => "is required".into(),
            Rule::Length { max } => format!("must be 1 to {max} characters"),
            Rule::TooLong { max } => format!("must be at most {max} characters"),
            Rule::NotPositive => "must be greater than 0".into(),
            Rule::VatRateNotAllowed { allowed } => {
                let known: Vec<String> = allowed.iter().map(|r| r.normalize().to_string()).collect();
                format!("must be one of {}", known.join(", "))
            }
            Rule::UnknownPeriodicity => "must be monthly, quarterly, semiannually or yearly".into(),
            Rule::EndBeforeStart => "must not be before startDate".into(),
            Rule::IdLength { max } => format!("{} must be 1 to {max} characters long", self.field),
            Rule::IdCharacter { character } => format!("{} may not contain {character:?}", self.field),
        }
    }

    /// The problem the server reports for this violation.
    pub fn problem(&self) -> FieldProblem {
        FieldProblem::new(self.field, &self.message())
    }
}

/// VAT rates of a Swedish ledger [assumed: the ledger's rates are not yet exposed by the API].
pub fn swedish_vat_rates() -> Vec<Decimal> {
    [0, 6, 12, 25].into_iter().map(Decimal::from).collect()
}

/// The VAT rates a ledger in `country` (ISO 3166 alpha-2, any case) most likely uses, highest
/// first; `None` for a country without defaults here.
///
/// These are this project's reading of each country's rates as of 2026, not PayEx's word (the
/// ledger's rates are not exposed by the API): Sweden 25/12/6/0, Norway 25/15/12/0, Denmark
/// 25/0, Finland 25.5/13.5/10/0 (the general rate since September 2024; the reduced rates from
/// 2026). A client uses them only to help people type; the server's validation stays the
/// authority, and a ledger with other rates is configured with an explicit list.
pub fn default_vat_rates(country: &str) -> Option<Vec<Decimal>> {
    const RATES: [(&str, &[i64]); 4] =
        [("SE", &[250, 120, 60, 0]), ("NO", &[250, 150, 120, 0]), ("DK", &[250, 0]), ("FI", &[255, 135, 100, 0])];
    let (_, tenths) = RATES.into_iter().find(|(code, _)| code.eq_ignore_ascii_case(country.trim()))?;
    Some(tenths.iter().map(|&t| Decimal::new(t, 1).normalize()).collect())
}

/// Every rule a recurring product input breaks, in field order of the contract. `vat_rates`:
/// the ledger's rates, or `None` to leave the rate to the server.
pub fn recurring_product_violations(input: &RecurringProductInput, vat_rates: Option<&[Decimal]>) -> Vec<Violation> {
    let mut found = Vec::new();
    let chars = input.description.trim().chars().count();
    if chars == 0 || input.description.chars().count() > DESCRIPTION_MAX_CHARS {
        found.push(Violation::new("description", Rule::Length { max: DESCRIPTION_MAX_CHARS }));
    }
    if input.product_no.trim().is_empty() {
        found.push(Violation::new("productNo", Rule::Required));
    }
    if input.quantity <= Decimal::ZERO {
        found.push(Violation::new("quantity", Rule::NotPositive));
    }
    if let Some(rates) = vat_rates {
        if !rates.contains(&input.vat_rate) {
            found.push(Violation::new("vatRate", Rule::VatRateNotAllowed { allowed: rates.to_vec() }));
        }
    }
    if input.periodicity == Periodicity::Unknown {
        found.push(Violation::new("periodicity", Rule::UnknownPeriodicity));
    }
    if let Some(end) = input.end_date {
        if end < input.start_date {
            found.push(Violation::new("endDate", Rule::EndBeforeStart));
        }
    }
    found
}

/// Checks a recurring product input against the contract for a ledger with `vat_rates`; every
/// failing field is named, in English.
pub fn check_recurring_product(input: &RecurringProductInput, vat_rates: &[Decimal]) -> Vec<FieldProblem> {
    recurring_product_violations(input, Some(vat_rates)).iter().map(Violation::problem).collect()
}

/// Every rule a subscription input breaks.
pub fn subscription_violations(input: &SubscriptionInput) -> Vec<Violation> {
    let mut found = Vec::new();
    match IdKind::Subscription.validate(&input.subscription_no) {
        Err(IdError::Length { field, max }) => found.push(Violation::new(field, Rule::IdLength { max })),
        Err(IdError::Character { field, character }) => {
            found.push(Violation::new(field, Rule::IdCharacter { character }))
        }
        Err(IdError::NotUtf8) | Ok(()) => {}
    }
    if let Some(d) = &input.description {
        if d.chars().count() > DESCRIPTION_MAX_CHARS {
            found.push(Violation::new("description", Rule::TooLong { max: DESCRIPTION_MAX_CHARS }));
        }
    }
    found
}

/// Checks a subscription input against the contract, in English.
pub fn check_subscription(input: &SubscriptionInput) -> Vec<FieldProblem> {
    subscription_violations(input).iter().map(Violation::problem).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn dec(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap()
    }

    fn invalid_product() -> RecurringProductInput {
        RecurringProductInput {
            product_no: "".into(),
            description: "x".repeat(101),
            quantity: Decimal::ZERO,
            unit_price: dec("-10"),
            vat_rate: Decimal::from(24),
            periodicity: Periodicity::Monthly,
            start_date: "2026-02-01".parse().unwrap(),
            end_date: Some("2026-01-31".parse().unwrap()),
        }
    }

    #[test]
    fn validation_names_each_failing_field() {
        let input = invalid_product();
        let problems = check_recurring_product(&input, &swedish_vat_rates());
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["description", "productNo", "quantity", "vatRate", "endDate"]);
        let ok = RecurringProductInput {
            product_no: "X".into(),
            description: "Rabatt".into(),
            quantity: Decimal::ONE,
            vat_rate: Decimal::from(25),
            end_date: None,
            ..input
        };
        assert!(check_recurring_product(&ok, &swedish_vat_rates()).is_empty(), "a negative price is a valid discount");
    }

    #[test]
    fn each_violation_carries_its_rule_and_the_english_the_sandbox_sends() {
        let found = recurring_product_violations(&invalid_product(), Some(&swedish_vat_rates()));
        let rules: Vec<(&str, Rule)> = found.iter().map(|v| (v.field, v.rule.clone())).collect();
        assert_eq!(
            rules,
            [
                ("description", Rule::Length { max: 100 }),
                ("productNo", Rule::Required),
                ("quantity", Rule::NotPositive),
                ("vatRate", Rule::VatRateNotAllowed { allowed: swedish_vat_rates() }),
                ("endDate", Rule::EndBeforeStart),
            ]
        );
        let english: Vec<String> = found.iter().map(Violation::message).collect();
        assert_eq!(
            english,
            [
                "must be 1 to 100 characters",
                "is required",
                "must be greater than 0",
                "must be one of 0, 6, 12, 25",
                "must not be before startDate"
            ]
        );
    }

    #[test]
    fn without_rates_the_rate_is_left_to_the_server() {
        let input = RecurringProductInput { vat_rate: dec("25.5"), ..invalid_product() };
        let found = recurring_product_violations(&input, None);
        assert!(found.iter().all(|v| v.field != "vatRate"), "{found:?}");
        let finnish = default_vat_rates("FI").unwrap();
        assert!(recurring_product_violations(&input, Some(&finnish)).iter().all(|v| v.field != "vatRate"));
    }

    #[test]
    fn each_country_has_its_own_rates() {
        let rates = |country: &str| -> Vec<String> {
            default_vat_rates(country).unwrap_or_default().iter().map(|r| r.to_string()).collect()
        };
        assert_eq!(rates("SE"), ["25", "12", "6", "0"]);
        assert_eq!(rates("no"), ["25", "15", "12", "0"]);
        assert_eq!(rates("DK"), ["25", "0"]);
        assert_eq!(rates("FI"), ["25.5", "13.5", "10", "0"]);
        assert!(default_vat_rates("DE").is_none());
        let mut swedish = swedish_vat_rates();
        swedish.reverse();
        assert_eq!(default_vat_rates("SE"), Some(swedish));
    }

    #[test]
    fn a_subscription_number_is_checked_by_the_identifier_rules() {
        let input =
            SubscriptionInput { subscription_no: "".into(), description: Some("x".repeat(101)), start_date: None };
        let found = subscription_violations(&input);
        assert_eq!(
            found,
            [
                Violation::new("subscriptionNo", Rule::IdLength { max: 30 }),
                Violation::new("description", Rule::TooLong { max: 100 })
            ]
        );
        assert_eq!(check_subscription(&input)[0].message, "subscriptionNo must be 1 to 30 characters long");
        let odd = SubscriptionInput { subscription_no: "46<70".into(), description: None, start_date: None };
        assert_eq!(
            subscription_violations(&odd),
            [Violation::new("subscriptionNo", Rule::IdCharacter { character: '<' })]
        );
    }
}
