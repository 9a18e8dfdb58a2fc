//! The in-memory ledger: customers with their subscriptions and recurring products, and the
//! invoices billed to them. Records hold data only; links are made when a resource is rendered.

use billing_contract::money::round_cents;
use billing_contract::{Date, Decimal, RecurringProductInput};
use std::collections::BTreeMap;
use std::sync::{Arc, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

/// The first recurring product number given out per customer.
pub const FIRST_PRODUCT_NO: u64 = 1001;

/// Why a lookup or a write failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// No such customer.
    #[error("customer {0:?} does not exist")]
    CustomerNotFound(String),
    /// The customer has no such subscription.
    #[error("customer {customer:?} has no subscription {subscription:?}")]
    SubscriptionNotFound { customer: String, subscription: String },
    /// No such recurring product where it was looked for.
    #[error("recurring product {0:?} does not exist here")]
    ProductNotFound(String),
    /// The customer exists already.
    #[error("customer {0:?} exists already")]
    CustomerExists(String),
    /// The subscription exists already on that customer.
    #[error("subscription {0:?} exists already on this customer")]
    SubscriptionExists(String),
    /// No such invoice.
    #[error("invoice {0:?} does not exist")]
    InvoiceNotFound(String),
    /// The invoice bills no such subscription.
    #[error("invoice {invoice:?} bills no subscription {subscription:?}")]
    InvoiceSubscriptionNotFound { invoice: String, subscription: String },
    /// No line of that recurring product where it was looked for.
    #[error("no charge of recurring product {0:?} is billed here")]
    InvoiceLineNotFound(String),
}

/// A recurring product: its number and its editable part.
#[derive(Clone, Debug, PartialEq)]
pub struct ProductRecord {
    /// The recurring product number, unique per customer.
    pub no: String,
    /// Everything else about it.
    pub input: RecurringProductInput,
}

/// A subscription of a customer.
#[derive(Clone, Debug, PartialEq)]
pub struct SubscriptionRecord {
    /// The subscription number, e.g. a mobile number.
    pub subscription_no: String,
    /// What it is, e.g. "Mobil – Anna".
    pub description: Option<String>,
    /// First day.
    pub start_date: Option<Date>,
    /// Last day, if ended.
    pub end_date: Option<Date>,
    /// Its recurring products.
    pub products: Vec<ProductRecord>,
}

impl SubscriptionRecord {
    /// A subscription without products.
    pub fn new(subscription_no: &str, description: Option<&str>, start_date: Option<Date>) -> SubscriptionRecord {
        SubscriptionRecord {
            subscription_no: subscription_no.into(),
            description: description.map(Into::into),
            start_date,
            end_date: None,
            products: Vec::new(),
        }
    }
}

/// A customer with its customer-level products and its subscriptions.
#[derive(Clone, Debug, PartialEq)]
pub struct CustomerRecord {
    /// The customer number.
    pub customer_no: String,
    /// Customer-level recurring products.
    pub products: Vec<ProductRecord>,
    /// Subscriptions, in the order they were added.
    pub subscriptions: Vec<SubscriptionRecord>,
    next_product_no: u64,
}

impl CustomerRecord {
    fn new(customer_no: &str) -> CustomerRecord {
        CustomerRecord {
            customer_no: customer_no.into(),
            products: Vec::new(),
            subscriptions: Vec::new(),
            next_product_no: FIRST_PRODUCT_NO,
        }
    }

    /// The subscription with this number.
    pub fn subscription(&self, subscription_no: &str) -> Result<&SubscriptionRecord, StoreError> {
        self.subscriptions
            .iter()
            .find(|s| s.subscription_no == subscription_no)
            .ok_or_else(|| self.no_subscription(subscription_no))
    }

    /// The products at customer level (`None`) or on a subscription.
    pub fn products(&self, subscription_no: Option<&str>) -> Result<&[ProductRecord], StoreError> {
        match subscription_no {
            None => Ok(&self.products),
            Some(s) => Ok(&self.subscription(s)?.products),
        }
    }

