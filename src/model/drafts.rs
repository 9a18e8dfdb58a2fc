//! What a change form holds while someone types: the text of each field, turned into the
//! contract's input only when every field reads and passes the contract's rules, and the
//! problems (the form's own, or the server's) placed on the fields they name.

use super::number_input::{parse_decimal, ParseError, Separators};
use super::vat::VatRates;
use billing_contract::problem::FieldProblem;
use billing_contract::validation::{self, Rule, Violation};
use billing_contract::{Date, Decimal, Periodicity, RecurringProduct, RecurringProductInput, SubscriptionInput};
use std::str::FromStr;

/// A field of a form, named on the wire as the contract names it.
pub trait FormField: Copy + Eq + 'static {
    /// Every field, in the form's order.
    const ALL: &'static [Self];
    /// The contract's name of the field, e.g. `unitPrice`.
    fn wire(self) -> &'static str;

    /// The field a problem's field path names: `unitPrice`, `UnitPrice`, `$.unitPrice` and
    /// `recurringProduct.unitPrice` all name the unit price.
    fn from_path(path: &str) -> Option<Self> {
        let last = path.rsplit(['.', '/']).next().unwrap_or(path);
        Self::ALL.iter().copied().find(|f| f.wire().eq_ignore_ascii_case(last))
    }
}

/// What is wrong with a field: a rule of the contract, text that does not read, or the
/// server's own words. The views say the first three in the viewer's language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldError {
    /// It breaks a rule of the contract (also [`Rule::Required`] for an empty field).
    Rule(Rule),
    /// The number typed does not read (never [`ParseError::Empty`]: that is required).
    Number(ParseError),
    /// The date does not read.
    NotADate,
    /// The server's message, shown as sent.
    Server(String),
}

/// Problems found in a form: on its fields, and any the form has no field for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormErrors<F> {
    /// Each failing field with what is wrong with it, in the order found.
    pub fields: Vec<(F, FieldError)>,
    /// Problems naming no field of this form (shown with the form as a whole).
    pub other: Vec<FieldProblem>,
}

impl<F: FormField> Default for FormErrors<F> {
    fn default() -> Self {
        FormErrors { fields: Vec::new(), other: Vec::new() }
    }
}

impl<F: FormField> FormErrors<F> {
    /// Places each of the server's problems on the field it names.
    pub fn from_problems(problems: &[FieldProblem]) -> FormErrors<F> {
        Self::from_problems_on(problems, F::ALL)
    }

    /// Places each of the server's problems on the field it names when the form shows that
    /// field (one of `shown`); the rest show with the form as a whole, so none is hidden.
    pub fn from_problems_on(problems: &[FieldProblem], shown: &[F]) -> FormErrors<F> {
        let mut errors = FormErrors::default();
        for problem in problems {
            match F::from_path(&problem.field).filter(|f| shown.contains(f)) {
                Some(field) => errors.fields.push((field, FieldError::Server(problem.message.clone()))),
                None => errors.other.push(problem.clone()),
            }
        }
        errors
    }

    /// One problem on one field.
    pub fn on(field: F, error: FieldError) -> FormErrors<F> {
        FormErrors { fields: vec![(field, error)], other: Vec::new() }
    }

    /// The first problem on `field`.
    pub fn message(&self, field: F) -> Option<&FieldError> {
        self.fields.iter().find(|(f, _)| *f == field).map(|(_, m)| m)
    }

    /// The first failing field in the form's order (where focus goes).
    pub fn first_field(&self) -> Option<F> {
        F::ALL.iter().copied().find(|f| self.message(*f).is_some())
    }

    /// True when nothing failed.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty() && self.other.is_empty()
    }
}

/// Reads a typed number, or says why not: empty is [`Rule::Required`].
fn read_number(text: &str, separators: Separators) -> Result<Decimal, FieldError> {
    parse_decimal(text, separators).map_err(|e| match e {
        ParseError::Empty => FieldError::Rule(Rule::Required),
        other => FieldError::Number(other),
    })
}

/// `value` as a person types it: no grouping, `decimal` between whole and fraction.
pub fn write_number(value: Decimal, decimal: char) -> String {
    value.normalize().to_string().replace('.', &decimal.to_string())
}

