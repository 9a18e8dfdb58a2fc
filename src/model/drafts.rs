//! What a change form holds while someone types: the text of each field, turned into the
//! contract's input only when every field reads and passes the contract's rules, and the
//! problems (the form's own, or the server's) placed on the fields they name.

use crate::format::parse_decimal;
use billing_contract::customer::validation;
use billing_contract::problem::FieldProblem;
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

/// Problems found in a form: on its fields, and any the form has no field for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormErrors<F> {
    /// Each failing field with its message, in the order found.
    pub fields: Vec<(F, String)>,
    /// Problems naming no field of this form (shown with the form as a whole).
    pub other: Vec<FieldProblem>,
}

impl<F: FormField> Default for FormErrors<F> {
    fn default() -> Self {
        FormErrors { fields: Vec::new(), other: Vec::new() }
    }
}

impl<F: FormField> FormErrors<F> {
    /// Places each problem on the field it names.
    pub fn from_problems(problems: &[FieldProblem]) -> FormErrors<F> {
        let mut errors = FormErrors::default();
        for problem in problems {
            match F::from_path(&problem.field) {
                Some(field) => errors.fields.push((field, problem.message.clone())),
                None => errors.other.push(problem.clone()),
            }
        }
        errors
    }

    /// The first message on `field`.
    pub fn message(&self, field: F) -> Option<&str> {
        self.fields.iter().find(|(f, _)| *f == field).map(|(_, m)| m.as_str())
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
    /// An empty form for a new product: one of it, monthly, at the usual VAT rate, from `start`.
    pub fn new_product(start: Date) -> ProductDraft {
        ProductDraft {
            product_no: String::new(),
            description: String::new(),
            quantity: "1".into(),
            unit_price: String::new(),
            vat_rate: "25".into(),
            periodicity: Periodicity::Monthly.as_str().into(),
            start_date: start.to_string(),
            end_date: String::new(),
        }
    }

    /// The form filled with an existing product; numbers are written with `decimal_separator`
    /// and prices keep at least two decimals.
    pub fn of_product(product: &RecurringProduct, decimal_separator: char) -> ProductDraft {
        let number = |d: Decimal| d.normalize().to_string().replace('.', &decimal_separator.to_string());
        let mut price = product.unit_price.normalize();
        if price.scale() < 2 {
            price.rescale(2);
        }
        ProductDraft {
            product_no: product.product_no.clone(),
            description: product.description.clone(),
            quantity: number(product.quantity),
            unit_price: price.to_string().replace('.', &decimal_separator.to_string()),
            vat_rate: product.vat_rate.normalize().to_string(),
            periodicity: product.periodicity.as_str().into(),
            start_date: product.start_date.to_string(),
            end_date: product.end_date.map(|d| d.to_string()).unwrap_or_default(),
        }
    }

    /// The contract's input, if every field reads and the whole passes the contract's rules
    /// for a ledger with `vat_rates`; otherwise every problem found, on its field.
    pub fn to_input(&self, vat_rates: &[Decimal]) -> Result<RecurringProductInput, FormErrors<ProductField>> {
        let mut errors = FormErrors::<ProductField>::default();
        let mut number = |field, text: &str| {
            let value = parse_decimal(text);
            if value.is_none() {
                let message = if text.trim().is_empty() { "is required" } else { "must be a number" };
                errors.fields.push((field, message.into()));
            }
            value
        };
        let quantity = number(ProductField::Quantity, &self.quantity);
        let unit_price = number(ProductField::UnitPrice, &self.unit_price);
        let vat_rate = number(ProductField::VatRate, &self.vat_rate);
        let periodicity = Periodicity::ALL.into_iter().find(|p| p.as_str() == self.periodicity);
        if periodicity.is_none() {
            errors.fields.push((ProductField::Periodicity, "is required".into()));
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
            vat_rate: vat_rate.or_else(|| vat_rates.first().copied()).unwrap_or_default(),
            periodicity: periodicity.unwrap_or(Periodicity::Monthly),
            start_date: checked_start,
            end_date,
        };
        merge(&mut errors, validation::check_recurring_product(&input, vat_rates));
        if errors.is_empty() {
            Ok(input)
        } else {
            Err(sorted(errors))
        }
    }
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
        merge(&mut errors, validation::check_subscription(&input));
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
    problems: &mut Vec<(F, String)>,
) -> Result<Option<Date>, ()> {
    let text = text.trim();
    if text.is_empty() {
        if required {
            problems.push((field, "is required".into()));
            return Err(());
        }
        return Ok(None);
    }
    match Date::from_str(text) {
        Ok(date) => Ok(Some(date)),
        Err(_) => {
            problems.push((field, "must be a date".into()));
            Err(())
        }
    }
}

/// Adds the contract's problems for fields that have none yet (a field that did not read is
/// not also told it is out of range).
fn merge<F: FormField>(errors: &mut FormErrors<F>, problems: Vec<FieldProblem>) {
    let found = FormErrors::<F>::from_problems(&problems);
    for (field, message) in found.fields {
        if errors.message(field).is_none() {
            errors.fields.push((field, message));
        }
    }
    errors.other.extend(found.other);
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

    fn rates() -> Vec<Decimal> {
        validation::swedish_vat_rates()
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

    #[test]
    fn a_filled_form_becomes_the_contract_input_exactly() {
        let input = filled().to_input(&rates()).unwrap();
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
        let errors = draft.to_input(&rates()).unwrap_err();
        let fields: Vec<&str> = errors.fields.iter().map(|(f, _)| f.wire()).collect();
        assert_eq!(fields, ["productNo", "description", "quantity", "unitPrice", "vatRate", "endDate"]);
        assert_eq!(errors.message(ProductField::UnitPrice), Some("must be a number"));
        assert_eq!(errors.message(ProductField::Quantity), Some("must be greater than 0"));
        assert_eq!(errors.message(ProductField::EndDate), Some("must not be before startDate"));
        assert_eq!(errors.first_field(), Some(ProductField::ProductNo));
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
            errors.fields.push((field, message.to_owned()));
        }
        let sorted = sorted(errors);
        let order: Vec<(&str, &str)> = sorted.fields.iter().map(|(f, m)| (f.wire(), m.as_str())).collect();
        assert_eq!(order, [("productNo", "b"), ("quantity", "d"), ("endDate", "a"), ("endDate", "c")]);
    }

    #[test]
    fn required_numbers_and_dates_say_so() {
        let draft = ProductDraft { unit_price: " ".into(), start_date: String::new(), ..filled() };
        let errors = draft.to_input(&rates()).unwrap_err();
        assert_eq!(errors.message(ProductField::UnitPrice), Some("is required"));
        assert_eq!(errors.message(ProductField::StartDate), Some("is required"));
        let draft = ProductDraft { end_date: "31/12/2026".into(), ..filled() };
        assert_eq!(draft.to_input(&rates()).unwrap_err().message(ProductField::EndDate), Some("must be a date"));
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
        assert_eq!(errors.message(ProductField::UnitPrice), Some("too high"));
        assert_eq!(errors.message(ProductField::EndDate), Some("after the subscription ends"));
        assert_eq!(errors.message(ProductField::VatRate), Some("not used by this ledger"));
        assert_eq!(errors.other, [FieldProblem::new("contract", "the customer is locked")]);
    }

    #[test]
    fn an_existing_product_fills_the_form_in_the_locale_and_reads_back_unchanged() {
        let product = RecurringProduct {
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
        };
        let draft = ProductDraft::of_product(&product, ',');
        assert_eq!((draft.quantity.as_str(), draft.unit_price.as_str()), ("2,5", "207,00"));
        assert_eq!(draft.to_input(&rates()).unwrap(), product.to_input());
    }

    #[test]
    fn a_subscription_needs_a_valid_number() {
        let draft = SubscriptionDraft { subscription_no: " ".into(), ..SubscriptionDraft::default() };
        let errors = draft.to_input().unwrap_err();
        assert!(errors.message(SubscriptionField::SubscriptionNo).is_some());
        let ok = SubscriptionDraft {
            subscription_no: "46709999999".into(),
            description: "  ".into(),
            start_date: "2026-12-01".into(),
        };
        let input = ok.to_input().unwrap();
        assert_eq!((input.description, input.start_date.map(|d| d.to_string())), (None, Some("2026-12-01".into())));
    }
}
