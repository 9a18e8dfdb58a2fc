//! A customer's recurring products: the customer's own, then each subscription's, with each
//! product's status on a given day and what it costs per month and per year including VAT.

use super::checked::{self, TooLarge};
use crate::api::ApiError;
use billing_contract::{Customer, Date, Decimal, RecurringProduct, Subscription};
use rust_decimal::RoundingStrategy;

/// One subscription with its recurring products.
#[derive(Clone, Debug, PartialEq)]
pub struct SubscriptionProducts {
    /// The subscription.
    pub subscription: Subscription,
    /// Its recurring products.
    pub products: Vec<RecurringProduct>,
    /// How many of its products could not be read.
    pub unreadable_products: usize,
    /// Why its products could not be loaded (a link that leaves the API, a failed request):
    /// the rest of the customer still shows.
    pub failed: Option<ApiError>,
}

/// Everything billed recurringly to one customer.
#[derive(Clone, Debug, PartialEq)]
pub struct CustomerOverview {
    /// The customer.
    pub customer: Customer,
    /// Products billed on the customer itself.
    pub products: Vec<RecurringProduct>,
    /// Each subscription with its products, in the order the API listed them.
    pub subscriptions: Vec<SubscriptionProducts>,
    /// How many of the customer's own products could not be read.
    pub unreadable_products: usize,
    /// Why the customer's own products could not be loaded; the subscriptions still show.
    pub products_failed: Option<ApiError>,
    /// How many subscriptions could not be read.
    pub unreadable_subscriptions: usize,
}

impl CustomerOverview {
    /// True when the customer has neither products nor subscriptions.
    pub fn is_empty(&self) -> bool {
        self.products.is_empty() && self.subscriptions.is_empty()
    }

    /// How many products and subscriptions could not be read: totals leave them out.
    pub fn unreadable(&self) -> usize {
        self.unreadable_products
            + self.unreadable_subscriptions
            + self.subscriptions.iter().map(|s| s.unreadable_products).sum::<usize>()
    }

    /// Every product, the customer's first.
    pub fn all_products(&self) -> impl Iterator<Item = &RecurringProduct> {
        self.products.iter().chain(self.subscriptions.iter().flat_map(|s| s.products.iter()))
    }

    /// How many products have ended on `today`.
    pub fn ended_count(&self, today: Date) -> usize {
        self.all_products().filter(|p| ProductStatus::of(p, today) == ProductStatus::Ended).count()
    }

    /// What the customer's active products cost, all levels together.
    pub fn active_cost(&self, today: Date) -> Result<Cost, TooLarge> {
        Cost::of_active(self.all_products(), today)
    }
}

/// Where a product is in its life on a given day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ProductStatus {
    /// Starts after that day.
    Upcoming,
    /// Billed on that day: started, and not ended.
    Active,
    /// Its last billed day is before that day.
    Ended,
}

impl ProductStatus {
    /// The status of `product` on `today` (the viewer's local date): upcoming before its start
    /// date, ended after its end date, active from start to end inclusive.
    pub fn of(product: &RecurringProduct, today: Date) -> ProductStatus {
        if product.start_date > today {
            ProductStatus::Upcoming
        } else if product.end_date.is_some_and(|end| end < today) {
            ProductStatus::Ended
        } else {
            ProductStatus::Active
        }
    }
}

/// A price including VAT, per month and per year, rounded to öre/cents.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Cost {
    /// Per month including VAT.
    pub per_month: Decimal,
    /// Per year including VAT.
    pub per_year: Decimal,
}

impl Cost {
    /// What one product costs including VAT, or `None` for a periodicity this client does not
    /// know (it cannot be spread over months) or amounts too large for a decimal.
    ///
    /// The yearly price is exact before rounding (`quantity × unit price × (1 + VAT) × 12 /
    /// months`); the monthly one is that divided by 12. Each is rounded half away from zero to
    /// two decimals, so that a column of shown prices adds up to its shown total.
    pub fn of(product: &RecurringProduct) -> Option<Cost> {
        Cost::checked(product).ok().flatten()
    }

    /// What one product costs including VAT: `Ok(None)` for a periodicity this client does not
    /// know, [`TooLarge`] for amounts beyond a decimal.
    pub fn checked(product: &RecurringProduct) -> Result<Option<Cost>, TooLarge> {
        let Some(months) = product.periodicity.months() else { return Ok(None) };
        let with_vat = checked::add(Decimal::ONE_HUNDRED, product.vat_rate)?;
        let per_period = checked::mul(checked::mul(product.quantity, product.unit_price)?, with_vat)?;
        let per_year = checked::div(
            checked::mul(checked::div(per_period, Decimal::ONE_HUNDRED)?, Decimal::from(12))?,
            Decimal::from(months),
        )?;
        let per_month = checked::div(per_year, Decimal::from(12))?;
        Ok(Some(Cost { per_month: round(per_month), per_year: round(per_year) }))
    }

    /// The sum of the costs of the products active on `today`; products of unknown
    /// periodicity are left out, and a cost or sum beyond a decimal is [`TooLarge`] (a total
    /// that silently left a product out would be wrong).
    pub fn of_active<'a>(
        products: impl IntoIterator<Item = &'a RecurringProduct>,
        today: Date,
    ) -> Result<Cost, TooLarge> {
        let mut sum = Cost::default();
        for product in products.into_iter().filter(|p| ProductStatus::of(p, today) == ProductStatus::Active) {
            if let Some(cost) = Cost::checked(product)? {
                sum = Cost {
                    per_month: checked::add(sum.per_month, cost.per_month)?,
                    per_year: checked::add(sum.per_year, cost.per_year)?,
                };
            }
        }
        Ok(sum)
    }
}