/// The fields of the recurring-product form.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ProductField {
    ProductNo,
    Description,
    Quantity,
    UnitPrice,
    VatRate,
    Periodicity,
    StartDate,
    EndDate,
}

impl FormField for ProductField {
    const ALL: &'static [ProductField] = &[
        ProductField::ProductNo,
        ProductField::Description,
        ProductField::Quantity,
        ProductField::UnitPrice,
        ProductField::VatRate,
        ProductField::Periodicity,
        ProductField::StartDate,
        ProductField::EndDate,
    ];

    fn wire(self) -> &'static str {
        match self {
            ProductField::ProductNo => "productNo",
            ProductField::Description => "description",
            ProductField::Quantity => "quantity",
            ProductField::UnitPrice => "unitPrice",
            ProductField::VatRate => "vatRate",
            ProductField::Periodicity => "periodicity",
            ProductField::StartDate => "startDate",
            ProductField::EndDate => "endDate",
        }
    }
}

/// The text of every field of the recurring-product form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProductDraft {
    pub product_no: String,
    pub description: String,
    pub quantity: String,
    pub unit_price: String,
    pub vat_rate: String,
    pub periodicity: String,
    pub start_date: String,
    pub end_date: String,
}

impl ProductDraft {
    /// An empty form for a new product: one of it, monthly, at the ledger's usual VAT rate
    /// (none when the rates are not known here), from `start`; numbers use `decimal`.
    pub fn new_product(start: Date, vat_rates: &VatRates, decimal: char) -> ProductDraft {
        ProductDraft {
            product_no: String::new(),
            description: String::new(),
            quantity: "1".into(),
            unit_price: String::new(),
            vat_rate: vat_rates.usual().map(|r| write_number(r, decimal)).unwrap_or_default(),
            periodicity: Periodicity::Monthly.as_str().into(),
            start_date: start.to_string(),
            end_date: String::new(),
        }
    }

    /// The form filled with an existing product; numbers are written with `decimal_separator`
    /// and prices keep at least two decimals.
    pub fn of_product(product: &RecurringProduct, decimal_separator: char) -> ProductDraft {
        let mut price = product.unit_price.normalize();
        if price.scale() < 2 {
            price.rescale(2);
        }
        ProductDraft {
            product_no: product.product_no.clone(),
            description: product.description.clone(),
            quantity: write_number(product.quantity, decimal_separator),
            unit_price: price.to_string().replace('.', &decimal_separator.to_string()),
            vat_rate: write_number(product.vat_rate, decimal_separator),
            periodicity: product.periodicity.as_str().into(),
            start_date: product.start_date.to_string(),
            end_date: product.end_date.map(|d| d.to_string()).unwrap_or_default(),
        }
    }

    /// The contract's input, if every field reads (numbers as typed in a locale with
    /// `separators`) and the whole passes the contract's rules for a ledger with `vat_rates`;
    /// otherwise every problem found, on its field.
    pub fn to_input(
        &self,
        separators: Separators,
        vat_rates: &VatRates,
    ) -> Result<RecurringProductInput, FormErrors<ProductField>> {
        let mut errors = FormErrors::<ProductField>::default();
        let mut number = |field, text: &str| match read_number(text, separators) {
            Ok(value) => Some(value),
            Err(error) => {
                errors.fields.push((field, error));
                None
            }
        };
        let quantity = number(ProductField::Quantity, &self.quantity);
        let unit_price = number(ProductField::UnitPrice, &self.unit_price);
        let vat_rate = number(ProductField::VatRate, &self.vat_rate);
        let periodicity = Periodicity::ALL.into_iter().find(|p| p.as_str() == self.periodicity);
        if periodicity.is_none() {
            errors.fields.push((ProductField::Periodicity, FieldError::Rule(Rule::Required)));
        }
        let start_date = read_date(&self.start_date, ProductField::StartDate, true, &mut errors.fields);
        let end_date = read_date(&self.end_date, ProductField::EndDate, false, &mut errors.fields);
        let (start_date, end_date) = (start_date.ok().flatten(), end_date.ok().flatten());
        // Fields that did not read get stand-ins that pass the rules, so that the contract's
        // rules still run on everything that did and every problem shows at once.
        let checked_start = start_date.or(end_date).unwrap_or(Date::UNIX_EPOCH);
        let input = RecurringProductInput {
            product_no: self.product_no.trim().to_owned(),
            description: self.description.trim().to_owned(),
            quantity: quantity.unwrap_or(Decimal::ONE),
            unit_price: unit_price.unwrap_or_default(),
            vat_rate: vat_rate.or_else(|| vat_rates.usual()).unwrap_or_default(),
            periodicity: periodicity.unwrap_or(Periodicity::Monthly),
            start_date: checked_start,
            end_date,
        };
        merge(&mut errors, validation::recurring_product_violations(&input, vat_rates.list()));
        if errors.is_empty() {
            Ok(input)
        } else {
            Err(sorted(errors))
        }
    }
}