    fn products_mut(&mut self, subscription_no: Option<&str>) -> Result<&mut Vec<ProductRecord>, StoreError> {
        let Some(wanted) = subscription_no else {
            return Ok(&mut self.products);
        };
        let missing = self.no_subscription(wanted);
        self.subscriptions.iter_mut().find(|s| s.subscription_no == wanted).map(|s| &mut s.products).ok_or(missing)
    }

    fn no_subscription(&self, subscription_no: &str) -> StoreError {
        StoreError::SubscriptionNotFound { customer: self.customer_no.clone(), subscription: subscription_no.into() }
    }
}

/// Where recurring products live: on a customer, or on one of its subscriptions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scope<'a> {
    /// The customer.
    pub customer_no: &'a str,
    /// The subscription, or `None` for customer level.
    pub subscription_no: Option<&'a str>,
}

/// One invoiced charge. Amounts follow from quantity, unit price and VAT rate.
#[derive(Clone, Debug, PartialEq)]
pub struct LineRecord {
    /// The charged recurring product (unique within its line collection).
    pub recurring_product_no: String,
    /// The catalogue number.
    pub product_no: String,
    /// What was charged.
    pub description: String,
    /// First day billed.
    pub period_start: Date,
    /// Last day billed.
    pub period_end: Date,
    /// How many; negative for a credit.
    pub quantity: Decimal,
    /// Price per unit excluding VAT.
    pub unit_price: Decimal,
    /// VAT rate in percent.
    pub vat_rate: Decimal,
}

impl LineRecord {
    /// `round_cents(quantity × unitPrice)`, excluding VAT.
    pub fn amount(&self) -> Decimal {
        round_cents(self.quantity * self.unit_price)
    }

    /// `round_cents(amount × vatRate / 100)`.
    pub fn vat_amount(&self) -> Decimal {
        round_cents(self.amount() * self.vat_rate / Decimal::ONE_HUNDRED)
    }

    /// Amount including VAT.
    pub fn total_amount(&self) -> Decimal {
        self.amount() + self.vat_amount()
    }
}

/// A subscription as billed on an invoice.
#[derive(Clone, Debug, PartialEq)]
pub struct InvoiceSubscriptionRecord {
    /// The subscription number.
    pub subscription_no: String,
    /// Its description when invoiced.
    pub description: Option<String>,
    /// The charges billed on it.
    pub lines: Vec<LineRecord>,
}

/// An invoice with its lines.
#[derive(Clone, Debug, PartialEq)]
pub struct InvoiceRecord {
    /// The invoice number.
    pub invoice_no: String,
    /// The invoiced customer.
    pub customer_no: String,
    /// Invoice date.
    pub invoice_date: Date,
    /// Due date.
    pub due_date: Date,
    /// ISO 4217 currency code.
    pub currency: String,
    /// Charges billed at customer level.
    pub customer_lines: Vec<LineRecord>,
    /// Subscriptions billed, each with its charges.
    pub subscriptions: Vec<InvoiceSubscriptionRecord>,
    invoice_amount: Decimal,
}

impl InvoiceRecord {
    /// An invoice whose amount is the sum of its lines plus `other_charges` (charges from
    /// sources outside the Billing API, e.g. a reminder fee; zero for a reconciled invoice).
    pub fn new(
        invoice_no: &str,
        customer_no: &str,
        invoice_date: Date,
        due_date: Date,
        customer_lines: Vec<LineRecord>,
        subscriptions: Vec<InvoiceSubscriptionRecord>,
        other_charges: Decimal,
    ) -> InvoiceRecord {
        let lines = customer_lines.iter().chain(subscriptions.iter().flat_map(|s| &s.lines));
        let invoice_amount = lines.map(LineRecord::total_amount).sum::<Decimal>() + other_charges;
        InvoiceRecord {
            invoice_no: invoice_no.into(),
            customer_no: customer_no.into(),
            invoice_date,
            due_date,
            currency: "SEK".into(),
            customer_lines,
            subscriptions,
            invoice_amount,
        }
    }

    /// Total invoiced, including VAT.
    pub fn invoice_amount(&self) -> Decimal {
        self.invoice_amount
    }