fn round(amount: Decimal) -> Decimal {
    amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

#[cfg(test)]
mod tests {
    use super::*;
    use billing_contract::{Link, Periodicity};
    use std::str::FromStr;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn date(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn product(price: &str, vat: &str, periodicity: Periodicity, start: &str, end: Option<&str>) -> RecurringProduct {
        RecurringProduct {
            id: Link("/p".into()),
            recurring_product_no: "1".into(),
            product_no: "P".into(),
            description: "Product".into(),
            quantity: Decimal::ONE,
            unit_price: dec(price),
            vat_rate: dec(vat),
            periodicity,
            start_date: date(start),
            end_date: end.map(date),
            operations: vec![],
        }
    }

    #[test]
    fn status_counts_the_start_and_end_days_as_active() {
        let p = product("100", "25", Periodicity::Monthly, "2026-03-01", Some("2026-03-31"));
        assert_eq!(ProductStatus::of(&p, date("2026-02-28")), ProductStatus::Upcoming);
        assert_eq!(ProductStatus::of(&p, date("2026-03-01")), ProductStatus::Active);
        assert_eq!(ProductStatus::of(&p, date("2026-03-31")), ProductStatus::Active);
        assert_eq!(ProductStatus::of(&p, date("2026-04-01")), ProductStatus::Ended);
        let open = product("100", "25", Periodicity::Monthly, "2026-03-01", None);
        assert_eq!(ProductStatus::of(&open, date("2099-12-31")), ProductStatus::Active);
    }

    #[test]
    fn costs_include_vat_and_spread_the_period_over_months() {
        let monthly = Cost::of(&product("199.00", "25", Periodicity::Monthly, "2026-01-01", None)).unwrap();
        assert_eq!(monthly, Cost { per_month: dec("248.75"), per_year: dec("2985.00") });
        // 207.00 a quarter at 6 %: 219.42 a quarter, 877.68 a year, 73.14 a month.
        let quarterly = Cost::of(&product("207.00", "6", Periodicity::Quarterly, "2026-01-01", None)).unwrap();
        assert_eq!(quarterly, Cost { per_month: dec("73.14"), per_year: dec("877.68") });
        // 948.00 a year without VAT: 79.00 a month.
        let yearly = Cost::of(&product("948.00", "0", Periodicity::Yearly, "2026-01-01", None)).unwrap();
        assert_eq!(yearly, Cost { per_month: dec("79.00"), per_year: dec("948.00") });
        // 100.00 every six months at 25 %: 250.00 a year, 20.833… a month, rounded to 20.83.
        let half = Cost::of(&product("100", "25", Periodicity::Semiannually, "2026-01-01", None)).unwrap();
        assert_eq!(half, Cost { per_month: dec("20.83"), per_year: dec("250.00") });
        assert_eq!(Cost::of(&product("1", "25", Periodicity::Unknown, "2026-01-01", None)), None);
        let mut huge = product("79228162514264337593543950335", "25", Periodicity::Monthly, "2026-01-01", None);
        huge.quantity = Decimal::from(2);
        assert_eq!(Cost::of(&huge), None, "an amount beyond a decimal is no cost, not a panic");
    }

    #[test]
    fn discounts_are_negative_costs_and_quantities_multiply() {
        let mut discount = product("-50.00", "25", Periodicity::Monthly, "2026-01-01", None);
        assert_eq!(Cost::of(&discount).unwrap().per_month, dec("-62.50"));
        discount.quantity = dec("2");
        assert_eq!(Cost::of(&discount).unwrap().per_year, dec("-1500.00"));
    }

    #[test]
    fn totals_count_only_active_products_and_add_up_exactly() {
        let today = date("2026-11-21");
        let products = [
            product("0.10", "25", Periodicity::Monthly, "2026-01-01", None),
            product("0.20", "25", Periodicity::Monthly, "2026-01-01", None),
            product("1000", "25", Periodicity::Monthly, "2027-01-01", None),
            product("1000", "25", Periodicity::Monthly, "2025-01-01", Some("2026-04-20")),
            product("1000", "25", Periodicity::Unknown, "2025-01-01", None),
        ];
        let total = Cost::of_active(&products, today).unwrap();
        assert_eq!(
            total,
            Cost { per_month: dec("0.38"), per_year: dec("4.50") },
            "0.125 + 0.25 per month, rounded per row"
        );
    }

    #[test]
    fn costs_beyond_a_decimal_are_an_error_not_a_panic_and_not_left_out() {
        let today = date("2026-11-21");
        // 10^14 × 10^14 × 125 % is beyond a decimal: its cost is unknown, and the total says so.
        let mut big = product("100000000000000", "25", Periodicity::Monthly, "2026-01-01", None);
        big.quantity = dec("100000000000000");
        assert_eq!(Cost::checked(&big), Err(TooLarge));
        assert_eq!(Cost::of(&big), None);
        let small = product("10", "25", Periodicity::Monthly, "2026-01-01", None);
        assert_eq!(Cost::of_active([&small, &big], today), Err(TooLarge));
        // The largest price the contract reads, many times: each cost fits, their sum does not.
        let mut near = product("999999999999999", "25", Periodicity::Monthly, "2026-01-01", None);
        near.quantity = dec("100000000000");
        let one = Cost::of(&near).unwrap();
        assert_eq!(one.per_year, dec("1499999999999998500000000000"));
        let many = vec![near; 5_000];
        assert_eq!(Cost::of_active(&many, today), Err(TooLarge));
        // An ended huge product does not count, so the total is known.
        let mut ended = big.clone();
        ended.end_date = Some(date("2026-02-01"));
        assert_eq!(
            Cost::of_active([&small, &ended], today),
            Ok(Cost { per_month: dec("12.50"), per_year: dec("150.00") })
        );
    }
}