/// `product` with its end date set to `end` (as `<input type="date">` gives it), the rest sent
/// unchanged: only what ending changes is checked (a date, not before the product starts), so a
/// product that no longer passes today's rules can still be ended.
pub fn end_input(product: &RecurringProduct, end: &str) -> Result<RecurringProductInput, FormErrors<ProductField>> {
    let mut problems = Vec::new();
    let end_date = match read_date(end, ProductField::EndDate, true, &mut problems) {
        Ok(Some(date)) => date,
        _ => return Err(FormErrors { fields: problems, other: Vec::new() }),
    };
    if end_date < product.start_date {
        return Err(FormErrors::on(ProductField::EndDate, FieldError::Rule(Rule::EndBeforeStart)));
    }
    Ok(RecurringProductInput { end_date: Some(end_date), ..product.to_input() })
}

/// The fields of the subscription form.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SubscriptionField {
    SubscriptionNo,
    Description,
    StartDate,
}

impl FormField for SubscriptionField {
    const ALL: &'static [SubscriptionField] =
        &[SubscriptionField::SubscriptionNo, SubscriptionField::Description, SubscriptionField::StartDate];

    fn wire(self) -> &'static str {
        match self {
            SubscriptionField::SubscriptionNo => "subscriptionNo",
            SubscriptionField::Description => "description",
            SubscriptionField::StartDate => "startDate",
        }
    }
}

/// The text of every field of the subscription form.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SubscriptionDraft {
    pub subscription_no: String,
    pub description: String,
    pub start_date: String,
}

impl SubscriptionDraft {
    /// An empty form starting on `start`.
    pub fn new_subscription(start: Date) -> SubscriptionDraft {
        SubscriptionDraft { start_date: start.to_string(), ..SubscriptionDraft::default() }
    }

    /// The contract's input, or every problem found on its field.
    pub fn to_input(&self) -> Result<SubscriptionInput, FormErrors<SubscriptionField>> {
        let mut errors = FormErrors::<SubscriptionField>::default();
        let start_date = read_date(&self.start_date, SubscriptionField::StartDate, false, &mut errors.fields);
        let description = Some(self.description.trim().to_owned()).filter(|d| !d.is_empty());
        let input = SubscriptionInput {
            subscription_no: self.subscription_no.trim().to_owned(),
            description,
            start_date: start_date.ok().flatten(),
        };
        merge(&mut errors, validation::subscription_violations(&input));
        if errors.is_empty() {
            Ok(input)
        } else {
            Err(sorted(errors))
        }
    }
}

/// Reads a `YYYY-MM-DD` field (what `<input type="date">` gives): `Ok(None)` when empty and
/// optional, `Err` (and a problem on `field`) when it does not read.
fn read_date<F: FormField>(
    text: &str,
    field: F,
    required: bool,
    problems: &mut Vec<(F, FieldError)>,
) -> Result<Option<Date>, ()> {
    let text = text.trim();
    if text.is_empty() {
        if required {
            problems.push((field, FieldError::Rule(Rule::Required)));
            return Err(());
        }
        return Ok(None);
    }
    match Date::from_str(text) {
        Ok(date) => Ok(Some(date)),
        Err(_) => {
            problems.push((field, FieldError::NotADate));
            Err(())
        }
    }
}