    /// The billed subscription with this number.
    pub fn subscription(&self, subscription_no: &str) -> Result<&InvoiceSubscriptionRecord, StoreError> {
        self.subscriptions.iter().find(|s| s.subscription_no == subscription_no).ok_or_else(|| {
            StoreError::InvoiceSubscriptionNotFound {
                invoice: self.invoice_no.clone(),
                subscription: subscription_no.into(),
            }
        })
    }

    /// The lines billed at customer level (`None`) or on a subscription.
    pub fn lines(&self, subscription_no: Option<&str>) -> Result<&[LineRecord], StoreError> {
        match subscription_no {
            None => Ok(&self.customer_lines),
            Some(s) => Ok(&self.subscription(s)?.lines),
        }
    }

    /// The number of lines on the whole invoice.
    pub fn line_count(&self) -> usize {
        self.customer_lines.len() + self.subscriptions.iter().map(|s| s.lines.len()).sum::<usize>()
    }
}

/// All data of one ledger.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Ledger {
    customers: BTreeMap<String, CustomerRecord>,
    invoices: BTreeMap<String, InvoiceRecord>,
}

impl Ledger {
    /// The customer with this number.
    pub fn customer(&self, customer_no: &str) -> Result<&CustomerRecord, StoreError> {
        self.customers.get(customer_no).ok_or_else(|| StoreError::CustomerNotFound(customer_no.into()))
    }

    fn customer_mut(&mut self, customer_no: &str) -> Result<&mut CustomerRecord, StoreError> {
        self.customers.get_mut(customer_no).ok_or_else(|| StoreError::CustomerNotFound(customer_no.into()))
    }

    /// Creates a customer without products or subscriptions.
    pub fn create_customer(&mut self, customer_no: &str) -> Result<&CustomerRecord, StoreError> {
        match self.customers.entry(customer_no.into()) {
            std::collections::btree_map::Entry::Occupied(_) => Err(StoreError::CustomerExists(customer_no.into())),
            std::collections::btree_map::Entry::Vacant(slot) => Ok(slot.insert(CustomerRecord::new(customer_no))),
        }
    }

    /// Adds a subscription (its products are ignored: add them with [`Ledger::add_product`]).
    pub fn add_subscription(
        &mut self,
        customer_no: &str,
        subscription: SubscriptionRecord,
    ) -> Result<&SubscriptionRecord, StoreError> {
        let customer = self.customer_mut(customer_no)?;
        if customer.subscription(&subscription.subscription_no).is_ok() {
            return Err(StoreError::SubscriptionExists(subscription.subscription_no));
        }
        let index = customer.subscriptions.len();
        customer.subscriptions.push(SubscriptionRecord { products: Vec::new(), ..subscription });
        Ok(&customer.subscriptions[index])
    }

    /// The recurring products in `scope`.
    pub fn products(&self, scope: Scope) -> Result<&[ProductRecord], StoreError> {
        self.customer(scope.customer_no)?.products(scope.subscription_no)
    }

    /// One recurring product in `scope`.
    pub fn product(&self, scope: Scope, no: &str) -> Result<&ProductRecord, StoreError> {
        self.products(scope)?.iter().find(|p| p.no == no).ok_or_else(|| StoreError::ProductNotFound(no.into()))
    }

    /// Adds a recurring product under the customer's next free number.
    pub fn add_product(&mut self, scope: Scope, input: RecurringProductInput) -> Result<ProductRecord, StoreError> {
        let customer = self.customer_mut(scope.customer_no)?;
        let no = customer.next_product_no.to_string();
        let products = customer.products_mut(scope.subscription_no)?;
        let record = ProductRecord { no, input };
        products.push(record.clone());
        customer.next_product_no += 1;
        Ok(record)
    }

    /// Replaces a recurring product's editable part.
    pub fn replace_product(
        &mut self,
        scope: Scope,
        no: &str,
        input: RecurringProductInput,
    ) -> Result<ProductRecord, StoreError> {
        let products = self.customer_mut(scope.customer_no)?.products_mut(scope.subscription_no)?;
        let record = products.iter_mut().find(|p| p.no == no).ok_or_else(|| StoreError::ProductNotFound(no.into()))?;
        record.input = input;
        Ok(record.clone())
    }