/// Adds the contract's violations for fields that have no problem yet (a field that did not
/// read is not also told it is out of range). The contract checks only fields the form has.
fn merge<F: FormField>(errors: &mut FormErrors<F>, violations: Vec<Violation>) {
    for violation in violations {
        if let Some(field) = F::from_path(violation.field).filter(|f| errors.message(*f).is_none()) {
            errors.fields.push((field, FieldError::Rule(violation.rule)));
        }
    }
}

/// `errors` with its fields in the form's order ([`FormField::ALL`]). A form has a handful of
/// fields, so they are picked in order rather than sorted (a sort is kilobytes of wasm for each
/// form type).
fn sorted<F: FormField>(mut errors: FormErrors<F>) -> FormErrors<F> {
    let mut fields = Vec::with_capacity(errors.fields.len());
    for field in F::ALL {
        while let Some(index) = errors.fields.iter().position(|(f, _)| f == field) {
            fields.push(errors.fields.remove(index));
        }
    }
    fields.append(&mut errors.fields);
    errors.fields = fields;
    errors
}

#[cfg(test)]
mod tests {
    use super::*;
    use billing_contract::Link;

    const SWEDISH: Separators = Separators { decimal: ',', group: '\u{a0}' };

    fn rates() -> VatRates {
        VatRates::of_country("SE")
    }

    fn filled() -> ProductDraft {
        ProductDraft {
            product_no: " MOB-5GB ".into(),
            description: "Mobil 5 GB".into(),
            quantity: "1".into(),
            unit_price: "199,50".into(),
            vat_rate: "25".into(),
            periodicity: "quarterly".into(),
            start_date: "2026-12-01".into(),
            end_date: String::new(),
        }
    }

    fn rule(rule: Rule) -> Option<FieldError> {
        Some(FieldError::Rule(rule))
    }

    fn product() -> RecurringProduct {
        RecurringProduct {
            id: Link("/p".into()),
            recurring_product_no: "1".into(),
            product_no: "EMAG".into(),
            description: "Tidningen".into(),
            quantity: Decimal::from_str("2.50").unwrap(),
            unit_price: Decimal::from(207),
            vat_rate: Decimal::from(6),
            periodicity: Periodicity::Quarterly,
            start_date: "2025-12-01".parse().unwrap(),
            end_date: Some("2026-12-31".parse().unwrap()),
            operations: vec![],
        }
    }

    #[test]
    fn a_filled_form_becomes_the_contract_input_exactly() {
        let input = filled().to_input(SWEDISH, &rates()).unwrap();
        assert_eq!(input.product_no, "MOB-5GB");
        assert_eq!(input.unit_price.to_string(), "199.50");
        assert_eq!(input.periodicity, Periodicity::Quarterly);
        assert_eq!(input.start_date.to_string(), "2026-12-01");
        assert_eq!(input.end_date, None);
    }

    #[test]
    fn every_problem_is_found_at_once_and_placed_on_its_field() {
        let draft = ProductDraft {
            product_no: String::new(),
            description: "x".repeat(101),
            quantity: "0".into(),
            unit_price: "12 kr".into(),
            vat_rate: "24".into(),
            periodicity: "monthly".into(),
            start_date: "2026-12-01".into(),
            end_date: "2026-11-30".into(),
        };
        let errors = draft.to_input(SWEDISH, &rates()).unwrap_err();
        let fields: Vec<&str> = errors.fields.iter().map(|(f, _)| f.wire()).collect();
        assert_eq!(fields, ["productNo", "description", "quantity", "unitPrice", "vatRate", "endDate"]);
        assert_eq!(errors.message(ProductField::UnitPrice), Some(&FieldError::Number(ParseError::NotANumber)));
        assert_eq!(errors.message(ProductField::Quantity).cloned(), rule(Rule::NotPositive));
        assert_eq!(errors.message(ProductField::EndDate).cloned(), rule(Rule::EndBeforeStart));
        assert_eq!(errors.first_field(), Some(ProductField::ProductNo));
    }

    #[test]
    fn a_price_that_may_be_a_thousand_or_a_decimal_is_refused() {
        let english = Separators::ENGLISH;
        let draft = ProductDraft { unit_price: "1,000".into(), ..filled() };
        let errors = draft.to_input(english, &rates()).unwrap_err();
        assert_eq!(
            errors.message(ProductField::UnitPrice),
            Some(&FieldError::Number(ParseError::Ambiguous { whole: "1000".into(), decimal: "1.000".into() }))
        );
        for (typed, read) in [("1000", "1000"), ("1 000", "1000"), ("1,000.50", "1000.50")] {
            let draft = ProductDraft { unit_price: typed.into(), ..filled() };
            assert_eq!(draft.to_input(english, &rates()).unwrap().unit_price.to_string(), read, "{typed:?}");
        }
        let danish = Separators { decimal: ',', group: '.' };
        let draft = ProductDraft { unit_price: "1.250".into(), ..filled() };
        assert!(matches!(
            draft.to_input(danish, &rates()).unwrap_err().message(ProductField::UnitPrice),
            Some(FieldError::Number(ParseError::Ambiguous { .. }))
        ));
        let draft = ProductDraft { unit_price: "1.250,00".into(), ..filled() };
        assert_eq!(draft.to_input(danish, &rates()).unwrap().unit_price.to_string(), "1250.00");
    }

    #[test]
    fn the_vat_rate_is_checked_against_the_ledgers_rates_or_left_to_the_server() {
        let finnish = VatRates::of_country("FI");
        let draft = ProductDraft { vat_rate: "25,5".into(), ..filled() };
        assert_eq!(draft.to_input(SWEDISH, &finnish).unwrap().vat_rate.to_string(), "25.5");
        let errors = draft.to_input(SWEDISH, &rates()).unwrap_err();
        assert_eq!(
            errors.message(ProductField::VatRate).cloned(),
            rule(Rule::VatRateNotAllowed { allowed: rates().list().unwrap().to_vec() })
        );
        let draft = ProductDraft { vat_rate: "15".into(), ..filled() };
        assert!(draft.to_input(SWEDISH, &VatRates::of_country("NO")).is_ok());
        let draft = ProductDraft { vat_rate: "17,25".into(), ..filled() };
        assert_eq!(draft.to_input(SWEDISH, &VatRates::Unchecked).unwrap().vat_rate.to_string(), "17.25");
        let draft = ProductDraft { vat_rate: String::new(), ..filled() };
        assert_eq!(
            draft.to_input(SWEDISH, &VatRates::Unchecked).unwrap_err().message(ProductField::VatRate).cloned(),
            rule(Rule::Required)
        );
    }

    #[test]
    fn a_new_product_starts_at_the_ledgers_usual_rate() {
        let start = "2026-12-01".parse().unwrap();
        assert_eq!(ProductDraft::new_product(start, &VatRates::of_country("FI"), ',').vat_rate, "25,5");
        assert_eq!(ProductDraft::new_product(start, &rates(), ',').vat_rate, "25");
        assert_eq!(ProductDraft::new_product(start, &VatRates::Unchecked, '.').vat_rate, "");
    }

    #[test]
    fn errors_are_put_in_the_form_order_keeping_each_fields_messages_in_turn() {
        let mut errors = FormErrors::<ProductField>::default();
        for (field, message) in [
            (ProductField::EndDate, "a"),
            (ProductField::ProductNo, "b"),
            (ProductField::EndDate, "c"),
            (ProductField::Quantity, "d"),
        ] {
            errors.fields.push((field, FieldError::Server(message.to_owned())));
        }
        let sorted = sorted(errors);
        let order: Vec<(&str, FieldError)> = sorted.fields.iter().map(|(f, m)| (f.wire(), m.clone())).collect();
        let server = |m: &str| FieldError::Server(m.into());
        assert_eq!(
            order,
            [("productNo", server("b")), ("quantity", server("d")), ("endDate", server("a")), ("endDate", server("c"))]
        );
    }

    #[test]
    fn required_numbers_and_dates_say_so() {
        let draft = ProductDraft { unit_price: " ".into(), start_date: String::new(), ..filled() };
        let errors = draft.to_input(SWEDISH, &rates()).unwrap_err();
        assert_eq!(errors.message(ProductField::UnitPrice).cloned(), rule(Rule::Required));
        assert_eq!(errors.message(ProductField::StartDate).cloned(), rule(Rule::Required));
        let draft = ProductDraft { end_date: "31/12/2026".into(), ..filled() };
        assert_eq!(
            draft.to_input(SWEDISH, &rates()).unwrap_err().message(ProductField::EndDate),
            Some(&FieldError::NotADate)
        );
    }