    /// Removes a recurring product.
    pub fn delete_product(&mut self, scope: Scope, no: &str) -> Result<(), StoreError> {
        let products = self.customer_mut(scope.customer_no)?.products_mut(scope.subscription_no)?;
        let index = products.iter().position(|p| p.no == no).ok_or_else(|| StoreError::ProductNotFound(no.into()))?;
        products.remove(index);
        Ok(())
    }

    /// The invoice with this number.
    pub fn invoice(&self, invoice_no: &str) -> Result<&InvoiceRecord, StoreError> {
        self.invoices.get(invoice_no).ok_or_else(|| StoreError::InvoiceNotFound(invoice_no.into()))
    }

    /// The invoices, optionally of one customer only, newest first.
    pub fn invoices_newest_first(&self, customer_no: Option<&str>) -> Vec<&InvoiceRecord> {
        let mut invoices: Vec<&InvoiceRecord> =
            self.invoices.values().filter(|i| customer_no.is_none_or(|c| i.customer_no == c)).collect();
        invoices.sort_by(|a, b| (b.invoice_date, &b.invoice_no).cmp(&(a.invoice_date, &a.invoice_no)));
        invoices
    }

    /// Adds (or replaces) an invoice.
    pub fn add_invoice(&mut self, invoice: InvoiceRecord) {
        self.invoices.insert(invoice.invoice_no.clone(), invoice);
    }
}

/// The shared, lockable ledger of a running sandbox.
#[derive(Clone, Debug, Default)]
pub struct Store(Arc<RwLock<Ledger>>);

impl Store {
    /// A store holding `ledger`.
    pub fn new(ledger: Ledger) -> Store {
        Store(Arc::new(RwLock::new(ledger)))
    }

    /// Read access. A panic in another request never makes the data unreadable.
    pub fn read(&self) -> RwLockReadGuard<'_, Ledger> {
        self.0.read().unwrap_or_else(PoisonError::into_inner)
    }

    /// Write access.
    pub fn write(&self) -> RwLockWriteGuard<'_, Ledger> {
        self.0.write().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use billing_contract::Periodicity;

    fn input(description: &str) -> RecurringProductInput {
        RecurringProductInput {
            product_no: "P".into(),
            description: description.into(),
            quantity: Decimal::ONE,
            unit_price: Decimal::from(10),
            vat_rate: Decimal::from(25),
            periodicity: Periodicity::Monthly,
            start_date: Date::new(2026, 1, 1).unwrap_or_else(|| unreachable!()),
            end_date: None,
        }
    }

    #[test]
    fn product_numbers_are_per_customer_and_never_reused() {
        let mut ledger = Ledger::default();
        ledger.create_customer("1").unwrap();
        ledger.add_subscription("1", SubscriptionRecord::new("s", None, None)).unwrap();
        let top = Scope { customer_no: "1", subscription_no: None };
        let sub = Scope { customer_no: "1", subscription_no: Some("s") };
        assert_eq!(ledger.add_product(top, input("a")).unwrap().no, "1001");
        assert_eq!(ledger.add_product(sub, input("b")).unwrap().no, "1002");
        ledger.delete_product(sub, "1002").unwrap();
        assert_eq!(ledger.add_product(sub, input("c")).unwrap().no, "1003");
        assert_eq!(ledger.product(top, "1003"), Err(StoreError::ProductNotFound("1003".into())));
        assert!(matches!(
            ledger.products(Scope { subscription_no: Some("x"), ..top }),
            Err(StoreError::SubscriptionNotFound { .. })
        ));
    }

    #[test]
    fn duplicates_conflict() {
        let mut ledger = Ledger::default();
        ledger.create_customer("1").unwrap();
        assert_eq!(ledger.create_customer("1"), Err(StoreError::CustomerExists("1".into())));
        ledger.add_subscription("1", SubscriptionRecord::new("s", None, None)).unwrap();
        assert_eq!(
            ledger.add_subscription("1", SubscriptionRecord::new("s", None, None)),
            Err(StoreError::SubscriptionExists("s".into()))
        );
    }
}