    #[test]
    fn server_problems_land_on_the_fields_they_name_in_any_casing() {
        let problems = [
            FieldProblem::new("UnitPrice", "too high"),
            FieldProblem::new("$.endDate", "after the subscription ends"),
            FieldProblem::new("recurringProduct.vatRate", "not used by this ledger"),
            FieldProblem::new("contract", "the customer is locked"),
        ];
        let errors = FormErrors::<ProductField>::from_problems(&problems);
        let server = |m: &str| Some(FieldError::Server(m.into()));
        assert_eq!(errors.message(ProductField::UnitPrice).cloned(), server("too high"));
        assert_eq!(errors.message(ProductField::EndDate).cloned(), server("after the subscription ends"));
        assert_eq!(errors.message(ProductField::VatRate).cloned(), server("not used by this ledger"));
        assert_eq!(errors.other, [FieldProblem::new("contract", "the customer is locked")]);
    }

    #[test]
    fn an_existing_product_fills_the_form_in_the_locale_and_reads_back_unchanged() {
        let product = product();
        let draft = ProductDraft::of_product(&product, ',');
        assert_eq!((draft.quantity.as_str(), draft.unit_price.as_str()), ("2,5", "207,00"));
        assert_eq!(draft.to_input(SWEDISH, &rates()).unwrap(), product.to_input());
        let thousand = RecurringProduct { unit_price: Decimal::from(1000), ..product.clone() };
        let draft = ProductDraft::of_product(&thousand, '.');
        assert_eq!(draft.unit_price, "1000.00", "written without grouping, so it reads back");
        assert_eq!(draft.to_input(Separators::ENGLISH, &rates()).unwrap(), thousand.to_input());
    }

    #[test]
    fn ending_checks_only_the_end_date_and_sends_the_rest_unchanged() {
        // A rate no default list has and a quantity the rules refuse: still endable.
        let odd = RecurringProduct { vat_rate: Decimal::from(24), quantity: Decimal::ZERO, ..product() };
        let input = end_input(&odd, "2026-06-30").unwrap();
        assert_eq!(input, RecurringProductInput { end_date: Some("2026-06-30".parse().unwrap()), ..odd.to_input() });
        let refused = |end: &str| end_input(&odd, end).unwrap_err().fields;
        assert_eq!(refused(""), [(ProductField::EndDate, FieldError::Rule(Rule::Required))]);
        assert_eq!(refused("30.06.2026"), [(ProductField::EndDate, FieldError::NotADate)]);
        assert_eq!(refused("2025-11-30"), [(ProductField::EndDate, FieldError::Rule(Rule::EndBeforeStart))]);
        assert!(end_input(&odd, "2025-12-01").is_ok(), "the day it starts is a valid last day");
        // The server's word on a field the End form does not show goes with the form as a whole.
        let problems = [FieldProblem::new("vatRate", "not used"), FieldProblem::new("endDate", "too late")];
        let placed = FormErrors::from_problems_on(&problems, &[ProductField::EndDate]);
        assert_eq!(placed.fields, [(ProductField::EndDate, FieldError::Server("too late".into()))]);
        assert_eq!(placed.other, [FieldProblem::new("vatRate", "not used")]);
    }

    #[test]
    fn a_subscription_needs_a_valid_number() {
        let draft = SubscriptionDraft { subscription_no: " ".into(), ..SubscriptionDraft::default() };
        let errors = draft.to_input().unwrap_err();
        assert_eq!(errors.message(SubscriptionField::SubscriptionNo).cloned(), rule(Rule::IdLength { max: 30 }));
        let ok = SubscriptionDraft {
            subscription_no: "46709999999".into(),
            description: "  ".into(),
            start_date: "2026-12-01".into(),
        };
        let input = ok.to_input().unwrap();
        assert_eq!((input.description, input.start_date.map(|d| d.to_string())), (None, Some("2026-12-01".into())));
    }
}
